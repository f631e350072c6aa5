//! The bill of a run: what the traffic used (requests, Lambda duration, data moved) is
//! priced with the estimator's prices, beside the hours each instance ran.

use cloudcanvas::model::Config;
use cloudcanvas::sim::{BillLine, RunBill};

use crate::sim_support::{id, play, start, template};

/// The lines of `resource` whose item mentions `item` (volume tiers make several), as one.
fn line(bill: &RunBill, resource: &str, item: &str) -> BillLine {
    let lines: Vec<&BillLine> = bill
        .lines
        .iter()
        .filter(|l| l.resource.as_str() == resource && l.item.contains(item))
        .collect();
    let first = lines
        .first()
        .unwrap_or_else(|| panic!("no line `{item}` of {resource} in {:#?}", bill.lines));
    BillLine {
        quantity: lines.iter().map(|l| l.quantity).sum(),
        usd: lines.iter().map(|l| l.usd).sum(),
        ..(*first).clone()
    }
}

fn within(actual: f64, expected: f64, share: f64) -> bool {
    (actual - expected).abs() <= share * expected.abs()
}

#[test]
fn serverless_traffic_is_billed_by_its_requests_duration_and_units() {
    // 50 req/s split between the upload bucket and the API; a fifth of them write.
    let d = template("serverless", &["users.pattern=\"Constant\""]);
    let mut sim = start(&d, 3, 3600.0);
    sim.run();
    let bill = sim.bill();
    let usage = sim.usage();

    let puts = line(&bill, "uploads", "PUT").quantity * 1000.0;
    let gets = line(&bill, "uploads", "GET").quantity * 1000.0;
    assert!(within(puts, 25.0 * 0.2 * 3600.0, 0.05), "{puts} PUTs");
    assert!(within(gets, 25.0 * 0.8 * 3600.0, 0.05), "{gets} GETs");

    // The query function: one invocation per API request, billed for the time it held
    // its environment (its own work and its call to the table).
    let query = usage
        .stations
        .iter()
        .find(|s| s.id.as_str() == "query-fn")
        .unwrap();
    assert!(
        within(query.served as f64, 25.0 * 3600.0, 0.05),
        "{}",
        query.served
    );
    let requests = bill
        .lines
        .iter()
        .filter(|l| l.resource.as_str() == "query-fn" && l.unit == "M requests")
        .map(|l| l.quantity)
        .sum::<f64>();
    assert!(
        within(requests, query.served as f64 / 1e6, 1e-9),
        "{requests}"
    );
    let gb_seconds: f64 = bill
        .lines
        .iter()
        .filter(|l| l.resource.as_str() == "query-fn" && l.unit == "GB-s")
        .map(|l| l.quantity)
        .sum();
    assert!(
        within(gb_seconds, query.held_secs * 256.0 / 1024.0, 1e-9),
        "{gb_seconds} GB-s for {} s held",
        query.held_secs
    );
    // Each held at least its mean duration of 40 ms.
    assert!(query.held_secs / query.served as f64 > 0.040);

    // The table bills the read units the run took.
    let (_, [read_units, _]) = usage
        .units
        .iter()
        .find(|(t, _)| t.as_str() == "results")
        .unwrap();
    let rru = line(&bill, "results", "read request units").quantity;
    assert!(within(rru, read_units / 1e6, 1e-9), "{rru} M RRU");
    assert!(*read_units > 0.0);

    let total: f64 = bill.lines.iter().map(|l| l.usd).sum();
    assert!(within(bill.total_usd, total, 1e-12));
    assert!(bill.total_usd > 0.0);
}

#[test]
fn data_moved_is_billed_in_proportion_to_the_response_size() {
    let run = |kb: &str| {
        let d = template(
            "three-tier",
            &[
                "users.pattern=\"Constant\"",
                "users.requests_per_second=100",
                "users.read_fraction=0.9",
                &format!("users.response_kb={kb}"),
            ],
        );
        play(&d, 5, 1800.0, 0.0, &[]).bill
    };
    let (small, large) = (run("50"), run("100"));
    // Every request reaches the distribution, which answers it from the edge; the reads'
    // answers go out (a write's payload comes in, free).
    let out = line(&small, "cdn", "data out").quantity;
    let expected_gb = 0.9 * 100.0 * 1800.0 * 50.0 / (1024.0 * 1024.0);
    assert!(within(out, expected_gb, 0.03), "{out} GB out");
    // The same seed sends the same requests: only the bytes change.
    for (resource, item) in [("cdn", "data out"), ("region", "inter-AZ"), ("alb", "LCU")] {
        let (a, b) = (
            line(&small, resource, item).quantity,
            line(&large, resource, item).quantity,
        );
        assert!(within(b, 2.0 * a, 1e-6), "{resource} {item}: {a} then {b}");
    }
    assert!(large.total_usd > small.total_usd);
}

#[test]
fn a_steady_load_costs_the_same_pace_over_one_hour_or_two() {
    let d = template(
        "three-tier",
        &["users.pattern=\"Constant\"", "users.requests_per_second=60"],
    );
    let (one, two) = (
        play(&d, 9, 3600.0, 0.0, &[]).bill,
        play(&d, 9, 7200.0, 0.0, &[]).bill,
    );
    assert!(within(two.total_usd, 2.0 * one.total_usd, 0.03));
    assert!(within(
        two.monthly_at_this_pace_usd,
        one.monthly_at_this_pace_usd,
        0.03
    ));
    // Instance hours are those the run had, not those drawn.
    let hours = line(&two, "app-asg", "hours as run").quantity;
    assert!(within(hours, 2.0 * 2.0, 1e-6), "{hours} instance-hours");
}

#[test]
fn the_measured_design_carries_the_runs_usage_to_the_estimator() {
    let d = template("serverless", &["users.pattern=\"Constant\""]);
    let mut sim = start(&d, 1, 1800.0);
    sim.run();
    let served = sim
        .usage()
        .stations
        .iter()
        .find(|s| s.id.as_str() == "query-fn")
        .unwrap()
        .served as f64;
    let measured = sim.measured_diagram();
    let Some(Config::LambdaFunction(f)) = measured.resource("query-fn").map(|r| &r.config) else {
        panic!("query-fn is a function");
    };
    let per_month = 730.0 * 3600.0 / 1800.0;
    assert!(within(
        f.invocations_per_month_millions,
        served * per_month / 1e6,
        1e-9
    ));
    // The drawn design is untouched.
    let Some(Config::LambdaFunction(drawn)) = d.resource("query-fn").map(|r| &r.config) else {
        panic!("query-fn is a function");
    };
    assert_eq!(drawn.invocations_per_month_millions, 5.0);
    assert!(d.resource(id("query-fn").as_str()).is_some());
}

#[test]
fn data_leaving_private_subnets_is_billed_at_their_nat_gateways() {
    // The tasks pull from the image registry through their AZ's NAT gateway.
    let d = template("containers", &["users.pattern=\"Constant\""]);
    let mut sim = start(&d, 2, 1800.0);
    sim.run();
    let (bill, usage) = (sim.bill(), sim.usage());
    let pulls = usage
        .nodes
        .iter()
        .find(|n| n.id.as_str() == "images")
        .unwrap();
    assert!(pulls.requests > 0);
    let through_nats: f64 = ["nat-a", "nat-b"]
        .iter()
        .map(|nat| line(&bill, nat, "NAT data processed").quantity)
        .sum();
    let expected_gb = pulls.kb / (1024.0 * 1024.0);
    assert!(
        within(through_nats, expected_gb, 1e-6),
        "{through_nats} GB through the NAT gateways, {expected_gb} GB pulled"
    );
    // Both AZs' tasks pull, each through its own gateway.
    assert!(line(&bill, "nat-a", "NAT data processed").quantity > 0.0);
    assert!(line(&bill, "nat-b", "NAT data processed").quantity > 0.0);
}
