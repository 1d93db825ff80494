//! `fgs pull`: a deployed function written to a directory, against loopback stand-ins that
//! answer as §11 of the API notes describes (a zip body, JSON with base64 zip bytes, an OBS
//! link, an inline function), and against `fgs serve`, whose pulled directory then runs.

use std::io::Write;
use std::path::Path;

use base64::Engine;
use httpmock::{Method::GET, Mock, MockServer};
use serde_json::{Value, json};
use sha2::Digest;

use crate::common::*;

/// A plain environment value and an encrypted one: neither may show in any output.
const PLAIN_SECRET: &str = "SENTINEL-plain-value-7";
const ENCRYPTED_SECRET: &str = "SENTINEL-encrypted-value-9";

fn urn(name: &str) -> String {
    format!("urn:fss:{REGION}:{PROJECT}:function:default:{name}")
}

fn function_path(name: &str, tail: &str) -> String {
    format!("/v2/{PROJECT}/fgs/functions/{}:latest{tail}", urn(name))
}

/// A configuration as GET …/config gives it (§10.3, §11.2), with what a local run lacks.
fn config(code_type: &str) -> Value {
    json!({
        "func_urn": format!("{}:latest", urn("hello")),
        "func_name": "hello",
        "package": "default",
        "runtime": "Python3.9",
        "handler": "index.handler",
        "memory_size": 256,
        "timeout": 30,
        "initializer_handler": "index.init",
        "initializer_timeout": 20,
        "code_type": code_type,
        "user_data": format!("{{\"GREETING\":\"hi \\\"there\\\"\",\"API_KEY\":\"{PLAIN_SECRET}\",\"RUNTIME_PROJECT_ID\":\"p\"}}"),
        "encrypted_user_data": format!("{{\"DB_PASSWORD\":\"{ENCRYPTED_SECRET}\"}}"),
        "depend_version_list": ["dep-1"],
        "dependencies": [{"name": "numpy-layer", "id": "dep-1"}],
        "func_vpc": {"vpc_id": "vpc-1", "subnet_id": "sub-1"},
        "xrole": "fgs-agency",
        "mount_config": {"func_mounts": [{"mount_type": "sfsTurbo", "local_mount_path": "/mnt/data"}]},
    })
}

/// A zip of `files` (name, text, executable).
fn zip_of(files: &[(&str, &str, bool)]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, text, executable) in files {
        let options = zip::write::SimpleFileOptions::default().unix_permissions(if *executable {
            0o755
        } else {
            0o644
        });
        writer.start_file(*name, options).unwrap();
        writer.write_all(text.as_bytes()).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

const HANDLER: &str =
    "def init(context):\n    pass\n\ndef handler(event, context):\n    return {\"echo\": event}\n";

fn code_zip() -> Vec<u8> {
    zip_of(&[
        ("index.py", HANDLER, false),
        ("lib/util.py", "X = 1\n", false),
        ("bin/tool", "#!/bin/sh\necho tool\n", true),
    ])
}

/// The stand-in's answers for the configuration and the saved events; the export is each
/// test's own.
fn stand_in<'a>(server: &'a MockServer, config: &Value) -> Vec<Mock<'a>> {
    let events = json!({"events": [
        {"id": "e-1", "name": "order-created", "last_modified": 1_597_374_286},
        {"id": "e-2", "name": "plain", "last_modified": 1_597_374_286},
        {"id": "e-3", "name": "../escape", "last_modified": 1_597_374_286},
    ], "next_marker": 3, "count": 3});
    let base64 = base64::engine::general_purpose::STANDARD;
    vec![
        server.mock(|when, then| {
            when.method(GET).path(function_path("hello", "/config"));
            then.status(200).json_body(config.clone());
        }),
        server.mock(|when, then| {
            when.method(GET).path(format!(
                "/v2/{PROJECT}/fgs/functions/{}/events",
                urn("hello")
            ));
            then.status(200).json_body(events);
        }),
        // The newer documents: base64 of the JSON text.
        server.mock(|when, then| {
            when.method(GET).path(format!(
                "/v2/{PROJECT}/fgs/functions/{}/events/e-1",
                urn("hello")
            ));
            then.status(200)
                .json_body(json!({"id": "e-1", "name": "order-created",
                "content": base64.encode(r#"{"order": 42}"#)}));
        }),
        // The older ones: the JSON text itself.
        server.mock(|when, then| {
            when.method(GET).path(format!(
                "/v2/{PROJECT}/fgs/functions/{}/events/e-2",
                urn("hello")
            ));
            then.status(200)
                .json_body(json!({"id": "e-2", "name": "plain", "content": "{\"k\": \"v\"}"}));
        }),
        server.mock(|when, then| {
            when.method(GET).path(format!(
                "/v2/{PROJECT}/fgs/functions/{}/events/e-3",
                urn("hello")
            ));
            then.status(200)
                .json_body(json!({"id": "e-3", "name": "../escape", "content": "{}"}));
        }),
    ]
}

fn export(server: &MockServer, respond: impl FnOnce(httpmock::Then)) -> Mock<'_> {
    server.mock(|when, then| {
        when.method(GET)
            .path(function_path("hello", "/export"))
            .query_param("type", "code")
            .header("X-Auth-Token", TOKEN);
        respond(then);
    })
}

fn pull_args(server: &MockServer, dir: &Path) -> Vec<String> {
    vec![
        "pull".into(),
        "hello".into(),
        dir.display().to_string(),
        "--token".into(),
        TOKEN.into(),
        "--endpoint".into(),
        server.base_url(),
        "--region".into(),
        REGION.into(),
        "--project-id".into(),
        PROJECT.into(),
    ]
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn assert_no_secret(r: &Run) {
    for secret in [PLAIN_SECRET, ENCRYPTED_SECRET, TOKEN] {
        r.stdout_lacks(secret);
        r.stderr_lacks(secret);
    }
}

#[test]
fn a_zip_export_becomes_a_function_directory() {
    let server = MockServer::start();
    let mocks = stand_in(&server, &config("zip"));
    let zip = code_zip();
    let export = export(&server, |then| {
        then.status(200)
            .header("Content-Type", "application/zip")
            .body(zip);
    });
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("hello");
    let r = Fgs::new().args(pull_args(&server, &dir)).run();
    r.code(0);
    r.stdout("");
    export.assert_calls(1);
    mocks[0].assert_calls(1);
    assert_eq!(read(&dir.join("index.py")), HANDLER);
    assert_eq!(read(&dir.join("lib/util.py")), "X = 1\n");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &str| std::fs::metadata(dir.join(p)).unwrap().permissions().mode();
        assert_ne!(mode("bin/tool") & 0o111, 0, "the execute bit is kept");
        assert_eq!(mode(".env") & 0o777, 0o600, ".env is private");
    }
    let toml: toml::Table = read(&dir.join("function.toml")).parse().unwrap();
    assert_eq!(toml["name"].as_str(), Some("hello"));
    assert_eq!(toml["runtime"].as_str(), Some("Python3.9"));
    assert_eq!(toml["handler"].as_str(), Some("index.handler"));
    assert_eq!(toml["memory_size"].as_integer(), Some(256));
    assert_eq!(toml["timeout"].as_integer(), Some(30));
    assert_eq!(toml["initializer"].as_str(), Some("index.init"));
    assert_eq!(toml["initializer_timeout"].as_integer(), Some(20));
    let env = read(&dir.join(".env"));
    assert!(env.contains("GREETING=\"hi \\\"there\\\"\"\n"), "{env}");
    assert!(
        env.contains(&format!("API_KEY=\"{PLAIN_SECRET}\"\n")),
        "{env}"
    );
    assert!(
        !env.contains("DB_PASSWORD") && !env.contains(ENCRYPTED_SECRET),
        "{env}"
    );
    assert_eq!(
        read(&dir.join("events/order-created.json")),
        "{\"order\": 42}\n"
    );
    assert_eq!(read(&dir.join("events/plain.json")), "{\"k\": \"v\"}\n");
    assert!(!work.path().join("escape.json").exists());
    assert_eq!(std::fs::read_dir(dir.join("events")).unwrap().count(), 2);
    r.stderr_contains("pulled hello into");
    r.stderr_contains("encrypted environment variables left out of .env: DB_PASSWORD");
    r.stderr_contains("saved event `../escape` left out");
    r.stderr_contains(
        "not reproduced on this machine: variable RUNTIME_PROJECT_ID (a name .env cannot hold, or one the service presets); layers (1: numpy-layer); VPC access; agency fgs-agency (xrole); file system mounts (1)",
    );
    // A name the service presets stays out of .env, which `--env-file` would refuse.
    assert!(!env.contains("RUNTIME_PROJECT_ID"), "{env}");
    r.stderr_contains(format!(
        "run it: fgs invoke --local {} --env-file {}",
        dir.display(),
        dir.join(".env").display()
    ));
    assert_no_secret(&r);
}

#[test]
fn a_json_export_with_base64_bytes_is_checked_and_unpacked() {
    let server = MockServer::start();
    stand_in(&server, &config("zip"));
    let zip = code_zip();
    let encoded = base64::engine::general_purpose::STANDARD.encode(&zip);
    let digest = hex::encode(sha2::Sha512::digest(&zip));
    export(&server, |then| {
        then.status(200).json_body(json!({
            "file_name": "hello.zip",
            "func_code": {"file": encoded, "link": ""},
            "code_size": zip.len(),
            "digest": digest,
        }));
    });
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("out");
    let r = Fgs::new()
        .args(pull_args(&server, &dir))
        .args(["-o", "json"])
        .run();
    r.code(0);
    assert_eq!(read(&dir.join("index.py")), HANDLER);
    let document: Value = serde_json::from_str(&r.stdout).expect("one JSON document");
    assert_eq!(document["code"]["files"], 3);
    assert_eq!(document["env"]["plain"], json!(["API_KEY", "GREETING"]));
    assert_eq!(
        document["env"]["encrypted_left_out"],
        json!(["DB_PASSWORD"])
    );
    assert_eq!(document["events"], json!(["order-created", "plain"]));
    assert_eq!(document["function_urn"], format!("{}:latest", urn("hello")));
    assert_no_secret(&r);
}

#[test]
fn a_package_whose_size_or_digest_differs_is_refused_and_nothing_written() {
    let zip = code_zip();
    let encoded = base64::engine::general_purpose::STANDARD.encode(&zip);
    let wrong_digest = hex::encode(sha2::Sha512::digest(b"something else"));
    let bad_answers = [
        json!({"file": encoded, "code_size": zip.len() + 1}),
        json!({"file": encoded, "digest": wrong_digest}),
    ];
    for answer in bad_answers {
        let server = MockServer::start();
        stand_in(&server, &config("zip"));
        export(&server, |then| {
            then.status(200).json_body(answer);
        });
        let work = tempfile::tempdir().unwrap();
        let dir = work.path().join("out");
        let r = Fgs::new().args(pull_args(&server, &dir)).run();
        r.code(5);
        r.stderr_contains("is damaged");
        assert!(!dir.exists(), "nothing is written");
    }
    // A zip body with a Content-Digest that does not match.
    let server = MockServer::start();
    stand_in(&server, &config("zip"));
    let wrong = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(b"x"));
    export(&server, |then| {
        then.status(200)
            .header("Content-Digest", format!("sha-256=:{wrong}:"))
            .body(zip.clone());
    });
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("out");
    let r = Fgs::new().args(pull_args(&server, &dir)).run();
    r.code(5);
    r.stderr_contains("SHA-256");
    assert!(!dir.exists());
}

#[test]
fn an_archive_that_escapes_is_refused_whole() {
    for evil in [
        "../outside.py",
        "/tmp/fgs-absolute-escape.py",
        "a/../../outside.py",
    ] {
        let server = MockServer::start();
        stand_in(&server, &config("zip"));
        let zip = zip_of(&[
            ("index.py", HANDLER, false),
            (evil, "owned = True\n", false),
        ]);
        export(&server, |then| {
            then.status(200).body(zip);
        });
        let work = tempfile::tempdir().unwrap();
        let dir = work.path().join("hello");
        let r = Fgs::new().args(pull_args(&server, &dir)).run();
        r.code(5);
        r.stderr_contains("would land outside the directory");
        assert!(!work.path().join("outside.py").exists(), "{evil}");
        assert!(!Path::new("/tmp/fgs-absolute-escape.py").exists(), "{evil}");
        assert!(
            !dir.join("index.py").exists(),
            "{evil}: nothing is unpacked"
        );
    }
}

#[test]
fn an_obs_link_writes_everything_else_and_exits_4() {
    let server = MockServer::start();
    stand_in(&server, &config("obs"));
    export(&server, |then| {
        then.status(200).json_body(json!({"func_code": {"file": "", "link": "https://bucket.obs.cn-north-4.example/hello.zip?AccessKeyId=AKLINK&Signature=SIGLINK"}}));
    });
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("hello");
    let r = Fgs::new().args(pull_args(&server, &dir)).run();
    r.code(4);
    r.stderr_contains(
        "error: the service gave the code only as a link: https://bucket.obs.cn-north-4.example/hello.zip; everything else is in",
    );
    r.stderr_contains("hint: the package needs OBS access");
    r.stderr_lacks("AKLINK");
    r.stderr_lacks("SIGLINK");
    assert!(dir.join("function.toml").exists());
    assert!(dir.join(".env").exists());
    assert!(dir.join("events/plain.json").exists());
    assert!(!dir.join("index.py").exists());
    assert_no_secret(&r);
}

#[test]
fn a_link_on_the_services_endpoint_is_followed() {
    let server = MockServer::start();
    stand_in(&server, &config("zip"));
    let link = format!("{}/download/hello.zip", server.base_url());
    export(&server, |then| {
        then.status(200).json_body(json!({"link": link}));
    });
    let zip = code_zip();
    let download = server.mock(|when, then| {
        when.method(GET)
            .path("/download/hello.zip")
            .header("X-Auth-Token", TOKEN);
        then.status(200).body(zip);
    });
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("hello");
    Fgs::new().args(pull_args(&server, &dir)).run().code(0);
    download.assert_calls(1);
    assert_eq!(read(&dir.join("index.py")), HANDLER);
}

#[test]
fn an_inline_function_comes_from_get_code() {
    let server = MockServer::start();
    stand_in(&server, &config("inline"));
    let source = "def handler(event, context):\n    return 'inline'\n";
    let code = server.mock(|when, then| {
        when.method(GET).path(function_path("hello", "/code"));
        then.status(200).json_body(json!({
            "code_type": "inline",
            "func_code": {"file": base64::engine::general_purpose::STANDARD.encode(source), "link": ""},
        }));
    });
    let export = export(&server, |then| {
        then.status(500);
    });
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("hello");
    Fgs::new().args(pull_args(&server, &dir)).run().code(0);
    code.assert_calls(1);
    export.assert_calls(0);
    assert_eq!(read(&dir.join("index.py")), source);
}

#[test]
fn a_directory_that_is_not_empty_needs_force() {
    let server = MockServer::start();
    let mocks = stand_in(&server, &config("zip"));
    let zip = code_zip();
    export(&server, |then| {
        then.status(200).body(zip);
    });
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("hello");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("index.py"), "mine").unwrap();
    let r = Fgs::new().args(pull_args(&server, &dir)).run();
    r.code(2);
    r.stderr_contains("is not empty: give another DIR, or --force");
    mocks[0].assert_calls(0);
    assert_eq!(read(&dir.join("index.py")), "mine");
    Fgs::new()
        .args(pull_args(&server, &dir))
        .arg("--force")
        .run()
        .code(0);
    assert_eq!(read(&dir.join("index.py")), HANDLER);
}

#[test]
fn dir_defaults_to_the_functions_name() {
    let server = MockServer::start();
    stand_in(&server, &config("zip"));
    let zip = code_zip();
    export(&server, |then| {
        then.status(200).body(zip);
    });
    let work = tempfile::tempdir().unwrap();
    let mut args = pull_args(&server, work.path());
    args.remove(2);
    Fgs::new().current_dir(work.path()).args(args).run().code(0);
    assert_eq!(read(&work.path().join("hello/index.py")), HANDLER);
}

/// The loop with no account: `fgs serve` a function, `fgs pull` it, run what was pulled.
#[test]
fn pull_from_fgs_serve_then_invoke_the_pulled_directory() {
    if no_python_here() {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let src = work.path().join("greeter");
    std::fs::create_dir_all(src.join("lib")).unwrap();
    std::fs::write(
        src.join("index.py"),
        "import os\nfrom lib import words\n\ndef handler(event, context):\n    return {'greeting': os.environ['GREETING'] + ', ' + event.get('name', words.WHO)}\n",
    )
    .unwrap();
    std::fs::write(src.join("lib/__init__.py"), "").unwrap();
    std::fs::write(src.join("lib/words.py"), "WHO = 'world'\n").unwrap();
    // .env stays on this machine: it is not in the package.
    std::fs::write(src.join(".env"), "LOCAL_ONLY=SENTINEL-local-dotenv\n").unwrap();
    std::fs::write(
        src.join("function.toml"),
        "runtime = \"Python3.10\"\ntimeout = 10\nmemory_size = 256\n[environment]\nGREETING = \"hello\"\n",
    )
    .unwrap();
    let served = crate::serve::Served::start(&[&src], &[]);
    let endpoint = format!("http://{}", served.addr);
    let dir = work.path().join("pulled");
    let r = Fgs::new()
        .args(["pull", "greeter"])
        .arg(&dir)
        .args(["--endpoint", &endpoint, "--token", "local"])
        .args(["--region", "local", "--project-id", "local"])
        .run();
    r.code(0);
    assert_eq!(read(&dir.join("lib/words.py")), "WHO = 'world'\n");
    assert!(!dir.join("events").exists());
    assert_eq!(
        read(&dir.join(".env")),
        "# Written by fgs pull: the function's plain environment variables\nGREETING=\"hello\"\n"
    );
    let toml: toml::Table = read(&dir.join("function.toml")).parse().unwrap();
    assert_eq!(toml["runtime"].as_str(), Some("Python3.10"));
    assert_eq!(toml["memory_size"].as_integer(), Some(256));
    let env_file = dir.join(".env");
    let invoked = Fgs::new()
        .arg("invoke")
        .arg("--local")
        .arg(&dir)
        .arg("--env-file")
        .arg(&env_file)
        .args(["-d", r#"{"name":"fgs"}"#, "-o", "raw"])
        .run();
    invoked.code(0);
    invoked.stdout("{\"greeting\": \"hello, fgs\"}\n");
}

/// No token, key, secret key or environment value shows, with `-v` and `-o json`, whether
/// a token or a signing key pair authorises the calls.
#[test]
fn no_secret_shows_with_verbose_json_or_a_key_pair() {
    use crate::auth::{AK, SK};
    let server = MockServer::start();
    let _mocks = stand_in(&server, &config("zip"));
    // Any authorisation: the token, or a signature by the key pair.
    server.mock(|when, then| {
        when.method(GET)
            .path(function_path("hello", "/export"))
            .query_param("type", "code");
        then.status(200)
            .header("Content-Type", "application/zip")
            .body(code_zip());
    });
    let mut outputs = Vec::new();
    for signed in [false, true] {
        let work = tempfile::tempdir().unwrap();
        let mut args = pull_args(&server, &work.path().join("hello"));
        let mut cmd = Fgs::new();
        if signed {
            let at = args.iter().position(|a| a == "--token").unwrap();
            args.drain(at..at + 2);
            cmd.env("HUAWEICLOUD_SDK_AK", AK)
                .env("HUAWEICLOUD_SDK_SK", SK);
        }
        let r = cmd.args(args).args(["-v", "-o", "json"]).run();
        r.code(0);
        r.stderr_contains(if signed {
            "> Authorization: "
        } else {
            "> X-Auth-Token: ***"
        });
        outputs.push((format!("pull -v -o json, signed: {signed}"), r));
    }
    assert_no_sentinel(&outputs, &[TOKEN, AK, SK, PLAIN_SECRET, ENCRYPTED_SECRET]);
}
