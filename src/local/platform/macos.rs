//! macOS: `pipe` plus `FD_CLOEXEC`, a watchdog in place of the parent-death signal, and
//! memory from the kernel's per-process accounting (`proc_pid_rusage`).
//!
//! macOS has no parent-death signal. Each instance's group gets a watchdog, a `/bin/sh`
//! that waits on a pipe whose only write end fgs holds, and kills its own group (which is
//! the instance's) when the pipe closes: when fgs exits, however it exits, or when the last
//! [`Tree`](super::unix::Tree) of the instance is dropped. The Python and Node.js shims
//! also exit when their control channel closes.
//!
//! Memory is the *physical footprint* (`ri_phys_footprint`), not the resident size: it is
//! the figure the macOS kernel itself limits and Activity Monitor shows as "Memory",
//! counting compressed and swapped-out private memory that the resident size hides under
//! pressure, and leaving out shared library pages, as a Linux cgroup would. The kernel
//! also keeps its maximum since a reset (`ri_interval_max_phys_footprint`), so a peak
//! between two samples is not missed.

use std::io;
use std::os::fd::{FromRawFd, OwnedFd, RawFd};
use std::process::Stdio;

use super::unix::high;

/// A pipe whose ends are close-on-exec and numbered above 9. macOS has no `pipe2`: the
/// ends are made close-on-exec right after (`high` dups them with `F_DUPFD_CLOEXEC`), as
/// the standard library does; a process forked by another thread in between could
/// inherit the first copies only until its `exec`.
pub fn pipe_pair() -> io::Result<(OwnedFd, OwnedFd)> {
    let mut fds = [0 as RawFd; 2];
    // SAFETY: `fds` is a valid array of two ints for pipe to fill.
    if unsafe { libc::pipe(fds.as_mut_ptr()) } != 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: pipe succeeded, so both fds are open and owned by nobody else.
    let (r, w) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    Ok((high(r)?, high(w)?))
}

/// Nothing to set in the child: the watchdog comes after the spawn.
pub fn before_spawn(_command: &mut tokio::process::Command) {}

/// Start the group's watchdog; the returned fd is fgs's end of its pipe. `None` when it
/// could not start (the group already exited, or no `/bin/sh`): fgs still kills the group
/// on every exit path of its own.
pub fn after_spawn(pgid: i32) -> Option<OwnedFd> {
    let (r, w) = pipe_pair().ok()?;
    // `read` returns at end of file, when the last copy of `w` (fgs's) is closed; `kill
    // -KILL 0` then kills the watchdog's group: the instance's. tokio reaps it once the
    // dropped child ends.
    tokio::process::Command::new("/bin/sh")
        .args(["-c", "read _; kill -KILL 0"])
        .env_clear()
        .stdin(Stdio::from(r))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(pgid)
        .spawn()
        .ok()?;
    Some(w)
}

/// Whether any process of group `pgid` is still running.
#[cfg(test)]
pub fn group_alive(pgid: i32) -> bool {
    !group(pgid).is_empty()
}

/// The sum over the group of each process's peak physical footprint since the last
/// reading, in kB; each peak is reset after it is read. Where the reset is not available
/// (`proc_reset_footprint_interval` is found at run time), the interval is the process's
/// life, which overstates later calls' peaks but never understates one.
pub fn take_peak_kb(pgid: i32) -> u64 {
    let reset = reset_footprint_interval();
    group(pgid)
        .into_iter()
        .filter_map(|pid| {
            let usage = rusage(pid)?;
            if let Some(reset) = reset {
                // SAFETY: a C function taking a pid; it fails for a process that is gone.
                unsafe { reset(pid) };
            }
            Some(usage.ri_interval_max_phys_footprint / 1024)
        })
        .sum()
}

/// The group's physical footprint now, in kB.
pub fn current_kb(pgid: i32) -> u64 {
    group(pgid)
        .into_iter()
        .filter_map(|pid| rusage(pid).map(|u| u.ri_phys_footprint / 1024))
        .sum()
}

/// The pids of group `pgid`.
fn group(pgid: i32) -> Vec<i32> {
    let mut pids = vec![0 as libc::pid_t; 1024];
    let bytes = i32::try_from(pids.len() * size_of::<libc::pid_t>()).unwrap_or(i32::MAX);
    // SAFETY: `pids` is writable memory of `bytes` bytes; the call writes at most that.
    let written = unsafe { libc::proc_listpgrppids(pgid, pids.as_mut_ptr().cast(), bytes) };
    let count = usize::try_from(written).unwrap_or(0) / size_of::<libc::pid_t>();
    pids.truncate(count.min(pids.len()));
    pids.retain(|&p| p > 0);
    pids
}

fn rusage(pid: i32) -> Option<libc::rusage_info_v4> {
    // SAFETY: rusage_info_v4 is plain data; all zeroes is a valid value.
    let mut usage: libc::rusage_info_v4 = unsafe { std::mem::zeroed() };
    // SAFETY: `usage` is a rusage_info_v4, the struct the V4 flavour fills.
    let done = unsafe {
        libc::proc_pid_rusage(
            pid,
            libc::RUSAGE_INFO_V4,
            (&raw mut usage).cast::<libc::rusage_info_t>(),
        )
    };
    (done == 0).then_some(usage)
}

type ResetFn = unsafe extern "C" fn(libc::pid_t) -> libc::c_int;

/// libproc's `proc_reset_footprint_interval`, looked up at run time: it is in libSystem
/// but not in every SDK's headers.
fn reset_footprint_interval() -> Option<ResetFn> {
    static RESET: std::sync::OnceLock<Option<usize>> = std::sync::OnceLock::new();
    let address = RESET.get_or_init(|| {
        // SAFETY: dlsym with RTLD_DEFAULT and a NUL-terminated name only looks a symbol up.
        let symbol = unsafe {
            libc::dlsym(
                libc::RTLD_DEFAULT,
                c"proc_reset_footprint_interval".as_ptr(),
            )
        };
        (!symbol.is_null()).then_some(symbol as usize)
    });
    let address = (*address)?;
    // SAFETY: the symbol is libproc's `int proc_reset_footprint_interval(pid_t)`.
    Some(unsafe { std::mem::transmute::<usize, ResetFn>(address) })
}
