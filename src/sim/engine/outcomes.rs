//! How requests end: answered or failed, counted once, in the totals, the timeline of
//! 10-second buckets with their latency percentiles, and the bill so far.

use super::{Engine, Place, flows};
use crate::sim::stats::Failure;

/// Requests answered and failed in one bucket of simulated time.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize)]
pub struct Bucket {
    /// Answered.
    pub completed: u64,
    /// Failed.
    pub failed: u64,
    /// Response times of those answered: p50, p95 and p99 in milliseconds; none when
    /// nothing was answered with a response time.
    pub latency_ms: Option<[f64; 3]>,
}

/// p50, p95 and p99 in milliseconds, if anything was recorded.
fn window_percentiles(latency: &crate::sim::stats::RunHistogram) -> Option<[f64; 3]> {
    (latency.count() > 0).then(|| latency.quantiles_ms([0.5, 0.95, 0.99]))
}

/// The percentiles of two spans of responses, `a` of `a_count` and `b` of `b_count`, in
/// one: the median weighted by count, p95 and p99 the slower of the two. A bucket keeps no
/// histogram, so a rolled-up tail is an upper bound rather than exact.
fn combined(
    a: Option<[f64; 3]>,
    a_count: u64,
    b: Option<[f64; 3]>,
    b_count: u64,
) -> Option<[f64; 3]> {
    match (a, b) {
        (Some(a), Some(b)) => {
            let total = (a_count + b_count).max(1) as f64;
            let median = (a[0] * a_count as f64 + b[0] * b_count as f64) / total;
            // With no counts to weigh (edge answers only), the slower median.
            let median = if a_count + b_count == 0 {
                a[0].max(b[0])
            } else {
                median
            };
            Some([median, a[1].max(b[1]), a[2].max(b[2])])
        }
        (one, None) | (None, one) => one,
    }
}

impl crate::sim::rollup::Rollup for Bucket {
    fn absorb(&mut self, later: &Self) {
        self.latency_ms = combined(
            self.latency_ms,
            self.completed,
            later.latency_ms,
            later.completed,
        );
        self.completed += later.completed;
        self.failed += later.failed;
    }
}

impl Engine {
    /// The timeline bucket of now, created on first use.
    #[inline]
    pub(super) fn bucket(&mut self) -> &mut Bucket {
        let before = self.timeline.width();
        let i = self.timeline.index_at(self.now);
        let widened = self.timeline.width() / before;
        if widened > 1 {
            // The open window's bucket was rolled up with its neighbour.
            self.window_bucket >>= widened.trailing_zeros();
        }
        &mut self.timeline.buckets_mut()[i]
    }

    #[inline]
    pub(super) fn complete(&mut self, request: u32) {
        let r = &self.requests[request as usize];
        if self.now > r.deadline
            && let Some(place) = r.deadline_at
        {
            // The load balancer or API in front answered 504 when its timeout passed;
            // the work went on behind it (as it does on AWS) and its answer is dropped.
            self.fail(request, Failure::Timeout, place);
            return;
        }
        if let Some(number) = self.requests[request as usize].trace {
            self.end_trace(number, flows::Outcome::Completed);
        }
        if let Some(job) = self.requests[request as usize].job.take() {
            self.job_done(job);
            self.free.push(request);
            return;
        }
        let arrived = self.requests[request as usize].arrived;
        self.completed += 1;
        self.bucket().completed += 1;
        let measured = arrived >= self.settings.warmup;
        if measured {
            self.measured_completed += 1;
        }
        // Answered without an instance (an edge hit): network time is not modelled yet, so
        // it stays out of the response times rather than count as 0 ms.
        if self.now > arrived {
            let i = self.timeline.buckets().len() - 1;
            if i != self.window_bucket {
                self.close_window();
                self.window_bucket = i;
            }
            let t = self.now - arrived;
            let index = crate::sim::stats::RunHistogram::index_of(t);
            self.window_latency.record_at(index);
            if measured {
                self.latency.record_at(index, t);
            }
        }
        self.free.push(request);
    }

    /// Writes the percentiles of the open bucket into the timeline and starts afresh.
    fn close_window(&mut self) {
        let latency = self.bucket_latency(self.window_bucket);
        if let Some(bucket) = self.timeline.buckets_mut().get_mut(self.window_bucket) {
            bucket.latency_ms = latency;
        }
        self.window_latency.reset();
    }

    /// The timeline up to now, the open bucket's percentiles included.
    pub(crate) fn timeline_now(&self) -> Vec<Bucket> {
        let mut timeline = self.timeline.buckets().to_vec();
        if let Some(bucket) = timeline.get_mut(self.window_bucket) {
            bucket.latency_ms = self.bucket_latency(self.window_bucket);
        }
        timeline
    }

    /// The percentiles of timeline bucket `index`, the open one included (with what a
    /// roll-up put in its bucket before the window opened).
    pub(super) fn bucket_latency(&self, index: usize) -> Option<[f64; 3]> {
        let closed = self.timeline.buckets().get(index);
        let closed_latency = closed.and_then(|b| b.latency_ms);
        if index != self.window_bucket {
            return closed_latency;
        }
        let open = self.window_latency.count();
        let before = closed.map_or(0, |b| b.completed.saturating_sub(open));
        combined(
            closed_latency,
            before,
            window_percentiles(&self.window_latency),
            open,
        )
    }

    /// Each resource's response times so far, as histograms to difference.
    pub(crate) fn tier_times(
        &self,
    ) -> Vec<(crate::model::ResourceId, crate::sim::stats::TierTimes)> {
        self.tier_latency
            .iter()
            .enumerate()
            .filter_map(|(node, h)| {
                let h = h.as_ref()?;
                Some((
                    self.flows.nodes[node].clone(),
                    crate::sim::stats::TierTimes::new((**h).clone(), self.weight),
                ))
            })
            .collect()
    }

    /// Response times at each tier that answered a request after the warm-up.
    pub(crate) fn tier_latencies(&self) -> Vec<crate::sim::report::TierLatency> {
        self.tier_latency
            .iter()
            .enumerate()
            .filter_map(|(node, h)| {
                let h = h.as_ref().filter(|h| h.count() > 0)?;
                Some(crate::sim::report::TierLatency {
                    resource: self.flows.nodes[node].clone(),
                    answered: h.count(),
                    latency_ms: h.quantiles_ms([0.5, 0.95, 0.99]),
                })
            })
            .collect()
    }

    pub(crate) fn compute_cost_usd(&self) -> f64 {
        // Starting from +0.0: an empty float sum is -0.0.
        self.stations
            .iter()
            .filter_map(|s| s.cost_usd(self.now))
            .fold(0.0, |a, b| a + b)
    }

    /// The request fails: every station holding it lets go, and it is counted once.
    pub(super) fn fail(&mut self, request: u32, reason: Failure, at: Place) {
        let now = self.now;
        // A request fails where it is refused, before that station holds it: every frame
        // left is a caller in service, waiting on its call.
        while let Some(frame) = self.requests[request as usize].frames.pop() {
            self.release(frame, now, false);
        }
        self.count_failure(request, reason, at);
        if self.measuring() {
            self.failures_at.entry(at).or_default()[reason as usize] += 1;
        }
        if let Some(job) = self.requests[request as usize].job.take() {
            self.job_failed(job);
            self.free.push(request);
            return;
        }
        self.failed[reason as usize] += 1;
        self.bucket().failed += 1;
        if self.measuring() {
            self.measured_failed[reason as usize] += 1;
        }
        self.free.push(request);
    }
}
