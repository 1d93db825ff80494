//! Colour: `--color always|never`, then a non-empty `NO_COLOR` off, then `CLICOLOR_FORCE` on,
//! else on only for a terminal, decided for stdout and stderr separately. The terminal cases
//! run fgs under `script(1)`, which gives it a pseudo-terminal.

use predicates::prelude::*;

use crate::common::*;
use crate::output::{DOC_PRETTY, DOC_SUMMARY, documented};

/// Remove ANSI SGR sequences (`ESC [ ... m`).
fn strip_ansi(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == ESC {
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Run the documented example in pretty mode with `args` and `env`; return the output.
fn pretty_run(args: &[&str], env: &[(&str, &str)]) -> Run {
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), documented);
    let mut cmd = Fgs::new();
    for (name, value) in env {
        cmd.env(name, value);
    }
    let out = cmd
        .args(invoke_args(&server))
        .args(["-o", "pretty"])
        .args(args)
        .run();
    out.code(0);
    mock.assert();
    out
}

fn assert_plain(out: &Run) {
    out.stdout(DOC_PRETTY);
    assert!(!out.stderr.contains(ESC), "{:?}", out.stderr);
    out.stderr_ends_with(DOC_SUMMARY);
}

fn assert_coloured(out: &Run) {
    assert!(out.stdout.contains(ESC), "{:?}", out.stdout);
    assert_eq!(strip_ansi(&out.stdout), DOC_PRETTY);
    assert!(out.stderr.contains(ESC), "{:?}", out.stderr);
    assert!(
        strip_ansi(&out.stderr).ends_with(DOC_SUMMARY),
        "{:?}",
        out.stderr
    );
}

#[test]
fn color_always_puts_ansi_escapes_in_pretty_output() {
    assert_coloured(&pretty_run(&["--color", "always"], &[]));
    // The flag wins over NO_COLOR.
    assert_coloured(&pretty_run(&["--color", "always"], &[("NO_COLOR", "1")]));
}

#[test]
fn color_never_puts_none() {
    assert_plain(&pretty_run(&["--color", "never"], &[]));
    // The flag wins over CLICOLOR_FORCE.
    assert_plain(&pretty_run(
        &["--color", "never"],
        &[("CLICOLOR_FORCE", "1")],
    ));
}

#[test]
fn no_colour_by_default_when_not_a_terminal() {
    assert_plain(&pretty_run(&[], &[]));
    assert_plain(&pretty_run(&["--color", "auto"], &[]));
}

#[test]
fn clicolor_force_turns_colour_on() {
    assert_coloured(&pretty_run(&[], &[("CLICOLOR_FORCE", "1")]));
    assert_plain(&pretty_run(&[], &[("CLICOLOR_FORCE", "0")]));
}

#[test]
fn a_non_empty_no_color_turns_colour_off_even_when_forced() {
    assert_plain(&pretty_run(
        &[],
        &[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")],
    ));
    // An empty NO_COLOR does not count.
    assert_coloured(&pretty_run(
        &[],
        &[("NO_COLOR", ""), ("CLICOLOR_FORCE", "1")],
    ));
}

#[test]
fn raw_and_json_output_are_never_coloured() {
    for mode in ["raw", "json"] {
        let server = httpmock::MockServer::start();
        let mock = expect_invocation(&server, &Expect::default(), documented);
        let mut cmd = Fgs::new();
        // In json mode the summary is in the document; -v puts it on stderr as well.
        let verbose: &[&str] = if mode == "json" { &["-v"] } else { &[] };
        cmd.args(invoke_args(&server))
            .args(["--color", "always", "-o", mode])
            .args(verbose)
            .run()
            .code(0)
            .stdout_matches(predicate::str::contains(ESC).not())
            .stderr_matches(predicate::str::contains(ESC));
        mock.assert();
    }
}

/// stdin and stdout a terminal, stderr a file. Returns (exit code, terminal output without
/// `\r`, stderr).
// Unix only: runs fgs under `script(1)` for a pseudo-terminal; Windows has no `script`.
#[cfg(unix)]
fn on_a_terminal(args: &[String], env: &[(&str, &str)]) -> (Option<i32>, String, String) {
    let out = stdout_on_a_terminal(args, env);
    (out.code, out.terminal.replace('\r', ""), out.stdout)
}

// Unix only: runs fgs under `script(1)` for a pseudo-terminal; Windows has no `script`.
#[cfg(unix)]
#[test]
fn on_a_terminal_the_default_is_pretty_and_coloured_and_stdin_is_not_read() {
    let server = httpmock::MockServer::start();
    // No --data and stdin is the terminal: `{}` is sent at once, nothing waits for typing.
    let mock = expect_invocation(&server, &Expect::body("{}"), documented);
    let (code, stdout, stderr) = on_a_terminal(&invoke_args(&server), &[]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains(ESC), "{stdout:?}");
    assert_eq!(strip_ansi(&stdout), DOC_PRETTY);
    // stderr is a file: decided separately, so no colour there.
    assert!(!stderr.contains(ESC), "{stderr:?}");
    assert!(stderr.ends_with(DOC_SUMMARY), "{stderr:?}");
    mock.assert();
}

// Unix only: runs fgs under `script(1)` for a pseudo-terminal; Windows has no `script`.
#[cfg(unix)]
#[test]
fn on_a_terminal_no_color_turns_colour_off() {
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), documented);
    let (code, stdout, stderr) = on_a_terminal(&invoke_args(&server), &[("NO_COLOR", "1")]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stdout, DOC_PRETTY);
    assert!(stderr.ends_with(DOC_SUMMARY), "{stderr:?}");
    mock.assert();
}

// Unix only: runs fgs under `script(1)` for a pseudo-terminal; Windows has no `script`.
#[cfg(unix)]
#[test]
fn on_a_terminal_output_raw_still_wins() {
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), documented);
    let mut args = invoke_args(&server);
    args.extend(["-o".to_string(), "raw".to_string()]);
    let (code, stdout, stderr) = on_a_terminal(&args, &[]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stdout, format!("{}\n", crate::output::DOC_RESULT));
    assert!(!stderr.contains(ESC), "{stderr:?}");
    assert!(stderr.ends_with(DOC_SUMMARY), "{stderr:?}");
    mock.assert();
}

// Unix only: runs fgs under `script(1)` for a pseudo-terminal; Windows has no `script`.
#[cfg(unix)]
#[test]
fn color_never_also_applies_to_clap_usage_errors() {
    let shown = stderr_on_a_terminal(|_| {
        vec![
            "invoke".into(),
            "--bogus".into(),
            "--color".into(),
            "never".into(),
        ]
    });
    assert_eq!(shown.code, Some(2));
    assert!(
        shown.terminal.contains("unexpected argument"),
        "{:?}",
        shown.terminal
    );
    assert!(!shown.terminal.contains(ESC), "{:?}", shown.terminal);
    // Without --color never, clap colours its error on a terminal.
    let shown = stderr_on_a_terminal(|_| vec!["invoke".into(), "--bogus".into()]);
    assert!(shown.terminal.contains(ESC), "{:?}", shown.terminal);
}

// Unix only: runs fgs under `script(1)` for a pseudo-terminal; Windows has no `script`.
#[cfg(unix)]
#[test]
fn term_dumb_means_no_colour() {
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), documented);
    let (code, stdout, stderr) = on_a_terminal(&invoke_args(&server), &[("TERM", "dumb")]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(!stdout.contains(ESC), "{stdout:?}");
    assert_eq!(stdout, DOC_PRETTY);
    mock.assert();
}

// Unix only: runs fgs under `script(1)` for a pseudo-terminal; Windows has no `script`.
#[cfg(unix)]
#[test]
fn json_on_a_terminal_is_indented_and_coloured() {
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::default(), documented);
    let mut args = invoke_args(&server);
    args.extend(["-o".to_string(), "json".to_string()]);
    let (code, stdout, stderr) = on_a_terminal(&args, &[]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains(ESC), "{stdout:?}");
    let plain = strip_ansi(&stdout);
    assert!(plain.starts_with("{\n  \"request_id\": "), "{plain}");
    let doc: serde_json::Value = serde_json::from_str(&plain).expect("still one JSON document");
    assert_eq!(doc["http_status"], 200);
    mock.assert();
}
