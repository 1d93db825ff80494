//! KooCLI's (`hcloud`) `~/.hcloud/config.json`: the keys of its current profile, when it
//! is in AK/SK mode and the file stores them in clear (API notes §10.8).
//!
//! KooCLI encrypts stored keys unless `hcloud configure set --cli-auth-encrypt=false`; the
//! only sign of clear keys is the top-level `"authEncrypt": "false"`. Anything else (keys
//! encrypted or the flag missing, another mode, a file that cannot be read or parsed) makes
//! fgs pass the file by, with a note it shows under `-v`.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::secret::Secret;

/// `~/.hcloud/config.json`.
pub fn default_path() -> Option<PathBuf> {
    crate::sys::home_dir().map(|home| home.join(".hcloud").join("config.json"))
}

/// The keys of the current profile.
#[derive(Debug)]
pub struct Keys {
    pub profile: String,
    pub access_key: Secret,
    pub secret_key: Secret,
    pub security_token: Option<Secret>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ConfigJson {
    current: Option<String>,
    auth_encrypt: Option<serde_json::Value>,
    #[serde(default)]
    profiles: Vec<Profile>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Profile {
    name: Option<String>,
    mode: Option<String>,
    access_key_id: Option<String>,
    secret_access_key: Option<String>,
    security_token: Option<String>,
}

/// The keys in `path`: `Ok(None)` when there is no file, `Err(note)` when it is passed by.
pub fn load(path: &Path) -> Result<Option<Keys>, String> {
    let shown = path.display();
    let bytes = match crate::config_file::read_limited(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("skipped KooCLI's {shown}: it cannot be read ({e})")),
    };
    let file: ConfigJson = serde_json::from_slice(&bytes).map_err(|e| {
        // Line and column only: serde's message may quote a key.
        format!(
            "skipped KooCLI's {shown}: it is not the JSON KooCLI writes (line {}, column {})",
            e.line(),
            e.column()
        )
    })?;
    keys(file)
        .map(Some)
        .map_err(|why| format!("skipped KooCLI's {shown}: {why}"))
}

fn keys(file: ConfigJson) -> Result<Keys, String> {
    let clear = match &file.auth_encrypt {
        Some(serde_json::Value::String(s)) => s.eq_ignore_ascii_case("false"),
        Some(serde_json::Value::Bool(b)) => !b,
        _ => false,
    };
    if !clear {
        return Err(
            "its keys are stored encrypted (only `\"authEncrypt\": \"false\"` marks clear keys: hcloud configure set --cli-auth-encrypt=false)"
                .into(),
        );
    }
    let current = file
        .current
        .filter(|c| !c.is_empty())
        .ok_or("it names no current profile (`current`)")?;
    let profile = file
        .profiles
        .into_iter()
        .find(|p| p.name.as_deref() == Some(current.as_str()))
        .ok_or_else(|| format!("its current profile `{current}` is not among its profiles"))?;
    let mode = profile.mode.unwrap_or_default();
    if !mode.eq_ignore_ascii_case("AKSK") {
        return Err(format!(
            "its current profile `{current}` is in mode `{mode}`, not AKSK"
        ));
    }
    let secret = |value: Option<String>, what: &str| {
        value
            .filter(|v| !v.trim().is_empty())
            .ok_or_else(|| format!("its current profile `{current}` has no {what}"))
            .and_then(|v| Secret::new(&v, what).map_err(|e| format!("profile `{current}`: {e:#}")))
    };
    let access_key = secret(profile.access_key_id, "accessKeyId")?;
    let secret_key = secret(profile.secret_access_key, "secretAccessKey")?;
    let security_token = match profile.security_token.filter(|t| !t.trim().is_empty()) {
        Some(t) => Some(secret(Some(t), "securityToken")?),
        None => None,
    };
    Ok(Keys {
        profile: current,
        access_key,
        secret_key,
        security_token,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Result<Keys, String> {
        keys(serde_json::from_str(text).unwrap())
    }

    #[test]
    fn only_clear_aksk_profiles_give_keys() {
        let profile = r#""current":"dev","profiles":[{"name":"other","mode":"AKSK","accessKeyId":"X","secretAccessKey":"Y"},{"name":"dev","mode":"aksk","accessKeyId":"AK","secretAccessKey":"SK","securityToken":""}]"#;
        let keys = parsed(&format!(r#"{{"authEncrypt":"false",{profile}}}"#)).unwrap();
        assert_eq!(keys.access_key.expose(), "AK");
        assert_eq!(keys.profile, "dev");
        assert!(keys.security_token.is_none());
        assert!(parsed(&format!(r#"{{"authEncrypt":false,{profile}}}"#)).is_ok());
        for encrypted in [r#""authEncrypt":"true","#, ""] {
            let e = parsed(&format!("{{{encrypted}{profile}}}")).unwrap_err();
            assert!(e.contains("encrypted"), "{e}");
        }
        let e = parsed(
            r#"{"authEncrypt":"false","current":"a","profiles":[{"name":"a","mode":"ecsAgency"}]}"#,
        )
        .unwrap_err();
        assert!(e.contains("ecsAgency"), "{e}");
        let e = parsed(r#"{"authEncrypt":"false","current":"b","profiles":[]}"#).unwrap_err();
        assert!(e.contains("`b`"), "{e}");
    }
}
