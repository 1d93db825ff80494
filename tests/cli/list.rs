//! `fgs list`, `fgs info`, the URN in `config show` and the 404 hint that names them.

use httpmock::{Method::GET, MockServer};
use predicates::prelude::*;
use serde_json::{Value, json};

use crate::common::*;

/// An environment variable's value that must never appear in any output.
const SECRET: &str = "SENTINEL-secret-value-42";

fn functions_path() -> String {
    format!("/v2/{PROJECT}/fgs/functions")
}

/// The version-less URN the list gives for a function (§10.1).
fn urn_of(package: &str, name: &str) -> String {
    format!("urn:fss:{REGION}:{PROJECT}:function:{package}:{name}")
}

/// A list item as the service sends it, with a secret in each environment field.
fn function(package: &str, name: &str) -> Value {
    json!({
        "func_urn": urn_of(package, name),
        "func_name": name,
        "package": package,
        "runtime": "Python3.9",
        "timeout": 30,
        "handler": "index.handler",
        "memory_size": 128,
        "code_type": "inline",
        "code_size": 1234,
        "version": "latest",
        "last_modified": "2019-10-25 15:37:27",
        "description": format!("{name} does things"),
        "user_data": format!("{{\"DB_HOST\":\"10.0.0.1\",\"API_KEY\":\"{SECRET}\"}}"),
        "encrypted_user_data": format!("{{\"PASSWORD\":\"{SECRET}\"}}"),
    })
}

/// `list --token … --endpoint SERVER --region … --project-id …`.
fn list_args(server: &MockServer) -> Vec<String> {
    command_args("list", server)
}

fn command_args(command: &str, server: &MockServer) -> Vec<String> {
    [
        command,
        "--token",
        TOKEN,
        "--endpoint",
        &server.base_url(),
        "--region",
        REGION,
        "--project-id",
        PROJECT,
    ]
    .map(String::from)
    .to_vec()
}

/// One page of functions answered for `marker`.
fn page<'a>(
    server: &'a MockServer,
    marker: &str,
    functions: &[Value],
    next: Option<u64>,
) -> httpmock::Mock<'a> {
    let mut body = json!({"functions": functions, "count": 5});
    if let Some(next) = next {
        body["next_marker"] = json!(next);
    }
    server.mock(|when, then| {
        when.method(GET)
            .path(functions_path())
            .query_param("marker", marker)
            .query_param("maxitems", "400")
            .query_param_missing("package_name")
            .header("X-Auth-Token", TOKEN)
            .header("Content-Type", "application/json");
        then.status(200)
            .header("Content-Type", "application/json")
            .json_body(body);
    })
}

/// One page holding `functions`, with no next marker.
fn one_page<'a>(server: &'a MockServer, functions: &[Value]) -> httpmock::Mock<'a> {
    page(server, "0", functions, None)
}

fn assert_no_secret(r: &Run) {
    r.stdout_lacks(SECRET);
    r.stderr_lacks(SECRET);
    r.stderr_lacks("10.0.0.1");
}

#[test]
fn list_follows_every_page_and_prints_one_urn_a_line_in_a_pipe() {
    let server = MockServer::start();
    let first = page(
        &server,
        "0",
        &[function("default", "a"), function("default", "b")],
        Some(2),
    );
    let second = page(
        &server,
        "2",
        &[function("default", "c"), function("shop", "d")],
        Some(4),
    );
    // The last page: the service gives back 0 (§10.2); count would stop it too.
    let last = page(&server, "4", &[function("shop", "e")], Some(0));
    let r = Fgs::new().args(list_args(&server)).run();
    r.code(0);
    let wanted: String = [
        ("default", "a"),
        ("default", "b"),
        ("default", "c"),
        ("shop", "d"),
        ("shop", "e"),
    ]
    .iter()
    .map(|(p, n)| urn_of(p, n) + "\n")
    .collect();
    r.stdout(wanted);
    r.stderr("");
    first.assert_calls(1);
    second.assert_calls(1);
    last.assert_calls(1);
}

// Unix only: runs fgs under `script(1)` for a pseudo-terminal; Windows has no `script`.
#[cfg(unix)]
#[test]
fn list_on_a_terminal_is_a_table_cut_to_its_width() {
    let server = MockServer::start();
    let mut long = function("default", "hello");
    long["description"] = json!(format!("a very long description {}", "x".repeat(200)));
    let mut evil = function("default", "evil");
    evil["description"] = json!("\u{1b}[2Jcleared");
    one_page(&server, &[long, evil]);
    let mut args = list_args(&server);
    args.extend(["--color".into(), "never".into()]);
    let shown = stdout_on_a_terminal(&args, &[("COLUMNS", "90")]);
    assert_eq!(shown.code, Some(0), "{}", shown.stdout);
    let table = shown.terminal.replace("\r\n", "\n");
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 3, "{table}");
    assert!(
        lines[0]
            .starts_with("NAME   PACKAGE  RUNTIME    MEMORY  TIMEOUT  MODIFIED             DESC"),
        "{table}"
    );
    assert!(
        lines[1].starts_with(
            "hello  default  Python3.9  128 MB     30 s  2019-10-25 15:37:27  a very long"
        ),
        "{table}"
    );
    assert!(lines[1].ends_with('…'), "{table}");
    assert_eq!(lines[1].chars().count(), 90, "{table}");
    assert!(lines.iter().all(|l| l.chars().count() <= 90), "{table}");
    assert!(lines[2].ends_with("\\x1b[2Jcleared"), "{table}");
    assert!(!table.contains(ESC), "{table:?}");
    assert!(!table.contains(SECRET));
    assert_eq!(shown.stdout, "", "stderr");
}

#[test]
fn list_json_is_one_document_a_function_with_env_values_masked() {
    let server = MockServer::start();
    one_page(&server, &[function("default", "a"), function("shop", "b")]);
    let r = Fgs::new()
        .args(list_args(&server))
        .args(["-o", "json", "-v"])
        .run();
    r.code(0);
    assert_no_secret(&r);
    let documents: Vec<Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON document a line"))
        .collect();
    assert_eq!(documents.len(), 2);
    let mut wanted = function("default", "a");
    wanted["user_data"] = json!(r#"{"DB_HOST":"***","API_KEY":"***"}"#);
    wanted["encrypted_user_data"] = json!(r#"{"PASSWORD":"***"}"#);
    assert_eq!(documents[0], wanted);
    assert_eq!(documents[1]["func_name"], "b");
    // -v shows the request, never a body
    r.stderr_contains("> GET ");
    r.stderr_contains("X-Auth-Token: ***");
    r.stderr_lacks(TOKEN);
}

#[test]
fn list_package_is_sent_as_package_name() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(GET)
            .path(functions_path())
            .query_param("package_name", "shop")
            .query_param("marker", "0");
        then.status(200)
            .json_body(json!({"functions": [function("shop", "cart")], "next_marker": 0}));
    });
    Fgs::new()
        .args(list_args(&server))
        .args(["--package", "shop"])
        .run()
        .code(0)
        .stdout(format!("{}\n", urn_of("shop", "cart")))
        .stderr("");
    mock.assert_calls(1);
}

#[test]
fn list_filters_by_glob_or_exact_name() {
    let server = MockServer::start();
    let names = ["order-new", "order-paid", "orders", "order", "payment"];
    let functions: Vec<Value> = names.iter().map(|n| function("default", n)).collect();
    one_page(&server, &functions);
    let listed = |pattern: &str| {
        let mut cmd = Fgs::new();
        let r = cmd.args(list_args(&server)).arg(pattern).run();
        r.code(0);
        r.stdout
            .lines()
            .map(|l| l.rsplit(':').next().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(listed("order-*"), ["order-new", "order-paid"]);
    assert_eq!(listed("order"), ["order"]);
    assert_eq!(listed("order?"), ["orders"]);
    assert_eq!(listed("[op]a*"), ["payment"]);

    let mut cmd = Fgs::new();
    cmd.args(list_args(&server))
        .arg("nothing-*")
        .run()
        .code(0)
        .stdout("")
        .stderr("no functions\n");

    Fgs::new()
        .args(list_args(&server))
        .arg("order-[")
        .run()
        .code(2)
        .stdout("")
        .stderr_starts_with("error: `order-[` is not a usable glob");
}

/// Versions and aliases of `hello`: `latest` and `v1`, and `prod` on v1 with 10% to v2.
fn versions_and_aliases(server: &MockServer) -> (httpmock::Mock<'_>, httpmock::Mock<'_>) {
    let urn = urn_of("default", "hello");
    let versions = server.mock(|when, then| {
        when.method(GET)
            .path(format!("{}/{urn}/versions", functions_path()))
            .query_param("marker", "0")
            .header("X-Auth-Token", TOKEN);
        let mut v1 = function("default", "hello");
        v1["version"] = json!("v1");
        v1["description"] = json!("first release");
        then.status(200).json_body(
            json!({"versions": [function("default", "hello"), v1], "next_marker": 2, "count": 2}),
        );
    });
    let aliases = server.mock(|when, then| {
        when.method(GET)
            .path(format!("{}/{urn}/aliases", functions_path()))
            .header("X-Auth-Token", TOKEN);
        then.status(200).json_body(json!([{
            "name": "prod",
            "version": "v1",
            "description": "",
            "last_modified": "2019-10-31T11:37:58+08:00",
            "alias_urn": format!("{urn}:!prod"),
            "additional_version_weights": {"v2": 10}
        }]));
    });
    (versions, aliases)
}

// Unix only: runs fgs under `script(1)` for a pseudo-terminal; Windows has no `script`.
#[cfg(unix)]
#[test]
fn list_versions_adds_versions_and_aliases_with_their_weights() {
    let server = MockServer::start();
    one_page(&server, &[function("default", "hello")]);
    let (versions, aliases) = versions_and_aliases(&server);
    let urn = urn_of("default", "hello");

    let mut cmd = Fgs::new();
    cmd.args(list_args(&server))
        .arg("--versions")
        .run()
        .code(0)
        .stdout(format!("{urn}\n{urn}:latest\n{urn}:v1\n{urn}:!prod\n"))
        .stderr("");

    let mut args = list_args(&server);
    args.extend(["--versions", "--color", "never"].map(String::from));
    let shown = stdout_on_a_terminal(&args, &[("COLUMNS", "200")]);
    assert_eq!(shown.code, Some(0), "{}", shown.stdout);
    let table = shown.terminal.replace("\r\n", "\n");
    assert!(
        table.contains("\n  version latest  2019-10-25 15:37:27  hello does things\n"),
        "{table}"
    );
    assert!(
        table.contains("\n  version v1  2019-10-25 15:37:27  first release\n"),
        "{table}"
    );
    assert!(
        table.contains("\n  alias   prod → v1 90%, v2 10%\n"),
        "{table}"
    );

    let r = Fgs::new()
        .args(list_args(&server))
        .args(["--versions", "-o", "json"])
        .run();
    r.code(0);
    assert_no_secret(&r);
    let document: Value = serde_json::from_str(r.stdout.trim_end()).unwrap();
    assert_eq!(document["versions"][1]["version"], "v1");
    assert_eq!(
        document["versions"][1]["user_data"],
        r#"{"DB_HOST":"***","API_KEY":"***"}"#
    );
    assert_eq!(
        document["aliases"][0]["additional_version_weights"],
        json!({"v2": 10})
    );
    versions.assert_calls(3);
    aliases.assert_calls(3);
}

#[test]
fn an_empty_list_says_so_on_stderr_and_exits_0() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(GET).path(functions_path());
        then.status(200)
            .json_body(json!({"functions": [], "next_marker": 0, "count": 0}));
    });
    Fgs::new()
        .args(list_args(&server))
        .run()
        .code(0)
        .stdout("")
        .stderr("no functions\n");
    mock.assert_calls(1);
}

#[test]
fn list_with_a_refused_token_exits_3() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.method(GET).path(functions_path());
        then.status(401)
            .json_body(json!({"error_code": "FSS.0401", "error_msg": "Unauthorized access."}));
    });
    Fgs::new()
        .args(list_args(&server))
        .run()
        .code(3)
        .stdout("")
        .stderr_matches(
            predicate::str::contains("FSS.0401").and(predicate::str::contains("hint:")),
        );
}

#[test]
fn a_404_hint_names_fgs_list_and_fgs_info() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.path_includes("/fgs/functions");
        then.status(404)
            .json_body(json!({"error_code": "FSS.1051", "error_msg": "Not found the function"}));
    });
    let hint = "hint: check the function name, region and project id: `fgs list` shows the project's functions, `fgs info NAME` one function\n";
    for args in [list_args(&server), command_args("info", &server)] {
        let mut cmd = Fgs::new();
        cmd.args(&args)
            .arg("hello")
            .run()
            .code(4)
            .stdout("")
            .stderr_matches(
                predicate::str::contains("FSS.1051").and(predicate::str::ends_with(hint)),
            );
    }
    Fgs::new()
        .args(invoke_args(&server))
        .run()
        .code(4)
        .stderr_ends_with(hint);
}

/// `GET …/hello:latest/config`, answered with the list item plus what only config has.
fn config(server: &MockServer) -> httpmock::Mock<'_> {
    let mut document = function("default", "hello");
    document["func_urn"] = json!(format!("{}:latest", urn_of("default", "hello")));
    document["func_id"] = json!("5d1f2d4a-0000-4000-8000-000000000000");
    server.mock(|when, then| {
        when.method(GET)
            .path(format!(
                "{}/{}:latest/config",
                functions_path(),
                urn_of("default", "hello")
            ))
            .header("X-Auth-Token", TOKEN);
        then.status(200).json_body(document);
    })
}

#[test]
fn info_shows_the_configuration_names_of_variables_and_how_to_invoke() {
    let server = MockServer::start();
    let config = config(&server);
    versions_and_aliases(&server);
    let urn = format!("{}:latest", urn_of("default", "hello"));
    let r = Fgs::new()
        .args(command_args("info", &server))
        .args(["hello", "-v"])
        .run();
    r.code(0);
    r.stdout(format!(
        "urn            {urn}\n\
             name           hello\n\
             package        default\n\
             runtime        Python3.9\n\
             handler        index.handler\n\
             memory         128 MB\n\
             timeout        30 s\n\
             code size      1234 bytes\n\
             last modified  2019-10-25 15:37:27\n\
             description    hello does things\n\
             env            DB_HOST, API_KEY; encrypted: PASSWORD\n\
             versions       latest  2019-10-25 15:37:27  hello does things\n\
             \x20              v1  2019-10-25 15:37:27  first release\n\
             aliases        prod → v1 90%, v2 10%\n\
             invoke         fgs invoke {urn} --endpoint {} -d '{{}}'\n",
        server.base_url()
    ));
    assert_no_secret(&r);
    r.stderr_contains("/config");
    config.assert_calls(1);
}

#[test]
fn info_json_is_the_services_document_with_env_values_masked() {
    let server = MockServer::start();
    config(&server);
    versions_and_aliases(&server);
    let r = Fgs::new()
        .args(command_args("info", &server))
        .args(["default:hello", "-o", "json", "-v"])
        .run();
    r.code(0);
    assert_no_secret(&r);
    let document: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        document["user_data"],
        r#"{"DB_HOST":"***","API_KEY":"***"}"#
    );
    assert_eq!(document["encrypted_user_data"], r#"{"PASSWORD":"***"}"#);
    assert_eq!(document["func_id"], "5d1f2d4a-0000-4000-8000-000000000000");
    assert_eq!(document["code_size"], 1234);
    assert_eq!(document["versions"].as_array().unwrap().len(), 2);
    assert_eq!(document["aliases"][0]["name"], "prod");
}

#[test]
fn info_of_an_alias_asks_for_that_urn_and_quotes_it() {
    let server = MockServer::start();
    let base = urn_of("default", "hello");
    let mock = server.mock(|when, then| {
        when.method(GET)
            .path(format!("{}/{base}:%21prod/config", functions_path()));
        then.status(200).json_body(json!({"func_name": "hello"}));
    });
    versions_and_aliases(&server);
    // The endpoint from the environment: the invoke line needs no --endpoint to find it.
    let mut cmd = Fgs::new();
    let mut args = command_args("info", &server);
    args.retain(|a| *a != "--endpoint" && *a != server.base_url());
    let r = cmd
        .env("FGS_ENDPOINT", server.base_url())
        .args(args)
        .args(["hello", "--alias", "prod"])
        .run();
    r.code(0);
    assert!(
        r.stdout
            .starts_with(&format!("urn            {base}:!prod\n")),
        "{}",
        r.stdout
    );
    r.stdout_contains("runtime        -\n");
    r.stdout_contains("env            (none)\n");
    r.stdout_ends_with(format!(
        "invoke         fgs invoke '{base}:!prod' -d '{{}}'\n"
    ));
    mock.assert_calls(1);
}

#[test]
fn config_show_prints_the_full_urn_a_function_resolves_to() {
    let urn = format!("urn:fss:{REGION}:{PROJECT}:function:shop:cart:latest");
    let show = ["config", "show", "shop:cart", "--region", REGION];
    let mut cmd = Fgs::new();
    cmd.args(show)
        .args(["--project-id", PROJECT])
        .run()
        .code(0)
        .stdout_contains(format!("urn              {urn}  (resolved)\n"));
    let mut cmd = Fgs::new();
    let r = cmd
        .args(show)
        .args(["--project-id", PROJECT, "-o", "json"])
        .run();
    let document: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(document["urn"], json!({"value": urn, "source": "resolved"}));

    // Without a project id, the line says why there is no URN yet.
    let r = Fgs::new().args(show).args(["-o", "json"]).run();
    let document: Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(
        document["urn"]["value"]
            .as_str()
            .unwrap()
            .starts_with("(cannot be formed: no project id"),
        "{document}"
    );
}
