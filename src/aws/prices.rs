//! Lookups in the shipped price tables. A price missing for a Region falls back to
//! us-east-1 and says so; a price missing everywhere is `None`, never $0.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::ec2_instance_type;

const UNIT_PRICES_CSV: &str = include_str!("data/aws_service_unit_prices.csv");
const EC2_REGIONAL_CSV: &str = include_str!("data/ec2_linux_regional_2024-04.csv");
const RDS_CSV: &str = include_str!("data/rds_instances_ondemand_2021-08.csv");
const ELASTICACHE_CSV: &str = include_str!("data/elasticache_nodes_2025-04.csv");
const EC2_RESERVED_SPOT_CSV: &str = include_str!("data/ec2_us-east-1_reserved_spot_2025-06.csv");

/// The Region whose prices stand in where a Region has none.
pub const FALLBACK_REGION: &str = "us-east-1";

/// Where a price comes from: the shipped table, the key of its row and the price column,
/// so that any line of an estimate can be traced to, and checked against, its row.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct PriceSource {
    /// File name of the table in the price data.
    pub table: &'static str,
    /// Names of the key columns of the table.
    pub key_columns: &'static [&'static str],
    /// Values of the key columns in the row, in the same order.
    pub key: [&'static str; 3],
    /// The column holding the price.
    pub column: &'static str,
}

impl std::fmt::Display for PriceSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let key = &self.key[..self.key_columns.len().min(3)];
        write!(f, "{} [{}] {}", self.table, key.join(", "), self.column)
    }
}

const UNIT_PRICES: &str = "aws_service_unit_prices.csv";
const EC2_SPECS: &str = "ec2_us-east-1_specs_ondemand_2026-07.csv";
const EC2_REGIONAL: &str = "ec2_linux_regional_2024-04.csv";
const EC2_RESERVED_SPOT: &str = "ec2_us-east-1_reserved_spot_2025-06.csv";

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
    /// The row it was read from.
    pub source: PriceSource,
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

/// The key of a unit price: service, item (ASCII case folded) and Region in one string,
/// written into `key`.
fn write_unit_key(key: &mut String, service: &str, item: &str, region: &str) {
    key.clear();
    key.push_str(service);
    key.push('\u{1f}');
    let start = key.len();
    key.push_str(item);
    key[start..].make_ascii_lowercase();
    key.push('\u{1f}');
    key.push_str(region);
}

fn unit_key(service: &str, item: &str, region: &str) -> String {
    let mut key = String::with_capacity(service.len() + item.len() + region.len() + 2);
    write_unit_key(&mut key, service, item, region);
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
    thread_local! {
        // Lookups happen for every line of every estimate: one buffer, no allocation.
        static KEY: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    }
    let rows = unit_rows();
    let (row, fallback) = KEY.with_borrow_mut(|key| {
        write_unit_key(key, service, item, region);
        if let Some(row) = rows.get(key.as_str()) {
            return Some((row, false));
        }
        write_unit_key(key, service, item, FALLBACK_REGION);
        Some((rows.get(key.as_str())?, region != FALLBACK_REGION))
    })?;
    Some(Price {
        usd: row.price_usd,
        unit: row.unit.as_str(),
        fallback,
        as_of: row.as_of.as_str(),
        source: PriceSource {
            table: UNIT_PRICES,
            key_columns: &["service", "item", "region"],
            key: [&row.service, &row.item, &row.region],
            column: "price_usd",
        },
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
    let fallback = region != FALLBACK_REGION;
    match rate {
        Ec2Rate::OnDemand => {
            if !fallback && let Some(price) = ec2_specs_ondemand(instance_type, false) {
                return Some(price);
            }
            regional_price(instance_type, region, false)
                .or_else(|| ec2_specs_ondemand(instance_type, fallback))
        }
        Ec2Rate::Reserved1YearNoUpfront => {
            let (name, usd) = reserved().get_key_value(instance_type)?;
            Some(Price {
                usd: *usd,
                unit: "hour",
                fallback,
                as_of: "2025-06-13",
                source: PriceSource {
                    table: EC2_RESERVED_SPOT,
                    key_columns: &["instance_type"],
                    key: [name, "", ""],
                    column: "reserved_linux_1yr_standard_noupfront_usd_per_hour",
                },
            })
        }
        Ec2Rate::SpotAverage => regional_price(instance_type, region, true)
            .or_else(|| regional_price(instance_type, FALLBACK_REGION, true))
            .map(|price| Price {
                fallback: price.source.key[1] != region,
                ..price
            }),
    }
}

/// The us-east-1 on-demand price from the specifications table.
fn ec2_specs_ondemand(instance_type: &str, fallback: bool) -> Option<Price> {
    let t = ec2_instance_type(instance_type)?;
    Some(Price {
        usd: t.ondemand_usd_per_hour?,
        unit: "hour",
        fallback,
        as_of: super::EC2_PRICES_AS_OF,
        source: PriceSource {
            table: EC2_SPECS,
            key_columns: &["instance_type"],
            key: [&t.instance_type, "", ""],
            column: "ondemand_linux_usd_per_hour",
        },
    })
}

/// The on-demand (or average spot) price in the regional table.
fn regional_price(instance_type: &str, region: &str, spot: bool) -> Option<Price> {
    let ((name, row_region), prices) =
        regional().get_key_value(&(instance_type.to_owned(), region.to_owned()))?;
    let (usd, column) = if spot {
        (prices.1?, "spot_avg_linux_usd_per_hour")
    } else {
        (prices.0?, "ondemand_linux_usd_per_hour")
    };
    Some(Price {
        usd,
        unit: "hour",
        fallback: false,
        as_of: "2024-04-04",
        source: PriceSource {
            table: EC2_REGIONAL,
            key_columns: &["instance_type", "region"],
            key: [name, row_region, ""],
            column,
        },
    })
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

/// A node table and its provenance.
struct NodeTable {
    prices: NodePrices,
    file: &'static str,
    key_columns: &'static [&'static str],
    as_of: &'static str,
}

fn node_price(table: &'static NodeTable, class: &str, region: &str, engine: &str) -> Option<Price> {
    let key = |r: &str| (class.to_owned(), r.to_owned(), engine.to_owned());
    let ((row_class, row_region, row_engine), usd) = table
        .prices
        .get_key_value(&key(region))
        .or_else(|| table.prices.get_key_value(&key(FALLBACK_REGION)))?;
    Some(Price {
        usd: *usd,
        unit: "hour",
        fallback: row_region != region,
        as_of: table.as_of,
        source: PriceSource {
            table: table.file,
            key_columns: table.key_columns,
            key: [row_class, row_region, row_engine],
            column: "ondemand_usd_per_hour",
        },
    })
}

/// The on-demand Single-AZ hourly price of an RDS instance class for an engine named as in
/// the data (`MySQL`, `PostgreSQL`, `MariaDB`, `Aurora MySQL`, `Aurora PostgreSQL`).
pub fn rds_hourly(class: &str, region: &str, engine: &str) -> Option<Price> {
    static TABLE: OnceLock<NodeTable> = OnceLock::new();
    let table = TABLE.get_or_init(|| NodeTable {
        prices: node_table(RDS_CSV),
        file: "rds_instances_ondemand_2021-08.csv",
        key_columns: &["instance_class", "region", "engine"],
        as_of: "2021-08-03",
    });
    node_price(table, class, region, engine)
}

/// The on-demand hourly price of an ElastiCache node type for `Redis`, `Valkey` or
/// `Memcached`.
pub fn elasticache_hourly(node_type: &str, region: &str, engine: &str) -> Option<Price> {
    static TABLE: OnceLock<NodeTable> = OnceLock::new();
    let table = TABLE.get_or_init(|| NodeTable {
        prices: node_table(ELASTICACHE_CSV),
        file: "elasticache_nodes_2025-04.csv",
        key_columns: &["node_type", "region", "engine"],
        as_of: "2025-04-24",
    });
    node_price(table, node_type, region, engine)
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
