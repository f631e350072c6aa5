//! Compute in Terraform: instances, launch templates, Lambda and containers (Auto Scaling
//! groups are in `scaling`).

use serde_json::{Value, json};

use super::Tf;
use super::edge::{listener, target_group};
use super::network::assume;
use crate::aws::names as aws;
use crate::iac::derived::balancers_of;
use crate::model::config::compute::{
    LambdaArchitecture, LaunchType, Monitoring, PurchaseOption, RootVolume,
};
use crate::model::{Config, Kind, LinkKind, Resource};

fn volume(v: &RootVolume) -> Value {
    json!({ "volume_type": format!("{:?}", v.volume_type).to_ascii_lowercase(), "volume_size": v.size_gb,
        "encrypted": v.encrypted, "delete_on_termination": v.delete_on_termination })
}

/// The instance profile of role `role`, made once.
pub(super) fn instance_profile(t: &mut Tf, role: &str) -> String {
    let (address, new) = t.reserve(
        "aws_iam_instance_profile",
        format!("profile {role}"),
        role,
        "profile",
    );
    if new {
        let body = json!({ "role": t.r(role, "name") });
        t.add_at(&address, body);
    }
    address
}

/// A role made for `r` trusting `service`, with AWS managed `policies`.
pub(super) fn made_role(
    t: &mut Tf,
    r: &Resource,
    suffix: &str,
    service: &str,
    policies: &[&str],
) -> String {
    let id = r.id.as_str();
    let role = t.add(
        "aws_iam_role",
        id,
        suffix,
        json!({ "name_prefix": format!("{}-", &id[..id.len().min(30)]),
        "assume_role_policy": { "$call": ["jsonencode", assume(service)] } }),
    );
    for (n, p) in policies.iter().enumerate() {
        t.add("aws_iam_role_policy_attachment", id, &format!("{suffix}_{}", n + 1), json!({
            "role": { "$ref": format!("{role}.name") }, "policy_arn": format!("arn:aws:iam::aws:policy/{p}") }));
    }
    role
}

pub(super) fn add(t: &mut Tf, r: &Resource) -> bool {
    let id = r.id.as_str();
    match &r.config {
        Config::Ec2Instance(c) => {
            let subnet = t
                .enclosing(id, Kind::Subnet)
                .map(|s| t.r(s.id.as_str(), "id"));
            let mut body = json!({ "ami": t.image(&c.ami, &c.instance_type), "instance_type": c.instance_type,
                "subnet_id": subnet, "vpc_security_group_ids": t.ids(&c.security_groups),
                "associate_public_ip_address": c.public_ip, "key_name": c.key_pair,
                "monitoring": c.monitoring == Monitoring::Detailed, "+root_block_device": volume(&c.root_volume),
                "tags": t.tags(r) });
            if !c.user_data.is_empty() {
                body["user_data"] = json!(c.user_data);
            }
            if let Some(credits) = aws::cpu_credits(c.cpu_credits, &c.instance_type) {
                body["+credit_specification"] = json!({ "cpu_credits": credits });
            }
            match c.purchase_option {
                PurchaseOption::Spot => {
                    body["+instance_market_options"] = json!({ "market_type": "spot" })
                }
                PurchaseOption::Dedicated => body["tenancy"] = json!("dedicated"),
                _ => {}
            }
            if let Some(role) = t.attached_role(id) {
                let profile = instance_profile(t, role.id.as_str());
                body["iam_instance_profile"] = json!({ "$ref": format!("{profile}.name") });
            }
            t.add_main(r, body);
        }
        Config::LaunchTemplate(c) => {
            let mut body = json!({ "name_prefix": format!("{id}-"), "image_id": t.image(&c.ami, &c.instance_type),
                "instance_type": c.instance_type, "key_name": c.key_pair,
                "+monitoring": { "enabled": c.monitoring == Monitoring::Detailed },
                "+block_device_mappings": { "device_name": "/dev/xvda", "+ebs": volume(&c.root_volume) },
                "+tag_specifications": { "resource_type": "instance", "tags": t.tags(r) } });
            if c.public_ip {
                body["+network_interfaces"] = json!({ "associate_public_ip_address": true, "security_groups": t.ids(&c.security_groups) });
            } else {
                body["vpc_security_group_ids"] = t.ids(&c.security_groups);
            }
            if !c.user_data.is_empty() {
                body["user_data"] = json!({ "$call": ["base64encode", c.user_data] });
            }
            if let Some(credits) = aws::cpu_credits(c.cpu_credits, &c.instance_type) {
                body["+credit_specification"] = json!({ "cpu_credits": credits });
            }
            let role = t.attached_role(id).or_else(|| {
                t.d.resources()
                    .filter(|g| matches!(&g.config, Config::AutoScalingGroup(a) if a.launch_template.as_ref().is_some_and(|x| x.as_str() == id)))
                    .find_map(|g| t.attached_role(g.id.as_str()))
            });
            if let Some(role) = role {
                let profile = instance_profile(t, role.id.as_str());
                body["+iam_instance_profile"] =
                    json!({ "arn": { "$ref": format!("{profile}.arn") } });
            }
            t.add_main(r, body);
        }
        Config::AutoScalingGroup(c) => super::scaling::group(t, r, c),
        Config::LambdaFunction(c) => lambda(t, r, c),
        Config::EcsCluster(c) => {
            t.add_main(r, json!({ "name": id, "+setting": { "name": "containerInsights",
                "value": if c.container_insights { "enabled" } else { "disabled" } }, "tags": t.tags(r) }));
            if c.launch_type == LaunchType::Fargate {
                t.add(
                    "aws_ecs_cluster_capacity_providers",
                    id,
                    "providers",
                    json!({ "cluster_name": t.r(id, "name"),
                    "capacity_providers": ["FARGATE", "FARGATE_SPOT"] }),
                );
            } else {
                t.note(format!("{id}: the cluster's {} × {} container instances are not written; add an Auto Scaling group with the ECS-optimized AMI as its capacity provider", c.instance_count, c.instance_type));
            }
        }
        Config::EcsTaskDefinition(c) => {
            let repository = t
                .d
                .resources()
                .filter(|s| matches!(&s.config, Config::EcsService(x) if x.task_definition.as_ref().is_some_and(|d| d.as_str() == id)))
                .flat_map(|s| t.links_from(s.id.as_str(), LinkKind::Traffic, &[Kind::EcrRepository]))
                .next()
                .and_then(|repo| t.address(repo.id.as_str()));
            let containers: Vec<Value> = c
                .containers
                .iter()
                .map(|k| {
                    let image = match &repository {
                        Some(repo) if !k.image.contains('/') => {
                            let tag = k.image.split_once(':').map_or("latest", |(_, x)| x);
                            json!({ "$template": format!("${{{repo}.repository_url}}:{tag}") })
                        }
                        _ => json!(k.image),
                    };
                    json!({ "name": k.name, "image": image, "essential": true,
                        "portMappings": [{ "containerPort": k.port, "protocol": "tcp" }] })
                })
                .collect();
            let execution = made_role(
                t,
                r,
                "execution",
                "ecs-tasks.amazonaws.com",
                &["service-role/AmazonECSTaskExecutionRolePolicy"],
            );
            let mut body = json!({ "family": id, "cpu": c.cpu_units.to_string(), "memory": c.memory_mb.to_string(),
                "network_mode": "awsvpc", "requires_compatibilities": ["FARGATE"],
                "container_definitions": { "$call": ["jsonencode", containers] },
                "execution_role_arn": { "$ref": format!("{execution}.arn") }, "tags": t.tags(r) });
            let role = c
                .task_role
                .as_ref()
                .map(|x| x.to_string())
                .or_else(|| t.attached_role(id).map(|x| x.id.to_string()));
            if let Some(role) = role {
                body["task_role_arn"] = t.r(&role, "arn");
            }
            t.add_main(r, body);
        }
        Config::EcsService(c) => service(t, r, c),
        Config::EksCluster(c) => {
            let subnets = if c.subnets.is_empty() {
                t.placement_subnets(r)
            } else {
                c.subnets.clone()
            };
            let role = made_role(
                t,
                r,
                "cluster",
                "eks.amazonaws.com",
                &["AmazonEKSClusterPolicy"],
            );
            t.add_main(r, json!({ "name": id, "version": c.kubernetes_version, "role_arn": { "$ref": format!("{role}.arn") },
                "+vpc_config": { "subnet_ids": t.ids(&subnets) }, "tags": t.tags(r) }));
            if c.launch_type == LaunchType::Fargate {
                let pods = made_role(
                    t,
                    r,
                    "pods",
                    "eks-fargate-pods.amazonaws.com",
                    &["AmazonEKSFargatePodExecutionRolePolicy"],
                );
                t.add("aws_eks_fargate_profile", id, "default", json!({ "cluster_name": t.r(id, "name"),
                    "fargate_profile_name": "default", "pod_execution_role_arn": { "$ref": format!("{pods}.arn") },
                    "subnet_ids": t.ids(&subnets), "+selector": { "namespace": "default" } }));
            } else {
                let nodes = made_role(
                    t,
                    r,
                    "nodes",
                    "ec2.amazonaws.com",
                    &[
                        "AmazonEKSWorkerNodePolicy",
                        "AmazonEKS_CNI_Policy",
                        "AmazonEC2ContainerRegistryReadOnly",
                    ],
                );
                let n = c.node_count.max(1);
                t.add("aws_eks_node_group", id, "nodes", json!({ "cluster_name": t.r(id, "name"),
                    "node_role_arn": { "$ref": format!("{nodes}.arn") }, "subnet_ids": t.ids(&subnets),
                    "instance_types": [c.node_instance_type],
                    "+scaling_config": { "min_size": n, "desired_size": n, "max_size": n } }));
            }
        }
        Config::EcrRepository(c) => {
            t.add_main(r, json!({ "name": id, "image_tag_mutability": if c.immutable_tags { "IMMUTABLE" } else { "MUTABLE" },
                "+image_scanning_configuration": { "scan_on_push": c.scan_on_push }, "tags": t.tags(r) }));
        }
        Config::ElasticBeanstalkEnvironment(c) => {
            let app = t.add(
                "aws_elastic_beanstalk_application",
                id,
                "application",
                json!({ "name": id }),
            );
            let role = made_role(
                t,
                r,
                "instances",
                "ec2.amazonaws.com",
                &["AWSElasticBeanstalkWebTier"],
            );
            let profile = t.add(
                "aws_iam_instance_profile",
                id,
                "instances",
                json!({ "role": { "$ref": format!("{role}.name") } }),
            );
            let stack = t.variable(
                &format!("{}_solution_stack", super::snake(id)),
                &format!(
                    "Solution stack for {} (aws elasticbeanstalk list-available-solution-stacks)",
                    c.platform
                ),
                None,
            );
            let network = (!c.subnets.is_empty()).then(|| {
                let subnets = json!({ "$call": ["join", ",", t.ids(&c.subnets)] });
                let vpc = c
                    .subnets
                    .first()
                    .and_then(|s| t.enclosing(s.as_str(), Kind::Vpc))
                    .map(|vpc| t.r(vpc.id.as_str(), "id"));
                (subnets, vpc)
            });
            let settings: Vec<Value> = crate::iac::derived::beanstalk_options(
                c,
                json!({ "$ref": format!("{profile}.name") }),
                network,
            )
            .into_iter()
            .map(|(ns, name, value)| json!({ "namespace": ns, "name": name, "value": value }))
            .collect();
            t.add_main(
                r,
                json!({ "name": id, "application": { "$ref": format!("{app}.name") },
                "solution_stack_name": stack, "+setting": settings, "tags": t.tags(r) }),
            );
        }
        _ => return false,
    }
    true
}

fn lambda(t: &mut Tf, r: &Resource, c: &crate::model::config::compute::LambdaFunction) {
    let id = r.id.as_str();
    let in_vpc = t.enclosing(id, Kind::Vpc).is_some();
    let role = match t.attached_role(id) {
        Some(role) => t.r(role.id.as_str(), "arn"),
        None => {
            let mut policies = vec!["service-role/AWSLambdaBasicExecutionRole"];
            if in_vpc {
                policies.push("service-role/AWSLambdaVPCAccessExecutionRole");
            }
            let triggers = t.links_to(id, LinkKind::EventTrigger, &[]);
            if triggers.iter().any(|x| x.kind() == Kind::SqsQueue) {
                policies.push("service-role/AWSLambdaSQSQueueExecutionRole");
            }
            if triggers.iter().any(|x| x.kind() == Kind::DynamoDbTable) {
                policies.push("service-role/AWSLambdaDynamoDBExecutionRole");
            }
            let role = made_role(t, r, "role", "lambda.amazonaws.com", &policies);
            let statements = super::services::access_statements(t, r);
            if !statements.is_empty() {
                t.add("aws_iam_role_policy", id, "access", json!({ "role": { "$ref": format!("{role}.id") },
                    "policy": { "$call": ["jsonencode", { "Version": "2012-10-17", "Statement": statements }] } }));
            }
            json!({ "$ref": format!("{role}.arn") })
        }
    };
    let bucket = t.variable(
        "lambda_code_bucket",
        "Bucket holding the functions' deployment packages",
        None,
    );
    let mut body = json!({ "function_name": id, "role": role, "runtime": c.runtime, "handler": c.handler,
        "s3_bucket": bucket, "s3_key": format!("{id}.zip"), "memory_size": c.memory_mb, "timeout": c.timeout_secs,
        "architectures": [if c.architecture == LambdaArchitecture::Arm64 { "arm64" } else { "x86_64" }],
        "reserved_concurrent_executions": c.reserved_concurrency, "+ephemeral_storage": { "size": c.ephemeral_storage_mb },
        "publish": c.provisioned_concurrency > 0, "tags": t.tags(r) });
    if in_vpc {
        let subnets = t.placement_subnets(r);
        body["+vpc_config"] = json!({ "subnet_ids": t.ids(&subnets), "security_group_ids": t.ids(&c.security_groups) });
    }
    t.add_main(r, body);
    if c.provisioned_concurrency > 0 {
        t.add("aws_lambda_provisioned_concurrency_config", id, "warm", json!({ "function_name": t.r(id, "function_name"),
            "qualifier": t.r(id, "version"), "provisioned_concurrent_executions": c.provisioned_concurrency }));
    }
    for source in t.links_to(id, LinkKind::EventTrigger, &[]) {
        let sid = source.id.as_str();
        let from = format!("from_{}", super::snake(sid));
        match source.kind() {
            Kind::SqsQueue => {
                t.add(
                    "aws_lambda_event_source_mapping",
                    id,
                    &from,
                    json!({ "event_source_arn": t.r(sid, "arn"),
                    "function_name": t.r(id, "arn"), "batch_size": 10 }),
                );
            }
            Kind::DynamoDbTable => {
                t.add(
                    "aws_lambda_event_source_mapping",
                    id,
                    &from,
                    json!({ "event_source_arn": t.r(sid, "stream_arn"),
                    "function_name": t.r(id, "arn"), "starting_position": "LATEST" }),
                );
            }
            Kind::S3Bucket => {
                let (permission, _) =
                    t.reserve("aws_lambda_permission", format!("s3 {sid} {id}"), id, &from);
                t.add_at(&permission, json!({ "action": "lambda:InvokeFunction", "function_name": t.r(id, "function_name"),
                    "principal": "s3.amazonaws.com", "source_arn": t.r(sid, "arn") }));
            }
            Kind::SnsTopic => {
                t.add(
                    "aws_sns_topic_subscription",
                    id,
                    &from,
                    json!({ "topic_arn": t.r(sid, "arn"), "protocol": "lambda",
                    "endpoint": t.r(id, "arn") }),
                );
                t.add("aws_lambda_permission", id, &from, json!({ "action": "lambda:InvokeFunction",
                    "function_name": t.r(id, "function_name"), "principal": "sns.amazonaws.com", "source_arn": t.r(sid, "arn") }));
            }
            _ => {}
        }
    }
}

fn service(t: &mut Tf, r: &Resource, c: &crate::model::config::compute::EcsService) {
    let id = r.id.as_str();
    let (Some(cluster), Some(task)) = (&c.cluster, &c.task_definition) else {
        t.skip(r, "a service needs a cluster and a task definition");
        return;
    };
    let subnets = if c.subnets.is_empty() {
        t.placement_subnets(r)
    } else {
        c.subnets.clone()
    };
    let (name, port) = t
        .d
        .resource(task.as_str())
        .and_then(|x| match &x.config {
            Config::EcsTaskDefinition(d) => d.containers.first().map(|k| (k.name.clone(), k.port)),
            _ => None,
        })
        .unwrap_or_else(|| ("app".into(), 80));
    let mut balancers_blocks = Vec::new();
    let mut waits = Vec::new();
    for lb in balancers_of(t.d, id) {
        if lb.kind() == Kind::ClassicLoadBalancer {
            continue;
        }
        let lb = lb.id.as_str();
        let tg = target_group(t, lb, id);
        balancers_blocks.push(json!({ "target_group_arn": { "$ref": format!("{tg}.arn") }, "container_name": name, "container_port": port }));
        let count = match t.d.resource(lb).map(|x| &x.config) {
            Some(Config::ApplicationLoadBalancer(l)) => l.listeners.len(),
            Some(Config::NetworkLoadBalancer(l)) => l.listeners.len(),
            _ => 1,
        };
        for n in 0..count {
            waits.push(json!({ "$ref": listener(t, lb, n) }));
        }
    }
    let mut body = json!({ "name": id, "cluster": t.r(cluster.as_str(), "id"), "task_definition": t.r(task.as_str(), "arn"),
        "launch_type": if c.launch_type == LaunchType::Fargate { "FARGATE" } else { "EC2" }, "desired_count": c.desired_count,
        "+network_configuration": { "subnets": t.ids(&subnets), "security_groups": t.ids(&c.security_groups), "assign_public_ip": false },
        "+load_balancer": balancers_blocks, "tags": t.tags(r) });
    if !waits.is_empty() {
        body["depends_on"] = json!(waits);
    }
    t.add_main(r, body);
    if let Some(target) = c.target_cpu_percent {
        let cluster_name = t.r(cluster.as_str(), "name");
        let scalable = t.add("aws_appautoscaling_target", id, "capacity", json!({ "min_capacity": c.min_count,
            "max_capacity": c.max_count, "scalable_dimension": "ecs:service:DesiredCount", "service_namespace": "ecs",
            "resource_id": { "$template": format!("service/${{{}}}/${{{}}}", path(&cluster_name), path(&t.r(id, "name"))) } }));
        t.add("aws_appautoscaling_policy", id, "cpu", json!({ "name": format!("{id}-cpu"), "policy_type": "TargetTrackingScaling",
            "resource_id": { "$ref": format!("{scalable}.resource_id") }, "scalable_dimension": { "$ref": format!("{scalable}.scalable_dimension") },
            "service_namespace": { "$ref": format!("{scalable}.service_namespace") },
            "+target_tracking_scaling_policy_configuration": { "target_value": target,
                "+predefined_metric_specification": { "predefined_metric_type": "ECSServiceAverageCPUUtilization" } } }));
    }
}

/// The path of a `{"$ref": …}` value, for use inside a template.
fn path(v: &Value) -> String {
    v["$ref"].as_str().unwrap_or("null").to_string()
}
