//! The discrete-event engine: sources emit Poisson arrivals, balancers route them to
//! per-instance queues, stations serve them first come first served.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Exp};

mod alarms;
mod cache_nodes;
mod calls;
mod dns;
mod faults;
mod flows;
mod inject;
mod limits;
mod meter;
mod outcomes;
mod queues;
mod routing;
mod scaling;
mod snapshot;
mod station;
mod usage;

pub use alarms::{AlarmReport, AlarmValue};
pub use faults::LogEntry;
pub use flows::{Outcome, TraceHop, TracedRequest};
pub use outcomes::Bucket;
pub use queues::{QueueCounts, QueuePoint, QueueReport};
pub use scaling::{Datapoint, GroupReport};
pub use snapshot::{
    AlarmView, BalancerView, GroupView, LinkFlow, QueueView, ServerView, Snapshot, Status, Totals,
};
pub(super) use station::{State, Station};
pub(crate) use usage::add_to;
pub use usage::{NodeUsage, StationUsage, Usage};

use super::actions::Action;
use super::build::Net;
use super::events::{Digest, Event, EventQueue, SimTime, from_secs, to_secs};
use super::stats::{Failure, Latency};

/// How often queue depths are recorded.
const SAMPLE_EVERY: SimTime = 60 * crate::sim::events::SECOND;

/// Width of a timeline bucket, until a long run widens them.
const BUCKET: SimTime = 10 * crate::sim::events::SECOND;

/// Most timeline buckets kept: 3 MB, a week of 10-second buckets; a longer run widens them
/// (see `rollup`).
const TIMELINE_BUCKETS: usize = 65_536;

/// Where a request is in its chain of synchronous calls: it holds a worker at `station`
/// from `entered` until the calls made from there return.
#[derive(Clone, Copy, Debug)]
struct Frame {
    station: u32,
    epoch: u32,
    entered: SimTime,
    /// The next of the station's calls to make.
    call: u16,
    /// A cache this station called answered: its next database call is not needed.
    skip_database: bool,
}

/// The source of a request no traffic source sent.
const NO_SOURCE: u32 = u32::MAX;

/// A request in flight.
#[derive(Clone, Debug, Default)]
struct Request {
    arrived: SimTime,
    write: bool,
    /// The stations holding a worker for it, the innermost last; the last one may be
    /// still queued (not yet served).
    frames: Vec<Frame>,
    /// The processing of a queued message, not a user's request.
    job: Option<queues::Job>,
    /// The link it crossed last (`flows::NO_EDGE` before the first).
    last_edge: u32,
    /// Its number among followed requests, if followed.
    trace: Option<u64>,
    /// Kilobytes of its response, for the data the run moves (none for a queued job).
    kb: f32,
    /// The traffic source that sent it (`NO_SOURCE` for a queued job).
    source: u32,
    /// When the load balancer or API it passed gives up waiting (`SimTime::MAX`: never),
    /// and which.
    deadline: SimTime,
    deadline_at: Option<Place>,
}

/// Where a request failed, for the counts per resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Place {
    Station(u32),
    Balancer(u32),
    Group(u32),
    /// A link the network stopped.
    Guard(u32),
    /// An API (a relay with a timeout).
    Relay(u32),
}

/// A traffic source at run time.
#[derive(Clone, Debug)]
struct SourceState {
    /// When it sends next: kept beside the event queue, not in it, since every other
    /// event is an arrival and sources are few.
    next: Option<SimTime>,
    rng: ChaCha8Rng,
    gap: Option<Exp<f64>>,
    read_fraction: f64,
}

/// Settings of a run.
#[derive(Clone, Debug, PartialEq)]
pub struct RunSettings {
    /// Seed of every random stream.
    pub seed: u64,
    /// How long the run lasts.
    pub duration: SimTime,
    /// Statistics start after this (warm-up discarded).
    pub warmup: SimTime,
}

/// The simulation of one network.
#[derive(Clone, Debug)]
pub struct Engine {
    pub(super) net: Net,
    pub(super) settings: RunSettings,
    queue: EventQueue,
    pub(super) now: SimTime,
    sources: Vec<SourceState>,
    pub(super) stations: Vec<Station>,
    requests: Vec<Request>,
    free: Vec<u32>,
    round_robin: Vec<usize>,
    /// Each balancer's targets and what its health checks think of them.
    balancers: Vec<faults::BalancerState>,
    /// Each Auto Scaling group's instances.
    groups: Vec<Vec<u32>>,
    /// Each group's desired size, alarms and history.
    scaling: Vec<scaling::GroupState>,
    /// Each relay's DNS record state (hosted zones only).
    dns: Vec<dns::DnsState>,
    /// Which AZs and Regions are out.
    az_down: Vec<bool>,
    regions_down: Vec<bool>,
    /// Scheduled actions, by index.
    actions: Vec<Action>,
    /// Answered and failed requests per 10 s of simulated time, for resilience figures
    /// and charts.
    pub(super) timeline: crate::sim::rollup::Timeline<Bucket>,
    /// Failures injected: when, and what.
    pub(super) injected: Vec<(SimTime, String)>,
    /// What happened, in order.
    pub(super) log: Vec<LogEntry>,
    /// Entries left out once the log was full.
    pub(super) log_dropped: u64,
    balancer_rng: ChaCha8Rng,
    relay_rng: ChaCha8Rng,
    pub(super) latency: Latency,
    pub(super) digest: Digest,
    pub(super) events: u64,
    /// Requests that entered the system, ever.
    pub(super) arrived: u64,
    /// Requests answered, ever.
    pub(super) completed: u64,
    /// Failed requests by reason, ever.
    pub(super) failed: [u64; Failure::COUNT],
    /// Requests that ended at a resource the engine does not model yet, by resource.
    pub(super) unmodelled_hits: Vec<u64>,
    /// Requests each source sent, each balancer routed and each relay answered itself.
    pub(super) sent: Vec<u64>,
    pub(super) routed: Vec<u64>,
    pub(super) relay_answered: Vec<u64>,
    /// Measured (after warm-up): arrivals, completions and failures.
    pub(super) measured_arrived: u64,
    pub(super) measured_completed: u64,
    pub(super) measured_failed: [u64; Failure::COUNT],
    /// Failures after the warm-up by where they happened (requests and jobs).
    pub(super) failures_at: std::collections::BTreeMap<Place, [u64; Failure::COUNT]>,
    /// Queues, their messages (a slab with free slots) and the receive counter.
    queues: Vec<queues::QueueState>,
    messages: Vec<queues::Message>,
    free_messages: Vec<u32>,
    attempts: u64,
    /// Requests in the slab that are jobs, not users' requests.
    jobs_in_flight: u64,
    /// CloudWatch alarms.
    alarms: Vec<alarms::AlarmState>,
    /// Requests each guard stopped (after the warm-up), and whether the log has said why.
    pub(super) guard_stopped: Vec<u64>,
    guard_noted: Vec<bool>,
    /// The sampling weight: how many real requests one simulated request stands for (its
    /// network is dilated by as much; see `build::sampling`).
    pub(super) weight: f64,
    /// Per read/write split, the replica that takes the next read.
    split_next: Vec<u32>,
    /// Data the run moved that AWS bills, in kilobytes over the whole run: through each
    /// guard's NAT gateways (as the guard's `per_az`), and between stations in different
    /// AZs (by receiving AZ).
    pub(super) nat_kb: Vec<Vec<f64>>,
    pub(super) inter_az_kb: Vec<f64>,
    /// Requests along links, failures per resource, followed requests.
    flows: flows::Flows,
    /// Response times in the timeline bucket now open, and its index.
    window_latency: crate::sim::stats::RunHistogram,
    /// Per diagram resource (flows' nodes), the times requests spent there after the
    /// warm-up, downstream calls included: what its callers waited. Made on first use.
    pub(super) tier_latency: Vec<Option<Box<crate::sim::stats::WindowLatency>>>,
    window_bucket: usize,
}

/// An independent random stream per purpose, so that adding a resource does not change
/// the draws of the others.
fn stream(seed: u64, purpose: u64, index: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(purpose << 32 | index);
    rng
}

impl Engine {
    pub(super) fn new(net: Net, settings: RunSettings) -> Self {
        let seed = settings.seed;
        let sources = net
            .sources
            .iter()
            .enumerate()
            .map(|(i, s)| SourceState {
                next: None,
                rng: stream(seed, 1, i as u64),
                gap: Exp::new(s.peak_rps).ok().filter(|_| s.peak_rps > 0.0),
                read_fraction: s.read_fraction,
            })
            .collect();
        let stations = net
            .stations
            .iter()
            .enumerate()
            .map(|(i, spec)| {
                let mut s =
                    Station::new(spec.clone(), stream(seed, 2, i as u64), State::InService, 0);
                // Running before the run began, a burstable instance holds a full day of
                // credits; one launched during the run starts with its launch credits.
                if let Some(burst) = spec.burst {
                    s.credits = burst.max_credits();
                }
                s
            })
            .collect();
        let balancers = net
            .balancers
            .iter()
            .map(faults::BalancerState::new)
            .collect();
        let groups = net.groups.iter().map(|(_, g)| g.clone()).collect();
        let scaling = net
            .group_specs
            .iter()
            .map(scaling::GroupState::new)
            .collect();
        let dns = net
            .relays
            .iter()
            .map(|r| dns::DnsState::new(r.dns.as_ref()))
            .collect();
        let (queue_count, alarm_count) = (net.queues.len(), net.alarms.len());
        let flows = flows::Flows::new(&net);
        let mut engine = Engine {
            guard_stopped: vec![0; net.guards.len()],
            guard_noted: vec![false; net.guards.len()],
            split_next: vec![0; net.splits.len()],
            weight: 1.0,
            nat_kb: net
                .guards
                .iter()
                .map(|g| vec![0.0; g.per_az.len()])
                .collect(),
            inter_az_kb: vec![0.0; net.azs.len()],
            flows,
            window_latency: Default::default(),
            tier_latency: Vec::new(),
            window_bucket: 0,
            dns,
            round_robin: vec![0; net.balancers.len()],
            balancers,
            groups,
            scaling,
            az_down: vec![false; net.azs.len()],
            regions_down: vec![false; net.regions.len()],
            actions: Vec::new(),
            timeline: crate::sim::rollup::Timeline::new(BUCKET, TIMELINE_BUCKETS),
            injected: Vec::new(),
            log: Vec::new(),
            log_dropped: 0,
            unmodelled_hits: vec![0; net.unmodelled.len()],
            sent: vec![0; net.sources.len()],
            routed: vec![0; net.balancers.len()],
            relay_answered: vec![0; net.relays.len()],
            net,
            settings,
            queue: EventQueue::default(),
            now: 0,
            sources,
            stations,
            requests: Vec::new(),
            free: Vec::new(),
            balancer_rng: stream(seed, 3, 0),
            relay_rng: stream(seed, 4, 0),
            latency: Latency::default(),
            digest: Digest::default(),
            events: 0,
            arrived: 0,
            completed: 0,
            failed: [0; Failure::COUNT],
            measured_arrived: 0,
            measured_completed: 0,
            measured_failed: [0; Failure::COUNT],
            failures_at: Default::default(),
            queues: vec![Default::default(); queue_count],
            messages: Vec::new(),
            free_messages: Vec::new(),
            attempts: 0,
            jobs_in_flight: 0,
            alarms: vec![alarms::AlarmState::new(); alarm_count],
        };
        engine.schedule_alarms();
        if queue_count > 0 {
            engine.queue.push(SAMPLE_EVERY, Event::Sample);
        }
        for i in 0..engine.sources.len() {
            engine.schedule_arrival(i as u32);
        }
        engine.schedule_checks();
        engine.schedule_dns_checks();
        engine
    }

    fn measuring(&self) -> bool {
        self.now >= self.settings.warmup
    }

    fn schedule_arrival(&mut self, source: u32) {
        let state = &mut self.sources[source as usize];
        state.next = state
            .gap
            .as_ref()
            .map(|gap| self.now + from_secs(gap.sample(&mut state.rng)).max(1));
    }

    /// Runs every event up to and including `t`; the clock then reads `t`.
    pub fn advance_to(&mut self, t: SimTime) {
        loop {
            // The earliest source arrival (first source on ties) against the queue's head;
            // an arrival goes first at the same instant.
            let mut arrival: Option<(SimTime, u32)> = None;
            for (i, s) in self.sources.iter().enumerate() {
                if let Some(at) = s.next
                    && arrival.is_none_or(|(best, _)| at < best)
                {
                    arrival = Some((at, i as u32));
                }
            }
            let queued = self.queue.peek_time();
            let (time, event) = match (arrival, queued) {
                (Some((at, source)), q) if q.is_none_or(|q| at <= q) => {
                    if at > t {
                        break;
                    }
                    self.sources[source as usize].next = None;
                    (at, Event::Arrival { source })
                }
                (_, Some(q)) => {
                    if q > t {
                        break;
                    }
                    match self.queue.pop() {
                        Some(e) => e,
                        None => break,
                    }
                }
                (_, None) => break,
            };
            self.now = time;
            self.events += 1;
            match event {
                Event::Arrival { source } => {
                    self.digest.add(time, 1, source);
                    self.arrival(source);
                }
                Event::Finish {
                    station,
                    request,
                    epoch,
                } => {
                    self.digest.add(time, 2, station);
                    let warmup = self.settings.warmup;
                    let s = &mut self.stations[station as usize];
                    if epoch == s.epoch {
                        s.touch(time, warmup);
                        s.cpu_busy -= 1;
                        self.proceed(request);
                    } else {
                        // It failed while serving: the work is lost with it.
                        let reason = s.state.refusal().unwrap_or(Failure::InstanceDown);
                        self.fail(request, reason, Place::Station(station));
                    }
                }
                Event::HealthCheck { balancer } => {
                    self.digest.add(time, 3, balancer);
                    self.health_check(balancer);
                }
                Event::GroupCheck { group } => {
                    self.digest.add(time, 4, group);
                    self.group_check(group);
                }
                Event::Ready { station } => {
                    self.digest.add(time, 5, station);
                    self.ready(station);
                }
                Event::MetricTick { group } => {
                    self.digest.add(time, 7, group);
                    self.metric_tick(group);
                }
                Event::Retire { station } => {
                    self.digest.add(time, 8, station);
                    self.retire(station);
                }
                Event::DnsCheck { relay } => {
                    self.digest.add(time, 9, relay);
                    self.dns_check(relay);
                }
                Event::DnsAnswer {
                    relay,
                    answer,
                    healthy,
                } => {
                    self.digest.add(time, 10, relay);
                    self.dns_answer(relay, answer, healthy);
                }
                Event::MessageVisible { message, attempt } => {
                    self.digest.add(time, 11, message);
                    self.message_visible(message, attempt);
                }
                Event::AlarmTick { alarm } => {
                    self.digest.add(time, 13, alarm);
                    self.alarm_tick(alarm);
                }
                Event::Scheduled { index } => {
                    self.digest.add(time, 14, index);
                    self.scheduled(index);
                }
                Event::SpotEnd { station } => {
                    self.digest.add(time, 15, station);
                    self.spot_end(station);
                }
                Event::Sample => {
                    self.digest.add(time, 12, 0);
                    self.sample_queues();
                    self.queue.push(time + SAMPLE_EVERY, Event::Sample);
                }
                Event::Action { index } => {
                    self.digest.add(time, 6, index);
                    self.act(index);
                }
            }
        }
        self.now = t.max(self.now);
    }

    fn new_request(&mut self, write: bool, kb: f32, source: u32) -> u32 {
        let request = Request {
            arrived: self.now,
            write,
            frames: Vec::new(),
            job: None,
            last_edge: flows::NO_EDGE,
            trace: None,
            kb,
            source,
            deadline: SimTime::MAX,
            deadline_at: None,
        };
        match self.free.pop() {
            Some(i) => {
                // Reuse the slot and its frame buffer.
                let slot = &mut self.requests[i as usize];
                let mut frames = std::mem::take(&mut slot.frames);
                frames.clear();
                *slot = Request { frames, ..request };
                i
            }
            None => {
                self.requests.push(request);
                (self.requests.len() - 1) as u32
            }
        }
    }

    fn arrival(&mut self, source: u32) {
        let now_secs = to_secs(self.now);
        let spec = &self.net.sources[source as usize];
        let state = &mut self.sources[source as usize];
        // Thinning: arrivals are drawn at the peak rate and kept in proportion to the rate
        // of the moment, which gives a Poisson process of that varying rate.
        let rate = spec.rate_at(now_secs);
        let keep = rate >= spec.peak_rps || state.rng.random::<f64>() * spec.peak_rps < rate;
        let write = state.read_fraction < 1.0 && state.rng.random::<f64>() >= state.read_fraction;
        let next = if spec.next.len() == 1 {
            spec.next[0]
        } else {
            spec.next[self.relay_rng.random_range(0..spec.next.len())]
        };
        self.schedule_arrival(source);
        if !keep {
            return;
        }
        self.arrived += 1;
        self.sent[source as usize] += 1;
        if self.measuring() {
            self.measured_arrived += 1;
        }
        let kb = self.net.sources[source as usize].response_kb as f32;
        let request = self.new_request(write, kb, source);
        self.maybe_trace(request);
        let from = self.flows.source_node[source as usize];
        if !self.route(request, from, next) {
            self.proceed_after_return(request, false);
        }
    }

    /// Requests in the system now.
    pub fn in_flight(&self) -> u64 {
        (self.requests.len() - self.free.len()) as u64 - self.jobs_in_flight
    }
}
