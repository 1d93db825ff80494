//! `fgs event list|show|apig`: trigger event templates, and API Gateway events built from an
//! HTTP request given on the command line.

use std::io::IsTerminal;

use crate::cli::{ApigArgs, EventCommand};
use crate::error::{Failure, Kind, OrKind};
use crate::events::{self, ApigRequest};
use crate::output::Output;
use crate::render;

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
