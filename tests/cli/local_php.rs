//! PHP functions (`PHP7.3`, `PHP8.3`) with `fgs invoke --local` and `fgs serve`: the example,
//! the context and `RUNTIME_*` variables, the logger in the framed log, the initializer,
//! errors and their codes, the timeout, the memory limit, warm instances, and the checks
//! on the interpreter.

use std::path::Path;

use serde_json::{Value, json};

use crate::common::*;
use crate::local::{example, function_dir};
use crate::serve::Served;

/// For tests that run PHP: true, after saying why, without `php` (see `lacks_toolchain`).
fn no_php_here() -> bool {
    lacks_toolchain("PHP", &["php"], &[])
}

/// The local PHP's `major.minor`.
fn php_release() -> String {
    let out = std::process::Command::new("php")
        .args(["-r", "echo PHP_MAJOR_VERSION, '.', PHP_MINOR_VERSION;"])
        .output()
        .expect("running php");
    String::from_utf8(out.stdout).unwrap()
}

/// One local call with `-o json` and `extra` arguments: what fgs printed, and the document.
fn local_json(cmd: &mut Fgs, dir: &Path, extra: &[&str]) -> (Run, Value) {
    let out = cmd
        .args(["invoke", "--local"])
        .arg(dir)
        .args(["-o", "json"])
        .args(extra)
        .run();
    let doc = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("not one JSON document ({e}): {}", out.stdout));
    (out, doc)
}

/// Each line of `-o json` output of several calls.
fn json_lines(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

#[test]
fn the_php_example_runs_locally_and_through_serve() {
    if no_php_here() {
        return;
    }
    let dir = example("hello-php");
    let event = dir.join("event.json");
    let mut cmd = Fgs::new();
    let (out, doc) = local_json(&mut cmd, &dir, &["-d", &format!("@{}", event.display())]);
    out.code(0);
    assert_eq!(doc["function_error"], false, "{doc}");
    assert_eq!(doc["error_code"], "0");
    assert_eq!(doc["result"]["body"], "Hello, fgs!", "{doc}");
    assert_eq!(doc["result"]["statusCode"], 200);
    assert_eq!(
        doc["function_urn"],
        "urn:fss:local:local:function:default:hello-php:latest"
    );
    let id = doc["request_id"].as_str().unwrap();
    let log = doc["log"].as_str().unwrap();
    assert!(
        log.contains(&format!("Start invoke request '{id}', version: latest")),
        "{log}"
    );
    assert!(log.contains(&format!(" {id} INFO greeting fgs\n")), "{log}");
    assert!(
        log.contains(&format!("Finish invoke request '{id}', duration: ")),
        "{log}"
    );
    assert!(log.contains("billing memory: 128MB"), "{log}");
    out.stderr_lacks("warning");

    // The same function behind `fgs serve`, one call and a batch on its warm instance.
    let served = Served::start(&[dir.as_path()], &[]);
    let urn = format!("urn:fss:{REGION}:{PROJECT}:function:default:hello-php:latest");
    let serve_args = ["--endpoint", &served.endpoint(), "--token", TOKEN];
    let out = Fgs::new()
        .args(["invoke", &urn])
        .args(serve_args)
        .args(["-d", r#"{"name":"serve"}"#, "-o", "json"])
        .run();
    out.code(0);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(doc["result"]["body"], "Hello, serve!", "{doc}");
    assert!(
        doc["log"]
            .as_str()
            .unwrap()
            .contains(" INFO greeting serve"),
        "{doc}"
    );
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let batch = write_file(
        &home.path().join("names.ndjson"),
        "{\"name\":\"a\"}\n{\"name\":\"b\"}\n{\"name\":\"c\"}\n",
    );
    let out = cmd
        .args(["invoke", &urn])
        .args(serve_args)
        .arg("--batch")
        .arg(&batch)
        .args(["--concurrency", "1", "-o", "raw"])
        .run();
    out.code(0);
    let bodies: Vec<String> = json_lines(&out.stdout)
        .iter()
        .map(|r| r["body"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(bodies, ["Hello, a!", "Hello, b!", "Hello, c!"]);
    assert!(served.stderr().contains("hello-php"), "{}", served.stderr());
}

/// The context object, the logger and the `RUNTIME_*` variables, through the binary; the
/// initializer once per warm instance, and --repeat on that one instance.
#[test]
fn the_context_logger_environment_and_initializer_in_php() {
    if no_php_here() {
        return;
    }
    let code = r#"<?php
$calls = [];
function init($context) {
    global $calls;
    $calls[] = 'init';
    echo "initialised\n";
}
function handler($event, $context) {
    global $calls;
    $calls[] = 'call';
    $log = $context->getLogger();
    $log->info('from the logger');
    $log->debug('not shown at INFO');
    $log->warn('careful %s', 'there');
    $log->error('failed:', 42);
    $log->setLevel('DEBUG');
    $log->debug('shown at DEBUG');
    $log->setLevel('INFO');
    echo "plain output\n";
    return [
        'request_id' => $context->getRequestID(), 'remaining' => $context->getRemainingTimeInMilliSeconds(),
        'name' => $context->getFunctionName(), 'package' => $context->getPackage(), 'version' => $context->getVersion(),
        'alias' => $context->getAlias(), 'memory' => $context->getMemorySize(), 'cpu' => $context->getCPUNumber(),
        'timeout' => $context->getRunningTimeInSeconds(), 'project' => $context->getProjectID(),
        'user' => $context->getUserData('COLOUR'), 'missing' => $context->getUserData('NOPE'),
        'token' => $context->getToken(), 'ak' => $context->getAccessKey(), 'sk' => $context->getSecretKey(),
        'sak' => $context->getSecurityAccessKey(), 'ssk' => $context->getSecuritySecretKey(), 'st' => $context->getSecurityToken(),
        'env_code_root' => getenv('RUNTIME_CODE_ROOT'), 'env_userdata' => getenv('RUNTIME_USERDATA'),
        'env_handler' => getenv('RUNTIME_HANDLER'), 'env_memory' => getenv('RUNTIME_MEMORY'),
        'env_colour' => getenv('COLOUR'), 'cwd' => getcwd(), 'pid' => getmypid(), 'calls' => $calls,
        'event' => $event,
    ];
}
"#;
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
            ("index.php", code),
        ],
    );
    let out = cmd
        .args(["invoke", "--local"])
        .arg(&dir)
        .args(["--alias", "prod", "--repeat", "3", "--concurrency", "1"])
        .args(["-d", r#"{"n":1,"list":[1,2]}"#, "-o", "json"])
        .run();
    out.code(0);
    let docs = json_lines(&out.stdout);
    assert_eq!(docs.len(), 3);
    let first = &docs[0]["result"];
    let dir = std::fs::canonicalize(&dir).unwrap().display().to_string();
    let dir = dir.strip_prefix(r"\\?\").unwrap_or(&dir).to_string();
    assert_eq!(first["request_id"], docs[0]["request_id"]);
    assert_eq!(first["name"], "ctx");
    assert_eq!(first["package"], "tools");
    assert_eq!(first["version"], "latest");
    assert_eq!(first["alias"], "prod");
    assert_eq!(first["memory"], 256);
    assert_eq!(first["timeout"], 5);
    assert_eq!(first["cpu"], 400);
    assert_eq!(first["project"], "local");
    assert_eq!(first["user"], "blue");
    assert_eq!(first["missing"], Value::Null);
    for key in ["token", "ak", "sk", "sak", "ssk", "st"] {
        assert_eq!(first[key], "", "{key}");
    }
    let remaining = first["remaining"].as_i64().unwrap();
    assert!(remaining > 0 && remaining <= 5000, "{remaining}");
    assert_eq!(first["env_code_root"], dir.as_str());
    assert_eq!(first["cwd"], dir.as_str());
    assert_eq!(first["env_handler"], "index.handler");
    assert_eq!(first["env_memory"], "256");
    assert_eq!(first["env_colour"], "blue");
    let userdata: Value = serde_json::from_str(first["env_userdata"].as_str().unwrap()).unwrap();
    assert_eq!(userdata, json!({"COLOUR": "blue"}));
    // The event is the JSON body as an associative array.
    assert_eq!(first["event"], json!({"n": 1, "list": [1, 2]}));
    // The initializer ran once, before the first call, on the one warm instance.
    assert_eq!(first["calls"], json!(["init", "call"]));
    assert_eq!(
        docs[2]["result"]["calls"],
        json!(["init", "call", "call", "call"])
    );
    assert!(docs.iter().all(|d| d["result"]["pid"] == first["pid"]));
    assert_ne!(docs[0]["request_id"], docs[1]["request_id"]);
    check_the_logs(&docs);
}

/// The framed logs of [`the_context_logger_environment_and_initializer_in_php`]'s calls.
fn check_the_logs(docs: &[Value]) {
    // The framed log: the initializer's output in the first call's, the logger's lines with
    // time, request id and level, plain output as it is; debug only at DEBUG.
    let id = docs[0]["request_id"].as_str().unwrap();
    let log = docs[0]["log"].as_str().unwrap();
    let lines: Vec<&str> = log.lines().collect();
    assert!(lines[0].ends_with(&format!("Start invoke request '{id}', version: latest")));
    assert!(log.contains("initialised\n"), "{log}");
    for line in [
        format!(" {id} INFO from the logger"),
        format!(" {id} WARN careful there"),
        format!(" {id} ERROR failed: 42"),
        format!(" {id} DEBUG shown at DEBUG"),
    ] {
        let found = lines.iter().find(|l| l.ends_with(&line));
        let found = found.unwrap_or_else(|| panic!("no line {line:?} in {log}"));
        // <UTC time> <request id> <LEVEL> <message>
        assert_eq!(
            found.len(),
            "2024-01-01T00:00:00Z".len() + line.len(),
            "{found}"
        );
        assert!(
            found.ends_with(&line) && found.as_bytes()[19] == b'Z',
            "{found}"
        );
    }
    assert!(!log.contains("not shown at INFO"), "{log}");
    assert!(log.contains("\nplain output\n"), "{log}");
    assert!(
        lines
            .last()
            .unwrap()
            .contains(&format!("Finish invoke request '{id}'")),
        "{log}"
    );
    let second = docs[1]["log"].as_str().unwrap();
    assert!(!second.contains("initialised"), "{second}");
}

#[test]
fn a_php_exception_is_function_error_4002_with_the_service_shape() {
    if no_php_here() {
        return;
    }
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let dir = function_dir(
        &home,
        "boom",
        &[(
            "index.php",
            "<?php\nfunction fail($what) {\n    throw new InvalidArgumentException(\"boom: $what\");\n}\nfunction handler($event, $context) {\n    echo \"before\\n\";\n    fail('x');\n}\n",
        )],
    );
    let (out, doc) = local_json(&mut cmd, &dir, &[]);
    out.code(1);
    assert_eq!(doc["function_error"], true);
    assert_eq!(doc["error_code"], "4002");
    assert_eq!(
        doc["result"],
        json!({
            "errorMessage": "function invocation exception, error: boom: x",
            "errorType": "InvalidArgumentException",
            "stackTrace": ["./index.php(3)", "./index.php(7): fail()"],
        })
    );
    assert!(doc["log"].as_str().unwrap().contains("\nbefore\n"), "{doc}");
    out.stderr_contains(
        "error: the function raised InvalidArgumentException: function invocation exception, error: boom: x (error code 4002)",
    );
    // --no-fail: the same answer, exit 0.
    Fgs::new()
        .args(["invoke", "--local"])
        .arg(&dir)
        .arg("--no-fail")
        .run()
        .code(0);
    // Through `fgs serve`: the same error and code.
    let served = Served::start(&[dir.as_path()], &[]);
    let out = Fgs::new()
        .args([
            "invoke",
            &format!("urn:fss:{REGION}:{PROJECT}:function:default:boom:latest"),
            "--endpoint",
            &served.endpoint(),
            "--token",
            TOKEN,
            "-o",
            "json",
        ])
        .run();
    out.code(1);
    let served_doc: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(served_doc["error_code"], "4002", "{served_doc}");
    assert_eq!(served_doc["result"], doc["result"]);
}

/// A fatal error answers its call with 4002 and ends the instance; the next call gets a
/// fresh one, which stays warm.
#[test]
fn a_php_fatal_error_fails_its_call_and_the_next_gets_a_new_instance() {
    if no_php_here() {
        return;
    }
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let dir = function_dir(
        &home,
        "fatal",
        &[(
            "index.php",
            "<?php\n$calls = 0;\nfunction handler($event, $context) {\n    global $calls;\n    $calls++;\n    if (!empty($event['fatal'])) {\n        trigger_error('cannot go on', E_USER_ERROR);\n    }\n    return ['pid' => getmypid(), 'calls' => $calls];\n}\n",
        )],
    );
    let batch = write_file(
        &home.path().join("events.ndjson"),
        "{\"fatal\":true}\n{\"fatal\":false}\n{\"fatal\":false}\n",
    );
    let out = cmd
        .args(["invoke", "--local"])
        .arg(&dir)
        .arg("--batch")
        .arg(&batch)
        .args(["--concurrency", "1", "-o", "json"])
        .run();
    out.code(1);
    let docs = json_lines(&out.stdout);
    assert_eq!(docs.len(), 3, "{}", out.stdout);
    assert_eq!(docs[0]["error_code"], "4002", "{}", docs[0]);
    assert_eq!(
        docs[0]["result"],
        json!({
            "errorMessage": "function invocation exception, error: cannot go on",
            "errorType": "UserError",
            "stackTrace": ["./index.php(7)"],
        })
    );
    assert!(
        docs[0]["log"].as_str().unwrap().contains("cannot go on"),
        "{}",
        docs[0]
    );
    assert_eq!(docs[1]["result"]["calls"], 1, "{}", docs[1]);
    assert_eq!(docs[2]["result"]["calls"], 2, "{}", docs[2]);
    assert_eq!(docs[1]["result"]["pid"], docs[2]["result"]["pid"]);
}

#[test]
fn php_load_errors_a_missing_handler_and_a_failed_initializer() {
    if no_php_here() {
        return;
    }
    // The handler's function is missing: exit 2, naming what the file defines.
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let dir = function_dir(
        &home,
        "missing",
        &[(
            "index.php",
            "<?php\nfunction main_handler($event, $context) { return 1; }\nfunction helper() {}\n",
        )],
    );
    let out = cmd.args(["invoke", "--local"]).arg(&dir).run();
    out.code(2);
    out.stderr_contains(
        "./index.php has no function handler (handler index.handler); its functions: helper, main_handler",
    );
    out.stderr_contains("hint: ");

    // A syntax error: every call is a function entry exception, 4001.
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let dir = function_dir(
        &home,
        "syntax",
        &[(
            "index.php",
            "<?php\nfunction handler($event, $context) {\n    return 1 +;\n}\n",
        )],
    );
    let (out, doc) = local_json(&mut cmd, &dir, &[]);
    out.code(1);
    assert_eq!(doc["error_code"], "4001", "{doc}");
    assert_eq!(doc["result"]["errorType"], "ParseError", "{doc}");
    let message = doc["result"]["errorMessage"].as_str().unwrap();
    assert!(
        message.starts_with("function entry exception, error: syntax error"),
        "{message}"
    );
    assert_eq!(doc["result"]["stackTrace"], json!(["./index.php(3)"]));

    // The initializer throws: 4009, and the handler never runs.
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let dir = function_dir(
        &home,
        "init",
        &[
            ("function.toml", "initializer = \"index.init\"\n"),
            (
                "index.php",
                "<?php\nfunction init($context) { throw new RuntimeException('no database'); }\nfunction handler($event, $context) { echo \"handler ran\\n\"; return 1; }\n",
            ),
        ],
    );
    let (out, doc) = local_json(&mut cmd, &dir, &[]);
    out.code(1);
    assert_eq!(doc["error_code"], "4009", "{doc}");
    assert_eq!(
        doc["result"]["errorMessage"],
        "function initialization exception, error: no database"
    );
    assert_eq!(doc["result"]["errorType"], "RuntimeException");
    assert!(
        !doc["log"].as_str().unwrap().contains("handler ran"),
        "{doc}"
    );
}

#[test]
fn a_php_timeout_is_4010_and_too_much_memory_is_4205() {
    if no_php_here() {
        return;
    }
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let dir = function_dir(
        &home,
        "slow",
        &[
            ("function.toml", "timeout = 3\n"),
            (
                "index.php",
                "<?php\nfunction handler($event, $context) { echo \"sleeping\\n\"; sleep(20); return 1; }\n",
            ),
        ],
    );
    let started = std::time::Instant::now();
    let (out, doc) = local_json(&mut cmd, &dir, &[]);
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    out.code(1);
    assert_eq!(doc["error_code"], "4010", "{doc}");
    assert_eq!(
        doc["result"],
        json!({"errorMessage": "call invoke timeout 3s", "errorType": "InvokeTimeout"})
    );
    let log = doc["log"].as_str().unwrap();
    assert!(
        log.contains("sleeping\n") && log.contains("timeout"),
        "{log}"
    );

    let mut cmd = Fgs::new();
    let home = cmd.home();
    let dir = function_dir(
        &home,
        "hungry",
        &[
            ("function.toml", "memory_size = 128\n"),
            (
                "index.php",
                "<?php\nfunction handler($event, $context) {\n    $blocks = [];\n    for ($i = 0; $i < 16; $i++) { $blocks[] = str_repeat(chr(65 + $i), 16 * 1024 * 1024); }\n    usleep(500000);\n    return count($blocks);\n}\n",
            ),
        ],
    );
    let (out, doc) = local_json(&mut cmd, &dir, &[]);
    out.code(1);
    assert_eq!(doc["error_code"], "4205", "{doc}");
    assert!(
        doc["result"].to_string().contains("memory limit exceeded"),
        "{doc}"
    );
}

#[test]
fn php_results_become_the_result_string_as_the_service_sends_them() {
    if no_php_here() {
        return;
    }
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let dir = function_dir(
        &home,
        "results",
        &[(
            "index.php",
            "<?php\nfunction handler($event, $context) {\n    switch ($event['kind']) {\n        case 'null': return null;\n        case 'string': return 'plain text';\n        case 'int': return 42;\n        case 'list': return [1, 'two'];\n        case 'object': return ['a' => ['b' => true]];\n        default: return \"\\xff\\xfe\";\n    }\n}\n",
        )],
    );
    for (kind, expected) in [
        ("null", ""),
        ("string", "plain text"),
        ("int", "42"),
        ("list", r#"[1,"two"]"#),
        ("object", r#"{"a":{"b":true}}"#),
    ] {
        let out = Fgs::new()
            .args(["invoke", "--local"])
            .arg(&dir)
            .args(["-d", &format!(r#"{{"kind":"{kind}"}}"#), "-o", "raw"])
            .run();
        out.code(0);
        assert_eq!(out.stdout.trim_end_matches('\n'), expected, "{kind}");
    }
    // A string is sent as it is, bytes and all; an array that JSON cannot hold is 4007.
    let (out, doc) = local_json(&mut cmd, &dir, &["-d", r#"{"kind":"bytes"}"#]);
    out.code(0);
    assert_eq!(doc["error_code"], "0", "{doc}");
    let dir2 = function_dir(
        &home,
        "invalid",
        &[(
            "index.php",
            "<?php\nfunction handler($event, $context) { return ['bad' => \"\\xff\"]; }\n",
        )],
    );
    let (out, doc) = local_json(&mut Fgs::new(), &dir2, &[]);
    out.code(1);
    assert_eq!(doc["error_code"], "4007", "{doc}");
    assert_eq!(doc["result"]["errorType"], "JsonException", "{doc}");
    assert!(
        doc["result"]["errorMessage"]
            .as_str()
            .unwrap()
            .starts_with("function result is invalid, error: Malformed UTF-8"),
        "{doc}"
    );
}

/// `runtime = "PHP8.3"` / `"PHP7.3"` run with the local PHP, with a one-line warning when its
/// release differs; `php` comes from PATH, `FGS_PHP` or the config key `php`, and a missing
/// one is exit 2 naming what to install.
#[test]
fn php_runtimes_and_where_php_comes_from() {
    if no_php_here() {
        return;
    }
    let release = php_release();
    for runtime in ["PHP7.3", "PHP8.3"] {
        let mut cmd = Fgs::new();
        let home = cmd.home();
        let dir = function_dir(
            &home,
            "versions",
            &[
                ("function.toml", &format!("runtime = \"{runtime}\"\n")),
                (
                    "index.php",
                    "<?php\nfunction handler($event, $context) { return PHP_VERSION; }\n",
                ),
            ],
        );
        let out = cmd
            .args(["invoke", "--local"])
            .arg(&dir)
            .args(["-o", "raw"])
            .run();
        out.code(0);
        assert!(out.stdout.starts_with(&release), "{}", out.stdout);
        let warnings: Vec<&str> = out
            .stderr
            .lines()
            .filter(|l| l.starts_with("warning: "))
            .collect();
        if runtime == format!("PHP{release}") {
            assert!(warnings.is_empty(), "{}", out.stderr);
        } else {
            assert_eq!(warnings.len(), 1, "{}", out.stderr);
            assert!(
                warnings[0].starts_with(&format!("warning: runtime {runtime} but "))
                    && warnings[0].ends_with("; running with it anyway"),
                "{}",
                warnings[0]
            );
        }
    }

    let files: &[(&str, &str)] = &[(
        "index.php",
        "<?php\nfunction handler($event, $context) { return 'ran'; }\n",
    )];
    // The config key names the interpreter.
    let real = String::from_utf8(
        std::process::Command::new("php")
            .args(["-r", "echo PHP_BINARY;"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let mut cmd = Fgs::new();
    let home = cmd.home();
    write_config(&home, &format!("php = {real:?}\n"));
    let dir = function_dir(&home, "f", files);
    cmd.env("PATH", home.path());
    let out = cmd.args(["invoke", "--local"]).arg(&dir).run();
    out.code(0);
    out.stdout("ran\n");

    // A configured path that is not there.
    let mut cmd = Fgs::new();
    let home = cmd.home();
    write_config(&home, "php = \"/no/such/php\"\n");
    let dir = function_dir(&home, "f", files);
    let out = cmd.args(["invoke", "--local"]).arg(&dir).run();
    out.code(2);
    out.stderr_contains("/no/such/php");
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let dir = function_dir(&home, "f", files);
    cmd.env("FGS_PHP", home.path().join("no-such-php"));
    let out = cmd.args(["invoke", "--local"]).arg(&dir).run();
    out.code(2);
    out.stderr_contains("no-such-php");

    // PHP's own configuration variables reach it: an extra ini directory, say.
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let ini = home.path().join("ini");
    write_file(&ini.join("fgs.ini"), "fgs_marker = from-the-scan-dir\n");
    let dir = function_dir(
        &home,
        "ini",
        &[(
            "index.php",
            "<?php\nfunction handler($event, $context) { return get_cfg_var('fgs_marker'); }\n",
        )],
    );
    cmd.env("PHP_INI_SCAN_DIR", &ini);
    let out = cmd.args(["invoke", "--local"]).arg(&dir).run();
    out.code(0);
    out.stdout("from-the-scan-dir\n");

    // None on PATH: exit 2 naming what to install.
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let dir = function_dir(&home, "f", files);
    cmd.env("PATH", home.path());
    let out = cmd.args(["invoke", "--local"]).arg(&dir).run();
    out.code(2);
    out.stderr_contains("php was not found on PATH");
    out.stderr_contains("php-cli");
}
