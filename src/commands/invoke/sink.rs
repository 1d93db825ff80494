//! Where a batch's finished calls go: each call rendered and classified ([`Render`]), then its
//! line written to stdout in input order, its error to stderr, its figures to the summary and
//! the progress bar. With `--wait`, the lines of accepted calls are held until their waits
//! end. At the end: the summary on stderr (and in `--summary FILE`) and the run's exit.

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, anyhow};
use serde_json::Value;

use crate::api::Answer;
use crate::call::Outcome;
use crate::cli::OutputMode;
use crate::cloud::wait::{self, Record, Waited, Waiter};
use crate::error::{Failure, Kind, OrKind};
use crate::output::{Lines, Output, Progress};
use crate::render::{self, Layout, Style};
use crate::stats::{Class, Stats};

/// A finished call, rendered and classified, waiting for its turn to be written.
pub(super) struct Finished {
    line: u64,
    text: Vec<u8>,
    failure: Option<Failure>,
    /// The id of an accepted asynchronous call.
    request_id: Option<String>,
    /// The status line of a local asynchronous call that ended, for stderr.
    status: Option<String>,
}

/// How a run ended, for the summary.
#[derive(Clone, Copy)]
pub(super) struct End {
    pub(super) abandoned: u64,
    pub(super) interrupted: bool,
}

/// Where finished calls go: their lines to stdout in order, their errors to stderr, their
/// figures to the summary.
pub(super) struct Sink<'a> {
    pub(super) lines: Lines,
    progress: Progress,
    print_results: bool,
    stats: Stats,
    /// The first failure in input order, which decides the exit code.
    first_failure: Option<(u64, Failure)>,
    out: &'a Output,
    mode: OutputMode,
    /// With `--wait`: the lines whose output waits for the records (every line with `-o
    /// json`, else only the accepted calls, whose ids are already written).
    held: Option<Vec<Finished>>,
    /// With `--wait`: what the waits came to.
    waited: Option<wait::Counts>,
    /// The first call in input order that had not finished by `--wait-timeout`: it decides
    /// the exit code (7), since the outcome of the run is not known yet.
    first_timeout: Option<(u64, Failure)>,
    /// The run's own hint (after Ctrl-C while waiting: how to look the calls up later).
    hint: Option<String>,
}

impl<'a> Sink<'a> {
    /// A sink for a run's lines; with `wait` (`--wait`), lines are held for the waits.
    pub(super) fn new(
        out: &'a Output,
        progress: Progress,
        print_results: bool,
        mode: OutputMode,
        wait: bool,
    ) -> Self {
        Sink {
            lines: out.lines(),
            progress,
            print_results,
            stats: Stats::default(),
            first_failure: None,
            out,
            mode,
            held: wait.then(Vec::new),
            waited: None,
            first_timeout: None,
            hint: None,
        }
    }

    /// Count a finished call; its line waits for its turn.
    pub(super) fn count(&mut self, done: Done) -> Finished {
        self.stats.record(
            done.class,
            done.latency,
            done.service_ms,
            done.billed_ms,
            done.retries,
        );
        self.progress.tick(done.class != Class::Ok);
        done.finished
    }

    /// Write a finished call's line (and, outside json mode, its error on stderr). `false`
    /// once stdout is closed.
    pub(super) fn write(&mut self, mut done: Finished) -> Result<bool, Failure> {
        if let Some(held) = &mut self.held {
            if self.mode == OutputMode::Json {
                held.push(done);
                return Ok(true);
            }
            if let Some(id) = done.request_id.take() {
                held.push(Finished {
                    line: done.line,
                    text: Vec::new(),
                    failure: None,
                    request_id: Some(id),
                    status: None,
                });
            }
        }
        self.write_now(done)
    }

    /// [`Sink::write`], held or not.
    fn write_now(&mut self, done: Finished) -> Result<bool, Failure> {
        if let Some(status) = &done.status {
            let (out, line) = (self.out, done.line);
            self.progress
                .suspend(|| out.info(&format!("line {line}: {status}\n")));
        }
        if let Some(failure) = &done.failure
            && self.mode != OutputMode::Json
        {
            let (out, line) = (self.out, done.line);
            self.progress.suspend(|| out.line_error(line, failure));
        }
        let open = if self.print_results {
            // With the bar on the same terminal, no old bar frame stays glued to a result.
            let (lines, text) = (&mut self.lines, &done.text);
            let mut written = Ok(true);
            self.progress.suspend(|| written = lines.line(text));
            written.context("writing to stdout").or_kind(Kind::Local)?
        } else {
            true
        };
        if let Some(failure) = done.failure {
            self.note_failure(done.line, failure);
        }
        Ok(open)
    }

    /// Keep the first failure in input order (with --wait, a call's failure may be known
    /// after a later line's).
    fn note_failure(&mut self, line: u64, failure: Failure) {
        if self.first_failure.as_ref().is_none_or(|(l, _)| line < *l) {
            self.first_failure = Some((line, failure));
        }
    }

    /// Wait for every accepted call, then write the held lines in input order: with `-o
    /// json` each accepted call's final record (`{"line": N, …}`), else a status line on
    /// stderr for each. `true` when Ctrl-C ended the wait.
    pub(super) async fn wait(
        &mut self,
        waiter: &Waiter,
        concurrency: usize,
        style: &Style,
    ) -> Result<bool, Failure> {
        let held = self.held.take().unwrap_or_default();
        let ids: Vec<String> = held.iter().filter_map(|f| f.request_id.clone()).collect();
        self.flush()?;
        self.progress.finish();
        let total = ids.len();
        let spinner = self
            .out
            .spinner(&format!("waiting for {total} calls"), Duration::ZERO);
        let results = waiter
            .wait_all(&ids, concurrency, self.out, |latest| {
                if let Some(bar) = &spinner {
                    let over = latest
                        .iter()
                        .filter(|r| r.as_ref().is_some_and(|r| r.status().is_final()))
                        .count();
                    bar.set_message(format!("waiting for {total} calls · {over} finished"));
                }
            })
            .await;
        if let Some(bar) = &spinner {
            bar.finish_and_clear();
        }
        let mut counts = wait::Counts::default();
        let mut results = results.into_iter();
        for mut finished in held {
            let Some(id) = finished.request_id.clone() else {
                self.write_now(finished)?;
                continue;
            };
            let one = results.next().expect("one result for each id");
            counts.count(&one);
            let interrupted = matches!(one, Waited::Interrupted(_));
            let settled = waiter.settle(one, &id, style.no_fail);
            if interrupted {
                // The line keeps its accepted document; the run's exit is Ctrl-C's.
                self.hint.get_or_insert_with(|| {
                    format!(
                        "the calls still running go on; their request ids are in the output: check them later with fgs status {} REQUEST_ID",
                        waiter.urn
                    )
                });
                if self.mode == OutputMode::Json {
                    self.write_now(finished)?;
                }
                continue;
            }
            let document = (self.mode == OutputMode::Json).then(|| settled.document(&waiter.urn));
            let failure = match settled.failure {
                Some(failure) if failure.kind == Kind::Timeout => {
                    if self.first_timeout.is_none() {
                        self.first_timeout = Some((finished.line, failure));
                    }
                    None
                }
                failure => failure,
            };
            if let Some(document) = document {
                finished.text = render::document(document, style, Layout::Line(finished.line));
                finished.failure = failure;
                if !self.write_now(finished)? {
                    break;
                }
                continue;
            }
            // The id is written already: the status line goes to stderr, and a lookup that
            // failed is the line's error.
            if settled.record.is_some() || failure.is_none() {
                let shown = wait::status_line(settled.record.as_ref(), &id, self.out.stderr_color);
                self.out.info(&format!("line {}: {shown}\n", finished.line));
            } else if let Some(failure) = &failure {
                self.out.line_error(finished.line, failure);
            }
            if let Some(failure) = failure {
                self.note_failure(finished.line, failure);
            }
        }
        self.waited = Some(counts);
        Ok(counts.interrupted > 0)
    }

    /// Write the lines buffered for stdout; `false` once stdout is closed.
    pub(super) fn flush(&mut self) -> Result<bool, Failure> {
        self.lines
            .flush()
            .context("writing to stdout")
            .or_kind(Kind::Local)
    }

    /// The summary on stderr (and in `summary_file`), and the run's result: exit 130 after
    /// Ctrl-C, else the first failure in input order.
    pub(super) fn close(mut self, end: End, summary_file: Option<&Path>) -> Result<(), Failure> {
        self.flush()?;
        // The bar's last frame and the summary share this time, so they show one rate.
        let elapsed = self.progress.finish();
        let (abandoned, interrupted) = (end.abandoned, end.interrupted);
        let mut text = self.stats.to_text(elapsed, abandoned, interrupted);
        if let Some(waited) = &self.waited {
            text.push_str(&waited.to_text());
        }
        self.out.info(&text);
        if let Some(path) = summary_file {
            let mut summary = self.stats.to_json(elapsed, abandoned, interrupted);
            if let (Some(waited), Value::Object(map)) = (&self.waited, &mut summary) {
                map.insert("waited".into(), waited.to_json());
            }
            let mut json = serde_json::to_vec_pretty(&summary).expect("a Value always serialises");
            json.push(b'\n');
            std::fs::write(path, json)
                .with_context(|| format!("writing the summary to {}", path.display()))
                .or_kind(Kind::Local)?;
        }
        if interrupted {
            return Err(
                Failure::new(Kind::Interrupted, anyhow!("interrupted")).with_hint(self.hint)
            );
        }
        let waited = self.waited.unwrap_or_default();
        if let Some((line, failure)) = self.first_timeout {
            let unfinished = format!(
                "{} of {} calls had not finished",
                waited.timed_out,
                waited.calls()
            );
            return Err(Failure::new(
                failure.kind,
                anyhow!("the first, on line {line}: {:#}", failure.error).context(unfinished),
            )
            .with_request_id(failure.request_id)
            .with_hint(failure.hint));
        }
        let Some((line, failure)) = self.first_failure else {
            return Ok(());
        };
        let failed = format!(
            "{} of {} calls failed",
            self.stats.failures() + waited.failures(),
            self.stats.calls()
        );
        Err(Failure::new(
            failure.kind,
            anyhow!("the first, on line {line}: {:#}", failure.error).context(failed),
        )
        .with_request_id(failure.request_id))
    }
}

/// A call's line and what the summary counts of it.
pub(super) struct Done {
    finished: Finished,
    class: Class,
    latency: Option<Duration>,
    service_ms: Option<f64>,
    billed_ms: Option<f64>,
    retries: u32,
}

/// How each finished call becomes its line: through the one outcome renderer.
pub(super) struct Render {
    pub(super) style: Style,
}

impl Render {
    /// A call's line. `ended` is the record of a local asynchronous call, which ran to its
    /// end: the line reports it as `--async --wait` reports a call to the service.
    pub(super) fn finished(&self, line: u64, outcome: Outcome, ended: Option<Record>) -> Done {
        let (mut class, service_ms, billed_ms) = match &outcome.answer {
            Ok(Answer::Invoked(inv)) => (
                if inv.function_error {
                    Class::FunctionError
                } else {
                    Class::Ok
                },
                inv.summary.duration_ms,
                inv.summary.billing_duration_ms,
            ),
            Ok(Answer::Accepted { .. }) => (Class::Ok, None, None),
            Err(refusal) => (Class::of(refusal.failure.kind), None, None),
        };
        let request_id = match &outcome.answer {
            Ok(Answer::Accepted { request_id, .. }) => request_id.clone(),
            _ => None,
        };
        let (latency, retries) = (outcome.latency, outcome.retries);
        let mut shown = render::outcome(outcome.answer, &self.style, Layout::Line(line));
        let mut finished = Finished {
            line,
            text: std::mem::take(&mut shown.stdout),
            failure: shown.failure,
            request_id,
            status: None,
        };
        if let Some(record) = ended
            && let Some(id) = finished.request_id.take()
        {
            let failure = record.failure(&id, self.style.no_fail);
            class = failure.as_ref().map_or(Class::Ok, |f| Class::of(f.kind));
            if self.style.mode == OutputMode::Json {
                finished.text =
                    render::document(record.document.clone(), &self.style, Layout::Line(line));
            } else {
                finished.status = Some(wait::status_line(
                    Some(&record),
                    &id,
                    self.style.stderr_color,
                ));
            }
            finished.failure = failure;
        }
        Done {
            finished,
            class,
            latency: Some(latency),
            service_ms,
            billed_ms,
            retries,
        }
    }

    /// A line that was never sent: not JSON, or over the payload limit.
    pub(super) fn invalid(&self, line: u64, failure: Failure) -> Done {
        let shown = render::outcome(Err(failure.into()), &self.style, Layout::Line(line));
        Done {
            finished: Finished {
                line,
                text: shown.stdout,
                failure: shown.failure,
                request_id: None,
                status: None,
            },
            class: Class::InvalidInput,
            latency: None,
            service_ms: None,
            billed_ms: None,
            retries: 0,
        }
    }
}
