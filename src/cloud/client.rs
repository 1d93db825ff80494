//! The HTTP call: one client, built once, that sends an [`api::Request`].
//!
//! Async, so that a batch keeps many calls in flight on one thread; a single call runs on a
//! current-thread runtime and pays for nothing more. Retries happen only where the request
//! never reached the function ([`Retry`]); an invocation is not idempotent.

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime};

use anyhow::anyhow;
use bytes::Bytes;
use hyper::body::{Frame, SizeHint};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::api;
use crate::error::{Failure, Kind};

tokio::task_local! {
    /// The request id of the last answer whose headers came, set before its body is read:
    /// a caller that runs a call inside this scope can still name the call when Ctrl-C
    /// stops it during the body (`fgs invoke`).
    pub static HEARD_REQUEST_ID: Arc<std::sync::Mutex<Option<String>>>;
}

/// An answer whose head has come: the response (its body still to read), its headers as
/// text, and its request id.
type Head = (reqwest::Response, Vec<(String, String)>, Option<String>);

#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    timeout: Duration,
}

impl Client {
    /// `ca_cert`: PEM of extra CAs to trust, for private clouds. `pool`: connections kept
    /// alive per host (a batch's concurrency).
    pub fn new(
        connect_timeout: Duration,
        timeout: Duration,
        ca_cert: Option<&[u8]>,
        pool: usize,
    ) -> Result<Client, Failure> {
        let base = || {
            reqwest::Client::builder()
                .connect_timeout(connect_timeout)
                .timeout(timeout)
                .pool_max_idle_per_host(pool)
                .tcp_nodelay(true)
                .redirect(reqwest::redirect::Policy::none())
        };
        let mut builder = base();
        if let Some(pem) = ca_cert {
            let certificates = reqwest::Certificate::from_pem_bundle(pem).map_err(|e| {
                Failure::new(
                    Kind::Usage,
                    anyhow::Error::new(e).context("reading the CA certificate (PEM)"),
                )
            })?;
            if certificates.is_empty() {
                return Err(Failure::usage(
                    "the CA certificate file holds no PEM certificate",
                ));
            }
            for certificate in certificates {
                builder = builder.add_root_certificate(certificate);
            }
        }
        let http = builder.build().map_err(|e| {
            // PEM that holds no usable certificate fails only here. It is the user's file
            // (exit 2) when the same client builds without it; else this machine's (exit 8).
            let (kind, context) = if ca_cert.is_some() && base().build().is_ok() {
                (
                    Kind::Usage,
                    "the CA certificate file holds a certificate that cannot be used",
                )
            } else {
                (Kind::Local, "setting up the HTTP client")
            };
            Failure::new(kind, anyhow::Error::new(e).context(context))
        })?;
        Ok(Client { http, timeout })
    }

    fn build(builder: reqwest::ClientBuilder, timeout: Duration) -> Result<Client, Failure> {
        let http = builder.build().map_err(|e| {
            Failure::new(
                Kind::Local,
                anyhow::Error::new(e).context("setting up the HTTP client"),
            )
        })?;
        Ok(Client { http, timeout })
    }

    /// A client for a link-local service (the ECS metadata service): never through a
    /// proxy, no pool worth keeping.
    pub fn direct(connect_timeout: Duration, timeout: Duration) -> Result<Client, Failure> {
        let builder = reqwest::Client::builder()
            .connect_timeout(connect_timeout)
            .timeout(timeout)
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none());
        Client::build(builder, timeout)
    }

    /// The time each attempt may take, from sending to the answer's last byte (`--timeout`).
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Send and read the answer: a 2xx up to [`ANSWER_LIMIT`], an error answer up to
    /// [`ERROR_ANSWER_LIMIT`]. Connect failures are [`Kind::Network`], and so is a deadline
    /// that passes before the connection (TLS included) was made. No answer in time after
    /// that is [`Kind::Timeout`] (with the request id when the headers had arrived); an
    /// answer that breaks off, or a 2xx over the limit, is [`Kind::Service`].
    pub async fn send(&self, request: &api::Request) -> Result<api::Response, Failure> {
        let (mut response, headers, request_id) = self.head(request).await?;
        let status = response.status();
        let too_large = || {
            Failure::new(
                Kind::Service,
                anyhow!(
                    "HTTP {} from {} {}",
                    status.as_u16(),
                    request.method,
                    request.url
                )
                .context(format!("answer larger than {}", shown(ANSWER_LIMIT))),
            )
            .with_request_id(request_id.clone())
            .with_hint(Some(format!(
                "a synchronous result is at most 6 MB; fgs reads no more than {} of an answer",
                shown(ANSWER_LIMIT)
            )))
        };
        let limit = if status.is_success() {
            // One announced over the limit fails before a byte of it is read.
            if response
                .content_length()
                .is_some_and(|n| n > ANSWER_LIMIT as u64)
            {
                return Err(too_large());
            }
            ANSWER_LIMIT
        } else {
            ERROR_ANSWER_LIMIT
        };
        // Leaving early drops `response` unread: its connection closes, nothing drains it.
        let body = match read_capped(&mut response, limit).await {
            Ok(Capped::Whole(body)) => body,
            // What an error answer holds first (its code, message or title) is enough.
            Ok(Capped::Cut(body)) if !status.is_success() => body,
            Ok(Capped::Cut(_)) => return Err(too_large()),
            Err(e) => return Err(self.failure(e, request, request_id, true)),
        };
        Ok(api::Response {
            status: status.as_u16(),
            reason: status.canonical_reason().unwrap_or_default().to_string(),
            headers,
            body,
        })
    }

    /// Send, and read an answer's status and headers, not yet its body.
    async fn head(&self, request: &api::Request) -> Result<Head, Failure> {
        let mut headers = HeaderMap::with_capacity(request.headers.len());
        for h in &request.headers {
            let name =
                HeaderName::from_bytes(h.name.as_bytes()).expect("header names are constants");
            let value = HeaderValue::from_str(h.value.expose()).map_err(|_| {
                Failure::usage(format!(
                    "the value of header {} is not a valid header value",
                    h.name
                ))
            })?;
            headers.insert(name, value);
        }
        let method =
            reqwest::Method::from_bytes(request.method.as_bytes()).expect("methods are constants");
        let (body, connected) = Marked::body(request.body.clone());
        let response = self
            .http
            .request(method, request.url.clone())
            .headers(headers)
            .body(body)
            .send()
            .await
            .map_err(|e| self.failure(e, request, None, connected.load(Ordering::Relaxed)))?;
        let headers: Vec<(String, String)> = response
            .headers()
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let request_id = headers
            .iter()
            .find(|(n, _)| n == "x-cff-request-id" || n == "x-request-id")
            .map(|(_, v)| v.clone());
        if let Some(id) = &request_id {
            let _ = HEARD_REQUEST_ID.try_with(|heard| {
                if let Ok(mut heard) = heard.lock() {
                    *heard = Some(id.clone());
                }
            });
        }
        Ok((response, headers, request_id))
    }

    /// [`send`](Client::send), but a 2xx answer's body goes into `sink` as it comes, never
    /// more than `limit` bytes and never held whole; the response returned has an empty body
    /// then. Any other answer is read as `send` reads it.
    pub async fn send_into(
        &self,
        request: &api::Request,
        sink: &mut dyn std::io::Write,
        limit: u64,
    ) -> Result<api::Response, Failure> {
        let (mut response, headers, request_id) = self.head(request).await?;
        let status = response.status();
        let mut body = Vec::new();
        if status.is_success() {
            let mut written: u64 = 0;
            loop {
                let chunk = match response.chunk().await {
                    Ok(Some(chunk)) => chunk,
                    Ok(None) => break,
                    Err(e) => return Err(self.failure(e, request, request_id, true)),
                };
                written += chunk.len() as u64;
                if written > limit {
                    return Err(Failure::new(
                        Kind::Service,
                        anyhow!("{} {}", request.method, api::short_target(&request.url))
                            .context(format!("answer larger than {limit} bytes")),
                    )
                    .with_request_id(request_id));
                }
                sink.write_all(&chunk).map_err(|e| {
                    Failure::new(
                        Kind::Local,
                        anyhow::Error::new(e).context("writing the answer to a file"),
                    )
                })?;
            }
        } else {
            body = match read_capped(&mut response, ERROR_ANSWER_LIMIT).await {
                Ok(Capped::Whole(body) | Capped::Cut(body)) => body,
                Err(e) => return Err(self.failure(e, request, request_id, true)),
            };
        }
        Ok(api::Response {
            status: status.as_u16(),
            reason: status.canonical_reason().unwrap_or_default().to_string(),
            headers,
            body,
        })
    }

    /// What a failed send or read means. `connected`: the request was on a connection by
    /// then, so a deadline may have found the function running.
    fn failure(
        &self,
        error: reqwest::Error,
        request: &api::Request,
        request_id: Option<String>,
        connected: bool,
    ) -> Failure {
        let timeout = crate::units::decimal(self.timeout.as_secs_f64());
        // A deadline before the request was on a connection: nothing was sent.
        let never_connected = !error.is_connect() && error.is_timeout() && !connected;
        let (kind, headline) = if error.is_connect() || never_connected {
            (Kind::Network, "could not reach the service".to_string())
        } else if error.is_timeout() {
            (Kind::Timeout, format!("no answer within {timeout} s"))
        } else if error.is_builder() {
            // The request was refused before it was sent: fgs formed it (the endpoint's
            // scheme and host were checked with the settings), so the fault is this side's.
            (Kind::Local, "the request could not be sent".to_string())
        } else {
            (Kind::Service, "the answer could not be read".to_string())
        };
        // reqwest's message carries the whole URL (the project id twice): name the request
        // the way every other error line does, shortened, and keep the rest of the story.
        let mut chain = anyhow::Error::new(error.without_url()).context(format!(
            "{} {}",
            request.method,
            api::short_target(&request.url)
        ));
        if never_connected {
            chain = chain.context(format!("no connection within {timeout} s"));
        }
        Failure::new(kind, chain.context(headline)).with_request_id(request_id)
    }
}

/// The most of a 2xx answer fgs reads (16 MiB): room above the service's 6 MB synchronous
/// result and the v1 envelope's escaping of it. A larger one fails (exit 5), and the rest of
/// it is not read.
pub const ANSWER_LIMIT: usize = 16 * 1024 * 1024;

/// The most of an error answer (4xx, 5xx) fgs reads (64 KiB): enough for its code, message
/// or title; the rest is left unread.
pub const ERROR_ANSWER_LIMIT: usize = 64 * 1024;

/// `16 MiB`, `64 KiB`.
fn shown(limit: usize) -> String {
    if limit >= 1 << 20 {
        format!("{} MiB", limit >> 20)
    } else {
        format!("{} KiB", limit >> 10)
    }
}

/// A body read up to a limit.
#[derive(Debug, PartialEq)]
enum Capped {
    /// All of it.
    Whole(Vec<u8>),
    /// The first `limit` bytes of a longer one; the rest was not read.
    Cut(Vec<u8>),
}

/// Stream the body into one buffer, never past `limit` bytes; a `Content-Length` sizes the
/// buffer at once (up to the limit).
async fn read_capped(response: &mut reqwest::Response, limit: usize) -> reqwest::Result<Capped> {
    let announced = response
        .content_length()
        .map_or(0, |n| usize::try_from(n).unwrap_or(usize::MAX));
    let mut body = Vec::with_capacity(announced.min(limit));
    while let Some(chunk) = response.chunk().await? {
        if !append_capped(&mut body, &chunk, limit) {
            return Ok(Capped::Cut(body));
        }
    }
    Ok(Capped::Whole(body))
}

/// Append what fits of `chunk` under `limit`; false when some of it did not fit. The buffer
/// grows by doubling but never beyond the limit, so it never holds more than the limit.
fn append_capped(body: &mut Vec<u8>, chunk: &[u8], limit: usize) -> bool {
    let room = limit.saturating_sub(body.len());
    let fits = chunk.len().min(room);
    let needed = body.len() + fits;
    if needed > body.capacity() {
        let grown = body.capacity().saturating_mul(2).max(needed).min(limit);
        body.reserve_exact(grown - body.len());
    }
    body.extend_from_slice(&chunk[..fits]);
    fits == chunk.len()
}

/// A request body that records when it is first read. hyper reads it only once the request's
/// head is on a connection, so by then the connection (TLS included) was made: a deadline
/// that passes before it is a network failure, one that passes after may have found the
/// function running.
struct Marked {
    data: Option<Bytes>,
    connected: Arc<AtomicBool>,
}

impl Marked {
    /// The body to send, and the flag it sets. An empty body is never read, so it cannot
    /// tell: its flag starts set, and a timeout counts as one after connecting.
    fn body(data: Bytes) -> (reqwest::Body, Arc<AtomicBool>) {
        let connected = Arc::new(AtomicBool::new(data.is_empty()));
        let marked = Marked {
            data: Some(data).filter(|d| !d.is_empty()),
            connected: Arc::clone(&connected),
        };
        (reqwest::Body::wrap(marked), connected)
    }
}

impl hyper::body::Body for Marked {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        self.connected.store(true, Ordering::Relaxed);
        Poll::Ready(self.data.take().map(|d| Ok(Frame::data(d))))
    }

    fn is_end_stream(&self) -> bool {
        self.data.is_none()
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.data.as_ref().map_or(0, |d| d.len() as u64))
    }
}

/// When to try again: only where the request never reached the function.
#[derive(Debug, Clone, Copy)]
pub struct Retry {
    /// Further attempts after the first.
    pub retries: u32,
    pub base: Duration,
    pub cap: Duration,
}

impl Retry {
    pub fn new(retries: u32) -> Retry {
        Retry {
            retries,
            base: Duration::from_millis(200),
            cap: Duration::from_secs(20),
        }
    }

    /// What to do after attempt `attempt` (0 for the first) ended in `outcome`. Only a
    /// connection that could not be made, or a 429/503 answer (the service turned the call
    /// away before the function ran), is tried again; never a timeout (the function may be
    /// running), never a 401/403. A `Retry-After` is waited for when it is at most
    /// [`RETRY_AFTER_LIMIT`] and at most `timeout` (`--timeout`); a longer one ends the
    /// retries at once, rather than call back early only to be turned away again.
    pub fn next(
        &self,
        attempt: u32,
        outcome: &Result<api::Response, Failure>,
        now: SystemTime,
        timeout: Duration,
    ) -> Next {
        if attempt >= self.retries {
            return Next::Stop;
        }
        let retry_after = match outcome {
            Err(f) if f.kind == Kind::Network => None,
            Ok(r) if r.status == 429 || r.status == 503 => {
                r.header("Retry-After").and_then(|v| retry_after(v, now))
            }
            _ => return Next::Stop,
        };
        if let Some(asked) = retry_after {
            return if asked <= RETRY_AFTER_LIMIT.min(timeout) {
                Next::Wait(asked)
            } else {
                Next::TooLong(asked)
            };
        }
        let exponential = self.base.saturating_mul(1 << attempt.min(16)).min(self.cap);
        // Full jitter: anywhere from half to all of the exponential step.
        Next::Wait(exponential.mul_f64(0.5 + fastrand::f64() * 0.5))
    }
}

/// The longest `Retry-After` fgs waits for (60 s), and never longer than `--timeout`.
pub const RETRY_AFTER_LIMIT: Duration = Duration::from_secs(60);

/// What [`Retry::next`] decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// Try again after this wait.
    Wait(Duration),
    /// Stop with this outcome.
    Stop,
    /// Stop with this outcome: the service asked (`Retry-After`) for this wait, longer than
    /// fgs waits.
    TooLong(Duration),
}

/// `Retry-After`: seconds, or an HTTP date.
fn retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    httpdate::parse_http_date(value)
        .ok()
        .map(|at| at.duration_since(now).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_the_client_refuses_is_this_machines_failure() {
        let client = Client::direct(Duration::from_secs(1), Duration::from_secs(1)).unwrap();
        let request = api::Request {
            method: "GET",
            url: url::Url::parse("ftp://127.0.0.1/x").unwrap(),
            headers: Vec::new(),
            body: Bytes::new(),
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let failure = runtime.block_on(client.send(&request)).unwrap_err();
        assert_eq!(failure.kind, Kind::Local, "{failure:?}");
        assert_eq!(failure.error.to_string(), "the request could not be sent");
    }

    /// The default `--timeout`.
    const TIMEOUT: Duration = Duration::from_secs(930);

    #[allow(clippy::unnecessary_wraps)] // the outcome type Retry::next reads
    fn answer(status: u16, retry_after: Option<&str>) -> Result<api::Response, Failure> {
        Ok(api::Response {
            status,
            headers: retry_after
                .map(|v| vec![("retry-after".to_string(), v.to_string())])
                .unwrap_or_default(),
            ..api::Response::default()
        })
    }

    fn wait(next: Next) -> Option<Duration> {
        match next {
            Next::Wait(d) => Some(d),
            Next::Stop | Next::TooLong(_) => None,
        }
    }

    #[test]
    fn only_calls_that_never_ran_are_retried() {
        let r = Retry::new(3);
        let now = SystemTime::now();
        let network = Err(Failure::new(Kind::Network, anyhow!("refused")));
        assert!(wait(r.next(0, &network, now, TIMEOUT)).is_some());
        assert!(wait(r.next(0, &answer(429, None), now, TIMEOUT)).is_some());
        assert!(wait(r.next(0, &answer(503, None), now, TIMEOUT)).is_some());
        let timeout = Err(Failure::new(Kind::Timeout, anyhow!("slow")));
        assert_eq!(r.next(0, &timeout, now, TIMEOUT), Next::Stop);
        for status in [200, 401, 403, 404, 500, 502] {
            let next = r.next(0, &answer(status, None), now, TIMEOUT);
            assert_eq!(next, Next::Stop, "{status}");
        }
        assert_eq!(
            r.next(3, &network, now, TIMEOUT),
            Next::Stop,
            "no more than --retries"
        );
    }

    #[test]
    fn backoff_grows_with_jitter_and_honours_retry_after() {
        let r = Retry::new(10);
        let now = SystemTime::now();
        let network = Err(Failure::new(Kind::Network, anyhow!("refused")));
        for attempt in 0..4 {
            let d = wait(r.next(attempt, &network, now, TIMEOUT)).unwrap();
            let full = r.base * (1 << attempt);
            assert!(d >= full / 2 && d <= full, "{attempt}: {d:?}");
        }
        assert_eq!(
            r.next(0, &answer(429, Some("2")), now, TIMEOUT),
            Next::Wait(Duration::from_secs(2))
        );
        let date = httpdate::fmt_http_date(now + Duration::from_secs(5));
        let d = wait(r.next(0, &answer(503, Some(&date)), now, TIMEOUT)).unwrap();
        assert!(
            d > Duration::from_secs(3) && d <= Duration::from_secs(5),
            "{d:?}"
        );
    }

    #[test]
    fn a_retry_after_beyond_the_limit_or_the_timeout_is_not_waited_for() {
        let r = Retry::new(3);
        let now = SystemTime::now();
        let asked = |v, timeout| r.next(0, &answer(429, Some(v)), now, timeout);
        assert_eq!(asked("60", TIMEOUT), Next::Wait(RETRY_AFTER_LIMIT));
        assert_eq!(asked("61", TIMEOUT), Next::TooLong(Duration::from_secs(61)));
        assert_eq!(
            asked("86400", TIMEOUT),
            Next::TooLong(Duration::from_secs(86400))
        );
        let two = Duration::from_secs(2);
        assert_eq!(asked("2", two), Next::Wait(two));
        assert_eq!(asked("3", two), Next::TooLong(Duration::from_secs(3)));
        assert_eq!(asked("60", two), Next::TooLong(RETRY_AFTER_LIMIT));
        // Nothing to decline when no retry is left anyway.
        assert_eq!(r.next(3, &answer(429, Some("60")), now, two), Next::Stop);
    }

    #[test]
    fn a_body_is_held_once_and_never_past_its_limit() {
        let mut body = Vec::new();
        assert!(append_capped(&mut body, b"abcd", 10));
        assert!(append_capped(&mut body, b"efgh", 10));
        assert!(!append_capped(&mut body, b"ijkl", 10));
        assert_eq!(body, b"abcdefghij");
        assert!(body.capacity() <= 10, "{}", body.capacity());
        assert!(!append_capped(&mut body, b"k", 10));
        assert_eq!(body.len(), 10);
        // Doubling stops at the limit: 3 MiB in 64 KiB chunks under a 2.5 MiB limit.
        let limit = 5 << 19;
        let mut body = Vec::new();
        let chunk = vec![7u8; 64 << 10];
        let whole = (0..48)
            .take_while(|_| append_capped(&mut body, &chunk, limit))
            .count();
        assert_eq!(whole, 40);
        assert_eq!(body.len(), limit);
        assert_eq!(body.capacity(), limit);
        assert!(append_capped(&mut Vec::new(), b"", 0));
    }

    #[test]
    fn limits_are_shown_in_binary_units() {
        assert_eq!(shown(ANSWER_LIMIT), "16 MiB");
        assert_eq!(shown(ERROR_ANSWER_LIMIT), "64 KiB");
    }
}
