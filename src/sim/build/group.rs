//! Auto Scaling groups: their starting instances and how they scale and heal.

use super::*;

/// A new group's index, AZs and first members.
struct Members {
    group: u32,
    azs: Vec<u32>,
    stations: Vec<u32>,
    template: u32,
}

impl<'a> Builder<'a> {
    /// The next group's first `count` members, `{id}.{prefix}{n}`, balanced across its
    /// AZs as Auto Scaling and ECS place them, and the station later launches copy (the
    /// first member, or with none a station that never serves).
    fn members(
        &mut self,
        id: &ResourceId,
        count: u32,
        prefix: char,
        mut base: StationSpec,
    ) -> Members {
        let group = self.net.groups.len() as u32;
        let azs = self
            .d
            .resource(id.as_str())
            .map(|r| self.azs_of(r))
            .unwrap_or_default();
        base.group = Some(group);
        base.region = self.region_index(id.as_str());
        let mut stations = Vec::new();
        for n in 1..=count {
            let mut spec = base.clone();
            spec.id = ResourceId::new(format!("{id}.{prefix}{n}")).unwrap_or_else(|_| id.clone());
            spec.az = (!azs.is_empty()).then(|| azs[(n as usize - 1) % azs.len()]);
            stations.push(self.push_station(spec));
        }
        let template = match stations.first() {
            Some(s) => *s,
            None => self.push_station(base),
        };
        Members {
            group,
            azs,
            stations,
            template,
        }
    }

    /// Adds the group with its behaviour; `spec.azs` and `spec.template` come from
    /// `members`.
    fn push_group(&mut self, id: &ResourceId, m: &Members, spec: GroupSpec) {
        self.net.group_specs.push(spec);
        self.net.groups.push((id.clone(), m.stations.clone()));
    }

    /// Every member makes the group's calls.
    fn wire_members(&mut self, id: &'a ResourceId, m: Members) -> Result<Hop, BuildError> {
        self.hops.insert(id, Hop::Group(m.group));
        let calls = self.calls_of(id)?;
        for s in m.stations {
            self.net.stations[s as usize].calls = calls.clone();
        }
        Ok(Hop::Group(m.group))
    }

    /// An Auto Scaling group: its desired instances, with the launch template's type and
    /// application, all making the group's calls (scaling arrives with its policies).
    pub(super) fn group(
        &mut self,
        id: &'a ResourceId,
        c: &crate::model::config::compute::AutoScalingGroup,
    ) -> Result<Hop, BuildError> {
        let template = c.launch_template_in(self.d);
        let instance_type = template.map_or(c.instance_type.as_str(), |t| t.instance_type.as_str());
        let app = template.map_or_else(AppServer::default, |t| t.app.clone());
        let detailed = template
            .is_some_and(|t| t.monitoring == crate::model::config::compute::Monitoring::Detailed);
        let credits = template.map_or(Default::default(), |t| t.cpu_credits);
        let base = self.ec2_spec(id, instance_type, c.purchase_option, &app, credits)?;
        let m = self.members(id, c.desired_capacity, 'i', base);
        use crate::model::config::compute::{ScalingMetric, ScalingPolicy};
        let mut tracking = Vec::new();
        let mut policy_warmup = None;
        for policy in &c.scaling_policies {
            let ScalingPolicy::TargetTracking(t) = policy else {
                continue;
            };
            let (metric, target) = match t.metric {
                ScalingMetric::CpuUtilization => {
                    (TrackedMetric::Cpu, t.target_value.clamp(1.0, 100.0))
                }
                // The queue is known once the queue that feeds the group is built.
                ScalingMetric::BacklogPerInstance => {
                    (TrackedMetric::Backlog(None), t.target_value.max(0.01))
                }
                ScalingMetric::RequestCountPerTarget => {
                    (TrackedMetric::RequestsPerTarget, t.target_value.max(0.01))
                }
                // Network bytes are not simulated.
                ScalingMetric::NetworkIn | ScalingMetric::NetworkOut => continue,
            };
            tracking.push(TargetTracking {
                metric,
                target,
                disable_scale_in: t.disable_scale_in,
            });
            policy_warmup = policy_warmup.or(t.warmup_secs);
        }
        // Without a default instance warm-up, policies fall back to the estimated warm-up,
        // which defaults to the default cooldown (EC2 Auto Scaling user guide).
        let warmup = policy_warmup
            .or(c.default_instance_warmup_secs)
            .unwrap_or(c.default_cooldown_secs);
        // CPU comes every 5 minutes with basic monitoring, every minute with detailed; SQS
        // and load balancer metrics every minute.
        let minute_metrics = detailed || tracking.iter().any(|t| t.metric != TrackedMetric::Cpu);
        let spec = GroupSpec {
            min: c.min_size,
            max: c.max_size.max(c.min_size),
            desired: c.desired_capacity,
            tracking,
            metric_period_secs: if minute_metrics { 60.0 } else { 300.0 },
            warmup_secs: f64::from(warmup),
            azs: m.azs.clone(),
            launch_secs: f64::from(c.launch_time_secs),
            elb_health_checks: c.health_check_type
                == crate::model::config::compute::HealthCheckType::Elb,
            grace_secs: f64::from(c.health_check_grace_period_secs),
            template: m.template,
            member_prefix: 'i',
        };
        self.push_group(id, &m, spec);
        self.group_alarms(id, m.group, c, detailed)?;
        self.wire_members(id, m)
    }
}

/// Seconds from an ECS task's launch until it serves (image pull and start; an
/// assumption, like an instance's launch time).
const TASK_LAUNCH_SECS: f64 = 45.0;

impl<'a> Builder<'a> {
    /// An ECS service: its tasks as a group of stations sized by the task definition's
    /// CPU (a task with a quarter of a vCPU works four times slower), replaced when the
    /// load balancer finds them unhealthy, scaled by service auto scaling on CPU.
    pub(super) fn ecs_service(
        &mut self,
        id: &'a ResourceId,
        c: &crate::model::config::compute::EcsService,
    ) -> Result<Hop, BuildError> {
        let task = c.task_definition_in(self.d);
        let cpu_units = task.map_or(256, |t| t.cpu_units).max(1);
        let memory_gb = f64::from(task.map_or(512, |t| t.memory_mb)) / 1024.0;
        let vcpus = (cpu_units / 1024).max(1);
        let slowdown = (1024.0 * f64::from(vcpus) / f64::from(cpu_units)).max(1.0);
        let mut app = AppServer::default();
        app.service_time_ms *= slowdown;
        let region = self.region_of(id.as_str());
        let hourly = (c.launch_type == crate::model::config::compute::LaunchType::Fargate)
            .then(|| {
                let vcpu = crate::aws::unit_price("Fargate", "Linux/x86 vCPU-hour", &region)?;
                let gb = crate::aws::unit_price("Fargate", "Linux/x86 GB-hour", &region)?;
                Some(vcpu.usd * f64::from(cpu_units) / 1024.0 + gb.usd * memory_gb)
            })
            .flatten();
        let mut base = Self::compute_spec(id.clone(), vcpus, &app);
        base.hourly_usd = hourly;
        let m = self.members(id, c.desired_count.max(1), 't', base);
        let tracking = c
            .target_cpu_percent
            .map(|target| TargetTracking {
                metric: TrackedMetric::Cpu,
                target: target.clamp(1.0, 100.0),
                disable_scale_in: false,
            })
            .into_iter()
            .collect();
        let spec = GroupSpec {
            min: c.min_count,
            max: c.max_count.max(c.min_count).max(c.desired_count),
            desired: c.desired_count.max(1),
            tracking,
            // ECS sends service CPU to CloudWatch every minute.
            metric_period_secs: 60.0,
            // Application Auto Scaling's default cooldowns (300 s) stand in for warm-up.
            warmup_secs: 300.0,
            azs: m.azs.clone(),
            launch_secs: TASK_LAUNCH_SECS,
            // A service behind a load balancer replaces the tasks it finds unhealthy.
            elb_health_checks: true,
            grace_secs: 0.0,
            template: m.template,
            member_prefix: 't',
        };
        self.push_group(id, &m, spec);
        self.wire_members(id, m)
    }

    /// An Aurora cluster: its writer (reads and writes), failing over to a replica in
    /// under 30 s, or re-created in about 10 minutes without one (Aurora user guide, high
    /// availability).
    pub(super) fn aurora(
        &mut self,
        id: &'a ResourceId,
        r: &'a crate::model::Resource,
        c: &crate::model::config::database::AuroraCluster,
    ) -> Result<Hop, BuildError> {
        use crate::model::config::database::AuroraEngine;
        const WITHOUT_REPLICA_SECS: f64 = 600.0;
        let (vcpus, memory_gib) = if c.serverless {
            // About 2 GiB and a quarter of a vCPU per capacity unit.
            (
                (c.max_capacity_acu / 4.0).ceil().max(1.0) as u32,
                c.max_capacity_acu * 2.0,
            )
        } else {
            vcpus_of(&c.instance_class).ok_or_else(|| Self::unknown(id, &c.instance_class))?
        };
        let engine = if c.engine == AuroraEngine::AuroraMySql {
            crate::model::config::database::RdsEngine::MySql
        } else {
            crate::model::config::database::RdsEngine::PostgreSql
        };
        let price_engine = if c.engine == AuroraEngine::AuroraMySql {
            "Aurora MySQL"
        } else {
            "Aurora PostgreSQL"
        };
        let hourly = (!c.serverless)
            .then(|| {
                crate::aws::rds_hourly(
                    &c.instance_class,
                    &self.region_of(id.as_str()),
                    price_engine,
                )
            })
            .flatten()
            .map(|p| p.usd * f64::from(1 + c.replicas));
        let s = self.push_station(StationSpec {
            servers: vcpus.max(1),
            capacity: default_connections(engine, memory_gib).max(vcpus.max(1)),
            az: self.azs_of(r).first().copied(),
            failover_secs: Some(if c.replicas > 0 {
                f64::from(c.failover_secs)
            } else {
                WITHOUT_REPLICA_SECS
            }),
            hourly_usd: hourly,
            ..StationSpec::new(id.clone(), Role::Database, c.query_time_ms / 1000.0)
        });
        Ok(Hop::Station(s))
    }
}
