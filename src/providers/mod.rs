//! Typed payloads of both providers: validation that reports every problem by path,
//! content-derived dedup keys, and each provider's acknowledgement and retry schedule.
//!
//! Validation walks a `serde_json::Value` instead of using `#[derive(Deserialize)]`, which
//! stops at the first error: a receiver debugging a rejected delivery wants every problem
//! at once, each with a JSON Pointer.
//!
//! The providers' documents contradict each other (an `event_time` string or integer, a
//! 32-hex or UUID `webhook_id`, …): every documented variant is accepted and the parsed
//! value's `seen` list says which one arrived.

use core::fmt;
use core::time::Duration;

use serde::ser::{Serialize, SerializeStruct, Serializer};
use serde_json::ser::{CompactFormatter, Formatter};
use serde_json::{Number, Value};
use sha2::{Digest, Sha256};

use crate::{Error, b64};

pub mod belvo;
pub mod r2;
pub mod shape;
mod walk;

/// How to parse a body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// Refuse unknown event types (`unknown_event_type`) and flag unknown fields
    /// (`unknown_field`). Off by default: providers add types and fields without notice.
    pub strict: bool,
    /// The largest body accepted, in bytes.
    pub max_bytes: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            strict: false,
            max_bytes: crate::json::DEFAULT_MAX_BYTES,
        }
    }
}

impl Options {
    /// The defaults with strict mode on.
    pub fn strict() -> Self {
        Options {
            strict: true,
            ..Options::default()
        }
    }
}

/// One problem found in a payload.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Issue {
    /// Where: a JSON Pointer (RFC 6901) into the body; `""` is the whole body.
    pub path: String,
    /// What, as a stable snake_case code: `missing`, `wrong_type`, `invalid_value`,
    /// `unknown_field`, `unknown_event_type`, `duplicate_key`, or one of the body-level
    /// codes of [`crate::json`].
    pub code: &'static str,
    /// A human-readable explanation.
    pub message: String,
    /// What was expected, when that can be said briefly.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    /// What was found (a JSON type, or a value cut to 64 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub found: Option<String>,
}

impl Issue {
    pub(crate) fn new(path: &str, code: &'static str, message: impl Into<String>) -> Self {
        Issue {
            path: path.to_owned(),
            code,
            message: message.into(),
            expected: None,
            found: None,
        }
    }

    pub(crate) fn expected(mut self, expected: impl Into<String>) -> Self {
        self.expected = Some(expected.into());
        self
    }

    pub(crate) fn found(mut self, found: impl Into<String>) -> Self {
        self.found = Some(found.into());
        self
    }
}

/// A refused payload: the [`Error`] to answer with and every issue found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PayloadError {
    /// `payload_not_json`, `payload_too_large`, `payload_invalid` or `unknown_event_type`.
    pub error: Error,
    /// Never empty.
    pub issues: Vec<Issue>,
}

impl PayloadError {
    pub(crate) fn one(error: Error, issue: Issue) -> Self {
        PayloadError {
            error,
            issues: vec![issue],
        }
    }

    /// `unknown_event_type` when that is among the issues (the caller asked for strict
    /// mode and may want to answer it differently), `payload_invalid` otherwise.
    pub(crate) fn invalid(issues: Vec<Issue>) -> Self {
        let error = if issues.iter().any(|i| i.code == "unknown_event_type") {
            Error::UnknownEventType
        } else {
            Error::PayloadInvalid
        };
        PayloadError { error, issues }
    }
}

impl fmt::Display for PayloadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({} issue", self.error, self.issues.len())?;
        if self.issues.len() != 1 {
            f.write_str("s")?;
        }
        f.write_str(")")
    }
}

impl std::error::Error for PayloadError {}

/// Serialized as `{ code, status, message, issues }`, the shape of a thrown `PayhookError`.
impl Serialize for PayloadError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("PayloadError", 4)?;
        s.serialize_field("code", self.error.code())?;
        s.serialize_field("status", &self.error.status())?;
        s.serialize_field("message", self.error.message())?;
        s.serialize_field("issues", &self.issues)?;
        s.end()
    }
}

/// The result of a `validate_*` entry point: never an error, always the full list.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Report<T> {
    /// `true` when there are no issues.
    pub ok: bool,
    /// The parsed payload, only when `ok`: a value with holes would be a trap.
    pub value: Option<T>,
    /// Every problem found, in document order per object.
    pub issues: Vec<Issue>,
}

impl<T> From<Result<T, PayloadError>> for Report<T> {
    fn from(result: Result<T, PayloadError>) -> Self {
        match result {
            Ok(value) => Report {
                ok: true,
                value: Some(value),
                issues: Vec::new(),
            },
            Err(e) => Report {
                ok: false,
                value: None,
                issues: e.issues,
            },
        }
    }
}

/// A money amount or a rate, kept as the JSON number it was.
///
/// Not `f64`: integers stay exact to 64 bits, and `1000` stays `1000`, not `1000.0`.
/// Decimals are held as the nearest `f64` and print back in their shortest form, so every
/// amount of up to 15 significant digits (`177.90` → `177.9`, `-22.58`) round-trips to the
/// same number; a JS caller gets a plain `number` either way. A decimal type would need
/// serde_json's `arbitrary_precision`, which changes `Value` for the whole crate graph.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(transparent)]
pub struct Amount(pub Number);

impl Amount {
    /// The amount as a float (exact for integers up to 2^53).
    pub fn as_f64(&self) -> f64 {
        self.0.as_f64().unwrap_or(f64::NAN)
    }

    /// The amount as an integer, when it is one.
    pub fn as_i64(&self) -> Option<i64> {
        self.0.as_i64()
    }
}

/// An enumeration documented by a provider that still takes any other string, as `Other`.
macro_rules! known_enum {
    ($(#[doc = $doc:literal])* $name:ident { $( $(#[doc = $vdoc:literal])* $variant:ident = $text:literal, )* }) => {
        $(#[doc = $doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[doc = $vdoc])* #[allow(missing_docs)] $variant, )*
            /// A value outside the documented list, kept as sent.
            Other(String),
        }

        impl $name {
            /// The documented values, in the documents' order.
            pub const KNOWN: &'static [&'static str] = &[$($text),*];

            /// This enumeration as data (see [`crate::providers::shape`]).
            pub const SHAPE: $crate::providers::shape::Enum = $crate::providers::shape::Enum {
                name: stringify!($name),
                docs: &[$($doc),*],
                values: &[$($crate::providers::shape::EnumValue {
                    text: $text,
                    docs: &[$($vdoc),*],
                }),*],
            };

            /// The documented value's text; `None` for [`Self::Other`].
            pub fn known_str(&self) -> Option<&'static str> {
                match self {
                    $( $name::$variant => Some($text), )*
                    $name::Other(_) => None,
                }
            }

            /// The value as the provider writes it.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $text, )*
                    $name::Other(s) => s,
                }
            }

            /// Whether the value is outside the documented list.
            pub fn is_other(&self) -> bool {
                matches!(self, $name::Other(_))
            }
        }

        impl $crate::providers::shape::StatusList for $name {
            const LIST: Option<&'static $crate::providers::shape::Enum> = Some(&$name::SHAPE);
        }

        impl $crate::providers::shape::InValue for $name {}

        /// An empty [`Self::Other`]: what a missing required member reads as (the payload
        /// is then refused).
        impl Default for $name {
            fn default() -> Self {
                $name::Other(String::new())
            }
        }

        impl $crate::providers::walk::KnownEnum for $name {
            fn is_other(&self) -> bool {
                matches!(self, $name::Other(_))
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                match s {
                    $( $text => $name::$variant, )*
                    other => $name::Other(other.to_owned()),
                }
            }
        }

        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
    };
}
pub(crate) use known_enum;

/// An enumeration payhook writes itself: no other value.
macro_rules! seen_enum {
    ($(#[doc = $doc:literal])* $name:ident { $( $(#[doc = $vdoc:literal])* $variant:ident = $text:literal, )* }) => {
        $(#[doc = $doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $( $(#[doc = $vdoc])* $variant, )*
        }

        impl $name {
            /// This enumeration as data (see [`crate::providers::shape`]).
            pub const SHAPE: shape::Enum = shape::Enum {
                name: stringify!($name),
                docs: &[$($doc),*],
                values: &[$(shape::EnumValue { text: $text, docs: &[$($vdoc),*] }),*],
            };

            /// The value as serialized (`event_time_as_string`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $text, )*
                }
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
    };
}

seen_enum! {
    /// Which side of a documented contradiction (or which leniency) a payload used.
    Seen {
        /// R2 `event_time` was a string of digits (the walkthrough's form).
        EventTimeAsString = "event_time_as_string",
        /// R2 `event_time` was an integer (the callbacks page's form).
        EventTimeAsInteger = "event_time_as_integer",
        /// Another R2 time (`created_at`, `due_date`, `collected_at`) was a string of digits.
        TimestampAsString = "timestamp_as_string",
        /// R2 `event_metadata` was absent (every document shows it, even empty): read as `{}`.
        EventMetadataAbsent = "event_metadata_absent",
        /// Belvo `webhook_id` was 32 hex digits.
        WebhookIdHex = "webhook_id_hex",
        /// Belvo `webhook_id` was a dashed UUID.
        WebhookIdUuid = "webhook_id_uuid",
        /// Belvo `external_id` was absent (older documents).
        ExternalIdAbsent = "external_id_absent",
        /// Belvo `external_id` was `null` (the parsed value leaves it out).
        ExternalIdNull = "external_id_null",
        /// Belvo `external_id` was a string.
        ExternalIdPresent = "external_id_present",
        /// A Belvo `failure_code` was upper case (`INSUFFICIENT_FUNDS`).
        FailureCodeUpperCase = "failure_code_upper_case",
        /// A Belvo `failure_code` was lower case (`consent_expired`).
        FailureCodeLowerCase = "failure_code_lower_case",
        /// A Belvo `webhook_type`/`webhook_code` pair the documents do not list together,
        /// parsed by its parts (the seeds' own sample is `TRANSACTIONS`/`STATUS_UPDATE`).
        UndocumentedPair = "undocumented_pair",
        /// An enumeration (status, currency, kind, …) had a value outside the documented list.
        UnknownValue = "unknown_value",
        /// Fields outside the model were present and kept (lenient mode).
        UnknownFields = "unknown_fields",
        /// A top-level member named like one payhook adds (`seen`, R2 `event_type`) was dropped.
        ReservedFieldDropped = "reserved_field_dropped",
    }
}

/// A parsed payload of either provider.
pub trait Webhook: Serialize {
    /// `r2` or `belvo`: the first part of a dedup key.
    const PROVIDER: &'static str;

    /// The event kind, for the middle part of a dedup key: `financing_created`,
    /// `PAYMENT_INTENTS.STATUS_UPDATE`, …
    fn kind(&self) -> String;

    /// The payload as the provider would send it, normalised (`event_time` an integer),
    /// without payhook's own members (`seen`, the R2 top-level `event_type`).
    fn to_json(&self) -> Value;

    /// What the dedup key hashes: [`Webhook::to_json`] less what names the route rather
    /// than the event (Belvo's `webhook_id`).
    fn dedup_content(&self) -> Value {
        self.to_json()
    }
}

/// A short key that is the same for every delivery of one event and differs between events:
/// `<provider>:<kind>:<22 chars>`, e.g. `r2:financing_paid:Xq3…`.
///
/// Neither provider sends a delivery id (Belvo's `webhook_id` names the registered webhook
/// and is the same for every event), so the key is derived from content: SHA-256 of the
/// canonical JSON of [`Webhook::dedup_content`] (keys sorted by code point, no whitespace,
/// strings as serde_json prints them, numbers as described below), base64url, cut to 22
/// characters (132 bits: a collision is out of reach for any receiver's volume). Key order,
/// whitespace, `event_time` as string or integer and the spelling of a number (`12200`,
/// `12200.0`, `1.22e4`) do not change it; another type, object, status, time or any other
/// field does. Belvo's `webhook_id` is left out, so one event sent to two registered webhooks
/// of the same receiver is handled once. The kind is only a readable prefix: an unknown kind
/// that is not a short `[A-Za-z0-9_.]` string shows as `unknown`.
///
/// One event has one key whichever function computed it: the receiver, from the body, or the
/// package's `dedupKey(event)`, from an event that crossed to JavaScript, where every number
/// is a double and `JSON.stringify` respells it. So a number is written as that path reads it
/// back: its nearest double; then, if that is a whole number in (−2^63, 2^64), its digits as
/// JavaScript writes them (`1000.0` → `1000`, `-0` → `0`, 2^53 + 1 → `9007199254740992`,
/// 2^60 → `1152921504606847000`), otherwise the double as serde_json writes it (`17.36`,
/// `1.5e-6`, `1e+21`). Every number the two paths already wrote alike keeps its text, so a
/// key a store holds stays valid unless its body spelled a number they wrote differently.
/// Integers a payload is read as (R2 times, Belvo counts) are refused above 2^53 − 1, where
/// JavaScript would round them.
pub fn dedup_key<W: Webhook>(webhook: &W) -> String {
    // Written out, then hashed in one call (as fast as feeding the hash token by token, in
    // earlier measurements, and needs no io::Write adapter).
    let mut canonical = Vec::with_capacity(1024);
    write_canonical(&webhook.dedup_content(), &mut canonical);
    let mut hash = b64::encode(&Sha256::digest(&canonical), b64::Alphabet::UrlSafe, false);
    hash.truncate(22);
    let kind = webhook.kind();
    let readable = !kind.is_empty()
        && kind.len() <= 64
        && kind
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.');
    let kind = if readable { kind.as_str() } else { "unknown" };
    format!("{}:{kind}:{hash}", W::PROVIDER)
}

/// Canonical JSON: object keys sorted, no whitespace, numbers by [`JsNumbers`]. serde_json's
/// maps are `BTreeMap`s (the crate is built without `preserve_order`), so its compact output
/// of a [`Value`] already has every object's keys in code-point order.
fn write_canonical(value: &Value, out: &mut impl std::io::Write) {
    // Writing a `Value` into a hasher cannot fail.
    let _ = value.serialize(&mut serde_json::Serializer::with_formatter(out, JsNumbers));
}

/// The largest integer a JavaScript number holds exactly (`Number.MAX_SAFE_INTEGER`).
pub(crate) const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// serde_json's compact output, with each number written as `dedupKey(event)` reads it back
/// after the event crossed to JavaScript (see [`dedup_key`]). A [`Value`] only holds `u64`,
/// `i64` and finite `f64` numbers, so these three methods see every one.
struct JsNumbers;

impl Formatter for JsNumbers {
    fn write_u64<W: ?Sized + std::io::Write>(
        &mut self,
        out: &mut W,
        n: u64,
    ) -> std::io::Result<()> {
        if n <= MAX_SAFE_INTEGER + 1 {
            CompactFormatter.write_u64(out, n)
        } else {
            self.write_f64(out, n as f64)
        }
    }

    fn write_i64<W: ?Sized + std::io::Write>(
        &mut self,
        out: &mut W,
        n: i64,
    ) -> std::io::Result<()> {
        if n.unsigned_abs() <= MAX_SAFE_INTEGER + 1 {
            CompactFormatter.write_i64(out, n)
        } else {
            self.write_f64(out, n as f64)
        }
    }

    fn write_f64<W: ?Sized + std::io::Write>(
        &mut self,
        out: &mut W,
        x: f64,
    ) -> std::io::Result<()> {
        match js_integer(x) {
            Some(digits) => out.write_all(digits.as_bytes()),
            None => CompactFormatter.write_f64(out, x),
        }
    }
}

/// How JavaScript writes `x` when that text is an integer serde_json reads back as one
/// (`u64` or `i64`): `x` a whole number in (−2^63, 2^64). Above 2^53 these are JavaScript's
/// shortest round-trip digits padded with zeros, not the double's exact value.
fn js_integer(x: f64) -> Option<String> {
    const TWO_63: f64 = 9_223_372_036_854_775_808.0;
    if x.fract() != 0.0 || x <= -TWO_63 || x >= 2.0 * TWO_63 {
        return None;
    }
    // serde_json's own float writer gives the shortest digits that read back as `x`, the
    // closest ones as JavaScript picks them (2^60 is `1.152921504606847e+18`, 12200 is
    // `12200.0`), without the standard library's float formatting (17 KB of wasm).
    let mut text = Vec::new();
    CompactFormatter.write_f64(&mut text, x.abs()).ok()?;
    let text = core::str::from_utf8(&text).ok()?;
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

/// Serializes a payload and removes payhook's own top-level members: the provider's shape.
pub(crate) fn provider_json<T: Serialize>(value: &T, added: &[&str]) -> Value {
    match serde_json::to_value(value) {
        Ok(Value::Object(map)) => Value::Object(without(map, added)),
        Ok(other) => other,
        Err(_) => Value::Null,
    }
}

/// `map` less the members named in `keys`, rebuilt by insert instead of `Map::remove`: the
/// B-tree's removal code (rebalancing and merging nodes) was about 7 KB of the wasm, there
/// for a few top-level members.
fn without(map: serde_json::Map<String, Value>, keys: &[&str]) -> serde_json::Map<String, Value> {
    let mut kept = serde_json::Map::new();
    for (key, value) in map {
        if !keys.contains(&key.as_str()) {
            kept.insert(key, value);
        }
    }
    kept
}

/// What a receiver must answer for a delivery to count as received.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Acknowledgement {
    /// The status to answer with.
    pub status: u16,
    /// Any status in `status..=max_status` is accepted by the provider.
    pub max_status: u16,
    /// Text the body must contain (empty: any body).
    pub body: &'static str,
    /// How long the provider waits for the answer before counting a failure.
    pub within: Duration,
}

/// A provider's retries after a failed delivery.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct RetrySchedule {
    /// The delay before each retry, after the previous attempt.
    pub delays: &'static [Duration],
    /// How long one attempt may take before it counts as failed.
    pub timeout: Duration,
    /// What the dedup retention adds to [`RetrySchedule::window`]: retries the schedule does
    /// not show (sent by hand, or under an older policy), queueing and clock skew.
    pub margin: Duration,
}

impl RetrySchedule {
    /// The longest time from the first attempt to the start of the last retry, plus every
    /// attempt's timeout: R2's is 30 h 23 min 30 s, Belvo's 3 min 20 s.
    pub fn window(&self) -> Duration {
        let attempts = self.delays.len() as u32 + 1;
        self.delays.iter().sum::<Duration>() + self.timeout * attempts
    }

    /// How long to remember a dedup key: [`RetrySchedule::window`] plus
    /// [`RetrySchedule::margin`]. R2: 54 h 23 min 30 s (a receiver keeps R2 keys for its
    /// replay window, longer: [`crate::ReplayWindow::dedup_retention`]). Belvo: 1 h 3 min 20 s.
    pub fn dedup_retention(&self) -> Duration {
        self.window() + self.margin
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_json_sorts_keys_and_drops_whitespace() {
        let value: Value = serde_json::from_str(r#"{ "b": [1, {"z": null, "a": "é"}], "a": 1.5 }"#)
            .unwrap_or_default();
        let mut out = Vec::new();
        write_canonical(&value, &mut out);
        assert_eq!(
            String::from_utf8(out).unwrap_or_default(),
            r#"{"a":1.5,"b":[1,{"a":"é","z":null}]}"#
        );
    }

    /// Each number as sent, and what the key hashes: what serde_json writes for its reading
    /// of Node 20's `JSON.stringify(JSON.parse(sent))`, the text `dedupKey(event)` re-reads.
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
            let mut out = Vec::new();
            write_canonical(&value, &mut out);
            assert_eq!(
                String::from_utf8(out).unwrap_or_default(),
                written,
                "{sent}"
            );
        }
    }

    /// The standard library's shortest digits, as `js_integer` took them before it used
    /// serde_json's writer.
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
    fn retention_is_the_retry_window_plus_its_margin() {
        let r2 = r2::RETRIES;
        assert_eq!(r2.window(), Duration::from_secs(30 * 3600 + 23 * 60 + 30));
        assert_eq!(
            r2.dedup_retention(),
            Duration::from_secs(54 * 3600 + 23 * 60 + 30)
        );
        assert_eq!(belvo::RETRIES.window(), Duration::from_secs(200));
        // Past Belvo's retries, even its older five linear ones (15 min 30 s at 1-min steps),
        // and well under a day: the same content later that day is a new event.
        assert_eq!(
            belvo::RETRIES.dedup_retention(),
            Duration::from_secs(3600 + 200)
        );
    }
}
