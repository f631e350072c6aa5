//! Configuration of storage: S3, EBS, instance store, EFS, FSx and Glacier.

use crate::model::ResourceId;

choice! {
    /// An S3 storage class.
    pub enum StorageClass {
        /// Frequently accessed data.
        Standard,
        /// Infrequently accessed, but needed quickly.
        StandardIa,
        /// Infrequently accessed data that can be recreated; one AZ only.
        OneZoneIa,
        /// Moved between tiers automatically for a monitoring fee.
        IntelligentTiering,
        /// Archive with millisecond retrieval.
        GlacierInstantRetrieval,
        /// Archive retrieved in minutes to hours; 90-day minimum.
        GlacierFlexibleRetrieval,
        /// Cheapest archive, retrieved in 12 to 48 hours; 180-day minimum.
        GlacierDeepArchive,
    }
    default Standard
}

choice! {
    /// Versioning state of a bucket.
    pub enum Versioning {
        /// Never enabled: overwrites and deletes are final.
        Disabled,
        /// Every version is kept; deletes add a delete marker.
        Enabled,
        /// Was enabled; existing versions are kept, new ones are not.
        Suspended,
    }
    default Disabled
}

choice! {
    /// Server-side encryption of S3 objects.
    pub enum S3Encryption {
        /// Keys managed by S3 (AES-256); the default for new buckets since 2023.
        SseS3,
        /// Keys in AWS KMS, with audit trail.
        SseKms,
        /// Keys supplied by the customer on every request; needs HTTPS.
        SseC,
        /// No server-side encryption.
        None,
    }
    default SseS3
}

config! {
    /// A lifecycle transition of an S3 rule.
    pub struct LifecycleTransition {
        /// Days after creation.
        pub days: u32 = 30,
        /// Target storage class.
        pub storage_class: StorageClass = StorageClass::StandardIa,
    }
}

config! {
    /// An S3 lifecycle rule.
    pub struct LifecycleRule {
        /// Key prefix the rule applies to; empty for the whole bucket.
        pub prefix: String = String::new(),
        /// Transitions to cheaper classes.
        pub transitions: Vec<LifecycleTransition> = Vec::new(),
        /// Days after creation when objects are deleted.
        pub expiration_days: Option<u32> = None,
    }
}

config! {
    /// An S3 bucket: objects in a flat namespace, in one Region.
    pub struct S3Bucket {
        /// Bucket name: 3–63 lowercase letters, digits, dots and hyphens, globally unique.
        pub bucket_name: String = String::new(),
        /// Default storage class of new objects.
        pub storage_class: StorageClass = StorageClass::Standard,
        /// Versioning state.
        pub versioning: Versioning = Versioning::Disabled,
        /// Default server-side encryption.
        pub encryption: S3Encryption = S3Encryption::SseS3,
        /// KMS key for SSE-KMS.
        pub kms_key: Option<ResourceId> = None,
        /// Block Public Access (on by default for new buckets).
        pub block_public_access: bool = true,
        /// A bucket policy grants public read.
        pub public_read_policy: bool = false,
        /// Static website hosting.
        pub website_hosting: bool = false,
        /// Lifecycle rules.
        pub lifecycle_rules: Vec<LifecycleRule> = Vec::new(),
        /// Bucket receiving server access logs.
        pub access_log_bucket: Option<ResourceId> = None,
        /// MFA delete (needs versioning).
        pub mfa_delete: bool = false,
        /// Object Lock (write once, read many).
        pub object_lock: bool = false,
        /// Transfer Acceleration through edge locations.
        pub transfer_acceleration: bool = false,
        /// Stored data in GB, for the cost estimate.
        pub storage_gb: f64 = 50.0,
        /// PUT, COPY, POST and LIST requests per month, in thousands.
        pub write_requests_thousands: f64 = 10.0,
        /// GET and other requests per month, in thousands.
        pub read_requests_thousands: f64 = 100.0,
        /// Key prefixes the objects are spread over, for the simulation: S3 serves at least
        /// 3,500 writes and 5,500 reads a second per prefix (S3 user guide, performance).
        pub prefixes: u32 = 1,
        /// Mean time to first byte of a small object in ms, for the simulation (about
        /// 100–200 ms, S3 performance guidelines).
        pub latency_ms: f64 = 100.0,
    }
}

choice! {
    /// An EBS volume type.
    pub enum VolumeType {
        /// General purpose SSD (previous generation), 3 IOPS per GB.
        Gp2,
        /// General purpose SSD, 3,000 IOPS and 125 MiB/s baseline at any size.
        Gp3,
        /// Provisioned IOPS SSD.
        Io1,
        /// Provisioned IOPS SSD, more durable.
        Io2,
        /// Throughput-optimised HDD; cannot boot.
        St1,
        /// Cold HDD, cheapest; cannot boot.
        Sc1,
        /// Previous-generation magnetic.
        Standard,
    }
    default Gp3
}

config! {
    /// An EBS volume: a network block device in one Availability Zone.
    pub struct EbsVolume {
        /// Volume type.
        pub volume_type: VolumeType = VolumeType::Gp3,
        /// Size in GiB.
        pub size_gb: u32 = 100,
        /// Provisioned IOPS (gp3 above 3,000, io1, io2).
        pub iops: Option<u32> = None,
        /// Provisioned throughput in MiB/s (gp3 above 125).
        pub throughput_mibps: Option<u32> = None,
        /// Encryption at rest.
        pub encrypted: bool = false,
        /// Used as a boot volume.
        pub boot_volume: bool = false,
        /// Attachable to several instances at once (io1/io2).
        pub multi_attach: bool = false,
        /// Snapshot data kept, in GB, for the cost estimate.
        pub snapshot_gb: f64 = 0.0,
    }
}

config! {
    /// An instance store: disks physically attached to the host, lost on stop.
    pub struct InstanceStore {
        /// Size in GB.
        pub size_gb: u32 = 75,
        /// Holds data that must survive a stop or a host failure.
        pub holds_persistent_data: bool = false,
    }
}

choice! {
    /// EFS performance mode.
    pub enum EfsPerformanceMode {
        /// Lowest latency (default).
        GeneralPurpose,
        /// Higher throughput for highly parallel access, higher latency.
        MaxIo,
    }
    default GeneralPurpose
}

choice! {
    /// EFS throughput mode.
    pub enum EfsThroughputMode {
        /// Scales with the data stored.
        Bursting,
        /// Scales with the workload (console default).
        Elastic,
        /// A fixed provisioned rate.
        Provisioned,
    }
    default Elastic
}

choice! {
    /// Redundancy of a file system.
    pub enum FileSystemRedundancy {
        /// Data in several Availability Zones.
        Regional,
        /// Data in one Availability Zone, cheaper.
        OneZone,
    }
    default Regional
}

config! {
    /// An EFS file system: managed NFS shared by many instances across AZs.
    pub struct EfsFileSystem {
        /// Performance mode.
        pub performance_mode: EfsPerformanceMode = EfsPerformanceMode::GeneralPurpose,
        /// Throughput mode.
        pub throughput_mode: EfsThroughputMode = EfsThroughputMode::Elastic,
        /// Regional or One Zone.
        pub redundancy: FileSystemRedundancy = FileSystemRedundancy::Regional,
        /// Encryption at rest (console default on).
        pub encrypted: bool = true,
        /// Days before unread files move to Infrequent Access; none keeps them in Standard.
        pub transition_to_ia_days: Option<u32> = Some(30),
        /// Subnets with a mount target; one per AZ that uses the file system.
        pub mount_target_subnets: Vec<ResourceId> = Vec::new(),
        /// Security groups of the mount targets (inbound NFS, port 2049).
        pub security_groups: Vec<ResourceId> = Vec::new(),
        /// Stored data in GB, for the cost estimate.
        pub storage_gb: f64 = 50.0,
    }
}

choice! {
    /// The file system behind FSx.
    pub enum FsxType {
        /// Windows File Server (SMB).
        Windows,
        /// Lustre, for high-performance computing.
        Lustre,
        /// NetApp ONTAP.
        Ontap,
        /// OpenZFS.
        OpenZfs,
    }
    default Windows
}

config! {
    /// An FSx file system: managed third-party file systems.
    pub struct FsxFileSystem {
        /// File system type.
        pub file_system_type: FsxType = FsxType::Windows,
        /// Storage capacity in GB.
        pub storage_gb: u32 = 32,
        /// Throughput capacity in MB/s.
        pub throughput_mbps: u32 = 32,
        /// Single-AZ or Multi-AZ.
        pub redundancy: FileSystemRedundancy = FileSystemRedundancy::OneZone,
        /// Subnets of the file system.
        pub subnets: Vec<ResourceId> = Vec::new(),
    }
}

config! {
    /// An S3 Glacier vault: archives for long-term retention.
    pub struct GlacierVault {
        /// Vault Lock: a write-once policy that can no longer change.
        pub vault_lock: bool = false,
        /// Archived data in GB, for the cost estimate.
        pub storage_gb: f64 = 100.0,
    }
}
