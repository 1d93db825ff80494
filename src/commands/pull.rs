//! `fgs pull FUNCTION [DIR]`: a deployed function written to a directory that
//! `invoke --local` and `serve` run as it is: its code, `function.toml`, the plain
//! environment variables in `.env` (0600), the saved test events in `events/`. What cannot
//! come along (encrypted variables, layers, VPC access, agencies, mounts) is named.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow};
use serde::Serialize;
use serde_json::{Value, json};

use super::block_on;
use crate::archive;
use crate::cli::{PullArgs, ShowMode};
use crate::cloud::catalog::text;
use crate::cloud::code::{self, Package};
use crate::cloud::events::{self, SavedEvent};
use crate::error::{Failure, Kind, OrKind};
use crate::output::Output;
use crate::render;
use crate::sanitize;
use crate::settings::Settings;

/// What the service gave for the code.
enum Code {
    Package(Package),
    /// An inline function's source, as `GET …/code` gave it.
    Inline(String),
    /// Nothing fgs can read: what to tell the user.
    Missing {
        what: String,
        hint: String,
    },
}

/// What was written, for the summary and `-o json`.
#[derive(Default)]
struct Written {
    code_files: usize,
    code_bytes: u64,
    links_left_out: Vec<String>,
    env_names: Vec<String>,
    encrypted: Vec<String>,
    events: Vec<String>,
    not_local: Vec<String>,
}

pub fn run(args: &PullArgs, settings: &Settings, out: &Output) -> Result<(), Failure> {
    let target = settings.target(
        args.version.qualifier.as_deref(),
        args.version.alias.as_deref(),
    )?;
    let dir = args
        .dir
        .clone()
        .unwrap_or_else(|| PathBuf::from(&target.urn.name));
    check_dir(&dir, args.force)?;
    let lookup = super::lookup(settings, args.retries, out)?;
    let function = target.urn.unqualified();
    let (config, code, events) = block_on(async {
        let config = lookup.config(&target.urn, out).await?;
        let code = match text(&config, "code_type").as_deref() {
            Some("inline") => {
                let answer = code::code(&lookup, &target.urn, out).await?;
                inline_code(&answer)
            }
            Some(image) if image.to_ascii_lowercase().contains("image") => Code::Missing {
                what: "the code is a container image".into(),
                hint: "pull the image named in the function's configuration (`fgs info -o json`, custom_image) with docker; fgs runs no images".into(),
            },
            _ => match code::export(&lookup, &target.urn, out).await? {
                Package::Elsewhere(link) => Code::Missing {
                    what: format!("the service gave the code only as a link: {link}"),
                    hint: format!(
                        "the package needs OBS access: download it with OBS's tools (obsutil) or the console's Export, then unzip it into {}",
                        dir.display()
                    ),
                },
                package @ Package::Zip(_) => Code::Package(package),
            },
        };
        // Saved events are worth having, not worth failing for.
        let events = events::all(&lookup, &function, out).await.map_err(|f| {
            out.warn(&format!("the saved test events were not read: {:#}", f.error));
        });
        Ok::<_, Failure>((config, code, events.unwrap_or_default()))
    })?
    .map_err(|failure| super::invoke::two_readings(failure, settings))?;

    std::fs::create_dir_all(&dir)
        .with_context(|| format!("creating {}", dir.display()))
        .or_kind(Kind::Local)?;
    let mut written = Written::default();
    let missing = write_code(code, &config, &dir, &mut written)?;
    write_toml(&config, &target.urn.to_string(), &dir)?;
    write_env(&config, &dir, &mut written)?;
    write_events(&events, &dir, &mut written, out)?;
    // After write_env, which adds the variables .env could not hold.
    written.not_local.extend(not_local(&config));

    if args.output == Some(ShowMode::Json) {
        let document = json!({
            "function_urn": target.urn.to_string(),
            "dir": dir.display().to_string(),
            "code": {"files": written.code_files, "bytes": written.code_bytes, "missing": missing.as_ref().map(|(what, _)| what)},
            "links_left_out": written.links_left_out,
            "env": {"plain": written.env_names, "encrypted_left_out": written.encrypted},
            "events": written.events,
            "not_local": written.not_local,
        });
        out.stdout(&render::json_line(&document))
            .context("writing to stdout")
            .or_kind(Kind::Local)?;
    } else {
        summary(&dir, &written, &config, out);
    }
    match missing {
        None => Ok(()),
        Some((what, hint)) => Err(Failure::new(
            Kind::Unavailable,
            anyhow!("{what}; everything else is in {}", dir.display()),
        )
        .with_hint(Some(hint))),
    }
}

/// DIR may be written: it does not exist, or is an empty directory, or `--force`.
fn check_dir(dir: &Path, force: bool) -> Result<(), Failure> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() && !force {
                return Err(Failure::usage(format!(
                    "{} is not empty: give another DIR, or --force to write into it (files of the same name are replaced)",
                    dir.display()
                )));
            }
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(_) if dir.exists() => Err(Failure::usage(format!(
            "{} exists and is not a directory",
            dir.display()
        ))),
        Err(e) => Err(Failure::new(
            Kind::Local,
            anyhow::Error::new(e).context(format!("reading {}", dir.display())),
        )),
    }
}

/// `func_code.file` of an inline function (§11.2): base64 (of a zip, or of the source) or
/// the source itself.
fn inline_code(answer: &Value) -> Code {
    let file = answer
        .pointer("/func_code/file")
        .and_then(Value::as_str)
        .unwrap_or("");
    if file.trim().is_empty() {
        return Code::Missing {
            what: "the service gave no code for this inline function".into(),
            hint: "copy the code from the console's editor into the directory".into(),
        };
    }
    Code::Inline(file.to_string())
}

/// Write the code; what is missing, and how to get it, when there is none to write.
fn write_code(
    code: Code,
    config: &Value,
    dir: &Path,
    written: &mut Written,
) -> Result<Option<(String, String)>, Failure> {
    let source = match code {
        Code::Package(Package::Zip(file)) => {
            let unpacked = archive::unpack(archive::inner_package(file)?, dir)?;
            written.code_files = unpacked.files;
            written.code_bytes = unpacked.bytes;
            written.links_left_out = unpacked.links;
            return Ok(None);
        }
        Code::Package(Package::Elsewhere(link)) => {
            return Ok(Some((
                format!("the service gave the code only as a link: {link}"),
                "download it, then unzip it into the directory".into(),
            )));
        }
        Code::Missing { what, hint } => return Ok(Some((what, hint))),
        Code::Inline(source) => source,
    };
    let decoded = code::decode_inline(&source);
    if decoded.starts_with(b"PK\x03\x04") {
        let file = tempfile::tempfile()
            .and_then(|mut f| {
                f.write_all(&decoded)?;
                std::io::Seek::rewind(&mut f)?;
                Ok(f)
            })
            .context("writing the inline code to a temporary file")
            .or_kind(Kind::Local)?;
        let unpacked = archive::unpack(file, dir)?;
        written.code_files = unpacked.files;
        written.code_bytes = unpacked.bytes;
        return Ok(None);
    }
    let Some(name) = handler_file(config) else {
        return Ok(Some((
            "the inline code's file name cannot be told from the handler".into(),
            "save the code from the console's editor into the directory".into(),
        )));
    };
    let path = dir.join(&name);
    std::fs::write(&path, &decoded)
        .with_context(|| format!("writing {}", path.display()))
        .or_kind(Kind::Local)?;
    written.code_files = 1;
    written.code_bytes = decoded.len() as u64;
    Ok(None)
}

/// The file an inline function's handler names: `index.handler` is `index.py` for Python,
/// `index.js` for Node.js.
fn handler_file(config: &Value) -> Option<String> {
    let handler = text(config, "handler")?;
    let module = handler.rsplit_once('.')?.0;
    let runtime = text(config, "runtime")?.to_ascii_lowercase();
    let extension = if runtime.starts_with("python") {
        "py"
    } else if runtime.starts_with("node") {
        "js"
    } else {
        return None;
    };
    let safe = !module.is_empty()
        && module
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    safe.then(|| format!("{module}.{extension}"))
}

/// `function.toml` as `invoke --local` reads it.
#[derive(Serialize)]
struct FunctionToml {
    name: Option<String>,
    package: Option<String>,
    runtime: Option<String>,
    handler: Option<String>,
    memory_size: Option<u64>,
    timeout: Option<u64>,
    initializer: Option<String>,
    initializer_timeout: Option<u64>,
}

fn write_toml(config: &Value, urn: &str, dir: &Path) -> Result<(), Failure> {
    let number = |key: &str| config.get(key).and_then(crate::units::count);
    let initializer = text(config, "initializer_handler").filter(|s| !s.trim().is_empty());
    let toml = FunctionToml {
        name: text(config, "func_name"),
        package: text(config, "package"),
        runtime: text(config, "runtime"),
        handler: text(config, "handler"),
        memory_size: number("memory_size"),
        timeout: number("timeout"),
        initializer_timeout: initializer
            .as_ref()
            .and_then(|_| number("initializer_timeout"))
            .filter(|t| *t > 0),
        initializer,
    };
    let body = toml::to_string(&toml)
        .context("writing function.toml")
        .or_kind(Kind::Local)?;
    let text = format!(
        "# Written by fgs pull from {}\n# The plain environment variables are in .env: fgs invoke --local DIR --env-file DIR/.env\n{body}",
        sanitize::shown(urn)
    );
    let path = dir.join("function.toml");
    std::fs::write(&path, text)
        .with_context(|| format!("writing {}", path.display()))
        .or_kind(Kind::Local)
}

/// The variables of a configuration field: a JSON-encoded object (or an object).
fn variables(config: &Value, field: &str) -> BTreeMap<String, String> {
    let map = match config.get(field) {
        Some(Value::String(s)) if !s.trim().is_empty() => match serde_json::from_str::<Value>(s) {
            Ok(Value::Object(map)) => map,
            _ => return BTreeMap::new(),
        },
        Some(Value::Object(map)) => map.clone(),
        _ => return BTreeMap::new(),
    };
    map.into_iter()
        .map(|(k, v)| {
            let value = match v {
                Value::String(s) => s,
                other => other.to_string(),
            };
            (k, value)
        })
        .collect()
}

/// `.env` (0600) with the plain variables, each value double-quoted and escaped as the
/// dotenv reader reads it; the encrypted ones are named, never written.
fn write_env(config: &Value, dir: &Path, written: &mut Written) -> Result<(), Failure> {
    let plain = variables(config, "user_data");
    written.encrypted = variables(config, "encrypted_user_data")
        .into_keys()
        .map(|k| sanitize::shown(&k))
        .collect();
    if plain.is_empty() {
        return Ok(());
    }
    let mut text =
        String::from("# Written by fgs pull: the function's plain environment variables\n");
    for (name, value) in &plain {
        // The rule `--env-file` reads `.env` by, so that the file written is one it takes.
        if crate::local::check_variable_name(name, ".env").is_err() {
            written.not_local.push(format!(
                "variable {} (a name .env cannot hold, or one the service presets)",
                sanitize::shown(name)
            ));
            continue;
        }
        let mut quoted = String::with_capacity(value.len() + 2);
        for c in value.chars() {
            match c {
                '\\' => quoted.push_str("\\\\"),
                '"' => quoted.push_str("\\\""),
                '\n' => quoted.push_str("\\n"),
                '\t' => quoted.push_str("\\t"),
                c => quoted.push(c),
            }
        }
        text.push_str(&format!("{name}=\"{quoted}\"\n"));
        written.env_names.push(name.clone());
    }
    let path = dir.join(".env");
    // A file left by an earlier pull may be readable by others: start it afresh.
    let _ = std::fs::remove_file(&path);
    crate::sys::create_private_file(&path)
        .and_then(|mut f| f.write_all(text.as_bytes()).and_then(|()| f.flush()))
        .with_context(|| format!("writing {}", path.display()))
        .or_kind(Kind::Local)
}

fn write_events(
    events: &[SavedEvent],
    dir: &Path,
    written: &mut Written,
    out: &Output,
) -> Result<(), Failure> {
    if events.is_empty() {
        return Ok(());
    }
    let events_dir = dir.join("events");
    std::fs::create_dir_all(&events_dir)
        .with_context(|| format!("creating {}", events_dir.display()))
        .or_kind(Kind::Local)?;
    for event in events {
        if events::check_name(&event.name).is_err() {
            out.warn(&format!(
                "saved event `{}` left out: its name is not one the service allows",
                sanitize::shown(&event.name)
            ));
            continue;
        }
        let path = events_dir.join(format!("{}.json", event.name));
        let mut content = event.content.clone();
        if !content.ends_with(b"\n") {
            content.push(b'\n');
        }
        std::fs::write(&path, content)
            .with_context(|| format!("writing {}", path.display()))
            .or_kind(Kind::Local)?;
        written.events.push(event.name.clone());
    }
    Ok(())
}

/// What the function has that a local run does not reproduce.
fn not_local(config: &Value) -> Vec<String> {
    let mut found = Vec::new();
    let list = |key: &str| {
        config
            .get(key)
            .and_then(Value::as_array)
            .map_or(0, Vec::len)
    };
    let layers = list("depend_version_list").max(list("dependencies"));
    if layers > 0 {
        let names: Vec<String> = config
            .get("dependencies")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|d| text(d, "name"))
            .map(|n| sanitize::shown(&n))
            .collect();
        found.push(if names.is_empty() {
            format!("layers ({layers})")
        } else {
            format!("layers ({layers}: {})", names.join(", "))
        });
    }
    if config.get("func_vpc").is_some_and(|v| {
        v.get("vpc_id")
            .and_then(Value::as_str)
            .is_some_and(|id| !id.is_empty())
    }) {
        found.push("VPC access".into());
    }
    for key in ["xrole", "app_xrole"] {
        if let Some(agency) = text(config, key).filter(|a| !a.trim().is_empty()) {
            found.push(format!("agency {} ({key})", sanitize::shown(&agency)));
        }
    }
    let mounts = config
        .pointer("/mount_config/func_mounts")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    if mounts > 0 {
        found.push(format!("file system mounts ({mounts})"));
    }
    found
}

fn summary(dir: &Path, written: &Written, config: &Value, out: &Output) {
    let shown = dir.display();
    let mut text = format!(
        "pulled {} into {shown}\n",
        sanitize::shown(&text_or(config, "func_name"))
    );
    if written.code_files > 0 {
        text.push_str(&format!(
            "  code: {} file(s), {} bytes\n",
            written.code_files, written.code_bytes
        ));
    }
    text.push_str(&format!(
        "  function.toml: {} {}\n",
        sanitize::shown(&text_or(config, "runtime")),
        sanitize::shown(&text_or(config, "handler"))
    ));
    if !written.env_names.is_empty() {
        text.push_str(&format!(
            "  .env: {} (mode 0600)\n",
            written.env_names.join(", ")
        ));
    }
    if !written.events.is_empty() {
        text.push_str(&format!(
            "  events/: {}\n",
            written
                .events
                .iter()
                .map(|e| format!("{e}.json"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let env_file = if written.env_names.is_empty() {
        String::new()
    } else {
        format!(" --env-file {}", dir.join(".env").display())
    };
    text.push_str(&format!("run it: fgs invoke --local {shown}{env_file}\n"));
    out.info(&text);
    if !written.encrypted.is_empty() {
        out.warn(&format!(
            "encrypted environment variables left out of .env: {}; add their values to .env yourself",
            written.encrypted.join(", ")
        ));
    }
    if !written.links_left_out.is_empty() {
        out.warn(&format!(
            "links in the package left out: {}",
            written.links_left_out.join(", ")
        ));
    }
    if !written.not_local.is_empty() {
        out.warn(&format!(
            "not reproduced on this machine: {}",
            written.not_local.join("; ")
        ));
    }
}

fn text_or(config: &Value, key: &str) -> String {
    text(config, key).unwrap_or_else(|| "?".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_handler_names_an_inline_file() {
        let config = json!({"handler": "index.handler", "runtime": "Python3.9"});
        assert_eq!(handler_file(&config).as_deref(), Some("index.py"));
        let config = json!({"handler": "app.main", "runtime": "Node.js18.15"});
        assert_eq!(handler_file(&config).as_deref(), Some("app.js"));
        let config = json!({"handler": "../x.main", "runtime": "Node.js18.15"});
        assert_eq!(handler_file(&config), None);
    }

    #[test]
    fn variables_read_json_text_or_objects() {
        let config =
            json!({"user_data": "{\"A\":\"1\",\"N\":2}", "encrypted_user_data": {"P": "x"}});
        let plain = variables(&config, "user_data");
        assert_eq!(plain["A"], "1");
        assert_eq!(plain["N"], "2");
        assert_eq!(variables(&config, "encrypted_user_data").len(), 1);
    }
}
