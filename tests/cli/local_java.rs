//! Java functions in local mode (`invoke --local`, `serve`): the example built by its
//! script, events read Gson-style, results, the context, the logger, exceptions with their
//! stack trace, the initializer, the timeout, memory and warm instances.
//!
//! The handlers are `tests/fixtures/java/fixture/*.java`, compiled once per test run with
//! the JDK's `javac` against the Context interfaces fgs's launcher provides; the launcher
//! itself is compiled once into a cache shared by these tests.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use serde_json::Value;
use tempfile::TempDir;

use crate::common::*;
use crate::local::{example, function_dir};
use crate::serve::Served;

const GSON: &str = "/usr/share/java/gson.jar";

/// True, after saying why, without a JDK and Debian's Gson (see `lacks_toolchain`).
fn no_java_here() -> bool {
    lacks_toolchain("JDK", &["java", "javac"], &[GSON])
}

/// A place under cargo's target directory for what every test here shares.
fn shared_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join(name)
}

/// The home whose cache holds the compiled launcher, for every test here.
fn cache_home() -> PathBuf {
    shared_dir("java-home")
}

/// The fixture handlers, compiled once.
fn fixture_classes() -> &'static Path {
    static CLASSES: OnceLock<PathBuf> = OnceLock::new();
    CLASSES.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let out = shared_dir("java-fixtures");
        let _ = std::fs::remove_dir_all(&out);
        let sources: Vec<PathBuf> = std::fs::read_dir(root.join("tests/fixtures/java/fixture"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        let status = Command::new("javac")
            .args([
                "-encoding",
                "UTF-8",
                "-nowarn",
                "-implicit:none",
                "-cp",
                GSON,
            ])
            .arg("-sourcepath")
            .arg(root.join("src/local/runtime/java"))
            .arg("-d")
            .arg(&out)
            .args(&sources)
            .status()
            .expect("running javac");
        assert!(status.success(), "the fixtures did not compile");
        out
    })
}

/// A Java function directory running `handler` from the fixtures, with more of
/// function.toml in `toml`.
fn java_function(home: &TempDir, name: &str, handler: &str, toml: &str) -> PathBuf {
    let toml = format!(
        "runtime = \"Java17\"\nhandler = \"{handler}\"\nclasspath = [{:?}]\n{toml}",
        fixture_classes().display().to_string()
    );
    function_dir(home, name, &[("function.toml", &toml)])
}

/// `fgs` with the shared launcher cache.
fn fgs() -> Fgs {
    let mut cmd = Fgs::new();
    cmd.cache_of(&cache_home());
    cmd
}

/// One call of `dir` with `-o json`: the run and its document.
fn call(dir: &Path, data: &str) -> (Run, Value) {
    let out = fgs()
        .args(["invoke", "--local"])
        .arg(dir)
        .args(["-d", data, "-o", "json"])
        .run();
    let doc = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("not one JSON document ({e}): {}{}", out.stdout, out.stderr));
    (out, doc)
}

/// One call of `dir` with `-o raw`: the result as the function returned it.
fn raw(dir: &Path, data: &str) -> String {
    let out = fgs()
        .args(["invoke", "--local"])
        .arg(dir)
        .args(["-d", data, "-o", "raw"])
        .run();
    out.code(0);
    out.stdout.trim_end_matches('\n').to_string()
}

#[test]
fn the_example_builds_with_its_script_and_runs_with_its_event() {
    if no_java_here() || cfg!(windows) {
        return; // the build script is bash
    }
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("hello-java");
    let example = example("hello-java");
    let status = Command::new(example.join("build.sh"))
        .arg(&dir)
        .status()
        .expect("running build.sh");
    assert!(status.success());
    for file in ["function.toml", "event.json"] {
        std::fs::copy(example.join(file), dir.join(file)).unwrap();
    }
    let out = fgs()
        .args(["invoke", "--local"])
        .arg(&dir)
        .arg("-d")
        .arg(format!("@{}", dir.join("event.json").display()))
        .args(["-o", "json"])
        .run();
    out.code(0);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(doc["result"]["body"], "Hello, fgs!", "{doc}");
    assert_eq!(doc["result"]["statusCode"], 200, "{doc}");
    let log = doc["log"].as_str().unwrap();
    assert!(log.contains(" INFO greeting fgs\n"), "{log}");
    assert_eq!(doc["summary"]["memory_size_mb"], 256, "{doc}");
}

#[test]
fn events_are_read_gson_style_and_results_returned_as_the_service_does() {
    if no_java_here() {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let f = |name: &str| java_function(&home, name, &format!("fixture.Handlers.{name}"), "");
    let text = f("text");
    assert_eq!(raw(&text, r#"{"a": 1}"#), r#"text:{"a": 1}"#);
    assert_eq!(raw(&text, r#""just this""#), "text:just this");
    assert_eq!(
        raw(&f("json"), r#"{"name":"fgs","list":[1,2,3]}"#),
        "json:fgs:3"
    );
    assert_eq!(
        raw(&f("map"), r#"{"n":2,"a":"x"}"#),
        r#"{"keys":["a","n"],"n":2.0}"#
    );
    // A POJO in and out; the JSON is compact and not HTML-escaped.
    assert_eq!(
        raw(&f("pojo"), r#"{"name":"Ann","age":30}"#),
        r#"{"greeting":"Hello, Ann!","nextAge":31,"tags":["a<b=c"]}"#
    );
    assert_eq!(raw(&f("number"), "{}"), "42");
    assert_eq!(raw(&f("nothing"), "{}"), "");
}

#[test]
fn the_context_and_the_runtime_variables() {
    if no_java_here() {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let dir = java_function(
        &home,
        "ctx",
        "fixture.Handlers.context",
        "memory_size = 256\ntimeout = 5\n[environment]\nGREETING = \"Hi\"\n",
    );
    let (out, doc) = call(&dir, "{}");
    out.code(0);
    let r = &doc["result"];
    assert_eq!(r["requestId"], doc["request_id"], "{doc}");
    assert_eq!(r["functionName"], "ctx");
    assert_eq!(r["package"], "default");
    assert_eq!(r["version"], "latest");
    assert_eq!(
        (r["memory"].as_f64(), r["cpu"].as_f64()),
        (Some(256.0), Some(400.0))
    );
    assert_eq!(r["timeout"].as_f64(), Some(5.0));
    let remaining = r["remaining"].as_f64().unwrap();
    assert!(remaining > 0.0 && remaining <= 5000.0, "{remaining}");
    assert_eq!(r["greeting"], "Hi");
    assert_eq!(r["missing"], "null");
    assert_eq!(r["envGreeting"], "Hi");
    assert_eq!(r["runtimeHandler"], "fixture.Handlers.context");
    assert_eq!(r["runtimeMemory"], "256");
    let dir_text = std::fs::canonicalize(&dir).unwrap().display().to_string();
    assert_eq!(r["codeRoot"], dir_text.as_str());
    assert_eq!(r["cwd"], dir_text.as_str());

    // Java's defaults are the service's: 512 MB and 15 s.
    let dir = java_function(&home, "defaults", "fixture.Handlers.context", "");
    let (out, doc) = call(&dir, "{}");
    out.code(0);
    assert_eq!(doc["result"]["memory"].as_f64(), Some(512.0), "{doc}");
    assert_eq!(doc["result"]["timeout"].as_f64(), Some(15.0), "{doc}");
}

#[test]
fn the_logger_and_the_output_are_in_the_framed_log() {
    if no_java_here() {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let dir = java_function(&home, "logs", "fixture.Handlers.logs", "");
    let (out, doc) = call(&dir, "{}");
    out.code(0);
    assert_eq!(doc["result"], "logged");
    let id = doc["request_id"].as_str().unwrap();
    let log = doc["log"].as_str().unwrap();
    let lines: Vec<&str> = log.lines().collect();
    assert!(
        lines[0].contains(&format!("Start invoke request '{id}'")),
        "{log}"
    );
    assert!(
        lines.last().unwrap().contains("Finish invoke request"),
        "{log}"
    );
    for expected in [
        format!("{id} INFO an info line"),
        format!("{id} DEBUG a shown debug line"),
        format!("{id} WARN a warning"),
        format!("{id} INFO a log line"),
    ] {
        assert!(
            lines
                .iter()
                .any(|l| l.ends_with(&expected) && l.len() == expected.len() + 21),
            "{expected:?} in {log}"
        );
    }
    assert!(!log.contains("hidden"), "{log}");
    assert!(
        lines.contains(&"plain stdout") && lines.contains(&"plain stderr"),
        "{log}"
    );

    // A handler written against the OTC edition of the Context.
    let dir = java_function(&home, "otc", "fixture.Otc.handle", "");
    let (out, doc) = call(&dir, r#"{"name":"fgs"}"#);
    out.code(0);
    assert_eq!(doc["result"], "otc:fgs", "{doc}");
    assert!(
        doc["log"].as_str().unwrap().contains(" INFO otc logger\n"),
        "{doc}"
    );
}

#[test]
fn an_exception_comes_back_in_the_services_shape_with_its_stack_trace() {
    if no_java_here() {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let dir = java_function(&home, "fails", "fixture.Handlers.fails", "");
    let (out, doc) = call(&dir, "{}");
    out.code(1);
    assert_eq!(doc["error_code"], "4002", "{doc}");
    let result = &doc["result"];
    assert_eq!(result["errorType"], "java.lang.IllegalStateException");
    assert_eq!(
        result["errorMessage"],
        "function invocation exception, error: broken on purpose"
    );
    let stack: Vec<&str> = result["stackTrace"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(
        stack[0],
        "Caused by: java.lang.IllegalStateException: broken on purpose"
    );
    assert!(
        stack[1].starts_with("at fixture.Handlers.deeper(Handlers.java:"),
        "{stack:?}"
    );
    assert!(
        stack[2].starts_with("at fixture.Handlers.fails(Handlers.java:"),
        "{stack:?}"
    );
    let last = stack.last().unwrap();
    assert!(
        last.starts_with("... ") && last.ends_with(" more"),
        "{stack:?}"
    );
    out.stderr_contains("java.lang.IllegalStateException");
    // As the runtime prints it: two spaces of indentation.
    let text = raw_failure(&dir);
    assert!(text.starts_with("{\n  \"errorMessage\": "), "{text}");
    assert!(
        text.contains("\n  \"stackTrace\": [\n    \"Caused by: "),
        "{text}"
    );

    // A class whose static initializer throws: every call is a load error.
    let dir = java_function(&home, "static", "fixture.BadStatic.handler", "");
    let (out, doc) = call(&dir, "{}");
    out.code(1);
    assert_eq!(doc["error_code"], "4001", "{doc}");
    assert_eq!(
        doc["result"]["errorType"],
        "java.lang.NumberFormatException"
    );
    assert!(
        doc["result"]["errorMessage"]
            .as_str()
            .unwrap()
            .starts_with("function entry exception, error: For input string"),
        "{doc}"
    );
}

/// The result of a failing call as printed with `-o raw --no-fail`.
fn raw_failure(dir: &Path) -> String {
    let out = fgs()
        .args(["invoke", "--local"])
        .arg(dir)
        .args(["-o", "raw", "--no-fail"])
        .run();
    out.code(0);
    out.stdout.trim_end_matches('\n').to_string()
}

#[test]
fn a_missing_class_or_method_and_bad_settings_are_exit_2() {
    if no_java_here() {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let dir = java_function(&home, "noclass", "fixture.Nope.handler", "");
    let out = fgs().args(["invoke", "--local"]).arg(&dir).run();
    out.code(2)
        .stderr_contains("class fixture.Nope")
        .stderr_contains("package.Class.method");
    let dir = java_function(&home, "nomethod", "fixture.Handlers.oneArgument", "");
    let out = fgs().args(["invoke", "--local"]).arg(&dir).run();
    out.code(2)
        .stderr_contains("has no public method oneArgument(EVENT, Context)")
        .stderr_contains("oneArgument(Object)");
    for (toml, needle) in [
        ("runtime = \"Java17\"\n", "handler"),
        (
            "runtime = \"Java17\"\nhandler = \"NoMethod\"\n",
            "package.Class.method",
        ),
        (
            "runtime = \"Java17\"\nhandler = \"a.B.c\"\n",
            "a jar, or the handler's class file a/B.class",
        ),
        ("runtime = \"Java9\"\nhandler = \"a.B.c\"\n", "Java21"),
        (
            "runtime = \"Java17\"\nhandler = \"a.B.c\"\nclasspath = [\"missing.jar\"]\n",
            "classpath",
        ),
    ] {
        let dir = function_dir(&home, "bad", &[("function.toml", toml)]);
        let out = fgs().args(["invoke", "--local"]).arg(&dir).run();
        out.code(2)
            .stderr_contains(needle)
            .stderr_contains("function.toml");
    }
    // No JDK: exit 2, saying what to install.
    let dir = java_function(&home, "nojdk", "fixture.Handlers.text", "");
    fgs()
        .args(["invoke", "--local"])
        .arg(&dir)
        .env("PATH", "")
        .env_remove("JAVA_HOME")
        .run()
        .code(2)
        .stderr_contains("java was not found")
        .stderr_contains("install a JDK");
}

#[test]
fn the_initializer_runs_once_per_instance_and_its_failure_is_4009() {
    if no_java_here() {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let dir = java_function(
        &home,
        "init",
        "fixture.Handlers.counted",
        "initializer = \"fixture.Handlers.init\"\n",
    );
    let out = fgs()
        .args(["invoke", "--local"])
        .arg(&dir)
        .args(["--repeat", "3", "--concurrency", "1", "-o", "raw"])
        .run();
    out.code(0);
    let last: Value = serde_json::from_str(out.stdout.lines().last().unwrap()).unwrap();
    assert_eq!(
        (last["inits"].as_i64(), last["calls"].as_i64()),
        (Some(1), Some(3))
    );

    let dir = java_function(
        &home,
        "badinit",
        "fixture.Handlers.counted",
        "initializer = \"fixture.Handlers.badInit\"\n",
    );
    let (out, doc) = call(&dir, "{}");
    out.code(1);
    assert_eq!(doc["error_code"], "4009", "{doc}");
    assert_eq!(
        doc["result"]["errorMessage"],
        "function initialization exception, error: the initializer failed"
    );
    assert_eq!(
        doc["result"]["errorType"],
        "java.lang.IllegalArgumentException"
    );
}

#[test]
fn warm_calls_pay_the_jvm_start_once_and_it_is_not_billed() {
    if no_java_here() {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let dir = java_function(&home, "warm", "fixture.Handlers.counted", "");
    let out = fgs()
        .args(["invoke", "--local"])
        .arg(&dir)
        .args(["--repeat", "5", "--concurrency", "1", "-o", "json"])
        .run();
    out.code(0);
    let docs: Vec<Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(docs.len(), 5);
    let first = &docs[0]["result"];
    for (calls, doc) in (1..).zip(&docs) {
        assert_eq!(doc["result"]["calls"].as_i64(), Some(calls), "{doc}");
        assert_eq!(doc["result"]["jvmStart"], first["jvmStart"], "{doc}");
        assert_eq!(doc["result"]["instance"], first["instance"], "{doc}");
    }
    // The first call's duration is the handler's: less than the JVM's age when it ran,
    // which the duration would include had the JVM's start been counted.
    let duration = docs[0]["summary"]["duration_ms"].as_f64().unwrap();
    let uptime = first["uptimeMs"].as_f64().unwrap();
    assert!(
        duration < uptime,
        "duration {duration} ms, JVM up {uptime} ms"
    );
}

#[test]
fn the_timeout_is_4010_and_memory_over_the_limit_is_4205() {
    if no_java_here() {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let dir = java_function(&home, "slow", "fixture.Handlers.sleeps", "timeout = 3\n");
    let started = std::time::Instant::now();
    let (out, doc) = call(&dir, "{}");
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    out.code(1);
    assert_eq!(doc["error_code"], "4010", "{doc}");
    assert_eq!(
        doc["result"],
        serde_json::json!({"errorMessage": "call invoke timeout 3s", "errorType": "InvokeTimeout"}),
        "{doc}"
    );
    assert!(doc["log"].as_str().unwrap().contains("timeout"), "{doc}");

    let dir = java_function(&home, "hog", "fixture.Handlers.hog", "memory_size = 128\n");
    let (out, doc) = call(&dir, "{}");
    out.code(1);
    assert_eq!(doc["error_code"], "4205", "{doc}");
    assert!(
        doc["result"].to_string().contains("memory limit exceeded"),
        "{doc}"
    );
}

#[test]
fn serve_runs_java_functions_warm() {
    if no_java_here() {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let dir = java_function(&home, "served", "fixture.Handlers.counted", "");
    let cache = cache_home().join("xdg-cache");
    let cache = cache.to_str().unwrap();
    let served = Served::start_with(&[&dir], &[], &[("XDG_CACHE_HOME", cache)]);
    let urn = format!("urn:fss:cn-north-4:{PROJECT}:function:default:served:latest");
    let mut results = Vec::new();
    for _ in 0..3 {
        let out = Fgs::new()
            .args([
                "invoke",
                &urn,
                "--endpoint",
                &served.endpoint(),
                "--token",
                TOKEN,
            ])
            .args(["-d", "{}", "-o", "raw"])
            .run();
        out.code(0);
        results.push(serde_json::from_str::<Value>(out.stdout.trim()).unwrap());
    }
    assert_eq!(results[2]["calls"].as_i64(), Some(3), "{results:?}");
    assert_eq!(results[0]["instance"], results[2]["instance"]);
    let (out, doc) = {
        let out = Fgs::new()
            .args([
                "invoke",
                &urn,
                "--endpoint",
                &served.endpoint(),
                "--token",
                TOKEN,
            ])
            .args(["-d", "{}", "-o", "json"])
            .run();
        let doc: Value = serde_json::from_str(&out.stdout).unwrap();
        (out, doc)
    };
    out.code(0);
    assert!(
        doc["log"]
            .as_str()
            .unwrap()
            .contains("Finish invoke request"),
        "{doc}"
    );
    drop(served);

    // An exception through the server: the code and the error document, stack trace and
    // all, are the ones a local run gives.
    let failing = java_function(&home, "fails", "fixture.Handlers.fails", "");
    let (_, local) = call(&failing, "{}");
    let served = Served::start_with(&[&failing], &[], &[("XDG_CACHE_HOME", cache)]);
    let urn = format!("urn:fss:cn-north-4:{PROJECT}:function:default:fails:latest");
    let out = Fgs::new()
        .args([
            "invoke",
            &urn,
            "--endpoint",
            &served.endpoint(),
            "--token",
            TOKEN,
        ])
        .args(["-d", "{}", "-o", "json"])
        .run();
    out.code(1);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(doc["error_code"], "4002", "{doc}");
    assert_eq!(doc["result"], local["result"], "{doc}");
    assert_eq!(
        doc["result"]["errorType"], "java.lang.IllegalStateException",
        "{doc}"
    );
}

/// `--debug`: the JVM waits, suspended, for a JDWP debugger on the port; a debugger that
/// shakes hands and resumes the VM (what `jdb -attach` does first) lets the call finish.
#[test]
fn debug_mode_holds_the_jvm_for_a_jdwp_debugger() {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::time::{Duration, Instant};
    if no_java_here() {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let dir = java_function(&home, "debugged", "fixture.Handlers.number", "");
    // The launcher compiled (and cached) first, so the wait below is for the debugger only.
    assert_eq!(raw(&dir, "{}"), "42");
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let (mut cmd, _home) = fgs_process();
    cmd.env("XDG_CACHE_HOME", cache_home().join("xdg-cache"));
    // Stopped and reaped however the test ends: a JVM held for a debugger never ends alone.
    let mut child = Stopped(
        cmd.args(["invoke", "--local"])
            .arg(&dir)
            .args(["-d", "{}", "-o", "raw"])
            .arg(format!("--debug={port}"))
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let mut stderr = BufReader::new(child.0.stderr.take().unwrap());
    let mut said = String::new();
    while !said.contains("jdb -attach") {
        assert!(stderr.read_line(&mut said).unwrap() > 0, "{said}");
    }
    assert!(
        said.contains(&format!("waiting for a debugger on 127.0.0.1:{port}")),
        "{said}"
    );
    assert!(
        said.contains(&format!("jdb -attach 127.0.0.1:{port}")),
        "{said}"
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut jdwp = loop {
        if let Ok(stream) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            break stream;
        }
        assert!(Instant::now() < deadline, "no JDWP agent on {port}: {said}");
        std::thread::sleep(Duration::from_millis(50));
    };
    jdwp.set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    jdwp.write_all(b"JDWP-Handshake").unwrap();
    let mut hello = [0u8; 14];
    jdwp.read_exact(&mut hello).unwrap();
    assert_eq!(&hello, b"JDWP-Handshake");
    // Nothing ran yet: the VM is suspended until a debugger resumes it.
    std::thread::sleep(Duration::from_millis(300));
    assert!(child.0.try_wait().unwrap().is_none(), "fgs did not wait");
    // VirtualMachine.Resume: length 11, id 1, flags 0, command set 1, command 9.
    jdwp.write_all(&[0, 0, 0, 11, 0, 0, 0, 1, 0, 1, 9]).unwrap();
    let mut stdout = String::new();
    child
        .0
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .unwrap();
    let status = child.0.wait().unwrap();
    assert!(status.success(), "{status:?}");
    assert_eq!(stdout.trim(), "42");
}
