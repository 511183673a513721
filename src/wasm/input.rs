//! Arguments from JavaScript, checked and converted. Each function names the argument in
//! its error, and never echoes a value.

use js_sys::{Array, ArrayBuffer, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};

use super::Failure;
use crate::Error;

/// A body or secret: `Uint8Array` (Node's `Buffer` too), any other `ArrayBuffer` view,
/// `ArrayBuffer`, or a string (taken as UTF-8).
pub fn bytes(value: &JsValue, name: &str) -> Result<Vec<u8>, Failure> {
    to_bytes(value).ok_or_else(|| {
        Failure::new(
            Error::ArgumentInvalid,
            format!(
                "{name} must be a Uint8Array, ArrayBuffer or string, not {}",
                type_name(value)
            ),
        )
    })
}

/// One secret: bytes or a string, not empty.
pub fn secret(value: &JsValue, name: &str) -> Result<Vec<u8>, Failure> {
    match to_bytes(value) {
        Some(bytes) if !bytes.is_empty() => Ok(bytes),
        Some(_) => Err(Failure::new(
            Error::SecretInvalid,
            format!("{name} is empty"),
        )),
        None => Err(Failure::new(
            Error::SecretInvalid,
            format!(
                "{name} must be a string or Uint8Array, not {}",
                type_name(value)
            ),
        )),
    }
}

/// One secret or an array of them (rotation), none empty, at least one.
pub fn secrets(value: &JsValue) -> Result<Vec<Vec<u8>>, Failure> {
    if !Array::is_array(value) {
        return Ok(vec![secret(value, "secrets")?]);
    }
    let list = Array::from(value);
    if list.length() == 0 {
        return Err(Failure::new(
            Error::SecretInvalid,
            "secrets is an empty list",
        ));
    }
    list.iter()
        .enumerate()
        .map(|(i, s)| secret(&s, &format!("secrets[{i}]")))
        .collect()
}

/// One string or an array of strings, as given (checked by the caller's parser).
pub fn strings(value: &JsValue, name: &str) -> Result<Vec<String>, Failure> {
    let wrong = |what: &str, v: &JsValue| {
        Failure::new(
            Error::SecretInvalid,
            format!(
                "{what} must be a string or an array of strings, not {}",
                type_name(v)
            ),
        )
    };
    if let Some(one) = value.as_string() {
        return Ok(vec![one]);
    }
    if !Array::is_array(value) {
        return Err(wrong(name, value));
    }
    Array::from(value)
        .iter()
        .enumerate()
        .map(|(i, v)| {
            v.as_string()
                .ok_or_else(|| wrong(&format!("{name}[{i}]"), &v))
        })
        .collect()
}

/// A header value as the runtimes give it: a string, `null`/`undefined` when absent (Fetch
/// `Headers.get`), or an array of lines (Node), joined with `, ` as HTTP folds them.
/// Absent becomes the empty string, which the core reports as missing.
pub fn header(value: &JsValue, name: &str) -> Result<String, Failure> {
    if value.is_undefined() || value.is_null() {
        return Ok(String::new());
    }
    if let Some(line) = value.as_string() {
        return Ok(line);
    }
    if Array::is_array(value) {
        let lines: Option<Vec<String>> = Array::from(value).iter().map(|v| v.as_string()).collect();
        if let Some(lines) = lines {
            return Ok(lines.join(", "));
        }
    }
    Err(Failure::new(
        Error::ArgumentInvalid,
        format!(
            "the {name} header must be a string, null or an array of strings, not {}",
            type_name(value)
        ),
    ))
}

/// A string property of an options object; `undefined`/`null` options or property is `None`.
pub fn option(options: &JsValue, key: &str) -> Result<Option<String>, Failure> {
    if options.is_undefined() || options.is_null() {
        return Ok(None);
    }
    if !options.is_object() {
        return Err(Failure::new(
            Error::ArgumentInvalid,
            format!("options must be an object, not {}", type_name(options)),
        ));
    }
    let value = Reflect::get(options, &key.into()).unwrap_or(JsValue::UNDEFINED);
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    value.as_string().map(Some).ok_or_else(|| {
        Failure::new(
            Error::ArgumentInvalid,
            format!("options.{key} must be a string, not {}", type_name(&value)),
        )
    })
}

fn to_bytes(value: &JsValue) -> Option<Vec<u8>> {
    if let Some(s) = value.as_string() {
        return Some(s.into_bytes());
    }
    if let Some(array) = value.dyn_ref::<Uint8Array>() {
        return Some(array.to_vec());
    }
    if ArrayBuffer::is_view(value) {
        // Any other view (DataView, Int16Array, a Uint8Array of another realm): its bytes.
        let view: &Uint8Array = value.unchecked_ref();
        let bytes = Uint8Array::new_with_byte_offset_and_length(
            &view.buffer(),
            view.byte_offset(),
            view.byte_length(),
        );
        return Some(bytes.to_vec());
    }
    if value.is_instance_of::<ArrayBuffer>() {
        return Some(Uint8Array::new(value).to_vec());
    }
    None
}

/// `typeof`, refined for the values people pass by mistake.
fn type_name(value: &JsValue) -> String {
    if value.is_null() {
        "null".into()
    } else if Array::is_array(value) {
        "an array".into()
    } else {
        value.js_typeof().as_string().unwrap_or_default()
    }
}
