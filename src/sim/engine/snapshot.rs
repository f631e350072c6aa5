//! A picture of the running system at one instant, for the live view: each resource's
//! state and load, each link's recent flow, and the requests followed lately.

use serde::Serialize;

use super::flows::{TRACE_WINDOW, TracedRequest};
use super::meter::RATE_WINDOW_SECS;
use super::{AlarmValue, Engine, State};
use crate::model::ResourceId;
use crate::sim::build::Role;
use crate::sim::events::{SimTime, to_secs};

/// Seconds a terminated instance stays in snapshots, so that the view can show it going.
const TERMINATED_SHOWN: SimTime = 60 * crate::sim::events::SECOND;

/// What state a resource (or an instance of a group) is in, as the live view shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Launching.
    Pending,
    /// Serving.
    InService,
    /// Running, but a load balancer's health checks find it unhealthy.
    Unhealthy,
    /// Running with its application crashed.
    AppDown,
    /// Deregistered, finishing its requests before termination.
    Draining,
    /// Stopped: failed, or its AZ or Region is out.
    Stopped,
    /// A database promoting its standby.
    FailingOver,
    /// Terminated (shown for a minute).
    Terminated,
}

impl Status {
    /// In words.
    pub fn label(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::InService => "in service",
            Status::Unhealthy => "unhealthy",
            Status::AppDown => "application down",
            Status::Draining => "draining",
            Status::Stopped => "stopped",
            Status::FailingOver => "failing over",
            Status::Terminated => "terminated",
        }
    }
}

/// A server of the run: an instance, a task, a function, a database, a cache or a store.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ServerView {
    /// Its name: the resource's id, or for a member of a group `group.i3`.
    pub id: ResourceId,
    /// The Auto Scaling group or ECS service it belongs to.
    pub group: Option<ResourceId>,
    /// What it stands for.
    pub role: Role,
    /// The AZ it runs in (a Multi-AZ database: its primary's), and a standby's.
    pub az: Option<ResourceId>,
    /// A Multi-AZ database's standby AZ.
    pub standby_az: Option<ResourceId>,
    /// Its state now.
    pub status: Status,
    /// Seconds since its status last changed.
    pub status_secs: f64,
    /// Requests in service (for a function: concurrent executions), its servers, and
    /// requests waiting for one.
    pub busy: u32,
    /// Requests it can serve at once.
    pub servers: u32,
    /// Requests waiting for a server.
    pub waiting: u32,
    /// Requests reaching it and failing there, per second lately.
    pub requests_per_sec: f64,
    /// Requests failing there, per second lately.
    pub errors_per_sec: f64,
    /// A spot instance.
    pub spot: bool,
    /// A burstable instance's CPU credit balance; none for other kinds.
    pub cpu_credits: Option<f64>,
    /// Held to its baseline for want of CPU credits.
    pub throttled: bool,
    /// CPU-seconds its vCPUs' workers have used since the start (at the speed they
    /// ran): what CloudWatch's CPUUtilization averages, between two snapshots
    /// `Δcpu_secs / (Δt × servers)`.
    pub cpu_secs: f64,
    /// A Memcached cluster's share of its keys cached now (it drops when a node is lost,
    /// then warms back); none for other kinds.
    pub keys_cached: Option<f64>,
    /// A read replica's lag behind its source, in seconds; none for other kinds.
    pub replica_lag_secs: Option<f64>,
}

/// An Auto Scaling group or ECS service.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupView {
    /// The resource.
    pub id: ResourceId,
    /// Fewest instances allowed now.
    pub min: u32,
    /// Instances wanted now.
    pub desired: u32,
    /// Most instances allowed now.
    pub max: u32,
    /// Members in service.
    pub in_service: u32,
    /// Members launching.
    pub pending: u32,
}

/// A load balancer's view of its targets.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BalancerView {
    /// The resource.
    pub id: ResourceId,
    /// Registered targets, and those its health checks find healthy.
    pub targets: u32,
    /// Targets its health checks find healthy.
    pub healthy: u32,
}

/// A queue's messages now.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct QueueView {
    /// The resource.
    pub id: ResourceId,
    /// Messages waiting for a consumer.
    pub visible: u64,
    /// Received messages not yet deleted (for the system: requests in flight).
    pub in_flight: u64,
    /// Messages not visible yet (delay queue).
    pub delayed: u64,
    /// Messages moved to the dead-letter queue, ever.
    pub dead_lettered: u64,
}

/// An alarm's state now.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AlarmView {
    /// The resource.
    pub id: ResourceId,
    /// The metric it watches, in words.
    pub metric: String,
    /// OK, ALARM or INSUFFICIENT_DATA.
    pub state: AlarmValue,
}

/// Requests along one link of the diagram.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LinkFlow {
    /// The resources it joins, as indices into `Snapshot::nodes`.
    pub from: u32,
    /// The resource it led to.
    pub to: u32,
    /// Requests per second lately, and those that failed where the link leads.
    pub per_sec: f64,
    /// Requests failing where it leads, per second lately.
    pub failed_per_sec: f64,
    /// Requests that crossed it since the start.
    pub total: u64,
}

/// The whole system's figures so far.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Totals {
    /// Requests that entered the system.
    pub arrived: u64,
    /// Requests answered.
    pub completed: u64,
    /// Requests failed.
    pub failed: u64,
    /// Received messages not yet deleted (for the system: requests in flight).
    pub in_flight: u64,
    /// Answered over ended, since the start.
    pub availability: f64,
    /// Response times in the last complete 10 s of the timeline (or the one open):
    /// p50, p95, p99 in milliseconds.
    pub latency_ms: Option<[f64; 3]>,
    /// What the run has cost so far.
    pub cost_usd: f64,
}

/// The running system at one instant.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Snapshot {
    /// Seconds from the start.
    pub secs: f64,
    /// Seconds the rates are averaged over.
    pub rate_window_secs: f64,
    /// The whole system's figures.
    pub totals: Totals,
    /// The diagram resources requests reach; links and followed requests refer to them
    /// by index.
    pub nodes: Vec<ResourceId>,
    /// Requests failing at each node per second lately (same order as `nodes`).
    pub node_failed_per_sec: Vec<f64>,
    /// Every server: instances, tasks, functions, databases, caches, stores.
    pub servers: Vec<ServerView>,
    /// Auto Scaling groups and ECS services.
    pub groups: Vec<GroupView>,
    /// Load balancers.
    pub balancers: Vec<BalancerView>,
    /// Queues.
    pub queues: Vec<QueueView>,
    /// CloudWatch alarms.
    pub alarms: Vec<AlarmView>,
    /// Requests along each link crossed so far.
    pub links: Vec<LinkFlow>,
    /// Requests followed that started in the last 30 s or are still in flight, oldest
    /// first.
    pub recent: Vec<TracedRequest>,
    /// Availability Zones and Regions that are out.
    pub zones_down: Vec<ResourceId>,
}

impl Engine {
    fn status_of(&self, station: u32, unhealthy: &[bool]) -> Status {
        let s = &self.stations[station as usize];
        match s.state {
            State::InService if unhealthy[station as usize] => Status::Unhealthy,
            State::InService => Status::InService,
            State::Pending => Status::Pending,
            State::Down => Status::Stopped,
            State::AppDown => Status::AppDown,
            State::FailingOver => Status::FailingOver,
            State::Draining => Status::Draining,
            State::Terminated => Status::Terminated,
        }
    }

    pub(crate) fn snapshot(&self) -> Snapshot {
        let now = self.now;
        let az_name = |az: Option<u32>| az.and_then(|a| self.net.azs.get(a as usize)).cloned();
        // A target is unhealthy when a balancer that still routes to it says so.
        let mut unhealthy = vec![false; self.stations.len()];
        for b in &self.balancers {
            for t in b.targets.iter().filter(|t| !t.gone && !t.healthy) {
                unhealthy[t.station as usize] = true;
            }
        }
        let servers = (0..self.stations.len() as u32)
            .filter(|&i| {
                let s = &self.stations[i as usize];
                s.state != State::Terminated || now.saturating_sub(s.state_since) < TERMINATED_SHOWN
            })
            .map(|i| {
                let s = &self.stations[i as usize];
                ServerView {
                    id: s.spec.id.clone(),
                    group: s.spec.group.map(|g| self.net.groups[g as usize].0.clone()),
                    role: s.spec.role,
                    az: az_name(s.spec.az),
                    standby_az: az_name(s.spec.standby_az),
                    status: self.status_of(i, &unhealthy),
                    status_secs: to_secs(now.saturating_sub(s.state_since)),
                    busy: s.busy,
                    servers: s.spec.servers,
                    waiting: s.waiting.len() as u32,
                    requests_per_sec: s.arrived_recently.rate(now),
                    errors_per_sec: s.failed_recently.rate(now),
                    spot: s.spec.spot,
                    cpu_credits: s.spec.burst.map(|_| s.credits),
                    throttled: s.throttled,
                    cpu_secs: s.cpu_area_at(now) / crate::sim::events::SECOND as f64,
                    keys_cached: s.nodes.as_ref().map(|_| self.warm_share(i)),
                    replica_lag_secs: s
                        .spec
                        .replica_of
                        .map(|_| to_secs(s.applied_at.saturating_sub(now))),
                }
            })
            .collect();
        let groups = self
            .net
            .groups
            .iter()
            .zip(&self.scaling)
            .enumerate()
            .map(|(g, ((id, _), state))| {
                let members = &self.groups[g];
                let count = |wanted: State| {
                    members
                        .iter()
                        .filter(|s| self.stations[**s as usize].state == wanted)
                        .count() as u32
                };
                GroupView {
                    id: id.clone(),
                    min: state.min,
                    desired: state.desired,
                    max: state.max,
                    in_service: count(State::InService),
                    pending: count(State::Pending),
                }
            })
            .collect();
        let balancers = self
            .net
            .balancers
            .iter()
            .zip(&self.balancers)
            .map(|(spec, state)| {
                let live = state.targets.iter().filter(|t| !t.gone);
                BalancerView {
                    id: spec.id.clone(),
                    targets: live.clone().count() as u32,
                    healthy: live.filter(|t| t.healthy).count() as u32,
                }
            })
            .collect();
        let queues = self
            .net
            .queues
            .iter()
            .zip(&self.queues)
            .map(|(spec, q)| QueueView {
                id: spec.id.clone(),
                visible: q.visible,
                in_flight: q.in_flight,
                delayed: q.delayed,
                dead_lettered: q.counts.dead_lettered,
            })
            .collect();
        let alarms = self
            .net
            .alarms
            .iter()
            .zip(&self.alarms)
            .map(|(spec, a)| AlarmView {
                id: spec.id.clone(),
                metric: spec.metric_name.clone(),
                state: a.value(),
            })
            .collect();
        let links = self
            .flows
            .edges
            .iter()
            .map(|e| LinkFlow {
                from: e.from,
                to: e.to,
                per_sec: e.sent.rate(now),
                failed_per_sec: e.failed.rate(now),
                total: e.sent.total(),
            })
            .collect();
        let since = to_secs(now.saturating_sub(TRACE_WINDOW));
        let recent = self
            .flows
            .traces
            .iter()
            .filter(|t| t.started_secs >= since || t.ended_secs.is_none())
            .cloned()
            .collect();
        let mut zones_down: Vec<ResourceId> = self
            .net
            .azs
            .iter()
            .zip(&self.az_down)
            .filter(|(_, down)| **down)
            .map(|(id, _)| id.clone())
            .collect();
        zones_down.extend(
            self.net
                .regions
                .iter()
                .enumerate()
                .filter(|(r, _)| self.regions_down[*r])
                .map(|(_, id)| id.clone()),
        );
        let completed = self.completed;
        let failed: u64 = self.failed.iter().sum();
        // The last whole bucket, or the open one early in the run.
        let open = (now / self.timeline.width()) as usize;
        let latency_ms = match open.checked_sub(1) {
            Some(last) => self.bucket_latency(last),
            None => self.bucket_latency(open),
        };
        Snapshot {
            secs: to_secs(now),
            rate_window_secs: RATE_WINDOW_SECS as f64,
            totals: Totals {
                arrived: self.arrived,
                completed,
                failed,
                in_flight: self.in_flight(),
                availability: if completed + failed == 0 {
                    1.0
                } else {
                    completed as f64 / (completed + failed) as f64
                },
                latency_ms,
                cost_usd: self.compute_cost_usd(),
            },
            nodes: self.flows.nodes.clone(),
            node_failed_per_sec: self.flows.node_failed.iter().map(|m| m.rate(now)).collect(),
            servers,
            groups,
            balancers,
            queues,
            alarms,
            links,
            recent,
            zones_down,
        }
    }
}
