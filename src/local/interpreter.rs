//! Finding `python3`, `node`, `php` and `java`, and learning their versions, once per function load.
//!
//! A pyenv shim costs ~200 ms per start (it is a bash script that runs `pyenv exec`), which
//! would dominate a cold `invoke --local`; so a shim is resolved here, once, to the real
//! interpreter it would run, by pyenv's own rules (`PYENV_VERSION`, `.python-version` from
//! the function directory up, then `$PYENV_ROOT/version`). Anything unusual keeps the shim.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use super::error::{LocalError, setup_with_hint};
use super::platform;

/// Interpreter paths the caller configured; `None` means "look on PATH".
#[derive(Debug, Clone, Default)]
pub struct Interpreters {
    pub python: Option<PathBuf>,
    pub node: Option<PathBuf>,
    pub php: Option<PathBuf>,
    /// The `java` of a JDK (`javac` is looked for beside it).
    pub java: Option<PathBuf>,
}

impl Interpreters {
    /// The path configured for `language`, if any.
    pub fn configured(&self, language: Language) -> Option<&Path> {
        match language {
            Language::Python => self.python.as_deref(),
            Language::Node => self.node.as_deref(),
            Language::Php => self.php.as_deref(),
            Language::Java => self.java.as_deref(),
        }
    }
}

/// Which language an interpreter is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    Python,
    Node,
    Php,
    Java,
}

impl Language {
    fn command(self) -> &'static str {
        match self {
            Language::Python => "python3",
            Language::Node => "node",
            Language::Php => "php",
            Language::Java => "java",
        }
    }

    /// The language's name in messages.
    pub fn name(self) -> &'static str {
        match self {
            Language::Python => "Python",
            Language::Node => "Node.js",
            Language::Php => "PHP",
            Language::Java => "Java",
        }
    }
}

/// An interpreter ready to run: the file to execute and its version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interpreter {
    pub path: PathBuf,
    /// As the interpreter prints it (`3.11.7`, `20.20.2`), when it was asked: running
    /// `--version` costs a few milliseconds (more for Node.js), so only when there is a
    /// runtime version to compare it with. A JDK's comes from its `release` file
    /// (`17.0.9`, `1.8.0_392`), and is `None` when it has none.
    pub version: Option<String>,
}

impl Interpreter {
    /// `major.minor` of [`Interpreter::version`].
    #[cfg(test)]
    pub fn major_minor(&self) -> Option<String> {
        let version = self.version.as_ref()?;
        Some(version.split('.').take(2).collect::<Vec<_>>().join("."))
    }
}

/// The interpreter for `language`: the configured path, else (Java) `$JAVA_HOME/bin/java`,
/// else the command on PATH; its version too when `with_version`.
pub fn find(
    language: Language,
    configured: Option<&Path>,
    function_dir: &Path,
    with_version: bool,
) -> Result<Interpreter, LocalError> {
    let command = language.command();
    let path = match configured {
        Some(path) => {
            if !is_executable(path) {
                return Err(setup_with_hint(
                    format!(
                        "the configured {command} interpreter {} is not an executable file",
                        path.display()
                    ),
                    format!("check the path configured for {command}"),
                ));
            }
            path.to_path_buf()
        }
        None => (language == Language::Java)
            .then(|| java_home_bin(command))
            .flatten()
            .or_else(|| {
                platform::program_names(command)
                    .iter()
                    .find_map(|name| on_path(OsStr::new(name), None))
            })
            .or_else(|| match language {
                Language::Python => platform::python_launcher(),
                Language::Node | Language::Php | Language::Java => None,
            })
            .ok_or_else(|| {
                setup_with_hint(
                    format!("{command} was not found on PATH"),
                    match language {
                        Language::Python => {
                            "install Python 3, or configure the path of a python3 interpreter"
                        }
                        Language::Node => {
                            "install Node.js, or configure the path of a node interpreter"
                        }
                        Language::Php => {
                            "install PHP's command-line interpreter (Debian and Ubuntu: apt-get install php-cli), or configure the path of a php interpreter"
                        }
                        Language::Java => {
                            "install a JDK (Debian: apt-get install default-jdk-headless), set JAVA_HOME to one, or configure the path of its java"
                        }
                    },
                )
            })?,
    };
    let path = match language {
        Language::Python => unshim_pyenv(&path, function_dir).unwrap_or(path),
        Language::Node | Language::Php | Language::Java => path,
    };
    let version = match (with_version, language) {
        (false, _) => None,
        (true, Language::Java) => jdk_version(&path),
        (true, _) => Some(version_of(&path, language)?),
    };
    Ok(Interpreter { path, version })
}

/// `$JAVA_HOME/bin/<program>`, when it is an executable.
pub fn java_home_bin(command: &str) -> Option<PathBuf> {
    let home = std::env::var_os("JAVA_HOME").filter(|h| !h.is_empty())?;
    platform::program_names(command)
        .iter()
        .map(|name| Path::new(&home).join("bin").join(name))
        .find(|candidate| is_executable(candidate))
}

/// `javac` of the JDK whose `java` is `java`: beside it (links resolved), else from
/// `JAVA_HOME`, else on PATH.
pub fn javac_for(java: &Path) -> Option<PathBuf> {
    let names = platform::program_names("javac");
    let real = std::fs::canonicalize(java).unwrap_or_else(|_| java.to_path_buf());
    [java, real.as_path()]
        .iter()
        .filter_map(|p| p.parent())
        .flat_map(|dir| names.iter().map(move |name| dir.join(name)))
        .find(|candidate| is_executable(candidate))
        .or_else(|| java_home_bin("javac"))
        .or_else(|| {
            names
                .iter()
                .find_map(|name| on_path(OsStr::new(name), None))
        })
}

/// A JDK's version from its `release` file (`JAVA_VERSION="17.0.9"`), found from its
/// `bin/java` (links resolved; a JDK 8's `jre/bin/java` has it two levels up).
fn jdk_version(java: &Path) -> Option<String> {
    let real = std::fs::canonicalize(java).ok()?;
    real.ancestors().skip(2).take(2).find_map(|home| {
        let text = std::fs::read_to_string(home.join("release")).ok()?;
        text.lines()
            .find_map(|l| l.strip_prefix("JAVA_VERSION="))
            .map(|v| v.trim().trim_matches('"').to_string())
            .filter(|v| !v.is_empty())
    })
}

/// The first executable `name` on PATH, skipping the directory `skip`.
fn on_path(name: &OsStr, skip: Option<&Path>) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .filter(|dir| Some(dir.as_path()) != skip)
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate))
}

pub(crate) fn is_executable(path: &Path) -> bool {
    platform::is_executable(path)
}

/// The interpreter a pyenv shim would run, or `None` to keep the shim.
fn unshim_pyenv(shim: &Path, function_dir: &Path) -> Option<PathBuf> {
    let shims_dir = shim.parent()?;
    if shims_dir.file_name()? != "shims" {
        return None;
    }
    let head = std::fs::read(shim).ok()?;
    let head = String::from_utf8_lossy(&head[..head.len().min(1024)]);
    if !head.starts_with("#!") || !head.contains("pyenv") {
        return None;
    }
    let root = std::env::var_os("PYENV_ROOT")
        .map(PathBuf::from)
        .or_else(|| shims_dir.parent().map(Path::to_path_buf))?;
    let version = pyenv_version(&root, function_dir)?;
    if version == "system" {
        return on_path(shim.file_name()?, Some(shims_dir));
    }
    let real = root
        .join("versions")
        .join(version)
        .join("bin")
        .join(shim.file_name()?);
    is_executable(&real).then_some(real)
}

/// The first version pyenv would pick, by its own order of sources.
fn pyenv_version(root: &Path, function_dir: &Path) -> Option<String> {
    let first = |text: &str| {
        text.lines()
            .map(str::trim)
            .find(|line| !line.is_empty() && !line.starts_with('#'))
            .and_then(|line| line.split([':', ' ']).next())
            .map(str::to_string)
    };
    if let Some(v) = std::env::var("PYENV_VERSION")
        .ok()
        .as_deref()
        .and_then(first)
    {
        return Some(v);
    }
    for dir in function_dir.ancestors() {
        if let Ok(text) = std::fs::read_to_string(dir.join(".python-version")) {
            return first(&text);
        }
    }
    match std::fs::read_to_string(root.join("version")) {
        Ok(text) => first(&text),
        Err(_) => Some("system".to_string()),
    }
}

/// `python3 --version` → `3.11.7`; `node --version` → `20.20.2`; `php --version` →
/// `8.2.36`.
fn version_of(path: &Path, language: Language) -> Result<String, LocalError> {
    let output = std::process::Command::new(path)
        .arg("--version")
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| {
            setup_with_hint(
                format!("could not run {} --version: {e}", path.display()),
                format!(
                    "check that {} is a working {} interpreter",
                    path.display(),
                    language.command()
                ),
            )
        })?;
    // Python 2 printed its version on stderr.
    let text = String::from_utf8_lossy(if output.stdout.is_empty() {
        &output.stderr
    } else {
        &output.stdout
    })
    .trim()
    .to_string();
    let version = match language {
        Language::Python => text.strip_prefix("Python ").map(str::trim),
        Language::Node => text.strip_prefix('v'),
        // "PHP 8.2.36 (cli) (built: …)", then the copyright lines.
        Language::Php => text
            .strip_prefix("PHP ")
            .and_then(|rest| rest.split_whitespace().next()),
        // A JDK's version is read from its `release` file (`jdk_version`), never asked.
        Language::Java => unreachable!("find asks jdk_version for Java"),
    }
    .filter(|v| {
        v.split('.')
            .take(2)
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    });
    match version {
        Some(v) => Ok(v.to_string()),
        None => Err(LocalError::setup(format!(
            "{} --version printed {text:?}, not a {} version",
            path.display(),
            language.command()
        ))),
    }
}

/// For tests that run Python: true, after saying why, on Windows when no Python is found
/// (Wine has none); elsewhere a missing Python fails the test as it always did.
#[cfg(test)]
#[allow(clippy::print_stderr)] // says why the test is skipped
pub fn no_python_here() -> bool {
    let missing = cfg!(windows) && find(Language::Python, None, Path::new("."), false).is_err();
    if missing {
        eprintln!("skipped: no Python on this Windows machine");
    }
    missing
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_and_node_are_found_with_their_versions() {
        if crate::local::interpreter::no_python_here() {
            return;
        }
        let dir = std::env::temp_dir();
        let python = find(Language::Python, None, &dir, true).unwrap();
        assert!(
            python.version.as_ref().unwrap().starts_with('3'),
            "{python:?}"
        );
        assert!(
            !python.path.starts_with("/root/.pyenv/shims"),
            "shim kept: {python:?}"
        );
        let node = find(Language::Node, None, &dir, true).unwrap();
        assert_eq!(
            node.major_minor().unwrap().split('.').count(),
            2,
            "{node:?}"
        );
        assert_eq!(
            find(Language::Node, None, &dir, false).unwrap().version,
            None
        );
    }

    #[test]
    #[allow(clippy::print_stderr)] // says why the test is skipped
    fn php_is_found_with_its_version() {
        if cfg!(windows) && find(Language::Php, None, Path::new("."), false).is_err() {
            eprintln!("skipped: no PHP on this Windows machine");
            return;
        }
        let php = find(Language::Php, None, &std::env::temp_dir(), true).unwrap();
        assert!(
            php.major_minor()
                .is_some_and(|v| v.split('.').all(|p| p.parse::<u32>().is_ok())),
            "{php:?}"
        );
    }

    #[test]
    fn a_configured_path_that_is_not_executable_is_a_setup_error() {
        let e = find(
            Language::Node,
            Some(Path::new("/nonexistent/node")),
            Path::new("/"),
            false,
        )
        .unwrap_err();
        assert!(matches!(e, LocalError::Setup(_)), "{e}");
        assert!(e.to_string().contains("/nonexistent/node"), "{e}");
        assert!(e.hint().is_some());
    }

    #[test]
    fn pyenv_versions_come_from_the_nearest_python_version_file() {
        let root = tempfile::tempdir().unwrap();
        std::fs::write(root.path().join("version"), "3.9.1\n").unwrap();
        let project = root.path().join("a/b");
        std::fs::create_dir_all(&project).unwrap();
        std::fs::write(root.path().join("a/.python-version"), "# c\n3.12.1\n").unwrap();
        // PYENV_VERSION would win, but tests do not change the environment.
        if std::env::var_os("PYENV_VERSION").is_none() {
            assert_eq!(
                pyenv_version(root.path(), &project).as_deref(),
                Some("3.12.1")
            );
            assert_eq!(
                pyenv_version(root.path(), root.path()).as_deref(),
                Some("3.9.1")
            );
        }
    }
}
