//! A function's saved test events (API notes §11.1): `fgs event list|get|save|delete
//! FUNCTION`, and `fgs invoke --event NAME`, against a loopback stand-in that answers as the
//! service does: paging, base64 and plain-JSON contents, content fgs cannot read, names the
//! service refuses, 404s, `-o json`, and no secret in any output.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use httpmock::Method::{DELETE, GET, POST, PUT};
use httpmock::MockServer;
use serde_json::{Value, json};

use crate::common::*;

/// The version-less URN events are asked for on (a short name with region and project).
fn function_urn() -> String {
    format!("urn:fss:{REGION}:{PROJECT}:function:default:hello")
}

fn events_path() -> String {
    format!("/v2/{PROJECT}/fgs/functions/{}/events", function_urn())
}

fn event_path(id: &str) -> String {
    format!("{}/{id}", events_path())
}

/// `event COMMAND hello [more] --token … --endpoint SERVER --region … --project-id …`.
fn event_args(command: &str, more: &[&str], server: &MockServer) -> Vec<String> {
    let mut args = vec!["event".to_string(), command.into(), "hello".into()];
    args.extend(more.iter().map(ToString::to_string));
    args.extend(settings(server));
    args
}

fn settings(server: &MockServer) -> Vec<String> {
    [
        "--token",
        TOKEN,
        "--endpoint",
        &server.base_url(),
        "--region",
        REGION,
        "--project-id",
        PROJECT,
    ]
    .map(String::from)
    .to_vec()
}

/// The list answered with `events` on one page, as the service's example: `next_marker`
/// past them and `count`.
fn listing<'a>(server: &'a MockServer, events: &Value) -> httpmock::Mock<'a> {
    let count = events.as_array().map_or(0, Vec::len);
    server.mock(|when, then| {
        when.method(GET)
            .path(events_path())
            .query_param_missing("marker")
            .header("X-Auth-Token", TOKEN)
            .header("Content-Type", "application/json");
        then.status(200)
            .header("Content-Type", "application/json")
            .json_body(json!({"events": events, "next_marker": count, "count": count}));
    })
}

/// One event's document, with `content` as given.
fn shown<'a>(server: &'a MockServer, id: &str, name: &str, content: &str) -> httpmock::Mock<'a> {
    let body = json!({"id": id, "name": name, "content": content, "last_modified": 1_597_374_286});
    server.mock(|when, then| {
        when.method(GET)
            .path(event_path(id))
            .header("X-Auth-Token", TOKEN);
        then.status(200)
            .header("Content-Type", "application/json")
            .json_body(body);
    })
}

fn two_events() -> Value {
    json!([
        {"id": "6a0f6d54-0f0c-4dca-a6f4-6a5b4f0b2a11", "name": "order-paid", "last_modified": 1_597_374_286},
        {"id": "0b6e4c1e-6f8b-4f21-9a3c-3f3b4b1d2c22", "name": "refund", "last_modified": 1_597_374_300.0},
    ])
}

const PAID_ID: &str = "6a0f6d54-0f0c-4dca-a6f4-6a5b4f0b2a11";
/// An event's JSON text, kept exactly: spacing, key order and a line break inside.
const PAID: &str = "{\n  \"order\": 42,  \"paid\": true }";

fn not_found(then: httpmock::Then) -> httpmock::Then {
    then.status(404)
        .header("Content-Type", "application/json")
        .json_body(json!({"error_code": "FSS.1051", "error_msg": "Not found the function"}))
}

#[test]
fn list_prints_names_in_a_pipe_a_table_and_json() {
    let server = MockServer::start();
    let list = listing(&server, &two_events());
    let names = Fgs::new().args(event_args("list", &[], &server)).run();
    names.code(0).stdout("order-paid\nrefund\n").stderr("");

    let table = Fgs::new()
        .args(event_args("list", &["-o", "table"], &server))
        .run();
    table.code(0).stdout(
        "NAME        MODIFIED\n\
         order-paid  2020-08-14T03:04:46Z\n\
         refund      2020-08-14T03:05:00Z\n",
    );

    let documents = Fgs::new()
        .args(event_args("list", &["-o", "json"], &server))
        .run();
    documents.code(0);
    let lines: Vec<Value> = documents
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON document a line"))
        .collect();
    assert_eq!(Value::Array(lines), two_events());
    list.assert_calls(3);
}

#[test]
fn list_follows_next_marker_and_stops_when_a_page_brings_nothing_new() {
    let server = MockServer::start();
    // The first request has no query (the service documents none); the page says more
    // come after marker 1.
    let first = server.mock(|when, then| {
        when.method(GET)
            .path(events_path())
            .query_param_missing("marker");
        then.status(200).json_body(json!({
            "events": [{"id": "1", "name": "one"}], "next_marker": 1, "count": 3
        }));
    });
    let second = server.mock(|when, then| {
        when.method(GET)
            .path(events_path())
            .query_param("marker", "1");
        then.status(200).json_body(json!({
            "events": [{"id": "2", "name": "two"}, {"id": "3", "name": "three"}],
            "next_marker": "3", "count": 3
        }));
    });
    Fgs::new()
        .args(event_args("list", &[], &server))
        .run()
        .code(0)
        .stdout("one\ntwo\nthree\n");
    first.assert_calls(1);
    second.assert_calls(1);

    // A service that ignores the marker gives the same page again, with no count: the
    // listing ends there, with nothing twice.
    let server = MockServer::start();
    let same = server.mock(|when, then| {
        when.method(GET).path(events_path());
        then.status(200).json_body(json!({
            "events": [{"id": "1", "name": "one"}], "next_marker": 1
        }));
    });
    Fgs::new()
        .args(event_args("list", &[], &server))
        .run()
        .code(0)
        .stdout("one\n");
    same.assert_calls(2);
}

#[test]
fn an_empty_list_says_so_on_stderr_and_a_missing_function_is_exit_4() {
    let server = MockServer::start();
    listing(&server, &json!([]));
    Fgs::new()
        .args(event_args("list", &[], &server))
        .run()
        .code(0)
        .stdout("")
        .stderr("no saved events\n");

    let server = MockServer::start();
    server.mock(|when, then| {
        when.method(GET).path(events_path());
        not_found(then);
    });
    Fgs::new()
        .args(event_args("list", &[], &server))
        .run()
        .code(4)
        .stdout("")
        .stderr_contains("FSS.1051")
        .stderr_contains("hint: check the function name");
}

#[test]
fn get_prints_the_events_exact_bytes_from_base64_and_from_plain_json() {
    let server = MockServer::start();
    let list = listing(&server, &two_events());
    let event = shown(&server, PAID_ID, "order-paid", &BASE64.encode(PAID));
    let out = Fgs::new()
        .args(event_args("get", &["order-paid", "-v"], &server))
        .run();
    // In a pipe: the bytes as saved, no line break added.
    out.code(0)
        .stdout(PAID)
        .stderr_contains("note: the event's content is base64");
    list.assert_calls(1);
    event.assert_calls(1);

    // Older documents: the content is the JSON text itself.
    let server = MockServer::start();
    listing(&server, &two_events());
    shown(&server, PAID_ID, "order-paid", PAID);
    Fgs::new()
        .args(event_args("get", &["order-paid", "-v"], &server))
        .run()
        .code(0)
        .stdout(PAID)
        .stderr_contains("note: the event's content is the JSON text itself");
}

#[test]
fn get_json_is_the_services_document_with_the_content_decoded() {
    let server = MockServer::start();
    listing(&server, &two_events());
    let encoded = BASE64.encode(PAID);
    shown(&server, PAID_ID, "order-paid", &encoded);
    let out = Fgs::new()
        .args(event_args("get", &["order-paid", "-o", "json"], &server))
        .run();
    out.code(0).stderr("");
    let document: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        document,
        json!({
            "id": PAID_ID, "name": "order-paid", "content": encoded,
            "last_modified": 1_597_374_286,
            "decoded": {"order": 42, "paid": true}, "encoding": "base64",
        })
    );
}

#[test]
fn content_fgs_cannot_read_is_exit_5_that_says_why() {
    for (content, why) in [
        ("%%% not base64 {", "neither base64 nor JSON"),
        ("aGVsbG8=", "base64, but of something that is not JSON"),
        ("", "it is empty"),
        ("\u{1b}]0;evil\u{7}", "neither base64 nor JSON"),
    ] {
        let server = MockServer::start();
        listing(&server, &two_events());
        shown(&server, PAID_ID, "order-paid", content);
        let out = Fgs::new()
            .args(event_args("get", &["order-paid"], &server))
            .run();
        out.code(5)
            .stdout("")
            .stderr_contains("the saved event `order-paid` of hello cannot be read")
            .stderr_contains(why)
            .stderr_contains(
                "hint: see it as the service sent it: fgs event get hello order-paid -o json",
            );
        assert!(!out.stderr.contains('\u{1b}'), "{:?}", out.stderr);

        // -o json still shows the document as sent, without `decoded`, and fails.
        let out = Fgs::new()
            .args(event_args("get", &["order-paid", "-o", "json"], &server))
            .run();
        out.code(5);
        let document: Value = serde_json::from_str(&out.stdout).unwrap();
        assert_eq!(document["content"], content);
        assert!(document.get("decoded").is_none(), "{document}");
    }
}

#[test]
fn an_unknown_event_is_exit_4_naming_those_there_are() {
    let server = MockServer::start();
    listing(&server, &two_events());
    let out = Fgs::new().args(event_args("get", &["nope"], &server)).run();
    out.code(4).stdout("").stderr(
        "error: hello has no saved test event `nope`\nhint: its saved events: order-paid, refund\n",
    );

    let server = MockServer::start();
    listing(&server, &json!([]));
    let out = Fgs::new()
        .args(event_args("delete", &["nope"], &server))
        .run();
    out.code(4).stderr_contains(
        "hint: it has no saved events; save one: fgs event save hello nope -d @event.json",
    );

    // -o json: the failure is a document too.
    let out = Fgs::new()
        .args(event_args("get", &["nope", "-o", "json"], &server))
        .run();
    out.code(4);
    let document: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(document["error"]["function_urn"], "hello");
}

#[test]
fn the_event_vanishing_between_list_and_get_is_the_services_404() {
    let server = MockServer::start();
    listing(&server, &two_events());
    server.mock(|when, then| {
        when.method(GET).path(event_path(PAID_ID));
        then.status(404)
            .json_body(json!({"error_code": "FSS.1070", "error_msg": "The event cannot be found"}));
    });
    Fgs::new()
        .args(event_args("get", &["order-paid"], &server))
        .run()
        .code(4)
        .stderr_contains("FSS.1070: The event cannot be found");
}

#[test]
fn save_creates_an_event_with_base64_content_when_none_is_so_named() {
    let server = MockServer::start();
    let list = listing(&server, &two_events());
    let create = server.mock(|when, then| {
        when.method(POST)
            .path(events_path())
            .header("X-Auth-Token", TOKEN)
            .header("Content-Type", "application/json")
            .json_body(json!({"name": "new-one", "content": BASE64.encode(PAID)}));
        then.status(200)
            .json_body(json!({"id": "fresh-id", "name": "new-one"}));
    });
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), PAID).unwrap();
    let data = format!("@{}", file.path().display());
    let out = Fgs::new()
        .args(event_args(
            "save",
            &["new-one", "-d", &data, "-o", "json"],
            &server,
        ))
        .run();
    out.code(0)
        .stderr("created the saved test event `new-one` of hello\n");
    let document: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        document,
        json!({"id": "fresh-id", "name": "new-one", "created": true})
    );
    list.assert_calls(1);
    create.assert_calls(1);
}

#[test]
fn save_replaces_the_content_of_the_event_so_named_by_its_id() {
    let server = MockServer::start();
    listing(&server, &two_events());
    // No name in the body: the API renames nothing (§11.1).
    let update = server.mock(|when, then| {
        when.method(PUT)
            .path(event_path(PAID_ID))
            .json_body(json!({"content": BASE64.encode("[1, 2]")}));
        then.status(200)
            .json_body(json!({"id": PAID_ID, "name": "order-paid"}));
    });
    let create = server.mock(|when, then| {
        when.method(POST).path(events_path());
        then.status(599);
    });
    // From stdin, piped.
    Fgs::new()
        .args(event_args("save", &["order-paid"], &server))
        .stdin("[1, 2]")
        .run()
        .code(0)
        .stdout("")
        .stderr("updated the saved test event `order-paid` of hello\n");
    update.assert_calls(1);
    create.assert_calls(0);
}

#[test]
fn save_checks_the_name_and_the_json_before_sending_anything() {
    let server = MockServer::start();
    let anything = catch_all(&server);
    for name in ["1st", "a b", "trailing-", "../escape", &"x".repeat(26)] {
        let out = Fgs::new()
            .args(event_args("save", &[name, "-d", "{}"], &server))
            .run();
        out.code(2).stdout("").stderr_contains(
            "is not a name the service takes for an event: 1 to 25 characters: letters, digits, `-` and `_`, starting with a letter and ending with a letter or digit",
        );
    }
    // The same rule for get, delete and invoke --event.
    Fgs::new()
        .args(event_args("get", &["a.b"], &server))
        .run()
        .code(2);
    Fgs::new()
        .args(event_args("delete", &["-x"], &server))
        .run()
        .code(2);
    Fgs::new()
        .args(invoke_args(&server))
        .args(["--event", "bad name"])
        .run()
        .code(2);
    Fgs::new()
        .args(event_args("save", &["ok", "-d", "{not json"], &server))
        .run()
        .code(2)
        .stderr_contains("is not valid JSON");
    anything.assert_calls(0);
}

#[test]
fn the_services_refusal_of_a_save_is_shown_with_its_code() {
    let server = MockServer::start();
    listing(&server, &two_events());
    server.mock(|when, then| {
        when.method(POST).path(events_path());
        then.status(403).json_body(json!({
            "error_code": "FSS.1068", "error_msg": "The number of function events exceeds the limit"
        }));
    });
    Fgs::new()
        .args(event_args("save", &["eleventh", "-d", "{}"], &server))
        .run()
        .code(3)
        .stderr_contains("FSS.1068");
}

#[test]
fn delete_finds_the_id_by_name_and_takes_the_204() {
    let server = MockServer::start();
    listing(&server, &two_events());
    let delete = server.mock(|when, then| {
        when.method(DELETE)
            .path(event_path("0b6e4c1e-6f8b-4f21-9a3c-3f3b4b1d2c22"))
            .header("X-Auth-Token", TOKEN);
        then.status(204);
    });
    let out = Fgs::new()
        .args(event_args("delete", &["refund", "-o", "json"], &server))
        .run();
    out.code(0)
        .stderr("deleted the saved test event `refund` of hello\n");
    let document: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        document,
        json!({"id": "0b6e4c1e-6f8b-4f21-9a3c-3f3b4b1d2c22", "name": "refund", "deleted": true})
    );
    delete.assert_calls(1);
}

#[test]
fn invoke_event_sends_the_saved_events_json_as_the_payload() {
    let server = MockServer::start();
    listing(&server, &two_events());
    shown(&server, PAID_ID, "order-paid", &BASE64.encode(PAID));
    let call = expect_invocation(&server, &Expect::body(PAID), |then| ok(then, "done"));
    let out = Fgs::new()
        .args(invoke_args(&server))
        .args(["--event", "order-paid", "-v"])
        .run();
    out.code(0).stdout("done\n").stderr_contains(format!(
        "note: the payload is the saved test event `order-paid` of {URN} (id {PAID_ID})"
    ));
    call.assert_calls(1);

    // An event that is not there: exit 4, and no call.
    let server = MockServer::start();
    listing(&server, &two_events());
    let call = expect_invocation(&server, &Expect::default(), |then| ok(then, "done"));
    Fgs::new()
        .args(invoke_args(&server))
        .args(["--event", "nope"])
        .run()
        .code(4)
        .stderr_contains("hint: its saved events: order-paid, refund");
    call.assert_calls(0);
}

#[test]
fn event_excludes_the_other_payload_sources() {
    for other in [
        &["-d", "{}"][..],
        &["--batch", "lines.ndjson"],
        &["--dry-run"],
    ] {
        Fgs::new()
            .args(["invoke", "hello", "--event", "x"])
            .args(other)
            .run()
            .code(2)
            .stderr_contains("cannot be used with");
    }
}

#[test]
fn no_secret_shows_in_any_output() {
    use crate::auth::{AK, SK};
    let server = MockServer::start();
    // Any authorisation: a token, or an AK/SK signature.
    server.mock(|when, then| {
        when.method(GET).path(events_path());
        then.status(200)
            .json_body(json!({"events": two_events(), "count": 2}));
    });
    server.mock(|when, then| {
        when.method(GET).path(event_path(PAID_ID));
        then.status(200).json_body(
            json!({"id": PAID_ID, "name": "order-paid", "content": BASE64.encode(PAID)}),
        );
    });
    server.mock(|when, then| {
        when.method(PUT).path(event_path(PAID_ID));
        then.status(200)
            .json_body(json!({"id": PAID_ID, "name": "order-paid"}));
    });
    server.mock(|when, then| {
        when.method(DELETE).path(event_path(PAID_ID));
        then.status(204);
    });
    let commands: [&[&str]; 5] = [
        &["list", "-v"],
        &["list", "-v", "-o", "json"],
        &["get", "order-paid", "-v", "-o", "json"],
        &["save", "order-paid", "-v", "-d", "{}"],
        &["delete", "order-paid", "-v"],
    ];
    let mut outputs = Vec::new();
    for command in commands {
        let token = Fgs::new()
            .args(event_args(command[0], &command[1..], &server))
            .run();
        token.code(0);
        outputs.push((format!("{command:?} with a token"), token));
        // The same with an access key pair that signs each request.
        let mut args = event_args(command[0], &command[1..], &server);
        let at = args.iter().position(|a| a == "--token").unwrap();
        args.drain(at..at + 2);
        let signed = Fgs::new()
            .args(args)
            .env("HUAWEICLOUD_SDK_AK", AK)
            .env("HUAWEICLOUD_SDK_SK", SK)
            .run();
        signed.code(0);
        outputs.push((format!("{command:?} signed"), signed));
    }
    // No key, secret key or token shows, -v included (the Authorization header shows the
    // access key's last four characters only).
    assert_no_sentinel(&outputs, &[TOKEN, AK, SK]);
}
