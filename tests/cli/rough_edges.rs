//! What issue-17's trials tripped over outside local functions: scripts that assume
//! `target/`, what a new user lacks for the cloud, `-o json` on every failure, escape
//! sequences on a terminal, Ctrl-C's request id, short URLs, the README's placeholders,
//! `config init`, the man pages, `login --help`, `info` against `serve`, progress, completion.

use std::path::Path;
#[cfg(unix)] // only the Unix-only Ctrl-C tests spawn fgs by hand
use std::process::Stdio;
#[cfg(unix)] // only the Unix-only Ctrl-C tests spawn fgs by hand
use std::time::Duration;

use serde_json::Value;

use crate::common::*;

/// The interop script finds the binary where cargo builds it, `CARGO_TARGET_DIR` included.
#[test]
#[cfg(unix)] // the project's scripts are bash, run from a Unix shell
fn the_scripts_ask_cargo_where_the_binary_is() {
    let target = tempfile::tempdir().unwrap();
    let debug = target.path().join("debug");
    std::fs::create_dir_all(&debug).unwrap();
    std::os::unix::fs::symlink(BIN, debug.join("fgs")).unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/fgs-binary.sh");
    let r = Fgs::program("bash")
        .arg(&script)
        .env("CARGO", env!("CARGO"))
        .env("CARGO_TARGET_DIR", target.path())
        .run();
    let found = debug.join("fgs");
    r.code(0).stdout(format!("{}\n", found.display()));
    Fgs::program(found.to_str().unwrap())
        .arg("--version")
        .run()
        .code(0)
        .stdout_starts_with(format!("fgs {VERSION}"));
    let check = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/interop/check-serve.sh"),
    )
    .unwrap();
    assert!(check.contains("scripts/fgs-binary.sh") && !check.contains("target/debug"));
}

/// A new user with nothing set hears everything the cloud needs at once, and where to go.
#[test]
fn everything_missing_for_the_cloud_is_listed_at_once() {
    let r = Fgs::new().args(["invoke", "hello", "-d", "{}"]).run();
    r.code(2)
        .stdout("")
        .stderr_starts_with("error: no project id: give --project-id")
        .stderr_contains("also missing:\n  - no region: give --region")
        .stderr_contains("  - no credentials: export HUAWEICLOUD_SDK_AK")
        .stderr_contains("fgs config init")
        .stderr_contains("fgs invoke --local DIR")
        .stderr_contains("fgs serve DIR");

    // Only the region: no list, still the way forward.
    Fgs::new()
        .args(["invoke", "hello", "--project-id", PROJECT, "--token", TOKEN])
        .run()
        .code(2)
        .stderr_starts_with("error: no region")
        .stderr_lacks("also missing")
        .stderr_contains("fgs config init");

    // `list` takes no URN, so it offers none.
    Fgs::new()
        .args(["list", "--token", TOKEN])
        .run()
        .code(2)
        .stderr_starts_with("error: no project id")
        .stderr_lacks("URN");

    // Credentials alone: the no-account way is named too.
    Fgs::new()
        .args(["invoke", URN])
        .run()
        .code(3)
        .stderr_contains("with no account, run a function on this machine");
}

/// The one JSON document on stdout of a failed `-o json` run.
fn error_document(stdout: &str) -> Value {
    assert_eq!(stdout.lines().count(), 1, "one document: {stdout:?}");
    let document: Value = serde_json::from_str(stdout).unwrap();
    document["error"].clone()
}

/// `-o json` writes the error document for every failure after parsing, once.
#[test]
fn json_output_documents_every_failure() {
    // A bad payload: exit 2, nothing sent.
    let r = Fgs::new()
        .args(["invoke", URN, "--token", TOKEN, "-o", "json", "-d", "{bad"])
        .run();
    r.code(2).stderr_contains("error: the payload from --data");
    let error = error_document(&r.stdout);
    assert_eq!(error["exit_code"], 2);
    assert_eq!(error["function_urn"], URN);
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("not valid JSON")
    );
    assert_eq!(error["http_status"], Value::Null);

    // No credentials: exit 3.
    let r = Fgs::new().args(["invoke", URN, "-o", "json"]).run();
    r.code(3).stderr_starts_with("error: no credentials");
    let error = error_document(&r.stdout);
    assert_eq!(error["exit_code"], 3);
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .starts_with("no credentials")
    );

    // A refusal already has its document: still one.
    let server = httpmock::MockServer::start();
    server.mock(|_, then| {
        then.status(404)
            .header("Content-Type", "application/json")
            .body(r#"{"error_code":"FSS.1051","error_msg":"the function does not exist"}"#);
    });
    let r = Fgs::new()
        .args(invoke_args(&server))
        .args(["-o", "json"])
        .run();
    r.code(4);
    assert_eq!(error_document(&r.stdout)["code"], "FSS.1051");

    // `info -o json` and `list -o json` too (list names no function).
    let r = Fgs::new().args(["info", "hello", "-o", "json"]).run();
    r.code(2);
    assert_eq!(error_document(&r.stdout)["function_urn"], "hello");
    let r = Fgs::new().args(["list", "-o", "json"]).run();
    r.code(2);
    assert_eq!(error_document(&r.stdout)["function_urn"], Value::Null);

    // Without -o json stdout stays empty.
    Fgs::new()
        .args(["invoke", URN, "--token", TOKEN, "-d", "{bad"])
        .run()
        .code(2)
        .stdout("");
}

/// A result with escape sequences: shown escaped in pretty mode on a terminal, exact in a
/// pipe and in raw mode.
// Unix only: runs fgs under `script(1)` for a pseudo-terminal; Windows has no `script`.
#[cfg(unix)]
#[test]
fn a_result_cannot_retitle_the_terminal() {
    let evil = "\u{1b}]0;pwned\u{7}hi \u{1b}[31mred\u{9b}2J";
    let server = httpmock::MockServer::start();
    expect_invocation(&server, &Expect::default(), |then| ok(then, evil));
    let mut args = invoke_args(&server);
    args.extend(["--color".into(), "never".into()]);
    let shown = stdout_on_a_terminal(&args, &[]);
    assert_eq!(shown.code, Some(0), "{}", shown.stdout);
    let terminal = shown.terminal.replace('\r', "");
    assert!(!terminal.contains(ESC), "{terminal:?}");
    assert!(
        !terminal.contains('\u{7}') && !terminal.contains('\u{9b}'),
        "{terminal:?}"
    );
    assert_eq!(terminal, "\\x1b]0;pwned\\u{7}hi \\x1b[31mred\\u{9b}2J\n");

    // A JSON string with a C1 control that JSON leaves raw.
    let server = httpmock::MockServer::start();
    expect_invocation(&server, &Expect::default(), |then| {
        ok(then, "{\"k\":\"a\u{9b}b\"}")
    });
    let mut args = invoke_args(&server);
    args.extend(["--color".into(), "never".into()]);
    let shown = stdout_on_a_terminal(&args, &[]);
    assert_eq!(
        shown.terminal.replace('\r', ""),
        "{\n  \"k\": \"a\\u{9b}b\"\n}\n"
    );

    // In a pipe, pretty or raw, the bytes are the function's.
    for mode in ["raw", "pretty"] {
        let server = httpmock::MockServer::start();
        expect_invocation(&server, &Expect::default(), |then| ok(then, evil));
        Fgs::new()
            .args(invoke_args(&server))
            .args(["-o", mode])
            .run()
            .code(0)
            .stdout(format!("{evil}\n"));
    }
}

/// Ctrl-C after the answer's headers came: the request id they carried is printed.
// Unix only: Ctrl-C is sent with `kill -INT`, which Windows lacks.
#[cfg(unix)]
#[test]
fn ctrl_c_after_the_headers_names_the_request() {
    let endpoint = raw_server(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Cff-Request-Id: req-heard-77\r\nContent-Length: 1000\r\n\r\n{\"request_id\"",
        Duration::from_secs(10),
    );
    let (mut cmd, _home) = fgs_process();
    let child = cmd
        .args([
            "invoke",
            URN,
            "--token",
            TOKEN,
            "--endpoint",
            &endpoint,
            "-d",
            "{}",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let r = Run::from(child.wait_with_output().unwrap());
    r.code(130)
        .stderr_contains("error: interrupted\n  request id: req-heard-77\n")
        .stderr_contains("the function may still be running")
        .stderr_lacks("did not arrive");
}

/// A network failure names the request shortened, as every other error line does.
#[test]
fn a_network_failure_shows_the_short_url() {
    let endpoint = refused_endpoint();
    let port = endpoint.rsplit(':').next().unwrap().to_string();
    Fgs::new()
        .args(["invoke", URN, "--token", TOKEN, "--endpoint", &endpoint, "-d", "{}"])
        .run()
        .code(6)
        .stderr_starts_with(format!(
            "error: could not reach the service\n  caused by: POST 127.0.0.1:{port} …function:default:hello:latest/invocations\n"
        ))
        .stderr_lacks(PROJECT)
        .stderr_lacks("for url");
}

/// A 404 for a function still named like the README's placeholder says so.
#[test]
fn a_404_for_the_readme_placeholder_says_so() {
    let urn = format!("urn:fss:{REGION}:{PROJECT}:function:default:NAME");
    let server = httpmock::MockServer::start();
    server.mock(|_, then| {
        then.status(404)
            .header("Content-Type", "application/json")
            .body(r#"{"error_code":"FSS.1051","error_msg":"the function does not exist"}"#);
    });
    Fgs::new()
        .args(["invoke", &urn, "--token", TOKEN, "--endpoint", &server.base_url()])
        .args(["-d", "{}"])
        .run()
        .code(4)
        .stderr_contains(
            "hint: `NAME` looks like the README's placeholder: replace NAME with your function's name",
        );
    // A real name keeps the usual hint.
    Fgs::new()
        .args(invoke_args(&server))
        .args(["-d", "{}"])
        .run()
        .code(4)
        .stderr_lacks("placeholder")
        .stderr_contains("hint: check the function name");
}

/// `config init` under script(1), typing `typed`: (exit code, what the terminal showed,
/// the file written).
// Unix only: runs fgs under `script(1)` for a pseudo-terminal; Windows has no `script`.
#[cfg(unix)]
fn init_on_a_terminal(typed: &str) -> (Option<i32>, String, String) {
    let mut cmd = Fgs::program("script");
    let home = cmd.home();
    let out = cmd
        .args(["-q", "-e", "-c", &format!("{BIN} config init"), "/dev/null"])
        .stdin(typed)
        .run();
    let text = std::fs::read_to_string(xdg_config(&home)).unwrap_or_default();
    (out.code, out.stdout.replace('\r', ""), text)
}

#[test]
fn config_init_with_no_terminal_and_no_flags_says_which_flags() {
    let mut cmd = Fgs::new();
    let home = cmd.home();
    cmd.args(["config", "init"])
        .run()
        .code(2)
        .stderr_contains("--region")
        .stderr_contains("--project-id");
    assert!(!xdg_config(&home).exists());
    // With flags: written, and the next step named.
    Fgs::new()
        .args(["config", "init", "--region", "cn-north-4", "--auth", "aksk"])
        .run()
        .code(0)
        .stderr_contains("next: credentials: export HUAWEICLOUD_SDK_AK");
    // An undocumented region given as a flag is written, with a warning.
    Fgs::new()
        .args(["config", "init", "--region", "cn-north4"])
        .run()
        .code(0)
        .stderr_contains("did you mean cn-north-4?");
}

// Unix only: runs fgs under `script(1)` for a pseudo-terminal; Windows has no `script`.
#[cfg(unix)]
#[test]
fn config_init_checks_each_answer_and_asks_again() {
    // Each bad answer is asked again at once: a region typo gets "did you mean" (and is
    // corrected here), a placeholder project id and an unknown auth method are refused.
    let (code, terminal, text) = init_on_a_terminal(
        "cn-north4\ncn-north-4\nPROJECT_ID\n0123456789abcdef0123456789abcdef\nwrong\naksk\n",
    );
    assert_eq!(code, Some(0), "{terminal}");
    assert!(terminal.contains("did you mean cn-north-4?"), "{terminal}");
    assert!(
        terminal.contains("My Credentials > API Credentials"),
        "{terminal}"
    );
    assert!(terminal.contains("placeholder"), "{terminal}");
    assert!(
        terminal.contains("auth `wrong`: use token, aksk or metadata; try again"),
        "{terminal}"
    );
    assert!(terminal.contains("next: credentials"), "{terminal}");
    assert!(text.contains("region = \"cn-north-4\"\n"), "{text}");
    assert!(
        text.contains("project_id = \"0123456789abcdef0123456789abcdef\"\n"),
        "{text}"
    );
    assert!(text.contains("auth = \"aksk\"\n"), "{text}");

    // The user insists on a region fgs does not know: it is kept.
    let (code, terminal, text) = init_on_a_terminal("my-private-1\nmy-private-1\n\n\n");
    assert_eq!(code, Some(0), "{terminal}");
    assert!(terminal.contains("not a documented region"), "{terminal}");
    assert!(text.contains("region = \"my-private-1\"\n"), "{text}");
}

/// Every subcommand has its page, `fgs man COMMAND` prints it, and the committed `man/`
/// holds exactly what fgs writes.
#[test]
fn every_subcommand_has_a_man_page() {
    let r = Fgs::new().args(["man", "invoke"]).run();
    r.code(0)
        .stdout_contains(".TH fgs-invoke 1")
        .stdout_contains("\\-\\-batch");
    Fgs::new()
        .args(["man", "config", "show"])
        .run()
        .code(0)
        .stdout_contains(".TH fgs-config-show 1");
    Fgs::new()
        .args(["man", "nope"])
        .run()
        .code(2)
        .stderr_contains("pick one of invoke, list");

    let mut cmd = Fgs::new();
    let dir = cmd.home().path().join("pages");
    cmd.args(["man", "--out-dir"]).arg(&dir).run().code(0);
    let names = |dir: &Path| {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".1"))
            .collect();
        names.sort();
        names
    };
    let written = names(&dir);
    assert!(written.contains(&"fgs-invoke.1".to_string()), "{written:?}");
    let committed_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("man");
    assert_eq!(
        written,
        names(&committed_dir),
        "man/ is stale; run `scripts/update-completions.sh` and commit the result"
    );
    for name in &written {
        let page = std::fs::read_to_string(dir.join(name)).unwrap();
        assert_eq!(
            page,
            std::fs::read_to_string(committed_dir.join(name)).unwrap(),
            "man/{name} is stale; run `scripts/update-completions.sh` and commit the result"
        );
        // `fgs man config show` prints fgs-config-show.1.
        let path: Vec<&str> = name.trim_end_matches(".1").split('-').skip(1).collect();
        Fgs::new()
            .arg("man")
            .args(&path)
            .run()
            .code(0)
            .stdout(&page);
        // Each page a page points to exists.
        for (at, _) in page.match_indices("(1)") {
            let start = page[..at]
                .rfind(|c: char| c.is_whitespace())
                .map_or(0, |i| i + 1);
            let target = page[start..at].replace("\\-", "-");
            if target.starts_with("fgs") {
                assert!(
                    written.contains(&format!("{target}.1")),
                    "{name} points to {target}(1)"
                );
            }
        }
    }
}
