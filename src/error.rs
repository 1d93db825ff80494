//! Error kinds that carry the exit code, and the hints chosen for them.
//!
//! Every failure travels up to `main` as a [`Failure`]: an `anyhow` chain that tells the
//! story, a [`Kind`] that decides the exit code, and the request id when the service gave one.
//!
//! Hints: the hint for each kind of failure is chosen here, in [`Kind::hint`]. A failure
//! carries a hint of its own ([`Failure::with_hint`]) only where the hint needs a fact that
//! only the failing code knows, and nowhere else:
//! - the service's refusal, whose hint depends on its error code (`api.rs`);
//! - a `Retry-After` longer than fgs waits, or an answer over the size limit (`cloud/`);
//! - the ECS metadata service without an agency (`cloud/metadata.rs`);
//! - a call still running after Ctrl-C or `--wait-timeout`: how to look it up later, with its
//!   URN and request id (`cloud/wait.rs`, `commands/invoke/`, `commands/status.rs`);
//! - what the user typed: `A:B` read as package and function after a 404, a function named
//!   like the README's placeholders (`NAME`) after a 404, or `-d FILE` where `-d @FILE` was
//!   meant (`commands/invoke/`);
//! - a cloud call that lacks its project id or region: what else it lacks, credentials
//!   included (`settings.rs`);
//! - a local function that cannot start: the interpreter or package to install
//!   (`local/`, carried by `LocalError` and turned into a failure in `call.rs`);
//! - a saved test event that is not there (the names there are), whose content cannot be
//!   read, or that `invoke --local --event` could not fetch (how to keep it in the
//!   directory instead) (`commands/event/`, `commands/invoke/saved.rs`).

use std::fmt;

/// What went wrong, as far as the exit code and the hint are concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The function ran and reported an error (exit 1).
    FunctionError,
    /// Bad flags, config, URN or payload: nothing was sent (exit 2).
    Usage,
    /// Credentials would go over plain http to a host that is not loopback (exit 2).
    InsecureTransport,
    /// A password prompt is needed but there is no terminal (exit 2).
    NoTerminal,
    /// No credentials could be found (exit 3).
    NoCredentials,
    /// The cached login token has expired, or is for another region or project (exit 3).
    LoginExpired,
    /// IAM refused the user name, account name or password (exit 3).
    LoginRefused,
    /// The gateway refused an AK/SK signature (`APIG.0301`) (exit 3).
    SignatureRefused,
    /// A signature was refused and the service's clock differs from ours by more than the
    /// 15 minutes a signature is valid (exit 3).
    ClockSkew,
    /// The service refused the credentials: 401 or 403 (exit 3).
    AuthRefused(u16),
    /// Any other 4xx (exit 4).
    Refused(u16),
    /// What was asked for is not there for fgs to have: a function that sends no log to
    /// LTS, code the service keeps where fgs cannot read it (exit 4).
    Unavailable,
    /// A 5xx, or an answer that cannot be read (exit 5).
    Service,
    /// No answer at all: DNS, connect, TLS (exit 6).
    Network,
    /// No answer within `--timeout`; the function may still be running (exit 7).
    Timeout,
    /// This machine failed, after or outside the request: writing stdout, a `--summary`
    /// file or the login cache, or starting fgs's own runtime (exit 8).
    Local,
    /// Ctrl-C (exit 130).
    Interrupted,
}

impl Kind {
    pub fn exit_code(self) -> u8 {
        match self {
            Kind::FunctionError => 1,
            Kind::Usage | Kind::InsecureTransport | Kind::NoTerminal => 2,
            Kind::NoCredentials
            | Kind::LoginExpired
            | Kind::LoginRefused
            | Kind::SignatureRefused
            | Kind::ClockSkew
            | Kind::AuthRefused(_) => 3,
            Kind::Refused(_) | Kind::Unavailable => 4,
            Kind::Service => 5,
            Kind::Network => 6,
            Kind::Timeout => 7,
            Kind::Local => 8,
            Kind::Interrupted => 130,
        }
    }

    /// The kind of failure an HTTP error status means.
    pub fn from_status(status: u16) -> Kind {
        match status {
            401 | 403 => Kind::AuthRefused(status),
            400..=499 => Kind::Refused(status),
            _ => Kind::Service,
        }
    }

    /// The hint for a kind of failure; see the module's doc for the few failures that carry
    /// their own.
    pub fn hint(self) -> Option<&'static str> {
        Some(match self {
            Kind::NoCredentials => {
                "authenticate in one of these ways:\n  \
                 - an access key pair: export HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK\n  \
                 - a user name and password: fgs login --user NAME --domain ACCOUNT\n  \
                 - an IAM token: --token or FGS_TOKEN\n  \
                 - the config file (fgs config path): access_key/secret_key, token, token_file or token_command\n  \
                 - the SDK's ~/.huaweicloud/credentials: ak and sk under [basic]\n  \
                 - KooCLI's ~/.hcloud/config.json: an AKSK profile stored unencrypted\n  \
                 - on a Huawei Cloud ECS with an agency: --auth metadata\n\
                 with no account, run a function on this machine: fgs invoke --local DIR, or fgs serve DIR"
            }
            Kind::LoginExpired => "run fgs login",
            Kind::LoginRefused => {
                "check the user name (--user), the account name (--domain) and the password"
            }
            Kind::SignatureRefused => {
                "the access key or secret key is wrong; after five failed signatures in a row the key is locked for 5 minutes, so check the keys before trying again"
            }
            Kind::ClockSkew => {
                "this machine's clock is more than 15 minutes off the service's, and signatures are valid for 15 minutes: set the clock right (e.g. enable NTP)"
            }
            Kind::InsecureTransport => {
                "use an https:// endpoint; on a trusted network allow it with --allow-http, FGS_ALLOW_HTTP=1 or allow_http = true in the config file"
            }
            Kind::NoTerminal => "pipe the password in with --password-stdin",
            Kind::AuthRefused(401) => {
                "the token was refused: it may have expired (IAM tokens live 24 hours) or belong to another project or region"
            }
            Kind::AuthRefused(_) => {
                "the credentials are valid but lack permission to invoke this function"
            }
            Kind::Refused(404) => {
                "check the function name, region and project id: `fgs list` shows the project's functions, `fgs info NAME` one function"
            }
            Kind::Refused(413) => "the payload is larger than the service accepts",
            Kind::Refused(429) => {
                "the service is throttling this function, or the function is disabled; try again later, or let fgs do it: --retries N"
            }
            Kind::Timeout => {
                "raise --timeout (seconds) if the function needs longer; it may still be running"
            }
            Kind::Network => {
                "check the endpoint and your network (fgs config show; -v shows the request)"
            }
            Kind::Service => "the service failed; try again later",
            _ => return None,
        })
    }
}

/// For a function whose log does not go to LTS (`fgs logs`).
pub const LTS_OFF_HINT: &str = "the function sends no log to LTS: switch LTS logs on for the project (the FunctionGraph console's log settings, or POST /v2/{project_id}/fgs/functions/enable-lts-logs) and give the function a log group and stream; fgs never switches it on";

/// For credentials the ECS metadata service did not give.
pub const ECS_AGENCY_HINT: &str = "--auth metadata works on a Huawei Cloud ECS (or CCE node) whose instance has an agency (IAM: a cloud service agency for ECS), with outbound TCP 80 to 169.254.0.0/16 allowed; elsewhere, use another method (fgs config show)";

/// A failure on its way to `main`.
pub struct Failure {
    pub kind: Kind,
    pub error: anyhow::Error,
    pub request_id: Option<String>,
    /// A hint of this failure's own, shown instead of the kind's.
    pub hint: Option<String>,
    /// How many attempts were made, when `--retries` made more than one.
    pub attempts: Option<u32>,
}

impl Failure {
    pub fn new(kind: Kind, error: impl Into<anyhow::Error>) -> Self {
        Failure {
            kind,
            error: error.into(),
            request_id: None,
            hint: None,
            attempts: None,
        }
    }

    pub fn with_hint(mut self, hint: Option<String>) -> Self {
        self.hint = hint;
        self
    }

    /// The hint to show: this failure's own, else its kind's.
    pub fn hint(&self) -> Option<&str> {
        self.hint.as_deref().or_else(|| self.kind.hint())
    }

    pub fn usage(message: impl fmt::Display) -> Self {
        Failure::new(Kind::Usage, anyhow::anyhow!("{message}"))
    }

    pub fn with_request_id(mut self, request_id: Option<String>) -> Self {
        self.request_id = request_id;
        self
    }

    pub fn exit_code(&self) -> u8 {
        self.kind.exit_code()
    }
}

impl fmt::Debug for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}: {:#}", self.kind, self.error)
    }
}

/// Attach an exit kind to any fallible result.
pub trait OrKind<T> {
    fn or_kind(self, kind: Kind) -> Result<T, Failure>;
}

impl<T, E: Into<anyhow::Error>> OrKind<T> for Result<T, E> {
    fn or_kind(self, kind: Kind) -> Result<T, Failure> {
        self.map_err(|e| Failure::new(kind, e))
    }
}

/// The exit-code table as a literal, for `concat!` in help texts; kept in step with the
/// README.
macro_rules! exit_codes_text {
    () => {
        "Exit codes:
  0    the function ran and reported no error
  1    the function reported an error (--no-fail makes this 0); --wait: FAIL or DISCARD
  2    usage or input error: nothing was sent
  3    credentials missing, or refused (401, 403)
  4    request refused (any other 4xx: 400, 404, 413, 429, ...); status: no record
  5    service failure (5xx, or an answer that cannot be read)
  6    network failure: no answer (DNS, connect, TLS)
  7    timed out waiting for the answer (or --wait-timeout); the function may still be running
  8    failure on this machine (writing stdout, a file or the login cache)
  130  interrupted"
    };
}
pub(crate) use exit_codes_text;

/// The exit-code table, shown by `fgs --help` and `fgs invoke --help`.
pub const EXIT_CODES: &str = exit_codes_text!();

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_to_documented_codes() {
        assert_eq!(Kind::from_status(401).exit_code(), 3);
        assert_eq!(Kind::from_status(403).exit_code(), 3);
        assert_eq!(Kind::from_status(400).exit_code(), 4);
        assert_eq!(Kind::from_status(404).exit_code(), 4);
        assert_eq!(Kind::from_status(429).exit_code(), 4);
        assert_eq!(Kind::from_status(500).exit_code(), 5);
        assert_eq!(Kind::from_status(502).exit_code(), 5);
        assert_eq!(Kind::from_status(302).exit_code(), 5);
        assert_eq!(Kind::Local.exit_code(), 8);
    }

    #[test]
    fn hints_for_the_common_failures() {
        assert!(Kind::AuthRefused(401).hint().unwrap().contains("expired"));
        assert!(Kind::Refused(404).hint().unwrap().contains("`fgs list`"));
        assert!(Kind::Timeout.hint().unwrap().contains("--timeout"));
        assert_eq!(Kind::Usage.hint(), None);
    }
}
