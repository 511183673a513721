//! A webhook body (`&[u8]`) to a JSON object, safe against hostile input.
//!
//! serde_json's `Value` keeps the last of two equal keys, JavaScript's `JSON.parse` too, other
//! parsers the first: a signed body whose duplicate keys two parsers read differently is an
//! attack, so a key repeated anywhere is refused. The rules, in the order they are checked:
//!
//! | input | result |
//! |---|---|
//! | longer than `max_bytes` ([`DEFAULT_MAX_BYTES`] = 1 MiB) | `payload_too_large`, issue `too_large` |
//! | a leading UTF-8 BOM | `payload_not_json`, issue `bom` (RFC 8259 forbids senders to add one and `JSON.parse` rejects it, so accepting it would make payhook and JS disagree) |
//! | not UTF-8 | `payload_not_json`, issue `invalid_utf8` |
//! | empty or only whitespace | `payload_not_json`, issue `empty` |
//! | containers nested deeper than [`MAX_DEPTH`] | `payload_not_json`, issue `too_deep` (serde_json's recursion limit, kept: never a stack overflow) |
//! | a number beyond `f64` range (`1e400`, 400 digits) | `payload_not_json`, issue `number_out_of_range`; long numbers within range are read as the nearest `f64` |
//! | any other syntax error, trailing data | `payload_not_json`, issue `syntax` |
//! | a key repeated in one object | `payload_invalid`, issue `duplicate_key` at the repeated member |
//! | a top level that is not an object | `payload_not_json`, issue `wrong_type` |

use core::cell::RefCell;
use core::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use crate::Error;
use crate::providers::{Issue, PayloadError};

/// The default body limit: 1 MiB. Real R2 and Belvo payloads are a few KiB; the limit only
/// bounds the work a hostile sender can cause.
pub const DEFAULT_MAX_BYTES: usize = 1 << 20;

/// The deepest nesting of arrays and objects accepted: serde_json's default recursion
/// limit (128), which refuses the 128th level.
pub const MAX_DEPTH: usize = 127;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Parses `body` into a JSON object, or says why it is not one (see the module docs).
///
/// ```
/// use payhook::json::{parse_object, DEFAULT_MAX_BYTES};
/// assert!(parse_object(br#"{"a":1}"#, DEFAULT_MAX_BYTES).is_ok());
/// let e = parse_object(br#"{"a":1,"a":2}"#, DEFAULT_MAX_BYTES).unwrap_err();
/// assert_eq!((e.issues[0].path.as_str(), e.issues[0].code), ("/a", "duplicate_key"));
/// ```
pub fn parse_object(body: &[u8], max_bytes: usize) -> Result<Map<String, Value>, PayloadError> {
    if body.len() > max_bytes {
        return Err(too_large(body.len() as u64, max_bytes));
    }
    let not_json = |issue| PayloadError::one(Error::PayloadNotJson, issue);
    if body.starts_with(BOM) {
        return Err(not_json(Issue::new(
            "",
            "bom",
            "the body starts with a UTF-8 byte order mark",
        )));
    }
    let text = core::str::from_utf8(body).map_err(|e| {
        not_json(
            Issue::new("", "invalid_utf8", "the body is not valid UTF-8")
                .found(format!("an invalid byte at offset {}", e.valid_up_to())),
        )
    })?;
    if text.trim_matches([' ', '\t', '\n', '\r']).is_empty() {
        return Err(not_json(Issue::new("", "empty", "the body is empty")));
    }
    let duplicate = RefCell::new(None);
    let mut de = serde_json::Deserializer::from_str(text);
    let parsed = ValueSeed {
        path: None,
        duplicate: &duplicate,
    }
    .deserialize(&mut de)
    .and_then(|value| de.end().map(|()| value));
    match parsed {
        Ok(Value::Object(map)) => Ok(map),
        Ok(other) => Err(not_json(
            Issue::new("", "wrong_type", "the top level is not a JSON object")
                .expected("object")
                .found(kind(&other)),
        )),
        Err(e) => Err(match duplicate.take() {
            Some(path) => PayloadError::one(
                Error::PayloadInvalid,
                Issue::new(
                    &path,
                    "duplicate_key",
                    "this key appears more than once in its object",
                ),
            ),
            None => not_json(classify(&e)),
        }),
    }
}

/// The JSON type of a value, as issues name it.
pub(crate) fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// `base` plus one member `key` as a JSON Pointer (RFC 6901: `~` is `~0`, `/` is `~1`).
pub(crate) fn pointer(base: &str, key: &str) -> String {
    let mut out = String::with_capacity(base.len() + key.len() + 1);
    out.push_str(base);
    out.push('/');
    for c in key.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
    out
}

fn classify(e: &serde_json::Error) -> Issue {
    // serde_json exposes no error kinds beyond its categories; its messages are stable.
    let message = e.to_string();
    let code = if message.starts_with("recursion limit exceeded") {
        "too_deep"
    } else if message.starts_with("number out of range") {
        "number_out_of_range"
    } else {
        "syntax"
    };
    Issue::new("", code, message)
}

/// Where the value being read sits, as a linked list up the stack: no allocation per level.
enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    segment: Segment<'a>,
}

fn render(path: Option<&Path<'_>>) -> String {
    let mut segments = Vec::new();
    let mut at = path;
    while let Some(p) = at {
        segments.push(&p.segment);
        at = p.parent;
    }
    segments
        .iter()
        .rev()
        .fold(String::new(), |out, segment| match segment {
            Segment::Key(key) => pointer(&out, key),
            Segment::Index(i) => format!("{out}/{i}"),
        })
}

/// Builds a `Value` like serde_json's own, but refuses a repeated key and notes where.
struct ValueSeed<'a> {
    path: Option<&'a Path<'a>>,
    duplicate: &'a RefCell<Option<String>>,
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        // serde_json never yields a non-finite float; refuse one rather than invent a value.
        Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom("number out of range"))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        loop {
            let path = Path {
                parent: self.path,
                segment: Segment::Index(out.len()),
            };
            let seed = ValueSeed {
                path: Some(&path),
                duplicate: self.duplicate,
            };
            match seq.next_element_seed(seed)? {
                Some(value) => out.push(value),
                None => return Ok(Value::Array(out)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let path = Path {
                parent: self.path,
                segment: Segment::Key(&key),
            };
            if out.contains_key(&key) {
                *self.duplicate.borrow_mut() = Some(render(Some(&path)));
                return Err(de::Error::custom("duplicate key"));
            }
            let value = map.next_value_seed(ValueSeed {
                path: Some(&path),
                duplicate: self.duplicate,
            })?;
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

/// The refusal of a body of `size` bytes over `max_bytes`: what [`parse_object`] reports, also
/// for a body the caller measured and did not copy.
pub fn too_large(size: u64, max_bytes: usize) -> PayloadError {
    PayloadError::one(
        Error::PayloadTooLarge,
        Issue::new("", "too_large", "the body is larger than the limit")
            .expected(format!("at most {max_bytes} bytes"))
            .found(format!("{size} bytes")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(body: &[u8]) -> Result<(), (&'static str, String, &'static str)> {
        parse_object(body, DEFAULT_MAX_BYTES)
            .map(|_| ())
            .map_err(|e| {
                let issue = &e.issues[0];
                (e.error.code(), issue.path.clone(), issue.code)
            })
    }

    #[test]
    fn nesting_is_bounded_by_serde_json_limit_through_the_seed() {
        let nest = |open: &str, close: &str, depth: usize| {
            let mut s = open.repeat(depth);
            s.push_str(&close.repeat(depth));
            s
        };
        // Objects: `{"a":{"a":…{}}}` with `depth` objects in all.
        let objects = |depth: usize| {
            let mut s = r#"{"a":"#.repeat(depth - 1);
            s.push_str("{}");
            s.push_str(&"}".repeat(depth - 1));
            s
        };
        assert!(code(objects(MAX_DEPTH).as_bytes()).is_ok());
        assert_eq!(
            code(objects(MAX_DEPTH + 1).as_bytes()),
            Err(("payload_not_json", String::new(), "too_deep"))
        );
        let arrays = |depth| format!("{{\"a\":{}}}", nest("[", "]", depth));
        assert!(code(arrays(MAX_DEPTH - 1).as_bytes()).is_ok());
        assert_eq!(
            code(arrays(MAX_DEPTH).as_bytes()).unwrap_err().2,
            "too_deep"
        );
        assert_eq!(code(arrays(100_000).as_bytes()).unwrap_err().2, "too_deep");
        assert_eq!(code(objects(100_000).as_bytes()).unwrap_err().2, "too_deep");
    }

    #[test]
    fn duplicate_paths_are_json_pointers() {
        assert_eq!(
            code(br#"{"a/b":[{"~":1,"~":2}]}"#),
            Err(("payload_invalid", "/a~1b/0/~0".into(), "duplicate_key"))
        );
        assert_eq!(pointer("", ""), "/");
    }
}
