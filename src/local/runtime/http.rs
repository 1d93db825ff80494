//! HTTP functions: the server `bootstrap` starts on port 8000, an APIG-shaped event turned
//! into a request to it, and its answer wrapped the way the service wraps it.

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use base64::Engine as _;
use bytes::Bytes;
use http_body_util::{BodyExt as _, Full};
use hyper::Request;
use hyper_util::rt::TokioIo;
use serde::Serialize;
use serde_json::Value;

use super::super::error::LocalError;
use super::super::function::Function;
use super::super::reply::{ErrorCode, PassedCredentials, error_json};
use super::{Answer, Broke, NotReady, START_TIMEOUT};

/// The one port an HTTP function may listen on.
pub const PORT: u16 = 8000;

pub fn address() -> SocketAddr {
    SocketAddr::from((Ipv4Addr::LOCALHOST, PORT))
}

/// Refuse to start when something already listens on port 8000: its answers would be
/// taken for the function's.
pub fn check_port_free() -> Result<(), LocalError> {
    let busy = std::net::TcpStream::connect_timeout(&address(), Duration::from_millis(200)).is_ok()
        || std::net::TcpListener::bind((Ipv4Addr::UNSPECIFIED, PORT)).is_err();
    if busy {
        return Err(LocalError::setup(
            "port 8000 is in use; only one HTTP function can run at a time",
        ));
    }
    Ok(())
}

/// Return once the function's server accepts connections.
pub async fn ready() {
    while tokio::net::TcpStream::connect(address()).await.is_err() {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// The setup error for a server that did not start listening; `said` is its output.
pub fn not_ready(function: &Function, why: NotReady, said: &str) -> String {
    let dir = function.dir.display();
    match why {
        NotReady::Exited(status) | NotReady::Broke(status) => format!(
            "{dir}/bootstrap exited ({status}) before listening on port 8000; its output:\n{said}"
        ),
        NotReady::TimedOut => format!(
            "{dir}/bootstrap did not listen on 127.0.0.1:8000 within {}s",
            START_TIMEOUT.as_secs()
        ),
    }
}

/// Send the call's event to the function's server as a request and wait for its answer.
pub async fn call(request: &super::Request<'_>) -> Result<Answer, Broke> {
    let f = request.function;
    let added = Added {
        request_id: request.id,
        memory: f.memory_size,
        timeout: f.timeout,
        version: request.version,
        name: &f.name,
        project_id: &request.options.project_id,
        package: &f.package,
        region: &request.options.region,
        credentials: request
            .call
            .credentials
            .as_ref()
            .filter(|_| f.pass_credentials),
    };
    match forward(&request.call.body, &added).await {
        Ok(result) => Ok(Answer::Result(result)),
        Err(Failure::BadEvent(why)) => Ok(Answer::Error(
            ErrorCode::Invocation,
            error_json(
                &format!("function invocation exception, error: {why}"),
                "BadEvent",
            ),
        )),
        Err(Failure::Connection(why)) => {
            Err(Broke(format!("the HTTP server did not answer: {why}")))
        }
    }
}

/// The headers the service adds to every request, besides the event's own.
struct Added<'a> {
    request_id: &'a str,
    memory: u32,
    timeout: u32,
    version: &'a str,
    name: &'a str,
    project_id: &'a str,
    package: &'a str,
    region: &'a str,
    /// With `pass_credentials`.
    credentials: Option<&'a PassedCredentials>,
}

/// Why a call to the function's server failed (a function error, not fgs's).
#[derive(Debug)]
enum Failure {
    /// The event is not something a request can be made of.
    BadEvent(String),
    /// The server did not answer.
    Connection(String),
}

/// Send the event to the server and wrap its answer as the service does.
async fn forward(event: &[u8], added: &Added<'_>) -> Result<Vec<u8>, Failure> {
    let request = build(event, added)?;
    let stream = tokio::net::TcpStream::connect(address())
        .await
        .map_err(|e| Failure::Connection(format!("connecting to 127.0.0.1:8000: {e}")))?;
    let _ = stream.set_nodelay(true);
    let (mut sender, connection) = hyper::client::conn::http1::Builder::new()
        .title_case_headers(true)
        .handshake(TokioIo::new(stream))
        .await
        .map_err(|e| Failure::Connection(e.to_string()))?;
    let driver = tokio::spawn(connection);
    let outcome = async {
        let response = sender
            .send_request(request)
            .await
            .map_err(|e| Failure::Connection(e.to_string()))?;
        let status = response.status().as_u16();
        let mut headers: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (name, value) in response.headers() {
            headers
                .entry(canonical(name.as_str()))
                .or_default()
                .push(String::from_utf8_lossy(value.as_bytes()).into_owned());
        }
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(|e| Failure::Connection(format!("reading the answer: {e}")))?
            .to_bytes();
        Ok(wrap(status, headers, &body))
    }
    .await;
    driver.abort();
    outcome
}

/// The service's shape for an HTTP function's answer: body always base64, headers
/// multi-valued (sorted by name, as Go's JSON encoder writes a map).
fn wrap(status: u16, headers: BTreeMap<String, Vec<String>>, body: &[u8]) -> Vec<u8> {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Wrapped {
        body: String,
        headers: BTreeMap<String, Vec<String>>,
        status_code: u16,
        is_base64_encoded: bool,
    }
    let wrapped = Wrapped {
        body: base64::engine::general_purpose::STANDARD.encode(body),
        headers,
        status_code: status,
        is_base64_encoded: true,
    };
    serde_json::to_vec(&wrapped).unwrap_or_default()
}

/// `content-type` → `Content-Type`, as Go's `CanonicalHeaderKey` writes it.
fn canonical(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = true;
    for c in name.chars() {
        out.push(if upper {
            c.to_ascii_uppercase()
        } else {
            c.to_ascii_lowercase()
        });
        upper = c == '-';
    }
    out
}

fn build(event: &[u8], added: &Added<'_>) -> Result<Request<Full<Bytes>>, Failure> {
    let event: Value = if event.iter().all(u8::is_ascii_whitespace) {
        Value::Object(serde_json::Map::default())
    } else {
        serde_json::from_slice(event)
            .map_err(|e| Failure::BadEvent(format!("the event is not JSON: {e}")))?
    };
    let text = |key: &str| event.get(key).and_then(Value::as_str);
    let method = text("httpMethod").unwrap_or("GET").to_ascii_uppercase();
    let path = text("path").filter(|p| p.starts_with('/')).unwrap_or("/");
    let mut target = percent_encoding::utf8_percent_encode(path, PATH).to_string();
    if let Some(Value::Object(query)) = event.get("queryStringParameters") {
        let mut pairs = Vec::new();
        for (key, value) in query {
            let values: Vec<String> = match value {
                Value::Array(items) => items.iter().map(plain).collect(),
                other => vec![plain(other)],
            };
            for value in values {
                pairs.push(format!(
                    "{}={}",
                    encode_component(key),
                    encode_component(&value)
                ));
            }
        }
        if !pairs.is_empty() {
            target.push('?');
            target.push_str(&pairs.join("&"));
        }
    }
    let body = match text("body") {
        None => Vec::new(),
        Some(body) if event.get("isBase64Encoded").and_then(Value::as_bool) == Some(true) => {
            base64::engine::general_purpose::STANDARD
                .decode(body.trim())
                .map_err(|e| {
                    Failure::BadEvent(format!(
                        "isBase64Encoded is true but body is not base64: {e}"
                    ))
                })?
        }
        Some(body) => body.as_bytes().to_vec(),
    };
    let mut builder = Request::builder().method(method.as_str()).uri(target);
    let mut has_host = false;
    if let Some(Value::Object(headers)) = event.get("headers") {
        for (name, value) in headers {
            let lower = name.to_ascii_lowercase();
            // Framing is hyper's to decide, from the body it is given.
            if matches!(
                lower.as_str(),
                "content-length" | "transfer-encoding" | "connection"
            ) {
                continue;
            }
            has_host |= lower == "host";
            let values: Vec<String> = match value {
                Value::Array(items) => items.iter().map(plain).collect(),
                other => vec![plain(other)],
            };
            for value in values {
                builder = builder.header(name.as_str(), value);
            }
        }
    }
    if !has_host {
        builder = builder.header("Host", "127.0.0.1:8000");
    }
    builder = builder
        .header("X-CFF-Request-Id", added.request_id)
        .header("X-CFF-Memory", added.memory.to_string())
        .header("X-CFF-Timeout", added.timeout.to_string())
        .header("X-CFF-Func-Version", added.version)
        .header("X-CFF-Func-Name", added.name)
        .header("X-CFF-Project-Id", added.project_id)
        .header("X-CFF-Package", added.package)
        .header("X-CFF-Region", added.region);
    if let Some(credentials) = added.credentials {
        let creds = PassedCredentials::exposed(Some(credentials));
        builder = builder
            .header("X-CFF-Auth-Token", creds.token)
            .header("X-CFF-Security-Access-Key", creds.access_key)
            .header("X-CFF-Security-Secret-Key", creds.secret_key)
            .header("X-CFF-Security-Token", creds.security_token);
    }
    builder
        .body(Full::new(Bytes::from(body)))
        .map_err(|e| Failure::BadEvent(format!("the event does not make an HTTP request: {e}")))
}

fn plain(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// What may stay as it is in a path (RFC 3986 pchar and `/`); the rest is percent-encoded.
const PATH: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'/')
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'%')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=')
    .remove(b':')
    .remove(b'@');

const COMPONENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

fn encode_component(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, COMPONENT).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn added() -> Added<'static> {
        Added {
            request_id: "rid",
            memory: 128,
            timeout: 3,
            version: "latest",
            name: "fn",
            project_id: "p",
            package: "default",
            region: "r",
            credentials: None,
        }
    }

    #[test]
    fn an_apig_event_becomes_a_request() {
        let event = br#"{"path":"/hello world","httpMethod":"post","queryStringParameters":{"q":"a b","n":"1"},
            "headers":{"content-type":"text/plain","content-length":"999"},"body":"aGk=","isBase64Encoded":true}"#;
        let request = build(event, &added()).unwrap();
        assert_eq!(request.method(), "POST");
        assert_eq!(request.uri().to_string(), "/hello%20world?q=a%20b&n=1");
        let headers = request.headers();
        assert_eq!(headers["content-type"], "text/plain");
        assert!(headers.get("content-length").is_none());
        assert_eq!(headers["host"], "127.0.0.1:8000");
        assert_eq!(headers["x-cff-request-id"], "rid");
        assert_eq!(headers["x-cff-memory"], "128");
        assert_eq!(headers["x-cff-func-name"], "fn");
        assert!(headers.get("x-cff-security-token").is_none());
    }

    #[test]
    fn an_empty_event_is_get_slash() {
        let request = build(b"", &added()).unwrap();
        assert_eq!(
            (
                request.method().as_str(),
                request.uri().to_string().as_str()
            ),
            ("GET", "/")
        );
        assert!(matches!(
            build(b"nope", &added()),
            Err(Failure::BadEvent(_))
        ));
    }

    #[test]
    fn answers_are_wrapped_like_the_services() {
        let mut headers = BTreeMap::new();
        headers.insert(canonical("content-type"), vec!["text/plain".to_string()]);
        let wrapped = wrap(200, headers, b"Hello World!");
        assert_eq!(
            String::from_utf8(wrapped).unwrap(),
            r#"{"body":"SGVsbG8gV29ybGQh","headers":{"Content-Type":["text/plain"]},"statusCode":200,"isBase64Encoded":true}"#
        );
        assert_eq!(canonical("x-cff-request-id"), "X-Cff-Request-Id");
    }
}
