//! Invariants of every run, on random networks and patterns: every request is accounted
//! for, Little's law holds at each instance, nothing is NaN, memory stays within the
//! queues' capacities under overload, and the same seed replays the same events.

use cloudcanvas::library::templates;
use cloudcanvas::model::config::edge::RoutingAlgorithm;
use cloudcanvas::model::config::services::TrafficPattern;
use cloudcanvas::model::{Config, Diagram, Kind, Link, LinkKind, Resource, ResourceId};
use cloudcanvas::sim::{Action, RunSettings, Simulation, from_secs, simulate};
use proptest::prelude::*;

#[derive(Clone, Debug)]
struct Case {
    rps: f64,
    pattern: TrafficPattern,
    instances: usize,
    algorithm: RoutingAlgorithm,
    service_ms: f64,
    workers: u32,
    queue: u32,
    /// Connections of a database every instance calls, if any.
    database: Option<u32>,
    seed: u64,
    /// Real requests each simulated one stands for.
    weight: u32,
    /// A failure injected at 20 s and restored at 40 s: of the first server, or of the AZ.
    failure: Option<bool>,
}

fn pattern() -> impl Strategy<Value = TrafficPattern> {
    prop_oneof![
        Just(TrafficPattern::Constant),
        (1.0..400.0f64, 0.0..20.0f64, 0.0..20.0f64).prop_map(|(to_rps, start_secs, over_secs)| {
            TrafficPattern::Ramp {
                to_rps,
                start_secs,
                over_secs,
            }
        }),
        (1.0..400.0f64, 0.0..30.0f64)
            .prop_map(|(to_rps, at_secs)| TrafficPattern::Step { to_rps, at_secs }),
        (1.0..5.0f64, 0.0..20.0f64, 1.0..20.0f64).prop_map(
            |(multiplier, at_secs, duration_secs)| {
                TrafficPattern::Spike {
                    multiplier,
                    at_secs,
                    duration_secs,
                }
            }
        ),
    ]
}

fn case() -> impl Strategy<Value = Case> {
    (
        1.0..300.0f64,
        pattern(),
        1usize..4,
        prop_oneof![
            Just(RoutingAlgorithm::RoundRobin),
            Just(RoutingAlgorithm::LeastOutstandingRequests),
            Just(RoutingAlgorithm::WeightedRandom),
        ],
        1.0..80.0f64,
        1u32..4,
        0u32..50,
        proptest::option::of(1u32..20),
        (any::<u64>(), 1u32..5, proptest::option::of(any::<bool>())),
    )
        .prop_map(
            |(
                rps,
                pattern,
                instances,
                algorithm,
                service_ms,
                workers,
                queue,
                database,
                (seed, weight, failure),
            )| {
                Case {
                    rps,
                    pattern,
                    instances,
                    algorithm,
                    service_ms,
                    workers,
                    queue,
                    database,
                    seed,
                    weight,
                    failure,
                }
            },
        )
}

/// The queueing lab with a load balancer in front of `instances` copies of its server.
fn diagram(c: &Case) -> Diagram {
    let mut d = templates::find("queueing-lab").unwrap().load().unwrap();
    let id = |s: &str| ResourceId::new(s).unwrap();
    let mut users = d.resource("users").unwrap().config.clone();
    if let Config::Users(u) = &mut users {
        u.requests_per_second = c.rps;
        u.pattern = c.pattern.clone();
    }
    d.set_config(&id("users"), users).unwrap();
    let mut server = d.resource("server").unwrap().config.clone();
    if let Config::Ec2Instance(s) = &mut server {
        s.instance_type = "t2.micro".into();
        s.app.service_time_ms = c.service_ms;
        s.app.workers_per_vcpu = c.workers;
        s.app.queue_capacity = c.queue;
    }
    d.set_config(&id("server"), server).unwrap();
    let mut alb = Resource::new(id("alb"), Kind::ApplicationLoadBalancer).in_parent(&id("vpc"));
    if let Config::ApplicationLoadBalancer(a) = &mut alb.config {
        a.routing_algorithm = c.algorithm;
    }
    d.add(alb).unwrap();
    d.remove_link(&id("users"), &id("server"), LinkKind::Traffic)
        .unwrap();
    d.add_link(Link::new(id("users"), id("alb"), LinkKind::Traffic))
        .unwrap();
    if let Some(connections) = c.database {
        let mut db = Resource::new(id("db"), Kind::RdsInstance).in_parent(&id("vpc"));
        if let Config::RdsInstance(r) = &mut db.config {
            r.max_connections = Some(connections);
            r.query_time_ms = c.service_ms / 2.0;
        }
        d.add(db).unwrap();
        d.add_link(Link::new(id("server"), id("db"), LinkKind::Traffic))
            .unwrap();
    }
    let template = d.resource("server").unwrap().clone();
    for n in 0..c.instances {
        let name = if n == 0 {
            id("server")
        } else {
            id(&format!("server-{n}"))
        };
        if n > 0 {
            let mut copy = template.clone();
            copy.id = name.clone();
            d.add(copy).unwrap();
            if c.database.is_some() {
                d.add_link(Link::new(name.clone(), id("db"), LinkKind::Traffic))
                    .unwrap();
            }
        }
        d.add_link(Link::new(id("alb"), name, LinkKind::Traffic))
            .unwrap();
    }
    d
}

proptest! {
    // A fixed seed: the same 48 cases on every run and machine.
    #![proptest_config(ProptestConfig {
        cases: 48,
        rng_seed: proptest::test_runner::RngSeed::Fixed(20261124),
        ..ProptestConfig::default()
    })]

    #[test]
    fn every_run_accounts_for_every_request(c in case()) {
        let d = diagram(&c);
        let settings = RunSettings { seed: c.seed, duration: from_secs(60.0), warmup: from_secs(6.0) };
        let run = || {
            let mut sim = Simulation::sampled(&d, settings.clone(), c.weight).unwrap();
            if let Some(zone) = c.failure {
                let (fail, restore) = if zone {
                    (Action::FailAz(ResourceId::new("az-a").unwrap()), Action::RestoreAz(ResourceId::new("az-a").unwrap()))
                } else {
                    (Action::Fail(ResourceId::new("server").unwrap()), Action::Restore(ResourceId::new("server").unwrap()))
                };
                sim.schedule(from_secs(20.0), fail);
                sim.schedule(from_secs(40.0), restore);
            }
            sim.run();
            sim.report()
        };
        let r = run();
        prop_assert_eq!(r.arrived, r.completed + r.failed + r.in_flight);
        let capacity: u64 = r.stations.iter().map(|s| u64::from(s.capacity)).sum();
        // A sampled run's requests in flight stand for `weight` each.
        prop_assert!(r.in_flight <= capacity * u64::from(c.weight), "memory bounded by the queues");
        for s in &r.stations {
            for v in [s.p_wait, s.p_loss, s.mean_response_secs, s.mean_in_system, s.utilization, s.throughput_rps] {
                prop_assert!(v.is_finite() && v >= 0.0);
            }
            prop_assert!(s.utilization <= 1.0 + 1e-9 && s.p_wait <= 1.0 && s.p_loss <= 1.0);
            // Little's law over the measured window, to rounding: the time-average number
            // inside (integrated as counts change) against each request's own time there.
            let little = s.departure_rps * s.mean_sojourn_secs;
            prop_assert!((s.mean_in_system - little).abs() <= 1e-6 * little.max(1.0),
                "L {} vs λW {}", s.mean_in_system, little);
        }
        prop_assert!(r.availability.is_finite() && r.p99_secs >= r.p50_secs);
        let again = run();
        prop_assert_eq!(&r.digest, &again.digest, "same seed, same events");
        prop_assert_eq!(r, again);
    }
}

#[test]
fn another_seed_gives_another_run() {
    let c = Case {
        rps: 100.0,
        pattern: TrafficPattern::Constant,
        instances: 2,
        algorithm: RoutingAlgorithm::RoundRobin,
        service_ms: 10.0,
        workers: 1,
        queue: 10,
        database: None,
        seed: 1,
        weight: 1,
        failure: None,
    };
    let settings = |seed| RunSettings {
        seed,
        duration: from_secs(30.0),
        warmup: 0,
    };
    let a = simulate(&diagram(&c), settings(1)).unwrap();
    let b = simulate(&diagram(&c), settings(2)).unwrap();
    assert_ne!(a.digest, b.digest);
    // Known digests: the event log is the same on every machine and build.
    assert_eq!(
        [(a.events, a.digest.as_str()), (b.events, b.digest.as_str())],
        [(5946, "ebfc8e38a0827495"), (6040, "d5b02190d09a20ab")]
    );
}

#[test]
fn the_queueing_lab_replays_to_a_known_digest() {
    // Integer time, seeded ChaCha streams and ordered maps: this digest is the same on every
    // machine and build. A change here means runs no longer replay as recorded.
    let d = templates::find("queueing-lab").unwrap().load().unwrap();
    let r = simulate(
        &d,
        RunSettings {
            seed: 42,
            duration: from_secs(600.0),
            warmup: from_secs(60.0),
        },
    )
    .unwrap();
    assert_eq!((r.events, r.digest.as_str()), (60421, "f741c3e8608a943a"));
}

#[test]
fn a_run_longer_than_a_week_rolls_up_its_timeline_and_series_and_loses_no_request() {
    // Eight days: 69,120 ten-second buckets, more than the 65,536 kept, so they become
    // twenty-second ones; a minute's datapoints (11,520) are rolled up to four minutes.
    let d = super::sim_support::template(
        "three-tier",
        &[
            r#"users.pattern="Constant""#,
            "users.requests_per_second=0.02",
        ],
    );
    let days = 8.0;
    let r = simulate(
        &d,
        RunSettings {
            seed: 5,
            duration: from_secs(days * 86_400.0),
            warmup: 0,
        },
    )
    .unwrap();
    assert_eq!(r.timeline_bucket_secs, 20.0);
    let covered = r.timeline.len() as f64 * 20.0;
    assert!(
        (days * 86_400.0 - 60.0..=days * 86_400.0 + 20.0).contains(&covered),
        "the buckets cover the run: {covered} s"
    );
    let answered: u64 = r.timeline.iter().map(|b| b.completed).sum();
    let failed: u64 = r.timeline.iter().map(|b| b.failed).sum();
    assert_eq!((answered, failed), (r.completed, r.failed));
    assert!(
        r.completed > 12_000,
        "about 0.02 × 691,200 s: {}",
        r.completed
    );
    let group = &r.groups[0];
    assert!(group.series.len() <= 4_096, "{}", group.series.len());
    let step = group.series[1].secs - group.series[0].secs;
    assert!(step >= 240.0, "one-minute points rolled up: {step} s");
    let last = group.series.last().unwrap().secs;
    assert!(
        days * 86_400.0 - last <= step,
        "the series reaches the end: {last}"
    );
    for alarm in &r.alarms {
        assert!(
            alarm.datapoints.len() <= 4_097,
            "{}",
            alarm.datapoints.len()
        );
    }
}
