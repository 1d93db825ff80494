//! What a local run (`invoke --local DIR`) needs beyond a cloud call: the flags it rules
//! out, the credentials passed to a function that asks for them, the debugger's port, and
//! the pool of the function's instances.

use anyhow::Context;
use clap::ArgMatches;

use crate::cli::InvokeArgs;
use crate::cloud::credentials::Credentials;
use crate::commands::block_on;
use crate::error::{Failure, Kind, OrKind};
use crate::local::{Function, Overrides, PassedCredentials, Pool, PoolOptions, StartOptions};
use crate::output::Output;
use crate::settings::{LocalSettings, Settings};

/// The project and region a local function sees (`RUNTIME_PROJECT_ID`, its URN).
pub const LOCAL_PROJECT: &str = "local";
pub const LOCAL_REGION: &str = "local";

/// Refuse what `--local` rules out: a flag that only a call to the service reads, and
/// `--debug` with more than one call.
pub(super) fn check_flags(args: &InvokeArgs, matches: &ArgMatches) -> Result<(), Failure> {
    crate::settings::refuse_cloud_only(matches)?;
    if args.run.debug.is_some() && (args.batch.is_some() || args.repeat.is_some()) {
        return Err(Failure::usage(
            "--debug runs one call: leave out --batch and --repeat",
        ));
    }
    Ok(())
}

/// The credentials a cloud call would use, handed to a function that asks for them.
pub(super) fn passed_credentials(
    settings: &Settings,
    out: &Output,
) -> Result<PassedCredentials, Failure> {
    let (found, notes) = settings.credentials(None, true);
    let found = found?;
    notes.tell(out);
    Ok(match found {
        Credentials::AkSk {
            access_key,
            secret_key,
            security_token,
            ..
        } => PassedCredentials {
            access_key: Some(access_key),
            secret_key: Some(secret_key),
            security_token,
            token: None,
        },
        Credentials::Token { secret, .. } | Credentials::Login { secret, .. } => {
            PassedCredentials {
                token: Some(secret),
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
                access_key: Some(keys.access_key.clone()),
                secret_key: Some(keys.secret_key.clone()),
                security_token: Some(keys.security_token.clone()),
                token: None,
            }
        }
    })
}

/// `--debug [PORT]`: the port a debugger attaches to (a free one when none is given),
/// announced on stderr.
pub(super) fn debug_port(args: &InvokeArgs, out: &Output) -> Result<Option<u16>, Failure> {
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
    Ok(debug_port)
}

/// A loopback port nobody listens on now, for a debugger.
fn free_port() -> Result<u16, Failure> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .context("finding a free port for the debugger")
        .or_kind(Kind::Local)
}

/// The function's instances: one for a single call, `--concurrency` for a batch or repeat
/// run.
pub(super) fn pool(
    args: &InvokeArgs,
    function: Function,
    overrides: Overrides,
    local: &LocalSettings,
    debug_port: Option<u16>,
) -> Pool {
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
        port_8000: None,
    };
    Pool::new(function, overrides, local.interpreters.clone(), options)
}
