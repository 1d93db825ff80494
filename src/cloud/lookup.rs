//! Read-only requests to the service: the project's functions, one function's
//! configuration, versions and aliases, and its asynchronous-invocation records. Each is a
//! `GET` that returns JSON; the listing ones follow every page (§10.2 of the API notes).
//!
//! A `GET` changes nothing, so it is tried again on the same terms as an invocation that
//! never reached the function ([`Retry`]).

use std::sync::Arc;
use std::time::SystemTime;

use anyhow::anyhow;
use bytes::Bytes;
use serde_json::Value;
use url::Url;

use crate::api::{self, Header, HeaderValue, Request, Trace};
use crate::cloud::client::Retry;
use crate::cloud::exchange::Exchange;
use crate::cloud::session::{Project, Session};
use crate::error::{Failure, Kind};
use crate::urn::Urn;

/// The most pages one listing follows: a safety net against a service whose markers never
/// end (400 functions a page makes this 400,000 functions).
pub const MAX_PAGES: usize = 1000;

/// How [`Lookup::paged`] departs from §10.2's paging.
#[derive(Debug, Clone, Copy, Default)]
pub struct Paging<'a> {
    /// The first request carries no `marker` (a listing that documents no query).
    pub bare_first: bool,
    /// An item whose value under this key was seen already is not new (a service that
    /// ignores `marker` gives the same page again).
    pub unique_by: Option<&'a str>,
}

/// The functions listing's page size, the most the service gives (§10.1).
const FUNCTIONS_PAGE: &str = "400";
/// The async records' page size: the service's most is 500 (§2.2).
const RECORDS_PAGE: &str = "500";

/// The read-only requests of one session, each tried again as `retry` allows.
pub struct Lookup {
    session: Arc<Session>,
    retry: Retry,
}

impl Lookup {
    pub fn new(session: Arc<Session>, retry: Retry) -> Lookup {
        Lookup { session, retry }
    }

    /// Where the requests go.
    pub fn project(&self) -> &Project {
        &self.session.project
    }

    /// `{endpoint}/v2/{project_id}/fgs/functions{tail}` with `query`. `tail` is either
    /// empty or `/{urn}/…`, the URN made one path segment by [`Urn::segment`].
    pub fn url(&self, tail: &str, query: &[(&str, &str)]) -> Result<Url, Failure> {
        let mut url = Url::parse(&format!(
            "{}/v2/{}/fgs/functions{}",
            self.project().endpoint.as_str().trim_end_matches('/'),
            self.project().id,
            tail
        ))
        .map_err(|e| Failure::usage(format!("the request URL cannot be formed: {e}")))?;
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        Ok(url)
    }

    /// An exchange on this session, for a request [`get`](Lookup::get) does not make.
    pub fn exchange(&self) -> Exchange<'_> {
        Exchange {
            client: &self.session.client,
            credentials: &self.session.credentials,
            project_id: &self.session.project.id,
            retry: self.retry,
            label: None,
            stopping: None,
        }
    }

    /// `GET url`, not yet authorised.
    pub fn request(url: &Url) -> Request {
        let plain = |name, value: &str| Header {
            name,
            value: HeaderValue::Plain(value.to_string()),
        };
        Request {
            method: "GET",
            url: url.clone(),
            headers: vec![
                plain("Content-Type", "application/json"),
                plain("User-Agent", api::USER_AGENT),
            ],
            body: Bytes::new(),
        }
    }

    /// `GET url` and the JSON document it answers; a non-2xx answer is the failure it
    /// means (the same mapping as an invocation's), an answer that is not JSON exit 5.
    pub async fn get(&self, url: &Url, trace: &dyn Trace) -> Result<Value, Failure> {
        let exchange = self.exchange();
        let response = match exchange.send(|| Lookup::request(url), trace).await {
            Ok(sent) => sent.answer().map_err(|refusal| refusal.failure)?,
            Err(unsent) => return Err(unsent.failure),
        };
        serde_json::from_slice(&response.body).map_err(|e| {
            Failure::new(
                Kind::Service,
                anyhow!(
                    "the answer to GET {} is not JSON: {e}",
                    api::short_target(url)
                ),
            )
        })
    }

    /// `method url` with `body` (JSON, or empty), for the few requests that change
    /// something (a saved test event, [`crate::cloud::events`]); tried again on the same
    /// terms as a `GET`: only when it never reached the service or a 429/503 turned it away.
    /// A non-2xx answer is the failure it means.
    pub async fn send(
        &self,
        method: &'static str,
        url: &Url,
        body: Bytes,
        trace: &dyn Trace,
    ) -> Result<api::Response, Failure> {
        let exchange = Exchange {
            client: &self.session.client,
            credentials: &self.session.credentials,
            project_id: &self.session.project.id,
            retry: self.retry,
            label: None,
            stopping: None,
        };
        let build = || Request {
            method,
            body: body.clone(),
            ..Lookup::request(url)
        };
        match exchange.send(build, trace).await {
            Ok(sent) => sent.answer().map_err(|refusal| refusal.failure),
            Err(unsent) => Err(unsent.failure),
        }
    }

    /// Every item of a paged listing: `GET tail?query&marker=…` until the last page, by
    /// the defensive rules of §10.2. `items` names the array in each page.
    pub async fn pages(
        &self,
        tail: &str,
        query: &[(&str, &str)],
        items: &str,
        trace: &dyn Trace,
    ) -> Result<Vec<Value>, Failure> {
        self.paged(tail, query, items, Paging::default(), trace)
            .await
    }

    /// [`Lookup::pages`], with `paging`'s changes to where it starts and what counts as new.
    pub async fn paged(
        &self,
        tail: &str,
        query: &[(&str, &str)],
        items: &str,
        paging: Paging<'_>,
        trace: &dyn Trace,
    ) -> Result<Vec<Value>, Failure> {
        let mut all = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut marker: Option<u64> = (!paging.bare_first).then_some(0);
        for _ in 0..MAX_PAGES {
            let marker_text = marker.map(|m| m.to_string());
            let mut with_marker = query.to_vec();
            if let Some(m) = &marker_text {
                with_marker.push(("marker", m));
            }
            let url = self.url(tail, &with_marker)?;
            let mut page = self.get(&url, trace).await?;
            let found = match page.get_mut(items).map(Value::take) {
                Some(Value::Array(found)) => found,
                None | Some(Value::Null) => Vec::new(),
                Some(_) => {
                    return Err(Failure::new(
                        Kind::Service,
                        anyhow!(
                            "the answer to GET {} has a `{items}` that is not a list",
                            api::short_target(&url)
                        ),
                    ));
                }
            };
            let before = all.len();
            for item in found {
                let key = paging
                    .unique_by
                    .and_then(|key| item.get(key).map(Value::to_string));
                if key.is_none_or(|key| seen.insert(key)) {
                    all.push(item);
                }
            }
            let next = page.get("next_marker").and_then(crate::units::count);
            let count = page.get("count").and_then(crate::units::count);
            let current = marker.unwrap_or(0);
            match next {
                // A page with nothing new: the last, or a service that ignores `marker`.
                _ if all.len() == before => return Ok(all),
                None => return Ok(all),
                Some(next) if next <= current => return Ok(all),
                Some(_) if count.is_some_and(|c| all.len() as u64 >= c) => return Ok(all),
                Some(next) => marker = Some(next),
            }
        }
        Err(Failure::new(
            Kind::Service,
            anyhow!("the service gave more than {MAX_PAGES} pages; fgs stopped there"),
        ))
    }

    /// The project's functions (§10.1), of one package when `package` is given.
    pub async fn functions(
        &self,
        package: Option<&str>,
        trace: &dyn Trace,
    ) -> Result<Vec<Value>, Failure> {
        let mut query = vec![("maxitems", FUNCTIONS_PAGE)];
        if let Some(package) = package {
            query.push(("package_name", package));
        }
        self.pages("", &query, "functions", trace).await
    }

    /// One function's configuration (§10.3).
    pub async fn config(&self, urn: &Urn, trace: &dyn Trace) -> Result<Value, Failure> {
        let url = self.url(&format!("/{}/config", urn.segment()), &[])?;
        self.get(&url, trace).await
    }

    /// A function's versions, `latest` among them (§10.4).
    pub async fn versions(&self, urn: &Urn, trace: &dyn Trace) -> Result<Vec<Value>, Failure> {
        self.pages(
            &format!("/{}/versions", urn.segment()),
            &[],
            "versions",
            trace,
        )
        .await
    }

    /// A function's aliases (§10.5): a bare array, on one page.
    pub async fn aliases(&self, urn: &Urn, trace: &dyn Trace) -> Result<Vec<Value>, Failure> {
        let url = self.url(&format!("/{}/aliases", urn.segment()), &[])?;
        match self.get(&url, trace).await? {
            Value::Array(aliases) => Ok(aliases),
            Value::Null => Ok(Vec::new()),
            _ => Err(Failure::new(
                Kind::Service,
                anyhow!(
                    "the answer to GET {} is not a list of aliases",
                    api::short_target(&url)
                ),
            )),
        }
    }

    /// The asynchronous-invocation records of `urn` (§2.2, §10.6), of one request when
    /// `request_id` is given. `since` is sent as `query_begin_time` (the service's default
    /// is the last hour only).
    pub async fn async_records(
        &self,
        urn: &Urn,
        request_id: Option<&str>,
        since: Option<SystemTime>,
        trace: &dyn Trace,
    ) -> Result<Vec<Value>, Failure> {
        let since = since.map(zoneless_utc);
        let mut query = vec![("limit", RECORDS_PAGE)];
        if let Some(id) = request_id {
            query.push(("request_id", id));
        }
        if let Some(since) = &since {
            query.push(("query_begin_time", since));
        }
        self.pages(
            &format!("/{}/async-invocations", urn.segment()),
            &query,
            "invocations",
            trace,
        )
        .await
    }
}

/// `YYYY-MM-DDTHH:MM:SS` in UTC with no zone suffix, as the async records' query takes it.
pub fn zoneless_utc(time: SystemTime) -> String {
    let mut text = humantime::format_rfc3339_seconds(time).to_string();
    text.pop(); // the `Z`
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn query_times_are_zoneless_utc() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_572_017_847);
        assert_eq!(zoneless_utc(t), "2019-10-25T15:37:27");
        assert_eq!(zoneless_utc(SystemTime::UNIX_EPOCH), "1970-01-01T00:00:00");
        let leap = SystemTime::UNIX_EPOCH + Duration::from_secs(951_782_400);
        assert_eq!(zoneless_utc(leap), "2000-02-29T00:00:00");
    }
}
