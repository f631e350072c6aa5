//! Auto Scaling groups: their starting instances and how they scale and heal.

use super::*;

impl<'a> Builder<'a> {
    /// An Auto Scaling group: its desired instances, with the launch template's type and
    /// application, all making the group's calls (scaling arrives with its policies).
    pub(super) fn group(
        &mut self,
        id: &'a ResourceId,
        c: &crate::model::config::compute::AutoScalingGroup,
    ) -> Result<Hop, BuildError> {
        let template = c
            .launch_template
            .as_ref()
            .and_then(|t| self.d.resource(t.as_str()))
            .and_then(|t| match &t.config {
                Config::LaunchTemplate(t) => Some(t),
                _ => None,
            });
        let instance_type = template.map_or(c.instance_type.as_str(), |t| t.instance_type.as_str());
        let app = template.map_or_else(AppServer::default, |t| t.app.clone());
        let detailed = template
            .is_some_and(|t| t.monitoring == crate::model::config::compute::Monitoring::Detailed);
        let (vcpus, _) = vcpus_of(instance_type).ok_or_else(|| Self::unknown(id, instance_type))?;
        let index = self.net.groups.len() as u32;
        let azs = self
            .d
            .resource(id.as_str())
            .map(|r| self.azs_of(r))
            .unwrap_or_default();
        let mut stations = Vec::new();
        for n in 1..=c.desired_capacity {
            let name = ResourceId::new(format!("{id}.i{n}")).unwrap_or_else(|_| id.clone());
            let mut spec = Self::compute_spec(name, vcpus, &app);
            spec.hourly_usd = ec2_price(
                instance_type,
                &self.region_of(id.as_str()),
                c.purchase_option,
            );
            // Balanced across the group's AZs, as Auto Scaling launches them.
            spec.az = (!azs.is_empty()).then(|| azs[(n as usize - 1) % azs.len()]);
            spec.group = Some(index);
            stations.push(self.push_station(spec));
        }
        let template = match stations.first() {
            Some(s) => *s,
            None => {
                let mut spec = Self::compute_spec(id.clone(), vcpus, &app);
                spec.group = Some(index);
                self.push_station(spec)
            }
        };
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
        self.net.group_specs.push(GroupSpec {
            min: c.min_size,
            max: c.max_size.max(c.min_size),
            desired: c.desired_capacity,
            tracking,
            metric_period_secs: if minute_metrics { 60.0 } else { 300.0 },
            warmup_secs: f64::from(warmup),
            azs,
            launch_secs: f64::from(c.launch_time_secs),
            elb_health_checks: c.health_check_type
                == crate::model::config::compute::HealthCheckType::Elb,
            grace_secs: f64::from(c.health_check_grace_period_secs),
            template,
        });
        self.net.groups.push((id.clone(), stations.clone()));
        self.group_alarms(id, index, c, detailed)?;
        self.hops.insert(id, Hop::Group(index));
        let calls = self.calls_of(id)?;
        for s in stations {
            self.net.stations[s as usize].calls = calls.clone();
        }
        Ok(Hop::Group(index))
    }
}
