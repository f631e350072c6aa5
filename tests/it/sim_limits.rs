//! Limits in time: Lambda's scaling rate (new execution environments per 10 seconds) and
//! timeouts — a load balancer's idle timeout, a Lambda function's own.

use cloudcanvas::sim::{Failure, RunReport};

use crate::sim_support::{failed_at as failed, play, template};

/// The serverless template's API at 3,000 requests a second from the start, each
/// invocation taking a second: 3,000 environments busy at once, in reach of the reserved
/// concurrency but not of the scaling rate.
fn burst(sets: &[&str]) -> cloudcanvas::model::Diagram {
    template(
        "serverless",
        &[
            &[
                "users.pattern=\"Constant\"",
                "users.requests_per_second=6000",
                "query-fn.average_duration_ms=1000",
                "query-fn.reserved_concurrency=5000",
                "query-fn.cold_start_ms=0",
            ],
            sets,
        ]
        .concat(),
    )
}

#[test]
fn lambda_adds_at_most_its_scaling_rate_of_environments_and_throttles_the_rest() {
    let d = burst(&[]);
    let (early, later) = (play(&d, 4, 30.0, 0.0, &[]), play(&d, 4, 60.0, 0.0, &[]));
    let throttled = failed(&early, "query-fn", Failure::Throttled);
    assert!(
        throttled > 10_000,
        "{throttled} throttled in the first 30 s"
    );
    // 1,000 at once, then 100 a second: 3,000 by 20 s, and enough from then on.
    let query = |r: &RunReport| {
        r.stations
            .iter()
            .find(|s| s.id.as_str() == "query-fn")
            .unwrap()
            .clone()
    };
    let created = query(&later).cold_starts;
    assert!(created <= 1000 + 100 * 60, "{created} environments in 60 s");
    assert!(created >= 2900, "{created} environments in 60 s");
    let throttled_later = failed(&later, "query-fn", Failure::Throttled);
    assert!(
        throttled_later - throttled < throttled / 50,
        "{throttled} throttled by 30 s, {throttled_later} by 60 s"
    );

    // A function allowed to add environments faster throttles nothing.
    let fast = play(
        &burst(&["query-fn.new_environments_per_10s=100000"]),
        4,
        30.0,
        0.0,
        &[],
    );
    assert_eq!(failed(&fast, "query-fn", Failure::Throttled), 0);
}

#[test]
fn a_load_balancer_answers_504_once_its_idle_timeout_passes() {
    // Two instances of four workers in all at 90 % load (the distribution answers 60 %
    // of the 60 requests a second itself): queued requests wait for seconds.
    let slow = |timeout: &str| {
        template(
            "three-tier",
            &[
                "users.pattern=\"Constant\"",
                "users.requests_per_second=60",
                "app-lt.app.service_time_ms=150",
                "app-lt.app.queue_capacity=2000",
                "app-asg.max_size=2",
                &format!("alb.idle_timeout_secs={timeout}"),
            ],
        )
    };
    let r = play(&slow("2"), 8, 600.0, 0.0, &[]);
    let timed_out = failed(&r, "alb", Failure::Timeout);
    assert!(timed_out > 200, "{timed_out} timed out");
    // What was answered came back within the timeout.
    assert!(r.p99_secs <= 2.0 + 1e-3, "p99 {} s", r.p99_secs);
    assert_eq!(r.arrived, r.completed + r.failed + r.in_flight);

    // The AWS default of 60 s lets them wait.
    let patient = play(&slow("60"), 8, 600.0, 0.0, &[]);
    assert_eq!(failed(&patient, "alb", Failure::Timeout), 0);
    assert!(patient.p99_secs > 2.0, "p99 {} s", patient.p99_secs);
}

#[test]
fn a_lambda_invocation_past_its_timeout_fails() {
    // Exponential run times of mean 0.8 s against a 1 s timeout: about e^(-1/0.8) of
    // them run too long.
    let d = template(
        "serverless",
        &[
            "users.pattern=\"Constant\"",
            "users.requests_per_second=40",
            "query-fn.average_duration_ms=800",
            "query-fn.timeout_secs=1",
            "query-fn.cold_start_ms=0",
        ],
    );
    let r = play(&d, 6, 1800.0, 0.0, &[]);
    let timed_out = failed(&r, "query-fn", Failure::Timeout) as f64;
    let invoked = r
        .stations
        .iter()
        .find(|s| s.id.as_str() == "query-fn")
        .unwrap()
        .arrivals as f64;
    let share = timed_out / invoked;
    let expected = (-1.0f64 / 0.8).exp();
    assert!(
        (share - expected).abs() < 0.02,
        "{share} timed out, {expected} expected"
    );
}
