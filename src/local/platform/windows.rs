//! Windows: a Job object per instance, the output on one anonymous pipe, the control
//! channel on a loopback socket.
//!
//! - The tree is a Job object with `JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE`: killing it is
//!   `TerminateJobObject`, and when fgs's last handle on it closes (the instance is dropped,
//!   or fgs exits however it exits) Windows kills every process in it. The process starts
//!   suspended and runs only once it is in the job, so nothing it starts can escape.
//! - The control channel: the worker connects to a loopback port fgs listens on for it
//!   alone (`FGS_CONTROL=127.0.0.1:PORT/SECRET`, which the shims remove from their
//!   environment) and first sends the per-instance secret; fgs takes only the connection
//!   that sends it. Inherited pipe handles would need `STARTUPINFO` fields the standard
//!   library does not expose, and Node.js cannot open a raw handle as a stream.
//! - Memory is the job's committed memory, the figure a job's memory limit would enforce:
//!   `PeakJobMemoryUsed` (the whole tree's, which the kernel keeps between samples), and
//!   each process's `PrivateUsage` for the memory now. The job's peak cannot be reset, so a
//!   call that does not raise it reads the memory now (the instance also keeps the largest
//!   sample of the call).
//! - A `bootstrap` runs through `bash` (Git Bash, MSYS2, Cygwin) found on PATH.

use std::io::{self, Read as _};
use std::os::windows::io::{AsRawHandle as _, FromRawHandle as _, OwnedHandle};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use anyhow::Context as _;
use subtle::ConstantTimeEq as _;
use tokio::io::AsyncReadExt as _;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::sync::mpsc;
use windows_sys::Win32::Foundation::{CloseHandle, GetLastError, HANDLE, INVALID_HANDLE_VALUE};
use windows_sys::Win32::System::Diagnostics::ToolHelp::{
    CreateToolhelp32Snapshot, TH32CS_SNAPTHREAD, THREADENTRY32, Thread32First, Thread32Next,
};
use windows_sys::Win32::System::JobObjects::{
    AssignProcessToJobObject, CreateJobObjectW, JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE,
    JOBOBJECT_BASIC_PROCESS_ID_LIST, JOBOBJECT_EXTENDED_LIMIT_INFORMATION,
    JobObjectBasicProcessIdList, JobObjectExtendedLimitInformation, QueryInformationJobObject,
    SetInformationJobObject, TerminateJobObject,
};
use windows_sys::Win32::System::ProcessStatus::{
    K32GetProcessMemoryInfo, PROCESS_MEMORY_COUNTERS, PROCESS_MEMORY_COUNTERS_EX,
};
use windows_sys::Win32::System::Threading::{
    CREATE_NEW_PROCESS_GROUP, CREATE_SUSPENDED, OpenProcess, OpenThread,
    PROCESS_QUERY_LIMITED_INFORMATION, ResumeThread, THREAD_SUSPEND_RESUME,
};

use super::{Process, Spec, spawn_error};
use crate::local::error::{Classify, LocalError, setup_with_hint};

pub type ControlTx = OwnedWriteHalf;
pub type ControlRx = OwnedReadHalf;

/// The secret's length: 32 hex digits (a v4 UUID's 122 random bits).
const SECRET_LEN: usize = 32;

/// How long a connection may take to send the secret before fgs stops listening to it.
const SECRET_TIMEOUT: Duration = Duration::from_secs(10);

/// The loopback port a worker connects to, and the secret it must send first.
pub struct Channel {
    listener: tokio::net::TcpListener,
    secret: String,
}

impl Channel {
    /// Wait for the worker's connection (the instance races this against the process's
    /// exit and the start timeout).
    pub async fn open(self) -> io::Result<(ControlTx, ControlRx)> {
        loop {
            let (mut stream, peer) = self.listener.accept().await?;
            if !peer.ip().is_loopback() {
                continue;
            }
            let mut said = [0u8; SECRET_LEN + 1];
            let read = tokio::time::timeout(SECRET_TIMEOUT, stream.read_exact(&mut said)).await;
            let matches = bool::from(said[..SECRET_LEN].ct_eq(self.secret.as_bytes()))
                && said[SECRET_LEN] == b'\n';
            if matches!(read, Ok(Ok(_))) && matches {
                stream.set_nodelay(true)?;
                let (rx, tx) = stream.into_split();
                return Ok((tx, rx));
            }
        }
    }

    fn new() -> io::Result<Channel> {
        let listener = std::net::TcpListener::bind(("127.0.0.1", 0))?;
        listener.set_nonblocking(true)?;
        Ok(Channel {
            listener: tokio::net::TcpListener::from_std(listener)?,
            secret: uuid::Uuid::new_v4().simple().to_string(),
        })
    }

    /// `FGS_CONTROL` for the worker: `127.0.0.1:PORT/SECRET`.
    fn address(&self) -> io::Result<String> {
        Ok(format!("{}/{}", self.listener.local_addr()?, self.secret))
    }
}

/// Start `spec` in a Job object of its own. Must run inside a tokio runtime with I/O
/// enabled.
#[allow(clippy::needless_pass_by_value)] // a spec is built for one start
pub fn start(spec: Spec<'_>) -> Result<Process, LocalError> {
    let (out_r, out_w) = std::io::pipe()
        .context("creating the output pipe")
        .machine()?;
    let stdout = out_w
        .try_clone()
        .context("duplicating the output pipe")
        .machine()?;
    let mut command = spec.command(Stdio::from(stdout), Stdio::from(out_w));
    command
        // A group of its own: the console's Ctrl-C goes to fgs, which stops its instances.
        // Suspended: it runs once it is in its job.
        .creation_flags(CREATE_NEW_PROCESS_GROUP | CREATE_SUSPENDED);
    let control = if spec.control {
        let channel = Channel::new()
            .context("listening for the worker's control channel")
            .machine()?;
        command.env(
            "FGS_CONTROL",
            channel.address().context("the control channel").machine()?,
        );
        Some(channel)
    } else {
        None
    };
    let job = Job::new().context("creating a job object").machine()?;
    let mut child = command.spawn().map_err(|e| spawn_error(e, spec.program))?;
    drop(command);
    let pid = child
        .id()
        .ok_or_else(|| LocalError::machine("the process exited at once"))?;
    let placed = child
        .raw_handle()
        .ok_or_else(|| io::Error::other("the process has no handle"))
        .and_then(|handle| job.assign(handle))
        .and_then(|()| resume(pid));
    if let Err(e) = placed {
        let _ = child.start_kill();
        job.kill();
        return Err(anyhow::Error::new(e))
            .context("placing the process in its job object")
            .machine();
    }
    Ok(Process {
        child,
        tree: Tree {
            job: Arc::new(job),
            pid,
        },
        output: Output::new(out_r),
        control,
    })
}

/// A Job object; closing the handle kills every process in it.
struct Job {
    handle: OwnedHandle,
    /// The largest `PeakJobMemoryUsed` read so far, in bytes.
    peak: AtomicU64,
}

impl Job {
    fn new() -> io::Result<Job> {
        // SAFETY: no security attributes and no name: a new, unnamed, uninheritable job.
        let raw = unsafe { CreateJobObjectW(std::ptr::null(), std::ptr::null()) };
        if raw.is_null() {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: a new handle, owned by nobody else.
        let handle = unsafe { OwnedHandle::from_raw_handle(raw) };
        let mut limits = JOBOBJECT_EXTENDED_LIMIT_INFORMATION::default();
        limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
        // SAFETY: `limits` is the struct this information class takes, of the size given.
        let done = unsafe {
            SetInformationJobObject(
                handle.as_raw_handle(),
                JobObjectExtendedLimitInformation,
                (&raw const limits).cast(),
                size_u32::<JOBOBJECT_EXTENDED_LIMIT_INFORMATION>(),
            )
        };
        if done == 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(Job {
            handle,
            peak: AtomicU64::new(0),
        })
    }

    fn raw(&self) -> HANDLE {
        self.handle.as_raw_handle()
    }

    fn assign(&self, process: HANDLE) -> io::Result<()> {
        // SAFETY: both handles are open.
        if unsafe { AssignProcessToJobObject(self.raw(), process) } == 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }

    fn kill(&self) {
        // SAFETY: the handle is open; terminating an empty job does nothing.
        unsafe { TerminateJobObject(self.raw(), 1) };
    }

    /// `PeakJobMemoryUsed`, in bytes.
    fn peak_bytes(&self) -> u64 {
        let mut info = JOBOBJECT_EXTENDED_LIMIT_INFORMATION::default();
        // SAFETY: `info` is the struct this information class fills, of the size given.
        let done = unsafe {
            QueryInformationJobObject(
                self.raw(),
                JobObjectExtendedLimitInformation,
                (&raw mut info).cast(),
                size_u32::<JOBOBJECT_EXTENDED_LIMIT_INFORMATION>(),
                std::ptr::null_mut(),
            )
        };
        if done == 0 {
            return 0;
        }
        info.PeakJobMemoryUsed as u64
    }

    /// The pids of the processes in the job now.
    fn pids(&self) -> Vec<u32> {
        // JOBOBJECT_BASIC_PROCESS_ID_LIST: two counts, then the ids; usize-aligned.
        const MAX: usize = 1024;
        let head = std::mem::offset_of!(JOBOBJECT_BASIC_PROCESS_ID_LIST, ProcessIdList)
            / size_of::<usize>();
        let mut buffer = vec![0usize; head + MAX];
        let bytes = u32::try_from(buffer.len() * size_of::<usize>()).unwrap_or(u32::MAX);
        // SAFETY: `buffer` is writable, usize-aligned memory of `bytes` bytes.
        let done = unsafe {
            QueryInformationJobObject(
                self.raw(),
                JobObjectBasicProcessIdList,
                buffer.as_mut_ptr().cast(),
                bytes,
                std::ptr::null_mut(),
            )
        };
        if done == 0 {
            return Vec::new();
        }
        // SAFETY: the buffer starts with the list's header, filled in by the call.
        let listed = unsafe { &*buffer.as_ptr().cast::<JOBOBJECT_BASIC_PROCESS_ID_LIST>() }
            .NumberOfProcessIdsInList;
        let listed = usize::try_from(listed).unwrap_or(0).min(MAX);
        buffer[head..head + listed]
            .iter()
            .filter_map(|&pid| u32::try_from(pid).ok())
            .collect()
    }
}

/// Resume the threads of process `pid`, started suspended.
fn resume(pid: u32) -> io::Result<()> {
    // SAFETY: a snapshot of the system's threads; the handle is checked below.
    let raw = unsafe { CreateToolhelp32Snapshot(TH32CS_SNAPTHREAD, 0) };
    if raw == INVALID_HANDLE_VALUE {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: a new handle, owned by nobody else.
    let snapshot = unsafe { OwnedHandle::from_raw_handle(raw) };
    let mut entry = THREADENTRY32 {
        dwSize: size_u32::<THREADENTRY32>(),
        ..THREADENTRY32::default()
    };
    let mut resumed = false;
    // SAFETY: `entry` is a THREADENTRY32 with its size set, as Thread32First/Next need.
    let mut more = unsafe { Thread32First(snapshot.as_raw_handle(), &raw mut entry) } != 0;
    while more {
        if entry.th32OwnerProcessID == pid {
            // SAFETY: OpenThread returns a new handle or null.
            let thread = unsafe { OpenThread(THREAD_SUSPEND_RESUME, 0, entry.th32ThreadID) };
            if !thread.is_null() {
                // SAFETY: `thread` is open; it is closed right after.
                unsafe {
                    resumed |= ResumeThread(thread) != u32::MAX;
                    CloseHandle(thread);
                }
            }
        }
        // SAFETY: as for Thread32First.
        more = unsafe { Thread32Next(snapshot.as_raw_handle(), &raw mut entry) } != 0;
    }
    if resumed {
        Ok(())
    } else {
        Err(io::Error::other(format!(
            "no thread of process {pid} to resume (error {})",
            // SAFETY: reads the calling thread's last error.
            unsafe { GetLastError() }
        )))
    }
}

fn size_u32<T>() -> u32 {
    u32::try_from(size_of::<T>()).unwrap_or(u32::MAX)
}

/// An instance's Job object.
#[derive(Clone)]
pub struct Tree {
    job: Arc<Job>,
    /// The first process's id.
    pid: u32,
}

impl Tree {
    /// The first process's pid: the tree's name in messages and sets.
    pub fn id(&self) -> u32 {
        self.pid
    }

    /// Terminate every process in the job.
    pub fn kill(&self) {
        self.job.kill();
    }

    /// The job's peak committed memory when this call raised it, else its memory now, kB.
    pub fn take_peak_kb(&self) -> u64 {
        let peak = self.job.peak_bytes();
        let before = self.job.peak.fetch_max(peak, Ordering::AcqRel);
        if peak > before {
            peak / 1024
        } else {
            self.current_kb()
        }
    }

    /// The sum of the job's processes' committed memory (`PrivateUsage`) now, in kB.
    pub fn current_kb(&self) -> u64 {
        self.job
            .pids()
            .into_iter()
            .filter_map(private_bytes)
            .sum::<u64>()
            / 1024
    }
}

fn private_bytes(pid: u32) -> Option<u64> {
    // SAFETY: OpenProcess returns a new handle or null.
    let raw = unsafe { OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, 0, pid) };
    if raw.is_null() {
        return None;
    }
    // SAFETY: a new handle, owned by nobody else.
    let process = unsafe { OwnedHandle::from_raw_handle(raw) };
    let mut counters = PROCESS_MEMORY_COUNTERS_EX {
        cb: size_u32::<PROCESS_MEMORY_COUNTERS_EX>(),
        ..PROCESS_MEMORY_COUNTERS_EX::default()
    };
    // SAFETY: `counters` is a PROCESS_MEMORY_COUNTERS_EX with `cb` set to its size.
    let done = unsafe {
        K32GetProcessMemoryInfo(
            process.as_raw_handle(),
            (&raw mut counters).cast::<PROCESS_MEMORY_COUNTERS>(),
            counters.cb,
        )
    };
    (done != 0).then_some(counters.PrivateUsage as u64)
}

/// Terminate process `id` (tests: a process learnt from a function's output).
#[cfg(test)]
pub fn kill_id(id: u32) {
    use windows_sys::Win32::System::Threading::{PROCESS_TERMINATE, TerminateProcess};
    // SAFETY: OpenProcess returns a new handle or null; it is closed right after.
    unsafe {
        let process = OpenProcess(PROCESS_TERMINATE, 0, id);
        if !process.is_null() {
            TerminateProcess(process, 1);
            CloseHandle(process);
        }
    }
}

/// Whether process `id` is still running.
#[cfg(test)]
pub fn tree_alive(id: u32) -> bool {
    use windows_sys::Win32::Foundation::STILL_ACTIVE;
    use windows_sys::Win32::System::Threading::GetExitCodeProcess;
    // SAFETY: OpenProcess returns a new handle or null; it is closed right after.
    unsafe {
        let process = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, 0, id);
        if process.is_null() {
            return false;
        }
        let mut code = 0u32;
        let ok = GetExitCodeProcess(process, &raw mut code) != 0;
        CloseHandle(process);
        ok && code == STILL_ACTIVE.cast_unsigned()
    }
}

/// The instance's stdout+stderr pipe, read by a thread of its own (an anonymous pipe
/// cannot be waited on asynchronously).
pub struct Output {
    rx: mpsc::Receiver<Vec<u8>>,
}

impl Output {
    fn new(mut pipe: std::io::PipeReader) -> Output {
        let (tx, rx) = mpsc::channel(64);
        let _ = std::thread::Builder::new()
            .name("fgs-output".into())
            .spawn(move || {
                let mut chunk = vec![0; 64 * 1024];
                loop {
                    match pipe.read(&mut chunk) {
                        Ok(0) => break,
                        Ok(n) => {
                            if tx.blocking_send(chunk[..n].to_vec()).is_err() {
                                break;
                            }
                        }
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                        // A broken pipe is the end of the output.
                        Err(_) => break,
                    }
                }
            });
        Output { rx }
    }

    /// Wait for output and append it to `buf`; 0 at end of file.
    pub async fn read(&mut self, buf: &mut Vec<u8>) -> io::Result<usize> {
        Ok(match self.rx.recv().await {
            Some(chunk) => {
                buf.extend_from_slice(&chunk);
                chunk.len()
            }
            None => 0,
        })
    }

    /// Append what the reading thread has; `true` at end of file.
    pub fn read_ready(&mut self, buf: &mut Vec<u8>) -> bool {
        loop {
            match self.rx.try_recv() {
                Ok(chunk) => buf.extend_from_slice(&chunk),
                Err(mpsc::error::TryRecvError::Empty) => return false,
                Err(mpsc::error::TryRecvError::Disconnected) => return true,
            }
        }
    }
}

/// A file Windows will run (`.exe`, `.com`, `.bat`, `.cmd`), or a script with a `#!` line,
/// which runs through `bash` as it would run by itself on Unix.
pub fn is_executable(path: &Path) -> bool {
    if !path.is_file() {
        return false;
    }
    let runnable = path.extension().is_some_and(|e| {
        ["exe", "com", "bat", "cmd"]
            .iter()
            .any(|x| e.eq_ignore_ascii_case(x))
    });
    runnable || {
        let mut head = [0u8; 2];
        std::fs::File::open(path)
            .and_then(|mut f| f.read_exact(&mut head))
            .is_ok_and(|()| &head == b"#!")
    }
}

/// Tests write `bootstrap` files with a `#!` line: nothing to do on Windows.
#[cfg(test)]
pub fn make_executable(_path: &Path) {}

/// Create a directory (in the user's profile, which only the user may read).
pub fn create_private_dir(path: &Path) -> io::Result<()> {
    std::fs::create_dir(path)
}

/// How to run the shell script `script`: through `bash` on PATH. The `bash.exe` in the
/// system directory is WSL's, which runs Linux programs, not this machine's: it is skipped.
pub fn script_command(script: &Path, _direct: bool) -> Result<(PathBuf, Vec<String>), LocalError> {
    let system = std::env::var_os("SystemRoot").map(|root| PathBuf::from(root).join("System32"));
    let bash = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .filter(|dir| {
                system
                    .as_ref()
                    .is_none_or(|system| !dir.as_os_str().eq_ignore_ascii_case(system.as_os_str()))
            })
            .map(|dir| dir.join("bash.exe"))
            .find(|candidate| candidate.is_file())
    });
    match bash {
        Some(bash) => Ok((bash, vec![shell_path(script)])),
        None => Err(setup_with_hint(
            format!(
                "{} is a shell script, and no bash was found on PATH to run it",
                script.display()
            ),
            "install Git for Windows (its Git Bash) or MSYS2, and put its bash on PATH",
        )),
    }
}

/// A function directory's absolute path, links resolved, as the user writes it: `C:\x\y`,
/// not the `\\?\C:\x\y` that `canonicalize` gives, which the function would see as its code
/// root and its working directory. UNC and other verbatim paths are kept as they are.
pub fn canonical_dir(path: &Path) -> io::Result<PathBuf> {
    let path = std::fs::canonicalize(path)?;
    let drive = path
        .to_str()
        .and_then(|text| text.strip_prefix(r"\\?\"))
        .filter(|rest| rest.as_bytes().get(1) == Some(&b':'))
        .map(PathBuf::from);
    Ok(drive.unwrap_or(path))
}

/// A path as a `bash` script names it: `C:/x/y`, which bash takes as it is.
pub fn shell_path(path: &Path) -> String {
    path.display().to_string().replace('\\', "/")
}

/// The file names `command` (`python3`, `node`) has on PATH.
pub fn program_names(command: &str) -> Vec<String> {
    match command {
        "python3" => vec!["python.exe".into(), "python3.exe".into()],
        other => vec![format!("{other}.exe")],
    }
}

/// The Python 3 that the `py` launcher runs (`py -3`), when no `python.exe` is on PATH.
pub fn python_launcher() -> Option<PathBuf> {
    let output = std::process::Command::new("py")
        .args(["-3", "-c", "import sys; print(sys.executable)"])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    let path = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
    (output.status.success() && path.is_file()).then_some(path)
}

/// Variables a Windows program needs (Python and Node.js fail without `SYSTEMROOT`).
pub const EXTRA_INHERITED: &[&str] = &[
    "SYSTEMROOT",
    "SYSTEMDRIVE",
    "WINDIR",
    "COMSPEC",
    "PATHEXT",
    "TEMP",
    "TMP",
    "USERPROFILE",
    "USERNAME",
    "USERDOMAIN",
    "HOMEDRIVE",
    "HOMEPATH",
    "APPDATA",
    "LOCALAPPDATA",
    "PROGRAMDATA",
    "PROGRAMFILES",
    "PROGRAMFILES(X86)",
    "COMMONPROGRAMFILES",
    "NUMBER_OF_PROCESSORS",
    "PROCESSOR_ARCHITECTURE",
    "OS",
];

/// Whether two variable names are the same variable (Windows ignores case: `Path` is PATH).
pub fn same_var_name(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}
