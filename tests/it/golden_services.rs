//! More of the estimate against infracost's expected outputs (us-east-1 unless the Region
//! says otherwise), each case a small saved diagram, to the cent. The figures in the
//! comments name the golden file's resource the case reproduces.

use cloudcanvas::io::load_str;
use cloudcanvas::pricing::estimate;

/// A diagram with a Region `region` (code `code`, usage `region_usage`), a VPC, an AZ and a
/// subnet, and `resources` (RON entries naming one of them as parent).
fn diagram(code: &str, region_usage: &str, resources: &str) -> cloudcanvas::model::Diagram {
    let text = format!(
        r#"#![enable(implicit_some)]
(
    schema_version: 1,
    resources: [
        (id: "region", config: Region(code: "{code}", {region_usage})),
        (id: "vpc", parent: "region", config: Vpc(cidr: "10.0.0.0/16")),
        (id: "az", parent: "vpc", config: AvailabilityZone(zone: "{code}a")),
        (id: "subnet", parent: "az", config: Subnet(cidr: "10.0.0.0/24")),
        {resources}
    ],
)"#
    );
    load_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

fn cents(value: f64) -> i64 {
    (value * 100.0).round() as i64
}

/// Every `(resource, our line item, infracost's monthly USD)` is in the estimate to the cent.
fn check(d: &cloudcanvas::model::Diagram, expected: &[(&str, &str, f64)]) {
    let report = estimate(d);
    assert!(
        report.not_priced.is_empty(),
        "not priced: {:#?}",
        report.not_priced
    );
    for (resource, item, usd) in expected {
        let line = report
            .lines
            .iter()
            .find(|l| l.resource.as_str() == *resource && l.item == *item)
            .unwrap_or_else(|| {
                let items: Vec<String> = report.lines.iter().map(|l| l.formula()).collect();
                panic!("no line `{item}` for {resource}: {items:#?}")
            });
        assert_eq!(
            cents(line.monthly_usd),
            cents(*usd),
            "{resource} {item}: {}",
            line.formula()
        );
        assert!(!line.price_from_us_east_1, "{}", line.formula());
    }
}

#[test]
fn data_transfer_matches_infracost_data_transfer_test_in_three_regions() {
    // aws_data_transfer.us-east-1: 57,000 GB out, 2,000 GB intra-region (1,000 GB each way),
    // 750 GB to other Regions.
    let usage = "internet_egress_gb_per_month: 57000, inter_az_gb_per_month: 1000, \
                 inter_region_gb_per_month: 750";
    check(
        &diagram("us-east-1", usage, ""),
        &[
            ("region", "internet egress, first 10 TB", 921.60),
            ("region", "internet egress, next 40 TB", 3481.60),
            ("region", "internet egress, next 100 TB", 406.00),
            ("region", "inter-AZ transfer (out and in)", 20.00),
            ("region", "transfer to other Regions", 15.00),
        ],
    );
    // aws_data_transfer.eu-west-1 and .sa-east-1: 157,000 GB out reaches the last tier.
    let usage = "internet_egress_gb_per_month: 157000, inter_az_gb_per_month: 1000, \
                 inter_region_gb_per_month: 750";
    check(
        &diagram("eu-west-1", usage, ""),
        &[
            ("region", "internet egress, first 10 TB", 921.60),
            ("region", "internet egress, next 40 TB", 3481.60),
            ("region", "internet egress, next 100 TB", 7168.00),
            ("region", "internet egress, over 150 TB", 170.00),
            ("region", "transfer to other Regions", 15.00),
        ],
    );
    check(
        &diagram("sa-east-1", usage, ""),
        &[
            ("region", "internet egress, first 10 TB", 1536.00),
            ("region", "internet egress, next 40 TB", 5652.48),
            ("region", "internet egress, next 100 TB", 12902.40),
            ("region", "internet egress, over 150 TB", 387.60),
            ("region", "inter-AZ transfer (out and in)", 20.00),
            ("region", "transfer to other Regions", 103.50),
        ],
    );
}

#[test]
fn an_empty_region_transfers_nothing() {
    let d = load_str("(schema_version: 1, resources: [(id: \"r\", config: Region())])").unwrap();
    assert!(estimate(&d).lines.is_empty());
}

#[test]
fn cloudfront_tiers_match_infracost_cloudfront_distribution_test() {
    // s3_distribution_with_usage, US/Mexico/Canada edge: 12,340,000 GB out, 123,400 HTTPS
    // requests.
    let cdn = r#"(id: "cdn", config: CloudFrontDistribution(
        data_out_gb_per_month: 12340000, requests_per_month_millions: 0.1234)),"#;
    check(
        &diagram("us-east-1", "", cdn),
        &[
            ("cdn", "data out, first 10 TB", 870.40),
            ("cdn", "data out, next 40 TB", 3276.80),
            ("cdn", "data out, next 100 TB", 6144.00),
            ("cdn", "data out, next 350 TB", 14336.00),
            ("cdn", "data out, next 524 TB", 16097.28),
            ("cdn", "data out, next 4 PB", 104857.60),
            ("cdn", "data out, over 5 PB", 141942.40),
            ("cdn", "HTTPS requests", 0.12),
        ],
    );
}

#[test]
fn load_balancers_and_nat_match_infracost_lb_and_nat_gateway_tests() {
    // alb1_usage / nlb1_usage: 1.3698 LCUs on average; nat_withUsage: 100 GB processed.
    let resources = r#"
        (id: "alb", parent: "vpc", config: ApplicationLoadBalancer(lcus: 1.3698)),
        (id: "nlb", parent: "vpc", config: NetworkLoadBalancer(lcus: 1.3698)),
        (id: "nat", parent: "subnet", config: NatGateway(processed_gb_per_month: 100)),
    "#;
    check(
        &diagram("us-east-1", "", resources),
        &[
            ("alb", "ALB hours", 16.43),
            ("alb", "ALB LCUs", 8.00),
            ("nlb", "NLB hours", 16.43),
            ("nlb", "NLB LCUs", 6.00),
            ("nat", "NAT gateway hours", 32.85),
            ("nat", "NAT data processed", 4.50),
        ],
    );
}

#[test]
fn dynamodb_matches_infracost_dynamodb_table_test() {
    // my_dynamodb_table_usage (on demand) and autoscale_dynamodb_table_usage (provisioned).
    let resources = r#"
        (id: "on-demand", parent: "region", config: DynamoDbTable(capacity_mode: OnDemand,
            writes_per_month_millions: 3, reads_per_month_millions: 8, storage_gb: 230)),
        (id: "provisioned", parent: "region", config: DynamoDbTable(capacity_mode: Provisioned,
            write_capacity_units: 77, read_capacity_units: 76, storage_gb: 0)),
    "#;
    check(
        &diagram("us-east-1", "", resources),
        &[
            ("on-demand", "write request units", 1.88),
            ("on-demand", "read request units", 1.00),
            ("on-demand", "storage", 57.50),
            ("provisioned", "provisioned write capacity", 36.54),
            ("provisioned", "provisioned read capacity", 7.21),
        ],
    );
}

#[test]
fn rds_multi_az_matches_infracost_db_instance_test() {
    // mysql-multi-az: db.t3.large, 30 GB gp2, 1,000 GB of extra backups.
    let db = r#"(id: "db", parent: "subnet", config: RdsInstance(engine: MySql,
        instance_class: "db.t3.large", multi_az: true, allocated_storage_gb: 30,
        extra_backup_gb: 1000)),"#;
    check(
        &diagram("us-east-1", "", db),
        &[
            ("db", "db.t3.large MySQL Multi-AZ", 198.56),
            ("db", "general purpose storage (Multi-AZ)", 6.90),
            ("db", "backups beyond the free allowance", 95.00),
        ],
    );
}

#[test]
fn storage_and_queues_match_infracost_s3_efs_and_sqs_tests() {
    // s3 bucket_withUsage (Standard), efs standard and oneZone, sqs standard and FIFO.
    let resources = r#"
        (id: "bucket", parent: "region", config: S3Bucket(bucket_name: "golden-bucket",
            storage_gb: 10000, write_requests_thousands: 10, read_requests_thousands: 0)),
        (id: "efs", parent: "region", config: EfsFileSystem(storage_gb: 230)),
        (id: "efs-one-zone", parent: "region", config: EfsFileSystem(redundancy: OneZone,
            storage_gb: 230)),
        (id: "queue", parent: "region", config: SqsQueue(requests_per_month_millions: 2)),
        (id: "fifo", parent: "region", config: SqsQueue(fifo: true,
            requests_per_month_millions: 1)),
    "#;
    check(
        &diagram("us-east-1", "", resources),
        &[
            ("bucket", "S3 Standard", 230.00),
            ("bucket", "PUT, COPY, POST, LIST requests", 0.05),
            ("efs", "EFS standard storage", 69.00),
            ("efs-one-zone", "EFS one zone storage", 36.80),
            ("queue", "requests", 0.80),
            ("fifo", "requests", 0.50),
        ],
    );
}

#[test]
fn compute_matches_infracost_asg_ecs_lambda_and_elasticache_tests() {
    // asg_lc_cpu_credits (2 × t3.medium), asg_lc_usage (6 × t2.medium), ecs_fargate5
    // (5 vCPU, 10 GB), lambda_duration_15B (61.44B GB-s), memcached (2 × cache.m4.large),
    // interface_withUsage (one AZ, 1,000 GB).
    let resources = r#"
        (id: "asg", parent: "vpc", config: AutoScalingGroup(instance_type: "t3.medium",
            min_size: 2, desired_capacity: 2, max_size: 2)),
        (id: "asg6", parent: "vpc", config: AutoScalingGroup(instance_type: "t2.medium",
            min_size: 6, desired_capacity: 6, max_size: 6)),
        (id: "task", parent: "region", config: EcsTaskDefinition(cpu_units: 1024,
            memory_mb: 2048)),
        (id: "service", parent: "vpc", config: EcsService(task_definition: "task",
            desired_count: 5)),
        (id: "fn", parent: "region", config: LambdaFunction(
            invocations_per_month_millions: 15000, average_duration_ms: 4096, memory_mb: 1024)),
        (id: "cache", parent: "subnet", config: ElastiCacheCluster(engine: Memcached,
            node_type: "cache.m4.large", shards: 2)),
        (id: "endpoint", parent: "vpc", config: VpcEndpoint(endpoint_type: Interface,
            processed_gb_per_month: 1000)),
    "#;
    check(
        &diagram("us-east-1", "", resources),
        &[
            ("asg", "2 × t3.medium on-demand", 60.74),
            ("asg6", "6 × t2.medium on-demand", 203.23),
            ("service", "5 task(s) × 1 vCPU", 147.75),
            ("service", "5 task(s) × 2 GB", 32.45),
            ("fn", "requests", 3000.00),
            ("fn", "compute, first 6B GB-s", 100000.20),
            ("fn", "compute, next 9B GB-s", 135000.00),
            ("fn", "compute, over 15B GB-s", 619203.10),
            ("cache", "2 × cache.m4.large (Memcached)", 227.76),
            ("endpoint", "interface endpoint in 1 AZ(s)", 7.30),
            ("endpoint", "endpoint data processed", 10.00),
        ],
    );
}

#[test]
fn dns_monitoring_and_apis_match_infracost_tests() {
    // route53 zone, my_record_withUsage (1,100 M standard queries) and health checks
    // (https: one check and one optional feature), cloudwatch alarms,
    // logs_count_withUsage (1,000 GB ingested), kms, ecr repo (1 GB), my_rest_api (333 M).
    let resources = r#"
        (id: "zone", config: Route53HostedZone(domain: "example.com",
            queries_per_month_millions: 1100, records: [
                (name: "api", routing: Failover, health_check_interval_secs: 10, targets: [
                    (target: "primary", failover: Primary, health_check: true),
                    (target: "secondary", failover: Secondary, health_check: true),
                ]),
                (name: "www", targets: [(target: "primary", health_check: true)]),
            ])),
        (id: "primary", parent: "region", config: S3Bucket(bucket_name: "primary-site")),
        (id: "secondary", parent: "region", config: S3Bucket(bucket_name: "secondary-site")),
        (id: "alarm", parent: "region", config: CloudWatchAlarm()),
        (id: "fast-alarm", parent: "region", config: CloudWatchAlarm(high_resolution: true)),
        (id: "logs", parent: "region", config: CloudWatchLogGroup(ingested_gb_per_month: 1000)),
        (id: "key", parent: "region", config: KmsKey()),
        (id: "repo", parent: "region", config: EcrRepository(storage_gb: 1)),
        (id: "api", parent: "region", config: ApiGateway(api_type: Rest,
            requests_per_month_millions: 333)),
    "#;
    check(
        &diagram("us-east-1", "", resources),
        &[
            ("zone", "hosted zone", 0.50),
            ("zone", "standard queries, first 1B", 400.00),
            ("zone", "standard queries, over 1B", 20.00),
            // https: a health check of an AWS endpoint and one optional feature; two
            // targets watched (one of them by two records), both every 10 seconds.
            ("zone", "health checks", 2.0 * 0.50),
            ("zone", "fast (10-second) health checks", 2.0 * 1.00),
            ("alarm", "alarm", 0.10),
            ("fast-alarm", "alarm", 0.30),
            ("logs", "log ingestion", 500.00),
            ("key", "customer managed key", 1.00),
            ("repo", "image storage", 0.10),
            ("api", "REST API requests, first 333M", 1165.50),
        ],
    );
}
