//! S3 rules: bucket names, public access, versioning for replication and MFA delete,
//! logging loops and lifecycle transitions.

use std::collections::HashMap;

use super::context::Ctx;
use super::{Fix, Out};
use crate::model::config::storage::{S3Bucket, S3Encryption, StorageClass, Versioning};
use crate::model::{Config, Kind, LinkKind, Resource};

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Out) {
    let buckets: Vec<(&Resource, &S3Bucket)> = ctx
        .of_kind(Kind::S3Bucket)
        .iter()
        .filter_map(|r| match &r.config {
            Config::S3Bucket(b) => Some((*r, b)),
            _ => None,
        })
        .collect();
    names(&buckets, out);
    for (r, b) in &buckets {
        public_access(r, b, out);
        encryption(r, b, out);
        versioning(ctx, r, b, out);
        lifecycle(r, b, out);
    }
}

fn fixed(r: &Resource, b: &S3Bucket, label: &str, f: &dyn Fn(&mut S3Bucket)) -> Option<Fix> {
    let mut b = b.clone();
    f(&mut b);
    Some(Fix::config(label, &r.id, Config::S3Bucket(b)))
}

/// Why a bucket name breaks S3's naming rules, if it does.
pub(super) fn name_problem(name: &str) -> Option<&'static str> {
    if !(3..=63).contains(&name.len()) {
        return Some("must be 3 to 63 characters long");
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-')
    {
        return Some("may hold only lower-case letters, digits, dots and hyphens");
    }
    let edge_ok = |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if !edge_ok(name.chars().next()) || !edge_ok(name.chars().last()) {
        return Some("must begin and end with a letter or digit");
    }
    if name.contains("..") {
        return Some("may not hold two dots in a row");
    }
    if name.parse::<std::net::Ipv4Addr>().is_ok() {
        return Some("may not look like an IP address");
    }
    if name.starts_with("xn--") || name.ends_with("-s3alias") {
        return Some("may not start with xn-- or end with -s3alias");
    }
    None
}

/// The nearest valid name: lower case, other characters as hyphens, trimmed to 63.
fn valid_name(name: &str) -> String {
    let mut fixed: String = name
        .chars()
        .map(|c| {
            let c = c.to_ascii_lowercase();
            if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    while fixed.contains("..") {
        fixed = fixed.replace("..", ".");
    }
    fixed.truncate(63);
    let mut fixed = fixed
        .trim_matches(|c: char| !c.is_ascii_alphanumeric())
        .to_owned();
    if let Some(rest) = fixed.strip_prefix("xn--") {
        fixed = format!("xn-{rest}");
    }
    if let Some(rest) = fixed.strip_suffix("-s3alias") {
        fixed = format!("{rest}-s3-alias");
    }
    if fixed.len() < 3 || fixed.parse::<std::net::Ipv4Addr>().is_ok() {
        format!("bucket-{fixed}").chars().take(63).collect()
    } else {
        fixed
    }
}

/// STO001 (naming rules) and STO002 (names are globally unique, so unique here too).
fn names(buckets: &[(&Resource, &S3Bucket)], out: &mut Out) {
    let mut by_name: HashMap<&str, Vec<&Resource>> = HashMap::new();
    for (r, b) in buckets {
        by_name.entry(b.bucket_name.as_str()).or_default().push(r);
        if let Some(problem) = name_problem(&b.bucket_name) {
            let name = valid_name(&b.bucket_name);
            out.emit(
                "STO001",
                vec![r.id.clone()],
                format!("bucket name `{}` {problem}", b.bucket_name),
                (name_problem(&name).is_none())
                    .then(|| {
                        fixed(r, b, &format!("Rename the bucket `{name}`"), &|b| {
                            b.bucket_name = name.clone()
                        })
                    })
                    .flatten(),
            );
        }
    }
    let mut duplicates: Vec<_> = by_name.into_iter().filter(|(_, rs)| rs.len() > 1).collect();
    duplicates.sort_by_key(|(name, _)| *name);
    for (name, rs) in duplicates {
        out.emit(
            "STO002",
            rs.iter().map(|r| r.id.clone()).collect(),
            format!(
                "{} buckets are named `{name}`; bucket names are unique across all of AWS",
                rs.len()
            ),
            None,
        );
    }
}

/// SEC008: a bucket readable by everyone that does not host a website.
fn public_access(r: &Resource, b: &S3Bucket, out: &mut Out) {
    if b.public_read_policy && !b.block_public_access && !b.website_hosting {
        out.emit(
            "SEC008",
            vec![r.id.clone()],
            format!(
                "bucket {} is readable by anyone on the internet but hosts no website",
                r.id
            ),
            fixed(r, b, "Block public access", &|b| {
                b.public_read_policy = false;
                b.block_public_access = true;
            }),
        );
    }
}

/// SEC010 (SSE-C needs HTTPS) and SEC009 (default encryption).
fn encryption(r: &Resource, b: &S3Bucket, out: &mut Out) {
    match b.encryption {
        S3Encryption::SseC if b.website_hosting => out.emit(
            "SEC010",
            vec![r.id.clone()],
            format!(
                "bucket {} uses customer-provided keys (SSE-C) behind a website endpoint, which speaks only HTTP; S3 refuses SSE-C over HTTP",
                r.id
            ),
            None,
        ),
        S3Encryption::None => out.emit(
            "SEC009",
            vec![r.id.clone()],
            format!("bucket {} stores objects without default encryption", r.id),
            fixed(r, b, "Encrypt with S3-managed keys (SSE-S3)", &|b| {
                b.encryption = S3Encryption::SseS3;
            }),
        ),
        _ => {}
    }
}

/// STO003 (replication needs versioning on both buckets), STO004 (no access logs into the
/// bucket itself) and STO005 (MFA delete needs versioning).
fn versioning(ctx: &Ctx<'_>, r: &Resource, b: &S3Bucket, out: &mut Out) {
    for target in ctx
        .targets(r.id.as_str(), LinkKind::Replication)
        .filter(|t| t.kind() == Kind::S3Bucket)
    {
        let Config::S3Bucket(t) = &target.config else {
            continue;
        };
        if b.versioning != Versioning::Enabled || t.versioning != Versioning::Enabled {
            let mut edits = Vec::new();
            for (res, bucket) in [(r, b), (target, t)] {
                if bucket.versioning != Versioning::Enabled {
                    edits.push(super::Edit::SetConfig {
                        id: res.id.clone(),
                        config: Config::S3Bucket(S3Bucket {
                            versioning: Versioning::Enabled,
                            ..bucket.clone()
                        }),
                    });
                }
            }
            out.emit(
                "STO003",
                vec![r.id.clone(), target.id.clone()],
                format!(
                    "{} replicates to {}, but replication needs versioning on both buckets",
                    r.id, target.id
                ),
                Some(Fix {
                    label: "Enable versioning on both buckets".into(),
                    edits,
                }),
            );
        }
    }
    if b.access_log_bucket.as_ref() == Some(&r.id) {
        out.emit(
            "STO004",
            vec![r.id.clone()],
            format!("bucket {} writes its access logs into itself: each log write is logged again, without end", r.id),
            fixed(r, b, "Stop logging into the bucket itself", &|b| b.access_log_bucket = None),
        );
    }
    if b.mfa_delete && b.versioning != Versioning::Enabled {
        out.emit(
            "STO005",
            vec![r.id.clone()],
            format!(
                "bucket {} asks for MFA delete without versioning, which MFA delete protects",
                r.id
            ),
            fixed(r, b, "Enable versioning", &|b| {
                b.versioning = Versioning::Enabled
            }),
        );
    }
}

/// Days an object is billed for at least, once in a class.
fn minimum_days(class: StorageClass) -> u32 {
    match class {
        StorageClass::StandardIa | StorageClass::OneZoneIa => 30,
        StorageClass::GlacierInstantRetrieval | StorageClass::GlacierFlexibleRetrieval => 90,
        StorageClass::GlacierDeepArchive => 180,
        StorageClass::Standard | StorageClass::IntelligentTiering => 0,
    }
}

/// STO006 (moves to Standard-IA or One Zone-IA wait 30 days) and STO007 (objects stay in
/// a class for its minimum duration before moving on or expiring).
fn lifecycle(r: &Resource, b: &S3Bucket, out: &mut Out) {
    for rule in &b.lifecycle_rules {
        let mut steps: Vec<(u32, StorageClass)> = rule
            .transitions
            .iter()
            .map(|t| (t.days, t.storage_class))
            .collect();
        steps.sort_by_key(|s| s.0);
        for (days, class) in &steps {
            if matches!(class, StorageClass::StandardIa | StorageClass::OneZoneIa) && *days < 30 {
                out.emit(
                    "STO006",
                    vec![r.id.clone()],
                    format!("bucket {} moves objects to {class:?} after {days} days; S3 requires at least 30", r.id),
                    None,
                );
            }
        }
        let mut events: Vec<(u32, Option<StorageClass>)> =
            steps.iter().map(|(d, c)| (*d, Some(*c))).collect();
        if let Some(expiry) = rule.expiration_days {
            events.push((expiry, None));
        }
        events.sort_by_key(|e| e.0);
        let mut previous = (0, b.storage_class);
        for (days, next) in events {
            let stay = days.saturating_sub(previous.0);
            let minimum = minimum_days(previous.1);
            if stay < minimum {
                let what = next.map_or("expiring".to_owned(), |c| format!("moving to {c:?}"));
                out.emit(
                    "STO007",
                    vec![r.id.clone()],
                    format!(
                        "bucket {} keeps objects {stay} days in {:?} before {what}; that class bills at least {minimum} days",
                        r.id, previous.1
                    ),
                    None,
                );
            }
            if let Some(class) = next {
                previous = (days, class);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{name_problem, valid_name};

    #[test]
    fn bucket_names_follow_the_s3_rules() {
        for good in ["my-bucket", "logs.example.com", "abc", "a1-b2"] {
            assert_eq!(name_problem(good), None, "{good}");
        }
        for bad in [
            "ab",
            "Shop_Assets",
            "-start",
            "end-",
            "a..b",
            "192.168.1.1",
            "xn--abc",
            &"a".repeat(64),
        ] {
            assert!(name_problem(bad).is_some(), "{bad}");
            assert_eq!(
                name_problem(&valid_name(bad)),
                None,
                "{bad} -> {}",
                valid_name(bad)
            );
        }
        assert_eq!(valid_name("Shop_Assets"), "shop-assets");
    }
}
