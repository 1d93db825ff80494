//! `fgs serve DIR...`: load the function directories, bind the address, print what is
//! served, and run the server until SIGTERM or Ctrl-C.

use std::path::PathBuf;

use anyhow::{Context, anyhow};

use super::invoke::{LOCAL_PROJECT, LOCAL_REGION};
use crate::call::local_failure;
use crate::cli::ServeArgs;
use crate::error::{Failure, Kind, OrKind};
use crate::local::{Function, LocalError, Overrides, Pool, PoolOptions, Port8000, StartOptions};
use crate::output::Output;
use crate::secret::Secret;
use crate::server::{Server, Stopped};
use crate::settings::LocalSettings;

pub fn run(args: &ServeArgs, local: &LocalSettings, out: &Output) -> Result<(), Failure> {
    for warning in &local.warnings {
        out.warn(warning);
    }
    if !args.listen.ip().is_loopback() {
        if !args.allow_remote {
            return Err(Failure::usage(format!(
                "{} can be reached from other machines, and fgs serve runs code for whoever reaches it: give --allow-remote to do it anyway",
                args.listen
            )));
        }
        out.warn(&format!(
            "listening on {}: anyone who can reach it can run these functions",
            args.listen
        ));
    }
    let verify = if args.verify_aksk {
        Some(key_pair()?)
    } else {
        None
    };
    let overrides = Overrides {
        env: args.run.env.clone(),
        env_file: args.run.env_file.clone(),
    };
    let functions = load(args, &overrides, local, out)?;
    check_http(args, &functions, out)?;
    let options = pool_options(args);
    super::block_on(async move {
        let listener = tokio::net::TcpListener::bind(args.listen)
            .await
            .with_context(|| format!("listening on {}", args.listen))
            .or_kind(Kind::Usage)?;
        let address = listener
            .local_addr()
            .context("reading the address listened on")
            .or_kind(Kind::Local)?;
        let banner = banner(&format!("http://{address}"), &functions);
        let pools = functions
            .into_iter()
            .map(|function| {
                let key = (function.package.clone(), function.name.clone());
                let interpreters = local.interpreters.clone();
                let pool = Pool::new(function, overrides.clone(), interpreters, options.clone());
                (key, pool)
            })
            .collect();
        match Server::new(pools, (LOCAL_REGION, LOCAL_PROJECT), verify, out.clone())
            .run(listener, &banner)
            .await
        {
            Stopped::Terminated => Ok(()),
            Stopped::Interrupted => Err(Failure::new(Kind::Interrupted, anyhow!("interrupted"))),
        }
    })?
}

/// Every function to serve, loaded and checked; no two may have the same package and name.
fn load(
    args: &ServeArgs,
    overrides: &Overrides,
    local: &LocalSettings,
    out: &Output,
) -> Result<Vec<Function>, Failure> {
    let mut functions: Vec<Function> = Vec::new();
    // Functions of one runtime share its warnings (an interpreter of another version): once.
    let mut warned = std::collections::HashSet::new();
    for dir in directories(args, out)? {
        // A folder that is not a function (or not a working one) is skipped, said once.
        let (function, warnings) = match Function::load(&dir, overrides, &local.interpreters) {
            Ok(loaded) => loaded,
            Err(e @ LocalError::Setup(_)) => {
                out.warn(&format!("skipping {}: {e}", dir.display()));
                continue;
            }
            Err(e) => return Err(local_failure(&e)),
        };
        for warning in warnings {
            if warned.insert(warning.clone()) {
                out.warn(&warning);
            }
        }
        if let Some(other) = functions
            .iter()
            .find(|f| f.package == function.package && f.name == function.name)
        {
            return Err(Failure::usage(format!(
                "{} and {} are both function {}:{}; give one of them another `name` in function.toml",
                other.dir.display(),
                function.dir.display(),
                function.package,
                function.name
            )));
        }
        functions.push(function);
    }
    if functions.is_empty() {
        return Err(Failure::usage(
            "nothing to serve: no directory given holds a function",
        ));
    }
    Ok(functions)
}

/// How each function's pool runs: `--instances` (one under `--debug`, else one per core),
/// `--queue`, reload on change.
fn pool_options(args: &ServeArgs) -> PoolOptions {
    let instances = match (args.run.debug, args.instances) {
        (Some(_), _) => 1,
        (None, Some(n)) => usize::from(n),
        (None, None) => std::thread::available_parallelism().map_or(2, usize::from),
    };
    PoolOptions {
        max_instances: instances,
        queue: args.queue,
        reload: true,
        start: StartOptions {
            debug_port: args.run.debug.map(|p| p.unwrap_or(0)),
            project_id: LOCAL_PROJECT.into(),
            region: LOCAL_REGION.into(),
        },
        port_8000: Some(Port8000::default()),
    }
}

/// HTTP functions all listen on port 8000: each runs one instance, and two or more take
/// turns (said once, here).
fn check_http(args: &ServeArgs, functions: &[Function], out: &Output) -> Result<(), Failure> {
    let http: Vec<&Function> = functions.iter().filter(|f| f.is_http()).collect();
    if let (Some(n), Some(function)) = (args.instances.filter(|n| *n > 1), http.first()) {
        return Err(Failure::usage(format!(
            "--instances {n}: {} is an HTTP function, and an HTTP function listens on port 8000, the service's fixed port, so it runs one instance; leave out --instances, or serve the HTTP functions apart",
            function.name
        )));
    }
    if http.len() > 1 {
        let names: Vec<&str> = http.iter().map(|f| f.name.as_str()).collect();
        out.warn(&format!(
            "HTTP functions {} all listen on port 8000: one is warm at a time, and a call to another stops it first (once its calls in flight are done)",
            names.join(", ")
        ));
    }
    Ok(())
}

/// What is served and how to call it, printed once the server is ready.
fn banner(endpoint: &str, functions: &[Function]) -> String {
    let mut text = format!("fgs serve: listening on {endpoint}\n");
    for function in functions {
        let urn = function
            .urn(LOCAL_REGION, LOCAL_PROJECT)
            .with_version("latest");
        text.push_str(&format!(
            "  {}:{} ({}) from {}\n    fgs invoke {urn} --endpoint {endpoint} --token local -d '{{}}'\n",
            function.package,
            function.name,
            function.runtime,
            function.dir.display()
        ));
    }
    text.push_str(&format!(
        "  fgs list --endpoint {endpoint} --region {LOCAL_REGION} --project-id {LOCAL_PROJECT} --token local\n"
    ));
    text.push_str("any project id and token are accepted; SIGTERM or Ctrl-C stops\n");
    text
}

/// The directories to serve: as given, or with `--all` every subdirectory of each (but
/// hidden ones, such as `.git`).
fn directories(args: &ServeArgs, out: &Output) -> Result<Vec<PathBuf>, Failure> {
    if !args.all {
        return Ok(args.dirs.clone());
    }
    let mut dirs = Vec::new();
    for parent in &args.dirs {
        let entries = std::fs::read_dir(parent)
            .with_context(|| format!("reading the directory {}", parent.display()))
            .or_kind(Kind::Usage)?;
        let mut found: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_dir())
            .filter(|p| {
                !p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            })
            .collect();
        found.sort();
        if found.is_empty() {
            out.warn(&format!(
                "skipping {}: it has no subdirectories to serve",
                parent.display()
            ));
        }
        dirs.extend(found);
    }
    Ok(dirs)
}

/// `--verify-aksk`: the key pair from `HUAWEICLOUD_SDK_AK` and `HUAWEICLOUD_SDK_SK`.
fn key_pair() -> Result<(Secret, Secret), Failure> {
    let get = |name: &str| {
        let value = std::env::var(name).unwrap_or_default();
        if value.is_empty() {
            return Err(Failure::usage(format!(
                "--verify-aksk needs the key pair in HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK: {name} is not set"
            )));
        }
        Secret::new(&value, name).or_kind(Kind::Usage)
    };
    Ok((get("HUAWEICLOUD_SDK_AK")?, get("HUAWEICLOUD_SDK_SK")?))
}
