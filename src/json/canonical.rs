//! Canonical JSON, derived from the text as written: what a dedup key hashes.
//!
//! A [`Writer`](super::Writer) made by [`Writer::canonical`](super::Writer::canonical) writes
//! the plain text (members in the order written, as JavaScript gets them) and records where
//! each member of a model object is. The canonical form is then put together from those
//! ranges: each recorded object's members in key order (by code point, as serde_json's maps
//! hold them), the omitted top-level members left out, `-0` as `0`. So a receiver writes an
//! event once and has both texts: no second writing, and nothing allocated per key.
//! Objects written in key order already (serde_json's maps) are not recorded: their text is
//! copied as it is.

use std::borrow::Cow;

/// What a canonical writer records while the plain text is written.
#[derive(Debug, Default)]
pub(crate) struct Record {
    /// Top-level members the canonical form leaves out.
    omit: &'static [&'static str],
    /// The objects being written, innermost last: the recorded one's index, or `None` for
    /// one in key order already.
    open: Vec<Option<usize>>,
    /// Every recorded object, in the order they were opened.
    objects: Vec<Object>,
    /// The first and last recorded object outside any recorded member.
    roots: Option<(usize, usize)>,
    /// Every member of those, in the order written.
    members: Vec<Member>,
    /// Where a `-0` was written (canonical: `0`, as `JSON.stringify` writes it).
    negative_zeros: Vec<usize>,
}

/// A recorded object: its text's range, and its members.
#[derive(Debug)]
struct Object {
    start: usize,
    end: usize,
    /// Its members' indices in [`Record::members`], in the order written.
    members: Vec<usize>,
    /// The next object recorded inside the same member (or outside any).
    next_sibling: Option<usize>,
    /// The top-level value: its members named in [`Record::omit`] are left out.
    top: bool,
}

/// A member of a recorded object: its text's range (key to the end of its value), its key's
/// (between the quotes, as written: escaped when `escaped`), and the objects inside it.
#[derive(Debug)]
struct Member {
    start: usize,
    end: usize,
    key: (usize, usize),
    escaped: bool,
    /// The key's first eight bytes, big-endian, zero-padded: members are sorted by this
    /// first, so most comparisons are one integer's.
    prefix: u64,
    /// The first and last object recorded inside its value.
    children: Option<(usize, usize)>,
}

impl Member {
    /// Whether this member's key sorts before `other`'s: by the first eight bytes as one
    /// integer, by the keys when those are equal (or escaped, its prefix then being its
    /// escaped text's).
    fn before(&self, other: &Member, text: &str) -> bool {
        let order = self.prefix.cmp(&other.prefix);
        if order.is_ne() && !self.escaped && !other.escaped {
            return order.is_lt();
        }
        self.key(text) < other.key(text)
    }

    /// The key as sent: its text, or for an escaped one (`"a\"b"`, only ever in a kept
    /// member outside the model) the text read back.
    fn key<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let (start, end) = self.key;
        if self.escaped {
            let quoted = text
                .get(start.saturating_sub(1)..end + 1)
                .unwrap_or_default();
            let read = super::parse_value(quoted).and_then(|v| v.as_str().map(str::to_owned));
            return Cow::Owned(read.unwrap_or_default());
        }
        Cow::Borrowed(text.get(start..end).unwrap_or_default())
    }
}

impl Record {
    pub(crate) fn new(omit: &'static [&'static str]) -> Self {
        Record {
            omit,
            ..Record::default()
        }
    }

    /// An object opens at `start` (its `{`); `reorder`: its members need putting in order.
    pub(crate) fn open(&mut self, start: usize, reorder: bool) {
        if !reorder {
            self.open.push(None);
            return;
        }
        let index = self.objects.len();
        // Inside the member being written of the innermost recorded object, if any.
        let parent = self
            .open
            .iter()
            .rev()
            .find_map(|o| *o)
            .and_then(|o| self.objects.get(o))
            .and_then(|o| o.members.last().copied());
        let chain = match parent.and_then(|m| self.members.get_mut(m)) {
            Some(member) => &mut member.children,
            None => &mut self.roots,
        };
        match chain {
            None => *chain = Some((index, index)),
            Some((_, last)) => {
                let previous = core::mem::replace(last, index);
                if let Some(o) = self.objects.get_mut(previous) {
                    o.next_sibling = Some(index);
                }
            }
        }
        self.objects.push(Object {
            start,
            end: start,
            members: Vec::new(),
            next_sibling: None,
            top: self.open.is_empty() && start == 0,
        });
        self.open.push(Some(index));
    }

    /// The innermost open object closes: `end` is where its `}` is.
    pub(crate) fn close(&mut self, end: usize) {
        if let Some(Some(index)) = self.open.pop() {
            self.end_member(index, end);
            if let Some(object) = self.objects.get_mut(index) {
                object.end = end + 1;
            }
        }
    }

    /// Whether keys written now belong to a recorded object.
    pub(crate) fn in_recorded(&self) -> bool {
        matches!(self.open.last(), Some(Some(_)))
    }

    /// The previous member of the innermost object, if any, ends at `end` (before the comma).
    pub(crate) fn end_previous(&mut self, end: usize) {
        if let Some(Some(index)) = self.open.last().copied() {
            self.end_member(index, end);
        }
    }

    fn end_member(&mut self, object: usize, end: usize) {
        let last = self.objects.get(object).and_then(|o| o.members.last());
        if let Some(member) = last.copied().and_then(|m| self.members.get_mut(m)) {
            member.end = end;
        }
    }

    /// A member of the innermost object starts at `start`, its key written between the
    /// quotes at `key`; `escaped` when that text differs from the key.
    pub(crate) fn member(&mut self, start: usize, key: (usize, usize), raw: &str) {
        let Some(Some(object)) = self.open.last().copied() else {
            return;
        };
        let index = self.members.len();
        self.members.push(Member {
            start,
            end: start,
            key,
            escaped: key.1 - key.0 != raw.len(),
            prefix: prefix(raw),
            children: None,
        });
        if let Some(o) = self.objects.get_mut(object) {
            o.members.push(index);
        }
    }

    /// A `-0` was written at `at`.
    pub(crate) fn negative_zero(&mut self, at: usize) {
        self.negative_zeros.push(at);
    }

    /// The canonical form of `text`, the plain text this record was made with.
    pub(crate) fn canonical(&mut self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        self.range(text, 0, text.len(), self.roots.map(|r| r.0), &mut out);
        out
    }

    /// `text[start..end]`, each recorded object in it (the chain from `child`) in canonical
    /// form.
    fn range(
        &mut self,
        text: &str,
        start: usize,
        end: usize,
        child: Option<usize>,
        out: &mut String,
    ) {
        let (mut at, mut child) = (start, child);
        while let Some(c) = child {
            let Some(&Object {
                start: o_start,
                end: o_end,
                next_sibling,
                ..
            }) = self.objects.get(c)
            else {
                break;
            };
            self.copy(text, at, o_start, out);
            self.object(text, c, out);
            at = o_end;
            child = next_sibling;
        }
        self.copy(text, at, end, out);
    }

    /// Object `index` in canonical form.
    fn object(&mut self, text: &str, index: usize, out: &mut String) {
        let Some(object) = self.objects.get_mut(index) else {
            return;
        };
        let top = object.top;
        let mut order = core::mem::take(&mut object.members);
        let members = &self.members;
        crate::sort::order_by(&mut order, &|a, b| match (members.get(a), members.get(b)) {
            (Some(a), Some(b)) => a.before(b, text),
            _ => false,
        });
        out.push('{');
        let mut first = true;
        for &m in &order {
            let Some(member) = self.members.get(m) else {
                continue;
            };
            if top && !self.omit.is_empty() && self.omit.contains(&member.key(text).as_ref()) {
                continue;
            }
            if !first {
                out.push(',');
            }
            first = false;
            let (start, end, child) = (member.start, member.end, member.children.map(|c| c.0));
            self.range(text, start, end, child, out);
        }
        out.push('}');
        if let Some(object) = self.objects.get_mut(index) {
            object.members = order;
        }
    }

    /// `text[start..end]` as it is, but each `-0` as `0`.
    fn copy(&self, text: &str, start: usize, end: usize, out: &mut String) {
        let mut at = start;
        let first = self.negative_zeros.partition_point(|&z| z < start);
        for &zero in self.negative_zeros.get(first..).unwrap_or_default() {
            if zero >= end {
                break;
            }
            out.push_str(text.get(at..zero).unwrap_or_default());
            at = zero + 1; // past the `-`
        }
        out.push_str(text.get(at..end).unwrap_or_default());
    }
}

/// The first eight bytes of `key` as a big-endian integer (zero-padded): integers compare as
/// the bytes do.
fn prefix(key: &str) -> u64 {
    let mut bytes = [0; 8];
    for (to, from) in bytes.iter_mut().zip(key.as_bytes()) {
        *to = *from;
    }
    u64::from_be_bytes(bytes)
}
