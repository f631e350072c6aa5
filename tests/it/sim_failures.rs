//! Failures and recovery, as AWS behaves: an AZ outage with two AZs keeps serving while the
//! group relaunches in the healthy AZ; a Multi-AZ database fails over in its set time with
//! write errors meanwhile; a crashed application is taken out of the load balancer after
//! two failed checks, and replaced only with ELB health checks.

use cloudcanvas::library::templates;
use cloudcanvas::model::{Diagram, ResourceId};
use cloudcanvas::sim::{Action, Failure, RunReport, RunSettings, Scenario, Simulation, from_secs};

use super::sim_support::{id, logged_at, template};

fn sim(d: &Diagram, minutes: f64) -> Simulation {
    Simulation::new(
        d,
        RunSettings {
            seed: 3,
            duration: from_secs(minutes * 60.0),
            warmup: 0,
        },
    )
    .unwrap()
}

fn failed(r: &RunReport, reason: Failure) -> u64 {
    r.failures
        .iter()
        .find(|(f, _)| *f == reason)
        .map_or(0, |(_, n)| *n)
}

fn logged(r: &RunReport, text: &str) -> Option<f64> {
    logged_at(r, &[text]).first().copied()
}

const CONSTANT: &str = r#"users.pattern="Constant""#;

#[test]
fn an_az_outage_with_two_azs_keeps_serving_and_relaunches_in_the_healthy_az() {
    let d = template("three-tier", &[CONSTANT, "users.requests_per_second=200"]);
    let mut s = sim(&d, 30.0);
    let scenario = Scenario::parse(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scenarios/three-tier-az-outage.scenario.ron"
        ))
        .unwrap(),
    )
    .unwrap();
    s.play(&scenario);
    s.advance_to(from_secs(9.0 * 60.0));
    let before = s.report();
    assert_eq!(before.failed, 0, "all well before the outage");
    s.advance_to(from_secs(15.0 * 60.0));
    let during = s.report();
    s.run();
    let after = s.report();
    // Requests fail only while the database and cache fail over; then all succeed again.
    assert!(during.failed > 0);
    assert_eq!(
        after.failed, during.failed,
        "nothing fails once failed over"
    );
    assert!(after.availability > 0.98, "{}", after.availability);
    let launched = logged(&after, "launches app-asg.i3 in az-b").expect("a replacement in az-b");
    let in_service = logged(&after, "app-asg.i3 is in service").unwrap();
    assert!(
        (600.0..=660.0).contains(&launched),
        "found within a minute: {launched}"
    );
    assert!(
        (in_service - launched - 45.0).abs() < 1e-6,
        "after its launch time"
    );
    let failover = logged(&after, "db has failed over").unwrap();
    assert!(
        (failover - 600.0 - 90.0).abs() < 1e-6,
        "RDS Multi-AZ failover takes 90 s"
    );
}

#[test]
fn a_multi_az_database_fails_over_with_errors_only_meanwhile() {
    let d = template("three-tier", &[CONSTANT, "users.requests_per_second=200"]);
    let mut s = sim(&d, 10.0);
    s.schedule(from_secs(120.0), Action::Fail(id("db")));
    s.advance_to(from_secs(119.0));
    assert_eq!(s.report().failed, 0);
    s.advance_to(from_secs(211.0));
    let during = failed(&s.report(), Failure::FailoverInProgress);
    assert!(
        during > 500,
        "writes and cache misses fail for 90 s: {during}"
    );
    s.run();
    let r = s.report();
    assert_eq!(
        failed(&r, Failure::FailoverInProgress),
        during,
        "none after the failover"
    );
    // Without Multi-AZ the database stays down.
    let single = template(
        "three-tier",
        &[
            CONSTANT,
            "users.requests_per_second=200",
            "db.multi_az=false",
        ],
    );
    let mut s = sim(&single, 10.0);
    s.schedule(from_secs(120.0), Action::Fail(id("db")));
    s.run();
    let r = s.report();
    assert!(
        failed(&r, Failure::InstanceDown) > 5_000,
        "{:?}",
        r.failures
    );
}

#[test]
fn a_crashed_app_leaves_the_load_balancer_and_only_elb_checks_replace_it() {
    // Employee directory: two instances behind the ALB; the app on one crashes at 2 min.
    for (health, replaced) in [("Ec2", false), ("Elb", true)] {
        let d = template(
            "employee-directory",
            &[&format!("app-asg.health_check_type={health}")],
        );
        let mut s = sim(&d, 15.0);
        s.schedule(from_secs(120.0), Action::CrashApp(id("app-asg.i1")));
        s.run();
        let r = s.report();
        let out = logged(&r, "finds app-asg.i1 unhealthy").expect("the ALB's checks notice");
        assert!(
            out > 120.0 && out <= 120.0 + 60.0 + 1e-6,
            "two 30 s checks: {out}"
        );
        assert!(
            failed(&r, Failure::AppError) > 0,
            "until then, half the requests fail"
        );
        let app_errors_end = r
            .log
            .iter()
            .filter(|e| e.text.contains("terminates app-asg.i1"))
            .count();
        assert_eq!(
            app_errors_end > 0,
            replaced,
            "{health} health checks: replaced = {replaced}; log: {:#?}",
            r.log
        );
    }
}

#[test]
fn every_template_has_a_scenario_that_parses_names_real_resources_and_plays() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios");
    let mut covered = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let Some(stem) = name.strip_suffix(".scenario.ron") else {
            continue;
        };
        let scenario = Scenario::parse(&std::fs::read_to_string(&path).unwrap())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let template = templates::all()
            .into_iter()
            .find(|t| stem.starts_with(t.name))
            .unwrap_or_else(|| panic!("{name} does not start with a template's name"));
        let d = template.load().unwrap();
        let exists = |id: &ResourceId| {
            d.contains(id.as_str())
                || id
                    .as_str()
                    .rsplit_once(".i")
                    .is_some_and(|(group, n)| d.contains(group) && n.parse::<u32>().is_ok())
        };
        for (_, action) in scenario.timeline() {
            let named = action.resource();
            assert!(exists(named), "{name}: no resource {named}");
        }
        let mut s = sim(&d, 45.0);
        s.play(&scenario);
        s.run();
        assert!(!s.report().log.is_empty(), "{name} leaves a trace");
        covered.insert(template.name);
    }
    for t in templates::all() {
        assert!(covered.contains(t.name), "no scenario for {}", t.name);
    }
}

#[test]
fn route_53_fails_over_to_the_secondary_region_after_its_checks_and_the_ttl() {
    let d = template("multi-region-failover", &[CONSTANT]);
    let mut s = sim(&d, 20.0);
    s.play(
        &Scenario::parse(
            &std::fs::read_to_string(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/scenarios/multi-region-failover-region-outage.scenario.ron"
            ))
            .unwrap(),
        )
        .unwrap(),
    );
    s.advance_to(from_secs(299.0));
    let before = s.report();
    let routed = |r: &RunReport, id: &str| {
        r.balancers
            .iter()
            .find(|(b, _)| b.as_str() == id)
            .map_or(0, |(_, n)| *n)
    };
    assert!(routed(&before, "east-alb") > 0, "the primary serves");
    assert_eq!(routed(&before, "west-alb"), 0, "the secondary waits");
    s.advance_to(from_secs(460.0));
    let switched = s.report();
    // Checks every 30 s, one at the very instant of the outage: the third fails at 6 min.
    let noticed = logged(&switched, "Route 53 finds east-alb unhealthy").expect("Route 53 notices");
    assert!(
        (noticed - 360.0).abs() < 1e-6,
        "three failed 30 s checks: {noticed}"
    );
    s.run();
    let after = s.report();
    assert_eq!(
        after.failed, switched.failed,
        "nothing fails once resolvers follow"
    );
    assert!(routed(&after, "west-alb") > routed(&switched, "west-alb"));
    assert!(after.failed > 0, "requests fail until then");
}

#[test]
fn resilience_figures_measure_detection_recovery_and_losses() {
    let d = template("three-tier", &[CONSTANT, "users.requests_per_second=200"]);
    let mut s = sim(&d, 10.0);
    s.schedule(from_secs(120.0), Action::Fail(id("db")));
    s.run();
    let r = s.report();
    let f = &r.resilience[0];
    assert_eq!(f.what, "db fails");
    assert_eq!(
        f.detected_after_secs,
        Some(0.0),
        "RDS starts failing over at once"
    );
    // Failover takes 90 s; recovery is the start of the first failure-free minute after
    // it, to the 10 s bucket.
    let recovered = f.recovered_after_secs.unwrap();
    assert!((90.0..=100.0).contains(&recovered), "{recovered}");
    assert_eq!(
        f.requests_lost, r.failed,
        "every failure of the run is this one's"
    );
    let buckets: u64 = r.timeline.iter().map(|b| b.completed + b.failed).sum();
    assert_eq!(
        buckets,
        r.completed + r.failed,
        "the timeline holds every outcome"
    );
}

#[test]
fn an_outage_spends_the_error_budget_of_the_objective() {
    let d = template(
        "three-tier",
        &[
            "users.pattern=\"Constant\"",
            "users.requests_per_second=100",
        ],
    );
    let r = super::sim_support::play(&d, 3, 3600.0, 300.0, &[(600.0, Action::FailAz(id("az-a")))]);
    let budget = r.error_budget;
    assert_eq!(budget.objective_percent, 99.9);
    let failed: u64 = r.failures.iter().map(|(_, n)| n).sum();
    assert_eq!(budget.failed, failed);
    assert!(failed > 0);
    // Three nines allow one failure per thousand requests.
    let allowed = budget.requests as f64 / 1000.0;
    assert!((budget.allowed_failures - allowed).abs() < 1e-6 * allowed);
    assert!((budget.used_percent - 100.0 * failed as f64 / allowed).abs() < 1e-9);
    assert!(
        (r.availability - (1.0 - failed as f64 / budget.requests as f64)).abs() < 1e-12,
        "availability and budget count the same requests"
    );
    // Two nines allow ten times as many.
    let relaxed = budget.with_objective(99.0);
    assert!((relaxed.used_percent * 10.0 - budget.used_percent).abs() < 1e-9);
}
