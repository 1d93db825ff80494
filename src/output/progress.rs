//! A batch's progress on stderr: a bar, plain lines for CI logs, or nothing.
//!
//! One clock for the run: the bar's rate and elapsed time, the plain lines and the summary
//! all read it, so the bar's last frame and the summary show the same rate.

use std::io::{self, Write};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use super::Output;
use crate::stats::per_second;

/// `--progress`.
pub use crate::cli::ProgressMode;

impl Output {
    /// What progress a batch shows: `--progress` as given, else a bar on a terminal and plain
    /// lines elsewhere; nothing with `-q`, and no bar with `-v` (each call prints its own
    /// lines, which a bar would garble).
    pub fn progress_mode(&self, asked: Option<ProgressMode>, verbose: bool) -> ProgressMode {
        let mode = asked.unwrap_or(if self.stderr_is_terminal {
            ProgressMode::Bar
        } else {
            ProgressMode::Plain
        });
        match mode {
            _ if self.quiet => ProgressMode::None,
            ProgressMode::Bar if verbose => ProgressMode::None,
            mode => mode,
        }
    }

    /// A batch's progress as `mode` ([`Output::progress_mode`]) says, out of `total` calls
    /// when that is known. Its clock starts now. A bar asked for with `--progress bar` is
    /// drawn even when stderr is not a terminal.
    pub fn progress(&self, total: Option<u64>, mode: ProgressMode) -> Progress {
        let clock = Clock {
            started: Instant::now(),
            stopped: Arc::new(OnceLock::new()),
        };
        let mut progress = Progress {
            bar: None,
            plain: None,
            errors: 0,
            done: 0,
            total,
            clock,
        };
        match mode {
            ProgressMode::None => {}
            ProgressMode::Plain => {
                progress.plain = Some(Plain {
                    out: self.clone(),
                    last: Instant::now(),
                    every: plain_every(),
                });
            }
            ProgressMode::Bar => progress.bar = Some(self.bar(total, &progress.clock)),
        }
        progress
    }

    fn bar(&self, total: Option<u64>, clock: &Clock) -> indicatif::ProgressBar {
        let target = if self.stderr_is_terminal {
            indicatif::ProgressDrawTarget::stderr()
        } else {
            // indicatif hides a bar whose terminal is not one; this target always draws.
            indicatif::ProgressDrawTarget::term_like_with_hz(Box::new(AnyStderr), 5)
        };
        let bar = indicatif::ProgressBar::with_draw_target(total, target);
        let template = if total.is_some() {
            "{bar:30} {pos}/{len} · {rate} · {msg} · ETA {eta}"
        } else {
            "{spinner} {pos} done · {rate} · {msg} · {elapsed}"
        };
        let (for_rate, for_elapsed) = (clock.clone(), clock.clone());
        let style = indicatif::ProgressStyle::with_template(template)
            .expect("a valid template")
            .with_key(
                "rate",
                move |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    let seconds = for_rate.elapsed().as_secs_f64();
                    let _ = write!(w, "{}/s", per_second(state.pos(), seconds));
                },
            )
            .with_key(
                "elapsed",
                move |_: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{}", indicatif::HumanDuration(for_elapsed.elapsed()));
                },
            );
        bar.set_style(style);
        bar.set_message("0 errors");
        bar
    }
}

/// A batch's progress: a bar, plain lines, or nothing; and the run's clock.
pub struct Progress {
    bar: Option<indicatif::ProgressBar>,
    plain: Option<Plain>,
    errors: u64,
    done: u64,
    total: Option<u64>,
    clock: Clock,
}

/// Since the run started; stopped when the bar is finished, so that its last frame shows the
/// figures the summary shows.
#[derive(Clone)]
struct Clock {
    started: Instant,
    stopped: Arc<OnceLock<Duration>>,
}

impl Clock {
    fn elapsed(&self) -> Duration {
        self.stopped
            .get()
            .copied()
            .unwrap_or_else(|| self.started.elapsed())
    }
}

/// Plain progress lines, for a log that is not a terminal: some CI systems end a job that
/// stays silent for long.
struct Plain {
    out: Output,
    last: Instant,
    every: Duration,
}

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
        let elapsed = self.clock.elapsed();
        if let Some(plain) = &mut self.plain
            && plain.last.elapsed() >= plain.every
            && elapsed >= plain.every
        {
            plain.last = Instant::now();
            let seconds = elapsed.as_secs_f64();
            let done = match self.total {
                Some(total) => format!("{}/{total}", self.done),
                None => self.done.to_string(),
            };
            plain.out.info(&format!(
                "progress: {done} done · {}/s · {} errors · {seconds:.0} s\n",
                per_second(self.done, seconds),
                self.errors,
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

    /// Take the bar away, after a last frame drawn with the time this returns: the time
    /// since the run started, for the summary. The bar's clock stops at the first call
    /// (with `--wait`, before the waits, which the summary's time includes).
    pub fn finish(&self) -> Duration {
        let elapsed = self.clock.started.elapsed();
        let _ = self.clock.stopped.set(elapsed);
        if let Some(bar) = &self.bar
            && !bar.is_finished()
        {
            bar.force_draw();
            bar.finish_and_clear();
        }
        elapsed
    }
}

/// stderr, drawn on whether or not it is a terminal (`--progress bar` on a pipe): the
/// width is `COLUMNS`, else 80.
#[derive(Debug)]
struct AnyStderr;

impl AnyStderr {
    fn write(text: &str) -> io::Result<()> {
        let mut err = io::stderr().lock();
        err.write_all(text.as_bytes())?;
        err.flush()
    }

    fn escape(n: usize, code: char) -> io::Result<()> {
        if n == 0 {
            return Ok(());
        }
        Self::write(&format!("\x1b[{n}{code}"))
    }
}

impl indicatif::TermLike for AnyStderr {
    fn width(&self) -> u16 {
        std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.trim().parse::<u16>().ok())
            .filter(|c| *c > 0)
            .unwrap_or(80)
    }

    fn move_cursor_up(&self, n: usize) -> io::Result<()> {
        Self::escape(n, 'A')
    }

    fn move_cursor_down(&self, n: usize) -> io::Result<()> {
        Self::escape(n, 'B')
    }

    fn move_cursor_right(&self, n: usize) -> io::Result<()> {
        Self::escape(n, 'C')
    }

    fn move_cursor_left(&self, n: usize) -> io::Result<()> {
        Self::escape(n, 'D')
    }

    fn write_line(&self, s: &str) -> io::Result<()> {
        Self::write(&format!("{s}\n"))
    }

    fn write_str(&self, s: &str) -> io::Result<()> {
        Self::write(s)
    }

    fn clear_line(&self) -> io::Result<()> {
        Self::write("\r\x1b[2K")
    }

    fn flush(&self) -> io::Result<()> {
        io::stderr().flush()
    }
}
