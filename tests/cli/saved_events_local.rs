//! Saved test events on this machine: `invoke --local DIR --event NAME` (the file, the
//! function's saved event, the template, and offline), `fgs serve`'s events endpoints driven
//! by `fgs event` end to end, and the completion of event names.

use std::path::{Path, PathBuf};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use httpmock::Method::GET;
use httpmock::MockServer;
use serde_json::{Value, json};

use crate::common::*;
use crate::serve::Served;

/// A Python function named `hello` that returns its event.
fn echo(home: &Path) -> PathBuf {
    let dir = home.join("hello");
    write_file(
        &dir.join("function.toml"),
        "name = \"hello\"\nhandler = \"index.handler\"\n",
    );
    write_file(
        &dir.join("index.py"),
        "def handler(event, context):\n    return event\n",
    );
    dir
}

/// The stand-in's saved events of `default:hello`: `order-paid` with `{"order": 42}`.
fn saved_events(server: &MockServer) -> (httpmock::Mock<'_>, httpmock::Mock<'_>) {
    let urn = format!("urn:fss:{REGION}:{PROJECT}:function:default:hello");
    let path = format!("/v2/{PROJECT}/fgs/functions/{urn}/events");
    let list = server.mock(|when, then| {
        when.method(GET)
            .path(path.clone())
            .header("X-Auth-Token", TOKEN);
        then.status(200).json_body(json!({
            "events": [{"id": "e-1", "name": "order-paid", "last_modified": 1_597_374_286}],
            "next_marker": 1, "count": 1
        }));
    });
    let one = server.mock(|when, then| {
        when.method(GET).path(format!("{path}/e-1"));
        then.status(200).json_body(json!({
            "id": "e-1", "name": "order-paid", "content": BASE64.encode(r#"{"order": 42}"#)
        }));
    });
    (list, one)
}

/// The cloud settings of the environment (a local run refuses them as flags).
fn cloud_env(cmd: &mut Fgs, endpoint: &str) {
    cmd.env("FGS_TOKEN", TOKEN)
        .env("FGS_REGION", REGION)
        .env("FGS_PROJECT_ID", PROJECT)
        .env("FGS_ENDPOINT", endpoint);
}

fn result(run: &Run) -> Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {:?}", run.stdout))
}

#[test]
fn a_local_event_is_the_file_then_the_saved_event_then_the_template() {
    if no_python_here() {
        return;
    }
    let server = MockServer::start();
    let (list, one) = saved_events(&server);

    // 1. DIR/events/NAME.json, even when the service has an event so named.
    let mut cmd = Fgs::new();
    let dir = echo(cmd.home().path());
    write_file(
        &dir.join("events").join("order-paid.json"),
        r#"{"from": "file"}"#,
    );
    cloud_env(&mut cmd, &server.base_url());
    let out = cmd
        .args(["invoke", "--local"])
        .arg(&dir)
        .args(["--event", "order-paid", "-v"])
        .run();
    out.code(0).stderr_contains(format!(
        "note: the payload is {}",
        dir.join("events").join("order-paid.json").display()
    ));
    assert_eq!(result(&out), json!({"from": "file"}));
    list.assert_calls(0);

    // 2. The function's saved event, in the project the settings name.
    std::fs::remove_file(dir.join("events").join("order-paid.json")).unwrap();
    let mut cmd = Fgs::new();
    cloud_env(&mut cmd, &server.base_url());
    let out = cmd
        .args(["invoke", "--local"])
        .arg(&dir)
        .args(["--event", "order-paid", "-v"])
        .run();
    out.code(0).stderr_contains(
        "note: the payload is the saved test event `order-paid` of default:hello (id e-1)",
    );
    assert_eq!(result(&out), json!({"order": 42}));
    list.assert_calls(1);
    one.assert_calls(1);

    // 3. A template, when the function has no saved event so named.
    let mut cmd = Fgs::new();
    cloud_env(&mut cmd, &server.base_url());
    let out = cmd
        .args(["invoke", "--local"])
        .arg(&dir)
        .args(["--event", "timer", "-v"])
        .run();
    out.code(0)
        .stderr_contains("default:hello has no saved event so named")
        .stderr_contains("note: the payload is the event template `timer`");
    assert_eq!(result(&out)["trigger_type"], "TIMER");
    list.assert_calls(2);

    // Without cloud settings the service is not asked.
    let out = Fgs::new()
        .args(["invoke", "--local"])
        .arg(&dir)
        .args(["--event", "timer", "-v"])
        .run();
    out.code(0).stderr_contains("no saved event looked for");
    assert_eq!(result(&out)["trigger_type"], "TIMER");

    // Nowhere: exit 2, naming the three places.
    let out = Fgs::new()
        .args(["invoke", "--local"])
        .arg(&dir)
        .args(["--event", "nowhere"])
        .run();
    out.code(2)
        .stdout("")
        .stderr_contains("no event `nowhere`: no ")
        .stderr_contains("the templates are apig,");
    // A name that could leave DIR/events is refused before any of them is looked at.
    Fgs::new()
        .args(["invoke", "--local"])
        .arg(&dir)
        .args(["--event", "../index"])
        .run()
        .code(2)
        .stderr_contains("is not a name the service takes for an event");
}

#[test]
fn offline_a_local_event_that_needs_the_service_fails_and_says_how_to_keep_it() {
    if no_python_here() {
        return;
    }
    let mut cmd = Fgs::new();
    let dir = echo(cmd.home().path());
    cloud_env(&mut cmd, &refused_endpoint());
    let out = cmd
        .args(["invoke", "--local"])
        .arg(&dir)
        .args(["--event", "order-paid"])
        .run();
    let file = dir.join("events").join("order-paid.json");
    // The path is quoted for the shell where it needs to be (Windows).
    out.code(6)
        .stdout("")
        .stderr_contains(format!(
            "hint: fgs asked the service for the saved event `order-paid` of default:hello, as {} does not exist; to run without the service, keep the event there: fgs event get default:hello order-paid > ",
            file.display(),
        ))
        .stderr_contains("order-paid.json");
}

#[test]
fn fgs_event_saves_lists_gets_and_deletes_the_files_of_fgs_serve() {
    if no_python_here() {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let dir = echo(home.path());
    let served = Served::start(&[&dir], &[]);
    let endpoint = served.endpoint();
    let event = |args: &[&str]| {
        let mut cmd = Fgs::new();
        cmd.arg("event")
            .args(args)
            .args(["--endpoint", &endpoint, "--token", "local"])
            .args(["--region", REGION, "--project-id", PROJECT]);
        cmd
    };
    let file = dir.join("events").join("order-paid.json");

    event(&["list", "hello"])
        .run()
        .code(0)
        .stderr("no saved events\n");
    event(&["save", "hello", "order-paid"])
        .stdin("{\"order\": 42}\n")
        .run()
        .code(0)
        .stderr("created the saved test event `order-paid` of hello\n");
    // What is saved is the file, byte for byte.
    assert_eq!(std::fs::read(&file).unwrap(), b"{\"order\": 42}\n");
    event(&["save", "hello", "refund", "-d", "[1]"])
        .run()
        .code(0);
    event(&["list", "hello"])
        .run()
        .code(0)
        .stdout("order-paid\nrefund\n");
    let listed = event(&["list", "hello", "-o", "json"]).run();
    let first: Value = serde_json::from_str(listed.stdout.lines().next().unwrap()).unwrap();
    assert_eq!(first["id"], "order-paid");
    assert!(first["last_modified"].is_u64(), "{first}");

    event(&["get", "hello", "order-paid"])
        .run()
        .code(0)
        .stdout("{\"order\": 42}\n");
    event(&["save", "hello", "order-paid", "-d", r#"{"order": 43}"#])
        .run()
        .code(0)
        .stderr("updated the saved test event `order-paid` of hello\n");
    assert_eq!(std::fs::read(&file).unwrap(), br#"{"order": 43}"#);

    // invoke --event through the server, and --local from the file it wrote.
    let out = Fgs::new()
        .args(["invoke", "hello", "--event", "order-paid"])
        .args(["--endpoint", &endpoint, "--token", "local"])
        .args(["--region", REGION, "--project-id", PROJECT])
        .run();
    out.code(0);
    assert_eq!(result(&out), json!({"order": 43}));
    let out = Fgs::new()
        .args(["invoke", "--local"])
        .arg(&dir)
        .args(["--event", "order-paid"])
        .run();
    out.code(0);
    assert_eq!(result(&out), json!({"order": 43}));

    event(&["delete", "hello", "order-paid"])
        .run()
        .code(0)
        .stderr("deleted the saved test event `order-paid` of hello\n");
    assert!(!file.exists());
    event(&["get", "hello", "order-paid"])
        .run()
        .code(4)
        .stderr_contains("hint: its saved events: refund");
    // Another function is the server's 404.
    event(&["list", "nope"])
        .run()
        .code(4)
        .stderr_contains("FSS.1051");
    let log = served.stderr();
    assert!(log.contains("event order-paid created"), "{log}");
    assert!(log.contains("event order-paid deleted"), "{log}");
}

/// `--event` completes to the function's saved events, from the 10-minute cache after the
/// first Tab press; with `--local DIR`, to `DIR/events/` and the templates.
#[cfg(unix)]
#[test]
fn event_names_complete_from_the_service_and_from_the_directory() {
    use crate::complete::{lines, offered, offered_in, settings};
    use crate::local::function_dir;
    let server = MockServer::start();
    let (list, _) = saved_events(&server);
    let env = settings(&server.base_url());
    let (first, home) = offered(&env, "fgs invoke hello --event o");
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    assert_eq!(lines(&first), ["order-paid"]);
    assert_eq!(first.stderr, "");
    // An empty word is offered the flags too; the values are the events.
    let second = offered_in(&home, &env, "fgs event get hello ");
    let values: Vec<String> = lines(&second)
        .into_iter()
        .filter(|l| !l.starts_with('-'))
        .collect();
    assert_eq!(values, ["order-paid"]);
    list.assert_calls(1);

    let dir = function_dir(
        &home,
        "fn",
        &[("events/mine.json", "{}"), ("events/bad name.json", "{}")],
    );
    let local = offered_in(
        &home,
        &[],
        &format!("fgs invoke --local {} --event ", dir.display()),
    );
    let offered = lines(&local);
    assert!(offered.contains(&"mine".to_string()), "{offered:?}");
    assert!(offered.contains(&"timer".to_string()), "{offered:?}");
    assert!(!offered.iter().any(|o| o.contains("bad")), "{offered:?}");
}
