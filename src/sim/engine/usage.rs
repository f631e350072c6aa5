//! What a run used, over the whole run, per diagram resource: the quantities AWS bills
//! beyond instance hours (requests, Lambda duration, capacity units, data moved).

use super::Engine;
use crate::model::ResourceId;
use crate::sim::build::Gate;
use crate::sim::events::to_secs;

/// Requests that reached one diagram resource.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct NodeUsage {
    /// The resource.
    pub id: ResourceId,
    /// Requests that reached it.
    pub requests: u64,
    /// Writes among `requests`.
    pub writes: u64,
    /// Kilobytes of the data of `requests` (a read's answer, a write's payload): what a
    /// load balancer or a NAT gateway processes.
    pub kb: f64,
    /// Kilobytes of the writes among them.
    pub write_kb: f64,
    /// Requests straight from traffic sources (users, a data center) or through DNS only.
    pub from_sources: u64,
    /// Kilobytes of the answers to the reads among `from_sources`: data that leaves AWS
    /// (a write's payload comes in, which is free).
    pub read_kb_from_sources: f64,
}

/// The work of the stations of one diagram resource (an Auto Scaling group's instances
/// count as the group).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct StationUsage {
    /// The resource.
    pub id: ResourceId,
    /// Requests served.
    pub served: u64,
    /// Seconds workers were held by them (a Lambda function's billed duration).
    pub held_secs: f64,
    /// Hours its stations ran, and their cost at list prices (none without a price).
    pub hours: f64,
    /// Cost of those hours at list prices.
    pub cost_usd: Option<f64>,
    /// CPU credits spent beyond those earned and not yet paid back (unlimited mode):
    /// billed per vCPU-hour of 60 credits.
    pub surplus_credits: f64,
}

/// What the run used.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct Usage {
    /// Simulated seconds.
    pub secs: f64,
    /// Per resource requests reached, in the order they were first reached.
    pub nodes: Vec<NodeUsage>,
    /// Per resource with stations.
    pub stations: Vec<StationUsage>,
    /// Capacity units taken by tables and buckets with limits (read, write).
    pub units: Vec<(ResourceId, [f64; 2])>,
    /// Requests made to each queue (send, receive, delete).
    pub queue_requests: Vec<(ResourceId, u64)>,
    /// Kilobytes through each NAT gateway.
    pub nat_kb: Vec<(ResourceId, f64)>,
    /// Kilobytes sent between AZs, by the AZ receiving them.
    pub inter_az_kb: Vec<(ResourceId, f64)>,
}

/// Adds `amount` to the entry of `id`, made on first use (lists are short).
pub(crate) fn add_to<T: std::ops::AddAssign + Default>(
    list: &mut Vec<(ResourceId, T)>,
    id: &ResourceId,
    amount: T,
) {
    match list.iter_mut().find(|(i, _)| i == id) {
        Some((_, v)) => *v += amount,
        None => {
            let mut v = T::default();
            v += amount;
            list.push((id.clone(), v));
        }
    }
}

impl Engine {
    /// What the run used so far.
    pub(crate) fn usage(&self) -> Usage {
        let flows = &self.flows;
        let mut nodes: Vec<NodeUsage> = flows
            .nodes
            .iter()
            .map(|id| NodeUsage {
                id: id.clone(),
                requests: 0,
                writes: 0,
                kb: 0.0,
                write_kb: 0.0,
                from_sources: 0,
                read_kb_from_sources: 0.0,
            })
            .collect();
        // DNS answers the client, which then connects itself: its links count as the
        // source's.
        let outside: Vec<u32> = flows
            .source_node
            .iter()
            .copied()
            .chain(
                self.net
                    .relays
                    .iter()
                    .zip(&flows.relay_node)
                    .filter(|(r, _)| r.dns.is_some())
                    .map(|(_, n)| *n),
            )
            .collect();
        for edge in &flows.edges {
            let n = &mut nodes[edge.to as usize];
            let sent = edge.sent.total();
            n.requests += sent;
            n.writes += edge.writes;
            n.kb += edge.kb;
            n.write_kb += edge.write_kb;
            if outside.contains(&edge.from) {
                n.from_sources += sent;
                n.read_kb_from_sources += edge.kb - edge.write_kb;
            }
        }
        nodes.retain(|n| n.requests > 0);

        let mut stations: Vec<StationUsage> = Vec::new();
        let mut units: Vec<(ResourceId, [f64; 2])> = Vec::new();
        for s in &self.stations {
            let id = s
                .spec
                .group
                .map_or(&s.spec.id, |g| &self.net.groups[g as usize].0);
            let i = match stations.iter().position(|u| &u.id == id) {
                Some(i) => i,
                None => {
                    stations.push(StationUsage {
                        id: id.clone(),
                        served: 0,
                        held_secs: 0.0,
                        hours: 0.0,
                        cost_usd: None,
                        surplus_credits: 0.0,
                    });
                    stations.len() - 1
                }
            };
            let u = &mut stations[i];
            u.served += s.served_total;
            u.held_secs += s.held_secs;
            u.surplus_credits += s.surplus_credits;
            u.hours += s.billed_secs(self.now) / 3600.0;
            if let Some(cost) = s.cost_usd(self.now) {
                *u.cost_usd.get_or_insert(0.0) += cost;
            }
            if let Some(throttle) = &s.throttle {
                units.push((id.clone(), throttle.consumed));
            }
        }

        let mut queue_requests = Vec::new();
        for (q, state) in self.queues.iter().enumerate() {
            let c = &state.counts;
            add_to(
                &mut queue_requests,
                &self.net.queues[q].owner,
                c.sent + c.received + c.deleted,
            );
        }

        let mut nat_kb = Vec::new();
        for (g, spec) in self.net.guards.iter().enumerate() {
            for (i, (_, gate)) in spec.per_az.iter().enumerate() {
                if let Gate::ViaNat { nat, .. } = gate
                    && self.nat_kb[g][i] > 0.0
                {
                    add_to(&mut nat_kb, nat, self.nat_kb[g][i]);
                }
            }
        }
        let inter_az_kb = self
            .net
            .azs
            .iter()
            .zip(&self.inter_az_kb)
            .filter(|(_, kb)| **kb > 0.0)
            .map(|(az, kb)| (az.clone(), *kb))
            .collect();
        Usage {
            secs: to_secs(self.now),
            nodes,
            stations,
            units,
            queue_requests,
            nat_kb,
            inter_az_kb,
        }
    }
}
