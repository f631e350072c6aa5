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

impl Engine {
    /// Loses the cluster's nodes `which` chooses; the last one takes the cluster down.
    /// Returns false when the station has no nodes (not Memcached).
    pub(super) fn lose_cache_nodes(
        &mut self,
        station: u32,
        cause: &str,
        which: impl Fn(usize, Option<u32>) -> bool,
    ) -> bool {
        let s = &mut self.stations[station as usize];
        let (Some(spec), Some(nodes)) = (s.spec.cache_nodes.clone(), s.nodes.as_mut()) else {
            return false;
        };
        let total = spec.azs.len();
        let mut lost = 0;
        for (i, az) in spec.azs.iter().enumerate() {
            if nodes.up[i] && which(i, *az) {
                nodes.up[i] = false;
                lost += 1;
            }
        }
        if lost == 0 {
            return true;
        }
        let left = nodes.up.iter().filter(|u| **u).count();
        let name = s.spec.id.clone();
        if left == 0 {
            self.take_down(station, State::Down);
            self.note(
                &name,
                format!("{name} is down ({cause}): no Memcached node left"),
            );
            return true;
        }
        // Consistent hashing moves the lost nodes' keys to the others, empty.
        nodes.cold_keys = (nodes.cold_keys + spec.keys * lost as f64 / total as f64).min(spec.keys);
        s.touch(self.now, self.settings.warmup);
        s.spec.servers = spec.servers_per_node * left as u32;
        self.note(
            &name,
            format!(
                "{name} loses {lost} of its {total} Memcached nodes ({cause}): their share of the keys misses until read again"
            ),
        );
        true
    }

    /// Replaces the cluster's lost nodes `which` chooses, empty: their share of the keys
    /// moves back to them and misses again. Returns false when it has no nodes.
    pub(super) fn replace_cache_nodes(
        &mut self,
        station: u32,
        which: impl Fn(usize, Option<u32>) -> bool,
    ) -> bool {
        let now = self.now;
        let warmup = self.settings.warmup;
        let s = &mut self.stations[station as usize];
        let (Some(spec), Some(nodes)) = (s.spec.cache_nodes.clone(), s.nodes.as_mut()) else {
            return false;
        };
        let total = spec.azs.len();
        let mut back = 0;
        for (i, az) in spec.azs.iter().enumerate() {
            if !nodes.up[i] && which(i, *az) {
                nodes.up[i] = true;
                back += 1;
            }
        }
        if back == 0 {
            return true;
        }
        let up = nodes.up.iter().filter(|u| **u).count();
        nodes.cold_keys = (nodes.cold_keys + spec.keys * back as f64 / total as f64).min(spec.keys);
        s.touch(now, warmup);
        s.spec.servers = spec.servers_per_node * up as u32;
        if s.state == State::Down {
            s.set_state(State::InService, now);
        }
        let name = s.spec.id.clone();
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
