//! Tests that start real `python3`, `node`, `bash` and `curl` processes on function
//! directories written into temporary directories, and check that none is left behind.
#![allow(clippy::items_after_statements)] // helpers sit next to the test that uses them

use std::time::Duration;

use bytes::Bytes;
use serde_json::Value;
use tempfile::TempDir;

#[cfg(unix)] // only the Unix-only Custom runtime test uses it
use super::function::Runtime;
use super::instance::Instance;
use super::platform::{self, tree_alive};
use super::reply::Reply;
use super::*;

/// Tests that use port 8000 (HTTP functions) take turns.
static PORT_8000: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn function_dir(files: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::Builder::new()
        .prefix("fgs-test-")
        .tempdir()
        .unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        if *name == "bootstrap" && text.starts_with("#!") {
            platform::make_executable(&path);
        }
    }
    dir
}

fn load(dir: &TempDir) -> Function {
    let (function, _warnings) =
        Function::load(dir.path(), &Overrides::default(), &Interpreters::default())
            .unwrap_or_else(|e| panic!("loading {}: {e}", dir.path().display()));
    function
}

async fn start(dir: &TempDir) -> Instance {
    let function = load(dir);
    Instance::start(
        &function,
        &StartOptions {
            project_id: "proj0".into(),
            region: "local-1".into(),
            debug_port: None,
        },
    )
    .await
    .unwrap_or_else(|e| panic!("starting {}: {e}", dir.path().display()))
}

fn call(body: &str) -> Call {
    Call {
        body: Bytes::from(body.to_string()),
        ..Call::default()
    }
}

async fn invoke(instance: &mut Instance, body: &str) -> Reply {
    instance.invoke(call(body)).await.unwrap()
}

fn secret(value: &str) -> crate::secret::Secret {
    crate::secret::Secret::from(value.to_string())
}

fn json(reply: &Reply) -> Value {
    serde_json::from_slice(&reply.result).unwrap_or_else(|e| {
        panic!(
            "result is not JSON ({e}): {}",
            String::from_utf8_lossy(&reply.result)
        )
    })
}

fn text(reply: &Reply) -> &str {
    std::str::from_utf8(&reply.result).unwrap()
}

/// Stop the instance and check that its whole process group is gone.
async fn stop(instance: Instance) {
    let pid = instance.tree().id();
    instance.stop().await;
    assert_gone(pid).await;
}

async fn assert_gone(pid: u32) {
    // Killed grandchildren are reaped by init, which can take a moment.
    for _ in 0..100 {
        if !tree_alive(pid) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("process group {pid} is still there");
}

/// `2024-01-01T00:00:00Z <id> <LEVEL> <message>`: check the shape of a logger line.
fn assert_logger_line(line: &str, id: &str, level: &str, message: &str) {
    let (stamp, rest) = line.split_once(' ').unwrap();
    assert_eq!(stamp.len(), 20, "{line}");
    assert!(
        stamp.ends_with('Z') && stamp.as_bytes()[10] == b'T',
        "{line}"
    );
    assert_eq!(rest, format!("{id} {level} {message}"), "{line}");
}

const PY_CONTEXT: &str = r#"
import os

def handler(event, context):
    log = context.getLogger()
    log.info("hello %s", event.get("who"))
    log.debug("hidden")
    log.setLevel("DEBUG")
    log.debug("shown", 1, 2)
    log.setLevel("INFO")
    log.warn("careful")
    log.error("bad")
    env = {k: v for k, v in os.environ.items() if k.startswith("RUNTIME_")}
    return {
        "event": event,
        "requestId": context.getRequestID(),
        "remaining": context.getRemainingTimeInMilliSeconds(),
        "ak": context.getAccessKey(), "sk": context.getSecretKey(),
        "sak": context.getSecurityAccessKey(), "ssk": context.getSecuritySecretKey(),
        "st": context.getSecurityToken(), "token": context.getToken(),
        "user": context.getUserData("GREETING"), "missing": context.getUserData("NOPE"),
        "name": context.getFunctionName(), "running": context.getRunningTimeInSeconds(),
        "version": context.getVersion(), "memory": context.getMemorySize(),
        "cpu": context.getCPUNumber(), "project": context.getProjectID(),
        "package": context.getPackage(), "alias": context.getAlias(),
        "env": env, "greeting": os.environ.get("GREETING"), "cwd": os.getcwd(),
        "home_leak": "HUAWEICLOUD_SDK_AK" in os.environ,
    }
"#;

const NODE_CONTEXT: &str = r"
exports.handler = async (event, context) => {
  const log = context.getLogger();
  log.info('hello %s', event.who);
  log.debug('hidden');
  log.setLevel('DEBUG');
  log.debug('shown', 1, 2);
  log.setLevel('INFO');
  log.warn('careful');
  log.error('bad');
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('RUNTIME_')));
  return {
    event, requestId: context.getRequestID(), remaining: context.getRemainingTimeInMilliSeconds(),
    ak: context.getAccessKey(), sk: context.getSecretKey(),
    sak: context.getSecurityAccessKey(), ssk: context.getSecuritySecretKey(),
    st: context.getSecurityToken(), token: context.getToken(),
    user: context.getUserData('GREETING'), missing: context.getUserData('NOPE') ?? null,
    name: context.getFunctionName(), running: context.getRunningTimeInSeconds(),
    version: context.getVersion(), memory: context.getMemorySize(), cpu: context.getCPUNumber(),
    project: context.getProjectID(), package: context.getPackage(), alias: context.getAlias(),
    env, greeting: process.env.GREETING, cwd: process.cwd(),
    home_leak: 'HUAWEICLOUD_SDK_AK' in process.env,
  };
};
";

const CONTEXT_TOML: &str = "name = \"ctx-fn\"\npackage = \"app\"\nmemory_size = 256\ntimeout = 5\nversion = \"v3\"\npass_credentials = true\n[environment]\nGREETING = \"hi\"\n";

async fn check_context(dir: TempDir) {
    let mut instance = start(&dir).await;
    let credentials = PassedCredentials {
        access_key: Some(secret("AK1")),
        secret_key: Some(secret("SK1")),
        security_token: Some(secret("ST1")),
        token: Some(secret("TOKEN1")),
    };
    let reply = instance
        .invoke(Call {
            request_id: Some("00000000-0000-4000-8000-000000000001".into()),
            body: Bytes::from_static(br#"{"who":"world"}"#),
            alias: Some("prod".into()),
            version: None,
            credentials: Some(credentials),
        })
        .await
        .unwrap();
    assert!(!reply.function_error, "{}", text(&reply));
    let r = json(&reply);
    let id = "00000000-0000-4000-8000-000000000001";
    assert_eq!(r["event"]["who"], "world");
    assert_eq!(r["requestId"], id);
    let remaining = r["remaining"].as_i64().unwrap();
    assert!((4000..=5000).contains(&remaining), "{remaining}");
    for (key, want) in [
        ("ak", "AK1"),
        ("sk", "SK1"),
        ("sak", "AK1"),
        ("ssk", "SK1"),
        ("st", "ST1"),
        ("token", "TOKEN1"),
    ] {
        assert_eq!(r[key], want, "{key}");
    }
    assert_eq!(r["user"], "hi");
    assert_eq!(r["missing"], Value::Null);
    assert_eq!(r["name"], "ctx-fn");
    assert_eq!(r["running"], 5);
    assert_eq!(r["version"], "v3");
    assert_eq!(r["memory"], 256);
    assert_eq!(r["cpu"], 400);
    assert_eq!(r["project"], "proj0");
    assert_eq!(r["package"], "app");
    assert_eq!(r["alias"], "prod");
    assert_eq!(r["greeting"], "hi");
    assert_eq!(r["home_leak"], false);
    let root = platform::canonical_dir(dir.path())
        .unwrap()
        .display()
        .to_string();
    assert_eq!(r["cwd"], root.as_str());
    let env = &r["env"];
    assert_eq!(env["RUNTIME_CODE_ROOT"], root.as_str());
    assert_eq!(env["RUNTIME_FUNC_NAME"], "ctx-fn");
    assert_eq!(env["RUNTIME_FUNC_VERSION"], "v3");
    assert_eq!(env["RUNTIME_PACKAGE"], "app");
    assert_eq!(env["RUNTIME_PROJECT_ID"], "proj0");
    assert_eq!(env["RUNTIME_HANDLER"], "index.handler");
    assert_eq!(env["RUNTIME_TIMEOUT"], "5");
    assert_eq!(env["RUNTIME_MEMORY"], "256");
    assert_eq!(env["RUNTIME_CPU"], "400");
    assert_eq!(env["RUNTIME_MAX_RESP_BODY_SIZE"], "6291456");
    assert_eq!(env["RUNTIME_USERDATA"], r#"{"GREETING":"hi"}"#);
    assert!(
        env["RUNTIME_ROOT"]
            .as_str()
            .is_some_and(|p| std::path::Path::new(p).is_dir())
    );
    assert!(
        env["RUNTIME_LOG_DIR"]
            .as_str()
            .is_some_and(|p| std::path::Path::new(p).is_dir())
    );
    assert!(env.get("RUNTIME_INITIALIZER_HANDLER").is_none());

    let lines: Vec<&str> = reply.log.lines().collect();
    assert!(
        lines[0].ends_with(&format!("Start invoke request '{id}', version: v3")),
        "{}",
        reply.log
    );
    assert_logger_line(lines[1], id, "INFO", "hello world");
    assert_logger_line(lines[2], id, "DEBUG", "shown 1 2");
    assert_logger_line(lines[3], id, "WARN", "careful");
    assert_logger_line(lines[4], id, "ERROR", "bad");
    assert!(
        lines
            .last()
            .unwrap()
            .contains(&format!("Finish invoke request '{id}', duration: ")),
        "{}",
        reply.log
    );
    assert!(!reply.log.contains("hidden"));
    stop(instance).await;
}

#[tokio::test]
async fn python_context_environment_and_logger() {
    if crate::local::interpreter::no_python_here() {
        return;
    }
    check_context(function_dir(&[
        ("index.py", PY_CONTEXT),
        ("function.toml", CONTEXT_TOML),
    ]))
    .await;
}

#[tokio::test]
async fn node_context_environment_and_logger() {
    check_context(function_dir(&[
        ("index.js", NODE_CONTEXT),
        ("function.toml", CONTEXT_TOML),
    ]))
    .await;
}

#[tokio::test]
async fn python_results_and_errors() {
    if crate::local::interpreter::no_python_here() {
        return;
    }
    let code = r#"
import json
class Odd: pass
def handler(event, context):
    kind = event["kind"]
    if kind == "dict": return {"a": [1, 2.5, None], "b": "\u00e9"}
    if kind == "str": return "plain text"
    if kind == "none": return None
    if kind == "raise": raise ValueError("boom")
    if kind == "odd": return Odd()
    if kind == "raw": return event
"#;
    let dir = function_dir(&[("index.py", code)]);
    let mut instance = start(&dir).await;
    let r = invoke(&mut instance, r#"{"kind":"dict"}"#).await;
    assert_eq!(
        text(&r),
        r#"{"a": [1, 2.5, null], "b": "\u00e9"}"#,
        "json.dumps defaults"
    );
    assert_eq!((r.function_error, r.error_code), (false, 0));
    assert_eq!(
        text(&invoke(&mut instance, r#"{"kind":"str"}"#).await),
        "plain text"
    );
    assert_eq!(text(&invoke(&mut instance, r#"{"kind":"none"}"#).await), "");

    let r = invoke(&mut instance, r#"{"kind":"raise"}"#).await;
    assert_eq!(
        (r.function_error, r.error_code, r.retire),
        (true, 4002, false)
    );
    let e = json(&r);
    assert_eq!(
        e["errorMessage"],
        "function invocation exception, error: boom"
    );
    assert_eq!(e["errorType"], "ValueError");
    let stack = e["stackTrace"].as_array().unwrap();
    assert_eq!(stack.len(), 1, "{stack:?}");
    let frame = stack[0].as_str().unwrap();
    assert!(frame.starts_with("File \"./index.py\", line 9, in handler: if kind == \"raise\": raise ValueError(\"boom\")"), "{frame}");

    let r = invoke(&mut instance, r#"{"kind":"odd"}"#).await;
    assert_eq!((r.function_error, r.error_code), (true, 4007));
    assert!(
        json(&r)["errorMessage"]
            .as_str()
            .unwrap()
            .starts_with("function result is invalid, error: ")
    );
    // Still usable after errors.
    let r = invoke(&mut instance, r#"{"kind":"raw","x":1}"#).await;
    assert_eq!(text(&r), r#"{"kind": "raw", "x": 1}"#);
    stop(instance).await;
}

async fn node(code: &str, handler: &str) -> (TempDir, Instance) {
    let toml = format!("handler = \"index.{handler}\"\n");
    let dir = function_dir(&[("index.js", code), ("function.toml", &toml)]);
    let instance = start(&dir).await;
    (dir, instance)
}

const NODE_FORMS: &str = r"
exports.callback = (event, context, callback) => { setTimeout(() => callback(null, { got: event.n, s: 'é' }), 5); };
exports.asyncForm = async (event, context) => { await new Promise((r) => setTimeout(r, 5)); return [event.n, 'async']; };
exports.promise = (event, context) => Promise.resolve('a plain string');
exports.sync = (event, context) => ({ sync: true });
exports.nothing = (event, context) => undefined;
exports.throws = (event, context) => { throw new TypeError('bad input'); };
exports.rejects = async (event, context) => { throw new Error('Something bad happened!'); };
exports.cbError = (event, context, callback) => { callback(new RangeError('too far')); };
exports.oneParam = (event) => 'never';
exports.circular = (event, context) => { const o = {}; o.o = o; return o; };
";

#[tokio::test]
async fn node_handler_forms() {
    let cases: &[(&str, &str)] = &[
        ("callback", r#"{"got":7,"s":"é"}"#),
        ("asyncForm", r#"[7,"async"]"#),
        ("promise", "a plain string"),
        ("sync", r#"{"sync":true}"#),
        ("nothing", ""),
    ];
    for (handler, want) in cases {
        let (_dir, mut instance) = node(NODE_FORMS, handler).await;
        for _ in 0..2 {
            let r = invoke(&mut instance, r#"{"n":7}"#).await;
            assert_eq!((text(&r), r.function_error), (*want, false), "{handler}");
        }
        stop(instance).await;
    }
}

#[tokio::test]
async fn node_errors() {
    let (_dir, mut instance) = node(NODE_FORMS, "throws").await;
    let r = invoke(&mut instance, "{}").await;
    assert_eq!(
        (r.function_error, r.error_code, r.retire),
        (true, 4002, false)
    );
    assert!(
        text(&r).contains("\n    \"errorMessage\""),
        "4-space indent: {}",
        text(&r)
    );
    let e = json(&r);
    assert_eq!(
        e["errorMessage"],
        "function invocation exception, error: bad input"
    );
    assert_eq!(e["errorType"], "TypeError");
    let first = e["stackTrace"][0].as_str().unwrap();
    assert!(
        first.starts_with("at ") && first.contains("./index.js:7:"),
        "{first}"
    );
    // The instance stays usable.
    assert_eq!(invoke(&mut instance, "{}").await.error_code, 4002);
    stop(instance).await;

    let (_dir, mut instance) = node(NODE_FORMS, "rejects").await;
    let e = json(&invoke(&mut instance, "{}").await);
    assert_eq!(
        e["errorMessage"],
        "function invocation exception, error: Something bad happened!"
    );
    assert_eq!(e["errorType"], "Error");
    stop(instance).await;

    let (_dir, mut instance) = node(NODE_FORMS, "cbError").await;
    let r = invoke(&mut instance, "{}").await;
    assert_eq!(r.error_code, 4002);
    let e = json(&r);
    assert_eq!(
        e["errorMessage"],
        "function entry exception, error: too far"
    );
    assert_eq!(e["errorType"], "RangeError");
    stop(instance).await;

    let (_dir, mut instance) = node(NODE_FORMS, "oneParam").await;
    let r = invoke(&mut instance, "{}").await;
    assert!(r.function_error);
    let e = json(&r);
    assert_eq!(
        e["errorMessage"],
        "function entry exception, error: handler expect to have 2 or 3 parameters, but received 1"
    );
    assert_eq!(e["errorType"], "FunctionLoadError");
    stop(instance).await;

    let (_dir, mut instance) = node(NODE_FORMS, "circular").await;
    let r = invoke(&mut instance, "{}").await;
    assert_eq!(r.error_code, 4007);
    assert!(
        json(&r)["errorMessage"]
            .as_str()
            .unwrap()
            .contains("circular"),
        "{}",
        text(&r)
    );
    stop(instance).await;
}

#[tokio::test]
async fn node_esm_modules_load() {
    let dir = function_dir(&[(
        "index.mjs",
        "export const handler = async (event, context) => ({ esm: event.n });\n",
    )]);
    let mut instance = start(&dir).await;
    assert_eq!(
        text(&invoke(&mut instance, r#"{"n":1}"#).await),
        r#"{"esm":1}"#
    );
    stop(instance).await;
}

#[tokio::test]
async fn a_missing_handler_function_is_a_setup_error() {
    if crate::local::interpreter::no_python_here() {
        return;
    }
    for (file, code) in [
        ("index.py", "def other(e, c): pass\n"),
        ("index.js", "exports.other = (e, c) => 1;\n"),
    ] {
        let dir = function_dir(&[(file, code)]);
        let function = load(&dir);
        let e = Instance::start(&function, &StartOptions::default())
            .await
            .err()
            .expect("a setup error");
        assert!(matches!(e, LocalError::Setup(_)), "{e}");
        assert!(
            e.to_string().contains("handler") && e.to_string().contains(file),
            "{e}"
        );
    }
}

#[tokio::test]
async fn the_initializer_runs_once_per_instance_and_its_failure_is_4009() {
    if crate::local::interpreter::no_python_here() {
        return;
    }
    let code = r#"
import os
calls = []
def init(context):
    calls.append(context.getRequestID())
    print("initializing")
def handler(event, context):
    return {"inits": len(calls), "env": os.environ.get("RUNTIME_INITIALIZER_HANDLER")}
def bad_init(context):
    raise RuntimeError("no database")
"#;
    let dir = function_dir(&[
        ("index.py", code),
        (
            "function.toml",
            "initializer = \"index.init\"\ninitializer_timeout = 2\n",
        ),
    ]);
    let mut instance = start(&dir).await;
    let first = invoke(&mut instance, "{}").await;
    assert_eq!(json(&first)["inits"], 1);
    assert_eq!(json(&first)["env"], "index.init");
    assert!(first.log.contains("\ninitializing\n"), "{}", first.log);
    let second = invoke(&mut instance, "{}").await;
    assert_eq!(json(&second)["inits"], 1);
    assert!(!second.log.contains("initializing"));
    stop(instance).await;

    let dir = function_dir(&[
        ("index.py", code),
        ("function.toml", "initializer = \"index.bad_init\"\n"),
    ]);
    let mut instance = start(&dir).await;
    let r = invoke(&mut instance, "{}").await;
    assert_eq!(
        (r.function_error, r.error_code, r.retire),
        (true, 4009, true)
    );
    let e = json(&r);
    assert_eq!(
        e["errorMessage"],
        "function initialization exception, error: no database"
    );
    assert_eq!(e["errorType"], "RuntimeError");
    stop(instance).await;

    let node_code = "exports.init = (context, callback) => callback(new Error('nope'));\nexports.handler = (e, c) => 1;\n";
    let dir = function_dir(&[
        ("index.js", node_code),
        ("function.toml", "initializer = \"index.init\"\n"),
    ]);
    let mut instance = start(&dir).await;
    let r = invoke(&mut instance, "{}").await;
    assert_eq!(
        (r.error_code, json(&r)["errorMessage"].as_str()),
        (4009, Some("function initialization exception, error: nope"))
    );
    stop(instance).await;
}

#[tokio::test]
async fn each_call_gets_its_own_output_on_a_warm_instance() {
    if crate::local::interpreter::no_python_here() {
        return;
    }
    let code = r#"
import sys
print("loading")
def handler(event, context):
    n = event["n"]
    print("out", n)
    sys.stderr.write("err %d\n" % n)
    sys.stdout.write("no newline %d" % n)
    return n
"#;
    let dir = function_dir(&[("index.py", code)]);
    let mut instance = start(&dir).await;
    for n in 1..=3 {
        let r = invoke(&mut instance, &format!("{{\"n\":{n}}}")).await;
        assert_eq!(text(&r), n.to_string());
        let lines: Vec<&str> = r.log.lines().collect();
        let loading = if n == 1 { vec!["loading"] } else { vec![] };
        let own = [
            format!("out {n}"),
            format!("err {n}"),
            format!("no newline {n}"),
        ];
        let mut want: Vec<&str> = loading;
        want.extend(own.iter().map(String::as_str));
        assert_eq!(&lines[1..lines.len() - 1], want.as_slice(), "{}", r.log);
        let id = &r.request_id;
        assert_eq!(uuid::Uuid::parse_str(id).unwrap().get_version_num(), 4);
        assert!(lines[0].ends_with(&format!(" Start invoke request '{id}', version: latest")));
        let finish = lines.last().unwrap();
        let billed = format!("billing duration: {}ms, memory used: ", r.billed_ms);
        assert!(
            finish.contains(&billed) && finish.ends_with("MB, billing memory: 128MB"),
            "{finish}"
        );
        assert!(
            r.memory_used_mb > 1.0 && r.memory_used_mb < 128.0,
            "{}",
            r.memory_used_mb
        );
        assert_eq!(
            r.billed_ms,
            u64::try_from(r.duration.as_nanos())
                .unwrap()
                .div_ceil(1_000_000)
        );
    }
    stop(instance).await;
}

#[tokio::test]
async fn a_timeout_kills_the_instance_and_answers_4010() {
    if crate::local::interpreter::no_python_here() {
        return;
    }
    let code = "import time, subprocess\ndef handler(event, context):\n    subprocess.Popen(['sleep', '30'])\n    print('sleeping')\n    time.sleep(30)\n";
    let dir = function_dir(&[("index.py", code)]);
    let mut instance = start(&dir).await;
    let pid = instance.tree().id();
    let began = std::time::Instant::now();
    let r = invoke(&mut instance, "{}").await;
    let took = began.elapsed();
    assert!(
        took >= Duration::from_secs(3) && took < Duration::from_secs(5),
        "{took:?}"
    );
    assert_eq!(
        (r.function_error, r.error_code, r.retire),
        (true, 4010, true)
    );
    assert_eq!(json(&r)["errorMessage"], "call invoke timeout 3s");
    assert!(r.log.contains("\nsleeping\n"), "{}", r.log);
    assert!(
        r.log.contains(" ERROR call invoke timeout 3s\n"),
        "{}",
        r.log
    );
    assert_gone(pid).await;
    assert!(instance.is_dead());
    let again = invoke(&mut instance, "{}").await;
    assert_eq!((again.error_code, again.retire), (4204, true));
}

#[tokio::test]
async fn too_much_memory_is_4205() {
    if crate::local::interpreter::no_python_here() {
        return;
    }
    let code = "def handler(event, context):\n    block = bytearray(200 * 1024 * 1024)\n    for i in range(0, len(block), 4096): block[i] = 1\n    return len(block)\n";
    let dir = function_dir(&[("index.py", code)]);
    let mut instance = start(&dir).await;
    let pid = instance.tree().id();
    let r = invoke(&mut instance, "{}").await;
    assert_eq!(
        (r.function_error, r.error_code, r.retire),
        (true, 4205, true)
    );
    assert_eq!(json(&r)["errorMessage"], "runtime memory limit exceeded");
    assert!(r.memory_used_mb > 128.0, "{}", r.memory_used_mb);
    assert!(r.log.contains("runtime memory limit exceeded"), "{}", r.log);
    assert_gone(pid).await;
}

#[tokio::test]
async fn a_result_over_6_mb_is_4004() {
    if crate::local::interpreter::no_python_here() {
        return;
    }
    let code = "def handler(event, context):\n    return 'x' * (6291456 + event['extra'])\n";
    let dir = function_dir(&[("index.py", code), ("function.toml", "memory_size = 512\n")]);
    let mut instance = start(&dir).await;
    let r = invoke(&mut instance, r#"{"extra":1}"#).await;
    assert_eq!(
        (r.function_error, r.error_code, r.retire),
        (true, 4004, false)
    );
    assert_eq!(
        json(&r)["errorMessage"],
        "the return value of the function exceeds the maximum allowed limit"
    );
    let r = invoke(&mut instance, r#"{"extra":0}"#).await;
    assert_eq!((r.function_error, r.result.len()), (false, MAX_PAYLOAD));
    let big = Call {
        body: Bytes::from(vec![b' '; MAX_PAYLOAD + 1]),
        ..Call::default()
    };
    assert!(matches!(
        instance.invoke(big).await,
        Err(LocalError::Setup(_))
    ));
    stop(instance).await;
}

#[cfg(unix)] // only the Unix-only Custom runtime tests use it
const CUSTOM_BOOTSTRAP: &str = r#"#!/bin/bash
echo "bootstrap starting"
while true; do
  HEADERS="$RUNTIME_ROOT/headers"
  EVENT=$(curl -sS -D "$HEADERS" "http://$RUNTIME_API_ADDR/v1/runtime/invocation/request")
  ID=$(grep '^X-Cff-Request-Id:' "$HEADERS" | tr -d '\r' | cut -d' ' -f2)
  AK=$(grep '^X-Cff-Access-Key:' "$HEADERS" | tr -d '\r' | cut -d' ' -f2)
  TYPE=$(grep '^X-Cff-Invoke-Type:' "$HEADERS" | tr -d '\r' | cut -d' ' -f2)
  echo "handling $ID"
  if [ "$EVENT" = '{"fail":true}' ]; then
    curl -sS -o /dev/null -X POST -d '{"errorType":"Oops","errorMessage":"failed"}' "http://$RUNTIME_API_ADDR/v1/runtime/invocation/error/$ID"
  else
    curl -sS -o /dev/null -X POST --data-binary "echo:$EVENT:$RUNTIME_FUNC_NAME:$AK:$TYPE:$GREETING" "http://$RUNTIME_API_ADDR/v1/runtime/invocation/response/$ID"
  fi
done
"#;

// Unix only: a `bootstrap` runs through bash, which Windows (Wine here) lacks.
#[cfg(unix)]
#[tokio::test]
async fn a_custom_runtime_speaks_the_runtime_api() {
    let dir = function_dir(&[
        ("bootstrap", CUSTOM_BOOTSTRAP),
        (
            "function.toml",
            "name = \"custom-fn\"\n[environment]\nGREETING = \"hey\"\n",
        ),
    ]);
    let function = load(&dir);
    assert_eq!(function.runtime, Runtime::Custom);
    let mut instance = start(&dir).await;
    let mut with_key = call(r#"{"k":1}"#);
    with_key.credentials = Some(PassedCredentials {
        access_key: Some(secret("AK9")),
        ..PassedCredentials::default()
    });
    let r = instance.invoke(with_key).await.unwrap();
    assert_eq!(text(&r), r#"echo:{"k":1}:custom-fn:AK9:sync:hey"#);
    assert!(r.log.contains("bootstrap starting\n"), "{}", r.log);
    assert!(
        r.log.contains(&format!("handling {}\n", r.request_id)),
        "{}",
        r.log
    );
    for _ in 0..3 {
        let r = invoke(&mut instance, "{}").await;
        assert!(text(&r).starts_with("echo:{}:"), "{}", text(&r));
        let handled: Vec<&str> = r
            .log
            .lines()
            .filter(|l| l.starts_with("handling"))
            .collect();
        assert_eq!(handled, [format!("handling {}", r.request_id)], "{}", r.log);
    }
    let r = invoke(&mut instance, r#"{"fail":true}"#).await;
    assert_eq!(
        (r.function_error, r.error_code, text(&r)),
        (
            true,
            4002,
            r#"{"errorType":"Oops","errorMessage":"failed"}"#
        )
    );
    assert_eq!(
        text(&invoke(&mut instance, "{}").await).len(),
        "echo:{}:custom-fn::sync:hey".len()
    );
    stop(instance).await;
}

const HTTP_SERVER: &str = r#"
import json
from http.server import BaseHTTPRequestHandler, HTTPServer

class Handler(BaseHTTPRequestHandler):
    def answer(self):
        size = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(size).decode()
        cff = {k.lower(): v for k, v in self.headers.items() if k.lower().startswith("x-cff-")}
        out = json.dumps({"path": self.path, "method": self.command, "body": body, "cff": cff}).encode()
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Set-Cookie", "a=1")
        self.send_header("Set-Cookie", "b=2")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)
    do_GET = do_POST = answer

print("listening", flush=True)
HTTPServer(("127.0.0.1", 8000), Handler).serve_forever()
"#;

#[tokio::test]
async fn an_http_function_gets_requests_on_port_8000() {
    if crate::local::interpreter::no_python_here() {
        return;
    }
    let _turn = PORT_8000.lock().await;
    let dir = function_dir(&[
        // A start command as the service's console writes it, not executable.
        (
            "bootstrap",
            "/opt/function/runtime/python3.10/rtsp/python/bin/python3 -u $RUNTIME_CODE_ROOT/server.py\n",
        ),
        ("server.py", HTTP_SERVER),
        ("function.toml", "runtime = \"http\"\nname = \"web\"\n"),
    ]);
    let mut instance = start(&dir).await;
    let event = r#"{"path":"/hello","httpMethod":"POST","queryStringParameters":{"q":"1"},
        "headers":{"content-type":"application/json"},"body":"eyJrIjoidiJ9","isBase64Encoded":true}"#;
    let r = invoke(&mut instance, event).await;
    assert!(!r.function_error, "{}", text(&r));
    let wrapped = json(&r);
    assert_eq!(wrapped["statusCode"], 201);
    assert_eq!(wrapped["isBase64Encoded"], true);
    assert_eq!(
        wrapped["headers"]["Content-Type"],
        serde_json::json!(["application/json"])
    );
    assert_eq!(
        wrapped["headers"]["Set-Cookie"],
        serde_json::json!(["a=1", "b=2"])
    );
    use base64::Engine as _;
    let body = base64::engine::general_purpose::STANDARD
        .decode(wrapped["body"].as_str().unwrap())
        .unwrap();
    let seen: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(seen["path"], "/hello?q=1");
    assert_eq!(seen["method"], "POST");
    assert_eq!(seen["body"], r#"{"k":"v"}"#);
    let cff = &seen["cff"];
    assert_eq!(cff["x-cff-request-id"], r.request_id.as_str());
    assert_eq!(cff["x-cff-memory"], "128");
    assert_eq!(cff["x-cff-timeout"], "3");
    assert_eq!(cff["x-cff-func-version"], "latest");
    assert_eq!(cff["x-cff-func-name"], "web");
    assert_eq!(cff["x-cff-project-id"], "proj0");
    assert_eq!(cff["x-cff-package"], "default");
    assert_eq!(cff["x-cff-region"], "local-1");
    assert!(r.log.contains("listening\n"), "{}", r.log);

    // A second instance cannot start while this one holds the port.
    let e = Instance::start(&load(&dir), &StartOptions::default())
        .await
        .err()
        .expect("port 8000 is busy");
    assert!(matches!(e, LocalError::Setup(_)));
    assert_eq!(
        e.to_string(),
        "port 8000 is in use; only one HTTP function can run at a time"
    );
    stop(instance).await;
}

#[tokio::test]
async fn to_response_reads_back_through_the_api_parser() {
    if crate::local::interpreter::no_python_here() {
        return;
    }
    let dir = function_dir(&[(
        "index.py",
        "def handler(event, context):\n    print('hi')\n    if event.get('fail'): raise KeyError('k')\n    return {'ok': 1}\n",
    )]);
    let mut instance = start(&dir).await;
    let reply = invoke(&mut instance, "{}").await;
    let response = reply.to_response(true);
    assert_eq!(response.status, 200);
    assert_eq!(response.header("Content-Type"), Some("application/json"));
    assert_eq!(
        response.header("X-Request-Id"),
        Some(reply.request_id.as_str())
    );
    let body: Value = serde_json::from_slice(&response.body).unwrap();
    assert_eq!(body["status"], 200);
    let parsed = crate::api::Invocation::from_response(&response);
    assert_eq!(parsed.result, reply.result);
    assert_eq!(
        parsed.request_id.as_deref(),
        Some(reply.request_id.as_str())
    );
    assert_eq!(parsed.log.as_deref(), Some(reply.log.as_str()));
    assert!(!parsed.function_error);
    assert_eq!(parsed.error_code.as_deref(), Some("0"));
    assert_eq!(parsed.status, Some(200));
    let summary = &parsed.summary;
    assert_eq!(summary.billing_duration_ms, Some(reply.billed_ms as f64));
    assert_eq!(summary.memory_size_mb, Some(128.0));
    let duration = summary.duration_ms.unwrap();
    assert!(
        (duration - reply.duration.as_secs_f64() * 1000.0).abs() < 0.001,
        "{duration}"
    );
    assert!((summary.memory_used_mb.unwrap() - reply.memory_used_mb).abs() < 0.001);
    assert!(summary.other.is_empty(), "{:?}", summary.other);

    let failed = invoke(&mut instance, r#"{"fail":true}"#).await;
    let response = failed.to_response(false);
    let parsed = crate::api::Invocation::from_response(&response);
    assert!(parsed.function_error);
    assert_eq!(parsed.error_code.as_deref(), Some("4002"));
    assert_eq!(parsed.status, Some(500));
    assert_eq!(parsed.log, None);
    assert_eq!(parsed.result, failed.result);
    stop(instance).await;
}

fn pool_of(dir: &TempDir, max_instances: usize, queue: usize) -> Pool {
    Pool::new(
        load(dir),
        Overrides::default(),
        Interpreters::default(),
        PoolOptions {
            max_instances,
            queue,
            reload: true,
            start: StartOptions::default(),
            ..PoolOptions::default()
        },
    )
}

#[tokio::test]
async fn the_pool_runs_calls_in_parallel_queues_and_refuses_when_full() {
    if crate::local::interpreter::no_python_here() {
        return;
    }
    let code = "import os, time\ndef handler(event, context):\n    time.sleep(event.get('sleep', 0))\n    return os.getpid()\n";
    let dir = function_dir(&[("index.py", code)]);
    let pool = pool_of(&dir, 2, 1);
    let slow = || {
        let pool = pool.clone();
        async move { pool.invoke(call(r#"{"sleep":0.3}"#)).await }
    };
    let (a, b, c) = tokio::join!(slow(), slow(), async {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let queued = pool.invoke(call("{}"));
        let refused = async {
            tokio::time::sleep(Duration::from_millis(50)).await;
            pool.invoke(call("{}")).await
        };
        tokio::join!(queued, refused)
    });
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_ne!(text(&a), text(&b), "two instances ran the two slow calls");
    let (queued, refused) = c;
    assert!(!queued.unwrap().function_error);
    assert!(
        matches!(refused, Err(LocalError::Busy { queue: 1 })),
        "{refused:?}"
    );
    let groups = pool.live_groups();
    assert_eq!(groups.len(), 2);
    pool.shutdown().await;
    for pid in groups {
        assert_gone(pid).await;
    }
    assert!(matches!(
        pool.invoke(call("{}")).await,
        Err(LocalError::Machine(_))
    ));
}

#[tokio::test]
async fn the_pool_replaces_a_timed_out_instance_and_reloads_changed_code() {
    if crate::local::interpreter::no_python_here() {
        return;
    }
    let dir = function_dir(&[(
        "index.py",
        "import os, time\ndef handler(event, context):\n    time.sleep(event.get('sleep', 0))\n    return 'v1'\n",
    )]);
    let pool = pool_of(&dir, 1, 4);
    let first = pool.invoke(call("{}")).await.unwrap();
    assert_eq!(text(&first), "v1");
    let old = pool.live_groups();
    let timed_out = pool.invoke(call(r#"{"sleep":10}"#)).await.unwrap();
    assert_eq!(timed_out.error_code, 4010);
    assert_gone(old[0]).await;
    assert!(pool.live_groups().is_empty());
    assert_eq!(text(&pool.invoke(call("{}")).await.unwrap()), "v1");
    let warm = pool.live_groups();

    std::fs::write(
        dir.path().join("index.py"),
        "def handler(event, context):\n    return 'version two'\n",
    )
    .unwrap();
    tokio::time::sleep(Duration::from_millis(250)).await;
    assert_eq!(text(&pool.invoke(call("{}")).await.unwrap()), "version two");
    assert_gone(warm[0]).await;
    let groups = pool.live_groups();
    pool.shutdown().await;
    for pid in groups {
        assert_gone(pid).await;
    }
}

#[tokio::test]
async fn a_module_that_raises_while_loading_makes_every_call_a_function_error() {
    if crate::local::interpreter::no_python_here() {
        return;
    }
    let dir = function_dir(&[(
        "index.py",
        "import missing_dependency_xyz\ndef handler(event, context):\n    return 1\n",
    )]);
    let mut instance = start(&dir).await;
    for _ in 0..2 {
        let r = invoke(&mut instance, "{}").await;
        assert_eq!((r.function_error, r.error_code), (true, 4001));
        let e = json(&r);
        assert_eq!(e["errorType"], "ModuleNotFoundError");
        assert!(
            e["errorMessage"]
                .as_str()
                .unwrap()
                .starts_with("function entry exception, error: ")
        );
    }
    stop(instance).await;
}

#[tokio::test]
async fn a_late_node_exception_fails_the_call_in_progress() {
    let code = "exports.handler = (event, context, callback) => { setTimeout(() => { throw new Error('late'); }, 5); };\n";
    let dir = function_dir(&[("index.js", code)]);
    let mut instance = start(&dir).await;
    let r = invoke(&mut instance, "{}").await;
    assert_eq!(r.error_code, 4002);
    assert_eq!(
        json(&r)["errorMessage"],
        "function invocation exception, error: late"
    );
    stop(instance).await;
}

#[tokio::test]
async fn a_process_that_exits_mid_call_is_4204_and_the_pool_starts_another() {
    if crate::local::interpreter::no_python_here() {
        return;
    }
    let code = "import os\ndef handler(event, context):\n    if event.get('exit'): os._exit(3)\n    return os.getpid()\n";
    let dir = function_dir(&[("index.py", code)]);
    let pool = pool_of(&dir, 1, 1);
    let first = pool.invoke(call("{}")).await.unwrap();
    let r = pool.invoke(call(r#"{"exit":true}"#)).await.unwrap();
    assert_eq!(
        (r.function_error, r.error_code, r.retire),
        (true, 4204, true)
    );
    assert!(
        json(&r)["errorMessage"]
            .as_str()
            .unwrap()
            .contains("exit status: 3"),
        "{}",
        text(&r)
    );
    let again = pool.invoke(call("{}")).await.unwrap();
    assert_ne!(text(&first), text(&again), "a new process");

    // An instance that died between calls is replaced before the call, not failed.
    let pid: u32 = text(&again).parse().unwrap();
    platform::kill_id(pid);
    tokio::time::sleep(Duration::from_millis(50)).await;
    let after = pool.invoke(call("{}")).await.unwrap();
    assert!(!after.function_error, "{}", text(&after));
    let groups = pool.live_groups();
    pool.shutdown().await;
    for pid in groups {
        assert_gone(pid).await;
    }
}

// Unix only: a `bootstrap` runs through bash, which Windows (Wine here) lacks.
#[cfg(unix)]
#[tokio::test]
async fn a_custom_bootstrap_that_exits_is_4204() {
    let dir = function_dir(&[("bootstrap", "#!/bin/sh\necho going away\nexit 7\n")]);
    let mut instance = start(&dir).await;
    let r = invoke(&mut instance, "{}").await;
    assert_eq!(
        (r.function_error, r.error_code, r.retire),
        (true, 4204, true)
    );
    assert!(r.log.contains("going away\n"), "{}", r.log);
    assert!(
        r.log.contains("runtime process exited (exit status: 7)"),
        "{}",
        r.log
    );
}

#[tokio::test]
async fn debug_mode() {
    if crate::local::interpreter::no_python_here() {
        return;
    }
    let dir = function_dir(&[("index.py", "def handler(event, context):\n    return 1\n")]);
    let function = load(&dir);
    let debug = StartOptions {
        debug_port: Some(0),
        ..StartOptions::default()
    };
    let debugpy = std::process::Command::new(function.interpreter.as_ref().unwrap().path.as_path())
        .args(["-c", "import debugpy"])
        .output()
        .unwrap()
        .status
        .success();
    if !debugpy {
        let e = Instance::start(&function, &debug)
            .await
            .err()
            .expect("debugpy is missing");
        assert!(matches!(e, LocalError::Setup(_)), "{e}");
        assert!(e.hint().unwrap().contains("pip install debugpy"), "{e:?}");
    }

    let dir = function_dir(&[("index.js", "exports.handler = (event, context) => 1;\n")]);
    let instance = Instance::start(&load(&dir), &debug).await.unwrap();
    let addr = instance.debug_address().expect("an address to print");
    assert!(addr.ip().is_loopback() && addr.port() != 0);
    // The inspector listens; the worker waits for a debugger before loading anything.
    let mut listening = false;
    for _ in 0..200 {
        if tokio::net::TcpStream::connect(addr).await.is_ok() {
            listening = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(listening, "nothing listens on {addr}");
    stop(instance).await;

    let dir = function_dir(&[("bootstrap", "#!/bin/sh\n")]);
    let e = Instance::start(&load(&dir), &debug)
        .await
        .err()
        .expect("no debug mode for Custom");
    assert!(e.to_string().contains("debug mode"), "{e}");
}

#[tokio::test]
async fn the_log_tail_is_also_in_the_function_log_header() {
    if crate::local::interpreter::no_python_here() {
        return;
    }
    let dir = function_dir(&[(
        "index.py",
        "def handler(event, context):\n    print('x' * 5000)\n    return 'ok'\n",
    )]);
    let mut instance = start(&dir).await;
    let reply = invoke(&mut instance, "{}").await;
    let response = reply.to_response(true);
    use base64::Engine as _;
    let header = response.header("X-Cff-Function-Log").unwrap();
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(header)
        .unwrap();
    assert_eq!(decoded.len(), 2000);
    assert!(reply.log.ends_with(std::str::from_utf8(&decoded).unwrap()));
    let body: Value = serde_json::from_slice(&response.body).unwrap();
    assert_eq!(body["log"].as_str().unwrap().len(), 4096);
    assert!(
        reply
            .to_response(false)
            .header("X-Cff-Function-Log")
            .is_none()
    );
    stop(instance).await;
}

#[tokio::test]
async fn large_events_reach_both_workers_intact() {
    if crate::local::interpreter::no_python_here() {
        return;
    }
    let big = format!("{{\"data\":\"{}\"}}", "é".repeat(2 * 1024 * 1024));
    for (file, code) in [
        (
            "index.py",
            "def handler(event, context):\n    return str(len(event['data']))\n",
        ),
        (
            "index.js",
            "exports.handler = (event, context) => String(event.data.length);\n",
        ),
    ] {
        let dir = function_dir(&[(file, code), ("function.toml", "memory_size = 512\n")]);
        let mut instance = start(&dir).await;
        for _ in 0..2 {
            let r = invoke(&mut instance, &big).await;
            assert_eq!(text(&r), (2 * 1024 * 1024).to_string(), "{file}");
            assert_eq!(text(&invoke(&mut instance, "{\"data\":\"ab\"}").await), "2");
        }
        stop(instance).await;
    }
}
