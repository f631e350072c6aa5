//! Managed data services in a run: DynamoDB capacity and S3 request rates throttling with
//! their reason, SQS queues drained by workers that scale on backlog, failed jobs retried
//! after their visibility timeout and dead-lettered, and S3 events and events put on an
//! EventBridge bus invoking a function asynchronously.

use cloudcanvas::io;
use cloudcanvas::model::Diagram;
use cloudcanvas::sim::{Failure, RunReport};

use super::sim_support::{failed_at, play, template, with};

fn run(d: &Diagram, secs: f64, warmup: f64) -> RunReport {
    play(d, 5, secs, warmup, &[])
}

/// Users → API Gateway → a function → a DynamoDB table.
fn table_behind_a_function(table: &str) -> Diagram {
    io::load_str(&format!(
        r#"(
    schema_version: 1,
    name: "Writes to a table",
    region: "us-east-1",
    resources: [
        (id: "users", name: "Users", config: Users(requests_per_second: 100.0, read_fraction: 0.0)),
        (id: "region", name: "Region", config: Region(code: "us-east-1")),
        (id: "api", name: "API", parent: "region", config: ApiGateway()),
        (id: "fn", name: "Function", parent: "region", config: LambdaFunction(average_duration_ms: 10.0)),
        (id: "table", name: "Table", parent: "region", config: DynamoDbTable(table_name: "T", {table})),
    ],
    links: [
        (from: "users", to: "api", kind: Traffic),
        (from: "api", to: "fn", kind: Traffic),
        (from: "fn", to: "table", kind: Traffic),
    ],
)"#
    ))
    .unwrap()
}

#[test]
fn provisioned_capacity_throttles_the_excess_once_its_burst_is_spent() {
    // 100 writes/s against 50 WCU: the 300 s burst (15,000 units) covers the excess of
    // 50/s for 300 s; then 50/s are throttled.
    let d = table_behind_a_function("capacity_mode: Provisioned, write_capacity_units: 50");
    let r = run(&d, 1200.0, 0.0);
    let throttled = failed_at(&r, "table", Failure::Throttled) as f64;
    let expected = 50.0 * 900.0;
    assert!(
        (throttled - expected).abs() < 0.03 * expected,
        "{throttled} throttled, expected about {expected}"
    );
    // None in the first five minutes: the burst allowance.
    let early: u64 = r.timeline[..29].iter().map(|b| b.failed).sum();
    assert_eq!(early, 0);
    assert_eq!(r.arrived, r.completed + r.failed + r.in_flight);
    // On-demand, the same traffic passes.
    let r = run(
        &table_behind_a_function("capacity_mode: OnDemand"),
        600.0,
        0.0,
    );
    assert_eq!(r.failed, 0);
    let table = r
        .stations
        .iter()
        .find(|s| s.id.as_str() == "table")
        .unwrap();
    assert_eq!(table.rate_limits, Some([12_000.0, 4_000.0]));
    assert!((table.mean_response_secs - 0.005).abs() < 0.0005);
}

#[test]
fn eventually_consistent_reads_use_half_the_capacity() {
    let reads = |consistent: bool| {
        let d = with(
            table_behind_a_function(&format!(
                "capacity_mode: Provisioned, read_capacity_units: 60, consistent_reads: {consistent}"
            )),
            &["users.read_fraction=1"],
        );
        let r = run(&d, 900.0, 0.0);
        failed_at(&r, "table", Failure::Throttled)
    };
    // 100 reads/s: strongly consistent need 100 units/s against 60; eventually
    // consistent 50, within the capacity.
    assert!(reads(true) > 10_000);
    assert_eq!(reads(false), 0);
}

#[test]
fn s3_serves_5500_reads_a_second_per_prefix() {
    let bucket = |prefixes: u32| {
        io::load_str(&format!(
            r#"(
    schema_version: 1,
    name: "Busy bucket",
    region: "us-east-1",
    resources: [
        (id: "users", name: "Users", config: Users(requests_per_second: 8000.0, read_fraction: 1.0)),
        (id: "region", name: "Region", config: Region(code: "us-east-1")),
        (id: "assets", name: "Assets", parent: "region", config: S3Bucket(bucket_name: "busy-assets", prefixes: {prefixes})),
    ],
    links: [(from: "users", to: "assets", kind: Traffic)],
)"#
        ))
        .unwrap()
    };
    let r = run(&bucket(1), 20.0, 0.0);
    // The excess of 2,500 a second is refused, less the one second's worth the rate
    // allows at the start.
    let refused = failed_at(&r, "assets", Failure::Throttled) as f64;
    let expected = 2500.0 * 20.0 - 5500.0;
    assert!(
        (refused - expected).abs() < 0.03 * expected,
        "{refused} refused, expected about {expected}"
    );
    let r = run(&bucket(2), 20.0, 0.0);
    assert_eq!(r.failed, 0, "two prefixes serve 11,000 reads a second");
}

#[test]
fn workers_drain_the_queue_and_scale_on_backlog_per_instance() {
    // 40 jobs/s; two workers drain 32/s (2 workers each, 125 ms a job with its S3 and
    // DynamoDB calls), so the backlog grows until the group scales out.
    let d = template(
        "queue-workers",
        &[r#"clients.pattern="Constant""#, "workers.min_size=2"],
    );
    let r = run(&d, 1800.0, 0.0);
    let q = r.queues.iter().find(|q| q.id.as_str() == "jobs").unwrap();
    let group = &r.groups[0];
    let first_out = r
        .log
        .iter()
        .find(|l| l.text.contains("backlog per instance") && l.text.contains("> target"))
        .expect("a scale-out on backlog");
    assert!(first_out.secs <= 240.0, "scaled at {}", first_out.secs);
    // Every job sent is processed, waiting, or in process; users' requests never wait on
    // the jobs.
    assert_eq!(
        q.counts.sent,
        q.counts.deleted + q.visible + q.in_flight,
        "{q:?}"
    );
    assert!(q.counts.deleted as f64 > 0.95 * q.counts.sent as f64);
    assert_eq!(r.arrived, r.completed + r.failed + r.in_flight);
    assert!(
        r.p99_secs < 0.5,
        "users wait only for the send: {}",
        r.p99_secs
    );
    // The backlog at the end of the run is small next to its peak.
    let end = q.series.last().unwrap().visible;
    assert!(
        end * 10 < q.counts.max_visible,
        "{end} of {}",
        q.counts.max_visible
    );
    assert!(group.series.iter().any(|d| d.in_service > 2));
    assert!(
        group
            .series
            .iter()
            .all(|d| d.backlog_per_instance.is_some())
    );
}

#[test]
fn failed_jobs_come_back_after_their_visibility_timeout_then_go_to_the_dead_letter_queue() {
    // The job state table admits one write a second: almost every job fails there. Its
    // message reappears 30 s after each receive, and after 3 receives moves to the
    // dead-letter queue.
    let d = template(
        "queue-workers",
        &[
            r#"clients.pattern="Constant""#,
            "clients.requests_per_second=2",
            r#"state.capacity_mode="Provisioned""#,
            "state.write_capacity_units=1",
            "jobs.visibility_timeout_secs=30",
        ],
    );
    let r = run(&d, 1200.0, 0.0);
    let jobs = r.queues.iter().find(|q| q.id.as_str() == "jobs").unwrap();
    let dlq = r
        .queues
        .iter()
        .find(|q| q.id.as_str() == "jobs-dlq")
        .unwrap();
    assert!(jobs.counts.failed_jobs > 1000, "{jobs:?}");
    assert!(jobs.counts.dead_lettered > 500, "{jobs:?}");
    assert_eq!(dlq.counts.sent, jobs.counts.dead_lettered);
    assert!(jobs.counts.received <= 3 * jobs.counts.sent);
    assert!(failed_at(&r, "state", Failure::Throttled) >= jobs.counts.failed_jobs);
    // The users' own requests all succeeded: they only sent the jobs.
    assert_eq!(r.failed, 0);
}

#[test]
fn an_upload_invokes_its_function_asynchronously_through_the_event_queue() {
    let r = run(&template("serverless", &[]), 1200.0, 0.0);
    let events = r
        .queues
        .iter()
        .find(|q| q.id.as_str() == "ingest-fn.events")
        .unwrap();
    let uploads = r
        .stations
        .iter()
        .find(|s| s.id.as_str() == "uploads")
        .unwrap();
    let ingest = r
        .stations
        .iter()
        .find(|s| s.id.as_str() == "ingest-fn")
        .unwrap();
    // Writes to the bucket (20 % of what reaches it) invoke the function; reads do not.
    let writes = events.counts.sent as f64;
    assert!(
        (writes / uploads.arrivals as f64 - 0.2).abs() < 0.02,
        "{writes} events of {} requests",
        uploads.arrivals
    );
    assert!(events.counts.deleted + 5 >= events.counts.sent);
    assert_eq!(ingest.arrivals, events.counts.received);
    // The ingest function sends each to the jobs queue, which the worker drains.
    let jobs = r.queues.iter().find(|q| q.id.as_str() == "jobs").unwrap();
    assert!(jobs.counts.sent + 5 >= events.counts.deleted);
    assert_eq!(jobs.counts.dead_lettered, 0);
}

#[test]
fn an_event_put_on_a_bus_invokes_the_function_its_rule_targets_asynchronously() {
    // Users → an API → a function that puts an event on a bus for every request → a rule
    // whose target is a second function, invoked through its asynchronous queue as an S3
    // upload's notification is.
    let d = io::load_str(
        r#"(
    schema_version: 1,
    name: "Events",
    region: "us-east-1",
    resources: [
        (id: "users", name: "Users", config: Users(requests_per_second: 20.0, pattern: Constant)),
        (id: "region", name: "Region", config: Region(code: "us-east-1")),
        (id: "api", name: "API", parent: "region", config: ApiGateway()),
        (id: "orders-fn", name: "Orders", parent: "region", config: LambdaFunction(average_duration_ms: 20.0)),
        (id: "bus", name: "Order events", parent: "region", config: EventBridgeBus()),
        (id: "mail-fn", name: "Mailer", parent: "region", config: LambdaFunction(average_duration_ms: 50.0)),
    ],
    links: [
        (from: "users", to: "api", kind: Traffic),
        (from: "api", to: "orders-fn", kind: Traffic),
        (from: "orders-fn", to: "bus", kind: Traffic),
        (from: "bus", to: "mail-fn", kind: EventTrigger),
    ],
)"#,
    )
    .unwrap();
    let r = run(&d, 600.0, 0.0);
    let station = |id: &str| r.stations.iter().find(|s| s.id.as_str() == id).unwrap();
    let events = r
        .queues
        .iter()
        .find(|q| q.id.as_str() == "mail-fn.events")
        .expect("the target's asynchronous queue");
    // Every request the orders function makes puts one event; each is delivered once.
    let put = station("bus").arrivals;
    assert!(put > 11_000, "about 20 a second for 600 s: {put}");
    // One delivery per event put, but for a put still in flight when the run ends.
    assert!(
        put - events.counts.sent <= 2,
        "{} deliveries of {put} events",
        events.counts.sent
    );
    assert!(events.counts.deleted + 5 >= events.counts.sent);
    assert_eq!(station("mail-fn").arrivals, events.counts.received);
    // The users are answered when the event is put, not when the mailer has run.
    assert_eq!(r.failed, 0);
}
