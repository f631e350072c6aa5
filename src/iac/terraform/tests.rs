use super::*;
use crate::library::templates;

fn export_of(name: &str) -> Export {
    let diagram = templates::find(name)
        .and_then(|t| t.load().ok())
        .expect("the template loads");
    terraform(&diagram)
}

#[test]
fn three_tier_names_its_resources_and_wires_them_by_reference() {
    let tf = export_of("three-tier").text;
    assert!(tf.contains("resource \"aws_vpc\" \"vpc\""), "{tf}");
    assert!(tf.contains("vpc_id = aws_vpc.vpc.id"), "{tf}");
    let group = tf
        .split("resource \"aws_autoscaling_group\" \"app_asg\"")
        .nth(1)
        .expect("the group");
    let arns = group
        .split("target_group_arns = [")
        .nth(1)
        .and_then(|x| x.split(']').next())
        .expect("its target groups");
    assert_eq!(arns.trim(), "aws_lb_target_group.alb_app_asg.arn");
    assert!(
        tf.contains("certificate_arn = aws_acm_certificate.site_cert.arn"),
        "{tf}"
    );
    // A literal ${ in user data or a policy stays literal.
    assert!(!tf.contains("\"${AWS"), "{tf}");
}

#[test]
fn a_second_region_gets_an_aliased_provider() {
    let tf = export_of("multi-region-failover").text;
    assert!(
        tf.contains("alias  = \"us_west_2\"") || tf.contains("alias = \"us_west_2\""),
        "{tf}"
    );
    assert!(tf.contains("provider = aws.us_west_2"), "{tf}");
    // The failover record reaches the west load balancer directly.
    assert!(tf.contains("aws_lb.west_alb.dns_name"), "{tf}");
}

#[test]
fn what_terraform_cannot_create_is_listed_in_the_header() {
    let export = export_of("hybrid");
    assert!(export.text.contains("# Not created: dx"), "{}", export.text);
    assert!(export.skipped.iter().any(|s| s.id.as_str() == "datacenter"));
}
