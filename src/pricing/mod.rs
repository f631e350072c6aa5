//! Price data: real AWS list prices shipped with the program, with their provenance in
//! `data/SOURCES.md`. Loaded once, on first use.

mod estimate;
mod instance_types;
mod kinds;
mod tables;
mod whatif;

pub use estimate::{ContainerTotal, CostReport, LineItem, NotPriced, estimate};
pub use instance_types::{
    Burstable, InstanceType, burstable, ec2_instance_type, ec2_instance_types,
};
pub use tables::{
    Ec2Rate, FALLBACK_REGION, Price, PriceSource, ec2_hourly, elasticache_hourly, rds_hourly,
    unit_price,
};
pub use whatif::{
    COMPARED, Scenario, compare_purchase_options, move_to_region, with_purchase_option,
};

/// The date of the EC2 figures, shown wherever prices are.
pub const EC2_PRICES_AS_OF: &str = "2026-07-20";

/// Hours in a month, as the AWS Pricing Calculator counts them.
pub const HOURS_PER_MONTH: f64 = 730.0;
