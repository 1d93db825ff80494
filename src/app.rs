//! The commands: `invoke`, `config show`, `config path`, `completions`.

use std::io::IsTerminal;
use std::time::Duration;

use anyhow::{Context, anyhow};
use clap::{ArgMatches, CommandFactory};

use crate::api::{self, ApiError, Invocation, InvokeOptions};
use crate::cli::{Cli, Command, ConfigCommand, InvokeArgs, OutputMode};
use crate::client::Client;
use crate::error::{Failure, Kind, OrKind};
use crate::output::Output;
use crate::payload;
use crate::render;
use crate::settings::{self, Layers, Sourced, Target};

/// Memory sizes the service documents for `X-Cff-Instance-Memory`.
const MEMORY_SIZES: &[u32] = &[
    128, 256, 512, 768, 1024, 1280, 1536, 1792, 2048, 2560, 3072, 3584, 4096, 8192, 10240,
];

pub fn run(cli: Cli, matches: &ArgMatches, out: &mut Output) -> Result<(), Failure> {
    let leaf = leaf(matches);
    match cli.command {
        Command::Invoke(args) => invoke(&args, leaf, out),
        Command::Config(ConfigCommand::Show { function, settings }) => {
            let layers = Layers::load(&settings, function.as_ref(), leaf)?;
            config_show(&layers, out)
        }
        Command::Config(ConfigCommand::Path { settings }) => {
            let layers = Layers::load(&settings, None, leaf)?;
            let path = layers.config_path().ok_or_else(|| {
                Failure::usage("no config file: none was given and the default one does not exist")
            })?;
            out.stdout(format!("{}\n", path.value.display()).as_bytes())
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

    let stdin = std::io::stdin();
    let source = payload::Source::from_arg(args.data.as_deref(), stdin.is_terminal());
    let body = payload::read(&source, stdin.lock(), payload::SYNC_LIMIT).or_kind(Kind::Usage)?;
    let token = layers.token()?;

    let options = InvokeOptions {
        log: !args.no_log,
        memory_mb: args.memory,
    };
    let request = api::invoke_request(
        &target.endpoint,
        &target.project_id,
        &target.urn,
        &token.value,
        &options,
        body,
    );
    if args.dry_run {
        return out.dry_run(&request).or_kind(Kind::Usage);
    }
    if args.verbose {
        out.verbose_request(&request);
    }
    let response = Client::new(connect_timeout, target.timeout)?.send(&request)?;
    if args.verbose {
        out.verbose_response(&response);
    }
    if !(200..300).contains(&response.status) {
        return Err(refused(&response, &request, mode, out));
    }

    let inv = Invocation::from_response(&response);
    let shown = match mode {
        OutputMode::Raw => render::with_newline(&inv.result),
        OutputMode::Pretty => render::pretty_result(&inv.result, out.stdout_color),
        OutputMode::Json => json_line(&render::json_document(&inv, &target.urn)),
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
    if inv.function_error && !args.no_fail {
        let code = inv.error_code.as_deref().unwrap_or("none");
        return Err(Failure::new(
            Kind::FunctionError,
            anyhow!("the function reported an error (error code {code})"),
        )
        .with_request_id(inv.request_id));
    }
    Ok(())
}

/// A non-2xx answer: the error document on stdout in json mode, and the failure.
fn refused(
    response: &api::Response,
    request: &api::Request,
    mode: OutputMode,
    out: &Output,
) -> Failure {
    let error = ApiError::from_response(response);
    if mode == OutputMode::Json {
        // The failure below is the message that matters; a closed stdout changes nothing.
        let _ = out.stdout(&json_line(&render::error_document(&error)));
    }
    let kind = Kind::from_status(error.http_status);
    let headline = match kind {
        Kind::AuthRefused(_) => "the credentials were refused",
        Kind::Refused(_) => "the service refused the request",
        _ => "the service failed",
    };
    let detail = match (&error.code, &error.message) {
        (Some(code), Some(message)) => format!("{code}: {message}"),
        (Some(code), None) => code.clone(),
        (None, Some(message)) => message.clone(),
        (None, None) => "no details given".into(),
    };
    let status = format!("HTTP {} {}", response.status, response.reason);
    Failure::new(
        kind,
        anyhow!("{status} from {} {}", request.method, request.url)
            .context(format!("{headline}: {detail}")),
    )
    .with_request_id(error.request_id)
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
    let token = match layers.token() {
        Ok(t) => Some(Sourced {
            value: t.value.masked(),
            source: t.source,
        }),
        Err(e) if e.kind == Kind::NoCredentials => None,
        Err(e) => return Err(e),
    };
    let timeout = layers.timeout()?;
    let rows: Vec<(&str, Option<(String, String)>)> = vec![
        (
            "config file",
            layers
                .config_path()
                .map(|p| (p.value.display().to_string(), p.source.to_string())),
        ),
        ("profile", shown(layers.profile.as_ref())),
        ("function", shown(layers.function.as_ref())),
        ("project id", shown(layers.project_id(fref)?.as_ref())),
        ("region", shown(region.as_ref())),
        ("endpoint", shown(endpoint.as_ref())),
        ("token", shown(token.as_ref())),
        (
            "timeout",
            Some((
                format!("{} s", trim_duration(timeout.value)),
                timeout.source.to_string(),
            )),
        ),
    ];
    let mut text = String::new();
    for (name, row) in rows {
        let line = match row {
            Some((value, source)) => format!("{name:<12} {value}  ({source})\n"),
            None => format!("{name:<12} (not set)\n"),
        };
        text.push_str(&line);
    }
    out.stdout(text.as_bytes()).or_kind(Kind::Usage)
}

fn shown(value: Option<&Sourced<String>>) -> Option<(String, String)> {
    value.map(|v| (v.value.clone(), v.source.to_string()))
}

fn trim_duration(d: Duration) -> String {
    let text = format!("{:.3}", d.as_secs_f64());
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}
