//! Memcached: keys are spread over the nodes, so losing a node loses its share of the
//! keys — the database takes the misses until they are read again and cached.

use cloudcanvas::sim::{Action, Simulation, Status, from_secs};

use crate::sim_support::{id, start, template};

/// The three-tier template with a two-node Memcached cluster over both AZs, its 10,000
/// keys read about 30 times a second (the app's reads at a 80 % hit ratio).
fn memcached(secs: f64) -> Simulation {
    let d = template(
        "three-tier",
        &[
            "users.pattern=\"Constant\"",
            "users.requests_per_second=100",
            "cache.engine=\"Memcached\"",
            "cache.shards=2",
            "cache.replicas_per_shard=0",
            "cache.automatic_failover=false",
            "cache.hit_ratio=0.8",
            "cache.working_set_keys=10000",
            // Memcached listens on 11211.
            r#"cache-sg.inbound=[{"protocol":"Tcp","from_port":11211,"to_port":11211,"source":{"SecurityGroup":"app-sg"}}]"#,
        ],
    );
    start(&d, 21, secs)
}

/// The cache as the live view shows it now.
fn cache(sim: &Simulation) -> cloudcanvas::sim::ServerView {
    sim.snapshot()
        .servers
        .into_iter()
        .find(|s| s.id.as_str() == "cache")
        .unwrap()
}

/// Requests from the app tier to the database per second over `[from, to)`.
fn db_rate(sim: &mut Simulation, from: f64, to: f64) -> f64 {
    let total = |sim: &Simulation| {
        let snap = sim.snapshot();
        let node = |name: &str| snap.nodes.iter().position(|n| n.as_str() == name).unwrap() as u32;
        let (app, db) = (node("app-asg"), node("db"));
        snap.links
            .iter()
            .find(|l| l.from == app && l.to == db)
            .map_or(0, |l| l.total)
    };
    sim.advance_to(from_secs(from));
    let before = total(sim);
    sim.advance_to(from_secs(to));
    (total(sim) - before) as f64 / (to - from)
}

#[test]
fn a_lost_memcached_node_sends_its_keys_to_the_database_until_they_warm_back() {
    let mut sim = memcached(3600.0);
    sim.schedule(from_secs(600.0), Action::Fail(id("cache")));
    let steady = db_rate(&mut sim, 300.0, 600.0);
    let after = db_rate(&mut sim, 600.0, 660.0);
    // Half the keys went cold: the misses go from 20 % of reads to about 60 %.
    assert!(
        after > 1.8 * steady,
        "{steady}/s before, {after}/s just after"
    );
    let after_loss = cache(&sim);
    assert_eq!(after_loss.status, Status::InService);
    assert_eq!(after_loss.servers, 2, "one node of 2 vCPUs left");
    let cached = after_loss.keys_cached.unwrap();
    assert!(
        cached > 0.5 && cached < 0.7,
        "{cached} of the keys cached a minute after"
    );
    // Each cold key is cached by the read that misses it: back to normal within half an
    // hour.
    let later = db_rate(&mut sim, 2700.0, 3600.0);
    assert!(later < 1.15 * steady, "{steady}/s before, {later}/s later");
    let report = sim.report();
    assert!(
        report
            .log
            .iter()
            .any(|l| l.text.contains("cache loses 1 of its 2 Memcached nodes"))
    );
}

#[test]
fn an_az_outage_takes_the_nodes_there_and_their_replacements_start_empty() {
    let mut sim = memcached(3600.0);
    sim.schedule(from_secs(600.0), Action::FailAz(id("az-a")));
    sim.schedule(from_secs(1800.0), Action::RestoreAz(id("az-a")));
    sim.advance_to(from_secs(1200.0));
    // The node in the other zone goes on serving.
    let during = cache(&sim);
    assert_eq!(during.status, Status::InService);
    assert_eq!(during.servers, 2);
    let warm = db_rate(&mut sim, 1500.0, 1800.0);
    let refilled = db_rate(&mut sim, 1800.0, 1860.0);
    assert!(
        refilled > 1.8 * warm,
        "{warm}/s, then {refilled}/s with an empty node"
    );
    assert_eq!(cache(&sim).servers, 4);
}
