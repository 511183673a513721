//! R2 and Belvo payloads: any bytes parse or give issues with JSON Pointer paths, never a
//! panic; a parsed event re-parses from its own JSON to the same dedup key.
#![no_main]

use libfuzzer_sys::fuzz_target;
use payhook::{Options, dedup_key, parse_belvo_webhook, parse_r2_event, validate_r2_event};

// The raw body, so fixtures seed the corpus as they are; the length's parity picks strict mode.
fuzz_target!(|body: &[u8]| {
    let strict = body.len() % 2 == 1;
    let options = Options {
        strict,
        ..Options::default()
    };
    match parse_r2_event(body, options) {
        Ok(event) => {
            let json = serde_json::to_vec(&event).unwrap();
            let again = parse_r2_event(&json, Options::default()).unwrap();
            assert_eq!(dedup_key(&event), dedup_key(&again));
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
    }
});
