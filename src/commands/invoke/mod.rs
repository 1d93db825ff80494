//! `fgs invoke`: one call (with a spinner after a second), or many (`--batch`, `--repeat`),
//! to the service or to the function in a directory on this machine (`--local DIR`).
//!
//! | module | its one job |
//! | --- | --- |
//! | `mod.rs` | the entry points, [`run`] (the service) and [`run_local`], and what they share: how answers are shown, one call or many |
//! | [`single`] | one call: the spinner, Ctrl-C, `--async --wait`, and `--dry-run` |
//! | [`local`] | what `--local` adds: the flags it refuses, passed credentials, the debugger's port, the pool of instances |
//! | [`input`] | the payloads: `-d` or stdin for one call and for `--repeat`, the lines of a batch |
//! | [`saved`] | `--event NAME`: a saved test event, a file in `DIR/events/`, or a template |
//! | [`scheduler`] | many calls: up to `--concurrency` in flight, in input order, stopping on Ctrl-C |
//! | [`sink`] | a batch's lines written in order, the progress, the waits of `--wait`, the summary and the exit |

mod input;
mod local;
mod saved;
mod scheduler;
mod single;
mod sink;

use std::path::Path;
use std::sync::Arc;
use std::time::SystemTime;

use bytes::Bytes;

use clap::ArgMatches;

use super::block_on;
use crate::api::InvokeOptions;
use crate::call::{Caller, local_failure};
use crate::cli::{InvokeArgs, OutputMode};
use crate::cloud::client::Retry;
use crate::cloud::lookup::Lookup;
use crate::cloud::wait::{self, Schedule, Waiter};
use crate::error::{Failure, Kind};
use crate::local::{Function, MEMORY_SIZES, Overrides};
use crate::output::Output;
use crate::render::Style;
use crate::settings::{LocalSettings, Settings};

pub use local::{LOCAL_PROJECT, LOCAL_REGION};

/// `invoke`: the calls go to the service.
pub fn run(args: &InvokeArgs, settings: &Settings, out: &Output) -> Result<(), Failure> {
    if !args.run.env.is_empty() || args.run.env_file.is_some() || args.run.debug.is_some() {
        return Err(Failure::usage(
            "--env, --env-file and --debug go with --local DIR",
        ));
    }
    let target = settings.target(
        args.version.qualifier.as_deref(),
        args.version.alias.as_deref(),
    )?;
    if let Some(mb) = args.memory.filter(|mb| !MEMORY_SIZES.contains(mb)) {
        let sizes: Vec<String> = MEMORY_SIZES.iter().map(u32::to_string).collect();
        return Err(Failure::usage(format!(
            "--memory {mb} is not a size the service offers: {}",
            sizes.join(", ")
        )));
    }
    let read = match &args.event {
        Some(name) => saved::check_name(name).map(|()| None)?,
        None => Some(input::payload(args, out)?),
    };
    let now = SystemTime::now();
    let (session, notes) = settings.session(target.project, usize::from(args.concurrency), None);
    notes.tell(out);
    let session = Arc::new(session?);
    let (body, limit) = match (read, &args.event) {
        (Some(read), _) => read,
        (None, name) => {
            let name = name.as_deref().unwrap_or_default();
            let limit = input::limit(args);
            let shown = settings.function_text.as_ref().map_or_else(
                || target.urn.to_string(),
                |f| crate::sanitize::shown(&f.value),
            );
            let urn = target.urn.unqualified();
            let body = saved::cloud(name, &session, &urn, &shown, args.retries, limit, out)
                .map_err(|failure| two_readings(failure, settings))?;
            (body, limit)
        }
    };
    let options = InvokeOptions {
        asynchronous: args.asynchronous,
        log: !args.no_log,
        memory_mb: args.memory,
    };
    let style = style(args, &target.urn.to_string(), out);
    let waiter = if args.wait {
        let retry = Retry::new(args.retries.max(wait::POLL_RETRIES));
        let lookup = Lookup::new(session.clone(), retry);
        Some(Arc::new(Waiter {
            lookup,
            urn: target.urn.clone(),
            since: now.checked_sub(wait::CLOCK_MARGIN).unwrap_or(now),
            timeout: args.wait_timeout.unwrap_or(wait::DEFAULT_TIMEOUT),
            schedule: Schedule::from_env(),
        }))
    } else {
        None
    };
    let caller = Caller::new(
        session,
        &target.urn,
        options,
        Retry::new(args.retries),
        out.verbose,
    )?;
    if args.dry_run {
        return single::dry_run(&caller, body, now, out);
    }
    let call = Call {
        caller: Arc::new(caller),
        style,
        body,
        limit,
        waiter,
    };
    block_on(execute(args, call, out))?.map_err(|failure| two_readings(failure, settings))
}

/// A 404 for a function or package still named like the README's placeholders (`NAME`):
/// say so. A 404 for `A:B`: it was read as package `A`, function `B`; say so, and how to
/// name a version or alias of function `A` instead.
pub(super) fn two_readings(failure: Failure, settings: &Settings) -> Failure {
    if failure.kind == Kind::Refused(404)
        && let Some(function) = &settings.function
    {
        let function = &function.value;
        for (what, value) in [
            ("function's name", &function.name),
            ("package", &function.package),
        ] {
            if crate::urn::looks_like_placeholder(value) {
                return failure.with_hint(Some(format!(
                    "`{value}` looks like the README's placeholder: replace {value} with your {what} (`fgs list` shows the project's functions)"
                )));
            }
        }
    }
    let Some(given) = settings.function_text.as_ref().map(|f| f.value.trim()) else {
        return failure;
    };
    let Some((a, b)) = given.split_once(':') else {
        return failure;
    };
    if failure.kind != Kind::Refused(404) || given.starts_with("urn:") || b.contains(':') {
        return failure;
    }
    let hint = format!(
        "`{given}` was read as function `{b}` in package `{a}`; for version `{b}` of function `{a}`, give `{a} --qualifier {b}` (an alias: `{a}:!{b}` or `--alias {b}`)"
    );
    failure.with_hint(Some(hint))
}

/// `invoke --local DIR`: the same calls, answered by the function in DIR on this machine.
/// `cloud` resolves the cloud settings, needed only for a function that is passed the
/// caller's credentials (`pass_credentials = true`).
pub fn run_local(
    args: &InvokeArgs,
    dir: &Path,
    local: &LocalSettings,
    cloud: impl Fn() -> Result<Settings, Failure>,
    matches: &ArgMatches,
    out: &Output,
) -> Result<(), Failure> {
    local::check_flags(args, matches)?;
    for warning in &local.warnings {
        out.warn(warning);
    }
    let overrides = Overrides {
        env: args.run.env.clone(),
        env_file: args.run.env_file.clone(),
    };
    let (function, warnings) =
        Function::load(dir, &overrides, &local.interpreters).map_err(|e| local_failure(&e))?;
    for warning in &warnings {
        out.warn(warning);
    }
    if let Some((code, message)) = function.async_refusal().filter(|_| args.asynchronous) {
        return Err(Failure::new(
            Kind::Refused(400),
            anyhow::anyhow!("the service refuses the call: {code}: {message}"),
        )
        .with_hint(Some("leave out --async".into())));
    }
    let (body, limit) = match &args.event {
        Some(name) => {
            saved::check_name(name)?;
            let limit = input::limit(args);
            (saved::local(name, &function, &cloud, limit, out)?, limit)
        }
        None => input::payload(args, out)?,
    };
    let credentials = if function.pass_credentials {
        Some(local::passed_credentials(&cloud()?, out)?)
    } else {
        None
    };
    if args.run.debug.is_some() {
        crate::local::check_debugger(&function).map_err(|e| local_failure(&e))?;
    }
    let debug_port = local::debug_port(args, out)?;
    if let Some(note) = debug_port.and_then(|port| crate::local::debug_note(&function, port)) {
        out.info(&note);
    }
    let version = args.version.qualifier.as_deref();
    let urn = function
        .urn(LOCAL_REGION, LOCAL_PROJECT)
        .with_version(version.unwrap_or(&function.version))
        .to_string();
    let pool = local::pool(args, function, overrides, local, debug_port);
    let call = crate::local::Call {
        alias: args.version.alias.clone(),
        version: args.version.qualifier.clone(),
        credentials,
        ..crate::local::Call::default()
    };
    let invoke = InvokeOptions {
        asynchronous: args.asynchronous,
        log: !args.no_log,
        memory_mb: None,
    };
    let style = style(args, &urn, out);
    let caller = Arc::new(Caller::local(pool.clone(), call, invoke));
    block_on(async move {
        let call = Call {
            caller,
            style,
            body,
            limit,
            waiter: None,
        };
        let result = execute(args, call, out).await;
        // Every instance and its children stop before fgs does, whatever the outcome.
        pool.shutdown().await;
        result
    })?
}

/// How answers are shown: `-o` as given, else pretty on a terminal and raw in a pipe.
fn style(args: &InvokeArgs, urn: &str, out: &Output) -> Style {
    let mode = args.output.unwrap_or(if out.stdout_is_terminal {
        OutputMode::Pretty
    } else {
        OutputMode::Raw
    });
    Style {
        mode,
        no_fail: args.no_fail,
        function_urn: urn.to_string(),
        stdout_color: out.stdout_color,
        stdout_terminal: out.stdout_is_terminal,
        stderr_color: out.stderr_color,
    }
}

/// What a run sends and how it shows the answers.
struct Call {
    caller: Arc<Caller>,
    style: Style,
    /// The payload of one call or of every `--repeat` call.
    body: Bytes,
    /// The limit each payload must keep to.
    limit: usize,
    /// `--async --wait`: how to wait for the accepted calls.
    waiter: Option<Arc<Waiter>>,
}

/// One call, or a batch or repeat run.
async fn execute(args: &InvokeArgs, call: Call, out: &Output) -> Result<(), Failure> {
    let Call {
        caller,
        style,
        body,
        limit,
        waiter,
    } = call;
    let input = match (&args.batch, args.repeat) {
        (Some(path), _) => input::Input::Lines(path.clone()),
        (None, Some(count)) => input::Input::Repeat { count, body },
        (None, None) => return single::run(&caller, body, &style, waiter.as_deref(), out).await,
    };
    // People measuring latency with --repeat at a terminal want the numbers, not N copies
    // of one result; -o asks for them.
    let print_results = !(args.repeat.is_some() && out.stdout_is_terminal && args.output.is_none());
    let plan = scheduler::Plan {
        input,
        progress: args.progress,
        print_results,
        concurrency: usize::from(args.concurrency),
        style,
        summary_file: args.summary.clone(),
        limit,
        waiter,
    };
    // One thread: measured here, a second worker thread slowed a batch down (cross-thread
    // wake-ups cost more than the parallel work saves).
    scheduler::run(plan, caller, out).await
}
