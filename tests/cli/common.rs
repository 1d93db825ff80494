//! Shared by every test: the [`Fgs`] builder that runs the binary in a scrubbed
//! environment and a private home, what the API expects on the wire, canned answers,
//! fixtures and a few small servers httpmock cannot play.

use std::ffi::OsStr;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::Arc;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use httpmock::{Method::POST, Mock, MockServer, Then, When};
use tempfile::TempDir;

/// A real-looking project id: 32 letters and digits.
pub const PROJECT: &str = "0123456789abcdef0123456789abcdef";
pub const REGION: &str = "cn-north-4";
/// The URN most tests invoke; a full URN needs nothing but a token.
pub const URN: &str =
    "urn:fss:cn-north-4:0123456789abcdef0123456789abcdef:function:default:hello:latest";
/// Long enough (>= 24 characters) that the mask shows a prefix and the length.
pub const TOKEN: &str = "MIIEtest-token-0123456789abcdef";
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Variables removed one by one; `FGS_*`, `CLICOLOR*` and `HUAWEICLOUD_SDK_*` go by prefix.
const SCRUBBED: &[&str] = &[
    "NO_COLOR",
    "CLICOLOR",
    "CLICOLOR_FORCE",
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "ALL_PROXY",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
    // clap wraps help to $COLUMNS; keep help text independent of the caller's terminal.
    "COLUMNS",
    "LINES",
];
const SCRUBBED_PREFIXES: &[&str] = &["FGS_", "CLICOLOR", "HUAWEICLOUD_SDK_"];

/// The binary as a `std::process::Command` with the environment scrubbed and `HOME`,
/// `XDG_CONFIG_HOME` and `XDG_CACHE_HOME` in a fresh temp dir (also the working directory);
/// on Windows `USERPROFILE`, `APPDATA` and `LOCALAPPDATA` there too.
/// For tests that must spawn and signal the process; everything else uses [`fgs`].
pub fn fgs_process() -> (std::process::Command, TempDir) {
    scrubbed(Path::new(BIN))
}

/// The fgs binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_fgs");

/// Any program (`sh`, `script`) run with the same scrubbed environment and private home.
pub fn scrubbed(program: &Path) -> (std::process::Command, TempDir) {
    let home = tempfile::tempdir().expect("creating a temp dir");
    let mut cmd = std::process::Command::new(program);
    for (name, _) in std::env::vars() {
        if SCRUBBED_PREFIXES.iter().any(|p| name.starts_with(p)) {
            cmd.env_remove(&name);
        }
    }
    for name in SCRUBBED {
        cmd.env_remove(name);
    }
    cmd.env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("xdg-config"))
        .env("XDG_CACHE_HOME", home.path().join("xdg-cache"))
        .current_dir(home.path());
    if cfg!(windows) {
        // Windows's places for the same files, at the same paths, so that every test finds
        // the config file and the caches where it looks on Unix.
        cmd.env("USERPROFILE", home.path())
            .env("APPDATA", home.path().join("xdg-config"))
            .env("LOCALAPPDATA", home.path().join("xdg-cache"));
    }
    (cmd, home)
}

/// One run of the binary (or of a shell or `script(1)` that runs it), in the spirit of just's
/// `Test`: a scrubbed environment, a private `HOME` (also the working directory) with
/// `XDG_CONFIG_HOME` and `XDG_CACHE_HOME` inside it, and a 30 s timeout; then whatever the
/// test adds. [`Fgs::run`] runs it to completion and returns a [`Run`] to check.
///
/// ```ignore
/// Fgs::new()
///     .args(invoke_args(&server))
///     .args(["-d", "{}"])
///     .run()
///     .code(0)
///     .stdout("done\n")
///     .stderr_starts_with("ok · HTTP 200");
/// ```
///
/// The home lives as long as the builder or any [`Home`] taken from it, so a test can write
/// files into it before the run and read them after.
pub struct Fgs {
    cmd: Command,
    home: Home,
    /// The program and its arguments, for failure messages.
    line: Vec<String>,
}

/// The private home of an [`Fgs`]: a temporary directory, removed when the last handle goes.
#[derive(Clone)]
pub struct Home(Arc<TempDir>);

impl std::ops::Deref for Home {
    type Target = TempDir;
    fn deref(&self) -> &TempDir {
        &self.0
    }
}

impl AsRef<Path> for Home {
    fn as_ref(&self) -> &Path {
        self.0.path()
    }
}

impl Default for Fgs {
    fn default() -> Self {
        Fgs::new()
    }
}

impl Fgs {
    /// The fgs binary in a fresh home.
    pub fn new() -> Fgs {
        let (cmd, home) = fgs();
        Fgs::with(cmd, "fgs", home)
    }

    /// Another program (`sh`, `bash`, `script`) in a fresh home, with the same environment.
    #[cfg_attr(not(unix), allow(dead_code))] // its users are Unix-only tests
    pub fn program(program: &str) -> Fgs {
        let (cmd, home) = wrapper(program);
        Fgs::with(cmd, program, home)
    }

    fn with(cmd: Command, name: &str, home: TempDir) -> Fgs {
        Fgs {
            cmd,
            home: Home(Arc::new(home)),
            line: vec![name.to_string()],
        }
    }

    /// The private home, to write files into before the run or read them after.
    pub fn home(&self) -> Home {
        self.home.clone()
    }

    pub fn arg(&mut self, arg: impl AsRef<OsStr>) -> &mut Self {
        self.line.push(arg.as_ref().to_string_lossy().into_owned());
        self.cmd.arg(arg);
        self
    }

    pub fn args<I, S>(&mut self, args: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        for arg in args {
            self.arg(arg);
        }
        self
    }

    pub fn env(&mut self, name: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> &mut Self {
        self.cmd.env(name, value);
        self
    }

    // Its one user so far is a Unix-only test (a variable that is not UTF-8).
    #[cfg_attr(not(unix), allow(dead_code))]
    pub fn envs<I, K, V>(&mut self, vars: I) -> &mut Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<OsStr>,
        V: AsRef<OsStr>,
    {
        self.cmd.envs(vars);
        self
    }

    /// The home directory `home`, a home another `Fgs` made: `HOME`, and `USERPROFILE` on
    /// Windows.
    pub fn home_of(&mut self, home: &Path) -> &mut Self {
        if cfg!(windows) {
            self.env("USERPROFILE", home);
        }
        self.env("HOME", home)
    }

    /// Read the config file of `home`, a home another `Fgs` made: `XDG_CONFIG_HOME`, and
    /// `APPDATA` on Windows.
    pub fn config_of(&mut self, home: &Path) -> &mut Self {
        let dir = home.join("xdg-config");
        if cfg!(windows) {
            self.env("APPDATA", &dir);
        }
        self.env("XDG_CONFIG_HOME", dir)
    }

    /// Use the caches (the login token's among them) of `home`, a home another `Fgs` made:
    /// `XDG_CACHE_HOME`, and `LOCALAPPDATA` on Windows.
    pub fn cache_of(&mut self, home: &Path) -> &mut Self {
        let dir = home.join("xdg-cache");
        if cfg!(windows) {
            self.env("LOCALAPPDATA", &dir);
        }
        self.env("XDG_CACHE_HOME", dir)
    }

    #[cfg_attr(not(unix), allow(dead_code))] // its users are Unix-only tests
    pub fn env_remove(&mut self, name: impl AsRef<OsStr>) -> &mut Self {
        self.cmd.env_remove(name);
        self
    }

    #[cfg_attr(not(unix), allow(dead_code))] // its users are Unix-only tests
    pub fn current_dir(&mut self, dir: impl AsRef<Path>) -> &mut Self {
        self.cmd.current_dir(dir);
        self
    }

    /// Bytes for stdin (else stdin is empty).
    pub fn stdin(&mut self, bytes: impl Into<Vec<u8>>) -> &mut Self {
        self.cmd.write_stdin(bytes);
        self
    }

    /// Kill the process after `limit` instead of 30 s; a run killed so fails the test.
    #[cfg_attr(not(unix), allow(dead_code))] // its users are Unix-only tests
    pub fn timeout(&mut self, limit: Duration) -> &mut Self {
        self.cmd.timeout(limit);
        self
    }

    /// Run to completion and return the raw output, for checks on the exact bytes.
    pub fn output(&mut self) -> Output {
        self.cmd
            .output()
            .unwrap_or_else(|e| panic!("running `{}`: {e}", self.line.join(" ")))
    }

    /// Run to completion and capture what it printed.
    pub fn run(&mut self) -> Run {
        Run::from(self.output())
    }
}

/// The binary with a scrubbed environment and a private home; keep the `TempDir` alive
/// until the command has run. New tests use [`Fgs`].
pub fn fgs() -> (Command, TempDir) {
    let (cmd, home) = fgs_process();
    let mut cmd = Command::from_std(cmd);
    cmd.timeout(Duration::from_secs(30));
    (cmd, home)
}

/// Another program (`sh`, `script`) that runs fgs, with the same scrubbed environment.
#[cfg_attr(not(unix), allow(dead_code))] // its users are Unix-only tests
pub fn wrapper(program: &str) -> (Command, TempDir) {
    let (cmd, home) = scrubbed(Path::new(program));
    let mut cmd = Command::from_std(cmd);
    cmd.timeout(Duration::from_secs(30));
    (cmd, home)
}

/// Unix only: `script(1)` makes the pseudo-terminal; Windows has no `script`.
#[cfg(unix)]
/// What fgs did with stderr on a terminal and stdout in a file.
pub struct OnTerminal {
    pub code: Option<i32>,
    /// What the terminal showed: stderr, with its escape codes and carriage returns.
    pub terminal: String,
    pub stdout: String,
}

/// Unix only: `script(1)` makes the pseudo-terminal; Windows has no `script`.
#[cfg(unix)]
/// Run fgs under `script(1)`, so that stderr is a terminal, with stdout sent to a file.
/// `args` gets the private home (to write input files in) and returns the arguments.
pub fn stderr_on_a_terminal(args: impl FnOnce(&TempDir) -> Vec<String>) -> OnTerminal {
    under_script(args, &[], ">stdout.txt")
}

/// Unix only: `script(1)` makes the pseudo-terminal; Windows has no `script`.
#[cfg(unix)]
/// [`stderr_on_a_terminal`] with `env` set for fgs.
pub fn stderr_on_a_terminal_with(
    env: &[(&str, &str)],
    args: impl FnOnce(&TempDir) -> Vec<String>,
) -> OnTerminal {
    under_script(args, env, ">stdout.txt")
}

/// Unix only: `script(1)` makes the pseudo-terminal; Windows has no `script`.
#[cfg(unix)]
/// Run fgs under `script(1)`, so that stdin and stdout are a terminal, with stderr sent to a
/// file; `stdout` of the answer holds that file's text.
pub fn stdout_on_a_terminal(args: &[String], env: &[(&str, &str)]) -> OnTerminal {
    let args = args.to_vec();
    under_script(|_| args, env, "2>stderr.txt")
}

/// Unix only: `script(1)` makes the pseudo-terminal; Windows has no `script`.
#[cfg(unix)]
/// `script -qec 'fgs ARGS REDIRECT' /dev/null`: the stream that `redirect` does not send to a
/// file is the pseudo-terminal. The file's text is returned as `stdout`.
fn under_script(
    args: impl FnOnce(&TempDir) -> Vec<String>,
    env: &[(&str, &str)],
    redirect: &str,
) -> OnTerminal {
    let (mut cmd, home) = wrapper("script");
    for (name, value) in env {
        cmd.env(name, value);
    }
    let line = std::iter::once(BIN.to_string())
        .chain(args(&home))
        .map(|a| format!("'{}'", a.replace('\'', r"'\''")))
        .collect::<Vec<_>>()
        .join(" ");
    let out = run(cmd.args(["-q", "-e", "-c", &format!("{line} {redirect}"), "/dev/null"]));
    let file = redirect.trim_start_matches(['2', '>']);
    let stdout = std::fs::read_to_string(home.path().join(file)).unwrap_or_else(|e| {
        panic!(
            "script(1) did not run fgs ({e}); stdout {:?}, stderr {:?}",
            out.stdout, out.stderr
        )
    });
    OnTerminal {
        code: out.code,
        terminal: out.stdout,
        stdout,
    }
}

/// For tests that run Python: true, after saying why, on Windows when no Python is on PATH
/// (Wine has none: `python.exe`, `python3.exe` or the `py` launcher); elsewhere a missing
/// Python fails the test as it always did.
/// True, after saying why, when one of `programs` (`java`, `javac`; `.exe` added on
/// Windows) is not on PATH or one of `files` is missing: a test of a runtime whose toolchain
/// this machine lacks is skipped, so that a user without it can still run the suite. CI sets
/// `FGS_TEST_EVERY_RUNTIME=1` (after `scripts/runtimes-setup.sh`), and then a missing
/// toolchain fails the test instead: there every test must run.
#[allow(clippy::print_stderr)] // says why the test is skipped
pub fn lacks_toolchain(what: &str, programs: &[&str], files: &[&str]) -> bool {
    let on_path = |name: &str| {
        let name = if cfg!(windows) {
            format!("{name}.exe")
        } else {
            name.to_string()
        };
        std::env::var_os("PATH")
            .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(&name).is_file()))
    };
    let missing: Vec<&str> = programs
        .iter()
        .copied()
        .filter(|p| !on_path(p))
        .chain(files.iter().copied().filter(|f| !Path::new(f).is_file()))
        .collect();
    if missing.is_empty() {
        return false;
    }
    let why = format!("no {what} here ({} missing)", missing.join(", "));
    let required =
        std::env::var_os("FGS_TEST_EVERY_RUNTIME").is_some_and(|v| !v.is_empty()) && !cfg!(windows);
    assert!(
        !required,
        "{why}: FGS_TEST_EVERY_RUNTIME is set, so every runtime's tests must run (scripts/runtimes-setup.sh installs them)"
    );
    eprintln!("skipped: {why}");
    true
}

#[allow(clippy::print_stderr)] // says why the test is skipped
pub fn no_python_here() -> bool {
    if !cfg!(windows) {
        return false;
    }
    let found = std::env::var_os("PATH").is_some_and(|path| {
        std::env::split_paths(&path).any(|dir| {
            ["python.exe", "python3.exe", "py.exe"]
                .iter()
                .any(|name| dir.join(name).is_file())
        })
    });
    if !found {
        eprintln!("skipped: no Python on this Windows machine");
    }
    !found
}

/// `$XDG_CONFIG_HOME/fgs/config.toml` of a home made by [`fgs`] (`%APPDATA%\fgs\config.toml`
/// on Windows: the same path).
pub fn xdg_config(home: &TempDir) -> PathBuf {
    home.path()
        .join("xdg-config")
        .join("fgs")
        .join("config.toml")
}

/// Write the default config file of `home` and return its path.
pub fn write_config(home: &TempDir, text: &str) -> PathBuf {
    write_file(&xdg_config(home), text)
}

/// Write a file private to its owner (0600 on Unix), as a careful user keeps a file that may
/// hold a secret; the tests of the permission warning loosen it on purpose.
pub fn write_file(path: &Path, text: &str) -> PathBuf {
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("creating a directory");
    std::fs::write(path, text).expect("writing a file");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
            .expect("making a file private");
    }
    path.to_path_buf()
}

/// A file from `tests/fixtures/` (see the README there for where each came from).
pub fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// The invocation path for a URN: ':' raw, '!' sent as %21.
pub fn invocation_path(project: &str, urn: &str) -> String {
    format!(
        "/v2/{project}/fgs/functions/{}/invocations",
        urn.replace('!', "%21")
    )
}

/// What the API expects of one synchronous invocation.
#[derive(Debug, Clone)]
pub struct Expect {
    pub project: String,
    pub urn: String,
    pub token: String,
    pub body: String,
    pub log: bool,
    pub memory: Option<String>,
}

impl Default for Expect {
    fn default() -> Self {
        Expect {
            project: PROJECT.into(),
            urn: URN.into(),
            token: TOKEN.into(),
            body: "{}".into(),
            log: true,
            memory: None,
        }
    }
}

impl Expect {
    pub fn body(body: &str) -> Expect {
        Expect {
            body: body.into(),
            ..Expect::default()
        }
    }

    pub fn urn(urn: &str) -> Expect {
        Expect {
            urn: urn.into(),
            ..Expect::default()
        }
    }

    /// Method, path, each header (and no other `X-` header), and the exact body bytes.
    pub fn on(&self, when: When) -> When {
        let mut x_headers = 2; // X-Auth-Token, X-CFF-Request-Version
        let mut when = when
            .method(POST)
            .path(invocation_path(&self.project, &self.urn))
            .header("Content-Type", "application/json")
            .header("X-Auth-Token", self.token.as_str())
            .header("X-CFF-Request-Version", "v1")
            .header("User-Agent", format!("fgs/{VERSION}"))
            .header_count("^content-type$", ".*", 1)
            .header_count("^x-auth-token$", ".*", 1)
            .body(self.body.as_str());
        when = if self.log {
            x_headers += 1;
            when.header("X-Cff-Log-Type", "tail")
        } else {
            when.header_missing("X-Cff-Log-Type")
        };
        when = match &self.memory {
            Some(mb) => {
                x_headers += 1;
                when.header("X-Cff-Instance-Memory", mb.as_str())
            }
            None => when.header_missing("X-Cff-Instance-Memory"),
        };
        when.header_count("^x-", ".*", x_headers)
    }
}

/// A 200 with the v1 envelope around `result` and the usual headers.
pub fn ok(then: Then, result: &str) -> Then {
    let body = format!(
        "{{\"request_id\":\"req-1\",\"result\":{},\"log\":\"\",\"status\":200}}",
        json_string(result)
    );
    then.status(200)
        .header("Content-Type", "application/json")
        .header("X-Cff-Request-Id", "req-1")
        .header("X-Func-Err-Code", "0")
        .header("X-Is-Func-Err", "false")
        .body(body)
}

/// A JSON string literal (enough escaping for the test data used here).
pub fn json_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The mock for one expected invocation answered by `respond`.
pub fn expect_invocation<'a>(
    server: &'a MockServer,
    expect: &Expect,
    respond: impl FnOnce(Then) -> Then,
) -> Mock<'a> {
    server.mock(|when, then| {
        expect.on(when);
        respond(then);
    })
}

/// A mock that matches anything: for "nothing was sent", assert it got 0 hits.
pub fn catch_all(server: &MockServer) -> Mock<'_> {
    server.mock(|_when, then| {
        then.status(599)
            .body("catch-all: this request was not expected");
    })
}

/// `invoke URN --token TOKEN --endpoint SERVER`, the common start of a command line.
pub fn invoke_args(server: &MockServer) -> Vec<String> {
    vec![
        "invoke".into(),
        URN.into(),
        "--token".into(),
        TOKEN.into(),
        "--endpoint".into(),
        server.base_url(),
    ]
}

/// What a finished command printed, as text. The checks below fail showing the exit
/// status, stdout and stderr; the fields are there for checks they do not cover.
pub struct Run {
    /// The exit status as a shell sees it: the exit code, or 128 + the signal that ended it.
    pub code: Option<i32>,
    /// The signal that ended the process, if one did.
    #[cfg_attr(not(unix), allow(dead_code))] // its users are Unix-only tests
    pub signal: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    #[track_caller]
    fn fail(&self, what: &str) -> ! {
        panic!(
            "{what}\n\
             exit status: {}\n\
             --- stdout ---\n{}\n\
             --- stderr ---\n{}\n\
             --- end ---",
            self.code.map_or("none".to_string(), |c| c.to_string()),
            self.stdout,
            self.stderr
        )
    }

    #[track_caller]
    fn check(&self, ok: bool, what: impl FnOnce() -> String) -> &Self {
        if !ok {
            self.fail(&what());
        }
        self
    }

    /// The exit status is `code` (128 + N for a process ended by signal N).
    #[track_caller]
    pub fn code(&self, code: i32) -> &Self {
        self.check(self.code == Some(code), || {
            format!("expected exit status {code}")
        })
    }

    /// stdout is exactly `expected`.
    #[track_caller]
    pub fn stdout(&self, expected: impl AsRef<str>) -> &Self {
        let expected = expected.as_ref();
        self.check(self.stdout == expected, || {
            format!("expected stdout {expected:?}, got {:?}", self.stdout)
        })
    }

    /// stderr is exactly `expected`.
    #[track_caller]
    pub fn stderr(&self, expected: impl AsRef<str>) -> &Self {
        let expected = expected.as_ref();
        self.check(self.stderr == expected, || {
            format!("expected stderr {expected:?}, got {:?}", self.stderr)
        })
    }

    #[track_caller]
    pub fn stdout_starts_with(&self, prefix: impl AsRef<str>) -> &Self {
        let prefix = prefix.as_ref();
        self.check(self.stdout.starts_with(prefix), || {
            format!("expected stdout to start with {prefix:?}")
        })
    }

    #[track_caller]
    pub fn stderr_starts_with(&self, prefix: impl AsRef<str>) -> &Self {
        let prefix = prefix.as_ref();
        self.check(self.stderr.starts_with(prefix), || {
            format!("expected stderr to start with {prefix:?}")
        })
    }

    #[track_caller]
    pub fn stdout_ends_with(&self, suffix: impl AsRef<str>) -> &Self {
        let suffix = suffix.as_ref();
        self.check(self.stdout.ends_with(suffix), || {
            format!("expected stdout to end with {suffix:?}")
        })
    }

    #[track_caller]
    pub fn stderr_ends_with(&self, suffix: impl AsRef<str>) -> &Self {
        let suffix = suffix.as_ref();
        self.check(self.stderr.ends_with(suffix), || {
            format!("expected stderr to end with {suffix:?}")
        })
    }

    #[track_caller]
    pub fn stdout_contains(&self, part: impl AsRef<str>) -> &Self {
        let part = part.as_ref();
        self.check(self.stdout.contains(part), || {
            format!("expected stdout to contain {part:?}")
        })
    }

    #[track_caller]
    pub fn stderr_contains(&self, part: impl AsRef<str>) -> &Self {
        let part = part.as_ref();
        self.check(self.stderr.contains(part), || {
            format!("expected stderr to contain {part:?}")
        })
    }

    #[track_caller]
    pub fn stdout_lacks(&self, part: impl AsRef<str>) -> &Self {
        let part = part.as_ref();
        self.check(!self.stdout.contains(part), || {
            format!("expected stdout not to contain {part:?}")
        })
    }

    #[track_caller]
    pub fn stderr_lacks(&self, part: impl AsRef<str>) -> &Self {
        let part = part.as_ref();
        self.check(!self.stderr.contains(part), || {
            format!("expected stderr not to contain {part:?}")
        })
    }

    /// stdout satisfies `predicate` (for `.and(..)`, `.not()`, regexes and the like).
    #[track_caller]
    pub fn stdout_matches(&self, predicate: impl predicates::Predicate<str>) -> &Self {
        self.check(predicate.eval(&self.stdout), move || {
            format!("stdout does not match {predicate}")
        })
    }

    /// stderr satisfies `predicate` (for `.and(..)`, `.not()`, regexes and the like).
    #[track_caller]
    pub fn stderr_matches(&self, predicate: impl predicates::Predicate<str>) -> &Self {
        self.check(predicate.eval(&self.stderr), move || {
            format!("stderr does not match {predicate}")
        })
    }
}

/// The signal that ended a process, where processes end by signals (Unix).
pub fn signal_of(status: std::process::ExitStatus) -> Option<i32> {
    #[cfg(unix)]
    {
        std::os::unix::process::ExitStatusExt::signal(&status)
    }
    #[cfg(not(unix))]
    {
        let _ = status;
        None
    }
}

impl From<Output> for Run {
    fn from(output: Output) -> Run {
        let signal = signal_of(output.status);
        Run {
            code: output.status.code().or(signal.map(|s| 128 + s)),
            signal,
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

#[cfg_attr(not(unix), allow(dead_code))] // its users are Unix-only tests
pub fn run(cmd: &mut Command) -> Run {
    Run::from(cmd.output().expect("running fgs"))
}

pub const ESC: char = '\u{1b}';

/// An address where nothing listens: bind a port, then let it go.
pub fn refused_endpoint() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("binding a port");
    let port = listener.local_addr().expect("an address").port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

/// A one-connection server for answers httpmock cannot give: it reads the request head,
/// writes `answer`, then keeps the connection open for `hold` before closing it.
pub fn raw_server(answer: &'static [u8], hold: Duration) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("binding a port");
    let address = listener.local_addr().expect("an address");
    std::thread::spawn(move || {
        let Ok((mut stream, _)) = listener.accept() else {
            return;
        };
        read_head(&mut stream);
        let _ = stream.write_all(answer);
        let _ = stream.flush();
        std::thread::sleep(hold);
    });
    format!("http://{address}")
}

fn read_head(stream: &mut TcpStream) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut seen = Vec::new();
    let mut byte = [0u8; 1];
    while !seen.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => seen.push(byte[0]),
            _ => return,
        }
    }
}

/// Wait until `mock` has been hit once, or panic after `limit`.
#[cfg_attr(not(unix), allow(dead_code))] // its users are Unix-only tests
pub fn wait_for_hit(mock: &Mock, limit: Duration) {
    let start = Instant::now();
    while mock.calls() == 0 {
        assert!(
            start.elapsed() < limit,
            "the request never reached the mock server"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A request as [`sequence_server`] received it (header names in lower case).
#[derive(Debug, Clone)]
pub struct Received {
    /// Which connection it came on: 0 for the first one accepted, and so on.
    pub connection: usize,
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// The requests a [`sequence_server`] has received so far, in order of arrival.
pub type Log = std::sync::Arc<std::sync::Mutex<Vec<Received>>>;

/// A server that answers the requests it receives, on however many connections (kept alive
/// or not), with `answers` in turn, then with a 599; it records every request. Each answer
/// is a whole HTTP/1.1 response and must carry a `Content-Length` ([`http_response`]).
pub fn sequence_server(answers: Vec<String>) -> (String, Log) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("binding a port");
    let address = listener.local_addr().expect("an address");
    (
        format!("http://{address}"),
        serve_sequence(listener, answers),
    )
}

/// [`sequence_server`] on a listener the caller has bound.
pub fn serve_sequence(listener: TcpListener, answers: Vec<String>) -> Log {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};

    let log: Log = Arc::new(Mutex::new(Vec::new()));
    let answers = Arc::new(answers);
    let next = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&log);
    std::thread::spawn(move || {
        for (connection, stream) in listener.incoming().enumerate() {
            let Ok(stream) = stream else { return };
            let (answers, next, seen) =
                (Arc::clone(&answers), Arc::clone(&next), Arc::clone(&seen));
            std::thread::spawn(move || {
                let mut reader = std::io::BufReader::new(stream);
                while let Some(request) = read_request(&mut reader, connection) {
                    seen.lock().expect("the log").push(request);
                    let answer = answers
                        .get(next.fetch_add(1, Ordering::SeqCst))
                        .cloned()
                        .unwrap_or_else(|| http_response("599 Unexpected", &[], ""));
                    let stream = reader.get_mut();
                    if stream.write_all(answer.as_bytes()).is_err() || stream.flush().is_err() {
                        return;
                    }
                }
            });
        }
    });
    log
}

/// One request (head and a `Content-Length` body), or `None` at the end of the connection.
pub fn read_request(
    reader: &mut std::io::BufReader<TcpStream>,
    connection: usize,
) -> Option<Received> {
    use std::io::BufRead;
    let _ = reader
        .get_ref()
        .set_read_timeout(Some(Duration::from_secs(10)));
    let mut line = String::new();
    if reader.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let path = parts.next()?.to_string();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':')?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
    }
    let length = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(Received {
        connection,
        method,
        path,
        headers,
        body,
    })
}

/// A whole HTTP/1.1 response with a `Content-Length`, for [`sequence_server`].
pub fn http_response(status: &str, headers: &[(&str, &str)], body: &str) -> String {
    let mut text = format!("HTTP/1.1 {status}\r\n");
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    text
}

/// Held by every test that runs an HTTP function: they all listen on port 8000, the
/// service's fixed port, so they take turns.
pub static PORT_8000: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Take [`PORT_8000`], whether or not an earlier holder panicked.
pub fn port_8000() -> std::sync::MutexGuard<'static, ()> {
    PORT_8000
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A function's log as fgs shows it on stderr without colour: each line after `│ `.
pub fn set_apart(log: &str) -> String {
    log.split_inclusive('\n')
        .map(|line| {
            if line == "\n" {
                "│\n".to_string()
            } else {
                format!("│ {line}")
            }
        })
        .collect()
}

/// Fail if any of `sentinels` shows on any stdout or stderr of `outputs`.
pub fn assert_no_sentinel(outputs: &[(String, Run)], sentinels: &[&str]) {
    for (name, r) in outputs {
        for s in sentinels {
            assert!(
                !r.stdout.contains(s),
                "{name}: stdout shows {s}:\n{}",
                r.stdout
            );
            assert!(
                !r.stderr.contains(s),
                "{name}: stderr shows {s}:\n{}",
                r.stderr
            );
        }
    }
}

/// A child process stopped (by its own id) and reaped when the test ends, however it ends.
pub struct Stopped(pub std::process::Child);

impl Drop for Stopped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
