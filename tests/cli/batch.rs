//! Many calls in one run: `--batch FILE` (and `-` for stdin), `--repeat N`, `--concurrency`,
//! output order, error records, the exit code of a mixed batch, the summary on stderr and in
//! `--summary FILE`, no progress bar off a terminal, `--retries` (when they happen and when
//! they must not), Ctrl-C and a closed stdout.

use std::io::{BufRead, BufReader, Read};
use std::net::TcpListener;
use std::process::Stdio;
use std::time::{Duration, Instant};

use httpmock::{MockServer, Then};
use predicates::prelude::*;
use serde_json::{Value, json};
use tempfile::TempDir;

use crate::common::*;

/// The payload `{"n":N}`.
fn n(n: usize) -> String {
    format!("{{\"n\":{n}}}")
}

/// Write `text` as `events.ndjson` in `home`; its path as an argument.
fn batch_file(home: &TempDir, text: &str) -> String {
    write_file(&home.path().join("events.ndjson"), text)
        .to_str()
        .expect("a UTF-8 path")
        .to_string()
}

/// The mock for the line `{"n":N}` answered by `respond`.
fn expect_n(
    server: &MockServer,
    line: usize,
    respond: impl FnOnce(Then) -> Then,
) -> httpmock::Mock<'_> {
    expect_invocation(server, &Expect::body(&n(line)), respond)
}

const FAILED_RESULT: &str = r#"{"errorMessage": "boom", "errorType": "Error", "stackTrace": []}"#;

/// A 200 in which the function reports an error.
fn function_error(then: Then) -> Then {
    then.status(200)
        .header("X-Cff-Request-Id", "req-err")
        .header("X-Is-Func-Err", "true")
        .header("X-Func-Err-Code", "FSS.1234")
        .body(format!(
            "{{\"request_id\":\"req-err\",\"result\":{},\"log\":\"\",\"status\":200}}",
            json_string(FAILED_RESULT)
        ))
}

/// An error answer of the service.
fn api_error(then: Then, status: u16, code: &str, message: &str) -> Then {
    then.status(status)
        .header("Content-Type", "application/json")
        .body(format!(
            "{{\"error_code\":\"{code}\",\"error_msg\":\"{message}\"}}"
        ))
}

/// `X-Cff-Invoke-Summary` with this duration and billed duration.
fn with_summary(then: Then, duration_ms: f64, billed_ms: u64) -> Then {
    then.header(
        "X-Cff-Invoke-Summary",
        format!(
            "{{\"duration\":{duration_ms},\"billingDuration\":{billed_ms},\"memorySize\":128,\"memoryUsed\":41.5}}"
        ),
    )
}

/// Every line of stdout as JSON.
fn json_lines(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l:?}")))
        .collect()
}

const COUNTS_LINE: &str = r"^\d+ calls in \d+\.\d\d s \(\d+/s\): ";
const LATENCY_LINE: &str = r"^latency: min \d+(\.\d+)? ms, p50 \d+(\.\d+)? ms, p90 \d+(\.\d+)? ms, p99 \d+(\.\d+)? ms, max \d+(\.\d+)? ms$";
const SERVICE_LINE: &str = r"^service duration: p50 (\d+(\.\d+)? ms|-), p99 (\d+(\.\d+)? ms|-); billed \d+(\.\d+)? ms in all$";

fn matches(pattern: &str, text: &str) -> bool {
    predicate::str::is_match(pattern)
        .expect("a valid pattern")
        .eval(text)
}

/// The summary's first line with its timing taken out: `6 calls: 1 ok, 1 timeout`.
fn counts(stderr: &str) -> String {
    let line = stderr
        .lines()
        .find(|l| matches(COUNTS_LINE, l))
        .unwrap_or_else(|| panic!("no summary on stderr: {stderr:?}"));
    let (calls, _) = line.split_once(" calls in ").expect("the summary's shape");
    let (_, rest) = line.split_once("/s): ").expect("the summary's shape");
    format!("{calls} calls: {rest}")
}

/// stderr is the summary and nothing else: the counts, the latency line and, when the
/// service reported durations, their line; no progress bar, no cursor movement.
fn assert_only_the_summary(stderr: &str, service_line: bool) {
    assert!(!stderr.contains('\r'), "a carriage return: {stderr:?}");
    assert!(!stderr.contains(ESC), "an escape sequence: {stderr:?}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 2 + usize::from(service_line), "{stderr:?}");
    assert!(matches(COUNTS_LINE, lines[0]), "{stderr:?}");
    assert!(matches(LATENCY_LINE, lines[1]), "{stderr:?}");
    if service_line {
        assert!(matches(SERVICE_LINE, lines[2]), "{stderr:?}");
    }
    assert!(stderr.ends_with('\n'), "{stderr:?}");
}

fn read_summary(home: &TempDir) -> Value {
    let text = std::fs::read_to_string(home.path().join("summary.json")).expect("summary.json");
    serde_json::from_str(&text).expect("the summary is JSON")
}

fn outcomes(summary: &Value) -> Vec<(String, u64)> {
    let mut counts: Vec<(String, u64)> = summary["outcomes"]
        .as_object()
        .expect("outcomes")
        .iter()
        .map(|(k, v)| (k.clone(), v.as_u64().expect("a count")))
        .collect();
    counts.sort();
    counts
}

fn expected_outcomes(nonzero: &[(&str, u64)]) -> Vec<(String, u64)> {
    let mut counts: Vec<(String, u64)> = [
        "ok",
        "function_error",
        "refused",
        "service_failure",
        "network",
        "timeout",
        "invalid_input",
        "local_failure",
        "interrupted",
    ]
    .iter()
    .map(|k| {
        let n = nonzero.iter().find(|(n, _)| n == k).map_or(0, |(_, c)| *c);
        (k.to_string(), n)
    })
    .collect();
    counts.sort();
    counts
}

// ---------------------------------------------------------------------------------------
// --batch: order, line numbers, sources, one line per input line
// ---------------------------------------------------------------------------------------

#[test]
fn batch_output_is_in_input_order_when_answers_come_out_of_order() {
    let server = MockServer::start();
    // Line 1 is answered last, line 4 first.
    let delays = [600, 400, 200, 0];
    let mocks: Vec<_> = delays
        .iter()
        .enumerate()
        .map(|(i, ms)| {
            expect_n(&server, i + 1, |then| {
                ok(then, &format!("result {}", i + 1)).delay(Duration::from_millis(*ms))
            })
        })
        .collect();
    let anything_else = catch_all(&server);
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let file = batch_file(&home, &format!("{}\n{}\n{}\n{}\n", n(1), n(2), n(3), n(4)));
    let started = Instant::now();
    let out = cmd
        .args(invoke_args(&server))
        .args(["--batch", &file, "--concurrency", "4"])
        .run();
    let elapsed = started.elapsed();
    out.code(0);
    out.stdout("result 1\nresult 2\nresult 3\nresult 4\n");
    assert_eq!(counts(&out.stderr), "4 calls: 4 ok");
    assert_only_the_summary(&out.stderr, false);
    // All four were in flight at once: far less than the 1.2 s the delays add up to.
    assert!(elapsed < Duration::from_millis(1150), "{elapsed:?}");
    for mock in &mocks {
        mock.assert_calls(1);
    }
    anything_else.assert_calls(0);
}

#[test]
fn batch_json_records_carry_the_physical_line_number_and_the_envelope() {
    let server = MockServer::start();
    let mocks: Vec<_> = (1..=3)
        .map(|i| {
            expect_n(&server, i, |then| {
                with_summary(ok(then, &format!("{{\"i\":{i}}}")), 1.913, 100)
            })
        })
        .collect();
    let anything_else = catch_all(&server);
    let mut cmd = Fgs::new();
    let home = cmd.home();
    // Blank lines (empty, spaces, a tab) count for the numbering but are not sent; the last
    // line has no newline.
    let file = batch_file(&home, &format!("{}\n\n{}\n   \n\t\n{}", n(1), n(2), n(3)));
    let out = cmd
        .args(invoke_args(&server))
        .args(["--batch", &file, "-o", "json"])
        .run();
    out.code(0);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", out.stdout);
    for (text, line) in lines.iter().zip([1, 3, 6]) {
        assert!(
            text.starts_with(&format!("{{\"line\":{line},\"request_id\":")),
            "{text}"
        );
    }
    let records = json_lines(&out.stdout);
    for (record, (line, i)) in records.iter().zip([(1, 1), (3, 2), (6, 3)]) {
        assert_eq!(
            record,
            &json!({
                "line": line,
                "request_id": "req-1",
                "function_urn": URN,
                "http_status": 200,
                "status": 200,
                "function_error": false,
                "error_code": "0",
                "result": {"i": i},
                "log": null,
                "summary": {"duration_ms": 1.913, "billing_duration_ms": 100,
                            "memory_size_mb": 128, "memory_used_mb": 41.5},
            })
        );
    }
    // The usual envelope: what a single `-o json` invoke prints, with the line in front.
    let single = Fgs::new()
        .args(invoke_args(&server))
        .args(["-d", &n(1), "-o", "json"])
        .run();
    single.code(0);
    let mut expected = serde_json::Map::new();
    expected.insert("line".into(), json!(1));
    match serde_json::from_str::<Value>(&single.stdout).expect("one JSON document") {
        Value::Object(fields) => expected.extend(fields),
        other => panic!("not an object: {other}"),
    }
    assert_eq!(records[0], Value::Object(expected));
    assert_eq!(counts(&out.stderr), "3 calls: 3 ok");
    assert_only_the_summary(&out.stderr, true);
    out.stderr_contains("; billed 300 ms in all\n");
    mocks[0].assert_calls(2);
    mocks[1].assert_calls(1);
    mocks[2].assert_calls(1);
    anything_else.assert_calls(0);
}

#[test]
fn batch_reads_stdin_with_a_dash_skipping_blank_lines_and_crlf() {
    let server = MockServer::start();
    let mocks: Vec<_> = (1..=3)
        .map(|i| expect_n(&server, i, |then| ok(then, &format!("r{i}"))))
        .collect();
    let anything_else = catch_all(&server);
    let out = Fgs::new()
        .args(invoke_args(&server))
        .args(["--batch", "-", "-o", "json", "--concurrency", "2"])
        .stdin(format!("\n{}\r\n\r\n{}\n  \n{}\n\n", n(1), n(2), n(3)))
        .run();
    out.code(0);
    let records = json_lines(&out.stdout);
    let seen: Vec<(u64, String)> = records
        .iter()
        .map(|r| {
            (
                r["line"].as_u64().expect("a line number"),
                r["result"].as_str().expect("a result").to_string(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (2, "r1".to_string()),
            (4, "r2".to_string()),
            (6, "r3".to_string())
        ]
    );
    assert_eq!(counts(&out.stderr), "3 calls: 3 ok");
    for mock in &mocks {
        mock.assert_calls(1);
    }
    anything_else.assert_calls(0);
}

#[test]
fn batch_raw_mode_prints_each_result_on_one_line() {
    let results = [
        "{\n  \"x\": 1\n}\n",
        "two\nlines",
        "plain",
        "",
        "ends with a newline\n",
    ];
    let expected = [
        "{\"x\":1}",
        "two\\nlines",
        "plain",
        "",
        "ends with a newline",
    ];
    let server = MockServer::start();
    let mocks: Vec<_> = results
        .iter()
        .enumerate()
        .map(|(i, r)| expect_n(&server, i + 1, |then| ok(then, r)))
        .collect();
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let text: String = (1..=results.len()).map(|i| n(i) + "\n").collect();
    let file = batch_file(&home, &text);
    let out = cmd
        .args(invoke_args(&server))
        .args(["--batch", &file, "-o", "raw"])
        .run();
    out.code(0);
    out.stdout(format!("{}\n", expected.join("\n")));
    assert_only_the_summary(&out.stderr, false);
    for mock in &mocks {
        mock.assert_calls(1);
    }
}

// ---------------------------------------------------------------------------------------
// A bad line, mixed outcomes and the exit code
// ---------------------------------------------------------------------------------------

#[test]
fn a_bad_line_in_the_middle_is_an_error_record_and_the_batch_goes_on_json() {
    let server = MockServer::start();
    let first = expect_n(&server, 1, |then| ok(then, "r1"));
    let third = expect_n(&server, 3, |then| ok(then, "r3"));
    let fourth = expect_n(&server, 4, |then| ok(then, "r4"));
    let anything_else = catch_all(&server);
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let file = batch_file(
        &home,
        &format!("{}\n{{not json\n{}\n{}\n", n(1), n(3), n(4)),
    );
    let out = cmd
        .args(invoke_args(&server))
        .args(["--batch", &file, "-o", "json"])
        .run();
    out.code(2);
    let records = json_lines(&out.stdout);
    assert_eq!(records.len(), 4, "{}", out.stdout);
    assert_eq!(records[0]["line"], 1);
    assert_eq!(records[0]["result"], "r1");
    let bad = &records[1];
    assert_eq!(bad["line"], 2);
    assert_eq!(bad.as_object().map(serde_json::Map::len), Some(2), "{bad}");
    let error = &bad["error"];
    assert_eq!(error["exit_code"], 2);
    assert_eq!(error["http_status"], Value::Null);
    assert_eq!(error["code"], Value::Null);
    assert_eq!(error["request_id"], Value::Null);
    let message = error["message"].as_str().expect("a message");
    assert!(
        message.starts_with("the payload is not valid JSON"),
        "{message}"
    );
    assert_eq!(records[2]["line"], 3);
    assert_eq!(records[2]["result"], "r3");
    assert_eq!(records[3]["line"], 4);
    assert_eq!(records[3]["result"], "r4");
    // json mode: the error is in the record, stderr has the summary and the final error.
    assert_eq!(counts(&out.stderr), "4 calls: 3 ok, 1 invalid input");
    out.stderr_lacks("error: line 2");
    out.stderr_contains(
            "error: 1 of 4 calls failed\n  caused by: the first, on line 2: the payload is not valid JSON"
        );
    first.assert_calls(1);
    third.assert_calls(1);
    fourth.assert_calls(1);
    anything_else.assert_calls(0);
}

/// A line with a byte that is not UTF-8 inside a string, or a lone surrogate escape, is not
/// JSON text: an error record with the line and column, and the batch goes on.
#[test]
fn lines_with_invalid_utf8_or_a_lone_surrogate_are_error_records() {
    let server = MockServer::start();
    let third = expect_n(&server, 3, |then| ok(then, "r3"));
    let anything_else = catch_all(&server);
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let file = home.path().join("events.ndjson");
    let mut text = b"{\"k\":\"\xff\"}\n[\"\\udc00\"]\n".to_vec();
    text.extend_from_slice(format!("{}\n", n(3)).as_bytes());
    std::fs::write(&file, text).expect("writing the batch");
    let out = cmd
        .args(invoke_args(&server))
        .args(["--batch"])
        .arg(&file)
        .args(["-o", "json"])
        .run();
    out.code(2);
    let records = json_lines(&out.stdout);
    assert_eq!(records.len(), 3, "{}", out.stdout);
    let message = |i: usize| records[i]["error"]["message"].as_str().unwrap_or_default();
    assert_eq!(records[0]["error"]["exit_code"], 2);
    assert_eq!(
        message(0),
        "the payload is not valid JSON: invalid UTF-8 at line 1 column 7"
    );
    assert_eq!(records[1]["error"]["exit_code"], 2);
    assert_eq!(
        message(1),
        "the payload is not valid JSON: a lone surrogate in a \\u escape (\\ud800 to \\udfff come in pairs) at line 1 column 8"
    );
    assert_eq!(records[2]["result"], "r3");
    assert_eq!(counts(&out.stderr), "3 calls: 1 ok, 2 invalid input");
    third.assert_calls(1);
    anything_else.assert_calls(0);
}

#[test]
fn a_bad_line_in_the_middle_raw_mode_is_an_empty_line_and_an_error_on_stderr() {
    let server = MockServer::start();
    let first = expect_n(&server, 1, |then| ok(then, "r1"));
    let third = expect_n(&server, 3, |then| ok(then, "r3"));
    let anything_else = catch_all(&server);
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let file = batch_file(&home, &format!("{}\nnope\n{}\n", n(1), n(3)));
    let out = cmd
        .args(invoke_args(&server))
        .args(["--batch", &file])
        .run();
    out.code(2);
    out.stdout("r1\n\nr3\n");
    assert!(
        out.stderr
            .starts_with("error: line 2: the payload is not valid JSON"),
        "{}",
        out.stderr
    );
    assert_eq!(
        out.stderr.matches("error: line ").count(),
        1,
        "{}",
        out.stderr
    );
    assert_eq!(counts(&out.stderr), "3 calls: 2 ok, 1 invalid input");
    first.assert_calls(1);
    third.assert_calls(1);
    anything_else.assert_calls(0);
}

#[test]
fn mixed_batch_exits_with_the_first_failure_in_input_order_refused() {
    // ok, 404, function error, 500: the 404 (exit 4) comes first in the input, though it is
    // answered last.
    let server = MockServer::start();
    let mocks = [
        expect_n(&server, 1, |then| ok(then, "r1")),
        expect_n(&server, 2, |then| {
            api_error(then, 404, "FSS.1051", "Not found the function")
                .delay(Duration::from_millis(300))
        }),
        expect_n(&server, 3, function_error),
        expect_n(&server, 4, |then| {
            api_error(then, 500, "FSS.0500", "Internal server error.")
        }),
    ];
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let file = batch_file(&home, &format!("{}\n{}\n{}\n{}\n", n(1), n(2), n(3), n(4)));
    let out = cmd
        .args(invoke_args(&server))
        .args(["--batch", &file, "--summary", "summary.json"])
        .run();
    out.code(4);
    out.stdout(format!("r1\n\n{FAILED_RESULT}\n\n"));
    assert_eq!(
        counts(&out.stderr),
        "4 calls: 1 ok, 1 function error, 1 refused, 1 service failure"
    );
    // Each failure named by its line, in input order, then the summary, then the verdict.
    let line_errors: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| l.starts_with("error: line "))
        .collect();
    assert_eq!(line_errors.len(), 3, "{}", out.stderr);
    assert!(
        line_errors[0].starts_with("error: line 2: the service refused the request: FSS.1051"),
        "{}",
        out.stderr
    );
    assert!(
        line_errors[1].starts_with("error: line 3: the function raised Error: boom"),
        "{}",
        out.stderr
    );
    assert!(
        line_errors[2].starts_with("error: line 4: the service failed: FSS.0500"),
        "{}",
        out.stderr
    );
    out.stderr_contains(
            "error: 3 of 4 calls failed\n  caused by: the first, on line 2: the service refused the request"
        );
    let summary = read_summary(&home);
    assert_eq!(summary["calls"], 4);
    assert_eq!(
        outcomes(&summary),
        expected_outcomes(&[
            ("ok", 1),
            ("function_error", 1),
            ("refused", 1),
            ("service_failure", 1)
        ])
    );
    for mock in &mocks {
        mock.assert_calls(1);
    }
}

#[test]
fn mixed_batch_exits_with_the_first_failure_in_input_order_function_error() {
    // ok, function error (answered last), 404, 500: exit 1.
    let server = MockServer::start();
    let mocks = [
        expect_n(&server, 1, |then| ok(then, "r1")),
        expect_n(&server, 2, |then| {
            function_error(then).delay(Duration::from_millis(300))
        }),
        expect_n(&server, 3, |then| {
            api_error(then, 404, "FSS.1051", "Not found the function")
        }),
        expect_n(&server, 4, |then| {
            api_error(then, 500, "FSS.0500", "Internal server error.")
        }),
    ];
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let file = batch_file(&home, &format!("{}\n{}\n{}\n{}\n", n(1), n(2), n(3), n(4)));
    let out = cmd
        .args(invoke_args(&server))
        .args(["--batch", &file, "-o", "json"])
        .run();
    out.code(1);
    let records = json_lines(&out.stdout);
    let lines: Vec<u64> = records
        .iter()
        .map(|r| r["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [1, 2, 3, 4]);
    assert_eq!(records[1]["function_error"], true);
    assert_eq!(records[1]["error_code"], "FSS.1234");
    assert_eq!(records[2]["error"]["exit_code"], 4);
    assert_eq!(records[2]["error"]["http_status"], 404);
    assert_eq!(records[2]["error"]["code"], "FSS.1051");
    assert_eq!(records[3]["error"]["exit_code"], 5);
    assert_eq!(records[3]["error"]["http_status"], 500);
    assert!(
        out.stderr
            .contains("caused by: the first, on line 2: the function raised Error: boom"),
        "{}",
        out.stderr
    );
    for mock in &mocks {
        mock.assert_calls(1);
    }
}

#[test]
fn a_batch_where_every_call_succeeds_exits_0() {
    let server = MockServer::start();
    let mocks: Vec<_> = (1..=6)
        .map(|i| expect_n(&server, i, |then| ok(then, &format!("r{i}"))))
        .collect();
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let text: String = (1..=6).map(|i| n(i) + "\n").collect();
    let file = batch_file(&home, &text);
    let out = cmd
        .args(invoke_args(&server))
        .args(["--batch", &file, "--concurrency", "3"])
        .run();
    out.code(0);
    out.stdout("r1\nr2\nr3\nr4\nr5\nr6\n");
    assert_eq!(counts(&out.stderr), "6 calls: 6 ok");
    for mock in &mocks {
        mock.assert_calls(1);
    }
}

#[test]
fn no_fail_makes_function_errors_count_as_success_for_the_exit_code() {
    let server = MockServer::start();
    let mocks = [
        expect_n(&server, 1, |then| ok(then, "r1")),
        expect_n(&server, 2, function_error),
        expect_n(&server, 3, |then| ok(then, "r3")),
        expect_n(&server, 4, |then| {
            api_error(then, 404, "FSS.1051", "Not found the function")
        }),
    ];
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let file = batch_file(&home, &format!("{}\n{}\n{}\n", n(1), n(2), n(3)));
    let out = cmd
        .args(invoke_args(&server))
        .args(["--batch", &file, "--no-fail"])
        .run();
    out.code(0);
    out.stdout(format!("r1\n{FAILED_RESULT}\nr3\n"));
    // Still counted as what it was, but not reported as a failure.
    assert_eq!(counts(&out.stderr), "3 calls: 2 ok, 1 function error");
    out.stderr_lacks("error:");

    // --no-fail does not hide other failures: a function error, then a 404, exits 4.
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let file = batch_file(&home, &format!("{}\n{}\n", n(2), n(4)));
    let out = cmd
        .args(invoke_args(&server))
        .args(["--batch", &file, "--no-fail", "--concurrency", "1"])
        .run();
    out.code(4);
    assert!(
        out.stderr
            .contains("caused by: the first, on line 2: the service refused the request"),
        "{}",
        out.stderr
    );
    mocks[0].assert_calls(1);
    mocks[1].assert_calls(2);
    mocks[2].assert_calls(1);
    mocks[3].assert_calls(1);
}

// ---------------------------------------------------------------------------------------
// The summary
// ---------------------------------------------------------------------------------------

#[test]
#[allow(
    clippy::too_many_lines,
    reason = "one mock per outcome class, then one run whose summary counts them all"
)]
fn the_summary_counts_every_outcome_on_stderr_and_in_the_summary_file() {
    let server = MockServer::start();
    let mocks = [
        expect_n(&server, 1, |then| with_summary(ok(then, "r1"), 2.0, 100)),
        expect_n(&server, 2, |then| {
            with_summary(function_error(then), 4.0, 200)
        }),
        expect_n(&server, 3, |then| {
            api_error(
                then,
                401,
                "APIG.0301",
                "Incorrect IAM authentication information",
            )
        }),
        expect_n(&server, 4, |then| {
            api_error(then, 500, "FSS.0500", "Internal server error.")
        }),
        expect_n(&server, 5, |then| {
            ok(then, "too late").delay(Duration::from_secs(3))
        }),
    ];
    let anything_else = catch_all(&server);
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let file = batch_file(
        &home,
        &format!("{}\n{}\n{}\n{}\n{}\n[1,\n", n(1), n(2), n(3), n(4), n(5)),
    );
    let out = cmd
        .args(invoke_args(&server))
        .args([
            "--batch",
            &file,
            "-o",
            "json",
            "--timeout",
            "0.5",
            "--summary",
            "summary.json",
        ])
        .run();
    // The first failure in input order is line 2's function error.
    out.code(1);
    let exit_codes: Vec<Value> = json_lines(&out.stdout)
        .iter()
        .map(|r| r["error"]["exit_code"].clone())
        .collect();
    assert_eq!(
        exit_codes,
        [
            Value::Null,
            Value::Null,
            json!(3),
            json!(5),
            json!(7),
            json!(2)
        ]
    );

    assert_eq!(
        counts(&out.stderr),
        "6 calls: 1 ok, 1 function error, 1 refused, 1 service failure, 1 timeout, 1 invalid input"
    );
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert!(matches(COUNTS_LINE, lines[0]), "{}", out.stderr);
    assert!(matches(LATENCY_LINE, lines[1]), "{}", out.stderr);
    assert!(matches(SERVICE_LINE, lines[2]), "{}", out.stderr);
    assert!(
        lines[2].starts_with("service duration: p50 2 ms, p99 4"),
        "{}",
        out.stderr
    );
    assert!(
        lines[2].ends_with("; billed 300 ms in all"),
        "{}",
        out.stderr
    );
    assert!(
        lines[3].starts_with("error: 5 of 6 calls failed"),
        "{}",
        out.stderr
    );

    let summary = read_summary(&home);
    assert_eq!(summary["calls"], 6);
    assert_eq!(
        outcomes(&summary),
        expected_outcomes(&[
            ("ok", 1),
            ("function_error", 1),
            ("refused", 1),
            ("service_failure", 1),
            ("timeout", 1),
            ("invalid_input", 1),
        ])
    );
    assert_eq!(summary["retries"], 0);
    assert_eq!(summary["interrupted"], false);
    assert_eq!(summary["abandoned"], 0);
    assert_eq!(summary["billed_duration_ms_total"].as_f64(), Some(300.0));
    let latency: Vec<f64> = ["min", "p50", "p90", "p99", "max"]
        .iter()
        .map(|q| summary["latency_ms"][q].as_f64().expect("a latency"))
        .collect();
    assert!(latency.windows(2).all(|w| w[0] <= w[1]), "{latency:?}");
    // The slowest call is the one that timed out after 0.5 s.
    assert!((500.0..3000.0).contains(&latency[4]), "{latency:?}");
    let p50 = summary["service_duration_ms"]["p50"].as_f64().expect("p50");
    let p99 = summary["service_duration_ms"]["p99"].as_f64().expect("p99");
    assert!((1.99..=2.01).contains(&p50), "{p50}");
    assert!((3.99..=4.01).contains(&p99), "{p99}");
    assert!(summary["elapsed_s"].as_f64().expect("elapsed") >= 0.5);
    for mock in &mocks {
        mock.assert_calls(1);
    }
    anything_else.assert_calls(0);
}

#[test]
fn the_summary_counts_network_failures() {
    let endpoint = refused_endpoint();
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let file = batch_file(&home, &format!("{}\n{}\n", n(1), n(2)));
    let out = cmd
        .args([
            "invoke",
            URN,
            "--token",
            TOKEN,
            "--endpoint",
            &endpoint,
            "--batch",
            &file,
            "-o",
            "json",
            "--summary",
            "summary.json",
        ])
        .run();
    out.code(6);
    let records = json_lines(&out.stdout);
    assert_eq!(records.len(), 2);
    for (record, line) in records.iter().zip([1, 2]) {
        assert_eq!(record["line"], line);
        assert_eq!(record["error"]["exit_code"], 6);
    }
    assert_eq!(counts(&out.stderr), "2 calls: 0 ok, 2 network");
    let summary = read_summary(&home);
    assert_eq!(outcomes(&summary), expected_outcomes(&[("network", 2)]));
    assert_eq!(summary["billed_duration_ms_total"].as_f64(), Some(0.0));
}

#[test]
fn quiet_silences_the_summary_but_not_errors() {
    let server = MockServer::start();
    let first = expect_n(&server, 1, |then| ok(then, "r1"));
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let file = batch_file(&home, &format!("{}\n", n(1)));
    cmd.args(invoke_args(&server))
        .args(["--batch", &file, "-q", "--summary", "summary.json"])
        .run()
        .code(0)
        .stdout("r1\n")
        .stderr("");
    // The summary file is still written.
    assert_eq!(read_summary(&home)["calls"], 1);

    let mut cmd = Fgs::new();
    let home = cmd.home();
    let file = batch_file(&home, &format!("{}\nnope\n", n(1)));
    let out = cmd
        .args(invoke_args(&server))
        .args(["--batch", &file, "-q"])
        .run();
    out.code(2);
    out.stdout("r1\n\n");
    assert!(
        out.stderr
            .starts_with("error: line 2: the payload is not valid JSON"),
        "{}",
        out.stderr
    );
    out.stderr_contains("error: 1 of 2 calls failed");
    assert!(
        !out.stderr.lines().any(|l| matches(COUNTS_LINE, l)),
        "{}",
        out.stderr
    );
    out.stderr_lacks("latency:");
    first.assert_calls(2);
}

#[test]
fn no_progress_bar_when_stderr_is_not_a_terminal() {
    // Long enough (about half a second) that a bar would have been drawn several times.
    let server = MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), |then| {
        with_summary(ok(then, "r"), 1.0, 1).delay(Duration::from_millis(50))
    });
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let text = "{}\n".repeat(20);
    let file = batch_file(&home, &text);
    let out = cmd
        .args(invoke_args(&server))
        .args(["--batch", &file, "--concurrency", "2"])
        .run();
    out.code(0);
    out.stdout("r\n".repeat(20));
    assert_only_the_summary(&out.stderr, true);
    assert_eq!(counts(&out.stderr), "20 calls: 20 ok");
    out.stderr_contains("; billed 20 ms in all\n");
    mock.assert_calls(20);

    // The same for --repeat.
    let out = Fgs::new()
        .args(invoke_args(&server))
        .args(["--repeat", "10", "-d", "{}", "--concurrency", "2"])
        .run();
    out.code(0);
    assert_only_the_summary(&out.stderr, true);
    mock.assert_calls(30);
}

// Unix only: runs fgs under `script(1)` for a pseudo-terminal; Windows has no `script`.
#[cfg(unix)]
#[test]
fn the_progress_bar_is_drawn_when_stderr_is_a_terminal() {
    // The counterpart of the test above, so that it proves something.
    let server = MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), |then| {
        ok(then, "r").delay(Duration::from_millis(100))
    });
    let out = stderr_on_a_terminal(|home| {
        let file = batch_file(home, &"{}\n".repeat(6));
        let mut args = invoke_args(&server);
        args.extend(["--batch".into(), file, "--concurrency".into(), "1".into()]);
        args
    });
    assert_eq!(out.code, Some(0), "{}", out.terminal);
    assert_eq!(out.stdout, "r\n".repeat(6));
    // The terminal saw the bar (done of total, errors so far), then the summary.
    assert!(out.terminal.contains("/6"), "{:?}", out.terminal);
    assert!(out.terminal.contains("0 errors"), "{:?}", out.terminal);
    assert!(out.terminal.contains("6 calls in "), "{:?}", out.terminal);
    mock.assert_calls(6);
}

// Unix only: runs fgs under `script(1)` for a pseudo-terminal; Windows has no `script`.
#[cfg(unix)]
#[test]
fn verbose_turns_the_progress_bar_off_on_a_terminal() {
    let server = MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), |then| ok(then, "r"));
    let out = stderr_on_a_terminal(|home| {
        let file = batch_file(home, &"{}\n".repeat(3));
        let mut args = invoke_args(&server);
        args.extend(["--batch".into(), file, "-v".into()]);
        args
    });
    assert_eq!(out.code, Some(0), "{}", out.terminal);
    assert_eq!(out.stdout, "r\n".repeat(3));
    // Each call's request and response lines, and the summary, but no bar between them.
    assert_eq!(
        out.terminal.matches("> POST ").count(),
        3,
        "{:?}",
        out.terminal
    );
    assert!(!out.terminal.contains("/3"), "{:?}", out.terminal);
    assert!(!out.terminal.contains("0 errors"), "{:?}", out.terminal);
    assert!(out.terminal.contains("3 calls in "), "{:?}", out.terminal);
    mock.assert_calls(3);
}

// Unix only: runs fgs under `script(1)` for a pseudo-terminal; Windows has no `script`.
#[cfg(unix)]
#[test]
fn a_single_call_over_a_second_shows_a_spinner_on_a_terminal() {
    let server = MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), |then| {
        ok(then, "slow").delay(Duration::from_millis(1600))
    });
    let out = stderr_on_a_terminal(|_| invoke_args(&server));
    assert_eq!(out.code, Some(0), "{}", out.terminal);
    assert_eq!(out.stdout, "slow\n");
    // The spinner appeared after a second, with the time since the call started, then the
    // summary line.
    assert!(
        out.terminal.contains("waiting for the function 1s"),
        "{:?}",
        out.terminal
    );
    assert!(
        !out.terminal.contains("waiting for the function 0s"),
        "{:?}",
        out.terminal
    );
    assert!(
        out.terminal.contains(" · HTTP 200 · "),
        "{:?}",
        out.terminal
    );
    mock.assert_calls(1);
}

// Unix only: runs fgs under `script(1)` for a pseudo-terminal; Windows has no `script`.
#[cfg(unix)]
#[test]
fn a_single_call_under_a_second_shows_no_spinner_on_a_terminal() {
    let server = MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), |then| ok(then, "quick"));
    let out = stderr_on_a_terminal(|_| invoke_args(&server));
    assert_eq!(out.code, Some(0), "{}", out.terminal);
    assert_eq!(out.stdout, "quick\n");
    assert!(!out.terminal.contains("waiting for"), "{:?}", out.terminal);
    assert!(
        out.terminal.contains(" · HTTP 200 · "),
        "{:?}",
        out.terminal
    );
    mock.assert_calls(1);
}

// ---------------------------------------------------------------------------------------
// Usage errors
// ---------------------------------------------------------------------------------------

/// Run with `args` after the usual start; expect exit 2, nothing on stdout, nothing sent.
fn assert_usage_error(args: &[&str], stderr_has: &str) {
    let server = MockServer::start();
    let anything = catch_all(&server);
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let file = batch_file(&home, "{}\n");
    let args: Vec<String> = args
        .iter()
        .map(|a| {
            if *a == "FILE" {
                file.clone()
            } else {
                a.to_string()
            }
        })
        .collect();
    let out = cmd.args(invoke_args(&server)).args(&args).run();
    assert_eq!(out.code, Some(2), "{args:?}: {}", out.stderr);
    assert_eq!(out.stdout, "", "{args:?}");
    assert!(
        out.stderr.contains(stderr_has),
        "{args:?}: {stderr_has:?} not in {}",
        out.stderr
    );
    anything.assert_calls(0);
}

#[test]
fn concurrency_without_batch_or_repeat_is_a_usage_error() {
    assert_usage_error(&["--concurrency", "2"], "--concurrency");
    assert_usage_error(&["--concurrency", "2", "-d", "{}"], "--batch");
}

#[test]
fn summary_without_batch_or_repeat_is_a_usage_error() {
    assert_usage_error(&["--summary", "s.json", "-d", "{}"], "--summary");
}

#[test]
fn batch_with_data_is_a_usage_error() {
    assert_usage_error(&["--batch", "FILE", "-d", "{}"], "cannot be used with");
}

#[test]
fn batch_and_repeat_together_is_a_usage_error() {
    assert_usage_error(&["--batch", "FILE", "--repeat", "2"], "cannot be used with");
}

#[test]
fn dry_run_with_batch_or_repeat_is_a_usage_error() {
    assert_usage_error(&["--batch", "FILE", "--dry-run"], "cannot be used with");
    assert_usage_error(
        &["--repeat", "2", "-d", "{}", "--dry-run"],
        "cannot be used with",
    );
}

#[test]
fn repeat_0_and_concurrency_0_are_usage_errors() {
    assert_usage_error(&["--repeat", "0", "-d", "{}"], "--repeat");
    assert_usage_error(
        &["--repeat", "1", "--concurrency", "0", "-d", "{}"],
        "--concurrency",
    );
}

#[test]
fn a_missing_batch_file_is_a_usage_error() {
    assert_usage_error(
        &["--batch", "no-such-file.ndjson"],
        "opening the batch file no-such-file.ndjson",
    );
}

// ---------------------------------------------------------------------------------------
// --repeat
// ---------------------------------------------------------------------------------------

#[test]
fn repeat_sends_exactly_n_identical_requests_with_the_data_payload() {
    let server = MockServer::start();
    let mock = expect_invocation(&server, &Expect::body(r#"{"k":"v"}"#), |then| {
        ok(then, "hello")
    });
    let anything_else = catch_all(&server);
    let out = Fgs::new()
        .args(invoke_args(&server))
        .args(["--repeat", "7", "-d", r#"{"k":"v"}"#, "--concurrency", "3"])
        .run();
    out.code(0);
    out.stdout("hello\n".repeat(7));
    assert_eq!(counts(&out.stderr), "7 calls: 7 ok");
    assert_only_the_summary(&out.stderr, false);
    mock.assert_calls(7);
    anything_else.assert_calls(0);
}

#[test]
fn repeat_takes_the_payload_from_stdin() {
    let server = MockServer::start();
    let mock = expect_invocation(&server, &Expect::body("{\"from\":\"stdin\"}\n"), |then| {
        ok(then, "hi")
    });
    let anything_else = catch_all(&server);
    let out = Fgs::new()
        .args(invoke_args(&server))
        .args(["--repeat", "3", "-o", "json"])
        .stdin("{\"from\":\"stdin\"}\n")
        .run();
    out.code(0);
    let lines: Vec<u64> = json_lines(&out.stdout)
        .iter()
        .map(|r| {
            assert_eq!(r["result"], "hi");
            r["line"].as_u64().expect("a line number")
        })
        .collect();
    assert_eq!(lines, [1, 2, 3]);
    mock.assert_calls(3);
    anything_else.assert_calls(0);
}

#[test]
fn repeat_with_an_invalid_payload_sends_nothing() {
    let server = MockServer::start();
    let anything = catch_all(&server);
    Fgs::new()
        .args(invoke_args(&server))
        .args(["--repeat", "3", "-d", "nope"])
        .run()
        .code(2)
        .stdout("")
        .stderr_starts_with("error: the payload from --data is not valid JSON");
    anything.assert_calls(0);
}

#[test]
fn a_batch_shares_kept_alive_connections() {
    let answers: Vec<String> = (0..20).map(|_| ok_response("r")).collect();
    let (endpoint, log) = sequence_server(answers);
    let out = Fgs::new()
        .args(["invoke", URN, "--token", TOKEN, "--endpoint", &endpoint])
        .args(["--repeat", "20", "-d", "{}", "--concurrency", "2"])
        .run();
    out.code(0);
    out.stdout("r\n".repeat(20));
    let log = log.lock().expect("the log");
    assert_eq!(log.len(), 20);
    // Two in practice; a little slack for the pool's race between putting a connection
    // back and opening a new one.
    let connections = log.iter().map(|r| r.connection).max().expect("requests") + 1;
    assert!(
        connections <= 4,
        "20 calls, 2 at a time, used {connections} connections"
    );
}

// ---------------------------------------------------------------------------------------
// --retries
// ---------------------------------------------------------------------------------------

/// A 200 with the v1 envelope, for [`sequence_server`].
fn ok_response(result: &str) -> String {
    http_response(
        "200 OK",
        &[
            ("Content-Type", "application/json"),
            ("X-Cff-Request-Id", "req-1"),
            ("X-Func-Err-Code", "0"),
            ("X-Is-Func-Err", "false"),
        ],
        &format!(
            "{{\"request_id\":\"req-1\",\"result\":{},\"log\":\"\",\"status\":200}}",
            json_string(result)
        ),
    )
}

fn throttled(extra: &[(&str, &str)]) -> String {
    let mut headers = vec![("Content-Type", "application/json")];
    headers.extend_from_slice(extra);
    http_response(
        "429 Too Many Requests",
        &headers,
        r#"{"error_code":"FSS.0429","error_msg":"Too many requests."}"#,
    )
}

/// Every request is the same invocation: method, path, headers and body.
fn assert_all_the_same_invocation(log: &Log, count: usize, body: &str) {
    let log = log.lock().expect("the log");
    assert_eq!(log.len(), count, "{log:?}");
    for request in log.iter() {
        assert_eq!(request.method, "POST");
        assert_eq!(request.path, invocation_path(PROJECT, URN));
        assert_eq!(request.header("content-type"), Some("application/json"));
        assert_eq!(request.header("x-auth-token"), Some(TOKEN));
        assert_eq!(request.header("x-cff-request-version"), Some("v1"));
        assert_eq!(
            request.header("user-agent"),
            Some(format!("fgs/{VERSION}").as_str())
        );
        assert_eq!(String::from_utf8_lossy(&request.body), body);
    }
}

fn invoke_at(endpoint: &str) -> [&str; 6] {
    ["invoke", URN, "--token", TOKEN, "--endpoint", endpoint]
}

#[test]
fn a_429_is_retried_and_then_succeeds() {
    let (endpoint, log) = sequence_server(vec![throttled(&[]), ok_response("hello")]);
    let out = Fgs::new()
        .args(invoke_at(&endpoint))
        .args(["--retries", "2", "-d", r#"{"k":"v"}"#])
        .run();
    out.code(0);
    out.stdout("hello\n");
    out.stderr("ok · HTTP 200 · request req-1 · error code 0\n");
    assert_all_the_same_invocation(&log, 2, r#"{"k":"v"}"#);
}

#[test]
fn a_503_is_retried_and_then_succeeds() {
    let unavailable = http_response(
        "503 Service Unavailable",
        &[],
        r#"{"error_code":"FSS.0503","error_msg":"Service unavailable."}"#,
    );
    let (endpoint, log) = sequence_server(vec![unavailable, ok_response("hello")]);
    let out = Fgs::new()
        .args(invoke_at(&endpoint))
        .args(["--retries", "1", "-d", "{}", "-v"])
        .run();
    out.code(0);
    out.stdout("hello\n");
    assert!(
        out.stderr.contains("retry 1 of 1 in ") && out.stderr.contains(" s after: HTTP 503"),
        "{}",
        out.stderr
    );
    assert_all_the_same_invocation(&log, 2, "{}");
}

#[test]
fn retries_are_shown_with_verbose_and_counted_in_the_summary() {
    let (endpoint, log) = sequence_server(vec![throttled(&[]), ok_response("hello")]);
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let out = cmd
        .args(invoke_at(&endpoint))
        .args([
            "--retries",
            "2",
            "--repeat",
            "1",
            "-d",
            "{}",
            "-v",
            "--summary",
            "summary.json",
        ])
        .run();
    out.code(0);
    out.stdout("hello\n");
    let retry_lines: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| l.contains("retry "))
        .collect();
    assert_eq!(retry_lines.len(), 1, "{}", out.stderr);
    assert!(
        matches(
            r"^line 1: retry 1 of 2 in \d+(\.\d+)? s after: HTTP 429$",
            retry_lines[0]
        ),
        "{}",
        out.stderr
    );
    assert_eq!(counts(&out.stderr), "1 calls: 1 ok; 1 retries");
    let summary = read_summary(&home);
    assert_eq!(summary["calls"], 1);
    assert_eq!(summary["retries"], 1);
    assert_eq!(outcomes(&summary), expected_outcomes(&[("ok", 1)]));
    assert_all_the_same_invocation(&log, 2, "{}");
}

#[test]
fn each_line_of_a_batch_is_retried_on_its_own() {
    let (endpoint, log) = sequence_server(vec![
        throttled(&[("Retry-After", "0")]),
        ok_response("r1"),
        ok_response("r2"),
        throttled(&[("Retry-After", "0")]),
        throttled(&[("Retry-After", "0")]),
        ok_response("r3"),
    ]);
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let file = batch_file(&home, &format!("{}\n{}\n{}\n", n(1), n(2), n(3)));
    let out = cmd
        .args(invoke_at(&endpoint))
        .args([
            "--batch",
            &file,
            "--concurrency",
            "1",
            "--retries",
            "2",
            "-v",
            "--summary",
            "summary.json",
        ])
        .run();
    out.code(0);
    out.stdout("r1\nr2\nr3\n");
    let retry_lines: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| l.contains("retry "))
        .collect();
    assert_eq!(
        retry_lines,
        [
            "line 1: retry 1 of 2 in 0 s after: HTTP 429",
            "line 3: retry 1 of 2 in 0 s after: HTTP 429",
            "line 3: retry 2 of 2 in 0 s after: HTTP 429",
        ]
    );
    assert_eq!(read_summary(&home)["retries"], 3);
    let bodies: Vec<String> = log
        .lock()
        .expect("the log")
        .iter()
        .map(|r| String::from_utf8_lossy(&r.body).into_owned())
        .collect();
    assert_eq!(bodies, [n(1), n(1), n(2), n(3), n(3), n(3)]);
}

#[test]
fn retry_after_is_honoured() {
    // Retry-After: 0 means at once, not the usual backoff.
    let (endpoint, log) = sequence_server(vec![
        throttled(&[("Retry-After", "0")]),
        ok_response("hello"),
    ]);
    let mut cmd = Fgs::new();
    let out = cmd
        .args(invoke_at(&endpoint))
        .args(["--retries", "2", "-d", "{}", "-v"])
        .run();
    out.code(0);
    out.stderr_contains("retry 1 of 2 in 0 s after: HTTP 429\n");
    assert_all_the_same_invocation(&log, 2, "{}");

    // Retry-After: 1 waits a second, longer than the first backoff step.
    let (endpoint, log) = sequence_server(vec![
        throttled(&[("Retry-After", "1")]),
        ok_response("hello"),
    ]);
    let mut cmd = Fgs::new();
    let started = Instant::now();
    let out = cmd
        .args(invoke_at(&endpoint))
        .args(["--retries", "2", "-d", "{}", "-v"])
        .run();
    out.code(0);
    assert!(started.elapsed() >= Duration::from_secs(1));
    out.stderr_contains("retry 1 of 2 in 1 s after: HTTP 429\n");
    assert_all_the_same_invocation(&log, 2, "{}");
}

#[test]
fn retries_stop_after_n_more_attempts() {
    let (endpoint, log) = sequence_server(vec![
        throttled(&[("Retry-After", "0")]),
        throttled(&[("Retry-After", "0")]),
        throttled(&[("Retry-After", "0")]),
        ok_response("never reached"),
    ]);
    let out = Fgs::new()
        .args(invoke_at(&endpoint))
        .args(["--retries", "2", "-d", "{}"])
        .run();
    out.code(4);
    out.stdout("");
    assert!(
        out.stderr
            .starts_with("error: the service refused the request: FSS.0429: Too many requests.\n"),
        "{}",
        out.stderr
    );
    assert_all_the_same_invocation(&log, 3, "{}");
}

#[test]
fn a_refused_connection_is_retried_with_backoff() {
    let endpoint = refused_endpoint();
    let mut cmd = Fgs::new();
    let started = Instant::now();
    let out = cmd
        .args(invoke_at(&endpoint))
        .args(["--retries", "2", "-d", "{}", "-v"])
        .run();
    let elapsed = started.elapsed();
    out.code(6);
    out.stdout("");
    // Three attempts, each shown with -v; two retries between them.
    assert_eq!(out.stderr.matches("> POST ").count(), 3, "{}", out.stderr);
    let retry_lines: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| l.contains("retry "))
        .collect();
    assert_eq!(retry_lines.len(), 2, "{}", out.stderr);
    assert!(
        retry_lines[0].starts_with("retry 1 of 2 in "),
        "{}",
        out.stderr
    );
    assert!(
        retry_lines[1].starts_with("retry 2 of 2 in "),
        "{}",
        out.stderr
    );
    assert!(
        retry_lines
            .iter()
            .all(|l| l.contains(" s after: could not reach the service")),
        "{}",
        out.stderr
    );
    out.stderr_contains("error: could not reach the service\n");
    // Backoff: at least half of 200 ms, then half of 400 ms.
    assert!(elapsed >= Duration::from_millis(300), "{elapsed:?}");
}

#[test]
fn a_refused_connection_then_a_listening_server_succeeds() {
    // Hold the port's number, not the port: fgs's first attempt is refused; once -v shows
    // that retry 1 is coming, a server starts listening there.
    let endpoint = refused_endpoint();
    let address = endpoint.trim_start_matches("http://").to_string();
    let (mut cmd, _home) = fgs_process();
    let mut child = cmd
        .args(invoke_at(&endpoint))
        .args(["--retries", "5", "-d", "{}", "-v"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawning fgs");
    let mut stderr = BufReader::new(child.stderr.take().expect("stderr"));
    let mut seen = String::new();
    let mut log = None;
    loop {
        let mut line = String::new();
        if stderr.read_line(&mut line).expect("reading stderr") == 0 {
            break;
        }
        seen.push_str(&line);
        if log.is_none() && line.starts_with("retry 1 of 5 in ") {
            let listener = TcpListener::bind(&address).expect("binding the port again");
            log = Some(serve_sequence(listener, vec![ok_response("at last")]));
        }
    }
    let mut stdout = String::new();
    child
        .stdout
        .take()
        .expect("stdout")
        .read_to_string(&mut stdout)
        .expect("reading stdout");
    let status = child.wait().expect("waiting for fgs");
    assert_eq!(status.code(), Some(0), "{seen}");
    assert_eq!(stdout, "at last\n");
    assert!(
        seen.contains("retry 1 of 5 in ") && seen.contains("after: could not reach the service"),
        "{seen}"
    );
    assert_all_the_same_invocation(&log.expect("a retry was announced"), 1, "{}");
}

#[test]
fn no_retry_after_a_timeout() {
    let server = MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), |then| {
        ok(then, "too late").delay(Duration::from_secs(3))
    });
    let out = Fgs::new()
        .args(invoke_args(&server))
        .args(["--timeout", "0.5", "--retries", "3", "-v"])
        .run();
    out.code(7);
    out.stdout("");
    out.stderr_lacks("retry ");
    out.stderr_contains("error: no answer within 0.5 s\n");
    mock.assert_calls(1);
}

#[test]
fn no_retry_after_a_401_or_403() {
    for status in [401, 403] {
        let server = MockServer::start();
        let mock = expect_invocation(&server, &Expect::default(), |then| {
            api_error(
                then,
                status,
                "APIG.0301",
                "Incorrect IAM authentication information",
            )
        });
        let out = Fgs::new()
            .args(invoke_args(&server))
            .args(["--retries", "3", "-v"])
            .run();
        assert_eq!(out.code, Some(3), "{status}: {}", out.stderr);
        out.stdout("");
        out.stderr_lacks("retry ");
        mock.assert_calls(1);
    }
}

#[test]
fn no_retry_after_a_500_or_another_4xx() {
    for (status, code) in [(500, 5), (502, 5), (504, 5), (400, 4), (404, 4), (413, 4)] {
        let server = MockServer::start();
        let mock = expect_invocation(&server, &Expect::default(), |then| {
            api_error(then, status, "FSS.X", "no")
        });
        let out = Fgs::new()
            .args(invoke_args(&server))
            .args(["--retries", "3", "-v"])
            .run();
        assert_eq!(out.code, Some(code), "{status}: {}", out.stderr);
        out.stderr_lacks("retry ");
        mock.assert_calls(1);
    }
}

#[test]
fn no_retries_by_default() {
    let (endpoint, log) = sequence_server(vec![throttled(&[]), ok_response("hello")]);
    let out = Fgs::new()
        .args(invoke_at(&endpoint))
        .args(["-d", "{}"])
        .run();
    out.code(4);
    assert_all_the_same_invocation(&log, 1, "{}");
}

// ---------------------------------------------------------------------------------------
// Ctrl-C and a closed stdout
// ---------------------------------------------------------------------------------------

/// Start a batch of `lines` lines of `{}` in json mode against `server`, `extra` flags added.
// Unix only: Ctrl-C is sent with `kill -INT`, which Windows lacks.
#[cfg(unix)]
fn spawn_batch(
    server: &MockServer,
    lines: usize,
    extra: &[&str],
) -> (std::process::Child, TempDir) {
    let (mut cmd, home) = fgs_process();
    let file = batch_file(&home, &"{}\n".repeat(lines));
    let child = cmd
        .args(invoke_args(server))
        .args(["--batch", &file, "-o", "json"])
        .args(extra)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawning fgs");
    (child, home)
}

// Unix only: Ctrl-C is sent with `kill -INT`, which Windows lacks.
#[cfg(unix)]
fn interrupt(child: &std::process::Child) {
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("running kill");
    assert!(status.success());
}

// Unix only: Ctrl-C is sent with `kill -INT`, which Windows lacks.
#[cfg(unix)]
#[test]
fn ctrl_c_during_a_batch_finishes_the_calls_in_flight_and_exits_130() {
    let server = MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), |then| {
        ok(then, "r").delay(Duration::from_millis(300))
    });
    // 50 lines, 2 at a time, 300 ms each: 7.5 s in all if nothing stopped it.
    let (child, home) = spawn_batch(
        &server,
        50,
        &["--concurrency", "2", "--summary", "summary.json"],
    );
    wait_for_hit(&mock, Duration::from_secs(10));
    let signalled = Instant::now();
    interrupt(&child);
    let out = Run::from(child.wait_with_output().expect("waiting for fgs"));
    let took = signalled.elapsed();
    out.code(130);
    assert!(took < Duration::from_millis(1500), "{took:?}");
    // Only whole lines, in order from line 1, one for each call that was made.
    out.stdout_ends_with("\n");
    let records = json_lines(&out.stdout);
    assert!(!records.is_empty() && records.len() < 50, "{}", out.stdout);
    for (i, record) in records.iter().enumerate() {
        assert_eq!(record["line"], i + 1);
        assert_eq!(record["result"], "r");
    }
    assert_eq!(mock.calls(), records.len());
    // The summary says so, then the interruption is reported.
    let first = out.stderr.lines().next().unwrap_or_default();
    assert!(
        first.starts_with(&format!("{} calls in ", records.len())),
        "{}",
        out.stderr
    );
    assert!(
        first.ends_with("; interrupted, 0 in flight abandoned"),
        "{}",
        out.stderr
    );
    out.stderr_ends_with("error: interrupted\n");
    let summary = read_summary(&home);
    assert_eq!(summary["interrupted"], true);
    assert_eq!(summary["abandoned"], 0);
    assert_eq!(summary["calls"], records.len());
}

// Unix only: Ctrl-C is sent with `kill -INT`, which Windows lacks.
#[cfg(unix)]
#[test]
fn a_second_ctrl_c_abandons_the_calls_in_flight() {
    let server = MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), |then| {
        ok(then, "r").delay(Duration::from_secs(5))
    });
    let (child, _home) = spawn_batch(&server, 10, &["--concurrency", "2"]);
    let waiting = Instant::now();
    while mock.calls() < 2 {
        assert!(
            waiting.elapsed() < Duration::from_secs(10),
            "two calls never arrived"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let signalled = Instant::now();
    interrupt(&child);
    std::thread::sleep(Duration::from_millis(200));
    interrupt(&child);
    let out = Run::from(child.wait_with_output().expect("waiting for fgs"));
    out.code(130);
    assert!(signalled.elapsed() < Duration::from_millis(1500));
    out.stdout("");
    assert!(
        out.stderr.starts_with("0 calls in ")
            && out
                .stderr
                .contains("; interrupted, 2 in flight abandoned\n"),
        "{}",
        out.stderr
    );
    out.stderr_ends_with("error: interrupted\n");
    mock.assert_calls(2);
}

// Unix only: Ctrl-C is sent with `kill -INT`, which Windows lacks.
#[cfg(unix)]
#[test]
fn calls_in_flight_are_abandoned_after_a_short_grace() {
    let server = MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), |then| {
        ok(then, "r").delay(Duration::from_secs(8))
    });
    let (child, _home) = spawn_batch(&server, 10, &["--concurrency", "1"]);
    wait_for_hit(&mock, Duration::from_secs(10));
    let signalled = Instant::now();
    interrupt(&child);
    let out = Run::from(child.wait_with_output().expect("waiting for fgs"));
    let took = signalled.elapsed();
    out.code(130);
    // A short grace, well before the call would have been answered.
    assert!(took < Duration::from_secs(5), "{took:?}");
    out.stdout("");
    assert!(
        out.stderr
            .contains("; interrupted, 1 in flight abandoned\n"),
        "{}",
        out.stderr
    );
    mock.assert_calls(1);
}

// Unix only: pipes fgs into `head` through `sh -c`; Windows has neither.
#[cfg(unix)]
#[test]
fn a_closed_stdout_during_a_batch_is_not_an_error() {
    // 300 results of 1 KB each: far more than a pipe holds, so fgs meets the closed pipe.
    let big = "z".repeat(1024);
    let server = MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), |then| ok(then, &big));
    let mut cmd = Fgs::program("sh");
    let home = cmd.home();
    let file = batch_file(&home, &"{}\n".repeat(300));
    let out = cmd
        .arg("-c")
        .arg(r#"{ "$0" "$@"; echo "$?" > fgs-status; } | head -n 1"#)
        .arg(BIN)
        .args(invoke_args(&server))
        .args(["--batch", &file])
        .run();
    out.code(0);
    out.stdout(format!("{big}\n"));
    let lower = out.stderr.to_ascii_lowercase();
    assert!(!lower.contains("broken pipe"), "{}", out.stderr);
    assert!(!lower.contains("os error 32"), "{}", out.stderr);
    assert!(!lower.contains("error"), "{}", out.stderr);
    assert!(
        out.stderr
            .lines()
            .next()
            .is_some_and(|l| matches(COUNTS_LINE, l)),
        "{}",
        out.stderr
    );
    let status = std::fs::read_to_string(home.path().join("fgs-status")).expect("fgs-status");
    assert_eq!(status.trim(), "0");
    assert!(mock.calls() >= 1 && mock.calls() <= 300);
}

#[test]
fn no_spinner_when_stderr_is_not_a_terminal() {
    // A single call that takes more than a second: on a terminal it would show a spinner.
    let server = MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), |then| {
        ok(then, "slow").delay(Duration::from_millis(1200))
    });
    Fgs::new()
        .args(invoke_args(&server))
        .run()
        .code(0)
        .stdout("slow\n")
        .stderr("ok · HTTP 200 · request req-1 · error code 0\n");
    mock.assert_calls(1);
}

#[test]
fn batch_from_a_pipe_streams_each_line_while_the_input_is_still_open() {
    use std::io::Write;
    let server = MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), |then| ok(then, "r"));
    let (mut cmd, _home) = fgs_process();
    let mut child = cmd
        .args(invoke_args(&server))
        .args(["--batch", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawning fgs");
    let mut stdin = child.stdin.take().expect("stdin");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if tx.send(line.expect("reading stdout")).is_err() {
                return;
            }
        }
    });
    // One line at a time, the input left open: each result must come out before the next
    // line goes in (as with `tail -f events | fgs invoke --batch -`).
    for i in 1..=3 {
        stdin.write_all(b"{}\n").expect("writing a line");
        stdin.flush().expect("flushing stdin");
        let got = rx.recv_timeout(Duration::from_secs(2));
        assert_eq!(
            got.as_deref(),
            Ok("r"),
            "the result of line {i} was not written while the input stayed open"
        );
    }
    drop(stdin);
    let status = child.wait().expect("waiting for fgs");
    assert_eq!(status.code(), Some(0));
    mock.assert_calls(3);
}
