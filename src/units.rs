//! Numbers as people read them and as the service writes them: a leaf, so that every layer
//! (the client's messages, the renderer, the catalogue, the server) formats them one way.

use serde_json::{Value, json};

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
