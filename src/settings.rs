//! Turn what clap parsed, the environment and the files into one checked [`Settings`],
//! each value with where it came from. Resolved once, right after parsing; only `Settings`
//! travels further, and nothing after it re-checks a value.
//!
//! Precedence, highest first: flag > environment variable > the selected profile >
//! the file's top-level values > the URN (project id, region) > built-in default.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use clap::ArgMatches;
use clap::ValueEnum;
use clap::parser::ValueSource;
use url::Url;

use crate::cli::{GlobalArgs, LoginSettingsArgs, SettingsArgs};
use crate::cloud::credentials::{
    self, AkSkSetting, Credentials, Inputs, Method, Notes, Scope, TokenSetting,
};
use crate::cloud::session::{Connection, Project, Session};
use crate::config_file::{self, ConfigFile, SdkCredentialsFile, Values};
use crate::error::{Failure, Kind, OrKind};
use crate::secret::Secret;
use crate::source::{Source, Sourced};
use crate::urn::{self, FunctionRef, Urn};

/// The service's own synchronous limit (900 s) plus a margin, so fgs never cuts off a
/// function that is still running.
pub const DEFAULT_TIMEOUT_SECS: f64 = 930.0;
pub const DEFAULT_CONNECT_TIMEOUT_SECS: f64 = 10.0;

/// A setting's names on the command line (clap's id and the flag) and in the environment.
/// Its config key is the field of [`Values`] it is read from, named at the one place below
/// that layers it.
struct Name {
    id: &'static str,
    flag: &'static str,
    env: &'static str,
}

const CONFIG: Name = Name {
    id: "config",
    flag: "--config",
    env: "FGS_CONFIG",
};
const PROFILE: Name = Name {
    id: "profile",
    flag: "--profile",
    env: "FGS_PROFILE",
};
const FUNCTION: Name = Name {
    id: "function",
    flag: "the FUNCTION argument",
    env: "FGS_URN",
};
const PROJECT_ID: Name = Name {
    id: "project_id",
    flag: "--project-id",
    env: "FGS_PROJECT_ID",
};
const REGION: Name = Name {
    id: "region",
    flag: "--region",
    env: "FGS_REGION",
};
const ENDPOINT: Name = Name {
    id: "endpoint",
    flag: "--endpoint",
    env: "FGS_ENDPOINT",
};
const TIMEOUT: Name = Name {
    id: "timeout",
    flag: "--timeout",
    env: "FGS_TIMEOUT",
};
const CONNECT_TIMEOUT: Name = Name {
    id: "connect_timeout",
    flag: "--connect-timeout",
    env: "FGS_CONNECT_TIMEOUT",
};
const TOKEN: Name = Name {
    id: "token",
    flag: "--token",
    env: "FGS_TOKEN",
};
const AUTH: Name = Name {
    id: "auth",
    flag: "--auth",
    env: "FGS_AUTH",
};
const CA_CERT: Name = Name {
    id: "ca_cert",
    flag: "--ca-cert",
    env: "FGS_CA_CERT",
};
const USER: Name = Name {
    id: "user",
    flag: "--user",
    env: "FGS_USER",
};
const DOMAIN: Name = Name {
    id: "domain",
    flag: "--domain",
    env: "FGS_DOMAIN",
};
const METADATA_ENDPOINT: Name = Name {
    id: "metadata_endpoint",
    flag: "--metadata-endpoint",
    env: "FGS_METADATA_ENDPOINT",
};
const IAM_ENDPOINT: Name = Name {
    id: "iam_endpoint",
    flag: "--iam-endpoint",
    env: "HUAWEICLOUD_SDK_IAM_ENDPOINT",
};

/// Every setting, resolved and checked.
#[derive(Debug)]
pub struct Settings {
    /// The config file in use: the explicit one, else the default one if it exists.
    pub config_file: Option<Sourced<PathBuf>>,
    /// Where the config file is read from, whether or not it exists.
    pub config_location: Option<PathBuf>,
    pub profile: Option<Sourced<String>>,
    /// The function as given, and parsed.
    pub function_text: Option<Sourced<String>>,
    pub function: Option<Sourced<FunctionRef>>,
    /// Explicit (and agreeing with the URN's), else the URN's, else the SDK's fallbacks.
    pub project_id: Option<Sourced<String>>,
    /// Explicit, else the URN's.
    pub region: Option<Sourced<String>>,
    /// Explicit, else formed from the region.
    pub endpoint: Option<Sourced<Url>>,
    pub timeout: Sourced<Duration>,
    pub connect_timeout: Sourced<Duration>,
    pub ca_cert: Option<Sourced<PathBuf>>,
    pub allow_http: bool,
    pub credentials: Inputs,
    pub user: Option<Sourced<String>>,
    pub domain: Option<Sourced<String>>,
    pub iam_endpoint: Option<Sourced<Url>>,
    /// Things worth a warning (a secret in a file others can read); printed by the caller.
    pub warnings: Vec<String>,
}

/// The file layers: the selected profile, then the top level.
struct FileLayers<'a> {
    path: Option<&'a Path>,
    profile_name: Option<&'a str>,
    profile: Option<&'a Values>,
    top: &'a Values,
}

impl FileLayers<'_> {
    fn get<T>(&self, key: impl Fn(&Values) -> Option<T>) -> Option<Sourced<T>> {
        let path = self.path?;
        let from_profile = self.profile.and_then(&key).map(|v| {
            Sourced::new(
                v,
                Source::File {
                    path: path.to_path_buf(),
                    profile: self.profile_name.map(str::to_string),
                },
            )
        });
        from_profile.or_else(|| {
            key(self.top).map(|v| {
                Sourced::new(
                    v,
                    Source::File {
                        path: path.to_path_buf(),
                        profile: None,
                    },
                )
            })
        })
    }
}

/// Values given on the command line or through their environment variables (clap reads
/// both; `matches` tell which).
struct Given<'a> {
    matches: &'a ArgMatches,
}

impl Given<'_> {
    fn get<T: Clone>(
        &self,
        name: &Name,
        value: Option<&T>,
        empty: fn(&T) -> bool,
    ) -> Option<Sourced<T>> {
        let value = value?;
        match self.matches.value_source(name.id) {
            Some(ValueSource::EnvVariable) if empty(value) => None,
            Some(ValueSource::EnvVariable) => {
                Some(Sourced::new(value.clone(), Source::Env(name.env)))
            }
            _ => Some(Sourced::new(value.clone(), Source::Flag(name.flag))),
        }
    }

    fn text(&self, name: &Name, value: Option<&String>) -> Option<Sourced<String>> {
        self.get(name, value, String::is_empty)
    }

    /// A path, kept as the OS gave it (it need not be UTF-8).
    fn path(&self, name: &Name, value: Option<&PathBuf>) -> Option<Sourced<PathBuf>> {
        self.get(name, value, |p| p.as_os_str().is_empty())
    }
}

/// An environment variable that is set and not empty. One that is set but not UTF-8 is an
/// error that says so, rather than a value taken as missing.
fn env_value(name: &'static str) -> Result<Option<String>, Failure> {
    match std::env::var_os(name).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(value) => value.into_string().map(Some).map_err(|_| {
            Failure::usage(format!(
                "env {name} is set but its value is not valid UTF-8"
            ))
        }),
    }
}

fn env_secret(name: &'static str) -> Result<Option<Secret>, Failure> {
    Ok(env_value(name)?.map(Secret::from))
}

/// A path from the environment, kept as the OS gave it; empty counts as unset.
fn env_path(name: &str) -> Option<PathBuf> {
    std::env::var_os(name)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

impl Settings {
    /// Gather every layer and check every value. `matches` are the subcommand's own, to tell
    /// flags from environment variables.
    pub fn resolve(
        global: &GlobalArgs,
        args: &SettingsArgs,
        function: Option<&String>,
        login: &LoginSettingsArgs,
        matches: &ArgMatches,
    ) -> Result<Settings, Failure> {
        let given = Given { matches };
        let Files {
            config,
            config_explicit,
            default_config_path,
            profile,
            warnings,
        } = Files::load(global, &given)?;
        let file = config.layers(profile.as_ref());

        let forced = match given.get(&AUTH, args.auth.as_ref(), |_| false) {
            Some(a) => Some(a),
            None => file
                .get(|v| v.auth.clone())
                .map(|a| {
                    Method::from_str(&a.value, true)
                        .map(|m| Sourced::new(m, a.source.clone()))
                        .map_err(|_| {
                            Failure::usage(format!(
                                "auth = `{}` in {}: use `token`, `aksk` or `metadata`",
                                a.value, a.source
                            ))
                        })
                })
                .transpose()?,
        };
        let function_text = given
            .text(&FUNCTION, function)
            .or_else(|| file.get(|v| v.urn.clone()));
        let function = function_text
            .as_ref()
            .map(|f| {
                FunctionRef::parse(&f.value)
                    .map(|parsed| Sourced::new(parsed, f.source.clone()))
                    .map_err(|e| Failure::usage(format!("{e} (function from {})", f.source)))
            })
            .transpose()?;
        let fref = function.as_ref().map(|f| &f.value);

        // The SDK's shared credentials file is one layer, read at most once and only when
        // it is consulted: below everything else for the key pair, and below the URN for
        // the project id.
        let sdk_file = std::cell::OnceCell::new();
        let project_id = project_id(
            given
                .text(&PROJECT_ID, args.project_id.as_ref())
                .or_else(|| file.get(|v| v.project_id.clone())),
            fref,
            &sdk_file,
        )?;
        let region = region(
            given
                .text(&REGION, args.region.as_ref())
                .or_else(|| file.get(|v| v.region.clone())),
            fref,
        )?;
        let endpoint = endpoint(
            given
                .text(&ENDPOINT, args.endpoint.as_ref())
                .or_else(|| file.get(|v| v.endpoint.clone())),
            region.as_ref(),
        )?;
        let timeout = seconds(
            &TIMEOUT,
            given.text(&TIMEOUT, args.timeout.as_ref()),
            file.get(|v| v.timeout),
            DEFAULT_TIMEOUT_SECS,
        )?;
        let connect_timeout = seconds(
            &CONNECT_TIMEOUT,
            given.text(&CONNECT_TIMEOUT, args.connect_timeout.as_ref()),
            file.get(|v| v.connect_timeout),
            DEFAULT_CONNECT_TIMEOUT_SECS,
        )?;
        let ca_cert = given
            .path(&CA_CERT, args.ca_cert.as_ref())
            .or_else(|| file.get(|v| v.ca_cert.clone().map(|p| resolve_relative(&p, file.path))));
        let iam_endpoint = checked_url(
            given
                .text(&IAM_ENDPOINT, login.iam_endpoint.as_ref())
                .or_else(|| file.get(|v| v.iam_endpoint.clone())),
        )?;
        // Unset means the default, which the credentials know.
        let metadata_endpoint = checked_url(
            given
                .text(&METADATA_ENDPOINT, args.metadata_endpoint.as_ref())
                .or_else(|| file.get(|v| v.metadata_endpoint.clone())),
        )?;
        let token = given
            .get(&TOKEN, args.token.as_ref(), Secret::is_empty)
            .map(|s| s.map(TokenSetting::Value))
            .or_else(|| {
                file.get(|v| {
                    v.token
                        .clone()
                        .map(TokenSetting::Value)
                        .or_else(|| {
                            v.token_file
                                .clone()
                                .map(|p| TokenSetting::File(resolve_relative(&p, file.path)))
                        })
                        .or_else(|| v.token_command.clone().map(TokenSetting::Command))
                })
            });
        let env_aksk = AkSkSetting {
            access_key: env_secret("HUAWEICLOUD_SDK_AK")?,
            secret_key: env_secret("HUAWEICLOUD_SDK_SK")?,
            security_token: env_secret("HUAWEICLOUD_SDK_SECURITY_TOKEN")?,
            file: None,
        };
        let aksk = if env_aksk.access_key.is_some() || env_aksk.secret_key.is_some() {
            Some(Sourced::new(
                env_aksk,
                Source::Env("HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK"),
            ))
        } else {
            file.get(|v| {
                (v.access_key.is_some() || v.secret_key.is_some()).then(|| AkSkSetting {
                    access_key: v.access_key.clone(),
                    secret_key: v.secret_key.clone(),
                    security_token: v.security_token.clone(),
                    file: None,
                })
            })
        };
        let sdk_file = match aksk {
            Some(_) => SdkFile::Absent,
            None => sdk_file.into_inner().unwrap_or_else(sdk_credentials_file),
        };
        let (aksk, unreadable) = match (aksk, sdk_file) {
            (Some(aksk), _) => (Some(aksk), None),
            (None, SdkFile::Read { path, file }) => {
                let aksk = (file.access_key.is_some() || file.secret_key.is_some()).then(|| {
                    Sourced::new(
                        AkSkSetting {
                            access_key: file.access_key,
                            secret_key: file.secret_key,
                            security_token: file.security_token,
                            file: Some(path.clone()),
                        },
                        Source::File {
                            path,
                            profile: Some("basic".into()),
                        },
                    )
                });
                (aksk, None)
            }
            (None, SdkFile::Unreadable(chain)) => (None, Some(chain)),
            (None, SdkFile::Absent) => (None, None),
        };
        let credentials = Inputs {
            forced,
            token,
            aksk,
            unreadable,
            login_cache: crate::cloud::iam::cache_path(
                std::env::var_os("XDG_CACHE_HOME").map(PathBuf::from),
                dirs::home_dir(),
                profile.as_ref().map(|p| p.value.as_str()),
            ),
            koocli: crate::cloud::koocli::default_path(),
            metadata_endpoint,
        };

        Ok(Settings {
            config_file: config.path.clone().map(|path| {
                Sourced::new(
                    path,
                    config_explicit
                        .as_ref()
                        .map_or(Source::Default, |c| c.source.clone()),
                )
            }),
            config_location: config.path.clone().or(default_config_path),
            function_text,
            function,
            project_id,
            region,
            endpoint,
            timeout,
            connect_timeout,
            ca_cert,
            allow_http: args.allow_http || file.get(|v| v.allow_http).is_some_and(|a| a.value),
            credentials,
            user: given
                .text(&USER, login.user.as_ref())
                .or_else(|| file.get(|v| v.user.clone())),
            domain: given
                .text(&DOMAIN, login.domain.as_ref())
                .or_else(|| file.get(|v| v.domain.clone())),
            iam_endpoint,
            warnings,
            profile,
        })
    }

    /// Where an invocation goes, for `invoke`: everything it needs must be there.
    pub fn target(&self, qualifier: Option<&str>, alias: Option<&str>) -> Result<Target, Failure> {
        let Some(function) = &self.function else {
            return Err(Failure::usage(
                "no function given: name one (fgs invoke NAME), or set FGS_URN or `urn` in the config file",
            ));
        };
        let mut function = function.value.clone();
        let wanted = match (qualifier, alias) {
            (Some(v), _) => Some(urn::version_qualifier(v).map_err(Failure::usage)?),
            (_, Some(a)) => Some(urn::alias_qualifier(a).map_err(Failure::usage)?),
            _ => None,
        };
        if let Some(wanted) = wanted {
            if let Some(named) = &function.qualifier {
                return Err(Failure::usage(format!(
                    "the URN already names `{named}`: leave out --qualifier/--alias, or the URN's last field"
                )));
            }
            function.qualifier = Some(wanted);
        }
        let project = self.project()?;
        let urn_region = function
            .region
            .clone()
            .unwrap_or_else(|| project.region.clone());
        Ok(Target {
            urn: function.to_urn(&urn_region, &project.id),
            project,
        })
    }

    /// The credentials for calls to `project` (or, without one, to what the settings name
    /// so far), and what to print about them: the settings' own warnings, the plain-http one,
    /// then those of finding them. `run_commands: false` leaves a `token_command` unrun.
    pub fn credentials(
        &self,
        project: Option<&Project>,
        run_commands: bool,
    ) -> (Result<Credentials, Failure>, Notes) {
        let mut notes = Notes {
            warnings: self.warnings.clone(),
            ..Notes::default()
        };
        let scope = match project {
            Some(project) => {
                notes.warnings.extend(project.plain_http.clone());
                Scope {
                    region: Some(&project.region),
                    project_id: Some(&project.id),
                }
            }
            None => Scope {
                region: self.region.as_ref().map(|r| r.value.as_str()),
                project_id: self.project_id.as_ref().map(|p| p.value.as_str()),
            },
        };
        let found = credentials::resolve(
            &self.credentials,
            scope,
            std::time::SystemTime::now(),
            run_commands,
            &mut notes,
        );
        (found, notes)
    }

    /// The one [`Session`] of a run: its credentials found (a `token_command` run unless
    /// `quiet`), a client trusting the CA bundle set. What to print about the credentials
    /// comes back beside it, whatever the outcome. `quiet` (a Tab press) also caps both of
    /// the client's deadlines at its own.
    pub fn session(
        &self,
        project: Project,
        pool: usize,
        quiet: Option<Duration>,
    ) -> (Result<Session, Failure>, Notes) {
        let (credentials, notes) = self.credentials(Some(&project), quiet.is_none());
        let connection = Connection {
            connect: quiet.map_or(self.connect_timeout.value, |deadline| {
                self.connect_timeout.value.min(deadline)
            }),
            total: quiet.unwrap_or(project.timeout),
            pool,
        };
        let session = credentials.and_then(|credentials| {
            Session::new(
                project,
                credentials,
                self.ca_cert_pem()?.as_deref(),
                connection,
            )
        });
        (session, notes)
    }

    /// The extra CA certificates to trust, when a file is set (at most 1 MiB of them).
    pub fn ca_cert_pem(&self) -> Result<Option<Vec<u8>>, Failure> {
        self.ca_cert
            .as_ref()
            .map(|c| {
                config_file::read_limited(&c.value)
                    .with_context(|| {
                        format!(
                            "reading the CA certificate {} (from {})",
                            c.value.display(),
                            c.source
                        )
                    })
                    .or_kind(Kind::Usage)
            })
            .transpose()
    }

    /// Where the project's API calls go, for commands that need no function (`list`) or
    /// name it themselves: the project id, region and endpoint must be there.
    pub fn project(&self) -> Result<Project, Failure> {
        let project_id = self.project_id.as_ref().ok_or_else(|| {
            let metadata = self
                .credentials
                .forced
                .as_ref()
                .is_some_and(|f| f.value == Method::Metadata);
            Failure::usage(format!(
                "no project id: give --project-id, FGS_PROJECT_ID, `project_id` in the config file, or a full URN{}",
                if metadata { " (the ECS metadata service gives keys, not a project id)" } else { "" }
            ))
        })?;
        let region = self.region.as_ref().ok_or_else(|| {
            Failure::usage(
                "no region: give --region, FGS_REGION, `region` in the config file, or a full URN",
            )
        })?;
        let endpoint = self.endpoint.as_ref().expect("a region gives an endpoint");
        let plain_http = credentials::check_transport(
            &endpoint.value,
            &format!("endpoint from {}", endpoint.source),
            self.allow_http,
        )?;
        Ok(Project {
            id: project_id.value.clone(),
            region: region.value.clone(),
            endpoint: endpoint.value.clone(),
            timeout: self.timeout.value,
            plain_http,
        })
    }
}

/// The config file (explicit or default), the selected profile, and the warnings reading
/// them gave: the first layers of every command.
struct Files {
    config: ConfigFile,
    config_explicit: Option<Sourced<PathBuf>>,
    default_config_path: Option<PathBuf>,
    profile: Option<Sourced<String>>,
    warnings: Vec<String>,
}

impl Files {
    fn load(global: &GlobalArgs, given: &Given) -> Result<Files, Failure> {
        let config_explicit = given.path(&CONFIG, global.config.as_ref());
        let default_config_path = config_file::default_location();
        let config = match &config_explicit {
            Some(path) => ConfigFile::load(Some(&path.value), true),
            None => ConfigFile::load(default_config_path.as_deref(), false),
        }
        .or_kind(Kind::Usage)?;
        let profile = given.text(&PROFILE, global.profile.as_ref());
        if let Some(p) = &profile
            && let Err(e) = config.profile(&p.value)
        {
            return Err(Failure::usage(format!("{e} (profile from {})", p.source)));
        }
        let mut warnings = Vec::new();
        if let Some(path) = &config.path
            && config.top.holds_secret()
        {
            warnings.extend(config_file::private_file_warning(path));
        }
        Ok(Files {
            config,
            config_explicit,
            default_config_path,
            profile,
            warnings,
        })
    }
}

impl ConfigFile {
    /// The file's layers under `profile` (checked to exist by [`Files::load`]).
    fn layers<'a>(&'a self, profile: Option<&'a Sourced<String>>) -> FileLayers<'a> {
        FileLayers {
            path: self.path.as_deref(),
            profile_name: profile.map(|p| p.value.as_str()),
            profile: profile.and_then(|p| self.profile(&p.value).ok()),
            top: &self.top,
        }
    }
}

/// What a local function run needs of the settings: the interpreters (`FGS_PYTHON`,
/// `FGS_NODE`, config `python` and `node`) and the warnings reading the config file gave.
/// Cloud settings from the environment or the file are not read at all.
pub struct LocalSettings {
    pub interpreters: crate::local::Interpreters,
    pub warnings: Vec<String>,
}

impl LocalSettings {
    pub fn resolve(global: &GlobalArgs, matches: &ArgMatches) -> Result<LocalSettings, Failure> {
        let Files {
            config,
            profile,
            warnings,
            ..
        } = Files::load(global, &Given { matches })?;
        let file = config.layers(profile.as_ref());
        let interpreter = |env: &str, key: fn(&Values) -> Option<PathBuf>| {
            env_path(env).or_else(|| file.get(key).map(|p| resolve_relative(&p.value, file.path)))
        };
        Ok(LocalSettings {
            interpreters: crate::local::Interpreters {
                python: interpreter("FGS_PYTHON", |v| v.python.clone()),
                node: interpreter("FGS_NODE", |v| v.node.clone()),
            },
            warnings,
        })
    }
}

/// Everything an invocation needs to know where to go, checked: the function's full URN in
/// its project.
#[derive(Debug)]
pub struct Target {
    pub urn: Urn,
    pub project: Project,
}

/// What became of the SDK's shared credentials file.
enum SdkFile {
    Absent,
    Read {
        path: PathBuf,
        file: SdkCredentialsFile,
    },
    /// It could not be read: the error's chain, reported only when the file is consulted.
    Unreadable(Vec<String>),
}

/// `HUAWEICLOUD_SDK_CREDENTIALS_FILE`, else `~/.huaweicloud/credentials` (which may be
/// absent).
fn sdk_credentials_file() -> SdkFile {
    let (path, explicit) =
        match std::env::var_os("HUAWEICLOUD_SDK_CREDENTIALS_FILE").filter(|p| !p.is_empty()) {
            Some(p) => (PathBuf::from(p), true),
            None => match dirs::home_dir() {
                Some(home) => (home.join(".huaweicloud").join("credentials"), false),
                None => return SdkFile::Absent,
            },
        };
    match SdkCredentialsFile::load(&path, explicit) {
        Ok(Some(file)) => SdkFile::Read { path, file },
        Ok(None) => SdkFile::Absent,
        Err(e) => SdkFile::Unreadable(e.chain().map(ToString::to_string).collect()),
    }
}

/// The project id: explicit, else the URN's, else `HUAWEICLOUD_SDK_PROJECT_ID`, else the SDK
/// credentials file's. An explicit one that disagrees with the URN's is an error.
fn project_id(
    explicit: Option<Sourced<String>>,
    function: Option<&FunctionRef>,
    sdk_file: &std::cell::OnceCell<SdkFile>,
) -> Result<Option<Sourced<String>>, Failure> {
    let from_urn = function.and_then(|f| f.project_id.clone());
    let checked = |p: Sourced<String>| {
        urn::check_project_id(&p.value)
            .map_err(|e| Failure::usage(format!("{e} (from {})", p.source)))?;
        Ok(Some(p))
    };
    match (explicit, from_urn) {
        (Some(explicit), urn_value) => {
            if let Some(urn_value) = urn_value.filter(|u| *u != explicit.value) {
                urn::check_project_id(&explicit.value)
                    .map_err(|e| Failure::usage(format!("{e} (from {})", explicit.source)))?;
                return Err(Failure::usage(format!(
                    "the project id `{}` from {} disagrees with the URN's project id `{urn_value}`",
                    explicit.value, explicit.source
                )));
            }
            checked(explicit)
        }
        (None, Some(urn_value)) => Ok(Some(Sourced::new(urn_value, Source::Urn))),
        (None, None) => {
            if let Some(p) = env_value("HUAWEICLOUD_SDK_PROJECT_ID")? {
                return checked(Sourced::new(p, Source::Env("HUAWEICLOUD_SDK_PROJECT_ID")));
            }
            match sdk_file.get_or_init(sdk_credentials_file) {
                SdkFile::Read { path, file } => match &file.project_id {
                    Some(p) => checked(Sourced::new(
                        p.clone(),
                        Source::File {
                            path: path.clone(),
                            profile: Some("basic".into()),
                        },
                    )),
                    None => Ok(None),
                },
                SdkFile::Unreadable(chain) => {
                    Err(Failure::new(Kind::Usage, credentials::replay(chain)))
                }
                SdkFile::Absent => Ok(None),
            }
        }
    }
}

/// The region: explicit, else the URN's.
fn region(
    explicit: Option<Sourced<String>>,
    function: Option<&FunctionRef>,
) -> Result<Option<Sourced<String>>, Failure> {
    if let Some(explicit) = explicit {
        urn::check_region(&explicit.value)
            .map_err(|e| Failure::usage(format!("{e} (from {})", explicit.source)))?;
        return Ok(Some(explicit));
    }
    Ok(function
        .and_then(|f| f.region.clone())
        .map(|r| Sourced::new(r, Source::Urn)))
}

/// The endpoint: explicit (checked to be an http(s) URL), else formed from the region.
fn endpoint(
    explicit: Option<Sourced<String>>,
    region: Option<&Sourced<String>>,
) -> Result<Option<Sourced<Url>>, Failure> {
    if let Some(explicit) = explicit {
        let checked = check_endpoint(&explicit.value)
            .map_err(|e| Failure::usage(format!("{e} (from {})", explicit.source)))?;
        return Ok(Some(Sourced::new(checked, explicit.source)));
    }
    let Some(region) = region else {
        return Ok(None);
    };
    urn::check_region(&region.value).map_err(|e| {
        Failure::usage(format!(
            "{e} (from {}); it cannot form a host name: give --region or --endpoint",
            region.source
        ))
    })?;
    let url = Url::parse(&format!(
        "https://functiongraph.{}.myhuaweicloud.com",
        region.value
    ))
    .map_err(|e| Failure::usage(format!("region `{}` cannot form a URL: {e}", region.value)))?;
    Ok(Some(Sourced::new(url, Source::Default)))
}

/// A number of seconds from a flag or variable (text) or the config file (a number), else
/// the default; checked once, into a `Duration`.
fn seconds(
    name: &Name,
    given: Option<Sourced<String>>,
    file: Option<Sourced<f64>>,
    default: f64,
) -> Result<Sourced<Duration>, Failure> {
    let what = name.id.replace('_', " ");
    if let Some(t) = given {
        return parse_seconds(&t.value)
            .map(|d| Sourced::new(d, t.source.clone()))
            .map_err(|e| Failure::usage(format!("{e} ({what} from {})", t.source)));
    }
    if let Some(t) = file {
        return from_seconds(t.value, &shown_number(t.value))
            .map(|d| Sourced::new(d, t.source.clone()))
            .map_err(|e| Failure::usage(format!("{e} ({what} from {})", t.source)));
    }
    Ok(Sourced::new(
        Duration::from_secs_f64(default),
        Source::Default,
    ))
}

/// The timeouts' range in seconds: a millisecond to a day (synchronous calls cannot outlast
/// 900 s, but asynchronous waits can).
pub const MIN_SECONDS: f64 = 0.001;
pub const MAX_SECONDS: f64 = 86_400.0;

/// Seconds from [`MIN_SECONDS`] to [`MAX_SECONDS`], fractions allowed.
pub fn parse_seconds(text: &str) -> Result<Duration, String> {
    let seconds: f64 = text.trim().parse().unwrap_or(f64::NAN);
    from_seconds(seconds, &shown_text(text))
}

fn from_seconds(seconds: f64, shown: &str) -> Result<Duration, String> {
    // NaN fails both comparisons.
    if !(MIN_SECONDS..=MAX_SECONDS).contains(&seconds) {
        return Err(format!(
            "`{shown}` is not a number of seconds from {MIN_SECONDS} to {MAX_SECONDS}"
        ));
    }
    Ok(Duration::from_secs_f64(seconds))
}

/// A number from the config file as people write it: `1e300`, not 301 digits.
fn shown_number(value: f64) -> String {
    if value == 0.0 || (1e-4..1e16).contains(&value.abs()) {
        value.to_string()
    } else {
        format!("{value:e}")
    }
}

/// A value as the user gave it, cut short when it is long.
fn shown_text(text: &str) -> String {
    const MAX: usize = 32;
    if text.chars().count() <= MAX {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(MAX).collect::<String>())
    }
}

/// An http(s) URL with a host and no query, fragment or credentials.
pub fn check_endpoint(text: &str) -> Result<Url, String> {
    let url = Url::parse(text.trim()).map_err(|e| format!("invalid endpoint `{text}`: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!(
            "invalid endpoint `{text}`: the scheme must be http or https"
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!("invalid endpoint `{text}`: it has no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!(
            "invalid endpoint `{}`: it must not hold credentials",
            url.host_str().unwrap_or_default()
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!(
            "invalid endpoint `{text}`: it must not have a query or fragment"
        ));
    }
    Ok(url)
}

/// A URL setting, checked as [`check_endpoint`] checks it.
fn checked_url(given: Option<Sourced<String>>) -> Result<Option<Sourced<Url>>, Failure> {
    given
        .map(|e| {
            check_endpoint(&e.value)
                .map(|url| Sourced::new(url, e.source.clone()))
                .map_err(|m| Failure::usage(format!("{m} (from {})", e.source)))
        })
        .transpose()
}

/// An endpoint as people read it: without the trailing `/`.
pub fn shown_url(url: &Url) -> &str {
    url.as_str().trim_end_matches('/')
}

/// A relative `token_file` is relative to the config file's directory.
fn resolve_relative(path: &Path, config: Option<&Path>) -> PathBuf {
    match config.and_then(Path::parent) {
        Some(dir) if path.is_relative() => dir.join(path),
        _ => path.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_are_checked_once() {
        assert_eq!(parse_seconds("1.5").unwrap(), Duration::from_millis(1500));
        assert!(parse_seconds("0").is_err());
        assert!(parse_seconds("-3").is_err());
        assert!(parse_seconds("ten").is_err());
        assert!(parse_seconds("inf").is_err());
        assert!(parse_seconds("NaN").is_err());
        assert_eq!(parse_seconds("0.001").unwrap(), Duration::from_millis(1));
        assert_eq!(parse_seconds("86400").unwrap(), Duration::from_secs(86_400));
        assert_eq!(
            parse_seconds("1e-300").unwrap_err(),
            "`1e-300` is not a number of seconds from 0.001 to 86400"
        );
        assert!(parse_seconds("86400.5").is_err());
        let long = "9".repeat(400);
        let e = parse_seconds(&long).unwrap_err();
        assert!(e.chars().count() < 100, "{e}");
        let e = seconds(
            &TIMEOUT,
            None,
            Some(Sourced::new(1e300, Source::Default)),
            930.0,
        )
        .unwrap_err();
        assert_eq!(
            format!("{:#}", e.error),
            "`1e300` is not a number of seconds from 0.001 to 86400 (timeout from default)"
        );
        assert_eq!(shown_number(2.5), "2.5");
        assert_eq!(shown_number(-1e-300), "-1e-300");
        assert_eq!(shown_number(f64::INFINITY), "inf");
        let from_file = seconds(
            &TIMEOUT,
            None,
            Some(Sourced::new(2.5, Source::Default)),
            930.0,
        )
        .unwrap();
        assert_eq!(from_file.value, Duration::from_millis(2500));
    }

    #[test]
    fn endpoints() {
        let shown = |t: &str| check_endpoint(t).map(|u| shown_url(&u).to_string());
        assert_eq!(
            shown("http://127.0.0.1:8080/").unwrap(),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            shown("https://fg.example.com/base/").unwrap(),
            "https://fg.example.com/base"
        );
        assert!(shown("ftp://x").unwrap_err().contains("scheme"));
        assert!(shown("not a url").is_err());
        assert!(
            shown("https://u:p@x.com")
                .unwrap_err()
                .contains("credentials")
        );
        assert!(shown("https://x.com/?a=1").unwrap_err().contains("query"));
    }

    #[test]
    fn relative_paths_and_replayed_errors() {
        assert_eq!(
            resolve_relative(Path::new("t"), Some(Path::new("/a/c.toml"))),
            PathBuf::from("/a/t")
        );
        assert_eq!(
            resolve_relative(Path::new("/t"), Some(Path::new("/a/c.toml"))),
            PathBuf::from("/t")
        );
        let e = credentials::replay(&["outer".into(), "inner".into()]);
        assert_eq!(format!("{e:#}"), "outer: inner");
    }
}
