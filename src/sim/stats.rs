//! What a run measures: failures by reason, latency percentiles and per-station queueing
//! statistics.

use hdrhistogram::Histogram;

use super::events::SimTime;

/// Why a request failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Failure {
    /// Every server busy and the queue full: refused (HTTP 503).
    QueueFull = 0,
    /// A load balancer with no target to send to (HTTP 503).
    NoTarget = 1,
    /// The instance or database is down, or the AZ it runs in (connection refused, 502).
    InstanceDown = 2,
    /// The instance runs but its application has crashed (HTTP 500).
    AppError = 3,
    /// The database is failing over to its standby; writes and reads wait it out.
    FailoverInProgress = 4,
    /// Lambda's concurrency is used up: the invocation is throttled (HTTP 429).
    Throttled = 5,
    /// A security group, network ACL or missing route stops it, or the NAT gateway it
    /// leaves through is out (the connection times out).
    Blocked = 6,
}

impl Failure {
    /// Number of reasons.
    pub const COUNT: usize = 7;
    /// Every reason, in index order.
    pub const ALL: [Failure; Self::COUNT] = [
        Failure::QueueFull,
        Failure::NoTarget,
        Failure::InstanceDown,
        Failure::AppError,
        Failure::FailoverInProgress,
        Failure::Throttled,
        Failure::Blocked,
    ];

    /// In words.
    pub fn label(self) -> &'static str {
        match self {
            Failure::QueueFull => "queue full",
            Failure::NoTarget => "no target",
            Failure::InstanceDown => "instance down",
            Failure::AppError => "application error",
            Failure::FailoverInProgress => "failover in progress",
            Failure::Throttled => "throttled",
            Failure::Blocked => "blocked by the network",
        }
    }
}

/// Response times, in microseconds, with 3 significant digits.
#[derive(Clone, Debug)]
pub struct Latency {
    histogram: Histogram<u64>,
    sum_secs: f64,
}

impl Default for Latency {
    fn default() -> Self {
        Self {
            // One microsecond to one day at 3 significant digits: a fixed few tens of KB.
            histogram: Histogram::new_with_bounds(1, 86_400_000_000, 3)
                .unwrap_or_else(|_| Histogram::new(3).unwrap_or_else(|_| unreachable!())),
            sum_secs: 0.0,
        }
    }
}

impl Latency {
    /// Records one response time.
    pub fn record(&mut self, t: SimTime) {
        let micros = (t / 1_000).max(1);
        self.histogram.saturating_record(micros);
        self.sum_secs += t as f64 / 1e9;
    }

    /// Forgets every response, keeping the memory.
    pub fn reset(&mut self) {
        self.histogram.reset();
        self.sum_secs = 0.0;
    }

    /// Responses recorded.
    pub fn count(&self) -> u64 {
        self.histogram.len()
    }

    /// Mean in seconds (exact, not from the histogram).
    pub fn mean_secs(&self) -> f64 {
        if self.count() == 0 {
            0.0
        } else {
            self.sum_secs / self.count() as f64
        }
    }

    /// The `q` quantile in seconds.
    pub fn quantile_secs(&self, q: f64) -> f64 {
        if self.count() == 0 {
            0.0
        } else {
            self.histogram.value_at_quantile(q) as f64 / 1e6
        }
    }
}

/// Counters of one station after the warm-up.
#[derive(Clone, Debug, Default)]
pub struct StationStats {
    pub arrivals: u64,
    pub admitted: u64,
    pub waited: u64,
    pub lost: u64,
    pub completed: u64,
    pub response_sum: f64,
    /// Every admitted request that left, served or failed further down, and their total
    /// time in the station: the figures Little's law relates to the mean number inside.
    pub departed: u64,
    pub sojourn_sum: f64,
    /// Invocations that needed a new Lambda execution environment.
    pub cold_starts: u64,
    /// ∫ requests in the station dt, in request·nanoseconds.
    pub area_in_system: f64,
    /// ∫ busy servers dt, in server·nanoseconds.
    pub area_busy: f64,
}
