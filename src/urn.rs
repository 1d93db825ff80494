//! The function URN: parsing the full and short forms, qualifiers, validation; and the one
//! type, [`Urn`], that formats a full URN and makes it a path segment wherever one is sent.
//!
//! Full form: `urn:fss:REGION:PROJECT_ID:function:PACKAGE:NAME[:VERSION|:!ALIAS]`.
//! Short forms: `NAME` and `PACKAGE:NAME` (package `default`).

use std::fmt;

/// A version or an alias of a function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Qualifier {
    Version(String),
    Alias(String),
}

impl fmt::Display for Qualifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Qualifier::Version(v) => f.write_str(v),
            Qualifier::Alias(a) => write!(f, "!{a}"),
        }
    }
}

/// What the user named: a full URN or one of the short forms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionRef {
    pub region: Option<String>,
    pub project_id: Option<String>,
    pub package: String,
    pub name: String,
    pub qualifier: Option<Qualifier>,
}

impl FunctionRef {
    /// Parse a URN or a short form, validating each field.
    pub fn parse(input: &str) -> Result<FunctionRef, String> {
        let input = input.trim();
        if input.is_empty() {
            return Err("the function is empty".into());
        }
        let fields: Vec<&str> = input.split(':').collect();
        let full = fields[0].eq_ignore_ascii_case("urn");
        let parsed = match (full, fields.as_slice()) {
            (
                true,
                [
                    "urn",
                    "fss",
                    region,
                    project,
                    "function",
                    package,
                    name,
                    rest @ ..,
                ],
            ) if rest.len() <= 1 => {
                check_region_field(region)?;
                check_project_id(project)?;
                FunctionRef {
                    region: Some(region.to_string()),
                    project_id: Some(project.to_string()),
                    package: package.to_string(),
                    name: name.to_string(),
                    qualifier: rest.first().map(|q| parse_qualifier(q)).transpose()?,
                }
            }
            (true, _) => {
                return Err(format!(
                    "`{input}` is not a function URN: expected \
                     urn:fss:REGION:PROJECT_ID:function:PACKAGE:NAME[:VERSION|:!ALIAS]"
                ));
            }
            (false, [name]) => FunctionRef::short("default", name),
            // Names cannot hold `!`, and `latest` is the version every function has: these
            // read as NAME:!ALIAS and NAME:latest. Any other A:B is PACKAGE:NAME.
            (false, [name, qualifier]) if qualifier.starts_with('!') || *qualifier == "latest" => {
                FunctionRef {
                    qualifier: Some(parse_qualifier(qualifier)?),
                    ..FunctionRef::short("default", name)
                }
            }
            (false, [package, name]) => FunctionRef::short(package, name),
            (false, _) => {
                return Err(format!(
                    "`{input}` is neither a full URN nor NAME or PACKAGE:NAME \
                     (use --qualifier or --alias for a version or alias)"
                ));
            }
        };
        check_name("package", &parsed.package)?;
        check_name("function name", &parsed.name)?;
        Ok(parsed)
    }

    fn short(package: &str, name: &str) -> FunctionRef {
        FunctionRef {
            region: None,
            project_id: None,
            package: package.to_string(),
            name: name.to_string(),
            qualifier: None,
        }
    }

    /// The full URN that is sent, `latest` when no version or alias is named.
    pub fn to_urn(&self, region: &str, project_id: &str) -> Urn {
        Urn {
            region: region.to_string(),
            project_id: project_id.to_string(),
            package: self.package.clone(),
            name: self.name.clone(),
            qualifier: Some(
                self.qualifier
                    .clone()
                    .unwrap_or_else(|| Qualifier::Version("latest".into())),
            ),
        }
    }
}

/// A full URN: `urn:fss:REGION:PROJECT_ID:function:PACKAGE:NAME[:VERSION|:!ALIAS]`. It is
/// written with [`fmt::Display`] and put into a request path with [`Urn::segment`], and
/// nowhere by hand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Urn {
    /// The region slot: a region, or a project name such as `cn-north-4_sub`.
    pub region: String,
    pub project_id: String,
    pub package: String,
    pub name: String,
    /// `None` names the function itself, as the service's listings do (§10.1).
    pub qualifier: Option<Qualifier>,
}

impl Urn {
    /// A URN as the service wrote it (`func_urn`, `alias_urn`): `urn:fss:…:function:…` with
    /// seven or eight fields, each taken as it is (the service's word: only the shape is
    /// checked, and [`Urn::segment`] keeps any odd character inside its path segment).
    pub fn read(text: &str) -> Option<Urn> {
        let fields: Vec<&str> = text.split(':').collect();
        let [
            "urn",
            "fss",
            region,
            project_id,
            "function",
            package,
            name,
            rest @ ..,
        ] = fields.as_slice()
        else {
            return None;
        };
        let qualifier = match rest {
            [] => None,
            [field] => Some(match field.strip_prefix('!') {
                Some(alias) => Qualifier::Alias(alias.to_string()),
                None => Qualifier::Version((*field).to_string()),
            }),
            _ => return None,
        };
        Some(Urn {
            region: (*region).to_string(),
            project_id: (*project_id).to_string(),
            package: (*package).to_string(),
            name: (*name).to_string(),
            qualifier,
        })
    }

    /// The function itself, without its version or alias.
    pub fn unqualified(&self) -> Urn {
        Urn {
            qualifier: None,
            ..self.clone()
        }
    }

    /// The same function at `version`.
    pub fn with_version(&self, version: &str) -> Urn {
        Urn {
            qualifier: Some(Qualifier::Version(version.to_string())),
            ..self.clone()
        }
    }

    /// The URN as one path segment of a request (`…/functions/{urn}/…`): `:` as it is and
    /// `!` as `%21`, as the official Go SDK sends them (§3 and the wire path note of the
    /// API notes); `/`, `?`, `#`, `%`, spaces and control characters percent-encoded, so
    /// that a URN read from an answer can neither reach another path nor add a query.
    pub fn segment(&self) -> String {
        percent_encoding::utf8_percent_encode(&self.to_string(), NOT_IN_SEGMENT).to_string()
    }
}

/// An id the service gave (a saved event's, an LTS group's) made one path segment: every
/// character but letters, digits, `-`, `_`, `.` and `~` percent-encoded. `None` for an
/// empty id, `.` or `..`, which a URL parser folds into the path above (`%2E%2E` too), so
/// that no id can point a request at its parent resource.
pub fn id_segment(id: &str) -> Option<String> {
    const ENCODED: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    (!matches!(id, "" | "." | ".."))
        .then(|| percent_encoding::utf8_percent_encode(id, ENCODED).to_string())
}

/// A path segment made by [`Urn::segment`] (or by any client that percent-encodes), back
/// to the URN's text; `None` when the decoded bytes are not UTF-8.
pub fn from_segment(segment: &str) -> Option<String> {
    percent_encoding::percent_decode_str(segment)
        .decode_utf8()
        .ok()
        .map(std::borrow::Cow::into_owned)
}

impl fmt::Display for Urn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "urn:fss:{}:{}:function:{}:{}",
            self.region, self.project_id, self.package, self.name
        )?;
        match &self.qualifier {
            Some(qualifier) => write!(f, ":{qualifier}"),
            None => Ok(()),
        }
    }
}

/// What a URN may not hold raw in its path segment.
const NOT_IN_SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'/')
    .add(b'?')
    .add(b'#')
    .add(b'%')
    .add(b'!');

fn parse_qualifier(field: &str) -> Result<Qualifier, String> {
    match field.strip_prefix('!') {
        Some(alias) => alias_qualifier(alias),
        None => version_qualifier(field),
    }
}

/// `--qualifier VERSION`.
pub fn version_qualifier(version: &str) -> Result<Qualifier, String> {
    check_token("version", version, |c| {
        c.is_ascii_alphanumeric() || "_-.".contains(c)
    })?;
    Ok(Qualifier::Version(version.to_string()))
}

/// `--alias NAME`; a leading `!` is accepted and dropped.
pub fn alias_qualifier(alias: &str) -> Result<Qualifier, String> {
    let alias = alias.strip_prefix('!').unwrap_or(alias);
    check_token("alias", alias, |c| {
        c.is_ascii_alphanumeric() || "_-".contains(c)
    })?;
    Ok(Qualifier::Alias(alias.to_string()))
}

fn check_name(what: &str, value: &str) -> Result<(), String> {
    check_token(what, value, |c| {
        c.is_ascii_alphanumeric() || "_-".contains(c)
    })
}

/// A project id is letters and digits (32 of them in every real one; any length is accepted).
pub fn check_project_id(value: &str) -> Result<(), String> {
    check_token("project id", value, |c| c.is_ascii_alphanumeric()).map_err(|e| {
        if e.contains("placeholder") {
            e
        } else {
            format!(
                "{e}; a project id is 32 letters and digits, listed in the console under My Credentials > API Credentials"
            )
        }
    })
}

/// A region becomes part of a host name: lowercase letters, digits and `-`.
pub fn check_region(value: &str) -> Result<(), String> {
    check_token("region", value, |c| {
        c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'
    })
    .map_err(|e| with_region_format(&e))?;
    if value.starts_with('-') || value.ends_with('-') {
        return Err(format!(
            "invalid region `{value}`: it cannot start or end with `-`"
        ));
    }
    Ok(())
}

/// Whether `value` is written as the README's placeholders are: upper-case letters and `_`,
/// four or more (`NAME`, `REGION`, `PROJECT_ID`).
pub fn looks_like_placeholder(value: &str) -> bool {
    value.len() >= 4
        && value.chars().all(|c| c.is_ascii_uppercase() || c == '_')
        && value.chars().any(|c| c.is_ascii_uppercase())
}

/// A value still in the upper case of the README's placeholders (`REGION`, `PROJECT_ID`):
/// say what to put there instead.
fn placeholder(what: &str, value: &str) -> Option<String> {
    let upper = looks_like_placeholder(value);
    let example = match what {
        "region" => ", e.g. cn-north-4",
        "project id" => {
            " (32 letters and digits: the console lists them under My Credentials > API Credentials)"
        }
        _ => return None,
    };
    upper.then(|| format!("`{value}` is a placeholder: replace {value} with your {what}{example}"))
}

/// The URN's region slot sometimes holds a project name such as `cn-north-4_sub`.
fn check_region_field(value: &str) -> Result<(), String> {
    check_token("region", value, |c| {
        c.is_ascii_lowercase() || c.is_ascii_digit() || "-_".contains(c)
    })
    .map_err(|e| with_region_format(&e))
}

/// A malformed region's error, with the format a region has.
fn with_region_format(error: &str) -> String {
    if error.contains("placeholder") {
        error.to_string()
    } else {
        format!(
            "{error}; a region is lowercase letters, digits and `-`, like cn-north-4 or ap-southeast-1"
        )
    }
}

fn check_token(what: &str, value: &str, allowed: impl Fn(char) -> bool) -> Result<(), String> {
    if value.is_empty() {
        return Err(format!("the {what} is empty"));
    }
    if let Some(message) = placeholder(what, value) {
        return Err(message);
    }
    if value.len() > 128 {
        return Err(format!("the {what} is longer than 128 characters"));
    }
    if let Some(bad) = value.chars().find(|&c| !allowed(c)) {
        return Err(format!(
            "invalid {what} `{}`: `{}` is not allowed",
            value.escape_debug(),
            bad.escape_debug()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn full_urn_with_version_alias_and_none() {
        let f = FunctionRef::parse(&format!(
            "urn:fss:cn-north-4:{P}:function:default:hello:latest"
        ))
        .unwrap();
        assert_eq!(f.region.as_deref(), Some("cn-north-4"));
        assert_eq!(f.project_id.as_deref(), Some(P));
        assert_eq!(f.qualifier, Some(Qualifier::Version("latest".into())));
        let f =
            FunctionRef::parse(&format!("urn:fss:cn-north-4:{P}:function:pkg:hello:!dev")).unwrap();
        assert_eq!(f.package, "pkg");
        assert_eq!(f.qualifier, Some(Qualifier::Alias("dev".into())));
        assert_eq!(
            f.to_urn("cn-north-4", P).to_string(),
            format!("urn:fss:cn-north-4:{P}:function:pkg:hello:!dev")
        );
        let f =
            FunctionRef::parse(&format!("urn:fss:cn-north-4:{P}:function:default:hello")).unwrap();
        assert_eq!(f.qualifier, None);
        assert!(
            f.to_urn("cn-north-4", P)
                .to_string()
                .ends_with(":hello:latest")
        );
    }

    #[test]
    fn a_urn_formats_itself_and_stays_one_path_segment() {
        let urn = Urn::read("urn:fss:r:p:function:default:f:!prod").unwrap();
        assert_eq!(urn.to_string(), "urn:fss:r:p:function:default:f:!prod");
        assert_eq!(urn.segment(), "urn:fss:r:p:function:default:f:%21prod");
        let odd = Urn::read("urn:fss:r:p:function:default:f/../x?y#z").unwrap();
        assert_eq!(
            odd.segment(),
            "urn:fss:r:p:function:default:f%2F..%2Fx%3Fy%23z"
        );
        for urn in [&urn, &odd] {
            assert_eq!(from_segment(&urn.segment()), Some(urn.to_string()));
        }
        assert_eq!(from_segment("%FF"), None);
        let base = "urn:fss:r:p:function:default:f";
        let function = Urn::read(base).unwrap();
        assert_eq!(function.qualifier, None);
        assert_eq!(function.to_string(), base);
        assert_eq!(
            Urn::read(&format!("{base}:!prod"))
                .unwrap()
                .unqualified()
                .to_string(),
            base
        );
        assert_eq!(function.unqualified().to_string(), base);
        assert_eq!(
            function.with_version("v1").to_string(),
            format!("{base}:v1")
        );
        assert_eq!(Urn::read("urn:fss:r:p:function:default"), None);
        assert_eq!(Urn::read(&format!("{base}:v1:x")), None);
        assert_eq!(Urn::read("hello"), None);
    }

    #[test]
    fn short_forms() {
        let f = FunctionRef::parse("hello").unwrap();
        assert_eq!((f.package.as_str(), f.name.as_str()), ("default", "hello"));
        assert_eq!(f.region, None);
        let f = FunctionRef::parse("tools:hello-world_2").unwrap();
        assert_eq!(
            (f.package.as_str(), f.name.as_str()),
            ("tools", "hello-world_2")
        );
    }

    #[test]
    fn bad_urns_name_the_field() {
        let bad_project = "urn:fss:cn-north-4:abc-123:function:default:hello";
        assert!(
            FunctionRef::parse(bad_project)
                .unwrap_err()
                .contains("project id")
        );
        let bad_region = format!("urn:fss:CN.north:{P}:function:default:hello");
        assert!(
            FunctionRef::parse(&bad_region)
                .unwrap_err()
                .contains("region")
        );
        let bad_name = format!("urn:fss:cn-north-4:{P}:function:default:he/llo");
        assert!(
            FunctionRef::parse(&bad_name)
                .unwrap_err()
                .contains("function name")
        );
        let bad_alias = format!("urn:fss:cn-north-4:{P}:function:default:hello:!d?v");
        assert!(
            FunctionRef::parse(&bad_alias)
                .unwrap_err()
                .contains("alias")
        );
        assert!(
            FunctionRef::parse("urn:fss:cn-north-4")
                .unwrap_err()
                .contains("not a function URN")
        );
        assert!(FunctionRef::parse("a:b:c").unwrap_err().contains("neither"));
        assert!(FunctionRef::parse("").is_err());
    }

    #[test]
    fn qualifiers_and_regions() {
        assert_eq!(
            alias_qualifier("!prod").unwrap(),
            Qualifier::Alias("prod".into())
        );
        assert_eq!(version_qualifier("v1.2").unwrap().to_string(), "v1.2");
        assert!(version_qualifier("v 1").is_err());
        assert!(check_region("cn-north-4").is_ok());
        assert!(check_region("evil.com/x").is_err());
        assert!(check_region("-x").is_err());
        assert!(check_project_id(P).is_ok());
        assert!(check_project_id("x y").is_err());
    }
}

/// Property tests: no input panics the parser, and what it accepts is well formed and
/// survives a round trip through [`FunctionRef::to_urn`]. Its errors are usage errors
/// (exit 2) wherever they are raised.
#[cfg(test)]
mod fuzz {
    use super::*;
    use proptest::prelude::*;

    /// A field near the URN's own alphabet: separators, `!`, dots, spaces, non-ASCII.
    fn field() -> impl Strategy<Value = String> {
        "[a-zA-Z0-9_.:! \u{e9}\u{4e2d}-]{0,10}"
    }

    /// Mostly a valid field, sometimes one of [`field`].
    fn near() -> impl Strategy<Value = String> {
        prop_oneof![3 => "[a-z0-9_-]{1,8}", 1 => field()]
    }

    /// Every character the accepted fields may hold.
    fn well_formed(f: &FunctionRef) -> bool {
        let token = |s: &str, extra: &str| {
            !s.is_empty()
                && s.len() <= 128
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || extra.contains(c))
        };
        token(&f.package, "_-")
            && token(&f.name, "_-")
            && f.project_id.as_deref().is_none_or(|p| token(p, ""))
            && match &f.qualifier {
                None => true,
                Some(Qualifier::Version(v)) => token(v, "_-."),
                Some(Qualifier::Alias(a)) => token(a, "_-"),
            }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        #[test]
        fn any_text_is_parsed_or_refused(input in any::<String>()) {
            if let Ok(f) = FunctionRef::parse(&input) {
                prop_assert!(well_formed(&f), "{f:?}");
            }
        }

        #[test]
        fn near_urns_round_trip(
            scheme in prop::sample::select(vec!["urn:fss", "URN:fss", "urn:fs", "urn"]),
            region in near(),
            project in near(),
            kind in prop::sample::select(vec!["function", "Function", "fn"]),
            package in near(),
            name in near(),
            qualifier in prop::option::of(prop_oneof![near(), near().prop_map(|a| format!("!{a}"))]),
        ) {
            let mut input = format!("{scheme}:{region}:{project}:{kind}:{package}:{name}");
            if let Some(q) = &qualifier {
                input = format!("{input}:{q}");
            }
            if let Ok(f) = FunctionRef::parse(&input) {
                prop_assert!(well_formed(&f), "{f:?}");
                let (region, project) = (f.region.clone().unwrap(), f.project_id.clone().unwrap());
                let again = FunctionRef::parse(&f.to_urn(&region, &project).to_string()).unwrap();
                prop_assert_eq!(&again.package, &f.package);
                prop_assert_eq!(&again.name, &f.name);
                let latest = Some(Qualifier::Version("latest".into()));
                prop_assert_eq!(again.qualifier, f.qualifier.clone().or(latest));
            }
        }

        #[test]
        fn short_forms_and_qualifiers(package in field(), name in field(), q in field()) {
            if let Ok(f) = FunctionRef::parse(&format!("{package}:{name}")) {
                prop_assert!(well_formed(&f) && f.region.is_none(), "{f:?}");
            }
            let _ = FunctionRef::parse(&name);
            if let Ok(Qualifier::Alias(a)) = alias_qualifier(&q) {
                prop_assert!(!a.starts_with('!'));
            }
            let _ = version_qualifier(&q);
            if check_region(&q).is_ok() {
                prop_assert!(!q.starts_with('-') && !q.ends_with('-'));
            }
        }
    }

    #[test]
    fn an_id_is_one_segment_and_never_a_step_up() {
        assert_eq!(id_segment("a1-b_c.d~e").as_deref(), Some("a1-b_c.d~e"));
        assert_eq!(id_segment("a/b?c#d%").as_deref(), Some("a%2Fb%3Fc%23d%25"));
        for bad in ["", ".", ".."] {
            assert_eq!(id_segment(bad), None, "{bad:?}");
        }
        // Encoded, a longer run of dots is an ordinary name to a URL parser.
        let url = url::Url::parse(&format!("http://h/f/events/{}", id_segment("...").unwrap()));
        assert_eq!(url.unwrap().path(), "/f/events/...");
    }
}
