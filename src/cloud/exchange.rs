//! One request to the service, tried again where [`Retry`] allows: each attempt refreshes
//! the credentials (`--auth metadata`), builds and authorises the request afresh, and tells
//! its [`Trace`] of the request, its answer and any retry. Shared by invocations
//! ([`crate::call`]) and the read-only requests ([`crate::cloud::lookup`]), which differ only
//! in what a 2xx answer means.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::SystemTime;

use crate::api::{Refusal, Request, Response, Service, Trace};
use crate::cloud::client::{Client, Next, RETRY_AFTER_LIMIT, Retry};
use crate::cloud::credentials::Credentials;
use crate::error::Failure;
use crate::units::decimal;

/// How one attempt is sent and its answer read.
pub trait Transport {
    async fn send(&mut self, request: &Request) -> Result<Response, Failure>;
}

/// The client's own way: the answer read whole, within its limits.
struct Whole<'a>(&'a Client);

impl Transport for Whole<'_> {
    async fn send(&mut self, request: &Request) -> Result<Response, Failure> {
        self.0.send(request).await
    }
}

/// What every attempt of one exchange shares.
pub struct Exchange<'a> {
    pub client: &'a Client,
    pub credentials: &'a Credentials,
    /// The project the requests go to (the AK/SK signature's `X-Project-Id`).
    pub project_id: &'a str,
    pub retry: Retry,
    /// Names the request in retry notices (a batch's line number).
    pub label: Option<u64>,
    /// Once set (Ctrl-C during a batch), an answer is taken as it is: no further attempt.
    pub stopping: Option<&'a AtomicBool>,
}

/// How the last attempt went.
pub struct Exchanged {
    /// The request of the last attempt, as sent.
    pub request: Request,
    pub result: Result<Response, Failure>,
    /// Attempts after the first.
    pub retries: u32,
    next: Next,
    signed: bool,
    timeout: std::time::Duration,
}

/// The request could not be formed or authorised on attempt `retries + 1`.
pub struct Unsent {
    pub failure: Failure,
    pub retries: u32,
}

impl Exchange<'_> {
    /// Send the request `build` forms (not yet authorised) until an attempt is final.
    pub async fn send(
        &self,
        build: impl Fn() -> Request,
        trace: &dyn Trace,
    ) -> Result<Exchanged, Unsent> {
        self.send_by(build, &mut Whole(self.client), trace).await
    }

    /// [`send`](Exchange::send), each attempt sent by `transport` (a download that streams
    /// the answer's body to a file, say) rather than read whole by the client.
    pub async fn send_by(
        &self,
        build: impl Fn() -> Request,
        transport: &mut impl Transport,
        trace: &dyn Trace,
    ) -> Result<Exchanged, Unsent> {
        let mut attempt = 0;
        loop {
            let request = self
                .authorised(&build, trace)
                .await
                .map_err(|failure| Unsent {
                    failure,
                    retries: attempt,
                })?;
            trace.request(&request);
            let result = transport.send(&request).await;
            if let Ok(response) = &result {
                trace.response(response);
            }
            let next = if self.stopping.is_some_and(|s| s.load(Ordering::Relaxed)) {
                Next::Stop
            } else {
                self.retry
                    .next(attempt, &result, SystemTime::now(), self.client.timeout())
            };
            if let Next::Wait(delay) = next {
                let why = match &result {
                    Ok(r) => format!("HTTP {}", r.status),
                    Err(f) => format!("{:#}", f.error),
                };
                trace.retrying(self.label, attempt + 1, self.retry.retries, delay, &why);
                tokio::time::sleep(delay).await;
                attempt += 1;
                continue;
            }
            return Ok(Exchanged {
                request,
                result,
                retries: attempt,
                next,
                signed: self.credentials.is_aksk(),
                timeout: self.client.timeout(),
            });
        }
    }

    async fn authorised(
        &self,
        build: &impl Fn() -> Request,
        trace: &dyn Trace,
    ) -> Result<Request, Failure> {
        self.credentials.refresh_if_needed(trace).await?;
        let mut request = build();
        self.credentials
            .apply(&mut request, self.project_id, SystemTime::now())?;
        Ok(request)
    }
}

impl Exchanged {
    /// A 2xx answer; anything else as the refusal it means, with the number of attempts
    /// and, when the service asked for a longer wait than fgs takes, why it did not retry.
    #[allow(clippy::result_large_err)] // once per request, moved straight into the outcome
    pub fn answer(self) -> Result<Response, Refusal> {
        let mut refused = match self.result {
            Ok(response) if (200..300).contains(&response.status) => return Ok(response),
            Ok(response) => Refusal::from_response(
                &response,
                &self.request,
                Service::FunctionGraph {
                    signed: self.signed,
                },
                SystemTime::now(),
            ),
            Err(failure) => Refusal::from(failure),
        };
        if let Next::TooLong(asked) = self.next {
            refused.failure.hint = Some(format!(
                "the service asked for {} s before another attempt (Retry-After); fgs waits no longer than --timeout ({} s) or {} s, so it did not try again",
                decimal(asked.as_secs_f64()),
                decimal(self.timeout.as_secs_f64()),
                RETRY_AFTER_LIMIT.as_secs()
            ));
        }
        if self.retries > 0 {
            refused.failure.attempts = Some(self.retries + 1);
        }
        Err(refused)
    }
}
