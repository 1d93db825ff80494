//! Every setting, declared once, as ripgrep declares its flags: one row of [`SETTINGS`] a
//! setting, keyed by clap's id. The flag and the environment variable are the clap
//! attribute's (in `cli`), and are read from clap's `Command` by that id wherever a message
//! names them; the row holds the rest: the config key, the rows of `fgs config show`, and
//! what `invoke --local` makes of the flag.

use clap::parser::ValueSource;
use clap::{Arg, ArgMatches, Args, Command};

use super::Settings;
use super::checks::shown_url;
use crate::cli::{GlobalArgs, InvokeArgs, LoginSettingsArgs, LtsSettingsArgs};
use crate::error::Failure;
use crate::source::Sourced;

/// One setting, or one flag that only means something for a call to the service.
pub struct Setting {
    /// clap's id (the field's name in `cli`): the flag and the variable are clap's.
    pub id: &'static str,
    /// Its key in the config file (a field of `config_file::Values`), if it has one.
    pub key: Option<&'static str>,
    /// Its rows in `fgs config show`, in order.
    pub rows: &'static [Row],
    /// What a flag given with `invoke --local` means.
    pub local: Local,
}

/// A row of `fgs config show`: its label, and the value with where it came from (`None`:
/// not set). The label, with `_` for spaces, is the row's key in `-o json`.
pub type Row = (&'static str, fn(&Settings) -> Shown);

/// A value as `config show` prints it, and where it came from (empty: nowhere to name).
pub type Shown = Option<(String, String)>;

/// What `invoke --local` makes of a flag.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Local {
    /// Read for a local run too (or never given to `invoke`).
    Used,
    /// Given on the command line, a usage error; the note says where the local run's own
    /// value is. The same setting from the environment or the config file is ignored.
    CloudOnly(Option<&'static str>),
}

use Local::{CloudOnly, Used};

/// Every setting, in the order of `config show`'s rows and of the `--local` check.
pub const SETTINGS: &[Setting] = &[
    Setting {
        id: "config",
        key: None,
        rows: &[("config file", |s| {
            sourced(s.config_file.as_ref(), |p| p.display().to_string())
        })],
        local: Used,
    },
    Setting {
        id: "profile",
        key: None,
        rows: &[("profile", |s| text(s.profile.as_ref()))],
        local: Used,
    },
    Setting {
        id: "function",
        key: Some("urn"),
        rows: &[
            ("function", |s| text(s.function_text.as_ref())),
            ("urn", urn),
        ],
        local: CloudOnly(None),
    },
    Setting {
        id: "project_id",
        key: Some("project_id"),
        rows: &[("project id", |s| text(s.project_id.as_ref()))],
        local: CloudOnly(None),
    },
    Setting {
        id: "token",
        key: Some("token"),
        rows: &[],
        local: CloudOnly(None),
    },
    Setting {
        id: "region",
        key: Some("region"),
        rows: &[("region", |s| text(s.region.as_ref()))],
        local: CloudOnly(None),
    },
    Setting {
        id: "endpoint",
        key: Some("endpoint"),
        rows: &[("endpoint", |s| Some(endpoint(s)))],
        local: CloudOnly(None),
    },
    Setting {
        id: "timeout",
        key: Some("timeout"),
        rows: &[("timeout", |s| Some(seconds(&s.timeout)))],
        local: CloudOnly(Some("the function's own timeout is in function.toml")),
    },
    Setting {
        id: "connect_timeout",
        key: Some("connect_timeout"),
        rows: &[("connect timeout", |s| Some(seconds(&s.connect_timeout)))],
        local: CloudOnly(None),
    },
    Setting {
        id: "auth",
        key: Some("auth"),
        rows: &[],
        local: CloudOnly(None),
    },
    Setting {
        id: "metadata_endpoint",
        key: Some("metadata_endpoint"),
        rows: &[],
        local: CloudOnly(None),
    },
    Setting {
        id: "ca_cert",
        key: Some("ca_cert"),
        rows: &[("ca cert", |s| {
            sourced(s.ca_cert.as_ref(), |p| p.display().to_string())
        })],
        local: CloudOnly(None),
    },
    Setting {
        id: "allow_http",
        key: Some("allow_http"),
        rows: &[],
        local: Used,
    },
    Setting {
        id: "user",
        key: Some("user"),
        rows: &[],
        local: Used,
    },
    Setting {
        id: "domain",
        key: Some("domain"),
        rows: &[],
        local: Used,
    },
    Setting {
        id: "iam_endpoint",
        key: Some("iam_endpoint"),
        rows: &[],
        local: Used,
    },
    Setting {
        id: "lts_endpoint",
        key: Some("lts_endpoint"),
        rows: &[],
        local: Used,
    },
    // `invoke`'s own flags that a local run has no use for.
    Setting {
        id: "memory",
        key: None,
        rows: &[],
        local: CloudOnly(Some("memory_size is in function.toml")),
    },
    Setting {
        id: "retries",
        key: None,
        rows: &[],
        local: CloudOnly(None),
    },
    Setting {
        id: "dry_run",
        key: None,
        rows: &[],
        local: CloudOnly(None),
    },
    Setting {
        id: "wait",
        key: None,
        rows: &[],
        local: CloudOnly(Some(
            "with --local, --async already waits for the call and exits as it ended",
        )),
    },
];

/// The settings' rows of `fgs config show`, in order (the credentials' rows follow).
pub fn rows(settings: &Settings) -> Vec<(&'static str, Shown)> {
    SETTINGS
        .iter()
        .flat_map(|s| s.rows)
        .map(|(label, show)| (*label, show(settings)))
        .collect()
}

/// How messages name a setting: its first row's label (`connect timeout`), else its id.
pub fn label(id: &str) -> String {
    SETTINGS
        .iter()
        .find(|s| s.id == id)
        .and_then(|s| s.rows.first())
        .map_or_else(|| id.replace('_', " "), |(label, _)| (*label).to_string())
}

/// How messages name a setting's config key.
pub fn key(id: &str) -> &'static str {
    SETTINGS
        .iter()
        .find(|s| s.id == id)
        .and_then(|s| s.key)
        .expect("a setting of the config file")
}

/// `invoke --local`: a flag that only means something for a call to the service is a usage
/// error that names it.
pub fn refuse_cloud_only(matches: &ArgMatches) -> Result<(), Failure> {
    for setting in SETTINGS {
        let CloudOnly(note) = setting.local else {
            continue;
        };
        if matches.value_source(setting.id) != Some(ValueSource::CommandLine) {
            continue;
        }
        let command = declared();
        let flag = match find(&command, setting.id) {
            Some(arg) if arg.get_long().is_none() => format!("a {} argument", value_name(arg)),
            _ => flag(&command, setting.id),
        };
        let note = note.map(|n| format!(" ({n})")).unwrap_or_default();
        return Err(Failure::usage(format!(
            "{flag}{note} is for a call to the service; leave it out with --local"
        )));
    }
    Ok(())
}

/// The arguments that carry settings, as clap declares them: `invoke`'s (every setting,
/// FUNCTION and its own flags), the global ones, `login`'s and `logs`'s. A fraction of the whole
/// command line to build, with the same names (a test checks).
pub fn declared() -> Command {
    let command = GlobalArgs::augment_args(Command::new("fgs"));
    let command = LtsSettingsArgs::augment_args(command);
    InvokeArgs::augment_args(LoginSettingsArgs::augment_args(command))
}

/// A flag as messages name it: `--region`, or `the FUNCTION argument` for a positional.
pub fn flag(command: &Command, id: &str) -> String {
    match find(command, id) {
        Some(arg) => match arg.get_long() {
            Some(long) => format!("--{long}"),
            None => format!("the {} argument", value_name(arg)),
        },
        None => id.to_string(),
    }
}

/// The environment variable clap reads a setting from.
pub fn env(command: &Command, id: &str) -> String {
    find(command, id)
        .and_then(Arg::get_env)
        .map_or_else(|| id.to_string(), |e| e.to_string_lossy().into_owned())
}

fn value_name(arg: &Arg) -> String {
    match arg.get_value_names() {
        Some([name, ..]) => name.to_string(),
        _ => arg.get_id().to_string(),
    }
}

/// The argument `id` of the command or of any of its subcommands: every subcommand that
/// takes a setting declares it the same way (one struct, flattened).
fn find<'a>(command: &'a Command, id: &str) -> Option<&'a Arg> {
    command
        .get_arguments()
        .find(|a| a.get_id() == id)
        .or_else(|| command.get_subcommands().find_map(|sub| find(sub, id)))
}

fn text(value: Option<&Sourced<String>>) -> Shown {
    sourced(value, Clone::clone)
}

fn sourced<T>(value: Option<&Sourced<T>>, shown: impl Fn(&T) -> String) -> Shown {
    value.map(|v| (shown(&v.value), v.source.to_string()))
}

fn seconds(value: &Sourced<std::time::Duration>) -> (String, String) {
    let seconds = crate::units::decimal(value.value.as_secs_f64());
    (format!("{seconds} s"), value.source.to_string())
}

/// The URN a call would go to; when it cannot be formed yet, why (as `auth` does).
fn urn(settings: &Settings) -> Shown {
    settings
        .function
        .as_ref()
        .map(|_| match settings.target(None, None) {
            Ok(t) => (t.urn.to_string(), "resolved".to_string()),
            Err(e) => (format!("(cannot be formed: {:#})", e.error), String::new()),
        })
}

fn endpoint(settings: &Settings) -> (String, String) {
    settings.endpoint.as_ref().map_or_else(
        || {
            (
                "https://functiongraph.{region}.myhuaweicloud.com (needs a region)".to_string(),
                "default".to_string(),
            )
        },
        |e| (shown_url(&e.value).to_string(), e.source.to_string()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each row names a clap argument that every subcommand taking it declares alike, and
    /// a key the config file knows.
    use clap::CommandFactory;

    #[test]
    fn the_table_agrees_with_clap_and_the_config_file() {
        fn each<'a>(command: &'a Command, id: &str, found: &mut Vec<&'a Arg>) {
            found.extend(command.get_arguments().filter(|a| a.get_id() == id));
            for sub in command.get_subcommands() {
                each(sub, id, found);
            }
        }
        let command = crate::cli::Cli::command();
        let declared = declared();
        for setting in SETTINGS {
            let named = find(&declared, setting.id).expect(setting.id);
            let mut found = Vec::new();
            each(&command, setting.id, &mut found);
            assert!(!found.is_empty(), "{} is no clap id", setting.id);
            // `status` takes its FUNCTION from the command line only.
            for arg in &found {
                assert_eq!(arg.get_long(), named.get_long(), "{}", setting.id);
                if arg.get_env().is_some() {
                    assert_eq!(arg.get_env(), named.get_env(), "{}", setting.id);
                }
            }
            if let Some(key) = setting.key {
                let e = toml::from_str::<crate::config_file::Values>(&format!("{key} = []"))
                    .unwrap_err()
                    .to_string();
                assert!(!e.contains("unknown field"), "{key}: {e}");
            }
        }
        assert_eq!(flag(&command, "connect_timeout"), "--connect-timeout");
        assert_eq!(flag(&command, "function"), "the FUNCTION argument");
        assert_eq!(
            env(&command, "iam_endpoint"),
            "HUAWEICLOUD_SDK_IAM_ENDPOINT"
        );
        assert_eq!(label("connect_timeout"), "connect timeout");
        assert_eq!(label("config"), "config file");
    }
}
