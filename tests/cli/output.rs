//! What goes where: the result on stdout (pretty, raw, json), the log, warnings and the
//! summary line on stderr, `-q`, and a closed stdout pipe.

use std::io::Read;
use std::process::Stdio;
use std::time::Duration;

use predicates::prelude::*;

use crate::common::*;

/// The request id of the documented example response.
pub const DOC_REQUEST_ID: &str = "1cbe80f3-3c65-475e-ad88-76ac518d386x";
/// The `result` of the documented example, as the function returned it.
pub const DOC_RESULT: &str = r#"{"statusCode": 200, "isBase64Encoded": false, "body": "{\"key\": \"value\"}", "headers": {"Content-Type": "application/json"}}"#;
pub const DOC_LOG: &str = "2022-09-20T11:43:57Z Start invoke request '1cbe80f3-3c65-475e-ad88-76ac518d386a', version: v1\nHello, World!\n\n2022-09-20T11:43:58Z Finish invoke request '1cbe80f3-3c65-475e-ad88-76ac518d386a', duration: 65.828ms, billing duration: 66ms, memory used: 21.473MB, billing memory: 128MB";
/// The summary line for the documented example with the documented summary header.
pub const DOC_SUMMARY: &str = "ok · HTTP 200 · request 1cbe80f3-3c65-475e-ad88-76ac518d386x · duration 1.913 ms · billed 100 ms · memory 41.512/128 MB · error code 0\n";
/// The documented result, pretty: the JSON string in `body` expanded.
pub const DOC_PRETTY: &str = "{\n  \"statusCode\": 200,\n  \"isBase64Encoded\": false,\n  \"body\": {\n    \"key\": \"value\"\n  },\n  \"headers\": {\n    \"Content-Type\": \"application/json\"\n  }\n}\n";

/// The documented example response (body, summary header, error headers); the request id
/// comes from the body.
pub fn documented(then: httpmock::Then) -> httpmock::Then {
    then.status(200)
        .header("Content-Type", "application/json")
        .header(
            "X-Cff-Invoke-Summary",
            fixture("invoke-summary-example.json"),
        )
        .header("X-Func-Err-Code", "0")
        .header("X-Is-Func-Err", "false")
        .body(fixture("sync-response-example.json"))
}

/// The documented log as fgs shows it without colour (each line set apart by `│ `), then
/// the summary.
fn doc_stderr() -> String {
    format!("{}{DOC_SUMMARY}", set_apart(&format!("{DOC_LOG}\n")))
}

#[test]
fn the_fixture_is_the_documented_example() {
    // Guard against the fixture drifting from the constants the tests compare with.
    let body = fixture("sync-response-example.json");
    assert!(body.contains(&json_string(DOC_RESULT)));
    assert!(body.contains(&json_string(DOC_LOG)));
    assert!(body.contains(DOC_REQUEST_ID));
}

#[test]
fn pretty_expands_json_nested_in_strings() {
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), documented);
    Fgs::new()
        .args(invoke_args(&server))
        .args(["-o", "pretty"])
        .run()
        .code(0)
        .stdout(DOC_PRETTY)
        .stderr(doc_stderr());
    mock.assert();
}

#[test]
fn pretty_expands_a_base64_body_that_holds_json() {
    // base64 of {"items":[1,2]}
    let result = r#"{"statusCode":200,"isBase64Encoded":true,"body":"eyJpdGVtcyI6WzEsMl19"}"#;
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), |then| ok(then, result));
    Fgs::new()
        .args(invoke_args(&server))
        .args(["--output", "pretty"])
        .run()
        .code(0)
        .stdout(
            "{\n  \"statusCode\": 200,\n  \"isBase64Encoded\": true,\n  \"body\": {\n    \"items\": [\n      1,\n      2\n    ]\n  }\n}\n",
        )
        .stderr("ok · HTTP 200 · request req-1 · error code 0\n");
    mock.assert();
}

#[test]
fn pretty_prints_a_result_that_is_not_json_as_it_is() {
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), |then| {
        ok(then, "message: hello world from FunctionGraph")
    });
    Fgs::new()
        .args(invoke_args(&server))
        .args(["-o", "pretty"])
        .run()
        .code(0)
        .stdout("message: hello world from FunctionGraph\n")
        .stderr("ok · HTTP 200 · request req-1 · error code 0\n");
    mock.assert();
}

#[test]
fn raw_prints_the_exact_bytes_with_a_newline_added() {
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), documented);
    Fgs::new()
        .args(invoke_args(&server))
        .args(["-o", "raw"])
        .run()
        .code(0)
        .stdout(format!("{DOC_RESULT}\n"))
        .stderr(doc_stderr());
    mock.assert();
}

#[test]
fn raw_adds_no_second_newline_and_keeps_spacing() {
    for (result, shown) in [
        ("{\"a\" :  1}\n", "{\"a\" :  1}\n"),
        ("two\nlines", "two\nlines\n"),
        ("  padded  ", "  padded  \n"),
    ] {
        let server = httpmock::MockServer::start();
        let mock = expect_invocation(&server, &Expect::default(), |then| ok(then, result));
        Fgs::new()
            .args(invoke_args(&server))
            .args(["-o", "raw"])
            .run()
            .code(0)
            .stdout(shown)
            .stderr("ok · HTTP 200 · request req-1 · error code 0\n");
        mock.assert();
    }
}

#[test]
fn the_default_mode_is_raw_when_stdout_is_not_a_terminal() {
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), documented);
    Fgs::new()
        .args(invoke_args(&server))
        .run()
        .code(0)
        .stdout(format!("{DOC_RESULT}\n"))
        .stderr(doc_stderr());
    mock.assert();
}

#[test]
fn json_mode_prints_the_documented_schema() {
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), documented);
    let mut cmd = Fgs::new();
    let expected = format!(
        concat!(
            "{{\"request_id\":\"{id}\",\"function_urn\":\"{urn}\",\"http_status\":200,\"status\":200,",
            "\"function_error\":false,\"error_code\":\"0\",",
            "\"result\":{{\"statusCode\":200,\"isBase64Encoded\":false,\"body\":\"{{\\\"key\\\": \\\"value\\\"}}\",",
            "\"headers\":{{\"Content-Type\":\"application/json\"}}}},",
            "\"log\":{log},",
            "\"summary\":{{\"duration_ms\":1.913,\"billing_duration_ms\":100,\"memory_size_mb\":128,",
            "\"memory_used_mb\":41.51171875}}}}\n"
        ),
        id = DOC_REQUEST_ID,
        urn = URN,
        log = json_string(DOC_LOG),
    );
    cmd.args(invoke_args(&server))
        .args(["-o", "json"])
        .run()
        .code(0)
        .stdout(expected)
        // The log and the summary are in the document; stderr has nothing to add.
        .stderr("");
    mock.assert();
}

#[test]
fn json_mode_with_a_text_result_and_nothing_else_known() {
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), |then| {
        then.status(200)
            .body(r#"{"result":"plain text","status":200}"#)
    });
    Fgs::new()
        .args(invoke_args(&server))
        .args(["-o", "json"])
        .run()
        .code(0)
        .stdout(format!(
            concat!(
                "{{\"request_id\":null,\"function_urn\":\"{}\",\"http_status\":200,\"status\":200,",
                "\"function_error\":false,\"error_code\":null,\"result\":\"plain text\",\"log\":null,",
                "\"summary\":{{\"duration_ms\":null,\"billing_duration_ms\":null,\"memory_size_mb\":null,",
                "\"memory_used_mb\":null}}}}\n"
            ),
            URN
        ))
        .stderr("");
    mock.assert();
}

#[test]
fn json_mode_reports_a_function_error_and_exits_1() {
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), |then| {
        then.status(200)
            .header("X-Cff-Request-Id", "req-fe")
            .header("X-Is-Func-Err", "true")
            .header("X-Func-Err-Code", "FSS.1234")
            .body(r#"{"request_id":"req-fe","result":"{\"errorMessage\":\"boom\"}","log":"","status":200}"#)
    });
    Fgs::new()
        .args(invoke_args(&server))
        .args(["-o", "json"])
        .run()
        .code(1)
        .stdout(format!(
            concat!(
                "{{\"request_id\":\"req-fe\",\"function_urn\":\"{}\",\"http_status\":200,\"status\":200,",
                "\"function_error\":true,\"error_code\":\"FSS.1234\",\"result\":{{\"errorMessage\":\"boom\"}},",
                "\"log\":null,\"summary\":{{\"duration_ms\":null,\"billing_duration_ms\":null,",
                "\"memory_size_mb\":null,\"memory_used_mb\":null}}}}\n"
            ),
            URN
        ))
        .stderr_matches(predicate::str::starts_with(
                "error: the function reported an error (error code FSS.1234)\n",
            )
            .and(predicate::str::contains("request id: req-fe"))
            .and(predicate::str::contains("HTTP 200").not()));
    mock.assert();
}

#[test]
fn json_mode_prints_an_api_error_document_on_stdout() {
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), |then| {
        then.status(404)
            .header("X-Request-Id", "rid-404")
            .body(fixture("error-404-fss1051.json"))
    });
    Fgs::new()
        .args(invoke_args(&server))
        .args(["-o", "json"])
        .run()
        .code(4)
        .stdout(
            "{\"error\":{\"function_urn\":\"urn:fss:cn-north-4:0123456789abcdef0123456789abcdef:function:default:hello:latest\",\"exit_code\":4,\"http_status\":404,\"code\":\"FSS.1051\",\"message\":\"Not found the function\",\"request_id\":\"rid-404\"}}\n",
        )
        .stderr_matches(predicate::str::starts_with(
                "error: the service refused the request: FSS.1051: Not found the function\n",
            )
            .and(predicate::str::contains("request id: rid-404")));
    mock.assert();
}

#[test]
fn json_mode_error_document_for_an_html_page() {
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), |then| {
        then.status(502).body(fixture("gateway-502.html"))
    });
    Fgs::new()
        .args(invoke_args(&server))
        .args(["-o", "json"])
        .run()
        .code(5)
        .stdout(
            "{\"error\":{\"function_urn\":\"urn:fss:cn-north-4:0123456789abcdef0123456789abcdef:function:default:hello:latest\",\"exit_code\":5,\"http_status\":502,\"code\":null,\"message\":\"502 Bad Gateway\",\"request_id\":null}}\n",
        )
        .stderr_matches(predicate::str::starts_with("error: the service failed: 502 Bad Gateway\n")
                .and(predicate::str::contains("<html").not()));
    mock.assert();
}

#[test]
fn a_200_body_that_is_not_the_v1_envelope_is_the_result_verbatim() {
    // The v0 (text) answer of the older API, from the reference's section 1.3.
    let v0 = "{\"message\": \"hello world from FunctionStage\"}";
    for (mode, shown) in [
        ("raw", format!("{v0}\n")),
        (
            "pretty",
            "{\n  \"message\": \"hello world from FunctionStage\"\n}\n".to_string(),
        ),
        (
            "json",
            format!(
                concat!(
                    "{{\"request_id\":\"req-v0\",\"function_urn\":\"{}\",\"http_status\":200,\"status\":null,",
                    "\"function_error\":false,\"error_code\":null,",
                    "\"result\":{{\"message\":\"hello world from FunctionStage\"}},\"log\":null,",
                    "\"summary\":{{\"duration_ms\":null,\"billing_duration_ms\":null,\"memory_size_mb\":null,",
                    "\"memory_used_mb\":null}}}}\n"
                ),
                URN
            ),
        ),
    ] {
        let server = httpmock::MockServer::start();
        let mock = expect_invocation(&server, &Expect::default(), |then| {
            then.status(200)
                .header("X-Cff-Request-Id", "req-v0")
                .body(v0)
        });
        let mut cmd = Fgs::new();
        cmd.args(invoke_args(&server))
            .args(["-o", mode])
            .run()
            .code(0)
            .stdout(shown)
            .stderr(if mode == "json" {
                ""
            } else {
                "ok · HTTP 200 · request req-v0\n"
            });
        mock.assert();
    }
    // Plain text, no trailing newline: printed as is, with one added.
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), |then| {
        then.status(200)
            .body("\"message: hello world from FunctionGraph\"")
    });
    Fgs::new()
        .args(invoke_args(&server))
        .run()
        .code(0)
        .stdout("\"message: hello world from FunctionGraph\"\n")
        .stderr("ok · HTTP 200\n");
    mock.assert();
}

#[test]
fn the_log_comes_from_the_base64_header_when_the_body_has_none() {
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), |then| {
        then.status(200)
            .header("X-Cff-Request-Id", "req-1")
            .header("X-Cff-Function-Log", "aGVhZGVyIGxvZyBsaW5l") // "header log line"
            .body(r#"{"request_id":"req-1","result":"done","status":200}"#)
    });
    Fgs::new()
        .args(invoke_args(&server))
        .run()
        .code(0)
        .stdout("done\n")
        .stderr("│ header log line\nok · HTTP 200 · request req-1\n");
    mock.assert();
}

#[test]
fn the_body_log_wins_over_the_header() {
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), |then| {
        then.status(200)
            .header("X-Cff-Function-Log", "aGVhZGVyIGxvZyBsaW5l")
            .body(r#"{"request_id":"req-1","result":"done","log":"body log\nsecond line\n","status":200}"#)
    });
    Fgs::new()
        .args(invoke_args(&server))
        .run()
        .code(0)
        .stdout("done\n")
        .stderr("│ body log\n│ second line\nok · HTTP 200 · request req-1\n");
    mock.assert();
}

#[test]
fn undecodable_log_base64_is_a_warning_not_a_failure() {
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), |then| {
        then.status(200)
            .header("X-Cff-Function-Log", "%%%not-base64%%%")
            .body(r#"{"request_id":"req-1","result":"done","status":200}"#)
    });
    let out = Fgs::new().args(invoke_args(&server)).run();
    out.code(0);
    out.stdout("done\n");
    let mut lines = out.stderr.lines();
    let warning = lines.next().unwrap_or_default();
    assert!(
        warning.starts_with("warning: ") && warning.contains("X-Cff-Function-Log"),
        "{}",
        out.stderr
    );
    assert_eq!(lines.next(), Some("ok · HTTP 200 · request req-1"));
    assert_eq!(lines.next(), None);
    out.stderr_lacks("error");
    mock.assert();
}

#[test]
fn the_summary_is_parsed_leniently() {
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), |then| {
        then.status(200)
            .header("X-Cff-Request-Id", "req-1")
            .header(
                "X-Cff-Invoke-Summary",
                r#"{"duration":"12.5","memorySize":null,"funcDigest":"abc","nested":{"x":1}}"#,
            )
            .header("X-CFF-Billing-Duration", "66ms")
            .body(r#"{"request_id":"req-1","result":"done","status":200}"#)
    });
    let mut cmd = Fgs::new();
    cmd.args(invoke_args(&server))
        .run()
        .code(0)
        .stdout("done\n")
        .stderr("ok · HTTP 200 · request req-1 · duration 12.5 ms · billed 66 ms\n");
    mock.assert();

    // A summary that is not JSON at all is simply absent.
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), |then| {
        then.status(200)
            .header("X-Cff-Invoke-Summary", "not json")
            .body(r#"{"request_id":"req-1","result":"done","status":200}"#)
    });
    Fgs::new()
        .args(invoke_args(&server))
        .run()
        .code(0)
        .stdout("done\n")
        .stderr("ok · HTTP 200 · request req-1\n");
    mock.assert();
}

#[test]
fn json_mode_keeps_unknown_summary_fields() {
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), |then| {
        then.status(200)
            .header(
                "X-Cff-Invoke-Summary",
                r#"{"duration":1.5,"funcDigest":"abc"}"#,
            )
            .body(r#"{"request_id":"req-1","result":"done","status":200}"#)
    });
    Fgs::new()
        .args(invoke_args(&server))
        .args(["-o", "json"])
        .run()
        .code(0)
        .stdout_contains("\"funcDigest\":\"abc\"")
        .stderr("");
    mock.assert();
}

#[test]
fn quiet_silences_log_summary_and_warnings() {
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), |then| {
        then.status(200)
            .header("X-Cff-Function-Log", "%%%not-base64%%%")
            .body(fixture("sync-response-example.json"))
    });
    Fgs::new()
        .args(invoke_args(&server))
        .arg("-q")
        .run()
        .code(0)
        .stdout(format!("{DOC_RESULT}\n"))
        .stderr("");
    mock.assert();
}

#[test]
fn quiet_does_not_silence_errors() {
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), |then| {
        then.status(404).body(fixture("error-404-fss1051.json"))
    });
    let mut cmd = Fgs::new();
    cmd.args(invoke_args(&server))
        .arg("--quiet")
        .run()
        .code(4)
        .stdout("")
        .stderr_starts_with(
            "error: the service refused the request: FSS.1051: Not found the function\n",
        );
    mock.assert();

    // A function error: the error is reported, the log and the summary are not.
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), |then| {
        then.status(200)
            .header("X-Is-Func-Err", "true")
            .body(r#"{"request_id":"req-1","result":"oops","log":"LOG-LINE","status":200}"#)
    });
    let mut cmd = Fgs::new();
    cmd.args(invoke_args(&server))
        .arg("-q")
        .run()
        .code(1)
        .stdout("oops\n")
        .stderr_matches(
            predicate::str::starts_with("error: the function reported an error")
                .and(predicate::str::contains("LOG-LINE").not())
                .and(predicate::str::contains("HTTP 200").not()),
        );
    mock.assert();

    Fgs::new()
        .args([
            "invoke",
            URN,
            "-q",
            "--token",
            TOKEN,
            "--dry-run",
            "-d",
            "nope",
        ])
        .run()
        .code(2)
        .stdout("")
        .stderr_starts_with("error: the payload from --data is not valid JSON");
}

#[test]
fn a_closed_stdout_pipe_is_not_an_error() {
    // 1 MiB of result, far more than a pipe buffer, so the write really meets the closed pipe.
    let big = "x".repeat(1024 * 1024);
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), |then| {
        ok(then, &big).delay(Duration::from_millis(300))
    });
    let (mut cmd, _home) = fgs_process();
    let mut child = cmd
        .args(invoke_args(&server))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawning fgs");
    drop(child.stdout.take()); // the reader goes away before anything is written
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut stderr)
        .expect("reading stderr");
    let status = child.wait().expect("waiting for fgs");
    assert_eq!(status.code(), Some(0), "stderr: {stderr}");
    assert_eq!(stderr, "ok · HTTP 200 · request req-1 · error code 0\n");
    mock.assert();
}

// Unix only: pipes fgs into `head` through `sh -c`; Windows has neither.
#[cfg(unix)]
#[test]
fn piping_into_head_is_not_an_error() {
    let big = "y".repeat(1024 * 1024);
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), |then| ok(then, &big));
    let mut cmd = Fgs::program("sh");
    let home = cmd.home();
    // The pipeline's status is head's; fgs's own goes to a file.
    cmd.arg("-c")
        .arg(r#"{ "$0" "$@"; echo "$?" > fgs-status; } | head -c 1"#)
        .arg(BIN)
        .args(invoke_args(&server))
        .run()
        .code(0)
        .stdout("y")
        .stderr("ok · HTTP 200 · request req-1 · error code 0\n");
    let status = std::fs::read_to_string(home.path().join("fgs-status")).expect("fgs-status");
    assert_eq!(status.trim(), "0");
    mock.assert();
}

/// One call in json mode has a document for every failure, with the URN and the exit code:
/// a refused connection and a timeout too.
#[test]
fn json_mode_documents_network_failures_and_timeouts() {
    let mut cmd = Fgs::new();
    let out = cmd
        .args([
            "invoke",
            URN,
            "--endpoint",
            &refused_endpoint(),
            "--token",
            TOKEN,
        ])
        .args(["-o", "json"])
        .run();
    out.code(6);
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(doc["error"]["exit_code"], 6);
    assert_eq!(doc["error"]["function_urn"], URN);
    assert!(
        doc["error"]["message"]
            .as_str()
            .unwrap()
            .contains("could not reach")
    );
    out.stderr_starts_with("error: could not reach the service");

    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), |then| {
        ok(then, "late").delay(std::time::Duration::from_secs(5))
    });
    let out = Fgs::new()
        .args(invoke_args(&server))
        .args(["-o", "json", "--timeout", "0.3"])
        .run();
    out.code(7);
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(doc["error"]["exit_code"], 7);
    assert_eq!(doc["error"]["function_urn"], URN);
    mock.assert();
}

/// A function error names what the function raised, on one line, under -q too.
#[test]
fn a_function_error_names_what_was_raised() {
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), |then| {
        then.status(200)
            .header("X-Cff-Request-Id", "req-1")
            .header("X-Is-Func-Err", "true")
            .header("X-Func-Err-Code", "200010")
            .body(r#"{"request_id":"req-1","result":"{\"errorMessage\": \"boom\", \"errorType\": \"Exception\", \"stackTrace\": []}","status":200}"#)
    });
    let out = Fgs::new().args(invoke_args(&server)).arg("-q").run();
    out.code(1);
    assert_eq!(
        out.stderr.lines().next().unwrap(),
        "error: the function raised Exception: boom (error code 200010)"
    );
    mock.assert();
}
