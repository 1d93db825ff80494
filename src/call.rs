//! One invocation, from payload to outcome: build the request, authorise it, send it (again,
//! where [`Retry`] allows), and say what the answer means. Shared by a single `invoke` and by
//! every call of a batch.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime};

use anyhow::anyhow;

use crate::api::{self, ApiError, Invocation, InvokeOptions};
use crate::client::{Client, Retry};
use crate::credentials::Credentials;
use crate::error::{Failure, Kind};
use crate::output::Output;
use crate::settings::Target;

/// Everything the calls of one run share.
pub struct Caller {
    pub client: Client,
    pub target: Target,
    pub credentials: Credentials,
    pub options: InvokeOptions,
    pub retry: Retry,
    /// `-v`: show each request, response and retry on stderr.
    pub verbose: bool,
    /// Set on Ctrl-C during a batch: a call in flight may finish but is not retried.
    pub stopping: AtomicBool,
}

/// What a call that was answered with 2xx gave.
#[derive(Debug)]
pub enum Answer {
    Invoked(Box<Invocation>),
    Accepted {
        request_id: Option<String>,
        http_status: u16,
    },
}

/// A call that did not get a 2xx: the failure (its kind decides the exit code) and, when
/// the service answered, what it said.
#[derive(Debug)]
pub struct Refusal {
    pub failure: Failure,
    pub api_error: Option<ApiError>,
}

pub struct Outcome {
    pub answer: Result<Answer, Refusal>,
    /// From the first byte sent to the last byte read, retries included.
    pub latency: Duration,
    pub retries: u32,
}

impl Caller {
    /// The request for `body`, authorised as of `now`.
    pub fn request(&self, body: Vec<u8>, now: SystemTime) -> Result<api::Request, Failure> {
        let mut request = api::invoke_request(
            &self.target.endpoint,
            &self.target.project_id,
            &self.target.urn,
            &self.options,
            body,
        );
        self.credentials
            .apply(&mut request, &self.target.project_id, now)?;
        Ok(request)
    }

    /// Make the call. `label` names it in retry notices (a batch's line number).
    pub async fn call(&self, body: &[u8], label: Option<u64>, out: &Output) -> Outcome {
        let start = Instant::now();
        let mut attempt = 0;
        loop {
            let request = match self.request(body.to_vec(), SystemTime::now()) {
                Ok(request) => request,
                Err(failure) => {
                    return Outcome {
                        answer: Err(Refusal {
                            failure,
                            api_error: None,
                        }),
                        latency: start.elapsed(),
                        retries: attempt,
                    };
                }
            };
            if self.verbose {
                out.verbose_request(&request);
            }
            let result = self.client.send(&request).await;
            if self.verbose
                && let Ok(response) = &result
            {
                out.verbose_response(response);
            }
            let delay = match self.stopping.load(Ordering::Relaxed) {
                true => None,
                false => self.retry.delay(attempt, &result, SystemTime::now()),
            };
            if let Some(delay) = delay {
                if self.verbose {
                    let why = match &result {
                        Ok(r) => format!("HTTP {}", r.status),
                        Err(f) => format!("{:#}", f.error),
                    };
                    out.retrying(label, attempt + 1, self.retry.retries, delay, &why);
                }
                tokio::time::sleep(delay).await;
                attempt += 1;
                continue;
            }
            return Outcome {
                answer: self.interpret(result, &request),
                latency: start.elapsed(),
                retries: attempt,
            };
        }
    }

    fn interpret(
        &self,
        result: Result<api::Response, Failure>,
        request: &api::Request,
    ) -> Result<Answer, Refusal> {
        let response = result.map_err(|failure| Refusal {
            failure,
            api_error: None,
        })?;
        if !(200..300).contains(&response.status) {
            return Err(self.refused(&response, request));
        }
        Ok(if self.options.asynchronous {
            Answer::Accepted {
                request_id: api::accepted_request_id(&response),
                http_status: response.status,
            }
        } else {
            Answer::Invoked(Box::new(Invocation::from_response(&response)))
        })
    }

    /// A non-2xx answer as a failure whose kind gives the exit code and the hint.
    fn refused(&self, response: &api::Response, request: &api::Request) -> Refusal {
        let error = ApiError::from_response(response);
        let mut kind = Kind::from_status(error.http_status);
        if matches!(kind, Kind::AuthRefused(_)) && self.credentials.is_aksk() {
            let signature_refused = error.code.as_deref().is_some_and(|c| c.ends_with(".0301"));
            if clock_skew(response.header("Date"), SystemTime::now())
                .is_some_and(|s| s > Duration::from_secs(15 * 60))
            {
                kind = Kind::ClockSkew;
            } else if signature_refused {
                kind = Kind::SignatureRefused;
            }
        }
        let headline = match kind {
            Kind::AuthRefused(_) | Kind::SignatureRefused | Kind::ClockSkew => {
                "the credentials were refused"
            }
            Kind::Refused(_) => "the service refused the request",
            _ => "the service failed",
        };
        let detail = match (&error.code, &error.message) {
            (Some(code), Some(message)) => format!("{code}: {message}"),
            (Some(code), None) => code.clone(),
            (None, Some(message)) => message.clone(),
            (None, None) => "no details given".into(),
        };
        let status = format!("HTTP {} {}", response.status, response.reason);
        let failure = Failure::new(
            kind,
            anyhow!("{status} from {} {}", request.method, request.url)
                .context(format!("{headline}: {detail}")),
        )
        .with_request_id(error.request_id.clone());
        Refusal {
            failure,
            api_error: Some(error),
        }
    }
}

/// How far the service's `Date` header is from the local clock.
fn clock_skew(date: Option<&str>, now: SystemTime) -> Option<Duration> {
    let theirs = httpdate::parse_http_date(date?.trim()).ok()?;
    Some(match theirs.duration_since(now) {
        Ok(ahead) => ahead,
        Err(behind) => behind.duration(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skew_either_way() {
        let now = SystemTime::now();
        let ahead = httpdate::fmt_http_date(now + Duration::from_secs(3600));
        let behind = httpdate::fmt_http_date(now - Duration::from_secs(3600));
        assert!(clock_skew(Some(&ahead), now).unwrap() > Duration::from_secs(3500));
        assert!(clock_skew(Some(&behind), now).unwrap() > Duration::from_secs(3500));
        assert_eq!(clock_skew(Some("not a date"), now), None);
        assert_eq!(clock_skew(None, now), None);
    }
}
