//! Input that could exhaust memory: a batch line with no end, files named by the user that
//! never end (`/dev/zero`). Each case asserts the exit code, a clean error, and loose time
//! and peak-RSS bounds, the RSS measured with `wait4` on the child.
//!
//! A child's `ru_maxrss` starts from the RSS of the process that spawned it (Linux carries
//! the high-water mark over `fork` and `exec`), here this test binary's. So a bound is
//! checked against [`baseline_rss_kib`], measured the same way just after: never flaky,
//! and still far below what holding the input would cost.

use std::io::{Read, Write};
use std::os::unix::process::CommandExt;
use std::process::{ChildStdin, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::*;

/// 6 MiB, the synchronous payload limit, which is also the cap on a batch line.
const LIMIT: usize = 6 * 1024 * 1024;

/// A run of the binary, with how long it took and its peak RSS.
struct Measured {
    run: Run,
    elapsed: Duration,
    peak_rss_kib: u64,
}

/// Feeds a child's stdin from a thread of its own.
type Feed = Box<dyn FnOnce(ChildStdin) + Send>;

/// Run `cmd` (stdin fed by `feed`, else empty) and measure it; killed after `limit`. When
/// `address_space` is given the child may not map more than that many bytes, so that a
/// regression fails fast instead of filling the machine's memory.
fn measured(
    mut cmd: std::process::Command,
    feed: Option<Feed>,
    limit: Duration,
    address_space: Option<u64>,
) -> Measured {
    cmd.stdin(if feed.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    })
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    if let Some(bytes) = address_space {
        // SAFETY: setrlimit is async-signal-safe; nothing else runs between fork and exec.
        unsafe {
            cmd.pre_exec(move || {
                let limit = libc::rlimit {
                    rlim_cur: bytes,
                    rlim_max: bytes,
                };
                if libc::setrlimit(libc::RLIMIT_AS, &raw const limit) == 0 {
                    Ok(())
                } else {
                    Err(std::io::Error::last_os_error())
                }
            });
        }
    }
    let started = Instant::now();
    // Reaped below by wait4, which also gives its resource usage (Child::wait would not).
    #[allow(clippy::zombie_processes)]
    let mut child = cmd.spawn().expect("starting fgs");
    let pid = libc::pid_t::try_from(child.id()).expect("a pid");
    let feeder = match (feed, child.stdin.take()) {
        (Some(feed), Some(stdin)) => Some(std::thread::spawn(move || feed(stdin))),
        _ => None,
    };
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut text = Vec::new();
            let _ = pipe.read_to_end(&mut text);
            String::from_utf8_lossy(&text).into_owned()
        })
    };
    let stdout = drain(Box::new(child.stdout.take().expect("stdout")));
    let stderr = drain(Box::new(child.stderr.take().expect("stderr")));
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid value; wait4 fills it in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: waiting for our own child, with valid pointers to the status and usage.
        let waited = unsafe { libc::wait4(pid, &raw mut status, libc::WNOHANG, &raw mut usage) };
        assert!(waited >= 0, "wait4: {}", std::io::Error::last_os_error());
        if waited == pid {
            break;
        }
        if started.elapsed() > limit {
            // SAFETY: the child is ours and not yet reaped, so the pid is still its.
            unsafe { libc::kill(pid, libc::SIGKILL) };
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let elapsed = started.elapsed();
    if let Some(feeder) = feeder {
        feeder.join().expect("the feeding thread");
    }
    let signal = libc::WIFSIGNALED(status).then(|| libc::WTERMSIG(status));
    let code = if libc::WIFEXITED(status) {
        Some(libc::WEXITSTATUS(status))
    } else {
        signal.map(|s| 128 + s)
    };
    Measured {
        run: Run {
            code,
            signal,
            stdout: stdout.join().expect("stdout"),
            stderr: stderr.join().expect("stderr"),
        },
        elapsed,
        peak_rss_kib: u64::try_from(usage.ru_maxrss).expect("a size"),
    }
}

/// Write `chunks` of `chunk` bytes, then `tail`; a child that stopped reading ends it.
fn feed(chunk: Vec<u8>, chunks: usize, tail: &'static [u8]) -> Feed {
    Box::new(move |mut stdin: ChildStdin| {
        for _ in 0..chunks {
            if stdin.write_all(&chunk).is_err() {
                return;
            }
        }
        let _ = stdin.write_all(tail);
    })
}

/// What a run may add to [`baseline_rss_kib`]: far below what holding a 100 MB line costs
/// (206 MB before the cap on a line), far above what a debug build needs to keep one line
/// of 6 MiB.
const FLAT_RSS_KIB: u64 = 64 * 1024;

/// The peak RSS of `fgs --version`, spawned as [`measured`] spawns: what any child starts
/// from at this point (this test binary's high-water mark), plus fgs's own start.
fn baseline_rss_kib() -> u64 {
    let (mut cmd, _home) = fgs_process();
    cmd.arg("--version");
    let m = measured(cmd, None, Duration::from_secs(30), None);
    assert_eq!(m.run.code, Some(0), "{}", m.run.stderr);
    m.peak_rss_kib
}

/// The peak RSS of `m` stayed flat: within [`FLAT_RSS_KIB`] of the baseline.
fn assert_flat(m: &Measured, what: &str) {
    let baseline = baseline_rss_kib();
    assert!(
        m.peak_rss_kib < baseline + FLAT_RSS_KIB,
        "{what}: peak RSS {} KiB, baseline {baseline} KiB",
        m.peak_rss_kib
    );
}

#[test]
fn a_100_mb_batch_line_is_an_error_record_and_is_never_held_in_memory() {
    let server = httpmock::MockServer::start();
    let second = expect_invocation(&server, &Expect::body("{\"n\":2}"), |then| ok(then, "r2"));
    let anything_else = catch_all(&server);
    let (mut cmd, _home) = fgs_process();
    cmd.args(invoke_args(&server))
        .args(["--batch", "-", "-o", "json"]);
    // `["aaaa…` for 100 MB, never closed: too long long before it could be JSON.
    let mut chunk = vec![b'a'; 1024 * 1024];
    chunk[..2].copy_from_slice(b"[\"");
    let line = feed(chunk, 100, b"\"]\n{\"n\":2}\n");
    let m = measured(cmd, Some(line), Duration::from_secs(120), None);
    assert_eq!(m.run.code, Some(2), "{}", m.run.stderr);
    let records: Vec<Value> = m
        .run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON record"))
        .collect();
    assert_eq!(records.len(), 2, "{}", m.run.stdout);
    assert_eq!(records[0]["line"], 1);
    assert_eq!(records[0]["error"]["exit_code"], 2);
    assert_eq!(
        records[0]["error"]["message"],
        format!("the payload is larger than the service's limit of {LIMIT} bytes")
    );
    assert_eq!(records[1]["line"], 2);
    assert_eq!(records[1]["result"], "r2");
    assert_flat(&m, "one 100 MB line");
    second.assert_calls(1);
    anything_else.assert_calls(0);
}

#[test]
fn a_batch_line_that_never_ends_is_one_error_record_read_to_the_end() {
    // What `--batch /dev/zero` reads, made finite: 200 MB of zero bytes and no newline.
    let server = httpmock::MockServer::start();
    let anything = catch_all(&server);
    let (mut cmd, _home) = fgs_process();
    cmd.args(invoke_args(&server))
        .args(["--batch", "-", "-o", "json"]);
    let zeros = feed(vec![0u8; 1024 * 1024], 200, b"");
    let m = measured(cmd, Some(zeros), Duration::from_secs(120), None);
    assert_eq!(m.run.code, Some(2), "{}", m.run.stderr);
    let records: Vec<Value> = m
        .run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON record"))
        .collect();
    assert_eq!(records.len(), 1, "{}", m.run.stdout);
    assert_eq!(records[0]["line"], 1);
    assert_eq!(records[0]["error"]["exit_code"], 2);
    assert!(
        m.run.stderr.contains(" 1 invalid input\n"),
        "{}",
        m.run.stderr
    );
    assert!(
        m.elapsed < Duration::from_secs(60),
        "200 MB of one line took {:?}",
        m.elapsed
    );
    assert_flat(&m, "a line of 200 MB");
    anything.assert_calls(0);
}

/// A regression would read `/dev/zero` at a gigabyte a second: cap the child's address space
/// so that it fails at once instead of filling the machine.
const ADDRESS_SPACE: u64 = 1024 * 1024 * 1024;

/// Each file fgs reads for the user, pointed at `/dev/zero`: exit 2 at once, naming the file
/// and the limit.
#[test]
fn files_named_by_the_user_that_never_end_fail_fast_naming_the_file_and_the_limit() {
    type Setup = fn(&mut std::process::Command, &tempfile::TempDir);
    let cases: [(&str, Setup); 4] = [
        ("config file", |cmd, _| {
            cmd.args(["config", "show", URN, "--config", "/dev/zero"]);
        }),
        ("token file", |cmd, home| {
            write_config(home, "token_file = \"/dev/zero\"\n");
            cmd.args(["invoke", URN, "--endpoint", &refused_endpoint()]);
        }),
        ("credentials file", |cmd, _| {
            cmd.env("HUAWEICLOUD_SDK_CREDENTIALS_FILE", "/dev/zero")
                .args(["invoke", URN, "--endpoint", &refused_endpoint()]);
        }),
        ("CA certificate", |cmd, _| {
            cmd.args(["invoke", URN, "--token", TOKEN, "--ca-cert", "/dev/zero"])
                .args(["--endpoint", &refused_endpoint()]);
        }),
    ];
    for (what, setup) in cases {
        let (mut cmd, home) = fgs_process();
        setup(&mut cmd, &home);
        let m = measured(cmd, None, Duration::from_secs(30), Some(ADDRESS_SPACE));
        let stderr = &m.run.stderr;
        assert_eq!(m.run.code, Some(2), "{what}: {stderr}");
        assert_eq!(m.run.stdout, "", "{what}");
        assert!(
            stderr.contains("error: ")
                && stderr.contains(&format!("{what} /dev/zero"))
                && stderr.contains("larger than the limit of 1 MiB (1048576 bytes)"),
            "{what}: {stderr}"
        );
        assert!(
            m.elapsed < Duration::from_secs(10),
            "{what}: {:?}",
            m.elapsed
        );
        assert_flat(&m, what);
    }
}

/// The limit holds to the byte: a config file of exactly 1 MiB is read, one byte more is not.
#[test]
fn a_config_file_of_1_mib_is_read_and_one_byte_more_is_refused() {
    const MIB: usize = 1024 * 1024;
    let padded = |len: usize| {
        let head = "region = \"cn-north-4\"\n#";
        format!("{head}{}\n", "x".repeat(len - head.len() - 1))
    };
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let path = write_file(&home.path().join("exact.toml"), &padded(MIB));
    cmd.args(["config", "show", "hello", "--config"])
        .arg(&path)
        .run()
        .code(0)
        .stdout_contains("cn-north-4");

    let mut cmd = Fgs::new();
    let home = cmd.home();
    let path = write_file(&home.path().join("over.toml"), &padded(MIB + 1));
    let out = cmd.args(["config", "show", "--config"]).arg(&path).run();
    out.code(2);
    out.stdout("");
    out.stderr(format!(
            "error: reading config file {}\n  caused by: it is larger than the limit of 1 MiB (1048576 bytes)\n",
            path.display()
        ));
}
