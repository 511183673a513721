//! The whole receive path: any delivery gets a verdict and an answer, never a panic, and
//! `inspect` (every check) always agrees with `receive` (stops at the first failure), and
//! `receive_json` (the npm package's call: no owned event) gives `receive`'s verdict, JSON,
//! key, client address and authentication on every delivery. With `genuine` set the delivery
//! is made to pass every check but the payload's (a good signature or token, a peer in the
//! allowlist, a time in the window), so that accepted bodies are compared too.
#![no_main]

use core::time::Duration;
use libfuzzer_sys::fuzz_target;

/// The oracles of tests/oracle: this target uses `receive_json` against `receive`.
#[allow(dead_code)]
#[path = "../../tests/oracle/mod.rs"]
mod oracle;

use payhook::receiver::{Body, Delivery, Verifier};
use payhook::{
    Allowlist, Encoding, ForwardingHeaders, Options, Receiver, SigningKey, Trust, parse_accepted,
    parse_r2_event, r2_allowlist, sign,
};

type Input<'a> = (
    &'a [u8],
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
    bool,
    // When it arrived (Unix seconds), against the signed event_time.
    u64,
    // Whether the caller measured the body and did not copy it.
    bool,
    // Genuine credentials, peer and time; and strict mode.
    bool,
    bool,
);

fuzz_target!(|input: Input| {
    let (body, signature, authorization, xff, peer, belvo, arrived, oversized, genuine, strict) =
        input;
    let signed;
    let (signature, authorization, xff, peer, arrived) = match genuine {
        false => (signature, authorization, xff, peer, arrived),
        true => {
            signed = sign(body, b"fuzz-secret", Encoding::Hex).unwrap();
            // An R2 body's own time, moved by up to a day either way.
            let time = parse_r2_event(body, Options::default())
                .map_or(0, |e| e.envelope().event_time as u64);
            let shift = arrived % (2 * 86_400);
            let arrived = match shift % 2 {
                0 => time + shift / 2,
                _ => time.saturating_sub(shift / 2 + 1),
            };
            // R2's documented address (r2_allowlist), straight from it.
            let peer = Some("54.151.119.16");
            (
                Some(signed.as_str()),
                Some("Bearer fuzz-token"),
                None,
                peer,
                arrived,
            )
        }
    };
    let verifier = if belvo {
        Verifier::BelvoAuthorization(parse_accepted(&["Bearer fuzz-token"]).unwrap())
    } else {
        Verifier::R2Signature(vec![SigningKey::new(b"fuzz-secret").unwrap()])
    };
    let trust = Trust::Proxies {
        proxies: Allowlist::parse(&["127.0.0.1"]).unwrap(),
        header: Default::default(),
    };
    let receiver = Receiver::new(
        verifier,
        Some(r2_allowlist(None)),
        trust,
        Options {
            max_bytes: 4096,
            strict,
        },
    )
    .unwrap();
    let delivery = Delivery {
        body: match oversized {
            true => Body::Oversized(body.len() as u64 + 4096),
            false => Body::Bytes(body),
        },
        signature,
        authorization,
        forwarding: ForwardingHeaders {
            x_forwarded_for: xff,
            ..Default::default()
        },
        peer,
        received_at: Duration::from_secs(arrived),
    };
    let full = oracle::receive_json_agrees(&receiver, &delivery);
    let received = full.map(|a| a.dedup_key).map_err(|r| r.error);
    let inspected = receiver.inspect(&delivery);
    assert_eq!(
        inspected.verdict.map_err(|r| r.error),
        received.as_ref().map(|_| ()).map_err(|e| *e)
    );
    // A body the caller did not copy is never accepted.
    if oversized {
        assert!(received.is_err());
    }
    if let Ok(key) = received {
        assert_eq!(inspected.dedup_key.as_deref(), Some(key.as_str()));
    }
});
