//! fgs: invoke Huawei Cloud FunctionGraph functions from the command line.

mod api;
mod app;
mod batch;
mod call;
mod cli;
mod client;
mod config;
mod credentials;
mod error;
#[allow(dead_code)]
mod local;
mod login;
mod output;
mod payload;
mod render;
mod settings;
mod signing;
mod stats;
mod urn;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

fn main() -> ExitCode {
    let matches = match cli::Cli::command().try_get_matches() {
        Ok(matches) => matches,
        Err(e) => {
            output::Output::clap(&e);
            return ExitCode::from(e.exit_code() as u8);
        }
    };
    let cli = match cli::Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => {
            output::Output::clap(&e);
            return ExitCode::from(2);
        }
    };
    let mut out = output::Output::new(cli.color);
    match app::run(cli, &matches, &mut out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            out.report(&failure);
            ExitCode::from(failure.exit_code())
        }
    }
}
