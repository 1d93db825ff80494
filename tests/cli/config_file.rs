//! Finding the config file, explicit files, and every way a file can be wrong.

use predicates::prelude::*;

use crate::common::*;

/// `config show` prints the file in use on its first line.
fn config_row(path: &std::path::Path, source: &str) -> String {
    format!("config file      {}  ({source})\n", path.display())
}

/// Invoke with the token taken from whatever config file fgs finds; the mock checks it.
fn invoke_uses_token(cmd: &mut Fgs, token: &str, extra: &[String]) {
    let server = httpmock::MockServer::start();
    let expect = Expect {
        token: token.into(),
        ..Expect::default()
    };
    let mock = expect_invocation(&server, &expect, |then| ok(then, "done"));
    cmd.args(["invoke", URN, "--endpoint", &server.base_url()])
        .args(extra)
        .run()
        .code(0)
        .stdout("done\n")
        .stderr_starts_with("ok · HTTP 200");
    mock.assert();
}

/// Exit 2 naming `path` (and whatever else `more` asks for); nothing sent.
fn refused_for_config(cmd: &mut Fgs, path: &std::path::Path, extra: &[String], more: &[&str]) {
    let server = httpmock::MockServer::start();
    let anything = catch_all(&server);
    let mut stderr = predicate::str::starts_with("error:")
        .and(predicate::str::contains(path.display().to_string()))
        .boxed();
    for m in more {
        stderr = stderr.and(predicate::str::contains(*m)).boxed();
    }
    cmd.args([
        "invoke",
        URN,
        "--token",
        TOKEN,
        "--endpoint",
        &server.base_url(),
    ])
    .args(extra)
    .run()
    .code(2)
    .stdout("")
    .stderr_matches(stderr);
    anything.assert_calls(0);
}

#[test]
fn the_file_at_xdg_config_home_is_read() {
    let mut cmd = Fgs::new();
    let home = cmd.home();
    write_config(&home, "token = \"token-from-xdg-config-000000\"\n");
    invoke_uses_token(&mut cmd, "token-from-xdg-config-000000", &[]);
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let path = write_config(&home, "region = \"cn-north-4\"\n");
    cmd.args(["config", "show"])
        .run()
        .code(0)
        .stdout_starts_with(config_row(&path, "default"))
        .stderr("");
}

// Unix only: the `~/.config` fallback is the Unix place; on Windows the file is under `%APPDATA%` (tests/cli/platform.rs).
#[cfg(unix)]
#[test]
fn the_file_at_home_dot_config_is_read_without_xdg_config_home() {
    for xdg in [None, Some("relative/dir")] {
        let mut cmd = Fgs::new();
        let home = cmd.home();
        match xdg {
            None => cmd.env_remove("XDG_CONFIG_HOME"),
            // A relative XDG_CONFIG_HOME is invalid and ignored (XDG base directory spec).
            Some(dir) => cmd.env("XDG_CONFIG_HOME", dir),
        };
        let path = home.path().join(".config/fgs/config.toml");
        write_file(&path, "token = \"token-from-home-config-00000\"\n");
        invoke_uses_token(&mut cmd, "token-from-home-config-00000", &[]);

        let mut cmd = Fgs::new();
        let home = cmd.home();
        cmd.env_remove("XDG_CONFIG_HOME");
        let path = write_file(
            &home.path().join(".config/fgs/config.toml"),
            "timeout = 5\n",
        );
        cmd.args(["config", "path"])
            .run()
            .code(0)
            .stdout(format!("{}\n", path.display()))
            .stderr("");
    }
}

#[test]
fn xdg_config_home_wins_over_home_dot_config() {
    let mut cmd = Fgs::new();
    let home = cmd.home();
    write_config(&home, "token = \"token-from-xdg-config-000000\"\n");
    write_file(
        &home.path().join(".config/fgs/config.toml"),
        "token = \"token-from-home-config-00000\"\n",
    );
    invoke_uses_token(&mut cmd, "token-from-xdg-config-000000", &[]);
}

#[test]
fn a_missing_default_file_is_fine() {
    let mut cmd = Fgs::new();
    cmd.args(["config", "show"])
        .run()
        .code(0)
        .stdout_starts_with("config file      (not set)\n")
        .stderr("");
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), |then| ok(then, "done"));
    Fgs::new()
        .args(invoke_args(&server))
        .run()
        .code(0)
        .stdout("done\n")
        .stderr_starts_with("ok · HTTP 200");
    mock.assert();
}

#[test]
fn an_explicit_file_from_the_flag_or_fgs_config() {
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let path = write_file(
        &home.path().join("elsewhere.toml"),
        "token = \"token-from-explicit-file-000\"\n",
    );
    write_config(&home, "token = \"token-from-xdg-config-000000\"\n");
    let extra = ["--config".to_string(), path.display().to_string()];
    invoke_uses_token(&mut cmd, "token-from-explicit-file-000", &extra);

    let mut cmd = Fgs::new();
    let home = cmd.home();
    let path = write_file(
        &home.path().join("elsewhere.toml"),
        "token = \"token-from-explicit-file-000\"\n",
    );
    cmd.env("FGS_CONFIG", &path);
    invoke_uses_token(&mut cmd, "token-from-explicit-file-000", &[]);

    // The flag wins over the variable.
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let flag = write_file(&home.path().join("flag.toml"), "timeout = 1\n");
    let env = write_file(&home.path().join("env.toml"), "timeout = 2\n");
    cmd.env("FGS_CONFIG", &env)
        .args(["config", "path", "--config"])
        .arg(&flag)
        .run()
        .code(0)
        .stdout(format!("{}\n", flag.display()))
        .stderr("");

    let mut cmd = Fgs::new();
    let home = cmd.home();
    let env = write_file(&home.path().join("env.toml"), "timeout = 2\n");
    cmd.env("FGS_CONFIG", &env)
        .args(["config", "show"])
        .run()
        .code(0)
        .stdout_matches(
            predicate::str::starts_with(config_row(&env, "env FGS_CONFIG")).and(
                predicate::str::contains(format!("timeout          2 s  ({})\n", env.display())),
            ),
        )
        .stderr("");
}

#[test]
fn a_missing_explicit_file_is_exit_2_naming_it() {
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let missing = home.path().join("missing.toml");
    let extra = ["--config".to_string(), missing.display().to_string()];
    refused_for_config(&mut cmd, &missing, &extra, &[]);

    let mut cmd = Fgs::new();
    let home = cmd.home();
    let missing = home.path().join("missing.toml");
    cmd.env("FGS_CONFIG", &missing);
    refused_for_config(&mut cmd, &missing, &[], &[]);

    let mut cmd = Fgs::new();
    let home = cmd.home();
    let missing = home.path().join("missing.toml");
    cmd.args(["config", "show", "--config"])
        .arg(&missing)
        .run()
        .code(2)
        .stdout("")
        .stderr_contains(missing.display().to_string());
}

#[test]
fn a_toml_syntax_error_is_exit_2_naming_the_file_and_line() {
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let path = write_config(&home, "region = \"cn-north-4\"\n\nproject_id = \n");
    refused_for_config(&mut cmd, &path, &[], &["line 3"]);

    let mut cmd = Fgs::new();
    let home = cmd.home();
    let path = write_config(&home, "[profiles.dev\nregion = \"x\"\n");
    cmd.args(["config", "show"])
        .run()
        .code(2)
        .stdout("")
        .stderr_matches(
            predicate::str::contains(path.display().to_string())
                .and(predicate::str::contains("line 1")),
        );
}

#[test]
fn an_unknown_key_is_exit_2_naming_the_file_the_line_and_the_key() {
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let path = write_config(&home, "region = \"cn-north-4\"\nregoin = \"cn-north-4\"\n");
    refused_for_config(&mut cmd, &path, &[], &["line 2", "regoin"]);

    // In a profile too, even one that is not selected.
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let path = write_config(
        &home,
        "region = \"cn-north-4\"\n[profiles.dev]\nregion = \"cn-north-4\"\ntokn = \"x\"\n",
    );
    refused_for_config(&mut cmd, &path, &[], &["line 4", "tokn"]);
}

#[test]
fn an_unknown_profile_is_exit_2_listing_the_known_ones() {
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let path = write_config(
        &home,
        "region = \"cn-north-4\"\n[profiles.dev]\nregion = \"cn-north-4\"\n[profiles.prod]\nregion = \"cn-north-4\"\n",
    );
    let extra = ["--profile".to_string(), "staging".to_string()];
    refused_for_config(&mut cmd, &path, &extra, &["staging", "dev", "prod"]);

    let mut cmd = Fgs::new();
    let home = cmd.home();
    write_config(&home, "[profiles.dev]\nregion = \"cn-north-4\"\n");
    cmd.env("FGS_PROFILE", "nope")
        .args(["config", "show"])
        .run()
        .code(2)
        .stdout("")
        .stderr_matches(
            predicate::str::contains("nope")
                .and(predicate::str::contains("dev"))
                .and(predicate::str::contains("FGS_PROFILE")),
        );

    // No file at all: still exit 2, and it says so.
    let server = httpmock::MockServer::start();
    let anything = catch_all(&server);
    Fgs::new()
        .args(invoke_args(&server))
        .args(["--profile", "dev"])
        .run()
        .code(2)
        .stdout("")
        .stderr_contains("unknown profile `dev`");
    anything.assert_calls(0);
}

/// A legal Unix path whose bytes are not UTF-8 is used as it is, from `--config` and
/// `FGS_CONFIG`, and so is a `token_file` relative to it.
// Unix only: a Windows path or argument is UTF-16, where bytes that are not UTF-8 do not arise.
#[cfg(unix)]
#[test]
fn a_config_file_at_a_path_that_is_not_utf8_is_found_and_so_is_its_token_file() {
    use std::os::unix::ffi::OsStrExt;
    let token = "token-from-a-non-utf8-dir-0";
    for from_env in [false, true] {
        let mut cmd = Fgs::new();
        let home = cmd.home();
        let dir = home
            .path()
            .join(std::ffi::OsStr::from_bytes(b"conf-\xff-dir"));
        let config = write_file(&dir.join("config.toml"), "token_file = \"token.txt\"\n");
        write_file(&dir.join("token.txt"), &format!("{token}\n"));
        // Taken lossily, the path would name `conf-\u{fffd}-dir`: make sure that is absent.
        assert!(!home.path().join("conf-\u{fffd}-dir").exists());
        if from_env {
            cmd.env("FGS_CONFIG", &config);
            invoke_uses_token(&mut cmd, token, &[]);
        } else {
            cmd.arg("--config").arg(&config);
            invoke_uses_token(&mut cmd, token, &[]);
        }
    }
}

#[test]
fn config_typos_get_a_suggestion() {
    for (text, suggestion) in [
        ("regoin = \"cn-north-4\"\n", "did you mean region?"),
        (
            "[profile.dev]\nregion = \"cn-north-4\"\n",
            "did you mean [profiles.dev]?",
        ),
    ] {
        let mut cmd = Fgs::new();
        let home = cmd.home();
        write_config(&home, text);
        cmd.args(["config", "show"])
            .run()
            .code(2)
            .stderr_contains(suggestion);
    }
}

#[test]
fn config_init_writes_a_private_file_and_keeps_an_existing_one() {
    let mut cmd = Fgs::new();
    let home = cmd.home();
    cmd.args(["config", "init", "--region", "cn-north-4", "--project-id"])
        .arg("0123456789abcdef0123456789abcdef")
        .args(["--auth", "aksk"])
        .run()
        .code(0)
        .stdout("")
        .stderr_starts_with("wrote ");
    let path = xdg_config(&home);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("region = \"cn-north-4\"\n"), "{text}");
    assert!(
        text.contains("project_id = \"0123456789abcdef0123456789abcdef\"\n"),
        "{text}"
    );
    assert!(text.contains("auth = \"aksk\"\n"), "{text}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    // What it wrote is read back.
    let mut cmd = Fgs::new();
    cmd.home_of(home.path())
        .config_of(home.path())
        .args(["config", "show"])
        .run()
        .code(0)
        .stdout_contains("region           cn-north-4");
    // An existing file stays, unless --force.
    let mut cmd = Fgs::new();
    cmd.config_of(home.path())
        .args(["config", "init", "--region", "ap-southeast-1"])
        .run()
        .code(2)
        .stderr_contains("--force");
    let mut cmd = Fgs::new();
    cmd.config_of(home.path())
        .args(["config", "init", "--region", "ap-southeast-1", "--force"])
        .run()
        .code(0);
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .contains("ap-southeast-1")
    );
    // A bad value is refused before anything is written.
    let mut cmd = Fgs::new();
    let home = cmd.home();
    cmd.args(["config", "init", "--region", "REGION"])
        .run()
        .code(2)
        .stderr_contains("placeholder");
    assert!(!xdg_config(&home).exists());
}

// Unix only: runs fgs under `script(1)` for a pseudo-terminal; Windows has no `script`.
#[cfg(unix)]
#[test]
fn config_init_asks_on_a_terminal() {
    // script(1) gives fgs a terminal and types what it reads from its own stdin.
    let mut cmd = Fgs::program("script");
    let home = cmd.home();
    let out = cmd
        .args(["-q", "-e", "-c", &format!("{BIN} config init"), "/dev/null"])
        .stdin("cn-north-4\n\ntoken\n")
        .run();
    out.code(0);
    out.stdout_contains("region, e.g. cn-north-4");
    let text = std::fs::read_to_string(xdg_config(&home)).unwrap_or_default();
    assert!(text.contains("region = \"cn-north-4\""), "{text}");
    assert!(text.contains("auth = \"token\""), "{text}");
    assert!(!text.contains("project_id"), "{text}");
}

#[test]
fn config_show_as_json() {
    let out = Fgs::new()
        .args(["config", "show", URN, "-o", "json", "--token", TOKEN])
        .run();
    out.code(0);
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(doc["region"]["value"], "cn-north-4");
    assert_eq!(doc["region"]["source"], "the URN");
    assert_eq!(doc["token"]["value"], "***(31 chars)");
    assert_eq!(doc["ca_cert"], serde_json::Value::Null);
    out.stdout_lacks(TOKEN);
}
