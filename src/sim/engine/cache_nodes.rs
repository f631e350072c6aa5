//! Memcached clusters: keys are spread over the nodes, so a lost node takes its share of
//! the keys with it. The application then misses on those keys (and reads the database
//! instead) until each has been read once and cached again — the hit ratio drops, then
//! warms back. A replacement node starts empty, and its share misses once more.

use rand::RngExt;

use super::Engine;
use super::station::{State, Station};

/// A cluster's nodes at run time.
#[derive(Clone, Debug, Default)]
pub(crate) struct NodesState {
    pub up: Vec<bool>,
    /// Keys not in the cache now, of `CacheNodes::keys`.
    pub cold_keys: f64,
}

impl Station {
    /// Whether a read the hit ratio would answer from the cache finds its key cold: a
    /// uniformly chosen key is cold in proportion, and is cached by this miss.
    #[inline]
    pub(crate) fn cold_miss(&mut self) -> bool {
        let (Some(spec), Some(nodes)) = (&self.spec.cache_nodes, &mut self.nodes) else {
            return false;
        };
        if nodes.cold_keys < 1.0 {
            return false;
        }
        if self.rng.random::<f64>() * spec.keys < nodes.cold_keys {
            nodes.cold_keys -= 1.0;
            return true;
        }
        false
    }
}

/// What turning some nodes down or up did.
struct Turned {
    changed: usize,
    total: usize,
    up: usize,
}

impl Engine {
    /// Turns the nodes `which` chooses down (`up` false) or up, empty either way: the keys
    /// they held, or that move back to them, miss until read again. None when the station
    /// has no nodes (not Memcached).
    fn turn_nodes(
        &mut self,
        station: u32,
        up: bool,
        which: impl Fn(usize, Option<u32>) -> bool,
    ) -> Option<Turned> {
        let (now, warmup) = (self.now, self.settings.warmup);
        let az_down = &self.az_down;
        let s = &mut self.stations[station as usize];
        let (Some(spec), Some(nodes)) = (s.spec.cache_nodes.as_ref(), s.nodes.as_mut()) else {
            return None;
        };
        let total = spec.azs.len();
        let mut changed = 0;
        for (i, az) in spec.azs.iter().enumerate() {
            // A node comes back only in a zone that is up.
            let zone_down = az.is_some_and(|a| az_down[a as usize]);
            if nodes.up[i] != up && which(i, *az) && !(up && zone_down) {
                nodes.up[i] = up;
                changed += 1;
            }
        }
        let now_up = nodes.up.iter().filter(|u| **u).count();
        if changed > 0 && now_up > 0 {
            // Consistent hashing moves the keys of the nodes that changed, cold.
            nodes.cold_keys =
                (nodes.cold_keys + spec.keys * changed as f64 / total as f64).min(spec.keys);
            let servers = spec.servers_per_node * now_up as u32;
            s.touch(now, warmup);
            s.spec.servers = servers;
        }
        Some(Turned {
            changed,
            total,
            up: now_up,
        })
    }

    /// Loses the cluster's nodes `which` chooses; the last one takes the cluster down.
    /// Returns false when the station has no nodes (not Memcached).
    pub(super) fn lose_cache_nodes(
        &mut self,
        station: u32,
        cause: &str,
        which: impl Fn(usize, Option<u32>) -> bool,
    ) -> bool {
        let Some(t) = self.turn_nodes(station, false, which) else {
            return false;
        };
        let name = self.stations[station as usize].spec.id.clone();
        if t.changed == 0 {
            return true;
        }
        if t.up == 0 {
            self.take_down(station, State::Down);
            self.note(
                &name,
                format!("{name} is down ({cause}): no Memcached node left"),
            );
        } else {
            let (lost, total) = (t.changed, t.total);
            self.note(
                &name,
                format!(
                    "{name} loses {lost} of its {total} Memcached nodes ({cause}): their share of the keys misses until read again"
                ),
            );
        }
        true
    }

    /// Replaces the cluster's lost nodes `which` chooses, empty: their share of the keys
    /// moves back to them and misses again. Returns false when it has no nodes.
    pub(super) fn replace_cache_nodes(
        &mut self,
        station: u32,
        which: impl Fn(usize, Option<u32>) -> bool,
    ) -> bool {
        let Some(t) = self.turn_nodes(station, true, which) else {
            return false;
        };
        if t.changed == 0 {
            return true;
        }
        let now = self.now;
        let s = &mut self.stations[station as usize];
        if s.state == State::Down {
            s.set_state(State::InService, now);
        }
        let name = s.spec.id.clone();
        let (back, up, total) = (t.changed, t.up, t.total);
        self.note(
            &name,
            format!("{name} gets {back} new Memcached nodes, empty: {up} of {total} in service"),
        );
        true
    }

    /// The share of its keys a Memcached cluster holds now (1 for other stations).
    pub(super) fn warm_share(&self, station: u32) -> f64 {
        let s = &self.stations[station as usize];
        match (&s.spec.cache_nodes, &s.nodes) {
            (Some(spec), Some(nodes)) => 1.0 - nodes.cold_keys / spec.keys,
            _ => 1.0,
        }
    }
}
