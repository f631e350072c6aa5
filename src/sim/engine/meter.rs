//! Recent rates of a count: how many requests crossed a link or reached a resource in the
//! last few seconds, for the live view. Kept lazily: each increment rolls the history on
//! only when the second has changed, so a quiet meter costs nothing.

use crate::sim::events::{SECOND, SimTime, to_secs};

/// Seconds a rate is averaged over.
pub const RATE_WINDOW_SECS: u64 = 10;

/// Slots of history: one more than the window, so that the start of the window is always
/// still known.
const SLOTS: usize = RATE_WINDOW_SECS as usize + 1;

/// A count and its value at the start of each of the last seconds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Meter {
    total: u64,
    /// The second of the latest increment.
    second: u64,
    /// The count at the start of second `s`, at `s % SLOTS`, for the last `SLOTS` seconds
    /// up to `second`.
    at_start: [u64; SLOTS],
    /// When the second after `second` starts.
    next_second: SimTime,
}

impl Default for Meter {
    fn default() -> Self {
        Meter {
            total: 0,
            second: 0,
            at_start: [0; SLOTS],
            next_second: SECOND,
        }
    }
}

impl Meter {
    /// Counts one at `now`.
    #[inline]
    pub fn add(&mut self, now: SimTime) {
        // A comparison, not a division, on the common path (time only moves forward).
        if now >= self.next_second {
            self.roll(now / SECOND);
        }
        self.total += 1;
    }

    fn roll(&mut self, s: u64) {
        self.next_second = (s + 1) * SECOND;
        // Seconds between the latest increment and now had no increments: each started
        // with the count as it is.
        let first = (self.second + 1).max(s.saturating_sub(SLOTS as u64 - 1));
        for second in first..=s {
            self.at_start[(second % SLOTS as u64) as usize] = self.total;
        }
        self.second = s;
    }

    /// Everything counted.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// The count at the start of second `s`, for `s` within the window of `now`.
    fn at_start_of(&self, s: u64) -> u64 {
        if s > self.second {
            self.total
        } else {
            self.at_start[(s % SLOTS as u64) as usize]
        }
    }

    /// Per second over the last `RATE_WINDOW_SECS` seconds (less at the start of a run).
    pub fn rate(&self, now: SimTime) -> f64 {
        let s = now / SECOND;
        let from = s.saturating_sub(RATE_WINDOW_SECS);
        let span = to_secs(now) - from as f64;
        if span <= 0.0 {
            return 0.0;
        }
        (self.total - self.at_start_of(from)) as f64 / span
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: f64) -> SimTime {
        crate::sim::events::from_secs(secs)
    }

    #[test]
    fn steady_counts_give_their_rate() {
        let mut m = Meter::default();
        // 5 a second for a minute.
        for i in 0..300 {
            m.add(at(f64::from(i) * 0.2));
        }
        assert_eq!(m.total(), 300);
        let rate = m.rate(at(60.0));
        assert!((rate - 5.0).abs() < 1e-9, "{rate}");
    }

    #[test]
    fn the_rate_falls_to_zero_once_counts_stop() {
        let mut m = Meter::default();
        for i in 0..100 {
            m.add(at(f64::from(i) * 0.1));
        }
        assert!(m.rate(at(10.0)) > 9.0);
        // Half the window later, half the rate; a whole window later, nothing.
        let half = m.rate(at(15.0));
        assert!((half - 100.0 / 10.0 * 0.5).abs() < 1e-9, "{half}");
        assert_eq!(m.rate(at(21.0)), 0.0);
        assert_eq!(m.rate(at(5000.0)), 0.0);
    }

    #[test]
    fn a_burst_after_a_long_quiet_spell_counts_only_itself() {
        let mut m = Meter::default();
        m.add(at(1.0));
        for _ in 0..20 {
            m.add(at(1000.5));
        }
        let rate = m.rate(at(1001.0));
        assert!((rate - 2.0).abs() < 1e-9, "{rate}");
    }

    #[test]
    fn early_in_a_run_the_window_is_what_has_passed() {
        let mut m = Meter::default();
        for i in 0..4 {
            m.add(at(f64::from(i) * 0.5));
        }
        assert!((m.rate(at(2.0)) - 2.0).abs() < 1e-9);
    }
}
