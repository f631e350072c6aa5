//! RDS read replicas: a tier that calls a database and its replica sends the writes to
//! the database and the reads to the replica, which applies the writes later — lagging
//! when it cannot keep up.

use cloudcanvas::model::{Config, Diagram, Link, LinkKind, Resource};
use cloudcanvas::sim::{Action, RunReport};

use crate::sim_support::{id, play, template};

/// The three-tier template with a read replica of its database, called by the app tier;
/// `sets` apply afterwards (the replica is `db-replica`).
fn with_replica(sets: &[&str]) -> Diagram {
    let mut d = template(
        "three-tier",
        &[
            "users.pattern=\"Constant\"",
            "users.requests_per_second=100",
        ],
    );
    let Some(Config::RdsInstance(db)) = d.resource("db").map(|r| r.config.clone()) else {
        panic!("db is an RDS instance");
    };
    let mut replica = db.clone();
    replica.multi_az = false;
    let parent = d.resource("db").and_then(|r| r.parent.clone()).unwrap();
    d.add(
        Resource::new(id("db-replica"), cloudcanvas::model::Kind::RdsInstance)
            .in_parent(&parent)
            .with_config(Config::RdsInstance(replica)),
    )
    .unwrap();
    d.add_link(Link::new(id("db"), id("db-replica"), LinkKind::Replication))
        .unwrap();
    d.add_link(Link::new(
        id("app-asg"),
        id("db-replica"),
        LinkKind::Traffic,
    ))
    .unwrap();
    crate::sim_support::with(d, sets)
}

fn station<'a>(r: &'a RunReport, name: &str) -> &'a cloudcanvas::sim::StationReport {
    r.stations.iter().find(|s| s.id.as_str() == name).unwrap()
}

#[test]
fn writes_go_to_the_database_and_reads_to_its_replica() {
    let r = play(&with_replica(&[]), 5, 1800.0, 0.0, &[]);
    let (db, replica) = (station(&r, "db"), station(&r, "db-replica"));
    assert!(replica.arrivals > 0 && db.arrivals > 0);
    // Every app request is a read 90 % of the time; the cache answers most reads, the
    // replica the misses; the database sees the writes alone: about 10 % of app requests.
    let app: u64 = r
        .stations
        .iter()
        .filter(|s| s.group.as_ref().is_some_and(|g| g.as_str() == "app-asg"))
        .map(|s| s.arrivals)
        .sum();
    let share = db.arrivals as f64 / app as f64;
    assert!(
        (share - 0.1).abs() < 0.015,
        "{share} of app requests at the database"
    );
    // Same class, one write at a time of 5 ms against a few writes a second: no lag to
    // speak of.
    let [mean, _] = replica.replica_lag_secs.unwrap();
    assert!(mean < 0.005, "mean lag {mean} s");
    assert!(db.replica_lag_secs.is_none());
}

#[test]
fn a_replica_that_cannot_keep_up_with_the_writes_falls_behind() {
    // Applying a write takes the replica 400 ms: it applies at most 2.5 a second, fewer
    // than the database commits, and falls further behind every second.
    let secs = 1200.0;
    let slow = play(
        &with_replica(&["db-replica.query_time_ms=400"]),
        5,
        secs,
        0.0,
        &[],
    );
    let writes_per_sec = station(&slow, "db").arrivals as f64 / secs;
    let falls_behind = writes_per_sec * 0.4 - 1.0;
    assert!(falls_behind > 0.05, "{writes_per_sec} writes a second");
    let [mean, max] = station(&slow, "db-replica").replica_lag_secs.unwrap();
    // Behind by about (w × 0.4 − 1) × t at time t: most at the end, half that on average.
    let expected_max = falls_behind * secs;
    assert!(
        (max - expected_max).abs() < 0.25 * expected_max,
        "most lag {max} s, {expected_max} s expected"
    );
    assert!(
        (mean - expected_max / 2.0).abs() < 0.25 * expected_max,
        "mean lag {mean} s"
    );
    // A replica of the same class keeps up.
    let quick = play(&with_replica(&[]), 5, secs, 0.0, &[]);
    let [_, quick_max] = station(&quick, "db-replica").replica_lag_secs.unwrap();
    assert!(quick_max < 1.0, "most lag {quick_max} s");
}

#[test]
fn reads_go_on_at_the_replica_while_the_database_is_down() {
    let d = with_replica(&["db.multi_az=false"]);
    let steady = play(&d, 5, 1200.0, 0.0, &[]);
    let failed = play(&d, 5, 1200.0, 0.0, &[(300.0, Action::Fail(id("db")))]);
    // The replica answers as many reads either way.
    let (a, b) = (
        station(&steady, "db-replica").completed as f64,
        station(&failed, "db-replica").completed as f64,
    );
    assert!(
        (a - b).abs() < 0.05 * a,
        "{a} reads answered, {b} with the database down"
    );
    // The writes fail from then on: about 4 a second for 900 s.
    let lost: u64 = failed
        .failures_by_resource
        .iter()
        .filter(|f| f.resource.as_str() == "db")
        .map(|f| f.count)
        .sum();
    assert!((lost as f64 - 3600.0).abs() < 400.0, "{lost} writes failed");
}
