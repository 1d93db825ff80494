//! Starting an instance's process in its own process group, with its output on one pipe,
//! an optional control channel on fds 3 and 4, and stopping the whole group again.
//!
//! stdout and stderr share one pipe, as the service's log does: the order in which the
//! function wrote is the order fgs reads. stdin is `/dev/null`.
#![allow(clippy::similar_names)] // req_r/req_w and rep_r/rep_w: the two pipes, end by end

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::path::Path;
use std::process::Stdio;

use anyhow::Context as _;
use tokio::net::unix::pipe;

use super::error::{Classify, LocalError};

/// What to start.
pub struct Spec<'a> {
    pub program: &'a Path,
    pub args: Vec<String>,
    pub env: Vec<(String, String)>,
    pub cwd: &'a Path,
    /// Give the process a control channel: fgs → process on fd 3, process → fgs on fd 4.
    pub control: bool,
}

/// A started process group.
pub struct Process {
    pub child: tokio::process::Child,
    /// The leader's pid, which is also the process group id.
    pub pid: i32,
    /// The read end of the shared stdout/stderr pipe.
    pub output: pipe::Receiver,
    /// fgs's ends of the control channel, when asked for.
    pub control: Option<(pipe::Sender, pipe::Receiver)>,
}

/// A pipe whose ends are close-on-exec and numbered above 9, so that `dup2` onto 3 and 4
/// in the child never meets one of them.
fn pipe_pair() -> io::Result<(OwnedFd, OwnedFd)> {
    let mut fds = [0 as RawFd; 2];
    // SAFETY: `fds` is a valid array of two ints for pipe2 to fill.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: pipe2 succeeded, so both fds are open and owned by nobody else.
    let (r, w) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    Ok((high(r)?, high(w)?))
}

#[allow(clippy::needless_pass_by_value)] // the low fd is closed when this returns
fn high(fd: OwnedFd) -> io::Result<OwnedFd> {
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
    let (out_r, out_w) = pipe_pair().context("creating the output pipe").machine()?;
    let mut command = tokio::process::Command::new(spec.program);
    command
        .args(&spec.args)
        .env_clear()
        .envs(spec.env.iter().map(|(k, v)| (k, v)))
        .current_dir(spec.cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::from(
            out_w
                .try_clone()
                .context("duplicating the output pipe")
                .machine()?,
        ))
        .stderr(Stdio::from(out_w))
        .process_group(0);
    let mut ours = None;
    if spec.control {
        let (req_r, req_w) = pipe_pair().context("creating the control pipe").machine()?;
        let (rep_r, rep_w) = pipe_pair().context("creating the control pipe").machine()?;
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
    // Should fgs itself die without stopping its instances (SIGKILL, SIGTERM), the kernel
    // ends each instance too: no process outlives fgs.
    // SAFETY: prctl is async-signal-safe and only sets this child's parent-death signal.
    #[cfg(target_os = "linux")]
    unsafe {
        command.pre_exec(|| {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) < 0 {
                return Err(io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let child = command
        .spawn()
        .with_context(|| format!("starting {}", spec.program.display()))
        .map_err(
            |e| match e.downcast_ref::<io::Error>().map(io::Error::kind) {
                Some(io::ErrorKind::NotFound | io::ErrorKind::PermissionDenied) => {
                    LocalError::Setup(e)
                }
                _ => LocalError::Machine(e),
            },
        )?;
    // The child has its copies now; dropping ours lets EOF arrive when it exits.
    drop(command);
    let pid = child
        .id()
        .and_then(|p| i32::try_from(p).ok())
        .ok_or_else(|| LocalError::machine("the process exited at once"))?;
    let output = pipe::Receiver::from_owned_fd(out_r)
        .context("reading the output pipe")
        .machine()?;
    let control = match ours {
        Some((req_w, rep_r, req_r, rep_w)) => {
            drop((req_r, rep_w));
            Some((
                pipe::Sender::from_owned_fd(req_w)
                    .context("the control pipe")
                    .machine()?,
                pipe::Receiver::from_owned_fd(rep_r)
                    .context("the control pipe")
                    .machine()?,
            ))
        }
        None => None,
    };
    Ok(Process {
        child,
        pid,
        output,
        control,
    })
}

/// SIGKILL the whole process group `pgid`. Only ever called with a group fgs started.
pub fn kill_group(pgid: i32) {
    if pgid > 1 {
        // SAFETY: kill has no memory-safety preconditions.
        unsafe {
            libc::kill(-pgid, libc::SIGKILL);
        }
    }
}

/// Whether any process of group `pgid` is still running. Zombies do not count: killed
/// grandchildren wait for init to reap them, which can take a second or two.
#[cfg(test)]
pub fn group_alive(pgid: i32) -> bool {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return false;
    };
    entries.filter_map(Result::ok).any(|entry| {
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            return false;
        };
        // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses.
        let Some((_, rest)) = stat.rsplit_once(") ") else {
            return false;
        };
        let fields: Vec<&str> = rest.split_whitespace().collect();
        fields.len() > 2 && fields[2] == pgid.to_string() && fields[0] != "Z"
    })
}

/// Peak resident memory of a process and its descendants.
///
/// Descendants are found through `/proc/PID/task/PID/children`, the main thread's list:
/// children started from other threads are not counted (Python and Node.js start them from
/// the main thread; shells have no other).
pub struct Memory {
    pid: i32,
}

impl Memory {
    pub fn new(pid: i32) -> Memory {
        Memory { pid }
    }

    /// The sum of the tree's `VmHWM` (peak RSS) in kB, resetting each peak to the current
    /// size (`clear_refs` 5) so that the next reading covers only what follows.
    pub fn take_peak_kb(&self) -> u64 {
        self.tree()
            .into_iter()
            .map(|pid| {
                let kb = status_kb(pid, "VmHWM:");
                let _ = std::fs::write(format!("/proc/{pid}/clear_refs"), "5");
                kb
            })
            .sum()
    }

    /// The tree's current `VmRSS`, in kB.
    pub fn current_kb(&self) -> u64 {
        self.tree()
            .into_iter()
            .map(|pid| status_kb(pid, "VmRSS:"))
            .sum()
    }

    fn tree(&self) -> Vec<i32> {
        let mut all = vec![self.pid];
        let mut at = 0;
        while at < all.len() && all.len() < 1024 {
            let pid = all[at];
            at += 1;
            if let Ok(text) = std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children")) {
                all.extend(
                    text.split_whitespace()
                        .filter_map(|p| p.parse::<i32>().ok()),
                );
            }
        }
        all
    }
}

fn status_kb(pid: i32, field: &str) -> u64 {
    let Ok(text) = std::fs::read_to_string(format!("/proc/{pid}/status")) else {
        return 0;
    };
    text.lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}
