//! A server station at run time: its state, queue, service-time draws and the integrals
//! behind its statistics and CloudWatch metrics.

use std::collections::VecDeque;

use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Exp, LogNormal};

use crate::model::config::compute::ServiceDistribution;
use crate::sim::build::{LambdaSpec, StationSpec};
use crate::sim::events::{SimTime, from_secs, to_secs};
use crate::sim::stats::{Failure, StationStats};

/// Draws service times.
#[derive(Clone, Debug)]
pub(crate) enum Service {
    Exponential(Exp<f64>),
    Constant(f64),
    LogNormal(LogNormal<f64>),
}

impl Service {
    pub(crate) fn of(spec: &StationSpec) -> Self {
        let mean = spec.mean_service_secs;
        match spec.distribution {
            ServiceDistribution::Constant => Service::Constant(mean),
            ServiceDistribution::LogNormal if spec.cv > 0.0 => {
                // A log-normal with this mean and coefficient of variation.
                let sigma2 = (1.0 + spec.cv * spec.cv).ln();
                match LogNormal::new(mean.ln() - sigma2 / 2.0, sigma2.sqrt()) {
                    Ok(d) => Service::LogNormal(d),
                    Err(_) => Service::Constant(mean),
                }
            }
            ServiceDistribution::LogNormal => Service::Constant(mean),
            ServiceDistribution::Exponential => match Exp::new(1.0 / mean) {
                Ok(d) => Service::Exponential(d),
                Err(_) => Service::Constant(mean),
            },
        }
    }

    pub(crate) fn sample(&self, rng: &mut ChaCha8Rng) -> f64 {
        match self {
            Service::Exponential(d) => d.sample(rng),
            Service::Constant(v) => *v,
            Service::LogNormal(d) => d.sample(rng),
        }
    }
}

/// Whether a station serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum State {
    /// Serving.
    InService,
    /// Launched, not ready yet.
    Pending,
    /// Stopped (failed, or its AZ is out).
    Down,
    /// Running, but its application has crashed.
    AppDown,
    /// A database promoting its standby.
    FailingOver,
    /// Deregistered from its load balancers: finishing the requests it holds before it
    /// is terminated.
    Draining,
    /// Gone for good (replaced by its group).
    Terminated,
}

impl State {
    /// Why a request sent here fails, if it does.
    pub(crate) fn refusal(self) -> Option<Failure> {
        match self {
            State::InService | State::Draining => None,
            State::AppDown => Some(Failure::AppError),
            State::FailingOver => Some(Failure::FailoverInProgress),
            State::Pending | State::Down | State::Terminated => Some(Failure::InstanceDown),
        }
    }
}

/// A server station at run time.
#[derive(Clone, Debug)]
pub(crate) struct Station {
    pub spec: StationSpec,
    pub state: State,
    /// Counts the station's failures: work started before the last one is void.
    pub epoch: u32,
    pub launched_at: SimTime,
    /// When its state last changed.
    pub state_since: SimTime,
    pub busy: u32,
    /// Workers busy with the CPU work itself (not waiting on a call), and its integral
    /// over the whole run in worker·nanoseconds: CloudWatch's CPU utilization.
    pub cpu_busy: u32,
    pub cpu_area: f64,
    /// `cpu_area` at the last metric datapoint.
    pub cpu_mark: f64,
    /// When the counts last changed: the integrals are brought up to date lazily, at each
    /// change, rather than at every event.
    pub changed_at: SimTime,
    /// Billed time: running (in service, pending or with a crashed app) since when, and
    /// the nanoseconds of earlier running spells.
    pub running_since: Option<SimTime>,
    pub running_ns: u64,
    /// A Lambda function's idle execution environments, by when each was last freed
    /// (oldest first).
    pub idle_envs: VecDeque<SimTime>,
    /// A Lambda function's allowance of new environments (its scaling rate), and when it
    /// was last refilled.
    pub new_envs: f64,
    pub new_envs_at: SimTime,
    /// A burstable instance's CPU credits, the surplus credits it spent beyond them
    /// (unlimited mode), whether it is held to its baseline (standard mode, none left),
    /// and whether the log has said so.
    pub credits: f64,
    pub surplus_credits: f64,
    pub throttled: bool,
    pub throttle_noted: bool,
    /// A read replica: when the writes applied so far will have been applied (later
    /// than now while it lags), and the lag its reads saw (sum, count, most).
    pub applied_at: SimTime,
    pub lag_sum_secs: f64,
    pub lag_reads: u64,
    pub lag_max_secs: f64,
    /// A Memcached cluster's nodes and cold keys.
    pub nodes: Option<super::cache_nodes::NodesState>,
    /// Requests waiting, by slab index.
    pub waiting: VecDeque<u32>,
    pub service: Service,
    pub rng: ChaCha8Rng,
    pub stats: StationStats,
    /// Requests that reached it, ever, and the count at the last metric datapoint.
    pub entered: u64,
    pub entered_mark: u64,
    /// Requests it served over the whole run, and the seconds their workers were held
    /// (from arrival to leaving, downstream calls included): what Lambda bills.
    pub served_total: u64,
    pub held_secs: f64,
    /// Requests it refused (throttled, queue full), ever.
    pub refused: u64,
    /// Seconds added to each request's service (an injected slowdown).
    pub extra_secs: f64,
    /// Request-rate limits at run time.
    pub throttle: Option<super::limits::Throttle>,
    /// Requests that reached it and failed there, lately.
    pub arrived_recently: super::meter::Meter,
    pub failed_recently: super::meter::Meter,
}

impl Station {
    /// A station of `spec` in `state` from `now` (billed from then on).
    pub(crate) fn new(spec: StationSpec, rng: ChaCha8Rng, state: State, now: SimTime) -> Self {
        // A function starts able to add its full allowance of environments.
        let new_envs = spec.lambda.map_or(0.0, |l| l.new_per_10s);
        let launch_credits = spec.burst.map_or(0.0, |b| b.launch_credits);
        let nodes = spec
            .cache_nodes
            .as_ref()
            .map(|n| super::cache_nodes::NodesState {
                up: vec![true; n.azs.len()],
                cold_keys: 0.0,
            });
        Station {
            service: Service::of(&spec),
            throttle: spec.limit.as_ref().map(super::limits::Throttle::new),
            rng,
            spec,
            state,
            epoch: 0,
            launched_at: now,
            state_since: now,
            busy: 0,
            cpu_busy: 0,
            cpu_area: 0.0,
            cpu_mark: 0.0,
            changed_at: now,
            running_since: Some(now),
            running_ns: 0,
            idle_envs: VecDeque::new(),
            waiting: VecDeque::new(),
            stats: StationStats::default(),
            entered: 0,
            entered_mark: 0,
            served_total: 0,
            new_envs,
            new_envs_at: now,
            credits: launch_credits,
            surplus_credits: 0.0,
            throttled: false,
            throttle_noted: false,
            nodes,
            applied_at: now,
            lag_sum_secs: 0.0,
            lag_reads: 0,
            lag_max_secs: 0.0,
            held_secs: 0.0,
            refused: 0,
            extra_secs: 0.0,
            arrived_recently: Default::default(),
            failed_recently: Default::default(),
        }
    }

    pub(crate) fn in_system(&self) -> usize {
        self.busy as usize + self.waiting.len()
    }

    /// Brings the integrals up to `now`, before the counts change: CPU over the whole run
    /// (for CloudWatch), queue length and busy workers from the end of the warm-up.
    #[inline]
    pub(crate) fn touch(&mut self, now: SimTime, warmup: SimTime) {
        if now <= self.changed_at {
            return;
        }
        let dt = (now - self.changed_at) as f64;
        let speed = self.cpu_speed();
        self.cpu_area += dt * f64::from(self.cpu_busy) * speed;
        if let Some(burst) = self.spec.burst {
            self.spend_credits(&burst, dt / 1e9, speed);
        }
        let from = self.changed_at.max(warmup);
        if now > from {
            let measured = (now - from) as f64;
            self.stats.area_in_system += measured * self.in_system() as f64;
            self.stats.area_busy += measured * f64::from(self.busy);
        }
        self.changed_at = now;
    }

    /// `cpu_area` brought up to `now` without changing the station (a snapshot reads it).
    pub(crate) fn cpu_area_at(&self, now: SimTime) -> f64 {
        let dt = now.saturating_sub(self.changed_at) as f64;
        self.cpu_area + dt * f64::from(self.cpu_busy) * self.cpu_speed()
    }

    /// A Lambda function's execution environment for an invocation at `now`: a warm one
    /// freed recently enough, or a provisioned one free (`Ok(false)`); else a new one, a
    /// cold start (`Ok(true)`), if its scaling rate allows one more — `Err` throttles.
    pub(crate) fn environment(&mut self, lambda: &LambdaSpec, now: SimTime) -> Result<bool, ()> {
        let cutoff = now.saturating_sub(from_secs(lambda.keep_warm_secs));
        while self.idle_envs.front().is_some_and(|t| *t < cutoff) {
            self.idle_envs.pop_front();
        }
        if self.idle_envs.pop_back().is_some() || self.busy < lambda.provisioned {
            return Ok(false);
        }
        let refill = to_secs(now - self.new_envs_at) * lambda.new_per_10s / 10.0;
        self.new_envs = (self.new_envs + refill).min(lambda.new_per_10s);
        self.new_envs_at = now;
        if self.new_envs < 1.0 {
            return Err(());
        }
        self.new_envs -= 1.0;
        Ok(true)
    }

    /// The share of full speed its vCPUs run at: a standard burstable instance out of
    /// credits runs at its baseline.
    #[inline]
    pub(crate) fn cpu_speed(&self) -> f64 {
        match self.spec.burst {
            Some(b) if self.throttled => b.baseline,
            _ => 1.0,
        }
    }

    /// Earns and spends CPU credits over `secs` of constant use: each vCPU in use spends
    /// one credit a minute at full speed. Out of credits, a standard instance is held to
    /// its baseline until it has earned one back; an unlimited one runs on surplus
    /// credits, paid back from later earnings first.
    fn spend_credits(&mut self, burst: &crate::sim::build::BurstSpec, secs: f64, speed: f64) {
        let vcpus_used =
            f64::from(self.cpu_busy) * burst.vcpus / f64::from(self.spec.servers.max(1)) * speed;
        self.credits += (burst.earned_per_sec() - vcpus_used / 60.0) * secs;
        if self.credits < 0.0 {
            if burst.unlimited {
                self.surplus_credits -= self.credits;
            } else {
                self.throttled = true;
            }
            self.credits = 0.0;
        } else {
            let repaid = self.surplus_credits.min(self.credits);
            self.surplus_credits -= repaid;
            self.credits = (self.credits - repaid).min(burst.max_credits());
            if self.throttled && self.credits >= 1.0 {
                self.throttled = false;
            }
        }
    }

    /// Changes the state, keeping the billed time: AWS bills an instance while it runs,
    /// not while it is stopped, failed or terminated.
    pub(crate) fn set_state(&mut self, state: State, now: SimTime) {
        let billed = |s: State| {
            matches!(
                s,
                State::InService | State::Pending | State::AppDown | State::Draining
            )
        };
        match (billed(self.state), billed(state)) {
            (false, true) => self.running_since = Some(now),
            (true, false) => {
                if let Some(since) = self.running_since.take() {
                    self.running_ns += now.saturating_sub(since);
                }
            }
            _ => {}
        }
        if self.state != state {
            self.state_since = now;
        }
        self.state = state;
    }

    /// Seconds billed up to `now`.
    pub(crate) fn billed_secs(&self, now: SimTime) -> f64 {
        let current = self
            .running_since
            .map_or(0, |since| now.saturating_sub(since));
        to_secs(self.running_ns + current)
    }

    /// What its billed time has cost up to `now`; none without a price.
    pub(crate) fn cost_usd(&self, now: SimTime) -> Option<f64> {
        self.spec
            .hourly_usd
            .map(|h| h * self.billed_secs(now) / 3600.0)
    }

    /// The statistics as if touched at `now`, without changing anything.
    pub(crate) fn stats_at(&self, now: SimTime, warmup: SimTime) -> StationStats {
        let mut copy = self.clone();
        copy.touch(now, warmup);
        copy.stats
    }
}
