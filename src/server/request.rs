//! Reading a request: its whole body, within a size limit and [`READ_TIMEOUT`]; its
//! `SDK-HMAC-SHA256` signature under `--verify-aksk`; its query parameters.

use std::collections::HashMap;

use bytes::Bytes;
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::http::request::Parts;
use hyper::{Request, StatusCode};

use super::READ_TIMEOUT;
use super::documents::ApiFail;
use crate::cloud::signing::{self, Authorization};
use crate::secret::Secret;

/// The request's head and whole body (at most `limit` bytes), its signature checked by
/// `verify` (the `--verify-aksk` key pair) when there is one.
pub async fn read(
    request: Request<Incoming>,
    limit: usize,
    verify: Option<&(Secret, Secret)>,
) -> Result<(Parts, Bytes), ApiFail> {
    let (parts, body) = request.into_parts();
    let body = read_body(body, limit).await?;
    if let Some((ak, sk)) = verify {
        check_signature(&parts, &body, ak, sk)?;
    }
    Ok((parts, body))
}

/// The whole body, up to `limit` bytes, within [`READ_TIMEOUT`].
async fn read_body(body: Incoming, limit: usize) -> Result<Bytes, ApiFail> {
    let collected = tokio::time::timeout(READ_TIMEOUT, Limited::new(body, limit).collect()).await;
    match collected {
        Err(_) => Err(ApiFail::new(
            StatusCode::REQUEST_TIMEOUT,
            "FSS.0408",
            "the request body did not arrive in time",
        )),
        Ok(Ok(body)) => Ok(body.to_bytes()),
        Ok(Err(e))
            if e.downcast_ref::<http_body_util::LengthLimitError>()
                .is_some() =>
        {
            Err(ApiFail::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "FSS.0413",
                format!("The request body is too large: the limit is {limit} bytes"),
            ))
        }
        Ok(Err(e)) => Err(ApiFail::bad(
            "FSS.0400",
            format!("reading the request body: {e}"),
        )),
    }
}

/// `--verify-aksk`: the request must carry an `SDK-HMAC-SHA256` signature by `ak`/`sk`
/// over its method, path, query, signed headers and body; else the gateway's 401.
fn check_signature(parts: &Parts, body: &[u8], ak: &Secret, sk: &Secret) -> Result<(), ApiFail> {
    let refuse = |why: &str| {
        ApiFail::new(
            StatusCode::UNAUTHORIZED,
            "APIG.0301",
            format!("Incorrect IAM authentication information: {why}"),
        )
    };
    let value = parts
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| refuse("no Authorization header"))?;
    let received = Authorization::parse(value)
        .ok_or_else(|| refuse("the Authorization header is not SDK-HMAC-SHA256"))?;
    if !received.is_by(ak.expose()) {
        return Err(refuse("ak not exist"));
    }
    let mut headers: Vec<(&str, &str)> = Vec::new();
    for name in &received.signed_headers {
        let value = parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| refuse("a signed header is missing"))?;
        headers.push((name, value));
    }
    let path_and_query = parts
        .uri
        .path_and_query()
        .map_or("/", hyper::http::uri::PathAndQuery::as_str);
    let input = signing::SignInput {
        method: parts.method.as_str(),
        url: path_and_query,
        headers: &headers,
        selection: signing::HeaderSelection::All,
        body,
    };
    match received.verify(sk.expose(), &input) {
        Ok(true) => Ok(()),
        Ok(false) => Err(refuse("verify aksk signature fail")),
        Err(_) => Err(refuse("no X-Sdk-Date header")),
    }
}

/// A query string's parameters, decoded; the last of a repeated name wins.
pub fn query_params(query: Option<&str>) -> HashMap<String, String> {
    url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .into_owned()
        .collect()
}

/// The `marker` of a paged listing: an offset, 0 when absent or not a number.
pub fn marker(params: &HashMap<String, String>) -> usize {
    params
        .get("marker")
        .and_then(|m| m.parse().ok())
        .unwrap_or(0)
}
