//! The estimate against an independent tool: infracost's expected test outputs
//! (`internal/providers/terraform/aws/testdata/*/*.golden`, us-east-1), to the cent.

use cloudcanvas::model::config::compute::LambdaFunction;
use cloudcanvas::model::config::edge::ClassicLoadBalancer;
use cloudcanvas::model::config::storage::{EbsVolume, VolumeType};
use cloudcanvas::model::{Config, Diagram, Kind, Resource, ResourceId};
use cloudcanvas::pricing::estimate;

/// A Region holding a VPC, an AZ and a subnet, with `resources` added where they fit.
fn diagram_with(resources: Vec<(&str, Config)>) -> Diagram {
    let id = |s: &str| ResourceId::new(s).unwrap();
    let mut d = Diagram::new("golden");
    d.add(Resource::new(id("region"), Kind::Region)).unwrap();
    d.add(Resource::new(id("vpc"), Kind::Vpc).in_parent(&id("region")))
        .unwrap();
    d.add(Resource::new(id("az"), Kind::AvailabilityZone).in_parent(&id("vpc")))
        .unwrap();
    d.add(Resource::new(id("subnet"), Kind::Subnet).in_parent(&id("az")))
        .unwrap();
    for (name, config) in resources {
        let parent = match config.kind() {
            Kind::EbsVolume => "subnet",
            Kind::ClassicLoadBalancer => "vpc",
            _ => "region",
        };
        d.add(
            Resource::new(id(name), config.kind())
                .in_parent(&id(parent))
                .with_config(config),
        )
        .unwrap();
    }
    d
}

fn cents(value: f64) -> i64 {
    (value * 100.0).round() as i64
}

/// (resource, our line item, infracost's monthly cost in USD) from the golden files.
fn check(d: &Diagram, expected: &[(&str, &str, f64)]) {
    let report = estimate(d);
    for (resource, item, usd) in expected {
        let line = report
            .lines
            .iter()
            .find(|l| l.resource.as_str() == *resource && l.item == *item)
            .unwrap_or_else(|| panic!("no line `{item}` for {resource}: {:#?}", report.lines));
        assert_eq!(
            cents(line.monthly_usd),
            cents(*usd),
            "{resource} {item}: {}",
            line.formula()
        );
    }
}

#[test]
fn ebs_volumes_match_infracost_ebs_volume_test() {
    let volume = |volume_type, size_gb, iops, throughput_mibps| {
        Config::EbsVolume(EbsVolume {
            volume_type,
            size_gb,
            iops,
            throughput_mibps,
            ..EbsVolume::default()
        })
    };
    let d = diagram_with(vec![
        ("io1", volume(VolumeType::Io1, 30, Some(300), None)),
        ("io2", volume(VolumeType::Io2, 30, Some(300), None)),
        ("gp3", volume(VolumeType::Gp3, 40, Some(4000), Some(130))),
        ("st1", volume(VolumeType::St1, 40, None, None)),
        ("gp2", volume(VolumeType::Gp2, 10, None, None)),
        ("sc1", volume(VolumeType::Sc1, 50, None, None)),
        ("standard", volume(VolumeType::Standard, 20, None, None)),
    ]);
    check(
        &d,
        &[
            ("io1", "io1 storage", 3.75),
            ("io1", "io1 IOPS", 19.50),
            ("io2", "io2 storage", 3.75),
            ("io2", "io2 IOPS", 19.50),
            ("gp3", "gp3 storage", 3.20),
            ("gp3", "gp3 throughput above 125 MB/s", 0.20),
            ("gp3", "gp3 IOPS above 3,000", 5.00),
            ("st1", "st1 storage", 1.80),
            ("gp2", "gp2 storage", 1.00),
            ("sc1", "sc1 storage", 0.75),
            ("standard", "standard (magnetic) storage", 1.00),
        ],
    );
}

#[test]
fn a_classic_load_balancer_matches_infracost_elb_test() {
    let clb = Config::ClassicLoadBalancer(ClassicLoadBalancer {
        processed_gb_per_month: 10_000.0,
        ..ClassicLoadBalancer::default()
    });
    check(
        &diagram_with(vec![("my-elb", clb)]),
        &[
            ("my-elb", "CLB hours", 18.25),
            ("my-elb", "CLB data processed", 80.00),
        ],
    );
}

#[test]
fn lambda_requests_match_infracost_lambda_function_test() {
    // lambda_duration_15B: 15,000 M requests.
    let lambda = Config::LambdaFunction(LambdaFunction {
        invocations_per_month_millions: 15_000.0,
        ..LambdaFunction::default()
    });
    check(
        &diagram_with(vec![("fn", lambda)]),
        &[("fn", "requests", 3000.00)],
    );
}
