//! The live view's snapshots: links carry the traffic the sources send, servers show
//! their lifecycle through failures and scaling, followed requests walk the links, and
//! following requests changes nothing of the run.

use cloudcanvas::sim::{
    Action, Failure, Outcome, RunSettings, Simulation, Snapshot, Status, from_secs,
};

use crate::sim_support::{id, template};

fn three_tier(sets: &[&str]) -> cloudcanvas::model::Diagram {
    template(
        "three-tier",
        &[
            &[
                "users.pattern=\"Constant\"",
                "users.requests_per_second=100",
            ],
            sets,
        ]
        .concat(),
    )
}

fn start(d: &cloudcanvas::model::Diagram, secs: f64) -> Simulation {
    Simulation::new(
        d,
        RunSettings {
            seed: 7,
            duration: from_secs(secs),
            warmup: 0,
        },
    )
    .unwrap()
}

fn node(snap: &Snapshot, name: &str) -> u32 {
    snap.nodes
        .iter()
        .position(|n| n.as_str() == name)
        .unwrap_or_else(|| panic!("{name} not among {:?}", snap.nodes)) as u32
}

fn rate(snap: &Snapshot, from: &str, to: &str) -> f64 {
    let (from, to) = (node(snap, from), node(snap, to));
    snap.links
        .iter()
        .find(|l| l.from == from && l.to == to)
        .map_or(0.0, |l| l.per_sec)
}

fn server<'a>(snap: &'a Snapshot, name: &str) -> &'a cloudcanvas::sim::ServerView {
    snap.servers
        .iter()
        .find(|s| s.id.as_str() == name)
        .unwrap_or_else(|| panic!("no server {name}"))
}

#[test]
fn links_carry_what_the_users_send_and_the_cache_spares_the_database() {
    let d = three_tier(&[]);
    let mut sim = start(&d, 600.0);
    sim.advance_to(from_secs(300.0));
    let snap = sim.snapshot();
    assert_eq!(snap.secs, 300.0);
    assert_eq!(snap.rate_window_secs, 10.0);
    // 100 requests/s in, along each drawn link: users → dns → cdn, the misses on to the
    // ALB and the app tier (a link per drawn link, never per instance).
    let sent = rate(&snap, "users", "dns");
    assert!((sent - 100.0).abs() < 15.0, "users → dns {sent}/s");
    assert!((rate(&snap, "dns", "cdn") - sent).abs() < 1e-9);
    let to_alb = rate(&snap, "cdn", "alb");
    assert!(to_alb > 10.0 && to_alb < sent, "cdn → alb {to_alb}/s");
    assert!((rate(&snap, "alb", "app-asg") - to_alb).abs() < 1e-9);
    assert!(snap.nodes.iter().all(|n| !n.as_str().contains(".i")));
    // Reads go through the cache; the database gets the misses and the writes.
    let to_cache = rate(&snap, "app-asg", "cache");
    let to_db = rate(&snap, "app-asg", "db");
    assert!(
        to_cache > 0.0 && to_db > 0.0 && to_db < to_alb,
        "{to_cache} {to_db}"
    );
    // Nothing fails in a healthy system, and the totals add up.
    assert!(snap.links.iter().all(|l| l.failed_per_sec == 0.0));
    let t = &snap.totals;
    assert_eq!(t.arrived, t.completed + t.failed + t.in_flight);
    assert_eq!(t.failed, 0);
    assert_eq!(t.availability, 1.0);
    let [p50, p95, p99] = t.latency_ms.unwrap();
    assert!(p50 > 0.0 && p50 <= p95 && p95 <= p99, "{p50} {p95} {p99}");
    assert!(t.cost_usd > 0.0);
    // Both instances of the group serve, one in each AZ; the database has its standby.
    let members: Vec<_> = snap
        .servers
        .iter()
        .filter(|s| s.group.as_ref().is_some_and(|g| g.as_str() == "app-asg"))
        .collect();
    assert_eq!(members.len(), 2);
    assert!(members.iter().all(|m| m.status == Status::InService));
    let azs: Vec<_> = members.iter().map(|m| m.az.clone().unwrap()).collect();
    assert_ne!(azs[0], azs[1]);
    let db = server(&snap, "db");
    assert_eq!(db.az, Some(id("az-a")));
    assert_eq!(db.standby_az, Some(id("az-b")));
    let group = &snap.groups[0];
    assert_eq!((group.desired, group.in_service, group.pending), (2, 2, 0));
    assert_eq!(
        (snap.balancers[0].targets, snap.balancers[0].healthy),
        (2, 2)
    );
}

#[test]
fn an_az_outage_shows_servers_stopping_the_database_flipping_and_a_replacement_launching() {
    let d = three_tier(&[]);
    let mut sim = start(&d, 1200.0);
    sim.schedule(from_secs(120.0), Action::FailAz(id("az-a")));
    sim.advance_to(from_secs(125.0));
    let snap = sim.snapshot();
    assert_eq!(snap.zones_down, vec![id("az-a")]);
    let in_a = |snap: &Snapshot| {
        snap.servers
            .iter()
            .filter(|s| s.az == Some(id("az-a")) && s.group.is_some())
            .map(|s| s.status)
            .collect::<Vec<_>>()
    };
    // Stopped with its zone, then terminated by its group at its next health check.
    let stopped = in_a(&snap);
    assert!(
        stopped == [Status::Stopped] || stopped == [Status::Terminated],
        "{stopped:?}"
    );
    assert_eq!(server(&snap, "db").status, Status::FailingOver);
    // Requests failing at the database show on its link and at its node.
    let db = node(&snap, "db");
    assert!(snap.node_failed_per_sec[db as usize] > 0.0);
    assert!(
        snap.links
            .iter()
            .any(|l| l.to == db && l.failed_per_sec > 0.0)
    );
    // Minutes later: the standby in az-b is the primary, the old primary its standby,
    // and the group has launched a replacement in az-b.
    sim.advance_to(from_secs(600.0));
    let snap = sim.snapshot();
    let db = server(&snap, "db");
    assert_eq!(db.status, Status::InService);
    assert_eq!(
        (db.az.clone(), db.standby_az.clone()),
        (Some(id("az-b")), Some(id("az-a")))
    );
    let in_b: Vec<_> = snap
        .servers
        .iter()
        .filter(|s| s.group.is_some() && s.az == Some(id("az-b")))
        .map(|s| s.status)
        .collect();
    assert_eq!(
        in_b,
        vec![Status::InService, Status::InService],
        "{:?}",
        snap.servers
    );
}

#[test]
fn a_scale_in_drains_before_it_terminates() {
    let d = three_tier(&[]);
    let mut sim = start(&d, 1200.0);
    sim.schedule(
        from_secs(60.0),
        Action::SetCapacity {
            group: id("app-asg"),
            min: Some(1),
            desired: Some(1),
            max: None,
        },
    );
    sim.advance_to(from_secs(90.0));
    let snap = sim.snapshot();
    let statuses: Vec<_> = snap
        .servers
        .iter()
        .filter(|s| s.group.is_some())
        .map(|s| s.status)
        .collect();
    assert_eq!(statuses.len(), 2);
    assert!(statuses.contains(&Status::Draining), "{statuses:?}");
    assert_eq!(snap.groups[0].desired, 1);
    assert_eq!(snap.balancers[0].targets, 1);
    // Terminated after the deregistration delay, shown for a minute, then gone.
    sim.advance_to(from_secs(380.0));
    let snap = sim.snapshot();
    assert!(snap.servers.iter().any(|s| s.status == Status::Terminated));
    sim.advance_to(from_secs(500.0));
    let snap = sim.snapshot();
    assert_eq!(snap.servers.iter().filter(|s| s.group.is_some()).count(), 1);
}

#[test]
fn followed_requests_walk_the_drawn_links_and_end_with_their_outcome() {
    let d = three_tier(&["db.multi_az=false"]);
    let mut sim = start(&d, 600.0);
    sim.follow_requests(20.0);
    sim.schedule(from_secs(100.0), Action::Fail(id("db")));
    sim.advance_to(from_secs(130.0));
    let snap = sim.snapshot();
    let users = node(&snap, "users");
    let db = node(&snap, "db");
    assert!(snap.recent.len() > 300, "{} followed", snap.recent.len());
    assert!(
        snap.recent
            .iter()
            .all(|t| t.started_secs >= 100.0 || t.ended_secs.is_none())
    );
    let mut completed = 0;
    let mut failed_at_db = 0;
    for t in &snap.recent {
        // Each hop leaves a resource the request already reached.
        let mut reached = vec![users];
        for hop in &t.hops {
            assert!(reached.contains(&hop.from), "{t:?}");
            reached.push(hop.to);
        }
        assert!(t.hops.windows(2).all(|w| w[0].secs <= w[1].secs));
        match t.outcome {
            Some(Outcome::Completed) => completed += 1,
            Some(Outcome::Failed { reason, at }) => {
                assert_eq!((reason, at), (Failure::InstanceDown, db), "{t:?}");
                assert_eq!(t.hops.last().unwrap().to, db);
                failed_at_db += 1;
            }
            None => assert!(t.ended_secs.is_none()),
        }
    }
    // Cache hits still complete; everything that reaches the database fails.
    assert!(
        completed > 0 && failed_at_db > 0,
        "{completed} {failed_at_db}"
    );
}

#[test]
fn following_requests_leaves_the_run_unchanged() {
    let d = three_tier(&[]);
    let run = |follow: bool| {
        let mut sim = start(&d, 300.0);
        if follow {
            sim.follow_requests(100.0);
        }
        sim.schedule(from_secs(100.0), Action::FailAz(id("az-a")));
        sim.run();
        let mut snap = sim.snapshot();
        let followed = snap.recent.len();
        snap.recent.clear();
        (
            sim.report().digest,
            serde_json::to_string(&snap).unwrap(),
            followed,
        )
    };
    let (plain, plain_snap, none) = run(false);
    let (followed, followed_snap, some) = run(true);
    assert_eq!(none, 0);
    assert!(some > 0);
    assert_eq!(plain, followed);
    assert_eq!(plain_snap, followed_snap);
}

#[test]
fn cpu_seconds_between_snapshots_give_the_utilisation() {
    // 50 requests/s of 20 ms on a c5.large's two vCPUs: ρ = 50 × 0.02 / 2 = 0.5.
    let d = template("queueing-lab", &[]);
    let mut sim = start(&d, 1_200.0);
    sim.advance_to(from_secs(100.0));
    let before = server(&sim.snapshot(), "server").cpu_secs;
    sim.advance_to(from_secs(1_100.0));
    let snap = sim.snapshot();
    let after = server(&snap, "server");
    let utilisation = (after.cpu_secs - before) / (1_000.0 * f64::from(after.servers));
    assert!((utilisation - 0.5).abs() < 0.03, "{utilisation}");
}
