//! `fgs login --help` shows only what login uses; `fgs info` against `fgs serve` prints an
//! invoke line that works as it is.

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};

use crate::common::*;
use crate::local::example;

/// Login asks IAM: FunctionGraph's endpoint, a token and the other ways to authenticate are
/// not in its help; the timeout says what it bounds for login. Other commands keep them.
#[test]
fn login_help_lists_only_what_login_uses() {
    for help in ["-h", "--help"] {
        let out = Fgs::new().env("COLUMNS", "200").args(["login", help]).run();
        out.code(0)
            .stdout_contains("--user <NAME>")
            .stdout_contains("--iam-endpoint <URL>")
            .stdout_contains("--connect-timeout <DURATION>")
            .stdout_contains("--ca-cert <PATH>")
            .stdout_contains("--region <REGION>")
            .stdout_contains("How long to wait for IAM's answer")
            .stdout_contains("at most 60 s")
            .stdout_lacks("--token")
            .stdout_lacks("--auth")
            .stdout_lacks("metadata")
            .stdout_lacks("--endpoint <URL>")
            .stdout_lacks("930");
    }
    for command in ["invoke", "info", "list"] {
        Fgs::new()
            .args([command, "--help"])
            .run()
            .code(0)
            .stdout_contains("--token <TOKEN>")
            .stdout_contains("--auth <METHOD>")
            .stdout_contains("--endpoint <URL>")
            .stdout_contains("[default: 930");
    }
}

/// A running `fgs serve`, stopped (SIGTERM) and waited for when dropped.
struct Serve {
    child: Child,
    endpoint: String,
    _home: tempfile::TempDir,
}

impl Serve {
    fn start() -> Serve {
        let (mut cmd, home) = fgs_process();
        let mut child = cmd
            .arg("serve")
            .arg(example("hello-python"))
            .args(["--listen", "127.0.0.1:0"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawning fgs serve");
        let mut lines = BufReader::new(child.stderr.take().expect("stderr"));
        let mut endpoint = None;
        let mut seen = String::new();
        loop {
            let mut line = String::new();
            if lines.read_line(&mut line).unwrap_or(0) == 0 {
                let _ = child.kill();
                let _ = child.wait();
                panic!("fgs serve did not start: {seen}");
            }
            seen.push_str(&line);
            if let Some(addr) = line.trim().strip_prefix("fgs serve: listening on ") {
                endpoint = Some(addr.to_string());
            }
            if line.starts_with("any project id and token are accepted") {
                break;
            }
        }
        // Keep reading stderr so that serve never blocks on it.
        std::thread::spawn(move || std::io::copy(&mut lines, &mut std::io::sink()));
        Serve {
            child,
            endpoint: endpoint.expect("the banner names the address"),
            _home: home,
        }
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        // Windows has no SIGTERM to send: there the server is terminated.
        #[cfg(unix)]
        let _ = std::process::Command::new("kill")
            .args(["-s", "TERM", &self.child.id().to_string()])
            .status();
        #[cfg(not(unix))]
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `fgs info` of a function of `fgs serve` prints an invoke line with `--token local`, and
/// that line, run as printed, calls the function.
#[test]
fn info_against_serve_prints_an_invoke_line_that_works() {
    if no_python_here() {
        return;
    }
    let serve = Serve::start();
    let out = Fgs::new()
        .args(["info", "hello-python", "--endpoint", &serve.endpoint])
        .args([
            "--region",
            "local",
            "--project-id",
            "local",
            "--token",
            "local",
        ])
        .run();
    out.code(0);
    let line = out
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("invoke"))
        .expect("an invoke line")
        .trim();
    assert_eq!(
        line,
        format!(
            "fgs invoke urn:fss:local:local:function:default:hello-python:latest --endpoint {} --token local -d '{{}}'",
            serve.endpoint
        ),
        "{}",
        out.stdout
    );
    // Run as printed (the words have no quoting but `-d '{}'`).
    let words: Vec<&str> = line
        .trim_end_matches(" -d '{}'")
        .split(' ')
        .skip(1)
        .collect();
    Fgs::new()
        .args(words)
        .args(["-d", "{}"])
        .run()
        .code(0)
        .stdout_contains(", world!");
}
