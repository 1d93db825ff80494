//! Dynamic completion of function names, versions and aliases from the service, in a real
//! bash (`source <(COMPLETE=bash fgs)`): what is offered, the 10-minute cache, and the
//! cases that must complete nothing and print nothing.

use std::path::Path;
use std::time::{Duration, Instant};

use httpmock::{Method::GET, MockServer};

use crate::common::*;

/// What bash offers for the last word of `line` (completed where it ends), with the
/// settings in `env`, in a fresh private home.
pub fn offered(env: &[(&str, String)], line: &str) -> (Run, tempfile::TempDir) {
    let home = tempfile::tempdir().unwrap();
    (offered_in(&home, env, line), home)
}

/// The same in `home`, to see what an earlier Tab press left in its cache.
pub fn offered_in(home: &tempfile::TempDir, env: &[(&str, String)], line: &str) -> Run {
    let mut cmd = Fgs::program("bash");
    cmd.env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("xdg-config"))
        .env("XDG_CACHE_HOME", home.path().join("xdg-cache"))
        .env(
            "PATH",
            format!(
                "{}:{}",
                Path::new(BIN).parent().unwrap().display(),
                std::env::var("PATH").unwrap_or_default()
            ),
        )
        .current_dir(home.path())
        .timeout(Duration::from_secs(30));
    for (name, value) in env {
        cmd.env(name, value);
    }
    cmd.args(["-c", &script(line)]).run()
}

/// The bash that loads fgs's dynamic completion and completes the last word of `line`.
fn script(line: &str) -> String {
    let words: Vec<&str> = line.split(' ').collect();
    let current = words.last().copied().unwrap_or("");
    let previous = words.len().checked_sub(2).map_or("", |i| words[i]);
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    format!(
        "source <(COMPLETE=bash fgs); COMP_WORDS=({}); COMP_CWORD={}; COMP_LINE='{line}'; COMP_POINT=${{#COMP_LINE}}; COMP_TYPE=9; _clap_complete_fgs fgs '{current}' '{previous}'; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        quoted.join(" "),
        words.len() - 1
    )
}

pub fn lines(run: &Run) -> Vec<String> {
    let mut found: Vec<String> = run
        .stdout
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    found.sort();
    found
}

pub fn settings(server: &str) -> Vec<(&'static str, String)> {
    vec![
        ("FGS_TOKEN", TOKEN.to_string()),
        ("FGS_REGION", REGION.to_string()),
        ("FGS_PROJECT_ID", PROJECT.to_string()),
        ("FGS_ENDPOINT", server.to_string()),
    ]
}

const FUNCTIONS: &str = r#"{"functions": [
  {"func_name": "hello", "package": "default", "runtime": "Python3.9",
   "func_urn": "urn:fss:cn-north-4:0123456789abcdef0123456789abcdef:function:default:hello"},
  {"func_name": "hola", "package": "default", "runtime": "Node.js18.15",
   "func_urn": "urn:fss:cn-north-4:0123456789abcdef0123456789abcdef:function:default:hola"},
  {"func_name": "cart", "package": "shop", "runtime": "Go1.x",
   "func_urn": "urn:fss:cn-north-4:0123456789abcdef0123456789abcdef:function:shop:cart"}
], "next_marker": 3, "count": 3}"#;

fn functions_mock(server: &MockServer) -> httpmock::Mock<'_> {
    server.mock(|when, then| {
        when.method(GET)
            .path(format!("/v2/{PROJECT}/fgs/functions"))
            .header("X-Auth-Token", TOKEN);
        then.status(200)
            .header("Content-Type", "application/json")
            .body(FUNCTIONS);
    })
}

/// The FUNCTION of `invoke` completes to the project's functions (`PACKAGE:NAME` outside
/// `default`); a second Tab press within 10 minutes is answered from the cache, and a
/// cache older than that asks again.
#[test]
fn function_names_complete_from_the_service_and_are_cached() {
    let server = MockServer::start();
    let listing = functions_mock(&server);
    let env = settings(&server.base_url());
    let (first, home) = offered(&env, "fgs invoke h");
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    assert_eq!(lines(&first), ["hello", "hola"], "{}", first.stdout);
    assert_eq!(first.stderr, "");
    listing.assert_calls(1);

    // An empty word is offered the flags too; the values are the functions.
    let second = offered_in(&home, &env, "fgs invoke ");
    let values: Vec<String> = lines(&second)
        .into_iter()
        .filter(|l| !l.starts_with('-'))
        .collect();
    assert_eq!(values, ["hello", "hola", "shop:cart"]);
    listing.assert_calls(1);

    // Age the cache by 11 minutes: the next Tab asks the service again.
    let dir = home.path().join("xdg-cache").join("fgs");
    let cached: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.to_string_lossy()
                .contains("complete-default-cn-north-4-functions")
        })
        .collect();
    assert_eq!(cached.len(), 1, "{cached:?}");
    let mut doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&cached[0]).unwrap()).unwrap();
    let fetched = doc["fetched"].as_u64().unwrap();
    doc["fetched"] = (fetched - 11 * 60).into();
    std::fs::write(&cached[0], serde_json::to_vec(&doc).unwrap()).unwrap();
    let third = offered_in(&home, &env, "fgs invoke sh");
    assert_eq!(lines(&third), ["shop:cart"]);
    listing.assert_calls(2);
}

/// A word that starts with `urn:` completes to the full URNs.
#[test]
fn a_urn_prefix_completes_to_full_urns() {
    let server = MockServer::start();
    let _listing = functions_mock(&server);
    let (out, _home) = offered(
        &settings(&server.base_url()),
        "fgs invoke urn:fss:cn-north-4:",
    );
    out.code(0);
    let found = lines(&out);
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(found.iter().all(|u| u.starts_with("urn:fss:cn-north-4:")));
}

/// `--alias` and `--qualifier` complete to the aliases and versions of the function named
/// before them.
#[test]
fn aliases_and_versions_complete_for_the_named_function() {
    let server = MockServer::start();
    let urn = "urn:fss:cn-north-4:0123456789abcdef0123456789abcdef:function:default:hello:latest";
    let aliases = server.mock(|when, then| {
        when.method(GET)
            .path(format!("/v2/{PROJECT}/fgs/functions/{urn}/aliases"));
        then.status(200)
            .body(r#"[{"name": "prod", "version": "v2"}, {"name": "beta", "version": "latest"}]"#);
    });
    let versions = server.mock(|when, then| {
        when.method(GET)
            .path(format!("/v2/{PROJECT}/fgs/functions/{urn}/versions"));
        then.status(200).body(
            r#"{"versions": [{"version": "latest"}, {"version": "v1"}, {"version": "v2"}], "next_marker": 3, "count": 3}"#,
        );
    });
    let env = settings(&server.base_url());
    let (out, _home) = offered(&env, "fgs invoke hello --alias ");
    out.code(0);
    assert_eq!(lines(&out), ["beta", "prod"]);
    let (out, _home) = offered(&env, "fgs invoke hello --qualifier v");
    assert_eq!(lines(&out), ["v1", "v2"]);
    aliases.assert_calls(1);
    versions.assert_calls(1);
}

/// With no credentials there is nothing to ask the service: nothing is offered, nothing
/// printed, and nothing sent.
#[test]
fn without_credentials_nothing_is_offered_or_printed() {
    let server = MockServer::start();
    let anything = catch_all(&server);
    let mut env = settings(&server.base_url());
    env.retain(|(name, _)| *name != "FGS_TOKEN");
    let (out, _home) = offered(&env, "fgs invoke h");
    out.code(0);
    assert_eq!(out.stdout.trim(), "");
    out.stderr("");
    anything.assert_calls(0);
}

/// A service that does not answer costs a Tab press its 2-second deadline, and shows
/// nothing.
#[test]
fn a_service_that_does_not_answer_is_given_up_on_quietly() {
    let endpoint = raw_server(b"", Duration::from_secs(20));
    let start = Instant::now();
    let (out, _home) = offered(&settings(&endpoint), "fgs invoke h");
    let took = start.elapsed();
    out.code(0);
    assert_eq!(out.stdout.trim(), "");
    out.stderr("");
    // 2 s of waiting, plus starting bash and fgs.
    assert!(took < Duration::from_secs(4), "took {took:?}");
}

/// `info` and `status` complete their FUNCTION the same way.
#[test]
fn info_and_status_complete_function_names_too() {
    let server = MockServer::start();
    let listing = functions_mock(&server);
    let env = settings(&server.base_url());
    let home = tempfile::tempdir().unwrap();
    for line in ["fgs info ho", "fgs status ho"] {
        let out = offered_in(&home, &env, line);
        out.code(0);
        assert_eq!(lines(&out), ["hola"], "{line}");
    }
    listing.assert_calls(1);
}
