//! Integration tests: the real `fgs` binary against a local mock of `FunctionGraph`.
//!
//! One test binary; the modules live in `tests/cli/`. Every test runs the binary through
//! the `common::Fgs` builder (scrubbed environment, private `HOME` and `XDG_*` dirs) and
//! checks the exit code, stdout, stderr and what the mock server received, separately.
//! Fixtures are in `tests/fixtures/` (see the README there).

/// `--async`: the async path and headers, the request id, the 256 KB limit.
mod async_invoke;
/// `--async --wait` and `fgs status`: polling the records, exit codes, batches, progress.
mod async_wait;
mod auth;
/// `--batch`, `--repeat`, `--retries`: order, exit codes, the summary, Ctrl-C.
mod batch;
/// The HTTP client's own failures: an unusable CA bundle.
mod client;
/// Colour rules, on a pipe and on a pseudo-terminal.
mod color;
/// `config show`, `config path`, `--help`, `--version`, `completions`.
mod commands;
/// The `Fgs` builder and its `Run`, wire expectations, canned answers, fixtures.
mod common;
/// Dynamic completion of functions, versions and aliases from the service, and its cache.
/// Unix only: runs `bash` with the bash completion function; Windows has no bash.
#[cfg(unix)]
mod complete;
/// The script of `fgs completions SHELL` completes what the dynamic completion does.
/// Unix only: sources `completions/fgs.bash` in `bash`; Windows has no bash.
#[cfg(unix)]
mod completion_script;
/// Finding the config file, explicit files, malformed files, profiles.
mod config_file;
/// The README's desk loop (saved event, pull, invoke --local --event) against `fgs serve`.
/// Unix only: the block is POSIX shell.
#[cfg(unix)]
mod desk_loop;
/// One grammar for spans of time (`--timeout 1m`, `FGS_TIMEOUT=90s`, `timeout = "2m"`).
mod durations;
/// Error bodies in every shape, HTML pages, hints.
mod errors;
/// `fgs event`: templates and API Gateway events.
mod event;
/// Every exit code: 0, 1, 2, 3, 4, 5, 6, 7, 130.
mod exit_codes;
/// A raw-socket server that misbehaves on purpose: exit codes, clean stderr, time and memory.
/// Unix only: connection resets through `libc` and peak RSS through `wait4` in a process group.
#[cfg(unix)]
mod faults;
/// Input that could exhaust memory: endless batch lines, files that never end.
/// Unix only: `RLIMIT_AS`, peak RSS through `wait4` and `/dev/zero`.
#[cfg(unix)]
mod input_limits;
/// KooCLI's `~/.hcloud/config.json`: clear AK/SK profiles, their place in the order.
mod koocli;
/// `fgs list`, `fgs info`, the URN in `config show`, the 404 hint.
mod list;
/// `fgs invoke --local`: every runtime, function errors, checks, no orphans.
mod local;
/// Go functions run locally and through `fgs serve`: built against the runtime's stand-in.
mod local_go;
/// Java functions in local mode: the launcher, events, results, errors, limits, `serve`.
mod local_java;
/// `fgs invoke --local` and `fgs serve` of PHP functions: context, logger, errors, limits.
mod local_php;
/// `fgs login --help` shows what login uses; `fgs info`'s invoke line against `fgs serve`.
mod login_info;
/// `fgs logs`: LTS binding, window, paging, --follow, -o json, escaping, LTS off.
mod logs;
/// `--auth metadata`: a loopback stand-in for the ECS metadata service, refresh, failures.
mod metadata;
/// What a new user trips over.
mod newcomer;
/// pretty, raw and json output, the log, the summary, `-q`, a closed pipe.
mod output;
/// Each payload source and the checks before sending.
mod payload;
/// What differs by system outside local mode: config and cache paths, token_command's shell.
mod platform;
/// Progress off a terminal: the total in plain lines, a forced bar, one rate with the summary.
mod progress;
/// `fgs pull`: zip and JSON exports, checks, escaping archives, OBS links, against fgs serve.
mod pull;
/// What real functions tripped over: `RUNTIME_*` names, HTTP functions, the whole local log.
mod real_functions;
/// The request on the wire, `--no-log`, `--memory`, `-v`, `--dry-run`.
mod request;
/// Issue 17's rough edges: scripts, missing settings, json failures, the terminal, man pages.
mod rough_edges;
/// Saved test events: `fgs event list|get|save|delete FUNCTION`, `invoke --event`.
mod saved_events;
/// `invoke --local --event`, `fgs serve`'s events driven by `fgs event`, event completion.
mod saved_events_local;
/// The token never appears in any output.
mod sentinel;
/// `fgs serve`: the API on loopback, errors, records, signatures, a clean stop.
mod serve;
/// Precedence of every setting: flag > env > profile > file > URN > default.
mod settings;
/// The end-of-run summary's figures.
mod summary;
mod tls;
/// Full URNs, short forms, qualifiers, aliases, validation.
mod urn;
