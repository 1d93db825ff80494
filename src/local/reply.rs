//! A call and its answer: what goes into an invocation, what comes out, and the response
//! the service would send for it.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;

/// The service's limit on a synchronous request and on a result: 6 MB (6291456 bytes).
pub const MAX_PAYLOAD: usize = 6 * 1024 * 1024;

/// The credentials a caller passes with a call (only for functions with
/// `pass_credentials`); what the context's credential methods return.
#[derive(Clone, Default)]
pub struct PassedCredentials {
    pub access_key: String,
    pub secret_key: String,
    pub security_token: String,
    pub token: String,
}

impl fmt::Debug for PassedCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PassedCredentials(****)")
    }
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
    /// 0 on success; 4002 exception, 4004 result too large, 4009 initializer, 4010
    /// timeout, 4205 memory, 4204 the process exited, 4001 the handler did not load.
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
        use base64::Engine as _;
        let summary = format!(
            "{{\"duration\":{:.3},\"billingDuration\":{},\"memorySize\":{},\"memoryUsed\":{:.3}}}",
            self.duration.as_secs_f64() * 1000.0,
            self.billed_ms,
            self.memory_size_mb,
            self.memory_used_mb
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
        if log_tail {
            body.insert("log".into(), tail(&self.log, Self::LOG_TAIL).into());
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
