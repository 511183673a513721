//! JSON in and out. In: a webhook body (`&[u8]`) to a JSON object, safe against hostile
//! input (below). Out: [`Writer`] (results, and payloads in the canonical form a dedup key
//! hashes).
//! Both are the core's own code, not serde's: the wasm module carries no serde.
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

use std::borrow::Cow;

use serde_json::{Map, Number, Value};

use crate::Error;
use crate::providers::{Issue, PayloadError};

mod ascii;
mod float;
mod write;

pub use ascii::{ascii, push_ascii};
pub use write::{Json, ToJson, Writer, object, to_string, to_value};
pub(crate) use write::{KeyOrder, in_key_order};

/// `serde::Serialize` (feature `serde`, on by default) for a type written by [`ToJson`]: the
/// same JSON, through serde_json's `Value`, so that a Rust service can store or forward a
/// parsed payload with serde. The wasm module, built without the feature, has no serde code.
macro_rules! serialize_as_json {
    ($name:ident $(<$g:ident: $bound:path>)?) => {
        #[cfg(feature = "serde")]
        #[allow(private_bounds)]
        impl $(<$g: $bound>)? serde::Serialize for $name $(<$g>)? {
            fn serialize<Ser: serde::Serializer>(
                &self,
                serializer: Ser,
            ) -> Result<Ser::Ok, Ser::Error> {
                serde::Serialize::serialize(&$crate::json::to_value(self), serializer)
            }
        }
    };
}
pub(crate) use serialize_as_json;

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
    parse_members(body, max_bytes).map(into_map)
}

/// [`parse_object`] without building the `Map`: the top level's members in the order sent,
/// objects reached through members left as their members (see [`Item`]), keys borrowed from
/// `body` unless escaped. The walker reads a payload from this: a model's members are looked
/// up among a few, and what it does not read is kept as parsed (a `Map` only in the owned
/// model, which the npm package never makes). Building and dropping a
/// `Map` and its keys for every object was a fifth of the instructions of reading a 1 KiB R2
/// event natively (41.8k before, 32.6k after).
pub(crate) fn parse_members(body: &[u8], max_bytes: usize) -> Result<Members<'_>, PayloadError> {
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
    match Parser::new(text).document() {
        Ok(Item::Object(members)) => Ok(members),
        Ok(other) => Err(not_json(
            Issue::new("", "wrong_type", "the top level is not a JSON object")
                .expected("object")
                .found(kind(&other.into_value())),
        )),
        Err(Fail::Duplicate(mut segments)) => {
            segments.reverse();
            let path = segments
                .iter()
                .fold(String::new(), |out, segment| match segment {
                    Segment::Key(key) => pointer(&out, key),
                    Segment::Index(i) => format!("{out}/{i}"),
                });
            Err(PayloadError::one(
                Error::PayloadInvalid,
                Issue::new(
                    &path,
                    "duplicate_key",
                    "this key appears more than once in its object",
                ),
            ))
        }
        Err(Fail::At(code, what, at)) => Err(not_json(Issue::new(
            "",
            code,
            format!("{what} {}", position(text, at)),
        ))),
    }
}

/// Any JSON text (not only an object), as [`parse_object`] reads one; `None` when it is not
/// JSON. For text the core wrote itself.
pub(crate) fn parse_value(text: &str) -> Option<Value> {
    Parser::new(text).document().ok().map(Item::into_value)
}

/// An object's members as parsed: keys unescaped (borrowed from the body when they have no
/// escape), no key twice, in the order sent.
pub(crate) type Members<'a> = Vec<(Cow<'a, str>, Item<'a>)>;

/// A value as parsed: an object is left as its [`Members`], to be read without a `Map` (the
/// walker looks a model's members up among them), an array as its items; a string as its
/// text, borrowed from the body unless escaped (a model that reads it as a known value never
/// copies it); anything else is a `Value`. What is written as read (an open object, an array
/// kept whole) is then never made `Value`s at all: the `Map`s of two objects in an array
/// were ten allocations of a 1 KiB R2 event.
pub(crate) enum Item<'a> {
    Value(Value),
    Object(Members<'a>),
    Array(Vec<Item<'a>>),
    Text(Cow<'a, str>),
}

impl Item<'_> {
    /// As a `Value`: an object becomes a `Map`, all the way down.
    pub(crate) fn into_value(self) -> Value {
        match self {
            Item::Value(value) => value,
            Item::Object(members) => Value::Object(into_map(members)),
            Item::Array(items) => Value::Array(items.into_iter().map(Item::into_value).collect()),
            Item::Text(text) => Value::String(text.into_owned()),
        }
    }

    /// The text of a string.
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Item::Text(s) => Some(s),
            Item::Value(Value::String(s)) => Some(s),
            _ => None,
        }
    }
}

impl<'a> Item<'a> {
    /// The text of the member `key` of an object, when it is a string: borrowed from the body
    /// when it was (copied only when it had an escape, or from a `Map`).
    pub(crate) fn member_text(&self, key: &str) -> Option<Cow<'a, str>> {
        match self {
            Item::Object(members) => match member(members, key)? {
                Item::Text(text) => Some(text.clone()),
                other => other.as_str().map(|s| Cow::Owned(s.to_owned())),
            },
            Item::Value(value) => value.get(key)?.as_str().map(|s| Cow::Owned(s.to_owned())),
            Item::Array(_) | Item::Text(_) => None,
        }
    }
}

/// The JSON type of an item, as issues name it.
pub(crate) fn item_kind(item: &Item<'_>) -> &'static str {
    match item {
        Item::Value(value) => kind(value),
        Item::Object(_) => "object",
        Item::Array(_) => "array",
        Item::Text(_) => "string",
    }
}

/// Sorts members by key (by code point, the order a `Map` holds them in), and the members of
/// the objects among them, all the way down (as deep as the parser allows): how an object
/// kept whole is written, without building a `Map` of it first.
pub(crate) fn sort_members(members: &mut Members<'_>) {
    for (_, item) in members.iter_mut() {
        sort_item(item);
    }
    let mut keys = members.iter().map(|(k, _)| k);
    let mut last = keys.next();
    let sorted = keys.all(|key| {
        let after = last.is_none_or(|last| last < key);
        last = Some(key);
        after
    });
    if sorted {
        return;
    }
    // The order sorted, then the members moved into it in place, a cycle at a time; the
    // positions of an object as small as most are on the stack.
    let mut small = [0; 16];
    let mut large = Vec::new();
    let order = match members.len() {
        n if n <= small.len() => small.get_mut(..n).unwrap_or_default(),
        n => {
            large.extend(0..n);
            large.as_mut_slice()
        }
    };
    for (i, at) in order.iter_mut().enumerate() {
        *at = i;
    }
    let key = |i: usize| members.get(i).map_or("", |m| m.0.as_ref());
    crate::sort::order_by(order, &|a, b| key(a) < key(b));
    // Position `i` takes the member at `order[i]`; a position done is marked `usize::MAX`.
    for start in 0..order.len() {
        let mut i = start;
        while let Some(&next) = order.get(i).filter(|&&next| next != usize::MAX) {
            if let Some(done) = order.get_mut(i) {
                *done = usize::MAX;
            }
            if next == start {
                break;
            }
            members.swap(i, next);
            i = next;
        }
    }
}

/// [`sort_members`] of the objects in an item, all the way down.
pub(crate) fn sort_item(item: &mut Item<'_>) {
    match item {
        Item::Object(members) => sort_members(members),
        Item::Array(items) => items.iter_mut().for_each(sort_item),
        Item::Value(_) | Item::Text(_) => {}
    }
}

/// An item as JSON: an object's members in the order they are in (sorted by
/// [`sort_members`] where it is written canonical).
impl ToJson for Item<'_> {
    fn write_json(&self, out: &mut Writer) {
        match self {
            Item::Value(value) => out.value(value),
            Item::Text(text) => out.string(text),
            Item::Object(members) => {
                out.begin_object();
                for (key, item) in members {
                    out.member(key, item);
                }
                out.end_object();
            }
            Item::Array(items) => items.write_json(out),
        }
    }
}

/// The value of the member `key`: keys compare as their unescaped text.
pub(crate) fn member<'m, 'a>(members: &'m Members<'a>, key: &str) -> Option<&'m Item<'a>> {
    members.iter().find(|(k, _)| k == key).map(|(_, item)| item)
}

/// Members as a `Map`, objects inside them too.
pub(crate) fn into_map(members: Members<'_>) -> Map<String, Value> {
    let mut map = Map::new();
    for (key, item) in members {
        map.insert(key.into_owned(), item.into_value());
    }
    map
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

/// Where the first byte that ends a run of plain string text is: `"`, `\\` or a control
/// character, which the parser must stop at and the writer must escape. Eight bytes at a
/// time (SWAR): strings are most of a payload, and a byte at a time was a tenth of a
/// delivery.
pub(crate) fn special(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    // A byte of `x` that is zero sets its high bit in `(x - ONES) & !x & HIGH` (bytes above
    // the first may also be set by the borrow, never one below it): `w ^ (b × ONES)` is zero
    // where `w` has `b`; `w - 0x20 × ONES` borrows where a byte is below 0x20.
    let marks = |w: u64| {
        let quote = w ^ (ONES * u64::from(b'"'));
        let backslash = w ^ (ONES * u64::from(b'\\'));
        ((quote.wrapping_sub(ONES) & !quote)
            | (backslash.wrapping_sub(ONES) & !backslash)
            | (w.wrapping_sub(ONES * 0x20) & !w))
            & HIGH
    };
    first_stop(bytes, marks, |b| b == b'"' || b == b'\\' || b < 0x20)
}

/// Where the first byte that `stops` is, eight bytes at a time: `marks` of a word (its bytes
/// in order, little-endian) sets the high bit of each byte that stops, and of none before the
/// first; `stops` is asked about the last bytes, fewer than eight.
#[inline(always)]
fn first_stop(
    bytes: &[u8],
    marks: impl Fn(u64) -> u64,
    stops: impl Fn(u8) -> bool,
) -> Option<usize> {
    let mut chunks = bytes.chunks_exact(8);
    let mut at = 0;
    for chunk in chunks.by_ref() {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        let found = marks(u64::from_le_bytes(word));
        if found != 0 {
            return Some(at + (found.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    let tail = chunks.remainder();
    tail.iter().position(|&b| stops(b)).map(|i| at + i)
}

/// The members of `json`, an object the [`Writer`] wrote, after its first ones that `names`
/// names (each once, in any order), and after the comma that follows them: `"b":2}` of
/// `{"a":1,"b":2}` after `["a"]`, `}` of `{"a":1}`. What a dedup key hashes is the object
/// without payhook's members, which a payload writes first.
pub(crate) fn after_members<'t>(json: &'t str, names: &[&str]) -> &'t str {
    let bytes = json.as_bytes();
    let mut at = 1; // after `{`
    'members: loop {
        for name in names {
            let key = bytes.get(at..).and_then(|b| b.strip_prefix(b"\""));
            let value = key
                .and_then(|b| b.strip_prefix(name.as_bytes()))
                .and_then(|b| b.strip_prefix(b"\":"));
            if value.is_some() {
                at = value_end(bytes, at + name.len() + 3);
                if bytes.get(at) == Some(&b',') {
                    at += 1;
                }
                continue 'members;
            }
        }
        break;
    }
    json.get(at..).unwrap_or("}")
}

/// Where the value that starts at `at` in compact JSON text ends: after a string, array or
/// object; at the `,` or `}` after a number or literal.
fn value_end(bytes: &[u8], mut at: usize) -> usize {
    let mut depth = 0usize;
    while let Some(&b) = bytes.get(at) {
        match b {
            b'"' => {
                at = string_end(bytes, at);
                if depth == 0 {
                    return at;
                }
                continue;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' if depth <= 1 => return at + depth,
            b'}' | b']' => depth -= 1,
            b',' if depth == 0 => return at,
            _ => {}
        }
        at += 1;
    }
    at
}

/// Where the string whose `"` is at `start` ends: after its closing `"`.
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut at = start + 1;
    while let Some(rest) = bytes.get(at..) {
        let Some(found) = special(rest) else {
            break;
        };
        at += found;
        match bytes.get(at) {
            Some(b'"') => return at + 1,
            Some(b'\\') => at += 2,
            _ => at += 1, // a control character: not in written text
        }
    }
    bytes.len()
}

/// Why parsing stopped: an issue code, what was wrong (serde_json's wording) and the byte
/// offset; or a repeated key, with its path collected innermost first as the error returns.
enum Fail {
    At(&'static str, &'static str, usize),
    Duplicate(Vec<Segment>),
}

impl Fail {
    /// The failure of a member's value or an element: a repeated key inside it gets
    /// `segment` on its path.
    fn within(self, segment: impl FnOnce() -> Segment) -> Fail {
        match self {
            Fail::Duplicate(mut path) => {
                path.push(segment());
                Fail::Duplicate(path)
            }
            other => other,
        }
    }
}

enum Segment {
    Key(String),
    Index(usize),
}

/// `line L column C` of the error at byte `at`, as serde_json words a position: the lines
/// and bytes read up to and including the offending byte (at the end, all of them), which
/// the validator page turns back into a place in the text.
fn position(text: &str, at: usize) -> String {
    let read = text.as_bytes().get(..=at).unwrap_or(text.as_bytes());
    let line = read.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = read.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    format!("at line {line} column {}", read.len() - line_start)
}

/// A recursive-descent JSON parser (RFC 8259) building serde_json's `Value` (or [`Item`]s),
/// nesting bounded by [`MAX_DEPTH`], a repeated key refused where it is met. Written here
/// instead of going through serde_json's `Deserializer` and a seed: that path was a third of
/// the wasm module, and the duplicate check then needed a side channel out of serde's errors.
/// Its results are serde_json's, value for value (a fuzz target holds the two together):
/// integers as `u64` or `i64`, every other number as the nearest `f64` (`-0` included),
/// strings with lone surrogates refused.
struct Parser<'a> {
    text: &'a str,
    at: usize,
    depth: usize,
    /// The members of the objects being read, innermost last: an object's are moved out
    /// into a `Vec` of their own when it closes, so they take one allocation, made to size.
    open: Members<'a>,
}

type Parsed<T> = Result<T, Fail>;

/// Up to this many members, a key is checked against the object's earlier keys one by one;
/// past it, through a set of them (a huge object must not take quadratic time). Natively, an
/// R2 event whose `financing` has 30 members took a quarter fewer instructions scanned than
/// with the set from the 17th member on.
const SCANNED: usize = 32;

/// A key's bit of 64, from its length and last byte: a key whose bit no earlier key of its
/// object set is new, without comparing it with each of them (most keys of an R2 financing
/// were compared with all before them).
fn key_mark(key: &str) -> u64 {
    let last = key.as_bytes().last().copied().unwrap_or_default();
    1 << ((key.len() as u32 ^ u32::from(last).wrapping_mul(5)) & 63)
}

/// Room made at the start for the members of the open objects, so that the list is not grown
/// (and copied) a member at a time at first. Not more: natively, a larger first allocation
/// fell out of the allocator's fast path and cost more than the growth it saved.
const OPEN: usize = 16;

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Self {
        Parser {
            text,
            at: 0,
            depth: 0,
            open: Vec::with_capacity(OPEN),
        }
    }

    fn document(&mut self) -> Parsed<Item<'a>> {
        let value = self.item()?;
        self.skip_whitespace();
        match self.peek() {
            None => Ok(value),
            Some(_) => Err(self.syntax("trailing characters")),
        }
    }

    fn syntax(&self, what: &'static str) -> Fail {
        Fail::At("syntax", what, self.at)
    }

    /// `what` when input is left, else the end-of-input error of the construct being read.
    fn unexpected(&self, what: &'static str, eof: &'static str) -> Fail {
        self.syntax(if self.peek().is_some() { what } else { eof })
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.at += 1;
        }
    }

    fn word(&mut self, word: &str, value: Value) -> Parsed<Value> {
        let rest = self.text.as_bytes().get(self.at..).unwrap_or_default();
        if rest.starts_with(word.as_bytes()) {
            self.at += word.len();
            return Ok(value);
        }
        // Stop at the first byte that differs, as serde_json does.
        let same = rest
            .iter()
            .zip(word.as_bytes())
            .take_while(|(a, b)| a == b)
            .count();
        self.at += same;
        Err(self.unexpected("expected ident", "EOF while parsing a value"))
    }

    /// A value (or the whole document): an object is kept as its members, an array as its
    /// items, a string as its text.
    fn item(&mut self) -> Parsed<Item<'a>> {
        self.skip_whitespace();
        let value = match self.peek() {
            None => return Err(self.syntax("EOF while parsing a value")),
            Some(b'{') => return self.nested(Self::object).map(Item::Object),
            Some(b'[') => return self.nested(Self::array).map(Item::Array),
            Some(b'"') => return self.string().map(Item::Text),
            Some(b't') => self.word("true", Value::Bool(true)),
            Some(b'f') => self.word("false", Value::Bool(false)),
            Some(b'n') => self.word("null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number().map(Value::Number),
            Some(_) => Err(self.syntax("expected value")),
        };
        value.map(Item::Value)
    }

    /// An object or an array; `self.at` is on its opening bracket.
    fn nested<T>(&mut self, read: fn(&mut Self) -> Parsed<T>) -> Parsed<T> {
        if self.depth == MAX_DEPTH {
            return Err(Fail::At("too_deep", "recursion limit exceeded", self.at));
        }
        self.depth += 1;
        self.at += 1;
        let value = read(self);
        self.depth -= 1;
        value
    }

    fn object(&mut self) -> Parsed<Members<'a>> {
        let first = self.open.len();
        self.members(first)?;
        if self.depth == 1 {
            // The document's own object: nothing is open around it, the list is all its own.
            return Ok(core::mem::take(&mut self.open));
        }
        Ok(self.open.split_off(first))
    }

    /// An object's members, onto `self.open` from `first` on.
    fn members(&mut self, first: usize) -> Parsed<()> {
        const EOF: &str = "EOF while parsing an object";
        // The keys read, once there are more than `SCANNED`: a `Map` (of nulls), whose code
        // the module has anyway, not a set of its own.
        let mut keys: Option<Map<String, Value>> = None;
        // Up to `SCANNED`, the marks of the keys read (see `key_mark`).
        let mut marks = 0u64;
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(());
        }
        loop {
            if self.peek() != Some(b'"') {
                return Err(self.unexpected("key must be a string", EOF));
            }
            let key = self.string()?;
            let earlier = self.open.get(first..).unwrap_or_default();
            let repeated = match &mut keys {
                Some(keys) => keys.insert(key.to_string(), Value::Null).is_some(),
                None if earlier.len() < SCANNED => {
                    let mark = key_mark(&key);
                    let maybe = marks & mark != 0;
                    marks |= mark;
                    maybe && earlier.iter().any(|(k, _)| *k == key)
                }
                None => {
                    let set = keys.insert(Map::new());
                    for (k, _) in earlier {
                        set.insert(k.to_string(), Value::Null);
                    }
                    set.insert(key.to_string(), Value::Null).is_some()
                }
            };
            if repeated {
                return Err(Fail::Duplicate(vec![Segment::Key(key.into_owned())]));
            }
            self.skip_whitespace();
            if self.peek() != Some(b':') {
                return Err(self.unexpected("expected `:`", EOF));
            }
            self.at += 1;
            let value = self
                .item()
                .map_err(|e| e.within(|| Segment::Key(key.to_string())))?;
            self.open.push((key, value));
            if self.separator(b'}', "expected `,` or `}`", EOF)? {
                return Ok(());
            }
        }
    }

    fn array(&mut self) -> Parsed<Vec<Item<'a>>> {
        const EOF: &str = "EOF while parsing a list";
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek().is_none() {
            return Err(self.syntax(EOF));
        }
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok(items);
        }
        loop {
            let index = items.len();
            items.push(
                self.item()
                    .map_err(|e| e.within(|| Segment::Index(index)))?,
            );
            if self.separator(b']', "expected `,` or `]`", EOF)? {
                return Ok(items);
            }
        }
    }

    /// After a member or an element: `true` at the closing bracket `close`, `false` after a
    /// comma followed by more.
    fn separator(&mut self, close: u8, expected: &'static str, eof: &'static str) -> Parsed<bool> {
        self.skip_whitespace();
        match self.peek() {
            Some(b',') => {
                self.at += 1;
                self.skip_whitespace();
                match self.peek() {
                    Some(b) if b == close => Err(self.syntax("trailing comma")),
                    None => Err(self.syntax("EOF while parsing a value")),
                    Some(_) => Ok(false),
                }
            }
            Some(b) if b == close => {
                self.at += 1;
                Ok(true)
            }
            _ => Err(self.unexpected(expected, eof)),
        }
    }

    /// A string; `self.at` is on its opening quote. Unescaped runs are copied whole.
    fn string(&mut self) -> Parsed<Cow<'a, str>> {
        self.at += 1;
        let mut out = String::new();
        loop {
            let rest = self.text.as_bytes().get(self.at..).unwrap_or_default();
            let Some(stop) = special(rest) else {
                self.at = self.text.len();
                return Err(self.syntax(EOF_IN_STRING));
            };
            let run = self.text.get(self.at..self.at + stop).unwrap_or_default();
            self.at += stop;
            match rest.get(stop) {
                Some(b'"') => {
                    self.at += 1;
                    if out.is_empty() {
                        return Ok(Cow::Borrowed(run));
                    }
                    out.push_str(run);
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => {
                    out.push_str(run);
                    self.at += 1;
                    out.push(self.escape()?);
                }
                _ => {
                    return Err(self.syntax(
                        "control character (\\u0000-\\u001F) found while parsing a string",
                    ));
                }
            }
        }
    }

    /// The character an escape stands for; `self.at` is past the backslash.
    fn escape(&mut self) -> Parsed<char> {
        let Some(b) = self.peek() else {
            return Err(self.syntax(EOF_IN_STRING));
        };
        let c = match b {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                self.at += 1;
                return self.unicode_escape();
            }
            _ => return Err(self.syntax("invalid escape")),
        };
        self.at += 1;
        Ok(c)
    }

    /// `\uXXXX`, or a surrogate pair of two; a lone surrogate is refused (a Rust string
    /// cannot hold one).
    fn unicode_escape(&mut self) -> Parsed<char> {
        const LONE: &str = "lone leading surrogate in hex escape";
        // A lone surrogate is reported at its last hex digit, as serde_json does.
        let lone = |parser: &Self| Fail::At("syntax", LONE, parser.at - 1);
        let first = self.hex4()?;
        let code = match first {
            0xDC00..=0xDFFF => return Err(lone(self)),
            0xD800..=0xDBFF => {
                // The low half must follow as `\u`: each byte is read, then checked.
                for expected in [b'\\', b'u'] {
                    match self.peek() {
                        None => return Err(self.syntax(EOF_IN_STRING)),
                        Some(b) if b == expected => self.at += 1,
                        Some(_) => return Err(self.syntax("unexpected end of hex escape")),
                    }
                }
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(lone(self));
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            n => n,
        };
        char::from_u32(code).ok_or_else(|| self.syntax("invalid unicode code point"))
    }

    /// Four hex digits, all read before any is checked (serde_json's error position).
    fn hex4(&mut self) -> Parsed<u32> {
        let Some(digits) = self.text.as_bytes().get(self.at..self.at + 4) else {
            self.at = self.text.len();
            return Err(self.syntax(EOF_IN_STRING));
        };
        let n = digits.iter().try_fold(0, |n, &b| {
            char::from(b).to_digit(16).map(|digit| n * 16 + digit)
        });
        self.at += 4;
        n.ok_or(Fail::At("syntax", "invalid escape", self.at - 1))
    }

    /// A number, as serde_json reads it: an integer literal that fits is a `u64` (or, negative,
    /// an `i64`), anything else the nearest `f64`; one beyond `f64` range is refused.
    fn number(&mut self) -> Parsed<Number> {
        let start = self.at;
        let negative = self.peek() == Some(b'-');
        if negative {
            self.at += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.at += 1;
                if let Some(b'0'..=b'9') = self.peek() {
                    return Err(self.syntax("invalid number"));
                }
            }
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.unexpected("invalid number", "EOF while parsing a value")),
        }
        let mut integer = true;
        if self.peek() == Some(b'.') {
            integer = false;
            self.at += 1;
            self.required_digits()?;
        }
        if let Some(b'e' | b'E') = self.peek() {
            integer = false;
            self.at += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.at += 1;
            }
            self.required_digits()?;
        }
        let literal = self.text.get(start..self.at).unwrap_or_default();
        if integer {
            let digits = literal.strip_prefix('-').unwrap_or(literal);
            if let Ok(n) = digits.parse::<u64>() {
                if !negative {
                    return Ok(n.into());
                }
                // serde_json's reading: -0 and anything below i64::MIN are floats.
                let n = (n as i64).wrapping_neg();
                if n < 0 {
                    return Ok(n.into());
                }
            }
        }
        float::parse(literal)
            .and_then(Number::from_f64)
            .ok_or(Fail::At(
                "number_out_of_range",
                "number out of range",
                self.at - 1,
            ))
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.at += 1;
        }
    }

    fn required_digits(&mut self) -> Parsed<()> {
        match self.peek() {
            Some(b'0'..=b'9') => {
                self.digits();
                Ok(())
            }
            _ => Err(self.unexpected("invalid number", "EOF while parsing a value")),
        }
    }
}

const EOF_IN_STRING: &str = "EOF while parsing a string";

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

    #[test]
    fn after_members_skips_the_first_members_named() {
        let names = &["event_type", "seen"];
        for (json, after) in [
            (
                r#"{"event_type":"x","seen":[],"event":{}}"#,
                r#""event":{}}"#,
            ),
            (
                r#"{"seen":["a\"],","b"],"event_type":"x","a":1}"#,
                r#""a":1}"#,
            ),
            (r#"{"event_type":"x","seen":[]}"#, "}"),
            (r#"{"event_type":"x"}"#, "}"),
            (
                r#"{"seen":{"a":[1,{"b":"}"}],"c":-0.5},"z":1}"#,
                r#""z":1}"#,
            ),
            (r#"{"seen":12,"z":1}"#, r#""z":1}"#),
            (r#"{"seen":null}"#, "}"),
            // Only first members: a later one is hashed, a longer name is another member.
            (r#"{"a":1,"seen":[]}"#, r#""a":1,"seen":[]}"#),
            (r#"{"seenx":1}"#, r#""seenx":1}"#),
            (r#"{"seen\u0000":1}"#, r#""seen\u0000":1}"#),
            ("{}", "}"),
            // Text the writer did not write gives something, never a panic.
            ("", "}"),
            ("{", ""),
            (r#"{"seen":"#, ""),
            (r#"{"seen":"unterminated"#, ""),
            (r#"{"seen":[[[["#, ""),
        ] {
            assert_eq!(after_members(json, names), after, "{json}");
        }
    }

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
    fn members_are_sorted_as_a_map_holds_them() {
        let mut state: u64 = 3;
        for len in (0..40).chain([200]) {
            for _ in 0..50 {
                let mut keys: Vec<String> = (0..len).map(|i| format!("k{i}")).collect();
                for i in (1..keys.len()).rev() {
                    state = state
                        .wrapping_mul(6_364_136_223_846_793_005)
                        .wrapping_add(1_442_695_040_888_963_407);
                    keys.swap(i, (state >> 33) as usize % (i + 1));
                }
                let body = format!(
                    "{{{}}}",
                    keys.iter()
                        .map(|k| format!("\"{k}\":\"{k}\""))
                        .collect::<Vec<_>>()
                        .join(",")
                );
                let mut members = parse_members(body.as_bytes(), DEFAULT_MAX_BYTES).unwrap();
                sort_members(&mut members);
                let sorted: Vec<_> = members
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.as_str().map(str::to_owned)))
                    .collect();
                keys.sort();
                let expected: Vec<_> = keys.iter().map(|k| (k.clone(), Some(k.clone()))).collect();
                assert_eq!(sorted, expected);
            }
        }
    }

    #[test]
    fn keys_sharing_a_mark_are_told_apart() {
        assert_eq!(key_mark("ab"), key_mark("cb"));
        assert!(code(br#"{"ab":1,"cb":2,"o":{"xb":1,"yb":2}}"#).is_ok());
        assert_eq!(
            code(br#"{"ab":1,"cb":2,"ab":3}"#),
            Err(("payload_invalid", "/ab".into(), "duplicate_key"))
        );
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
