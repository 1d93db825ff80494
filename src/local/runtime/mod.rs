//! How each runtime is spoken to, behind one [`Protocol`]: the Python, Node.js, PHP and Java
//! workers (the embedded shims, `shim.rs`, and Java's launcher, `java.rs`), the Custom
//! runtime API (`custom.rs`), HTTP functions' port 8000 (`http.rs`), and Go functions' RPC
//! server (`go/`).
//!
//! A protocol only waits for the process to be ready and moves one call in and its answer
//! out. The instance around it owns the rest: the process, the deadline, the memory limit,
//! the log and the error codes for a call that ended without an answer.

pub mod custom;
pub mod go;
pub mod http;
pub mod java;
pub mod shim;

use std::time::Duration;

use super::function::Function;
use super::launch::StartOptions;
use super::platform::Channel;
use super::reply::{Call, ErrorCode};

/// How long a worker may take to load its handler, or an HTTP function's server to listen.
pub const START_TIMEOUT: Duration = Duration::from_secs(30);

/// fgs's end of one instance's runtime protocol.
pub enum Protocol {
    /// Python, Node.js, PHP and Java: the shim's (or launcher's) control channel.
    Worker(shim::Worker),
    /// Custom: the runtime API server the `bootstrap` polls.
    Custom(custom::RuntimeApi),
    /// http: the function's own server on port 8000.
    Http,
    /// Go1.x: the function's binary, serving Go's net/rpc.
    Go(go::Client),
}

/// What the runtime is asked to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// The initializer, once per instance (workers only).
    Init,
    /// The handler, with the call's event.
    Invoke,
}

/// One call, as a protocol needs to know it.
pub struct Request<'a> {
    pub id: &'a str,
    pub version: &'a str,
    pub call: &'a Call,
    pub function: &'a Function,
    pub options: &'a StartOptions,
    /// What a worker writes to its output once everything the call printed is written.
    pub marker: &'a str,
}

/// What the function answered.
#[derive(Debug)]
pub enum Answer {
    Result(Vec<u8>),
    /// A function error: its code and the error JSON.
    Error(ErrorCode, Vec<u8>),
}

/// Why a call got no answer: the channel to the process broke (most often because the
/// process is exiting).
#[derive(Debug)]
pub struct Broke(pub String);

/// How waiting for the process to be ready ended without it.
pub enum NotReady {
    /// The channel broke (the message says how).
    Broke(String),
    /// The process exited (with this status).
    Exited(String),
    TimedOut,
}

impl Protocol {
    /// The protocol for a process started with a control channel (a worker), with a
    /// runtime API server (Custom), with an RPC address (Go), or with none (http).
    pub fn new(
        control: Option<Channel>,
        api: Option<custom::RuntimeApi>,
        go: Option<go::Client>,
    ) -> Protocol {
        match (control, api, go) {
            (Some(channel), _, _) => Protocol::Worker(shim::Worker::new(channel)),
            (None, Some(api), _) => Protocol::Custom(api),
            (None, None, Some(client)) => Protocol::Go(client),
            (None, None, None) => Protocol::Http,
        }
    }

    /// Wait until the process takes calls: a worker has loaded the handler, an HTTP
    /// function's server accepts connections. `Ok(Some(why))`: it never will (a setup error,
    /// such as a missing handler function).
    pub async fn ready(&mut self) -> Result<Option<String>, Broke> {
        match self {
            Protocol::Worker(worker) => worker.ready().await,
            Protocol::Custom(_) => Ok(None),
            Protocol::Go(client) => client.ready().await,
            Protocol::Http => {
                http::ready().await;
                Ok(None)
            }
        }
    }

    /// The setup error for a process that did not get ready; `said` is its output.
    pub fn not_ready(&self, function: &Function, why: NotReady, said: &str) -> String {
        match self {
            Protocol::Worker(_) => shim::not_ready(function, why, said),
            Protocol::Http => http::not_ready(function, why, said),
            Protocol::Go(_) => go::not_ready(function, why, said),
            // Ready at once: the runtime API waits for the bootstrap, not the other way.
            Protocol::Custom(_) => format!(
                "{}/bootstrap did not start ({})",
                function.dir.display(),
                match why {
                    NotReady::Broke(e) => e,
                    NotReady::Exited(status) => status,
                    NotReady::TimedOut => "timed out".to_string(),
                }
            ),
        }
    }

    /// Run `op` and wait for its answer.
    pub async fn call(&mut self, op: Op, request: &Request<'_>) -> Result<Answer, Broke> {
        match (self, op) {
            (Protocol::Worker(worker), op) => worker.call(op, request).await,
            (Protocol::Custom(api), Op::Invoke) => api.call(request).await,
            (Protocol::Http, Op::Invoke) => http::call(request).await,
            (Protocol::Go(client), Op::Invoke) => client.call(request).await,
            // Only workers run an initializer.
            (Protocol::Custom(_) | Protocol::Http | Protocol::Go(_), Op::Init) => {
                Ok(Answer::Result(Vec::new()))
            }
        }
    }

    /// Said after a Custom runtime's call timed out when its `bootstrap` never asked the
    /// runtime API for work but something listens on port 8000: an HTTP function run as
    /// Custom (an executable `bootstrap` and no `runtime` key).
    pub fn looks_like_http(&self) -> Option<&'static str> {
        let Protocol::Custom(api) = self else {
            return None;
        };
        let listening =
            std::net::TcpStream::connect_timeout(&http::address(), Duration::from_millis(200))
                .is_ok();
        (!api.was_asked() && listening).then_some(
            "bootstrap ran as a Custom runtime but never asked the runtime API for work, and something listens on port 8000: this looks like an HTTP function; set runtime = \"http\" in function.toml",
        )
    }

    /// Whether this runtime runs the function's initializer.
    pub fn runs_initializer(&self) -> bool {
        matches!(self, Protocol::Worker(_))
    }

    /// Whether the process said, with the answer just read, that it ends after it (a PHP
    /// worker after a fatal error): it must get no other call.
    pub fn exiting(&self) -> bool {
        matches!(self, Protocol::Worker(worker) if worker.exiting())
    }

    /// Whether the process writes [`Request::marker`] after a call's output (a worker), so
    /// that everything before it is that call's log.
    pub fn marks_output(&self) -> bool {
        matches!(self, Protocol::Worker(_))
    }
}
