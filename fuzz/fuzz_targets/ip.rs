//! Addresses and networks: parsing never panics; a parsed network contains its own address;
//! an allowlist agrees with a linear scan of its networks.
#![no_main]

use libfuzzer_sys::fuzz_target;
use payhook::{Allowlist, IpNet, parse_ip};

fuzz_target!(|input: (Vec<&str>, Vec<&str>)| {
    let (rules, candidates) = input;
    let nets: Vec<IpNet> = rules.iter().filter_map(|r| r.parse().ok()).collect();
    for net in &nets {
        assert!(net.contains(net.addr()));
    }
    let list: Allowlist = nets.iter().copied().collect();
    let _ = Allowlist::parse(&rules);
    for candidate in candidates {
        if let Ok(ip) = parse_ip(candidate) {
            assert_eq!(
                list.contains(ip),
                nets.iter().any(|n| n.contains(ip)),
                "{candidate}"
            );
        }
    }
});
