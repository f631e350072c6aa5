//! Storage: EBS volumes, S3 buckets, EFS file systems.

use super::Lines;
use crate::model::config::storage::*;

pub(super) fn ebs_volume(l: &mut Lines<'_>, c: &EbsVolume) {
    l.volume(c.volume_type, f64::from(c.size_gb), 1.0);
    match (c.volume_type, c.iops) {
        (VolumeType::Gp3, Some(iops)) if iops > 3000 => {
            l.unit(
                "EBS",
                "gp3 provisioned IOPS above 3000 free",
                "gp3 IOPS above 3,000",
                f64::from(iops - 3000),
                "IOPS-month",
            );
        }
        (VolumeType::Io1, Some(iops)) => l.unit(
            "EBS",
            "io1 provisioned IOPS",
            "io1 IOPS",
            f64::from(iops),
            "IOPS-month",
        ),
        (VolumeType::Io2, Some(iops)) => {
            l.unit(
                "EBS",
                "io2 provisioned IOPS (first 32000 tier)",
                "io2 IOPS",
                f64::from(iops),
                "IOPS-month",
            );
        }
        _ => {}
    }
    if let (VolumeType::Gp3, Some(mibps)) = (c.volume_type, c.throughput_mibps)
        && mibps > 125
    {
        l.unit(
            "EBS",
            "gp3 provisioned throughput above 125 MB/s free",
            "gp3 throughput above 125 MB/s",
            f64::from(mibps - 125),
            "MBps-month",
        );
    }
    l.unit(
        "EBS",
        "snapshot storage",
        "snapshots",
        c.snapshot_gb,
        "GB-month",
    );
}

pub(super) fn s3_bucket(l: &mut Lines<'_>, c: &S3Bucket) {
    let (key, label) = match c.storage_class {
        StorageClass::Standard => ("Standard storage (first 50 TB tier)", "S3 Standard"),
        StorageClass::StandardIa => ("Standard-IA storage", "S3 Standard-IA"),
        StorageClass::OneZoneIa => ("One Zone-IA storage", "S3 One Zone-IA"),
        StorageClass::IntelligentTiering => (
            "Intelligent-Tiering frequent access storage",
            "S3 Intelligent-Tiering (frequent tier)",
        ),
        StorageClass::GlacierFlexibleRetrieval => (
            "Glacier Flexible Retrieval storage",
            "S3 Glacier Flexible Retrieval",
        ),
        StorageClass::GlacierDeepArchive => {
            ("Glacier Deep Archive storage", "S3 Glacier Deep Archive")
        }
        StorageClass::GlacierInstantRetrieval => {
            l.missing("no S3 Glacier Instant Retrieval price in the data".into());
            return;
        }
    };
    l.unit("S3", key, label, c.storage_gb, "GB-month");
    l.unit(
        "S3",
        "Standard PUT/COPY/POST/LIST requests",
        "PUT, COPY, POST, LIST requests",
        c.write_requests_thousands,
        "k requests",
    );
    l.unit(
        "S3",
        "Standard GET/SELECT/other requests",
        "GET and other requests",
        c.read_requests_thousands,
        "k requests",
    );
}

pub(super) fn efs_file_system(l: &mut Lines<'_>, c: &EfsFileSystem) {
    let key = if c.redundancy == FileSystemRedundancy::OneZone {
        "One Zone storage"
    } else {
        "Standard storage"
    };
    l.unit(
        "EFS",
        key,
        &format!("EFS {}", key.to_lowercase()),
        c.storage_gb,
        "GB-month",
    );
}
