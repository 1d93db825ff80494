//! A call and its answer: what goes into an invocation, what comes out, and the response
//! the service would send for it.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use serde_json::json;

use crate::secret::Secret;

/// The service's limit on a synchronous request and on a result: 6 MB (6291456 bytes).
pub const MAX_PAYLOAD: usize = 6 * 1024 * 1024;

/// The service's function error codes that local runs answer with (`X-Func-Err-Code`, from
/// the runtime's table; 0 is success). The shims write 4001, 4002, 4007 and 4009 themselves
/// and send them back with the answer; fgs writes the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    /// 4001: the handler's module did not load (function entry exception).
    Entry,
    /// 4002: the handler raised or failed (function invocation exception).
    Invocation,
    /// 4004: the result is over [`MAX_PAYLOAD`].
    TooLarge,
    /// 4007: the result cannot be serialised (function result is invalid).
    InvalidResult,
    /// 4009: the initializer failed or timed out (function initialization exception).
    Initializer,
    /// 4010: the call ran past the function's timeout.
    Timeout,
    /// 4011: the runtime did not get ready in time (an HTTP function that never listens).
    StartTimeout,
    /// 4204: the runtime process exited (or its channel broke).
    Exited,
    /// 4205: the runtime memory limit was exceeded.
    Memory,
}

impl ErrorCode {
    const ALL: [ErrorCode; 9] = [
        ErrorCode::Entry,
        ErrorCode::Invocation,
        ErrorCode::TooLarge,
        ErrorCode::InvalidResult,
        ErrorCode::Initializer,
        ErrorCode::Timeout,
        ErrorCode::StartTimeout,
        ErrorCode::Exited,
        ErrorCode::Memory,
    ];

    /// The number on the wire.
    pub const fn code(self) -> u32 {
        match self {
            ErrorCode::Entry => 4001,
            ErrorCode::Invocation => 4002,
            ErrorCode::TooLarge => 4004,
            ErrorCode::InvalidResult => 4007,
            ErrorCode::Initializer => 4009,
            ErrorCode::Timeout => 4010,
            ErrorCode::StartTimeout => 4011,
            ErrorCode::Exited => 4204,
            ErrorCode::Memory => 4205,
        }
    }

    /// The code a shim sent, when it is one of these.
    pub fn from_code(code: u32) -> Option<ErrorCode> {
        ErrorCode::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// The credentials a caller passes with a call (only for functions with
/// `pass_credentials`); what the context's credential methods return. They stay
/// [`Secret`]s until [`PassedCredentials::exposed`] hands them to a runtime protocol.
#[derive(Clone, Default)]
pub struct PassedCredentials {
    pub access_key: Option<Secret>,
    pub secret_key: Option<Secret>,
    pub security_token: Option<Secret>,
    pub token: Option<Secret>,
}

/// The passed credentials as the function sees them: `""` for one that was not passed.
pub struct Exposed<'a> {
    pub access_key: &'a str,
    pub secret_key: &'a str,
    pub security_token: &'a str,
    pub token: &'a str,
}

impl PassedCredentials {
    /// The values themselves, for the one step that writes them into the function's
    /// context (a worker's message, the runtime API's headers, an HTTP function's request).
    pub fn exposed(credentials: Option<&PassedCredentials>) -> Exposed<'_> {
        let value = |pick: fn(&PassedCredentials) -> &Option<Secret>| {
            credentials
                .and_then(|c| pick(c).as_ref())
                .map_or("", Secret::expose)
        };
        Exposed {
            access_key: value(|c| &c.access_key),
            secret_key: value(|c| &c.secret_key),
            security_token: value(|c| &c.security_token),
            token: value(|c| &c.token),
        }
    }
}

impl fmt::Debug for PassedCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PassedCredentials(****)")
    }
}

/// An error in the service's shape, for the errors fgs itself reports.
pub fn error_json(message: &str, kind: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({ "errorMessage": message, "errorType": kind })).unwrap_or_default()
}

/// One invocation.
#[derive(Debug, Clone, Default)]
pub struct Call {
    /// A fresh UUID v4 when `None`.
    pub request_id: Option<String>,
    /// The event: JSON text (an empty body is `{}`).
    pub body: Bytes,
    pub alias: Option<String>,
    /// The version the call names; the function's `version` when `None`.
    pub version: Option<String>,
    pub credentials: Option<PassedCredentials>,
}

/// What one invocation produced, function errors included.
#[derive(Debug, Clone)]
pub struct Reply {
    pub request_id: String,
    /// The result exactly as the service returns it (for a function error, the error JSON).
    pub result: Vec<u8>,
    /// The call's log, framed by the Start and Finish lines.
    pub log: String,
    pub function_error: bool,
    /// 0 on success, else an [`ErrorCode`]'s number.
    pub error_code: u32,
    pub duration: Duration,
    pub billed_ms: u64,
    pub memory_used_mb: f64,
    pub memory_size_mb: u32,
    /// The instance is gone (timeout, memory, exit, failed initializer) and must be replaced.
    pub retire: bool,
}

/// The answer to a v1 synchronous invocation, as the service sends it: HTTP 200 for
/// function errors too, the error in `status` and in `X-Is-Func-Err`/`X-Func-Err-Code`.
impl Reply {
    /// The service's log tail: the last 4 KB.
    const LOG_TAIL: usize = 4096;
    /// `X-Cff-Function-Log`: the last 2000 bytes, base64.
    const LOG_HEADER_TAIL: usize = 2000;

    pub fn to_response(&self, log_tail: bool) -> crate::api::Response {
        self.response(log_tail.then(|| tail(&self.log, Self::LOG_TAIL)))
    }

    /// [`Reply::to_response`] for `invoke --local`, where people debug: with `log`, the
    /// whole log rather than the service's 4 KB tail.
    pub fn to_local_response(&self, log: bool) -> crate::api::Response {
        self.response(log.then_some(self.log.as_str()))
    }

    fn response(&self, log: Option<&str>) -> crate::api::Response {
        use base64::Engine as _;
        // A memory use of 0 was never measured: left out.
        let memory_used = if self.memory_used_mb > 0.0 {
            format!(",\"memoryUsed\":{:.3}", self.memory_used_mb)
        } else {
            String::new()
        };
        let summary = format!(
            "{{\"duration\":{:.3},\"billingDuration\":{},\"memorySize\":{}{memory_used}}}",
            self.duration.as_secs_f64() * 1000.0,
            self.billed_ms,
            self.memory_size_mb,
        );
        let mut headers = vec![
            ("Content-Type".to_string(), "application/json".to_string()),
            ("X-Cff-Request-Id".to_string(), self.request_id.clone()),
            ("X-Request-Id".to_string(), self.request_id.clone()),
            ("X-Cff-Response-Version".to_string(), "v1".to_string()),
            ("X-Cff-Invoke-Summary".to_string(), summary),
            (
                "X-Cff-Billing-Duration".to_string(),
                self.billed_ms.to_string(),
            ),
            ("X-Is-Func-Err".to_string(), self.function_error.to_string()),
            ("X-Func-Err-Code".to_string(), self.error_code.to_string()),
        ];
        let mut body = serde_json::Map::new();
        body.insert(
            "result".into(),
            String::from_utf8_lossy(&self.result).into_owned().into(),
        );
        if let Some(log) = log {
            body.insert("log".into(), log.into());
            let encoded = base64::engine::general_purpose::STANDARD
                .encode(tail(&self.log, Self::LOG_HEADER_TAIL));
            headers.push(("X-Cff-Function-Log".to_string(), encoded));
        }
        body.insert(
            "status".into(),
            if self.function_error { 500 } else { 200 }.into(),
        );
        body.insert("request_id".into(), self.request_id.clone().into());
        crate::api::Response {
            status: 200,
            reason: "OK".to_string(),
            headers,
            body: serde_json::to_vec(&body).unwrap_or_default(),
        }
    }
}

/// The last `max` bytes of `text`, starting on a character boundary.
fn tail(text: &str, max: usize) -> &str {
    let mut start = text.len().saturating_sub(max);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    &text[start..]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Invocation;

    fn reply(function_error: bool) -> Reply {
        Reply {
            request_id: "00000000-0000-4000-8000-000000000001".into(),
            result: if function_error { br#"{"errorMessage":"x","errorType":"E"}"#.to_vec() } else { b"{\"k\": 1}".to_vec() },
            log: "2024-01-01T00:00:00Z Start invoke request 'x', version: latest\nhi \u{e9}\n\n2024-01-01T00:00:00Z Finish …".into(),
            function_error,
            error_code: if function_error { 4002 } else { 0 },
            duration: Duration::from_micros(12_345),
            billed_ms: 13,
            memory_used_mb: 21.473,
            memory_size_mb: 128,
            retire: false,
        }
    }

    #[test]
    fn the_response_reads_back_as_the_same_invocation() {
        for failed in [false, true] {
            let r = reply(failed);
            let response = r.to_response(true);
            assert_eq!(response.status, 200);
            assert_eq!(
                response.header("X-Cff-Request-Id"),
                Some(r.request_id.as_str())
            );
            assert_eq!(
                response.header("X-Is-Func-Err"),
                Some(if failed { "true" } else { "false" })
            );
            assert_eq!(
                response.header("X-Cff-Invoke-Summary"),
                Some(
                    r#"{"duration":12.345,"billingDuration":13,"memorySize":128,"memoryUsed":21.473}"#
                )
            );
            assert_eq!(response.header("X-Cff-Billing-Duration"), Some("13"));
            let parsed = Invocation::from_response(&response);
            assert_eq!(parsed.result, r.result);
            assert_eq!(parsed.log.as_deref(), Some(r.log.as_str()));
            assert_eq!(parsed.request_id.as_deref(), Some(r.request_id.as_str()));
            assert_eq!(parsed.function_error, failed);
            assert_eq!(
                parsed.error_code.as_deref(),
                Some(if failed { "4002" } else { "0" })
            );
            assert_eq!(parsed.status, Some(if failed { 500 } else { 200 }));
            assert_eq!(parsed.summary.duration_ms, Some(12.345));
            assert_eq!(parsed.summary.billing_duration_ms, Some(13.0));
            assert_eq!(parsed.summary.memory_size_mb, Some(128.0));
            assert_eq!(parsed.summary.memory_used_mb, Some(21.473));
            let body: serde_json::Value = serde_json::from_slice(&response.body).unwrap();
            let keys: Vec<&str> = body
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .collect();
            assert_eq!(
                keys,
                ["result", "log", "status", "request_id"],
                "the service's field order"
            );
        }
        let without = reply(false).to_response(false);
        assert_eq!(Invocation::from_response(&without).log, None);
    }

    #[test]
    fn every_code_the_shims_write_is_an_error_code() {
        for shim in [
            include_str!("runtime/shim.py"),
            include_str!("runtime/shim.js"),
        ] {
            let mut found = 0;
            for word in shim.split(|c: char| !c.is_ascii_digit()) {
                if word.len() == 4 && word.starts_with("40") {
                    let code: u32 = word.parse().unwrap();
                    assert!(ErrorCode::from_code(code).is_some(), "{code}");
                    found += 1;
                }
            }
            assert!(found >= 4, "{found}");
        }
        for code in ErrorCode::ALL {
            assert_eq!(ErrorCode::from_code(code.code()), Some(code));
        }
    }

    #[test]
    fn credentials_never_show_in_debug_output() {
        let c = PassedCredentials {
            access_key: Some(Secret::from("AKSENTINEL".to_string())),
            ..PassedCredentials::default()
        };
        assert!(!format!("{c:?}").contains("SENTINEL"));
    }
}
