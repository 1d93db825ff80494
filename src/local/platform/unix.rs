//! Linux and macOS: a process group per instance, the output on one pipe, the control
//! channel on fds 3 (fgs → worker) and 4 (worker → fgs). What differs between the two
//! (making a pipe, the parent-death guard, memory) is in `linux.rs` and `macos.rs`.
#![allow(clippy::similar_names)] // req_r/req_w and rep_r/rep_w: the two pipes, end by end

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;

use anyhow::Context as _;
use tokio::io::AsyncReadExt as _;
use tokio::net::unix::pipe;

#[cfg(target_os = "linux")]
use super::linux as os;
#[cfg(target_os = "macos")]
use super::macos as os;
use super::{Process, Spec, spawn_error};
use crate::local::error::{Classify, LocalError};

pub type ControlTx = pipe::Sender;
pub type ControlRx = pipe::Receiver;

/// fgs's ends of a worker's control channel.
pub struct Channel {
    tx: ControlTx,
    rx: ControlRx,
}

impl Channel {
    /// The channel, ready to use (pipes are connected from the start).
    #[allow(clippy::unused_async)] // the same signature as Windows's, which waits
    pub async fn open(self) -> io::Result<(ControlTx, ControlRx)> {
        Ok((self.tx, self.rx))
    }
}

/// A dup of `fd` numbered 10 or above and close-on-exec, so that `dup2` onto 3 and 4 in
/// the child never meets one of fgs's pipes.
#[allow(clippy::needless_pass_by_value)] // the low fd is closed when this returns
pub(super) fn high(fd: OwnedFd) -> io::Result<OwnedFd> {
    // SAFETY: F_DUPFD_CLOEXEC on an open fd returns a new fd or -1.
    let new = unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_DUPFD_CLOEXEC, 10) };
    if new < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: `new` was just returned by fcntl and is owned by nobody else.
    Ok(unsafe { OwnedFd::from_raw_fd(new) })
}

/// Start `spec` in a new process group. Must run inside a tokio runtime with I/O enabled.
#[allow(clippy::needless_pass_by_value)] // a spec is built for one start
pub fn start(spec: Spec<'_>) -> Result<Process, LocalError> {
    let (out_r, out_w) = os::pipe_pair()
        .context("creating the output pipe")
        .machine()?;
    let stdout = out_w
        .try_clone()
        .context("duplicating the output pipe")
        .machine()?;
    let mut command = spec.command(Stdio::from(stdout), Stdio::from(out_w));
    command.process_group(0);
    let mut ours = None;
    if spec.control {
        let (req_r, req_w) = os::pipe_pair()
            .context("creating the control pipe")
            .machine()?;
        let (rep_r, rep_w) = os::pipe_pair()
            .context("creating the control pipe")
            .machine()?;
        let (child_in, child_out) = (req_r.as_raw_fd(), rep_w.as_raw_fd());
        // SAFETY: only async-signal-safe calls (dup2) between fork and exec; the fds stay
        // open in the parent until `command` is dropped after the spawn.
        unsafe {
            command.pre_exec(move || {
                if libc::dup2(child_in, 3) < 0 || libc::dup2(child_out, 4) < 0 {
                    return Err(io::Error::last_os_error());
                }
                Ok(())
            });
        }
        ours = Some((req_w, rep_r, req_r, rep_w));
    }
    os::before_spawn(&mut command);
    let child = command.spawn().map_err(|e| spawn_error(e, spec.program))?;
    // The child has its copies now; dropping ours lets EOF arrive when it exits.
    drop(command);
    let pgid = child
        .id()
        .and_then(|p| i32::try_from(p).ok())
        .ok_or_else(|| LocalError::machine("the process exited at once"))?;
    let guard = os::after_spawn(pgid);
    let output = pipe::Receiver::from_owned_fd(out_r)
        .context("reading the output pipe")
        .machine()?;
    let control = match ours {
        Some((req_w, rep_r, req_r, rep_w)) => {
            drop((req_r, rep_w));
            Some(Channel {
                tx: pipe::Sender::from_owned_fd(req_w)
                    .context("the control pipe")
                    .machine()?,
                rx: pipe::Receiver::from_owned_fd(rep_r)
                    .context("the control pipe")
                    .machine()?,
            })
        }
        None => None,
    };
    Ok(Process {
        child,
        tree: Tree {
            pgid,
            _guard: guard.map(Arc::new),
        },
        output: Output { rx: output },
        control,
    })
}

/// An instance's process group.
#[derive(Clone)]
pub struct Tree {
    /// The leader's pid, which is also the process group id.
    pgid: i32,
    /// What ends the group should fgs go away without killing it (macOS's watchdog pipe);
    /// dropping the last clone ends it too.
    _guard: Option<Arc<OwnedFd>>,
}

impl Tree {
    /// The leader's pid: the tree's name in messages and sets.
    pub fn id(&self) -> u32 {
        self.pgid.unsigned_abs()
    }

    /// SIGKILL the whole process group. Only ever called with a group fgs started.
    pub fn kill(&self) {
        kill_group(self.pgid);
    }

    /// The tree's peak memory since the last call, in kB.
    pub fn take_peak_kb(&self) -> u64 {
        os::take_peak_kb(self.pgid)
    }

    /// The tree's memory now, in kB.
    pub fn current_kb(&self) -> u64 {
        os::current_kb(self.pgid)
    }
}

fn kill_group(pgid: i32) {
    if pgid > 1 {
        // SAFETY: kill has no memory-safety preconditions.
        unsafe {
            libc::kill(-pgid, libc::SIGKILL);
        }
    }
}

/// SIGKILL the process group `id` (tests: a group learnt from a function's output).
#[cfg(test)]
pub fn kill_id(id: u32) {
    kill_group(i32::try_from(id).unwrap_or(0));
}

/// Whether any process of the group `id` is still running (zombies do not count).
#[cfg(test)]
pub fn tree_alive(id: u32) -> bool {
    os::group_alive(i32::try_from(id).unwrap_or(0))
}

/// The instance's stdout+stderr pipe.
pub struct Output {
    rx: pipe::Receiver,
}

impl Output {
    /// Wait for output and append it to `buf`; 0 at end of file.
    pub async fn read(&mut self, buf: &mut Vec<u8>) -> io::Result<usize> {
        buf.reserve(16 * 1024);
        self.rx.read_buf(buf).await
    }

    /// Append what can be read without waiting; `true` at end of file. This reads the
    /// (non-blocking) pipe directly: tokio's `try_read` trusts its cached readiness, which
    /// may not yet know of bytes written just before the answer that ends a call.
    pub fn read_ready(&mut self, buf: &mut Vec<u8>) -> bool {
        let fd = self.rx.as_raw_fd();
        loop {
            buf.reserve(16 * 1024);
            let spare = buf.spare_capacity_mut();
            // SAFETY: `spare` is writable memory of `spare.len()` bytes owned by `buf`.
            let n = unsafe { libc::read(fd, spare.as_mut_ptr().cast(), spare.len()) };
            match n {
                0 => return true,
                // SAFETY: read initialised the first `n` bytes of the spare capacity.
                n if n > 0 => unsafe { buf.set_len(buf.len() + n.unsigned_abs()) },
                _ if io::Error::last_os_error().kind() == io::ErrorKind::Interrupted => {}
                _ => return false,
            }
        }
    }
}

/// A file the system will run: a regular file with an execute bit.
pub fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// Make `path` executable (tests write `bootstrap` files).
#[cfg(test)]
pub fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// Create a directory only this user may enter (0700).
pub fn create_private_dir(path: &Path) -> io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new().mode(0o700).create(path)
}

/// How to run the shell script `script`: by itself when `direct` (the system reads its
/// `#!` line), else through `/bin/sh`.
#[allow(clippy::unnecessary_wraps)] // Windows's fails without a bash
pub fn script_command(script: &Path, direct: bool) -> Result<(PathBuf, Vec<String>), LocalError> {
    if direct {
        Ok((script.to_path_buf(), Vec::new()))
    } else {
        Ok((PathBuf::from("/bin/sh"), vec![script.display().to_string()]))
    }
}

/// A function directory's absolute path, links resolved.
pub fn canonical_dir(path: &Path) -> io::Result<PathBuf> {
    std::fs::canonicalize(path)
}

/// A path as a shell script names it.
pub fn shell_path(path: &Path) -> String {
    path.display().to_string()
}

/// The file names `command` (`python3`, `node`) has on PATH.
pub fn program_names(command: &str) -> Vec<String> {
    vec![command.to_string()]
}

/// The Python a launcher would run when no `python3` is on PATH: Unix has no launcher.
pub fn python_launcher() -> Option<PathBuf> {
    None
}

/// Variables a program needs on this system, beyond the list every system shares.
pub const EXTRA_INHERITED: &[&str] = &[];

/// Whether two variable names are the same variable (case matters on Unix).
pub fn same_var_name(a: &str, b: &str) -> bool {
    a == b
}
