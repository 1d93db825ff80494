//! The end-of-run summary: integers where the figures are whole, exact extremes, and the same
//! rate in the text and the JSON.

use serde_json::Value;

use crate::common::*;

#[test]
fn the_summary_file_has_integers_exact_extremes_and_the_texts_rate() {
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), |then| {
        ok(then, "1").header(
            "X-Cff-Invoke-Summary",
            r#"{"duration":65.828,"billingDuration":66,"memorySize":128,"memoryUsed":21.5}"#,
        )
    });
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let summary = home.path().join("summary.json");
    let out = cmd
        .args(invoke_args(&server))
        .args(["--repeat", "5", "--summary"])
        .arg(&summary)
        .run();
    out.code(0);
    mock.assert_calls(5);
    let s: Value = serde_json::from_str(&std::fs::read_to_string(&summary).unwrap()).unwrap();
    for key in [
        "calls",
        "retries",
        "abandoned",
        "calls_per_s",
        "billed_duration_ms_total",
    ] {
        assert!(s[key].is_u64(), "{key} is not an integer: {s}");
    }
    assert!(s["outcomes"]["ok"].is_u64());
    assert_eq!(s["billed_duration_ms_total"], 330);
    // The service's duration: every call 65.828 ms, so the percentiles read exactly that,
    // never the histogram's made-up 65.855.
    assert_eq!(s["service_duration_ms"]["p50"], 65.828, "{s}");
    assert_eq!(s["service_duration_ms"]["p99"], 65.828, "{s}");
    let latency = &s["latency_ms"];
    let (min, p50, max) = (
        latency["min"].as_f64().unwrap(),
        latency["p50"].as_f64().unwrap(),
        latency["max"].as_f64().unwrap(),
    );
    assert!(min <= max && min > 0.0, "{latency}");
    assert!(p50 >= min * 0.99 && p50 <= max * 1.01, "{latency}");
    let rate = s["calls_per_s"].as_u64().unwrap();
    assert!(
        out.stderr.contains(&format!("({rate}/s)")),
        "the text's rate differs from {rate}: {}",
        out.stderr
    );
}

/// Off a terminal, a long run prints a plain progress line every interval (10 s; set short
/// here); `--progress none` silences it.
#[test]
fn plain_progress_lines_for_ci_logs() {
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), |then| {
        ok(then, "1").delay(std::time::Duration::from_millis(100))
    });
    let mut cmd = Fgs::new();
    let out = cmd
        .env("FGS_PROGRESS_EVERY", "0.2")
        .args(invoke_args(&server))
        .args(["--repeat", "8", "--concurrency", "1"])
        .run();
    out.code(0);
    let lines: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| l.starts_with("progress: "))
        .collect();
    assert!(!lines.is_empty(), "{}", out.stderr);
    assert!(lines[0].contains("/8 done · "), "{}", lines[0]);
    assert!(lines[0].contains(" errors · "), "{}", lines[0]);
    let out = Fgs::new()
        .env("FGS_PROGRESS_EVERY", "0.2")
        .args(invoke_args(&server))
        .args(["--repeat", "4", "--concurrency", "1", "--progress", "none"])
        .run();
    out.code(0);
    out.stderr_lacks("progress: ");
    mock.assert_calls(12);
}

/// `--repeat` with stdout on a terminal prints the summary, not N copies of the result,
/// unless `-o` asks for them.
// Unix only: runs fgs under `script(1)` for a pseudo-terminal; Windows has no `script`.
#[cfg(unix)]
#[test]
fn repeat_on_a_terminal_prints_only_the_summary() {
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), |then| ok(then, "RESULT"));
    let mut args = invoke_args(&server);
    args.extend(["--repeat".into(), "3".into()]);
    let shown = stdout_on_a_terminal(&args, &[]);
    assert_eq!(shown.code, Some(0), "{}", shown.stdout);
    assert!(!shown.terminal.contains("RESULT"), "{:?}", shown.terminal);
    assert!(shown.stdout.contains("3 calls in"), "{}", shown.stdout);
    args.extend(["-o".into(), "raw".into()]);
    let shown = stdout_on_a_terminal(&args, &[]);
    assert_eq!(
        shown.terminal.matches("RESULT").count(),
        3,
        "{:?}",
        shown.terminal
    );
    mock.assert_calls(6);
}
