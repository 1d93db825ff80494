//! One invocation, from payload to outcome: build the request, authorise it, send it (again,
//! where [`Retry`] allows), and say what the answer means; or hand the payload to a local
//! function, whose reply is read exactly as the service's answer. Shared by a single
//! `invoke` and by every call of a batch.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use url::Url;

use anyhow::anyhow;

use crate::api::{self, Answer, Invocation, InvokeOptions, Refusal, Service};
use crate::client::{Client, Next, RETRY_AFTER_LIMIT, Retry};
use crate::credentials::Credentials;
use crate::error::{Failure, Kind};
use crate::local::{self, LocalError, Pool};
use crate::output::Output;
use crate::render::decimal;
use crate::settings::Target;

/// Everything the calls of one run share.
pub struct Caller {
    backend: Backend,
    pub options: InvokeOptions,
    /// `-v`: show each request, response and retry on stderr.
    pub verbose: bool,
    /// Set on Ctrl-C during a batch: a call in flight may finish but is not retried.
    pub stopping: AtomicBool,
}

/// Where calls go; one per run, so the difference in size does not matter.
#[allow(clippy::large_enum_variant)]
enum Backend {
    /// The service: one HTTP client, the URL formed once, the credentials resolved once.
    Cloud {
        client: Client,
        target: Target,
        url: Url,
        credentials: Credentials,
        retry: Retry,
    },
    /// A function on this machine, with its warm instances.
    Local { pool: Pool, call: local::Call },
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
            &target.project.endpoint,
            &target.project.id,
            &target.urn,
            options.asynchronous,
        )
        .map_err(|e| Failure::usage(format!("the invocation URL cannot be formed: {e}")))?;
        Ok(Caller {
            backend: Backend::Cloud {
                client,
                target,
                url,
                credentials,
                retry,
            },
            options,
            verbose,
            stopping: AtomicBool::new(false),
        })
    }

    /// Calls to the function `pool` runs on this machine; `call` holds what every call
    /// passes besides its payload (version, alias, credentials).
    pub fn local(pool: Pool, call: local::Call, options: InvokeOptions) -> Caller {
        Caller {
            backend: Backend::Local { pool, call },
            options,
            verbose: false,
            stopping: AtomicBool::new(false),
        }
    }

    /// The request for `body`, authorised as of `now` (cloud calls only).
    pub fn request(&self, body: Bytes, now: SystemTime) -> Result<api::Request, Failure> {
        let Backend::Cloud {
            target,
            url,
            credentials,
            ..
        } = &self.backend
        else {
            return Err(Failure::usage("a local function has no request to show"));
        };
        let mut request = api::invoke_request(url.clone(), &self.options, body);
        credentials.apply(&mut request, &target.project.id, now)?;
        Ok(request)
    }

    /// Fetch temporary keys again when they are about to expire (`--auth metadata`).
    pub async fn refresh_credentials(&self, out: &Output) -> Result<(), Failure> {
        match &self.backend {
            Backend::Cloud { credentials, .. } => credentials.refresh_if_needed(out).await,
            Backend::Local { .. } => Ok(()),
        }
    }

    /// Make the call. `label` names it in retry notices (a batch's line number).
    pub async fn call(&self, body: Bytes, label: Option<u64>, out: &Output) -> Outcome {
        match &self.backend {
            Backend::Cloud { client, retry, .. } => {
                self.cloud(client, *retry, body, label, out).await
            }
            Backend::Local { pool, call } => self.run_local(pool, call, body).await,
        }
    }

    /// One call of a local function: its reply read as the service's answer would be.
    async fn run_local(&self, pool: &Pool, call: &local::Call, body: Bytes) -> Outcome {
        let start = Instant::now();
        let call = local::Call {
            body,
            ..call.clone()
        };
        let answer = match pool.invoke(call).await {
            Ok(reply) if self.options.asynchronous => Ok(Answer::Accepted {
                request_id: Some(reply.request_id),
                http_status: 202,
            }),
            Ok(reply) => Ok(Answer::Invoked(Box::new(Invocation::from_owned(
                reply.to_response(self.options.log),
            )))),
            Err(e) => Err(local_failure(&e).into()),
        };
        Outcome {
            answer,
            latency: start.elapsed(),
            retries: 0,
        }
    }

    async fn cloud(
        &self,
        client: &Client,
        retry: Retry,
        body: Bytes,
        label: Option<u64>,
        out: &Output,
    ) -> Outcome {
        let start = Instant::now();
        let mut attempt = 0;
        loop {
            let fresh = self.refresh_credentials(out).await;
            let request = match fresh.and_then(|()| self.request(body.clone(), SystemTime::now())) {
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
            let result = client.send(&request).await;
            if self.verbose
                && let Ok(response) = &result
            {
                out.verbose_response(response);
            }
            let next = if self.stopping.load(Ordering::Relaxed) {
                Next::Stop
            } else {
                retry.next(attempt, &result, SystemTime::now(), client.timeout())
            };
            if let Next::Wait(delay) = next {
                if self.verbose {
                    let why = match &result {
                        Ok(r) => format!("HTTP {}", r.status),
                        Err(f) => format!("{:#}", f.error),
                    };
                    out.retrying(label, attempt + 1, retry.retries, delay, &why);
                }
                tokio::time::sleep(delay).await;
                attempt += 1;
                continue;
            }
            let mut answer = self.interpret(result, &request, signed(&self.backend));
            if let (Next::TooLong(asked), Err(refusal)) = (next, &mut answer) {
                refusal.failure.hint = Some(format!(
                    "the service asked for {} s before another attempt (Retry-After); fgs waits no longer than --timeout ({} s) or {} s, so it did not try again",
                    decimal(asked.as_secs_f64()),
                    decimal(client.timeout().as_secs_f64()),
                    RETRY_AFTER_LIMIT.as_secs()
                ));
            }
            if let Err(refusal) = &mut answer
                && attempt > 0
            {
                refusal.failure.attempts = Some(attempt + 1);
            }
            return Outcome {
                answer,
                latency: start.elapsed(),
                retries: attempt,
            };
        }
    }

    #[allow(clippy::result_large_err)] // once per call, moved straight into the outcome
    fn interpret(
        &self,
        result: Result<api::Response, Failure>,
        request: &api::Request,
        signed: bool,
    ) -> Result<Answer, Refusal> {
        let response = result?;
        if !(200..300).contains(&response.status) {
            let service = Service::FunctionGraph { signed };
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
            Answer::Invoked(Box::new(Invocation::from_owned(response)))
        })
    }
}

fn signed(backend: &Backend) -> bool {
    matches!(backend, Backend::Cloud { credentials, .. } if credentials.is_aksk())
}

/// A local run that produced no answer: set-up problems are the user's (exit 2), a busy
/// pool is the service's 429 (exit 4), anything else is this machine's (exit 8).
pub fn local_failure(error: &LocalError) -> Failure {
    let hint = error.hint();
    let kind = match error {
        LocalError::Setup(_) => Kind::Usage,
        LocalError::Busy { .. } => Kind::Refused(429),
        LocalError::Machine(_) => Kind::Local,
    };
    Failure::new(kind, anyhow!("{error}")).with_hint(hint)
}
