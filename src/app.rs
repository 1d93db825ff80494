//! The commands: `invoke`, `config show`, `config path`, `completions`.

use std::io::{IsTerminal, Read};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, SystemTime};

use anyhow::{Context, anyhow};
use clap::{ArgMatches, CommandFactory};

use crate::api::{self, ApiError, InvokeOptions};
use crate::batch;
use crate::call::{Answer, Caller};
use crate::cli::{Cli, Command, ConfigCommand, InvokeArgs, LoginArgs, OutputMode};
use crate::client::{Client, Retry};
use crate::credentials::{self, Credentials, Scope, Secret};
use crate::error::{Failure, Kind, OrKind};
use crate::login;
use crate::output::Output;
use crate::payload;
use crate::render;
use crate::settings::{self, Layers, LoginFlags, Sourced, Target};

/// Memory sizes the service documents for `X-Cff-Instance-Memory`.
const MEMORY_SIZES: &[u32] = &[
    128, 256, 512, 768, 1024, 1280, 1536, 1792, 2048, 2560, 3072, 3584, 4096, 8192, 10240,
];

pub fn run(cli: Cli, matches: &ArgMatches, out: &mut Output) -> Result<(), Failure> {
    let leaf = leaf(matches);
    match cli.command {
        Command::Invoke(args) => invoke(&args, leaf, out),
        Command::Login(args) => login(&args, leaf, out),
        Command::Logout { settings } => {
            let layers = Layers::load(&settings, None, leaf)?;
            let path = layers
                .login_cache_path
                .ok_or_else(|| Failure::usage("no cache directory: set HOME or XDG_CACHE_HOME"))?;
            let deleted = login::delete(&path).or_kind(Kind::Usage)?;
            out.info(&if deleted {
                format!("logged out: deleted {}\n", path.display())
            } else {
                format!("not logged in: {} does not exist\n", path.display())
            });
            Ok(())
        }
        Command::Config(ConfigCommand::Show { function, settings }) => {
            let layers = Layers::load(&settings, function.as_ref(), leaf)?;
            config_show(&layers, out)
        }
        Command::Config(ConfigCommand::Path { settings }) => {
            let layers = Layers::load(&settings, None, leaf)?;
            let path = layers.config_location().ok_or_else(|| {
                Failure::usage("no config file location: set HOME or XDG_CONFIG_HOME")
            })?;
            if !path.exists() {
                out.info(&format!(
                    "note: {} does not exist yet; fgs reads it once it does\n",
                    path.display()
                ));
            }
            out.stdout(format!("{}\n", path.display()).as_bytes())
                .or_kind(Kind::Usage)
        }
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "fgs", &mut script);
            out.stdout(&script).or_kind(Kind::Usage)
        }
    }
}

/// The matches of the innermost subcommand, where its flags live.
fn leaf(matches: &ArgMatches) -> &ArgMatches {
    match matches.subcommand() {
        Some((_, sub)) => leaf(sub),
        None => matches,
    }
}

fn invoke(args: &InvokeArgs, matches: &ArgMatches, out: &mut Output) -> Result<(), Failure> {
    out.quiet = args.quiet;
    let layers = Layers::load(&args.settings, args.function.as_ref(), matches)?;
    let target = Target::resolve(&layers, args.qualifier.as_deref(), args.alias.as_deref())?;
    if let Some(mb) = args.memory.filter(|mb| !MEMORY_SIZES.contains(mb)) {
        let sizes: Vec<String> = MEMORY_SIZES.iter().map(u32::to_string).collect();
        return Err(Failure::usage(format!(
            "--memory {mb} is not a size the service offers: {}",
            sizes.join(", ")
        )));
    }
    let connect_timeout = settings::parse_seconds(&args.connect_timeout)
        .map_err(|e| Failure::usage(format!("{e} (--connect-timeout)")))?;
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
    let body = match &args.batch {
        Some(_) => Vec::new(),
        None => {
            let stdin = std::io::stdin();
            let source = payload::Source::from_arg(args.data.as_deref(), stdin.is_terminal());
            payload::read(&source, stdin.lock(), limit).or_kind(Kind::Usage)?
        }
    };
    let now = SystemTime::now();
    let mut warnings = layers.warnings.clone();
    let scope = Scope {
        region: Some(&target.region),
        project_id: Some(&target.project_id),
    };
    let credentials = credentials::resolve(&layers, scope, now, true, &mut warnings);
    for warning in &warnings {
        out.warn(warning);
    }
    let options = InvokeOptions {
        asynchronous: args.asynchronous,
        log: !args.no_log,
        memory_mb: args.memory,
    };
    let ca_cert = read_ca_cert(&layers)?;
    let caller = Caller {
        client: Client::new(
            connect_timeout,
            target.timeout,
            ca_cert.as_deref(),
            usize::from(args.concurrency),
        )?,
        credentials: credentials?,
        target,
        options,
        retry: Retry::new(args.retries),
        verbose: args.verbose,
        stopping: AtomicBool::new(false),
    };
    if args.dry_run {
        let request = caller.request(body, now)?;
        return out.dry_run(&request).or_kind(Kind::Usage);
    }

    let input = match (&args.batch, args.repeat) {
        (Some(path), _) => batch::Input::Lines(path.clone()),
        (None, Some(count)) => batch::Input::Repeat { count, body },
        (None, None) => return block_on(single(&caller, body, mode, args.no_fail, out))?,
    };
    let plan = batch::Plan {
        input,
        concurrency: usize::from(args.concurrency),
        mode,
        no_fail: args.no_fail,
        summary_file: args.summary.clone(),
        limit,
    };
    // One thread: measured here, a second worker thread slowed a batch down (cross-thread
    // wake-ups cost more than the parallel work saves).
    block_on(batch::run(plan, Arc::new(caller), out))?
}

/// One call, with a spinner after a second on a terminal, and Ctrl-C as exit 130.
async fn single(
    caller: &Caller,
    body: Vec<u8>,
    mode: OutputMode,
    no_fail: bool,
    out: &Output,
) -> Result<(), Failure> {
    let started = std::time::Instant::now();
    let call = caller.call(&body, None, out);
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
            _ = &mut spin_after, if spinner.is_none() => {
                spinner = Some(out.spinner(waiting_for, started.elapsed()));
            }
            _ = &mut interrupt => break Err(Failure::new(Kind::Interrupted, anyhow!("interrupted"))),
        }
    };
    if let Some(Some(bar)) = &spinner {
        bar.finish_and_clear();
    }
    let outcome = outcome?;
    let urn = &caller.target.urn;
    match outcome.answer {
        Err(refusal) => {
            if mode == OutputMode::Json && refusal.api_error.is_some() {
                // The failure is the message that matters; a closed stdout changes nothing.
                let document =
                    render::failure_document(&refusal.failure, refusal.api_error.as_ref());
                let _ = out.stdout(&json_line(&document));
            }
            Err(refusal.failure)
        }
        Ok(Answer::Accepted {
            request_id,
            http_status,
        }) => {
            let shown = match mode {
                OutputMode::Json => json_line(&render::accepted_document(
                    request_id.as_deref(),
                    urn,
                    http_status,
                )),
                OutputMode::Raw | OutputMode::Pretty => {
                    render::with_newline(request_id.as_deref().unwrap_or_default().as_bytes())
                }
            };
            out.stdout(&shown)
                .context("writing to stdout")
                .or_kind(Kind::Usage)?;
            out.info(&format!(
                "accepted · HTTP {http_status} · request {}\n",
                request_id.as_deref().unwrap_or("unknown")
            ));
            Ok(())
        }
        Ok(Answer::Invoked(inv)) => {
            let shown = match mode {
                OutputMode::Raw => render::with_newline(&inv.result),
                OutputMode::Pretty => render::pretty_result(&inv.result, out.stdout_color),
                OutputMode::Json => json_line(&render::json_document(&inv, urn)),
            };
            out.stdout(&shown)
                .context("writing the result to stdout")
                .or_kind(Kind::Usage)?;
            if let Some(warning) = &inv.log_warning {
                out.warn(warning);
            }
            if let Some(log) = &inv.log {
                out.log(log);
            }
            out.info(&format!(
                "{}\n",
                render::summary_line(&inv, out.stderr_color)
            ));
            if inv.function_error && !no_fail {
                let code = inv.error_code.as_deref().unwrap_or("none");
                return Err(Failure::new(
                    Kind::FunctionError,
                    anyhow!("the function reported an error (error code {code})"),
                )
                .with_request_id(inv.request_id));
            }
            Ok(())
        }
    }
}

/// Run a future on a runtime of this thread.
fn block_on<F: std::future::Future>(future: F) -> Result<F::Output, Failure> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")
        .or_kind(Kind::Usage)?;
    Ok(runtime.block_on(future))
}

fn read_ca_cert(layers: &Layers) -> Result<Option<Vec<u8>>, Failure> {
    layers
        .ca_cert
        .as_ref()
        .map(|c| {
            std::fs::read(&c.value)
                .with_context(|| {
                    format!(
                        "reading the CA certificate {} (from {})",
                        c.value.display(),
                        c.source
                    )
                })
                .or_kind(Kind::Usage)
        })
        .transpose()
}

fn login(args: &LoginArgs, matches: &ArgMatches, out: &mut Output) -> Result<(), Failure> {
    let flags = LoginFlags {
        user: args.user.as_ref(),
        domain: args.domain.as_ref(),
        iam_endpoint: args.iam_endpoint.as_ref(),
    };
    let layers = Layers::load_with(&args.settings, None, flags, matches)?;
    for warning in &layers.warnings {
        out.warn(warning);
    }
    let user = layers.user.as_ref().ok_or_else(|| {
        Failure::usage("no user name: give --user, FGS_USER or `user` in the config file")
    })?;
    let domain = layers.domain.as_ref().ok_or_else(|| {
        Failure::usage(
            "no account (domain) name: give --domain, FGS_DOMAIN or `domain` in the config file",
        )
    })?;
    let region = layers.region(None)?.ok_or_else(|| {
        Failure::usage("no region: give --region, FGS_REGION or `region` in the config file")
    })?;
    let project_id = layers.project_id(None)?;
    let iam_endpoint = match &layers.iam_endpoint {
        Some(e) => settings::check_endpoint(&e.value)
            .map_err(|m| Failure::usage(format!("{m} (from {})", e.source)))?,
        None => {
            crate::urn::check_region(&region.value).map_err(Failure::usage)?;
            format!("https://iam.{}.myhuaweicloud.com", region.value)
        }
    };
    credentials::check_transport(&iam_endpoint, "the IAM endpoint", layers.allow_http)?;
    let cache = layers
        .login_cache_path
        .clone()
        .ok_or_else(|| Failure::usage("no cache directory: set HOME or XDG_CACHE_HOME"))?;
    let password = read_password(args.password_stdin)?;
    let scope = match &project_id {
        Some(p) => login::ProjectScope::Id(&p.value),
        None => login::ProjectScope::Name(&region.value),
    };
    let request = login::token_request(&iam_endpoint, &user.value, &domain.value, &password, scope);
    let timeout = layers.timeout()?.value.min(Duration::from_secs(60));
    let client = Client::new(
        Duration::from_secs(10),
        timeout,
        read_ca_cert(&layers)?.as_deref(),
        1,
    )?;
    let response = block_on(client.send(&request))??;
    if response.status != 201 && response.status != 200 {
        let error = ApiError::from_response(&response);
        let kind = match response.status {
            401 => Kind::LoginRefused,
            status => Kind::from_status(status),
        };
        let detail = error.message.unwrap_or_else(|| "no details given".into());
        let headline = if response.status == 401 {
            "the user name, account name or password was refused".to_string()
        } else {
            format!("IAM refused the login: {detail}")
        };
        return Err(Failure::new(
            kind,
            anyhow!(
                "HTTP {} from {} {}",
                response.status,
                request.method,
                request.url
            )
            .context(headline),
        )
        .with_request_id(error.request_id));
    }
    let issued = login::parse_issued(&response)
        .with_context(|| format!("reading the answer of {}", request.url))
        .or_kind(Kind::Service)?;
    let cached = login::CachedToken {
        token: issued.token.expose().to_string(),
        expires_at: issued.expires_at.clone(),
        region: region.value.clone(),
        project_id: issued.project_id.or(project_id.map(|p| p.value)),
        user: user.value.clone(),
        domain: domain.value.clone(),
    };
    login::save(&cache, &cached).or_kind(Kind::Usage)?;
    out.info(&format!(
        "logged in as {} ({}) for {}; token cached in {} until {}\n",
        user.value,
        domain.value,
        region.value,
        cache.display(),
        issued.expires_at
    ));
    Ok(())
}

/// The password: from stdin with `--password-stdin` (one line), else a prompt without echo.
fn read_password(from_stdin: bool) -> Result<Secret, Failure> {
    let text = if from_stdin {
        let mut text = String::new();
        std::io::stdin()
            .lock()
            .take(64 * 1024)
            .read_to_string(&mut text)
            .context("reading the password from stdin")
            .or_kind(Kind::Usage)?;
        text.lines().next().unwrap_or_default().to_string()
    } else {
        if !std::io::stdin().is_terminal() {
            return Err(Failure::new(
                Kind::NoTerminal,
                anyhow!("no terminal to ask for the password"),
            ));
        }
        rpassword::prompt_password("Password: ")
            .context("reading the password")
            .or_kind(Kind::NoTerminal)?
    };
    if text.is_empty() {
        return Err(Failure::usage("the password is empty"));
    }
    Secret::new(&text, "password").or_kind(Kind::Usage)
}

fn json_line(value: &serde_json::Value) -> Vec<u8> {
    let mut bytes = serde_json::to_vec(value).expect("a Value always serialises");
    bytes.push(b'\n');
    bytes
}

fn config_show(layers: &Layers, out: &Output) -> Result<(), Failure> {
    let function = layers.function_ref()?;
    let fref = function.as_ref().map(|f| &f.value);
    let region = layers.region(fref)?;
    let endpoint = layers.endpoint(region.as_ref())?;
    let project_id = layers.project_id(fref)?;
    let timeout = layers.timeout()?;
    let mut warnings = layers.warnings.clone();
    let scope = Scope {
        region: region.as_ref().map(|r| r.value.as_str()),
        project_id: project_id.as_ref().map(|p| p.value.as_str()),
    };
    let credentials = credentials::resolve(layers, scope, SystemTime::now(), false, &mut warnings);
    for warning in &warnings {
        out.warn(warning);
    }
    let row = |value: String, source: String| Some((value, source));
    let mut rows: Vec<(&str, Option<(String, String)>)> = vec![
        (
            "config file",
            layers
                .config_path()
                .map(|p| (p.value.display().to_string(), p.source.to_string())),
        ),
        ("profile", shown(layers.profile.as_ref())),
        ("function", shown(layers.function.as_ref())),
        ("project id", shown(project_id.as_ref())),
        ("region", shown(region.as_ref())),
        ("endpoint", shown(endpoint.as_ref())),
        (
            "timeout",
            row(
                format!("{} s", render::decimal(timeout.value.as_secs_f64())),
                timeout.source.to_string(),
            ),
        ),
        (
            "ca cert",
            layers
                .ca_cert
                .as_ref()
                .map(|c| (c.value.display().to_string(), c.source.to_string())),
        ),
    ];
    match &credentials {
        Err(e) => {
            let text = format!("{:#}", e.error);
            let shown = if e.kind == Kind::NoCredentials && text.starts_with("no credentials") {
                "(none found)".to_string()
            } else {
                format!("(unusable: {text})")
            };
            rows.push(("auth", row(shown, String::new())));
        }
        Ok(c) => {
            let source = c.source().to_string();
            rows.push(("auth", row(c.method().into(), source.clone())));
            match c {
                Credentials::Token { secret, .. } => {
                    rows.push(("token", row(secret.masked(), source)))
                }
                Credentials::TokenCommand { .. } => {
                    rows.push((
                        "token",
                        row("from token_command (not run here)".into(), source),
                    ));
                }
                Credentials::AkSk {
                    access_key,
                    secret_key,
                    security_token,
                    ..
                } => {
                    rows.push(("access key", row(access_key.masked(), source.clone())));
                    rows.push(("secret key", row(secret_key.masked(), source.clone())));
                    if let Some(t) = security_token {
                        rows.push(("security token", row(t.masked(), source)));
                    }
                }
                Credentials::Login {
                    secret, expires_at, ..
                } => {
                    rows.push(("token", row(secret.masked(), source.clone())));
                    rows.push(("expires", row(expires_at.clone(), source)));
                }
            }
        }
    }
    let mut text = String::new();
    for (name, row) in rows {
        let line = match row {
            Some((value, source)) if source.is_empty() => format!("{name:<14} {value}\n"),
            Some((value, source)) => format!("{name:<14} {value}  ({source})\n"),
            None => format!("{name:<14} (not set)\n"),
        };
        text.push_str(&line);
    }
    out.stdout(text.as_bytes()).or_kind(Kind::Usage)
}

fn shown(value: Option<&Sourced<String>>) -> Option<(String, String)> {
    value.map(|v| (v.value.clone(), v.source.to_string()))
}
