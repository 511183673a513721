//! R2's published address document: any text parses or names the bad part, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use payhook::R2IpDocument;

fuzz_target!(|input: (&str, Option<Vec<&str>>)| {
    let (text, regions) = input;
    match R2IpDocument::parse(text) {
        Ok(doc) => {
            let _ = doc.allowlist(regions.as_deref());
        }
        Err(e) => assert!(e.path.is_empty() || e.path.starts_with('/')),
    }
});
