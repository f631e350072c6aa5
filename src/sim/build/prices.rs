//! What the builder needs from the price data: vCPUs and memory of a class, hourly prices,
//! and engine defaults.

/// vCPUs of an instance type or of a database or cache class (`db.m5.large`,
/// `cache.r6g.large`: the EC2 type after the prefix).
pub(super) fn vcpus_of(class: &str) -> Option<(u32, f64)> {
    let ec2 = class
        .strip_prefix("db.")
        .or_else(|| class.strip_prefix("cache."))
        .unwrap_or(class);
    crate::aws::ec2_instance_type(ec2).map(|t| (t.vcpu, t.memory_gib))
}
/// The hourly list price of an EC2 instance type bought as `option`, in `region`.
pub(super) fn ec2_price(
    instance_type: &str,
    region: &str,
    option: crate::model::config::compute::PurchaseOption,
) -> Option<f64> {
    use crate::aws::Ec2Rate;
    use crate::model::config::compute::PurchaseOption;
    let rate = match option {
        PurchaseOption::Reserved => Ec2Rate::Reserved1YearNoUpfront,
        PurchaseOption::Spot => Ec2Rate::SpotAverage,
        _ => Ec2Rate::OnDemand,
    };
    crate::aws::ec2_hourly(instance_type, region, rate).map(|p| p.usd)
}
/// The engine as the RDS price table names it.
pub(super) fn rds_engine_name(
    engine: crate::model::config::database::RdsEngine,
) -> Option<&'static str> {
    use crate::model::config::database::RdsEngine;
    match engine {
        RdsEngine::MySql => Some("MySQL"),
        RdsEngine::PostgreSql => Some("PostgreSQL"),
        RdsEngine::MariaDb => Some("MariaDB"),
        _ => None,
    }
}
/// The engine as the ElastiCache price table names it.
pub(super) fn cache_engine_name(
    engine: crate::model::config::database::CacheEngine,
) -> &'static str {
    use crate::model::config::database::CacheEngine;
    match engine {
        CacheEngine::Redis => "Redis",
        CacheEngine::Valkey => "Valkey",
        CacheEngine::Memcached => "Memcached",
    }
}
/// The engine's default `max_connections` for a class with `memory_gib` of memory.
pub(super) fn default_connections(
    engine: crate::model::config::database::RdsEngine,
    memory_gib: f64,
) -> u32 {
    use crate::model::config::database::RdsEngine;
    let bytes = memory_gib * 1024.0 * 1024.0 * 1024.0;
    let n = match engine {
        RdsEngine::PostgreSql => (bytes / 9_531_392.0).min(5000.0),
        _ => bytes / 12_582_880.0,
    };
    n.max(1.0) as u32
}
