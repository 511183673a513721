//! A dudect-style timing test of payhook's comparisons, run natively:
//! `cargo run --release --example constant_time`.
//!
//! For each comparison, two classes of inputs that differ only in *where* a wrong guess
//! goes wrong (the first byte vs the last byte of the tag; a wrong token of the right length
//! vs one of another length) are timed in random interleaving, outliers above the 90th
//! percentile dropped, and Welch's t computed. |t| under 4.5 means no timing difference was
//! detected (dudect's threshold); it is a measurement, not a proof, and not a CI gate.

use std::hint::black_box;
use std::time::Instant;

use payhook::{
    Encoding, SigningKey, check_authorization, parse_accepted, sign, verify_signature_with,
};

const SAMPLES: usize = 200_000;

/// xorshift64*: only to interleave the classes unpredictably.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

/// Welch's t between the two classes, after dropping samples above the 90th percentile.
fn welch_t(mut a: Vec<f64>, mut b: Vec<f64>) -> f64 {
    for v in [&mut a, &mut b] {
        v.sort_by(f64::total_cmp);
        v.truncate(v.len() * 9 / 10);
    }
    let stats = |v: &[f64]| {
        let n = v.len() as f64;
        let mean = v.iter().sum::<f64>() / n;
        let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
        (mean, var, n)
    };
    let ((ma, va, na), (mb, vb, nb)) = (stats(&a), stats(&b));
    (ma - mb) / (va / na + vb / nb).sqrt()
}

fn measure(name: &str, mut class: impl FnMut(bool)) {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let (mut a, mut b) = (Vec::with_capacity(SAMPLES), Vec::with_capacity(SAMPLES));
    for _ in 0..2 * SAMPLES {
        let which = rng.next() & 1 == 1;
        let start = Instant::now();
        class(which);
        let ns = start.elapsed().as_nanos() as f64;
        if which { a.push(ns) } else { b.push(ns) }
    }
    let t = welch_t(a, b);
    let verdict = if t.abs() < 4.5 {
        "no difference detected"
    } else {
        "DIFFERENCE DETECTED"
    };
    println!("{name:<58} t = {t:>7.2}  {verdict}");
}

fn main() {
    let body = br#"{"event":{"event_time":1712345678,"event_type":"financing_paid","event_metadata":{}},"financing":{"financing_id":"f1"}}"#;
    let keys = [SigningKey::new(b"r2-partner-jwt-secret").unwrap()];
    let good = sign(body, b"r2-partner-jwt-secret", Encoding::Hex).unwrap();
    let flip = |position: usize| {
        let mut bytes = good.clone().into_bytes();
        bytes[position] = if bytes[position] == b'0' { b'1' } else { b'0' };
        String::from_utf8(bytes).unwrap()
    };
    let (first, last) = (flip(0), flip(63));
    measure(
        "R2 signature: wrong first byte vs wrong last byte",
        |which| {
            let header = if which { &first } else { &last };
            black_box(verify_signature_with(
                black_box(body),
                black_box(header),
                &keys,
            ))
            .ok();
        },
    );
    measure("R2 signature: right tag vs wrong first byte", |which| {
        let header = if which { &good } else { &first };
        black_box(verify_signature_with(
            black_box(body),
            black_box(header),
            &keys,
        ))
        .ok();
    });

    let accepted = parse_accepted(&["Bearer hv7alD71j0dzXf09iKfg7u"]).unwrap();
    measure(
        "Belvo Bearer: wrong first char vs wrong last char",
        |which| {
            let header = if which {
                "Bearer Xv7alD71j0dzXf09iKfg7u"
            } else {
                "Bearer hv7alD71j0dzXf09iKfg7X"
            };
            black_box(check_authorization(black_box(header), &accepted)).ok();
        },
    );
    measure(
        "Belvo Bearer: right length vs much shorter token",
        |which| {
            let header = if which {
                "Bearer Xv7alD71j0dzXf09iKfg7u"
            } else {
                "Bearer X"
            };
            black_box(check_authorization(black_box(header), &accepted)).ok();
        },
    );
}
