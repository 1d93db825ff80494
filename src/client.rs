//! The HTTP call: one client, built once, that sends an [`api::Request`].
//!
//! No automatic retry: an invocation is not idempotent.

use std::error::Error as _;
use std::io::Read;
use std::time::Duration;

use anyhow::anyhow;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::api;
use crate::error::{Failure, Kind};

pub struct Client {
    http: reqwest::blocking::Client,
    timeout: Duration,
}

impl Client {
    /// `ca_cert`: PEM of an extra CA to trust, for private clouds.
    pub fn new(
        connect_timeout: Duration,
        timeout: Duration,
        ca_cert: Option<&[u8]>,
    ) -> Result<Client, Failure> {
        let mut builder = reqwest::blocking::Client::builder()
            .connect_timeout(connect_timeout)
            .timeout(timeout)
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
                Kind::Usage,
                anyhow::Error::new(e).context("setting up the HTTP client"),
            )
        })?;
        Ok(Client { http, timeout })
    }

    /// Send and read the whole answer. Connect failures are [`Kind::Network`], no answer in
    /// time is [`Kind::Timeout`] (with the request id when the headers had arrived), and an
    /// answer that breaks off is [`Kind::Service`].
    pub fn send(&self, request: &api::Request) -> Result<api::Response, Failure> {
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
        let mut response = self
            .http
            .request(method, &request.url)
            .headers(headers)
            .body(request.body.clone())
            .send()
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
            .find(|(n, _)| {
                n.eq_ignore_ascii_case("x-cff-request-id") || n.eq_ignore_ascii_case("x-request-id")
            })
            .map(|(_, v)| v.clone());
        let mut body = Vec::new();
        response.read_to_end(&mut body).map_err(|e| {
            let timed_out = e.kind() == std::io::ErrorKind::TimedOut
                || e.source()
                    .and_then(|s| s.downcast_ref::<reqwest::Error>())
                    .is_some_and(reqwest::Error::is_timeout)
                || e.get_ref()
                    .and_then(|s| s.downcast_ref::<reqwest::Error>())
                    .is_some_and(reqwest::Error::is_timeout);
            let kind = if timed_out {
                Kind::Timeout
            } else {
                Kind::Service
            };
            Failure::new(
                kind,
                anyhow!("reading the answer from {}", request.url).context(self.headline(kind)),
            )
            .with_request_id(request_id.clone())
        })?;
        Ok(api::Response {
            status: status.as_u16(),
            reason: status.canonical_reason().unwrap_or_default().to_string(),
            headers,
            body,
        })
    }

    fn headline(&self, kind: Kind) -> String {
        match kind {
            Kind::Timeout => format!("no answer within {} s", trim_seconds(self.timeout)),
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

fn trim_seconds(d: Duration) -> String {
    let text = format!("{:.3}", d.as_secs_f64());
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}
