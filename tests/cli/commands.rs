//! The other commands: `config show`, `config path`, `--help`, `--version`, `completions`,
//! and the committed completion scripts.

use std::path::Path;

use predicates::prelude::*;

use crate::common::*;

#[test]
fn config_show_prints_each_setting_with_its_source_and_masks_the_token() {
    let (mut cmd, _home) = fgs();
    cmd.args([
        "config",
        "show",
        "hello",
        "--project-id",
        PROJECT,
        "--region",
        REGION,
    ])
    .args(["--token", TOKEN, "--timeout", "12.5"])
    .env("FGS_ENDPOINT", "http://127.0.0.1:9/")
    .assert()
    .code(0)
    .stdout(format!(
        "config file      (not set)\n\
             profile          (not set)\n\
             function         hello  (the FUNCTION argument)\n\
             urn              urn:fss:cn-north-4:{PROJECT}:function:default:hello:latest  (resolved)\n\
             project id       {PROJECT}  (--project-id)\n\
             region           cn-north-4  (--region)\n\
             endpoint         http://127.0.0.1:9  (env FGS_ENDPOINT)\n\
             timeout          12.5 s  (--timeout)\n\
             connect timeout  10 s  (default)\n\
             ca cert          (not set)\n\
             auth             token  (--token)\n\
             token            ***(31 chars)  (--token)\n"
    ))
    .stderr("");
}

#[test]
fn config_show_names_the_file_and_profile_each_value_came_from() {
    let (mut cmd, home) = fgs();
    let path = write_config(
        &home,
        &format!(
            "region = \"cn-north-4\"\ntoken = \"top-level-token-000000000000\"\n\
             [profiles.dev]\nproject_id = \"{PROJECT}\"\nendpoint = \"http://127.0.0.1:9/\"\ntimeout = 2.5\n"
        ),
    );
    let p = path.display();
    cmd.env("FGS_URN", "tools:hello")
        .args(["config", "show", "--profile", "dev"])
        .assert()
        .code(0)
        .stdout(format!(
            "config file      {p}  (default)\n\
             profile          dev  (--profile)\n\
             function         tools:hello  (env FGS_URN)\n\
             urn              urn:fss:cn-north-4:{PROJECT}:function:tools:hello:latest  (resolved)\n\
             project id       {PROJECT}  ({p} [profiles.dev])\n\
             region           cn-north-4  ({p})\n\
             endpoint         http://127.0.0.1:9  ({p} [profiles.dev])\n\
             timeout          2.5 s  ({p} [profiles.dev])\n\
             connect timeout  10 s  (default)\n\
             ca cert          (not set)\n\
             auth             token  ({p})\n\
             token            ***(28 chars)  ({p})\n"
        ))
        .stderr("");
}

#[test]
fn config_show_takes_region_and_project_id_from_a_full_urn() {
    let (mut cmd, _home) = fgs();
    cmd.args(["config", "show", URN])
        .assert()
        .code(0)
        .stdout(format!(
            "config file      (not set)\n\
             profile          (not set)\n\
             function         {URN}  (the FUNCTION argument)\n\
             urn              {URN}  (resolved)\n\
             project id       {PROJECT}  (the URN)\n\
             region           cn-north-4  (the URN)\n\
             endpoint         https://functiongraph.cn-north-4.myhuaweicloud.com  (default)\n\
             timeout          930 s  (default)\n\
             connect timeout  10 s  (default)\n\
             ca cert          (not set)\n\
             auth             (none found)\n"
        ))
        .stderr("");
}

#[test]
fn config_show_refuses_what_invoke_would_refuse() {
    let (mut cmd, _home) = fgs();
    cmd.args(["config", "show", "--region", "Not/A/Region"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::starts_with("error: invalid region"));
}

#[test]
fn config_path_prints_the_file_in_use() {
    let (mut cmd, home) = fgs();
    let path = write_config(&home, "region = \"cn-north-4\"\n");
    cmd.args(["config", "path"])
        .assert()
        .code(0)
        .stdout(format!("{}\n", path.display()))
        .stderr("");

    let (mut cmd, home) = fgs();
    write_config(&home, "region = \"cn-north-4\"\n");
    let other = write_file(&home.path().join("other.toml"), "");
    cmd.args(["config", "path", "--config"])
        .arg(&other)
        .assert()
        .code(0)
        .stdout(format!("{}\n", other.display()))
        .stderr("");
}

#[test]
fn config_path_without_any_file_names_where_it_would_be() {
    let (mut cmd, home) = fgs();
    let expected = xdg_config(&home);
    cmd.args(["config", "path"])
        .assert()
        .code(0)
        .stdout(format!("{}\n", expected.display()))
        .stderr(predicate::str::contains("does not exist yet"));
}

const EXIT_CODES: &[&str] = &[
    "0    the function ran and reported no error",
    "1    the function reported an error (--no-fail makes this 0); --wait: FAIL or DISCARD",
    "2    usage or input error: nothing was sent",
    "3    credentials missing, or refused (401, 403)",
    "4    request refused (any other 4xx: 400, 404, 413, 429, ...); status: no record",
    "5    service failure (5xx, or an answer that cannot be read)",
    "6    network failure: no answer (DNS, connect, TLS)",
    "7    timed out waiting for the answer (or --wait-timeout); the function may still be running",
    "130  interrupted",
];

#[test]
fn help_lists_the_exit_codes() {
    for flag in ["--help", "-h"] {
        let (mut cmd, _home) = fgs();
        let out = run(cmd.arg(flag));
        assert_eq!(out.code, Some(0));
        assert_eq!(out.stderr, "");
        assert!(out.stdout.contains("Exit codes:"), "{}", out.stdout);
        for line in EXIT_CODES {
            assert!(
                out.stdout.lines().any(|l| l.trim() == *line),
                "`fgs {flag}` lacks {line:?}:\n{}",
                out.stdout
            );
        }
    }
}

#[test]
fn version_prints_the_package_version() {
    let (mut cmd, _home) = fgs();
    cmd.arg("--version")
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with(format!("fgs {VERSION}")))
        .stderr("");
    // Built from git: the commit and the build date follow.
    let (mut cmd, _home) = fgs();
    let out = run(cmd.arg("--version"));
    let inside_git = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(".git")
        .exists();
    if inside_git {
        let rest = out
            .stdout
            .trim()
            .strip_prefix(&format!("fgs {VERSION} ("))
            .unwrap_or("");
        let (commit, date) = rest
            .trim_end_matches(')')
            .split_once(' ')
            .unwrap_or(("", ""));
        assert!(
            commit.len() >= 7 && commit.chars().all(|c| c.is_ascii_hexdigit()),
            "{}",
            out.stdout
        );
        assert_eq!(date.len(), 10, "{}", out.stdout);
    }
}

#[test]
fn help_never_shows_a_token_from_the_environment() {
    let (mut cmd, _home) = fgs();
    cmd.env("FGS_TOKEN", TOKEN)
        .args(["invoke", "--help"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("FGS_TOKEN").and(predicate::str::contains(TOKEN).not()))
        .stderr("");
}

/// Each shell, the committed file name, and a line its script must have.
const SHELLS: &[(&str, &str, &str)] = &[
    ("bash", "fgs.bash", "complete -F _fgs"),
    ("zsh", "_fgs", "#compdef fgs"),
    ("fish", "fgs.fish", "complete -c fgs"),
    ("powershell", "_fgs.ps1", "Register-ArgumentCompleter"),
    ("elvish", "fgs.elv", "edit:completion:arg-completer[fgs]"),
];

#[test]
fn completions_print_a_script_for_each_shell() {
    for (shell, _, marker) in SHELLS {
        let (mut cmd, _home) = fgs();
        cmd.args(["completions", shell])
            .assert()
            .code(0)
            .stdout(
                predicate::str::contains(*marker)
                    .and(predicate::str::contains("invoke"))
                    // fish spells long options `-l token`.
                    .and(predicate::str::contains("token"))
                    .and(predicate::str::contains("dry-run")),
            )
            .stderr("");
    }
    let (mut cmd, _home) = fgs();
    cmd.args(["completions", "tcsh"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("tcsh"));
}

#[test]
fn committed_completions_are_up_to_date() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    let mut stale = Vec::new();
    for (shell, file, _) in SHELLS {
        let (mut cmd, _home) = fgs();
        let out = cmd
            .args(["completions", shell])
            .output()
            .expect("running fgs completions");
        assert_eq!(out.status.code(), Some(0));
        assert!(out.stderr.is_empty());
        let path = dir.join(file);
        match std::fs::read(&path) {
            Ok(committed) if committed == out.stdout => {}
            Ok(_) => stale.push(format!(
                "{} differs from `fgs completions {shell}`",
                path.display()
            )),
            Err(e) => stale.push(format!("{} cannot be read: {e}", path.display())),
        }
    }
    assert!(
        stale.is_empty(),
        "completions/ is stale; run `scripts/update-completions.sh` and commit the result:\n  {}",
        stale.join("\n  ")
    );
}

/// `-v`, `-q`, `--color`, `--config` and `--profile` work before or after the subcommand.
#[test]
fn global_flags_go_before_or_after_the_subcommand() {
    for before in [true, false] {
        let (mut cmd, home) = fgs();
        let config = write_config(&home, "[profiles.dev]\nregion = \"cn-north-4\"\n");
        let moved = write_file(
            &home.path().join("elsewhere.toml"),
            "region = \"ap-southeast-1\"\n",
        );
        let flags = ["--profile", "dev", "--color", "never"];
        if before {
            cmd.args(flags).args(["config", "show"]);
        } else {
            cmd.args(["config", "show"]).args(flags);
        }
        cmd.assert()
            .code(0)
            .stdout(predicate::str::contains(
                "profile          dev  (--profile)",
            ))
            .stdout(predicate::str::contains(format!(
                "region           cn-north-4  ({} [profiles.dev])",
                config.display()
            )));
        let (mut cmd, _home) = fgs();
        let args = ["--config", moved.to_str().unwrap()];
        if before {
            cmd.args(args).args(["config", "path"]);
        } else {
            cmd.args(["config", "path"]).args(args);
        }
        cmd.assert()
            .code(0)
            .stdout(format!("{}\n", moved.display()));

        let server = httpmock::MockServer::start();
        let mock = expect_invocation(&server, &Expect::default(), |then| ok(then, "1"));
        let (mut cmd, _home) = fgs();
        if before {
            cmd.arg("-q").args(invoke_args(&server));
        } else {
            cmd.args(invoke_args(&server)).arg("-q");
        }
        cmd.assert().code(0).stdout("1\n").stderr("");
        let (mut cmd, _home) = fgs();
        if before {
            cmd.arg("-v").args(invoke_args(&server));
        } else {
            cmd.args(invoke_args(&server)).arg("-v");
        }
        cmd.assert()
            .code(0)
            .stdout("1\n")
            .stderr(predicate::str::contains("> POST "));
        mock.assert_calls(2);
    }
}

/// `fgs man` prints the manual page; the committed `man/fgs.1` is what it prints.
#[test]
fn the_committed_man_page_is_up_to_date() {
    let (mut cmd, _home) = fgs();
    let out = run(cmd.arg("man"));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(out.stdout.starts_with(".ie"), "{}", &out.stdout[..100]);
    assert!(out.stdout.contains(".SH NAME"));
    let committed =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("man/fgs.1"))
            .expect("man/fgs.1 is committed");
    assert!(
        committed == out.stdout,
        "man/fgs.1 is stale; run `scripts/update-completions.sh` and commit the result"
    );
}

#[test]
fn long_help_has_examples_and_short_help_stays_short() {
    let (mut cmd, _home) = fgs();
    let long = run(cmd.arg("--help")).stdout;
    assert!(
        long.contains("Examples:\n  fgs invoke --local examples/hello-python"),
        "{long}"
    );
    assert!(long.contains("fgs man"), "{long}");
    let (mut cmd, _home) = fgs();
    let short = run(cmd.arg("-h")).stdout;
    assert!(!short.contains("Examples:"), "{short}");
    assert!(short.lines().count() < long.lines().count());
}

/// With no region, the endpoint row shows the template and what it needs; with a function,
/// the full URN it resolves to.
#[test]
fn config_show_explains_what_is_missing() {
    let (mut cmd, _home) = fgs();
    cmd.args(["config", "show", "hello"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "endpoint         https://functiongraph.{region}.myhuaweicloud.com (needs a region)  (default)\n",
        ))
        .stdout(predicate::str::contains(
            "urn              (cannot be formed: no project id: give --project-id, FGS_PROJECT_ID, `project_id` in the config file, or a full URN)\n",
        ));
}

#[test]
fn invoke_help_groups_its_options() {
    let (mut cmd, _home) = fgs();
    let help = run(cmd.args(["invoke", "--help"])).stdout;
    let headings: Vec<&str> = help
        .lines()
        .filter(|l| !l.starts_with(' ') && l.ends_with(':'))
        .collect();
    for wanted in [
        "Input:",
        "Output:",
        "Credentials:",
        "Network:",
        "Many calls:",
    ] {
        assert!(
            headings.contains(&wanted),
            "{wanted} missing from {headings:?}"
        );
    }
}

/// The committed bash completion offers the documented regions after `--region`; any other
/// region is still accepted.
#[test]
fn bash_completes_regions() {
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("completions/fgs.bash");
    let (mut cmd, _home) = wrapper("bash");
    let out = run(cmd.args([
        "-c",
        &format!(
            "source {}; COMP_WORDS=(fgs invoke --region cn-); COMP_CWORD=3; COMP_LINE='fgs invoke --region cn-'; COMP_POINT=${{#COMP_LINE}}; _fgs fgs cn- --region; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            script.display()
        ),
    ]));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let offered: Vec<&str> = out.stdout.lines().collect();
    assert!(offered.contains(&"cn-north-4"), "{offered:?}");
    assert!(offered.iter().all(|r| r.starts_with("cn-")), "{offered:?}");
    let (mut cmd, _home) = fgs();
    cmd.args([
        "invoke",
        "hello",
        "--region",
        "xx-private-1",
        "--project-id",
        PROJECT,
    ])
    .args(["--token", TOKEN, "--dry-run"])
    .assert()
    .code(0);
}

/// The dynamic completion (`source <(COMPLETE=bash fgs)`) completes `--profile` from the
/// config file's profiles, in a real bash.
#[test]
fn bash_completes_profiles_from_the_config_file() {
    let (mut cmd, home) = wrapper("bash");
    write_config(
        &home,
        "[profiles.dev]\nregion = \"cn-north-4\"\n[profiles.prod]\nregion = \"cn-north-4\"\n[profiles.other]\n",
    );
    let out = run(cmd.env("PATH", format!(
        "{}:{}",
        std::path::Path::new(BIN).parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    ))
    .args([
        "-c",
        "source <(COMPLETE=bash fgs); COMP_WORDS=(fgs invoke --profile p); COMP_CWORD=3; COMP_LINE='fgs invoke --profile p'; COMP_POINT=${#COMP_LINE}; COMP_TYPE=9; _clap_complete_fgs fgs p --profile; printf '%s\\n' \"${COMPREPLY[@]}\"",
    ]));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let offered: Vec<&str> = out.stdout.lines().map(str::trim).collect();
    assert_eq!(offered, ["prod"], "{}", out.stdout);
}
