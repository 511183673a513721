//! The JavaScript binding, tested in a JS engine: `wasm-pack test --node bindings/js` (or
//! `--headless --chrome` with the `browser-tests` feature). The binding takes bytes, strings,
//! numbers and configuration as JSON text (the package reads the caller's values:
//! npm/input.js), returns JSON text, and throws JSON text `{ code, status, message, … }`.
//! The shared vectors go through it, and what it throws never holds a secret.
#![cfg(target_arch = "wasm32")]

#[path = "../../../tests/common/mod.rs"]
mod common;

use common::{compare, run_table};
use payhook_js::{
    allowlist_belvo, allowlist_check, allowlist_free, allowlist_new, allowlist_r2,
    check_belvo_authorization, client_ip_js, error_codes, receiver_answer, receiver_free,
    receiver_limits, receiver_new, receiver_receive, sign_r2, verify_r2_signature,
};
use serde_json::{Value, json};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

#[cfg(feature = "browser-tests")]
wasm_bindgen_test_configure!(run_in_browser);

/// A JSON text result.
fn parsed(text: &str) -> Value {
    serde_json::from_str(text).expect("the binding returns JSON text")
}

/// What the binding threw: JSON text with a code and a status.
fn thrown(error: JsValue) -> Value {
    let text = error.as_string().expect("the binding throws JSON text");
    let value = parsed(&text);
    assert!(value["status"].as_u64().is_some(), "{text}");
    value
}

fn code(error: JsValue) -> String {
    thrown(error)["code"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// `verifyR2Signature` with the secrets joined as npm/input.js joins them.
fn verify(body: &[u8], header: &str, list: &[&[u8]]) -> Result<String, JsValue> {
    let lengths: Vec<u32> = list.iter().map(|s| s.len() as u32).collect();
    verify_r2_signature(body, header, &list.concat(), &lengths)
}

/// `index\tname`, as verifyR2Signature and checkBelvoAuthorization answer: (99, "") when not.
fn matched(text: &str) -> (usize, String) {
    let (index, name) = text.split_once('\t').unwrap_or_default();
    (index.parse().unwrap_or(99), name.to_owned())
}

#[wasm_bindgen_test]
fn r2_vectors_through_the_binding() {
    run_table(
        &common::r2_cases(),
        |c| &c.name,
        |c| {
            let keys: Vec<&[u8]> = c.secrets.iter().map(|s| s.as_bytes()).collect();
            let header = c.header.clone().unwrap_or_default();
            let got = verify(&c.body(), &header, &keys)
                .map(|r| matched(&r))
                .map_err(code);
            compare(got, &c.expect)
        },
    );
}

#[wasm_bindgen_test]
fn belvo_vectors_through_the_binding() {
    run_table(
        &common::belvo_cases(),
        |c| &c.name,
        |c| {
            let header = c.header.clone().unwrap_or_default();
            let got = check_belvo_authorization(&header, c.accepted.clone())
                .map(|r| matched(&r))
                .map_err(code);
            compare(got, &c.expect)
        },
    );
}

#[wasm_bindgen_test]
fn sign_r2_encodings() {
    for (name, len) in [
        ("hex", 64),
        ("base64", 44),
        ("base64url", 43),
        ("base64-hex", 88),
    ] {
        let header = sign_r2(b"{}", b"k", Some(name.into())).unwrap();
        assert_eq!(header.len(), len, "{name}");
    }
    assert_eq!(
        code(sign_r2(b"{}", b"k", Some("base32".into())).unwrap_err()),
        "argument_invalid"
    );
    assert_eq!(
        code(sign_r2(b"{}", b"", None).unwrap_err()),
        "secret_invalid"
    );
}

#[wasm_bindgen_test]
fn refusals_are_coded_and_the_instance_keeps_working() {
    let header = sign_r2(b"{}", b"k", None).unwrap();
    let cases: Vec<(&str, Result<String, JsValue>, &str)> = vec![
        ("no header", verify(b"{}", "", &[b"k"]), "signature_missing"),
        ("no secret", verify(b"{}", &header, &[]), "secret_invalid"),
        (
            "an empty secret",
            verify(b"{}", &header, &[b"k", b""]),
            "secret_invalid",
        ),
        (
            "a huge header",
            verify(b"{}", &"a".repeat(10 << 20), &[b"k"]),
            "signature_malformed",
        ),
        (
            "secret lengths past the joined bytes",
            verify_r2_signature(b"{}", &header, b"k", &[2]),
            "argument_invalid",
        ),
        (
            "joined bytes no length accounts for",
            verify_r2_signature(b"{}", &header, b"kk", &[1]),
            "argument_invalid",
        ),
        (
            "a length over the whole address space",
            verify_r2_signature(b"{}", &header, b"k", &[1, u32::MAX]),
            "argument_invalid",
        ),
        (
            "two Authorization lines",
            check_belvo_authorization("Bearer a, Bearer b", vec!["Bearer a".into()]),
            "authorization_malformed",
        ),
        (
            "a malformed accepted value",
            check_belvo_authorization("Bearer a", vec!["Token a".into()]),
            "secret_invalid",
        ),
    ];
    for (what, result, want) in cases {
        assert_eq!(code(result.expect_err(what)), want, "{what}");
        assert!(verify(b"{}", &header, &[b"k"]).is_ok());
    }
    let body = vec![0xff; 8 << 20];
    let header = sign_r2(&body, b"k", None).unwrap();
    assert!(verify(&body, &header, &[b"k"]).is_ok());
}

#[wasm_bindgen_test]
fn what_is_thrown_never_contains_the_secret_or_the_expected_signature() {
    let secret = b"super-secret-partner-key";
    let expected = sign_r2(b"{}", secret, None).unwrap();
    let text = verify(b"{ }", &expected, &[secret])
        .unwrap_err()
        .as_string()
        .unwrap();
    assert!(
        !text.contains("super-secret") && !text.contains(&expected),
        "{text}"
    );
    let text = check_belvo_authorization("Bearer wrong-guess", vec!["Bearer real-token".into()])
        .unwrap_err()
        .as_string()
        .unwrap();
    assert!(
        !text.contains("real-token") && !text.contains("wrong-guess"),
        "{text}"
    );
}

#[wasm_bindgen_test]
fn error_codes_lists_every_rust_error() {
    let list = parsed(&error_codes());
    let codes: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    let rust: Vec<&str> = payhook::Error::ALL.iter().map(|e| e.code()).collect();
    assert_eq!(codes, rust);
}

#[wasm_bindgen_test]
fn client_ip_and_allowlist_through_the_binding() {
    let hops = |n: Value| Some(json!({ "hops": n }).to_string());
    let forwarded = Some("6.6.6.6, 3.130.254.46".to_owned());
    let peer = Some("::ffff:10.0.0.2".to_owned());
    let found =
        parsed(&client_ip_js(peer.clone(), None, forwarded.clone(), None, hops(json!(1))).unwrap());
    assert_eq!(found["ip"], "3.130.254.46");
    assert_eq!(found["source"], "x-forwarded-for");
    let belvo = allowlist_belvo().unwrap();
    assert!(
        allowlist_check(
            belvo,
            peer.clone(),
            None,
            forwarded.clone(),
            None,
            hops(json!(1))
        )
        .is_ok()
    );
    let r2 = allowlist_r2(None).unwrap();
    let refused = allowlist_check(
        r2,
        peer.clone(),
        None,
        forwarded.clone(),
        None,
        hops(json!(1)),
    );
    assert_eq!(code(refused.unwrap_err()), "ip_not_allowed");
    // A freed handle is refused, never read.
    allowlist_free(r2);
    let freed = allowlist_check(r2, peer.clone(), None, forwarded.clone(), None, None);
    assert_eq!(code(freed.unwrap_err()), "argument_invalid");
    // What input.js hands on for a trust it cannot make sense of: each is refused, none is
    // taken as "no trust".
    for trust in [
        json!({ "hops": -1 }),
        json!({ "hops": 1, "proxies": [] }),
        json!({}),
        json!({ "hops": 1, "header": "" }),
        json!({ "named": "sometimes" }),
        json!({ "hops": 1, "Header": "forwarded" }),
    ] {
        let got = client_ip_js(
            peer.clone(),
            None,
            forwarded.clone(),
            None,
            Some(trust.to_string()),
        );
        assert_eq!(code(got.unwrap_err()), "argument_invalid", "{trust}");
    }
    let bad = thrown(allowlist_new(vec!["10.0.0.0/8".into(), "10.0.0.1/8".into()]).unwrap_err());
    assert_eq!(
        (bad["code"].as_str(), bad["path"].as_str()),
        (Some("allowlist_malformed"), Some("/1"))
    );
}

#[wasm_bindgen_test]
fn a_receiver_from_its_configuration() {
    let config = |extra: Value| {
        let mut config = json!({ "provider": "r2", "secrets": [[107]] });
        for (key, value) in extra.as_object().unwrap() {
            config[key] = value.clone();
        }
        config.to_string()
    };
    let receiver = receiver_new(&config(json!({}))).unwrap();
    assert_eq!(receiver_limits(receiver).unwrap()[0], f64::from(1 << 20));
    let outcome = receiver_receive(
        receiver, b"{}", 0.0, None, None, None, None, None, None, 1e12,
    );
    assert_eq!(parsed(&outcome.unwrap())["code"], "signature_missing");
    let answer = receiver_answer(receiver, Some("handler_failed".into())).unwrap();
    assert_eq!(parsed(&answer)["status"], 500);
    let accepted = parsed(&receiver_answer(receiver, None).unwrap());
    assert_eq!(
        (&accepted["status"], &accepted["body"]),
        (&json!(200), &json!("R2 API Event Received"))
    );
    assert!(receiver_answer(receiver, Some("accepted".into())).is_err());
    receiver_free(receiver);
    assert!(
        receiver_limits(receiver).is_err(),
        "a freed receiver is refused"
    );
    for (extra, want) in [
        (json!({ "maxBytes": -1 }), "argument_invalid"),
        (json!({ "maxBytes": 1.5 }), "argument_invalid"),
        (json!({ "replayWindowMs": 60000 }), "argument_invalid"),
        (json!({ "allowlist": ["nope"] }), "allowlist_malformed"),
        (json!({ "allowList": [] }), "argument_invalid"),
        (json!({ "secrets": [] }), "secret_invalid"),
        (json!({ "secrets": [[]] }), "secret_invalid"),
        (json!({ "provider": "stripe" }), "argument_invalid"),
    ] {
        let refused = receiver_new(&config(extra.clone())).unwrap_err();
        assert_eq!(code(refused), want, "{extra}");
    }
}
