//! Parsing a body straight into the walker (objects kept as their members, keys borrowed from
//! the body) must read exactly what parsing into a `Map` and then walking it reads: the same
//! event or the same issues, for hostile bodies too. The reference here is `from_json` on
//! serde_json's own `Map` of the body, a separate path.
#![cfg(not(target_arch = "wasm32"))]

use payhook::json::{DEFAULT_MAX_BYTES, parse_object};
use payhook::providers::{Options, belvo, r2};
use proptest::prelude::*;
use serde_json::{Map, Value};

fn options(strict: bool) -> Options {
    Options {
        strict,
        ..Options::default()
    }
}

/// `body` read by `parse_r2_event` and `parse_belvo_webhook`, against `from_json` of the
/// same body parsed as a `Map` (by serde_json when payhook's parser accepts it, else the
/// parse error itself).
fn same(body: &str) {
    for strict in [false, true] {
        let map: Result<Map<String, Value>, _> = parse_object(body.as_bytes(), DEFAULT_MAX_BYTES)
            .map(|_| serde_json::from_str(body).expect("serde_json reads what payhook reads"));
        let r2 = r2::parse_r2_event(body.as_bytes(), options(strict));
        let r2_reference = map.clone().and_then(|m| r2::from_json(m, strict));
        assert_eq!(r2, r2_reference, "r2 {strict} {body}");
        let belvo = belvo::parse_belvo_webhook(body.as_bytes(), options(strict));
        let belvo_reference = map.and_then(|m| belvo::from_json(m, strict));
        assert_eq!(belvo, belvo_reference, "belvo {strict} {body}");
    }
}

fn issue(body: &str) -> (String, &'static str) {
    let e = r2::parse_r2_event(body.as_bytes(), Options::default()).unwrap_err();
    (e.issues[0].path.clone(), e.issues[0].code)
}

const EVENT: &str =
    r#""event":{"event_time":1570471067,"event_type":"financing_created","event_metadata":{}}"#;

#[test]
fn fixtures_read_the_same() {
    for provider in ["r2", "belvo"] {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("vectors/fixtures")
            .join(provider);
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "json") {
                same(&std::fs::read_to_string(&path).unwrap());
            }
        }
    }
}

#[test]
fn duplicate_keys_in_any_spelling_are_refused_where_met() {
    for (body, path) in [
        (r#"{"a":1,"a":2}"#, "/a"),
        (r#"{"a":1,"\u0061":2}"#, "/a"),
        (r#"{"\u0061":1,"a":2}"#, "/a"),
        (r#"{"\ud83d\ude00":1,"😀":2}"#, "/😀"),
        (
            r#"{"a/b":{"x":1,"y":[{"~":0,"\u007e":1}]}}"#,
            "/a~1b/y/0/~0",
        ),
        (
            r#"{"event":{"event_type":"financing_created","event_type":"x"}}"#,
            "/event/event_type",
        ),
        (
            r#"{"financing":{"financing_id":"f","metadata":{"n":1,"n":1}}}"#,
            "/financing/metadata/n",
        ),
        // The first problem met wins: a repeated key before a syntax error.
        (r#"{"a":1,"a":2,"#, "/a"),
    ] {
        assert_eq!(issue(body), (path.to_owned(), "duplicate_key"), "{body}");
        same(body);
    }
    // A syntax error before the repeated key wins.
    assert_eq!(issue(r#"{"a":1 x,"a":2}"#).1, "syntax");
    same(r#"{"a":1 x,"a":2}"#);
}

#[test]
fn huge_objects() {
    let members: Vec<String> = (0..50_000).map(|i| format!("\"k{i}\":{i}")).collect();
    let financing = format!(
        r#""financing":{{"financing_id":"f",{}}}"#,
        members.join(",")
    );
    let body = format!("{{{EVENT},{financing}}}");
    same(&body);
    let event = r2::parse_r2_event(body.as_bytes(), Options::default()).unwrap();
    let r2::R2Event::FinancingCreated(e) = event else {
        panic!()
    };
    assert_eq!(e.financing.extra.len(), 50_000);
    // A repeated key far into a huge object, in another spelling.
    let body = format!(
        "{{{EVENT},{},\"k4\\u0039999\":0}}}}",
        &financing[..financing.len() - 1]
    );
    assert_eq!(
        issue(&body),
        ("/financing/k49999".to_owned(), "duplicate_key")
    );
    same(&body);
    // The same at the top level, where reserved members are looked up.
    let body = format!("{{{},{EVENT}}}", members.join(","));
    same(&body);
}

#[test]
fn deep_nesting_inside_models() {
    let deep = |depth: usize| {
        format!(
            "{{{EVENT},\"financing\":{{\"financing_id\":\"f\",\"x\":{}{}}}}}",
            r#"{"a":"#.repeat(depth),
            "1".to_owned() + &"}".repeat(depth)
        )
    };
    same(&deep(120));
    assert_eq!(issue(&deep(200)).1, "too_deep");
    same(&deep(200));
    let arrays = format!(
        "{{{EVENT},\"financing\":{{\"metadata\":{}}}}}",
        "[".repeat(200)
    );
    assert_eq!(issue(&arrays).1, "too_deep");
}

#[test]
fn escaped_keys_are_read_as_their_text() {
    let body = r#"{"\u0065vent":{"event_time":"1","event_\u0074ype":"financing_paid","event_metadata":{}},"financing":{"financing\u005fid":"f","\ud83d\ude00":"x","a\"b":1,"a\/b\n":2}}"#;
    same(body);
    let event = r2::parse_r2_event(body.as_bytes(), Options::default()).unwrap();
    let r2::R2Event::FinancingPaid(e) = event else {
        panic!()
    };
    assert_eq!(e.financing.financing_id, "f");
    let mut keys: Vec<&str> = e.financing.extra.keys().map(String::as_str).collect();
    keys.sort_unstable(); // a `Map` keeps insertion order with serde_json's `preserve_order`
    assert_eq!(keys, ["a\"b", "a/b\n", "😀"]);
    let strict = r2::parse_r2_event(body.as_bytes(), options(true)).unwrap_err();
    let paths: Vec<&str> = strict.issues.iter().map(|i| i.path.as_str()).collect();
    assert_eq!(
        paths,
        ["/financing/a\"b", "/financing/a~1b\n", "/financing/😀"]
    );
}

#[test]
fn members_in_any_order_null_or_absent() {
    let fields = [
        r#""financing_id":"fa5c""#,
        r#""metadata":{"note":"","z":[1,{"b":2,"a":1}]}"#,
        r#""disbursed_amount":12200"#,
        r#""repayment_rate":17.36"#,
        r#""currency":"COP""#,
        r#""created_at":"1570471067""#,
        r#""status":"ACTIVE""#,
        r#""custom_fields":[{"name":"a","value":"b"}]"#,
        r#""unknown":{"x":{"y":null}}"#,
        r#""other":null"#,
    ];
    let reference = format!("{{{EVENT},\"financing\":{{{}}}}}", fields.join(","));
    let read = |body: &str| r2::parse_r2_event(body.as_bytes(), Options::default());
    same(&reference);
    for rotate in 1..fields.len() {
        let mut order = fields.to_vec();
        order.rotate_left(rotate);
        order.reverse();
        let body = format!("{{\"financing\":{{{}}},{EVENT}}}", order.join(","));
        same(&body);
        assert_eq!(read(&body), read(&reference));
    }
    for (member, null) in [
        ("metadata", r#""metadata":null"#),
        ("event_metadata", r#""event_metadata":null"#),
        ("financing_id", r#""financing_id":null"#),
        ("event_time", r#""event_time":null"#),
    ] {
        let present = reference.replace(r#""event_metadata":{}"#, r#""event_metadata":{},"pad":1"#);
        for body in [
            reference.replacen(&format!("\"{member}\""), "\"gone\"", 1),
            present.replacen(&format!("\"{member}\""), "\"gone\"", 1),
            format!("{{{EVENT},\"financing\":{{{null}}}}}"),
            format!("{{\"event\":{{\"event_type\":\"financing_paid\",{null}}}}}"),
        ] {
            same(&body);
        }
    }
    // Wrong types where objects are read as views.
    for body in [
        r#"{"event":[],"financing":{}}"#,
        r#"{"event":{"event_type":"financing_paid","event_metadata":"x"},"financing":1}"#,
        r#"{"event":{"event_type":{"a":1}},"financing":{"metadata":[{"a":1}]}}"#,
        r#"{"event":{"event_type":"financing_paid"},"financing":{"metadata":{"a":{}},"financing_id":{}}}"#,
        r#"{"event":{"event_type":"financing_paid"},"financing":{"custom_fields":{"a":{}}}}"#,
        r#"{"event":{"event_type":"nope","x":{"y":{}}},"other":{"a":{"b":[]}},"payhook":{}}"#,
        r#"{"webhook_id":"aadf41a1fc8e4f79a49f7f04027ac999","webhook_type":"PAYMENT_INTENTS","webhook_code":"STATUS_UPDATE","data":{"status":{},"x":{"y":1}},"more":{}}"#,
        r#"{"webhook_type":"X","webhook_code":"Y","data":{"a":{}}}"#,
        r#"{"webhook_type":{},"webhook_code":"Y"}"#,
    ] {
        same(body);
    }
}

/// A JSON text made of payload-like members, some keys spelled with a `\u` escape, with
/// repeats, nulls and wrong types: read the same both ways.
fn payload_like() -> impl Strategy<Value = String> {
    let text = prop::sample::select(vec![
        "financing_created",
        "collection_rejected",
        "nope",
        "1570471067",
        "",
        "ACTIVE",
        "COP",
        "PAYMENT_INTENTS",
        "STATUS_UPDATE",
        "NEW_ACCOUNTS_AVAILABLE",
        "aadf41a1fc8e4f79a49f7f04027ac999",
    ]);
    let leaf = prop_oneof![
        Just("null".to_owned()),
        Just("true".to_owned()),
        any::<i64>().prop_map(|n| n.to_string()),
        Just("17.36".to_owned()),
        text.prop_map(|s| format!("\"{s}\"")),
    ];
    let key = (
        prop::sample::select(vec![
            "event",
            "event_type",
            "event_time",
            "event_metadata",
            "reason",
            "financing",
            "financing_id",
            "collection",
            "metadata",
            "status",
            "currency",
            "custom_fields",
            "webhook_id",
            "webhook_type",
            "webhook_code",
            "data",
            "payhook",
            "x",
        ]),
        any::<bool>(),
    )
        .prop_map(|(key, escaped)| match key.split_at(1) {
            (first, rest) if escaped => format!("\\u{:04x}{rest}", u32::from(first.as_bytes()[0])),
            _ => key.to_owned(),
        });
    let object = |members: Vec<(String, String)>| {
        let members: Vec<String> = members
            .iter()
            .map(|(k, v)| format!("\"{k}\":{v}"))
            .collect();
        format!("{{{}}}", members.join(","))
    };
    let member_key = key.clone();
    let value = leaf.prop_recursive(4, 48, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(|v| format!("[{}]", v.join(","))),
            prop::collection::vec((member_key.clone(), inner), 0..8).prop_map(object),
        ]
    });
    prop::collection::vec((key, value), 0..8).prop_map(object)
}

proptest! {
    #[test]
    fn payload_like_bodies_read_the_same(body in payload_like()) {
        same(&body);
    }
}
