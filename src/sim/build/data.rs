//! Managed data services: DynamoDB tables and S3 buckets as stores with request-rate
//! limits, SQS queues with their consumers, and event notifications.

use super::*;
use crate::model::config::database::{CapacityMode, DynamoDbTable};
use crate::model::config::services::SqsQueue;
use crate::model::config::storage::S3Bucket;

/// DynamoDB on-demand: what a new table serves at once, and the default table maximum
/// (DynamoDB developer guide, on-demand capacity mode; throttling knowledge-center
/// article).
const ON_DEMAND_INITIAL_READ: f64 = 12_000.0;
const ON_DEMAND_INITIAL_WRITE: f64 = 4_000.0;
const ON_DEMAND_TABLE_MAX: f64 = 40_000.0;
/// Seconds before a new on-demand peak raises the limit ("double the previous peak within
/// 30 minutes" may throttle).
const ON_DEMAND_SETTLE_SECS: f64 = 1_800.0;
/// DynamoDB provisioned capacity keeps up to 300 s of unused capacity for bursts.
const PROVISIONED_BURST_SECS: f64 = 300.0;
/// S3 serves at least 3,500 PUT/COPY/POST/DELETE and 5,500 GET/HEAD requests a second per
/// prefix (S3 user guide, optimizing performance).
const S3_WRITES_PER_PREFIX: f64 = 3_500.0;
const S3_READS_PER_PREFIX: f64 = 5_500.0;
/// Lambda retries a failed asynchronous invocation twice, about a minute apart, and keeps
/// an event up to six hours (Lambda developer guide, asynchronous invocation).
const ASYNC_RETRY_SECS: f64 = 60.0;
const ASYNC_ATTEMPTS: u32 = 3;
const ASYNC_MAX_AGE_SECS: f64 = 21_600.0;
/// Spread of a managed service's latency: right-skewed, as measured latencies are.
const STORE_LATENCY_CV: f64 = 0.5;

/// A station with no queue of its own (every request served at once, after a latency).
fn unbounded(id: ResourceId, role: Role, latency_ms: f64) -> StationSpec {
    StationSpec {
        servers: UNBOUNDED,
        capacity: UNBOUNDED,
        distribution: ServiceDistribution::LogNormal,
        cv: STORE_LATENCY_CV,
        ..StationSpec::new(id, role, latency_ms / 1000.0)
    }
}

impl<'a> Builder<'a> {
    pub(super) fn dynamodb(&mut self, id: &'a ResourceId, c: &DynamoDbTable) -> Hop {
        // A read uses a unit per 4 KB (half for an eventually consistent read), a write a
        // unit per 1 KB (DynamoDB developer guide, read/write capacity units).
        let size = c.item_size_kb.max(0.001);
        let consistency = if c.consistent_reads { 1.0 } else { 0.5 };
        let read_units = (size / 4.0).ceil() * consistency;
        let write_units = size.ceil();
        let limit = match c.capacity_mode {
            CapacityMode::Provisioned => RateLimit {
                read_per_sec: f64::from(c.read_capacity_units),
                write_per_sec: f64::from(c.write_capacity_units),
                read_units,
                write_units,
                burst_secs: PROVISIONED_BURST_SECS,
                on_demand: None,
            },
            CapacityMode::OnDemand => RateLimit {
                read_per_sec: ON_DEMAND_INITIAL_READ,
                write_per_sec: ON_DEMAND_INITIAL_WRITE,
                read_units,
                write_units,
                burst_secs: 1.0,
                on_demand: Some(OnDemand {
                    max_read_per_sec: ON_DEMAND_TABLE_MAX,
                    max_write_per_sec: ON_DEMAND_TABLE_MAX,
                    settle_secs: ON_DEMAND_SETTLE_SECS,
                }),
            },
        };
        let s = self.push_station(StationSpec {
            limit: Some(limit),
            ..unbounded(id.clone(), Role::Store, c.latency_ms)
        });
        Hop::Station(s)
    }

    pub(super) fn bucket(&mut self, id: &'a ResourceId, c: &S3Bucket) -> Result<Hop, BuildError> {
        let prefixes = f64::from(c.prefixes.max(1));
        let s = self.push_station(StationSpec {
            limit: Some(RateLimit {
                read_per_sec: S3_READS_PER_PREFIX * prefixes,
                write_per_sec: S3_WRITES_PER_PREFIX * prefixes,
                read_units: 1.0,
                write_units: 1.0,
                burst_secs: 1.0,
                on_demand: None,
            }),
            enqueues_writes_only: true,
            ..unbounded(id.clone(), Role::Store, c.latency_ms)
        });
        self.hops.insert(id, Hop::Station(s));
        let queues = self.notifications(id)?;
        self.net.stations[s as usize].enqueues = queues;
        Ok(Hop::Station(s))
    }

    /// An event bus answers PutEvents at once and hands each event to every target of its
    /// rules asynchronously, as S3 hands an upload's notification to a function: a Lambda
    /// target through its queue of asynchronous invocations (retried, then dropped), a
    /// queue directly. Every rule is taken to match every event.
    pub(super) fn event_bus(
        &mut self,
        id: &'a ResourceId,
        c: &crate::model::config::services::EventBridgeBus,
    ) -> Result<Hop, BuildError> {
        let s = self.push_station(unbounded(id.clone(), Role::Store, c.latency_ms));
        self.hops.insert(id, Hop::Station(s));
        let queues = self.notifications(id)?;
        self.net.stations[s as usize].enqueues = queues;
        Ok(Hop::Station(s))
    }

    /// The queues `id`'s event notifications feed: an SQS queue's own, or for a Lambda
    /// function the internal queue of its asynchronous invocations.
    fn notifications(&mut self, id: &'a ResourceId) -> Result<Vec<u32>, BuildError> {
        let mut queues = Vec::new();
        for link in self.d.links_of(id.as_str()) {
            if link.kind != LinkKind::EventTrigger || &link.from != id {
                continue;
            }
            let Some(target) = self.d.resource(link.to.as_str()) else {
                continue;
            };
            match (&target.config, self.hop(&link.to)?) {
                (Config::SqsQueue(_), Hop::Station(s)) => {
                    queues.extend(self.net.stations[s as usize].enqueues.iter().copied());
                }
                (Config::LambdaFunction(_), hop @ Hop::Station(_)) => {
                    let name = ResourceId::new(format!("{}.events", link.to))
                        .unwrap_or_else(|_| link.to.clone());
                    let q = self.push_queue(QueueSpec {
                        id: name,
                        owner: id.clone(),
                        visibility_secs: ASYNC_RETRY_SECS,
                        retention_secs: ASYNC_MAX_AGE_SECS,
                        delay_secs: 0.0,
                        max_receives: Some(ASYNC_ATTEMPTS),
                        dead_letter: None,
                        consumers: Vec::new(),
                        consumer_guards: Vec::new(),
                    });
                    self.add_consumer(q, hop, None);
                    queues.push(q);
                }
                _ => {}
            }
        }
        Ok(queues)
    }

    fn push_queue(&mut self, spec: QueueSpec) -> u32 {
        self.net.queues.push(spec);
        (self.net.queues.len() - 1) as u32
    }

    /// Makes `hop` (a group, an instance or a function) take messages from queue `q`.
    fn add_consumer(&mut self, q: u32, hop: Hop, guard: Option<u32>) {
        let stations: Vec<u32> = match hop {
            Hop::Group(g) => {
                let spec = &mut self.net.group_specs[g as usize];
                for policy in &mut spec.tracking {
                    if policy.metric == TrackedMetric::Backlog(None) {
                        policy.metric = TrackedMetric::Backlog(Some(q));
                    }
                }
                for alarm in &mut self.net.alarms {
                    if alarm.metric
                        == (AlarmMetric::Backlog {
                            queue: None,
                            group: g,
                        })
                    {
                        alarm.metric = AlarmMetric::Backlog {
                            queue: Some(q),
                            group: g,
                        };
                    }
                }
                let spec = &self.net.group_specs[g as usize];
                let mut all = self.net.groups[g as usize].1.clone();
                all.push(spec.template);
                all
            }
            Hop::Station(s) if self.net.stations[s as usize].role == Role::Compute => vec![s],
            _ => return,
        };
        for s in stations {
            let station = &mut self.net.stations[s as usize];
            // One queue per consumer: the first drawn.
            station.consumes.get_or_insert(q);
        }
        self.net.queues[q as usize].consumers.push(hop);
        self.net.queues[q as usize].consumer_guards.push(guard);
    }

    pub(super) fn queue(&mut self, id: &'a ResourceId, c: &'a SqsQueue) -> Result<Hop, BuildError> {
        // A redrive policy needs a dead-letter queue; without one, SQS keeps delivering a
        // failing message until its retention ends.
        let q = self.push_queue(QueueSpec {
            id: id.clone(),
            owner: id.clone(),
            visibility_secs: f64::from(c.visibility_timeout_secs),
            retention_secs: f64::from(c.message_retention_secs.max(1)),
            delay_secs: f64::from(c.delay_secs),
            max_receives: c
                .dead_letter_queue
                .as_ref()
                .map(|_| c.max_receive_count.max(1)),
            dead_letter: None,
            consumers: Vec::new(),
            consumer_guards: Vec::new(),
        });
        let s = self.push_station(StationSpec {
            enqueues: vec![q],
            ..unbounded(id.clone(), Role::Queue, c.send_latency_ms)
        });
        self.hops.insert(id, Hop::Station(s));
        if let Some(dlq) = &c.dead_letter_queue
            && let Hop::Station(d) = self.hop(dlq)?
            && self.net.stations[d as usize].role == Role::Queue
        {
            self.net.queues[q as usize].dead_letter =
                self.net.stations[d as usize].enqueues.first().copied();
        }
        for link in self.d.links_of(id.as_str()) {
            if link.kind == LinkKind::EventTrigger && &link.from == id {
                let hop = self.hop(&link.to)?;
                // Instances poll the queue themselves, through their subnets' routes and
                // security groups; a function's poller is Lambda's own.
                let guard = match hop {
                    Hop::Group(_) | Hop::Station(_)
                        if self
                            .d
                            .resource(link.to.as_str())
                            .is_some_and(|r| r.kind() != crate::model::Kind::LambdaFunction) =>
                    {
                        match self.guarded(&link.to, id, hop) {
                            Hop::Guarded(g) => Some(g),
                            _ => None,
                        }
                    }
                    _ => None,
                };
                self.add_consumer(q, hop, guard);
            }
        }
        Ok(Hop::Station(s))
    }
}
