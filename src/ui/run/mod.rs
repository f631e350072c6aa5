//! Run mode: the design as a live system. The simulation advances on the UI thread in
//! slices bounded by a time budget, so a slow stretch of simulation never freezes input;
//! each frame then reads one snapshot for the canvas, the charts and the log.

mod history;
mod live;
pub mod overlay;
pub mod panels;
pub mod toolbar;

use std::time::{Duration, Instant};

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

pub use history::{History, ResourcePoint, SystemPoint};
pub use live::{LiveLink, LiveResource, LiveView};

use crate::model::{Diagram, ResourceId};
use crate::sim::{Action, LogEntry, RunSettings, Simulation, Snapshot, Status, from_secs, to_secs};

/// Simulated time a run from the editor lasts at most: a week, longer than any lesson.
const RUN_LENGTH_SECS: f64 = 7.0 * 86_400.0;
/// Wall time a frame may spend simulating; the rest of a 60 fps frame (16.7 ms) draws.
pub const FRAME_BUDGET: Duration = Duration::from_millis(8);
/// Seed of runs started from the editor, as the command line's default: the same design
/// gives the same run in both.
pub const RUN_SEED: u64 = 42;
/// A frame longer than this (the window was hidden, a breakpoint) does not move the
/// clock further.
const LONGEST_FRAME_SECS: f64 = 0.25;

/// How fast simulated time runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Speed {
    /// Real time.
    X1,
    /// Ten simulated seconds a second.
    X10,
    /// A hundred.
    X100,
    /// A thousand.
    X1000,
    /// As fast as the machine allows within each frame's budget.
    Fastest,
}

impl Speed {
    /// Every speed, slowest first.
    pub const ALL: [Speed; 5] = [
        Speed::X1,
        Speed::X10,
        Speed::X100,
        Speed::X1000,
        Speed::Fastest,
    ];

    /// Simulated seconds per wall second; none for as fast as possible.
    pub fn factor(self) -> Option<f64> {
        match self {
            Speed::X1 => Some(1.0),
            Speed::X10 => Some(10.0),
            Speed::X100 => Some(100.0),
            Speed::X1000 => Some(1000.0),
            Speed::Fastest => None,
        }
    }

    /// On its button.
    pub fn label(self) -> &'static str {
        match self {
            Speed::X1 => "1×",
            Speed::X10 => "10×",
            Speed::X100 => "100×",
            Speed::X1000 => "1000×",
            Speed::Fastest => "Fastest",
        }
    }

    /// Simulated seconds one Step moves: a second of play at this speed.
    pub fn step_secs(self) -> f64 {
        self.factor().unwrap_or(600.0)
    }
}

/// What a person asks of the run.
#[derive(Clone, Debug, PartialEq)]
pub enum RunCommand {
    /// Start a run of the design.
    Start,
    /// Stop the run and return to editing.
    Stop,
    /// Play or pause.
    SetPaused(bool),
    /// Move one step (a second of play at the speed) and pause.
    Step,
    /// Change the speed.
    SetSpeed(Speed),
    /// Start again from the beginning, with the same seed.
    Restart,
    /// Do this to the running system now.
    Inject(Action),
    /// Fail a random instance in service.
    FailRandomInstance,
    /// Interrupt a random spot instance.
    InterruptRandomSpot,
}

/// A run in progress.
pub struct RunMode {
    sim: Simulation,
    /// The design as it was when the run started: the run never changes it.
    design: Diagram,
    /// Paused by the person, or at the end of the run.
    pub paused: bool,
    /// The chosen speed.
    pub speed: Speed,
    /// Simulated seconds the clock should show by now: wall time × speed while playing.
    target_secs: f64,
    /// Simulated seconds advanced per call, adapted so one call takes a small part of the
    /// budget whatever the design's load.
    slice_secs: f64,
    /// Simulated seconds per wall second over the last frames, as measured.
    pub achieved_speed: f64,
    /// The run could not keep up with its speed lately.
    pub behind: bool,
    /// Seconds the animation has played (it stops while paused).
    pub animation_secs: f64,
    snapshot: Snapshot,
    live: LiveView,
    history: History,
    log: Vec<LogEntry>,
    /// What the person injected, with the simulated second: shown in the log's colour.
    injected: Vec<(f64, String)>,
    chaos: ChaCha8Rng,
}

impl RunMode {
    /// Starts a run of `design`, paused at 0 s; or says why it cannot run.
    pub fn start(design: &Diagram) -> Result<Self, String> {
        let settings = RunSettings {
            seed: RUN_SEED,
            duration: from_secs(RUN_LENGTH_SECS),
            warmup: 0,
        };
        let sim = Simulation::new(design, settings).map_err(|e| e.to_string())?;
        let snapshot = sim.snapshot();
        let mut live = LiveView::default();
        live.update(&snapshot, 0.0);
        let mut history = History::default();
        history.record(&snapshot);
        Ok(RunMode {
            sim,
            design: design.clone(),
            paused: false,
            speed: Speed::X10,
            target_secs: 0.0,
            slice_secs: 0.05,
            achieved_speed: 0.0,
            behind: false,
            animation_secs: 0.0,
            snapshot,
            live,
            history,
            log: Vec::new(),
            injected: Vec::new(),
            chaos: ChaCha8Rng::seed_from_u64(RUN_SEED),
        })
    }

    /// The design the run simulates.
    pub fn design(&self) -> &Diagram {
        &self.design
    }

    /// The simulation itself (its report, bill and measured usage).
    pub fn simulation(&self) -> &Simulation {
        &self.sim
    }

    /// The simulated clock in seconds.
    pub fn secs(&self) -> f64 {
        to_secs(self.sim.now())
    }

    /// Seconds the run lasts at most.
    pub fn length_secs(&self) -> f64 {
        to_secs(self.sim.duration())
    }

    /// The run reached its end.
    pub fn ended(&self) -> bool {
        self.sim.now() >= self.sim.duration()
    }

    /// The latest snapshot.
    pub fn snapshot(&self) -> &Snapshot {
        &self.snapshot
    }

    /// The live view drawn on the canvas.
    pub fn live(&self) -> &LiveView {
        &self.live
    }

    /// Figures over time, for the charts.
    pub fn history(&self) -> &History {
        &self.history
    }

    /// The run's log so far.
    pub fn log(&self) -> &[LogEntry] {
        &self.log
    }

    /// What the person injected, with its simulated second.
    pub fn injected(&self) -> &[(f64, String)] {
        &self.injected
    }

    /// One frame of `wall_dt` seconds: moves the clock by the speed while playing, within
    /// the frame's budget, and reads what the run looks like now.
    pub fn frame(&mut self, wall_dt: f64) {
        let wall_dt = wall_dt.clamp(0.0, LONGEST_FRAME_SECS);
        if !self.paused && !self.ended() {
            let before = self.secs();
            self.animation_secs += wall_dt;
            self.target_secs = match self.speed.factor() {
                Some(factor) => self.target_secs.max(before) + wall_dt * factor,
                None => self.length_secs(),
            }
            .min(self.length_secs());
            let caught_up = self.advance(FRAME_BUDGET);
            self.behind = !caught_up && self.speed.factor().is_some();
            if !caught_up {
                // The clock waits for the run rather than pile up a debt it would later
                // rush through.
                self.target_secs = self.secs();
            }
            if wall_dt > 0.0 {
                let rate = (self.secs() - before) / wall_dt;
                self.achieved_speed += (rate - self.achieved_speed) * 0.2;
            }
            if self.ended() {
                self.paused = true;
            }
        }
        self.refresh(wall_dt);
    }

    /// Moves one step (a second of play at the chosen speed) and pauses.
    pub fn step(&mut self) {
        self.paused = true;
        self.target_secs = (self.secs() + self.speed.step_secs()).min(self.length_secs());
        self.sim.advance_to(from_secs(self.target_secs));
        self.refresh(0.0);
    }

    /// Runs `secs` of simulated time at once and pauses (tests and scripted lessons).
    pub fn advance_by(&mut self, secs: f64) {
        self.paused = true;
        self.target_secs = (self.secs() + secs).min(self.length_secs());
        self.sim.advance_to(from_secs(self.target_secs));
        self.refresh(0.0);
    }

    /// Advances towards the target for at most `budget`; true when it got there.
    fn advance(&mut self, budget: Duration) -> bool {
        let started = Instant::now();
        loop {
            let now = self.secs();
            if now >= self.target_secs {
                return true;
            }
            let next = (now + self.slice_secs).min(self.target_secs);
            let slice_started = Instant::now();
            self.sim.advance_to(from_secs(next));
            let took = slice_started.elapsed();
            // Aim for slices of a sixteenth to a quarter of the budget: small enough to
            // stop on time, large enough that the calls cost nothing.
            if took < budget / 16 {
                self.slice_secs = (self.slice_secs * 2.0).min(3_600.0);
            } else if took > budget / 4 {
                self.slice_secs = (self.slice_secs / 2.0).max(0.001);
            }
            if started.elapsed() >= budget {
                return self.secs() >= self.target_secs;
            }
        }
    }

    fn refresh(&mut self, wall_dt: f64) {
        self.snapshot = self.sim.snapshot();
        self.live.update(&self.snapshot, wall_dt);
        self.history.record(&self.snapshot);
        let new = self.sim.log_since(self.log.len()).to_vec();
        self.log.extend(new);
    }

    /// Does `action` to the running system now.
    pub fn inject(&mut self, action: Action) {
        let words = describe(&action);
        self.injected.push((self.secs(), words));
        self.sim.schedule(self.sim.now(), action);
        // Applied at once, even while paused, so the picture shows it.
        self.sim.advance_to(self.sim.now());
        self.refresh(0.0);
    }

    /// Fails one instance in service chosen at random (the run's own seeded stream, so a
    /// replayed lesson fails the same one); returns its name.
    pub fn fail_random_instance(&mut self) -> Option<ResourceId> {
        let candidates: Vec<ResourceId> = self
            .snapshot
            .servers
            .iter()
            .filter(|s| s.status == Status::InService && self.is_ec2(s))
            .map(|s| s.id.clone())
            .collect();
        let chosen = self.pick(&candidates)?;
        self.inject(Action::Fail(chosen.clone()));
        Some(chosen)
    }

    /// Interrupts one spot instance chosen at random; returns its name.
    pub fn interrupt_random_spot(&mut self) -> Option<ResourceId> {
        let candidates: Vec<ResourceId> = self
            .snapshot
            .servers
            .iter()
            .filter(|s| s.spot && s.status == Status::InService)
            .map(|s| s.id.clone())
            .collect();
        let chosen = self.pick(&candidates)?;
        self.inject(Action::InterruptSpot(chosen.clone()));
        Some(chosen)
    }

    /// An EC2 instance, on its own or in an Auto Scaling group.
    fn is_ec2(&self, server: &crate::sim::ServerView) -> bool {
        let kind_of = |id: &ResourceId| self.design.resource(id.as_str()).map(|r| r.kind());
        match &server.group {
            Some(group) => kind_of(group) == Some(crate::model::Kind::AutoScalingGroup),
            None => kind_of(&server.id) == Some(crate::model::Kind::Ec2Instance),
        }
    }

    fn pick(&mut self, candidates: &[ResourceId]) -> Option<ResourceId> {
        if candidates.is_empty() {
            return None;
        }
        Some(candidates[self.chaos.random_range(0..candidates.len())].clone())
    }

    /// Starts again from 0 s with the same design and seed, keeping the speed and
    /// whether it plays.
    pub fn restart(&mut self) -> Result<(), String> {
        let (speed, paused) = (self.speed, self.paused);
        *self = RunMode::start(&self.design)?;
        self.speed = speed;
        self.paused = paused;
        Ok(())
    }
}

/// An injected action in words, for the log.
pub fn describe(action: &Action) -> String {
    match action {
        Action::Fail(id) => format!("{id} failed by hand"),
        Action::CrashApp(id) => format!("the application on {id} crashed by hand"),
        Action::Restore(id) => format!("{id} restored"),
        Action::FailAz(id) => format!("Availability Zone {id} failed by hand"),
        Action::RestoreAz(id) => format!("Availability Zone {id} restored"),
        Action::FailRegion(id) => format!("Region {id} failed by hand"),
        Action::RestoreRegion(id) => format!("Region {id} restored"),
        Action::InterruptSpot(id) => format!("spot capacity of {id} interrupted"),
        Action::AddLatency { resource, ms } if *ms > 0.0 => {
            format!("{resource} slowed by {ms:.0} ms")
        }
        Action::AddLatency { resource, .. } => format!("{resource} back to its own speed"),
        Action::SetCapacity { group, .. } => format!("{group} capacity changed"),
        Action::SetRate { source, rps } => format!("{source} set to {rps:.0} requests/s"),
        Action::SetPattern { source, pattern } => {
            format!("{source} set to {}", pattern.describe())
        }
    }
}

/// A simulated time as the clock shows it: `h:mm:ss`, with days when there are some.
pub fn clock(secs: f64) -> String {
    let total = secs.max(0.0) as u64;
    let (days, rest) = (total / 86_400, total % 86_400);
    let (h, m, s) = (rest / 3_600, rest % 3_600 / 60, rest % 60);
    if days > 0 {
        format!("{days} d {h:02}:{m:02}:{s:02}")
    } else {
        format!("{h:02}:{m:02}:{s:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn three_tier() -> Diagram {
        crate::templates::find("three-tier")
            .and_then(|t| t.load().ok())
            .unwrap_or_else(|| Diagram::new("missing"))
    }

    #[test]
    fn a_step_moves_a_second_of_play_and_pauses() {
        let mut run = RunMode::start(&three_tier()).unwrap_or_else(|e| panic!("{e}"));
        run.speed = Speed::X100;
        run.step();
        assert!(run.paused);
        assert!((run.secs() - 100.0).abs() < 1e-9, "{}", run.secs());
        assert!(run.snapshot().totals.arrived > 0, "traffic flowed");
    }

    #[test]
    fn playing_moves_the_clock_by_wall_time_times_speed() {
        let mut run = RunMode::start(&three_tier()).unwrap_or_else(|e| panic!("{e}"));
        run.speed = Speed::X10;
        for _ in 0..30 {
            run.frame(1.0 / 60.0);
        }
        // Half a second of wall time at 10×, if the machine kept up (it does by far).
        assert!((run.secs() - 5.0).abs() < 1e-6, "{}", run.secs());
        run.paused = true;
        run.frame(1.0);
        assert!((run.secs() - 5.0).abs() < 1e-6, "paused, the clock holds");
    }

    #[test]
    fn a_long_frame_does_not_jump_the_clock() {
        let mut run = RunMode::start(&three_tier()).unwrap_or_else(|e| panic!("{e}"));
        run.speed = Speed::X1;
        run.frame(30.0);
        assert!((run.secs() - LONGEST_FRAME_SECS).abs() < 1e-6);
    }

    #[test]
    fn random_failures_replay_alike() {
        let pick = || {
            let mut run = RunMode::start(&three_tier()).unwrap_or_else(|e| panic!("{e}"));
            run.advance_by(60.0);
            let first = run.fail_random_instance();
            run.advance_by(60.0);
            (first, run.fail_random_instance())
        };
        let (a, b) = (pick(), pick());
        assert!(a.0.is_some());
        assert_eq!(a, b);
    }

    #[test]
    fn the_clock_reads_hours_minutes_seconds() {
        assert_eq!(clock(0.0), "00:00:00");
        assert_eq!(clock(760.4), "00:12:40");
        assert_eq!(clock(90_061.0), "1 d 01:01:01");
    }
}
