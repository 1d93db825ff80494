//! One warm instance: its process, the initializer, one call at a time with the timeout,
//! the memory limit and the call's log.

use std::future::Future;
use std::net::SocketAddr;
use std::time::{Duration, Instant, SystemTime};

use anyhow::Context as _;
use serde_json::json;

use super::error::{Classify, LocalError};
use super::function::{Function, Runtime};
use super::launch::{self, Launch, PrivateDir, StartOptions};
use super::log::{self, Output};
use super::process::{self, Memory, Process};
use super::reply::{Call, MAX_PAYLOAD, Reply};
use super::runtime::custom::{Event, Posted, RuntimeApi};
use super::runtime::http;
use super::runtime::shim::{Head, Worker};

/// How long a worker may take to load its handler, or an HTTP function's server to listen.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// How often the memory of a running call is sampled.
const MEMORY_SAMPLE: Duration = Duration::from_millis(10);

enum Backend {
    Worker(Worker),
    Custom(RuntimeApi),
    Http,
}

/// One warm process running one function.
pub struct Instance {
    function: Function,
    options: StartOptions,
    child: tokio::process::Child,
    pid: i32,
    output: Output,
    memory: Memory,
    backend: Backend,
    /// The worker has said hello (always, except in debug mode before the first call).
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
    ok: bool,
    code: u32,
    result: Vec<u8>,
    retire: bool,
    /// A line fgs adds to the log (why the call ended early).
    note: Option<String>,
}

impl Outcome {
    fn success(result: Vec<u8>) -> Outcome {
        Outcome {
            ok: true,
            code: 0,
            result,
            retire: false,
            note: None,
        }
    }

    fn failure(code: u32, result: Vec<u8>) -> Outcome {
        Outcome {
            ok: false,
            code,
            result,
            retire: false,
            note: None,
        }
    }

    /// An error fgs itself reports, in the service's error shape.
    fn fatal(code: u32, message: &str, kind: &str) -> Outcome {
        Outcome {
            ok: false,
            code,
            result: error_json(message, kind),
            retire: true,
            note: Some(message.to_string()),
        }
    }
}

fn error_json(message: &str, kind: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({ "errorMessage": message, "errorType": kind })).unwrap_or_default()
}

fn epoch_ms(at: SystemTime) -> u64 {
    at.duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
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
            debug,
        } = launch::prepare(function, options).await?;
        let Process {
            child,
            pid,
            output,
            control,
        } = process::start(process::Spec {
            program: &program,
            args,
            env,
            cwd: &function.dir,
            control: worker,
        })?;
        let backend = match (control, api) {
            (Some((tx, rx)), _) => Backend::Worker(Worker::new(tx, rx)),
            (None, Some(api)) => Backend::Custom(api),
            (None, None) => Backend::Http,
        };
        let mut instance = Instance {
            function: function.clone(),
            options: options.clone(),
            child,
            pid,
            output: Output::new(output),
            memory: Memory::new(pid),
            backend,
            ready: !worker,
            initialized: function.initializer.is_none() || !worker,
            dead: false,
            debug,
            peak_seen_kb: 0,
            call_output: None,
            _private: private,
        };
        if worker && debug.is_none() {
            instance
                .await_hello(Some(Instant::now() + START_TIMEOUT))
                .await?;
        }
        if matches!(function.runtime, Runtime::Http) {
            instance.await_listening().await?;
        }
        Ok(instance)
    }

    /// The address a debugger attaches to, in debug mode.
    #[cfg(test)]
    pub fn debug_address(&self) -> Option<SocketAddr> {
        self.debug
    }

    /// The process (and process group) id.
    pub fn pid(&self) -> i32 {
        self.pid
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
        process::kill_group(self.pid);
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
        if !self.ready && !self.is_dead() {
            self.await_hello(None).await?;
        }

        let mut outcome = None;
        if self.is_dead() {
            // Exited since the last call (or at once, as a broken bootstrap does).
            let status = match self.child.wait().await {
                Ok(status) => status.to_string(),
                Err(e) => e.to_string(),
            };
            self.output.drain_ready();
            outcome = Some(Outcome::fatal(
                4204,
                &format!("runtime process exited ({status})"),
                "RuntimeExited",
            ));
        } else if !self.initialized {
            match self.initialize(&request_id, &version, &call).await? {
                None => self.initialized = true,
                Some(failed) => outcome = Some(failed),
            }
        }
        let began = Instant::now();
        let mut outcome = match outcome {
            Some(failed) => failed,
            None => self.call(&request_id, &version, &call).await?,
        };
        let duration = began.elapsed();
        let mut output = self
            .call_output
            .take()
            .unwrap_or_else(|| self.output.take_all());

        let limit_kb = u64::from(self.function.memory_size) * 1024;
        let mut peak_kb = self.peak_seen_kb;
        if !self.dead {
            peak_kb = peak_kb.max(self.memory.take_peak_kb());
        }
        if outcome.ok && outcome.result.len() > MAX_PAYLOAD {
            let size = outcome.result.len();
            outcome = Outcome::failure(
                4004,
                error_json(
                    "the return value of the function exceeds the maximum allowed limit",
                    "ResponseTooLarge",
                ),
            );
            outcome.note = Some(format!(
                "the return value of the function exceeds the maximum allowed limit: {size} bytes, at most {MAX_PAYLOAD}"
            ));
        }
        if peak_kb > limit_kb && outcome.code != 4205 {
            self.kill().await;
            outcome = Outcome::fatal(4205, "runtime memory limit exceeded", "MemoryLimitExceeded");
        }
        if outcome.code == 4205 {
            outcome.note = Some(format!(
                "runtime memory limit exceeded: the instance used {:.3}MB of {}MB",
                peak_kb as f64 / 1024.0,
                self.function.memory_size
            ));
        }
        if let Some(note) = &outcome.note {
            if !output.is_empty() && !output.ends_with(b"\n") {
                output.push(b'\n');
            }
            output.extend_from_slice(
                log::logger_line(&request_id, "ERROR", note)
                    .trim_end()
                    .as_bytes(),
            );
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
        Ok(Reply {
            log: log::frame(&start, &output, &finish),
            request_id,
            result: outcome.result,
            function_error: !outcome.ok,
            error_code: outcome.code,
            duration,
            billed_ms: log::billed_ms(duration),
            memory_used_mb,
            memory_size_mb: self.function.memory_size,
            retire: outcome.retire || self.dead,
        })
    }

    /// Wait for `done`, reading the output meanwhile, until the process exits, the
    /// deadline passes or (with a limit) its memory goes over the limit.
    async fn wait_for<T>(
        child: &mut tokio::process::Child,
        output: &mut Output,
        memory: Option<(&Memory, u64, &mut u64)>,
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
                    let kb = memory.map_or(0, Memory::current_kb);
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

    /// Wait for the worker's hello: a missing handler function is a setup error.
    async fn await_hello(&mut self, deadline: Option<Instant>) -> Result<(), LocalError> {
        let Backend::Worker(worker) = &mut self.backend else {
            self.ready = true;
            return Ok(());
        };
        let waited = Self::wait_for(
            &mut self.child,
            &mut self.output,
            None,
            deadline,
            worker.hello(),
        )
        .await?;
        let language = match self.function.runtime {
            Runtime::Python { .. } => "Python",
            _ => "Node.js",
        };
        let dir = self.function.dir.display().to_string();
        let failed = |why: String, output: &mut Output| {
            let said = String::from_utf8_lossy(&output.take_all())
                .trim()
                .to_string();
            let mut message = format!("the {language} worker for {dir} {why}");
            if !said.is_empty() {
                message.push_str(&format!("; its output:\n{said}"));
            }
            LocalError::setup(message)
        };
        let hello = match waited {
            Waited::Done(Ok(hello)) => hello,
            Waited::Done(Err(e)) => {
                let _ = self.child.wait().await;
                self.dead = true;
                return Err(failed(
                    format!("stopped before loading the handler ({e})"),
                    &mut self.output,
                ));
            }
            Waited::Exited(status) => {
                self.dead = true;
                return Err(failed(
                    format!("exited before loading the handler ({status})"),
                    &mut self.output,
                ));
            }
            Waited::TimedOut | Waited::OverMemory(_) => {
                self.kill().await;
                return Err(failed(
                    format!(
                        "did not load the handler within {}s",
                        START_TIMEOUT.as_secs()
                    ),
                    &mut self.output,
                ));
            }
        };
        if let Some(setup) = hello.setup {
            self.kill().await;
            return Err(LocalError::setup(format!(
                "{}: {setup}",
                self.function.dir.display()
            )));
        }
        self.ready = true;
        Ok(())
    }

    /// Wait until the HTTP function's server accepts connections on port 8000.
    async fn await_listening(&mut self) -> Result<(), LocalError> {
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            let probe = async {
                if http::listening().await {
                    return true;
                }
                tokio::time::sleep(Duration::from_millis(5)).await;
                false
            };
            match Self::wait_for(
                &mut self.child,
                &mut self.output,
                None,
                Some(deadline),
                probe,
            )
            .await?
            {
                Waited::Done(true) => return Ok(()),
                Waited::Done(false) => {}
                Waited::Exited(status) => {
                    self.dead = true;
                    let said = String::from_utf8_lossy(&self.output.take_all())
                        .trim()
                        .to_string();
                    return Err(LocalError::setup(format!(
                        "{}/bootstrap exited ({status}) before listening on port 8000; its output:\n{said}",
                        self.function.dir.display()
                    )));
                }
                Waited::TimedOut | Waited::OverMemory(_) => {
                    self.kill().await;
                    return Err(LocalError::setup(format!(
                        "{}/bootstrap did not listen on 127.0.0.1:8000 within {}s",
                        self.function.dir.display(),
                        START_TIMEOUT.as_secs()
                    )));
                }
            }
        }
    }

    #[allow(clippy::unused_self)] // one of the worker's message builders
    fn head<'a>(
        &self,
        op: &'static str,
        id: &'a str,
        version: &'a str,
        call: &'a Call,
        marker: &'a str,
        timeout: u32,
    ) -> Head<'a> {
        let creds = call.credentials.as_ref();
        Head {
            op,
            id,
            deadline: epoch_ms(SystemTime::now() + Duration::from_secs(timeout.into())),
            version,
            alias: call.alias.as_deref().unwrap_or(""),
            ak: creds.map_or("", |c| c.access_key.as_str()),
            sk: creds.map_or("", |c| c.secret_key.as_str()),
            st: creds.map_or("", |c| c.security_token.as_str()),
            token: creds.map_or("", |c| c.token.as_str()),
            marker,
            len: if op == "invoke" { call.body.len() } else { 0 },
        }
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
        let head = self.head("init", id, version, call, "", seconds);
        let deadline = self.deadline(seconds);
        let Backend::Worker(worker) = &mut self.backend else {
            return Ok(None);
        };
        let exchange = async {
            worker.send(&head, b"").await?;
            worker.answer().await
        };
        let waited =
            Self::wait_for(&mut self.child, &mut self.output, None, deadline, exchange).await?;
        Ok(match waited {
            Waited::Done(Ok(answer)) if answer.ok => None,
            Waited::Done(Ok(answer)) => Some(Outcome {
                retire: true,
                ..Outcome::failure(answer.code, answer.payload)
            }),
            Waited::Done(Err(e)) => {
                self.kill().await;
                Some(Outcome::fatal(
                    4204,
                    &format!("runtime process exited during the initializer ({e})"),
                    "RuntimeExited",
                ))
            }
            Waited::Exited(status) => {
                self.dead = true;
                Some(Outcome::fatal(
                    4204,
                    &format!("runtime process exited during the initializer ({status})"),
                    "RuntimeExited",
                ))
            }
            Waited::TimedOut | Waited::OverMemory(_) => {
                self.kill().await;
                Some(Outcome::fatal(
                    4009,
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
        let head = self.head("invoke", id, version, call, &marker, seconds);
        let memory = Some((&self.memory, limit_kb, &mut self.peak_seen_kb));
        let ended = match &mut self.backend {
            Backend::Worker(worker) => {
                let exchange = async {
                    worker.send(&head, &call.body).await?;
                    worker.answer().await
                };
                match Self::wait_for(
                    &mut self.child,
                    &mut self.output,
                    memory,
                    deadline,
                    exchange,
                )
                .await?
                {
                    Waited::Done(Ok(answer)) => {
                        self.await_marker(marker.as_bytes()).await?;
                        return Ok(if answer.ok {
                            Outcome::success(answer.payload)
                        } else {
                            Outcome::failure(answer.code, answer.payload)
                        });
                    }
                    Waited::Done(Err(e)) => {
                        Ended::Broke(format!("the worker's control channel broke: {e}"))
                    }
                    other => Ended::from(other),
                }
            }
            Backend::Custom(api) => {
                let (reply, posted) = tokio::sync::oneshot::channel();
                let creds = call.credentials.clone().unwrap_or_default();
                let event = Event {
                    request_id: id.to_string(),
                    body: call.body.clone(),
                    access_key: creds.access_key,
                    secret_key: creds.secret_key,
                    auth_token: creds.token,
                    security_token: creds.security_token,
                    reply,
                };
                if api.push(event).await.is_err() {
                    return Err(LocalError::machine("the runtime API server has stopped"));
                }
                match Self::wait_for(&mut self.child, &mut self.output, memory, deadline, posted)
                    .await?
                {
                    Waited::Done(Ok(Posted::Response(body))) => {
                        self.output.drain_ready();
                        return Ok(Outcome::success(body.to_vec()));
                    }
                    Waited::Done(Ok(Posted::Error(body))) => {
                        self.output.drain_ready();
                        return Ok(Outcome::failure(4002, body.to_vec()));
                    }
                    Waited::Done(Err(_)) => {
                        Ended::Broke("the runtime API server has stopped".to_string())
                    }
                    other => Ended::from(other),
                }
            }
            Backend::Http => {
                let f = &self.function;
                let added = http::Added {
                    request_id: id.to_string(),
                    memory: f.memory_size,
                    timeout: f.timeout,
                    version: version.to_string(),
                    name: f.name.clone(),
                    project_id: self.options.project_id.clone(),
                    package: f.package.clone(),
                    region: self.options.region.clone(),
                    credentials: call
                        .credentials
                        .as_ref()
                        .filter(|_| f.pass_credentials)
                        .map(|c| {
                            [
                                c.token.clone(),
                                c.access_key.clone(),
                                c.secret_key.clone(),
                                c.security_token.clone(),
                            ]
                        }),
                };
                let forward = http::forward(&call.body, &added);
                match Self::wait_for(&mut self.child, &mut self.output, memory, deadline, forward)
                    .await?
                {
                    Waited::Done(Ok(result)) => {
                        self.output.drain_ready();
                        return Ok(Outcome::success(result));
                    }
                    Waited::Done(Err(http::Failure::BadEvent(why))) => {
                        return Ok(Outcome::failure(
                            4002,
                            error_json(
                                &format!("function invocation exception, error: {why}"),
                                "BadEvent",
                            ),
                        ));
                    }
                    Waited::Done(Err(http::Failure::Connection(why))) => {
                        Ended::Broke(format!("the HTTP server did not answer: {why}"))
                    }
                    other => Ended::from(other),
                }
            }
        };
        Ok(self.stopped(ended, seconds).await)
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
                4010,
                &format!("call invoke timeout {seconds}s"),
                "InvokeTimeout",
            ),
            Ended::OverMemory(kb) => {
                self.peak_seen_kb = self.peak_seen_kb.max(kb);
                Outcome::fatal(4205, "runtime memory limit exceeded", "MemoryLimitExceeded")
            }
            Ended::Exited(status) => Outcome::fatal(
                4204,
                &format!("runtime process exited ({status})"),
                "RuntimeExited",
            ),
            Ended::Broke(why) => Outcome::fatal(
                4204,
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

impl Drop for Instance {
    fn drop(&mut self) {
        if !self.dead {
            process::kill_group(self.pid);
            // tokio reaps a dropped child in the background.
            let _ = self.child.start_kill();
        }
    }
}
