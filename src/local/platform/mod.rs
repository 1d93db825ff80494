//! Everything local mode asks of the operating system, behind one small API that each
//! system implements in its own file:
//!
//! - [`start`] a function's process in a tree of its own (a process group on Unix, a Job
//!   object on Windows), with stdout and stderr on one pipe ([`Output`]) and, for a worker,
//!   the control channel ([`Channel`]);
//! - [`Tree`]: kill the whole tree, and read its memory (now, and the peak since the last
//!   reading);
//! - no process outlives fgs, however fgs ends;
//! - the small differences in how programs are found and run: executables, the shell
//!   that runs a `bootstrap`, the interpreters' names, the variables a program needs.
//!
//! | job | Linux | macOS | Windows |
//! | --- | --- | --- | --- |
//! | the tree | a process group | a process group | a Job object |
//! | output pipe | `pipe2(O_CLOEXEC)` | `pipe` + `FD_CLOEXEC` | an anonymous pipe, read by a thread |
//! | control channel | pipes on fds 3 and 4 | pipes on fds 3 and 4 | a loopback socket and a per-instance secret |
//! | nothing outlives fgs | `PR_SET_PDEATHSIG` | a watchdog in the group kills it when fgs's end of its pipe closes; the shims exit at the channel's end | `JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE` |
//! | memory | `/proc`: `VmRSS`, `VmHWM` reset by `clear_refs` | `proc_pid_rusage`: the physical footprint and its interval maximum | the job's committed memory: `PeakJobMemoryUsed`, and each process's `PrivateUsage` |
//!
//! Nothing outside this module in `local/` names a system.

use std::io;
use std::process::Stdio;

use super::error::LocalError;

#[cfg(target_os = "linux")]
mod linux;
#[cfg(target_os = "macos")]
mod macos;
#[cfg(unix)]
mod unix;
#[cfg(windows)]
mod windows;

#[cfg(not(any(target_os = "linux", target_os = "macos", windows)))]
compile_error!("local mode runs on Linux, macOS and Windows");

#[cfg(unix)]
use unix as sys;
#[cfg(windows)]
use windows as sys;

pub use sys::{
    Channel, ControlRx, ControlTx, EXTRA_INHERITED, Output, Tree, canonical_dir,
    create_private_dir, is_executable, program_names, python_launcher, same_var_name,
    script_command, shell_path, start,
};
#[cfg(test)]
pub use sys::{kill_id, make_executable, tree_alive};

/// What to start.
pub struct Spec<'a> {
    pub program: &'a std::path::Path,
    pub args: Vec<String>,
    pub env: Vec<(String, String)>,
    pub cwd: &'a std::path::Path,
    /// Give the process a control channel (a Python or Node.js worker).
    pub control: bool,
}

impl Spec<'_> {
    /// The child's command as every system starts it: the program and its arguments, only
    /// the environment given, its directory, no stdin, and stdout and stderr into the
    /// shared pipe. Each system adds its own process group and start flags.
    fn command(&self, stdout: Stdio, stderr: Stdio) -> tokio::process::Command {
        let mut command = tokio::process::Command::new(self.program);
        command
            .args(&self.args)
            .env_clear()
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .current_dir(self.cwd)
            .stdin(Stdio::null())
            .stdout(stdout)
            .stderr(stderr);
        command
    }
}

/// A started process and its tree.
pub struct Process {
    /// The tree's first process (the interpreter or the `bootstrap`).
    pub child: tokio::process::Child,
    pub tree: Tree,
    /// The read end of the shared stdout/stderr pipe.
    pub output: Output,
    /// fgs's end of the control channel, when asked for.
    pub control: Option<Channel>,
}

/// A failed spawn: a program that is missing or may not run is the function's setup, the
/// rest is this machine's.
fn spawn_error(e: io::Error, program: &std::path::Path) -> LocalError {
    let kind = e.kind();
    let e = anyhow::Error::new(e).context(format!("starting {}", program.display()));
    match kind {
        io::ErrorKind::NotFound | io::ErrorKind::PermissionDenied => LocalError::Setup(e),
        _ => LocalError::Machine(e),
    }
}
