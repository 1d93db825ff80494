//! The Python, Node.js and PHP workers: the embedded shims and fgs's end of their protocol,
//! which Java's launcher (`java.rs`) speaks too.
//!
//! fgs starts the interpreter on the shim (written to the instance's private directory)
//! with the control channel on fds 3 (fgs → worker) and 4 (worker → fgs) on Unix, and on
//! Windows a loopback socket the worker connects to (`FGS_CONTROL`, see `platform`); fds 1
//! and 2 are the log pipe, so nothing the function prints can be mistaken for the protocol.
//! The worker exits when the channel closes, so that it never outlives fgs. Every
//! message is one JSON line followed by `len` raw bytes (no base64, no escaping of the
//! event or the result):
//!
//! - worker → fgs, once, after loading the handler:
//!   `{"hello":true,"version":"3.11.7","setup":"…"?,"load_error":"<error JSON>"?}`.
//!   `setup` (the handler's function is missing) makes the start fail; `load_error` (the
//!   module raised while loading, or a Node.js handler has the wrong arity) is every
//!   call's answer, a function error.
//! - fgs → worker, per call: `{"op":"invoke"|"init","id","deadline","version","alias","ak",
//!   "sk","st","token","marker","len"}` + the event.
//! - worker → fgs: `{"ok":bool,"code":N,"len":N,"exit":true?}` + the result (or the error
//!   JSON); `exit` says the worker ends after this answer (a PHP fatal error), so fgs stops
//!   it rather than send it another call. Before
//!   answering an `invoke`, the worker flushes stdout and stderr and writes `marker` (a
//!   fresh random string per call) to fd 1, so fgs knows that everything before the marker
//!   in the log pipe belongs to this call.

use std::io;
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};
use tokio::io::{AsyncBufReadExt as _, AsyncReadExt as _, AsyncWriteExt as _, BufReader};

use super::super::function::Function;
use super::super::platform::{Channel, ControlRx, ControlTx};
use super::super::reply::{ErrorCode, PassedCredentials};
use super::{Answer, Broke, NotReady, Op, Request, START_TIMEOUT};

pub const PYTHON: &str = include_str!("shim.py");
pub const NODE: &str = include_str!("shim.js");
pub const PHP: &str = include_str!("shim.php");

/// The first message of a worker.
#[derive(Debug, Deserialize)]
struct Hello {
    /// Set when the handler's function is missing: the start fails. (The hello's other
    /// fields, the interpreter's version and a load error, are not needed here: a load error
    /// comes back again as every call's answer.)
    #[serde(default)]
    setup: Option<String>,
}

/// What fgs sends for one call.
#[derive(Debug, Serialize)]
struct Head<'a> {
    op: &'static str,
    id: &'a str,
    /// Milliseconds since the epoch, for `getRemainingTimeInMilliSeconds`.
    deadline: u64,
    version: &'a str,
    alias: &'a str,
    ak: &'a str,
    sk: &'a str,
    st: &'a str,
    token: &'a str,
    marker: &'a str,
    len: usize,
}

impl Head<'_> {
    fn new<'a>(op: Op, request: &'a Request<'_>) -> Head<'a> {
        let (name, seconds, marker, len) = match op {
            Op::Init => ("init", request.function.initializer_timeout, "", 0),
            Op::Invoke => (
                "invoke",
                request.function.timeout,
                request.marker,
                request.call.body.len(),
            ),
        };
        let creds = PassedCredentials::exposed(request.call.credentials.as_ref());
        Head {
            op: name,
            id: request.id,
            deadline: epoch_ms(SystemTime::now() + Duration::from_secs(seconds.into())),
            version: request.version,
            alias: request.call.alias.as_deref().unwrap_or(""),
            ak: creds.access_key,
            sk: creds.secret_key,
            st: creds.security_token,
            token: creds.token,
            marker,
            len,
        }
    }
}

fn epoch_ms(at: SystemTime) -> u64 {
    at.duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

#[derive(Deserialize)]
struct AnswerHead {
    ok: bool,
    code: u32,
    len: usize,
    #[serde(default)]
    exit: bool,
}

/// fgs's end of the control channel.
pub struct Worker {
    /// The channel until the worker has connected to it (at once, except on Windows).
    channel: Option<Channel>,
    io: Option<(ControlTx, BufReader<ControlRx>)>,
    line: Vec<u8>,
    /// The last answer said the worker ends after it.
    exiting: bool,
}

impl Worker {
    pub fn new(channel: Channel) -> Worker {
        Worker {
            channel: Some(channel),
            io: None,
            line: Vec::new(),
            exiting: false,
        }
    }

    /// Wait for the worker's hello; `Some` is why the handler cannot run.
    pub async fn ready(&mut self) -> Result<Option<String>, Broke> {
        if let Some(channel) = self.channel.take() {
            let (tx, rx) = channel
                .open()
                .await
                .map_err(|e| Broke(format!("the control channel: {e}")))?;
            self.io = Some((tx, BufReader::with_capacity(64 * 1024, rx)));
        }
        let hello = self.hello().await.map_err(|e| Broke(e.to_string()))?;
        Ok(hello.setup)
    }

    /// Whether the worker said, with its last answer, that it ends after it.
    pub fn exiting(&self) -> bool {
        self.exiting
    }

    /// The channel's ends, once it is open.
    fn io(&mut self) -> io::Result<&mut (ControlTx, BufReader<ControlRx>)> {
        self.io.as_mut().ok_or_else(not_connected)
    }

    /// Run `op` and wait for its answer.
    pub async fn call(&mut self, op: Op, request: &Request<'_>) -> Result<Answer, Broke> {
        let body: &[u8] = match op {
            Op::Init => b"",
            Op::Invoke => &request.call.body,
        };
        let exchange = async {
            self.send(&Head::new(op, request), body).await?;
            self.answer().await
        };
        exchange.await.map_err(|e| match op {
            Op::Init => Broke(e.to_string()),
            Op::Invoke => Broke(format!("the worker's control channel broke: {e}")),
        })
    }

    /// Wait for the worker's first message.
    async fn hello(&mut self) -> io::Result<Hello> {
        let line = self.read_line().await?;
        serde_json::from_slice(line).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
    }

    /// Send one message and its body.
    async fn send(&mut self, head: &Head<'_>, body: &[u8]) -> io::Result<()> {
        let mut message = serde_json::to_vec(head).map_err(io::Error::other)?;
        message.push(b'\n');
        let (tx, _) = self.io()?;
        if body.len() <= 64 * 1024 {
            message.extend_from_slice(body);
            tx.write_all(&message).await
        } else {
            tx.write_all(&message).await?;
            tx.write_all(body).await
        }
    }

    /// Wait for the answer to the message sent last.
    async fn answer(&mut self) -> io::Result<Answer> {
        let line = self.read_line().await?;
        let head: AnswerHead = serde_json::from_slice(line)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        let mut payload = vec![0; head.len];
        self.io()?.1.read_exact(&mut payload).await?;
        self.exiting = head.exit;
        if head.ok {
            return Ok(Answer::Result(payload));
        }
        let code = ErrorCode::from_code(head.code).ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("the worker answered with error code {}", head.code),
            )
        })?;
        Ok(Answer::Error(code, payload))
    }

    async fn read_line(&mut self) -> io::Result<&[u8]> {
        self.line.clear();
        let (_, rx) = self.io.as_mut().ok_or_else(not_connected)?;
        if rx.read_until(b'\n', &mut self.line).await? == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the worker closed its control channel",
            ));
        }
        Ok(&self.line)
    }
}

fn not_connected() -> io::Error {
    io::Error::new(
        io::ErrorKind::NotConnected,
        "the worker has not connected its control channel",
    )
}

/// The setup error for a worker that did not load the handler; `said` is its output.
pub fn not_ready(function: &Function, why: NotReady, said: &str) -> String {
    let language = function.runtime.language().map_or("the", |l| l.name());
    let why = match why {
        NotReady::Broke(e) => format!("stopped before loading the handler ({e})"),
        NotReady::Exited(status) => format!("exited before loading the handler ({status})"),
        NotReady::TimedOut => format!(
            "did not load the handler within {}s",
            START_TIMEOUT.as_secs()
        ),
    };
    let mut message = format!("the {language} worker for {} {why}", function.dir.display());
    if !said.is_empty() {
        message.push_str(&format!("; its output:\n{said}"));
    }
    message
}
