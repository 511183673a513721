//! The providers' published source addresses, as dated snapshots, and R2's address document.
//!
//! R2 says its list "will be updated automatically" but documents no stable URL for it. So
//! the document format can be parsed at run time ([`R2IpDocument::parse`]), and the
//! snapshot below is the default. Belvo lists three addresses on its Brazil payments page;
//! the Colombia page's list is blank in every copy.

use std::net::IpAddr;

use serde_json::Value;

use crate::allowlist::{Allowlist, AllowlistError, IpNet};
use crate::json;
use crate::providers::PayloadError;

/// R2's address document as published, `creationDate` 2024-01-22-14-11-43.
pub const R2_IP_DOCUMENT: &str = r#"{"creationDate": "2024-01-22-14-11-43", "ips": {"us": ["54.151.119.16/32", "54.215.38.39/32"]}}"#;

/// Belvo's outbound webhook addresses (payments, Brazil page and other Belvo guides).
pub const BELVO_IPS: [&str; 3] = ["3.130.254.46", "18.220.61.186", "18.223.45.212"];

/// Cloudflare's published edge ranges: a request whose peer is one of these really came
/// through Cloudflare, so its `CF-Connecting-IP` can be believed.
pub const CLOUDFLARE_IPS: [&str; 22] = [
    "173.245.48.0/20",
    "103.21.244.0/22",
    "103.22.200.0/22",
    "103.31.4.0/22",
    "141.101.64.0/18",
    "108.162.192.0/18",
    "190.93.240.0/20",
    "188.114.96.0/20",
    "197.234.240.0/22",
    "198.41.128.0/17",
    "162.158.0.0/15",
    "104.16.0.0/13",
    "104.24.0.0/14",
    "172.64.0.0/13",
    "131.0.72.0/22",
    "2400:cb00::/32",
    "2606:4700::/32",
    "2803:f800::/32",
    "2405:b500::/32",
    "2405:8100::/32",
    "2a06:98c0::/29",
    "2c0f:f248::/32",
];

/// R2's two environments: "currently just one IP per environment".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum R2Environment {
    /// PROD: 54.215.38.39.
    Production,
    /// DEV: 54.151.119.16.
    Development,
}

impl R2Environment {
    /// `production` or `development`.
    pub const fn name(self) -> &'static str {
        match self {
            R2Environment::Production => "production",
            R2Environment::Development => "development",
        }
    }

    /// Parses [`R2Environment::name`].
    pub fn from_name(name: &str) -> Option<Self> {
        [R2Environment::Production, R2Environment::Development]
            .into_iter()
            .find(|e| e.name() == name)
    }

    const fn address(self) -> &'static str {
        match self {
            R2Environment::Production => "54.215.38.39/32",
            R2Environment::Development => "54.151.119.16/32",
        }
    }
}

/// R2's snapshot: both environments, or one.
pub fn r2_allowlist(environment: Option<R2Environment>) -> Allowlist {
    match environment {
        Some(env) => known(&[env.address()]),
        None => R2IpDocument::parse(R2_IP_DOCUMENT)
            .and_then(|doc| doc.allowlist::<&str>(None))
            .unwrap_or_default(),
    }
}

/// Belvo's snapshot.
pub fn belvo_allowlist() -> Allowlist {
    known(&BELVO_IPS)
}

/// Cloudflare's edge ranges.
pub fn cloudflare_allowlist() -> Allowlist {
    known(&CLOUDFLARE_IPS)
}

/// A list from constants above (checked by the tests to parse in full).
fn known(entries: &[&str]) -> Allowlist {
    entries
        .iter()
        .filter_map(|e| e.parse::<IpNet>().ok())
        .collect()
}

/// The shortest IPv4 prefix a document may hold unless the caller opts in with
/// [`R2IpDocumentOptions::allow_everything`]. A /8 is the largest block IANA ever allocated
/// at once, so a wider entry spans unrelated networks: a placeholder (`0.0.0.0/0`), a typo,
/// or a document that lets the whole Internet in. No webhook sender needs more.
pub const MIN_IPV4_PREFIX: u8 = 8;

/// The same for IPv6: a /16 is already 2^112 addresses, the scale of a registry's pool, not
/// of a sender's outbound addresses.
pub const MIN_IPV6_PREFIX: u8 = 16;

/// How [`R2IpDocument::parse_with`] reads a document. The default is the strict reading that
/// [`R2IpDocument::parse`] uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct R2IpDocumentOptions {
    /// Accept entries wider than [`MIN_IPV4_PREFIX`] or [`MIN_IPV6_PREFIX`], `0.0.0.0/0` and
    /// `::/0` among them. Off by default: a webhook allowlist that lets everyone in is a
    /// mistake unless someone says otherwise (a test setup, say). Splitting a range does not
    /// get around the rule: `0.0.0.0/1` is refused as `0.0.0.0/0` is.
    pub allow_everything: bool,
}

/// R2's address document: `{"creationDate": "...", "ips": {"<region>": ["a.b.c.d/32", ...]}}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct R2IpDocument {
    /// `creationDate` as written (`2024-01-22-14-11-43`).
    pub creation_date: String,
    /// `creationDate` as Unix seconds (UTC assumed), when it has that documented form, so a
    /// receiver can tell how old its list is.
    pub created_at: Option<i64>,
    /// Each region's list, in order of region name.
    pub regions: Vec<(String, Allowlist)>,
}

impl R2IpDocument {
    /// Parses the document strictly: [`R2IpDocument::parse_with`] and the default options.
    pub fn parse(json: &str) -> Result<Self, AllowlistError> {
        Self::parse_with(json, R2IpDocumentOptions::default())
    }

    /// Parses the document. Every failure names the JSON Pointer of what is wrong:
    ///
    /// - a key repeated anywhere, which parsers resolve differently (serde_json and
    ///   `JSON.parse` keep the last `"us"`, others the first), so one document could mean
    ///   two lists;
    /// - a missing or mistyped `creationDate` or `ips`, or `ips` listing no address;
    /// - an entry that is not an IP address or CIDR network (strict form, see
    ///   [`crate::allowlist`]);
    /// - unless `options` allow it, an entry wider than [`MIN_IPV4_PREFIX`] or
    ///   [`MIN_IPV6_PREFIX`].
    ///
    /// ```
    /// use payhook::ip_lists::{R2IpDocument, R2IpDocumentOptions};
    /// let open = r#"{"creationDate": "2025-06-01-00-00-00", "ips": {"test": ["0.0.0.0/0"]}}"#;
    /// assert_eq!(R2IpDocument::parse(open).unwrap_err().path, "/ips/test/0");
    /// let doc = R2IpDocument::parse_with(open, R2IpDocumentOptions { allow_everything: true });
    /// assert_eq!(doc.unwrap().regions.len(), 1);
    /// ```
    pub fn parse_with(json: &str, options: R2IpDocumentOptions) -> Result<Self, AllowlistError> {
        let bad = |path: &str, reason| AllowlistError::new(path.to_owned(), reason);
        // No size limit beyond the caller's: the document is the operator's, already in
        // memory.
        let doc = json::parse_object(json.as_bytes(), usize::MAX).map_err(not_a_document)?;
        let creation_date = doc
            .get("creationDate")
            .and_then(Value::as_str)
            .ok_or_else(|| bad("/creationDate", "missing, or not a string"))?
            .to_owned();
        let ips = doc
            .get("ips")
            .and_then(Value::as_object)
            .ok_or_else(|| bad("/ips", "missing, or not an object"))?;
        let mut regions = Vec::with_capacity(ips.len());
        for (region, entries) in ips {
            let path = json::pointer("/ips", region);
            let entries = entries
                .as_array()
                .ok_or_else(|| bad(&path, "not an array"))?;
            let mut nets = Vec::with_capacity(entries.len());
            for (i, entry) in entries.iter().enumerate() {
                let why = match entry.as_str().and_then(|s| s.parse::<IpNet>().ok()) {
                    None => "not an IP address or CIDR network",
                    Some(net) if too_wide(net) && !options.allow_everything => TOO_WIDE,
                    Some(net) => {
                        nets.push(net);
                        continue;
                    }
                };
                return Err(AllowlistError::new(format!("{path}/{i}"), why));
            }
            regions.push((region.clone(), nets.into_iter().collect::<Allowlist>()));
        }
        if regions.iter().all(|(_, list)| list.is_empty()) {
            return Err(bad("/ips", "lists no address"));
        }
        let created_at = unix_seconds(&creation_date);
        Ok(R2IpDocument {
            creation_date,
            created_at,
            regions,
        })
    }

    /// The addresses of the regions asked for (all when `None`). A region the document does
    /// not have is an error, not an empty list.
    pub fn allowlist<S: AsRef<str>>(
        &self,
        regions: Option<&[S]>,
    ) -> Result<Allowlist, AllowlistError> {
        let Some(wanted) = regions else {
            return Ok(self
                .regions
                .iter()
                .flat_map(|(_, list)| list.nets().iter().copied())
                .collect());
        };
        let mut nets = Vec::new();
        for name in wanted {
            let name = name.as_ref();
            let (_, list) = self
                .regions
                .iter()
                .find(|(region, _)| region == name)
                .ok_or_else(|| {
                    AllowlistError::new(
                        json::pointer("/ips", name),
                        "no such region in the document",
                    )
                })?;
            nets.extend_from_slice(list.nets());
        }
        Ok(nets.into_iter().collect())
    }
}

const TOO_WIDE: &str = "a range wider than /8 (IPv4) or /16 (IPv6) lets nearly everyone in: refused unless the caller allows everything";

/// Whether `net` is wider than [`MIN_IPV4_PREFIX`] or [`MIN_IPV6_PREFIX`] (a mapped IPv4
/// rule is already IPv4 here).
fn too_wide(net: IpNet) -> bool {
    match net.addr() {
        IpAddr::V4(_) => net.prefix_len() < MIN_IPV4_PREFIX,
        IpAddr::V6(_) => net.prefix_len() < MIN_IPV6_PREFIX,
    }
}

/// Why a text is not a document at all, from the hostile-JSON parser's first issue.
fn not_a_document(e: PayloadError) -> AllowlistError {
    match e.issues.into_iter().next() {
        Some(issue) if issue.code == "duplicate_key" => {
            AllowlistError::new(issue.path, "a key repeated in its object")
        }
        Some(issue) if issue.code == "wrong_type" => {
            AllowlistError::new(String::new(), "not a JSON object")
        }
        _ => AllowlistError::new(String::new(), "not JSON"),
    }
}

/// `YYYY-MM-DD-HH-MM-SS` (UTC) as Unix seconds.
fn unix_seconds(date: &str) -> Option<i64> {
    // Six fields of digits, read in a plain loop (an `Option`-collecting iterator is a
    // generic instance of its own).
    let mut parts = [0i64; 6];
    let mut fields = date.split('-');
    for part in &mut parts {
        let field = fields.next()?;
        if !field.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        // Read as a `u64`, the one integer type the module's other readers parse.
        *part = i64::try_from(field.parse::<u64>().ok()?).ok()?;
    }
    if fields.next().is_some() {
        return None;
    }
    let [y, mo, d, h, mi, s] = parts;
    if !(1970..=9999).contains(&y)
        || !(1..=12).contains(&mo)
        || !(1..=31).contains(&d)
        || h > 23
        || mi > 59
        || s > 60
    {
        return None;
    }
    // Days from 1970-01-01 to y-mo-d (Howard Hinnant's days_from_civil).
    let y = if mo <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((mo + 9) % 12) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + h * 3_600 + mi * 60 + s)
}

#[cfg(test)]
mod tests {
    #[test]
    fn creation_dates_are_six_fields_of_digits() {
        assert_eq!(
            super::unix_seconds("2024-01-22-14-11-43"),
            Some(1_705_932_703)
        );
        assert_eq!(super::unix_seconds("1970-01-01-00-00-00"), Some(0));
        for bad in [
            "",
            "2024-01-22-14-11",
            "2024-01-22-14-11-43-00",
            "2024-01-22-14-11-",
            "2024-01-22-14--43",
            "2024-01-22-14-11-+3",
            "2024-13-22-14-11-43",
            "1969-01-01-00-00-00",
        ] {
            assert_eq!(super::unix_seconds(bad), None, "{bad:?}");
        }
    }
}
