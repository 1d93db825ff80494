//! A raw-socket server that misbehaves on purpose, and what fgs makes of it: the README's
//! exit code, nothing on stdout, a short clean stderr, and time and memory bounds loose
//! enough never to be flaky (fgs's own peak RSS, from `wait4` in a small parent process).
//!
//! Every server here listens on 127.0.0.1, serves each connection on a thread of its own
//! with bounded loops, and is stopped and joined when the test ends, passed or failed.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::os::fd::AsRawFd;
use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::common::*;

const MIB: usize = 1024 * 1024;

/// What a misbehaving server does with one connection.
type Behaviour = dyn Fn(Conn) + Send + Sync;

/// One accepted connection, as a [`Behaviour`] sees it.
struct Conn {
    stream: TcpStream,
    stop: Arc<AtomicBool>,
}

impl Conn {
    /// Read the request: its head, then as many body bytes as its `Content-Length` says.
    /// False when the client went away first (or after 5 s).
    fn read_request(&mut self) -> bool {
        let _ = self.stream.set_read_timeout(Some(Duration::from_secs(5)));
        let mut seen = Vec::new();
        let mut byte = [0u8; 1];
        while !seen.ends_with(b"\r\n\r\n") {
            match self.stream.read(&mut byte) {
                Ok(1) if seen.len() < 64 * 1024 => seen.push(byte[0]),
                _ => return false,
            }
        }
        let head = String::from_utf8_lossy(&seen).to_ascii_lowercase();
        let length = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse::<usize>().ok())
            .unwrap_or(0);
        let mut body = vec![0; length.min(8 * MIB)];
        self.stream.read_exact(&mut body).is_ok()
    }

    /// Write it all; false once the client has gone.
    fn send(&mut self, bytes: &[u8]) -> bool {
        self.stream.write_all(bytes).is_ok() && self.stream.flush().is_ok()
    }

    /// Keep the connection open, saying nothing, until the client closes it, the server
    /// stops, or `limit` passes.
    fn hold(&mut self, limit: Duration) {
        let start = Instant::now();
        let _ = self
            .stream
            .set_read_timeout(Some(Duration::from_millis(20)));
        let mut buffer = [0u8; 4096];
        while !self.stop.load(Ordering::Relaxed) && start.elapsed() < limit {
            match self.stream.read(&mut buffer) {
                Ok(0) => return,
                Ok(_) => {}
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) => {}
                Err(_) => return,
            }
        }
    }

    /// `total` bytes of body, `piece` after `piece`, until all is sent, the client goes, or
    /// the server stops.
    fn stream_body(&mut self, total: usize, piece: &[u8]) {
        let mut sent = 0;
        while sent < total && !self.stop.load(Ordering::Relaxed) {
            let n = piece.len().min(total - sent);
            if !self.send(&piece[..n]) {
                return;
            }
            sent += n;
        }
    }

    /// Reset the connection: with `SO_LINGER` 0, closing sends an RST instead of a FIN.
    fn reset(self) {
        let linger = libc::linger {
            l_onoff: 1,
            l_linger: 0,
        };
        // SAFETY: a valid socket descriptor, owned by `self.stream` until it is dropped
        // below, and a `linger` of the size passed.
        let set = unsafe {
            libc::setsockopt(
                self.stream.as_raw_fd(),
                libc::SOL_SOCKET,
                libc::SO_LINGER,
                std::ptr::from_ref(&linger).cast(),
                libc::socklen_t::try_from(std::mem::size_of::<libc::linger>())
                    .expect("a small size"),
            )
        };
        assert_eq!(set, 0, "setting SO_LINGER");
        drop(self.stream);
    }
}

/// A server on 127.0.0.1 that does `behaviour` with every connection it accepts.
struct FaultServer {
    address: SocketAddr,
    stop: Arc<AtomicBool>,
    accepted: Arc<AtomicUsize>,
    acceptor: Option<JoinHandle<()>>,
}

impl FaultServer {
    fn start(behaviour: impl Fn(Conn) + Send + Sync + 'static) -> FaultServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("binding a port");
        listener
            .set_nonblocking(true)
            .expect("a non-blocking listener");
        let address = listener.local_addr().expect("an address");
        let stop = Arc::new(AtomicBool::new(false));
        let accepted = Arc::new(AtomicUsize::new(0));
        let behaviour: Arc<Behaviour> = Arc::new(behaviour);
        let acceptor = {
            let (stop, accepted) = (Arc::clone(&stop), Arc::clone(&accepted));
            std::thread::spawn(move || {
                let workers = Mutex::new(Vec::new());
                while !stop.load(Ordering::Relaxed) {
                    match listener.accept() {
                        Ok((stream, _)) => {
                            let _ = stream.set_nonblocking(false);
                            accepted.fetch_add(1, Ordering::SeqCst);
                            let conn = Conn {
                                stream,
                                stop: Arc::clone(&stop),
                            };
                            let behaviour = Arc::clone(&behaviour);
                            let worker = std::thread::spawn(move || behaviour(conn));
                            workers.lock().expect("the workers").push(worker);
                        }
                        Err(_) => std::thread::sleep(Duration::from_millis(5)),
                    }
                }
                for worker in workers.into_inner().expect("the workers") {
                    let _ = worker.join();
                }
            })
        };
        FaultServer {
            address,
            stop,
            accepted,
            acceptor: Some(acceptor),
        }
    }

    /// A server that reads the request, writes `answer`, then closes the connection.
    fn answering(answer: Vec<u8>) -> FaultServer {
        FaultServer::start(move |mut conn| {
            if conn.read_request() {
                conn.send(&answer);
                let _ = conn.stream.shutdown(Shutdown::Write);
                conn.hold(Duration::from_secs(5));
            }
        })
    }

    fn http(&self) -> String {
        format!("http://{}", self.address)
    }

    fn connections(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }

    /// The connections accepted, once there are `n` of them or 5 s have passed: a client
    /// may be gone before its connection is taken from the queue.
    fn connections_reaching(&self, n: usize) -> usize {
        let start = Instant::now();
        while self.connections() < n && start.elapsed() < Duration::from_secs(5) {
            std::thread::sleep(Duration::from_millis(10));
        }
        std::thread::sleep(Duration::from_millis(50));
        self.connections()
    }
}

impl Drop for FaultServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
    }
}

/// A finished fgs run, with what it cost.
struct Measured {
    code: i32,
    /// The first MiB of stdout, and how many bytes there were in all.
    stdout: Vec<u8>,
    stdout_bytes: usize,
    stderr: String,
    stderr_bytes: usize,
    elapsed: Duration,
    /// fgs's peak resident set in KiB, when measured ([`invoke_rss`]).
    peak_rss_kib: Option<u64>,
}

/// Read a pipe to its end on a thread, keeping the first MiB and counting the rest.
fn drain(mut pipe: impl Read + Send + 'static) -> JoinHandle<(Vec<u8>, usize)> {
    std::thread::spawn(move || {
        let mut kept = Vec::new();
        let mut total = 0;
        let mut buffer = vec![0u8; 64 * 1024];
        while let Ok(n) = pipe.read(&mut buffer) {
            if n == 0 {
                break;
            }
            total += n;
            let room = MIB.saturating_sub(kept.len());
            kept.extend_from_slice(&buffer[..n.min(room)]);
        }
        (kept, total)
    })
}

/// `fgs invoke URN --token TOKEN --endpoint ENDPOINT ARGS...`, killed (and the test failed)
/// if it takes longer than `limit`.
fn invoke(endpoint: &str, args: &[&str], limit: Duration) -> Measured {
    run_fgs(&invoke_args_for(endpoint, args), false, limit)
}

/// [`invoke`], and fgs's peak RSS.
fn invoke_rss(endpoint: &str, args: &[&str], limit: Duration) -> Measured {
    run_fgs(&invoke_args_for(endpoint, args), true, limit)
}

fn invoke_args_for(endpoint: &str, args: &[&str]) -> Vec<String> {
    ["invoke", URN, "--token", TOKEN, "--endpoint", endpoint]
        .iter()
        .chain(args)
        .map(ToString::to_string)
        .collect()
}

/// Starts the program in its argv[2:], waits for it with `wait4` and writes its peak RSS
/// (KiB) to argv[1]; exits as it did. Linux counts into a process's peak the peak of the
/// process it was started from (recorded at `exec`), so fgs is started from this small
/// parent rather than from the test process, which may hold much more.
const PEAK_RSS: &str = r#"
import os, signal, sys
pid = os.posix_spawn(sys.argv[2], sys.argv[2:], os.environ, setsigdef=[signal.SIGPIPE])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as f:
    f.write(str(usage.ru_maxrss))
code = os.waitstatus_to_exitcode(status)
sys.exit(code if code >= 0 else 128 - code)
"#;

/// Run fgs with `args` in its own process group, reading both pipes; with `rss`, from
/// [`PEAK_RSS`], so that its own peak RSS is known.
fn run_fgs(args: &[String], rss: bool, limit: Duration) -> Measured {
    use std::os::unix::process::CommandExt;
    let (mut cmd, home) = if rss {
        scrubbed(std::path::Path::new("python3"))
    } else {
        fgs_process()
    };
    let report = home.path().join("peak-rss.txt");
    if rss {
        cmd.args(["-c", PEAK_RSS]).arg(&report).arg(BIN);
    }
    let start = Instant::now();
    #[allow(clippy::zombie_processes)] // reaped by `reap`, with wait4
    let mut child = cmd
        .args(args)
        .process_group(0)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawning fgs");
    let stdout = drain(child.stdout.take().expect("a stdout pipe"));
    let stderr = drain(child.stderr.take().expect("a stderr pipe"));
    let (status, timed_out) = reap(&child, limit);
    let elapsed = start.elapsed();
    let (stdout, stdout_bytes) = stdout.join().expect("reading stdout");
    let (stderr, stderr_bytes) = stderr.join().expect("reading stderr");
    let stderr = String::from_utf8_lossy(&stderr).into_owned();
    assert!(
        !timed_out,
        "fgs still ran after {limit:?}; stderr: {stderr}"
    );
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        128 + libc::WTERMSIG(status)
    };
    let peak_rss_kib = rss.then(|| {
        let text = std::fs::read_to_string(&report).expect("the peak RSS report");
        text.trim().parse().expect("a number of KiB")
    });
    Measured {
        code,
        stdout,
        stdout_bytes,
        stderr,
        stderr_bytes,
        elapsed,
        peak_rss_kib,
    }
}

/// Wait for `child` (the leader of its own process group) with `wait4`; once `limit` has
/// passed, kill its group. The second value says whether it had to be killed.
fn reap(child: &Child, limit: Duration) -> (i32, bool) {
    let pid = libc::pid_t::try_from(child.id()).expect("a pid");
    let start = Instant::now();
    let mut killed = false;
    loop {
        let mut status = 0;
        // SAFETY: rusage is plain data, for which all zeroes is a valid value.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        let flags = if killed { 0 } else { libc::WNOHANG };
        // SAFETY: our own child's pid, and pointers to live locals.
        let reaped = unsafe { libc::wait4(pid, &raw mut status, flags, &raw mut usage) };
        if reaped == pid {
            return (status, killed);
        }
        let interrupted = std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted;
        assert!(reaped >= 0 || interrupted, "wait4 failed");
        if !killed && start.elapsed() > limit {
            // SAFETY: signalling the process group this test started, and nothing else.
            unsafe { libc::kill(-pid, libc::SIGKILL) };
            killed = true;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

impl Measured {
    /// The README's exit code, nothing on stdout, a short stderr.
    fn failed(&self, code: i32) -> &Self {
        assert_eq!(self.code, code, "exit code; stderr: {}", self.stderr);
        assert_eq!(
            self.stdout_bytes,
            0,
            "stdout: {:?}",
            String::from_utf8_lossy(&self.stdout[..self.stdout.len().min(200)])
        );
        assert!(
            self.stderr.starts_with("error: "),
            "stderr: {}",
            self.stderr
        );
        self.bounded()
    }

    /// stderr is short, in short lines; true whether or not server text on it is sanitised.
    fn bounded(&self) -> &Self {
        assert!(
            self.stderr_bytes < 4096,
            "{} bytes on stderr",
            self.stderr_bytes
        );
        for line in self.stderr.lines() {
            assert!(
                line.chars().count() < 300,
                "a line of {} characters: {line}",
                line.chars().count()
            );
        }
        self
    }

    /// stderr holds no control character but the newline (for cases where all of it is
    /// fgs's own text).
    fn clean(&self) -> &Self {
        let control = self.stderr.chars().find(|c| c.is_control() && *c != '\n');
        assert_eq!(
            control, None,
            "a control character on stderr: {:?}",
            self.stderr
        );
        self
    }

    fn within(&self, limit: Duration) -> &Self {
        assert!(
            self.elapsed < limit,
            "took {:?} (limit {limit:?}); stderr: {}",
            self.elapsed,
            self.stderr
        );
        self
    }

    fn rss_below_mib(&self, mib: u64) -> &Self {
        let peak = self.peak_rss_kib.expect("measured with invoke_rss");
        assert!(peak < mib * 1024, "peak RSS {peak} KiB, limit {mib} MiB");
        self
    }

    fn says(&self, text: &str) -> &Self {
        assert!(
            self.stderr.contains(text),
            "{text:?} not in: {}",
            self.stderr
        );
        self
    }
}

/// The usual v1 answer, whole, with a `Content-Length`.
fn envelope_answer(result: &str) -> Vec<u8> {
    let body = format!(
        "{{\"request_id\":\"req-1\",\"result\":{},\"log\":\"\",\"status\":200}}",
        json_string(result)
    );
    http_response(
        "200 OK",
        &[
            ("Content-Type", "application/json"),
            ("X-Cff-Request-Id", "req-1"),
        ],
        &body,
    )
    .into_bytes()
}

const QUICK: Duration = Duration::from_secs(10);

#[test]
fn connection_refused_is_exit_6() {
    let run = invoke(&refused_endpoint(), &[], QUICK);
    run.failed(6)
        .clean()
        .within(QUICK)
        .says("error: could not reach the service\n");
}

#[test]
fn a_close_before_any_byte_is_exit_5_and_not_retried() {
    let server = FaultServer::start(|mut conn| {
        conn.read_request();
    });
    let run = invoke(&server.http(), &["--retries", "3"], QUICK);
    run.failed(5)
        .clean()
        .within(QUICK)
        .says("error: the answer could not be read\n");
    assert_eq!(
        server.connections_reaching(1),
        1,
        "an empty reply is never retried"
    );
}

/// Write `bytes` after the request, then reset the connection.
fn reset_after(mut conn: Conn, bytes: &[u8]) {
    if conn.read_request() && conn.send(bytes) {
        std::thread::sleep(Duration::from_millis(50));
        conn.reset();
    }
}

#[test]
fn a_reset_in_the_headers_is_exit_5() {
    let server =
        FaultServer::start(|conn| reset_after(conn, b"HTTP/1.1 200 OK\r\nContent-Type: appl"));
    let run = invoke(&server.http(), &[], QUICK);
    run.failed(5)
        .clean()
        .within(QUICK)
        .says("error: the answer could not be read\n");
}

#[test]
fn a_reset_in_the_body_is_exit_5_with_the_request_id() {
    let server = FaultServer::start(|conn| {
        reset_after(
            conn,
            b"HTTP/1.1 200 OK\r\nX-Cff-Request-Id: rid-reset\r\nContent-Length: 1000\r\n\r\n{\"result\":\"",
        );
    });
    let run = invoke(&server.http(), &[], QUICK);
    run.failed(5)
        .clean()
        .within(QUICK)
        .says("error: the answer could not be read\n")
        .says("rid-reset");
}

#[test]
fn a_short_content_length_is_exit_5() {
    let server = FaultServer::answering(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"result\":\"x\"}"
            .to_vec(),
    );
    let run = invoke(&server.http(), &[], QUICK);
    run.failed(5)
        .clean()
        .within(QUICK)
        .says("error: the answer could not be read\n");
}

#[test]
fn malformed_chunks_are_exit_5() {
    for chunks in [
        &b"zz\r\nhello\r\n0\r\n\r\n"[..],          // a size that is not hex
        &b"5\r\nhelloXX3\r\nabc\r\n0\r\n\r\n"[..], // no CRLF after the data
        &b"ffffffffffffffffffff\r\nx"[..],         // a size that overflows
        &b"4\r\nabc"[..],                          // the connection ends inside a chunk
    ] {
        let mut answer = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
        answer.extend_from_slice(chunks);
        let server = FaultServer::answering(answer);
        let run = invoke(&server.http(), &[], QUICK);
        run.failed(5)
            .clean()
            .within(QUICK)
            .says("error: the answer could not be read\n");
    }
}

#[test]
fn garbage_instead_of_a_status_line_is_exit_5() {
    for garbage in [
        &b"SSH-2.0-OpenSSH_9.6\r\n"[..],
        &b"\x1b[2J\x1b]0;owned\x07\x00\xff\xfe garbage\r\n\r\n"[..],
        &b"HTTP/1.1 2000 OK\r\n\r\n"[..],
        &b"\r\n\r\n\r\n"[..],
    ] {
        let server = FaultServer::answering(garbage.to_vec());
        let run = invoke(&server.http(), &[], QUICK);
        run.failed(5)
            .clean()
            .within(QUICK)
            .says("error: the answer could not be read\n");
    }
}

#[test]
fn an_informational_answer_before_the_answer_is_skipped() {
    for informational in [
        &b"HTTP/1.1 100 Continue\r\n\r\n"[..],
        &b"HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"[..],
    ] {
        let mut answer = informational.to_vec();
        answer.extend_from_slice(&envelope_answer("after the 1xx"));
        let server = FaultServer::answering(answer);
        let run = invoke(&server.http(), &[], QUICK);
        assert_eq!(run.code, 0, "stderr: {}", run.stderr);
        assert_eq!(run.stdout, b"after the 1xx\n");
        run.bounded().clean().within(QUICK).says("ok · HTTP 200");
    }
}

#[test]
fn headers_that_never_finish_are_exit_7_at_the_timeout() {
    let server = FaultServer::start(|mut conn| {
        if conn.read_request() && conn.send(b"HTTP/1.1 200 OK\r\nX-Cff-Request-Id: r") {
            conn.hold(Duration::from_secs(10));
        }
    });
    let run = invoke(&server.http(), &["--timeout", "1", "--retries", "2"], QUICK);
    run.failed(7)
        .clean()
        .within(Duration::from_secs(5))
        .says("error: no answer within 1 s\n");
    assert!(
        run.elapsed >= Duration::from_millis(900),
        "{:?}",
        run.elapsed
    );
    assert_eq!(
        server.connections_reaching(1),
        1,
        "a timeout is never retried"
    );
}

#[test]
fn a_body_that_dribbles_past_the_timeout_is_exit_7_with_the_request_id() {
    let server = FaultServer::start(|mut conn| {
        if !conn.read_request()
            || !conn.send(
                b"HTTP/1.1 200 OK\r\nX-Cff-Request-Id: rid-dribble\r\nContent-Length: 1000\r\n\r\n",
            )
        {
            return;
        }
        // A byte every 50 ms: always some progress, never the whole body in time.
        for _ in 0..200 {
            if conn.stop.load(Ordering::Relaxed) || !conn.send(b" ") {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    });
    let run = invoke(&server.http(), &["--timeout", "1"], QUICK);
    run.failed(7)
        .clean()
        .within(Duration::from_secs(5))
        .says("error: no answer within 1 s\n")
        .says("request id: rid-dribble");
    assert!(
        run.elapsed >= Duration::from_millis(900),
        "{:?}",
        run.elapsed
    );
}

/// A server that accepts and then says nothing: over `https://`, the TLS handshake (part of
/// connecting) never completes.
fn silent_server() -> FaultServer {
    FaultServer::start(|mut conn| conn.hold(Duration::from_secs(10)))
}

#[test]
fn a_deadline_while_still_connecting_is_exit_6_not_7() {
    let server = silent_server();
    let endpoint = format!("https://{}", server.address);
    // --timeout below --connect-timeout: the overall deadline fires first, mid-handshake.
    let run = invoke(
        &endpoint,
        &["--timeout", "0.5", "--connect-timeout", "10"],
        QUICK,
    );
    run.failed(6)
        .clean()
        .within(Duration::from_secs(5))
        .says("error: could not reach the service\n")
        .says("no connection within 0.5 s");
    assert!(
        !run.stderr.contains("may still be running"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_deadline_while_still_connecting_is_retried() {
    let server = silent_server();
    let endpoint = format!("https://{}", server.address);
    let run = invoke(&endpoint, &["--timeout", "0.3", "--retries", "2"], QUICK);
    run.failed(6).clean().within(QUICK);
    assert_eq!(server.connections_reaching(3), 3, "{}", run.stderr);
}

#[test]
fn the_connect_timeout_is_exit_6_too() {
    let server = silent_server();
    let endpoint = format!("https://{}", server.address);
    let run = invoke(
        &endpoint,
        &["--timeout", "10", "--connect-timeout", "0.3"],
        QUICK,
    );
    run.failed(6)
        .clean()
        .within(Duration::from_secs(5))
        .says("error: could not reach the service\n");
}

/// `total` bytes of a 2xx answer, with a `Content-Length` or chunked.
fn huge_answer(mut conn: Conn, total: usize, chunked: bool) {
    if !conn.read_request() {
        return;
    }
    let piece = vec![b'x'; 64 * 1024];
    if !chunked {
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Cff-Request-Id: rid-huge\r\nContent-Length: {total}\r\n\r\n"
        );
        if conn.send(head.as_bytes()) {
            conn.stream_body(total, &piece);
        }
        return;
    }
    let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Cff-Request-Id: rid-huge\r\nTransfer-Encoding: chunked\r\n\r\n";
    let mut chunk = format!("{:x}\r\n", piece.len()).into_bytes();
    chunk.extend_from_slice(&piece);
    chunk.extend_from_slice(b"\r\n");
    if !conn.send(head.as_bytes()) {
        return;
    }
    for _ in 0..total / piece.len() {
        if conn.stop.load(Ordering::Relaxed) || !conn.send(&chunk) {
            return;
        }
    }
    conn.send(b"0\r\n\r\n");
}

#[test]
fn a_huge_answer_fails_at_the_cap_with_bounded_memory() {
    for chunked in [false, true] {
        let server = FaultServer::start(move |conn| huge_answer(conn, 64 * MIB, chunked));
        let run = invoke_rss(&server.http(), &[], Duration::from_secs(30));
        run.failed(5)
            .clean()
            .within(Duration::from_secs(10))
            .says("error: answer larger than 16 MiB\n")
            .says("request id: rid-huge")
            // The cap is 16 MiB; 64 MiB held once, let alone twice, is well above this.
            .rss_below_mib(60);
    }
}

#[test]
fn an_answer_just_under_the_cap_is_read_whole() {
    let result = "y".repeat(16 * MIB - 100);
    let server = FaultServer::answering(envelope_answer(&result));
    let run = invoke(&server.http(), &["-o", "raw"], Duration::from_secs(30));
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    assert_eq!(run.stdout_bytes, result.len() + 1);
    run.bounded().clean();
}

/// A large answer that is printed is held once, then once more for the result the v1
/// envelope unescapes, never three or four times.
#[test]
fn a_large_printed_answer_is_held_at_most_twice() {
    // Not an envelope: the body is the result, moved through to stdout.
    let server = FaultServer::start(|conn| huge_answer(conn, 12 * MIB, false));
    let run = invoke_rss(&server.http(), &["-o", "raw"], Duration::from_secs(30));
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    assert_eq!(run.stdout_bytes, 12 * MIB + 1);
    run.rss_below_mib(2 * 12 + 8);
    // The envelope: its escaped body, then the result it holds.
    let result = "y".repeat(12 * MIB);
    let server = FaultServer::answering(envelope_answer(&result));
    let run = invoke_rss(&server.http(), &["-o", "raw"], Duration::from_secs(30));
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    run.rss_below_mib(2 * 12 + 20);
}

#[test]
fn a_huge_error_answer_is_read_only_for_its_title() {
    let server = FaultServer::start(|mut conn| {
        if !conn.read_request() {
            return;
        }
        let total = 32 * MIB;
        let page = "<html><head><title>502 Bad Gateway</title></head><body>";
        let head = format!(
            "HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\nContent-Length: {total}\r\n\r\n{page}"
        );
        if conn.send(head.as_bytes()) {
            conn.stream_body(total - page.len(), &vec![b'z'; 64 * 1024]);
        }
    });
    let run = invoke_rss(&server.http(), &[], Duration::from_secs(30));
    run.failed(5)
        .within(Duration::from_secs(10))
        .says("error: the service failed: 502 Bad Gateway\n")
        // 64 KiB of it are read; 32 MiB held even once would be above this.
        .rss_below_mib(30);
}

#[test]
fn a_huge_json_error_answer_is_cut_and_still_exit_4() {
    let server = FaultServer::start(|mut conn| {
        if !conn.read_request() {
            return;
        }
        let total = 32 * MIB;
        let head = format!(
            "HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\nX-Request-Id: rid-big-429\r\nContent-Length: {total}\r\n\r\n{{\"error_code\":\"FSS.0429\",\"error_msg\":\""
        );
        if conn.send(head.as_bytes()) {
            conn.stream_body(total, &vec![b'm'; 64 * 1024]);
        }
    });
    let run = invoke_rss(&server.http(), &[], Duration::from_secs(30));
    run.failed(4)
        .within(Duration::from_secs(10))
        .says("HTTP 429")
        .says("request id: rid-big-429")
        .rss_below_mib(30);
}

#[test]
fn ten_thousand_headers_are_exit_5() {
    let mut answer = b"HTTP/1.1 200 OK\r\n".to_vec();
    for i in 0..10_000 {
        answer.extend_from_slice(format!("X-Header-{i}: value-{i}\r\n").as_bytes());
    }
    answer.extend_from_slice(b"Content-Length: 2\r\n\r\n{}");
    let server = FaultServer::answering(answer);
    let run = invoke_rss(&server.http(), &[], QUICK);
    run.failed(5)
        .clean()
        .within(QUICK)
        .says("error: the answer could not be read\n")
        .rss_below_mib(60);
}

#[test]
fn huge_answers_in_a_batch_hold_at_most_concurrency_times_the_cap() {
    let server = FaultServer::start(|conn| huge_answer(conn, 48 * MIB, true));
    let batch = tempfile::tempdir().expect("a temp dir");
    let lines = batch.path().join("lines.jsonl");
    std::fs::write(&lines, "{}\n".repeat(6)).expect("writing the batch");
    let lines = lines.to_str().expect("a UTF-8 path");
    let run = invoke_rss(
        &server.http(),
        &["--concurrency", "4", "--batch", lines],
        Duration::from_secs(60),
    );
    assert_eq!(run.code, 5, "stderr: {}", run.stderr);
    assert_eq!(server.connections_reaching(6), 6);
    // 4 x 16 MiB at most in flight; six 48 MiB answers held whole would be far above.
    run.within(Duration::from_secs(30)).rss_below_mib(120);
}

/// A throttling server: every answer a 429 that asks for `retry_after`.
fn throttling(retry_after: &'static str) -> FaultServer {
    FaultServer::start(move |mut conn| {
        while conn.read_request() {
            let answer = http_response(
                "429 Too Many Requests",
                &[("Retry-After", retry_after)],
                r#"{"error_code":"FSS.0429","error_msg":"throttled"}"#,
            );
            if !conn.send(answer.as_bytes()) {
                return;
            }
        }
    })
}

#[test]
fn a_retry_after_longer_than_the_timeout_is_not_waited_for() {
    let server = throttling("60");
    let run = invoke(
        &server.http(),
        &["--timeout", "2", "--retries", "3"],
        Duration::from_secs(20),
    );
    run.failed(4)
        .clean()
        .within(Duration::from_secs(5))
        .says("error: the service refused the request: FSS.0429: throttled\n")
        .says("Retry-After");
    assert_eq!(server.connections_reaching(1), 1);
}

#[test]
fn a_retry_after_within_the_timeout_is_waited_for() {
    let server = throttling("1");
    let run = invoke(
        &server.http(),
        &["--timeout", "2", "--retries", "1"],
        Duration::from_secs(20),
    );
    run.failed(4).clean().within(Duration::from_secs(8));
    assert!(
        run.elapsed >= Duration::from_millis(900),
        "{:?}",
        run.elapsed
    );
}
