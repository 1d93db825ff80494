//! The one outcome renderer: an answer (invoked, accepted, refused, failed) becomes its
//! stdout text, its failure and exit code, its log and its summary line, laid out for one
//! call (a block) or for line N of a batch. Local functions reuse it as it is.
//!
//! Pure functions of their inputs, independent of the HTTP client and of the terminal:
//! whether to colour is an argument.

use anyhow::anyhow;
use base64::Engine as _;
use colored::Colorize;
use serde_json::{Map, Value, json};

use crate::api::{Answer, ApiError, Invocation, Refusal};
use crate::cli::OutputMode;
use crate::error::{Failure, Kind};
use crate::sanitize;
use crate::units::{decimal, json_number};

/// How one answer is laid out on stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// One call: the result as it is (pretty, raw, or one JSON document), with a newline.
    Block,
    /// Line N of a batch: one line, without its newline; JSON documents carry `"line": N`.
    Line(u64),
}

/// How answers are shown: the same for every call of a run.
#[derive(Debug, Clone)]
pub struct Style {
    pub mode: OutputMode,
    pub no_fail: bool,
    pub function_urn: String,
    /// Colour on stdout (pretty results) and on stderr (the summary line).
    pub stdout_color: bool,
    pub stderr_color: bool,
    /// stdout is a terminal: one call's `-o json` document is indented (and coloured), as
    /// gh and aws print it; in a pipe it is one line.
    pub stdout_terminal: bool,
}

/// What one answer shows, and what it means.
#[derive(Debug, Default)]
pub struct Shown {
    pub stdout: Vec<u8>,
    /// The function's log, for stderr.
    pub log: Option<String>,
    /// A warning about the answer (an undecodable log).
    pub warning: Option<String>,
    /// The summary line for stderr, without a newline: ok/function error, or accepted.
    pub summary: Option<String>,
    /// Set when the call failed; its kind decides the exit code.
    pub failure: Option<Failure>,
}

/// The one place where an answer becomes output.
pub fn outcome(answer: Result<Answer, Refusal>, style: &Style, layout: Layout) -> Shown {
    let urn = style.function_urn.as_str();
    let document = |value: Value| self::document(value, style, layout);
    match answer {
        Ok(Answer::Invoked(mut inv)) => {
            let failure = (inv.function_error && !style.no_fail).then(|| {
                Failure::new(Kind::FunctionError, anyhow!("{}", function_error(&inv)))
                    .with_request_id(inv.request_id.clone())
            });
            let summary = summary_line(&inv, style.stderr_color);
            let stdout = match (style.mode, layout) {
                (OutputMode::Json, _) => document(json_document(&inv, urn)),
                // The result itself, moved rather than copied: a large answer is held once.
                (OutputMode::Raw, Layout::Block) => with_newline(std::mem::take(&mut inv.result)),
                (OutputMode::Pretty, Layout::Block) => {
                    pretty_result(&inv.result, style.stdout_color, style.stdout_terminal)
                }
                (_, Layout::Line(_)) => one_line(&inv.result),
            };
            let Invocation {
                log, log_warning, ..
            } = *inv;
            Shown {
                stdout,
                log: log.map(mark_cut),
                warning: log_warning,
                summary: Some(summary),
                failure,
            }
        }
        Ok(Answer::Accepted {
            request_id,
            http_status,
        }) => {
            let id = request_id.as_deref();
            let stdout = match (style.mode, layout) {
                (OutputMode::Json, _) => document(accepted_document(id, urn, http_status)),
                (_, Layout::Block) => with_newline(id.unwrap_or_default().as_bytes()),
                (_, Layout::Line(_)) => id.unwrap_or_default().as_bytes().to_vec(),
            };
            Shown {
                stdout,
                summary: Some(format!(
                    "accepted · HTTP {http_status} · request {}",
                    sanitize::shown(id.unwrap_or("unknown"))
                )),
                ..Shown::default()
            }
        }
        Err(refusal) => {
            // In json mode every failure has its document, for one call as for a batch line.
            let stdout = if style.mode == OutputMode::Json {
                document(failure_document(
                    &refusal.failure,
                    refusal.api_error.as_ref(),
                    urn,
                ))
            } else {
                Vec::new()
            };
            Shown {
                stdout,
                failure: Some(refusal.failure),
                ..Shown::default()
            }
        }
    }
}

/// A JSON document on stdout: indented (and coloured) for one call on a terminal, one line
/// in a pipe, `{"line": N, …}` for line N of a batch.
pub fn document(value: Value, style: &Style, layout: Layout) -> Vec<u8> {
    match layout {
        Layout::Block if style.stdout_terminal => {
            let mut text = String::new();
            write_pretty(&mut text, &value, 0, style.stdout_color, true);
            text.push('\n');
            text.into_bytes()
        }
        Layout::Block => json_line(&value),
        Layout::Line(line) => with_line(line, value),
    }
}

/// The one line a function error gets on stderr: the error the function raised, when its
/// result says (`errorType`, `errorMessage`), and the code.
fn function_error(inv: &Invocation) -> String {
    let code = sanitize::shown(inv.error_code.as_deref().unwrap_or("none"));
    let raised = serde_json::from_slice::<Value>(&inv.result)
        .ok()
        .and_then(|v| {
            let kind = v.get("errorType")?.as_str()?.to_string();
            let message = v.get("errorMessage")?.as_str()?.to_string();
            Some((kind, message))
        });
    match raised {
        Some((kind, message)) => format!(
            "the function raised {}: {} (error code {code})",
            sanitize::one_line(&kind, 80),
            sanitize::shown(&message)
        ),
        None => format!("the function reported an error (error code {code})"),
    }
}

/// A value as one line of JSON, with its newline.
pub fn json_line(value: &Value) -> Vec<u8> {
    let mut bytes = serde_json::to_vec(value).expect("a Value always serialises");
    bytes.push(b'\n');
    bytes
}

/// `{"line": N, ...the document}`.
fn with_line(line: u64, document: Value) -> Vec<u8> {
    let mut map = Map::new();
    map.insert("line".into(), json!(line));
    if let Value::Object(fields) = document {
        map.extend(fields);
    }
    serde_json::to_vec(&Value::Object(map)).expect("a Value always serialises")
}

/// A result on one line: as it is when it has no line break inside; compact JSON when it is
/// JSON; else with its line breaks written as `\n`.
fn one_line(result: &[u8]) -> Vec<u8> {
    let trimmed = result.strip_suffix(b"\n").unwrap_or(result);
    let trimmed = trimmed.strip_suffix(b"\r").unwrap_or(trimmed);
    if !trimmed.iter().any(|&b| b == b'\n' || b == b'\r') {
        return trimmed.to_vec();
    }
    if let Ok(value) = serde_json::from_slice::<Value>(trimmed) {
        return serde_json::to_vec(&value).expect("a Value always serialises");
    }
    String::from_utf8_lossy(trimmed)
        .replace("\r\n", "\\n")
        .replace(['\n', '\r'], "\\n")
        .into_bytes()
}

/// Styles that are applied only when `color` is on.
fn paint(text: &str, color: bool, style: fn(&str) -> colored::ColoredString) -> String {
    if color {
        style(text).to_string()
    } else {
        text.to_string()
    }
}

/// The result for people: JSON indented (JSON inside strings expanded), other text as is.
pub fn pretty_result(result: &[u8], color: bool, terminal: bool) -> Vec<u8> {
    match serde_json::from_slice::<Value>(result) {
        Ok(value) => {
            let mut text = String::new();
            write_pretty(&mut text, &expand(value), 0, color, terminal);
            text.push('\n');
            text.into_bytes()
        }
        // On a terminal the function's text is shown as the log is: escape sequences
        // escaped, so that no result can retitle or recolour the terminal.
        Err(_) if terminal => {
            with_newline(sanitize::log_for_terminal(&String::from_utf8_lossy(result)))
        }
        Err(_) => with_newline(result),
    }
}

/// The result exactly as returned, with a final newline added only if it lacks one.
pub fn with_newline(result: impl Into<Vec<u8>>) -> Vec<u8> {
    let mut bytes = result.into();
    if !bytes.is_empty() && !bytes.ends_with(b"\n") {
        bytes.push(b'\n');
    }
    bytes
}

/// Replace strings that hold a JSON object or array by that structure, and an HTTP-style
/// result's base64 `body` by what it decodes to when that is JSON.
pub fn expand(value: Value) -> Value {
    match value {
        Value::String(s) => match parse_structure(s.as_bytes()) {
            Some(inner) => expand(inner),
            None => Value::String(s),
        },
        Value::Array(items) => Value::Array(items.into_iter().map(expand).collect()),
        Value::Object(mut map) => {
            let base64_body = map.get("isBase64Encoded") == Some(&Value::Bool(true));
            if base64_body {
                let decoded = map
                    .get("body")
                    .and_then(Value::as_str)
                    .and_then(|b| {
                        base64::engine::general_purpose::STANDARD
                            .decode(b.trim())
                            .ok()
                    })
                    .and_then(|bytes| parse_structure(&bytes));
                if let Some(decoded) = decoded {
                    map.insert("body".into(), decoded);
                }
            }
            Value::Object(map.into_iter().map(|(k, v)| (k, expand(v))).collect())
        }
        other => other,
    }
}

fn parse_structure(bytes: &[u8]) -> Option<Value> {
    let trimmed = bytes.trim_ascii_start();
    if !(trimmed.starts_with(b"{") || trimmed.starts_with(b"[")) {
        return None;
    }
    serde_json::from_slice::<Value>(bytes)
        .ok()
        .filter(|v| v.is_object() || v.is_array())
}

/// Two-space indented JSON, coloured like jq when `color` is on.
fn write_pretty(out: &mut String, value: &Value, indent: usize, color: bool, terminal: bool) {
    let pad = |n: usize| "  ".repeat(n);
    match value {
        Value::Null => out.push_str(&paint("null", color, |s| s.bright_black())),
        Value::Bool(b) => out.push_str(&paint(&b.to_string(), color, |s| s.yellow())),
        Value::Number(n) => out.push_str(&paint(&n.to_string(), color, |s| s.cyan())),
        Value::String(s) => {
            let text = quoted(s, terminal);
            out.push_str(&paint(&text, color, |s| s.green()));
        }
        Value::Array(items) if items.is_empty() => out.push_str("[]"),
        Value::Object(map) if map.is_empty() => out.push_str("{}"),
        Value::Array(items) => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                out.push_str(&pad(indent + 1));
                write_pretty(out, item, indent + 1, color, terminal);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            out.push_str(&pad(indent));
            out.push(']');
        }
        Value::Object(map) => {
            out.push_str("{\n");
            for (i, (key, item)) in map.iter().enumerate() {
                out.push_str(&pad(indent + 1));
                let key = quoted(key, terminal);
                out.push_str(&paint(&key, color, |s| s.blue().bold()));
                out.push_str(": ");
                write_pretty(out, item, indent + 1, color, terminal);
                out.push_str(if i + 1 < map.len() { ",\n" } else { "\n" });
            }
            out.push_str(&pad(indent));
            out.push('}');
        }
    }
}

/// A JSON string literal; on a terminal, the characters JSON leaves raw (DEL, the C1
/// controls, bidirectional overrides) escaped too.
fn quoted(text: &str, terminal: bool) -> String {
    let literal = Value::String(text.to_string()).to_string();
    if terminal {
        sanitize::log_for_terminal(&literal)
    } else {
        literal
    }
}

/// `--output json`: one document with everything known about the call.
pub fn json_document(inv: &Invocation, function_urn: &str) -> Value {
    let result = serde_json::from_slice::<Value>(&inv.result)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&inv.result).into_owned()));
    let mut summary = Map::new();
    summary.insert("duration_ms".into(), json_number(inv.summary.duration_ms));
    summary.insert(
        "billing_duration_ms".into(),
        json_number(inv.summary.billing_duration_ms),
    );
    summary.insert(
        "memory_size_mb".into(),
        json_number(inv.summary.memory_size_mb),
    );
    summary.insert(
        "memory_used_mb".into(),
        json_number(inv.summary.memory_used_mb),
    );
    // Fields of X-Cff-Invoke-Summary this version does not know, as the service sent them.
    for (key, value) in &inv.summary.other {
        summary.entry(key.clone()).or_insert_with(|| value.clone());
    }
    json!({
        "request_id": inv.request_id,
        "function_urn": function_urn,
        "http_status": inv.http_status,
        "status": inv.status,
        "function_error": inv.function_error,
        "error_code": inv.error_code,
        "result": result,
        "log": inv.log,
        "summary": summary,
    })
}

/// `--output json` when a call failed: what the service said when it answered, else the
/// error's own story; and the exit code it means.
pub fn failure_document(failure: &Failure, api: Option<&ApiError>, function_urn: &str) -> Value {
    let message = match api {
        Some(api) => api.message.clone(),
        None => Some(format!("{:#}", failure.error)),
    };
    json!({"error": {
        "function_urn": function_urn,
        "exit_code": failure.exit_code(),
        "http_status": api.map(|a| a.http_status),
        "code": api.and_then(|a| a.code.clone()),
        "message": message,
        "request_id": api.and_then(|a| a.request_id.clone()).or_else(|| failure.request_id.clone()),
    }})
}

/// `--output json` for an accepted asynchronous call.
pub fn accepted_document(request_id: Option<&str>, function_urn: &str, http_status: u16) -> Value {
    json!({
        "request_id": request_id,
        "function_urn": function_urn,
        "http_status": http_status,
    })
}

/// `1.913 ms`, `66 ms`: at most three decimals, no trailing zeros.
fn amount(value: f64, unit: &str) -> String {
    format!("{} {unit}", decimal(value))
}

/// A log whose first line is not the `Start invoke request` line but that has its Finish
/// line is a tail (the service sends the last 4 KB): a first line says so.
fn mark_cut(log: String) -> String {
    let first = log.lines().next().unwrap_or_default();
    if first.contains(" Start invoke request '") || !log.contains(" Finish invoke request '") {
        return log;
    }
    format!("[… the start of this log was cut: only its last 4 KB came with the answer]\n{log}")
}

/// One line on stderr after the log: outcome, HTTP status, request id, durations, memory,
/// error code; each part only when known.
pub fn summary_line(inv: &Invocation, color: bool) -> String {
    let outcome = if inv.function_error {
        paint("function error", color, |s| s.red().bold())
    } else {
        paint("ok", color, |s| s.green().bold())
    };
    let mut parts = vec![outcome, format!("HTTP {}", inv.http_status)];
    if let Some(id) = &inv.request_id {
        parts.push(format!("request {}", sanitize::shown(id)));
    }
    let s = &inv.summary;
    if let Some(d) = s.duration_ms {
        parts.push(format!("duration {}", amount(d, "ms")));
    }
    if let Some(b) = s.billing_duration_ms {
        parts.push(format!("billed {}", amount(b, "ms")));
    }
    match (s.memory_used_mb, s.memory_size_mb) {
        (Some(used), Some(size)) => {
            parts.push(format!("memory {}/{}", decimal(used), amount(size, "MB")));
        }
        (Some(used), None) => parts.push(format!("memory {}", amount(used, "MB"))),
        (None, Some(size)) => parts.push(format!("memory size {}", amount(size, "MB"))),
        (None, None) => {}
    }
    if let Some(code) = &inv.error_code {
        parts.push(format!("error code {}", sanitize::shown(code)));
    }
    parts.join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Summary;

    fn text(bytes: Vec<u8>) -> String {
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn nested_json_is_expanded() {
        let result = r#"{"statusCode": 200, "isBase64Encoded": false, "body": "{\"key\": \"value\"}", "headers": {"Content-Type": "application/json"}}"#;
        let shown = text(pretty_result(result.as_bytes(), false, false));
        assert_eq!(
            shown,
            "{\n  \"statusCode\": 200,\n  \"isBase64Encoded\": false,\n  \"body\": {\n    \"key\": \"value\"\n  },\n  \"headers\": {\n    \"Content-Type\": \"application/json\"\n  }\n}\n"
        );
    }

    #[test]
    fn base64_bodies_are_expanded_only_when_json() {
        let encoded = base64::engine::general_purpose::STANDARD.encode(r#"{"a":[1,2]}"#);
        let v = expand(json!({"statusCode": 200, "isBase64Encoded": true, "body": encoded}));
        assert_eq!(v["body"], json!({"a": [1, 2]}));
        let plain = base64::engine::general_purpose::STANDARD.encode("hello");
        let v = expand(json!({"isBase64Encoded": true, "body": plain.clone()}));
        assert_eq!(v["body"], json!(plain));
        // Scalars inside strings stay strings: "42" is not the number 42.
        assert_eq!(
            expand(json!({"n": "42", "s": "\"q\""})),
            json!({"n": "42", "s": "\"q\""})
        );
    }

    #[test]
    fn pretty_keeps_order_numbers_and_non_json() {
        let shown = text(pretty_result(
            b"{\"z\":1.10,\"a\":[],\"m\":{},\"big\":12345678901234567890}",
            false,
            false,
        ));
        assert_eq!(
            shown,
            "{\n  \"z\": 1.10,\n  \"a\": [],\n  \"m\": {},\n  \"big\": 12345678901234567890\n}\n"
        );
        assert_eq!(text(pretty_result(b"hello", false, false)), "hello\n");
        assert_eq!(text(pretty_result(b"", false, false)), "");
    }

    #[test]
    fn colour_only_when_asked() {
        colored::control::set_override(true);
        let shown = text(pretty_result(b"{\"k\":\"v\"}", true, false));
        assert!(shown.contains("\u{1b}["), "{shown:?}");
        assert!(!text(pretty_result(b"{\"k\":\"v\"}", false, false)).contains('\u{1b}'));
    }

    #[test]
    fn raw_adds_only_a_missing_newline() {
        assert_eq!(with_newline(&b"abc"[..]), b"abc\n");
        assert_eq!(with_newline(&b"abc\n"[..]), b"abc\n");
        assert_eq!(with_newline(&b""[..]), b"");
    }

    fn invocation() -> Invocation {
        Invocation {
            http_status: 200,
            request_id: Some("rid".into()),
            result: b"{\"x\":1}".to_vec(),
            log: Some("line\n".into()),
            status: Some(200),
            function_error: false,
            error_code: Some("0".into()),
            summary: Summary {
                duration_ms: Some(1.913),
                billing_duration_ms: Some(100.0),
                memory_size_mb: Some(128.0),
                memory_used_mb: Some(41.511_718_75),
                other: Map::new(),
            },
            log_warning: None,
        }
    }

    #[test]
    fn the_json_document() {
        let doc = json_document(&invocation(), "urn:x");
        assert_eq!(
            doc,
            json!({"request_id": "rid", "function_urn": "urn:x", "http_status": 200, "status": 200,
                   "function_error": false, "error_code": "0", "result": {"x": 1}, "log": "line\n",
                   "summary": {"duration_ms": 1.913, "billing_duration_ms": 100,
                               "memory_size_mb": 128, "memory_used_mb": 41.511_718_75}})
        );
        let mut inv = invocation();
        inv.result = b"not json".to_vec();
        assert_eq!(json_document(&inv, "u")["result"], json!("not json"));
    }

    #[test]
    fn the_summary_line() {
        assert_eq!(
            summary_line(&invocation(), false),
            "ok · HTTP 200 · request rid · duration 1.913 ms · billed 100 ms · memory 41.512/128 MB · error code 0"
        );
        let mut inv = invocation();
        inv.function_error = true;
        inv.summary = Summary::default();
        inv.request_id = None;
        assert_eq!(
            summary_line(&inv, false),
            "function error · HTTP 200 · error code 0"
        );
    }
}
