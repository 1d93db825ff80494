//! `fgs invoke`: one call (with a spinner after a second), or many (`--batch`, `--repeat`).

mod batch;

use std::io::IsTerminal;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime};

use anyhow::{Context, anyhow};
use bytes::Bytes;

use clap::ArgMatches;

use super::block_on;
use crate::api::{self, Answer, InvokeOptions};
use crate::call::{Caller, local_failure};
use crate::cli::{InvokeArgs, OutputMode};
use crate::cloud::client::{Client, Retry};
use crate::cloud::credentials::Credentials;
use crate::cloud::lookup::Lookup;
use crate::cloud::wait::{self, Schedule, Waited, Waiter};
use crate::error::{Failure, Kind, OrKind};
use crate::local::{
    self, Function, MEMORY_SIZES, Overrides, PassedCredentials, Pool, PoolOptions, StartOptions,
};
use crate::output::Output;
use crate::payload;
use crate::render::{self, Layout, Style};
use crate::settings::{LocalSettings, Settings};

/// The project and region a local function sees (`RUNTIME_PROJECT_ID`, its URN).
pub const LOCAL_PROJECT: &str = "local";
pub const LOCAL_REGION: &str = "local";

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
    let (body, limit) = payload(args, out)?;
    let now = SystemTime::now();
    let (credentials, notes) = settings.credentials(Some(&target.project), true);
    out.notes(&notes);
    let credentials = credentials?;
    let options = InvokeOptions {
        asynchronous: args.asynchronous,
        log: !args.no_log,
        memory_mb: args.memory,
    };
    let client = Client::new(
        settings.connect_timeout.value,
        target.project.timeout,
        settings.ca_cert_pem()?.as_deref(),
        usize::from(args.concurrency),
    )?;
    let style = style(args, &target.urn, out);
    let waiter = if args.wait {
        let retry = Retry::new(args.retries.max(wait::POLL_RETRIES));
        let lookup = Lookup::new(
            client.clone(),
            target.project.clone(),
            credentials.clone(),
            retry,
        );
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
        client,
        target,
        credentials,
        options,
        Retry::new(args.retries),
        out.verbose,
    )?;
    if args.dry_run {
        // Signing needs the keys: --auth metadata fetches them, as a token_command runs.
        block_on(caller.refresh_credentials(out))??;
        let request = caller.request(body, now)?;
        return out
            .dry_run(&request)
            .context("writing to stdout")
            .or_kind(Kind::Local);
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

/// A 404 for `A:B`: it was read as package `A`, function `B`; say so, and how to name a
/// version or alias of function `A` instead.
pub(super) fn two_readings(failure: Failure, settings: &Settings) -> Failure {
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
    cloud: impl FnOnce() -> Result<Settings, Failure>,
    matches: &ArgMatches,
    out: &Output,
) -> Result<(), Failure> {
    crate::settings::refuse_cloud_only(matches)?;
    if args.run.debug.is_some() && (args.batch.is_some() || args.repeat.is_some()) {
        return Err(Failure::usage(
            "--debug runs one call: leave out --batch and --repeat",
        ));
    }
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
    let (body, limit) = payload(args, out)?;
    let credentials = if function.pass_credentials {
        Some(passed_credentials(&cloud()?, out)?)
    } else {
        None
    };
    let debug_port = match args.run.debug {
        Some(port) => Some(match port {
            Some(port) => port,
            None => free_port()?,
        }),
        None => None,
    };
    if let Some(port) = debug_port {
        out.info(&format!(
            "waiting for a debugger on 127.0.0.1:{port} (the timeout is suspended)\n"
        ));
    }
    let urn = format!(
        "urn:fss:{LOCAL_REGION}:{LOCAL_PROJECT}:function:{}:{}:{}",
        function.package,
        function.name,
        args.version
            .qualifier
            .as_deref()
            .unwrap_or(&function.version)
    );
    let many = args.batch.is_some() || args.repeat.is_some();
    let instances = if many {
        usize::from(args.concurrency)
    } else {
        1
    };
    let options = PoolOptions {
        max_instances: instances,
        // A batch never has more calls in flight than its concurrency.
        queue: instances,
        reload: false,
        start: StartOptions {
            debug_port,
            project_id: LOCAL_PROJECT.into(),
            region: LOCAL_REGION.into(),
        },
    };
    let pool = Pool::new(function, overrides, local.interpreters.clone(), options);
    let call = local::Call {
        alias: args.version.alias.clone(),
        version: args.version.qualifier.clone(),
        credentials,
        ..local::Call::default()
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

/// The credentials a cloud call would use, handed to a function that asks for them.
fn passed_credentials(settings: &Settings, out: &Output) -> Result<PassedCredentials, Failure> {
    let (found, notes) = settings.credentials(None, true);
    let found = found?;
    out.notes(&notes);
    Ok(match found {
        Credentials::AkSk {
            access_key,
            secret_key,
            security_token,
            ..
        } => PassedCredentials {
            access_key: access_key.expose().to_string(),
            secret_key: secret_key.expose().to_string(),
            security_token: security_token
                .map(|t| t.expose().to_string())
                .unwrap_or_default(),
            token: String::new(),
        },
        Credentials::Token { secret, .. } | Credentials::Login { secret, .. } => {
            PassedCredentials {
                token: secret.expose().to_string(),
                ..PassedCredentials::default()
            }
        }
        Credentials::TokenCommand { source } => {
            return Err(Failure::usage(format!(
                "token_command from {source} was not run"
            )));
        }
        // Fetched once, for the whole run of the local function.
        Credentials::Metadata(metadata) => {
            block_on(metadata.refresh_if_needed(out))??;
            let keys = metadata.current().expect("fetched above");
            PassedCredentials {
                access_key: keys.access_key.expose().to_string(),
                secret_key: keys.secret_key.expose().to_string(),
                security_token: keys.security_token.expose().to_string(),
                token: String::new(),
            }
        }
    })
}

/// A loopback port nobody listens on now, for a debugger.
fn free_port() -> Result<u16, Failure> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .context("finding a free port for the debugger")
        .or_kind(Kind::Local)
}

/// The payload of a single call or of every `--repeat` call (a batch reads its own as it
/// goes), and the limit each payload must keep to.
fn payload(args: &InvokeArgs, out: &Output) -> Result<(Bytes, usize), Failure> {
    let limit = if args.asynchronous {
        api::ASYNC_LIMIT
    } else {
        payload::SYNC_LIMIT
    };
    if args.batch.is_some() {
        return Ok((Bytes::new(), limit));
    }
    let stdin = std::io::stdin();
    if args.ignore_stdin && args.data.as_deref() == Some("@-") {
        return Err(Failure::usage(
            "-d @- reads stdin, which --ignore-stdin rules out",
        ));
    }
    let source = payload::Source::from_arg(
        args.data.as_deref(),
        stdin.is_terminal() || args.ignore_stdin,
    );
    let waiting = (source == payload::Source::PipedStdin).then(|| wait_notice(out));
    let read = payload::read(&source, Watched::new(stdin.lock(), waiting.clone()), limit);
    if let Some(arrived) = waiting {
        arrived.store(true, Ordering::Relaxed);
    }
    let body = read.map_err(|e| {
        // `-d event.json` where `-d @event.json` was meant.
        let hint = match &source {
            payload::Source::Inline(d) if Path::new(d).is_file() => {
                Some(format!("did you mean -d @{d}?"))
            }
            _ => None,
        };
        Failure::new(Kind::Usage, e).with_hint(hint)
    })?;
    Ok((Bytes::from(body), limit))
}

/// How long piped stdin may stay silent before fgs says what it waits for.
const WAIT_NOTICE: Duration = Duration::from_secs(3);

/// Print once, after [`WAIT_NOTICE`] with nothing read from stdin, what fgs is waiting for;
/// the flag returned is set when something arrives.
fn wait_notice(out: &Output) -> Arc<AtomicBool> {
    let arrived = Arc::new(AtomicBool::new(false));
    let (flag, out) = (arrived.clone(), out.clone());
    std::thread::spawn(move || {
        std::thread::sleep(WAIT_NOTICE);
        if !flag.load(Ordering::Relaxed) {
            out.info("waiting for the payload on stdin (give -d, or --ignore-stdin)\n");
        }
    });
    arrived
}

/// stdin, noting when its first byte arrives.
struct Watched<R> {
    inner: R,
    arrived: Option<Arc<AtomicBool>>,
}

impl<R> Watched<R> {
    fn new(inner: R, arrived: Option<Arc<AtomicBool>>) -> Self {
        Watched { inner, arrived }
    }
}

impl<R: std::io::Read> std::io::Read for Watched<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(arrived) = &self.arrived {
            arrived.store(true, Ordering::Relaxed);
        }
        Ok(n)
    }
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
        (Some(path), _) => batch::Input::Lines(path.clone()),
        (None, Some(count)) => batch::Input::Repeat { count, body },
        (None, None) => return single(&caller, body, &style, waiter.as_deref(), out).await,
    };
    // People measuring latency with --repeat at a terminal want the numbers, not N copies
    // of one result; -o asks for them.
    let print_results = !(args.repeat.is_some() && out.stdout_is_terminal && args.output.is_none());
    let plan = batch::Plan {
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
    batch::run(plan, caller, out).await
}

/// One call, with a spinner after a second on a terminal, and Ctrl-C as exit 130.
async fn single(
    caller: &Caller,
    body: Bytes,
    style: &Style,
    waiter: Option<&Waiter>,
    out: &Output,
) -> Result<(), Failure> {
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
            _ = &mut interrupt => {
                // The request may be on its way or running: say so (its id comes only with
                // the answer, which never came).
                let hint = (!caller.options.asynchronous).then(|| {
                    "the call was sent and the function may still be running; its request id comes with the answer, which did not arrive".to_string()
                });
                break Err(Failure::new(Kind::Interrupted, anyhow!("interrupted")).with_hint(hint));
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
