//! `fgs info FUNCTION`: one function's configuration, versions and aliases.

use anyhow::Context;
use serde_json::Value;

use super::block_on;
use super::invoke::{LOCAL_PROJECT, LOCAL_REGION};
use crate::cli::{InfoArgs, ShowMode};
use crate::cloud::catalog::{self, text};
use crate::error::{Failure, Kind, OrKind};
use crate::output::Output;
use crate::render;
use crate::settings::Settings;
use crate::urn::Urn;

pub fn run(args: &InfoArgs, settings: &Settings, out: &Output) -> Result<(), Failure> {
    let target = settings.target(
        args.version.qualifier.as_deref(),
        args.version.alias.as_deref(),
    )?;
    let lookup = super::lookup(settings, args.retries, out)?;
    // The configuration of what would be invoked; versions and aliases are the function's.
    let function = target.urn.unqualified();
    let (mut config, mut versions, aliases) = block_on(async {
        let config = lookup.config(&target.urn, out).await?;
        let versions = lookup.versions(&function, out).await?;
        let aliases = lookup.aliases(&function, out).await?;
        Ok::<_, Failure>((config, versions, aliases))
    })?
    .map_err(|failure| super::invoke::two_readings(failure, settings))?;
    let text = if args.output == Some(ShowMode::Json) {
        catalog::mask_env(&mut config);
        versions.iter_mut().for_each(catalog::mask_env);
        if let Value::Object(map) = &mut config {
            map.insert("versions".into(), Value::Array(versions));
            map.insert("aliases".into(), Value::Array(aliases));
        }
        render::json_line(&config)
    } else {
        let invoke = invoke_line(&target.urn, settings);
        lines(&target.urn, &config, &versions, &aliases, invoke).into_bytes()
    };
    out.stdout(&text)
        .context("writing to stdout")
        .or_kind(Kind::Local)
}

/// The `fgs invoke` line that calls `urn`: with `--endpoint` when it was given as a flag
/// (one from the environment or the config file is found again by the same command), and
/// with `--token local` for a function of `fgs serve` (its URN's project and region are
/// `local`, its endpoint loopback), which takes that token.
fn invoke_line(urn: &Urn, settings: &Settings) -> String {
    let served = urn.project_id == LOCAL_PROJECT
        && urn.region == LOCAL_REGION
        && settings
            .endpoint
            .as_ref()
            .is_some_and(|e| is_loopback(&e.value));
    let token = if served { " --token local" } else { "" };
    let endpoint = settings
        .endpoint
        .as_ref()
        .filter(|e| matches!(e.source, crate::source::Source::Flag(_)))
        .map(|e| {
            format!(
                " --endpoint {}",
                catalog::shell_word(crate::settings::shown_url(&e.value))
            )
        })
        .unwrap_or_default();
    format!(
        "fgs invoke {}{endpoint}{token} -d '{{}}'",
        catalog::shell_word(&urn.to_string())
    )
}

/// Whether `url` names this machine (`fgs serve` listens on loopback only).
fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// The configuration for people, one `name  value` line each; never an environment
/// variable's value.
fn lines(
    urn: &Urn,
    config: &Value,
    versions: &[Value],
    aliases: &[Value],
    invoke: String,
) -> String {
    let field = |key| vec![text(config, key).unwrap_or_else(|| "-".into())];
    let unit = |key, unit: &str| {
        vec![text(config, key).map_or_else(|| "-".into(), |v| format!("{v} {unit}"))]
    };
    let or_none = |items: Vec<String>| {
        if items.is_empty() {
            vec!["(none)".to_string()]
        } else {
            items
        }
    };
    let mut rows = vec![
        ("urn", vec![urn.to_string()]),
        ("name", field("func_name")),
        ("package", field("package")),
        ("runtime", field("runtime")),
        ("handler", field("handler")),
        ("memory", unit("memory_size", "MB")),
        ("timeout", unit("timeout", "s")),
        ("code size", unit("code_size", "bytes")),
        ("last modified", field("last_modified")),
    ];
    if let Some(description) = text(config, "description").filter(|d| !d.is_empty()) {
        rows.push(("description", vec![description]));
    }
    rows.push(("env", vec![catalog::env_line(config)]));
    rows.push((
        "versions",
        or_none(versions.iter().map(catalog::version_line).collect()),
    ));
    rows.push((
        "aliases",
        or_none(aliases.iter().map(catalog::alias_line).collect()),
    ));
    rows.push(("invoke", vec![invoke]));
    catalog::info_lines(&rows)
}
