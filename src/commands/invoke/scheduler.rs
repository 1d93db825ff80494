//! Many calls in one run: `--batch FILE` (one payload a line) and `--repeat N`.
//!
//! Up to `--concurrency` calls are in flight on one client and its kept-alive connections.
//! Results are written in input order as they complete, one line per input line, through a
//! bounded reorder window, so memory stays flat however long the input is. Ctrl-C stops new
//! calls, lets those in flight finish for a short grace, writes every finished line whole,
//! prints the summary and exits 130.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;

use super::input::{Input, Item, Source, check};
use super::sink::{Done, End, Finished, Render, Sink};
use crate::api::Answer;
use crate::call::Caller;
use crate::cloud::wait::{Record, Waiter};
use crate::error::Failure;
use crate::output::{FLUSH_EVERY, Output, ProgressMode};
use crate::render::Style;

/// How long calls in flight may finish after Ctrl-C.
const GRACE: Duration = Duration::from_secs(2);

/// A batch or repeat run, as its flags ask for it.
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

/// Run `plan`'s calls, then (with `--wait`) wait for them, and close with the summary.
pub async fn run(plan: Plan, caller: Arc<Caller>, out: &Output) -> Result<(), Failure> {
    let concurrency = plan.concurrency.max(1);
    let mode = out.progress_mode(plan.progress, caller.verbose);
    // Whatever shows progress shows the total when it is known.
    let counted = mode != ProgressMode::None;
    let (mut source, total) = Source::open(&plan.input, plan.limit, counted)?;
    let mut sink = Sink::new(
        out,
        // The run's clock starts here, for the progress and the summary alike.
        out.progress(total, mode),
        plan.print_results,
        plan.style.mode,
        plan.waiter.is_some(),
    );
    let calls = Calls {
        caller,
        render: Arc::new(Render { style: plan.style }),
        limit: plan.limit,
        out,
    };
    let (abandoned, mut interrupted) =
        schedule(&mut source, &mut sink, &calls, concurrency).await?;
    if let Some(waiter) = &plan.waiter
        && !interrupted
    {
        interrupted = sink.wait(waiter, concurrency, &calls.render.style).await?;
    }
    let end = End {
        abandoned,
        interrupted,
    };
    sink.close(end, plan.summary_file.as_deref())
}

/// The calls in flight, each a task that ends with its sequence number and its line.
type InFlight = FuturesUnordered<tokio::task::JoinHandle<(u64, Done)>>;

/// Keep up to `concurrency` calls in flight until the input ends, stdout closes or Ctrl-C
/// comes, and write each finished line in its turn. Returns how many calls were abandoned
/// in flight, and whether Ctrl-C ended the run.
async fn schedule(
    source: &mut Source,
    sink: &mut Sink<'_>,
    calls: &Calls<'_>,
    concurrency: usize,
) -> Result<(u64, bool), Failure> {
    let window = (concurrency * 8).max(64) as u64;
    let mut in_flight: InFlight = FuturesUnordered::new();
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
                calls.caller.stopping.store(true, Ordering::Relaxed);
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
                let Some(done) = calls.start(seq, item, &mut in_flight) else {
                    continue;
                };
                (seq, sink.count(done))
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
    Ok((abandoned, interrupted))
}

/// What each line's call needs: the caller, how its line is rendered, the payload limit.
struct Calls<'a> {
    caller: Arc<Caller>,
    render: Arc<Render>,
    limit: usize,
    out: &'a Output,
}

impl Calls<'_> {
    /// Start line `item`'s call, number `seq`, in flight; a payload that cannot be sent (not
    /// JSON, or over the limit) is its error line at once.
    fn start(&self, seq: u64, item: Item, in_flight: &mut InFlight) -> Option<Done> {
        match item.body.and_then(|b| check(&b, self.limit).map(|()| b)) {
            Ok(body) => {
                let line = item.line;
                let (caller, render, out) =
                    (self.caller.clone(), self.render.clone(), self.out.clone());
                // A task of its own: measured here, a batch ran twice as fast with
                // each call spawned as a task than polled inside the select of [`schedule`].
                in_flight.push(tokio::spawn(async move {
                    let outcome = caller.call(body, Some(line), &out).await;
                    // A local asynchronous call has ended: its line reports its record.
                    let ended = match &outcome.answer {
                        Ok(Answer::Accepted {
                            request_id: Some(id),
                            ..
                        }) => caller.local_record(id).map(|document| Record { document }),
                        _ => None,
                    };
                    (seq, render.finished(line, outcome, ended))
                }));
                None
            }
            Err(message) => Some(self.render.invalid(item.line, Failure::usage(message))),
        }
    }
}

/// What woke the scheduler up.
enum Event {
    Interrupt,
    Done(u64, Done),
    Item(Option<Item>),
    GraceOver,
    Flush,
}

/// Until `deadline`, or for ever without one.
async fn sleep_until(deadline: Option<tokio::time::Instant>) {
    match deadline {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}
