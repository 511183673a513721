//! R2 and Belvo payloads: any bytes parse or give issues with JSON Pointer paths, never a
//! panic; a parsed event re-parses from its own JSON to the same dedup key, and so does the
//! event as JavaScript holds it (every number a double: what `dedupKey(event)` reads back);
//! the key taken from the JSON the core wrote without reading it back (`dedupKey` of an
//! event the package parsed) is that key too. That JSON is canonical after payhook's first
//! members (serde_json's sorted maps, written back, are the oracle), and its ASCII form (what
//! crosses to JavaScript) reads as the same value.
//!
//! The borrowed path (what the npm package calls: the payload written as read, without the
//! owned event) agrees with the owned one on every body, strict or lenient, read as either
//! provider: the same JSON text, key start and dedup key, or the same refusal (error, every
//! issue with its path, code, message, expected and found); and `dedup_key_from_json`
//! (`dedupKey(event)`) agrees with `dedup_key(from_json(…))` on the event as JavaScript holds
//! it and on any body that is a JSON object, whatever it holds. A receiver of each provider
//! given the body signed (or authorized) and in time gives the same verdict, JSON and key
//! from `receive` and `receive_json`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use payhook::providers::{Webhook, belvo, dedup_key_of_json, dedup_key_start, r2};
use payhook::{
    Options, dedup_key, json_and_dedup_key, parse_belvo_webhook, parse_r2_event, validate_r2_event,
};
use serde_json::{Number, Value};

/// The oracles of tests/oracle: the canonical order (serde_json's reading, every object
/// sorted), and the owned path as the borrowed one's.
#[path = "../../tests/oracle/mod.rs"]
mod oracle;
use oracle::{as_read_agrees, canonical_after_first};

/// The value after `JSON.parse` and `JSON.stringify`: each number the nearest double, an
/// integral one written without a fraction.
fn as_javascript(value: Value) -> Value {
    match value {
        Value::Number(n) => {
            let x = n.as_f64().unwrap_or(f64::NAN);
            // What serde_json reads `JSON.stringify`'s digits as: an i64 or u64 where one
            // holds the value, a double otherwise (below −2^63 an `as i64` would saturate).
            let integral = x.fract() == 0.0 && x >= i64::MIN as f64 && x < 1.8e19;
            Value::Number(match integral {
                true if x < 0.0 => Number::from(x as i64),
                true => Number::from(x as u64),
                false => Number::from_f64(x).unwrap(),
            })
        }
        Value::Array(a) => Value::Array(a.into_iter().map(as_javascript).collect()),
        Value::Object(o) => {
            Value::Object(o.into_iter().map(|(k, v)| (k, as_javascript(v))).collect())
        }
        other => other,
    }
}

// The raw body, so fixtures seed the corpus as they are; the length's parity picks strict mode.
fuzz_target!(|body: &[u8]| {
    let strict = body.len() % 2 == 1;
    let options = Options {
        strict,
        ..Options::default()
    };
    as_read_agrees(body, options);
    as_read_agrees(
        body,
        Options {
            strict: !strict,
            ..options
        },
    );
    match parse_r2_event(body, options) {
        Ok(event) => {
            let json = serde_json::to_vec(&event).unwrap();
            let again = parse_r2_event(&json, Options::default()).unwrap();
            assert_eq!(dedup_key(&event), dedup_key(&again));
            let js = as_javascript(serde_json::to_value(&event).unwrap());
            let from_js = r2::from_json(js.as_object().unwrap().clone(), false).unwrap();
            assert_eq!(dedup_key(&event), dedup_key(&from_js));
            let js = js.as_object().unwrap().clone();
            assert_eq!(r2::dedup_key_from_json(js, false), Ok(dedup_key(&event)));
            written(&event, |json| {
                parse_r2_event(json, Options::default()).unwrap()
            });
        }
        Err(e) => {
            assert!(!e.issues.is_empty());
            assert!(
                e.issues
                    .iter()
                    .all(|i| i.path.is_empty() || i.path.starts_with('/'))
            );
        }
    }
    assert_eq!(
        validate_r2_event(body, options).ok,
        parse_r2_event(body, options).is_ok()
    );
    if let Ok(hook) = parse_belvo_webhook(body, options) {
        let json = serde_json::to_vec(&hook).unwrap();
        assert_eq!(
            dedup_key(&hook),
            dedup_key(&parse_belvo_webhook(&json, Options::default()).unwrap())
        );
        let js = as_javascript(serde_json::to_value(&hook).unwrap());
        let from_js = belvo::from_json(js.as_object().unwrap().clone(), false).unwrap();
        assert_eq!(dedup_key(&hook), dedup_key(&from_js));
        let js = js.as_object().unwrap().clone();
        assert_eq!(belvo::dedup_key_from_json(js, false), Ok(dedup_key(&hook)));
        written(&hook, |json| {
            parse_belvo_webhook(json, Options::default()).unwrap()
        });
    }
});

/// The JSON the core wrote for `event` gives its key without being read back, and read back
/// (by `parse`) gives the same key.
fn written<W: Webhook>(event: &W, parse: impl Fn(&[u8]) -> W) {
    let (json, key) = json_and_dedup_key(event);
    assert_eq!(
        dedup_key_of_json::<W>(json.as_str(), &dedup_key_start(event)),
        key
    );
    assert_eq!(dedup_key(&parse(json.as_str().as_bytes())), key);
    assert_eq!(json.as_str(), canonical_after_first(event));
    let read = |text: &str| serde_json::from_str::<Value>(text).unwrap();
    assert_eq!(
        read(&payhook::json::ascii(json.as_str())),
        read(json.as_str())
    );
}
