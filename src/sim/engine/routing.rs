//! Routing: where a request goes next — a balancer's pick among its healthy targets, DNS
//! and CDN relays, and a station's admission (served, queued or refused).

use rand::RngExt;

use super::dns::Resolution;
use super::{Engine, Frame, Place, faults};
use crate::model::config::edge::RoutingAlgorithm;
use crate::sim::build::{Gate, Hop};
use crate::sim::events::{Event, from_secs};
use crate::sim::stats::Failure;

impl Engine {
    /// Sends a request from node `from` to `hop`. Returns true when a station now holds
    /// it or it failed (and is gone); false when the hop answered at once (an edge hit,
    /// something not modelled).
    pub(super) fn route(&mut self, request: u32, from: u32, hop: Hop) -> bool {
        let hop = match hop {
            Hop::ReadSplit(i) => self.split_target(request, i),
            hop => hop,
        };
        let to = self.hop_node(hop);
        self.cross(request, from, to);
        self.route_counted(request, to, hop)
    }

    /// `route` once the link into node `to`, where `hop` is, is counted.
    fn route_counted(&mut self, request: u32, to: u32, hop: Hop) -> bool {
        match hop {
            Hop::Station(s) => self.enter(s, request),
            Hop::Balancer(b) => match self.pick(b) {
                Some(s) => {
                    self.routed[b as usize] += 1;
                    if let Some(secs) = self.net.balancers[b as usize].timeout_secs {
                        self.set_deadline(request, secs, Place::Balancer(b));
                    }
                    let target = self.station_node(s);
                    self.cross(request, to, target);
                    if let Some(guard) = self.balancer_guard(b, s)
                        && !self.passes(request, guard, self.stations[s as usize].spec.az)
                    {
                        return true;
                    }
                    self.enter(s, request)
                }
                None => {
                    self.fail(request, Failure::NoTarget, Place::Balancer(b));
                    true
                }
            },
            Hop::Group(g) => {
                let stations = &self.net.groups[g as usize].1;
                if stations.is_empty() {
                    self.fail(request, Failure::NoTarget, Place::Group(g));
                    true
                } else {
                    let s = stations[self.balancer_rng.random_range(0..stations.len())];
                    self.enter(s, request)
                }
            }
            Hop::Relay(r) if self.net.relays[r as usize].dns.is_some() => {
                let source = self.requests[request as usize].source;
                match self.resolve(r, source) {
                    Resolution::To(next) => self.route(request, to, next),
                    Resolution::Itself => {
                        self.relay_answered[r as usize] += 1;
                        false
                    }
                    Resolution::NoAnswer => {
                        self.fail(request, Failure::NoTarget, Place::Relay(r));
                        true
                    }
                }
            }
            Hop::Relay(r) => {
                let relay = &self.net.relays[r as usize];
                let hit = relay.hit_ratio > 0.0 && self.relay_rng.random::<f64>() < relay.hit_ratio;
                if hit || relay.next.is_empty() {
                    self.relay_answered[r as usize] += 1;
                    return false;
                }
                let next = if relay.next.len() == 1 {
                    relay.next[0]
                } else {
                    relay.next[self.relay_rng.random_range(0..relay.next.len())]
                };
                if let Some(secs) = relay.timeout_secs {
                    self.set_deadline(request, secs, Place::Relay(r));
                }
                self.route(request, to, next)
            }
            Hop::Guarded(g) => {
                let az = self.requests[request as usize]
                    .frames
                    .last()
                    .and_then(|f| self.stations[f.station as usize].spec.az);
                if !self.passes(request, g, az) {
                    return true;
                }
                // The link was counted already: go on as the hop it guards (same node).
                let inner = self.net.guards[g as usize].inner;
                self.route_counted(request, to, inner)
            }
            Hop::ReadSplit(i) => {
                let writes = self.net.splits[i as usize].writes;
                self.route_counted(request, to, writes)
            }
            Hop::Unmodelled(u) => {
                if let Some(hits) = self.unmodelled_hits.get_mut(u as usize) {
                    *hits += 1;
                }
                false
            }
        }
    }
    /// Where a split sends `request`: a write to the database, a read to the next of its
    /// replicas in service (round robin), or to the database when none is.
    fn split_target(&mut self, request: u32, split: u32) -> Hop {
        let spec = &self.net.splits[split as usize];
        if self.requests[request as usize].write {
            return spec.writes;
        }
        let n = spec.reads.len();
        for k in 0..n {
            let i = (self.split_next[split as usize] as usize + k) % n;
            let (hop, station) = spec.reads[i];
            if self.stations[station as usize].state == super::State::InService {
                self.split_next[split as usize] = ((i + 1) % n) as u32;
                return hop;
            }
        }
        spec.writes
    }

    /// Logs a burstable instance running out of CPU credits, or back above its baseline.
    #[inline(always)]
    pub(super) fn note_credits(&mut self, station: u32) {
        let s = &self.stations[station as usize];
        if s.throttled != s.throttle_noted {
            self.note_credit_change(station);
        }
    }

    #[cold]
    fn note_credit_change(&mut self, station: u32) {
        let s = &mut self.stations[station as usize];
        s.throttle_noted = s.throttled;
        let name = s.spec.id.clone();
        let baseline = s.spec.burst.map_or(1.0, |b| b.baseline) * 100.0;
        let text = if s.throttled {
            format!(
                "{name} has spent its CPU credits: held to its baseline of {baseline:.0} % per vCPU"
            )
        } else {
            format!("{name} has earned CPU credits again and runs at full speed")
        };
        self.note(&name, text);
    }

    /// `request` fails at `place` unless answered within `secs` (the earliest deadline
    /// holds).
    fn set_deadline(&mut self, request: u32, secs: f64, place: Place) {
        let deadline = self.now.saturating_add(from_secs(secs));
        let r = &mut self.requests[request as usize];
        if deadline < r.deadline {
            r.deadline = deadline;
            r.deadline_at = Some(place);
        }
    }

    /// The guard of the link from balancer `b` to its target `station`, if any.
    fn balancer_guard(&self, b: u32, station: u32) -> Option<u32> {
        let guards = &self.net.balancers[b as usize].guards;
        if guards.is_empty() {
            return None;
        }
        let group = self.stations[station as usize].spec.group;
        guards
            .iter()
            .find(|(hop, _)| match *hop {
                Hop::Group(g) => Some(g) == group,
                Hop::Station(s) => s == station,
                _ => false,
            })
            .map(|(_, guard)| *guard)
    }

    /// Whether the network lets `request` along guarded link `g` from AZ `az`; if not, it
    /// fails there.
    fn passes(&mut self, request: u32, g: u32, az: Option<u32>) -> bool {
        match self.gate(g, az) {
            Ok(None) => return true,
            Ok(Some(index)) => {
                self.nat_kb[g as usize][index] += f64::from(self.requests[request as usize].kb);
                return true;
            }
            Err(()) => self.note_blocked(g, az, "requests"),
        }
        if self.measuring() {
            self.guard_stopped[g as usize] += 1;
        }
        self.fail(request, Failure::Blocked, Place::Guard(g));
        false
    }

    /// Whether guarded link `g` lets a sender in AZ `az` through: `Ok(None)` when open,
    /// `Ok(Some(i))` through the NAT gateway of its `per_az[i]`, `Err` when stopped.
    pub(super) fn gate(&self, g: u32, az: Option<u32>) -> Result<Option<usize>, ()> {
        let (index, gate) = self.net.guards[g as usize].gate_for(az);
        match gate {
            None | Some(Gate::Open) => Ok(None),
            Some(Gate::ViaNat { az: nat_az, .. })
                if !nat_az.is_some_and(|a| self.az_down[a as usize]) =>
            {
                Ok(Some(index))
            }
            _ => Err(()),
        }
    }

    /// Logs, once per guarded link, why it stops `what` (requests, polls) from AZ `az`.
    pub(super) fn note_blocked(&mut self, g: u32, az: Option<u32>, what: &str) {
        if self.guard_noted[g as usize] {
            return;
        }
        self.guard_noted[g as usize] = true;
        let spec = &self.net.guards[g as usize];
        let why = match spec.gate_for(az).1 {
            Some(Gate::Blocked(why)) => why.clone(),
            Some(Gate::ViaNat { nat, .. }) => format!("{nat} is down with its Availability Zone"),
            _ => String::new(),
        };
        let (from, to) = (spec.from.clone(), spec.to.clone());
        self.note(
            &to,
            format!("{what} from {from} to {to} are blocked: {why}"),
        );
    }

    /// The station a balancer sends the next request to: among the targets its health
    /// checks find healthy, or, when none is, among all of them (ELB fails open).
    pub(super) fn pick(&mut self, balancer: u32) -> Option<u32> {
        let state = &self.balancers[balancer as usize];
        let n = state.targets.len();
        let healthy = state
            .targets
            .iter()
            .filter(|t| t.healthy && !t.gone)
            .count();
        let open = healthy == 0;
        let candidate = |t: &faults::Target| !t.gone && (t.healthy || open);
        if !state.targets.iter().any(candidate) {
            return None;
        }
        let start = self.round_robin[balancer as usize];
        let i = match self.net.balancers[balancer as usize].algorithm {
            RoutingAlgorithm::RoundRobin => (0..n)
                .map(|k| (start + k) % n)
                .find(|&i| candidate(&state.targets[i]))
                .unwrap_or(0),
            RoutingAlgorithm::LeastOutstandingRequests => {
                // Fewest in flight; ties go round robin so that no target is favoured.
                (0..n)
                    .map(|k| (start + k) % n)
                    .filter(|&i| candidate(&state.targets[i]))
                    .min_by_key(|&i| self.stations[state.targets[i].station as usize].in_system())
                    .unwrap_or(0)
            }
            RoutingAlgorithm::WeightedRandom | RoutingAlgorithm::FlowHash => {
                let candidates = if open {
                    n - state.targets.iter().filter(|t| t.gone).count()
                } else {
                    healthy
                };
                let pick = self.balancer_rng.random_range(0..candidates.max(1));
                (0..n)
                    .filter(|&i| candidate(&state.targets[i]))
                    .nth(pick)
                    .unwrap_or(0)
            }
        };
        self.round_robin[balancer as usize] = (i + 1) % n;
        Some(state.targets[i].station)
    }
    /// A request reaches a station: served at once, queued, or refused. Returns true (the
    /// station holds it, or it failed and is gone).
    #[inline]
    pub(super) fn enter(&mut self, station: u32, request: u32) -> bool {
        self.note_credits(station);
        let measuring = self.measuring();
        let now = self.now;
        if let Some(reason) = self.stations[station as usize].state.refusal() {
            self.fail(request, reason, Place::Station(station));
            return true;
        }
        let warmup = self.settings.warmup;
        let r = &self.requests[request as usize];
        let write = r.write;
        // A call between AZs moves its data across them (billed both ways).
        if let Some(caller) = r.frames.last()
            && let (Some(from), Some(to)) = (
                self.stations[caller.station as usize].spec.az,
                self.stations[station as usize].spec.az,
            )
            && from != to
        {
            self.inter_az_kb[to as usize] += f64::from(r.kb);
        }
        let s = &mut self.stations[station as usize];
        if s.spec.replica_of.is_some() && measuring {
            // A read at a replica sees the data as of the writes applied so far.
            let lag = crate::sim::events::to_secs(s.applied_at.saturating_sub(now));
            s.lag_sum_secs += lag;
            s.lag_reads += 1;
            s.lag_max_secs = s.lag_max_secs.max(lag);
        }
        s.entered += 1;
        s.arrived_recently.add(now);
        if let (Some(limit), Some(throttle)) = (&s.spec.limit, &mut s.throttle)
            && !throttle.admit(limit, now, write)
        {
            s.refused += 1;
            if measuring {
                s.stats.arrivals += 1;
                s.stats.lost += 1;
            }
            self.fail(request, Failure::Throttled, Place::Station(station));
            return true;
        }
        s.touch(now, warmup);
        if measuring {
            s.stats.arrivals += 1;
        }
        if s.busy < s.spec.servers {
            let cold = match s.spec.lambda.map(|lambda| s.environment(&lambda, now)) {
                Some(Err(())) => {
                    s.refused += 1;
                    if measuring {
                        s.stats.lost += 1;
                    }
                    self.fail(request, Failure::Throttled, Place::Station(station));
                    return true;
                }
                Some(Ok(cold)) => cold,
                None => false,
            };
            s.busy += 1;
            s.cpu_busy += 1;
            if measuring {
                s.stats.admitted += 1;
            }
            let mut work = s.service.sample(&mut s.rng) / s.cpu_speed() + s.extra_secs;
            if cold && let Some(lambda) = s.spec.lambda {
                work += lambda.cold_start_secs;
                if measuring {
                    s.stats.cold_starts += 1;
                }
            }
            let t = now + from_secs(work).max(1);
            let epoch = s.epoch;
            self.queue.push(
                t,
                Event::Finish {
                    station,
                    request,
                    epoch,
                },
            );
        } else if (s.in_system() as u64) < u64::from(s.spec.capacity) {
            s.waiting.push_back(request);
            if measuring {
                s.stats.admitted += 1;
                s.stats.waited += 1;
            }
        } else {
            s.refused += 1;
            if measuring {
                s.stats.lost += 1;
            }
            let reason = if s.spec.lambda.is_some() {
                Failure::Throttled
            } else {
                Failure::QueueFull
            };
            self.fail(request, reason, Place::Station(station));
            return true;
        }
        let epoch = self.stations[station as usize].epoch;
        self.requests[request as usize].frames.push(Frame {
            station,
            epoch,
            entered: now,
            call: 0,
            skip_database: false,
        });
        true
    }
}
