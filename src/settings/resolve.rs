//! [`Settings::resolve`], one named step a group of settings, in the order their errors are
//! reported; and [`LocalSettings`], the little a local run reads.

use std::cell::OnceCell;
use std::path::PathBuf;

use clap::{ArgMatches, ValueEnum};

use super::checks::{
    self, DEFAULT_CONNECT_TIMEOUT_SECS, DEFAULT_TIMEOUT_SECS, checked_url, endpoint, project_id,
    region,
};
use super::layers::{FileLayers, Files, Given, Layers, env_path, env_secret, resolve_relative};
use super::{Settings, defs};
use crate::cli::{GlobalArgs, LoginSettingsArgs, SettingsArgs};
use crate::cloud::credentials::{AkSkSetting, Inputs, Method, TokenSetting};
use crate::config_file::{SDK_SECTION, SdkFile, Values, sdk_credentials_file};
use crate::error::Failure;
use crate::source::{Source, Sourced};
use crate::urn::FunctionRef;

/// The function as given (a flag, `FGS_URN` or `urn`), and parsed.
type Function = (Option<Sourced<String>>, Option<Sourced<FunctionRef>>);

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
        let given = Given::new(matches);
        let files = Files::load(global, &given)?;
        let layers = Layers {
            given: &given,
            file: files.layers(),
        };
        let forced = forced_method(&layers, args)?;
        let (function_text, function) = function_setting(&layers, function)?;
        // The SDK's shared credentials file is one layer, read at most once and only when
        // it is consulted: below everything else for the key pair, and below the URN for
        // the project id.
        let sdk_file = OnceCell::new();
        let place = Place::resolve(&layers, args, function.as_ref(), &sdk_file)?;
        let network = Network::resolve(&layers, args)?;
        let iam_endpoint = checked_url(layers.text(
            "iam_endpoint",
            login.iam_endpoint.as_ref(),
            |v| v.iam_endpoint.clone(),
        ))?;
        // Only `fgs logs` declares it; for other commands clap knows no such argument.
        let lts_given = matches.try_get_one::<String>("lts_endpoint").ok().flatten();
        let lts_endpoint =
            checked_url(layers.text("lts_endpoint", lts_given, |v| v.lts_endpoint.clone()))?;
        let credentials =
            credential_inputs(&layers, args, forced, files.profile.as_ref(), sdk_file)?;
        Ok(Settings {
            config_file: files.in_use(),
            config_location: files.location(),
            function_text,
            function,
            project_id: place.project_id,
            region: place.region,
            endpoint: place.endpoint,
            timeout: network.timeout,
            connect_timeout: network.connect_timeout,
            ca_cert: network.ca_cert,
            allow_http: network.allow_http,
            credentials,
            user: layers.text("user", login.user.as_ref(), |v| v.user.clone()),
            domain: layers.text("domain", login.domain.as_ref(), |v| v.domain.clone()),
            iam_endpoint,
            lts_endpoint,
            warnings: files.warnings.clone(),
            profile: files.profile.clone(),
        })
    }
}

/// `--auth`, `FGS_AUTH` or `auth`: the authentication method forced, if any.
fn forced_method(layers: &Layers, args: &SettingsArgs) -> Result<Option<Sourced<Method>>, Failure> {
    if let Some(given) = layers.given.get("auth", args.auth.as_ref(), |_| false) {
        return Ok(Some(given));
    }
    layers
        .file
        .get(|v| v.auth.clone())
        .map(|a| {
            Method::from_str(&a.value, true)
                .map(|m| Sourced::new(m, a.source.clone()))
                .map_err(|_| {
                    Failure::usage(format!(
                        "{} = `{}` in {}: use `token`, `aksk` or `metadata`",
                        defs::key("auth"),
                        a.value,
                        a.source
                    ))
                })
        })
        .transpose()
}

/// The function: the FUNCTION argument or `FGS_URN`, else `urn`; parsed.
fn function_setting(layers: &Layers, function: Option<&String>) -> Result<Function, Failure> {
    let text = layers.text("function", function, |v| v.urn.clone());
    let parsed = text
        .as_ref()
        .map(|f| {
            FunctionRef::parse(&f.value)
                .map(|parsed| Sourced::new(parsed, f.source.clone()))
                .map_err(|e| {
                    Failure::usage(format!("{e} (function from {})", f.source))
                        .with_hint(local_hint(&f.value))
                })
        })
        .transpose()?;
    Ok((text, parsed))
}

/// A FUNCTION that is a directory on this machine was meant for `--local`.
fn local_hint(given: &str) -> Option<String> {
    std::path::Path::new(given).is_dir().then(|| {
        format!(
            "{given} is a directory: to run the function in it on this machine, give --local {given}"
        )
    })
}

/// Where calls go: the project id, the region and the endpoint, each checked, with the
/// URN's project id and region below the explicit ones.
struct Place {
    project_id: Option<Sourced<String>>,
    region: Option<Sourced<String>>,
    endpoint: Option<Sourced<url::Url>>,
}

impl Place {
    fn resolve(
        layers: &Layers,
        args: &SettingsArgs,
        function: Option<&Sourced<FunctionRef>>,
        sdk_file: &OnceCell<SdkFile>,
    ) -> Result<Place, Failure> {
        let function = function.map(|f| &f.value);
        let project_id = project_id(
            layers.text("project_id", args.project_id.as_ref(), |v| {
                v.project_id.clone()
            }),
            function,
            sdk_file,
        )?;
        let region = region(
            layers.text("region", args.region.as_ref(), |v| v.region.clone()),
            function,
        )?;
        let endpoint = endpoint(
            layers.text("endpoint", args.endpoint.as_ref(), |v| v.endpoint.clone()),
            region.as_ref(),
        )?;
        Ok(Place {
            project_id,
            region,
            endpoint,
        })
    }
}

/// How calls travel: the two timeouts, the extra CA and plain http.
struct Network {
    timeout: Sourced<std::time::Duration>,
    connect_timeout: Sourced<std::time::Duration>,
    ca_cert: Option<Sourced<PathBuf>>,
    allow_http: bool,
}

impl Network {
    fn resolve(layers: &Layers, args: &SettingsArgs) -> Result<Network, Failure> {
        let timeout = checks::timeout(
            "timeout",
            layers.given.text("timeout", args.timeout.as_ref()),
            layers.file.get(|v| v.timeout.clone()),
            DEFAULT_TIMEOUT_SECS,
        )?;
        let connect_timeout = checks::timeout(
            "connect_timeout",
            layers
                .given
                .text("connect_timeout", args.connect_timeout.as_ref()),
            layers.file.get(|v| v.connect_timeout.clone()),
            DEFAULT_CONNECT_TIMEOUT_SECS,
        )?;
        let ca_cert = layers
            .given
            .path("ca_cert", args.ca_cert.as_ref())
            .or_else(|| layers.file.path(|v| v.ca_cert.clone()));
        let allow_http =
            args.allow_http || layers.file.get(|v| v.allow_http).is_some_and(|a| a.value);
        Ok(Network {
            timeout,
            connect_timeout,
            ca_cert,
            allow_http,
        })
    }
}

/// Everything the credentials are found from, in their order; nothing is fetched or run.
fn credential_inputs(
    layers: &Layers,
    args: &SettingsArgs,
    forced: Option<Sourced<Method>>,
    profile: Option<&Sourced<String>>,
    sdk_file: OnceCell<SdkFile>,
) -> Result<Inputs, Failure> {
    // Unset means the default, which the credentials know.
    let metadata_endpoint = checked_url(layers.text(
        "metadata_endpoint",
        args.metadata_endpoint.as_ref(),
        |v| v.metadata_endpoint.clone(),
    ))?;
    let token = layers
        .given
        .get(
            "token",
            args.token.as_ref(),
            crate::secret::Secret::is_empty,
        )
        .map(|s| s.map(TokenSetting::Value))
        .or_else(|| file_token(&layers.file));
    let (aksk, unreadable) = key_pair(&layers.file, sdk_file)?;
    Ok(Inputs {
        forced,
        token,
        aksk,
        unreadable,
        login_cache: crate::sys::cache_dir()
            .map(|dir| crate::cloud::iam::cache_path(&dir, profile.map(|p| p.value.as_str()))),
        koocli: crate::cloud::koocli::default_path(),
        metadata_endpoint,
    })
}

/// `token`, else `token_file`, else `token_command`, from one layer of the file.
fn file_token(file: &FileLayers) -> Option<Sourced<TokenSetting>> {
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
}

/// The key pair found, if any, and the SDK file's error chain, if it could not be read.
type KeyPair = (Option<Sourced<AkSkSetting>>, Option<Vec<String>>);

/// The key pair: `HUAWEICLOUD_SDK_AK`/`_SK`, else the config file's, else the SDK's
/// credentials file's (read now, unless the project id read it already); and that file's
/// error, when it could not be read, for the credentials to report if they get that far.
fn key_pair(file: &FileLayers, sdk_file: OnceCell<SdkFile>) -> Result<KeyPair, Failure> {
    let from_env = AkSkSetting {
        access_key: env_secret("HUAWEICLOUD_SDK_AK")?,
        secret_key: env_secret("HUAWEICLOUD_SDK_SK")?,
        security_token: env_secret("HUAWEICLOUD_SDK_SECURITY_TOKEN")?,
        file: None,
    };
    if from_env.access_key.is_some() || from_env.secret_key.is_some() {
        let source = Source::Env("HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK".into());
        return Ok((Some(Sourced::new(from_env, source)), None));
    }
    let from_file = file.get(|v| {
        (v.access_key.is_some() || v.secret_key.is_some()).then(|| AkSkSetting {
            access_key: v.access_key.clone(),
            secret_key: v.secret_key.clone(),
            security_token: v.security_token.clone(),
            file: None,
        })
    });
    if from_file.is_some() {
        return Ok((from_file, None));
    }
    Ok(
        match sdk_file.into_inner().unwrap_or_else(sdk_credentials_file) {
            SdkFile::Read { path, file } => {
                let pair = (file.access_key.is_some() || file.secret_key.is_some()).then(|| {
                    let source = Source::File {
                        path: path.clone(),
                        section: Some(SDK_SECTION.into()),
                    };
                    let setting = AkSkSetting {
                        access_key: file.access_key,
                        secret_key: file.secret_key,
                        security_token: file.security_token,
                        file: Some(path),
                    };
                    Sourced::new(setting, source)
                });
                (pair, None)
            }
            SdkFile::Unreadable(chain) => (None, Some(chain)),
            SdkFile::Absent => (None, None),
        },
    )
}

/// What a local function run needs of the settings: the interpreters (`FGS_PYTHON`,
/// `FGS_NODE`, `FGS_PHP`, `FGS_JAVA`, config `python`, `node`, `php` and `java`) and the
/// warnings reading the config file gave.
/// Cloud settings from the environment or the file are not read at all.
pub struct LocalSettings {
    pub interpreters: crate::local::Interpreters,
    pub warnings: Vec<String>,
}

impl LocalSettings {
    pub fn resolve(global: &GlobalArgs, matches: &ArgMatches) -> Result<LocalSettings, Failure> {
        let files = Files::load(global, &Given::new(matches))?;
        let file = files.layers();
        let interpreter = |env: &str, key: fn(&Values) -> Option<PathBuf>| {
            env_path(env).or_else(|| file.path(key).map(|p| p.value))
        };
        let interpreters = crate::local::Interpreters {
            python: interpreter("FGS_PYTHON", |v| v.python.clone()),
            node: interpreter("FGS_NODE", |v| v.node.clone()),
            php: interpreter("FGS_PHP", |v| v.php.clone()),
            java: interpreter("FGS_JAVA", |v| v.java.clone()),
        };
        Ok(LocalSettings {
            interpreters,
            warnings: files.warnings.clone(),
        })
    }
}
