//! Credentials: AK/SK signing checked by a server that recomputes the signature on its own,
//! every source of keys and tokens, `--auth`, `fgs login`/`logout`, `token_command`, and the
//! safety rules.

use std::path::Path;
use std::time::{Duration, SystemTime};

use hmac::{Hmac, Mac};
use httpmock::{HttpMockRequest, Method::POST, MockServer};
use sha2::{Digest, Sha256};

use crate::common::*;

pub const AK: &str = "AKSENTINEL0123456789";
pub const SK: &str = "SKSENTINEL-secret-key-0123456789abcdef";
pub const SECURITY_TOKEN: &str = "STSENTINEL-security-token-0123456789";

// ---------------------------------------------------------------------------------------
// An independent verifier: what the gateway does with an SDK-HMAC-SHA256 request.
// ---------------------------------------------------------------------------------------

fn header<'a>(req: &'a HttpMockRequest, name: &str) -> Option<&'a str> {
    req.headers_vec()
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Bytes other than A-Z a-z 0-9 - _ . ~ as %XY, upper-case hex.
fn escape(text: &[u8]) -> String {
    text.iter()
        .map(|&b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn canonical_uri(path: &str) -> String {
    let mut uri = path
        .split('/')
        .map(|segment| escape(&percent_encoding::percent_decode_str(segment).collect::<Vec<u8>>()))
        .collect::<Vec<_>>()
        .join("/");
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

/// Recompute the signature of `req` with `sk`; true when it matches and covers the headers
/// the gateway insists on.
pub fn signature_valid(req: &HttpMockRequest, ak: &str, sk: &str, must_sign: &[&str]) -> bool {
    let Some(authorization) = header(req, "authorization") else {
        return false;
    };
    let Some(rest) = authorization.strip_prefix("SDK-HMAC-SHA256 ") else {
        return false;
    };
    let mut access = None;
    let mut signed = None;
    let mut signature = None;
    for part in rest.split(", ") {
        match part.split_once('=') {
            Some(("Access", v)) => access = Some(v),
            Some(("SignedHeaders", v)) => signed = Some(v),
            Some(("Signature", v)) => signature = Some(v),
            _ => return false,
        }
    }
    let (Some(access), Some(signed), Some(signature)) = (access, signed, signature) else {
        return false;
    };
    let names: Vec<&str> = signed.split(';').collect();
    if access != ak || must_sign.iter().any(|m| !names.contains(m)) {
        return false;
    }
    let mut canonical_headers = String::new();
    for name in &names {
        let Some(value) = header(req, name) else {
            return false;
        };
        canonical_headers.push_str(&format!("{name}:{}\n", value.trim()));
    }
    let uri = req.uri();
    let canonical = format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        req.method_str(),
        canonical_uri(uri.path()),
        canonical_query(uri.query().unwrap_or("")),
        canonical_headers,
        signed,
        hex::encode(Sha256::digest(req.body_ref()))
    );
    let Some(date) = header(req, "x-sdk-date") else {
        return false;
    };
    let to_sign = format!(
        "SDK-HMAC-SHA256\n{date}\n{}",
        hex::encode(Sha256::digest(canonical.as_bytes()))
    );
    let mut mac = Hmac::<Sha256>::new_from_slice(sk.as_bytes()).expect("any key length");
    mac.update(to_sign.as_bytes());
    hex::encode(mac.finalize().into_bytes()) == signature
}

/// The signing algorithm's canonical query: each `key=value` decoded, then encoded with only
/// the unreserved characters left as they are, sorted, joined with `&`.
fn canonical_query(query: &str) -> String {
    const KEEP: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    let encode = |part: &str| {
        let decoded = percent_encoding::percent_decode_str(&part.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned();
        percent_encoding::utf8_percent_encode(&decoded, KEEP).to_string()
    };
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (encode(k), encode(v))
        })
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// A gateway: 200 for a request signed with `sk`, else the documented 401 APIG.0301.
pub fn signing_gateway<'a>(
    server: &'a MockServer,
    urn: &str,
    sk: &'static str,
    must_sign: &'static [&'static str],
) -> (httpmock::Mock<'a>, httpmock::Mock<'a>) {
    let good = server.mock(|when, then| {
        when.method(POST)
            .path(invocation_path(PROJECT, urn))
            .header("X-Project-Id", PROJECT)
            .header_missing("X-Auth-Token")
            .is_true(move |req| signature_valid(req, AK, sk, must_sign));
        ok(then, "{\"signed\":true}");
    });
    let bad = server.mock(|when, then| {
        when.method(POST);
        then.status(401).header("Content-Type", "application/json").body(
            r#"{"error_msg":"Incorrect IAM authentication information: verify aksk signature fail","error_code":"APIG.0301","request_id":"r-401"}"#,
        );
    });
    (good, bad)
}

const BASIC: &[&str] = &[
    "x-sdk-date",
    "x-project-id",
    "x-cff-request-version",
    "x-cff-log-type",
];

fn aksk_env(cmd: &mut Fgs, ak: &str, sk: &str) {
    cmd.env("HUAWEICLOUD_SDK_AK", ak)
        .env("HUAWEICLOUD_SDK_SK", sk);
}

// ---------------------------------------------------------------------------------------
// Signing
// ---------------------------------------------------------------------------------------

#[test]
fn aksk_from_the_environment_signs_what_the_gateway_verifies() {
    let server = MockServer::start();
    let (good, bad) = signing_gateway(&server, URN, SK, BASIC);
    let mut cmd = Fgs::new();
    aksk_env(&mut cmd, AK, SK);
    let r = cmd
        .args([
            "invoke",
            URN,
            "-d",
            r#"{"k": "v"}"#,
            "--endpoint",
            &server.base_url(),
        ])
        .run();
    r.code(0);
    r.stdout("{\"signed\":true}\n");
    good.assert_calls(1);
    bad.assert_calls(0);
}

#[test]
fn the_sdk_date_header_is_utc_and_current() {
    let server = MockServer::start();
    let seen = server.mock(|when, then| {
        when.method(POST).is_true(|req| {
            let Some(date) = header(req, "x-sdk-date") else {
                return false;
            };
            let iso = format!(
                "{}-{}-{}T{}:{}:{}Z",
                &date[0..4],
                &date[4..6],
                &date[6..8],
                &date[9..11],
                &date[11..13],
                &date[13..15]
            );
            let Ok(at) = humantime::parse_rfc3339(&iso) else {
                return false;
            };
            let now = SystemTime::now();
            date.len() == 16
                && &date[8..9] == "T"
                && date.ends_with('Z')
                && at.duration_since(now).unwrap_or_default() < Duration::from_secs(60)
                && now.duration_since(at).unwrap_or_default() < Duration::from_secs(60)
        });
        ok(then, "1");
    });
    let mut cmd = Fgs::new();
    aksk_env(&mut cmd, AK, SK);
    let r = cmd
        .args(["invoke", URN, "--endpoint", &server.base_url()])
        .run();
    r.code(0);
    seen.assert();
}

#[test]
fn a_wrong_secret_key_is_exit_3_with_the_lockout_hint_and_no_retry() {
    let server = MockServer::start();
    let (good, bad) = signing_gateway(&server, URN, SK, BASIC);
    let mut cmd = Fgs::new();
    aksk_env(&mut cmd, AK, "not-the-secret-key");
    let r = cmd
        .args(["invoke", URN, "--endpoint", &server.base_url()])
        .run();
    r.code(3);
    r.stdout("");
    r.stderr_contains("APIG.0301");
    r.stderr_contains("locked for 5 minutes");
    good.assert_calls(0);
    bad.assert_calls(1);
}

#[test]
fn temporary_credentials_send_and_sign_the_security_token() {
    let server = MockServer::start();
    // Accepted only with the security token's own value, signed along with the date.
    let good = server.mock(|when, then| {
        when.method(POST)
            .path(invocation_path(PROJECT, URN))
            .header("X-Security-Token", SECURITY_TOKEN)
            .is_true(|req| signature_valid(req, AK, SK, &["x-security-token", "x-sdk-date"]));
        ok(then, "{\"signed\":true}");
    });
    let refused = catch_all(&server);
    let mut cmd = Fgs::new();
    aksk_env(&mut cmd, AK, SK);
    cmd.env("HUAWEICLOUD_SDK_SECURITY_TOKEN", SECURITY_TOKEN);
    let r = cmd
        .args(["invoke", URN, "--endpoint", &server.base_url()])
        .run();
    r.code(0);
    good.assert_calls(1);
    refused.assert_calls(0);
}

#[test]
fn an_alias_urn_signs_its_percent_encoded_path() {
    let server = MockServer::start();
    let alias = URN.replace(":latest", ":!prod");
    let (good, _bad) = signing_gateway(&server, &alias, SK, BASIC);
    let mut cmd = Fgs::new();
    aksk_env(&mut cmd, AK, SK);
    let r = cmd
        .args([
            "invoke",
            &URN.replace(":latest", ""),
            "--alias",
            "prod",
            "--memory",
            "256",
            "--endpoint",
            &server.base_url(),
        ])
        .run();
    r.code(0);
    good.assert_calls(1);
}

#[test]
fn clock_skew_is_named_in_the_hint() {
    let server = MockServer::start();
    let skewed = httpdate::fmt_http_date(SystemTime::now() - Duration::from_secs(3600));
    let refused = server.mock(|when, then| {
        when.method(POST);
        then.status(401).header("Date", skewed.as_str()).body(
            r#"{"error_msg":"Incorrect IAM authentication information: verify aksk signature fail","error_code":"APIG.0301"}"#,
        );
    });
    let mut cmd = Fgs::new();
    aksk_env(&mut cmd, AK, SK);
    let r = cmd
        .args(["invoke", URN, "--endpoint", &server.base_url()])
        .run();
    r.code(3);
    r.stderr_contains("clock");
    refused.assert_calls(1);
}

// ---------------------------------------------------------------------------------------
// Where the keys come from
// ---------------------------------------------------------------------------------------

fn credentials_file(home: &Path, text: &str) {
    write_file(&home.join(".huaweicloud").join("credentials"), text);
}

/// Invoke against a gateway that accepts only `expected_sk`; true when it was accepted.
fn signed_with(cmd: &mut Fgs, server: &MockServer, expected_sk: &'static str) {
    let (good, bad) = signing_gateway(server, URN, expected_sk, BASIC);
    let r = cmd
        .args(["invoke", URN, "--endpoint", &server.base_url()])
        .run();
    r.code(0);
    good.assert_calls(1);
    bad.assert_calls(0);
}

#[test]
fn environment_keys_win_over_the_config_file_and_the_credentials_file() {
    let server = MockServer::start();
    let mut cmd = Fgs::new();
    let home = cmd.home();
    write_config(
        &home,
        &format!("access_key = \"{AK}\"\nsecret_key = \"config-sk\"\n"),
    );
    credentials_file(home.path(), &format!("[basic]\nak = {AK}\nsk = file-sk\n"));
    aksk_env(&mut cmd, AK, SK);
    signed_with(&mut cmd, &server, SK);
}

#[test]
fn the_config_profile_wins_over_its_top_level_and_the_credentials_file() {
    let server = MockServer::start();
    let mut cmd = Fgs::new();
    let home = cmd.home();
    write_config(
        &home,
        &format!(
            "access_key = \"{AK}\"\nsecret_key = \"top-sk\"\n[profiles.p]\naccess_key = \"{AK}\"\nsecret_key = \"{SK}\"\n"
        ),
    );
    credentials_file(home.path(), &format!("[basic]\nak = {AK}\nsk = file-sk\n"));
    let (good, _bad) = signing_gateway(&server, URN, SK, BASIC);
    let r = cmd
        .args([
            "invoke",
            URN,
            "--endpoint",
            &server.base_url(),
            "--profile",
            "p",
        ])
        .run();
    r.code(0);
    good.assert_calls(1);
}

#[test]
fn the_config_top_level_wins_over_the_credentials_file() {
    let server = MockServer::start();
    let mut cmd = Fgs::new();
    let home = cmd.home();
    write_config(
        &home,
        &format!("access_key = \"{AK}\"\nsecret_key = \"{SK}\"\n"),
    );
    credentials_file(home.path(), &format!("[basic]\nak = {AK}\nsk = file-sk\n"));
    signed_with(&mut cmd, &server, SK);
}

#[test]
fn the_sdk_credentials_file_is_read_and_can_be_moved() {
    let server = MockServer::start();
    let mut cmd = Fgs::new();
    let home = cmd.home();
    credentials_file(home.path(), &format!("[basic]\nak = {AK}\nsk = {SK}\n"));
    signed_with(&mut cmd, &server, SK);

    let server = MockServer::start();
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let moved = write_file(
        &home.path().join("elsewhere.ini"),
        &format!("[basic]\nak = {AK}\nsk = {SK}\nsecurity_token = {SECURITY_TOKEN}\n"),
    );
    cmd.env("HUAWEICLOUD_SDK_CREDENTIALS_FILE", &moved);
    let (good, _bad) = signing_gateway(&server, URN, SK, &["x-security-token"]);
    let r = cmd
        .args(["invoke", URN, "--endpoint", &server.base_url()])
        .run();
    r.code(0);
    good.assert_calls(1);
}

#[test]
fn sdk_project_ids_are_fallbacks_below_the_explicit_ones() {
    let server = MockServer::start();
    // A short name: the project comes from HUAWEICLOUD_SDK_PROJECT_ID.
    let invoked = expect_invocation(&server, &Expect::default(), |t| ok(t, "1"));
    let mut cmd = Fgs::new();
    cmd.env("HUAWEICLOUD_SDK_PROJECT_ID", PROJECT);
    let r = cmd
        .args([
            "invoke",
            "hello",
            "--region",
            REGION,
            "--token",
            TOKEN,
            "--endpoint",
            &server.base_url(),
        ])
        .run();
    r.code(0);
    invoked.assert_calls(1);

    // ... or from the credentials file's project_id.
    let mut cmd = Fgs::new();
    let home = cmd.home();
    credentials_file(home.path(), &format!("[basic]\nproject_id = {PROJECT}\n"));
    let r = cmd
        .args([
            "invoke",
            "hello",
            "--region",
            REGION,
            "--token",
            TOKEN,
            "--endpoint",
            &server.base_url(),
        ])
        .run();
    r.code(0);
    invoked.assert_calls(2);

    // FGS_PROJECT_ID wins over both; a full URN in another project is no conflict.
    let mut cmd = Fgs::new();
    cmd.env(
        "HUAWEICLOUD_SDK_PROJECT_ID",
        "ffffffffffffffffffffffffffffffff",
    );
    let r = cmd.args(["config", "show", URN]).run();
    r.code(0);
    assert!(
        r.stdout
            .contains(&format!("project id       {PROJECT}  (the URN)")),
        "{}",
        r.stdout
    );
    let mut cmd = Fgs::new();
    cmd.env(
        "HUAWEICLOUD_SDK_PROJECT_ID",
        "ffffffffffffffffffffffffffffffff",
    )
    .env("FGS_PROJECT_ID", PROJECT);
    let r = cmd.args(["config", "show", "hello"]).run();
    assert!(
        r.stdout
            .contains(&format!("project id       {PROJECT}  (env FGS_PROJECT_ID)")),
        "{}",
        r.stdout
    );
}

#[test]
fn half_a_key_pair_is_exit_3_naming_its_source() {
    let server = MockServer::start();
    let sent = catch_all(&server);
    let mut cmd = Fgs::new();
    cmd.env("HUAWEICLOUD_SDK_AK", AK);
    let r = cmd
        .args(["invoke", URN, "--endpoint", &server.base_url()])
        .run();
    r.code(3);
    assert!(
        r.stderr
            .starts_with("error: HUAWEICLOUD_SDK_AK is set but HUAWEICLOUD_SDK_SK is not\n"),
        "{}",
        r.stderr
    );
    sent.assert_calls(0);
    // Half a pair in the config file names the file.
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let path = write_config(&home, "access_key = \"AKONLY0123456789\"\n");
    let r = cmd
        .args(["invoke", URN, "--endpoint", &server.base_url()])
        .run();
    r.code(3);
    r.stderr_contains(format!(
        "the secret key of the pair from {} is missing",
        path.display()
    ));
}

#[test]
fn no_credentials_at_all_lists_every_way() {
    let server = MockServer::start();
    let sent = catch_all(&server);
    let r = Fgs::new()
        .args(["invoke", URN, "--endpoint", &server.base_url()])
        .run();
    r.code(3);
    r.stdout("");
    for way in [
        "HUAWEICLOUD_SDK_AK",
        "fgs login",
        "FGS_TOKEN",
        "token_command",
        ".huaweicloud/credentials",
    ] {
        assert!(r.stderr.contains(way), "missing {way}: {}", r.stderr);
    }
    let first = r.stderr.find("HUAWEICLOUD_SDK_AK").unwrap();
    assert!(
        first < r.stderr.find("fgs login").unwrap() && first < r.stderr.find("FGS_TOKEN").unwrap()
    );
    sent.assert_calls(0);
}

// ---------------------------------------------------------------------------------------
// Which method: the automatic order and --auth
// ---------------------------------------------------------------------------------------

#[test]
fn an_explicit_token_comes_before_access_keys() {
    let server = MockServer::start();
    let by_token = expect_invocation(&server, &Expect::default(), |t| ok(t, "1"));
    let mut cmd = Fgs::new();
    aksk_env(&mut cmd, AK, SK);
    let r = cmd
        .args([
            "invoke",
            URN,
            "--token",
            TOKEN,
            "--endpoint",
            &server.base_url(),
        ])
        .run();
    r.code(0);
    by_token.assert_calls(1);
}

#[test]
fn auth_forces_each_method() {
    let server = MockServer::start();
    let (good, _bad) = signing_gateway(&server, URN, SK, BASIC);
    // --auth aksk over a token that would otherwise win
    let mut cmd = Fgs::new();
    aksk_env(&mut cmd, AK, SK);
    let r = cmd
        .args([
            "invoke",
            URN,
            "--token",
            TOKEN,
            "--auth",
            "aksk",
            "--endpoint",
            &server.base_url(),
        ])
        .run();
    r.code(0);
    good.assert_calls(1);

    // config `auth = "aksk"` likewise
    let mut cmd = Fgs::new();
    let home = cmd.home();
    write_config(&home, &format!("auth = \"aksk\"\ntoken = \"{TOKEN}\"\n"));
    aksk_env(&mut cmd, AK, SK);
    let r = cmd
        .args(["invoke", URN, "--endpoint", &server.base_url()])
        .run();
    r.code(0);
    good.assert_calls(2);

    // FGS_AUTH=token with only access keys: exit 3, nothing sent
    let other = MockServer::start();
    let sent = catch_all(&other);
    let mut cmd = Fgs::new();
    aksk_env(&mut cmd, AK, SK);
    cmd.env("FGS_AUTH", "token");
    let r = cmd
        .args(["invoke", URN, "--endpoint", &other.base_url()])
        .run();
    r.code(3);
    r.stderr_contains("FGS_AUTH");
    sent.assert_calls(0);

    // --auth aksk with only a token: exit 3
    let mut cmd = Fgs::new();
    let r = cmd
        .args([
            "invoke",
            URN,
            "--token",
            TOKEN,
            "--auth",
            "aksk",
            "--endpoint",
            &other.base_url(),
        ])
        .run();
    r.code(3);
    sent.assert_calls(0);

    // a bad config value is exit 2
    let mut cmd = Fgs::new();
    let home = cmd.home();
    write_config(&home, "auth = \"password\"\n");
    let r = cmd
        .args([
            "invoke",
            URN,
            "--token",
            TOKEN,
            "--endpoint",
            &other.base_url(),
        ])
        .run();
    r.code(2);
    r.stderr_contains("`token`, `aksk` or `metadata`");
}

#[test]
fn config_show_names_the_method_and_masks_the_secrets() {
    let mut cmd = Fgs::new();
    aksk_env(&mut cmd, AK, SK);
    let r = cmd.args(["config", "show", URN]).run();
    r.code(0);
    r.stdout_contains("auth             aksk");
    assert!(
        r.stdout
            .contains(&format!("secret key       ***({} chars)", SK.len())),
        "{}",
        r.stdout
    );
    // The access key is an identifier: its last four characters, as aws shows it.
    r.stdout_contains(format!(
        "access key       {}{}",
        "*".repeat(AK.len() - 4),
        &AK[AK.len() - 4..]
    ));
    assert!(!r.stdout.contains(SK) && !r.stdout.contains(AK));
}

// ---------------------------------------------------------------------------------------
// token_command
// ---------------------------------------------------------------------------------------

// Unix only: `token_command` is in sh syntax here; tests/cli/platform.rs runs one through `cmd /C` on Windows.
#[cfg(unix)]
#[test]
fn token_command_runs_only_when_a_token_is_needed() {
    let server = MockServer::start();
    let invoked = expect_invocation(&server, &Expect::default(), |t| ok(t, "1"));
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let marker = home.path().join("ran");
    write_config(
        &home,
        &format!(
            "token_command = \"touch '{}'; printf '%s\\\\n' {TOKEN}\"\n",
            marker.display()
        ),
    );
    // config show does not run it
    let r = cmd.args(["config", "show", URN]).run();
    r.code(0);
    r.stdout_contains("token_command");
    assert!(!marker.exists(), "config show ran token_command");

    let mut cmd = Fgs::new();
    cmd.home_of(home.path()).config_of(home.path());
    let r = cmd
        .args(["invoke", URN, "--endpoint", &server.base_url()])
        .run();
    r.code(0);
    assert!(marker.exists());
    invoked.assert_calls(1);
}

// Unix only: `token_command` is in sh syntax here; tests/cli/platform.rs runs one through `cmd /C` on Windows.
#[cfg(unix)]
#[test]
fn a_failing_token_command_is_exit_3_with_its_stderr() {
    let server = MockServer::start();
    let sent = catch_all(&server);
    let mut cmd = Fgs::new();
    let home = cmd.home();
    write_config(
        &home,
        "token_command = \"echo 'vault is sealed' >&2; exit 4\"\n",
    );
    let r = cmd
        .args(["invoke", URN, "--endpoint", &server.base_url()])
        .run();
    r.code(3);
    r.stderr_contains("vault is sealed");
    sent.assert_calls(0);
}

// ---------------------------------------------------------------------------------------
// fgs login / logout
// ---------------------------------------------------------------------------------------

pub const PASSWORD: &str = "PWSENTINEL-password-0123";
pub const ISSUED: &str = "MIIESENTINEL-issued-token-0123456789";

fn iam(server: &MockServer) -> (httpmock::Mock<'_>, httpmock::Mock<'_>) {
    let good = server.mock(|when, then| {
        when.method(POST)
            .path("/v3/auth/tokens")
            .query_param("nocatalog", "true")
            .json_body_includes(format!(
                r#"{{"auth":{{"identity":{{"methods":["password"],"password":{{"user":{{"name":"alice","password":"{PASSWORD}","domain":{{"name":"acme"}}}}}}}}}}}}"#
            ))
            .json_body_includes(format!(r#"{{"auth":{{"scope":{{"project":{{"id":"{PROJECT}"}}}}}}}}"#));
        then.status(201)
            .header("X-Subject-Token", ISSUED)
            .header("Content-Type", "application/json")
            .body(format!(
                r#"{{"token":{{"expires_at":"2099-01-01T00:00:00.000000Z","issued_at":"2098-12-31T00:00:00.000000Z","methods":["password"],"project":{{"id":"{PROJECT}","name":"{REGION}"}}}}}}"#
            ));
    });
    let bad = server.mock(|when, then| {
        when.method(POST).path("/v3/auth/tokens");
        then.status(401).body(
            r#"{"error":{"code":401,"message":"The username or password is wrong.","title":"Unauthorized"}}"#,
        );
    });
    (good, bad)
}

fn login(cmd: &mut Fgs, iam: &MockServer, password: &str) -> Run {
    login_with(cmd, iam, password, &[])
}

/// `fgs login` against `iam` with `extra` arguments after the usual ones.
fn login_with(cmd: &mut Fgs, iam: &MockServer, password: &str, extra: &[&str]) -> Run {
    cmd.args([
        "login",
        "--user",
        "alice",
        "--domain",
        "acme",
        "--region",
        REGION,
        "--project-id",
        PROJECT,
        "--iam-endpoint",
        &iam.base_url(),
        "--password-stdin",
    ])
    .args(extra)
    .stdin(format!("{password}\n"))
    .run()
}

fn cache_file(home: &Path) -> std::path::PathBuf {
    home.join("xdg-cache")
        .join("fgs")
        .join("login-default.json")
}

#[test]
fn login_caches_a_private_token_that_invoke_then_uses() {
    let iam_server = MockServer::start();
    let (good, _bad) = iam(&iam_server);
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let r = login(&mut cmd, &iam_server, PASSWORD);
    r.code(0);
    r.stdout("");
    r.stderr_contains("logged in as alice");
    good.assert_calls(1);
    let cache = cache_file(home.path());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&cache), 0o600);
        assert_eq!(mode(cache.parent().unwrap()), 0o700);
    }

    let server = MockServer::start();
    let expect = Expect {
        token: ISSUED.into(),
        ..Expect::default()
    };
    let invoked = expect_invocation(&server, &expect, |t| ok(t, "1"));
    let mut cmd = Fgs::new();
    cmd.home_of(home.path()).cache_of(home.path());
    let r = cmd
        .args(["invoke", URN, "--endpoint", &server.base_url()])
        .run();
    r.code(0);
    invoked.assert_calls(1);

    // config show shows the expiry; logout deletes the cache
    let mut cmd = Fgs::new();
    cmd.cache_of(home.path());
    let r = cmd.args(["config", "show", URN]).run();
    assert!(
        r.stdout
            .contains("expires          2099-01-01T00:00:00.000000Z"),
        "{}",
        r.stdout
    );
    let mut cmd = Fgs::new();
    cmd.cache_of(home.path());
    let r = cmd.arg("logout").run();
    r.code(0);
    assert!(!cache.exists());
}

#[test]
fn a_wrong_password_is_exit_3_and_caches_nothing() {
    let iam_server = MockServer::start();
    let (good, bad) = iam(&iam_server);
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let r = login(&mut cmd, &iam_server, "wrong-password");
    r.code(3);
    r.stderr_contains("password was refused");
    good.assert_calls(0);
    bad.assert_calls(1);
    assert!(!cache_file(home.path()).exists());
}

/// IAM's own words reach the user, with its request id and the hint: a wrong password and a
/// locked account read differently.
#[test]
fn a_refused_login_shows_iams_message_and_request_id() {
    for (code, message) in [
        (401, "The username or password is wrong."),
        (401, "The account is locked."),
    ] {
        let iam_server = MockServer::start();
        let refused = iam_server.mock(|when, then| {
            when.method(POST).path("/v3/auth/tokens");
            then.status(code)
                .header("X-Request-Id", "iam-req-77")
                .body(format!(
                    r#"{{"error":{{"code":{code},"message":"{message}","title":"Unauthorized"}}}}"#
                ));
        });
        let mut cmd = Fgs::new();
        let home = cmd.home();
        let r = login(&mut cmd, &iam_server, "wrong-password");
        r.code(3);
        r.stderr_starts_with(format!(
            "error: the user name, account name or password was refused: 401: {message}\n"
        ));
        r.stderr_contains("  request id: iam-req-77\n");
        r.stderr_contains("hint: check the user name");
        refused.assert_calls(1);
        assert!(!cache_file(home.path()).exists());
    }
}

/// `-v` works on login, before or after its name: the IAM request with the password masked,
/// and the answer's status and headers with the issued token masked.
#[test]
fn login_verbose_shows_the_iam_exchange_with_secrets_masked() {
    for before in [true, false] {
        let iam_server = MockServer::start();
        let (good, _bad) = iam(&iam_server);
        let mut cmd = Fgs::new();
        if before {
            cmd.arg("-v");
        }
        let extra: &[&str] = if before { &[] } else { &["-v"] };
        let r = login_with(&mut cmd, &iam_server, PASSWORD, extra);
        r.code(0);
        good.assert_calls(1);
        let sent = format!(
            "> POST {}/v3/auth/tokens?nocatalog=true\n",
            iam_server.base_url()
        );
        r.stderr_contains(&sent);
        r.stderr_contains(r#""name":"alice""#);
        r.stderr_contains(r#""password":"***""#);
        r.stderr_contains("< HTTP 201 Created\n");
        assert!(
            r.stderr
                .to_ascii_lowercase()
                .contains("< x-subject-token: ***\n"),
            "{}",
            r.stderr
        );
        r.stderr_lacks(PASSWORD);
        r.stderr_lacks(ISSUED);
        r.stdout("");
    }
}

/// The login cache cannot be written (its directory is a file): IAM was asked, so this is
/// this machine's failure, exit 8, not a usage error.
#[test]
fn an_unwritable_login_cache_is_exit_8() {
    let iam_server = MockServer::start();
    let (good, _bad) = iam(&iam_server);
    let mut cmd = Fgs::new();
    let home = cmd.home();
    write_file(&home.path().join("xdg-cache"), "not a directory\n");
    let r = login(&mut cmd, &iam_server, PASSWORD);
    r.code(8);
    r.stderr_starts_with("error: creating ");
    r.stderr_lacks(ISSUED);
    good.assert_calls(1);
}

fn write_cache(home: &Path, expires_at: &str, region: &str) {
    write_file(
        &cache_file(home),
        &format!(
            r#"{{"token":"{ISSUED}","expires_at":"{expires_at}","region":"{region}","project_id":"{PROJECT}","user":"alice","domain":"acme"}}"#
        ),
    );
}

#[test]
fn an_expired_cached_token_is_exit_3_with_a_hint_to_log_in() {
    let server = MockServer::start();
    let sent = catch_all(&server);
    let mut cmd = Fgs::new();
    let home = cmd.home();
    // Four minutes left is too little: a call may take longer.
    let soon =
        humantime::format_rfc3339_seconds(SystemTime::now() + Duration::from_secs(240)).to_string();
    write_cache(home.path(), &soon, REGION);
    let r = cmd
        .args(["invoke", URN, "--endpoint", &server.base_url()])
        .run();
    r.code(3);
    assert!(
        r.stderr.contains("expired") && r.stderr.contains("hint: run fgs login"),
        "{}",
        r.stderr
    );
    sent.assert_calls(0);
}

#[test]
fn a_cached_token_serves_only_its_own_region() {
    let server = MockServer::start();
    let sent = catch_all(&server);
    let mut cmd = Fgs::new();
    let home = cmd.home();
    write_cache(home.path(), "2099-01-01T00:00:00Z", "ap-southeast-1");
    let r = cmd
        .args(["invoke", URN, "--endpoint", &server.base_url()])
        .run();
    r.code(3);
    assert!(
        r.stderr.contains("ap-southeast-1") && r.stderr.contains("fgs login"),
        "{}",
        r.stderr
    );
    sent.assert_calls(0);
}

#[test]
fn login_without_a_terminal_or_password_stdin_is_exit_2() {
    let iam_server = MockServer::start();
    let sent = catch_all(&iam_server);
    let r = Fgs::new()
        .args([
            "login",
            "--user",
            "alice",
            "--domain",
            "acme",
            "--region",
            REGION,
            "--iam-endpoint",
            &iam_server.base_url(),
        ])
        .stdin("")
        .run();
    r.code(2);
    r.stderr_contains("--password-stdin");
    sent.assert_calls(0);
}

#[test]
fn login_scopes_by_region_name_when_no_project_id_is_known() {
    let iam_server = MockServer::start();
    let scoped = iam_server.mock(|when, then| {
        when.method(POST)
            .path("/v3/auth/tokens")
            .json_body_includes(format!(r#"{{"auth":{{"scope":{{"project":{{"name":"{REGION}"}}}}}}}}"#));
        then.status(201).header("X-Subject-Token", ISSUED).body(format!(
            r#"{{"token":{{"expires_at":"2099-01-01T00:00:00Z","project":{{"id":"{PROJECT}","name":"{REGION}"}}}}}}"#
        ));
    });
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let r = cmd
        .args([
            "login",
            "--user",
            "alice",
            "--domain",
            "acme",
            "--region",
            REGION,
            "--iam-endpoint",
            &iam_server.base_url(),
            "--password-stdin",
        ])
        .stdin(PASSWORD)
        .run();
    r.code(0);
    scoped.assert_calls(1);
    let cached = std::fs::read_to_string(cache_file(home.path())).unwrap();
    assert!(
        cached.contains(PROJECT),
        "the project id IAM answered is cached: {cached}"
    );
}

// ---------------------------------------------------------------------------------------
// Safety
// ---------------------------------------------------------------------------------------

#[test]
fn credentials_never_go_over_plain_http_to_another_host() {
    let mut cmd = Fgs::new();
    let r = cmd
        .args([
            "invoke",
            URN,
            "--token",
            TOKEN,
            "--endpoint",
            "http://functiongraph.example.com",
            "--dry-run",
        ])
        .run();
    r.code(2);
    r.stdout("");
    assert!(
        r.stderr.contains("plain http") && r.stderr.contains("allow_http"),
        "{}",
        r.stderr
    );

    // allow_http = true in the profile lets it through (shown with --dry-run: nothing is sent)
    let mut cmd = Fgs::new();
    let home = cmd.home();
    write_config(&home, "[profiles.lab]\nallow_http = true\n");
    let r = cmd
        .args([
            "invoke",
            URN,
            "--token",
            TOKEN,
            "--profile",
            "lab",
            "--endpoint",
            "http://functiongraph.example.com",
            "--dry-run",
        ])
        .run();
    r.code(0);
    assert!(
        r.stdout
            .starts_with("POST http://functiongraph.example.com/v2/"),
        "{}",
        r.stdout
    );

    // loopback in every spelling is fine
    for host in [
        "http://localhost:9",
        "http://127.8.9.10:9",
        "http://[::1]:9",
    ] {
        let mut cmd = Fgs::new();
        let r = cmd
            .args([
                "invoke",
                URN,
                "--token",
                TOKEN,
                "--endpoint",
                host,
                "--dry-run",
            ])
            .run();
        assert_eq!(r.code, Some(0), "{host}: {}", r.stderr);
    }

    // the IAM endpoint too, before the password is read
    let r = Fgs::new()
        .args([
            "login",
            "--user",
            "a",
            "--domain",
            "b",
            "--region",
            REGION,
            "--iam-endpoint",
            "http://iam.example.com",
            "--password-stdin",
        ])
        .stdin(PASSWORD)
        .run();
    r.code(2);
}

#[test]
fn ca_cert_must_be_a_readable_pem_file() {
    let server = MockServer::start();
    let sent = catch_all(&server);
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let missing = home.path().join("missing.pem");
    let r = cmd
        .args([
            "invoke",
            URN,
            "--token",
            TOKEN,
            "--endpoint",
            &server.base_url(),
            "--ca-cert",
        ])
        .arg(&missing)
        .run();
    r.code(2);
    r.stderr_contains("missing.pem");

    let mut cmd = Fgs::new();
    let home = cmd.home();
    let junk = write_file(&home.path().join("junk.pem"), "not a certificate\n");
    cmd.env("FGS_CA_CERT", &junk);
    let r = cmd
        .args([
            "invoke",
            URN,
            "--token",
            TOKEN,
            "--endpoint",
            &server.base_url(),
        ])
        .run();
    r.code(2);
    r.stderr_contains("PEM");
    sent.assert_calls(0);
}

#[cfg(unix)]
#[test]
fn secret_files_readable_by_others_are_warned_about() {
    use std::os::unix::fs::PermissionsExt;
    let server = MockServer::start();
    let invoked = expect_invocation(&server, &Expect::default(), |t| ok(t, "1"));
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let config = write_config(&home, &format!("token = \"{TOKEN}\"\n"));
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o644)).unwrap();
    let r = cmd
        .args(["invoke", URN, "--endpoint", &server.base_url()])
        .run();
    r.code(0);
    assert!(
        r.stderr
            .contains(&format!("chmod 600 {}", config.display())),
        "{}",
        r.stderr
    );

    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o600)).unwrap();
    let mut cmd = Fgs::new();
    cmd.config_of(home.path());
    let r = cmd
        .args(["invoke", URN, "--endpoint", &server.base_url()])
        .run();
    r.stderr_lacks("chmod");
    invoked.assert_calls(2);

    // the SDK credentials file, holding a secret key
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let file = home.path().join(".huaweicloud").join("credentials");
    credentials_file(home.path(), &format!("[basic]\nak = {AK}\nsk = {SK}\n"));
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
    let r = cmd
        .args(["invoke", URN, "--endpoint", &server.base_url(), "--dry-run"])
        .run();
    r.code(0);
    r.stderr_contains(format!("chmod 600 {}", file.display()));
}

#[test]
fn control_characters_in_secrets_are_refused() {
    let server = MockServer::start();
    let sent = catch_all(&server);
    let mut cmd = Fgs::new();
    cmd.env("FGS_TOKEN", "abc\r\nX-Injected: 1");
    let r = cmd
        .args(["invoke", URN, "--endpoint", &server.base_url()])
        .run();
    r.code(2);
    r.stderr_contains("control character");
    let mut cmd = Fgs::new();
    aksk_env(&mut cmd, AK, "sk\u{7}bell");
    let r = cmd
        .args(["invoke", URN, "--endpoint", &server.base_url()])
        .run();
    r.code(2);
    sent.assert_calls(0);
}

// ---------------------------------------------------------------------------------------
// The sentinel: no key, token, password or cached token in any output
// ---------------------------------------------------------------------------------------

#[test]
#[allow(
    clippy::too_many_lines,
    reason = "one table of every command and method, read top to bottom against one sentinel list"
)]
fn no_credential_sentinel_appears_in_any_output() {
    // Every secret is a sentinel, and so is the access key: -v and --dry-run show only its
    // last four characters, as `config show` does.
    let sentinels = [AK, SK, SECURITY_TOKEN, PASSWORD, ISSUED];
    let mut outputs: Vec<(String, Run)> = Vec::new();
    let server = MockServer::start();
    let (signed, _refused) = signing_gateway(&server, URN, SK, &["x-security-token"]);
    let endpoint = server.base_url();
    let aksk = |cmd: &mut Fgs| {
        aksk_env(cmd, AK, SK);
        cmd.env("HUAWEICLOUD_SDK_SECURITY_TOKEN", SECURITY_TOKEN);
    };
    let cases: Vec<(&str, Vec<&str>)> = vec![
        ("ok", vec!["invoke", URN, "--endpoint", &endpoint]),
        (
            "verbose",
            vec!["invoke", URN, "--endpoint", &endpoint, "-v", "-o", "json"],
        ),
        (
            "dry run",
            vec!["invoke", URN, "--endpoint", &endpoint, "--dry-run"],
        ),
        ("config show", vec!["config", "show", URN]),
        (
            "refused endpoint",
            vec!["invoke", URN, "--endpoint", "http://127.0.0.1:9", "-v"],
        ),
        (
            "plain http",
            vec!["invoke", URN, "--endpoint", "http://example.com", "-v"],
        ),
        (
            "bad payload",
            vec!["invoke", URN, "--endpoint", &endpoint, "-d", "{"],
        ),
        (
            "bad auth",
            vec!["invoke", URN, "--endpoint", &endpoint, "--auth", "token"],
        ),
    ];
    for (name, args) in &cases {
        let mut cmd = Fgs::new();
        aksk(&mut cmd);
        outputs.push((name.to_string(), cmd.args(args).run()));
    }
    assert!(
        signed.calls() >= 2,
        "the signed requests reached the gateway"
    );

    // A wrong secret key: the gateway refuses, and the refusal is shown.
    let mut cmd = Fgs::new();
    aksk_env(&mut cmd, AK, PASSWORD);
    outputs.push((
        "wrong sk".into(),
        cmd.args(["invoke", URN, "--endpoint", &endpoint, "-v"])
            .run(),
    ));

    // Login with a wrong and a right password, then every use of the cached token.
    let iam_server = MockServer::start();
    let (issued, _) = iam(&iam_server);
    let mut cmd = Fgs::new();
    let home = cmd.home();
    outputs.push(("login wrong".into(), login(&mut cmd, &iam_server, "nope")));
    let mut cmd = Fgs::new();
    cmd.cache_of(home.path());
    outputs.push(("login".into(), login(&mut cmd, &iam_server, PASSWORD)));
    issued.assert_calls(1);
    let plain = MockServer::start();
    let got_token = plain.mock(|when, then| {
        when.header("X-Auth-Token", ISSUED);
        ok(then, "1");
    });
    let plain_endpoint = plain.base_url();
    for (name, args) in [
        (
            "cached verbose",
            vec!["invoke", URN, "--endpoint", plain_endpoint.as_str(), "-v"],
        ),
        (
            "cached dry run",
            vec![
                "invoke",
                URN,
                "--endpoint",
                plain_endpoint.as_str(),
                "--dry-run",
            ],
        ),
        ("cached config show", vec!["config", "show", URN]),
        (
            "cached wrong region",
            vec![
                "invoke",
                URN,
                "--region",
                "ap-southeast-1",
                "--endpoint",
                plain_endpoint.as_str(),
            ],
        ),
    ] {
        let mut cmd = Fgs::new();
        cmd.cache_of(home.path());
        outputs.push((name.into(), cmd.args(args).run()));
    }
    got_token.assert_calls(1);

    assert_no_sentinel(&outputs, &sentinels);
}

// Unix only: runs fgs under `script(1)` for a pseudo-terminal; Windows has no `script`.
#[cfg(unix)]
#[test]
fn login_prompts_for_the_password_on_the_terminal_without_echo() {
    let iam_server = MockServer::start();
    let (good, _bad) = iam(&iam_server);
    let fgs_line = format!(
        "'{BIN}' login --user alice --domain acme --region {REGION} --project-id {PROJECT} --iam-endpoint {} 2>stderr.txt",
        iam_server.base_url()
    );
    // The password is typed half a second later, once the prompt has turned echo off, as a
    // person would type it.
    let mut cmd = Fgs::program("sh");
    let home = cmd.home();
    let r = cmd.args([
        "-c",
        &format!(
            "(sleep 0.5; printf '%s\\n' '{PASSWORD}') | script -q -e -c \"{fgs_line}\" /dev/null"
        ),
    ]).run();
    let stderr = std::fs::read_to_string(home.path().join("stderr.txt")).unwrap_or_default();
    assert_eq!(
        r.code,
        Some(0),
        "terminal: {:?}, stderr: {stderr}",
        r.stdout
    );
    r.stdout_contains("Password: ");
    r.stdout_lacks(PASSWORD);
    assert!(!stderr.contains(PASSWORD));
    assert!(stderr.contains("logged in as alice"), "{stderr}");
    good.assert_calls(1);
    assert!(cache_file(home.path()).exists());
}

/// `-v` and `--dry-run` show the Authorization header's access key and signed names, so a
/// refused signature can be debugged, and mask only the signature.
#[test]
fn the_authorization_header_shows_all_but_the_signature() {
    let server = MockServer::start();
    let (signed, _refused) = signing_gateway(&server, URN, SK, &[]);
    let mut cmd = Fgs::new();
    aksk_env(&mut cmd, AK, SK);
    let r = cmd
        .args(["invoke", URN, "--endpoint", &server.base_url(), "--dry-run"])
        .run();
    r.code(0);
    let line = r
        .stdout
        .lines()
        .find(|l| l.starts_with("Authorization: "))
        .unwrap_or_else(|| panic!("{}", r.stdout));
    assert!(
        line.starts_with(&format!(
            "Authorization: SDK-HMAC-SHA256 Access={}, SignedHeaders=",
            last_four(AK)
        )),
        "{line}"
    );
    assert!(line.ends_with(", Signature=***"), "{line}");
    r.stdout_lacks(SK);
    r.stdout_lacks(AK);
    let mut cmd = Fgs::new();
    aksk_env(&mut cmd, AK, SK);
    let r = cmd
        .args(["invoke", URN, "--endpoint", &server.base_url(), "-v"])
        .run();
    r.code(0);
    r.stderr_contains(format!(
        "> Authorization: SDK-HMAC-SHA256 Access={}, SignedHeaders=",
        last_four(AK)
    ));
    r.stdout_lacks(AK);
    r.stderr_lacks(AK);
    r.stderr_contains("Signature=***\n");
    signed.assert_calls(1);
}

/// An access key as fgs shows it: its last four characters, the rest stars.
fn last_four(key: &str) -> String {
    format!("{}{}", "*".repeat(key.len() - 4), &key[key.len() - 4..])
}
