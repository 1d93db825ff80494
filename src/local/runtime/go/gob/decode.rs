//! Reading values, after the definitions of their types.

use std::collections::HashMap;

use super::{
    BOOL, BYTES, COMPLEX, Error, FIRST_USER_ID, FLOAT, INT, INTERFACE, Reader, STRING, UINT, Value,
    error,
};

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
