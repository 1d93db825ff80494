//! Temporary credentials from the ECS instance metadata service, asked for only by
//! `--auth metadata` (API notes §10.8): an optional session token (`PUT
//! /meta-data/latest/api/token`), then `GET /openstack/latest/securitykey`, fetched again
//! before a request whenever fewer than 40 minutes are left, as the official SDKs do.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use anyhow::anyhow;
use bytes::Bytes;
use serde::Deserialize;
use url::Url;

use crate::api::{Header, HeaderValue, Request, Response, Trace, USER_AGENT};
use crate::cloud::client::Client;
use crate::error::{ECS_AGENCY_HINT, Failure, Kind};
use crate::secret::Secret;

/// Where the service listens on every ECS instance.
pub const DEFAULT_ENDPOINT: &str = "http://169.254.169.254";
/// Fetch again when fewer than this are left before `expires_at` (the SDKs' threshold).
pub const REFRESH_BEFORE: Duration = Duration::from_secs(40 * 60);
/// Link-local: an answer comes at once or not at all.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
/// Each request's whole time, as the SDKs allow.
const TIMEOUT: Duration = Duration::from_secs(3);
/// The session token's life asked for (6 h); fgs asks for a new one after 5 h.
const TOKEN_TTL: &str = "21600";
const TOKEN_REUSE: Duration = Duration::from_secs(5 * 3600);
/// What the service says when the instance has no agency.
const NO_AGENCY: &str = "Please configure Cloud Service Agency first";

/// One set of temporary keys.
#[derive(Debug)]
pub struct KeySet {
    pub access_key: Secret,
    pub secret_key: Secret,
    pub security_token: Secret,
    pub expires_at: SystemTime,
}

/// The session token step's outcome, kept for the run.
enum Session {
    Unknown,
    /// The service has no token mode (404, 405, 503).
    Unavailable,
    Token {
        value: Secret,
        since: Instant,
    },
}

/// What a refresh needs and keeps: the client, built at the first fetch, and the session.
struct Fetcher {
    client: Option<Client>,
    session: Session,
}

/// The metadata service of this instance, and the keys last fetched from it.
pub struct Metadata {
    endpoint: Url,
    /// Where the endpoint came from, for `config show`.
    pub endpoint_source: String,
    /// What asked for metadata, in words: `--auth metadata`, `FGS_AUTH=metadata`, ...
    pub forced_by: String,
    /// The keys requests are signed with; a lock held only to read or swap them.
    current: Mutex<Option<Arc<KeySet>>>,
    /// Held for a whole refresh, so that the calls of a batch fetch once between them.
    fetcher: tokio::sync::Mutex<Fetcher>,
}

impl fmt::Debug for Metadata {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Metadata")
            .field("endpoint", &self.endpoint.as_str())
            .field("forced_by", &self.forced_by)
            .finish_non_exhaustive()
    }
}

#[derive(Deserialize)]
struct Body {
    credential: Option<Credential>,
}

#[derive(Deserialize)]
struct Credential {
    access: Option<String>,
    secret: Option<String>,
    securitytoken: Option<String>,
    expires_at: Option<String>,
}

impl Metadata {
    pub fn new(endpoint: Url, endpoint_source: String, forced_by: String) -> Metadata {
        Metadata {
            endpoint,
            endpoint_source,
            forced_by,
            current: Mutex::new(None),
            fetcher: tokio::sync::Mutex::new(Fetcher {
                client: None,
                session: Session::Unknown,
            }),
        }
    }

    pub fn endpoint(&self) -> &Url {
        &self.endpoint
    }

    /// The keys to sign with now, if any were fetched.
    pub fn current(&self) -> Option<Arc<KeySet>> {
        self.current
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Fetch keys when none are held or fewer than [`REFRESH_BEFORE`] are left of them.
    /// `trace` sees each request and response (secrets masked).
    pub async fn refresh_if_needed(&self, trace: &dyn Trace) -> Result<(), Failure> {
        let mut fetcher = self.fetcher.lock().await;
        if self.current().is_some_and(|k| fresh(&k, SystemTime::now())) {
            return Ok(());
        }
        let keys = self.fetch(&mut fetcher, trace).await?;
        *self.current.lock().unwrap_or_else(PoisonError::into_inner) = Some(Arc::new(keys));
        Ok(())
    }

    async fn fetch(&self, fetcher: &mut Fetcher, trace: &dyn Trace) -> Result<KeySet, Failure> {
        if fetcher.client.is_none() {
            fetcher.client = Some(Client::direct(CONNECT_TIMEOUT, TIMEOUT)?);
        }
        let client = fetcher.client.clone().expect("built above");
        if let Session::Token { since, .. } = &fetcher.session
            && since.elapsed() > TOKEN_REUSE
        {
            fetcher.session = Session::Unknown;
        }
        if let Session::Unknown = fetcher.session {
            fetcher.session = self.session(&client, trace).await?;
        }
        let mut response = self.security_key(&client, &fetcher.session, trace).await?;
        if response.status == 401 && !mentions_agency(&response) {
            // The session token may have lapsed: a new one (now it must come), then once more.
            fetcher.session = self.session(&client, trace).await?;
            if !matches!(fetcher.session, Session::Token { .. }) {
                return Err(self.failed("no session token was given after a 401"));
            }
            response = self.security_key(&client, &fetcher.session, trace).await?;
        }
        if response.status == 401 && mentions_agency(&response) {
            return Err(self
                .failed("the instance has no agency: the metadata service says `Please configure Cloud Service Agency first`"));
        }
        if response.status >= 300 {
            return Err(self.failed(&format!(
                "HTTP {} from GET {}",
                response.status,
                self.url("openstack/latest/securitykey")
            )));
        }
        parse(&response.body).map_err(|e| self.failed(&e))
    }

    /// The session token step: a token, or none where the service has no token mode.
    async fn session(&self, client: &Client, trace: &dyn Trace) -> Result<Session, Failure> {
        let request = self.request(
            "PUT",
            "meta-data/latest/api/token",
            Some(plain("X-Metadata-Token-Ttl-Seconds", TOKEN_TTL)),
        );
        let response = self.send(client, &request, trace).await?;
        match response.status {
            200..=299 => {
                let text = String::from_utf8_lossy(&response.body);
                let value = Secret::new(&text, "metadata session token")
                    .map_err(|e| self.failed(&format!("{e:#}")))?;
                Ok(Session::Token {
                    value,
                    since: Instant::now(),
                })
            }
            404 | 405 | 503 => Ok(Session::Unavailable),
            status => Err(self.failed(&format!("HTTP {status} from PUT {}", request.url))),
        }
    }

    async fn security_key(
        &self,
        client: &Client,
        session: &Session,
        trace: &dyn Trace,
    ) -> Result<Response, Failure> {
        let token = match session {
            Session::Token { value, .. } => Some(Header {
                name: "X-Metadata-Token",
                value: HeaderValue::Secret(value.clone()),
            }),
            _ => None,
        };
        let mut request = self.request("GET", "openstack/latest/securitykey", None);
        request.headers.extend(token);
        self.send(client, &request, trace).await
    }

    fn request(&self, method: &'static str, path: &str, header: Option<Header>) -> Request {
        let mut headers = vec![plain("User-Agent", USER_AGENT)];
        headers.extend(header);
        Request {
            method,
            url: self.url(path),
            headers,
            body: Bytes::new(),
        }
    }

    fn url(&self, path: &str) -> Url {
        let base = self.endpoint.as_str().trim_end_matches('/');
        Url::parse(&format!("{base}/{path}")).expect("a checked endpoint and a fixed path")
    }

    async fn send(
        &self,
        client: &Client,
        request: &Request,
        trace: &dyn Trace,
    ) -> Result<Response, Failure> {
        trace.request(request);
        let response = client.send(request).await.map_err(|f| {
            let error = f.error.context(format!(
                "could not reach the ECS metadata service at {} (asked for by {})",
                self.shown_endpoint(),
                self.forced_by
            ));
            Failure::new(Kind::NoCredentials, error).with_hint(Some(ECS_AGENCY_HINT.into()))
        })?;
        trace.response(&response);
        Ok(response)
    }

    /// The endpoint as people read it: without the trailing `/`.
    fn shown_endpoint(&self) -> &str {
        self.endpoint.as_str().trim_end_matches('/')
    }

    /// No keys: what went wrong, where, and who asked.
    fn failed(&self, what: &str) -> Failure {
        Failure::new(
            Kind::NoCredentials,
            anyhow!("{what}").context(format!(
                "no credentials from the ECS metadata service at {} (asked for by {})",
                self.shown_endpoint(),
                self.forced_by
            )),
        )
        .with_hint(Some(ECS_AGENCY_HINT.into()))
    }
}

fn plain(name: &'static str, value: &str) -> Header {
    Header {
        name,
        value: HeaderValue::Plain(value.to_string()),
    }
}

fn mentions_agency(response: &Response) -> bool {
    String::from_utf8_lossy(&response.body).contains(NO_AGENCY)
}

/// Whether `keys` are good for more than [`REFRESH_BEFORE`] after `now`.
fn fresh(keys: &KeySet, now: SystemTime) -> bool {
    keys.expires_at
        .duration_since(now)
        .is_ok_and(|left| left >= REFRESH_BEFORE)
}

/// `{"credential": {"access", "secret", "securitytoken", "expires_at"}}`; the message never
/// quotes the body (it holds secrets).
fn parse(body: &[u8]) -> Result<KeySet, String> {
    let body: Body = serde_json::from_slice(body).map_err(|e| {
        // The category only: serde's message may quote the text it choked on.
        let why = match e.classify() {
            serde_json::error::Category::Syntax | serde_json::error::Category::Io => {
                "it is not JSON"
            }
            serde_json::error::Category::Data => "a field has the wrong type",
            serde_json::error::Category::Eof => "it ends early",
        };
        format!("the answer is not the expected JSON: {why}")
    })?;
    let credential = body
        .credential
        .ok_or("the answer has no `credential` object")?;
    let field = |value: Option<String>, name: &str| {
        let value = value.ok_or_else(|| format!("the answer has no `credential.{name}`"))?;
        Secret::new(&value, name).map_err(|e| format!("in `credential.{name}`: {e:#}"))
    };
    let access_key = field(credential.access, "access")?;
    let secret_key = field(credential.secret, "secret")?;
    let security_token = field(credential.securitytoken, "securitytoken")?;
    let expires_text = credential
        .expires_at
        .ok_or("the answer has no `credential.expires_at`")?;
    let expires_at = crate::cloud::iam::parse_time(&expires_text).ok_or_else(|| {
        format!(
            "`credential.expires_at` is not a time: `{}`",
            crate::sanitize::shown(&expires_text)
        )
    })?;
    Ok(KeySet {
        access_key,
        secret_key,
        security_token,
        expires_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_body_parses() {
        let keys = parse(
            br#"{"credential":{"access":"AK","secret":"SK","securitytoken":"ST","expires_at":"2020-01-08T03:50:07.574000Z"}}"#,
        )
        .unwrap();
        assert_eq!(keys.access_key.expose(), "AK");
        assert_eq!(
            keys.expires_at,
            humantime::parse_rfc3339("2020-01-08T03:50:07.574Z").unwrap()
        );
        assert!(parse(b"<html>").unwrap_err().contains("not JSON"));
        assert!(parse(b"{}").unwrap_err().contains("no `credential`"));
        let missing = parse(br#"{"credential":{"access":"AK","secret":"S3CRET"}}"#).unwrap_err();
        assert!(!missing.contains("S3CRET"), "{missing}");
    }

    #[test]
    fn keys_are_fresh_until_forty_minutes_are_left() {
        let now = SystemTime::now();
        let keys = |left: u64| KeySet {
            access_key: Secret::from("a".to_string()),
            secret_key: Secret::from("s".to_string()),
            security_token: Secret::from("t".to_string()),
            expires_at: now + Duration::from_secs(left),
        };
        assert!(fresh(&keys(2 * 3600), now));
        assert!(!fresh(&keys(10 * 60), now));
        assert!(!fresh(&keys(39 * 60), now));
    }
}
