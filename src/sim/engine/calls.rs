//! A request's way through the stations: the calls a station makes down the tiers while
//! it holds a worker, leaving a station (a cache hit spares the database, a write goes on
//! to the read replicas), and freeing the worker for the next request waiting.

use rand::RngExt;

use super::{Engine, Frame, Place};
use crate::sim::build::{Hop, Role};
use crate::sim::events::{Event, SimTime, from_secs, to_secs};
use crate::sim::stats::Failure;

impl Engine {
    /// The innermost station finished its own work on the request: make its next call, or
    /// leave it and return to the caller.
    pub(super) fn proceed(&mut self, request: u32) {
        loop {
            let Some(frame) = self.requests[request as usize].frames.last().copied() else {
                self.complete(request);
                return;
            };
            let station = &self.stations[frame.station as usize];
            if station.epoch != frame.epoch {
                // The station holding this call failed meanwhile: the answer has nowhere
                // to go.
                let reason = station.state.refusal().unwrap_or(Failure::InstanceDown);
                self.fail(request, reason, Place::Station(frame.station));
                return;
            }
            let spec = &self.stations[frame.station as usize].spec;
            let write = self.requests[request as usize].write;
            let next_call = (usize::from(frame.call)..spec.calls.len()).find(|&i| {
                let target_role = self.role_of(spec.calls[i]);
                let spared = frame.skip_database && target_role == Some(Role::Database);
                let bypassed = write && target_role == Some(Role::Cache);
                !(spared || bypassed)
            });
            match next_call {
                Some(i) => {
                    let hop = spec.calls[i];
                    if let Some(top) = self.requests[request as usize].frames.last_mut() {
                        top.call = (i + 1) as u16;
                    }
                    let frames_before = self.requests[request as usize].frames.len();
                    let from = self.station_node(frame.station);
                    if self.route(request, from, hop) {
                        // Held downstream (or failed and gone): the call returns later.
                        return;
                    }
                    // Answered at once: carry on with the next call.
                    debug_assert_eq!(frames_before, self.requests[request as usize].frames.len());
                }
                None => {
                    let hit = self.leave(request);
                    if let Some(lambda) = self.stations[frame.station as usize].spec.lambda
                        && self.now - frame.entered > from_secs(lambda.timeout_secs)
                    {
                        // The function ran past its timeout: the invocation fails.
                        self.fail(request, Failure::Timeout, Place::Station(frame.station));
                        return;
                    }
                    if !self.proceed_after_return(request, hit) {
                        return;
                    }
                }
            }
        }
    }

    /// The role of the station a hop leads to directly, if it is one.
    /// A write committed at `source`: each replica applies it after the writes before it,
    /// taking its own query time (one applier thread, as MySQL and PostgreSQL replicas
    /// replay by default).
    pub(super) fn replicate(&mut self, source: u32) {
        let now = self.now;
        for i in 0..self.stations[source as usize].spec.replicas.len() {
            let r = self.stations[source as usize].spec.replicas[i] as usize;
            let replica = &mut self.stations[r];
            let apply = from_secs(replica.spec.mean_service_secs).max(1);
            replica.applied_at = replica.applied_at.max(now) + apply;
        }
    }

    pub(super) fn role_of(&self, hop: Hop) -> Option<Role> {
        match hop {
            Hop::ReadSplit(i) => self.role_of(self.net.splits[i as usize].writes),
            Hop::Station(s) => Some(self.stations[s as usize].spec.role),
            Hop::Guarded(g) => self.role_of(self.net.guards[g as usize].inner),
            _ => None,
        }
    }

    /// After a call returned (`cache_hit` from a cache): mark the caller, or complete the
    /// request if nothing called. Returns true when a caller continues.
    pub(super) fn proceed_after_return(&mut self, request: u32, cache_hit: bool) -> bool {
        match self.requests[request as usize].frames.last_mut() {
            Some(caller) => {
                caller.skip_database |= cache_hit;
                true
            }
            None => {
                self.complete(request);
                false
            }
        }
    }

    /// The innermost station is done with the request: free its worker for the next one
    /// waiting. Returns whether it was a cache hit.
    #[inline]
    pub(super) fn leave(&mut self, request: u32) -> bool {
        let now = self.now;
        let Some(frame) = self.requests[request as usize].frames.pop() else {
            return false;
        };
        let hit = self.release(frame, now, true);
        if self.requests[request as usize].write
            && !self.stations[frame.station as usize]
                .spec
                .replicas
                .is_empty()
        {
            self.replicate(frame.station);
        }
        let spec = &self.stations[frame.station as usize].spec;
        if !spec.enqueues.is_empty()
            && (!spec.enqueues_writes_only || self.requests[request as usize].write)
        {
            for i in 0..spec.enqueues.len() {
                let q = self.stations[frame.station as usize].spec.enqueues[i];
                self.enqueue(q, now);
            }
        }
        hit
    }

    /// Frees the worker `frame` holds; records its time there if `served`.
    #[inline]
    pub(super) fn release(&mut self, frame: Frame, now: SimTime, served: bool) -> bool {
        self.note_credits(frame.station);
        let warmup = self.settings.warmup;
        if served
            && frame.entered >= warmup
            && self.stations[frame.station as usize].epoch == frame.epoch
        {
            let node = self.station_node(frame.station) as usize;
            if node >= self.tier_latency.len() {
                self.tier_latency.resize_with(node + 1, || None);
            }
            self.tier_latency[node]
                .get_or_insert_with(Default::default)
                .record(now - frame.entered);
        }
        let s = &mut self.stations[frame.station as usize];
        if s.epoch != frame.epoch {
            // Held at a station that failed since: its workers were already freed.
            return false;
        }
        s.touch(now, warmup);
        let hit = served
            && s.spec.role == Role::Cache
            && s.spec.hit_ratio > 0.0
            && s.rng.random::<f64>() < s.spec.hit_ratio
            && !s.cold_miss();
        if now > warmup {
            // Little's law over the measured window: each request's time in the station
            // within it, including one that entered during the warm-up.
            s.stats.departed += 1;
            s.stats.sojourn_sum += to_secs(now - frame.entered.max(warmup));
        }
        if served {
            s.served_total += 1;
            s.held_secs += to_secs(now - frame.entered);
        }
        if served && frame.entered >= warmup {
            s.stats.completed += 1;
            s.stats.response_sum += to_secs(now - frame.entered);
        }
        if s.spec.lambda.is_some() {
            s.idle_envs.push_back(now);
        }
        if let Some(next) = s.waiting.pop_front() {
            s.cpu_busy += 1;
            let work = s.service.sample(&mut s.rng) / s.cpu_speed() + s.extra_secs;
            let t = now + from_secs(work).max(1);
            let epoch = s.epoch;
            self.queue.push(
                t,
                Event::Finish {
                    station: frame.station,
                    request: next,
                    epoch,
                },
            );
        } else {
            s.busy -= 1;
            if let Some(q) = s.spec.consumes {
                self.pump(q);
            }
        }
        hit
    }

    /// For each station, the requests in it now and their time in it within the
    /// measured window: what Little's law adds for requests that have not left yet.
    pub(crate) fn residents(&self) -> Vec<(u64, f64)> {
        let mut out = vec![(0u64, 0.0f64); self.stations.len()];
        let from = self.settings.warmup;
        if self.now <= from {
            return out;
        }
        for request in &self.requests {
            for frame in &request.frames {
                let s = &self.stations[frame.station as usize];
                if frame.epoch == s.epoch {
                    let entry = &mut out[frame.station as usize];
                    entry.0 += 1;
                    entry.1 += to_secs(self.now - frame.entered.max(from));
                }
            }
        }
        out
    }
}
