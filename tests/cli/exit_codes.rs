//! Every exit code of the table in the issue (and `fgs --help`), each with its own test.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use predicates::prelude::*;

use crate::common::*;

#[cfg(unix)] // only the Unix-only Ctrl-C tests use it
const SIGINT: i32 = 2;

const FAILED_RESULT: &str = r#"{"errorMessage": "boom", "errorType": "Error", "stackTrace": []}"#;

fn function_error_answer(then: httpmock::Then, headers: &[(&str, &str)]) -> httpmock::Then {
    let body = format!(
        "{{\"request_id\":\"req-err\",\"result\":{},\"log\":\"\",\"status\":200}}",
        json_string(FAILED_RESULT)
    );
    let mut then = then.status(200).header("X-Cff-Request-Id", "req-err");
    for (name, value) in headers {
        then = then.header(*name, *value);
    }
    then.body(body)
}

#[test]
fn exit_0_when_the_function_reports_no_error() {
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), |then| ok(then, "hello"));
    Fgs::new()
        .args(invoke_args(&server))
        .run()
        .code(0)
        .stdout("hello\n")
        .stderr("ok · HTTP 200 · request req-1 · error code 0\n");
    mock.assert();
}

#[test]
fn exit_1_when_x_is_func_err_is_true() {
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), |then| {
        function_error_answer(then, &[("X-Is-Func-Err", "true")])
    });
    Fgs::new()
        .args(invoke_args(&server))
        .run()
        .code(1)
        .stdout(format!("{FAILED_RESULT}\n"))
        .stderr_matches(
            predicate::str::starts_with("function error · HTTP 200 · request req-err\n")
                .and(predicate::str::contains(
                    "error: the function raised Error: boom",
                ))
                .and(predicate::str::contains("req-err")),
        );
    mock.assert();
}

#[test]
fn exit_1_when_x_func_err_code_is_not_zero() {
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), |then| {
        function_error_answer(then, &[("X-Func-Err-Code", "FSS.1234")])
    });
    Fgs::new()
        .args(invoke_args(&server))
        .run()
        .code(1)
        .stdout(format!("{FAILED_RESULT}\n"))
        .stderr_matches(
            predicate::str::starts_with(
                "function error · HTTP 200 · request req-err · error code FSS.1234\n",
            )
            .and(predicate::str::contains(
                "error: the function raised Error: boom (error code FSS.1234)",
            )),
        );
    mock.assert();
}

#[test]
fn x_func_err_code_zero_and_x_is_func_err_false_is_success() {
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), |then| {
        function_error_answer(
            then,
            &[("X-Func-Err-Code", "0"), ("X-Is-Func-Err", "false")],
        )
    });
    Fgs::new()
        .args(invoke_args(&server))
        .run()
        .code(0)
        .stdout(format!("{FAILED_RESULT}\n"))
        .stderr("ok · HTTP 200 · request req-err · error code 0\n");
    mock.assert();
}

#[test]
fn no_fail_turns_a_function_error_into_exit_0() {
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), |then| {
        function_error_answer(
            then,
            &[("X-Is-Func-Err", "true"), ("X-Func-Err-Code", "FSS.1234")],
        )
    });
    Fgs::new()
        .args(invoke_args(&server))
        .arg("--no-fail")
        .run()
        .code(0)
        .stdout(format!("{FAILED_RESULT}\n"))
        .stderr("function error · HTTP 200 · request req-err · error code FSS.1234\n");
    mock.assert();
}

#[test]
fn exit_2_for_a_usage_error_and_nothing_is_sent() {
    let server = httpmock::MockServer::start();
    let anything = catch_all(&server);
    Fgs::new()
        .args(invoke_args(&server))
        .arg("--no-such-flag")
        .run()
        .code(2)
        .stdout("")
        .stderr_contains("error: unexpected argument '--no-such-flag'");
    anything.assert_calls(0);
}

#[test]
fn exit_2_when_no_function_is_given() {
    let server = httpmock::MockServer::start();
    let anything = catch_all(&server);
    Fgs::new()
        .args(["invoke", "--token", TOKEN, "--endpoint", &server.base_url()])
        .run()
        .code(2)
        .stdout("")
        .stderr_starts_with("error: no function given");
    anything.assert_calls(0);
}

#[test]
fn exit_3_when_no_token_is_given_and_nothing_is_sent() {
    let server = httpmock::MockServer::start();
    let anything = catch_all(&server);
    Fgs::new()
        .args(["invoke", URN, "--endpoint", &server.base_url()])
        .run()
        .code(3)
        .stdout("")
        .stderr_matches(
            predicate::str::starts_with("error: no credentials")
                .and(predicate::str::contains("hint:"))
                .and(predicate::str::contains("--token"))
                .and(predicate::str::contains("FGS_TOKEN")),
        );
    anything.assert_calls(0);
}

#[test]
fn exit_3_when_the_token_is_refused_with_401() {
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), |then| {
        then.status(401)
            .header("Content-Type", "application/json")
            .body(fixture("error-401-apig0301.json"))
    });
    Fgs::new()
        .args(invoke_args(&server))
        .run()
        .code(3)
        .stdout("")
        .stderr_matches(predicate::str::starts_with(
                "error: the credentials were refused: APIG.0301: Incorrect IAM authentication information: decrypt token fail\n",
            )
            .and(predicate::str::contains("HTTP 401"))
            .and(predicate::str::contains("3f6a4b1e9c2d4e8fa0b1c2d3e4f5a6b7"))
            .and(predicate::str::contains("hint:"))
            .and(predicate::str::contains("expired")));
    mock.assert();
}

#[test]
fn exit_3_when_the_token_is_refused_with_403() {
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), |then| {
        then.status(403)
            .body(r#"{"error_code":"FSS.1126","error_msg":"You do not have permissions to call the API."}"#)
    });
    Fgs::new()
        .args(invoke_args(&server))
        .run()
        .code(3)
        .stdout("")
        .stderr_matches(predicate::str::starts_with(
                "error: the credentials were refused: FSS.1126: You do not have permissions to call the API.\n",
            )
            .and(predicate::str::contains("HTTP 403"))
            .and(predicate::str::contains("hint:")));
    mock.assert();
}

#[test]
fn exit_4_for_400_404_413_and_429_sent_once_each() {
    let cases = [
        (
            400,
            fixture("error-400-code-message.json"),
            "FSS.0400: Invalid parameter.",
        ),
        (
            404,
            fixture("error-404-fss1051.json"),
            "FSS.1051: Not found the function",
        ),
        (
            413,
            r#"{"error_code":"FSS.0413","error_msg":"The request body is too large."}"#.into(),
            "FSS.0413: The request body is too large.",
        ),
        (
            429,
            fixture("error-429-function-disabled.json"),
            "FSS.0429: Function Disabled",
        ),
    ];
    for (status, body, detail) in cases {
        let server = httpmock::MockServer::start();
        let mock = expect_invocation(&server, &Expect::default(), |then| {
            then.status(status).body(body)
        });
        Fgs::new()
            .args(invoke_args(&server))
            .run()
            .code(4)
            .stdout("")
            .stderr_matches(
                predicate::str::starts_with(format!(
                    "error: the service refused the request: {detail}\n"
                ))
                .and(predicate::str::contains(format!("HTTP {status}"))),
            );
        mock.assert_calls(1);
    }
}

#[test]
fn exit_5_for_500_and_503_without_a_retry() {
    for status in [500, 503] {
        let server = httpmock::MockServer::start();
        let mock = expect_invocation(&server, &Expect::default(), |then| {
            then.status(status)
                .body(r#"{"error_code":"FSS.0500","error_msg":"Internal server error."}"#)
        });
        Fgs::new()
            .args(invoke_args(&server))
            .run()
            .code(5)
            .stdout("")
            .stderr_matches(
                predicate::str::starts_with(
                    "error: the service failed: FSS.0500: Internal server error.\n",
                )
                .and(predicate::str::contains(format!("HTTP {status}")))
                .and(predicate::str::contains("hint:")),
            );
        // An invocation is not idempotent: exactly one attempt.
        mock.assert_calls(1);
    }
}

#[test]
fn exit_5_for_an_html_502_page_summarised_not_dumped() {
    let page = fixture("gateway-502.html");
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), |then| {
        then.status(502)
            .header("Content-Type", "text/html")
            .body(page.as_str())
    });
    let out = Fgs::new().args(invoke_args(&server)).run();
    out.code(5);
    out.stdout("");
    assert!(
        out.stderr
            .starts_with("error: the service failed: 502 Bad Gateway\n"),
        "{}",
        out.stderr
    );
    out.stderr_contains("HTTP 502");
    for dumped in [
        "<html",
        "<title>",
        "<center>",
        "upstream-diagnostic",
        "nginx",
    ] {
        assert!(
            !out.stderr.contains(dumped),
            "the page was dumped ({dumped}): {}",
            out.stderr
        );
    }
    assert!(out.stderr.len() < 1000, "stderr too long: {}", out.stderr);
    mock.assert_calls(1);
}

#[test]
fn exit_5_for_an_answer_that_cannot_be_read() {
    // Headers promise 100 bytes, 10 arrive, then the connection closes.
    let endpoint = raw_server(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"result\":",
        Duration::from_millis(0),
    );
    Fgs::new()
        .args(["invoke", URN, "--token", TOKEN, "--endpoint", &endpoint])
        .run()
        .code(5)
        .stdout("")
        .stderr_starts_with("error: the answer could not be read\n");
}

#[test]
fn exit_6_when_the_connection_is_refused() {
    let endpoint = refused_endpoint();
    Fgs::new()
        .args(["invoke", URN, "--token", TOKEN, "--endpoint", &endpoint])
        .run()
        .code(6)
        .stdout("")
        .stderr_matches(
            predicate::str::starts_with("error: could not reach the service\n")
                .and(predicate::str::contains("onnection refused"))
                .and(predicate::str::contains("hint:")),
        );
}

#[test]
fn exit_7_when_the_server_is_slower_than_the_timeout() {
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), |then| {
        ok(then, "too late").delay(Duration::from_secs(5))
    });
    let mut cmd = Fgs::new();
    let started = std::time::Instant::now();
    cmd.args(invoke_args(&server))
        .args(["--timeout", "0.5"])
        .run()
        .code(7)
        .stdout("")
        .stderr_matches(
            predicate::str::starts_with("error: no answer within 0.5 s\n")
                .and(predicate::str::contains("hint:"))
                .and(predicate::str::contains("--timeout")),
        );
    assert!(started.elapsed() < Duration::from_secs(4));
    mock.assert_calls(1);
}

#[test]
fn exit_7_prints_the_request_id_when_the_headers_arrived() {
    // The headers (with the request id) arrive, the body never does.
    let endpoint = raw_server(
        b"HTTP/1.1 200 OK\r\nX-Cff-Request-Id: rid-slow-42\r\nContent-Length: 100\r\n\r\n{",
        Duration::from_secs(3),
    );
    Fgs::new()
        .args(["invoke", URN, "--token", TOKEN, "--endpoint", &endpoint])
        .args(["--timeout", "0.5"])
        .run()
        .code(7)
        .stdout("")
        .stderr_matches(
            predicate::str::starts_with("error: no answer within 0.5 s\n")
                .and(predicate::str::contains("request id: rid-slow-42"))
                .and(predicate::str::contains("--timeout")),
        );
}

// Unix only: Ctrl-C is sent with `kill -INT`, which Windows lacks.
#[cfg(unix)]
#[test]
fn exit_130_when_interrupted() {
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), |then| {
        ok(then, "never seen").delay(Duration::from_secs(10))
    });
    let (mut cmd, _home) = fgs_process();
    let child = cmd
        .args(invoke_args(&server))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawning fgs");
    // Once the request has arrived, the Ctrl-C handler is certainly installed.
    wait_for_hit(&mock, Duration::from_secs(10));
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("running kill");
    assert!(status.success());
    let out = Run::from(child.wait_with_output().expect("waiting for fgs"));
    out.code(130);
    // Ended by SIGINT itself, after cleaning up, as a shell expects of a program it ran.
    assert_eq!(out.signal, Some(SIGINT), "stderr: {}", out.stderr);
    out.stdout("");
    out.stderr("error: interrupted\nhint: the call was sent and the function may still be running; its request id comes with the answer, which did not arrive\n");
    mock.assert_calls(1);
}

/// Ctrl-C at a terminal reaches the whole foreground process group: the shell running a
/// script stops as well, because fgs ends by SIGINT rather than exiting with 130.
// Unix only: a signal to a process group, and a shell that stops when its child dies by SIGINT.
#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_calling_shell_script_too() {
    use std::os::unix::process::CommandExt;
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), |then| {
        ok(then, "never seen").delay(Duration::from_secs(10))
    });
    let line = std::iter::once(BIN.to_string())
        .chain(invoke_args(&server))
        .map(|a| format!("'{a}'"))
        .collect::<Vec<_>>()
        .join(" ");
    let (mut cmd, _home) = scrubbed(Path::new("bash"));
    let child = cmd
        .args([
            "-c",
            &format!("{line}; echo \"status $?, the script went on\""),
        ])
        .process_group(0)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawning bash");
    wait_for_hit(&mock, Duration::from_secs(10));
    let status = std::process::Command::new("kill")
        .args(["-s", "INT", "--", &format!("-{}", child.id())])
        .status()
        .expect("running kill");
    assert!(status.success());
    let out = Run::from(child.wait_with_output().expect("waiting for bash"));
    out.stdout("");
    out.code(130);
    out.stderr_contains("error: interrupted");
}

/// stdout cannot be written (a full disk): the call was made, so this is this machine's
/// failure, exit 8, and not "nothing was sent".
#[test]
fn a_failed_stdout_write_is_exit_8() {
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), |then| ok(then, "{\"k\":1}"));
    let (mut cmd, _home) = fgs_process();
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("opening /dev/full");
    let out = Run::from(
        cmd.args(invoke_args(&server))
            .stdin(Stdio::null())
            .stdout(full)
            .output()
            .expect("running fgs"),
    );
    out.code(8);
    assert!(
        out.stderr
            .starts_with("error: writing the result to stdout\n"),
        "{}",
        out.stderr
    );
    mock.assert_calls(1);
}

/// The `--summary` file cannot be written: every call was made, so exit 8.
#[test]
fn an_unwritable_summary_file_is_exit_8() {
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), |then| ok(then, "1"));
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let summary = home.path().join("no-such-dir").join("summary.json");
    cmd.args(invoke_args(&server))
        .args(["--repeat", "3", "--summary"])
        .arg(&summary)
        .run()
        .code(8)
        .stdout("1\n1\n1\n")
        .stderr_contains("error: writing the summary to");
    mock.assert_calls(3);
}

/// The README's exit-code table and `fgs --help` list the same codes, in the same order,
/// each README meaning starting with the help's words.
#[test]
fn the_readme_and_help_agree_on_exit_codes() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("reading the README");
    let section = readme
        .split("\n## Exit codes\n")
        .nth(1)
        .expect("the README has an Exit codes section");
    let section = section.split("\n## ").next().unwrap_or_default();
    let documented: Vec<(String, String)> = section
        .lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l
                .trim()
                .trim_matches('|')
                .split('|')
                .map(str::trim)
                .collect();
            match cells.as_slice() {
                [code, meaning] if code.parse::<u8>().is_ok() => {
                    Some((code.to_string(), meaning.replace('`', "")))
                }
                _ => None,
            }
        })
        .collect();
    let help = Fgs::new().arg("--help").run().stdout;
    let listed: Vec<(String, String)> = help
        .split("Exit codes:\n")
        .nth(1)
        .expect("--help lists the exit codes")
        .lines()
        .map_while(|l| {
            let l = l.trim();
            let (code, meaning) = l.split_once(char::is_whitespace)?;
            code.parse::<u8>().ok()?;
            Some((code.to_string(), meaning.trim().to_string()))
        })
        .collect();
    let codes = |rows: &[(String, String)]| rows.iter().map(|r| r.0.clone()).collect::<Vec<_>>();
    assert_eq!(codes(&documented), codes(&listed), "README vs --help");
    for ((code, readme_meaning), (_, help_meaning)) in documented.iter().zip(&listed) {
        assert!(
            readme_meaning.starts_with(help_meaning.as_str()),
            "exit {code}: README says {readme_meaning:?}, --help says {help_meaning:?}"
        );
    }
    assert!(codes(&listed).contains(&"8".to_string()));
}
