//! How a run behaves in the editor: clock, steps, replay, lessons, charts.

use super::*;

fn three_tier() -> Diagram {
    crate::library::templates::find("three-tier")
        .and_then(|t| t.load().ok())
        .unwrap_or_else(|| Diagram::new("missing"))
}

#[test]
fn a_step_moves_a_second_of_play_and_pauses() {
    let mut run = RunMode::start(&three_tier()).unwrap_or_else(|e| panic!("{e}"));
    run.speed = Speed::X100;
    run.step();
    assert!(run.paused);
    assert!((run.secs() - 100.0).abs() < 1e-9, "{}", run.secs());
    assert!(run.snapshot().totals.arrived > 0, "traffic flowed");
}

#[test]
fn playing_moves_the_clock_by_wall_time_times_speed() {
    let mut run = RunMode::start(&three_tier()).unwrap_or_else(|e| panic!("{e}"));
    run.speed = Speed::X10;
    for _ in 0..30 {
        run.frame(1.0 / 60.0);
    }
    // Half a second of wall time at 10×, if the machine kept up (it does by far).
    assert!((run.secs() - 5.0).abs() < 1e-6, "{}", run.secs());
    run.paused = true;
    run.frame(1.0);
    assert!((run.secs() - 5.0).abs() < 1e-6, "paused, the clock holds");
}

#[test]
fn a_long_frame_does_not_jump_the_clock() {
    let mut run = RunMode::start(&three_tier()).unwrap_or_else(|e| panic!("{e}"));
    run.speed = Speed::X1;
    run.frame(30.0);
    assert!((run.secs() - LONGEST_FRAME_SECS).abs() < 1e-6);
}

#[test]
fn random_failures_replay_alike() {
    let pick = || {
        let mut run = RunMode::start(&three_tier()).unwrap_or_else(|e| panic!("{e}"));
        run.advance_by(60.0);
        let first = run.fail_random_instance();
        run.advance_by(60.0);
        (first, run.fail_random_instance())
    };
    let (a, b) = (pick(), pick());
    assert!(a.0.is_some());
    assert_eq!(a, b);
}

#[test]
fn the_history_charts_cpu_as_cloudwatch_averages_it() {
    let lab = crate::library::templates::find("queueing-lab")
        .and_then(|t| t.load().ok())
        .unwrap_or_else(|| Diagram::new("missing"));
    let mut run = RunMode::start(&lab).unwrap_or_else(|e| panic!("{e}"));
    run.advance_by(100.0);
    run.advance_by(1_000.0);
    let server = ResourceId::new("server").unwrap_or_else(|e| panic!("{e}"));
    let cpu = run.history().resource_series(&server, |p| p.cpu);
    let [t, last] = cpu.last().copied().unwrap_or_default();
    assert_eq!(t, 1_100.0);
    // 50 requests/s of 20 ms on two vCPUs.
    assert!((last - 0.5).abs() < 0.03, "{last}");
    // M/M/2 at ρ = 0.5: a mean response of 26.7 ms; the median is below it, the tail
    // well above.
    let [p50, p95, p99] = run
        .history()
        .resources
        .get(&server)
        .and_then(|points| points.last())
        .and_then(|p| p.latency_ms)
        .unwrap_or_default();
    assert!(p50 > 10.0 && p50 < 26.7, "{p50}");
    assert!(p95 > 50.0 && p99 > p95, "{p95} {p99}");
    assert_eq!(run.history().secs, [0.0, 100.0, 1_100.0]);
}

#[test]
fn going_back_replays_the_same_run_and_a_new_injection_takes_a_new_course() {
    let mut run = RunMode::start(&three_tier()).unwrap_or_else(|e| panic!("{e}"));
    run.advance_by(100.0);
    run.inject(Action::FailAz(
        ResourceId::new("az-a").unwrap_or_else(|e| panic!("{e}")),
    ));
    run.advance_by(500.0);
    let at_600 = run.snapshot().clone();
    let log_at_600 = run.log().to_vec();
    run.seek(150.0).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(run.secs(), 150.0);
    assert!(run.live().zones_down.iter().any(|z| z.as_str() == "az-a"));
    assert!(
        run.log().len() < log_at_600.len(),
        "the log is as it was at 150 s"
    );
    run.seek(600.0).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(run.snapshot(), &at_600, "the same run unfolds again");
    assert_eq!(run.log(), &log_at_600[..]);
    // Back before the failure, and something else happens: the failure is forgotten.
    run.seek(50.0).unwrap_or_else(|e| panic!("{e}"));
    run.inject(Action::SetRate {
        source: ResourceId::new("users").unwrap_or_else(|e| panic!("{e}")),
        rps: 10.0,
    });
    run.advance_by(200.0);
    assert!(run.live().zones_down.is_empty());
    assert_eq!(run.injected().len(), 1);
    assert_eq!(run.reached_secs(), 250.0);
}

#[test]
fn a_lesson_waits_for_play_and_stops_at_each_step_with_its_card() {
    let scenario = crate::library::scenarios::all()
        .into_iter()
        .find(|s| s.name == "three-tier-az-outage")
        .and_then(|s| s.load().ok())
        .unwrap_or_else(|| panic!("the scenario ships"));
    let mut run = RunMode::start(&three_tier()).unwrap_or_else(|e| panic!("{e}"));
    run.advance_by(30.0);
    run.play_lesson(&scenario).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(run.secs(), 0.0, "a lesson starts from the beginning");
    assert!(run.paused);
    let lesson = run.lesson().unwrap_or_else(|| panic!("a lesson"));
    assert_eq!(lesson.card, Some(0), "its introduction shows");
    run.continue_lesson();
    run.speed = Speed::Fastest;
    for _ in 0..100 {
        run.frame(1.0 / 60.0);
    }
    assert_eq!(run.secs(), 600.0, "it stopped at the first step");
    assert!(run.paused);
    let lesson = run.lesson().unwrap_or_else(|| panic!("a lesson"));
    assert_eq!(lesson.card, Some(1));
    let (heading, words) = lesson.card_text().unwrap_or_default();
    assert_eq!(heading, "Step 1 of 2 · 00:10:00");
    assert!(words.starts_with("us-east-1a goes down"), "{words}");
    assert!(run.live().zones_down.iter().any(|z| z.as_str() == "az-a"));
    run.step();
    assert_eq!(run.secs(), 1_200.0, "a step at Fastest moves ten minutes");
}

#[test]
fn the_clock_reads_hours_minutes_seconds() {
    assert_eq!(clock(0.0), "00:00:00");
    assert_eq!(clock(760.4), "00:12:40");
    assert_eq!(clock(90_061.0), "1 d 01:01:01");
}

#[test]
fn exact_frames_after_a_restart_draw_the_same_picture() {
    let record = |warm_up_frames: usize| {
        let mut run = RunMode::start(&three_tier()).unwrap_or_else(|e| panic!("{e}"));
        for _ in 0..warm_up_frames {
            run.frame(1.0 / 60.0);
        }
        run.restart().unwrap_or_else(|e| panic!("{e}"));
        run.paused = false;
        for _ in 0..30 {
            run.frame_exact(0.1);
        }
        (
            run.secs(),
            run.animation_secs,
            run.live().links.clone(),
            run.snapshot().clone(),
            run.behind,
        )
    };
    let (a, b) = (record(0), record(45));
    assert_eq!(
        a.0, 30.0,
        "ten simulated seconds a second at 10×, thirty frames of 0.1 s"
    );
    assert_eq!(a, b, "what played before the restart leaves no trace");
}

#[test]
fn a_long_replay_spreads_over_frames_and_ends_where_an_immediate_one_does() {
    let mut at_once = RunMode::start(&three_tier()).unwrap_or_else(|e| panic!("{e}"));
    at_once.advance_by(3_600.0);
    at_once.seek(1_800.0).unwrap_or_else(|e| panic!("{e}"));
    let mut spread = RunMode::start(&three_tier()).unwrap_or_else(|e| panic!("{e}"));
    spread.advance_by(3_600.0);
    spread.start_seek(1_800.0).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(spread.seeking(), Some(1_800.0));
    let mut frames = 0;
    while spread.seeking().is_some() {
        spread.frame(1.0 / 60.0);
        frames += 1;
        assert!(frames < 100_000, "the replay never ended");
    }
    assert!(spread.paused, "it stays paused as it was");
    assert_eq!(spread.secs(), 1_800.0);
    assert_eq!(spread.snapshot(), at_once.snapshot());
    assert_eq!(spread.log(), at_once.log());
}
