//! Run mode: the design as a live system. The simulation advances on the UI thread in
//! slices bounded by a time budget, so a slow stretch of simulation never freezes input;
//! each frame then reads one snapshot for the canvas, the charts and the log.

mod history;
mod lesson;
pub mod live;

use std::time::{Duration, Instant};

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

pub use history::{History, ResourcePoint, SystemPoint};
pub use lesson::{Lesson, LessonStep};
pub use live::{LiveLink, LiveResource, LiveView};

use crate::model::{Diagram, ResourceId};
use crate::sim::{
    Action, LogEntry, RunSettings, Scenario, Simulation, Snapshot, Status, from_secs, to_secs,
};

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
    /// Go to this simulated second of the run so far (back: replayed from the start).
    Seek(f64),
    /// Play a scenario as a lesson, from the start.
    PlayLesson(Box<Scenario>),
    /// Hide the lesson's card and play on.
    ContinueLesson,
    /// Pause at each step of the lesson, or not.
    SetPauseAtSteps(bool),
    /// Ask for a scenario file to play as a lesson.
    OpenLessonDialog,
    /// Presentation mode on or off: full screen, large type, no editing panels.
    TogglePresenting,
    /// Open the window that runs this design against another.
    OpenCompare,
    /// Ask where to write a recording and start it.
    StartRecording,
    /// End the recording and write it.
    StopRecording,
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
    /// The run could not keep up with its speed over the last frames.
    pub behind: bool,
    /// Seconds the animation has played (it stops while paused).
    pub animation_secs: f64,
    snapshot: Snapshot,
    live: LiveView,
    history: History,
    log: Vec<LogEntry>,
    /// What the person injected, with the simulated second: replayed when the run goes
    /// back in time, so that the same run unfolds again.
    recorded: Vec<(f64, Action)>,
    /// The latest simulated second reached: the end of what can be replayed.
    reached_secs: f64,
    /// The scenario played as a lesson, if any.
    lesson: Option<Lesson>,
    /// A replay or run-on to a chosen moment, in progress.
    seeking: Option<Seeking>,
    chaos: ChaCha8Rng,
}

/// Going to a chosen moment of the run, over as many frames as it takes.
#[derive(Clone, Debug)]
struct Seeking {
    /// The simulated second to reach.
    target: f64,
    /// Simulated seconds between chart points on the way.
    chunk: f64,
    /// Whether the run was paused before: it is again once there.
    paused: bool,
    /// Where it started from.
    from: f64,
}

impl RunMode {
    /// Starts a run of `design`, playing from 0 s; or says why it cannot run.
    pub fn start(design: &Diagram) -> Result<Self, String> {
        let sim = Self::simulation_of(design)?;
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
            recorded: Vec::new(),
            reached_secs: 0.0,
            lesson: None,
            seeking: None,
            chaos: ChaCha8Rng::seed_from_u64(RUN_SEED),
        })
    }

    fn simulation_of(design: &Diagram) -> Result<Simulation, String> {
        let settings = RunSettings {
            seed: RUN_SEED,
            duration: from_secs(RUN_LENGTH_SECS),
            warmup: 0,
        };
        // The run steps within each frame's budget, so a heavy load only slows its clock;
        // a fleet too large to hold is refused before it is built.
        crate::sim::budget::check(design, 0.0, 1).map_err(|e| e.to_string())?;
        Simulation::new(design, settings).map_err(|e| e.to_string())
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
    pub fn injected(&self) -> &[(f64, Action)] {
        &self.recorded
    }

    /// The latest simulated second the run reached (it can go back and replay to it).
    pub fn reached_secs(&self) -> f64 {
        self.reached_secs
    }

    /// The lesson being played, if any.
    pub fn lesson(&self) -> Option<&Lesson> {
        self.lesson.as_ref()
    }

    /// One frame of `wall_dt` seconds: moves the clock by the speed while playing, within
    /// the frame's budget, and reads what the run looks like now.
    pub fn frame(&mut self, wall_dt: f64) {
        self.frame_within(wall_dt, Some(FRAME_BUDGET));
    }

    /// One frame of exactly `dt` seconds of play, however long the simulation takes
    /// (a recording's frames, which must not depend on the machine's speed). As fast as
    /// possible counts as 1000×.
    pub fn frame_exact(&mut self, dt: f64) {
        self.frame_within(dt, None);
    }

    fn frame_within(&mut self, wall_dt: f64, budget: Option<Duration>) {
        if self.seeking.is_some() {
            self.continue_seek(budget);
            return;
        }
        let wall_dt = wall_dt.clamp(0.0, LONGEST_FRAME_SECS);
        if !self.paused && !self.ended() {
            let before = self.secs();
            self.animation_secs += wall_dt;
            self.target_secs = match (self.speed.factor(), budget) {
                (Some(factor), _) => self.target_secs.max(before) + wall_dt * factor,
                (None, Some(_)) => self.length_secs(),
                (None, None) => before + wall_dt * 1_000.0,
            }
            .min(self.length_secs());
            if let Some(next) = self.lesson_stop() {
                self.target_secs = self.target_secs.min(next);
            }
            let caught_up = match budget {
                Some(budget) => self.advance(budget),
                None => {
                    self.sim.advance_to(from_secs(self.target_secs));
                    true
                }
            };
            if !caught_up {
                // The clock waits for the run rather than pile up a debt it would later
                // rush through.
                self.target_secs = self.secs();
            }
            if wall_dt > 0.0 {
                let rate = (self.secs() - before) / wall_dt;
                self.achieved_speed += (rate - self.achieved_speed) * 0.2;
            }
            // Behind when the speed achieved over the last frames falls clearly short;
            // exact frames are never behind (and must not depend on the past frames).
            self.behind = budget.is_some()
                && self
                    .speed
                    .factor()
                    .is_some_and(|factor| self.achieved_speed < 0.9 * factor);
            if self.ended() {
                self.paused = true;
            }
        }
        self.refresh(wall_dt);
    }

    /// Moves one step (a second of play at the chosen speed) and pauses; a lesson that
    /// pauses at its steps stops at the next one.
    pub fn step(&mut self) {
        let mut to = self.secs() + self.speed.step_secs();
        if let Some(next) = self.lesson_stop() {
            to = to.min(next);
        }
        self.advance_by(to - self.secs());
    }

    /// Runs `secs` of simulated time at once and pauses (steps, tests, scripts).
    pub fn advance_by(&mut self, secs: f64) {
        self.paused = true;
        self.target_secs = (self.secs() + secs.max(0.0)).min(self.length_secs());
        self.sim.advance_to(from_secs(self.target_secs));
        self.refresh(0.0);
    }

    /// Where a lesson that pauses at its steps stops next.
    fn lesson_stop(&self) -> Option<f64> {
        self.lesson
            .as_ref()
            .filter(|l| l.pause_at_steps)
            .and_then(Lesson::next_secs)
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
        let now = self.secs();
        self.reached_secs = self.reached_secs.max(now);
        if let Some(lesson) = &mut self.lesson
            && lesson.catch_up(now)
            && lesson.pause_at_steps
        {
            self.paused = true;
        }
        self.snapshot = self.sim.snapshot();
        self.live.update(&self.snapshot, wall_dt);
        let sim = &self.sim;
        self.history
            .record_with_times(&self.snapshot, || sim.tier_times());
        let new = self.sim.log_since(self.log.len()).to_vec();
        self.log.extend(new);
    }

    /// Does `action` to the running system now. After going back in time, what was
    /// injected later is forgotten: the run takes a new course from here.
    pub fn inject(&mut self, action: Action) {
        let now = self.secs();
        if self.recorded.iter().any(|(t, _)| *t > now) {
            self.recorded.retain(|(t, _)| *t <= now);
            self.reached_secs = now;
            if let Err(e) = self.replay_to(now) {
                self.log.push(LogEntry {
                    secs: now,
                    resource: action.resource().clone(),
                    text: e,
                });
            }
        }
        self.recorded.push((now, action.clone()));
        self.sim.schedule(self.sim.now(), action);
        // Applied at once, even while paused, so the picture shows it.
        self.sim.advance_to(self.sim.now());
        self.refresh(0.0);
    }

    /// Goes to simulated second `secs` of what the run has reached, at once: forward by
    /// running on, back by replaying from the start with the same seed, lesson and
    /// injections (a run is a pure function of them, so the same run unfolds again).
    pub fn seek(&mut self, secs: f64) -> Result<(), String> {
        self.start_seek(secs)?;
        self.continue_seek(None);
        Ok(())
    }

    /// Starts going to `secs`; the following frames get there within their budgets (a
    /// long replay never freezes the window).
    pub fn start_seek(&mut self, secs: f64) -> Result<(), String> {
        let secs = secs.clamp(0.0, self.reached_secs.max(self.secs()));
        let paused = self.seeking.as_ref().map_or(self.paused, |s| s.paused);
        if secs < self.secs() {
            self.rebuild()?;
        }
        let from = self.secs();
        self.seeking = Some(Seeking {
            target: secs,
            chunk: ((secs - from) / 1_500.0).max(1.0),
            paused,
            from,
        });
        Ok(())
    }

    /// Where the run is going, while it replays or runs on to a chosen moment.
    pub fn seeking(&self) -> Option<f64> {
        self.seeking.as_ref().map(|s| s.target)
    }

    /// Moves towards the seek's target in chart-sized steps, for at most `budget`
    /// (none: all the way); true once there.
    fn continue_seek(&mut self, budget: Option<Duration>) -> bool {
        let Some(seek) = self.seeking.clone() else {
            return true;
        };
        let started = Instant::now();
        while self.secs() + 1e-9 < seek.target {
            let to = (self.secs() + seek.chunk).min(seek.target);
            self.target_secs = to;
            self.sim.advance_to(from_secs(to));
            self.refresh(0.0);
            if budget.is_some_and(|b| started.elapsed() >= b) && self.secs() + 1e-9 < seek.target {
                // Steps passed on the way do not stop a replay.
                self.paused = true;
                return false;
            }
        }
        self.seeking = None;
        self.paused = seek.paused;
        if let Some(lesson) = &mut self.lesson
            && seek.target > seek.from
        {
            lesson.card = None;
        }
        true
    }

    /// Rebuilds the run from 0 s and replays it to `secs`, charting as it goes.
    fn replay_to(&mut self, secs: f64) -> Result<(), String> {
        self.rebuild()?;
        self.advance_in_points(secs);
        Ok(())
    }

    /// The run as it was at 0 s: same design, seed, lesson and injections.
    fn rebuild(&mut self) -> Result<(), String> {
        self.sim = Self::simulation_of(&self.design)?;
        if let Some(lesson) = &mut self.lesson {
            lesson.rewind();
            for step in &lesson.steps {
                self.sim.schedule(from_secs(step.secs), step.action.clone());
            }
        }
        for (t, action) in &self.recorded {
            self.sim.schedule(from_secs(*t), action.clone());
        }
        self.history = History::default();
        self.log.clear();
        self.live = LiveView::default();
        self.target_secs = 0.0;
        // From the start, the picture starts afresh too: a recording made after Restart
        // (or a lesson's start) is the same every time.
        self.animation_secs = 0.0;
        self.achieved_speed = 0.0;
        self.behind = false;
        self.seeking = None;
        self.refresh(0.0);
        Ok(())
    }

    /// Runs on to `secs` at once, in steps that leave enough points for the charts.
    fn advance_in_points(&mut self, secs: f64) {
        let from = self.secs();
        self.seeking = Some(Seeking {
            target: secs,
            chunk: ((secs - from) / 1_500.0).max(1.0),
            paused: self.paused,
            from,
        });
        self.continue_seek(None);
    }

    /// Plays `scenario` as a lesson from 0 s: its introduction shows and the run waits
    /// for Play; each step shows its card (and pauses, unless that is turned off).
    pub fn play_lesson(&mut self, scenario: &Scenario) -> Result<(), String> {
        self.lesson = Some(Lesson::of(scenario));
        self.recorded.clear();
        self.reached_secs = 0.0;
        self.replay_to(0.0)?;
        self.paused = true;
        Ok(())
    }

    /// Hides the lesson's card and plays on.
    pub fn continue_lesson(&mut self) {
        if let Some(lesson) = &mut self.lesson {
            lesson.card = None;
        }
        self.paused = false;
    }

    /// Pauses at each of the lesson's steps, or not.
    pub fn set_pause_at_steps(&mut self, pause: bool) {
        if let Some(lesson) = &mut self.lesson {
            lesson.pause_at_steps = pause;
        }
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

    /// Starts again from 0 s with the same design, seed and lesson, without what was
    /// injected by hand, keeping the speed and whether it plays.
    pub fn restart(&mut self) -> Result<(), String> {
        let paused = self.paused;
        self.recorded.clear();
        self.reached_secs = 0.0;
        self.replay_to(0.0)?;
        self.paused = paused || self.lesson.is_some();
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
mod tests;
