//! Network rules in a run: a link a security group stops fails its requests with the
//! reason, counted where they fail; a private subnet whose NAT gateway's AZ goes down
//! loses its way out.

use cloudcanvas::sim::{Action, Failure};

use crate::sim_support::{id, logged_at, play, template};

#[test]
fn a_missing_security_group_rule_fails_database_calls_with_its_reason() {
    let d = template(
        "three-tier",
        &[
            "users.pattern=\"Constant\"",
            "users.requests_per_second=100",
            "db-sg.inbound=[]",
        ],
    );
    let r = play(&d, 3, 300.0, 60.0, &[]);
    // Writes and cache misses need the database: they fail, blocked; cache hits answer.
    let blocked = r
        .failures
        .iter()
        .find(|(f, _)| *f == Failure::Blocked)
        .map_or(0, |(_, n)| *n);
    assert!(blocked > 1000, "{:?}", r.failures);
    assert_eq!(r.failures.len(), 1, "{:?}", r.failures);
    assert!(
        r.availability > 0.2 && r.availability < 0.95,
        "{}",
        r.availability
    );
    let at_db = r
        .failures_by_resource
        .iter()
        .find(|f| f.resource == id("db") && f.reason == Failure::Blocked)
        .unwrap();
    assert_eq!(at_db.count, blocked);
    assert_eq!(r.blocked_links.len(), 1);
    let link = &r.blocked_links[0];
    assert_eq!((link.from.as_str(), link.to.as_str()), ("app-asg", "db"));
    assert_eq!(link.why, "db-sg does not allow TCP 3306 from app-sg");
    assert_eq!(link.requests, blocked);
    // Said once in the log, at the first blocked request.
    let said = logged_at(
        &r,
        &[
            "requests from app-asg to db are blocked",
            "db-sg does not allow TCP 3306",
        ],
    );
    assert_eq!(said.len(), 1);
    assert!(said[0] < 1.0, "{said:?}");
    // The database itself served nothing.
    let db = r.stations.iter().find(|s| s.id == id("db")).unwrap();
    assert_eq!(db.arrivals, 0);
}

#[test]
fn the_same_design_with_the_rule_serves_everything() {
    let d = template(
        "three-tier",
        &[
            "users.pattern=\"Constant\"",
            "users.requests_per_second=100",
        ],
    );
    let r = play(&d, 3, 300.0, 60.0, &[]);
    assert!(r.failures.is_empty(), "{:?}", r.failures);
    assert!(r.blocked_links.is_empty());
}

#[test]
fn a_subnet_routed_through_another_azs_nat_loses_its_way_out_with_that_az() {
    // Both task subnets leave through NAT A: when az-a goes down, the tasks left in az-b
    // can no longer pull from ECR; with a NAT per AZ they still can.
    let shared_nat = template(
        "containers",
        &[r#"tasks-rt-b.routes=[{"destination":"0.0.0.0/0","target":"nat-a"}]"#],
    );
    let outage = [(120.0, Action::FailAz(id("az-a")))];
    let r = play(&shared_nat, 5, 400.0, 0.0, &outage);
    let link = r
        .blocked_links
        .iter()
        .find(|b| b.to == id("images"))
        .unwrap();
    assert!(link.why.contains("NAT gateway nat-a"), "{}", link.why);
    assert!(link.requests > 100, "{}", link.requests);
    assert!(!logged_at(&r, &["nat-a is down with its Availability Zone"]).is_empty());
    // Nothing stopped before the outage: every blocked request came after 120 s.
    assert!(logged_at(&r, &["blocked"]).iter().all(|t| *t >= 120.0));

    let own_nat = template("containers", &[]);
    let r = play(&own_nat, 5, 400.0, 0.0, &outage);
    assert!(
        r.blocked_links.iter().all(|b| b.requests == 0),
        "{:?}",
        r.blocked_links
    );
}

#[test]
fn workers_without_a_way_to_the_queue_cannot_poll_it() {
    // The queue workers reach SQS through an interface endpoint; its security group
    // admitting nobody, their polls go nowhere and the messages wait.
    let open = super::sim_support::template("queue-workers", &[]);
    let closed = super::sim_support::template("queue-workers", &["endpoint-sg.inbound=[]"]);
    let run = |d| super::sim_support::play(d, 2, 1200.0, 0.0, &[]);
    let (served, starved) = (run(&open), run(&closed));
    let queue = |r: &cloudcanvas::sim::RunReport| {
        r.queues
            .iter()
            .find(|q| q.id.as_str() == "jobs")
            .unwrap()
            .clone()
    };
    assert!(queue(&served).counts.deleted > 1000);
    let jobs = queue(&starved);
    assert_eq!(jobs.counts.received, 0);
    assert!(jobs.visible > 1000, "{} waiting", jobs.visible);
    assert!(
        starved
            .log
            .iter()
            .any(|l| l.text.contains("polls from workers to jobs are blocked")),
        "{:#?}",
        starved.log
    );
}
