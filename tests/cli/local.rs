//! `fgs invoke --local DIR`: the examples in every runtime, function errors, timeouts, the
//! checks before anything runs, and the same output and exit codes as a cloud call.

use std::path::{Path, PathBuf};

use serde_json::Value;
use tempfile::TempDir;

use crate::common::*;

/// An example function directory of the repository.
pub fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name)
}

/// A function directory written by the test: `files` as (name, text).
pub fn function_dir(home: &TempDir, name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = home.path().join(name);
    for (file, text) in files {
        write_file(&dir.join(file), text);
    }
    dir
}

fn local(cmd: &mut Fgs, dir: &Path) -> Run {
    cmd.args(["invoke", "--local"]).arg(dir).run()
}

/// One local call with `-o json`: what fgs printed, and the document.
fn local_json(cmd: &mut Fgs, dir: &Path) -> (Run, Value) {
    let out = cmd
        .args(["invoke", "--local"])
        .arg(dir)
        .args(["-o", "json"])
        .run();
    let doc = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("not one JSON document ({e}): {}", out.stdout));
    (out, doc)
}

#[test]
fn every_example_runs_with_its_event() {
    if no_python_here() {
        return;
    }
    let _port = port_8000();
    for (name, expected) in [
        ("hello-python", "Hello, fgs!"),
        ("hello-node", "Hello, fgs!"),
        ("hello-custom", "Hello, fgs!"),
        ("hello-http", "Hello, fgs!"),
    ] {
        let mut cmd = Fgs::new();
        let dir = example(name);
        let event = dir.join("event.json");
        let out = cmd
            .args(["invoke", "--local"])
            .arg(&dir)
            .args(["-o", "json", "-d"])
            .arg(format!("@{}", event.display()))
            .run();
        assert_eq!(out.code, Some(0), "{name}: {}", out.stderr);
        let doc: Value = serde_json::from_str(&out.stdout)
            .unwrap_or_else(|e| panic!("{name}: {e}: {}", out.stdout));
        assert_eq!(doc["function_error"], false, "{name}");
        assert_eq!(doc["error_code"], "0", "{name}");
        let shown = serde_json::to_string(&doc["result"]).unwrap();
        let decoded = doc["result"]["body"]
            .as_str()
            .and_then(base64_decode)
            .unwrap_or_default();
        assert!(
            shown.contains(expected) || decoded.contains("Hello"),
            "{name}: {shown}"
        );
        let log = doc["log"].as_str().unwrap_or_default();
        assert!(log.contains("Start invoke request '"), "{name}: {log}");
        assert!(log.contains("billing memory: 128MB"), "{name}: {log}");
        assert_eq!(
            doc["function_urn"],
            format!("urn:fss:local:local:function:default:{name}:latest"),
            "{name}"
        );
    }
}

fn base64_decode(text: &str) -> Option<String> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .ok()
        .map(|b| String::from_utf8_lossy(&b).into_owned())
}

/// The README's first command: the result on stdout, the framed log and the summary on
/// stderr, exit 0.
#[test]
fn the_quick_start_command_prints_result_log_and_summary() {
    if no_python_here() {
        return;
    }
    let out = Fgs::new()
        .args(["invoke", "--local"])
        .arg(example("hello-python"))
        .args(["-d", r#"{"name":"fgs"}"#])
        .run();
    out.code(0);
    let result: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(result["body"], "Hello, fgs!");
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert!(
        lines[0].contains(" Start invoke request '"),
        "{}",
        out.stderr
    );
    assert!(
        lines.iter().any(|l| l.contains(" INFO greeting fgs")),
        "{}",
        out.stderr
    );
    let finish = lines
        .iter()
        .find(|l| l.contains(" Finish invoke request '"))
        .unwrap_or_else(|| panic!("{}", out.stderr));
    assert!(finish.contains("billing duration: "), "{finish}");
    assert!(
        lines
            .last()
            .unwrap()
            .starts_with("ok · HTTP 200 · request "),
        "{}",
        out.stderr
    );
    out.stderr_lacks("warning");
}

#[test]
fn a_raised_exception_is_a_function_error_exit_1_with_the_service_shape() {
    if no_python_here() {
        return;
    }
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let dir = function_dir(
        &home,
        "boom",
        &[(
            "index.py",
            "def handler(event, context):\n    raise ValueError('boom')\n",
        )],
    );
    let (out, doc) = local_json(&mut cmd, &dir);
    out.code(1);
    assert_eq!(doc["function_error"], true);
    assert_eq!(doc["error_code"], "4002");
    assert_eq!(doc["result"]["errorType"], "ValueError");
    assert!(
        doc["result"]["errorMessage"]
            .as_str()
            .unwrap()
            .contains("boom"),
        "{doc}"
    );
    assert!(doc["result"]["stackTrace"].is_array(), "{doc}");
    assert!(
        out.stderr
            .contains("error: the function raised ValueError: function invocation exception, error: boom (error code 4002)"),
        "{}",
        out.stderr
    );
    // --no-fail: the same answer, exit 0.
    let out = Fgs::new()
        .args(["invoke", "--local"])
        .arg(&dir)
        .arg("--no-fail")
        .run();
    out.code(0);
}

#[test]
fn a_timeout_is_function_error_4010_and_says_so() {
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let dir = function_dir(
        &home,
        "slow",
        &[
            ("function.toml", "timeout = 3\n"),
            (
                "index.js",
                "exports.handler = async (event, context) => { await new Promise(r => setTimeout(r, 20000)); return 1; };\n",
            ),
        ],
    );
    let started = std::time::Instant::now();
    let out = cmd
        .args(["invoke", "--local"])
        .arg(&dir)
        .args(["-o", "json"])
        .run();
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    out.code(1);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(doc["error_code"], "4010");
    assert!(
        doc["log"].as_str().unwrap().contains("timeout"),
        "{}",
        doc["log"]
    );
}

#[test]
fn user_variables_from_the_toml_env_file_and_flags() {
    if no_python_here() {
        return;
    }
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let dir = function_dir(
        &home,
        "vars",
        &[
            (
                "function.toml",
                "[environment]\nA = \"toml\"\nB = \"toml\"\nC = \"toml\"\n",
            ),
            (
                "index.py",
                "import os\ndef handler(event, context):\n    return {k: context.getUserData(k) for k in 'ABC'} | {'env': os.environ.get('C')}\n",
            ),
        ],
    );
    let env_file = write_file(&home.path().join("vars.env"), "# comment\nB=file\nC=file\n");
    let out = cmd
        .args(["invoke", "--local"])
        .arg(&dir)
        .arg("--env-file")
        .arg(&env_file)
        .args(["--env", "C=flag", "-o", "raw"])
        .run();
    out.code(0);
    let result: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        result,
        serde_json::json!({"A": "toml", "B": "file", "C": "flag", "env": "flag"})
    );
}

#[test]
fn repeat_and_batch_reuse_warm_instances() {
    if no_python_here() {
        return;
    }
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let dir = function_dir(
        &home,
        "count",
        &[(
            "index.py",
            "import os\ncalls = 0\ndef handler(event, context):\n    global calls\n    calls += 1\n    return {'pid': os.getpid(), 'calls': calls, 'n': event.get('n')}\n",
        )],
    );
    let out = cmd
        .args(["invoke", "--local"])
        .arg(&dir)
        .args(["--repeat", "5", "--concurrency", "1", "-o", "raw"])
        .run();
    out.code(0);
    let results: Vec<Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(results.len(), 5);
    assert!(results.iter().all(|r| r["pid"] == results[0]["pid"]));
    assert_eq!(results[4]["calls"], 5);
    out.stderr_contains("5 calls");

    let mut cmd = Fgs::new();
    let batch = write_file(
        &home.path().join("events.ndjson"),
        "{\"n\":1}\nnot json\n{\"n\":3}\n",
    );
    let out = cmd
        .args(["invoke", "--local"])
        .arg(&dir)
        .arg("--batch")
        .arg(&batch)
        .args(["-o", "json"])
        .run();
    out.code(2);
    let lines: Vec<Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["result"]["n"], 1);
    assert_eq!(lines[1]["error"]["exit_code"], 2);
    assert_eq!(lines[2]["result"]["n"], 3);
}

#[test]
fn async_runs_the_call_and_prints_its_request_id() {
    if no_python_here() {
        return;
    }
    let out = Fgs::new()
        .args(["invoke", "--local"])
        .arg(example("hello-python"))
        .args(["--async", "-o", "raw"])
        .run();
    out.code(0);
    let id = out.stdout.trim();
    assert_eq!(id.len(), 36, "{id}");
    assert!(
        out.stderr
            .contains(&format!("accepted · HTTP 202 · request {id}"))
    );
}

#[test]
fn bad_directories_are_exit_2_naming_the_problem() {
    if no_python_here() {
        return;
    }
    let cases: &[(&[(&str, &str)], &str)] = &[
        (&[("README.md", "nothing to run\n")], "index.py"),
        (&[("function.toml", "nmae = \"x\"\n")], "nmae"),
        (
            &[("function.toml", "runtime = \"Go1.x\"\n"), ("handler", "")],
            "Go1.x",
        ),
        (&[("function.toml", "runtime = \"Java11\"\n")], "Java11"),
        (
            &[
                ("function.toml", "memory_size = 100\n"),
                ("index.py", "def handler(e, c): return 1\n"),
            ],
            "memory_size",
        ),
        (&[("index.py", "def other(e, c): return 1\n")], "handler"),
    ];
    for (files, named) in cases {
        let mut cmd = Fgs::new();
        let home = cmd.home();
        let dir = function_dir(&home, "f", files);
        let out = local(&mut cmd, &dir);
        assert_eq!(out.code, Some(2), "{named}: {}", out.stderr);
        assert!(out.stdout.is_empty(), "{named}: {}", out.stdout);
        assert!(
            out.stderr.starts_with("error: ") && out.stderr.contains(named),
            "{named}: {}",
            out.stderr
        );
    }
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let out = local(&mut cmd, &home.path().join("missing"));
    out.code(2);
}

#[test]
fn a_missing_interpreter_is_exit_2_with_a_hint() {
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let dir = function_dir(&home, "f", &[("index.py", "def handler(e, c): return 1\n")]);
    cmd.env("FGS_PYTHON", home.path().join("no-such-python"));
    let out = local(&mut cmd, &dir);
    out.code(2);
    out.stderr_contains("no-such-python");
    out.stderr_contains("hint: ");
}

#[test]
fn cloud_flags_are_refused_and_cloud_settings_ignored() {
    if no_python_here() {
        return;
    }
    for flag in [
        vec!["--endpoint", "http://127.0.0.1:9"],
        vec!["--token", "t"],
        vec!["--auth", "aksk"],
        vec!["--region", "cn-north-4"],
        vec!["--retries", "2"],
        vec!["--dry-run"],
    ] {
        let mut cmd = Fgs::new();
        let out = cmd
            .args(["invoke", "--local"])
            .arg(example("hello-python"))
            .args(&flag)
            .run();
        assert_eq!(out.code, Some(2), "{flag:?}: {}", out.stderr);
        assert!(
            out.stderr.contains(flag[0]) && out.stderr.contains("--local"),
            "{flag:?}: {}",
            out.stderr
        );
    }
    // The same settings from the environment and the config file change nothing.
    let server = httpmock::MockServer::start();
    let anything = server.mock(|when, then| {
        when.any_request();
        then.status(500);
    });
    let mut cmd = Fgs::new();
    let home = cmd.home();
    write_config(
        &home,
        &format!(
            "endpoint = \"{}\"\nregion = \"bad region\"\n",
            server.base_url()
        ),
    );
    cmd.env("FGS_ENDPOINT", server.base_url())
        .env("FGS_TOKEN", TOKEN)
        .env("FGS_URN", "hello");
    let out = local(&mut cmd, &example("hello-python"));
    out.code(0);
    anything.assert_calls(0);
    // --env and friends need --local.
    Fgs::new()
        .args(["invoke", URN, "--env", "A=1"])
        .run()
        .code(2)
        .stderr_contains("--local");
}

// Unix only: the function starts `sleep`, and `gone` asks the Unix way.
#[cfg(unix)]
#[test]
fn no_instance_outlives_a_local_run() {
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let marker = home.path().join("pid");
    let dir = function_dir(
        &home,
        "child",
        &[(
            "index.py",
            &format!(
                "import os, subprocess\ndef handler(event, context):\n    p = subprocess.Popen(['sleep', '30'])\n    open({:?}, 'w').write(str(p.pid))\n    return os.getpid()\n",
                marker.display().to_string()
            ),
        )],
    );
    let out = local(&mut cmd, &dir);
    out.code(0);
    let instance: i32 = out.stdout.trim().parse().unwrap();
    let child: i32 = std::fs::read_to_string(&marker).unwrap().parse().unwrap();
    for pid in [instance, child] {
        assert!(gone(pid), "process {pid} outlived fgs");
    }
}

/// Whether a process has ended (or is a zombie no one will reap for long: Linux shows
/// those in `/proc`). Unix only, as the tests that use it.
#[cfg(unix)]
pub fn gone(pid: i32) -> bool {
    for _ in 0..50 {
        // SAFETY: signal 0 sends nothing; it only asks whether the process exists.
        let exists = unsafe { libc::kill(pid, 0) } == 0;
        let zombie = std::fs::read_to_string(format!("/proc/{pid}/status"))
            .is_ok_and(|s| s.contains("State:\tZ"));
        if !exists || zombie {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    false
}

#[test]
fn over_memory_size_is_function_error_4205() {
    if no_python_here() {
        return;
    }
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let dir = function_dir(
        &home,
        "hungry",
        &[
            ("function.toml", "memory_size = 128\n"),
            (
                "index.py",
                "import time\ndef handler(event, context):\n    blocks = [bytearray(16 * 1024 * 1024) for _ in range(16)]\n    time.sleep(0.5)\n    return len(blocks)\n",
            ),
        ],
    );
    let (out, doc) = local_json(&mut cmd, &dir);
    out.code(1);
    assert_eq!(doc["error_code"], "4205", "{doc}");
    assert!(
        doc["result"].to_string().contains("memory limit exceeded"),
        "{doc}"
    );
}

#[test]
fn a_node_handler_of_the_wrong_arity_is_a_function_load_error() {
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let dir = function_dir(
        &home,
        "arity",
        &[(
            "index.js",
            "exports.handler = function (event) { return 1; };\n",
        )],
    );
    let (out, doc) = local_json(&mut cmd, &dir);
    out.code(1);
    assert_eq!(doc["result"]["errorType"], "FunctionLoadError", "{doc}");
    assert!(
        doc["result"]["errorMessage"]
            .as_str()
            .unwrap()
            .contains("2 or 3 parameters"),
        "{doc}"
    );
}

#[test]
fn an_http_function_needs_port_8000_free() {
    let _port = port_8000();
    // Held by this test, or by another program: either way the port is busy for fgs.
    let taken = std::net::TcpListener::bind("127.0.0.1:8000").ok();
    let mut cmd = Fgs::new();
    let out = local(&mut cmd, &example("hello-http"));
    drop(taken);
    out.code(2);
    out.stderr_contains("8000");
}

/// `--debug`: Node.js waits for a debugger on the port printed; killed, fgs takes the
/// waiting instance with it.
#[test]
fn debug_waits_for_a_debugger_and_nothing_outlives_fgs() {
    use std::io::{BufRead, BufReader};
    let home = Fgs::new().home();
    let dir = function_dir(
        &home,
        "debugged",
        &[(
            "index.js",
            "exports.handler = async (event, context) => 1;\n",
        )],
    );
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let (mut cmd, _home) = fgs_process();
    // Stopped and reaped however the test ends.
    let mut child = Stopped(
        cmd.args(["invoke", "--local"])
            .arg(&dir)
            .arg(format!("--debug={port}"))
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let mut stderr = BufReader::new(child.0.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    assert!(
        line.contains(&format!("waiting for a debugger on 127.0.0.1:{port}")),
        "{line}"
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            std::time::Instant::now() < deadline,
            "nothing listens on {port}"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    child.0.kill().unwrap();
    child.0.wait().unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
        assert!(
            std::time::Instant::now() < deadline,
            "the debugged instance outlived fgs"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[test]
fn credentials_reach_the_function_only_with_pass_credentials() {
    if no_python_here() {
        return;
    }
    let handler = "def handler(event, context):\n    return [context.getAccessKey(), context.getSecurityAccessKey(), context.getSecuritySecretKey(), context.getToken()]\n";
    for pass in [true, false] {
        let mut cmd = Fgs::new();
        let home = cmd.home();
        let dir = function_dir(
            &home,
            "agency",
            &[
                ("function.toml", &format!("pass_credentials = {pass}\n")),
                ("index.py", handler),
            ],
        );
        cmd.env("HUAWEICLOUD_SDK_AK", "PASSEDAK0123456789")
            .env("HUAWEICLOUD_SDK_SK", "PASSEDSK-0123456789abcdef0123456789");
        let out = local(&mut cmd, &dir);
        out.code(0);
        let got: Value = serde_json::from_str(&out.stdout).unwrap();
        let expected = if pass {
            serde_json::json!([
                "PASSEDAK0123456789",
                "PASSEDAK0123456789",
                "PASSEDSK-0123456789abcdef0123456789",
                ""
            ])
        } else {
            serde_json::json!(["", "", "", ""])
        };
        assert_eq!(
            got.as_array().unwrap()[1..],
            expected.as_array().unwrap()[1..],
            "pass_credentials = {pass}"
        );
        out.stderr_lacks("PASSEDSK");
    }
}

#[test]
fn interpreters_from_the_config_file_and_a_version_warning() {
    if no_python_here() {
        return;
    }
    let real = String::from_utf8(
        std::process::Command::new("python3")
            .args(["-c", "import sys; print(sys.executable)"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let mut cmd = Fgs::new();
    let home = cmd.home();
    write_config(&home, &format!("python = {:?}\n", real.trim()));
    let dir = function_dir(
        &home,
        "old",
        &[
            ("function.toml", "runtime = \"Python3.2\"\n"),
            ("index.py", "def handler(e, c):\n    return 'ran'\n"),
        ],
    );
    let out = local(&mut cmd, &dir);
    out.code(0);
    out.stdout("ran\n");
    out.stderr_starts_with("warning: runtime Python3.2 but ");
    let mut cmd = Fgs::new();
    let home = cmd.home();
    write_config(&home, "python = \"/no/such/python3\"\n");
    let dir = function_dir(&home, "f", &[("index.py", "def handler(e, c): return 1\n")]);
    let out = local(&mut cmd, &dir);
    out.code(2);
    out.stderr_contains("/no/such/python3");
}

/// The context object and the `RUNTIME_*` variables, in both interpreted runtimes, through
/// the binary; and the initializer, once per warm instance.
#[test]
fn the_context_and_environment_in_python_and_node() {
    if no_python_here() {
        return;
    }
    let python = "import os\ncalls = []\ndef init(context):\n    calls.append('init')\ndef handler(event, context):\n    calls.append('call')\n    context.getLogger().info('from the logger')\n    return {\n        'request_id': context.getRequestID(), 'remaining': context.getRemainingTimeInMilliSeconds(),\n        'name': context.getFunctionName(), 'package': context.getPackage(), 'version': context.getVersion(),\n        'alias': context.getAlias(), 'memory': context.getMemorySize(), 'cpu': context.getCPUNumber(),\n        'timeout': context.getRunningTimeInSeconds(), 'project': context.getProjectID(),\n        'user': context.getUserData('COLOUR'), 'token': context.getToken(), 'ak': context.getSecurityAccessKey(),\n        'env_code_root': os.environ['RUNTIME_CODE_ROOT'], 'env_userdata': os.environ['RUNTIME_USERDATA'],\n        'env_handler': os.environ['RUNTIME_HANDLER'], 'cwd': os.getcwd(), 'calls': list(calls)}\n";
    let node = "const calls = [];\nexports.init = (context, callback) => { calls.push('init'); callback(null, ''); };\nexports.handler = async (event, context) => { calls.push('call'); context.getLogger().info('from the logger');\n  return { request_id: context.getRequestID(), remaining: context.getRemainingTimeInMilliSeconds(),\n    name: context.getFunctionName(), package: context.getPackage(), version: context.getVersion(),\n    alias: context.getAlias(), memory: context.getMemorySize(), cpu: context.getCPUNumber(),\n    timeout: context.getRunningTimeInSeconds(), project: context.getProjectID(),\n    user: context.getUserData('COLOUR'), token: context.getToken(), ak: context.getSecurityAccessKey(),\n    env_code_root: process.env.RUNTIME_CODE_ROOT, env_userdata: process.env.RUNTIME_USERDATA,\n    env_handler: process.env.RUNTIME_HANDLER, cwd: process.cwd(), calls: [...calls] }; };\n";
    for (file, code) in [("index.py", python), ("index.js", node)] {
        let mut cmd = Fgs::new();
        let home = cmd.home();
        let dir = function_dir(
            &home,
            "ctx",
            &[
                (
                    "function.toml",
                    "package = \"tools\"\ninitializer = \"index.init\"\nmemory_size = 256\ntimeout = 5\n[environment]\nCOLOUR = \"blue\"\n",
                ),
                (file, code),
            ],
        );
        let out = cmd
            .args(["invoke", "--local"])
            .arg(&dir)
            .args([
                "--alias",
                "prod",
                "--repeat",
                "2",
                "--concurrency",
                "1",
                "-o",
                "json",
            ])
            .run();
        assert_eq!(out.code, Some(0), "{file}: {}", out.stderr);
        let docs: Vec<Value> = out
            .stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let first = &docs[0]["result"];
        // The function's directory as fgs gives it: canonical, without Windows's `\\?\`.
        let dir = std::fs::canonicalize(&dir).unwrap().display().to_string();
        let dir = dir.strip_prefix(r"\\?\").unwrap_or(&dir);
        assert_eq!(first["request_id"], docs[0]["request_id"], "{file}");
        assert_eq!(first["name"], "ctx", "{file}");
        assert_eq!(first["package"], "tools", "{file}");
        assert_eq!(first["version"], "latest", "{file}");
        assert_eq!(first["alias"], "prod", "{file}");
        assert_eq!(
            first["memory"].to_string().trim_matches('"'),
            "256",
            "{file}"
        );
        assert_eq!(
            first["timeout"].to_string().trim_matches('"'),
            "5",
            "{file}"
        );
        assert_eq!(first["project"], "local", "{file}");
        assert_eq!(first["user"], "blue", "{file}");
        assert_eq!(first["token"], "", "{file}");
        assert_eq!(first["ak"], "", "{file}");
        let remaining = first["remaining"].as_f64().unwrap();
        assert!(
            remaining > 0.0 && remaining <= 5000.0,
            "{file}: {remaining}"
        );
        assert!(
            first["cpu"]
                .to_string()
                .trim_matches('"')
                .parse::<f64>()
                .unwrap()
                > 0.0
        );
        assert_eq!(first["env_code_root"], dir, "{file}");
        assert_eq!(first["cwd"], dir, "{file}");
        assert_eq!(first["env_handler"], "index.handler", "{file}");
        let userdata: Value =
            serde_json::from_str(first["env_userdata"].as_str().unwrap()).unwrap();
        assert_eq!(userdata["COLOUR"], "blue", "{file}");
        // The initializer ran once, before the first call, on the one warm instance.
        assert_eq!(
            first["calls"],
            serde_json::json!(["init", "call"]),
            "{file}"
        );
        assert_eq!(
            docs[1]["result"]["calls"],
            serde_json::json!(["init", "call", "call"]),
            "{file}"
        );
        let log = docs[0]["log"].as_str().unwrap();
        let id = docs[0]["request_id"].as_str().unwrap();
        assert!(
            log.contains(&format!(" {id} INFO from the logger")),
            "{file}: {log}"
        );
        assert_ne!(docs[0]["request_id"], docs[1]["request_id"]);
    }
}

#[test]
fn function_files_are_read_up_to_their_limit() {
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let big = format!("name = \"x\"\n#{}\n", "x".repeat(1024 * 1024));
    let dir = function_dir(
        &home,
        "big",
        &[
            ("function.toml", &big),
            ("index.py", "def handler(e, c): return 1\n"),
        ],
    );
    let out = local(&mut cmd, &dir);
    out.code(2);
    out.stderr_contains("1 MiB");
    let mut cmd = Fgs::new();
    let started = std::time::Instant::now();
    let out = cmd
        .args(["invoke", "--local"])
        .arg(example("hello-python"))
        .args(["--env-file", "/dev/zero"])
        .run();
    out.code(2);
    out.stderr_contains("/dev/zero");
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
}
