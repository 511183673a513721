//! Pasted captures: any text is a raw HTTP request, a curl command, or `capture_malformed`,
//! never a panic. Header names are lowercase and each appears once (repeats are joined).
#![no_main]

use std::collections::HashSet;

use libfuzzer_sys::fuzz_target;
use payhook::capture::parse_capture;

fuzz_target!(|text: &str| {
    if let Ok(capture) = parse_capture(text) {
        assert!(!capture.method.is_empty());
        assert!(
            capture
                .headers
                .iter()
                .all(|(name, _)| *name == name.to_ascii_lowercase())
        );
        let names: HashSet<&str> = capture.headers.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names.len(), capture.headers.len(), "a header listed twice");
    }
});
