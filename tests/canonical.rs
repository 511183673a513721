//! A payload is written canonical after its first members, those its dedup key leaves out
//! (`Webhook::NOT_HASHED`): every object's members in code-point order of their names, which
//! is the text the key hashes. The oracle is the value read back by serde_json and written
//! with every object sorted: for every fixture, with members outside the model (escaped keys,
//! keys alike in their first bytes, non-ASCII) added at every level, in any order.
#![cfg(not(target_arch = "wasm32"))]

use payhook::fixtures::FIXTURES;
use payhook::json::to_string;
use payhook::{Options, parse_belvo_webhook, parse_r2_event};
use proptest::prelude::*;
use serde_json::{Map, Value};

mod oracle;
use oracle::canonical_after_first;

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
    }
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
