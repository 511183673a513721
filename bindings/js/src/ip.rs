//! Source addresses in JavaScript: the `Allowlist` class, `clientIp`, and R2's document.
//!
//! `Allowlist` is a class because a compiled list (merged ranges, searched in O(log n))
//! should be built once and kept in wasm memory. It is freed when garbage collected; nothing
//! needs to call `free()`.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;

use super::{Failure, input};
use payhook::allowlist::{self, AllowlistError};
use payhook::ip_lists::R2IpDocumentOptions;
use payhook::{ClientIp, Error, R2Environment, R2IpDocument, client_ip, ip_lists};

/// A set of IP addresses and CIDR networks, IPv4 and IPv6.
#[wasm_bindgen(js_name = Allowlist, skip_typescript)]
pub struct JsAllowlist(payhook::Allowlist);

#[wasm_bindgen(js_class = Allowlist)]
impl JsAllowlist {
    /// `new Allowlist(['54.215.38.39', '10.0.0.0/8', '2001:db8::/32'])`.
    #[wasm_bindgen(constructor)]
    pub fn new(entries: JsValue) -> Result<JsAllowlist, JsValue> {
        let entries = input::entries(&entries, "entries")?;
        Ok(JsAllowlist(
            payhook::Allowlist::parse(&entries).map_err(Failure::from)?,
        ))
    }

    /// R2's published addresses (2024-01-22 snapshot): both environments, or
    /// `'production'` / `'development'`.
    pub fn r2(environment: JsValue) -> Result<JsAllowlist, JsValue> {
        let environment = match environment.as_string() {
            None if environment.is_undefined() || environment.is_null() => None,
            Some(name) => Some(R2Environment::from_name(&name).ok_or_else(|| {
                Failure::new(
                    Error::ArgumentInvalid,
                    "unknown R2 environment; use 'production' or 'development'",
                )
            })?),
            None => {
                return Err(Failure::new(
                    Error::ArgumentInvalid,
                    "the R2 environment must be a string",
                )
                .into());
            }
        };
        Ok(JsAllowlist(ip_lists::r2_allowlist(environment)))
    }

    /// Belvo's published addresses.
    pub fn belvo() -> JsAllowlist {
        JsAllowlist(ip_lists::belvo_allowlist())
    }

    /// Cloudflare's edge ranges (what `trust: 'cloudflare'` checks a peer against).
    pub fn cloudflare() -> JsAllowlist {
        JsAllowlist(ip_lists::cloudflare_allowlist())
    }

    /// Whether `ip` is on the list; a string that is not an address throws `ip_malformed`.
    pub fn contains(&self, ip: JsValue) -> Result<bool, JsValue> {
        let ip = ip
            .as_string()
            .ok_or_else(|| Failure::new(Error::IpMalformed, "the address must be a string"))?;
        Ok(self
            .0
            .contains(allowlist::parse_ip(&ip).map_err(Failure::from)?))
    }

    /// Resolves the client address of a request (see `clientIp`) and checks it: returns
    /// `{ ip, source }`, or throws `ip_not_allowed`.
    pub fn check(&self, request: JsValue) -> Result<JsValue, JsValue> {
        self.allow(resolve(&request)?)
    }

    /// `check` for the common shapes, read by the package in JS (see [`client_ip_parts`]).
    #[wasm_bindgen(js_name = checkParts)]
    pub fn check_parts(
        &self,
        peer: Option<String>,
        cf_connecting_ip: Option<String>,
        x_forwarded_for: Option<String>,
        forwarded: Option<String>,
        trust: JsValue,
    ) -> Result<JsValue, JsValue> {
        let forwarding = input::Forwarding::new(cf_connecting_ip, x_forwarded_for, forwarded);
        self.allow(resolve_parts(peer.as_deref(), &forwarding, &trust)?)
    }

    fn allow(&self, found: ClientIp) -> Result<JsValue, JsValue> {
        if !self.0.contains(found.ip) {
            let detail = format!("{} (from {})", found.ip, found.source.name());
            return Err(Failure::new(Error::IpNotAllowed, detail).into());
        }
        Ok(client(&found))
    }

    /// A new list with the entries of both (`other`: an `Allowlist` or an array of strings).
    pub fn union(&self, other: JsValue) -> Result<JsAllowlist, JsValue> {
        let other =
            payhook::Allowlist::parse(&input::entries(&other, "other")?).map_err(Failure::from)?;
        Ok(JsAllowlist(self.0.union(&other)))
    }

    /// The networks, canonical and sorted (`54.215.38.39/32`).
    pub fn entries(&self) -> Array {
        self.0
            .nets()
            .iter()
            .map(|n| JsValue::from(n.to_string()))
            .collect()
    }

    /// `JSON.stringify(list)` gives its entries.
    #[wasm_bindgen(js_name = toJSON)]
    pub fn to_json(&self) -> Array {
        self.entries()
    }

    /// How many networks the list holds.
    #[wasm_bindgen(getter)]
    pub fn size(&self) -> usize {
        self.0.len()
    }
}

/// `clientIp({ peer, headers, trust })`: the client's address and where it was read,
/// `{ ip, source }`, without IO.
#[wasm_bindgen(js_name = clientIp, skip_typescript)]
pub fn client_ip_js(request: JsValue) -> Result<JsValue, JsValue> {
    Ok(client(&resolve(&request)?))
}

/// `clientIp` for the common shapes, read by the package in JS (npm/recover.js): the peer's
/// address and the three forwarding header values already strings, `trust` as given. It
/// saves the calls back into JS that reading `{ peer, headers, trust }` from wasm takes.
#[wasm_bindgen(js_name = clientIpParts, skip_typescript)]
pub fn client_ip_parts(
    peer: Option<String>,
    cf_connecting_ip: Option<String>,
    x_forwarded_for: Option<String>,
    forwarded: Option<String>,
    trust: JsValue,
) -> Result<JsValue, JsValue> {
    let forwarding = input::Forwarding::new(cf_connecting_ip, x_forwarded_for, forwarded);
    Ok(client(&resolve_parts(
        peer.as_deref(),
        &forwarding,
        &trust,
    )?))
}

/// `parseR2IpDocument(json, { regions, allowEverything })`: R2's published address document
/// as `{ creationDate, createdAt, regions, allowlist }`. A range wider than /8 (IPv4) or /16
/// (IPv6) is refused unless `allowEverything` is true.
#[wasm_bindgen(js_name = parseR2IpDocument, skip_typescript)]
pub fn parse_r2_ip_document(json: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let json = json.as_string().ok_or_else(|| {
        Failure::new(
            Error::AllowlistMalformed,
            "the document must be a JSON string",
        )
    })?;
    let option = |key: &str| match options.is_undefined() || options.is_null() {
        true => Ok(JsValue::UNDEFINED),
        false => input::get(&options, key, &format!("options.{key}")),
    };
    let regions = Some(option("regions")?).filter(|v| !v.is_undefined() && !v.is_null());
    let regions = regions.map(|r| input::strings(&r, "regions")).transpose()?;
    let allow_everything = match option("allowEverything")? {
        v if v.is_undefined() => false,
        v => v.as_bool().ok_or_else(|| {
            Failure::new(
                Error::ArgumentInvalid,
                "options.allowEverything must be a boolean",
            )
        })?,
    };
    let doc = R2IpDocument::parse_with(&json, R2IpDocumentOptions { allow_everything })
        .map_err(Failure::from)?;
    let list = doc
        .allowlist(regions.as_deref())
        .map_err(|e: AllowlistError| Failure::from(e))?;
    let created_at = doc
        .created_at
        .map_or(JsValue::NULL, |s| JsValue::from(s as f64 * 1000.0));
    let names: Array = doc
        .regions
        .iter()
        .map(|(name, _)| JsValue::from(name))
        .collect();
    object(&[
        ("creationDate", doc.creation_date.into()),
        ("createdAt", created_at),
        ("regions", names.into()),
        ("allowlist", JsAllowlist(list).into()),
    ])
}

/// Reads `{ peer, headers, trust }` and resolves the client address.
fn resolve(request: &JsValue) -> Result<ClientIp, Failure> {
    if !request.is_object() {
        return Err(Failure::new(
            Error::ArgumentInvalid,
            "expected { peer, headers, trust }",
        ));
    }
    let get = |key: &str| input::get(request, key, key);
    let peer = input::peer(&get("peer")?)?;
    let trust = input::trust(&get("trust")?)?;
    let forwarding = input::RequestHeaders::read(&get("headers")?)?.forwarding()?;
    Ok(client_ip(peer.as_deref(), &forwarding.headers(), &trust)?)
}

/// The same from parts already read.
fn resolve_parts(
    peer: Option<&str>,
    forwarding: &input::Forwarding,
    trust: &JsValue,
) -> Result<ClientIp, Failure> {
    Ok(client_ip(
        peer,
        &forwarding.headers(),
        &input::trust(trust)?,
    )?)
}

fn client(found: &ClientIp) -> JsValue {
    object(&[
        ("ip", found.ip.to_string().into()),
        ("source", input::name(found.source.name())),
    ])
    .unwrap_or(JsValue::NULL)
}

/// A plain object from key/value pairs.
fn object(pairs: &[(&str, JsValue)]) -> Result<JsValue, JsValue> {
    let object = Object::new();
    for (key, value) in pairs {
        Reflect::set(&object, &input::name(key), value)?;
    }
    Ok(object.into())
}
