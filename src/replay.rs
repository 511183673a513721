//! The replay window. R2 signs only the body, so a captured delivery stays valid forever; a
//! dedup store remembers an event only for a while (and forgets on eviction or restart). The
//! signed `event_time` bounds what the store cannot: an event older than the window, or
//! further in the future than the clock skew allows, is never handled.
//!
//! The default lets every genuine delivery through: R2's automatic retries span 30 h 23 min
//! 30 s ([`r2::RETRIES`]), and its back office resends by hand
//! later still, after an outage is fixed. Fourteen days covers a receiver that was down over
//! a long holiday and a resend a week after that; the cost is that a dedup key is
//! remembered as long (see [`ReplayWindow::dedup_retention`]). Belvo sends no time: its
//! replays are bounded by its static `Authorization` token and its allowlist, and a repeat
//! inside the dedup retention is a duplicate.

use core::time::Duration;

use crate::Error;
use crate::providers::r2;

/// How old (and how far ahead) a signed R2 `event_time` may be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReplayWindow {
    max_age: Duration,
}

impl ReplayWindow {
    /// Fourteen days: see the module documentation for why.
    pub const DEFAULT_MAX_AGE: Duration = Duration::from_secs(14 * 24 * 3600);
    /// The longest window accepted: past it, a key store would have to remember every event
    /// for a season, and a captured delivery stays usable as long.
    pub const LONGEST: Duration = Duration::from_secs(90 * 24 * 3600);
    /// How far in the future an `event_time` may be: R2's clock and ours disagree a little.
    pub const CLOCK_SKEW: Duration = Duration::from_secs(5 * 60);

    /// A window of `max_age`. Shorter than R2's retry window, genuine retries would be
    /// acknowledged and dropped; longer than [`ReplayWindow::LONGEST`], replays would stay
    /// open for a season. Either is [`Error::ArgumentInvalid`]: a configuration that can only
    /// be a mistake.
    pub fn new(max_age: Duration) -> Result<Self, Error> {
        if max_age < r2::RETRIES.window() || max_age > Self::LONGEST {
            return Err(Error::ArgumentInvalid);
        }
        Ok(ReplayWindow { max_age })
    }

    /// The oldest an event may be.
    pub fn max_age(&self) -> Duration {
        self.max_age
    }

    /// Whether an event signed at `event_time` (Unix seconds) may be handled at `now` (since
    /// the Unix epoch, from the caller's clock): [`Error::EventStale`] when it is older than
    /// the window or more than [`ReplayWindow::CLOCK_SKEW`] ahead.
    ///
    /// ```
    /// use core::time::Duration;
    /// use payhook::{Error, ReplayWindow};
    /// let window = ReplayWindow::default();
    /// let now = Duration::from_secs(1_700_000_000);
    /// assert_eq!(window.check(1_700_000_000 - 3600, now), Ok(()));
    /// assert_eq!(window.check(1_700_000_000 - 15 * 86_400, now), Err(Error::EventStale));
    /// assert_eq!(window.check(1_700_000_000 + 3600, now), Err(Error::EventStale));
    /// ```
    pub fn check(&self, event_time: i64, now: Duration) -> Result<(), Error> {
        let now = i128::from(now.as_secs());
        let event_time = i128::from(event_time);
        let age = now - event_time;
        let too_old = age > i128::from(self.max_age.as_secs());
        let ahead = -age > i128::from(Self::CLOCK_SKEW.as_secs());
        if too_old || ahead {
            return Err(Error::EventStale);
        }
        Ok(())
    }

    /// How long a dedup key must be remembered so that nothing slips between the store and
    /// the window: the window and the skew, or the provider's own retention if longer.
    pub fn dedup_retention(&self) -> Duration {
        (self.max_age + Self::CLOCK_SKEW).max(r2::RETRIES.dedup_retention())
    }
}

impl Default for ReplayWindow {
    fn default() -> Self {
        ReplayWindow {
            max_age: Self::DEFAULT_MAX_AGE,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_edges() {
        let w = ReplayWindow::default();
        let now = Duration::from_secs(2_000_000_000);
        let t = 2_000_000_000_i64;
        let day = 86_400_i64;
        let cases: &[(&str, i64, Result<(), Error>)] = &[
            ("now", t, Ok(())),
            ("the last automatic retry", t - 30 * 3600 - 23 * 60, Ok(())),
            ("exactly 14 days old", t - 14 * day, Ok(())),
            ("a second older", t - 14 * day - 1, Err(Error::EventStale)),
            ("5 minutes ahead", t + 300, Ok(())),
            ("a second more", t + 301, Err(Error::EventStale)),
            ("the epoch", 0, Err(Error::EventStale)),
            ("i64::MIN", i64::MIN, Err(Error::EventStale)),
            ("i64::MAX", i64::MAX, Err(Error::EventStale)),
        ];
        for (name, event_time, expected) in cases {
            assert_eq!(w.check(*event_time, now), *expected, "{name}");
        }
    }

    #[test]
    fn configuration_that_can_only_be_a_mistake() {
        let hour = Duration::from_secs(3600);
        assert_eq!(ReplayWindow::new(hour), Err(Error::ArgumentInvalid));
        assert_eq!(
            ReplayWindow::new(r2::RETRIES.window() - Duration::from_secs(1)),
            Err(Error::ArgumentInvalid)
        );
        assert!(ReplayWindow::new(r2::RETRIES.window()).is_ok());
        assert!(ReplayWindow::new(ReplayWindow::LONGEST).is_ok());
        assert_eq!(
            ReplayWindow::new(ReplayWindow::LONGEST + Duration::from_secs(1)),
            Err(Error::ArgumentInvalid)
        );
    }

    #[test]
    fn retention_covers_the_window() {
        let w = ReplayWindow::default();
        assert!(w.dedup_retention() >= w.max_age() + ReplayWindow::CLOCK_SKEW);
        let short = ReplayWindow::new(r2::RETRIES.window()).unwrap_or_default();
        assert!(short.dedup_retention() >= r2::RETRIES.dedup_retention());
    }
}
