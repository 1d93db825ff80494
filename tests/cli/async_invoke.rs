//! `--async`: `POST .../invocations-async`, the 202 and its request id, the 256 KB limit
//! checked before sending, errors, and asynchronous calls in a batch.

use httpmock::{Method::POST, MockServer, Then, When};
use predicates::prelude::*;
use serde_json::{Value, json};

use crate::common::*;

/// The id of the documented example answer.
const REQUEST_ID: &str = "1167bf8c-87b0-43ab-8f5f-26b16c64f252";
/// The service's limit for an asynchronous payload: 256 KB.
const ASYNC_LIMIT: usize = 256 * 1024;

fn async_path() -> String {
    format!("{}-async", invocation_path(PROJECT, URN))
}

/// What the API expects of one asynchronous invocation: no log or response-version header,
/// and no `X-` header but the token (plus `extra_x` more that the caller matches itself).
fn on_async(when: When, body: &str, extra_x: usize) -> When {
    when.method(POST)
        .path(async_path())
        .header("Content-Type", "application/json")
        .header("X-Auth-Token", TOKEN)
        .header("User-Agent", format!("fgs/{VERSION}"))
        .header_count("^content-type$", ".*", 1)
        .header_missing("X-CFF-Request-Version")
        .header_missing("X-Cff-Log-Type")
        .header_count("^x-", ".*", 1 + extra_x)
        .body(body)
}

/// The documented 202: `{"request_id": ...}`.
fn accepted(then: Then) -> Then {
    then.status(202)
        .header("Content-Type", "application/json")
        .body(format!("{{\"request_id\":\"{REQUEST_ID}\"}}"))
}

fn expect_async<'a>(
    server: &'a MockServer,
    body: &str,
    respond: impl FnOnce(Then) -> Then,
) -> httpmock::Mock<'a> {
    server.mock(|when, then| {
        on_async(when, body, 0);
        respond(then);
    })
}

/// A JSON document of exactly `size` bytes: `{"k":"xxx..."}`.
fn payload_of(size: usize) -> String {
    let filler = size - r#"{"k":""}"#.len();
    format!("{{\"k\":\"{}\"}}", "x".repeat(filler))
}

#[test]
fn async_posts_to_invocations_async_and_prints_the_id_alone() {
    let server = MockServer::start();
    let mock = expect_async(&server, r#"{"k":"v"}"#, accepted);
    Fgs::new()
        .args(invoke_args(&server))
        .args(["--async", "-d", r#"{"k":"v"}"#])
        .run()
        .code(0)
        // Not a terminal: raw, the id alone.
        .stdout(format!("{REQUEST_ID}\n"))
        .stderr(format!("accepted · HTTP 202 · request {REQUEST_ID}\n"));
    mock.assert_calls(1);
}

#[test]
fn async_ignores_no_log_and_sends_no_log_header_either_way() {
    let server = MockServer::start();
    let mock = expect_async(&server, "{}", accepted);
    Fgs::new()
        .args(invoke_args(&server))
        .args(["--async", "--no-log", "-d", "{}"])
        .run()
        .code(0)
        .stdout(format!("{REQUEST_ID}\n"));
    mock.assert_calls(1);
}

#[test]
fn async_sends_the_memory_header_when_asked() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        on_async(when, "{}", 1).header("X-Cff-Instance-Memory", "256");
        accepted(then);
    });
    Fgs::new()
        .args(invoke_args(&server))
        .args(["--async", "--memory", "256", "-d", "{}"])
        .run()
        .code(0)
        .stdout(format!("{REQUEST_ID}\n"));
    mock.assert_calls(1);
}

#[test]
fn async_json_mode_prints_request_id_urn_and_status() {
    let server = MockServer::start();
    let mock = expect_async(&server, "{}", accepted);
    let out = Fgs::new()
        .args(invoke_args(&server))
        .args(["--async", "-d", "{}", "-o", "json"])
        .run();
    out.code(0);
    out.stdout(format!(
        "{{\"request_id\":\"{REQUEST_ID}\",\"function_urn\":\"{URN}\",\"http_status\":202}}\n"
    ));
    // The document says it all: nothing more on stderr.
    out.stderr("");
    mock.assert_calls(1);
}

#[test]
fn async_takes_the_id_from_x_cff_request_id_when_the_body_lacks_it() {
    for body in ["", "{}", "not json"] {
        let server = MockServer::start();
        let mock = expect_async(&server, "{}", |then| {
            then.status(202)
                .header("X-Cff-Request-Id", "hdr-id-7")
                .body(body)
        });
        Fgs::new()
            .args(invoke_args(&server))
            .args(["--async", "-d", "{}"])
            .run()
            .code(0)
            .stdout("hdr-id-7\n")
            .stderr("accepted · HTTP 202 · request hdr-id-7\n");
        mock.assert_calls(1);
    }
}

#[test]
fn async_body_id_wins_over_the_header_and_camel_case_is_read() {
    let cases = [
        (r#"{"request_id":"snake"}"#, "snake"),
        (r#"{"requestId":"camel"}"#, "camel"),
    ];
    for (body, id) in cases {
        let server = MockServer::start();
        let mock = expect_async(&server, "{}", |then| {
            then.status(202)
                .header("X-Cff-Request-Id", "from-header")
                .body(body)
        });
        Fgs::new()
            .args(invoke_args(&server))
            .args(["--async", "-d", "{}", "-o", "json"])
            .run()
            .code(0)
            .stdout(format!(
                "{{\"request_id\":\"{id}\",\"function_urn\":\"{URN}\",\"http_status\":202}}\n"
            ));
        mock.assert_calls(1);
    }
}

#[test]
fn async_without_any_request_id_still_succeeds() {
    let server = MockServer::start();
    let mock = expect_async(&server, "{}", |then| then.status(202).body("{}"));
    Fgs::new()
        .args(invoke_args(&server))
        .args(["--async", "-d", "{}", "-o", "json"])
        .run()
        .code(0)
        .stdout(format!(
            "{{\"request_id\":null,\"function_urn\":\"{URN}\",\"http_status\":202}}\n"
        ))
        .stderr("");
    mock.assert_calls(1);
}

#[test]
fn async_payload_over_256_kb_is_refused_locally_from_stdin() {
    let server = MockServer::start();
    let anything = catch_all(&server);
    Fgs::new()
        .args(invoke_args(&server))
        .arg("--async")
        .stdin(payload_of(ASYNC_LIMIT + 1))
        .run()
        .code(2)
        .stdout("")
        .stderr_starts_with(format!(
            "error: the payload from stdin is larger than the service's limit of {ASYNC_LIMIT} bytes"
        ));
    anything.assert_calls(0);
}

#[test]
fn async_payload_over_256_kb_is_refused_locally_from_a_file() {
    let server = MockServer::start();
    let anything = catch_all(&server);
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let path = write_file(&home.path().join("big.json"), &payload_of(ASYNC_LIMIT + 1));
    cmd.args(invoke_args(&server))
        .args(["--async", "-d", &format!("@{}", path.display())])
        .run()
        .code(2)
        .stdout("")
        .stderr_starts_with(format!(
            "error: the payload from file {} is larger than the service's limit of {ASYNC_LIMIT} bytes",
            path.display()
        ));
    anything.assert_calls(0);
}

#[test]
fn async_payload_of_exactly_256_kb_is_sent() {
    let payload = payload_of(ASYNC_LIMIT);
    assert_eq!(payload.len(), 262_144);
    let server = MockServer::start();
    let mock = expect_async(&server, &payload, accepted);
    Fgs::new()
        .args(invoke_args(&server))
        .arg("--async")
        .stdin(payload)
        .run()
        .code(0)
        .stdout(format!("{REQUEST_ID}\n"));
    mock.assert_calls(1);
}

#[test]
fn the_async_limit_does_not_apply_to_synchronous_calls() {
    let payload = payload_of(ASYNC_LIMIT + 1);
    let server = MockServer::start();
    let mock = expect_invocation(&server, &Expect::body(&payload), |then| ok(then, "done"));
    Fgs::new()
        .args(invoke_args(&server))
        .stdin(payload)
        .run()
        .code(0)
        .stdout("done\n");
    mock.assert_calls(1);
}

#[test]
fn async_404_exits_4_with_the_service_message() {
    let server = MockServer::start();
    let mock = expect_async(&server, "{}", |then| {
        then.status(404)
            .header("Content-Type", "application/json")
            .body(r#"{"error_code":"FSS.0404","error_msg":"function 'test' not exist"}"#)
    });
    Fgs::new()
        .args(invoke_args(&server))
        .args(["--async", "-d", "{}"])
        .run()
        .code(4)
        .stdout("")
        .stderr_matches(
            predicate::str::starts_with(
                "error: the service refused the request: FSS.0404: function 'test' not exist\n",
            )
            .and(predicate::str::contains("HTTP 404"))
            .and(predicate::str::contains("/invocations-async"))
            .and(predicate::str::contains(
                "hint: check the function name, region and project id: `fgs list`",
            )),
        );
    mock.assert_calls(1);
}

#[test]
fn async_404_in_json_mode_prints_the_error_document() {
    let server = MockServer::start();
    let mock = expect_async(&server, "{}", |then| {
        then.status(404)
            .header("X-Request-Id", "rid-404")
            .body(r#"{"error_code":"FSS.0404","error_msg":"function 'test' not exist"}"#)
    });
    let out = Fgs::new()
        .args(invoke_args(&server))
        .args(["--async", "-d", "{}", "-o", "json"])
        .run();
    out.code(4);
    let document: Value = serde_json::from_str(&out.stdout).expect("one JSON document");
    assert_eq!(
        document,
        json!({"error": {"function_urn": URN, "exit_code": 4, "http_status": 404, "code": "FSS.0404",
                         "message": "function 'test' not exist", "request_id": "rid-404"}})
    );
    out.stderr_starts_with("error: ");
    mock.assert_calls(1);
}

#[test]
fn async_429_function_disabled_exits_4_without_retries_by_default() {
    let server = MockServer::start();
    let mock = expect_async(&server, "{}", |then| {
        then.status(429)
            .body(fixture("error-429-function-disabled.json"))
    });
    Fgs::new()
        .args(invoke_args(&server))
        .args(["--async", "-d", "{}"])
        .run()
        .code(4)
        .stdout("")
        .stderr_starts_with(
            "error: the service refused the request: FSS.0429: Function Disabled\n",
        );
    mock.assert_calls(1);
}

#[test]
fn async_dry_run_shows_the_async_path_and_no_version_or_log_header() {
    let server = MockServer::start();
    let anything = catch_all(&server);
    let out = Fgs::new()
        .args(invoke_args(&server))
        .args(["--async", "--dry-run", "-d", r#"{"a":1}"#])
        .run();
    out.code(0);
    let first = out.stdout.lines().next().unwrap_or_default();
    assert_eq!(first, format!("POST {}{}", server.base_url(), async_path()));
    assert!(
        !out.stdout
            .to_ascii_lowercase()
            .contains("x-cff-request-version")
    );
    assert!(!out.stdout.to_ascii_lowercase().contains("x-cff-log-type"));
    out.stdout_ends_with("\n\n{\"a\":1}\n");
    anything.assert_calls(0);
}

#[test]
fn async_batch_prints_one_request_id_per_line() {
    let server = MockServer::start();
    let mocks: Vec<_> = (1..=3)
        .map(|n| {
            let body = format!("{{\"n\":{n}}}");
            server.mock(|when, then| {
                on_async(when, &body, 0);
                then.status(202)
                    .body(format!("{{\"request_id\":\"id-{n}\"}}"));
            })
        })
        .collect();
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let file = write_file(
        &home.path().join("jobs.ndjson"),
        "{\"n\":1}\n\n{\"n\":2}\n{\"n\":3}\n",
    );
    let out = cmd
        .args(invoke_args(&server))
        .args([
            "--async",
            "--batch",
            file.to_str().expect("a UTF-8 path"),
            "-o",
            "json",
            "-q",
        ])
        .run();
    out.code(0);
    out.stderr("");
    let expected: Vec<String> = [(1, 1), (3, 2), (4, 3)]
        .iter()
        .map(|(line, n)| {
            format!(
                "{{\"line\":{line},\"request_id\":\"id-{n}\",\"function_urn\":\"{URN}\",\"http_status\":202}}"
            )
        })
        .collect();
    out.stdout(format!("{}\n", expected.join("\n")));
    for mock in &mocks {
        mock.assert_calls(1);
    }

    // Raw: the ids alone, one a line.
    let out = Fgs::new()
        .args(invoke_args(&server))
        .args(["--async", "--batch", "-", "-q"])
        .stdin("{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n")
        .run();
    out.code(0);
    out.stdout("id-1\nid-2\nid-3\n");
    for mock in &mocks {
        mock.assert_calls(2);
    }
}

#[test]
fn async_batch_line_over_256_kb_is_an_error_record_and_the_rest_is_sent() {
    let server = MockServer::start();
    let small = expect_async(&server, r#"{"k":"v"}"#, accepted);
    let anything_else = catch_all(&server);
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let text = format!(
        "{{\"k\":\"v\"}}\n{}\n{{\"k\":\"v\"}}\n",
        payload_of(ASYNC_LIMIT + 1)
    );
    let file = write_file(&home.path().join("jobs.ndjson"), &text);
    let out = cmd
        .args(invoke_args(&server))
        .args([
            "--async",
            "--batch",
            file.to_str().expect("a UTF-8 path"),
            "-o",
            "json",
            "--concurrency",
            "1",
        ])
        .run();
    out.code(2);
    let records: Vec<Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(records.len(), 3, "{}", out.stdout);
    assert_eq!(records[0]["line"], 1);
    assert_eq!(records[0]["request_id"], REQUEST_ID);
    assert_eq!(records[1]["line"], 2);
    assert_eq!(records[1]["error"]["exit_code"], 2);
    let message = records[1]["error"]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains(&format!("limit of {ASYNC_LIMIT} bytes")),
        "{message}"
    );
    assert_eq!(records[2]["line"], 3);
    assert_eq!(records[2]["request_id"], REQUEST_ID);
    small.assert_calls(2);
    anything_else.assert_calls(0);
}
