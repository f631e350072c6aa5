//! What the live view draws: requests along each link of the diagram, failures at each
//! resource, and a sample of requests followed hop by hop.
//!
//! Links are counted between diagram resources (an instance of an Auto Scaling group
//! counts as its group, as the link is drawn to the group), in the order they are first
//! crossed, so the counts are deterministic.

use std::collections::{BTreeMap, VecDeque};

use super::meter::Meter;
use super::{Engine, Place};
use crate::model::ResourceId;
use crate::sim::build::{Hop, Net};
use crate::sim::events::{SimTime, to_secs};
use crate::sim::stats::Failure;

/// No link yet (a request just sent by its source).
pub(super) const NO_EDGE: u32 = u32::MAX;

/// Followed requests kept; the oldest are dropped beyond this.
const TRACES_KEPT: usize = 4096;

/// A link crossed at run time.
#[derive(Clone, Debug)]
pub(crate) struct Edge {
    pub from: u32,
    pub to: u32,
    pub sent: Meter,
    /// Requests that failed right after crossing it (at the resource it leads to).
    pub failed: Meter,
    /// Writes among them, and kilobytes of their data (of writes alone), over the whole
    /// run.
    pub writes: u64,
    pub kb: f64,
    pub write_kb: f64,
}

/// One hop of a followed request.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct TraceHop {
    /// The resources, as indices into the snapshot's `nodes`.
    pub from: u32,
    /// The resource it led to.
    pub to: u32,
    /// When it crossed, in seconds from the start.
    pub secs: f64,
}

/// How a followed request ended.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub enum Outcome {
    /// Answered.
    Completed,
    /// Failed at `at` (an index into the snapshot's `nodes`).
    Failed {
        /// Why.
        reason: Failure,
        /// Where.
        at: u32,
    },
}

/// A request followed hop by hop, for the animation.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct TracedRequest {
    /// Numbers in the order requests were chosen.
    pub number: u64,
    /// A write (it skips caches; a bucket notifies of it).
    pub write: bool,
    /// The processing of a queued message, not a user's request.
    pub job: bool,
    /// When it was sent, in seconds from the start.
    pub started_secs: f64,
    /// The links it crossed, in order.
    pub hops: Vec<TraceHop>,
    /// When it ended, and how; none while in flight.
    pub ended_secs: Option<f64>,
    /// How it ended.
    pub outcome: Option<Outcome>,
}

/// Links, failures per resource and followed requests.
#[derive(Clone, Debug, Default)]
pub(crate) struct Flows {
    /// The diagram resources requests reach.
    pub nodes: Vec<ResourceId>,
    /// Failures at each node.
    pub node_failed: Vec<Meter>,
    pub edges: Vec<Edge>,
    /// Per node, the links leaving it: (to, edge).
    out: Vec<Vec<(u32, u32)>>,
    pub source_node: Vec<u32>,
    /// Per station (launched ones appended by `member_launched`), its node.
    station_node: Vec<u32>,
    pub balancer_node: Vec<u32>,
    pub relay_node: Vec<u32>,
    pub group_node: Vec<u32>,
    pub queue_node: Vec<u32>,
    unmodelled_node: Vec<u32>,
    /// Followed requests a second of simulated time; zero follows none.
    pub traced_per_sec: f64,
    credit: f64,
    /// The sources' total rate in the second `rate_second`.
    source_rate: f64,
    rate_second: Option<u64>,
    pub traces: VecDeque<TracedRequest>,
    /// The number of `traces[0]`.
    pub first_trace: u64,
    next_trace: u64,
}

impl Flows {
    pub(crate) fn new(net: &Net) -> Self {
        let mut index: BTreeMap<ResourceId, u32> = BTreeMap::new();
        let mut nodes = Vec::new();
        let mut node = |id: &ResourceId| -> u32 {
            *index.entry(id.clone()).or_insert_with(|| {
                nodes.push(id.clone());
                (nodes.len() - 1) as u32
            })
        };
        let source_node = net.sources.iter().map(|s| node(&s.id)).collect();
        let group_node: Vec<u32> = net.groups.iter().map(|(id, _)| node(id)).collect();
        let station_node = net
            .stations
            .iter()
            .map(|s| match s.group {
                Some(g) => group_node[g as usize],
                None => node(&s.id),
            })
            .collect();
        let balancer_node = net.balancers.iter().map(|b| node(&b.id)).collect();
        let relay_node = net.relays.iter().map(|r| node(&r.id)).collect();
        let queue_node = net.queues.iter().map(|q| node(&q.owner)).collect();
        let unmodelled_node = net.unmodelled.iter().map(&mut node).collect();
        let count = nodes.len();
        Flows {
            nodes,
            node_failed: vec![Meter::default(); count],
            out: vec![Vec::new(); count],
            source_node,
            station_node,
            balancer_node,
            relay_node,
            group_node,
            queue_node,
            unmodelled_node,
            ..Flows::default()
        }
    }

    /// The link from `from` to `to`, made on first use.
    #[inline]
    fn edge(&mut self, from: u32, to: u32) -> u32 {
        if let Some(&(_, e)) = self.out[from as usize].iter().find(|(t, _)| *t == to) {
            return e;
        }
        let e = self.edges.len() as u32;
        self.edges.push(Edge {
            from,
            to,
            sent: Meter::default(),
            failed: Meter::default(),
            writes: 0,
            kb: 0.0,
            write_kb: 0.0,
        });
        self.out[from as usize].push((to, e));
        e
    }

    /// A station launched into group `g` counts as the group.
    pub(crate) fn member_launched(&mut self, g: u32) {
        let node = self.group_node[g as usize];
        self.station_node.push(node);
    }

    /// The index of a trace by number, if still kept.
    fn trace_mut(&mut self, number: u64) -> Option<&mut TracedRequest> {
        let i = number.checked_sub(self.first_trace)?;
        self.traces.get_mut(i as usize)
    }
}

impl Engine {
    /// The node a station counts as: its group's, for an instance of a group.
    #[inline]
    pub(super) fn station_node(&self, station: u32) -> u32 {
        self.flows.station_node[station as usize]
    }

    /// The node a hop leads to.
    #[inline]
    pub(super) fn hop_node(&self, hop: Hop) -> u32 {
        let f = &self.flows;
        match hop {
            Hop::Station(s) => self.station_node(s),
            Hop::Balancer(b) => f.balancer_node[b as usize],
            Hop::Relay(r) => f.relay_node[r as usize],
            Hop::Group(g) => f.group_node[g as usize],
            Hop::ReadSplit(i) => self.hop_node(self.net.splits[i as usize].writes),
            Hop::Unmodelled(u) => f.unmodelled_node.get(u as usize).copied().unwrap_or(0),
            Hop::Guarded(g) => self.hop_node(self.net.guards[g as usize].inner),
        }
    }

    /// `request` crosses from node `from` to node `to`.
    #[inline]
    pub(super) fn cross(&mut self, request: u32, from: u32, to: u32) {
        if from == to {
            return;
        }
        let now = self.now;
        let e = self.flows.edge(from, to);
        let r = &mut self.requests[request as usize];
        let edge = &mut self.flows.edges[e as usize];
        edge.sent.add(now);
        edge.kb += f64::from(r.kb);
        if r.write {
            edge.writes += 1;
            edge.write_kb += f64::from(r.kb);
        }
        r.last_edge = e;
        if let Some(number) = r.trace
            && let Some(trace) = self.flows.trace_mut(number)
        {
            trace.hops.push(TraceHop {
                from,
                to,
                secs: to_secs(now),
            });
        }
    }

    /// Counts a failure where it happened and on the link that led there.
    pub(super) fn count_failure(&mut self, request: u32, reason: Failure, at: Place) {
        let now = self.now;
        let node = match at {
            Place::Station(s) => {
                self.stations[s as usize].failed_recently.add(now);
                self.station_node(s)
            }
            Place::Balancer(b) => self.flows.balancer_node[b as usize],
            Place::Group(g) => self.flows.group_node[g as usize],
            Place::Guard(g) => self.hop_node(self.net.guards[g as usize].inner),
            Place::Relay(r) => self.flows.relay_node[r as usize],
        };
        if let Some(m) = self.flows.node_failed.get_mut(node as usize) {
            m.add(now);
        }
        let r = &self.requests[request as usize];
        if r.last_edge != NO_EDGE {
            self.flows.edges[r.last_edge as usize].failed.add(now);
        }
        if let Some(number) = r.trace {
            self.end_trace(number, Outcome::Failed { reason, at: node });
        }
    }

    /// Follows about `per_sec` requests a second from now on.
    pub(crate) fn follow_requests(&mut self, per_sec: f64) {
        self.flows.traced_per_sec = if per_sec.is_finite() {
            per_sec.max(0.0)
        } else {
            0.0
        };
    }

    /// Decides whether to follow a new request, at the rate asked for.
    #[inline(always)]
    pub(super) fn maybe_trace(&mut self, request: u32) {
        if self.flows.traced_per_sec > 0.0 {
            self.trace_by_credit(request);
        }
    }

    /// Follows `request` when the credit of requests to follow allows.
    fn trace_by_credit(&mut self, request: u32) {
        let per_sec = self.flows.traced_per_sec;
        let t = to_secs(self.now);
        // The sources' total rate, worked out once a simulated second.
        let second = self.now / crate::sim::events::SECOND;
        if self.flows.rate_second != Some(second) {
            self.flows.rate_second = Some(second);
            self.flows.source_rate = self.net.sources.iter().map(|s| s.rate_at(t)).sum();
        }
        self.flows.credit += per_sec / self.flows.source_rate.max(per_sec);
        if self.flows.credit < 1.0 {
            return;
        }
        self.flows.credit -= 1.0;
        let r = &self.requests[request as usize];
        let trace = TracedRequest {
            number: self.flows.next_trace,
            write: r.write,
            job: r.job.is_some(),
            started_secs: t,
            hops: Vec::new(),
            ended_secs: None,
            outcome: None,
        };
        self.requests[request as usize].trace = Some(self.flows.next_trace);
        self.flows.next_trace += 1;
        let flows = &mut self.flows;
        flows.traces.push_back(trace);
        if flows.traces.len() > TRACES_KEPT {
            flows.traces.pop_front();
            flows.first_trace += 1;
        }
    }

    pub(super) fn end_trace(&mut self, number: u64, outcome: Outcome) {
        let now = to_secs(self.now);
        if let Some(trace) = self.flows.trace_mut(number) {
            trace.ended_secs = Some(now);
            trace.outcome = Some(outcome);
        }
    }
}

/// Seconds of followed requests a snapshot holds.
pub(super) const TRACE_WINDOW: SimTime = 30 * crate::sim::events::SECOND;
