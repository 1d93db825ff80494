//! A secret value that cannot be printed by accident: `Debug` and `Display` show a mask.
//!
//! A leaf: it imports nothing from the crate, so that every layer (clap values, config-file
//! values, request headers and bodies) can hold a [`Secret`] from the first parse on.

use std::convert::Infallible;
use std::fmt;
use std::str::FromStr;

use anyhow::bail;

/// A secret value. `Debug` and `Display` show only [`Secret::masked`].
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Accept a secret, refusing control characters (they would let a value inject
    /// headers); surrounding whitespace is trimmed.
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

    /// The value as given (to clap or in a file), checked as [`Secret::new`] checks it.
    pub fn checked(&self, what: &str) -> anyhow::Result<Secret> {
        Secret::new(&self.0, what)
    }

    /// Whether nothing at all was given (an empty environment variable).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The value itself, for the one place that puts it on the wire.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// No character of the value, only its length: `***(2048 chars)`.
    pub fn masked(&self) -> String {
        format!("***({} chars)", self.0.chars().count())
    }

    /// For an identifier kept as a secret (an access key): only its last four characters,
    /// as `aws configure list` shows one: `****************6789`.
    pub fn last_four(&self) -> String {
        let chars: Vec<char> = self.0.chars().collect();
        let keep = chars.len().min(4);
        let hidden = chars.len() - keep;
        format!(
            "{}{}",
            "*".repeat(hidden),
            chars[hidden..].iter().collect::<String>()
        )
    }
}

/// The raw value, checked later where its source is known (an environment variable, a
/// line of a file).
impl From<String> for Secret {
    fn from(value: String) -> Secret {
        Secret(value)
    }
}

/// What clap parses: the raw value, checked later where its source is known.
impl FromStr for Secret {
    type Err = Infallible;

    fn from_str(value: &str) -> Result<Secret, Infallible> {
        Ok(Secret(value.to_string()))
    }
}

/// What the config file holds: the raw value, checked where it is used.
impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Secret, D::Error> {
        String::deserialize(deserializer).map(Secret)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_display_themselves() {
        let s = Secret::new("  MIIEsecretsecretsecretsecret-tail \n", "token").unwrap();
        assert_eq!(s.expose(), "MIIEsecretsecretsecretsecret-tail");
        assert_eq!(s.masked(), "***(33 chars)");
        assert_eq!(format!("{s} {s:?}"), "***(33 chars) ***(33 chars)");
        assert_eq!(s.last_four(), format!("{}tail", "*".repeat(29)));
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
        let raw: Secret = "abc\r\ndef".parse().unwrap();
        assert!(raw.checked("token").is_err());
        assert_eq!(format!("{raw:?}"), "***(8 chars)");
    }

    #[test]
    fn a_struct_holding_one_debug_prints_the_mask() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Holder {
            token: Secret,
        }
        let h: Holder = toml::from_str("token = \"sentinel-sentinel-sentinel\"").unwrap();
        let shown = format!("{h:?}");
        assert!(!shown.contains("sentinel-sentinel"), "{shown}");
    }
}
