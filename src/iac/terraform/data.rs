//! Storage and databases in Terraform.

use serde_json::{Value, json};

use super::Tf;
use crate::aws::names as aws;
use crate::model::config::database::{CacheEngine, CapacityMode, DynamoDbEncryption, RdsEngine};
use crate::model::config::storage::{
    EfsPerformanceMode, EfsThroughputMode, FileSystemRedundancy, FsxType, S3Encryption, Versioning,
};
use crate::model::{Config, Kind, LinkKind, Resource, ResourceId};

/// A name AWS accepts for databases and caches: lower case, letters, digits and hyphens.
fn db_name(id: &str) -> String {
    let name: String = id
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let name = if name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name
    } else {
        format!("db-{name}")
    };
    name.chars()
        .take(40)
        .collect::<String>()
        .trim_end_matches('-')
        .to_string()
}

fn subnets_or_placement(t: &Tf, r: &Resource, subnets: &[ResourceId]) -> Vec<ResourceId> {
    if subnets.is_empty() {
        t.placement_subnets(r)
    } else {
        subnets.to_vec()
    }
}

/// A subnet group of type `kind` for `r`; returns a reference to its name.
fn subnet_group(t: &mut Tf, r: &Resource, kind: &str, subnets: &[ResourceId]) -> Value {
    let subnets = subnets_or_placement(t, r, subnets);
    let name = format!("{}-subnets", db_name(r.id.as_str()));
    let mut body = json!({ "name": name, "subnet_ids": t.ids(&subnets) });
    if kind == "aws_db_subnet_group"
        || kind == "aws_docdb_subnet_group"
        || kind == "aws_neptune_subnet_group"
    {
        body["description"] = json!(format!("Subnets of {}", r.label()));
    }
    let address = t.add(kind, r.id.as_str(), "subnets", body);
    json!({ "$ref": format!("{address}.name") })
}

pub(super) fn add(t: &mut Tf, r: &Resource) -> bool {
    let id = r.id.as_str();
    match &r.config {
        Config::S3Bucket(c) => bucket(t, r, c),
        Config::EbsVolume(c) => {
            if c.boot_volume {
                t.skip(
                    r,
                    "a boot volume is part of its instance (its root block device)",
                );
                return true;
            }
            let instances = t.links_from(id, LinkKind::Attachment, &[Kind::Ec2Instance]);
            let zone = match (
                instances.first(),
                t.enclosing(id, Kind::AvailabilityZone).map(|a| &a.config),
            ) {
                (Some(i), _) => t.r(i.id.as_str(), "availability_zone"),
                (None, Some(Config::AvailabilityZone(az))) => json!(az.zone),
                _ => json!(format!("{}a", t.d.region_code(id))),
            };
            let kind = format!("{:?}", c.volume_type).to_ascii_lowercase();
            let mut body = json!({ "availability_zone": zone, "size": c.size_gb, "type": kind, "encrypted": c.encrypted, "tags": t.tags(r) });
            if matches!(kind.as_str(), "io1" | "io2" | "gp3") {
                body["iops"] = json!(c.iops);
            }
            if kind == "gp3" {
                body["throughput"] = json!(c.throughput_mibps);
            }
            if c.multi_attach && matches!(kind.as_str(), "io1" | "io2") {
                body["multi_attach_enabled"] = json!(true);
            }
            t.add_main(r, body);
            for (n, i) in instances.iter().enumerate() {
                t.add(
                    "aws_volume_attachment",
                    id,
                    &super::snake(i.id.as_str()),
                    json!({
                    "device_name": format!("/dev/sd{}", (b'f' + n.min(10) as u8) as char),
                    "volume_id": t.r(id, "id"), "instance_id": t.r(i.id.as_str(), "id") }),
                );
            }
        }
        Config::EfsFileSystem(c) => {
            let mut body = json!({ "encrypted": c.encrypted,
                "performance_mode": if c.performance_mode == EfsPerformanceMode::MaxIo { "maxIO" } else { "generalPurpose" },
                "throughput_mode": format!("{:?}", c.throughput_mode).to_ascii_lowercase(), "tags": t.tags(r) });
            if c.throughput_mode == EfsThroughputMode::Provisioned {
                body["provisioned_throughput_in_mibps"] = json!(128);
            }
            if let Some(days) = c.transition_to_ia_days {
                let d = [1, 7, 14, 30, 60, 90, 180, 270, 365]
                    .into_iter()
                    .find(|d| *d >= days)
                    .unwrap_or(365);
                body["+lifecycle_policy"] = json!({ "transition_to_ia": format!("AFTER_{d}_DAY{}", if d == 1 { "" } else { "S" }) });
            }
            if c.redundancy == FileSystemRedundancy::OneZone
                && let Some(Config::AvailabilityZone(az)) = c
                    .mount_target_subnets
                    .first()
                    .and_then(|s| t.enclosing(s.as_str(), Kind::AvailabilityZone))
                    .map(|a| &a.config)
            {
                body["availability_zone_name"] = json!(az.zone);
            }
            t.add_main(r, body);
            t.add(
                "aws_efs_backup_policy",
                id,
                "backups",
                json!({ "file_system_id": t.r(id, "id"),
                "+backup_policy": { "status": "ENABLED" } }),
            );
            for s in &c.mount_target_subnets {
                t.add("aws_efs_mount_target", id, &super::snake(s.as_str()), json!({ "file_system_id": t.r(id, "id"),
                    "subnet_id": t.r(s.as_str(), "id"), "security_groups": t.ids(&c.security_groups) }));
            }
        }
        Config::FsxFileSystem(c) => {
            let multi = c.redundancy == FileSystemRedundancy::Regional && c.subnets.len() > 1;
            let subnets: Vec<ResourceId> = c
                .subnets
                .iter()
                .take(if multi { 2 } else { 1 })
                .cloned()
                .collect();
            let mut body = json!({ "storage_capacity": c.storage_gb, "subnet_ids": t.ids(&subnets), "tags": t.tags(r) });
            match c.file_system_type {
                FsxType::Windows => {
                    body["throughput_capacity"] = json!(c.throughput_mbps);
                    body["deployment_type"] =
                        json!(if multi { "MULTI_AZ_1" } else { "SINGLE_AZ_2" });
                }
                FsxType::Lustre => body["deployment_type"] = json!("SCRATCH_2"),
                FsxType::Ontap => {
                    body["throughput_capacity"] = json!(c.throughput_mbps);
                    body["deployment_type"] =
                        json!(if multi { "MULTI_AZ_1" } else { "SINGLE_AZ_1" });
                }
                FsxType::OpenZfs => {
                    body["throughput_capacity"] = json!(c.throughput_mbps);
                    body["deployment_type"] = json!("SINGLE_AZ_1");
                }
            }
            if multi && let Some(first) = subnets.first() {
                body["preferred_subnet_id"] = t.r(first.as_str(), "id");
            }
            t.add_main(r, body);
        }
        Config::GlacierVault(_) => t.add_main(r, json!({ "name": id, "tags": t.tags(r) })),
        Config::RdsInstance(c) => {
            let (engine, license) = crate::aws::names::rds_engine(c.engine);
            let group = subnet_group(t, r, "aws_db_subnet_group", &c.subnets);
            let storage = format!("{:?}", c.storage_type)
                .to_ascii_lowercase()
                .replace("magnetic", "standard");
            let mut body = json!({ "identifier": db_name(id), "instance_class": c.instance_class, "storage_type": storage,
                "multi_az": c.multi_az, "publicly_accessible": c.publicly_accessible, "db_subnet_group_name": group,
                "vpc_security_group_ids": t.ids(&c.security_groups), "iam_database_authentication_enabled": c.iam_authentication,
                "deletion_protection": c.deletion_protection, "tags": t.tags(r) });
            if let Some(primary) = t
                .links_to(id, LinkKind::Replication, &[Kind::RdsInstance])
                .first()
            {
                body["replicate_source_db"] = t.r(primary.id.as_str(), "identifier");
                body["skip_final_snapshot"] = json!(true);
                t.add_main(r, body);
                return true;
            }
            body["engine"] = json!(engine);
            body["allocated_storage"] = json!(c.allocated_storage_gb);
            body["iops"] = json!(c.iops);
            body["username"] = json!("dbadmin");
            body["manage_master_user_password"] = json!(true);
            body["storage_encrypted"] = json!(c.storage_encrypted);
            body["kms_key_id"] = c
                .kms_key
                .as_ref()
                .map_or(Value::Null, |k| t.r(k.as_str(), "arn"));
            body["backup_retention_period"] = json!(c.backup_retention_days);
            body["final_snapshot_identifier"] = json!(format!("{}-final", db_name(id)));
            if let Some(license) = license {
                body["license_model"] = json!(license);
            }
            if c.force_ssl {
                let (family, parameter) = match c.engine {
                    RdsEngine::MySql => ("mysql8.0", "require_secure_transport"),
                    RdsEngine::MariaDb => ("mariadb10.11", "require_secure_transport"),
                    RdsEngine::PostgreSql => ("postgres17", "rds.force_ssl"),
                    _ => ("", ""),
                };
                if !family.is_empty() {
                    let params = t.add(
                        "aws_db_parameter_group",
                        id,
                        "parameters",
                        json!({ "name_prefix": format!("{}-", db_name(id)),
                        "family": family, "+parameter": { "name": parameter, "value": "1" } }),
                    );
                    body["parameter_group_name"] = json!({ "$ref": format!("{params}.name") });
                    body["engine_version"] =
                        json!(family.trim_start_matches(|c: char| c.is_ascii_alphabetic()));
                }
            }
            t.add_main(r, body);
        }
        Config::AuroraCluster(c) => {
            let engine = crate::aws::names::aurora_engine(c.engine);
            let group = subnet_group(t, r, "aws_db_subnet_group", &c.subnets);
            let primary = t
                .links_to(id, LinkKind::Replication, &[Kind::AuroraCluster])
                .first()
                .map(|p| p.id.to_string());
            let mut body = json!({ "cluster_identifier": db_name(id), "engine": engine, "db_subnet_group_name": group,
                "vpc_security_group_ids": t.ids(&c.security_groups), "storage_encrypted": c.storage_encrypted,
                "backup_retention_period": c.backup_retention_days.max(1),
                "final_snapshot_identifier": format!("{}-final", db_name(id)), "tags": t.tags(r) });
            if c.io_optimized {
                body["storage_type"] = json!("aurora-iopt1");
            }
            if c.serverless {
                body["+serverlessv2_scaling_configuration"] = json!({ "min_capacity": c.min_capacity_acu, "max_capacity": c.max_capacity_acu });
            }
            match (&primary, c.global) {
                (Some(p), true) => {
                    body["global_cluster_identifier"] = json!(format!("{}-global", db_name(p)))
                }
                _ => {
                    body["master_username"] = json!("dbadmin");
                    body["manage_master_user_password"] = json!(true);
                }
            }
            if c.global && primary.is_none() {
                t.add(
                    "aws_rds_global_cluster",
                    id,
                    "global",
                    json!({ "global_cluster_identifier": format!("{}-global", db_name(id)),
                    "source_db_cluster_identifier": t.r(id, "arn"), "force_destroy": true }),
                );
            }
            t.add_main(r, body);
            let class = if c.serverless {
                "db.serverless"
            } else {
                c.instance_class.as_str()
            };
            for n in 0..=c.replicas {
                t.add(
                    "aws_rds_cluster_instance",
                    id,
                    &if n == 0 {
                        "writer".to_string()
                    } else {
                        format!("reader_{n}")
                    },
                    json!({
                    "cluster_identifier": t.r(id, "id"), "instance_class": class, "engine": engine,
                    "publicly_accessible": c.publicly_accessible }),
                );
            }
        }
        Config::DynamoDbTable(c) => {
            let key = if c.partition_key.is_empty() {
                "id"
            } else {
                c.partition_key.as_str()
            };
            let mut attributes = vec![json!({ "name": key, "type": "S" })];
            if let Some(sort) = c.sort_key.as_ref().filter(|x| !x.is_empty()) {
                attributes.push(json!({ "name": sort, "type": "S" }));
            }
            let global = !c.replica_regions.is_empty();
            let mut body = json!({ "name": if c.table_name.is_empty() { id } else { c.table_name.as_str() },
                "hash_key": key, "range_key": c.sort_key, "+attribute": attributes,
                "+point_in_time_recovery": { "enabled": c.point_in_time_recovery }, "tags": t.tags(r) });
            if c.capacity_mode == CapacityMode::Provisioned && !global {
                body["billing_mode"] = json!("PROVISIONED");
                body["read_capacity"] = json!(c.read_capacity_units.max(1));
                body["write_capacity"] = json!(c.write_capacity_units.max(1));
            } else {
                body["billing_mode"] = json!("PAY_PER_REQUEST");
            }
            if c.encryption != DynamoDbEncryption::AwsOwned {
                body["+server_side_encryption"] = json!({ "enabled": true });
            }
            if c.streams || global {
                body["stream_enabled"] = json!(true);
                body["stream_view_type"] = json!("NEW_AND_OLD_IMAGES");
            }
            let home = t.d.region_code(id).to_string();
            let replicas: Vec<Value> = c
                .replica_regions
                .iter()
                .filter(|x| **x != home)
                .map(|x| json!({ "region_name": x }))
                .collect();
            body["+replica"] = json!(replicas);
            t.add_main(r, body);
        }
        Config::ElastiCacheCluster(c) => {
            let group = subnet_group(t, r, "aws_elasticache_subnet_group", &c.subnets);
            if c.engine == CacheEngine::Memcached {
                let nodes = c.shards.max(1);
                t.add_main(r, json!({ "cluster_id": db_name(id), "engine": "memcached", "node_type": c.node_type,
                    "num_cache_nodes": nodes, "az_mode": if nodes > 1 { "cross-az" } else { "single-az" },
                    "subnet_group_name": group, "security_group_ids": t.ids(&c.security_groups), "tags": t.tags(r) }));
                return true;
            }
            let failover = c.automatic_failover && c.replicas_per_shard > 0 || c.shards > 1;
            let engine = crate::aws::names::replication_engine(c.engine);
            let mut body = json!({ "replication_group_id": db_name(id), "description": r.label(), "engine": engine,
                "node_type": c.node_type, "subnet_group_name": group, "security_group_ids": t.ids(&c.security_groups),
                "automatic_failover_enabled": failover, "multi_az_enabled": failover && c.replicas_per_shard > 0,
                "at_rest_encryption_enabled": c.encryption_at_rest, "transit_encryption_enabled": c.encryption_in_transit,
                "snapshot_retention_limit": c.snapshot_retention_days, "tags": t.tags(r) });
            if c.shards > 1 {
                body["num_node_groups"] = json!(c.shards);
                body["replicas_per_node_group"] = json!(c.replicas_per_shard);
                body["parameter_group_name"] =
                    json!(crate::aws::names::cluster_mode_parameter_group(c.engine));
            } else {
                body["num_cache_clusters"] = json!(1 + c.replicas_per_shard);
            }
            t.add_main(r, body);
        }
        Config::MemoryDbCluster(c) => {
            let group = subnet_group(t, r, "aws_memorydb_subnet_group", &c.subnets);
            t.add_main(r, json!({ "name": db_name(id), "node_type": c.node_type, "acl_name": "open-access",
                "num_shards": c.shards, "num_replicas_per_shard": c.replicas_per_shard, "tls_enabled": c.tls,
                "subnet_group_name": group, "security_group_ids": t.ids(&c.security_groups), "tags": t.tags(r) }));
        }
        Config::DocumentDbCluster(c) => {
            let group = subnet_group(t, r, "aws_docdb_subnet_group", &c.subnets);
            t.add_main(r, json!({ "cluster_identifier": db_name(id), "master_username": "docdbadmin",
                "manage_master_user_password": true, "storage_encrypted": c.storage_encrypted,
                "backup_retention_period": c.backup_retention_days.max(1), "db_subnet_group_name": group,
                "vpc_security_group_ids": t.ids(&c.security_groups), "final_snapshot_identifier": format!("{}-final", db_name(id)),
                "tags": t.tags(r) }));
            for n in 0..c.instances.max(1) {
                t.add(
                    "aws_docdb_cluster_instance",
                    id,
                    &format!("instance_{}", n + 1),
                    json!({
                    "cluster_identifier": t.r(id, "id"), "instance_class": c.instance_class }),
                );
            }
        }
        Config::KeyspacesTable(c) => {
            let keyspace = t.add(
                "aws_keyspaces_keyspace",
                id,
                "keyspace",
                json!({ "name": crate::iac::names::keyspace_name(id) }),
            );
            let capacity = match c.capacity_mode {
                CapacityMode::OnDemand => json!({ "throughput_mode": "PAY_PER_REQUEST" }),
                CapacityMode::Provisioned => {
                    json!({ "throughput_mode": "PROVISIONED", "read_capacity_units": 10, "write_capacity_units": 10 })
                }
            };
            t.add_main(r, json!({ "keyspace_name": { "$ref": format!("{keyspace}.name") }, "table_name": super::snake(id),
                "+schema_definition": { "+column": { "name": "id", "type": "text" }, "+partition_key": { "name": "id" } },
                "+capacity_specification": capacity,
                "+point_in_time_recovery": { "status": if c.point_in_time_recovery { "ENABLED" } else { "DISABLED" } },
                "tags": t.tags(r) }));
        }
        Config::NeptuneCluster(c) => {
            let group = subnet_group(t, r, "aws_neptune_subnet_group", &c.subnets);
            let mut body = json!({ "cluster_identifier": db_name(id), "storage_encrypted": c.storage_encrypted,
                "neptune_subnet_group_name": group, "vpc_security_group_ids": t.ids(&c.security_groups),
                "final_snapshot_identifier": format!("{}-final", db_name(id)), "tags": t.tags(r) });
            if c.serverless {
                body["+serverless_v2_scaling_configuration"] =
                    json!({ "min_capacity": 1, "max_capacity": 8 });
            }
            t.add_main(r, body);
            for n in 0..c.instances.max(1) {
                t.add("aws_neptune_cluster_instance", id, &format!("instance_{}", n + 1), json!({
                    "cluster_identifier": t.r(id, "id"),
                    "instance_class": if c.serverless { "db.serverless" } else { c.instance_class.as_str() } }));
            }
        }
        Config::TimestreamDatabase(c) => {
            t.add_main(r, json!({ "database_name": id, "tags": t.tags(r) }));
            t.add(
                "aws_timestreamwrite_table",
                id,
                "table",
                json!({ "database_name": t.r(id, "database_name"),
                "table_name": "measurements", "+retention_properties": {
                    "memory_store_retention_period_in_hours": c.memory_retention_hours,
                    "magnetic_store_retention_period_in_days": c.magnetic_retention_days } }),
            );
        }
        Config::InstanceStore(_) => t.skip(r, "an instance store comes with its instance type"),
        Config::QldbLedger(_) => t.skip(r, "AWS shut Amazon QLDB down on 31 July 2025"),
        _ => return false,
    }
    true
}

fn bucket(t: &mut Tf, r: &Resource, c: &crate::model::config::storage::S3Bucket) {
    let id = r.id.as_str();
    let mut body = json!({ "tags": t.tags(r) });
    if !c.bucket_name.is_empty() {
        body["bucket"] = json!(c.bucket_name);
    } else {
        body["bucket_prefix"] = json!(format!("{}-", db_name(id)));
    }
    if c.object_lock {
        body["object_lock_enabled"] = json!(true);
    }
    t.add_main(r, body);
    let bucket = t.r(id, "id");
    let replicated = !t
        .links_from(id, LinkKind::Replication, &[Kind::S3Bucket])
        .is_empty();
    let versioning = match c.versioning {
        Versioning::Enabled => Some("Enabled"),
        Versioning::Suspended if !replicated => Some("Suspended"),
        _ if replicated => Some("Enabled"),
        _ => None,
    };
    let versioning_address = versioning.map(|status| {
        t.add(
            "aws_s3_bucket_versioning",
            id,
            "versioning",
            json!({ "bucket": bucket, "+versioning_configuration": { "status": status } }),
        )
    });
    let default = match (c.encryption, &c.kms_key) {
        (S3Encryption::SseKms, key) => Some(json!({ "sse_algorithm": "aws:kms",
            "kms_master_key_id": key.as_ref().map_or(Value::Null, |k| t.r(k.as_str(), "arn")) })),
        (S3Encryption::None, _) => None,
        _ => Some(json!({ "sse_algorithm": "AES256" })),
    };
    if let Some(default) = default {
        t.add(
            "aws_s3_bucket_server_side_encryption_configuration",
            id,
            "encryption",
            json!({ "bucket": bucket,
            "+rule": { "+apply_server_side_encryption_by_default": default } }),
        );
    }
    let block = c.block_public_access;
    t.add("aws_s3_bucket_public_access_block", id, "public_access", json!({ "bucket": bucket, "block_public_acls": block,
        "block_public_policy": block, "ignore_public_acls": block, "restrict_public_buckets": block }));
    if c.website_hosting {
        t.add("aws_s3_bucket_website_configuration", id, "website", json!({ "bucket": bucket,
            "+index_document": { "suffix": "index.html" }, "+error_document": { "key": "error.html" } }));
    }
    let rules: Vec<Value> = c.lifecycle_rules.iter().enumerate().filter_map(|(n, rule)| {
        let transitions: Vec<Value> = rule.transitions.iter()
            .filter_map(|x| aws::storage_class(x.storage_class).map(|s| json!({ "days": x.days, "storage_class": s }))).collect();
        if transitions.is_empty() && rule.expiration_days.is_none() {
            return None;
        }
        let mut v = json!({ "id": format!("rule-{}", n + 1), "status": "Enabled", "+filter": { "prefix": rule.prefix },
            "+transition": transitions });
        if let Some(days) = rule.expiration_days {
            v["+expiration"] = json!({ "days": days });
        }
        Some(v)
    }).collect();
    if !rules.is_empty() {
        t.add(
            "aws_s3_bucket_lifecycle_configuration",
            id,
            "lifecycle",
            json!({ "bucket": bucket, "+rule": rules }),
        );
    }
    if let Some(logs) = &c.access_log_bucket {
        t.add(
            "aws_s3_bucket_logging",
            id,
            "logging",
            json!({ "bucket": bucket, "target_bucket": t.r(logs.as_str(), "id"),
            "target_prefix": format!("{id}/") }),
        );
        let arn = t.address(logs.as_str()).unwrap_or_default();
        t.policy_statement(logs, json!({ "Sid": format!("AccessLogsFrom{}", super::super::logical_id(id)), "Effect": "Allow",
            "Principal": { "Service": "logging.s3.amazonaws.com" }, "Action": "s3:PutObject",
            "Resource": { "$template": format!("${{{arn}.arn}}/{id}/*") } }));
    }
    if c.transfer_acceleration {
        t.add(
            "aws_s3_bucket_accelerate_configuration",
            id,
            "acceleration",
            json!({ "bucket": bucket, "status": "Enabled" }),
        );
    }
    if c.public_read_policy {
        let arn = t.address(id).unwrap_or_default();
        t.policy_statement(&r.id, json!({ "Sid": "PublicRead", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
            "Resource": { "$template": format!("${{{arn}.arn}}/*") } }));
    }
    if c.mfa_delete {
        t.note(format!(
            "{id}: MFA delete can only be turned on by the root user through the API"
        ));
    }
    let functions = t.links_from(id, LinkKind::EventTrigger, &[Kind::LambdaFunction]);
    if !functions.is_empty() {
        let mut waits = Vec::new();
        let configs: Vec<Value> = functions
            .iter()
            .map(|f| {
                json!({ "lambda_function_arn": t.r(f.id.as_str(), "arn"),
            "events": ["s3:ObjectCreated:*"] })
            })
            .collect();
        for f in &functions {
            let from = format!("from_{}", super::snake(id));
            let (permission, _) = t.reserve(
                "aws_lambda_permission",
                format!("s3 {id} {}", f.id),
                f.id.as_str(),
                &from,
            );
            waits.push(json!({ "$ref": permission }));
        }
        t.add(
            "aws_s3_bucket_notification",
            id,
            "notifications",
            json!({ "bucket": bucket, "+lambda_function": configs,
            "depends_on": waits }),
        );
    }
    let replicas = t.links_from(id, LinkKind::Replication, &[Kind::S3Bucket]);
    if !replicas.is_empty() {
        let role = super::compute::made_role(t, r, "replication", "s3.amazonaws.com", &[]);
        t.add("aws_iam_role_policy", id, "replication", json!({ "role": { "$ref": format!("{role}.id") },
            "policy": { "$call": ["jsonencode", { "Version": "2012-10-17", "Statement": [
                { "Effect": "Allow", "Action": ["s3:GetReplicationConfiguration", "s3:ListBucket"], "Resource": "*" },
                { "Effect": "Allow", "Action": ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl",
                    "s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"], "Resource": "*" }] }] } }));
        let rules: Vec<Value> = replicas
            .iter()
            .map(|to| {
                json!({ "id": format!("to-{}", to.id), "status": "Enabled",
            "+filter": { "prefix": "" }, "+delete_marker_replication": { "status": "Disabled" },
            "+destination": { "bucket": t.r(to.id.as_str(), "arn") } })
            })
            .collect();
        let mut body =
            json!({ "bucket": bucket, "role": { "$ref": format!("{role}.arn") }, "+rule": rules });
        if let Some(v) = versioning_address {
            body["depends_on"] = json!([{ "$ref": v }]);
        }
        t.add(
            "aws_s3_bucket_replication_configuration",
            id,
            "replication",
            body,
        );
    }
}
