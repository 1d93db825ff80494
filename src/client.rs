//! The HTTP call: one client, built once, that sends an [`api::Request`].
//!
//! Async, so that a batch keeps many calls in flight on one thread; a single call runs on a
//! current-thread runtime and pays for nothing more. Retries happen only where the request
//! never reached the function ([`Retry`]); an invocation is not idempotent.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::api;
use crate::error::{Failure, Kind};

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
        let mut builder = reqwest::Client::builder()
            .connect_timeout(connect_timeout)
            .timeout(timeout)
            .pool_max_idle_per_host(pool)
            .tcp_nodelay(true)
            .redirect(reqwest::redirect::Policy::none());
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
            Failure::new(
                Kind::Local,
                anyhow::Error::new(e).context("setting up the HTTP client"),
            )
        })?;
        Ok(Client { http, timeout })
    }

    /// Send and read the whole answer. Connect failures are [`Kind::Network`], no answer in
    /// time is [`Kind::Timeout`] (with the request id when the headers had arrived), and an
    /// answer that breaks off is [`Kind::Service`].
    pub async fn send(&self, request: &api::Request) -> Result<api::Response, Failure> {
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
        let response = self
            .http
            .request(method, request.url.clone())
            .headers(headers)
            .body(request.body.clone())
            .send()
            .await
            .map_err(|e| self.failure(e, None))?;
        let status = response.status();
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
        let body = response
            .bytes()
            .await
            .map_err(|e| self.failure(e, request_id))?;
        Ok(api::Response {
            status: status.as_u16(),
            reason: status.canonical_reason().unwrap_or_default().to_string(),
            headers,
            body: body.to_vec(),
        })
    }

    fn headline(&self, kind: Kind) -> String {
        match kind {
            Kind::Timeout => format!(
                "no answer within {} s",
                crate::render::decimal(self.timeout.as_secs_f64())
            ),
            Kind::Network => "could not reach the service".into(),
            _ => "the answer could not be read".into(),
        }
    }

    fn failure(&self, error: reqwest::Error, request_id: Option<String>) -> Failure {
        let kind = if error.is_connect() {
            Kind::Network
        } else if error.is_timeout() {
            Kind::Timeout
        } else if error.is_builder() {
            Kind::Usage
        } else {
            Kind::Service
        };
        let headline = self.headline(kind);
        Failure::new(kind, anyhow::Error::new(error).context(headline)).with_request_id(request_id)
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

    /// How long to wait before attempt `attempt + 1` after this outcome, or `None` when it
    /// must not be retried: a connection that could not be made, or a 429/503 answer (the
    /// service turned the call away before the function ran). Never a timeout (the
    /// function may be running), never a 401/403.
    pub fn delay(
        &self,
        attempt: u32,
        outcome: &Result<api::Response, Failure>,
        now: SystemTime,
    ) -> Option<Duration> {
        if attempt >= self.retries {
            return None;
        }
        let retry_after = match outcome {
            Err(f) if f.kind == Kind::Network => None,
            Ok(r) if r.status == 429 || r.status == 503 => {
                r.header("Retry-After").and_then(|v| retry_after(v, now))
            }
            _ => return None,
        };
        let exponential = self.base.saturating_mul(1 << attempt.min(16)).min(self.cap);
        // Full jitter: anywhere from half to all of the exponential step.
        let jittered = exponential.mul_f64(0.5 + fastrand::f64() * 0.5);
        Some(retry_after.map_or(jittered, |r| r.min(self.cap.saturating_mul(3))))
    }
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
    use anyhow::anyhow;

    #[allow(clippy::unnecessary_wraps)] // the outcome type Retry::delay reads
    fn answer(status: u16, retry_after: Option<&str>) -> Result<api::Response, Failure> {
        Ok(api::Response {
            status,
            headers: retry_after
                .map(|v| vec![("retry-after".to_string(), v.to_string())])
                .unwrap_or_default(),
            ..api::Response::default()
        })
    }

    #[test]
    fn only_calls_that_never_ran_are_retried() {
        let r = Retry::new(3);
        let now = SystemTime::now();
        let network = Err(Failure::new(Kind::Network, anyhow!("refused")));
        assert!(r.delay(0, &network, now).is_some());
        assert!(r.delay(0, &answer(429, None), now).is_some());
        assert!(r.delay(0, &answer(503, None), now).is_some());
        let timeout = Err(Failure::new(Kind::Timeout, anyhow!("slow")));
        assert!(r.delay(0, &timeout, now).is_none());
        for status in [200, 401, 403, 404, 500, 502] {
            assert!(r.delay(0, &answer(status, None), now).is_none(), "{status}");
        }
        assert!(
            r.delay(3, &network, now).is_none(),
            "no more than --retries"
        );
    }

    #[test]
    fn backoff_grows_with_jitter_and_honours_retry_after() {
        let r = Retry::new(10);
        let now = SystemTime::now();
        let network = Err(Failure::new(Kind::Network, anyhow!("refused")));
        for attempt in 0..4 {
            let d = r.delay(attempt, &network, now).unwrap();
            let full = r.base * (1 << attempt);
            assert!(d >= full / 2 && d <= full, "{attempt}: {d:?}");
        }
        assert_eq!(
            r.delay(0, &answer(429, Some("2")), now),
            Some(Duration::from_secs(2))
        );
        let date = httpdate::fmt_http_date(now + Duration::from_secs(5));
        let d = r.delay(0, &answer(503, Some(&date)), now).unwrap();
        assert!(
            d > Duration::from_secs(3) && d <= Duration::from_secs(5),
            "{d:?}"
        );
    }
}
