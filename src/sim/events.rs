//! Simulated time and the time-ordered event queue.
//!
//! Time is integer nanoseconds, so that ordering is exact and identical on every machine;
//! events at the same instant run in the order they were scheduled.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// A point in simulated time, in nanoseconds from the start of the run.
pub type SimTime = u64;

/// Nanoseconds in a second.
pub const SECOND: SimTime = 1_000_000_000;

/// Seconds as simulated time, rounded to the nanosecond (negative and NaN become 0).
pub fn from_secs(secs: f64) -> SimTime {
    if secs.is_finite() && secs > 0.0 {
        // Adding a half and truncating rounds a positive value, without a libm call.
        (secs * SECOND as f64 + 0.5) as SimTime
    } else {
        0
    }
}

/// Simulated time as seconds.
pub fn to_secs(t: SimTime) -> f64 {
    t as f64 / SECOND as f64
}

/// What happens at an instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// A traffic source emits its next request.
    Arrival {
        /// The source.
        source: u32,
    },
    /// A server finishes a request.
    Finish {
        /// The station.
        station: u32,
        /// The request, by its slot.
        request: u32,
        /// The station's life when the work started: a finish from before a failure is
        /// void.
        epoch: u32,
    },
    /// A load balancer checks the health of its targets.
    HealthCheck {
        /// The balancer.
        balancer: u32,
    },
    /// An Auto Scaling group checks its instances and replaces the unhealthy ones.
    GroupCheck {
        /// The group.
        group: u32,
    },
    /// A launched instance (or a failed-over database) is ready to serve.
    Ready {
        /// The station.
        station: u32,
    },
    /// An Auto Scaling group's metric period ends: a datapoint, and its policies act.
    MetricTick {
        /// The group.
        group: u32,
    },
    /// A scaled-in instance has drained and is terminated.
    Retire {
        /// The station.
        station: u32,
    },
    /// Route 53 checks the health of a record's values.
    DnsCheck {
        /// The hosted zone.
        relay: u32,
    },
    /// Resolvers' cached answers expire: they see Route 53's new view of a value.
    DnsAnswer {
        /// The hosted zone.
        relay: u32,
        /// The value.
        answer: u32,
        /// Whether it is healthy.
        healthy: bool,
    },
    /// A queued message's delay or visibility timeout ends.
    MessageVisible {
        /// The message, by its slot.
        message: u32,
        /// The receive (or delay) it ends: older ones are stale.
        attempt: u64,
    },
    /// Queue depths are recorded.
    Sample,
    /// An interrupted spot instance's two minutes are up.
    SpotEnd {
        /// The instance.
        station: u32,
    },
    /// A CloudWatch alarm's period ends: a datapoint, an evaluation, its actions.
    AlarmTick {
        /// The alarm.
        alarm: u32,
    },
    /// A scheduled action of an Auto Scaling group is due.
    Scheduled {
        /// The action.
        index: u32,
    },
    /// A scheduled action (a failure, a restoration, a new rate) takes effect.
    Action {
        /// Index into the run's actions.
        index: u32,
    },
}

/// An event with its order: time, then scheduling order, packed in one key so that the
/// heap compares a single integer.
#[derive(Clone, Debug)]
struct Entry {
    key: u128,
    event: Event,
}

impl Entry {
    fn time(&self) -> SimTime {
        (self.key >> 64) as SimTime
    }
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

impl Eq for Entry {}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Entry {
    // Reversed: the heap pops the earliest (then first scheduled) entry.
    #[inline]
    fn cmp(&self, other: &Self) -> Ordering {
        other.key.cmp(&self.key)
    }
}

/// The pending events, earliest first.
#[derive(Clone, Debug, Default)]
pub struct EventQueue {
    heap: BinaryHeap<Entry>,
    seq: u64,
}

impl EventQueue {
    /// Schedules `event` at `time`.
    pub fn push(&mut self, time: SimTime, event: Event) {
        self.seq += 1;
        self.heap.push(Entry {
            key: u128::from(time) << 64 | u128::from(self.seq),
            event,
        });
    }

    /// The time of the next event.
    pub fn peek_time(&self) -> Option<SimTime> {
        self.heap.peek().map(Entry::time)
    }

    /// Takes the next event.
    pub fn pop(&mut self) -> Option<(SimTime, Event)> {
        self.heap.pop().map(|e| (e.time(), e.event))
    }
}

/// A digest of the processed events, equal exactly when two runs saw the same events at the
/// same times: FNV-1a's mixing, a 64-bit word at a time (one multiply per word rather than
/// per byte keeps it off the engine's profile).
#[derive(Clone, Copy, Debug)]
pub struct Digest(u64);

impl Default for Digest {
    fn default() -> Self {
        Digest(0xcbf2_9ce4_8422_2325)
    }
}

impl Digest {
    const PRIME: u64 = 0x0100_0000_01b3;

    /// Folds in one processed event.
    #[inline]
    pub fn add(&mut self, time: SimTime, kind: u8, node: u32) {
        self.0 = (self.0 ^ time).wrapping_mul(Self::PRIME);
        self.0 = (self.0 ^ (u64::from(kind) << 32 | u64::from(node))).wrapping_mul(Self::PRIME);
    }

    /// The digest as 16 hex digits.
    pub fn hex(self) -> String {
        format!("{:016x}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_pop_in_time_order_and_ties_in_scheduling_order() {
        let mut q = EventQueue::default();
        q.push(5, Event::Arrival { source: 1 });
        q.push(3, Event::Arrival { source: 2 });
        q.push(5, Event::Arrival { source: 3 });
        let order: Vec<_> = std::iter::from_fn(|| q.pop()).collect();
        assert_eq!(
            order,
            vec![
                (3, Event::Arrival { source: 2 }),
                (5, Event::Arrival { source: 1 }),
                (5, Event::Arrival { source: 3 }),
            ]
        );
    }

    #[test]
    fn times_convert_to_the_nanosecond() {
        assert_eq!(from_secs(1.5), 1_500_000_000);
        assert_eq!(from_secs(-1.0), 0);
        assert_eq!(from_secs(f64::NAN), 0);
        assert!((to_secs(from_secs(0.25)) - 0.25).abs() < 1e-12);
    }
}
