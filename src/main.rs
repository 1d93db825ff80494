//! fgs: invoke Huawei Cloud FunctionGraph functions from the command line.

mod api;
mod app;
mod call;
mod cli;
mod client;
mod commands;
mod config_file;
mod credentials;
mod error;
mod events;
mod iam;
mod local;
mod output;
mod payload;
mod render;
mod sanitize;
mod secret;
mod serve;
mod settings;
mod signing;
mod source;
mod stats;
mod urn;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

fn main() -> ExitCode {
    let matches = match cli::Cli::command().try_get_matches() {
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
                reraise_interrupt();
            }
            ExitCode::from(failure.exit_code())
        }
    }
}

/// End the way a program killed by Ctrl-C ends, so that a calling shell script stops too
/// (its shell sees status 130). Returns only where the signal cannot be raised.
fn reraise_interrupt() {
    #[cfg(unix)]
    // SAFETY: restoring the default action of SIGINT and raising it, with no other thread
    // relying on a handler; the process ends at once.
    unsafe {
        libc::signal(libc::SIGINT, libc::SIG_DFL);
        libc::raise(libc::SIGINT);
    }
}
