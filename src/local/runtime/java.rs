//! Java functions: the launcher (`java/fgs/launcher/Launcher.java`, a worker that speaks the shims'
//! protocol, see `shim.rs`), compiled once with the user's `javac` and cached under fgs's
//! cache directory by the hash of its sources, and the JVM's command line.
//!
//! The launcher also provides the runtime's `Context` and `RuntimeLogger` interfaces, in
//! both the Huawei (`com.huawei.services.runtime`) and the OTC
//! (`com.opentelekomcloud.services.runtime`) packages; its context implements both, so a
//! handler compiled against either runs. They come first on the classpath, so a copy of
//! either jar in the function's `lib/` changes nothing.
//!
//! The classpath: the launcher, the function directory (a directory of classes), its jars,
//! `lib/*.jar`, function.toml's `classpath`, then a Gson jar for functions that bring none
//! (function.toml's `gson`, else the system's).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use sha2::{Digest as _, Sha256};

use super::super::error::{Classify, LocalError, setup_with_hint};
use super::super::function::{Function, jars_in};
use super::super::interpreter;

/// `(path, text)` for each file under `java/`.
macro_rules! sources {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_str!(concat!("java/", $path)))),*]
    };
}

/// The launcher's sources, by their path under `java/` (as javac wants them).
const SOURCES: &[(&str, &str)] = sources![
    "fgs/launcher/Launcher.java",
    "com/huawei/services/runtime/Context.java",
    "com/huawei/services/runtime/RuntimeLogger.java",
    "com/opentelekomcloud/services/runtime/Context.java",
    "com/opentelekomcloud/services/runtime/RuntimeLogger.java",
];

/// The launcher's main class.
const MAIN: &str = "fgs.launcher.Launcher";

/// Debian's Gson (`libgoogle-gson-java`), for functions whose classpath has none.
const SYSTEM_GSON: &str = "/usr/share/java/gson.jar";

/// The JVM's command line for `function`: the program (`java`) and its arguments. `scratch`
/// is where the launcher is compiled when there is no cache directory. With `debug`, the
/// JVM waits, suspended, for a debugger on that address (JDWP).
pub fn command(
    function: &Function,
    scratch: &Path,
    debug: Option<SocketAddr>,
) -> Result<(PathBuf, Vec<String>), LocalError> {
    let java = function
        .interpreter
        .as_ref()
        .ok_or_else(|| LocalError::setup("no java was found for this function"))?
        .path
        .clone();
    let launcher = launcher_classes(&java, scratch)?;
    let mut classpath = vec![launcher, function.dir.clone()];
    classpath.extend(jars_in(&function.dir));
    classpath.extend(jars_in(&function.dir.join("lib")));
    classpath.extend(function.classpath.iter().cloned());
    match &function.gson {
        Some(jar) => classpath.push(jar.clone()),
        None if Path::new(SYSTEM_GSON).is_file() => classpath.push(SYSTEM_GSON.into()),
        None => {}
    }
    let joined = std::env::join_paths(&classpath)
        .context("a classpath entry holds the path separator")
        .setup()?;
    let mut args = Vec::new();
    if let Some(addr) = debug {
        args.push(jdwp_agent(addr));
    }
    args.extend([
        // The heap may use the function's memory; the instance's memory as a whole is
        // measured and limited like any other runtime's (its resident size).
        format!("-Xmx{}m", function.memory_size),
        // One GC thread and less memory; class data sharing for a faster start.
        "-XX:+UseSerialGC".into(),
        // The quick JIT compiler only: a third less start-up, and warm calls reach full
        // speed in hundreds of calls instead of thousands (the tuning AWS documents for
        // short-lived JVMs in Lambda); long computations run slower than with C2.
        "-XX:TieredStopAtLevel=1".into(),
        "-Xshare:auto".into(),
        "-XX:-UsePerfData".into(),
        "-Dfile.encoding=UTF-8".into(),
        "-Dstdout.encoding=UTF-8".into(),
        "-Dstderr.encoding=UTF-8".into(),
        // "\n" as on the service, on every system.
        "-Dline.separator=\n".into(),
        "-cp".into(),
        joined.to_string_lossy().into_owned(),
        MAIN.into(),
    ]);
    Ok((java, args))
}

/// The JDWP agent's flag: listen on `addr`, and hold the JVM until a debugger attaches and
/// resumes it (`jdb -attach`, an IDE's remote JVM debug).
pub fn jdwp_agent(addr: SocketAddr) -> String {
    format!("-agentlib:jdwp=transport=dt_socket,server=y,suspend=y,address={addr}")
}

/// The hash of the launcher's sources, which names its cache directory: computed once a
/// run (the sources are compiled into fgs).
fn sources_key() -> &'static str {
    static KEY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    KEY.get_or_init(|| {
        let mut hash = Sha256::new();
        for (path, text) in SOURCES {
            hash.update(path.as_bytes());
            hash.update([0]);
            hash.update(text.as_bytes());
            hash.update([0]);
        }
        hex::encode(&hash.finalize()[..8])
    })
}

/// The compiled launcher: `<cache>/java-launcher/<hash>`, compiled now when missing.
fn launcher_classes(java: &Path, scratch: &Path) -> Result<PathBuf, LocalError> {
    let key = sources_key();
    let Some(cache) = crate::sys::cache_dir().map(|d| d.join("java-launcher")) else {
        let out = scratch.join("java-launcher");
        compile(java, &out)?;
        return Ok(out);
    };
    let classes = cache.join(key);
    if classes.join("fgs/launcher/Launcher.class").is_file() {
        return Ok(classes);
    }
    std::fs::create_dir_all(&cache)
        .with_context(|| format!("creating {}", cache.display()))
        .machine()?;
    // Compiled aside and renamed into place, so that a start at the same time never sees
    // half of it.
    let partial = cache.join(format!("{key}.{}", uuid::Uuid::new_v4().simple()));
    let compiled = compile(java, &partial);
    let placed = compiled.and_then(|()| {
        std::fs::rename(&partial, &classes)
            .or_else(|e| {
                if classes.join("fgs/launcher/Launcher.class").is_file() {
                    Ok(()) // another start placed it first
                } else {
                    Err(e)
                }
            })
            .with_context(|| format!("placing the Java launcher in {}", classes.display()))
            .machine()
    });
    let _ = std::fs::remove_dir_all(&partial);
    placed.map(|()| classes)
}

/// Compile the launcher into `out` with the `javac` of `java`'s JDK, as Java 8 classes so
/// that any JDK runs them.
fn compile(java: &Path, out: &Path) -> Result<(), LocalError> {
    let javac = interpreter::javac_for(java).ok_or_else(|| {
        setup_with_hint(
            format!(
                "javac was not found beside {}, in JAVA_HOME or on PATH: fgs compiles its Java launcher with it, once",
                java.display()
            ),
            "install a JDK, not only a Java runtime (Debian: apt-get install default-jdk-headless), or set JAVA_HOME to one",
        )
    })?;
    let sources = out.join("src");
    let mut files = Vec::new();
    for (path, text) in SOURCES {
        let file = sources.join(path);
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating {}", parent.display()))
                .machine()?;
        }
        std::fs::write(&file, text)
            .with_context(|| format!("writing {}", file.display()))
            .machine()?;
        files.push(file);
    }
    let output = std::process::Command::new(&javac)
        .args(["-encoding", "UTF-8", "-source", "8", "-target", "8"])
        .args(["-nowarn", "-Xlint:-options", "-d"])
        .arg(out)
        .args(&files)
        .stdin(std::process::Stdio::null())
        .output()
        .with_context(|| format!("running {}", javac.display()))
        .setup()?;
    let _ = std::fs::remove_dir_all(&sources);
    if !output.status.success() {
        return Err(LocalError::machine(format!(
            "{} could not compile fgs's Java launcher ({}): {}{}",
            javac.display(),
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )));
    }
    Ok(())
}
