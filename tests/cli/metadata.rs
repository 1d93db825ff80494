//! `--auth metadata`: temporary keys from a loopback stand-in for the ECS metadata service
//! (`metadata_endpoint`), the optional session token, refresh before expiry, the failures,
//! and that nothing asks the service unless told to. No test sends anything beyond loopback.

use std::time::{Duration, SystemTime};

use httpmock::Method::{GET, PUT};
use httpmock::{Mock, MockServer};

use crate::auth::{AK, SECURITY_TOKEN, SK, signature_valid};
use crate::common::*;

/// The metadata service's session token: a secret too.
pub const SESSION: &str = "MDSESSION-sentinel-0123456789";

const TOKEN_PATH: &str = "/meta-data/latest/api/token";
const KEY_PATH: &str = "/openstack/latest/securitykey";

/// The documented body, with keys that expire `left` from now.
pub fn security_key(left: Duration) -> String {
    let expires = humantime::format_rfc3339_micros(SystemTime::now() + left);
    format!(
        r#"{{"credential":{{"access":"{AK}","secret":"{SK}","securitytoken":"{SECURITY_TOKEN}","expires_at":"{expires}"}}}}"#
    )
}

/// A stand-in that gives a session token and keys good for `left`.
pub fn metadata_service(server: &MockServer, left: Duration) -> (Mock<'_>, Mock<'_>) {
    let token = server.mock(|when, then| {
        when.method(PUT)
            .path(TOKEN_PATH)
            .header("X-Metadata-Token-Ttl-Seconds", "21600");
        then.status(200).body(SESSION);
    });
    let body = security_key(left);
    let keys = server.mock(|when, then| {
        when.method(GET)
            .path(KEY_PATH)
            .header("X-Metadata-Token", SESSION);
        then.status(200)
            .header("Content-Type", "application/json")
            .body(body);
    });
    (token, keys)
}

/// A gateway that accepts only a call signed with the temporary keys and carrying the
/// security token, signed.
pub fn temporary_gateway(server: &MockServer) -> Mock<'_> {
    server.mock(|when, then| {
        when.method(httpmock::Method::POST)
            .path(invocation_path(PROJECT, URN))
            .header("X-Security-Token", SECURITY_TOKEN)
            .header_missing("X-Auth-Token")
            .is_true(|req| {
                let access = req.headers_vec().iter().any(|(n, v)| {
                    n.eq_ignore_ascii_case("authorization") && v.contains(&format!("Access={AK},"))
                });
                access && signature_valid(req, AK, SK, &["x-security-token", "x-sdk-date"])
            });
        ok(then, "{\"signed\":true}");
    })
}

fn invoke(metadata: &MockServer, gateway: &MockServer, extra: &[&str]) -> Run {
    let mut cmd = Fgs::new();
    cmd.args([
        "invoke",
        URN,
        "--auth",
        "metadata",
        "--metadata-endpoint",
        &metadata.base_url(),
        "--endpoint",
        &gateway.base_url(),
    ]);
    cmd.args(extra).run()
}

#[test]
fn metadata_keys_sign_the_call_and_send_the_security_token() {
    let metadata = MockServer::start();
    let (token, keys) = metadata_service(&metadata, Duration::from_secs(6 * 3600));
    let gateway = MockServer::start();
    let signed = temporary_gateway(&gateway);
    let other = catch_all(&gateway);
    let r = invoke(&metadata, &gateway, &[]);
    r.code(0);
    r.stdout("{\"signed\":true}\n");
    token.assert_calls(1);
    keys.assert_calls(1);
    signed.assert_calls(1);
    other.assert_calls(0);
}

#[test]
fn without_token_mode_the_keys_are_asked_for_without_a_token() {
    for status in [404, 405, 503] {
        let metadata = MockServer::start();
        let token = metadata.mock(|when, then| {
            when.method(PUT).path(TOKEN_PATH);
            then.status(status);
        });
        let body = security_key(Duration::from_secs(3 * 3600));
        let keys = metadata.mock(|when, then| {
            when.method(GET)
                .path(KEY_PATH)
                .header_missing("X-Metadata-Token");
            then.status(200).body(body);
        });
        let gateway = MockServer::start();
        let signed = temporary_gateway(&gateway);
        let r = invoke(&metadata, &gateway, &[]);
        assert_eq!(r.code, Some(0), "{status}: {}", r.stderr);
        token.assert_calls(1);
        keys.assert_calls(1);
        signed.assert_calls(1);
    }
    // Any other status of the token step is a failure, named.
    let metadata = MockServer::start();
    metadata.mock(|when, then| {
        when.method(PUT).path(TOKEN_PATH);
        then.status(500);
    });
    let gateway = MockServer::start();
    let sent = catch_all(&gateway);
    let r = invoke(&metadata, &gateway, &[]);
    r.code(3);
    r.stderr_contains("HTTP 500 from PUT");
    sent.assert_calls(0);
}

#[test]
fn keys_near_expiry_are_fetched_again_for_every_call() {
    let metadata = MockServer::start();
    // 10 minutes left: under the 40-minute threshold, so each call fetches anew.
    let (token, keys) = metadata_service(&metadata, Duration::from_secs(10 * 60));
    let gateway = MockServer::start();
    let signed = temporary_gateway(&gateway);
    let r = invoke(&metadata, &gateway, &["--repeat", "3"]);
    r.code(0);
    signed.assert_calls(3);
    keys.assert_calls(3);
    // The session token is kept for the run.
    token.assert_calls(1);
}

#[test]
fn keys_far_from_expiry_are_fetched_once_for_a_batch() {
    let metadata = MockServer::start();
    let (token, keys) = metadata_service(&metadata, Duration::from_secs(2 * 3600));
    let gateway = MockServer::start();
    let signed = temporary_gateway(&gateway);
    let mut cmd = Fgs::new();
    let home = cmd.home();
    write_file(&home.path().join("lines.jsonl"), "{}\n{}\n{}\n{}\n");
    // Set through the environment this time.
    cmd.env("FGS_AUTH", "metadata")
        .env("FGS_METADATA_ENDPOINT", metadata.base_url());
    let r = cmd
        .args([
            "invoke",
            URN,
            "--batch",
            "lines.jsonl",
            "--concurrency",
            "4",
            "--endpoint",
            &gateway.base_url(),
        ])
        .run();
    r.code(0);
    signed.assert_calls(4);
    keys.assert_calls(1);
    token.assert_calls(1);
}

#[test]
fn an_unreachable_metadata_service_is_exit_3_naming_it_and_who_asked() {
    let gateway = MockServer::start();
    let sent = catch_all(&gateway);
    let endpoint = refused_endpoint();
    let mut cmd = Fgs::new();
    let r = cmd
        .args([
            "invoke",
            URN,
            "--auth",
            "metadata",
            "--metadata-endpoint",
            &endpoint,
            "--endpoint",
            &gateway.base_url(),
        ])
        .run();
    r.code(3);
    r.stdout("");
    r.stderr_contains(&endpoint);
    r.stderr_contains("--auth metadata");
    assert!(
        r.stderr.contains("hint:") && r.stderr.contains("agency"),
        "{}",
        r.stderr
    );
    sent.assert_calls(0);

    // From the config file, the message says so.
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let config = write_config(
        &home,
        &format!("auth = \"metadata\"\nmetadata_endpoint = \"{endpoint}\"\n"),
    );
    let r = cmd
        .args(["invoke", URN, "--endpoint", &gateway.base_url()])
        .run();
    r.code(3);
    assert!(
        r.stderr
            .contains(&format!("auth = \"metadata\" in {}", config.display())),
        "{}",
        r.stderr
    );
    sent.assert_calls(0);
}

fn failing(answer: impl FnOnce(httpmock::Then) -> httpmock::Then) -> Run {
    let metadata = MockServer::start();
    metadata.mock(|when, then| {
        when.method(PUT).path(TOKEN_PATH);
        then.status(404);
    });
    metadata.mock(|when, then| {
        when.method(GET).path(KEY_PATH);
        answer(then);
    });
    let gateway = MockServer::start();
    let sent = catch_all(&gateway);
    let r = invoke(&metadata, &gateway, &[]);
    sent.assert_calls(0);
    r
}

#[test]
fn an_instance_without_an_agency_is_told_so() {
    let r = failing(|then| {
        then.status(401)
            .body(r#"{"error":"Please configure Cloud Service Agency first"}"#)
    });
    r.code(3);
    r.stderr_contains("the instance has no agency");
    r.stderr_contains("hint:");
}

#[test]
fn an_answer_that_is_not_the_documented_json_is_a_clear_error() {
    let r = failing(|then| then.status(200).body("<html>no</html>"));
    r.code(3);
    r.stderr_contains("is not the expected JSON");

    let r = failing(|then| {
        then.status(200).body(format!(
            r#"{{"credential":{{"access":"{AK}","secret":"{SK}"}}}}"#
        ))
    });
    r.code(3);
    r.stderr_contains("credential.securitytoken");
    r.stderr_lacks(SK);

    let r = failing(|then| {
        then.status(200).body(format!(
            r#"{{"credential":{{"access":"{AK}","secret":"{SK}","securitytoken":"{SECURITY_TOKEN}","expires_at":"soon"}}}}"#
        ))
    });
    r.code(3);
    r.stderr_contains("expires_at");

    let r = failing(|then| then.status(500).body("down"));
    r.code(3);
    r.stderr_contains("HTTP 500 from GET");
}

#[test]
fn without_auth_metadata_nothing_asks_the_metadata_service() {
    let metadata = MockServer::start();
    let asked = catch_all(&metadata);
    let gateway = MockServer::start();
    let sent = catch_all(&gateway);
    let mut cmd = Fgs::new();
    cmd.env("FGS_METADATA_ENDPOINT", metadata.base_url());
    let r = cmd
        .args(["invoke", URN, "--endpoint", &gateway.base_url()])
        .run();
    r.code(3);
    r.stderr_contains("--auth metadata");
    asked.assert_calls(0);
    sent.assert_calls(0);
}

#[test]
fn verbose_shows_the_metadata_requests_with_secrets_masked() {
    let metadata = MockServer::start();
    let (_token, _keys) = metadata_service(&metadata, Duration::from_secs(3 * 3600));
    let gateway = MockServer::start();
    let signed = temporary_gateway(&gateway);
    let r = invoke(&metadata, &gateway, &["-v"]);
    r.code(0);
    assert!(
        r.stderr
            .contains(&format!("> PUT {}{TOKEN_PATH}", metadata.base_url())),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains(&format!("> GET {}{KEY_PATH}", metadata.base_url()))
    );
    r.stderr_contains("> X-Metadata-Token: ***");
    r.stderr_contains("> X-Security-Token: ***");
    for secret in [SESSION, SK, SECURITY_TOKEN] {
        assert!(
            !r.stderr.contains(secret) && !r.stdout.contains(secret),
            "{}",
            r.stderr
        );
    }
    signed.assert_calls(1);
}

#[test]
fn config_show_names_the_method_and_endpoint_without_fetching() {
    // The default endpoint is shown, never asked: config show sends nothing.
    let mut cmd = Fgs::new();
    let r = cmd
        .args(["config", "show", URN, "--auth", "metadata"])
        .run();
    r.code(0);
    r.stdout_contains("auth              metadata (temporary keys from the ECS metadata service)  (--auth metadata)");
    assert!(
        r.stdout
            .contains("metadata endpoint http://169.254.169.254  (default)"),
        "{}",
        r.stdout
    );

    let metadata = MockServer::start();
    let asked = catch_all(&metadata);
    let mut cmd = Fgs::new();
    cmd.env("FGS_AUTH", "metadata")
        .env("FGS_METADATA_ENDPOINT", metadata.base_url());
    let r = cmd.args(["config", "show", URN, "-o", "json"]).run();
    r.code(0);
    let shown: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(shown["auth"]["source"], "FGS_AUTH=metadata");
    assert_eq!(shown["metadata_endpoint"]["value"], metadata.base_url());
    assert_eq!(
        shown["metadata_endpoint"]["source"],
        "env FGS_METADATA_ENDPOINT"
    );
    asked.assert_calls(0);

    // A bad endpoint is a usage error, named.
    let r = Fgs::new()
        .args(["config", "show", "--metadata-endpoint", "ftp://x"])
        .run();
    r.code(2);
    r.stderr_contains("--metadata-endpoint");
}

#[test]
fn the_project_id_must_come_from_elsewhere() {
    let metadata = MockServer::start();
    let asked = catch_all(&metadata);
    let r = Fgs::new()
        .args([
            "invoke",
            "hello",
            "--region",
            REGION,
            "--auth",
            "metadata",
            "--metadata-endpoint",
            &metadata.base_url(),
        ])
        .run();
    r.code(2);
    r.stderr_contains("no project id");
    assert!(
        r.stderr
            .contains("metadata service gives keys, not a project id"),
        "{}",
        r.stderr
    );
    asked.assert_calls(0);
}

/// The read-only requests (`fgs list`, `info`, `status`) use the same keys, and refresh
/// them the same way: keys 10 minutes from expiry are fetched again before each page.
#[test]
fn lookups_are_signed_with_the_metadata_keys_and_refresh_them() {
    let metadata = MockServer::start();
    let (_token, keys) = metadata_service(&metadata, Duration::from_secs(10 * 60));
    let gateway = MockServer::start();
    let page = |marker: &'static str, body: &'static str| {
        gateway.mock(move |when, then| {
            when.method(GET)
                .path(format!("/v2/{PROJECT}/fgs/functions"))
                .query_param("marker", marker)
                .header("X-Security-Token", SECURITY_TOKEN)
                .header_missing("X-Auth-Token")
                .is_true(|req| signature_valid(req, AK, SK, &["x-security-token", "x-sdk-date"]));
            then.status(200).body(body);
        })
    };
    let first = page(
        "0",
        r#"{"functions":[{"func_name":"a","func_urn":"urn:fss:cn-north-4:0123456789abcdef0123456789abcdef:function:default:a"}],"next_marker":1}"#,
    );
    let second = page(
        "1",
        r#"{"functions":[{"func_name":"b","func_urn":"urn:fss:cn-north-4:0123456789abcdef0123456789abcdef:function:default:b"}],"next_marker":1}"#,
    );
    let r = Fgs::new()
        .args([
            "list",
            "--region",
            REGION,
            "--project-id",
            PROJECT,
            "--auth",
            "metadata",
            "--metadata-endpoint",
            &metadata.base_url(),
            "--endpoint",
            &gateway.base_url(),
        ])
        .run();
    r.code(0);
    r.stdout(
        "urn:fss:cn-north-4:0123456789abcdef0123456789abcdef:function:default:a\n\
         urn:fss:cn-north-4:0123456789abcdef0123456789abcdef:function:default:b\n",
    );
    first.assert_calls(1);
    second.assert_calls(1);
    keys.assert_calls(2);
}

/// `invoke --local` of a function with `pass_credentials = true` passes it the temporary
/// keys from the metadata service, and its security token; nothing of them is printed.
#[test]
fn a_local_function_is_passed_the_metadata_keys() {
    if no_python_here() {
        return;
    }
    let metadata = MockServer::start();
    let (_token, keys) = metadata_service(&metadata, Duration::from_secs(6 * 3600));
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let dir = home.path().join("agency");
    write_file(&dir.join("function.toml"), "pass_credentials = true\n");
    write_file(
        &dir.join("index.py"),
        "def handler(event, context):\n    return [context.getSecurityAccessKey(), context.getSecuritySecretKey(), context.getSecurityToken()]\n",
    );
    // --auth is for calls to the service; with --local the method comes from the environment
    // (or the config file), as the function's credentials do.
    let out = cmd
        .env("FGS_AUTH", "metadata")
        .env("FGS_METADATA_ENDPOINT", metadata.base_url())
        .args(["invoke", "--local"])
        .arg(&dir)
        .run();
    out.code(0);
    let got: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(got, serde_json::json!([AK, SK, SECURITY_TOKEN]));
    out.stderr_lacks(SK);
    out.stderr_lacks(SECURITY_TOKEN);
    keys.assert_calls(1);
}
