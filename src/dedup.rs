//! Remembering which events were processed, so a retried delivery is handled once: the
//! logic of the in-memory store, with time passed in (the core reads no clock).
//!
//! A key is *claimed* while a handler runs (for a lease: if the process dies, the claim
//! expires and the provider's retry is processed), *completed* when the handler succeeded
//! (remembered for the provider's dedup retention), or *released* when it failed (so the
//! retry is processed). Each claim carries a token the caller chose (unique per claim), and
//! only that token completes or releases it: a handler whose lease ran out cannot undo the
//! claim of the retry that took over. Bounded in entries and bytes: past a bound the
//! entries closest to expiry are forgotten first.

use core::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

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

#[derive(Clone, Debug)]
struct Entry {
    state: State,
    /// The claim's token (empty once done).
    token: Box<str>,
    expires_at: u64,
}

/// Bookkeeping per entry beyond its key's bytes, for the byte bound.
const ENTRY_OVERHEAD: usize = 64;

/// The expiry order of the entries in one state: `(expires_at, key)`, soonest first. An item
/// whose entry was since removed or replaced is stale: skipped when met, and dropped when the
/// queues outgrow the entries (a heap with lazy removal: far less code than an ordered set).
type Expiries = BinaryHeap<Reverse<(u64, String)>>;

/// A bounded set of keys with expiry. Times are milliseconds on any monotonic-enough clock
/// the caller chooses (`Date.now()` in JS).
#[derive(Clone, Debug)]
pub struct SeenSet {
    entries: HashMap<String, Entry>,
    /// The handled entries' expiries: the order in which they are forgotten.
    done: Expiries,
    /// The claims' expiries, swept when their lease is over.
    claims: Expiries,
    bytes: usize,
    max_entries: usize,
    max_bytes: usize,
}

impl SeenSet {
    /// An empty set holding at most `max_entries` keys and about `max_bytes` bytes.
    pub fn new(max_entries: usize, max_bytes: usize) -> Self {
        SeenSet {
            entries: HashMap::new(),
            done: BinaryHeap::new(),
            claims: BinaryHeap::new(),
            bytes: 0,
            max_entries,
            max_bytes,
        }
    }

    /// Claims `key` for `lease_ms` under `token` unless it is done or claimed (and unexpired),
    /// or the set is full of claims in progress (then `InProgress`: retry later).
    pub fn claim(&mut self, key: &str, token: &str, now: u64, lease_ms: u64) -> Claim {
        let expires_at = now.saturating_add(lease_ms);
        match self.live(key, now) {
            Some(State::Done) => Claim::Duplicate,
            Some(State::Claimed) => Claim::InProgress,
            None if self.put(key, State::Claimed, token, expires_at, now) => Claim::New,
            None => Claim::InProgress,
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

    /// Marks `key` handled, remembered for `retention_ms`, if the claim under `token` still
    /// holds at `now` (its lease not over, not taken over since). Whether it did.
    pub fn complete(&mut self, key: &str, token: &str, now: u64, retention_ms: u64) -> bool {
        // The claim's own room is freed first, and a handled entry needs less: it fits.
        self.holds(key, token, now)
            && self.put(key, State::Done, "", now.saturating_add(retention_ms), now)
    }

    /// Forgets the claim under `token` (the handler failed), if it still holds at `now`: the
    /// provider's retry will be processed. Whether it did.
    pub fn release(&mut self, key: &str, token: &str, now: u64) -> bool {
        let held = self.holds(key, token, now);
        if held {
            self.remove(key);
        }
        held
    }

    /// Whether `key` is claimed under `token` at `now`. A lease that ran out holds nothing,
    /// whether or not another claim has taken its place (as in every shared store), and an
    /// empty token never holds anything.
    fn holds(&mut self, key: &str, token: &str, now: u64) -> bool {
        !token.is_empty()
            && self.live(key, now) == Some(State::Claimed)
            && self.entries.get(key).is_some_and(|e| *e.token == *token)
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
        let entry = self.entries.get(key)?;
        let (state, expires_at) = (entry.state, entry.expires_at);
        if expires_at <= now {
            self.remove(key);
            return None;
        }
        Some(state)
    }

    /// Stores an entry, making room by forgetting the handled entries closest to expiry;
    /// false when there is no room without forgetting a claim in progress.
    fn put(&mut self, key: &str, state: State, token: &str, expires_at: u64, now: u64) -> bool {
        self.remove(key);
        self.sweep(now);
        let cost = key.len() + token.len() + ENTRY_OVERHEAD;
        while self.entries.len() >= self.max_entries || self.bytes + cost > self.max_bytes {
            match self.pop_first(State::Done, u64::MAX) {
                Some(oldest) => self.remove(&oldest),
                None => return false,
            }
        }
        let token = token.into();
        self.entries.insert(
            key.to_owned(),
            Entry {
                state,
                token,
                expires_at,
            },
        );
        self.bytes += cost;
        // Every removal leaves a stale item behind: past twice the entries (and a margin, so
        // that this is rare), the queues are rebuilt from the entries.
        if self.done.len() + self.claims.len() >= 2 * self.entries.len() + 64 {
            self.done.clear();
            self.claims.clear();
            for (key, entry) in &self.entries {
                let queue = match entry.state {
                    State::Done => &mut self.done,
                    State::Claimed => &mut self.claims,
                };
                queue.push(Reverse((entry.expires_at, key.clone())));
            }
        } else {
            let item = Reverse((expires_at, key.to_owned()));
            self.expiries(state).push(item);
        }
        true
    }

    /// The expiry order of the entries in `state`.
    fn expiries(&mut self, state: State) -> &mut Expiries {
        match state {
            State::Done => &mut self.done,
            State::Claimed => &mut self.claims,
        }
    }

    /// Takes the entry in `state` closest to expiry off its queue (dropping stale items on the
    /// way), leaving the entry itself in place; only one expiring by `until`.
    fn pop_first(&mut self, state: State, until: u64) -> Option<String> {
        loop {
            let Reverse((expires_at, _)) = self.expiries(state).peek()?;
            if *expires_at > until {
                return None;
            }
            let Reverse((expires_at, key)) = self.expiries(state).pop()?;
            if self
                .entries
                .get(&key)
                .is_some_and(|e| e.state == state && e.expires_at == expires_at)
            {
                return Some(key);
            }
        }
    }

    /// Forgets every entry that has expired by `now`.
    fn sweep(&mut self, now: u64) {
        for state in [State::Done, State::Claimed] {
            while let Some(key) = self.pop_first(state, now) {
                self.remove(&key);
            }
        }
    }

    fn remove(&mut self, key: &str) {
        if let Some(entry) = self.entries.remove(key) {
            self.bytes -= key.len() + entry.token.len() + ENTRY_OVERHEAD;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claim_complete_release_and_expiry() {
        let mut set = SeenSet::new(100, 1 << 20);
        assert_eq!(set.claim("a", "t1", 0, 10), Claim::New);
        assert_eq!(set.claim("a", "t2", 5, 10), Claim::InProgress);
        assert_eq!(
            set.claim("a", "t3", 10, 10),
            Claim::New,
            "the lease expired: a crashed handler's event is retried"
        );
        assert!(set.release("a", "t3", 10));
        assert_eq!(
            set.claim("a", "t4", 11, 10),
            Claim::New,
            "released: the retry is processed"
        );
        assert!(set.complete("a", "t4", 12, 100));
        assert_eq!(
            (set.claim("a", "t5", 50, 10), set.status("a", 50)),
            (Claim::Duplicate, Claim::Duplicate)
        );
        assert!(!set.release("a", "t4", 50));
        assert_eq!(
            set.status("a", 60),
            Claim::Duplicate,
            "release never forgets a completed event"
        );
        assert_eq!(set.claim("a", "t6", 112, 10), Claim::New, "retention over");
    }

    /// Handler A's lease runs out while it is still working; retry B claims the key. A's
    /// late release or complete must not touch B's claim.
    #[test]
    fn a_stale_handler_cannot_undo_a_newer_claim() {
        type Stale = fn(&mut SeenSet) -> bool;
        let cases: &[(&str, Stale)] = &[
            ("release", |s| s.release("k", "A", 70)),
            ("complete", |s| s.complete("k", "A", 70, 1000)),
            ("release with no token", |s| s.release("k", "", 70)),
            ("complete with no token", |s| s.complete("k", "", 70, 1000)),
        ];
        for (name, stale) in cases {
            let mut set = SeenSet::new(100, 1 << 20);
            assert_eq!(set.claim("k", "A", 0, 50), Claim::New);
            assert_eq!(set.claim("k", "B", 60, 50), Claim::New, "A's lease is over");
            assert!(!stale(&mut set), "{name}: A no longer holds the claim");
            assert_eq!(
                set.claim("k", "C", 70, 50),
                Claim::InProgress,
                "{name}: B still holds it"
            );
            assert!(set.complete("k", "B", 80, 1000), "{name}");
            assert_eq!(set.status("k", 90), Claim::Duplicate, "{name}");
        }
    }

    #[test]
    fn bounded_in_entries_and_bytes() {
        let mut set = SeenSet::new(3, 1 << 20);
        for (i, key) in ["a", "b", "c", "d"].iter().enumerate() {
            set.claim(key, "t", 0, 10);
            set.complete(key, "t", 0, 100 + i as u64);
        }
        assert_eq!(set.len(), 3);
        assert_eq!(
            set.status("a", 1),
            Claim::New,
            "the entry closest to expiry was forgotten"
        );
        // Room for three done entries, and for a claim's one-byte token beside two of them.
        let mut small = SeenSet::new(1000, 3 * (ENTRY_OVERHEAD + 1) + 1);
        for key in ["a", "b", "c", "d", "e"] {
            small.claim(key, "t", 0, 10);
            small.complete(key, "t", 0, 1000);
        }
        assert_eq!((small.len(), small.bytes()), (3, 3 * (ENTRY_OVERHEAD + 1)));
        let mut none = SeenSet::new(0, 0);
        assert_eq!(
            none.claim("a", "t", 0, 10),
            Claim::InProgress,
            "no room: retry later, never run unremembered"
        );
        assert!(none.is_empty());
    }

    /// A lease that ran out holds nothing, whether or not the key was read since (as in the
    /// shared stores, where the entry has expired).
    #[test]
    fn an_expired_lease_holds_nothing() {
        for read_between in [false, true] {
            let mut set = SeenSet::new(100, 1 << 20);
            assert_eq!(set.claim("k", "A", 0, 100), Claim::New);
            if read_between {
                assert_eq!(set.status("k", 500), Claim::New);
            }
            assert!(
                !set.complete("k", "A", 500, 1000),
                "read between: {read_between}"
            );
            assert!(!set.release("k", "A", 500), "read between: {read_between}");
            assert_eq!(set.status("k", 600), Claim::New);
        }
    }

    /// A released claim leaves its expiry queued: when that time comes, a newer claim on the
    /// same key is not swept with it, and the queues stay bounded however often keys churn.
    #[test]
    fn stale_expiries_are_skipped_and_dropped() {
        let mut set = SeenSet::new(100, 1 << 20);
        assert_eq!(set.claim("a", "t1", 0, 50), Claim::New);
        assert!(set.release("a", "t1", 1));
        assert_eq!(set.claim("a", "t2", 2, 100), Claim::New);
        assert_eq!(set.claim("b", "t", 60, 100_000), Claim::New, "sweeps at 60");
        assert_eq!(
            set.status("a", 60),
            Claim::InProgress,
            "the claim until 102 holds"
        );
        assert!(set.complete("a", "t2", 61, 100_000));
        for i in 0..10_000u64 {
            assert_eq!(set.claim("k", "t", 100 + i, 10_000), Claim::New);
            assert!(set.release("k", "t", 100 + i));
        }
        assert_eq!(set.len(), 2, "a and b");
        assert!(set.done.len() + set.claims.len() <= 2 * set.len() + 64);
        assert_eq!(set.status("a", 100_060), Claim::Duplicate);
        assert_eq!(set.status("a", 100_061), Claim::New);
    }

    /// A full set forgets handled events, never a claim whose handler is still running: a
    /// copy of that event arriving meanwhile must not run too.
    #[test]
    fn claims_in_progress_are_never_evicted() {
        let mut set = SeenSet::new(3, 1 << 20);
        for key in ["a", "b", "c"] {
            assert_eq!(set.claim(key, "t", 0, 10), Claim::New);
            assert!(set.complete(key, "t", 0, 1_000_000));
        }
        let claims = [("x", "tx"), ("y", "ty"), ("z", "tz")];
        for (now, (key, token)) in claims.iter().enumerate() {
            assert_eq!(
                set.claim(key, token, now as u64 + 1, 60_000),
                Claim::New,
                "{key}"
            );
        }
        assert_eq!(
            set.claim("w", "tw", 4, 60_000),
            Claim::InProgress,
            "full of claims"
        );
        assert_eq!(
            set.claim("x", "again", 5, 60_000),
            Claim::InProgress,
            "x is held"
        );
        assert!(
            set.complete("x", "tx", 6, 1_000_000),
            "x's handler completes"
        );
        assert_eq!(set.status("x", 7), Claim::Duplicate);
    }
}
