//! R2's published address document: any text parses or names the bad part, never a panic.
//! The strict reading accepts nothing wider than /8 (IPv4) or /16 (IPv6); the opt-in reading
//! accepts everything the strict one does, unchanged, and differs only by such entries.
#![no_main]

use std::net::IpAddr;

use libfuzzer_sys::fuzz_target;
use payhook::ip_lists::{MIN_IPV4_PREFIX, MIN_IPV6_PREFIX, R2IpDocumentOptions};
use payhook::{IpNet, R2IpDocument};

fn too_wide(net: &IpNet) -> bool {
    match net.addr() {
        IpAddr::V4(_) => net.prefix_len() < MIN_IPV4_PREFIX,
        IpAddr::V6(_) => net.prefix_len() < MIN_IPV6_PREFIX,
    }
}

fuzz_target!(|input: (&str, Option<Vec<&str>>)| {
    let (text, regions) = input;
    let strict = R2IpDocument::parse(text);
    let open = R2IpDocument::parse_with(
        text,
        R2IpDocumentOptions {
            allow_everything: true,
        },
    );
    let nets = |doc: &R2IpDocument| -> Vec<IpNet> {
        doc.regions
            .iter()
            .flat_map(|(_, list)| list.nets().iter().copied())
            .collect()
    };
    match (&strict, &open) {
        (Ok(doc), Ok(same)) => {
            assert_eq!(doc, same);
            assert!(
                !nets(doc).iter().any(too_wide),
                "strict accepted a wide entry"
            );
            let _ = doc.allowlist(regions.as_deref());
        }
        (Ok(_), Err(e)) => panic!("the opt-in refused what the strict reading accepts: {e}"),
        (Err(e), Ok(doc)) => {
            assert!(e.path.starts_with("/ips/"), "{e}");
            assert!(nets(doc).iter().any(too_wide), "{e}");
        }
        (Err(a), Err(b)) => {
            assert!(a.path.is_empty() || a.path.starts_with('/'));
            assert!(b.path.is_empty() || b.path.starts_with('/'));
        }
    }
});
