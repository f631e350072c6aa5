//! Links read from a template: references between resources (targets, aliases, origins,
//! roles, event sources), what roles' permissions name, and what security groups admit.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::{Doc, refs};
use crate::model::catalog::catalog;
use crate::model::{Kind, LinkKind, ResourceId};

/// A link found in the templates, by diagram ids.
pub(crate) type Found = (ResourceId, ResourceId, LinkKind);

/// Links the templates' references express, between resources that are in the diagram.
pub(crate) fn links(doc: &Doc, kinds: &HashMap<ResourceId, Kind>) -> Vec<Found> {
    let mut out: Vec<Found> = Vec::new();
    let mut add = |from: Option<ResourceId>, to: Option<ResourceId>, kind: LinkKind| {
        if let (Some(from), Some(to)) = (from, to)
            && from != to
            && let (Some(a), Some(b)) = (kinds.get(&from), kinds.get(&to))
            && catalog().link_allowed(*a, *b, kind)
            && !out
                .iter()
                .any(|(f, t, k)| *f == from && *t == to && *k == kind)
        {
            out.push((from, to, kind));
        }
    };
    // The load balancer whose listener forwards to target group `tg`.
    let balancer_of = |tg: &str| -> Option<ResourceId> {
        doc.res.values().find_map(|l| {
            (l.kind == "AWS::ElasticLoadBalancingV2::Listener"
                && refs(l.prop("DefaultActions")).iter().any(|t| t == tg))
            .then(|| doc.id(l.prop("LoadBalancerArn")))
            .flatten()
        })
    };
    for (logical, r) in &doc.res {
        let me = doc.ids.get(logical).cloned();
        let p = |k: &str| r.prop(k);
        match r.kind.as_str() {
            "AWS::ElasticLoadBalancingV2::TargetGroup" => {
                if let Some(targets) = p("Targets").as_array() {
                    for t in targets {
                        add(balancer_of(logical), doc.id(&t["Id"]), LinkKind::Traffic);
                    }
                }
            }
            "AWS::AutoScaling::ScalingPolicy" => {
                // A group scaled on a queue's backlog works that queue.
                let metrics = &p("TargetTrackingConfiguration")["CustomizedMetricSpecification"];
                let named: Vec<ResourceId> = refs(metrics)
                    .iter()
                    .filter_map(|l| doc.ids.get(l).cloned())
                    .collect();
                for queue in named
                    .into_iter()
                    .filter(|q| kinds.get(q) == Some(&Kind::SqsQueue))
                {
                    add(
                        Some(queue),
                        doc.id(p("AutoScalingGroupName")),
                        LinkKind::EventTrigger,
                    );
                }
            }
            "AWS::AutoScaling::AutoScalingGroup" => {
                for tg in refs(p("TargetGroupARNs")) {
                    add(balancer_of(&tg), me.clone(), LinkKind::Traffic);
                }
                for lb in doc.ids_of(p("LoadBalancerNames")) {
                    add(Some(lb), me.clone(), LinkKind::Traffic);
                }
            }
            "AWS::ECS::Service" => {
                if let Some(list) = p("LoadBalancers").as_array() {
                    for lb in list {
                        for tg in refs(&lb["TargetGroupArn"]) {
                            add(balancer_of(&tg), me.clone(), LinkKind::Traffic);
                        }
                    }
                }
            }
            "AWS::ElasticLoadBalancing::LoadBalancer" => {
                for i in doc.ids_of(p("Instances")) {
                    add(me.clone(), Some(i), LinkKind::Traffic);
                }
                if let Some(list) = p("Listeners").as_array() {
                    for l in list {
                        add(
                            doc.id(&l["SSLCertificateId"]),
                            me.clone(),
                            LinkKind::Attachment,
                        );
                    }
                }
            }
            "AWS::ElasticLoadBalancingV2::Listener" => {
                add(
                    doc.id(&p("Certificates")[0]["CertificateArn"]),
                    doc.id(p("LoadBalancerArn")),
                    LinkKind::Attachment,
                );
            }
            "AWS::Route53::RecordSet" => {
                let target = doc
                    .id(&p("AliasTarget")["DNSName"])
                    .or_else(|| doc.id(&p("ResourceRecords")[0]));
                add(doc.id(p("HostedZoneId")), target, LinkKind::Traffic);
            }
            "AWS::CloudFront::Distribution" => {
                let config = p("DistributionConfig");
                if let Some(origins) = config["Origins"].as_array() {
                    for o in origins {
                        add(me.clone(), doc.id(&o["DomainName"]), LinkKind::Traffic);
                    }
                }
                add(
                    doc.id(&config["ViewerCertificate"]["AcmCertificateArn"]),
                    me.clone(),
                    LinkKind::Attachment,
                );
            }
            "AWS::Lambda::Function" => {
                add(doc.id(p("Role")), me.clone(), LinkKind::Attachment);
            }
            "AWS::EC2::LaunchTemplate" | "AWS::EC2::Instance" => {
                let profile = if r.kind == "AWS::EC2::Instance" {
                    p("IamInstanceProfile").clone()
                } else {
                    p("LaunchTemplateData")["IamInstanceProfile"]["Arn"].clone()
                };
                let role = doc
                    .logical(&profile)
                    .and_then(|l| doc.res.get(&l))
                    .and_then(|ip| doc.id(&ip.prop("Roles")[0]));
                // A template a group made for itself stands for the group.
                let holder = me.clone().or_else(|| {
                    doc.res.iter().find_map(|(g, gr)| {
                        (gr.kind == "AWS::AutoScaling::AutoScalingGroup"
                            && refs(&gr.prop("LaunchTemplate")["LaunchTemplateId"])
                                .contains(logical))
                        .then(|| doc.ids.get(g).cloned())
                        .flatten()
                    })
                });
                add(role, holder, LinkKind::Attachment);
            }
            "AWS::ECS::TaskDefinition" => {
                add(doc.id(p("TaskRoleArn")), me.clone(), LinkKind::Attachment);
                // Services running the task pull its images from the repositories named.
                let repositories: Vec<ResourceId> = doc
                    .ids_of(p("ContainerDefinitions"))
                    .into_iter()
                    .filter(|id| kinds.get(id) == Some(&Kind::EcrRepository))
                    .collect();
                for (s, sr) in &doc.res {
                    if sr.kind == "AWS::ECS::Service"
                        && refs(sr.prop("TaskDefinition")).contains(logical)
                    {
                        for repo in &repositories {
                            add(
                                doc.ids.get(s).cloned(),
                                Some(repo.clone()),
                                LinkKind::Traffic,
                            );
                        }
                    }
                }
            }
            "AWS::IAM::ManagedPolicy" => {
                for key in ["Roles", "Users", "Groups"] {
                    for holder in doc.ids_of(p(key)) {
                        add(me.clone(), Some(holder), LinkKind::Attachment);
                    }
                }
            }
            "AWS::IAM::User" => {
                for group in doc.ids_of(p("Groups")) {
                    add(me.clone(), Some(group), LinkKind::Attachment);
                }
            }
            "AWS::Lambda::EventSourceMapping" => {
                add(
                    doc.id(p("EventSourceArn")),
                    doc.id(p("FunctionName")),
                    LinkKind::EventTrigger,
                );
            }
            "AWS::S3::Bucket" => {
                let n = p("NotificationConfiguration");
                for (key, field) in [
                    ("LambdaConfigurations", "Function"),
                    ("QueueConfigurations", "Queue"),
                    ("TopicConfigurations", "Topic"),
                ] {
                    if let Some(list) = n[key].as_array() {
                        for c in list {
                            add(me.clone(), doc.id(&c[field]), LinkKind::EventTrigger);
                        }
                    }
                }
                if let Some(rules) = p("ReplicationConfiguration")["Rules"].as_array() {
                    for rule in rules {
                        add(
                            me.clone(),
                            doc.id(&rule["Destination"]["Bucket"]),
                            LinkKind::Replication,
                        );
                    }
                }
            }
            // A bus's rule delivers to its targets.
            "AWS::Events::Rule" => {
                let bus = doc.id(p("EventBusName"));
                for target in p("Targets").as_array().into_iter().flatten() {
                    add(bus.clone(), doc.id(&target["Arn"]), LinkKind::EventTrigger);
                }
            }
            // A state machine calls what its definition names (as Fn::Sub variables).
            "AWS::StepFunctions::StateMachine" => {
                let steps: Vec<ResourceId> = refs(p("DefinitionString"))
                    .iter()
                    .filter_map(|l| doc.ids.get(l).cloned())
                    .collect();
                for step in steps {
                    add(me.clone(), Some(step), LinkKind::Traffic);
                }
            }
            "AWS::SecretsManager::RotationSchedule" => add(
                doc.id(p("SecretId")),
                doc.id(p("RotationLambdaARN")),
                LinkKind::EventTrigger,
            ),
            "AWS::SNS::Subscription" => add(
                doc.id(p("TopicArn")),
                doc.id(p("Endpoint")),
                LinkKind::EventTrigger,
            ),
            "AWS::CloudWatch::Alarm" => {
                for action in doc.ids_of(p("AlarmActions")) {
                    add(me.clone(), Some(action), LinkKind::EventTrigger);
                }
            }
            "AWS::ApiGatewayV2::Integration" => add(
                doc.id(p("ApiId")),
                doc.id(p("IntegrationUri")),
                LinkKind::Traffic,
            ),
            "AWS::ApiGateway::Method" => add(
                doc.id(p("RestApiId")),
                doc.id(&p("Integration")["Uri"]),
                LinkKind::Traffic,
            ),
            "AWS::EC2::VPNConnection" => {
                add(
                    doc.id(p("CustomerGatewayId")),
                    me.clone(),
                    LinkKind::HybridConnection,
                );
                add(
                    me.clone(),
                    doc.id(p("VpnGatewayId"))
                        .or_else(|| doc.id(p("TransitGatewayId"))),
                    LinkKind::HybridConnection,
                );
            }
            "AWS::EC2::VPCPeeringConnection" => {
                add(me.clone(), doc.id(p("VpcId")), LinkKind::Peering);
                add(me.clone(), doc.id(p("PeerVpcId")), LinkKind::Peering);
            }
            "AWS::EC2::TransitGatewayAttachment" => add(
                doc.id(p("TransitGatewayId")),
                doc.id(p("VpcId")),
                LinkKind::Attachment,
            ),
            "AWS::EC2::EIPAssociation" => {
                let to = doc
                    .id(p("InstanceId"))
                    .or_else(|| doc.id(p("NetworkInterfaceId")));
                add(doc.id(p("AllocationId")), to, LinkKind::Attachment);
            }
            "AWS::EC2::VolumeAttachment" => add(
                doc.id(p("VolumeId")),
                doc.id(p("InstanceId")),
                LinkKind::Attachment,
            ),
            "AWS::RDS::DBInstance" => add(
                doc.id(p("SourceDBInstanceIdentifier")),
                me.clone(),
                LinkKind::Replication,
            ),
            "AWS::RDS::DBCluster" => {
                if let Some(name) = p("GlobalClusterIdentifier").as_str() {
                    let primary = doc.res.values().find_map(|g| {
                        (g.kind == "AWS::RDS::GlobalCluster"
                            && g.prop("GlobalClusterIdentifier") == name)
                            .then(|| doc.id(g.prop("SourceDBClusterIdentifier")))
                            .flatten()
                    });
                    add(primary, me.clone(), LinkKind::Replication);
                }
            }
            _ => {}
        }
    }
    permission_links(doc, kinds, &mut out);
    security_group_links(doc, kinds, &mut out);
    out
}

/// Traffic a role's permissions imply: from what takes the role to the resources its
/// policies name, by reference or by ARN (`arn:aws:s3:::photos/*`, `…:table/Employees`).
fn permission_links(doc: &Doc, kinds: &HashMap<ResourceId, Kind>, out: &mut Vec<Found>) {
    // Resources by the names their ARNs carry.
    let mut named: Vec<(String, ResourceId)> = Vec::new();
    for (logical, r) in &doc.res {
        let Some(id) = doc.ids.get(logical) else {
            continue;
        };
        let name = match r.kind.as_str() {
            "AWS::S3::Bucket" => r.prop("BucketName").as_str().map(|n| format!(":s3:::{n}")),
            "AWS::DynamoDB::Table" | "AWS::DynamoDB::GlobalTable" => {
                r.prop("TableName").as_str().map(|n| format!(":table/{n}"))
            }
            "AWS::SQS::Queue" => r.prop("QueueName").as_str().map(|n| format!(":{n}")),
            _ => None,
        };
        if let Some(name) = name {
            named.push((name, id.clone()));
        }
    }
    let targets = |document: &Value| -> Vec<ResourceId> {
        let mut found: Vec<ResourceId> = refs(document)
            .iter()
            .filter_map(|l| doc.ids.get(l).cloned())
            .collect();
        let mut strings = Vec::new();
        collect_strings(document, &mut strings);
        for s in strings {
            for (name, id) in &named {
                let end = s.find(name.as_str()).map(|i| i + name.len());
                if end.is_some_and(|e| {
                    s[e..].is_empty() || s[e..].starts_with('/') || s[e..].starts_with('*')
                }) {
                    found.push(id.clone());
                }
            }
        }
        found
    };
    // Roles and what each policy grants.
    let mut grants: HashMap<String, Vec<ResourceId>> = HashMap::new();
    for (logical, r) in &doc.res {
        match r.kind.as_str() {
            "AWS::IAM::Role" => grants
                .entry(logical.clone())
                .or_default()
                .extend(targets(r.prop("Policies"))),
            "AWS::IAM::ManagedPolicy" | "AWS::IAM::Policy" => {
                let granted = targets(r.prop("PolicyDocument"));
                for role in refs(r.prop("Roles")) {
                    grants
                        .entry(role)
                        .or_default()
                        .extend(granted.iter().cloned());
                }
            }
            _ => {}
        }
    }
    for (role, granted) in grants {
        for user in role_users(doc, &role) {
            for target in &granted {
                let (Some(a), Some(b)) = (kinds.get(&user), kinds.get(target)) else {
                    continue;
                };
                if user != *target
                    && catalog().link_allowed(*a, *b, LinkKind::Traffic)
                    && !out.iter().any(|(f, t, _)| *f == user && t == target)
                {
                    out.push((user.clone(), target.clone(), LinkKind::Traffic));
                }
            }
        }
    }
}

/// What runs with role `role`: functions, instances, groups launching from a template
/// with its instance profile, and services running a task with it.
fn role_users(doc: &Doc, role: &str) -> Vec<ResourceId> {
    let profiles: Vec<&String> = doc
        .res
        .iter()
        .filter(|(_, r)| {
            r.kind == "AWS::IAM::InstanceProfile" && refs(r.prop("Roles")).iter().any(|x| x == role)
        })
        .map(|(l, _)| l)
        .collect();
    let has_profile = |v: &Value| refs(v).iter().any(|p| profiles.contains(&p));
    let mut users = Vec::new();
    for (logical, r) in &doc.res {
        let p = |k: &str| r.prop(k);
        let uses = match r.kind.as_str() {
            "AWS::Lambda::Function" => refs(p("Role")).iter().any(|x| x == role),
            "AWS::EC2::Instance" => has_profile(p("IamInstanceProfile")),
            "AWS::ECS::TaskDefinition" => refs(p("TaskRoleArn")).iter().any(|x| x == role),
            "AWS::EC2::LaunchTemplate" => {
                if has_profile(&p("LaunchTemplateData")["IamInstanceProfile"]) {
                    for (g, gr) in &doc.res {
                        if gr.kind == "AWS::AutoScaling::AutoScalingGroup"
                            && refs(&gr.prop("LaunchTemplate")["LaunchTemplateId"])
                                .contains(logical)
                            && let Some(id) = doc.ids.get(g)
                        {
                            users.push(id.clone());
                        }
                    }
                }
                false
            }
            _ => false,
        };
        if uses {
            if r.kind == "AWS::ECS::TaskDefinition" {
                for (s, sr) in &doc.res {
                    if sr.kind == "AWS::ECS::Service"
                        && refs(sr.prop("TaskDefinition")).contains(logical)
                        && let Some(id) = doc.ids.get(s)
                    {
                        users.push(id.clone());
                    }
                }
            } else if let Some(id) = doc.ids.get(logical) {
                users.push(id.clone());
            }
        }
    }
    users
}

fn collect_strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|x| collect_strings(x, out)),
        Value::Object(map) => map.values().for_each(|x| collect_strings(x, out)),
        _ => {}
    }
}

/// Traffic a security group rule admits: from what wears the source group to what wears
/// the group that admits it.
fn security_group_links(doc: &Doc, kinds: &HashMap<ResourceId, Kind>, out: &mut Vec<Found>) {
    let wearers = |group: &str| -> Vec<ResourceId> {
        let mut ids = Vec::new();
        for (logical, r) in &doc.res {
            let wears = |v: &Value| refs(v).iter().any(|g| g == group);
            let p = |k: &str| r.prop(k);
            let direct = [
                "SecurityGroups",
                "SecurityGroupIds",
                "VPCSecurityGroups",
                "VpcSecurityGroupIds",
            ]
            .iter()
            .any(|k| wears(p(k)))
                || wears(&p("NetworkInterfaces")[0]["GroupSet"])
                || wears(&p("VpcConfig")["SecurityGroupIds"])
                || wears(&p("NetworkConfiguration")["AwsvpcConfiguration"]["SecurityGroups"]);
            let data = p("LaunchTemplateData");
            let template =
                wears(&data["SecurityGroupIds"]) || wears(&data["NetworkInterfaces"][0]["Groups"]);
            if direct && let Some(id) = doc.ids.get(logical) {
                ids.push(id.clone());
            }
            if direct
                && r.kind == "AWS::EFS::MountTarget"
                && let Some(fs) = doc.id(p("FileSystemId"))
            {
                ids.push(fs);
            }
            if template {
                // A launch template's groups are worn by the groups launching from it.
                for (g, gr) in &doc.res {
                    let spec = &gr.prop("LaunchTemplate")["LaunchTemplateId"];
                    if gr.kind == "AWS::AutoScaling::AutoScalingGroup"
                        && refs(spec).contains(logical)
                        && let Some(id) = doc.ids.get(g)
                    {
                        ids.push(id.clone());
                    }
                }
            }
        }
        ids.sort();
        ids.dedup();
        ids
    };
    let mut pairs: Vec<(String, String)> = Vec::new();
    for (logical, r) in &doc.res {
        match r.kind.as_str() {
            "AWS::EC2::SecurityGroupIngress" => {
                if let (Some(to), Some(from)) = (
                    doc.logical(r.prop("GroupId")),
                    doc.logical(r.prop("SourceSecurityGroupId")),
                ) {
                    pairs.push((from, to));
                }
            }
            "AWS::EC2::SecurityGroup" => {
                if let Some(rules) = r.prop("SecurityGroupIngress").as_array() {
                    for rule in rules {
                        if let Some(from) = doc.logical(&rule["SourceSecurityGroupId"]) {
                            pairs.push((from, logical.clone()));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    let mut seen: HashSet<(ResourceId, ResourceId)> =
        out.iter().map(|(f, t, _)| (f.clone(), t.clone())).collect();
    for (from_group, to_group) in pairs {
        for from in wearers(&from_group) {
            for to in wearers(&to_group) {
                let (Some(a), Some(b)) = (kinds.get(&from), kinds.get(&to)) else {
                    continue;
                };
                if from != to
                    && catalog().link_allowed(*a, *b, LinkKind::Traffic)
                    && seen.insert((from.clone(), to.clone()))
                {
                    out.push((from.clone(), to, LinkKind::Traffic));
                }
            }
        }
    }
}
