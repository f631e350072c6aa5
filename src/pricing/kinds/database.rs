//! Databases: DynamoDB, Aurora, RDS, ElastiCache.

use super::Lines;
use crate::aws::HOURS_PER_MONTH;
use crate::aws::{elasticache_hourly, rds_hourly};
use crate::model::config::database::*;
use crate::pricing::estimate::number;

pub(super) fn dynamodb_table(l: &mut Lines<'_>, c: &DynamoDbTable) {
    match c.capacity_mode {
        CapacityMode::OnDemand => {
            l.unit(
                "DynamoDB",
                "on-demand read request units",
                "read request units",
                c.reads_per_month_millions,
                "M RRU",
            );
            l.unit(
                "DynamoDB",
                "on-demand write request units",
                "write request units",
                c.writes_per_month_millions,
                "M WRU",
            );
        }
        CapacityMode::Provisioned => {
            l.unit(
                "DynamoDB",
                "provisioned RCU",
                "provisioned read capacity",
                f64::from(c.read_capacity_units),
                "RCU-month",
            );
            l.unit(
                "DynamoDB",
                "provisioned WCU",
                "provisioned write capacity",
                f64::from(c.write_capacity_units),
                "WCU-month",
            );
        }
    }
    l.unit(
        "DynamoDB",
        "data storage (Standard table class)",
        "storage",
        c.storage_gb,
        "GB-month",
    );
}

pub(super) fn aurora_cluster(l: &mut Lines<'_>, c: &AuroraCluster) {
    let h = HOURS_PER_MONTH;
    if c.serverless {
        l.unit(
            "Aurora",
            "Serverless v2 ACU-hour (Standard)",
            "Serverless v2 at its minimum capacity",
            c.min_capacity_acu * h,
            "ACU-h",
        );
    } else {
        let engine = if c.engine == AuroraEngine::AuroraMySql {
            "Aurora MySQL"
        } else {
            "Aurora PostgreSQL"
        };
        let count = 1.0 + f64::from(c.replicas);
        match rds_hourly(&c.instance_class, l.region, engine) {
            Some(price) => l.push(
                "Aurora",
                format!(
                    "{} × {} ({engine}, writer and replicas)",
                    number(count),
                    c.instance_class
                ),
                h * count,
                "h",
                price,
            ),
            None => l.missing(format!(
                "no {engine} price for {} in the data (classes before 2021 only)",
                c.instance_class
            )),
        }
    }
    if c.io_optimized {
        l.unit(
            "Aurora",
            "storage (I/O-Optimized config)",
            "storage (I/O-Optimized)",
            c.storage_gb,
            "GB-month",
        );
    } else {
        l.unit(
            "Aurora",
            "storage (Standard config)",
            "storage",
            c.storage_gb,
            "GB-month",
        );
        l.unit(
            "Aurora",
            "I/O requests (Standard config)",
            "I/O requests",
            c.io_requests_millions,
            "M requests",
        );
    }
}

pub(super) fn rds_instance(l: &mut Lines<'_>, c: &RdsInstance) {
    let h = HOURS_PER_MONTH;
    let engine = match c.engine {
        RdsEngine::MySql => "MySQL",
        RdsEngine::PostgreSql => "PostgreSQL",
        RdsEngine::MariaDb => "MariaDB",
        other => {
            l.missing(format!("{other:?} licensing prices are not in the data"));
            return;
        }
    };
    // Multi-AZ bills the standby too: exactly twice the Single-AZ instance and storage.
    let copies = if c.multi_az { 2.0 } else { 1.0 };
    let deployment = if c.multi_az { "Multi-AZ" } else { "Single-AZ" };
    match rds_hourly(&c.instance_class, l.region, engine) {
        Some(price) => l.push(
            "RDS",
            format!("{} {engine} {deployment}", c.instance_class),
            h * copies,
            "h",
            price,
        ),
        None => l.missing(format!(
            "no {engine} price for {} in the data (classes before 2021 only)",
            c.instance_class
        )),
    }
    let storage = f64::from(c.allocated_storage_gb) * copies;
    match c.storage_type {
        RdsStorageType::Gp2 | RdsStorageType::Gp3 => l.unit(
            "RDS",
            "gp2 storage Single-AZ",
            &format!("general purpose storage ({deployment})"),
            storage,
            "GB-month",
        ),
        RdsStorageType::Io1 | RdsStorageType::Io2 => {
            l.unit(
                "RDS",
                "io1 storage Single-AZ",
                &format!("provisioned IOPS storage ({deployment})"),
                storage,
                "GB-month",
            );
            l.unit(
                "RDS",
                "io1 provisioned IOPS Single-AZ",
                "provisioned IOPS",
                f64::from(c.iops.unwrap_or(1000)) * copies,
                "IOPS-month",
            );
        }
        RdsStorageType::Magnetic => l.unit(
            "RDS",
            "magnetic storage",
            "magnetic storage",
            storage,
            "GB-month",
        ),
    }
    l.unit(
        "RDS",
        "additional backup storage",
        "backups beyond the free allowance",
        c.extra_backup_gb,
        "GB-month",
    );
}

pub(super) fn elasticache_cluster(l: &mut Lines<'_>, c: &ElastiCacheCluster) {
    let h = HOURS_PER_MONTH;
    let engine = match c.engine {
        CacheEngine::Redis => "Redis",
        CacheEngine::Valkey => "Valkey",
        CacheEngine::Memcached => "Memcached",
    };
    let replicas = if c.engine == CacheEngine::Memcached {
        0
    } else {
        c.replicas_per_shard
    };
    let nodes = f64::from(c.shards) * (1.0 + f64::from(replicas));
    match elasticache_hourly(&c.node_type, l.region, engine) {
        Some(price) => l.push(
            "ElastiCache",
            format!("{} × {} ({engine})", number(nodes), c.node_type),
            h * nodes,
            "h",
            price,
        ),
        None => l.missing(format!("no {engine} price for {} in the data", c.node_type)),
    }
}
