//! Writes the npm package's payload descriptions from the Rust models, their one source:
//!
//!   schemas/r2-event.schema.json       JSON Schema (draft 2020-12) of an R2 body
//!   schemas/belvo-webhook.schema.json  JSON Schema of a Belvo body
//!   npm/payloads.d.ts                  TypeScript types of the parsed values
//!
//! Run by `scripts/gen-shapes.sh` (`cargo run -p gen-shapes`); with `--check` it
//! writes nothing and fails when a committed file differs from what it would write.
//!
//! Everything about the payloads (members, kinds, requiredness, constraints, enumerations,
//! event types and routes, docs) comes from `payhook::providers::shape` and the models' own
//! `SHAPE`, `EVENTS` and `routes()`, which the parser reads by. What is written here is only
//! how each kind is spelt in JSON Schema and TypeScript, the layout of both files, and the
//! public TypeScript names of the per-event-type collections (`NAMED_VARIANTS`). The
//! hand-written TypeScript (header, shared types, functions) is in `templates/`.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use payhook::providers::Seen;
use payhook::providers::belvo::{
    AggregationWebhook, BelvoWebhook, OpenData, PaymentWebhook, UnknownWebhook, WebhookCode,
    WebhookType,
};
use payhook::providers::r2::{Envelope, R2Event};
use payhook::providers::shape::MAX_INTEGER as MAX_JS_INTEGER;
use payhook::providers::shape::{
    BelvoRoute, BelvoRouteKind, Enum, Field, Kind, Object, Presence, R2EventType, Rest,
};

/// Public TypeScript names of an object whose conditional members are required: the
/// object, the members required, the name and its doc comment.
const NAMED_VARIANTS: &[(&str, &[&str], &str, &str)] = &[
    (
        "Collection",
        &["collection_id"],
        "CreatedCollection",
        "A collection that was created: every collection event but `collection_rejected`.",
    ),
    (
        "Collection",
        &["collection_id", "related_collection_id"],
        "ReturnedCollection",
        "The collection of `collection_returned`: it names the collection it refunds.",
    ),
];

fn main() {
    let check = std::env::args().any(|a| a == "--check");
    // The repository: this crate is tools/gen-shapes.
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let root = here.join("../..");
    let files = [
        ("schemas/r2-event.schema.json", r2_schema().pretty()),
        ("schemas/belvo-webhook.schema.json", belvo_schema().pretty()),
        ("npm/payloads.d.ts", typescript(&root)),
    ];
    let mut stale = Vec::new();
    for (path, text) in &files {
        let full = root.join(path);
        let current = std::fs::read_to_string(&full).unwrap_or_default();
        if current == *text {
            continue;
        }
        if check {
            stale.push(*path);
        } else if let Err(e) = std::fs::write(&full, text) {
            eprintln!("gen-shapes: {}: {e}", full.display());
            std::process::exit(1);
        } else {
            println!("gen-shapes: wrote {path}");
        }
    }
    if !stale.is_empty() {
        for path in &stale {
            eprintln!("gen-shapes: {path} is stale: run `bash scripts/gen-shapes.sh`");
        }
        std::process::exit(1);
    }
    if check {
        println!("gen-shapes: {} files up to date", files.len());
    }
}

// --- names and docs ---------------------------------------------------------------------------

fn snake(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Doc lines as one paragraph.
fn prose(docs: &[&str]) -> String {
    docs.iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A TypeScript doc comment at `indent`, or nothing.
fn tsdoc(docs: &[&str], indent: &str) -> String {
    let lines: Vec<&str> = docs.iter().map(|l| l.trim()).collect();
    match lines.as_slice() {
        [] => String::new(),
        [one] if one.len() + indent.len() <= 92 => format!("{indent}/** {one} */\n"),
        _ => {
            let mut out = format!("{indent}/**\n");
            for l in lines {
                if l.is_empty() {
                    let _ = writeln!(out, "{indent} *");
                } else {
                    let _ = writeln!(out, "{indent} * {l}");
                }
            }
            let _ = writeln!(out, "{indent} */");
            out
        }
    }
}

fn quote(s: &str) -> String {
    format!("'{s}'")
}

fn union<I: IntoIterator<Item = String>>(items: I) -> String {
    items.into_iter().collect::<Vec<_>>().join(" | ")
}

/// A union, one member a line when it is long.
fn union_decl(head: &str, items: &[String]) -> String {
    let one = format!("{head} = {};\n", union(items.iter().cloned()));
    if one.len() <= 101 {
        return one;
    }
    let mut out = format!("{head} =\n");
    for item in items {
        let _ = writeln!(out, "  | {item}");
    }
    out.pop();
    out.push_str(";\n");
    out
}

// --- JSON with ordered keys ---------------------------------------------------------------------

enum J {
    Str(String),
    Num(u64),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

fn s(text: &str) -> J {
    J::Str(text.to_owned())
}

fn strs<'a, I: IntoIterator<Item = &'a str>>(items: I) -> J {
    J::Arr(items.into_iter().map(s).collect())
}

fn obj<const N: usize>(members: [(&str, J); N]) -> J {
    J::Obj(
        members
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
    )
}

fn reference(def: &str) -> J {
    obj([("$ref", s(&format!("#/$defs/{def}")))])
}

impl J {
    /// Adds a member (objects only).
    fn with(mut self, key: &str, value: J) -> J {
        if let J::Obj(members) = &mut self {
            members.push((key.to_owned(), value));
        }
        self
    }

    /// Adds a `description` first, when there is one.
    fn described(self, text: &str) -> J {
        match self {
            J::Obj(mut members) if !text.is_empty() => {
                members.insert(0, ("description".to_owned(), s(text)));
                J::Obj(members)
            }
            other => other,
        }
    }

    fn inline(&self) -> String {
        match self {
            J::Str(text) => serde_json::to_string(text).unwrap_or_default(),
            J::Num(n) => n.to_string(),
            J::Arr(items) => {
                let inner: Vec<String> = items.iter().map(J::inline).collect();
                format!("[{}]", inner.join(", "))
            }
            J::Obj(members) if members.is_empty() => "{}".to_owned(),
            J::Obj(members) => {
                let inner: Vec<String> = members
                    .iter()
                    .map(|(k, v)| format!("{}: {}", J::Str(k.clone()).inline(), v.inline()))
                    .collect();
                format!("{{ {} }}", inner.join(", "))
            }
        }
    }

    fn write(&self, out: &mut String, indent: usize) {
        let flat = self.inline();
        if flat.len() + indent <= 96 && !flat.contains("\"$defs\"") {
            out.push_str(&flat);
            return;
        }
        let pad = " ".repeat(indent + 2);
        match self {
            J::Arr(items) => {
                out.push_str("[\n");
                for (i, item) in items.iter().enumerate() {
                    out.push_str(&pad);
                    item.write(out, indent + 2);
                    out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
                }
                out.push_str(&" ".repeat(indent));
                out.push(']');
            }
            J::Obj(members) => {
                out.push_str("{\n");
                for (i, (k, v)) in members.iter().enumerate() {
                    out.push_str(&pad);
                    out.push_str(&J::Str(k.clone()).inline());
                    out.push_str(": ");
                    v.write(out, indent + 2);
                    out.push_str(if i + 1 < members.len() { ",\n" } else { "\n" });
                }
                out.push_str(&" ".repeat(indent));
                out.push('}');
            }
            other => out.push_str(&other.inline()),
        }
    }

    fn pretty(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, 0);
        out.push('\n');
        out
    }
}

// --- JSON Schema ----------------------------------------------------------------------------

/// The `$defs` shared by both schemas, in the order they are first used.
struct Defs(Vec<(String, J)>);

impl Defs {
    fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(n, _)| n == name)
    }

    fn add(&mut self, name: &str, def: impl FnOnce(&mut Defs) -> J) -> J {
        if !self.has(name) {
            // Reserve the slot first, so that the order is the order of first use.
            self.0.push((name.to_owned(), obj([])));
            let built = def(self);
            if let Some(slot) = self.0.iter_mut().find(|(n, _)| n == name) {
                slot.1 = built;
            }
        }
        reference(name)
    }

    /// The schema of a member of `kind`, required (so never `null`) or not.
    fn kind(&mut self, kind: &Kind, required: bool) -> J {
        let max = J::Num(MAX_JS_INTEGER);
        match kind {
            Kind::Id if required => self.add("id", |_| {
                obj([("type", s("string")), ("minLength", J::Num(1))])
                    .described("An identifier: a non-empty string.")
            }),
            Kind::Id => self.add("optional_id", |_| {
                obj([("type", strs(["string", "null"])), ("minLength", J::Num(1))])
                    .described("An identifier when present: a non-empty string (null reads as absent).")
            }),
            Kind::String | Kind::FailureCode if required => obj([("type", s("string"))]),
            Kind::String | Kind::FailureCode => self.add("optional_string", |_| {
                obj([("type", strs(["string", "null"]))]).described("A string (null reads as absent).")
            }),
            Kind::Amount => self.add("amount", |_| {
                obj([("type", strs(["number", "null"]))]).described(
                    "A money amount or a rate: any JSON number, integer or decimal, kept as sent. Null reads as absent.",
                )
            }),
            Kind::UnixTime => {
                let exact = self.add("unix_time", |_| {
                    obj([(
                        "anyOf",
                        J::Arr(vec![
                            obj([
                                ("title", s("integer")),
                                ("type", s("integer")),
                                ("minimum", J::Num(0)),
                                ("maximum", J::Num(MAX_JS_INTEGER)),
                            ]),
                            obj([
                                ("title", s("string of digits")),
                                ("type", s("string")),
                                ("pattern", J::Str(digits_at_most(MAX_JS_INTEGER))),
                            ]),
                        ]),
                    )])
                    .described(&format!(
                        "Unix seconds, sent as an integer or as a string of digits; either from 0 to 2^53 - 1 ({MAX_JS_INTEGER}), so that JavaScript holds it exactly."
                    ))
                });
                if required {
                    exact
                } else {
                    self.add("optional_unix_time", |_| {
                        obj([("anyOf", J::Arr(vec![reference("unix_time"), obj([("type", s("null"))])]))])
                            .described("Unix seconds when present (null reads as absent).")
                    })
                }
            }
            Kind::Count => self.add("count", |_| {
                obj([
                    ("type", strs(["integer", "null"])),
                    ("minimum", J::Num(0)),
                    ("maximum", max),
                ])
                .described(
                    "A count: an integer from 0 to 2^53 - 1, so that JavaScript holds it exactly (null reads as absent).",
                )
            }),
            Kind::Enum(e) => {
                let r = self.enumeration(e, false);
                if required { r.with("type", s("string")) } else { r }
            }
            Kind::EnumId(e) => self.enumeration(e, true),
            Kind::OpenObject => self.add("open_object", |_| {
                obj([("type", strs(["object", "null"]))])
                    .described("An object kept whole, never checked (null reads as absent).")
            }),
            Kind::Array => obj([("type", strs(["array", "null"]))]),
            Kind::Object(o) => {
                let r = self.object(o, !required);
                if required { r.with("type", s("object")) } else { r }
            }
            Kind::Data => obj([("type", s("object"))]),
            Kind::Status => self.add("payment_status", |_| {
                obj([("type", strs(["string", "null"]))]).described(
                    "The status of the charge or payment intent; any string is accepted and kept. Null reads as absent.",
                )
            }),
            Kind::WebhookId => self.add("webhook_id", |_| {
                obj([
                    ("type", s("string")),
                    (
                        "anyOf",
                        J::Arr(vec![
                            obj([("title", s("32 hex digits")), ("pattern", s("^[0-9A-Fa-f]{32}$"))]),
                            obj([
                                ("title", s("dashed UUID")),
                                (
                                    "pattern",
                                    s("^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$"),
                                ),
                            ]),
                        ]),
                    ),
                ])
                .described("32 hex digits or a dashed UUID (both documented).")
            }),
            Kind::ExternalId => self.add("external_id", |_| {
                obj([("type", strs(["string", "null"]))]).described("A string, or null.")
            }),
        }
    }

    /// An enumeration: any string (a non-empty one for an identifier), its documented
    /// values as `examples`. Values outside the list are accepted, as payhook accepts them.
    fn enumeration(&mut self, e: &Enum, id: bool) -> J {
        self.add(&snake(e.name), |_| {
            let values = strs(e.values.iter().map(|v| v.text));
            let (schema, tail) = if id {
                (
                    obj([("type", s("string")), ("minLength", J::Num(1))]),
                    "Any other non-empty string is accepted and kept.",
                )
            } else {
                (
                    obj([("type", strs(["string", "null"]))]),
                    "Any other string is accepted and kept. Null reads as absent.",
                )
            };
            schema
                .with("examples", values)
                .described(&format!("{} {tail}", prose(e.docs)))
        })
    }

    /// An object's members, as its reader checks them. `nullable`: `null` reads as absent.
    fn object(&mut self, o: &Object, nullable: bool) -> J {
        let name = snake(o.name);
        let def = self.add(&name, |defs| object_body(defs, o, o.fields));
        // Where the object is optional, `null` reads as absent: the definition lets it
        // through, and each required use adds `"type": "object"` beside its reference.
        if nullable && let Some((_, slot)) = self.0.iter_mut().find(|(n, _)| *n == name) {
            set_nullable(slot);
        }
        def
    }
}

fn set_nullable(def: &mut J) {
    if let J::Obj(members) = def {
        for (k, v) in members.iter_mut() {
            if k == "type" {
                *v = strs(["object", "null"]);
            }
        }
    }
}

/// `{type, required, properties}` of an object's `fields`. Members required only on some
/// event types are required by the event type's own definition (`r2_payload_def`).
fn object_body(defs: &mut Defs, o: &Object, fields: &[Field]) -> J {
    let required: Vec<&str> = fields
        .iter()
        .filter(|f| f.presence == Presence::Required)
        .map(|f| f.name)
        .collect();
    let mut properties = Vec::new();
    for f in fields {
        let schema = defs.kind(&f.kind, f.presence == Presence::Required);
        properties.push((f.name.to_owned(), schema.described(&prose(f.docs))));
    }
    let kept = match o.rest {
        Rest::Checked => {
            "Members outside the model are accepted (payhook keeps them, or flags them in strict mode)."
        }
        Rest::Kept => "Members outside the model are accepted and kept.",
    };
    let mut body = obj([("type", s("object"))])
        .described(&format!("{} {kept}", prose(o.docs)).replace("  ", " "));
    if !required.is_empty() {
        body = body.with("required", strs(required));
    }
    if !properties.is_empty() {
        body = body.with("properties", J::Obj(properties));
    }
    body
}

/// A pattern for the digit strings `0..=max`, leading zeros allowed.
fn digits_at_most(max: u64) -> String {
    let m = max.to_string();
    let n = m.len();
    let mut alternatives = vec![format!("[0-9]{{1,{}}}", n - 1)];
    for (i, c) in m.char_indices() {
        let d = c.to_digit(10).unwrap_or(0);
        if d == 0 {
            continue;
        }
        let prefix = &m[..i];
        let rest = n - i - 1;
        let digit = if d == 1 {
            "0".to_owned()
        } else {
            format!("[0-{}]", d - 1)
        };
        let tail = match rest {
            0 => String::new(),
            1 => "[0-9]".to_owned(),
            r => format!("[0-9]{{{r}}}"),
        };
        alternatives.push(format!("{prefix}{digit}{tail}"));
    }
    alternatives.push(m.clone());
    format!("^0*(?:{})$", alternatives.join("|"))
}

const RESERVED: &str = "the name of a member payhook adds to a parsed value. A body that has one loses it (lenient) or is refused (strict mode).";

/// The members every body of a provider has (required in all its shapes).
fn common_required<'a>(shapes: &[&'a Object]) -> Vec<&'a Field> {
    let Some(first) = shapes.first() else {
        return Vec::new();
    };
    first
        .fields
        .iter()
        .filter(|f| f.presence == Presence::Required)
        .filter(|f| {
            shapes.iter().all(|o| {
                o.fields
                    .iter()
                    .any(|g| g.name == f.name && g.presence == Presence::Required)
            })
        })
        .collect()
}

fn schema_root(file: &str, title: &str, description: String) -> Vec<(String, J)> {
    vec![
        (
            "$schema".into(),
            s("https://json-schema.org/draft/2020-12/schema"),
        ),
        (
            "$id".into(),
            J::Str(format!("https://payhook.dev/schemas/{file}")),
        ),
        ("title".into(), s(title)),
        ("description".into(), J::Str(description)),
        ("type".into(), s("object")),
    ]
}

fn r2_schema() -> J {
    let mut defs = Defs(Vec::new());
    let events: &[R2EventType] = R2Event::EVENTS;
    let payloads = distinct_payloads(events);
    let core = common_required(&payloads);
    let mut root = schema_root(
        "r2-event.schema.json",
        "R2 event (callback payload)",
        format!(
            "An R2 callback body as R2 sends it, generated from payhook's models (src/providers/r2.rs). Mirrors payhook's lenient validator (parseR2Event / validateR2Event): the documented event types are checked against their object, an unknown event_type is accepted with only {} checked, members outside the model are allowed everywhere, and null reads as absent for optional members. What JSON Schema cannot see (duplicate keys, a BOM, the size and depth limits) is checked by payhook only.",
            core.iter()
                .map(|f| format!("`{}`", f.name))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    );
    root.push(("required".into(), strs(core.iter().map(|f| f.name))));
    let mut properties: Vec<(String, J)> = core
        .iter()
        .map(|f| {
            (
                f.name.to_owned(),
                defs.kind(&f.kind, true).described(&prose(f.docs)),
            )
        })
        .collect();
    for added in ["event_type", "seen"] {
        properties.push((
            added.into(),
            obj([]).described(&format!("Not sent by R2: {RESERVED}")),
        ));
    }
    root.push(("properties".into(), J::Obj(properties)));
    let known = strs(events.iter().map(|e| e.event_type));
    let is_type = |t: J| {
        obj([
            ("type", s("object")),
            ("required", strs(["event_type"])),
            ("properties", obj([("event_type", t)])),
        ])
    };
    root.push((
        "if".into(),
        obj([
            ("type", s("object")),
            ("required", strs(["event"])),
            (
                "properties",
                obj([("event", is_type(obj([("enum", known)])))]),
            ),
        ]),
    ));
    // Members every documented payload may have besides the envelope and its object.
    let shared: Vec<&Field> = payloads[0]
        .fields
        .iter()
        .filter(|f| f.presence != Presence::Required)
        .collect();
    let mut shared_properties = Vec::new();
    for f in &shared {
        shared_properties.push((
            f.name.to_owned(),
            defs.kind(&f.kind, false).described(&prose(f.docs)),
        ));
    }
    let mut routes = Vec::new();
    for e in events {
        let def = r2_payload_def(&mut defs, e);
        let cond = obj([
            ("required", strs(["event"])),
            (
                "properties",
                obj([("event", is_type(obj([("const", s(e.event_type))])))]),
            ),
        ]);
        routes.push(
            obj([("if", cond), ("then", reference(&def))]).described(&format!(
                "{}: {}",
                e.event_type,
                prose(e.docs)
            )),
        );
    }
    root.push((
        "then".into(),
        obj([
            ("properties", J::Obj(shared_properties)),
            ("allOf", J::Arr(routes)),
        ])
        .described("A documented event type: the object it carries."),
    ));
    root.push(("else".into(), reference("unknown_event")));
    // The documented types, for the reader: any other is accepted too.
    if let Some((_, envelope)) = defs.0.iter_mut().find(|(n, _)| n == "envelope")
        && let Some(event_type) = envelope.at_mut(&["properties", "event_type"])
    {
        let taken = std::mem::replace(event_type, obj([]));
        *event_type = taken.with("examples", strs(events.iter().map(|e| e.event_type)));
    }
    defs.0.push((
        "unknown_event".into(),
        obj([("type", s("object"))]).described(
            "An event type this schema does not list. New types keep appearing: only the envelope is checked, every other member is accepted as sent (payhook parses it as the unknown variant, or refuses it with `unknown_event_type` in strict mode).",
        ),
    ));
    root.push(("$defs".into(), J::Obj(defs.0)));
    J::Obj(root)
}

fn distinct_payloads(events: &[R2EventType]) -> Vec<&'static Object> {
    let mut out: Vec<&'static Object> = Vec::new();
    for e in events {
        if !out.iter().any(|o| o.name == e.payload.name) {
            out.push(e.payload);
        }
    }
    out
}

/// The object an event carries, its members' conditional requiredness resolved.
fn r2_object(e: &R2EventType) -> (&'static Object, BTreeSet<&'static str>) {
    let object = e
        .payload
        .fields
        .iter()
        .find(|f| f.name == e.key)
        .and_then(|f| match f.kind {
            Kind::Object(o) => Some(o),
            _ => None,
        })
        .unwrap_or(e.payload);
    let conditional = object
        .fields
        .iter()
        .filter(|f| {
            matches!(
                f.presence,
                Presence::RequiredUnless(_) | Presence::RequiredOn(_)
            )
        })
        .filter(|f| f.presence.required_on(e.event_type))
        .map(|f| f.name)
        .collect();
    (object, conditional)
}

/// The name of an object with these conditional members required (`CreatedCollection`).
fn variant_name(object: &Object, required: &BTreeSet<&str>) -> (String, String) {
    if required.is_empty() {
        return (object.name.to_owned(), String::new());
    }
    for (o, members, name, doc) in NAMED_VARIANTS {
        if *o == object.name && members.iter().copied().collect::<BTreeSet<_>>() == *required {
            return ((*name).to_owned(), (*doc).to_owned());
        }
    }
    eprintln!(
        "gen-shapes: {} with {required:?} required has no TypeScript name: add it to NAMED_VARIANTS",
        object.name
    );
    std::process::exit(1);
}

/// The `$defs` entry of an event type's payload: the envelope's object, required.
fn r2_payload_def(defs: &mut Defs, e: &R2EventType) -> String {
    let (object, conditional) = r2_object(e);
    let (variant, _) = variant_name(object, &conditional);
    let name = if conditional.is_empty() {
        snake(e.payload.name)
    } else {
        format!("{}_event", snake(&variant))
    };
    if defs.has(&name) {
        return name;
    }
    let mut inner = defs.object(object, false).with("type", s("object"));
    if !conditional.is_empty() {
        let mut properties = Vec::new();
        for f in object
            .fields
            .iter()
            .filter(|f| conditional.contains(f.name))
        {
            properties.push((f.name.to_owned(), defs.kind(&f.kind, true)));
        }
        inner = inner
            .with("required", strs(conditional.iter().copied()))
            .with("properties", J::Obj(properties));
    }
    let description = if conditional.is_empty() {
        format!("{} Its `{}` is required.", prose(e.payload.docs), e.key)
    } else {
        format!(
            "`{}` with {} required.",
            e.key,
            conditional
                .iter()
                .map(|c| format!("`{}.{c}`", e.key))
                .collect::<Vec<_>>()
                .join(" and ")
        )
    };
    let def = obj([
        ("type", s("object")),
        ("required", strs([e.key])),
        ("properties", J::Obj(vec![(e.key.to_owned(), inner)])),
    ])
    .described(&description);
    defs.0.push((name.clone(), def));
    name
}

fn belvo_schema() -> J {
    let mut defs = Defs(Vec::new());
    let routes = BelvoWebhook::routes();
    let payment = PaymentWebhook::<String>::SHAPE;
    let aggregation = AggregationWebhook::<OpenData>::SHAPE;
    let unknown = UnknownWebhook::SHAPE;
    let core = common_required(&[&payment, &aggregation, &unknown]);
    let core_names: Vec<&str> = core.iter().map(|f| f.name).collect();
    let payment_codes = BelvoWebhook::payment_codes();
    let mut root = schema_root(
        "belvo-webhook.schema.json",
        "Belvo webhook (payment, aggregation and enrichment)",
        format!(
            "A Belvo webhook body as Belvo sends it, generated from payhook's models (src/providers/belvo.rs). Mirrors payhook's lenient validator (parseBelvoWebhook / validateBelvoWebhook): an aggregation webhook_code picks its data whatever the type; {} with a payment type picks the payment shape whatever the pair; anything else is accepted with only the core ({}) checked. Members outside the model are allowed everywhere, and null reads as absent for optional members. What JSON Schema cannot see (duplicate keys, a BOM, the size and depth limits) is checked by payhook only.",
            payment_codes.join(" or "),
            core_names.join(", ")
        ),
    );
    root.push(("required".into(), strs(core_names.iter().copied())));
    let mut properties: Vec<(String, J)> = core
        .iter()
        .map(|f| {
            (
                f.name.to_owned(),
                defs.kind(&f.kind, true).described(&prose(f.docs)),
            )
        })
        .collect();
    properties.push((
        "seen".into(),
        obj([]).described(&format!("Not sent by Belvo: {RESERVED}")),
    ));
    root.push(("properties".into(), J::Obj(properties)));

    let mut payment_types = Vec::new();
    let mut aggregation_codes = Vec::new();
    for r in &routes {
        match &r.kind {
            BelvoRouteKind::Payment { webhook_type, .. } => payment_types.push(*webhook_type),
            BelvoRouteKind::Aggregation { webhook_code, .. } => {
                aggregation_codes.push(*webhook_code)
            }
        }
    }
    root.push((
        "if".into(),
        obj([
            ("type", s("object")),
            ("required", strs(["webhook_type", "webhook_code"])),
            (
                "anyOf",
                J::Arr(vec![
                    obj([
                        ("required", strs(["webhook_code"])),
                        (
                            "properties",
                            obj([(
                                "webhook_code",
                                obj([("enum", strs(aggregation_codes.iter().copied()))]),
                            )]),
                        ),
                    ]),
                    obj([
                        ("required", strs(["webhook_type", "webhook_code"])),
                        (
                            "properties",
                            obj([
                                (
                                    "webhook_type",
                                    obj([("enum", strs(payment_types.iter().copied()))]),
                                ),
                                (
                                    "webhook_code",
                                    obj([("enum", strs(payment_codes.iter().copied()))]),
                                ),
                            ]),
                        ),
                    ]),
                ]),
            ),
        ]),
    ));
    let payment_def = belvo_webhook_def(&mut defs, &payment, &core_names, Some(&routes));
    let aggregation_def = belvo_webhook_def(&mut defs, &aggregation, &core_names, None);
    let mut branches = Vec::new();
    for r in &routes {
        let (cond, then, label) = match &r.kind {
            BelvoRouteKind::Payment {
                webhook_type,
                status,
                ..
            } => {
                let cond = obj([
                    ("required", strs(["webhook_type", "webhook_code"])),
                    (
                        "properties",
                        obj([
                            ("webhook_type", obj([("const", s(webhook_type))])),
                            (
                                "webhook_code",
                                obj([("enum", strs(payment_codes.iter().copied()))]),
                            ),
                        ]),
                    ),
                ]);
                let then = match status {
                    None => reference(&payment_def),
                    Some(e) => {
                        let status = defs.enumeration(e, false);
                        reference(&payment_def).with("type", s("object")).with(
                            "properties",
                            obj([(
                                "data",
                                obj([
                                    ("type", s("object")),
                                    ("properties", obj([("status", status)])),
                                ]),
                            )]),
                        )
                    }
                };
                (
                    cond,
                    then,
                    format!("{webhook_type} / {}", payment_codes.join(" or ")),
                )
            }
            BelvoRouteKind::Aggregation {
                webhook_code, data, ..
            } => {
                let cond = obj([
                    ("required", strs(["webhook_code"])),
                    (
                        "properties",
                        obj([("webhook_code", obj([("const", s(webhook_code))]))]),
                    ),
                ]);
                let data = defs.object(data, false);
                let then = reference(&aggregation_def)
                    .with("type", s("object"))
                    .with("properties", obj([("data", data)]));
                (cond, then, (*webhook_code).to_owned())
            }
        };
        branches.push(
            obj([("if", cond), ("then", then)]).described(&format!("{label}: {}", prose(r.docs))),
        );
    }
    root.push((
        "then".into(),
        obj([("allOf", J::Arr(branches))])
            .described("A documented webhook: routed by code (aggregation) or by type (payments)."),
    ));
    root.push(("else".into(), reference("unknown_webhook")));
    defs.0.push((
        "unknown_webhook".into(),
        obj([("type", s("object"))]).described(&format!(
            "{} Only the core is checked (payhook parses it as the unknown variant, or refuses it with `unknown_event_type` in strict mode).",
            prose(unknown.docs)
        )),
    ));
    root.push(("$defs".into(), J::Obj(defs.0)));
    J::Obj(root)
}

/// A payment or aggregation webhook's members beyond the core. `routes`: the payment data
/// (any other `data` is the route's).
fn belvo_webhook_def(
    defs: &mut Defs,
    o: &Object,
    core: &[&str],
    routes: Option<&[BelvoRoute]>,
) -> String {
    let fields: Vec<Field> = o
        .fields
        .iter()
        .filter(|f| !core.contains(&f.name))
        .copied()
        .collect();
    let name = snake(o.name);
    let mut body = object_body(defs, o, &fields);
    if let Some(data) = routes.and_then(|r| {
        r.iter().find_map(|r| match &r.kind {
            BelvoRouteKind::Payment { data, .. } => Some(*data),
            BelvoRouteKind::Aggregation { .. } => None,
        })
    }) {
        let mut data_ref = Some(defs.object(data, false));
        if let J::Obj(members) = &mut body {
            let properties = members.iter_mut().find(|(k, _)| k == "properties");
            if let Some((_, J::Obj(props))) = properties
                && let Some((_, pv)) = props.iter_mut().find(|(k, _)| k == "data")
                && let Some(r) = data_ref.take()
            {
                *pv = std::mem::replace(pv, obj([])).with_ref(r);
            }
        }
    }
    defs.0.push((name.clone(), body));
    name
}

impl J {
    /// The member at `path` (objects only).
    fn at_mut(&mut self, path: &[&str]) -> Option<&mut J> {
        let Some((first, rest)) = path.split_first() else {
            return Some(self);
        };
        match self {
            J::Obj(members) => members
                .iter_mut()
                .find(|(k, _)| k == first)
                .and_then(|(_, v)| v.at_mut(rest)),
            _ => None,
        }
    }

    /// Replaces a `{"type": "object"}` member schema by a reference, keeping its description.
    fn with_ref(self, r: J) -> J {
        match (self, r) {
            (J::Obj(members), J::Obj(reference)) => {
                let mut out: Vec<(String, J)> = members
                    .into_iter()
                    .filter(|(k, _)| k == "description")
                    .collect();
                out.extend(reference);
                J::Obj(out)
            }
            (_, r) => r,
        }
    }
}

// --- TypeScript -------------------------------------------------------------------------------

/// The TypeScript type of a member of `kind`.
fn ts_kind(kind: &Kind) -> String {
    match kind {
        Kind::Id | Kind::String | Kind::WebhookId | Kind::ExternalId => "string".into(),
        Kind::FailureCode => "FailureCode".into(),
        Kind::Amount => "Amount".into(),
        Kind::UnixTime => "UnixSeconds".into(),
        Kind::Count => "number".into(),
        Kind::Enum(e) | Kind::EnumId(e) => e.name.into(),
        Kind::OpenObject => "JsonObject".into(),
        Kind::Array => "unknown[]".into(),
        Kind::Object(o) => ts_object_name(o),
        Kind::Data => "D".into(),
        Kind::Status => "S".into(),
    }
}

/// Belvo's `data` objects are `…Data` in TypeScript.
fn ts_object_name(o: &Object) -> String {
    let belvo_data = BelvoWebhook::routes().iter().any(|r| match &r.kind {
        BelvoRouteKind::Aggregation { data, .. } => data.name == o.name,
        BelvoRouteKind::Payment { .. } => false,
    });
    if belvo_data && !o.name.ends_with("Data") {
        format!("{}Data", o.name)
    } else {
        o.name.to_owned()
    }
}

/// An interface's members. `overrides` gives some members another type (a type parameter,
/// a narrower union) and, when not empty, a doc comment saying what that type means.
fn ts_members(out: &mut String, fields: &[Field], overrides: &[(&str, &str, &str)]) {
    for f in fields {
        let over = overrides.iter().find(|(n, _, _)| *n == f.name);
        match over {
            Some((_, _, doc)) if !doc.is_empty() => out.push_str(&tsdoc(&[doc], "  ")),
            _ => out.push_str(&tsdoc(f.docs, "  ")),
        }
        let ty = over
            .map(|(_, t, _)| (*t).to_owned())
            .unwrap_or_else(|| ts_kind(&f.kind));
        let optional = if f.optional_in_value { "?" } else { "" };
        let _ = writeln!(out, "  {}{optional}: {ty};", f.name);
    }
}

fn ts_rest(out: &mut String, rest_docs: &[&str]) {
    out.push_str(&tsdoc(rest_docs, "  "));
    out.push_str("  [key: string]: unknown;\n");
}

fn ts_interface(
    out: &mut String,
    o: &Object,
    name: &str,
    fields: &[Field],
    overrides: &[(&str, &str, &str)],
) {
    out.push_str(&tsdoc(o.docs, ""));
    let _ = writeln!(out, "export interface {name} {{");
    ts_members(out, fields, overrides);
    ts_rest(out, o.rest_docs);
    out.push_str("}\n\n");
}

fn ts_enum(out: &mut String, e: &Enum, done: &mut Vec<&'static str>) {
    if done.contains(&e.name) {
        return;
    }
    done.push(e.name);
    out.push_str(&tsdoc(e.docs, ""));
    let mut items: Vec<String> = e.values.iter().map(|v| quote(v.text)).collect();
    items.push("(string & {})".into());
    out.push_str(&union_decl(&format!("export type {}", e.name), &items));
}

/// Every enumeration an object's members use, recursively.
fn enums_of(o: &Object, into: &mut Vec<&'static Enum>) {
    for f in o.fields {
        match f.kind {
            Kind::Enum(e) if !into.iter().any(|x| x.name == e.name) => into.push(e),
            Kind::Object(inner) => enums_of(inner, into),
            _ => {}
        }
    }
}

fn typescript(root: &Path) -> String {
    let read = |name: &str| {
        let path = root.join("tools/gen-shapes/templates").join(name);
        std::fs::read_to_string(&path).unwrap_or_else(|e| {
            eprintln!("gen-shapes: {}: {e}", path.display());
            std::process::exit(1);
        })
    };
    let mut out = read("payloads-head.d.ts.in");
    out.push('\n');
    ts_seen(&mut out);
    out.push_str(&section("R2"));
    ts_r2(&mut out);
    out.push_str(&section("Belvo"));
    ts_belvo(&mut out);
    out.push_str(&read("payloads-tail.d.ts.in"));
    out
}

fn section(name: &str) -> String {
    format!("// {}\n// {name}\n\n", "-".repeat(93))
}

fn ts_seen(out: &mut String) {
    let e = Seen::SHAPE;
    out.push_str(&tsdoc(e.docs, ""));
    let _ = writeln!(out, "export type {} =", e.name);
    for v in e.values {
        out.push_str(&tsdoc(v.docs, "  "));
        let _ = writeln!(out, "  | {}", quote(v.text));
    }
    out.pop();
    out.push_str(";\n\n");
}

fn ts_r2(out: &mut String) {
    let events = R2Event::EVENTS;
    let payloads = distinct_payloads(events);
    // Enumerations.
    let mut enums = Vec::new();
    for p in &payloads {
        enums_of(p, &mut enums);
    }
    let mut done = Vec::new();
    for e in &enums {
        ts_enum(out, e, &mut done);
    }
    out.push('\n');
    // Event types, grouped by payload.
    let mut known_parts = Vec::new();
    for p in &payloads {
        let types: Vec<String> = events
            .iter()
            .filter(|e| e.payload.name == p.name)
            .map(|e| quote(e.event_type))
            .collect();
        if types.len() > 1 {
            let key = events
                .iter()
                .find(|e| e.payload.name == p.name)
                .map(|e| e.key)
                .unwrap_or_default();
            let _ = writeln!(out, "/** The event types that carry a `{key}` object. */");
            out.push_str(&union_decl(&format!("export type {}Type", p.name), &types));
            out.push('\n');
            known_parts.push(format!("{}Type", p.name));
        } else {
            known_parts.extend(types);
        }
    }
    out.push_str("/** Every documented R2 `event_type`. */\n");
    out.push_str(&union_decl("export type KnownR2EventType", &known_parts));
    out.push_str(
        "\n/** An `event_type` outside `KnownR2EventType` (opaque: see the top of this file). */\n",
    );
    out.push_str("export type UnknownR2EventType = Undocumented.R2EventType;\n\n");

    // Objects: the envelope (generic in its type), then each payload's object.
    let envelope = Envelope::SHAPE;
    for f in envelope.fields {
        if let Kind::Object(o) = f.kind {
            ts_interface(out, o, o.name, o.fields, &[]);
        }
    }
    out.push_str(&tsdoc(envelope.docs, ""));
    out.push_str(
        "export interface Envelope<T extends string = KnownR2EventType | UnknownR2EventType> {\n",
    );
    ts_members(out, envelope.fields, &[("event_type", "T", "")]);
    ts_rest(out, envelope.rest_docs);
    out.push_str("}\n\n");
    let mut variants_done: Vec<String> = Vec::new();
    for e in events {
        let (object, conditional) = r2_object(e);
        if !variants_done.iter().any(|n| n == object.name) {
            variants_done.push(object.name.to_owned());
            ts_interface(out, object, object.name, object.fields, &[]);
        }
        let (name, doc) = variant_name(object, &conditional);
        if conditional.is_empty() || variants_done.contains(&name) {
            continue;
        }
        // Extends the largest named variant whose members it includes.
        let mut base = (object.name.to_owned(), BTreeSet::new());
        for (o, members, n, _) in NAMED_VARIANTS {
            let set: BTreeSet<&str> = members.iter().copied().collect();
            if *o == object.name
                && set.is_subset(&conditional)
                && set != conditional
                && set.len() >= base.1.len()
            {
                base = ((*n).to_owned(), set);
            }
        }
        out.push_str(&tsdoc(&[doc.as_str()], ""));
        let _ = writeln!(out, "export interface {name} extends {} {{", base.0);
        for f in object
            .fields
            .iter()
            .filter(|f| conditional.contains(f.name) && !base.1.contains(f.name))
        {
            let _ = writeln!(out, "  {}: {};", f.name, ts_kind(&f.kind));
        }
        out.push_str("}\n\n");
        variants_done.push(name);
    }
    // The other objects a payload may carry (`payment`).
    for f in payloads[0].fields {
        if let Kind::Object(o) = f.kind
            && o.name != Envelope::SHAPE.name
            && !variants_done.iter().any(|n| n == o.name)
        {
            ts_interface(out, o, o.name, o.fields, &[]);
        }
    }

    // What every known event has, then each payload.
    let first = payloads[0];
    let key_of = |p: &Object| {
        events
            .iter()
            .find(|e| e.payload.name == p.name)
            .map(|e| e.key)
            .unwrap_or_default()
    };
    let shared: Vec<Field> = first
        .fields
        .iter()
        .filter(|f| f.name != key_of(first))
        .copied()
        .collect();
    out.push_str("/** What every known R2 event has. `event_type` is payhook's copy of `event.event_type`. */\n");
    out.push_str("export interface R2EventBase<T extends KnownR2EventType> {\n  event_type: T;\n");
    ts_members(out, &shared, &[("event", "Envelope<T>", "")]);
    out.push_str("  /** Which documented variants this payload used. */\n  seen: Seen[];\n");
    ts_rest(out, first.rest_docs);
    out.push_str("}\n\n");
    for p in &payloads {
        let key = key_of(p);
        let mine: Vec<&R2EventType> = events.iter().filter(|e| e.payload.name == p.name).collect();
        let Some(field) = p.fields.iter().find(|f| f.name == key) else {
            continue;
        };
        let object = ts_kind(&field.kind);
        let conditional = mine.iter().any(|e| !r2_object(e).1.is_empty());
        out.push_str(&tsdoc(p.docs, ""));
        if mine.len() == 1 {
            let _ = writeln!(
                out,
                "export interface {} extends R2EventBase<{}> {{",
                p.name,
                quote(mine[0].event_type)
            );
            let _ = writeln!(out, "  {key}: {object};");
        } else if conditional {
            let _ = writeln!(out, "export interface {}<", p.name);
            let _ = writeln!(out, "  T extends {0}Type = {0}Type,", p.name);
            let _ = writeln!(out, "  C extends {object} = {object},");
            let _ = writeln!(out, "> extends R2EventBase<T> {{\n  {key}: C;");
        } else {
            let _ = writeln!(
                out,
                "export interface {0}<T extends {0}Type = {0}Type> extends R2EventBase<T> {{\n  {key}: {object};",
                p.name
            );
        }
        out.push_str("}\n\n");
    }
    for e in events {
        out.push_str(&tsdoc(e.docs, ""));
        let single = events
            .iter()
            .filter(|x| x.payload.name == e.payload.name)
            .count()
            == 1;
        let (object, conditional) = r2_object(e);
        let conditional_payload = events
            .iter()
            .any(|x| x.payload.name == e.payload.name && !r2_object(x).1.is_empty());
        let ty = if single {
            e.payload.name.to_owned()
        } else if conditional_payload {
            format!(
                "{}<{}, {}>",
                e.payload.name,
                quote(e.event_type),
                variant_name(object, &conditional).0
            )
        } else {
            format!("{}<{}>", e.payload.name, quote(e.event_type))
        };
        let _ = writeln!(out, "export type {} = {ty};", e.variant);
    }
    out.push_str(
        "
/**
 * An event type payhook does not know (lenient mode only): the envelope, and every other
 * top-level member as sent.
 */
export interface UnknownR2Event {
  /** The type as sent: any string outside `KnownR2EventType`. */
  event_type: UnknownR2EventType;
  event: Envelope<UnknownR2EventType>;
  /** Which documented variants this payload used. */
  seen: Seen[];
  /** Every other top-level member, as sent. */
  [key: string]: unknown;
}

/** An R2 event of a documented type. */
",
    );
    out.push_str(&union_decl(
        "export type KnownR2Event",
        &events
            .iter()
            .map(|e| e.variant.to_owned())
            .collect::<Vec<_>>(),
    ));
    out.push_str(
        "
/** A parsed R2 event: discriminated by `event_type` (see the top of this file). */
export type R2Event = KnownR2Event | UnknownR2Event;

/** The member of one documented type: `R2EventOf<'financing_paid'>`. */
export type R2EventOf<T extends KnownR2EventType> = Extract<KnownR2Event, { event_type: T }>;

",
    );
}

fn ts_belvo(out: &mut String) {
    let routes = BelvoWebhook::routes();
    let payment = PaymentWebhook::<String>::SHAPE;
    let aggregation = AggregationWebhook::<OpenData>::SHAPE;
    let mut payment_types = Vec::new();
    let mut aggregation_codes = Vec::new();
    let mut statuses: Vec<&'static Enum> = Vec::new();
    let mut data_objects: Vec<&'static Object> = Vec::new();
    let mut payment_data = None;
    for r in &routes {
        match &r.kind {
            BelvoRouteKind::Payment {
                webhook_type,
                status,
                data,
                ..
            } => {
                payment_types.push(quote(webhook_type));
                payment_data = Some(*data);
                if let Some(e) = status
                    && !statuses.iter().any(|s| s.name == e.name)
                {
                    statuses.push(e);
                }
            }
            BelvoRouteKind::Aggregation {
                webhook_code, data, ..
            } => {
                aggregation_codes.push(quote(webhook_code));
                if !data_objects.iter().any(|d| d.name == data.name) {
                    data_objects.push(data);
                }
            }
        }
    }
    let other_types: Vec<String> = WebhookType::SHAPE
        .values
        .iter()
        .map(|v| quote(v.text))
        .filter(|t| !payment_types.contains(t))
        .collect();
    let payment_codes: Vec<String> = BelvoWebhook::payment_codes()
        .into_iter()
        .map(quote)
        .collect();
    let all_codes: BTreeSet<String> = WebhookCode::SHAPE
        .values
        .iter()
        .map(|v| quote(v.text))
        .collect();
    let routed: BTreeSet<String> = payment_codes
        .iter()
        .chain(&aggregation_codes)
        .cloned()
        .collect();
    if all_codes != routed {
        eprintln!("gen-shapes: WebhookCode {all_codes:?} is not the routed codes {routed:?}");
        std::process::exit(1);
    }

    out.push_str("/** The `webhook_type`s of payment webhooks (with code `OBJECT_CREATED` or `STATUS_UPDATE`). */\n");
    out.push_str(&union_decl(
        "export type PaymentWebhookType",
        &payment_types,
    ));
    out.push_str("\n/** Every documented `webhook_type` (`TRANSACTIONS` is both payments and aggregation). */\n");
    let mut known_types = vec!["PaymentWebhookType".to_owned()];
    known_types.extend(other_types);
    out.push_str(&union_decl(
        "export type KnownBelvoWebhookType",
        &known_types,
    ));
    out.push_str(
        "
/** A documented `webhook_type` or any other string. */
export type BelvoWebhookType = KnownBelvoWebhookType | (string & {});

/** A `webhook_type` outside `KnownBelvoWebhookType` (opaque: see the top of this file). */
export type UnknownBelvoWebhookType = Undocumented.BelvoWebhookType;

/** The payment codes (upper case). */
",
    );
    out.push_str(&union_decl(
        "export type PaymentWebhookCode",
        &payment_codes,
    ));
    out.push_str(
        "\n/** The aggregation and enrichment codes (lower case): each is its own member. */\n",
    );
    out.push_str(&union_decl(
        "export type AggregationWebhookCode",
        &aggregation_codes,
    ));
    out.push_str(
        "
/** Every documented `webhook_code`. */
export type KnownBelvoWebhookCode = PaymentWebhookCode | AggregationWebhookCode;

/** A `webhook_code` outside `KnownBelvoWebhookCode` (opaque: see the top of this file). */
export type UnknownBelvoWebhookCode = Undocumented.BelvoWebhookCode;

",
    );
    let mut enums = statuses.clone();
    enums_of(&payment, &mut enums);
    enums_of(&aggregation, &mut enums);
    let mut done = Vec::new();
    for e in &enums {
        ts_enum(out, e, &mut done);
        out.push('\n');
    }
    out.push_str(
        "/**
 * A `failure_code`, kept as sent: Belvo writes some upper case (`INSUFFICIENT_FUNDS`) and
 * some lower (`consent_expired`), so compare case-insensitively.
 */
export type FailureCode = string;

",
    );
    if let Some(data) = payment_data {
        out.push_str(&tsdoc(data.docs, ""));
        out.push_str("export interface PaymentData<S extends string = string> {\n");
        ts_members(out, data.fields, &[]);
        ts_rest(out, data.rest_docs);
        out.push_str("}\n\n");
    }
    // The members every webhook has, but the discriminants.
    let discriminants = ["webhook_type", "webhook_code"];
    // (The unknown webhook keeps every other member as sent: `external_id: null` stays.)
    let unknown = UnknownWebhook::SHAPE;
    let shared: Vec<Field> = payment
        .fields
        .iter()
        .filter(|f| !discriminants.contains(&f.name))
        .filter(|f| {
            [&aggregation, &unknown].iter().all(|o| {
                o.fields
                    .iter()
                    .any(|g| g.name == f.name && ts_kind(&g.kind) == ts_kind(&f.kind))
            })
        })
        .copied()
        .collect();
    let own = |o: &Object| -> Vec<Field> {
        o.fields
            .iter()
            .filter(|f| !shared.iter().any(|s| s.name == f.name))
            .copied()
            .collect()
    };
    out.push_str("/** What every Belvo webhook has. */\nexport interface BelvoWebhookBase {\n");
    ts_members(out, &shared, &[]);
    out.push_str("  /** Which documented variants this payload used. */\n  seen: Seen[];\n");
    ts_rest(out, payment.rest_docs);
    out.push_str("}\n\n");
    let payment_fields = own(&payment);
    out.push_str(&tsdoc(payment.docs, ""));
    out.push_str("export interface PaymentWebhook<T extends PaymentWebhookType = PaymentWebhookType, S extends string = string>\n  extends BelvoWebhookBase {\n");
    ts_members(
        out,
        &payment_fields,
        &[
            ("webhook_type", "T", ""),
            (
                "webhook_code",
                "PaymentWebhookCode",
                "The documented code of the type, or the other payment code (`undocumented_pair`).",
            ),
            ("data", "PaymentData<S>", ""),
        ],
    );
    out.push_str("}\n\n");
    let aggregation_fields = own(&aggregation);
    out.push_str(&tsdoc(aggregation.docs, ""));
    out.push_str("export interface AggregationWebhook<C extends AggregationWebhookCode = AggregationWebhookCode, D = unknown>\n  extends BelvoWebhookBase {\n");
    ts_members(
        out,
        &aggregation_fields,
        &[
            (
                "webhook_type",
                "BelvoWebhookType",
                "Any type: the code decides the member (`undocumented_pair` when not the documented one).",
            ),
            ("webhook_code", "C", ""),
        ],
    );
    out.push_str("}\n\n");
    for d in &data_objects {
        let name = ts_object_name(d);
        if d.fields.is_empty() {
            out.push_str(&tsdoc(d.docs, ""));
            let _ = writeln!(out, "export type {name} = JsonObject;\n");
        } else {
            ts_interface(out, d, &name, d.fields, &[]);
        }
    }
    let mut members = Vec::new();
    for r in &routes {
        out.push_str(&tsdoc(r.docs, ""));
        let ty = match &r.kind {
            BelvoRouteKind::Payment {
                webhook_type,
                status,
                ..
            } => match status {
                Some(e) => format!("PaymentWebhook<{}, {}>", quote(webhook_type), e.name),
                None => format!("PaymentWebhook<{}>", quote(webhook_type)),
            },
            BelvoRouteKind::Aggregation {
                webhook_code, data, ..
            } => {
                format!(
                    "AggregationWebhook<{}, {}>",
                    quote(webhook_code),
                    ts_object_name(data)
                )
            }
        };
        let _ = writeln!(out, "export type {}Webhook = {ty};", r.variant);
        members.push(format!("{}Webhook", r.variant));
    }
    out.push_str(
        "
/** The shape of an unknown Belvo webhook: the envelope, and the rest as sent. */
export interface UnknownWebhookShape<T extends string, C extends string> extends BelvoWebhookBase {
  webhook_type: T;
  webhook_code: C;
}

/**
 * A type and code payhook does not know (lenient mode only): a payment code with a type
 * that has no payment webhooks (`ACCOUNTS`/`STATUS_UPDATE`) or an undocumented type, or an
 * undocumented code with any type. Every other top-level member is kept as sent (an
 * `external_id: null` stays `null` here).
 */
export type UnknownBelvoWebhook =
  | UnknownWebhookShape<Exclude<KnownBelvoWebhookType, PaymentWebhookType> | UnknownBelvoWebhookType, PaymentWebhookCode>
  | UnknownWebhookShape<KnownBelvoWebhookType | UnknownBelvoWebhookType, UnknownBelvoWebhookCode>;

/** A Belvo webhook of a documented type and code. */
",
    );
    out.push_str(&union_decl("export type KnownBelvoWebhook", &members));
    out.push_str(
        "
/**
 * A parsed Belvo webhook, discriminated by `webhook_code` (aggregation) and then
 * `webhook_type` (payments): see the top of this file.
 */
export type BelvoWebhook = KnownBelvoWebhook | UnknownBelvoWebhook;

",
    );
}
