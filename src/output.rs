//! The only module that writes to stdout and stderr.
//!
//! stdout carries the function's result and nothing else; everything else goes to stderr.
//! Colour is decided separately for each stream. A closed stdout pipe is not an error.

use std::ffi::OsString;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use colored::Colorize;

use crate::api::{Request, Response};
use crate::cli::ColorChoice;
use crate::error::Failure;
use crate::sanitize;

/// Response headers whose values are secrets, masked in `-v`.
const SECRET_HEADERS: &[&str] = &[
    "x-subject-token",
    "x-auth-token",
    "authorization",
    "x-security-token",
];

/// Whether to colour one stream: `--color` wins, then a non-empty `NO_COLOR` turns colour
/// off, then `CLICOLOR_FORCE` (set and not `0`) turns it on, then `TERM=dumb` turns it off,
/// else colour on a terminal.
pub fn use_color(
    choice: ColorChoice,
    no_color: Option<&OsString>,
    clicolor_force: Option<&OsString>,
    is_terminal: bool,
) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if no_color.is_some_and(|v| !v.is_empty()) => false,
        ColorChoice::Auto if clicolor_force.is_some_and(|v| !v.is_empty() && v != "0") => true,
        // A terminal that says it cannot show colour.
        ColorChoice::Auto if std::env::var_os("TERM").is_some_and(|t| t == "dumb") => false,
        ColorChoice::Auto => is_terminal,
    }
}

/// Both streams, with their colour decided.
#[derive(Clone)]
pub struct Output {
    pub stdout_color: bool,
    pub stderr_color: bool,
    pub stdout_is_terminal: bool,
    pub stderr_is_terminal: bool,
    /// `-q`: nothing on stderr but errors.
    pub quiet: bool,
    /// `-v`: the requests and answers on stderr.
    pub verbose: bool,
}

impl Output {
    pub fn new(choice: ColorChoice, quiet: bool, verbose: bool) -> Output {
        let no_color = std::env::var_os("NO_COLOR");
        let force = std::env::var_os("CLICOLOR_FORCE");
        let stdout_is_terminal = io::stdout().is_terminal();
        let stderr_is_terminal = io::stderr().is_terminal();
        // A terminal that cannot show colour (an old Windows console) is none for colour.
        let shows_color = |terminal: bool, stream| terminal && crate::sys::ansi_colors(stream);
        // `colored` keeps one global switch; force it on and decide per stream here.
        colored::control::set_override(true);
        Output {
            stdout_color: use_color(
                choice,
                no_color.as_ref(),
                force.as_ref(),
                shows_color(stdout_is_terminal, crate::sys::Stream::Stdout),
            ),
            stderr_color: use_color(
                choice,
                no_color.as_ref(),
                force.as_ref(),
                shows_color(stderr_is_terminal, crate::sys::Stream::Stderr),
            ),
            stdout_is_terminal,
            stderr_is_terminal,
            quiet,
            verbose,
        }
    }

    /// The columns of stdout's terminal, for tables: `COLUMNS` when it is a number (as
    /// shells set it, and tests), else the terminal's width, else 80.
    #[allow(clippy::unused_self)] // what stdout is belongs to Output, even where it needs no state
    pub fn width(&self) -> usize {
        std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.trim().parse::<usize>().ok())
            .filter(|c| *c > 0)
            .or_else(|| {
                terminal_size::terminal_size_of(io::stdout()).map(|(w, _)| usize::from(w.0))
            })
            .unwrap_or(80)
    }

    /// Write bytes to stdout. A closed pipe (`| head`) is success; other errors are returned.
    #[allow(clippy::unused_self)] // every write goes through Output, even where it needs no state
    pub fn stdout(&self, bytes: &[u8]) -> io::Result<()> {
        if !bytes.is_empty() {
            STDOUT_WRITTEN.store(true, Ordering::Relaxed);
        }
        let mut out = io::stdout().lock();
        match out.write_all(bytes).and_then(|()| out.flush()) {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
            other => other,
        }
    }

    /// A line on stderr, whatever `-q` says (errors).
    #[allow(clippy::unused_self)] // every write goes through Output, even where it needs no state
    fn stderr_always(&self, text: &str) {
        let mut err = io::stderr().lock();
        let _ = err.write_all(text.as_bytes());
        let _ = err.flush();
    }

    /// A line on stderr unless `-q`.
    pub fn info(&self, text: &str) {
        if !self.quiet {
            self.stderr_always(text);
        }
    }

    pub fn warn(&self, message: &str) {
        let label = self.paint_err("warning:", |s| s.yellow().bold());
        self.info(&format!("{label} {message}\n"));
    }

    /// The function's log, dimmed on a terminal. On a terminal every control character but
    /// the line breaks is shown escaped; in a pipe the log keeps its exact bytes.
    pub fn log(&self, log: &str) {
        if log.is_empty() {
            return;
        }
        let mut text = if self.stderr_is_terminal {
            sanitize::log_for_terminal(log)
        } else {
            log.to_string()
        };
        if !text.ends_with('\n') {
            text.push('\n');
        }
        self.info(&if self.stderr_color {
            text.dimmed().to_string()
        } else {
            set_apart(&text)
        });
    }

    fn paint_err(&self, text: &str, style: fn(&str) -> colored::ColoredString) -> String {
        if self.stderr_color {
            style(text).to_string()
        } else {
            text.to_string()
        }
    }

    /// `-v`: the request line and headers, secrets masked; and `body` when it is given (as
    /// it may be shown: a login's, with the password masked).
    pub fn verbose_request(&self, request: &Request, body: Option<&str>) {
        let mut text = format!("> {} {}\n", request.method, request.url);
        for h in &request.headers {
            text.push_str(&format!("> {}: {}\n", h.name, h.value.shown()));
        }
        text.push_str(&format!("> Content-Length: {}\n>\n", request.body.len()));
        if let Some(body) = body {
            text.push_str(&format!("{body}\n"));
        }
        self.info(&self.paint_err(&text, |s| s.bright_black()));
    }

    /// `-v`: the response status and headers, secrets masked.
    pub fn verbose_response(&self, response: &Response) {
        let mut text = format!("< HTTP {} {}\n", response.status, response.reason);
        for (name, value) in &response.headers {
            let shown = if SECRET_HEADERS.iter().any(|s| name.eq_ignore_ascii_case(s)) {
                "***".to_string()
            } else {
                sanitize::shown(value)
            };
            text.push_str(&format!("< {}: {shown}\n", sanitize::shown(name)));
        }
        text.push_str("<\n");
        self.info(&self.paint_err(&text, |s| s.bright_black()));
    }

    /// `-v`: a note on what fgs chose, or skipped, and why.
    pub fn verbose_note(&self, note: &str) {
        if self.verbose {
            self.info(&self.paint_err(&format!("note: {note}\n"), |s| s.bright_black()));
        }
    }

    /// `--dry-run`: the request on stdout, secrets masked, body as it would be sent.
    pub fn dry_run(&self, request: &Request) -> io::Result<()> {
        let mut text = format!("{} {}\n", request.method, request.url).into_bytes();
        for h in &request.headers {
            text.extend_from_slice(format!("{}: {}\n", h.name, h.value.shown()).as_bytes());
        }
        text.push(b'\n');
        text.extend_from_slice(&crate::render::with_newline(&request.body[..]));
        self.stdout(&text)
    }

    /// One failed call of a batch, named by its line; never silenced.
    pub fn line_error(&self, line: u64, failure: &Failure) {
        let text = format!(
            "{} line {line}: {:#}\n",
            self.paint_err("error:", |s| s.red().bold()),
            failure.error
        );
        self.stderr_always(&text);
    }

    /// A spinner with the elapsed time, for a call that is taking a while; only on a
    /// terminal and without `-q`.
    pub fn spinner(&self, message: &str, elapsed: Duration) -> Option<indicatif::ProgressBar> {
        if !self.stderr_is_terminal || self.quiet {
            return None;
        }
        let bar =
            indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr())
                .with_elapsed(elapsed);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {msg} {elapsed}")
                .expect("a valid template"),
        );
        bar.set_message(message.to_string());
        bar.enable_steady_tick(Duration::from_millis(100));
        Some(bar)
    }

    /// A progress bar for a batch: done of total, rate, errors, ETA; only on a terminal and
    /// without `-q`.
    /// `mode`: `--progress` as given, else a bar on a terminal and plain lines elsewhere;
    /// `wanted: false` (with `-v`) turns the bar off.
    pub fn progress(
        &self,
        total: Option<u64>,
        wanted: bool,
        mode: Option<ProgressMode>,
    ) -> Progress {
        let mode = mode.unwrap_or(if self.stderr_is_terminal {
            ProgressMode::Bar
        } else {
            ProgressMode::Plain
        });
        let none = Progress {
            bar: None,
            plain: None,
            errors: 0,
            done: 0,
            total,
        };
        if self.quiet {
            return none;
        }
        match mode {
            ProgressMode::None => return none,
            ProgressMode::Plain => {
                return Progress {
                    plain: Some(Plain {
                        out: self.clone(),
                        started: Instant::now(),
                        last: Instant::now(),
                        every: plain_every(),
                    }),
                    ..none
                };
            }
            ProgressMode::Bar if !wanted => return none,
            ProgressMode::Bar => {}
        }
        let bar = indicatif::ProgressBar::with_draw_target(
            total,
            indicatif::ProgressDrawTarget::stderr(),
        );
        let template = if total.is_some() {
            "{bar:30} {pos}/{len} · {rate} · {msg} · ETA {eta}"
        } else {
            "{spinner} {pos} done · {rate} · {msg} · {elapsed}"
        };
        let style = indicatif::ProgressStyle::with_template(template)
            .expect("a valid template")
            .with_key(
                "rate",
                |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{:.0}/s", state.per_sec());
                },
            );
        bar.set_style(style);
        bar.set_message("0 errors");
        Progress {
            bar: Some(bar),
            ..none
        }
    }

    /// stdout for a stream of lines: buffered, flushed at least every 50 ms (at once on a
    /// terminal); a closed pipe is noticed, not an error.
    pub fn lines(&self) -> Lines {
        Lines {
            out: BufWriter::with_capacity(64 * 1024, io::stdout()),
            last_flush: Instant::now(),
            eager: self.stdout_is_terminal,
            closed: false,
            dirty: false,
        }
    }

    /// `error: …`, `  caused by: …`, the request id, then `hint: …`. Never silenced.
    pub fn report(&self, failure: &Failure) {
        let mut chain = failure.error.chain();
        let mut text = format!(
            "{} {}\n",
            self.paint_err("error:", |s| s.red().bold()),
            chain.next().map(ToString::to_string).unwrap_or_default()
        );
        for cause in chain {
            text.push_str(&format!("  caused by: {cause}\n"));
        }
        if let Some(id) = &failure.request_id {
            text.push_str(&format!("  request id: {}\n", sanitize::shown(id)));
        }
        if let Some(attempts) = failure.attempts {
            text.push_str(&format!("  attempts: {attempts} (with --retries)\n"));
        }
        if let Some(hint) = failure.hint() {
            text.push_str(&format!(
                "{} {hint}\n",
                self.paint_err("hint:", |s| s.cyan().bold())
            ));
        }
        self.stderr_always(&text);
    }

    /// A clap error (usage, `--help`, `--version`), printed as clap formats it.
    pub fn clap(error: &clap::Error) {
        let _ = error.print();
    }
}

/// What the cloud client says: requests, answers, retries and notes under `-v`, warnings
/// unless `-q`.
impl crate::api::Trace for Output {
    fn request(&self, request: &Request) {
        if self.verbose {
            self.verbose_request(request, None);
        }
    }

    fn response(&self, response: &Response) {
        if self.verbose {
            self.verbose_response(response);
        }
    }

    /// `-v`: a retry about to happen.
    fn retrying(&self, label: Option<u64>, attempt: u32, of: u32, delay: Duration, why: &str) {
        if !self.verbose {
            return;
        }
        let which = label.map(|l| format!("line {l}: ")).unwrap_or_default();
        let text = format!(
            "{which}retry {attempt} of {of} in {} s after: {why}\n",
            crate::units::decimal(delay.as_secs_f64())
        );
        self.info(&self.paint_err(&text, |s| s.yellow()));
    }

    fn note(&self, note: &str) {
        self.verbose_note(note);
    }

    fn warning(&self, warning: &str) {
        self.warn(warning);
    }
}

/// Without colour, each line of the function's log starts with `│ `, so that a function that
/// logs `error: x` cannot be taken for fgs.
fn set_apart(log: &str) -> String {
    let mut out = String::with_capacity(log.len() + log.len() / 16 + 4);
    for line in log.split_inclusive('\n') {
        if line == "\n" {
            out.push_str("│\n");
        } else {
            out.push_str("│ ");
            out.push_str(line);
        }
    }
    out
}

/// A batch's progress bar (or nothing, off a terminal).
pub struct Progress {
    bar: Option<indicatif::ProgressBar>,
    plain: Option<Plain>,
    errors: u64,
    done: u64,
    total: Option<u64>,
}

/// Plain progress lines, for a log that is not a terminal: some CI systems end a job that
/// stays silent for long.
struct Plain {
    out: Output,
    started: Instant,
    last: Instant,
    every: Duration,
}

/// `--progress`.
pub use crate::cli::ProgressMode;

/// How often a plain progress line is printed: 10 s (`FGS_PROGRESS_EVERY` seconds, for
/// tests and impatient logs).
fn plain_every() -> Duration {
    std::env::var("FGS_PROGRESS_EVERY")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s > 0.0 && *s < 86_400.0)
        .map_or(Duration::from_secs(10), Duration::from_secs_f64)
}

impl Progress {
    pub fn tick(&mut self, failed: bool) {
        self.done += 1;
        if failed {
            self.errors += 1;
        }
        if let Some(bar) = &self.bar {
            bar.inc(1);
            if failed {
                bar.set_message(format!("{} errors", self.errors));
            }
        }
        if let Some(plain) = &mut self.plain
            && plain.last.elapsed() >= plain.every
            && plain.started.elapsed() >= plain.every
        {
            plain.last = Instant::now();
            let seconds = plain.started.elapsed().as_secs_f64();
            let done = match self.total {
                Some(total) => format!("{}/{total}", self.done),
                None => self.done.to_string(),
            };
            plain.out.info(&format!(
                "progress: {done} done · {:.0}/s · {} errors · {:.0} s\n",
                self.done as f64 / seconds,
                self.errors,
                seconds
            ));
        }
    }

    /// Run `f` (which prints to stderr) with the bar out of the way.
    pub fn suspend(&self, f: impl FnOnce()) {
        match &self.bar {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Set by the first write to stdout: `-o json` writes an error document only when the
/// command wrote none of its own.
static STDOUT_WRITTEN: AtomicBool = AtomicBool::new(false);

/// Whether anything has been written to stdout in this run.
pub fn stdout_written() -> bool {
    STDOUT_WRITTEN.load(Ordering::Relaxed)
}

/// How long a written line may wait in the buffer.
pub const FLUSH_EVERY: Duration = Duration::from_millis(50);

/// See [`Output::lines`].
pub struct Lines {
    out: BufWriter<io::Stdout>,
    last_flush: Instant,
    eager: bool,
    closed: bool,
    /// Written since the last flush.
    pub dirty: bool,
}

impl Lines {
    /// Write one line (a newline is added). `Ok(false)` once the reader has gone away.
    pub fn line(&mut self, bytes: &[u8]) -> io::Result<bool> {
        if self.closed {
            return Ok(false);
        }
        STDOUT_WRITTEN.store(true, Ordering::Relaxed);
        let written = self
            .out
            .write_all(bytes)
            .and_then(|()| self.out.write_all(b"\n"));
        self.dirty = true;
        if written.is_ok() && (self.eager || self.last_flush.elapsed() >= FLUSH_EVERY) {
            return self.flush();
        }
        self.settle(written)
    }

    /// Write out what is buffered. The batch loop also calls this when a line has waited
    /// [`FLUSH_EVERY`], so a result is never held back by a pause in the input.
    pub fn flush(&mut self) -> io::Result<bool> {
        if self.closed {
            return Ok(false);
        }
        self.dirty = false;
        self.last_flush = Instant::now();
        let flushed = self.out.flush();
        self.settle(flushed)
    }

    fn settle(&mut self, result: io::Result<()>) -> io::Result<bool> {
        match result {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(false)
            }
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_is_set_apart_without_colour() {
        assert_eq!(set_apart("a\n\nerror: b\n"), "│ a\n│\n│ error: b\n");
    }

    #[test]
    fn colour_rules_in_order() {
        let set = |v: &str| Some(OsString::from(v));
        let (empty, one, zero) = (set(""), set("1"), set("0"));
        assert!(use_color(ColorChoice::Always, one.as_ref(), None, false));
        assert!(!use_color(ColorChoice::Never, None, one.as_ref(), true));
        assert!(!use_color(
            ColorChoice::Auto,
            one.as_ref(),
            one.as_ref(),
            true
        ));
        assert!(use_color(
            ColorChoice::Auto,
            empty.as_ref(),
            one.as_ref(),
            false
        ));
        assert!(!use_color(ColorChoice::Auto, None, zero.as_ref(), false));
        assert!(use_color(ColorChoice::Auto, None, None, true));
        assert!(!use_color(ColorChoice::Auto, None, None, false));
    }
}
