//! The request body: `-d DATA`, `-d @PATH`, `-d @-`, or piped stdin.
//!
//! The bytes go out exactly as the user wrote them; they are only checked to be JSON and
//! within the service's limit. Without `--data`, empty (or all-whitespace) stdin sends `{}`;
//! an explicit `--data` must be JSON: UTF-8 text (RFC 8259 §8.1) whose escapes name only
//! whole characters (no lone surrogate), checked by [`check_json`] here and for batch lines.

use std::io::Read;
use std::path::Path;

use anyhow::{Context, bail};
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// The service's limit for a synchronous request body (6 MB).
pub const SYNC_LIMIT: usize = 6 * 1024 * 1024;

/// Where the payload comes from, decided from `--data` and whether stdin is a terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source<'a> {
    Inline(&'a str),
    File(&'a Path),
    /// `-d @-`.
    Stdin,
    /// No `--data` and stdin is not a terminal.
    PipedStdin,
    /// No `--data` and stdin is a terminal: send `{}` at once.
    Nothing,
}

impl<'a> Source<'a> {
    pub fn from_arg(data: Option<&'a str>, stdin_is_terminal: bool) -> Source<'a> {
        match data {
            Some("@-") => Source::Stdin,
            Some(d) => match d.strip_prefix('@') {
                Some(path) => Source::File(Path::new(path)),
                None => Source::Inline(d),
            },
            None if stdin_is_terminal => Source::Nothing,
            None => Source::PipedStdin,
        }
    }

    fn describe(&self) -> String {
        match self {
            Source::Inline(_) => "--data".into(),
            Source::File(p) => format!("file {}", p.display()),
            Source::Stdin | Source::PipedStdin => "stdin".into(),
            Source::Nothing => "the default payload".into(),
        }
    }
}

/// Read, check the size and check the syntax. Errors are usage errors (exit 2).
pub fn read(source: &Source, stdin: impl Read, limit: usize) -> anyhow::Result<Vec<u8>> {
    let origin = source.describe();
    let implicit = matches!(source, Source::PipedStdin | Source::Nothing);
    let bytes = match source {
        Source::Inline(d) => d.as_bytes().to_vec(),
        Source::File(path) => read_limited(
            std::fs::File::open(path)
                .with_context(|| format!("opening payload file {}", path.display()))?,
            limit,
        )
        .with_context(|| format!("reading payload file {}", path.display()))?,
        Source::Stdin | Source::PipedStdin => {
            read_limited(stdin, limit).context("reading the payload from stdin")?
        }
        Source::Nothing => Vec::new(),
    };
    if bytes.len() > limit {
        bail!("the payload from {origin} is larger than the service's limit of {limit} bytes");
    }
    if implicit && bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(b"{}".to_vec());
    }
    if let Err(e) = check_json(&bytes) {
        bail!("the payload from {origin} is not valid JSON: {e}");
    }
    Ok(bytes)
}

/// Check that `bytes` are one JSON text: UTF-8, every string's escapes whole characters (a
/// lone surrogate such as `"\ud800"` is refused), nothing after the value. The message
/// names the line and column.
///
/// serde_json alone is not enough: skipping a value (`IgnoredAny`) checks neither the UTF-8
/// inside strings nor their `\u` escapes, so every string is decoded here.
pub fn check_json(bytes: &[u8]) -> Result<(), String> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let (line, column) = line_and_column(bytes, e.valid_up_to());
        format!("invalid UTF-8 at line {line} column {column}")
    })?;
    serde_json::from_str::<Checked>(text)
        .map(|_| ())
        .map_err(|e| {
            let message = e.to_string();
            // serde_json's two words for half a surrogate pair, said once and plainly.
            if message.starts_with("lone leading surrogate")
                || message.starts_with("unexpected end of hex escape")
            {
                format!(
                    "a lone surrogate in a \\u escape (\\ud800 to \\udfff come in pairs) at line {} column {}",
                    e.line(),
                    e.column()
                )
            } else {
                message
            }
        })
}

/// The 1-based line and byte column of `bytes[at]`, as serde_json counts them.
fn line_and_column(bytes: &[u8], at: usize) -> (usize, usize) {
    let before = &bytes[..at];
    let line = before.split(|&b| b == b'\n').count();
    let start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    (line, at - start + 1)
}

/// A JSON value read through and thrown away, each string (and key) decoded on the way.
struct Checked;

impl<'de> Deserialize<'de> for Checked {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Checked, D::Error> {
        deserializer.deserialize_any(Checked)
    }
}

impl<'de> Visitor<'de> for Checked {
    type Value = Checked;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_str<E>(self, _: &str) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_unit<E>(self) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Checked, A::Error> {
        while seq.next_element::<Checked>()?.is_some() {}
        Ok(Checked)
    }

    /// Objects, and (with serde_json's `arbitrary_precision`) numbers, which arrive as a
    /// one-entry map.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Checked, A::Error> {
        while map.next_entry::<Checked, Checked>()?.is_some() {}
        Ok(Checked)
    }
}

/// Read at most `limit + 1` bytes, enough to tell that the input is too large.
fn read_limited(input: impl Read, limit: usize) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    input.take(limit as u64 + 1).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Standard base64 with or without its padding, as the services' documents write it (a
/// saved event's content, an export's zip, an inline function's code).
pub const LENIENT_BASE64: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    base64::engine::GeneralPurposeConfig::new()
        .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
);

/// The URL-safe alphabet, with or without its padding.
pub const LENIENT_BASE64_URL: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    base64::engine::GeneralPurposeConfig::new()
        .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
);

#[cfg(test)]
mod tests {
    use super::*;

    fn read_str(source: &Source, stdin: &str) -> anyhow::Result<String> {
        read(source, stdin.as_bytes(), 64).map(|b| String::from_utf8(b).unwrap())
    }

    #[test]
    fn sources_from_the_flag() {
        assert_eq!(Source::from_arg(Some("@-"), true), Source::Stdin);
        assert_eq!(
            Source::from_arg(Some("@a.json"), true),
            Source::File(Path::new("a.json"))
        );
        assert_eq!(Source::from_arg(Some("{}"), false), Source::Inline("{}"));
        assert_eq!(Source::from_arg(None, true), Source::Nothing);
        assert_eq!(Source::from_arg(None, false), Source::PipedStdin);
    }

    #[test]
    fn bytes_are_kept_as_written() {
        let written = "{ \"k\" :  \"v\",\n \"n\": 1.50 }";
        assert_eq!(read_str(&Source::Inline(written), "").unwrap(), written);
        assert_eq!(read_str(&Source::Stdin, "[1, 2]\n").unwrap(), "[1, 2]\n");
    }

    #[test]
    fn explicit_empty_data_is_not_json() {
        assert!(read_str(&Source::Inline(""), "").is_err());
        assert!(read_str(&Source::Stdin, "").is_err());
    }

    #[test]
    fn empty_input_sends_an_empty_object() {
        assert_eq!(read_str(&Source::PipedStdin, "").unwrap(), "{}");
        assert_eq!(read_str(&Source::PipedStdin, " \n\t").unwrap(), "{}");
        assert_eq!(read_str(&Source::Nothing, "ignored").unwrap(), "{}");
    }

    #[test]
    fn invalid_json_names_line_and_column() {
        let e = read_str(&Source::Stdin, "{\n  \"k\": v\n}")
            .unwrap_err()
            .to_string();
        assert!(e.contains("stdin") && e.contains("line 2 column 8"), "{e}");
        let e = read_str(&Source::Inline("{\"a\":1} x"), "")
            .unwrap_err()
            .to_string();
        assert!(e.contains("--data") && e.contains("trailing"), "{e}");
    }

    #[test]
    fn json_text_is_utf8_without_lone_surrogates() {
        assert_eq!(
            check_json(b"{\"k\":\"\xff\"}").unwrap_err(),
            "invalid UTF-8 at line 1 column 7"
        );
        assert_eq!(
            check_json(b"[\n  \"ok\",\n  \"\xc3\"]").unwrap_err(),
            "invalid UTF-8 at line 3 column 4"
        );
        for lone in [
            r#""\ud800""#,
            r#""\udc00""#,
            r#"{"\ud800":1}"#,
            r#"["\ud800x"]"#,
        ] {
            let e = check_json(lone.as_bytes()).unwrap_err();
            assert!(
                e.contains("lone surrogate") && e.contains("line 1"),
                "{lone}: {e}"
            );
        }
        for good in [
            r#""\ud83d\ude00""#,
            "{\"\u{e9}\":[1e999,-0.5,null,true]}",
            "\"\\u0041\"",
        ] {
            assert_eq!(check_json(good.as_bytes()), Ok(()), "{good}");
        }
        let e = read_str(&Source::Stdin, "\"\\ud800\"")
            .unwrap_err()
            .to_string();
        assert!(e.ends_with("stdin is not valid JSON: a lone surrogate in a \\u escape (\\ud800 to \\udfff come in pairs) at line 1 column 8"), "{e}");
    }

    #[test]
    fn over_the_limit_is_refused_without_reading_everything() {
        let big = format!("[{}1]", "1,".repeat(100));
        let e = read_str(&Source::Stdin, &big).unwrap_err().to_string();
        assert!(e.contains("limit of 64 bytes"), "{e}");
        let e = read_str(&Source::File(Path::new("/nonexistent/p.json")), "").unwrap_err();
        assert!(format!("{e:#}").contains("/nonexistent/p.json"));
    }
}

/// Property tests of payload validation: no bytes panic it, it accepts exactly what
/// serde_json can read into a value (UTF-8, whole characters), and [`read`] never passes
/// more than the limit. Its errors are usage errors (exit 2) wherever they are raised.
#[cfg(test)]
mod fuzz {
    use super::*;
    use proptest::prelude::*;

    /// JSON text near the valid shapes: strings with escapes (lone surrogates, pairs,
    /// controls), numbers of every spelling, nesting, random keys.
    fn json() -> impl Strategy<Value = String> {
        let piece = prop::sample::select(vec![
            "a",
            "\u{e9}",
            "\u{1f600}",
            "\\n",
            "\\\"",
            "\\u0041",
            "\\ud800",
            "\\udc00",
            "\\ud83d\\ude00",
            "\\ud800\\u0041",
            "\\ud800\\ud800",
            "\\x",
            "\t",
            "\\u12",
        ]);
        let string = prop::collection::vec(piece, 0..4).prop_map(|p| format!("\"{}\"", p.concat()));
        let leaf = prop_oneof![
            string.clone(),
            prop::sample::select(vec![
                "0", "-0", "1.5e300", "1e99999", "01", "1.", "-", "true", "null", "nul", "",
            ])
            .prop_map(str::to_string),
        ];
        leaf.prop_recursive(4, 32, 4, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4)
                    .prop_map(|v| format!("[{}]", v.join(","))),
                prop::collection::vec((string.clone(), inner), 0..4).prop_map(|e| {
                    let fields: Vec<String> =
                        e.into_iter().map(|(k, v)| format!("{k}:{v}")).collect();
                    format!("{{{}}}", fields.join(","))
                }),
            ]
        })
    }

    /// JSON text, sometimes with a byte that is not UTF-8 put somewhere in it.
    fn payload() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            3 => json().prop_map(String::into_bytes),
            1 => (json(), any::<prop::sample::Index>(), 0x80u8..=0xff).prop_map(|(j, at, byte)| {
                let mut bytes = j.into_bytes();
                bytes.insert(at.index(bytes.len() + 1), byte);
                bytes
            }),
            1 => prop::collection::vec(any::<u8>(), 0..48),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        #[test]
        fn check_json_accepts_what_a_value_can_hold(bytes in payload()) {
            let value = serde_json::from_slice::<serde_json::Value>(&bytes);
            let checked = check_json(&bytes);
            prop_assert_eq!(checked.is_ok(), value.is_ok(), "{:?}: {:?}", String::from_utf8_lossy(&bytes), checked);
            if let Err(e) = checked {
                prop_assert!(e.contains(" at line "), "{e}");
            }
        }

        #[test]
        fn read_never_passes_more_than_the_limit(
            bytes in payload(),
            limit in 0usize..64,
            source in 0..3,
        ) {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let source = match source {
                0 => Source::Inline(&text),
                1 => Source::Stdin,
                _ => Source::PipedStdin,
            };
            let input: &[u8] = if matches!(source, Source::Inline(_)) { b"" } else { &bytes };
            if let Ok(sent) = read(&source, input, limit) {
                let within = sent.len() <= limit || sent == b"{}";
                prop_assert!(within, "{} bytes passed a limit of {limit}", sent.len());
                prop_assert!(check_json(&sent).is_ok());
            }
        }
    }
}
