//! The diagram behind the templates: containment from network properties, links from
//! references, then this program's metadata (layout, actors, links no property says).

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::config::{is_part, name_tag};
use super::read::config_of;
use super::{Doc, ImportError, Imported, refs};
use crate::catalog::catalog;
use crate::geom::Rect;
use crate::layout;
use crate::model::{Config, Diagram, Kind, Link, LinkKind, Resource, ResourceId};

/// A link found in the templates, by diagram ids.
pub(crate) type Found = (ResourceId, ResourceId, LinkKind);

/// Builds the diagram.
pub(super) fn build(doc: Doc) -> Result<Imported, ImportError> {
    let mut resources: Vec<Resource> = Vec::new();
    let mut kinds: HashMap<ResourceId, Kind> = HashMap::new();
    // Containers and actors the metadata describes.
    for described in doc.stacks.iter().flat_map(|m| {
        let containers = m
            .get("Containers")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let actors = m
            .get("Actors")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        containers.into_iter().chain(actors)
    }) {
        if let Some(r) = described_resource(&described) {
            kinds.insert(r.id.clone(), r.kind());
            resources.push(r);
        }
    }
    let regions = region_containers(&doc, &mut resources, &mut kinds);
    let mut zones: HashMap<(ResourceId, String), ResourceId> = resources
        .iter()
        .filter_map(|r| match (&r.config, &r.parent) {
            (Config::AvailabilityZone(z), Some(vpc)) => {
                Some(((vpc.clone(), z.zone.clone()), r.id.clone()))
            }
            _ => None,
        })
        .collect();
    let mut unsupported = Vec::new();
    for (logical, r) in &doc.res {
        let (Some(id), Some(kind)) = (doc.ids.get(logical), doc.kinds.get(logical)) else {
            if super::config::kind_of(&doc, logical, r).is_none()
                && !is_part(&r.kind)
                && !r.kind.is_empty()
            {
                let known = r.kind.starts_with("AWS::EFS::MountTarget")
                    || matches!(
                        r.kind.as_str(),
                        "AWS::EC2::EIP"
                            | "AWS::EC2::LaunchTemplate"
                            | "AWS::RDS::DBInstance"
                            | "AWS::CloudWatch::Alarm"
                            | "AWS::Logs::LogGroup"
                    );
                if !known {
                    unsupported.push((logical.clone(), r.kind.clone()));
                }
            }
            continue;
        };
        let name = r
            .meta
            .as_ref()
            .and_then(|m| m.get("Name"))
            .and_then(Value::as_str)
            .map(str::to_string)
            .or_else(|| name_tag(r))
            .unwrap_or_else(|| logical.clone());
        let mut resource = Resource::new(id.clone(), *kind)
            .named(name)
            .with_config(config_of(&doc, logical, r, *kind));
        if let Some(rect) = r.meta.as_ref().and_then(|m| rect(&m["Rect"])) {
            resource.rect = rect;
        }
        kinds.insert(id.clone(), *kind);
        resources.push(resource);
    }
    // Parents, now that every resource is known.
    let region_of = |logical: &str| {
        doc.res
            .get(logical)
            .map(|r| r.region.clone())
            .unwrap_or_default()
    };
    let logicals: Vec<(String, ResourceId)> = doc
        .ids
        .iter()
        .map(|(l, i)| (l.clone(), i.clone()))
        .collect();
    let by_id: HashMap<ResourceId, String> = logicals
        .iter()
        .map(|(l, i)| (i.clone(), l.clone()))
        .collect();
    let mut new_zones = Vec::new();
    for resource in resources.iter_mut() {
        let Some(logical) = by_id.get(&resource.id) else {
            continue;
        };
        let region = regions.get(&region_of(logical)).cloned();
        let parent = parent_of(
            &doc,
            logical,
            resource.kind(),
            region.as_ref(),
            &mut zones,
            &mut new_zones,
        );
        let known = resources_kinds(&kinds, &new_zones);
        resource.parent = allowed_parent(parent, resource.kind(), &known, region.as_ref());
    }
    for (id, zone, vpc) in new_zones {
        let mut az = Resource::new(id.clone(), Kind::AvailabilityZone)
            .named(zone.clone())
            .with_config(Config::AvailabilityZone(
                crate::model::config::network::AvailabilityZone { zone },
            ));
        az.parent = Some(vpc);
        kinds.insert(id, Kind::AvailabilityZone);
        resources.insert(0, az);
    }
    let links = links(&doc, &kinds);
    finish(&doc, resources, links, unsupported)
}

fn resources_kinds(
    kinds: &HashMap<ResourceId, Kind>,
    new_zones: &[(ResourceId, String, ResourceId)],
) -> HashMap<ResourceId, Kind> {
    let mut all = kinds.clone();
    for (id, _, _) in new_zones {
        all.insert(id.clone(), Kind::AvailabilityZone);
    }
    all
}

/// A container or actor written whole in the metadata.
fn described_resource(v: &Value) -> Option<Resource> {
    let kind = Kind::from_name(v.get("Kind")?.as_str()?)?;
    let id = ResourceId::new(v.get("Id")?.as_str()?).ok()?;
    let config = v
        .get("Config")
        .and_then(Value::as_str)
        .and_then(|text| serde_json::from_str(text).ok())
        .and_then(|json| Config::from_json(kind, json).ok())
        .unwrap_or_else(|| Config::default_for(kind));
    let mut r = Resource::new(id, kind)
        .named(v.get("Name").and_then(Value::as_str).unwrap_or(""))
        .with_config(config);
    r.parent = v
        .get("Parent")
        .and_then(Value::as_str)
        .and_then(|p| ResourceId::new(p).ok());
    if let Some(rect) = v.get("Rect").and_then(rect) {
        r.rect = rect;
    }
    Some(r)
}

fn rect(v: &Value) -> Option<Rect> {
    let n = |i: usize| v.get(i).and_then(Value::as_f64).map(|x| x as f32);
    let rect = Rect::new(n(0)?, n(1)?, n(2)?, n(3)?);
    (rect.is_well_formed() && !rect.is_unplaced()).then_some(rect)
}

/// The Region container of each stack's Region: from the metadata, or made.
fn region_containers(
    doc: &Doc,
    resources: &mut Vec<Resource>,
    kinds: &mut HashMap<ResourceId, Kind>,
) -> HashMap<String, ResourceId> {
    let mut out: HashMap<String, ResourceId> = resources
        .iter()
        .filter_map(|r| match &r.config {
            Config::Region(c) => Some((c.code.clone(), r.id.clone())),
            _ => None,
        })
        .collect();
    let mut wanted: Vec<String> = doc.res.values().map(|r| r.region.clone()).collect();
    wanted.dedup();
    for code in wanted {
        if out.contains_key(&code) {
            continue;
        }
        let id = if out.is_empty() && !kinds.contains_key(&ResourceId::slug("region")) {
            ResourceId::slug("region")
        } else {
            ResourceId::slug(&format!("region-{code}"))
        };
        let config = crate::model::config::network::Region {
            code: code.clone(),
            ..Default::default()
        };
        resources.insert(
            0,
            Resource::new(id.clone(), Kind::Region)
                .named(code.clone())
                .with_config(Config::Region(config)),
        );
        kinds.insert(id.clone(), Kind::Region);
        out.insert(code, id);
    }
    out
}

/// The VPC a subnet belongs to.
fn vpc_of_subnet(doc: &Doc, subnet: &str) -> Option<ResourceId> {
    doc.res.get(subnet).and_then(|s| doc.id(s.prop("VpcId")))
}

/// The VPC of the first subnet in a list of references.
fn vpc_of_subnets(doc: &Doc, list: &Value) -> Option<ResourceId> {
    refs(list).iter().find_map(|s| vpc_of_subnet(doc, s))
}

/// Where a resource sits, before checking the catalog allows it.
fn parent_of(
    doc: &Doc,
    logical: &str,
    kind: Kind,
    region: Option<&ResourceId>,
    zones: &mut HashMap<(ResourceId, String), ResourceId>,
    new_zones: &mut Vec<(ResourceId, String, ResourceId)>,
) -> Option<ResourceId> {
    let r = &doc.res[logical];
    let p = |k: &str| r.prop(k);
    let subnet_list = |v: &Value| -> Option<ResourceId> {
        let subnets = refs(v);
        if subnets.len() == 1 {
            return doc.ids.get(&subnets[0]).cloned();
        }
        vpc_of_subnets(doc, v)
    };
    let group_subnets = |v: &Value| {
        doc.logical(v).and_then(|g| doc.res.get(&g)).map(|g| {
            if g.prop("SubnetIds").is_null() {
                g.prop("Subnets").clone()
            } else {
                g.prop("SubnetIds").clone()
            }
        })
    };
    match kind {
        Kind::Vpc => region.cloned(),
        Kind::Subnet => {
            let vpc = doc.id(p("VpcId"))?;
            let zone = zone_name(p("AvailabilityZone"), &r.region);
            let key = (vpc.clone(), zone.clone());
            if let Some(z) = zones.get(&key) {
                return Some(z.clone());
            }
            let id = ResourceId::slug(&format!("{vpc}-{zone}"));
            zones.insert(key, id.clone());
            new_zones.push((id.clone(), zone, vpc));
            Some(id)
        }
        Kind::InternetGateway | Kind::VirtualPrivateGateway => {
            let part = if kind == Kind::InternetGateway {
                "InternetGatewayId"
            } else {
                "VpnGatewayId"
            };
            doc.referring("AWS::EC2::VPCGatewayAttachment", part, logical)
                .find_map(|(_, a)| doc.id(a.prop("VpcId")))
        }
        Kind::RouteTable | Kind::NetworkAcl | Kind::SecurityGroup | Kind::VpcEndpoint => {
            doc.id(p("VpcId"))
        }
        Kind::NatGateway | Kind::Ec2Instance | Kind::NetworkInterface => doc
            .id(p("SubnetId"))
            .or_else(|| doc.id(&p("NetworkInterfaces")[0]["SubnetId"])),
        Kind::ApplicationLoadBalancer
        | Kind::NetworkLoadBalancer
        | Kind::GatewayLoadBalancer
        | Kind::ClassicLoadBalancer => vpc_of_subnets(doc, p("Subnets")),
        Kind::AutoScalingGroup => vpc_of_subnets(doc, p("VPCZoneIdentifier")),
        Kind::LambdaFunction => {
            vpc_of_subnets(doc, &p("VpcConfig")["SubnetIds"]).or_else(|| region.cloned())
        }
        Kind::EcsService => vpc_of_subnets(
            doc,
            &p("NetworkConfiguration")["AwsvpcConfiguration"]["Subnets"],
        ),
        Kind::EksCluster => vpc_of_subnets(doc, &p("ResourcesVpcConfig")["SubnetIds"]),
        Kind::FsxFileSystem => vpc_of_subnets(doc, p("SubnetIds")),
        Kind::EfsFileSystem => doc
            .referring("AWS::EFS::MountTarget", "FileSystemId", logical)
            .find_map(|(_, t)| {
                refs(t.prop("SubnetId"))
                    .first()
                    .and_then(|s| vpc_of_subnet(doc, s))
            }),
        Kind::RdsInstance | Kind::ElastiCacheCluster => {
            let key = if r.kind == "AWS::RDS::DBInstance" {
                "DBSubnetGroupName"
            } else {
                "CacheSubnetGroupName"
            };
            group_subnets(p(key)).and_then(|s| subnet_list(&s))
        }
        Kind::AuroraCluster | Kind::DocumentDbCluster | Kind::NeptuneCluster => {
            group_subnets(p("DBSubnetGroupName")).and_then(|s| vpc_of_subnets(doc, &s))
        }
        Kind::MemoryDbCluster => {
            group_subnets(p("SubnetGroupName")).and_then(|s| vpc_of_subnets(doc, &s))
        }
        Kind::ElasticBeanstalkEnvironment => p("OptionSettings")
            .as_array()
            .and_then(|o| {
                o.iter()
                    .find(|x| x["Namespace"] == "aws:ec2:vpc" && x["OptionName"] == "VPCId")
            })
            .and_then(|x| doc.id(&x["Value"]))
            .or_else(|| region.cloned()),
        Kind::EbsVolume => doc
            .referring("AWS::EC2::VolumeAttachment", "VolumeId", logical)
            .find_map(|(_, a)| doc.logical(a.prop("InstanceId")))
            .and_then(|i| doc.res.get(&i))
            .and_then(|i| {
                doc.id(i.prop("SubnetId"))
                    .or_else(|| doc.id(&i.prop("NetworkInterfaces")[0]["SubnetId"]))
            }),
        Kind::ElasticIp => doc
            .referring("AWS::EC2::EIPAssociation", "AllocationId", logical)
            .find_map(|(_, a)| doc.logical(a.prop("InstanceId")))
            .and_then(|i| doc.res.get(&i))
            .and_then(|i| {
                vpc_of_subnets(doc, &i.prop("NetworkInterfaces")[0]["SubnetId"])
                    .or_else(|| vpc_of_subnets(doc, i.prop("SubnetId")))
            })
            .or_else(|| region.cloned()),
        k if catalog().may_contain(Some(Kind::Region), k) => region.cloned(),
        _ => None,
    }
}

/// A zone name from a subnet's `AvailabilityZone`: a name, or `Fn::Select` of an index.
fn zone_name(v: &Value, region: &str) -> String {
    if let Some(name) = v.as_str() {
        return name.to_string();
    }
    let index = v["Fn::Select"][0]
        .as_u64()
        .or_else(|| v["Fn::Select"][0].as_str().and_then(|s| s.parse().ok()))
        .unwrap_or(0);
    format!("{region}{}", (b'a' + index.min(25) as u8) as char)
}

/// `parent` if the catalog lets `kind` sit there, else the nearest enclosing container
/// that does (the top level last).
fn allowed_parent(
    parent: Option<ResourceId>,
    kind: Kind,
    kinds: &HashMap<ResourceId, Kind>,
    region: Option<&ResourceId>,
) -> Option<ResourceId> {
    let cat = catalog();
    let fits = |p: &Option<ResourceId>| {
        cat.may_contain(p.as_ref().and_then(|p| kinds.get(p)).copied(), kind)
    };
    if fits(&parent) {
        return parent;
    }
    for candidate in [region.cloned(), None] {
        if fits(&candidate) {
            return candidate;
        }
    }
    parent
}

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

/// Applies the metadata's links, makes the diagram and lays it out when it has no layout.
fn finish(
    doc: &Doc,
    mut resources: Vec<Resource>,
    found: Vec<Found>,
    unsupported: Vec<(String, String)>,
) -> Result<Imported, ImportError> {
    let present: HashSet<ResourceId> = resources.iter().map(|r| r.id.clone()).collect();
    let mut links: Vec<Link> = found
        .into_iter()
        .map(|(f, t, k)| Link::new(f, t, k))
        .collect();
    for meta in &doc.stacks {
        for v in meta
            .get("NotLinks")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(gone) = link_of(v) {
                links.retain(|l| !l.same_as(&gone));
            }
        }
        for v in meta
            .get("Links")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(link) = link_of(v) else { continue };
            if !present.contains(&link.from) || !present.contains(&link.to) {
                continue;
            }
            match links.iter_mut().find(|l| l.same_as(&link)) {
                Some(existing) => existing.label = link.label,
                None => links.push(link),
            }
        }
    }
    // Containers first, so they are drawn beneath what they hold.
    let depth = |r: &Resource| match r.kind() {
        Kind::Region => 0,
        Kind::Vpc => 1,
        Kind::AvailabilityZone => 2,
        Kind::Subnet => 3,
        _ => 4,
    };
    resources.sort_by_key(depth);
    let region = doc
        .stacks
        .first()
        .and_then(|m| m.get("Region"))
        .and_then(Value::as_str)
        .or_else(|| doc.res.values().next().map(|r| r.region.as_str()))
        .unwrap_or(crate::model::DEFAULT_REGION)
        .to_string();
    let name = doc
        .stacks
        .first()
        .and_then(|m| m.get("Diagram"))
        .and_then(Value::as_str)
        .unwrap_or("Imported template")
        .to_string();
    let placed = resources.iter().all(|r| !r.rect.is_unplaced());
    let description = doc
        .stacks
        .first()
        .and_then(|m| m.get("Description"))
        .and_then(Value::as_str)
        .unwrap_or("");
    let description = if description == name {
        String::new()
    } else {
        description.to_string()
    };
    let mut diagram = Diagram::from_parts(name, description, region, resources, links, Vec::new())
        .map_err(|e| {
            ImportError::Empty(format!("the template does not make a valid diagram: {e}"))
        })?;
    if !placed {
        layout::auto_layout(&mut diagram);
    }
    Ok(Imported {
        diagram,
        unsupported,
    })
}

fn link_of(v: &Value) -> Option<Link> {
    let from = ResourceId::new(v.get("From")?.as_str()?).ok()?;
    let to = ResourceId::new(v.get("To")?.as_str()?).ok()?;
    let kind = LinkKind::ALL
        .iter()
        .copied()
        .find(|k| format!("{k:?}") == v.get("Kind").and_then(Value::as_str).unwrap_or(""))?;
    let mut link = Link::new(from, to, kind);
    link.label = v
        .get("Label")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    Some(link)
}
