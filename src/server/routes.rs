//! Which API a request names, and one function per route. A route answers with the
//! response and a few words on it for the server's log, or with the service's error.
//!
//! | route | function |
//! | --- | --- |
//! | `GET /` | [`Server::index`] |
//! | `GET /v2/{project}/fgs/functions` | [`Server::list`] |
//! | `POST .../functions/{urn}/invocations` | [`Server::invoke`] |
//! | `POST .../functions/{urn}/invocations-async` | [`Server::invoke_async`] |
//! | `GET .../functions/{urn}/async-invocations` | [`Server::records`] |
//! | `GET .../functions/{urn}/config` | [`Server::config`] |
//! | `GET .../functions/{urn}/versions` | [`Server::versions`] |
//! | `GET .../functions/{urn}/aliases` | [`aliases`] |
//! | `GET`/`POST .../functions/{urn}/events`, `GET`/`PUT`/`DELETE .../events/{id}` | [`Server::events`](super::events) |
//! | `GET .../functions/{urn}/export?type=code` | [`Server::export`] |
//! | `GET .../functions/{urn}/code` | [`Server::code`] |

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::header::HeaderValue;
use hyper::http::request::Parts;
use hyper::{Method, Request, Response, StatusCode};
use serde_json::{Value, json};

use super::Server;
use super::documents::{self, ApiFail, json_response, pool_failure, wire};
use super::request::{self, marker, query_params};
use crate::api;
use crate::local::{self, Pool};
use crate::urn::{self, FunctionRef, Qualifier, Urn};

/// The service's limits on a request body: synchronous and asynchronous.
const SYNC_LIMIT: usize = local::MAX_PAYLOAD;
const ASYNC_LIMIT: usize = api::ASYNC_LIMIT;

/// A route's answer and a few words on it for the server's log.
type Answer = (Response<Full<Bytes>>, String);

/// What a request on one function asks for: the last segment of its path, and its method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Sync,
    Async,
    Records,
    Config,
    Versions,
    Aliases,
    Export,
    Code,
}

impl Action {
    fn of(method: &Method, last: &str) -> Option<Action> {
        Some(match (method, last) {
            (&Method::POST, "invocations") => Action::Sync,
            (&Method::POST, "invocations-async") => Action::Async,
            (&Method::GET, "async-invocations") => Action::Records,
            (&Method::GET, "config") => Action::Config,
            (&Method::GET, "versions") => Action::Versions,
            (&Method::GET, "aliases") => Action::Aliases,
            (&Method::GET, "export") => Action::Export,
            (&Method::GET, "code") => Action::Code,
            _ => return None,
        })
    }

    /// The most body the service takes for it.
    fn limit(self) -> usize {
        if self == Action::Async {
            ASYNC_LIMIT
        } else {
            SYNC_LIMIT
        }
    }
}

impl Server {
    /// The route a request names: its function found before its body is read, its
    /// signature checked before it runs.
    pub(super) async fn route(
        &self,
        request: Request<Incoming>,
        request_id: &str,
    ) -> Result<Answer, ApiFail> {
        let path = request.uri().path().to_string();
        let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        let no_api = || {
            ApiFail::new(
                StatusCode::NOT_FOUND,
                "FSS.0404",
                format!("no such API: {} {path}", request.method()),
            )
        };
        // The function list is the one API on the functions themselves; every other names
        // a function and what to do with it.
        let (project, named) = match segments.as_slice() {
            [""] if request.method() == Method::GET => return Ok(self.index(&request)),
            ["v2", project, "fgs", "functions"] if request.method() == Method::GET => {
                (*project, None)
            }
            ["v2", project, "fgs", "functions", urn, "events", id @ ..] if id.len() <= 1 => {
                if project.is_empty() {
                    return Err(ApiFail::bad("FSS.0400", "the path names no project id"));
                }
                return self.events(request, urn, id.first().copied()).await;
            }
            ["v2", project, "fgs", "functions", urn, last] => {
                let action = Action::of(request.method(), last).ok_or_else(no_api)?;
                (*project, Some((*urn, action)))
            }
            _ => return Err(no_api()),
        };
        if project.is_empty() {
            return Err(ApiFail::bad("FSS.0400", "the path names no project id"));
        }
        let Some((urn, action)) = named else {
            return self.list(request, project).await;
        };
        let (function, key, pool) = self.served(urn)?;
        if action == Action::Async
            && let Some((code, message)) = pool.function().async_refusal()
        {
            return Err(ApiFail::bad(code, message));
        }
        let (parts, body) = request::read(request, action.limit(), self.verify.as_ref()).await?;
        match action {
            Action::Sync => self.invoke(pool, &function, &parts, body, request_id).await,
            Action::Async => self.invoke_async(pool, &function, body, request_id, key),
            Action::Records => Ok(self.records(&parts, key)),
            Action::Config => Ok(self.config(pool, project)),
            Action::Versions => Ok(self.versions(pool, project)),
            Action::Aliases => Ok(aliases()),
            Action::Export => export(pool, &parts).await,
            Action::Code => code(pool, project, &self.region).await,
        }
    }

    /// The served function a path's URN segment names: decoded, parsed, then found by
    /// (package, name).
    pub(super) fn served(
        &self,
        segment: &str,
    ) -> Result<(FunctionRef, &(String, String), &Pool), ApiFail> {
        let urn = urn::from_segment(segment)
            .ok_or_else(|| ApiFail::bad("FSS.1309", "the function URN is not UTF-8"))?;
        let function = FunctionRef::parse(&urn)
            .map_err(|e| ApiFail::bad("FSS.1309", format!("invalid function URN: {e}")))?;
        let wanted = (function.package.clone(), function.name.clone());
        let Some((key, pool)) = self.pools.get_key_value(&wanted) else {
            return Err(ApiFail::new(
                StatusCode::NOT_FOUND,
                "FSS.1051",
                format!(
                    "The function does not exist: {}:{} is not served here",
                    wanted.0, wanted.1
                ),
            ));
        };
        Ok((function, key, pool))
    }

    /// `GET /`: not the service's; a short text for people who open the address: each
    /// function, its URN and a curl line that invokes it.
    fn index(&self, request: &Request<Incoming>) -> Answer {
        let host = request
            .headers()
            .get("host")
            .and_then(|h| h.to_str().ok())
            .filter(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_graphic()))
            .unwrap_or("127.0.0.1");
        let mut keys: Vec<&(String, String)> = self.pools.keys().collect();
        keys.sort();
        let mut text = format!(
            "fgs serve: FunctionGraph's invocation API for {} function(s); any project id and token are accepted.\n",
            keys.len()
        );
        for key in keys {
            let function = self.pools[key].function();
            let urn = function
                .urn(&self.region, &self.project)
                .with_version("latest");
            text.push_str(&format!(
                "\n{}:{} ({})\n  {urn}\n  curl -X POST 'http://{host}/v2/{}/fgs/functions/{urn}/invocations' -H 'Content-Type: application/json' -H 'X-Auth-Token: local' -d '{{}}'\n",
                key.0, key.1, function.runtime, self.project
            ));
        }
        text.push_str(&format!(
            "\nfgs itself against this server (saved test events are kept in DIR/events/; fgs pull gets the code as a zip):\n  export FGS_ENDPOINT=http://{host} FGS_REGION={} FGS_PROJECT_ID={} FGS_TOKEN=local\n  fgs list; fgs event list NAME; fgs pull NAME; fgs invoke NAME --event EVENT\n",
            self.region, self.project
        ));
        let mut response = Response::new(Full::new(Bytes::from(text)));
        response.headers_mut().insert(
            "content-type",
            hyper::header::HeaderValue::from_static("text/plain; charset=utf-8"),
        );
        (response, "index".into())
    }

    /// `GET /v2/{project}/fgs/functions`: the served functions by package and name, `maxitems`
    /// (default and at most 400) from offset `marker`, filtered by `package_name`.
    async fn list(&self, request: Request<Incoming>, project: &str) -> Result<Answer, ApiFail> {
        let (parts, _) = request::read(request, SYNC_LIMIT, self.verify.as_ref()).await?;
        let params = query_params(parts.uri.query());
        let size = match params.get("maxitems").and_then(|m| m.parse::<usize>().ok()) {
            Some(n) if (1..=400).contains(&n) => n,
            _ => 400,
        };
        let marker = marker(&params);
        let mut keys: Vec<&(String, String)> = self
            .pools
            .keys()
            .filter(|(package, _)| params.get("package_name").is_none_or(|p| p == package))
            .collect();
        keys.sort();
        let page: Vec<Value> = keys
            .iter()
            .skip(marker)
            .take(size)
            .map(|key| self.document(&self.pools[*key], project))
            .collect();
        let next_marker = marker + page.len();
        let list = json!({"functions": page, "next_marker": next_marker, "count": keys.len()});
        Ok((
            json_response(StatusCode::OK, &list, None),
            "functions".into(),
        ))
    }

    /// `POST .../invocations`: run the call and answer as the service does;
    /// `X-Cff-Log-Type: tail` adds the log, `X-Cff-Request-Version: v0` makes the result
    /// itself the body.
    async fn invoke(
        &self,
        pool: &Pool,
        function: &FunctionRef,
        parts: &Parts,
        body: Bytes,
        request_id: &str,
    ) -> Result<Answer, ApiFail> {
        let call = call(function, body, request_id)?;
        let header = |name: &str| {
            parts
                .headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
        };
        let log = header("x-cff-log-type").is_some_and(|v| v.eq_ignore_ascii_case("tail"));
        let v0 = header("x-cff-request-version").is_some_and(|v| v.eq_ignore_ascii_case("v0"));
        let reply = pool.invoke(call).await.map_err(pool_failure)?;
        if self.verbose {
            self.out.log(&reply.log);
        }
        let what = if reply.function_error {
            format!("function error {}", reply.error_code)
        } else {
            "ok".into()
        };
        let mut answer = reply.to_response(log);
        if v0 {
            // The old answer: the result itself as the body, the same headers but the
            // version, which is the one asked for.
            answer.body.clone_from(&reply.result);
            for (name, value) in &mut answer.headers {
                if name.eq_ignore_ascii_case("x-cff-response-version") {
                    "v0".clone_into(value);
                }
            }
        }
        Ok((wire(answer), what))
    }

    /// `POST .../invocations-async`: 202 at once; the call runs on, and its record tells
    /// how it went.
    fn invoke_async(
        &self,
        pool: &Pool,
        function: &FunctionRef,
        body: Bytes,
        request_id: &str,
        key: &(String, String),
    ) -> Result<Answer, ApiFail> {
        let call = call(function, body, request_id)?;
        self.records.wait(request_id, key);
        let records = self.records.clone();
        let pool = pool.clone();
        let id = request_id.to_string();
        tokio::spawn(async move {
            records.running(&id);
            let outcome = pool.invoke(call).await;
            records.settle(&id, outcome);
        });
        let accepted = json!({"request_id": request_id});
        Ok((
            json_response(StatusCode::ACCEPTED, &accepted, Some(request_id)),
            "accepted".into(),
        ))
    }

    /// `GET .../async-invocations`: the function's records (see [`super::records`]).
    fn records(&self, parts: &Parts, key: &(String, String)) -> Answer {
        let page = self.records.page(parts.uri.query(), key);
        (json_response(StatusCode::OK, &page, None), "records".into())
    }

    /// `GET .../config`: the function as listed, its URN naming the version as the
    /// service's example does.
    fn config(&self, pool: &Pool, project: &str) -> Answer {
        let mut config = self.document(pool, project);
        if let Some(urn) = config["func_urn"].as_str().and_then(Urn::read) {
            config["func_urn"] = urn.with_version("latest").to_string().into();
        }
        (
            json_response(StatusCode::OK, &config, None),
            "config".into(),
        )
    }

    /// `GET .../versions`: `latest` only, as listed but without a description, as the
    /// service's version list has none (§10.4).
    fn versions(&self, pool: &Pool, project: &str) -> Answer {
        let mut latest = self.document(pool, project);
        if let Some(fields) = latest.as_object_mut() {
            fields.remove("description");
        }
        let versions = json!({"versions": [latest], "count": 1, "next_marker": 0});
        (
            json_response(StatusCode::OK, &versions, None),
            "versions".into(),
        )
    }

    /// A served function as listed, in this server's region and the request's project.
    fn document(&self, pool: &Pool, project: &str) -> Value {
        documents::function(&pool.function(), &self.region, project)
    }
}

/// Left out of the code package: what other routes answer (the configuration, the saved
/// events), what must not leave the machine (.env), version control and Python's bytecode.
const NOT_CODE: &[&str] = &["function.toml", ".env", "events", ".git", "__pycache__"];

/// The function directory's code as a zip, built off the server's thread.
async fn package(pool: &Pool) -> Result<Vec<u8>, ApiFail> {
    let dir = pool.function().dir.clone();
    tokio::task::spawn_blocking(move || crate::archive::pack(&dir, NOT_CODE))
        .await
        .map_err(|e| ApiFail::new(StatusCode::INTERNAL_SERVER_ERROR, "FSS.0500", e.to_string()))?
        .map_err(|e| {
            ApiFail::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "FSS.0500",
                format!("the function's code could not be packed: {e:#}"),
            )
        })
}

/// `GET .../export?type=code` (or `code=true`): the code as the console's export gives it,
/// a zip, with its SHA-256 in `Content-Digest`. Only the code is exported.
async fn export(pool: &Pool, parts: &Parts) -> Result<Answer, ApiFail> {
    let params = query_params(parts.uri.query());
    let code = params.get("type").map(String::as_str) == Some("code")
        || (!params.contains_key("type") && params.get("code").map(String::as_str) == Some("true"));
    if !code {
        return Err(ApiFail::bad(
            "FSS.0400",
            "fgs serve exports the code only: ask for type=code",
        ));
    }
    let zip = package(pool).await?;
    let digest = {
        use base64::Engine;
        use sha2::Digest;
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(&zip))
    };
    let name = pool.function().name.clone();
    let size = zip.len();
    let mut response = Response::new(Full::new(Bytes::from(zip)));
    let headers = response.headers_mut();
    headers.insert("content-type", HeaderValue::from_static("application/zip"));
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}.zip\"")) {
        headers.insert("content-disposition", value);
    }
    if let Ok(value) = HeaderValue::from_str(&format!("sha-256=:{digest}:")) {
        headers.insert("content-digest", value);
    }
    Ok((response, format!("export {size} bytes")))
}

/// `GET .../code` (§11.2): a zip function's fields, its size and SHA-512 digest those of
/// the package the export gives.
async fn code(pool: &Pool, project: &str, region: &str) -> Result<Answer, ApiFail> {
    let zip = package(pool).await?;
    let function = pool.function();
    let digest = {
        use sha2::Digest;
        hex::encode(sha2::Sha512::digest(&zip))
    };
    let document = json!({
        "func_urn": function.urn(region, project).with_version("latest").to_string(),
        "func_name": function.name,
        "runtime": function.runtime.to_string(),
        "code_type": "zip",
        "code_url": "",
        "code_filename": format!("{}.zip", function.name),
        "code_size": zip.len(),
        "digest": digest,
        "func_code": {"file": "", "link": ""},
    });
    Ok((
        json_response(StatusCode::OK, &document, None),
        "code".into(),
    ))
}

/// `GET .../aliases`: aliases are not emulated, a served function has none.
fn aliases() -> Answer {
    (
        json_response(StatusCode::OK, &json!([]), None),
        "aliases".into(),
    )
}

/// The call a request body makes on the function its URN names: a blank body is `{}`,
/// any other gets the same check as every payload fgs sends (UTF-8 JSON, no lone
/// surrogate).
fn call(function: &FunctionRef, body: Bytes, request_id: &str) -> Result<local::Call, ApiFail> {
    let body = if body.iter().all(u8::is_ascii_whitespace) {
        Bytes::from_static(b"{}")
    } else {
        crate::payload::check_json(&body)
            .map_err(|e| ApiFail::bad("FSS.0400", format!("the request body is not JSON: {e}")))?;
        body
    };
    let (version, alias) = match &function.qualifier {
        Some(Qualifier::Version(v)) => (Some(v.clone()), None),
        Some(Qualifier::Alias(a)) => (None, Some(a.clone())),
        None => (None, None),
    };
    Ok(local::Call {
        request_id: Some(request_id.to_string()),
        body,
        alias,
        version,
        credentials: None,
    })
}
