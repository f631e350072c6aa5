//! A sampled run's figures in real requests: counts (and rates of counts) multiplied by
//! the sampling weight, request times divided by it; levels (requests in a station or a
//! queue at once), utilisations, ratios and AWS's own clocks unchanged. See
//! `build::sampling` for how the run is dilated.

use super::{RunReport, Snapshot, Usage};

fn times(n: u64, k: f64) -> u64 {
    (n as f64 * k).round() as u64
}

/// `r` in real requests for weight `k`.
pub(super) fn report(mut r: RunReport, k: f64) -> RunReport {
    if k <= 1.0 {
        return r;
    }
    for n in [
        &mut r.arrived,
        &mut r.completed,
        &mut r.failed,
        &mut r.in_flight,
        &mut r.measured_arrived,
    ] {
        *n = times(*n, k);
    }
    for (_, n) in &mut r.failures {
        *n = times(*n, k);
    }
    for (_, n) in r
        .sources
        .iter_mut()
        .chain(r.balancers.iter_mut())
        .chain(r.edge_answers.iter_mut())
        .chain(r.not_modelled.iter_mut())
    {
        *n = times(*n, k);
    }
    for secs in [
        &mut r.mean_response_secs,
        &mut r.p50_secs,
        &mut r.p95_secs,
        &mut r.p99_secs,
    ] {
        *secs /= k;
    }
    for s in &mut r.stations {
        s.arrivals = times(s.arrivals, k);
        s.completed = times(s.completed, k);
        s.departure_rps *= k;
        s.throughput_rps *= k;
        s.mean_response_secs /= k;
        s.mean_sojourn_secs /= k;
        if let Some(lag) = &mut s.replica_lag_secs {
            lag.iter_mut().for_each(|v| *v /= k);
        }
    }
    for t in &mut r.tiers {
        t.answered = times(t.answered, k);
        t.latency_ms.iter_mut().for_each(|v| *v /= k);
    }
    for b in &mut r.timeline {
        b.completed = times(b.completed, k);
        b.failed = times(b.failed, k);
        if let Some(l) = &mut b.latency_ms {
            l.iter_mut().for_each(|v| *v /= k);
        }
    }
    for f in &mut r.failures_by_resource {
        f.count = times(f.count, k);
    }
    for b in &mut r.blocked_links {
        b.requests = times(b.requests, k);
    }
    for x in &mut r.resilience {
        x.requests_lost = times(x.requests_lost, k);
    }
    for q in &mut r.queues {
        let c = &mut q.counts;
        for n in [
            &mut c.sent,
            &mut c.received,
            &mut c.deleted,
            &mut c.duplicates,
            &mut c.failed_jobs,
            &mut c.dead_lettered,
            &mut c.expired,
        ] {
            *n = times(*n, k);
        }
        q.mean_age_secs /= k;
        q.p99_age_secs /= k;
    }
    r.error_budget = super::ErrorBudget::new(
        r.error_budget.objective_percent,
        times(r.error_budget.requests, k),
        times(r.error_budget.failed, k),
    );
    r.sample_weight = k as u32;
    r
}

/// `u` in real requests for weight `k` (its data, capacity units, held time and CPU are
/// real already).
pub(super) fn usage(mut u: Usage, k: f64) -> Usage {
    if k <= 1.0 {
        return u;
    }
    for n in &mut u.nodes {
        n.requests = times(n.requests, k);
        n.writes = times(n.writes, k);
        n.from_sources = times(n.from_sources, k);
    }
    for s in &mut u.stations {
        s.served = times(s.served, k);
    }
    for (_, n) in &mut u.queue_requests {
        *n = times(*n, k);
    }
    u
}

/// `s` in real requests for weight `k`.
pub(super) fn snapshot(mut s: Snapshot, k: f64) -> Snapshot {
    if k <= 1.0 {
        return s;
    }
    let t = &mut s.totals;
    for n in [
        &mut t.arrived,
        &mut t.completed,
        &mut t.failed,
        &mut t.in_flight,
    ] {
        *n = times(*n, k);
    }
    if let Some(l) = &mut t.latency_ms {
        l.iter_mut().for_each(|v| *v /= k);
    }
    s.node_failed_per_sec.iter_mut().for_each(|v| *v *= k);
    for v in &mut s.servers {
        v.requests_per_sec *= k;
        v.errors_per_sec *= k;
        if let Some(lag) = &mut v.replica_lag_secs {
            *lag /= k;
        }
    }
    for l in &mut s.links {
        l.per_sec *= k;
        l.failed_per_sec *= k;
        l.total = times(l.total, k);
    }
    s
}
