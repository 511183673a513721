//! payhook's JSON parser (src/json.rs) against serde_json, the reference it replaced: for any
//! text, the same object, or an error from both, except where payhook refuses on purpose (a
//! repeated key, which serde_json resolves by keeping the last).
#![cfg(not(target_arch = "wasm32"))]

use payhook::json::{DEFAULT_MAX_BYTES, parse_object};
use proptest::prelude::*;
use serde_json::Value;

/// Checks one text; returns payhook's issue code, or `ok`.
fn agree(text: &str) -> &'static str {
    let ours = parse_object(text.as_bytes(), DEFAULT_MAX_BYTES);
    let reference = serde_json::from_str::<Value>(text);
    match (ours, reference) {
        (Ok(map), Ok(value)) => {
            assert_eq!(Value::Object(map), value, "{text:?}");
            "ok"
        }
        (Err(e), reference) => {
            let issue = &e.issues[0];
            match issue.code {
                // payhook refuses what serde_json resolves (its last value wins).
                "duplicate_key" => assert!(reference.is_ok(), "{text:?}"),
                "wrong_type" => assert!(reference.is_ok_and(|v| !v.is_object()), "{text:?}"),
                "empty" => assert!(reference.is_err(), "{text:?}"),
                code => {
                    let reference = reference
                        .err()
                        .unwrap_or_else(|| panic!("{text:?}: {code}"));
                    // The same error, at the same place.
                    let theirs = reference.to_string();
                    let expected = match code {
                        "too_deep" => "recursion limit exceeded",
                        "number_out_of_range" => "number out of range",
                        _ => theirs.split(" at line").next().unwrap_or_default(),
                    };
                    assert!(
                        issue.message.starts_with(expected),
                        "{text:?}: {} vs {theirs}",
                        issue.message
                    );
                    // serde_json stops within a huge exponent; payhook points at the number's
                    // end.
                    let inexact = code == "number_out_of_range";
                    assert!(
                        inexact
                            || issue.message.rsplit_once(" at ").map(|(_, at)| at)
                                == theirs.rsplit_once(" at ").map(|(_, at)| at),
                        "{text:?}: the position ({} vs {theirs})",
                        issue.message
                    );
                }
            }
            issue.code
        }
        (Ok(_), Err(e)) => panic!("{text:?}: payhook accepted what serde_json refuses: {e}"),
    }
}

#[test]
fn tricky_texts_read_as_serde_json_reads_them() {
    for (text, code) in [
        (r#"{"a":1}"#, "ok"),
        (" \t\n\r{ \"a\" : [ 1 , 2 ] } \n", "ok"),
        (
            r#"{"n":[0,-0,1.0,-1.5e3,1E+2,2e-2,18446744073709551615,18446744073709551616,-9223372036854775808,-9223372036854775809]}"#,
            "ok",
        ),
        (r#"{"n":123456789012345678901234567890}"#, "ok"),
        (r#"{"n":0.1e-400}"#, "ok"),
        (r#"{"n":1e400}"#, "number_out_of_range"),
        (r#"{"n":-1e309}"#, "number_out_of_range"),
        (
            r#"{"s":"\"\\\/\b\f\n\r\t\u0041\u00e9\u20AC\ud83d\ude00 é €"}"#,
            "ok",
        ),
        (r#"{"s":"\ud83d"}"#, "syntax"),
        (r#"{"s":"\ud83d\u0041"}"#, "syntax"),
        (r#"{"s":"\ude00"}"#, "syntax"),
        (r#"{"s":"\ud83dx"}"#, "syntax"),
        (r#"{"s":"\ud800\"#, "syntax"),
        (r#"{"s":"\ud800\ud800"}"#, "syntax"),
        (r#"{"s":"\ud800\{"}"#, "syntax"),
        (r#"{"s":"\udc00"}"#, "syntax"),
        (r#"{"s":"\u12G4"}"#, "syntax"),
        (r#"{"s":"\x"}"#, "syntax"),
        ("{\"s\":\"a\u{1}b\"}", "syntax"),
        (r#"{"s":"abc"#, "syntax"),
        (r#"{"s":"\u12"#, "syntax"),
        (r#"{"a":01}"#, "syntax"),
        (r#"{"a":-}"#, "syntax"),
        (r#"{"a":1.}"#, "syntax"),
        (r#"{"a":.5}"#, "syntax"),
        (r#"{"a":1e}"#, "syntax"),
        (r#"{"a":+1}"#, "syntax"),
        (r#"{"a":1,}"#, "syntax"),
        (r#"{"a":[1,]}"#, "syntax"),
        (r#"{"a" 1}"#, "syntax"),
        (r#"{a:1}"#, "syntax"),
        (r#"{"a":tru}"#, "syntax"),
        (r#"{"a":nul"#, "syntax"),
        (r#"{"a":truex}"#, "syntax"),
        (r#"{"a":1}x"#, "syntax"),
        (r#"{"a":1"#, "syntax"),
        (r#"{"a":[1"#, "syntax"),
        ("{", "syntax"),
        ("[1,2]", "wrong_type"),
        ("\"a\"", "wrong_type"),
        ("null", "wrong_type"),
        ("   ", "empty"),
        ("{\n\"a\":\n  [1,\n  2 x]}", "syntax"),
        (r#"{"a":1,"a":2}"#, "duplicate_key"),
        (r#"{"a":[{"b":1,"b":2}]}"#, "duplicate_key"),
    ] {
        assert_eq!(agree(text), code, "{text:?}");
    }
}

/// Literals longer than the standard library's exponent reading reaches (it stops past
/// 655359): read as serde_json reads them, value for value.
#[test]
fn long_literals_read_as_serde_json_reads_them() {
    let zeros = |n| "0".repeat(n);
    let mut literals = vec![
        format!("0.{}1e655360", zeros(655_359)),
        format!("1{}e-655360", zeros(655_360)),
        format!("-1{}e-655361", zeros(655_360)),
        format!("0.{}1e-5", zeros(70_000)),
        format!("{}e-70000", "9".repeat(70_010)),
        format!("1{}", zeros(5_000)),
        format!("0.{}", zeros(5_000)),
        format!("-0.{}e999999999999999999999", zeros(5_000)),
        format!("1.{}e308", "7".repeat(5_000)),
        format!("4.{}e-324", "9".repeat(5_000)),
        format!("2.{}5e-324", "4".repeat(5_000)),
    ];
    // Halfway cases decided past the 768th digit: 1 + 2^-53 and its neighbours.
    let half = "1.00000000000000011102230246251565404236316680908203125";
    literals.push(format!("{half}{}", zeros(5_000)));
    literals.push(format!("{half}{}1", zeros(5_000)));
    literals.push(format!(
        "{}{}",
        half.replace("125", "124"),
        "9".repeat(5_000)
    ));
    for literal in literals {
        let code = agree(&format!("{{\"n\":{literal}}}"));
        assert!(matches!(code, "ok" | "number_out_of_range"), "{code}");
    }
}

/// Pieces of JSON, glued at random: mostly near-valid text, so both parsers get far.
fn fragments() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "\"a\"",
        "\"b\"",
        "\"\\u00e9\"",
        "\"\\ud83d\\ude00\"",
        "\"\\ud83d\"",
        "\"\\n\"",
        "\"é\"",
        "0",
        "-0",
        "1",
        "-1",
        "1.5",
        "1e3",
        "-2E-2",
        "1e400",
        "18446744073709551616",
        "-9223372036854775809",
        "true",
        "false",
        "null",
        " ",
        "\n",
        "01",
        ".",
        "e",
        "-",
        "\\",
        "\"",
    ]);
    prop::collection::vec(piece, 0..24).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(20_000))]

    #[test]
    fn any_fragments_read_as_serde_json_reads_them(body in fragments()) {
        agree(&format!("{{\"x\":{body}}}"));
        agree(&body);
    }

    #[test]
    fn numbers_read_as_serde_json_reads_them(n in "-?(0|[1-9][0-9]{0,25})(\\.[0-9]{1,20})?([eE][+-]?[0-9]{1,3})?") {
        prop_assert_eq!(agree(&format!("{{\"n\":{n}}}")), if serde_json::from_str::<Value>(&n).is_ok() { "ok" } else { "number_out_of_range" });
    }

    #[test]
    fn any_text_reads_as_serde_json_reads_it(text in "\\PC{0,40}") {
        agree(&text);
    }
}
