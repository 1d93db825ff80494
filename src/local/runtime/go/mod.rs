//! Go functions (`Go1.x`): the function's binary is the server. Its `main` calls the
//! runtime library's `runtime.Register(Handler)`, which serves Go's `net/rpc` over HTTP on
//! `RUNTIME_API_ADDR`: a client sends `CONNECT /_goRPC_ HTTP/1.0`, the server answers
//! `HTTP/1.0 200 Connected to Go RPC`, and the connection then carries gob-encoded calls.
//!
//! - fgs → function: `rpc.Request{ServiceMethod: "Function.Invoke", Seq}` then
//!   `InvokeRequest{Payload []byte; Header http.Header}`, the header holding the request id,
//!   the invoke type (`sync`) and the passed credentials under their canonical names
//!   (`X-Cff-Request-Id`, ...), as `Header.Get` looks them up.
//! - function → fgs: `rpc.Response{ServiceMethod, Seq, Error}`, then
//!   `InvokeResponse{StatusCode int; Payload []byte}` on success. A failed call's `Error`
//!   is the runtime's error JSON (`errorType` `FunctionReturnError`, `panic` or
//!   `FunctionResponseTooLarge`), followed by an empty struct.
//!
//! One connection per instance, opened when the binary starts listening and kept.

pub mod gob;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _, BufReader};
use tokio::net::TcpStream;

use super::super::error::{LocalError, setup_with_hint};
use super::super::function::Function;
use super::super::platform;
use super::super::reply::{ErrorCode, PassedCredentials, error_json};
use super::{Answer, Broke, NotReady, START_TIMEOUT};
use gob::{Decoder, Encoder, Type, Value};

/// The path `net/rpc` serves on (`rpc.DefaultRPCPath`).
const RPC_PATH: &str = "/_goRPC_";
/// The status line of a server that switched to RPC.
const CONNECTED: &str = "HTTP/1.0 200 Connected to Go RPC";
/// The service and method `runtime.Register` serves.
const INVOKE: &str = "Function.Invoke";
/// The largest gob message fgs reads: a result is at most 6 MB, so this is far beyond any
/// answer a function can give.
const MAX_MESSAGE: u64 = 256 * 1024 * 1024;

/// fgs's end of one Go function's RPC server.
pub struct Client {
    pub addr: SocketAddr,
    connection: Option<Connection>,
    seq: u64,
}

struct Connection {
    stream: BufReader<TcpStream>,
    encoder: Encoder,
    decoder: Decoder,
}

/// How the connection handshake failed.
enum Refused {
    /// Nothing listens yet (or the connection dropped): try again.
    NotYet,
    /// Something listens but is no Go RPC server.
    Other(String),
}

impl Client {
    /// A client for a function that will listen on `addr`.
    pub fn new(addr: SocketAddr) -> Client {
        Client {
            addr,
            connection: None,
            seq: 0,
        }
    }

    /// A free loopback address for the function to listen on.
    pub fn free_address() -> std::io::Result<SocketAddr> {
        std::net::TcpListener::bind(("127.0.0.1", 0))?.local_addr()
    }

    /// Wait until the function's server takes RPC calls. `Ok(Some(why))`: something that is
    /// no Go RPC server answers there.
    pub async fn ready(&mut self) -> Result<Option<String>, Broke> {
        loop {
            match connect(self.addr).await {
                Ok(connection) => {
                    self.connection = Some(connection);
                    return Ok(None);
                }
                Err(Refused::NotYet) => listening(self.addr).await,
                Err(Refused::Other(why)) => return Ok(Some(why)),
            }
        }
    }

    /// Call `Function.Invoke` with the call's event and map the answer to the service's.
    pub async fn call(&mut self, request: &super::Request<'_>) -> Result<Answer, Broke> {
        let Some(connection) = self.connection.as_mut() else {
            return Err(Broke("no connection to the function's RPC server".into()));
        };
        self.seq += 1;
        let header = headers(request);
        let (response, body) = connection
            .exchange(self.seq, &request.call.body, header)
            .await
            .map_err(|e| {
                self.connection = None;
                Broke(format!("the function's RPC server: {e}"))
            })?;
        let error = response.bytes_of("Error");
        if error.is_empty() {
            return Ok(Answer::Result(body.bytes_of("Payload").to_vec()));
        }
        Ok(error_answer(error))
    }
}

/// The request headers the Go runtime reads, under the names `Header.Get` finds them by.
fn headers(request: &super::Request<'_>) -> Vec<(&'static str, String)> {
    let mut header = vec![
        ("X-Cff-Request-Id", request.id.to_string()),
        ("X-Cff-Invoke-Type", "sync".to_string()),
    ];
    if let Some(alias) = &request.call.alias {
        header.push(("X-Cff-Origin-Version-Tag", format!("!{alias}")));
    }
    let passed = request
        .call
        .credentials
        .as_ref()
        .filter(|_| request.function.pass_credentials);
    if passed.is_some() {
        let creds = PassedCredentials::exposed(passed);
        for (name, value) in [
            ("X-Cff-Access-Key", creds.access_key),
            ("X-Cff-Secret-Key", creds.secret_key),
            ("X-Cff-Security-Access-Key", creds.access_key),
            ("X-Cff-Security-Secret-Key", creds.secret_key),
            ("X-Cff-Security-Token", creds.security_token),
            ("X-Cff-Auth-Token", creds.token),
        ] {
            if !value.is_empty() {
                header.push((name, value.to_string()));
            }
        }
    }
    header
}

/// A failed call: the runtime's error JSON, with its code. An error that is not the
/// runtime's JSON (an RPC failure, such as a binary that serves another method) is put in
/// the service's shape.
fn error_answer(error: &[u8]) -> Answer {
    let kind = serde_json::from_slice::<serde_json::Value>(error)
        .ok()
        .and_then(|v| v.get("errorType")?.as_str().map(str::to_string));
    match kind.as_deref() {
        Some("FunctionResponseTooLarge") => Answer::Error(ErrorCode::TooLarge, error.to_vec()),
        Some(_) => Answer::Error(ErrorCode::Invocation, error.to_vec()),
        None => Answer::Error(
            ErrorCode::Invocation,
            error_json(&String::from_utf8_lossy(error), "RuntimeError"),
        ),
    }
}

/// Return once something accepts connections on `addr` (or after a while, to try again).
/// Polled from a thread every 250 µs: tokio's timer ticks in whole milliseconds, and a Go
/// binary starts serving in a few.
async fn listening(addr: SocketAddr) {
    /// Stops the polling thread when the wait is dropped (the process exited, say).
    struct Stop(Arc<AtomicBool>);
    impl Drop for Stop {
        fn drop(&mut self) {
            self.0.store(true, Ordering::Relaxed);
        }
    }
    let stop = Stop(Arc::new(AtomicBool::new(false)));
    let stopped = stop.0.clone();
    let _ = tokio::task::spawn_blocking(move || {
        let give_up = std::time::Instant::now() + Duration::from_millis(100);
        while !stopped.load(Ordering::Relaxed) && std::time::Instant::now() < give_up {
            if std::net::TcpStream::connect(addr).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_micros(250));
        }
    })
    .await;
}

/// Open a connection and switch it to RPC.
async fn connect(addr: SocketAddr) -> Result<Connection, Refused> {
    let mut stream = TcpStream::connect(addr)
        .await
        .map_err(|_| Refused::NotYet)?;
    let _ = stream.set_nodelay(true);
    stream
        .write_all(format!("CONNECT {RPC_PATH} HTTP/1.0\n\n").as_bytes())
        .await
        .map_err(|_| Refused::NotYet)?;
    // The answer is a status line and an empty line, read a byte at a time so that
    // nothing after it is taken from the stream.
    let mut answer = Vec::new();
    let mut byte = [0u8; 1];
    while !answer.ends_with(b"\n\n") && !answer.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte).await {
            Ok(1) if answer.len() < 4096 => answer.push(byte[0]),
            Ok(1) => return Err(Refused::Other("an endless answer to CONNECT".into())),
            // The server closed before answering: it may be starting.
            _ if answer.is_empty() => return Err(Refused::NotYet),
            _ => break,
        }
    }
    let text = String::from_utf8_lossy(&answer);
    let status = text.lines().next().unwrap_or("").trim_end();
    if status != CONNECTED {
        return Err(Refused::Other(format!(
            "{addr} answered CONNECT {RPC_PATH} with {status:?}, not Go's RPC server: does main() call runtime.Register(handler)?"
        )));
    }
    Ok(Connection {
        stream: BufReader::new(stream),
        encoder: Encoder::default(),
        decoder: Decoder::default(),
    })
}

fn request_type() -> Type {
    Type::Struct {
        name: "Request".into(),
        fields: vec![
            ("ServiceMethod".into(), Type::String),
            ("Seq".into(), Type::Uint),
        ],
    }
}

fn invoke_request_type() -> Type {
    Type::Struct {
        name: "InvokeRequest".into(),
        fields: vec![
            ("Payload".into(), Type::Bytes),
            (
                "Header".into(),
                Type::Map {
                    name: "Header".into(),
                    key: Box::new(Type::String),
                    elem: Box::new(Type::Slice(Box::new(Type::String))),
                },
            ),
        ],
    }
}

/// The gob messages of one `Function.Invoke` call.
fn encode_call(
    encoder: &mut Encoder,
    seq: u64,
    payload: &[u8],
    header: Vec<(&'static str, String)>,
) -> Result<Vec<u8>, gob::Error> {
    let mut out = Vec::with_capacity(payload.len() + 256);
    let head = Value::Struct(vec![
        ("ServiceMethod".into(), Value::Bytes(INVOKE.into())),
        ("Seq".into(), Value::Uint(seq)),
    ]);
    encoder.encode(&request_type(), &head, &mut out)?;
    let header = header
        .into_iter()
        .map(|(k, v)| {
            (
                Value::Bytes(k.into()),
                Value::List(vec![Value::Bytes(v.into_bytes())]),
            )
        })
        .collect();
    let body = Value::Struct(vec![
        ("Payload".into(), Value::Bytes(payload.to_vec())),
        ("Header".into(), Value::Map(header)),
    ]);
    encoder.encode(&invoke_request_type(), &body, &mut out)?;
    Ok(out)
}

impl Connection {
    /// Send one call and read its response header and body.
    async fn exchange(
        &mut self,
        seq: u64,
        payload: &[u8],
        header: Vec<(&'static str, String)>,
    ) -> Result<(Value, Value), String> {
        let message =
            encode_call(&mut self.encoder, seq, payload, header).map_err(|e| e.to_string())?;
        self.stream
            .get_mut()
            .write_all(&message)
            .await
            .map_err(|e| format!("sending the call: {e}"))?;
        let response = self.value().await?;
        let answered = response.int_of("Seq");
        if answered != i128::from(seq) {
            return Err(format!("an answer to call {answered}, not to call {seq}"));
        }
        let body = self.value().await?;
        Ok((response, body))
    }

    /// The next value on the stream, after the type definitions before it.
    async fn value(&mut self) -> Result<Value, String> {
        loop {
            let length = self.read_uint().await?;
            if length > MAX_MESSAGE {
                return Err(format!("a message of {length} bytes"));
            }
            let mut message = vec![0; usize::try_from(length).unwrap_or(0)];
            self.stream
                .read_exact(&mut message)
                .await
                .map_err(|e| format!("reading the answer: {e}"))?;
            if let Some(value) = self.decoder.message(&message).map_err(|e| e.to_string())? {
                return Ok(value);
            }
        }
    }

    async fn read_uint(&mut self) -> Result<u64, String> {
        let eof = |e: std::io::Error| format!("reading the answer: {e}");
        let first = self.stream.read_u8().await.map_err(eof)?;
        if first < 128 {
            return Ok(u64::from(first));
        }
        let count = 256 - usize::from(first);
        if count > 8 {
            return Err("a corrupt message length".into());
        }
        let mut bytes = [0u8; 8];
        self.stream
            .read_exact(&mut bytes[8 - count..])
            .await
            .map_err(eof)?;
        Ok(u64::from_be_bytes(bytes))
    }
}

/// The setup error for a binary that did not start serving; `said` is its output.
pub fn not_ready(function: &Function, why: NotReady, said: &str) -> String {
    let binary = function.go_executable();
    let binary = binary.display();
    match why {
        NotReady::Exited(status) | NotReady::Broke(status) => format!(
            "{binary} exited ({status}) before serving RPC on RUNTIME_API_ADDR (a Go function's main calls runtime.Register(handler)); its output:\n{said}"
        ),
        NotReady::TimedOut => format!(
            "{binary} did not serve RPC on RUNTIME_API_ADDR within {}s (a Go function's main calls runtime.Register(handler))",
            START_TIMEOUT.as_secs()
        ),
    }
}

/// Delve's arguments to run `binary` for debug mode: headless on `listen`, the program
/// stopped until a debugger connects and continues it.
pub fn delve_args(binary: &Path, listen: SocketAddr) -> Vec<String> {
    vec![
        "exec".into(),
        binary.display().to_string(),
        "--headless".into(),
        format!("--listen={listen}"),
        "--api-version=2".into(),
        "--accept-multiclient".into(),
    ]
}

/// Delve (`dlv`): on PATH, else where `go install` puts it.
pub fn find_delve() -> Result<PathBuf, LocalError> {
    let names = platform::program_names("dlv");
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).collect())
        .unwrap_or_default();
    if let Some(gopath) = std::env::var_os("GOPATH") {
        dirs.extend(std::env::split_paths(&gopath).map(|p| p.join("bin")));
    }
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(Path::new(&home).join("go").join("bin"));
    }
    dirs.iter()
        .flat_map(|dir| names.iter().map(move |name| dir.join(name)))
        .find(|candidate| platform::is_executable(candidate))
        .ok_or_else(|| {
            setup_with_hint(
                "debug mode for Go functions runs them under Delve (dlv), which is not installed",
                "go install github.com/go-delve/delve/cmd/dlv@latest",
            )
        })
}

#[cfg(test)]
mod tests;
