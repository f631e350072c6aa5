//! Failures and recovery: load balancer health checks, Auto Scaling replacements, Multi-AZ
//! failover, injected actions and the event log.

use serde::Serialize;

use super::{Action, Engine, Failure, State, Station, stream};
use crate::model::ResourceId;
use crate::sim::build::BalancerSpec;
use crate::sim::events::{Event, SimTime, from_secs, to_secs};

/// Seconds between an Auto Scaling group's health checks: EC2 status checks run every
/// minute (EC2 user guide, status checks); the group acts on the next one (an assumption).
const GROUP_CHECK_SECS: f64 = 60.0;

/// Entries the event log keeps; later ones are counted, not kept.
const LOG_LIMIT: usize = 10_000;

/// One line of the event log.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LogEntry {
    /// Seconds from the start.
    pub secs: f64,
    /// The resource it is about.
    pub resource: ResourceId,
    /// What happened.
    pub text: String,
}

/// A load balancer's view of one target.
#[derive(Clone, Debug)]
pub(crate) struct Target {
    pub station: u32,
    pub healthy: bool,
    /// Deregistered (its instance terminated).
    pub gone: bool,
    /// Registered at run time: healthy after a single passed check.
    initial: bool,
    ok_streak: u32,
    fail_streak: u32,
}

/// A load balancer's targets at run time.
#[derive(Clone, Debug)]
pub(crate) struct BalancerState {
    pub targets: Vec<Target>,
}

impl BalancerState {
    pub(crate) fn new(spec: &BalancerSpec) -> Self {
        BalancerState {
            // The run starts with a system in service: every target healthy.
            targets: spec
                .targets
                .iter()
                .map(|&station| Target {
                    station,
                    healthy: true,
                    gone: false,
                    initial: false,
                    ok_streak: 0,
                    fail_streak: 0,
                })
                .collect(),
        }
    }
}

impl Engine {
    pub(super) fn schedule_checks(&mut self) {
        for (b, spec) in self.net.balancers.iter().enumerate() {
            if !spec.targets.is_empty() || !spec.groups.is_empty() {
                self.queue.push(
                    self.now + from_secs(spec.check_interval_secs),
                    Event::HealthCheck { balancer: b as u32 },
                );
            }
        }
        for g in 0..self.net.groups.len() {
            self.queue.push(
                self.now + from_secs(GROUP_CHECK_SECS),
                Event::GroupCheck { group: g as u32 },
            );
            self.queue.push(
                self.now + from_secs(self.net.group_specs[g].metric_period_secs),
                Event::MetricTick { group: g as u32 },
            );
        }
    }

    pub(super) fn note(&mut self, resource: &ResourceId, text: String) {
        if self.log.len() < LOG_LIMIT {
            self.log.push(LogEntry {
                secs: to_secs(self.now),
                resource: resource.clone(),
                text,
            });
        } else {
            self.log_dropped += 1;
        }
    }

    /// Schedules `action` at `at`.
    pub fn schedule_action(&mut self, at: SimTime, action: Action) {
        let index = self.actions.len() as u32;
        self.actions.push(action);
        self.queue.push(at.max(self.now), Event::Action { index });
    }

    pub(super) fn health_check(&mut self, balancer: u32) {
        let spec = &self.net.balancers[balancer as usize];
        let (healthy_after, unhealthy_after) = (spec.healthy_threshold, spec.unhealthy_threshold);
        let id = spec.id.clone();
        let interval = spec.check_interval_secs;
        let mut changes = Vec::new();
        for target in &mut self.balancers[balancer as usize].targets {
            if target.gone {
                continue;
            }
            let ok = self.stations[target.station as usize].state == State::InService;
            if ok {
                target.ok_streak += 1;
                target.fail_streak = 0;
                let needed = if target.initial { 1 } else { healthy_after };
                if !target.healthy && target.ok_streak >= needed {
                    target.healthy = true;
                    target.initial = false;
                    changes.push((target.station, true));
                }
            } else {
                target.fail_streak += 1;
                target.ok_streak = 0;
                if target.healthy && target.fail_streak >= unhealthy_after {
                    target.healthy = false;
                    changes.push((target.station, false));
                }
            }
        }
        for (station, healthy) in changes {
            let name = self.stations[station as usize].spec.id.clone();
            let text = if healthy {
                format!("{id} finds {name} healthy and sends it requests")
            } else {
                format!(
                    "{id} finds {name} unhealthy ({unhealthy_after} failed checks) and stops sending it requests"
                )
            };
            self.note(&name, text);
        }
        self.queue.push(
            self.now + from_secs(interval),
            Event::HealthCheck { balancer },
        );
    }

    /// True when some balancer's health checks find `station` unhealthy.
    fn unhealthy_behind_balancer(&self, station: u32) -> bool {
        self.balancers.iter().any(|b| {
            b.targets
                .iter()
                .any(|t| t.station == station && !t.gone && !t.healthy && !t.initial)
        })
    }

    pub(super) fn group_check(&mut self, group: u32) {
        let spec = self.net.group_specs[group as usize].clone();
        let now = self.now;
        let instances = self.groups[group as usize].clone();
        for station in instances {
            let s = &self.stations[station as usize];
            // EC2 status checks see a stopped instance; only ELB checks see a crashed app.
            let failed_status = s.state == State::Down;
            let in_grace = now.saturating_sub(s.launched_at) < from_secs(spec.grace_secs);
            let failed_elb = spec.elb_health_checks
                && !in_grace
                && s.state != State::Pending
                && self.unhealthy_behind_balancer(station);
            if failed_status || failed_elb {
                let why = if failed_status {
                    "failed its EC2 status checks"
                } else {
                    "failed its load balancer health checks"
                };
                self.replace(group, station, why);
            }
        }
        // Below the desired size (launches refused while every zone was out): launch the
        // missing instances once a zone can take them.
        let missing = (self.scaling[group as usize].desired as usize)
            .saturating_sub(self.groups[group as usize].len());
        let some_zone_up =
            spec.azs.is_empty() || spec.azs.iter().any(|az| !self.az_down[*az as usize]);
        if missing > 0 && some_zone_up {
            for _ in 0..missing {
                self.launch(group);
            }
        }
        self.queue.push(
            now + from_secs(GROUP_CHECK_SECS),
            Event::GroupCheck { group },
        );
    }

    /// Terminates `station` and launches a replacement in the group.
    pub(super) fn replace(&mut self, group: u32, station: u32, why: &str) {
        let name = self.stations[station as usize].spec.id.clone();
        let group_id = self.net.groups[group as usize].0.clone();
        self.take_down(station, State::Terminated);
        self.deregister(group, station);
        self.note(&name, format!("{group_id} terminates {name}: it {why}"));
        self.launch(group);
    }

    /// Takes `station` out of its group and its load balancers' targets.
    pub(super) fn deregister(&mut self, group: u32, station: u32) {
        for b in &mut self.balancers {
            for t in b.targets.iter_mut().filter(|t| t.station == station) {
                t.gone = true;
            }
        }
        self.groups[group as usize].retain(|s| *s != station);
    }

    /// Brings back the stopped stations `which` picks (their AZ or Region is back).
    pub(super) fn restart_stopped(
        &mut self,
        which: impl Fn(&crate::sim::build::StationSpec) -> bool,
    ) {
        let now = self.now;
        for s in 0..self.stations.len() {
            let station = &mut self.stations[s];
            if station.state == State::Down && which(&station.spec) {
                station.set_state(State::InService, now);
                self.pump_for(s as u32);
            }
        }
    }

    /// Launches one instance of `group` in its least-used AZ that is not out.
    pub(super) fn launch(&mut self, group: u32) {
        let spec = self.net.group_specs[group as usize].clone();
        let az = spec
            .azs
            .iter()
            .copied()
            .filter(|az| !self.az_down[*az as usize])
            .min_by_key(|az| {
                self.groups[group as usize]
                    .iter()
                    .filter(|s| self.stations[**s as usize].spec.az == Some(*az))
                    .count()
            });
        let group_id = self.net.groups[group as usize].0.clone();
        if az.is_none() && !spec.azs.is_empty() {
            self.note(
                &group_id,
                format!("{group_id} cannot launch: every AZ it uses is out"),
            );
            return;
        }
        let index = self.stations.len() as u32;
        let mut station_spec = self.stations[spec.template as usize].spec.clone();
        let number = self
            .stations
            .iter()
            .filter(|s| s.spec.group == Some(group))
            .count()
            + 1;
        station_spec.id = ResourceId::new(format!("{group_id}.{}{number}", spec.member_prefix))
            .unwrap_or(group_id.clone());
        station_spec.az = az;
        let name = station_spec.id.clone();
        let seed = self.settings.seed;
        self.stations.push(Station::new(
            station_spec,
            stream(seed, 5, u64::from(index)),
            State::Pending,
            self.now,
        ));
        self.groups[group as usize].push(index);
        self.flows.member_launched(group);
        for (b, balancer) in self.net.balancers.iter().enumerate() {
            if balancer.groups.contains(&group) {
                self.balancers[b].targets.push(Target {
                    station: index,
                    healthy: false,
                    gone: false,
                    initial: true,
                    ok_streak: 0,
                    fail_streak: 0,
                });
            }
        }
        let az_name = az
            .and_then(|a| self.net.azs.get(a as usize))
            .map_or("its subnet".to_owned(), |a| a.to_string());
        self.note(&name, format!("{group_id} launches {name} in {az_name}"));
        self.queue.push(
            self.now + from_secs(spec.launch_secs),
            Event::Ready { station: index },
        );
    }

    pub(super) fn ready(&mut self, station: u32) {
        let s = &mut self.stations[station as usize];
        let name = s.spec.id.clone();
        let text = match s.state {
            State::Pending => "is in service".to_owned(),
            State::FailingOver => {
                // The standby is the primary now, and the old primary (once back) the
                // standby.
                if let Some(standby) = s.spec.standby_az {
                    s.spec.standby_az = s.spec.az.replace(standby);
                }
                match s.spec.az.and_then(|a| self.net.azs.get(a as usize)) {
                    Some(az) => format!("has failed over: the standby in {az} is the new primary"),
                    None => "has failed over: the standby is the new primary".to_owned(),
                }
            }
            _ => return,
        };
        s.set_state(State::InService, self.now);
        self.note(&name, format!("{name} {text}"));
        self.pump_for(station);
    }

    /// A station back in service takes messages from the queue it consumes.
    pub(super) fn pump_for(&mut self, station: u32) {
        if let Some(q) = self.stations[station as usize].spec.consumes {
            self.pump(q);
        }
    }

    /// Stops a station: its queued requests fail now, its requests in service when their
    /// work would have finished.
    pub(super) fn take_down(&mut self, station: u32, state: State) {
        if self.stations[station as usize].state == State::Terminated {
            return;
        }
        // The requests it holds leave it now, in Little's law as in fact: their time there
        // ends with it (their frames of this epoch are dropped unrecorded later).
        let (now, warmup) = (self.now, self.settings.warmup);
        let (departed, sojourn) = self.residents()[station as usize];
        let s = &mut self.stations[station as usize];
        s.stats.departed += departed;
        s.stats.sojourn_sum += sojourn;
        s.touch(now, warmup);
        s.set_state(state, now);
        s.epoch += 1;
        s.busy = 0;
        s.cpu_busy = 0;
        let waiting: Vec<u32> = s.waiting.drain(..).collect();
        let reason = state.refusal().unwrap_or(Failure::InstanceDown);
        for request in waiting {
            self.fail(request, reason, super::Place::Station(station));
        }
    }

    pub(super) fn station_named(&self, id: &ResourceId) -> Option<u32> {
        self.stations
            .iter()
            .position(|s| &s.spec.id == id && s.state != State::Terminated)
            .map(|i| i as u32)
    }

    /// A station fails: a Multi-AZ database fails over; anything else is down.
    pub(super) fn fail_station(&mut self, station: u32, cause: &str) {
        // A Memcached cluster loses one node at a time (the first still up).
        if let Some(nodes) = &self.stations[station as usize].nodes {
            let first = nodes.up.iter().position(|u| *u);
            if self.lose_cache_nodes(station, cause, |i, _| Some(i) == first) {
                return;
            }
        }
        let s = &self.stations[station as usize];
        let name = s.spec.id.clone();
        if matches!(
            s.state,
            State::Down | State::Terminated | State::FailingOver
        ) {
            return;
        }
        let standby_up = s
            .spec
            .standby_az
            .is_none_or(|az| !self.az_down[az as usize]);
        match s.spec.failover_secs.filter(|_| standby_up) {
            Some(secs) => {
                self.take_down(station, State::FailingOver);
                self.note(
                    &name,
                    format!(
                        "{name} primary fails ({cause}); failing over to the standby in another AZ"
                    ),
                );
                self.queue
                    .push(self.now + from_secs(secs), Event::Ready { station });
            }
            None => {
                self.take_down(station, State::Down);
                self.note(&name, format!("{name} is down ({cause})"));
            }
        }
    }
}
