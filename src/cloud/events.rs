//! A function's saved test events (§11.1 of the API notes): the five requests on
//! `…/functions/{urn}/events`, the service's rule for their names, and their content.
//!
//! The content is sent as the newer documents say: standard base64 of the JSON text. It is
//! read leniently, as the reference asks: base64 of JSON (every document's example), or
//! the JSON text itself (older documents). Anything else is an error that says so.
//!
//! Events belong to the function: they are asked for on its version-less URN (whether the
//! service keeps them per version is unconfirmed, §11.5).

use anyhow::anyhow;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use bytes::Bytes;
use serde_json::{Value, json};

use crate::api::{self, Trace};
use crate::cloud::catalog;
use crate::cloud::lookup::{Lookup, Paging};
use crate::error::{Failure, Kind};
use crate::payload::{LENIENT_BASE64, LENIENT_BASE64_URL};
use crate::urn::Urn;

/// The service's rule for an event's name, as messages state it.
pub const NAME_RULE: &str = "1 to 25 characters: letters, digits, `-` and `_`, starting with a letter and ending with a letter or digit";

/// Check `name` as the service does (`^[a-zA-Z]([a-zA-Z0-9_-]*[a-zA-Z0-9])?$`, 1 to 25
/// characters): the message names the rule.
pub fn check_name(name: &str) -> Result<(), String> {
    let chars: Vec<char> = name.chars().collect();
    let ok = !chars.is_empty()
        && chars.len() <= 25
        && chars[0].is_ascii_alphabetic()
        && chars[chars.len() - 1].is_ascii_alphanumeric()
        && chars
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{}` is not a name the service takes for an event: {NAME_RULE}",
            crate::sanitize::shown(name)
        ))
    }
}

/// How a saved event's content was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// Base64 of the JSON text, as the newer documents say.
    Base64,
    /// The JSON text itself, as older documents say.
    Plain,
}

/// `json` as the content of a saved event: standard, padded base64.
pub fn encode(json: &[u8]) -> String {
    STANDARD.encode(json)
}

/// The JSON text of a saved event's content, and how it was written: base64 of JSON
/// (whitespace ignored, padding optional, either alphabet) first, then the JSON text
/// itself. A content that is neither is an error that says what it holds.
pub fn decode(content: &str) -> Result<(Vec<u8>, Encoding), String> {
    let compact: String = content
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    let mut base64 = false;
    for engine in [&LENIENT_BASE64, &LENIENT_BASE64_URL] {
        if let Ok(bytes) = engine.decode(&compact) {
            base64 = true;
            if !bytes.is_empty() && crate::payload::check_json(&bytes).is_ok() {
                return Ok((bytes, Encoding::Base64));
            }
        }
    }
    if crate::payload::check_json(content.as_bytes()).is_ok() {
        return Ok((content.as_bytes().to_vec(), Encoding::Plain));
    }
    let what = if content.trim().is_empty() {
        "it is empty".to_string()
    } else if base64 {
        "it is base64, but of something that is not JSON".to_string()
    } else {
        format!(
            "it is neither base64 nor JSON (it starts {:?})",
            crate::sanitize::one_line(content, 40)
        )
    };
    Err(what)
}

/// The id of a listed event, when it has one.
pub fn id(event: &Value) -> Option<String> {
    catalog::text(event, "id").filter(|id| !id.is_empty())
}

/// The listed event named `name`, if there is one.
pub fn named<'a>(events: &'a [Value], name: &str) -> Option<&'a Value> {
    events
        .iter()
        .find(|e| catalog::text(e, "name").as_deref() == Some(name))
}

/// The requests on one function's saved events.
pub struct Events<'a> {
    lookup: &'a Lookup,
    /// `/{urn}/events`, the function's URN version-less.
    tail: String,
}

impl<'a> Events<'a> {
    pub fn new(lookup: &'a Lookup, function: &Urn) -> Events<'a> {
        Events {
            lookup,
            tail: format!("/{}/events", function.unqualified().segment()),
        }
    }

    /// The function's saved events, `{id, name, last_modified}` each. The first request
    /// has no query, as the service documents none; a `next_marker` past the page is
    /// followed (as `marker`) while pages bring events not seen yet, so a service that
    /// ignores the marker ends the listing rather than repeats it.
    pub async fn list(&self, trace: &dyn Trace) -> Result<Vec<Value>, Failure> {
        let paging = Paging {
            bare_first: true,
            unique_by: Some("id"),
        };
        self.lookup
            .paged(&self.tail, &[], "events", paging, trace)
            .await
    }

    /// `…/events/{id}`, the id one path segment ([`crate::urn::id_segment`]); an id that
    /// would step up to the function itself (`..`) is refused.
    fn one(&self, id: &str) -> Result<url::Url, Failure> {
        let id = crate::urn::id_segment(id).ok_or_else(|| {
            Failure::new(
                Kind::Service,
                anyhow!(
                    "the service gave the saved event id {id:?}, which cannot be put in a path"
                ),
            )
        })?;
        self.lookup.url(&format!("{}/{id}", self.tail), &[])
    }

    /// One saved event, `{id, name, content, last_modified}`.
    pub async fn show(&self, id: &str, trace: &dyn Trace) -> Result<Value, Failure> {
        let url = self.one(id)?;
        let event = self.lookup.get(&url, trace).await?;
        if event.is_object() {
            Ok(event)
        } else {
            Err(unreadable(&url, "is not an event"))
        }
    }

    /// Create the event `name` with the JSON `content`; the service's answer, `{id, name}`.
    pub async fn create(
        &self,
        name: &str,
        content: &[u8],
        trace: &dyn Trace,
    ) -> Result<Value, Failure> {
        let url = self.lookup.url(&self.tail, &[])?;
        let body = json!({"name": name, "content": encode(content)});
        self.write("POST", &url, &body, trace).await
    }

    /// Replace the content of event `id` (the API renames nothing: no `name` is sent).
    pub async fn update(
        &self,
        id: &str,
        content: &[u8],
        trace: &dyn Trace,
    ) -> Result<Value, Failure> {
        let url = self.one(id)?;
        let body = json!({"content": encode(content)});
        self.write("PUT", &url, &body, trace).await
    }

    /// Delete event `id` (204, no body).
    pub async fn delete(&self, id: &str, trace: &dyn Trace) -> Result<(), Failure> {
        let url = self.one(id)?;
        self.lookup
            .send("DELETE", &url, Bytes::new(), trace)
            .await
            .map(|_| ())
    }

    /// `method url` with a JSON body; the answer's JSON, or `{}` when it has none.
    async fn write(
        &self,
        method: &'static str,
        url: &url::Url,
        body: &Value,
        trace: &dyn Trace,
    ) -> Result<Value, Failure> {
        let body = Bytes::from(serde_json::to_vec(body).expect("a Value always serialises"));
        let response = self.lookup.send(method, url, body, trace).await?;
        if response.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(json!({}));
        }
        serde_json::from_slice(&response.body).map_err(|e| {
            Failure::new(
                Kind::Service,
                anyhow!(
                    "the answer to {method} {} is not JSON: {e}",
                    api::short_target(url)
                ),
            )
        })
    }
}

fn unreadable(url: &url::Url, what: &str) -> Failure {
    Failure::new(
        Kind::Service,
        anyhow!("the answer to GET {} {what}", api::short_target(url)),
    )
}

/// One saved test event: its name and its content, decoded.
#[derive(Debug, Clone)]
pub struct SavedEvent {
    pub name: String,
    pub content: Vec<u8>,
}

/// The function's saved test events (§11.1), every page, then each one's content, decoded
/// by [`decode`]. One whose content is neither base64 of JSON nor JSON is kept as
/// it came, so that nothing the user saved is lost.
pub async fn all(
    lookup: &Lookup,
    urn: &Urn,
    trace: &dyn Trace,
) -> Result<Vec<SavedEvent>, Failure> {
    let saved = Events::new(lookup, urn);
    let mut out = Vec::new();
    for event in saved.list(trace).await? {
        let (Some(id), Some(name)) = (id(&event), catalog::text(&event, "name")) else {
            continue;
        };
        let shown = saved.show(&id, trace).await?;
        let content = shown.get("content").and_then(Value::as_str).unwrap_or("");
        out.push(SavedEvent {
            name,
            content: decode(content).map_or_else(|_| content.as_bytes().to_vec(), |(json, _)| json),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_service_rule() {
        for good in ["a", "Ab", "event-1", "my_event", "x9", &"a".repeat(25)] {
            assert_eq!(check_name(good), Ok(()), "{good}");
        }
        for bad in [
            "",
            "1abc",
            "-a",
            "a-",
            "a_",
            "a b",
            "a.b",
            "ä",
            "../x",
            &"a".repeat(26),
        ] {
            let e = check_name(bad).unwrap_err();
            assert!(e.contains("1 to 25 characters"), "{bad}: {e}");
        }
        // A control character is shown escaped in the message.
        assert!(check_name("a\u{1b}b").unwrap_err().contains("\\x1b"));
    }

    #[test]
    fn content_is_standard_padded_base64() {
        assert_eq!(encode(br#"{"k":"v"}"#), "eyJrIjoidiJ9");
        assert_eq!(encode(b"{}"), "e30=");
    }

    #[test]
    fn content_reads_as_base64_then_as_json() {
        let k = br#"{"k":"v"}"#.to_vec();
        assert_eq!(decode("eyJrIjoidiJ9"), Ok((k.clone(), Encoding::Base64)));
        assert_eq!(decode("e30"), Ok((b"{}".to_vec(), Encoding::Base64)));
        assert_eq!(decode("e30=\n"), Ok((b"{}".to_vec(), Encoding::Base64)));
        assert_eq!(decode(r#"{"k":"v"}"#), Ok((k, Encoding::Plain)));
        // Digits are base64 too, of bytes that are not JSON: the number it is.
        assert_eq!(decode("1234"), Ok((b"1234".to_vec(), Encoding::Plain)));
        assert_eq!(decode("true"), Ok((b"true".to_vec(), Encoding::Plain)));
        // `{"a":"~~~"}` in the URL-safe alphabet.
        let url_safe = base64::engine::general_purpose::URL_SAFE.encode(r#"{"a":"~~~"}"#);
        assert!(
            url_safe.contains('-') || url_safe.contains('_'),
            "{url_safe}"
        );
        assert_eq!(decode(&url_safe).unwrap().1, Encoding::Base64);
    }

    #[test]
    fn content_that_is_neither_says_what_it_is() {
        assert!(decode("").unwrap_err().contains("empty"));
        assert!(decode("%%%not base64").unwrap_err().contains("neither"));
        // Base64 of text that is not JSON.
        let e = decode(&encode(b"hello")).unwrap_err();
        assert!(e.contains("not JSON"), "{e}");
        let e = decode("\u{1b}[2J").unwrap_err();
        assert!(e.contains("\\x1b") && !e.contains('\u{1b}'), "{e}");
    }

    #[test]
    fn ids_and_names() {
        let events = vec![
            json!({"id": "a1", "name": "one"}),
            json!({"id": "", "name": "two"}),
            json!({"name": "three"}),
        ];
        assert_eq!(named(&events, "one").and_then(id).as_deref(), Some("a1"));
        assert_eq!(named(&events, "two").and_then(id), None);
        assert_eq!(named(&events, "three").and_then(id), None);
        assert!(named(&events, "four").is_none());
    }
}
