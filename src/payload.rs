//! The request body: `-d DATA`, `-d @PATH`, `-d @-`, or piped stdin.
//!
//! The bytes go out exactly as the user wrote them; they are only checked to be JSON and
//! within the service's limit. Without `--data`, empty (or all-whitespace) stdin sends `{}`;
//! an explicit `--data` must be JSON.

use std::io::Read;
use std::path::Path;

use anyhow::{Context, bail};

/// The service's limit for a synchronous request body (6 MB).
pub const SYNC_LIMIT: usize = 6 * 1024 * 1024;

/// Where the payload comes from, decided from `--data` and whether stdin is a terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source<'a> {
    Inline(&'a str),
    File(&'a Path),
    /// `-d @-`.
    Stdin,
    /// No `--data` and stdin is not a terminal.
    PipedStdin,
    /// No `--data` and stdin is a terminal: send `{}` at once.
    Nothing,
}

impl<'a> Source<'a> {
    pub fn from_arg(data: Option<&'a str>, stdin_is_terminal: bool) -> Source<'a> {
        match data {
            Some("@-") => Source::Stdin,
            Some(d) => match d.strip_prefix('@') {
                Some(path) => Source::File(Path::new(path)),
                None => Source::Inline(d),
            },
            None if stdin_is_terminal => Source::Nothing,
            None => Source::PipedStdin,
        }
    }

    fn describe(&self) -> String {
        match self {
            Source::Inline(_) => "--data".into(),
            Source::File(p) => format!("file {}", p.display()),
            Source::Stdin | Source::PipedStdin => "stdin".into(),
            Source::Nothing => "the default payload".into(),
        }
    }
}

/// Read, check the size and check the syntax. Errors are usage errors (exit 2).
pub fn read(source: &Source, stdin: impl Read, limit: usize) -> anyhow::Result<Vec<u8>> {
    let origin = source.describe();
    let implicit = matches!(source, Source::PipedStdin | Source::Nothing);
    let bytes = match source {
        Source::Inline(d) => d.as_bytes().to_vec(),
        Source::File(path) => read_limited(
            std::fs::File::open(path)
                .with_context(|| format!("opening payload file {}", path.display()))?,
            limit,
        )
        .with_context(|| format!("reading payload file {}", path.display()))?,
        Source::Stdin | Source::PipedStdin => {
            read_limited(stdin, limit).context("reading the payload from stdin")?
        }
        Source::Nothing => Vec::new(),
    };
    if bytes.len() > limit {
        bail!("the payload from {origin} is larger than the service's limit of {limit} bytes");
    }
    if implicit && bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(b"{}".to_vec());
    }
    if let Err(e) = serde_json::from_slice::<serde::de::IgnoredAny>(&bytes) {
        bail!("the payload from {origin} is not valid JSON: {e}");
    }
    Ok(bytes)
}

/// Read at most `limit + 1` bytes, enough to tell that the input is too large.
fn read_limited(input: impl Read, limit: usize) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    input.take(limit as u64 + 1).read_to_end(&mut bytes)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_str(source: &Source, stdin: &str) -> anyhow::Result<String> {
        read(source, stdin.as_bytes(), 64).map(|b| String::from_utf8(b).unwrap())
    }

    #[test]
    fn sources_from_the_flag() {
        assert_eq!(Source::from_arg(Some("@-"), true), Source::Stdin);
        assert_eq!(
            Source::from_arg(Some("@a.json"), true),
            Source::File(Path::new("a.json"))
        );
        assert_eq!(Source::from_arg(Some("{}"), false), Source::Inline("{}"));
        assert_eq!(Source::from_arg(None, true), Source::Nothing);
        assert_eq!(Source::from_arg(None, false), Source::PipedStdin);
    }

    #[test]
    fn bytes_are_kept_as_written() {
        let written = "{ \"k\" :  \"v\",\n \"n\": 1.50 }";
        assert_eq!(read_str(&Source::Inline(written), "").unwrap(), written);
        assert_eq!(read_str(&Source::Stdin, "[1, 2]\n").unwrap(), "[1, 2]\n");
    }

    #[test]
    fn explicit_empty_data_is_not_json() {
        assert!(read_str(&Source::Inline(""), "").is_err());
        assert!(read_str(&Source::Stdin, "").is_err());
    }

    #[test]
    fn empty_input_sends_an_empty_object() {
        assert_eq!(read_str(&Source::PipedStdin, "").unwrap(), "{}");
        assert_eq!(read_str(&Source::PipedStdin, " \n\t").unwrap(), "{}");
        assert_eq!(read_str(&Source::Nothing, "ignored").unwrap(), "{}");
    }

    #[test]
    fn invalid_json_names_line_and_column() {
        let e = read_str(&Source::Stdin, "{\n  \"k\": v\n}")
            .unwrap_err()
            .to_string();
        assert!(e.contains("stdin") && e.contains("line 2 column 8"), "{e}");
        let e = read_str(&Source::Inline("{\"a\":1} x"), "")
            .unwrap_err()
            .to_string();
        assert!(e.contains("--data") && e.contains("trailing"), "{e}");
    }

    #[test]
    fn over_the_limit_is_refused_without_reading_everything() {
        let big = format!("[{}1]", "1,".repeat(100));
        let e = read_str(&Source::Stdin, &big).unwrap_err().to_string();
        assert!(e.contains("limit of 64 bytes"), "{e}");
        let e = read_str(&Source::File(Path::new("/nonexistent/p.json")), "").unwrap_err();
        assert!(format!("{e:#}").contains("/nonexistent/p.json"));
    }
}
