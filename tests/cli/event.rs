//! `fgs event list|show|apig`: the templates, and API Gateway events built from a request.

use base64::Engine as _;
use predicates::prelude::*;
use serde_json::Value;

use crate::common::*;

const NAMES: &[&str] = &[
    "apig",
    "apig-base64",
    "timer",
    "obs",
    "smn",
    "lts",
    "cts",
    "dds",
    "dis",
    "kafka",
    "rabbitmq",
    "rocketmq",
    "cloudevents",
    "blank",
];

#[test]
fn list_names_every_template_with_a_description() {
    let (mut cmd, _home) = fgs();
    let out = run(cmd.args(["event", "list"]));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(out.stderr, "");
    let listed: Vec<&str> = out
        .stdout
        .lines()
        .map(|l| l.split_whitespace().next().unwrap_or_default())
        .collect();
    assert_eq!(listed, NAMES);
    assert!(out.stdout.lines().all(|l| l.split_whitespace().count() > 1));
}

#[test]
fn show_prints_each_template_as_json() {
    for name in NAMES {
        let (mut cmd, _home) = fgs();
        let out = run(cmd.args(["event", "show", name]));
        assert_eq!(out.code, Some(0), "{name}: {}", out.stderr);
        let value: Value =
            serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{name} is not JSON: {e}"));
        assert!(value.is_object(), "{name}");
    }
    let (mut cmd, _home) = fgs();
    let out = run(cmd.args(["event", "show", "timer"]));
    let timer: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(timer["trigger_type"], "TIMER", "{timer}");
}

#[test]
fn an_unknown_template_is_exit_2_naming_the_known_ones() {
    let (mut cmd, _home) = fgs();
    cmd.args(["event", "show", "nope"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            predicate::str::starts_with("error: no event template `nope`")
                .and(predicate::str::contains("apig, apig-base64, timer")),
        );
}

#[test]
fn apig_builds_the_gateway_event_with_a_base64_body() {
    let (mut cmd, home) = fgs();
    let body = write_file(&home.path().join("item.json"), "{\"id\": 7}");
    let out = run(cmd.args([
        "event",
        "apig",
        "--method",
        "post",
        "--path",
        "/items",
        "--query",
        "k=v",
        "--header",
        "X-User:alice",
        "--body",
        &format!("@{}", body.display()),
    ]));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let event: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(event["httpMethod"], "POST");
    assert_eq!(event["path"], "/items");
    assert_eq!(event["queryStringParameters"]["k"], "v");
    assert_eq!(event["headers"]["x-user"], "alice");
    assert_eq!(event["isBase64Encoded"], true);
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(event["body"].as_str().unwrap())
        .unwrap();
    assert_eq!(decoded, b"{\"id\": 7}");
}

#[test]
fn apig_reads_the_body_from_stdin_and_refuses_bad_items() {
    let (mut cmd, _home) = fgs();
    let out = run(cmd
        .args(["event", "apig", "--body", "@-"])
        .write_stdin("hello"));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let event: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(event["body"], "aGVsbG8=");
    for (flag, item) in [("--query", "novalue"), ("--header", "no-colon")] {
        let (mut cmd, _home) = fgs();
        cmd.args(["event", "apig", flag, item])
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::starts_with("error: ").and(predicate::str::contains(item)));
    }
}
