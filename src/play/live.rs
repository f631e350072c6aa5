//! What the canvas shows of a run: each diagram resource's state and load and each
//! link's flow, keyed by the diagram's ids. Figures the eye follows (utilisation, flows)
//! are smoothed over about a second of wall time so the picture reads calmly; the exact
//! figures stay beside them for labels and charts.

use std::collections::{BTreeMap, BTreeSet};

use super::history::{ResourcePoint, resource_points};
use crate::model::ResourceId;
use crate::sim::{AlarmValue, BalancerView, GroupView, QueueView, Snapshot, Status};

/// Wall seconds over which shown figures follow the exact ones (time constant).
const SMOOTHING_SECS: f64 = 1.0;

/// One instance of a group (or task of a service).
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    /// Its name, `group.i3`.
    pub id: ResourceId,
    /// The AZ it runs in.
    pub az: Option<ResourceId>,
    /// Its state.
    pub status: Status,
    /// Busy share of its workers.
    pub utilisation: f64,
}

/// A diagram resource in the run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LiveResource {
    /// Its state (a group: in service if any member is).
    pub status: Option<Status>,
    /// Seconds in that state (one server only).
    pub status_secs: f64,
    /// Exact figures.
    pub point: ResourcePoint,
    /// Utilisation as drawn (smoothed).
    pub shown_utilisation: f64,
    /// Requests in service now and its servers (a Lambda function: concurrent
    /// executions).
    pub busy: u32,
    /// Servers in all.
    pub servers: u32,
    /// An Auto Scaling group's or ECS service's members and sizes.
    pub members: Vec<Member>,
    /// Its sizes, for a group.
    pub group: Option<GroupView>,
    /// Its targets, for a load balancer.
    pub balancer: Option<BalancerView>,
    /// Its messages, for a queue.
    pub queue: Option<QueueView>,
    /// Its state, for an alarm.
    pub alarm: Option<AlarmValue>,
    /// A Multi-AZ database's primary and standby AZs.
    pub primary_az: Option<ResourceId>,
    /// The standby's AZ.
    pub standby_az: Option<ResourceId>,
    /// A burstable instance's credits and whether it is held to its baseline.
    pub cpu_credits: Option<f64>,
    /// Held to its baseline.
    pub throttled: bool,
    /// A Memcached cluster's share of keys cached.
    pub keys_cached: Option<f64>,
    /// A read replica's lag in seconds.
    pub replica_lag_secs: Option<f64>,
}

/// Requests along one link of the diagram.
#[derive(Clone, Debug, PartialEq)]
pub struct LiveLink {
    /// Where it starts.
    pub from: ResourceId,
    /// Where it leads.
    pub to: ResourceId,
    /// Requests per second (10 s average).
    pub per_sec: f64,
    /// As drawn (smoothed).
    pub shown_per_sec: f64,
    /// Share failing where it leads.
    pub failed_share: f64,
    /// Share waiting in a queue where it leads (slow).
    pub slow_share: f64,
}

/// The run as the canvas draws it.
#[derive(Clone, Debug, Default)]
pub struct LiveView {
    /// Simulated seconds.
    pub secs: f64,
    /// By diagram resource.
    pub resources: BTreeMap<ResourceId, LiveResource>,
    /// Links that have carried requests.
    pub links: Vec<LiveLink>,
    /// The busiest link's shown flow: dots are dealt in proportion to it.
    pub busiest_per_sec: f64,
    /// AZs and Regions that are out.
    pub zones_down: BTreeSet<ResourceId>,
}

impl LiveView {
    /// Reads `snapshot`, `wall_dt` seconds after the last one (0: show the exact figures
    /// at once, as after a step).
    pub fn update(&mut self, snapshot: &Snapshot, wall_dt: f64) {
        let follow = if wall_dt > 0.0 {
            1.0 - (-wall_dt / SMOOTHING_SECS).exp()
        } else {
            1.0
        };
        let smooth = |old: f64, new: f64| old + (new - old) * follow;
        self.secs = snapshot.secs;
        let points = resource_points(snapshot);
        let mut resources: BTreeMap<ResourceId, LiveResource> = BTreeMap::new();
        for (id, point) in &points {
            let old = self.resources.get(id);
            resources.insert(
                id.clone(),
                LiveResource {
                    point: *point,
                    shown_utilisation: smooth(
                        old.map_or(0.0, |o| o.shown_utilisation),
                        point.utilisation,
                    ),
                    ..LiveResource::default()
                },
            );
        }
        let mut waiting_share: BTreeMap<ResourceId, (u32, u32)> = BTreeMap::new();
        for s in &snapshot.servers {
            let Some(group) = &s.group else {
                let r = resources.entry(s.id.clone()).or_default();
                r.status = Some(s.status);
                r.status_secs = s.status_secs;
                r.busy = s.busy;
                r.servers = s.servers;
                r.primary_az = s.standby_az.as_ref().and(s.az.clone());
                r.standby_az = s.standby_az.clone();
                r.cpu_credits = s.cpu_credits;
                r.throttled = s.throttled;
                r.keys_cached = s.keys_cached;
                r.replica_lag_secs = s.replica_lag_secs;
                let w = waiting_share.entry(s.id.clone()).or_default();
                *w = (w.0 + s.waiting, w.1 + s.waiting + s.busy);
                continue;
            };
            let r = resources.entry(group.clone()).or_default();
            if !matches!(s.status, Status::Terminated | Status::Stopped) {
                r.busy += s.busy;
                r.servers += s.servers;
            }
            r.members.push(Member {
                id: s.id.clone(),
                az: s.az.clone(),
                status: s.status,
                utilisation: if s.servers == 0 {
                    0.0
                } else {
                    f64::from(s.busy.min(s.servers)) / f64::from(s.servers)
                },
            });
            let w = waiting_share.entry(group.clone()).or_default();
            *w = (w.0 + s.waiting, w.1 + s.waiting + s.busy);
        }
        for g in &snapshot.groups {
            let r = resources.entry(g.id.clone()).or_default();
            r.status = Some(if g.in_service > 0 {
                Status::InService
            } else if g.pending > 0 {
                Status::Pending
            } else {
                Status::Stopped
            });
            r.group = Some(g.clone());
        }
        for b in &snapshot.balancers {
            let r = resources.entry(b.id.clone()).or_default();
            r.status = Some(if b.healthy > 0 || b.targets == 0 {
                Status::InService
            } else {
                Status::Unhealthy
            });
            r.balancer = Some(b.clone());
        }
        for q in &snapshot.queues {
            resources.entry(q.id.clone()).or_default().queue = Some(q.clone());
        }
        for a in &snapshot.alarms {
            resources.entry(a.id.clone()).or_default().alarm = Some(a.state);
        }
        let mut links = Vec::with_capacity(snapshot.links.len());
        for l in &snapshot.links {
            let (Some(from), Some(to)) = (
                snapshot.nodes.get(l.from as usize),
                snapshot.nodes.get(l.to as usize),
            ) else {
                continue;
            };
            let old = self
                .links
                .iter()
                .find(|o| &o.from == from && &o.to == to)
                .map_or(0.0, |o| o.shown_per_sec);
            let failed_share = if l.per_sec > 0.0 {
                (l.failed_per_sec / l.per_sec).clamp(0.0, 1.0)
            } else {
                0.0
            };
            let slow_share = waiting_share
                .get(to)
                .filter(|(_, all)| *all > 0)
                .map_or(0.0, |(waiting, all)| f64::from(*waiting) / f64::from(*all));
            links.push(LiveLink {
                from: from.clone(),
                to: to.clone(),
                per_sec: l.per_sec,
                shown_per_sec: smooth(old, l.per_sec),
                failed_share,
                slow_share: slow_share.min(1.0 - failed_share),
            });
        }
        self.busiest_per_sec = links.iter().map(|l| l.shown_per_sec).fold(0.0, f64::max);
        self.resources = resources;
        self.links = links;
        self.zones_down = snapshot.zones_down.iter().cloned().collect();
    }

    /// The flow along the link from `from` to `to`, if it carried requests.
    pub fn link(&self, from: &ResourceId, to: &ResourceId) -> Option<&LiveLink> {
        self.links.iter().find(|l| &l.from == from && &l.to == to)
    }
}
