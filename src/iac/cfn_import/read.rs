//! A diagram resource's configuration read from its template resource and its parts.

use serde_json::{Value, json};

use super::config::{Fields, boolean, number, text};
use super::{Doc, Res, refs};
use crate::model::{Config, Kind};

/// The configuration of template resource `logical` as a diagram resource of `kind`.
pub(super) fn config_of(doc: &Doc, logical: &str, r: &Res, kind: Kind) -> Config {
    let mut f = Fields::new(kind);
    let p = |k: &str| r.prop(k);
    let parts = |kind: &'static str, key: &'static str| doc.referring(kind, key, logical);
    match kind {
        Kind::Vpc => {
            f.set("cidr", text(p("CidrBlock")))
                .set("enable_dns_support", boolean(p("EnableDnsSupport")))
                .set("enable_dns_hostnames", boolean(p("EnableDnsHostnames")))
                .set(
                    "flow_logs",
                    parts("AWS::EC2::FlowLog", "ResourceId").next().is_some(),
                );
            if p("InstanceTenancy") == "dedicated" {
                f.set("tenancy", "Dedicated");
            }
            let marked = r
                .meta
                .as_ref()
                .and_then(|m| m.get(super::external::MADE_ELSEWHERE));
            if marked == Some(&json!(true)) {
                f.set("made_elsewhere", true);
            }
        }
        Kind::Subnet => {
            let table = parts("AWS::EC2::SubnetRouteTableAssociation", "SubnetId")
                .find_map(|(_, a)| doc.logical(a.prop("RouteTableId")));
            let public = boolean(p("MapPublicIpOnLaunch")) == json!(true)
                || table.as_ref().is_some_and(|t| routes_to_internet(doc, t));
            f.set("cidr", text(p("CidrBlock")))
                .set("map_public_ip_on_launch", boolean(p("MapPublicIpOnLaunch")))
                .set("tier", if public { "Public" } else { "Private" });
            if let Some(t) = table.and_then(|t| doc.ids.get(&t)) {
                f.set("route_table", t.as_str());
            }
            if let Some(acl) = parts("AWS::EC2::SubnetNetworkAclAssociation", "SubnetId")
                .find_map(|(_, a)| doc.id(a.prop("NetworkAclId")))
            {
                f.set("network_acl", acl.as_str());
            }
        }
        Kind::NatGateway => {
            if p("ConnectivityType") == "private" {
                f.set("connectivity", "Private");
            }
        }
        Kind::RouteTable => {
            let routes: Vec<Value> = parts("AWS::EC2::Route", "RouteTableId")
                .filter_map(|(_, route)| {
                    let target = [
                        "GatewayId",
                        "NatGatewayId",
                        "VpcPeeringConnectionId",
                        "TransitGatewayId",
                        "NetworkInterfaceId",
                        "InstanceId",
                        "VpcEndpointId",
                    ]
                    .iter()
                    .find_map(|k| doc.id(route.prop(k)))?;
                    let destination = text(route.prop("DestinationCidrBlock"))
                        .as_str()
                        .or(route.prop("DestinationIpv6CidrBlock").as_str())?
                        .to_string();
                    Some(json!({ "destination": destination, "target": target.as_str() }))
                })
                .collect();
            f.set("routes", routes);
        }
        Kind::NetworkAcl => {
            let (mut inbound, mut outbound) = (Vec::new(), Vec::new());
            for (_, e) in parts("AWS::EC2::NetworkAclEntry", "NetworkAclId") {
                let protocol = match number(e.prop("Protocol")).as_i64() {
                    Some(6) => "Tcp",
                    Some(17) => "Udp",
                    Some(1) => "Icmp",
                    _ => "All",
                };
                let range = e.prop("PortRange");
                let rule = json!({ "rule_number": number(e.prop("RuleNumber")), "protocol": protocol,
                    "from_port": number(&range["From"]).as_u64().unwrap_or(0),
                    "to_port": number(&range["To"]).as_u64().unwrap_or(65535),
                    "cidr": text(e.prop("CidrBlock")).as_str().unwrap_or("0.0.0.0/0"),
                    "action": if e.prop("RuleAction") == "deny" { "Deny" } else { "Allow" } });
                if boolean(e.prop("Egress")) == json!(true) {
                    outbound.push(rule);
                } else {
                    inbound.push(rule);
                }
            }
            f.set("inbound", inbound).set("outbound", outbound);
        }
        Kind::SecurityGroup => security_group(doc, logical, r, &mut f),
        Kind::NetworkInterface => {
            f.set("security_groups", ids(doc, p("GroupSet"))).set(
                "secondary_private_ips",
                number(p("SecondaryPrivateIpAddressCount")),
            );
        }
        Kind::VpcEndpoint => {
            let service = match p("ServiceName") {
                Value::String(s) => s.clone(),
                other => other["Fn::Sub"].as_str().unwrap_or("").to_string(),
            };
            let short = service.rsplit('.').next().unwrap_or("").to_string();
            f.set("service", short)
                .set(
                    "endpoint_type",
                    if p("VpcEndpointType") == "Interface" {
                        "Interface"
                    } else {
                        "Gateway"
                    },
                )
                .set("subnets", ids(doc, p("SubnetIds")))
                .set("security_groups", ids(doc, p("SecurityGroupIds")));
        }
        Kind::VirtualPrivateGateway | Kind::TransitGateway => {
            f.set("amazon_side_asn", number(p("AmazonSideAsn")));
        }
        Kind::CustomerGateway => {
            f.set("bgp_asn", number(p("BgpAsn")))
                .set("ip_address", text(p("IpAddress")));
        }
        Kind::SiteToSiteVpn => {
            f.set("static_routing", boolean(p("StaticRoutesOnly")));
        }
        Kind::ApplicationLoadBalancer | Kind::NetworkLoadBalancer | Kind::GatewayLoadBalancer => {
            super::read_edge::balancer(doc, logical, r, kind, &mut f);
        }
        Kind::ClassicLoadBalancer => {
            f.set("subnets", ids(doc, p("Subnets")))
                .set("security_groups", ids(doc, p("SecurityGroups")))
                .set("cross_zone", boolean(p("CrossZone")));
            if p("Scheme") == "internal" {
                f.set("scheme", "Internal");
            }
        }
        Kind::Route53HostedZone => super::read_edge::hosted_zone(doc, logical, r, &mut f),
        Kind::CloudFrontDistribution => super::read_edge::distribution(doc, r, &mut f),
        Kind::Ec2Instance | Kind::LaunchTemplate => {
            let data = if kind == Kind::LaunchTemplate {
                p("LaunchTemplateData").clone()
            } else {
                r.props.clone()
            };
            instance(doc, &data, kind, &mut f);
            if let Some(port) = app_port(doc, logical, kind) {
                f.set("app", json!({ "port": port }));
            }
        }
        Kind::AutoScalingGroup => super::read_compute::auto_scaling_group(doc, logical, r, &mut f),
        Kind::LambdaFunction => super::read_compute::lambda(doc, logical, r, &mut f),
        Kind::EcsCluster
        | Kind::EcsService
        | Kind::EcsTaskDefinition
        | Kind::EksCluster
        | Kind::EcrRepository
        | Kind::ElasticBeanstalkEnvironment => {
            super::read_compute::containers(doc, logical, r, kind, &mut f);
        }
        Kind::S3Bucket
        | Kind::EbsVolume
        | Kind::EfsFileSystem
        | Kind::FsxFileSystem
        | Kind::RdsInstance
        | Kind::AuroraCluster
        | Kind::DynamoDbTable
        | Kind::ElastiCacheCluster
        | Kind::MemoryDbCluster
        | Kind::DocumentDbCluster
        | Kind::NeptuneCluster
        | Kind::KeyspacesTable
        | Kind::TimestreamDatabase
        | Kind::QldbLedger => super::read_data::config(doc, logical, r, kind, &mut f),
        Kind::SqsQueue
        | Kind::EventBridgeBus
        | Kind::StepFunctionsStateMachine
        | Kind::SnsTopic
        | Kind::ApiGateway
        | Kind::CloudWatchAlarm
        | Kind::CloudWatchLogGroup
        | Kind::CloudTrail
        | Kind::IamUser
        | Kind::IamRole
        | Kind::IamPolicy
        | Kind::KmsKey
        | Kind::SecretsManagerSecret
        | Kind::AcmCertificate
        | Kind::WafWebAcl
        | Kind::AthenaWorkgroup => super::read_data::services(doc, logical, r, kind, &mut f),
        // No template property holds these kinds' settings: places and actors travel in the
        // metadata; gateways, Elastic IPs, peerings and groups have none; Direct Connect,
        // instance stores, Glacier vaults and the root user have no CloudFormation resource
        // (the export lists them as left out); a dashboard's widgets are written as text.
        Kind::Region
        | Kind::AvailabilityZone
        | Kind::Users
        | Kind::OnPremisesDataCenter
        | Kind::InternetGateway
        | Kind::ElasticIp
        | Kind::VpcPeering
        | Kind::DirectConnect
        | Kind::InstanceStore
        | Kind::GlacierVault
        | Kind::CloudWatchDashboard
        | Kind::IamGroup
        | Kind::RootUser => {}
    }
    f.finish()
}

/// The port an instance's (or a launch template's instances') application listens on:
/// the port of the target group load balancers send it to.
fn app_port(doc: &Doc, logical: &str, kind: Kind) -> Option<u64> {
    let group_port = |tg: &str| {
        doc.res
            .get(tg)
            .and_then(|g| number(g.prop("Port")).as_u64())
    };
    if kind == Kind::Ec2Instance {
        return doc.res.values().find_map(|g| {
            let targets = g.prop("Targets").as_array()?;
            targets
                .iter()
                .find(|t| refs(&t["Id"]).iter().any(|x| x == logical))
                .and_then(|t| number(&t["Port"]).as_u64())
        });
    }
    doc.res.values().find_map(|g| {
        let uses = g.kind == "AWS::AutoScaling::AutoScalingGroup"
            && refs(&g.prop("LaunchTemplate")["LaunchTemplateId"])
                .iter()
                .any(|x| x == logical);
        if !uses {
            return None;
        }
        refs(g.prop("TargetGroupARNs"))
            .first()
            .and_then(|tg| group_port(tg))
    })
}

/// Diagram ids of a list of references, as JSON strings.
pub(super) fn ids(doc: &Doc, v: &Value) -> Value {
    Value::Array(doc.ids_of(v).iter().map(|id| json!(id.as_str())).collect())
}

/// Whether route table `table` sends traffic to an internet gateway.
fn routes_to_internet(doc: &Doc, table: &str) -> bool {
    doc.referring("AWS::EC2::Route", "RouteTableId", table)
        .any(|(_, route)| {
            doc.logical(route.prop("GatewayId"))
                .and_then(|g| doc.res.get(&g))
                .is_some_and(|g| g.kind == "AWS::EC2::InternetGateway")
        })
}

/// A rule of a security group as the diagram writes it, or `None` for the marker rule
/// that says "no outbound traffic".
fn sg_rule(doc: &Doc, rule: &Value, peer_key: &str) -> Option<Value> {
    let protocol = match rule["IpProtocol"]
        .as_str()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("tcp" | "6") => "Tcp",
        Some("udp" | "17") => "Udp",
        Some("icmp" | "1") => "Icmp",
        _ => "All",
    };
    let source = if let Some(cidr) = rule["CidrIp"].as_str().or(rule["CidrIpv6"].as_str()) {
        if cidr == "127.0.0.1/32" && protocol == "All" {
            return None;
        }
        json!({ "Cidr": cidr })
    } else {
        json!({ "SecurityGroup": doc.id(&rule[peer_key])?.as_str() })
    };
    let (from, to) = match protocol {
        "Tcp" | "Udp" => (
            number(&rule["FromPort"]).as_u64().unwrap_or(0),
            number(&rule["ToPort"]).as_u64().unwrap_or(65535),
        ),
        _ => (0, 65535),
    };
    Some(
        json!({ "protocol": protocol, "from_port": from, "to_port": to, "source": source,
        "description": rule["Description"].as_str().unwrap_or("") }),
    )
}

fn security_group(doc: &Doc, logical: &str, r: &Res, f: &mut Fields) {
    let inline = |key: &str, peer: &str| -> Vec<Value> {
        r.prop(key)
            .as_array()
            .map(|rules| rules.iter().filter_map(|x| sg_rule(doc, x, peer)).collect())
            .unwrap_or_default()
    };
    let mut inbound = inline("SecurityGroupIngress", "SourceSecurityGroupId");
    let mut outbound = inline("SecurityGroupEgress", "DestinationSecurityGroupId");
    for (_, rule) in doc.referring("AWS::EC2::SecurityGroupIngress", "GroupId", logical) {
        inbound.extend(sg_rule(doc, &rule.props, "SourceSecurityGroupId"));
    }
    for (_, rule) in doc.referring("AWS::EC2::SecurityGroupEgress", "GroupId", logical) {
        outbound.extend(sg_rule(doc, &rule.props, "DestinationSecurityGroupId"));
    }
    f.set("description", text(r.prop("GroupDescription")))
        .set("inbound", inbound);
    // Without egress rules AWS allows everything out, which is the diagram's default.
    if !r.prop("SecurityGroupEgress").is_null() {
        f.set("outbound", outbound);
    }
}

/// An instance's or a launch template's settings.
fn instance(doc: &Doc, data: &Value, kind: Kind, f: &mut Fields) {
    let p = |k: &str| data.get(k).unwrap_or(&Value::Null);
    let interface = &p("NetworkInterfaces")[0];
    let groups = p("SecurityGroupIds");
    let groups = if groups.is_null() {
        if interface["GroupSet"].is_null() {
            &interface["Groups"]
        } else {
            &interface["GroupSet"]
        }
    } else {
        groups
    };
    f.set("instance_type", text(p("InstanceType")))
        .set("security_groups", ids(doc, groups))
        .set("public_ip", boolean(&interface["AssociatePublicIpAddress"]))
        .set("key_pair", text(p("KeyName")));
    if let Some(ami) = p("ImageId").as_str().filter(|a| a.starts_with("ami-")) {
        f.set("ami", ami);
    }
    if let Some(user_data) = p("UserData")["Fn::Base64"].as_str() {
        f.set("user_data", user_data);
    }
    let monitoring = if kind == Kind::LaunchTemplate {
        boolean(&p("Monitoring")["Enabled"])
    } else {
        boolean(p("Monitoring"))
    };
    if monitoring == json!(true) {
        f.set("monitoring", "Detailed");
    }
    let ebs = &p("BlockDeviceMappings")[0]["Ebs"];
    if ebs.is_object() {
        let volume_type = ebs["VolumeType"].as_str().unwrap_or("gp3");
        let mut chars = volume_type.chars();
        let capitalised: String = chars
            .next()
            .map(|c| c.to_ascii_uppercase())
            .into_iter()
            .chain(chars)
            .collect();
        f.set("root_volume", json!({ "volume_type": capitalised,
            "size_gb": number(&ebs["VolumeSize"]).as_u64().unwrap_or(8),
            "encrypted": boolean(&ebs["Encrypted"]).as_bool().unwrap_or(false),
            "delete_on_termination": boolean(&ebs["DeleteOnTermination"]).as_bool().unwrap_or(true) }));
    }
    let credits = p("CreditSpecification");
    match credits["CPUCredits"]
        .as_str()
        .or(credits["CpuCredits"].as_str())
    {
        Some("standard") => {
            f.set("cpu_credits", "Standard");
        }
        Some("unlimited") => {
            f.set("cpu_credits", "Unlimited");
        }
        _ => {}
    }
    if p("Tenancy") == "dedicated" {
        f.set("purchase_option", "Dedicated");
    }
    // Spot through a launch template of its own, or the template's own market option.
    let spot = p("InstanceMarketOptions")["MarketType"] == "spot"
        || refs(&p("LaunchTemplate")["LaunchTemplateId"])
            .iter()
            .any(|t| {
                doc.res.get(t).is_some_and(|lt| {
                    lt.prop("LaunchTemplateData")["InstanceMarketOptions"]["MarketType"] == "spot"
                })
            });
    if spot && kind == Kind::Ec2Instance {
        f.set("purchase_option", "Spot");
    }
}
