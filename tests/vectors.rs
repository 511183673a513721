//! The shared vectors, run against the Rust API. The wasm and JS suites run the same files.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{compare, hex, run_table, unhex};
use payhook::{
    Credential, Encoding, Error, ForwardingHeader, ForwardingHeaders, MAX_HEADER_BYTES,
    MAX_SECRET_BYTES, MAX_SECRETS, Options, Receiver, SigningKey, Trust, Verifier,
    check_authorization, client_ip, parse_accepted, sign, verify_signature, verify_signature_with,
};

#[test]
fn r2_signature_vectors() {
    run_table(
        &common::r2_cases(),
        |c| &c.name,
        |c| {
            let header = c.header.clone().unwrap_or_default();
            let got = verify_signature(&c.body(), &header, &c.secrets)
                .map(|m| (m.secret_index, m.encoding.name().to_owned()))
                .map_err(|e| e.code().to_owned());
            compare(got, &c.expect)
        },
    );
}

#[test]
fn belvo_authorization_vectors() {
    run_table(
        &common::belvo_cases(),
        |c| &c.name,
        |c| {
            let got = parse_accepted(&c.accepted)
                .and_then(|accepted| {
                    check_authorization(c.header.as_deref().unwrap_or(""), &accepted)
                })
                .map(|m| (m.accepted_index, m.scheme.name().to_owned()))
                .map_err(|e| e.code().to_owned());
            compare(got, &c.expect)
        },
    );
}

#[test]
fn rfc4231_hmac_sha256() {
    let cases = common::rfc4231_cases();
    assert_eq!(cases.len(), 7);
    run_table(
        &cases,
        |_| "RFC 4231",
        |c| {
            let tag = payhook::signature::hmac_sha256(&unhex(&c.key), &unhex(&c.data));
            let got = hex(&tag[..c.hmac_sha256.len() / 2]);
            if got == c.hmac_sha256 {
                Ok(())
            } else {
                Err(format!("case {}: got {got}", c.case))
            }
        },
    );
}

#[test]
fn sign_then_verify_round_trips_in_every_encoding() {
    let body = "{\"note\":\"✅\"}".as_bytes();
    for encoding in Encoding::ALL {
        let header = sign(body, b"k", encoding).unwrap();
        let found = verify_signature(body, &header, &[b"x".as_slice(), b"k"]).unwrap();
        assert_eq!(
            (found.secret_index, found.encoding),
            (1, encoding),
            "{encoding}"
        );
        assert_eq!(encoding.name().parse::<Encoding>(), Ok(encoding));
    }
    assert_eq!(sign(body, b"", Encoding::Hex), Err(Error::SecretInvalid));
    assert_eq!("base32".parse::<Encoding>(), Err(Error::ArgumentInvalid));
}

#[test]
fn hostile_sizes_are_refused_cleanly() {
    let huge = "a".repeat(10 * 1024 * 1024);
    assert_eq!(
        verify_signature(b"{}", &huge, &[b"k"]),
        Err(Error::SignatureMalformed)
    );
    let accepted = parse_accepted(&["Bearer a"]).unwrap();
    assert_eq!(
        check_authorization(&format!("Bearer {huge}"), &accepted),
        Err(Error::AuthorizationMalformed),
        "longer than MAX_HEADER_BYTES"
    );
    assert_eq!(
        check_authorization(&format!("Basic {huge}"), &accepted),
        Err(Error::AuthorizationMalformed)
    );
    let big_body = vec![0xffu8; 8 * 1024 * 1024];
    let header = sign(&big_body, b"k", Encoding::Base64).unwrap();
    assert_eq!(
        verify_signature(&big_body, &header, &[b"k"]).map(|m| m.encoding),
        Ok(Encoding::Base64)
    );
}

/// MAX_SECRET_BYTES and MAX_SECRETS: at the limit taken, past it SecretInvalid, in every
/// function that takes secrets or accepted values (a receiver's too).
#[test]
fn secrets_past_the_limits_are_refused_everywhere() {
    let body = b"{}";
    let secret = |len: usize| vec![b's'; len];
    let list = |n: usize| {
        (0..n)
            .map(|i| format!("k{i}").into_bytes())
            .collect::<Vec<_>>()
    };
    let bearers = |n: usize| (0..n).map(|i| format!("Bearer t{i}")).collect::<Vec<_>>();
    let r2 = |keys: Vec<SigningKey>| {
        Receiver::new(
            Verifier::R2Signature(keys),
            None,
            Trust::None,
            Options::default(),
        )
        .err()
    };
    let at = MAX_SECRET_BYTES;
    let header = sign(body, &secret(at), Encoding::Hex).unwrap();
    assert_eq!(
        verify_signature(body, &header, &[secret(at)]).map(|m| m.secret_index),
        Ok(0)
    );
    let last = list(MAX_SECRETS);
    let header = sign(body, &last[MAX_SECRETS - 1], Encoding::Hex).unwrap();
    assert_eq!(
        verify_signature(body, &header, &last).map(|m| m.secret_index),
        Ok(MAX_SECRETS - 1)
    );
    let keys = |n| {
        list(n)
            .iter()
            .map(|k| SigningKey::new(k).unwrap())
            .collect::<Vec<_>>()
    };
    assert_eq!(r2(keys(MAX_SECRETS)), None);
    assert!(parse_accepted(&bearers(MAX_SECRETS)).is_ok());
    let long_token = format!("Bearer {}", "t".repeat(at - 7));
    assert!(parse_accepted(&[long_token.as_str()]).is_ok());

    let too_long = secret(at + 1);
    // Credentials made one by one (`str::parse`) are held to the count too.
    let accepted_17 = bearers(MAX_SECRETS + 1)
        .iter()
        .map(|b| b.parse::<Credential>().unwrap())
        .collect::<Vec<_>>();
    let refusals: [(&str, Option<Error>); 9] = [
        ("sign", sign(body, &too_long, Encoding::Hex).err()),
        ("SigningKey::new", SigningKey::new(&too_long).err()),
        (
            "verify_signature, long",
            verify_signature(body, &header, &[&too_long]).err(),
        ),
        (
            "verify_signature, 17",
            verify_signature(body, &header, &list(MAX_SECRETS + 1)).err(),
        ),
        (
            "verify_signature_with, 17",
            verify_signature_with(body, &header, &keys(MAX_SECRETS + 1)).err(),
        ),
        ("Receiver::new, 17", r2(keys(MAX_SECRETS + 1))),
        (
            "parse_accepted, 17",
            parse_accepted(&bearers(MAX_SECRETS + 1)).err(),
        ),
        (
            "parse_accepted, long",
            parse_accepted(&[format!("{long_token}t")]).err(),
        ),
        (
            "check_authorization, 17",
            check_authorization("Bearer t0", &accepted_17).err(),
        ),
    ];
    for (name, refused) in refusals {
        assert_eq!(refused, Some(Error::SecretInvalid), "{name}");
    }
}

/// MAX_HEADER_BYTES: a header value at the limit is read as ever (here, padded with the
/// whitespace or the hops each header may hold), one byte past it is refused whatever it
/// holds, before it is trimmed, split or decoded; so the npm package copies no more than a
/// byte past the limit of a huge value and gets the same verdict.
#[test]
fn header_values_past_the_limit_are_refused_whatever_they_hold() {
    let body = b"{}";
    let padded = |value: &str, len: usize| format!("{}{value}", " ".repeat(len - value.len()));
    let signature = sign(body, b"k", Encoding::Hex).unwrap();
    let verify =
        |len| verify_signature(body, &padded(&signature, len), &[b"k"]).map(|m| m.secret_index);
    assert_eq!(verify(MAX_HEADER_BYTES), Ok(0));
    assert_eq!(verify(MAX_HEADER_BYTES + 1), Err(Error::SignatureMalformed));
    assert_eq!(
        verify_signature(body, &" ".repeat(MAX_HEADER_BYTES + 1), &[b"k"]).err(),
        Some(Error::SignatureMalformed),
        "not signature_missing: a long value is refused whatever it holds"
    );

    let accepted = parse_accepted(&["Bearer t"]).unwrap();
    let check =
        |len| check_authorization(&padded("Bearer t", len), &accepted).map(|m| m.accepted_index);
    assert_eq!(check(MAX_HEADER_BYTES), Ok(0));
    assert_eq!(
        check(MAX_HEADER_BYTES + 1),
        Err(Error::AuthorizationMalformed)
    );

    // Two hops from the right, after leading whitespace (which a hop may have).
    for (header, value) in [
        (ForwardingHeader::XForwardedFor, "6.6.6.6, 10.0.0.2"),
        (ForwardingHeader::Forwarded, "for=6.6.6.6, for=10.0.0.2"),
    ] {
        let trust = Trust::Hops { hops: 2, header };
        let resolve = |len| {
            let text = padded(value, len);
            let headers = ForwardingHeaders {
                x_forwarded_for: Some(&text),
                forwarded: Some(&text),
                ..ForwardingHeaders::default()
            };
            client_ip(Some("10.0.0.3"), &headers, &trust).map(|c| c.ip.to_string())
        };
        assert_eq!(
            resolve(MAX_HEADER_BYTES).as_deref(),
            Ok("6.6.6.6"),
            "{header:?}"
        );
        assert_eq!(
            resolve(MAX_HEADER_BYTES + 1),
            Err(Error::HeaderMalformed),
            "{header:?}"
        );
    }
    let cf = " ".repeat(MAX_HEADER_BYTES) + "6.6.6.6";
    let headers = ForwardingHeaders {
        cf_connecting_ip: Some(&cf),
        ..ForwardingHeaders::default()
    };
    assert_eq!(
        client_ip(None, &headers, &Trust::Cloudflare).err(),
        Some(Error::HeaderMalformed)
    );
    // Not read, not refused: without trust, a forwarding header is ignored whatever its size.
    assert_eq!(
        client_ip(Some("10.0.0.3"), &headers, &Trust::None)
            .map(|c| c.ip.to_string())
            .as_deref(),
        Ok("10.0.0.3")
    );
}

/// `check_authorization` takes credentials from `str::parse` too: the rules of
/// `parse_accepted` hold for them, so an empty Basic credential or an unknown scheme is a
/// configuration error there as well, whatever the request sends.
#[test]
fn credentials_parsed_directly_are_held_to_the_accepted_rules() {
    let good: Credential = "Bearer t".parse().unwrap();
    for bad in ["Basic Og==", "Basic Og", "Token t"] {
        let bad: Credential = bad.parse().unwrap();
        for header in ["Bearer t", "Basic Og==", ""] {
            assert_eq!(
                check_authorization(header, &[good.clone(), bad.clone()]),
                Err(Error::SecretInvalid),
                "{bad:?} with {header:?}"
            );
        }
    }
    assert_eq!(
        "Bearer".parse::<Credential>(),
        Err(Error::AuthorizationMalformed)
    );
    assert_eq!(
        "Bearer  ".parse::<Credential>(),
        Err(Error::AuthorizationMalformed)
    );
    let one_half = parse_accepted(&["Basic OnQ=", "Basic dTo="]).unwrap();
    assert_eq!(
        check_authorization("Basic dTo=", &one_half).map(|m| m.accepted_index),
        Ok(1)
    );
}

#[test]
fn debug_output_never_shows_a_credential() {
    let accepted =
        parse_accepted(&["Bearer hv7alD71j0dzXf09iKfg7u", "Basic YmVsdm86czNjcjN0"]).unwrap();
    assert_eq!(
        format!("{accepted:?}"),
        "[Credential(bearer, <redacted>), Credential(basic, <redacted>)]"
    );
}

#[test]
fn every_error_has_a_unique_snake_case_code_and_an_http_status() {
    let mut seen = std::collections::HashSet::new();
    for e in Error::ALL {
        assert!(seen.insert(e.code()), "duplicate code {}", e.code());
        assert!(
            e.code()
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'_'),
            "{}",
            e.code()
        );
        // A refusal is a 4xx or 5xx; the one exception is a stale event, which is
        // acknowledged (the provider must stop retrying) and never handled.
        let acknowledged = *e == Error::EventStale && e.status() == 200;
        assert!(
            (400..600).contains(&e.status()) || acknowledged,
            "{}",
            e.code()
        );
        assert_eq!(Error::from_code(e.code()), Some(*e));
        assert_eq!(e.to_string(), e.message());
    }
}
