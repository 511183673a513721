//! Arguments from JavaScript, checked and converted. Each function names the argument in
//! its error, and never echoes a value.

use js_sys::{Array, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};

use super::Failure;

/// The few JS operations the binding needs that can throw on exotic values (a revoked
/// Proxy, a detached buffer, a throwing getter), imported with `catch`: an exception that
/// unwound through wasm frames would leak the wasm shadow stack, so none may.
mod guarded {
    use js_sys::{Array, ArrayBuffer, Uint8Array};
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(catch, js_namespace = Array, js_name = isArray)]
        pub fn is_array(value: &JsValue) -> Result<bool, JsValue>;
        /// A fresh, genuine array copied from `value`: safe to read afterwards.
        #[wasm_bindgen(catch, js_namespace = Array, js_name = from)]
        pub fn array_from(value: &JsValue) -> Result<Array, JsValue>;
        #[wasm_bindgen(catch, js_namespace = Object, js_name = keys)]
        pub fn object_keys(value: &JsValue) -> Result<Array, JsValue>;
        #[wasm_bindgen(catch, js_namespace = ArrayBuffer, js_name = isView)]
        pub fn is_view(value: &JsValue) -> Result<bool, JsValue>;
        /// `%TypedArray%.prototype.slice.call(view)`: a fresh copy made from the view's
        /// internal slots (a faked `length` property cannot lie to it; detached throws).
        #[wasm_bindgen(catch, js_namespace = ["Uint8Array", "prototype", "slice"], js_name = call)]
        pub fn typed_array_copy(view: &JsValue) -> Result<Uint8Array, JsValue>;
        /// `ArrayBuffer.prototype.slice.call(buffer)`: a fresh copy (detached throws).
        #[wasm_bindgen(catch, js_namespace = ["ArrayBuffer", "prototype", "slice"], js_name = call)]
        pub fn array_buffer_copy(buffer: &JsValue) -> Result<ArrayBuffer, JsValue>;
    }
}

/// `object[key]`, or `argument_invalid` naming `what` when reading it throws (a throwing
/// getter, a revoked Proxy): an option that cannot be read never counts as absent, which
/// would switch its check off.
pub fn get(object: &JsValue, key: &str, what: &str) -> Result<JsValue, Failure> {
    Reflect::get(object, &name(key)).map_err(|_| unreadable(what))
}

/// The refusal of a value whose reading threw.
fn unreadable(what: &str) -> Failure {
    Failure::new(
        Error::ArgumentInvalid,
        format!("{what} could not be read (a getter threw)"),
    )
}

/// Whether `value` is an array; anything that throws while asking is not one.
pub fn is_array(value: &JsValue) -> bool {
    guarded::is_array(value).unwrap_or(false)
}

/// The elements of an array, copied first into a genuine array; `argument_invalid` naming
/// `what` when that throws (an element's getter, a revoked Proxy).
pub fn elements(value: &JsValue, what: &str) -> Result<Vec<JsValue>, Failure> {
    guarded::array_from(value)
        .map(|list| list.iter().collect())
        .map_err(|_| unreadable(what))
}
use payhook::{Allowlist, Error, ForwardingHeader, ForwardingHeaders, Trust};

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

/// A string that is not well-formed UTF-16 (a lone surrogate) would reach Rust with each
/// lone surrogate replaced by U+FFFD, so two different secrets could compare equal: refused.
fn well_formed(value: &JsValue, name: &str) -> Result<(), Failure> {
    match value.dyn_ref::<js_sys::JsString>() {
        Some(text) if !text.is_valid_utf16() => Err(Failure::new(
            Error::SecretInvalid,
            format!(
                "{name} holds a lone surrogate (not well-formed UTF-16): two different values would compare equal"
            ),
        )),
        _ => Ok(()),
    }
}

/// One secret: bytes or a string, not empty, well-formed.
pub fn secret(value: &JsValue, name: &str) -> Result<Vec<u8>, Failure> {
    well_formed(value, name)?;
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
    if !is_array(value) {
        return Ok(vec![secret(value, "secrets")?]);
    }
    let list = elements(value, "secrets")?;
    if list.is_empty() {
        return Err(Failure::new(
            Error::SecretInvalid,
            "secrets is an empty list",
        ));
    }
    list.iter()
        .enumerate()
        .map(|(i, s)| secret(s, &format!("secrets[{i}]")))
        .collect()
}

/// One string or an array of strings, as given (checked by the caller's parser), each
/// well-formed UTF-16.
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
        well_formed(value, name)?;
        return Ok(vec![one]);
    }
    if !is_array(value) {
        return Err(wrong(name, value));
    }
    elements(value, name)?
        .into_iter()
        .enumerate()
        .map(|(i, v)| {
            let at = format!("{name}[{i}]");
            well_formed(&v, &at)?;
            v.as_string().ok_or_else(|| wrong(&at, &v))
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
    if is_array(value) {
        let lines: Option<Vec<String>> = elements(value, &format!("the {name} header"))?
            .iter()
            .map(JsValue::as_string)
            .collect();
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
    let value = get(options, key, &format!("options.{key}"))?;
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
    if guarded::is_view(value).unwrap_or(false) {
        // Typed arrays (Buffer too): the engine copies from the view's internal slots. A
        // DataView is not a typed array: read its window through `Reflect` (catching).
        let fresh = match guarded::typed_array_copy(value) {
            Ok(copy) => copy.buffer(),
            Err(_) => {
                let get = |key: &str| Reflect::get(value, &name(key)).ok();
                let (buffer, offset, length) =
                    (get("buffer")?, get("byteOffset")?, get("byteLength")?);
                let window = Reflect::construct(
                    &js_sys::Uint8Array::new_with_length(0).constructor(),
                    &Array::of3(&buffer, &offset, &length),
                )
                .ok()?;
                guarded::typed_array_copy(&window).ok()?.buffer()
            }
        };
        return Some(Uint8Array::new(&fresh).to_vec());
    }
    guarded::array_buffer_copy(value)
        .ok()
        .map(|fresh| Uint8Array::new(&fresh).to_vec())
}

/// `typeof`, refined for the values people pass by mistake.
fn type_name(value: &JsValue) -> String {
    if value.is_null() {
        "null".into()
    } else if is_array(value) {
        "an array".into()
    } else {
        value.js_typeof().as_string().unwrap_or_default()
    }
}

/// An allowlist's entries: an array of strings, or anything with an `entries()` method that
/// returns one (an `Allowlist`, from this copy of the package or another).
pub fn entries(value: &JsValue, name: &str) -> Result<Vec<String>, Failure> {
    let wrong = |v: &JsValue| {
        Failure::new(
            Error::AllowlistMalformed,
            format!(
                "{name} must be an Allowlist or an array of address strings, not {}",
                type_name(v)
            ),
        )
    };
    // Arrays have an entries() method too (an iterator): check for an array first.
    let list = match method(value, "entries").map_err(|_| wrong(value))? {
        Some(entries) if !is_array(value) => entries.call0(value).map_err(|_| wrong(value))?,
        _ => value.clone(),
    };
    if !is_array(&list) {
        return Err(wrong(value));
    }
    elements(&list, name)?
        .into_iter()
        .map(|v| v.as_string().ok_or_else(|| wrong(&v)))
        .collect()
}

/// The socket peer's address, as the package resolved it from each runtime's shape
/// (npm/recover.js, `peerAddress`): a string, `''` or `null` for a peer that was given but
/// has no address (which the core refuses as `ip_unknown` under every trust), `undefined` for
/// none at all (a runtime without sockets, as on Workers).
pub fn peer(value: &JsValue) -> Result<Option<String>, Failure> {
    if value.is_undefined() {
        return Ok(None);
    }
    if value.is_null() {
        return Ok(Some(String::new()));
    }
    value.as_string().map(Some).ok_or_else(|| {
        Failure::new(
            Error::ArgumentInvalid,
            format!("peer must be an address string, not {}", type_name(value)),
        )
    })
}

/// The request headers payhook reads, looked up in one pass: from Fetch `Headers` with its
/// `get`, or from a plain object (Node's `req.headers`) by matching every key without regard
/// to ASCII case, repeated keys joined with `, `. Values are converted when asked for, so a
/// caller only ever fails on a header it reads.
pub struct RequestHeaders {
    found: [Vec<JsValue>; 5],
}

/// The names, lowercase, in the order of [`RequestHeaders`]'s accessors.
const NAMES: [&str; 5] = [
    "content-sha256",
    "authorization",
    "cf-connecting-ip",
    "x-forwarded-for",
    "forwarded",
];

impl RequestHeaders {
    /// Looks the headers up in `headers` (`undefined`/`null`: none).
    pub fn read(headers: &JsValue) -> Result<Self, Failure> {
        let mut found: [Vec<JsValue>; 5] = Default::default();
        if headers.is_undefined() || headers.is_null() {
            return Ok(RequestHeaders { found });
        }
        if let Some(get) = method(headers, "get")? {
            for (name, values) in NAMES.iter().zip(found.iter_mut()) {
                values.push(
                    get.call1(headers, &self::name(name))
                        .map_err(|_| unreadable("the headers"))?,
                );
            }
            return Ok(RequestHeaders { found });
        }
        if !headers.is_object() {
            return Err(Failure::new(
                Error::ArgumentInvalid,
                format!(
                    "headers must be a Headers object or a plain object, not {}",
                    type_name(headers)
                ),
            ));
        }
        let keys = guarded::object_keys(headers).map_err(|_| {
            Failure::new(
                Error::ArgumentInvalid,
                "the headers object could not be read",
            )
        })?;
        for key in keys.iter() {
            // Most keys are other headers: their length, one cheap call, rules them out
            // before any text is copied into wasm.
            let length = key.unchecked_ref::<js_sys::JsString>().length() as usize;
            if !NAMES.iter().any(|name| name.len() == length) {
                continue;
            }
            let Some(text) = key.as_string() else {
                continue;
            };
            if let Some(i) = NAMES
                .iter()
                .position(|name| text.eq_ignore_ascii_case(name))
            {
                let value = Reflect::get(headers, &key).map_err(|_| unreadable("the headers"))?;
                if let (false, Some(values)) =
                    (value.is_undefined() || value.is_null(), found.get_mut(i))
                {
                    values.push(value);
                }
            }
        }
        Ok(RequestHeaders { found })
    }

    /// `Content-Sha256`.
    pub fn signature(&self) -> Result<Option<String>, Failure> {
        self.value(0)
    }

    /// `Authorization`.
    pub fn authorization(&self) -> Result<Option<String>, Failure> {
        self.value(1)
    }

    /// The forwarding headers, for the client address.
    pub fn forwarding(&self) -> Result<Forwarding, Failure> {
        Ok(Forwarding::new(
            self.value(2)?,
            self.value(3)?,
            self.value(4)?,
        ))
    }

    /// Header `i` of [`NAMES`] as one line, or `None` when absent.
    fn value(&self, i: usize) -> Result<Option<String>, Failure> {
        let (Some(name), Some(values)) = (NAMES.get(i), self.found.get(i)) else {
            return Ok(None);
        };
        let mut lines = Vec::with_capacity(values.len());
        for value in values {
            if !value.is_undefined() && !value.is_null() {
                lines.push(header(value, name)?);
            }
        }
        Ok((!lines.is_empty()).then(|| lines.join(", ")))
    }
}

/// The three forwarding headers of a request: what `clientIp` and the receivers hand to the
/// core.
pub struct Forwarding {
    cf_connecting_ip: Option<String>,
    x_forwarded_for: Option<String>,
    forwarded: Option<String>,
}

impl Forwarding {
    /// CF-Connecting-IP, X-Forwarded-For and Forwarded, as read (here, or by the package in JS).
    pub fn new(
        cf_connecting_ip: Option<String>,
        x_forwarded_for: Option<String>,
        forwarded: Option<String>,
    ) -> Self {
        Forwarding {
            cf_connecting_ip,
            x_forwarded_for,
            forwarded,
        }
    }

    /// The core's view of them.
    pub fn headers(&self) -> ForwardingHeaders<'_> {
        ForwardingHeaders {
            cf_connecting_ip: self.cf_connecting_ip.as_deref(),
            x_forwarded_for: self.x_forwarded_for.as_deref(),
            forwarded: self.forwarded.as_deref(),
        }
    }
}

/// `trust`: `'none'` (or absent), `'cloudflare'`, `{ proxies, header? }` or
/// `{ hops, header? }`, where `header` is `'x-forwarded-for'` (default), `'forwarded'` or
/// `'cf-connecting-ip'`.
pub fn trust(value: &JsValue) -> Result<Trust, Failure> {
    let wrong = |why: String| Failure::new(Error::ArgumentInvalid, why);
    if value.is_undefined() || value.is_null() {
        return Ok(Trust::None);
    }
    if let Some(name) = value.as_string() {
        return match name.as_str() {
            "none" => Ok(Trust::None),
            "cloudflare" => Ok(Trust::Cloudflare),
            _ => Err(wrong(
                "unknown trust (not echoed, in case it is a secret put in the wrong option); use 'none', 'cloudflare', { proxies } or { hops }"
                    .to_owned(),
            )),
        };
    }
    if !value.is_object() {
        return Err(wrong(format!(
            "trust must be a string or an object, not {}",
            type_name(value)
        )));
    }
    // A misspelt key (`Header`) would leave its default in force: refused, never ignored.
    let keys = guarded::object_keys(value).map_err(|_| wrong("trust could not be read".into()))?;
    if keys.iter().any(|key| {
        !key.as_string()
            .is_some_and(|k| matches!(k.as_str(), "proxies" | "hops" | "header"))
    }) {
        return Err(wrong(
            "unknown trust key (not echoed); use proxies, hops and header".into(),
        ));
    }
    let header = match option(value, "header")? {
        None => ForwardingHeader::XForwardedFor,
        Some(name) => ForwardingHeader::from_name(&name).ok_or_else(|| {
            wrong(
                "unknown trust.header; use 'x-forwarded-for', 'forwarded' or 'cf-connecting-ip'"
                    .to_owned(),
            )
        })?,
    };
    let proxies = get(value, "proxies", "trust.proxies")?;
    let hops = get(value, "hops", "trust.hops")?;
    match (proxies.is_undefined(), hops.as_f64()) {
        (false, None) if hops.is_undefined() => {
            let entries = entries(&proxies, "trust.proxies")?;
            let proxies =
                Allowlist::parse(&entries).map_err(|e| Failure::from(e).under("/trust/proxies"))?;
            Ok(Trust::Proxies { proxies, header })
        }
        (true, Some(n)) if n.fract() == 0.0 && (0.0..=255.0).contains(&n) => Ok(Trust::Hops {
            hops: n as u32,
            header,
        }),
        _ => Err(wrong(
            "trust needs exactly one of proxies (addresses) or hops (an integer from 0 to 255)"
                .into(),
        )),
    }
}

/// `value[name]` when it is a function; an error when reading it throws.
fn method(value: &JsValue, name: &str) -> Result<Option<js_sys::Function>, Failure> {
    if !value.is_object() {
        return Ok(None);
    }
    Ok(get(value, name, name)?.dyn_into().ok())
}

/// A property name as a JS string, made once and then reused (wasm-bindgen's interning):
/// turning a Rust string into a JS one on every call costs more than the lookup itself.
pub fn name(key: &str) -> JsValue {
    JsValue::from_str(wasm_bindgen::intern(key))
}
