//! R2's `Content-Sha256`: any header and body give a verdict, never a panic; a header made by
//! `sign` always verifies, in every encoding, and never under another secret; an empty secret
//! or one over `MAX_SECRET_BYTES` is refused.
#![no_main]

use libfuzzer_sys::fuzz_target;
use payhook::{Encoding, Error, MAX_SECRET_BYTES, sign, verify_signature};

fuzz_target!(|input: (&str, &[u8], &[u8])| {
    let (header, body, secret) = input;
    let _ = verify_signature(body, header, &[b"fuzz-secret".as_slice()]);
    if secret.is_empty() || secret.len() > MAX_SECRET_BYTES {
        assert_eq!(sign(body, secret, Encoding::Hex), Err(Error::SecretInvalid));
        return;
    }
    for encoding in Encoding::ALL {
        let signed = sign(body, secret, encoding).unwrap();
        let found = verify_signature(body, &signed, &[secret]).unwrap();
        assert_eq!(found.secret_index, 0);
        // HMAC pads a key of up to a block (64 bytes) with zeros: such a key followed by zeros
        // is the same key.
        let key = match secret.len() {
            0..=64 => secret
                .iter()
                .rposition(|&b| b != 0)
                .map_or(&[][..], |end| &secret[..=end]),
            _ => secret,
        };
        if key != b"fuzz-other".as_slice() {
            assert_eq!(
                verify_signature(body, &signed, &[b"fuzz-other".as_slice()]),
                Err(Error::SignatureMismatch)
            );
        }
    }
});
