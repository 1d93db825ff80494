//! Dynamic completion of what only the service knows: function names, and a function's
//! versions (`--qualifier`) and aliases (`--alias`).
//!
//! A Tab press runs `fgs` with the words typed so far (clap's `CompleteEnv`). The words
//! before the one being completed are parsed leniently for the settings (`--profile`,
//! `--region`, `--endpoint`, ...), which resolve as for any command. Answers are cached per
//! profile and region in `$XDG_CACHE_HOME/fgs/` for [`CACHE_FOR`], so a Tab press costs one
//! API call at most every 10 minutes. Anything that goes wrong (no credentials, no network,
//! a slow service) completes nothing and prints nothing, and no Tab press waits longer than
//! [`DEADLINE`].

use std::ffi::{OsStr, OsString};
use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime};

use clap::builder::StyledStr;
use clap::{ArgMatches, CommandFactory, FromArgMatches};
use clap_complete::engine::{ArgValueCompleter, CompletionCandidate};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::cli::{Cli, GlobalArgs, LoginSettingsArgs, SettingsArgs};
use crate::config_file;
use crate::lookup::Lookup;
use crate::output::Output;
use crate::settings::Settings;

/// How long an answer is used before it is asked for again.
pub const CACHE_FOR: Duration = Duration::from_secs(10 * 60);
/// The longest a Tab press waits for the service.
pub const DEADLINE: Duration = Duration::from_secs(2);

/// The command line with the completers that ask the service; the factory of clap's
/// `CompleteEnv`. (They are added here, not in `cli`, which the settings below depend on.)
pub fn command() -> clap::Command {
    let mut command = Cli::command();
    for name in ["invoke", "info", "status"] {
        // `mut_args` edits in place: `mut_arg` would move the argument last, and with it a
        // positional's index.
        command = command.mut_subcommand(name, |sub| {
            sub.mut_args(|arg| {
                let completer = match arg.get_id().as_str() {
                    "function" => ArgValueCompleter::new(functions),
                    "qualifier" => ArgValueCompleter::new(versions),
                    "alias" => ArgValueCompleter::new(aliases),
                    _ => return arg,
                };
                arg.add(completer)
            })
        });
    }
    command
}

/// `FUNCTION`: the project's functions, as `NAME` (package `default`) or `PACKAGE:NAME`; their
/// full URNs once the word starts with `urn:`.
pub fn functions(current: &OsStr) -> Vec<CompletionCandidate> {
    let current = current.to_string_lossy();
    let Some(found) = answer(Wanted::Functions) else {
        return Vec::new();
    };
    found
        .iter()
        .filter_map(|f| {
            let value = if current.starts_with("urn:") {
                f.urn.clone()
            } else if f.package == "default" {
                f.name.clone()
            } else {
                format!("{}:{}", f.package, f.name)
            };
            value
                .starts_with(current.as_ref())
                .then(|| CompletionCandidate::new(value).help(f.help.clone().map(StyledStr::from)))
        })
        .collect()
}

/// `--qualifier`: the versions of the function named on the command line.
pub fn versions(current: &OsStr) -> Vec<CompletionCandidate> {
    named(Wanted::Versions, current)
}

/// `--alias`: the aliases of the function named on the command line.
pub fn aliases(current: &OsStr) -> Vec<CompletionCandidate> {
    named(Wanted::Aliases, current)
}

fn named(wanted: Wanted, current: &OsStr) -> Vec<CompletionCandidate> {
    let current = current.to_string_lossy();
    answer(wanted)
        .unwrap_or_default()
        .into_iter()
        .filter(|item| item.name.starts_with(current.as_ref()))
        .map(|item| CompletionCandidate::new(item.name).help(item.help.map(StyledStr::from)))
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wanted {
    Functions,
    Versions,
    Aliases,
}

/// One thing to offer: a function (with its package and URN), a version or an alias.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
struct Item {
    name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    package: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    urn: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    help: Option<String>,
}

/// One cached answer: what was asked (the request's URL, which names the project, the
/// endpoint and the function), when, and what came back.
#[derive(Debug, Serialize, Deserialize)]
struct Cached {
    url: String,
    fetched: u64,
    items: Vec<Item>,
}

/// The answer for `wanted`, from the cache when it is fresh, else from the service within
/// the deadline. `None` when it cannot be had.
fn answer(wanted: Wanted) -> Option<Vec<Item>> {
    let start = Instant::now();
    let (global, settings_args, function, matches) = typed_so_far()?;
    let settings = Settings::resolve(
        &global,
        &settings_args,
        function.as_ref(),
        &LoginSettingsArgs::default(),
        &matches,
    )
    .ok()?;
    let urn = match wanted {
        Wanted::Functions => None,
        Wanted::Versions | Wanted::Aliases => Some(settings.target(None, None).ok()?.urn),
    };
    let quiet = Output::new(crate::cli::ColorChoice::Never, true, false);
    let lookup = Lookup::quiet(&settings, DEADLINE).ok()?;
    let url = match (wanted, &urn) {
        (Wanted::Functions, _) => lookup.url("", &[]),
        (Wanted::Versions, Some(urn)) => lookup.url(&format!("/{urn}/versions"), &[]),
        (Wanted::Aliases, Some(urn)) => lookup.url(&format!("/{urn}/aliases"), &[]),
        _ => return None,
    }
    .ok()?
    .to_string();
    let path = cache_path(&settings, &lookup.project.region, wanted, urn.as_deref())?;
    if let Some(items) = fresh(&path, &url) {
        return Some(items);
    }
    let left = DEADLINE.checked_sub(start.elapsed())?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .ok()?;
    let items = runtime.block_on(async {
        let fetch = async {
            match (wanted, urn.as_deref()) {
                (Wanted::Functions, _) => lookup
                    .functions(None, &quiet)
                    .await
                    .map(|found| found.iter().filter_map(function_item).collect()),
                (Wanted::Versions, Some(urn)) => lookup
                    .versions(urn, &quiet)
                    .await
                    .map(|found| found.iter().filter_map(version_item).collect()),
                (Wanted::Aliases, Some(urn)) => lookup
                    .aliases(urn, &quiet)
                    .await
                    .map(|found| found.iter().filter_map(alias_item).collect()),
                _ => Ok(Vec::new()),
            }
        };
        tokio::time::timeout(left, fetch).await.ok()?.ok()
    })?;
    store(&path, &url, &items);
    Some(items)
}

/// The words before the one being completed, parsed leniently: the global flags, the
/// subcommand's settings flags, its FUNCTION, and the matches that tell flags from
/// environment variables.
fn typed_so_far() -> Option<(GlobalArgs, SettingsArgs, Option<String>, ArgMatches)> {
    let args: Vec<OsString> = std::env::args_os().collect();
    let at = args.iter().position(|a| a == "--")?;
    let words = &args[at + 1..];
    let index = std::env::var("_CLAP_COMPLETE_INDEX")
        .ok()
        .and_then(|i| i.parse::<usize>().ok())
        .unwrap_or(words.len().saturating_sub(1))
        .min(words.len());
    let before = &words[..index];
    let matches = Cli::command()
        .ignore_errors(true)
        .try_get_matches_from(before)
        .ok()?;
    let global = GlobalArgs::from_arg_matches(&matches).ok()?;
    let mut leaf = &matches;
    while let Some((_, sub)) = leaf.subcommand() {
        leaf = sub;
    }
    let settings = SettingsArgs::from_arg_matches(leaf).ok()?;
    let function = leaf
        .try_get_one::<String>("function")
        .ok()
        .flatten()
        .cloned();
    Some((global, settings, function, leaf.clone()))
}

/// `$XDG_CACHE_HOME/fgs/complete-{profile}-{region}-{what}.json`; versions and aliases are
/// cached per function.
fn cache_path(
    settings: &Settings,
    region: &str,
    wanted: Wanted,
    urn: Option<&str>,
) -> Option<PathBuf> {
    let profile = settings.profile.as_ref().map_or("default", |p| &p.value);
    let what = match (wanted, urn) {
        (Wanted::Functions, _) => "functions".to_string(),
        (Wanted::Versions, Some(urn)) => format!("versions-{}", function_part(urn)),
        (Wanted::Aliases, Some(urn)) => format!("aliases-{}", function_part(urn)),
        _ => return None,
    };
    let dir = config_file::cache_dir(
        std::env::var_os("XDG_CACHE_HOME").map(PathBuf::from),
        dirs::home_dir(),
    )?;
    Some(dir.join(config_file::file_safe(&format!(
        "complete-{profile}-{region}-{what}.json"
    ))))
}

/// `PACKAGE-NAME` of a URN, for a file name.
fn function_part(urn: &str) -> String {
    let fields: Vec<&str> = urn.split(':').collect();
    match fields.get(5..7) {
        Some([package, name]) => format!("{package}-{name}"),
        _ => urn.to_string(),
    }
}

/// The cached items, when the file answers this same request and is younger than
/// [`CACHE_FOR`].
fn fresh(path: &std::path::Path, url: &str) -> Option<Vec<Item>> {
    let bytes = config_file::read_limited(path).ok()?;
    let cached: Cached = serde_json::from_slice(&bytes).ok()?;
    let age = now_secs().checked_sub(cached.fetched)?;
    (cached.url == url && age < CACHE_FOR.as_secs()).then_some(cached.items)
}

fn store(path: &std::path::Path, url: &str, items: &[Item]) {
    let cached = Cached {
        url: url.to_string(),
        fetched: now_secs(),
        items: items.to_vec(),
    };
    if let Ok(bytes) = serde_json::to_vec(&cached) {
        // A cache that cannot be written costs the next Tab press a call, nothing more.
        let _ = config_file::write_private(path, &bytes);
    }
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn text(value: &Value, key: &str) -> Option<String> {
    value
        .get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(crate::sanitize::shown)
}

fn function_item(function: &Value) -> Option<Item> {
    let name = text(function, "func_name")?;
    let help = match (text(function, "runtime"), text(function, "description")) {
        (Some(r), Some(d)) => Some(format!("{r}: {d}")),
        (r, d) => r.or(d),
    };
    Some(Item {
        package: text(function, "package").unwrap_or_else(|| "default".into()),
        urn: text(function, "func_urn").unwrap_or_default(),
        name,
        help,
    })
}

fn version_item(version: &Value) -> Option<Item> {
    Some(Item {
        name: text(version, "version")?,
        help: text(version, "version_description").or_else(|| text(version, "description")),
        ..Item::default()
    })
}

fn alias_item(alias: &Value) -> Option<Item> {
    let version = text(alias, "version");
    Some(Item {
        name: text(alias, "name")?,
        help: version.map(|v| format!("version {v}")),
        ..Item::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn functions_outside_the_default_package_are_offered_with_it() {
        let item = function_item(&json!({"func_name": "hello", "package": "shop",
            "func_urn": "urn:fss:r:p:function:shop:hello", "runtime": "Python3.9"}))
        .unwrap();
        assert_eq!(item.package, "shop");
        assert_eq!(item.help.as_deref(), Some("Python3.9"));
        assert!(function_item(&json!({"package": "x"})).is_none());
    }

    #[test]
    fn cache_file_names_carry_the_function() {
        assert_eq!(
            function_part("urn:fss:cn-north-4:p:function:default:hello:latest"),
            "default-hello"
        );
    }
}
