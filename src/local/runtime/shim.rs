//! The Python and Node.js workers: the embedded shims and fgs's end of their protocol.
//!
//! fgs starts the interpreter on the shim (written to the instance's private directory)
//! with the control channel on fds 3 (fgs → worker) and 4 (worker → fgs); fds 1 and 2 are
//! the log pipe, so nothing the function prints can be mistaken for the protocol. Every
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
//! - worker → fgs: `{"ok":bool,"code":N,"len":N}` + the result (or the error JSON). Before
//!   answering an `invoke`, the worker flushes stdout and stderr and writes `marker` (a
//!   fresh random string per call) to fd 1, so fgs knows that everything before the marker
//!   in the log pipe belongs to this call.

use std::io;

use serde::{Deserialize, Serialize};
use tokio::io::{AsyncBufReadExt as _, AsyncReadExt as _, AsyncWriteExt as _, BufReader};
use tokio::net::unix::pipe;

pub const PYTHON: &str = include_str!("shim.py");
pub const NODE: &str = include_str!("shim.js");

/// The first message of a worker.
#[derive(Debug, Deserialize)]
pub struct Hello {
    /// Set when the handler's function is missing: the start fails. (The hello's other
    /// fields, the interpreter's version and a load error, are not needed here: a load error
    /// comes back again as every call's answer.)
    #[serde(default)]
    pub setup: Option<String>,
}

/// What fgs sends for one call.
#[derive(Debug, Serialize)]
pub struct Head<'a> {
    pub op: &'static str,
    pub id: &'a str,
    /// Milliseconds since the epoch, for `getRemainingTimeInMilliSeconds`.
    pub deadline: u64,
    pub version: &'a str,
    pub alias: &'a str,
    pub ak: &'a str,
    pub sk: &'a str,
    pub st: &'a str,
    pub token: &'a str,
    pub marker: &'a str,
    pub len: usize,
}

/// A worker's answer to one message.
#[derive(Debug)]
pub struct Answer {
    pub ok: bool,
    pub code: u32,
    pub payload: Vec<u8>,
}

#[derive(Deserialize)]
struct AnswerHead {
    ok: bool,
    code: u32,
    len: usize,
}

/// fgs's end of the control channel.
pub struct Worker {
    tx: pipe::Sender,
    rx: BufReader<pipe::Receiver>,
    line: Vec<u8>,
}

impl Worker {
    pub fn new(tx: pipe::Sender, rx: pipe::Receiver) -> Worker {
        Worker {
            tx,
            rx: BufReader::with_capacity(64 * 1024, rx),
            line: Vec::new(),
        }
    }

    /// Wait for the worker's first message.
    pub async fn hello(&mut self) -> io::Result<Hello> {
        let line = self.read_line().await?;
        serde_json::from_slice(line).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
    }

    /// Send one message and its body.
    pub async fn send(&mut self, head: &Head<'_>, body: &[u8]) -> io::Result<()> {
        let mut message = serde_json::to_vec(head).map_err(io::Error::other)?;
        message.push(b'\n');
        if body.len() <= 64 * 1024 {
            message.extend_from_slice(body);
            self.tx.write_all(&message).await
        } else {
            self.tx.write_all(&message).await?;
            self.tx.write_all(body).await
        }
    }

    /// Wait for the answer to the message sent last.
    pub async fn answer(&mut self) -> io::Result<Answer> {
        let line = self.read_line().await?;
        let head: AnswerHead = serde_json::from_slice(line)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        let mut payload = vec![0; head.len];
        self.rx.read_exact(&mut payload).await?;
        Ok(Answer {
            ok: head.ok,
            code: head.code,
            payload,
        })
    }

    async fn read_line(&mut self) -> io::Result<&[u8]> {
        self.line.clear();
        if self.rx.read_until(b'\n', &mut self.line).await? == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the worker closed its control channel",
            ));
        }
        Ok(&self.line)
    }
}
