use super::*;
use crate::library::templates;

fn template(name: &str) -> Diagram {
    templates::find(name).unwrap().load().unwrap()
}

#[test]
fn formulas_read_like_the_pricing_calculator() {
    let mut d = template("queueing-lab");
    crate::model::overrides::apply(&mut d, &"server.instance_type=m5.large".parse().unwrap())
        .unwrap();
    let report = estimate(&d);
    let ec2 = report.lines.iter().find(|l| l.service == "EC2").unwrap();
    assert_eq!(
        ec2.formula(),
        "m5.large on-demand: 730 h × $0.096/h = $70.08"
    );
    let root = report.lines.iter().find(|l| l.service == "EBS").unwrap();
    assert_eq!(
        root.formula(),
        "gp3 storage: 8 GB-month × $0.08/GB-month = $0.64"
    );
}

#[test]
fn the_employee_directory_is_priced_line_by_line_from_the_tables() {
    let report = estimate(&template("employee-directory"));
    let lines: Vec<String> = report.lines.iter().map(LineItem::formula).collect();
    for expected in [
        "2 × t3.micro on-demand: 1460 h × $0.0104/h = $15.18",
        "ALB hours: 730 h × $0.0225/h = $16.43",
        "ALB LCUs: 730 LCU-h × $0.008/LCU-h = $5.84",
        "NAT gateway hours: 730 h × $0.045/h = $32.85",
        "NAT data processed: 100 GB × $0.045/GB = $4.50",
        "S3 Standard: 20 GB-month × $0.023/GB-month = $0.46",
    ] {
        assert!(
            lines.iter().any(|l| l == expected),
            "missing `{expected}` in {lines:#?}"
        );
    }
    assert!(report.not_priced.is_empty(), "{:?}", report.not_priced);
    let by_service = report.by_service();
    assert!((by_service["VPC"] - 2.0 * (32.85 + 4.5)).abs() < 1e-9);
    // Worked by hand from AWS's us-east-1 list prices: egress 100 GB × $0.09, inter-AZ
    // 20 GB × $0.01, two NAT gateways 2 × (730 h + 100 GB) × $0.045, an ALB 730 h × $0.0225
    // and 730 LCU-h × $0.008, two t3.micro 1,460 h × $0.0104 with 2 × 8 GB gp3 × $0.08, S3
    // 20 GB × $0.023 + 10 k PUT × $0.005/k + 100 k GET × $0.0004/k, and DynamoDB on demand
    // 10 M reads × $0.125/M + 1 M writes × $0.625/M + 1 GB × $0.25.
    let by_hand = 9.0
        + 0.2
        + 2.0 * (32.85 + 4.5)
        + 16.425
        + 5.84
        + 15.184
        + 1.28
        + 0.46
        + 0.05
        + 0.04
        + 1.25
        + 0.625
        + 0.25;
    assert!(
        (report.monthly_usd() - by_hand).abs() < 1e-9,
        "{}",
        report.monthly_usd()
    );
    assert!((report.yearly_usd() - 1_503.648).abs() < 1e-9);
    let d = template("employee-directory");
    let containers = report.by_container(&d);
    assert!(
        containers[&ResourceId::new("region").unwrap()]
            > containers[&ResourceId::new("vpc").unwrap()]
    );
}

#[test]
fn purchase_options_change_the_rate_and_regions_fall_back_visibly() {
    let mut d = template("queueing-lab");
    crate::model::overrides::apply(&mut d, &"server.instance_type=m5.large".parse().unwrap())
        .unwrap();
    crate::model::overrides::apply(&mut d, &"server.purchase_option=Reserved".parse().unwrap())
        .unwrap();
    let reserved = estimate(&d)
        .lines
        .into_iter()
        .find(|l| l.service == "EC2")
        .unwrap();
    assert_eq!(reserved.unit_price_usd, 0.06);
    crate::model::overrides::apply(&mut d, &"server.purchase_option=OnDemand".parse().unwrap())
        .unwrap();
    crate::model::overrides::apply(&mut d, &"region.code=eu-west-1".parse().unwrap()).unwrap();
    let report = estimate(&d);
    let ec2 = report.lines.iter().find(|l| l.service == "EC2").unwrap();
    assert_eq!(
        (ec2.unit_price_usd, ec2.price_from_us_east_1),
        (0.107, false),
        "EC2 has eu-west-1 prices"
    );
    let ebs = report.lines.iter().find(|l| l.service == "EBS").unwrap();
    assert!(ebs.price_from_us_east_1 && ebs.formula().ends_with("(price from us-east-1)"));
}

#[test]
fn what_the_data_cannot_price_is_said_never_zero() {
    let mut d = template("hybrid");
    crate::model::overrides::apply(&mut d, &"db.instance_class=db.t4g.large".parse().unwrap())
        .unwrap();
    let report = estimate(&d);
    let unpriced: Vec<&str> = report
        .not_priced
        .iter()
        .map(|n| n.resource.as_str())
        .collect();
    for id in ["vpn", "dx", "db"] {
        assert!(
            unpriced.contains(&id),
            "{id} is listed as not priced: {unpriced:?}"
        );
    }
    assert!(
        report
            .lines
            .iter()
            .all(|l| l.monthly_usd > 0.0 && l.resource.as_str() != "vpn")
    );
    let db = report
        .not_priced
        .iter()
        .find(|n| n.resource.as_str() == "db")
        .unwrap();
    assert_eq!(db.kind, Kind::RdsInstance);
    assert!(db.reason.contains("db.t4g.large"), "{}", db.reason);
    assert!(
        estimate(&template("three-tier")).not_priced.is_empty(),
        "every resource of the three-tier template is priced"
    );
}

#[test]
fn every_template_estimates_without_surprises() {
    for t in templates::all() {
        let d = t.load().unwrap();
        let report = estimate(&d);
        assert!(report.monthly_usd().is_finite(), "{}", t.name);
        // A line at a price or quantity of zero would hide a missing row or setting: what
        // the data cannot price is listed as not priced instead.
        for line in &report.lines {
            assert!(
                line.unit_price_usd > 0.0 && line.quantity > 0.0 && line.monthly_usd > 0.0,
                "{}: {}",
                t.name,
                line.formula()
            );
        }
    }
}

#[test]
fn databases_are_priced_with_multi_az_doubling() {
    let report = estimate(&template("three-tier"));
    let lines: Vec<String> = report.lines.iter().map(LineItem::formula).collect();
    for expected in [
        "db.m5.large MySQL Multi-AZ: 1460 h × $0.171/h = $249.66",
        "general purpose storage (Multi-AZ): 200 GB-month × $0.115/GB-month = $23.00",
        "2 × cache.m5.large (Redis): 1460 h × $0.156/h = $227.76",
    ] {
        assert!(
            lines.iter().any(|l| l == expected),
            "missing `{expected}` in {lines:#?}"
        );
    }
    // Aurora PostgreSQL db.r6g.large lists at $0.26 an hour in us-east-1.
    let containers = estimate(&template("containers"));
    let aurora: Vec<String> = containers
        .lines
        .iter()
        .filter(|l| l.resource.as_str() == "aurora")
        .map(LineItem::formula)
        .collect();
    assert!(
        aurora.iter().any(|l| l
            == "2 × db.r6g.large (Aurora PostgreSQL, writer and replicas): 1460 h × $0.26/h = $379.60"),
        "{aurora:#?}"
    );
}

#[test]
fn fargate_and_cloudfront_are_priced_from_their_usage() {
    let report = estimate(&template("containers"));
    let lines: Vec<String> = report.lines.iter().map(LineItem::formula).collect();
    assert!(
        lines.contains(&"4 task(s) × 0.5 vCPU: 1460 vCPU-h × $0.04048/vCPU-h = $59.10".to_owned()),
        "{lines:#?}"
    );
    assert!(
        lines.contains(&"4 task(s) × 1 GB: 2920 GB-h × $0.004445/GB-h = $12.98".to_owned()),
        "{lines:#?}"
    );
    let mut d = template("static-website");
    crate::model::overrides::apply(&mut d, &"cdn.data_out_gb_per_month=15360".parse().unwrap())
        .unwrap();
    let cdn: Vec<LineItem> = estimate(&d)
        .lines
        .into_iter()
        .filter(|l| l.service == "CloudFront")
        .collect();
    assert_eq!(cdn[0].quantity, 10_240.0, "the first tier fills first");
    assert_eq!(cdn[1].quantity, 5_120.0);
    assert!(
        cdn[1].unit_price_usd < cdn[0].unit_price_usd,
        "later tiers cost less"
    );
}

#[test]
fn scaling_capacity_shows_its_cost_at_minimum_and_maximum_size() {
    let mut d = template("three-tier");
    for set in [
        "app-asg.min_size=2",
        "app-asg.desired_capacity=4",
        "app-asg.max_size=8",
    ] {
        crate::model::overrides::apply(&mut d, &set.parse().unwrap()).unwrap();
    }
    let report = estimate(&d);
    let ec2 = report
        .lines
        .iter()
        .find(|l| l.resource.as_str() == "app-asg" && l.service == "EC2")
        .unwrap();
    let (min, max) = ec2.range_usd.unwrap();
    assert!(
        (min - ec2.monthly_usd / 2.0).abs() < 1e-9 && (max - ec2.monthly_usd * 2.0).abs() < 1e-9
    );
    assert!(
        ec2.range_text()
            .unwrap()
            .starts_with(&format!("${min:.2} at minimum size"))
    );
    let (low, high) = report.monthly_range_usd();
    assert!(low < report.monthly_usd() && report.monthly_usd() < high);
    let db = report.lines.iter().find(|l| l.service == "RDS").unwrap();
    assert_eq!(db.range_usd, None, "a database does not scale");
}

#[test]
fn resources_spanning_subnets_share_their_cost_among_the_azs() {
    let d = template("three-tier");
    let report = estimate(&d);
    let totals = report.by_container(&d);
    let id = |s: &str| ResourceId::new(s).unwrap();
    let (a, b) = (totals[&id("az-a")], totals[&id("az-b")]);
    assert!(
        (a - b).abs() < 1e-9,
        "two symmetric AZs carry the same: {a} {b}"
    );
    let asg = report.by_resource()[&id("app-asg")];
    assert!(
        (totals[&id("app-a")] - asg / 2.0).abs() < 1e-9,
        "half the app tier in each app subnet"
    );
    // Nothing is counted twice: the VPC holds exactly what its AZs hold plus what is drawn
    // in the VPC without naming subnets.
    assert!(totals[&id("vpc")] >= a + b - 1e-9);
    assert!(totals[&id("region")] <= report.monthly_usd() + 1e-9);
    let tree = report.container_tree(&d);
    assert_eq!(tree[0].id.as_str(), "region");
    assert_eq!(tree[0].depth, 0);
    let az = tree.iter().position(|c| c.id.as_str() == "az-a").unwrap();
    assert_eq!(
        tree[az + 1].depth,
        tree[az].depth + 1,
        "a subnet follows its AZ"
    );
}

#[test]
fn detailed_monitoring_bills_seven_metrics_per_instance() {
    let mut d = template("queueing-lab");
    let before = estimate(&d).monthly_usd();
    crate::model::overrides::apply(&mut d, &"server.monitoring=Detailed".parse().unwrap()).unwrap();
    let report = estimate(&d);
    let line = report
        .lines
        .iter()
        .find(|l| l.service == "CloudWatch")
        .unwrap();
    assert_eq!(
        line.formula(),
        "detailed monitoring (7 metrics per instance): 7 metric-month × $0.3/metric-month = $2.10"
    );
    assert!((report.monthly_usd() - before - 2.10).abs() < 1e-9);
}

/// The estimate of the serverless template with `config` added as resource `id` in its
/// Region, and the formulas of that resource's lines.
fn with_added(id: &str, config: Config) -> (CostReport, Vec<String>) {
    let mut d = template("serverless");
    let kind = config.kind();
    d.add(
        crate::model::Resource::new(ResourceId::new(id).unwrap(), kind)
            .in_parent(&ResourceId::new("region").unwrap())
            .with_config(config),
    )
    .unwrap();
    let report = estimate(&d);
    let lines = report
        .lines
        .iter()
        .filter(|l| l.resource.as_str() == id)
        .map(LineItem::formula)
        .collect();
    (report, lines)
}

#[test]
fn a_secret_and_its_replica_are_billed_per_month_and_calls_per_ten_thousand() {
    let (_, lines) = with_added(
        "api-key",
        Config::SecretsManagerSecret(crate::model::config::services::SecretsManagerSecret {
            replica_regions: vec!["us-west-2".into()],
            api_calls_per_month: 100_000.0,
            ..Default::default()
        }),
    );
    // AWS's list prices: $0.40 per secret a month, a replica billed as one more secret,
    // and $0.05 per 10,000 API calls.
    assert_eq!(
        lines,
        [
            "secret and replicas: 2 secret-month × $0.4/secret-month = $0.80",
            "API calls: 10 10k requests × $0.05/10k requests = $0.50",
        ]
    );
}

#[test]
fn a_standard_workflow_is_billed_per_transition_and_an_express_one_is_said_not_priced() {
    use crate::model::config::services::{StepFunctionsStateMachine, WorkflowType};
    // 100,000 executions of 5 transitions: 500,000 × $0.025 per 1,000 = $12.50.
    let (_, lines) = with_added(
        "flow",
        Config::StepFunctionsStateMachine(StepFunctionsStateMachine::default()),
    );
    assert_eq!(
        lines,
        ["state transitions: 500 1k transitions × $0.025/1k transitions = $12.50"]
    );
    let (express, lines) = with_added(
        "flow",
        Config::StepFunctionsStateMachine(StepFunctionsStateMachine {
            workflow_type: WorkflowType::Express,
            ..Default::default()
        }),
    );
    assert!(lines.is_empty());
    let said = express
        .not_priced
        .iter()
        .find(|n| n.resource.as_str() == "flow")
        .expect("listed as not priced");
    assert!(said.reason.contains("Express"), "{}", said.reason);
}

#[test]
fn custom_events_are_billed_per_million() {
    let (_, lines) = with_added(
        "bus",
        Config::EventBridgeBus(crate::model::config::services::EventBridgeBus {
            events_per_month_millions: 3.0,
            ..Default::default()
        }),
    );
    // EventBridge's list price: $1.00 per million custom events put on a bus.
    assert_eq!(lines, ["custom events: 3 M events × $1/M events = $3.00"]);
}
