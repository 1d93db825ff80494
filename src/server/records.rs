//! The async invocation records, as `GET .../async-invocations` shows them: one per
//! `invocations-async` call, from `WAIT` through `RUNNING` to `SUCCESS`, `FAIL` or
//! `DISCARD`, at most [`RECORDS`] of them, the oldest dropped first.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::SystemTime;

use serde_json::{Value, json};

use super::request::{marker, query_params};
use crate::local::{LocalError, Reply};

/// Async invocation records kept, oldest dropped first.
const RECORDS: usize = 10_000;

/// Every server's records; calls on other tasks update them.
#[derive(Default)]
pub struct Records(Mutex<Store>);

impl Records {
    /// A new call to the function `key`, waiting to run.
    pub fn wait(&self, request_id: &str, key: &(String, String)) {
        self.lock().insert(Record {
            request_id: request_id.to_string(),
            key: key.clone(),
            status: "WAIT",
            error_code: 0,
            error_message: String::new(),
            start_time: now_text(),
            end_time: None,
        });
    }

    /// The call has started.
    pub fn running(&self, request_id: &str) {
        self.update(request_id, |r| r.status = "RUNNING");
    }

    /// The call has ended: a reply (a function error is `FAIL`), or no reply at all.
    pub fn settle(&self, request_id: &str, outcome: Result<Reply, LocalError>) {
        self.update(request_id, |r| {
            r.end_time = Some(now_text());
            match outcome {
                Ok(reply) if !reply.function_error => r.status = "SUCCESS",
                Ok(reply) => {
                    r.status = "FAIL";
                    r.error_code = i64::from(reply.error_code);
                    r.error_message = error_message(&reply.result);
                }
                Err(e) => {
                    r.status = "DISCARD";
                    r.error_message = e.to_string();
                }
            }
        });
    }

    /// The listing of the function `key`'s records for a query: newest first, filtered by
    /// `request_id` and `status`, `limit` (default 100, at most 500) from offset `marker`.
    pub fn page(&self, query: Option<&str>, key: &(String, String)) -> Value {
        let params = query_params(query);
        let limit = params
            .get("limit")
            .and_then(|l| l.parse::<usize>().ok())
            .unwrap_or(100)
            .clamp(1, 500);
        let marker = marker(&params);
        let store = self.lock();
        let matching: Vec<&Record> = store
            .order
            .iter()
            .rev()
            .filter_map(|id| store.by_id.get(id))
            .filter(|r| &r.key == key)
            .filter(|r| {
                params
                    .get("request_id")
                    .is_none_or(|id| *id == r.request_id)
            })
            .filter(|r| {
                params
                    .get("status")
                    .is_none_or(|s| s.eq_ignore_ascii_case(r.status))
            })
            .collect();
        let page: Vec<Value> = matching
            .iter()
            .skip(marker)
            .take(limit)
            .map(|r| r.document())
            .collect();
        let next = marker + page.len();
        let next_marker = if next < matching.len() { next } else { 0 };
        json!({"invocations": page, "count": matching.len(), "next_marker": next_marker})
    }

    fn update(&self, request_id: &str, f: impl FnOnce(&mut Record)) {
        if let Some(record) = self.lock().by_id.get_mut(request_id) {
            f(record);
        }
    }

    fn lock(&self) -> MutexGuard<'_, Store> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// One async call as `GET .../async-invocations` shows it.
struct Record {
    request_id: String,
    key: (String, String),
    status: &'static str,
    error_code: i64,
    error_message: String,
    start_time: String,
    end_time: Option<String>,
}

impl Record {
    fn document(&self) -> Value {
        json!({
            "request_id": self.request_id,
            "status": self.status,
            "error_code": self.error_code,
            "error_message": self.error_message,
            "start_time": self.start_time,
            "end_time": self.end_time.clone().unwrap_or_default(),
        })
    }
}

/// The records, bounded: the oldest goes when a new one would pass [`RECORDS`].
#[derive(Default)]
struct Store {
    by_id: HashMap<String, Record>,
    order: VecDeque<String>,
}

impl Store {
    fn insert(&mut self, record: Record) {
        if self.by_id.len() >= RECORDS
            && let Some(oldest) = self.order.pop_front()
        {
            self.by_id.remove(&oldest);
        }
        self.order.push_back(record.request_id.clone());
        self.by_id.insert(record.request_id.clone(), record);
    }
}

/// `YYYY-MM-DDTHH:MM:SS` in UTC, no zone: the records' time format.
fn now_text() -> String {
    let text = humantime::format_rfc3339_seconds(SystemTime::now()).to_string();
    text.trim_end_matches('Z').to_string()
}

/// The `errorMessage` of a function's error result, else the result itself.
fn error_message(result: &[u8]) -> String {
    serde_json::from_slice::<Value>(result)
        .ok()
        .and_then(|v| {
            v.get("errorMessage")
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .unwrap_or_else(|| String::from_utf8_lossy(result).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_bounded() {
        let records = Records::default();
        for i in 0..RECORDS + 5 {
            records.wait(&i.to_string(), &("default".into(), "f".into()));
        }
        let store = records.lock();
        assert_eq!(store.by_id.len(), RECORDS);
        assert!(!store.by_id.contains_key("0"));
        assert!(store.by_id.contains_key(&(RECORDS + 4).to_string()));
    }

    #[test]
    fn the_error_message_of_a_function_error() {
        assert_eq!(
            error_message(br#"{"errorMessage": "boom", "errorType": "Exception"}"#),
            "boom"
        );
        assert_eq!(error_message(b"plain"), "plain");
    }
}
