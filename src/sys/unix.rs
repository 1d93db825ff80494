//! Linux and macOS: XDG directories, file modes, `sh`, and POSIX signals.

use std::fs::OpenOptions;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use anyhow::Context;
use tokio::signal::unix::{Signal, SignalKind, signal};

use super::{Stop, Stream};

pub const CONFIG_DIR_VARS: &str = "HOME or XDG_CONFIG_HOME";
pub const CACHE_DIR_VARS: &str = "HOME or XDG_CACHE_HOME";

pub fn config_dir() -> Option<PathBuf> {
    xdg_dir(
        std::env::var_os("XDG_CONFIG_HOME").map(PathBuf::from),
        super::home_dir(),
        ".config",
    )
}

pub fn cache_dir() -> Option<PathBuf> {
    xdg_dir(
        std::env::var_os("XDG_CACHE_HOME").map(PathBuf::from),
        super::home_dir(),
        ".cache",
    )
}

/// `$XDG_…_HOME/fgs` when it is absolute (a relative one is invalid and ignored, as the XDG
/// base directory spec says), else `~/{fallback}/fgs`.
fn xdg_dir(xdg: Option<PathBuf>, home: Option<PathBuf>, fallback: &str) -> Option<PathBuf> {
    let base = xdg
        .filter(|p| p.is_absolute())
        .or_else(|| home.map(|h| h.join(fallback)))?;
    Some(base.join("fgs"))
}

pub fn create_private_dir(dir: &Path) -> anyhow::Result<()> {
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .with_context(|| format!("creating {}", dir.display()))?;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
        .with_context(|| format!("making {} private", dir.display()))
}

pub fn private_options(options: &mut OpenOptions) {
    options.mode(0o600);
}

pub fn readable_by_others(path: &Path) -> Option<u32> {
    let mode = std::fs::metadata(path).ok()?.permissions().mode();
    (mode & 0o077 != 0).then_some(mode & 0o777)
}

pub fn shell(command: &str) -> std::process::Command {
    let mut shell = std::process::Command::new("sh");
    shell.args(["-c", command]);
    shell
}

pub fn reraise_interrupt() {
    // SAFETY: restoring the default action of SIGINT and raising it, with no other thread
    // relying on a handler; the process ends at once.
    unsafe {
        libc::signal(libc::SIGINT, libc::SIG_DFL);
        libc::raise(libc::SIGINT);
    }
}

pub struct StopSignals {
    terminate: Option<Signal>,
    interrupt: Option<Signal>,
}

impl StopSignals {
    pub fn new() -> StopSignals {
        StopSignals {
            terminate: signal(SignalKind::terminate()).ok(),
            interrupt: signal(SignalKind::interrupt()).ok(),
        }
    }

    pub async fn recv(&mut self) -> Stop {
        tokio::select! {
            () = caught(self.terminate.as_mut()) => Stop::Terminate,
            () = caught(self.interrupt.as_mut()) => Stop::Interrupt,
        }
    }
}

/// The next delivery of `signal`; never, when it could not be caught.
async fn caught(signal: Option<&mut Signal>) {
    match signal {
        Some(signal) => {
            signal.recv().await;
        }
        None => std::future::pending().await,
    }
}

pub fn ansi_colors(_: Stream) -> bool {
    true
}

pub fn is_executable(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

pub fn make_executable(path: &Path) {
    if let Ok(m) = std::fs::metadata(path) {
        let mode = m.permissions().mode() | 0o111;
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xdg_dirs_when_absolute_else_home() {
        let home = || Some(PathBuf::from("/home/u"));
        let p = xdg_dir(Some("/x".into()), home(), ".config").unwrap();
        assert_eq!(p.join("config.toml"), PathBuf::from("/x/fgs/config.toml"));
        let p = xdg_dir(None, home(), ".config").unwrap();
        assert_eq!(p, PathBuf::from("/home/u/.config/fgs"));
        let p = xdg_dir(Some("relative".into()), home(), ".config").unwrap();
        assert_eq!(p, PathBuf::from("/home/u/.config/fgs"));
        let p = xdg_dir(Some("/c".into()), home(), ".cache").unwrap();
        assert_eq!(p, PathBuf::from("/c/fgs"));
        let p = xdg_dir(None, home(), ".cache").unwrap();
        assert_eq!(p, PathBuf::from("/home/u/.cache/fgs"));
        assert_eq!(xdg_dir(None, None, ".cache"), None);
    }

    #[test]
    fn private_files_and_directories() {
        let dir = tempfile::tempdir().unwrap();
        let private = dir.path().join("a").join("b");
        create_private_dir(&private).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&private), 0o700);
        let file = private.join("f");
        drop(super::super::create_private_file(&file).unwrap());
        assert_eq!(mode(&file), 0o600);
        assert_eq!(readable_by_others(&file), None);
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
        assert_eq!(readable_by_others(&file), Some(0o640));
    }
}
