#![cfg(not(target_arch = "wasm32"))]
//! The JSON Schemas shipped in the npm package (`schemas/*.schema.json`) against the Rust
//! validator, so the two cannot drift: the R2 schema routes exactly `R2Event::KNOWN`, the
//! Belvo schema routes exactly the (type, code) pairs payhook parses to a documented variant
//! (every fixture's pair among them), each route requires exactly the members payhook
//! requires (and refuses `null` for them, as payhook does), and the enumerations' `examples`
//! are the `KNOWN` lists. Validating payloads against the schemas is the JS suite's job
//! (`js-tests/schemas.test.mjs`, with Ajv); this only reads the schemas' structure.

use std::collections::BTreeSet;
use std::path::Path;

use payhook::providers::belvo::{
    self, ChargeStatus, PaymentIntentStatus, ProcessType, WebhookCode, WebhookType,
};
use payhook::providers::r2::{
    self, CollectionKind, Currency, FinancingKind, FinancingStatus, R2Event,
};
use serde_json::{Map, Value, json};

const HEX_ID: &str = "aadf41a1fc8e4f79a49f7f04027ac999";

fn schema(file: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("schemas")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("expected an array of strings, found {value}"))
        .iter()
        .map(|s| s.as_str().expect("a string").to_owned())
        .collect()
}

fn known(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

/// Resolves a local `$ref` (`#/$defs/name`).
fn resolve<'a>(root: &'a Value, reference: &str) -> &'a Value {
    let pointer = reference
        .strip_prefix('#')
        .unwrap_or_else(|| panic!("only local references are expected: {reference}"));
    root.pointer(pointer)
        .unwrap_or_else(|| panic!("{reference} does not resolve"))
}

/// Whether `instance` satisfies `schema`, for the few keywords the schemas' `if`s use to route.
/// Any other keyword fails the test: the routing must stay this simple to be checked here.
fn matches(schema: &Value, instance: &Value) -> bool {
    let Some(keywords) = schema.as_object() else {
        return schema
            .as_bool()
            .expect("a schema is an object or a boolean");
    };
    keywords.iter().all(|(keyword, s)| match keyword.as_str() {
        "description" | "title" | "examples" => true,
        "type" => {
            let types = match s {
                Value::String(t) => vec![t.clone()],
                other => strings(other),
            };
            types.iter().any(|t| match t.as_str() {
                "object" => instance.is_object(),
                "string" => instance.is_string(),
                "null" => instance.is_null(),
                other => panic!("routing on type {other} is not evaluated here"),
            })
        }
        "const" => instance == s,
        "enum" => s.as_array().expect("enum is an array").contains(instance),
        "required" => instance
            .as_object()
            .is_none_or(|m| strings(s).iter().all(|k| m.contains_key(k))),
        "properties" => instance.as_object().is_none_or(|m| {
            s.as_object()
                .expect("properties is an object")
                .iter()
                .all(|(k, sub)| m.get(k).is_none_or(|v| matches(sub, v)))
        }),
        "anyOf" => s
            .as_array()
            .expect("anyOf")
            .iter()
            .any(|sub| matches(sub, instance)),
        "allOf" => s
            .as_array()
            .expect("allOf")
            .iter()
            .all(|sub| matches(sub, instance)),
        other => panic!("routing keyword `{other}` is not evaluated here"),
    })
}

/// The schema and everything it pulls in at the same instance location (`$ref`, `allOf`).
fn applied<'a>(root: &'a Value, schema: &'a Value) -> Vec<&'a Value> {
    let mut out = vec![schema];
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        out.extend(applied(root, resolve(root, reference)));
    }
    for sub in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        out.extend(applied(root, sub));
    }
    out
}

/// The members `schema` requires.
fn required(root: &Value, schema: &Value) -> BTreeSet<String> {
    applied(root, schema)
        .into_iter()
        .filter_map(|s| s.get("required"))
        .flat_map(strings)
        .collect()
}

/// The subschemas that apply to member `key` of an instance of `schema`.
fn member<'a>(root: &'a Value, schema: &'a Value, key: &str) -> Vec<&'a Value> {
    applied(root, schema)
        .into_iter()
        .filter_map(|s| s.get("properties").and_then(|p| p.get(key)))
        .flat_map(|s| applied(root, s))
        .collect()
}

/// Whether one schema's `type` (or `anyOf` of types) lets `null` through.
fn allows_null(root: &Value, schema: &Value) -> bool {
    applied(root, schema).into_iter().all(|s| {
        let typed = match s.get("type") {
            None => true,
            Some(Value::String(t)) => t == "null",
            Some(types) => strings(types).iter().any(|t| t == "null"),
        };
        let any = match s.get("anyOf").and_then(Value::as_array) {
            None => true,
            Some(alternatives) => alternatives.iter().any(|a| allows_null(root, a)),
        };
        typed && any
    })
}

/// Members of `schema` the schema requires, each checked to refuse `null` (payhook reads a
/// `null` required member as missing).
fn required_non_null(root: &Value, schema: &Value, what: &str) -> BTreeSet<String> {
    let keys = required(root, schema);
    for key in &keys {
        let schemas = member(root, schema, key);
        assert!(
            schemas.iter().any(|s| !allows_null(root, s)),
            "{what}: `{key}` is required but the schema lets null through"
        );
    }
    keys
}

/// The paths payhook reports as `missing` for a body, relative to `under` (`""` or `/data`).
fn missing(issues: &[payhook::providers::Issue], under: &str) -> BTreeSet<String> {
    issues
        .iter()
        .filter(|i| i.code == "missing")
        .filter_map(|i| i.path.strip_prefix(under)?.strip_prefix('/'))
        .filter(|rest| !rest.contains('/'))
        .map(str::to_owned)
        .collect()
}

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => unreachable!("bodies are objects"),
    }
}

/// The routes of a schema's `then`: each `allOf` item's `if` and `then`.
fn routes(root: &Value) -> Vec<(&Value, &Value)> {
    root.pointer("/then/allOf")
        .and_then(Value::as_array)
        .expect("the routes are /then/allOf")
        .iter()
        .map(|r| (&r["if"], &r["then"]))
        .collect()
}

/// The one route whose `if` holds for `instance`, if any (two would be a schema bug).
fn route_for<'a>(root: &'a Value, instance: &Value) -> Option<&'a Value> {
    if !matches(&root["if"], instance) {
        return None;
    }
    let hits: Vec<&Value> = routes(root)
        .into_iter()
        .filter(|(cond, _)| matches(cond, instance))
        .map(|(_, then)| then)
        .collect();
    assert_eq!(hits.len(), 1, "{instance}: {} routes apply", hits.len());
    hits.first().copied()
}

fn fixture_names(provider: &str) -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("vectors/fixtures")
        .join(provider);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("fixtures dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    names
}

#[test]
fn both_schemas_are_draft_2020_12_json_with_ids() {
    for (file, id) in [
        (
            "r2-event.schema.json",
            "https://payhook.dev/schemas/r2-event.schema.json",
        ),
        (
            "belvo-webhook.schema.json",
            "https://payhook.dev/schemas/belvo-webhook.schema.json",
        ),
    ] {
        let s = schema(file);
        assert_eq!(
            s["$schema"], "https://json-schema.org/draft/2020-12/schema",
            "{file}"
        );
        assert_eq!(s["$id"], id, "{file}");
        assert!(
            s["title"].is_string() && s["description"].is_string(),
            "{file}"
        );
        assert_eq!(s["type"], "object", "{file}");
        assert!(
            s.get("else").is_some(),
            "{file}: no branch for unknown types"
        );
        assert!(s["$defs"].is_object(), "{file}: no $defs");
    }
}

#[test]
fn r2_schema_routes_exactly_the_known_event_types() {
    let s = schema("r2-event.schema.json");
    // The root `if` (documented or not) lists KNOWN, in the same order.
    let listed = s
        .pointer("/if/properties/event/properties/event_type/enum")
        .expect("root if enum");
    assert_eq!(strings(listed), known(R2Event::KNOWN));
    let documented = s
        .pointer("/$defs/envelope/properties/event_type/examples")
        .expect("examples");
    assert_eq!(strings(documented), known(R2Event::KNOWN));
    // One route per known type, nothing else.
    let consts: Vec<String> = routes(&s)
        .into_iter()
        .map(|(cond, _)| {
            let c = cond
                .pointer("/properties/event/properties/event_type/const")
                .expect("each route is keyed on one event_type");
            c.as_str().expect("a string").to_owned()
        })
        .collect();
    let set: BTreeSet<&String> = consts.iter().collect();
    assert_eq!(set.len(), consts.len(), "an event type has two routes");
    assert_eq!(
        set,
        R2Event::KNOWN
            .iter()
            .map(|s| (*s).to_owned())
            .collect::<Vec<_>>()
            .iter()
            .collect()
    );
    // Every fixture is routed.
    for file in fixture_names("r2") {
        let event_type = file.split('.').next().unwrap_or_default();
        let instance = json!({ "event": { "event_type": event_type } });
        assert!(route_for(&s, &instance).is_some(), "{file} is not routed");
    }
    // An unknown type falls to `else`, which only repeats that the body is an object.
    assert!(route_for(&s, &json!({ "event": { "event_type": "loan_created" } })).is_none());
    assert_eq!(
        s.pointer("/else/$ref"),
        Some(&json!("#/$defs/unknown_event"))
    );
}

#[test]
fn r2_schema_requires_what_payhook_requires() {
    let s = schema("r2-event.schema.json");
    // The body and the envelope.
    let err = r2::from_json(&Map::new(), false).expect_err("empty body");
    assert_eq!(
        required_non_null(&s, &s, "r2 root"),
        missing(&err.issues, "")
    );
    let err = r2::from_json(&object(json!({ "event": {} })), false).expect_err("empty event");
    let envelope = resolve(&s, "#/$defs/envelope");
    assert_eq!(
        required_non_null(&s, envelope, "envelope"),
        missing(&err.issues, "/event")
    );

    for event_type in R2Event::KNOWN {
        let event =
            json!({ "event_time": 1712345678, "event_type": event_type, "event_metadata": {} });
        let route = route_for(&s, &json!({ "event": event })).expect("routed");
        // The object the type carries.
        let err = r2::from_json(&object(json!({ "event": event })), false).expect_err("no object");
        let rust_top = missing(&err.issues, "");
        let schema_top = required_non_null(&s, route, event_type);
        assert_eq!(schema_top, rust_top, "{event_type}: top-level members");
        assert_eq!(rust_top.len(), 1, "{event_type}: one object");
        // The members that object requires.
        let key = rust_top.first().expect("one object").clone();
        let err = r2::from_json(&object(json!({ "event": event, key.as_str(): {} })), false)
            .err()
            .map(|e| e.issues)
            .unwrap_or_default();
        let rust_members = missing(&err, &format!("/{key}"));
        let mut schema_members = BTreeSet::new();
        for object_schema in member(&s, route, &key) {
            schema_members.extend(required_non_null(
                &s,
                object_schema,
                &format!("{event_type} {key}"),
            ));
        }
        assert_eq!(
            schema_members, rust_members,
            "{event_type}: members of `{key}`"
        );
    }
}

#[test]
fn r2_enumerations_are_the_known_lists() {
    let s = schema("r2-event.schema.json");
    for (def, list) in [
        ("currency", Currency::KNOWN),
        ("financing_status", FinancingStatus::KNOWN),
        ("financing_kind", FinancingKind::KNOWN),
        ("collection_kind", CollectionKind::KNOWN),
    ] {
        let examples = s.pointer(&format!("/$defs/{def}/examples")).expect(def);
        assert_eq!(strings(examples), known(list), "{def}");
        assert!(
            allows_null(&s, &s["$defs"][def]),
            "{def}: optional, so null reads as absent"
        );
        assert!(
            s["$defs"][def].get("enum").is_none(),
            "{def}: unknown values must pass"
        );
    }
}

/// Strict mode tells a documented pair from an unknown one without needing a full body.
fn belvo_documented(webhook_type: &str, webhook_code: &str) -> bool {
    let body =
        json!({ "webhook_id": HEX_ID, "webhook_type": webhook_type, "webhook_code": webhook_code });
    match belvo::from_json(&object(body), true) {
        Ok(_) => true,
        Err(e) => !e.issues.iter().any(|i| i.code == "unknown_event_type"),
    }
}

#[test]
fn belvo_schema_routes_exactly_the_pairs_payhook_documents() {
    let s = schema("belvo-webhook.schema.json");
    let mut types = known(WebhookType::KNOWN);
    types.extend(["LOANS".to_owned(), "charges".to_owned()]);
    let mut codes = known(WebhookCode::KNOWN);
    codes.extend([
        "OBJECT_DELETED".to_owned(),
        "status_update".to_owned(),
        "HISTORICAL_UPDATE".to_owned(),
    ]);
    let mut routed = 0;
    for t in &types {
        for c in &codes {
            let instance = json!({ "webhook_type": t, "webhook_code": c });
            let in_schema = route_for(&s, &instance).is_some();
            assert_eq!(in_schema, belvo_documented(t, c), "{t} / {c}");
            routed += usize::from(in_schema);
        }
    }
    // 7 payment types × 2 codes, and 9 aggregation codes × every type tried.
    assert_eq!(routed, 7 * 2 + 9 * types.len());
    assert_eq!(
        s.pointer("/else/$ref"),
        Some(&json!("#/$defs/unknown_webhook"))
    );
}

#[test]
fn belvo_schema_covers_every_fixture_pair() {
    let s = schema("belvo-webhook.schema.json");
    let names = fixture_names("belvo");
    assert!(!names.is_empty());
    for file in names {
        let mut parts = file.split('.');
        let (t, c) = (
            parts.next().unwrap_or_default(),
            parts.next().unwrap_or_default(),
        );
        let instance = json!({ "webhook_type": t, "webhook_code": c });
        assert!(
            route_for(&s, &instance).is_some(),
            "{file}: ({t}, {c}) has no branch"
        );
    }
}

#[test]
fn belvo_schema_requires_what_payhook_requires() {
    let s = schema("belvo-webhook.schema.json");
    let core = required_non_null(&s, &s, "belvo root");
    let err = belvo::from_json(&Map::new(), false).expect_err("empty body");
    assert_eq!(core, missing(&err.issues, ""));
    let mut types = known(WebhookType::KNOWN);
    types.push("OWNERS".to_owned());
    for t in &types {
        for c in WebhookCode::KNOWN {
            let instance = json!({ "webhook_type": t, "webhook_code": c });
            let Some(route) = route_for(&s, &instance) else {
                continue;
            };
            let what = format!("{t} / {c}");
            let body = json!({ "webhook_id": HEX_ID, "webhook_type": t, "webhook_code": c });
            let err = belvo::from_json(&object(body.clone()), false).expect_err("no data");
            let mut schema_top = core.clone();
            schema_top.extend(required_non_null(&s, route, &what));
            let mut rust_top = core.clone();
            rust_top.extend(missing(&err.issues, ""));
            assert_eq!(schema_top, rust_top, "{what}: top-level members");
            // `data` requires nothing in any documented shape.
            let mut with_data = object(body);
            with_data.insert("data".into(), json!({}));
            let rust_data = belvo::from_json(&with_data, false)
                .err()
                .map(|e| missing(&e.issues, "/data"))
                .unwrap_or_default();
            let mut schema_data = BTreeSet::new();
            for data in member(&s, route, "data") {
                schema_data.extend(required_non_null(&s, data, &what));
            }
            assert_eq!(schema_data, rust_data, "{what}: members of data");
        }
    }
}

#[test]
fn belvo_enumerations_are_the_known_lists() {
    let s = schema("belvo-webhook.schema.json");
    for (def, list) in [
        ("webhook_type", WebhookType::KNOWN),
        ("webhook_code", WebhookCode::KNOWN),
        ("payment_intent_status", PaymentIntentStatus::KNOWN),
        ("charge_status", ChargeStatus::KNOWN),
        ("process_type", ProcessType::KNOWN),
    ] {
        let examples = s.pointer(&format!("/$defs/{def}/examples")).expect(def);
        assert_eq!(strings(examples), known(list), "{def}");
        assert!(
            s["$defs"][def].get("enum").is_none(),
            "{def}: unknown values must pass"
        );
    }
}
