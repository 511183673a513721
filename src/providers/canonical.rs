//! Canonical JSON for the dedup key, written straight from a typed payload: every object's
//! keys in code-point order, no whitespace, scalars exactly as serde_json writes them. The
//! same text as serde_json's compact output of the payload's `Value` (whose maps are sorted),
//! without building that tree: only each object's members are buffered, to be sorted.

use serde::ser::{self, Impossible, Serialize};

/// Writes `value` as canonical JSON, leaving out the top-level members named in `skip`.
pub(crate) fn write<T: Serialize + ?Sized>(
    value: &T,
    skip: &[&str],
    out: &mut Vec<u8>,
) -> Result<(), Error> {
    value.serialize(Canonical { out, skip })
}

/// A value that has no JSON form (a map key that is not a string, a failing `Serialize`).
#[derive(Debug)]
pub(crate) struct Error;

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the value has no canonical JSON form")
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<M: std::fmt::Display>(_: M) -> Self {
        Error
    }
}

/// The serializer: writes into `out`; `skip` applies to the object it is about to write.
struct Canonical<'a> {
    out: &'a mut Vec<u8>,
    skip: &'a [&'a str],
}

impl Canonical<'_> {
    /// A scalar, as serde_json writes it.
    fn scalar<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        serde_json::to_writer(self.out, value).map_err(|_| Error)
    }
}

/// An object being written: its members, serialized and waiting to be sorted by key.
struct Object<'a> {
    out: &'a mut Vec<u8>,
    skip: &'a [&'a str],
    members: Vec<(String, Vec<u8>)>,
    key: Option<String>,
    /// `Some` for an enum's struct variant: the object is wrapped as `{"variant":{…}}`.
    variant: Option<&'static str>,
}

impl Object<'_> {
    fn member<T: Serialize + ?Sized>(&mut self, key: String, value: &T) -> Result<(), Error> {
        if self.skip.contains(&key.as_str()) {
            return Ok(());
        }
        let mut text = Vec::new();
        value.serialize(Canonical {
            out: &mut text,
            skip: &[],
        })?;
        self.members.push((key, text));
        Ok(())
    }

    fn finish(mut self) -> Result<(), Error> {
        // Keys are unique (serde_json refuses duplicates on the way in; structs have
        // distinct fields), so an unstable sort is deterministic.
        self.members.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        if let Some(variant) = self.variant {
            open_variant(self.out, variant)?;
        }
        self.out.push(b'{');
        for (i, (key, text)) in self.members.iter().enumerate() {
            if i > 0 {
                self.out.push(b',');
            }
            serde_json::to_writer(&mut *self.out, key).map_err(|_| Error)?;
            self.out.push(b':');
            self.out.extend_from_slice(text);
        }
        self.out.push(b'}');
        if self.variant.is_some() {
            self.out.push(b'}');
        }
        Ok(())
    }
}

/// An array being written, straight into the output.
struct Array<'a> {
    out: &'a mut Vec<u8>,
    first: bool,
    /// `true` for an enum's tuple variant: the array is wrapped as `{"variant":[…]}`.
    wrapped: bool,
}

impl Array<'_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        value.serialize(Canonical {
            out: self.out,
            skip: &[],
        })
    }

    fn finish(self) -> Result<(), Error> {
        self.out.push(b']');
        if self.wrapped {
            self.out.push(b'}');
        }
        Ok(())
    }
}

/// `{"variant":` (serde_json's externally tagged enums).
fn open_variant(out: &mut Vec<u8>, variant: &str) -> Result<(), Error> {
    out.push(b'{');
    serde_json::to_writer(&mut *out, variant).map_err(|_| Error)?;
    out.push(b':');
    Ok(())
}

macro_rules! scalars {
    ($($method:ident: $type:ty),*) => {
        $(fn $method(self, v: $type) -> Result<(), Error> {
            self.scalar(&v)
        })*
    };
}

impl<'a> ser::Serializer for Canonical<'a> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Array<'a>;
    type SerializeTuple = Array<'a>;
    type SerializeTupleStruct = Array<'a>;
    type SerializeTupleVariant = Array<'a>;
    type SerializeMap = Object<'a>;
    type SerializeStruct = Object<'a>;
    type SerializeStructVariant = Object<'a>;

    scalars!(
        serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_i128: i128, serialize_u8: u8, serialize_u16: u16,
        serialize_u32: u32, serialize_u64: u64, serialize_u128: u128, serialize_f32: f32,
        serialize_f64: f64, serialize_char: char, serialize_str: &str, serialize_bytes: &[u8]
    );

    fn serialize_none(self) -> Result<(), Error> {
        self.scalar(&())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Error> {
        self.scalar(&())
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        self.scalar(&())
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.scalar(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        open_variant(self.out, variant)?;
        value.serialize(Canonical {
            out: &mut *self.out,
            skip: &[],
        })?;
        self.out.push(b'}');
        Ok(())
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Array<'a>, Error> {
        self.out.push(b'[');
        Ok(Array {
            out: self.out,
            first: true,
            wrapped: false,
        })
    }

    fn serialize_tuple(self, len: usize) -> Result<Array<'a>, Error> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Array<'a>, Error> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Array<'a>, Error> {
        open_variant(self.out, variant)?;
        self.out.push(b'[');
        Ok(Array {
            out: self.out,
            first: true,
            wrapped: true,
        })
    }

    fn serialize_map(self, len: Option<usize>) -> Result<Object<'a>, Error> {
        Ok(Object {
            out: self.out,
            skip: self.skip,
            members: Vec::with_capacity(len.unwrap_or(8)),
            key: None,
            variant: None,
        })
    }

    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Object<'a>, Error> {
        self.serialize_map(Some(len))
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Object<'a>, Error> {
        let mut object = self.serialize_map(Some(len))?;
        object.variant = Some(variant);
        Ok(object)
    }
}

impl ser::SerializeSeq for Array<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl ser::SerializeTuple for Array<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl ser::SerializeTupleStruct for Array<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl ser::SerializeTupleVariant for Array<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl ser::SerializeMap for Object<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.key = Some(key.serialize(KeyText)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let key = self.key.take().ok_or(Error)?;
        self.member(key, value)
    }
    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl ser::SerializeStruct for Object<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.member(key.to_owned(), value)
    }
    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl ser::SerializeStructVariant for Object<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.member(key.to_owned(), value)
    }
    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

/// A map key: only strings (every payhook map is keyed by field name).
struct KeyText;

impl ser::Serializer for KeyText {
    type Ok = String;
    type Error = Error;
    type SerializeSeq = Impossible<String, Error>;
    type SerializeTuple = Impossible<String, Error>;
    type SerializeTupleStruct = Impossible<String, Error>;
    type SerializeTupleVariant = Impossible<String, Error>;
    type SerializeMap = Impossible<String, Error>;
    type SerializeStruct = Impossible<String, Error>;
    type SerializeStructVariant = Impossible<String, Error>;

    fn serialize_str(self, v: &str) -> Result<String, Error> {
        Ok(v.to_owned())
    }
    fn serialize_bool(self, _: bool) -> Result<String, Error> {
        Err(Error)
    }
    fn serialize_i8(self, _: i8) -> Result<String, Error> {
        Err(Error)
    }
    fn serialize_i16(self, _: i16) -> Result<String, Error> {
        Err(Error)
    }
    fn serialize_i32(self, _: i32) -> Result<String, Error> {
        Err(Error)
    }
    fn serialize_i64(self, _: i64) -> Result<String, Error> {
        Err(Error)
    }
    fn serialize_u8(self, _: u8) -> Result<String, Error> {
        Err(Error)
    }
    fn serialize_u16(self, _: u16) -> Result<String, Error> {
        Err(Error)
    }
    fn serialize_u32(self, _: u32) -> Result<String, Error> {
        Err(Error)
    }
    fn serialize_u64(self, _: u64) -> Result<String, Error> {
        Err(Error)
    }
    fn serialize_f32(self, _: f32) -> Result<String, Error> {
        Err(Error)
    }
    fn serialize_f64(self, _: f64) -> Result<String, Error> {
        Err(Error)
    }
    fn serialize_char(self, v: char) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<String, Error> {
        Err(Error)
    }
    fn serialize_none(self) -> Result<String, Error> {
        Err(Error)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<String, Error> {
        Err(Error)
    }
    fn serialize_unit(self) -> Result<String, Error> {
        Err(Error)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<String, Error> {
        Err(Error)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<String, Error> {
        Ok(variant.to_owned())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<String, Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<String, Error> {
        Err(Error)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(Error)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
        Err(Error)
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Err(Error)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(Error)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(Error)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Error> {
        Err(Error)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(Error)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    /// The canonical text of `value` must be serde_json's compact text of its sorted `Value`.
    fn agrees(value: &impl serde::Serialize) -> bool {
        let mut ours = Vec::new();
        let sorted = serde_json::to_vec(&serde_json::to_value(value).unwrap_or(Value::Null));
        super::write(value, &[], &mut ours).is_ok() && sorted.ok() == Some(ours)
    }

    #[derive(serde::Serialize)]
    struct Model {
        zeta: u8,
        alpha: Option<&'static str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        omitted: Option<u8>,
        kind: Kind,
        #[serde(flatten)]
        rest: serde_json::Map<String, Value>,
    }

    #[derive(serde::Serialize)]
    enum Kind {
        Unit,
        Newtype(f64),
        Tuple(u8, i64),
        Struct { b: bool, a: () },
    }

    #[test]
    fn agrees_with_sorted_serde_json_output() {
        let rest = json!({ "m": [1, "é\u{1}\"", null], "b": { "y": 1e300, "x": -0.5 } });
        let rest = rest.as_object().cloned().unwrap_or_default();
        let cases = [
            Kind::Unit,
            Kind::Newtype(1.5),
            Kind::Tuple(1, -2),
            Kind::Struct { b: true, a: () },
        ];
        for kind in cases {
            let model = Model {
                zeta: 1,
                alpha: None,
                omitted: None,
                kind,
                rest: rest.clone(),
            };
            assert!(agrees(&model));
        }
        assert!(agrees(
            &json!([{ "b": 1, "a": [{}, []] }, 12345678901234567890u64, 0.1])
        ));
    }

    #[test]
    fn leaves_out_top_level_members_only() {
        let value = json!({ "seen": 1, "b": { "seen": 2 } });
        let mut out = Vec::new();
        assert!(super::write(&value, &["seen"], &mut out).is_ok());
        assert_eq!(
            String::from_utf8(out).unwrap_or_default(),
            r#"{"b":{"seen":2}}"#
        );
    }
}
