//! The validation walker: reads typed fields out of a JSON object, collecting an [`Issue`]
//! for each problem instead of stopping at the first.
//!
//! A reader returns `None` when the field is absent (or `null`, for optional fields) or when
//! it recorded an issue; required fields then fall back to a default, and the caller keeps
//! the value only if no issue was recorded. Readers remove members from the parsed tree
//! rather than copying them: what is left is what the model does not know. They give the
//! borrowed form of a model's fields ([`super::shape::Owned`]): strings borrowed from the body
//! unless escaped, objects kept whole as parsed.

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::shape::{ArrayRef, ObjectRef};
use super::{Amount, Issue, MAX_SAFE_INTEGER, Seen};
use crate::json::{Item, Members, item_kind, kind, member, pointer, to_string};

/// What the walk has found so far.
pub(crate) struct Ctx {
    pub strict: bool,
    pub issues: Vec<Issue>,
    pub seen: Vec<Seen>,
}

/// Whether a field must be present.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Need {
    Required,
    Optional,
}
pub(crate) use Need::Required;

/// One object being read: the members not read yet, as parsed (objects in them not made
/// `Map`s: a model's are read as `Obj`s in turn), and where it is.
pub(crate) struct Obj<'a, 'p> {
    members: Members<'a>,
    path: Path<'p>,
}

/// Where an object is: the members leading to it from the top, made a JSON Pointer only
/// when an issue names it (a `String` per object read was 3 of the 49 allocations of an R2
/// delivery). Each object reached is read while its parent waits, so it borrows the
/// parent's place.
#[derive(Clone, Copy)]
pub(crate) enum Path<'p> {
    Top,
    Member(&'p Path<'p>, &'static str),
}

impl Path<'_> {
    /// As a JSON Pointer: `""` at the top, `/event/event_metadata` below it.
    fn pointer(&self) -> String {
        match self {
            Path::Top => String::new(),
            Path::Member(up, key) => pointer(&up.pointer(), key),
        }
    }
}

impl<'a, 'p> Obj<'a, 'p> {
    pub fn new(mut members: Members<'a>, path: Path<'p>) -> Self {
        // Last first: a model reads its members in about the order a provider sends them,
        // so each is found at the end of the list, and taken from there without a move.
        members.reverse();
        Obj { members, path }
    }

    /// An object already parsed as a `Map` (`from_json`).
    pub fn from_map(map: Map<String, Value>, path: Path<'p>) -> Self {
        let members = map
            .into_iter()
            .map(|(key, value)| (Cow::Owned(key), Item::Value(value)))
            .collect();
        Obj { members, path }
    }

    /// `key`'s value, left unread.
    pub fn get(&self, key: &str) -> Option<&Item<'a>> {
        member(&self.members, key)
    }

    #[inline(never)]
    pub fn at(&self, key: &str) -> String {
        pointer(&self.path.pointer(), key)
    }

    /// The members not read (nor reserved), as sent (in no order).
    pub fn unread(&mut self) -> Members<'a> {
        core::mem::take(&mut self.members)
    }

    /// Moves `key`'s value out, as sent (`null` included), so that it is no longer unread.
    /// The last member takes its place (no shift of the rest): the members left become a
    /// `Map`, whatever their order.
    #[inline(never)]
    pub fn raw(&mut self, key: &'static str) -> Option<Item<'a>> {
        let at = self.members.iter().rposition(|(k, _)| k == key)?;
        Some(self.members.swap_remove(at).1)
    }
}

/// A value cut to 64 characters, for `found`: as a JSON string (not Rust's `{:?}`, whose
/// escaping of non-printable characters brings the Unicode tables into the wasm).
pub(crate) fn quote(s: &str) -> String {
    match s.char_indices().nth(64) {
        Some((end, _)) => to_string(s.get(..end).unwrap_or_default()) + "…",
        None => to_string(s),
    }
}

impl Ctx {
    pub fn new(strict: bool) -> Self {
        Ctx {
            strict,
            issues: Vec::new(),
            seen: Vec::new(),
        }
    }

    /// Records `seen` once, keeping the list in order as it grows: no sort at the end (each
    /// sort instantiation costs kilobytes of wasm). Out of line: a dozen readers record, and
    /// the search and insertion inlined in each cost 3.5 KB of wasm.
    #[inline(never)]
    pub fn see(&mut self, seen: Seen) {
        if let Err(at) = self.seen.binary_search(&seen) {
            self.seen.insert(at, seen);
        }
    }

    /// Out of line: an issue is a large value, moved and pushed at every refusal site.
    #[inline(never)]
    pub fn push(&mut self, issue: Issue) {
        self.issues.push(issue);
    }

    pub fn wrong_type(&mut self, path: String, expected: &str, value: &Value) {
        self.push(
            Issue::new(&path, "wrong_type", format!("expected {expected}"))
                .expected(expected)
                .found(kind(value)),
        );
    }

    pub fn invalid(&mut self, path: String, message: &str, expected: &str, found: &str) {
        self.push(
            Issue::new(&path, "invalid_value", message)
                .expected(expected)
                .found(quote(found)),
        );
    }

    /// The field's value, or `None` (with a `missing` issue when required). `null` counts
    /// as absent: Belvo sends `"failure_code": null` where nothing failed.
    fn field(
        &mut self,
        obj: &mut Obj<'_, '_>,
        key: &'static str,
        need: Need,
        expected: &str,
    ) -> Option<Value> {
        self.item(obj, key, need, expected).map(Item::into_value)
    }

    /// [`Ctx::field`], an object left as parsed.
    #[inline(never)]
    fn item<'a>(
        &mut self,
        obj: &mut Obj<'a, '_>,
        key: &'static str,
        need: Need,
        expected: &str,
    ) -> Option<Item<'a>> {
        match obj.raw(key) {
            Some(Item::Value(Value::Null)) | None => {
                if need == Required {
                    let path = obj.at(key);
                    self.push(
                        Issue::new(&path, "missing", format!("`{key}` is required"))
                            .expected(expected),
                    );
                }
                None
            }
            Some(value) => Some(value),
        }
    }

    /// A string, borrowed from the body when it has no escape.
    #[inline(never)]
    pub fn string<'a>(
        &mut self,
        obj: &mut Obj<'a, '_>,
        key: &'static str,
        need: Need,
    ) -> Option<Cow<'a, str>> {
        match self.item(obj, key, need, "string")? {
            Item::Text(s) => Some(s),
            Item::Value(Value::String(s)) => Some(Cow::Owned(s)),
            other => {
                self.wrong_type(obj.at(key), "string", &other.into_value());
                None
            }
        }
    }

    /// A non-empty string: identifiers.
    #[inline(never)]
    pub fn id<'a>(
        &mut self,
        obj: &mut Obj<'a, '_>,
        key: &'static str,
        need: Need,
    ) -> Option<Cow<'a, str>> {
        let s = self.string(obj, key, need)?;
        if s.is_empty() {
            self.invalid(
                obj.at(key),
                "an identifier must not be empty",
                "a non-empty string",
                &s,
            );
            return None;
        }
        Some(s)
    }

    #[inline(never)]
    pub fn known<E: for<'s> From<&'s str> + KnownEnum>(
        &mut self,
        obj: &mut Obj<'_, '_>,
        key: &'static str,
        need: Need,
    ) -> Option<E> {
        let value = E::from(&self.string(obj, key, need)?);
        if value.is_other() {
            self.see(Seen::UnknownValue);
        }
        Some(value)
    }

    #[inline(never)]
    pub fn amount(
        &mut self,
        obj: &mut Obj<'_, '_>,
        key: &'static str,
        need: Need,
    ) -> Option<Amount> {
        match self.field(obj, key, need, "number")? {
            Value::Number(n) => Some(Amount(n)),
            other => {
                self.wrong_type(obj.at(key), "number", &other);
                None
            }
        }
    }

    /// A count: a JSON integer in `0..=2^53-1`. Larger ones are refused: in JavaScript they
    /// round, and `dedupKey(event)` would then read another count or none.
    #[inline(never)]
    pub fn count(&mut self, obj: &mut Obj<'_, '_>, key: &'static str, need: Need) -> Option<u64> {
        const EXPECTED: &str = "an integer in 0..=9007199254740991";
        match self.field(obj, key, need, "integer")? {
            Value::Number(n) => {
                let count = n.as_u64().filter(|c| *c <= MAX_SAFE_INTEGER);
                if count.is_none() {
                    let found = n.to_string();
                    self.invalid(obj.at(key), "not a count", EXPECTED, &found);
                }
                count
            }
            other => {
                self.wrong_type(obj.at(key), "integer", &other);
                None
            }
        }
    }

    /// Unix time in seconds: a JSON integer or a string of ASCII digits (R2 sends both), in
    /// `0..=2^53-1`, a time JavaScript holds exactly (a larger one would round there, and
    /// `dedupKey(event)` would read another time or refuse it). Returns the time and whether
    /// it came as a string.
    #[inline(never)]
    pub fn unix_time(
        &mut self,
        obj: &mut Obj<'_, '_>,
        key: &'static str,
        need: Need,
    ) -> Option<(i64, bool)> {
        const EXPECTED: &str =
            "unix seconds: an integer or a string of digits, at most 9007199254740991";
        let exact = |secs: u64| {
            i64::try_from(secs)
                .ok()
                .filter(|_| secs <= MAX_SAFE_INTEGER)
        };
        let item = self.item(obj, key, need, EXPECTED)?;
        let digits = match &item {
            Item::Text(s) => Some(s.as_ref()),
            Item::Value(Value::String(s)) => Some(s.as_str()),
            _ => None,
        };
        if let Some(s) = digits {
            let secs = if s.bytes().all(|b| b.is_ascii_digit()) {
                s.parse::<u64>().ok().and_then(exact)
            } else {
                None
            };
            if secs.is_none() {
                self.invalid(
                    obj.at(key),
                    "not a string of digits from 0 to 2^53-1",
                    EXPECTED,
                    s,
                );
            }
            return secs.map(|s| (s, true));
        }
        match item.into_value() {
            Value::Number(n) => {
                let secs = n.as_u64().and_then(exact);
                if secs.is_none() {
                    let found = n.to_string();
                    self.invalid(
                        obj.at(key),
                        "not a whole number of seconds from 0 to 2^53-1",
                        EXPECTED,
                        &found,
                    );
                }
                secs.map(|s| (s, false))
            }
            other => {
                self.wrong_type(obj.at(key), EXPECTED, &other);
                None
            }
        }
    }

    /// An R2 time other than `event_time`: same rules, recorded as `timestamp_as_string`.
    #[inline(never)]
    pub fn timestamp(
        &mut self,
        obj: &mut Obj<'_, '_>,
        key: &'static str,
        need: Need,
    ) -> Option<i64> {
        let (secs, as_string) = self.unix_time(obj, key, need)?;
        if as_string {
            self.see(Seen::TimestampAsString);
        }
        Some(secs)
    }

    /// An object, to read further.
    #[inline(never)]
    pub fn object<'a, 'p>(
        &mut self,
        obj: &'p mut Obj<'a, '_>,
        key: &'static str,
        need: Need,
    ) -> Option<Obj<'a, 'p>> {
        let item = self.item(obj, key, need, "object")?;
        let path = Path::Member(&obj.path, key);
        match item {
            Item::Object(members) => Some(Obj::new(members, path)),
            Item::Value(Value::Object(map)) => Some(Obj::from_map(map, path)),
            other => {
                self.wrong_type(obj.at(key), "object", &other.into_value());
                None
            }
        }
    }

    /// R2's `event_time`: [`Ctx::unix_time`], recorded as `event_time_as_string` or
    /// `event_time_as_integer`.
    #[inline(never)]
    pub fn event_time(
        &mut self,
        obj: &mut Obj<'_, '_>,
        key: &'static str,
        need: Need,
    ) -> Option<i64> {
        let (secs, as_string) = self.unix_time(obj, key, need)?;
        self.see(if as_string {
            Seen::EventTimeAsString
        } else {
            Seen::EventTimeAsInteger
        });
        Some(secs)
    }

    /// R2's `event_metadata`: [`Ctx::object`], recorded as `event_metadata_absent` when the
    /// member is not there at all.
    #[inline(never)]
    pub fn metadata<'a, 'p>(
        &mut self,
        obj: &'p mut Obj<'a, '_>,
        key: &'static str,
        need: Need,
    ) -> Option<Obj<'a, 'p>> {
        let present = obj.get(key).is_some();
        let found = self.object(obj, key, need);
        if found.is_none() && !present {
            self.see(Seen::EventMetadataAbsent);
        }
        found
    }

    /// Belvo's `webhook_id`: 32 hex digits (`webhook_id_hex`) or a dashed UUID
    /// (`webhook_id_uuid`).
    #[inline(never)]
    pub fn webhook_id<'a>(
        &mut self,
        obj: &mut Obj<'a, '_>,
        key: &'static str,
        need: Need,
    ) -> Option<Cow<'a, str>> {
        let id = self.string(obj, key, need)?;
        // Hex digits, and for a UUID dashes after the 8th, 12th, 16th and 20th (groups of 8,
        // 4, 4, 4 and 12): checked byte by byte, without splitting the id.
        let hex_but = |dashes: &[usize]| {
            id.bytes()
                .enumerate()
                .all(|(i, b)| match dashes.contains(&i) {
                    true => b == b'-',
                    false => b.is_ascii_hexdigit(),
                })
        };
        if id.len() == 32 && hex_but(&[]) {
            self.see(Seen::WebhookIdHex);
        } else if id.len() == 36 && hex_but(&[8, 13, 18, 23]) {
            self.see(Seen::WebhookIdUuid);
        } else {
            self.invalid(
                obj.at(key),
                "not a webhook id",
                "32 hex digits or a dashed UUID",
                &id,
            );
        }
        Some(id)
    }

    /// Belvo's `external_id`: absent, `null` or a string, each recorded.
    #[inline(never)]
    pub fn external_id<'a>(
        &mut self,
        obj: &mut Obj<'a, '_>,
        key: &'static str,
        _need: Need,
    ) -> Option<Cow<'a, str>> {
        match obj.raw(key) {
            None => {
                self.see(Seen::ExternalIdAbsent);
                None
            }
            Some(Item::Value(Value::Null)) => {
                self.see(Seen::ExternalIdNull);
                None
            }
            Some(Item::Text(s)) => {
                self.see(Seen::ExternalIdPresent);
                Some(s)
            }
            Some(Item::Value(Value::String(s))) => {
                self.see(Seen::ExternalIdPresent);
                Some(Cow::Owned(s))
            }
            Some(other) => {
                self.wrong_type(obj.at(key), "string or null", &other.into_value());
                None
            }
        }
    }

    /// Belvo's `failure_code`: a string, kept as sent, recorded as
    /// `failure_code_upper_case` or `failure_code_lower_case`.
    #[inline(never)]
    pub fn failure_code<'a>(
        &mut self,
        obj: &mut Obj<'a, '_>,
        key: &'static str,
        need: Need,
    ) -> Option<Cow<'a, str>> {
        let code = self.string(obj, key, need)?;
        let upper = code.bytes().any(|b| b.is_ascii_uppercase());
        let lower = code.bytes().any(|b| b.is_ascii_lowercase());
        match (upper, lower) {
            (true, false) => self.see(Seen::FailureCodeUpperCase),
            (false, true) => self.see(Seen::FailureCodeLowerCase),
            _ => {}
        }
        Some(code)
    }

    /// An object kept whole (user `metadata`): never checked for unknown fields.
    #[inline(never)]
    pub fn open_object<'a>(
        &mut self,
        obj: &mut Obj<'a, '_>,
        key: &'static str,
        need: Need,
    ) -> Option<ObjectRef<'a>> {
        match self.item(obj, key, need, "object")? {
            Item::Object(members) => Some(ObjectRef::parsed(members)),
            Item::Value(Value::Object(map)) => Some(ObjectRef::Map(Cow::Owned(map))),
            other => {
                self.wrong_type(obj.at(key), "object", &other.into_value());
                None
            }
        }
    }

    #[inline(never)]
    pub fn array<'a>(
        &mut self,
        obj: &mut Obj<'a, '_>,
        key: &'static str,
        need: Need,
    ) -> Option<ArrayRef<'a>> {
        match self.item(obj, key, need, "array")? {
            Item::Array(items) => Some(ArrayRef::parsed(items)),
            Item::Value(Value::Array(values)) => Some(ArrayRef::parsed(
                values.into_iter().map(Item::Value).collect(),
            )),
            other => {
                self.wrong_type(obj.at(key), "array", &other.into_value());
                None
            }
        }
    }

    /// payhook's own top-level members (`added`) found in a body: dropped, and recorded as
    /// `reserved_field_dropped` (lenient) or flagged (strict).
    #[inline(never)]
    pub fn reserved(&mut self, top: &mut Obj<'_, '_>, added: &'static [&'static str]) {
        for key in added {
            if top.raw(key).is_some() {
                if self.strict {
                    let path = top.at(key);
                    self.push(Issue::new(
                        &path,
                        "unknown_field",
                        format!("`{key}` is not a documented field"),
                    ));
                } else {
                    self.see(Seen::ReservedFieldDropped);
                }
            }
        }
    }

    /// The members the model does not know: kept (lenient), or flagged (strict).
    #[inline(never)]
    pub fn rest<'a>(&mut self, obj: &mut Obj<'a, '_>) -> ObjectRef<'a> {
        let unread = ObjectRef::parsed(obj.unread());
        if !self.strict {
            if !unread.is_empty() {
                self.see(Seen::UnknownFields);
            }
            return unread;
        }
        if let ObjectRef::Parsed(members) = &unread {
            for (key, item) in members {
                let path = obj.at(key);
                self.push(
                    Issue::new(
                        &path,
                        "unknown_field",
                        format!("`{key}` is not a documented field"),
                    )
                    .found(item_kind(item)),
                );
            }
        }
        ObjectRef::Parsed(Vec::new())
    }
}

/// Implemented by every `known_enum!` type.
pub(crate) trait KnownEnum {
    fn is_other(&self) -> bool;
}

impl KnownEnum for String {
    fn is_other(&self) -> bool {
        false
    }
}
