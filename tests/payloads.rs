//! Payloads: every fixture parses and round-trips, the broken-payload table gives exactly the
//! expected issues, hostile JSON fails cleanly, and dedup keys behave.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::path::{Path, PathBuf};

use common::run_table;
use payhook::providers::belvo::{self, BelvoWebhook};
use payhook::providers::r2::{self, R2Event};
use payhook::providers::{Options, PayloadError, Seen, Webhook};
use payhook::{Error, dedup_key, parse_belvo_webhook, parse_r2_event, validate_r2_event};
use proptest::prelude::*;
use serde::Deserialize;
use serde_json::Value;

fn fixtures(provider: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("vectors/fixtures")
        .join(provider);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixtures dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).expect("read fixture"))
        })
        .collect()
}

/// What a fixture's file name says it is: the part before the variant suffix.
fn named_kind(file: &str, parts: usize) -> String {
    file.split('.').take(parts).collect::<Vec<_>>().join(".")
}

fn without_seen(mut value: Value) -> Value {
    if let Value::Object(map) = &mut value {
        map.remove("seen");
    }
    value
}

#[test]
fn every_r2_fixture_parses_strict_and_round_trips() {
    let files = fixtures("r2");
    // Every documented type has a fixture.
    for kind in R2Event::KNOWN {
        assert!(
            files.iter().any(|(f, _)| named_kind(f, 1) == *kind),
            "no fixture for {kind}"
        );
    }
    run_table(
        &files,
        |(name, _)| name,
        |(name, body)| {
            let lenient = parse_r2_event(body, Options::default()).map_err(|e| format!("{e:?}"))?;
            let strict = parse_r2_event(body, Options::strict()).map_err(|e| format!("{e:?}"))?;
            if lenient != strict {
                return Err("strict and lenient differ".into());
            }
            if matches!(lenient, R2Event::Unknown(_)) || lenient.event_type() != named_kind(name, 1)
            {
                return Err(format!("parsed as {}", lenient.event_type()));
            }
            let again = r2::from_json(
                lenient
                    .to_json()
                    .as_object()
                    .ok_or("not an object")?
                    .clone(),
                true,
            )
            .map_err(|e| format!("re-parse: {e:?}"))?;
            if again.to_json() != lenient.to_json() {
                return Err("round trip changed the value".into());
            }
            // The JS view is the provider's shape plus the discriminant and `seen`.
            let mut view = serde_json::to_value(&lenient).map_err(|e| e.to_string())?;
            let map = view.as_object_mut().ok_or("view not an object")?;
            if map.remove("event_type") != Some(Value::from(lenient.event_type())) {
                return Err("no top-level event_type".into());
            }
            if without_seen(view) != lenient.to_json() {
                return Err("view is not provider shape + event_type + seen".into());
            }
            if dedup_key(&again) != dedup_key(&lenient) {
                return Err("dedup key changed by a round trip".into());
            }
            Ok(())
        },
    );
}

#[test]
fn every_belvo_fixture_parses_strict_and_round_trips() {
    let files = fixtures("belvo");
    run_table(
        &files,
        |(name, _)| name,
        |(name, body)| {
            let lenient =
                parse_belvo_webhook(body, Options::default()).map_err(|e| format!("{e:?}"))?;
            let strict =
                parse_belvo_webhook(body, Options::strict()).map_err(|e| format!("{e:?}"))?;
            if lenient != strict {
                return Err("strict and lenient differ".into());
            }
            if matches!(lenient, BelvoWebhook::Unknown(_)) || lenient.kind() != named_kind(name, 2)
            {
                return Err(format!("parsed as {}", lenient.kind()));
            }
            let again = belvo::from_json(
                lenient
                    .to_json()
                    .as_object()
                    .ok_or("not an object")?
                    .clone(),
                true,
            )
            .map_err(|e| format!("re-parse: {e:?}"))?;
            if again.to_json() != lenient.to_json() {
                return Err("round trip changed the value".into());
            }
            let view = serde_json::to_value(&lenient).map_err(|e| e.to_string())?;
            if without_seen(view) != lenient.to_json() {
                return Err("view is not provider shape + seen".into());
            }
            Ok(())
        },
    );
}

#[test]
fn fixtures_cover_every_documented_belvo_pair() {
    let names: Vec<String> = fixtures("belvo")
        .iter()
        .map(|(f, _)| named_kind(f, 2))
        .collect();
    for pair in [
        "BANK_ACCOUNTS.OBJECT_CREATED",
        "PAYMENT_INTENTS.STATUS_UPDATE",
        "TRANSACTIONS.OBJECT_CREATED",
        "CHARGES.STATUS_UPDATE",
        "ENROLLMENTS.STATUS_UPDATE",
        "PAYMENT_AUTHORIZATIONS.STATUS_UPDATE",
        "CUSTOMERS.OBJECT_CREATED",
        "ACCOUNTS.historical_update",
        "TRANSACTIONS.historical_update",
        "BILLS.historical_update",
        "ACCOUNTS.new_accounts_available",
        "TRANSACTIONS.new_transactions_available",
        "TRANSACTIONS.transactions_updated",
        "TRANSACTIONS.transactions_deleted",
        "LINKS.invalid_credentials",
        "LINKS.token_required",
        "CONSENTS.consent_expired",
        "CONSENTS.openfinance_consent_expired",
        "TRANSACTIONS.STATUS_UPDATE",
    ] {
        assert!(names.iter().any(|n| n == pair), "no fixture for {pair}");
    }
}

#[test]
fn contradictions_are_recorded() {
    let read =
        |file: &str| std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(file)).unwrap();
    let walkthrough = parse_r2_event(
        &read("vectors/fixtures/r2/financing_created.walkthrough.json"),
        Options::default(),
    )
    .unwrap();
    assert_eq!(walkthrough.seen(), [Seen::EventTimeAsString]);
    assert_eq!(walkthrough.envelope().event_time, 1_348_177_752);
    let callbacks = parse_r2_event(
        &read("vectors/fixtures/r2/financing_created.json"),
        Options::default(),
    )
    .unwrap();
    assert_eq!(callbacks.seen(), [Seen::EventTimeAsInteger]);

    let intent = parse_belvo_webhook(
        &read("vectors/fixtures/belvo/PAYMENT_INTENTS.STATUS_UPDATE.json"),
        Options::default(),
    )
    .unwrap();
    assert_eq!(
        intent.seen(),
        [
            Seen::WebhookIdUuid,
            Seen::ExternalIdPresent,
            Seen::FailureCodeLowerCase
        ]
    );
    let seed = parse_belvo_webhook(
        &read("vectors/fixtures/belvo/TRANSACTIONS.STATUS_UPDATE.seed-brazil.json"),
        Options::default(),
    )
    .unwrap();
    assert_eq!(
        seed.seen(),
        [
            Seen::WebhookIdHex,
            Seen::ExternalIdAbsent,
            Seen::FailureCodeLowerCase,
            Seen::UndocumentedPair
        ]
    );
    let charge = parse_belvo_webhook(
        &read("vectors/fixtures/belvo/CHARGES.STATUS_UPDATE.json"),
        Options::default(),
    )
    .unwrap();
    let BelvoWebhook::Charges(charge) = charge else {
        panic!("not a charge")
    };
    assert!(charge.data.failure_code.unwrap().is("insufficient_funds"));
    assert!(charge.seen.contains(&Seen::ExternalIdNull));
}

/// A Belvo `webhook_id` is 32 hex digits or a UUID (hex groups of 8, 4, 4, 4 and 12 with
/// dashes between); nothing else, whatever its length.
#[test]
fn webhook_ids_are_hex_or_dashed_uuids() {
    let seen = |id: &str| {
        let body = format!(
            r#"{{"webhook_id":"{id}","webhook_type":"PAYMENT_INTENTS","webhook_code":"STATUS_UPDATE","object_id":"x","data":{{}}}}"#
        );
        match parse_belvo_webhook(body.as_bytes(), Options::default()) {
            Ok(hook) => hook.seen().first().copied(),
            Err(e) => {
                assert_eq!(e.issues[0].message, "not a webhook id", "{id}");
                None
            }
        }
    };
    assert_eq!(
        seen("aadf41a1fc8e4f79a49f7f04027ac999"),
        Some(Seen::WebhookIdHex)
    );
    assert_eq!(
        seen("AADF41A1FC8E4F79A49F7F04027AC999"),
        Some(Seen::WebhookIdHex)
    );
    assert_eq!(
        seen("d2e40773-19f6-48d1-93c3-3590ec0c74df"),
        Some(Seen::WebhookIdUuid)
    );
    for bad in [
        "",
        "-",
        "----",
        "aadf41a1fc8e4f79a49f7f04027ac99",
        "aadf41a1fc8e4f79a49f7f04027ac9990",
        "aadf41a1fc8e4f79a49f7f04027ac99g",
        "d2e40773-19f6-48d1-93c3-3590ec0c74d",
        "d2e40773-19f6-48d1-93c3-3590ec0c74dff",
        "d2e4077-319f6-48d1-93c3-3590ec0c74df",
        "d2e40773-19f6-48d1-93c3-3590ec0c74d-",
        "d2e40773-19f6-48d1-93c33590ec0c74df0",
        "d2e40773-19f6-48d1-93c3--590ec0c74df",
        "d2e40773-19f6-48d1-93c3-3590ec0c74dg",
        "d2e40773a19f6a48d1a93c3a3590ec0c74df",
        "d2e40773-19f6-48d1-93c3-3590ec0c7éf",
    ] {
        assert_eq!(seen(bad), None, "{bad}");
    }
}

#[test]
fn lenient_mode_keeps_unknown_types_fields_and_values() {
    let body = br#"{"event":{"event_time":5,"event_type":"loan_restructured","event_metadata":{"reason":"x","by":"ops"}},
        "loan":{"loan_id":"l1"},"seen":1}"#;
    let event = parse_r2_event(body, Options::default()).unwrap();
    let R2Event::Unknown(unknown) = &event else {
        panic!("not unknown")
    };
    assert_eq!(unknown.event_type, "loan_restructured");
    assert_eq!(unknown.raw["loan"]["loan_id"], "l1");
    assert_eq!(unknown.event.event_metadata.extra["by"], "ops");
    assert_eq!(
        event.seen(),
        [
            Seen::EventTimeAsInteger,
            Seen::UnknownFields,
            Seen::ReservedFieldDropped
        ]
    );
    let strict = parse_r2_event(body, Options::strict()).unwrap_err();
    assert_eq!(strict.error, Error::UnknownEventType);

    let body = br#"{"event":{"event_time":5,"event_type":"financing_paid","event_metadata":{}},
        "financing":{"financing_id":"f","currency":"USD","status":"LATE","bonus":1}}"#;
    let R2Event::FinancingPaid(paid) = parse_r2_event(body, Options::default()).unwrap() else {
        panic!("not financing_paid")
    };
    assert_eq!(
        paid.financing.currency.as_ref().map(|c| c.as_str()),
        Some("USD")
    );
    assert!(paid.financing.status.as_ref().is_some_and(|s| s.is_other()));
    assert_eq!(paid.financing.extra["bonus"], 1);
    assert!(paid.seen.contains(&Seen::UnknownValue));
}

#[derive(Deserialize)]
struct InvalidCase {
    provider: String,
    name: String,
    strict: bool,
    body: Option<String>,
    json: Option<Value>,
    error: String,
    issues: Vec<(String, String)>,
}

#[derive(Deserialize)]
struct InvalidFile {
    cases: Vec<InvalidCase>,
}

fn parse_any(provider: &str, body: &[u8], options: Options) -> Result<(), PayloadError> {
    match provider {
        "r2" => parse_r2_event(body, options).map(drop),
        "belvo" => parse_belvo_webhook(body, options).map(drop),
        other => panic!("unknown provider {other}"),
    }
}

#[test]
fn broken_payload_table() {
    let file: InvalidFile =
        serde_json::from_str(include_str!("../vectors/payloads_invalid.json")).unwrap();
    assert!(file.cases.len() >= 60, "only {} cases", file.cases.len());
    run_table(
        &file.cases,
        |c| &c.name,
        |c| {
            let body = match (&c.body, &c.json) {
                (Some(text), None) => text.clone().into_bytes(),
                (None, Some(json)) => serde_json::to_vec(json).unwrap(),
                _ => return Err("needs exactly one of body, json".into()),
            };
            let options = Options {
                strict: c.strict,
                ..Options::default()
            };
            let Err(e) = parse_any(&c.provider, &body, options) else {
                return Err("parsed".into());
            };
            let got: Vec<(String, String)> = e
                .issues
                .iter()
                .map(|i| (i.path.clone(), i.code.to_owned()))
                .collect();
            if e.error.code() != c.error || got != c.issues {
                return Err(format!(
                    "expected {} {:?}, got {} {:?}",
                    c.error,
                    c.issues,
                    e.error.code(),
                    got
                ));
            }
            // The report form says the same.
            let report = match c.provider.as_str() {
                "r2" => {
                    let r = validate_r2_event(&body, options);
                    (r.ok, r.value.is_some(), r.issues)
                }
                _ => {
                    let r = belvo::validate_belvo_webhook(&body, options);
                    (r.ok, r.value.is_some(), r.issues)
                }
            };
            if report != (false, false, e.issues) {
                return Err("report differs from the error".into());
            }
            Ok(())
        },
    );
}

fn first_issue(body: &[u8], options: Options) -> (Error, String, &'static str) {
    let e = parse_r2_event(body, options).unwrap_err();
    let issue = &e.issues[0];
    (e.error, issue.path.clone(), issue.code)
}

#[test]
fn hostile_json_fails_cleanly() {
    let d = Options::default();
    let deep = |open: &str, close: &str| {
        let mut s = String::from("{\"a\":");
        s.push_str(&open.repeat(100_000));
        s.push_str(&close.repeat(100_000));
        s.push('}');
        s
    };
    assert_eq!(first_issue(deep("[", "]").as_bytes(), d).2, "too_deep");
    assert_eq!(
        first_issue(deep("{\"a\":", "}").as_bytes(), d).2,
        "too_deep"
    );
    assert_eq!(first_issue(&b"[".repeat(100_000), d).2, "too_deep");

    let digits = "9".repeat(400);
    let body = format!(r#"{{"event":{{"event_time":{digits},"event_type":"x"}}}}"#);
    assert_eq!(
        first_issue(body.as_bytes(), d),
        (Error::PayloadNotJson, String::new(), "number_out_of_range")
    );
    // 400 digits that fit in an f64 read as a float: a clean issue on event_time.
    let small = format!("0.{}1", "0".repeat(398));
    let body = format!(
        r#"{{"event":{{"event_time":{small},"event_type":"financing_paid"}},"financing":{{"financing_id":"f","fixed_fee":{small}}}}}"#
    );
    assert_eq!(
        first_issue(body.as_bytes(), d),
        (
            Error::PayloadInvalid,
            "/event/event_time".into(),
            "invalid_value"
        )
    );

    assert_eq!(
        first_issue(b"{\"a\":\"\xff\"}", d),
        (Error::PayloadNotJson, String::new(), "invalid_utf8")
    );
    assert_eq!(first_issue(b"\xef\xbb\xbf{}", d).2, "bom");
    assert_eq!(first_issue(b"", d).2, "empty");

    let small = Options {
        max_bytes: 11,
        ..Options::default()
    };
    let e = parse_r2_event(b"{\"event\":{}}", small).unwrap_err();
    assert_eq!(e.error, Error::PayloadTooLarge);
    assert_eq!(e.issues[0].found.as_deref(), Some("12 bytes"));
    assert!(
        parse_r2_event(b"{\"event\":1}", small).is_err_and(|e| e.error == Error::PayloadInvalid)
    );
    let huge = vec![b' '; payhook::json::DEFAULT_MAX_BYTES + 1];
    assert_eq!(first_issue(&huge, d).0, Error::PayloadTooLarge);
}

/// An R2 event body with its members in the given order and the given whitespace.
fn r2_body(
    event_type: &str,
    financing_id: &str,
    status: &str,
    time: i64,
    time_as_string: bool,
    order: &[usize],
    space: &str,
) -> String {
    let time = if time_as_string {
        format!("\"{time}\"")
    } else {
        time.to_string()
    };
    let envelope = [
        format!("\"event_time\":{space}{time}"),
        format!("\"event_type\":{space}\"{event_type}\""),
        format!("\"event_metadata\":{space}{{}}"),
    ];
    let financing = [
        format!("\"financing_id\":{space}\"{financing_id}\""),
        format!("\"status\":{space}\"{status}\""),
        format!("\"disbursed_amount\":{space}12200"),
    ];
    let pick = |items: &[String; 3]| {
        order
            .iter()
            .map(|&i| items[i % 3].clone())
            .collect::<Vec<_>>()
            .join(&format!(",{space}"))
    };
    format!(
        "{{{space}\"financing\":{space}{{{}}},{space}\"event\":{space}{{{}}}{space}}}",
        pick(&financing),
        pick(&envelope)
    )
}

fn key(body: &str) -> String {
    dedup_key(&parse_r2_event(body.as_bytes(), Options::default()).unwrap())
}

const TYPES: [&str; 4] = [
    "financing_created",
    "financing_paid",
    "financing_paused",
    "financing_write_off",
];

proptest! {
    #[test]
    fn r2_key_ignores_order_whitespace_and_time_encoding(
        t in 0..4usize,
        id in "[a-f0-9]{8,40}",
        status in prop::sample::select(vec!["INITIALIZED", "ACTIVE", "PAID", "LATE"]),
        time in 0..4_000_000_000i64,
        as_string in any::<bool>(),
        order in Just(vec![0usize, 1, 2]).prop_shuffle(),
        space in prop::sample::select(vec!["", " ", "\n  ", "\t"]),
    ) {
        let canonical = r2_body(TYPES[t], &id, status, time, false, &[0, 1, 2], "");
        let variant = r2_body(TYPES[t], &id, status, time, as_string, &order, space);
        let k = key(&canonical);
        prop_assert_eq!(&k, &key(&variant));
        let prefix = format!("r2:{}:", TYPES[t]);
        prop_assert!(k.starts_with(&prefix));
        prop_assert_eq!(k.len(), "r2::".len() + TYPES[t].len() + 22);
    }

    #[test]
    fn r2_key_changes_with_type_object_status_or_time(
        t in 0..4usize,
        id in "[a-f0-9]{8,40}",
        time in 0..4_000_000_000i64,
        change in 0..4usize,
    ) {
        let base = r2_body(TYPES[t], &id, "ACTIVE", time, false, &[0, 1, 2], "");
        let other = match change {
            0 => r2_body(TYPES[(t + 1) % 4], &id, "ACTIVE", time, false, &[0, 1, 2], ""),
            1 => r2_body(TYPES[t], &format!("{id}0"), "ACTIVE", time, false, &[0, 1, 2], ""),
            2 => r2_body(TYPES[t], &id, "PAID", time, false, &[0, 1, 2], ""),
            _ => r2_body(TYPES[t], &id, "ACTIVE", time + 1, false, &[0, 1, 2], ""),
        };
        prop_assert_ne!(key(&base), key(&other));
    }

    #[test]
    fn belvo_key_ignores_order_whitespace_and_webhook_id(
        object in "[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}",
        status in prop::sample::select(vec!["PROCESSING", "SUCCEEDED", "FAILED", "REFUNDED"]),
        other_status in prop::sample::select(vec!["PROCESSING", "SUCCEEDED", "FAILED", "REFUNDED"]),
        hex_id in any::<bool>(),
        reversed in any::<bool>(),
        space in prop::sample::select(vec!["", " ", "\n"]),
    ) {
        let webhook_id = if hex_id {
            "aadf41a1fc8e4f79a49f7f04027ac999"
        } else {
            "3b9a69f7-0f0a-455b-832d-49ad6fd4905c"
        };
        let mut members = [
            format!("\"webhook_id\":{space}\"{webhook_id}\""),
            "\"webhook_type\":\"PAYMENT_INTENTS\"".to_owned(),
            "\"webhook_code\":\"STATUS_UPDATE\"".to_owned(),
            format!("\"object_id\":{space}\"{object}\""),
            format!("\"data\":{space}{{\"status\":\"{status}\"}}"),
        ];
        if reversed {
            members.reverse();
        }
        let body = format!("{{{}}}", members.join(&format!(",{space}")));
        let canonical = format!(
            r#"{{"webhook_id":"aadf41a1fc8e4f79a49f7f04027ac999","webhook_type":"PAYMENT_INTENTS","webhook_code":"STATUS_UPDATE","object_id":"{object}","data":{{"status":"{status}"}}}}"#
        );
        let changed = canonical.replace(&format!("\"status\":\"{status}\""), &format!("\"status\":\"{other_status}\""));
        let key = |b: &str| dedup_key(&parse_belvo_webhook(b.as_bytes(), Options::default()).unwrap());
        prop_assert_eq!(key(&body), key(&canonical));
        prop_assert!(key(&body).starts_with("belvo:PAYMENT_INTENTS.STATUS_UPDATE:"));
        prop_assert_eq!(key(&changed) == key(&canonical), status == other_status);
    }
}

#[test]
fn acknowledgements_and_schedules() {
    use core::time::Duration;
    assert_eq!(r2::ACK.status, 200);
    assert_eq!(r2::ACK.body, "R2 API Event Received");
    let minutes: Vec<u64> = r2::RETRIES
        .delays
        .iter()
        .map(|d| d.as_secs() / 60)
        .collect();
    assert_eq!(minutes, [5, 15, 45, 135, 405, 1215]);
    assert!(r2::RETRIES.dedup_retention() > Duration::from_secs(30 * 3600 + 20 * 60));
    assert_eq!((belvo::ACK.status, belvo::ACK.max_status), (200, 299));
    assert_eq!(belvo::ACK.within, Duration::from_secs(5));
    assert_eq!(belvo::RETRIES.delays, [Duration::from_secs(60); 3]);
    assert!(belvo::RETRIES.dedup_retention() >= belvo::RETRIES.window());
}
