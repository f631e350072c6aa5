//! Configuration of databases and caches.

use crate::model::ResourceId;

choice! {
    /// An RDS database engine.
    pub enum RdsEngine {
        /// MySQL.
        MySql,
        /// PostgreSQL.
        PostgreSql,
        /// MariaDB.
        MariaDb,
        /// Oracle (at most 5 read replicas).
        Oracle,
        /// Microsoft SQL Server (at most 5 read replicas).
        SqlServer,
        /// IBM Db2 (at most 3 read replicas).
        Db2,
    }
    default MySql
}

choice! {
    /// Storage of an RDS instance.
    pub enum RdsStorageType {
        /// General purpose SSD (gp2).
        Gp2,
        /// General purpose SSD (gp3).
        Gp3,
        /// Provisioned IOPS SSD.
        Io1,
        /// Provisioned IOPS SSD, newer.
        Io2,
        /// Magnetic (previous generation).
        Magnetic,
    }
    default Gp2
}

config! {
    /// An RDS DB instance: a managed relational database.
    ///
    /// Read replicas are other RDS instances joined by replication links from this one.
    pub struct RdsInstance {
        /// Engine.
        pub engine: RdsEngine = RdsEngine::MySql,
        /// Instance class, such as `db.t3.micro`.
        pub instance_class: String = "db.t3.micro".into(),
        /// Storage type.
        pub storage_type: RdsStorageType = RdsStorageType::Gp2,
        /// Allocated storage in GB (20 GB is the smallest general purpose volume).
        pub allocated_storage_gb: u32 = 20,
        /// Provisioned IOPS (io1, io2, gp3 above baseline).
        pub iops: Option<u32> = None,
        /// A synchronous standby in another AZ, with automatic failover.
        pub multi_az: bool = false,
        /// Encryption at rest; fixed at creation.
        pub storage_encrypted: bool = false,
        /// KMS key of the encryption.
        pub kms_key: Option<ResourceId> = None,
        /// Days of automated backups, 0 to 35; 0 disables them (API default 1).
        pub backup_retention_days: u32 = 1,
        /// Backup storage beyond the free allowance, in GB, for the cost estimate.
        pub extra_backup_gb: f64 = 0.0,
        /// Reachable from outside the VPC.
        pub publicly_accessible: bool = false,
        /// Subnets of the DB subnet group (two AZs or more).
        pub subnets: Vec<ResourceId> = Vec::new(),
        /// Security groups of the database.
        pub security_groups: Vec<ResourceId> = Vec::new(),
        /// IAM database authentication (MySQL and PostgreSQL).
        pub iam_authentication: bool = false,
        /// Connections refused without TLS.
        pub force_ssl: bool = false,
        /// Deletion protection.
        pub deletion_protection: bool = false,
        /// Mean time to run one query in ms, on one vCPU, for the simulation (an assumption).
        pub query_time_ms: f64 = 5.0,
        /// Most client connections at once; none uses the engine's default for the class's
        /// memory (MySQL and MariaDB: memory / 12,582,880 bytes; PostgreSQL: memory /
        /// 9,531,392 bytes, at most 5,000; RDS parameter-group defaults).
        pub max_connections: Option<u32> = None,
        /// Seconds a Multi-AZ failover takes, for the simulation ("typically 60–120
        /// seconds", RDS user guide).
        pub failover_secs: u32 = 90,
    }
}

choice! {
    /// An Aurora engine.
    pub enum AuroraEngine {
        /// MySQL-compatible.
        AuroraMySql,
        /// PostgreSQL-compatible.
        AuroraPostgreSql,
    }
    default AuroraMySql
}

config! {
    /// An Aurora cluster: a writer and up to 15 replicas over storage kept six times in
    /// three AZs.
    pub struct AuroraCluster {
        /// Engine.
        pub engine: AuroraEngine = AuroraEngine::AuroraMySql,
        /// Instance class of the writer and replicas.
        pub instance_class: String = "db.r6g.large".into(),
        /// Aurora Replicas (readers), 0 to 15; each can be promoted on failover.
        pub replicas: u32 = 1,
        /// Aurora Serverless v2 instead of provisioned instances.
        pub serverless: bool = false,
        /// Fewest Aurora capacity units (Serverless v2).
        pub min_capacity_acu: f64 = 0.5,
        /// Most Aurora capacity units (Serverless v2).
        pub max_capacity_acu: f64 = 16.0,
        /// Part of a Global Database (read-only copies in other Regions).
        pub global: bool = false,
        /// I/O-Optimized storage pricing.
        pub io_optimized: bool = false,
        /// Encryption at rest.
        pub storage_encrypted: bool = true,
        /// Days of automated backups, 1 to 35.
        pub backup_retention_days: u32 = 1,
        /// Subnets of the DB subnet group.
        pub subnets: Vec<ResourceId> = Vec::new(),
        /// Security groups.
        pub security_groups: Vec<ResourceId> = Vec::new(),
        /// Reachable from outside the VPC.
        pub publicly_accessible: bool = false,
        /// Stored data in GB, for the cost estimate.
        pub storage_gb: f64 = 50.0,
        /// I/O requests per month in millions, for the cost estimate.
        pub io_requests_millions: f64 = 100.0,
        /// Mean time of one query in ms, for the simulation.
        pub query_time_ms: f64 = 5.0,
        /// Seconds a failover to a replica takes, for the simulation ("often less than 30
        /// seconds", Aurora user guide); without a replica the writer is re-created, in
        /// about 10 minutes.
        pub failover_secs: u32 = 30,
    }
}

choice! {
    /// How DynamoDB capacity is bought.
    pub enum CapacityMode {
        /// Pay per request; scales instantly to twice the previous peak.
        OnDemand,
        /// Fixed read and write capacity units; excess is throttled.
        Provisioned,
    }
    default OnDemand
}

choice! {
    /// Encryption key of a DynamoDB table (always encrypted at rest).
    pub enum DynamoDbEncryption {
        /// Key owned by DynamoDB (default, free).
        AwsOwned,
        /// AWS managed KMS key.
        AwsManaged,
        /// Customer managed KMS key.
        CustomerManaged,
    }
    default AwsOwned
}

config! {
    /// A DynamoDB table: serverless key-value and document storage.
    pub struct DynamoDbTable {
        /// Table name.
        pub table_name: String = String::new(),
        /// Partition key attribute.
        pub partition_key: String = "id".into(),
        /// Sort key attribute, if any.
        pub sort_key: Option<String> = None,
        /// On-demand or provisioned capacity.
        pub capacity_mode: CapacityMode = CapacityMode::OnDemand,
        /// Read capacity units (provisioned; console default 5).
        pub read_capacity_units: u32 = 5,
        /// Write capacity units (provisioned; console default 5).
        pub write_capacity_units: u32 = 5,
        /// Point-in-time recovery.
        pub point_in_time_recovery: bool = false,
        /// Encryption key.
        pub encryption: DynamoDbEncryption = DynamoDbEncryption::AwsOwned,
        /// Streams of item changes (needed for triggers and global tables).
        pub streams: bool = false,
        /// Other Regions of a global table.
        pub replica_regions: Vec<String> = Vec::new(),
        /// Stored data in GB, for the cost estimate.
        pub storage_gb: f64 = 1.0,
        /// Read request units per month in millions (on-demand), for the cost estimate.
        pub reads_per_month_millions: f64 = 10.0,
        /// Write request units per month in millions (on-demand), for the cost estimate.
        pub writes_per_month_millions: f64 = 1.0,
        /// Typical item size in KB, for the simulation: a read uses one unit per 4 KB, a
        /// write one per 1 KB (DynamoDB developer guide, read/write capacity units).
        pub item_size_kb: f64 = 1.0,
        /// Reads are strongly consistent (a whole unit) rather than eventually consistent
        /// (half a unit, the SDK default).
        pub consistent_reads: bool = false,
        /// Mean latency of a read or write in ms, for the simulation ("single-digit
        /// millisecond", DynamoDB developer guide).
        pub latency_ms: f64 = 5.0,
    }
}

choice! {
    /// An ElastiCache engine.
    pub enum CacheEngine {
        /// Redis OSS: replicas, failover, persistence, backups.
        Redis,
        /// Valkey: Redis-compatible, about 20 % cheaper.
        Valkey,
        /// Memcached: multi-threaded, sharded, no persistence or replicas.
        Memcached,
    }
    default Redis
}

config! {
    /// An ElastiCache cluster: a managed in-memory cache.
    pub struct ElastiCacheCluster {
        /// Engine.
        pub engine: CacheEngine = CacheEngine::Redis,
        /// Node type, such as `cache.t3.micro`.
        pub node_type: String = "cache.t3.micro".into(),
        /// Shards (Redis/Valkey) or nodes (Memcached).
        pub shards: u32 = 1,
        /// Replicas per shard, 0 to 5 (Redis/Valkey).
        pub replicas_per_shard: u32 = 0,
        /// Multi-AZ with automatic failover to a replica.
        pub automatic_failover: bool = false,
        /// Encryption at rest.
        pub encryption_at_rest: bool = false,
        /// Encryption in transit (TLS).
        pub encryption_in_transit: bool = false,
        /// Holds data that must not be lost (sessions, not just a cache).
        pub durable_data: bool = false,
        /// Days of snapshots (Redis/Valkey); 0 disables them.
        pub snapshot_retention_days: u32 = 0,
        /// Expected share of reads answered from the cache (an assumption).
        pub hit_ratio: f64 = 0.8,
        /// Mean time of one cache operation in ms, for the simulation (sub-millisecond,
        /// per the ElastiCache documentation; an assumption within that).
        pub operation_time_ms: f64 = 0.5,
        /// Seconds a replica takes to be promoted when the primary fails, with automatic
        /// failover (the documentation gives no figure; an assumption).
        pub failover_secs: u32 = 30,
        /// Distinct keys the application reads, for the simulation: when a Memcached node
        /// is lost (or replaced empty), its share of them misses until each is read again
        /// and cached (an assumption about the workload).
        pub working_set_keys: u32 = 100_000,
        /// Subnets of the cache subnet group.
        pub subnets: Vec<ResourceId> = Vec::new(),
        /// Security groups.
        pub security_groups: Vec<ResourceId> = Vec::new(),
    }
}

config! {
    /// A MemoryDB cluster: a durable, Redis-compatible in-memory database.
    pub struct MemoryDbCluster {
        /// Node type.
        pub node_type: String = "db.t4g.small".into(),
        /// Shards.
        pub shards: u32 = 1,
        /// Replicas per shard.
        pub replicas_per_shard: u32 = 1,
        /// TLS in transit (MemoryDB default on).
        pub tls: bool = true,
        /// Subnets.
        pub subnets: Vec<ResourceId> = Vec::new(),
        /// Security groups.
        pub security_groups: Vec<ResourceId> = Vec::new(),
    }
}

config! {
    /// A DocumentDB cluster: a MongoDB-compatible document database.
    pub struct DocumentDbCluster {
        /// Instance class.
        pub instance_class: String = "db.t3.medium".into(),
        /// Instances (one writer plus replicas).
        pub instances: u32 = 1,
        /// Encryption at rest.
        pub storage_encrypted: bool = false,
        /// Days of automated backups.
        pub backup_retention_days: u32 = 1,
        /// Subnets.
        pub subnets: Vec<ResourceId> = Vec::new(),
        /// Security groups.
        pub security_groups: Vec<ResourceId> = Vec::new(),
    }
}

config! {
    /// A Keyspaces table: serverless Apache Cassandra-compatible storage.
    pub struct KeyspacesTable {
        /// On-demand or provisioned capacity.
        pub capacity_mode: CapacityMode = CapacityMode::OnDemand,
        /// Point-in-time recovery.
        pub point_in_time_recovery: bool = false,
    }
}

config! {
    /// A Neptune cluster: a managed graph database.
    pub struct NeptuneCluster {
        /// Instance class.
        pub instance_class: String = "db.t3.medium".into(),
        /// Instances (one writer plus replicas).
        pub instances: u32 = 1,
        /// Neptune Serverless.
        pub serverless: bool = false,
        /// Encryption at rest.
        pub storage_encrypted: bool = false,
        /// Subnets.
        pub subnets: Vec<ResourceId> = Vec::new(),
        /// Security groups.
        pub security_groups: Vec<ResourceId> = Vec::new(),
    }
}

config! {
    /// A Timestream database: serverless time-series storage.
    pub struct TimestreamDatabase {
        /// Hours data stays in the fast memory store.
        pub memory_retention_hours: u32 = 24,
        /// Days data stays in the magnetic store.
        pub magnetic_retention_days: u32 = 365,
    }
}

config! {
    /// A QLDB ledger: an immutable, cryptographically verifiable journal.
    pub struct QldbLedger {
        /// Deletion protection (AWS default on).
        pub deletion_protection: bool = true,
    }
}
