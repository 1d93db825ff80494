//! The other commands: `config show`, `config path`, `--help`, `--version`, `completions`,
//! and the committed completion scripts.

use std::path::Path;

use predicates::prelude::*;

use crate::common::*;

#[test]
fn config_show_prints_each_setting_with_its_source_and_masks_the_token() {
    Fgs::new()
        .args([
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
    .run()
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
    let mut cmd = Fgs::new();
    let home = cmd.home();
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
        .run()
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
    Fgs::new()
        .args(["config", "show", URN])
        .run()
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
    Fgs::new()
        .args(["config", "show", "--region", "Not/A/Region"])
        .run()
        .code(2)
        .stdout("")
        .stderr_starts_with("error: invalid region");
}

#[test]
fn config_path_prints_the_file_in_use() {
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let path = write_config(&home, "region = \"cn-north-4\"\n");
    cmd.args(["config", "path"])
        .run()
        .code(0)
        .stdout(format!("{}\n", path.display()))
        .stderr("");

    let mut cmd = Fgs::new();
    let home = cmd.home();
    write_config(&home, "region = \"cn-north-4\"\n");
    let other = write_file(&home.path().join("other.toml"), "");
    cmd.args(["config", "path", "--config"])
        .arg(&other)
        .run()
        .code(0)
        .stdout(format!("{}\n", other.display()))
        .stderr("");
}

#[test]
fn config_path_without_any_file_names_where_it_would_be() {
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let expected = xdg_config(&home);
    cmd.args(["config", "path"])
        .run()
        .code(0)
        .stdout(format!("{}\n", expected.display()))
        .stderr_contains("does not exist yet");
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
        let out = Fgs::new().arg(flag).run();
        out.code(0);
        out.stderr("");
        out.stdout_contains("Exit codes:");
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
    let mut cmd = Fgs::new();
    cmd.arg("--version")
        .run()
        .code(0)
        .stdout_starts_with(format!("fgs {VERSION}"))
        .stderr("");
    // Built from git: the commit and the build date follow.
    let out = Fgs::new().arg("--version").run();
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
    Fgs::new()
        .env("FGS_TOKEN", TOKEN)
        .args(["invoke", "--help"])
        .run()
        .code(0)
        .stdout_matches(
            predicate::str::contains("FGS_TOKEN").and(predicate::str::contains(TOKEN).not()),
        )
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
        let mut cmd = Fgs::new();
        cmd.args(["completions", shell])
            .run()
            .code(0)
            .stdout_matches(
                predicate::str::contains(*marker)
                    .and(predicate::str::contains("invoke"))
                    // fish spells long options `-l token`.
                    .and(predicate::str::contains("token"))
                    .and(predicate::str::contains("dry-run")),
            )
            .stderr("");
    }
    Fgs::new()
        .args(["completions", "tcsh"])
        .run()
        .code(2)
        .stdout("")
        .stderr_contains("tcsh");
}

#[test]
fn committed_completions_are_up_to_date() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    let mut stale = Vec::new();
    for (shell, file, _) in SHELLS {
        let out = Fgs::new().args(["completions", shell]).output();
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
        let mut cmd = Fgs::new();
        let home = cmd.home();
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
        cmd.run()
            .code(0)
            .stdout_contains("profile          dev  (--profile)")
            .stdout_contains(format!(
                "region           cn-north-4  ({} [profiles.dev])",
                config.display()
            ));
        let mut cmd = Fgs::new();
        let args = ["--config", moved.to_str().unwrap()];
        if before {
            cmd.args(args).args(["config", "path"]);
        } else {
            cmd.args(["config", "path"]).args(args);
        }
        cmd.run().code(0).stdout(format!("{}\n", moved.display()));

        let server = httpmock::MockServer::start();
        let mock = expect_invocation(&server, &Expect::default(), |then| ok(then, "1"));
        let mut cmd = Fgs::new();
        if before {
            cmd.arg("-q").args(invoke_args(&server));
        } else {
            cmd.args(invoke_args(&server)).arg("-q");
        }
        cmd.run().code(0).stdout("1\n").stderr("");
        let mut cmd = Fgs::new();
        if before {
            cmd.arg("-v").args(invoke_args(&server));
        } else {
            cmd.args(invoke_args(&server)).arg("-v");
        }
        cmd.run().code(0).stdout("1\n").stderr_contains("> POST ");
        mock.assert_calls(2);
    }
}

/// `fgs man` prints the manual page; the committed `man/fgs.1` is what it prints.
#[test]
fn the_committed_man_page_is_up_to_date() {
    let out = Fgs::new().arg("man").run();
    out.code(0);
    assert!(out.stdout.starts_with(".ie"), "{}", &out.stdout[..100]);
    out.stdout_contains(".SH NAME");
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
    let mut cmd = Fgs::new();
    let long = cmd.arg("--help").run().stdout;
    assert!(
        long.contains("Examples:\n  fgs invoke --local examples/hello-python"),
        "{long}"
    );
    assert!(long.contains("fgs man"), "{long}");
    let short = Fgs::new().arg("-h").run().stdout;
    assert!(!short.contains("Examples:"), "{short}");
    assert!(short.lines().count() < long.lines().count());
}

/// With no region, the endpoint row shows the template and what it needs; with a function,
/// the full URN it resolves to.
#[test]
fn config_show_explains_what_is_missing() {
    Fgs::new()
        .args(["config", "show", "hello"])
        .run()
        .code(0)
        .stdout_contains(
            "endpoint         https://functiongraph.{region}.myhuaweicloud.com (needs a region)  (default)\n",
        )
        .stdout_contains(
            "urn              (cannot be formed: no project id: give --project-id, FGS_PROJECT_ID, `project_id` in the config file, or a full URN)\n",
        );
}

#[test]
fn invoke_help_groups_its_options() {
    let help = Fgs::new().args(["invoke", "--help"]).run().stdout;
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
// Unix only: drives the bash completion script through `bash`, which Windows lacks.
#[cfg(unix)]
#[test]
fn bash_completes_regions() {
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("completions/fgs.bash");
    let mut cmd = Fgs::program("bash");
    let out = cmd.args([
        "-c",
        &format!(
            "source {}; COMP_WORDS=(fgs invoke --region cn-); COMP_CWORD=3; COMP_LINE='fgs invoke --region cn-'; COMP_POINT=${{#COMP_LINE}}; _fgs fgs cn- --region; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            script.display()
        ),
    ]).run();
    out.code(0);
    let offered: Vec<&str> = out.stdout.lines().collect();
    assert!(offered.contains(&"cn-north-4"), "{offered:?}");
    assert!(offered.iter().all(|r| r.starts_with("cn-")), "{offered:?}");
    Fgs::new()
        .args([
            "invoke",
            "hello",
            "--region",
            "xx-private-1",
            "--project-id",
            PROJECT,
        ])
        .args(["--token", TOKEN, "--dry-run"])
        .run()
        .code(0);
}

/// The dynamic completion (`source <(COMPLETE=bash fgs)`) completes `--profile` from the
/// config file's profiles, in a real bash.
// Unix only: drives the bash completion script through `bash`, which Windows lacks.
#[cfg(unix)]
#[test]
fn bash_completes_profiles_from_the_config_file() {
    let mut cmd = Fgs::program("bash");
    let home = cmd.home();
    write_config(
        &home,
        "[profiles.dev]\nregion = \"cn-north-4\"\n[profiles.prod]\nregion = \"cn-north-4\"\n[profiles.other]\n",
    );
    let out = cmd.env("PATH", format!(
        "{}:{}",
        std::path::Path::new(BIN).parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    ))
    .args([
        "-c",
        "source <(COMPLETE=bash fgs); COMP_WORDS=(fgs invoke --profile p); COMP_CWORD=3; COMP_LINE='fgs invoke --profile p'; COMP_POINT=${#COMP_LINE}; COMP_TYPE=9; _clap_complete_fgs fgs p --profile; printf '%s\\n' \"${COMPREPLY[@]}\"",
    ]).run();
    out.code(0);
    let offered: Vec<&str> = out.stdout.lines().map(str::trim).collect();
    assert_eq!(offered, ["prod"], "{}", out.stdout);
}
