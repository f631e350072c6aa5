//! Lookups in the shipped price tables. A price missing for a Region falls back to
//! us-east-1 and says so; a price missing everywhere is `None`, never $0.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

use super::ec2_instance_type;

const UNIT_PRICES_CSV: &str = include_str!("data/aws_service_unit_prices.csv");
const EC2_REGIONAL_CSV: &str = include_str!("data/ec2_linux_regional_2024-04.csv");
const RDS_CSV: &str = include_str!("data/rds_instances_ondemand_2021-08.csv");
const ELASTICACHE_CSV: &str = include_str!("data/elasticache_nodes_2025-04.csv");
const EC2_RESERVED_SPOT_CSV: &str = include_str!("data/ec2_us-east-1_reserved_spot_2025-06.csv");

/// The Region whose prices stand in where a Region has none.
pub const FALLBACK_REGION: &str = "us-east-1";

/// A price and where it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Price {
    /// USD per unit.
    pub usd: f64,
    /// The unit, such as `GB-month` or `hour`.
    pub unit: &'static str,
    /// Set when the Region had no price and us-east-1's is used.
    pub fallback: bool,
    /// Date of the figure.
    pub as_of: &'static str,
}

#[derive(Deserialize)]
struct UnitRow {
    service: String,
    item: String,
    region: String,
    unit: String,
    price_usd: f64,
    as_of: String,
}

/// The key of a unit price: service, lower-case item and Region in one string.
fn unit_key(service: &str, item: &str, region: &str) -> String {
    let mut key = String::with_capacity(service.len() + item.len() + region.len() + 2);
    key.push_str(service);
    key.push('\u{1f}');
    key.extend(item.chars().flat_map(char::to_lowercase));
    key.push('\u{1f}');
    key.push_str(region);
    key
}

fn unit_rows() -> &'static HashMap<String, UnitRow> {
    static ROWS: OnceLock<HashMap<String, UnitRow>> = OnceLock::new();
    ROWS.get_or_init(|| {
        csv::Reader::from_reader(UNIT_PRICES_CSV.as_bytes())
            .deserialize::<UnitRow>()
            .filter_map(Result::ok)
            .map(|r| (unit_key(&r.service, &r.item, &r.region), r))
            .collect()
    })
}

/// The unit price of `item` of `service` in `region`, or us-east-1's marked as fallback.
pub fn unit_price(service: &str, item: &str, region: &str) -> Option<Price> {
    let rows = unit_rows();
    let (row, fallback) = match rows.get(&unit_key(service, item, region)) {
        Some(row) => (row, false),
        None => (
            rows.get(&unit_key(service, item, FALLBACK_REGION))?,
            region != FALLBACK_REGION,
        ),
    };
    Some(Price {
        usd: row.price_usd,
        unit: row.unit.as_str(),
        fallback,
        as_of: row.as_of.as_str(),
    })
}

#[derive(Deserialize)]
struct RegionalRow {
    instance_type: String,
    region: String,
    ondemand_linux_usd_per_hour: Option<f64>,
    spot_avg_linux_usd_per_hour: Option<f64>,
}

#[derive(Deserialize)]
struct ReservedRow {
    instance_type: String,
    reserved_linux_1yr_standard_noupfront_usd_per_hour: Option<f64>,
}

/// On-demand and average spot price by (instance type, Region).
type RegionalPrices = HashMap<(String, String), (Option<f64>, Option<f64>)>;

fn regional() -> &'static RegionalPrices {
    static ROWS: OnceLock<RegionalPrices> = OnceLock::new();
    ROWS.get_or_init(|| {
        csv::Reader::from_reader(EC2_REGIONAL_CSV.as_bytes())
            .deserialize::<RegionalRow>()
            .filter_map(Result::ok)
            .map(|r| {
                (
                    (r.instance_type, r.region),
                    (r.ondemand_linux_usd_per_hour, r.spot_avg_linux_usd_per_hour),
                )
            })
            .collect()
    })
}

fn reserved() -> &'static HashMap<String, f64> {
    static ROWS: OnceLock<HashMap<String, f64>> = OnceLock::new();
    ROWS.get_or_init(|| {
        csv::Reader::from_reader(EC2_RESERVED_SPOT_CSV.as_bytes())
            .deserialize::<ReservedRow>()
            .filter_map(Result::ok)
            .filter_map(|r| {
                r.reserved_linux_1yr_standard_noupfront_usd_per_hour
                    .map(|p| (r.instance_type, p))
            })
            .collect()
    })
}

/// How EC2 capacity is charged, as far as the price data tells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ec2Rate {
    /// On-demand Linux, shared tenancy.
    OnDemand,
    /// 1-year Standard Reserved Instance, no upfront (us-east-1 data).
    Reserved1YearNoUpfront,
    /// Average spot price (2024-04 data).
    SpotAverage,
}

/// The hourly price of `instance_type` in `region` at `rate`.
pub fn ec2_hourly(instance_type: &str, region: &str, rate: Ec2Rate) -> Option<Price> {
    let hourly = |usd: f64, fallback: bool, as_of: &'static str| Price {
        usd,
        unit: "hour",
        fallback,
        as_of,
    };
    match rate {
        Ec2Rate::OnDemand => {
            if region == FALLBACK_REGION
                && let Some(p) =
                    ec2_instance_type(instance_type).and_then(|t| t.ondemand_usd_per_hour)
            {
                return Some(hourly(p, false, super::EC2_PRICES_AS_OF));
            }
            match regional()
                .get(&(instance_type.to_owned(), region.to_owned()))
                .and_then(|r| r.0)
            {
                Some(p) => Some(hourly(p, false, "2024-04-04")),
                None => ec2_instance_type(instance_type)
                    .and_then(|t| t.ondemand_usd_per_hour)
                    .map(|p| hourly(p, region != FALLBACK_REGION, super::EC2_PRICES_AS_OF)),
            }
        }
        Ec2Rate::Reserved1YearNoUpfront => reserved()
            .get(instance_type)
            .map(|p| hourly(*p, region != FALLBACK_REGION, "2025-06-13")),
        Ec2Rate::SpotAverage => match regional()
            .get(&(instance_type.to_owned(), region.to_owned()))
            .and_then(|r| r.1)
        {
            Some(p) => Some(hourly(p, false, "2024-04-04")),
            None => regional()
                .get(&(instance_type.to_owned(), FALLBACK_REGION.to_owned()))
                .and_then(|r| r.1)
                .map(|p| hourly(p, region != FALLBACK_REGION, "2024-04-04")),
        },
    }
}

#[derive(Deserialize)]
struct NodeRow {
    #[serde(alias = "instance_class", alias = "node_type")]
    class: String,
    region: String,
    engine: String,
    ondemand_usd_per_hour: Option<f64>,
}

/// Hourly price by (class, Region, engine).
type NodePrices = HashMap<(String, String, String), f64>;

fn node_table(text: &'static str) -> NodePrices {
    csv::Reader::from_reader(text.as_bytes())
        .deserialize::<NodeRow>()
        .filter_map(Result::ok)
        .filter_map(|r| {
            r.ondemand_usd_per_hour
                .map(|p| ((r.class, r.region, r.engine), p))
        })
        .collect()
}

fn node_price(
    table: &NodePrices,
    class: &str,
    region: &str,
    engine: &str,
    as_of: &'static str,
) -> Option<Price> {
    let key = |r: &str| (class.to_owned(), r.to_owned(), engine.to_owned());
    let (usd, fallback) = match table.get(&key(region)) {
        Some(p) => (*p, false),
        None => (
            *table.get(&key(FALLBACK_REGION))?,
            region != FALLBACK_REGION,
        ),
    };
    Some(Price {
        usd,
        unit: "hour",
        fallback,
        as_of,
    })
}

/// The on-demand Single-AZ hourly price of an RDS instance class for an engine named as in
/// the data (`MySQL`, `PostgreSQL`, `MariaDB`, `Aurora MySQL`, `Aurora PostgreSQL`).
pub fn rds_hourly(class: &str, region: &str, engine: &str) -> Option<Price> {
    static TABLE: OnceLock<NodePrices> = OnceLock::new();
    node_price(
        TABLE.get_or_init(|| node_table(RDS_CSV)),
        class,
        region,
        engine,
        "2021-08-03",
    )
}

/// The on-demand hourly price of an ElastiCache node type for `Redis`, `Valkey` or
/// `Memcached`.
pub fn elasticache_hourly(node_type: &str, region: &str, engine: &str) -> Option<Price> {
    static TABLE: OnceLock<NodePrices> = OnceLock::new();
    node_price(
        TABLE.get_or_init(|| node_table(ELASTICACHE_CSV)),
        node_type,
        region,
        engine,
        "2025-04-24",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_prices_match_the_documented_values() {
        assert_eq!(
            unit_price("EBS", "gp3 storage", "us-east-1").unwrap().usd,
            0.08
        );
        assert_eq!(
            unit_price("VPC", "NAT gateway hour", "us-east-1")
                .unwrap()
                .usd,
            0.045
        );
        assert_eq!(
            unit_price("ELB", "Application Load Balancer LCU-hour", "us-east-1")
                .unwrap()
                .usd,
            0.008
        );
        let fallback = unit_price("EBS", "gp3 storage", "eu-west-1").unwrap();
        assert!(
            fallback.fallback,
            "no eu-west-1 EBS price in the data: us-east-1's, marked"
        );
        assert_eq!(unit_price("EBS", "no such item", "us-east-1"), None);
    }

    #[test]
    fn database_prices_match_the_documented_values() {
        assert_eq!(
            rds_hourly("db.t3.large", "us-east-1", "MySQL").unwrap().usd,
            0.136
        );
        assert_eq!(
            rds_hourly("db.t3.large", "us-east-1", "PostgreSQL")
                .unwrap()
                .usd,
            0.145
        );
        assert_eq!(
            rds_hourly("db.t3.large", "us-east-1", "Aurora MySQL")
                .unwrap()
                .usd,
            0.164
        );
        assert_eq!(
            rds_hourly("db.m5.large", "us-east-1", "MySQL").unwrap().usd,
            0.171
        );
        assert_eq!(
            elasticache_hourly("cache.t3.micro", "us-east-1", "Redis")
                .unwrap()
                .usd,
            0.017
        );
        assert_eq!(
            elasticache_hourly("cache.m5.large", "us-east-1", "Redis")
                .unwrap()
                .usd,
            0.156
        );
        assert_eq!(
            rds_hourly("db.t4g.small", "us-east-1", "MySQL"),
            None,
            "classes after 2021 are not in the data"
        );
    }

    #[test]
    fn ec2_prices_by_region_and_rate() {
        assert_eq!(
            ec2_hourly("m5.large", "us-east-1", Ec2Rate::OnDemand)
                .unwrap()
                .usd,
            0.096
        );
        let eu = ec2_hourly("m5.large", "eu-west-1", Ec2Rate::OnDemand).unwrap();
        assert_eq!((eu.usd, eu.fallback), (0.107, false));
        assert_eq!(
            ec2_hourly("t3.medium", "us-east-1", Ec2Rate::Reserved1YearNoUpfront)
                .unwrap()
                .usd,
            0.0261
        );
        assert_eq!(
            ec2_hourly("m5.large", "us-east-1", Ec2Rate::Reserved1YearNoUpfront)
                .unwrap()
                .usd,
            0.06
        );
        assert!(
            ec2_hourly("m5.large", "us-east-1", Ec2Rate::SpotAverage)
                .unwrap()
                .usd
                < 0.096
        );
        assert_eq!(ec2_hourly("no.such", "us-east-1", Ec2Rate::OnDemand), None);
    }
}
