//! Writing values, with the definitions of their types.

use super::{
    BYTES, Error, FIRST_USER_ID, STRING, Type, UINT, Value, error, put_bytes, put_int, put_uint,
};

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
