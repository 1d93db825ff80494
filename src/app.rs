//! Build the output and the settings from what clap parsed, then run the command.

use clap::ArgMatches;

use crate::cli::{Cli, Command, ConfigCommand, LoginSettingsArgs, SettingsArgs, ShowMode};
use crate::commands;
use crate::error::Failure;
use crate::output::Output;
use crate::settings::{LocalSettings, Settings};

pub fn run(cli: &Cli, matches: &ArgMatches, out: &mut Output) -> Result<(), Failure> {
    let leaf = leaf(matches);
    let global = &cli.global;
    let no_login = LoginSettingsArgs::default();
    match &cli.command {
        Command::Invoke(args) if args.local.is_some() => {
            let dir = args.local.as_deref().unwrap_or(std::path::Path::new("."));
            let local = LocalSettings::resolve(global, leaf)?;
            let cloud = || Settings::resolve(global, &args.settings, None, &no_login, leaf);
            commands::invoke::run_local(args, dir, &local, cloud, leaf, out)
        }
        Command::Invoke(args) => {
            let settings = Settings::resolve(
                global,
                &args.settings,
                args.function.as_ref(),
                &no_login,
                leaf,
            )?;
            commands::invoke::run(args, &settings, out)
        }
        Command::List(args) => {
            let settings = Settings::resolve(global, &args.settings, None, &no_login, leaf)?;
            commands::list::run(args, &settings, out)
        }
        Command::Info(args) => {
            let settings = Settings::resolve(
                global,
                &args.settings,
                args.function.as_ref(),
                &no_login,
                leaf,
            )?;
            commands::info::run(args, &settings, out)
        }
        Command::Status(args) => {
            let settings = Settings::resolve(
                global,
                &args.settings,
                Some(&args.function),
                &no_login,
                leaf,
            )?;
            commands::status::run(args, &settings, out)
        }
        Command::Login(args) => {
            let settings = Settings::resolve(global, &args.settings, None, &args.login, leaf)?;
            commands::login::login(args, &settings, out)
        }
        Command::Logout { settings } => {
            let settings = Settings::resolve(global, settings, None, &no_login, leaf)?;
            commands::login::logout(&settings, out)
        }
        Command::Config(ConfigCommand::Show {
            function,
            output,
            settings,
        }) => {
            let settings = Settings::resolve(global, settings, function.as_ref(), &no_login, leaf)?;
            commands::config::show(&settings, *output == Some(ShowMode::Json), out)
        }
        Command::Config(ConfigCommand::Init(args)) => {
            let settings =
                Settings::resolve(global, &SettingsArgs::default(), None, &no_login, leaf)?;
            commands::config::init(args, &settings, out)
        }
        Command::Config(ConfigCommand::Path { settings }) => {
            let settings = Settings::resolve(global, settings, None, &no_login, leaf)?;
            commands::config::path(&settings, out)
        }
        Command::Serve(args) => {
            let local = LocalSettings::resolve(global, leaf)?;
            commands::serve::run(args, &local, out)
        }
        Command::Event(command) => commands::event::run(command, out),
        Command::Man => commands::config::man(out),
        Command::Completions { shell } => commands::config::completions(*shell, out),
    }
}

/// The matches of the innermost subcommand, where its flags live.
fn leaf(matches: &ArgMatches) -> &ArgMatches {
    match matches.subcommand() {
        Some((_, sub)) => leaf(sub),
        None => matches,
    }
}
