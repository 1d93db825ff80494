//! The part of Go's `encoding/gob` that `net/rpc` needs for flat structs: booleans,
//! integers, floats, strings, byte slices, slices, maps and structs. Interfaces and complex
//! numbers are refused.
//!
//! A gob stream is a series of messages, each `uint(length) int(type id) value`. A negative
//! id defines that type (the value is a `wireType`); a positive one carries a value of it.
//! Each type is defined once per stream, before its first value. Numbers: an unsigned one
//! below 128 is one byte, a larger one is `-(byte count)` then its big-endian bytes; a
//! signed one is shifted left with the sign in bit 0 (inverted when negative). A struct is
//! its non-zero fields, each as `uint(field number - previous field number)` and the value,
//! ended by 0; a top-level value that is not a struct is preceded by a 0.

use std::fmt;

/// Type ids gob gives its basic types.
const BOOL: i64 = 1;
const INT: i64 = 2;
const UINT: i64 = 3;
const FLOAT: i64 = 4;
const BYTES: i64 = 5;
const STRING: i64 = 6;
const COMPLEX: i64 = 7;
const INTERFACE: i64 = 8;
/// The first id gob hands out for user types.
const FIRST_USER_ID: i64 = 65;

/// What cannot be encoded or decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(pub String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "gob: {}", self.0)
    }
}

impl std::error::Error for Error {}

fn error<T>(message: impl Into<String>) -> Result<T, Error> {
    Err(Error(message.into()))
}

/// A Go type, as fgs sends it (the kinds `net/rpc` calls to the runtime need).
#[derive(Debug, Clone, PartialEq)]
pub enum Type {
    Uint,
    /// `[]byte`.
    Bytes,
    String,
    Slice(Box<Type>),
    Map {
        name: String,
        key: Box<Type>,
        elem: Box<Type>,
    },
    Struct {
        name: String,
        fields: Vec<(String, Type)>,
    },
}

/// A decoded (or to be encoded) value. Strings and byte slices are both bytes: Go's strings
/// need not be UTF-8.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Bytes(Vec<u8>),
    List(Vec<Value>),
    Map(Vec<(Value, Value)>),
    /// The fields that were sent (gob leaves zero values out), by name.
    Struct(Vec<(String, Value)>),
}

impl Value {
    /// A struct's field; `None` when it is absent (zero) or this is no struct.
    pub fn field(&self, name: &str) -> Option<&Value> {
        match self {
            Value::Struct(fields) => fields.iter().find(|(n, _)| n == name).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The bytes of a string or `[]byte` field; empty when absent.
    pub fn bytes_of(&self, name: &str) -> &[u8] {
        match self.field(name) {
            Some(Value::Bytes(b)) => b,
            _ => &[],
        }
    }

    /// An integer field (signed or not); 0 when absent.
    pub fn int_of(&self, name: &str) -> i128 {
        match self.field(name) {
            Some(Value::Int(n)) => i128::from(*n),
            Some(Value::Uint(n)) => i128::from(*n),
            _ => 0,
        }
    }

    /// Whether gob leaves this out of a struct.
    fn is_zero(&self) -> bool {
        match self {
            Value::Bool(b) => !b,
            Value::Int(n) => *n == 0,
            Value::Uint(n) => *n == 0,
            Value::Float(f) => *f == 0.0,
            Value::Bytes(b) => b.is_empty(),
            Value::List(items) => items.is_empty(),
            Value::Map(pairs) => pairs.is_empty(),
            Value::Struct(_) => false,
        }
    }
}

pub fn put_uint(out: &mut Vec<u8>, n: u64) {
    let bytes = n.to_be_bytes();
    if n < 128 {
        out.push(bytes[7]);
        return;
    }
    let significant = &bytes[bytes.iter().take_while(|b| **b == 0).count()..];
    // The count goes as its negation, in one byte.
    let count = u8::try_from(significant.len()).unwrap_or(8);
    out.push(0u8.wrapping_sub(count));
    out.extend_from_slice(significant);
}

pub fn put_int(out: &mut Vec<u8>, n: i64) {
    let u = if n < 0 {
        ((!n).cast_unsigned() << 1) | 1
    } else {
        n.cast_unsigned() << 1
    };
    put_uint(out, u);
}

fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    put_uint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

/// Bytes being read.
struct Reader<'a> {
    data: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn uint(&mut self) -> Result<u64, Error> {
        let Some(&first) = self.data.get(self.at) else {
            return error("unexpected end of a message");
        };
        self.at += 1;
        if first < 128 {
            return Ok(u64::from(first));
        }
        let count = 256 - usize::from(first);
        if count > 8 {
            return error(format!("an unsigned integer of {count} bytes"));
        }
        let bytes = self.take(count)?;
        Ok(bytes.iter().fold(0, |n, b| (n << 8) | u64::from(*b)))
    }

    fn int(&mut self) -> Result<i64, Error> {
        let u = self.uint()?;
        Ok(if u & 1 == 1 {
            !(u >> 1).cast_signed()
        } else {
            (u >> 1).cast_signed()
        })
    }

    fn take(&mut self, count: usize) -> Result<&'a [u8], Error> {
        let end = self
            .at
            .checked_add(count)
            .filter(|end| *end <= self.data.len())
            .ok_or_else(|| Error("unexpected end of a message".into()))?;
        let bytes = &self.data[self.at..end];
        self.at = end;
        Ok(bytes)
    }

    fn count(&mut self) -> Result<usize, Error> {
        let n = self.uint()?;
        // Every element takes at least one byte: a larger count is a corrupt message.
        usize::try_from(n)
            .ok()
            .filter(|n| *n <= self.data.len() - self.at)
            .ok_or_else(|| Error(format!("a count of {n} in a message of fewer bytes")))
    }

    fn bytes(&mut self) -> Result<Vec<u8>, Error> {
        let n = self.count()?;
        Ok(self.take(n)?.to_vec())
    }

    /// A struct's next field number, or `None` at its end.
    fn next_field(&mut self, previous: &mut i64) -> Result<Option<usize>, Error> {
        let delta = self.uint()?;
        if delta == 0 {
            return Ok(None);
        }
        let field = i64::try_from(delta)
            .ok()
            .and_then(|d| previous.checked_add(d))
            .ok_or_else(|| Error("a field number out of range".into()))?;
        *previous = field;
        Ok(Some(usize::try_from(field).unwrap_or(usize::MAX)))
    }
}

mod decode;
mod encode;

pub use decode::Decoder;
pub use encode::Encoder;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_as_gob_writes_them() {
        let uint = |n| {
            let mut out = Vec::new();
            put_uint(&mut out, n);
            out
        };
        let int = |n| {
            let mut out = Vec::new();
            put_int(&mut out, n);
            out
        };
        assert_eq!(uint(7), [7]);
        assert_eq!(uint(256), [0xfe, 0x01, 0x00]);
        assert_eq!(int(200), [0xfe, 0x01, 0x90]);
        assert_eq!(int(-65), [0xff, 0x81]);
        assert_eq!(int(65), [0xff, 0x82]);
        assert_eq!(int(-1), [0x01]);
        for n in [0, 1, 127, 128, 255, 65_535, u64::MAX] {
            let bytes = uint(n);
            assert_eq!(
                Reader {
                    data: &bytes,
                    at: 0
                }
                .uint()
                .unwrap(),
                n
            );
        }
        for n in [0, -1, 1, i64::MIN, i64::MAX, -300] {
            let bytes = int(n);
            assert_eq!(
                Reader {
                    data: &bytes,
                    at: 0
                }
                .int()
                .unwrap(),
                n
            );
        }
    }

    #[test]
    fn corrupt_messages_are_errors_not_panics() {
        let mut decoder = Decoder::default();
        for message in [
            &[][..],
            &[0x80],
            &[0xff, 0x82],
            &[0xff, 0x81, 0x03, 0x01, 0x01, 0xff],
            &[0x0c, 0x00, 0xfc, 0xff],
        ] {
            assert!(decoder.message(message).is_err(), "{message:?}");
        }
    }
}
