//! Turn what clap parsed, the environment and the config file into checked settings,
//! recording where each value came from.
//!
//! Precedence, highest first: flag > environment variable > the selected profile >
//! the file's top-level values > the URN (project id, region) > built-in default.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use clap::ArgMatches;
use clap::parser::ValueSource;

use clap::ValueEnum;

use crate::cli::{AuthMethod, SettingsArgs};
use crate::config::{ConfigFile, Values};
use crate::error::{Failure, Kind, OrKind};
use crate::urn::{self, FunctionRef};

/// The service's own synchronous limit (900 s) plus a margin, so fgs never cuts off a
/// function that is still running.
pub const DEFAULT_TIMEOUT_SECS: f64 = 930.0;

/// Where a value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Flag(&'static str),
    Env(&'static str),
    File {
        path: PathBuf,
        profile: Option<String>,
    },
    Urn,
    Default,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Flag(flag) => f.write_str(flag),
            Source::Env(var) => write!(f, "env {var}"),
            Source::File {
                path,
                profile: None,
            } => write!(f, "{}", path.display()),
            Source::File {
                path,
                profile: Some(p),
            } => {
                write!(f, "{} [profiles.{p}]", path.display())
            }
            Source::Urn => f.write_str("the URN"),
            Source::Default => f.write_str("default"),
        }
    }
}

/// A value and where it came from.
#[derive(Debug, Clone)]
pub struct Sourced<T> {
    pub value: T,
    pub source: Source,
}

impl<T> Sourced<T> {
    fn new(value: T, source: Source) -> Self {
        Sourced { value, source }
    }
}

/// How the token was given: the value itself, a file that holds it, or a command that
/// prints it.
#[derive(Debug, Clone)]
pub enum TokenSetting {
    Value(String),
    File(PathBuf),
    Command(String),
}

/// An access key pair as one layer gave it (each part optional until checked).
#[derive(Debug, Clone, Default)]
pub struct AkSkSetting {
    pub access_key: Option<String>,
    pub secret_key: Option<String>,
    pub security_token: Option<String>,
}

impl AkSkSetting {
    fn from_values(v: &Values) -> Option<AkSkSetting> {
        (v.access_key.is_some() || v.secret_key.is_some()).then(|| AkSkSetting {
            access_key: v.access_key.clone(),
            secret_key: v.secret_key.clone(),
            security_token: v.security_token.clone(),
        })
    }
}

/// Every setting, taken from its highest layer; not yet checked against each other.
#[derive(Debug)]
pub struct Layers {
    pub config: ConfigFile,
    pub config_explicit: Option<Source>,
    /// `$XDG_CONFIG_HOME/fgs/config.toml` or `~/.config/fgs/config.toml`.
    pub default_config_path: Option<PathBuf>,
    pub profile: Option<Sourced<String>>,
    pub function: Option<Sourced<String>>,
    pub project_id: Option<Sourced<String>>,
    pub token: Option<Sourced<TokenSetting>>,
    pub region: Option<Sourced<String>>,
    pub endpoint: Option<Sourced<String>>,
    pub timeout: Option<Sourced<String>>,
    pub auth: Option<Sourced<AuthMethod>>,
    /// AK/SK from `HUAWEICLOUD_SDK_*` or the config file; the SDK credentials file is read
    /// only when needed ([`Layers::sdk_credentials_file`]).
    pub aksk: Option<Sourced<AkSkSetting>>,
    /// `HUAWEICLOUD_SDK_PROJECT_ID`: a fallback below the URN's project id.
    pub sdk_project_id: Option<Sourced<String>>,
    /// The official SDK's shared credentials file (`HUAWEICLOUD_SDK_CREDENTIALS_FILE`, else
    /// `~/.huaweicloud/credentials`), read only when needed.
    pub sdk_credentials_path: Option<Sourced<PathBuf>>,
    /// The login token cache of the selected profile.
    pub login_cache_path: Option<PathBuf>,
    pub allow_http: bool,
    pub ca_cert: Option<Sourced<PathBuf>>,
    pub user: Option<Sourced<String>>,
    pub domain: Option<Sourced<String>>,
    pub iam_endpoint: Option<Sourced<String>>,
    /// Things worth a warning (a secret in a file others can read); printed by the caller.
    pub warnings: Vec<String>,
}

/// Values of the login command's own flags, layered like the others.
#[derive(Debug, Default)]
pub struct LoginFlags<'a> {
    pub user: Option<&'a String>,
    pub domain: Option<&'a String>,
    pub iam_endpoint: Option<&'a String>,
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

/// An environment variable that is set and not empty.
fn env_value(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// A value given on the command line or through its environment variable (clap reads both).
fn from_cli(
    value: Option<&String>,
    matches: &ArgMatches,
    id: &str,
    flag: &'static str,
    env: &'static str,
) -> Option<Sourced<String>> {
    let value = value?;
    match matches.value_source(id) {
        Some(ValueSource::EnvVariable) if value.is_empty() => None,
        Some(ValueSource::EnvVariable) => Some(Sourced::new(value.clone(), Source::Env(env))),
        _ => Some(Sourced::new(value.clone(), Source::Flag(flag))),
    }
}

impl Layers {
    /// Gather every layer. `matches` are the subcommand's own, to tell flags from env vars.
    pub fn load(
        args: &SettingsArgs,
        function: Option<&String>,
        matches: &ArgMatches,
    ) -> Result<Layers, Failure> {
        Layers::load_with(args, function, LoginFlags::default(), matches)
    }

    /// [`Layers::load`], with the login command's flags.
    pub fn load_with(
        args: &SettingsArgs,
        function: Option<&String>,
        login: LoginFlags,
        matches: &ArgMatches,
    ) -> Result<Layers, Failure> {
        let cli = |value: Option<&String>, id, flag, env| from_cli(value, matches, id, flag, env);
        let config_arg = args.config.as_ref().map(|p| p.display().to_string());
        let config_explicit = cli(config_arg.as_ref(), "config", "--config", "FGS_CONFIG");
        let default_config_path = crate::config::default_path(
            std::env::var_os("XDG_CONFIG_HOME").map(PathBuf::from),
            dirs::home_dir(),
        );
        let config = match &config_explicit {
            Some(path) => ConfigFile::load(Some(Path::new(&path.value)), true),
            None => ConfigFile::load(default_config_path.as_deref(), false),
        }
        .or_kind(Kind::Usage)?;
        let profile = cli(args.profile.as_ref(), "profile", "--profile", "FGS_PROFILE");
        let profile_values = match &profile {
            Some(p) => Some(
                config
                    .profile(&p.value)
                    .with_context(|| format!("profile from {}", p.source))
                    .or_kind(Kind::Usage)?,
            ),
            None => None,
        };
        let file = FileLayers {
            path: config.path.as_deref(),
            profile_name: profile.as_ref().map(|p| p.value.as_str()),
            profile: profile_values,
            top: &config.top,
        };
        let token = cli(args.token.as_ref(), "token", "--token", "FGS_TOKEN")
            .map(|s| Sourced::new(TokenSetting::Value(s.value), s.source))
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
        let auth = match matches.value_source("auth") {
            Some(ValueSource::EnvVariable) => {
                args.auth.map(|a| Sourced::new(a, Source::Env("FGS_AUTH")))
            }
            Some(_) => args.auth.map(|a| Sourced::new(a, Source::Flag("--auth"))),
            None => file
                .get(|v| v.auth.clone())
                .map(|a| {
                    AuthMethod::from_str(&a.value, true)
                        .map(|m| Sourced::new(m, a.source.clone()))
                        .map_err(|_| {
                            Failure::usage(format!(
                                "auth = `{}` in {}: use `token` or `aksk`",
                                a.value, a.source
                            ))
                        })
                })
                .transpose()?,
        };
        let env_aksk = AkSkSetting {
            access_key: env_value("HUAWEICLOUD_SDK_AK"),
            secret_key: env_value("HUAWEICLOUD_SDK_SK"),
            security_token: env_value("HUAWEICLOUD_SDK_SECURITY_TOKEN"),
        };
        let aksk = if env_aksk.access_key.is_some() || env_aksk.secret_key.is_some() {
            Some(Sourced::new(
                env_aksk,
                Source::Env("HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK"),
            ))
        } else {
            file.get(AkSkSetting::from_values)
        };
        let mut warnings = Vec::new();
        if let Some(path) = &config.path
            && config.top.holds_secret()
        {
            warnings.extend(crate::credentials::private_file_warning(path));
        }
        let ca_arg = args.ca_cert.as_ref().map(|p| p.display().to_string());
        let layers = Layers {
            function: cli(function, "function", "the FUNCTION argument", "FGS_URN")
                .or_else(|| file.get(|v| v.urn.clone())),
            project_id: cli(
                args.project_id.as_ref(),
                "project_id",
                "--project-id",
                "FGS_PROJECT_ID",
            )
            .or_else(|| file.get(|v| v.project_id.clone())),
            region: cli(args.region.as_ref(), "region", "--region", "FGS_REGION")
                .or_else(|| file.get(|v| v.region.clone())),
            endpoint: cli(
                args.endpoint.as_ref(),
                "endpoint",
                "--endpoint",
                "FGS_ENDPOINT",
            )
            .or_else(|| file.get(|v| v.endpoint.clone())),
            timeout: cli(args.timeout.as_ref(), "timeout", "--timeout", "FGS_TIMEOUT")
                .or_else(|| file.get(|v| v.timeout.map(|t| t.to_string()))),
            auth,
            aksk,
            sdk_credentials_path: match std::env::var_os("HUAWEICLOUD_SDK_CREDENTIALS_FILE")
                .filter(|p| !p.is_empty())
            {
                Some(p) => Some(Sourced::new(
                    PathBuf::from(p),
                    Source::Env("HUAWEICLOUD_SDK_CREDENTIALS_FILE"),
                )),
                None => dirs::home_dir().map(|h| {
                    Sourced::new(h.join(".huaweicloud").join("credentials"), Source::Default)
                }),
            },
            login_cache_path: crate::login::cache_path(
                std::env::var_os("XDG_CACHE_HOME").map(PathBuf::from),
                dirs::home_dir(),
                profile.as_ref().map(|p| p.value.as_str()),
            ),
            sdk_project_id: env_value("HUAWEICLOUD_SDK_PROJECT_ID")
                .map(|p| Sourced::new(p, Source::Env("HUAWEICLOUD_SDK_PROJECT_ID"))),
            allow_http: file.get(|v| v.allow_http).is_some_and(|a| a.value),
            ca_cert: cli(ca_arg.as_ref(), "ca_cert", "--ca-cert", "FGS_CA_CERT")
                .map(|s| Sourced::new(PathBuf::from(s.value), s.source))
                .or_else(|| {
                    file.get(|v| v.ca_cert.clone().map(|p| resolve_relative(&p, file.path)))
                }),
            user: cli(login.user, "user", "--user", "FGS_USER")
                .or_else(|| file.get(|v| v.user.clone())),
            domain: cli(login.domain, "domain", "--domain", "FGS_DOMAIN")
                .or_else(|| file.get(|v| v.domain.clone())),
            iam_endpoint: cli(
                login.iam_endpoint,
                "iam_endpoint",
                "--iam-endpoint",
                "HUAWEICLOUD_SDK_IAM_ENDPOINT",
            )
            .or_else(|| file.get(|v| v.iam_endpoint.clone())),
            warnings,
            token,
            profile,
            config_explicit: config_explicit.map(|c| c.source),
            default_config_path,
            config,
        };
        Ok(layers)
    }

    /// The function the user named, parsed.
    pub fn function_ref(&self) -> Result<Option<Sourced<FunctionRef>>, Failure> {
        let Some(function) = &self.function else {
            return Ok(None);
        };
        let parsed = FunctionRef::parse(&function.value)
            .map_err(|e| Failure::usage(format!("{e} (function from {})", function.source)))?;
        Ok(Some(Sourced::new(parsed, function.source.clone())))
    }

    /// The project id: explicit, else the URN's. An explicit one that disagrees with the
    /// URN's is an error.
    pub fn project_id(
        &self,
        function: Option<&FunctionRef>,
    ) -> Result<Option<Sourced<String>>, Failure> {
        let from_urn = function.and_then(|f| f.project_id.clone());
        match (&self.project_id, from_urn) {
            (Some(explicit), urn_value) => {
                urn::check_project_id(&explicit.value)
                    .map_err(|e| Failure::usage(format!("{e} (from {})", explicit.source)))?;
                if let Some(urn_value) = urn_value.filter(|u| *u != explicit.value) {
                    return Err(Failure::usage(format!(
                        "the project id `{}` from {} disagrees with the URN's project id `{urn_value}`",
                        explicit.value, explicit.source
                    )));
                }
                Ok(Some(explicit.clone()))
            }
            (None, Some(urn_value)) => Ok(Some(Sourced::new(urn_value, Source::Urn))),
            (None, None) => {
                let fallback = match &self.sdk_project_id {
                    Some(p) => Some(p.clone()),
                    None => crate::credentials::SdkCredentialsFile::load(self)
                        .or_kind(Kind::Usage)?
                        .and_then(|f| f.project_id.map(|p| Sourced::new(p, f.source))),
                };
                if let Some(p) = &fallback {
                    urn::check_project_id(&p.value)
                        .map_err(|e| Failure::usage(format!("{e} (from {})", p.source)))?;
                }
                Ok(fallback)
            }
        }
    }

    /// The region: explicit, else the URN's.
    pub fn region(
        &self,
        function: Option<&FunctionRef>,
    ) -> Result<Option<Sourced<String>>, Failure> {
        if let Some(explicit) = &self.region {
            urn::check_region(&explicit.value)
                .map_err(|e| Failure::usage(format!("{e} (from {})", explicit.source)))?;
            return Ok(Some(explicit.clone()));
        }
        Ok(function
            .and_then(|f| f.region.clone())
            .map(|r| Sourced::new(r, Source::Urn)))
    }

    /// The endpoint: explicit (checked to be an http(s) URL), else built from the region.
    pub fn endpoint(
        &self,
        region: Option<&Sourced<String>>,
    ) -> Result<Option<Sourced<String>>, Failure> {
        if let Some(explicit) = &self.endpoint {
            let checked = check_endpoint(&explicit.value)
                .map_err(|e| Failure::usage(format!("{e} (from {})", explicit.source)))?;
            return Ok(Some(Sourced::new(checked, explicit.source.clone())));
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
        Ok(Some(Sourced::new(
            format!("https://functiongraph.{}.myhuaweicloud.com", region.value),
            Source::Default,
        )))
    }

    pub fn timeout(&self) -> Result<Sourced<Duration>, Failure> {
        match &self.timeout {
            Some(t) => Ok(Sourced::new(
                parse_seconds(&t.value)
                    .map_err(|e| Failure::usage(format!("{e} (timeout from {})", t.source)))?,
                t.source.clone(),
            )),
            None => Ok(Sourced::new(
                Duration::from_secs_f64(DEFAULT_TIMEOUT_SECS),
                Source::Default,
            )),
        }
    }

    /// Where the config file is read from, whether or not it exists.
    pub fn config_location(&self) -> Option<PathBuf> {
        self.config
            .path
            .clone()
            .or_else(|| self.default_config_path.clone())
    }

    /// The file in use: the explicit one, else the default one if it exists.
    pub fn config_path(&self) -> Option<Sourced<PathBuf>> {
        let path = self.config.path.clone()?;
        Some(Sourced::new(
            path,
            self.config_explicit.clone().unwrap_or(Source::Default),
        ))
    }
}

/// Everything an invocation needs to know where to go, checked.
#[derive(Debug)]
pub struct Target {
    pub urn: String,
    pub project_id: String,
    pub region: String,
    pub endpoint: String,
    pub timeout: Duration,
}

impl Target {
    pub fn resolve(
        layers: &Layers,
        qualifier: Option<&str>,
        alias: Option<&str>,
    ) -> Result<Target, Failure> {
        let Some(function) = layers.function_ref()? else {
            return Err(Failure::usage(
                "no function given: name one (fgs invoke NAME), or set FGS_URN or `urn` in the config file",
            ));
        };
        let mut function = function.value;
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
        let project_id = layers.project_id(Some(&function))?.ok_or_else(|| {
            Failure::usage("no project id: give --project-id, FGS_PROJECT_ID, `project_id` in the config file, or a full URN")
        })?;
        let region = layers.region(Some(&function))?.ok_or_else(|| {
            Failure::usage(
                "no region: give --region, FGS_REGION, `region` in the config file, or a full URN",
            )
        })?;
        let endpoint = layers
            .endpoint(Some(&region))?
            .expect("a region gives an endpoint");
        crate::credentials::check_transport(
            &endpoint.value,
            &format!("endpoint from {}", endpoint.source),
            layers.allow_http,
        )?;
        let urn_region = function
            .region
            .clone()
            .unwrap_or_else(|| region.value.clone());
        Ok(Target {
            urn: function.to_urn(&urn_region, &project_id.value),
            project_id: project_id.value,
            region: region.value,
            endpoint: endpoint.value,
            timeout: layers.timeout()?.value,
        })
    }
}

/// Seconds as a positive number, fractions allowed.
pub fn parse_seconds(text: &str) -> Result<Duration, String> {
    let seconds: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number of seconds"))?;
    if !(seconds.is_finite() && seconds > 0.0 && seconds < 1e9) {
        return Err(format!("`{text}` is not a positive number of seconds"));
    }
    Ok(Duration::from_secs_f64(seconds))
}

/// An http(s) URL with a host and nothing after the path; the trailing `/` dropped.
pub fn check_endpoint(text: &str) -> Result<String, String> {
    let url =
        url::Url::parse(text.trim()).map_err(|e| format!("invalid endpoint `{text}`: {e}"))?;
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
    Ok(url.as_str().trim_end_matches('/').to_string())
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
    fn seconds() {
        assert_eq!(parse_seconds("1.5").unwrap(), Duration::from_millis(1500));
        assert!(parse_seconds("0").is_err());
        assert!(parse_seconds("-3").is_err());
        assert!(parse_seconds("ten").is_err());
        assert!(parse_seconds("inf").is_err());
    }

    #[test]
    fn endpoints() {
        assert_eq!(
            check_endpoint("http://127.0.0.1:8080/").unwrap(),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            check_endpoint("https://fg.example.com/base/").unwrap(),
            "https://fg.example.com/base"
        );
        assert!(check_endpoint("ftp://x").unwrap_err().contains("scheme"));
        assert!(check_endpoint("not a url").is_err());
        assert!(
            check_endpoint("https://u:p@x.com")
                .unwrap_err()
                .contains("credentials")
        );
        assert!(
            check_endpoint("https://x.com/?a=1")
                .unwrap_err()
                .contains("query")
        );
    }

    #[test]
    fn sources_read_well() {
        assert_eq!(Source::Env("FGS_REGION").to_string(), "env FGS_REGION");
        let f = Source::File {
            path: "/c.toml".into(),
            profile: Some("dev".into()),
        };
        assert_eq!(f.to_string(), "/c.toml [profiles.dev]");
        assert_eq!(
            resolve_relative(Path::new("t"), Some(Path::new("/a/c.toml"))),
            PathBuf::from("/a/t")
        );
        assert_eq!(
            resolve_relative(Path::new("/t"), Some(Path::new("/a/c.toml"))),
            PathBuf::from("/t")
        );
    }
}
