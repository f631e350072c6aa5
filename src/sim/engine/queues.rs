//! Message queues: SQS queues and the internal queues of asynchronous Lambda invocations.
//!
//! A message sent waits (after any delay) until a consumer has a free worker; receiving it
//! hides it for the visibility timeout. A job that finishes deletes it; one that fails (or
//! outlives the timeout) leaves it to reappear when the timeout ends, to be received again,
//! until the redrive policy moves it to the dead-letter queue (SQS developer guide,
//! visibility timeout and dead-letter queues). Consumers receive as soon as a worker is
//! free, as long polling does.

use std::collections::VecDeque;

use serde::Serialize;

use super::{Engine, State};
use crate::model::ResourceId;
use crate::sim::build::Hop;
use crate::sim::events::{Event, SimTime, from_secs, to_secs};
use crate::sim::stats::Latency;

/// Where a message is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Where {
    /// Sent with a delay, not visible yet.
    Delayed,
    /// Waiting for a consumer.
    Visible,
    /// Received, hidden for the visibility timeout.
    InFlight,
    /// Deleted while still listed as visible: dropped when reached.
    Deleted,
    /// The slot is free.
    Free,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Message {
    queue: u32,
    sent_at: SimTime,
    receives: u32,
    /// The latest receive (or delay): a timeout or a job from an older one is stale.
    attempt: u64,
    place: Where,
}

/// A job: the processing of one received message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Job {
    pub message: u32,
    pub attempt: u64,
}

/// A queue at run time.
#[derive(Clone, Debug, Default)]
pub(crate) struct QueueState {
    /// Messages listed as visible, oldest first (some may have been deleted meanwhile).
    listed: VecDeque<u32>,
    pub visible: u64,
    pub in_flight: u64,
    pub delayed: u64,
    pub counts: QueueCounts,
    age: Latency,
    pub series: crate::sim::rollup::Series<QueuePoint>,
}

/// What a queue saw over the run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct QueueCounts {
    /// Messages sent to it (moved from another queue included).
    pub sent: u64,
    /// Receives (a message received twice counts twice).
    pub received: u64,
    /// Messages processed and deleted.
    pub deleted: u64,
    /// Jobs that finished after their message had been received again: the work was done
    /// twice.
    pub duplicates: u64,
    /// Jobs that failed; their message came back after its visibility timeout.
    pub failed_jobs: u64,
    /// Messages moved to the dead-letter queue (or, without one, dropped after their last
    /// attempt).
    pub dead_lettered: u64,
    /// Messages deleted unread at the end of their retention.
    pub expired: u64,
    /// Most messages visible at once.
    pub max_visible: u64,
}

/// A queue's depth at one moment.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct QueuePoint {
    /// Seconds from the start.
    pub secs: f64,
    /// Messages waiting for a consumer.
    pub visible: u64,
    /// Messages received and being processed.
    pub in_flight: u64,
}

/// A longer period keeps its deepest moment, so that a backlog still shows.
impl crate::sim::rollup::Rollup for QueuePoint {
    fn absorb(&mut self, later: &Self) {
        self.secs = later.secs;
        self.visible = self.visible.max(later.visible);
        self.in_flight = self.in_flight.max(later.in_flight);
    }
}

/// A queue's report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct QueueReport {
    /// The queue.
    pub id: ResourceId,
    /// Its counters.
    #[serde(flatten)]
    pub counts: QueueCounts,
    /// Messages waiting at the end.
    pub visible: u64,
    /// Messages being processed at the end.
    pub in_flight: u64,
    /// Mean seconds from send to delete.
    pub mean_age_secs: f64,
    /// 99th percentile of the same.
    pub p99_age_secs: f64,
    /// Depth once a minute.
    pub series: Vec<QueuePoint>,
}

impl Engine {
    /// A message is sent to queue `q`.
    pub(super) fn enqueue(&mut self, q: u32, sent_at: SimTime) {
        let spec = &self.net.queues[q as usize];
        let delay = spec.delay_secs;
        let message = Message {
            queue: q,
            sent_at,
            receives: 0,
            attempt: 0,
            place: Where::Visible,
        };
        let slot = match self.free_messages.pop() {
            Some(slot) => {
                self.messages[slot as usize] = message;
                slot
            }
            None => {
                self.messages.push(message);
                (self.messages.len() - 1) as u32
            }
        };
        let state = &mut self.queues[q as usize];
        state.counts.sent += 1;
        if delay > 0.0 {
            self.attempts += 1;
            let attempt = self.attempts;
            let m = &mut self.messages[slot as usize];
            m.place = Where::Delayed;
            m.attempt = attempt;
            state.delayed += 1;
            self.queue.push(
                self.now + from_secs(delay),
                Event::MessageVisible {
                    message: slot,
                    attempt,
                },
            );
        } else {
            self.list(slot);
            self.pump(q);
        }
    }

    /// Makes a message visible.
    fn list(&mut self, slot: u32) {
        let m = &mut self.messages[slot as usize];
        m.place = Where::Visible;
        let state = &mut self.queues[m.queue as usize];
        state.listed.push_back(slot);
        state.visible += 1;
        state.counts.max_visible = state.counts.max_visible.max(state.visible);
    }

    fn free_message(&mut self, slot: u32) {
        self.messages[slot as usize].place = Where::Free;
        self.free_messages.push(slot);
    }

    /// A delay or a visibility timeout ends.
    pub(super) fn message_visible(&mut self, slot: u32, attempt: u64) {
        let m = self.messages[slot as usize];
        if m.attempt != attempt {
            return;
        }
        let q = m.queue;
        match m.place {
            Where::Delayed => {
                self.queues[q as usize].delayed -= 1;
                self.list(slot);
            }
            Where::InFlight => {
                self.queues[q as usize].in_flight -= 1;
                let spec = &self.net.queues[q as usize];
                if spec.max_receives.is_some_and(|max| m.receives >= max) {
                    let dead_letter = spec.dead_letter;
                    self.queues[q as usize].counts.dead_lettered += 1;
                    self.free_message(slot);
                    if let Some(dlq) = dead_letter {
                        self.enqueue(dlq, m.sent_at);
                    }
                    return;
                }
                self.list(slot);
            }
            _ => return,
        }
        self.pump(q);
    }

    /// Hands visible messages of queue `q` to consumers with a free worker.
    pub(super) fn pump(&mut self, q: u32) {
        while self.queues[q as usize].visible > 0 {
            let Some(station) = self.free_consumer(q) else {
                return;
            };
            let Some(slot) = self.queues[q as usize].listed.pop_front() else {
                return;
            };
            let m = self.messages[slot as usize];
            if m.place == Where::Deleted {
                self.free_message(slot);
                continue;
            }
            self.queues[q as usize].visible -= 1;
            let spec = &self.net.queues[q as usize];
            if self.now.saturating_sub(m.sent_at) > from_secs(spec.retention_secs) {
                self.queues[q as usize].counts.expired += 1;
                self.free_message(slot);
                continue;
            }
            let visibility = from_secs(spec.visibility_secs);
            self.attempts += 1;
            let attempt = self.attempts;
            let m = &mut self.messages[slot as usize];
            m.receives += 1;
            m.attempt = attempt;
            m.place = Where::InFlight;
            let state = &mut self.queues[q as usize];
            state.in_flight += 1;
            state.counts.received += 1;
            self.queue.push(
                self.now + visibility,
                Event::MessageVisible {
                    message: slot,
                    attempt,
                },
            );
            let request = self.new_request(true, 0.0, super::NO_SOURCE);
            self.requests[request as usize].job = Some(Job {
                message: slot,
                attempt,
            });
            self.jobs_in_flight += 1;
            self.maybe_trace(request);
            let (from, to) = (
                self.flows.queue_node[q as usize],
                self.station_node(station),
            );
            self.cross(request, from, to);
            self.enter(station, request);
        }
    }

    /// The consumer station of `q` in service with the fewest busy workers, if one has a
    /// worker free.
    fn free_consumer(&mut self, q: u32) -> Option<u32> {
        let mut best: Option<(u32, u32)> = None;
        let mut blocked: Option<(u32, Option<u32>)> = None;
        let spec = &self.net.queues[q as usize];
        for (i, hop) in spec.consumers.iter().enumerate() {
            let guard = spec.consumer_guards.get(i).copied().flatten();
            let mut consider = |s: u32| {
                let st = &self.stations[s as usize];
                if st.state != State::InService
                    || st.busy >= st.spec.servers
                    || best.is_some_and(|(_, busy)| st.busy >= busy)
                {
                    return;
                }
                // Its polls must reach the queue from its AZ.
                if let Some(g) = guard
                    && self.gate(g, st.spec.az).is_err()
                {
                    blocked = Some((g, st.spec.az));
                    return;
                }
                best = Some((s, st.busy));
            };
            match *hop {
                Hop::Group(g) => self.groups[g as usize].iter().for_each(|&s| consider(s)),
                Hop::Station(s) => consider(s),
                _ => {}
            }
        }
        if best.is_none()
            && let Some((g, az)) = blocked
        {
            self.note_blocked(g, az, "polls");
        }
        best.map(|(s, _)| s)
    }

    /// A job finished: its message is deleted, unless it was received again since.
    pub(super) fn job_done(&mut self, job: Job) {
        self.jobs_in_flight -= 1;
        let m = self.messages[job.message as usize];
        let q = m.queue as usize;
        if m.attempt != job.attempt || !matches!(m.place, Where::InFlight | Where::Visible) {
            self.queues[q].counts.duplicates += 1;
            return;
        }
        let age = self.now.saturating_sub(m.sent_at);
        let state = &mut self.queues[q];
        state.counts.deleted += 1;
        state.age.record(age.max(1));
        if m.place == Where::InFlight {
            state.in_flight -= 1;
            self.free_message(job.message);
        } else {
            // Listed again after its timeout, but deleted with the latest receipt: it is
            // dropped when the queue reaches it.
            state.visible -= 1;
            self.messages[job.message as usize].place = Where::Deleted;
        }
    }

    /// A job failed: its message reappears when its visibility timeout ends.
    pub(super) fn job_failed(&mut self, job: Job) {
        self.jobs_in_flight -= 1;
        let q = self.messages[job.message as usize].queue as usize;
        self.queues[q].counts.failed_jobs += 1;
    }

    /// Messages of queue `q` waiting for a consumer.
    pub(super) fn queue_visible(&self, q: u32) -> u64 {
        self.queues[q as usize].visible
    }

    /// Records every queue's depth (once a minute).
    pub(super) fn sample_queues(&mut self) {
        let secs = to_secs(self.now);
        for state in &mut self.queues {
            state.series.push(QueuePoint {
                secs,
                visible: state.visible,
                in_flight: state.in_flight,
            });
        }
    }

    /// Every queue's report.
    pub(crate) fn queue_reports(&self) -> Vec<QueueReport> {
        self.net
            .queues
            .iter()
            .zip(&self.queues)
            .map(|(spec, state)| QueueReport {
                id: spec.id.clone(),
                counts: state.counts,
                visible: state.visible + state.delayed,
                in_flight: state.in_flight,
                mean_age_secs: state.age.mean_secs(),
                p99_age_secs: state.age.quantile_secs(0.99),
                series: state.series.to_vec(),
            })
            .collect()
    }
}
