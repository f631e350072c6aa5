//! The outcome of a run: requests served and failed, latency percentiles, availability,
//! and for each station the queueing figures the formulas predict.

use serde::Serialize;

use super::engine::Engine;
use super::events::to_secs;
use super::stats::Failure;
use crate::model::ResourceId;

/// What one station measured after the warm-up.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StationReport {
    /// The instance.
    pub id: ResourceId,
    /// What it is: compute, database, cache, store or queue.
    pub role: super::build::Role,
    /// The Auto Scaling group it belongs to.
    pub group: Option<ResourceId>,
    /// Requests served at once.
    pub servers: u32,
    /// Requests it holds at most, in service and waiting.
    pub capacity: u32,
    /// Requests that reached it.
    pub arrivals: u64,
    /// Requests it served.
    pub completed: u64,
    /// Share of admitted requests that had to wait.
    pub p_wait: f64,
    /// Share of arrivals refused because it was full.
    pub p_loss: f64,
    /// Mean time from arrival to response of what it served, in seconds.
    pub mean_response_secs: f64,
    /// Mean number of requests in it (L).
    pub mean_in_system: f64,
    /// Mean time admitted requests spent in it within the measured window, served or
    /// failed further down, those still inside counted as leaving at the end: the W of
    /// Little's law, so that L = λ·W holds exactly over the window.
    pub mean_sojourn_secs: f64,
    /// Admitted requests leaving per second (those still inside counted at the end).
    pub departure_rps: f64,
    /// Served per second.
    pub throughput_rps: f64,
    /// Share of server time busy.
    pub utilization: f64,
    /// Invocations that started a new Lambda execution environment (after warm-up).
    pub cold_starts: u64,
    /// Hours it ran (billed) during the whole run.
    pub billed_hours: f64,
    /// What those hours cost at list price; none when the data has no price.
    pub cost_usd: Option<f64>,
    /// Read and write capacity units a second in force at the end (DynamoDB, S3).
    pub rate_limits: Option<[f64; 2]>,
    /// A read replica: the mean and the most lag its reads saw, in seconds.
    pub replica_lag_secs: Option<[f64; 2]>,
}

/// The outcome of a run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RunReport {
    /// Seed of the run.
    pub seed: u64,
    /// Real requests each simulated request stood for (1: every request simulated).
    pub sample_weight: u32,
    /// Simulated seconds run so far.
    pub simulated_secs: f64,
    /// Seconds of warm-up left out of the statistics.
    pub warmup_secs: f64,
    /// Events processed.
    pub events: u64,
    /// Digest of the event log: equal runs have equal digests.
    pub digest: String,
    /// Requests that entered the system, ever.
    pub arrived: u64,
    /// Requests answered, ever.
    pub completed: u64,
    /// Requests failed, ever.
    pub failed: u64,
    /// Requests still in the system.
    pub in_flight: u64,
    /// After the warm-up: requests that entered.
    pub measured_arrived: u64,
    /// After the warm-up: failed requests by reason.
    pub failures: Vec<(Failure, u64)>,
    /// After the warm-up: answered over answered and failed.
    pub availability: f64,
    /// The error budget against an availability objective.
    pub error_budget: ErrorBudget,
    /// Mean response time in seconds, of the requests instances served (edge answers and
    /// network time are not in it yet).
    pub mean_response_secs: f64,
    /// Median response time in seconds.
    pub p50_secs: f64,
    /// 95th percentile.
    pub p95_secs: f64,
    /// 99th percentile.
    pub p99_secs: f64,
    /// Requests each traffic source sent, ever.
    pub sources: Vec<(ResourceId, u64)>,
    /// Requests each load balancer routed, ever.
    pub balancers: Vec<(ResourceId, u64)>,
    /// Requests each DNS zone or CDN answered itself (cache hits), ever.
    pub edge_answers: Vec<(ResourceId, u64)>,
    /// Each station.
    pub stations: Vec<StationReport>,
    /// Response time at each tier (a resource with servers; an Auto Scaling group's
    /// instances together), downstream calls included, after the warm-up.
    pub tiers: Vec<TierLatency>,
    /// The run's bill for instances, databases and caches: the hours each actually ran,
    /// scaling and failures included, at list prices.
    pub compute_cost_usd: f64,
    /// The whole bill of the run: those hours plus requests, Lambda duration, capacity
    /// units and data moved, at list prices.
    pub bill: super::RunBill,
    /// Resources requests reached that the engine does not model yet, with their counts.
    pub not_modelled: Vec<(ResourceId, u64)>,
    /// For each injected failure: detection, recovery time and requests lost.
    pub resilience: Vec<Resilience>,
    /// Requests answered and failed per bucket of `timeline_bucket_secs`.
    pub timeline: Vec<super::engine::Bucket>,
    /// How long each timeline bucket is: 10 s, or more in a run longer than a week (the
    /// buckets are rolled up in pairs to keep their memory bounded).
    pub timeline_bucket_secs: f64,
    /// After the warm-up: failed requests and jobs by the resource where they failed and
    /// why.
    pub failures_by_resource: Vec<ResourceFailures>,
    /// Links the network stops (always, or while a NAT gateway is out), with the reason
    /// and the requests stopped after the warm-up.
    pub blocked_links: Vec<BlockedLink>,
    /// Each CloudWatch alarm: its datapoints and states.
    pub alarms: Vec<super::AlarmReport>,
    /// Each message queue: messages sent, processed, retried and dead-lettered, and its
    /// depth over time.
    pub queues: Vec<super::QueueReport>,
    /// Each Auto Scaling group's size and CPU over time.
    pub groups: Vec<super::GroupReport>,
    /// What happened: failures, health changes, launches, in order.
    pub log: Vec<super::LogEntry>,
    /// Log entries left out once the log was full.
    pub log_dropped: u64,
}

pub(super) fn report(e: &Engine, diagram: &crate::model::Diagram) -> RunReport {
    let measured_secs = to_secs(e.now.saturating_sub(e.settings.warmup));
    let residents = e.residents();
    let stations: Vec<StationReport> = e
        .stations
        .iter()
        .zip(residents)
        .map(|(s, (resident, resident_secs))| {
            let st = &s.stats_at(e.now, e.settings.warmup);
            let ratio = |a: u64, b: u64| if b == 0 { 0.0 } else { a as f64 / b as f64 };
            let per_ns = |area: f64| {
                if measured_secs > 0.0 {
                    area / (measured_secs * 1e9)
                } else {
                    0.0
                }
            };
            StationReport {
                id: s.spec.id.clone(),
                role: s.spec.role,
                group: s.spec.group.map(|g| e.net.groups[g as usize].0.clone()),
                servers: s.spec.servers,
                capacity: s.spec.capacity,
                arrivals: st.arrivals,
                completed: st.completed,
                p_wait: ratio(st.waited, st.admitted),
                p_loss: ratio(st.lost, st.arrivals),
                mean_response_secs: if st.completed == 0 {
                    0.0
                } else {
                    st.response_sum / st.completed as f64
                },
                mean_in_system: per_ns(st.area_in_system),
                mean_sojourn_secs: if st.departed + resident == 0 {
                    0.0
                } else {
                    (st.sojourn_sum + resident_secs) / (st.departed + resident) as f64
                },
                departure_rps: if measured_secs > 0.0 {
                    (st.departed + resident) as f64 / measured_secs
                } else {
                    0.0
                },
                throughput_rps: if measured_secs > 0.0 {
                    st.completed as f64 / measured_secs
                } else {
                    0.0
                },
                utilization: per_ns(st.area_busy) / f64::from(s.spec.servers.max(1)),
                cold_starts: st.cold_starts,
                billed_hours: s.billed_secs(e.now) / 3600.0,
                cost_usd: s.cost_usd(e.now),
                replica_lag_secs: s
                    .spec
                    .replica_of
                    .map(|_| [s.lag_sum_secs / s.lag_reads.max(1) as f64, s.lag_max_secs]),
                rate_limits: s.throttle.as_ref().map(|t| {
                    let (read, write) = t.rates();
                    [read, write]
                }),
            }
        })
        .collect();
    let measured_failed: u64 = e.measured_failed.iter().sum();
    let answered = e.measured_completed;
    RunReport {
        seed: e.settings.seed,
        sample_weight: 1,
        simulated_secs: to_secs(e.now),
        warmup_secs: to_secs(e.settings.warmup),
        events: e.events,
        digest: e.digest.hex(),
        arrived: e.arrived,
        completed: e.completed,
        failed: e.failed.iter().sum(),
        in_flight: e.in_flight(),
        measured_arrived: e.measured_arrived,
        failures: Failure::ALL
            .iter()
            .map(|f| (*f, e.measured_failed[*f as usize]))
            .filter(|(_, n)| *n > 0)
            .collect(),
        availability: if answered + measured_failed == 0 {
            1.0
        } else {
            answered as f64 / (answered + measured_failed) as f64
        },
        error_budget: ErrorBudget::new(
            DEFAULT_OBJECTIVE_PERCENT,
            answered + measured_failed,
            measured_failed,
        ),
        mean_response_secs: e.latency.mean_secs(),
        p50_secs: e.latency.quantile_secs(0.50),
        p95_secs: e.latency.quantile_secs(0.95),
        p99_secs: e.latency.quantile_secs(0.99),
        sources: e
            .net
            .sources
            .iter()
            .map(|s| s.id.clone())
            .zip(e.sent.iter().copied())
            .collect(),
        balancers: e
            .net
            .balancers
            .iter()
            .map(|b| b.id.clone())
            .zip(e.routed.iter().copied())
            .collect(),
        edge_answers: e
            .net
            .relays
            .iter()
            .map(|r| r.id.clone())
            .zip(e.relay_answered.iter().copied())
            .filter(|(_, n)| *n > 0)
            .collect(),
        stations,
        tiers: e.tier_latencies(),
        compute_cost_usd: e.compute_cost_usd(),
        bill: super::bill::bill(diagram, &super::weighted::usage(e.usage(), e.weight)),
        not_modelled: e
            .net
            .unmodelled
            .iter()
            .cloned()
            .zip(e.unmodelled_hits.iter().copied())
            .filter(|(_, n)| *n > 0)
            .collect(),
        resilience: resilience(e),
        timeline: e.timeline_now(),
        timeline_bucket_secs: to_secs(e.timeline.width()),
        failures_by_resource: failures_by_resource(e),
        blocked_links: blocked_links(e),
        queues: e.queue_reports(),
        alarms: e.alarm_reports(),
        groups: e.group_reports(),
        log: e.log.clone(),
        log_dropped: e.log_dropped,
    }
}

/// Response times at one tier: what its callers waited.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TierLatency {
    /// The resource.
    pub resource: ResourceId,
    /// Requests it answered.
    pub answered: u64,
    /// p50, p95 and p99 in milliseconds.
    pub latency_ms: [f64; 3],
}

/// The availability objective a run is measured against unless told otherwise: three
/// nines, a common service-level objective for a web application.
pub const DEFAULT_OBJECTIVE_PERCENT: f64 = 99.9;

/// How much of the failures an availability objective allows the run used.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ErrorBudget {
    /// The objective, in percent of requests answered.
    pub objective_percent: f64,
    /// Requests answered or failed after the warm-up.
    pub requests: u64,
    /// Failures the objective allows for the requests of the run (after the warm-up).
    pub allowed_failures: f64,
    /// Failures there were.
    pub failed: u64,
    /// `failed` as a share of `allowed_failures`, in percent (over 100: the objective was
    /// missed).
    pub used_percent: f64,
}

impl ErrorBudget {
    /// The budget of `requests` (answered and failed) under `objective_percent`.
    pub fn new(objective_percent: f64, requests: u64, failed: u64) -> Self {
        let objective_percent = objective_percent.clamp(0.0, 100.0);
        let allowed_failures = requests as f64 * (1.0 - objective_percent / 100.0);
        ErrorBudget {
            objective_percent,
            requests,
            allowed_failures,
            failed,
            used_percent: if allowed_failures > 0.0 {
                100.0 * failed as f64 / allowed_failures
            } else if failed > 0 {
                f64::INFINITY
            } else {
                0.0
            },
        }
    }

    /// The same run's budget under another objective.
    pub fn with_objective(&self, objective_percent: f64) -> Self {
        Self::new(objective_percent, self.requests, self.failed)
    }
}

/// Failures at one resource for one reason.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ResourceFailures {
    /// Where they failed.
    pub resource: ResourceId,
    /// Why.
    pub reason: Failure,
    /// How many (after the warm-up).
    pub count: u64,
}

/// A link the network stops.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BlockedLink {
    /// The sender.
    pub from: ResourceId,
    /// The receiver.
    pub to: ResourceId,
    /// Why, from the first place it is stopped ("db-sg does not allow TCP 3306 from
    /// app-sg"), or the NAT gateway it depends on.
    pub why: String,
    /// Requests stopped after the warm-up.
    pub requests: u64,
}

fn blocked_links(e: &Engine) -> Vec<BlockedLink> {
    use super::build::Gate;
    e.net
        .guards
        .iter()
        .zip(&e.guard_stopped)
        .map(|(g, &requests)| {
            let why = g
                .per_az
                .iter()
                .find_map(|(_, gate)| match gate {
                    Gate::Blocked(why) => Some(why.clone()),
                    _ => None,
                })
                .or_else(|| {
                    g.per_az.iter().find_map(|(_, gate)| match gate {
                        Gate::ViaNat { nat, .. } => Some(format!(
                            "leaves through NAT gateway {nat}, stopped while its AZ is out"
                        )),
                        _ => None,
                    })
                })
                .unwrap_or_default();
            BlockedLink {
                from: g.from.clone(),
                to: g.to.clone(),
                why,
                requests,
            }
        })
        .collect()
}

fn failures_by_resource(e: &Engine) -> Vec<ResourceFailures> {
    use super::engine::Place;
    let mut out = Vec::new();
    for (place, counts) in &e.failures_at {
        let resource = match *place {
            Place::Station(s) => e.stations[s as usize].spec.id.clone(),
            Place::Balancer(b) => e.net.balancers[b as usize].id.clone(),
            Place::Group(g) => e.net.groups[g as usize].0.clone(),
            Place::Guard(g) => e.net.guards[g as usize].to.clone(),
            Place::Relay(r) => e.net.relays[r as usize].id.clone(),
        };
        for reason in Failure::ALL {
            let count = counts[reason as usize];
            if count > 0 {
                out.push(ResourceFailures {
                    resource: resource.clone(),
                    reason,
                    count,
                });
            }
        }
    }
    out
}

/// How the system weathered one injected failure.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Resilience {
    /// When it was injected, in seconds from the start.
    pub at_secs: f64,
    /// What failed.
    pub what: String,
    /// Seconds until the system reacted (a health check, a replacement, a failover, DNS).
    pub detected_after_secs: Option<f64>,
    /// Seconds until requests stopped failing for a whole minute (the recovery time); none
    /// if they never did.
    pub recovered_after_secs: Option<f64>,
    /// Requests that failed from the injection until the recovery.
    pub requests_lost: u64,
}

/// Quiet (no failure) that counts as recovered: a minute.
const QUIET: super::SimTime = 60 * super::SECOND;

pub(super) fn resilience(e: &Engine) -> Vec<Resilience> {
    let width = e.timeline.width();
    // At least one bucket, however wide a long run made them.
    let quiet_buckets = QUIET.div_ceil(width).max(1) as usize;
    let timeline = e.timeline.buckets();
    let reactions = ["unhealthy", "terminates", "failing over", "Route 53 finds"];
    e.injected
        .iter()
        .map(|(at, what)| {
            let detected_after_secs = e
                .log
                .iter()
                .find(|l| l.secs >= to_secs(*at) && reactions.iter().any(|r| l.text.contains(r)))
                .map(|l| l.secs - to_secs(*at));
            let start = (*at / width) as usize;
            let last = timeline.len();
            let quiet_from = (start..last).find(|&k| {
                k + quiet_buckets <= last
                    && timeline[k..k + quiet_buckets].iter().all(|b| b.failed == 0)
            });
            let end = quiet_from.unwrap_or(last);
            Resilience {
                at_secs: to_secs(*at),
                what: what.clone(),
                detected_after_secs,
                recovered_after_secs: quiet_from
                    .map(|k| (to_secs(k as u64 * width) - to_secs(*at)).max(0.0)),
                requests_lost: timeline
                    .get(start..end)
                    .map_or(0, |b| b.iter().map(|x| x.failed).sum()),
            }
        })
        .collect()
}
