//! Where a setting's value came from: a flag, a variable, a file, the URN or a default.
//!
//! A leaf shared by the settings and by the credentials they are resolved into.

use std::fmt;
use std::path::PathBuf;

/// Where a value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A flag as the user typed it (`--region`), or a positional (`the FUNCTION argument`).
    Flag(String),
    /// The name of an environment variable.
    Env(String),
    /// A file, and the section of it the value is in (`profiles.dev`, the SDK's `basic`).
    File {
        path: PathBuf,
        section: Option<String>,
    },
    Urn,
    Default,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Flag(flag) => f.write_str(flag),
            Source::Env(var) => write!(f, "env {var}"),
            Source::File {
                path,
                section: None,
            } => write!(f, "{}", path.display()),
            Source::File {
                path,
                section: Some(section),
            } => write!(f, "{} [{section}]", path.display()),
            Source::Urn => f.write_str("the URN"),
            Source::Default => f.write_str("default"),
        }
    }
}

/// A value and where it came from.
#[derive(Debug, Clone)]
pub struct Sourced<T> {
    pub value: T,
    pub source: Source,
}

impl<T> Sourced<T> {
    pub fn new(value: T, source: Source) -> Self {
        Sourced { value, source }
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Sourced<U> {
        Sourced {
            value: f(self.value),
            source: self.source,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_read_well() {
        assert_eq!(
            Source::Env("FGS_REGION".into()).to_string(),
            "env FGS_REGION"
        );
        let f = Source::File {
            path: "/c.toml".into(),
            section: Some("profiles.dev".into()),
        };
        assert_eq!(f.to_string(), "/c.toml [profiles.dev]");
    }
}
