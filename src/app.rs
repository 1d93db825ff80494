//! Build the output and the settings from what clap parsed, then run the command.

use clap::ArgMatches;

use crate::cli::{Cli, Command, ConfigCommand, LoginSettingsArgs, SettingsArgs, ShowMode, leaf};
use crate::commands;
use crate::error::Failure;
use crate::output::Output;
use crate::settings::{LocalSettings, Settings};

pub fn run(cli: &Cli, matches: &ArgMatches, out: &mut Output) -> Result<(), Failure> {
    let leaf = leaf(matches);
    let global = &cli.global;
    let no_login = LoginSettingsArgs::default();
    // The settings of every cloud command but login: its flags, and the function it names.
    let resolve = |settings: &SettingsArgs, function: Option<&String>| {
        Settings::resolve(global, settings, function, &no_login, leaf)
    };
    match &cli.command {
        Command::Invoke(args) if args.local.is_some() => {
            let dir = args.local.as_deref().unwrap_or(std::path::Path::new("."));
            let local = LocalSettings::resolve(global, leaf)?;
            let cloud = || resolve(&args.settings, None);
            commands::invoke::run_local(args, dir, &local, cloud, leaf, out)
        }
        Command::Invoke(args) => {
            commands::invoke::run(args, &resolve(&args.settings, args.function.as_ref())?, out)
        }
        Command::List(args) => commands::list::run(args, &resolve(&args.settings, None)?, out),
        Command::Info(args) => {
            commands::info::run(args, &resolve(&args.settings, args.function.as_ref())?, out)
        }
        Command::Status(args) => {
            commands::status::run(args, &resolve(&args.settings, Some(&args.function))?, out)
        }
        Command::Login(args) => {
            let settings = Settings::resolve(global, &args.settings, None, &args.login, leaf)?;
            commands::login::login(args, &settings, out)
        }
        Command::Logout { settings } => commands::login::logout(&resolve(settings, None)?, out),
        Command::Config(ConfigCommand::Show {
            function,
            output,
            settings,
        }) => {
            let settings = resolve(settings, function.as_ref())?;
            commands::config::show(&settings, *output == Some(ShowMode::Json), out)
        }
        Command::Config(ConfigCommand::Init(args)) => {
            commands::config::init(args, &resolve(&SettingsArgs::default(), None)?, out)
        }
        Command::Config(ConfigCommand::Path { settings }) => {
            commands::config::path(&resolve(settings, None)?, out)
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
