//! `fgs config show`, `fgs config path`, `fgs completions` and `fgs man` (`config init` is in `init.rs`).

use std::path::Path;

use anyhow::Context;
use clap::CommandFactory;

use crate::cli::Cli;
use crate::cloud::credentials::Credentials;
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

/// The manual page of the subcommand at `path` (the top-level one when empty), generated
/// from the command definition; or, with `out_dir`, every page written there.
pub fn man(path: &[String], out_dir: Option<&Path>, out: &Output) -> Result<(), Failure> {
    if let Some(dir) = out_dir {
        return write_pages(&manual(), dir)
            .with_context(|| format!("writing the manual pages to {}", dir.display()))
            .or_kind(Kind::Local);
    }
    let mut command = manual();
    for name in path {
        let Some(sub) = command.find_subcommand(name).cloned() else {
            let names: Vec<&str> = command
                .get_subcommands()
                .filter(|s| !s.is_hide_set())
                .map(clap::Command::get_name)
                .collect();
            return Err(Failure::usage(format!(
                "`{}` has no subcommand `{name}`: pick one of {}",
                command.get_display_name().unwrap_or(command.get_name()),
                names.join(", ")
            )));
        };
        command = sub;
    }
    out.stdout(&page(command)?).or_kind(Kind::Local)
}

/// The command definition as the pages show it: the package version alone (the pages must
/// not change with every commit), built so that each subcommand is named `fgs-invoke`.
fn manual() -> clap::Command {
    let mut command = Cli::command()
        .version(env!("CARGO_PKG_VERSION"))
        .disable_help_subcommand(true);
    command.build();
    command
}

fn page(command: clap::Command) -> Result<Vec<u8>, Failure> {
    let mut page = Vec::new();
    clap_mangen::Man::new(command)
        .render(&mut page)
        .or_kind(Kind::Local)?;
    Ok(page)
}

/// `fgs.1`, then each subcommand's page, depth first.
fn write_pages(command: &clap::Command, dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)?;
    let name = command.get_display_name().unwrap_or(command.get_name());
    let bytes = page(command.clone()).map_err(|f| f.error)?;
    std::fs::write(dir.join(format!("{name}.1")), bytes)?;
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        write_pages(sub, dir)?;
    }
    Ok(())
}

/// A completion script for `shell`.
pub fn completions(shell: clap_complete::Shell, out: &Output) -> Result<(), Failure> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "fgs", &mut script);
    out.stdout(&script).or_kind(Kind::Local)
}
