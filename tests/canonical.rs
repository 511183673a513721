//! A payload is written canonical after its first members, those its dedup key leaves out
//! (`Webhook::NOT_HASHED`): every object's members in code-point order of their names, which
//! is the text the key hashes. The oracle is the value read back by serde_json and written
//! with every object sorted: for every fixture, with members outside the model (escaped keys,
//! keys alike in their first bytes, non-ASCII) added at every level, in any order.
//!
//! The borrowed path (the payload written as read, what the npm package calls) is checked
//! against the owned one (`oracle::as_read_agrees`) on the same bodies, and on bodies with
//! hostile members written in as text at any object: payhook's reserved names, numbers
//! JavaScript reads differently (`-0`, `1.0`, `1e400`, past 2^64), keys equal or ordered
//! differently once unescaped, `__proto__`, `null` where an id or an object is due, objects
//! with more members than the sort keeps on the stack, arrays of objects; strict and lenient.
#![cfg(not(target_arch = "wasm32"))]

use payhook::fixtures::FIXTURES;
use payhook::json::to_string;
use payhook::{Options, parse_belvo_webhook, parse_r2_event};
use proptest::prelude::*;
use serde_json::{Map, Value};

mod oracle;
use oracle::{as_read_agrees, canonical_after_first};

/// `value` as JSON text with every object's members in an order `seed` picks.
fn shuffled(value: &Value, seed: &mut u64) -> String {
    match value {
        Value::Object(map) => {
            let mut members: Vec<_> = map.iter().collect();
            for i in (1..members.len()).rev() {
                *seed = seed
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                members.swap(i, (*seed >> 33) as usize % (i + 1));
            }
            let members: Vec<String> = members
                .into_iter()
                .map(|(k, v)| format!("{}:{}", to_string(k.as_str()), shuffled(v, seed)))
                .collect();
            format!("{{{}}}", members.join(","))
        }
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(|v| shuffled(v, seed)).collect();
            format!("[{}]", items.join(","))
        }
        other => to_string(other),
    }
}

/// `extras` added to every object of `value` (a name it already has is skipped, and so are
/// payhook's own, which a body may not send).
fn with_extras(value: &mut Value, extras: &[(String, Value)]) {
    match value {
        Value::Object(map) => {
            for v in map.values_mut() {
                with_extras(v, extras);
            }
            for (k, v) in extras {
                if !map.contains_key(k) && !["seen", "event_type"].contains(&k.as_str()) {
                    map.insert(k.clone(), v.clone());
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| with_extras(v, extras)),
        _ => {}
    }
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "a",
            "z",
            "id",
            "abcdefgh1",
            "abcdefgh",
            "\"",
            "\\",
            "\u{1}",
            "é",
            "a\"b",
            "#",
            "~",
            "0",
            "10",
            "2",
            "status_",
            "statu",
            "statu!",
            "statu ",
            "a!",
            "a ",
        ])
        .prop_map(str::to_owned),
        "[a-z\"\\\\\u{0}-\u{1f}é_! #]{0,10}",
    ]
}

fn extra_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        (-3i64..3).prop_map(Value::from),
        prop::sample::select(vec![0.5, -0.0, 1e21, 17.36]).prop_map(Value::from),
        "[a-z\"é]{0,4}".prop_map(Value::from),
        prop::collection::btree_map("[a-c]{1,2}", -3i64..3, 0..3).prop_map(|m| Value::Object(
            m.into_iter()
                .map(|(k, v)| (k, Value::from(v)))
                .collect::<Map<_, _>>()
        )),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    #[test]
    fn payloads_are_written_canonical_after_their_first_members(
        which in 0..FIXTURES.len(),
        extras in prop::collection::vec((key(), extra_value()), 0..5),
        mut seed in any::<u64>(),
    ) {
        let fixture = &FIXTURES[which];
        let mut value: Value = serde_json::from_str(fixture.body).expect("a fixture is JSON");
        with_extras(&mut value, &extras);
        let body = shuffled(&value, &mut seed);
        let (written, expected) = match fixture.provider {
            "r2" => {
                let event = parse_r2_event(body.as_bytes(), Options::default()).expect("lenient");
                (to_string(&event), canonical_after_first(&event))
            }
            _ => {
                let event = parse_belvo_webhook(body.as_bytes(), Options::default()).expect("lenient");
                (to_string(&event), canonical_after_first(&event))
            }
        };
        prop_assert_eq!(written, expected, "{}", body);
        for strict in [false, true] {
            as_read_agrees(body.as_bytes(), Options { strict, ..Options::default() });
        }
    }

    #[test]
    fn the_payload_as_read_is_the_owned_payload(
        which in 0..FIXTURES.len(),
        extras in prop::collection::vec((key(), extra_value()), 0..3),
        raw in prop::collection::vec((any::<usize>(), raw_member()), 0..6),
        mut seed in any::<u64>(),
    ) {
        let fixture = &FIXTURES[which];
        let mut value: Value = serde_json::from_str(fixture.body).expect("a fixture is JSON");
        with_extras(&mut value, &extras);
        let mut body = shuffled(&value, &mut seed);
        for (at, member) in &raw {
            body = with_member(&body, *at, member);
        }
        for strict in [false, true] {
            as_read_agrees(body.as_bytes(), Options { strict, ..Options::default() });
        }
    }
}

/// A member as JSON text, one a hostile or careless sender may write.
fn raw_member() -> impl Strategy<Value = String> {
    let name = prop::sample::select(vec![
        "\"seen\"",
        "\"event_type\"",
        "\"event\"",
        "\"webhook_id\"",
        "\"webhook_type\"",
        "\"webhook_code\"",
        "\"external_id\"",
        "\"data\"",
        "\"status\"",
        "\"metadata\"",
        "\"custom_fields\"",
        "\"financing_id\"",
        "\"event_time\"",
        "\"event_metadata\"",
        "\"reason\"",
        "\"\\u0073een\"",
        "\"s\\u0065en\"",
        "\"\\u0061\"",
        "\"a\"",
        "\"\\u00e9\"",
        "\"\\ud83d\\ude00\"",
        "\"\u{1F600}\"",
        "\"\u{FF}\"",
        "\"\\/\"",
        "\"/\"",
        "\"~1\"",
        "\"__proto__\"",
        "\"constructor\"",
        "\"\"",
        "\"\\u0000\"",
        "\"Z\"",
        "\"_\"",
    ]);
    let value = prop::sample::select(vec![
        "null",
        "-0",
        "-0.0",
        "1.0",
        "1e400",
        "-1e400",
        "1E2",
        "18446744073709551615",
        "18446744073709551616",
        "-9223372036854775809",
        "9007199254740993",
        "0.1",
        "1e-7",
        "\"\"",
        "\"x\"",
        "\"1348177752\"",
        "\"\\u0041\"",
        "\"aadf41a1fc8e4f79a49f7f04027ac999\"",
        "[]",
        "{}",
        "true",
        "[{\"b\":1,\"a\":2},{\"\\u0062\":[{\"d\":1,\"c\":null}],\"a\":0}]",
        "{\"q\":1,\"p\":{\"z\":1,\"y\":2},\"\\u0070a\":3}",
        "{\"k\":1,\"\\u006b\":2}",
        "{\"k17\":0,\"k16\":0,\"k15\":0,\"k14\":0,\"k13\":0,\"k12\":0,\"k11\":0,\"k10\":0,\"k9\":0,\"k8\":0,\"k7\":0,\"k6\":0,\"k5\":0,\"k4\":0,\"k3\":0,\"k2\":0,\"k1\":0}",
        "{\"p\":0,\"o\":0,\"n\":0,\"m\":0,\"l\":0,\"k\":0,\"j\":0,\"i\":0,\"h\":0,\"g\":0,\"f\":0,\"e\":0,\"d\":0,\"c\":0,\"b\":0,\"a\":0}",
    ]);
    (name, value).prop_map(|(name, value)| format!("{name}:{value}"))
}

/// `body` with `member` added first to one of its objects, the `at`th (modulo their number)
/// in the order they open.
fn with_member(body: &str, at: usize, member: &str) -> String {
    // Where objects open, outside strings.
    let (mut opens, mut in_string, mut escaped) = (Vec::new(), false, false);
    for (i, b) in body.bytes().enumerate() {
        match (in_string, escaped, b) {
            (true, true, _) => escaped = false,
            (true, false, b'\\') => escaped = true,
            (true, false, b'"') => in_string = false,
            (false, _, b'"') => in_string = true,
            (false, _, b'{') => opens.push(i + 1),
            _ => {}
        }
    }
    let Some(&i) = opens.get(at % opens.len().max(1)) else {
        return body.to_owned();
    };
    let comma = if body[i..].trim_start().starts_with('}') {
        ""
    } else {
        ","
    };
    format!("{}{member}{comma}{}", &body[..i], &body[i..])
}

/// A model object with thousands of members outside the model (a lenient receiver keeps
/// them): merged into the model's own in key order, keys alike in their first bytes among
/// them.
#[test]
fn thousands_of_members_outside_the_model_are_merged_in_order() {
    let fixture = payhook::fixture("r2", "financing_created").expect("a fixture");
    let mut value: Value = serde_json::from_str(fixture).expect("JSON");
    let extras: Vec<(String, Value)> = (0..5_000u64)
        .map(|i| {
            let x = i.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40;
            (
                format!(
                    "{}{x}",
                    ["financing_", "a", "z", "due_", "é"][i as usize % 5]
                ),
                Value::from(i),
            )
        })
        .collect();
    with_extras(&mut value, &extras);
    let body = shuffled(&value, &mut 9);
    let event = parse_r2_event(body.as_bytes(), Options::default()).expect("lenient");
    assert_eq!(to_string(&event), canonical_after_first(&event));
}

/// Bodies larger and deeper than the proptest's and the fuzzer's (4 KiB) inputs, at every
/// object of every fixture: members past the 16 the sort keeps on the stack, descending and
/// with escaped keys; arrays of such objects; nesting near the parser's limit and past it. The borrowed
/// path writes, keys and refuses them as the owned one does.
#[test]
fn large_and_deep_bodies_read_as_the_owned_payload() {
    let object = |n: usize, escaped: bool| {
        let members: Vec<String> = (0..n)
            .rev()
            .map(|i| match escaped && i % 2 == 0 {
                true => format!("\"\\u006b{i:03}\":{i}"),
                false => format!("\"k{i:03}\":{i}"),
            })
            .collect();
        format!("{{{}}}", members.join(","))
    };
    let array = format!("[{}]", vec![object(17, true); 20].join(","));
    // Two levels each: 122 and more under the fixture's, near the parser's limit (127);
    // and past it.
    let nested = |levels: usize| {
        let mut deep = object(3, false);
        for i in 0..levels {
            deep = format!("{{\"z{i}\":[{deep}],\"a{i}\":{}}}", object(2, true));
        }
        deep
    };
    let hostile = [
        format!("\"big\":{}", object(40, true)),
        format!("\"many\":{array}"),
        format!("\"deep\":{}", nested(61)),
        format!("\"deeper\":{}", nested(64)),
        format!("\"metadata\":{}", object(33, false)),
        format!("\"custom_fields\":{array}"),
        format!("\"data\":{}", object(20, true)),
    ];
    for fixture in FIXTURES {
        let value: Value = serde_json::from_str(fixture.body).expect("a fixture is JSON");
        let body = shuffled(&value, &mut 5);
        let objects = body.matches('{').count();
        for member in &hostile {
            for at in 0..objects {
                let body = with_member(&body, at, member);
                for strict in [false, true] {
                    as_read_agrees(
                        body.as_bytes(),
                        Options {
                            strict,
                            ..Options::default()
                        },
                    );
                }
            }
        }
    }
}
