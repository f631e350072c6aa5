//! The sampling weight: one simulated request stands for `k` real ones. The network is
//! run time-dilated — sources send `k` times less often and every request's own time
//! (service, cold start, latency added, timeouts that measure it, keep-warm gaps,
//! visibility timeouts) is `k` times longer — so every station keeps its utilisation and
//! its queueing, stretched in time by `k`, and as many requests wait in it as in the real
//! system (so queue capacities stay); each request takes `k` times the capacity units and
//! data. The report multiplies counts by `k` and divides request times by `k`. AWS's own
//! clocks (health checks, launches, failovers, scaling periods, TTLs) are not dilated.
//!
//! What stays approximate: the `k` requests a simulated one stands for share its fate (the
//! same cache hit, the same route), so counts are unbiased but vary more; a failure
//! catches `k` times too many requests in flight.

use super::Net;

/// Dilates `net` for sampling weight `k` (1 leaves it unchanged).
pub(crate) fn dilate(net: &mut Net, k: f64) {
    if k <= 1.0 {
        return;
    }
    for source in &mut net.sources {
        source.rate_scale = 1.0 / k;
        source.peak_rps /= k;
        source.response_kb *= k;
    }
    for s in &mut net.stations {
        s.mean_service_secs *= k;
        if let Some(lambda) = &mut s.lambda {
            lambda.cold_start_secs *= k;
            lambda.keep_warm_secs *= k;
            lambda.timeout_secs *= k;
        }
        if let Some(limit) = &mut s.limit {
            limit.read_units *= k;
            limit.write_units *= k;
        }
    }
    for b in &mut net.balancers {
        b.timeout_secs = b.timeout_secs.map(|t| t * k);
    }
    for r in &mut net.relays {
        r.timeout_secs = r.timeout_secs.map(|t| t * k);
    }
    for q in &mut net.queues {
        q.visibility_secs *= k;
    }
}
