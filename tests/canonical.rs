//! Canonical JSON derived from the text as written (src/json/canonical.rs) against the same
//! values written in key order to begin with: for any tree of model objects (members in any
//! order), maps, arrays, numbers (`-0` among them) and strings (keys that need escaping
//! among them), the derived form is the sorted one.
#![cfg(not(target_arch = "wasm32"))]

use payhook::json::{ToJson, Writer};
use proptest::prelude::*;
use serde_json::{Map, Number, Value};

/// A value as a model writes it: objects with `begin_object` (their members in the order
/// given, put in order by a canonical writer), maps in key order.
#[derive(Clone, Debug)]
enum Tree {
    Model(Vec<(String, Tree)>),
    Map(Map<String, Value>),
    Array(Vec<Tree>),
    Number(f64),
    String(String),
}

impl ToJson for Tree {
    fn write_json(&self, out: &mut Writer) {
        match self {
            Tree::Model(members) => {
                out.begin_object();
                for (key, value) in members {
                    out.member(key, value);
                }
                out.end_object();
            }
            Tree::Map(map) => map.write_json(out),
            Tree::Array(items) => items.write_json(out),
            Tree::Number(x) => x.write_json(out),
            Tree::String(s) => s.write_json(out),
        }
    }
}

/// The same value as serde_json holds it (every object sorted), `omit` left out at the top.
fn sorted(tree: &Tree, omit: &[&str]) -> Value {
    match tree {
        Tree::Model(members) => Value::Object(
            members
                .iter()
                .filter(|(key, _)| !omit.contains(&key.as_str()))
                .map(|(key, value)| (key.clone(), sorted(value, &[])))
                .collect(),
        ),
        Tree::Map(map) => Value::Object(
            map.iter()
                .filter(|(key, _)| !omit.contains(&key.as_str()))
                .map(|(key, value)| (key.clone(), value.clone()))
                .collect(),
        ),
        Tree::Array(items) => Value::Array(items.iter().map(|t| sorted(t, &[])).collect()),
        Tree::Number(x) => Number::from_f64(*x).map_or(Value::Null, Value::Number),
        Tree::String(s) => Value::String(s.clone()),
    }
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "a",
            "b",
            "seen",
            "id",
            "abcdefgh1",
            "abcdefgh",
            "\"",
            "\\",
            "\u{1}",
            "é",
            "a\"b",
            "#"
        ])
        .prop_map(str::to_owned),
        "[a-z\"\\\\\u{0}-\u{1f}é]{0,10}",
    ]
}

fn leaf() -> impl Strategy<Value = Tree> {
    prop_oneof![
        prop::sample::select(vec![0.0, -0.0, 1.5, -2.0, 1e21, 12200.0, 17.36])
            .prop_map(Tree::Number),
        any::<f64>()
            .prop_filter("finite", |x| x.is_finite())
            .prop_map(Tree::Number),
        "[a-z\"\\\\\u{0}-\u{1f}é]{0,8}".prop_map(Tree::String),
        prop::collection::btree_map(key(), -3i64..3, 0..4)
            .prop_map(|m| { Tree::Map(m.into_iter().map(|(k, v)| (k, Value::from(v))).collect()) }),
    ]
}

fn tree() -> impl Strategy<Value = Tree> {
    leaf().prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            // Unique keys, in the order generated (not sorted).
            prop::collection::vec((key(), inner.clone()), 0..6).prop_map(|members| {
                let mut seen = std::collections::BTreeSet::new();
                Tree::Model(
                    members
                        .into_iter()
                        .filter(|(k, _)| seen.insert(k.clone()))
                        .collect(),
                )
            }),
            prop::collection::vec(inner, 0..4).prop_map(Tree::Array),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(5_000))]

    #[test]
    fn canonical_form_is_the_sorted_value(tree in tree()) {
        for omit in [&[][..], &["seen", "a", "\""][..]] {
            let mut out = Writer::canonical(omit);
            tree.write_json(&mut out);
            let canonical = out.into_string();
            // The sorted value written by a canonical writer: maps only, nothing to reorder.
            let mut expected = Writer::canonical(&[]);
            sorted(&tree, omit).write_json(&mut expected);
            prop_assert_eq!(&canonical, &expected.into_string());
            // `-0` is written as `0` (strings and keys here hold no digits or `-`).
            let negative_zero = ["-0,", "-0]", "-0}"].iter().any(|z| canonical.contains(z));
            prop_assert!(!negative_zero && !canonical.ends_with("-0"), "{}", canonical);
        }
    }
}

/// A model object with thousands of members outside the model (a lenient receiver keeps
/// them in it): put in key order as serde_json would, keys alike in their first eight bytes
/// among them.
#[test]
fn thousands_of_members_are_put_in_order() {
    let mut state: u64 = 3;
    let members: Vec<(String, Tree)> = (0..5_000)
        .map(|i| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            (
                format!("{}{i}", ["abcdefgh", "b", ""][(state >> 62) as usize % 3]),
                Tree::Number(f64::from(i)),
            )
        })
        .collect();
    let tree = Tree::Model(members);
    let mut out = Writer::canonical(&[]);
    tree.write_json(&mut out);
    let mut expected = Writer::canonical(&[]);
    sorted(&tree, &[]).write_json(&mut expected);
    assert_eq!(out.into_string(), expected.into_string());
}
