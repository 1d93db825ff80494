//! Every command-line type. Doc comments here are the help text. No I/O: what needs a
//! file or the service (profile and function completions) is added in `complete`.

use std::ffi::OsStr;
use std::path::PathBuf;

use clap::builder::TypedValueParser;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::error::EXIT_CODES;
use crate::secret::Secret;
use crate::units::Span;

#[derive(Debug, Parser)]
#[command(
    name = "fgs",
    version = env!("FGS_LONG_VERSION"),
    about = "Invoke Huawei Cloud FunctionGraph functions",
    long_about = "Invoke Huawei Cloud FunctionGraph functions.\n\n\
        The function's result goes to stdout and nothing else does; its log, a summary and \
        every message go to stderr.",
    after_help = EXIT_CODES,
    after_long_help = TOP_AFTER_LONG_HELP,
    propagate_version = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// Flags every command takes, before or after its name (`fgs -v login`, `fgs login -v`).
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// When to colour output: auto (when the stream is a terminal and NO_COLOR is unset),
    /// always, or never
    #[arg(long, value_enum, global = true, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Print nothing on stderr but errors
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Show the requests and answers on stderr (secrets masked)
    #[arg(short, long, global = true)]
    pub verbose: bool,

    /// Profile of the config file to use ([profiles.NAME])
    #[arg(
        long,
        env = "FGS_PROFILE",
        value_parser = Utf8,
        global = true,
        value_name = "NAME",
        help_heading = "Settings"
    )]
    pub profile: Option<String>,

    /// Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]
    #[arg(
        long,
        env = "FGS_CONFIG",
        global = true,
        value_name = "PATH",
        help_heading = "Settings"
    )]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Invoke a function and show its result, log and summary (or many calls: --batch, --repeat)
    #[command(after_help = INVOKE_AFTER_HELP)]
    Invoke(InvokeArgs),
    /// List the project's functions: a table on a terminal, one URN a line in a pipe
    #[command(after_help = LIST_AFTER_HELP)]
    List(ListArgs),
    /// Show one function's configuration, environment variable names, versions and aliases
    #[command(after_help = INFO_AFTER_HELP)]
    Info(InfoArgs),
    /// Show the record of an asynchronous call (`invoke --async`), or wait for it to finish
    #[command(after_help = STATUS_AFTER_HELP)]
    Status(StatusArgs),
    /// Write a deployed function to a directory that `invoke --local` and `serve` run: its
    /// code, function.toml, .env and saved test events
    #[command(after_help = PULL_AFTER_HELP)]
    Pull(PullArgs),
    /// Print a function's log from LTS: a window of time, one request's, or new lines as they come
    #[command(after_help = LOGS_AFTER_HELP)]
    Logs(LogsArgs),
    /// Get an IAM token with a user name and password, and cache it for `invoke`
    #[command(after_help = LOGIN_AFTER_HELP, mut_args = login_help)]
    Login(LoginArgs),
    /// Delete the cached login token of the selected profile
    Logout {
        #[command(flatten)]
        settings: SettingsArgs,
    },
    /// Show the resolved settings, or the config file in use
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Serve FunctionGraph's invocation API on this machine, for the functions in DIR...
    #[command(after_help = SERVE_AFTER_HELP)]
    Serve(ServeArgs),
    /// Trigger event templates, API Gateway events, and a function's saved test events
    #[command(subcommand, after_help = EVENT_AFTER_HELP)]
    Event(EventCommand),
    /// Print the manual page, or a subcommand's (roff; `fgs man invoke | man -l -`)
    Man {
        /// The subcommand whose page to print, e.g. `invoke` or `config show`
        #[arg(value_name = "COMMAND")]
        command: Vec<String>,
        /// Write fgs.1 and every subcommand's page (fgs-invoke.1, ...) into DIR instead
        #[arg(long, value_name = "DIR", conflicts_with = "command")]
        out_dir: Option<PathBuf>,
    },
    /// Print a shell completion script, which asks fgs at each Tab (functions, profiles, ...)
    Completions {
        /// The shell to complete for
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print each resolved setting and where it came from (secrets masked)
    Show {
        /// The function, as for `fgs invoke`
        #[arg(env = "FGS_URN", value_parser = Utf8, value_name = "FUNCTION")]
        function: Option<String>,
        /// `json`: one document with each setting's value and source (secrets masked)
        #[arg(short, long, value_enum, value_name = "MODE")]
        output: Option<ShowMode>,
        #[command(flatten)]
        settings: SettingsArgs,
    },
    /// Write a config file (mode 0600) from flags, or by asking on a terminal; never a secret
    Init(InitArgs),
    /// Print the path of the config file in use
    Path {
        #[command(flatten)]
        settings: SettingsArgs,
    },
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Function directories; with --all, directories whose subdirectories are functions
    #[arg(required = true, value_name = "DIR")]
    pub dirs: Vec<PathBuf>,

    /// Serve every subdirectory of each DIR
    #[arg(long)]
    pub all: bool,

    /// The address to listen on (port 0: any free port)
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:8080")]
    pub listen: std::net::SocketAddr,

    /// Allow an address other machines can reach (fgs serve runs code for whoever can)
    #[arg(long)]
    pub allow_remote: bool,

    /// Require a valid SDK-HMAC-SHA256 signature by the key pair in HUAWEICLOUD_SDK_AK and
    /// HUAWEICLOUD_SDK_SK on every request, else the gateway's 401 (APIG.0301)
    #[arg(long)]
    pub verify_aksk: bool,

    /// Warm instances per function, each running one call at a time [default: the number
    /// of CPUs]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    pub instances: Option<u16>,

    /// Calls that may wait per function when every instance is busy; one more gets 429
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub queue: usize,

    #[command(flatten)]
    pub run: LocalArgs,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only the functions so named: a plain NAME matches exactly, a glob (`*`, `?`,
    /// `[abc]`) matches as in the shell; quote it (`'order-*'`)
    #[arg(value_parser = Utf8, value_name = "NAME")]
    pub name: Option<String>,

    /// Only the functions of this package (sent as package_name)
    #[arg(long, value_parser = Utf8, value_name = "NAME")]
    pub package: Option<String>,

    /// Also each function's versions and aliases, with the aliases' weights (two more
    /// requests a function)
    #[arg(long)]
    pub versions: bool,

    /// How to print [default: table on a terminal, else urn]
    #[arg(short, long, value_enum, value_name = "MODE", help_heading = "Output")]
    pub output: Option<ListMode>,

    /// Retry each request up to N times when it never got an answer, or a 429/503
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub retries: u32,

    #[command(flatten)]
    pub settings: SettingsArgs,
}

/// How `fgs list` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListMode {
    /// Aligned columns cut to the terminal's width, for people
    Table,
    /// One URN a line (with --versions, each version's and alias's too), for pipes
    Urn,
    /// One JSON document a function (NDJSON), as the service sent it, environment values
    /// masked
    Json,
}

#[derive(Debug, Args)]
pub struct PullArgs {
    /// The function: a full URN, NAME or PACKAGE:NAME (package `default`), as for `invoke`
    #[arg(env = "FGS_URN", value_parser = Utf8, value_name = "FUNCTION")]
    pub function: Option<String>,

    /// Where to write it [default: the function's name, in the current directory]
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,

    /// Write into DIR even when it is not empty (files of the same name are replaced)
    #[arg(long)]
    pub force: bool,

    #[command(flatten)]
    pub version: VersionArgs,

    /// `json`: one document saying what was written, and what was not
    #[arg(short, long, value_enum, value_name = "MODE", help_heading = "Output")]
    pub output: Option<ShowMode>,

    /// Retry each request up to N times when it never got an answer, or a 429/503
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub retries: u32,

    #[command(flatten)]
    pub settings: SettingsArgs,
}

#[derive(Debug, Args)]
pub struct LogsArgs {
    /// The function: a full URN, NAME or PACKAGE:NAME (package `default`), as for `invoke`
    #[arg(env = "FGS_URN", value_parser = Utf8, value_name = "FUNCTION")]
    pub function: Option<String>,

    /// From this long ago (`10m`, `2h`, `3d`) or this time in UTC (`2024-05-01T10:00:00Z`)
    /// [default: 10m]
    #[arg(long, value_name = "WHEN", value_parser = log_time)]
    pub since: Option<LogTime>,

    /// Up to this long ago or this time [default: now]
    #[arg(long, value_name = "WHEN", value_parser = log_time, conflicts_with = "follow")]
    pub until: Option<LogTime>,

    /// At most N lines, the oldest first
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub limit: Option<u64>,

    /// Only the lines of this request (sent to LTS as a keyword)
    #[arg(long, value_parser = Utf8, value_name = "ID")]
    pub request_id: Option<String>,

    /// Keep printing new lines as they arrive, until Ctrl-C
    #[arg(short, long)]
    pub follow: bool,

    /// How often --follow asks LTS (`6s`, or seconds); LTS allows 10 reads a minute of one
    /// stream [default: 6s]
    #[arg(long, value_name = "DURATION", value_parser = wait_span, requires = "follow")]
    pub interval: Option<std::time::Duration>,

    #[command(flatten)]
    pub version: VersionArgs,

    /// `json`: one JSON document a line (NDJSON), as LTS sent it
    #[arg(short, long, value_enum, value_name = "MODE", help_heading = "Output")]
    pub output: Option<LogMode>,

    /// Retry each request up to N times when it never got an answer, or a 429/503
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub retries: u32,

    #[command(flatten)]
    pub lts: LtsSettingsArgs,

    #[command(flatten)]
    pub settings: SettingsArgs,
}

/// `fgs logs`'s own setting, layered like the others.
#[derive(Debug, Clone, Default, Args)]
pub struct LtsSettingsArgs {
    /// LTS endpoint [default: https://lts.{region}.myhuaweicloud.com]
    #[arg(
        long,
        env = "FGS_LTS_ENDPOINT",
        value_parser = Utf8,
        value_name = "URL",
        help_heading = "Network"
    )]
    pub lts_endpoint: Option<String>,
}

/// How `fgs logs` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogMode {
    /// Each line's text (control characters escaped on a terminal)
    Text,
    /// One JSON document a line (NDJSON): content, line_num and labels as LTS sent them
    Json,
}

/// A point in time for `fgs logs`: so long ago, or a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogTime {
    Ago(std::time::Duration),
    At(std::time::SystemTime),
}

impl LogTime {
    /// The time it names, seen from `now`.
    pub fn at(self, now: std::time::SystemTime) -> std::time::SystemTime {
        match self {
            LogTime::Ago(back) => now.checked_sub(back).unwrap_or(std::time::UNIX_EPOCH),
            LogTime::At(time) => time,
        }
    }
}

/// `--since`/`--until`: a span back from now, in the grammar of every span of time, or an
/// RFC 3339 time in UTC (`Z` or no zone; a space may stand for the `T`).
fn log_time(text: &str) -> Result<LogTime, String> {
    if let Ok(back) = WAIT.parse(text) {
        return Ok(LogTime::Ago(back));
    }
    humantime::parse_rfc3339_weak(text.trim())
        .map(LogTime::At)
        .ok()
        .ok_or_else(|| {
            format!("`{text}` is neither a span of time (`10m`, `2h`) nor a time (`2024-05-01T10:00:00Z`)")
        })
}

#[derive(Debug, Args)]
pub struct InfoArgs {
    /// The function: a full URN, NAME or PACKAGE:NAME (package `default`), as for `invoke`
    #[arg(env = "FGS_URN", value_parser = Utf8, value_name = "FUNCTION")]
    pub function: Option<String>,

    #[command(flatten)]
    pub version: VersionArgs,

    /// `json`: the service's document, environment values masked, with `versions` and
    /// `aliases` added
    #[arg(short, long, value_enum, value_name = "MODE", help_heading = "Output")]
    pub output: Option<ShowMode>,

    /// Retry each request up to N times when it never got an answer, or a 429/503
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub retries: u32,

    #[command(flatten)]
    pub settings: SettingsArgs,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// The function, as for `fgs invoke`
    #[arg(value_parser = Utf8, value_name = "FUNCTION")]
    pub function: String,

    /// The request id `fgs invoke --async` printed
    #[arg(value_parser = Utf8, value_name = "REQUEST_ID")]
    pub request_id: String,

    #[command(flatten)]
    pub version: VersionArgs,

    /// Wait until the call has finished, and exit as it did: SUCCESS 0, FAIL or DISCARD 1
    #[arg(long, help_heading = "Waiting")]
    pub wait: bool,

    /// Give up waiting after DURATION (`90s`, `2h`, or seconds) with exit 7
    /// [default: 72h, the longest an asynchronous call runs]
    #[arg(long, value_name = "DURATION", value_parser = wait_span, requires = "wait", help_heading = "Waiting")]
    pub wait_timeout: Option<std::time::Duration>,

    /// How far back to search for the call (`30m`, `3d`, or seconds) [default: 72h]
    #[arg(long, value_name = "DURATION", value_parser = wait_span)]
    pub since: Option<std::time::Duration>,

    /// Retry each lookup up to N times when it never reached the service [default: 3]
    #[arg(long, value_name = "N")]
    pub retries: Option<u32>,

    /// `json`: the record as the service sent it
    #[arg(short, long, value_enum, value_name = "MODE", help_heading = "Output")]
    pub output: Option<ShowMode>,

    #[command(flatten)]
    pub settings: SettingsArgs,
}

/// The range of `--wait-timeout` and `--since`: any positive span, short of 1e9 s (31
/// years), in the grammar of every span of time ([`Span`]).
pub const WAIT: Span = Span {
    min: std::time::Duration::from_nanos(1),
    max: std::time::Duration::from_secs(999_999_999),
    range: "above 0 and below 1e9",
};

fn wait_span(text: &str) -> Result<std::time::Duration, String> {
    WAIT.parse(text)
}

/// How `config show` and `status` print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShowMode {
    /// Aligned rows for people
    Text,
    /// One JSON document
    Json,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The region to write, e.g. cn-north-4
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
    /// The project id to write
    #[arg(long, value_name = "ID")]
    pub project_id: Option<String>,
    /// The authentication method to write
    #[arg(long, value_enum, value_name = "METHOD")]
    pub auth: Option<Method>,
    /// Replace an existing file
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Subcommand)]
pub enum EventCommand {
    /// List the trigger event templates, or with FUNCTION the function's saved test events
    List(EventListArgs),
    /// Print one template, ready for `fgs invoke -d @-`
    Show {
        /// The template's name (see `fgs event list`)
        name: String,
    },
    /// Build the event API Gateway sends for an HTTP request (body base64-encoded)
    Apig(ApigArgs),
    /// Print one of a function's saved test events: its JSON, exactly as saved
    Get(EventNameArgs),
    /// Save a test event on a function: create it, or replace the content of the one so named
    Save(EventSaveArgs),
    /// Delete one of a function's saved test events
    Delete(EventNameArgs),
}

#[derive(Debug, Args)]
pub struct EventListArgs {
    /// The function whose saved test events to list, as for `fgs invoke` (FGS_URN and the
    /// config file's `urn` are not read here); without it, the templates are listed
    #[arg(value_parser = Utf8, value_name = "FUNCTION")]
    pub function: Option<String>,

    /// How to print the saved events [default: table on a terminal, else name]
    #[arg(
        short,
        long,
        value_enum,
        value_name = "MODE",
        requires = "function",
        help_heading = "Output"
    )]
    pub output: Option<EventListMode>,

    /// Retry each request up to N times when it never got an answer, or a 429/503
    #[arg(long, value_name = "N", default_value_t = 0, requires = "function")]
    pub retries: u32,

    #[command(flatten)]
    pub settings: SettingsArgs,
}

/// How `fgs event list FUNCTION` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EventListMode {
    /// Each event's name and when it was last modified (UTC), for people
    Table,
    /// One name a line, for pipes
    Name,
    /// One JSON document an event (NDJSON), as the service sent it
    Json,
}

/// A function and one of its saved events: `fgs event get` and `fgs event delete`.
#[derive(Debug, Args)]
pub struct EventNameArgs {
    /// The function, as for `fgs invoke`: a full URN, NAME or PACKAGE:NAME
    #[arg(value_parser = Utf8, value_name = "FUNCTION")]
    pub function: String,

    /// The saved event's name (see `fgs event list FUNCTION`)
    #[arg(value_parser = Utf8, value_name = "NAME")]
    pub name: String,

    /// `json`: one document, the event as the service sent it (with `get`, its content
    /// decoded as `decoded`)
    #[arg(short, long, value_enum, value_name = "MODE", help_heading = "Output")]
    pub output: Option<ShowMode>,

    /// Retry each request up to N times when it never got an answer, or a 429/503
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub retries: u32,

    #[command(flatten)]
    pub settings: SettingsArgs,
}

#[derive(Debug, Args)]
pub struct EventSaveArgs {
    /// The function, as for `fgs invoke`: a full URN, NAME or PACKAGE:NAME
    #[arg(value_parser = Utf8, value_name = "FUNCTION")]
    pub function: String,

    /// The event's name: 1 to 25 letters, digits, `-` and `_`, starting with a letter and
    /// ending with a letter or digit
    #[arg(value_parser = Utf8, value_name = "NAME")]
    pub name: String,

    /// The event: inline JSON, @PATH for a file, @- for stdin [default: stdin when piped]
    #[arg(short, long, value_parser = Utf8, value_name = "DATA", allow_hyphen_values = true, help_heading = "Input")]
    pub data: Option<String>,

    /// `json`: one document, `{id, name, created}`
    #[arg(short, long, value_enum, value_name = "MODE", help_heading = "Output")]
    pub output: Option<ShowMode>,

    /// Retry each request up to N times when it never got an answer, or a 429/503
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub retries: u32,

    #[command(flatten)]
    pub settings: SettingsArgs,
}

#[derive(Debug, Args)]
pub struct ApigArgs {
    /// The HTTP method
    #[arg(long, default_value = "GET", value_name = "METHOD")]
    pub method: String,

    /// The request path
    #[arg(long, default_value = "/", value_name = "PATH")]
    pub path: String,

    /// A query parameter (repeatable)
    #[arg(long = "query", value_name = "NAME=VALUE")]
    pub query: Vec<String>,

    /// A request header (repeatable)
    #[arg(long = "header", value_name = "NAME:VALUE")]
    pub header: Vec<String>,

    /// The body: the text itself, @PATH for a file, @- for stdin
    #[arg(long, value_name = "BODY", allow_hyphen_values = true)]
    pub body: Option<String>,
}

/// How to authenticate, when forced by `--auth`, `FGS_AUTH` or `auth`: the cloud client's
/// own type, made a flag's value here.
pub use crate::cloud::Method;

impl clap::ValueEnum for Method {
    fn value_variants<'a>() -> &'a [Self] {
        &[Method::Token, Method::Aksk, Method::Metadata]
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        let (name, help) = match self {
            Method::Token => (
                "token",
                "An IAM token: --token, FGS_TOKEN, token, token_file, token_command, or `fgs login`",
            ),
            Method::Aksk => (
                "aksk",
                "An access key pair that signs each request (SDK-HMAC-SHA256)",
            ),
            Method::Metadata => (
                "metadata",
                "Temporary keys from the ECS instance metadata service (metadata_endpoint), fetched again before they expire; on a Huawei Cloud ECS or CCE node with an agency",
            ),
        };
        Some(clap::builder::PossibleValue::new(name).help(help))
    }
}

/// The settings every command resolves the same way: flag > env > profile > file > default.
#[derive(Debug, Clone, Default, Args)]
pub struct SettingsArgs {
    /// Project id (letters and digits); taken from a full URN when not given
    #[arg(
        long,
        env = "FGS_PROJECT_ID",
        value_parser = Utf8,
        value_name = "ID",
        help_heading = "Function"
    )]
    pub project_id: Option<String>,

    /// IAM token, sent as X-Auth-Token
    #[arg(
        long,
        env = "FGS_TOKEN",
        value_parser = Utf8.map(|text| secret(&text)),
        hide_env_values = true,
        value_name = "TOKEN",
        help_heading = "Credentials"
    )]
    pub token: Option<Secret>,

    /// Region, e.g. cn-north-4; taken from a full URN when not given
    #[arg(
        long,
        env = "FGS_REGION",
        value_parser = Region,
        hide_possible_values = true,
        value_name = "REGION",
        help_heading = "Function"
    )]
    pub region: Option<String>,

    /// Service endpoint [default: https://functiongraph.{region}.myhuaweicloud.com]
    #[arg(
        long,
        env = "FGS_ENDPOINT",
        value_parser = Utf8,
        value_name = "URL",
        help_heading = "Network"
    )]
    pub endpoint: Option<String>,

    /// How long to wait for the answer (`90s`, `2m`, or seconds) [default: 930, the service's
    /// 900 s limit plus a margin]
    #[arg(
        long,
        env = "FGS_TIMEOUT",
        value_parser = Utf8,
        value_name = "DURATION",
        help_heading = "Network"
    )]
    pub timeout: Option<String>,

    /// How long to wait for a connection (`5s`, or seconds) [default: 10]
    #[arg(
        long,
        env = "FGS_CONNECT_TIMEOUT",
        value_parser = Utf8,
        value_name = "DURATION",
        help_heading = "Network"
    )]
    pub connect_timeout: Option<String>,

    /// Force an authentication method instead of the first one found
    #[arg(
        long,
        env = "FGS_AUTH",
        value_enum,
        value_name = "METHOD",
        help_heading = "Credentials"
    )]
    pub auth: Option<Method>,

    /// Where --auth metadata asks for temporary keys [default: http://169.254.169.254]
    #[arg(
        long,
        env = "FGS_METADATA_ENDPOINT",
        value_parser = Utf8,
        value_name = "URL",
        help_heading = "Credentials"
    )]
    pub metadata_endpoint: Option<String>,

    /// A PEM file with an extra CA certificate to trust (private clouds)
    #[arg(
        long,
        env = "FGS_CA_CERT",
        value_name = "PATH",
        help_heading = "Network"
    )]
    pub ca_cert: Option<PathBuf>,

    /// Allow credentials over plain http to a host that is not loopback (a mock service on
    /// a CI network, say); a warning is printed each time
    #[arg(
        long,
        env = "FGS_ALLOW_HTTP",
        value_parser = clap::builder::BoolishValueParser::new(),
        action = clap::ArgAction::SetTrue,
        help_heading = "Network"
    )]
    pub allow_http: bool,
}

#[derive(Debug, Args)]
pub struct LoginArgs {
    /// Read the password from stdin instead of prompting
    #[arg(long)]
    pub password_stdin: bool,

    #[command(flatten)]
    pub login: LoginSettingsArgs,

    #[command(flatten)]
    pub settings: SettingsArgs,
}

/// `login` asks IAM, not FunctionGraph: the settings of the function's service and of the
/// other ways to authenticate do not apply to it and are hidden from its help (still accepted,
/// as `FGS_*` variables set for other commands are); those it uses say what they do for it.
fn login_help(arg: clap::Arg) -> clap::Arg {
    match arg.get_id().as_str() {
        "token" | "auth" | "metadata_endpoint" | "endpoint" => arg.hide(true),
        "timeout" => arg.help(
            "How long to wait for IAM's answer (`30s`, or seconds), at most 60 s [default: 60]",
        ),
        "region" => arg.help(
            "Region, e.g. cn-north-4: where to log in (the IAM endpoint), and the token's scope",
        ),
        "project_id" => {
            arg.help("Project id the token is scoped to [default: the region's project]")
        }
        _ => arg,
    }
}

/// The login command's own settings, layered like the others.
#[derive(Debug, Clone, Default, Args)]
pub struct LoginSettingsArgs {
    /// IAM user name
    #[arg(long, env = "FGS_USER", value_parser = Utf8, value_name = "NAME")]
    pub user: Option<String>,

    /// Account (domain) name the IAM user belongs to
    #[arg(long, env = "FGS_DOMAIN", value_parser = Utf8, value_name = "NAME")]
    pub domain: Option<String>,

    /// IAM endpoint [default: https://iam.{region}.myhuaweicloud.com]
    #[arg(long, env = "HUAWEICLOUD_SDK_IAM_ENDPOINT", value_parser = Utf8, value_name = "URL")]
    pub iam_endpoint: Option<String>,
}

/// Which version of the function: `invoke`, `info` and `status` take the same two flags.
#[derive(Debug, Args)]
pub struct VersionArgs {
    /// This version of the function (the URN's last field)
    #[arg(
        long,
        value_name = "VERSION",
        conflicts_with = "alias",
        help_heading = "Function"
    )]
    pub qualifier: Option<String>,

    /// This alias of the function, sent as !NAME (no need to type the `!`)
    #[arg(long, value_name = "NAME", help_heading = "Function")]
    pub alias: Option<String>,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("many").args(["batch", "repeat"])))]
pub struct InvokeArgs {
    /// The function: a full URN, NAME or PACKAGE:NAME (package `default`)
    #[arg(env = "FGS_URN", value_parser = Utf8, value_name = "FUNCTION")]
    pub function: Option<String>,

    /// Payload: inline JSON, @PATH for a file, @- for stdin [default: stdin when piped, else {}]
    #[arg(short, long, value_parser = Utf8, value_name = "DATA", allow_hyphen_values = true, help_heading = "Input")]
    pub data: Option<String>,

    /// Payload: the test event NAME saved on the function; with --local, DIR/events/NAME.json,
    /// else the function's saved event (when the cloud settings are there), else the template
    /// NAME
    #[arg(long, value_parser = Utf8, value_name = "NAME", conflicts_with_all = ["data", "batch", "dry_run"], help_heading = "Input")]
    pub event: Option<String>,

    /// Never read stdin for the payload (send {} without --data): for loops that feed fgs's
    /// stdin something else
    #[arg(long, env = "FGS_IGNORE_STDIN", value_parser = clap::builder::BoolishValueParser::new(), action = clap::ArgAction::SetTrue, help_heading = "Input")]
    pub ignore_stdin: bool,

    /// Memory for this call in MB (needs dynamic memory on the function)
    #[arg(long, value_name = "MB")]
    pub memory: Option<u32>,

    /// Do not ask for the function's log
    #[arg(long, help_heading = "Output")]
    pub no_log: bool,

    /// Invoke asynchronously: print the request id of the accepted call (payload up to 256 KB)
    #[arg(long = "async")]
    pub asynchronous: bool,

    /// With --async: wait until the call has finished (polling its record), and exit as it
    /// did: SUCCESS 0, FAIL or DISCARD 1
    #[arg(long, requires = "asynchronous", help_heading = "Waiting")]
    pub wait: bool,

    /// Give up waiting after DURATION (`90s`, `2h`, or seconds) with exit 7; the call goes on
    /// [default: 72h, the longest an asynchronous call runs]
    #[arg(long, value_name = "DURATION", value_parser = wait_span, requires = "wait", help_heading = "Waiting")]
    pub wait_timeout: Option<std::time::Duration>,

    /// Invoke once for each line of FILE (newline-delimited JSON; `-` for stdin)
    #[arg(
        long,
        value_name = "FILE",
        conflicts_with = "data",
        help_heading = "Many calls"
    )]
    pub batch: Option<std::path::PathBuf>,

    /// Invoke N times with the same payload
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..), help_heading = "Many calls")]
    pub repeat: Option<u64>,

    /// Calls in flight at once for --batch and --repeat
    #[arg(long, value_name = "N", default_value_t = 4, requires = "many", value_parser = clap::value_parser!(u16).range(1..=1024), help_heading = "Many calls")]
    pub concurrency: u16,

    /// Progress of --batch and --repeat on stderr [default: bar on a terminal, else plain]
    #[arg(
        long,
        value_enum,
        value_name = "HOW",
        requires = "many",
        help_heading = "Many calls"
    )]
    pub progress: Option<ProgressMode>,

    /// Also write the summary of --batch or --repeat to FILE, as JSON
    #[arg(
        long,
        value_name = "FILE",
        requires = "many",
        help_heading = "Many calls"
    )]
    pub summary: Option<std::path::PathBuf>,

    /// Retry up to N times when the call never reached the function (no connection, or a
    /// 429/503 turning it away), with exponential backoff; never after a timeout, 401 or 403
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub retries: u32,

    /// How to print the result [default: pretty on a terminal, else raw]
    #[arg(short, long, value_enum, value_name = "MODE", help_heading = "Output")]
    pub output: Option<OutputMode>,

    /// Print the request that would be sent, and send nothing
    #[arg(long, conflicts_with = "many")]
    pub dry_run: bool,

    /// Exit 0 even when the function reports an error
    #[arg(long, help_heading = "Output")]
    pub no_fail: bool,

    /// Run the function in DIR on this machine instead of calling the service (no account,
    /// no network)
    #[arg(long, value_name = "DIR", help_heading = "Local functions")]
    pub local: Option<PathBuf>,

    #[command(flatten)]
    pub run: LocalArgs,

    #[command(flatten)]
    pub version: VersionArgs,

    #[command(flatten)]
    pub settings: SettingsArgs,
}

/// How a local function runs, for `invoke --local` and `serve`.
#[derive(Debug, Clone, Default, Args)]
pub struct LocalArgs {
    /// Add or override one of the function's user variables (repeatable)
    #[arg(long = "env", value_name = "K=V", help_heading = "Local functions")]
    pub env: Vec<String>,

    /// Read user variables from a dotenv file (K=V lines, # comments)
    #[arg(long, value_name = "FILE", help_heading = "Local functions")]
    pub env_file: Option<PathBuf>,

    /// Wait for a debugger on 127.0.0.1:PORT (Python under debugpy, Node.js with
    /// --inspect-brk, Java with JDWP, Go under Delve); the timeout is suspended [default
    /// port: any free one]
    #[arg(
        long,
        value_name = "PORT",
        num_args = 0..=1,
        require_equals = true,
        help_heading = "Local functions"
    )]
    #[allow(clippy::option_option)] // clap's form for a flag whose value is optional
    pub debug: Option<Option<u16>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProgressMode {
    /// A progress bar (the default on a terminal)
    Bar,
    /// A line every 10 s once the run has lasted 10 s (the default elsewhere, for CI logs)
    Plain,
    /// Nothing until the summary
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputMode {
    /// Indented and coloured JSON, JSON inside strings expanded
    Pretty,
    /// The result exactly as returned, with a final newline added if it lacks one
    Raw,
    /// One JSON document with the result, log, status and summary
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

const TOP_AFTER_LONG_HELP: &str = concat!(
    "Examples:
  fgs invoke --local examples/hello-python -d '{\"name\":\"fgs\"}'
  fgs invoke urn:fss:cn-north-4:0123...cdef:function:default:hello -d @event.json
  fgs list                                  # the project's functions
  fgs invoke hello --async --wait -d @job.json
  fgs serve examples/hello-python

The whole manual: `fgs man`, or README.md in the source.

",
    crate::error::exit_codes_text!()
);

const SERVE_AFTER_HELP: &str = "\
Examples:
  fgs serve examples/hello-python examples/hello-node
  fgs serve --all examples --listen 127.0.0.1:9000
  HUAWEICLOUD_SDK_AK=... HUAWEICLOUD_SDK_SK=... fgs serve examples/hello-python --verify-aksk

Any project id and any token are accepted; the URN's package and name choose the function.
A function's saved test events (`fgs event ... --endpoint http://ADDR`) are the files
DIR/events/NAME.json; an event's id is its name.
SIGTERM or Ctrl-C stops it: running calls finish (up to 10 s), then every instance stops.";

const EVENT_AFTER_HELP: &str = "\
Examples:
  fgs event list
  fgs event show timer | fgs invoke hello -d @-
  fgs event list hello                      # the function's saved test events
  fgs event save hello order-paid -d @order.json
  fgs event get hello order-paid > events/order-paid.json
  fgs invoke hello --event order-paid
  fgs event delete hello order-paid
  fgs event apig --method POST --path /items --query k=v --header x-user:alice --body @item.json \\
    | fgs invoke --local examples/hello-python -d @-";

const LIST_AFTER_HELP: &str = "\
Examples:
  fgs list
  fgs list 'order-*' --package shop
  fgs list --versions
  fgs list | fzf | xargs -I{} fgs invoke {}
  fgs list -o json | jq -r .func_name

Environment variable values never appear: -o json shows each as \"***\".
\"no functions\" on stderr and exit 0 when nothing matches.";

const PULL_AFTER_HELP: &str = "\
Examples:
  fgs pull hello                        # into ./hello
  fgs pull hello work/hello --force
  fgs pull hello && fgs invoke --local hello --env-file hello/.env -d @hello/events/NAME.json

Encrypted environment variables are left out of .env and named; layers, VPC access, agencies
and file system mounts cannot run on this machine and are named too. When the service gives no
code that fgs can read (an OBS link), everything else is written and fgs exits 4.";

const LOGS_AFTER_HELP: &str = "\
Examples:
  fgs logs hello                        # the last 10 minutes
  fgs logs hello --since 2h --limit 500
  fgs logs hello --request-id 1167bf8c-87b0-43ab-8f5f-26b16c64f252
  fgs logs hello --follow
  fgs logs hello -o json | jq -r .content

The function must send its log to LTS (the console's Monitoring > Logs switch); fgs never
switches it on. Exit 4 when it is off.";

const INFO_AFTER_HELP: &str = "\
Examples:
  fgs info hello --region cn-north-4 --project-id 0123...cdef
  fgs info urn:fss:cn-north-4:0123...cdef:function:default:hello
  fgs info hello --alias prod -o json | jq .aliases

The environment variables are shown by name only; -o json masks each value as \"***\".";

const STATUS_AFTER_HELP: &str = "\
Records cover a limited window: --since (default 72h) is how far back fgs searches.
Exit codes: 0 when the record is found (with --wait: when the call succeeded), 1 for FAIL or
DISCARD with --wait, 4 when no record is found, 7 when --wait-timeout passes, 130 for Ctrl-C.

Examples:
  fgs status hello 1167bf8c-87b0-43ab-8f5f-26b16c64f252
  fgs status hello 1167bf8c-87b0-43ab-8f5f-26b16c64f252 --wait --wait-timeout 2h
  fgs status hello 1167bf8c-87b0-43ab-8f5f-26b16c64f252 -o json | jq .status";

const LOGIN_AFTER_HELP: &str = "\
The password is asked for at the terminal without echo, or read from stdin with
--password-stdin. It is never taken from a flag or the config file.

Examples:
  fgs login --user alice --domain my-account --region cn-north-4
  pass show iam/alice | fgs login --user alice --domain my-account --password-stdin";

const INVOKE_AFTER_HELP: &str = concat!(
    "Examples:
  fgs invoke urn:fss:cn-north-4:0123...cdef:function:default:hello -d '{\"k\":\"v\"}'
  echo '{\"k\":\"v\"}' | fgs invoke hello --region cn-north-4 --project-id 0123...cdef
  fgs invoke hello --alias prod -d @event.json -o json | jq .summary
  fgs invoke hello --dry-run
  fgs invoke hello --async -d @job.json
  fgs invoke hello --async --wait --wait-timeout 2h -d @job.json
  fgs invoke hello --batch events.ndjson --concurrency 8 -o json > results.ndjson
  fgs invoke hello --repeat 100 --summary latency.json

",
    crate::error::exit_codes_text!()
);

/// The matches of the innermost subcommand, where its flags live.
pub fn leaf(matches: &clap::ArgMatches) -> &clap::ArgMatches {
    match matches.subcommand() {
        Some((_, sub)) => leaf(sub),
        None => matches,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn log_times_are_spans_back_or_utc_times() {
        use std::time::{Duration, UNIX_EPOCH};
        assert_eq!(log_time("10m"), Ok(LogTime::Ago(Duration::from_secs(600))));
        let at = UNIX_EPOCH + Duration::from_secs(1_714_557_600);
        for text in [
            "2024-05-01T10:00:00Z",
            "2024-05-01 10:00:00",
            "2024-05-01T10:00:00",
        ] {
            assert_eq!(log_time(text), Ok(LogTime::At(at)), "{text}");
        }
        assert!(log_time("yesterday").is_err());
        assert!(log_time("2024-05-01T10:00:00+08:00").is_err());
    }

    #[test]
    fn waits_are_any_positive_span() {
        use std::time::Duration;
        assert_eq!(wait_span("90"), Ok(Duration::from_secs(90)));
        assert_eq!(wait_span("0.25"), Ok(Duration::from_millis(250)));
        assert_eq!(wait_span("1h 30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(wait_span("72h"), Ok(Duration::from_secs(72 * 3600)));
        assert_eq!(wait_span("1ns"), Ok(Duration::from_nanos(1)));
        for bad in ["0", "-1", "0s", "soon", "inf", "NaN", "1e9", "1e-10"] {
            assert!(wait_span(bad).is_err(), "{bad}");
        }
    }
}

/// A secret, as [`Utf8`] text, held as a [`Secret`] from the first parse on.
fn secret(text: &str) -> Secret {
    Secret::from(text.to_string())
}

/// Text from the command line or the environment, which must be UTF-8. clap's own check says
/// only that "invalid UTF-8 was detected in one or more arguments"; this one names the
/// variable (or the flag) that holds the bytes.
#[derive(Debug, Clone, Copy)]
pub struct Utf8;

impl TypedValueParser for Utf8 {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<String, clap::Error> {
        if let Some(text) = value.to_str() {
            return Ok(text.to_string());
        }
        // clap read the variable's value just now: the same bytes mean it came from there.
        let env = arg
            .and_then(clap::Arg::get_env)
            .filter(|name| std::env::var_os(name).as_deref() == Some(value));
        let what = match (env, arg) {
            (Some(env), _) => format!("env {} is set but its value", env.to_string_lossy()),
            (None, Some(arg)) => match (arg.get_long(), arg.get_value_names()) {
                (Some(long), _) => format!("the value of --{long}"),
                (None, Some([name, ..])) => format!("the {name} argument"),
                (None, _) => format!("the {} argument", arg.get_id()),
            },
            (None, None) => "an argument".to_string(),
        };
        Err(clap::Error::raw(
            clap::error::ErrorKind::InvalidUtf8,
            format!("{what} is not valid UTF-8\n"),
        )
        .with_cmd(cmd))
    }
}

/// The regions the service documents, offered by the shell completions; any other region
/// is accepted as well (new ones appear, and private clouds have their own).
pub const REGIONS: &[&str] = &[
    "cn-north-4",
    "cn-north-1",
    "cn-east-2",
    "cn-east-3",
    "cn-south-1",
    "ap-southeast-2",
    "ap-southeast-1",
    "ap-southeast-3",
    "af-south-1",
    "cn-southwest-2",
    "sa-brazil-1",
    "la-south-2",
    "na-mexico-1",
    "la-north-2",
    "ap-southeast-4",
    "eu-west-101",
    "tr-west-1",
    "cn-north-9",
    "cn-north-11",
    "me-east-1",
    "my-kualalumpur-1",
    "cn-south-4",
    "ru-moscow-1",
    "cn-east-4",
    "ae-ad-1",
    "ap-southeast-5",
    "cn-southwest-3",
];

/// `--region`: any UTF-8 value, with the documented regions as its completions.
#[derive(Clone, Copy)]
pub struct Region;

impl TypedValueParser for Region {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<String, clap::Error> {
        Utf8.parse_ref(cmd, arg, value)
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(
            REGIONS
                .iter()
                .map(|r| clap::builder::PossibleValue::new(*r)),
        ))
    }
}
