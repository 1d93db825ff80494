//! Windows: the profile's application data folders, `cmd`, console control events and the
//! console's virtual terminal mode.

use std::fs::OpenOptions;
use std::path::{Path, PathBuf};

use anyhow::Context;
use tokio::signal::windows::{CtrlBreak, CtrlC, ctrl_break, ctrl_c};
use windows_sys::Win32::System::Console::{
    ENABLE_VIRTUAL_TERMINAL_PROCESSING, GetConsoleMode, GetStdHandle, STD_ERROR_HANDLE,
    STD_OUTPUT_HANDLE, SetConsoleMode,
};

use super::{Stop, Stream};

pub const CONFIG_DIR_VARS: &str = "APPDATA";
pub const CACHE_DIR_VARS: &str = "LOCALAPPDATA";

/// `%APPDATA%\fgs` (the roaming profile: settings follow the user), else the known folder.
pub fn config_dir() -> Option<PathBuf> {
    folder("APPDATA")
        .or_else(dirs::config_dir)
        .map(|d| d.join("fgs"))
}

/// `%LOCALAPPDATA%\fgs`: caches, a login token among them, stay on this machine.
pub fn cache_dir() -> Option<PathBuf> {
    folder("LOCALAPPDATA")
        .or_else(dirs::cache_dir)
        .map(|d| d.join("fgs"))
}

/// A folder named by the environment, when it is absolute; tests point it elsewhere.
fn folder(name: &str) -> Option<PathBuf> {
    std::env::var_os(name)
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
}

/// The folders under the user's profile are the user's alone by their inherited ACLs.
pub fn create_private_dir(dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))
}

pub fn private_options(_: &mut OpenOptions) {}

pub fn readable_by_others(_: &Path) -> Option<u32> {
    None
}

pub fn shell(command: &str) -> std::process::Command {
    let mut shell = std::process::Command::new("cmd");
    shell.args(["/C", command]);
    shell
}

/// Windows has no signal to raise again: the caller's exit code 130 says it.
pub fn reraise_interrupt() {}

pub struct StopSignals {
    terminate: Option<CtrlBreak>,
    interrupt: Option<CtrlC>,
}

impl StopSignals {
    pub fn new() -> StopSignals {
        StopSignals {
            terminate: ctrl_break().ok(),
            interrupt: ctrl_c().ok(),
        }
    }

    pub async fn recv(&mut self) -> Stop {
        let terminate = async {
            match self.terminate.as_mut() {
                Some(event) => {
                    event.recv().await;
                }
                None => std::future::pending().await,
            }
        };
        let interrupt = async {
            match self.interrupt.as_mut() {
                Some(event) => {
                    event.recv().await;
                }
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            () = terminate => Stop::Terminate,
            () = interrupt => Stop::Interrupt,
        }
    }
}

/// A console shows colour once virtual terminal processing is on; a console too old for it
/// shows none. A terminal that is no console (a pipe of MSYS2 or Cygwin's terminals) reads
/// escape sequences itself.
pub fn ansi_colors(stream: Stream) -> bool {
    let which = match stream {
        Stream::Stdout => STD_OUTPUT_HANDLE,
        Stream::Stderr => STD_ERROR_HANDLE,
    };
    // SAFETY: console calls on this process's own standard handle, with a local out value;
    // a handle that is no console makes GetConsoleMode fail, and nothing else happens.
    unsafe {
        let handle = GetStdHandle(which);
        let mut mode = 0;
        if GetConsoleMode(handle, &raw mut mode) == 0 {
            return true;
        }
        mode & ENABLE_VIRTUAL_TERMINAL_PROCESSING != 0
            || SetConsoleMode(handle, mode | ENABLE_VIRTUAL_TERMINAL_PROCESSING) != 0
    }
}

pub fn is_executable(_: &Path) -> bool {
    false
}

pub fn make_executable(_: &Path) {}
