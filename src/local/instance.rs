//! One warm instance: its process, the initializer, one call at a time with the timeout,
//! the memory limit and the call's log. How a call reaches the function and its answer
//! comes back is the runtime's [`Protocol`].

use std::future::Future;
use std::net::SocketAddr;
use std::time::{Duration, Instant, SystemTime};

use anyhow::Context as _;

use super::error::{Classify, LocalError, setup_with_hint};
use super::function::{Function, Runtime};
use super::launch::{self, Launch, PrivateDir, StartOptions};
use super::log::{self, Output};
use super::platform::{self, Process, Tree};
use super::reply::{Call, ErrorCode, MAX_PAYLOAD, Reply, error_json};
use super::runtime::{Answer, Broke, NotReady, Op, Protocol, Request, START_TIMEOUT};

/// How often the memory of a running call is sampled.
const MEMORY_SAMPLE: Duration = Duration::from_millis(10);

/// One warm process running one function.
pub struct Instance {
    function: Function,
    options: StartOptions,
    child: tokio::process::Child,
    tree: Tree,
    output: Output,
    protocol: Protocol,
    /// The process takes calls (always, except in debug mode before the first call).
    ready: bool,
    initialized: bool,
    /// The process is gone, or was killed.
    dead: bool,
    debug: Option<SocketAddr>,
    /// The largest memory sample of the call in progress, kB.
    peak_seen_kb: u64,
    /// A worker's output for the call just finished, cut at its marker.
    call_output: Option<Vec<u8>>,
    _private: PrivateDir,
}

/// How waiting for something a process does can end.
enum Waited<T> {
    Done(T),
    Exited(String),
    TimedOut,
    OverMemory(u64),
}

/// How a call ended without an answer.
enum Ended {
    Exited(String),
    TimedOut,
    OverMemory(u64),
    Broke(String),
}

impl<T> From<Waited<T>> for Ended {
    fn from(waited: Waited<T>) -> Ended {
        match waited {
            Waited::Done(_) => Ended::Broke("the call ended without an answer".to_string()),
            Waited::Exited(status) => Ended::Exited(status),
            Waited::TimedOut => Ended::TimedOut,
            Waited::OverMemory(kb) => Ended::OverMemory(kb),
        }
    }
}

/// One call's ending, before the log is framed.
struct Outcome {
    /// `None`: success.
    error: Option<ErrorCode>,
    result: Vec<u8>,
    retire: bool,
    /// A line fgs adds to the log (why the call ended early).
    note: Option<String>,
}

impl Outcome {
    fn answered(answer: Answer) -> Outcome {
        let (error, result) = match answer {
            Answer::Result(result) => (None, result),
            Answer::Error(code, result) => (Some(code), result),
        };
        Outcome {
            error,
            result,
            retire: false,
            note: None,
        }
    }

    /// An error fgs itself reports, in the service's error shape.
    fn fatal(code: ErrorCode, message: &str, kind: &str) -> Outcome {
        Outcome {
            error: Some(code),
            result: error_json(message, kind),
            retire: true,
            note: Some(message.to_string()),
        }
    }
}

/// What the Start and Finish lines of a call's log say.
struct Frame {
    request_id: String,
    version: String,
    started_at: SystemTime,
    duration: Duration,
    output: Vec<u8>,
    peak_kb: u64,
}

impl Instance {
    /// Start one instance of `function`. A Python or Node.js worker has loaded the handler
    /// when this returns (except in debug mode, where it waits for the debugger); an HTTP
    /// function's server accepts connections.
    pub async fn start(
        function: &Function,
        options: &StartOptions,
    ) -> Result<Instance, LocalError> {
        let Launch {
            private,
            program,
            args,
            env,
            worker,
            api,
            go,
            debug,
        } = launch::prepare(function, options).await?;
        let Process {
            child,
            tree,
            output,
            control,
        } = platform::start(platform::Spec {
            program: &program,
            args,
            env,
            cwd: &function.dir,
            control: worker,
        })?;
        let protocol = Protocol::new(control, api, go);
        let mut instance = Instance {
            function: function.clone(),
            options: options.clone(),
            child,
            tree,
            output: Output::new(output),
            initialized: function.initializer.is_none() || !protocol.runs_initializer(),
            protocol,
            ready: false,
            dead: false,
            debug,
            peak_seen_kb: 0,
            call_output: None,
            _private: private,
        };
        // An HTTP function's server that never listens fails its first call (see
        // `listen_or_fail`); a worker that cannot load is a setup error now.
        if debug.is_none() && function.runtime != Runtime::Http {
            instance
                .await_ready(Some(Instant::now() + START_TIMEOUT))
                .await?;
        }
        Ok(instance)
    }

    /// The address a debugger attaches to, in debug mode.
    #[cfg(test)]
    pub fn debug_address(&self) -> Option<SocketAddr> {
        self.debug
    }

    /// The instance's process tree.
    pub fn tree(&self) -> &Tree {
        &self.tree
    }

    /// Whether the process has gone (killed after a timeout, or exited).
    pub fn is_dead(&mut self) -> bool {
        if !self.dead && matches!(self.child.try_wait(), Ok(Some(_)) | Err(_)) {
            self.dead = true;
        }
        self.dead
    }

    /// Kill the instance's whole process group and wait for its process.
    pub async fn stop(mut self) {
        self.kill().await;
    }

    async fn kill(&mut self) {
        self.tree.kill();
        let _ = self.child.wait().await;
        self.dead = true;
    }

    /// Run one call.
    pub async fn invoke(&mut self, call: Call) -> Result<Reply, LocalError> {
        if call.body.len() > MAX_PAYLOAD {
            return Err(LocalError::setup(format!(
                "the request body is {} bytes; the service takes at most {MAX_PAYLOAD}",
                call.body.len()
            )));
        }
        let request_id = call
            .request_id
            .clone()
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
        let version = call
            .version
            .clone()
            .unwrap_or_else(|| self.function.version.clone());
        let started_at = SystemTime::now();
        let mut failed = None;
        if !self.ready && !self.is_dead() {
            if self.function.runtime == Runtime::Http && self.debug.is_none() {
                failed = self.listen_or_fail().await?;
            } else {
                self.await_ready(None).await?;
            }
        }
        if failed.is_none() {
            failed = self.prepare_call(&request_id, &version, &call).await?;
        }
        let began = Instant::now();
        let outcome = match failed {
            Some(failed) => failed,
            None => self.call(&request_id, &version, &call).await?,
        };
        let duration = began.elapsed();
        let output = self
            .call_output
            .take()
            .unwrap_or_else(|| self.output.take_all());
        let mut peak_kb = self.peak_seen_kb;
        if !self.dead {
            peak_kb = peak_kb.max(self.tree.take_peak_kb());
        }
        let outcome = self.enforce_limits(outcome, peak_kb).await;
        let frame = Frame {
            request_id,
            version,
            started_at,
            duration,
            output,
            peak_kb,
        };
        Ok(self.reply(outcome, frame))
    }

    /// Before the handler: a process that exited since the last call, or the initializer
    /// on the first call. `Some` is the call's answer when either failed.
    async fn prepare_call(
        &mut self,
        id: &str,
        version: &str,
        call: &Call,
    ) -> Result<Option<Outcome>, LocalError> {
        if self.is_dead() {
            // Exited since the last call (or at once, as a broken bootstrap does).
            let status = match self.child.wait().await {
                Ok(status) => status.to_string(),
                Err(e) => e.to_string(),
            };
            self.output.drain_ready();
            return Ok(Some(Outcome::fatal(
                ErrorCode::Exited,
                &format!("runtime process exited ({status})"),
                "RuntimeExited",
            )));
        }
        if self.initialized {
            return Ok(None);
        }
        let failed = self.initialize(id, version, call).await?;
        self.initialized = failed.is_none();
        Ok(failed)
    }

    /// The service's limits on a finished call: the result's size, and the memory the
    /// instance used at its peak (`peak_kb`).
    async fn enforce_limits(&mut self, mut outcome: Outcome, peak_kb: u64) -> Outcome {
        let limit_kb = u64::from(self.function.memory_size) * 1024;
        if outcome.error.is_none() && outcome.result.len() > MAX_PAYLOAD {
            let size = outcome.result.len();
            outcome = Outcome::answered(Answer::Error(
                ErrorCode::TooLarge,
                error_json(
                    "the return value of the function exceeds the maximum allowed limit",
                    "ResponseTooLarge",
                ),
            ));
            outcome.note = Some(format!(
                "the return value of the function exceeds the maximum allowed limit: {size} bytes, at most {MAX_PAYLOAD}"
            ));
        }
        if peak_kb > limit_kb && outcome.error != Some(ErrorCode::Memory) {
            self.kill().await;
            outcome = Outcome::fatal(
                ErrorCode::Memory,
                "runtime memory limit exceeded",
                "MemoryLimitExceeded",
            );
        }
        if outcome.error == Some(ErrorCode::Memory) {
            outcome.note = Some(format!(
                "runtime memory limit exceeded: the instance used {:.3}MB of {}MB\nthe limit is set by `memory_size` in function.toml",
                peak_kb as f64 / 1024.0,
                self.function.memory_size
            ));
        }
        outcome
    }

    /// The call's reply, its log framed by the Start and Finish lines.
    fn reply(&self, outcome: Outcome, frame: Frame) -> Reply {
        let Frame {
            request_id,
            version,
            started_at,
            duration,
            mut output,
            peak_kb,
        } = frame;
        if let Some(note) = &outcome.note {
            if !output.is_empty() && !output.ends_with(b"\n") {
                output.push(b'\n');
            }
            // One line each, as the runtime's logger writes them.
            let lines: Vec<String> = note
                .lines()
                .map(|line| {
                    log::logger_line(&request_id, "ERROR", line)
                        .trim_end()
                        .to_string()
                })
                .collect();
            output.extend_from_slice(lines.join("\n").as_bytes());
        }
        let memory_used_mb = peak_kb as f64 / 1024.0;
        let start = log::start_line(started_at, &request_id, &version);
        let finish = log::finish_line(
            SystemTime::now(),
            &request_id,
            duration,
            memory_used_mb,
            self.function.memory_size,
        );
        Reply {
            log: log::frame(&start, &output, &finish),
            request_id,
            result: outcome.result,
            function_error: outcome.error.is_some(),
            error_code: outcome.error.map_or(0, ErrorCode::code),
            duration,
            billed_ms: log::billed_ms(duration),
            memory_used_mb,
            memory_size_mb: self.function.memory_size,
            retire: outcome.retire || self.dead,
        }
    }

    /// Wait for `done`, reading the output meanwhile, until the process exits, the
    /// deadline passes or (with a limit) its memory goes over the limit.
    async fn wait_for<T>(
        child: &mut tokio::process::Child,
        output: &mut Output,
        memory: Option<(&Tree, u64, &mut u64)>,
        deadline: Option<Instant>,
        done: impl Future<Output = T>,
    ) -> Result<Waited<T>, LocalError> {
        tokio::pin!(done);
        let far = Instant::now() + Duration::from_secs(365 * 24 * 3600);
        let deadline = tokio::time::Instant::from_std(deadline.unwrap_or(far));
        let mut sample_at = tokio::time::Instant::now() + MEMORY_SAMPLE;
        let (memory, limit_kb, seen_kb) = match memory {
            Some((m, limit, seen)) => (Some(m), limit, Some(seen)),
            None => (None, 0, None),
        };
        let mut seen_kb = seen_kb;
        loop {
            tokio::select! {
                biased;
                value = &mut done => return Ok(Waited::Done(value)),
                read = output.fill() => {
                    read.context("reading the function's output").machine()?;
                }
                status = child.wait() => {
                    let status = status.context("waiting for the function's process").machine()?;
                    output.drain_ready();
                    return Ok(Waited::Exited(status.to_string()));
                }
                () = tokio::time::sleep_until(deadline) => return Ok(Waited::TimedOut),
                () = tokio::time::sleep_until(sample_at), if memory.is_some() => {
                    let kb = memory.map_or(0, Tree::current_kb);
                    if let Some(seen) = seen_kb.as_deref_mut() {
                        *seen = (*seen).max(kb);
                    }
                    if kb > limit_kb {
                        return Ok(Waited::OverMemory(kb));
                    }
                    sample_at += MEMORY_SAMPLE;
                }
            }
        }
    }

    /// Wait until the runtime takes calls; one that never will is a setup error.
    async fn await_ready(&mut self, deadline: Option<Instant>) -> Result<(), LocalError> {
        let waited = Self::wait_for(
            &mut self.child,
            &mut self.output,
            None,
            deadline,
            self.protocol.ready(),
        )
        .await?;
        let why = match waited {
            Waited::Done(Ok(None)) => {
                self.ready = true;
                return Ok(());
            }
            Waited::Done(Ok(Some(setup))) => {
                self.kill().await;
                let message = format!("{}: {setup}", self.function.dir.display());
                return Err(setup_with_hint(message, handler_hint(&self.function)));
            }
            Waited::Done(Err(Broke(e))) => {
                let _ = self.child.wait().await;
                self.dead = true;
                NotReady::Broke(e)
            }
            Waited::Exited(status) => {
                self.dead = true;
                NotReady::Exited(status)
            }
            Waited::TimedOut | Waited::OverMemory(_) => {
                self.kill().await;
                NotReady::TimedOut
            }
        };
        let said = String::from_utf8_lossy(&self.output.take_all())
            .trim()
            .to_string();
        Err(LocalError::setup(self.protocol.not_ready(
            &self.function,
            why,
            &said,
        )))
    }

    /// Wait for an HTTP function's server to listen on port 8000, for the function's
    /// `initializer_timeout` (its `timeout` unless set, at most 300 s). One that exits
    /// first (4204) or never listens (4011) fails the call; the log shows what `bootstrap`
    /// printed.
    async fn listen_or_fail(&mut self) -> Result<Option<Outcome>, LocalError> {
        let seconds = self.function.initializer_timeout;
        let deadline = self.deadline(seconds);
        let ready = self.protocol.ready();
        let waited =
            Self::wait_for(&mut self.child, &mut self.output, None, deadline, ready).await?;
        let exited = |status: &str| {
            Outcome::fatal(
                ErrorCode::Exited,
                &format!(
                    "runtime process exited ({status}): bootstrap ended before listening on port 8000"
                ),
                "RuntimeExited",
            )
        };
        Ok(match waited {
            Waited::Done(Ok(None)) => {
                self.ready = true;
                None
            }
            Waited::Done(Ok(Some(why)) | Err(Broke(why))) => {
                self.kill().await;
                Some(exited(&why))
            }
            Waited::Exited(status) => {
                self.dead = true;
                Some(exited(&status))
            }
            Waited::TimedOut | Waited::OverMemory(_) => {
                self.kill().await;
                self.output.drain_ready();
                Some(Outcome::fatal(
                    ErrorCode::StartTimeout,
                    &format!(
                        "runtime initialization timed out: bootstrap did not listen on port 8000 within {seconds}s (initializer_timeout in function.toml, else timeout)"
                    ),
                    "InitializationTimeout",
                ))
            }
        })
    }

    fn deadline(&self, seconds: u32) -> Option<Instant> {
        self.debug
            .is_none()
            .then(|| Instant::now() + Duration::from_secs(seconds.into()))
    }

    /// Run the initializer; `Some` is the call's answer when it failed.
    async fn initialize(
        &mut self,
        id: &str,
        version: &str,
        call: &Call,
    ) -> Result<Option<Outcome>, LocalError> {
        let seconds = self.function.initializer_timeout;
        let deadline = self.deadline(seconds);
        let request = Request {
            id,
            version,
            call,
            function: &self.function,
            options: &self.options,
            marker: "",
        };
        let exchange = self.protocol.call(Op::Init, &request);
        let waited =
            Self::wait_for(&mut self.child, &mut self.output, None, deadline, exchange).await?;
        let exited = |why: &str| {
            Outcome::fatal(
                ErrorCode::Exited,
                &format!("runtime process exited during the initializer ({why})"),
                "RuntimeExited",
            )
        };
        Ok(match waited {
            Waited::Done(Ok(Answer::Result(_))) => None,
            Waited::Done(Ok(failed)) => Some(Outcome {
                retire: true,
                ..Outcome::answered(failed)
            }),
            Waited::Done(Err(Broke(e))) => {
                self.kill().await;
                Some(exited(&e))
            }
            Waited::Exited(status) => {
                self.dead = true;
                Some(exited(&status))
            }
            Waited::TimedOut | Waited::OverMemory(_) => {
                self.kill().await;
                Some(Outcome::fatal(
                    ErrorCode::Initializer,
                    &format!(
                        "function initialization exception, error: the initializer timed out after {seconds}s"
                    ),
                    "InitializerTimeout",
                ))
            }
        })
    }

    /// Run the handler.
    async fn call(&mut self, id: &str, version: &str, call: &Call) -> Result<Outcome, LocalError> {
        let seconds = self.function.timeout;
        let deadline = self.deadline(seconds);
        let limit_kb = u64::from(self.function.memory_size) * 1024;
        self.peak_seen_kb = 0;
        let marker = format!(
            "\u{0}fgs:{:016x}{:016x}\u{0}",
            fastrand::u64(..),
            fastrand::u64(..)
        );
        let request = Request {
            id,
            version,
            call,
            function: &self.function,
            options: &self.options,
            marker: &marker,
        };
        let exchange = self.protocol.call(Op::Invoke, &request);
        let memory = Some((&self.tree, limit_kb, &mut self.peak_seen_kb));
        let ended = match Self::wait_for(
            &mut self.child,
            &mut self.output,
            memory,
            deadline,
            exchange,
        )
        .await?
        {
            Waited::Done(Ok(answer)) => {
                if self.protocol.marks_output() {
                    self.await_marker(marker.as_bytes()).await?;
                } else {
                    self.output.drain_ready();
                }
                let mut outcome = Outcome::answered(answer);
                if self.protocol.exiting() {
                    // It is ending (a PHP fatal error): stop it now, so that no call waits
                    // on a process that is going away.
                    self.kill().await;
                    outcome.retire = true;
                }
                return Ok(outcome);
            }
            Waited::Done(Err(Broke(why))) => Ended::Broke(why),
            other => Ended::from(other),
        };
        let looks_like_http = match ended {
            Ended::TimedOut => self.protocol.looks_like_http(),
            _ => None,
        };
        let mut outcome = self.stopped(ended, seconds).await;
        if let (Some(note), Some(ErrorCode::Timeout)) = (&mut outcome.note, outcome.error) {
            note.push_str(&format!(
                "\nthe limit is {seconds}s, set by `timeout` in function.toml"
            ));
            if let Some(why) = looks_like_http {
                note.push('\n');
                note.push_str(why);
            }
        }
        Ok(outcome)
    }

    /// Stop the instance after a call that ended without an answer, and say why.
    async fn stopped(&mut self, ended: Ended, seconds: u32) -> Outcome {
        let ended = match ended {
            // A broken channel is most often a process that is exiting: say how it did.
            Ended::Broke(why) => {
                match tokio::time::timeout(Duration::from_millis(200), self.child.wait()).await {
                    Ok(Ok(status)) => Ended::Exited(status.to_string()),
                    _ => Ended::Broke(why),
                }
            }
            other => other,
        };
        if let Ended::Exited(_) = ended {
            let _ = self.child.wait().await;
            self.dead = true;
        } else {
            self.kill().await;
        }
        self.output.drain_ready();
        match ended {
            Ended::TimedOut => Outcome::fatal(
                ErrorCode::Timeout,
                &format!("call invoke timeout {seconds}s"),
                "InvokeTimeout",
            ),
            Ended::OverMemory(kb) => {
                self.peak_seen_kb = self.peak_seen_kb.max(kb);
                Outcome::fatal(
                    ErrorCode::Memory,
                    "runtime memory limit exceeded",
                    "MemoryLimitExceeded",
                )
            }
            Ended::Exited(status) => Outcome::fatal(
                ErrorCode::Exited,
                &format!("runtime process exited ({status})"),
                "RuntimeExited",
            ),
            Ended::Broke(why) => Outcome::fatal(
                ErrorCode::Exited,
                &format!("runtime process failed: {why}"),
                "RuntimeExited",
            ),
        }
    }

    /// Read the output up to this call's marker (the worker wrote it before answering).
    async fn await_marker(&mut self, marker: &[u8]) -> Result<(), LocalError> {
        let give_up = tokio::time::Instant::now() + Duration::from_secs(1);
        let before = loop {
            if let Some(bytes) = self.output.take_through(marker) {
                break bytes;
            }
            if self.output.eof {
                break self.output.take_all();
            }
            tokio::select! {
                read = self.output.fill() => { read.context("reading the function's output").machine()?; }
                // The function closed or replaced its stdout: keep what there is.
                () = tokio::time::sleep_until(give_up) => break self.output.take_all(),
            }
        };
        self.call_output = Some(before);
        Ok(())
    }
}

/// Under a handler that does not load: which key names it, and the default.
fn handler_hint(function: &Function) -> String {
    if let Runtime::Java { .. } = function.runtime {
        return format!(
            "name the method with the `handler` key of function.toml, as package.Class.method (function.toml sets {}); the class comes from the function's jar, its classes, lib/*.jar or `classpath`",
            function.handler
        );
    }
    let now = if function.handler == "index.handler" {
        "index.handler, the default, is used when function.toml sets none".to_string()
    } else {
        format!("function.toml sets {}", function.handler)
    };
    format!("name the function with the `handler` key of function.toml, as FILE.FUNCTION ({now})")
}

impl Drop for Instance {
    fn drop(&mut self) {
        if !self.dead {
            self.tree.kill();
            // tokio reaps a dropped child in the background.
            let _ = self.child.start_kill();
        }
    }
}
