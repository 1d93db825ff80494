//! `fgs login`: an IAM token from a user name and password, cached per profile.
//!
//! Wire: `POST {iam}/v3/auth/tokens`, token in the `X-Subject-Token` response header, expiry
//! in the body's `token.expires_at`. The cache is one JSON file per profile under
//! `$XDG_CACHE_HOME/fgs/` (else `~/.cache/fgs/`), directory 0700 and file 0600 on Unix;
//! `%LOCALAPPDATA%\fgs\` on Windows.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use anyhow::{Context, anyhow};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::api::{Header, HeaderValue, Request, USER_AGENT};
use crate::secret::Secret;

/// A cached token is used only while more than this remains.
pub const MIN_REMAINING: Duration = Duration::from_secs(5 * 60);

/// What is cached, besides the token: where it is valid and until when.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CachedToken {
    pub token: String,
    /// UTC, RFC 3339, as IAM gave it.
    pub expires_at: String,
    pub region: String,
    pub project_id: Option<String>,
    pub user: String,
    pub domain: String,
}

impl CachedToken {
    /// Time left before expiry; `None` once expired or when the expiry cannot be read.
    pub fn remaining(&self, now: SystemTime) -> Option<Duration> {
        parse_time(&self.expires_at)?.duration_since(now).ok()
    }
}

/// An RFC 3339 time, with or without its `Z` (IAM's and the metadata service's).
pub fn parse_time(text: &str) -> Option<SystemTime> {
    humantime::parse_rfc3339(text)
        .or_else(|_| humantime::parse_rfc3339_weak(text.trim_end_matches('Z')))
        .ok()
}

/// `{cache}/login-{profile}.json` in fgs's cache directory, `default` without a profile.
pub fn cache_path(cache_dir: &Path, profile: Option<&str>) -> PathBuf {
    let name = crate::config_file::file_safe(profile.unwrap_or("default"));
    cache_dir.join(format!("login-{name}.json"))
}

/// The cached token, if there is one.
pub fn load(path: &Path) -> anyhow::Result<Option<CachedToken>> {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map(Some).with_context(|| {
            format!(
                "reading the login cache {} (fgs logout removes it)",
                path.display()
            )
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("reading the login cache {}", path.display())),
    }
}

/// Write the cache: directory 0700, file 0600, replaced atomically.
pub fn save(path: &Path, cached: &CachedToken) -> anyhow::Result<()> {
    crate::config_file::write_private(path, &serde_json::to_vec_pretty(cached)?)
}

/// Delete the cache; `false` when there was none.
pub fn delete(path: &Path) -> anyhow::Result<bool> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e).with_context(|| format!("deleting {}", path.display())),
    }
}

/// The project a token is scoped to: by id when known, else the region's default project
/// (named after the region).
pub enum ProjectScope<'a> {
    Id(&'a str),
    Name(&'a str),
}

/// The body of a password login, with the password as given or masked (for `-v`).
fn token_body(user: &str, domain: &str, password: &str, scope: &ProjectScope) -> Value {
    let project = match scope {
        ProjectScope::Id(id) => json!({"id": id}),
        ProjectScope::Name(name) => json!({"name": name}),
    };
    json!({"auth": {
        "identity": {
            "methods": ["password"],
            "password": {"user": {"name": user, "password": password, "domain": {"name": domain}}}
        },
        "scope": {"project": project}
    }})
}

/// A password login: the request, and its body as `-v` shows it (password masked).
pub struct TokenRequest {
    pub request: Request,
    pub shown_body: String,
}

/// `POST {iam}/v3/auth/tokens?nocatalog=true` with password authentication.
pub fn token_request(
    iam_endpoint: &url::Url,
    user: &str,
    domain: &str,
    password: &Secret,
    scope: &ProjectScope,
) -> anyhow::Result<TokenRequest> {
    let body = token_body(user, domain, password.expose(), scope);
    // Not even the mask's prefix: a password is never shown in part.
    let shown = token_body(user, domain, "***", scope);
    let url = url::Url::parse(&format!(
        "{}/v3/auth/tokens?nocatalog=true",
        iam_endpoint.as_str().trim_end_matches('/')
    ))
    .context("forming the IAM URL")?;
    let request = Request {
        method: "POST",
        url,
        headers: vec![
            Header {
                name: "Content-Type",
                value: HeaderValue::Plain("application/json;charset=utf8".into()),
            },
            Header {
                name: "User-Agent",
                value: HeaderValue::Plain(USER_AGENT.into()),
            },
        ],
        body: serde_json::to_vec(&body)
            .expect("a Value always serialises")
            .into(),
    };
    Ok(TokenRequest {
        request,
        shown_body: shown.to_string(),
    })
}

/// What a 201 answer gives: the token, its expiry and the project it is scoped to.
#[derive(Debug)]
pub struct Issued {
    pub token: Secret,
    pub expires_at: String,
    pub project_id: Option<String>,
}

pub fn parse_issued(response: &crate::api::Response) -> anyhow::Result<Issued> {
    let token = response
        .header("X-Subject-Token")
        .ok_or_else(|| anyhow!("the answer has no X-Subject-Token header"))?;
    let token = Secret::new(token, "issued token")?;
    let body: Value =
        serde_json::from_slice(&response.body).context("the answer's body is not JSON")?;
    let expires_at = body
        .pointer("/token/expires_at")
        .and_then(Value::as_str)
        .ok_or_else(|| anyhow!("the answer has no token.expires_at"))?
        .to_string();
    if parse_time(&expires_at).is_none() {
        return Err(anyhow!("token.expires_at `{expires_at}` is not a time"));
    }
    Ok(Issued {
        token,
        expires_at,
        project_id: body
            .pointer("/token/project/id")
            .and_then(Value::as_str)
            .map(str::to_string),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_paths() {
        let dir = Path::new("/c/fgs");
        let p = cache_path(dir, Some("dev"));
        assert_eq!(p, PathBuf::from("/c/fgs/login-dev.json"));
        let p = cache_path(dir, None);
        assert_eq!(p, PathBuf::from("/c/fgs/login-default.json"));
        let p = cache_path(dir, Some("../x"));
        assert_eq!(p, PathBuf::from("/c/fgs/login-.._x.json"));
    }

    #[test]
    fn remaining_time() {
        let cached = CachedToken {
            token: "t".into(),
            expires_at: "2020-01-04T09:05:22.701000Z".into(),
            region: "r".into(),
            project_id: None,
            user: "u".into(),
            domain: "d".into(),
        };
        let at = |s| humantime::parse_rfc3339(s).unwrap();
        assert_eq!(
            cached
                .remaining(at("2020-01-04T09:00:22Z"))
                .unwrap()
                .as_secs(),
            300
        );
        assert_eq!(cached.remaining(at("2020-01-05T00:00:00Z")), None);
    }

    #[cfg(unix)]
    #[test]
    fn cache_is_private_and_round_trips() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir
            .path()
            .join("cache")
            .join("fgs")
            .join("login-default.json");
        let cached = CachedToken {
            token: "tok".into(),
            expires_at: "2030-01-01T00:00:00Z".into(),
            region: "cn-north-4".into(),
            project_id: Some("p".into()),
            user: "u".into(),
            domain: "d".into(),
        };
        save(&path, &cached).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(path.parent().unwrap()), 0o700);
        assert_eq!(load(&path).unwrap().unwrap().token, "tok");
        assert!(delete(&path).unwrap());
        assert!(!delete(&path).unwrap());
        assert!(load(&path).unwrap().is_none());
    }

    #[test]
    fn the_request_and_the_answer() {
        let password = Secret::new("pw", "password").unwrap();
        let endpoint = url::Url::parse("https://iam.x.com/").unwrap();
        let login = token_request(
            &endpoint,
            "alice",
            "acct",
            &password,
            &ProjectScope::Name("cn-north-4"),
        )
        .unwrap();
        assert!(!login.shown_body.contains("\"pw\""), "{}", login.shown_body);
        let req = login.request;
        assert!(!format!("{req:?}").contains("\"pw\""));
        assert_eq!(
            req.url.as_str(),
            "https://iam.x.com/v3/auth/tokens?nocatalog=true"
        );
        let body: Value = serde_json::from_slice(&req.body).unwrap();
        assert_eq!(
            body["auth"]["identity"]["password"]["user"]["domain"]["name"],
            "acct"
        );
        assert_eq!(body["auth"]["scope"]["project"]["name"], "cn-north-4");
        let response = crate::api::Response {
            status: 201,
            reason: String::new(),
            headers: vec![("x-subject-token".into(), "MIIE-token".into())],
            body: br#"{"token":{"expires_at":"2020-01-04T09:05:22.701000Z","project":{"id":"p1","name":"cn-north-4"}}}"#.to_vec(),
        };
        let issued = parse_issued(&response).unwrap();
        assert_eq!(issued.token.expose(), "MIIE-token");
        assert_eq!(issued.project_id.as_deref(), Some("p1"));
    }
}
