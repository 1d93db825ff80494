//! What real functions (samples no one here wrote) tripped over, locally and in `fgs serve`:
//! the `RUNTIME_*` names a user may set, the interpreter-version warning, HTTP functions
//! (async calls, port 8000 shared by several, one that never listens), the whole local log,
//! and the smaller points.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;

use crate::common::*;
use crate::local::function_dir;
use crate::serve::Served;

/// What these tests add to serve.rs's running `fgs serve`.
impl Served {
    /// `fgs invoke NAME --endpoint ... --token local` against this server.
    fn invoke(&self, name: &str, extra: &[&str]) -> Run {
        Fgs::new()
            .args(["invoke", &served_urn(name), "--endpoint", &self.endpoint()])
            .args(["--token", "local"])
            .args(extra)
            .run()
    }

    /// A raw HTTP/1.1 exchange: (status, lower-case headers, body).
    fn http(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Answer {
        let mut stream = TcpStream::connect(self.addr).expect("connecting");
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: {}\r\n",
            self.addr,
            body.len()
        );
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(body.as_bytes()).unwrap();
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).unwrap();
        let text = String::from_utf8_lossy(&answer).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").expect("a full head");
        let mut lines = head.lines();
        let status = lines
            .next()
            .unwrap()
            .split(' ')
            .nth(1)
            .unwrap()
            .parse()
            .unwrap();
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        Answer {
            status,
            headers,
            body: body.to_string(),
        }
    }
}

struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

fn served_urn(name: &str) -> String {
    format!("urn:fss:cn-north-4:{PROJECT}:function:default:{name}:latest")
}

fn sync_path(name: &str) -> String {
    format!(
        "/v2/{PROJECT}/fgs/functions/{}/invocations",
        served_urn(name)
    )
}

#[cfg_attr(not(unix), allow(dead_code))] // its users are Unix-only tests
fn async_path(name: &str) -> String {
    format!(
        "/v2/{PROJECT}/fgs/functions/{}/invocations-async",
        served_urn(name)
    )
}

/// One local call with `-o json`: what fgs printed, and the document.
fn local_json(cmd: &mut Fgs, dir: &Path, extra: &[&str]) -> (Run, Value) {
    let out = cmd
        .args(["invoke", "--local"])
        .arg(dir)
        .args(["-o", "json"])
        .args(extra)
        .run();
    let doc = serde_json::from_str(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not one JSON document ({e}): {}\n{}",
            out.stdout, out.stderr
        )
    });
    (out, doc)
}

/// A Python function that returns the named environment variables.
const ECHO_ENV: &str = "import os\n\ndef handler(event, context):\n    return {k: os.environ.get(k) for k in event['names']}\n";

#[test]
fn runtime_names_the_service_does_not_preset_are_the_users() {
    if no_python_here() {
        return;
    }
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let dir = function_dir(
        &home,
        "timer",
        &[
            ("index.py", ECHO_ENV),
            (
                "function.toml",
                "[environment]\nRUNTIME_LOG_LEVEL = \"DEBUG\"\n",
            ),
        ],
    );
    let (out, doc) = local_json(
        &mut cmd,
        &dir,
        &[
            "--env",
            "RUNTIME_ALIAS=blue",
            "-d",
            r#"{"names":["RUNTIME_LOG_LEVEL","RUNTIME_ALIAS","RUNTIME_MEMORY"]}"#,
        ],
    );
    out.code(0);
    assert_eq!(
        doc["result"],
        serde_json::json!({"RUNTIME_LOG_LEVEL": "DEBUG", "RUNTIME_ALIAS": "blue", "RUNTIME_MEMORY": "128"})
    );
    // A preset name stays the service's.
    Fgs::new()
        .args(["invoke", "--local"])
        .arg(&dir)
        .args(["--env", "RUNTIME_MEMORY=1"])
        .run()
        .code(2)
        .stderr_contains("RUNTIME_MEMORY is reserved");
    // And serve starts with it.
    let served = Served::start(&[&dir], &[]);
    served
        .invoke("timer", &["-d", r#"{"names":["RUNTIME_LOG_LEVEL"]}"#])
        .code(0)
        .stdout_contains("DEBUG");
}

/// `major.minor` of the `node` on PATH, as its runtime would name it (`20.20`).
fn node_release() -> (u32, u32) {
    let out = std::process::Command::new("node")
        .arg("--version")
        .output()
        .expect("node runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let mut parts = text.trim().trim_start_matches('v').split('.');
    let major = parts.next().unwrap().parse().unwrap();
    let minor = parts.next().unwrap().parse().unwrap();
    (major, minor)
}

const NODE_OK: &str = "exports.handler = async (event, context) => 'ok';\n";

#[test]
fn the_interpreter_warning_is_for_another_release_only_and_said_once() {
    let (major, minor) = node_release();
    let mut cmd = Fgs::new();
    let home = cmd.home();
    // Another minor version of the same Node.js line: no warning.
    let same_line = function_dir(
        &home,
        "same",
        &[
            ("index.js", NODE_OK),
            (
                "function.toml",
                &format!("runtime = \"Node.js{major}.{}\"\n", minor + 3),
            ),
        ],
    );
    cmd.args(["invoke", "--local"])
        .arg(&same_line)
        .args(["--repeat", "2", "-o", "raw"])
        .run()
        .code(0)
        .stderr_lacks("warning");
    // Another major version: one warning for the run, and one for a server of two such
    // functions.
    let other_line = format!("runtime = \"Node.js{}.15\"\n", major - 2);
    let a = function_dir(
        &home,
        "a",
        &[("index.js", NODE_OK), ("function.toml", &other_line)],
    );
    let b = function_dir(
        &home,
        "b",
        &[("index.js", NODE_OK), ("function.toml", &other_line)],
    );
    let out = Fgs::new()
        .args(["invoke", "--local"])
        .arg(&a)
        .args(["--repeat", "3", "-o", "raw"])
        .run();
    out.code(0);
    assert_eq!(
        out.stderr.matches("warning: runtime Node.js").count(),
        1,
        "{}",
        out.stderr
    );
    let served = Served::start(&[&a, &b], &[]);
    served.invoke("a", &[]).code(0);
    served.invoke("b", &[]).code(0);
    let said = served.stderr();
    assert_eq!(
        said.matches("warning: runtime Node.js").count(),
        1,
        "{said}"
    );
}

/// An HTTP function written by the test: `bootstrap` runs a Python server on port 8000
/// that answers every request with `text`.
#[cfg_attr(not(unix), allow(dead_code))] // its users are Unix-only tests
fn http_function(home: &Path, name: &str, text: &str) -> PathBuf {
    let server = format!(
        "import http.server\n\nclass H(http.server.BaseHTTPRequestHandler):\n    def do_GET(self):\n        body = b'{text}'\n        self.send_response(200)\n        self.send_header('Content-Length', str(len(body)))\n        self.end_headers()\n        self.wfile.write(body)\n    do_POST = do_GET\n    def log_message(self, *args):\n        pass\n\nhttp.server.HTTPServer.allow_reuse_address = True\nhttp.server.HTTPServer(('127.0.0.1', 8000), H).serve_forever()\n"
    );
    let dir = home.join(name);
    write_file(&dir.join("server.py"), &server);
    write_file(
        &dir.join("bootstrap"),
        "exec python3 -u $RUNTIME_CODE_ROOT/server.py\n",
    );
    write_file(
        &dir.join("function.toml"),
        &format!("name = \"{name}\"\nruntime = \"http\"\ntimeout = 10\n"),
    );
    dir
}

/// The body an HTTP function's wrapped answer carries, decoded.
#[cfg_attr(not(unix), allow(dead_code))] // its users are Unix-only tests
fn http_body(result: &str) -> String {
    use base64::Engine as _;
    let doc: Value = serde_json::from_str(result).unwrap_or_else(|e| panic!("{e}: {result}"));
    let body = doc["body"].as_str().unwrap_or_default();
    String::from_utf8_lossy(
        &base64::engine::general_purpose::STANDARD
            .decode(body)
            .unwrap_or_default(),
    )
    .into_owned()
}

// Unix only: a Custom or HTTP `bootstrap` runs through bash, which Windows (Wine here) lacks.
#[cfg(unix)]
#[test]
fn an_async_call_to_an_http_function_is_refused_as_the_service_refuses_it() {
    let _port = port_8000();
    let home = tempfile::tempdir().unwrap();
    let dir = http_function(home.path(), "web", "hi");
    Fgs::new()
        .args(["invoke", "--local"])
        .arg(&dir)
        .arg("--async")
        .run()
        .code(4)
        .stderr_contains("FSS.0400")
        .stderr_contains("HTTP functions cannot be invoked asynchronously");
    let served = Served::start(&[&dir], &[]);
    let answer = served.http("POST", &async_path("web"), &[], "{}");
    assert_eq!(answer.status, 400, "{}", answer.body);
    let doc: Value = serde_json::from_str(&answer.body).unwrap();
    assert_eq!(doc["error_code"], "FSS.0400");
    served.invoke("web", &["--async"]).code(4);
    // A synchronous call still works.
    let out = served.invoke("web", &["-o", "raw"]);
    out.code(0);
    assert_eq!(http_body(&out.stdout), "hi");
}

// Unix only: a Custom or HTTP `bootstrap` runs through bash, which Windows (Wine here) lacks.
#[cfg(unix)]
#[test]
fn two_http_functions_in_one_server_take_turns_on_port_8000() {
    let _port = port_8000();
    let home = tempfile::tempdir().unwrap();
    let one = http_function(home.path(), "one", "from one");
    let two = http_function(home.path(), "two", "from two");
    let served = Served::start(&[&one, &two], &[]);
    let said = served.stderr();
    assert_eq!(said.matches("listen on port 8000").count(), 1, "{said}");
    assert!(said.contains("one, two"), "{said}");
    for name in ["one", "two", "one", "two"] {
        let out = served.invoke(name, &["-o", "raw"]);
        out.code(0);
        assert_eq!(http_body(&out.stdout), format!("from {name}"));
    }
    drop(served);
    // More than one instance of an HTTP function cannot be: it says why.
    Fgs::new()
        .arg("serve")
        .arg(&one)
        .args(["--listen", "127.0.0.1:0", "--instances", "2"])
        .run()
        .code(2)
        .stderr_contains("--instances 2: one is an HTTP function")
        .stderr_contains("port 8000");
}

// Unix only: a Custom or HTTP `bootstrap` runs through bash, which Windows (Wine here) lacks.
#[cfg(unix)]
#[test]
fn an_http_function_that_never_listens_or_crashes_is_a_function_failure() {
    let _port = port_8000();
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let silent = function_dir(
        &home,
        "silent",
        &[
            ("bootstrap", "echo starting up\nexec sleep 60\n"),
            ("function.toml", "runtime = \"http\"\ntimeout = 3\n"),
        ],
    );
    let started = std::time::Instant::now();
    let (out, doc) = local_json(&mut cmd, &silent, &[]);
    out.code(1);
    assert!(started.elapsed() < Duration::from_secs(15));
    assert_eq!(doc["error_code"], "4011", "{doc}");
    let log = doc["log"].as_str().unwrap();
    assert!(log.contains("starting up"), "{log}");
    assert!(log.contains("within 3s"), "{log}");
    let crashing = function_dir(
        &home,
        "crashing",
        &[
            ("bootstrap", "echo about to crash\nexit 3\n"),
            ("function.toml", "runtime = \"http\"\n"),
        ],
    );
    let (out, doc) = local_json(&mut Fgs::new(), &crashing, &[]);
    out.code(1);
    assert_eq!(doc["error_code"], "4204", "{doc}");
    assert!(
        doc["log"].as_str().unwrap().contains("about to crash"),
        "{doc}"
    );
}

#[test]
#[cfg(unix)] // a `#!/bin/sh` bootstrap with its execute bit: Windows runs bootstraps through bash
fn an_http_function_run_as_custom_is_named_for_what_it_looks_like() {
    let _port = port_8000();
    let home = tempfile::tempdir().unwrap();
    let dir = http_function(home.path(), "unzipped", "hi");
    // As unzipped with its execute bit and no function.toml: it runs as Custom.
    std::fs::remove_file(dir.join("function.toml")).unwrap();
    let bootstrap = dir.join("bootstrap");
    std::fs::write(
        &bootstrap,
        "#!/bin/sh\nexec python3 -u $RUNTIME_CODE_ROOT/server.py\n",
    )
    .unwrap();
    std::fs::set_permissions(
        &bootstrap,
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    let (out, doc) = local_json(&mut Fgs::new(), &dir, &[]);
    out.code(1);
    assert_eq!(doc["error_code"], "4010", "{doc}");
    let log = doc["log"].as_str().unwrap();
    assert!(log.contains("looks like an HTTP function"), "{log}");
    assert!(log.contains("runtime = \"http\""), "{log}");
    assert!(log.contains("`timeout` in function.toml"), "{log}");
}

#[test]
fn a_local_log_is_shown_whole_and_a_cut_tail_says_so() {
    if no_python_here() {
        return;
    }
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let dir = function_dir(
        &home,
        "chatty",
        &[(
            "index.py",
            "def handler(event, context):\n    for i in range(1000):\n        print('line', i)\n    return 'done'\n",
        )],
    );
    let (out, doc) = local_json(&mut cmd, &dir, &[]);
    out.code(0);
    let log = doc["log"].as_str().unwrap();
    assert!(
        log.lines().next().unwrap().contains("Start invoke request"),
        "{log}"
    );
    assert!(
        log.contains("line 0\n") && log.contains("line 999\n"),
        "{log}"
    );
    let out = Fgs::new().args(["invoke", "--local"]).arg(&dir).run();
    out.code(0);
    let shown = set_apart(&out.stderr);
    assert!(shown.contains("line 0\n") && shown.contains("line 999\n"));
    out.stderr_lacks("was cut");
    // Through the server, the answer carries the service's 4 KB tail: fgs says it is cut.
    let served = Served::start(&[&dir], &[]);
    let out = served.invoke("chatty", &[]);
    out.code(0)
        .stderr_contains("the start of this log was cut")
        .stderr_contains("line 999");
    out.stderr_lacks("line 0\n");
}

#[test]
fn serve_skips_a_folder_that_is_not_a_function_and_says_why() {
    if no_python_here() {
        return;
    }
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let good = function_dir(
        &home,
        "samples/good",
        &[("index.py", "def handler(e, c):\n    return 'good'\n")],
    );
    let notes = function_dir(&home, "samples/notes", &[("README.md", "# notes\n")]);
    std::fs::create_dir_all(home.path().join("samples/.git")).unwrap();
    let served = Served::start(&[&home.path().join("samples")], &["--all"]);
    let said = served.stderr();
    let skipped: Vec<&str> = said.lines().filter(|l| l.contains("skipping")).collect();
    assert_eq!(skipped.len(), 1, "{said}");
    assert!(
        skipped[0].starts_with("warning: skipping ")
            && skipped[0].contains("notes")
            && skipped[0].contains("cannot tell the runtime"),
        "{said}"
    );
    served.invoke("good", &[]).code(0).stdout_contains("good");
    drop(served);
    let served = Served::start(&[&good, &notes], &[]);
    assert!(served.stderr().contains("warning: skipping "));
    drop(served);
    // Nothing left: exit 2.
    cmd.arg("serve")
        .arg(&notes)
        .args(["--listen", "127.0.0.1:0"])
        .run()
        .code(2)
        .stderr_contains("skipping")
        .stderr_contains("nothing to serve");
}

#[test]
fn the_servers_root_lists_each_function_with_a_curl_line() {
    if no_python_here() {
        return;
    }
    let cmd = Fgs::new();
    let home = cmd.home();
    let dir = function_dir(
        &home,
        "greet",
        &[("index.py", "def handler(e, c):\n    return 'hello'\n")],
    );
    let served = Served::start(&[&dir], &[]);
    let index = served.http("GET", "/", &[], "");
    assert_eq!(index.status, 200, "{}", index.body);
    assert!(
        index
            .header("content-type")
            .unwrap()
            .starts_with("text/plain")
    );
    let urn = "urn:fss:local:local:function:default:greet:latest";
    assert!(index.body.contains(urn), "{}", index.body);
    // How to point fgs itself at the server, for the desk loop.
    assert!(
        index.body.contains(&format!(
            "export FGS_ENDPOINT=http://{} FGS_REGION=local FGS_PROJECT_ID=local FGS_TOKEN=local",
            served.addr
        )),
        "{}",
        index.body
    );
    assert!(index.body.contains("fgs pull NAME"), "{}", index.body);
    let curl = index
        .body
        .lines()
        .find(|l| l.trim_start().starts_with("curl "))
        .unwrap_or_else(|| panic!("{}", index.body));
    assert!(
        curl.contains(&format!(
            "'http://{}/v2/local/fgs/functions/{urn}/invocations'",
            served.addr
        )),
        "{curl}"
    );
    // The line works as it is (run by sh, when curl is there).
    if std::process::Command::new("curl")
        .arg("--version")
        .output()
        .is_ok()
    {
        let out = std::process::Command::new("sh")
            .args(["-c", curl.trim()])
            .output()
            .unwrap();
        let body = String::from_utf8_lossy(&out.stdout);
        assert!(body.contains("\"result\":\"hello\""), "{body}");
    }
}

#[test]
fn a_v0_request_is_answered_as_v0() {
    if no_python_here() {
        return;
    }
    let cmd = Fgs::new();
    let home = cmd.home();
    let dir = function_dir(
        &home,
        "old",
        &[("index.py", "def handler(e, c):\n    return 'plain'\n")],
    );
    let served = Served::start(&[&dir], &[]);
    let answer = served.http(
        "POST",
        &sync_path("old"),
        &[("X-Cff-Request-Version", "v0")],
        "{}",
    );
    assert_eq!(answer.status, 200);
    assert_eq!(answer.body, "plain");
    assert_eq!(answer.header("x-cff-response-version"), Some("v0"));
    let answer = served.http("POST", &sync_path("old"), &[], "{}");
    assert_eq!(answer.header("x-cff-response-version"), Some("v1"));
}

#[test]
fn a_limit_that_ends_a_call_names_its_key() {
    if no_python_here() {
        return;
    }
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let big = function_dir(
        &home,
        "big",
        &[(
            "index.py",
            "def handler(event, context):\n    block = bytearray(300 * 1024 * 1024)\n    for i in range(0, len(block), 4096): block[i] = 1\n    return len(block)\n",
        )],
    );
    let (out, doc) = local_json(&mut cmd, &big, &[]);
    out.code(1);
    assert_eq!(doc["error_code"], "4205", "{doc}");
    assert!(
        doc["log"]
            .as_str()
            .unwrap()
            .contains("`memory_size` in function.toml"),
        "{doc}"
    );
}

#[test]
fn a_local_async_call_waits_and_reports_as_async_wait_does() {
    if no_python_here() {
        return;
    }
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let failing = function_dir(
        &home,
        "failing",
        &[(
            "index.py",
            "def handler(event, context):\n    raise ValueError('bad input')\n",
        )],
    );
    let out = cmd
        .args(["invoke", "--local"])
        .arg(&failing)
        .args(["--async", "-o", "raw"])
        .run();
    out.code(1);
    let id = out.stdout.trim().to_string();
    assert_eq!(id.len(), 36, "{}", out.stdout);
    out.stderr_contains(format!("accepted · HTTP 202 · request {id}"))
        .stderr_contains(format!("FAIL · request {id}"))
        .stderr_contains("error code 4002")
        .stderr_contains("bad input");
    // -o json: the final record; --no-fail: exit 0.
    let (out, doc) = local_json(&mut Fgs::new(), &failing, &["--async"]);
    out.code(1);
    assert_eq!(doc["status"], "FAIL", "{doc}");
    assert_eq!(doc["error_code"], 4002, "{doc}");
    Fgs::new()
        .args(["invoke", "--local"])
        .arg(&failing)
        .args(["--async", "--no-fail"])
        .run()
        .code(0);
    let fine = function_dir(
        &home,
        "fine",
        &[("index.py", "def handler(event, context):\n    return 1\n")],
    );
    let out = Fgs::new()
        .args(["invoke", "--local"])
        .arg(&fine)
        .arg("--async")
        .run();
    out.code(0).stderr_contains("SUCCESS · request ");
    // --wait says why it is not needed.
    Fgs::new()
        .args(["invoke", "--local"])
        .arg(&fine)
        .args(["--async", "--wait"])
        .run()
        .code(2)
        .stderr_contains("--async already waits");
}

/// A batch of local asynchronous calls: each line runs to its end and reports its record, as
/// `--async --wait --batch` does for calls to the service, in input order.
#[test]
fn a_local_async_batch_reports_each_lines_record() {
    if no_python_here() {
        return;
    }
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let dir = function_dir(
        &home,
        "sometimes",
        &[(
            "index.py",
            "def handler(event, context):\n    if event.get('fail'):\n        raise ValueError('bad line')\n    return event['n']\n",
        )],
    );
    let input = write_file(
        &home.path().join("in.ndjson"),
        "{\"n\": 1}\n{\"fail\": true}\n{\"n\": 3}\n",
    );
    let out = cmd
        .args(["invoke", "--local"])
        .arg(&dir)
        .args(["--async", "--concurrency", "2", "--batch"])
        .arg(&input)
        .args(["-o", "json"])
        .run();
    out.code(1)
        .stderr_contains("1 of 3 calls failed")
        .stderr_contains("the first, on line 2: the asynchronous call failed")
        .stderr_contains("bad line");
    let docs: Vec<Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("one record a line"))
        .collect();
    let seen: Vec<(u64, &str)> = docs
        .iter()
        .map(|d| (d["line"].as_u64().unwrap(), d["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        seen,
        [(1, "SUCCESS"), (2, "FAIL"), (3, "SUCCESS")],
        "{}",
        out.stdout
    );
    assert_eq!(docs[1]["error_code"], 4002);
    // Without -o json: the ids on stdout, each line's status on stderr; --no-fail: exit 0.
    let out = Fgs::new()
        .args(["invoke", "--local"])
        .arg(&dir)
        .args(["--async", "--no-fail", "--batch"])
        .arg(&input)
        .run();
    out.code(0)
        .stderr_contains("line 1: SUCCESS · request ")
        .stderr_contains("line 2: FAIL · request ")
        .stderr_contains("line 3: SUCCESS · request ");
    assert_eq!(out.stdout.lines().count(), 3, "{}", out.stdout);
}

#[test]
fn a_function_folder_given_as_function_points_at_local() {
    let mut cmd = Fgs::new();
    let home = cmd.home();
    function_dir(
        &home,
        "greet",
        &[("index.py", "def handler(event, context):\n    return 1\n")],
    );
    cmd.args(["invoke", "./greet"])
        .run()
        .code(2)
        .stderr_contains("hint: ./greet is a directory")
        .stderr_contains("--local ./greet");
}

// Unix only: Ctrl-C is sent with `kill -INT`, which Windows lacks.
#[cfg(unix)]
#[test]
fn ctrl_c_during_a_local_call_says_the_function_was_stopped() {
    let (mut cmd, home) = fgs_process();
    let started = home.path().join("started");
    let dir = function_dir(
        &home,
        "slow",
        &[
            (
                "index.py",
                &format!(
                    "import time\n\ndef handler(event, context):\n    open({:?}, 'w').close()\n    time.sleep(30)\n",
                    started.display().to_string()
                ),
            ),
            ("function.toml", "timeout = 60\n"),
        ],
    );
    let child = cmd
        .args(["invoke", "--local"])
        .arg(&dir)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawning fgs");
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while !started.exists() {
        assert!(
            std::time::Instant::now() < deadline,
            "the function never started"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("running kill");
    let out = Run::from(child.wait_with_output().expect("waiting for fgs"));
    out.code(130)
        .stderr_contains("the local function was stopped")
        .stderr_lacks("may still be running");
}

// Unix only: a Custom or HTTP `bootstrap` runs through bash, which Windows (Wine here) lacks.
#[cfg(unix)]
#[test]
fn what_is_not_known_is_left_out_and_the_logger_writes_as_the_runtime_does() {
    let _port = port_8000();
    let mut cmd = Fgs::new();
    let home = cmd.home();
    // A process that exits before any sample: no "memory used: 0.000MB".
    let crashing = function_dir(
        &home,
        "crashing",
        &[
            ("bootstrap", "exit 3\n"),
            ("function.toml", "runtime = \"http\"\n"),
        ],
    );
    let (out, doc) = local_json(&mut cmd, &crashing, &[]);
    out.code(1);
    assert_eq!(doc["error_code"], "4204");
    let log = doc["log"].as_str().unwrap();
    assert!(!log.contains("memory used: 0.000MB"), "{log}");
    assert!(log.contains("billing memory: 128MB"), "{log}");
    // The runtime's logger prefixes each message once (it splits only at 90 KB): a
    // message of two lines gets the time, request id and level on its first.
    let logger = function_dir(
        &home,
        "logger",
        &[(
            "index.js",
            "exports.handler = async (event, context) => { context.getLogger().info('first\\nsecond'); return 1; };\n",
        )],
    );
    let (out, doc) = local_json(&mut Fgs::new(), &logger, &[]);
    out.code(0);
    let log = doc["log"].as_str().unwrap();
    assert!(log.contains(" INFO first\nsecond\n"), "{log}");
}

#[test]
fn node_errors_show_the_functions_frames_and_a_syntax_errors_place() {
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let throws = function_dir(
        &home,
        "throws",
        &[(
            "index.js",
            "exports.handler = async (event, context) => { throw new Error('bad'); };\n",
        )],
    );
    let (out, doc) = local_json(&mut cmd, &throws, &[]);
    out.code(1);
    let frames: Vec<&str> = doc["result"]["stackTrace"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert!(!frames.is_empty(), "{doc}");
    assert!(
        frames.iter().all(|f| f.contains("./index.js")),
        "{frames:?}"
    );
    let broken = function_dir(
        &home,
        "broken",
        &[(
            "index.js",
            "exports.handler = async (event, context) => {\n  return {a: 1,, };\n};\n",
        )],
    );
    let (out, doc) = local_json(&mut Fgs::new(), &broken, &[]);
    out.code(1);
    assert_eq!(doc["result"]["errorType"], "SyntaxError", "{doc}");
    assert_eq!(doc["result"]["stackTrace"][0], "./index.js:2", "{doc}");
}

#[test]
fn a_wrong_handler_lists_what_the_module_has_and_names_the_key() {
    if no_python_here() {
        return;
    }
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let python = function_dir(
        &home,
        "py",
        &[(
            "index.py",
            "import os\n\ndef main(event, context):\n    return 1\n\nclass Helper:\n    pass\n",
        )],
    );
    cmd.args(["invoke", "--local"])
        .arg(&python)
        .run()
        .code(2)
        .stderr_contains("has no function handler")
        .stderr_contains("its top-level callables: Helper, main\n")
        .stderr_contains("`handler` key of function.toml")
        .stderr_contains("the default");
    let node = function_dir(
        &home,
        "js",
        &[("index.js", "exports.main = async (event, context) => 1;\n")],
    );
    Fgs::new()
        .args(["invoke", "--local"])
        .arg(&node)
        .run()
        .code(2)
        .stderr_contains("its top-level functions: main\n")
        .stderr_contains("`handler` key of function.toml");
}

#[test]
fn function_toml_takes_what_the_banner_shows_and_explains_a_wrong_type() {
    if no_python_here() {
        return;
    }
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let dir = function_dir(
        &home,
        "named",
        &[
            ("index.py", "def handler(event, context):\n    return 1\n"),
            ("function.toml", "runtime = \"Python3\"\n"),
        ],
    );
    cmd.args(["invoke", "--local"]).arg(&dir).run().code(0);
    for (toml, says) in [
        (
            "timeout = \"10\"\n",
            "timeout: the timeout in seconds: a whole number from 3 to 259200, not \"10\"",
        ),
        (
            "memory_size = 1.5\n",
            "memory_size: the memory in MB: one of 128,",
        ),
        (
            "initializer_timeout = -1\n",
            "initializer_timeout: the initializer's timeout in seconds: a whole number from 1 to 300, not -1",
        ),
        (
            "pass_credentials = \"yes\"\n",
            "pass_credentials: whether the caller's credentials are passed to the function: true or false",
        ),
    ] {
        std::fs::write(dir.join("function.toml"), toml).unwrap();
        Fgs::new()
            .args(["invoke", "--local"])
            .arg(&dir)
            .run()
            .code(2)
            .stderr_contains(says)
            .stderr_lacks("expected u32");
    }
}

#[test]
fn debug_mode_says_debugpy_is_missing_before_waiting() {
    if no_python_here() {
        return;
    }
    let has_debugpy = std::process::Command::new("python3")
        .args(["-c", "import debugpy"])
        .output()
        .is_ok_and(|o| o.status.success());
    if has_debugpy {
        return;
    }
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let dir = function_dir(
        &home,
        "dbg",
        &[("index.py", "def handler(event, context):\n    return 1\n")],
    );
    cmd.args(["invoke", "--local"])
        .arg(&dir)
        .arg("--debug")
        .run()
        .code(2)
        .stderr_contains("debugpy is not installed")
        .stderr_lacks("waiting for a debugger");
}
