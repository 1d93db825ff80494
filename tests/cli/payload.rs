//! Each payload source, the bytes sent exactly as written, and the checks made before
//! anything is sent.

use predicates::prelude::*;

use crate::common::*;

/// Whitespace, key order, number spelling and non-ASCII text: all must survive untouched.
const WRITTEN: &str = "{ \"z\" : 1.50,\n  \"a\":[1 ,2],\t\"k\": \"v\u{e9}\" }";

/// 6 MiB, the service's synchronous limit as fgs applies it.
const LIMIT: usize = 6 * 1024 * 1024;

/// A JSON string literal of exactly `len` bytes.
fn json_of_len(len: usize) -> String {
    format!("\"{}\"", "a".repeat(len - 2))
}

#[test]
fn inline_data_is_sent_byte_for_byte() {
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::body(WRITTEN), |then| ok(then, "done"));
    Fgs::new()
        .args(invoke_args(&server))
        .args(["-d", WRITTEN])
        .run()
        .code(0)
        .stdout("done\n")
        .stderr_starts_with("ok · HTTP 200");
    mock.assert();
}

#[test]
fn long_flag_data_and_non_object_json_are_sent_as_written() {
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::body("[1, \"two\", null]"), |then| {
        ok(then, "done")
    });
    Fgs::new()
        .args(invoke_args(&server))
        .args(["--data", "[1, \"two\", null]"])
        .run()
        .code(0)
        .stdout("done\n")
        .stderr_starts_with("ok · HTTP 200");
    mock.assert();
}

#[test]
fn data_from_a_file_keeps_its_bytes_including_the_final_newline() {
    let server = httpmock::MockServer::start();
    let written = format!("{WRITTEN}\n");
    let mock = expect_invocation(&server, &Expect::body(&written), |then| ok(then, "done"));
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let path = write_file(&home.path().join("event.json"), &written);
    cmd.args(invoke_args(&server))
        .args(["-d", &format!("@{}", path.display())])
        .run()
        .code(0)
        .stdout("done\n")
        .stderr_starts_with("ok · HTTP 200");
    mock.assert();
}

#[test]
fn data_from_a_relative_file_path() {
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::body("{\"rel\": true}"), |then| {
        ok(then, "done")
    });
    let mut cmd = Fgs::new();
    let home = cmd.home();
    write_file(&home.path().join("event.json"), "{\"rel\": true}");
    // fgs() runs in the temp home.
    cmd.args(invoke_args(&server))
        .args(["-d", "@event.json"])
        .run()
        .code(0)
        .stdout("done\n")
        .stderr_starts_with("ok · HTTP 200");
    mock.assert();
}

#[test]
fn data_from_stdin_with_at_dash() {
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::body(WRITTEN), |then| ok(then, "done"));
    Fgs::new()
        .args(invoke_args(&server))
        .args(["-d", "@-"])
        .stdin(WRITTEN)
        .run()
        .code(0)
        .stdout("done\n")
        .stderr_starts_with("ok · HTTP 200");
    mock.assert();
}

#[test]
fn piped_stdin_without_data_is_the_payload() {
    let server = httpmock::MockServer::start();
    let piped = format!("{WRITTEN}\n");
    let mock = expect_invocation(&server, &Expect::body(&piped), |then| ok(then, "done"));
    Fgs::new()
        .args(invoke_args(&server))
        .stdin(piped.as_str())
        .run()
        .code(0)
        .stdout("done\n")
        .stderr_starts_with("ok · HTTP 200");
    mock.assert();
}

#[test]
fn empty_stdin_sends_an_empty_object() {
    for stdin in ["", " \n\t\n"] {
        let server = httpmock::MockServer::start();
        let mock = expect_invocation(&server, &Expect::body("{}"), |then| ok(then, "done"));
        Fgs::new()
            .args(invoke_args(&server))
            .stdin(stdin)
            .run()
            .code(0)
            .stdout("done\n")
            .stderr_starts_with("ok · HTTP 200");
        mock.assert();
    }
}

#[test]
fn invalid_json_is_exit_2_naming_line_and_column_and_nothing_is_sent() {
    let bad = "{\n  \"k\": v\n}";
    let server = httpmock::MockServer::start();
    let anything = catch_all(&server);

    let mut cmd = Fgs::new();
    cmd.args(invoke_args(&server))
        .args(["-d", bad])
        .run()
        .code(2)
        .stdout("")
        .stderr_matches(
            predicate::str::starts_with("error: the payload from --data is not valid JSON")
                .and(predicate::str::contains("line 2 column 8")),
        );

    let mut cmd = Fgs::new();
    cmd.args(invoke_args(&server))
        .stdin(bad)
        .run()
        .code(2)
        .stdout("")
        .stderr_matches(
            predicate::str::starts_with("error: the payload from stdin is not valid JSON")
                .and(predicate::str::contains("line 2 column 8")),
        );

    let mut cmd = Fgs::new();
    let home = cmd.home();
    let path = write_file(&home.path().join("bad.json"), "[1,\n2,\n3,,]");
    cmd.args(invoke_args(&server))
        .args(["-d", &format!("@{}", path.display())])
        .run()
        .code(2)
        .stdout("")
        .stderr_matches(
            predicate::str::contains(path.display().to_string())
                .and(predicate::str::contains("not valid JSON"))
                .and(predicate::str::contains("line 3 column 3")),
        );
    anything.assert_calls(0);
}

#[test]
fn trailing_garbage_after_json_is_refused() {
    let server = httpmock::MockServer::start();
    let anything = catch_all(&server);
    Fgs::new()
        .args(invoke_args(&server))
        .args(["-d", "{\"a\":1} x"])
        .run()
        .code(2)
        .stdout("")
        .stderr_matches(
            predicate::str::starts_with("error: the payload from --data is not valid JSON")
                .and(predicate::str::contains("line 1 column 9")),
        );
    anything.assert_calls(0);
}

#[test]
fn a_payload_over_6_mib_is_exit_2_and_nothing_is_sent() {
    let too_big = json_of_len(LIMIT + 1);
    let server = httpmock::MockServer::start();
    let anything = catch_all(&server);

    let mut cmd = Fgs::new();
    let home = cmd.home();
    let path = write_file(&home.path().join("big.json"), &too_big);
    cmd.args(invoke_args(&server))
        .args(["-d", &format!("@{}", path.display())])
        .run()
        .code(2)
        .stdout("")
        .stderr_matches(
            predicate::str::starts_with("error:")
                .and(predicate::str::contains(path.display().to_string()))
                .and(predicate::str::contains(LIMIT.to_string())),
        );

    Fgs::new()
        .args(invoke_args(&server))
        .stdin(too_big.as_str())
        .run()
        .code(2)
        .stdout("")
        .stderr_matches(
            predicate::str::starts_with("error:")
                .and(predicate::str::contains("stdin"))
                .and(predicate::str::contains(LIMIT.to_string())),
        );
    anything.assert_calls(0);
}

#[test]
fn a_payload_of_exactly_6_mib_is_sent() {
    let at_limit = json_of_len(LIMIT);
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::body(&at_limit), |then| ok(then, "big"));
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let path = write_file(&home.path().join("big.json"), &at_limit);
    cmd.args(invoke_args(&server))
        .args(["-d", &format!("@{}", path.display())])
        .run()
        .code(0)
        .stdout("big\n")
        .stderr_starts_with("ok · HTTP 200");
    mock.assert();
}

#[test]
fn a_missing_payload_file_is_exit_2_naming_it() {
    let server = httpmock::MockServer::start();
    let anything = catch_all(&server);
    let mut cmd = Fgs::new();
    let home = cmd.home();
    let path = home.path().join("no-such-event.json");
    cmd.args(invoke_args(&server))
        .args(["-d", &format!("@{}", path.display())])
        .run()
        .code(2)
        .stdout("")
        .stderr_matches(
            predicate::str::starts_with("error:")
                .and(predicate::str::contains(path.display().to_string())),
        );
    anything.assert_calls(0);
}

#[test]
fn explicit_empty_data_is_not_valid_json() {
    let server = httpmock::MockServer::start();
    let anything = catch_all(&server);
    let mut cmd = Fgs::new();
    cmd.args(invoke_args(&server))
        .args(["-d", ""])
        .run()
        .code(2)
        .stdout("")
        .stderr_matches(
            predicate::str::starts_with("error:").and(predicate::str::contains("--data")),
        );

    let mut cmd = Fgs::new();
    let home = cmd.home();
    let path = write_file(&home.path().join("empty.json"), "");
    cmd.args(invoke_args(&server))
        .args(["-d", &format!("@{}", path.display())])
        .run()
        .code(2)
        .stdout("")
        .stderr_matches(
            predicate::str::starts_with("error:")
                .and(predicate::str::contains(path.display().to_string())),
        );
    anything.assert_calls(0);
}

/// JSON text is UTF-8 (RFC 8259 §8.1), and a `\u` escape of half a surrogate pair names no
/// character: from every source, exit 2 with the line and column, and nothing is sent.
#[test]
fn invalid_utf8_and_lone_surrogates_are_exit_2_from_every_source_and_nothing_is_sent() {
    const BAD_BYTE: &[u8] = b"{\"k\":\n \"\xff\"}";
    const BAD_BYTE_AT: &str = "invalid UTF-8 at line 2 column 3";
    const LONE: &str = "[\"ok\", \"\\ud800\"]";
    const LONE_AT: &str =
        "a lone surrogate in a \\u escape (\\ud800 to \\udfff come in pairs) at line 1 column 15";
    let server = httpmock::MockServer::start();
    let anything = catch_all(&server);
    let check = |cmd: &mut Fgs, origin: &str, at: &str| {
        cmd.run().code(2).stdout("").stderr(format!(
            "error: the payload from {origin} is not valid JSON: {at}\n"
        ));
    };

    let mut cmd = Fgs::new();
    check(
        cmd.args(invoke_args(&server)).args(["-d", LONE]),
        "--data",
        LONE_AT,
    );
    for (bytes, at) in [(BAD_BYTE, BAD_BYTE_AT), (LONE.as_bytes(), LONE_AT)] {
        let mut cmd = Fgs::new();
        let home = cmd.home();
        let path = home.path().join("event.json");
        std::fs::write(&path, bytes).expect("writing the payload");
        check(
            cmd.args(invoke_args(&server))
                .args(["-d", &format!("@{}", path.display())]),
            &format!("file {}", path.display()),
            at,
        );
        let mut cmd = Fgs::new();
        check(
            cmd.args(invoke_args(&server))
                .args(["-d", "@-"])
                .stdin(bytes),
            "stdin",
            at,
        );
        let mut cmd = Fgs::new();
        check(cmd.args(invoke_args(&server)).stdin(bytes), "stdin", at);
    }
    anything.assert_calls(0);
}

/// A pair of surrogate escapes is one character, and text beyond ASCII is UTF-8: both are
/// sent as written.
#[test]
fn surrogate_pairs_and_utf8_text_are_sent_as_written() {
    let written = "{\"smile\": \"\\ud83d\\ude00\", \"text\": \"\u{e9}\u{4e2d}\u{1f600}\"}";
    let server = httpmock::MockServer::start();
    let mock = expect_invocation(&server, &Expect::body(written), |then| ok(then, "done"));
    Fgs::new()
        .args(invoke_args(&server))
        .stdin(written)
        .run()
        .code(0)
        .stdout("done\n");
    mock.assert();
}

/// Bytes that are not UTF-8 in `-d` itself: exit 2 naming the flag, not clap's "invalid
/// UTF-8 was detected in one or more arguments".
// Unix only: a Windows path or argument is UTF-16, where bytes that are not UTF-8 do not arise.
#[cfg(unix)]
#[test]
fn data_that_is_not_utf8_is_exit_2_naming_the_flag() {
    use std::os::unix::ffi::OsStrExt;
    let server = httpmock::MockServer::start();
    let anything = catch_all(&server);
    Fgs::new()
        .args(invoke_args(&server))
        .arg("-d")
        .arg(std::ffi::OsStr::from_bytes(b"{\"k\":\"\xff\"}"))
        .run()
        .code(2)
        .stdout("")
        .stderr("error: the value of --data is not valid UTF-8\n");
    anything.assert_calls(0);
}
