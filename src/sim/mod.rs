//! The simulation engine: a deterministic discrete-event simulation of the drawn
//! architecture. Users send Poisson requests along the traffic links; load balancers route
//! them to per-instance queues; instances serve them with `vCPUs × workers` servers.
//!
//! The same diagram, settings and seed give the same events, on every machine: time is
//! integer nanoseconds, every random stream is a seeded ChaCha stream of its own, and no
//! result depends on hash-map order.

mod actions;
mod bill;
pub mod budget;
mod build;
mod check;
mod engine;
mod events;
mod report;
mod rollup;
mod stats;
mod weighted;

pub use actions::{Action, MAX_SCENARIO_BYTES, Scenario, Step};
pub use bill::{BillLine, RunBill, measured_diagram};
pub use build::{BuildError, Role};
pub use engine::RunSettings;
pub use engine::{AlarmReport, AlarmValue, Bucket};
pub use engine::{
    AlarmView, BalancerView, GroupView, LinkFlow, Outcome, QueueView, ServerView, Snapshot, Status,
    Totals, TraceHop, TracedRequest,
};
pub use engine::{Datapoint, GroupReport, LogEntry, QueueCounts, QueuePoint, QueueReport};
pub use engine::{NodeUsage, StationUsage, Usage};
pub use events::{SECOND, SimTime, from_secs, to_secs};
pub use report::{
    BlockedLink, DEFAULT_OBJECTIVE_PERCENT, ErrorBudget, Resilience, ResourceFailures, RunReport,
    StationReport, TierLatency,
};
pub use stats::{Failure, TierTimes};

use crate::model::Diagram;

/// The calendar time the start of a run stands for: a Monday at midnight UTC, so that
/// scheduled actions and daily patterns line up with days and weekdays.
pub fn sim_epoch() -> chrono::NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2024, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .unwrap_or_default()
}

/// A simulation of one diagram, advanced step by step or run to its end.
#[derive(Clone, Debug)]
pub struct Simulation {
    engine: engine::Engine,
    /// The diagram simulated, for the bill's prices.
    diagram: Diagram,
}

impl Simulation {
    /// Builds the simulation of `diagram`.
    pub fn new(diagram: &Diagram, settings: RunSettings) -> Result<Self, BuildError> {
        Self::sampled(diagram, settings, 1)
    }

    /// Builds the simulation of `diagram` where one simulated request stands for `weight`
    /// real ones (at least 1): far fewer events for very high rates, with counts, costs
    /// and the utilisation of every station kept, and response times as exact for each
    /// station's queueing (see the report's `sample_weight`).
    pub fn sampled(
        diagram: &Diagram,
        settings: RunSettings,
        weight: u32,
    ) -> Result<Self, BuildError> {
        let mut net = build::build(diagram)?;
        let weight = f64::from(weight.max(1));
        build::dilate(&mut net, weight);
        let mut engine = engine::Engine::new(net, settings);
        engine.weight = weight;
        Ok(Simulation {
            engine,
            diagram: diagram.clone(),
        })
    }

    /// Runs every event up to `t`.
    pub fn advance_to(&mut self, t: SimTime) {
        self.engine.advance_to(t.min(self.engine.settings.duration));
    }

    /// Runs to the end of the run.
    pub fn run(&mut self) {
        self.engine.advance_to(self.engine.settings.duration);
    }

    /// Schedules `action` at `at` (now, if `at` has passed).
    pub fn schedule(&mut self, at: SimTime, action: Action) {
        self.engine.schedule_action(at, action);
    }

    /// Schedules every step of `scenario`.
    pub fn play(&mut self, scenario: &Scenario) {
        for (secs, action) in scenario.timeline() {
            self.schedule(from_secs(secs), action);
        }
    }

    /// The simulated clock.
    pub fn now(&self) -> SimTime {
        self.engine.now
    }

    /// Each resource's response times so far (its calls included), to take percentiles
    /// over any interval from two readings.
    pub fn tier_times(&self) -> Vec<(crate::model::ResourceId, TierTimes)> {
        self.engine.tier_times()
    }

    /// When the run ends.
    pub fn duration(&self) -> SimTime {
        self.engine.settings.duration
    }

    /// The run's log from entry `from` on: entries are only ever appended, so a viewer
    /// keeps how many it has read.
    pub fn log_since(&self, from: usize) -> &[LogEntry] {
        self.engine.log.get(from..).unwrap_or_default()
    }

    /// Follows about `per_sec` requests a simulated second hop by hop, for the live
    /// view's animation (none by default).
    pub fn follow_requests(&mut self, per_sec: f64) {
        self.engine.follow_requests(per_sec);
    }

    /// The system as it is now: each resource's state and load, each link's flow, the
    /// requests followed lately.
    pub fn snapshot(&self) -> Snapshot {
        weighted::snapshot(self.engine.snapshot(), self.engine.weight)
    }

    /// What the run measured so far.
    pub fn report(&self) -> RunReport {
        weighted::report(
            report::report(&self.engine, &self.diagram),
            self.engine.weight,
        )
    }

    /// What the run used so far: requests per resource, Lambda duration, capacity
    /// units, data moved.
    pub fn usage(&self) -> Usage {
        weighted::usage(self.engine.usage(), self.engine.weight)
    }

    /// The run's bill so far.
    pub fn bill(&self) -> RunBill {
        bill::bill(&self.diagram, &self.usage())
    }

    /// The diagram with its usage figures set to what the run measured, as a month at
    /// the run's pace: what the cost estimator should price after a run.
    pub fn measured_diagram(&self) -> Diagram {
        bill::measured_diagram(&self.diagram, &self.usage())
    }
}

/// Simulates `diagram` from start to end.
pub fn simulate(diagram: &Diagram, settings: RunSettings) -> Result<RunReport, BuildError> {
    let mut sim = Simulation::new(diagram, settings)?;
    sim.run();
    Ok(sim.report())
}
