//! `fgs serve`: FunctionGraph's invocation API on a local address, answered by the functions
//! in this machine's directories, in the service's shapes (sync v1 and v0, async, the async
//! records, its error bodies and headers), the read-only calls that find them (the
//! function list, a function's configuration, versions and aliases), a function's saved
//! test events (kept in `DIR/events/`), and the code as a zip built from the directory, for
//! `fgs pull`.
//!
//! One current-thread runtime serves every connection; each function has a [`Pool`] of warm
//! instances. A slow or half-sent request is cut off after [`READ_TIMEOUT`], so one bad
//! client never holds the others up.
//!
//! | module | its one job |
//! | --- | --- |
//! | `mod.rs` | the lifecycle: accept, answer and log each request, stop cleanly |
//! | `routes` | which API a request names, and one function per route |
//! | `request` | reading a request: its body within a limit and in time, its signature, its query |
//! | `records` | the async invocation records, bounded, and their listing |
//! | `documents` | the service's JSON: a function as listed, error bodies, answers on the wire |
//! | `events` | a function's saved test events, as the files `DIR/events/NAME.json` |

mod documents;
mod events;
mod records;
mod request;
mod routes;

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::header::{HeaderName, HeaderValue};
use hyper::{Request, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

use self::records::Records;
use crate::local::Pool;
use crate::output::Output;
use crate::secret::Secret;

/// How long a client may take to send a whole request, headers and body.
pub const READ_TIMEOUT: Duration = Duration::from_secs(10);
/// How long running calls may finish after a stop was asked for.
pub const DRAIN: Duration = Duration::from_secs(10);

/// Why the server stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stopped {
    /// SIGTERM (Ctrl-Break on Windows): a clean stop.
    Terminated,
    /// Ctrl-C.
    Interrupted,
}

/// What the server answers with.
pub struct Server {
    /// Keyed by (package, name).
    pools: HashMap<(String, String), Pool>,
    region: String,
    /// The project id the index (`GET /`) shows in its URNs; any is accepted.
    project: String,
    /// `--verify-aksk`: the one key pair every request must be signed with.
    verify: Option<(Secret, Secret)>,
    records: Arc<Records>,
    out: Output,
    /// `-v`: log each call's function log too.
    verbose: bool,
}

impl Server {
    /// `region` goes into the URNs the listing shows; `project` into those of the index.
    pub fn new(
        pools: HashMap<(String, String), Pool>,
        (region, project): (&str, &str),
        verify: Option<(Secret, Secret)>,
        out: Output,
    ) -> Server {
        let verbose = out.verbose;
        Server {
            pools,
            region: region.to_string(),
            project: project.to_string(),
            verify,
            records: Arc::default(),
            out,
            verbose,
        }
    }

    /// Serve on `listener` until SIGTERM (Ctrl-Break on Windows) or Ctrl-C; then stop accepting, let running calls
    /// finish for up to [`DRAIN`], and stop every instance.
    /// `banner` is printed once both are caught, so that whoever waits for
    /// it may signal at once.
    pub async fn run(self, listener: TcpListener, banner: &str) -> Stopped {
        let server = Arc::new(self);
        let (stop_tx, stop_rx) = watch::channel(false);
        let connections = Arc::new(AtomicU64::new(0));
        let mut signals = crate::sys::StopSignals::new();
        server.out.info(banner);
        let stopped = loop {
            tokio::select! {
                accepted = listener.accept() => {
                    let Ok((stream, _)) = accepted else { continue };
                    connections.fetch_add(1, Ordering::SeqCst);
                    let connection =
                        server.clone().connection(stream, stop_rx.clone(), connections.clone());
                    tokio::spawn(connection);
                }
                stop = signals.recv() => break match stop {
                    crate::sys::Stop::Terminate => Stopped::Terminated,
                    crate::sys::Stop::Interrupt => Stopped::Interrupted,
                },
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

    /// One connection, served until the client closes it or a stop is asked for; then the
    /// request it is answering may finish. `connections` counts it until then.
    async fn connection(
        self: Arc<Self>,
        stream: TcpStream,
        mut stop: watch::Receiver<bool>,
        connections: Arc<AtomicU64>,
    ) {
        let _ = stream.set_nodelay(true);
        let service = hyper::service::service_fn(move |request| {
            let server = self.clone();
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
    }

    /// One request: its answer, with the request id headers, and a line in the server's log.
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
}
