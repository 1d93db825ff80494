//! A function's log in LTS (§11.3 of the API notes): where FunctionGraph sends it (the log
//! group and stream), then LTS `ListLogs`, page after page.

use std::collections::{HashSet, VecDeque};

use anyhow::anyhow;
use bytes::Bytes;
use serde_json::{Value, json};
use url::Url;

use crate::api::{self, Header, HeaderValue, Request, Trace};
use crate::cloud::lookup::Lookup;
use crate::error::{Failure, Kind};
use crate::urn::Urn;

/// The log group and stream a function writes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub group_id: String,
    pub stream_id: String,
}

/// Where the function's log goes: `GET …/lts-log-detail`, else the configuration's
/// `log_group_id` and `log_stream_id`. `None`: the function has no LTS log (LTS logs are
/// off, or were never set up for it). `config` is the function's configuration.
pub async fn binding(
    lookup: &Lookup,
    urn: &Urn,
    config: &Value,
    trace: &dyn Trace,
) -> Result<Option<Binding>, Failure> {
    let text = |doc: &Value, key: &str| {
        doc.get(key)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
    };
    let url = lookup.url(&format!("/{}/lts-log-detail", urn.segment()), &[])?;
    let detail = match lookup.get(&url, trace).await {
        Ok(detail) => Some(detail),
        // No group or stream for this function: the configuration may still say.
        Err(f) if matches!(f.kind, Kind::Refused(404 | 400)) => {
            trace.note(&format!(
                "no LTS binding from lts-log-detail: {:#}",
                f.error
            ));
            None
        }
        Err(f) => return Err(f),
    };
    let from_detail = detail.as_ref().and_then(|d| {
        Some(Binding {
            group_id: text(d, "group_id")?,
            stream_id: text(d, "stream_id")?,
        })
    });
    Ok(from_detail.or_else(|| {
        Some(Binding {
            group_id: text(config, "log_group_id")?,
            stream_id: text(config, "log_stream_id")?,
        })
    }))
}

/// What to ask LTS for.
#[derive(Debug, Clone)]
pub struct Query {
    /// Unix milliseconds.
    pub start_ms: u64,
    pub end_ms: u64,
    /// Sent as `keywords`: a request id, say.
    pub keywords: Option<String>,
    /// Lines a page.
    pub page: u32,
}

/// The most pages one read follows.
const MAX_PAGES: usize = 1000;

/// The lines already given, so that none is given twice: the most recent
/// [`Seen::CAPACITY`] line numbers (or contents, for a line without one).
#[derive(Debug, Default)]
pub struct Seen {
    set: HashSet<String>,
    order: VecDeque<String>,
}

impl Seen {
    const CAPACITY: usize = 100_000;

    /// True the first time `line` is offered.
    pub fn first(&mut self, line: &Value) -> bool {
        let key = match line.get("line_num") {
            Some(Value::String(n)) if !n.is_empty() => format!("n{n}"),
            Some(Value::Number(n)) => format!("n{n}"),
            _ => format!(
                "c{}",
                line.get("content").and_then(Value::as_str).unwrap_or("")
            ),
        };
        if !self.set.insert(key.clone()) {
            return false;
        }
        self.order.push_back(key);
        if self.order.len() > Self::CAPACITY
            && let Some(old) = self.order.pop_front()
        {
            self.set.remove(&old);
        }
        true
    }
}

/// The reads of one group and stream.
pub struct Logs<'a> {
    pub lookup: &'a Lookup,
    /// `https://lts.{region}.myhuaweicloud.com`, or the `lts_endpoint` setting.
    pub endpoint: &'a Url,
    pub binding: &'a Binding,
}

impl Logs<'_> {
    /// Every line of `query` not `seen` before, oldest first, at most `limit` of them:
    /// page after page, each after the last line of the one before (`line_num`).
    pub async fn read(
        &self,
        query: &Query,
        limit: Option<u64>,
        seen: &mut Seen,
        trace: &dyn Trace,
    ) -> Result<Vec<Value>, Failure> {
        let mut lines = Vec::new();
        let mut cursor: Option<String> = None;
        // The direction that goes on after the cursor: §11.3's examples read inverted, so
        // the other one is tried when one gives nothing new.
        let mut forwards = true;
        for _ in 0..MAX_PAGES {
            let page = self.page(query, cursor.as_deref(), forwards, trace).await?;
            let full = page.len() >= query.page as usize;
            let mut fresh = 0;
            for line in &page {
                if seen.first(line) {
                    fresh += 1;
                    lines.push(line.clone());
                    if limit.is_some_and(|l| lines.len() as u64 >= l) {
                        return Ok(lines);
                    }
                }
            }
            // After a full page, an answer with nothing new went the wrong way.
            if fresh == 0 && forwards && cursor.is_some() {
                trace.note("LTS gave no new lines after the cursor; asking the other way");
                forwards = false;
                continue;
            }
            if !full || fresh == 0 {
                return Ok(lines);
            }
            cursor = page.iter().rev().find_map(|l| match l.get("line_num") {
                Some(Value::String(n)) => Some(n.clone()),
                Some(Value::Number(n)) => Some(n.to_string()),
                _ => None,
            });
            if cursor.is_none() {
                return Ok(lines);
            }
        }
        Err(Failure::new(
            Kind::Service,
            anyhow!("LTS gave more than {MAX_PAGES} pages; fgs stopped there"),
        ))
    }

    /// One `ListLogs` page, sorted by line number.
    async fn page(
        &self,
        query: &Query,
        cursor: Option<&str>,
        forwards: bool,
        trace: &dyn Trace,
    ) -> Result<Vec<Value>, Failure> {
        let url = Url::parse(&format!(
            "{}/v2/{}/groups/{}/streams/{}/content/query",
            self.endpoint.as_str().trim_end_matches('/'),
            self.lookup.project().id,
            segment(&self.binding.group_id)?,
            segment(&self.binding.stream_id)?,
        ))
        .map_err(|e| Failure::usage(format!("the LTS URL cannot be formed: {e}")))?;
        let mut body = json!({
            "start_time": query.start_ms.to_string(),
            "end_time": query.end_ms.to_string(),
            "limit": query.page,
            "is_desc": false,
            "highlight": false,
        });
        if let Some(keywords) = &query.keywords {
            body["keywords"] = keywords.clone().into();
        }
        if let Some(cursor) = cursor {
            body["line_num"] = cursor.into();
            body["search_type"] = if forwards { "forwards" } else { "backwards" }.into();
        }
        let body = Bytes::from(body.to_string());
        let build = || {
            let plain = |name, value: &str| Header {
                name,
                value: HeaderValue::Plain(value.to_string()),
            };
            Request {
                method: "POST",
                url: url.clone(),
                headers: vec![
                    plain("Content-Type", "application/json;charset=UTF-8"),
                    plain("User-Agent", api::USER_AGENT),
                ],
                body: body.clone(),
            }
        };
        let exchange = self.lookup.exchange();
        let response = match exchange.send(build, trace).await {
            Ok(sent) => sent.answer().map_err(|refusal| refusal.failure)?,
            Err(unsent) => return Err(unsent.failure),
        };
        let target = api::short_target(&url);
        let mut answer: Value = serde_json::from_slice(&response.body).map_err(|e| {
            Failure::new(
                Kind::Service,
                anyhow!("the answer to POST {target} is not JSON: {e}"),
            )
        })?;
        let mut lines = match answer.get_mut("logs").map(Value::take) {
            Some(Value::Array(lines)) => lines,
            None | Some(Value::Null) => Vec::new(),
            Some(_) => {
                return Err(Failure::new(
                    Kind::Service,
                    anyhow!("the answer to POST {target} has `logs` that is not a list"),
                ));
            }
        };
        lines.retain(Value::is_object);
        lines.sort_by_key(line_number);
        Ok(lines)
    }
}

/// A line's `line_num` as a number, for ordering (19 digits); 0 when it has none.
fn line_number(line: &Value) -> u128 {
    match line.get("line_num") {
        Some(Value::String(n)) => n.trim().parse().unwrap_or(0),
        Some(Value::Number(n)) => n.to_string().parse().unwrap_or(0),
        _ => 0,
    }
}

/// A group or stream id made one path segment ([`crate::urn::id_segment`]); `..` and the
/// like are refused.
fn segment(id: &str) -> Result<String, Failure> {
    crate::urn::id_segment(id).ok_or_else(|| {
        Failure::new(
            Kind::Service,
            anyhow!("the log group or stream id {id:?} cannot be put in a path"),
        )
    })
}

/// LTS's endpoint in `region` (§11.3): `.myhuaweicloud.eu` for eu-west-101.
pub fn default_endpoint(region: &str) -> Result<Url, Failure> {
    let suffix = if region == "eu-west-101" {
        "myhuaweicloud.eu"
    } else {
        "myhuaweicloud.com"
    };
    Url::parse(&format!("https://lts.{region}.{suffix}"))
        .map_err(|e| Failure::usage(format!("region `{region}` cannot form the LTS URL: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_is_given_once() {
        let mut seen = Seen::default();
        let a = json!({"content": "a", "line_num": "1700000000000000001"});
        let b = json!({"content": "a", "line_num": "1700000000000000002"});
        assert!(seen.first(&a));
        assert!(!seen.first(&a));
        assert!(seen.first(&b));
        let c = json!({"content": "no number"});
        assert!(seen.first(&c));
        assert!(!seen.first(&c));
    }

    #[test]
    fn the_endpoint_follows_the_region() {
        assert_eq!(
            default_endpoint("cn-north-4").unwrap().as_str(),
            "https://lts.cn-north-4.myhuaweicloud.com/"
        );
        assert_eq!(
            default_endpoint("eu-west-101").unwrap().as_str(),
            "https://lts.eu-west-101.myhuaweicloud.eu/"
        );
    }
}
