//! What the calls of a batch or repeat cost: counts by outcome, client-side latency, the
//! service-reported duration and billed time. Fixed memory however many calls there are.

use std::time::Duration;

use hdrhistogram::Histogram;
use serde_json::{Value, json};

use crate::error::Kind;
use crate::units::decimal;

/// The outcome classes the summary counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Ok,
    FunctionError,
    Refused,
    ServiceFailure,
    Network,
    Timeout,
    InvalidInput,
    /// This machine failed: a local function's process, or writing a result.
    LocalFailure,
    /// Ctrl-C ended the call (a wait, or a local run) before it had an outcome.
    Interrupted,
}

impl Class {
    const ALL: [Class; 9] = [
        Class::Ok,
        Class::FunctionError,
        Class::Refused,
        Class::ServiceFailure,
        Class::Network,
        Class::Timeout,
        Class::InvalidInput,
        Class::LocalFailure,
        Class::Interrupted,
    ];

    pub fn of(kind: Kind) -> Class {
        match kind {
            Kind::FunctionError => Class::FunctionError,
            Kind::Service => Class::ServiceFailure,
            Kind::Network => Class::Network,
            Kind::Timeout => Class::Timeout,
            Kind::Usage | Kind::InsecureTransport | Kind::NoTerminal => Class::InvalidInput,
            Kind::Local => Class::LocalFailure,
            Kind::Interrupted => Class::Interrupted,
            Kind::NoCredentials
            | Kind::LoginExpired
            | Kind::LoginRefused
            | Kind::SignatureRefused
            | Kind::ClockSkew
            | Kind::AuthRefused(_)
            | Kind::Refused(_)
            | Kind::Unavailable => Class::Refused,
        }
    }

    fn key(self) -> &'static str {
        match self {
            Class::Ok => "ok",
            Class::FunctionError => "function_error",
            Class::Refused => "refused",
            Class::ServiceFailure => "service_failure",
            Class::Network => "network",
            Class::Timeout => "timeout",
            Class::InvalidInput => "invalid_input",
            Class::LocalFailure => "local_failure",
            Class::Interrupted => "interrupted",
        }
    }
}

/// Running totals.
pub struct Stats {
    counts: [u64; Class::ALL.len()],
    retries: u64,
    /// Client-side latency, microseconds.
    latency: Spread,
    /// Service-reported duration, microseconds.
    service: Spread,
    billed_ms: f64,
}

/// Values in a histogram (for percentiles, to its three significant digits), and the exact
/// smallest and largest.
struct Spread {
    histogram: Histogram<u64>,
    min: u64,
    max: u64,
}

impl Spread {
    fn new() -> Spread {
        Spread {
            histogram: histogram(),
            min: u64::MAX,
            max: 0,
        }
    }

    fn record(&mut self, micros: u64) {
        self.histogram.saturating_record(micros);
        self.min = self.min.min(micros);
        self.max = self.max.max(micros);
    }

    fn is_empty(&self) -> bool {
        self.histogram.is_empty()
    }

    /// Milliseconds: the exact minimum and maximum; a percentile to the histogram's real
    /// precision, three significant digits.
    fn ms(&self, quantile: f64) -> Option<f64> {
        if self.is_empty() {
            return None;
        }
        Some(match quantile {
            q if q <= 0.0 => self.min as f64 / 1000.0,
            q if q >= 1.0 => self.max as f64 / 1000.0,
            q => {
                let value = self.histogram.value_at_quantile(q);
                let ms = significant(self.histogram.median_equivalent(value) as f64 / 1000.0, 3);
                // Rounding never takes a percentile past the exact extremes.
                ms.clamp(self.min as f64 / 1000.0, self.max as f64 / 1000.0)
            }
        })
    }
}

/// `value` rounded to `digits` significant digits (and to whole microseconds).
fn significant(value: f64, digits: i32) -> f64 {
    if value <= 0.0 || !value.is_finite() {
        return value;
    }
    // Whole and small: the cast is exact.
    #[allow(clippy::cast_possible_truncation)]
    let magnitude = value.log10().floor() as i32;
    let decimals = (digits - 1 - magnitude).clamp(0, 3);
    let scale = 10f64.powi(decimals);
    (value * scale).round() / scale
}

const MAX_MICROS: u64 = 3_600_000_000;

fn histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, MAX_MICROS, 3).expect("valid histogram bounds")
}

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros())
        .unwrap_or(MAX_MICROS)
        .clamp(1, MAX_MICROS)
}

impl Default for Stats {
    fn default() -> Self {
        Stats {
            counts: [0; Class::ALL.len()],
            retries: 0,
            latency: Spread::new(),
            service: Spread::new(),
            billed_ms: 0.0,
        }
    }
}

impl Stats {
    /// One finished call. `latency` is `None` for a line that was never sent.
    pub fn record(
        &mut self,
        class: Class,
        latency: Option<Duration>,
        service_ms: Option<f64>,
        billed_ms: Option<f64>,
        retries: u32,
    ) {
        let index = Class::ALL
            .iter()
            .position(|c| *c == class)
            .expect("every class is listed");
        self.counts[index] += 1;
        self.retries += u64::from(retries);
        if let Some(latency) = latency {
            self.latency.record(micros(latency));
        }
        if let Some(ms) = service_ms.filter(|ms| ms.is_finite() && *ms >= 0.0) {
            self.service
                .record(micros(Duration::from_secs_f64(ms / 1000.0)));
        }
        if let Some(ms) = billed_ms.filter(|ms| ms.is_finite()) {
            self.billed_ms += ms;
        }
    }

    pub fn calls(&self) -> u64 {
        self.counts.iter().sum()
    }

    pub fn failures(&self) -> u64 {
        self.calls() - self.counts[0]
    }

    fn ms(spread: &Spread, quantile: f64) -> Value {
        spread.ms(quantile).map_or(Value::Null, |v| json!(v))
    }

    /// The summary as JSON (`--summary FILE`).
    pub fn to_json(&self, elapsed: Duration, abandoned: u64, interrupted: bool) -> Value {
        let outcomes: serde_json::Map<String, Value> = Class::ALL
            .iter()
            .zip(self.counts)
            .map(|(c, n)| (c.key().to_string(), json!(n)))
            .collect();
        let seconds = elapsed.as_secs_f64();
        json!({
            "calls": self.calls(),
            "outcomes": outcomes,
            "retries": self.retries,
            "interrupted": interrupted,
            "abandoned": abandoned,
            "elapsed_s": (seconds * 1000.0).round() / 1000.0,
            "calls_per_s": per_second(self.calls(), seconds),
            "latency_ms": {
                "min": Self::ms(&self.latency, 0.0),
                "p50": Self::ms(&self.latency, 0.5),
                "p90": Self::ms(&self.latency, 0.9),
                "p99": Self::ms(&self.latency, 0.99),
                "max": Self::ms(&self.latency, 1.0),
            },
            "service_duration_ms": {
                "p50": Self::ms(&self.service, 0.5),
                "p99": Self::ms(&self.service, 0.99),
            },
            "billed_duration_ms_total": crate::units::json_number(Some(self.billed_ms)),
        })
    }

    /// The summary for people, a few lines for stderr.
    pub fn to_text(&self, elapsed: Duration, abandoned: u64, interrupted: bool) -> String {
        let seconds = elapsed.as_secs_f64();
        let rate = per_second(self.calls(), seconds);
        let counts: Vec<String> = Class::ALL
            .iter()
            .zip(self.counts)
            .filter(|(c, n)| *n > 0 || **c == Class::Ok)
            .map(|(c, n)| format!("{n} {}", c.key().replace('_', " ")))
            .collect();
        let mut text = format!(
            "{} calls in {seconds:.2} s ({rate}/s): {}",
            self.calls(),
            counts.join(", ")
        );
        if self.retries > 0 {
            text.push_str(&format!("; {} retries", self.retries));
        }
        if interrupted {
            text.push_str(&format!("; interrupted, {abandoned} in flight abandoned"));
        }
        text.push('\n');
        let ms = |h: &Spread, q: f64| match Self::ms(h, q) {
            Value::Null => "-".to_string(),
            v => format!("{} ms", v.as_f64().map_or_else(String::new, decimal)),
        };
        if !self.latency.is_empty() {
            text.push_str(&format!(
                "latency: min {}, p50 {}, p90 {}, p99 {}, max {}\n",
                ms(&self.latency, 0.0),
                ms(&self.latency, 0.5),
                ms(&self.latency, 0.9),
                ms(&self.latency, 0.99),
                ms(&self.latency, 1.0)
            ));
        }
        if !self.service.is_empty() || self.billed_ms > 0.0 {
            text.push_str(&format!(
                "service duration: p50 {}, p99 {}; billed {} ms in all\n",
                ms(&self.service, 0.5),
                ms(&self.service, 0.99),
                decimal(self.billed_ms)
            ));
        }
        text
    }
}

/// Calls a second, as a whole number: the same figure in the text and the JSON summary, and
/// on the progress bar.
pub fn per_second(calls: u64, seconds: f64) -> u64 {
    if seconds <= 0.0 {
        return 0;
    }
    let rate = (calls as f64 / seconds).round();
    // Non-negative and rounded: the cast is exact within u64's range.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let rate = rate as u64;
    rate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_percentiles_and_billing() {
        let mut s = Stats::default();
        for i in 1..=100u64 {
            s.record(
                Class::Ok,
                Some(Duration::from_millis(i)),
                Some(i as f64),
                Some(100.0),
                0,
            );
        }
        s.record(
            Class::FunctionError,
            Some(Duration::from_millis(1)),
            None,
            None,
            2,
        );
        s.record(Class::InvalidInput, None, None, None, 0);
        let j = s.to_json(Duration::from_secs(2), 0, false);
        assert_eq!(j["calls"], 102);
        assert_eq!(j["outcomes"]["ok"], 100);
        assert_eq!(j["outcomes"]["function_error"], 1);
        assert_eq!(j["outcomes"]["invalid_input"], 1);
        assert_eq!(j["outcomes"]["timeout"], 0);
        assert_eq!(j["retries"], 2);
        assert_eq!(j["billed_duration_ms_total"], 10000);
        assert!(j["billed_duration_ms_total"].is_u64());
        assert!(j["calls_per_s"].is_u64());
        assert_eq!(j["calls_per_s"], 51);
        let p50 = j["latency_ms"]["p50"].as_f64().unwrap();
        assert!((49.9..=50.1).contains(&p50), "{p50}");
        let p99 = j["service_duration_ms"]["p99"].as_f64().unwrap();
        assert!((98.9..=99.1).contains(&p99), "{p99}");
        assert_eq!(j["latency_ms"]["min"], 1.0);
        assert_eq!(j["latency_ms"]["max"], 100.0);
        let text = s.to_text(Duration::from_secs(2), 0, false);
        assert!(
            text.starts_with(
                "102 calls in 2.00 s (51/s): 100 ok, 1 function error, 1 invalid input; 2 retries\n"
            ),
            "{text}"
        );
        assert!(text.contains("billed 10000 ms in all"), "{text}");
    }

    #[test]
    fn min_and_max_are_exact_and_percentiles_honest() {
        let mut s = Stats::default();
        s.record(
            Class::Ok,
            Some(Duration::from_micros(65_828)),
            None,
            None,
            0,
        );
        let j = s.to_json(Duration::from_secs(1), 0, false);
        assert_eq!(j["latency_ms"]["min"], 65.828);
        assert_eq!(j["latency_ms"]["max"], 65.828);
        // One value: every percentile is it, exactly (never the histogram's 65.855).
        assert_eq!(j["latency_ms"]["p50"], 65.828);
        for micros in [10_000, 100_000] {
            s.record(
                Class::Ok,
                Some(Duration::from_micros(micros)),
                None,
                None,
                0,
            );
        }
        let j = s.to_json(Duration::from_secs(1), 0, false);
        // Three significant digits: what the histogram really knows.
        assert_eq!(j["latency_ms"]["p50"], 65.8);
        assert_eq!(significant(0.021_5, 3).to_string(), "0.022");
        assert_eq!(significant(1234.5, 3).to_string(), "1235");
    }

    #[test]
    fn empty_and_interrupted() {
        let s = Stats::default();
        let j = s.to_json(Duration::ZERO, 3, true);
        assert_eq!(j["latency_ms"]["p50"], Value::Null);
        assert_eq!(j["abandoned"], 3);
        assert!(
            s.to_text(Duration::ZERO, 3, true)
                .contains("interrupted, 3 in flight abandoned")
        );
    }

    #[test]
    fn kinds_map_to_classes() {
        assert_eq!(Class::of(Kind::Refused(429)), Class::Refused);
        assert_eq!(Class::of(Kind::AuthRefused(401)), Class::Refused);
        assert_eq!(Class::of(Kind::Service), Class::ServiceFailure);
        assert_eq!(Class::of(Kind::Usage), Class::InvalidInput);
        assert_eq!(Class::of(Kind::Local), Class::LocalFailure);
        assert_eq!(Class::of(Kind::Interrupted), Class::Interrupted);
    }
}
