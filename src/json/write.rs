//! JSON text out: every result the core gives as JSON (payloads, answers, reports), written
//! by one small writer instead of serde's serializers (which were a sixth of the wasm module).
//! A payload's models write their members in code-point order of their names
//! ([`crate::providers`]), so its text is the canonical form a dedup key hashes.
//!
//! Numbers are written as JavaScript reads them back and `JSON.stringify` writes them: an
//! integer up to 2^53 as its digits; any other number as its nearest double, whole ones in
//! (−2^63, 2^64) with JavaScript's digits (`1000.0` → `1000`, `-0` → `0`, 2^60 →
//! `1152921504606847000`), the rest as serde_json writes a double (`17.36`, `1.5e-6`,
//! `1e+21`). `JSON.parse` gives the same number for that text as for the one sent (`-0` aside:
//! `0`, as `JSON.stringify` would write it), and text written from a value that crossed to
//! JavaScript and back is the same text (see [`crate::dedup_key`]). Strings are escaped
//! exactly as serde_json escapes them.

use serde_json::{Map, Number, Value};

/// JSON text being written. Members and elements are separated as they are written.
#[derive(Debug, Default)]
pub struct Writer {
    text: String,
    /// Whether the next value, key or element needs a comma before it.
    comma: bool,
}

/// JSON text the core wrote (an accepted event's: [`crate::receiver::Accepted::event_json`]),
/// written into other JSON as it is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Json(String);

impl Json {
    /// Text the writer wrote.
    pub(crate) fn written(text: String) -> Self {
        Json(text)
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl ToJson for Json {
    fn write_json(&self, out: &mut Writer) {
        out.raw(&self.0);
    }
}

/// A value that writes itself as JSON.
pub trait ToJson {
    /// Writes the value.
    fn write_json(&self, out: &mut Writer);
}

/// Room for the JSON of a 1 KiB body, which is about the body's size, and a little more,
/// written without growing the text (a copy of it) on the way.
const INITIAL: usize = 2048;

/// `value` as JSON text.
pub fn to_string<T: ToJson + ?Sized>(value: &T) -> String {
    let mut out = Writer::with_capacity(INITIAL);
    value.write_json(&mut out);
    out.text
}

/// A JSON object's text, its members written by `members` (`out.member(…)`).
pub fn object(members: impl FnOnce(&mut Writer)) -> String {
    let mut out = Writer::with_capacity(256);
    out.begin_object();
    members(&mut out);
    out.end_object();
    out.text
}

/// `value` as serde_json's `Value`: its JSON text, read back.
pub fn to_value<T: ToJson + ?Sized>(value: &T) -> Value {
    super::parse_value(&to_string(value)).unwrap_or(Value::Null)
}

impl Writer {
    /// A writer with room for `bytes` of text (a payload's JSON is about its body's size).
    pub fn with_capacity(bytes: usize) -> Self {
        Writer {
            text: String::with_capacity(bytes),
            ..Writer::default()
        }
    }

    /// The text written.
    pub fn into_string(self) -> String {
        self.text
    }

    fn separate(&mut self) {
        if self.comma {
            self.text.push(',');
        }
        self.comma = true;
    }

    /// `{`: members follow, then [`Writer::end_object`].
    #[inline(never)]
    pub fn begin_object(&mut self) {
        self.separate();
        self.text.push('{');
        self.comma = false;
    }

    /// `}`.
    #[inline(never)]
    pub fn end_object(&mut self) {
        self.text.push('}');
        self.comma = true;
    }

    /// `[`: elements follow, then [`Writer::end_array`].
    pub fn begin_array(&mut self) {
        self.separate();
        self.text.push('[');
        self.comma = false;
    }

    /// `]`.
    pub fn end_array(&mut self) {
        self.text.push(']');
        self.comma = true;
    }

    /// A member's key; its value is written next.
    #[inline(never)]
    pub fn key(&mut self, key: &str) {
        self.string(key);
        self.text.push(':');
        self.comma = false;
    }

    /// A member's key already in JSON (`"name":`, text that needs no escape); its value is
    /// written next. A model's names are written so, without scanning them for escapes.
    #[inline(never)]
    pub(crate) fn json_key(&mut self, key: &str) {
        self.separate();
        self.text.push_str(key);
        self.comma = false;
    }

    /// A member. Not inlined: each model would otherwise carry its own copy of every
    /// member's writer (the generic models, one per status or data type).
    #[inline(never)]
    pub fn member<T: ToJson + ?Sized>(&mut self, key: &str, value: &T) {
        self.key(key);
        value.write_json(self);
    }

    /// A member, left out when `value` is `None`.
    pub fn optional<T: ToJson + ?Sized>(&mut self, key: &str, value: Option<&T>) {
        if let Some(value) = value {
            self.member(key, value);
        }
    }

    /// `null`.
    pub fn null(&mut self) {
        self.raw("null");
    }

    /// Text that is already JSON.
    #[inline(never)]
    fn raw(&mut self, json: &str) {
        self.separate();
        self.text.push_str(json);
    }

    /// A string, escaped as serde_json escapes it: `"` and `\`, the short escapes of
    /// backspace, tab, newline, form feed and carriage return, `\u00xx` (lower case) for the
    /// other control characters; everything else as it is.
    #[inline(never)]
    pub fn string(&mut self, s: &str) {
        self.separate();
        self.text.reserve(s.len() + 2);
        self.text.push('"');
        let mut rest = s;
        while let Some(at) = super::special(rest.as_bytes()) {
            let Some((run, escaped)) = rest.split_at_checked(at) else {
                break;
            };
            self.text.push_str(run);
            let Some(&b) = escaped.as_bytes().first() else {
                break;
            };
            rest = escaped.get(1..).unwrap_or_default();
            let escape = match b {
                b'"' => "\\\"",
                b'\\' => "\\\\",
                0x08 => "\\b",
                b'\t' => "\\t",
                b'\n' => "\\n",
                0x0c => "\\f",
                b'\r' => "\\r",
                _ => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    self.text.push_str("\\u00");
                    for digit in [b >> 4, b & 0xf] {
                        let hex = HEX.get(usize::from(digit)).copied().unwrap_or(b'0');
                        self.text.push(char::from(hex));
                    }
                    continue;
                }
            };
            self.text.push_str(escape);
        }
        self.text.push_str(rest);
        self.text.push('"');
    }

    /// An unsigned integer.
    #[inline(never)]
    pub fn u64(&mut self, n: u64) {
        if n <= MAX_EXACT {
            self.raw(itoa(n, false, &mut [0; 21]));
        } else {
            self.f64(n as f64);
        }
    }

    /// A signed integer.
    #[inline(never)]
    pub fn i64(&mut self, n: i64) {
        if n.unsigned_abs() <= MAX_EXACT {
            self.raw(itoa(n.unsigned_abs(), n < 0, &mut [0; 21]));
        } else {
            self.f64(n as f64);
        }
    }

    /// A finite double (a non-finite one, which no JSON value holds, is `null`).
    #[inline(never)]
    pub fn f64(&mut self, x: f64) {
        if !x.is_finite() {
            return self.null();
        }
        if x.fract() == 0.0 && x.abs() <= MAX_EXACT as f64 {
            // Its digits, as JavaScript writes them (and `-0` as `0`), without formatting.
            return self.raw(itoa(x.abs() as u64, x < 0.0, &mut [0; 21]));
        }
        match js_integer(x) {
            Some(digits) => self.raw(&digits),
            None => self.raw(zmij::Buffer::new().format_finite(x)),
        }
    }

    /// A serde_json number.
    #[inline(never)]
    pub fn number(&mut self, n: &Number) {
        if let Some(n) = n.as_u64() {
            self.u64(n);
        } else if let Some(n) = n.as_i64() {
            self.i64(n);
        } else {
            self.f64(n.as_f64().unwrap_or(f64::NAN));
        }
    }

    /// A serde_json value; object members in key order (serde_json's maps are sorted).
    #[inline(never)]
    pub fn value(&mut self, value: &Value) {
        match value {
            Value::Null => self.null(),
            Value::Bool(b) => b.write_json(self),
            Value::Number(n) => self.number(n),
            Value::String(s) => self.string(s),
            Value::Array(items) => items.write_json(self),
            Value::Object(map) => map.write_json(self),
        }
    }
}

/// The largest integer written as its own digits: 2^53 (2^53 + 1 reads back in JavaScript as
/// 2^53, and is written so).
const MAX_EXACT: u64 = 1 << 53;

/// The decimal digits of `n`, with a minus sign when `negative` (and `n` is not 0), written
/// at the end of `buffer` (20 digits and a sign at most): no allocation per number.
fn itoa(mut n: u64, negative: bool, buffer: &mut [u8; 21]) -> &str {
    let negative = negative && n != 0;
    let mut at = buffer.len();
    loop {
        at -= 1;
        if let Some(d) = buffer.get_mut(at) {
            *d = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if negative {
        at -= 1;
        if let Some(sign) = buffer.get_mut(at) {
            *sign = b'-';
        }
    }
    core::str::from_utf8(buffer.get(at..).unwrap_or_default()).unwrap_or_default()
}

/// How JavaScript writes `x` when that text is an integer serde_json reads back as one
/// (`u64` or `i64`): `x` a whole number in (−2^63, 2^64). Above 2^53 these are JavaScript's
/// shortest round-trip digits padded with zeros, not the double's exact value.
fn js_integer(x: f64) -> Option<String> {
    const TWO_63: f64 = 9_223_372_036_854_775_808.0;
    if x.fract() != 0.0 || x <= -TWO_63 || x >= 2.0 * TWO_63 {
        return None;
    }
    // zmij (serde_json's float writer) gives the shortest digits that read back as `x`, the
    // closest ones as JavaScript picks them (2^60 is `1.152921504606847e+18`, 12200 is
    // `12200.0`), without the standard library's float formatting (17 KB of wasm).
    let mut buffer = zmij::Buffer::new();
    let text = buffer.format_finite(x.abs());
    let (mantissa, exponent) = match text.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => (mantissa, exponent.parse::<i32>().ok()?),
        None => (text, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = whole.bytes().chain(fraction.bytes());
    let significant: Vec<u8> = digits.skip_while(|&d| d == b'0').collect();
    let Some(last) = significant.iter().rposition(|&d| d != b'0') else {
        return Some("0".to_owned()); // 0 and -0
    };
    // x = significant digits (up to `last`) times 10^zeros.
    let trailing = i32::try_from(significant.len() - 1 - last).ok()?;
    let zeros = exponent
        .checked_sub(i32::try_from(fraction.len()).ok()?)?
        .checked_add(trailing)?;
    let zeros = usize::try_from(zeros).ok()?;
    let mut out = String::with_capacity(last + 2 + zeros);
    if x < 0.0 {
        out.push('-');
    }
    out.extend(significant.iter().take(last + 1).map(|&d| char::from(d)));
    out.extend(core::iter::repeat_n('0', zeros));
    Some(out)
}

impl ToJson for str {
    fn write_json(&self, out: &mut Writer) {
        out.string(self);
    }
}

impl ToJson for String {
    fn write_json(&self, out: &mut Writer) {
        out.string(self);
    }
}

impl ToJson for bool {
    fn write_json(&self, out: &mut Writer) {
        out.raw(if *self { "true" } else { "false" });
    }
}

impl ToJson for u16 {
    fn write_json(&self, out: &mut Writer) {
        out.u64(u64::from(*self));
    }
}

impl ToJson for u64 {
    fn write_json(&self, out: &mut Writer) {
        out.u64(*self);
    }
}

impl ToJson for usize {
    fn write_json(&self, out: &mut Writer) {
        out.u64(*self as u64);
    }
}

impl ToJson for i64 {
    fn write_json(&self, out: &mut Writer) {
        out.i64(*self);
    }
}

impl ToJson for f64 {
    fn write_json(&self, out: &mut Writer) {
        out.f64(*self);
    }
}

impl ToJson for Number {
    fn write_json(&self, out: &mut Writer) {
        out.number(self);
    }
}

impl ToJson for Value {
    fn write_json(&self, out: &mut Writer) {
        out.value(self);
    }
}

/// In key order (by code point), whatever order the `Map` iterates in: see `in_key_order`.
impl ToJson for Map<String, Value> {
    fn write_json(&self, out: &mut Writer) {
        out.begin_object();
        for (key, value) in in_key_order(self) {
            out.member(key, value);
        }
        out.end_object();
    }
}

/// `map`'s members in key order (by code point). serde_json's `Map` iterates so, unless some
/// crate in the build turns on its `preserve_order` feature (insertion order): a payload's
/// text must not depend on that, as its dedup key hashes it. A map already in order is
/// iterated as it is, without collecting its members (a `Vec` per object written).
#[inline(never)]
pub(crate) fn in_key_order(map: &Map<String, Value>) -> KeyOrder<'_> {
    let mut last: Option<&str> = None;
    let sorted = map.iter().all(|(key, _)| {
        let after = last.is_none_or(|last| last < key.as_str());
        last = Some(key);
        after
    });
    if sorted {
        return KeyOrder::AsIs(map.iter());
    }
    let members: Vec<(&str, &Value)> = map.iter().map(|(k, v)| (k.as_str(), v)).collect();
    let key = |i: usize| members.get(i).map_or("", |m| m.0);
    let mut order: Vec<usize> = (0..members.len()).collect();
    crate::sort::order_by(&mut order, &|a, b| key(a) < key(b));
    let sorted: Vec<_> = order
        .iter()
        .filter_map(|&i| members.get(i).copied())
        .collect();
    KeyOrder::Sorted(sorted.into_iter())
}

/// The members of a `Map` in key order: see [`in_key_order`].
pub(crate) enum KeyOrder<'a> {
    /// The map iterates in key order itself.
    AsIs(serde_json::map::Iter<'a>),
    /// Its members, sorted.
    Sorted(std::vec::IntoIter<(&'a str, &'a Value)>),
}

impl<'a> Iterator for KeyOrder<'a> {
    type Item = (&'a str, &'a Value);

    #[inline(never)]
    fn next(&mut self) -> Option<Self::Item> {
        match self {
            KeyOrder::AsIs(members) => members.next().map(|(k, v)| (k.as_str(), v)),
            KeyOrder::Sorted(members) => members.next(),
        }
    }
}

impl<T: ToJson> ToJson for [T] {
    fn write_json(&self, out: &mut Writer) {
        out.begin_array();
        for item in self {
            item.write_json(out);
        }
        out.end_array();
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, out: &mut Writer) {
        self.as_slice().write_json(out);
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn write_json(&self, out: &mut Writer) {
        match self {
            Some(value) => value.write_json(out),
            None => out.null(),
        }
    }
}

impl<B: ToJson + ToOwned + ?Sized> ToJson for std::borrow::Cow<'_, B> {
    fn write_json(&self, out: &mut Writer) {
        (**self).write_json(out);
    }
}

impl<T: ToJson + ?Sized> ToJson for &T {
    fn write_json(&self, out: &mut Writer) {
        (**self).write_json(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let all: String = (0u8..0x80).map(char::from).chain("é€😀".chars()).collect();
        for s in [all.as_str(), "", "plain", "\"\\", "a\u{7f}b"] {
            assert_eq!(to_string(s), serde_json::to_string(s).unwrap_or_default());
        }
    }

    #[test]
    fn objects_arrays_and_separators() {
        let value: Value = serde_json::from_str(
            r#"{ "b": [1, {"z": null, "a": "é"}, [], {}], "a": 1.5, "c": true }"#,
        )
        .unwrap_or_default();
        assert_eq!(
            to_string(&value),
            r#"{"a":1.5,"b":[1,{"a":"é","z":null},[],{}],"c":true}"#
        );
    }

    #[test]
    fn special_finds_the_first_byte_to_escape() {
        let naive = |b: &[u8]| b.iter().position(|&c| c == b'"' || c == b'\\' || c < 0x20);
        let mut state: u64 = 7;
        let alphabet = [
            b'a', b'"', b'\\', 0x00, 0x1f, 0x20, 0x7f, 0x80, 0xc3, 0xff, b'#', 0x21,
        ];
        for len in 0..40 {
            for _ in 0..2_000 {
                let bytes: Vec<u8> = (0..len)
                    .map(|_| {
                        state = state
                            .wrapping_mul(6_364_136_223_846_793_005)
                            .wrapping_add(1_442_695_040_888_963_407);
                        // Mostly plain bytes, so a special one lands anywhere in a word.
                        match (state >> 59) as usize {
                            n @ 0..=11 => alphabet[n],
                            _ => b'a' + (state >> 40) as u8 % 26,
                        }
                    })
                    .collect();
                assert_eq!(super::super::special(&bytes), naive(&bytes), "{bytes:?}");
            }
        }
    }

    #[test]
    fn integers_are_their_digits_up_to_two_to_the_53() {
        assert_eq!(to_string(&0u64), "0");
        assert_eq!(to_string(&(1u64 << 53)), "9007199254740992");
        assert_eq!(to_string(&-(1i64 << 53)), "-9007199254740992");
        assert_eq!(to_string(&((1u64 << 53) + 1)), "9007199254740992");
        assert_eq!(to_string(&i64::MIN), "-9.223372036854776e+18");
        assert_eq!(to_string(&u64::MAX), "1.8446744073709552e+19");
    }

    /// Each number as sent, and what is written: what serde_json writes for its reading of
    /// Node 20's `JSON.stringify(JSON.parse(sent))`, the text `dedupKey(event)` re-reads.
    #[test]
    fn numbers_are_written_as_javascript_gives_them_back() {
        for (sent, written) in [
            ("12200", "12200"),
            ("12200.0", "12200"),
            ("12200.00", "12200"),
            ("1.22e4", "12200"),
            ("1.22E+4", "12200"),
            ("-0", "0"),
            ("0.0", "0"),
            ("-0.0", "0"),
            ("17.36", "17.36"),
            ("-22.58", "-22.58"),
            ("9007199254740992", "9007199254740992"),
            ("9007199254740993", "9007199254740992"),
            ("-9007199254740993", "-9007199254740992"),
            ("1152921504606846976", "1152921504606847000"),
            ("18446744073709549568", "18446744073709550000"),
            ("18446744073709551615", "1.8446744073709552e+19"),
            ("-9223372036854774784", "-9223372036854775000"),
            ("-9223372036854775808", "-9.223372036854776e+18"),
            ("1e16", "10000000000000000"),
            ("1e20", "1e+20"),
            ("123456789012345680000", "1.2345678901234568e+20"),
            ("1e21", "1e+21"),
            ("1e-7", "1e-7"),
            ("0.0000015", "1.5e-6"),
            ("0.00001", "0.00001"),
            ("1333333333300000011451907952434566453", "1.3333333333e+36"),
            ("5e-324", "5e-324"),
            ("1.7976931348623157e308", "1.7976931348623157e+308"),
        ] {
            let value: Value = serde_json::from_str(sent).unwrap_or_default();
            assert_eq!(to_string(&value), written, "{sent}");
        }
    }

    /// The standard library's shortest digits, as `js_integer` took them before it used
    /// zmij.
    fn js_integer_by_std(x: f64) -> Option<String> {
        const TWO_63: f64 = 9_223_372_036_854_775_808.0;
        if x.fract() != 0.0 || x <= -TWO_63 || x >= 2.0 * TWO_63 {
            return None;
        }
        let scientific = format!("{:e}", x.abs());
        let (mantissa, exponent) = scientific.split_once('e')?;
        let digits = mantissa.replace('.', "");
        let zeros = exponent
            .parse::<usize>()
            .ok()?
            .checked_add(1)?
            .checked_sub(digits.len())?;
        let sign = if x < 0.0 { "-" } else { "" };
        Some(format!("{sign}{digits}{}", "0".repeat(zeros)))
    }

    #[test]
    fn js_integer_gives_the_standard_library_digits() {
        let mut xs = vec![0.0, -0.0, 1.0, -1.0, 0.5, 1e15, 1e16, 1e20, 1e21, -1e19];
        for e in 0..64 {
            let p = (1u64 << e) as f64;
            for x in [p, -p, p * 3.0, p * 5.0, p * 7.0, p * 10.0, p * 1000.0] {
                xs.extend([
                    x,
                    f64::from_bits(x.to_bits() + 1),
                    f64::from_bits(x.to_bits() - 1),
                ]);
            }
        }
        let mut state: u64 = 1;
        for _ in 0..100_000 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            // Whole doubles of every magnitude up to 2^64, and some beyond.
            let magnitude = (state >> 58) as i32 + 1;
            let x = (state >> 11) as f64 / (1u64 << 53) as f64 * 2f64.powi(magnitude);
            xs.extend([x.trunc(), -x.trunc(), x]);
            xs.push((state >> (state % 64)) as f64);
            xs.push(state as i64 as f64);
        }
        for x in xs {
            assert_eq!(js_integer(x), js_integer_by_std(x), "{x:e}");
        }
    }

    #[test]
    fn itoa_writes_every_magnitude() {
        for n in [0, 1, 9, 10, 99, 100, 12345, u64::MAX, 1 << 53] {
            assert_eq!(itoa(n, false, &mut [0; 21]), n.to_string());
            assert_eq!(
                itoa(n, true, &mut [0; 21]),
                if n == 0 {
                    "0".to_owned()
                } else {
                    format!("-{n}")
                }
            );
        }
    }
}
