//! One invocation, from payload to outcome: build the request, authorise it, send it (again,
//! where [`Retry`] allows), and say what the answer means; or hand the payload to a local
//! function, whose reply is read exactly as the service's answer. Shared by a single
//! `invoke` and by every call of a batch.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use url::Url;

use anyhow::anyhow;

use crate::api::{self, Answer, Invocation, InvokeOptions, Refusal, Trace};
use crate::cloud::client::Retry;
use crate::cloud::exchange::Exchange;
use crate::cloud::session::Session;
use crate::error::{Failure, Kind};
use crate::local::{self, LocalError, Pool};
use crate::urn::Urn;

/// Everything the calls of one run share.
pub struct Caller {
    backend: Backend,
    pub options: InvokeOptions,
    /// `-v`: the trace shows each request, response and retry on stderr (so a batch
    /// draws no bar).
    pub verbose: bool,
    /// Set on Ctrl-C during a batch: a call in flight may finish but is not retried.
    pub stopping: AtomicBool,
}

/// Where calls go; one per run, so the difference in size does not matter.
#[allow(clippy::large_enum_variant)]
enum Backend {
    Cloud(Cloud),
    /// A function on this machine, with its warm instances.
    Local {
        pool: Pool,
        call: local::Call,
        /// `--async`: the records of the calls that ended, by request id, until they are
        /// taken (see [`Caller::local_record`]): a batch takes each as its call ends, so
        /// there are never more than the calls in flight.
        ended: std::sync::Mutex<HashMap<String, serde_json::Value>>,
    },
}

/// The service: the run's session, and the URL formed once.
struct Cloud {
    session: Arc<Session>,
    url: Url,
    retry: Retry,
}

pub struct Outcome {
    pub answer: Result<Answer, Refusal>,
    /// From the first byte sent to the last byte read, retries included.
    pub latency: Duration,
    pub retries: u32,
}

impl Caller {
    /// Calls to the function `urn` in the session's project.
    pub fn new(
        session: Arc<Session>,
        urn: &Urn,
        options: InvokeOptions,
        retry: Retry,
        verbose: bool,
    ) -> Result<Caller, Failure> {
        let url = api::invocation_url(
            &session.project.endpoint,
            &session.project.id,
            urn,
            options.asynchronous,
        )
        .map_err(|e| Failure::usage(format!("the invocation URL cannot be formed: {e}")))?;
        Ok(Caller {
            backend: Backend::Cloud(Cloud {
                session,
                url,
                retry,
            }),
            options,
            verbose,
            stopping: AtomicBool::new(false),
        })
    }

    /// Calls to the function `pool` runs on this machine; `call` holds what every call
    /// passes besides its payload (version, alias, credentials).
    pub fn local(pool: Pool, call: local::Call, options: InvokeOptions) -> Caller {
        Caller {
            backend: Backend::Local {
                pool,
                call,
                ended: std::sync::Mutex::default(),
            },
            options,
            verbose: false,
            stopping: AtomicBool::new(false),
        }
    }

    /// The request for `body`, authorised as of `now` (cloud calls only).
    pub fn request(&self, body: Bytes, now: SystemTime) -> Result<api::Request, Failure> {
        let Backend::Cloud(Cloud { session, url, .. }) = &self.backend else {
            return Err(Failure::usage("a local function has no request to show"));
        };
        let mut request = api::invoke_request(url.clone(), &self.options, body);
        session
            .credentials
            .apply(&mut request, &session.project.id, now)?;
        Ok(request)
    }

    /// Fetch temporary keys again when they are about to expire (`--auth metadata`).
    pub async fn refresh_credentials(&self, trace: &dyn Trace) -> Result<(), Failure> {
        match &self.backend {
            Backend::Cloud(cloud) => cloud.session.credentials.refresh_if_needed(trace).await,
            Backend::Local { .. } => Ok(()),
        }
    }

    /// Make the call. `label` names it in retry notices (a batch's line number).
    pub async fn call(&self, body: Bytes, label: Option<u64>, trace: &dyn Trace) -> Outcome {
        match &self.backend {
            Backend::Cloud(cloud) => self.cloud(cloud, body, label, trace).await,
            Backend::Local { pool, call, ended } => self.run_local(pool, call, body, ended).await,
        }
    }

    /// Calls go to a function on this machine, whose processes stop when fgs does.
    pub fn is_local(&self) -> bool {
        matches!(self.backend, Backend::Local { .. })
    }

    /// The record of a local asynchronous call that ended (taken once): a local call cannot
    /// outlive fgs, so `--async` runs it to its end, and it is reported as `--async --wait`
    /// reports a call to the service. `None` for a call to the service.
    /// The record is a document in the service's shape (an async invocation record).
    pub fn local_record(&self, request_id: &str) -> Option<serde_json::Value> {
        let Backend::Local { ended, .. } = &self.backend else {
            return None;
        };
        let mut ended = ended
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        ended.remove(request_id)
    }

    /// One call of a local function: its reply read as the service's answer would be.
    async fn run_local(
        &self,
        pool: &Pool,
        call: &local::Call,
        body: Bytes,
        ended: &std::sync::Mutex<HashMap<String, serde_json::Value>>,
    ) -> Outcome {
        let start = Instant::now();
        let started_at = SystemTime::now();
        let call = local::Call {
            body,
            ..call.clone()
        };
        let answer = match pool.invoke(call).await {
            Ok(reply) if self.options.asynchronous => {
                ended
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .insert(reply.request_id.clone(), local_record(&reply, started_at));
                Ok(Answer::Accepted {
                    request_id: Some(reply.request_id),
                    http_status: 202,
                })
            }
            Ok(reply) => Ok(Answer::Invoked(Box::new(Invocation::from_owned(
                reply.to_local_response(self.options.log),
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
        cloud: &Cloud,
        body: Bytes,
        label: Option<u64>,
        trace: &dyn Trace,
    ) -> Outcome {
        let start = Instant::now();
        let exchange = Exchange {
            client: &cloud.session.client,
            credentials: &cloud.session.credentials,
            project_id: &cloud.session.project.id,
            retry: cloud.retry,
            label,
            stopping: Some(&self.stopping),
        };
        let build = || api::invoke_request(cloud.url.clone(), &self.options, body.clone());
        let (answer, retries) = match exchange.send(build, trace).await {
            Ok(sent) => {
                let retries = sent.retries;
                (sent.answer().map(|r| self.answer(r)), retries)
            }
            Err(unsent) => (Err(unsent.failure.into()), unsent.retries),
        };
        Outcome {
            answer,
            latency: start.elapsed(),
            retries,
        }
    }

    /// What a 2xx answer means: the invocation's result, or the accepted call's id.
    fn answer(&self, response: api::Response) -> Answer {
        if self.options.asynchronous {
            Answer::Accepted {
                request_id: api::accepted_request_id(&response),
                http_status: response.status,
            }
        } else {
            Answer::Invoked(Box::new(Invocation::from_owned(response)))
        }
    }
}

/// A local asynchronous call's record, in the service's shape (as `fgs serve` keeps them):
/// `SUCCESS`, or `FAIL` with the error code and the error's message.
fn local_record(reply: &local::Reply, started_at: SystemTime) -> serde_json::Value {
    let time = |t: SystemTime| {
        humantime::format_rfc3339_seconds(t)
            .to_string()
            .trim_end_matches('Z')
            .to_string()
    };
    let message = if reply.function_error {
        serde_json::from_slice::<serde_json::Value>(&reply.result)
            .ok()
            .and_then(|v| v.get("errorMessage")?.as_str().map(str::to_string))
            .unwrap_or_else(|| String::from_utf8_lossy(&reply.result).into_owned())
    } else {
        String::new()
    };
    serde_json::json!({
        "request_id": reply.request_id,
        "status": if reply.function_error { "FAIL" } else { "SUCCESS" },
        "error_code": reply.error_code,
        "error_message": message,
        "start_time": time(started_at),
        "end_time": time(SystemTime::now()),
    })
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
