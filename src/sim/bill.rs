//! The bill of a run: what the simulated time cost at list prices. Instances, databases,
//! caches and tasks are billed for the hours they actually ran; everything else comes
//! from the cost estimator, fed with the usage the run measured — requests, Lambda
//! duration, DynamoDB capacity units, data through NAT gateways, between AZs and out to
//! the internet — as if the run went on at the same pace for a month, then prorated to
//! the run. So the run and the estimate share one set of prices and formulas.
//!
//! Usage a run does not measure (storage, Route 53 queries, transfer between Regions)
//! stays as drawn.

use serde::Serialize;

use super::engine::Usage;
use crate::aws::HOURS_PER_MONTH;
use crate::model::config::database::CapacityMode;
use crate::model::{Config, Diagram, Kind, ResourceId};

/// Kilobytes in a gigabyte (AWS bills data transfer in GiB-sized "GB").
const KB_PER_GB: f64 = 1024.0 * 1024.0;

/// Units of time-based lines that the stations' own hours replace.
const STATION_TIME_UNITS: [&str; 4] = ["h", "vCPU-h", "GB-h", "ACU-h"];

/// Application Load Balancer: an LCU is 25 new connections a second or 1 GB processed an
/// hour (EC2 targets), whichever is higher; each request is taken as a new connection,
/// an upper bound (Elastic Load Balancing pricing).
const ALB_CONNECTIONS_PER_LCU: f64 = 25.0;
/// Network Load Balancer: an NLCU is 800 new TCP flows a second or 1 GB an hour.
const NLB_FLOWS_PER_LCU: f64 = 800.0;

/// One line of a run's bill.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BillLine {
    /// The resource billed.
    pub resource: ResourceId,
    /// AWS service.
    pub service: &'static str,
    /// What is billed.
    pub item: String,
    /// Quantity during the run.
    pub quantity: f64,
    /// Unit of the quantity.
    pub unit: &'static str,
    /// Cost during the run.
    pub usd: f64,
}

/// What a run cost.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct RunBill {
    /// Simulated hours billed.
    pub hours: f64,
    /// Lines, stations' hours first, then the estimator's lines in diagram order.
    pub lines: Vec<BillLine>,
    /// The whole bill.
    pub total_usd: f64,
    /// What a month at the run's pace would cost.
    pub monthly_at_this_pace_usd: f64,
    /// Resources the price data cannot price, with the reason.
    pub not_priced: Vec<(ResourceId, String)>,
}

/// `diagram` with its usage fields set to what the run measured, scaled to a month.
pub fn measured_diagram(diagram: &Diagram, usage: &Usage) -> Diagram {
    let mut measured = diagram.clone();
    if usage.secs <= 0.0 {
        return measured;
    }
    let per_month = HOURS_PER_MONTH * 3600.0 / usage.secs;
    let hours = usage.secs / 3600.0;
    let node = |id: &ResourceId| usage.nodes.iter().find(|n| &n.id == id);
    let amount = |list: &[(ResourceId, f64)], id: &ResourceId| {
        list.iter().find(|(i, _)| i == id).map_or(0.0, |(_, v)| *v)
    };
    let mut egress_kb: Vec<(ResourceId, f64)> = Vec::new();
    for r in diagram.resources() {
        let id = &r.id;
        let mut config = r.config.clone();
        let inbound = node(id);
        let requests = inbound.map_or(0.0, |n| n.requests as f64);
        let writes = inbound.map_or(0.0, |n| n.writes as f64);
        let kb = inbound.map_or(0.0, |n| n.kb);
        // Answers sent straight to users leave AWS (CloudFront bills its own).
        if let Some(n) = inbound
            && n.read_kb_from_sources > 0.0
            && !matches!(
                r.kind(),
                Kind::CloudFrontDistribution | Kind::Route53HostedZone
            )
            && let Some(region) = diagram.enclosing(id.as_str(), Kind::Region)
        {
            super::engine::add_to(&mut egress_kb, &region.id, n.read_kb_from_sources);
        }
        match &mut config {
            Config::LambdaFunction(c) => {
                if let Some(s) = usage.stations.iter().find(|s| &s.id == id) {
                    c.invocations_per_month_millions = s.served as f64 * per_month / 1e6;
                    if s.served > 0 {
                        c.average_duration_ms = s.held_secs / s.served as f64 * 1000.0;
                    }
                }
            }
            Config::ApiGateway(c) => c.requests_per_month_millions = requests * per_month / 1e6,
            Config::SnsTopic(c) => c.publishes_per_month_millions = requests * per_month / 1e6,
            Config::EventBridgeBus(c) => c.events_per_month_millions = requests * per_month / 1e6,
            Config::SqsQueue(c) => {
                let made = usage.queue_requests.iter().find(|(q, _)| q == id);
                c.requests_per_month_millions =
                    made.map_or(0.0, |(_, n)| *n as f64) * per_month / 1e6;
            }
            Config::DynamoDbTable(c) if c.capacity_mode == CapacityMode::OnDemand => {
                if let Some((_, [read, write])) = usage.units.iter().find(|(t, _)| t == id) {
                    c.reads_per_month_millions = read * per_month / 1e6;
                    c.writes_per_month_millions = write * per_month / 1e6;
                }
            }
            Config::S3Bucket(c) => {
                c.read_requests_thousands = (requests - writes) * per_month / 1e3;
                c.write_requests_thousands = writes * per_month / 1e3;
            }
            Config::CloudFrontDistribution(c) => {
                // Every request reaching a distribution is answered from the edge; reads
                // carry data out.
                let read_kb = kb - inbound.map_or(0.0, |n| n.write_kb);
                c.requests_per_month_millions = requests * per_month / 1e6;
                c.data_out_gb_per_month = read_kb / KB_PER_GB * per_month;
            }
            Config::ApplicationLoadBalancer(c) => {
                c.lcus =
                    (kb / KB_PER_GB / hours).max(requests / usage.secs / ALB_CONNECTIONS_PER_LCU);
            }
            Config::NetworkLoadBalancer(c) => {
                c.lcus = (kb / KB_PER_GB / hours).max(requests / usage.secs / NLB_FLOWS_PER_LCU);
            }
            Config::ClassicLoadBalancer(c) => {
                c.processed_gb_per_month = kb / KB_PER_GB * per_month;
            }
            Config::NatGateway(c) => {
                c.processed_gb_per_month = amount(&usage.nat_kb, id) / KB_PER_GB * per_month;
            }
            _ => continue,
        }
        // The config stays valid: only usage figures changed.
        let _ = measured.set_config(id, config);
    }
    // Regions: data out to the internet and between their AZs.
    let regions: Vec<ResourceId> = diagram
        .resources()
        .filter(|r| r.kind() == Kind::Region)
        .map(|r| r.id.clone())
        .collect();
    for region in regions {
        let Some(Config::Region(mut c)) =
            measured.resource(region.as_str()).map(|r| r.config.clone())
        else {
            continue;
        };
        let egress = amount(&egress_kb, &region);
        let inter_az: f64 = usage
            .inter_az_kb
            .iter()
            .filter(|(az, _)| {
                diagram
                    .enclosing(az.as_str(), Kind::Region)
                    .is_some_and(|r| r.id == region)
            })
            .map(|(_, kb)| kb)
            .sum();
        c.internet_egress_gb_per_month = egress / KB_PER_GB * per_month;
        c.inter_az_gb_per_month = inter_az / KB_PER_GB * per_month;
        let _ = measured.set_config(&region, Config::Region(c));
    }
    measured
}

/// The bill of a run of `diagram` that used `usage`.
pub fn bill(diagram: &Diagram, usage: &Usage) -> RunBill {
    if usage.secs <= 0.0 {
        return RunBill::default();
    }
    let hours = usage.secs / 3600.0;
    let share = hours / HOURS_PER_MONTH;
    let mut lines = Vec::new();
    for s in &usage.stations {
        if let Some(usd) = s.cost_usd
            && s.hours > 0.0
        {
            lines.push(BillLine {
                resource: s.id.clone(),
                service: service_of(diagram, &s.id),
                item: "hours as run".to_owned(),
                quantity: s.hours,
                unit: "h",
                usd,
            });
        }
    }
    for s in usage.stations.iter().filter(|s| s.surplus_credits > 0.0) {
        let region = diagram.region_code(s.id.as_str());
        // One vCPU-hour is 60 credits; T2, T3, T3a and T4g share the Linux price.
        let vcpu_hours = s.surplus_credits / 60.0;
        if let Some(price) = crate::aws::unit_price("EC2", "T3 unlimited CPU credits", region) {
            lines.push(BillLine {
                resource: s.id.clone(),
                service: "EC2",
                item: "unlimited mode: surplus CPU credits".to_owned(),
                quantity: vcpu_hours,
                unit: "vCPU-h",
                usd: vcpu_hours * price.usd,
            });
        }
    }
    let timed: Vec<&ResourceId> = usage
        .stations
        .iter()
        .filter(|s| s.cost_usd.is_some())
        .map(|s| &s.id)
        .collect();
    let estimate = crate::pricing::estimate(&measured_diagram(diagram, usage));
    for line in &estimate.lines {
        if timed.contains(&&line.resource) && STATION_TIME_UNITS.contains(&line.unit) {
            continue;
        }
        lines.push(BillLine {
            resource: line.resource.clone(),
            service: line.service,
            item: line.item.clone(),
            quantity: line.quantity * share,
            unit: line.unit,
            usd: line.monthly_usd * share,
        });
    }
    let total_usd = lines.iter().map(|l| l.usd).fold(0.0, |a, b| a + b);
    RunBill {
        hours,
        total_usd,
        monthly_at_this_pace_usd: total_usd / share,
        lines,
        not_priced: estimate
            .not_priced
            .into_iter()
            .map(|n| (n.resource, n.reason))
            .collect(),
    }
}

/// The AWS service of a resource billed by the hour.
fn service_of(diagram: &Diagram, id: &ResourceId) -> &'static str {
    match diagram.resource(id.as_str()).map(|r| r.kind()) {
        Some(Kind::RdsInstance) => "RDS",
        Some(Kind::AuroraCluster) => "Aurora",
        Some(Kind::ElastiCacheCluster) => "ElastiCache",
        Some(Kind::EcsService) => "Fargate",
        _ => "EC2",
    }
}
