//! Where secrets come from, which authentication method is used, and how a request is
//! authorised. [`Secret`] cannot be printed by accident.
//!
//! Automatic choice, first found wins: a token given explicitly (`--token`, `FGS_TOKEN`,
//! `token`, `token_file`, `token_command`), then an access key pair (`HUAWEICLOUD_SDK_AK`/`SK`,
//! the config file's `access_key`/`secret_key`, the SDK's `~/.huaweicloud/credentials`,
//! KooCLI's `~/.hcloud/config.json` when its keys are in clear), then the token cached by
//! `fgs login`. `--auth` forces one method; `--auth metadata` alone asks the ECS metadata
//! service, which the automatic choice never does.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::time::SystemTime;

use anyhow::{Context, anyhow};

use crate::api::{Header, HeaderValue, Request, Trace};
use crate::cloud::iam;
use crate::cloud::koocli;
use crate::cloud::metadata::Metadata;
use crate::cloud::signing;
use crate::config_file::{private_file_warning, read_limited_text};
use crate::error::{Failure, Kind, OrKind};
use crate::secret::Secret;
use crate::source::{Source, Sourced};

/// Half a key pair: which half, and where the other came from.
fn half_pair(missing: &str, source: &Source) -> String {
    if let Source::Env(_) = source {
        let (set, unset) = if missing == "access key" {
            ("HUAWEICLOUD_SDK_SK", "HUAWEICLOUD_SDK_AK")
        } else {
            ("HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK")
        };
        return format!("{set} is set but {unset} is not");
    }
    format!("the {missing} of the pair from {source} is missing")
}

/// An error chain told again, outermost first.
pub fn replay(chain: &[String]) -> anyhow::Error {
    let mut parts = chain.iter().rev();
    let mut error = anyhow!("{}", parts.next().map_or("", String::as_str));
    for context in parts {
        error = error.context(context.clone());
    }
    error
}

pub use super::Method;

/// How the token was given: the value itself, a file that holds it, or a command that
/// prints it.
#[derive(Debug, Clone)]
pub enum TokenSetting {
    Value(Secret),
    File(PathBuf),
    Command(String),
}

/// An access key pair as one layer gave it (each part optional until checked).
#[derive(Debug, Clone, Default)]
pub struct AkSkSetting {
    pub access_key: Option<Secret>,
    pub secret_key: Option<Secret>,
    pub security_token: Option<Secret>,
    /// The file it was read from, when that file should be private.
    pub file: Option<PathBuf>,
}

/// Everything the settings know about credentials, each value with its source; resolved
/// into [`Credentials`] only when a command needs them.
#[derive(Debug, Default)]
pub struct Inputs {
    pub forced: Option<Sourced<Method>>,
    pub token: Option<Sourced<TokenSetting>>,
    /// The highest layer's pair: env, profile, top level, then the SDK credentials file.
    pub aksk: Option<Sourced<AkSkSetting>>,
    /// The SDK credentials file could not be read (its error chain): reported when it is
    /// consulted, that is when no other layer gave a key pair.
    pub unreadable: Option<Vec<String>>,
    /// The login token cache of the selected profile.
    pub login_cache: Option<PathBuf>,
    /// KooCLI's config file, read only when no other layer gave a key pair.
    pub koocli: Option<PathBuf>,
    /// Where `--auth metadata` asks for keys.
    pub metadata_endpoint: Option<Sourced<url::Url>>,
}

/// Read a token from `token_file`: the first non-empty line, whitespace trimmed.
pub fn read_token_file(path: &Path) -> anyhow::Result<Secret> {
    let text = read_limited_text(path)
        .with_context(|| format!("reading token file {}", path.display()))?;
    Secret::new(first_line(&text), "token")
        .with_context(|| format!("in token file {}", path.display()))
}

fn first_line(text: &str) -> &str {
    text.lines().find(|l| !l.trim().is_empty()).unwrap_or("")
}

/// Run `token_command` (through the shell: `sh -c`, `cmd /C` on Windows) and take the first line of its stdout.
/// A command that fails is exit 3, with its stderr shown.
fn run_token_command(command: &str, source: &Source) -> Result<Secret, Failure> {
    let output = crate::sys::shell(command)
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("running token_command from {source}"))
        .or_kind(Kind::NoCredentials)?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(Failure::new(
            Kind::NoCredentials,
            anyhow!("{}", stderr.trim().lines().collect::<Vec<_>>().join(" / ")).context(format!(
                "token_command from {source} failed ({})",
                output.status
            )),
        ));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    Secret::new(first_line(&stdout), "token")
        .with_context(|| format!("output of token_command from {source}"))
        .or_kind(Kind::NoCredentials)
}

/// The credentials a call uses.
#[derive(Debug, Clone)]
pub enum Credentials {
    /// An IAM token given explicitly, sent as `X-Auth-Token`.
    Token { secret: Secret, source: String },
    /// A token that `token_command` would print; only `config show` sees this (it runs no
    /// command).
    TokenCommand { source: String },
    /// An access key pair that signs the request.
    AkSk {
        access_key: Secret,
        secret_key: Secret,
        security_token: Option<Secret>,
        source: String,
    },
    /// The token cached by `fgs login`.
    Login {
        secret: Secret,
        expires_at: String,
        source: String,
    },
    /// Temporary keys from the ECS metadata service, fetched (again) by
    /// [`Credentials::refresh_if_needed`] before each request.
    Metadata(Arc<Metadata>),
}

/// Where a call goes, for matching a cached login token.
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    pub region: Option<&'a str>,
    pub project_id: Option<&'a str>,
}

/// What a call prints about the credentials it found: warnings (files others can read),
/// and notes for `-v` (a file passed by, and why).
#[derive(Debug, Default)]
pub struct Notes {
    pub warnings: Vec<String>,
    pub verbose: Vec<String>,
}

impl Notes {
    /// Tell `trace` each warning, then each note.
    pub fn tell(&self, trace: &dyn Trace) {
        for warning in &self.warnings {
            trace.warning(warning);
        }
        for note in &self.verbose {
            trace.note(note);
        }
    }
}

/// Find the credentials to use. `run_commands: false` leaves `token_command` unrun (for
/// `config show`); nothing is fetched from the metadata service here.
pub fn resolve(
    inputs: &Inputs,
    scope: Scope,
    now: SystemTime,
    run_commands: bool,
    notes: &mut Notes,
) -> Result<Credentials, Failure> {
    let warnings = &mut notes.warnings;
    let forced = inputs.forced.as_ref().map(|a| a.value);
    let found = match forced {
        Some(Method::Metadata) => Some(metadata(inputs)),
        Some(Method::Token) => match explicit_token(inputs, run_commands, warnings)? {
            Some(c) => Some(c),
            None => cached_login(inputs, scope, now)?,
        },
        Some(Method::Aksk) => access_keys(inputs, notes)?,
        None => match explicit_token(inputs, run_commands, warnings)? {
            Some(c) => Some(c),
            None => match access_keys(inputs, notes)? {
                Some(c) => Some(c),
                None => cached_login(inputs, scope, now)?,
            },
        },
    };
    found.ok_or_else(|| {
        let what = match &inputs.forced {
            Some(a) if a.value == Method::Aksk => format!(
                "no access key pair was found (auth forced to aksk by {})",
                a.source
            ),
            Some(a) if a.value == Method::Token => {
                format!("no token was found (auth forced to token by {})", a.source)
            }
            Some(_) => unreachable!("metadata is always found"),
            None => "no token, access key pair or login was found".into(),
        };
        Failure::new(Kind::NoCredentials, anyhow!("no credentials: {what}"))
    })
}

fn explicit_token(
    inputs: &Inputs,
    run_commands: bool,
    warnings: &mut Vec<String>,
) -> Result<Option<Credentials>, Failure> {
    let Some(token) = &inputs.token else {
        return Ok(None);
    };
    let source = token.source.to_string();
    let secret = match &token.value {
        TokenSetting::Value(v) => v
            .checked("token")
            .with_context(|| format!("token from {source}"))
            .or_kind(Kind::Usage)?,
        TokenSetting::File(path) => {
            warnings.extend(private_file_warning(path));
            read_token_file(path).or_kind(Kind::Usage)?
        }
        TokenSetting::Command(_) if !run_commands => {
            return Ok(Some(Credentials::TokenCommand { source }));
        }
        TokenSetting::Command(command) => run_token_command(command, &token.source)?,
    };
    Ok(Some(Credentials::Token { secret, source }))
}

/// `--auth metadata`: nothing is fetched until the first request.
fn metadata(inputs: &Inputs) -> Credentials {
    let forced_by = match inputs.forced.as_ref().map(|f| &f.source) {
        Some(Source::Env(name)) => format!("{name}=metadata"),
        Some(source @ Source::File { .. }) => format!("auth = \"metadata\" in {source}"),
        _ => "--auth metadata".to_string(),
    };
    let endpoint = inputs.metadata_endpoint.clone().unwrap_or_else(|| {
        Sourced::new(
            url::Url::parse(crate::cloud::metadata::DEFAULT_ENDPOINT).expect("a valid URL"),
            Source::Default,
        )
    });
    Credentials::Metadata(Arc::new(Metadata::new(
        endpoint.value,
        endpoint.source.to_string(),
        forced_by,
    )))
}

fn access_keys(inputs: &Inputs, notes: &mut Notes) -> Result<Option<Credentials>, Failure> {
    let Some(Sourced { value, source }) = &inputs.aksk else {
        return match &inputs.unreadable {
            Some(chain) => Err(Failure::new(Kind::Usage, replay(chain))),
            None => Ok(koocli_keys(inputs, notes)),
        };
    };
    if let (Some(file), Some(_)) = (&value.file, &value.secret_key) {
        notes.warnings.extend(private_file_warning(file));
    }
    let (Some(ak), Some(sk)) = (&value.access_key, &value.secret_key) else {
        let missing = if value.access_key.is_none() {
            "access key"
        } else {
            "secret key"
        };
        return Err(Failure::new(
            Kind::NoCredentials,
            anyhow!("{}", half_pair(missing, source)),
        ));
    };
    let secret = |v: &Secret, what: &str| {
        v.checked(what)
            .with_context(|| format!("{what} from {source}"))
            .or_kind(Kind::Usage)
    };
    Ok(Some(Credentials::AkSk {
        access_key: secret(ak, "access key")?,
        secret_key: secret(sk, "secret key")?,
        security_token: value
            .security_token
            .as_ref()
            .map(|t| secret(t, "security token"))
            .transpose()?,
        source: source.to_string(),
    }))
}

/// The current profile of KooCLI's config file, when it holds keys in clear; a file passed
/// by is a note for `-v`.
fn koocli_keys(inputs: &Inputs, notes: &mut Notes) -> Option<Credentials> {
    let path = inputs.koocli.as_ref()?;
    match koocli::load(path) {
        Ok(None) => None,
        Err(note) => {
            notes.verbose.push(note);
            None
        }
        Ok(Some(keys)) => {
            notes.warnings.extend(private_file_warning(path));
            Some(Credentials::AkSk {
                access_key: keys.access_key,
                secret_key: keys.secret_key,
                security_token: keys.security_token,
                source: format!("{} (KooCLI profile `{}`)", path.display(), keys.profile),
            })
        }
    }
}

/// The token `fgs login` cached for this profile, if it is still good for this call: more
/// than 5 minutes left, the same region and project.
fn cached_login(
    inputs: &Inputs,
    scope: Scope,
    now: SystemTime,
) -> Result<Option<Credentials>, Failure> {
    let Some(path) = &inputs.login_cache else {
        return Ok(None);
    };
    let Some(cached) = iam::load(path).or_kind(Kind::Usage)? else {
        return Ok(None);
    };
    let source = format!("fgs login, cached in {}", path.display());
    let expired =
        |why: String| Failure::new(Kind::LoginExpired, anyhow!("the cached login token {why}"));
    match cached.remaining(now) {
        Some(left) if left > iam::MIN_REMAINING => {}
        _ => return Err(expired(format!("expired at {}", cached.expires_at))),
    }
    if let Some(region) = scope.region.filter(|r| *r != cached.region) {
        return Err(expired(format!(
            "is for region {}, not {region}",
            cached.region
        )));
    }
    if let (Some(wanted), Some(have)) = (scope.project_id, cached.project_id.as_deref())
        && wanted != have
    {
        return Err(expired(format!("is for project {have}, not {wanted}")));
    }
    Ok(Some(Credentials::Login {
        secret: Secret::new(&cached.token, "cached token").or_kind(Kind::Usage)?,
        expires_at: cached.expires_at,
        source,
    }))
}

impl Credentials {
    /// How `config show` names the method.
    pub fn method(&self) -> &'static str {
        match self {
            Credentials::Token { .. } | Credentials::TokenCommand { .. } => "token",
            Credentials::AkSk { .. } => "aksk (SDK-HMAC-SHA256 signature)",
            Credentials::Login { .. } => "token from fgs login",
            Credentials::Metadata(_) => "metadata (temporary keys from the ECS metadata service)",
        }
    }

    pub fn source(&self) -> &str {
        match self {
            Credentials::Token { source, .. }
            | Credentials::TokenCommand { source }
            | Credentials::AkSk { source, .. }
            | Credentials::Login { source, .. } => source,
            Credentials::Metadata(m) => &m.forced_by,
        }
    }

    /// Whether requests are signed with an access key pair.
    pub fn is_aksk(&self) -> bool {
        matches!(self, Credentials::AkSk { .. } | Credentials::Metadata(_))
    }

    /// Before each request: fetch temporary keys from the metadata service when none are
    /// held or they expire within 40 minutes; nothing for any other method. `trace` is
    /// shown each metadata request under `-v`.
    pub async fn refresh_if_needed(&self, trace: &dyn Trace) -> Result<(), Failure> {
        match self {
            Credentials::Metadata(m) => m.refresh_if_needed(trace).await,
            _ => Ok(()),
        }
    }

    /// Authorise `request`: `X-Auth-Token`, or the AK/SK signature headers (`X-Project-Id`,
    /// `X-Sdk-Date`, `X-Security-Token` when temporary, `Authorization`), all signed but
    /// `Content-Type` and `User-Agent`.
    pub fn apply(
        &self,
        request: &mut Request,
        project_id: &str,
        now: SystemTime,
    ) -> Result<(), Failure> {
        match self {
            Credentials::Token { secret, .. } | Credentials::Login { secret, .. } => {
                // Right after Content-Type, where people look for it in -v and --dry-run.
                let at = request.headers.len().min(1);
                request.headers.insert(
                    at,
                    Header {
                        name: "X-Auth-Token",
                        value: HeaderValue::Secret(secret.clone()),
                    },
                );
            }
            Credentials::TokenCommand { source } => {
                // Only `config show` resolves without running the command, and it sends
                // nothing; say so rather than send an unauthorised request.
                return Err(Failure::new(
                    Kind::NoCredentials,
                    anyhow!("token_command from {source} was not run"),
                ));
            }
            Credentials::AkSk {
                access_key,
                secret_key,
                security_token,
                ..
            } => sign(
                request,
                project_id,
                now,
                access_key,
                secret_key,
                security_token.as_ref(),
            )?,
            Credentials::Metadata(m) => {
                let keys = m.current().ok_or_else(|| {
                    Failure::new(
                        Kind::Local,
                        anyhow!("no keys were fetched from the metadata service"),
                    )
                })?;
                sign(
                    request,
                    project_id,
                    now,
                    &keys.access_key,
                    &keys.secret_key,
                    Some(&keys.security_token),
                )?;
            }
        }
        Ok(())
    }
}

/// The AK/SK signature headers: `X-Project-Id`, `X-Sdk-Date`, `X-Security-Token` when
/// temporary, `Authorization`; all signed but `Content-Type` and `User-Agent`.
fn sign(
    request: &mut Request,
    project_id: &str,
    now: SystemTime,
    access_key: &Secret,
    secret_key: &Secret,
    security_token: Option<&Secret>,
) -> Result<(), Failure> {
    let secret_header = |name, secret: &Secret| Header {
        name,
        value: HeaderValue::Secret(secret.clone()),
    };
    let plain_header = |name, value: String| Header {
        name,
        value: HeaderValue::Plain(value),
    };
    request
        .headers
        .push(plain_header("X-Project-Id", project_id.to_string()));
    request.headers.push(plain_header(
        signing::HEADER_SDK_DATE,
        signing::sdk_date(now),
    ));
    if let Some(token) = security_token {
        request
            .headers
            .push(secret_header("X-Security-Token", token));
    }
    let signed: Vec<(&str, &str)> = request
        .headers
        .iter()
        .filter(|h| !h.name.eq_ignore_ascii_case("User-Agent"))
        .map(|h| (h.name, h.value.expose()))
        .collect();
    let input = signing::SignInput {
        method: request.method,
        url: request.url.as_str(),
        headers: &signed,
        selection: signing::HeaderSelection::SkipContentType,
        body: &request.body,
    };
    let authorization =
        signing::Authorization::sign(access_key.expose(), secret_key.expose(), &input)
            .map_err(|e| Failure::new(Kind::Local, anyhow!("signing the request: {e}")))?;
    let shown = authorization.masked();
    let authorization =
        Secret::new(&authorization.to_string(), "authorization").or_kind(Kind::Local)?;
    request.headers.push(Header {
        name: signing::HEADER_AUTHORIZATION,
        value: HeaderValue::Partly {
            value: authorization,
            shown,
        },
    });
    Ok(())
}

/// Credentials never go over plain http to a host that is not loopback, unless
/// `--allow-http`, `FGS_ALLOW_HTTP` or `allow_http = true` allows it; then the answer is the
/// one-line warning to print.
pub fn check_transport(
    parsed: &url::Url,
    what: &str,
    allow_http: bool,
) -> Result<Option<String>, Failure> {
    if parsed.scheme() != "http" {
        return Ok(None);
    }
    let loopback = match parsed.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    if loopback {
        return Ok(None);
    }
    if allow_http {
        return Ok(Some(format!(
            "credentials go over plain http to {} ({what}): anyone on the way can read them",
            parsed.host_str().unwrap_or_default()
        )));
    }
    Err(Failure::new(
        Kind::InsecureTransport,
        anyhow!(
            "refusing to send credentials over plain http to {} ({what})",
            parsed.host_str().unwrap_or_default()
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_file_takes_the_first_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t");
        std::fs::write(&path, "\n  tok123  \nsecond\n").unwrap();
        assert_eq!(read_token_file(&path).unwrap().expose(), "tok123");
        assert!(read_token_file(&dir.path().join("missing")).is_err());
    }
}
