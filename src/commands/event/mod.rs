//! `fgs event`: trigger event templates, API Gateway events built from an HTTP request given
//! on the command line, and (in [`saved`]) a function's saved test events.

mod saved;

pub use saved::{Saved, fetch, not_found};

use std::io::IsTerminal;

use crate::cli::{ApigArgs, EventCommand, SettingsArgs};
use crate::error::{Failure, Kind, OrKind};
use crate::events::{self, ApigRequest};
use crate::output::Output;
use crate::render;
use crate::settings::Settings;

/// Run `command`; `resolve` gives the settings of a command on a function's saved events
/// (its settings flags and the function it names).
pub fn run(
    command: &EventCommand,
    resolve: impl Fn(&SettingsArgs, Option<&String>) -> Result<Settings, Failure>,
    out: &Output,
) -> Result<(), Failure> {
    let text = match command {
        EventCommand::List(args) if args.function.is_some() => {
            return saved::list(args, &resolve(&args.settings, args.function.as_ref())?, out);
        }
        EventCommand::List(_) => {
            let width = events::names()
                .iter()
                .map(|(n, _)| n.len())
                .max()
                .unwrap_or(0);
            let mut text = String::new();
            for (name, about) in events::names() {
                text.push_str(&format!("{name:<width$}  {about}\n"));
            }
            text.into_bytes()
        }
        EventCommand::Show { name } => {
            let template = events::template(name).ok_or_else(|| {
                let known: Vec<&str> = events::names().iter().map(|(n, _)| *n).collect();
                Failure::usage(format!(
                    "no event template `{name}`: the templates are {}",
                    known.join(", ")
                ))
            })?;
            render::with_newline(template.as_bytes())
        }
        EventCommand::Apig(args) => apig(args)?,
        EventCommand::Get(args) => {
            return saved::get(args, &resolve(&args.settings, Some(&args.function))?, out);
        }
        EventCommand::Save(args) => {
            return saved::save(args, &resolve(&args.settings, Some(&args.function))?, out);
        }
        EventCommand::Delete(args) => {
            return saved::delete(args, &resolve(&args.settings, Some(&args.function))?, out);
        }
    };
    out.stdout(&text).or_kind(Kind::Local)
}

fn apig(args: &ApigArgs) -> Result<Vec<u8>, Failure> {
    let query = args
        .query
        .iter()
        .map(|q| events::parse_query_item(q))
        .collect::<Result<Vec<_>, _>>()
        .map_err(Failure::usage)?;
    let headers = args
        .header
        .iter()
        .map(|h| events::parse_header_item(h))
        .collect::<Result<Vec<_>, _>>()
        .map_err(Failure::usage)?;
    let body = match &args.body {
        Some(raw) => {
            let stdin = std::io::stdin();
            if raw == "@-" && stdin.is_terminal() {
                return Err(Failure::usage(
                    "--body @- reads stdin, but stdin is a terminal: pipe the body in",
                ));
            }
            Some(events::read_body(raw, stdin.lock()).or_kind(Kind::Usage)?)
        }
        None => None,
    };
    let request = ApigRequest {
        method: args.method.clone(),
        path: args.path.clone(),
        query,
        headers,
        body,
    };
    let event = events::apig_event(&request);
    Ok(render::with_newline(
        serde_json::to_vec_pretty(&event).expect("a Value always serialises"),
    ))
}
