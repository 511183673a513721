//! The whole receive path: any delivery gets a verdict and an answer, never a panic, and
//! `inspect` (every check) always agrees with `receive` (stops at the first failure).
#![no_main]

use core::time::Duration;
use libfuzzer_sys::fuzz_target;

use payhook::receiver::{Body, Delivery, Verifier};
use payhook::{
    Allowlist, ForwardingHeaders, Options, Receiver, SigningKey, Trust, parse_accepted,
    r2_allowlist,
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
);

fuzz_target!(|input: Input| {
    let (body, signature, authorization, xff, peer, belvo, arrived, oversized) = input;
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
            ..Options::default()
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
    let received = receiver
        .receive(&delivery)
        .map(|a| a.dedup_key)
        .map_err(|r| r.error);
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
