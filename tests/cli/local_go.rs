//! Go functions (`Go1.x`) with `fgs invoke --local` and `fgs serve`: the function's binary
//! serves net/rpc and fgs calls it. The tests build `tests/fixtures/go-function` (and the
//! example) with `go build` against the runtime library's stand-in in
//! `tests/fixtures/go-runtime`; nothing is downloaded.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::*;
use crate::local::{example, function_dir};
use crate::serve::Served;

/// For tests that build Go: true, after saying why, on Windows when `go` is not on PATH
/// (Wine has none); elsewhere a missing Go fails the test.
fn no_go_here() -> bool {
    lacks_toolchain("Go", &["go"], &[])
}

/// `go build` in `source` with the module proxy off: the runtime library comes from the
/// directory go.mod's `replace` names. Go's caches live under the target directory.
fn go(source: &Path) -> Command {
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let mut cmd = Command::new("go");
    cmd.current_dir(source)
        .env("GOFLAGS", "-mod=mod")
        .env("GOPROXY", "off")
        .env("GOSUMDB", "off")
        .env("CGO_ENABLED", "0")
        .env("GOCACHE", scratch.join("go-cache"))
        .env("GOPATH", scratch.join("go-path"));
    cmd
}

fn run_build(mut cmd: Command) {
    let out = cmd.output().expect("running go (is Go installed?)");
    assert!(
        out.status.success(),
        "go build failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The test function's executable, built once per run.
fn test_binary() -> &'static Path {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| {
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/go-function");
        let out = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("go-function")
            .join(format!("handler{}", std::env::consts::EXE_SUFFIX));
        let mut cmd = go(&source);
        cmd.args(["build", "-trimpath", "-o"]).arg(&out).arg(".");
        run_build(cmd);
        out
    })
}

/// A function directory holding the test function as `handler` and this `function.toml`.
fn go_function(cmd: &Fgs, name: &str, toml: &str) -> PathBuf {
    let home = cmd.home();
    let toml = format!("runtime = \"Go1.x\"\nhandler = \"handler\"\n{toml}");
    let dir = function_dir(&home, name, &[("function.toml", &toml)]);
    let binary = test_binary();
    std::fs::copy(binary, dir.join(binary.file_name().unwrap())).expect("copying the binary");
    dir
}

/// One `invoke --local -o json` call with `event`.
fn call(cmd: &mut Fgs, dir: &Path, event: &str, extra: &[&str]) -> (Run, Value) {
    let out = cmd
        .args(["invoke", "--local"])
        .arg(dir)
        .args(["-o", "json", "-d", event])
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

#[test]
fn the_go_example_builds_with_its_script_and_runs_with_its_event() {
    if no_go_here() {
        return;
    }
    let dir = example("hello-go");
    if cfg!(unix) {
        let mut cmd = go(&dir);
        cmd.env_remove("GOFLAGS");
        let mut script = Command::new("sh");
        script.arg(dir.join("build.sh"));
        for (name, value) in cmd.get_envs() {
            match value {
                Some(value) => script.env(name, value),
                None => script.env_remove(name),
            };
        }
        run_build(script);
    } else {
        let mut cmd = go(&dir);
        cmd.args(["build", "-trimpath", "-o", "handler.exe", "."]);
        run_build(cmd);
    }
    let event = dir.join("event.json");
    let mut cmd = Fgs::new();
    let (out, doc) = call(&mut cmd, &dir, &format!("@{}", event.display()), &[]);
    out.code(0);
    assert_eq!(doc["result"]["body"], "Hello, fgs!", "{doc}");
    assert_eq!(doc["error_code"], "0");
    let log = doc["log"].as_str().unwrap();
    assert!(log.contains(" greeting fgs\n"), "{log}");
    assert_eq!(
        doc["function_urn"],
        "urn:fss:local:local:function:default:hello-go:latest"
    );
}

#[test]
fn the_context_and_runtime_variables_are_the_services() {
    if no_go_here() {
        return;
    }
    let mut cmd = Fgs::new();
    let dir = go_function(
        &cmd,
        "ctx",
        "memory_size = 256\ntimeout = 5\n[environment]\nGREETING = \"hi\"\n",
    );
    let (out, doc) = call(&mut cmd, &dir, r#"{"do":"context"}"#, &[]);
    out.code(0);
    let ctx = &doc["result"];
    assert_eq!(ctx["requestId"], doc["request_id"], "{doc}");
    assert_eq!(ctx["function"], "ctx");
    assert_eq!(ctx["version"], "latest");
    assert_eq!(ctx["package"], "default");
    assert_eq!(ctx["project"], "local");
    assert_eq!(ctx["memory"], 256);
    assert_eq!(ctx["cpu"], 400);
    assert_eq!(ctx["timeout"], 5);
    assert_eq!(ctx["userData"], "hi");
    assert_eq!(ctx["missing"], "");
    let remaining = ctx["remainingMs"].as_i64().unwrap();
    assert!((4000..=5000).contains(&remaining), "{remaining}");

    let mut cmd = Fgs::new();
    let dir = go_function(&cmd, "vars", "[environment]\nGREETING = \"hi\"\n");
    let (out, doc) = call(&mut cmd, &dir, r#"{"do":"env"}"#, &[]);
    out.code(0);
    let vars = &doc["result"];
    assert_eq!(vars["RUNTIME_FUNC_NAME"], "vars");
    assert_eq!(vars["RUNTIME_HANDLER"], "handler");
    assert_eq!(vars["RUNTIME_TIMEOUT"], "3");
    assert_eq!(vars["RUNTIME_MEMORY"], "128");
    assert_eq!(vars["RUNTIME_MAX_RESP_BODY_SIZE"], "6291456");
    assert_eq!(vars["RUNTIME_USERDATA"], r#"{"GREETING":"hi"}"#);
    let addr = vars["RUNTIME_API_ADDR"].as_str().unwrap();
    assert!(addr.starts_with("127.0.0.1:"), "{addr}");
}

#[test]
fn the_log_holds_stdout_stderr_and_logger_lines_between_start_and_finish() {
    if no_go_here() {
        return;
    }
    let mut cmd = Fgs::new();
    let dir = go_function(&cmd, "logs", "");
    let (out, doc) = call(&mut cmd, &dir, r#"{"do":"log"}"#, &[]);
    out.code(0);
    assert_eq!(doc["result"], "logged");
    let log = doc["log"].as_str().unwrap();
    let id = doc["request_id"].as_str().unwrap();
    let lines: Vec<&str> = log.lines().collect();
    assert!(
        lines[0].contains(&format!("Start invoke request '{id}'")),
        "{log}"
    );
    assert!(
        lines.last().unwrap().contains("Finish invoke request"),
        "{log}"
    );
    assert!(lines.contains(&"plain stdout line"), "{log}");
    assert!(lines.contains(&"plain stderr line"), "{log}");
    // Logf: UTC time with milliseconds, the request id, the message; no level.
    let logged = lines
        .iter()
        .find(|l| l.ends_with(&format!(" {id} logged 42")))
        .unwrap_or_else(|| panic!("{log}"));
    let stamp = logged.split(' ').next().unwrap();
    assert!(stamp.len() == 24 && stamp.ends_with('Z'), "{stamp}");
}

#[test]
fn a_returned_error_and_a_panic_come_back_as_the_runtime_sends_them() {
    if no_go_here() {
        return;
    }
    let mut cmd = Fgs::new();
    let dir = go_function(&cmd, "fails", "");
    let (out, doc) = call(&mut cmd, &dir, r#"{"do":"error"}"#, &[]);
    out.code(1);
    assert_eq!(doc["function_error"], true);
    assert_eq!(doc["error_code"], "4002");
    assert_eq!(doc["result"]["errorType"], "FunctionReturnError");
    assert_eq!(doc["result"]["errorMessage"], "something failed");
    assert!(
        out.stderr.contains(
            "the function raised FunctionReturnError: something failed (error code 4002)"
        ),
        "{}",
        out.stderr
    );
    // The runtime's JSON as it is, indented with four spaces.
    let raw = Fgs::new()
        .args(["invoke", "--local"])
        .arg(&dir)
        .args(["-d", r#"{"do":"error"}"#, "-o", "raw"])
        .run();
    assert_eq!(
        raw.stdout.trim_end(),
        "{\n    \"errorMessage\": \"something failed\",\n    \"errorType\": \"FunctionReturnError\"\n}"
    );

    // The runtime library's quirk: a nil result is the error "response is empty".
    let (_, doc) = call(&mut Fgs::new(), &dir, r#"{"do":"nil"}"#, &[]);
    assert_eq!(doc["result"]["errorMessage"], "response is empty", "{doc}");

    let (out, doc) = call(&mut Fgs::new(), &dir, r#"{"do":"panic"}"#, &[]);
    out.code(1);
    assert_eq!(doc["error_code"], "4002");
    assert_eq!(doc["result"]["errorType"], "panic");
    assert_eq!(
        doc["result"]["errorMessage"],
        "assignment to entry in nil map"
    );
    let trace = doc["result"]["stackTrace"]
        .as_array()
        .expect("a stack trace");
    assert_eq!(trace[0], "Handler()", "{doc}");
    let frame = trace[1].as_str().unwrap();
    assert!(
        frame.starts_with("    fgs.test/gofunction/main.go:"),
        "{frame}"
    );
    let log = doc["log"].as_str().unwrap();
    assert!(log.contains("failed for function code panic"), "{log}");
    assert!(log.contains(&format!("Handler()\n{frame}\n")), "{log}");
}

#[test]
fn a_result_over_6_mb_is_the_runtimes_function_response_too_large() {
    if no_go_here() {
        return;
    }
    let mut cmd = Fgs::new();
    let dir = go_function(&cmd, "large", "");
    let (out, doc) = call(&mut cmd, &dir, r#"{"do":"large","bytes":6291457}"#, &[]);
    out.code(1);
    assert_eq!(doc["error_code"], "4004", "{doc}");
    assert_eq!(doc["result"]["errorType"], "FunctionResponseTooLarge");
    assert_eq!(
        doc["result"]["errorMessage"],
        "Response body size '6291457' larger than max value '6291456'."
    );
    // At the limit it is a result.
    let (out, doc) = call(
        &mut Fgs::new(),
        &dir,
        r#"{"do":"large","bytes":6291456}"#,
        &[],
    );
    out.code(0);
    assert_eq!(doc["result"].as_str().map(str::len), Some(6_291_456));
}

#[test]
fn a_missing_or_unbuilt_binary_is_exit_2_naming_it() {
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let dir = function_dir(
        &home,
        "unbuilt",
        &[
            ("function.toml", "runtime = \"Go1.x\"\nhandler = \"bin\"\n"),
            ("go.mod", "module example.com/unbuilt\n"),
        ],
    );
    let out = cmd.args(["invoke", "--local"]).arg(&dir).run();
    out.code(2);
    assert!(
        out.stderr.contains(&dir.join("bin").display().to_string()),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("go build -o bin"), "{}", out.stderr);
    // The file, the key and the runtime.
    assert!(
        out.stderr.contains("function.toml: handler: "),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("Go1.x"), "{}", out.stderr);
}

#[test]
fn a_binary_that_is_no_go_function_is_a_setup_error() {
    if no_go_here() || cfg!(windows) {
        return;
    }
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let dir = function_dir(
        &home,
        "plain",
        &[
            ("function.toml", "runtime = \"Go1.x\"\n"),
            ("handler", "#!/bin/sh\necho not a function\nexit 4\n"),
        ],
    );
    make_executable(&dir.join("handler"));
    let out = cmd.args(["invoke", "--local"]).arg(&dir).run();
    out.code(2);
    assert!(
        out.stderr.contains("exited (exit status: 4)"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("runtime.Register"), "{}", out.stderr);
    assert!(out.stderr.contains("not a function"), "{}", out.stderr);
}

#[cfg(unix)]
fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[cfg(not(unix))]
fn make_executable(_path: &Path) {}

#[test]
fn the_timeout_and_the_memory_limit_stop_a_go_function() {
    if no_go_here() {
        return;
    }
    let mut cmd = Fgs::new();
    let dir = go_function(&cmd, "limits", "timeout = 3\nmemory_size = 128\n");
    let started = Instant::now();
    let (out, doc) = call(&mut cmd, &dir, r#"{"do":"sleep"}"#, &[]);
    assert!(started.elapsed() < Duration::from_secs(8));
    out.code(1);
    assert_eq!(doc["error_code"], "4010", "{doc}");
    assert_eq!(
        doc["result"],
        serde_json::json!({"errorMessage": "call invoke timeout 3s", "errorType": "InvokeTimeout"}),
        "{doc}"
    );
    assert!(
        doc["log"]
            .as_str()
            .unwrap()
            .contains("call invoke timeout 3s")
    );

    let (out, doc) = call(&mut Fgs::new(), &dir, r#"{"do":"memory"}"#, &[]);
    out.code(1);
    assert_eq!(doc["error_code"], "4205", "{doc}");
    assert!(doc["result"].to_string().contains("memory limit exceeded"));
}

#[test]
fn repeated_calls_reuse_one_warm_instance() {
    if no_go_here() {
        return;
    }
    let mut cmd = Fgs::new();
    let dir = go_function(&cmd, "warm", "");
    let out = cmd
        .args(["invoke", "--local"])
        .arg(&dir)
        .args([
            "-d",
            r#"{"do":"calls"}"#,
            "--repeat",
            "3",
            "--concurrency",
            "1",
        ])
        .args(["-o", "json"])
        .run();
    out.code(0);
    let results: Vec<Value> = out
        .stdout
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap()["result"].clone())
        .collect();
    assert_eq!(results, [1, 2, 3]);
}

#[test]
fn fgs_serve_runs_a_go_function() {
    if no_go_here() {
        return;
    }
    let cmd = Fgs::new();
    let dir = go_function(&cmd, "served", "");
    let served = Served::start(&[&dir], &[]);
    let urn = format!("urn:fss:cn-north-4:{PROJECT}:function:default:served:latest");
    let invoke = |event: &str| {
        Fgs::new()
            .args([
                "invoke",
                &urn,
                "--endpoint",
                &served.endpoint(),
                "--token",
                TOKEN,
            ])
            .args(["-o", "json", "-d", event])
            .run()
    };
    let out = invoke(r#"{"name":"serve"}"#);
    out.code(0);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(doc["result"], "Hello, serve!", "{doc}");
    assert!(
        doc["log"]
            .as_str()
            .unwrap()
            .contains("Finish invoke request")
    );

    let out = invoke(r#"{"do":"panic"}"#);
    out.code(1);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(doc["error_code"], "4002", "{doc}");
    assert_eq!(doc["result"]["errorType"], "panic");
    // The instance lives on after a panic, as the runtime's recover keeps it.
    let out = invoke(r#"{"do":"calls"}"#);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(doc["result"], 3, "{doc}");
}

#[test]
fn debug_mode_without_delve_says_how_to_install_it() {
    if no_go_here() {
        return;
    }
    let mut cmd = Fgs::new();
    let dir = go_function(&cmd, "debugged", "");
    // The tests' PATH has no Delve (the builder scrubs GOPATH and HOME's go/bin).
    let out = cmd
        .env("PATH", "")
        .args(["invoke", "--local"])
        .arg(&dir)
        .arg("--debug")
        .run();
    out.code(2);
    assert!(out.stderr.contains("Delve (dlv)"), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("go install github.com/go-delve/delve/cmd/dlv@latest"),
        "{}",
        out.stderr
    );
}

/// With Delve on PATH, fgs says the command it runs and how to connect, and runs the binary
/// through it. A stand-in `dlv` here prints its arguments and runs the program, as Delve
/// does once a debugger continues it.
#[cfg(unix)]
#[test]
fn debug_mode_says_the_delve_command_and_runs_it() {
    if no_go_here() {
        return;
    }
    let mut cmd = Fgs::new();
    let dir = go_function(&cmd, "delve", "");
    let bin = cmd.home().path().join("bin");
    write_file(
        &bin.join("dlv"),
        "#!/bin/sh\necho \"dlv $*\" >&2\nexec \"$2\"\n",
    );
    make_executable(&bin.join("dlv"));
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = cmd
        .env("PATH", path)
        .args(["invoke", "--local"])
        .arg(&dir)
        .args(["--debug=47123", "-o", "json", "-d", r#"{"name":"dlv"}"#])
        .run();
    out.code(0);
    let binary = dir.join("handler").display().to_string();
    let command = format!(
        "dlv exec {binary} --headless --listen=127.0.0.1:47123 --api-version=2 --accept-multiclient"
    );
    assert!(
        out.stderr
            .contains(&format!("the Go function runs under Delve: {command}")),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("dlv connect 127.0.0.1:47123"),
        "{}",
        out.stderr
    );
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(doc["result"], "Hello, dlv!");
    assert!(doc["log"].as_str().unwrap().contains(&command), "{doc}");
}
