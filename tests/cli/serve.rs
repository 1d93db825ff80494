//! `fgs serve`: the invocation API on loopback, called by `fgs invoke` and by raw HTTP; its
//! error answers, async records, signatures, reloads, and a clean stop with no orphans.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;
use tempfile::TempDir;

use crate::common::*;
#[cfg(unix)]
use crate::local::gone;
use crate::local::{example, function_dir};

/// A running `fgs serve`, stopped (SIGTERM, then waited for) when dropped.
pub struct Served {
    child: Option<Child>,
    pub addr: SocketAddr,
    stderr: Arc<Mutex<String>>,
    _home: TempDir,
}

impl Served {
    pub fn start(dirs: &[&Path], args: &[&str]) -> Served {
        Served::start_with(dirs, args, &[])
    }

    pub fn start_with(dirs: &[&Path], args: &[&str], env: &[(&str, &str)]) -> Served {
        let (mut cmd, home) = fgs_process();
        for (name, value) in env {
            cmd.env(name, value);
        }
        let mut child = cmd
            .arg("serve")
            .args(dirs)
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawning fgs serve");
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut lines = BufReader::new(child.stderr.take().expect("stderr"));
        let deadline = Instant::now() + Duration::from_secs(20);
        // The banner: the address, each function, then the closing line.
        let mut addr = None;
        loop {
            let mut line = String::new();
            if lines.read_line(&mut line).unwrap_or(0) == 0 || Instant::now() > deadline {
                let _ = child.kill();
                panic!("fgs serve did not start: {}", stderr.lock().unwrap());
            }
            stderr.lock().unwrap().push_str(&line);
            if let Some(rest) = line.trim().strip_prefix("fgs serve: listening on http://") {
                addr = Some(rest.parse().expect("an address"));
            }
            if line.starts_with("any project id and token are accepted") {
                break;
            }
        }
        let addr = addr.expect("the banner names the address");
        let sink = stderr.clone();
        std::thread::spawn(move || {
            let mut rest = String::new();
            while lines.read_line(&mut rest).unwrap_or(0) > 0 {
                sink.lock().unwrap().push_str(&rest);
                rest.clear();
            }
        });
        Served {
            child: Some(child),
            addr,
            stderr,
            _home: home,
        }
    }

    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Send `signal`, wait for the exit, and return the status as a shell sees it. Windows
    /// has no signals to send another console's process: there it is terminated.
    fn stop(&mut self, signal: &str) -> Option<i32> {
        let mut child = self.child.take()?;
        #[cfg(unix)]
        std::process::Command::new("kill")
            .args(["-s", signal, &child.id().to_string()])
            .status()
            .expect("running kill");
        #[cfg(windows)]
        child.kill().expect("terminating fgs serve");
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if let Some(status) = child.try_wait().expect("waiting for fgs serve") {
                return status.code().or(signal_of(status).map(|s| 128 + s));
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                panic!("fgs serve did not stop on {signal}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        if self.child.is_some() {
            self.stop("TERM");
        }
    }
}

/// A raw HTTP/1.1 exchange: (status, lower-case headers, body).
fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let mut stream = TcpStream::connect(addr).expect("connecting");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).unwrap();
    let split = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a full head");
    let head = String::from_utf8_lossy(&answer[..split]).into_owned();
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
    (status, headers, answer[split + 4..].to_vec())
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

fn invocations(urn: &str) -> String {
    format!("/v2/{PROJECT}/fgs/functions/{urn}/invocations")
}

fn urn(name: &str) -> String {
    format!("urn:fss:cn-north-4:{PROJECT}:function:default:{name}:latest")
}

fn invoke(served: &Served, name: &str, extra: &[&str]) -> Run {
    let mut cmd = Fgs::new();
    cmd.args([
        "invoke",
        &urn(name),
        "--endpoint",
        &served.endpoint(),
        "--token",
        TOKEN,
    ])
    .args(extra)
    .run()
}

#[test]
fn fgs_invoke_calls_every_runtime_through_the_server() {
    if no_python_here() {
        return;
    }
    let _port = port_8000();
    let dirs = ["hello-python", "hello-node", "hello-custom", "hello-http"].map(example);
    let refs: Vec<&Path> = dirs.iter().map(PathBuf::as_path).collect();
    let served = Served::start(&refs, &[]);
    for name in ["hello-python", "hello-node", "hello-custom"] {
        let out = invoke(&served, name, &["-d", r#"{"name":"serve"}"#, "-o", "json"]);
        assert_eq!(out.code, Some(0), "{name}: {}", out.stderr);
        let doc: Value = serde_json::from_str(&out.stdout).unwrap();
        assert!(
            doc["result"].to_string().contains("Hello, serve!"),
            "{name}: {doc}"
        );
        assert!(
            doc["log"]
                .as_str()
                .unwrap()
                .contains("Start invoke request")
        );
        assert!(doc["summary"]["billing_duration_ms"].is_number(), "{doc}");
    }
    let event = example("hello-http").join("event.json");
    let out = invoke(
        &served,
        "hello-http",
        &["-d", &format!("@{}", event.display()), "-o", "json"],
    );
    out.code(0);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(doc["result"]["isBase64Encoded"], true, "{doc}");
    assert_eq!(doc["result"]["statusCode"], 200, "{doc}");
    // The banner names each function with a line to paste; each call is logged.
    let log = served.stderr();
    assert!(
        log.contains(
            "fgs invoke urn:fss:local:local:function:default:hello-python:latest --endpoint"
        ),
        "{log}"
    );
    assert!(log.contains("/invocations · request "), "{log}");
}

#[test]
fn verbose_logs_each_calls_function_log() {
    if no_python_here() {
        return;
    }
    let served = Served::start(&[&example("hello-python")], &["-v"]);
    let out = invoke(&served, "hello-python", &["-d", r#"{"name":"logged"}"#]);
    out.code(0);
    let deadline = Instant::now() + Duration::from_secs(5);
    while !served.stderr().contains("INFO greeting logged") {
        assert!(Instant::now() < deadline, "{}", served.stderr());
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn the_wire_answer_has_the_services_shape() {
    if no_python_here() {
        return;
    }
    let served = Served::start(&[&example("hello-python")], &[]);
    let encoded = urn("hello-python").replace(':', "%3A");
    let (status, headers, body) = http(
        served.addr,
        "POST",
        &invocations(&encoded),
        &[
            ("Content-Type", "application/json"),
            ("X-Cff-Log-Type", "tail"),
        ],
        br#"{"name":"wire"}"#,
    );
    assert_eq!(status, 200);
    let id = header(&headers, "x-cff-request-id").expect("X-Cff-Request-Id");
    assert_eq!(header(&headers, "x-request-id"), Some(id));
    assert_eq!(header(&headers, "x-is-func-err"), Some("false"));
    assert_eq!(header(&headers, "x-func-err-code"), Some("0"));
    let summary: Value =
        serde_json::from_str(header(&headers, "x-cff-invoke-summary").unwrap()).unwrap();
    assert!(summary["billingDuration"].is_number(), "{summary}");
    let doc: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(doc["request_id"], id);
    assert_eq!(doc["status"], 200);
    assert!(
        doc["result"].as_str().unwrap().contains("Hello, wire!"),
        "{doc}"
    );
    assert!(
        doc["log"]
            .as_str()
            .unwrap()
            .contains(&format!("Start invoke request '{id}'"))
    );
    // v0: the result itself.
    let (status, _, body) = http(
        served.addr,
        "POST",
        &invocations(&urn("hello-python")),
        &[("X-CFF-Request-Version", "v0")],
        b"{}",
    );
    assert_eq!(status, 200);
    let result: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(result["body"], "Hello, world!");
}

#[test]
fn bad_requests_get_the_services_error_shape_and_the_server_goes_on() {
    if no_python_here() {
        return;
    }
    let served = Served::start(&[&example("hello-python")], &[]);
    let cases: Vec<(&str, String, Vec<u8>, u16, &str)> = vec![
        (
            "POST",
            invocations(&urn("nope")),
            b"{}".to_vec(),
            404,
            "FSS.1051",
        ),
        (
            "POST",
            invocations(&urn("hello-python")),
            b"{not json".to_vec(),
            400,
            "FSS.0400",
        ),
        (
            "POST",
            invocations(&urn("hello-python")),
            b"{\"k\":\"\xff\"}".to_vec(),
            400,
            "FSS.0400",
        ),
        (
            "POST",
            invocations(&urn("hello-python")),
            br#"{"k":"\ud800"}"#.to_vec(),
            400,
            "FSS.0400",
        ),
        (
            "POST",
            invocations("urn:fss:oops"),
            b"{}".to_vec(),
            400,
            "FSS.1309",
        ),
        (
            "POST",
            "/v2/p/fgs/nothing-here".into(),
            b"{}".to_vec(),
            404,
            "FSS.0404",
        ),
        (
            "GET",
            invocations(&urn("hello-python")),
            Vec::new(),
            404,
            "FSS.0404",
        ),
        (
            "POST",
            invocations(&urn("hello-python")),
            vec![b' '; 6 * 1024 * 1024 + 1],
            413,
            "FSS.0413",
        ),
        (
            "POST",
            format!(
                "/v2/{PROJECT}/fgs/functions/{}/invocations-async",
                urn("hello-python")
            ),
            vec![b' '; 256 * 1024 + 1],
            413,
            "FSS.0413",
        ),
    ];
    for (method, path, body, want, code) in cases {
        let (status, headers, answer) = http(served.addr, method, &path, &[], &body);
        assert_eq!(status, want, "{method} {path}");
        let doc: Value = serde_json::from_slice(&answer).unwrap();
        assert_eq!(doc["error_code"], code, "{method} {path}: {doc}");
        assert!(doc["error_msg"].is_string());
        assert!(header(&headers, "x-request-id").is_some());
        assert!(header(&headers, "x-cff-request-id").is_some());
    }
    // fgs invoke reads the 404 as the service's.
    let out = invoke(&served, "nope", &[]);
    out.code(4);
    out.stderr_contains("FSS.1051");
    let out = invoke(&served, "hello-python", &[]);
    out.code(0);
}

#[test]
fn a_half_sent_request_blocks_no_one_and_is_closed() {
    if no_python_here() {
        return;
    }
    let served = Served::start(&[&example("hello-python")], &[]);
    let mut slow = TcpStream::connect(served.addr).unwrap();
    let head = format!(
        "POST {} HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n{{",
        invocations(&urn("hello-python"))
    );
    slow.write_all(head.as_bytes()).unwrap();
    let started = Instant::now();
    let out = invoke(&served, "hello-python", &[]);
    out.code(0);
    assert!(started.elapsed() < Duration::from_secs(5));
    slow.set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut rest = Vec::new();
    let _ = slow.read_to_end(&mut rest);
    let waited = started.elapsed();
    // Cut off after the server's 10 s, with the service's 408.
    assert!(waited >= Duration::from_secs(9), "{waited:?}");
    assert!(waited < Duration::from_secs(18), "{waited:?}");
    let text = String::from_utf8_lossy(&rest);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(text.contains("FSS.0408"), "{text}");
}

#[test]
fn async_calls_and_their_records() {
    if no_python_here() {
        return;
    }
    let home = Fgs::new().home();
    let dir = function_dir(
        &home,
        "maybe",
        &[(
            "index.py",
            "def handler(event, context):\n    if event.get('fail'):\n        raise RuntimeError('asked to fail')\n    return 'done'\n",
        )],
    );
    let served = Served::start(&[&dir], &[]);
    let name = "maybe";
    let submit = |body: &str| {
        let out = invoke(&served, name, &["--async", "-d", body, "-o", "raw"]);
        out.code(0);
        out.stdout.trim().to_string()
    };
    let ok = submit("{}");
    let failed = submit(r#"{"fail": true}"#);
    let records = format!(
        "/v2/{PROJECT}/fgs/functions/{}/async-invocations",
        urn(name)
    );
    let record = |id: &str| {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let (status, _, body) = http(
                served.addr,
                "GET",
                &format!("{records}?request_id={id}"),
                &[],
                b"",
            );
            assert_eq!(status, 200);
            let doc: Value = serde_json::from_slice(&body).unwrap();
            let record = doc["invocations"][0].clone();
            if record["status"] != "WAIT" && record["status"] != "RUNNING" {
                assert_eq!(doc["count"], 1, "{doc}");
                return record;
            }
            assert!(Instant::now() < deadline, "{doc}");
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    let r = record(&ok);
    assert_eq!(r["status"], "SUCCESS");
    assert_eq!(r["error_code"], 0);
    let r = record(&failed);
    assert_eq!(r["status"], "FAIL");
    assert_eq!(r["error_code"], 4002);
    assert!(
        r["error_message"]
            .as_str()
            .unwrap()
            .contains("asked to fail"),
        "{r}"
    );
    // Filters and paging.
    let (_, _, body) = http(
        served.addr,
        "GET",
        &format!("{records}?status=SUCCESS"),
        &[],
        b"",
    );
    let doc: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(doc["count"], 1, "{doc}");
    let (_, _, body) = http(served.addr, "GET", &format!("{records}?limit=1"), &[], b"");
    let doc: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(doc["invocations"].as_array().unwrap().len(), 1);
    assert_eq!(doc["count"], 2);
    assert_eq!(doc["next_marker"], 1);
}

#[test]
fn verify_aksk_accepts_good_signatures_and_refuses_others() {
    if no_python_here() {
        return;
    }
    let (ak, sk) = ("SERVEAK0123456789", "SERVESK-secret-0123456789abcdef");
    let served = Served::start_with(
        &[&example("hello-python")],
        &["--verify-aksk"],
        &[("HUAWEICLOUD_SDK_AK", ak), ("HUAWEICLOUD_SDK_SK", sk)],
    );
    let signed = |secret: &str| {
        let mut cmd = Fgs::new();
        cmd.env("HUAWEICLOUD_SDK_AK", ak)
            .env("HUAWEICLOUD_SDK_SK", secret)
            .args([
                "invoke",
                &urn("hello-python"),
                "--endpoint",
                &served.endpoint(),
            ])
            .run()
    };
    let out = signed(sk);
    out.code(0);
    let out = signed("SERVESK-wrong-0123456789abcdef0");
    out.code(3);
    out.stderr_contains("APIG.0301");
    let out = invoke(&served, "hello-python", &[]);
    out.code(3);
    assert!(!served.stderr().contains(sk));
}

#[test]
fn a_full_queue_is_the_services_429() {
    if no_python_here() {
        return;
    }
    let home = Fgs::new().home();
    let dir = function_dir(
        &home,
        "sleepy",
        &[(
            "index.py",
            "import time\ndef handler(event, context):\n    time.sleep(1.5)\n    return 'slept'\n",
        )],
    );
    let served = Served::start(&[&dir], &["--instances", "1", "--queue", "0"]);
    let first = {
        let endpoint = served.endpoint();
        std::thread::spawn(move || {
            let mut cmd = Fgs::new();
            cmd.args([
                "invoke",
                &urn("sleepy"),
                "--endpoint",
                &endpoint,
                "--token",
                TOKEN,
            ])
            .run()
        })
    };
    std::thread::sleep(Duration::from_millis(500));
    let out = invoke(&served, "sleepy", &[]);
    out.code(4);
    out.stderr_contains("FSS.0429");
    let first = first.join().unwrap();
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    assert_eq!(first.stdout, "slept\n");
}

#[test]
fn an_edit_takes_effect_without_a_restart_and_a_dead_instance_is_replaced() {
    if no_python_here() {
        return;
    }
    let home = Fgs::new().home();
    let dir = function_dir(
        &home,
        "edited",
        &[(
            "index.py",
            "import os\ndef handler(event, context):\n    if event.get('die'):\n        os._exit(3)\n    return 'first'\n",
        )],
    );
    let served = Served::start(&[&dir], &[]);
    assert_eq!(invoke(&served, "edited", &[]).stdout, "first\n");
    let died = invoke(&served, "edited", &["-d", r#"{"die": true}"#]);
    died.code(1);
    assert_eq!(invoke(&served, "edited", &[]).stdout, "first\n");
    std::thread::sleep(Duration::from_millis(300));
    write_file(
        &dir.join("index.py"),
        "def handler(event, context):\n    return 'second'\n",
    );
    std::thread::sleep(Duration::from_millis(300));
    let out = invoke(&served, "edited", &[]);
    out.stdout("second\n");
}

// Unix only: it sends SIGTERM and SIGINT with kill(1) and its function starts `sleep`.
#[cfg(unix)]
#[test]
fn sigterm_and_ctrl_c_stop_everything_with_no_orphans() {
    for (signal, code) in [("TERM", 0), ("INT", 130)] {
        let home = Fgs::new().home();
        let marker = home.path().join("pids");
        let dir = function_dir(
            &home,
            "parent",
            &[(
                "index.py",
                &format!(
                    "import os, subprocess\ndef handler(event, context):\n    p = subprocess.Popen(['sleep', '60'])\n    open({:?}, 'w').write(f'{{os.getpid()}} {{p.pid}}')\n    return 'ok'\n",
                    marker.display().to_string()
                ),
            )],
        );
        let mut served = Served::start(&[&dir], &[]);
        let out = invoke(&served, "parent", &[]);
        out.code(0);
        let pids: Vec<i32> = std::fs::read_to_string(&marker)
            .unwrap()
            .split(' ')
            .map(|p| p.parse().unwrap())
            .collect();
        assert_eq!(
            served.stop(signal),
            Some(code),
            "{signal}: {}",
            served.stderr()
        );
        for pid in pids {
            assert!(gone(pid), "{signal}: process {pid} outlived fgs serve");
        }
    }
}

#[test]
fn addresses_and_directories_are_checked_before_serving() {
    if no_python_here() {
        return;
    }
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let mut cmd = Fgs::new();
    let out = cmd
        .arg("serve")
        .arg(example("hello-python"))
        .args(["--listen", &addr])
        .run();
    out.code(2);
    out.stderr_contains(&addr);

    let mut cmd = Fgs::new();
    let out = cmd
        .arg("serve")
        .arg(example("hello-python"))
        .args(["--listen", "0.0.0.0:0"])
        .run();
    out.code(2);
    out.stderr_contains("--allow-remote");

    let mut cmd = Fgs::new();
    let out = cmd
        .arg("serve")
        .arg(example("hello-python"))
        .arg("--verify-aksk")
        .run();
    out.code(2);
    out.stderr_contains("HUAWEICLOUD_SDK_AK");

    let mut cmd = Fgs::new();
    let home = cmd.home();
    let a = function_dir(
        &home,
        "a",
        &[
            ("function.toml", "name = \"same\"\n"),
            ("index.py", "def handler(e, c): return 1\n"),
        ],
    );
    let b = function_dir(
        &home,
        "b",
        &[
            ("function.toml", "name = \"same\"\n"),
            ("index.py", "def handler(e, c): return 2\n"),
        ],
    );
    let out = cmd.arg("serve").arg(&a).arg(&b).run();
    out.code(2);
    out.stderr_contains("default:same");

    // --all serves every subdirectory (the HTTP function starts only when called).
    let served = Served::start(&[&example("")], &["--all"]);
    let log = served.stderr();
    for name in ["hello-custom", "hello-http", "hello-node", "hello-python"] {
        assert!(log.contains(&format!("default:{name} ")), "{log}");
    }
}

/// `fgs list`, `fgs info`, `invoke --async --wait` and `fgs status` work against the
/// server as against the service, with the settings its banner suggests.
#[test]
fn list_info_and_waiting_work_against_the_server() {
    if no_python_here() {
        return;
    }
    let served = Served::start(&[&example("hello-python"), &example("hello-node")], &[]);
    assert!(
        served.stderr().contains(&format!(
            "fgs list --endpoint {} --region local --project-id local --token local\n",
            served.endpoint()
        )),
        "{}",
        served.stderr()
    );
    let settings = |cmd: &mut Fgs| {
        cmd.args(["--endpoint", &served.endpoint()]).args([
            "--region",
            "local",
            "--project-id",
            "local",
            "--token",
            "local",
        ]);
    };
    let mut cmd = Fgs::new();
    cmd.arg("list");
    settings(&mut cmd);
    let out = cmd.run();
    out.code(0);
    out.stdout("urn:fss:local:local:function:default:hello-node\nurn:fss:local:local:function:default:hello-python\n");

    let mut cmd = Fgs::new();
    cmd.args(["info", "hello-python", "-o", "json"]);
    settings(&mut cmd);
    let out = cmd.run();
    out.code(0);
    let config: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        config["func_urn"],
        "urn:fss:local:local:function:default:hello-python:latest"
    );
    assert_eq!(config["runtime"], "Python3");
    assert_eq!(config["handler"], "index.handler");
    assert_eq!(config["versions"][0]["version"], "latest");
    assert_eq!(config["aliases"], serde_json::json!([]));
    // The example's GREETING is shown by name only.
    assert_eq!(config["user_data"], "{\"GREETING\":\"***\"}");

    let mut cmd = Fgs::new();
    cmd.args(["invoke", "hello-node", "--async", "--wait", "-o", "json"])
        .args(["-d", "{}"])
        .env("FGS_POLL_INTERVAL_MS", "20");
    settings(&mut cmd);
    let out = cmd.run();
    out.code(0);
    let record: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(record["status"], "SUCCESS");
    let id = record["request_id"].as_str().unwrap().to_string();

    let mut cmd = Fgs::new();
    cmd.args(["status", "hello-node", &id]);
    settings(&mut cmd);
    let out = cmd.run();
    out.code(0);
    out.stdout_starts_with("status         SUCCESS\n");
    let mut cmd = Fgs::new();
    cmd.args(["status", "hello-node", "no-such-request"]);
    settings(&mut cmd);
    assert_eq!(cmd.run().code, Some(4));
}
