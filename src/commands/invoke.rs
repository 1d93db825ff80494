//! `fgs invoke`: one call (with a spinner after a second), or many (`--batch`, `--repeat`).

use std::io::IsTerminal;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use anyhow::{Context, anyhow};
use bytes::Bytes;

use super::{batch, block_on, read_ca_cert};
use crate::api::{self, InvokeOptions};
use crate::call::Caller;
use crate::cli::{InvokeArgs, OutputMode};
use crate::client::{Client, Retry};
use crate::credentials::{self, Scope};
use crate::error::{Failure, Kind, OrKind};
use crate::output::Output;
use crate::payload;
use crate::render::{self, Layout, Style};
use crate::settings::Settings;

/// Memory sizes the service documents for `X-Cff-Instance-Memory`.
const MEMORY_SIZES: &[u32] = &[
    128, 256, 512, 768, 1024, 1280, 1536, 1792, 2048, 2560, 3072, 3584, 4096, 8192, 10240,
];

pub fn run(args: &InvokeArgs, settings: &Settings, out: &Output) -> Result<(), Failure> {
    let target = settings.target(args.qualifier.as_deref(), args.alias.as_deref())?;
    if let Some(mb) = args.memory.filter(|mb| !MEMORY_SIZES.contains(mb)) {
        let sizes: Vec<String> = MEMORY_SIZES.iter().map(u32::to_string).collect();
        return Err(Failure::usage(format!(
            "--memory {mb} is not a size the service offers: {}",
            sizes.join(", ")
        )));
    }
    let mode = args.output.unwrap_or(if out.stdout_is_terminal {
        OutputMode::Pretty
    } else {
        OutputMode::Raw
    });
    let limit = if args.asynchronous {
        api::ASYNC_LIMIT
    } else {
        payload::SYNC_LIMIT
    };

    // A batch reads its payloads as it goes; everything else reads one now.
    let body = if args.batch.is_some() {
        Bytes::new()
    } else {
        let stdin = std::io::stdin();
        let source = payload::Source::from_arg(args.data.as_deref(), stdin.is_terminal());
        Bytes::from(payload::read(&source, stdin.lock(), limit).or_kind(Kind::Usage)?)
    };
    let now = SystemTime::now();
    let mut warnings = settings.warnings.clone();
    let scope = Scope {
        region: Some(&target.region),
        project_id: Some(&target.project_id),
    };
    let credentials = credentials::resolve(&settings.credentials, scope, now, true, &mut warnings);
    for warning in &warnings {
        out.warn(warning);
    }
    let options = InvokeOptions {
        asynchronous: args.asynchronous,
        log: !args.no_log,
        memory_mb: args.memory,
    };
    let client = Client::new(
        settings.connect_timeout.value,
        target.timeout,
        read_ca_cert(settings)?.as_deref(),
        usize::from(args.concurrency),
    )?;
    let style = Style {
        mode,
        no_fail: args.no_fail,
        function_urn: target.urn.clone(),
        stdout_color: out.stdout_color,
        stderr_color: out.stderr_color,
    };
    let caller = Caller::new(
        client,
        target,
        credentials?,
        options,
        Retry::new(args.retries),
        out.verbose,
    )?;
    if args.dry_run {
        let request = caller.request(body, now)?;
        return out
            .dry_run(&request)
            .context("writing to stdout")
            .or_kind(Kind::Local);
    }

    let input = match (&args.batch, args.repeat) {
        (Some(path), _) => batch::Input::Lines(path.clone()),
        (None, Some(count)) => batch::Input::Repeat { count, body },
        (None, None) => return block_on(single(&caller, body, &style, out))?,
    };
    let plan = batch::Plan {
        input,
        concurrency: usize::from(args.concurrency),
        style,
        summary_file: args.summary.clone(),
        limit,
    };
    // One thread: measured here, a second worker thread slowed a batch down (cross-thread
    // wake-ups cost more than the parallel work saves).
    block_on(batch::run(plan, Arc::new(caller), out))?
}

/// One call, with a spinner after a second on a terminal, and Ctrl-C as exit 130.
async fn single(caller: &Caller, body: Bytes, style: &Style, out: &Output) -> Result<(), Failure> {
    let started = std::time::Instant::now();
    let call = caller.call(body, None, out);
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
            _ = &mut interrupt => break Err(Failure::new(Kind::Interrupted, anyhow!("interrupted"))),
        }
    };
    if let Some(Some(bar)) = &spinner {
        bar.finish_and_clear();
    }
    show(render::outcome(outcome?.answer, style, Layout::Block), out)
}

/// One call's output: the result on stdout, then the log and the summary on stderr.
fn show(shown: render::Shown, out: &Output) -> Result<(), Failure> {
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
    if let Some(log) = &log {
        out.log(log);
    }
    if let Some(summary) = &summary {
        out.info(&format!("{summary}\n"));
    }
    failure.map_or(Ok(()), Err)
}
