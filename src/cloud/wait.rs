//! Waiting for asynchronous calls: poll their records (§2.2, §10.6 of the API notes) until
//! each leaves `WAIT`/`RUNNING`, on a schedule that backs off from 1 s to 10 s, until a
//! deadline or Ctrl-C. Shared by `invoke --async --wait` (one call or a batch) and `status`.
//!
//! Every poll is one `GET …/async-invocations?request_id=…`, authorised afresh
//! ([`Lookup::get`]), so credentials that are refreshed while fgs waits are used as they change.
//!
//! How a wait is shown (its spinner, its `-o json` document) is not the client's: those
//! methods of [`Waiter`] and [`Settled`] are in `commands/status.rs`.

use std::time::{Duration, Instant, SystemTime};

use anyhow::anyhow;
use colored::Colorize;
use futures_util::StreamExt;
use serde_json::Value;

use crate::api::Trace;
use crate::cloud::lookup::Lookup;
use crate::error::{Failure, Kind};
use crate::sanitize;
use crate::urn::Urn;

/// How far before the submission the records are searched: clocks differ.
pub const CLOCK_MARGIN: Duration = Duration::from_secs(5 * 60);

/// `--wait-timeout`'s default: 72 hours, the longest an asynchronous call may run.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(72 * 3600);

/// Further attempts of each poll that never reached the service (see `Retry`): one lost
/// poll should not end an hour's wait.
pub const POLL_RETRIES: u32 = 3;

/// Where an asynchronous call is, by its record's `status`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Wait,
    Running,
    Success,
    Fail,
    Discard,
    /// A status this version does not know: shown as given, and waited on.
    Other(String),
}

impl Status {
    fn parse(text: &str) -> Status {
        match text.trim().to_ascii_uppercase().as_str() {
            "WAIT" => Status::Wait,
            "RUNNING" => Status::Running,
            "SUCCESS" => Status::Success,
            "FAIL" => Status::Fail,
            "DISCARD" => Status::Discard,
            _ => Status::Other(text.to_string()),
        }
    }

    /// The call is over: it succeeded, failed or was discarded.
    pub fn is_final(&self) -> bool {
        matches!(self, Status::Success | Status::Fail | Status::Discard)
    }

    pub fn name(&self) -> String {
        match self {
            Status::Wait => "WAIT".into(),
            Status::Running => "RUNNING".into(),
            Status::Success => "SUCCESS".into(),
            Status::Fail => "FAIL".into(),
            Status::Discard => "DISCARD".into(),
            Status::Other(s) => sanitize::one_line(s, 40),
        }
    }
}

/// One record, as the service sent it, with its fields read leniently (all are optional).
#[derive(Debug, Clone)]
pub struct Record {
    pub document: Value,
}

impl Record {
    fn text(&self, field: &str) -> Option<&str> {
        self.document
            .get(field)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }

    pub fn request_id(&self) -> Option<&str> {
        self.text("request_id")
    }

    /// No status yet counts as waiting.
    pub fn status(&self) -> Status {
        self.text("status").map_or(Status::Wait, Status::parse)
    }

    /// `error_code`: an integer (a numeric string is read too).
    pub fn error_code(&self) -> Option<i64> {
        match self.document.get("error_code")? {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    pub fn error_message(&self) -> Option<&str> {
        self.text("error_message")
    }

    pub fn start_time(&self) -> Option<&str> {
        self.text("start_time").filter(|t| !is_zero_time(t))
    }

    /// `end_time`, unless absent, empty or a zero time (as an unfinished record may have).
    pub fn end_time(&self) -> Option<&str> {
        self.text("end_time").filter(|t| !is_zero_time(t))
    }

    /// From start to end, when both are readable times.
    pub fn took(&self) -> Option<Duration> {
        let start = parse_time(self.start_time()?)?;
        parse_time(self.end_time()?)?.duration_since(start).ok()
    }

    /// What the record's final status means: `None` for `SUCCESS` (or when the function's
    /// failure is to count as success: `--no-fail`), else the failure to exit with.
    pub fn failure(&self, request_id: &str, no_fail: bool) -> Option<Failure> {
        let message = match self.status() {
            Status::Success => return None,
            Status::Fail if no_fail => return None,
            Status::Fail => {
                let code = self
                    .error_code()
                    .map_or_else(|| "none".to_string(), |c| c.to_string());
                match self.error_message() {
                    Some(m) => format!(
                        "the asynchronous call failed: {} (error code {code})",
                        sanitize::shown(m)
                    ),
                    None => format!("the asynchronous call failed (error code {code})"),
                }
            }
            Status::Discard => {
                "the service discarded the asynchronous call: it did not run to the end".into()
            }
            other => format!("the asynchronous call is {}", other.name()),
        };
        Some(
            Failure::new(Kind::FunctionError, anyhow!("{message}"))
                .with_request_id(Some(request_id.to_string())),
        )
    }
}

/// `0001-01-01T00:00:00`, `1970-01-01T00:00:00`, `0`: no time at all.
fn is_zero_time(text: &str) -> bool {
    text.chars().all(|c| c == '0')
        || text.starts_with("0001-01-01")
        || text.starts_with("1970-01-01T00:00:00")
}

/// A zone-less UTC time (`2019-10-25T15:37:27`), or one with `Z` or an offset.
fn parse_time(text: &str) -> Option<SystemTime> {
    humantime::parse_rfc3339_weak(text.trim_end_matches('Z'))
        .ok()
        .filter(|_| !text.contains('+'))
}

/// A record time for people: a zone-less time is UTC (§10.6), so it gets its `Z`; any
/// other text is shown as given.
pub fn shown_time(text: &str) -> String {
    if parse_time(text).is_some() && !text.ends_with('Z') {
        format!("{}Z", sanitize::shown(text))
    } else {
        sanitize::shown(text)
    }
}

/// `0.3 s`, `12 s`, `3 min 20 s`, `2 h 5 min`.
pub fn shown_duration(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        0..60 => format!("{} s", crate::units::decimal(d.as_secs_f64())),
        60..3600 => format!("{} min {} s", s / 60, s % 60),
        _ => format!("{} h {} min", s / 3600, s / 60 % 60),
    }
}

/// One line for stderr: `SUCCESS · request ID · took 12 s`, with the error code and
/// message of a failure.
pub fn status_line(record: Option<&Record>, request_id: &str, color: bool) -> String {
    let status = record.map_or(Status::Wait, Record::status);
    let name = status.name();
    let painted = match (&status, color) {
        (_, false) => name,
        (Status::Success, true) => name.green().bold().to_string(),
        (Status::Fail | Status::Discard, true) => name.red().bold().to_string(),
        (_, true) => name.yellow().bold().to_string(),
    };
    let mut parts = vec![painted, format!("request {}", sanitize::shown(request_id))];
    if record.is_none() {
        parts.push("no record yet".into());
    }
    if let Some(record) = record {
        if let Some(took) = record.took() {
            parts.push(format!("took {}", shown_duration(took)));
        } else if let Some(start) = record.start_time() {
            parts.push(format!("started {}", shown_time(start)));
        }
        if status == Status::Fail {
            if let Some(code) = record.error_code() {
                parts.push(format!("error code {code}"));
            }
            if let Some(message) = record.error_message() {
                parts.push(sanitize::one_line(message, 200));
            }
        }
    }
    parts.join(" · ")
}

/// The record for people, aligned rows (for `fgs status`).
pub fn details(record: &Record, request_id: &str) -> String {
    let mut rows = vec![
        ("status", record.status().name()),
        (
            "request id",
            sanitize::shown(record.request_id().unwrap_or(request_id)),
        ),
    ];
    if let Some(code) = record.error_code() {
        rows.push(("error code", code.to_string()));
    }
    if let Some(message) = record.error_message() {
        rows.push(("error message", sanitize::shown(message)));
    }
    rows.push((
        "started",
        record.start_time().map_or_else(|| "-".into(), shown_time),
    ));
    let ended = match (record.end_time(), record.took()) {
        (Some(end), Some(took)) => format!("{} ({})", shown_time(end), shown_duration(took)),
        (Some(end), None) => shown_time(end),
        (None, _) => "-".into(),
    };
    rows.push(("ended", ended));
    let mut text = String::new();
    for (name, value) in rows {
        // Aligned like `fgs info` and `fgs config show`: the label, then the value.
        text.push_str(&format!("{name:<13}  {value}\n"));
    }
    text
}

/// How long to wait between polls: `first`, then twice as long each time, up to ten times
/// `first` (1 s to 10 s; `FGS_POLL_INTERVAL_MS` sets `first`, for tests).
#[derive(Debug, Clone, Copy)]
pub struct Schedule {
    pub first: Duration,
}

impl Schedule {
    /// 1 s, or `FGS_POLL_INTERVAL_MS` milliseconds (an undocumented hook for tests).
    pub fn from_env() -> Schedule {
        let first = std::env::var("FGS_POLL_INTERVAL_MS")
            .ok()
            .and_then(|s| s.trim().parse::<u64>().ok())
            .filter(|ms| (1..=60_000).contains(ms))
            .map_or(Duration::from_secs(1), Duration::from_millis);
        Schedule { first }
    }

    /// The pause after poll `n` (0 for the first).
    pub fn after(self, n: u32) -> Duration {
        self.first
            .saturating_mul(1 << n.min(8))
            .min(self.first.saturating_mul(10))
    }
}

/// How one wait ended.
#[derive(Debug)]
pub enum Waited {
    /// The call is over (`SUCCESS`, `FAIL`, `DISCARD`): its last record.
    Done(Record),
    /// The deadline came first: the last record seen, if any.
    TimedOut(Option<Record>),
    /// Ctrl-C came first.
    Interrupted(Option<Record>),
    /// A poll failed (after its retries).
    Failed(Failure),
}

/// A wait's end, read: the last record seen, the failure it means (if any), and whether the
/// call was seen to finish.
pub struct Settled {
    pub record: Option<Record>,
    pub failure: Option<Failure>,
    pub finished: bool,
}

/// What the waits of a batch came to, for its summary.
#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    pub success: u64,
    pub fail: u64,
    pub discard: u64,
    pub timed_out: u64,
    pub lookup_failed: u64,
    pub interrupted: u64,
}

impl Counts {
    pub fn count(&mut self, waited: &Waited) {
        let n = match waited {
            Waited::Done(record) => match record.status() {
                Status::Success => &mut self.success,
                Status::Fail => &mut self.fail,
                _ => &mut self.discard,
            },
            Waited::TimedOut(_) => &mut self.timed_out,
            Waited::Interrupted(_) => &mut self.interrupted,
            Waited::Failed(_) => &mut self.lookup_failed,
        };
        *n += 1;
    }

    pub fn calls(self) -> u64 {
        self.success
            + self.fail
            + self.discard
            + self.timed_out
            + self.lookup_failed
            + self.interrupted
    }

    /// Calls that did not succeed, or were not seen to (Ctrl-C aside).
    pub fn failures(self) -> u64 {
        self.fail + self.discard + self.timed_out + self.lookup_failed
    }

    /// `waited for 3 calls: 1 SUCCESS, 1 FAIL, 1 DISCARD, 0 timed out`, and the rest when any.
    pub fn to_text(self) -> String {
        let mut text = format!(
            "waited for {} calls: {} SUCCESS, {} FAIL, {} DISCARD, {} timed out",
            self.calls(),
            self.success,
            self.fail,
            self.discard,
            self.timed_out
        );
        if self.lookup_failed > 0 {
            text.push_str(&format!(", {} lookups failed", self.lookup_failed));
        }
        if self.interrupted > 0 {
            text.push_str(&format!(
                ", {} still running (interrupted)",
                self.interrupted
            ));
        }
        text.push('\n');
        text
    }

    pub fn to_json(self) -> Value {
        serde_json::json!({
            "calls": self.calls(),
            "success": self.success,
            "fail": self.fail,
            "discard": self.discard,
            "timed_out": self.timed_out,
            "lookup_failed": self.lookup_failed,
            "interrupted": self.interrupted,
        })
    }
}

/// What waiting needs: the records' lookup, the function, where the search begins.
pub struct Waiter {
    pub lookup: Lookup,
    pub urn: Urn,
    /// Sent as `query_begin_time` (the service's default window is the last hour).
    pub since: SystemTime,
    pub timeout: Duration,
    pub schedule: Schedule,
}

impl Waiter {
    /// The record of `request_id`, `None` when the service has none (yet).
    pub async fn record(
        &self,
        request_id: &str,
        trace: &dyn Trace,
    ) -> Result<Option<Record>, Failure> {
        let records = self
            .lookup
            .async_records(&self.urn, Some(request_id), Some(self.since), trace)
            .await?;
        let found = records.into_iter().map(|document| Record { document });
        // A service that ignored the filter: match the id; one that left it out of the
        // record: take the record it returned for the id.
        let mut fallback = None;
        for record in found {
            match record.request_id() {
                Some(id) if id == request_id => return Ok(Some(record)),
                None => fallback = fallback.or(Some(record)),
                Some(_) => {}
            }
        }
        Ok(fallback)
    }

    /// Wait for every call of `ids`, polling up to `concurrency` records at once each round;
    /// `on_round` sees the latest records after each round. The results are in `ids`' order.
    pub async fn wait_all(
        &self,
        ids: &[String],
        concurrency: usize,
        trace: &dyn Trace,
        mut on_round: impl FnMut(&[Option<Record>]),
    ) -> Vec<Waited> {
        let deadline = Instant::now() + self.timeout;
        let mut latest: Vec<Option<Record>> = vec![None; ids.len()];
        let mut ended: Vec<Option<Waited>> = ids.iter().map(|_| None).collect();
        let interrupt = tokio::signal::ctrl_c();
        tokio::pin!(interrupt);
        let mut interrupted = false;
        for round in 0u32.. {
            let pending: Vec<usize> = (0..ids.len()).filter(|&i| ended[i].is_none()).collect();
            if pending.is_empty() {
                break;
            }
            let polls = futures_util::stream::iter(pending)
                .map(|i| async move { (i, self.record(&ids[i], trace).await) })
                .buffer_unordered(concurrency.max(1))
                .collect::<Vec<_>>();
            let polled = tokio::select! {
                polled = polls => polled,
                _ = &mut interrupt => { interrupted = true; break; }
            };
            for (i, result) in polled {
                match result {
                    Ok(Some(record)) if record.status().is_final() => {
                        latest[i] = Some(record.clone());
                        ended[i] = Some(Waited::Done(record));
                    }
                    Ok(record) => latest[i] = record,
                    Err(failure) => ended[i] = Some(Waited::Failed(failure)),
                }
            }
            on_round(&latest);
            let now = Instant::now();
            if now >= deadline || ended.iter().all(Option::is_some) {
                break;
            }
            let pause = self.schedule.after(round).min(deadline - now);
            tokio::select! {
                () = tokio::time::sleep(pause) => {}
                _ = &mut interrupt => { interrupted = true; break; }
            }
        }
        ended
            .into_iter()
            .zip(latest)
            .map(|(ended, latest)| match ended {
                Some(waited) => waited,
                None if interrupted => Waited::Interrupted(latest),
                None => Waited::TimedOut(latest),
            })
            .collect()
    }

    /// What `waited` (for `request_id`) comes to; `no_fail` makes a FAIL no failure.
    pub fn settle(&self, waited: Waited, request_id: &str, no_fail: bool) -> Settled {
        let unfinished = self.unfinished(&waited, request_id);
        match waited {
            Waited::Done(record) => Settled {
                failure: record.failure(request_id, no_fail),
                record: Some(record),
                finished: true,
            },
            Waited::Failed(failure) => Settled {
                record: None,
                failure: Some(failure),
                finished: false,
            },
            Waited::TimedOut(record) | Waited::Interrupted(record) => Settled {
                record,
                failure: unfinished,
                finished: false,
            },
        }
    }

    /// The failure a wait that did not see the call end means: exit 7 for the deadline, 130
    /// for Ctrl-C; both say how to look again later.
    pub fn unfinished(&self, waited: &Waited, request_id: &str) -> Option<Failure> {
        let (kind, last, what) = match waited {
            Waited::TimedOut(last) => (
                Kind::Timeout,
                last,
                format!(
                    "the call had not finished after --wait-timeout {}",
                    shown_duration(self.timeout)
                ),
            ),
            Waited::Interrupted(last) => (Kind::Interrupted, last, "interrupted".to_string()),
            _ => return None,
        };
        let status = last.as_ref().map_or(Status::Wait, Record::status);
        let hint = format!(
            "the call goes on ({}); check it later: fgs status {} {}",
            status.name(),
            self.urn,
            sanitize::shown(request_id)
        );
        Some(
            Failure::new(kind, anyhow!("{what}"))
                .with_request_id(Some(request_id.to_string()))
                .with_hint(Some(hint)),
        )
    }
}

/// `request 1167bf8c…` for the spinner.
pub fn short(request_id: &str) -> String {
    format!("request {}", sanitize::one_line(request_id, 40))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record(document: Value) -> Record {
        Record { document }
    }

    #[test]
    fn the_schedule_doubles_up_to_ten_times_the_first() {
        let s = Schedule {
            first: Duration::from_secs(1),
        };
        let pauses: Vec<u64> = (0..6).map(|n| s.after(n).as_secs()).collect();
        assert_eq!(pauses, [1, 2, 4, 8, 10, 10]);
        assert_eq!(s.after(1000), Duration::from_secs(10));
    }

    #[test]
    fn fields_are_read_leniently() {
        let r = record(
            json!({"status": "FAIL", "error_code": "17", "error_message": " boom ",
                              "start_time": "2019-10-25T15:37:27", "end_time": "2019-10-25T15:38:30"}),
        );
        assert_eq!(r.status(), Status::Fail);
        assert_eq!(r.error_code(), Some(17));
        assert_eq!(r.error_message(), Some("boom"));
        assert_eq!(r.took(), Some(Duration::from_secs(63)));
        for end in [
            json!(""),
            json!("0"),
            json!("0001-01-01T00:00:00"),
            json!(null),
        ] {
            let r = record(
                json!({"status": "RUNNING", "start_time": "2019-10-25T15:37:27", "end_time": end}),
            );
            assert_eq!(r.end_time(), None);
            assert_eq!(r.took(), None);
            assert!(!r.status().is_final());
        }
        assert_eq!(record(json!({})).status(), Status::Wait);
        assert_eq!(
            record(json!({"status": "PAUSED"})).status(),
            Status::Other("PAUSED".into())
        );
    }

    #[test]
    fn lines_and_details() {
        let r = record(
            json!({"request_id": "r1", "status": "FAIL", "error_code": 17,
                              "error_message": "boom", "start_time": "2019-10-25T15:37:27"}),
        );
        assert_eq!(
            status_line(Some(&r), "r1", false),
            "FAIL · request r1 · started 2019-10-25T15:37:27Z · error code 17 · boom"
        );
        assert_eq!(
            status_line(None, "r2", false),
            "WAIT · request r2 · no record yet"
        );
        assert_eq!(
            details(&r, "r1"),
            "status         FAIL\nrequest id     r1\nerror code     17\nerror message  boom\nstarted        2019-10-25T15:37:27Z\nended          -\n"
        );
        assert_eq!(shown_time("yesterday"), "yesterday");
        assert_eq!(shown_duration(Duration::from_secs(200)), "3 min 20 s");
        assert_eq!(shown_duration(Duration::from_secs(7500)), "2 h 5 min");
    }

    #[test]
    fn final_statuses_and_what_they_mean() {
        let ok = record(json!({"status": "SUCCESS"}));
        assert!(ok.failure("r", false).is_none());
        let fail = record(json!({"status": "FAIL", "error_code": 1, "error_message": "x"}));
        let f = fail.failure("r", false).unwrap();
        assert_eq!(f.exit_code(), 1);
        assert!(format!("{:#}", f.error).contains("x (error code 1)"));
        assert!(fail.failure("r", true).is_none());
        let discard = record(json!({"status": "DISCARD"}));
        assert_eq!(discard.failure("r", true).unwrap().exit_code(), 1);
    }
}
