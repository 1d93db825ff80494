//! `fgs logs`: the LTS binding, the query's window and keywords, paging, `--follow`, `-o json`,
//! control characters, LTS logs off, the `lts_endpoint` setting, and no secret in any output.
//!
//! One loopback stand-in plays FunctionGraph (the configuration, `lts-log-detail`) and LTS
//! (`ListLogs`), answering from lines a test may add to while fgs runs.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::auth::{AK, SK};
use crate::common::*;

const GROUP: &str = "g-0123";
const STREAM: &str = "s-4567";

/// What the stand-in answers with.
struct Stand {
    /// The lines LTS holds: (line_num, content).
    lines: Mutex<Vec<(u128, String)>>,
    /// `lts-log-detail` answers with a group and stream.
    bound: bool,
    /// `search_type` as §11.3's examples read: `forwards` gives the lines before the
    /// cursor, `backwards` those after it.
    inverted: bool,
}

/// Line numbers as LTS writes them: 19 digits.
fn line_num(i: usize) -> u128 {
    1_700_000_000_000_000_000 + i as u128
}

fn stand_in(lines: &[&str], bound: bool) -> (String, Log, Arc<Stand>) {
    stand_in_with(lines, bound, false)
}

fn stand_in_with(lines: &[&str], bound: bool, inverted: bool) -> (String, Log, Arc<Stand>) {
    let stand = Arc::new(Stand {
        lines: Mutex::new(
            lines
                .iter()
                .enumerate()
                .map(|(i, l)| (line_num(i), (*l).to_string()))
                .collect(),
        ),
        bound,
        inverted,
    });
    let listener = TcpListener::bind("127.0.0.1:0").expect("binding a port");
    let address = listener.local_addr().expect("an address");
    let log: Log = Arc::new(Mutex::new(Vec::new()));
    let (seen, state) = (Arc::clone(&log), Arc::clone(&stand));
    std::thread::spawn(move || {
        for (connection, stream) in listener.incoming().enumerate() {
            let Ok(stream) = stream else { return };
            let (seen, state) = (Arc::clone(&seen), Arc::clone(&state));
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream);
                while let Some(request) = read_request(&mut reader, connection) {
                    let answer = answer(&state, &request);
                    seen.lock().unwrap().push(request);
                    let stream = reader.get_mut();
                    if stream.write_all(answer.as_bytes()).is_err() {
                        return;
                    }
                }
            });
        }
    });
    (format!("http://{address}"), log, stand)
}

fn json_answer(status: &str, body: &Value) -> String {
    http_response(
        status,
        &[("Content-Type", "application/json")],
        &body.to_string(),
    )
}

fn answer(stand: &Stand, request: &Received) -> String {
    let path = request.path.split('?').next().unwrap_or("");
    if request.method == "GET" && path.ends_with("/config") {
        return json_answer(
            "200 OK",
            &json!({"func_name": "hello", "func_urn": format!("urn:fss:{REGION}:{PROJECT}:function:default:hello:latest"), "runtime": "Python3.9"}),
        );
    }
    if request.method == "GET" && path.ends_with("/lts-log-detail") {
        if !stand.bound {
            return json_answer(
                "404 Not Found",
                &json!({"error_code": "FSS.0404", "error_msg": "selectOneLog, group or stream not found"}),
            );
        }
        return json_answer(
            "200 OK",
            &json!({"group_id": GROUP, "stream_id": STREAM, "group_name": "functiongraph.log.group", "stream_name": "hello"}),
        );
    }
    let query = format!("/v2/{PROJECT}/groups/{GROUP}/streams/{STREAM}/content/query");
    if request.method == "POST" && path == query {
        let body: Value = serde_json::from_slice(&request.body).expect("a JSON body");
        let limit = usize::try_from(body["limit"].as_u64().unwrap_or(50)).unwrap();
        let after: u128 = body["line_num"]
            .as_str()
            .map_or(0, |n| n.parse().expect("a line number"));
        let keywords = body["keywords"].as_str().unwrap_or("");
        let before = stand.inverted && body["search_type"] == "forwards";
        let lines = stand.lines.lock().unwrap();
        let logs: Vec<Value> = lines
            .iter()
            .filter(|(n, _)| if before { *n < after } else { *n > after })
            .filter(|(_, content)| content.contains(keywords))
            .take(limit)
            .map(|(n, content)| {
                json!({"content": content, "line_num": n.to_string(), "labels": {"hostName": "h"}})
            })
            .collect();
        return json_answer(
            "200 OK",
            &json!({"count": logs.len(), "logs": logs, "isQueryComplete": true}),
        );
    }
    json_answer(
        "404 Not Found",
        &json!({"error_code": "FSS.0404", "error_msg": "no such API"}),
    )
}

/// `logs hello` with a token, the stand-in as both endpoints.
fn logs_args(server: &str) -> Vec<String> {
    [
        "logs",
        "hello",
        "--token",
        TOKEN,
        "--endpoint",
        server,
        "--lts-endpoint",
        server,
        "--region",
        REGION,
        "--project-id",
        PROJECT,
    ]
    .map(String::from)
    .to_vec()
}

fn queries(log: &Log) -> Vec<Value> {
    log.lock()
        .unwrap()
        .iter()
        .filter(|r| r.method == "POST")
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect()
}

#[test]
fn logs_prints_the_window_from_the_functions_group_and_stream() {
    let (server, log, _) = stand_in(
        &[
            "2024-05-01T10:00:00Z Start invoke request 'r-1', version: latest",
            "hello from the function",
        ],
        true,
    );
    let r = Fgs::new()
        .args(logs_args(&server))
        .args([
            "--since",
            "2024-05-01T10:00:00Z",
            "--until",
            "2024-05-01 11:00:00",
        ])
        .run();
    r.code(0);
    r.stdout("2024-05-01T10:00:00Z Start invoke request 'r-1', version: latest\nhello from the function\n");
    r.stderr("");
    let sent = queries(&log);
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0]["start_time"], "1714557600000");
    assert_eq!(sent[0]["end_time"], "1714561200000");
    assert_eq!(sent[0]["highlight"], false);
    assert!(sent[0].get("keywords").is_none());
    let requests = log.lock().unwrap();
    let query = requests.iter().find(|r| r.method == "POST").unwrap();
    assert_eq!(query.header("x-auth-token"), Some(TOKEN));
}

#[test]
fn logs_follows_every_page_without_repeating_a_line() {
    let many: Vec<String> = (0..503).map(|i| format!("line {i}")).collect();
    let refs: Vec<&str> = many.iter().map(String::as_str).collect();
    let (server, log, _) = stand_in(&refs, true);
    let r = Fgs::new().args(logs_args(&server)).run();
    r.code(0);
    let wanted: String = many.iter().flat_map(|l| [l.as_str(), "\n"]).collect();
    r.stdout(wanted);
    let sent = queries(&log);
    assert_eq!(sent.len(), 2, "a full page, then the rest");
    assert!(sent[0].get("line_num").is_none());
    assert_eq!(sent[1]["line_num"], line_num(499).to_string());
    assert_eq!(sent[1]["search_type"], "forwards");
    assert_eq!(sent[1]["is_desc"], false);
}

#[test]
fn paging_turns_around_when_forwards_gives_nothing_new() {
    let many: Vec<String> = (0..1003).map(|i| format!("line {i}")).collect();
    let refs: Vec<&str> = many.iter().map(String::as_str).collect();
    let (server, log, _) = stand_in_with(&refs, true, true);
    let r = Fgs::new().args(logs_args(&server)).run();
    r.code(0);
    let wanted: String = many.iter().flat_map(|l| [l.as_str(), "\n"]).collect();
    r.stdout(wanted);
    let kinds: Vec<Value> = queries(&log)
        .iter()
        .map(|q| q["search_type"].clone())
        .collect();
    // The first page; forwards gives old lines, so backwards from then on.
    assert_eq!(
        kinds,
        [
            Value::Null,
            "forwards".into(),
            "backwards".into(),
            "backwards".into()
        ]
    );
}

#[test]
fn limit_and_request_id_narrow_the_query() {
    let (server, log, _) = stand_in(&["a r-1", "b r-2", "c r-1", "d r-1", "e r-1"], true);
    let r = Fgs::new()
        .args(logs_args(&server))
        .args(["--request-id", "r-1", "--limit", "2"])
        .run();
    r.code(0);
    r.stdout("a r-1\nc r-1\n");
    let sent = queries(&log);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0]["keywords"], "r-1");
    assert_eq!(sent[0]["limit"], 2);
}

#[test]
fn json_is_one_document_a_line_with_control_characters_kept_exact_in_a_pipe() {
    let (server, _, _) = stand_in(&["red \u{1b}[31malert\u{1b}[0m\rover", "plain"], true);
    let r = Fgs::new()
        .args(logs_args(&server))
        .args(["-o", "json"])
        .run();
    r.code(0);
    let documents: Vec<Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON document a line"))
        .collect();
    assert_eq!(documents.len(), 2);
    assert_eq!(
        documents[0]["content"],
        "red \u{1b}[31malert\u{1b}[0m\rover"
    );
    assert_eq!(documents[0]["line_num"], line_num(0).to_string());
    assert_eq!(documents[1]["content"], "plain");
    assert!(!r.stdout.contains('\u{1b}'), "JSON escapes them");
    // A pipe gets the exact bytes, as the invocation log does.
    let raw = Fgs::new().args(logs_args(&server)).run();
    raw.stdout("red \u{1b}[31malert\u{1b}[0m\rover\nplain\n");
}

// Unix only: runs fgs under `script(1)` for a pseudo-terminal; Windows has no `script`.
#[cfg(unix)]
#[test]
fn on_a_terminal_control_characters_are_escaped() {
    let (server, _, _) = stand_in(&["red \u{1b}[31malert\u{1b}[0m\u{7}", "next"], true);
    let shown = stdout_on_a_terminal(&logs_args(&server), &[]);
    assert_eq!(shown.code, Some(0), "{}", shown.terminal);
    assert!(
        shown.terminal.contains("red \\x1b[31malert\\x1b[0m\\u{7}"),
        "{:?}",
        shown.terminal
    );
    assert!(!shown.terminal.contains('\u{1b}'), "{:?}", shown.terminal);
}

#[test]
fn a_function_without_lts_logs_exits_4_and_names_the_switch() {
    let (server, log, _) = stand_in(&["never read"], false);
    let r = Fgs::new().args(logs_args(&server)).run();
    r.code(4);
    r.stdout("");
    r.stderr_contains("error: hello sends no log to LTS");
    r.stderr_contains("enable-lts-logs");
    r.stderr_contains("fgs never switches it on");
    assert!(queries(&log).is_empty(), "LTS is not asked");
    // Nothing was switched on either: only reads were sent.
    assert!(log.lock().unwrap().iter().all(|r| r.method != "PUT"));
}

#[test]
fn follow_prints_new_lines_as_they_arrive_and_none_twice() {
    let (server, log, stand) = stand_in(&["first", "second"], true);
    let (mut cmd, _home) = fgs_process();
    let mut child = Stopped(
        cmd.args(logs_args(&server))
            .args(["--follow", "--interval", "0.2s"])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawning fgs logs --follow"),
    );
    let (lines_tx, lines_rx) = std::sync::mpsc::channel();
    let stdout = child.0.stdout.take().expect("stdout");
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { return };
            if lines_tx.send(line).is_err() {
                return;
            }
        }
    });
    let next = |what: &str| {
        lines_rx
            .recv_timeout(Duration::from_secs(20))
            .unwrap_or_else(|_| panic!("no line while waiting for {what}"))
    };
    assert_eq!(next("first"), "first");
    assert_eq!(next("second"), "second");
    // Let a few polls go by with nothing new, then add a line.
    let polls = || queries(&log).len();
    let start = Instant::now();
    while polls() < 3 {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "fgs stopped polling"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    stand
        .lines
        .lock()
        .unwrap()
        .push((line_num(2), "third, later".into()));
    assert_eq!(next("third"), "third, later");
    // More polls, and nothing printed twice.
    let seen = polls();
    while polls() < seen + 3 {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "fgs stopped polling"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // Ctrl-C ends the follow with 0 (on Unix; Windows has no signal to send another
    // process, so there it is stopped); then every line still in the pipe is read to its
    // end, so a repeat printed by the last poll is seen too.
    #[cfg(unix)]
    {
        let status = std::process::Command::new("kill")
            .args(["-s", "INT", &child.0.id().to_string()])
            .status()
            .expect("running kill");
        assert!(status.success());
        let deadline = Instant::now() + Duration::from_secs(10);
        let code = loop {
            if let Some(status) = child.0.try_wait().expect("waiting for fgs") {
                break status.code();
            }
            assert!(
                Instant::now() < deadline,
                "fgs logs --follow did not stop on Ctrl-C"
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        assert_eq!(code, Some(0), "Ctrl-C ends a follow with 0");
    }
    drop(child);
    let rest: Vec<String> = lines_rx.iter().collect();
    assert!(rest.is_empty(), "lines repeated: {rest:?}");
}

#[test]
fn the_lts_endpoint_comes_from_the_environment_or_the_config_file() {
    let (server, log, _) = stand_in(&["via env"], true);
    let base = [
        "logs",
        "hello",
        "--token",
        TOKEN,
        "--endpoint",
        &server,
        "--region",
        REGION,
        "--project-id",
        PROJECT,
    ];
    Fgs::new()
        .args(base)
        .env("FGS_LTS_ENDPOINT", &server)
        .run()
        .code(0)
        .stdout("via env\n");
    let home = tempfile::tempdir().unwrap();
    write_config(&home, &format!("lts_endpoint = \"{server}\"\n"));
    Fgs::new()
        .config_of(home.path())
        .args(base)
        .run()
        .code(0)
        .stdout("via env\n");
    assert_eq!(queries(&log).len(), 2);
    // Without it, the region's own LTS endpoint; credentials never go there over plain http.
    let r = Fgs::new()
        .args(base)
        .args(["--lts-endpoint", "http://lts.example.com"])
        .run();
    r.code(2);
    r.stderr_contains("refusing to send credentials over plain http to lts.example.com");
}

#[test]
fn no_secret_shows_in_any_output() {
    let (server, log, _) = stand_in(&["signed"], true);
    let mut args = logs_args(&server);
    // Sign with the key pair instead of the token.
    let at = args.iter().position(|a| a == "--token").unwrap();
    args.drain(at..at + 2);
    let signed = |verbose: bool| {
        let mut fgs = Fgs::new();
        fgs.args(&args)
            .env("HUAWEICLOUD_SDK_AK", AK)
            .env("HUAWEICLOUD_SDK_SK", SK);
        if verbose {
            fgs.arg("-v");
        }
        fgs.run()
    };
    let quiet = signed(false);
    quiet.code(0);
    quiet.stdout("signed\n");
    // -v shows the requests, never a key (the access key's last four characters only), the
    // secret key or the signature.
    let verbose = signed(true);
    verbose.code(0);
    verbose.stderr_contains("content/query");
    verbose.stderr_contains("Signature=***");
    let token = Fgs::new().args(logs_args(&server)).arg("-v").run();
    token.code(0);
    assert_no_sentinel(&[("logs".into(), quiet)], &[AK, SK]);
    assert_no_sentinel(
        &[
            ("logs -v".into(), verbose),
            ("logs -v --token".into(), token),
        ],
        &[AK, SK, TOKEN],
    );
    let requests = log.lock().unwrap();
    let query = requests.iter().find(|r| r.method == "POST").unwrap();
    assert!(
        query
            .header("authorization")
            .is_some_and(|a| a.starts_with("SDK-HMAC-SHA256")),
        "{query:?}"
    );
}

/// `--since 10m` (and the default, the same) is the ten minutes up to now; `--until 2m`
/// ends two minutes ago.
#[test]
fn a_span_counts_back_from_now() {
    let (server, log, _) = stand_in(&["a line"], true);
    let now = || {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis()
    };
    let ms = |v: &Value| v.as_str().unwrap().parse::<u128>().unwrap();
    for (extra, back_from, back_to) in [
        (&["--since", "10m"][..], 600_000, 0),
        (&[][..], 600_000, 0),
        (&["--since", "1h", "--until", "2m"][..], 3_600_000, 120_000),
    ] {
        log.lock().unwrap().clear();
        let before = now();
        let r = Fgs::new().args(logs_args(&server)).args(extra).run();
        let after = now();
        r.code(0);
        let sent = queries(&log);
        let (start, end) = (ms(&sent[0]["start_time"]), ms(&sent[0]["end_time"]));
        assert!(
            (before - back_from..=after - back_from).contains(&start),
            "{extra:?}: start {start}, now {before}..{after}"
        );
        assert!(
            (before - back_to..=after - back_to).contains(&end),
            "{extra:?}: end {end}, now {before}..{after}"
        );
    }
}
