//! The layers a setting is read from: a flag or its environment variable (clap reads both),
//! then the selected profile of the config file, then the file's top level.

use std::cell::OnceCell;
use std::path::{Path, PathBuf};

use clap::ArgMatches;
use clap::parser::ValueSource;

use super::defs;
use crate::cli::GlobalArgs;
use crate::config_file::{self, ConfigFile, Values};
use crate::error::{Failure, Kind, OrKind};
use crate::secret::Secret;
use crate::source::{Source, Sourced};

/// Values given on the command line or through their environment variables (clap reads
/// both; `matches` tell which). Where one came from is named as clap names it.
pub struct Given<'a> {
    matches: &'a ArgMatches,
    /// The settings' arguments, built the first time a source is named.
    command: OnceCell<clap::Command>,
}

impl<'a> Given<'a> {
    pub fn new(matches: &'a ArgMatches) -> Self {
        Given {
            matches,
            command: OnceCell::new(),
        }
    }

    /// The value of clap's argument `id`, with its source; one from the environment that
    /// is empty counts as unset.
    pub fn get<T: Clone>(
        &self,
        id: &str,
        value: Option<&T>,
        empty: fn(&T) -> bool,
    ) -> Option<Sourced<T>> {
        let value = value?;
        let command = || self.command.get_or_init(defs::declared);
        let source = match self.matches.value_source(id) {
            Some(ValueSource::EnvVariable) if empty(value) => return None,
            Some(ValueSource::EnvVariable) => Source::Env(defs::env(command(), id)),
            _ => Source::Flag(defs::flag(command(), id)),
        };
        Some(Sourced::new(value.clone(), source))
    }

    pub fn text(&self, id: &str, value: Option<&String>) -> Option<Sourced<String>> {
        self.get(id, value, String::is_empty)
    }

    /// A path, kept as the OS gave it (it need not be UTF-8).
    pub fn path(&self, id: &str, value: Option<&PathBuf>) -> Option<Sourced<PathBuf>> {
        self.get(id, value, |p| p.as_os_str().is_empty())
    }
}

/// The file layers: the selected profile, then the top level.
pub struct FileLayers<'a> {
    pub path: Option<&'a Path>,
    profile_name: Option<&'a str>,
    profile: Option<&'a Values>,
    top: &'a Values,
}

impl FileLayers<'_> {
    pub fn get<T>(&self, key: impl Fn(&Values) -> Option<T>) -> Option<Sourced<T>> {
        let path = self.path?;
        let source = |section: Option<String>| Source::File {
            path: path.to_path_buf(),
            section,
        };
        let from_profile = self.profile.and_then(&key).map(|v| {
            let section = self.profile_name.map(|p| format!("profiles.{p}"));
            Sourced::new(v, source(section))
        });
        from_profile.or_else(|| key(self.top).map(|v| Sourced::new(v, source(None))))
    }

    /// A path from the file; a relative one is relative to the file's directory.
    pub fn path(&self, key: impl Fn(&Values) -> Option<PathBuf>) -> Option<Sourced<PathBuf>> {
        self.get(|v| key(v).map(|p| resolve_relative(&p, self.path)))
    }
}

/// Both: given, else from the file.
pub struct Layers<'a> {
    pub given: &'a Given<'a>,
    pub file: FileLayers<'a>,
}

impl Layers<'_> {
    /// A text setting: clap's argument `id`, else the file's `key`.
    pub fn text(
        &self,
        id: &str,
        value: Option<&String>,
        key: impl Fn(&Values) -> Option<String>,
    ) -> Option<Sourced<String>> {
        self.given.text(id, value).or_else(|| self.file.get(key))
    }
}

/// The config file (explicit or default), the selected profile, and the warnings reading
/// them gave: the first layers of every command.
pub struct Files {
    pub config: ConfigFile,
    pub config_explicit: Option<Sourced<PathBuf>>,
    pub default_config_path: Option<PathBuf>,
    pub profile: Option<Sourced<String>>,
    pub warnings: Vec<String>,
}

impl Files {
    pub fn load(global: &GlobalArgs, given: &Given) -> Result<Files, Failure> {
        let config_explicit = given.path("config", global.config.as_ref());
        let default_config_path = config_file::default_location();
        let config = match &config_explicit {
            Some(path) => ConfigFile::load(Some(&path.value), true),
            None => ConfigFile::load(default_config_path.as_deref(), false),
        }
        .or_kind(Kind::Usage)?;
        let profile = given.text("profile", global.profile.as_ref());
        if let Some(p) = &profile
            && let Err(e) = config.profile(&p.value)
        {
            return Err(Failure::usage(format!("{e} (profile from {})", p.source)));
        }
        let mut warnings = Vec::new();
        if let Some(path) = &config.path
            && config.top.holds_secret()
        {
            warnings.extend(config_file::private_file_warning(path));
        }
        Ok(Files {
            config,
            config_explicit,
            default_config_path,
            profile,
            warnings,
        })
    }

    /// The config file in use (the explicit one, else the default one if it exists), and
    /// where it was named.
    pub fn in_use(&self) -> Option<Sourced<PathBuf>> {
        let path = self.config.path.clone()?;
        let source = self.config_explicit.as_ref().map(|c| c.source.clone());
        Some(Sourced::new(path, source.unwrap_or(Source::Default)))
    }

    /// Where the config file is read from, whether or not it exists.
    pub fn location(&self) -> Option<PathBuf> {
        self.config
            .path
            .clone()
            .or(self.default_config_path.clone())
    }

    /// The file's layers under the profile (checked to exist by [`Files::load`]).
    pub fn layers(&self) -> FileLayers<'_> {
        let profile = self.profile.as_ref().map(|p| p.value.as_str());
        FileLayers {
            path: self.config.path.as_deref(),
            profile_name: profile,
            profile: profile.and_then(|p| self.config.profile(p).ok()),
            top: &self.config.top,
        }
    }
}

/// An environment variable that is set and not empty. One that is set but not UTF-8 is an
/// error that says so, rather than a value taken as missing.
pub fn env_value(name: &'static str) -> Result<Option<String>, Failure> {
    match std::env::var_os(name).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(value) => value.into_string().map(Some).map_err(|_| {
            Failure::usage(format!(
                "env {name} is set but its value is not valid UTF-8"
            ))
        }),
    }
}

pub fn env_secret(name: &'static str) -> Result<Option<Secret>, Failure> {
    Ok(env_value(name)?.map(Secret::from))
}

/// A path from the environment, kept as the OS gave it; empty counts as unset.
pub fn env_path(name: &str) -> Option<PathBuf> {
    std::env::var_os(name)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// A relative path in the config file (`token_file`, `ca_cert`) is relative to the file's
/// directory.
pub fn resolve_relative(path: &Path, config: Option<&Path>) -> PathBuf {
    match config.and_then(Path::parent) {
        Some(dir) if path.is_relative() => dir.join(path),
        _ => path.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        assert_eq!(
            resolve_relative(Path::new("t"), Some(Path::new("/a/c.toml"))),
            PathBuf::from("/a/t")
        );
        assert_eq!(
            resolve_relative(Path::new("/t"), Some(Path::new("/a/c.toml"))),
            PathBuf::from("/t")
        );
    }
}
