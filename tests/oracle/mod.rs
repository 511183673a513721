//! The oracles shared by tests/canonical.rs and the fuzz target `payload`: the canonical
//! order (a payload's JSON as serde_json reads it back, written with every object sorted),
//! and the owned path as the oracle of the borrowed one ([`as_read_agrees`]).

use core::time::Duration;
use std::collections::BTreeMap;

use payhook::json::{Json, to_string};
use payhook::providers::{
    Issue, PayloadError, Webhook, belvo, dedup_key_of_json, dedup_key_start, r2,
};
use payhook::receiver::{Accepted, Body, Delivery, Refused, Verifier};
use payhook::{
    Encoding, Options, Receiver, SigningKey, Trust, dedup_key, json_and_dedup_key, parse_accepted,
    parse_belvo_webhook, parse_r2_event, sign, validate_belvo_webhook, validate_r2_event,
};
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

/// What a payload path gives for a body: its JSON text, key start and dedup key, or the
/// refusal whole.
type Verdict = Result<(String, String, String), PayloadError>;

/// The owned event's JSON, key start and key, as `json_and_dedup_key` writes them.
fn owned<W: Webhook>(parsed: Result<W, PayloadError>) -> Verdict {
    parsed.map(|event| {
        let (json, key) = json_and_dedup_key(&event);
        assert_eq!(dedup_key(&event), key);
        (json.as_str().to_owned(), dedup_key_start(&event), key)
    })
}

/// The payload written as read (`parse_…_json`), and its key from that text, as the package
/// takes it (`dedupKeyOfParsed`).
fn as_read<W: Webhook>(written: Result<(Json, String), PayloadError>) -> Verdict {
    written.map(|(json, start)| {
        let key = dedup_key_of_json::<W>(json.as_str(), &start);
        (json.as_str().to_owned(), start, key)
    })
}

/// The owned path as the oracle of the borrowed one (what the npm package calls), on any
/// body: `parse_…_json` gives the owned event's JSON text and key start, the key taken from
/// that text is the owned event's, or both refuse alike (error, every issue whole), for both
/// providers; `validate_…` reports those issues; `dedup_key_from_json` (`dedupKey(event)`)
/// gives `from_json`'s key or refusal on the body read as a `Map`; and a receiver of either
/// provider accepts or refuses it alike through `receive` and `receive_json`.
pub fn as_read_agrees(body: &[u8], options: Options) {
    provider_agrees(
        parse_r2_event(body, options),
        r2::parse_r2_event_json(body, options),
        validate_r2_event(body, options).issues,
    );
    provider_agrees(
        parse_belvo_webhook(body, options),
        belvo::parse_belvo_webhook_json(body, options),
        validate_belvo_webhook(body, options).issues,
    );
    receivers_agree(body, options);
    // Any JSON object, as `dedupKey(event)` reads one: through a `Map`.
    if let Ok(map) = payhook::json::parse_object(body, usize::MAX) {
        assert_eq!(
            r2::dedup_key_from_json(map.clone(), options.strict),
            r2::from_json(map.clone(), options.strict).map(|e| dedup_key(&e))
        );
        assert_eq!(
            belvo::dedup_key_from_json(map.clone(), options.strict),
            belvo::from_json(map, options.strict).map(|e| dedup_key(&e))
        );
    }
}

/// One provider's parse (the owned event), `parse_…_json` of the same body and its
/// `validate_…` issues: the same JSON, key start and key, or the same refusal and issues.
fn provider_agrees<W: Webhook>(
    parsed: Result<W, PayloadError>,
    written: Result<(Json, String), PayloadError>,
    validated: Vec<Issue>,
) {
    let owned = owned(parsed);
    assert_eq!(as_read::<W>(written), owned);
    let issues = owned.as_ref().err().map(|e| e.issues.clone());
    assert_eq!(validated, issues.unwrap_or_default());
}

/// `receive` and `receive_json` of `body` signed for R2 and authorized for Belvo, at its own
/// `event_time` (R2): the same verdict, JSON, key and checks.
fn receivers_agree(body: &[u8], options: Options) {
    let signature = sign(body, b"fuzz-secret", Encoding::Hex).unwrap();
    let time =
        parse_r2_event(body, Options::default()).map_or(0, |e| e.envelope().event_time as u64);
    for verifier in [
        Verifier::R2Signature(vec![SigningKey::new(b"fuzz-secret").unwrap()]),
        Verifier::BelvoAuthorization(parse_accepted(&["Bearer fuzz-token"]).unwrap()),
    ] {
        let receiver = Receiver::new(verifier, None, Trust::None, options).unwrap();
        let delivery = Delivery {
            body: Body::Bytes(body),
            signature: Some(&signature),
            authorization: Some("Bearer fuzz-token"),
            forwarding: Default::default(),
            peer: None,
            received_at: Duration::from_secs(time),
        };
        let _ = receive_json_agrees(&receiver, &delivery);
    }
}

/// [`Receiver::receive_json`] gives what [`Receiver::receive`] gives, but the owned event;
/// returns `receive`'s outcome.
pub fn receive_json_agrees(receiver: &Receiver, delivery: &Delivery) -> Result<Accepted, Refused> {
    let full = receiver.receive(delivery);
    assert_eq!(
        receiver.receive_json(delivery),
        full.clone().map(|a| Accepted {
            event: (),
            event_json: a.event_json,
            dedup_key: a.dedup_key,
            client_ip: a.client_ip,
            signature: a.signature,
            authorization: a.authorization,
        })
    );
    full
}
