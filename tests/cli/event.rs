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
    let out = Fgs::new().args(["event", "list"]).run();
    out.code(0);
    out.stderr("");
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
        let mut cmd = Fgs::new();
        let out = cmd.args(["event", "show", name]).run();
        assert_eq!(out.code, Some(0), "{name}: {}", out.stderr);
        let value: Value =
            serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{name} is not JSON: {e}"));
        assert!(value.is_object(), "{name}");
    }
    let out = Fgs::new().args(["event", "show", "timer"]).run();
    let timer: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(timer["trigger_type"], "TIMER", "{timer}");
}

#[test]
fn an_unknown_template_is_exit_2_naming_the_known_ones() {
    Fgs::new()
        .args(["event", "show", "nope"])
        .run()
        .code(2)
        .stdout("")
        .stderr_matches(
            predicate::str::starts_with("error: no event template `nope`")
                .and(predicate::str::contains("apig, apig-base64, timer")),
        );
}

#[test]
fn apig_builds_the_gateway_event_with_a_base64_body() {
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let body = write_file(&home.path().join("item.json"), "{\"id\": 7}");
    let out = cmd
        .args([
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
        ])
        .run();
    out.code(0);
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
    let mut cmd = Fgs::new();
    let out = cmd
        .args(["event", "apig", "--body", "@-"])
        .stdin("hello")
        .run();
    out.code(0);
    let event: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(event["body"], "aGVsbG8=");
    for (flag, item) in [("--query", "novalue"), ("--header", "no-colon")] {
        Fgs::new()
            .args(["event", "apig", flag, item])
            .run()
            .code(2)
            .stdout("")
            .stderr_matches(
                predicate::str::starts_with("error: ").and(predicate::str::contains(item)),
            );
    }
}
