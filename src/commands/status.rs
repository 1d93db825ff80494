//! `fgs status FUNCTION REQUEST_ID`: one asynchronous call's record, or (`--wait`) its
//! record once the call has finished.

use std::time::{Duration, SystemTime};

use anyhow::{Context, anyhow};
use serde_json::Value;

use super::block_on;
use crate::cli::{OutputMode, ShowMode, StatusArgs};
use crate::cloud::wait::{self, Record, Schedule, Settled, Status, Waited, Waiter};
use crate::error::{Failure, Kind, OrKind};
use crate::output::Output;
use crate::render::{self, Layout, Style};
use crate::sanitize;
use crate::settings::Settings;
use crate::urn::Urn;

pub fn run(args: &StatusArgs, settings: &Settings, out: &Output) -> Result<(), Failure> {
    let target = settings.target(
        args.version.qualifier.as_deref(),
        args.version.alias.as_deref(),
    )?;
    let retries = args.retries.unwrap_or(wait::POLL_RETRIES);
    let lookup = super::lookup(settings, retries, out)?;
    let back = args.since.unwrap_or(wait::DEFAULT_TIMEOUT);
    let waiter = Waiter {
        lookup,
        urn: target.urn,
        since: SystemTime::now()
            .checked_sub(back)
            .unwrap_or(SystemTime::UNIX_EPOCH),
        timeout: args.wait_timeout.unwrap_or(wait::DEFAULT_TIMEOUT),
        schedule: Schedule::from_env(),
    };
    let json = args.output == Some(ShowMode::Json);
    let style = Style {
        mode: if json {
            OutputMode::Json
        } else {
            OutputMode::Raw
        },
        no_fail: false,
        function_urn: waiter.urn.to_string(),
        stdout_color: out.stdout_color,
        stdout_terminal: out.stdout_is_terminal,
        stderr_color: out.stderr_color,
    };
    let id = args.request_id.trim();
    let found = block_on(async {
        if args.wait {
            return Ok(waiter.wait_one(id, out).await);
        }
        let interrupt = tokio::signal::ctrl_c();
        tokio::select! {
            found = waiter.record(id, out) => found.map(|r| match r {
                Some(record) => Waited::Done(record),
                None => Waited::TimedOut(None),
            }),
            _ = interrupt => Ok(Waited::Interrupted(None)),
        }
    })??;
    let failure = match found {
        Waited::Done(record) => return show(&record, id, args.wait, &style, out),
        Waited::Failed(failure) => failure,
        Waited::TimedOut(None) if !args.wait => not_found(id, &waiter, back),
        unfinished => {
            let failure = waiter
                .unfinished(&unfinished, id)
                .expect("neither done nor failed");
            // The last record seen, as it was, before the failure.
            if let Waited::TimedOut(Some(record)) = &unfinished {
                write(&record_text(record, id, &style), out)?;
            }
            failure
        }
    };
    if json {
        let document = render::failure_document(&failure, None, &waiter.urn.to_string());
        write(&render::document(document, &style, Layout::Block), out)?;
    }
    Err(failure)
}

/// No record of the call: exit 4, and where else to look.
fn not_found(id: &str, waiter: &Waiter, back: std::time::Duration) -> Failure {
    Failure::new(
        Kind::Refused(404),
        anyhow!(
            "no record of request {} for {} in the last {}",
            sanitize::shown(id),
            waiter.urn,
            wait::shown_duration(back)
        ),
    )
    .with_hint(Some(
        "records cover a limited time window: search further back with --since, and check the function, --qualifier/--alias and region".into(),
    ))
}

/// The record on stdout; with `--wait`, a failed call exits 1 (its error on stderr).
fn show(
    record: &Record,
    id: &str,
    waited: bool,
    style: &Style,
    out: &Output,
) -> Result<(), Failure> {
    write(&record_text(record, id, style), out)?;
    match record.failure(id, false) {
        Some(failure) if waited => Err(failure),
        _ => Ok(()),
    }
}

fn record_text(record: &Record, id: &str, style: &Style) -> Vec<u8> {
    if style.mode == OutputMode::Json {
        render::document(record.document.clone(), style, Layout::Block)
    } else {
        wait::details(record, id).into_bytes()
    }
}

fn write(bytes: &[u8], out: &Output) -> Result<(), Failure> {
    out.stdout(bytes)
        .context("writing to stdout")
        .or_kind(Kind::Local)
}

/// How a wait is shown, for `fgs status --wait` and `fgs invoke --async --wait` alike; the
/// waiting itself is the cloud client's ([`wait`]).
impl Waiter {
    /// Wait for one call, with its status and the time waited on a spinner (on a terminal).
    pub async fn wait_one(&self, request_id: &str, out: &Output) -> Waited {
        let spinner = out.spinner(
            &format!("{} · waiting", wait::short(request_id)),
            Duration::ZERO,
        );
        let ids = [request_id.to_string()];
        let waited = self
            .wait_all(&ids, 1, out, |latest| {
                if let Some(bar) = &spinner {
                    let status = latest[0].as_ref().map_or(Status::Wait, Record::status);
                    bar.set_message(format!("{} · {}", wait::short(request_id), status.name()));
                }
            })
            .await;
        if let Some(bar) = &spinner {
            bar.finish_and_clear();
        }
        waited.into_iter().next().expect("one id, one result")
    }
}

impl Settled {
    /// The `-o json` document of the wait: the final record of a call seen to finish, else
    /// the failure's document (a timeout, Ctrl-C, a lookup that failed).
    pub fn document(&self, urn: &Urn) -> Value {
        match (&self.record, &self.failure) {
            (Some(record), _) if self.finished => record.document.clone(),
            (_, Some(failure)) => render::failure_document(failure, None, &urn.to_string()),
            // A call not seen to finish always has its failure.
            (_, None) => Value::Null,
        }
    }
}
