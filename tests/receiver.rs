//! The receiver, natively: every combination of good and bad address, signature and payload
//! gets the verdict of the receiver's order, and `inspect` (which runs every check) always
//! agrees with `receive` (which stops at the first failure).
#![cfg(not(target_arch = "wasm32"))]

use payhook::receiver::{Delivery, Verifier};
use payhook::{
    Allowlist, Encoding, Error, ForwardingHeaders, Options, Receiver, SigningKey, Trust, fixture,
    parse_accepted, r2_allowlist, sign,
};

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
    let mut cases = 0;
    for (from, address_error) in [
        ("54.215.38.39", None),
        ("203.0.113.9", Some(Error::IpNotAllowed)),
    ] {
        for (body, payload_error) in [
            (&good, None),
            (&invalid, Some(Error::PayloadInvalid)),
            (&huge, Some(Error::PayloadTooLarge)),
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
                    body,
                    signature: signature.as_deref(),
                    forwarding: ForwardingHeaders {
                        x_forwarded_for: Some(from),
                        ..Default::default()
                    },
                    peer: Some("127.0.0.1"),
                    ..Default::default()
                };
                let too_large = payload_error == Some(Error::PayloadTooLarge);
                let expected = address_error
                    .or(if too_large { payload_error } else { None })
                    .or(signature_error)
                    .or(payload_error);
                let received = receiver.receive(&delivery).map(|_| ()).map_err(|r| r.error);
                let inspected = receiver.inspect(&delivery);
                assert_eq!(
                    received,
                    expected.map_or(Ok(()), Err),
                    "{from} {payload_error:?} {signature_error:?}"
                );
                assert_eq!(inspected.verdict.map_err(|r| r.error), received);
                assert_eq!(inspected.answer.status, expected.map_or(200, Error::status));
                cases += 1;
            }
        }
    }
    assert_eq!(cases, 18);
}

#[test]
fn answers_are_what_the_providers_expect_and_never_leak() {
    let receiver = r2_receiver(1 << 20);
    assert_eq!(receiver.accepted_answer().body, "R2 API Event Received");
    let body = fixture("r2", "financing_paid").unwrap().as_bytes();
    let expected_signature = sign(body, b"r2-partner-jwt-secret", Encoding::Base64Hex).unwrap();
    let tampered = Delivery {
        body: b"{}",
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
