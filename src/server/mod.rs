//! `fgs serve`: FunctionGraph's invocation API on a local address, answered by the functions
//! in this machine's directories, in the service's shapes (sync v1 and v0, async, the async
//! records, its error bodies and headers), and the read-only calls that find them (the
//! function list, a function's configuration, versions and aliases).
//!
//! One current-thread runtime serves every connection; each function has a [`Pool`] of warm
//! instances. A slow or half-sent request is cut off after [`READ_TIMEOUT`], so one bad
//! client never holds the others up.

use std::collections::{HashMap, VecDeque};
use std::convert::Infallible;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::header::{HeaderName, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::api;
use crate::cloud::signing::{self, Authorization};
use crate::local::{self, LocalError, Pool};
use crate::output::Output;
use crate::secret::Secret;
use crate::urn::{FunctionRef, Qualifier};

/// How long a client may take to send a whole request, headers and body.
pub const READ_TIMEOUT: Duration = Duration::from_secs(10);
/// How long running calls may finish after a stop was asked for.
pub const DRAIN: Duration = Duration::from_secs(10);
/// Async invocation records kept, oldest dropped first.
const RECORDS: usize = 10_000;
/// The service's limits on a request body: synchronous and asynchronous.
const SYNC_LIMIT: usize = local::MAX_PAYLOAD;
const ASYNC_LIMIT: usize = api::ASYNC_LIMIT;

/// Why the server stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stopped {
    /// SIGTERM: a clean stop.
    Terminated,
    /// Ctrl-C.
    Interrupted,
}

/// What the server answers with.
pub struct Server {
    /// Keyed by (package, name).
    pools: HashMap<(String, String), Pool>,
    region: String,
    /// `--verify-aksk`: the one key pair every request must be signed with.
    verify: Option<(Secret, Secret)>,
    records: Arc<Mutex<Records>>,
    out: Output,
    /// `-v`: log each call's function log too.
    verbose: bool,
}

impl Server {
    /// `region` goes into the URNs the listing shows.
    pub fn new(
        pools: HashMap<(String, String), Pool>,
        region: &str,
        verify: Option<(Secret, Secret)>,
        out: Output,
    ) -> Server {
        let verbose = out.verbose;
        Server {
            pools,
            region: region.to_string(),
            verify,
            records: Arc::default(),
            out,
            verbose,
        }
    }

    /// Serve on `listener` until SIGTERM or Ctrl-C; then stop accepting, let running calls
    /// finish for up to [`DRAIN`], and stop every instance.
    /// `banner` is printed once SIGTERM and Ctrl-C are both caught, so that whoever waits for
    /// it may signal at once.
    pub async fn run(self, listener: TcpListener, banner: &str) -> Stopped {
        let server = Arc::new(self);
        let (stop_tx, stop_rx) = watch::channel(false);
        let connections = Arc::new(AtomicU64::new(0));
        let mut terminate = Caught::new(tokio::signal::unix::SignalKind::terminate());
        let mut interrupt = Caught::new(tokio::signal::unix::SignalKind::interrupt());
        server.out.info(banner);
        let stopped = loop {
            tokio::select! {
                accepted = listener.accept() => {
                    let Ok((stream, _)) = accepted else { continue };
                    let _ = stream.set_nodelay(true);
                    let server = server.clone();
                    let mut stop = stop_rx.clone();
                    let connections = connections.clone();
                    connections.fetch_add(1, Ordering::SeqCst);
                    tokio::spawn(async move {
                        let service = hyper::service::service_fn(move |request| {
                            let server = server.clone();
                            async move { Ok::<_, Infallible>(server.handle(request).await) }
                        });
                        let connection = hyper::server::conn::http1::Builder::new()
                            .timer(TokioTimer::new())
                            .header_read_timeout(READ_TIMEOUT)
                            .serve_connection(TokioIo::new(stream), service);
                        tokio::pin!(connection);
                        tokio::select! {
                            _ = connection.as_mut() => {}
                            _ = stop.changed() => {
                                connection.as_mut().graceful_shutdown();
                                let _ = connection.await;
                            }
                        }
                        connections.fetch_sub(1, Ordering::SeqCst);
                    });
                }
                () = terminate.recv() => break Stopped::Terminated,
                () = interrupt.recv() => break Stopped::Interrupted,
            }
        };
        drop(listener);
        let _ = stop_tx.send(true);
        let deadline = Instant::now() + DRAIN;
        while connections.load(Ordering::SeqCst) > 0 && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        for pool in server.pools.values() {
            pool.shutdown().await;
        }
        stopped
    }

    async fn handle(self: Arc<Self>, request: Request<Incoming>) -> Response<Full<Bytes>> {
        let started = Instant::now();
        let request_id = uuid::Uuid::new_v4().to_string();
        let method = request.method().clone();
        let path = request.uri().path().to_string();
        let (mut response, what) = match self.route(request, &request_id).await {
            Ok(answer) => answer,
            Err(error) => {
                let what = format!("{} {}", error.status.as_u16(), error.code);
                (error.response(), what)
            }
        };
        let headers = response.headers_mut();
        for name in ["x-request-id", "x-cff-request-id"] {
            if !headers.contains_key(name)
                && let Ok(value) = HeaderValue::from_str(&request_id)
            {
                headers.insert(HeaderName::from_static(name), value);
            }
        }
        let id = headers
            .get("x-cff-request-id")
            .and_then(|v| v.to_str().ok())
            .unwrap_or(&request_id)
            .to_string();
        self.out.info(&format!(
            "{} {method} {path} · request {id} · {what} · {} ms\n",
            humantime::format_rfc3339_seconds(SystemTime::now()),
            crate::units::decimal(started.elapsed().as_secs_f64() * 1000.0)
        ));
        response
    }

    /// The answer, and a few words on it for the server's log.
    async fn route(
        &self,
        request: Request<Incoming>,
        request_id: &str,
    ) -> Result<(Response<Full<Bytes>>, String), ApiFail> {
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
            ["v2", project, "fgs", "functions"] if request.method() == Method::GET => {
                (*project, None)
            }
            ["v2", project, "fgs", "functions", urn, action] => {
                let action = match (request.method(), *action) {
                    (&Method::POST, "invocations") => Action::Sync,
                    (&Method::POST, "invocations-async") => Action::Async,
                    (&Method::GET, "async-invocations") => Action::Records,
                    (&Method::GET, "config") => Action::Config,
                    (&Method::GET, "versions") => Action::Versions,
                    (&Method::GET, "aliases") => Action::Aliases,
                    _ => return Err(no_api()),
                };
                (*project, Some((*urn, action)))
            }
            _ => return Err(no_api()),
        };
        if project.is_empty() {
            return Err(ApiFail::bad("FSS.0400", "the path names no project id"));
        }
        let Some((urn, action)) = named else {
            let (parts, _) = self.verified(request, SYNC_LIMIT).await?;
            return Ok((self.list(project, parts.uri.query()), "functions".into()));
        };
        let urn = percent_encoding::percent_decode_str(urn)
            .decode_utf8()
            .map_err(|_| ApiFail::bad("FSS.1309", "the function URN is not UTF-8"))?
            .into_owned();
        let function = FunctionRef::parse(&urn)
            .map_err(|e| ApiFail::bad("FSS.1309", format!("invalid function URN: {e}")))?;
        let key = (function.package.clone(), function.name.clone());
        let Some(pool) = self.pools.get(&key) else {
            return Err(ApiFail::new(
                StatusCode::NOT_FOUND,
                "FSS.1051",
                format!(
                    "The function does not exist: {}:{} is not served here",
                    key.0, key.1
                ),
            ));
        };
        let limit = if action == Action::Async {
            ASYNC_LIMIT
        } else {
            SYNC_LIMIT
        };
        let (parts, body) = self.verified(request, limit).await?;
        let (version, alias) = match &function.qualifier {
            Some(Qualifier::Version(v)) => (Some(v.clone()), None),
            Some(Qualifier::Alias(a)) => (None, Some(a.clone())),
            None => (None, None),
        };
        let document = || self.document(&pool.function(), project);
        match action {
            Action::Records => Ok((self.records(parts.uri.query(), &key), "records".into())),
            Action::Config => {
                let mut config = document();
                if let Some(urn) = config["func_urn"].as_str() {
                    // The configuration names the version, as the service's example does.
                    config["func_urn"] = format!("{urn}:latest").into();
                }
                Ok((
                    json_response(StatusCode::OK, &config, None),
                    "config".into(),
                ))
            }
            Action::Versions => {
                // The service's version list has no description (§10.4).
                let mut latest = document();
                if let Some(fields) = latest.as_object_mut() {
                    fields.remove("description");
                }
                let versions = json!({"versions": [latest], "count": 1, "next_marker": 0});
                Ok((
                    json_response(StatusCode::OK, &versions, None),
                    "versions".into(),
                ))
            }
            // Aliases are not emulated: a served function has none.
            Action::Aliases => Ok((
                json_response(StatusCode::OK, &json!([]), None),
                "aliases".into(),
            )),
            Action::Sync | Action::Async => {
                let body = if body.iter().all(u8::is_ascii_whitespace) {
                    Bytes::from_static(b"{}")
                } else {
                    // The same check as every payload fgs sends: UTF-8 JSON, no lone
                    // surrogate.
                    crate::payload::check_json(&body).map_err(|e| {
                        ApiFail::bad("FSS.0400", format!("the request body is not JSON: {e}"))
                    })?;
                    body
                };
                let call = local::Call {
                    request_id: Some(request_id.to_string()),
                    body,
                    alias,
                    version,
                    credentials: None,
                };
                if action == Action::Async {
                    Ok((
                        self.start_async(pool.clone(), call, &key),
                        "accepted".into(),
                    ))
                } else {
                    let header = |name: &str| {
                        parts
                            .headers
                            .get(name)
                            .and_then(|v| v.to_str().ok())
                            .map(str::trim)
                    };
                    let log =
                        header("x-cff-log-type").is_some_and(|v| v.eq_ignore_ascii_case("tail"));
                    let v0 = header("x-cff-request-version")
                        .is_some_and(|v| v.eq_ignore_ascii_case("v0"));
                    self.sync(pool, call, log, v0).await
                }
            }
        }
    }

    /// The request's head and whole body (at most `limit` bytes), its signature checked
    /// under `--verify-aksk`.
    async fn verified(
        &self,
        request: Request<Incoming>,
        limit: usize,
    ) -> Result<(hyper::http::request::Parts, Bytes), ApiFail> {
        let (parts, body) = request.into_parts();
        let body = read_body(body, limit).await?;
        if let Some((ak, sk)) = &self.verify {
            verify(&parts, &body, ak, sk)?;
        }
        Ok((parts, body))
    }

    async fn sync(
        &self,
        pool: &Pool,
        call: local::Call,
        log: bool,
        v0: bool,
    ) -> Result<(Response<Full<Bytes>>, String), ApiFail> {
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
            // The old answer: the result itself as the body, the same headers.
            answer.body.clone_from(&reply.result);
        }
        Ok((wire(answer), what))
    }

    /// 202 at once; the call runs on, and its record tells how it went.
    fn start_async(
        &self,
        pool: Pool,
        call: local::Call,
        key: &(String, String),
    ) -> Response<Full<Bytes>> {
        let request_id = call.request_id.clone().unwrap_or_default();
        self.record(&request_id, key, |r| r.status = "WAIT");
        let records = self.records.clone();
        let id = request_id.clone();
        tokio::spawn(async move {
            update(&records, &id, |r| r.status = "RUNNING");
            let outcome = pool.invoke(call).await;
            update(&records, &id, |r| {
                r.end_time = Some(now_text());
                match outcome {
                    Ok(reply) if !reply.function_error => r.status = "SUCCESS",
                    Ok(reply) => {
                        r.status = "FAIL";
                        r.error_code = i64::from(reply.error_code);
                        r.error_message = error_message(&reply.result);
                    }
                    Err(e) => {
                        r.status = "DISCARD";
                        r.error_message = e.to_string();
                    }
                }
            });
        });
        json_response(
            StatusCode::ACCEPTED,
            &json!({"request_id": request_id}),
            Some(&request_id),
        )
    }

    fn record(&self, id: &str, key: &(String, String), f: impl FnOnce(&mut Record)) {
        let mut records = self
            .records
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut record = Record {
            request_id: id.to_string(),
            key: key.clone(),
            status: "WAIT",
            error_code: 0,
            error_message: String::new(),
            start_time: now_text(),
            end_time: None,
        };
        f(&mut record);
        records.insert(record);
    }

    /// `GET /v2/{project}/fgs/functions`: the served functions by package and name, `maxitems`
    /// (default and at most 400) from offset `marker`, filtered by `package_name`.
    fn list(&self, project: &str, query: Option<&str>) -> Response<Full<Bytes>> {
        let params = query_params(query);
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
            .map(|key| self.document(&self.pools[*key].function(), project))
            .collect();
        let next_marker = marker + page.len();
        json_response(
            StatusCode::OK,
            &json!({"functions": page, "next_marker": next_marker, "count": keys.len()}),
            None,
        )
    }

    /// A served function as the listing shows it (§10.1 of the API notes); the
    /// configuration and the version list use the same fields.
    fn document(&self, function: &local::Function, project: &str) -> Value {
        let modified = std::fs::metadata(&function.dir)
            .and_then(|m| m.modified())
            .map(|t| humantime::format_rfc3339_seconds(t).to_string())
            .unwrap_or_default();
        json!({
            "func_urn": format!(
                "urn:fss:{}:{project}:function:{}:{}",
                self.region, function.package, function.name
            ),
            "func_name": function.name,
            "namespace": project,
            "package": function.package,
            "runtime": function.runtime.to_string(),
            "handler": function.handler,
            "memory_size": function.memory_size,
            "timeout": function.timeout,
            "code_type": "zip",
            "version": "latest",
            "last_modified": modified,
            "description": format!("served by fgs serve from {}", function.dir.display()),
            "user_data": serde_json::to_string(&function.environment).unwrap_or_default(),
        })
    }

    /// `GET .../async-invocations`: newest first, filtered by `request_id` and `status`,
    /// `limit` (default 100, at most 500) from offset `marker`.
    fn records(&self, query: Option<&str>, key: &(String, String)) -> Response<Full<Bytes>> {
        let params = query_params(query);
        let limit = params
            .get("limit")
            .and_then(|l| l.parse::<usize>().ok())
            .unwrap_or(100)
            .clamp(1, 500);
        let marker = marker(&params);
        let records = self
            .records
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let matching: Vec<&Record> = records
            .order
            .iter()
            .rev()
            .filter_map(|id| records.by_id.get(id))
            .filter(|r| &r.key == key)
            .filter(|r| {
                params
                    .get("request_id")
                    .is_none_or(|id| *id == r.request_id)
            })
            .filter(|r| {
                params
                    .get("status")
                    .is_none_or(|s| s.eq_ignore_ascii_case(r.status))
            })
            .collect();
        let page: Vec<Value> = matching
            .iter()
            .skip(marker)
            .take(limit)
            .map(|r| {
                json!({
                    "request_id": r.request_id,
                    "status": r.status,
                    "error_code": r.error_code,
                    "error_message": r.error_message,
                    "start_time": r.start_time,
                    "end_time": r.end_time.clone().unwrap_or_default(),
                })
            })
            .collect();
        let next = marker + page.len();
        let next_marker = if next < matching.len() { next } else { 0 };
        json_response(
            StatusCode::OK,
            &json!({"invocations": page, "count": matching.len(), "next_marker": next_marker}),
            None,
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Sync,
    Async,
    Records,
    Config,
    Versions,
    Aliases,
}

/// One async call as `GET .../async-invocations` shows it.
struct Record {
    request_id: String,
    key: (String, String),
    status: &'static str,
    error_code: i64,
    error_message: String,
    start_time: String,
    end_time: Option<String>,
}

/// The records, bounded: the oldest goes when a new one would pass [`RECORDS`].
#[derive(Default)]
struct Records {
    by_id: HashMap<String, Record>,
    order: VecDeque<String>,
}

impl Records {
    fn insert(&mut self, record: Record) {
        if self.by_id.len() >= RECORDS
            && let Some(oldest) = self.order.pop_front()
        {
            self.by_id.remove(&oldest);
        }
        self.order.push_back(record.request_id.clone());
        self.by_id.insert(record.request_id.clone(), record);
    }
}

fn update(records: &Mutex<Records>, id: &str, f: impl FnOnce(&mut Record)) {
    let mut records = records
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(record) = records.by_id.get_mut(id) {
        f(record);
    }
}

/// `YYYY-MM-DDTHH:MM:SS` in UTC, no zone: the records' time format.
fn now_text() -> String {
    let text = humantime::format_rfc3339_seconds(SystemTime::now()).to_string();
    text.trim_end_matches('Z').to_string()
}

/// The `errorMessage` of a function's error result, else the result itself.
fn error_message(result: &[u8]) -> String {
    serde_json::from_slice::<Value>(result)
        .ok()
        .and_then(|v| {
            v.get("errorMessage")
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .unwrap_or_else(|| String::from_utf8_lossy(result).into_owned())
}

/// The whole body, up to `limit` bytes, within [`READ_TIMEOUT`].
async fn read_body(body: Incoming, limit: usize) -> Result<Bytes, ApiFail> {
    let collected = tokio::time::timeout(READ_TIMEOUT, Limited::new(body, limit).collect()).await;
    match collected {
        Err(_) => Err(ApiFail::new(
            StatusCode::REQUEST_TIMEOUT,
            "FSS.0408",
            "the request body did not arrive in time",
        )),
        Ok(Ok(body)) => Ok(body.to_bytes()),
        Ok(Err(e))
            if e.downcast_ref::<http_body_util::LengthLimitError>()
                .is_some() =>
        {
            Err(ApiFail::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "FSS.0413",
                format!("The request body is too large: the limit is {limit} bytes"),
            ))
        }
        Ok(Err(e)) => Err(ApiFail::bad(
            "FSS.0400",
            format!("reading the request body: {e}"),
        )),
    }
}

/// `--verify-aksk`: the request must carry an `SDK-HMAC-SHA256` signature by `ak`/`sk`
/// over its method, path, query, signed headers and body; else the gateway's 401.
fn verify(
    parts: &hyper::http::request::Parts,
    body: &[u8],
    ak: &Secret,
    sk: &Secret,
) -> Result<(), ApiFail> {
    let refuse = |why: &str| {
        ApiFail::new(
            StatusCode::UNAUTHORIZED,
            "APIG.0301",
            format!("Incorrect IAM authentication information: {why}"),
        )
    };
    let value = parts
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| refuse("no Authorization header"))?;
    let received = Authorization::parse(value)
        .ok_or_else(|| refuse("the Authorization header is not SDK-HMAC-SHA256"))?;
    if !received.is_by(ak.expose()) {
        return Err(refuse("ak not exist"));
    }
    let mut headers: Vec<(&str, &str)> = Vec::new();
    for name in &received.signed_headers {
        let value = parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| refuse("a signed header is missing"))?;
        headers.push((name, value));
    }
    let path_and_query = parts
        .uri
        .path_and_query()
        .map_or("/", hyper::http::uri::PathAndQuery::as_str);
    let input = signing::SignInput {
        method: parts.method.as_str(),
        url: path_and_query,
        headers: &headers,
        selection: signing::HeaderSelection::All,
        body,
    };
    match received.verify(sk.expose(), &input) {
        Ok(true) => Ok(()),
        Ok(false) => Err(refuse("verify aksk signature fail")),
        Err(_) => Err(refuse("no X-Sdk-Date header")),
    }
}

/// An answer in the service's error shape.
#[derive(Debug)]
struct ApiFail {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl ApiFail {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiFail {
        ApiFail {
            status,
            code,
            message: message.into(),
        }
    }

    fn bad(code: &'static str, message: impl Into<String>) -> ApiFail {
        ApiFail::new(StatusCode::BAD_REQUEST, code, message)
    }

    fn response(&self) -> Response<Full<Bytes>> {
        json_response(
            self.status,
            &json!({"error_code": self.code, "error_msg": self.message}),
            None,
        )
    }
}

/// A pool that could not answer: busy is the service's 429, anything else its 500.
fn pool_failure(error: LocalError) -> ApiFail {
    match error {
        LocalError::Busy { .. } => ApiFail::new(
            StatusCode::TOO_MANY_REQUESTS,
            "FSS.0429",
            format!("Too many requests: {error}"),
        ),
        other => ApiFail::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "FSS.0500",
            format!("the local function could not run: {other}"),
        ),
    }
}

/// A query string's parameters, decoded; the last of a repeated name wins.
fn query_params(query: Option<&str>) -> HashMap<String, String> {
    url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .into_owned()
        .collect()
}

/// The `marker` of a paged listing: an offset, 0 when absent or not a number.
fn marker(params: &HashMap<String, String>) -> usize {
    params
        .get("marker")
        .and_then(|m| m.parse().ok())
        .unwrap_or(0)
}

fn json_response(
    status: StatusCode,
    body: &Value,
    request_id: Option<&str>,
) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body.to_string())));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert("content-type", HeaderValue::from_static("application/json"));
    if let Some(id) = request_id.and_then(|id| HeaderValue::from_str(id).ok()) {
        headers.insert("x-cff-request-id", id.clone());
        headers.insert("x-request-id", id);
    }
    response
}

/// An answer built as the service's, on the wire.
fn wire(answer: api::Response) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(answer.body)));
    *response.status_mut() = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::OK);
    let headers = response.headers_mut();
    for (name, value) in answer.headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(&value),
        ) {
            headers.append(name, value);
        }
    }
    response
}

/// A signal caught from the moment this is made (never, where it cannot be caught).
struct Caught(Option<tokio::signal::unix::Signal>);

impl Caught {
    fn new(kind: tokio::signal::unix::SignalKind) -> Caught {
        Caught(tokio::signal::unix::signal(kind).ok())
    }

    async fn recv(&mut self) {
        match &mut self.0 {
            Some(signal) => {
                signal.recv().await;
            }
            None => std::future::pending::<()>().await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_bounded() {
        let mut records = Records::default();
        for i in 0..RECORDS + 5 {
            records.insert(Record {
                request_id: i.to_string(),
                key: ("default".into(), "f".into()),
                status: "WAIT",
                error_code: 0,
                error_message: String::new(),
                start_time: String::new(),
                end_time: None,
            });
        }
        assert_eq!(records.by_id.len(), RECORDS);
        assert!(!records.by_id.contains_key("0"));
        assert!(records.by_id.contains_key(&(RECORDS + 4).to_string()));
    }

    #[test]
    fn the_error_message_of_a_function_error() {
        assert_eq!(
            error_message(br#"{"errorMessage": "boom", "errorType": "Exception"}"#),
            "boom"
        );
        assert_eq!(error_message(b"plain"), "plain");
    }
}
