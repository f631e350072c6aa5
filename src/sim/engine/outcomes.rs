//! How requests end: answered or failed, counted once, in the totals, the timeline of
//! 10-second buckets with their latency percentiles, and the bill so far.

use super::{BUCKET, Engine, Place, flows};
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

impl Engine {
    /// The timeline bucket of now, created on first use.
    #[inline]
    pub(super) fn bucket(&mut self) -> &mut Bucket {
        let i = (self.now / BUCKET) as usize;
        if i >= self.timeline.len() {
            self.timeline.resize(i + 1, Bucket::default());
        }
        &mut self.timeline[i]
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
            let i = self.timeline.len() - 1;
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
        if let Some(bucket) = self.timeline.get_mut(self.window_bucket) {
            bucket.latency_ms = window_percentiles(&self.window_latency);
        }
        self.window_latency.reset();
    }

    /// The timeline up to now, the open bucket's percentiles included.
    pub(crate) fn timeline_now(&self) -> Vec<Bucket> {
        let mut timeline = self.timeline.clone();
        if let Some(bucket) = timeline.get_mut(self.window_bucket) {
            bucket.latency_ms = window_percentiles(&self.window_latency);
        }
        timeline
    }

    /// The percentiles of timeline bucket `index`, the open one included.
    pub(super) fn bucket_latency(&self, index: usize) -> Option<[f64; 3]> {
        if index == self.window_bucket {
            window_percentiles(&self.window_latency)
        } else {
            self.timeline.get(index).and_then(|b| b.latency_ms)
        }
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
