//! Wire types of the invocation API, independent of any HTTP client.
//!
//! [`Request`] describes what is sent; [`Response`] is what came back; [`Invocation`] and
//! [`ApiError`] are what the response means. A local server can reuse all of it.

use std::borrow::Cow;
use std::fmt;
use std::time::{Duration, SystemTime};

use anyhow::anyhow;
use base64::Engine as _;
use bytes::Bytes;
use serde::Deserialize;
use serde_json::{Map, Value};
use url::Url;

use crate::error::{Failure, Kind};
use crate::sanitize;
use crate::secret::Secret;
use crate::urn::Urn;

pub const USER_AGENT: &str = concat!("fgs/", env!("CARGO_PKG_VERSION"));

/// One request header; `secret` ones are masked wherever they are shown.
#[derive(Debug, Clone)]
pub struct Header {
    pub name: &'static str,
    pub value: HeaderValue,
}

#[derive(Debug, Clone)]
pub enum HeaderValue {
    Plain(String),
    Secret(Secret),
    /// A secret whose harmless parts may be shown: an `Authorization` header shows its
    /// `Access=` and `SignedHeaders=` and masks the `Signature=`.
    Partly {
        value: Secret,
        shown: String,
    },
}

impl HeaderValue {
    pub fn shown(&self) -> String {
        match self {
            HeaderValue::Plain(v) => v.clone(),
            HeaderValue::Secret(s) => s.masked(),
            HeaderValue::Partly { shown, .. } => shown.clone(),
        }
    }

    pub fn expose(&self) -> &str {
        match self {
            HeaderValue::Plain(v) => v,
            HeaderValue::Secret(s) | HeaderValue::Partly { value: s, .. } => s.expose(),
        }
    }
}

/// What the cloud client has to say while it works: each request and answer and each retry
/// (shown under `-v`, secrets masked by the shower), notes on what it chose (under `-v`) and
/// warnings (unless `-q`). The client decides what to say; the implementer, how and whether
/// to show it.
pub trait Trace: Sync {
    /// A request about to be sent.
    fn request(&self, request: &Request);
    /// The answer's status and headers.
    fn response(&self, response: &Response);
    /// Attempt `attempt` of `of` further ones comes after `delay`, because of `why`; `label`
    /// names the request (a batch's line number).
    fn retrying(&self, label: Option<u64>, attempt: u32, of: u32, delay: Duration, why: &str);
    /// What fgs chose, or passed by, and why.
    fn note(&self, note: &str);
    /// Something the user should know (a file others can read).
    fn warning(&self, warning: &str);
}

/// A request, ready to send or to show. Its `Debug` shows the body's length only (a login
/// body holds a password).
#[derive(Clone)]
pub struct Request {
    pub method: &'static str,
    pub url: Url,
    pub headers: Vec<Header>,
    pub body: Bytes,
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("url", &self.url.as_str())
            .field("headers", &self.headers)
            .field("body", &format_args!("{} bytes", self.body.len()))
            .finish()
    }
}

/// What to ask of an invocation.
#[derive(Debug, Clone, Default)]
pub struct InvokeOptions {
    /// `POST .../invocations-async` instead of the synchronous call.
    pub asynchronous: bool,
    /// Ask for the log's tail (synchronous calls only).
    pub log: bool,
    pub memory_mb: Option<u32>,
}

/// The service's limit for an asynchronous request body (256 KB).
pub const ASYNC_LIMIT: usize = 256 * 1024;

/// `POST` to `url` ([`invocation_url`]), not yet authorised (see `Credentials::apply`). The
/// asynchronous call takes no log or response-version header.
pub fn invoke_request(url: Url, options: &InvokeOptions, body: Bytes) -> Request {
    let plain = |name, value: &str| Header {
        name,
        value: HeaderValue::Plain(value.to_string()),
    };
    let mut headers = vec![plain("Content-Type", "application/json")];
    if !options.asynchronous {
        headers.push(plain("X-CFF-Request-Version", "v1"));
    }
    if options.log && !options.asynchronous {
        headers.push(plain("X-Cff-Log-Type", "tail"));
    }
    if let Some(mb) = options.memory_mb {
        headers.push(plain("X-Cff-Instance-Memory", &mb.to_string()));
    }
    headers.push(plain("User-Agent", USER_AGENT));
    Request {
        method: "POST",
        url,
        headers,
        body,
    }
}

/// `{endpoint}/v2/{project_id}/fgs/functions/{urn}/invocations` (or `invocations-async`),
/// the URN one path segment ([`Urn::segment`]).
pub fn invocation_url(
    endpoint: &Url,
    project_id: &str,
    urn: &Urn,
    asynchronous: bool,
) -> Result<Url, url::ParseError> {
    Url::parse(&format!(
        "{}/v2/{project_id}/fgs/functions/{}/invocations{}",
        endpoint.as_str().trim_end_matches('/'),
        urn.segment(),
        if asynchronous { "-async" } else { "" }
    ))
}

/// A 202 to an asynchronous invocation: the request id, from the body's `request_id` (or
/// `requestId`, which the service also sends) or the `X-Cff-Request-Id` header.
pub fn accepted_request_id(response: &Response) -> Option<String> {
    let body = serde_json::from_slice::<Value>(&response.body).ok();
    body.as_ref()
        .and_then(|b| b.get("request_id").or_else(|| b.get("requestId")))
        .and_then(text)
        .or_else(|| response.header("X-Cff-Request-Id").map(str::to_string))
}

/// A response as received.
#[derive(Debug, Clone, Default)]
pub struct Response {
    pub status: u16,
    pub reason: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    /// The first header of that name, ignoring case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// The execution summary: every field optional, unknown ones kept.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    pub duration_ms: Option<f64>,
    pub billing_duration_ms: Option<f64>,
    pub memory_size_mb: Option<f64>,
    pub memory_used_mb: Option<f64>,
    pub other: Map<String, Value>,
}

impl Summary {
    /// Parse `X-Cff-Invoke-Summary` leniently: anything unreadable is simply absent.
    pub fn parse(header: Option<&str>) -> Summary {
        /// The documented shape, read straight into numbers; anything else (unknown
        /// fields, numbers in strings) takes the lenient path below.
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields, rename_all = "camelCase")]
        struct Documented {
            duration: Option<f64>,
            billing_duration: Option<f64>,
            memory_size: Option<f64>,
            memory_used: Option<f64>,
        }
        if let Some(Ok(d)) = header.map(serde_json::from_str::<Documented>) {
            return Summary {
                duration_ms: d.duration,
                billing_duration_ms: d.billing_duration,
                memory_size_mb: d.memory_size,
                memory_used_mb: d.memory_used,
                other: Map::new(),
            };
        }
        let mut fields = match header.map(serde_json::from_str::<Value>) {
            Some(Ok(Value::Object(map))) => map,
            _ => Map::new(),
        };
        let mut take = |names: &[&str]| {
            names
                .iter()
                .find_map(|n| fields.remove(*n))
                .and_then(|v| number(&v))
        };
        let duration_ms = take(&["duration", "duration_ms"]);
        let billing_duration_ms = take(&["billingDuration", "billing_duration"]);
        let memory_size_mb = take(&["memorySize", "memory_size"]);
        let memory_used_mb = take(&["memoryUsed", "memory_used"]);
        Summary {
            duration_ms,
            billing_duration_ms,
            memory_size_mb,
            memory_used_mb,
            other: fields,
        }
    }
}

fn number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => leading_number(s),
        _ => None,
    }
}

/// `"66"`, `"66ms"`, `"66 ms"` → 66.
fn leading_number(text: &str) -> Option<f64> {
    let text = text.trim();
    let end = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    text[..end].parse().ok()
}

/// A successful (2xx) synchronous invocation.
#[derive(Debug, Clone, Default)]
pub struct Invocation {
    pub http_status: u16,
    pub request_id: Option<String>,
    /// The function's result, exactly as returned.
    pub result: Vec<u8>,
    pub log: Option<String>,
    /// The v1 body's `status`.
    pub status: Option<i64>,
    pub function_error: bool,
    pub error_code: Option<String>,
    pub summary: Summary,
    /// Set when the log header was not valid base64.
    pub log_warning: Option<String>,
}

impl Invocation {
    #[cfg(test)]
    pub fn from_response(response: &Response) -> Invocation {
        Invocation::from_parts(response, Body::read(&response.body))
    }

    /// [`Invocation::from_response`] of an answer fgs owns: the body is moved into the
    /// result when it is the result, and dropped once read otherwise.
    pub fn from_owned(mut response: Response) -> Invocation {
        let body = Body::read_owned(std::mem::take(&mut response.body));
        Invocation::from_parts(&response, body)
    }

    fn from_parts(response: &Response, body: Body) -> Invocation {
        let Body {
            result,
            log: body_log,
            status,
            request_id: body_request_id,
            error_code: body_error_code,
        } = body;
        let (log, log_warning) = match body_log.filter(|l| !l.is_empty()) {
            Some(log) => (Some(log), None),
            None => decode_log(response.header("X-Cff-Function-Log")),
        };
        let error_code = response
            .header("X-Func-Err-Code")
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty())
            .or(body_error_code);
        let is_func_err = response
            .header("X-Is-Func-Err")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
        let function_error = is_func_err || error_code.as_deref().is_some_and(|c| c != "0");
        let mut summary = Summary::parse(response.header("X-Cff-Invoke-Summary"));
        if summary.billing_duration_ms.is_none() {
            summary.billing_duration_ms = response
                .header("X-CFF-Billing-Duration")
                .and_then(leading_number);
        }
        Invocation {
            http_status: response.status,
            request_id: response
                .header("X-Cff-Request-Id")
                .map(str::to_string)
                .or(body_request_id),
            result,
            log,
            status,
            function_error,
            error_code,
            summary,
            log_warning,
        }
    }
}

/// The base64 `X-Cff-Function-Log` header; undecodable base64 is a warning, never a failure.
fn decode_log(header: Option<&str>) -> (Option<String>, Option<String>) {
    let Some(encoded) = header.map(str::trim).filter(|h| !h.is_empty()) else {
        return (None, None);
    };
    match base64::engine::general_purpose::STANDARD.decode(encoded) {
        Ok(bytes) => (Some(String::from_utf8_lossy(&bytes).into_owned()), None),
        Err(e) => (
            None,
            Some(format!(
                "the X-Cff-Function-Log header is not valid base64 ({e}); log not shown"
            )),
        ),
    }
}

/// What a 2xx body says: the v1 envelope `{request_id, result, log, status}` taken apart, or
/// (any other body) the result itself.
struct Body {
    result: Vec<u8>,
    log: Option<String>,
    status: Option<i64>,
    request_id: Option<String>,
    error_code: Option<String>,
}

/// The envelope as the service sends it: read straight into its fields, without building a
/// tree of values (a visible share of a batch's time).
#[derive(Deserialize)]
struct TypedEnvelope<'a> {
    #[serde(borrow)]
    result: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    log: Option<Cow<'a, str>>,
    #[serde(default)]
    status: Option<i64>,
    #[serde(borrow, default)]
    request_id: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    error_code: Option<Cow<'a, str>>,
}

impl Body {
    #[cfg(test)]
    fn read(body: &[u8]) -> Body {
        Body::envelope(body).unwrap_or_else(|| Body::verbatim(body.to_vec()))
    }

    /// [`Body::read`] of a body fgs owns: a result that is the body itself is moved, not
    /// copied, so a large answer is held once.
    fn read_owned(body: Vec<u8>) -> Body {
        Body::envelope(&body).unwrap_or_else(|| Body::verbatim(body))
    }

    fn verbatim(result: Vec<u8>) -> Body {
        Body {
            result,
            log: None,
            status: None,
            request_id: None,
            error_code: None,
        }
    }

    /// The v1 envelope taken apart, or `None` when the body is not one.
    fn envelope(body: &[u8]) -> Option<Body> {
        if let Ok(typed) = serde_json::from_slice::<TypedEnvelope>(body)
            && let Some(result) = typed.result
            && (typed.request_id.is_some() || typed.status.is_some() || typed.log.is_some())
        {
            return Some(Body {
                result: result.into_owned().into_bytes(),
                log: typed.log.map(Cow::into_owned),
                status: typed.status,
                request_id: typed.request_id.map(Cow::into_owned),
                error_code: typed.error_code.map(Cow::into_owned),
            });
        }
        // Anything unusual (a non-string result, a null, a numeric error code) the slow way,
        // as a tree of values: only for bodies small enough that the tree costs nothing (the
        // service's own envelope always takes the typed path above).
        if body.len() > SLOW_PATH_LIMIT {
            return None;
        }
        match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(map))
                if map.contains_key("result")
                    && ["request_id", "status", "log"]
                        .iter()
                        .any(|k| map.contains_key(*k)) =>
            {
                Some(Body {
                    result: match map.get("result") {
                        Some(Value::String(s)) => s.clone().into_bytes(),
                        Some(Value::Null) | None => Vec::new(),
                        Some(other) => other.to_string().into_bytes(),
                    },
                    log: map.get("log").and_then(Value::as_str).map(str::to_string),
                    status: map.get("status").and_then(Value::as_i64),
                    request_id: map
                        .get("request_id")
                        .and_then(Value::as_str)
                        .map(str::to_string),
                    error_code: map.get("error_code").and_then(text),
                })
            }
            _ => None,
        }
    }
}

/// Bodies up to this size may be read as a tree of values to find an unusual envelope.
const SLOW_PATH_LIMIT: usize = 1024 * 1024;

fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// What a call that was answered with 2xx gave.
#[derive(Debug)]
pub enum Answer {
    Invoked(Box<Invocation>),
    Accepted {
        request_id: Option<String>,
        http_status: u16,
    },
}

/// A call that did not get a 2xx: the failure (its kind decides the exit code) and, when
/// the service answered, what it said.
#[derive(Debug)]
pub struct Refusal {
    pub failure: Failure,
    pub api_error: Option<ApiError>,
}

impl From<Failure> for Refusal {
    fn from(failure: Failure) -> Refusal {
        Refusal {
            failure,
            api_error: None,
        }
    }
}

/// Which service refused, for the headline and the exit code.
#[derive(Debug, Clone, Copy)]
pub enum Service {
    /// The invocation service; `signed` when the request carried an AK/SK signature.
    FunctionGraph { signed: bool },
    /// IAM, refusing a password login.
    Iam,
}

impl Refusal {
    /// A non-2xx answer as a failure whose kind gives the exit code and the hint, with the
    /// service's own code, message and request id. The one place that reads a refusal.
    pub fn from_response(
        response: &Response,
        request: &Request,
        service: Service,
        now: SystemTime,
    ) -> Refusal {
        let error = ApiError::from_response(response);
        let mut kind = Kind::from_status(error.http_status);
        if let Service::FunctionGraph { signed: true } = service
            && matches!(kind, Kind::AuthRefused(_))
        {
            let signature_refused = error.code.as_deref().is_some_and(|c| c.ends_with(".0301"));
            if clock_skew(response.header("Date"), now)
                .is_some_and(|s| s > Duration::from_secs(15 * 60))
            {
                kind = Kind::ClockSkew;
            } else if signature_refused {
                kind = Kind::SignatureRefused;
            }
        }
        if let (Service::Iam, 401) = (service, error.http_status) {
            kind = Kind::LoginRefused;
        }
        let headline = match (service, kind) {
            (Service::Iam, Kind::LoginRefused) => {
                "the user name, account name or password was refused"
            }
            (Service::Iam, _) => "IAM refused the login",
            (_, Kind::AuthRefused(_) | Kind::SignatureRefused | Kind::ClockSkew) => {
                "the credentials were refused"
            }
            (_, Kind::Refused(_)) => "the service refused the request",
            _ => "the service failed",
        };
        // The service's words, bounded and with control characters escaped: an answer
        // cannot forge a line of fgs's own.
        let detail = match (&error.code, &error.message) {
            (Some(code), Some(message)) => sanitize::shown(&format!("{code}: {message}")),
            (Some(code), None) => sanitize::shown(code),
            (None, Some(message)) => sanitize::shown(message),
            (None, None) => "no details given".into(),
        };
        let status = format!("HTTP {} {}", response.status, response.reason);
        let hint = match (service, kind) {
            (Service::Iam, Kind::Refused(404)) => Some(
                "check the IAM endpoint (--iam-endpoint, HUAWEICLOUD_SDK_IAM_ENDPOINT) and the region".to_string(),
            ),
            (Service::Iam, Kind::Refused(_) | Kind::Service) => {
                Some("IAM turned the login away; check the IAM endpoint and try again later".to_string())
            }
            _ => None,
        };
        let failure = Failure::new(
            kind,
            anyhow!(
                "{status} from {} {}",
                request.method,
                short_target(&request.url)
            )
            .context(format!("{headline}: {detail}")),
        )
        .with_request_id(error.request_id.clone())
        .with_hint(hint);
        Refusal {
            failure,
            api_error: Some(error),
        }
    }
}

/// Where a request went, as a line of an error shows it: the host and the function's URN
/// tail (`fg.example.com …function:default:hello:latest/invocations`), or the host and path. `-v` shows
/// the whole URL.
pub fn short_target(url: &Url) -> String {
    let host = match (url.host_str(), url.port()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (Some(host), None) => host.to_string(),
        (None, _) => String::new(),
    };
    let path = percent_encoding::percent_decode_str(url.path()).decode_utf8_lossy();
    match path.find("function:") {
        Some(at) => format!("{host} …{}", &path[at..]),
        None => format!("{host}{path}"),
    }
}

/// How far the service's `Date` header is from the local clock.
fn clock_skew(date: Option<&str>, now: SystemTime) -> Option<Duration> {
    let theirs = httpdate::parse_http_date(date?.trim()).ok()?;
    Some(match theirs.duration_since(now) {
        Ok(ahead) => ahead,
        Err(behind) => behind.duration(),
    })
}

/// A non-2xx answer, summarised.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ApiError {
    pub http_status: u16,
    pub code: Option<String>,
    pub message: Option<String>,
    pub request_id: Option<String>,
}

impl ApiError {
    pub fn from_response(response: &Response) -> ApiError {
        let json = serde_json::from_slice::<Value>(&response.body).ok();
        let (code, message, body_request_id) = match &json {
            Some(value) => {
                let (code, message) = error_fields(value, 0).unwrap_or((None, None));
                let request_id = value.get("request_id").and_then(text);
                (code, message, request_id)
            }
            None => (None, first_line(&response.body), None),
        };
        ApiError {
            http_status: response.status,
            code,
            message,
            request_id: response
                .header("X-Request-Id")
                .or_else(|| response.header("X-Cff-Request-Id"))
                .map(str::to_string)
                .or(body_request_id),
        }
    }
}

type CodeAndMessage = (Option<String>, Option<String>);

/// `{error_code, error_msg}`, `{code, message}`, or either one nested (IAM's `{"error": {...}}`).
fn error_fields(value: &Value, depth: usize) -> Option<CodeAndMessage> {
    let map = value.as_object()?;
    for (code_key, message_key) in [("error_code", "error_msg"), ("code", "message")] {
        let code = map.get(code_key).and_then(text);
        let message = map.get(message_key).and_then(text);
        if code.is_some() || message.is_some() {
            return Some((code, message));
        }
    }
    if depth >= 3 {
        return None;
    }
    map.values()
        .filter(|v| v.is_object())
        .find_map(|v| error_fields(v, depth + 1))
}

/// A body that is not JSON (a gateway's HTML page): its `<title>`, else its first
/// non-empty line, shortened.
fn first_line(body: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(body);
    let lower = text.to_ascii_lowercase();
    let title = lower.find("<title>").and_then(|start| {
        let start = start + "<title>".len();
        let end = lower[start..].find("</title>")? + start;
        Some(text[start..end].to_string())
    });
    let line = title.or_else(|| {
        text.lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .map(str::to_string)
    })?;
    let clean: String = line
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    if clean.is_empty() {
        return None;
    }
    Some(if clean.chars().count() > 120 {
        format!("{}…", clean.chars().take(120).collect::<String>())
    } else {
        clean
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skew_either_way() {
        let now = SystemTime::now();
        let ahead = httpdate::fmt_http_date(now + Duration::from_secs(3600));
        let behind = httpdate::fmt_http_date(now - Duration::from_secs(3600));
        assert!(clock_skew(Some(&ahead), now).unwrap() > Duration::from_secs(3500));
        assert!(clock_skew(Some(&behind), now).unwrap() > Duration::from_secs(3500));
        assert_eq!(clock_skew(Some("not a date"), now), None);
        assert_eq!(clock_skew(None, now), None);
    }

    fn response(status: u16, headers: &[(&str, &str)], body: &str) -> Response {
        Response {
            status,
            reason: String::new(),
            headers: headers
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
            body: body.as_bytes().to_vec(),
        }
    }

    const DOC_EXAMPLE: &str = r#"{
  "result" : "{\"statusCode\": 200, \"isBase64Encoded\": false, \"body\": \"{\\\"key\\\": \\\"value\\\"}\", \"headers\": {\"Content-Type\": \"application/json\"}}",
  "log" : "2022-09-20T11:43:57Z Start invoke request '1cbe', version: v1\nHello, World!\n",
  "status" : 200,
  "request_id" : "1cbe80f3-3c65-475e-ad88-76ac518d386x"
}"#;

    #[test]
    fn the_documented_example() {
        let r = response(
            200,
            &[
                ("X-Cff-Request-Id", "req-1"),
                (
                    "X-Cff-Invoke-Summary",
                    r#"{"duration":1.913,"billingDuration":100,"memorySize":128,"memoryUsed":41.51171875,"funcDigest":"x"}"#,
                ),
                ("X-Func-Err-Code", "0"),
                ("X-Is-Func-Err", "false"),
            ],
            DOC_EXAMPLE,
        );
        let inv = Invocation::from_response(&r);
        assert_eq!(inv.request_id.as_deref(), Some("req-1"));
        assert!(
            String::from_utf8(inv.result)
                .unwrap()
                .starts_with("{\"statusCode\": 200")
        );
        assert!(inv.log.unwrap().contains("Hello, World!"));
        assert_eq!(inv.status, Some(200));
        assert!(!inv.function_error);
        assert_eq!(inv.summary.duration_ms, Some(1.913));
        assert_eq!(inv.summary.billing_duration_ms, Some(100.0));
        assert_eq!(inv.summary.memory_size_mb, Some(128.0));
        assert_eq!(inv.summary.memory_used_mb, Some(41.511_718_75));
        assert_eq!(inv.summary.other["funcDigest"], "x");
    }

    #[test]
    fn unusual_envelopes_take_the_lenient_path() {
        let inv = |body: &str| Invocation::from_response(&response(200, &[], body));
        let i = inv(r#"{"result":{"a":1},"status":200}"#);
        assert_eq!(i.result, br#"{"a":1}"#);
        let i = inv(r#"{"result":null,"request_id":"r","error_code":12}"#);
        assert_eq!(i.result, b"");
        assert_eq!(i.error_code.as_deref(), Some("12"));
        let i = inv(r#"{"result":"x\ny","log":"l","status":"200"}"#);
        assert_eq!(i.result, b"x\ny");
        assert_eq!((i.log.as_deref(), i.status), (Some("l"), None));
        // `result` alone is not the envelope: it is the function's own answer.
        assert_eq!(inv(r#"{"result":"x"}"#).result, br#"{"result":"x"}"#);
    }

    #[test]
    fn a_body_that_is_not_the_envelope_is_the_result() {
        let r = response(200, &[], "{\"message\": \"hello\"}");
        assert_eq!(
            Invocation::from_response(&r).result,
            b"{\"message\": \"hello\"}"
        );
        let r = response(200, &[], "plain text\n");
        assert_eq!(Invocation::from_response(&r).result, b"plain text\n");
    }

    #[test]
    fn log_from_header_and_bad_base64() {
        let r = response(200, &[("X-Cff-Function-Log", "aGVsbG8gbG9n")], "{}");
        assert_eq!(
            Invocation::from_response(&r).log.as_deref(),
            Some("hello log")
        );
        let inv =
            Invocation::from_response(&response(200, &[("X-Cff-Function-Log", "%%%not")], "{}"));
        assert_eq!(inv.log, None);
        assert!(inv.log_warning.unwrap().contains("not valid base64"));
    }

    #[test]
    fn function_errors() {
        let err = |h: &[(&str, &str)]| Invocation::from_response(&response(200, h, "{}"));
        assert!(err(&[("X-Is-Func-Err", "true")]).function_error);
        let inv = err(&[("X-Func-Err-Code", "FSS.1234")]);
        assert!(inv.function_error);
        assert_eq!(inv.error_code.as_deref(), Some("FSS.1234"));
        assert!(!err(&[("X-Func-Err-Code", "0"), ("X-Is-Func-Err", "False")]).function_error);
        assert!(!err(&[]).function_error);
    }

    #[test]
    fn summary_is_lenient() {
        assert_eq!(Summary::parse(Some("not json")), Summary::default());
        assert_eq!(Summary::parse(None), Summary::default());
        let s = Summary::parse(Some(r#"{"duration":"12.5","memorySize":null}"#));
        assert_eq!(s.duration_ms, Some(12.5));
        assert_eq!(s.memory_size_mb, None);
        let r = response(200, &[("X-CFF-Billing-Duration", "66ms")], "{}");
        assert_eq!(
            Invocation::from_response(&r).summary.billing_duration_ms,
            Some(66.0)
        );
    }

    #[test]
    fn error_bodies_in_every_shape() {
        let e = ApiError::from_response(&response(
            404,
            &[("X-Request-Id", "rid")],
            r#"{"error_code":"FSS.1051","error_msg":"Not found the function"}"#,
        ));
        assert_eq!(e.code.as_deref(), Some("FSS.1051"));
        assert_eq!(e.message.as_deref(), Some("Not found the function"));
        assert_eq!(e.request_id.as_deref(), Some("rid"));
        let e = ApiError::from_response(&response(400, &[], r#"{"code":"X.1","message":"bad"}"#));
        assert_eq!(
            (e.code.as_deref(), e.message.as_deref()),
            (Some("X.1"), Some("bad"))
        );
        let e = ApiError::from_response(&response(
            401,
            &[],
            r#"{"error":{"code":401,"message":"The request you have made requires authentication.","title":"Unauthorized"}}"#,
        ));
        assert_eq!(e.code.as_deref(), Some("401"));
        assert!(e.message.unwrap().contains("requires authentication"));
    }

    #[test]
    fn html_pages_are_summarised() {
        let page = "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body>"
            .to_string()
            + &"x".repeat(5000)
            + "</body></html>";
        let e = ApiError::from_response(&response(502, &[], &page));
        assert_eq!(e.message.as_deref(), Some("502 Bad Gateway"));
        let e = ApiError::from_response(&response(
            503,
            &[],
            &format!("\n\n  upstream down {}\nmore", "y".repeat(300)),
        ));
        let m = e.message.unwrap();
        assert!(
            m.starts_with("upstream down") && m.chars().count() == 121,
            "{m}"
        );
    }

    #[test]
    fn async_request_and_its_answer() {
        let options = InvokeOptions {
            asynchronous: true,
            log: true,
            memory_mb: None,
        };
        let urn = Urn::read("urn:fss:r:p:function:default:f").unwrap();
        let url = invocation_url(&Url::parse("http://h").unwrap(), "p", &urn, true).unwrap();
        let req = invoke_request(url, &options, Bytes::from_static(b"{}"));
        assert_eq!(
            req.url.as_str(),
            "http://h/v2/p/fgs/functions/urn:fss:r:p:function:default:f/invocations-async"
        );
        let names: Vec<_> = req.headers.iter().map(|h| h.name).collect();
        assert_eq!(names, ["Content-Type", "User-Agent"]);
        let r = response(
            202,
            &[("X-Cff-Request-Id", "hdr")],
            r#"{"request_id":"body-id"}"#,
        );
        assert_eq!(accepted_request_id(&r).as_deref(), Some("body-id"));
        let r = response(202, &[], r#"{"requestId":"camel"}"#);
        assert_eq!(accepted_request_id(&r).as_deref(), Some("camel"));
        let r = response(202, &[("X-Cff-Request-Id", "hdr")], "");
        assert_eq!(accepted_request_id(&r).as_deref(), Some("hdr"));
    }

    #[test]
    fn request_shape() {
        let url = invocation_url(
            &Url::parse("http://127.0.0.1:1/").unwrap(),
            "p1",
            &Urn::read("urn:fss:r:p1:function:default:f:!dev").unwrap(),
            false,
        )
        .unwrap();
        let req = invoke_request(
            url,
            &InvokeOptions {
                asynchronous: false,
                log: true,
                memory_mb: Some(256),
            },
            Bytes::from_static(b"{}"),
        );
        assert_eq!(
            req.url.as_str(),
            "http://127.0.0.1:1/v2/p1/fgs/functions/urn:fss:r:p1:function:default:f:%21dev/invocations"
        );
        let names: Vec<_> = req.headers.iter().map(|h| h.name).collect();
        assert_eq!(
            names,
            [
                "Content-Type",
                "X-CFF-Request-Version",
                "X-Cff-Log-Type",
                "X-Cff-Instance-Memory",
                "User-Agent"
            ]
        );
    }
}

/// Property tests of what the service's answers go through: the v1 envelope, the summary
/// header, the base64 log header and error bodies. Nothing panics, and a refusal's exit
/// code is one of the README's.
#[cfg(test)]
mod fuzz {
    use super::*;
    use proptest::prelude::*;

    /// The exit codes the README documents.
    const DOCUMENTED: [u8; 10] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 130];

    /// A JSON value as text: scalars, strings with escapes (a lone surrogate among them),
    /// and nested arrays and objects with keys the parsers look for, or others.
    fn json() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            prop::sample::select(vec![
                "null",
                "true",
                "0",
                "-1",
                "200",
                "1.5e3",
                "1e400",
                "\"\"",
                "\"0\"",
                "\"66ms\"",
                "\"\\ud800\"",
                "\"a\\nb\\u001b[31m\"",
                "\"\\u00e9\"",
            ])
            .prop_map(str::to_string),
            "[ -~]{0,12}".prop_map(|s| serde_json::Value::String(s).to_string()),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4)
                    .prop_map(|v| format!("[{}]", v.join(","))),
                prop::collection::vec((key(), inner), 0..5).prop_map(|entries| {
                    let fields: Vec<String> = entries
                        .into_iter()
                        .map(|(k, v)| format!("\"{k}\":{v}"))
                        .collect();
                    format!("{{{}}}", fields.join(","))
                }),
            ]
        })
    }

    fn key() -> impl Strategy<Value = String> {
        prop_oneof![
            prop::sample::select(vec![
                "result",
                "log",
                "status",
                "request_id",
                "requestId",
                "error_code",
                "error_msg",
                "code",
                "message",
                "error",
                "title",
                "duration",
                "billingDuration",
                "memorySize",
                "memoryUsed",
                "duration_ms",
                "memory_used",
            ])
            .prop_map(str::to_string),
            "[a-z_]{0,6}",
        ]
    }

    /// A body: JSON near the shapes the service sends, HTML, or any bytes.
    fn body() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            3 => json().prop_map(String::into_bytes),
            1 => "[ -~\n]{0,40}".prop_map(|t| format!("<html><title>{t}</title>").into_bytes()),
            1 => prop::collection::vec(any::<u8>(), 0..64),
        ]
    }

    /// Headers the parsers read, with values that may be anything printable.
    fn headers() -> impl Strategy<Value = Vec<(String, String)>> {
        let name = prop::sample::select(vec![
            "X-Cff-Request-Id",
            "X-Request-Id",
            "X-Func-Err-Code",
            "X-Is-Func-Err",
            "X-Cff-Invoke-Summary",
            "X-CFF-Billing-Duration",
            "X-Cff-Function-Log",
            "Date",
        ]);
        let value = prop_oneof![
            json(),
            "[A-Za-z0-9+/=]{0,24}",
            "[ -~\u{e9}]{0,24}",
            Just("Tue, 20 Sep 2022 11:43:57 GMT".to_string()),
        ];
        prop::collection::vec((name.prop_map(str::to_string), value), 0..6)
    }

    fn response(status: u16, headers: Vec<(String, String)>, body: Vec<u8>) -> Response {
        Response {
            status,
            reason: String::new(),
            headers,
            body,
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        #[test]
        fn any_answer_is_an_invocation(headers in headers(), body in body()) {
            let r = response(200, headers, body);
            let inv = Invocation::from_response(&r);
            prop_assert_eq!(inv.http_status, 200);
            if r.header("X-Is-Func-Err").is_some_and(|v| v.trim().eq_ignore_ascii_case("true")) {
                prop_assert!(inv.function_error);
            }
            prop_assert!(!(inv.log.is_some() && inv.log_warning.is_some()));
        }

        #[test]
        fn envelopes_give_their_fields(
            fields in prop::collection::vec((key(), json()), 0..6),
        ) {
            let entries: Vec<String> = fields.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
            let body = format!("{{{}}}", entries.join(",")).into_bytes();
            let inv = Invocation::from_response(&response(200, Vec::new(), body.clone()));
            let envelope = serde_json::from_slice::<Value>(&body).ok().is_some_and(|v| {
                v.get("result").is_some()
                    && ["request_id", "status", "log"].iter().any(|k| v.get(*k).is_some())
            });
            // Anything but the envelope is the result, byte for byte.
            if !envelope {
                prop_assert_eq!(inv.result, body);
            }
        }

        #[test]
        fn summaries_are_read_leniently(header in prop_oneof![json(), any::<String>()]) {
            let s = Summary::parse(Some(&header));
            for n in [s.duration_ms, s.billing_duration_ms, s.memory_size_mb, s.memory_used_mb] {
                prop_assert!(n.is_none_or(|n| !n.is_nan()));
            }
        }

        #[test]
        fn log_headers_decode_or_warn(header in prop_oneof!["[A-Za-z0-9+/=]{0,40}", any::<String>()]) {
            let (log, warning) = decode_log(Some(&header));
            prop_assert!(!(log.is_some() && warning.is_some()));
            if header.trim().is_empty() {
                prop_assert!(log.is_none() && warning.is_none());
            }
        }

        #[test]
        fn refusals_have_a_documented_exit_code(
            status in 100u16..1000,
            headers in headers(),
            body in body(),
            signed in any::<bool>(),
            iam in any::<bool>(),
        ) {
            let r = response(status, headers, body);
            let e = ApiError::from_response(&r);
            prop_assert_eq!(e.http_status, status);
            if let Some(m) = &e.message {
                prop_assert!(m.chars().count() <= 121 || serde_json::from_slice::<Value>(&r.body).is_ok());
            }
            let url = Url::parse("https://functiongraph.cn-north-4.myhuaweicloud.com/v2/p/x").unwrap();
            let request = invoke_request(url, &InvokeOptions::default(), Bytes::new());
            let service = if iam { Service::Iam } else { Service::FunctionGraph { signed } };
            let refusal = Refusal::from_response(&r, &request, service, SystemTime::now());
            let code = refusal.failure.exit_code();
            prop_assert!(DOCUMENTED.contains(&code), "{code}");
            if (400..600).contains(&status) {
                prop_assert!([3, 4, 5].contains(&code), "{status}: {code}");
            }
        }
    }
}
