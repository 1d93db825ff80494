//! `fgs invoke --async --wait` and `fgs status`: the records polled (`request_id`,
//! `query_begin_time`), WAIT → RUNNING → SUCCESS, FAIL, DISCARD, `--wait-timeout`, `-o json`,
//! batches in input order with their counts, progress on a terminal, Ctrl-C.
//!
//! A small server of this file's own answers the service's two paths: a submission gets
//! the request id its payload names (`{"id": "a"}`), and each poll of a request id gets the
//! next record of that id's script (the last one again once the script is used up).

use std::collections::HashMap;
use std::io::Write;
use std::net::{TcpListener, TcpStream};
#[cfg(unix)] // only the Unix-only Ctrl-C tests spawn fgs by hand
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use serde_json::{Value, json};

use crate::common::*;

/// What the server answers each poll of one request id: a record, or `null` for none yet.
type Script = Vec<Value>;

struct Records {
    url: String,
    log: Log,
    stop: Arc<AtomicBool>,
}

impl Drop for Records {
    /// Stop accepting: the listener's thread ends (connections end with fgs).
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.url.trim_start_matches("http://"));
    }
}

impl Records {
    /// The polls of the records, in order of arrival.
    fn polls(&self) -> Vec<Received> {
        let log = self.log.lock().unwrap();
        log.iter().filter(|r| r.method == "GET").cloned().collect()
    }

    fn polls_of(&self, id: &str) -> usize {
        self.polls()
            .iter()
            .filter(|r| query(&r.path, "request_id").as_deref() == Some(id))
            .count()
    }
}

fn records_server(scripts: Vec<(&str, Script)>) -> Records {
    let listener = TcpListener::bind("127.0.0.1:0").expect("binding a port");
    let url = format!("http://{}", listener.local_addr().expect("an address"));
    let log: Log = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let scripts: HashMap<String, (Script, usize)> = scripts
        .into_iter()
        .map(|(id, script)| (id.to_string(), (script, 0)))
        .collect();
    let scripts = Arc::new(Mutex::new(scripts));
    let (seen, stopping) = (Arc::clone(&log), Arc::clone(&stop));
    std::thread::spawn(move || {
        for (connection, stream) in listener.incoming().enumerate() {
            if stopping.load(Ordering::SeqCst) {
                return;
            }
            let Ok(stream) = stream else { return };
            let (seen, scripts) = (Arc::clone(&seen), Arc::clone(&scripts));
            std::thread::spawn(move || {
                let mut reader = std::io::BufReader::new(stream);
                while let Some(request) = read_request(&mut reader, connection) {
                    let answer = answer(&request, &scripts);
                    seen.lock().unwrap().push(request);
                    let stream = reader.get_mut();
                    if stream.write_all(answer.as_bytes()).is_err() {
                        return;
                    }
                }
            });
        }
    });
    Records { url, log, stop }
}

fn answer(request: &Received, scripts: &Mutex<HashMap<String, (Script, usize)>>) -> String {
    let json = [("Content-Type", "application/json")];
    if request.method == "POST" && request.path.ends_with("/invocations-async") {
        let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
        let id = body["id"].as_str().unwrap_or("req-1");
        return http_response(
            "202 Accepted",
            &json,
            &json!({ "request_id": id }).to_string(),
        );
    }
    let Some(id) = query(&request.path, "request_id") else {
        return http_response("599 Unexpected", &[], "");
    };
    let mut scripts = scripts.lock().unwrap();
    let record = match scripts.get_mut(&id) {
        Some((script, next)) => {
            let record = script[(*next).min(script.len() - 1)].clone();
            *next += 1;
            record
        }
        None => Value::Null,
    };
    let invocations = if record.is_null() {
        json!([])
    } else {
        json!([record])
    };
    let count = invocations.as_array().map_or(0, Vec::len);
    let page = json!({ "invocations": invocations, "count": count, "next_marker": 0 });
    http_response("200 OK", &json, &page.to_string())
}

/// A query parameter of a request path, decoded.
fn query(path: &str, name: &str) -> Option<String> {
    let url = url::Url::parse(&format!("http://h{path}")).ok()?;
    url.query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

fn record(id: &str, status: &str) -> Value {
    json!({"request_id": id, "status": status, "error_code": 0, "error_message": "",
           "start_time": "2019-10-25T15:37:27", "end_time": ""})
}

fn finished(id: &str, status: &str) -> Value {
    let mut r = record(id, status);
    r["end_time"] = json!("2019-10-25T15:37:39");
    r
}

fn failed(id: &str) -> Value {
    let mut r = finished(id, "FAIL");
    r["error_code"] = json!(17);
    r["error_message"] = json!("boom: the function raised");
    r
}

/// `fgs invoke URN --async --wait` against `server`, polling every 10 ms and up.
fn wait_cmd(server: &Records) -> Fgs {
    let mut cmd = Fgs::new();
    cmd.env("FGS_POLL_INTERVAL_MS", "10").args([
        "invoke",
        URN,
        "--token",
        TOKEN,
        "--endpoint",
        &server.url,
        "--async",
        "--wait",
    ]);
    cmd
}

fn status_cmd(server: &Records, id: &str) -> Fgs {
    let mut cmd = Fgs::new();
    cmd.env("FGS_POLL_INTERVAL_MS", "10").args([
        "status",
        URN,
        id,
        "--token",
        TOKEN,
        "--endpoint",
        &server.url,
    ]);
    cmd
}

fn records_path() -> String {
    format!("/v2/{PROJECT}/fgs/functions/{URN}/async-invocations")
}

/// A `query_begin_time` in zone-less UTC, as a time.
fn begin_time(poll: &Received) -> SystemTime {
    let text = query(&poll.path, "query_begin_time").expect("a query_begin_time");
    assert!(!text.ends_with('Z') && text.len() == 19, "{text}");
    humantime::parse_rfc3339(&format!("{text}Z")).expect("a time")
}

fn near(time: SystemTime, expected: SystemTime) -> bool {
    let apart = time
        .duration_since(expected)
        .or_else(|_| expected.duration_since(time))
        .unwrap();
    apart < Duration::from_secs(60)
}

#[test]
fn wait_polls_until_success_and_exits_0() {
    let id = "a1";
    let server = records_server(vec![(
        id,
        vec![
            Value::Null,
            record(id, "WAIT"),
            record(id, "RUNNING"),
            finished(id, "SUCCESS"),
        ],
    )]);
    let mut cmd = wait_cmd(&server);
    let started = SystemTime::now();
    let out = cmd.args(["-d", r#"{"id":"a1"}"#]).run();
    out.code(0);
    // stdout keeps `--async`'s contract: the id alone.
    out.stdout("a1\n");
    out.stderr("accepted · HTTP 202 · request a1\nSUCCESS · request a1 · took 12 s\n");
    let polls = server.polls();
    assert_eq!(polls.len(), 4, "{polls:?}");
    for poll in &polls {
        assert!(poll.path.starts_with(&records_path()), "{}", poll.path);
        assert_eq!(query(&poll.path, "request_id").as_deref(), Some(id));
        assert_eq!(query(&poll.path, "limit").as_deref(), Some("500"));
        assert_eq!(poll.header("x-auth-token"), Some(TOKEN));
        // A little before the submission, for clocks that differ.
        let five_minutes_before = started - Duration::from_secs(300);
        assert!(near(begin_time(poll), five_minutes_before), "{}", poll.path);
    }
}

#[test]
fn a_failed_call_exits_1_with_its_error_code_and_message() {
    let server = records_server(vec![("b", vec![record("b", "RUNNING"), failed("b")])]);
    let mut cmd = wait_cmd(&server);
    let out = cmd.args(["-d", r#"{"id":"b"}"#]).run();
    out.code(1);
    out.stdout("b\n");
    assert!(
        out.stderr
            .contains("FAIL · request b · took 12 s · error code 17 · boom: the function raised\n"),
        "{}",
        out.stderr
    );
    out.stderr_contains(
            "error: the asynchronous call failed: boom: the function raised (error code 17)\n  request id: b\n"
        );
}

#[test]
fn a_discarded_call_exits_1() {
    let server = records_server(vec![("c", vec![finished("c", "DISCARD")])]);
    let mut cmd = wait_cmd(&server);
    let out = cmd.args(["-d", r#"{"id":"c"}"#]).run();
    out.code(1);
    out.stderr_contains("DISCARD · request c");
    out.stderr_contains("error: the service discarded");
}

#[test]
fn the_wait_timeout_exits_7_and_says_how_to_look_later() {
    let server = records_server(vec![("d", vec![record("d", "RUNNING")])]);
    let mut cmd = wait_cmd(&server);
    let out = cmd
        .args(["-d", r#"{"id":"d"}"#, "--wait-timeout", "300ms"])
        .run();
    out.code(7);
    out.stdout("d\n");
    out.stderr_contains("RUNNING · request d");
    assert!(
        out.stderr
            .contains("error: the call had not finished after --wait-timeout 0.3 s"),
        "{}",
        out.stderr
    );
    out.stderr_contains(format!("fgs status {URN} d"));
    assert!(server.polls_of("d") >= 3, "{:?}", server.polls());
}

#[test]
fn json_prints_the_final_record_alone() {
    let server = records_server(vec![(
        "e",
        vec![record("e", "WAIT"), finished("e", "SUCCESS")],
    )]);
    let mut cmd = wait_cmd(&server);
    let out = cmd.args(["-d", r#"{"id":"e"}"#, "-o", "json"]).run();
    out.code(0);
    let document: Value = serde_json::from_str(&out.stdout).expect("one JSON document");
    assert_eq!(document, finished("e", "SUCCESS"));
    assert_eq!(out.stdout.lines().count(), 1);
    out.stderr("");
}

#[test]
fn wait_without_async_is_a_usage_error() {
    let mut cmd = Fgs::new();
    let out = cmd.args(["invoke", URN, "--token", TOKEN, "--wait"]).run();
    out.code(2);
    out.stderr_contains("--async");
    let out = Fgs::new()
        .args(["invoke", "--local", ".", "--async", "--wait"])
        .run();
    out.code(2);
    out.stderr_contains("--wait");
}

/// Three lines: a succeeds after running, b fails, c is discarded.
fn mixed() -> Records {
    records_server(vec![
        (
            "a",
            vec![
                record("a", "RUNNING"),
                record("a", "RUNNING"),
                finished("a", "SUCCESS"),
            ],
        ),
        ("b", vec![Value::Null, failed("b")]),
        ("c", vec![finished("c", "DISCARD")]),
    ])
}

fn batch_of_three(home: &tempfile::TempDir) -> String {
    let path = home.path().join("calls.ndjson");
    std::fs::write(&path, "{\"id\":\"a\"}\n{\"id\":\"b\"}\n{\"id\":\"c\"}\n").unwrap();
    path.display().to_string()
}

#[test]
fn a_batch_waits_for_every_call_and_writes_the_records_in_order() {
    let server = mixed();
    let mut cmd = wait_cmd(&server);
    let home = cmd.home();
    let file = batch_of_three(&home);
    let out = cmd
        .args(["--batch", &file, "-o", "json", "--summary", "s.json"])
        .run();
    out.code(1);
    let lines: Vec<Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    let statuses: Vec<(&Value, &Value)> =
        lines.iter().map(|l| (&l["line"], &l["status"])).collect();
    assert_eq!(
        statuses,
        [
            (&json!(1), &json!("SUCCESS")),
            (&json!(2), &json!("FAIL")),
            (&json!(3), &json!("DISCARD"))
        ]
    );
    assert_eq!(lines[1]["error_code"], 17);
    assert!(
        out.stderr
            .contains("waited for 3 calls: 1 SUCCESS, 1 FAIL, 1 DISCARD, 0 timed out\n"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("error: 2 of 3 calls failed\n  caused by: the first, on line 2"),
        "{}",
        out.stderr
    );
    let summary: Value =
        serde_json::from_str(&std::fs::read_to_string(home.path().join("s.json")).unwrap())
            .unwrap();
    assert_eq!(summary["waited"]["fail"], 1);
    assert_eq!(summary["waited"]["success"], 1);
    assert_eq!(server.polls_of("a"), 3);
    assert_eq!(server.polls_of("b"), 2);
    assert_eq!(server.polls_of("c"), 1);
}

#[test]
fn a_batch_without_json_prints_the_ids_then_a_status_line_per_call() {
    let server = mixed();
    let mut cmd = wait_cmd(&server);
    let home = cmd.home();
    let file = batch_of_three(&home);
    let out = cmd.args(["--batch", &file, "--progress", "none"]).run();
    out.code(1);
    out.stdout("a\nb\nc\n");
    let status_lines: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| l.starts_with("line "))
        .collect();
    assert_eq!(
        status_lines,
        [
            "line 1: SUCCESS · request a · took 12 s",
            "line 2: FAIL · request b · took 12 s · error code 17 · boom: the function raised",
            "line 3: DISCARD · request c · took 12 s",
        ],
        "{}",
        out.stderr
    );
}

#[test]
fn a_batch_with_a_call_still_running_at_the_deadline_exits_7() {
    let server = records_server(vec![
        ("a", vec![finished("a", "SUCCESS")]),
        ("b", vec![record("b", "RUNNING")]),
    ]);
    let mut cmd = wait_cmd(&server);
    let home = cmd.home();
    let path = home.path().join("two.ndjson");
    std::fs::write(&path, "{\"id\":\"a\"}\n{\"id\":\"b\"}\n").unwrap();
    let out = cmd
        .args([
            "--batch",
            &path.display().to_string(),
            "-o",
            "json",
            "--wait-timeout",
            "200ms",
        ])
        .run();
    out.code(7);
    let lines: Vec<Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["status"], "SUCCESS");
    assert_eq!(lines[1]["line"], 2);
    assert_eq!(lines[1]["error"]["exit_code"], 7);
    assert_eq!(lines[1]["error"]["request_id"], "b");
    out.stderr_contains("1 timed out");
    out.stderr_contains("1 of 2 calls had not finished");
}

#[test]
fn status_shows_the_record_whatever_its_status() {
    let server = records_server(vec![("r", vec![record("r", "RUNNING")])]);
    let mut cmd = status_cmd(&server, "r");
    let now = SystemTime::now();
    let out = cmd.run();
    out.code(0);
    out.stdout("status         RUNNING\nrequest id     r\nerror code     0\nstarted        2019-10-25T15:37:27Z\nended          -\n");
    let polls = server.polls();
    assert_eq!(polls.len(), 1);
    // 72 hours back by default.
    assert!(near(
        begin_time(&polls[0]),
        now - Duration::from_secs(72 * 3600)
    ));

    let mut cmd = status_cmd(&server, "r");
    let out = cmd.args(["-o", "json", "--since", "1h"]).run();
    out.code(0);
    assert_eq!(
        serde_json::from_str::<Value>(&out.stdout).unwrap(),
        record("r", "RUNNING")
    );
    assert!(near(
        begin_time(&server.polls()[1]),
        now - Duration::from_secs(3600)
    ));
}

#[test]
fn status_of_a_failed_call_exits_0_without_wait() {
    let server = records_server(vec![("f", vec![failed("f")])]);
    let mut cmd = status_cmd(&server, "f");
    let out = cmd.run();
    out.code(0);
    out.stdout_contains("status         FAIL\n");
    assert!(
        out.stdout
            .contains("error message  boom: the function raised\n")
    );
    assert!(
        out.stdout
            .contains("ended          2019-10-25T15:37:39Z (12 s)\n")
    );
}

#[test]
fn status_of_an_unknown_call_exits_4() {
    let server = records_server(vec![]);
    let mut cmd = status_cmd(&server, "nope");
    let out = cmd.run();
    out.code(4);
    out.stdout("");
    out.stderr_contains("error: no record of request nope");
    out.stderr_contains("limited time window");
}

#[test]
fn status_wait_waits_and_exits_as_the_call_did() {
    let server = records_server(vec![
        (
            "w",
            vec![
                Value::Null,
                record("w", "RUNNING"),
                finished("w", "SUCCESS"),
            ],
        ),
        ("x", vec![record("x", "WAIT"), failed("x")]),
    ]);
    let mut cmd = status_cmd(&server, "w");
    let out = cmd.arg("--wait").run();
    out.code(0);
    out.stdout_starts_with("status         SUCCESS\n");
    assert_eq!(server.polls_of("w"), 3);

    let mut cmd = status_cmd(&server, "x");
    let out = cmd.args(["--wait", "-o", "json"]).run();
    out.code(1);
    assert_eq!(
        serde_json::from_str::<Value>(&out.stdout).unwrap(),
        failed("x")
    );
    out.stderr_contains("(error code 17)");

    let mut cmd = status_cmd(&server, "w");
    let out = cmd.args(["--wait-timeout", "1s"]).run();
    out.code(2);
}

// Unix only: runs fgs under `script(1)` for a pseudo-terminal; Windows has no `script`.
#[cfg(unix)]
#[test]
fn progress_shows_on_a_terminal() {
    let id = "p";
    let mut script = vec![record(id, "RUNNING"); 4];
    script.push(finished(id, "SUCCESS"));
    let server = records_server(vec![(id, script)]);
    let url = server.url.clone();
    // 100 ms, then 200, 400 and 800: long enough for the spinner to be drawn.
    let shown = stderr_on_a_terminal_with(&[("FGS_POLL_INTERVAL_MS", "100")], |_| {
        [
            "invoke",
            URN,
            "--token",
            TOKEN,
            "--endpoint",
            &url,
            "--async",
            "--wait",
            "-d",
            r#"{"id":"p"}"#,
        ]
        .map(String::from)
        .to_vec()
    });
    assert_eq!(shown.code, Some(0), "{}", shown.terminal);
    assert_eq!(shown.stdout, "p\n");
    assert!(
        shown.terminal.contains("request p · RUNNING"),
        "{:?}",
        shown.terminal
    );
    // The final status line, coloured on the terminal.
    assert!(
        shown
            .terminal
            .contains("SUCCESS\u{1b}[0m · request p · took 12 s\r\n"),
        "{:?}",
        shown.terminal
    );
}

// Unix only: Ctrl-C is sent with `kill -INT`, which Windows lacks.
#[cfg(unix)]
#[test]
fn ctrl_c_while_waiting_exits_130_and_names_the_request() {
    let server = records_server(vec![("i", vec![record("i", "RUNNING")])]);
    let (mut cmd, _home) = fgs_process();
    cmd.env("FGS_POLL_INTERVAL_MS", "20").args([
        "invoke",
        URN,
        "--token",
        TOKEN,
        "--endpoint",
        &server.url,
        "--async",
        "--wait",
        "-d",
        r#"{"id":"i"}"#,
    ]);
    let out = interrupt_while_waiting(&mut cmd, &server, "i");
    out.code(130);
    out.stdout("i\n");
    out.stderr_contains("request id: i");
    out.stderr_contains(format!("fgs status {URN} i"));
}

// Unix only: Ctrl-C is sent with `kill -INT`, which Windows lacks.
#[cfg(unix)]
#[test]
fn ctrl_c_while_a_batch_waits_writes_every_line_and_exits_130() {
    let server = records_server(vec![
        ("a", vec![finished("a", "SUCCESS")]),
        ("b", vec![record("b", "RUNNING")]),
    ]);
    let (mut cmd, home) = fgs_process();
    let path = home.path().join("two.ndjson");
    std::fs::write(&path, "{\"id\":\"a\"}\n{\"id\":\"b\"}\n").unwrap();
    cmd.env("FGS_POLL_INTERVAL_MS", "20")
        .args(["invoke", URN, "--token", TOKEN, "--endpoint", &server.url])
        .args(["--async", "--wait", "-o", "json", "--batch"])
        .arg(&path);
    let out = interrupt_while_waiting(&mut cmd, &server, "b");
    out.code(130);
    let lines: Vec<Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // The finished call's record; the one still running keeps its accepted document.
    assert_eq!(lines[0]["status"], "SUCCESS");
    assert_eq!(lines[1]["line"], 2);
    assert_eq!(lines[1]["request_id"], "b");
    assert_eq!(lines[1]["http_status"], 202);
    out.stderr_contains("1 still running (interrupted)");
    out.stderr_contains("fgs status");
}

/// Run `cmd`, send it SIGINT once it has polled `id` twice, and return what it did.
// Unix only: Ctrl-C is sent with `kill -INT`, which Windows lacks.
#[cfg(unix)]
fn interrupt_while_waiting(cmd: &mut std::process::Command, server: &Records, id: &str) -> Run {
    let child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawning fgs");
    let started = std::time::Instant::now();
    while server.polls_of(id) < 2 {
        assert!(started.elapsed() < Duration::from_secs(10), "no polls");
        std::thread::sleep(Duration::from_millis(10));
    }
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("running kill");
    assert!(status.success());
    Run::from(child.wait_with_output().expect("waiting for fgs"))
}

/// `-o json` of a call that failed: the final record alone on stdout, exit 1, and the
/// error code and message on stderr.
#[test]
fn json_of_a_failed_call_is_its_record_and_exit_1() {
    let server = records_server(vec![("f", vec![record("f", "RUNNING"), failed("f")])]);
    let mut cmd = wait_cmd(&server);
    let out = cmd.args(["-d", r#"{"id":"f"}"#, "-o", "json"]).run();
    out.code(1);
    let document: Value = serde_json::from_str(&out.stdout).expect("one JSON document");
    assert_eq!(document, failed("f"));
    out.stderr_contains("(error code 17)");
}

/// `--repeat N --async --wait` waits for each of the N calls and counts them.
#[test]
fn repeat_waits_for_every_call() {
    let server = records_server(vec![(
        "r",
        vec![record("r", "WAIT"), finished("r", "SUCCESS")],
    )]);
    let mut cmd = wait_cmd(&server);
    let out = cmd.args(["-d", r#"{"id":"r"}"#, "--repeat", "2"]).run();
    out.code(0);
    assert!(
        out.stderr
            .contains("waited for 2 calls: 2 SUCCESS, 0 FAIL, 0 DISCARD, 0 timed out\n"),
        "{}",
        out.stderr
    );
    assert!(server.polls_of("r") >= 2, "each call is polled");
}
