//! What to run for each runtime: the interpreter and shim (or Java's launcher), debug
//! flags, a Custom runtime's API server, an HTTP function's start command, a Go function's
//! binary, and the environment.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context as _;

use super::env;
use super::error::{Classify, LocalError, setup_with_hint};
use super::function::{Function, Runtime};
use super::interpreter::{self, Language};
use super::platform;
use super::reply::MAX_PAYLOAD;
use super::runtime::custom::RuntimeApi;
use super::runtime::go;
use super::runtime::http;
use super::runtime::java;
use super::runtime::shim;

/// How an instance is started.
#[derive(Debug, Clone, Default)]
pub struct StartOptions {
    /// Debug mode: listen for a debugger on 127.0.0.1 at this port (0: any free port) and
    /// wait for it before running anything; the timeout is suspended.
    pub debug_port: Option<u16>,
    /// `RUNTIME_PROJECT_ID`, `getProjectID()`, `X-CFF-Project-Id`.
    pub project_id: String,
    /// `X-CFF-Region`.
    pub region: String,
}

/// A directory only this instance uses (`RUNTIME_ROOT`): the shim, `log/`; removed on drop.
pub struct PrivateDir(pub PathBuf);

impl PrivateDir {
    pub fn create() -> Result<PrivateDir, LocalError> {
        let path = std::env::temp_dir().join(format!("fgs-{}", uuid::Uuid::new_v4().simple()));
        platform::create_private_dir(&path)
            .with_context(|| format!("creating {}", path.display()))
            .machine()?;
        let dir = PrivateDir(path);
        std::fs::create_dir(dir.0.join("log"))
            .context("creating the log directory")
            .machine()?;
        Ok(dir)
    }

    pub fn write(&self, name: &str, text: &str) -> Result<PathBuf, LocalError> {
        let path = self.0.join(name);
        std::fs::write(&path, text)
            .with_context(|| format!("writing {}", path.display()))
            .machine()?;
        Ok(path)
    }
}

impl Drop for PrivateDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Everything needed to start an instance's process.
pub struct Launch {
    pub private: PrivateDir,
    pub program: PathBuf,
    pub args: Vec<String>,
    pub env: Vec<(String, String)>,
    /// A Python, Node.js, PHP or Java worker, with the control channel.
    pub worker: bool,
    /// A Custom runtime's API server, already listening.
    pub api: Option<RuntimeApi>,
    /// A Go function's RPC client, for the address the binary is told to listen on.
    pub go: Option<go::Client>,
    pub debug: Option<SocketAddr>,
}

/// Prepare to start `function`: setup errors (port 8000 busy, no debugpy) surface here.
pub async fn prepare(function: &Function, options: &StartOptions) -> Result<Launch, LocalError> {
    let private = PrivateDir::create()?;
    let debug = match options.debug_port {
        None => None,
        Some(port) => Some(debug_address(function, port)?),
    };
    let mut vars: Vec<(String, String)> = env::inherited().collect();
    vars.extend(runtime_env(function, options, &private.0));
    vars.extend(
        function
            .environment
            .iter()
            .map(|(k, v)| (k.clone(), v.clone())),
    );

    let mut args = Vec::new();
    let mut api = None;
    let mut go_client = None;
    let program: PathBuf = match &function.runtime {
        Runtime::Python { .. } | Runtime::Node { .. } | Runtime::Php { .. } => {
            shim_command(function, &private, debug, &mut args)?
        }
        Runtime::Java { .. } => {
            let (java, java_args) = java::command(function, &private.0, debug)?;
            args.extend(java_args);
            java
        }
        Runtime::Custom => {
            let server = RuntimeApi::start()
                .await
                .context("starting the runtime API")
                .machine()?;
            vars.push(("RUNTIME_API_ADDR".into(), server.addr.to_string()));
            api = Some(server);
            let (program, script_args) =
                platform::script_command(&function.dir.join("bootstrap"), true)?;
            args.extend(script_args);
            program
        }
        Runtime::Http => {
            http::check_port_free()?;
            let bootstrap = function.dir.join("bootstrap");
            let text = std::fs::read_to_string(&bootstrap).unwrap_or_default();
            let (program, script_args) = match rewrite_bootstrap(&text, function)? {
                Some(rewritten) => {
                    platform::script_command(&private.write("bootstrap", &rewritten)?, false)?
                }
                None => {
                    platform::script_command(&bootstrap, interpreter::is_executable(&bootstrap))?
                }
            };
            args.extend(script_args);
            program
        }
        Runtime::Go => {
            let addr = go::Client::free_address()
                .context("finding a free port for the function's RPC server")
                .machine()?;
            vars.push(("RUNTIME_API_ADDR".into(), addr.to_string()));
            go_client = Some(go::Client::new(addr));
            let binary = function.go_executable();
            match debug {
                Some(listen) => {
                    args.extend(go::delve_args(&binary, listen));
                    go::find_delve()?
                }
                None => binary,
            }
        }
    };
    let worker = matches!(
        function.runtime,
        Runtime::Python { .. } | Runtime::Node { .. } | Runtime::Php { .. } | Runtime::Java { .. }
    );
    Ok(Launch {
        private,
        program,
        args,
        env: vars,
        worker,
        api,
        go: go_client,
        debug,
    })
}

/// A Python, Node.js or PHP worker: the interpreter on the shim, written to the instance's
/// private directory, under the debugger's flags when one is asked for.
fn shim_command(
    function: &Function,
    private: &PrivateDir,
    debug: Option<SocketAddr>,
    args: &mut Vec<String>,
) -> Result<PathBuf, LocalError> {
    let interpreter = function
        .interpreter
        .as_ref()
        .ok_or_else(|| LocalError::setup("no interpreter was found for this function"))?;
    let (name, text) = match function.runtime {
        Runtime::Python { .. } => ("fgs_worker.py", shim::PYTHON),
        Runtime::Php { .. } => ("fgs_worker.php", shim::PHP),
        _ => ("fgs_worker.js", shim::NODE),
    };
    let script = private.write(name, text)?.display().to_string();
    match (&function.runtime, debug) {
        (Runtime::Python { .. }, Some(addr)) => {
            check_debugpy(&interpreter.path)?;
            args.extend(["-m", "debugpy", "--listen"].map(String::from));
            args.push(addr.to_string());
            args.push("--wait-for-client".into());
        }
        (_, Some(addr)) => args.push(format!("--inspect-brk={addr}")),
        _ => {}
    }
    args.push(script);
    Ok(interpreter.path.clone())
}

/// The service's `RUNTIME_*` variables for `function`.
fn runtime_env(function: &Function, options: &StartOptions, root: &Path) -> Vec<(String, String)> {
    let mut vars = vec![
        ("RUNTIME_PROJECT_ID", options.project_id.clone()),
        ("RUNTIME_FUNC_NAME", function.name.clone()),
        ("RUNTIME_FUNC_VERSION", function.version.clone()),
        ("RUNTIME_PACKAGE", function.package.clone()),
        ("RUNTIME_HANDLER", function.handler.clone()),
        ("RUNTIME_TIMEOUT", function.timeout.to_string()),
        (
            "RUNTIME_USERDATA",
            env::userdata_json(&function.environment),
        ),
        ("RUNTIME_CPU", function.cpu_millicores().to_string()),
        ("RUNTIME_MEMORY", function.memory_size.to_string()),
        ("RUNTIME_MAX_RESP_BODY_SIZE", MAX_PAYLOAD.to_string()),
        ("RUNTIME_CODE_ROOT", function.dir.display().to_string()),
        ("RUNTIME_ROOT", root.display().to_string()),
        ("RUNTIME_LOG_DIR", root.join("log").display().to_string()),
    ];
    if let Some(initializer) = &function.initializer {
        vars.push(("RUNTIME_INITIALIZER_HANDLER", initializer.clone()));
        vars.push((
            "RUNTIME_INITIALIZER_TIMEOUT",
            function.initializer_timeout.to_string(),
        ));
    }
    debug_assert!(vars.iter().all(|(k, _)| env::PRESET.contains(k)));
    vars.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

/// 127.0.0.1:`port`, or a free port when `port` is 0; only Python, Node.js, Java and Go
/// functions.
fn debug_address(function: &Function, port: u16) -> Result<SocketAddr, LocalError> {
    if !matches!(
        function.runtime,
        Runtime::Python { .. } | Runtime::Node { .. } | Runtime::Go | Runtime::Java { .. }
    ) {
        return Err(LocalError::setup(format!(
            "debug mode is for Python, Node.js, Java and Go functions, not {}",
            function.runtime
        )));
    }
    let port = match port {
        0 => std::net::TcpListener::bind(("127.0.0.1", 0))
            .and_then(|l| l.local_addr())
            .context("finding a free port for the debugger")
            .machine()?
            .port(),
        port => port,
    };
    Ok(SocketAddr::from(([127, 0, 0, 1], port)))
}

/// What debug mode needs, checked before fgs says it waits for a debugger: a Python,
/// Node.js or Go function, debugpy for Python, Delve for Go.
pub fn check_debugger(function: &Function) -> Result<(), LocalError> {
    debug_address(function, 0)?;
    match (&function.runtime, &function.interpreter) {
        (Runtime::Python { .. }, Some(interpreter)) => check_debugpy(&interpreter.path),
        (Runtime::Go, _) => go::find_delve().map(|_| ()),
        _ => Ok(()),
    }
}

/// What to say in debug mode besides the address a debugger attaches to: for a Go
/// function, the Delve command fgs runs and how to connect to it; for Java, how to attach.
pub fn debug_note(function: &Function, port: u16) -> Option<String> {
    let listen = SocketAddr::from(([127, 0, 0, 1], port));
    if matches!(function.runtime, Runtime::Java { .. }) {
        return Some(format!(
            "the JVM waits, suspended, for a JDWP debugger: `jdb -attach {listen}` (then `run`), or an editor's remote JVM debug on {listen}\n"
        ));
    }
    if function.runtime != Runtime::Go {
        return None;
    }
    let args = go::delve_args(&function.go_executable(), listen);
    Some(format!(
        "the Go function runs under Delve: dlv {}\nconnect with `dlv connect {listen}` (or an editor's remote attach to {listen}) and continue\n",
        args.join(" ")
    ))
}

fn check_debugpy(python: &Path) -> Result<(), LocalError> {
    let found = std::process::Command::new(python)
        .args(["-c", "import debugpy"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if found {
        Ok(())
    } else {
        Err(setup_with_hint(
            format!("debugpy is not installed for {}", python.display()),
            format!("{} -m pip install debugpy", python.display()),
        ))
    }
}

/// An HTTP function's `bootstrap` names the cloud's interpreters
/// (`/opt/function/runtime/python3.10/rtsp/python/bin/python3`,
/// `/opt/function/runtime/nodejs20.15/rtsp/nodejs/bin/node`,
/// `/opt/function/runtime/java17/rtsp/jre/bin/java`): point them at this machine's.
/// `None` when there is nothing to change.
fn rewrite_bootstrap(text: &str, function: &Function) -> Result<Option<String>, LocalError> {
    const ROOT: &str = "/opt/function/runtime/";
    if !text.contains(ROOT) {
        return Ok(None);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(ROOT) {
        out.push_str(&rest[..at]);
        let token_len = rest[at..]
            .find(|c: char| c.is_whitespace() || "\"';&|()<>`".contains(c))
            .unwrap_or(rest.len() - at);
        let token = &rest[at..at + token_len];
        let language = if token.ends_with("/bin/python3") || token.ends_with("/bin/python") {
            Some(Language::Python)
        } else if token.ends_with("/bin/node") {
            Some(Language::Node)
        } else if token.ends_with("/bin/php") {
            Some(Language::Php)
        } else if token.ends_with("/bin/java") {
            Some(Language::Java)
        } else {
            None
        };
        match language {
            Some(language) => {
                let configured = function.interpreters.configured(language);
                let found = interpreter::find(language, configured, &function.dir, false)?;
                out.push_str(&platform::shell_path(&found.path));
            }
            None => out.push_str(token),
        }
        rest = &rest[at + token_len..];
    }
    out.push_str(rest);
    Ok(Some(out))
}
