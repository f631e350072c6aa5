//! CloudWatch alarms and the scaling that acts on them: M-of-N evaluation with states,
//! notifications, step scaling that does not stack while instances warm up, simple
//! scaling waiting for its cooldown, and scheduled actions.

use cloudcanvas::model::Diagram;
use cloudcanvas::sim::{AlarmValue, BuildError, RunReport, RunSettings, Simulation, from_secs};

use super::sim_support::{logged_at, play, template, with};

fn three_tier(sets: &[&str]) -> Diagram {
    let base = template(
        "three-tier",
        &[
            "users.requests_per_second=200",
            r#"users.pattern={"Step":{"to_rps":900,"at_secs":600}}"#,
        ],
    );
    with(base, sets)
}

fn run(d: &Diagram, secs: f64) -> RunReport {
    play(d, 3, secs, 0.0, &[])
}

#[test]
fn a_drawn_alarm_fires_after_m_of_n_breaching_datapoints_and_notifies_its_topic() {
    // cpu-alarm: CPU of app-asg > 85 for 3 of 5 one-minute datapoints, notifying
    // ops-topic. The load steps up at 10 minutes; target tracking is off, so the CPU stays
    // high.
    let r = run(&three_tier(&["app-asg.scaling_policies=[]"]), 1800.0);
    let alarm = r
        .alarms
        .iter()
        .find(|a| a.id.as_str() == "cpu-alarm")
        .unwrap();
    assert_eq!(alarm.transitions[0], (0.0, AlarmValue::InsufficientData));
    assert_eq!(alarm.transitions[1], (60.0, AlarmValue::Ok));
    let (at, value) = alarm.transitions[2];
    assert_eq!(value, AlarmValue::Alarm);
    // The first high datapoint ends the minute after the step; the third comes two
    // minutes later.
    assert_eq!(at, 780.0, "{:?}", alarm.transitions);
    let breaching: Vec<_> = alarm
        .datapoints
        .iter()
        .filter(|(t, v)| *t <= at && v.is_some_and(|v| v > 85.0))
        .collect();
    assert_eq!(breaching.len(), 3, "{:?}", alarm.datapoints);
    assert_eq!(alarm.state, AlarmValue::Alarm);
    assert!((alarm.secs_in_alarm - (1800.0 - 780.0)).abs() < 1e-6);
    assert_eq!(
        logged_at(&r, &["cpu-alarm notifies ops-topic: ALARM"]),
        vec![780.0]
    );
}

#[test]
fn step_scaling_adds_by_the_breach_and_does_not_stack_while_instances_warm_up() {
    // Steps: +1 for a breach of 0–20 points above 60 % CPU, +3 beyond. One-minute alarm,
    // one datapoint; instances warm up for 120 s after 45 s of launch.
    let r = run(
        &three_tier(&[
            r#"app-asg.scaling_policies=[{"Step":{"threshold":60,"period_secs":60,"steps":[{"lower_bound":0,"upper_bound":20,"adjustment":1},{"lower_bound":20,"upper_bound":null,"adjustment":3}]}}]"#,
        ]),
        1800.0,
    );
    let changes: Vec<(f64, String)> = r
        .log
        .iter()
        .filter(|l| l.text.contains("desired") && l.text.contains("step scaling"))
        .map(|l| (l.secs, l.text.clone()))
        .collect();
    assert!(!changes.is_empty(), "no step scaling");
    // The step up at 10 minutes breaches by more than 20 points: +3 at once.
    assert!(
        changes[0].1.contains("desired capacity 2 to 5"),
        "{changes:?}"
    );
    // Further breaches while the three warm up (165 s) add nothing.
    assert!(
        changes
            .iter()
            .skip(1)
            .all(|(t, _)| *t >= changes[0].0 + 165.0),
        "{changes:?}"
    );
    let group = &r.groups[0];
    assert!(group.series.last().unwrap().in_service > 5);
    assert!(group.series.iter().all(|d| d.desired <= 8));
}

#[test]
fn simple_scaling_waits_for_launch_and_cooldown_between_adjustments() {
    let r = run(
        &three_tier(&[
            r#"app-asg.scaling_policies=[{"Simple":{"threshold":60,"period_secs":60,"adjustment":1}}]"#,
        ]),
        3600.0,
    );
    let launches = logged_at(&r, &["simple scaling"]);
    assert!(launches.len() >= 3, "{launches:?}");
    for pair in launches.windows(2) {
        // 45 s launch + 300 s default cooldown, on one-minute alarm periods.
        assert!(pair[1] - pair[0] >= 345.0, "{launches:?}");
    }
}

#[test]
fn scheduled_actions_set_the_size_at_their_times() {
    // 01:00 every day: at least 4; 02:00: back to 2. The run starts on a Monday at
    // midnight.
    let d = three_tier(&[
        r#"users.pattern="Constant""#,
        "app-asg.scaling_policies=[]",
        r#"app-asg.scheduled_actions=[{"name":"morning","recurrence":"0 1 * * *","min_size":4,"desired_capacity":4},{"name":"evening","recurrence":"0 2 * * 1-5","min_size":2,"desired_capacity":2}]"#,
    ]);
    let r = run(&d, 3.0 * 3600.0);
    assert_eq!(
        logged_at(&r, &["scheduled action `morning` sets"]),
        vec![3600.0]
    );
    assert_eq!(
        logged_at(&r, &["scheduled action `evening` sets"]),
        vec![7200.0]
    );
    let series = &r.groups[0].series;
    let at = |secs: f64| series.iter().find(|d| d.secs == secs).unwrap();
    assert_eq!(at(3600.0 + 120.0).in_service, 4);
    assert_eq!(at(7200.0 + 60.0).desired, 2);
}

#[test]
fn a_recurrence_that_is_not_cron_is_refused_with_what_to_write() {
    let d = three_tier(&[
        r#"app-asg.scheduled_actions=[{"name":"oops","recurrence":"every morning"}]"#,
    ]);
    let err = Simulation::new(
        &d,
        RunSettings {
            seed: 1,
            duration: from_secs(60.0),
            warmup: 0,
        },
    )
    .unwrap_err();
    assert!(matches!(err, BuildError::BadRecurrence { .. }));
    let text = err.to_string();
    assert!(
        text.contains("`oops`") && text.contains("0 9 * * 1-5"),
        "{text}"
    );
}
