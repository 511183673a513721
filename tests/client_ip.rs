//! The source-IP vectors (`vectors/client_ip.json`), run against the Rust API; the JS suite
//! runs the same file through the npm package.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::run_table;
use payhook::ip_lists::R2IpDocumentOptions;
use payhook::{
    Allowlist, ForwardingHeader, ForwardingHeaders, IpNet, R2Environment, R2IpDocument, Trust,
    belvo_allowlist, client_ip, parse_ip, r2_allowlist,
};
use serde_json::{Value, json};

fn vectors() -> Value {
    serde_json::from_str(include_str!("../vectors/client_ip.json")).expect("vectors parse")
}

fn cases<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v[key]
        .as_array()
        .map(Vec::as_slice)
        .expect("a list of cases")
}

fn name(case: &Value) -> &str {
    case["name"].as_str().unwrap_or("?")
}

fn strings(v: &Value) -> Vec<&str> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}

fn entries(list: &Allowlist) -> Value {
    list.nets().iter().map(ToString::to_string).collect()
}

fn check(got: Value, want: &Value) -> Result<(), String> {
    if &got == want {
        Ok(())
    } else {
        Err(format!("expected {want}, got {got}"))
    }
}

#[test]
fn membership() {
    let v = vectors();
    run_table(cases(&v, "membership"), name, |c| {
        let list = Allowlist::parse(&strings(&c["list"])).map_err(|e| e.to_string())?;
        let got = match parse_ip(c["ip"].as_str().unwrap_or_default()) {
            Ok(ip) => json!(list.contains(ip)),
            Err(e) => json!(e.code()),
        };
        check(got, &c["expect"])
    });
}

#[test]
fn allowlist_parsing() {
    let v = vectors();
    run_table(cases(&v, "lists"), name, |c| {
        let got = match Allowlist::parse(&strings(&c["entries"])) {
            Ok(list) => json!({ "entries": entries(&list) }),
            Err(e) => json!({ "error": e.error().code(), "path": e.path }),
        };
        check(got, &c["expect"])
    });
}

#[test]
fn r2_documents() {
    let v = vectors();
    run_table(cases(&v, "r2_documents"), name, |c| {
        let regions: Option<Vec<&str>> = c["regions"].as_array().map(|_| strings(&c["regions"]));
        let options = R2IpDocumentOptions {
            allow_everything: c["allow_everything"].as_bool().unwrap_or(false),
        };
        let got = R2IpDocument::parse_with(c["document"].as_str().unwrap_or_default(), options)
            .and_then(|doc| Ok((doc.allowlist(regions.as_deref())?, doc)))
            .map(|(list, doc)| {
                json!({ "creation_date": doc.creation_date, "created_at": doc.created_at, "entries": entries(&list) })
            })
            .unwrap_or_else(|e| json!({ "error": e.error().code(), "path": e.path }));
        check(got, &c["expect"])
    });
}

/// The vectors' trust setting, spelled as in JS.
fn trust(v: &Value) -> Trust {
    let header = || {
        v.get("header")
            .and_then(Value::as_str)
            .map_or(ForwardingHeader::XForwardedFor, |h| {
                ForwardingHeader::from_name(h).expect("a known header")
            })
    };
    match v {
        Value::String(s) if s == "none" => Trust::None,
        Value::String(s) if s == "cloudflare" => Trust::Cloudflare,
        _ if v.get("proxies").is_some() => Trust::Proxies {
            proxies: Allowlist::parse(&strings(&v["proxies"])).expect("proxies parse"),
            header: header(),
        },
        _ => Trust::Hops {
            hops: v["hops"].as_u64().expect("hops") as u32,
            header: header(),
        },
    }
}

fn allowlist(v: &Value) -> Allowlist {
    match v.as_str() {
        Some("r2") => r2_allowlist(None),
        Some("r2-production") => r2_allowlist(Some(R2Environment::Production)),
        Some("r2-development") => r2_allowlist(Some(R2Environment::Development)),
        Some("belvo") => belvo_allowlist(),
        _ => Allowlist::parse(&strings(v)).expect("allowlist parses"),
    }
}

/// A header as the vectors give it: one string, or several lines joined as HTTP folds them.
fn header(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Array(lines) => Some(
            lines
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(", "),
        ),
        _ => None,
    }
}

#[test]
fn client_ip_behind_proxies() {
    let v = vectors();
    let cases = cases(&v, "client_ip");
    assert!(cases.len() >= 80, "the issue asks for at least 80 cases");
    run_table(cases, name, |c| {
        let h = &c["headers"];
        let (cf, xff, fwd) = (
            header(&h["cf-connecting-ip"]),
            header(&h["x-forwarded-for"]),
            header(&h["forwarded"]),
        );
        let headers = ForwardingHeaders {
            cf_connecting_ip: cf.as_deref(),
            x_forwarded_for: xff.as_deref(),
            forwarded: fwd.as_deref(),
        };
        let got = match client_ip(c["peer"].as_str(), &headers, &trust(&c["trust"])) {
            Ok(found) if allowlist(&c["allowlist"]).contains(found.ip) => {
                json!({ "ip": found.ip.to_string(), "source": found.source.name() })
            }
            Ok(found) => {
                json!({ "error": "ip_not_allowed", "ip": found.ip.to_string(), "source": found.source.name() })
            }
            Err(e) => json!({ "error": e.code() }),
        };
        check(got, &c["expect"])
    });
}

#[test]
fn the_built_in_lists_parse_in_full() {
    assert_eq!(
        entries(&r2_allowlist(None)),
        json!(["54.151.119.16/32", "54.215.38.39/32"])
    );
    assert_eq!(
        entries(&r2_allowlist(Some(R2Environment::Production))),
        json!(["54.215.38.39/32"])
    );
    assert_eq!(belvo_allowlist().len(), payhook::ip_lists::BELVO_IPS.len());
    assert_eq!(
        payhook::ip_lists::cloudflare_allowlist().len(),
        payhook::ip_lists::CLOUDFLARE_IPS.len()
    );
}

/// Lists of 1, 10 and 10,000 rules give the same verdicts (the cost is measured in bench/).
#[test]
fn lists_of_1_10_and_10000_rules() {
    for size in [1u32, 10, 10_000] {
        // Every fourth /24 from 20.0.0.0 (so gaps remain), plus one IPv6 /48 each.
        let mut rules: Vec<IpNet> = (0..size)
            .map(|i| {
                format!("20.{}.{}.0/24", (i * 4) >> 8, (i * 4) & 0xff)
                    .parse()
                    .unwrap()
            })
            .collect();
        rules.extend((0..size).map(|i| format!("2001:db8:{i:x}::/48").parse::<IpNet>().unwrap()));
        let list: Allowlist = rules.iter().copied().collect();
        assert_eq!(list.len(), 2 * size as usize);
        for (i, rule) in rules.iter().enumerate() {
            assert!(list.contains(rule.addr()), "{size}: rule {i} {rule}");
        }
        let last = (size - 1) * 4;
        let inside = parse_ip(&format!("20.{}.{}.200", last >> 8, last & 0xff)).unwrap();
        let gap = parse_ip(&format!("20.{}.{}.1", (last + 1) >> 8, (last + 1) & 0xff)).unwrap();
        assert!(list.contains(inside) && !list.contains(gap), "{size}");
        assert!(!list.contains(parse_ip("19.255.255.255").unwrap()));
        assert!(list.contains(parse_ip(&format!("2001:db8:{:x}::ffff", size - 1)).unwrap()));
        assert!(!list.contains(parse_ip(&format!("2001:db8:{size:x}::1")).unwrap()));
    }
}
