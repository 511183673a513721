//! The dedup key of every fixture, pinned in `vectors/dedup_keys.json` so the JS suite can
//! check that the npm package derives exactly the keys the Rust core does, and so a change
//! to the key scheme (which would make receivers forget what they processed) is seen.
//! `PAYHOOK_UPDATE_VECTORS=1 cargo test --test dedup_keys` rewrites the file.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;

use payhook::fixtures::FIXTURES;
use payhook::{Options, dedup_key, parse_belvo_webhook, parse_r2_event};

#[test]
fn fixture_dedup_keys_are_pinned() {
    let mut keys = BTreeMap::new();
    for f in FIXTURES {
        let body = f.body.as_bytes();
        let key = match f.provider {
            "r2" => dedup_key(&parse_r2_event(body, Options::default()).expect("fixture parses")),
            _ => dedup_key(&parse_belvo_webhook(body, Options::default()).expect("fixture parses")),
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
