//! The JavaScript binding, tested in a JS engine: `wasm-pack test --node` (or
//! `--headless --chrome` with the `browser-tests` feature). The shared vectors go through
//! the same JsValue conversions the npm package uses, and bad arguments must throw a
//! `PayhookError`, never trap.
#![cfg(target_arch = "wasm32")]

#[path = "../../../tests/common/mod.rs"]
mod common;

use common::{compare, run_table};
use js_sys::{Array, Reflect, Uint8Array};
use payhook_js::{check_belvo_authorization, error_codes, sign_r2, verify_r2_signature};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

#[cfg(feature = "browser-tests")]
wasm_bindgen_test_configure!(run_in_browser);

fn get(object: &JsValue, key: &str) -> JsValue {
    Reflect::get(object, &key.into()).unwrap()
}

fn string(object: &JsValue, key: &str) -> String {
    get(object, key).as_string().unwrap_or_default()
}

fn index(object: &JsValue, key: &str) -> usize {
    get(object, key).as_f64().unwrap_or(-1.0) as usize
}

/// The `code` of a thrown error, after checking it is a real `Error` named `PayhookError`.
fn code(thrown: JsValue) -> String {
    assert!(
        thrown.is_instance_of::<js_sys::Error>(),
        "not an Error: {thrown:?}"
    );
    assert_eq!(string(&thrown, "name"), "PayhookError");
    assert!(get(&thrown, "status").as_f64().is_some());
    string(&thrown, "code")
}

fn strings(list: &[String]) -> JsValue {
    list.iter().map(JsValue::from).collect::<Array>().into()
}

fn header(value: &Option<String>) -> JsValue {
    value.as_deref().map_or(JsValue::NULL, JsValue::from)
}

#[wasm_bindgen_test]
fn r2_vectors_through_the_binding() {
    run_table(
        &common::r2_cases(),
        |c| &c.name,
        |c| {
            let body: JsValue = Uint8Array::from(c.body().as_slice()).into();
            let got = verify_r2_signature(body, header(&c.header), strings(&c.secrets))
                .map(|r| (index(&r, "secretIndex"), string(&r, "encoding")))
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
            let got = check_belvo_authorization(header(&c.header), strings(&c.accepted))
                .map(|r| (index(&r, "acceptedIndex"), string(&r, "scheme")))
                .map_err(code);
            compare(got, &c.expect)
        },
    );
}

#[wasm_bindgen_test]
fn bodies_of_every_js_type_sign_and_verify_alike() {
    let text = "{\"amount\":\"✅\"}";
    let bytes = Uint8Array::from(text.as_bytes());
    let header = sign_r2(text.into(), "k".into(), JsValue::UNDEFINED).unwrap();
    for body in [
        JsValue::from(text),
        bytes.clone().into(),
        bytes.buffer().into(),
        js_sys::DataView::new(&bytes.buffer(), 0, bytes.length() as usize).into(),
    ] {
        let found = verify_r2_signature(body, header.clone().into(), "k".into()).unwrap();
        assert_eq!(string(&found, "encoding"), "base64-hex");
    }
}

#[wasm_bindgen_test]
fn sign_r2_encodings() {
    for (name, len) in [
        ("hex", 64),
        ("base64", 44),
        ("base64url", 43),
        ("base64-hex", 88),
    ] {
        let options = js_sys::Object::new();
        Reflect::set(&options, &"encoding".into(), &name.into()).unwrap();
        let header = sign_r2("{}".into(), "k".into(), options.into()).unwrap();
        assert_eq!(header.len(), len, "{name}");
    }
    let options = js_sys::Object::new();
    Reflect::set(&options, &"encoding".into(), &"base32".into()).unwrap();
    assert_eq!(
        code(sign_r2("{}".into(), "k".into(), options.into()).unwrap_err()),
        "argument_invalid"
    );
}

#[wasm_bindgen_test]
fn wrong_argument_types_throw_and_the_instance_keeps_working() {
    let obj: JsValue = js_sys::Object::new().into();
    let ok_header = sign_r2("{}".into(), "k".into(), JsValue::UNDEFINED).unwrap();
    let cases: Vec<(&str, Result<JsValue, JsValue>, &str)> = vec![
        (
            "null body",
            verify_r2_signature(JsValue::NULL, ok_header.clone().into(), "k".into()),
            "argument_invalid",
        ),
        (
            "number body",
            verify_r2_signature(42.into(), ok_header.clone().into(), "k".into()),
            "argument_invalid",
        ),
        (
            "object body",
            verify_r2_signature(obj.clone(), ok_header.clone().into(), "k".into()),
            "argument_invalid",
        ),
        (
            "number header",
            verify_r2_signature("{}".into(), 42.into(), "k".into()),
            "argument_invalid",
        ),
        (
            "undefined header",
            verify_r2_signature("{}".into(), JsValue::UNDEFINED, "k".into()),
            "signature_missing",
        ),
        (
            "undefined secrets",
            verify_r2_signature("{}".into(), ok_header.clone().into(), JsValue::UNDEFINED),
            "secret_invalid",
        ),
        (
            "number secret",
            verify_r2_signature("{}".into(), ok_header.clone().into(), 7.into()),
            "secret_invalid",
        ),
        (
            "empty secret list",
            verify_r2_signature("{}".into(), ok_header.clone().into(), Array::new().into()),
            "secret_invalid",
        ),
        (
            "null in secret list",
            verify_r2_signature(
                "{}".into(),
                ok_header.clone().into(),
                Array::of1(&JsValue::NULL).into(),
            ),
            "secret_invalid",
        ),
        (
            "object as accepted",
            check_belvo_authorization("Bearer a".into(), obj.clone()),
            "secret_invalid",
        ),
        (
            "number header (belvo)",
            check_belvo_authorization(1.into(), "Bearer a".into()),
            "argument_invalid",
        ),
        (
            "options not an object",
            sign_r2("{}".into(), "k".into(), 3.into()).map(JsValue::from),
            "argument_invalid",
        ),
        (
            "empty secret for signing",
            sign_r2("{}".into(), "".into(), JsValue::UNDEFINED).map(JsValue::from),
            "secret_invalid",
        ),
    ];
    for (what, result, want) in cases {
        assert_eq!(code(result.expect_err(what)), want, "{what}");
        // The instance still works after every refusal.
        assert!(verify_r2_signature("{}".into(), ok_header.clone().into(), "k".into()).is_ok());
    }
}

#[wasm_bindgen_test]
fn hostile_sizes_through_the_binding() {
    let huge = "a".repeat(10 * 1024 * 1024);
    assert_eq!(
        code(verify_r2_signature("{}".into(), huge.into(), "k".into()).unwrap_err()),
        "signature_malformed"
    );
    let body = Uint8Array::new_with_length(8 * 1024 * 1024);
    body.fill(0xff, 0, body.length());
    let header = sign_r2(body.clone().into(), "k".into(), JsValue::UNDEFINED).unwrap();
    assert!(verify_r2_signature(body.into(), header.into(), "k".into()).is_ok());
    let lines: JsValue = Array::of2(&"Bearer a".into(), &"Bearer b".into()).into();
    assert_eq!(
        code(check_belvo_authorization(lines, "Bearer a".into()).unwrap_err()),
        "authorization_malformed"
    );
}

#[wasm_bindgen_test]
fn error_messages_never_contain_the_secret_or_the_expected_signature() {
    let secret = "super-secret-partner-key";
    let expected = sign_r2("{}".into(), secret.into(), JsValue::UNDEFINED).unwrap();
    let tampered =
        verify_r2_signature("{ }".into(), expected.clone().into(), secret.into()).unwrap_err();
    let message = string(&tampered, "message");
    assert!(
        !message.contains(secret) && !message.contains(&expected),
        "{message}"
    );
    let refused =
        check_belvo_authorization("Bearer wrong-guess".into(), "Bearer real-token".into())
            .unwrap_err();
    let message = string(&refused, "message");
    assert!(
        !message.contains("real-token") && !message.contains("wrong-guess"),
        "{message}"
    );
}

#[wasm_bindgen_test]
fn error_codes_lists_every_rust_error() {
    let list: Array = error_codes().unwrap().dyn_into().unwrap();
    let codes: Vec<String> = list.iter().map(|e| string(&e, "code")).collect();
    let rust: Vec<&str> = payhook::Error::ALL.iter().map(|e| e.code()).collect();
    assert_eq!(codes, rust);
}

#[wasm_bindgen_test]
fn client_ip_and_allowlist_through_the_binding() {
    use payhook_js::{JsAllowlist, client_ip_js};
    let request = js_sys::Object::new();
    let headers = js_sys::Object::new();
    Reflect::set(
        &headers,
        &"X-Forwarded-For".into(),
        &"6.6.6.6, 3.130.254.46".into(),
    )
    .unwrap();
    let trust = js_sys::Object::new();
    Reflect::set(&trust, &"hops".into(), &1.into()).unwrap();
    Reflect::set(&request, &"peer".into(), &"::ffff:10.0.0.2".into()).unwrap();
    Reflect::set(&request, &"headers".into(), &headers).unwrap();
    Reflect::set(&request, &"trust".into(), &trust).unwrap();
    let found = client_ip_js(request.clone().into()).unwrap();
    assert_eq!(
        (
            string(&found, "ip").as_str(),
            string(&found, "source").as_str()
        ),
        ("3.130.254.46", "x-forwarded-for")
    );
    assert!(JsAllowlist::belvo().check(request.clone().into()).is_ok());
    let refused = JsAllowlist::r2(JsValue::UNDEFINED)
        .unwrap()
        .check(request.clone().into())
        .unwrap_err();
    assert_eq!(code(refused), "ip_not_allowed");
    Reflect::set(&trust, &"hops".into(), &"one".into()).unwrap();
    assert_eq!(
        code(client_ip_js(request.into()).unwrap_err()),
        "argument_invalid"
    );
    let bad = JsAllowlist::new(Array::of2(&"10.0.0.0/8".into(), &"10.0.0.1/8".into()).into())
        .err()
        .unwrap();
    assert_eq!(string(&bad, "path"), "/1");
    assert_eq!(code(bad), "allowlist_malformed");
}
