//! Containers: ECS task definitions and services.

use serde_json::{Value, json};

use super::Builder;
use crate::iac::derived::balancers_of;
use crate::model::config::compute::{LaunchType, PlacementStrategy};
use crate::model::{Config, Kind, LinkKind, Resource, ResourceId};

pub(super) fn task_definition(
    b: &mut Builder,
    r: &Resource,
    c: &crate::model::config::compute::EcsTaskDefinition,
) {
    let id = r.id.as_str();
    // A repository the services running this task pull from names the images.
    let repository = b
        .d
        .resources()
        .filter(|s| matches!(&s.config, Config::EcsService(s) if s.task_definition.as_ref().is_some_and(|t| t.as_str() == id)))
        .flat_map(|s| b.links_from(s.id.as_str(), LinkKind::Traffic, &[Kind::EcrRepository]))
        .next();
    let containers: Vec<Value> = c
        .containers
        .iter()
        .map(|k| {
            let image = match repository {
                Some(repo) if !k.image.contains('/') => {
                    let tag = k.image.split_once(':').map_or("latest", |(_, t)| t);
                    json!({ "Fn::Join": ["", [b.att(repo.id.as_str(), "RepositoryUri"), format!(":{tag}")]] })
                }
                _ => json!(k.image),
            };
            json!({ "Name": k.name, "Image": image, "Essential": true,
                "PortMappings": [{ "ContainerPort": k.port, "Protocol": "tcp" }] })
        })
        .collect();
    let fargate = !b.d.resources().any(|s| {
        matches!(&s.config, Config::EcsService(s)
            if s.launch_type == LaunchType::Ec2 && s.task_definition.as_ref().is_some_and(|t| t.as_str() == id))
    });
    let execution = b.made_role(
        r,
        "ExecutionRole",
        "ecs-tasks.amazonaws.com",
        &["service-role/AmazonECSTaskExecutionRolePolicy"],
        Vec::new(),
    );
    let mut props = json!({ "Family": id, "Cpu": c.cpu_units.to_string(), "Memory": c.memory_mb.to_string(),
        "NetworkMode": "awsvpc", "RequiresCompatibilities": [if fargate { "FARGATE" } else { "EC2" }],
        "ContainerDefinitions": containers, "ExecutionRoleArn": execution, "Tags": b.tags(r) });
    let role = c
        .task_role
        .as_ref()
        .map(ResourceId::as_str)
        .map(str::to_string)
        .or_else(|| b.attached_role(id).map(|x| x.id.to_string()));
    if let Some(role) = role {
        props["TaskRoleArn"] = b.att(&role, "Arn");
    }
    b.add_main(r, "AWS::ECS::TaskDefinition", props);
}

pub(super) fn ecs_service(
    b: &mut Builder,
    r: &Resource,
    c: &crate::model::config::compute::EcsService,
) {
    let id = r.id.as_str();
    let (Some(cluster), Some(task)) = (&c.cluster, &c.task_definition) else {
        b.skip(r, "a service needs a cluster and a task definition");
        return;
    };
    let subnets = if c.subnets.is_empty() {
        b.placement_subnets(r)
    } else {
        c.subnets.clone()
    };
    let container = b
        .d
        .resource(task.as_str())
        .and_then(|t| match &t.config {
            Config::EcsTaskDefinition(t) => t.containers.first().map(|k| (k.name.clone(), k.port)),
            _ => None,
        })
        .unwrap_or_else(|| ("app".into(), 80));
    let mut props = json!({ "Cluster": b.r(cluster.as_str()), "TaskDefinition": b.r(task.as_str()),
        "LaunchType": if c.launch_type == LaunchType::Fargate { "FARGATE" } else { "EC2" },
        "DesiredCount": c.desired_count,
        "NetworkConfiguration": { "AwsvpcConfiguration": { "Subnets": b.refs(&subnets),
            "SecurityGroups": b.refs(&c.security_groups), "AssignPublicIp": "DISABLED" } },
        "Tags": b.tags(r) });
    if c.launch_type == LaunchType::Ec2 {
        props["PlacementStrategies"] = match c.placement {
            PlacementStrategy::Spread => {
                json!([{ "Type": "spread", "Field": "attribute:ecs.availability-zone" }])
            }
            PlacementStrategy::Binpack => json!([{ "Type": "binpack", "Field": "memory" }]),
            PlacementStrategy::Random => json!([{ "Type": "random" }]),
        };
    }
    let mut balancers = Vec::new();
    let mut listeners = Vec::new();
    for lb in balancers_of(b.d, id) {
        if lb.kind() == Kind::ClassicLoadBalancer {
            continue;
        }
        let tg = b.target_group(lb.id.as_str(), id);
        balancers.push(
            json!({ "ContainerName": container.0, "ContainerPort": container.1,
            "TargetGroupArn": { "Ref": tg } }),
        );
        let count = match &lb.config {
            Config::ApplicationLoadBalancer(l) => l.listeners.len(),
            Config::NetworkLoadBalancer(l) => l.listeners.len(),
            _ => 1,
        };
        for index in 0..count {
            listeners.push(b.listener(lb.id.as_str(), index));
        }
    }
    if !balancers.is_empty() {
        props["LoadBalancers"] = json!(balancers);
        props["HealthCheckGracePeriodSeconds"] = json!(60);
    }
    let entry = b.add_main(r, "AWS::ECS::Service", props);
    // A target group must belong to a listener before a service registers with it.
    for listener in listeners {
        entry.depends_on(listener);
    }
    if let Some(target) = c.target_cpu_percent {
        let scalable = b.derived(id, "ScalableTarget");
        let props = json!({ "MinCapacity": c.min_count, "MaxCapacity": c.max_count,
            "ResourceId": { "Fn::Sub": format!("service/${{{}}}/${{{}.Name}}", b.id(cluster.as_str()), b.id(id)) },
            "ScalableDimension": "ecs:service:DesiredCount", "ServiceNamespace": "ecs" });
        b.add(
            &scalable,
            "AWS::ApplicationAutoScaling::ScalableTarget",
            props,
        );
        let policy = b.derived(id, "ScalingPolicy");
        let props = json!({ "PolicyName": { "Fn::Sub": format!("${{AWS::StackName}}-{policy}") },
            "PolicyType": "TargetTrackingScaling", "ScalingTargetId": { "Ref": scalable },
            "TargetTrackingScalingPolicyConfiguration": { "TargetValue": target,
                "PredefinedMetricSpecification": { "PredefinedMetricType": "ECSServiceAverageCPUUtilization" } } });
        b.add(&policy, "AWS::ApplicationAutoScaling::ScalingPolicy", props);
    }
}
