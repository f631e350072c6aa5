//! Target tracking as AWS runs it: scale out after 3 one-minute datapoints above target
//! (not before), slower with 5-minute basic monitoring, scale in after 15 datapoints below
//! about 90 % of it, within the group's limits.

use cloudcanvas::model::{Diagram, ResourceId};
use cloudcanvas::sim::{Action, RunReport};

use super::sim_support::{play, template};

fn three_tier(sets: &[&str]) -> Diagram {
    template("three-tier", sets)
}

fn run(d: &Diagram, minutes: f64, actions: &[(f64, Action)]) -> RunReport {
    play(d, 5, minutes * 60.0, 0.0, actions)
}

/// Times (seconds) at which the group's desired size went up, and down.
fn resizes(r: &RunReport) -> (Vec<f64>, Vec<f64>) {
    let mut up = Vec::new();
    let mut down = Vec::new();
    for e in r
        .log
        .iter()
        .filter(|e| e.text.starts_with("app-asg desired capacity "))
    {
        let sizes: Vec<u32> = e
            .text
            .trim_start_matches("app-asg desired capacity ")
            .split(':')
            .next()
            .unwrap()
            .split(" to ")
            .map(|n| n.trim().parse().unwrap())
            .collect();
        if sizes[1] > sizes[0] {
            up.push(e.secs);
        } else {
            down.push(e.secs);
        }
    }
    (up, down)
}

const STEP_AT_10_MIN: &str = r#"users.pattern={"Step": {"to_rps": 600, "at_secs": 600}}"#;

#[test]
fn target_tracking_scales_out_after_three_minutes_of_breach_and_not_before() {
    let r = run(&three_tier(&[STEP_AT_10_MIN]), 20.0, &[]);
    let (up, _) = resizes(&r);
    assert_eq!(
        up.first().copied(),
        Some(780.0),
        "datapoints at 11, 12 and 13 min: {up:?}"
    );
    let g = &r.groups[0];
    let before: Vec<u32> = g
        .series
        .iter()
        .filter(|d| d.secs <= 780.0)
        .map(|d| d.desired)
        .collect();
    assert!(
        before.iter().all(|n| *n == 2),
        "no change before: {before:?}"
    );
    let last = g.series.last().unwrap();
    assert!(last.in_service > 2 && last.in_service <= g.max, "{last:?}");
}

#[test]
fn basic_monitoring_scales_out_later_on_five_minute_datapoints() {
    let r = run(
        &three_tier(&[STEP_AT_10_MIN, "app-lt.monitoring=Basic"]),
        40.0,
        &[],
    );
    let (up, _) = resizes(&r);
    // Datapoints every 5 min: the breach shows at 15, 20 and 25 min.
    assert_eq!(up.first().copied(), Some(1500.0), "{up:?}");
}

#[test]
fn target_tracking_scales_in_after_fifteen_datapoints_below_and_keeps_the_minimum() {
    let users = ResourceId::new("users").unwrap();
    let r = run(
        &three_tier(&[
            r#"users.pattern="Constant""#,
            "users.requests_per_second=600",
        ]),
        90.0,
        &[(
            1800.0,
            Action::SetRate {
                source: users,
                rps: 100.0,
            },
        )],
    );
    let (up, down) = resizes(&r);
    assert!(
        !up.is_empty() && up[0] < 1800.0,
        "scaled out under load: {up:?}"
    );
    let g = &r.groups[0];
    assert!(!down.is_empty(), "scales in");
    // Every scale-in follows 15 datapoints in a row below 90 % of the 50 % target.
    for t in &down {
        let before: Vec<f64> = g
            .series
            .iter()
            .filter(|d| d.secs <= *t)
            .rev()
            .take(15)
            .map(|d| d.cpu_percent.unwrap_or(100.0))
            .collect();
        assert_eq!(before.len(), 15, "{t}");
        assert!(before.iter().all(|cpu| *cpu < 45.0), "at {t}: {before:?}");
    }
    // After the drop at 30 min, the next scale-in waits for its 15 datapoints.
    let after_drop = down
        .iter()
        .find(|t| **t > 1800.0)
        .expect("scales in after the drop");
    assert!(*after_drop >= 1800.0 + 15.0 * 60.0, "{after_drop}");
    assert!(
        g.series
            .iter()
            .all(|d| d.desired >= g.min && d.desired <= g.max)
    );
    assert!(r.log.iter().any(|e| e.text.contains("drains for 300 s")));
}
