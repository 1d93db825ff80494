//! Choosing the function: full URNs, short forms, `--qualifier`/`--alias`, and the local
//! checks made before anything is sent.

use predicates::prelude::*;

use crate::common::*;

fn full(package: &str, name: &str, qualifier: Option<&str>) -> String {
    let base = format!("urn:fss:{REGION}:{PROJECT}:function:{package}:{name}");
    match qualifier {
        Some(q) => format!("{base}:{q}"),
        None => base,
    }
}

/// Invoke `function` with `extra` arguments; the mock expects `sent` as the URN.
fn invokes_as(function: &str, extra: &[&str], sent: &str) {
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::urn(sent), |then| ok(then, "done"));
    Fgs::new()
        .args([
            "invoke",
            function,
            "--token",
            TOKEN,
            "--endpoint",
            &server.base_url(),
        ])
        .args(extra)
        .run()
        .code(0)
        .stdout("done\n")
        .stderr_starts_with("ok · HTTP 200");
    mock.assert();
}

/// Exit 2, stderr naming `field`, nothing sent.
fn refused_locally(args: &[&str], field: &str) {
    let server = httpmock::MockServer::start();
    let anything = catch_all(&server);
    Fgs::new()
        .arg("invoke")
        .args(args)
        .args(["--token", TOKEN, "--endpoint", &server.base_url()])
        .run()
        .code(2)
        .stdout("")
        .stderr_matches(predicate::str::starts_with("error:").and(predicate::str::contains(field)));
    anything.assert_calls(0);
}

#[test]
fn a_full_urn_with_a_version_is_sent_as_is() {
    let urn = full("default", "hello", Some("v20170830-181539"));
    invokes_as(&urn, &[], &urn);
}

#[test]
fn a_full_urn_with_an_alias_sends_the_bang_as_percent_21() {
    let urn = full("default", "hello", Some("!dev"));
    // invocation_path() turns '!' into %21 and leaves ':' raw; the mock matches the raw path.
    assert!(invocation_path(PROJECT, &urn).ends_with(":function:default:hello:%21dev/invocations"));
    invokes_as(&urn, &[], &urn);
}

#[test]
fn a_full_urn_without_a_version_invokes_latest() {
    invokes_as(
        &full("default", "hello", None),
        &[],
        &full("default", "hello", Some("latest")),
    );
}

#[test]
fn a_short_name_uses_the_default_package_and_needs_region_and_project_id() {
    invokes_as(
        "hello",
        &["--region", REGION, "--project-id", PROJECT],
        &full("default", "hello", Some("latest")),
    );
    refused_locally(&["hello", "--project-id", PROJECT], "no region");
    refused_locally(&["hello", "--region", REGION], "no project id");
}

#[test]
fn package_colon_name_names_the_package() {
    invokes_as(
        "tools:hello-world_2",
        &["--region", REGION, "--project-id", PROJECT],
        &full("tools", "hello-world_2", Some("latest")),
    );
}

#[test]
fn qualifier_chooses_a_version() {
    invokes_as(
        "hello",
        &[
            "--region",
            REGION,
            "--project-id",
            PROJECT,
            "--qualifier",
            "v3",
        ],
        &full("default", "hello", Some("v3")),
    );
    invokes_as(
        &full("default", "hello", None),
        &["--qualifier", "v3"],
        &full("default", "hello", Some("v3")),
    );
}

#[test]
fn alias_chooses_an_alias_sent_with_a_bang() {
    let sent = full("default", "hello", Some("!prod"));
    invokes_as(
        "hello",
        &[
            "--region",
            REGION,
            "--project-id",
            PROJECT,
            "--alias",
            "prod",
        ],
        &sent,
    );
    // A `!` typed anyway is not doubled.
    invokes_as(
        &full("default", "hello", None),
        &["--alias", "!prod"],
        &sent,
    );
}

#[test]
fn qualifier_and_alias_exclude_each_other() {
    refused_locally(
        &[URN, "--qualifier", "v1", "--alias", "prod"],
        "cannot be used with",
    );
}

#[test]
fn qualifier_or_alias_conflict_with_a_urn_that_names_one() {
    let versioned = full("default", "hello", Some("v1"));
    let aliased = full("default", "hello", Some("!dev"));
    refused_locally(&[&versioned, "--qualifier", "v2"], "already names `v1`");
    refused_locally(&[&versioned, "--alias", "prod"], "already names `v1`");
    refused_locally(&[&aliased, "--alias", "prod"], "already names `!dev`");
    refused_locally(&[&aliased, "--qualifier", "v2"], "already names `!dev`");
}

#[test]
fn an_explicit_project_id_that_disagrees_with_the_urn_is_exit_2() {
    let other = "ffffffffffffffffffffffffffffffff";
    refused_locally(&[URN, "--project-id", other], "disagrees with the URN");
    refused_locally(&[URN, "--project-id", other], other);

    let server = httpmock::MockServer::start();
    let anything = catch_all(&server);
    Fgs::new()
        .env("FGS_PROJECT_ID", other)
        .args(invoke_args(&server))
        .run()
        .code(2)
        .stdout("")
        .stderr_matches(
            predicate::str::contains("FGS_PROJECT_ID")
                .and(predicate::str::contains("disagrees with the URN")),
        );
    anything.assert_calls(0);
}

#[test]
fn an_explicit_project_id_that_agrees_with_the_urn_is_fine() {
    invokes_as(URN, &["--project-id", PROJECT], URN);
}

#[test]
fn invalid_values_are_exit_2_naming_the_field() {
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec![URN.into(), "--region".into(), "CN_North".into()],
            "region",
        ),
        (
            vec![URN.into(), "--region".into(), "evil.com/x".into()],
            "region",
        ),
        (
            vec![format!("urn:fss:CN.north:{PROJECT}:function:default:hello")],
            "region",
        ),
        (
            vec![
                "hello".into(),
                "--region".into(),
                REGION.into(),
                "--project-id".into(),
                "ab-c".into(),
            ],
            "project id",
        ),
        (
            vec!["urn:fss:cn-north-4:abc-123:function:default:hello".into()],
            "project id",
        ),
        (
            vec![format!(
                "urn:fss:{REGION}:{PROJECT}:function:default:he/llo"
            )],
            "function name",
        ),
        (
            vec![format!("urn:fss:{REGION}:{PROJECT}:function:pk.g:hello")],
            "package",
        ),
        (
            vec![
                URN.replace(":latest", ""),
                "--qualifier".into(),
                "v 1".into(),
            ],
            "version",
        ),
        (
            vec![URN.replace(":latest", ""), "--alias".into(), "d?v".into()],
            "alias",
        ),
        (
            vec![format!(
                "urn:fss:{REGION}:{PROJECT}:function:default:hello:!d?v"
            )],
            "alias",
        ),
        (vec!["urn:fss:cn-north-4".into()], "not a function URN"),
        (
            vec!["a:b:c".into()],
            "neither a full URN nor NAME or PACKAGE:NAME",
        ),
    ];
    for (args, field) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        refused_locally(&args, field);
    }
}

#[test]
fn an_explicit_region_names_the_host_of_the_default_endpoint() {
    Fgs::new()
        .args([
            "invoke",
            URN,
            "--token",
            TOKEN,
            "--region",
            "ap-southeast-1",
            "--dry-run",
        ])
        .run()
        .code(0)
        .stdout_starts_with("POST https://functiongraph.ap-southeast-1.myhuaweicloud.com/v2/")
        .stderr("");
}
