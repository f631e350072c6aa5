//! The queueing oracle: the queueing-lab template, changed with `--set`, against the exact
//! M/M/1, M/M/c, M/M/c/K and random-split formulas (`queueing.md` cases G1, G3, G7, G9, R2)
//! — mean response time within 2 %, probabilities within 0.005 — and the routing effect of
//! a load balancer's per-target queues.
//!
//! Time is scaled by 1,000 (service 1 ms instead of 1 s): the dimensionless results are the
//! same and a million requests take a few simulated minutes.

use cloudcanvas::library::templates;
use cloudcanvas::model::overrides;
use cloudcanvas::model::{Config, Diagram, Kind, Link, LinkKind, Resource, ResourceId};
use cloudcanvas::sim::{RunReport, RunSettings, from_secs, simulate};

fn lab(sets: &[String]) -> Diagram {
    let mut d = templates::find("queueing-lab").unwrap().load().unwrap();
    for set in sets {
        overrides::apply(&mut d, &set.parse().unwrap()).unwrap_or_else(|e| panic!("{set}: {e}"));
    }
    d
}

/// λ per ms-scaled second, c workers on one vCPU, K in all (None: no limit).
fn mm(lambda: f64, c: u32, k: Option<u32>) -> Diagram {
    let queue = k.map_or(1_000_000, |k| k - c);
    lab(&[
        format!("users.requests_per_second={}", lambda * 1000.0),
        "server.instance_type=t2.micro".into(),
        "server.app.service_time_ms=1".into(),
        format!("server.app.workers_per_vcpu={c}"),
        format!("server.app.queue_capacity={queue}"),
    ])
}

/// Runs until about `requests` have arrived, discarding the first 10 %.
fn run(d: &Diagram, lambda: f64, requests: f64, seed: u64) -> RunReport {
    let secs = requests / (lambda * 1000.0);
    simulate(
        d,
        RunSettings {
            seed,
            duration: from_secs(secs),
            warmup: from_secs(secs * 0.1),
        },
    )
    .unwrap()
}

fn close(name: &str, got: f64, want: f64, relative: f64) {
    assert!(
        (got - want).abs() <= relative * want.abs(),
        "{name}: simulated {got}, formula {want}"
    );
}

fn near(name: &str, got: f64, want: f64) {
    assert!(
        (got - want).abs() <= 0.005,
        "{name}: simulated {got}, formula {want}"
    );
}

#[test]
fn g1_mm1_matches_the_formulas() {
    let r = run(&mm(0.5, 1, None), 0.5, 1.1e6, 1);
    let s = &r.stations[0];
    close("G1 W", s.mean_response_secs, 2.0e-3, 0.02);
    near("G1 P(wait)", s.p_wait, 0.5);
    near("G1 utilisation", s.utilization, 0.5);
    // Little's law on the measured figures.
    close(
        "G1 L = λW",
        s.mean_in_system,
        s.throughput_rps * s.mean_response_secs,
        0.01,
    );
}

#[test]
fn g3_mmc_matches_erlang_c() {
    let r = run(&mm(2.0, 3, None), 2.0, 1.1e6, 2);
    let s = &r.stations[0];
    close("G3 W", s.mean_response_secs, 1.44444e-3, 0.02);
    near("G3 P(wait)", s.p_wait, 0.444444);
}

#[test]
fn g7_mmck_matches_its_losses() {
    let r = run(&mm(2.0, 2, Some(5)), 2.0, 1.1e6, 3);
    let s = &r.stations[0];
    near("G7 P(loss)", s.p_loss, 0.181818);
    near("G7 P(wait | admitted)", s.p_wait, 0.666667);
    close("G7 W", s.mean_response_secs, 1.66667e-3, 0.02);
    assert_eq!(
        r.arrived,
        r.completed + r.failed + r.in_flight,
        "every request accounted for"
    );
}

#[test]
fn g9_erlang_b_loss_system() {
    let r = run(&mm(3.0, 5, Some(5)), 3.0, 1.1e6, 4);
    let s = &r.stations[0];
    near("G9 P(loss)", s.p_loss, 0.110054);
    near("G9 P(wait)", s.p_wait, 0.0);
    close("G9 W", s.mean_response_secs, 1.0e-3, 0.02);
}

/// The lab with a load balancer over three one-worker instances.
fn balanced(algorithm: &str, lambda: f64) -> Diagram {
    let mut d = mm(lambda, 1, None);
    let id = |s: &str| ResourceId::new(s).unwrap();
    let mut alb = Resource::new(id("alb"), Kind::ApplicationLoadBalancer).in_parent(&id("vpc"));
    if let Config::ApplicationLoadBalancer(c) = &mut alb.config {
        c.routing_algorithm = serde_json::from_value(serde_json::json!(algorithm)).unwrap();
    }
    d.add(alb).unwrap();
    let server = d.resource("server").unwrap().clone();
    for name in ["server-2", "server-3"] {
        let mut copy = server.clone();
        copy.id = id(name);
        d.add(copy).unwrap();
    }
    d.remove_link(&id("users"), &id("server"), LinkKind::Traffic)
        .unwrap();
    d.add_link(Link::new(id("users"), id("alb"), LinkKind::Traffic))
        .unwrap();
    for name in ["server", "server-2", "server-3"] {
        d.add_link(Link::new(id("alb"), id(name), LinkKind::Traffic))
            .unwrap();
    }
    d
}

#[test]
fn r2_random_routing_is_three_independent_mm1_queues() {
    // λ = 2 over three servers of μ = 1, split at random: each an M/M/1 at ρ = 2/3.
    let r = run(&balanced("WeightedRandom", 2.0), 2.0, 1.1e6, 5);
    close("R2 W", r.mean_response_secs, 3.0e-3, 0.02);
    for s in &r.stations {
        near("R2 P(wait)", s.p_wait, 0.666667);
    }
}

#[test]
fn round_robin_lies_between_a_shared_queue_and_random_routing() {
    // queueing.md: per-target queues are never one shared queue; round robin smooths the
    // arrivals each target sees, so it beats random routing but not M/M/3.
    let rr = run(&balanced("RoundRobin", 2.0), 2.0, 6e5, 6).mean_response_secs;
    let lor = run(&balanced("LeastOutstandingRequests", 2.0), 2.0, 6e5, 7).mean_response_secs;
    assert!(1.444e-3 < rr && rr < 3.0e-3 * 0.9, "round robin W = {rr}");
    assert!(
        1.444e-3 < lor && lor < rr,
        "least outstanding requests W = {lor} < {rr}"
    );
}
