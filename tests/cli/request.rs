//! The request on the wire, `--no-log`, `--memory`, `-v` and `--dry-run`.

use predicates::prelude::*;

use crate::common::*;

/// How the token shows wherever fgs prints it: no character of it, only its length.
const MASKED: &str = "***(31 chars)";

#[test]
fn the_request_carries_every_header_and_the_exact_body() {
    assert_eq!(TOKEN.chars().count(), 31);
    let server = httpmock::MockServer::start();
    let expect = Expect {
        body: "{\"k\":\"v\"}".into(),
        memory: Some("512".into()),
        ..Expect::default()
    };
    let mock = expect_invocation(&server, &expect, |then| ok(then, "done"));
    Fgs::new()
        .args(invoke_args(&server))
        .args(["-d", "{\"k\":\"v\"}", "--memory", "512"])
        .run()
        .code(0)
        .stdout("done\n")
        .stderr("ok · HTTP 200 · request req-1 · error code 0\n");
    mock.assert();
}

#[test]
fn no_log_leaves_out_the_log_type_header() {
    let server = httpmock::MockServer::start();
    let expect = Expect {
        log: false,
        ..Expect::default()
    };
    let mock = expect_invocation(&server, &expect, |then| ok(then, "done"));
    Fgs::new()
        .args(invoke_args(&server))
        .arg("--no-log")
        .run()
        .code(0)
        .stdout("done\n")
        .stderr("ok · HTTP 200 · request req-1 · error code 0\n");
    mock.assert();
}

#[test]
fn verbose_shows_request_and_response_headers_with_the_token_masked() {
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::body("{\"k\":\"v\"}"), |then| {
        ok(then, "done").header("X-Subject-Token", "a-secret-in-the-answer")
    });
    let out = Fgs::new()
        .args(invoke_args(&server))
        .args(["-v", "-d", "{\"k\":\"v\"}"])
        .run();
    out.code(0);
    out.stdout("done\n");
    let request = format!(
        "> POST {}{}\n> Content-Type: application/json\n> X-Auth-Token: {MASKED}\n\
         > X-CFF-Request-Version: v1\n> X-Cff-Log-Type: tail\n> User-Agent: fgs/{VERSION}\n\
         > Content-Length: 9\n>\n",
        server.base_url(),
        invocation_path(PROJECT, URN)
    );
    out.stderr_starts_with(&request);
    let response = &out.stderr[request.len()..];
    assert!(response.starts_with("< HTTP 200 OK\n"), "{response}");
    for line in [
        "< x-cff-request-id: req-1\n",
        "< x-func-err-code: 0\n",
        "< x-is-func-err: false\n",
        "< x-subject-token: ***\n",
    ] {
        let found = response
            .lines()
            .any(|l| format!("{l}\n").eq_ignore_ascii_case(line));
        assert!(found, "missing {line:?} in {response}");
    }
    assert!(
        response.ends_with("<\nok · HTTP 200 · request req-1 · error code 0\n"),
        "{response}"
    );
    out.stderr_lacks(TOKEN);
    out.stderr_lacks("a-secret-in-the-answer");
    mock.assert();
}

#[test]
fn verbose_shows_the_response_of_a_failure_too() {
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), |then| {
        then.status(404).body(fixture("error-404-fss1051.json"))
    });
    Fgs::new()
        .args(invoke_args(&server))
        .arg("--verbose")
        .run()
        .code(4)
        .stdout("")
        .stderr_matches(
            predicate::str::starts_with(format!("> POST {}", server.base_url()))
                .and(predicate::str::contains(format!(
                    "> X-Auth-Token: {MASKED}\n"
                )))
                .and(predicate::str::contains("< HTTP 404 Not Found\n"))
                .and(predicate::str::contains(
                    "error: the service refused the request: FSS.1051",
                ))
                .and(predicate::str::contains(TOKEN).not()),
        );
    mock.assert();
}

#[test]
fn dry_run_prints_the_request_and_sends_nothing() {
    let server = httpmock::MockServer::start();
    let anything = catch_all(&server);
    let mut cmd = Fgs::new();
    let body = "{ \"k\" : \"v\" }";
    cmd.args(invoke_args(&server))
        .args(["--dry-run", "-d", body, "--memory", "256"])
        .run()
        .code(0)
        .stdout(format!(
            "POST {}{}\nContent-Type: application/json\nX-Auth-Token: {MASKED}\n\
             X-CFF-Request-Version: v1\nX-Cff-Log-Type: tail\nX-Cff-Instance-Memory: 256\n\
             User-Agent: fgs/{VERSION}\n\n{body}\n",
            server.base_url(),
            invocation_path(PROJECT, URN)
        ))
        .stderr("");
    anything.assert_calls(0);
}

#[test]
fn dry_run_with_an_alias_and_no_log() {
    let server = httpmock::MockServer::start();
    let anything = catch_all(&server);
    let mut cmd = Fgs::new();
    let urn = URN.replace(":latest", "");
    cmd.args(["invoke", &urn, "--alias", "prod", "--no-log", "--dry-run"])
        .args(["--token", TOKEN, "--endpoint", &server.base_url()])
        .run()
        .code(0)
        .stdout(format!(
            "POST {}/v2/{PROJECT}/fgs/functions/{urn}:%21prod/invocations\n\
             Content-Type: application/json\nX-Auth-Token: {MASKED}\nX-CFF-Request-Version: v1\n\
             User-Agent: fgs/{VERSION}\n\n{{}}\n",
            server.base_url(),
        ))
        .stderr("");
    anything.assert_calls(0);
}
