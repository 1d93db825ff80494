//! KooCLI's `~/.hcloud/config.json`: its current AK/SK profile, when stored in clear, comes
//! after the SDK credentials file; encrypted keys, other modes and broken files are passed
//! by with a note under `-v`.

use std::path::{Path, PathBuf};

use httpmock::MockServer;

use crate::auth::{AK, SK, signature_valid, signing_gateway};
use crate::common::*;

/// Not the secret any gateway here accepts.
pub const KOOCLI_SK: &str = "KOOSENTINEL-secret-key-fedcba9876543210";

const BASIC: &[&str] = &["x-sdk-date", "x-project-id"];

/// KooCLI's file under `home`, with `top` (e.g. `"authEncrypt":"false",`) and the profiles.
pub fn koocli_file(home: &Path, top: &str, current: &str, profiles: &str) -> PathBuf {
    write_file(
        &home.join(".hcloud").join("config.json"),
        &format!(
            r#"{{"localDea":"intl","language":"en",{top}"current":"{current}","profiles":[{profiles}]}}"#
        ),
    )
}

/// A file in clear whose current profile `default` holds `profiles`' first match.
pub fn clear_koocli_file(home: &Path, profiles: &str) -> PathBuf {
    koocli_file(home, r#""authEncrypt":"false","#, "default", profiles)
}

pub fn aksk_profile(name: &str, ak: &str, sk: &str) -> String {
    format!(
        r#"{{"name":"{name}","mode":"AKSK","accessKeyId":"{ak}","secretAccessKey":"{sk}","securityToken":"","region":"cn-north-4","projectId":"","domainId":""}}"#
    )
}

fn invoke(cmd: &mut Fgs, server: &MockServer, extra: &[&str]) -> Run {
    cmd.args(["invoke", URN, "--endpoint", &server.base_url()]);
    cmd.args(extra).run()
}

#[test]
fn a_clear_aksk_profile_signs_the_call_and_config_show_names_it() {
    let server = MockServer::start();
    let (good, bad) = signing_gateway(&server, URN, SK, BASIC);
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let path = clear_koocli_file(
        home.path(),
        &format!(
            "{},{}",
            aksk_profile("other", AK, KOOCLI_SK),
            aksk_profile("default", AK, SK)
        ),
    );
    let r = invoke(&mut cmd, &server, &[]);
    r.code(0);
    good.assert_calls(1);
    bad.assert_calls(0);

    // A boolean false is read the same way.
    let mut cmd = Fgs::new();
    let home = cmd.home();
    koocli_file(
        home.path(),
        r#""authEncrypt":false,"#,
        "default",
        &aksk_profile("default", AK, SK),
    );
    let r = invoke(&mut cmd, &server, &[]);
    r.code(0);
    good.assert_calls(2);

    let mut cmd = Fgs::new();
    cmd.home_of(path.parent().unwrap().parent().unwrap());
    let r = cmd.args(["config", "show", URN]).run();
    r.code(0);
    assert!(
        r.stdout
            .contains(&format!("({} (KooCLI profile `default`))", path.display())),
        "{}",
        r.stdout
    );
    r.stdout_contains("auth             aksk");
    assert!(!r.stdout.contains(SK) && !r.stdout.contains(KOOCLI_SK));
}

#[test]
fn the_sdk_credentials_file_and_the_environment_come_first() {
    let server = MockServer::start();
    let (good, bad) = signing_gateway(&server, URN, SK, BASIC);
    let mut cmd = Fgs::new();
    let home = cmd.home();
    clear_koocli_file(home.path(), &aksk_profile("default", AK, KOOCLI_SK));
    write_file(
        &home.path().join(".huaweicloud").join("credentials"),
        &format!("[basic]\nak = {AK}\nsk = {SK}\n"),
    );
    let r = invoke(&mut cmd, &server, &[]);
    r.code(0);
    good.assert_calls(1);

    let mut cmd = Fgs::new();
    let home = cmd.home();
    clear_koocli_file(home.path(), &aksk_profile("default", AK, KOOCLI_SK));
    cmd.env("HUAWEICLOUD_SDK_AK", AK)
        .env("HUAWEICLOUD_SDK_SK", SK);
    let r = invoke(&mut cmd, &server, &[]);
    r.code(0);
    good.assert_calls(2);
    bad.assert_calls(0);

    // An explicit token comes before it too, and the file is then not read at all (a
    // broken one says nothing).
    let plain = MockServer::start();
    let by_token = expect_invocation(&plain, &Expect::default(), |t| ok(t, "1"));
    let mut cmd = Fgs::new();
    let home = cmd.home();
    koocli_file(home.path(), "", "default", "");
    let r = invoke(&mut cmd, &plain, &["--token", TOKEN, "-v"]);
    r.code(0);
    r.stderr_lacks("KooCLI");
    by_token.assert_calls(1);
}

#[test]
fn fgs_profiles_do_not_select_koocli_profiles() {
    let server = MockServer::start();
    let (good, bad) = signing_gateway(&server, URN, SK, BASIC);
    let mut cmd = Fgs::new();
    let home = cmd.home();
    clear_koocli_file(
        home.path(),
        &format!(
            "{},{}",
            aksk_profile("default", AK, SK),
            aksk_profile("dev", AK, KOOCLI_SK)
        ),
    );
    write_config(&home, "[profiles.dev]\ntimeout = 30\n");
    let r = invoke(&mut cmd, &server, &["--profile", "dev"]);
    r.code(0);
    good.assert_calls(1);
    bad.assert_calls(0);
}

#[test]
fn files_that_cannot_be_used_are_passed_by_with_a_note_under_verbose() {
    let cases: [(&str, &str, String, &str); 5] = [
        (
            "encrypted",
            r#""authEncrypt":"true","#,
            aksk_profile("default", AK, SK),
            "stored encrypted",
        ),
        (
            "no marker",
            "",
            aksk_profile("default", AK, SK),
            "stored encrypted",
        ),
        (
            "agency mode",
            r#""authEncrypt":"false","#,
            r#"{"name":"default","mode":"ecsAgency"}"#.to_string(),
            "mode `ecsAgency`, not AKSK",
        ),
        (
            "no current",
            r#""authEncrypt":"false","#,
            aksk_profile("other", AK, SK),
            "`default` is not among",
        ),
        (
            "half a pair",
            r#""authEncrypt":"false","#,
            aksk_profile("default", AK, ""),
            "no secretAccessKey",
        ),
    ];
    let server = MockServer::start();
    let sent = catch_all(&server);
    for (label, top, profile, note) in cases {
        for verbose in [false, true] {
            let mut cmd = Fgs::new();
            let home = cmd.home();
            let path = koocli_file(home.path(), top, "default", &profile);
            let extra: &[&str] = if verbose { &["-v"] } else { &[] };
            let r = invoke(&mut cmd, &server, extra);
            assert_eq!(r.code, Some(3), "{label}: {}", r.stderr);
            assert!(r.stderr.contains("no credentials"), "{label}: {}", r.stderr);
            let said = r
                .stderr
                .contains(&format!("note: skipped KooCLI's {}", path.display()));
            assert_eq!(said, verbose, "{label}: {}", r.stderr);
            assert_eq!(r.stderr.contains(note), verbose, "{label}: {}", r.stderr);
            assert!(!r.stderr.contains(SK), "{label}: {}", r.stderr);
        }
    }
    // A file that is not JSON: passed by too, its text never quoted.
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let path = home.path().join(".hcloud").join("config.json");
    write_file(&path, &format!("{{\"secretAccessKey\": \"{SK}\" oops"));
    let r = invoke(&mut cmd, &server, &["-v"]);
    r.code(3);
    r.stderr_contains("not the JSON KooCLI writes");
    r.stderr_lacks(SK);
    sent.assert_calls(0);
}

#[test]
fn a_clear_koocli_file_others_can_read_is_warned_about() {
    let server = MockServer::start();
    let good = server.mock(|when, then| {
        when.is_true(|req| signature_valid(req, AK, SK, BASIC));
        ok(then, "1");
    });
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let path = clear_koocli_file(home.path(), &aksk_profile("default", AK, SK));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    let r = invoke(&mut cmd, &server, &[]);
    r.code(0);
    // Files have no mode to warn about on Windows.
    if cfg!(unix) {
        assert!(
            r.stderr.contains("warning:") && r.stderr.contains(&path.display().to_string()),
            "{}",
            r.stderr
        );
    }
    good.assert_calls(1);
}
