//! Where secrets come from, and a [`Secret`] type that cannot be printed by accident.

use std::fmt;
use std::path::Path;

use anyhow::{Context, bail};

/// A secret value. `Debug` and `Display` show only [`Secret::masked`].
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Accept a secret, refusing control characters (they would let a value inject
    /// headers) and surrounding whitespace is trimmed.
    pub fn new(value: &str, what: &str) -> anyhow::Result<Secret> {
        let value = value.trim();
        if value.is_empty() {
            bail!("the {what} is empty");
        }
        if let Some(position) = value.chars().position(char::is_control) {
            bail!(
                "the {what} contains a control character (at character {})",
                position + 1
            );
        }
        Ok(Secret(value.to_string()))
    }

    /// The value itself, for the one place that puts it on the wire.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// A short prefix (only for long values) and the length: `MIIE…(2048 chars)`.
    pub fn masked(&self) -> String {
        let chars = self.0.chars().count();
        if chars >= 24 {
            let prefix: String = self.0.chars().take(4).collect();
            format!("{prefix}…({chars} chars)")
        } else {
            format!("***({chars} chars)")
        }
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

/// Read a token from `token_file`: the first line, whitespace trimmed.
pub fn read_token_file(path: &Path) -> anyhow::Result<Secret> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading token file {}", path.display()))?;
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    Secret::new(first, "token").with_context(|| format!("in token file {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_display_themselves() {
        let s = Secret::new("  MIIEsecretsecretsecretsecret-tail \n", "token").unwrap();
        assert_eq!(s.expose(), "MIIEsecretsecretsecretsecret-tail");
        assert_eq!(s.masked(), "MIIE…(33 chars)");
        assert_eq!(format!("{s} {s:?}"), "MIIE…(33 chars) MIIE…(33 chars)");
        assert_eq!(
            Secret::new("short", "token").unwrap().masked(),
            "***(5 chars)"
        );
    }

    #[test]
    fn control_characters_are_refused() {
        let e = Secret::new("abc\r\nX-Evil: 1", "token").unwrap_err();
        assert!(e.to_string().contains("control character"));
        assert!(Secret::new("   ", "token").is_err());
    }

    #[test]
    fn token_file_takes_the_first_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t");
        std::fs::write(&path, "\n  tok123  \nsecond\n").unwrap();
        assert_eq!(read_token_file(&path).unwrap().expose(), "tok123");
        assert!(read_token_file(&dir.path().join("missing")).is_err());
    }
}
