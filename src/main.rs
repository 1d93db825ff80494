//! fgs: invoke Huawei Cloud FunctionGraph functions from the command line.

mod api;
mod app;
mod archive;
mod call;
mod cli;
mod cloud;
mod commands;
mod complete;
mod config_file;
mod error;
mod events;
mod local;
mod output;
mod payload;
mod render;
mod sanitize;
mod secret;
mod server;
mod settings;
mod source;
mod stats;
mod sys;
mod units;
mod urn;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

fn main() -> ExitCode {
    // `COMPLETE=bash fgs` prints the dynamic completion script, and the script calls fgs
    // the same way to complete a word (profiles from the config file, say); otherwise this
    // returns at once.
    clap_complete::CompleteEnv::with_factory(complete::command).complete();
    let matches = match command().try_get_matches() {
        Ok(matches) => matches,
        Err(e) => {
            output::Output::clap(&e);
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    let cli = match cli::Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => {
            output::Output::clap(&e);
            return ExitCode::from(2);
        }
    };
    let mut out = output::Output::new(cli.global.color, cli.global.quiet, cli.global.verbose);
    match app::run(&cli, &matches, &mut out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            out.report(&failure);
            if failure.kind == error::Kind::Interrupted {
                sys::reraise_interrupt();
            }
            ExitCode::from(failure.exit_code())
        }
    }
}

/// The command line's definition, with clap's own colour (usage errors, help) following
/// `--color` as given anywhere on the command line; clap itself honours `NO_COLOR`.
fn command() -> clap::Command {
    let mut color = None;
    let mut args = std::env::args_os().skip(1);
    while let Some(arg) = args.next() {
        let value = match arg.to_str() {
            Some("--color") => args.next(),
            Some(a) if a.starts_with("--color=") => Some(a["--color=".len()..].into()),
            Some("--") => break,
            _ => None,
        };
        if let Some(value) = value {
            color = value.into_string().ok();
        }
    }
    let choice = match color.as_deref() {
        Some("never") => clap::ColorChoice::Never,
        Some("always") => clap::ColorChoice::Always,
        _ if std::env::var_os("TERM").is_some_and(|t| t == "dumb") => clap::ColorChoice::Never,
        _ => clap::ColorChoice::Auto,
    };
    cli::Cli::command().color(choice)
}
