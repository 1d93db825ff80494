//! The Custom runtime API, served on a loopback port for one instance's `bootstrap`.
//!
//! - `GET /v1/runtime/invocation/request` waits until fgs has an event, then answers with
//!   the event as the body and the six documented headers: `X-Cff-Request-Id`,
//!   `X-Cff-Access-Key`, `X-Cff-Secret-Key`, `X-Cff-Auth-Token`, `X-Cff-Security-Token`,
//!   `X-Cff-Invoke-Type` (header names are sent in title case).
//! - `POST /v1/runtime/invocation/response/{id}`: the body is the result.
//! - `POST /v1/runtime/invocation/error/{id}`: the body is the error (a function error).
//!
//! Both POSTs answer 200 with an empty body; an id that is not the call in progress gets
//! 400 and a JSON message. Anything else is 404.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http_body_util::{BodyExt as _, Full};
use hyper::body::Incoming;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinSet;

use super::super::reply::{ErrorCode, PassedCredentials};
use super::{Answer, Broke};

/// One event handed to the bootstrap.
struct Event {
    request_id: String,
    body: Bytes,
    credentials: Option<PassedCredentials>,
    reply: oneshot::Sender<Posted>,
}

/// What the bootstrap posted for an event.
#[derive(Debug)]
enum Posted {
    Response(Bytes),
    Error(Bytes),
}

struct Shared {
    events: tokio::sync::Mutex<mpsc::Receiver<Event>>,
    /// The event handed out and not yet answered.
    waiting: Mutex<Option<(String, oneshot::Sender<Posted>)>>,
    /// The bootstrap has asked for work at least once.
    asked: std::sync::atomic::AtomicBool,
}

/// The server; stops (with every connection) when dropped.
pub struct RuntimeApi {
    pub addr: SocketAddr,
    events: mpsc::Sender<Event>,
    server: tokio::task::JoinHandle<()>,
    shared: Arc<Shared>,
}

impl RuntimeApi {
    pub async fn start() -> std::io::Result<RuntimeApi> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let (events, rx) = mpsc::channel(1);
        let shared = Arc::new(Shared {
            events: tokio::sync::Mutex::new(rx),
            waiting: Mutex::new(None),
            asked: std::sync::atomic::AtomicBool::new(false),
        });
        let kept = shared.clone();
        let server = tokio::spawn(async move {
            let mut connections = JoinSet::new();
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let _ = stream.set_nodelay(true);
                let shared = shared.clone();
                connections.spawn(async move {
                    let service =
                        hyper::service::service_fn(move |request| handle(shared.clone(), request));
                    let _ = hyper::server::conn::http1::Builder::new()
                        .title_case_headers(true)
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
                // Reap finished connections so the set does not grow.
                while connections.try_join_next().is_some() {}
            }
        });
        Ok(RuntimeApi {
            addr,
            events,
            server,
            shared: kept,
        })
    }

    /// Whether the bootstrap has ever asked for work (`GET .../invocation/request`).
    pub fn was_asked(&self) -> bool {
        self.shared.asked.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Hand the call's event to the bootstrap's next (or waiting) `GET` and wait for what
    /// it posts: a result, or an error (a function error, 4002).
    pub async fn call(&self, request: &super::Request<'_>) -> Result<Answer, Broke> {
        let stopped = || Broke("the runtime API server has stopped".to_string());
        let (reply, posted) = oneshot::channel();
        let event = Event {
            request_id: request.id.to_string(),
            body: request.call.body.clone(),
            credentials: request.call.credentials.clone(),
            reply,
        };
        self.events.send(event).await.map_err(|_| stopped())?;
        match posted.await.map_err(|_| stopped())? {
            Posted::Response(body) => Ok(Answer::Result(body.to_vec())),
            Posted::Error(body) => Ok(Answer::Error(ErrorCode::Invocation, body.to_vec())),
        }
    }
}

impl Drop for RuntimeApi {
    fn drop(&mut self) {
        self.server.abort();
    }
}

type Served = Response<Full<Bytes>>;

fn reply(status: StatusCode, body: impl Into<Bytes>) -> Served {
    let mut response = Response::new(Full::new(body.into()));
    *response.status_mut() = status;
    response
}

async fn handle(shared: Arc<Shared>, request: Request<Incoming>) -> Result<Served, Infallible> {
    const BASE: &str = "/v1/runtime/invocation/";
    let path = request.uri().path().to_string();
    let Some(rest) = path.strip_prefix(BASE) else {
        return Ok(reply(
            StatusCode::NOT_FOUND,
            "{\"errorMessage\":\"not found\"}",
        ));
    };
    match (request.method(), rest) {
        (&Method::GET, "request") => {
            shared
                .asked
                .store(true, std::sync::atomic::Ordering::Relaxed);
            let event = shared.events.lock().await.recv().await;
            let Some(event) = event else {
                return Ok(reply(StatusCode::SERVICE_UNAVAILABLE, ""));
            };
            let mut response = reply(StatusCode::OK, event.body);
            let headers = response.headers_mut();
            let mut set = |name: &'static str, value: &str| {
                if let Ok(value) = hyper::header::HeaderValue::from_str(value) {
                    headers.insert(name, value);
                }
            };
            let creds = PassedCredentials::exposed(event.credentials.as_ref());
            set("x-cff-request-id", &event.request_id);
            set("x-cff-access-key", creds.access_key);
            set("x-cff-secret-key", creds.secret_key);
            set("x-cff-auth-token", creds.token);
            set("x-cff-security-token", creds.security_token);
            set("x-cff-invoke-type", "sync");
            *shared
                .waiting
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) =
                Some((event.request_id, event.reply));
            Ok(response)
        }
        (&Method::POST, rest) => {
            let (kind, id) = match rest.split_once('/') {
                Some(("response", id)) => (true, id.to_string()),
                Some(("error", id)) => (false, id.to_string()),
                _ => {
                    return Ok(reply(
                        StatusCode::NOT_FOUND,
                        "{\"errorMessage\":\"not found\"}",
                    ));
                }
            };
            let body = match request.into_body().collect().await {
                Ok(collected) => collected.to_bytes(),
                Err(_) => return Ok(reply(StatusCode::BAD_REQUEST, "")),
            };
            let waiting = {
                let mut slot = shared
                    .waiting
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                match slot.as_ref() {
                    Some((current, _)) if *current == id => slot.take(),
                    _ => None,
                }
            };
            match waiting {
                Some((_, tx)) => {
                    let _ = tx.send(if kind {
                        Posted::Response(body)
                    } else {
                        Posted::Error(body)
                    });
                    Ok(reply(StatusCode::OK, ""))
                }
                None => Ok(reply(
                    StatusCode::BAD_REQUEST,
                    format!(
                        "{{\"errorMessage\":\"request {id:?} is not the invocation in progress\"}}"
                    ),
                )),
            }
        }
        _ => Ok(reply(
            StatusCode::NOT_FOUND,
            "{\"errorMessage\":\"not found\"}",
        )),
    }
}
