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
    let (mut cmd, _home) = fgs();
    let out = run(cmd.args(invoke_args(&server)));
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
    assert_eq!(out.code, Some(4));
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr.starts_with(
            "error: the service refused the request: FSS.1051: Not found the function\n"
        ),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("  caused by: HTTP 404 Not Found from POST http://")
    );
    assert!(
        out.stderr.contains("  request id: rid-1\n"),
        "{}",
        out.stderr
    );
}

#[test]
fn code_and_message() {
    let out = refused_with(400, &fixture("error-400-code-message.json"), &[]);
    assert_eq!(out.code, Some(4));
    assert_eq!(out.stdout, "");
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
    assert_eq!(out.code, Some(3));
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr.starts_with(
            "error: the credentials were refused: 401: The request you have made requires authentication.\n"
        ),
        "{}",
        out.stderr
    );
}

#[test]
fn a_text_page_is_summarised_by_its_status_and_first_line() {
    let page = format!(
        "\n  Service Temporarily Unavailable  \n{}\nSECOND-LINE-NOT-SHOWN\n",
        "z".repeat(4000)
    );
    let out = refused_with(503, &page, &[]);
    assert_eq!(out.code, Some(5));
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr
            .starts_with("error: the service failed: Service Temporarily Unavailable\n"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("HTTP 503"));
    assert!(!out.stderr.contains("zzzz"));
    assert!(!out.stderr.contains("SECOND-LINE-NOT-SHOWN"));
}

#[test]
fn hint_for_401_says_the_token_may_have_expired() {
    let out = refused_with(401, &fixture("error-401-apig0301.json"), &[]);
    assert_eq!(out.code, Some(3));
    assert_eq!(out.stdout, "");
    let hint = hint_line(&out.stderr);
    assert!(hint.contains("token") && hint.contains("expired"), "{hint}");
}

#[test]
fn hint_for_404_names_urn_region_and_project() {
    let out = refused_with(404, &fixture("error-404-fss1051.json"), &[]);
    assert_eq!(out.code, Some(4));
    assert_eq!(out.stdout, "");
    let hint = hint_line(&out.stderr);
    for word in ["URN", "region", "project"] {
        assert!(hint.contains(word), "{hint}");
    }
}

#[test]
fn hint_for_a_timeout_names_the_timeout_flag() {
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), |then| {
        ok(then, "late").delay(Duration::from_secs(5))
    });
    let (mut cmd, _home) = fgs();
    let out = run(cmd.args(invoke_args(&server)).args(["--timeout", "0.3"]));
    assert_eq!(out.code, Some(7));
    assert_eq!(out.stdout, "");
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
    assert_eq!(out.code, Some(4));
    assert_eq!(out.stdout, "");
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
    assert_eq!(out.code, Some(5));
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr.starts_with("error: the service failed"),
        "{}",
        out.stderr
    );
    assert!(
        predicate::str::contains("HTTP 500").eval(&out.stderr),
        "{}",
        out.stderr
    );
}
