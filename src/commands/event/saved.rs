//! `fgs event list|get|save|delete FUNCTION …`: a function's saved test events, the ones
//! the console's "Configure Test Event" keeps (§11.1). An event is named by the user and
//! found by name in the function's list; the requests then name it by the id the list gives.

use std::io::IsTerminal;
use std::time::{Duration, SystemTime};

use anyhow::{Context, anyhow};
use serde_json::{Value, json};

use crate::cli::{EventListArgs, EventListMode, EventNameArgs, EventSaveArgs, ShowMode};
use crate::cloud::catalog;
use crate::cloud::events::{self, Encoding, Events};
use crate::commands::block_on;
use crate::error::{Failure, Kind, OrKind};
use crate::output::Output;
use crate::payload;
use crate::render;
use crate::sanitize;
use crate::settings::Settings;
use crate::urn::Urn;

/// The function's version-less URN, and the words messages name it by.
fn function(settings: &Settings) -> Result<(Urn, String), Failure> {
    let urn = settings.target(None, None)?.urn.unqualified();
    let shown = settings
        .function_text
        .as_ref()
        .map_or_else(|| urn.to_string(), |f| sanitize::shown(&f.value));
    Ok((urn, shown))
}

/// `fgs event list FUNCTION`.
pub fn list(args: &EventListArgs, settings: &Settings, out: &Output) -> Result<(), Failure> {
    let (urn, _) = function(settings)?;
    let lookup = crate::commands::lookup(settings, args.retries, out)?;
    let found = block_on(Events::new(&lookup, &urn).list(out))??;
    let mode = args.output.unwrap_or(if out.stdout_is_terminal {
        EventListMode::Table
    } else {
        EventListMode::Name
    });
    if found.is_empty() {
        out.info("no saved events\n");
        return Ok(());
    }
    let text = match mode {
        EventListMode::Table => table(&found).into_bytes(),
        EventListMode::Name => names(&found, out).into_bytes(),
        EventListMode::Json => found.iter().flat_map(render::json_line).collect(),
    };
    out.stdout(&text)
        .context("writing to stdout")
        .or_kind(Kind::Local)
}

/// `NAME  MODIFIED` columns, names and times escaped.
fn table(found: &[Value]) -> String {
    let rows: Vec<(String, String)> = found
        .iter()
        .map(|e| {
            let name = catalog::text(e, "name").map_or_else(|| "-".into(), |n| sanitize::shown(&n));
            (name, modified(e.get("last_modified")))
        })
        .collect();
    let width = rows
        .iter()
        .map(|(n, _)| n.chars().count())
        .chain([4])
        .max()
        .unwrap_or(4);
    let mut text = format!("{:<width$}  MODIFIED\n", "NAME");
    for (name, modified) in rows {
        text.push_str(&format!("{name:<width$}  {modified}\n"));
    }
    text
}

/// One name a line; a name that is missing or holds a control character (which could forge
/// a line) is left out with a warning.
fn names(found: &[Value], out: &Output) -> String {
    let mut text = String::new();
    let mut left_out = 0;
    for event in found {
        match catalog::text(event, "name") {
            Some(name) if !name.is_empty() && !name.chars().any(char::is_control) => {
                text.push_str(&name);
                text.push('\n');
            }
            _ => left_out += 1,
        }
    }
    if left_out > 0 {
        out.warn(&format!(
            "left out {left_out} saved {} without a usable name (see -o json)",
            if left_out == 1 { "event" } else { "events" }
        ));
    }
    text
}

/// `last_modified` for people: Unix seconds (§11.1) as UTC; a string as it came, escaped;
/// `-` when absent.
fn modified(value: Option<&Value>) -> String {
    match value {
        Some(Value::Number(n)) => match n.as_f64() {
            Some(secs) if (0.0..1e11).contains(&secs) => {
                let time = SystemTime::UNIX_EPOCH + Duration::from_secs_f64(secs.floor());
                humantime::format_rfc3339_seconds(time).to_string()
            }
            _ => sanitize::shown(&n.to_string()),
        },
        Some(Value::String(s)) if !s.is_empty() => sanitize::shown(s),
        _ => "-".into(),
    }
}

/// One saved event, fetched by name: its document as the service sent it, and its
/// content read (see [`events::decode`]) or why it cannot be.
pub struct Saved {
    pub document: Value,
    pub content: Result<(Vec<u8>, Encoding), String>,
}

impl Saved {
    /// The event's JSON text, or the failure of a content fgs cannot read.
    pub fn json(&self, function: &str, name: &str) -> Result<(&[u8], Encoding), Failure> {
        match &self.content {
            Ok((json, encoding)) => Ok((json, *encoding)),
            Err(why) => Err(Failure::new(
                Kind::Service,
                anyhow!("the saved event `{name}` of {function} cannot be read: {why}"),
            )
            .with_hint(Some(format!(
                "see it as the service sent it: fgs event get {} {name} -o json",
                catalog::shell_word(function)
            )))),
        }
    }
}

/// The saved event `name` of the function: found in its list, then fetched by id. `None`
/// with the names there are, when it has none so named.
pub async fn fetch(
    events: &Events<'_>,
    name: &str,
    out: &Output,
) -> Result<Result<Saved, Vec<String>>, Failure> {
    let found = events.list(out).await?;
    let Some(id) = events::named(&found, name).and_then(events::id) else {
        return Ok(Err(listed_names(&found)));
    };
    let document = events.show(&id, out).await?;
    let content = match document.get("content") {
        Some(Value::String(content)) => events::decode(content),
        Some(Value::Null) | None => Err("it has no content".into()),
        Some(_) => Err("its content is not a string".into()),
    };
    Ok(Ok(Saved { document, content }))
}

fn listed_names(found: &[Value]) -> Vec<String> {
    found
        .iter()
        .filter_map(|e| catalog::text(e, "name"))
        .map(|n| sanitize::shown(&n))
        .collect()
}

/// The failure for a saved event that is not there (exit 4), naming those that are.
pub fn not_found(function: &str, name: &str, there: &[String]) -> Failure {
    let hint = if there.is_empty() {
        format!(
            "it has no saved events; save one: fgs event save {} {name} -d @event.json",
            catalog::shell_word(function)
        )
    } else {
        format!("its saved events: {}", there.join(", "))
    };
    Failure::new(
        Kind::Refused(404),
        anyhow!("{function} has no saved test event `{name}`"),
    )
    .with_hint(Some(hint))
}

fn check_name(name: &str) -> Result<(), Failure> {
    events::check_name(name).map_err(Failure::usage)
}

/// `fgs event get FUNCTION NAME`: the event's JSON exactly as saved (a line break added on a
/// terminal only); `-o json`: the service's document, with the content read as `decoded`.
pub fn get(args: &EventNameArgs, settings: &Settings, out: &Output) -> Result<(), Failure> {
    check_name(&args.name)?;
    let (urn, shown) = function(settings)?;
    let lookup = crate::commands::lookup(settings, args.retries, out)?;
    let saved = block_on(fetch(&Events::new(&lookup, &urn), &args.name, out))??
        .map_err(|there| not_found(&shown, &args.name, &there))?;
    let read = saved.json(&shown, &args.name);
    if let Ok((_, encoding)) = &read {
        out.verbose_note(match encoding {
            Encoding::Base64 => {
                "the event's content is base64, as the service's newer documents say"
            }
            Encoding::Plain => {
                "the event's content is the JSON text itself, as older documents say"
            }
        });
    }
    let text = match (&read, args.output) {
        (_, Some(ShowMode::Json)) => {
            let mut document = saved.document.clone();
            if let (Ok((json, encoding)), Value::Object(map)) = (&read, &mut document) {
                let decoded: Value = serde_json::from_slice(json).unwrap_or(Value::Null);
                map.insert("decoded".into(), decoded);
                let encoding = match encoding {
                    Encoding::Base64 => "base64",
                    Encoding::Plain => "plain",
                };
                map.insert("encoding".into(), encoding.into());
            }
            render::json_line(&document)
        }
        (Ok((json, _)), _) if out.stdout_is_terminal => render::with_newline(*json),
        (Ok((json, _)), _) => json.to_vec(),
        (Err(_), _) => return read.map(|_| ()),
    };
    out.stdout(&text)
        .context("writing to stdout")
        .or_kind(Kind::Local)?;
    read.map(|_| ())
}

/// `fgs event save FUNCTION NAME`: update the event so named, else create it.
pub fn save(args: &EventSaveArgs, settings: &Settings, out: &Output) -> Result<(), Failure> {
    check_name(&args.name)?;
    let stdin = std::io::stdin();
    let source = payload::Source::from_arg(args.data.as_deref(), stdin.is_terminal());
    if source == payload::Source::Nothing {
        return Err(Failure::usage(
            "no event to save: give -d JSON, -d @FILE, or pipe it in",
        ));
    }
    let content = payload::read(&source, stdin.lock(), payload::SYNC_LIMIT).or_kind(Kind::Usage)?;
    let (urn, shown) = function(settings)?;
    let lookup = crate::commands::lookup(settings, args.retries, out)?;
    let events = Events::new(&lookup, &urn);
    let (answer, created) = block_on(async {
        let found = events.list(out).await?;
        match events::named(&found, &args.name).and_then(events::id) {
            Some(id) => Ok((events.update(&id, &content, out).await?, false)),
            None => Ok::<_, Failure>((events.create(&args.name, &content, out).await?, true)),
        }
    })??;
    let verb = if created { "created" } else { "updated" };
    out.info(&format!(
        "{verb} the saved test event `{}` of {shown}\n",
        args.name
    ));
    if args.output == Some(ShowMode::Json) {
        let document = json!({
            "id": answer.get("id").cloned().unwrap_or(Value::Null),
            "name": args.name,
            "created": created,
        });
        out.stdout(&render::json_line(&document))
            .context("writing to stdout")
            .or_kind(Kind::Local)?;
    }
    Ok(())
}

/// `fgs event delete FUNCTION NAME`.
pub fn delete(args: &EventNameArgs, settings: &Settings, out: &Output) -> Result<(), Failure> {
    check_name(&args.name)?;
    let (urn, shown) = function(settings)?;
    let lookup = crate::commands::lookup(settings, args.retries, out)?;
    let events = Events::new(&lookup, &urn);
    let id = block_on(async {
        let found = events.list(out).await?;
        let Some(id) = events::named(&found, &args.name).and_then(events::id) else {
            return Ok(Err(listed_names(&found)));
        };
        events.delete(&id, out).await?;
        Ok::<_, Failure>(Ok(id))
    })??
    .map_err(|there| not_found(&shown, &args.name, &there))?;
    out.info(&format!(
        "deleted the saved test event `{}` of {shown}\n",
        args.name
    ));
    if args.output == Some(ShowMode::Json) {
        let document = json!({"id": id, "name": args.name, "deleted": true});
        out.stdout(&render::json_line(&document))
            .context("writing to stdout")
            .or_kind(Kind::Local)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modified_times_are_utc_or_as_given() {
        assert_eq!(
            modified(Some(&json!(1_597_374_286))),
            "2020-08-14T03:04:46Z"
        );
        assert_eq!(
            modified(Some(&json!(1_597_374_286.5))),
            "2020-08-14T03:04:46Z"
        );
        assert_eq!(
            modified(Some(&json!("2020-08-14 11:04:46"))),
            "2020-08-14 11:04:46"
        );
        assert_eq!(modified(Some(&json!("\u{1b}[2J"))), "\\x1b[2J");
        assert_eq!(modified(Some(&json!(-5))), "-5");
        assert_eq!(modified(None), "-");
        assert_eq!(modified(Some(&Value::Null)), "-");
    }

    #[test]
    fn the_table_aligns_names_and_escapes_them() {
        let found = vec![
            json!({"id": "1", "name": "order-paid", "last_modified": 1_597_374_286}),
            json!({"id": "2", "name": "x\u{1b}"}),
        ];
        assert_eq!(
            table(&found),
            "NAME        MODIFIED\norder-paid  2020-08-14T03:04:46Z\nx\\x1b       -\n"
        );
    }
}
