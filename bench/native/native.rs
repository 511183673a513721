//! The benchmarks (see main.rs).

use std::hint::black_box;
use std::net::IpAddr;
use std::time::Instant;

use divan::Bencher;
use divan::counter::BytesCount;
use payhook::receiver::{Delivery, Verifier};
use payhook::signature::hmac_sha256;
use payhook::{
    Allowlist, Encoding, ForwardingHeader, ForwardingHeaders, Options, Receiver, SigningKey, Trust,
    check_authorization, client_ip, dedup_key, fixture, parse_accepted, parse_belvo_webhook,
    parse_ip, parse_r2_event, r2_allowlist, sign, verify_signature, verify_signature_with,
};

pub fn main() {
    divan::main();
    if let Some(path) = std::env::var_os("PAYHOOK_NATIVE_JSON") {
        ratio_json(std::path::Path::new(&path));
    }
}

const SECRET: &str = "r2-jwt-secret-bench-5f1c9a7e3b2d4c6a8e0f";
const SIZES: [usize; 4] = [256, 1024, 16 * 1024, 1024 * 1024];
const MIB: usize = 1024 * 1024;

/// bench/js/lib/inputs.mjs `r2Body(size)`, byte for byte: financing_created, pretty-printed, with
/// a note in `metadata` sized so the body is exactly `size` bytes.
fn r2_body(size: usize) -> Vec<u8> {
    const SMALL: &str = r#"{
  "event": {
    "event_time": 1713000000,
    "event_type": "financing_created",
    "event_metadata": {}
  },
  "financing": {
    "financing_id": "fa5c8a0b0f492d768749333ad6fcc214c111e967",
    "metadata": {
      "note": ""
    }
  }
}"#;
    const FULL: &str = r#"{
  "event": {
    "event_time": 1713000000,
    "event_type": "financing_created",
    "event_metadata": {}
  },
  "financing": {
    "financing_id": "fa5c8a0b0f492d768749333ad6fcc214c111e967",
    "metadata": {
      "note": "",
      "partner_reference": "ORD-2024-000123",
      "store_id": "st_8812",
      "channel": "marketplace"
    },
    "disbursed_amount": 12200,
    "total_repayment_amount": 14606,
    "repayment_rate": 17.36,
    "currency": "COP",
    "created_at": 1570471067,
    "status": "ACTIVE",
    "due_date": 1570471067,
    "external_merchant_id": "5509723654647999613",
    "financing_kind": "REFILL",
    "fixed_fee": 177.9,
    "requester_email_address": "finanzas@tienda-ejemplo.co",
    "custom_fields": [
      {
        "name": "sales_rep",
        "value": "Ana María Gómez"
      },
      {
        "name": "region",
        "value": "Antioquia"
      }
    ]
  }
}"#;
    let base = if size >= 1024 { FULL } else { SMALL };
    let note = "x".repeat(size - base.len());
    let body = base.replacen(r#""note": """#, &format!(r#""note": "{note}""#), 1);
    assert_eq!(body.len(), size);
    body.into_bytes()
}

/// Belvo's PAYMENT_INTENTS.STATUS_UPDATE fixture with a note in `data.metadata` that makes it
/// 1 KiB.
fn belvo_body() -> Vec<u8> {
    let base = fixture("belvo", "PAYMENT_INTENTS.STATUS_UPDATE").expect("the fixture");
    let marker = r#""internal_reference_id": "GGq12345w2""#;
    let extra = r#", "note": """#.len();
    let note = "x".repeat(1024 - base.len() - extra);
    let body = base.replacen(marker, &format!(r#"{marker}, "note": "{note}""#), 1);
    assert_eq!(body.len(), 1024);
    body.into_bytes()
}

fn label(size: usize) -> String {
    match size {
        n if n >= MIB => format!("{} MiB", n / MIB),
        n if n >= 1024 => format!("{} KiB", n / 1024),
        n => format!("{n} B"),
    }
}

// ------------------------------------------------------------------------------ signature

/// `verify_signature_with`: keys made once (what a receiver does), hex header.
#[divan::bench(args = SIZES)]
fn verify_signature_key_cached(bencher: Bencher, size: usize) {
    let body = r2_body(size);
    let header = sign(&body, SECRET.as_bytes(), Encoding::Hex).expect("signs");
    let keys = [SigningKey::new(SECRET.as_bytes()).expect("a key")];
    assert!(verify_signature_with(&body, &header, &keys).is_ok());
    bencher
        .counter(BytesCount::new(size))
        .bench(|| verify_signature_with(black_box(&body), black_box(&header), black_box(&keys)));
}

/// `verify_signature`: the secret each call, as the package's `verifyR2Signature` takes it.
#[divan::bench(args = SIZES)]
fn verify_signature_secret_per_call(bencher: Bencher, size: usize) {
    let body = r2_body(size);
    let header = sign(&body, SECRET.as_bytes(), Encoding::Hex).expect("signs");
    assert!(verify_signature(&body, &header, &[SECRET]).is_ok());
    bencher
        .counter(BytesCount::new(size))
        .bench(|| verify_signature(black_box(&body), black_box(&header), &[black_box(SECRET)]));
}

/// The bare HMAC-SHA256 of 1 MiB: the hash's throughput, without header decoding.
#[divan::bench]
fn hmac_sha256_1mib(bencher: Bencher) {
    let body = r2_body(MIB);
    bencher
        .counter(BytesCount::new(MIB))
        .bench(|| hmac_sha256(black_box(SECRET.as_bytes()), black_box(&body)));
}

// ------------------------------------------------------------------------------ Belvo

#[divan::bench(args = ["match", "mismatch"], sample_size = 1_000)]
fn belvo_check_authorization(bencher: Bencher, case: &str) {
    let accepted = parse_accepted(&["Bearer hv7alD71j0dzXf09iKfg7u"]).expect("accepted");
    let header = match case {
        "match" => "Bearer hv7alD71j0dzXf09iKfg7u",
        _ => "Bearer hv7alD71j0dzXf09iKfg7X",
    };
    bencher.bench(|| check_authorization(black_box(header), black_box(&accepted)));
}

// ------------------------------------------------------------------------------ addresses

/// bench/js/groups/address.mjs `rules(n)`: every fourth /24 from 20.0.0.0.
fn rules(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| format!("20.{}.{}.0/24", (i * 4) >> 8, (i * 4) & 255))
        .collect()
}

/// The same 1,024 candidates as address.mjs (hits and misses across the list), parsed.
fn candidates() -> Vec<IpAddr> {
    (0..1024)
        .map(|i| {
            let ip = format!("::ffff:20.{}.{}.{}", (i * 37) & 63, (i * 91) & 255, i & 255);
            parse_ip(&ip).expect("an address")
        })
        .collect()
}

#[divan::bench(args = [3, 10_000], sample_size = 10_000)]
fn allowlist_contains(bencher: Bencher, n: usize) {
    let list = Allowlist::parse(&rules(n)).expect("rules");
    let candidates = candidates();
    let mut i = 0;
    bencher.bench_local(|| {
        i = (i + 1) & 1023;
        list.contains(black_box(candidates[i]))
    });
}

fn hops_one() -> Trust {
    Trust::Hops {
        hops: 1,
        header: ForwardingHeader::XForwardedFor,
    }
}

/// The peer and `X-Forwarded-For` of address.mjs: nginx on 10.0.0.2 in front.
#[divan::bench(sample_size = 1_000)]
fn client_ip_hops_one(bencher: Bencher) {
    let trust = hops_one();
    let headers = ForwardingHeaders {
        x_forwarded_for: Some("198.51.100.23, 54.215.38.39"),
        ..Default::default()
    };
    bencher.bench(|| {
        client_ip(
            black_box(Some("::ffff:10.0.0.2")),
            black_box(&headers),
            &trust,
        )
    });
}

// ------------------------------------------------------------------------------ payloads

#[divan::bench]
fn parse_r2_event_1kib(bencher: Bencher) {
    let body = r2_body(1024);
    assert!(parse_r2_event(&body, Options::default()).is_ok());
    bencher.bench(|| parse_r2_event(black_box(&body), Options::default()));
}

#[divan::bench]
fn parse_belvo_webhook_1kib(bencher: Bencher) {
    let body = belvo_body();
    assert!(parse_belvo_webhook(&body, Options::default()).is_ok());
    bencher.bench(|| parse_belvo_webhook(black_box(&body), Options::default()));
}

#[divan::bench]
fn dedup_key_r2_1kib(bencher: Bencher) {
    let event = parse_r2_event(&r2_body(1024), Options::default()).expect("parses");
    bencher.bench(|| dedup_key(black_box(&event)));
}

/// The event as the JSON JavaScript gets (model order), without the dedup key's canonical form.
#[divan::bench]
fn event_json_r2_1kib(bencher: Bencher) {
    let event = parse_r2_event(&r2_body(1024), Options::default()).expect("parses");
    bencher.bench(|| payhook::json::to_string(black_box(&event)));
}

#[divan::bench]
fn dedup_key_belvo_1kib(bencher: Bencher) {
    let event = parse_belvo_webhook(&belvo_body(), Options::default()).expect("parses");
    bencher.bench(|| dedup_key(black_box(&event)));
}

// ------------------------------------------------------------------------------ receiver

/// `Receiver::receive` of a 1 KiB R2 delivery: R2's allowlist behind one proxy, the
/// signature, the payload and the dedup key (bench/js/groups/breakdown.mjs, natively).
#[divan::bench(args = ["allowlist, hops 1", "no allowlist"])]
fn receiver_receive_r2_1kib(bencher: Bencher, case: &str) {
    let body = r2_body(1024);
    let header = sign(&body, SECRET.as_bytes(), Encoding::Hex).expect("signs");
    let keys = vec![SigningKey::new(SECRET.as_bytes()).expect("a key")];
    let allowlist = (case != "no allowlist").then(|| r2_allowlist(None));
    let receiver = Receiver::new(
        Verifier::R2Signature(keys),
        allowlist,
        hops_one(),
        Options::default(),
    )
    .expect("a receiver");
    let delivery = Delivery {
        body: payhook::Body::Bytes(&body),
        signature: Some(&header),
        forwarding: ForwardingHeaders {
            x_forwarded_for: Some("54.215.38.39"),
            ..Default::default()
        },
        peer: Some("::ffff:10.0.0.2"),
        // An hour after the body's event_time, within the replay window.
        received_at: core::time::Duration::from_secs(1_713_000_000 + 3600),
        ..Default::default()
    };
    assert!(receiver.receive(&delivery).is_ok());
    bencher.bench(|| receiver.receive(black_box(&delivery)));
}

// ------------------------------------------------------------------------------ ratio JSON

/// Which SHA-256 code this build runs: sha2 0.11 reads these cfgs (src/sha256.rs).
#[allow(unexpected_cfgs)]
fn sha256_backend() -> &'static str {
    if cfg!(any(sha2_backend = "soft", sha2_256_backend = "soft")) {
        if cfg!(sha2_backend_soft = "compact") {
            "soft (compact), forced by --cfg"
        } else {
            "soft (unrolled), forced by --cfg"
        }
    } else if cpu_has_sha_ni() {
        "auto: SHA-NI (x86 SHA extensions) detected at run time"
    } else {
        "auto: soft (unrolled), no CPU SHA extensions"
    }
}

fn cpu_has_sha_ni() -> bool {
    #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
    {
        std::arch::is_x86_feature_detected!("sha")
    }
    #[cfg(not(any(target_arch = "x86", target_arch = "x86_64")))]
    {
        false
    }
}

/// Median, p10 and p90 of `samples` (sorted in place).
fn quantiles(samples: &mut [f64]) -> (f64, f64, f64) {
    samples.sort_by(f64::total_cmp);
    let at = |q: f64| {
        let i = (samples.len() - 1) as f64 * q;
        let (lo, hi) = (i.floor() as usize, i.ceil() as usize);
        samples[lo] + (samples[hi] - samples[lo]) * (i - lo as f64)
    };
    (at(0.5), at(0.1), at(0.9))
}

/// Times `f` as bench/js/lib/harness.mjs does: a warm-up, a batch sized to about `sample_ms`,
/// then `rounds` samples; nanoseconds per call at the median, p10 and p90.
fn time_like_harness(mut f: impl FnMut(), sample_ms: f64, rounds: usize) -> (f64, f64, f64, usize) {
    let warmup = Instant::now();
    while warmup.elapsed().as_millis() < 150 {
        f();
    }
    let start = Instant::now();
    f();
    let one = start.elapsed().as_nanos().max(1) as f64;
    let batch = ((sample_ms * 1e6 / one).round() as usize).max(1);
    let mut samples: Vec<f64> = (0..rounds)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..batch {
                f();
            }
            start.elapsed().as_nanos() as f64 / batch as f64
        })
        .collect();
    let (median, p10, p90) = quantiles(&mut samples);
    (median, p10, p90, batch)
}

fn ratio_json(path: &std::path::Path) {
    let rounds = std::env::var("PAYHOOK_NATIVE_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(41);
    let body = r2_body(MIB);
    let header = sign(&body, SECRET.as_bytes(), Encoding::Hex).expect("signs");
    let (median, p10, p90, batch) = time_like_harness(
        || {
            black_box(verify_signature(
                black_box(&body),
                black_box(&header),
                &[black_box(SECRET)],
            ))
            .expect("valid");
        },
        8.0,
        rounds,
    );
    let mbps = |ns: f64| MIB as f64 / (ns / 1e9) / 1e6;
    let load = std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default();
    let json = serde_json::json!({
        "what": format!("verify_signature, {} body, hex header, secret per call (native Rust)", label(MIB)),
        "bytes": MIB,
        "sha256Backend": sha256_backend(),
        "cpuHasShaNi": cpu_has_sha_ni(),
        "medianNs": median,
        "p10Ns": p10,
        "p90Ns": p90,
        "mbPerSec": mbps(median),
        "samples": rounds,
        "batch": batch,
        "loadavg": load,
        "profile": "bench (inherits [profile.release], as the wasm build)",
    });
    let text = format!("{json:#}\n");
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).ok();
    }
    match std::fs::write(path, &text) {
        Ok(()) => println!(
            "native 1 MiB verify_signature: {:.0} MB/s ({:.2} ms, p10–p90 {:.2}–{:.2} ms), SHA-256 {}; wrote {}",
            mbps(median),
            median / 1e6,
            p10 / 1e6,
            p90 / 1e6,
            sha256_backend(),
            path.display()
        ),
        Err(e) => eprintln!("could not write {}: {e}", path.display()),
    }
}
