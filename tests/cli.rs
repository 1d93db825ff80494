//! Integration tests: the real `fgs` binary against a local mock of FunctionGraph.
//!
//! One test binary; the modules live in `tests/cli/`. Every test runs the binary through
//! `common::fgs()` (scrubbed environment, private `HOME` and `XDG_*` dirs) and asserts
//! stdout, stderr, the exit code and what the mock server received, separately.
//! Fixtures are in `tests/fixtures/` (see the README there).

/// `--async`: the async path and headers, the request id, the 256 KB limit.
#[path = "cli/async_invoke.rs"]
mod async_invoke;
#[path = "cli/auth.rs"]
mod auth;
/// `--batch`, `--repeat`, `--retries`: order, exit codes, the summary, Ctrl-C.
#[path = "cli/batch.rs"]
mod batch;
/// Colour rules, on a pipe and on a pseudo-terminal.
#[path = "cli/color.rs"]
mod color;
/// `config show`, `config path`, `--help`, `--version`, `completions`.
#[path = "cli/commands.rs"]
mod commands;
/// The `fgs()` helper, wire expectations, canned answers, fixtures.
#[path = "cli/common.rs"]
mod common;
/// Finding the config file, explicit files, malformed files, profiles.
#[path = "cli/config_file.rs"]
mod config_file;
/// Error bodies in every shape, HTML pages, hints.
#[path = "cli/errors.rs"]
mod errors;
/// Every exit code: 0, 1, 2, 3, 4, 5, 6, 7, 130.
#[path = "cli/exit_codes.rs"]
mod exit_codes;
/// pretty, raw and json output, the log, the summary, `-q`, a closed pipe.
#[path = "cli/output.rs"]
mod output;
/// Each payload source and the checks before sending.
#[path = "cli/payload.rs"]
mod payload;
/// The request on the wire, `--no-log`, `--memory`, `-v`, `--dry-run`.
#[path = "cli/request.rs"]
mod request;
/// The token never appears in any output.
#[path = "cli/sentinel.rs"]
mod sentinel;
/// Precedence of every setting: flag > env > profile > file > URN > default.
#[path = "cli/settings.rs"]
mod settings;
#[path = "cli/tls.rs"]
mod tls;
/// Full URNs, short forms, qualifiers, aliases, validation.
#[path = "cli/urn.rs"]
mod urn;
