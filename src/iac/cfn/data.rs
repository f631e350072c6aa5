//! Storage and databases: buckets, volumes, file systems, RDS, Aurora, DynamoDB, caches
//! and the other managed databases.

use serde_json::{Value, json};

use super::Builder;
use crate::aws::names as aws;
use crate::model::config::database::{
    CacheEngine, CapacityMode, DynamoDbEncryption, RdsEngine, RdsStorageType,
};
use crate::model::config::storage::{
    EfsPerformanceMode, EfsThroughputMode, FileSystemRedundancy, FsxType, S3Encryption, Versioning,
    VolumeType,
};
use crate::model::{Config, Kind, LinkKind, Resource, ResourceId};

/// Adds `r` when it is a storage or database resource; false for other kinds.
pub(super) fn add(b: &mut Builder, r: &Resource) -> bool {
    let id = r.id.as_str();
    match &r.config {
        Config::S3Bucket(c) => bucket(b, r, c),
        Config::EbsVolume(c) => {
            if c.boot_volume {
                b.skip(r, "a boot volume is part of its instance (its root device)");
                return true;
            }
            let instances = b.links_from(id, LinkKind::Attachment, &[Kind::Ec2Instance]);
            let zone = if let Some(first) = instances.first() {
                b.att(first.id.as_str(), "AvailabilityZone")
            } else if let Some(Config::AvailabilityZone(az)) =
                b.enclosing(id, Kind::AvailabilityZone).map(|a| &a.config)
            {
                b.zone(&az.zone, id)
            } else {
                json!({ "Fn::Select": [0, { "Fn::GetAZs": "" }] })
            };
            let kind = volume_type(c.volume_type);
            let mut props = json!({ "AvailabilityZone": zone, "Size": c.size_gb, "VolumeType": kind,
                "Encrypted": c.encrypted, "Tags": b.tags(r) });
            if let Some(iops) = c.iops.filter(|_| matches!(kind, "io1" | "io2" | "gp3")) {
                props["Iops"] = json!(iops);
            }
            if let Some(t) = c.throughput_mibps.filter(|_| kind == "gp3") {
                props["Throughput"] = json!(t);
            }
            if c.multi_attach && matches!(kind, "io1" | "io2") {
                props["MultiAttachEnabled"] = json!(true);
            }
            b.add_main(r, "AWS::EC2::Volume", props).snapshot_on_delete();
            for (index, instance) in instances.iter().enumerate() {
                let name = b.derived(id, "Attachment");
                let device = format!("/dev/sd{}", (b'f' + index.min(10) as u8) as char);
                let props = json!({ "InstanceId": b.r(instance.id.as_str()), "VolumeId": b.r(id),
                    "Device": device });
                b.add(&name, "AWS::EC2::VolumeAttachment", props);
            }
        }
        Config::InstanceStore(_) => b.skip(
            r,
            "an instance store comes with its instance type; there is nothing to create",
        ),
        Config::EfsFileSystem(c) => {
            let mut props = json!({ "Encrypted": c.encrypted,
                "PerformanceMode": match c.performance_mode {
                    EfsPerformanceMode::GeneralPurpose => "generalPurpose",
                    EfsPerformanceMode::MaxIo => "maxIO" },
                "ThroughputMode": match c.throughput_mode {
                    EfsThroughputMode::Bursting => "bursting",
                    EfsThroughputMode::Elastic => "elastic",
                    EfsThroughputMode::Provisioned => "provisioned" },
                "BackupPolicy": { "Status": "ENABLED" },
                "FileSystemTags": b.tags(r) });
            if c.throughput_mode == EfsThroughputMode::Provisioned {
                props["ProvisionedThroughputInMibps"] = json!(128);
                b.note(format!("{id}: provisioned throughput set to 128 MiB/s; the diagram does not give it"));
            }
            if let Some(days) = c.transition_to_ia_days {
                const AFTER: &[u32] = &[1, 7, 14, 30, 60, 90, 180, 270, 365];
                let d = AFTER.iter().copied().find(|d| *d >= days).unwrap_or(365);
                props["LifecyclePolicies"] = json!([{ "TransitionToIA": format!("AFTER_{d}_DAY{}", if d == 1 { "" } else { "S" }) }]);
            }
            if c.redundancy == FileSystemRedundancy::OneZone
                && let Some(first) = c.mount_target_subnets.first()
                && let Some(Config::AvailabilityZone(az)) =
                    b.enclosing(first.as_str(), Kind::AvailabilityZone).map(|a| &a.config)
            {
                props["AvailabilityZoneName"] = b.zone(&az.zone, id);
            }
            b.add_main(r, "AWS::EFS::FileSystem", props).retain_on_delete();
            let groups = security_groups_or_default(b, &c.security_groups, c.mount_target_subnets.first());
            for subnet in &c.mount_target_subnets {
                let name = b.derived(id, "MountTarget");
                let props = json!({ "FileSystemId": b.r(id), "SubnetId": b.r(subnet.as_str()),
                    "SecurityGroups": groups });
                b.add(&name, "AWS::EFS::MountTarget", props);
            }
        }
        Config::FsxFileSystem(c) => {
            let multi = c.redundancy == FileSystemRedundancy::Regional && c.subnets.len() > 1;
            let subnets: Vec<ResourceId> = if multi {
                c.subnets.iter().take(2).cloned().collect()
            } else {
                c.subnets.iter().take(1).cloned().collect()
            };
            let (kind, key, config) = match c.file_system_type {
                FsxType::Windows => ("WINDOWS", "WindowsConfiguration", json!({
                    "ThroughputCapacity": c.throughput_mbps,
                    "DeploymentType": if multi { "MULTI_AZ_1" } else { "SINGLE_AZ_2" } })),
                FsxType::Lustre => ("LUSTRE", "LustreConfiguration", json!({ "DeploymentType": "SCRATCH_2" })),
                FsxType::Ontap => ("ONTAP", "OntapConfiguration", json!({
                    "ThroughputCapacity": c.throughput_mbps,
                    "DeploymentType": if multi { "MULTI_AZ_1" } else { "SINGLE_AZ_1" } })),
                FsxType::OpenZfs => ("OPENZFS", "OpenZFSConfiguration", json!({
                    "ThroughputCapacity": c.throughput_mbps, "DeploymentType": "SINGLE_AZ_1" })),
            };
            let mut props = json!({ "FileSystemType": kind, "StorageCapacity": c.storage_gb,
                "SubnetIds": b.refs(&subnets), key: config, "Tags": b.tags(r) });
            if multi && matches!(c.file_system_type, FsxType::Windows | FsxType::Ontap) {
                props[key]["PreferredSubnetId"] = b.r(subnets[0].as_str());
            }
            b.add_main(r, "AWS::FSx::FileSystem", props).retain_on_delete();
        }
        Config::GlacierVault(_) => b.skip(
            r,
            "S3 Glacier vaults have no CloudFormation resource; an S3 bucket with a Glacier storage class is the usual replacement",
        ),
        Config::RdsInstance(c) => rds(b, r, c),
        Config::AuroraCluster(c) => aurora(b, r, c),
        Config::DynamoDbTable(c) => dynamodb(b, r, c),
        Config::ElastiCacheCluster(c) => {
            let group = subnet_group(b, r, &c.subnets, "AWS::ElastiCache::SubnetGroup", "Description", "SubnetIds");
            let groups = b.refs(&c.security_groups);
            if c.engine == CacheEngine::Memcached {
                let nodes = c.shards.max(1);
                let props = json!({ "Engine": "memcached", "CacheNodeType": c.node_type,
                    "NumCacheNodes": nodes, "CacheSubnetGroupName": group, "VpcSecurityGroupIds": groups,
                    "AZMode": if nodes > 1 { "cross-az" } else { "single-az" }, "Tags": b.tags(r) });
                b.add_main(r, "AWS::ElastiCache::CacheCluster", props);
                return true;
            }
            let engine = crate::aws::names::replication_engine(c.engine);
            let failover = c.automatic_failover && c.replicas_per_shard > 0 || c.shards > 1;
            let mut props = json!({ "ReplicationGroupDescription": r.label(), "Engine": engine,
                "CacheNodeType": c.node_type, "CacheSubnetGroupName": group,
                "SecurityGroupIds": groups, "AutomaticFailoverEnabled": failover,
                "MultiAZEnabled": failover && c.replicas_per_shard > 0,
                "AtRestEncryptionEnabled": c.encryption_at_rest,
                "TransitEncryptionEnabled": c.encryption_in_transit,
                "SnapshotRetentionLimit": c.snapshot_retention_days, "Tags": b.tags(r) });
            if c.shards > 1 {
                props["NumNodeGroups"] = json!(c.shards);
                props["ReplicasPerNodeGroup"] = json!(c.replicas_per_shard);
                props["CacheParameterGroupName"] =
                    json!(crate::aws::names::cluster_mode_parameter_group(c.engine));
            } else {
                props["NumCacheClusters"] = json!(1 + c.replicas_per_shard);
            }
            b.add_main(r, "AWS::ElastiCache::ReplicationGroup", props);
        }
        Config::MemoryDbCluster(c) => {
            let subnets = subnets_or_placement(b, r, &c.subnets);
            let group = b.derived(id, "SubnetGroup");
            let props = json!({ "SubnetGroupName": format!("{id}-subnets"), "SubnetIds": b.refs(&subnets) });
            b.add(&group, "AWS::MemoryDB::SubnetGroup", props);
            let props = json!({ "ClusterName": id, "NodeType": c.node_type, "ACLName": "open-access",
                "NumShards": c.shards, "NumReplicasPerShard": c.replicas_per_shard,
                "TLSEnabled": c.tls, "SubnetGroupName": { "Ref": group },
                "SecurityGroupIds": b.refs(&c.security_groups), "Tags": b.tags(r) });
            b.add_main(r, "AWS::MemoryDB::Cluster", props).retain_on_delete();
        }
        Config::DocumentDbCluster(c) => {
            let group = subnet_group(b, r, &c.subnets, "AWS::DocDB::DBSubnetGroup", "DBSubnetGroupDescription", "SubnetIds");
            let secret = b.derived(id, "MasterSecret");
            let props = json!({ "Description": format!("Master user of {}", r.label()),
                "GenerateSecretString": { "SecretStringTemplate": "{\"username\":\"docdbadmin\"}",
                    "GenerateStringKey": "password", "PasswordLength": 32,
                    "ExcludeCharacters": "\"@/\\" } });
            b.add(&secret, "AWS::SecretsManager::Secret", props);
            let props = json!({ "MasterUsername": "docdbadmin",
                "MasterUserPassword": { "Fn::Sub": format!("{{{{resolve:secretsmanager:${{{secret}}}::password}}}}") },
                "StorageEncrypted": c.storage_encrypted, "BackupRetentionPeriod": c.backup_retention_days.max(1),
                "DBSubnetGroupName": group, "VpcSecurityGroupIds": b.refs(&c.security_groups),
                "Tags": b.tags(r) });
            b.add_main(r, "AWS::DocDB::DBCluster", props).snapshot_on_delete();
            for n in 0..c.instances.max(1) {
                let name = b.derived(id, &format!("Instance{}", n + 1));
                let props = json!({ "DBClusterIdentifier": b.r(id), "DBInstanceClass": c.instance_class });
                b.add(&name, "AWS::DocDB::DBInstance", props);
            }
        }
        Config::KeyspacesTable(c) => {
            let keyspace = b.derived(id, "Keyspace");
            b.add(
                &keyspace,
                "AWS::Cassandra::Keyspace",
                json!({ "KeyspaceName": crate::iac::names::keyspace_name(id) }),
            );
            let mode = match c.capacity_mode {
                CapacityMode::OnDemand => json!({ "Mode": "ON_DEMAND" }),
                CapacityMode::Provisioned => json!({ "Mode": "PROVISIONED",
                    "ProvisionedThroughput": { "ReadCapacityUnits": 10, "WriteCapacityUnits": 10 } }),
            };
            let props = json!({ "KeyspaceName": { "Ref": keyspace },
                "PartitionKeyColumns": [{ "ColumnName": "id", "ColumnType": "text" }],
                "BillingMode": mode, "PointInTimeRecoveryEnabled": c.point_in_time_recovery,
                "Tags": b.tags(r) });
            b.add_main(r, "AWS::Cassandra::Table", props).retain_on_delete();
        }
        Config::NeptuneCluster(c) => {
            let group = subnet_group(b, r, &c.subnets, "AWS::Neptune::DBSubnetGroup", "DBSubnetGroupDescription", "SubnetIds");
            let mut props = json!({ "StorageEncrypted": c.storage_encrypted, "DBSubnetGroupName": group,
                "VpcSecurityGroupIds": b.refs(&c.security_groups), "Tags": b.tags(r) });
            if c.serverless {
                props["ServerlessScalingConfiguration"] = json!({ "MinCapacity": 1, "MaxCapacity": 8 });
            }
            b.add_main(r, "AWS::Neptune::DBCluster", props).snapshot_on_delete();
            let class = if c.serverless { "db.serverless" } else { c.instance_class.as_str() };
            for n in 0..c.instances.max(1) {
                let name = b.derived(id, &format!("Instance{}", n + 1));
                let props = json!({ "DBClusterIdentifier": b.r(id), "DBInstanceClass": class });
                b.add(&name, "AWS::Neptune::DBInstance", props);
            }
        }
        Config::TimestreamDatabase(c) => {
            b.add_main(r, "AWS::Timestream::Database", json!({ "Tags": b.tags(r) }))
                .retain_on_delete();
            let name = b.derived(id, "Table");
            let props = json!({ "DatabaseName": b.r(id), "RetentionProperties": {
                "MemoryStoreRetentionPeriodInHours": c.memory_retention_hours.to_string(),
                "MagneticStoreRetentionPeriodInDays": c.magnetic_retention_days.to_string() } });
            b.add(&name, "AWS::Timestream::Table", props);
        }
        Config::QldbLedger(_) => b.skip(
            r,
            "AWS shut Amazon QLDB down on 31 July 2025; Aurora PostgreSQL is its suggested replacement",
        ),
        _ => return false,
    }
    true
}

fn volume_type(v: VolumeType) -> &'static str {
    match v {
        VolumeType::Gp2 => "gp2",
        VolumeType::Gp3 => "gp3",
        VolumeType::Io1 => "io1",
        VolumeType::Io2 => "io2",
        VolumeType::St1 => "st1",
        VolumeType::Sc1 => "sc1",
        VolumeType::Standard => "standard",
    }
}

/// The given subnets, or where the resource sits when it names none.
fn subnets_or_placement(b: &Builder, r: &Resource, subnets: &[ResourceId]) -> Vec<ResourceId> {
    if subnets.is_empty() {
        b.placement_subnets(r)
    } else {
        subnets.to_vec()
    }
}

/// A database's subnet group; returns a reference to it.
fn subnet_group(
    b: &mut Builder,
    r: &Resource,
    subnets: &[ResourceId],
    kind: &str,
    description_key: &str,
    subnets_key: &str,
) -> Value {
    let subnets = subnets_or_placement(b, r, subnets);
    let name = b.derived(r.id.as_str(), "SubnetGroup");
    let props = json!({ description_key: format!("Subnets of {}", r.label()),
        subnets_key: b.refs(&subnets) });
    b.add(&name, kind, props);
    json!({ "Ref": name })
}

/// The security groups given, or the VPC's default group when none is.
fn security_groups_or_default(
    b: &mut Builder,
    groups: &[ResourceId],
    subnet: Option<&ResourceId>,
) -> Value {
    if !groups.is_empty() {
        return b.refs(groups);
    }
    match subnet.and_then(|s| b.enclosing(s.as_str(), Kind::Vpc)) {
        // A VPC made elsewhere is a parameter, which has no attributes: its default group
        // is asked for too.
        Some(vpc) if matches!(&vpc.config, Config::Vpc(c) if c.made_elsewhere) => {
            let name = format!("{}DefaultSecurityGroup", b.id(vpc.id.as_str()));
            let description = format!("The default security group of the VPC {}", vpc.label());
            json!([b.parameter(
                &name,
                json!({ "Type": "AWS::EC2::SecurityGroup::Id",
                "Description": super::stack::truncate(&description, 4000) })
            )])
        }
        Some(vpc) => json!([b.att(vpc.id.as_str(), "DefaultSecurityGroup")]),
        None => json!([]),
    }
}

fn bucket(b: &mut Builder, r: &Resource, c: &crate::model::config::storage::S3Bucket) {
    let id = r.id.as_str();
    let block = c.block_public_access;
    let mut props = json!({ "PublicAccessBlockConfiguration": { "BlockPublicAcls": block,
        "BlockPublicPolicy": block, "IgnorePublicAcls": block, "RestrictPublicBuckets": block },
        "Tags": b.tags(r) });
    if !c.bucket_name.is_empty() {
        props["BucketName"] = json!(c.bucket_name);
    }
    match c.versioning {
        Versioning::Disabled => {}
        Versioning::Enabled => props["VersioningConfiguration"] = json!({ "Status": "Enabled" }),
        Versioning::Suspended => {
            props["VersioningConfiguration"] = json!({ "Status": "Suspended" })
        }
    }
    let encryption = match (c.encryption, &c.kms_key) {
        (S3Encryption::SseKms, Some(key)) => {
            Some(json!({ "SSEAlgorithm": "aws:kms", "KMSMasterKeyID": b.att(key.as_str(), "Arn") }))
        }
        (S3Encryption::SseKms, None) => Some(json!({ "SSEAlgorithm": "aws:kms" })),
        (S3Encryption::SseS3 | S3Encryption::SseC, _) => Some(json!({ "SSEAlgorithm": "AES256" })),
        (S3Encryption::None, _) => None,
    };
    if let Some(default) = encryption {
        props["BucketEncryption"] = json!({ "ServerSideEncryptionConfiguration": [
            { "ServerSideEncryptionByDefault": default }] });
    }
    if c.website_hosting {
        props["WebsiteConfiguration"] =
            json!({ "IndexDocument": "index.html", "ErrorDocument": "error.html" });
    }
    let rules: Vec<Value> = c
        .lifecycle_rules
        .iter()
        .enumerate()
        .filter_map(|(n, rule)| {
            let transitions: Vec<Value> = rule
                .transitions
                .iter()
                .filter_map(|t| {
                    aws::storage_class(t.storage_class)
                        .map(|s| json!({ "StorageClass": s, "TransitionInDays": t.days }))
                })
                .collect();
            if transitions.is_empty() && rule.expiration_days.is_none() {
                return None;
            }
            let mut v = json!({ "Id": format!("rule-{}", n + 1), "Status": "Enabled" });
            if !rule.prefix.is_empty() {
                v["Prefix"] = json!(rule.prefix);
            }
            if !transitions.is_empty() {
                v["Transitions"] = json!(transitions);
            }
            if let Some(days) = rule.expiration_days {
                v["ExpirationInDays"] = json!(days);
            }
            Some(v)
        })
        .collect();
    if !rules.is_empty() {
        props["LifecycleConfiguration"] = json!({ "Rules": rules });
    }
    if let Some(logs) = &c.access_log_bucket {
        props["LoggingConfiguration"] = json!({ "DestinationBucketName": b.r(logs.as_str()),
            "LogFilePrefix": format!("{id}/") });
        let statement = json!({ "Sid": format!("AccessLogsFrom{}", b.id(id)), "Effect": "Allow",
            "Principal": { "Service": "logging.s3.amazonaws.com" }, "Action": "s3:PutObject",
            "Resource": { "Fn::Sub": format!("${{{}.Arn}}/{id}/*", b.id(logs.as_str())) } });
        b.policy_statement(logs.as_str(), statement);
    }
    if c.object_lock {
        props["ObjectLockEnabled"] = json!(true);
    }
    if c.transfer_acceleration {
        props["AccelerateConfiguration"] = json!({ "AccelerationStatus": "Enabled" });
    }
    if c.mfa_delete {
        b.note(format!("{id}: MFA delete can only be turned on by the root user through the API, not by CloudFormation"));
    }
    if c.public_read_policy {
        let statement = json!({ "Sid": "PublicRead", "Effect": "Allow", "Principal": "*",
            "Action": "s3:GetObject", "Resource": { "Fn::Sub": format!("${{{}.Arn}}/*", b.id(id)) } });
        b.policy_statement(id, statement);
    }
    // Event notifications to functions wait for the permission to invoke them.
    let functions = b.links_from(id, LinkKind::EventTrigger, &[Kind::LambdaFunction]);
    let mut permissions = Vec::new();
    if !functions.is_empty() {
        let configs: Vec<Value> = functions
            .iter()
            .map(|f| json!({ "Event": "s3:ObjectCreated:*", "Function": b.att(f.id.as_str(), "Arn") }))
            .collect();
        props["NotificationConfiguration"] = json!({ "LambdaConfigurations": configs });
        for f in &functions {
            permissions.push(b.bucket_permission(id, f.id.as_str()));
        }
    }
    let replicas = b.links_from(id, LinkKind::Replication, &[Kind::S3Bucket]);
    if !replicas.is_empty() {
        let statements = vec![
            json!({ "Effect": "Allow", "Action": ["s3:GetReplicationConfiguration", "s3:ListBucket"],
                "Resource": { "Fn::Sub": format!("arn:${{AWS::Partition}}:s3:::*") } }),
            json!({ "Effect": "Allow", "Action": ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl",
                "s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"], "Resource": "*" }),
        ];
        let role = b.made_role(r, "ReplicationRole", "s3.amazonaws.com", &[], statements);
        let rules: Vec<Value> = replicas
            .iter()
            .enumerate()
            .map(|(n, to)| {
                json!({ "Id": format!("to-{}", to.id), "Status": "Enabled", "Priority": n + 1,
                "Filter": { "Prefix": "" }, "DeleteMarkerReplication": { "Status": "Disabled" },
                "Destination": { "Bucket": b.att(to.id.as_str(), "Arn") } })
            })
            .collect();
        props["ReplicationConfiguration"] = json!({ "Role": role, "Rules": rules });
        if c.versioning != Versioning::Enabled {
            props["VersioningConfiguration"] = json!({ "Status": "Enabled" });
            b.note(format!(
                "{id}: versioning turned on, which replication requires"
            ));
        }
    }
    let entry = b.add_main(r, "AWS::S3::Bucket", props);
    entry.retain_on_delete();
    for p in permissions {
        entry.depends_on(p);
    }
}

fn rds(b: &mut Builder, r: &Resource, c: &crate::model::config::database::RdsInstance) {
    let id = r.id.as_str();
    let (engine, license) = crate::aws::names::rds_engine(c.engine);
    let source = b
        .links_to(id, LinkKind::Replication, &[Kind::RdsInstance])
        .into_iter()
        .next();
    let group = subnet_group(
        b,
        r,
        &c.subnets,
        "AWS::RDS::DBSubnetGroup",
        "DBSubnetGroupDescription",
        "SubnetIds",
    );
    let storage = match c.storage_type {
        RdsStorageType::Gp2 => "gp2",
        RdsStorageType::Gp3 => "gp3",
        RdsStorageType::Io1 => "io1",
        RdsStorageType::Io2 => "io2",
        RdsStorageType::Magnetic => "standard",
    };
    let mut props = json!({ "DBInstanceClass": c.instance_class, "StorageType": storage,
        "MultiAZ": c.multi_az, "PubliclyAccessible": c.publicly_accessible,
        "DBSubnetGroupName": group, "VPCSecurityGroups": b.refs(&c.security_groups),
        "EnableIAMDatabaseAuthentication": c.iam_authentication,
        "DeletionProtection": c.deletion_protection, "Tags": b.tags(r) });
    if let Some(iops) = c.iops.filter(|_| matches!(storage, "io1" | "io2" | "gp3")) {
        props["Iops"] = json!(iops);
    }
    if let Some(primary) = source {
        // A read replica takes its engine, storage and user from its source.
        let same_region = b.d.region_code(primary.id.as_str()) == b.d.region_code(id);
        props["SourceDBInstanceIdentifier"] = if same_region {
            b.r(primary.id.as_str())
        } else {
            b.att(primary.id.as_str(), "DBInstanceArn")
        };
        if !same_region {
            props.as_object_mut().map(|m| m.remove("DBSubnetGroupName"));
        }
        b.add_main(r, "AWS::RDS::DBInstance", props);
        return;
    }
    props["Engine"] = json!(engine);
    props["AllocatedStorage"] = json!(c.allocated_storage_gb.to_string());
    props["MasterUsername"] = json!("dbadmin");
    props["ManageMasterUserPassword"] = json!(true);
    props["StorageEncrypted"] = json!(c.storage_encrypted);
    props["BackupRetentionPeriod"] = json!(c.backup_retention_days);
    if let Some(license) = license {
        props["LicenseModel"] = json!(license);
    }
    if let Some(key) = &c.kms_key {
        props["KmsKeyId"] = b.att(key.as_str(), "Arn");
    }
    if c.force_ssl {
        let (family, version, parameter) = match c.engine {
            RdsEngine::MySql => ("mysql8.0", "8.0", "require_secure_transport"),
            RdsEngine::MariaDb => ("mariadb10.11", "10.11", "require_secure_transport"),
            RdsEngine::PostgreSql => ("postgres17", "17", "rds.force_ssl"),
            RdsEngine::SqlServer => ("sqlserver-se-16.0", "16.00", "rds.force_ssl"),
            RdsEngine::Oracle | RdsEngine::Db2 => ("", "", ""),
        };
        if !family.is_empty() {
            let name = b.derived(id, "Parameters");
            let p = json!({ "Family": family, "Description": format!("Encrypted connections only for {}", r.label()),
                "Parameters": { parameter: "1" } });
            b.add(&name, "AWS::RDS::DBParameterGroup", p);
            props["DBParameterGroupName"] = json!({ "Ref": name });
            props["EngineVersion"] = json!(version);
        } else {
            b.note(format!("{id}: encrypted connections are set through an option group for this engine, not exported"));
        }
    }
    b.add_main(r, "AWS::RDS::DBInstance", props)
        .snapshot_on_delete();
}

fn aurora(b: &mut Builder, r: &Resource, c: &crate::model::config::database::AuroraCluster) {
    let id = r.id.as_str();
    let engine = crate::aws::names::aurora_engine(c.engine);
    let primary = b
        .links_to(id, LinkKind::Replication, &[Kind::AuroraCluster])
        .into_iter()
        .next();
    let group = subnet_group(
        b,
        r,
        &c.subnets,
        "AWS::RDS::DBSubnetGroup",
        "DBSubnetGroupDescription",
        "SubnetIds",
    );
    let mut props = json!({ "Engine": engine, "DBSubnetGroupName": group,
        "VpcSecurityGroupIds": b.refs(&c.security_groups), "StorageEncrypted": c.storage_encrypted,
        "BackupRetentionPeriod": c.backup_retention_days.max(1), "Tags": b.tags(r) });
    if c.io_optimized {
        props["StorageType"] = json!("aurora-iopt1");
    }
    if c.serverless {
        props["ServerlessV2ScalingConfiguration"] = json!({ "MinCapacity": c.min_capacity_acu,
            "MaxCapacity": c.max_capacity_acu });
    }
    match primary {
        Some(primary) if c.global => {
            // A secondary of a global database joins it by name; its stack follows the
            // primary's.
            props["GlobalClusterIdentifier"] = json!(global_name(primary.id.as_str()));
        }
        _ => {
            props["MasterUsername"] = json!("dbadmin");
            props["ManageMasterUserPassword"] = json!(true);
        }
    }
    b.add_main(r, "AWS::RDS::DBCluster", props)
        .snapshot_on_delete();
    if c.global && primary.is_none() {
        let name = b.derived(id, "Global");
        let props = json!({ "GlobalClusterIdentifier": global_name(id),
            "SourceDBClusterIdentifier": b.r(id) });
        b.add(&name, "AWS::RDS::GlobalCluster", props);
    }
    let class = if c.serverless {
        "db.serverless"
    } else {
        c.instance_class.as_str()
    };
    for n in 0..=c.replicas {
        let suffix = if n == 0 {
            "Writer".to_string()
        } else {
            format!("Reader{n}")
        };
        let name = b.derived(id, &suffix);
        let props = json!({ "Engine": engine, "DBClusterIdentifier": b.r(id), "DBInstanceClass": class,
            "PubliclyAccessible": c.publicly_accessible });
        b.add(&name, "AWS::RDS::DBInstance", props);
    }
}

/// The identifier of the global database whose primary is `id`.
fn global_name(id: &str) -> String {
    format!(
        "{}-global",
        id.to_ascii_lowercase().replace(['_', '.'], "-")
    )
}

fn dynamodb(b: &mut Builder, r: &Resource, c: &crate::model::config::database::DynamoDbTable) {
    let key = if c.partition_key.is_empty() {
        "id"
    } else {
        c.partition_key.as_str()
    };
    let mut attributes = vec![json!({ "AttributeName": key, "AttributeType": "S" })];
    let mut schema = vec![json!({ "AttributeName": key, "KeyType": "HASH" })];
    if let Some(sort) = c.sort_key.as_ref().filter(|s| !s.is_empty()) {
        attributes.push(json!({ "AttributeName": sort, "AttributeType": "S" }));
        schema.push(json!({ "AttributeName": sort, "KeyType": "RANGE" }));
    }
    let pitr = json!({ "PointInTimeRecoveryEnabled": c.point_in_time_recovery });
    let mut props = json!({ "AttributeDefinitions": attributes, "KeySchema": schema });
    if !c.table_name.is_empty() {
        props["TableName"] = json!(c.table_name);
    }
    let sse = match c.encryption {
        DynamoDbEncryption::AwsOwned => None,
        DynamoDbEncryption::AwsManaged | DynamoDbEncryption::CustomerManaged => {
            Some(json!({ "SSEEnabled": true, "SSEType": "KMS" }))
        }
    };
    if !c.replica_regions.is_empty() {
        // A global table: one resource holds every Region's replica.
        let mut replicas = vec![json!({ "Region": { "Ref": "AWS::Region" },
            "PointInTimeRecoverySpecification": pitr, "Tags": b.tags(r) })];
        let home = b.d.region_code(r.id.as_str()).to_string();
        for region in c.replica_regions.iter().filter(|x| **x != home) {
            replicas.push(json!({ "Region": region, "PointInTimeRecoverySpecification": pitr }));
        }
        props["Replicas"] = json!(replicas);
        props["BillingMode"] = json!("PAY_PER_REQUEST");
        props["StreamSpecification"] = json!({ "StreamViewType": "NEW_AND_OLD_IMAGES" });
        if sse.is_some() {
            props["SSESpecification"] = json!({ "SSEEnabled": true, "SSEType": "KMS" });
        }
        if c.capacity_mode == CapacityMode::Provisioned {
            b.note(format!("{}: the global table is exported on demand; provisioned replicas need auto scaling settings per Region", r.id));
        }
        b.add_main(r, "AWS::DynamoDB::GlobalTable", props)
            .retain_on_delete();
        return;
    }
    props["PointInTimeRecoverySpecification"] = pitr;
    props["Tags"] = b.tags(r);
    match c.capacity_mode {
        CapacityMode::OnDemand => props["BillingMode"] = json!("PAY_PER_REQUEST"),
        CapacityMode::Provisioned => {
            props["BillingMode"] = json!("PROVISIONED");
            props["ProvisionedThroughput"] = json!({ "ReadCapacityUnits": c.read_capacity_units.max(1),
                "WriteCapacityUnits": c.write_capacity_units.max(1) });
        }
    }
    if let Some(sse) = sse {
        props["SSESpecification"] = sse;
    }
    if c.streams {
        props["StreamSpecification"] = json!({ "StreamViewType": "NEW_AND_OLD_IMAGES" });
    }
    b.add_main(r, "AWS::DynamoDB::Table", props)
        .retain_on_delete();
}
