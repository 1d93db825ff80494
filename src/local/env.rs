//! User variables (`[environment]`, a dotenv file, `K=V` overrides) and the environment an
//! instance's process starts with.
//!
//! The process does not inherit fgs's whole environment: that would hand it the caller's
//! cloud credentials (`HUAWEICLOUD_SDK_AK`, …), which the service never does. It gets a short
//! list of variables a local program needs to work at all (PATH, HOME, locale, proxies), the
//! service's `RUNTIME_*` variables and the user variables, and nothing else.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context as _;

use super::error::{Classify, LocalError};
use super::platform;

/// Taken from fgs's own environment; everything else is left out.
const INHERITED: &[&str] = &[
    "PATH",
    "HOME",
    "USER",
    "LOGNAME",
    "SHELL",
    "LANG",
    "LANGUAGE",
    "TZ",
    "TERM",
    "TMPDIR",
    "VIRTUAL_ENV",
    "PYENV_ROOT",
    "PYENV_VERSION",
    // Where PHP finds its php.ini and extension settings.
    "PHPRC",
    "PHP_INI_SCAN_DIR",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "NO_PROXY",
    "http_proxy",
    "https_proxy",
    "no_proxy",
];

/// The variables of fgs's environment an instance inherits (see the module doc).
pub fn inherited() -> impl Iterator<Item = (String, String)> {
    std::env::vars().filter(|(k, _)| {
        INHERITED
            .iter()
            .chain(platform::EXTRA_INHERITED)
            .any(|name| platform::same_var_name(name, k))
            || k.starts_with("LC_")
    })
}

/// The variables the service presets in every instance (reference: "preset environment
/// variables"); users may not define them. Other `RUNTIME_*` names, which a runtime only
/// reads (`RUNTIME_LOG_LEVEL`, `RUNTIME_ALIAS`, ...), are the user's to set.
pub const PRESET: &[&str] = &[
    "RUNTIME_PROJECT_ID",
    "RUNTIME_FUNC_NAME",
    "RUNTIME_FUNC_VERSION",
    "RUNTIME_PACKAGE",
    "RUNTIME_HANDLER",
    "RUNTIME_TIMEOUT",
    "RUNTIME_USERDATA",
    "RUNTIME_CPU",
    "RUNTIME_MEMORY",
    "RUNTIME_MAX_RESP_BODY_SIZE",
    "RUNTIME_INITIALIZER_HANDLER",
    "RUNTIME_INITIALIZER_TIMEOUT",
    "RUNTIME_ROOT",
    "RUNTIME_CODE_ROOT",
    "RUNTIME_LOG_DIR",
    "RUNTIME_API_ADDR",
];

/// Check a user variable's name: letters, digits and `_`, starting with a letter, and none
/// of the service's [`PRESET`] names.
pub fn check_name(name: &str, origin: &str) -> Result<(), LocalError> {
    let mut chars = name.chars();
    let well_formed = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !well_formed {
        return Err(LocalError::setup(format!(
            "{origin}: variable name {name:?} is not allowed: use letters, digits and _, starting with a letter"
        )));
    }
    if PRESET.contains(&name) {
        return Err(LocalError::setup(format!(
            "{origin}: {name} is reserved: the service presets it in every instance"
        )));
    }
    Ok(())
}

/// One `K=V` override.
pub fn parse_assignment(text: &str) -> Result<(String, String), LocalError> {
    let (name, value) = text.split_once('=').ok_or_else(|| {
        LocalError::setup(format!(
            "environment override {text:?} is not of the form NAME=VALUE"
        ))
    })?;
    check_name(name, "environment override")?;
    Ok((name.to_string(), value.to_string()))
}

/// A dotenv file: `K=V` lines, `#` comments, blank lines, an optional `export `, values
/// optionally in single quotes (taken literally) or double quotes (`\n`, `\"`, `\\` escapes).
pub fn read_dotenv(path: &Path) -> Result<BTreeMap<String, String>, LocalError> {
    let text = crate::config_file::read_limited_text(path)
        .with_context(|| format!("reading {}", path.display()))
        .setup()?;
    parse_dotenv(&text, &path.display().to_string())
}

fn parse_dotenv(text: &str, origin: &str) -> Result<BTreeMap<String, String>, LocalError> {
    let mut vars = BTreeMap::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let at = format!("{origin}:{}", number + 1);
        let line = line.strip_prefix("export ").unwrap_or(line).trim_start();
        let (name, value) = line.split_once('=').ok_or_else(|| {
            LocalError::setup(format!("{at}: expected NAME=VALUE, found {line:?}"))
        })?;
        let name = name.trim_end();
        check_name(name, &at)?;
        vars.insert(name.to_string(), dotenv_value(value.trim_start(), &at)?);
    }
    Ok(vars)
}

fn dotenv_value(raw: &str, at: &str) -> Result<String, LocalError> {
    let unterminated = || LocalError::setup(format!("{at}: the quoted value has no closing quote"));
    if let Some(rest) = raw.strip_prefix('\'') {
        let end = rest.find('\'').ok_or_else(unterminated)?;
        return Ok(rest[..end].to_string());
    }
    if let Some(rest) = raw.strip_prefix('"') {
        let mut value = String::new();
        let mut chars = rest.chars();
        loop {
            match chars.next().ok_or_else(unterminated)? {
                '"' => return Ok(value),
                '\\' => match chars.next().ok_or_else(unterminated)? {
                    'n' => value.push('\n'),
                    't' => value.push('\t'),
                    other => value.push(other),
                },
                c => value.push(c),
            }
        }
    }
    // Unquoted: up to an inline ` #` comment, trailing blanks dropped.
    let value = raw.find(" #").map_or(raw, |i| &raw[..i]);
    Ok(value.trim_end().to_string())
}

/// `{"K":"V",...}`: the user variables as `RUNTIME_USERDATA` carries them.
pub fn userdata_json(vars: &BTreeMap<String, String>) -> String {
    serde_json::to_string(vars).unwrap_or_else(|_| "{}".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotenv_lines_comments_quotes_and_export() {
        let text = "# a comment\n\nA=1\nexport B = two words \nC='lit $x \\n'\nD=\"q \\\"x\\\"\\n\"\nE=v # note\nF=\n";
        let vars = parse_dotenv(text, ".env").unwrap();
        assert_eq!(vars["A"], "1");
        assert_eq!(vars["B"], "two words");
        assert_eq!(vars["C"], "lit $x \\n");
        assert_eq!(vars["D"], "q \"x\"\n");
        assert_eq!(vars["E"], "v");
        assert_eq!(vars["F"], "");
    }

    #[test]
    fn bad_dotenv_lines_name_the_file_and_line() {
        let e = parse_dotenv("A=1\nnot a pair\n", "x.env").unwrap_err();
        assert!(e.to_string().contains("x.env:2"), "{e}");
        let e = parse_dotenv("A=\"open\n", "x.env").unwrap_err();
        assert!(e.to_string().contains("closing quote"), "{e}");
    }

    #[test]
    fn reserved_and_malformed_names_are_refused() {
        assert!(
            parse_assignment("RUNTIME_MEMORY=1")
                .unwrap_err()
                .to_string()
                .contains("reserved")
        );
        assert!(parse_assignment("1X=1").is_err());
        assert_eq!(
            parse_assignment("RUNTIME_LOG_LEVEL=DEBUG").unwrap(),
            ("RUNTIME_LOG_LEVEL".into(), "DEBUG".into())
        );
        assert!(parse_assignment("NOEQUALS").is_err());
        assert_eq!(
            parse_assignment("K=a=b").unwrap(),
            ("K".into(), "a=b".into())
        );
    }

    #[test]
    fn credentials_in_fgs_environment_are_not_inherited() {
        assert!(
            !INHERITED
                .iter()
                .any(|k| k.contains("AK") || k.starts_with("FGS"))
        );
    }
}
