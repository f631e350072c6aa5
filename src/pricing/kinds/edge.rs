//! The edge: load balancers, Route 53, CloudFront.

use super::Lines;
use crate::aws::HOURS_PER_MONTH;
use crate::model::ResourceId;
use crate::model::config::edge::*;

pub(super) fn application_load_balancer(l: &mut Lines<'_>, c: &ApplicationLoadBalancer) {
    let h = HOURS_PER_MONTH;
    l.unit("ELB", "Application Load Balancer hour", "ALB hours", h, "h");
    l.unit(
        "ELB",
        "Application Load Balancer LCU-hour",
        "ALB LCUs",
        c.lcus * h,
        "LCU-h",
    );
}

pub(super) fn network_load_balancer(l: &mut Lines<'_>, c: &NetworkLoadBalancer) {
    let h = HOURS_PER_MONTH;
    l.unit("ELB", "Network Load Balancer hour", "NLB hours", h, "h");
    l.unit(
        "ELB",
        "Network Load Balancer NLCU-hour",
        "NLB LCUs",
        c.lcus * h,
        "LCU-h",
    );
}

pub(super) fn classic_load_balancer(l: &mut Lines<'_>, c: &ClassicLoadBalancer) {
    let h = HOURS_PER_MONTH;
    l.unit("ELB", "Classic Load Balancer hour", "CLB hours", h, "h");
    l.unit(
        "ELB",
        "Classic Load Balancer data processed",
        "CLB data processed",
        c.processed_gb_per_month,
        "GB",
    );
}

pub(super) fn route53_hosted_zone(l: &mut Lines<'_>, c: &Route53HostedZone) {
    l.unit(
        "Route53",
        "hosted zone (first 25)",
        "hosted zone",
        1.0,
        "zone-month",
    );
    l.tiered(
        "Route53",
        &[
            (
                1000.0,
                "standard queries (first 1B/month)",
                "standard queries, first 1B",
            ),
            (
                f64::INFINITY,
                "standard queries (over 1B/month)",
                "standard queries, over 1B",
            ),
        ],
        c.queries_per_month_millions,
        "M queries",
    );
    // One health check per watched target; a 10-second interval is an optional feature.
    let mut checks: Vec<(&ResourceId, bool)> = Vec::new();
    for record in &c.records {
        let fast = record.health_check_interval_secs < 30;
        for target in record.targets.iter().filter(|t| t.health_check) {
            match checks.iter_mut().find(|(id, _)| *id == &target.target) {
                Some((_, f)) => *f |= fast,
                None => checks.push((&target.target, fast)),
            }
        }
    }
    l.unit(
        "Route53",
        "health check (AWS endpoint)",
        "health checks",
        checks.len() as f64,
        "check-month",
    );
    l.unit(
        "Route53",
        "health check optional feature (AWS endpoint)",
        "fast (10-second) health checks",
        checks.iter().filter(|(_, fast)| *fast).count() as f64,
        "feature-month",
    );
}

pub(super) fn cloudfront_distribution(l: &mut Lines<'_>, c: &CloudFrontDistribution) {
    // Volume tiers of the North America edge, in GB.
    const TB: f64 = 1024.0;
    l.tiered(
        "CloudFront",
        &[
            (
                10.0 * TB,
                "data transfer out to internet (first 10tb) (US, Mexico, Canada edge)",
                "data out, first 10 TB",
            ),
            (
                40.0 * TB,
                "data transfer out to internet (next 40tb) (US, Mexico, Canada edge)",
                "data out, next 40 TB",
            ),
            (
                100.0 * TB,
                "data transfer out to internet (next 100tb) (US, Mexico, Canada edge)",
                "data out, next 100 TB",
            ),
            (
                350.0 * TB,
                "data transfer out to internet (next 350tb) (US, Mexico, Canada edge)",
                "data out, next 350 TB",
            ),
            (
                524.0 * TB,
                "data transfer out to internet (next 524tb) (US, Mexico, Canada edge)",
                "data out, next 524 TB",
            ),
            (
                4.0 * TB * TB,
                "data transfer out to internet (next 4pb) (US, Mexico, Canada edge)",
                "data out, next 4 PB",
            ),
            (
                f64::INFINITY,
                "data transfer out to internet (over 5pb) (US, Mexico, Canada edge)",
                "data out, over 5 PB",
            ),
        ],
        c.data_out_gb_per_month,
        "GB",
    );
    l.unit(
        "CloudFront",
        "HTTPS requests (US, Mexico, Canada)",
        "HTTPS requests",
        c.requests_per_month_millions * 100.0,
        "10k requests",
    );
}
