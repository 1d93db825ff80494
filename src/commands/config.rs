//! `fgs config show`, `fgs config path`, `fgs config init`, `fgs completions` and `fgs man`.

use std::io::IsTerminal;

use anyhow::Context;
use clap::{CommandFactory, ValueEnum};

use crate::cli::{Cli, InitArgs};
use crate::cloud::credentials::{Credentials, Method};
use crate::error::{Failure, Kind, OrKind};
use crate::output::Output;
use crate::settings::{self, Settings, Shown, shown_url};

/// Each resolved setting and where it came from, secrets masked: the settings' rows (as
/// `settings::rows` declares them), then the credentials'.
pub fn show(settings: &Settings, json: bool, out: &Output) -> Result<(), Failure> {
    // Resolved without running a token_command: config show sends nothing.
    let (credentials, notes) = settings.credentials(None, false);
    notes.tell(out);
    let mut rows = settings::rows(settings);
    rows.extend(credential_rows(&credentials));
    let shown = if json {
        json_document(rows)
    } else {
        aligned(rows)
    };
    out.stdout(&shown).or_kind(Kind::Local)
}

/// A row's label and what it shows (`None`: not set).
type Rows = Vec<(&'static str, Shown)>;

/// The method in use and its secrets, masked; or why there is none.
fn credential_rows(credentials: &Result<Credentials, Failure>) -> Rows {
    let row = |value: String, source: String| Some((value, source));
    let c = match credentials {
        Err(e) => {
            let text = format!("{:#}", e.error);
            let shown = if e.kind == Kind::NoCredentials && text.starts_with("no credentials") {
                "(none found)".to_string()
            } else {
                format!("(unusable: {text})")
            };
            return vec![("auth", row(shown, String::new()))];
        }
        Ok(c) => c,
    };
    let source = c.source().to_string();
    let mut rows = vec![("auth", row(c.method().into(), source.clone()))];
    match c {
        Credentials::Token { secret, .. } => {
            rows.push(("token", row(secret.masked(), source)));
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
            // An identifier, not a secret: its last four characters, as aws shows it.
            rows.push(("access key", row(access_key.last_four(), source.clone())));
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
        // Where the keys would come from; nothing is fetched here.
        Credentials::Metadata(metadata) => rows.push((
            "metadata endpoint",
            row(
                shown_url(metadata.endpoint()).to_string(),
                metadata.endpoint_source.clone(),
            ),
        )),
    }
    rows
}

/// `-o json`: each setting under its row's name, its value and source, or null when not set.
fn json_document(rows: Rows) -> Vec<u8> {
    let document: serde_json::Map<String, serde_json::Value> = rows
        .into_iter()
        .map(|(name, row)| {
            let value = row.map_or(serde_json::Value::Null, |(value, source)| {
                serde_json::json!({"value": value, "source": (!source.is_empty()).then_some(source)})
            });
            (name.replace(' ', "_"), value)
        })
        .collect();
    crate::render::json_line(&serde_json::Value::Object(document))
}

/// Aligned `name  value  (source)` lines.
fn aligned(rows: Rows) -> Vec<u8> {
    let width = rows
        .iter()
        .map(|(name, _)| name.len())
        .max()
        .unwrap_or(0)
        .max(16);
    let mut text = String::new();
    for (name, row) in rows {
        let line = match row {
            Some((value, source)) if source.is_empty() => format!("{name:<width$} {value}\n"),
            Some((value, source)) => format!("{name:<width$} {value}  ({source})\n"),
            None => format!("{name:<width$} (not set)\n"),
        };
        text.push_str(&line);
    }
    text.into_bytes()
}

/// `fgs config init`: a config file with the region, project id and auth method, from flags
/// or asked for on a terminal. Never a secret: those belong in the environment or
/// `token_file`. An existing file is kept unless `--force`.
pub fn init(args: &InitArgs, settings: &Settings, out: &Output) -> Result<(), Failure> {
    let path = settings.config_location.as_ref().ok_or_else(|| {
        Failure::usage(format!(
            "no config file location: set {}",
            crate::sys::CONFIG_DIR_VARS
        ))
    })?;
    if path.exists() && !args.force {
        return Err(Failure::usage(format!(
            "{} exists already: give --force to replace it",
            path.display()
        )));
    }
    let interactive = std::io::stdin().is_terminal();
    let ask = |what: &str, given: Option<String>| -> Result<Option<String>, Failure> {
        if given.is_some() || !interactive {
            return Ok(given);
        }
        out.info(&format!("{what} (empty to leave out): "));
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .context("reading an answer")
            .or_kind(Kind::Usage)?;
        Ok(Some(line.trim().to_string()).filter(|l| !l.is_empty()))
    };
    let region = ask("region, e.g. cn-north-4", args.region.clone())?;
    let project_id = ask("project id", args.project_id.clone())?;
    let auth = ask(
        "auth method, token, aksk or metadata",
        args.auth.map(|m| {
            m.to_possible_value()
                .expect("no variant is skipped")
                .get_name()
                .to_string()
        }),
    )?;
    if let Some(r) = &region {
        crate::urn::check_region(r).map_err(Failure::usage)?;
    }
    if let Some(p) = &project_id {
        crate::urn::check_project_id(p).map_err(Failure::usage)?;
    }
    if let Some(a) = &auth
        && Method::from_str(a, true).is_err()
    {
        return Err(Failure::usage(format!(
            "auth `{a}`: use token, aksk or metadata"
        )));
    }
    let mut text = String::from(
        "# fgs settings: see `fgs config show` and the README. Keep secrets out of this file:\n\
         # use HUAWEICLOUD_SDK_AK/SK, FGS_TOKEN, token_file or token_command.\n",
    );
    for (key, value) in [
        ("region", &region),
        ("project_id", &project_id),
        ("auth", &auth),
    ] {
        if let Some(value) = value {
            text.push_str(&format!("{key} = \"{value}\"\n"));
        }
    }
    crate::config_file::write_private(path, text.as_bytes()).or_kind(Kind::Local)?;
    out.info(&format!("wrote {}\n", path.display()));
    Ok(())
}

/// The config file's path, whether or not it exists yet.
pub fn path(settings: &Settings, out: &Output) -> Result<(), Failure> {
    let path = settings.config_location.as_ref().ok_or_else(|| {
        Failure::usage(format!(
            "no config file location: set {}",
            crate::sys::CONFIG_DIR_VARS
        ))
    })?;
    if !path.exists() {
        out.info(&format!(
            "note: {} does not exist yet; fgs reads it once it does\n",
            path.display()
        ));
    }
    out.stdout(format!("{}\n", path.display()).as_bytes())
        .or_kind(Kind::Local)
}

/// The manual page, generated from the command definition.
pub fn man(out: &Output) -> Result<(), Failure> {
    let mut page = Vec::new();
    // The package version alone: the page must not change with every commit.
    clap_mangen::Man::new(Cli::command().version(env!("CARGO_PKG_VERSION")))
        .render(&mut page)
        .or_kind(Kind::Local)?;
    out.stdout(&page).or_kind(Kind::Local)
}

/// A completion script for `shell`.
pub fn completions(shell: clap_complete::Shell, out: &Output) -> Result<(), Failure> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "fgs", &mut script);
    out.stdout(&script).or_kind(Kind::Local)
}
