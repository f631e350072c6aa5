//! Facts about AWS that every analysis reads: instance types and their credits
//! (`instance_types`), list prices from the shipped tables with their provenance (`prices`,
//! `data/SOURCES.md`), and AWS's own spellings of the model's choices (`names`).

mod instance_types;
pub mod names;
mod prices;

pub use instance_types::{
    Burstable, InstanceType, burstable, ec2_instance_type, ec2_instance_types,
};
pub use prices::{
    Ec2Rate, FALLBACK_REGION, Price, PriceSource, ec2_hourly, elasticache_hourly, rds_hourly,
    unit_price,
};

/// The date of the EC2 figures, shown wherever prices are.
pub const EC2_PRICES_AS_OF: &str = "2026-07-20";

/// Hours in a month, as the AWS Pricing Calculator counts them.
pub const HOURS_PER_MONTH: f64 = 730.0;
