//! Route 53: routing policies over a record's values, health checks on the values that
//! have one (every 30 s or 10 s, unhealthy after 3 failures), and resolvers that keep an
//! answer for the record's TTL.

use rand::RngExt;

use super::{Engine, State};
use crate::model::config::edge::RoutingPolicy;
use crate::sim::build::{DnsSpec, Hop, geo};
use crate::sim::events::{Event, from_secs};

/// What a DNS lookup gives.
pub(super) enum Resolution {
    /// An address: go on to it.
    To(Hop),
    /// The zone routes nowhere further (it answers by itself).
    Itself,
    /// No record covers the users (geolocation without a Default): NODATA.
    NoAnswer,
}

/// What Route 53 and the resolvers believe of one value of a record.
#[derive(Clone, Debug)]
pub(crate) struct AnswerState {
    /// Route 53's health check result.
    healthy: bool,
    /// What resolvers answer with: Route 53's view, a TTL late.
    pub served: bool,
    streak: u32,
}

/// A hosted zone's record at run time.
#[derive(Clone, Debug, Default)]
pub(crate) struct DnsState {
    pub answers: Vec<AnswerState>,
}

impl DnsState {
    pub(crate) fn new(spec: Option<&DnsSpec>) -> Self {
        DnsState {
            // A new health check counts as healthy until it has enough data.
            answers: spec.map_or_else(Vec::new, |s| {
                s.answers
                    .iter()
                    .map(|_| AnswerState {
                        healthy: true,
                        served: true,
                        streak: 0,
                    })
                    .collect()
            }),
        }
    }
}

impl Engine {
    pub(super) fn schedule_dns_checks(&mut self) {
        for (r, relay) in self.net.relays.iter().enumerate() {
            if let Some(dns) = &relay.dns
                && dns.answers.iter().any(|a| a.checked)
            {
                self.queue.push(
                    self.now + from_secs(dns.check_interval_secs),
                    Event::DnsCheck { relay: r as u32 },
                );
            }
        }
    }

    /// Whether a value of a record can serve: what a health check of its endpoint sees.
    fn endpoint_up(&self, hop: Hop) -> bool {
        let up = |s: u32| self.stations[s as usize].state == State::InService;
        match hop {
            Hop::Station(s) => up(s),
            Hop::Balancer(b) => self.balancers[b as usize]
                .targets
                .iter()
                .any(|t| !t.gone && up(t.station)),
            Hop::Group(g) => self.groups[g as usize].iter().any(|s| up(*s)),
            Hop::Relay(_) | Hop::Unmodelled(_) => true,
            Hop::Guarded(g) => self.endpoint_up(self.net.guards[g as usize].inner),
            Hop::ReadSplit(i) => self.endpoint_up(self.net.splits[i as usize].writes),
        }
    }

    pub(super) fn dns_check(&mut self, relay: u32) {
        let Some(dns) = self.net.relays[relay as usize].dns.clone() else {
            return;
        };
        let zone = self.net.relays[relay as usize].id.clone();
        for (i, answer) in dns.answers.iter().enumerate() {
            if !answer.checked {
                continue;
            }
            let up = self.endpoint_up(answer.hop);
            let state = &mut self.dns[relay as usize].answers[i];
            if up == state.healthy {
                state.streak = 0;
                continue;
            }
            state.streak += 1;
            if state.streak >= dns.failure_threshold {
                state.healthy = up;
                state.streak = 0;
                self.queue.push(
                    self.now + from_secs(dns.ttl_secs),
                    Event::DnsAnswer {
                        relay,
                        answer: i as u32,
                        healthy: up,
                    },
                );
                let target = self.hop_name(answer.hop);
                let text = if up {
                    format!(
                        "Route 53 finds {target} healthy again; resolvers follow within the {:.0} s TTL",
                        dns.ttl_secs
                    )
                } else {
                    format!(
                        "Route 53 finds {target} unhealthy ({} failed checks); resolvers follow within the {:.0} s TTL",
                        dns.failure_threshold, dns.ttl_secs
                    )
                };
                self.note(&zone, text);
            }
        }
        self.queue.push(
            self.now + from_secs(dns.check_interval_secs),
            Event::DnsCheck { relay },
        );
    }

    pub(super) fn dns_answer(&mut self, relay: u32, answer: u32, healthy: bool) {
        if let Some(state) = self.dns[relay as usize].answers.get_mut(answer as usize) {
            state.served = healthy;
        }
    }

    fn hop_name(&self, hop: Hop) -> String {
        match hop {
            Hop::Station(s) => self.stations[s as usize].spec.id.to_string(),
            Hop::Balancer(b) => self.net.balancers[b as usize].id.to_string(),
            Hop::Group(g) => self.net.groups[g as usize].0.to_string(),
            Hop::ReadSplit(i) => self.hop_name(self.net.splits[i as usize].writes),
            Hop::Relay(r) => self.net.relays[r as usize].id.to_string(),
            Hop::Unmodelled(u) => self
                .net
                .unmodelled
                .get(u as usize)
                .map_or_else(String::new, |id| id.to_string()),
            Hop::Guarded(g) => self.hop_name(self.net.guards[g as usize].inner),
        }
    }

    /// The value a resolver answers users of `source` with, per the record's routing
    /// policy.
    pub(super) fn resolve(&mut self, relay: u32, source: u32) -> Resolution {
        let Some(dns) = self.net.relays[relay as usize].dns.as_ref() else {
            return Resolution::Itself;
        };
        let place = self.net.sources.get(source as usize).and_then(|s| s.place);
        let served = &self.dns[relay as usize].answers;
        let ok = |i: usize| !dns.answers[i].checked || served[i].served;
        let n = dns.answers.len();
        // The healthy values, or every value when none is (Route 53 answers rather than
        // fail).
        let healthy_or_all = || {
            let healthy: Vec<usize> = (0..n).filter(|&i| ok(i)).collect();
            if healthy.is_empty() {
                (0..n).collect()
            } else {
                healthy
            }
        };
        let pick = match dns.routing {
            RoutingPolicy::Failover => {
                // The primary while healthy; the secondary otherwise; the primary again if
                // both are unhealthy (Route 53 answers rather than fail).
                let primary = (0..n).find(|&i| dns.answers[i].primary);
                let secondary = (0..n).find(|&i| !dns.answers[i].primary);
                match (primary, secondary) {
                    (Some(p), _) if ok(p) => p,
                    (_, Some(s)) if ok(s) => s,
                    (Some(p), _) => p,
                    (None, Some(s)) => s,
                    (None, None) => return Resolution::Itself,
                }
            }
            RoutingPolicy::Weighted | RoutingPolicy::Multivalue => {
                let pool = healthy_or_all();
                let weight = |i: &usize| {
                    if dns.routing == RoutingPolicy::Weighted {
                        u64::from(dns.answers[*i].weight)
                    } else {
                        1
                    }
                };
                let total: u64 = pool.iter().map(weight).sum();
                if total == 0 {
                    pool[0]
                } else {
                    let mut draw = self.relay_rng.random_range(0..total);
                    let mut chosen = pool[0];
                    for i in &pool {
                        if draw < weight(i) {
                            chosen = *i;
                            break;
                        }
                        draw -= weight(i);
                    }
                    chosen
                }
            }
            // Simple routing answers every value and ignores health.
            RoutingPolicy::Simple => self.relay_rng.random_range(0..n),
            // The healthy value in the Region nearest the users (by typical round trip);
            // users of unknown place get the first.
            RoutingPolicy::Latency => {
                let pool = healthy_or_all();
                let distance = |i: &usize| match (place, dns.answers[*i].continent) {
                    (Some((from, _)), Some(to)) => geo::round_trip_ms(from, to),
                    _ => u32::MAX,
                };
                pool.iter().copied().min_by_key(distance).unwrap_or(0)
            }
            // The most specific location covering the users (country, continent, then
            // Default) among healthy values, else among all; none covers them: no answer.
            RoutingPolicy::Geolocation => {
                // Users Route 53 cannot place get the Default record.
                let score = |i: usize| match place {
                    Some(place) => geo::geolocation_match(&dns.locations[i], place),
                    None => geo::is_default(&dns.locations[i]).then_some(0),
                };
                let best = |healthy_only: bool| {
                    (0..n)
                        .filter(|&i| !healthy_only || ok(i))
                        .filter_map(|i| score(i).map(|s| (s, i)))
                        .max_by_key(|(s, i)| (*s, std::cmp::Reverse(*i)))
                        .map(|(_, i)| i)
                };
                match best(true).or_else(|| best(false)) {
                    Some(i) => i,
                    None => return Resolution::NoAnswer,
                }
            }
        };
        Resolution::To(dns.answers[pick].hop)
    }
}
