//! Many calls in one run: `--batch FILE` (one payload a line) and `--repeat N`.
//!
//! Up to `--concurrency` calls are in flight on one client and its kept-alive connections.
//! Results are written in input order as they complete, one line per input line, through a
//! bounded reorder window, so memory stays flat however long the input is. Ctrl-C stops new
//! calls, lets those in flight finish for a short grace, writes every finished line whole,
//! prints the summary and exits 130.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use bytes::Bytes;

use anyhow::{Context, anyhow};
use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;
use serde_json::Value;
use tokio::sync::mpsc;

use crate::api::Answer;
use crate::call::{Caller, Outcome};
use crate::cli::OutputMode;
use crate::cloud::wait::{self, Waited, Waiter};
use crate::error::{Failure, Kind, OrKind};
use crate::output::{FLUSH_EVERY, Lines, Output, Progress};
use crate::payload;
use crate::render::{self, Layout, Style};
use crate::stats::{Class, Stats};

/// How long calls in flight may finish after Ctrl-C.
const GRACE: Duration = Duration::from_secs(2);

/// Where the payloads come from.
pub enum Input {
    /// Newline-delimited JSON from a file, or stdin for `-`.
    Lines(PathBuf),
    /// The same payload N times.
    Repeat { count: u64, body: Bytes },
}

pub struct Plan {
    pub input: Input,
    /// `--progress`.
    pub progress: Option<crate::cli::ProgressMode>,
    /// Write each call's result line (not with `--repeat` on a terminal without `-o`).
    pub print_results: bool,
    pub concurrency: usize,
    pub style: Style,
    pub summary_file: Option<PathBuf>,
    /// The payload limit of the call (synchronous or asynchronous).
    pub limit: usize,
    /// `--async --wait`: once every line is submitted, wait for every accepted call.
    pub waiter: Option<Arc<Waiter>>,
}

/// One payload and the line it came from.
struct Item {
    line: u64,
    body: Result<Bytes, String>,
}

/// A finished call, rendered and classified, waiting for its turn to be written.
struct Finished {
    line: u64,
    text: Vec<u8>,
    failure: Option<Failure>,
    /// The id of an accepted asynchronous call.
    request_id: Option<String>,
}

enum Source {
    Lines {
        rx: mpsc::Receiver<Vec<Item>>,
        chunk: std::vec::IntoIter<Item>,
    },
    Repeat {
        next: u64,
        count: u64,
        body: Bytes,
    },
}

impl Source {
    async fn next(&mut self) -> Option<Item> {
        match self {
            Source::Lines { rx, chunk } => loop {
                if let Some(item) = chunk.next() {
                    return Some(item);
                }
                *chunk = rx.recv().await?.into_iter();
            },
            Source::Repeat { next, count, body } => (*next < *count).then(|| {
                *next += 1;
                Item {
                    line: *next,
                    body: Ok(body.clone()),
                }
            }),
        }
    }

    fn close(&mut self) {
        if let Source::Lines { rx, chunk } = self {
            rx.close();
            *chunk = Vec::new().into_iter();
        }
    }
}

/// Lines handed over at a time: one wake-up of the other side per chunk, not per line.
const CHUNK: usize = 128;

/// A chunk is also handed over once it holds this many bytes, so that long lines do not
/// pile up between the reader and the calls.
const CHUNK_BYTES: usize = 1024 * 1024;

/// Read `path` (or stdin for `-`) on a thread of its own, non-blank lines in chunks. No more
/// than `limit + 1` bytes of a line are kept: a longer one is read to its end and dropped,
/// and becomes an error record.
fn spawn_reader(path: &Path, limit: usize) -> Result<mpsc::Receiver<Vec<Item>>, Failure> {
    let input: Box<dyn Read + Send> = if path == Path::new("-") {
        Box::new(std::io::stdin())
    } else {
        Box::new(
            std::fs::File::open(path)
                .with_context(|| format!("opening the batch file {}", path.display()))
                .or_kind(Kind::Usage)?,
        )
    };
    let name = path.display().to_string();
    let (tx, rx) = mpsc::channel(2);
    std::thread::spawn(move || {
        let mut reader = BufReader::with_capacity(256 * 1024, input);
        let mut buffer = Vec::new();
        let mut chunk = Vec::with_capacity(CHUNK);
        let mut chunk_bytes = 0;
        let mut line = 0u64;
        loop {
            line += 1;
            let item = match read_line(&mut reader, &mut buffer, limit.saturating_add(1)) {
                Ok(Line::End) => break,
                Ok(Line::Whole) if buffer.iter().all(u8::is_ascii_whitespace) => continue,
                Ok(Line::Whole) => Item {
                    line,
                    body: Ok(Bytes::copy_from_slice(buffer.trim_ascii_end())),
                },
                Ok(Line::Cut) => Item {
                    line,
                    body: Err(over_the_limit(limit)),
                },
                Err(e) => {
                    chunk.push(Item {
                        line,
                        body: Err(format!("reading {name}: {e}")),
                    });
                    break;
                }
            };
            chunk_bytes += item.body.as_ref().map_or(0, Bytes::len);
            chunk.push(item);
            // A slow producer (a pipe) should not hold lines back: hand over what there is
            // whenever the reader has nothing more buffered.
            if chunk.len() == CHUNK || chunk_bytes >= CHUNK_BYTES || reader.buffer().is_empty() {
                let full = std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK));
                chunk_bytes = 0;
                if tx.blocking_send(full).is_err() {
                    return;
                }
            }
        }
        if !chunk.is_empty() {
            let _ = tx.blocking_send(chunk);
        }
    });
    Ok(rx)
}

/// What [`read_line`] found.
#[derive(Debug, PartialEq, Eq)]
enum Line {
    /// The end of the input.
    End,
    /// A line, whole in the buffer but for whitespace beyond the cap.
    Whole,
    /// A line longer than the cap: the buffer holds its first `cap` bytes, the rest was read
    /// and dropped.
    Cut,
}

/// Read the next line (up to and including its `\n`, or to the end of the input) into
/// `buffer`, keeping at most `cap` bytes of it, so that memory stays flat whatever the input:
/// a line that never ends (`/dev/zero`) is read to the end of the input without being kept.
/// Trailing whitespace beyond the cap does not make a line [`Line::Cut`]: it is trimmed
/// before the limit is checked.
fn read_line(reader: &mut impl BufRead, buffer: &mut Vec<u8>, cap: usize) -> std::io::Result<Line> {
    buffer.clear();
    let (mut any, mut cut) = (false, false);
    loop {
        let available = match reader.fill_buf() {
            Ok(available) => available,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            break;
        }
        any = true;
        let (part, ends) = match available.iter().position(|&b| b == b'\n') {
            Some(at) => (&available[..=at], true),
            None => (available, false),
        };
        let keep = part.len().min(cap - buffer.len());
        buffer.extend_from_slice(&part[..keep]);
        cut = cut || !part[keep..].iter().all(u8::is_ascii_whitespace);
        let used = part.len();
        reader.consume(used);
        if ends {
            break;
        }
    }
    Ok(match (any, cut) {
        (false, _) => Line::End,
        (true, false) => Line::Whole,
        (true, true) => Line::Cut,
    })
}

/// Non-blank lines of a regular file, for the progress bar's total (only when a bar is
/// shown). Nothing is counted for stdin or for a device or pipe, which may never end.
fn count_lines(path: &Path) -> Option<u64> {
    if path == Path::new("-") || !std::fs::metadata(path).ok()?.is_file() {
        return None;
    }
    let mut reader = BufReader::with_capacity(256 * 1024, std::fs::File::open(path).ok()?);
    let mut buffer = Vec::new();
    let mut count = 0;
    loop {
        // Nothing is kept: a line that is not blank is cut.
        match read_line(&mut reader, &mut buffer, 0) {
            Ok(Line::End) => return Some(count),
            Ok(Line::Whole) => {}
            Ok(Line::Cut) => count += 1,
            Err(_) => return None,
        }
    }
}

fn over_the_limit(limit: usize) -> String {
    format!("the payload is larger than the service's limit of {limit} bytes")
}

/// Check one payload: JSON (see [`payload::check_json`]) and within the limit.
fn check(body: &[u8], limit: usize) -> Result<(), String> {
    if body.len() > limit {
        return Err(over_the_limit(limit));
    }
    payload::check_json(body).map_err(|e| format!("the payload is not valid JSON: {e}"))
}

pub async fn run(plan: Plan, caller: Arc<Caller>, out: &Output) -> Result<(), Failure> {
    let concurrency = plan.concurrency.max(1);
    let window = (concurrency * 8).max(64) as u64;
    let (mut source, total) = match &plan.input {
        Input::Lines(path) => {
            let total = if out.stderr_is_terminal && !out.quiet && !caller.verbose {
                count_lines(path)
            } else {
                None
            };
            let rx = spawn_reader(path, plan.limit)?;
            let chunk = Vec::new().into_iter();
            (Source::Lines { rx, chunk }, total)
        }
        Input::Repeat { count, body } => {
            let (next, count, body) = (0, *count, body.clone());
            (Source::Repeat { next, count, body }, Some(count))
        }
    };
    let mut sink = Sink {
        lines: out.lines(),
        // With -v every call prints its own lines, which a bar would garble.
        progress: out.progress(total, !caller.verbose, plan.progress),
        print_results: plan.print_results,
        stats: Stats::default(),
        first_failure: None,
        out,
        mode: plan.style.mode,
        held: plan.waiter.as_ref().map(|_| Vec::new()),
        waited: None,
        first_timeout: None,
        hint: None,
    };
    let render = Arc::new(Render { style: plan.style });
    let started = Instant::now();

    let mut in_flight: FuturesUnordered<tokio::task::JoinHandle<(u64, Done)>> =
        FuturesUnordered::new();
    let mut waiting: BTreeMap<u64, Finished> = BTreeMap::new();
    let (mut next_seq, mut next_out) = (0u64, 0u64);
    let mut input_done = false;
    let mut interrupted = false;
    let mut deadline: Option<tokio::time::Instant> = None;
    let mut ctrl_c = Box::pin(tokio::signal::ctrl_c());
    let mut abandoned = 0u64;

    loop {
        if input_done && in_flight.is_empty() {
            break;
        }
        let can_take = !input_done && in_flight.len() < concurrency && next_seq - next_out < window;
        let event = tokio::select! {
            biased;
            _ = &mut ctrl_c => Event::Interrupt,
            Some(joined) = in_flight.next(), if !in_flight.is_empty() => {
                match joined {
                    Ok((seq, done)) => Event::Done(seq, done),
                    Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
                    Err(_) => continue,
                }
            }
            item = source.next(), if can_take => Event::Item(item),
            () = sleep_until(deadline), if deadline.is_some() => Event::GraceOver,
            () = tokio::time::sleep(FLUSH_EVERY), if sink.lines.dirty => Event::Flush,
        };
        let (seq, finished) = match event {
            Event::Interrupt if interrupted => {
                // A second Ctrl-C: abandon what is still in flight now.
                abandoned = in_flight.len() as u64;
                break;
            }
            Event::Interrupt => {
                interrupted = true;
                caller.stopping.store(true, Ordering::Relaxed);
                input_done = true;
                source.close();
                deadline = Some(tokio::time::Instant::now() + GRACE);
                ctrl_c = Box::pin(tokio::signal::ctrl_c());
                continue;
            }
            Event::GraceOver => {
                abandoned = in_flight.len() as u64;
                break;
            }
            Event::Flush => {
                if !sink.flush()? {
                    input_done = true;
                    source.close();
                }
                continue;
            }
            Event::Item(None) => {
                input_done = true;
                continue;
            }
            Event::Item(Some(item)) => {
                let seq = next_seq;
                next_seq += 1;
                match item.body.and_then(|b| check(&b, plan.limit).map(|()| b)) {
                    Ok(body) => {
                        let line = item.line;
                        let (caller, render, out) = (caller.clone(), render.clone(), out.clone());
                        // A task of its own: measured here, a batch ran twice as fast with
                        // each call spawned as a task than polled inside this loop's select.
                        in_flight.push(tokio::spawn(async move {
                            let outcome = caller.call(body, Some(line), &out).await;
                            (seq, render.finished(line, outcome))
                        }));
                        continue;
                    }
                    Err(message) => {
                        let done = render.invalid(item.line, Failure::usage(message));
                        (seq, sink.count(done))
                    }
                }
            }
            Event::Done(seq, done) => (seq, sink.count(done)),
        };
        waiting.insert(seq, finished);
        while let Some(finished) = waiting.remove(&next_out) {
            next_out += 1;
            if !sink.write(finished)? {
                // The reader of stdout has gone away: start nothing new.
                input_done = true;
                source.close();
            }
        }
    }
    for task in &in_flight {
        task.abort();
    }
    drop(in_flight);
    // After an interrupt, lines behind an abandoned call are written in order, with gaps.
    for (_, finished) in std::mem::take(&mut waiting) {
        sink.write(finished)?;
    }
    if let Some(waiter) = &plan.waiter
        && !interrupted
    {
        interrupted = sink.wait(waiter, concurrency, &render.style).await?;
    }
    let end = End {
        elapsed: started.elapsed(),
        abandoned,
        interrupted,
    };
    sink.close(end, plan.summary_file.as_deref())
}

/// How a run ended, for the summary.
#[derive(Clone, Copy)]
struct End {
    elapsed: Duration,
    abandoned: u64,
    interrupted: bool,
}

/// Where finished calls go: their lines to stdout in order, their errors to stderr, their
/// figures to the summary.
struct Sink<'a> {
    lines: Lines,
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

impl Sink<'_> {
    /// Count a finished call; its line waits for its turn.
    fn count(&mut self, done: Done) -> Finished {
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
    fn write(&mut self, mut done: Finished) -> Result<bool, Failure> {
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
                });
            }
        }
        self.write_now(done)
    }

    /// [`Sink::write`], held or not.
    fn write_now(&mut self, done: Finished) -> Result<bool, Failure> {
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
    async fn wait(
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

    fn flush(&mut self) -> Result<bool, Failure> {
        self.lines
            .flush()
            .context("writing to stdout")
            .or_kind(Kind::Local)
    }

    /// The summary on stderr (and in `summary_file`), and the run's result: exit 130 after
    /// Ctrl-C, else the first failure in input order.
    fn close(mut self, end: End, summary_file: Option<&Path>) -> Result<(), Failure> {
        self.flush()?;
        self.progress.finish();
        let (elapsed, abandoned, interrupted) = (end.elapsed, end.abandoned, end.interrupted);
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

enum Event {
    Interrupt,
    Done(u64, Done),
    Item(Option<Item>),
    GraceOver,
    Flush,
}

/// A call's line and what the summary counts of it.
struct Done {
    finished: Finished,
    class: Class,
    latency: Option<Duration>,
    service_ms: Option<f64>,
    billed_ms: Option<f64>,
    retries: u32,
}

/// How each finished call becomes its line: through the one outcome renderer.
struct Render {
    style: Style,
}

impl Render {
    fn finished(&self, line: u64, outcome: Outcome) -> Done {
        let (class, service_ms, billed_ms) = match &outcome.answer {
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
        let shown = render::outcome(outcome.answer, &self.style, Layout::Line(line));
        Done {
            finished: Finished {
                line,
                text: shown.stdout,
                failure: shown.failure,
                request_id,
            },
            class,
            latency: Some(outcome.latency),
            service_ms,
            billed_ms,
            retries: outcome.retries,
        }
    }

    /// A line that was never sent: not JSON, or over the payload limit.
    fn invalid(&self, line: u64, failure: Failure) -> Done {
        let shown = render::outcome(Err(failure.into()), &self.style, Layout::Line(line));
        Done {
            finished: Finished {
                line,
                text: shown.stdout,
                failure: shown.failure,
                request_id: None,
            },
            class: Class::InvalidInput,
            latency: None,
            service_ms: None,
            billed_ms: None,
            retries: 0,
        }
    }
}

async fn sleep_until(deadline: Option<tokio::time::Instant>) {
    match deadline {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every line of `input` read with `cap`, as (what, the bytes kept).
    fn lines(input: &[u8], cap: usize) -> Vec<(Line, Vec<u8>)> {
        // A small buffer, so that lines span many reads.
        let mut reader = BufReader::with_capacity(3, input);
        let mut buffer = Vec::new();
        let mut all = Vec::new();
        loop {
            match read_line(&mut reader, &mut buffer, cap).unwrap() {
                Line::End => return all,
                line => all.push((line, buffer.clone())),
            }
        }
    }

    #[test]
    fn lines_are_kept_up_to_the_cap_and_the_rest_is_dropped() {
        let got = lines(b"{}\nabcdefghij\n\n[1]", 5);
        assert_eq!(
            got,
            [
                (Line::Whole, b"{}\n".to_vec()),
                (Line::Cut, b"abcde".to_vec()),
                (Line::Whole, b"\n".to_vec()),
                (Line::Whole, b"[1]".to_vec()),
            ]
        );
        // Whitespace beyond the cap is trimmed later, so it does not cut a line.
        assert_eq!(lines(b"12345 \r\n", 5), [(Line::Whole, b"12345".to_vec())]);
        assert_eq!(lines(b"", 5), []);
        // A line that never ends is one line, however long.
        let zeros = vec![0u8; 100_000];
        assert_eq!(lines(&zeros, 5), [(Line::Cut, vec![0u8; 5])]);
    }

    #[test]
    fn checks_name_the_limit_and_the_position() {
        assert!(check(b"[1,2]", 5).is_ok());
        assert!(
            check(b"[1,2,3]", 5)
                .unwrap_err()
                .contains("limit of 5 bytes")
        );
        let e = check(b"[\"\xff\"]", 10).unwrap_err();
        assert!(e.contains("invalid UTF-8 at line 1 column 3"), "{e}");
    }
}
