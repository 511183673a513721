//! Belvo's `Authorization`: any header and accepted values give a verdict, never a panic; an
//! accepted value always matches itself; a Basic credential with neither user nor password is
//! never accepted, so sending one never matches.
#![no_main]

use libfuzzer_sys::fuzz_target;
use payhook::{check_authorization, parse_accepted};

fuzz_target!(|input: (&str, Vec<&str>)| {
    let (header, accepted) = input;
    if let Ok(parsed) = parse_accepted(&accepted) {
        let _ = check_authorization(header, &parsed);
        for value in &accepted {
            assert!(
                check_authorization(value, &parsed).is_ok(),
                "{value:?} must match itself"
            );
        }
        for empty in ["Basic Og==", "Basic Og", "basic  Og=="] {
            assert!(check_authorization(empty, &parsed).is_err(), "{accepted:?}");
        }
    }
});
