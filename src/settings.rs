//! Turn what clap parsed, the environment and the files into one checked [`Settings`],
//! each value with where it came from. Resolved once, right after parsing; only `Settings`
//! travels further, and nothing after it re-checks a value.
//!
//! Precedence, highest first: flag > environment variable > the selected profile >
//! the file's top-level values > the URN (project id, region) > built-in default.
//!
//! **Adding a setting.** Its flag, environment variable and help are one clap attribute (in
//! `cli::SettingsArgs`, or `cli::LoginSettingsArgs`); everything else fgs says about it is
//! one row of [`defs::SETTINGS`], keyed by the clap id: its config key, its rows in
//! `fgs config show`, and whether `invoke --local` refuses it. Messages read the flag and
//! variable names from clap by that id, never from a copy. Then give the key its type in
//! `config_file::Values`, the checked value a field below, and layer it in
//! [`resolve`](Settings::resolve) (`layers.text(id, ...)` for a plain one).
//!
//! - `defs`: the table of settings, and the names clap knows them by.
//! - `layers`: the layers themselves: flags and variables, the config file and its profile.
//! - `resolve`: [`Settings::resolve`], step by step, and the local run's few settings.
//! - `checks`: the checks of values that need more than a type (project id, region,
//!   endpoint, spans of time).

mod checks;
mod defs;
mod layers;
mod resolve;

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use url::Url;

use crate::cloud::credentials::{self, Credentials, Inputs, Method, Notes, Scope};
use crate::cloud::session::{Connection, Project, Session};
use crate::config_file;
use crate::error::{Failure, Kind, OrKind};
use crate::source::Sourced;
use crate::urn::{self, FunctionRef, Urn};

pub use checks::{check_endpoint, shown_url};
pub use defs::{Shown, refuse_cloud_only, rows};
pub use resolve::LocalSettings;

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
    /// `fgs logs`: LTS's endpoint when given; else formed from the region.
    pub lts_endpoint: Option<Sourced<Url>>,
    /// Things worth a warning (a secret in a file others can read); printed by the caller.
    pub warnings: Vec<String>,
}

impl Settings {
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
        // A full URN is worth offering only where a function can be named.
        let or_urn = if self.function_text.is_some() {
            ", or a full URN"
        } else {
            ""
        };
        let (Some(project_id), Some(region)) = (&self.project_id, &self.region) else {
            return Err(self.missing(or_urn));
        };
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

impl Settings {
    /// The failure for a project id or region that is missing: the first missing thing is
    /// the error, and the hint lists everything else a cloud call lacks (credentials
    /// included), where to write them once, and what works with no account at all.
    fn missing(&self, or_urn: &str) -> Failure {
        let metadata = self
            .credentials
            .forced
            .as_ref()
            .is_some_and(|f| f.value == Method::Metadata);
        let mut missing = Vec::new();
        if self.project_id.is_none() {
            missing.push(format!(
                "no project id: give --project-id, FGS_PROJECT_ID, `project_id` in the config file{or_urn}{}",
                if metadata {
                    " (the ECS metadata service gives keys, not a project id)"
                } else {
                    ""
                }
            ));
        }
        if self.region.is_none() {
            missing.push(format!(
                "no region: give --region, FGS_REGION, `region` in the config file{or_urn}"
            ));
        }
        let (credentials, _) = self.credentials(None, false);
        if credentials.is_err_and(|f| f.kind == Kind::NoCredentials) {
            missing.push(
                "no credentials: export HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK (an access key pair), run fgs login --user NAME --domain ACCOUNT, or give --token"
                    .into(),
            );
        }
        let mut hint = String::new();
        if missing.len() > 1 {
            hint.push_str(
                "also missing:
",
            );
            for more in &missing[1..] {
                hint.push_str(&format!(
                    "  - {more}
"
                ));
            }
            hint.push_str("  ");
        }
        hint.push_str(NEW_USER_HINT);
        Failure::usage(&missing[0]).with_hint(Some(hint))
    }
}

/// Where a new user goes from a missing setting: the config file, or no account at all.
pub const NEW_USER_HINT: &str = "`fgs config init` writes the project id and region to the config file; with no account, run a function on this machine: fgs invoke --local DIR, or fgs serve DIR";

/// Everything an invocation needs to know where to go, checked: the function's full URN in
/// its project.
#[derive(Debug)]
pub struct Target {
    pub urn: Urn,
    pub project: Project,
}
