//! The service's JSON documents: a served function as the listing shows it, the error body,
//! and the two ways an answer goes on the wire (a JSON document, or an [`api::Response`]
//! built as the service's).

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{HeaderName, HeaderValue};
use hyper::{Response, StatusCode};
use serde_json::{Value, json};

use crate::api;
use crate::local::{self, LocalError};

/// A served function as the listing shows it (§10.1 of the API notes); the configuration
/// and the version list use the same fields.
pub fn function(function: &local::Function, region: &str, project: &str) -> Value {
    let mut document = listed(function, region, project);
    if let Some(initializer) = &function.initializer {
        document["initializer_handler"] = initializer.clone().into();
        document["initializer_timeout"] = function.initializer_timeout.into();
    }
    document
}

fn listed(function: &local::Function, region: &str, project: &str) -> Value {
    let modified = std::fs::metadata(&function.dir)
        .and_then(|m| m.modified())
        .map(|t| humantime::format_rfc3339_seconds(t).to_string())
        .unwrap_or_default();
    json!({
        "func_urn": function.urn(region, project).to_string(),
        "func_name": function.name,
        "namespace": project,
        "package": function.package,
        "runtime": function.runtime.to_string(),
        "handler": function.handler,
        "memory_size": function.memory_size,
        "timeout": function.timeout,
        "code_type": "zip",
        "version": "latest",
        "last_modified": modified,
        "description": format!("served by fgs serve from {}", function.dir.display()),
        "user_data": serde_json::to_string(&function.environment).unwrap_or_default(),
    })
}

/// An answer in the service's error shape.
#[derive(Debug)]
pub struct ApiFail {
    pub status: StatusCode,
    pub code: &'static str,
    message: String,
}

impl ApiFail {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiFail {
        ApiFail {
            status,
            code,
            message: message.into(),
        }
    }

    pub fn bad(code: &'static str, message: impl Into<String>) -> ApiFail {
        ApiFail::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub fn response(&self) -> Response<Full<Bytes>> {
        json_response(
            self.status,
            &json!({"error_code": self.code, "error_msg": self.message}),
            None,
        )
    }
}

/// A pool that could not answer: busy is the service's 429, anything else its 500.
pub fn pool_failure(error: LocalError) -> ApiFail {
    match error {
        LocalError::Busy { .. } => ApiFail::new(
            StatusCode::TOO_MANY_REQUESTS,
            "FSS.0429",
            format!("Too many requests: {error}"),
        ),
        other => ApiFail::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "FSS.0500",
            format!("the local function could not run: {other}"),
        ),
    }
}

/// A JSON document; with `request_id`, the service's two request id headers too.
pub fn json_response(
    status: StatusCode,
    body: &Value,
    request_id: Option<&str>,
) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body.to_string())));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert("content-type", HeaderValue::from_static("application/json"));
    if let Some(id) = request_id.and_then(|id| HeaderValue::from_str(id).ok()) {
        headers.insert("x-cff-request-id", id.clone());
        headers.insert("x-request-id", id);
    }
    response
}

/// An answer built as the service's, on the wire.
pub fn wire(answer: api::Response) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(answer.body)));
    *response.status_mut() = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::OK);
    let headers = response.headers_mut();
    for (name, value) in answer.headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(&value),
        ) {
            headers.append(name, value);
        }
    }
    response
}
