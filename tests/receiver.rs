//! The receiver, natively: every combination of good and bad address, signature and payload
//! gets the verdict of the receiver's order, and `inspect` (which runs every check) always
//! agrees with `receive` (which stops at the first failure).
#![cfg(not(target_arch = "wasm32"))]

use core::time::Duration;

use payhook::receiver::{Delivery, Refused, Verifier};
use payhook::{
    Allowlist, Body, Encoding, Error, ForwardingHeaders, Options, Receiver, ReplayWindow,
    SigningKey, Trust, fixture, parse_accepted, r2_allowlist, sign,
};

/// The fixtures' `event_time` (2012-09-20), and an hour after it: when they "arrived".
const EVENT_TIME: u64 = 1_348_177_752;
const ARRIVED: Duration = Duration::from_secs(EVENT_TIME + 3600);

fn r2_receiver(max_bytes: usize) -> Receiver {
    let keys = vec![
        SigningKey::new(b"old").unwrap(),
        SigningKey::new(b"r2-partner-jwt-secret").unwrap(),
    ];
    let trust = Trust::Proxies {
        proxies: Allowlist::parse(&["127.0.0.1"]).unwrap(),
        header: Default::default(),
    };
    Receiver::new(
        Verifier::R2Signature(keys),
        Some(r2_allowlist(None)),
        trust,
        Options {
            max_bytes,
            ..Options::default()
        },
    )
    .unwrap()
}

#[test]
fn every_combination_gets_the_receivers_order_and_inspect_agrees() {
    let good = fixture("r2", "financing_created")
        .unwrap()
        .as_bytes()
        .to_vec();
    let invalid = br#"{"financing":{}}"#.to_vec();
    let huge = vec![b' '; 2048];
    let receiver = r2_receiver(1024);
    let late = ARRIVED + Duration::from_secs(15 * 86_400);
    let mut cases = 0;
    for (from, address_error) in [
        ("54.215.38.39", None),
        ("203.0.113.9", Some(Error::IpNotAllowed)),
    ] {
        for (body, oversized, arrived, payload_error) in [
            (&good, false, ARRIVED, None),
            (&good, false, late, Some(Error::EventStale)),
            (&invalid, false, ARRIVED, Some(Error::PayloadInvalid)),
            (&huge, false, ARRIVED, Some(Error::PayloadTooLarge)),
            // The same, measured by the caller and never copied.
            (&huge, true, ARRIVED, Some(Error::PayloadTooLarge)),
        ] {
            for (signature, signature_error) in [
                (
                    Some(sign(body, b"r2-partner-jwt-secret", Encoding::Hex).unwrap()),
                    None,
                ),
                (
                    Some(sign(body, b"wrong", Encoding::Hex).unwrap()),
                    Some(Error::SignatureMismatch),
                ),
                (None, Some(Error::SignatureMissing)),
            ] {
                let delivery = Delivery {
                    body: match oversized {
                        true => Body::Oversized(body.len() as u64),
                        false => Body::Bytes(body),
                    },
                    signature: signature.as_deref(),
                    forwarding: ForwardingHeaders {
                        x_forwarded_for: Some(from),
                        ..Default::default()
                    },
                    peer: Some("127.0.0.1"),
                    received_at: arrived,
                    ..Default::default()
                };
                let too_large = payload_error == Some(Error::PayloadTooLarge);
                let expected = address_error
                    .or(if too_large { payload_error } else { None })
                    .or(signature_error)
                    .or(payload_error);
                let full = receiver.receive(&delivery);
                // Without the owned event (the npm package's call): the same verdict, JSON
                // and key.
                assert_eq!(
                    receiver
                        .receive_json(&delivery)
                        .map(|a| (a.event_json, a.dedup_key)),
                    full.clone().map(|a| (a.event_json, a.dedup_key))
                );
                let received = full.map(|_| ()).map_err(|r| r.error);
                let inspected = receiver.inspect(&delivery);
                assert_eq!(
                    received,
                    expected.map_or(Ok(()), Err),
                    "{from} {payload_error:?} {signature_error:?}"
                );
                assert_eq!(inspected.verdict.map_err(|r| r.error), received);
                assert_eq!(inspected.answer.status, expected.map_or(200, Error::status));
                if expected == Some(Error::EventStale) {
                    // Acknowledged as R2 expects, so it stops retrying what never becomes valid.
                    assert_eq!(inspected.answer, receiver.accepted_answer());
                }
                cases += 1;
            }
        }
    }
    assert_eq!(cases, 30);
}

#[test]
fn the_replay_window_is_configurable_and_bounds_the_retention() {
    let body = fixture("r2", "financing_created").unwrap().as_bytes();
    let signature = sign(body, b"r2-partner-jwt-secret", Encoding::Hex).unwrap();
    let at = |days: u64| Delivery {
        body: Body::Bytes(body),
        signature: Some(&signature),
        forwarding: ForwardingHeaders {
            x_forwarded_for: Some("54.215.38.39"),
            ..Default::default()
        },
        peer: Some("127.0.0.1"),
        received_at: Duration::from_secs(EVENT_TIME + days * 86_400),
        ..Default::default()
    };
    let default = r2_receiver(1 << 20);
    let month = r2_receiver(1 << 20)
        .with_replay_window(ReplayWindow::new(Duration::from_secs(30 * 86_400)).unwrap());
    for (days, default_error, month_error) in [
        (13, None, None),
        (20, Some(Error::EventStale), None),
        (31, Some(Error::EventStale), Some(Error::EventStale)),
    ] {
        let error = |r: &Receiver| r.receive(&at(days)).err().map(|r: Refused| r.error);
        assert_eq!(
            error(&default),
            default_error,
            "{days} days, default window"
        );
        assert_eq!(error(&month), month_error, "{days} days, 30-day window");
    }
    assert!(default.dedup_retention() >= ReplayWindow::DEFAULT_MAX_AGE);
    assert!(month.dedup_retention() >= Duration::from_secs(30 * 86_400));
}

#[test]
fn a_peer_without_an_address_is_never_no_peer() {
    let accepted = parse_accepted(&["Bearer t"]).unwrap();
    let belvo = |trust| {
        Receiver::new(
            Verifier::BelvoAuthorization(accepted.clone()),
            Some(payhook::belvo_allowlist()),
            trust,
            Options::default(),
        )
        .unwrap()
    };
    let body = fixture("belvo", "PAYMENT_INTENTS.STATUS_UPDATE").unwrap();
    let forwarding = ForwardingHeaders {
        cf_connecting_ip: Some("3.130.254.46"),
        x_forwarded_for: Some("3.130.254.46"),
        forwarded: Some("for=3.130.254.46"),
    };
    for trust in [
        Trust::None,
        Trust::Cloudflare,
        Trust::Hops {
            hops: 1,
            header: Default::default(),
        },
    ] {
        let delivery = |peer| Delivery {
            body: Body::Bytes(body.as_bytes()),
            authorization: Some("Bearer t"),
            forwarding,
            peer,
            ..Default::default()
        };
        let refused = belvo(trust.clone()).receive(&delivery(Some(""))).err();
        assert_eq!(
            refused.map(|r| r.error),
            Some(Error::IpUnknown),
            "{trust:?}"
        );
    }
}

#[test]
fn an_answer_lists_at_most_a_hundred_issues_and_counts_them_all() {
    let accepted = parse_accepted(&["Bearer t"]).unwrap();
    let strict = Receiver::new(
        Verifier::BelvoAuthorization(accepted),
        None,
        Trust::None,
        Options::strict(),
    )
    .unwrap();
    let mut body = fixture("belvo", "PAYMENT_INTENTS.STATUS_UPDATE")
        .unwrap()
        .trim_end()
        .trim_end_matches('}')
        .to_owned();
    for i in 0..5000 {
        body.push_str(&format!(",\"unknown_{i}\":1"));
    }
    body.push('}');
    let delivery = Delivery {
        body: Body::Bytes(body.as_bytes()),
        authorization: Some("Bearer t"),
        ..Default::default()
    };
    let refused = strict.receive(&delivery).unwrap_err();
    assert_eq!(
        (refused.issues.len(), refused.issue_count),
        (Refused::MAX_ISSUES, 5000)
    );
    let answer = strict.refused_answer(&refused);
    assert!(answer.body.len() < 32 * 1024, "{}", answer.body.len());
    assert!(answer.body.contains("\"issueCount\":5000"));
}

#[test]
fn answers_are_what_the_providers_expect_and_never_leak() {
    let receiver = r2_receiver(1 << 20);
    assert_eq!(receiver.accepted_answer().body, "R2 API Event Received");
    let body = fixture("r2", "financing_paid").unwrap().as_bytes();
    let expected_signature = sign(body, b"r2-partner-jwt-secret", Encoding::Base64Hex).unwrap();
    let tampered = Delivery {
        body: Body::Bytes(b"{}"),
        signature: Some(&expected_signature),
        forwarding: ForwardingHeaders {
            x_forwarded_for: Some("54.215.38.39"),
            ..Default::default()
        },
        peer: Some("127.0.0.1"),
        ..Default::default()
    };
    let answer = receiver.inspect(&tampered).answer;
    assert_eq!(answer.status, 401);
    assert!(
        !answer.body.contains(&expected_signature)
            && !answer.body.contains("r2-partner-jwt-secret"),
        "{}",
        answer.body
    );
}

#[test]
fn belvo_needs_an_authorization_or_an_allowlist() {
    let none = Receiver::new(
        Verifier::BelvoUnauthenticated,
        None,
        Trust::None,
        Options::default(),
    );
    assert_eq!(none.err(), Some(Error::SecretInvalid));
    let accepted = parse_accepted(&["Bearer t"]).unwrap();
    assert!(
        Receiver::new(
            Verifier::BelvoAuthorization(accepted),
            None,
            Trust::None,
            Options::default()
        )
        .is_ok()
    );
    assert_eq!(
        Receiver::new(
            Verifier::R2Signature(Vec::new()),
            None,
            Trust::None,
            Options::default()
        )
        .err(),
        Some(Error::SecretInvalid)
    );
}

/// The refusal body a sender sees, byte for byte: every object's members in key order (the
/// issues' too), as it always was.
#[test]
fn a_refusal_body_is_pinned_byte_for_byte() {
    let belvo = Receiver::new(
        Verifier::BelvoUnauthenticated,
        Some(payhook::belvo_allowlist()),
        Trust::None,
        Options::default(),
    )
    .expect("receiver");
    let delivery = Delivery {
        body: Body::Bytes(br#"{"webhook_type":"CHARGES","webhook_code":"STATUS_UPDATE","object_id":"o","webhook_id":"x"}"#),
        peer: Some("3.130.254.46"),
        ..Delivery::default()
    };
    let refused = belvo.receive(&delivery).expect_err("refused");
    assert_eq!(
        belvo.refused_answer(&refused).body,
        concat!(
            r#"{"error":"payload_invalid","issueCount":2,"issues":["#,
            r#"{"code":"invalid_value","expected":"32 hex digits or a dashed UUID","found":"\"x\"","message":"not a webhook id","path":"/webhook_id"},"#,
            r#"{"code":"missing","expected":"object","message":"`data` is required","path":"/data"}],"#,
            r#""message":"the payload does not match the provider's documented shape"}"#
        )
    );
}
