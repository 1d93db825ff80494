//! One invocation, from payload to outcome: build the request, authorise it, send it (again,
//! where [`Retry`] allows), and say what the answer means. Shared by a single `invoke` and by
//! every call of a batch.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use url::Url;

use crate::api::{self, Answer, Invocation, InvokeOptions, Refusal, Service};
use crate::client::{Client, Retry};
use crate::credentials::Credentials;
use crate::error::Failure;
use crate::output::Output;
use crate::settings::Target;

/// Everything the calls of one run share.
pub struct Caller {
    pub client: Client,
    pub target: Target,
    /// The invocation URL, formed once for every call.
    url: Url,
    pub credentials: Credentials,
    pub options: InvokeOptions,
    pub retry: Retry,
    /// `-v`: show each request, response and retry on stderr.
    pub verbose: bool,
    /// Set on Ctrl-C during a batch: a call in flight may finish but is not retried.
    pub stopping: AtomicBool,
}

pub struct Outcome {
    pub answer: Result<Answer, Refusal>,
    /// From the first byte sent to the last byte read, retries included.
    pub latency: Duration,
    pub retries: u32,
}

impl Caller {
    pub fn new(
        client: Client,
        target: Target,
        credentials: Credentials,
        options: InvokeOptions,
        retry: Retry,
        verbose: bool,
    ) -> Result<Caller, Failure> {
        let url = api::invocation_url(
            &target.endpoint,
            &target.project_id,
            &target.urn,
            options.asynchronous,
        )
        .map_err(|e| Failure::usage(format!("the invocation URL cannot be formed: {e}")))?;
        Ok(Caller {
            client,
            target,
            url,
            credentials,
            options,
            retry,
            verbose,
            stopping: AtomicBool::new(false),
        })
    }

    /// The request for `body`, authorised as of `now`.
    pub fn request(&self, body: Bytes, now: SystemTime) -> Result<api::Request, Failure> {
        let mut request = api::invoke_request(self.url.clone(), &self.options, body);
        self.credentials
            .apply(&mut request, &self.target.project_id, now)?;
        Ok(request)
    }

    /// Make the call. `label` names it in retry notices (a batch's line number).
    pub async fn call(&self, body: Bytes, label: Option<u64>, out: &Output) -> Outcome {
        let start = Instant::now();
        let mut attempt = 0;
        loop {
            let request = match self.request(body.clone(), SystemTime::now()) {
                Ok(request) => request,
                Err(failure) => {
                    return Outcome {
                        answer: Err(failure.into()),
                        latency: start.elapsed(),
                        retries: attempt,
                    };
                }
            };
            if self.verbose {
                out.verbose_request(&request, None);
            }
            let result = self.client.send(&request).await;
            if self.verbose
                && let Ok(response) = &result
            {
                out.verbose_response(response);
            }
            let delay = if self.stopping.load(Ordering::Relaxed) {
                None
            } else {
                self.retry.delay(attempt, &result, SystemTime::now())
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
        let response = result?;
        if !(200..300).contains(&response.status) {
            let service = Service::FunctionGraph {
                signed: self.credentials.is_aksk(),
            };
            return Err(Refusal::from_response(
                &response,
                request,
                service,
                SystemTime::now(),
            ));
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
}
