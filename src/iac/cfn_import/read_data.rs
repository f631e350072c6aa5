//! Storage, databases, integration, monitoring and identity read back from templates.

use serde_json::{Value, json};

use super::config::{Fields, boolean, number, text};
use super::read::ids;
use super::{Doc, Res};
use crate::model::Kind;

/// The subnets of the subnet group `value` refers to.
fn group_subnets(doc: &Doc, value: &Value) -> Value {
    let group = doc.logical(value).and_then(|l| doc.res.get(&l));
    match group {
        Some(g) => ids(
            doc,
            if g.prop("SubnetIds").is_null() {
                g.prop("Subnets")
            } else {
                g.prop("SubnetIds")
            },
        ),
        None => json!([]),
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase())
        .into_iter()
        .chain(chars)
        .collect()
}

pub(super) fn config(doc: &Doc, logical: &str, r: &Res, kind: Kind, f: &mut Fields) {
    let p = |k: &str| r.prop(k);
    match kind {
        Kind::S3Bucket => {
            f.set("bucket_name", text(p("BucketName")));
            match p("VersioningConfiguration")["Status"].as_str() {
                Some("Enabled") => {
                    f.set("versioning", "Enabled");
                }
                Some("Suspended") => {
                    f.set("versioning", "Suspended");
                }
                _ => {}
            }
            let default = &p("BucketEncryption")["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"];
            if default["SSEAlgorithm"] == "aws:kms" {
                f.set("encryption", "SseKms");
                if let Some(key) = doc.id(&default["KMSMasterKeyID"]) {
                    f.set("kms_key", key.as_str());
                }
            } else if default.is_null() {
                f.set("encryption", "None");
            }
            let block = &p("PublicAccessBlockConfiguration");
            if block.is_object() {
                f.set("block_public_access", boolean(&block["BlockPublicPolicy"]));
            }
            f.set("website_hosting", p("WebsiteConfiguration").is_object())
                .set("object_lock", boolean(p("ObjectLockEnabled")))
                .set(
                    "transfer_acceleration",
                    p("AccelerateConfiguration")["AccelerationStatus"] == "Enabled",
                );
            if let Some(logs) = doc.id(&p("LoggingConfiguration")["DestinationBucketName"]) {
                f.set("access_log_bucket", logs.as_str());
            }
            let public = doc
                .referring("AWS::S3::BucketPolicy", "Bucket", logical)
                .any(|(_, policy)| {
                    policy.prop("PolicyDocument")["Statement"]
                        .as_array()
                        .is_some_and(|s| {
                            s.iter()
                                .any(|x| x["Principal"] == "*" && x["Effect"] == "Allow")
                        })
                });
            f.set("public_read_policy", public);
            let rules: Vec<Value> = p("LifecycleConfiguration")["Rules"]
                .as_array()
                .map(|rules| {
                    rules
                        .iter()
                        .map(|rule| {
                            let transitions: Vec<Value> = rule["Transitions"]
                                .as_array()
                                .map(|t| {
                                    t.iter()
                                        .map(|t| json!({ "days": number(&t["TransitionInDays"]),
                                            "storage_class": storage_class(t["StorageClass"].as_str().unwrap_or("")) }))
                                        .collect()
                                })
                                .unwrap_or_default();
                            json!({ "prefix": rule["Prefix"].as_str().unwrap_or(""), "transitions": transitions,
                                "expiration_days": number(&rule["ExpirationInDays"]) })
                        })
                        .collect()
                })
                .unwrap_or_default();
            f.set("lifecycle_rules", rules);
        }
        Kind::EbsVolume => {
            f.set(
                "volume_type",
                capitalised(p("VolumeType").as_str().unwrap_or("gp3")),
            )
            .set("size_gb", number(p("Size")))
            .set("iops", number(p("Iops")))
            .set("throughput_mibps", number(p("Throughput")))
            .set("encrypted", boolean(p("Encrypted")))
            .set("multi_attach", boolean(p("MultiAttachEnabled")));
        }
        Kind::EfsFileSystem => {
            let targets: Vec<&Res> = doc
                .referring("AWS::EFS::MountTarget", "FileSystemId", logical)
                .map(|(_, t)| t)
                .collect();
            let subnets: Vec<Value> = targets
                .iter()
                .filter_map(|t| doc.id(t.prop("SubnetId")))
                .map(|s| json!(s.as_str()))
                .collect();
            f.set("encrypted", boolean(p("Encrypted")))
                .set(
                    "performance_mode",
                    if p("PerformanceMode") == "maxIO" {
                        "MaxIo"
                    } else {
                        "GeneralPurpose"
                    },
                )
                .set(
                    "throughput_mode",
                    capitalised(p("ThroughputMode").as_str().unwrap_or("bursting")),
                )
                .set("mount_target_subnets", subnets);
            if let Some(first) = targets.first() {
                f.set("security_groups", ids(doc, first.prop("SecurityGroups")));
            }
            if !p("AvailabilityZoneName").is_null() {
                f.set("redundancy", "OneZone");
            }
            if let Some(days) = p("LifecyclePolicies")[0]["TransitionToIA"].as_str() {
                let n: String = days.chars().filter(char::is_ascii_digit).collect();
                f.set("transition_to_ia_days", number(&json!(n)));
            }
        }
        Kind::FsxFileSystem => {
            let (kind_name, key) = match p("FileSystemType").as_str() {
                Some("LUSTRE") => ("Lustre", "LustreConfiguration"),
                Some("ONTAP") => ("Ontap", "OntapConfiguration"),
                Some("OPENZFS") => ("OpenZfs", "OpenZFSConfiguration"),
                _ => ("Windows", "WindowsConfiguration"),
            };
            f.set("file_system_type", kind_name)
                .set("storage_gb", number(p("StorageCapacity")))
                .set("throughput_mbps", number(&p(key)["ThroughputCapacity"]))
                .set("subnets", ids(doc, p("SubnetIds")));
            if !p(key)["DeploymentType"]
                .as_str()
                .unwrap_or("")
                .starts_with("MULTI")
            {
                f.set("redundancy", "OneZone");
            }
        }
        Kind::RdsInstance => {
            let engine = match p("Engine").as_str().unwrap_or("") {
                e if e.starts_with("postgres") => "PostgreSql",
                e if e.starts_with("mariadb") => "MariaDb",
                e if e.starts_with("oracle") => "Oracle",
                e if e.starts_with("sqlserver") => "SqlServer",
                e if e.starts_with("db2") => "Db2",
                _ => "MySql",
            };
            let storage = match p("StorageType").as_str() {
                Some("gp2") => "Gp2",
                Some("io1") => "Io1",
                Some("io2") => "Io2",
                Some("standard") => "Magnetic",
                _ => "Gp3",
            };
            f.set("engine", engine)
                .set("instance_class", text(p("DBInstanceClass")))
                .set("storage_type", storage)
                .set("allocated_storage_gb", number(p("AllocatedStorage")))
                .set("iops", number(p("Iops")))
                .set("multi_az", boolean(p("MultiAZ")))
                .set("storage_encrypted", boolean(p("StorageEncrypted")))
                .set("backup_retention_days", number(p("BackupRetentionPeriod")))
                .set("publicly_accessible", boolean(p("PubliclyAccessible")))
                .set("subnets", group_subnets(doc, p("DBSubnetGroupName")))
                .set("security_groups", ids(doc, p("VPCSecurityGroups")))
                .set(
                    "iam_authentication",
                    boolean(p("EnableIAMDatabaseAuthentication")),
                )
                .set("deletion_protection", boolean(p("DeletionProtection")));
            if let Some(key) = doc.id(p("KmsKeyId")) {
                f.set("kms_key", key.as_str());
            }
            let forced = doc
                .logical(p("DBParameterGroupName"))
                .and_then(|l| doc.res.get(&l))
                .is_some_and(|g| {
                    let params = g.prop("Parameters");
                    params["rds.force_ssl"] == "1" || params["require_secure_transport"] == "1"
                });
            f.set("force_ssl", forced);
            // A replica takes its engine from its source.
            if let Some(source) = doc
                .logical(p("SourceDBInstanceIdentifier"))
                .and_then(|l| doc.res.get(&l))
                && let Some(e) = source.prop("Engine").as_str()
            {
                f.set(
                    "engine",
                    if e.starts_with("postgres") {
                        "PostgreSql"
                    } else {
                        engine
                    },
                );
            }
        }
        Kind::AuroraCluster => {
            let instances: Vec<&Res> = doc
                .referring("AWS::RDS::DBInstance", "DBClusterIdentifier", logical)
                .map(|(_, i)| i)
                .collect();
            let serverless = p("ServerlessV2ScalingConfiguration");
            f.set(
                "engine",
                if p("Engine") == "aurora-postgresql" {
                    "AuroraPostgreSql"
                } else {
                    "AuroraMySql"
                },
            )
            .set("replicas", instances.len().saturating_sub(1))
            .set("storage_encrypted", boolean(p("StorageEncrypted")))
            .set("backup_retention_days", number(p("BackupRetentionPeriod")))
            .set("subnets", group_subnets(doc, p("DBSubnetGroupName")))
            .set("security_groups", ids(doc, p("VpcSecurityGroupIds")))
            .set("io_optimized", p("StorageType") == "aurora-iopt1")
            .set("serverless", serverless.is_object())
            .set("min_capacity_acu", number(&serverless["MinCapacity"]))
            .set("max_capacity_acu", number(&serverless["MaxCapacity"]));
            if let Some(first) = instances.first() {
                f.set(
                    "publicly_accessible",
                    boolean(first.prop("PubliclyAccessible")),
                );
                if first.prop("DBInstanceClass") != "db.serverless" {
                    f.set("instance_class", text(first.prop("DBInstanceClass")));
                }
            }
            let global = !p("GlobalClusterIdentifier").is_null()
                || doc
                    .referring(
                        "AWS::RDS::GlobalCluster",
                        "SourceDBClusterIdentifier",
                        logical,
                    )
                    .next()
                    .is_some();
            f.set("global", global);
        }
        Kind::DynamoDbTable => {
            let keys = p("KeySchema").as_array().cloned().unwrap_or_default();
            let key = |t: &str| {
                keys.iter()
                    .find(|k| k["KeyType"] == t)
                    .map(|k| k["AttributeName"].clone())
                    .unwrap_or(Value::Null)
            };
            let pitr = if r.kind == "AWS::DynamoDB::GlobalTable" {
                &p("Replicas")[0]["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"]
            } else {
                &p("PointInTimeRecoverySpecification")["PointInTimeRecoveryEnabled"]
            };
            f.set("table_name", text(p("TableName")))
                .set("partition_key", key("HASH"))
                .set("sort_key", key("RANGE"))
                .set("point_in_time_recovery", boolean(pitr))
                .set(
                    "streams",
                    p("StreamSpecification").is_object() && r.kind != "AWS::DynamoDB::GlobalTable",
                );
            if p("BillingMode") == "PROVISIONED" {
                f.set("capacity_mode", "Provisioned")
                    .set(
                        "read_capacity_units",
                        number(&p("ProvisionedThroughput")["ReadCapacityUnits"]),
                    )
                    .set(
                        "write_capacity_units",
                        number(&p("ProvisionedThroughput")["WriteCapacityUnits"]),
                    );
            }
            if p("SSESpecification")["SSEEnabled"] == json!(true) {
                f.set("encryption", "AwsManaged");
            }
            let regions: Vec<Value> = p("Replicas")
                .as_array()
                .map(|list| {
                    list.iter()
                        .filter_map(|x| x["Region"].as_str().map(|s| json!(s)))
                        .collect()
                })
                .unwrap_or_default();
            f.set("replica_regions", regions);
        }
        Kind::ElastiCacheCluster => {
            let memcached = r.kind == "AWS::ElastiCache::CacheCluster";
            f.set("node_type", text(p("CacheNodeType")))
                .set("subnets", group_subnets(doc, p("CacheSubnetGroupName")))
                .set(
                    "security_groups",
                    ids(
                        doc,
                        if memcached {
                            p("VpcSecurityGroupIds")
                        } else {
                            p("SecurityGroupIds")
                        },
                    ),
                );
            if memcached {
                f.set("engine", "Memcached")
                    .set("shards", number(p("NumCacheNodes")));
            } else {
                let shards = number(p("NumNodeGroups"));
                let replicas = if shards.is_null() {
                    json!(
                        number(p("NumCacheClusters"))
                            .as_u64()
                            .unwrap_or(1)
                            .saturating_sub(1)
                    )
                } else {
                    number(p("ReplicasPerNodeGroup"))
                };
                f.set(
                    "engine",
                    if p("Engine") == "valkey" {
                        "Valkey"
                    } else {
                        "Redis"
                    },
                )
                .set("shards", if shards.is_null() { json!(1) } else { shards })
                .set("replicas_per_shard", replicas)
                .set("automatic_failover", boolean(p("AutomaticFailoverEnabled")))
                .set("encryption_at_rest", boolean(p("AtRestEncryptionEnabled")))
                .set(
                    "encryption_in_transit",
                    boolean(p("TransitEncryptionEnabled")),
                )
                .set(
                    "snapshot_retention_days",
                    number(p("SnapshotRetentionLimit")),
                );
            }
        }
        Kind::MemoryDbCluster => {
            f.set("node_type", text(p("NodeType")))
                .set("shards", number(p("NumShards")))
                .set("replicas_per_shard", number(p("NumReplicasPerShard")))
                .set("tls", boolean(p("TLSEnabled")))
                .set("subnets", group_subnets(doc, p("SubnetGroupName")))
                .set("security_groups", ids(doc, p("SecurityGroupIds")));
        }
        Kind::DocumentDbCluster | Kind::NeptuneCluster => {
            let part = if kind == Kind::DocumentDbCluster {
                "AWS::DocDB::DBInstance"
            } else {
                "AWS::Neptune::DBInstance"
            };
            let instances: Vec<&Res> = doc
                .referring(part, "DBClusterIdentifier", logical)
                .map(|(_, i)| i)
                .collect();
            f.set("instances", instances.len().max(1))
                .set("storage_encrypted", boolean(p("StorageEncrypted")))
                .set("subnets", group_subnets(doc, p("DBSubnetGroupName")))
                .set("security_groups", ids(doc, p("VpcSecurityGroupIds")));
            if let Some(first) = instances
                .first()
                .filter(|i| i.prop("DBInstanceClass") != "db.serverless")
            {
                f.set("instance_class", text(first.prop("DBInstanceClass")));
            }
            if kind == Kind::DocumentDbCluster {
                f.set("backup_retention_days", number(p("BackupRetentionPeriod")));
            } else {
                f.set(
                    "serverless",
                    p("ServerlessScalingConfiguration").is_object(),
                );
            }
        }
        Kind::KeyspacesTable => {
            f.set(
                "capacity_mode",
                if p("BillingMode")["Mode"] == "PROVISIONED" {
                    "Provisioned"
                } else {
                    "OnDemand"
                },
            )
            .set(
                "point_in_time_recovery",
                boolean(p("PointInTimeRecoveryEnabled")),
            );
        }
        Kind::TimestreamDatabase => {
            if let Some((_, table)) = doc
                .referring("AWS::Timestream::Table", "DatabaseName", logical)
                .next()
            {
                let retention = table.prop("RetentionProperties");
                f.set(
                    "memory_retention_hours",
                    number(&retention["MemoryStoreRetentionPeriodInHours"]),
                )
                .set(
                    "magnetic_retention_days",
                    number(&retention["MagneticStoreRetentionPeriodInDays"]),
                );
            }
        }
        Kind::QldbLedger => {
            f.set("deletion_protection", boolean(p("DeletionProtection")));
        }
        _ => {} // Only the data kinds are routed here (`read::config_of`).
    }
}

fn storage_class(name: &str) -> &'static str {
    match name {
        "ONEZONE_IA" => "OneZoneIa",
        "INTELLIGENT_TIERING" => "IntelligentTiering",
        "GLACIER_IR" => "GlacierInstantRetrieval",
        "GLACIER" => "GlacierFlexibleRetrieval",
        "DEEP_ARCHIVE" => "GlacierDeepArchive",
        _ => "StandardIa",
    }
}

pub(super) fn services(doc: &Doc, logical: &str, r: &Res, kind: Kind, f: &mut Fields) {
    let p = |k: &str| r.prop(k);
    match kind {
        Kind::SqsQueue => {
            let redrive = p("RedrivePolicy");
            f.set("fifo", boolean(p("FifoQueue")))
                .set("visibility_timeout_secs", number(p("VisibilityTimeout")))
                .set(
                    "message_retention_secs",
                    number(p("MessageRetentionPeriod")),
                )
                .set("delay_secs", number(p("DelaySeconds")))
                .set(
                    "receive_wait_time_secs",
                    number(p("ReceiveMessageWaitTimeSeconds")),
                )
                .set("encrypted", boolean(p("SqsManagedSseEnabled")))
                .set("max_receive_count", number(&redrive["maxReceiveCount"]));
            if let Some(dlq) = doc.id(&redrive["deadLetterTargetArn"]) {
                f.set("dead_letter_queue", dlq.as_str());
            }
        }
        Kind::SnsTopic => {
            f.set("fifo", boolean(p("FifoTopic")));
            if let Some(key) = doc.id(p("KmsMasterKeyId")) {
                f.set("kms_key", key.as_str());
            }
        }
        Kind::ApiGateway => {
            if r.kind == "AWS::ApiGateway::RestApi" {
                f.set("api_type", "Rest");
                match p("EndpointConfiguration")["Types"][0].as_str() {
                    Some("EDGE") => {
                        f.set("endpoint_type", "EdgeOptimized");
                    }
                    Some("PRIVATE") => {
                        f.set("endpoint_type", "Private");
                    }
                    _ => {}
                }
                if let Some((_, stage)) = doc
                    .referring("AWS::ApiGateway::Stage", "RestApiId", logical)
                    .next()
                {
                    let settings = &stage.prop("MethodSettings")[0];
                    f.set(
                        "throttle_rate_rps",
                        number(&settings["ThrottlingRateLimit"]),
                    )
                    .set("throttle_burst", number(&settings["ThrottlingBurstLimit"]))
                    .set("caching", boolean(stage.prop("CacheClusterEnabled")));
                }
            } else {
                f.set(
                    "api_type",
                    if p("ProtocolType") == "WEBSOCKET" {
                        "WebSocket"
                    } else {
                        "Http"
                    },
                );
                if let Some((_, stage)) = doc
                    .referring("AWS::ApiGatewayV2::Stage", "ApiId", logical)
                    .next()
                {
                    let settings = stage.prop("DefaultRouteSettings");
                    f.set(
                        "throttle_rate_rps",
                        number(&settings["ThrottlingRateLimit"]),
                    )
                    .set("throttle_burst", number(&settings["ThrottlingBurstLimit"]));
                }
                if let Some((_, integration)) = doc
                    .referring("AWS::ApiGatewayV2::Integration", "ApiId", logical)
                    .next()
                {
                    f.set(
                        "integration_timeout_ms",
                        number(integration.prop("TimeoutInMillis")),
                    );
                }
            }
        }
        Kind::CloudWatchAlarm => {
            let comparison = match p("ComparisonOperator").as_str() {
                Some("GreaterThanOrEqualToThreshold") => "GreaterThanOrEqual",
                Some("LessThanThreshold") => "LessThan",
                Some("LessThanOrEqualToThreshold") => "LessThanOrEqual",
                _ => "GreaterThan",
            };
            let missing = match p("TreatMissingData").as_str() {
                Some("breaching") => "Breaching",
                Some("notBreaching") => "NotBreaching",
                Some("ignore") => "Ignore",
                _ => "Missing",
            };
            f.set("namespace", text(p("Namespace")))
                .set("metric", text(p("MetricName")))
                .set("statistic", text(p("Statistic")))
                .set("period_secs", number(p("Period")))
                .set("evaluation_periods", number(p("EvaluationPeriods")))
                .set("datapoints_to_alarm", number(p("DatapointsToAlarm")))
                .set("threshold", number(p("Threshold")))
                .set("comparison", comparison)
                .set("treat_missing_data", missing);
            if let Some(watched) = doc.id(&p("Dimensions")[0]["Value"]) {
                f.set("watched", watched.as_str());
            }
        }
        Kind::CloudWatchLogGroup => {
            f.set("retention_days", number(p("RetentionInDays")));
            if let Some(key) = doc.id(p("KmsKeyId")) {
                f.set("kms_key", key.as_str());
            }
        }
        Kind::CloudTrail => {
            f.set("multi_region", boolean(p("IsMultiRegionTrail")))
                .set("log_file_validation", boolean(p("EnableLogFileValidation")));
            if let Some(bucket) = doc.id(p("S3BucketName")) {
                f.set("bucket", bucket.as_str());
            }
        }
        Kind::IamUser => {
            let keys = doc
                .referring("AWS::IAM::AccessKey", "UserName", logical)
                .count();
            f.set("access_keys", keys)
                .set("console_access", !p("LoginProfile").is_null());
        }
        Kind::IamRole => {
            let principal = &p("AssumeRolePolicyDocument")["Statement"][0]["Principal"];
            let trusted = principal["Service"].as_str().or(principal["AWS"].as_str());
            f.set(
                "trusted_entity",
                trusted.map(|t| json!(t)).unwrap_or(Value::Null),
            )
            .set("max_session_secs", number(p("MaxSessionDuration")));
        }
        Kind::IamPolicy => {
            let statements: Vec<Value> = p("PolicyDocument")["Statement"]
                .as_array()
                .map(|list| {
                    list.iter()
                        .map(|s| {
                            let many = |v: &Value| match v {
                                Value::String(x) => vec![json!(x)],
                                Value::Array(items) => {
                                    items.iter().filter(|i| i.is_string()).cloned().collect()
                                }
                                _ => vec![json!("*")],
                            };
                            json!({ "effect": if s["Effect"] == "Deny" { "Deny" } else { "Allow" },
                                "actions": many(&s["Action"]), "resources": many(&s["Resource"]) })
                        })
                        .collect()
                })
                .unwrap_or_default();
            f.set("statements", statements);
        }
        Kind::KmsKey => {
            f.set("rotation", boolean(p("EnableKeyRotation")))
                .set("multi_region", boolean(p("MultiRegion")));
        }
        Kind::EventBridgeBus => {
            let rules: Vec<Value> = doc
                .referring("AWS::Events::Rule", "EventBusName", logical)
                .enumerate()
                .map(|(n, (_, rule))| {
                    let name = rule
                        .prop("Name")
                        .as_str()
                        .map_or_else(|| format!("rule-{}", n + 1), str::to_string);
                    let pattern = rule.prop("EventPattern");
                    let pattern = if pattern.is_object() {
                        pattern.to_string()
                    } else {
                        "{}".to_string()
                    };
                    json!({ "name": name, "pattern": pattern })
                })
                .collect();
            f.set("rules", rules);
        }
        Kind::StepFunctionsStateMachine => {
            if p("StateMachineType") == "EXPRESS" {
                f.set("workflow_type", "Express");
            }
            let logging = p("LoggingConfiguration")["Level"]
                .as_str()
                .is_some_and(|level| level != "OFF");
            f.set("logging", logging)
                .set("tracing", boolean(&p("TracingConfiguration")["Enabled"]));
        }
        Kind::SecretsManagerSecret => {
            if let Some(key) = doc.id(p("KmsKeyId")) {
                f.set("kms_key", key.as_str());
            }
            let replicas: Vec<Value> = p("ReplicaRegions")
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|replica| replica["Region"].as_str().map(|r| json!(r)))
                .collect();
            f.set("replica_regions", replicas);
            let days = doc
                .referring("AWS::SecretsManager::RotationSchedule", "SecretId", logical)
                .map(|(_, schedule)| {
                    number(&schedule.prop("RotationRules")["AutomaticallyAfterDays"])
                })
                .find(|n| !n.is_null());
            if let Some(days) = days {
                f.set("rotation_days", days);
            }
        }
        Kind::AcmCertificate => {
            f.set("domain", text(p("DomainName")))
                .set("alternative_names", p("SubjectAlternativeNames").clone());
        }
        Kind::WafWebAcl => {
            let rules = p("Rules").as_array().cloned().unwrap_or_default();
            let groups: Vec<Value> = rules
                .iter()
                .filter_map(|rule| {
                    rule["Statement"]["ManagedRuleGroupStatement"]["Name"]
                        .as_str()
                        .map(|n| json!(n))
                })
                .collect();
            let limit = rules.iter().find_map(|rule| {
                let n = number(&rule["Statement"]["RateBasedStatement"]["Limit"]);
                (!n.is_null()).then_some(n)
            });
            f.set("managed_rule_groups", groups)
                .set("rate_limit_per_5_min", limit.unwrap_or(Value::Null));
        }
        Kind::AthenaWorkgroup => {
            let location = &p("WorkGroupConfiguration")["ResultConfiguration"]["OutputLocation"];
            if let Some(bucket) = doc.id(location) {
                f.set("results_bucket", bucket.as_str());
            }
        }
        _ => {} // Only the services kinds are routed here (`read::config_of`).
    }
}
