//! What CloudFormation and Terraform work out alike from the diagram: a Beanstalk
//! environment's options, who takes a role and the managed policies it carries, what a
//! service's traffic links need permission for, and the target groups of a load balancer.

use serde_json::{Value, json};

use crate::model::catalog::{IamAccess, catalog};
use crate::model::config::compute::{BeanstalkEnvironmentType, ElasticBeanstalkEnvironment};
use crate::model::{Config, Diagram, Kind, LinkKind, Resource};

/// Kinds a load balancer forwards to through a target group.
pub(crate) const BALANCER_TARGETS: &[Kind] = &[
    Kind::AutoScalingGroup,
    Kind::Ec2Instance,
    Kind::EcsService,
    Kind::LambdaFunction,
];

/// The kinds of load balancer.
const LOAD_BALANCERS: &[Kind] = &[
    Kind::ApplicationLoadBalancer,
    Kind::NetworkLoadBalancer,
    Kind::GatewayLoadBalancer,
    Kind::ClassicLoadBalancer,
];

/// An Elastic Beanstalk environment's option settings as (namespace, option, value).
/// `profile` is the exporter's expression for the instance profile, `subnets` for the
/// joined subnet ids and `vpc` for the VPC's id, when the environment names subnets.
pub(crate) fn beanstalk_options(
    c: &ElasticBeanstalkEnvironment,
    profile: Value,
    subnets_and_vpc: Option<(Value, Option<Value>)>,
) -> Vec<(&'static str, &'static str, Value)> {
    let kind = match c.environment_type {
        BeanstalkEnvironmentType::LoadBalanced => "LoadBalanced",
        BeanstalkEnvironmentType::SingleInstance => "SingleInstance",
    };
    let mut options = vec![
        (
            "aws:autoscaling:launchconfiguration",
            "InstanceType",
            Value::from(c.instance_type.clone()),
        ),
        (
            "aws:autoscaling:launchconfiguration",
            "IamInstanceProfile",
            profile,
        ),
        (
            "aws:autoscaling:asg",
            "MinSize",
            c.min_instances.to_string().into(),
        ),
        (
            "aws:autoscaling:asg",
            "MaxSize",
            c.max_instances.to_string().into(),
        ),
        (
            "aws:elasticbeanstalk:environment",
            "EnvironmentType",
            kind.into(),
        ),
    ];
    if let Some((subnets, vpc)) = subnets_and_vpc {
        options.push(("aws:ec2:vpc", "Subnets", subnets));
        if let Some(vpc) = vpc {
            options.push(("aws:ec2:vpc", "VPCId", vpc));
        }
    }
    options
}

/// What runs with role `role`: what it is attached to, the groups launching from a
/// template it is attached to, and the services running a task it is attached to.
pub(crate) fn role_users<'a>(d: &'a Diagram, role: &str) -> Vec<&'a Resource> {
    let mut users = Vec::new();
    for holder in d.linked_from(role, LinkKind::Attachment, &[]) {
        users.push(holder);
        users.extend(d.resources().filter(|other| match &other.config {
            Config::AutoScalingGroup(c) => c.launch_template.as_ref() == Some(&holder.id),
            Config::EcsService(c) => c.task_definition.as_ref() == Some(&holder.id),
            _ => false,
        }));
    }
    users
}

/// Names of the AWS managed policies attached to `holder` (a role, user or group): the
/// policy's name as drawn, without spaces, as in `arn:aws:iam::aws:policy/NAME`.
pub(crate) fn managed_policy_names(d: &Diagram, holder: &str) -> Vec<String> {
    d.linked_to(holder, LinkKind::Attachment, &[Kind::IamPolicy])
        .iter()
        .filter(|p| matches!(&p.config, Config::IamPolicy(c) if c.aws_managed))
        .map(|p| p.label().split_whitespace().collect())
        .collect()
}

/// The AWS managed policies role `role` carries: those attached to it as drawn, and what
/// the resources it is attached to need from AWS to run at all (a function's logs, and its
/// network interfaces inside a VPC; Systems Manager for instances).
pub(crate) fn role_managed_policies(d: &Diagram, role: &str) -> Vec<String> {
    let mut names = managed_policy_names(d, role);
    for user in d.linked_from(role, LinkKind::Attachment, &[]) {
        let in_vpc = d.enclosing(user.id.as_str(), Kind::Vpc).is_some();
        let needs: &[&str] = match user.kind() {
            Kind::LambdaFunction if in_vpc => &[
                "service-role/AWSLambdaBasicExecutionRole",
                "service-role/AWSLambdaVPCAccessExecutionRole",
            ],
            Kind::LambdaFunction => &["service-role/AWSLambdaBasicExecutionRole"],
            Kind::LaunchTemplate | Kind::Ec2Instance | Kind::AutoScalingGroup => {
                &["AmazonSSMManagedInstanceCore"]
            }
            _ => &[],
        };
        for need in needs {
            if !names.iter().any(|n| n == need) {
                names.push(need.to_string());
            }
        }
    }
    names
}

/// The load balancers whose traffic links reach `id`.
pub(crate) fn balancers_of<'a>(d: &'a Diagram, id: &str) -> Vec<&'a Resource> {
    d.linked_to(id, LinkKind::Traffic, LOAD_BALANCERS)
}

/// The port a target's application listens on: an instance's, its launch template's for
/// a group, its first container's for a service; 80 otherwise.
pub(crate) fn target_port(d: &Diagram, target: &Resource) -> u16 {
    match &target.config {
        Config::Ec2Instance(c) => c.app.port,
        Config::AutoScalingGroup(c) => c
            .launch_template
            .as_ref()
            .and_then(|lt| d.resource(lt.as_str()))
            .and_then(|lt| match &lt.config {
                Config::LaunchTemplate(t) => Some(t.app.port),
                _ => None,
            })
            .unwrap_or(80),
        Config::EcsService(c) => c
            .task_definition
            .as_ref()
            .and_then(|t| d.resource(t.as_str()))
            .and_then(|t| match &t.config {
                Config::EcsTaskDefinition(t) => t.containers.first().map(|c| c.port),
                _ => None,
            })
            .unwrap_or(80),
        _ => 80,
    }
}

/// A load balancer's target groups, as (target, member instances): one per group or
/// service its traffic links reach, and one the instances share (first). A balancer
/// whose listeners must forward somewhere (`needs_one`: NLBs and GWLBs) gets an empty
/// group when it reaches nothing.
pub(crate) fn target_group_plan<'a>(
    d: &'a Diagram,
    lb: &str,
    targets: &[Kind],
    needs_one: bool,
) -> Vec<(Option<&'a Resource>, Vec<&'a Resource>)> {
    let reached = d.linked_from(lb, LinkKind::Traffic, targets);
    let (instances, others): (Vec<&Resource>, Vec<&Resource>) = reached
        .into_iter()
        .partition(|t| t.kind() == Kind::Ec2Instance);
    let mut plan: Vec<(Option<&Resource>, Vec<&Resource>)> =
        others.into_iter().map(|t| (Some(t), Vec::new())).collect();
    if !instances.is_empty() {
        plan.insert(0, (None, instances));
    }
    if plan.is_empty() && needs_one {
        plan.push((None, Vec::new()));
    }
    plan
}

/// What a traffic link from `from` to a resource of kind `to` asks of the caller's role
/// (the catalog's `iam`); none where the network alone decides.
pub(crate) fn access(from: Kind, to: Kind) -> Option<&'static IamAccess> {
    // ECS pulls a task's image with the task's execution role, whose managed policy
    // (AmazonECSTaskExecutionRolePolicy) grants the pulls; the task role needs nothing.
    let pulled_by_ecs =
        to == Kind::EcrRepository && matches!(from, Kind::EcsService | Kind::EcsTaskDefinition);
    if pulled_by_ecs {
        return None;
    }
    catalog().info(to).iam.as_ref()
}

/// A statement's `Action`: one action as a string, as AWS's examples write it.
pub(crate) fn action(actions: &[String]) -> Value {
    match actions {
        [one] => json!(one),
        many => json!(many),
    }
}

/// What a function that rotates a secret does to it (Secrets Manager's rotation guide);
/// it also asks for random passwords, which belong to no resource.
pub(crate) fn rotation_statements(secret_arn: Value) -> [Value; 2] {
    [
        json!({ "Effect": "Allow", "Resource": secret_arn, "Action": [
            "secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue",
            "secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage"] }),
        json!({ "Effect": "Allow", "Resource": "*", "Action": "secretsmanager:GetRandomPassword" }),
    ]
}

/// The kinds an event bus's rules deliver to.
pub(crate) const EVENT_TARGET_KINDS: [Kind; 4] = [
    Kind::LambdaFunction,
    Kind::SqsQueue,
    Kind::SnsTopic,
    Kind::StepFunctionsStateMachine,
];

/// An event rule's pattern as JSON; a pattern that is not JSON matches every event (and
/// the writer says so).
pub(crate) fn event_pattern(text: &str) -> (Value, bool) {
    match serde_json::from_str::<Value>(text) {
        Ok(pattern @ Value::Object(_)) => (pattern, true),
        _ => (json!({ "source": [{ "prefix": "" }] }), false),
    }
}

/// The services a state machine's steps call, in link order: Lambda functions, queues and
/// topics.
pub(crate) const STEP_KINDS: [Kind; 3] = [Kind::LambdaFunction, Kind::SqsQueue, Kind::SnsTopic];

/// The Amazon States Language definition of a state machine that calls `steps` in order,
/// each through its service's integration; `target(i)` spells the i-th step's function
/// ARN, queue URL or topic ARN in the writer's syntax. Without steps, one `Pass` state.
pub(crate) fn state_machine_definition(steps: &[Kind], target: impl Fn(usize) -> Value) -> Value {
    let name = |i: usize| format!("Step{}", i + 1);
    let mut states = serde_json::Map::new();
    for (i, kind) in steps.iter().enumerate() {
        let (resource, parameters) = match kind {
            Kind::SqsQueue => (
                "arn:aws:states:::sqs:sendMessage",
                json!({ "QueueUrl": target(i), "MessageBody.$": "$" }),
            ),
            Kind::SnsTopic => (
                "arn:aws:states:::sns:publish",
                json!({ "TopicArn": target(i), "Message.$": "$" }),
            ),
            _ => (
                "arn:aws:states:::lambda:invoke",
                json!({ "FunctionName": target(i), "Payload.$": "$" }),
            ),
        };
        let mut state = json!({ "Type": "Task", "Resource": resource, "Parameters": parameters });
        if i + 1 < steps.len() {
            state["Next"] = json!(name(i + 1));
        } else {
            state["End"] = json!(true);
        }
        states.insert(name(i), state);
    }
    if steps.is_empty() {
        states.insert("Start".into(), json!({ "Type": "Pass", "End": true }));
    }
    let start = if steps.is_empty() {
        "Start".to_string()
    } else {
        name(0)
    };
    json!({ "StartAt": start, "States": states })
}

/// The IAM action a state machine needs to call a step of `kind`.
pub(crate) fn step_action(kind: Kind) -> &'static str {
    match kind {
        Kind::SqsQueue => "sqs:SendMessage",
        Kind::SnsTopic => "sns:Publish",
        _ => "lambda:InvokeFunction",
    }
}

/// What a state machine's role needs to deliver its logs and traces (AWS's documented
/// actions; log delivery is set up on resources it does not name, hence `*`).
pub(crate) fn state_machine_extras(logging: bool, tracing: bool) -> Vec<Value> {
    let mut statements = Vec::new();
    if logging {
        statements.push(json!({ "Effect": "Allow", "Resource": "*", "Action": [
            "logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery",
            "logs:DeleteLogDelivery", "logs:ListLogDeliveries", "logs:PutResourcePolicy",
            "logs:DescribeResourcePolicies", "logs:DescribeLogGroups"] }));
    }
    if tracing {
        statements.push(json!({ "Effect": "Allow", "Resource": "*", "Action": [
            "xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules",
            "xray:GetSamplingTargets"] }));
    }
    statements
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_role_is_used_by_what_launches_from_its_template() {
        let d = crate::library::templates::find("employee-directory")
            .unwrap()
            .load()
            .unwrap();
        let users: Vec<&str> = role_users(&d, "app-role")
            .iter()
            .map(|r| r.id.as_str())
            .collect();
        assert_eq!(users, ["app-lt", "app-asg"]);
        assert!(role_users(&d, "app-asg").is_empty());
    }
}
