//! Build the output and the settings from what clap parsed, then run the command.

use clap::ArgMatches;

use serde_json::Value;

use crate::cli::{
    Cli, Command, ConfigCommand, EventCommand, EventListMode, ListMode, LogMode, LoginSettingsArgs,
    OutputMode, SettingsArgs, ShowMode, leaf,
};
use crate::commands;
use crate::error::Failure;
use crate::output::{self, Output};
use crate::render::{self, Layout, Style};
use crate::settings::{LocalSettings, Settings};

pub fn run(cli: &Cli, matches: &ArgMatches, out: &mut Output) -> Result<(), Failure> {
    let result = dispatch(cli, matches, out);
    if let (Err(failure), Some(function)) = (&result, json_asked(cli)) {
        // `-o json` promises a document for every failure: when the command failed before
        // it wrote one (a bad payload, no credentials, Ctrl-C), write the error document.
        if !output::stdout_written() {
            let mut document = render::failure_document(failure, None, "");
            document["error"]["function_urn"] = function;
            let style = Style {
                mode: OutputMode::Json,
                no_fail: false,
                function_urn: String::new(),
                stdout_color: out.stdout_color,
                stderr_color: out.stderr_color,
                stdout_terminal: out.stdout_is_terminal,
            };
            let _ = out.stdout(&render::document(document, &style, Layout::Block));
        }
    }
    result
}

/// When the command was asked for one JSON document on stdout, the function as given (or
/// null). A batch's documents are its lines, each with its own error.
fn json_asked(cli: &Cli) -> Option<Value> {
    let function = match &cli.command {
        Command::Invoke(args)
            if args.output == Some(OutputMode::Json)
                && args.batch.is_none()
                && args.repeat.is_none() =>
        {
            args.function.as_ref()
        }
        Command::Info(args) if args.output == Some(ShowMode::Json) => args.function.as_ref(),
        Command::Status(args) if args.output == Some(ShowMode::Json) => Some(&args.function),
        Command::List(args) if args.output == Some(ListMode::Json) => None,
        Command::Event(EventCommand::List(args)) if args.output == Some(EventListMode::Json) => {
            args.function.as_ref()
        }
        Command::Event(EventCommand::Get(args) | EventCommand::Delete(args))
            if args.output == Some(ShowMode::Json) =>
        {
            Some(&args.function)
        }
        Command::Event(EventCommand::Save(args)) if args.output == Some(ShowMode::Json) => {
            Some(&args.function)
        }
        Command::Pull(args) if args.output == Some(ShowMode::Json) => args.function.as_ref(),
        Command::Logs(args) if args.output == Some(LogMode::Json) => args.function.as_ref(),
        Command::Config(ConfigCommand::Show {
            function,
            output: Some(ShowMode::Json),
            ..
        }) => function.as_ref(),
        _ => return None,
    };
    Some(function.map_or(Value::Null, |f| Value::from(f.as_str())))
}

fn dispatch(cli: &Cli, matches: &ArgMatches, out: &mut Output) -> Result<(), Failure> {
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
        Command::Pull(args) => {
            commands::pull::run(args, &resolve(&args.settings, args.function.as_ref())?, out)
        }
        Command::Logs(args) => {
            commands::logs::run(args, &resolve(&args.settings, args.function.as_ref())?, out)
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
            commands::init::init(args, &resolve(&SettingsArgs::default(), None)?, out)
        }
        Command::Config(ConfigCommand::Path { settings }) => {
            commands::config::path(&resolve(settings, None)?, out)
        }
        Command::Serve(args) => {
            let local = LocalSettings::resolve(global, leaf)?;
            commands::serve::run(args, &local, out)
        }
        Command::Event(command) => commands::event::run(command, resolve, out),
        Command::Man { command, out_dir } => {
            commands::config::man(command, out_dir.as_deref(), out)
        }
        Command::Completions { shell } => commands::config::completions(*shell, out),
    }
}
