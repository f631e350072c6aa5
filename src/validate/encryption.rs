//! Encryption rules: databases, volumes, caches and keys.

use super::context::Ctx;
use super::{Edit, Fix, Out};
use crate::model::config::storage::EbsVolume;
use crate::model::{Config, Kind, LinkKind};

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Out) {
    rds(ctx, out);
    clusters(ctx, out);
    volumes(ctx, out);
    caches(ctx, out);
    keys(ctx, out);
    secrets(ctx, out);
}

/// SEC017 (RDS storage encrypted) and SEC018 (a replica's encryption follows its source).
fn rds(ctx: &Ctx<'_>, out: &mut Out) {
    for db in ctx.of_kind(Kind::RdsInstance) {
        let Config::RdsInstance(c) = &db.config else {
            continue;
        };
        let source = ctx
            .sources(db.id.as_str(), LinkKind::Replication)
            .find(|s| s.kind() == Kind::RdsInstance);
        if let Some(source) = source {
            if let Config::RdsInstance(s) = &source.config
                && s.storage_encrypted != c.storage_encrypted
            {
                let mut fixed = c.clone();
                fixed.storage_encrypted = s.storage_encrypted;
                let (replica, master) = if c.storage_encrypted {
                    ("an encrypted", "an unencrypted")
                } else {
                    ("an unencrypted", "an encrypted")
                };
                out.emit(
                    "SEC018",
                    vec![db.id.clone(), source.id.clone()],
                    format!("{} is {replica} read replica of {master} source {}; RDS replicas share their source's encryption", db.id, source.id),
                    Some(Fix::config("Match the source's encryption", &db.id, Config::RdsInstance(fixed))),
                );
            }
            continue;
        }
        if !c.storage_encrypted {
            // Encrypt the source and its replicas together, so they keep matching.
            let mut edits = Vec::new();
            for r in std::iter::once(*db).chain(ctx.targets(db.id.as_str(), LinkKind::Replication))
            {
                if let Config::RdsInstance(c) = &r.config {
                    let mut c = c.clone();
                    c.storage_encrypted = true;
                    edits.push(Edit::SetConfig {
                        id: r.id.clone(),
                        config: Config::RdsInstance(c),
                    });
                }
            }
            out.emit(
                "SEC017",
                vec![db.id.clone()],
                format!("database {} stores its data unencrypted", db.id),
                Some(Fix {
                    label: "Encrypt the storage (and its replicas')".into(),
                    edits,
                }),
            );
        }
    }
}

/// SEC026: Aurora, DocumentDB and Neptune storage encrypted.
fn clusters(ctx: &Ctx<'_>, out: &mut Out) {
    for kind in [
        Kind::AuroraCluster,
        Kind::DocumentDbCluster,
        Kind::NeptuneCluster,
    ] {
        for r in ctx.of_kind(kind) {
            let fixed = match &r.config {
                Config::AuroraCluster(c) if !c.storage_encrypted => {
                    let mut c = c.clone();
                    c.storage_encrypted = true;
                    Config::AuroraCluster(c)
                }
                Config::DocumentDbCluster(c) if !c.storage_encrypted => {
                    let mut c = c.clone();
                    c.storage_encrypted = true;
                    Config::DocumentDbCluster(c)
                }
                Config::NeptuneCluster(c) if !c.storage_encrypted => {
                    let mut c = c.clone();
                    c.storage_encrypted = true;
                    Config::NeptuneCluster(c)
                }
                _ => continue,
            };
            out.emit(
                "SEC026",
                vec![r.id.clone()],
                format!("cluster {} stores its data unencrypted", r.id),
                Some(Fix::config("Encrypt the storage", &r.id, fixed)),
            );
        }
    }
}

/// SEC025: EBS volumes encrypted.
fn volumes(ctx: &Ctx<'_>, out: &mut Out) {
    for v in ctx.of_kind(Kind::EbsVolume) {
        if let Config::EbsVolume(c) = &v.config
            && !c.encrypted
        {
            out.emit(
                "SEC025",
                vec![v.id.clone()],
                format!("volume {} is not encrypted", v.id),
                Some(Fix::config(
                    "Encrypt the volume",
                    &v.id,
                    Config::EbsVolume(EbsVolume {
                        encrypted: true,
                        ..c.clone()
                    }),
                )),
            );
        }
    }
}

/// SEC027: ElastiCache encrypted at rest and in transit.
fn caches(ctx: &Ctx<'_>, out: &mut Out) {
    for cache in ctx.of_kind(Kind::ElastiCacheCluster) {
        let Config::ElastiCacheCluster(c) = &cache.config else {
            continue;
        };
        if c.engine == crate::model::config::database::CacheEngine::Memcached {
            continue; // Memcached offers in-transit encryption only; nothing at rest to fix.
        }
        if !(c.encryption_at_rest && c.encryption_in_transit) {
            let mut fixed = c.clone();
            fixed.encryption_at_rest = true;
            fixed.encryption_in_transit = true;
            out.emit(
                "SEC027",
                vec![cache.id.clone()],
                format!(
                    "cache {} is not encrypted both at rest and in transit",
                    cache.id
                ),
                Some(Fix::config(
                    "Encrypt at rest and in transit",
                    &cache.id,
                    Config::ElastiCacheCluster(fixed),
                )),
            );
        }
    }
}

/// SEC029: customer managed keys rotate yearly.
fn keys(ctx: &Ctx<'_>, out: &mut Out) {
    for key in ctx.of_kind(Kind::KmsKey) {
        if let Config::KmsKey(c) = &key.config
            && !c.rotation
        {
            let mut fixed = c.clone();
            fixed.rotation = true;
            out.emit(
                "SEC029",
                vec![key.id.clone()],
                format!("KMS key {} does not rotate", key.id),
                Some(Fix::config(
                    "Rotate the key every year",
                    &key.id,
                    Config::KmsKey(fixed),
                )),
            );
        }
    }
}

/// SEC031: secrets rotate automatically; SEC032: a rotating secret is linked to the Lambda
/// function that rotates it.
fn secrets(ctx: &Ctx<'_>, out: &mut Out) {
    for secret in ctx.of_kind(Kind::SecretsManagerSecret) {
        let Config::SecretsManagerSecret(c) = &secret.config else {
            continue;
        };
        let rotator = ctx
            .targets(secret.id.as_str(), LinkKind::EventTrigger)
            .any(|t| t.kind() == Kind::LambdaFunction);
        match c.rotation_days {
            None => {
                // Rotation needs a function: offered in one click once one is linked.
                let fix = rotator.then(|| {
                    let mut fixed = c.clone();
                    fixed.rotation_days = Some(30);
                    Fix::config(
                        "Rotate the secret every 30 days",
                        &secret.id,
                        Config::SecretsManagerSecret(fixed),
                    )
                });
                out.emit(
                    "SEC031",
                    vec![secret.id.clone()],
                    format!("secret {} never rotates", secret.id),
                    fix,
                );
            }
            Some(days) if !rotator => out.emit(
                "SEC032",
                vec![secret.id.clone()],
                format!(
                    "secret {} is to rotate every {days} days, but no Lambda function is linked to rotate it",
                    secret.id
                ),
                None,
            ),
            Some(_) => {}
        }
    }
}
