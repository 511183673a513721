//! payhook's JSON parser against serde_json, the reference it replaced: any bytes give the
//! same object from both, or an error from both; the only difference allowed is payhook's
//! refusal of a repeated key (serde_json keeps the last value), and never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use payhook::json::parse_object;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let ours = parse_object(data, usize::MAX);
    let reference = serde_json::from_slice::<Value>(data);
    match (ours, reference) {
        (Ok(map), Ok(value)) => assert_eq!(Value::Object(map), value),
        (Ok(_), Err(e)) => panic!("accepted what serde_json refuses: {e}"),
        (Err(e), Ok(value)) => {
            let code = e.issues[0].code;
            // A BOM, a repeated key, or a top level that is not an object.
            assert!(
                matches!(code, "bom" | "duplicate_key")
                    || (code == "wrong_type" && !value.is_object()),
                "refused ({code}) what serde_json reads"
            );
        }
        (Err(_), Err(_)) => {}
    }
});
