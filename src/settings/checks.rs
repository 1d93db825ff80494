//! The checks of values that need more than a type: the project id against the URN's, the
//! region, the endpoint, and spans of time. Each error names where the value came from.

use std::cell::OnceCell;
use std::time::Duration;

use url::Url;

use super::defs;
use super::layers::env_value;
use crate::cloud::credentials;
use crate::config_file::{SDK_SECTION, SdkFile, Seconds, sdk_credentials_file};
use crate::error::{Failure, Kind};
use crate::source::{Source, Sourced};
use crate::units::Span;
use crate::urn::{self, FunctionRef};

/// The service's own synchronous limit (900 s) plus a margin, so fgs never cuts off a
/// function that is still running.
pub const DEFAULT_TIMEOUT_SECS: f64 = 930.0;
pub const DEFAULT_CONNECT_TIMEOUT_SECS: f64 = 10.0;

/// The timeouts' range: a millisecond to a day (synchronous calls cannot outlast 900 s, but
/// asynchronous waits can).
pub const TIMEOUTS: Span = Span {
    min: Duration::from_millis(1),
    max: Duration::from_secs(86_400),
    range: "from 0.001 to 86400",
};

/// The project id: explicit, else the URN's, else `HUAWEICLOUD_SDK_PROJECT_ID`, else the SDK
/// credentials file's. An explicit one that disagrees with the URN's is an error.
pub fn project_id(
    explicit: Option<Sourced<String>>,
    function: Option<&FunctionRef>,
    sdk_file: &OnceCell<SdkFile>,
) -> Result<Option<Sourced<String>>, Failure> {
    let from_urn = function.and_then(|f| f.project_id.clone());
    let checked = |p: Sourced<String>| {
        urn::check_project_id(&p.value)
            .map_err(|e| Failure::usage(format!("{e} (from {})", p.source)))?;
        Ok(Some(p))
    };
    match (explicit, from_urn) {
        (Some(explicit), urn_value) => {
            if let Some(urn_value) = urn_value.filter(|u| *u != explicit.value) {
                urn::check_project_id(&explicit.value)
                    .map_err(|e| Failure::usage(format!("{e} (from {})", explicit.source)))?;
                return Err(Failure::usage(format!(
                    "the project id `{}` from {} disagrees with the URN's project id `{urn_value}`",
                    explicit.value, explicit.source
                )));
            }
            checked(explicit)
        }
        (None, Some(urn_value)) => Ok(Some(Sourced::new(urn_value, Source::Urn))),
        (None, None) => {
            if let Some(p) = env_value("HUAWEICLOUD_SDK_PROJECT_ID")? {
                let source = Source::Env("HUAWEICLOUD_SDK_PROJECT_ID".into());
                return checked(Sourced::new(p, source));
            }
            match sdk_file.get_or_init(sdk_credentials_file) {
                SdkFile::Read { path, file } => match &file.project_id {
                    Some(p) => checked(Sourced::new(
                        p.clone(),
                        Source::File {
                            path: path.clone(),
                            section: Some(SDK_SECTION.into()),
                        },
                    )),
                    None => Ok(None),
                },
                SdkFile::Unreadable(chain) => {
                    Err(Failure::new(Kind::Usage, credentials::replay(chain)))
                }
                SdkFile::Absent => Ok(None),
            }
        }
    }
}

/// The region: explicit, else the URN's.
pub fn region(
    explicit: Option<Sourced<String>>,
    function: Option<&FunctionRef>,
) -> Result<Option<Sourced<String>>, Failure> {
    if let Some(explicit) = explicit {
        urn::check_region(&explicit.value)
            .map_err(|e| Failure::usage(format!("{e} (from {})", explicit.source)))?;
        return Ok(Some(explicit));
    }
    Ok(function
        .and_then(|f| f.region.clone())
        .map(|r| Sourced::new(r, Source::Urn)))
}

/// The endpoint: explicit (checked to be an http(s) URL), else formed from the region.
pub fn endpoint(
    explicit: Option<Sourced<String>>,
    region: Option<&Sourced<String>>,
) -> Result<Option<Sourced<Url>>, Failure> {
    if let Some(explicit) = explicit {
        let checked = check_endpoint(&explicit.value)
            .map_err(|e| Failure::usage(format!("{e} (from {})", explicit.source)))?;
        return Ok(Some(Sourced::new(checked, explicit.source)));
    }
    let Some(region) = region else {
        return Ok(None);
    };
    urn::check_region(&region.value).map_err(|e| {
        Failure::usage(format!(
            "{e} (from {}); it cannot form a host name: give --region or --endpoint",
            region.source
        ))
    })?;
    let url = Url::parse(&format!(
        "https://functiongraph.{}.myhuaweicloud.com",
        region.value
    ))
    .map_err(|e| Failure::usage(format!("region `{}` cannot form a URL: {e}", region.value)))?;
    Ok(Some(Sourced::new(url, Source::Default)))
}

/// A timeout (clap's id `id`) from a flag or variable (text) or the config file (a number or
/// text), else the default; checked once against [`TIMEOUTS`], into a `Duration`.
pub fn timeout(
    id: &str,
    given: Option<Sourced<String>>,
    file: Option<Sourced<Seconds>>,
    default: f64,
) -> Result<Sourced<Duration>, Failure> {
    let (parsed, source) = match (given, file) {
        (Some(t), _) => (TIMEOUTS.parse(&t.value), t.source),
        (None, Some(t)) => match t.value {
            Seconds::Number(n) => (TIMEOUTS.seconds(n), t.source),
            Seconds::Text(text) => (TIMEOUTS.parse(&text), t.source),
        },
        (None, None) => {
            let default = Duration::from_secs_f64(default);
            return Ok(Sourced::new(default, Source::Default));
        }
    };
    match parsed {
        Ok(d) => Ok(Sourced::new(d, source)),
        Err(e) => Err(Failure::usage(format!(
            "{e} ({} from {source})",
            defs::label(id)
        ))),
    }
}

/// An http(s) URL with a host and no query, fragment or credentials.
pub fn check_endpoint(text: &str) -> Result<Url, String> {
    let url = Url::parse(text.trim()).map_err(|e| format!("invalid endpoint `{text}`: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!(
            "invalid endpoint `{text}`: the scheme must be http or https"
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!("invalid endpoint `{text}`: it has no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!(
            "invalid endpoint `{}`: it must not hold credentials",
            url.host_str().unwrap_or_default()
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!(
            "invalid endpoint `{text}`: it must not have a query or fragment"
        ));
    }
    Ok(url)
}

/// A URL setting, checked as [`check_endpoint`] checks it.
pub fn checked_url(given: Option<Sourced<String>>) -> Result<Option<Sourced<Url>>, Failure> {
    given
        .map(|e| {
            check_endpoint(&e.value)
                .map(|url| Sourced::new(url, e.source.clone()))
                .map_err(|m| Failure::usage(format!("{m} (from {})", e.source)))
        })
        .transpose()
}

/// An endpoint as people read it: without the trailing `/`.
pub fn shown_url(url: &Url) -> &str {
    url.as_str().trim_end_matches('/')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts_are_checked_once_and_name_their_source() {
        let e = timeout(
            "timeout",
            None,
            Some(Sourced::new(Seconds::Number(1e300), Source::Default)),
            930.0,
        )
        .unwrap_err();
        assert_eq!(
            format!("{:#}", e.error),
            "`1e300` is not a number of seconds from 0.001 to 86400 (timeout from default)"
        );
        let flag = Source::Flag("--connect-timeout".into());
        let e = timeout(
            "connect_timeout",
            Some(Sourced::new("0".into(), flag.clone())),
            None,
            10.0,
        )
        .unwrap_err();
        assert_eq!(
            format!("{:#}", e.error),
            "`0` is not a number of seconds from 0.001 to 86400 (connect timeout from --connect-timeout)"
        );
        let from_file = |s: Seconds| {
            timeout(
                "timeout",
                None,
                Some(Sourced::new(s, Source::Default)),
                930.0,
            )
            .unwrap()
            .value
        };
        assert_eq!(from_file(Seconds::Number(2.5)), Duration::from_millis(2500));
        assert_eq!(
            from_file(Seconds::Text("2m".into())),
            Duration::from_secs(120)
        );
        let given = timeout(
            "timeout",
            Some(Sourced::new("1m".into(), flag)),
            None,
            930.0,
        );
        assert_eq!(given.unwrap().value, Duration::from_secs(60));
        let default = timeout("timeout", None, None, 930.0).unwrap();
        assert_eq!(default.value, Duration::from_secs(930));
        assert_eq!(default.source, Source::Default);
    }

    #[test]
    fn endpoints() {
        let shown = |t: &str| check_endpoint(t).map(|u| shown_url(&u).to_string());
        assert_eq!(
            shown("http://127.0.0.1:8080/").unwrap(),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            shown("https://fg.example.com/base/").unwrap(),
            "https://fg.example.com/base"
        );
        assert!(shown("ftp://x").unwrap_err().contains("scheme"));
        assert!(shown("not a url").is_err());
        assert!(
            shown("https://u:p@x.com")
                .unwrap_err()
                .contains("credentials")
        );
        assert!(shown("https://x.com/?a=1").unwrap_err().contains("query"));
    }

    #[test]
    fn replayed_errors() {
        let e = credentials::replay(&["outer".into(), "inner".into()]);
        assert_eq!(format!("{e:#}"), "outer: inner");
    }
}
