//! The README's "From the cloud to your desk and back" block, run as written against
//! `fgs serve`: a saved test event, `fgs pull`, `invoke --local --event` and the same event
//! through the server.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;
use crate::serve::Served;

/// The first `sh` block of the README's section `title`, one command a line.
fn readme_block(title: &str) -> Vec<String> {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("reading README.md");
    let section = readme
        .split(&format!("\n## {title}\n"))
        .nth(1)
        .unwrap_or_else(|| panic!("README has no section {title:?}"));
    let block = section
        .split("```sh\n")
        .nth(1)
        .and_then(|rest| rest.split("\n```").next())
        .expect("the section has an sh block");
    block.lines().map(str::to_string).collect()
}

/// Run one line of the block with `sh` in `dir`, with `fgs` on PATH and `env` set.
fn sh(line: &str, dir: &Path, env: &[(String, String)]) -> (i32, String, String) {
    let bin_dir = Path::new(BIN).parent().expect("the binary's directory");
    let path = std::env::join_paths(std::iter::once(bin_dir.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .expect("a PATH");
    let (mut cmd, _home) = scrubbed(Path::new("sh"));
    let out = cmd
        .current_dir(dir)
        .env("PATH", path)
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .args(["-c", line])
        .output()
        .expect("running sh");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_readmes_desk_loop_runs_as_written_against_fgs_serve() {
    let lines = readme_block("From the cloud to your desk and back");
    assert!(lines.len() >= 6, "{lines:?}");
    let work = tempfile::tempdir().expect("a temp dir");
    let examples = work.path().join("examples");
    std::fs::create_dir_all(&examples).unwrap();
    let example: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/hello-python");
    let status = Command::new("cp")
        .arg("-r")
        .arg(&example)
        .arg(examples.join("hello-python"))
        .status()
        .expect("cp");
    assert!(status.success());

    // The first line copies the example and starts the server in the background: the copy
    // runs as written, the server as the test's own, on a free port.
    let (copy, serve) = lines[0]
        .split_once(" && ")
        .expect("cp ... && fgs serve DIR &");
    let (code, _, err) = sh(copy, work.path(), &[]);
    assert_eq!(code, 0, "{copy}: {err}");
    let served_dir = serve
        .trim()
        .strip_prefix("fgs serve ")
        .and_then(|rest| rest.split_whitespace().next())
        .expect("fgs serve DIR");
    let served = Served::start(&[&work.path().join(served_dir)], &[]);

    // The second exports the settings; the address becomes the server's.
    let exports = lines[1].strip_prefix("export ").expect("an export line");
    let env: Vec<(String, String)> = exports
        .split_whitespace()
        .map(|pair| {
            let (k, v) = pair.split_once('=').expect("K=V");
            (
                k.to_string(),
                v.replace("http://127.0.0.1:8080", &served.endpoint()),
            )
        })
        .collect();
    assert!(env.iter().any(|(k, _)| k == "FGS_ENDPOINT"), "{env:?}");

    let mut outputs = Vec::new();
    for line in &lines[2..] {
        let (code, out, err) = sh(line, work.path(), &env);
        assert_eq!(code, 0, "{line}\nstdout: {out}\nstderr: {err}");
        outputs.push((line.clone(), out, err));
    }
    // The saved event was written by the server beside the copy, pulled into work/hello,
    // and both invocations used it.
    let saved = work.path().join(served_dir).join("events/greet.json");
    assert_eq!(
        std::fs::read_to_string(&saved).unwrap().trim(),
        r#"{"name":"desk"}"#
    );
    let pulled = work.path().join("work/hello");
    assert!(pulled.join("function.toml").is_file());
    assert!(pulled.join("events/greet.json").is_file());
    let greeted = outputs
        .iter()
        .filter(|(line, out, _)| line.contains("--event greet") && out.contains("Hello, desk"))
        .count();
    assert_eq!(greeted, 2, "{outputs:#?}");
    // The example in the clone is untouched.
    assert!(!example.join("events").exists());
    drop(served);
}
