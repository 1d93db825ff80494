//! A function directory: `function.toml` with the service's defaults, runtime detection,
//! and every check that can be made before anything runs.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use serde::Deserialize;

use super::env;
use super::error::{Classify, LocalError};
use super::interpreter::{self, Interpreter, Interpreters, Language};
use super::platform;
use crate::urn::Urn;

/// The memory sizes the service offers, in MB.
pub const MEMORY_SIZES: &[u32] = &[
    128, 256, 512, 768, 1024, 1280, 1536, 1792, 2048, 2560, 3072, 3584, 4096, 8192, 10240,
];

/// The service's timeout range, in seconds.
pub const TIMEOUT_RANGE: std::ops::RangeInclusive<u32> = 3..=259_200;

/// The service's initializer timeout range, in seconds.
pub const INITIALIZER_TIMEOUT_RANGE: std::ops::RangeInclusive<u32> = 1..=300;

/// The service's limit on user variables, keys and values together, in characters.
const USER_VARIABLES_LIMIT: usize = 4096;

/// The runtimes that can run on this machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Runtime {
    /// `Python3.10` etc.; `version` is `None` when detected from `index.py`.
    Python { version: Option<String> },
    /// `Node.js20.15` etc.; `version` is `None` when detected from `index.js`.
    Node { version: Option<String> },
    /// `PHP7.3`, `PHP8.3`; `version` is `None` when detected from `index.php`.
    Php { version: Option<String> },
    /// `Custom`: an executable `bootstrap` that speaks the runtime API.
    Custom,
    /// `http`: `bootstrap` starts an HTTP server on port 8000.
    Http,
    /// `Java8`, `Java11`, `Java17`, `Java21`: `version` is the number.
    Java { version: String },
    /// `Go1.x`: the handler names the function's executable, which serves Go's net/rpc.
    Go,
}

impl fmt::Display for Runtime {
    /// The service's name for it (`Python3.10`, `Node.js20.15`, `PHP8.3`, `Custom`, `http`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Runtime::Python { version } => write!(f, "Python{}", version.as_deref().unwrap_or("3")),
            Runtime::Node { version } => write!(f, "Node.js{}", version.as_deref().unwrap_or("")),
            Runtime::Php { version } => write!(f, "PHP{}", version.as_deref().unwrap_or("")),
            Runtime::Custom => f.write_str("Custom"),
            Runtime::Http => f.write_str("http"),
            Runtime::Java { version } => write!(f, "Java{version}"),
            Runtime::Go => f.write_str("Go1.x"),
        }
    }
}

impl Runtime {
    /// Parse the service's runtime name.
    pub fn parse(name: &str) -> Result<Runtime, LocalError> {
        let lower = name.to_ascii_lowercase();
        let version = |rest: &str| -> Result<String, LocalError> {
            let parts: Vec<&str> = rest.split('.').collect();
            if parts.len() == 2
                && parts
                    .iter()
                    .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
            {
                Ok(rest.to_string())
            } else {
                Err(LocalError::setup(format!(
                    "runtime {name:?}: expected a version like Python3.10 or Node.js20.15"
                )))
            }
        };
        if lower == "custom" {
            return Ok(Runtime::Custom);
        }
        if lower == "http" {
            return Ok(Runtime::Http);
        }
        if lower == "go1.x" {
            return Ok(Runtime::Go);
        }
        // What the serve banner shows for a runtime detected from the files.
        if lower == "python3" {
            return Ok(Runtime::Python { version: None });
        }
        if lower == "node.js" {
            return Ok(Runtime::Node { version: None });
        }
        if lower == "php" {
            return Ok(Runtime::Php { version: None });
        }
        if let Some(rest) = lower.strip_prefix("python") {
            let v = version(rest)?;
            if !v.starts_with("3.") {
                return Err(LocalError::setup(format!(
                    "runtime {name} is not supported locally: only Python 3 runtimes can run on this machine"
                )));
            }
            return Ok(Runtime::Python { version: Some(v) });
        }
        if let Some(rest) = lower.strip_prefix("node.js") {
            return Ok(Runtime::Node {
                version: Some(version(rest)?),
            });
        }
        if let Some(rest) = lower.strip_prefix("php") {
            return Ok(Runtime::Php {
                version: Some(version(rest)?),
            });
        }
        if let Some(rest) = lower.strip_prefix("java") {
            return match rest {
                "8" | "11" | "17" | "21" => Ok(Runtime::Java {
                    version: rest.to_string(),
                }),
                _ => Err(LocalError::setup(format!(
                    "runtime {name:?}: the service's Java runtimes are Java8, Java11, Java17 and Java21"
                ))),
            };
        }
        #[allow(clippy::items_after_statements)] // the list reads best where it is used
        const ELSEWHERE: &[&str] = &["c#", "cangjie", "custom image"];
        if ELSEWHERE.iter().any(|p| lower.starts_with(p)) {
            return Err(LocalError::setup(format!(
                "runtime {name} is not supported locally: only Python 3, Node.js, Java, Go1.x, PHP, Custom and http functions can run on this machine"
            )));
        }
        if lower.starts_with("go") {
            return Err(LocalError::setup(format!(
                "runtime {name} is not supported locally: Go functions run as Go1.x"
            )));
        }
        Err(LocalError::setup(format!(
            "unknown runtime {name:?}: expected one of Python3.x (e.g. Python3.10), Node.jsX.Y (e.g. Node.js20.15), JavaN (e.g. Java17), Go1.x, PHPX.Y (e.g. PHP8.3), Custom, http"
        )))
    }

    pub(super) fn language(&self) -> Option<Language> {
        match self {
            Runtime::Python { .. } => Some(Language::Python),
            Runtime::Node { .. } => Some(Language::Node),
            Runtime::Php { .. } => Some(Language::Php),
            Runtime::Java { .. } => Some(Language::Java),
            Runtime::Custom | Runtime::Http | Runtime::Go => None,
        }
    }

    fn version(&self) -> Option<&str> {
        match self {
            Runtime::Python { version } | Runtime::Node { version } | Runtime::Php { version } => {
                version.as_deref()
            }
            Runtime::Java { version } => Some(version),
            Runtime::Custom | Runtime::Http | Runtime::Go => None,
        }
    }

    /// The service's default memory (MB) and timeout (s): Java's are larger.
    fn default_limits(&self) -> (u32, u32) {
        match self {
            Runtime::Java { .. } => (512, 15),
            _ => (128, 3),
        }
    }
}

/// Extra user variables for one run, applied over `[environment]`: first the dotenv file,
/// then the `K=V` list.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub env: Vec<String>,
    pub env_file: Option<PathBuf>,
}

/// A function, checked and with the service's defaults filled in.
#[derive(Debug, Clone)]
pub struct Function {
    /// The function directory, absolute (`RUNTIME_CODE_ROOT`).
    pub dir: PathBuf,
    pub name: String,
    pub package: String,
    pub runtime: Runtime,
    pub handler: String,
    pub initializer: Option<String>,
    /// Seconds.
    pub initializer_timeout: u32,
    /// MB.
    pub memory_size: u32,
    /// Seconds.
    pub timeout: u32,
    /// The user variables, overrides applied.
    pub environment: BTreeMap<String, String>,
    pub version: String,
    pub pass_credentials: bool,
    /// The interpreter Python, Node.js and PHP functions run with.
    pub interpreter: Option<Interpreter>,
    /// The handler's file, relative to `dir` (Python, Node.js and PHP).
    #[cfg_attr(not(test), allow(dead_code))]
    // what the handler resolved to; the tests check it
    pub handler_file: Option<PathBuf>,
    /// The interpreters as configured, for an HTTP function's `bootstrap`.
    pub interpreters: Interpreters,
    /// Java: `classpath` of function.toml, absolute, after the function's own code.
    pub classpath: Vec<PathBuf>,
    /// Java: `gson` of function.toml, absolute: the Gson jar used when the function's
    /// classpath has none.
    pub gson: Option<PathBuf>,
}

/// `function.toml` as written; every key optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FunctionToml {
    name: Option<String>,
    package: Option<String>,
    runtime: Option<String>,
    handler: Option<String>,
    initializer: Option<String>,
    initializer_timeout: Option<u32>,
    memory_size: Option<u32>,
    timeout: Option<u32>,
    #[serde(default)]
    environment: BTreeMap<String, String>,
    version: Option<String>,
    pass_credentials: Option<bool>,
    classpath: Option<Vec<String>>,
    gson: Option<String>,
}

const NODE_EXTENSIONS: &[&str] = &["js", "mjs", "cjs"];

impl Function {
    /// The function's URN in `project` of `region`, naming no version.
    pub fn urn(&self, region: &str, project: &str) -> Urn {
        Urn {
            region: region.to_string(),
            project_id: project.to_string(),
            package: self.package.clone(),
            name: self.name.clone(),
            qualifier: None,
        }
    }

    /// Read and check the function in `dir`. The strings returned are warnings to show (an
    /// interpreter whose version differs from the runtime's, say); they do not stop the run.
    pub fn load(
        dir: &Path,
        overrides: &Overrides,
        interpreters: &Interpreters,
    ) -> Result<(Function, Vec<String>), LocalError> {
        let mut loader = Loader::open(dir)?;
        let FunctionToml {
            name,
            package,
            runtime,
            handler,
            initializer,
            initializer_timeout,
            memory_size,
            timeout,
            environment,
            version,
            pass_credentials,
            classpath,
            gson,
        } = loader.read_toml()?;
        let (runtime, handler) = loader.runtime(runtime.as_deref(), handler)?;
        let (name, package, version) = loader.names(name, package, version)?;
        let limits = loader.limits(
            &runtime,
            memory_size,
            timeout,
            initializer_timeout,
            initializer.is_some(),
        )?;
        let (classpath, gson) = loader.java_classpath(&runtime, classpath, gson)?;
        let handler_file = loader.code(
            &runtime,
            &handler,
            initializer.as_deref(),
            !classpath.is_empty(),
        )?;
        let environment = loader.environment(environment, overrides)?;
        let interpreter = loader.interpreter(&runtime, interpreters)?;
        let function = Function {
            dir: loader.dir,
            name,
            package,
            runtime,
            handler,
            initializer,
            initializer_timeout: limits.initializer_timeout,
            memory_size: limits.memory_size,
            timeout: limits.timeout,
            environment,
            version,
            pass_credentials: pass_credentials.unwrap_or(false),
            interpreter,
            handler_file,
            interpreters: interpreters.clone(),
            classpath,
            gson,
        };
        Ok((function, loader.warnings))
    }

    /// An HTTP function: its server listens on port 8000, the one port they all share.
    pub fn is_http(&self) -> bool {
        self.runtime == Runtime::Http
    }

    /// The service refuses asynchronous calls to HTTP functions (runtime reference, HTTP
    /// functions): the error code and message of that refusal, which `fgs serve` answers
    /// with HTTP 400 and `invoke --local --async` reports; `None` for other runtimes.
    pub fn async_refusal(&self) -> Option<(&'static str, String)> {
        self.is_http().then(|| {
            (
                "FSS.0400",
                format!(
                    "{} is an HTTP function, and HTTP functions cannot be invoked asynchronously: invoke it synchronously",
                    self.name
                ),
            )
        })
    }

    /// A Go function's executable: the file its handler names (`handler.exe` for `handler`
    /// on Windows, where Go builds that).
    pub fn go_executable(&self) -> PathBuf {
        go_executable(&self.dir, &self.handler)
    }

    /// `RUNTIME_CPU`: millicores, 200 plus 100 per 128 MB, as the service scales it.
    pub fn cpu_millicores(&self) -> u32 {
        200 + self.memory_size / 128 * 100
    }
}

/// A function directory being loaded, one check at a time: where it is, its
/// `function.toml`, and the warnings so far.
struct Loader {
    /// Absolute.
    dir: PathBuf,
    toml_path: PathBuf,
    warnings: Vec<String>,
}

/// The service's limits a function sets, checked.
struct Limits {
    memory_size: u32,
    timeout: u32,
    initializer_timeout: u32,
}

impl Loader {
    fn open(dir: &Path) -> Result<Loader, LocalError> {
        let dir = platform::canonical_dir(dir)
            .with_context(|| format!("function directory {}", dir.display()))
            .setup()?;
        if !dir.is_dir() {
            return Err(LocalError::setup(format!(
                "{} is not a directory",
                dir.display()
            )));
        }
        Ok(Loader {
            toml_path: dir.join("function.toml"),
            dir,
            warnings: Vec::new(),
        })
    }

    /// A bad value in `function.toml`.
    fn bad(&self, key: &str, why: impl fmt::Display) -> LocalError {
        LocalError::setup(format!("{}: {key}: {why}", self.toml_path.display()))
    }

    /// `function.toml`, or every default when there is none.
    fn read_toml(&self) -> Result<FunctionToml, LocalError> {
        match crate::config_file::read_limited_text(&self.toml_path) {
            Ok(text) => {
                self.check_types(&text)?;
                toml::from_str(&text)
                    .with_context(|| format!("reading {}", self.toml_path.display()))
                    .setup()
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(FunctionToml::default()),
            Err(e) => Err(e)
                .with_context(|| format!("reading {}", self.toml_path.display()))
                .setup(),
        }
    }

    /// A key of the wrong type, said with what the key means and the values it takes.
    fn check_types(&self, text: &str) -> Result<(), LocalError> {
        let Ok(table) = text.parse::<toml::Table>() else {
            return Ok(()); // the typed read says where the syntax is wrong
        };
        for (key, value) in &table {
            let (wanted, ok): (&str, bool) = match key.as_str() {
                "memory_size" => (
                    "the memory in MB: one of 128, 256, 512, 768, 1024, 1280, 1536, 1792, 2048, 2560, 3072, 3584, 4096, 8192, 10240",
                    value.as_integer().is_some_and(|n| u32::try_from(n).is_ok()),
                ),
                "timeout" => (
                    "the timeout in seconds: a whole number from 3 to 259200",
                    value.as_integer().is_some_and(|n| u32::try_from(n).is_ok()),
                ),
                "initializer_timeout" => (
                    "the initializer's timeout in seconds: a whole number from 1 to 300",
                    value.as_integer().is_some_and(|n| u32::try_from(n).is_ok()),
                ),
                "pass_credentials" => (
                    "whether the caller's credentials are passed to the function: true or false",
                    value.is_bool(),
                ),
                "name" | "package" | "runtime" | "handler" | "initializer" | "version" => {
                    ("a string in quotes", value.is_str())
                }
                "gson" => ("the path of a Gson jar, in quotes", value.is_str()),
                "classpath" => (
                    "a list of paths in quotes (jars, directories, dir/*)",
                    value
                        .as_array()
                        .is_some_and(|list| list.iter().all(toml::Value::is_str)),
                ),
                _ => continue,
            };
            if !ok {
                return Err(self.bad(key, format!("{wanted}, not {}", shown_value(value))));
            }
        }
        Ok(())
    }

    /// The runtime, given or detected, and the handler, given or the runtime's default.
    fn runtime(
        &self,
        runtime: Option<&str>,
        handler: Option<String>,
    ) -> Result<(Runtime, String), LocalError> {
        let runtime = match runtime {
            Some(name) => Runtime::parse(name).map_err(|e| self.bad("runtime", e))?,
            None => detect(&self.dir, handler.as_deref())?,
        };
        if matches!(runtime, Runtime::Java { .. }) && handler.is_none() {
            return Err(self.bad(
                "handler",
                format!("runtime {runtime} needs one, naming the method as package.Class.method"),
            ));
        }
        let handler = handler.unwrap_or_else(|| {
            match runtime {
                Runtime::Custom | Runtime::Http => "bootstrap",
                Runtime::Go => "handler",
                _ => "index.handler",
            }
            .to_string()
        });
        Ok((runtime, handler))
    }

    /// The function's name (the directory's by default), package and version.
    fn names(
        &self,
        name: Option<String>,
        package: Option<String>,
        version: Option<String>,
    ) -> Result<(String, String, String), LocalError> {
        let name = match name {
            Some(name) => {
                check_function_name(&name).map_err(|why| self.bad("name", why))?;
                name
            }
            None => self.dir.file_name().map_or_else(
                || "function".to_string(),
                |n| n.to_string_lossy().into_owned(),
            ),
        };
        let package = package.unwrap_or_else(|| "default".to_string());
        if package.is_empty() {
            return Err(self.bad("package", "must not be empty"));
        }
        let version = version.unwrap_or_else(|| "latest".to_string());
        if version.is_empty() || version.chars().any(char::is_whitespace) {
            return Err(self.bad("version", format!("{version:?} is not a version name")));
        }
        Ok((name, package, version))
    }

    /// Memory and timeouts, with the service's defaults and within its ranges.
    fn limits(
        &mut self,
        runtime: &Runtime,
        memory_size: Option<u32>,
        timeout: Option<u32>,
        initializer_timeout: Option<u32>,
        has_initializer: bool,
    ) -> Result<Limits, LocalError> {
        let (default_memory, default_timeout) = runtime.default_limits();
        let memory_size = memory_size.unwrap_or(default_memory);
        if !MEMORY_SIZES.contains(&memory_size) {
            return Err(self.bad(
                "memory_size",
                format!("{memory_size} MB is not one of the service's sizes: {MEMORY_SIZES:?}"),
            ));
        }
        let timeout = timeout.unwrap_or(default_timeout);
        if !TIMEOUT_RANGE.contains(&timeout) {
            return Err(self.bad(
                "timeout",
                format!("{timeout} s is outside the service's range of 3 to 259200 s"),
            ));
        }
        let given = initializer_timeout.is_some();
        let initializer_timeout = initializer_timeout.unwrap_or(timeout.min(300));
        if !INITIALIZER_TIMEOUT_RANGE.contains(&initializer_timeout) {
            return Err(self.bad(
                "initializer_timeout",
                format!("{initializer_timeout} s is outside the service's range of 1 to 300 s"),
            ));
        }
        if given && !has_initializer {
            self.warnings.push(format!(
                "{}: initializer_timeout is set but there is no initializer",
                self.toml_path.display()
            ));
        }
        Ok(Limits {
            memory_size,
            timeout,
            initializer_timeout,
        })
    }

    /// The code the runtime runs exists: the handler's (and initializer's) file for Python
    /// and Node.js, whose path is returned; `bootstrap` for Custom and http; a jar, classes
    /// or a classpath for Java.
    fn code(
        &mut self,
        runtime: &Runtime,
        handler: &str,
        initializer: Option<&str>,
        has_classpath: bool,
    ) -> Result<Option<PathBuf>, LocalError> {
        if let Runtime::Java { .. } = runtime {
            self.java_code(runtime, handler, initializer, has_classpath)?;
            return Ok(None);
        }
        if let Some(language) = runtime.language() {
            let (file, _) = entry_point(&self.dir, handler, language)
                .map_err(|why| self.bad("handler", why))?;
            if let Some(init) = initializer {
                entry_point(&self.dir, init, language)
                    .map_err(|why| self.bad("initializer", why))?;
            }
            return Ok(Some(file));
        }
        if *runtime == Runtime::Go {
            self.go_binary(handler)?;
            if initializer.is_some() {
                self.warnings.push(format!(
                    "{}: initializer is ignored for {runtime} functions",
                    self.toml_path.display()
                ));
            }
            return Ok(None);
        }
        let bootstrap = self.dir.join("bootstrap");
        if !bootstrap.is_file() {
            return Err(LocalError::setup(format!(
                "runtime {runtime} needs a file named bootstrap in {}",
                self.dir.display()
            )));
        }
        if *runtime == Runtime::Custom && !interpreter::is_executable(&bootstrap) {
            return Err(LocalError::setup(format!(
                "{} is not executable (chmod +x bootstrap): a Custom runtime runs it",
                bootstrap.display()
            )));
        }
        if initializer.is_some() {
            self.warnings.push(format!(
                "{}: initializer is ignored for {runtime} functions",
                self.toml_path.display()
            ));
        }
        Ok(None)
    }

    /// A Java function's handler and initializer are `package.Class.method`, and its code
    /// is there: a jar (at the top or in `lib/`), the handler's class file, or a
    /// `classpath` to find it on.
    fn java_code(
        &self,
        runtime: &Runtime,
        handler: &str,
        initializer: Option<&str>,
        has_classpath: bool,
    ) -> Result<(), LocalError> {
        let class = java_entry_point(handler).map_err(|why| self.bad("handler", why))?;
        if let Some(init) = initializer {
            java_entry_point(init).map_err(|why| self.bad("initializer", why))?;
        }
        let class_file = self.dir.join(format!("{}.class", class.replace('.', "/")));
        if class_file.is_file()
            || !jars_in(&self.dir).is_empty()
            || !jars_in(&self.dir.join("lib")).is_empty()
            || has_classpath
        {
            return Ok(());
        }
        Err(LocalError::setup(format!(
            "runtime {runtime} needs the function's code in {}: a jar, or the handler's class file {} (with the jars it needs in lib/), or a classpath in function.toml",
            self.dir.display(),
            class_file
                .strip_prefix(&self.dir)
                .unwrap_or(&class_file)
                .display()
        )))
    }

    /// `classpath` and `gson` of a Java function, absolute and checked; elsewhere a warning.
    fn java_classpath(
        &mut self,
        runtime: &Runtime,
        classpath: Option<Vec<String>>,
        gson: Option<String>,
    ) -> Result<(Vec<PathBuf>, Option<PathBuf>), LocalError> {
        if !matches!(runtime, Runtime::Java { .. }) {
            for (key, set) in [("classpath", classpath.is_some()), ("gson", gson.is_some())] {
                if set {
                    self.warnings.push(format!(
                        "{}: {key} is only for Java functions; ignored for {runtime}",
                        self.toml_path.display()
                    ));
                }
            }
            return Ok((Vec::new(), None));
        }
        let mut paths = Vec::new();
        for entry in classpath.unwrap_or_default() {
            let path = self.dir.join(&entry);
            // `dir/*`: every jar in dir, as java's own -cp reads it.
            let exists = match entry.strip_suffix('*') {
                Some(parent) => self.dir.join(parent).is_dir(),
                None => path.exists(),
            };
            if !exists {
                return Err(self.bad(
                    "classpath",
                    format!("{entry:?} is not in {}", self.dir.display()),
                ));
            }
            paths.push(path);
        }
        let gson = match gson {
            Some(jar) => {
                let path = self.dir.join(&jar);
                if !path.is_file() {
                    return Err(self.bad("gson", format!("{jar:?} is not a file")));
                }
                Some(path)
            }
            None => None,
        };
        Ok((paths, gson))
    }

    /// A Go function's handler: an executable in the function directory.
    fn go_binary(&self, handler: &str) -> Result<(), LocalError> {
        let relative = Path::new(handler);
        if handler.is_empty()
            || relative.is_absolute()
            || relative.components().count() != 1
            || relative
                .components()
                .any(|c| !matches!(c, std::path::Component::Normal(_)))
        {
            return Err(self.bad(
                "handler",
                format!("{handler:?}: a Go1.x function's handler is the name of its executable, a file in the function directory"),
            ));
        }
        let binary = go_executable(&self.dir, handler);
        if !binary.is_file() {
            let message = format!(
                "{}: handler: {} is not there: a Go1.x function's handler names its executable",
                self.toml_path.display(),
                binary.display()
            );
            return Err(if self.dir.join("go.mod").is_file() {
                super::error::setup_with_hint(
                    message,
                    format!(
                        "build it: cd {} && go build -o {handler}",
                        self.dir.display()
                    ),
                )
            } else {
                LocalError::setup(message)
            });
        }
        if !interpreter::is_executable(&binary) {
            return Err(self.bad(
                "handler",
                format!(
                    "{} is not executable (chmod +x {handler}): a Go1.x function runs it",
                    binary.display()
                ),
            ));
        }
        Ok(())
    }

    /// `[environment]` with the overrides applied: the dotenv file, then `K=V`s.
    fn environment(
        &mut self,
        given: BTreeMap<String, String>,
        overrides: &Overrides,
    ) -> Result<BTreeMap<String, String>, LocalError> {
        let mut environment = BTreeMap::new();
        for (k, v) in given {
            env::check_name(&k, &format!("{} [environment]", self.toml_path.display()))?;
            environment.insert(k, v);
        }
        if let Some(file) = &overrides.env_file {
            environment.extend(env::read_dotenv(file)?);
        }
        for assignment in &overrides.env {
            let (k, v) = env::parse_assignment(assignment)?;
            environment.insert(k, v);
        }
        let size: usize = environment
            .iter()
            .map(|(k, v)| k.chars().count() + v.chars().count())
            .sum();
        if size > USER_VARIABLES_LIMIT {
            self.warnings.push(format!(
                "the user variables hold {size} characters; the service allows {USER_VARIABLES_LIMIT}"
            ));
        }
        Ok(environment)
    }

    /// The interpreter a Python or Node.js function runs with; a version other than the
    /// runtime's is a warning.
    fn interpreter(
        &mut self,
        runtime: &Runtime,
        interpreters: &Interpreters,
    ) -> Result<Option<Interpreter>, LocalError> {
        let Some(language) = runtime.language() else {
            return Ok(None);
        };
        let configured = interpreters.configured(language);
        let wanted = runtime.version();
        let found = interpreter::find(language, configured, &self.dir, wanted.is_some())?;
        if let (Some(wanted), Some(have)) = (wanted, found.version.as_deref())
            && !same_release(language, wanted, have)
        {
            self.warnings.push(format!(
                "runtime {runtime} but {} is version {have}; running with it anyway",
                found.path.display(),
            ));
        }
        Ok(Some(found))
    }
}

/// Whether an interpreter of version `have` (`3.11.7`, `20.20.2`) is of the release the
/// runtime's version `wanted` (`3.11`, `20.15`) names: the same major and minor version for
/// Python and PHP, where a minor version changes the language; the same major version for Node.js,
/// whose runtimes name a release line (`Node.js20.15` is Node.js 20, and 20.20 runs what
/// 20.15 runs). A patch level never matters. Java names its major version alone
/// (`Java17` is 17.x; `Java8` is 1.8.x).
fn same_release(language: Language, wanted: &str, have: &str) -> bool {
    let parts = match language {
        Language::Python | Language::Php => 2,
        Language::Node => 1,
        Language::Java => {
            let major = have.strip_prefix("1.").unwrap_or(have);
            return major.split(['.', '_', '+', '-']).next() == Some(wanted);
        }
    };
    let release = |v: &str| v.split('.').take(parts).collect::<Vec<_>>().join(".");
    release(wanted) == release(have)
}

/// A `function.toml` value as an error names it: `"10"`, `-1`, `a table`.
fn shown_value(value: &toml::Value) -> String {
    match value {
        toml::Value::Table(_) => "a table".to_string(),
        toml::Value::Array(_) => "a list".to_string(),
        other => other.to_string(),
    }
}

/// The service's function-name rule: letters, digits, `_` and `-`, starting with a letter,
/// at most 60 characters.
fn check_function_name(name: &str) -> Result<(), String> {
    let mut chars = name.chars();
    let ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && name.len() <= 60;
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{name:?} is not a function name: 1 to 60 letters, digits, _ or -, starting with a letter"
        ))
    }
}

/// `src/index.handler` → (`src/index.py`, `handler`), checking that the file exists.
fn entry_point(dir: &Path, spec: &str, language: Language) -> Result<(PathBuf, String), String> {
    let (file, function) = spec
        .rsplit_once('.')
        .filter(|(f, n)| !f.is_empty() && !n.is_empty())
        .ok_or_else(|| format!("{spec:?} is not of the form FILE.FUNCTION (e.g. index.handler)"))?;
    let identifier = function
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_' || c == '$')
        && function
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '$');
    if !identifier {
        return Err(format!("{spec:?}: {function:?} is not a function name"));
    }
    let relative = Path::new(file);
    if relative.is_absolute()
        || relative
            .components()
            .any(|c| matches!(c, std::path::Component::ParentDir))
    {
        return Err(format!(
            "{spec:?}: the file must be inside the function directory"
        ));
    }
    let extensions: &[&str] = match language {
        Language::Python => &["py"],
        Language::Node => NODE_EXTENSIONS,
        Language::Php => &["php"],
        Language::Java => unreachable!("a Java handler names a class: see java_code"),
    };
    let found = extensions
        .iter()
        .map(|ext| PathBuf::from(format!("{file}.{ext}")))
        .find(|p| dir.join(p).is_file());
    match found {
        Some(path) => Ok((path, function.to_string())),
        None => Err(format!(
            "{spec:?} names {}, which is not in {}",
            extensions
                .iter()
                .map(|e| format!("{file}.{e}"))
                .collect::<Vec<_>>()
                .join(" or "),
            dir.display()
        )),
    }
}

/// `com.example.Hello.handler` → `com.example.Hello`, checking that each part is a Java
/// name.
fn java_entry_point(spec: &str) -> Result<String, String> {
    let form = || {
        format!("{spec:?} is not of the form package.Class.method (e.g. com.example.Hello.handler)")
    };
    let (class, method) = spec.rsplit_once('.').ok_or_else(form)?;
    let name = |part: &str| {
        part.chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_' || c == '$')
            && part
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '$')
    };
    if !name(method) || !class.split('.').all(name) {
        return Err(form());
    }
    Ok(class.to_string())
}

fn go_executable(dir: &Path, handler: &str) -> PathBuf {
    platform::program_names(handler)
        .into_iter()
        .map(|name| dir.join(name))
        .find(|path| path.is_file())
        .unwrap_or_else(|| dir.join(handler))
}

/// The `*.jar` files in `dir`, sorted.
pub(super) fn jars_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut jars: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "jar"))
        .collect();
    jars.sort();
    jars
}

/// The runtime of a directory whose `function.toml` does not say.
fn detect(dir: &Path, handler: Option<&str>) -> Result<Runtime, LocalError> {
    let bootstrap = dir.join("bootstrap");
    if interpreter::is_executable(&bootstrap) {
        return Ok(Runtime::Custom);
    }
    let stem = handler
        .and_then(|h| h.rsplit_once('.'))
        .map_or("index", |(file, _)| file);
    let python = dir.join(format!("{stem}.py")).is_file();
    let node = NODE_EXTENSIONS
        .iter()
        .any(|ext| dir.join(format!("{stem}.{ext}")).is_file());
    let php = dir.join(format!("{stem}.php")).is_file();
    match (python, node, php) {
        (true, false, false) => Ok(Runtime::Python { version: None }),
        (false, true, false) => Ok(Runtime::Node { version: None }),
        (false, false, true) => Ok(Runtime::Php { version: None }),
        (false, false, false) => {
            let mut message = format!(
                "cannot tell the runtime of {}: function.toml sets no runtime, and none of an executable bootstrap, {stem}.py, {stem}.js, {stem}.mjs, {stem}.cjs, {stem}.php is there",
                dir.display()
            );
            if bootstrap.is_file() {
                message.push_str(" (bootstrap is there but not executable: chmod +x it for a Custom runtime, or set runtime = \"http\")");
            }
            if !jars_in(dir).is_empty() {
                message.push_str(" (a jar is there: for a Java function set runtime, e.g. \"Java17\", and handler = \"package.Class.method\")");
            }
            if dir.join("go.mod").is_file() {
                message.push_str(" (go.mod is there: for a Go function set runtime = \"Go1.x\" and handler to its executable's name)");
            }
            Err(LocalError::setup(message))
        }
        _ => Err(LocalError::setup(format!(
            "cannot tell the runtime of {}: {stem} files of more than one language are there ({}); set runtime in function.toml",
            dir.display(),
            [(python, "Python"), (node, "Node.js"), (php, "PHP")]
                .iter()
                .filter(|(there, _)| *there)
                .map(|(_, language)| *language)
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir_with(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, text).unwrap();
            if *name == "bootstrap" && text.starts_with("#!") {
                crate::local::platform::make_executable(&path);
            }
        }
        dir
    }

    fn load(dir: &tempfile::TempDir) -> Result<(Function, Vec<String>), LocalError> {
        Function::load(dir.path(), &Overrides::default(), &Interpreters::default())
    }

    fn setup_error(dir: &tempfile::TempDir) -> String {
        match load(dir) {
            Err(e @ LocalError::Setup(_)) => e.to_string(),
            other => panic!("expected a setup error, got {other:?}"),
        }
    }

    #[test]
    fn defaults_are_the_services() {
        if crate::local::interpreter::no_python_here() {
            return;
        }
        let dir = dir_with(&[("index.py", "def handler(e, c): pass\n")]);
        let (f, warnings) = load(&dir).unwrap();
        assert_eq!(f.runtime, Runtime::Python { version: None });
        assert_eq!(f.handler, "index.handler");
        assert_eq!(
            (
                f.memory_size,
                f.timeout,
                f.package.as_str(),
                f.version.as_str()
            ),
            (128, 3, "default", "latest")
        );
        assert_eq!(f.name, dir.path().file_name().unwrap().to_string_lossy());
        assert!(!f.pass_credentials);
        assert_eq!(f.cpu_millicores(), 300);
        assert_eq!(f.handler_file.as_deref(), Some(Path::new("index.py")));
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn detection_by_files() {
        let node = dir_with(&[("index.mjs", "export const handler = async (e, c) => 1;\n")]);
        assert_eq!(
            load(&node).unwrap().0.runtime,
            Runtime::Node { version: None }
        );
        let custom = dir_with(&[("bootstrap", "#!/bin/sh\n")]);
        let (f, _) = load(&custom).unwrap();
        assert_eq!(
            (f.runtime, f.handler.as_str()),
            (Runtime::Custom, "bootstrap")
        );
        let http = dir_with(&[
            ("bootstrap", "#!/bin/sh\n"),
            ("function.toml", "runtime = \"http\"\n"),
        ]);
        assert_eq!(load(&http).unwrap().0.runtime, Runtime::Http);
        let nothing = dir_with(&[("main.rb", "")]);
        let e = setup_error(&nothing);
        assert!(
            e.contains("index.py") && e.contains("bootstrap") && e.contains("index.js"),
            "{e}"
        );
        let both = dir_with(&[("index.py", ""), ("index.js", "")]);
        assert!(setup_error(&both).contains("set runtime"));
    }

    #[test]
    fn php_runtimes_are_named_and_detected() {
        for (name, version) in [
            ("PHP7.3", Some("7.3")),
            ("php8.3", Some("8.3")),
            ("PHP", None),
        ] {
            let runtime = Runtime::parse(name).unwrap();
            assert_eq!(
                runtime,
                Runtime::Php {
                    version: version.map(String::from)
                }
            );
            assert_eq!(runtime.to_string(), format!("PHP{}", version.unwrap_or("")));
        }
        assert!(Runtime::parse("PHP8").is_err());
        let dir = dir_with(&[("src/main.php", "<?php\n")]);
        assert_eq!(
            detect(dir.path(), Some("src/main.handler")).unwrap(),
            Runtime::Php { version: None }
        );
        let both = dir_with(&[("index.php", ""), ("index.py", "")]);
        let e = detect(both.path(), None).unwrap_err().to_string();
        assert!(
            e.contains("(Python, PHP)") && e.contains("set runtime"),
            "{e}"
        );
        assert!(
            entry_point(dir.path(), "src/main.handler", Language::Php)
                .is_ok_and(|(file, name)| file == Path::new("src/main.php") && name == "handler")
        );
        assert!(same_release(Language::Php, "8.3", "8.3.1"));
        assert!(!same_release(Language::Php, "8.3", "8.2.36"));
    }

    #[test]
    fn every_key_is_read() {
        let toml = r#"
name = "hello-fn"
package = "app"
runtime = "Node.js20.15"
handler = "src/main.run"
initializer = "src/main.init"
initializer_timeout = 5
memory_size = 256
timeout = 10
version = "v2"
pass_credentials = true
[environment]
GREETING = "hi"
"#;
        let dir = dir_with(&[("function.toml", toml), ("src/main.cjs", "")]);
        let overrides = Overrides {
            env: vec!["GREETING=override".into(), "EXTRA=1".into()],
            env_file: None,
        };
        let (f, _) = Function::load(dir.path(), &overrides, &Interpreters::default()).unwrap();
        assert_eq!(f.name, "hello-fn");
        assert_eq!(f.package, "app");
        assert_eq!(
            f.runtime,
            Runtime::Node {
                version: Some("20.15".into())
            }
        );
        assert_eq!(f.runtime.to_string(), "Node.js20.15");
        assert_eq!(f.handler_file.as_deref(), Some(Path::new("src/main.cjs")));
        assert_eq!(f.initializer.as_deref(), Some("src/main.init"));
        assert_eq!(
            (f.initializer_timeout, f.memory_size, f.timeout),
            (5, 256, 10)
        );
        assert_eq!(f.version, "v2");
        assert!(f.pass_credentials);
        assert_eq!(f.environment["GREETING"], "override");
        assert_eq!(f.environment["EXTRA"], "1");
    }

    #[test]
    fn the_env_file_sits_between_the_toml_and_the_list() {
        if crate::local::interpreter::no_python_here() {
            return;
        }
        let dir = dir_with(&[
            ("index.py", ""),
            (
                "function.toml",
                "[environment]\nA = \"toml\"\nB = \"toml\"\nC = \"toml\"\n",
            ),
            (".env", "B=file\nC=file\n"),
        ]);
        let overrides = Overrides {
            env: vec!["C=list".into()],
            env_file: Some(dir.path().join(".env")),
        };
        let (f, _) = Function::load(dir.path(), &overrides, &Interpreters::default()).unwrap();
        assert_eq!(
            (
                f.environment["A"].as_str(),
                f.environment["B"].as_str(),
                f.environment["C"].as_str()
            ),
            ("toml", "file", "list")
        );
    }

    #[test]
    fn a_go_function_is_its_executable() {
        let dir = dir_with(&[("go.mod", "module x\n")]);
        assert!(setup_error(&dir).contains("runtime = \"Go1.x\""));
        let dir = dir_with(&[("function.toml", "runtime = \"Go1.x\"\n"), ("go.mod", "")]);
        let e = load(&dir).unwrap_err();
        let handler = dir.path().join("handler");
        assert!(
            e.to_string().contains(&handler.display().to_string()),
            "{e}"
        );
        assert!(e.hint().unwrap().contains("go build -o handler"), "{e:?}");
        // "#!": what Windows takes for a program without an extension; Unix wants the mode.
        std::fs::write(&handler, "#! not a real program").unwrap();
        #[cfg(unix)]
        assert!(setup_error(&dir).contains("not executable"));
        crate::local::platform::make_executable(&handler);
        let (f, _) = load(&dir).unwrap();
        assert_eq!(
            (f.runtime.to_string(), f.handler.as_str()),
            ("Go1.x".to_string(), "handler")
        );
        let dir = dir_with(&[("function.toml", "runtime = \"Go1.x\"\nhandler = \"../x\"\n")]);
        assert!(setup_error(&dir).contains("handler"));
    }

    #[test]
    fn mistakes_are_setup_errors_naming_the_key() {
        let cases: &[(&str, &str)] = &[
            ("colour = \"red\"\n", "colour"),
            ("memory_size = 100\n", "memory_size"),
            ("timeout = 1\n", "timeout"),
            (
                "initializer_timeout = 301\ninitializer = \"index.init\"\n",
                "initializer_timeout",
            ),
            ("handler = \"index\"\n", "handler"),
            (
                "handler = \"other.handler\"\nruntime = \"Python3.10\"\n",
                "other.py",
            ),
            ("initializer = \"missing.init\"\n", "initializer"),
            ("runtime = \"Cangjie1.0\"\n", "not supported locally"),
            ("runtime = \"Java9\"\n", "Java17"),
            ("runtime = \"Go1.8\"\n", "not supported locally"),
            ("runtime = \"Go1.x\"\n", "handler"),
            ("runtime = \"Cobol\"\n", "unknown runtime"),
            ("runtime = \"Python2.7\"\n", "Python 3"),
            ("name = \"1abc\"\n", "name"),
            ("[environment]\nRUNTIME_MEMORY = \"1\"\n", "reserved"),
            ("[environment]\nN = 1\n", "expected a string"),
        ];
        for (toml, needle) in cases {
            let dir = dir_with(&[("index.py", ""), ("function.toml", toml)]);
            let e = setup_error(&dir);
            assert!(e.contains(needle), "{toml:?}: {e}");
            assert!(
                e.contains("function.toml") || e.contains("RUNTIME_"),
                "{toml:?}: {e}"
            );
        }
    }

    #[test]
    fn a_custom_bootstrap_must_be_executable() {
        let dir = dir_with(&[
            ("bootstrap", "echo\n"),
            ("function.toml", "runtime = \"Custom\"\n"),
        ]);
        assert!(setup_error(&dir).contains("chmod +x"));
        let dir = dir_with(&[("function.toml", "runtime = \"Custom\"\n")]);
        assert!(setup_error(&dir).contains("bootstrap"));
    }

    #[test]
    fn a_different_interpreter_version_is_a_warning() {
        if crate::local::interpreter::no_python_here() {
            return;
        }
        let dir = dir_with(&[
            ("index.py", ""),
            ("function.toml", "runtime = \"Python3.6\"\n"),
        ]);
        let (_, warnings) = load(&dir).unwrap();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].contains("Python3.6") && !warnings[0].contains('\n'),
            "{warnings:?}"
        );
    }

    #[test]
    fn only_another_release_is_warned_of() {
        assert!(same_release(Language::Python, "3.10", "3.10.14"));
        assert!(!same_release(Language::Python, "3.10", "3.11.7"));
        assert!(same_release(Language::Node, "20.15", "20.20.2"));
        assert!(!same_release(Language::Node, "18.15", "20.20.2"));
    }

    #[test]
    fn java_runtimes_and_their_versions() {
        let java = Runtime::parse("Java17").unwrap();
        assert_eq!(java.to_string(), "Java17");
        assert_eq!(java.default_limits(), (512, 15));
        assert!(Runtime::parse("Java9").is_err());
        assert!(same_release(Language::Java, "17", "17.0.15"));
        assert!(same_release(Language::Java, "8", "1.8.0_392"));
        assert!(!same_release(Language::Java, "11", "17.0.15"));
        assert!(!same_release(Language::Java, "1", "17.0.15"));
        assert_eq!(
            java_entry_point("com.example.Hello.handler").as_deref(),
            Ok("com.example.Hello")
        );
        for bad in [
            "handler",
            "com..Hello.handler",
            "com.example.Hello.",
            "1a.B.c",
        ] {
            assert!(java_entry_point(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_missing_directory_is_a_setup_error() {
        let e = Function::load(
            Path::new("/nonexistent/fn"),
            &Overrides::default(),
            &Interpreters::default(),
        )
        .unwrap_err();
        assert!(
            matches!(e, LocalError::Setup(_)) && e.to_string().contains("/nonexistent/fn"),
            "{e}"
        );
    }
}
