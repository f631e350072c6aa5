//! Networks: VPCs, subnets, gateways, route tables, firewalls and hybrid connections.

use serde_json::{Value, json};

use super::{Builder, plain_text};
use crate::model::config::network::{
    EndpointType, NaclRule, NatConnectivity, Protocol, RuleAction, RuleSource, SgRule, Tenancy,
};
use crate::model::{Config, Kind, LinkKind, Resource};

/// Adds `r` when it is a network resource; false for other kinds.
pub(super) fn add(b: &mut Builder, r: &Resource) -> bool {
    let id = r.id.as_str();
    match &r.config {
        Config::Vpc(c) if c.made_elsewhere => {
            b.external_vpc(r, &c.cidr);
            if c.flow_logs {
                flow_logs(b, r);
            }
        }
        Config::Vpc(c) => {
            let tenancy = match c.tenancy {
                Tenancy::Default => "default",
                Tenancy::Dedicated => "dedicated",
            };
            let props = json!({ "CidrBlock": c.cidr, "EnableDnsSupport": c.enable_dns_support,
                "EnableDnsHostnames": c.enable_dns_hostnames, "InstanceTenancy": tenancy,
                "Tags": b.tags(r) });
            b.add_main(r, "AWS::EC2::VPC", props);
            if c.flow_logs {
                flow_logs(b, r);
            }
        }
        Config::Subnet(c) => {
            let Some(vpc) = b.enclosing(id, Kind::Vpc) else {
                b.skip(r, "a subnet outside a VPC cannot be created");
                return true;
            };
            let mut props = json!({ "VpcId": b.r(vpc.id.as_str()), "CidrBlock": c.cidr,
                "MapPublicIpOnLaunch": c.map_public_ip_on_launch, "Tags": b.tags(r) });
            if let Some(Config::AvailabilityZone(az)) =
                b.enclosing(id, Kind::AvailabilityZone).map(|a| &a.config)
            {
                props["AvailabilityZone"] = b.zone(&az.zone, id);
            }
            b.add_main(r, "AWS::EC2::Subnet", props);
            if let Some(table) = &c.route_table {
                let name = b.derived(id, "RouteTableAssociation");
                let props = json!({ "SubnetId": b.r(id), "RouteTableId": b.r(table.as_str()) });
                b.add(&name, "AWS::EC2::SubnetRouteTableAssociation", props);
            }
            if let Some(acl) = &c.network_acl {
                let name = b.derived(id, "NetworkAclAssociation");
                let props = json!({ "SubnetId": b.r(id), "NetworkAclId": b.r(acl.as_str()) });
                b.add(&name, "AWS::EC2::SubnetNetworkAclAssociation", props);
            }
        }
        Config::InternetGateway(_) => {
            b.add_main(r, "AWS::EC2::InternetGateway", json!({ "Tags": b.tags(r) }));
            if let Some(vpc) = b.enclosing(id, Kind::Vpc) {
                let name = b.derived(id, "Attachment");
                let props = json!({ "VpcId": b.r(vpc.id.as_str()), "InternetGatewayId": b.r(id) });
                b.add(&name, "AWS::EC2::VPCGatewayAttachment", props);
            }
        }
        Config::NatGateway(c) => {
            let Some(subnet) = b.enclosing(id, Kind::Subnet) else {
                b.skip(r, "a NAT gateway must sit in a subnet");
                return true;
            };
            let mut props = json!({ "SubnetId": b.r(subnet.id.as_str()), "Tags": b.tags(r) });
            match c.connectivity {
                NatConnectivity::Public => {
                    let eip = b.derived(id, "Eip");
                    b.add(&eip, "AWS::EC2::EIP", json!({ "Domain": "vpc" }));
                    props["AllocationId"] = json!({ "Fn::GetAtt": [eip, "AllocationId"] });
                    props["ConnectivityType"] = json!("public");
                }
                NatConnectivity::Private => props["ConnectivityType"] = json!("private"),
            }
            b.add_main(r, "AWS::EC2::NatGateway", props);
        }
        Config::RouteTable(c) => {
            let Some(vpc) = b.enclosing(id, Kind::Vpc) else {
                b.skip(r, "a route table belongs to a VPC");
                return true;
            };
            let props = json!({ "VpcId": b.r(vpc.id.as_str()), "Tags": b.tags(r) });
            b.add_main(r, "AWS::EC2::RouteTable", props);
            for route in &c.routes {
                route_entry(b, r, &route.destination, route.target.as_str());
            }
        }
        Config::NetworkAcl(c) => {
            let Some(vpc) = b.enclosing(id, Kind::Vpc) else {
                b.skip(r, "a network ACL belongs to a VPC");
                return true;
            };
            let props = json!({ "VpcId": b.r(vpc.id.as_str()), "Tags": b.tags(r) });
            b.add_main(r, "AWS::EC2::NetworkAcl", props);
            for (rule, egress) in c
                .inbound
                .iter()
                .map(|x| (x, false))
                .chain(c.outbound.iter().map(|x| (x, true)))
            {
                acl_entry(b, r, rule, egress);
            }
        }
        Config::SecurityGroup(c) => security_group(b, r, c),
        Config::ElasticIp(_) => {
            b.add_main(r, "AWS::EC2::EIP", json!({ "Domain": "vpc", "Tags": b.tags(r) }));
            for to in b.links_from(id, LinkKind::Attachment, &[Kind::Ec2Instance, Kind::NetworkInterface]) {
                let key = if to.kind() == Kind::Ec2Instance { "InstanceId" } else { "NetworkInterfaceId" };
                let name = b.derived(id, "Association");
                let props = json!({ "AllocationId": b.att(id, "AllocationId"), key: b.r(to.id.as_str()) });
                b.add(&name, "AWS::EC2::EIPAssociation", props);
            }
        }
        Config::NetworkInterface(c) => {
            let Some(subnet) = b.enclosing(id, Kind::Subnet) else {
                b.skip(r, "a network interface must sit in a subnet");
                return true;
            };
            let mut props = json!({ "SubnetId": b.r(subnet.id.as_str()),
                "GroupSet": b.refs(&c.security_groups), "Tags": b.tags(r) });
            if c.secondary_private_ips > 0 {
                props["SecondaryPrivateIpAddressCount"] = json!(c.secondary_private_ips);
            }
            b.add_main(r, "AWS::EC2::NetworkInterface", props);
        }
        Config::VpcEndpoint(c) => vpc_endpoint(b, r, c),
        Config::VpcPeering(_) => {
            let vpcs = b.links_from(id, LinkKind::Peering, &[Kind::Vpc]);
            let [a, peer, ..] = vpcs.as_slice() else {
                b.skip(r, "a peering connection needs peering links to two VPCs");
                return true;
            };
            let mut props = json!({ "VpcId": b.r(a.id.as_str()), "PeerVpcId": b.r(peer.id.as_str()),
                "Tags": b.tags(r) });
            let peer_region = b.d.region_code(peer.id.as_str());
            if peer_region != b.d.region_code(a.id.as_str()) {
                props["PeerRegion"] = json!(peer_region);
            }
            b.add_main(r, "AWS::EC2::VPCPeeringConnection", props);
        }
        Config::VirtualPrivateGateway(c) => {
            let props = json!({ "Type": "ipsec.1", "AmazonSideAsn": c.amazon_side_asn,
                "Tags": b.tags(r) });
            b.add_main(r, "AWS::EC2::VPNGateway", props);
            if let Some(vpc) = b.enclosing(id, Kind::Vpc) {
                let name = b.derived(id, "Attachment");
                let props = json!({ "VpcId": b.r(vpc.id.as_str()), "VpnGatewayId": b.r(id) });
                b.add(&name, "AWS::EC2::VPCGatewayAttachment", props);
            }
        }
        Config::TransitGateway(c) => {
            let props = json!({ "AmazonSideAsn": c.amazon_side_asn, "Tags": b.tags(r) });
            b.add_main(r, "AWS::EC2::TransitGateway", props);
            // Each attached VPC joins through one subnet per Availability Zone.
            for vpc in b.links_from(id, LinkKind::Attachment, &[Kind::Vpc]) {
                let mut zones = Vec::new();
                let mut subnets = Vec::new();
                for s in b.placement_subnets_of_vpc(vpc) {
                    let zone = b.enclosing(s.as_str(), Kind::AvailabilityZone).map(|z| z.id.clone());
                    if !zones.contains(&zone) {
                        zones.push(zone);
                        subnets.push(s);
                    }
                }
                let name = b.derived(id, &format!("{}Attachment", b.id(vpc.id.as_str())));
                let props = json!({ "TransitGatewayId": b.r(id), "VpcId": b.r(vpc.id.as_str()),
                    "SubnetIds": b.refs(&subnets), "Tags": b.tags(r) });
                b.add(&name, "AWS::EC2::TransitGatewayAttachment", props);
            }
        }
        Config::CustomerGateway(c) => {
            let props = json!({ "Type": "ipsec.1", "BgpAsn": c.bgp_asn,
                "IpAddress": c.ip_address, "Tags": b.tags(r) });
            b.add_main(r, "AWS::EC2::CustomerGateway", props);
        }
        Config::SiteToSiteVpn(c) => {
            let customer = hybrid_end(b, id, &[Kind::CustomerGateway]);
            let gateway = hybrid_end(b, id, &[Kind::VirtualPrivateGateway, Kind::TransitGateway]);
            let (Some(customer), Some(gateway)) = (customer, gateway) else {
                b.skip(
                    r,
                    "a VPN connection needs links to a customer gateway and a virtual private or transit gateway",
                );
                return true;
            };
            let mut props = json!({ "Type": "ipsec.1", "CustomerGatewayId": b.r(customer.id.as_str()),
                "StaticRoutesOnly": c.static_routing, "Tags": b.tags(r) });
            let key = if gateway.kind() == Kind::TransitGateway {
                "TransitGatewayId"
            } else {
                "VpnGatewayId"
            };
            props[key] = b.r(gateway.id.as_str());
            b.add_main(r, "AWS::EC2::VPNConnection", props);
        }
        Config::DirectConnect(_) => b.skip(
            r,
            "a Direct Connect connection is ordered from AWS and a partner, not created by CloudFormation",
        ),
        _ => return false,
    }
    true
}

/// The first resource of `kinds` joined to `id` by a hybrid connection, either way.
fn hybrid_end<'a>(b: &Builder<'a>, id: &str, kinds: &[Kind]) -> Option<&'a Resource> {
    let mut ends = b.links_from(id, LinkKind::HybridConnection, kinds);
    ends.extend(b.links_to(id, LinkKind::HybridConnection, kinds));
    ends.into_iter().next()
}

/// VPC Flow Logs to a CloudWatch Logs group, through a role the service may assume.
fn flow_logs(b: &mut Builder, vpc: &Resource) {
    let id = vpc.id.as_str();
    let group = b.derived(id, "FlowLogGroup");
    b.add(
        &group,
        "AWS::Logs::LogGroup",
        json!({ "RetentionInDays": 90 }),
    )
    .retain_on_delete();
    let role = b.derived(id, "FlowLogRole");
    let policy = json!({ "PolicyName": "deliver-flow-logs", "PolicyDocument": {
        "Version": "2012-10-17",
        "Statement": [{ "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogGroups",
                "logs:DescribeLogStreams"],
            "Resource": { "Fn::GetAtt": [group, "Arn"] } }] } });
    let props = json!({ "AssumeRolePolicyDocument": super::assume_role("vpc-flow-logs.amazonaws.com"),
        "Policies": [policy] });
    b.add(&role, "AWS::IAM::Role", props);
    let name = b.derived(id, "FlowLog");
    let props = json!({ "ResourceId": b.r(id), "ResourceType": "VPC", "TrafficType": "ALL",
        "LogDestinationType": "cloud-watch-logs", "LogGroupName": { "Ref": group },
        "DeliverLogsPermissionArn": { "Fn::GetAtt": [role, "Arn"] } });
    b.add(&name, "AWS::EC2::FlowLog", props);
}

/// One route of a table, naming its target by the target's kind.
fn route_entry(b: &mut Builder, table: &Resource, destination: &str, target: &str) {
    let Some(to) = b.d.resource(target) else {
        return;
    };
    let key = match to.kind() {
        Kind::InternetGateway | Kind::VirtualPrivateGateway => "GatewayId",
        Kind::NatGateway => "NatGatewayId",
        Kind::VpcPeering => "VpcPeeringConnectionId",
        Kind::TransitGateway => "TransitGatewayId",
        Kind::NetworkInterface => "NetworkInterfaceId",
        Kind::Ec2Instance => "InstanceId",
        Kind::VpcEndpoint => "VpcEndpointId",
        _ => return,
    };
    let name = b.derived(table.id.as_str(), "Route");
    let mut props = json!({ "RouteTableId": b.r(table.id.as_str()), key: b.r(target) });
    if destination.contains(':') {
        props["DestinationIpv6CidrBlock"] = json!(destination);
    } else {
        props["DestinationCidrBlock"] = json!(destination);
    }
    let attachment = matches!(
        to.kind(),
        Kind::InternetGateway | Kind::VirtualPrivateGateway
    )
    .then(|| b.id(target) + "Attachment");
    let entry = b.add(&name, "AWS::EC2::Route", props);
    // A route through a gateway fails until the gateway is attached to the VPC.
    if let Some(attachment) = attachment {
        entry.depends_on(attachment);
    }
}

/// The protocol number CloudFormation's EC2 rules take.
fn protocol_number(protocol: Protocol) -> i32 {
    match protocol {
        Protocol::Tcp => 6,
        Protocol::Udp => 17,
        Protocol::Icmp => 1,
        Protocol::All => -1,
    }
}

fn acl_entry(b: &mut Builder, acl: &Resource, rule: &NaclRule, egress: bool) {
    let name = b.derived(acl.id.as_str(), if egress { "Egress" } else { "Ingress" });
    let action = match rule.action {
        RuleAction::Allow => "allow",
        RuleAction::Deny => "deny",
    };
    let mut props = json!({ "NetworkAclId": b.r(acl.id.as_str()), "RuleNumber": rule.rule_number,
        "Protocol": protocol_number(rule.protocol), "RuleAction": action, "Egress": egress,
        "CidrBlock": rule.cidr });
    match rule.protocol {
        Protocol::Tcp | Protocol::Udp => {
            props["PortRange"] = json!({ "From": rule.from_port, "To": rule.to_port });
        }
        Protocol::Icmp => props["Icmp"] = json!({ "Code": -1, "Type": -1 }),
        Protocol::All => {}
    }
    b.add(&name, "AWS::EC2::NetworkAclEntry", props);
}

/// A rule's protocol and ports as CloudFormation writes them.
fn sg_ports(rule: &SgRule) -> Value {
    match rule.protocol {
        Protocol::All => json!({ "IpProtocol": "-1" }),
        Protocol::Icmp => json!({ "IpProtocol": "icmp", "FromPort": -1, "ToPort": -1 }),
        Protocol::Tcp | Protocol::Udp => json!({
            "IpProtocol": if rule.protocol == Protocol::Tcp { "tcp" } else { "udp" },
            "FromPort": rule.from_port, "ToPort": rule.to_port }),
    }
}

/// A security group, its address rules inline and its group-to-group rules as resources
/// of their own, so that groups admitting each other do not make a cycle.
fn security_group(b: &mut Builder, r: &Resource, c: &crate::model::config::network::SecurityGroup) {
    let id = r.id.as_str();
    let description = match plain_text(&c.description) {
        d if d.is_empty() => plain_text(r.label()),
        d => d,
    };
    let description = if description.is_empty() {
        "Security group".to_string()
    } else {
        description
    };
    let inline = |rules: &[SgRule]| -> Vec<Value> {
        rules
            .iter()
            .filter_map(|rule| match &rule.source {
                RuleSource::Cidr(cidr) => {
                    let mut v = sg_ports(rule);
                    let field = if cidr.contains(':') { "Ipv6" } else { "Ip" };
                    v[format!("Cidr{field}")] = json!(cidr);
                    if !rule.description.is_empty() {
                        v["Description"] = json!(plain_text(&rule.description));
                    }
                    Some(v)
                }
                RuleSource::SecurityGroup(_) => None,
            })
            .collect()
    };
    let mut props = json!({ "GroupDescription": description, "Tags": b.tags(r) });
    if let Some(vpc) = b.enclosing(id, Kind::Vpc) {
        props["VpcId"] = b.r(vpc.id.as_str());
    }
    let ingress = inline(&c.inbound);
    if !ingress.is_empty() {
        props["SecurityGroupIngress"] = json!(ingress);
    }
    let egress = inline(&c.outbound);
    // Without an address rule AWS would add its allow-all rule; a rule to the loopback
    // address says "nothing" (group-to-group rules follow as resources of their own).
    props["SecurityGroupEgress"] = if egress.is_empty() {
        json!([{ "IpProtocol": "-1", "CidrIp": "127.0.0.1/32",
            "Description": "No outbound traffic but the rules below" }])
    } else {
        json!(egress)
    };
    b.add_main(r, "AWS::EC2::SecurityGroup", props);
    for (rule, outbound) in c
        .inbound
        .iter()
        .map(|x| (x, false))
        .chain(c.outbound.iter().map(|x| (x, true)))
    {
        let RuleSource::SecurityGroup(other) = &rule.source else {
            continue;
        };
        let mut v = sg_ports(rule);
        v["GroupId"] = b.att(id, "GroupId");
        let (kind, suffix, key) = if outbound {
            (
                "AWS::EC2::SecurityGroupEgress",
                "Egress",
                "DestinationSecurityGroupId",
            )
        } else {
            (
                "AWS::EC2::SecurityGroupIngress",
                "Ingress",
                "SourceSecurityGroupId",
            )
        };
        v[key] = b.att(other.as_str(), "GroupId");
        if !rule.description.is_empty() {
            v["Description"] = json!(plain_text(&rule.description));
        }
        let name = b.derived(id, &format!("{suffix}From{}", b.id(other.as_str())));
        b.add(&name, kind, v);
    }
}

fn vpc_endpoint(b: &mut Builder, r: &Resource, c: &crate::model::config::network::VpcEndpoint) {
    let id = r.id.as_str();
    let Some(vpc) = b.enclosing(id, Kind::Vpc) else {
        b.skip(r, "a VPC endpoint belongs to a VPC");
        return;
    };
    let service = if c.service.starts_with("com.amazonaws.") {
        json!(c.service)
    } else {
        json!({ "Fn::Sub": format!("com.amazonaws.${{AWS::Region}}.{}", c.service) })
    };
    let mut props = json!({ "VpcId": b.r(vpc.id.as_str()), "ServiceName": service });
    match c.endpoint_type {
        EndpointType::Gateway => {
            props["VpcEndpointType"] = json!("Gateway");
            // A gateway endpoint works through the routes of the VPC's tables.
            let tables: Vec<Value> =
                b.d.subtree(&vpc.id)
                    .iter()
                    .filter_map(|t| b.d.resource(t.as_str()))
                    .filter(|t| t.kind() == Kind::RouteTable)
                    .map(|t| b.r(t.id.as_str()))
                    .collect();
            if !tables.is_empty() {
                props["RouteTableIds"] = json!(tables);
            }
        }
        EndpointType::Interface => {
            props["VpcEndpointType"] = json!("Interface");
            props["PrivateDnsEnabled"] = json!(true);
            props["SubnetIds"] = b.refs(&c.subnets);
            props["SecurityGroupIds"] = b.refs(&c.security_groups);
        }
    }
    b.add_main(r, "AWS::EC2::VPCEndpoint", props);
}
