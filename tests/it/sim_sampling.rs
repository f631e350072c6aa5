//! The sampling weight: one simulated request stands for k real ones, with far fewer
//! events, and the figures a full run gives — counts, utilisation, response times, cost.

use cloudcanvas::model::Diagram;
use cloudcanvas::sim::{RunReport, RunSettings, Simulation, from_secs};

use crate::sim_support::template;

fn run(d: &Diagram, weight: u32, secs: f64) -> RunReport {
    let mut sim = Simulation::sampled(
        d,
        RunSettings {
            seed: 17,
            duration: from_secs(secs),
            warmup: from_secs(secs / 10.0),
        },
        weight,
    )
    .unwrap();
    sim.run();
    sim.report()
}

fn close(a: f64, b: f64, share: f64) -> bool {
    (a - b).abs() <= share * b.abs()
}

#[test]
fn a_sampled_queue_keeps_its_load_and_its_response_time() {
    // M/M/2 at 75 %: 500 requests/s of 3 ms on two vCPUs; W = S / (1 − ρ²) = 6.857 ms.
    let d = template(
        "queueing-lab",
        &[
            "users.requests_per_second=500",
            "server.app.service_time_ms=3",
            "server.app.queue_capacity=100000",
        ],
    );
    let expected_w = 0.003 / (1.0 - 0.75f64.powi(2));
    let full = run(&d, 1, 2000.0);
    let sampled = run(&d, 20, 20_000.0);
    assert_eq!(sampled.sample_weight, 20);
    // A twentieth of the events for ten times the simulated time.
    assert!(
        sampled.events * 2 < full.events,
        "{} vs {}",
        sampled.events,
        full.events
    );
    for r in [&full, &sampled] {
        let server = r
            .stations
            .iter()
            .find(|s| s.id.as_str() == "server")
            .unwrap();
        assert!(
            close(server.utilization, 0.75, 0.02),
            "ρ {}",
            server.utilization
        );
        assert!(
            close(server.mean_response_secs, expected_w, 0.03),
            "W {} s, {expected_w} s expected (weight {})",
            server.mean_response_secs,
            r.sample_weight
        );
        assert!(
            close(server.throughput_rps, 500.0, 0.02),
            "{}",
            server.throughput_rps
        );
        assert_eq!(r.arrived, r.completed + r.failed + r.in_flight);
    }
    // Counts are in real requests: 500 a second.
    assert!(close(sampled.arrived as f64, 500.0 * 20_000.0, 0.02));
}

#[test]
fn a_sampled_three_tier_run_costs_and_serves_as_a_full_one() {
    let d = template(
        "three-tier",
        &[
            "users.pattern=\"Constant\"",
            "users.requests_per_second=200",
        ],
    );
    let (full, sampled) = (run(&d, 1, 3600.0), run(&d, 10, 3600.0));
    assert!(close(sampled.arrived as f64, full.arrived as f64, 0.02));
    assert!(close(sampled.completed as f64, full.completed as f64, 0.02));
    assert!(close(sampled.bill.total_usd, full.bill.total_usd, 0.03));
    let tier = |r: &RunReport, name: &str| {
        r.tiers
            .iter()
            .find(|t| t.resource.as_str() == name)
            .unwrap()
            .latency_ms
    };
    // The app tier's median, its calls included, within a tenth.
    let (a, b) = (tier(&full, "app-asg")[0], tier(&sampled, "app-asg")[0]);
    assert!(close(b, a, 0.1), "p50 {a} ms in full, {b} ms sampled");
}
