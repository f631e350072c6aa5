//! Figures of a run over time, for the charts: the whole system's and each resource's,
//! one point per frame at most and a simulated second apart at least, thinned by half
//! when they grow past a bound so a week-long run keeps its whole shape in little memory.

use std::collections::BTreeMap;

use crate::model::ResourceId;
use crate::sim::{Snapshot, Status, TierTimes};

/// Points kept before every other one is dropped.
const MAX_POINTS: usize = 8_192;
/// Simulated seconds between points at least.
const MIN_GAP_SECS: f64 = 1.0;

/// The whole system at one point.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct SystemPoint {
    /// Requests answered and failed since the start.
    pub completed: u64,
    /// Requests failed since the start.
    pub failed: u64,
    /// Response times of the last 10 s: p50, p95, p99 in milliseconds.
    pub latency_ms: Option<[f64; 3]>,
    /// What the run has cost so far.
    pub cost_usd: f64,
}

/// One resource at one point.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ResourcePoint {
    /// Requests reaching it per second (10 s average).
    pub requests_per_sec: f64,
    /// Requests failing there per second.
    pub errors_per_sec: f64,
    /// Busy share of its servers now, 0 to 1.
    pub utilisation: f64,
    /// CPU utilization since the previous point, 0 to 1: CloudWatch's average over
    /// its running instances.
    pub cpu: f64,
    /// Requests waiting for a server (or a queue's visible messages).
    pub waiting: f64,
    /// Instances in service (a group), or 1 / 0 for one server in service or not.
    pub in_service: f64,
    /// Response times at it since the previous point (its calls included): p50, p95,
    /// p99 in milliseconds.
    pub latency_ms: Option<[f64; 3]>,
}

/// Figures over time.
#[derive(Clone, Debug, Default)]
pub struct History {
    /// Seconds of each point.
    pub secs: Vec<f64>,
    /// The system at each point.
    pub system: Vec<SystemPoint>,
    /// Each resource at each point (a resource seen late is filled with zeros before).
    pub resources: BTreeMap<ResourceId, Vec<ResourcePoint>>,
    /// Each server's CPU-seconds at the last point.
    last_cpu: BTreeMap<ResourceId, f64>,
    /// Each resource's response times at the last point.
    last_times: BTreeMap<ResourceId, TierTimes>,
}

impl History {
    /// Adds the snapshot as a point, unless the last point is too recent.
    pub fn record(&mut self, snapshot: &Snapshot) {
        self.record_with_times(snapshot, Vec::new);
    }

    /// Adds the snapshot as a point with each resource's response times since the last
    /// one (`times` is read only when a point is due), unless the last point is too
    /// recent.
    pub fn record_with_times(
        &mut self,
        snapshot: &Snapshot,
        times: impl FnOnce() -> Vec<(ResourceId, TierTimes)>,
    ) {
        if self
            .secs
            .last()
            .is_some_and(|last| snapshot.secs < last + MIN_GAP_SECS)
        {
            return;
        }
        let n = self.secs.len();
        let mut points = resource_points(snapshot);
        if let Some(&last) = self.secs.last() {
            self.add_cpu(snapshot, snapshot.secs - last, &mut points);
        }
        for (id, now) in times() {
            let earlier = self.last_times.get(&id);
            if let Some(p) = points.get_mut(&id) {
                p.latency_ms = now.percentiles_since(earlier);
            } else if let Some(latency) = now.percentiles_since(earlier) {
                points.insert(
                    id.clone(),
                    ResourcePoint {
                        latency_ms: Some(latency),
                        ..ResourcePoint::default()
                    },
                );
            }
            self.last_times.insert(id, now);
        }
        self.last_cpu = snapshot
            .servers
            .iter()
            .map(|s| (s.id.clone(), s.cpu_secs))
            .collect();
        self.secs.push(snapshot.secs);
        self.system.push(SystemPoint {
            completed: snapshot.totals.completed,
            failed: snapshot.totals.failed,
            latency_ms: snapshot.totals.latency_ms,
            cost_usd: snapshot.totals.cost_usd,
        });
        for (id, point) in points {
            let series = self.resources.entry(id).or_default();
            series.resize(n, ResourcePoint::default());
            series.push(point);
        }
        for series in self.resources.values_mut() {
            series.resize(n + 1, ResourcePoint::default());
        }
        if self.secs.len() > MAX_POINTS {
            self.thin();
        }
    }

    /// Each resource's CPU over the `dt` seconds since the last point: CPU-seconds used
    /// over the capacity of its servers that were running.
    fn add_cpu(
        &self,
        snapshot: &Snapshot,
        dt: f64,
        points: &mut BTreeMap<ResourceId, ResourcePoint>,
    ) {
        let mut used: BTreeMap<&ResourceId, (f64, f64)> = BTreeMap::new();
        for s in &snapshot.servers {
            let id = s.group.as_ref().unwrap_or(&s.id);
            let entry = used.entry(id).or_default();
            entry.0 += s.cpu_secs - self.last_cpu.get(&s.id).copied().unwrap_or(0.0);
            if !matches!(s.status, Status::Terminated | Status::Stopped) {
                entry.1 += f64::from(s.servers) * dt;
            }
        }
        for (id, (cpu, capacity)) in used {
            if capacity > 0.0
                && let Some(p) = points.get_mut(id)
            {
                p.cpu = (cpu / capacity).clamp(0.0, 1.0);
            }
        }
    }

    /// Drops every other point (the latest is kept).
    fn thin(&mut self) {
        fn halve<T: Copy>(v: &mut Vec<T>) {
            let last = v.len().saturating_sub(1);
            let mut i = 0;
            v.retain(|_| {
                let keep = i % 2 == 0 || i == last;
                i += 1;
                keep
            });
        }
        halve(&mut self.secs);
        halve(&mut self.system);
        self.resources.values_mut().for_each(halve);
    }

    /// The share of requests that failed between consecutive points, in percent.
    pub fn error_rate_percent(&self) -> Vec<[f64; 2]> {
        self.system
            .windows(2)
            .zip(self.secs.iter().skip(1))
            .map(|(w, &t)| {
                let ended =
                    (w[1].completed + w[1].failed).saturating_sub(w[0].completed + w[0].failed);
                let failed = w[1].failed.saturating_sub(w[0].failed);
                let rate = if ended == 0 {
                    0.0
                } else {
                    100.0 * failed as f64 / ended as f64
                };
                [t, rate]
            })
            .collect()
    }

    /// Dollars an hour between consecutive points: what the system costs to run now.
    pub fn cost_per_hour(&self) -> Vec<[f64; 2]> {
        self.system
            .windows(2)
            .zip(self.secs.windows(2))
            .filter(|(_, t)| t[1] > t[0])
            .map(|(w, t)| {
                [
                    t[1],
                    (w[1].cost_usd - w[0].cost_usd) / (t[1] - t[0]) * 3_600.0,
                ]
            })
            .collect()
    }

    /// One optional figure of one resource over time (points without it left out).
    pub fn resource_series_where(
        &self,
        id: &ResourceId,
        figure: impl Fn(&ResourcePoint) -> Option<f64>,
    ) -> Vec<[f64; 2]> {
        self.resources.get(id).map_or_else(Vec::new, |points| {
            self.secs
                .iter()
                .zip(points)
                .filter_map(|(&t, p)| figure(p).map(|v| [t, v]))
                .collect()
        })
    }

    /// One figure of one resource over time.
    pub fn resource_series(
        &self,
        id: &ResourceId,
        figure: impl Fn(&ResourcePoint) -> f64,
    ) -> Vec<[f64; 2]> {
        self.resources.get(id).map_or_else(Vec::new, |points| {
            self.secs
                .iter()
                .zip(points)
                .map(|(&t, p)| [t, figure(p)])
                .collect()
        })
    }
}

/// Each diagram resource's figures in `snapshot`: servers summed into their group.
pub fn resource_points(snapshot: &Snapshot) -> BTreeMap<ResourceId, ResourcePoint> {
    let mut out: BTreeMap<ResourceId, (ResourcePoint, u32, u32)> = BTreeMap::new();
    for s in &snapshot.servers {
        let id = s.group.clone().unwrap_or_else(|| s.id.clone());
        let entry = out.entry(id).or_default();
        if matches!(s.status, Status::Terminated | Status::Stopped) {
            continue;
        }
        entry.0.requests_per_sec += s.requests_per_sec;
        entry.0.errors_per_sec += s.errors_per_sec;
        entry.0.waiting += f64::from(s.waiting);
        entry.1 += s.busy.min(s.servers);
        entry.2 += s.servers;
        if s.status == Status::InService {
            entry.0.in_service += 1.0;
        }
    }
    let served: std::collections::BTreeSet<ResourceId> = out.keys().cloned().collect();
    let mut points: BTreeMap<ResourceId, ResourcePoint> = out
        .into_iter()
        .map(|(id, (mut p, busy, servers))| {
            p.utilisation = if servers == 0 {
                0.0
            } else {
                f64::from(busy) / f64::from(servers)
            };
            (id, p)
        })
        .collect();
    for q in &snapshot.queues {
        points.entry(q.id.clone()).or_default().waiting = q.visible as f64;
    }
    // Failures at resources without servers (balancers, APIs) still chart.
    for (node, failed) in snapshot.nodes.iter().zip(&snapshot.node_failed_per_sec) {
        let p = points.entry(node.clone()).or_default();
        p.errors_per_sec = p.errors_per_sec.max(*failed);
    }
    // Resources without servers (balancers, APIs, CDNs) count what their links bring.
    let mut incoming: BTreeMap<&ResourceId, f64> = BTreeMap::new();
    for link in &snapshot.links {
        if let Some(to) = snapshot.nodes.get(link.to as usize) {
            *incoming.entry(to).or_default() += link.per_sec;
        }
    }
    for (id, per_sec) in incoming {
        if !served.contains(id) {
            points.entry(id.clone()).or_default().requests_per_sec = per_sec;
        }
    }
    points
}
