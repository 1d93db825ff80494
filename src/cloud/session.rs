//! What every request of one run shares: the HTTP client, the project the requests go to and
//! the credentials that authorise them. Built once per run from plain parts (the settings
//! build it: `Settings::session`), then shared by the invocations ([`crate::call::Caller`]),
//! the read-only requests ([`crate::cloud::lookup::Lookup`]) and `--wait`, so that keys
//! fetched again from the metadata service serve them all.

use std::time::Duration;

use url::Url;

use crate::cloud::client::Client;
use crate::cloud::credentials::Credentials;

/// Where a project's API calls go, checked.
#[derive(Debug, Clone)]
pub struct Project {
    pub id: String,
    pub region: String,
    pub endpoint: Url,
    pub timeout: Duration,
    /// The warning to print when credentials go over plain http, as allowed.
    pub plain_http: Option<String>,
}

/// One client, one project, one set of credentials.
pub struct Session {
    pub client: Client,
    pub project: Project,
    pub credentials: Credentials,
}

/// How the session's client connects: its deadlines and the connections it keeps.
#[derive(Debug, Clone, Copy)]
pub struct Connection {
    /// `--connect-timeout`.
    pub connect: Duration,
    /// The most one attempt may take (`--timeout`).
    pub total: Duration,
    /// Connections kept alive per host: the requests made at once.
    pub pool: usize,
}

impl Session {
    /// The session of `project` with `credentials`, over a client that also trusts the PEM
    /// certificates of `ca_cert` (a private cloud's).
    pub fn new(
        project: Project,
        credentials: Credentials,
        ca_cert: Option<&[u8]>,
        connection: Connection,
    ) -> Result<Session, crate::error::Failure> {
        let client = Client::new(
            connection.connect,
            connection.total,
            ca_cert,
            connection.pool,
        )?;
        Ok(Session {
            client,
            project,
            credentials,
        })
    }
}
