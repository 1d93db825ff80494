//! One call to the service or to a local function: a spinner after a second on a terminal,
//! Ctrl-C as exit 130, and with `--async --wait` the wait for the call that was accepted.
//! `--dry-run` prints the signed request instead of sending it.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use anyhow::{Context, anyhow};
use bytes::Bytes;

use crate::api::Answer;
use crate::call::Caller;
use crate::cli::OutputMode;
use crate::cloud::client::HEARD_REQUEST_ID;
use crate::cloud::wait::{self, Record, Waited, Waiter};
use crate::commands::block_on;
use crate::error::{Failure, Kind, OrKind};
use crate::output::Output;
use crate::render::{self, Layout, Style};

/// `--dry-run`: the request a call would send, signed, on stdout; nothing is sent.
pub(super) fn dry_run(
    caller: &Caller,
    body: Bytes,
    now: SystemTime,
    out: &Output,
) -> Result<(), Failure> {
    // Signing needs the keys: --auth metadata fetches them, as a token_command runs.
    block_on(caller.refresh_credentials(out))??;
    let request = caller.request(body, now)?;
    out.dry_run(&request)
        .context("writing to stdout")
        .or_kind(Kind::Local)
}

/// One call, with a spinner after a second on a terminal, and Ctrl-C as exit 130.
pub(super) async fn run(
    caller: &Caller,
    body: Bytes,
    style: &Style,
    waiter: Option<&Waiter>,
    out: &Output,
) -> Result<(), Failure> {
    let started = std::time::Instant::now();
    let heard = Arc::new(Mutex::new(None));
    let call = HEARD_REQUEST_ID.scope(heard.clone(), caller.call(body, None, out));
    tokio::pin!(call);
    let spin_after = tokio::time::sleep(Duration::from_secs(1));
    tokio::pin!(spin_after);
    let interrupt = tokio::signal::ctrl_c();
    tokio::pin!(interrupt);
    let mut spinner: Option<Option<indicatif::ProgressBar>> = None;
    let waiting_for = if caller.options.asynchronous {
        "waiting for the service"
    } else {
        "waiting for the function"
    };
    let outcome = loop {
        tokio::select! {
            outcome = &mut call => break Ok(outcome),
            () = &mut spin_after, if spinner.is_none() => {
                spinner = Some(out.spinner(waiting_for, started.elapsed()));
            }
            _ = &mut interrupt => {
                // The request may be on its way or running: say so, with its id when the
                // answer's headers came (the id comes with them). A local function stops
                // with fgs.
                let id = heard.lock().ok().and_then(|id| id.clone());
                let hint = if caller.is_local() {
                    Some("the local function was stopped with fgs, before it answered".to_string())
                } else {
                    (!caller.options.asynchronous).then(|| match id {
                        Some(_) => "the answer's headers came but not its body: the function may still be running".to_string(),
                        None => "the call was sent and the function may still be running; its request id comes with the answer, which did not arrive".to_string(),
                    })
                };
                break Err(Failure::new(Kind::Interrupted, anyhow!("interrupted"))
                    .with_request_id(id)
                    .with_hint(hint));
            }
        }
    };
    if let Some(Some(bar)) = &spinner {
        bar.finish_and_clear();
    }
    // With -o json the log and the summary are in the document: stderr keeps to warnings
    // and errors, unless -v asks for more.
    let on_stderr = style.mode != OutputMode::Json || out.verbose;
    let answer = outcome?.answer;
    // A local asynchronous call has ended: shown as `--async --wait` shows a call that did.
    let ended = match &answer {
        Ok(Answer::Accepted {
            request_id: Some(id),
            ..
        }) => caller
            .local_record(id)
            .map(|document| (id.clone(), Record { document })),
        _ => None,
    };
    if let Some((id, record)) = ended {
        if style.mode != OutputMode::Json {
            show(
                render::outcome(answer, style, Layout::Block),
                on_stderr,
                out,
            )?;
        }
        return finish_local(&record, &id, style, out);
    }
    if let (Some(waiter), Ok(Answer::Accepted { request_id, .. })) = (waiter, &answer) {
        let Some(id) = request_id.clone() else {
            return Err(Failure::new(
                Kind::Service,
                anyhow!(
                    "the service accepted the call but sent no request id: fgs cannot wait for it"
                ),
            ));
        };
        // The request id first, as `--async` prints it; `-o json` prints the final record.
        if style.mode != OutputMode::Json {
            show(
                render::outcome(answer, style, Layout::Block),
                on_stderr,
                out,
            )?;
        }
        let ended = waiter.wait_one(&id, out).await;
        return finish(ended, &id, waiter, style, out);
    }
    show(
        render::outcome(answer, style, Layout::Block),
        on_stderr,
        out,
    )
}

/// How one wait ended, shown: the final record on stdout (`-o json`) or its status line on
/// stderr; the failure a FAIL, DISCARD, timeout or Ctrl-C means.
fn finish(
    ended: Waited,
    id: &str,
    waiter: &Waiter,
    style: &Style,
    out: &Output,
) -> Result<(), Failure> {
    let settled = waiter.settle(ended, id, style.no_fail);
    if style.mode == OutputMode::Json {
        let document = settled.document(&waiter.urn);
        out.stdout(&render::document(document, style, Layout::Block))
            .context("writing to stdout")
            .or_kind(Kind::Local)?;
    } else {
        out.info(&format!(
            "{}\n",
            wait::status_line(settled.record.as_ref(), id, style.stderr_color)
        ));
    }
    settled.failure.map_or(Ok(()), Err)
}

/// [`finish`] for a local asynchronous call, which ended before its id was printed.
fn finish_local(record: &Record, id: &str, style: &Style, out: &Output) -> Result<(), Failure> {
    if style.mode == OutputMode::Json {
        out.stdout(&render::document(
            record.document.clone(),
            style,
            Layout::Block,
        ))
        .context("writing to stdout")
        .or_kind(Kind::Local)?;
    } else {
        out.info(&format!(
            "{}\n",
            wait::status_line(Some(record), id, style.stderr_color)
        ));
    }
    record.failure(id, style.no_fail).map_or(Ok(()), Err)
}

/// One call's output: the result on stdout, then the log and the summary on stderr.
fn show(shown: render::Shown, on_stderr: bool, out: &Output) -> Result<(), Failure> {
    let render::Shown {
        stdout,
        log,
        warning,
        summary,
        failure,
    } = shown;
    let written = out.stdout(&stdout).context("writing the result to stdout");
    let failure = match (&summary, failure) {
        // A refusal: the failure is the message that matters; a closed stdout changes nothing.
        (None, Some(failure)) => return Err(failure),
        (_, failure) => failure,
    };
    written.or_kind(Kind::Local)?;
    if let Some(warning) = &warning {
        out.warn(warning);
    }
    if on_stderr {
        if let Some(log) = &log {
            out.log(log);
        }
        if let Some(summary) = &summary {
            out.info(&format!("{summary}\n"));
        }
    }
    failure.map_or(Ok(()), Err)
}
