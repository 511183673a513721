//! Source addresses in JavaScript: the `Allowlist` class, `clientIp`, and R2's document.
//!
//! An allowlist is kept in wasm memory, behind a handle, because a compiled list (merged
//! ranges, searched in O(log n)) should be built once; the package's `Allowlist` wraps the
//! handle and frees it when garbage collected.

use core::cell::RefCell;

use wasm_bindgen::prelude::*;

use super::Failure;
use super::config;
use super::handles::{self, Handles};
use payhook::ip_lists::R2IpDocumentOptions;
use payhook::{
    Allowlist, ClientIp, Error, ForwardingHeaders, R2Environment, R2IpDocument, allowlist,
    client_ip, ip_lists,
};

thread_local! {
    static ALLOWLISTS: RefCell<Handles<Allowlist>> = const { RefCell::new(Handles::new()) };
}

fn list(value: Allowlist) -> Result<u32, JsValue> {
    Ok(handles::insert(&ALLOWLISTS, value)?)
}

/// `allowlistNew(entries)`: a list of these entries (`'54.215.38.39'`, `'10.0.0.0/8'`,
/// `'2001:db8::/32'`), as a handle.
#[wasm_bindgen(js_name = allowlistNew, skip_typescript)]
pub fn allowlist_new(entries: Vec<String>) -> Result<u32, JsValue> {
    list(Allowlist::parse(&entries).map_err(Failure::from)?)
}

/// R2's published addresses (2024-01-22 snapshot): both environments, or `'production'` /
/// `'development'`.
#[wasm_bindgen(js_name = allowlistR2, skip_typescript)]
pub fn allowlist_r2(environment: Option<String>) -> Result<u32, JsValue> {
    let environment = environment
        .map(|name| {
            R2Environment::from_name(&name).ok_or_else(|| {
                Failure::new(
                    Error::ArgumentInvalid,
                    "unknown R2 environment; use 'production' or 'development'",
                )
            })
        })
        .transpose()?;
    list(ip_lists::r2_allowlist(environment))
}

/// Belvo's published addresses.
#[wasm_bindgen(js_name = allowlistBelvo, skip_typescript)]
pub fn allowlist_belvo() -> Result<u32, JsValue> {
    list(ip_lists::belvo_allowlist())
}

/// Cloudflare's edge ranges (what `trust: 'cloudflare'` checks a peer against).
#[wasm_bindgen(js_name = allowlistCloudflare, skip_typescript)]
pub fn allowlist_cloudflare() -> Result<u32, JsValue> {
    list(ip_lists::cloudflare_allowlist())
}

/// Whether `ip` is on the list; a string that is not an address throws `ip_malformed`.
#[wasm_bindgen(js_name = allowlistContains, skip_typescript)]
pub fn allowlist_contains(id: u32, ip: &str) -> Result<bool, JsValue> {
    let ip = allowlist::parse_ip(ip).map_err(Failure::from)?;
    Ok(handles::using(&ALLOWLISTS, id, |list| {
        Ok(list.contains(ip))
    })?)
}

/// Resolves the client address of a request, as `clientIp` does, and checks it: returns
/// `{ ip, source }` as JSON text, or throws `ip_not_allowed`.
#[wasm_bindgen(js_name = allowlistCheck, skip_typescript)]
pub fn allowlist_check(
    id: u32,
    peer: Option<String>,
    cf_connecting_ip: Option<String>,
    x_forwarded_for: Option<String>,
    forwarded: Option<String>,
    trust: Option<String>,
) -> Result<String, JsValue> {
    let found = resolve(peer, [cf_connecting_ip, x_forwarded_for, forwarded], trust)?;
    Ok(handles::using(&ALLOWLISTS, id, |list| {
        if !list.contains(found.ip) {
            let mut detail = allowlist::ip_text(found.ip);
            detail.push_str(" (from ");
            detail.push_str(found.source.name());
            detail.push(')');
            return Err(Failure::new(Error::IpNotAllowed, detail));
        }
        Ok(client(&found))
    })?)
}

/// A new list with the entries of both.
#[wasm_bindgen(js_name = allowlistUnion, skip_typescript)]
pub fn allowlist_union(id: u32, other: Vec<String>) -> Result<u32, JsValue> {
    let other = Allowlist::parse(&other).map_err(Failure::from)?;
    list(handles::using(&ALLOWLISTS, id, |list| {
        Ok(list.union(&other))
    })?)
}

/// The networks, canonical and sorted (`54.215.38.39/32`).
#[wasm_bindgen(js_name = allowlistEntries, skip_typescript)]
pub fn allowlist_entries(id: u32) -> Result<Vec<String>, JsValue> {
    Ok(handles::using(&ALLOWLISTS, id, |list| {
        Ok(list.nets().iter().map(allowlist::net_text).collect())
    })?)
}

/// How many networks the list holds.
#[wasm_bindgen(js_name = allowlistSize, skip_typescript)]
pub fn allowlist_size(id: u32) -> Result<usize, JsValue> {
    Ok(handles::using(&ALLOWLISTS, id, |list| Ok(list.len()))?)
}

/// Frees the list (the package's FinalizationRegistry calls it).
#[wasm_bindgen(js_name = allowlistFree, skip_typescript)]
pub fn allowlist_free(id: u32) {
    handles::remove(&ALLOWLISTS, id);
}

/// `clientIp({ peer, headers, trust })`, as npm/input.js read it: the peer's address, the
/// three forwarding header values, and `trust` as JSON text. Returns `{ ip, source }` as JSON
/// text.
#[wasm_bindgen(js_name = clientIp, skip_typescript)]
pub fn client_ip_js(
    peer: Option<String>,
    cf_connecting_ip: Option<String>,
    x_forwarded_for: Option<String>,
    forwarded: Option<String>,
    trust: Option<String>,
) -> Result<String, JsValue> {
    Ok(client(&resolve(
        peer,
        [cf_connecting_ip, x_forwarded_for, forwarded],
        trust,
    )?))
}

/// The client address from values already read.
fn resolve(
    peer: Option<String>,
    [cf_connecting_ip, x_forwarded_for, forwarded]: [Option<String>; 3],
    trust: Option<String>,
) -> Result<ClientIp, Failure> {
    let trust = config::trust(trust.as_deref())?;
    let headers = ForwardingHeaders {
        cf_connecting_ip: cf_connecting_ip.as_deref(),
        x_forwarded_for: x_forwarded_for.as_deref(),
        forwarded: forwarded.as_deref(),
    };
    Ok(client_ip(peer.as_deref(), &headers, &trust)?)
}

/// `{ ip, source }`.
fn client(found: &ClientIp) -> String {
    payhook::json::object(|out| {
        out.member("ip", &allowlist::ip_text(found.ip));
        out.member("source", found.source.name());
    })
}

/// `parseR2IpDocument(json, { regions, allowEverything })`: R2's published address document
/// as `{ creationDate, createdAt, regions, entries }` in JSON text. A range wider than /8
/// (IPv4) or /16 (IPv6) is refused unless `allowEverything` is true.
#[wasm_bindgen(js_name = parseR2IpDocument, skip_typescript)]
pub fn parse_r2_ip_document(
    json_text: &str,
    regions: Option<Vec<String>>,
    allow_everything: bool,
) -> Result<String, JsValue> {
    let doc = R2IpDocument::parse_with(json_text, R2IpDocumentOptions { allow_everything })
        .map_err(Failure::from)?;
    let list = doc.allowlist(regions.as_deref()).map_err(Failure::from)?;
    // Before the package turns `entries` into an Allowlist.
    Ok(payhook::json::object(|out| {
        out.member("creationDate", &doc.creation_date);
        out.member("createdAt", &doc.created_at.map(|s| s as f64 * 1000.0));
        let regions: Vec<&str> = doc.regions.iter().map(|(name, _)| name.as_str()).collect();
        out.member("regions", &regions);
        let entries: Vec<String> = list.nets().iter().map(allowlist::net_text).collect();
        out.member("entries", &entries);
    }))
}
