//! Networks in Terraform.

use serde_json::{Value, json};

use super::{Tf, snake};
use crate::model::config::network::{
    EndpointType, NaclRule, NatConnectivity, Protocol, RuleAction, RuleSource, SgRule, Tenancy,
};
use crate::model::{Config, Kind, LinkKind, Resource};

pub(super) fn add(t: &mut Tf, r: &Resource) -> bool {
    let id = r.id.as_str();
    let vpc = t.enclosing(id, Kind::Vpc).map(|v| t.r(v.id.as_str(), "id"));
    match &r.config {
        Config::Vpc(c) if c.made_elsewhere => {
            let description = format!("The id of the VPC {} (made elsewhere)", r.label());
            let given = t.variable(&format!("{}_id", snake(id)), &description, None);
            t.add_main(r, json!({ "id": given }));
            if c.flow_logs {
                flow_logs(t, id);
            }
        }
        Config::Vpc(c) => {
            t.add_main(r, json!({ "cidr_block": c.cidr, "enable_dns_support": c.enable_dns_support,
                "enable_dns_hostnames": c.enable_dns_hostnames,
                "instance_tenancy": if c.tenancy == Tenancy::Dedicated { "dedicated" } else { "default" },
                "tags": t.tags(r) }));
            if c.flow_logs {
                flow_logs(t, id);
            }
        }
        Config::Subnet(c) => {
            let mut body = json!({ "vpc_id": vpc, "cidr_block": c.cidr,
                "map_public_ip_on_launch": c.map_public_ip_on_launch, "tags": t.tags(r) });
            if let Some(Config::AvailabilityZone(az)) =
                t.enclosing(id, Kind::AvailabilityZone).map(|a| &a.config)
            {
                body["availability_zone"] = json!(az.zone);
            }
            t.add_main(r, body);
            if let Some(table) = &c.route_table {
                t.add(
                    "aws_route_table_association",
                    id,
                    "routes",
                    json!({ "subnet_id": t.r(id, "id"),
                    "route_table_id": t.r(table.as_str(), "id") }),
                );
            }
            if let Some(acl) = &c.network_acl {
                t.add(
                    "aws_network_acl_association",
                    id,
                    "acl",
                    json!({ "subnet_id": t.r(id, "id"),
                    "network_acl_id": t.r(acl.as_str(), "id") }),
                );
            }
        }
        Config::InternetGateway(_) => t.add_main(r, json!({ "vpc_id": vpc, "tags": t.tags(r) })),
        Config::NatGateway(c) => {
            let subnet = t
                .enclosing(id, Kind::Subnet)
                .map(|s| t.r(s.id.as_str(), "id"));
            let mut body = json!({ "subnet_id": subnet, "tags": t.tags(r) });
            if c.connectivity == NatConnectivity::Public {
                let eip = t.add("aws_eip", id, "address", json!({ "domain": "vpc" }));
                body["allocation_id"] = json!({ "$ref": format!("{eip}.id") });
            } else {
                body["connectivity_type"] = json!("private");
            }
            t.add_main(r, body);
        }
        Config::RouteTable(c) => {
            t.add_main(r, json!({ "vpc_id": vpc, "tags": t.tags(r) }));
            for route in &c.routes {
                let Some(target) = t.d.resource(route.target.as_str()) else {
                    continue;
                };
                let (key, attribute) = match target.kind() {
                    Kind::InternetGateway | Kind::VirtualPrivateGateway => ("gateway_id", "id"),
                    Kind::NatGateway => ("nat_gateway_id", "id"),
                    Kind::VpcPeering => ("vpc_peering_connection_id", "id"),
                    Kind::TransitGateway => ("transit_gateway_id", "id"),
                    Kind::NetworkInterface => ("network_interface_id", "id"),
                    Kind::Ec2Instance => ("network_interface_id", "primary_network_interface_id"),
                    Kind::VpcEndpoint => ("vpc_endpoint_id", "id"),
                    _ => continue,
                };
                let destination = if route.destination.contains(':') {
                    "destination_ipv6_cidr_block"
                } else {
                    "destination_cidr_block"
                };
                t.add(
                    "aws_route",
                    id,
                    "route",
                    json!({ "route_table_id": t.r(id, "id"),
                    destination: route.destination, key: t.r(target.id.as_str(), attribute) }),
                );
            }
        }
        Config::NetworkAcl(c) => {
            t.add_main(r, json!({ "vpc_id": vpc, "tags": t.tags(r) }));
            for (rule, egress) in c
                .inbound
                .iter()
                .map(|x| (x, false))
                .chain(c.outbound.iter().map(|x| (x, true)))
            {
                acl_rule(t, id, rule, egress);
            }
        }
        Config::SecurityGroup(c) => {
            let description = if c.description.is_empty() {
                r.label().to_string()
            } else {
                c.description.clone()
            };
            t.add_main(r, json!({ "name_prefix": format!("{id}-"), "description": super::super::cfn::plain_text(&description),
                "vpc_id": vpc, "tags": t.tags(r) }));
            for (rule, egress) in c
                .inbound
                .iter()
                .map(|x| (x, false))
                .chain(c.outbound.iter().map(|x| (x, true)))
            {
                sg_rule(t, id, rule, egress);
            }
        }
        Config::ElasticIp(_) => {
            t.add_main(r, json!({ "domain": "vpc", "tags": t.tags(r) }));
            for to in t.links_from(
                id,
                LinkKind::Attachment,
                &[Kind::Ec2Instance, Kind::NetworkInterface],
            ) {
                let key = if to.kind() == Kind::Ec2Instance {
                    "instance_id"
                } else {
                    "network_interface_id"
                };
                t.add(
                    "aws_eip_association",
                    id,
                    "association",
                    json!({ "allocation_id": t.r(id, "id"),
                    key: t.r(to.id.as_str(), "id") }),
                );
            }
        }
        Config::NetworkInterface(c) => {
            let subnet = t
                .enclosing(id, Kind::Subnet)
                .map(|s| t.r(s.id.as_str(), "id"));
            t.add_main(
                r,
                json!({ "subnet_id": subnet, "security_groups": t.ids(&c.security_groups),
                "private_ips_count": c.secondary_private_ips, "tags": t.tags(r) }),
            );
        }
        Config::VpcEndpoint(c) => {
            let region = t.d.region_code(id).to_string();
            let service = if c.service.starts_with("com.amazonaws.") {
                c.service.clone()
            } else {
                format!("com.amazonaws.{region}.{}", c.service)
            };
            let mut body = json!({ "vpc_id": vpc, "service_name": service, "tags": t.tags(r) });
            match c.endpoint_type {
                EndpointType::Gateway => {
                    body["vpc_endpoint_type"] = json!("Gateway");
                    let tables: Vec<Value> = t
                        .enclosing(id, Kind::Vpc)
                        .map(|v| t.d.subtree(&v.id))
                        .unwrap_or_default()
                        .iter()
                        .filter_map(|x| t.d.resource(x.as_str()))
                        .filter(|x| x.kind() == Kind::RouteTable)
                        .map(|x| t.r(x.id.as_str(), "id"))
                        .collect();
                    body["route_table_ids"] = json!(tables);
                }
                EndpointType::Interface => {
                    body["vpc_endpoint_type"] = json!("Interface");
                    body["private_dns_enabled"] = json!(true);
                    body["subnet_ids"] = t.ids(&c.subnets);
                    body["security_group_ids"] = t.ids(&c.security_groups);
                }
            }
            t.add_main(r, body);
        }
        Config::VpcPeering(_) => {
            let vpcs = t.links_from(id, LinkKind::Peering, &[Kind::Vpc]);
            let [a, peer, ..] = vpcs.as_slice() else {
                t.skip(r, "a peering connection needs peering links to two VPCs");
                return true;
            };
            let peer_region = t.d.region_code(peer.id.as_str()).to_string();
            let mut body = json!({ "vpc_id": t.r(a.id.as_str(), "id"), "peer_vpc_id": t.r(peer.id.as_str(), "id"), "tags": t.tags(r) });
            if peer_region == t.d.region_code(a.id.as_str()) {
                body["auto_accept"] = json!(true);
            } else {
                body["peer_region"] = json!(peer_region);
            }
            t.add_main(r, body);
        }
        Config::VirtualPrivateGateway(c) => {
            t.add_main(r, json!({ "vpc_id": vpc, "amazon_side_asn": c.amazon_side_asn.to_string(), "tags": t.tags(r) }));
        }
        Config::TransitGateway(c) => {
            t.add_main(
                r,
                json!({ "amazon_side_asn": c.amazon_side_asn, "tags": t.tags(r) }),
            );
            for v in t.links_from(id, LinkKind::Attachment, &[Kind::Vpc]) {
                let subnets = first_subnet_per_zone(t, v);
                t.add("aws_ec2_transit_gateway_vpc_attachment", id, &super::snake(v.id.as_str()), json!({
                    "transit_gateway_id": t.r(id, "id"), "vpc_id": t.r(v.id.as_str(), "id"), "subnet_ids": t.ids(&subnets) }));
            }
        }
        Config::CustomerGateway(c) => {
            t.add_main(r, json!({ "bgp_asn": c.bgp_asn, "ip_address": c.ip_address, "type": "ipsec.1", "tags": t.tags(r) }));
        }
        Config::SiteToSiteVpn(c) => {
            let end = |t: &Tf, kinds: &[Kind]| {
                let mut ends = t.links_from(id, LinkKind::HybridConnection, kinds);
                ends.extend(t.links_to(id, LinkKind::HybridConnection, kinds));
                ends.first().map(|e| (e.id.clone(), e.kind()))
            };
            let customer = end(t, &[Kind::CustomerGateway]);
            let gateway = end(t, &[Kind::VirtualPrivateGateway, Kind::TransitGateway]);
            let (Some((customer, _)), Some((gateway, kind))) = (customer, gateway) else {
                t.skip(r, "a VPN connection needs links to a customer gateway and a virtual private or transit gateway");
                return true;
            };
            let key = if kind == Kind::TransitGateway {
                "transit_gateway_id"
            } else {
                "vpn_gateway_id"
            };
            t.add_main(r, json!({ "customer_gateway_id": t.r(customer.as_str(), "id"), key: t.r(gateway.as_str(), "id"),
                "type": "ipsec.1", "static_routes_only": c.static_routing, "tags": t.tags(r) }));
        }
        Config::DirectConnect(_) => t.skip(
            r,
            "a Direct Connect connection is ordered from AWS and a partner",
        ),
        _ => return false,
    }
    true
}

/// A trust policy for a service.
pub(super) fn assume(service: &str) -> Value {
    let principal = if service.ends_with(".amazonaws.com") {
        json!({ "Service": service })
    } else if service.starts_with("arn:") {
        json!({ "AWS": service })
    } else {
        json!({ "Service": format!("{service}.amazonaws.com") })
    };
    json!({ "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": "sts:AssumeRole", "Principal": principal }] })
}

fn first_subnet_per_zone(t: &Tf, vpc: &Resource) -> Vec<crate::model::ResourceId> {
    let mut zones = Vec::new();
    let mut out = Vec::new();
    for s in
        t.d.subtree(&vpc.id)
            .iter()
            .filter_map(|x| t.d.resource(x.as_str()))
            .filter(|x| x.kind() == Kind::Subnet)
    {
        let zone = t
            .enclosing(s.id.as_str(), Kind::AvailabilityZone)
            .map(|z| z.id.clone());
        if !zones.contains(&zone) {
            zones.push(zone);
            out.push(s.id.clone());
        }
    }
    out
}

fn protocol(p: Protocol) -> &'static str {
    match p {
        Protocol::Tcp => "tcp",
        Protocol::Udp => "udp",
        Protocol::Icmp => "icmp",
        Protocol::All => "-1",
    }
}

fn acl_rule(t: &mut Tf, acl: &str, rule: &NaclRule, egress: bool) {
    let mut body = json!({ "network_acl_id": t.r(acl, "id"), "rule_number": rule.rule_number, "egress": egress,
        "protocol": protocol(rule.protocol), "rule_action": if rule.action == RuleAction::Allow { "allow" } else { "deny" },
        "cidr_block": rule.cidr });
    match rule.protocol {
        Protocol::Tcp | Protocol::Udp => {
            body["from_port"] = json!(rule.from_port);
            body["to_port"] = json!(rule.to_port);
        }
        Protocol::Icmp => {
            body["icmp_type"] = json!(-1);
            body["icmp_code"] = json!(-1);
        }
        Protocol::All => {}
    }
    t.add(
        "aws_network_acl_rule",
        acl,
        if egress { "egress" } else { "ingress" },
        body,
    );
}

/// A rule as a resource of its own (the provider's recommended way): Terraform removes
/// AWS's default allow-all outbound rule, so every outbound rule is written.
fn sg_rule(t: &mut Tf, group: &str, rule: &SgRule, egress: bool) {
    let mut body =
        json!({ "security_group_id": t.r(group, "id"), "ip_protocol": protocol(rule.protocol) });
    if matches!(rule.protocol, Protocol::Tcp | Protocol::Udp) {
        body["from_port"] = json!(rule.from_port);
        body["to_port"] = json!(rule.to_port);
    } else if rule.protocol == Protocol::Icmp {
        body["from_port"] = json!(-1);
        body["to_port"] = json!(-1);
    }
    match &rule.source {
        RuleSource::Cidr(cidr) if cidr.contains(':') => body["cidr_ipv6"] = json!(cidr),
        RuleSource::Cidr(cidr) => body["cidr_ipv4"] = json!(cidr),
        RuleSource::SecurityGroup(other) => {
            body["referenced_security_group_id"] = t.r(other.as_str(), "id")
        }
    }
    if !rule.description.is_empty() {
        body["description"] = json!(rule.description);
    }
    let (kind, suffix) = if egress {
        ("aws_vpc_security_group_egress_rule", "egress")
    } else {
        ("aws_vpc_security_group_ingress_rule", "ingress")
    };
    t.add(kind, group, suffix, body);
}

/// VPC Flow Logs to a CloudWatch log group, with the role that writes them.
fn flow_logs(t: &mut Tf, id: &str) {
    let group = t.add(
        "aws_cloudwatch_log_group",
        id,
        "flow_logs",
        json!({ "name_prefix": format!("/vpc/{id}/"), "retention_in_days": 90 }),
    );
    let role = t.add(
        "aws_iam_role",
        id,
        "flow_logs",
        json!({
        "assume_role_policy": { "$call": ["jsonencode", assume("vpc-flow-logs.amazonaws.com")] } }),
    );
    t.add(
        "aws_iam_role_policy",
        id,
        "flow_logs",
        json!({
        "role": { "$ref": format!("{role}.id") },
        "policy": { "$call": ["jsonencode", { "Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Resource": { "$ref": format!("{group}.arn") },
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogGroups",
                "logs:DescribeLogStreams"] }] }] } }),
    );
    t.add("aws_flow_log", id, "flow_logs", json!({ "vpc_id": t.r(id, "id"), "traffic_type": "ALL",
        "log_destination_type": "cloud-watch-logs", "log_destination": { "$ref": format!("{group}.arn") },
        "iam_role_arn": { "$ref": format!("{role}.arn") } }));
}
