//! The canonical-order oracle, shared by tests/canonical.rs and the fuzz target `payload`:
//! a payload's JSON as serde_json reads it back, written with every object sorted.

use std::collections::BTreeMap;

use payhook::json::to_string;
use payhook::providers::Webhook;
use serde_json::Value;

/// The payload's JSON as the oracle has it: the members `NOT_HASHED` names, in that order,
/// then the rest of `to_json`, every object sorted here (not by serde_json's `Map`, which
/// keeps insertion order when a crate turns on its `preserve_order`).
pub fn canonical_after_first<W: Webhook>(event: &W) -> String {
    let Value::Object(all) = payhook::json::to_value(event) else {
        panic!("a payload is an object");
    };
    let mut first: Vec<String> = W::NOT_HASHED
        .iter()
        .filter_map(|name| {
            all.get(*name)
                .map(|v| format!("{}:{}", to_string(*name), sorted(v)))
        })
        .collect();
    let rest = sorted(&event.dedup_content());
    let rest = rest.strip_prefix('{').expect("an object");
    if rest != "}" {
        first.push(rest.strip_suffix('}').expect("an object").to_owned());
    }
    format!("{{{}}}", first.join(","))
}

/// `value` as JSON text, every object's members sorted by their keys.
pub fn sorted(value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let members: BTreeMap<&String, &Value> = map.iter().collect();
            let members: Vec<String> = members
                .into_iter()
                .map(|(k, v)| format!("{}:{}", to_string(k.as_str()), sorted(v)))
                .collect();
            format!("{{{}}}", members.join(","))
        }
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(sorted).collect();
            format!("[{}]", items.join(","))
        }
        other => to_string(other),
    }
}
