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

use std::collections::HashMap;
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

/// Writes values on one stream, defining each type the first time it is used.
#[derive(Debug)]
pub struct Encoder {
    defined: Vec<(Type, i64)>,
    next_id: i64,
}

impl Default for Encoder {
    fn default() -> Encoder {
        Encoder {
            defined: Vec::new(),
            next_id: FIRST_USER_ID,
        }
    }
}

impl Encoder {
    /// Append `value` of type `ty` to `out`, with the definitions it needs first.
    pub fn encode(&mut self, ty: &Type, value: &Value, out: &mut Vec<u8>) -> Result<(), Error> {
        let id = self.id(ty, out);
        let mut body = Vec::new();
        put_int(&mut body, id);
        if !matches!(ty, Type::Struct { .. }) {
            put_uint(&mut body, 0);
        }
        encode_value(ty, value, &mut body)?;
        put_bytes(out, &body);
        Ok(())
    }

    /// The id of `ty`, defining it (and the types it is made of) in `out` if it is new.
    fn id(&mut self, ty: &Type, out: &mut Vec<u8>) -> i64 {
        let basic = match ty {
            Type::Uint => Some(UINT),
            Type::Bytes => Some(BYTES),
            Type::String => Some(STRING),
            _ => None,
        };
        if let Some(id) = basic {
            return id;
        }
        if let Some((_, id)) = self.defined.iter().find(|(t, _)| t == ty) {
            return *id;
        }
        // The parts first, so every definition refers to known ids.
        let mut wire = Vec::new();
        // CommonType: Name (left out when empty, as for Go's unnamed types), then Id.
        let common = |wire: &mut Vec<u8>, name: &str, id: i64| {
            if name.is_empty() {
                put_uint(wire, 2);
            } else {
                put_uint(wire, 1);
                put_bytes(wire, name.as_bytes());
                put_uint(wire, 1);
            }
            put_int(wire, id);
            put_uint(wire, 0);
        };
        match ty {
            Type::Slice(elem) => {
                let elem = self.id(elem, out);
                let id = self.fresh();
                put_uint(&mut wire, 2); // wireType.SliceT
                put_uint(&mut wire, 1);
                common(&mut wire, "", id);
                put_uint(&mut wire, 1);
                put_int(&mut wire, elem);
                put_uint(&mut wire, 0);
                self.define(ty, id, &wire, out)
            }
            Type::Map { name, key, elem } => {
                let key = self.id(key, out);
                let elem = self.id(elem, out);
                let id = self.fresh();
                put_uint(&mut wire, 4); // wireType.MapT
                put_uint(&mut wire, 1);
                common(&mut wire, name, id);
                put_uint(&mut wire, 1);
                put_int(&mut wire, key);
                put_uint(&mut wire, 1);
                put_int(&mut wire, elem);
                put_uint(&mut wire, 0);
                self.define(ty, id, &wire, out)
            }
            Type::Struct { name, fields } => {
                let ids: Vec<i64> = fields.iter().map(|(_, t)| self.id(t, out)).collect();
                let id = self.fresh();
                put_uint(&mut wire, 3); // wireType.StructT
                put_uint(&mut wire, 1);
                common(&mut wire, name, id);
                put_uint(&mut wire, 1);
                put_uint(&mut wire, fields.len() as u64);
                for ((field, _), field_id) in fields.iter().zip(ids) {
                    put_uint(&mut wire, 1);
                    put_bytes(&mut wire, field.as_bytes());
                    put_uint(&mut wire, 1);
                    put_int(&mut wire, field_id);
                    put_uint(&mut wire, 0);
                }
                put_uint(&mut wire, 0);
                self.define(ty, id, &wire, out)
            }
            _ => unreachable!("basic types have fixed ids"),
        }
    }

    fn fresh(&mut self) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    /// Write the definition message `(-id, wireType)` whose fields (after the one saying
    /// which kind of type this is) are in `wire`.
    fn define(&mut self, ty: &Type, id: i64, wire: &[u8], out: &mut Vec<u8>) -> i64 {
        let mut body = Vec::new();
        put_int(&mut body, -id);
        body.extend_from_slice(wire);
        put_uint(&mut body, 0); // end of the wireType
        put_bytes(out, &body);
        self.defined.push((ty.clone(), id));
        id
    }
}

fn encode_value(ty: &Type, value: &Value, out: &mut Vec<u8>) -> Result<(), Error> {
    let mismatch = || Error(format!("a value {value:?} for a field of type {ty:?}"));
    match (ty, value) {
        (Type::Uint, Value::Uint(n)) => put_uint(out, *n),
        (Type::Bytes | Type::String, Value::Bytes(b)) => put_bytes(out, b),
        (Type::Slice(elem), Value::List(items)) => {
            put_uint(out, items.len() as u64);
            for item in items {
                encode_value(elem, item, out)?;
            }
        }
        (Type::Map { key, elem, .. }, Value::Map(pairs)) => {
            put_uint(out, pairs.len() as u64);
            for (k, v) in pairs {
                encode_value(key, k, out)?;
                encode_value(elem, v, out)?;
            }
        }
        (Type::Struct { fields, .. }, Value::Struct(values)) => {
            if let Some((name, _)) = values
                .iter()
                .find(|(name, _)| !fields.iter().any(|(f, _)| f == name))
            {
                return error(format!("no field {name} in {ty:?}"));
            }
            // Deltas count from field -1: the first field is 1 past it.
            let mut next = 0;
            for (index, (name, field_type)) in fields.iter().enumerate() {
                let Some((_, field)) = values.iter().find(|(n, _)| n == name) else {
                    continue;
                };
                if field.is_zero() {
                    continue;
                }
                put_uint(out, (index + 1 - next) as u64);
                next = index + 1;
                encode_value(field_type, field, out)?;
            }
            put_uint(out, 0);
        }
        _ => return Err(mismatch()),
    }
    Ok(())
}

/// A type as the other side defined it.
#[derive(Debug, Clone)]
enum Wire {
    Slice {
        elem: i64,
    },
    Array {
        elem: i64,
    },
    Map {
        key: i64,
        elem: i64,
    },
    Struct {
        fields: Vec<(String, i64)>,
    },
    /// A type that encodes itself (`GobEncoder`, `BinaryMarshaler`, `TextMarshaler`): bytes.
    Opaque,
}

/// Reads values from one stream, remembering the types it defines.
#[derive(Debug, Default)]
pub struct Decoder {
    types: HashMap<i64, Wire>,
}

impl Decoder {
    /// One message (without its length): `None` for a type definition, else the value.
    pub fn message(&mut self, message: &[u8]) -> Result<Option<Value>, Error> {
        let mut r = Reader {
            data: message,
            at: 0,
        };
        let id = r.int()?;
        if id < 0 {
            let id = -id;
            if id < FIRST_USER_ID {
                return error(format!("a definition of reserved type id {id}"));
            }
            let wire = wire_type(&mut r)?;
            if self.types.insert(id, wire).is_some() {
                return error(format!("type {id} defined twice"));
            }
            return Ok(None);
        }
        if !matches!(self.types.get(&id), Some(Wire::Struct { .. })) {
            // A top-level value that is not a struct comes after a 0.
            r.uint()?;
        }
        let value = self.value(id, &mut r, 0)?;
        if r.at != message.len() {
            return error(format!(
                "{} bytes left over after a value",
                message.len() - r.at
            ));
        }
        Ok(Some(value))
    }

    fn value(&self, id: i64, r: &mut Reader<'_>, depth: usize) -> Result<Value, Error> {
        if depth > 32 {
            return error("values nested too deeply");
        }
        Ok(match id {
            BOOL => Value::Bool(r.uint()? != 0),
            INT => Value::Int(r.int()?),
            UINT => Value::Uint(r.uint()?),
            FLOAT => Value::Float(f64::from_bits(r.uint()?.swap_bytes())),
            BYTES | STRING => Value::Bytes(r.bytes()?),
            COMPLEX => return error("complex numbers are not supported"),
            INTERFACE => return error("interface values are not supported"),
            id => match self.types.get(&id) {
                None => return error(format!("a value of undefined type {id}")),
                Some(Wire::Opaque) => Value::Bytes(r.bytes()?),
                Some(Wire::Slice { elem } | Wire::Array { elem }) => {
                    let n = r.count()?;
                    let items: Result<Vec<Value>, Error> =
                        (0..n).map(|_| self.value(*elem, r, depth + 1)).collect();
                    Value::List(items?)
                }
                Some(Wire::Map { key, elem }) => {
                    let n = r.count()?;
                    let mut pairs = Vec::with_capacity(n);
                    for _ in 0..n {
                        let k = self.value(*key, r, depth + 1)?;
                        pairs.push((k, self.value(*elem, r, depth + 1)?));
                    }
                    Value::Map(pairs)
                }
                Some(Wire::Struct { fields }) => {
                    let mut values = Vec::new();
                    let mut previous = -1;
                    while let Some(index) = r.next_field(&mut previous)? {
                        let Some((name, field_id)) = fields.get(index) else {
                            return error(format!("field {index} of a struct of {}", fields.len()));
                        };
                        values.push((name.clone(), self.value(*field_id, r, depth + 1)?));
                    }
                    Value::Struct(values)
                }
            },
        })
    }
}

/// A `wireType`: which kind of type, and its parts.
fn wire_type(r: &mut Reader<'_>) -> Result<Wire, Error> {
    let mut previous = -1;
    let mut wire = None;
    while let Some(field) = r.next_field(&mut previous)? {
        let ids = match field {
            2 => {
                wire = Some(Wire::Struct {
                    fields: struct_type(r)?,
                });
                continue;
            }
            0..=6 => numbers(r)?,
            other => return error(format!("wireType field {other}")),
        };
        let id = |n: usize| ids.iter().find(|(f, _)| *f == n).map_or(0, |(_, id)| *id);
        wire = Some(match field {
            0 => Wire::Array { elem: id(1) },
            1 => Wire::Slice { elem: id(1) },
            3 => Wire::Map {
                key: id(1),
                elem: id(2),
            },
            _ => Wire::Opaque,
        });
    }
    wire.ok_or_else(|| Error("an empty type definition".into()))
}

/// An `arrayType`, `sliceType`, `mapType` or `gobEncoderType`: a `CommonType` (field 0)
/// and integers (type ids, an array's length), returned with their field numbers.
fn numbers(r: &mut Reader<'_>) -> Result<Vec<(usize, i64)>, Error> {
    let mut numbers = Vec::new();
    let mut previous = -1;
    while let Some(field) = r.next_field(&mut previous)? {
        if field == 0 {
            common_type(r)?;
        } else {
            numbers.push((field, r.int()?));
        }
    }
    Ok(numbers)
}

/// A `CommonType` (name and id), skipped: ids are known from the message.
fn common_type(r: &mut Reader<'_>) -> Result<(), Error> {
    let mut previous = -1;
    while let Some(field) = r.next_field(&mut previous)? {
        match field {
            0 => {
                r.bytes()?;
            }
            1 => {
                r.int()?;
            }
            other => return error(format!("CommonType field {other}")),
        }
    }
    Ok(())
}

/// A `structType`: the fields' names and type ids.
fn struct_type(r: &mut Reader<'_>) -> Result<Vec<(String, i64)>, Error> {
    let mut fields = Vec::new();
    let mut previous = -1;
    while let Some(field) = r.next_field(&mut previous)? {
        match field {
            0 => common_type(r)?,
            1 => {
                for _ in 0..r.count()? {
                    let mut name = String::new();
                    let mut id = 0;
                    let mut previous = -1;
                    while let Some(part) = r.next_field(&mut previous)? {
                        match part {
                            0 => name = String::from_utf8_lossy(&r.bytes()?).into_owned(),
                            1 => id = r.int()?,
                            other => return error(format!("fieldType field {other}")),
                        }
                    }
                    fields.push((name, id));
                }
            }
            other => return error(format!("structType field {other}")),
        }
    }
    Ok(fields)
}

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
