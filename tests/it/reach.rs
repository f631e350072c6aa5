//! The network's verdict on traffic links: templates pass, broken rules block with their
//! reason, and private subnets reach AWS services through their NAT gateway.

use cloudcanvas::model::{Diagram, LinkKind};
use cloudcanvas::reach::{self, LinkReach, Passage};

use crate::sim_support::{id, template};

fn verdict(d: &Diagram, from: &str, to: &str) -> LinkReach {
    reach::link(d, d.resource(from).unwrap(), d.resource(to).unwrap())
}

/// The reason the link is blocked, from where.
fn why(d: &Diagram, from: &str, to: &str) -> Option<(String, String)> {
    verdict(d, from, to)
        .blocked()
        .map(|(by, why)| (by.to_string(), why.to_owned()))
}

#[test]
fn every_traffic_link_of_every_template_passes() {
    for t in cloudcanvas::library::templates::all() {
        let d = t.load().unwrap();
        for l in d.links().iter().filter(|l| l.kind == LinkKind::Traffic) {
            let v = verdict(&d, l.from.as_str(), l.to.as_str());
            assert_eq!(v.blocked(), None, "{}: {} → {}", t.name, l.from, l.to);
        }
    }
}

#[test]
fn a_security_group_without_the_rule_blocks_and_says_which_rule_is_missing() {
    let d = template("three-tier", &["db-sg.inbound=[]"]);
    assert_eq!(
        why(&d, "app-asg", "db"),
        Some((
            "db-sg".into(),
            "db-sg does not allow TCP 3306 from app-sg".into()
        ))
    );
    // The application listening elsewhere than its group admits.
    let d = template("three-tier", &["app-lt.app.port=80"]);
    assert_eq!(
        why(&d, "alb", "app-asg").map(|w| w.1),
        Some("app-sg does not allow TCP 80 from alb-sg".into())
    );
    // A rule naming an address range admits the subnets inside it only.
    let d = template(
        "three-tier",
        &[
            r#"db-sg.inbound=[{"protocol":"Tcp","from_port":3306,"to_port":3306,"source":{"Cidr":"10.0.10.0/24"}}]"#,
        ],
    );
    let v = verdict(&d, "app-asg", "db");
    assert_eq!(v.from.len(), 2);
    assert_eq!(v.from[0], (Some(id("az-a")), Passage::Open));
    assert!(
        matches!(&v.from[1], (Some(az), Passage::Blocked { why, .. }) if *az == id("az-b") && why.contains("from app-sg")),
        "{v:?}"
    );
    // Outbound rules bind the sender.
    let d = template("three-tier", &["app-sg.outbound=[]"]);
    assert_eq!(
        why(&d, "app-asg", "cache").map(|w| w.1),
        Some("app-sg does not allow TCP 6379 out to cache".into())
    );
}

#[test]
fn network_acls_are_read_in_order_and_need_their_replies() {
    let base = template("three-tier", &[]);
    // A NACL in the VPC, set on both data subnets.
    let with_acl = |inbound: &str, outbound: &str| {
        let mut d = base.clone();
        let mut r =
            cloudcanvas::model::Resource::new(id("data-acl"), cloudcanvas::model::Kind::NetworkAcl);
        r.parent = Some(id("vpc"));
        d.add(r).unwrap();
        crate::sim_support::with(
            d,
            &[
                "data-a.network_acl=\"data-acl\"",
                "data-b.network_acl=\"data-acl\"",
                &format!("data-acl.inbound={inbound}"),
                &format!("data-acl.outbound={outbound}"),
            ],
        )
    };
    let allow_all = r#"[{"rule_number":100,"protocol":"All","from_port":0,"to_port":65535,"cidr":"0.0.0.0/0","action":"Allow"}]"#;
    // A deny numbered before the allow wins.
    let deny_first = r#"[{"rule_number":90,"protocol":"Tcp","from_port":3306,"to_port":3306,"cidr":"10.0.0.0/16","action":"Deny"},{"rule_number":100,"protocol":"All","from_port":0,"to_port":65535,"cidr":"0.0.0.0/0","action":"Allow"}]"#;
    let d = with_acl(deny_first, allow_all);
    assert_eq!(
        why(&d, "app-asg", "db"),
        Some((
            "data-acl".into(),
            "data-acl denies TCP 3306 into data-a for 10.0.10.0/24".into()
        ))
    );
    // The same rules numbered the other way round let it through.
    let allow_first = deny_first.replace("\"rule_number\":90", "\"rule_number\":110");
    assert_eq!(
        why(&with_acl(&allow_first, allow_all), "app-asg", "db"),
        None
    );
    // Requests in but no replies out: blocked, the reply named.
    let only_mysql_out = r#"[{"rule_number":100,"protocol":"Tcp","from_port":3306,"to_port":3306,"cidr":"0.0.0.0/0","action":"Allow"}]"#;
    let (by, text) = why(&with_acl(allow_all, only_mysql_out), "app-asg", "db").unwrap();
    assert_eq!(by, "data-acl");
    assert!(
        text.contains("replies out of data-a on ephemeral ports"),
        "{text}"
    );
}

#[test]
fn the_internet_reaches_only_public_subnets_and_internet_facing_load_balancers() {
    let d = template("three-tier", &["alb.scheme=\"Internal\""]);
    let (by, text) = why(&d, "cdn", "alb").unwrap();
    assert_eq!(by, "alb");
    assert!(text.contains("internal load balancer"), "{text}");
    // A public subnet without its internet route.
    let d = template("three-tier", &["public-rt.routes=[]"]);
    let (by, text) = why(&d, "cdn", "alb").unwrap();
    assert_eq!(by, "public-a");
    assert!(text.contains("no route to an internet gateway"), "{text}");
}

#[test]
fn private_subnets_reach_aws_services_through_their_own_nat_or_an_endpoint() {
    // The containers template pulls images from ECR through each AZ's NAT gateway.
    let d = template("containers", &[]);
    let v = verdict(&d, "api-service", "images");
    assert_eq!(
        v.from,
        vec![
            (Some(id("az-a")), Passage::ViaNat { nat: id("nat-a") }),
            (Some(id("az-b")), Passage::ViaNat { nat: id("nat-b") }),
        ]
    );
    // Without the routes, nothing leaves.
    let d = template(
        "containers",
        &["tasks-rt-a.routes=[]", "tasks-rt-b.routes=[]"],
    );
    let (by, text) = why(&d, "api-service", "images").unwrap();
    assert_eq!(by, "tasks-a");
    assert!(text.contains("no route to images"), "{text}");
    // The queue workers reach S3 and DynamoDB through gateway endpoints, no NAT needed.
    let d = template("queue-workers", &[]);
    for to in ["output", "state"] {
        assert!(
            verdict(&d, "workers", to)
                .from
                .iter()
                .all(|(_, p)| *p == Passage::Open)
        );
    }
}

#[test]
fn the_validator_reports_a_blocked_link_in_the_same_words() {
    let d = template("three-tier", &["db-sg.inbound=[]"]);
    let report = cloudcanvas::validate::validate(&d);
    let found: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.rule == "NET018")
        .collect();
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].message,
        "requests from app-asg to db are blocked: db-sg does not allow TCP 3306 from app-sg"
    );
    assert_eq!(
        found[0].resources,
        vec![id("app-asg"), id("db"), id("db-sg")]
    );
}

#[test]
fn an_interface_endpoint_admits_only_what_its_security_groups_allow() {
    // Workers poll SQS through an interface endpoint whose group admits the workers' group.
    let open = template("queue-workers", &[]);
    assert_eq!(why(&open, "workers", "jobs"), None);
    let closed = template("queue-workers", &["endpoint-sg.inbound=[]"]);
    let (by, reason) = why(&closed, "workers", "jobs").expect("blocked");
    assert_eq!(by, "vpce-sqs");
    assert!(
        reason.contains("endpoint-sg does not allow HTTPS (443)") && reason.contains("vpce-sqs"),
        "{reason}"
    );
    // A gateway endpoint (S3, DynamoDB) has no security group: always open.
    assert_eq!(why(&closed, "workers", "output"), None);
}
