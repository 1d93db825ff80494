//! Numbers as people read them and as the service writes them, and the one grammar for a
//! span of time: a leaf, so that every layer (the settings, the client's messages, the
//! renderer, the catalogue, the server) reads and formats them one way.

use std::time::Duration;

use serde_json::{Value, json};

/// The range of one setting that takes a span of time, and the words its messages state it
/// in. Every such flag, environment variable and config key reads the same grammar
/// ([`Span::parse`]): a number of seconds, fractions allowed (`90`, `0.25`), or humantime's
/// units (`90s`, `1m30s`, `1h 30m`, `2h`, `3d`, `500ms`); only the range differs.
#[derive(Debug, Clone, Copy)]
pub struct Span {
    pub min: Duration,
    pub max: Duration,
    /// The range in words, after "seconds" (`from 0.001 to 86400`).
    pub range: &'static str,
}

impl Span {
    /// A span of time as text (a flag, a variable, a config string), checked against the
    /// range. The error quotes the text, cut short when it is long.
    pub fn parse(&self, text: &str) -> Result<Duration, String> {
        let shown = shown_text(text);
        let trimmed = text.trim();
        if let Ok(seconds) = trimmed.parse::<f64>() {
            return self.checked_seconds(seconds, &shown);
        }
        match humantime::parse_duration(trimmed) {
            Ok(span) if (self.min..=self.max).contains(&span) => Ok(span),
            Ok(_) => Err(format!(
                "`{shown}` is not a duration {} seconds",
                self.range
            )),
            Err(_) => Err(format!(
                "`{shown}` is not a duration: give seconds (`90`, `1.5`) or units (`90s`, `1m30s`, `2h`)"
            )),
        }
    }

    /// A number of seconds (a config file's `timeout = 2.5`), checked against the range.
    pub fn seconds(&self, seconds: f64) -> Result<Duration, String> {
        self.checked_seconds(seconds, &shown_number(seconds))
    }

    fn checked_seconds(&self, seconds: f64, shown: &str) -> Result<Duration, String> {
        // NaN fails both comparisons.
        if !(self.min.as_secs_f64()..=self.max.as_secs_f64()).contains(&seconds) {
            return Err(format!(
                "`{shown}` is not a number of seconds {}",
                self.range
            ));
        }
        Ok(Duration::from_secs_f64(seconds).clamp(self.min, self.max))
    }
}

/// A number as people write it: `1e300`, not 301 digits.
pub fn shown_number(value: f64) -> String {
    if value == 0.0 || (1e-4..1e16).contains(&value.abs()) {
        value.to_string()
    } else {
        format!("{value:e}")
    }
}

/// A value as the user gave it, cut short when it is long.
pub fn shown_text(text: &str) -> String {
    const MAX: usize = 32;
    if text.chars().count() <= MAX {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(MAX).collect::<String>())
    }
}

/// A number for people: at most three decimals, no trailing zeros (`1.5`, `66`, `0.021`).
pub fn decimal(value: f64) -> String {
    let text = format!("{value:.3}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Whole numbers as integers, so that 100 is not shown as 100.0.
pub fn json_number(value: Option<f64>) -> Value {
    match value {
        // Whole and within i64's exact range: the cast is exact.
        #[allow(clippy::cast_possible_truncation)]
        Some(v) if v.fract() == 0.0 && v.abs() < 9.0e15 => json!(v as i64),
        Some(v) => json!(v),
        None => Value::Null,
    }
}

/// A marker or count: a JSON number, or a numeric string (one data source reads it so).
pub fn count(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: Span = Span {
        min: Duration::from_millis(1),
        max: Duration::from_secs(86_400),
        range: "from 0.001 to 86400",
    };

    #[test]
    fn one_grammar_for_spans_of_time() {
        for (text, want) in [
            ("1.5", 1500),
            ("90", 90_000),
            (" 90 ", 90_000),
            ("0.001", 1),
            ("86400", 86_400_000),
            ("90s", 90_000),
            ("1m", 60_000),
            ("1m30s", 90_000),
            ("1h 30m", 5_400_000),
            ("2h", 7_200_000),
            ("500ms", 500),
            ("1d", 86_400_000),
        ] {
            assert_eq!(DAY.parse(text), Ok(Duration::from_millis(want)), "{text}");
        }
        for bad in [
            "0", "-3", "inf", "NaN", "86400.5", "1e-300", "0s", "2d", "ten", "1x", "",
        ] {
            assert!(DAY.parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            DAY.parse("1e-300").unwrap_err(),
            "`1e-300` is not a number of seconds from 0.001 to 86400"
        );
        assert_eq!(
            DAY.parse("2d").unwrap_err(),
            "`2d` is not a duration from 0.001 to 86400 seconds"
        );
        assert!(
            DAY.parse("soon")
                .unwrap_err()
                .contains("not a duration: give seconds")
        );
        let e = DAY.parse(&"9".repeat(400)).unwrap_err();
        assert!(e.chars().count() < 100, "{e}");
        assert_eq!(
            DAY.seconds(1e300).unwrap_err(),
            "`1e300` is not a number of seconds from 0.001 to 86400"
        );
        assert_eq!(DAY.seconds(2.5), Ok(Duration::from_millis(2500)));
        assert_eq!(shown_number(2.5), "2.5");
        assert_eq!(shown_number(-1e-300), "-1e-300");
        assert_eq!(shown_number(f64::INFINITY), "inf");
    }

    #[test]
    fn numbers() {
        assert_eq!(decimal(1.5), "1.5");
        assert_eq!(decimal(66.0), "66");
        assert_eq!(decimal(0.0214), "0.021");
        assert_eq!(json_number(Some(100.0)), json!(100));
        assert_eq!(json_number(Some(1.25)), json!(1.25));
        assert_eq!(json_number(None), Value::Null);
        assert_eq!(count(&json!(5)), Some(5));
        assert_eq!(count(&json!("45")), Some(45));
        assert_eq!(count(&json!("x")), None);
        assert_eq!(count(&json!(-1)), None);
    }
}
