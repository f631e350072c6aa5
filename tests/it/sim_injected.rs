//! Injected events beyond instance and zone failures: spot interruptions with their
//! two-minute notice, added latency, ECS tasks and Aurora through a zone outage, and an
//! on-premises data center as a traffic source.

use cloudcanvas::model::Diagram;
use cloudcanvas::sim::{Action, RunReport};

use super::sim_support::{id, logged_at, play, template};

fn run(d: &Diagram, minutes: f64, actions: &[(f64, Action)]) -> RunReport {
    play(d, 11, minutes * 60.0, 0.0, actions)
}

fn first(r: &RunReport, words: &[&str]) -> Option<f64> {
    logged_at(r, words).first().copied()
}

#[test]
fn a_spot_interruption_gives_two_minutes_notice_then_the_group_replaces_the_instance() {
    let d = template(
        "queue-workers",
        &[
            r#"clients.pattern="Constant""#,
            r#"workers.purchase_option="Spot""#,
        ],
    );
    let r = run(&d, 10.0, &[(300.0, Action::InterruptSpot(id("workers")))]);
    assert_eq!(
        first(&r, &["two-minute spot interruption notice"]),
        Some(300.0)
    );
    assert_eq!(first(&r, &["reclaimed by EC2"]), Some(420.0));
    let launched = r
        .log
        .iter()
        .filter(|l| l.secs == 420.0 && l.text.contains("launches"))
        .count();
    assert_eq!(launched, 1, "{:#?}", r.log);
    // Jobs in process on the reclaimed instance come back after their visibility timeout
    // rather than being lost.
    let jobs = r.queues.iter().find(|q| q.id.as_str() == "jobs").unwrap();
    assert_eq!(
        jobs.counts.sent,
        jobs.counts.deleted + jobs.visible + jobs.in_flight
    );
    // On-demand capacity is never interrupted.
    let on_demand = template("queue-workers", &[]);
    let r = run(
        &on_demand,
        5.0,
        &[(60.0, Action::InterruptSpot(id("workers")))],
    );
    assert!(first(&r, &["no running spot instance"]).is_some());
    assert!(first(&r, &["reclaimed"]).is_none());
}

#[test]
fn added_latency_lengthens_every_request_by_its_amount_and_can_be_removed() {
    // One request a second on the queueing lab: no waiting, so the response time is the
    // service time plus what was added.
    let d = template(
        "queueing-lab",
        &[
            "users.requests_per_second=1",
            r#"server.app.service_distribution="Constant""#,
        ],
    );
    let mean_ms = |actions: &[(f64, Action)]| run(&d, 30.0, actions).mean_response_secs * 1000.0;
    let base = mean_ms(&[]);
    let slowed = mean_ms(&[(
        0.0,
        Action::AddLatency {
            resource: id("server"),
            ms: 100.0,
        },
    )]);
    assert!((slowed - base - 100.0).abs() < 0.5, "{base} → {slowed}");
    let removed = mean_ms(&[
        (
            0.0,
            Action::AddLatency {
                resource: id("server"),
                ms: 100.0,
            },
        ),
        (
            900.0,
            Action::AddLatency {
                resource: id("server"),
                ms: 0.0,
            },
        ),
    ]);
    assert!(
        (removed - base - 50.0).abs() < 2.0,
        "half the run slowed: {removed}"
    );
}

#[test]
fn ecs_tasks_move_to_the_healthy_zone_and_aurora_promotes_its_replica() {
    let d = template("containers", &[]);
    let r = run(&d, 20.0, &[(600.0, Action::FailAz(id("az-a")))]);
    let replacement = first(&r, &["api-service launches api-service.t", "az-b"]).unwrap();
    assert!((600.0..=660.0).contains(&replacement), "{replacement}");
    assert_eq!(first(&r, &["aurora primary fails"]), Some(600.0));
    assert_eq!(first(&r, &["aurora has failed over"]), Some(630.0));
    // After the failover and the replacements are in service, nothing fails.
    let late: u64 = r.timeline[(660 + 45 + 60) / 10..]
        .iter()
        .map(|b| b.failed)
        .sum();
    assert_eq!(late, 0);
}

#[test]
fn an_on_premises_data_center_sends_its_people_s_requests() {
    let r = run(&template("hybrid", &[]), 10.0, &[]);
    let (source, sent) = &r.sources[0];
    assert_eq!(source.as_str(), "datacenter");
    let rate = *sent as f64 / 600.0;
    assert!((rate - 20.0).abs() < 1.0, "{rate}/s");
    assert_eq!(r.failed, 0);
}

#[test]
fn a_source_can_take_a_new_pattern_during_a_run() {
    use cloudcanvas::model::config::services::TrafficPattern;
    // The lab's users send 50 requests/s; at 60 s they switch to a step up to 80 at
    // 120 s.
    let d = template("queueing-lab", &[]);
    let mut sim = super::sim_support::start(&d, 3, 300.0);
    let sent_by = |sim: &cloudcanvas::sim::Simulation| sim.snapshot().totals.arrived as f64;
    sim.schedule(
        cloudcanvas::sim::from_secs(60.0),
        Action::SetPattern {
            source: id("users"),
            pattern: TrafficPattern::Step {
                to_rps: 80.0,
                at_secs: 120.0,
            },
        },
    );
    sim.advance_to(cloudcanvas::sim::from_secs(120.0));
    let at_step = sent_by(&sim);
    assert!(
        (at_step / 120.0 - 50.0).abs() < 3.0,
        "before the step: {at_step}"
    );
    sim.advance_to(cloudcanvas::sim::from_secs(300.0));
    let after = (sent_by(&sim) - at_step) / 180.0;
    assert!((after - 80.0).abs() < 3.0, "after the step: {after}/s");
    let log = sim.report().log;
    assert!(
        log.iter()
            .any(|e| e.text == "users now follows a step to 80 requests/s at 120 s"),
        "{log:#?}"
    );
}
