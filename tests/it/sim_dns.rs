//! Route 53 latency and geolocation routing: users are answered by where they are.

use cloudcanvas::sim::RunReport;

use crate::sim_support::{play, template};

/// The multi-region template with its standby Region moved to Europe, users at
/// `location`, and the record routed by `routing` over `targets` (JSON).
fn run(location: &str, routing: &str, targets: &str) -> RunReport {
    let d = template(
        "multi-region-failover",
        &[
            "users.pattern=\"Constant\"",
            "users.requests_per_second=20",
            &format!("users.location=\"{location}\""),
            "west.code=\"eu-west-1\"",
            &format!(r#"dns.records=[{{"name":"app","routing":"{routing}","targets":{targets}}}]"#),
        ],
    );
    play(&d, 3, 600.0, 0.0, &[])
}

fn routed(r: &RunReport, balancer: &str) -> u64 {
    r.balancers
        .iter()
        .find(|(id, _)| id.as_str() == balancer)
        .map_or(0, |(_, n)| *n)
}

const BOTH: &str =
    r#"[{"target":"east-alb","health_check":true},{"target":"west-alb","health_check":true}]"#;

#[test]
fn latency_routing_answers_with_the_region_nearest_the_users() {
    let american = run("North America", "Latency", BOTH);
    assert!(routed(&american, "east-alb") > 10_000);
    assert_eq!(routed(&american, "west-alb"), 0);
    let european = run("Europe", "Latency", BOTH);
    assert_eq!(routed(&european, "east-alb"), 0);
    assert!(routed(&european, "west-alb") > 10_000);
}

#[test]
fn geolocation_routing_answers_by_country_then_continent_then_default() {
    let targets =
        r#"[{"target":"east-alb","location":"NA"},{"target":"west-alb","location":"Default"}]"#;
    let american = run("US", "Geolocation", targets);
    assert!(routed(&american, "east-alb") > 10_000);
    assert_eq!(routed(&american, "west-alb"), 0);
    let japanese = run("JP", "Geolocation", targets);
    assert_eq!(routed(&japanese, "east-alb"), 0);
    assert!(routed(&japanese, "west-alb") > 10_000);
    // Without a Default record, users no location covers get no answer.
    let only_na = r#"[{"target":"east-alb","location":"NA"}]"#;
    let lost = run("DE", "Geolocation", only_na);
    assert_eq!(lost.completed, 0);
    assert_eq!(lost.failed, lost.arrived - lost.in_flight);
    assert!(
        lost.failures_by_resource
            .iter()
            .any(|f| f.resource.as_str() == "dns" && f.count == lost.failed)
    );
}
