//! Remembering which events were processed, so a retried delivery is handled once: the
//! logic of the in-memory store, with time passed in (the core reads no clock).
//!
//! A key is *claimed* while a handler runs (for a lease: if the process dies, the claim
//! expires and the provider's retry is processed), *completed* when the handler succeeded
//! (remembered for the provider's dedup retention), or *released* when it failed (so the
//! retry is processed). Bounded in entries and bytes: past a bound the entries closest to
//! expiry are forgotten first.

use std::collections::{BTreeSet, HashMap};

/// What a claim found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Claim {
    /// Not seen (or forgotten): the caller now holds the claim and should handle the event.
    New,
    /// Handled before: acknowledge, do not handle again.
    Duplicate,
    /// Another handler holds an unexpired claim: answer so that the provider retries later.
    InProgress,
}

impl Claim {
    /// `new`, `duplicate` or `in_progress`.
    pub const fn name(self) -> &'static str {
        match self {
            Claim::New => "new",
            Claim::Duplicate => "duplicate",
            Claim::InProgress => "in_progress",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Claimed,
    Done,
}

#[derive(Clone, Copy, Debug)]
struct Entry {
    state: State,
    expires_at: u64,
}

/// Bookkeeping per entry beyond its key's bytes, for the byte bound.
const ENTRY_OVERHEAD: usize = 64;

/// A bounded set of keys with expiry. Times are milliseconds on any monotonic-enough clock
/// the caller chooses (`Date.now()` in JS).
#[derive(Clone, Debug)]
pub struct SeenSet {
    entries: HashMap<String, Entry>,
    /// (expires_at, key): the order in which entries are forgotten.
    by_expiry: BTreeSet<(u64, String)>,
    bytes: usize,
    max_entries: usize,
    max_bytes: usize,
}

impl SeenSet {
    /// An empty set holding at most `max_entries` keys and about `max_bytes` bytes.
    pub fn new(max_entries: usize, max_bytes: usize) -> Self {
        SeenSet {
            entries: HashMap::new(),
            by_expiry: BTreeSet::new(),
            bytes: 0,
            max_entries,
            max_bytes,
        }
    }

    /// Claims `key` for `lease_ms` unless it is done or claimed (and unexpired).
    pub fn claim(&mut self, key: &str, now: u64, lease_ms: u64) -> Claim {
        match self.live(key, now) {
            Some(State::Done) => Claim::Duplicate,
            Some(State::Claimed) => Claim::InProgress,
            None => {
                self.put(key, State::Claimed, now.saturating_add(lease_ms), now);
                Claim::New
            }
        }
    }

    /// What `claim` would answer, without claiming.
    pub fn status(&mut self, key: &str, now: u64) -> Claim {
        match self.live(key, now) {
            Some(State::Done) => Claim::Duplicate,
            Some(State::Claimed) => Claim::InProgress,
            None => Claim::New,
        }
    }

    /// Marks `key` handled, remembered for `retention_ms`.
    pub fn complete(&mut self, key: &str, now: u64, retention_ms: u64) {
        self.put(key, State::Done, now.saturating_add(retention_ms), now);
    }

    /// Forgets a claim (the handler failed): the provider's retry will be processed.
    pub fn release(&mut self, key: &str) {
        if self
            .entries
            .get(key)
            .is_some_and(|e| e.state == State::Claimed)
        {
            self.remove(key);
        }
    }

    /// How many keys are remembered (expired ones included until they are swept).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nothing is remembered.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The bytes accounted for.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// The state of `key` if it has not expired; an expired entry is removed.
    fn live(&mut self, key: &str, now: u64) -> Option<State> {
        let entry = *self.entries.get(key)?;
        if entry.expires_at <= now {
            self.remove(key);
            return None;
        }
        Some(entry.state)
    }

    fn put(&mut self, key: &str, state: State, expires_at: u64, now: u64) {
        self.remove(key);
        self.sweep(now);
        let cost = key.len() + ENTRY_OVERHEAD;
        // Make room: the entries closest to expiry go first.
        while !self.entries.is_empty()
            && (self.entries.len() >= self.max_entries || self.bytes + cost > self.max_bytes)
        {
            match self.by_expiry.first().map(|(_, k)| k.clone()) {
                Some(oldest) => self.remove(&oldest),
                None => break,
            }
        }
        if self.max_entries == 0 || cost > self.max_bytes {
            return;
        }
        self.entries
            .insert(key.to_owned(), Entry { state, expires_at });
        self.by_expiry.insert((expires_at, key.to_owned()));
        self.bytes += cost;
    }

    /// Forgets every entry that has expired by `now`.
    fn sweep(&mut self, now: u64) {
        while let Some((expires_at, key)) = self.by_expiry.first().cloned() {
            if expires_at > now {
                break;
            }
            self.remove(&key);
        }
    }

    fn remove(&mut self, key: &str) {
        if let Some(entry) = self.entries.remove(key) {
            self.by_expiry.remove(&(entry.expires_at, key.to_owned()));
            self.bytes -= key.len() + ENTRY_OVERHEAD;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claim_complete_release_and_expiry() {
        let mut set = SeenSet::new(100, 1 << 20);
        assert_eq!(set.claim("a", 0, 10), Claim::New);
        assert_eq!(set.claim("a", 5, 10), Claim::InProgress);
        assert_eq!(
            set.claim("a", 10, 10),
            Claim::New,
            "the lease expired: a crashed handler's event is retried"
        );
        set.release("a");
        assert_eq!(
            set.claim("a", 11, 10),
            Claim::New,
            "released: the retry is processed"
        );
        set.complete("a", 12, 100);
        assert_eq!(
            (set.claim("a", 50, 10), set.status("a", 50)),
            (Claim::Duplicate, Claim::Duplicate)
        );
        set.release("a");
        assert_eq!(
            set.status("a", 60),
            Claim::Duplicate,
            "release never forgets a completed event"
        );
        assert_eq!(set.claim("a", 112, 10), Claim::New, "retention over");
    }

    #[test]
    fn bounded_in_entries_and_bytes() {
        let mut set = SeenSet::new(3, 1 << 20);
        for (i, key) in ["a", "b", "c", "d"].iter().enumerate() {
            set.complete(key, 0, 100 + i as u64);
        }
        assert_eq!(set.len(), 3);
        assert_eq!(
            set.status("a", 1),
            Claim::New,
            "the entry closest to expiry was forgotten"
        );
        let mut small = SeenSet::new(1000, 3 * (ENTRY_OVERHEAD + 1));
        for key in ["a", "b", "c", "d", "e"] {
            small.complete(key, 0, 1000);
        }
        assert_eq!((small.len(), small.bytes()), (3, 3 * (ENTRY_OVERHEAD + 1)));
        let mut none = SeenSet::new(0, 0);
        assert_eq!(none.claim("a", 0, 10), Claim::New);
        assert!(none.is_empty());
    }
}
