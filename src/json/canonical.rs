//! Canonical JSON, derived from the text as written: what a dedup key hashes.
//!
//! [`canonical`] reads JSON text this crate's [`Writer`](super::Writer) wrote (compact, every
//! string escaped as the writer escapes it) once, noting where each object and member is,
//! and puts the canonical form together from those ranges: each object's members in key
//! order (by code point, as serde_json's maps hold them), the omitted top-level members left
//! out, `-0` as `0`. So an event is written once and both texts come from that writing; and
//! an event's text kept elsewhere (the npm package keeps what it parsed) gives the same key
//! without being read into a payload again. Nothing is allocated per key.

use std::borrow::Cow;

/// `text`, JSON the [`Writer`](super::Writer) wrote, in canonical form without the
/// top-level members `omit`.
pub(crate) fn canonical(text: &str, omit: &'static [&'static str]) -> String {
    // Room for the members and objects of a payload's text without growing (a member takes
    // at least a dozen bytes of it, an object several members).
    let mut record = Record {
        omit,
        members: Vec::with_capacity(text.len() / 12),
        objects: Vec::with_capacity(text.len() / 64),
        ..Record::default()
    };
    record.read(text);
    record.put_in_order(text);
    record.canonical(text)
}

/// Where the objects and members of a text are.
#[derive(Debug, Default)]
struct Record {
    /// Top-level members the canonical form leaves out.
    omit: &'static [&'static str],
    /// The objects open where the text is read, innermost last.
    open: Vec<usize>,
    /// Every object, in the order they open.
    objects: Vec<Object>,
    /// The first and last object outside any member.
    roots: Option<(usize, usize)>,
    /// Every member of those, in the order written.
    members: Vec<Member>,
    /// Every member's index in `members`, each object's together and in key order.
    order: Vec<usize>,
    /// Where a `-0` is (canonical: `0`, as `JSON.stringify` writes it).
    negative_zeros: Vec<usize>,
}

/// An object: its text's range, and its members.
#[derive(Debug)]
struct Object {
    start: usize,
    end: usize,
    /// Its members: how many, the last one read, and where they are in [`Record::order`].
    count: usize,
    last: Option<usize>,
    first: usize,
    /// The next object inside the same member (or outside any).
    next_sibling: Option<usize>,
    /// The top-level value: its members named in [`Record::omit`] are left out.
    top: bool,
}

/// A member of an object: its text's range (key to the end of its value), its key's (between
/// the quotes, as written: escaped when `escaped`), and the objects inside it.
#[derive(Debug)]
struct Member {
    start: usize,
    end: usize,
    key: (usize, usize),
    escaped: bool,
    /// The key's first eight bytes, big-endian, zero-padded: members are sorted by this
    /// first, so most comparisons are one integer's.
    prefix: u64,
    /// The first and last object inside its value.
    children: Option<(usize, usize)>,
    /// The object it is a member of.
    object: usize,
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
    /// member outside a model) the text read back.
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
    /// Notes every object and member of `text`, and every `-0`.
    fn read(&mut self, text: &str) {
        let bytes = text.as_bytes();
        let (mut at, mut comma) = (0, 0);
        while let Some(&b) = bytes.get(at) {
            match b {
                b'{' => self.open(at),
                b'}' => self.close(at),
                b',' => comma = at,
                b'"' => {
                    let (end, escaped) = string_end(bytes, at);
                    if bytes.get(end) == Some(&b':') {
                        // A member; the one before it, if any, ended at the last comma.
                        self.end_member(comma);
                        self.member(at, (at + 1, end - 1), escaped, text);
                    }
                    at = end;
                    continue;
                }
                b'-' if bytes.get(at + 1) == Some(&b'0')
                    && !matches!(bytes.get(at + 2), Some(b'0'..=b'9' | b'.' | b'e' | b'E')) =>
                {
                    self.negative_zeros.push(at);
                }
                _ => {}
            }
            at += 1;
        }
    }

    /// An object opens at `start` (its `{`).
    fn open(&mut self, start: usize) {
        let index = self.objects.len();
        // Inside the member being read of the innermost object, if any.
        let parent = self
            .open
            .last()
            .and_then(|&o| self.objects.get(o))
            .and_then(|o| o.last);
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
            count: 0,
            last: None,
            first: 0,
            next_sibling: None,
            top: start == 0,
        });
        self.open.push(index);
    }

    /// The innermost open object closes: `end` is where its `}` is.
    fn close(&mut self, end: usize) {
        self.end_member(end);
        if let Some(object) = self.open.pop().and_then(|o| self.objects.get_mut(o)) {
            object.end = end + 1;
        }
    }

    /// The last member of the innermost object, if any, ends at `end`.
    fn end_member(&mut self, end: usize) {
        let object = self.open.last().and_then(|&o| self.objects.get(o));
        let last = object.and_then(|o| o.last);
        if let Some(member) = last.and_then(|m| self.members.get_mut(m)) {
            member.end = end;
        }
    }

    /// A member of the innermost object starts at `start`, its key between the quotes at
    /// `key` (`escaped`: with escapes).
    fn member(&mut self, start: usize, key: (usize, usize), escaped: bool, text: &str) {
        let Some(&object) = self.open.last() else {
            return;
        };
        let index = self.members.len();
        self.members.push(Member {
            start,
            end: start,
            key,
            escaped,
            // An escaped key's is its written text's: such keys are compared whole.
            prefix: prefix(text.get(key.0..key.1).unwrap_or_default()),
            children: None,
            object,
        });
        if let Some(o) = self.objects.get_mut(object) {
            o.count += 1;
            o.last = Some(index);
        }
    }

    /// Fills [`Record::order`]: the members grouped by object (a counting sort: one list for
    /// all objects), each object's put in key order.
    fn put_in_order(&mut self, text: &str) {
        let mut next = Vec::with_capacity(self.objects.len());
        let mut at = 0;
        for object in &mut self.objects {
            object.first = at;
            next.push(at);
            at += object.count;
        }
        self.order = vec![0; self.members.len()];
        for (index, member) in self.members.iter().enumerate() {
            if let Some(n) = next.get_mut(member.object) {
                if let Some(slot) = self.order.get_mut(*n) {
                    *slot = index;
                }
                *n += 1;
            }
        }
        let members = &self.members;
        for object in &self.objects {
            let group = self
                .order
                .get_mut(object.first..object.first + object.count);
            crate::sort::order_by(group.unwrap_or_default(), &|a, b| match (
                members.get(a),
                members.get(b),
            ) {
                (Some(a), Some(b)) => a.before(b, text),
                _ => false,
            });
        }
    }

    /// The canonical form of `text`, the text read.
    fn canonical(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        self.range(text, 0, text.len(), self.roots.map(|r| r.0), &mut out);
        out
    }

    /// `text[start..end]`, each object in it (the chain from `child`) in canonical form.
    fn range(&self, text: &str, start: usize, end: usize, child: Option<usize>, out: &mut String) {
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
    fn object(&self, text: &str, index: usize, out: &mut String) {
        let Some(object) = self.objects.get(index) else {
            return;
        };
        let top = object.top;
        let order = self.order.get(object.first..object.first + object.count);
        out.push('{');
        let mut first = true;
        for &m in order.unwrap_or_default() {
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

/// Where the string starting at `start` (its opening quote) ends, just past its closing
/// quote (or at the end of `bytes`), and whether it holds an escape.
fn string_end(bytes: &[u8], start: usize) -> (usize, bool) {
    let (mut at, mut escaped) = (start + 1, false);
    while let Some(rest) = bytes.get(at..) {
        let Some(found) = super::special(rest) else {
            break;
        };
        at += found;
        match bytes.get(at) {
            Some(b'"') => return (at + 1, escaped),
            Some(b'\\') => (at, escaped) = (at + 2, true),
            _ => at += 1, // a control character: not in written text
        }
    }
    (bytes.len(), escaped)
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
