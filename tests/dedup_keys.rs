//! The dedup key of every fixture, pinned in `vectors/dedup_keys.json` so the JS suite can
//! check that the npm package derives exactly the keys the Rust core does, and so a change
//! to the key scheme (which would make receivers forget what they processed) is seen.
//! `PAYHOOK_UPDATE_VECTORS=1 cargo test --test dedup_keys` rewrites the file.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;

use payhook::fixtures::FIXTURES;
use payhook::providers::{Webhook, dedup_key_of_json, dedup_key_start};
use payhook::providers::{belvo, r2};
use payhook::{
    Error, Options, PayloadError, dedup_key, json_and_dedup_key, parse_belvo_webhook,
    parse_r2_event,
};
use serde_json::{Map, Value};

#[test]
fn fixture_dedup_keys_are_pinned() {
    let mut keys = BTreeMap::new();
    for f in FIXTURES {
        let body = f.body.as_bytes();
        written_as_read(f.provider, body);
        let key = match f.provider {
            "r2" => written_once(
                "r2",
                &parse_r2_event(body, Options::default()).expect("fixture parses"),
            ),
            _ => written_once(
                "belvo",
                &parse_belvo_webhook(body, Options::default()).expect("fixture parses"),
            ),
        };
        keys.insert(format!("{}/{}", f.provider, f.name), key);
    }
    let json = serde_json::to_string_pretty(&keys).expect("serialises") + "\n";
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/vectors/dedup_keys.json");
    if std::env::var_os("PAYHOOK_UPDATE_VECTORS").is_some() {
        std::fs::write(path, &json).expect("writes the vectors");
    }
    let pinned = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        pinned == json,
        "dedup keys changed; if intended, rerun with PAYHOOK_UPDATE_VECTORS=1:\n{json}"
    );
}

#[test]
fn every_fixture_file_is_listed() {
    for provider in ["r2", "belvo"] {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/vectors/fixtures/").to_owned() + provider;
        let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
            .expect("fixture dir")
            .filter_map(|e| {
                e.ok()?
                    .file_name()
                    .to_str()?
                    .strip_suffix(".json")
                    .map(str::to_owned)
            })
            .collect();
        on_disk.sort();
        let listed: Vec<&str> = FIXTURES
            .iter()
            .filter(|f| f.provider == provider)
            .map(|f| f.name)
            .collect();
        assert_eq!(
            on_disk, listed,
            "src/fixtures.rs must list every file in {dir}"
        );
    }
}

/// Found by the `payload` fuzz target: a 37-digit amount read as a float must print and
/// re-read as the same float (serde_json's `float_roundtrip`), or a re-sent event would get
/// another dedup key.
#[test]
fn huge_amounts_round_trip_to_the_same_key() {
    let body = br#"{"event":{"event_time":1712345678,"event_type":"dirEct_paym2ent_cread","event_metadata":{}},"collec1tion":{"collection_id":"c1","financino_id":"f1","repayment_amount":1333333333300000011451907952434566453,"collection_kind":2}}"#;
    let event = parse_r2_event(body, Options::default()).expect("parses leniently");
    let again = parse_r2_event(
        &serde_json::to_vec(&event).expect("serialises"),
        Options::default(),
    )
    .expect("re-parses");
    assert_eq!(dedup_key(&event), dedup_key(&again));
}

fn vectors(file: &str) -> Value {
    let path = format!("{}/vectors/{file}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).expect("vector file")).expect("JSON")
}

/// The receiver's key: from the body as it arrived.
fn body_key(provider: &str, body: &str) -> Result<String, PayloadError> {
    let (body, options) = (body.as_bytes(), Options::default());
    written_as_read(provider, body);
    Ok(match provider {
        "r2" => written_once(provider, &parse_r2_event(body, options)?),
        _ => written_once(provider, &parse_belvo_webhook(body, options)?),
    })
}

/// The receiver writes an event once for its JSON and its key (`json_and_dedup_key`): the
/// same JSON as the plain writer's, the same key as `dedup_key`'s. The package's
/// `dedupKey(event)` of an event it parsed, while `JSON.stringify` still gives that JSON,
/// takes the key from the text without reading it back (`dedup_key_of_json`): the key of the
/// text read back as a payload must be that key.
fn written_once<W: Webhook>(provider: &str, event: &W) -> String {
    let (json, key) = json_and_dedup_key(event);
    assert_eq!(json.as_str(), payhook::json::to_string(event));
    assert_eq!(key, dedup_key(event));
    assert_eq!(
        dedup_key_of_json::<W>(json.as_str(), &dedup_key_start(event)),
        key
    );
    assert_eq!(event_key(provider, json.as_str()), key);
    key
}

/// The package writes a payload as read, without making the owned event
/// (`parse_r2_event_json`, `parse_belvo_webhook_json`): the same text and key start as the
/// owned event's, or the same error.
fn written_as_read(provider: &str, body: &[u8]) {
    let options = Options::default();
    let (as_read, owned) = match provider {
        "r2" => (
            r2::parse_r2_event_json(body, options),
            parse_r2_event(body, options)
                .map(|e| (payhook::json::to_string(&e), dedup_key_start(&e))),
        ),
        _ => (
            belvo::parse_belvo_webhook_json(body, options),
            parse_belvo_webhook(body, options)
                .map(|e| (payhook::json::to_string(&e), dedup_key_start(&e))),
        ),
    };
    let as_read = as_read.map(|(json, start)| (json.as_str().to_owned(), start));
    assert_eq!(as_read, owned);
}

/// The package's `dedupKey(event)` once JavaScript has the event: it re-reads the event's
/// `JSON.stringify` text the same way (bindings/js/src/payload.rs).
fn event_key(provider: &str, event_js: &str) -> String {
    let value: Value = serde_json::from_str(event_js).expect("event_js is JSON");
    let Value::Object(map) = value else {
        panic!("an object")
    };
    // As the package reads it (`dedup_key_from_json`: without making the owned event), and
    // the owned event's.
    let (as_read, owned) = match provider {
        "r2" => (
            r2::dedup_key_from_json(map.clone(), false),
            dedup_key(&r2::from_json(map, false).expect("event_js reads back")),
        ),
        _ => (
            belvo::dedup_key_from_json(map.clone(), false),
            dedup_key(&belvo::from_json(map, false).expect("event_js reads back")),
        ),
    };
    assert_eq!(as_read.as_ref(), Ok(&owned));
    owned
}

/// One event, one key (`vectors/dedup_key_spellings.json`): the receiver's key from a body
/// however its numbers are spelled (`12200.0`, `1.22e4`, `-0`, 2^53 + 1, …), the key of the
/// body after a JavaScript round trip, and `dedupKey(event)` from the event as JavaScript
/// holds it (the `_js` texts come from Node) are the same key. A case is added with Node and
/// the built package: `body_js` is `JSON.stringify(JSON.parse(body))`, `event_js` is
/// `JSON.stringify(parseR2Event(body))` (or `parseBelvoWebhook`), and `key` the key this test
/// then reports.
#[test]
fn number_spellings_and_javascript_round_trips_keep_the_key() {
    let file = vectors("dedup_key_spellings.json");
    let pinned = vectors("dedup_keys.json");
    let cases = file["keys"].as_array().expect("keys");
    assert!(!cases.is_empty());
    for case in cases {
        let text = |field: &str| case[field].as_str().expect(field).to_owned();
        let (name, provider, key) = (text("name"), text("provider"), text("key"));
        let keys = [
            body_key(&provider, &text("body")).expect("body parses"),
            body_key(&provider, &text("body_js")).expect("body_js parses"),
            event_key(&provider, &text("event_js")),
        ];
        assert_eq!(keys, [key.as_str(); 3], "{name}: body, body_js, event_js");
        if let Some(fixture) = case.get("same_key_as") {
            assert_eq!(pinned[fixture.as_str().expect("a name")], key, "{name}");
        }
    }
}

/// Integers payhook reads as integers (R2 times, Belvo counts) beyond 2^53 - 1 round in
/// JavaScript, where `dedupKey(event)` would read another value or refuse the event: the
/// body is refused instead, so no path gives it a key.
#[test]
fn integers_javascript_would_round_are_refused() {
    let file = vectors("dedup_key_spellings.json");
    let cases = file["refused"].as_array().expect("refused");
    assert!(!cases.is_empty());
    for case in cases {
        let text = |field: &str| case[field].as_str().expect(field).to_owned();
        let name = text("name");
        let refused = body_key(&text("provider"), &text("body")).expect_err(&name);
        let issues: Vec<(&str, &str)> = refused
            .issues
            .iter()
            .map(|i| (i.path.as_str(), i.code))
            .collect();
        assert_eq!(refused.error, Error::PayloadInvalid, "{name}");
        assert_eq!(issues, [(text("path").as_str(), "invalid_value")], "{name}");
    }
}

/// The members outside a model (`extra`, `raw`) of an event built or changed in Rust may
/// hold one named like a top-level member payhook writes first and the key leaves out (R2's
/// `event_type` and `seen`, Belvo's `seen` and `webhook_id`). A parsed body never gives one
/// (those names are reserved, or the model's own), so it is not the event's: written, it
/// would name a member twice in the JSON and be hashed (the key before the payload was
/// written canonical left every top-level member of those names out). It is neither.
#[test]
fn members_outside_the_model_named_like_payhooks_first_are_not_written() {
    type Change = fn(&mut Map<String, Value>);
    let named = |name: &'static str| -> Change {
        match name {
            "seen" => |m| drop(m.insert("seen".into(), "payhook_extra".into())),
            "event_type" => |m| drop(m.insert("event_type".into(), "payhook_extra".into())),
            _ => |m| drop(m.insert("webhook_id".into(), "payhook_extra".into())),
        }
    };
    let r2_body = r#"{"event":{"event_time":1,"event_type":"financing_created"},
        "financing":{"financing_id":"f","disbursed_amount":1,"total_repayment_amount":1,
        "repayment_rate":1,"currency":"COP","created_at":1,"status":"ACTIVE","due_date":1}}"#;
    let r2_unknown = r#"{"event":{"event_time":1,"event_type":"payhook_test"},"z":1}"#;
    let belvo_body = r#"{"webhook_id":"aadf41a1fc8e4f79a49f7f04027ac999","webhook_type":"LINKS",
        "webhook_code":"invalid_credentials","link_id":"l","data":{"error_code":"e",
        "error_message":"m","status":"invalid"}}"#;
    let belvo_unknown = r#"{"webhook_id":"aadf41a1fc8e4f79a49f7f04027ac999",
        "webhook_type":"payhook_test","webhook_code":"c","data":{}}"#;
    for (body, name) in [
        (r2_body, "seen"),
        (r2_body, "event_type"),
        (r2_unknown, "seen"),
        (r2_unknown, "event_type"),
        (belvo_body, "seen"),
        (belvo_body, "webhook_id"),
        (belvo_unknown, "seen"),
        (belvo_unknown, "webhook_id"),
    ] {
        let what = format!("{name} in {body}");
        let change = named(name);
        // The event's members outside its model, changed; then its JSON and key, written.
        fn changed<W: Webhook>(
            mut event: W,
            extra: fn(&mut W) -> Option<&mut Map<String, Value>>,
            change: Change,
            what: &str,
        ) -> (payhook::json::Json, String) {
            let before = dedup_key(&event);
            change(extra(&mut event).unwrap_or_else(|| panic!("{what}: another variant")));
            let (json, key) = json_and_dedup_key(&event);
            assert_eq!(key, before, "{what}: the key");
            (json, key)
        }
        let (json, key) = if body.contains("\"event\"") {
            let event = parse_r2_event(body.as_bytes(), Options::default()).expect("parses");
            fn extra(e: &mut r2::R2Event) -> Option<&mut Map<String, Value>> {
                match e {
                    r2::R2Event::FinancingCreated(e) => Some(&mut e.extra),
                    r2::R2Event::Unknown(e) => Some(&mut e.raw),
                    _ => None,
                }
            }
            changed(event, extra, change, &what)
        } else {
            let hook = parse_belvo_webhook(body.as_bytes(), Options::default()).expect("parses");
            fn extra(w: &mut belvo::BelvoWebhook) -> Option<&mut Map<String, Value>> {
                match w {
                    belvo::BelvoWebhook::InvalidCredentials(w) => Some(&mut w.extra),
                    belvo::BelvoWebhook::Unknown(w) => Some(&mut w.raw),
                    _ => None,
                }
            }
            changed(hook, extra, change, &what)
        };
        let text = json.as_str();
        assert!(!key.is_empty());
        assert!(
            payhook::json::parse_object(text.as_bytes(), usize::MAX).is_ok(),
            "{what}: each member named once in {text}"
        );
        assert!(
            !text.contains("payhook_extra"),
            "{what}: not written: {text}"
        );
    }
}
