//! Finding and parsing the files settings come from: fgs's TOML config file, and the
//! official SDK's shared credentials file (`~/.huaweicloud/credentials`). KooCLI's file is
//! read in `cloud::koocli`.
//!
//! Top-level keys are the defaults; `[profiles.NAME]` tables hold the same keys and override
//! them under `--profile NAME`. Unknown keys are errors, so a typo never goes unnoticed.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow, bail};
use serde::Deserialize;

use crate::secret::Secret;

/// The most fgs reads of a file the user names: the config file, a token file, the SDK's
/// credentials file, a CA bundle.
pub const FILE_LIMIT: u64 = 1024 * 1024;

/// Read a file the user named, up to [`FILE_LIMIT`]. A larger one is an error of kind
/// `FileTooLarge`, found after one byte past the limit, so that a device that never ends
/// (`/dev/zero`) fails at once.
pub fn read_limited(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(FILE_LIMIT + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > FILE_LIMIT {
        return Err(std::io::Error::new(
            std::io::ErrorKind::FileTooLarge,
            format!("it is larger than the limit of 1 MiB ({FILE_LIMIT} bytes)"),
        ));
    }
    Ok(bytes)
}

/// [`read_limited`], as UTF-8 text.
pub fn read_limited_text(path: &Path) -> std::io::Result<String> {
    String::from_utf8(read_limited(path)?).map_err(|e| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "it is not UTF-8 text (a bad byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

/// The keys a config file (or one of its profiles) may set.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Values {
    pub project_id: Option<String>,
    pub token: Option<Secret>,
    pub token_file: Option<PathBuf>,
    pub urn: Option<String>,
    pub region: Option<String>,
    pub endpoint: Option<String>,
    pub timeout: Option<Seconds>,
    pub connect_timeout: Option<Seconds>,
    /// `token`, `aksk` or `metadata`: force an authentication method.
    pub auth: Option<String>,
    /// A command whose stdout is the token, run only when a token is needed.
    pub token_command: Option<String>,
    pub access_key: Option<Secret>,
    pub secret_key: Option<Secret>,
    pub security_token: Option<Secret>,
    /// IAM user name and account (domain) name for `fgs login`.
    pub user: Option<String>,
    pub domain: Option<String>,
    pub iam_endpoint: Option<String>,
    /// Where `fgs logs` reads the function's log (LTS).
    pub lts_endpoint: Option<String>,
    /// Where `auth = "metadata"` asks for temporary keys (the ECS metadata service).
    pub metadata_endpoint: Option<String>,
    /// Allow credentials over plain http to a host that is not loopback.
    pub allow_http: Option<bool>,
    /// A PEM file of an extra trusted CA.
    pub ca_cert: Option<PathBuf>,
    /// The interpreters local functions run with.
    pub python: Option<PathBuf>,
    pub node: Option<PathBuf>,
    pub php: Option<PathBuf>,
    /// The `java` of the JDK local Java functions run with.
    pub java: Option<PathBuf>,
    /// Only at the top level.
    pub profiles: Option<BTreeMap<String, Values>>,
}

/// A span of time in the config file: a number of seconds (`timeout = 2.5`) or text in the
/// duration grammar of every such setting (`timeout = "2m"`), checked by the settings.
#[derive(Debug, Clone, PartialEq)]
pub enum Seconds {
    Number(f64),
    Text(String),
}

impl<'de> Deserialize<'de> for Seconds {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Seconds;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number of seconds or a duration such as \"90s\"")
            }
            fn visit_f64<E>(self, v: f64) -> Result<Seconds, E> {
                Ok(Seconds::Number(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Seconds, E> {
                Ok(Seconds::Number(v as f64))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Seconds, E> {
                Ok(Seconds::Number(v as f64))
            }
            fn visit_str<E>(self, v: &str) -> Result<Seconds, E> {
                Ok(Seconds::Text(v.to_string()))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// A parsed config file and where it came from.
#[derive(Debug, Default)]
pub struct ConfigFile {
    pub path: Option<PathBuf>,
    pub top: Values,
}

impl Values {
    /// Whether this table holds a secret (so that its file should be private).
    pub fn holds_secret(&self) -> bool {
        self.token.is_some()
            || self.secret_key.is_some()
            || self.security_token.is_some()
            || self
                .profiles
                .iter()
                .flatten()
                .any(|(_, p)| p.holds_secret())
    }
}

impl ConfigFile {
    /// Read `path`. A missing file is an error only when `explicit` (from `--config` or
    /// `FGS_CONFIG`); the default file may be absent.
    pub fn load(path: Option<&Path>, explicit: bool) -> anyhow::Result<ConfigFile> {
        let Some(path) = path else {
            return Ok(ConfigFile::default());
        };
        let text = match read_limited_text(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => {
                return Ok(ConfigFile::default());
            }
            Err(e) => {
                return Err(e).with_context(|| format!("reading config file {}", path.display()));
            }
        };
        let top = parse(&text).with_context(|| format!("in config file {}", path.display()))?;
        Ok(ConfigFile {
            path: Some(path.to_path_buf()),
            top,
        })
    }

    /// The values of profile `name`, or an error that lists the known profiles.
    pub fn profile(&self, name: &str) -> anyhow::Result<&Values> {
        let profiles = self.top.profiles.as_ref();
        if let Some(values) = profiles.and_then(|p| p.get(name)) {
            return Ok(values);
        }
        let known: Vec<&str> = profiles
            .map(|p| p.keys().map(String::as_str).collect())
            .unwrap_or_default();
        let file = self
            .path
            .as_ref()
            .map_or_else(|| "no config file".to_string(), |p| p.display().to_string());
        if known.is_empty() {
            bail!("unknown profile `{name}`: {file} defines no profiles");
        }
        bail!(
            "unknown profile `{name}`: {file} defines {}",
            known.join(", ")
        )
    }
}

fn parse(text: &str) -> anyhow::Result<Values> {
    let values: Values = toml::from_str(text).map_err(|e| describe(&e, text))?;
    for (name, profile) in values.profiles.iter().flatten() {
        if profile.profiles.is_some() {
            bail!("profile `{name}` cannot hold profiles of its own");
        }
    }
    Ok(values)
}

/// The error's line, column and message, without the quoted source line that toml's own
/// message carries: that line may hold a secret.
fn describe(error: &toml::de::Error, text: &str) -> anyhow::Error {
    let message = error.message().trim_end();
    let at = error.span().map_or("", |span| {
        let start = span.start.min(text.len());
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        text[line_start..].lines().next().unwrap_or_default()
    });
    let suggestion = suggest(message, at)
        .map(|s| format!("; did you mean {s}?"))
        .unwrap_or_default();
    match error.span() {
        Some(span) => {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.chars().rev().take_while(|&c| c != '\n').count() + 1;
            anyhow::anyhow!("line {line}, column {column}: {message}{suggestion}")
        }
        None => anyhow::anyhow!("{message}{suggestion}"),
    }
}

/// For toml's "unknown field `regoin`, expected one of `a`, `b`": the known key closest to
/// the typo, as clap suggests flags; `[profile.NAME]` is the usual slip for `[profiles.NAME]`.
fn suggest(message: &str, line: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (unknown, rest) = rest.split_once('`')?;
    if unknown == "profile" {
        let name = line
            .trim()
            .strip_prefix("[profile.")
            .and_then(|r| r.strip_suffix(']'))
            .filter(|n| {
                n.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_".contains(c))
            });
        return Some(format!("[profiles.{}]", name.unwrap_or("NAME")));
    }
    rest.split('`')
        .skip(1)
        .step_by(2)
        .map(|known| (strsim::jaro_winkler(unknown, known), known))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, known)| known.to_string())
}

/// The config file's default place: `config.toml` in [`crate::sys::config_dir`]
/// (`$XDG_CONFIG_HOME/fgs/`, else `~/.config/fgs/`; `%APPDATA%\fgs\` on Windows).
pub fn default_location() -> Option<PathBuf> {
    crate::sys::config_dir().map(|dir| dir.join("config.toml"))
}

/// The profile names of the config file in use (`FGS_CONFIG`, else the default path), for
/// completions: any problem reading it gives none.
pub fn profile_names() -> Vec<String> {
    let path = std::env::var_os("FGS_CONFIG")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .or_else(default_location);
    let Some(path) = path else {
        return Vec::new();
    };
    ConfigFile::load(Some(&path), false)
        .ok()
        .and_then(|c| c.top.profiles)
        .map(|p| p.into_keys().collect())
        .unwrap_or_default()
}

/// `name` with every character but ASCII letters, digits, `-`, `_` and `.` made `_`: a
/// profile or region as part of a file name.
pub fn file_safe(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Write a file only its owner may read: its directory created 0700, the file 0600 (on
/// Unix; on Windows the user's profile keeps them private), replaced atomically (a
/// temporary file, then a rename). For the login cache, the completion cache and
/// `fgs config init`.
pub fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = path.parent().context("the path has no directory")?;
    crate::sys::create_private_dir(dir)?;
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".tmp");
    let temporary = PathBuf::from(temporary);
    let mut file = crate::sys::create_private_file(&temporary)
        .with_context(|| format!("writing {}", temporary.display()))?;
    std::io::Write::write_all(&mut file, bytes)
        .and_then(|()| file.sync_all())
        .with_context(|| format!("writing {}", temporary.display()))?;
    std::fs::rename(&temporary, path).with_context(|| format!("writing {}", path.display()))
}

/// A warning when a file holding a secret is readable by group or others (Unix; files
/// have no such mode on Windows).
pub fn private_file_warning(path: &Path) -> Option<String> {
    let mode = crate::sys::readable_by_others(path)?;
    Some(format!(
        "{} holds a secret and is readable by others (mode {mode:o}); fix it with: chmod 600 {}",
        path.display(),
        path.display()
    ))
}

/// The section of the SDK's shared credentials file that fgs reads, as `[basic]`.
pub const SDK_SECTION: &str = "basic";

/// What became of the SDK's shared credentials file.
pub enum SdkFile {
    Absent,
    Read {
        path: PathBuf,
        file: SdkCredentialsFile,
    },
    /// It could not be read: the error's chain, reported only when the file is consulted.
    Unreadable(Vec<String>),
}

/// `HUAWEICLOUD_SDK_CREDENTIALS_FILE`, else `~/.huaweicloud/credentials` (which may be
/// absent).
pub fn sdk_credentials_file() -> SdkFile {
    let (path, explicit) =
        match std::env::var_os("HUAWEICLOUD_SDK_CREDENTIALS_FILE").filter(|p| !p.is_empty()) {
            Some(p) => (PathBuf::from(p), true),
            None => match crate::sys::home_dir() {
                Some(home) => (home.join(".huaweicloud").join("credentials"), false),
                None => return SdkFile::Absent,
            },
        };
    match SdkCredentialsFile::load(&path, explicit) {
        Ok(Some(file)) => SdkFile::Read { path, file },
        Ok(None) => SdkFile::Absent,
        Err(e) => SdkFile::Unreadable(e.chain().map(ToString::to_string).collect()),
    }
}

/// The official SDK's shared credentials file: INI, section `[basic]`.
#[derive(Debug)]
pub struct SdkCredentialsFile {
    pub access_key: Option<Secret>,
    pub secret_key: Option<Secret>,
    pub security_token: Option<Secret>,
    pub project_id: Option<String>,
}

impl SdkCredentialsFile {
    /// Read the file if it exists. A missing file is an error only when `explicit`; one that
    /// is not INI is an error naming it.
    pub fn load(path: &Path, explicit: bool) -> anyhow::Result<Option<SdkCredentialsFile>> {
        let text = match read_limited_text(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => {
                return Ok(None);
            }
            Err(e) => {
                return Err(e)
                    .with_context(|| format!("reading credentials file {}", path.display()));
            }
        };
        SdkCredentialsFile::parse(&text)
            .with_context(|| format!("in credentials file {}", path.display()))
            .map(Some)
    }

    /// The `[basic]` section's keys; text that is not INI is an error.
    fn parse(text: &str) -> anyhow::Result<SdkCredentialsFile> {
        let ini = ini::Ini::load_from_str(text).map_err(|e| anyhow!("{e}"))?;
        let basic = ini.section(Some(SDK_SECTION));
        let get = |key: &str| {
            basic
                .and_then(|s| s.get(key))
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        let secret = |key: &str| get(key).map(Secret::from);
        Ok(SdkCredentialsFile {
            access_key: secret("ak"),
            secret_key: secret("sk"),
            security_token: secret("security_token"),
            project_id: get("project_id"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_level_and_profiles() {
        let v = parse(
            "region = \"cn-north-4\"\n[profiles.dev]\nregion = \"ap-southeast-1\"\ntimeout = 5\n",
        )
        .unwrap();
        assert_eq!(v.region.as_deref(), Some("cn-north-4"));
        let dev = &v.profiles.as_ref().unwrap()["dev"];
        assert_eq!(dev.region.as_deref(), Some("ap-southeast-1"));
        assert_eq!(dev.timeout, Some(Seconds::Number(5.0)));
        let v = parse("timeout = \"2m\"\nconnect_timeout = 3\n").unwrap();
        assert_eq!(v.timeout, Some(Seconds::Text("2m".into())));
        assert_eq!(v.connect_timeout, Some(Seconds::Number(3.0)));
        let e = parse("timeout = true\n").unwrap_err().to_string();
        assert!(
            e.contains("expected a number of seconds or a duration"),
            "{e}"
        );
    }

    #[test]
    fn unknown_keys_and_syntax_errors_give_the_line() {
        let e = parse("region = \"x\"\nregoin = \"y\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("regoin") && e.contains("line 2, column 1"),
            "{e}"
        );
        let e = parse("token = \"secret-value\" junk\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 1") && !e.contains("secret-value"), "{e}");
        let e = parse("region = \n").unwrap_err().to_string();
        assert!(e.contains("line 1"), "{e}");
        let e = parse("[profiles.a.profiles.b]\nregion = \"x\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("cannot hold profiles"), "{e}");
    }

    #[test]
    fn typos_get_a_suggestion() {
        let e = parse("regoin = \"x\"\n").unwrap_err().to_string();
        assert!(e.contains("did you mean region?"), "{e}");
        let e = parse("[profile.dev]\nregion = \"x\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("did you mean [profiles.dev]?"), "{e}");
        let e = parse("zzzzzz = 1\n").unwrap_err().to_string();
        assert!(!e.contains("did you mean"), "{e}");
    }
}

/// Property tests of the two parsers of files the user names: no text panics them, and an
/// error never quotes a secret (toml's own message would show the source line). Their
/// errors become usage errors (exit 2) where the settings load them.
#[cfg(test)]
mod fuzz {
    use super::*;
    use proptest::prelude::*;

    const SENTINEL: &str = "sentinel-secret-value";

    /// A key of the file, or one it does not know.
    fn key() -> impl Strategy<Value = String> {
        prop_oneof![
            prop::sample::select(vec![
                "region",
                "project_id",
                "token",
                "token_file",
                "timeout",
                "connect_timeout",
                "auth",
                "token_command",
                "access_key",
                "secret_key",
                "security_token",
                "allow_http",
                "ca_cert",
                "python",
                "profiles",
                "profiles.dev",
                "urn",
            ])
            .prop_map(str::to_string),
            "[a-z_.\"]{1,8}",
        ]
    }

    /// A TOML value, right for some keys and wrong for others.
    fn value() -> impl Strategy<Value = String> {
        prop_oneof![
            "\"[ -~\u{e9}\u{4e2d}]{0,8}\"",
            prop::sample::select(vec![
                "1",
                "2.5",
                "1e300",
                "-0",
                "inf",
                "nan",
                "true",
                "[1, \"a\"]",
                "{ a = 1 }",
                "'''x'''",
                "\"\\u00e9\"",
                "\"\\ud800\"",
                "",
                "\"unterminated",
            ])
            .prop_map(str::to_string),
        ]
    }

    /// A line of a TOML file: a key and value, a table header, or anything.
    fn toml_line() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => (key(), value()).prop_map(|(k, v)| format!("{k} = {v}")),
            // A secret where it belongs: however the rest is wrong, no error may show it.
            2 => prop::sample::select(vec!["token", "access_key", "secret_key", "security_token"])
                .prop_map(|k| format!("{k} = \"{SENTINEL}\"")),
            1 => "[a-z]{0,5}".prop_map(|p| format!("[profiles.{p}]")),
            1 => Just("[profiles.a.profiles.b]".to_string()),
            1 => any::<String>(),
        ]
    }

    /// A line of an INI file.
    fn ini_line() -> impl Strategy<Value = String> {
        prop_oneof![
            (
                prop::sample::select(vec!["ak", "sk", "security_token", "project_id", "x"]),
                "[ -~]{0,8}"
            )
                .prop_map(|(k, v)| format!("{k} = {v}")),
            prop::sample::select(vec![
                "[basic]",
                "[other]",
                "[",
                "; comment",
                "# c",
                "=",
                "\\"
            ])
            .prop_map(str::to_string),
            any::<String>(),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        #[test]
        fn any_text_is_parsed_or_refused(text in any::<String>()) {
            let _ = parse(&text);
            let _ = SdkCredentialsFile::parse(&text);
        }

        #[test]
        fn toml_fragments_never_panic_or_quote_a_secret(
            lines in prop::collection::vec(toml_line(), 0..8),
        ) {
            let text = lines.join("\n");
            if let Err(e) = parse(&text) {
                let message = format!("{e:#}");
                prop_assert!(!message.contains(SENTINEL), "{message}");
                prop_assert!(message.starts_with("line ") || !message.is_empty());
            }
        }

        #[test]
        fn ini_fragments_are_parsed_or_refused(lines in prop::collection::vec(ini_line(), 0..8)) {
            if let Ok(file) = SdkCredentialsFile::parse(&lines.join("\n")) {
                // Values are trimmed, and an empty one is no value.
                for v in [&file.project_id].into_iter().flatten() {
                    prop_assert!(!v.is_empty() && v.trim() == v);
                }
            }
        }
    }
}
