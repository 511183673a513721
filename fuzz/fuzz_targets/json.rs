//! payhook's JSON parser against serde_json, the reference it replaced: any bytes give the
//! same object from both, or an error from both; the only difference allowed is payhook's
//! refusal of a repeated key (serde_json keeps the last value), and never a panic.
//! The same bytes also shape a number literal, whose double must be the standard library's
//! bit for bit (payhook reads decimals with its own code, src/json/float.rs). The dedup key
//! of any text (meant for text the core wrote) ends without a panic, and the text's ASCII
//! form (what crosses to JavaScript) reads as the same value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use payhook::json::parse_object;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    number(data);
    let text = String::from_utf8_lossy(data);
    let _ = payhook::providers::dedup_key_of_json::<payhook::R2Event>(&text, "r2:fuzz");
    let ours = parse_object(data, usize::MAX);
    let reference = serde_json::from_slice::<Value>(data);
    if let Ok(value) = &reference {
        let escaped = payhook::json::ascii(&text);
        assert!(escaped.is_ascii());
        assert_eq!(&serde_json::from_str::<Value>(&escaped).unwrap(), value);
    }
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

/// A JSON number built from `data` (sign, digits, point, leading zeros, exponent up to
/// 65535) read by payhook as the standard library reads it: the same bits, or refused as out
/// of range where the standard library reads an infinity.
fn number(data: &[u8]) {
    let [flags, point, high, low, digits @ ..] = data else {
        return;
    };
    let digits: String = digits.iter().map(|b| char::from(b'0' + b % 10)).collect();
    let digits = digits.trim_start_matches('0');
    let at = usize::from(*point) % (digits.len() + 1);
    let (whole, fraction) = digits.split_at(at);
    let mut literal = String::from(if flags & 1 != 0 { "-" } else { "" });
    if whole.is_empty() {
        literal.push('0');
        if !fraction.is_empty() {
            literal.push('.');
            literal.push_str(&"0".repeat(usize::from(flags >> 4)));
        }
    } else {
        literal.push_str(whole);
        if !fraction.is_empty() {
            literal.push('.');
        }
    }
    literal.push_str(fraction);
    if flags & 2 != 0 {
        literal.push(if flags & 4 != 0 { 'e' } else { 'E' });
        if flags & 8 != 0 {
            literal.push('-');
        }
        literal.push_str(&u16::from_be_bytes([*high, *low]).to_string());
    }
    let expected: f64 = literal.parse().expect("a valid literal");
    match parse_object(format!("{{\"n\":{literal}}}").as_bytes(), usize::MAX) {
        Ok(map) => {
            let n = map.get("n").and_then(Value::as_number).expect("a number");
            if n.is_f64() {
                let ours = n.as_f64().unwrap_or_default();
                assert_eq!(
                    ours.to_bits(),
                    expected.to_bits(),
                    "{literal}: {ours:e} != {expected:e}"
                );
            }
        }
        Err(e) => assert!(
            e.issues[0].code == "number_out_of_range" && expected.is_infinite(),
            "{literal}: refused ({}), the standard library reads {expected:e}",
            e.issues[0].code
        ),
    }
}
