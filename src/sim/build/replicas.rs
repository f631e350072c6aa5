//! RDS read replicas: an instance fed by a replication link from another is its read
//! replica. A tier that calls both sends its writes to the source and spreads its reads
//! over the replicas (the read/write split applications make), and each write the source
//! commits is applied on its replicas later, one at a time: the replication lag.

use super::{Builder, Hop, Net, SplitSpec};
use crate::model::{Config, Kind, LinkKind};

impl Builder<'_> {
    /// Marks replicas and their sources, and turns calls to a source and its replicas
    /// into one read/write split.
    pub(super) fn read_replicas(&mut self) {
        for link in self.d.links() {
            if link.kind != LinkKind::Replication {
                continue;
            }
            let is_rds = |id: &str| {
                self.d.resource(id).is_some_and(|r| {
                    r.kind() == Kind::RdsInstance && matches!(r.config, Config::RdsInstance(_))
                })
            };
            if !is_rds(link.from.as_str()) || !is_rds(link.to.as_str()) {
                continue;
            }
            let (Some(Hop::Station(source)), Some(Hop::Station(replica))) = (
                self.hops.get(&link.from).copied(),
                self.hops.get(&link.to).copied(),
            ) else {
                continue;
            };
            self.net.stations[source as usize].replicas.push(replica);
            self.net.stations[replica as usize].replica_of = Some(source);
        }
        for s in 0..self.net.stations.len() {
            let calls = std::mem::take(&mut self.net.stations[s].calls);
            self.net.stations[s].calls = split_calls(&mut self.net, calls);
        }
    }
}

/// The station a call reaches, through its guard.
fn station_of(net: &Net, hop: Hop) -> Option<u32> {
    match hop {
        Hop::Station(s) => Some(s),
        Hop::Guarded(g) => station_of(net, net.guards[g as usize].inner),
        _ => None,
    }
}

/// `calls` with each call to a database that has replicas among the other calls merged
/// with them into a split.
fn split_calls(net: &mut Net, calls: Vec<Hop>) -> Vec<Hop> {
    let stations: Vec<Option<u32>> = calls.iter().map(|c| station_of(net, *c)).collect();
    let mut out = Vec::with_capacity(calls.len());
    for (i, &call) in calls.iter().enumerate() {
        // A replica called beside its source joins the source's split.
        let source = stations[i].and_then(|s| net.stations[s as usize].replica_of);
        if source.is_some_and(|src| stations.contains(&Some(src))) {
            continue;
        }
        let reads: Vec<(Hop, u32)> = match stations[i] {
            Some(s) => (0..calls.len())
                .filter_map(|j| {
                    stations[j]
                        .filter(|r| net.stations[s as usize].replicas.contains(r))
                        .map(|r| (calls[j], r))
                })
                .collect(),
            None => Vec::new(),
        };
        if reads.is_empty() {
            out.push(call);
        } else {
            net.splits.push(SplitSpec {
                writes: call,
                reads,
            });
            out.push(Hop::ReadSplit((net.splits.len() - 1) as u32));
        }
    }
    out
}
