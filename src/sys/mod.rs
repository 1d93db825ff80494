//! What differs between the systems outside local mode, behind one small API: one file per
//! system (`unix.rs` for Linux and macOS, `windows.rs`), and no `cfg` anywhere else.
//! (Spawning, killing and measuring local functions is `local`'s own platform module.)
//!
//! | what | Unix (Linux, macOS) | Windows |
//! | --- | --- | --- |
//! | [`config_dir`] | `$XDG_CONFIG_HOME/fgs`, else `~/.config/fgs` | `%APPDATA%\fgs` |
//! | [`cache_dir`] | `$XDG_CACHE_HOME/fgs`, else `~/.cache/fgs` | `%LOCALAPPDATA%\fgs` |
//! | [`home_dir`] | `$HOME` | `%USERPROFILE%` |
//! | secret files | directory 0700, file 0600, a warning when others may read one | the user's profile protects them; no mode to check |
//! | [`shell`] for `token_command` | `sh -c` | `cmd /C` |
//! | Ctrl-C ([`reraise_interrupt`]) | SIGINT raised again: the shell sees 130 | exit code 130 |
//! | [`StopSignals`] of `fgs serve` | SIGTERM stops, SIGINT interrupts | Ctrl-Break stops, Ctrl-C interrupts |
//! | [`ansi_colors`] | always | virtual terminal processing switched on, else no colour |
//! | [`is_executable`], [`make_executable`] (code packages) | the execute bits | none: never, and nothing to do |

#[cfg(unix)]
mod unix;
#[cfg(unix)]
use unix as imp;
#[cfg(windows)]
mod windows;
#[cfg(windows)]
use windows as imp;

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

/// fgs's config directory (the config file is `config.toml` in it), or `None` where the
/// environment names no home.
pub fn config_dir() -> Option<PathBuf> {
    imp::config_dir()
}

/// fgs's cache directory: the login cache and the completion cache.
pub fn cache_dir() -> Option<PathBuf> {
    imp::cache_dir()
}

/// What to set when [`config_dir`] is `None`, for the error that says so.
pub const CONFIG_DIR_VARS: &str = imp::CONFIG_DIR_VARS;

/// What to set when [`cache_dir`] is `None`, for the error that says so.
pub const CACHE_DIR_VARS: &str = imp::CACHE_DIR_VARS;

/// The user's home directory, where the SDK's and KooCLI's files are.
pub fn home_dir() -> Option<PathBuf> {
    std::env::home_dir().filter(|h| !h.as_os_str().is_empty())
}

/// Create `dir` and its parents so that only the user may read what is inside.
pub fn create_private_dir(dir: &Path) -> anyhow::Result<()> {
    imp::create_private_dir(dir)
}

/// Create (or truncate) a file for writing that only the user may read.
pub fn create_private_file(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(true);
    imp::private_options(&mut options);
    options.open(path)
}

/// The permission bits of `path` when its group or others may read it: a file holding a
/// secret that should be private. Always `None` where files have no such mode.
pub fn readable_by_others(path: &Path) -> Option<u32> {
    imp::readable_by_others(path)
}

/// How the system's shell runs one command line: `token_command`.
pub fn shell(command: &str) -> std::process::Command {
    imp::shell(command)
}

/// End the way a program stopped by Ctrl-C ends, where the system has such a way (so that a
/// calling shell script stops too); returns where it has not, and the caller exits 130.
pub fn reraise_interrupt() {
    imp::reraise_interrupt();
}

/// Why `fgs serve` was asked to stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// A clean stop, as a service manager asks for it: SIGTERM, or Ctrl-Break on Windows.
    Terminate,
    /// Ctrl-C.
    Interrupt,
}

/// The signals that stop `fgs serve`, caught from the moment this is made (a signal that
/// cannot be caught never arrives).
pub struct StopSignals(imp::StopSignals);

impl StopSignals {
    pub fn new() -> StopSignals {
        StopSignals(imp::StopSignals::new())
    }

    /// The next request to stop.
    pub async fn recv(&mut self) -> Stop {
        self.0.recv().await
    }
}

/// A standard stream that may show colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// Whether escape sequences show as colour on `stream`, once it is known to be a terminal.
/// On Windows this switches the console to virtual terminal processing, and is `false` on
/// a console that cannot.
pub fn ansi_colors(stream: Stream) -> bool {
    imp::ansi_colors(stream)
}

/// Whether `path` is a file the system would run: an execute bit, where files have one
/// (`fgs serve` keeps it in the code package it builds).
pub fn is_executable(path: &Path) -> bool {
    imp::is_executable(path)
}

/// Let the owner, group and others run `path` (a `bootstrap` unpacked by `fgs pull`); where
/// files have no such mode, nothing to do.
pub fn make_executable(path: &Path) {
    imp::make_executable(path);
}
