//! The payload models as data: every object's members with their kinds, whether each is
//! required, every documented enumeration, and every event type with the object it carries.
//!
//! This is the one source of the payload shapes. The Rust models are declared with macros
//! that write the code and its description from one list: `shape!` (below: a struct, its
//! borrowed form, its reader and its [`Object`]), `known_enum!` (an enumeration and its [`Enum`]), `r2_events!`
//! ([`R2Event`](super::r2::R2Event), its routing and `EVENTS`) and `belvo_webhooks!`
//! ([`BelvoWebhook`](super::belvo::BelvoWebhook), its routing and `routes()`). So what is
//! described here is exactly what the parser reads. `tools/gen-shapes` turns
//! it into the JSON Schemas (`schemas/*.schema.json`) and the TypeScript types
//! (`npm/payloads.d.ts`) of the npm package; `scripts/gen-shapes.sh --check` fails when the
//! committed files differ from what it writes.

use core::iter::Peekable;
use std::borrow::Cow;

use serde_json::{Map, Value};

use super::Amount;
use super::walk::{Ctx, KnownEnum, Need, Obj};
use crate::json::{Item, KeyOrder, ToJson, Writer};

/// The largest integer a count or a time may be: 2^53 - 1, which JavaScript holds exactly.
pub const MAX_INTEGER: u64 = super::MAX_SAFE_INTEGER;

/// An object of a payload: its members, in the order the parser reads them.
#[derive(Clone, Copy, Debug)]
pub struct Object {
    /// The Rust model's name (`Financing`).
    pub name: &'static str,
    /// Its doc comment, one entry a line.
    pub docs: &'static [&'static str],
    /// The members the model reads.
    pub fields: &'static [Field],
    /// What happens to the members it does not.
    pub rest: Rest,
    /// Documentation of the members outside the model.
    pub rest_docs: &'static [&'static str],
}

/// What the parser does with members outside the model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rest {
    /// Kept in lenient mode (recorded as `unknown_fields`), each flagged in strict mode.
    Checked,
    /// Always kept, never flagged: objects whose members no document lists.
    Kept,
}

/// One member of an [`Object`].
#[derive(Clone, Copy, Debug)]
pub struct Field {
    /// The JSON name, as sent.
    pub name: &'static str,
    /// Its doc comment, one entry a line.
    pub docs: &'static [&'static str],
    /// What it holds.
    pub kind: Kind,
    /// When it must be present (a `null` counts as absent).
    pub presence: Presence,
    /// Whether the parsed value may lack it (the model's field is an `Option`).
    pub optional_in_value: bool,
}

/// What a member holds, as the parser checks it.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    /// An identifier: a non-empty string.
    Id,
    /// Any string.
    String,
    /// A money amount or a rate: any JSON number, kept as sent.
    Amount,
    /// Unix seconds: an integer or a string of ASCII digits, from 0 to 2^53 - 1.
    UnixTime,
    /// A count: an integer from 0 to 2^53 - 1.
    Count,
    /// A string, one of a documented list or any other (kept as sent).
    Enum(&'static Enum),
    /// An object kept whole, never checked.
    OpenObject,
    /// An array kept whole, never checked.
    Array,
    /// An identifier (a non-empty string), one of a documented list or any other.
    EnumId(&'static Enum),
    /// An object read member by member.
    Object(&'static Object),
    /// The `data` of a Belvo webhook: which object depends on the route ([`BelvoRoute`]).
    Data,
    /// The status of a Belvo payment webhook: which list depends on the webhook type
    /// ([`BelvoRouteKind::Payment`]).
    Status,
    /// Belvo's `failure_code`: any string, upper or lower case.
    FailureCode,
    /// Belvo's `webhook_id`: 32 hex digits or a dashed UUID.
    WebhookId,
    /// Belvo's `external_id`: a string, or `null` (which the parsed value leaves out).
    ExternalId,
}

/// When a member must be present.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Presence {
    /// Always.
    Required,
    /// Never.
    Optional,
    /// Except on this R2 event type.
    RequiredUnless(&'static str),
    /// Only on this R2 event type.
    RequiredOn(&'static str),
}

impl Presence {
    /// Whether the member is required in a payload of `event_type`.
    pub fn required_on(self, event_type: &str) -> bool {
        match self {
            Presence::Required => true,
            Presence::Optional => false,
            Presence::RequiredUnless(t) => t != event_type,
            Presence::RequiredOn(t) => t == event_type,
        }
    }

    pub(crate) fn need(self, event_type: &str) -> Need {
        if self.required_on(event_type) {
            Need::Required
        } else {
            Need::Optional
        }
    }
}

/// A documented enumeration. Values outside the list are kept as sent (recorded as
/// `unknown_value`), except for [`Seen`](super::Seen), which payhook writes itself.
#[derive(Clone, Copy, Debug)]
pub struct Enum {
    /// The Rust type's name (`FinancingStatus`).
    pub name: &'static str,
    /// Its doc comment, one entry a line.
    pub docs: &'static [&'static str],
    /// The documented values, in the documents' order.
    pub values: &'static [EnumValue],
}

/// One value of an [`Enum`].
#[derive(Clone, Copy, Debug)]
pub struct EnumValue {
    /// As sent.
    pub text: &'static str,
    /// The variant's doc comment, one entry a line.
    pub docs: &'static [&'static str],
}

/// A documented R2 event type.
#[derive(Clone, Copy, Debug)]
pub struct R2EventType {
    /// `event.event_type`.
    pub event_type: &'static str,
    /// The [`R2Event`](super::r2::R2Event) variant's name.
    pub variant: &'static str,
    /// The variant's doc comment.
    pub docs: &'static [&'static str],
    /// The payload the variant holds (`FinancingEvent`): the envelope, the object, …
    pub payload: &'static Object,
    /// The member holding the type's object (`financing`).
    pub key: &'static str,
}

/// A documented Belvo webhook: a [`BelvoWebhook`](super::belvo::BelvoWebhook) variant and
/// the bodies routed to it.
#[derive(Clone, Debug)]
pub struct BelvoRoute {
    /// The variant's name.
    pub variant: &'static str,
    /// The variant's doc comment.
    pub docs: &'static [&'static str],
    /// How bodies reach it, and what it holds.
    pub kind: BelvoRouteKind,
}

/// How a Belvo body is routed.
#[derive(Clone, Debug)]
pub enum BelvoRouteKind {
    /// A payment webhook: this `webhook_type` with any of the payment codes.
    Payment {
        /// The `webhook_type`.
        webhook_type: &'static str,
        /// The code the documents list with it, if any (another is `undocumented_pair`).
        documented_code: Option<&'static str>,
        /// The list `data.status` is one of, when it is documented.
        status: Option<&'static Enum>,
        /// Its `data`.
        data: &'static Object,
    },
    /// An aggregation or enrichment webhook: this `webhook_code` with any type.
    Aggregation {
        /// The `webhook_code`.
        webhook_code: &'static str,
        /// The type the documents list with it, if any (another is `undocumented_pair`).
        documented_type: Option<&'static str>,
        /// Its `data`.
        data: &'static Object,
    },
}

/// A model field's type (or a whole model) and its borrowed form, [`Owned::Ref`]: what the
/// walker reads into and the one writer writes. The walker validates a body into the borrowed
/// form (strings borrowed from the body, objects kept as parsed); the owned model is made from
/// it without checking anything again ([`Owned::from_ref`]), and writes itself by borrowing
/// itself back ([`Owned::borrow`]). So the npm package, which only needs the JSON, writes a
/// payload without building (and dropping) its owned model, through the same reader and
/// writer as a Rust caller's.
pub(crate) trait Owned: Sized {
    /// The field is an `Option` (may be absent from the written value).
    const OPTIONAL: bool = false;

    /// The borrowed form.
    type Ref<'a>: Present + Missing
    where
        Self: 'a;

    /// The value as its borrowed form, borrowing every string and object.
    fn borrow(&self) -> Self::Ref<'_>;

    /// The owned value of a borrowed one (copying what it borrowed).
    fn from_ref(value: Self::Ref<'_>) -> Self;
}

/// A field's type a walker reader gives owned (an enumeration, a status): as its borrowed form.
pub(crate) trait Leaf: Owned {
    fn lift<'a>(self) -> Self::Ref<'a>
    where
        Self: 'a;
}

/// A borrowed field's value as written: nothing for an absent `Option`, what it holds for a
/// present one (written directly, not through the `Option`).
pub(crate) trait Present: ToJson {
    fn present(&self) -> Option<&dyn ToJson>;
}

/// What a required member that is missing reads as (the payload is then refused, so the value
/// is never seen): `Default` where the type has one.
pub(crate) trait Missing {
    fn missing() -> Self;
}

/// A model read member by member from an [`Object`] description, into its borrowed form.
pub(crate) trait Read: Owned + Default + 'static {
    /// Reads the members; `event_type` decides conditional requiredness (R2).
    fn read<'a>(cx: &mut Ctx, obj: Obj<'a, '_>, event_type: &str) -> Self::Ref<'a>;
}

/// A status enumeration (or `String`): what a Belvo payment webhook's `data.status` holds.
pub(crate) trait Status: for<'s> From<&'s str> + KnownEnum + Leaf + 'static {}

impl<T: for<'s> From<&'s str> + KnownEnum + Leaf + 'static> Status for T {}

/// A model written as the members of a JSON object: those `first` names in that order (a
/// payload's members its dedup key leaves out), then the others in code-point order of their
/// names, so that the text is canonical JSON after them (see [`super::dedup_key`]).
/// Implemented by the borrowed models only: the owned ones are written through them.
pub(crate) trait Members {
    fn write_members(&self, out: &mut Writer, first: &[&str]);
}

/// The documented list of a status type, if it has one.
pub(crate) trait StatusList {
    const LIST: Option<&'static Enum>;
}

impl StatusList for String {
    const LIST: Option<&'static Enum> = None;
}

/// How a reader's `Option` fills a borrowed model field: as is, or the [`Missing`] value when
/// absent (a required member that is missing has already been reported).
pub(crate) trait Slot<T> {
    fn fill(value: Option<T>) -> Self;
}

impl<T> Slot<T> for Option<T> {
    fn fill(value: Option<T>) -> Self {
        value
    }
}

impl<T: Missing> Slot<T> for T {
    fn fill(value: Option<T>) -> Self {
        value.unwrap_or_else(T::missing)
    }
}

impl<T: Owned> Owned for Option<T> {
    const OPTIONAL: bool = true;
    type Ref<'a>
        = Option<T::Ref<'a>>
    where
        T: 'a;

    fn borrow(&self) -> Self::Ref<'_> {
        self.as_ref().map(T::borrow)
    }

    fn from_ref(value: Self::Ref<'_>) -> Self {
        value.map(T::from_ref)
    }
}

impl<T: ToJson> Present for Option<T> {
    fn present(&self) -> Option<&dyn ToJson> {
        self.as_ref().map(|v| v as &dyn ToJson)
    }
}

impl<T> Missing for Option<T> {
    fn missing() -> Self {
        None
    }
}

impl<B: ToJson + ToOwned + ?Sized> Present for Cow<'_, B> {
    fn present(&self) -> Option<&dyn ToJson> {
        Some(self)
    }
}

impl<B: ToOwned + ?Sized> Missing for Cow<'_, B>
where
    B::Owned: Default,
{
    fn missing() -> Self {
        Cow::Owned(B::Owned::default())
    }
}

/// Strings are borrowed from the body unless escaped.
impl Owned for String {
    type Ref<'a> = Cow<'a, str>;

    fn borrow(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }

    fn from_ref(value: Cow<'_, str>) -> Self {
        value.into_owned()
    }
}

impl Leaf for String {
    fn lift<'a>(self) -> Cow<'a, str> {
        Cow::Owned(self)
    }
}

/// Numbers are their own borrowed form.
macro_rules! by_value {
    ($($t:ty => $missing:expr),*) => {$(
        impl Owned for $t {
            type Ref<'a> = $t;

            fn borrow(&self) -> $t {
                self.clone()
            }

            fn from_ref(value: $t) -> Self {
                value
            }
        }

        impl Present for $t {
            fn present(&self) -> Option<&dyn ToJson> {
                Some(self)
            }
        }

        impl Missing for $t {
            fn missing() -> Self {
                $missing
            }
        }
    )*};
}

by_value!(i64 => 0, u64 => 0, Amount => Amount(0u64.into()));

/// Arrays kept whole: as parsed, or `Value`s.
impl Owned for Vec<Value> {
    type Ref<'a> = ArrayRef<'a>;

    fn borrow(&self) -> ArrayRef<'_> {
        ArrayRef::Values(self)
    }

    fn from_ref(value: ArrayRef<'_>) -> Self {
        match value {
            ArrayRef::Parsed(items) => items.into_iter().map(Item::into_value).collect(),
            ArrayRef::Values(values) => values.to_vec(),
        }
    }
}

/// An array kept whole in its borrowed form: its items as parsed (the objects among them, all
/// the way down, sorted by key when read), or `Value`s (an owned model borrowed, or a body read
/// from a `Map`).
pub(crate) enum ArrayRef<'a> {
    Parsed(Vec<Item<'a>>),
    Values(&'a [Value]),
}

impl<'a> ArrayRef<'a> {
    /// Parsed items, the objects among them sorted by key, all the way down.
    pub(crate) fn parsed(mut items: Vec<Item<'a>>) -> Self {
        items.iter_mut().for_each(crate::json::sort_item);
        ArrayRef::Parsed(items)
    }
}

impl ToJson for ArrayRef<'_> {
    fn write_json(&self, out: &mut Writer) {
        match self {
            ArrayRef::Parsed(items) => items.write_json(out),
            ArrayRef::Values(values) => values.write_json(out),
        }
    }
}

impl Present for ArrayRef<'_> {
    fn present(&self) -> Option<&dyn ToJson> {
        Some(self)
    }
}

impl Missing for ArrayRef<'_> {
    fn missing() -> Self {
        ArrayRef::Parsed(Vec::new())
    }
}

/// Open objects and the members outside a model: as parsed, or a `Map`.
impl Owned for Map<String, Value> {
    type Ref<'a> = ObjectRef<'a>;

    fn borrow(&self) -> ObjectRef<'_> {
        ObjectRef::Map(Cow::Borrowed(self))
    }

    fn from_ref(value: ObjectRef<'_>) -> Self {
        match value {
            ObjectRef::Parsed(members) => crate::json::into_map(members),
            ObjectRef::Map(map) => map.into_owned(),
        }
    }
}

/// An object kept whole (an open object, the members outside a model) in its borrowed form:
/// its members as parsed, sorted by key when read (objects in them too), or a `Map` (a body
/// read from a `Map`, or an owned model borrowed).
pub(crate) enum ObjectRef<'a> {
    Parsed(crate::json::Members<'a>),
    Map(Cow<'a, Map<String, Value>>),
}

impl<'a> ObjectRef<'a> {
    /// Parsed members, sorted by key (by code point, as a `Map` holds them), all the way down.
    pub(crate) fn parsed(mut members: crate::json::Members<'a>) -> Self {
        crate::json::sort_members(&mut members);
        ObjectRef::Parsed(members)
    }

    pub(crate) fn is_empty(&self) -> bool {
        match self {
            ObjectRef::Parsed(members) => members.is_empty(),
            ObjectRef::Map(map) => map.is_empty(),
        }
    }

    /// The members in key order.
    pub(crate) fn iter(&self) -> InKeyOrder<'_> {
        match self {
            ObjectRef::Parsed(members) => InKeyOrder::Parsed(members.iter()),
            ObjectRef::Map(map) => InKeyOrder::Map(crate::json::in_key_order(map)),
        }
    }
}

impl Present for ObjectRef<'_> {
    fn present(&self) -> Option<&dyn ToJson> {
        Some(self)
    }
}

impl Missing for ObjectRef<'_> {
    fn missing() -> Self {
        ObjectRef::Parsed(Vec::new())
    }
}

/// In key order (by code point).
impl ToJson for ObjectRef<'_> {
    fn write_json(&self, out: &mut Writer) {
        out.begin_object();
        for (key, value) in self.iter() {
            out.member(key, value);
        }
        out.end_object();
    }
}

/// The members of an [`ObjectRef`] in key order.
pub(crate) enum InKeyOrder<'r> {
    Parsed(core::slice::Iter<'r, (Cow<'r, str>, Item<'r>)>),
    Map(KeyOrder<'r>),
}

impl<'r> Iterator for InKeyOrder<'r> {
    type Item = (&'r str, &'r dyn ToJson);

    #[inline(never)]
    fn next(&mut self) -> Option<Self::Item> {
        match self {
            InKeyOrder::Parsed(members) => {
                members.next().map(|(k, v)| (k.as_ref(), v as &dyn ToJson))
            }
            InKeyOrder::Map(members) => members.next().map(|(k, v)| (k, v as &dyn ToJson)),
        }
    }
}

/// The [`Kind`] a reader checks.
macro_rules! kind_of {
    (id) => {
        $crate::providers::shape::Kind::Id
    };
    (string) => {
        $crate::providers::shape::Kind::String
    };
    (amount) => {
        $crate::providers::shape::Kind::Amount
    };
    (timestamp) => {
        $crate::providers::shape::Kind::UnixTime
    };
    (event_time) => {
        $crate::providers::shape::Kind::UnixTime
    };
    (count) => {
        $crate::providers::shape::Kind::Count
    };
    (known $e:ty) => {
        $crate::providers::shape::Kind::Enum(&<$e>::SHAPE)
    };
    (known_id $e:ty) => {
        $crate::providers::shape::Kind::EnumId(&<$e>::SHAPE)
    };
    (status $e:ty) => {
        $crate::providers::shape::Kind::Status
    };
    (open_object) => {
        $crate::providers::shape::Kind::OpenObject
    };
    (array) => {
        $crate::providers::shape::Kind::Array
    };
    (object $o:ty) => {
        $crate::providers::shape::Kind::Object(&<$o>::SHAPE)
    };
    (metadata $o:ty) => {
        $crate::providers::shape::Kind::Object(&<$o>::SHAPE)
    };
    (data $o:ty) => {
        $crate::providers::shape::Kind::Data
    };
    (webhook_id) => {
        $crate::providers::shape::Kind::WebhookId
    };
    (failure_code) => {
        $crate::providers::shape::Kind::FailureCode
    };
    (external_id) => {
        $crate::providers::shape::Kind::ExternalId
    };
}
pub(crate) use kind_of;

/// Reads one member with the walker method of its reader, into its borrowed form.
macro_rules! read_member {
    ($cx:ident, $o:ident, $key:expr, $need:expr, $et:ident, known $e:ty) => {
        $cx.known::<$e>(&mut $o, $key, $need)
            .map($crate::providers::shape::Leaf::lift)
    };
    ($cx:ident, $o:ident, $key:expr, $need:expr, $et:ident, status $e:ty) => {
        $cx.known::<$e>(&mut $o, $key, $need)
            .map($crate::providers::shape::Leaf::lift)
    };
    ($cx:ident, $o:ident, $key:expr, $need:expr, $et:ident, known_id $e:ty) => {
        $cx.id(&mut $o, $key, $need)
            .map(|s| $crate::providers::shape::Leaf::lift(<$e>::from(&*s)))
    };
    ($cx:ident, $o:ident, $key:expr, $need:expr, $et:ident, object $t:ty) => {
        $cx.object(&mut $o, $key, $need)
            .map(|obj| <$t as $crate::providers::shape::Read>::read($cx, obj, $et))
    };
    ($cx:ident, $o:ident, $key:expr, $need:expr, $et:ident, data $t:ty) => {
        $cx.object(&mut $o, $key, $need)
            .map(|obj| <$t as $crate::providers::shape::Read>::read($cx, obj, $et))
    };
    ($cx:ident, $o:ident, $key:expr, $need:expr, $et:ident, metadata $t:ty) => {
        $cx.metadata(&mut $o, $key, $need)
            .map(|obj| <$t as $crate::providers::shape::Read>::read($cx, obj, $et))
    };
    ($cx:ident, $o:ident, $key:expr, $need:expr, $et:ident, $method:ident) => {
        $cx.$method(&mut $o, $key, $need)
    };
}
pub(crate) use read_member;

/// Declares a payload object from one list of members: the owned struct (the public model),
/// its borrowed form (`ref` names it: what the walker reads into and what is written, see
/// [`Owned`]), the [`Read`] implementation and the [`Object`] (`SHAPE`). Each member is
/// `name: RustType = reader(presence)`, the reader one of `kind_of!`'s; the list ends with
/// `..extra(Checked, "doc")` or `..extra(Kept, "doc")`, the members outside the model, and for
/// a whole payload `..seen`, payhook's own list.
macro_rules! shape {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident $(<$g:ident: $bound:path>)? ref $rname:ident {
            $(
                $(#[doc = $fdoc:literal])*
                $field:ident: $ty:ty = $reader:ident $(<$arg:ty>)? ($presence:expr),
            )*
            ..$extra:ident($rest:ident $(, $xdoc:literal)*)
            $(, ..$seen:ident)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Clone, Debug, PartialEq)]
        pub struct $name $(<$g>)? {
            $(
                $(#[doc = $fdoc])*
                #[allow(missing_docs)]
                pub $field: $ty,
            )*
            $(#[doc = $xdoc])*
            pub $extra: serde_json::Map<String, serde_json::Value>,
            $(
                /// Which documented variants this payload used.
                pub $seen: Vec<$crate::providers::Seen>,
            )?
        }

        impl $(<$g: $bound>)? Default for $name $(<$g>)? {
            fn default() -> Self {
                $name {
                    $( $field: Default::default(), )*
                    $extra: serde_json::Map::new(),
                    $( $seen: Vec::new(), )?
                }
            }
        }

        #[doc = concat!("[`", stringify!($name), "`] borrowed: what the walker reads and the writer writes.")]
        pub(crate) struct $rname<'a $(, $g: $bound)?> {
            $( pub $field: <$ty as $crate::providers::shape::Owned>::Ref<'a>, )*
            pub $extra: $crate::providers::shape::ObjectRef<'a>,
            $( pub $seen: std::borrow::Cow<'a, [$crate::providers::Seen]>, )?
        }

        impl $(<$g: $bound>)? $crate::providers::shape::Missing for $rname<'_ $(, $g)?> {
            fn missing() -> Self {
                $rname {
                    $( $field: $crate::providers::shape::Missing::missing(), )*
                    $extra: $crate::providers::shape::Missing::missing(),
                    $( $seen: std::borrow::Cow::Borrowed(&[]), )?
                }
            }
        }

        impl $(<$g: $bound>)? $crate::providers::shape::Present for $rname<'_ $(, $g)?> {
            fn present(&self) -> Option<&dyn $crate::json::ToJson> {
                Some(self)
            }
        }

        impl $(<$g: $bound>)? $crate::providers::shape::Owned for $name $(<$g>)? {
            type Ref<'a> = $rname<'a $(, $g)?>;

            fn borrow(&self) -> $rname<'_ $(, $g)?> {
                $rname {
                    $( $field: <$ty as $crate::providers::shape::Owned>::borrow(&self.$field), )*
                    $extra: $crate::providers::shape::Owned::borrow(&self.$extra),
                    $( $seen: std::borrow::Cow::Borrowed(&self.$seen), )?
                }
            }

            fn from_ref(value: $rname<'_ $(, $g)?>) -> Self {
                $name {
                    $( $field: <$ty as $crate::providers::shape::Owned>::from_ref(value.$field), )*
                    $extra: $crate::providers::shape::Owned::from_ref(value.$extra),
                    $( $seen: value.$seen.into_owned(), )?
                }
            }
        }

        /// The provider's JSON: the members read (absent ones left out) and the others, in
        /// code-point order of their names.
        impl $(<$g: $bound>)? $crate::providers::shape::Members for $rname<'_ $(, $g)?> {
            fn write_members(&self, out: &mut $crate::json::Writer, first: &[&str]) {
                // Each name as a key in JSON, `"name":`, written without escaping (a Rust
                // identifier). In the names' order: `"` sorts before any character of a name.
                const KEYS: &[&str] = &[
                    $(concat!("\"", stringify!($field), "\":"),)*
                    $(concat!("\"", stringify!($seen), "\":"))?
                ];
                const ORDER: [u8; KEYS.len()] = $crate::providers::shape::code_point_order(KEYS);
                let values: &[Option<&dyn $crate::json::ToJson>] = &[
                    $( $crate::providers::shape::Present::present(&self.$field), )*
                    $( Some(&self.$seen), )?
                ];
                $crate::providers::shape::write_members(
                    out,
                    $crate::providers::shape::Model { keys: KEYS, order: &ORDER, values },
                    &self.$extra,
                    first,
                );
            }
        }

        impl $(<$g: $bound>)? $crate::json::ToJson for $rname<'_ $(, $g)?> {
            fn write_json(&self, out: &mut $crate::json::Writer) {
                out.begin_object();
                $crate::providers::shape::Members::write_members(self, out, &[]);
                out.end_object();
            }
        }

        /// Written borrowed, by the one writer.
        impl $(<$g: $bound>)? $crate::json::ToJson for $name $(<$g>)? {
            fn write_json(&self, out: &mut $crate::json::Writer) {
                $crate::providers::shape::Owned::borrow(self).write_json(out);
            }
        }

        $crate::json::serialize_as_json!($name $(<$g: $bound>)?);

        // The bound is what reading needs; `SHAPE` is the same for every `$g`.
        #[allow(private_bounds)]
        impl $(<$g: $bound>)? $name $(<$g>)? {
            /// This model as data (see [`crate::providers::shape`]).
            pub const SHAPE: $crate::providers::shape::Object = $crate::providers::shape::Object {
                name: stringify!($name),
                docs: &[$($doc),*],
                fields: &[$(
                    $crate::providers::shape::Field {
                        name: stringify!($field),
                        docs: &[$($fdoc),*],
                        kind: $crate::providers::shape::kind_of!($reader $($arg)?),
                        presence: {
                            #[allow(unused_imports)]
                            use $crate::providers::shape::Presence::*;
                            $presence
                        },
                        optional_in_value:
                            <$ty as $crate::providers::shape::Owned>::OPTIONAL,
                    },
                )*],
                rest: $crate::providers::shape::Rest::$rest,
                rest_docs: &[$($xdoc),*],
            };
        }

        impl $(<$g: $bound>)? $crate::providers::shape::Read for $name $(<$g>)? {
            #[allow(unused_variables, unused_mut)]
            #[inline(never)]
            fn read<'a>(
                cx: &mut $crate::providers::walk::Ctx,
                mut o: $crate::providers::walk::Obj<'a, '_>,
                event_type: &str,
            ) -> $rname<'a $(, $g)?> {
                $(
                    let presence: $crate::providers::shape::Presence = {
                        #[allow(unused_imports)]
                        use $crate::providers::shape::Presence::*;
                        $presence
                    };
                    let $field = $crate::providers::shape::Slot::fill(
                        $crate::providers::shape::read_member!(
                            cx, o, stringify!($field), presence.need(event_type), event_type,
                            $reader $($arg)?
                        ),
                    );
                )*
                let $extra = $crate::providers::shape::rest!(cx, o, $rest);
                $rname { $($field,)* $extra, $( $seen: std::borrow::Cow::Borrowed(&[]), )? }
            }
        }
    };
}
pub(crate) use shape;

/// The positions of `names` in code-point order of the names (computed when compiling).
// Evaluated at compile time only: an index out of bounds is a compile error, not a panic.
#[allow(clippy::indexing_slicing)]
pub(crate) const fn code_point_order<const N: usize>(names: &[&str]) -> [u8; N] {
    let mut order = [0u8; N];
    let mut i = 0;
    while i < N {
        order[i] = i as u8;
        i += 1;
    }
    // Insertion sort: a model has a few dozen members at most.
    let mut i = 1;
    while i < N {
        let mut j = i;
        while j > 0 && before(names[order[j] as usize], names[order[j - 1] as usize]) {
            let t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
            j -= 1;
        }
        i += 1;
    }
    order
}

/// Whether `a` sorts before `b` by code point (as `str`'s `Ord`, in a `const fn`).
#[allow(clippy::indexing_slicing)]
const fn before(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut i = 0;
    while i < a.len() && i < b.len() {
        if a[i] != b[i] {
            return a[i] < b[i];
        }
        i += 1;
    }
    a.len() < b.len()
}

/// A model's members as [`write_members`] takes them: their names, the order of those, and
/// their values in the names' order (`None`: absent, left out). Written through `dyn`: one
/// copy of the loop for every model, where a copy each made the module 2 KB larger and
/// slower.
pub(crate) struct Model<'a> {
    /// The names as keys, `"name":`.
    pub keys: &'static [&'static str],
    pub order: &'a [u8],
    pub values: &'a [Option<&'a dyn ToJson>],
}

/// Writes a model's members: those `first` names, in that order, then its own and those
/// outside it (`rest`) in code-point order of their names.
#[inline(never)]
pub(crate) fn write_members(
    out: &mut Writer,
    model: Model<'_>,
    rest: &ObjectRef<'_>,
    first: &[&str],
) {
    let value = |i: usize| model.values.get(i).copied().flatten();
    let name = |key: &'static str| key.get(1..key.len().saturating_sub(2)).unwrap_or_default();
    for first in first {
        let at = model.keys.iter().position(|&key| name(key) == *first);
        if let Some(v) = at.and_then(value) {
            out.member(first, v);
        }
    }
    let mut unread = Unread::of(rest, first);
    for &i in model.order {
        let i = usize::from(i);
        let Some(&key) = model.keys.get(i) else {
            continue;
        };
        let name = name(key);
        if first.contains(&name) {
            continue;
        }
        if !rest.is_empty() {
            unread.write_before(out, Some(name));
        }
        if let Some(v) = value(i) {
            out.json_key(key);
            v.write_json(out);
        }
    }
    unread.write_before(out, None);
}

/// The members outside a model, in key order, written among its own.
pub(crate) struct Unread<'a, 'f> {
    members: Peekable<InKeyOrder<'a>>,
    /// Names left out (see [`Unread::of`]).
    first: &'f [&'f str],
}

impl<'a, 'f> Unread<'a, 'f> {
    /// `rest`'s members but those `first` names: the members a payload writes first (and its
    /// dedup key leaves out) are payhook's, never one outside the model. A parsed body has
    /// none (the reader drops them as reserved), but an event built or changed in Rust may:
    /// written, it would name a member twice and be hashed.
    pub(crate) fn of(rest: &'a ObjectRef<'_>, first: &'f [&'f str]) -> Self {
        Unread {
            members: rest.iter().peekable(),
            first,
        }
    }

    /// Writes those whose names sort before `name` (all that are left, for `None`). No name
    /// is both a model's and outside it: these are only the members the model did not read.
    #[inline(never)]
    pub(crate) fn write_before(&mut self, out: &mut Writer, name: Option<&str>) {
        let before = |(key, _): &(&str, &dyn ToJson)| name.is_none_or(|n| *key < n);
        while let Some((key, value)) = self.members.next_if(before) {
            if !self.first.contains(&key) {
                out.member(key, value);
            }
        }
    }
}

/// The members outside the model, as [`Rest`] says.
macro_rules! rest {
    ($cx:ident, $o:ident, Checked) => {
        $cx.rest(&mut $o)
    };
    ($cx:ident, $o:ident, Kept) => {
        $crate::providers::shape::ObjectRef::parsed($o.unread())
    };
}
pub(crate) use rest;
