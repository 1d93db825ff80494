//! `fgs event list|show|apig`: trigger event templates, and API Gateway events built from an
//! HTTP request given on the command line.

use std::io::IsTerminal;

use crate::cli::{ApigArgs, EventCommand};
use crate::error::{Failure, Kind, OrKind};
use crate::events::{self, ApigRequest};
use crate::output::Output;

pub fn run(command: &EventCommand, out: &Output) -> Result<(), Failure> {
    let text = match command {
        EventCommand::List => {
            let width = events::names()
                .iter()
                .map(|(n, _)| n.len())
                .max()
                .unwrap_or(0);
            let mut text = String::new();
            for (name, about) in events::names() {
                text.push_str(&format!("{name:<width$}  {about}\n"));
            }
            text
        }
        EventCommand::Show { name } => {
            let template = events::template(name).ok_or_else(|| {
                let known: Vec<&str> = events::names().iter().map(|(n, _)| *n).collect();
                Failure::usage(format!(
                    "no event template `{name}`: the templates are {}",
                    known.join(", ")
                ))
            })?;
            with_newline(template)
        }
        EventCommand::Apig(args) => apig(args)?,
    };
    out.stdout(text.as_bytes()).or_kind(Kind::Local)
}

fn apig(args: &ApigArgs) -> Result<String, Failure> {
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
    Ok(with_newline(
        &serde_json::to_string_pretty(&event).expect("a Value always serialises"),
    ))
}

fn with_newline(text: &str) -> String {
    let mut text = text.to_string();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}
