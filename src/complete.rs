//! Dynamic completion of what only the service knows: function names, and a function's
//! versions (`--qualifier`), aliases (`--alias`) and saved test events (`--event`); and of
//! the config file's profiles, the event templates and a local function's `events/`. `fgs completions SHELL` prints a script that calls this back at each Tab.
//!
//! A Tab press runs `fgs` with the words typed so far (clap's `CompleteEnv`). The words
//! before the one being completed are parsed leniently for the settings (`--profile`,
//! `--region`, `--endpoint`, ...), which resolve as for any command. Answers are cached per
//! profile and region in fgs's cache directory (`$XDG_CACHE_HOME/fgs/`) for [`CACHE_FOR`], so a Tab press costs one
//! API call at most every 10 minutes. Anything that goes wrong (no credentials, no network,
//! a slow service) completes nothing and prints nothing, and no Tab press waits longer than
//! [`DEADLINE`].

use std::ffi::{OsStr, OsString};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use clap::builder::StyledStr;
use clap::{ArgMatches, CommandFactory, FromArgMatches};
use clap_complete::engine::{ArgValueCandidates, ArgValueCompleter, CompletionCandidate};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::cli::{Cli, GlobalArgs, LoginSettingsArgs, SettingsArgs};
use crate::cloud::catalog;
use crate::cloud::client::Retry;
use crate::cloud::lookup::Lookup;
use crate::config_file;
use crate::error::Failure;
use crate::output::Output;
use crate::settings::Settings;
use crate::urn::Urn;

/// How long an answer is used before it is asked for again.
pub const CACHE_FOR: Duration = Duration::from_secs(10 * 60);
/// The longest a Tab press waits for the service.
pub const DEADLINE: Duration = Duration::from_secs(2);

/// The command line with the completers that ask the service; the factory of clap's
/// `CompleteEnv`. (They are added here, not in `cli`, which the settings below depend on.)
pub fn command() -> clap::Command {
    let mut command = Cli::command().mut_args(|arg| match arg.get_id().as_str() {
        "profile" => arg.add(ArgValueCandidates::new(profiles)),
        _ => arg,
    });
    for name in ["invoke", "info", "status", "pull", "logs"] {
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
    // `invoke --event NAME`: the function's saved events.
    command = command.mut_subcommand("invoke", |invoke| {
        invoke.mut_args(|arg| match arg.get_id().as_str() {
            "event" => arg.add(ArgValueCompleter::new(saved_events)),
            _ => arg,
        })
    });
    // `fgs event show NAME`: the templates; `fgs event list|get|save|delete FUNCTION NAME`:
    // the functions, and their saved events.
    command.mut_subcommand("event", |mut event| {
        event = event.mut_subcommand("show", |show| {
            show.mut_args(|arg| match arg.get_id().as_str() {
                "name" => arg.add(ArgValueCandidates::new(templates)),
                _ => arg,
            })
        });
        for name in ["list", "get", "save", "delete"] {
            event = event.mut_subcommand(name, |sub| {
                sub.mut_args(|arg| match arg.get_id().as_str() {
                    "function" => arg.add(ArgValueCompleter::new(functions)),
                    "name" => arg.add(ArgValueCompleter::new(saved_events)),
                    _ => arg,
                })
            });
        }
        event
    })
}

/// `--event NAME` and an event command's NAME: the saved events of the function named on the
/// command line; with `--local DIR`, the files `DIR/events/NAME.json` and the templates.
pub fn saved_events(current: &OsStr) -> Vec<CompletionCandidate> {
    let local = typed_so_far().and_then(|(.., matches)| {
        matches
            .try_get_one::<PathBuf>("local")
            .ok()
            .flatten()
            .cloned()
    });
    let Some(dir) = local else {
        return of_the_function(|urn| Question::Events(urn.unqualified()), current);
    };
    let current = current.to_string_lossy();
    let mut files: Vec<String> = std::fs::read_dir(dir.join("events"))
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_str()?.strip_suffix(".json")?.to_string();
            crate::cloud::events::check_name(&name).ok().map(|()| name)
        })
        .collect();
    files.sort();
    let files = files
        .into_iter()
        .map(|name| (name, "in events/".to_string()));
    let templates = crate::events::names()
        .iter()
        .map(|(name, about)| ((*name).to_string(), format!("template: {about}")));
    files
        .chain(templates)
        .filter(|(name, _)| name.starts_with(current.as_ref()))
        .map(|(name, help)| CompletionCandidate::new(name).help(Some(StyledStr::from(help))))
        .collect()
}

/// `fgs event show NAME`: the trigger event templates, each with what it is.
fn templates() -> Vec<CompletionCandidate> {
    crate::events::names()
        .iter()
        .map(|(name, about)| CompletionCandidate::new(name).help(Some(StyledStr::from(*about))))
        .collect()
}

/// `--profile`: the profiles of the config file (`FGS_CONFIG`, else the default one);
/// nothing when there is no readable file.
fn profiles() -> Vec<CompletionCandidate> {
    config_file::profile_names()
        .into_iter()
        .map(CompletionCandidate::new)
        .collect()
}

/// `FUNCTION`: the project's functions, as `NAME` (package `default`) or `PACKAGE:NAME`; their
/// full URNs once the word starts with `urn:`.
pub fn functions(current: &OsStr) -> Vec<CompletionCandidate> {
    let current = current.to_string_lossy();
    let Some(found) = answer(|_| Some(Question::Functions)) else {
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
    of_the_function(Question::Versions, current)
}

/// `--alias`: the aliases of the function named on the command line.
pub fn aliases(current: &OsStr) -> Vec<CompletionCandidate> {
    of_the_function(Question::Aliases, current)
}

fn of_the_function(question: fn(Urn) -> Question, current: &OsStr) -> Vec<CompletionCandidate> {
    let current = current.to_string_lossy();
    answer(|settings| Some(question(settings.target(None, None).ok()?.urn)))
        .unwrap_or_default()
        .into_iter()
        .filter(|item| item.name.starts_with(current.as_ref()))
        .map(|item| CompletionCandidate::new(item.name).help(item.help.map(StyledStr::from)))
        .collect()
}

/// What a Tab press asks the service; versions, aliases and saved events are of a
/// function's URN.
enum Question {
    Functions,
    Versions(Urn),
    Aliases(Urn),
    Events(Urn),
}

impl Question {
    /// What the answer is cached as: `functions`, or `versions`/`aliases` and the function.
    fn name(&self) -> String {
        let of = |what: &str, urn: &Urn| format!("{what}-{}-{}", urn.package, urn.name);
        match self {
            Question::Functions => "functions".into(),
            Question::Versions(urn) => of("versions", urn),
            Question::Aliases(urn) => of("aliases", urn),
            Question::Events(urn) => of("events", urn),
        }
    }

    /// What the cached answer must have been asked of: the endpoint, the project and the
    /// question, whole URN and all.
    fn key(&self, lookup: &Lookup) -> String {
        let what = match self {
            Question::Functions => "functions".to_string(),
            Question::Versions(urn) => format!("versions {urn}"),
            Question::Aliases(urn) => format!("aliases {urn}"),
            Question::Events(urn) => format!("events {urn}"),
        };
        format!(
            "{} {} {what}",
            lookup.project().endpoint,
            lookup.project().id
        )
    }

    async fn ask(&self, lookup: &Lookup, out: &Output) -> Result<Vec<Item>, Failure> {
        let (found, item): (_, fn(&Value) -> Option<Item>) = match self {
            Question::Functions => (lookup.functions(None, out).await?, function_item),
            Question::Versions(urn) => (lookup.versions(urn, out).await?, version_item),
            Question::Aliases(urn) => (lookup.aliases(urn, out).await?, alias_item),
            Question::Events(urn) => (
                crate::cloud::events::Events::new(lookup, urn)
                    .list(out)
                    .await?,
                event_item,
            ),
        };
        Ok(found.iter().filter_map(item).collect())
    }
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

/// One cached answer: what was asked ([`Question::key`]), when, and what came back.
#[derive(Debug, Serialize, Deserialize)]
struct Cached {
    key: String,
    fetched: u64,
    items: Vec<Item>,
}

/// The answer to the question `ask` forms from the settings, from the cache when it is
/// fresh, else from the service within the deadline. `None` when it cannot be had.
fn answer(ask: impl FnOnce(&Settings) -> Option<Question>) -> Option<Vec<Item>> {
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
    let question = ask(&settings)?;
    // No token_command run, no warning shown, no attempt repeated, no request longer than
    // the deadline.
    let session = settings
        .session(settings.project().ok()?, 1, Some(DEADLINE))
        .0
        .ok()?;
    let lookup = Lookup::new(Arc::new(session), Retry::new(0));
    let key = question.key(&lookup);
    let path = cache_path(&settings, &lookup.project().region, &question)?;
    if let Some(items) = fresh(&path, &key) {
        return Some(items);
    }
    let left = DEADLINE.checked_sub(start.elapsed())?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .ok()?;
    let quiet = Output::new(crate::cli::ColorChoice::Never, true, false);
    let items = runtime.block_on(async {
        tokio::time::timeout(left, question.ask(&lookup, &quiet))
            .await
            .ok()?
            .ok()
    })?;
    store(&path, &key, &items);
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
    let leaf = crate::cli::leaf(&matches);
    let settings = SettingsArgs::from_arg_matches(leaf).ok()?;
    let function = leaf
        .try_get_one::<String>("function")
        .ok()
        .flatten()
        .cloned();
    Some((global, settings, function, leaf.clone()))
}

/// `complete-{profile}-{region}-{question}.json` in fgs's cache directory; versions and
/// aliases are cached per function.
fn cache_path(settings: &Settings, region: &str, question: &Question) -> Option<PathBuf> {
    let profile = settings.profile.as_ref().map_or("default", |p| &p.value);
    let dir = crate::sys::cache_dir()?;
    Some(dir.join(config_file::file_safe(&format!(
        "complete-{profile}-{region}-{}.json",
        question.name()
    ))))
}

/// The cached items, when the file answers this same request and is younger than
/// [`CACHE_FOR`].
fn fresh(path: &std::path::Path, key: &str) -> Option<Vec<Item>> {
    let bytes = config_file::read_limited(path).ok()?;
    let cached: Cached = serde_json::from_slice(&bytes).ok()?;
    let age = now_secs().checked_sub(cached.fetched)?;
    (cached.key == key && age < CACHE_FOR.as_secs()).then_some(cached.items)
}

fn store(path: &std::path::Path, key: &str, items: &[Item]) {
    let cached = Cached {
        key: key.to_string(),
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

/// A field of the service's answer, when it is not empty, escaped for the terminal.
fn text(value: &Value, key: &str) -> Option<String> {
    catalog::text(value, key)
        .filter(|s| !s.is_empty())
        .map(|s| crate::sanitize::shown(&s))
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

/// A saved event by name: only a name the service's rule allows (nothing to escape).
fn event_item(event: &Value) -> Option<Item> {
    let name = catalog::text(event, "name")?;
    crate::cloud::events::check_name(&name).ok()?;
    Some(Item {
        name,
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
        let urn = Urn::read("urn:fss:cn-north-4:p0123:function:default:hello:latest").unwrap();
        assert_eq!(Question::Versions(urn).name(), "versions-default-hello");
        assert_eq!(Question::Functions.name(), "functions");
    }
}
