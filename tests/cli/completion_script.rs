//! The script of `fgs completions SHELL` (and in `completions/`) completes what the dynamic
//! completion does: functions, versions and aliases from the service, profiles from the config
//! file, event templates. It calls fgs back by name, as `gh completion` scripts do.

use std::path::Path;
use std::time::Duration;

use httpmock::{Method::GET, MockServer};

use crate::common::*;

/// What bash's Tab offers for the last word of `line` once `source` (a bash expression for
/// a file) is sourced: the completion function registered for `fgs` is the one called. fgs
/// is on PATH; the settings are in `env`; the home is fresh, with `config` when given.
fn tab(source: &str, env: &[(&str, String)], config: Option<&str>, line: &str) -> Vec<String> {
    let mut cmd = Fgs::program("bash");
    let home = cmd.home();
    if let Some(config) = config {
        write_config(&home, config);
    }
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
    let words: Vec<&str> = line.split(' ').collect();
    let current = words.last().copied().unwrap_or("");
    let previous = words.len().checked_sub(2).map_or("", |i| words[i]);
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let script = format!(
        "source {source}; f=$(complete -p fgs | sed -E 's/.* -F ([^ ]+) .*/\\1/'); \
         COMP_WORDS=({}); COMP_CWORD={}; COMP_LINE='{line}'; COMP_POINT=${{#COMP_LINE}}; COMP_TYPE=9; \
         \"$f\" fgs '{current}' '{previous}'; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        quoted.join(" "),
        words.len() - 1
    );
    let out = cmd.args(["-c", &script]).run();
    out.code(0).stderr("");
    let mut offered: Vec<String> = out
        .stdout
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    offered.sort();
    offered
}

/// The committed bash script, as `fgs completions bash > FILE` writes it.
fn committed_bash() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("completions/fgs.bash")
        .display()
        .to_string()
}

fn settings(server: &str) -> Vec<(&'static str, String)> {
    vec![
        ("FGS_TOKEN", TOKEN.to_string()),
        ("FGS_REGION", REGION.to_string()),
        ("FGS_PROJECT_ID", PROJECT.to_string()),
        ("FGS_ENDPOINT", server.to_string()),
    ]
}

/// Function names, aliases and versions from the service, through the script that
/// `fgs completions bash` prints and `completions/fgs.bash` holds.
#[test]
fn the_completions_script_completes_functions_aliases_and_versions() {
    let server = MockServer::start();
    let listing = server.mock(|when, then| {
        when.method(GET)
            .path(format!("/v2/{PROJECT}/fgs/functions"))
            .header("X-Auth-Token", TOKEN);
        then.status(200).body(
            r#"{"functions": [
              {"func_name": "hello", "package": "default", "runtime": "Python3.9",
               "func_urn": "urn:fss:cn-north-4:0123456789abcdef0123456789abcdef:function:default:hello"},
              {"func_name": "hola", "package": "default", "runtime": "Node.js18.15",
               "func_urn": "urn:fss:cn-north-4:0123456789abcdef0123456789abcdef:function:default:hola"}
            ], "next_marker": 2, "count": 2}"#,
        );
    });
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
            r#"{"versions": [{"version": "latest"}, {"version": "v1"}], "next_marker": 2, "count": 2}"#,
        );
    });
    let env = settings(&server.base_url());
    let committed = committed_bash();
    assert_eq!(
        tab(&committed, &env, None, "fgs invoke h"),
        ["hello", "hola"]
    );
    assert_eq!(
        tab("<(fgs completions bash)", &env, None, "fgs info ho"),
        ["hola"]
    );
    assert_eq!(
        tab(&committed, &env, None, "fgs invoke hello --alias "),
        ["beta", "prod"]
    );
    assert_eq!(
        tab(&committed, &env, None, "fgs invoke hello --qualifier v"),
        ["v1"]
    );
    listing.assert_calls(2);
    aliases.assert_calls(1);
    versions.assert_calls(1);

    // What needs no one's answer still completes: subcommands, flags, regions.
    assert_eq!(tab(&committed, &[], None, "fgs inv"), ["invoke"]);
    assert!(tab(&committed, &[], None, "fgs invoke --dry").contains(&"--dry-run".to_string()));
    assert!(
        tab(&committed, &[], None, "fgs invoke --region cn-north-")
            .contains(&"cn-north-4".to_string())
    );
}

/// Profiles from the config file, and `fgs event show`'s template names.
#[test]
fn the_completions_script_completes_profiles_and_templates() {
    let config =
        "[profiles.dev]\nregion = \"cn-north-4\"\n[profiles.prod]\nregion = \"cn-north-4\"\n";
    let committed = committed_bash();
    assert_eq!(
        tab(&committed, &[], Some(config), "fgs invoke --profile p"),
        ["prod"]
    );
    assert_eq!(
        tab(&committed, &[], Some(config), "fgs list --profile "),
        ["dev", "prod"]
    );
    assert_eq!(tab(&committed, &[], None, "fgs event show ti"), ["timer"]);
    // An empty word is offered the flags too; the values are the templates.
    let all: Vec<String> = tab(&committed, &[], None, "fgs event show ")
        .into_iter()
        .filter(|w| !w.starts_with('-'))
        .collect();
    let listed = Fgs::new().args(["event", "list"]).run();
    let names: Vec<String> = {
        let mut names: Vec<String> = listed
            .stdout
            .lines()
            .filter_map(|l| l.split_whitespace().next())
            .map(str::to_string)
            .collect();
        names.sort();
        names
    };
    assert_eq!(all, names);
    // The dynamic completion offers the same.
    assert_eq!(
        tab("<(COMPLETE=bash fgs)", &[], None, "fgs event show ti"),
        ["timer"]
    );
}

/// Every shell's script calls fgs back by name (no path of the machine that wrote it), with
/// `COMPLETE` naming the shell, after the static completion.
#[test]
fn every_shell_s_script_calls_fgs_back() {
    for (shell, callback) in [
        ("bash", "COMPLETE=\"bash\""),
        ("zsh", "COMPLETE=\"zsh\""),
        ("fish", "COMPLETE=fish fgs -- "),
        ("powershell", "$env:COMPLETE = \"powershell\""),
        ("elvish", "COMPLETE=\"elvish\" fgs -- "),
    ] {
        let out = Fgs::new().args(["completions", shell]).run();
        out.code(0)
            .stderr("")
            .stdout_contains(callback)
            .stdout_contains(format!("# Each Tab asks fgs (COMPLETE={shell} fgs)"))
            .stdout_lacks(BIN)
            .stdout_lacks(env!("CARGO_MANIFEST_DIR"));
        if shell == "fish" {
            // fish adds rules up: the static ones are erased before the callback's.
            let erased = out.stdout.find("complete -c fgs -e\n").expect("erased");
            assert!(erased < out.stdout.find(callback).unwrap());
        }
        if shell == "zsh" {
            // One #compdef line, and the dynamic completer is the one registered.
            assert_eq!(out.stdout.matches("#compdef").count(), 1, "{}", out.stdout);
            assert!(out.stdout.starts_with("#compdef fgs\n"));
            out.stdout_contains("compdef _clap_dynamic_completer_fgs fgs")
                .stdout_lacks("compdef _fgs fgs");
        }
    }
}
