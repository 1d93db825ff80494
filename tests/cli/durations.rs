//! One grammar for every span of time: seconds (`90`, `1.5`) or units (`90s`, `1m30s`, `2h`),
//! from a flag, a variable or the config file; and the SDK credentials file's section as
//! `config show` names it.

use crate::common::*;

/// The `config show` line of `row`.
fn line<'a>(stdout: &'a str, row: &str) -> &'a str {
    stdout
        .lines()
        .find(|l| l.starts_with(&format!("{row} ")))
        .unwrap_or_else(|| panic!("no {row} row in:\n{stdout}"))
}

#[test]
fn timeouts_take_units_from_every_layer() {
    let out = Fgs::new().args(["config", "show", "--timeout", "1m"]).run();
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(
        line(&out.stdout, "timeout"),
        "timeout          60 s  (--timeout)"
    );

    let out = Fgs::new()
        .env("FGS_TIMEOUT", "90s")
        .env("FGS_CONNECT_TIMEOUT", "1.5")
        .args(["config", "show"])
        .run();
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(
        line(&out.stdout, "timeout"),
        "timeout          90 s  (env FGS_TIMEOUT)"
    );
    assert_eq!(
        line(&out.stdout, "connect timeout"),
        "connect timeout  1.5 s  (env FGS_CONNECT_TIMEOUT)"
    );

    let mut cmd = Fgs::new();
    let home = cmd.home();
    let path = write_config(&home, "timeout = \"2m\"\nconnect_timeout = \"1m30s\"\n");
    let out = cmd
        .args(["config", "show", "--connect-timeout", "500ms"])
        .run();
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(
        line(&out.stdout, "timeout"),
        format!("timeout          120 s  ({})", path.display())
    );
    assert_eq!(
        line(&out.stdout, "connect timeout"),
        "connect timeout  0.5 s  (--connect-timeout)"
    );

    // A number in the file is still seconds.
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let path = write_config(&home, "timeout = 2\n");
    let out = cmd.args(["config", "show"]).run();
    assert_eq!(
        line(&out.stdout, "timeout"),
        format!("timeout          2 s  ({})", path.display())
    );
}

#[test]
fn bad_spans_of_time_are_exit_2_naming_the_value_and_its_source() {
    let not_a_duration =
        "is not a duration: give seconds (`90`, `1.5`) or units (`90s`, `1m30s`, `2h`)";
    let out = Fgs::new()
        .args(["config", "show", "--timeout", "ten"])
        .run();
    assert_eq!(out.code, Some(2));
    assert_eq!(out.stdout, "");
    assert_eq!(
        out.stderr,
        format!("error: `ten` {not_a_duration} (timeout from --timeout)\n")
    );

    let out = Fgs::new()
        .env("FGS_CONNECT_TIMEOUT", "2d")
        .args(["config", "show"])
        .run();
    assert_eq!(out.code, Some(2));
    assert_eq!(
        out.stderr,
        "error: `2d` is not a duration from 0.001 to 86400 seconds \
         (connect timeout from env FGS_CONNECT_TIMEOUT)\n"
    );

    let mut cmd = Fgs::new();
    let home = cmd.home();
    let path = write_config(&home, "timeout = \"soon\"\n");
    let out = cmd.args(["config", "show"]).run();
    assert_eq!(out.code, Some(2));
    assert_eq!(
        out.stderr,
        format!(
            "error: `soon` {not_a_duration} (timeout from {})\n",
            path.display()
        )
    );

    let mut cmd = Fgs::new();
    let home = cmd.home();
    write_config(&home, "timeout = true\n");
    let out = cmd.args(["config", "show"]).run();
    assert_eq!(out.code, Some(2));
    assert!(
        out.stderr.starts_with("error: ")
            && out
                .stderr
                .contains("expected a number of seconds or a duration such as \"90s\""),
        "{}",
        out.stderr
    );

    for (flag, value) in [
        ("--wait-timeout", "0"),
        ("--since", "soon"),
        ("--since", "0s"),
    ] {
        let out = Fgs::new()
            .args(["status", "hello", "id", "--wait", flag, value])
            .run();
        assert_eq!(out.code, Some(2), "{flag} {value}");
        assert!(
            out.stderr.starts_with(&format!(
                "error: invalid value '{value}' for '{flag} <DURATION>': `{value}` is not"
            )),
            "{}",
            out.stderr
        );
    }
}

/// The SDK's shared credentials file has no profiles: its section is shown as `[basic]`.
#[test]
fn the_sdk_credentials_file_section_is_shown_as_basic() {
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let path = write_file(
        &home.path().join(".huaweicloud").join("credentials"),
        &format!(
            "[basic]\nak = AKIDEXAMPLE0000000001\nsk = example-secret-key\nproject_id = {PROJECT}\n"
        ),
    );
    let out = cmd.args(["config", "show"]).run();
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let from = format!("({} [basic])", path.display());
    for row in ["project id", "auth", "access key", "secret key"] {
        assert!(line(&out.stdout, row).ends_with(&from), "{}", out.stdout);
    }
    assert!(!out.stdout.contains("[profiles.basic]"), "{}", out.stdout);
}
