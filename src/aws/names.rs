//! AWS's own names for the diagram's choices, the same in CloudFormation and Terraform.

use crate::model::config::compute::{AdjustmentType, Comparison, CpuCredits};
use crate::model::config::database::{AuroraEngine, CacheEngine, RdsEngine};
use crate::model::config::edge::{
    LbProtocol, LbScheme, PriceClass, RecordType, RoutingAlgorithm, ViewerProtocolPolicy,
};
use crate::model::config::services::{ApiEndpointType, Statistic, TreatMissingData, WorkflowType};
use crate::model::config::storage::StorageClass;

/// An RDS engine's API name and the license model AWS requires for it, if any
/// (CreateDBInstance's `Engine` and `LicenseModel`).
pub(crate) fn rds_engine(engine: RdsEngine) -> (&'static str, Option<&'static str>) {
    match engine {
        RdsEngine::MySql => ("mysql", None),
        RdsEngine::PostgreSql => ("postgres", None),
        RdsEngine::MariaDb => ("mariadb", None),
        RdsEngine::Oracle => ("oracle-se2", Some("license-included")),
        RdsEngine::SqlServer => ("sqlserver-se", Some("license-included")),
        RdsEngine::Db2 => ("db2-se", Some("bring-your-own-license")),
    }
}

/// A Step Functions workflow type, as both CloudFormation and Terraform spell it.
pub(crate) fn workflow_type(workflow: WorkflowType) -> &'static str {
    match workflow {
        WorkflowType::Standard => "STANDARD",
        WorkflowType::Express => "EXPRESS",
    }
}

/// An Aurora engine's API name.
pub(crate) fn aurora_engine(engine: AuroraEngine) -> &'static str {
    match engine {
        AuroraEngine::AuroraMySql => "aurora-mysql",
        AuroraEngine::AuroraPostgreSql => "aurora-postgresql",
    }
}

/// A replication group's engine (Memcached has no replication group).
pub(crate) fn replication_engine(engine: CacheEngine) -> &'static str {
    if engine == CacheEngine::Valkey {
        "valkey"
    } else {
        "redis"
    }
}

/// The default parameter group of a replication group in cluster mode.
pub(crate) fn cluster_mode_parameter_group(engine: CacheEngine) -> &'static str {
    if engine == CacheEngine::Valkey {
        "default.valkey8.cluster.on"
    } else {
        "default.redis7.cluster.on"
    }
}

/// CloudFront's name of a viewer protocol policy.
pub(crate) fn viewer_protocol_policy(policy: ViewerProtocolPolicy) -> &'static str {
    match policy {
        ViewerProtocolPolicy::AllowAll => "allow-all",
        ViewerProtocolPolicy::RedirectToHttps => "redirect-to-https",
        ViewerProtocolPolicy::HttpsOnly => "https-only",
    }
}

/// CloudFront's name of a price class.
pub(crate) fn price_class(class: PriceClass) -> &'static str {
    match class {
        PriceClass::All => "PriceClass_All",
        PriceClass::Class200 => "PriceClass_200",
        PriceClass::Class100 => "PriceClass_100",
    }
}

/// A load balancer's listener or target group protocol.
pub(crate) fn lb_protocol(protocol: LbProtocol) -> &'static str {
    match protocol {
        LbProtocol::Http => "HTTP",
        LbProtocol::Https => "HTTPS",
        LbProtocol::Tcp => "TCP",
        LbProtocol::Tls => "TLS",
        LbProtocol::Udp => "UDP",
        LbProtocol::Geneve => "GENEVE",
    }
}

/// A load balancer's scheme.
pub(crate) fn lb_scheme(scheme: LbScheme) -> &'static str {
    match scheme {
        LbScheme::InternetFacing => "internet-facing",
        LbScheme::Internal => "internal",
    }
}

/// An ALB target group's `load_balancing.algorithm.type` (flow hash is a network load
/// balancer's own, so an ALB drawn with it takes the default).
pub(crate) fn routing_algorithm(algorithm: RoutingAlgorithm) -> &'static str {
    match algorithm {
        RoutingAlgorithm::LeastOutstandingRequests => "least_outstanding_requests",
        RoutingAlgorithm::WeightedRandom => "weighted_random",
        RoutingAlgorithm::RoundRobin | RoutingAlgorithm::FlowHash => "round_robin",
    }
}

/// A DNS record type.
pub(crate) fn record_type(record: RecordType) -> &'static str {
    match record {
        RecordType::A => "A",
        RecordType::Aaaa => "AAAA",
        RecordType::Cname => "CNAME",
        RecordType::Mx => "MX",
        RecordType::Txt => "TXT",
    }
}

/// A REST API's endpoint type.
pub(crate) fn api_endpoint_type(endpoint: ApiEndpointType) -> &'static str {
    match endpoint {
        ApiEndpointType::Regional => "REGIONAL",
        ApiEndpointType::EdgeOptimized => "EDGE",
        ApiEndpointType::Private => "PRIVATE",
    }
}

/// An S3 storage class for a lifecycle transition; none for Standard, where objects are
/// already.
pub(crate) fn storage_class(class: StorageClass) -> Option<&'static str> {
    Some(match class {
        StorageClass::Standard => return None,
        StorageClass::StandardIa => "STANDARD_IA",
        StorageClass::OneZoneIa => "ONEZONE_IA",
        StorageClass::IntelligentTiering => "INTELLIGENT_TIERING",
        StorageClass::GlacierInstantRetrieval => "GLACIER_IR",
        StorageClass::GlacierFlexibleRetrieval => "GLACIER",
        StorageClass::GlacierDeepArchive => "DEEP_ARCHIVE",
    })
}

/// A CloudWatch statistic.
pub(crate) fn statistic(statistic: Statistic) -> &'static str {
    match statistic {
        Statistic::Average => "Average",
        Statistic::Sum => "Sum",
        Statistic::Minimum => "Minimum",
        Statistic::Maximum => "Maximum",
        Statistic::SampleCount => "SampleCount",
    }
}

/// How a CloudWatch alarm treats missing data.
pub(crate) fn treat_missing_data(missing: TreatMissingData) -> &'static str {
    match missing {
        TreatMissingData::Missing => "missing",
        TreatMissingData::Breaching => "breaching",
        TreatMissingData::NotBreaching => "notBreaching",
        TreatMissingData::Ignore => "ignore",
    }
}

/// CloudWatch's name for a comparison with a threshold.
pub(crate) fn comparison_operator(comparison: Comparison) -> &'static str {
    match comparison {
        Comparison::GreaterThan => "GreaterThanThreshold",
        Comparison::GreaterThanOrEqual => "GreaterThanOrEqualToThreshold",
        Comparison::LessThan => "LessThanThreshold",
        Comparison::LessThanOrEqual => "LessThanOrEqualToThreshold",
    }
}

/// A step or simple scaling policy's adjustment type.
pub(crate) fn adjustment_type(adjustment: AdjustmentType) -> &'static str {
    match adjustment {
        AdjustmentType::ChangeInCapacity => "ChangeInCapacity",
        AdjustmentType::ExactCapacity => "ExactCapacity",
        AdjustmentType::PercentChangeInCapacity => "PercentChangeInCapacity",
    }
}

/// The CPU credit option of a burstable instance (`t` family), when one is chosen.
pub(crate) fn cpu_credits(credits: CpuCredits, instance_type: &str) -> Option<&'static str> {
    match (instance_type.starts_with('t'), credits) {
        (true, CpuCredits::Standard) => Some("standard"),
        (true, CpuCredits::Unlimited) => Some("unlimited"),
        _ => None,
    }
}

/// Whether an instance type runs on Graviton (arm64): a `g` after the family's
/// generation, as in `m7g` or `t4g`.
pub(crate) fn is_arm(instance_type: &str) -> bool {
    let family = instance_type.split('.').next().unwrap_or("");
    let after_letters = family.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    let after_digits = after_letters.trim_start_matches(|c: char| c.is_ascii_digit());
    after_letters.len() != family.len() && after_digits.contains('g')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engines_that_need_a_license_model_name_it() {
        for engine in RdsEngine::ALL {
            let (name, license) = rds_engine(*engine);
            let commercial = name.starts_with("oracle") || name.starts_with("sqlserver");
            assert_eq!(license == Some("license-included"), commercial, "{name}");
        }
    }

    #[test]
    fn graviton_types_are_told_by_the_g_after_the_generation() {
        for arm in ["m7g.large", "t4g.micro", "c7gn.xlarge", "r8g.2xlarge"] {
            assert!(is_arm(arm), "{arm}");
        }
        for x86 in [
            "m5.large",
            "t3.micro",
            "g5.xlarge",
            "m7i.large",
            "c6in.large",
        ] {
            assert!(!is_arm(x86), "{x86}");
        }
    }
}
