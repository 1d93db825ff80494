//! What the service says about functions (§10 of the API notes): reading the fields of its
//! documents, masking the values of their environment variables, and laying them out as
//! the table of `fgs list` and the lines of `fgs info`.
//!
//! Pure functions of their input. Every field is optional and every value untrusted: what
//! people read is escaped and cut to fit.

use colored::Colorize;
use serde_json::{Map, Value};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::sanitize;
use crate::urn::Urn;

/// What an environment variable's value is shown as, everywhere.
pub const MASK: &str = "***";

/// The fields that hold a function's environment variables, as a JSON-encoded object.
const ENV_FIELDS: [&str; 2] = ["user_data", "encrypted_user_data"];

/// The longest a table cell or an info value gets before it is cut, in columns.
const LONGEST: usize = 1000;

/// A field as text: a string as it is, a number or a boolean written out; `None` when it
/// is missing, null or something else.
pub fn text(doc: &Value, key: &str) -> Option<String> {
    match doc.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// `doc` with every environment variable's value replaced by [`MASK`]; the names stay. A
/// JSON-encoded object stays a JSON string (re-encoded); anything unreadable in those
/// fields is masked whole, so nothing the service sent there can come through.
pub fn mask_env(doc: &mut Value) {
    for key in ENV_FIELDS {
        if let Some(value) = doc.get_mut(key) {
            *value = masked(value);
        }
    }
}

fn masked(value: &Value) -> Value {
    let mask_all = |map: &Map<String, Value>| -> Map<String, Value> {
        map.keys()
            .map(|k| (k.clone(), Value::String(MASK.into())))
            .collect()
    };
    match value {
        Value::Null => Value::Null,
        Value::String(s) if s.trim().is_empty() => value.clone(),
        Value::String(s) => match serde_json::from_str::<Value>(s) {
            Ok(Value::Object(map)) => Value::String(Value::Object(mask_all(&map)).to_string()),
            _ => Value::String(MASK.into()),
        },
        Value::Object(map) => Value::Object(mask_all(map)),
        _ => Value::String(MASK.into()),
    }
}

/// The names of the environment variables in `field` (`user_data` or
/// `encrypted_user_data`), never their values.
fn env_names(doc: &Value, field: &str) -> Vec<String> {
    let map = match doc.get(field) {
        Some(Value::String(s)) => match serde_json::from_str::<Value>(s) {
            Ok(Value::Object(map)) => map,
            _ => return Vec::new(),
        },
        Some(Value::Object(map)) => map.clone(),
        _ => return Vec::new(),
    };
    map.keys().cloned().collect()
}

/// The environment variables' names for people: `A, B; encrypted: C`, or `(none)`.
pub fn env_line(doc: &Value) -> String {
    let plain = env_names(doc, "user_data");
    let encrypted = env_names(doc, "encrypted_user_data");
    let mut parts = Vec::new();
    if !plain.is_empty() {
        parts.push(plain.join(", "));
    }
    if !encrypted.is_empty() {
        parts.push(format!("encrypted: {}", encrypted.join(", ")));
    }
    if parts.is_empty() {
        "(none)".to_string()
    } else {
        parts.join("; ")
    }
}

/// The URN that invokes one entry of the versions list: its version-less `func_urn` at
/// `version` (§10.4), or `func_urn` as it is when it names a version already. `None` when
/// `func_urn` is not a URN.
pub fn version_urn(version: &Value) -> Option<String> {
    let urn = Urn::read(&text(version, "func_urn")?)?;
    if urn.qualifier.is_some() {
        return Some(urn.to_string());
    }
    Some(urn.with_version(&text(version, "version")?).to_string())
}

/// An alias for people: `prod → v1 90%, v2 10%` (its version, then the extra versions of
/// `additional_version_weights` with their shares), or `prod → v1`.
pub fn alias_line(alias: &Value) -> String {
    let name = text(alias, "name").unwrap_or_else(|| "?".into());
    let version = text(alias, "version").unwrap_or_else(|| "?".into());
    let weights: Vec<(String, u64)> = match alias.get("additional_version_weights") {
        Some(Value::Object(map)) => map
            .iter()
            .filter_map(|(v, w)| Some((v.clone(), crate::units::count(w)?)))
            .collect(),
        _ => Vec::new(),
    };
    if weights.is_empty() {
        return format!("{name} → {version}");
    }
    let rest = 100u64.saturating_sub(weights.iter().map(|(_, w)| w).sum());
    let shares: Vec<String> = std::iter::once((version, rest))
        .chain(weights)
        .map(|(v, w)| format!("{v} {w}%"))
        .collect();
    format!("{name} → {}", shares.join(", "))
}

/// A version for people: `v1  2019-10-25 15:37:27  its description`.
pub fn version_line(version: &Value) -> String {
    let description = text(version, "description").or_else(|| text(version, "version_description"));
    [
        text(version, "version"),
        text(version, "last_modified"),
        description,
    ]
    .into_iter()
    .flatten()
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join("  ")
}

/// `128 MB`, `30 s`: a number field with its unit, or `-`.
fn with_unit(doc: &Value, key: &str, unit: &str) -> String {
    text(doc, key).map_or_else(|| "-".into(), |v| format!("{v} {unit}"))
}

/// `text` made safe to show and cut to `width` columns, with `…` when cut.
pub fn cut(text: &str, width: usize) -> String {
    let safe = sanitize::one_line(text, LONGEST);
    if safe.width() <= width {
        return safe;
    }
    let mut out = String::new();
    let mut used = 0;
    for c in safe.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(c);
    }
    if width > 0 {
        out.push('…');
    }
    out
}

/// The table's columns: heading, the most columns a cell gets, right-aligned.
const COLUMNS: [(&str, usize, bool); 7] = [
    ("NAME", 40, false),
    ("PACKAGE", 20, false),
    ("RUNTIME", 20, false),
    ("MEMORY", 9, true),
    ("TIMEOUT", 9, true),
    ("MODIFIED", 25, false),
    ("DESCRIPTION", LONGEST, false),
];

/// One function of the table, with the lines shown under it (`--versions`).
pub struct Row {
    cells: [String; 7],
    under: Vec<String>,
}

impl Row {
    /// The row of a function of the list (§10.1); `under` are lines shown indented below it.
    pub fn new(function: &Value, under: Vec<String>) -> Row {
        let field = |key| text(function, key).unwrap_or_else(|| "-".into());
        Row {
            cells: [
                field("func_name"),
                field("package"),
                field("runtime"),
                with_unit(function, "memory_size", "MB"),
                with_unit(function, "timeout", "s"),
                field("last_modified"),
                text(function, "description").unwrap_or_default(),
            ]
            .map(|cell| sanitize::one_line(&cell, LONGEST)),
            under,
        }
    }
}

/// The table, each line cut to `width` columns; the heading in bold when `color`.
pub fn table(rows: &[Row], width: usize, color: bool) -> String {
    let widths: Vec<usize> = COLUMNS
        .iter()
        .enumerate()
        .map(|(i, (heading, most, _))| {
            rows.iter()
                .map(|r| r.cells[i].width())
                .chain([heading.width()])
                .max()
                .unwrap_or(0)
                .min(*most)
        })
        .collect();
    let line = |cells: [&str; 7]| -> String {
        let mut text = String::new();
        for (i, cell) in cells.iter().enumerate() {
            let cell = cut(cell, widths[i]);
            let pad = " ".repeat(widths[i].saturating_sub(cell.width()));
            let last = i == cells.len() - 1;
            match (COLUMNS[i].2, last) {
                (_, true) => text.push_str(&cell),
                (true, false) => text.push_str(&format!("{pad}{cell}  ")),
                (false, false) => text.push_str(&format!("{cell}{pad}  ")),
            }
        }
        cut(text.trim_end(), width)
    };
    let heading = line(COLUMNS.map(|(h, _, _)| h));
    let mut out = if color {
        heading.bold().to_string()
    } else {
        heading
    };
    out.push('\n');
    for row in rows {
        out.push_str(&line(row.cells.each_ref().map(String::as_str)));
        out.push('\n');
        for under in &row.under {
            out.push_str(&cut(&format!("  {under}"), width));
            out.push('\n');
        }
    }
    out
}

/// The value `line` shown as one shell word: as it is when it is plain, else in single
/// quotes (a `!` would start history expansion in an interactive shell).
pub fn shell_word(word: &str) -> String {
    if !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, ':' | '-' | '_' | '.' | '/'))
    {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// `fgs info`'s lines: each name padded, each value escaped; a value of many lines (the
/// aliases) continues under the first.
pub fn info_lines(rows: &[(&str, Vec<String>)]) -> String {
    let pad = rows.iter().map(|(name, _)| name.len()).max().unwrap_or(0);
    let mut out = String::new();
    for (name, values) in rows {
        let mut label = *name;
        for value in values {
            out.push_str(&format!(
                "{label:<pad$}  {}\n",
                sanitize::one_line(value, LONGEST)
            ));
            label = "";
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn env_values_are_masked_and_their_names_kept() {
        let mut doc = json!({
            "func_name": "f",
            "user_data": "{\"DB_HOST\":\"10.0.0.1\",\"TOKEN\":\"s3cret\"}",
            "encrypted_user_data": {"KEY": "also-secret"},
        });
        mask_env(&mut doc);
        assert_eq!(
            doc["user_data"],
            json!("{\"DB_HOST\":\"***\",\"TOKEN\":\"***\"}")
        );
        assert_eq!(doc["encrypted_user_data"], json!({"KEY": "***"}));
        assert_eq!(doc["func_name"], json!("f"));
        assert_eq!(env_line(&doc), "DB_HOST, TOKEN; encrypted: KEY");
    }

    #[test]
    fn unreadable_env_fields_are_masked_whole() {
        let mut doc = json!({"user_data": "password=hunter2", "encrypted_user_data": ["x"]});
        mask_env(&mut doc);
        assert_eq!(
            doc,
            json!({"user_data": "***", "encrypted_user_data": "***"})
        );
        let mut empty = json!({"user_data": "", "encrypted_user_data": null});
        mask_env(&mut empty);
        assert_eq!(empty, json!({"user_data": "", "encrypted_user_data": null}));
        assert_eq!(env_line(&empty), "(none)");
    }

    #[test]
    fn aliases_show_their_weights() {
        let alias = json!({"name": "prod", "version": "v1",
            "additional_version_weights": {"v2": 10, "v3": "5"}});
        assert_eq!(alias_line(&alias), "prod → v1 85%, v2 10%, v3 5%");
        assert_eq!(
            alias_line(&json!({"name": "dev", "version": "latest"})),
            "dev → latest"
        );
    }

    #[test]
    fn version_urns_add_the_version_once() {
        let base = "urn:fss:r:p:function:default:f";
        assert_eq!(
            version_urn(&json!({"func_urn": base, "version": "v1"})).as_deref(),
            Some("urn:fss:r:p:function:default:f:v1")
        );
        assert_eq!(
            version_urn(&json!({"func_urn": format!("{base}:latest"), "version": "latest"}))
                .as_deref(),
            Some("urn:fss:r:p:function:default:f:latest")
        );
    }

    #[test]
    fn cutting_counts_columns_and_escapes() {
        assert_eq!(cut("abcdef", 4), "abc…");
        assert_eq!(cut("abc", 3), "abc");
        assert_eq!(cut("函数描述", 5), "函数…");
        assert_eq!(cut("a\u{1b}[2Jb", 20), "a\\x1b[2Jb");
    }

    #[test]
    fn the_table_fits_the_width() {
        let row = Row::new(
            &json!({"func_name": "hello", "package": "default", "runtime": "Python3.9",
                "memory_size": 128, "timeout": 30, "last_modified": "2019-10-25 15:37:27",
                "description": "x".repeat(200)}),
            vec!["version latest".into()],
        );
        let text = table(&[row], 80, false);
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("NAME   PACKAGE  RUNTIME    MEMORY  TIMEOUT  MODIFIED"));
        assert!(lines[1].starts_with("hello  default  Python3.9  128 MB     30 s  2019-10-25"));
        assert!(lines[1].ends_with('…'));
        assert_eq!(lines[1].width(), 80);
        assert_eq!(lines[2], "  version latest");
    }

    #[test]
    fn shell_words_are_quoted_when_needed() {
        assert_eq!(
            shell_word("urn:fss:r:p:function:default:f:latest"),
            "urn:fss:r:p:function:default:f:latest"
        );
        assert_eq!(shell_word("f:!prod"), "'f:!prod'");
        assert_eq!(shell_word("it's"), r"'it'\''s'");
    }
}
