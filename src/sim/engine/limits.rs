//! Request-rate limits as token buckets of capacity units: DynamoDB read and write
//! capacity (with its burst allowance, or on-demand limits that follow the traffic's
//! peaks) and S3's per-prefix request rates.

use std::collections::VecDeque;

use crate::sim::build::RateLimit;
use crate::sim::events::{SECOND, SimTime, to_secs};

/// Seconds in a minute, the granularity of on-demand peaks.
const MINUTE: SimTime = 60 * SECOND;

/// A station's buckets at run time.
#[derive(Clone, Debug)]
pub(crate) struct Throttle {
    read_tokens: f64,
    write_tokens: f64,
    refilled_at: SimTime,
    /// The limits in force, units per second (on-demand: they grow with the peaks).
    read_rate: f64,
    write_rate: f64,
    /// On-demand peaks: units used in the current second, the highest second of the
    /// current minute, minutes not yet settled (end, read peak, write peak), and the
    /// highest settled peak.
    second: u64,
    read_in_second: f64,
    write_in_second: f64,
    minute_read_peak: f64,
    minute_write_peak: f64,
    pending: VecDeque<(SimTime, f64, f64)>,
    settled_read: f64,
    settled_write: f64,
    /// Units taken over the whole run (read, write): what on-demand capacity bills.
    pub consumed: [f64; 2],
}

impl Throttle {
    /// Buckets that start full: a table or bucket idle before the run has its burst
    /// allowance.
    pub(crate) fn new(limit: &RateLimit) -> Self {
        let burst = limit.burst_secs.max(1.0);
        Throttle {
            read_tokens: limit.read_per_sec * burst,
            write_tokens: limit.write_per_sec * burst,
            refilled_at: 0,
            read_rate: limit.read_per_sec,
            write_rate: limit.write_per_sec,
            second: 0,
            read_in_second: 0.0,
            write_in_second: 0.0,
            minute_read_peak: 0.0,
            minute_write_peak: 0.0,
            pending: VecDeque::new(),
            settled_read: 0.0,
            settled_write: 0.0,
            consumed: [0.0; 2],
        }
    }

    /// The limits in force now, units per second (read, write).
    pub(crate) fn rates(&self) -> (f64, f64) {
        (self.read_rate, self.write_rate)
    }

    /// Takes the units of one request if the bucket holds them; false means throttled.
    pub(crate) fn admit(&mut self, limit: &RateLimit, now: SimTime, write: bool) -> bool {
        if limit.on_demand.is_some() {
            self.follow_peaks(limit, now);
        }
        let dt = to_secs(now.saturating_sub(self.refilled_at));
        self.refilled_at = self.refilled_at.max(now);
        let burst = limit.burst_secs.max(1.0);
        self.read_tokens = (self.read_tokens + self.read_rate * dt).min(self.read_rate * burst);
        self.write_tokens = (self.write_tokens + self.write_rate * dt).min(self.write_rate * burst);
        let (tokens, used, units) = if write {
            (
                &mut self.write_tokens,
                &mut self.write_in_second,
                limit.write_units,
            )
        } else {
            (
                &mut self.read_tokens,
                &mut self.read_in_second,
                limit.read_units,
            )
        };
        if *tokens + 1e-9 < units {
            return false;
        }
        *tokens -= units;
        *used += units;
        self.consumed[usize::from(write)] += units;
        true
    }

    /// Rolls the per-second usage into minute peaks, settles peaks old enough, and sets the
    /// limits to twice the settled peak (never below the initial limits nor above the
    /// table's maximum).
    fn follow_peaks(&mut self, limit: &RateLimit, now: SimTime) {
        let Some(on_demand) = limit.on_demand else {
            return;
        };
        let second = now / SECOND;
        if second != self.second {
            self.minute_read_peak = self.minute_read_peak.max(self.read_in_second);
            self.minute_write_peak = self.minute_write_peak.max(self.write_in_second);
            self.read_in_second = 0.0;
            self.write_in_second = 0.0;
            let old_minute = self.second * SECOND / MINUTE;
            if now / MINUTE != old_minute {
                self.pending.push_back((
                    (old_minute + 1) * MINUTE,
                    self.minute_read_peak,
                    self.minute_write_peak,
                ));
                self.minute_read_peak = 0.0;
                self.minute_write_peak = 0.0;
            }
            self.second = second;
        }
        let settle = crate::sim::events::from_secs(on_demand.settle_secs);
        while let Some(&(end, read, write)) = self.pending.front() {
            if end + settle > now {
                break;
            }
            self.settled_read = self.settled_read.max(read);
            self.settled_write = self.settled_write.max(write);
            self.pending.pop_front();
        }
        self.read_rate = (2.0 * self.settled_read)
            .max(limit.read_per_sec)
            .min(on_demand.max_read_per_sec);
        self.write_rate = (2.0 * self.settled_write)
            .max(limit.write_per_sec)
            .min(on_demand.max_write_per_sec);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::build::OnDemand;

    fn provisioned(rcu: f64, burst_secs: f64) -> RateLimit {
        RateLimit {
            read_per_sec: rcu,
            write_per_sec: rcu,
            read_units: 1.0,
            write_units: 1.0,
            burst_secs,
            on_demand: None,
        }
    }

    /// Requests at `rps` for `secs` seconds from `start`: how many were admitted.
    fn admitted(t: &mut Throttle, limit: &RateLimit, start: f64, rps: f64, secs: f64) -> u64 {
        let n = (rps * secs) as u64;
        (0..n)
            .filter(|i| {
                let at = crate::sim::events::from_secs(start + *i as f64 / rps);
                t.admit(limit, at, false)
            })
            .count() as u64
    }

    #[test]
    fn provisioned_capacity_admits_its_rate_after_the_burst_is_spent() {
        let limit = provisioned(100.0, 300.0);
        let mut t = Throttle::new(&limit);
        // 200/s for 600 s: the 30,000-unit burst lasts 300 s at an excess of 100/s; then
        // 100/s pass.
        let n = admitted(&mut t, &limit, 0.0, 200.0, 600.0);
        let expected = 200.0 * 300.0 + 100.0 * 300.0;
        assert!((n as f64 - expected).abs() < 300.0, "{n} vs {expected}");
    }

    #[test]
    fn without_burst_the_excess_is_throttled_at_once() {
        let limit = provisioned(100.0, 1.0);
        let mut t = Throttle::new(&limit);
        let n = admitted(&mut t, &limit, 0.0, 150.0, 100.0);
        assert!((n as f64 - 100.0 * 100.0).abs() < 200.0, "{n}");
    }

    #[test]
    fn on_demand_limits_double_the_settled_peak() {
        let limit = RateLimit {
            read_per_sec: 100.0,
            write_per_sec: 100.0,
            read_units: 1.0,
            write_units: 1.0,
            burst_secs: 1.0,
            on_demand: Some(OnDemand {
                max_read_per_sec: 1000.0,
                max_write_per_sec: 1000.0,
                settle_secs: 1800.0,
            }),
        };
        let mut t = Throttle::new(&limit);
        // 90/s for an hour: the peak settles, and the limit becomes 180/s.
        admitted(&mut t, &limit, 0.0, 90.0, 3600.0);
        assert!((t.rates().0 - 180.0).abs() < 5.0, "{:?}", t.rates());
        // 170/s now passes; 400/s gets about 180/s through.
        assert!(admitted(&mut t, &limit, 3600.0, 170.0, 60.0) >= 170 * 60 - 10);
        let n = admitted(&mut t, &limit, 3660.0, 400.0, 60.0);
        assert!((n as f64 - 180.0 * 60.0).abs() < 400.0, "{n}");
    }
}
