//! What a run measures: failures by reason, latency percentiles and per-station queueing
//! statistics.

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
    /// No answer in time: a load balancer's idle timeout or API Gateway's integration
    /// timeout passed (HTTP 504), or a Lambda function ran past its timeout.
    Timeout = 7,
}

impl Failure {
    /// Number of reasons.
    pub const COUNT: usize = 8;
    /// Every reason, in index order.
    pub const ALL: [Failure; Self::COUNT] = [
        Failure::QueueFull,
        Failure::NoTarget,
        Failure::InstanceDown,
        Failure::AppError,
        Failure::FailoverInProgress,
        Failure::Throttled,
        Failure::Blocked,
        Failure::Timeout,
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
            Failure::Timeout => "timed out",
        }
    }
}

/// Response times over a whole run: their exact mean and a log-linear histogram within
/// 0.4 % of each value, in fixed memory whatever the run's length.
#[derive(Clone, Debug, Default)]
pub struct Latency {
    histogram: RunHistogram,
    sum_secs: f64,
}

/// The precision of a whole run's response times, and of the timeline's windows (which
/// share a response's bucket with the run's).
pub type RunHistogram = LogHistogram<7>;

impl Latency {
    /// Records one response time.
    #[inline]
    pub fn record(&mut self, t: SimTime) {
        self.record_at(RunHistogram::index_of(t), t);
    }

    /// Records response time `t`, whose bucket `index` was found already.
    #[inline]
    pub fn record_at(&mut self, index: usize, t: SimTime) {
        self.histogram.record_at(index);
        self.sum_secs += t as f64 / 1e9;
    }

    /// Responses recorded.
    pub fn count(&self) -> u64 {
        self.histogram.count()
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
            self.histogram.quantiles_ms([q])[0] / 1000.0
        }
    }
}

/// Response times of one short window (a timeline bucket, or a tier): values kept within
/// 1/64 of themselves (about 1.6 %), cheap to record into and to clear.
pub type WindowLatency = LogHistogram<5>;

/// A log-linear histogram of microseconds: each power of two is cut into `2^SUB`
/// sub-buckets, so a value is kept within `1 / 2^(SUB+1)` of itself. Recording is an
/// index computation and an increment (no floating point).
#[derive(Clone, Debug)]
pub struct LogHistogram<const SUB: u32> {
    counts: Vec<u64>,
    count: u64,
}

impl<const SUB: u32> Default for LogHistogram<SUB> {
    fn default() -> Self {
        Self {
            counts: vec![0; (64 << SUB) as usize],
            count: 0,
        }
    }
}

impl<const SUB: u32> LogHistogram<SUB> {
    #[inline]
    fn index(micros: u64) -> usize {
        let v = micros.max(1);
        let exponent = 63 - v.leading_zeros();
        // The bits right below the leading one pick the sub-bucket.
        let sub = if exponent >= SUB {
            (v >> (exponent - SUB)) & ((1 << SUB) - 1)
        } else {
            (v << (SUB - exponent)) & ((1 << SUB) - 1)
        };
        ((exponent << SUB) as u64 | sub) as usize
    }

    /// The middle of a bucket, in microseconds.
    fn middle(index: usize) -> f64 {
        let exponent = (index >> SUB) as i32;
        let sub = (index & ((1 << SUB) - 1)) as f64;
        let step = 2f64.powi(exponent) / f64::from(1u32 << SUB);
        2f64.powi(exponent) + (sub + 0.5) * step
    }

    /// Records one response time.
    #[inline]
    pub fn record(&mut self, t: SimTime) {
        self.record_at(Self::index_of(t));
    }

    /// The bucket of response time `t`.
    #[inline]
    pub fn index_of(t: SimTime) -> usize {
        Self::index(t / 1_000)
    }

    /// Records a response time whose bucket is `index`.
    #[inline]
    pub fn record_at(&mut self, index: usize) {
        self.counts[index] += 1;
        self.count += 1;
    }

    /// Responses recorded.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// The responses recorded since `earlier`, a reading of the same histogram.
    pub fn since(&self, earlier: &Self) -> Self {
        let counts: Vec<u64> = self
            .counts
            .iter()
            .zip(&earlier.counts)
            .map(|(now, then)| now.saturating_sub(*then))
            .collect();
        Self {
            count: counts.iter().sum(),
            counts,
        }
    }

    /// Forgets every response.
    pub fn reset(&mut self) {
        if self.count > 0 {
            self.counts.fill(0);
            self.count = 0;
        }
    }

    /// The `q` quantiles (ascending) in milliseconds, in one pass.
    pub fn quantiles_ms<const N: usize>(&self, qs: [f64; N]) -> [f64; N] {
        let mut out = [0.0; N];
        let mut seen = 0u64;
        let mut k = 0;
        for (i, &c) in self.counts.iter().enumerate() {
            if c == 0 {
                continue;
            }
            seen += c;
            while k < N && seen as f64 >= qs[k] * self.count as f64 {
                out[k] = Self::middle(i) / 1000.0;
                k += 1;
            }
            if k == N {
                break;
            }
        }
        out
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_percentiles_are_within_two_percent() {
        let mut w = WindowLatency::default();
        // 1 ms to 10 s, evenly: the q quantile is q × 10 s.
        for i in 1..=10_000u64 {
            w.record(i * 1_000_000);
        }
        let [p50, p95, p99] = w.quantiles_ms([0.5, 0.95, 0.99]);
        for (got, want) in [(p50, 5_000.0), (p95, 9_500.0), (p99, 9_900.0)] {
            assert!((got / want - 1.0).abs() < 0.02, "{got} vs {want}");
        }
        let earlier = w.clone();
        for _ in 0..100 {
            w.record(20_000_000_000);
        }
        let since = w.since(&earlier);
        assert_eq!(since.count(), 100, "only what came after the reading");
        let [p50] = since.quantiles_ms([0.5]);
        assert!((p50 / 20_000.0 - 1.0).abs() < 0.02, "{p50}");
        let times = TierTimes::new(w.clone(), 4.0);
        let [p50, _, _] = times
            .percentiles_since(Some(&TierTimes::new(earlier, 4.0)))
            .unwrap_or_default();
        assert!(
            (p50 / 5_000.0 - 1.0).abs() < 0.02,
            "a sampled run's times shrink by its weight"
        );
        w.reset();
        assert_eq!(w.count(), 0);
        w.record(150_000);
        let [only] = w.quantiles_ms([0.5]);
        assert!((only / 0.15 - 1.0).abs() < 0.02, "{only}");
    }

    #[test]
    fn run_percentiles_are_within_half_a_percent_and_the_mean_is_exact() {
        let mut l = Latency::default();
        // 10 µs to 100 s, evenly in 10 µs steps.
        for i in 1..=10_000_000u64 {
            l.record(i * 10_000);
        }
        for q in [0.5, 0.95, 0.99, 0.999] {
            let want = q * 100.0;
            let got = l.quantile_secs(q);
            assert!(
                (got / want - 1.0).abs() < 0.005,
                "q {q}: {got} s vs {want} s"
            );
        }
        assert!(
            (l.mean_secs() - 50.000005).abs() < 1e-6,
            "{}",
            l.mean_secs()
        );
        assert_eq!(l.count(), 10_000_000);
    }
}

/// Response times at one resource so far (its calls included), read from a run: the
/// percentiles of any interval are those of the difference of two readings.
#[derive(Clone, Debug, Default)]
pub struct TierTimes {
    histogram: WindowLatency,
    /// The run's sampling weight: a sampled run's times are stretched by it.
    weight: f64,
}

impl TierTimes {
    pub(crate) fn new(histogram: WindowLatency, weight: f64) -> Self {
        TierTimes { histogram, weight }
    }

    /// Responses so far.
    pub fn count(&self) -> u64 {
        self.histogram.count()
    }

    /// p50, p95 and p99 in milliseconds of the responses since `earlier` (all of them
    /// without), if there were any.
    pub fn percentiles_since(&self, earlier: Option<&TierTimes>) -> Option<[f64; 3]> {
        let window = match earlier {
            Some(e) => self.histogram.since(&e.histogram),
            None => self.histogram.clone(),
        };
        (window.count() > 0).then(|| {
            let k = self.weight.max(1.0);
            window.quantiles_ms([0.5, 0.95, 0.99]).map(|v| v / k)
        })
    }
}
