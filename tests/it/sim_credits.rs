//! Burstable instances: CPU credits are earned at the baseline and spent by use; out of
//! them a standard instance is held to its baseline, an unlimited one keeps going and its
//! surplus credits are billed.

use cloudcanvas::sim::RunReport;

use crate::sim_support::{logged_at, play, template};

/// The queueing lab on a t3.micro (2 vCPUs, baseline 10 % each: 12 credits an hour, at
/// most 288) kept at 50 % CPU: one vCPU busy on average spends 60 credits an hour, so
/// the full balance lasts 288 / (60 − 12) = 6 hours.
fn lab(credits: &str) -> cloudcanvas::model::Diagram {
    template(
        "queueing-lab",
        &[
            "server.instance_type=\"t3.micro\"",
            &format!("server.cpu_credits=\"{credits}\""),
            "users.requests_per_second=50",
            "server.app.service_time_ms=20",
        ],
    )
}

fn run(credits: &str) -> RunReport {
    play(&lab(credits), 11, 8.0 * 3600.0, 0.0, &[])
}

#[test]
fn a_standard_instance_is_held_to_its_baseline_once_its_credits_are_spent() {
    let r = run("Standard");
    let spent = logged_at(&r, &["server has spent its CPU credits"]);
    assert!(!spent.is_empty(), "{:#?}", r.log);
    let hours = spent[0] / 3600.0;
    assert!((hours - 6.0).abs() < 0.2, "credits spent after {hours} h");
    // At 10 % of two vCPUs it serves a fifth of the load: requests pile up and fail.
    let failed_before: u64 = r.timeline[..(spent[0] / 10.0) as usize]
        .iter()
        .map(|b| b.failed)
        .sum();
    let failed_after: u64 = r.timeline[(spent[0] / 10.0) as usize + 60..]
        .iter()
        .map(|b| b.failed)
        .sum();
    assert_eq!(failed_before, 0);
    assert!(failed_after > 100_000, "{failed_after} failed once held");
}

#[test]
fn an_unlimited_instance_keeps_its_speed_and_pays_for_surplus_credits() {
    let r = run("Unlimited");
    assert!(logged_at(&r, &["spent its CPU credits"]).is_empty());
    assert_eq!(r.failed, 0);
    // Two hours past the balance at 48 credits an hour beyond its earnings: 96 credits,
    // 1.6 vCPU-hours.
    let surplus: f64 = r
        .bill
        .lines
        .iter()
        .filter(|l| l.resource.as_str() == "server" && l.item.contains("surplus"))
        .map(|l| l.quantity)
        .sum();
    assert!(
        (surplus - 1.6).abs() < 0.1,
        "{surplus} vCPU-hours of surplus"
    );
}

#[test]
fn t3_bursts_unlimited_by_default_and_t2_does_not() {
    let t3 = run("FamilyDefault");
    assert!(logged_at(&t3, &["spent its CPU credits"]).is_empty());
    // A t2.micro (1 vCPU, 10 %: 6 credits an hour, 144 at most) kept 80 % busy spends
    // 48 credits an hour: 144 / (48 − 6) hours, about 3.4.
    let t2 = play(
        &template(
            "queueing-lab",
            &[
                "server.instance_type=\"t2.micro\"",
                "users.requests_per_second=40",
                "server.app.service_time_ms=20",
            ],
        ),
        11,
        4.0 * 3600.0,
        0.0,
        &[],
    );
    let spent = logged_at(&t2, &["server has spent its CPU credits"]);
    assert!(!spent.is_empty());
    let hours = spent[0] / 3600.0;
    let expected = 144.0 / (60.0 * 0.8 - 6.0);
    assert!(
        (hours - expected).abs() < 0.15 * expected,
        "{hours} h, {expected} h expected"
    );
}
