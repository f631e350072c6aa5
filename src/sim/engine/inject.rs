//! Actions injected at run time or by a scenario: failures of instances, zones and
//! Regions, spot interruptions, added latency, restorations and load changes.

use super::{Action, Engine, State};
use crate::model::ResourceId;
use crate::sim::events::{Event, from_secs};

/// EC2 warns two minutes before it reclaims a spot instance (EC2 user guide, spot
/// instance interruption notices).
const SPOT_NOTICE_SECS: f64 = 120.0;

impl Engine {
    pub(super) fn act(&mut self, index: u32) {
        let Some(action) = self.actions.get(index as usize).cloned() else {
            return;
        };
        let injected = match &action {
            Action::Fail(id) => Some(format!("{id} fails")),
            Action::CrashApp(id) => Some(format!("the application on {id} crashes")),
            Action::FailAz(az) => Some(format!("Availability Zone {az} goes down")),
            Action::FailRegion(region) => Some(format!("Region {region} goes down")),
            Action::InterruptSpot(id) => Some(format!("EC2 interrupts spot capacity of {id}")),
            Action::AddLatency { resource, ms } if *ms > 0.0 => {
                Some(format!("{resource} slows down by {ms} ms"))
            }
            _ => None,
        };
        if let Some(what) = injected {
            self.injected.push((self.now, what));
        }
        match action {
            Action::Fail(id) => {
                if let Some(s) = self.station_named(&id) {
                    self.fail_station(s, "injected failure");
                }
            }
            Action::CrashApp(id) => {
                if let Some(s) = self.station_named(&id)
                    && self.stations[s as usize].state == State::InService
                {
                    self.take_down(s, State::AppDown);
                    self.note(
                        &id,
                        format!("the application on {id} crashes; the instance keeps running"),
                    );
                }
            }
            Action::Restore(id) => {
                if let Some(s) = self.station_named(&id) {
                    self.replace_cache_nodes(s, |_, _| true);
                    let now = self.now;
                    let station = &mut self.stations[s as usize];
                    station.extra_secs = 0.0;
                    if matches!(station.state, State::Down | State::AppDown) {
                        station.set_state(State::InService, now);
                        self.note(&id, format!("{id} is restored"));
                        self.pump_for(s);
                    }
                }
            }
            Action::FailAz(az) => {
                let Some(a) = self.net.azs.iter().position(|x| *x == az) else {
                    return;
                };
                self.az_down[a] = true;
                self.note(&az, format!("Availability Zone {az} goes down"));
                let cause = format!("{az} is down");
                let down = Some(a as u32);
                for s in 0..self.stations.len() {
                    if !self.lose_cache_nodes(s as u32, &cause, |_, node_az| node_az == down)
                        && self.stations[s].spec.az == down
                    {
                        self.fail_station(s as u32, &cause);
                    }
                }
            }
            Action::RestoreAz(az) => {
                let Some(a) = self.net.azs.iter().position(|x| *x == az) else {
                    return;
                };
                self.az_down[a] = false;
                self.note(&az, format!("Availability Zone {az} is back"));
                for s in 0..self.stations.len() {
                    self.replace_cache_nodes(s as u32, |_, node_az| node_az == Some(a as u32));
                }
                self.restart_stopped(|spec| spec.az == Some(a as u32));
            }
            Action::FailRegion(region) => self.fail_region(&region),
            Action::RestoreRegion(region) => self.restore_region(&region),
            Action::InterruptSpot(id) => self.interrupt_spot(&id),
            Action::AddLatency { resource, ms } => {
                let members = self.stations_of(&resource);
                for s in &members {
                    self.stations[*s as usize].extra_secs = ms.max(0.0) / 1000.0 * self.weight;
                }
                if !members.is_empty() {
                    let text = if ms > 0.0 {
                        format!("{resource} takes {ms} ms longer for each request")
                    } else {
                        format!("{resource} is back to its normal speed")
                    };
                    self.note(&resource, text);
                }
            }
            Action::SetCapacity {
                group,
                min,
                desired,
                max,
            } => {
                if let Some(g) = self.net.groups.iter().position(|(id, _)| *id == group) {
                    self.set_capacity(g as u32, [min, desired, max], "a change of capacity");
                }
            }
            Action::SetRate { source, rps } => {
                if let Some(i) = self.net.sources.iter().position(|s| s.id == source) {
                    self.net.sources[i].base_rps = rps.max(0.0);
                    self.note(&source, format!("{source} now sends {rps} requests/s"));
                    self.source_changed(i);
                }
            }
            Action::SetPattern { source, pattern } => {
                if let Some(i) = self.net.sources.iter().position(|s| s.id == source) {
                    self.note(
                        &source,
                        format!("{source} now follows {}", pattern.describe()),
                    );
                    self.net.sources[i].pattern = pattern;
                    self.source_changed(i);
                }
            }
        }
    }

    /// A source's rate or pattern changed: its peak (the thinning's bound) follows.
    fn source_changed(&mut self, i: usize) {
        let was_silent = self.sources[i].gap.is_none();
        let spec = &mut self.net.sources[i];
        spec.peak_rps = spec.pattern.peak_rps(spec.base_rps) * spec.rate_scale;
        self.sources[i].gap = rand_distr::Exp::new(spec.peak_rps)
            .ok()
            .filter(|_| spec.peak_rps > 0.0);
        if was_silent && self.sources[i].gap.is_some() {
            // A silent source had no arrival pending: it restarts now.
            self.schedule_arrival(i as u32);
        }
    }

    /// The stations a resource stands for: an instance, a database, or a group's
    /// instances.
    fn stations_of(&self, id: &ResourceId) -> Vec<u32> {
        if let Some(g) = self.net.groups.iter().position(|(gid, _)| gid == id) {
            return self.groups[g].clone();
        }
        self.station_named(id).into_iter().collect()
    }

    fn region_index(&self, region: &ResourceId) -> Option<u32> {
        self.net
            .regions
            .iter()
            .position(|r| r == region)
            .map(|i| i as u32)
    }

    /// Marks the zones of Region `r` out (no launches there) or back.
    fn set_region_zones_down(&mut self, r: u32, down: bool) {
        for (az_down, az_region) in self.az_down.iter_mut().zip(&self.net.az_regions) {
            if *az_region == Some(r) {
                *az_down = down;
            }
        }
    }

    /// Everything in a Region stops: its zones, and its regional services. A Multi-AZ
    /// standby is in the same Region, so nothing fails over.
    fn fail_region(&mut self, region: &ResourceId) {
        let Some(r) = self.region_index(region) else {
            return;
        };
        self.note(region, format!("Region {region} goes down"));
        self.regions_down[r as usize] = true;
        self.set_region_zones_down(r, true);
        for s in 0..self.stations.len() {
            let st = &self.stations[s];
            if st.spec.region == Some(r) && st.state != State::Terminated {
                let name = st.spec.id.clone();
                self.take_down(s as u32, State::Down);
                self.note(&name, format!("{name} is down ({region} is down)"));
            }
        }
    }

    fn restore_region(&mut self, region: &ResourceId) {
        let Some(r) = self.region_index(region) else {
            return;
        };
        self.note(region, format!("Region {region} is back"));
        self.regions_down[r as usize] = false;
        self.set_region_zones_down(r, false);
        self.restart_stopped(|spec| spec.region == Some(r));
    }

    /// A spot interruption notice for an instance, or for one of a group's spot instances
    /// (the newest); it ends two minutes later.
    fn interrupt_spot(&mut self, id: &ResourceId) {
        let victim = self
            .stations_of(id)
            .into_iter()
            .filter(|s| {
                let st = &self.stations[*s as usize];
                st.spec.spot && matches!(st.state, State::InService | State::Pending)
            })
            .max();
        let Some(victim) = victim else {
            self.note(
                id,
                format!("{id} has no running spot instance to interrupt (on-demand capacity is not interrupted)"),
            );
            return;
        };
        let name = self.stations[victim as usize].spec.id.clone();
        self.note(
            &name,
            format!("{name} receives a two-minute spot interruption notice"),
        );
        self.queue.push(
            self.now + from_secs(SPOT_NOTICE_SECS),
            Event::SpotEnd { station: victim },
        );
    }

    /// EC2 reclaims an interrupted spot instance; its group launches a replacement.
    pub(super) fn spot_end(&mut self, station: u32) {
        if self.stations[station as usize].state == State::Terminated {
            return;
        }
        match self.stations[station as usize].spec.group {
            Some(group) => self.replace(group, station, "was reclaimed by EC2 (spot interruption)"),
            None => {
                let name = self.stations[station as usize].spec.id.clone();
                self.take_down(station, State::Terminated);
                self.note(
                    &name,
                    format!("{name} is reclaimed by EC2 (spot interruption)"),
                );
            }
        }
    }
}
