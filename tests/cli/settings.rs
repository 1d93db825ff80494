//! Precedence, each step: flag > env > the selected profile > the file's top level >
//! the URN > the built-in default. Each step is checked on the wire (what the mock received)
//! and in `fgs config show` (the source it names).

use predicates::prelude::*;
use tempfile::TempDir;

use crate::common::*;

/// One setting and the value each layer gives it.
struct Setting {
    flag: &'static str,
    env: &'static str,
    key: &'static str,
    /// `config show` row name.
    row: &'static str,
    /// flag, env, profile, top level; config values as TOML literals are quoted here.
    values: [String; 4],
    toml_quoted: bool,
}

impl Setting {
    /// Give the setting from layer `from` downwards (0 = flag and everything below it,
    /// 3 = only the top level of the file). Other profiles of the file stay unselected.
    fn layer(&self, cmd: &mut Fgs, home: &TempDir, from: usize) {
        let literal = |v: &str| {
            if self.toml_quoted {
                format!("\"{v}\"")
            } else {
                v.to_string()
            }
        };
        let mut text = String::new();
        if from <= 3 {
            text += &format!("{} = {}\n", self.key, literal(&self.values[3]));
        }
        text += &format!(
            "[profiles.dev]\n{} = {}\n[profiles.other]\n{} = {}\n",
            self.key,
            literal(&self.values[2]),
            self.key,
            literal(&self.values[2].replace('3', "9"))
        );
        if from <= 2 {
            cmd.args(["--profile", "dev"]);
        }
        if from <= 1 {
            cmd.env(self.env, &self.values[1]);
        }
        if from == 0 {
            cmd.args([self.flag, &self.values[0]]);
        }
        write_config(home, &text);
    }

    fn sources(&self, home: &TempDir) -> [String; 4] {
        let path = xdg_config(home).display().to_string();
        [
            self.flag.to_string(),
            format!("env {}", self.env),
            format!("{path} [profiles.dev]"),
            path,
        ]
    }
}

fn row(name: &str, value: &str, source: &str) -> String {
    format!("{name:<16} {value}  ({source})\n")
}

/// A project id of 32 copies of one digit.
fn pid(digit: char) -> String {
    digit.to_string().repeat(32)
}

fn short_urn(region: &str, project: &str, name: &str) -> String {
    format!("urn:fss:{region}:{project}:function:default:{name}:latest")
}

#[test]
fn project_id_flag_env_profile_file_then_urn() {
    let setting = Setting {
        flag: "--project-id",
        env: "FGS_PROJECT_ID",
        key: "project_id",
        row: "project id",
        values: [pid('1'), pid('2'), pid('3'), pid('4')],
        toml_quoted: true,
    };
    for from in 0..4 {
        let expected = &setting.values[from];
        let server = httpmock::MockServer::start();
        let expect = Expect {
            project: expected.clone(),
            urn: short_urn(REGION, expected, "hello"),
            ..Expect::default()
        };
        let mock = expect_invocation(&server, &expect, |then| ok(then, "done"));
        let mut cmd = Fgs::new();
        let home = cmd.home();
        cmd.args(["invoke", "hello", "--token", TOKEN, "--region", REGION])
            .args(["--endpoint", &server.base_url()]);
        setting.layer(&mut cmd, &home, from);
        cmd.run()
            .code(0)
            .stdout("done\n")
            .stderr_starts_with("ok · HTTP 200");
        mock.assert();

        let mut cmd = Fgs::new();
        let home = cmd.home();
        cmd.args(["config", "show", "hello"]);
        setting.layer(&mut cmd, &home, from);
        cmd.run()
            .code(0)
            .stdout_contains(row(setting.row, expected, &setting.sources(&home)[from]))
            .stderr("");
    }

    // No explicit value at any layer: the full URN's project id.
    let server = httpmock::MockServer::start();
    let urn = short_urn(REGION, &pid('5'), "hello");
    let expect = Expect {
        project: pid('5'),
        urn: urn.clone(),
        ..Expect::default()
    };
    let mock = expect_invocation(&server, &expect, |then| ok(then, "done"));
    let mut cmd = Fgs::new();
    let home = cmd.home();
    write_config(&home, "region = \"cn-north-4\"\n");
    cmd.args([
        "invoke",
        &urn,
        "--token",
        TOKEN,
        "--endpoint",
        &server.base_url(),
    ])
    .run()
    .code(0)
    .stdout("done\n")
    .stderr_starts_with("ok · HTTP 200");
    mock.assert();
    let mut cmd = Fgs::new();
    cmd.args(["config", "show", &urn])
        .run()
        .code(0)
        .stdout_contains(row("project id", &pid('5'), "the URN"))
        .stderr("");

    // Nothing at all (a short name, no layer): exit 2, nothing sent.
    let server = httpmock::MockServer::start();
    let anything = catch_all(&server);
    Fgs::new()
        .args(["invoke", "hello", "--token", TOKEN, "--region", REGION])
        .args(["--endpoint", &server.base_url()])
        .run()
        .code(2)
        .stdout("")
        .stderr_starts_with("error: no project id");
    anything.assert_calls(0);
}

#[test]
fn region_flag_env_profile_file_then_urn() {
    let setting = Setting {
        flag: "--region",
        env: "FGS_REGION",
        key: "region",
        row: "region",
        values: [
            "ap-southeast-1".into(),
            "ap-southeast-2".into(),
            "ap-southeast-3".into(),
            "ap-southeast-4".into(),
        ],
        toml_quoted: true,
    };
    for from in 0..4 {
        let expected = &setting.values[from];
        let server = httpmock::MockServer::start();
        let expect = Expect::urn(&short_urn(expected, PROJECT, "hello"));
        let mock = expect_invocation(&server, &expect, |then| ok(then, "done"));
        let mut cmd = Fgs::new();
        let home = cmd.home();
        cmd.args(["invoke", "hello", "--token", TOKEN, "--project-id", PROJECT])
            .args(["--endpoint", &server.base_url()]);
        setting.layer(&mut cmd, &home, from);
        cmd.run()
            .code(0)
            .stdout("done\n")
            .stderr_starts_with("ok · HTTP 200");
        mock.assert();

        // Without --endpoint the region also names the host.
        let mut cmd = Fgs::new();
        let home = cmd.home();
        cmd.args(["config", "show", "hello"]);
        setting.layer(&mut cmd, &home, from);
        cmd.run()
            .code(0)
            .stdout_matches(
                predicate::str::contains(row(setting.row, expected, &setting.sources(&home)[from]))
                    .and(predicate::str::contains(row(
                        "endpoint",
                        &format!("https://functiongraph.{expected}.myhuaweicloud.com"),
                        "default",
                    ))),
            )
            .stderr("");
    }

    // No explicit region: the full URN's.
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), |then| ok(then, "done"));
    let mut cmd = Fgs::new();
    cmd.args(invoke_args(&server))
        .run()
        .code(0)
        .stdout("done\n")
        .stderr_starts_with("ok · HTTP 200");
    mock.assert();
    let mut cmd = Fgs::new();
    cmd.args(["config", "show", URN])
        .run()
        .code(0)
        .stdout_contains(row("region", REGION, "the URN"))
        .stderr("");

    // Nothing at all: exit 2, nothing sent.
    let server = httpmock::MockServer::start();
    let anything = catch_all(&server);
    Fgs::new()
        .args(["invoke", "hello", "--token", TOKEN, "--project-id", PROJECT])
        .args(["--endpoint", &server.base_url()])
        .run()
        .code(2)
        .stdout("")
        .stderr_starts_with("error: no region");
    anything.assert_calls(0);
}

#[test]
fn endpoint_flag_env_profile_file_then_default() {
    let servers: Vec<httpmock::MockServer> =
        (0..4).map(|_| httpmock::MockServer::start()).collect();
    let setting = Setting {
        flag: "--endpoint",
        env: "FGS_ENDPOINT",
        key: "endpoint",
        row: "endpoint",
        values: [
            servers[0].base_url(),
            servers[1].base_url(),
            servers[2].base_url(),
            servers[3].base_url(),
        ],
        toml_quoted: true,
    };
    for from in 0..4 {
        let mocks: Vec<_> = servers
            .iter()
            .map(|s| expect_invocation(s, &Expect::default(), |then| ok(then, "done")))
            .collect();
        let mut cmd = Fgs::new();
        let home = cmd.home();
        cmd.args(["invoke", URN, "--token", TOKEN]);
        setting.layer(&mut cmd, &home, from);
        cmd.run()
            .code(0)
            .stdout("done\n")
            .stderr_starts_with("ok · HTTP 200");
        for (i, mut mock) in mocks.into_iter().enumerate() {
            mock.assert_calls(usize::from(i == from));
            mock.delete();
        }

        let mut cmd = Fgs::new();
        let home = cmd.home();
        cmd.args(["config", "show", URN]);
        setting.layer(&mut cmd, &home, from);
        cmd.run()
            .code(0)
            .stdout_contains(row(
                setting.row,
                &setting.values[from],
                &setting.sources(&home)[from],
            ))
            .stderr("");
    }

    // Default: built from the region; shown by --dry-run without sending anything.
    let mut cmd = Fgs::new();
    cmd.args(["invoke", URN, "--token", TOKEN, "--dry-run"])
        .run()
        .code(0)
        .stdout_starts_with(format!(
            "POST https://functiongraph.cn-north-4.myhuaweicloud.com{}\n",
            invocation_path(PROJECT, URN)
        ))
        .stderr("");
    Fgs::new()
        .args(["config", "show", URN])
        .run()
        .code(0)
        .stdout_contains(row(
            "endpoint",
            "https://functiongraph.cn-north-4.myhuaweicloud.com",
            "default",
        ))
        .stderr("");
}

#[test]
fn token_flag_env_profile_file_then_missing() {
    let setting = Setting {
        flag: "--token",
        env: "FGS_TOKEN",
        key: "token",
        row: "token",
        values: [
            "token-from-the-flag-000000001".into(),
            "token-from-the-env-0000000002".into(),
            "token-from-the-profile-000003".into(),
            "token-from-the-top-level-0004".into(),
        ],
        toml_quoted: true,
    };
    for from in 0..4 {
        let expected = &setting.values[from];
        let server = httpmock::MockServer::start();
        let expect = Expect {
            token: expected.clone(),
            ..Expect::default()
        };
        let mock = expect_invocation(&server, &expect, |then| ok(then, "done"));
        let mut cmd = Fgs::new();
        let home = cmd.home();
        cmd.args(["invoke", URN, "--endpoint", &server.base_url()]);
        setting.layer(&mut cmd, &home, from);
        cmd.run()
            .code(0)
            .stdout("done\n")
            .stderr_starts_with("ok · HTTP 200");
        mock.assert();

        let mut cmd = Fgs::new();
        let home = cmd.home();
        cmd.args(["config", "show"]);
        setting.layer(&mut cmd, &home, from);
        cmd.run()
            .code(0)
            .stdout_contains(row("token", "***(29 chars)", &setting.sources(&home)[from]))
            .stderr("");
    }

    // No token at any layer: exit 3, nothing sent; `config show` says it is not set.
    let server = httpmock::MockServer::start();
    let anything = catch_all(&server);
    let mut cmd = Fgs::new();
    cmd.args(["invoke", URN, "--endpoint", &server.base_url()])
        .run()
        .code(3)
        .stdout("")
        .stderr_starts_with("error: no credentials");
    anything.assert_calls(0);
    Fgs::new()
        .args(["config", "show"])
        .run()
        .code(0)
        .stdout_contains("auth             (none found)\n")
        .stderr("");
}

#[test]
fn token_file_in_the_profile_and_at_the_top_level() {
    // The profile's token_file beats the top level's token; a relative token_file is
    // relative to the config file's directory; the first line is the token.
    let cases = [
        (
            "token = \"top-level-token-000000000000\"\n[profiles.dev]\ntoken_file = \"profile.token\"\n",
            true,
            "token-from-profile-file-00000",
        ),
        (
            "token_file = \"top.token\"\n[profiles.dev]\nregion = \"cn-north-4\"\n",
            true,
            "token-from-top-level-file-000",
        ),
        (
            "token_file = \"top.token\"\n",
            false,
            "token-from-top-level-file-000",
        ),
    ];
    for (config, select_profile, expected) in cases {
        let server = httpmock::MockServer::start();
        let expect = Expect {
            token: expected.into(),
            ..Expect::default()
        };
        let mock = expect_invocation(&server, &expect, |then| ok(then, "done"));
        let mut cmd = Fgs::new();
        let home = cmd.home();
        let path = write_config(&home, config);
        let dir = path.parent().unwrap();
        write_file(
            &dir.join("profile.token"),
            "\n  token-from-profile-file-00000  \nsecond line\n",
        );
        write_file(&dir.join("top.token"), "token-from-top-level-file-000\n");
        cmd.args(["invoke", URN, "--endpoint", &server.base_url()]);
        if select_profile {
            cmd.args(["--profile", "dev"]);
        }
        cmd.run()
            .code(0)
            .stdout("done\n")
            .stderr_starts_with("ok · HTTP 200");
        mock.assert();
    }
}

#[test]
fn an_absolute_token_file_that_is_missing_is_an_error_naming_it() {
    let server = httpmock::MockServer::start();
    let anything = catch_all(&server);
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let missing = home.path().join("nowhere").join("token");
    write_config(&home, &format!("token_file = '{}'\n", missing.display()));
    cmd.args(["invoke", URN, "--endpoint", &server.base_url()])
        .run()
        .code(2)
        .stdout("")
        .stderr_matches(
            predicate::str::starts_with("error:")
                .and(predicate::str::contains(missing.display().to_string())),
        );
    anything.assert_calls(0);
}

#[test]
fn timeouts_flag_env_profile_file_then_default() {
    let timeout = |flag, env, key, row| Setting {
        flag,
        env,
        key,
        row,
        values: ["1.5".into(), "2.5".into(), "3.5".into(), "4.5".into()],
        toml_quoted: false,
    };
    // The defaults: the service's 900 s limit plus a margin, and 10 s to connect.
    for (setting, default) in [
        (
            timeout("--timeout", "FGS_TIMEOUT", "timeout", "timeout"),
            "930 s",
        ),
        (
            timeout(
                "--connect-timeout",
                "FGS_CONNECT_TIMEOUT",
                "connect_timeout",
                "connect timeout",
            ),
            "10 s",
        ),
    ] {
        for from in 0..4 {
            let mut cmd = Fgs::new();
            let home = cmd.home();
            cmd.args(["config", "show"]);
            setting.layer(&mut cmd, &home, from);
            cmd.run()
                .code(0)
                .stdout_contains(row(
                    setting.row,
                    &format!("{} s", setting.values[from]),
                    &setting.sources(&home)[from],
                ))
                .stderr("");
        }
        let mut cmd = Fgs::new();
        cmd.args(["config", "show"])
            .run()
            .code(0)
            .stdout_contains(row(setting.row, default, "default"))
            .stderr("");
        // Checked like every number of seconds, naming where it came from.
        let mut cmd = Fgs::new();
        let home = cmd.home();
        write_config(&home, &format!("{} = -1\n", setting.key));
        cmd.args(["config", "show"])
            .run()
            .code(2)
            .stdout("")
            .stderr_contains(format!(
                "is not a number of seconds from 0.001 to 86400 ({} from",
                setting.row
            ));
    }
}

#[test]
fn a_timeout_from_the_config_file_or_env_cuts_off_a_slow_answer() {
    for use_env in [false, true] {
        let server = httpmock::MockServer::start();
        let mock = expect_invocation(&server, &Expect::default(), |then| {
            ok(then, "late").delay(std::time::Duration::from_secs(5))
        });
        let mut cmd = Fgs::new();
        let home = cmd.home();
        if use_env {
            cmd.env("FGS_TIMEOUT", "0.4");
        } else {
            write_config(&home, "timeout = 0.4\n");
        }
        cmd.args(invoke_args(&server))
            .run()
            .code(7)
            .stdout("")
            .stderr_starts_with("error: no answer within 0.4 s\n");
        mock.assert_calls(1);
    }
}

#[test]
fn an_invalid_timeout_is_exit_2_and_nothing_is_sent() {
    let server = httpmock::MockServer::start();
    let anything = catch_all(&server);
    for bad in ["ten", "0", "-1"] {
        Fgs::new()
            .args(invoke_args(&server))
            .arg(format!("--timeout={bad}"))
            .run()
            .code(2)
            .stdout("")
            .stderr_matches(
                predicate::str::starts_with("error:")
                    .and(predicate::str::contains(bad))
                    .and(predicate::str::contains("timeout")),
            );
    }
    anything.assert_calls(0);
}

#[test]
fn function_positional_then_fgs_urn_then_profile_then_file() {
    let names = ["from-arg", "from-env", "from-profile", "from-top"];
    for (from, name) in names.into_iter().enumerate() {
        let server = httpmock::MockServer::start();
        let expected = short_urn(REGION, PROJECT, name);
        let mock = expect_invocation(&server, &Expect::urn(&expected), |then| ok(then, "done"));
        let mut cmd = Fgs::new();
        let home = cmd.home();
        let mut config = String::new();
        if from <= 3 {
            config += "urn = \"from-top\"\n";
        }
        config += "[profiles.dev]\nurn = \"from-profile\"\n";
        write_config(&home, &config);
        cmd.arg("invoke");
        if from == 0 {
            cmd.arg("from-arg");
        }
        if from <= 1 {
            cmd.env("FGS_URN", "from-env");
        }
        if from <= 2 {
            cmd.args(["--profile", "dev"]);
        }
        cmd.args([
            "--token",
            TOKEN,
            "--region",
            REGION,
            "--project-id",
            PROJECT,
        ])
        .args(["--endpoint", &server.base_url()])
        .run()
        .code(0)
        .stdout("done\n")
        .stderr_starts_with("ok · HTTP 200");
        mock.assert();
    }
}

#[test]
fn a_full_urn_from_fgs_urn_needs_nothing_but_a_token() {
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), |then| ok(then, "done"));
    let mut cmd = Fgs::new();
    cmd.env("FGS_URN", URN)
        .env("FGS_TOKEN", TOKEN)
        .env("FGS_ENDPOINT", server.base_url())
        .arg("invoke")
        .run()
        .code(0)
        .stdout("done\n")
        .stderr_starts_with("ok · HTTP 200");
    mock.assert();
    Fgs::new()
        .env("FGS_URN", URN)
        .args(["config", "show"])
        .run()
        .code(0)
        .stdout_contains(row("function", URN, "env FGS_URN"))
        .stderr("");
}

#[test]
fn the_profile_can_come_from_fgs_profile() {
    let server = httpmock::MockServer::start();
    let expect = Expect {
        token: "token-of-the-prod-profile-000".into(),
        ..Expect::default()
    };
    let mock = expect_invocation(&server, &expect, |then| ok(then, "done"));
    let mut cmd = Fgs::new();
    let home = cmd.home();
    write_config(
        &home,
        "token = \"top-level-token-000000000000\"\n[profiles.prod]\ntoken = \"token-of-the-prod-profile-000\"\n",
    );
    cmd.env("FGS_PROFILE", "prod")
        .args(["invoke", URN, "--endpoint", &server.base_url()])
        .run()
        .code(0)
        .stdout("done\n")
        .stderr_starts_with("ok · HTTP 200");
    mock.assert();
}

/// Timeouts run from a millisecond to a day, from every layer; anything else is exit 2 with
/// the range, in a short message (not the 301 digits of `1e300`).
#[test]
fn timeouts_outside_a_millisecond_to_a_day_are_exit_2_with_the_range() {
    let server = httpmock::MockServer::start();
    let anything = catch_all(&server);
    let range = "is not a number of seconds from 0.001 to 86400";
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let path = write_config(&home, "timeout = 1e300\n");
    cmd.args(invoke_args(&server))
        .run()
        .code(2)
        .stdout("")
        .stderr(format!(
            "error: `1e300` {range} (timeout from {})\n",
            path.display()
        ));
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let path = write_config(&home, "connect_timeout = 0.0001\n");
    cmd.args(invoke_args(&server))
        .run()
        .code(2)
        .stdout("")
        .stderr(format!(
            "error: `0.0001` {range} (connect timeout from {})\n",
            path.display()
        ));
    for (flag, env, value, row) in [
        ("--timeout", "FGS_TIMEOUT", "1e-300", "timeout"),
        ("--timeout", "FGS_TIMEOUT", "86400.5", "timeout"),
        (
            "--connect-timeout",
            "FGS_CONNECT_TIMEOUT",
            "0.0009",
            "connect timeout",
        ),
    ] {
        let mut cmd = Fgs::new();
        cmd.args(invoke_args(&server))
            .args([flag, value])
            .run()
            .code(2)
            .stdout("")
            .stderr(format!("error: `{value}` {range} ({row} from {flag})\n"));
        let mut cmd = Fgs::new();
        cmd.args(invoke_args(&server))
            .env(env, value)
            .run()
            .code(2)
            .stdout("")
            .stderr(format!("error: `{value}` {range} ({row} from env {env})\n"));
    }
    anything.assert_calls(0);
    // Both ends of the range are accepted.
    Fgs::new()
        .args([
            "config",
            "show",
            "--timeout",
            "86400",
            "--connect-timeout",
            "0.001",
        ])
        .run()
        .code(0)
        .stdout_matches(
            predicate::str::contains(row("timeout", "86400 s", "--timeout")).and(
                predicate::str::contains(row("connect timeout", "0.001 s", "--connect-timeout")),
            ),
        );
}

/// A variable that is set but not UTF-8 is an error that names it (exit 2), whether fgs
/// reads it or clap does, never a value taken as missing.
// Unix only: a Windows path or argument is UTF-16, where bytes that are not UTF-8 do not arise.
#[cfg(unix)]
#[test]
fn a_variable_that_is_not_utf8_is_exit_2_naming_it() {
    use std::os::unix::ffi::OsStrExt;
    let bad = std::ffi::OsStr::from_bytes(b"ab\xffcd");
    let server = httpmock::MockServer::start();
    let anything = catch_all(&server);
    for (name, others) in [
        ("HUAWEICLOUD_SDK_AK", &[("HUAWEICLOUD_SDK_SK", "sk")][..]),
        ("HUAWEICLOUD_SDK_SK", &[("HUAWEICLOUD_SDK_AK", "ak")][..]),
        (
            "HUAWEICLOUD_SDK_SECURITY_TOKEN",
            &[("HUAWEICLOUD_SDK_AK", "ak"), ("HUAWEICLOUD_SDK_SK", "sk")][..],
        ),
    ] {
        let mut cmd = Fgs::new();
        cmd.args(["invoke", URN, "--endpoint", &server.base_url()])
            .env(name, bad)
            .envs(others.iter().copied())
            .run()
            .code(2)
            .stdout("")
            .stderr(format!(
                "error: env {name} is set but its value is not valid UTF-8\n"
            ));
    }
    let mut cmd = Fgs::new();
    cmd.args(["invoke", "hello", "--token", TOKEN, "--region", REGION])
        .args(["--endpoint", &server.base_url()])
        .env("HUAWEICLOUD_SDK_PROJECT_ID", bad)
        .run()
        .code(2)
        .stdout("")
        .stderr("error: env HUAWEICLOUD_SDK_PROJECT_ID is set but its value is not valid UTF-8\n");
    // Variables clap reads for a flag, and the flags themselves.
    for name in [
        "FGS_REGION",
        "FGS_TOKEN",
        "FGS_URN",
        "FGS_TIMEOUT",
        "FGS_PROFILE",
    ] {
        let mut cmd = Fgs::new();
        cmd.arg("invoke");
        // clap reads a variable only when its flag is not given.
        if name != "FGS_URN" {
            cmd.arg(URN);
        }
        if name != "FGS_TOKEN" {
            cmd.args(["--token", TOKEN]);
        }
        cmd.args(["--endpoint", &server.base_url()])
            .env(name, bad)
            .run()
            .code(2)
            .stdout("")
            .stderr(format!(
                "error: env {name} is set but its value is not valid UTF-8\n"
            ));
    }
    Fgs::new()
        .args([
            "invoke",
            URN,
            "--token",
            TOKEN,
            "--endpoint",
            &server.base_url(),
        ])
        .arg("--region")
        .arg(bad)
        .run()
        .code(2)
        .stdout("")
        .stderr("error: the value of --region is not valid UTF-8\n");
    anything.assert_calls(0);
}

/// `--ca-cert` and `FGS_CA_CERT` at a path that is not UTF-8 are read from that path: the
/// certificate is loaded and the call goes on to the network (exit 6, nothing listens).
// Unix only: a Windows path or argument is UTF-16, where bytes that are not UTF-8 do not arise.
#[cfg(unix)]
#[test]
fn a_ca_cert_at_a_path_that_is_not_utf8_is_read() {
    use std::os::unix::ffi::OsStrExt;
    let key = rcgen::KeyPair::generate().expect("a key");
    let ca = rcgen::CertificateParams::new(Vec::<String>::new())
        .expect("CA params")
        .self_signed(&key)
        .expect("a CA certificate");
    for from_env in [false, true] {
        let mut cmd = Fgs::new();
        let home = cmd.home();
        let dir = home.path().join(std::ffi::OsStr::from_bytes(b"ca-\xfe"));
        let path = write_file(&dir.join("ca.pem"), &ca.pem());
        let endpoint = refused_endpoint().replace("http://", "https://");
        cmd.args(["invoke", URN, "--token", TOKEN, "--endpoint", &endpoint]);
        if from_env {
            cmd.env("FGS_CA_CERT", &path);
        } else {
            cmd.arg("--ca-cert").arg(&path);
        }
        cmd.run()
            .code(6)
            .stdout("")
            .stderr_matches(predicate::str::contains("CA certificate").not());
    }
}
