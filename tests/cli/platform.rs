//! What differs by system outside local mode (`src/sys/`): where the config file and the
//! caches are, and the shell that runs `token_command`. Each system's tests run on it; the
//! Windows ones run under Wine.

use std::path::Path;

use crate::common::*;

/// An invocation with `cmd` is sent with `token`, and succeeds.
fn invoke_uses_token(cmd: &mut Fgs, token: &str) {
    let server = httpmock::MockServer::start();
    let expect = Expect {
        token: token.into(),
        ..Expect::default()
    };
    let mock = expect_invocation(&server, &expect, |then| ok(then, "done"));
    cmd.args(["invoke", URN, "--endpoint", &server.base_url()])
        .run()
        .code(0)
        .stdout("done\n")
        .stderr_starts_with("ok · HTTP 200");
    mock.assert();
}

/// `fgs config path` prints `expected`, which does not exist yet.
fn config_path_is(cmd: &mut Fgs, expected: &Path) {
    cmd.args(["config", "path"])
        .run()
        .code(0)
        .stdout(format!("{}\n", expected.display()))
        .stderr_contains("does not exist yet");
}

/// `fgs logout` looks for the login cache at `expected`.
fn login_cache_is(cmd: &mut Fgs, expected: &Path) {
    cmd.arg("logout").run().code(0).stdout("").stderr(format!(
        "not logged in: {} does not exist\n",
        expected.display()
    ));
}

// Unix only: XDG directories and `sh` are the Unix side of the seam.
#[cfg(unix)]
#[test]
fn the_config_file_and_the_login_cache_follow_the_xdg_variables() {
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let config = home.path().join("elsewhere");
    cmd.env("XDG_CONFIG_HOME", &config);
    config_path_is(&mut cmd, &config.join("fgs").join("config.toml"));

    let mut cmd = Fgs::new();
    let home = cmd.home();
    let cache = home.path().join("cache-elsewhere");
    cmd.env("XDG_CACHE_HOME", &cache);
    login_cache_is(&mut cmd, &cache.join("fgs").join("login-default.json"));

    let mut cmd = Fgs::new();
    let home = cmd.home();
    cmd.env_remove("XDG_CACHE_HOME");
    login_cache_is(&mut cmd, &home.path().join(".cache/fgs/login-default.json"));
}

// Unix only: the command line is shell syntax (arithmetic, a pipe, a variable).
#[cfg(unix)]
#[test]
fn token_command_runs_through_sh() {
    let mut cmd = Fgs::new();
    let home = cmd.home();
    write_config(
        &home,
        "token_command = \"n=$((40 + 2)); printf 'TOKEN-FROM-SH-%s\\\\n' $n | tr A-Z a-z\"\n",
    );
    invoke_uses_token(&mut cmd, "token-from-sh-42");
}

// Windows only: `%APPDATA%` is Windows's place for the config file.
#[cfg(windows)]
#[test]
fn the_config_file_is_under_appdata() {
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let appdata = home.path().join("Roaming");
    cmd.env("APPDATA", &appdata);
    let path = appdata.join("fgs").join("config.toml");
    config_path_is(&mut cmd, &path);

    let mut cmd = Fgs::new();
    cmd.env("APPDATA", &appdata);
    write_file(&path, "token = \"token-from-appdata-000000\"\n");
    cmd.args(["config", "path"])
        .run()
        .code(0)
        .stdout(format!("{}\n", path.display()))
        .stderr("");
    let mut cmd = Fgs::new();
    cmd.env("APPDATA", &appdata);
    invoke_uses_token(&mut cmd, "token-from-appdata-000000");
}

// Windows only: `%LOCALAPPDATA%` is Windows's place for caches.
#[cfg(windows)]
#[test]
fn the_login_cache_is_under_localappdata() {
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let local = home.path().join("Local");
    cmd.env("LOCALAPPDATA", &local);
    login_cache_is(&mut cmd, &local.join("fgs").join("login-default.json"));
}

// Windows only: `cmd /C` runs the command line.
#[cfg(windows)]
#[test]
fn token_command_runs_through_cmd() {
    let mut cmd = Fgs::new();
    let home = cmd.home();
    write_config(&home, "token_command = \"echo token-from-cmd-0000000\"\n");
    invoke_uses_token(&mut cmd, "token-from-cmd-0000000");

    let server = httpmock::MockServer::start();
    let sent = catch_all(&server);
    let mut cmd = Fgs::new();
    let home = cmd.home();
    write_config(
        &home,
        "token_command = \"echo vault is sealed 1>&2 & exit /b 4\"\n",
    );
    let r = cmd
        .args(["invoke", URN, "--endpoint", &server.base_url()])
        .run();
    r.code(3);
    r.stderr_contains("vault is sealed");
    sent.assert_calls(0);
}
