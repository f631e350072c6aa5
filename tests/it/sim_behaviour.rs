//! Behaviours of the engine on the templates: synchronous calls down the tiers, a
//! read-through cache sparing the database, and overload failing with its reason.

use cloudcanvas::model::Diagram;
use cloudcanvas::sim::{Failure, RunReport};

use super::sim_support::{play, template, with};

fn three_tier(sets: &[&str]) -> Diagram {
    let base = template(
        "three-tier",
        &[
            "users.requests_per_second=200",
            r#"users.pattern="Constant""#,
        ],
    );
    with(base, sets)
}

fn run(d: &Diagram, secs: f64) -> RunReport {
    play(d, 9, secs, secs * 0.1, &[])
}

fn station<'a>(r: &'a RunReport, id: &str) -> &'a cloudcanvas::sim::StationReport {
    r.stations
        .iter()
        .find(|s| s.id.as_str() == id)
        .unwrap_or_else(|| panic!("no station {id}"))
}

#[test]
fn the_app_tier_reads_through_the_cache_and_writes_to_the_database() {
    // 200 requests/s; CloudFront answers 60 % at the edge; 80 instance-bound.
    // Of those, 10 % write (database only) and 90 % read: the cache answers 80 % of reads.
    let r = run(&three_tier(&[]), 1800.0);
    let app: f64 = ["app-asg.i1", "app-asg.i2"]
        .iter()
        .map(|id| station(&r, id).throughput_rps)
        .sum();
    let cache = station(&r, "cache").throughput_rps;
    let db = station(&r, "db").throughput_rps;
    let near = |got: f64, want: f64| (got - want).abs() <= 0.03 * want;
    assert!(near(app, 80.0), "app tier {app}/s");
    assert!(near(cache, 72.0), "cache {cache}/s: the reads");
    assert!(
        near(db, 8.0 + 0.2 * 72.0),
        "database {db}/s: writes and cache misses"
    );
    // An app request holds its worker through its calls: slower than its own 20 ms.
    let app_w = station(&r, "app-asg.i1").mean_response_secs;
    assert!(app_w > 0.020, "app response {app_w}");
    assert_eq!(r.arrived, r.completed + r.failed + r.in_flight);
}

#[test]
fn a_slow_database_backs_up_into_the_app_tier() {
    // 200 ms queries: each app worker waits on its database call, so the four workers of
    // the group are all busy and the app tier refuses; the database never sees more
    // callers than there are workers.
    let r = run(&three_tier(&["db.query_time_ms=200"]), 600.0);
    let app = station(&r, "app-asg.i1");
    assert!(app.utilization > 0.95, "workers held: {}", app.utilization);
    assert!(app.p_loss > 0.1, "the app tier refuses: {}", app.p_loss);
    assert!(station(&r, "db").mean_in_system <= 4.0 + 1e-9);
    assert!(r.availability < 0.95, "{}", r.availability);
    assert_eq!(r.arrived, r.completed + r.failed + r.in_flight);
}

#[test]
fn an_overloaded_database_refuses_with_its_reason_and_frees_the_callers() {
    // Many workers, ten connections and 200 ms queries: now the database is full and
    // refuses; the app workers that called it are freed at once.
    let r = run(
        &three_tier(&[
            "db.max_connections=10",
            "db.query_time_ms=200",
            "app-lt.app.workers_per_vcpu=100",
        ]),
        600.0,
    );
    let refused = r
        .failures
        .iter()
        .find(|(f, _)| *f == Failure::QueueFull)
        .map_or(0, |(_, n)| *n);
    assert!(refused > 0, "{:?}", r.failures);
    let db = station(&r, "db");
    assert!(db.p_loss > 0.2, "the database refuses: {}", db.p_loss);
    assert!(
        db.mean_in_system <= 10.0 + 1e-9,
        "never more than its connections"
    );
    assert!(
        station(&r, "app-asg.i1").p_loss < 0.01,
        "callers are not stuck"
    );
    assert!(
        r.availability < 0.99 && r.availability > 0.5,
        "{}",
        r.availability
    );
    assert_eq!(r.arrived, r.completed + r.failed + r.in_flight);
}

#[test]
fn the_run_bills_the_hours_each_instance_actually_ran() {
    // One c5.large for an hour: $0.085 at the us-east-1 on-demand price.
    let lab = template("queueing-lab", &[]);
    let r = run(&lab, 3600.0);
    assert!(
        (r.compute_cost_usd - 0.085).abs() < 1e-9,
        "{}",
        r.compute_cost_usd
    );
    // The three-tier template for an hour: two m5.large, a Multi-AZ db.m5.large billed
    // twice, and two cache.m5.large nodes — unless the load makes the group scale out.
    let steady = run(&three_tier(&[]), 3600.0);
    let expected = 2.0 * 0.096 + 2.0 * 0.171 + 2.0 * 0.156;
    assert!(
        (steady.compute_cost_usd - expected).abs() < 1e-6,
        "{}",
        steady.compute_cost_usd
    );
    let busy = run(&three_tier(&["users.requests_per_second=600"]), 3600.0);
    assert!(
        busy.compute_cost_usd > steady.compute_cost_usd,
        "scaling out costs more"
    );
}

#[test]
fn lambda_throttles_beyond_its_concurrency_and_cold_starts_rarely_under_steady_load() {
    let serverless = |sets: &[&str]| template("serverless", sets);
    // Steady load: environments are reused, so cold starts are a small share (AWS: "under
    // 1 % of invocations").
    let r = run(&serverless(&["users.requests_per_second=100"]), 1800.0);
    let f = station(&r, "query-fn");
    assert!(
        f.cold_starts > 0 && (f.cold_starts as f64) < 0.01 * f.arrivals as f64,
        "{f:?}"
    );
    // Five reserved executions of 100 ms against 200 invocations/s (half the users call
    // the API): 20 would be needed, so most are throttled (Erlang B: 76 %).
    let r = run(
        &serverless(&[
            "users.requests_per_second=400",
            "query-fn.reserved_concurrency=5",
            "query-fn.average_duration_ms=100",
        ]),
        600.0,
    );
    let throttled = r
        .failures
        .iter()
        .find(|(f, _)| *f == Failure::Throttled)
        .map_or(0, |(_, n)| *n);
    assert!(
        throttled > 0 && station(&r, "query-fn").p_loss > 0.5,
        "{:?}",
        r.failures
    );
    assert!(station(&r, "query-fn").mean_in_system <= 5.0 + 1e-9);
}

#[test]
fn each_tier_reports_its_latency_percentiles_with_its_calls_included() {
    let d = crate::sim_support::template(
        "three-tier",
        &[
            "users.pattern=\"Constant\"",
            "users.requests_per_second=100",
        ],
    );
    let r = crate::sim_support::play(&d, 4, 1200.0, 120.0, &[]);
    let tier = |name: &str| {
        r.tiers
            .iter()
            .find(|t| t.resource.as_str() == name)
            .unwrap_or_else(|| panic!("no tier {name} in {:?}", r.tiers))
    };
    let (app, db, cache) = (tier("app-asg"), tier("db"), tier("cache"));
    for t in [app, db, cache] {
        let [p50, p95, p99] = t.latency_ms;
        assert!(p50 > 0.0 && p50 <= p95 && p95 <= p99, "{t:?}");
    }
    // The app tier waits on the cache and the database: slower than either.
    assert!(app.latency_ms[0] > db.latency_ms[0]);
    assert!(app.latency_ms[0] > cache.latency_ms[0]);
    // A database query of 5 ms mean (exponential): its median about 3.5 ms, p99 about 23.
    assert!((db.latency_ms[0] - 5.0 * 2f64.ln()).abs() < 1.0, "{db:?}");
    // Every request the app answered is counted once.
    let app_served: u64 = r
        .stations
        .iter()
        .filter(|s| s.group.as_ref().is_some_and(|g| g.as_str() == "app-asg"))
        .map(|s| s.completed)
        .sum();
    assert_eq!(app.answered, app_served);
}
