//! The progress of `--batch` and `--repeat` off a terminal: plain lines with the total,
//! `--progress bar` forced on a pipe, and one rate for the bar and the summary.

use std::time::Duration;

use crate::common::*;

/// Calls that take 100 ms each, on a mock that counts them.
fn slow_calls(server: &httpmock::MockServer) -> httpmock::Mock<'_> {
    expect_invocation(server, &Expect::default(), |then| {
        ok(then, "r").delay(Duration::from_millis(100))
    })
}

/// A batch file of `n` calls in the builder's home.
fn batch_of(cmd: &Fgs, n: usize) -> String {
    let path = cmd.home().path().join("calls.ndjson");
    write_file(&path, &"{}\n".repeat(n))
        .to_str()
        .expect("a UTF-8 path")
        .to_string()
}

/// A plain progress line in a CI log says how many calls there are in all, for a batch file
/// as for `--repeat`.
#[test]
fn plain_progress_lines_show_the_total() {
    let server = httpmock::MockServer::start();
    let mock = slow_calls(&server);
    let mut cmd = Fgs::new();
    let file = batch_of(&cmd, 6);
    let out = cmd
        .env("FGS_PROGRESS_EVERY", "0.2")
        .args(invoke_args(&server))
        .args(["--batch", &file, "--concurrency", "1"])
        .run();
    out.code(0).stdout("r\n".repeat(6));
    let lines: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| l.starts_with("progress: "))
        .collect();
    assert!(!lines.is_empty(), "{}", out.stderr);
    for line in &lines {
        assert!(line.contains("/6 done · "), "{line}");
        assert!(line.contains("/s · 0 errors · "), "{line}");
    }

    // A batch from stdin has no total to show: just the count.
    let out = Fgs::new()
        .env("FGS_PROGRESS_EVERY", "0.2")
        .args(invoke_args(&server))
        .args(["--batch", "-", "--concurrency", "1"])
        .stdin("{}\n".repeat(4))
        .run();
    out.code(0).stderr_contains("progress: ");
    for line in out.stderr.lines().filter(|l| l.starts_with("progress: ")) {
        let done = line.split(" done").next().unwrap();
        assert!(!done.contains('/'), "{line}");
    }
    mock.assert_calls(10);
}

/// `--progress bar` draws the bar even when stderr is a pipe, and its last frame shows the
/// rate the summary shows.
#[test]
fn a_bar_asked_for_is_drawn_on_a_pipe_with_the_summary_s_rate() {
    let server = httpmock::MockServer::start();
    let mock = slow_calls(&server);
    let mut cmd = Fgs::new();
    let file = batch_of(&cmd, 6);
    let out = cmd
        .args(invoke_args(&server))
        .args(["--batch", &file, "--concurrency", "1", "--progress", "bar"])
        .run();
    out.code(0)
        .stdout("r\n".repeat(6))
        .stderr_contains("6/6 · ")
        .stderr_contains(" · 0 errors · ETA ")
        .stderr_contains("6 calls in ");
    // The last frame: `6/6 · R/s · …`; the summary: `6 calls in S s (R/s): …`.
    let frame = out.stderr.rfind("6/6 · ").expect("a last frame") + "6/6 · ".len();
    let bar_rate = out.stderr[frame..].split("/s").next().unwrap();
    let summary = out.stderr.rfind("6 calls in ").unwrap();
    let summary_rate = out.stderr[summary..]
        .split('(')
        .nth(1)
        .and_then(|s| s.split("/s)").next())
        .unwrap();
    assert_eq!(bar_rate, summary_rate, "{:?}", out.stderr);
    // The summary comes after the bar is cleared, on a line of its own.
    let cleared = out.stderr.rfind("\r\u{1b}[2K").expect("the bar cleared");
    assert!(cleared < summary, "{:?}", out.stderr);

    // The same for --repeat; and without a total, the count and elapsed time.
    let out = Fgs::new()
        .args(invoke_args(&server))
        .args(["--repeat", "3", "-d", "{}", "--progress", "bar"])
        .run();
    out.code(0).stderr_contains("3/3 · ");
    let out = Fgs::new()
        .args(invoke_args(&server))
        .args(["--batch", "-", "--progress", "bar"])
        .stdin("{}\n{}\n")
        .run();
    out.code(0)
        .stderr_contains("2 done · ")
        .stderr_contains("2 calls in ");

    // Without --progress, a pipe still gets no bar.
    let out = Fgs::new()
        .args(invoke_args(&server))
        .args(["--repeat", "2", "-d", "{}"])
        .run();
    out.code(0)
        .stderr_lacks("2/2 · ")
        .stderr_lacks(ESC.to_string());
    mock.assert_calls(13);
}
