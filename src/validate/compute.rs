//! Compute rules: Lambda limits, Fargate sizes, volumes and their instances, Elastic IPs,
//! EFS mount targets and instance types.

use super::context::Ctx;
use super::{Fix, Out};
use crate::model::config::compute::{EcsTaskDefinition, LambdaFunction, LaunchType};
use crate::model::config::storage::{EbsVolume, VolumeType};
use crate::model::{Config, Kind, LinkKind};

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Out) {
    lambda(ctx, out);
    fargate(ctx, out);
    volumes(ctx, out);
    elastic_ips(ctx, out);
    file_systems(ctx, out);
    instance_types(ctx, out);
}

/// Lambda's limits: timeout up to 900 s, memory 128–10,240 MB, ephemeral storage
/// 512–10,240 MB.
const LAMBDA_MAX_TIMEOUT_SECS: u32 = 900;
const LAMBDA_MEMORY_MB: std::ops::RangeInclusive<u32> = 128..=10_240;
const LAMBDA_STORAGE_MB: std::ops::RangeInclusive<u32> = 512..=10_240;

/// CMP001 (timeout), CMP002 (memory), CMP010 (reserved concurrency 0), CMP011 (a queue's
/// visibility timeout covers its consumer's timeout) and CMP012 (ephemeral storage).
fn lambda(ctx: &Ctx<'_>, out: &mut Out) {
    for f in ctx.of_kind(Kind::LambdaFunction) {
        let Config::LambdaFunction(c) = &f.config else {
            continue;
        };
        let fixed = |g: &dyn Fn(&mut LambdaFunction)| {
            let mut c = c.clone();
            g(&mut c);
            Config::LambdaFunction(c)
        };
        if c.timeout_secs > LAMBDA_MAX_TIMEOUT_SECS {
            out.emit(
                "CMP001",
                vec![f.id.clone()],
                format!(
                    "{} has a {} s timeout; Lambda stops every function at 900 s (15 minutes)",
                    f.id, c.timeout_secs
                ),
                Some(Fix::config(
                    "Use the 900 s maximum",
                    &f.id,
                    fixed(&|c| c.timeout_secs = 900),
                )),
            );
        }
        if !LAMBDA_MEMORY_MB.contains(&c.memory_mb) {
            let memory = c
                .memory_mb
                .clamp(*LAMBDA_MEMORY_MB.start(), *LAMBDA_MEMORY_MB.end());
            out.emit(
                "CMP002",
                vec![f.id.clone()],
                format!(
                    "{} asks for {} MB of memory; Lambda offers 128 to 10,240 MB",
                    f.id, c.memory_mb
                ),
                Some(Fix::config(
                    format!("Use {memory} MB"),
                    &f.id,
                    fixed(&|c| c.memory_mb = memory),
                )),
            );
        }
        if !LAMBDA_STORAGE_MB.contains(&c.ephemeral_storage_mb) {
            let storage = c
                .ephemeral_storage_mb
                .clamp(*LAMBDA_STORAGE_MB.start(), *LAMBDA_STORAGE_MB.end());
            out.emit(
                "CMP012",
                vec![f.id.clone()],
                format!(
                    "{} asks for {} MB of /tmp; Lambda offers 512 to 10,240 MB",
                    f.id, c.ephemeral_storage_mb
                ),
                Some(Fix::config(
                    format!("Use {storage} MB"),
                    &f.id,
                    fixed(&|c| c.ephemeral_storage_mb = storage),
                )),
            );
        }
        if c.reserved_concurrency == Some(0) {
            out.emit(
                "CMP010",
                vec![f.id.clone()],
                format!(
                    "{} has reserved concurrency 0, so every invocation is throttled",
                    f.id
                ),
                Some(Fix::config(
                    "Remove the reservation",
                    &f.id,
                    fixed(&|c| c.reserved_concurrency = None),
                )),
            );
        }
        for queue in ctx.sources(f.id.as_str(), LinkKind::EventTrigger) {
            let Config::SqsQueue(q) = &queue.config else {
                continue;
            };
            if q.visibility_timeout_secs < c.timeout_secs {
                let mut fixed_queue = q.clone();
                fixed_queue.visibility_timeout_secs = c.timeout_secs.saturating_mul(6).min(43_200);
                out.emit(
                    "CMP011",
                    vec![queue.id.clone(), f.id.clone()],
                    format!(
                        "queue {} hides a message for {} s but {} may run {} s, so messages reappear while still being processed",
                        queue.id, q.visibility_timeout_secs, f.id, c.timeout_secs
                    ),
                    Some(Fix::config(
                        format!("Set the visibility timeout to {} s", fixed_queue.visibility_timeout_secs),
                        &queue.id,
                        Config::SqsQueue(fixed_queue),
                    )),
                );
            }
        }
    }
}

/// The memory sizes Fargate offers for a task CPU size, in MB.
fn fargate_memory(cpu_units: u32) -> Option<Vec<u32>> {
    let (from, to, step) = match cpu_units {
        256 => return Some(vec![512, 1024, 2048]),
        512 => (1024, 4096, 1024),
        1024 => (2048, 8192, 1024),
        2048 => (4096, 16_384, 1024),
        4096 => (8192, 30_720, 1024),
        8192 => (16_384, 61_440, 4096),
        16_384 => (32_768, 122_880, 8192),
        _ => return None,
    };
    Some((from..=to).step_by(step).collect())
}

/// CMP003: Fargate runs only certain CPU and memory combinations.
fn fargate(ctx: &Ctx<'_>, out: &mut Out) {
    for service in ctx.of_kind(Kind::EcsService) {
        let Config::EcsService(s) = &service.config else {
            continue;
        };
        if s.launch_type != LaunchType::Fargate {
            continue;
        }
        let Some(task) = s.task_definition.as_ref().and_then(|t| ctx.get(t.as_str())) else {
            continue;
        };
        let Config::EcsTaskDefinition(t) = &task.config else {
            continue;
        };
        let sizes = fargate_memory(t.cpu_units);
        if sizes.as_ref().is_some_and(|m| m.contains(&t.memory_mb)) {
            continue;
        }
        let fix = sizes.and_then(|m| {
            let nearest = *m.iter().min_by_key(|size| size.abs_diff(t.memory_mb))?;
            Some(Fix::config(
                format!("Use {nearest} MB"),
                &task.id,
                Config::EcsTaskDefinition(EcsTaskDefinition {
                    memory_mb: nearest,
                    ..t.clone()
                }),
            ))
        });
        out.emit(
            "CMP003",
            vec![task.id.clone(), service.id.clone()],
            format!(
                "task {} asks Fargate for {} CPU units with {} MB, which is not a size Fargate runs",
                task.id, t.cpu_units, t.memory_mb
            ),
            fix,
        );
    }
}

/// CMP004 (a volume in its instance's AZ), CMP005 (no throughput HDD as a boot volume) and
/// CMP006 (no lasting data on instance store).
fn volumes(ctx: &Ctx<'_>, out: &mut Out) {
    for volume in ctx.of_kind(Kind::EbsVolume) {
        let Config::EbsVolume(c) = &volume.config else {
            continue;
        };
        for instance in ctx
            .targets(volume.id.as_str(), LinkKind::Attachment)
            .filter(|t| t.kind() == Kind::Ec2Instance)
        {
            let here = ctx.place(volume.id.as_str()).az.map(|a| &a.id);
            let there = ctx.place(instance.id.as_str()).az.map(|a| &a.id);
            if here.is_some() && there.is_some() && here != there {
                out.emit(
                    "CMP004",
                    vec![volume.id.clone(), instance.id.clone()],
                    format!("volume {} and instance {} are in different AZs; EBS attaches only within one AZ", volume.id, instance.id),
                    None,
                );
            }
        }
        if c.boot_volume && matches!(c.volume_type, VolumeType::St1 | VolumeType::Sc1) {
            out.emit(
                "CMP005",
                vec![volume.id.clone()],
                format!(
                    "{} is a {:?} boot volume; HDD volume types cannot boot an instance",
                    volume.id, c.volume_type
                ),
                Some(Fix::config(
                    "Use gp3",
                    &volume.id,
                    Config::EbsVolume(EbsVolume {
                        volume_type: VolumeType::Gp3,
                        ..c.clone()
                    }),
                )),
            );
        }
    }
    for r in ctx
        .of_kind(Kind::Ec2Instance)
        .iter()
        .chain(ctx.of_kind(Kind::LaunchTemplate))
    {
        let root = match &r.config {
            Config::Ec2Instance(c) => &c.root_volume,
            Config::LaunchTemplate(c) => &c.root_volume,
            _ => continue,
        };
        if matches!(root.volume_type, VolumeType::St1 | VolumeType::Sc1) {
            let config = match &r.config {
                Config::Ec2Instance(c) => {
                    let mut c = c.clone();
                    c.root_volume.volume_type = VolumeType::Gp3;
                    Config::Ec2Instance(c)
                }
                Config::LaunchTemplate(c) => {
                    let mut c = c.clone();
                    c.root_volume.volume_type = VolumeType::Gp3;
                    Config::LaunchTemplate(c)
                }
                _ => continue,
            };
            out.emit(
                "CMP005",
                vec![r.id.clone()],
                format!(
                    "the root volume of {} is {:?}; HDD volume types cannot boot an instance",
                    r.id, root.volume_type
                ),
                Some(Fix::config("Use gp3 for the root volume", &r.id, config)),
            );
        }
    }
    for store in ctx.of_kind(Kind::InstanceStore) {
        if let Config::InstanceStore(c) = &store.config
            && c.holds_persistent_data
        {
            out.emit(
                "CMP006",
                vec![store.id.clone()],
                format!("{} keeps data that must last on instance store, which is lost when the instance stops", store.id),
                None,
            );
        }
    }
}

/// CMP007: an Elastic IP attached to nothing is billed by the hour.
fn elastic_ips(ctx: &Ctx<'_>, out: &mut Out) {
    for eip in ctx.of_kind(Kind::ElasticIp) {
        let attached = ctx
            .targets(eip.id.as_str(), LinkKind::Attachment)
            .chain(ctx.sources(eip.id.as_str(), LinkKind::Attachment))
            .next()
            .is_some();
        if !attached {
            out.emit(
                "CMP007",
                vec![eip.id.clone()],
                format!("Elastic IP {} is not attached to anything", eip.id),
                None,
            );
        }
    }
}

/// CMP008: an EFS file system has a mount target in every AZ whose resources use it.
fn file_systems(ctx: &Ctx<'_>, out: &mut Out) {
    for fs in ctx.of_kind(Kind::EfsFileSystem) {
        let Config::EfsFileSystem(c) = &fs.config else {
            continue;
        };
        let mounted: std::collections::BTreeSet<_> = c
            .mount_target_subnets
            .iter()
            .filter_map(|s| ctx.place(s.as_str()).az.map(|a| &a.id))
            .collect();
        let clients: Vec<_> = ctx
            .sources(fs.id.as_str(), LinkKind::Traffic)
            .chain(ctx.sources(fs.id.as_str(), LinkKind::Attachment))
            .chain(ctx.targets(fs.id.as_str(), LinkKind::Attachment))
            .collect();
        let mut missing = std::collections::BTreeSet::new();
        for client in &clients {
            for az in ctx.azs_of(client) {
                if !mounted.contains(az) {
                    missing.insert(az);
                }
            }
        }
        if !missing.is_empty() {
            out.emit(
                "CMP008",
                vec![fs.id.clone()],
                format!(
                    "{} has no mount target in {}, where its clients run",
                    fs.id,
                    missing
                        .iter()
                        .map(|a| a.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                None,
            );
        }
    }
}

/// CMP009: instance types exist.
fn instance_types(ctx: &Ctx<'_>, out: &mut Out) {
    let known = |t: &str| crate::aws::ec2_instance_type(t).is_some();
    for r in ctx
        .of_kind(Kind::Ec2Instance)
        .iter()
        .chain(ctx.of_kind(Kind::LaunchTemplate))
        .chain(ctx.of_kind(Kind::AutoScalingGroup))
    {
        let instance_type = match &r.config {
            Config::Ec2Instance(c) => &c.instance_type,
            Config::LaunchTemplate(c) => &c.instance_type,
            Config::AutoScalingGroup(c) if c.launch_template.is_none() => &c.instance_type,
            _ => continue,
        };
        if !known(instance_type) {
            out.emit(
                "CMP009",
                vec![r.id.clone()],
                format!(
                    "{} uses instance type `{instance_type}`, which EC2 does not offer",
                    r.id
                ),
                None,
            );
        }
    }
}
