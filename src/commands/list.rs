//! `fgs list`: the project's functions, every page of them, as a table, URNs or NDJSON.

use anyhow::Context;
use futures_util::{StreamExt, TryStreamExt};
use serde_json::Value;

use super::block_on;
use crate::cli::{ListArgs, ListMode};
use crate::cloud::catalog::{self, Row};
use crate::cloud::lookup::Lookup;
use crate::error::{Failure, Kind, OrKind};
use crate::output::Output;
use crate::render;
use crate::settings::Settings;
use crate::urn::Urn;

/// One function of the list, with its versions and aliases when `--versions` asked.
struct Entry {
    function: Value,
    versions: Vec<Value>,
    aliases: Vec<Value>,
}

pub fn run(args: &ListArgs, settings: &Settings, out: &Output) -> Result<(), Failure> {
    let pattern = args
        .name
        .as_deref()
        .map(|name| {
            glob::Pattern::new(name)
                .map_err(|e| Failure::usage(format!("`{name}` is not a usable glob: {e}")))
        })
        .transpose()?;
    let mode = args.output.unwrap_or(if out.stdout_is_terminal {
        ListMode::Table
    } else {
        ListMode::Urn
    });
    let lookup = super::lookup(settings, args.retries, out)?;
    let entries = block_on(fetch(&lookup, args, pattern.as_ref(), out))??;
    if entries.is_empty() {
        out.info("no functions\n");
        return Ok(());
    }
    let text = match mode {
        ListMode::Table => table(&entries, out),
        ListMode::Urn => urns(&entries, out),
        ListMode::Json => json(&entries, args.versions),
    };
    out.stdout(&text)
        .context("writing to stdout")
        .or_kind(Kind::Local)
}

/// The functions of every page that `pattern` matches (by `func_name`), and with
/// `--versions` the versions and aliases of each.
async fn fetch(
    lookup: &Lookup,
    args: &ListArgs,
    pattern: Option<&glob::Pattern>,
    out: &Output,
) -> Result<Vec<Entry>, Failure> {
    let functions = lookup.functions(args.package.as_deref(), out).await?;
    let wanted = functions.into_iter().filter(|function| {
        pattern.is_none_or(|p| p.matches(&catalog::text(function, "func_name").unwrap_or_default()))
    });
    // With --versions, each function costs two more requests; several run at once, and the
    // entries keep the listing's order.
    futures_util::stream::iter(wanted)
        .map(|function| async move {
            let mut entry = Entry {
                function,
                versions: Vec::new(),
                aliases: Vec::new(),
            };
            // A `func_urn` that is not a URN has no versions to ask for.
            if args.versions
                && let Some(urn) =
                    catalog::text(&entry.function, "func_urn").and_then(|text| Urn::read(&text))
            {
                let urn = urn.unqualified();
                entry.versions = lookup.versions(&urn, out).await?;
                entry.aliases = lookup.aliases(&urn, out).await?;
            }
            Ok::<_, Failure>(entry)
        })
        .buffered(VERSIONS_AT_ONCE)
        .try_collect()
        .await
}

/// How many functions' versions and aliases `--versions` asks for at once.
const VERSIONS_AT_ONCE: usize = 8;

fn table(entries: &[Entry], out: &Output) -> Vec<u8> {
    let rows: Vec<Row> = entries
        .iter()
        .map(|e| {
            let versions = e
                .versions
                .iter()
                .map(|v| format!("version {}", catalog::version_line(v)));
            let aliases = e
                .aliases
                .iter()
                .map(|a| format!("alias   {}", catalog::alias_line(a)));
            Row::new(&e.function, versions.chain(aliases).collect())
        })
        .collect();
    catalog::table(&rows, out.width(), out.stdout_color).into_bytes()
}

/// One URN a line: each function's, then its versions' and aliases'. A URN that is missing,
/// or holds a character no URN can (a line break would forge a line), is left out with a
/// warning.
fn urns(entries: &[Entry], out: &Output) -> Vec<u8> {
    let mut text = String::new();
    let mut left_out = 0;
    for entry in entries {
        let own = catalog::text(&entry.function, "func_urn");
        let versions = entry.versions.iter().map(catalog::version_urn);
        let aliases = entry.aliases.iter().map(|a| catalog::text(a, "alias_urn"));
        for urn in std::iter::once(own).chain(versions).chain(aliases) {
            match urn {
                Some(urn) if !urn.is_empty() && !urn.chars().any(char::is_control) => {
                    text.push_str(&urn);
                    text.push('\n');
                }
                _ => left_out += 1,
            }
        }
    }
    if left_out > 0 {
        out.warn(&format!(
            "left out {left_out} listed {} without a usable URN (see -o json)",
            if left_out == 1 { "entry" } else { "entries" }
        ));
    }
    text.into_bytes()
}

/// One JSON document a function as the service sent it, environment values masked; with
/// `--versions`, its `versions` and `aliases` added.
fn json(entries: &[Entry], versions: bool) -> Vec<u8> {
    let mut text = Vec::new();
    for entry in entries {
        let mut document = entry.function.clone();
        catalog::mask_env(&mut document);
        if versions && let Value::Object(map) = &mut document {
            let mut listed = entry.versions.clone();
            listed.iter_mut().for_each(catalog::mask_env);
            map.insert("versions".into(), Value::Array(listed));
            map.insert("aliases".into(), Value::Array(entry.aliases.clone()));
        }
        text.extend(render::json_line(&document));
    }
    text
}
