//! What a new user trips over: stdin read when not asked for, `-d FILE` without `@`, the
//! README's placeholders, and `NAME:!ALIAS` or `NAME:latest`.

use std::io::{Read, Write};
use std::process::Stdio;
use std::time::{Duration, Instant};

use predicates::prelude::*;

use crate::common::*;

#[test]
fn ignore_stdin_leaves_stdin_alone() {
    for by_env in [false, true] {
        let server = httpmock::MockServer::start();
        let mock = expect_invocation(&server, &Expect::body("{}"), |then| ok(then, "1"));
        let mut cmd = Fgs::new();
        cmd.args(invoke_args(&server));
        if by_env {
            cmd.env("FGS_IGNORE_STDIN", "1");
        } else {
            cmd.arg("--ignore-stdin");
        }
        cmd.stdin("the next name in a while-read loop\n")
            .run()
            .code(0)
            .stdout("1\n");
        mock.assert();
    }
    Fgs::new()
        .args([
            "invoke",
            URN,
            "--token",
            TOKEN,
            "--ignore-stdin",
            "-d",
            "@-",
        ])
        .run()
        .code(2)
        .stderr_contains("--ignore-stdin");
}

#[test]
fn silent_piped_stdin_gets_a_notice_and_fgs_keeps_waiting() {
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::body("{\"late\":true}"), |then| {
        ok(then, "1")
    });
    let (mut cmd, _home) = fgs_process();
    let mut child = cmd
        .args(invoke_args(&server))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let notice = "waiting for the payload on stdin (give -d, or --ignore-stdin)\n";
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let started = Instant::now();
    std::thread::sleep(Duration::from_millis(3600));
    stdin.write_all(b"{\"late\":true}").unwrap();
    drop(stdin);
    let status = child.wait().unwrap();
    let text = reader.join().unwrap();
    assert!(status.success(), "{text}");
    assert!(text.starts_with(notice), "{text:?}");
    assert_eq!(text.matches(notice).count(), 1);
    assert!(started.elapsed() > Duration::from_secs(3));
    mock.assert();

    // Data in time: no notice.
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::body("{}"), |then| ok(then, "1"));
    Fgs::new()
        .args(invoke_args(&server))
        .stdin("{}")
        .run()
        .code(0)
        .stderr_matches(predicate::str::contains("waiting for the payload").not());
    mock.assert();
}

#[test]
fn a_file_name_without_at_gets_a_hint() {
    let mut cmd = Fgs::new();
    let home = cmd.home();
    write_file(&home.path().join("event.json"), "{\"k\":1}");
    cmd.args(["invoke", URN, "--token", TOKEN, "-d", "event.json"])
        .run()
        .code(2)
        .stdout("")
        .stderr_matches(
            predicate::str::starts_with("error: the payload from --data is not valid JSON").and(
                predicate::str::contains("hint: did you mean -d @event.json?"),
            ),
        );
}

#[test]
fn the_readmes_placeholders_say_what_to_put_there() {
    let mut cmd = Fgs::new();
    cmd.args([
        "invoke",
        "urn:fss:REGION:PROJECT_ID:function:default:NAME",
        "--token",
        TOKEN,
    ])
    .run()
    .code(2)
    .stderr_starts_with(
        "error: `REGION` is a placeholder: replace REGION with your region, e.g. cn-north-4",
    );
    let mut cmd = Fgs::new();
    cmd.args([
        "invoke",
        "urn:fss:cn-north-4:PROJECT_ID:function:default:NAME",
        "--token",
        TOKEN,
    ])
    .run()
    .code(2)
    .stderr_contains("replace PROJECT_ID with your project id");
    let mut cmd = Fgs::new();
    cmd.args([
        "invoke",
        "urn:fss:cn north:p1:function:default:f",
        "--token",
        TOKEN,
    ])
    .run()
    .code(2)
    .stderr_contains("like cn-north-4");
    Fgs::new()
        .args([
            "invoke",
            "hello",
            "--token",
            TOKEN,
            "--region",
            "cn-north-4",
            "--project-id",
            "p-1",
        ])
        .run()
        .code(2)
        .stderr_contains("32 letters and digits");
}

#[test]
fn name_with_an_alias_or_latest_reads_as_a_qualifier() {
    for (given, tail) in [
        ("hello:!prod", "function:default:hello:%21prod/invocations"),
        ("hello:latest", "function:default:hello:latest/invocations"),
        ("tools:hello", "function:tools:hello:latest/invocations"),
    ] {
        let out = Fgs::new()
            .args([
                "invoke",
                given,
                "--token",
                TOKEN,
                "--region",
                REGION,
                "--project-id",
                PROJECT,
                "--dry-run",
            ])
            .run();
        assert_eq!(out.code, Some(0), "{given}: {}", out.stderr);
        assert!(
            out.stdout.lines().next().unwrap().ends_with(tail),
            "{given}: {}",
            out.stdout
        );
    }
}

#[test]
fn messages_name_the_right_thing() {
    // A 429 names --retries; after retries the error says how many attempts were made.
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), |then| {
        then.status(429)
            .body(r#"{"error_code":"FSS.0429","error_msg":"Too many requests."}"#)
    });
    let mut cmd = Fgs::new();
    let out = cmd.args(invoke_args(&server)).run();
    out.code(4);
    out.stderr_contains("--retries N");
    let mut cmd = Fgs::new();
    let out = cmd
        .args(invoke_args(&server))
        .args(["--retries", "2"])
        .run();
    out.code(4);
    out.stderr_contains("  attempts: 3 (with --retries)\n");
    mock.assert_calls(4);

    // IAM's 404 speaks of IAM, not of URNs.
    let iam = httpmock::MockServer::start();
    let missing = iam.mock(|when, then| {
        when.method(httpmock::Method::POST).path("/v3/auth/tokens");
        then.status(404).body("{}");
    });
    let mut cmd = Fgs::new();
    let out = cmd
        .args(["login", "--user", "u", "--domain", "d", "--region", REGION])
        .args(["--iam-endpoint", &iam.base_url(), "--password-stdin"])
        .stdin("pw\n")
        .run();
    out.code(4);
    out.stderr_contains("hint: check the IAM endpoint");
    out.stderr_lacks("URN");
    missing.assert();

    // An unknown profile is the headline, with the known ones.
    let mut cmd = Fgs::new();
    let home = cmd.home();
    write_config(&home, "[profiles.dev]\nregion = \"cn-north-4\"\n");
    cmd.args(["config", "show", "--profile", "nope"])
        .run()
        .code(2)
        .stderr_matches(
            predicate::str::starts_with("error: unknown profile `nope`:")
                .and(predicate::str::contains("dev"))
                .and(predicate::str::contains("caused by").not()),
        );
}

/// `--allow-http` and `FGS_ALLOW_HTTP` allow what `allow_http` allows, with a warning each
/// time; without any of them plain http to another host is refused. (`--dry-run`: nothing is
/// sent anywhere.)
#[test]
fn plain_http_to_another_host_needs_allowing_and_warns() {
    let args = [
        "invoke",
        URN,
        "--token",
        TOKEN,
        "--endpoint",
        "http://mock.invalid:8080",
        "--dry-run",
    ];
    let mut cmd = Fgs::new();
    cmd.args(args)
        .run()
        .code(2)
        .stderr_contains("refusing to send credentials over plain http")
        .stderr_contains("--allow-http");
    for how in ["flag", "env", "file"] {
        let mut cmd = Fgs::new();
        let home = cmd.home();
        cmd.args(args);
        match how {
            "flag" => {
                cmd.arg("--allow-http");
            }
            "env" => {
                cmd.env("FGS_ALLOW_HTTP", "1");
            }
            _ => {
                write_config(&home, "allow_http = true\n");
            }
        }
        cmd.run()
            .code(0)
            .stdout_starts_with("POST http://mock.invalid:8080/")
            .stderr_contains("warning: credentials go over plain http to mock.invalid");
    }
}

#[test]
fn a_404_for_package_and_name_names_both_readings() {
    let server = httpmock::MockServer::start();
    let mock = server.mock(|when, then| {
        when.any_request();
        then.status(404)
            .body(r#"{"error_code":"FSS.1051","error_msg":"Not found the function"}"#);
    });
    let out = Fgs::new()
        .args([
            "invoke",
            "hello:v2",
            "--token",
            TOKEN,
            "--region",
            REGION,
            "--project-id",
            PROJECT,
            "--endpoint",
            &server.base_url(),
        ])
        .run();
    out.code(4);
    out.stderr_contains("hint: `hello:v2` was read as function `v2` in package `hello`; for version `v2` of function `hello`, give `hello --qualifier v2`");
    mock.assert();
}
