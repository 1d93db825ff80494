//! The token must never be printed. A sentinel token, given by flag, by environment variable,
//! in the config file and through `token_file`, goes through every command and path of the
//! suite; the test fails if it shows up on any stdout or stderr. Each invocation that reaches
//! the mock also proves the sentinel really was sent, so the test cannot pass by sending
//! nothing.

#[cfg(unix)] // only the Unix-only Ctrl-C tests spawn fgs by hand
use std::process::Stdio;
use std::time::Duration;

use httpmock::{MockServer, Then};
use tempfile::TempDir;

use crate::common::*;
use crate::output::documented;

const SENTINEL: &str = "SENTINEL-token-9f8e7d6c5b4a";
/// The part no mask may show, not even partly.
const SECRET_PART: &str = "9f8e7d6c5b4a";

#[derive(Debug, Clone, Copy)]
enum Given {
    Flag,
    Env,
    ConfigFile,
    TokenFile,
}

impl Given {
    /// The config file: the token (when given there) plus `extra`. The flag goes last so
    /// that it follows the subcommand.
    fn apply(self, cmd: &mut Fgs, home: &TempDir, extra_config: &str) {
        let mut config = String::new();
        match self {
            Given::Flag => {
                cmd.args(["--token", SENTINEL]);
            }
            Given::Env => {
                cmd.env("FGS_TOKEN", SENTINEL);
            }
            Given::ConfigFile => config += &format!("token = \"{SENTINEL}\"\n"),
            Given::TokenFile => {
                write_file(&home.path().join("token.txt"), &format!("{SENTINEL}\n"));
                config += &format!(
                    "token_file = '{}'\n",
                    home.path().join("token.txt").display()
                );
            }
        }
        config += extra_config;
        if !config.is_empty() {
            write_config(home, &config);
        }
    }
}

fn assert_clean(stdout: &str, stderr: &str, label: &str) {
    for (stream, text) in [("stdout", stdout), ("stderr", stderr)] {
        assert!(
            !text.contains(SENTINEL) && !text.contains(SECRET_PART),
            "{label}: the token leaked on {stream}:\n{text}"
        );
    }
}

/// How the mock answers one request.
type Answer = fn(Then) -> Then;

/// One path: the server (if any) expects the sentinel; the exit code proves the path was
/// taken; nothing printed may hold the sentinel.
struct Case {
    label: String,
    args: Vec<String>,
    code: i32,
    extra_config: String,
    stdin: Option<String>,
    /// `None`: nothing must reach the server. `Some`: exactly one request, answered so.
    answer: Option<Answer>,
    refused: bool,
}

impl Case {
    fn new(label: &str, args: &[&str], code: i32) -> Case {
        Case {
            label: label.into(),
            args: args.iter().map(std::string::ToString::to_string).collect(),
            code,
            extra_config: String::new(),
            stdin: None,
            answer: None,
            refused: false,
        }
    }

    fn answered(mut self, answer: Answer) -> Case {
        self.answer = Some(answer);
        self
    }

    fn run(&self, given: Given) {
        let label = format!("{} ({given:?})", self.label);
        let server = MockServer::start();
        let expect = Expect {
            token: SENTINEL.into(),
            ..Expect::default()
        };
        let mock = self
            .answer
            .map(|answer| expect_invocation(&server, &expect, answer));
        let anything = catch_all(&server);
        let endpoint = if self.refused {
            refused_endpoint()
        } else {
            server.base_url()
        };
        let mut cmd = Fgs::new();
        let home = cmd.home();
        let args: Vec<String> = self
            .args
            .iter()
            .map(|a| a.replace("{endpoint}", &endpoint))
            .collect();
        cmd.args(&args);
        given.apply(&mut cmd, &home, &self.extra_config);
        if let Some(stdin) = &self.stdin {
            cmd.stdin(stdin.as_str());
        }
        let out = cmd.run();
        assert_clean(&out.stdout, &out.stderr, &label);
        assert_eq!(out.code, Some(self.code), "{label}: {}", out.stderr);
        if let Some(mock) = mock {
            // The sentinel itself went out in X-Auth-Token.
            mock.assert_calls(1);
        }
        anything.assert_calls(0);
    }
}

fn with_status(then: Then, status: u16, body: &str) -> Then {
    then.status(status)
        .header("X-Request-Id", "rid-sentinel")
        .body(body)
}

#[allow(
    clippy::too_many_lines,
    reason = "the table of every command whose output the sentinel test reads"
)]
fn cases() -> Vec<Case> {
    let invoke = |extra: &[&str]| -> Vec<String> {
        let mut args = vec!["invoke", URN, "--endpoint", "{endpoint}"];
        args.extend_from_slice(extra);
        args.iter().map(std::string::ToString::to_string).collect()
    };
    let case = |label: &str, extra: &[&str], code: i32| {
        let mut c = Case::new(label, &[], code);
        c.args = invoke(extra);
        c
    };
    let mut cases = vec![
        case("success", &[], 0).answered(documented),
        case("success -v", &["-v"], 0)
            .answered(|then| documented(then).header("X-Auth-Token", SENTINEL)),
        case("success json", &["-o", "json"], 0).answered(documented),
        case(
            "success pretty colour",
            &["-o", "pretty", "--color", "always"],
            0,
        )
        .answered(documented),
        case("success quiet", &["-q"], 0).answered(documented),
        case("function error", &[], 1).answered(|then| {
            then.status(200)
                .header("X-Is-Func-Err", "true")
                .header("X-Func-Err-Code", "FSS.1234")
                .body(r#"{"request_id":"r","result":"boom","log":"log line","status":200}"#)
        }),
        case("function error -v json", &["-v", "-o", "json"], 1).answered(|then| {
            then.status(200)
                .header("X-Is-Func-Err", "true")
                .body(r#"{"request_id":"r","result":"boom","log":"log line","status":200}"#)
        }),
        case("bad log base64", &[], 0)
            .answered(|then| ok(then, "x").header("X-Cff-Function-Log", "%%%")),
        case("timeout", &["--timeout", "0.3"], 7)
            .answered(|then| ok(then, "late").delay(Duration::from_secs(5))),
        case(
            "timeout -v json",
            &["--timeout", "0.3", "-v", "-o", "json"],
            7,
        )
        .answered(|then| ok(then, "late").delay(Duration::from_secs(5))),
        case("dry-run", &["--dry-run"], 0),
        case("dry-run -v", &["--dry-run", "-v", "-d", "{\"k\":1}"], 0),
        case("invalid payload", &["-d", "{nope"], 2),
        case("missing payload file", &["-d", "@missing.json"], 2),
        case("usage error", &["--output", "nonsense"], 2),
        case(
            "qualifier and alias",
            &["--qualifier", "1", "--alias", "a"],
            2,
        ),
        case(
            "project id disagrees",
            &["--project-id", "ffffffffffffffffffffffffffffffff"],
            2,
        ),
        case("unknown profile", &["--profile", "nope"], 2),
        case("invoke --help", &["--help"], 0),
        Case::new("config show", &["config", "show", URN], 0),
        Case::new("config show short", &["config", "show"], 0),
        Case::new("fgs --help", &["--help"], 0),
    ];

    // The error statuses, plain and with -v -o json.
    let answers: [(&str, i32, Answer); 9] = [
        ("400", 4, |t| {
            with_status(t, 400, &fixture("error-400-code-message.json"))
        }),
        ("401", 3, |t| {
            with_status(t, 401, &fixture("error-401-apig0301.json"))
        }),
        ("401 iam", 3, |t| {
            with_status(t, 401, &fixture("error-401-iam-nested.json"))
        }),
        ("403", 3, |t| {
            with_status(
                t,
                403,
                r#"{"error_code":"FSS.0403","error_msg":"Forbidden"}"#,
            )
        }),
        ("404", 4, |t| {
            with_status(t, 404, &fixture("error-404-fss1051.json"))
        }),
        ("413", 4, |t| {
            with_status(
                t,
                413,
                r#"{"error_code":"FSS.0413","error_msg":"too large"}"#,
            )
        }),
        ("429", 4, |t| {
            with_status(t, 429, &fixture("error-429-function-disabled.json"))
        }),
        ("500", 5, |t| {
            with_status(t, 500, r#"{"code":"FSS.0500","message":"Internal"}"#)
        }),
        ("502 html", 5, |t| {
            with_status(t, 502, &fixture("gateway-502.html"))
        }),
    ];
    for (name, code, answer) in answers {
        cases.push(case(&format!("HTTP {name}"), &[], code).answered(answer));
        cases.push(
            case(&format!("HTTP {name} -v json"), &["-v", "-o", "json"], code).answered(answer),
        );
    }

    let mut refused = case("connection refused", &[], 6);
    refused.refused = true;
    cases.push(refused);
    let mut refused = case("connection refused -v json", &["-v", "-o", "json"], 6);
    refused.refused = true;
    cases.push(refused);

    // list and info with -v show their requests' headers: the token masked there too.
    for args in [
        &["list", "--region", REGION, "--project-id", PROJECT][..],
        &["info", URN][..],
    ] {
        let mut lookup = Case::new(&format!("{} -v refused", args[0]), args, 6);
        lookup
            .args
            .extend(["--endpoint", "{endpoint}", "-v"].map(String::from));
        lookup.refused = true;
        cases.push(lookup);
    }

    let mut piped = case("piped payload -v", &["-v"], 0).answered(documented);
    piped.stdin = Some("{}".into());
    cases.push(piped);

    // A config file with an error that is not on the token's line.
    let mut malformed = case("config unknown key", &[], 2);
    malformed.extra_config = "regoin = \"cn-north-4\"\n".into();
    cases.push(malformed);
    let mut malformed = case("config syntax error", &[], 2);
    malformed.extra_config = "timeout = \n".into();
    cases.push(malformed);

    // `config path` needs a file to exist.
    let mut path = Case::new("config path", &["config", "path"], 0);
    path.extra_config = "timeout = 5\n".into();
    cases.push(path);
    cases
}

/// Ctrl-C while the request is in flight.
// Unix only: Ctrl-C is sent with `kill -INT`, which Windows lacks.
#[cfg(unix)]
fn interrupted(given: Given) {
    let server = MockServer::start();
    let expect = Expect {
        token: SENTINEL.into(),
        ..Expect::default()
    };
    let mock = expect_invocation(&server, &expect, |then| {
        ok(then, "never").delay(Duration::from_secs(10))
    });
    let (cmd, home) = fgs_process();
    let mut cmd = cmd;
    cmd.args(["invoke", URN, "-v", "--endpoint", &server.base_url()]);
    match given {
        Given::Flag => {
            cmd.args(["--token", SENTINEL]);
        }
        Given::Env => {
            cmd.env("FGS_TOKEN", SENTINEL);
        }
        Given::ConfigFile => {
            write_config(&home, &format!("token = \"{SENTINEL}\"\n"));
        }
        Given::TokenFile => {
            write_file(&home.path().join("t"), SENTINEL);
            write_config(
                &home,
                &format!("token_file = '{}'\n", home.path().join("t").display()),
            );
        }
    }
    let child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawning fgs");
    wait_for_hit(&mock, Duration::from_secs(10));
    std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("running kill");
    let out = Run::from(child.wait_with_output().expect("waiting for fgs"));
    assert_clean(
        &out.stdout,
        &out.stderr,
        &format!("interrupted ({given:?})"),
    );
    out.code(130);
    mock.assert_calls(1);
}

#[test]
fn the_token_never_appears_in_any_output() {
    std::thread::scope(|scope| {
        for given in [Given::Flag, Given::Env, Given::ConfigFile, Given::TokenFile] {
            scope.spawn(move || {
                for case in cases() {
                    case.run(given);
                }
                // Unix only: Ctrl-C is sent with `kill -INT`, which Windows lacks.
                #[cfg(unix)]
                interrupted(given);
            });
        }
    });
}

#[test]
fn a_config_error_on_the_token_line_does_not_echo_the_token() {
    for config in [
        format!("tokn = \"{SENTINEL}\"\n"),
        format!("token = \"{SENTINEL}\n"),
        format!("token = \"{SENTINEL}\" x\n"),
        format!("[profiles.dev]\ntoken = \"{SENTINEL}\"\ntoken = \"{SENTINEL}\"\n"),
    ] {
        let server = MockServer::start();
        let anything = catch_all(&server);
        for args in [
            vec!["invoke", URN, "--endpoint", &server.base_url()],
            vec!["config", "show"],
        ] {
            let mut cmd = Fgs::new();
            let home = cmd.home();
            let path = write_config(&home, &config);
            let out = cmd.args(&args).run();
            out.code(2);
            out.stderr_contains(path.display().to_string());
            assert_clean(&out.stdout, &out.stderr, &format!("{config:?} {args:?}"));
        }
        anything.assert_calls(0);
    }
}

/// The new sources of secrets: the metadata service's temporary secret key, security token
/// and session token, and a KooCLI profile's secret key. Every path that resolves, shows or
/// uses them (calls, -v, --dry-run, json, refusals, batches, config show) prints none.
#[test]
fn metadata_and_koocli_secrets_never_appear_in_any_output() {
    use crate::auth::{AK, SECURITY_TOKEN, SK};
    use crate::koocli::{aksk_profile, clear_koocli_file, koocli_file};
    use crate::metadata::{SESSION, metadata_service, temporary_gateway};

    let sentinels = [SK, SECURITY_TOKEN, SESSION];
    let metadata = MockServer::start();
    let (_token, keys) = metadata_service(&metadata, Duration::from_secs(10 * 60));
    let gateway = MockServer::start();
    let signed = temporary_gateway(&gateway);
    let refusing = MockServer::start();
    refusing.mock(|_when, then| {
        with_status(then, 401, &fixture("error-401-apig0301.json"));
    });
    let (endpoint, refused) = (gateway.base_url(), refusing.base_url());
    let invoke = |endpoint: &str, extra: &[&str]| -> Vec<String> {
        let mut args = vec!["invoke", URN, "--endpoint", endpoint];
        args.extend_from_slice(extra);
        args.iter().map(std::string::ToString::to_string).collect()
    };
    let cases: Vec<(&str, Vec<String>)> = vec![
        ("call", invoke(&endpoint, &[])),
        ("call -v json", invoke(&endpoint, &["-v", "-o", "json"])),
        ("dry run -v", invoke(&endpoint, &["--dry-run", "-v"])),
        ("repeat -v", invoke(&endpoint, &["--repeat", "3", "-v"])),
        ("refused -v", invoke(&refused, &["-v"])),
        ("refused json", invoke(&refused, &["-o", "json"])),
        (
            "config show",
            vec!["config".into(), "show".into(), URN.into()],
        ),
        (
            "config show json",
            vec![
                "config".into(),
                "show".into(),
                URN.into(),
                "-o".into(),
                "json".into(),
            ],
        ),
    ];
    let mut outputs = Vec::new();
    for (name, args) in &cases {
        let mut cmd = Fgs::new();
        cmd.env("FGS_AUTH", "metadata")
            .env("FGS_METADATA_ENDPOINT", metadata.base_url());
        outputs.push((format!("metadata {name}"), cmd.args(args).run()));
        // The same paths with the keys from a clear KooCLI profile.
        let mut cmd = Fgs::new();
        let home = cmd.home();
        clear_koocli_file(home.path(), &aksk_profile("default", AK, SK));
        outputs.push((format!("koocli {name}"), cmd.args(args).run()));
        // And an encrypted one, passed by with a note.
        let mut cmd = Fgs::new();
        let home = cmd.home();
        koocli_file(home.path(), "", "default", &aksk_profile("default", AK, SK));
        outputs.push((format!("koocli encrypted {name}"), cmd.args(args).run()));
    }
    assert!(keys.calls() >= 6, "the metadata keys were fetched");
    assert!(signed.calls() >= 5, "the temporary keys signed the calls");
    assert_no_sentinel(&outputs, &sentinels);
}
