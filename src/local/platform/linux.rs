//! Linux: `pipe2`, the parent-death signal, and memory from `/proc`.

use std::io;
use std::os::fd::{FromRawFd, OwnedFd, RawFd};

use super::unix::high;

/// A pipe whose ends are close-on-exec from the start and numbered above 9.
pub fn pipe_pair() -> io::Result<(OwnedFd, OwnedFd)> {
    let mut fds = [0 as RawFd; 2];
    // SAFETY: `fds` is a valid array of two ints for pipe2 to fill.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: pipe2 succeeded, so both fds are open and owned by nobody else.
    let (r, w) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    Ok((high(r)?, high(w)?))
}

/// Should fgs itself die without stopping its instances (SIGKILL, SIGTERM), the kernel ends
/// each instance too: no process outlives fgs.
pub fn before_spawn(command: &mut tokio::process::Command) {
    // SAFETY: prctl is async-signal-safe and only sets this child's parent-death signal.
    unsafe {
        command.pre_exec(|| {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) < 0 {
                return Err(io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

/// Nothing to keep: the parent-death signal needs no guard.
#[allow(clippy::unnecessary_wraps)] // macOS's watchdog returns one
pub fn after_spawn(_pgid: i32) -> Option<OwnedFd> {
    None
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

// Peak resident memory of a process and its descendants.
//
// Descendants are found through `/proc/PID/task/PID/children`, the main thread's list:
// children started from other threads are not counted (Python and Node.js start them from
// the main thread; shells have no other).

/// The sum of the tree's `VmHWM` (peak RSS) in kB, resetting each peak to the current
/// size (`clear_refs` 5) so that the next reading covers only what follows.
pub fn take_peak_kb(pid: i32) -> u64 {
    tree(pid)
        .into_iter()
        .map(|pid| {
            let kb = status_kb(pid, "VmHWM:");
            let _ = std::fs::write(format!("/proc/{pid}/clear_refs"), "5");
            kb
        })
        .sum()
}

/// The tree's current `VmRSS`, in kB.
pub fn current_kb(pid: i32) -> u64 {
    tree(pid)
        .into_iter()
        .map(|pid| status_kb(pid, "VmRSS:"))
        .sum()
}

fn tree(pid: i32) -> Vec<i32> {
    let mut all = vec![pid];
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

fn status_kb(pid: i32, field: &str) -> u64 {
    let Ok(text) = std::fs::read_to_string(format!("/proc/{pid}/status")) else {
        return 0;
    };
    text.lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}
