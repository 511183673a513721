//! The error codes are written once, in `src/error.rs`; the README table and the
//! TypeScript `ErrorCode` union are checked against that list here so they cannot drift.
#![cfg(not(target_arch = "wasm32"))]

use payhook::Error;

#[test]
fn readme_error_table_matches_the_rust_list() {
    let readme = include_str!("../README.md");
    let rows: Vec<(String, u16)> = readme
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let code = cells.get(1)?.strip_prefix('`')?.strip_suffix('`')?;
            let status = cells.get(2)?.parse().ok()?;
            Some((code.to_owned(), status))
        })
        .collect();
    let rust: Vec<(String, u16)> = Error::ALL
        .iter()
        .map(|e| (e.code().to_owned(), e.status()))
        .collect();
    assert_eq!(rows, rust);
}

#[test]
fn typescript_error_code_union_matches_the_rust_list() {
    let dts = include_str!("../npm/index.d.ts");
    let start = dts
        .find("export type ErrorCode =")
        .expect("ErrorCode in index.d.ts");
    let union = &dts[start..start + dts[start..].find(';').expect("end of the union")];
    let codes: Vec<&str> = union.split('\'').skip(1).step_by(2).collect();
    let rust: Vec<&str> = Error::ALL.iter().map(|e| e.code()).collect();
    assert_eq!(codes, rust);
}
