//! Error bodies in every documented shape, pages that are not JSON, and the hints.

use std::time::Duration;

use predicates::prelude::*;

use crate::common::*;

/// Invoke against a mock answering `status` with `body`; return what fgs printed.
fn refused_with(status: u16, body: &str, headers: &[(&str, &str)]) -> Run {
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), |then| {
        let mut then = then.status(status);
        for (name, value) in headers {
            then = then.header(*name, *value);
        }
        then.body(body)
    });
    let out = Fgs::new().args(invoke_args(&server)).run();
    mock.assert();
    out
}

fn hint_line(stderr: &str) -> String {
    stderr
        .lines()
        .find(|l| l.starts_with("hint: "))
        .unwrap_or_else(|| panic!("no hint in {stderr}"))
        .to_string()
}

#[test]
fn error_code_and_error_msg() {
    let out = refused_with(
        404,
        &fixture("error-404-fss1051.json"),
        &[("X-Request-Id", "rid-1")],
    );
    out.code(4);
    out.stdout("");
    out.stderr_starts_with(
        "error: the service refused the request: FSS.1051: Not found the function\n",
    );
    assert!(
        out.stderr
            .contains("  caused by: HTTP 404 Not Found from POST 127.0.0.1:"),
        "{}",
        out.stderr
    );
    // The method, the host and the function's URN tail; the whole URL is for -v.
    assert!(
        out.stderr
            .contains(" …function:default:hello:latest/invocations\n"),
        "{}",
        out.stderr
    );
    out.stderr_lacks("/v2/");
    out.stderr_contains("  request id: rid-1\n");
}

#[test]
fn code_and_message() {
    let out = refused_with(400, &fixture("error-400-code-message.json"), &[]);
    out.code(4);
    out.stdout("");
    assert!(
        out.stderr
            .starts_with("error: the service refused the request: FSS.0400: Invalid parameter.\n"),
        "{}",
        out.stderr
    );
}

#[test]
fn iam_nested_error_code_and_message() {
    let out = refused_with(401, &fixture("error-401-iam-nested.json"), &[]);
    out.code(3);
    out.stdout("");
    out.stderr_starts_with(
            "error: the credentials were refused: 401: The request you have made requires authentication.\n"
        );
}

#[test]
fn a_text_page_is_summarised_by_its_status_and_first_line() {
    let page = format!(
        "\n  Service Temporarily Unavailable  \n{}\nSECOND-LINE-NOT-SHOWN\n",
        "z".repeat(4000)
    );
    let out = refused_with(503, &page, &[]);
    out.code(5);
    out.stdout("");
    assert!(
        out.stderr
            .starts_with("error: the service failed: Service Temporarily Unavailable\n"),
        "{}",
        out.stderr
    );
    out.stderr_contains("HTTP 503");
    out.stderr_lacks("zzzz");
    out.stderr_lacks("SECOND-LINE-NOT-SHOWN");
}

#[test]
fn hint_for_401_says_the_token_may_have_expired() {
    let out = refused_with(401, &fixture("error-401-apig0301.json"), &[]);
    out.code(3);
    out.stdout("");
    let hint = hint_line(&out.stderr);
    assert!(hint.contains("token") && hint.contains("expired"), "{hint}");
}

#[test]
fn hint_for_404_names_region_project_and_the_commands_that_look() {
    let out = refused_with(404, &fixture("error-404-fss1051.json"), &[]);
    out.code(4);
    out.stdout("");
    let hint = hint_line(&out.stderr);
    for word in [
        "function name",
        "region",
        "project id",
        "`fgs list`",
        "`fgs info NAME`",
    ] {
        assert!(hint.contains(word), "{hint}");
    }
}

#[test]
fn hint_for_a_timeout_names_the_timeout_flag() {
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), |then| {
        ok(then, "late").delay(Duration::from_secs(5))
    });
    let out = Fgs::new()
        .args(invoke_args(&server))
        .args(["--timeout", "0.3"])
        .run();
    out.code(7);
    out.stdout("");
    assert!(
        hint_line(&out.stderr).contains("--timeout"),
        "{}",
        out.stderr
    );
    mock.assert_calls(1);
}

#[test]
fn the_error_line_comes_first_and_the_hint_last() {
    let out = refused_with(404, &fixture("error-404-fss1051.json"), &[]);
    out.code(4);
    out.stdout("");
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert!(
        lines.first().is_some_and(|l| l.starts_with("error: ")),
        "{}",
        out.stderr
    );
    assert!(
        lines.last().is_some_and(|l| l.starts_with("hint: ")),
        "{}",
        out.stderr
    );
}

#[test]
fn an_error_status_with_an_empty_body_still_reports_the_status() {
    let out = refused_with(500, "", &[]);
    out.code(5);
    out.stdout("");
    out.stderr_starts_with("error: the service failed");
    assert!(
        predicate::str::contains("HTTP 500").eval(&out.stderr),
        "{}",
        out.stderr
    );
}

/// Service text reaches stderr bounded and with control characters escaped: an answer
/// cannot forge a line of fgs's own, move the cursor, or flood the terminal.
#[test]
fn service_text_is_bounded_and_cannot_forge_a_line() {
    let forged = r#"{"error_code":"FSS.0500","error_msg":"boom\nok · HTTP 200 · request forged\u001b[2J","request_id":"rid-\u0007x"}"#;
    let out = refused_with(500, forged, &[]);
    out.code(5);
    assert!(!out.stderr.contains('\u{1b}'), "{:?}", out.stderr);
    assert!(
        !out.stderr.lines().any(|l| l.starts_with("ok · ")),
        "{:?}",
        out.stderr
    );
    out.stderr_starts_with(
        "error: the service failed: FSS.0500: boom\\nok · HTTP 200 · request forged\\x1b[2J\n",
    );
    out.stderr_contains("request id: rid-\\u{7}x\n");

    let huge = format!(
        r#"{{"error_code":"FSS.0500","error_msg":"{}"}}"#,
        "x".repeat(5 * 1024 * 1024)
    );
    let out = refused_with(500, &huge, &[]);
    out.code(5);
    assert!(
        out.stderr.len() < 2000,
        "{} bytes on stderr",
        out.stderr.len()
    );
    assert!(
        out.stderr.lines().next().unwrap().ends_with('…'),
        "{}",
        &out.stderr[..300]
    );
}

/// A huge `X-Func-Err-Code` makes no huge line; a request id with escapes is shown escaped.
#[test]
fn header_values_shown_are_bounded() {
    let server = httpmock::MockServer::start();
    let code = "9".repeat(8 * 1024);
    let mock = expect_invocation(&server, &Expect::default(), |then| {
        then.status(200)
            .header("Content-Type", "application/json")
            .header("X-Cff-Request-Id", "req-1")
            .header("X-Func-Err-Code", code.as_str())
            .header("X-Is-Func-Err", "true")
            .body(r#"{"request_id":"req-1","result":"1","log":"","status":200}"#)
    });
    let out = Fgs::new().args(invoke_args(&server)).arg("-v").run();
    mock.assert();
    out.code(1);
    for line in out.stderr.lines() {
        assert!(
            line.chars().count() < 420,
            "a line of {} chars",
            line.chars().count()
        );
    }
    assert!(
        out.stderr
            .contains("error: the function reported an error (error code 999"),
        "{}",
        &out.stderr[..200.min(out.stderr.len())]
    );
}

/// On a terminal the function's log is shown with its escape sequences escaped; in a pipe it
/// keeps its exact bytes.
// Unix only: runs fgs under `script(1)` for a pseudo-terminal; Windows has no `script`.
#[cfg(unix)]
#[test]
fn the_log_is_sanitised_on_a_terminal_and_exact_in_a_pipe() {
    let log = "line 1\n\u{1b}]0;owned\u{7}\u{1b}[2Jline 2\n";
    let body = format!(
        "{{\"request_id\":\"req-1\",\"result\":\"1\",\"log\":{},\"status\":200}}",
        serde_json::to_string(log).unwrap()
    );
    let server = httpmock::MockServer::start();
    let mock = server.mock(|when, then| {
        when.any_request();
        then.status(200)
            .header("Content-Type", "application/json")
            .body(body.as_str());
    });
    let out = Fgs::new().args(invoke_args(&server)).run();
    out.code(0);
    // In a pipe: each line set apart by `│ `, its bytes otherwise exact.
    out.stderr_starts_with(set_apart(log));
    let args = invoke_args(&server);
    let shown = stderr_on_a_terminal(|_| args);
    assert_eq!(shown.code, Some(0), "{}", shown.terminal);
    assert!(
        !shown.terminal.contains("\u{1b}]0;"),
        "{:?}",
        shown.terminal
    );
    assert!(
        !shown.terminal.contains("\u{1b}[2J"),
        "{:?}",
        shown.terminal
    );
    assert!(
        shown.terminal.contains("\\x1b[2Jline 2"),
        "{:?}",
        shown.terminal
    );
    mock.assert_calls(2);
}
