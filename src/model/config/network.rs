//! Configuration of networking resources: regions, VPCs, subnets, gateways, firewalls and
//! hybrid connections.

use serde::{Deserialize, Serialize};

use crate::model::ResourceId;
use crate::model::refs::References;
use crate::model::shape::{Described, Field, Shape};

config! {
    /// An AWS Region: the container of a VPC and of regional services.
    pub struct Region {
        /// The Region code, such as `us-east-1`; prices and AZ names follow it.
        pub code: String = "us-east-1".into(),
        /// Data sent from the Region to the internet per month in GB, for the cost estimate
        /// (an assumption; CloudFront bills its own edge traffic).
        pub internet_egress_gb_per_month: f64 = 100.0,
        /// Data sent between its Availability Zones per month in GB; AWS bills it out of one
        /// AZ and into the other (an assumption).
        pub inter_az_gb_per_month: f64 = 10.0,
        /// Data sent to other Regions per month in GB (an assumption).
        pub inter_region_gb_per_month: f64 = 0.0,
    }
}

choice! {
    /// Whether instances in a VPC share hardware with other accounts.
    pub enum Tenancy {
        /// Shared hardware (AWS default).
        Default,
        /// Single-tenant hardware for every instance.
        Dedicated,
    }
    default Default
}

config! {
    /// A virtual private cloud: an isolated network with its own address range.
    pub struct Vpc {
        /// IPv4 range in CIDR notation; a /16 with /24 subnets is the usual start (seeds).
        pub cidr: String = "10.0.0.0/16".into(),
        /// True for the account's default VPC, which is convenient but not secure by design.
        pub is_default: bool = false,
        /// Whether the Amazon DNS server answers in the VPC (AWS default: on).
        pub enable_dns_support: bool = true,
        /// Whether instances get public DNS names (on for the console's VPC wizard).
        pub enable_dns_hostnames: bool = true,
        /// Whether VPC Flow Logs capture IP traffic metadata.
        pub flow_logs: bool = false,
        /// Instance tenancy.
        pub tenancy: Tenancy = Tenancy::Default,
        /// Made outside this design (by another stack or a network team): drawn for what
        /// sits in it, its exports take its id as a parameter instead of creating it.
        pub made_elsewhere: bool = false,
    }
}

config! {
    /// An Availability Zone of the Region, drawn inside a VPC.
    pub struct AvailabilityZone {
        /// The zone name, such as `us-east-1a`.
        pub zone: String = "us-east-1a".into(),
    }
}

choice! {
    /// The intended role of a subnet; the validator checks routes match it.
    pub enum SubnetTier {
        /// Reachable from the internet through an internet gateway route.
        Public,
        /// Not reachable from the internet; egress, if any, goes through a NAT gateway.
        Private,
    }
    default Private
}

config! {
    /// A subnet: a slice of the VPC's range that lives in one Availability Zone.
    pub struct Subnet {
        /// IPv4 range in CIDR notation, inside the VPC's range.
        pub cidr: String = "10.0.1.0/24".into(),
        /// Public or private.
        pub tier: SubnetTier = SubnetTier::Private,
        /// The associated route table; none means the VPC's main route table (local only).
        pub route_table: Option<ResourceId> = None,
        /// The associated network ACL; none means the default ACL, which allows everything.
        pub network_acl: Option<ResourceId> = None,
        /// Whether instances launched here get a public IPv4 address (AWS default: off).
        pub map_public_ip_on_launch: bool = false,
    }
}

config! {
    /// An internet gateway, attached to the VPC that holds it.
    pub struct InternetGateway {}
}

choice! {
    /// Whether a NAT gateway reaches the internet or only other networks.
    pub enum NatConnectivity {
        /// Egress to the internet through the VPC's internet gateway (default).
        Public,
        /// Egress to other VPCs or on-premises networks only.
        Private,
    }
    default Public
}

config! {
    /// A managed NAT gateway in one Availability Zone.
    pub struct NatGateway {
        /// Public or private connectivity.
        pub connectivity: NatConnectivity = NatConnectivity::Public,
        /// Data processed per month in GB, for the cost estimate (an assumption).
        pub processed_gb_per_month: f64 = 100.0,
    }
}

/// One route of a route table.
///
/// The `local` route for the VPC's own range exists implicitly, as in AWS.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Route {
    /// Destination range in CIDR notation, such as `0.0.0.0/0`.
    pub destination: String,
    /// The gateway, NAT gateway, peering, endpoint or transit gateway traffic goes to.
    pub target: ResourceId,
}

impl References for Route {
    fn for_each_ref(&self, f: &mut dyn FnMut(&ResourceId)) {
        f(&self.target);
    }
    fn rename_refs(&mut self, from: &ResourceId, to: &ResourceId) {
        self.target.rename_refs(from, to);
    }
    fn drop_refs(&mut self, gone: &ResourceId) -> bool {
        // A route without its target is a blackhole: drop it with the target.
        &self.target != gone
    }
}

impl Described for Route {
    fn shape() -> Shape {
        Shape::Struct(vec![
            Field {
                name: "destination",
                doc: "Destination range in CIDR notation, such as 0.0.0.0/0.",
                shape: Shape::Text,
            },
            Field {
                name: "target",
                doc: "The gateway or connection traffic goes to.",
                shape: Shape::Reference,
            },
        ])
    }
}

config! {
    /// A route table, associated with subnets through their `route_table` field.
    pub struct RouteTable {
        /// Routes besides the implicit local route.
        pub routes: Vec<Route> = Vec::new(),
    }
}

choice! {
    /// IP protocol of a firewall rule.
    pub enum Protocol {
        /// TCP.
        Tcp,
        /// UDP.
        Udp,
        /// ICMP.
        Icmp,
        /// Every protocol and port.
        All,
    }
    default Tcp
}

choice! {
    /// Whether a network ACL rule lets traffic through.
    pub enum RuleAction {
        /// Let matching traffic through.
        Allow,
        /// Drop matching traffic.
        Deny,
    }
    default Allow
}

config! {
    /// One numbered rule of a network ACL; rules are evaluated lowest number first.
    pub struct NaclRule {
        /// Evaluation order, 1 to 32766.
        pub rule_number: u16 = 100,
        /// Protocol.
        pub protocol: Protocol = Protocol::All,
        /// First port of the range.
        pub from_port: u16 = 0,
        /// Last port of the range.
        pub to_port: u16 = 65535,
        /// Source (inbound) or destination (outbound) range.
        pub cidr: String = "0.0.0.0/0".into(),
        /// Allow or deny.
        pub action: RuleAction = RuleAction::Allow,
    }
}

config! {
    /// A network ACL: a stateless subnet firewall with allow and deny rules.
    pub struct NetworkAcl {
        /// Inbound rules; the default ACL allows all traffic (seeds).
        pub inbound: Vec<NaclRule> = vec![NaclRule::default()],
        /// Outbound rules; stateless, so return traffic to ephemeral ports needs a rule too.
        pub outbound: Vec<NaclRule> = vec![NaclRule::default()],
    }
}

/// Where a security group rule lets traffic come from (or go to).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum RuleSource {
    /// An address range in CIDR notation.
    Cidr(String),
    /// Members of another security group.
    SecurityGroup(ResourceId),
}

/// One allow rule of a security group (security groups have no deny rules).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SgRule {
    /// Protocol.
    #[serde(default)]
    pub protocol: Protocol,
    /// First port of the range.
    pub from_port: u16,
    /// Last port of the range.
    pub to_port: u16,
    /// Source for inbound rules, destination for outbound rules.
    pub source: RuleSource,
    /// Why the rule exists.
    #[serde(default)]
    pub description: String,
}

impl SgRule {
    /// A TCP rule for one port.
    pub fn tcp(port: u16, source: RuleSource) -> Self {
        Self {
            protocol: Protocol::Tcp,
            from_port: port,
            to_port: port,
            source,
            description: String::new(),
        }
    }

    /// The rule that allows everything to anywhere (a security group's default outbound rule).
    pub fn allow_all() -> Self {
        Self {
            protocol: Protocol::All,
            from_port: 0,
            to_port: 65535,
            source: RuleSource::Cidr("0.0.0.0/0".into()),
            description: String::new(),
        }
    }
}

impl References for SgRule {
    fn for_each_ref(&self, f: &mut dyn FnMut(&ResourceId)) {
        if let RuleSource::SecurityGroup(id) = &self.source {
            f(id);
        }
    }
    fn rename_refs(&mut self, from: &ResourceId, to: &ResourceId) {
        if let RuleSource::SecurityGroup(id) = &mut self.source {
            id.rename_refs(from, to);
        }
    }
    fn drop_refs(&mut self, gone: &ResourceId) -> bool {
        // A rule whose source group is gone allows nothing: drop it.
        !matches!(&self.source, RuleSource::SecurityGroup(id) if id == gone)
    }
}

impl Described for SgRule {
    fn shape() -> Shape {
        Shape::Struct(vec![
            Field {
                name: "protocol",
                doc: "Protocol.",
                shape: Protocol::shape(),
            },
            Field {
                name: "from_port",
                doc: "First port of the range.",
                shape: u16::shape(),
            },
            Field {
                name: "to_port",
                doc: "Last port of the range.",
                shape: u16::shape(),
            },
            Field {
                name: "source",
                doc: "Cidr(\"…\") for an address range, or SecurityGroup(\"id\") for members of a group.",
                shape: Shape::Composite("RuleSource"),
            },
            Field {
                name: "description",
                doc: "Why the rule exists.",
                shape: Shape::Text,
            },
        ])
    }
}

config! {
    /// A security group: a stateful firewall around instances and other resources.
    pub struct SecurityGroup {
        /// What the group protects.
        pub description: String = String::new(),
        /// Inbound allow rules; none by default, so all inbound traffic is blocked (seeds).
        pub inbound: Vec<SgRule> = Vec::new(),
        /// Outbound allow rules; all outbound traffic is allowed by default (seeds).
        pub outbound: Vec<SgRule> = vec![SgRule::allow_all()],
    }
}

config! {
    /// An Elastic IP: a static public IPv4 address, associated by an attachment link.
    pub struct ElasticIp {}
}

choice! {
    /// How a VPC endpoint reaches its service.
    pub enum EndpointType {
        /// A route-table target, for S3 and DynamoDB; no hourly charge.
        Gateway,
        /// An elastic network interface in subnets (PrivateLink).
        Interface,
    }
    default Gateway
}

config! {
    /// A VPC endpoint: private access to an AWS service without the internet.
    pub struct VpcEndpoint {
        /// Gateway or interface.
        pub endpoint_type: EndpointType = EndpointType::Gateway,
        /// The service short name, such as `s3`, `dynamodb` or `sqs`.
        pub service: String = "s3".into(),
        /// Subnets of an interface endpoint.
        pub subnets: Vec<ResourceId> = Vec::new(),
        /// Security groups of an interface endpoint.
        pub security_groups: Vec<ResourceId> = Vec::new(),
        /// Data processed per month in GB by an interface endpoint, for the cost estimate.
        pub processed_gb_per_month: f64 = 10.0,
    }
}

config! {
    /// A VPC peering connection, linked by peering links to the two VPCs it joins.
    pub struct VpcPeering {}
}

config! {
    /// A virtual private gateway: the AWS end of a VPN or Direct Connect, attached to a VPC.
    pub struct VirtualPrivateGateway {
        /// The BGP ASN of the Amazon side (AWS default 64512).
        pub amazon_side_asn: u32 = 64512,
    }
}

config! {
    /// A Site-to-Site VPN connection: encrypted tunnels over the internet.
    pub struct SiteToSiteVpn {
        /// Number of tunnels; AWS provides two per connection for redundancy.
        pub tunnels: u8 = 2,
        /// Static routes instead of BGP.
        pub static_routing: bool = false,
    }
}

config! {
    /// An AWS Direct Connect connection: a private physical link to AWS.
    pub struct DirectConnect {
        /// Port speed in Mbps (dedicated connections: 1,000, 10,000 or 100,000).
        pub bandwidth_mbps: u32 = 1000,
        /// The Direct Connect location.
        pub location: String = String::new(),
    }
}

config! {
    /// A transit gateway: a regional hub that connects many VPCs and networks.
    pub struct TransitGateway {
        /// The BGP ASN of the Amazon side (AWS default 64512).
        pub amazon_side_asn: u32 = 64512,
    }
}

config! {
    /// A customer gateway: AWS's record of the on-premises VPN device.
    pub struct CustomerGateway {
        /// The device's BGP ASN (65000 is the console's suggestion).
        pub bgp_asn: u32 = 65000,
        /// The device's public IP (a documentation address by default).
        pub ip_address: String = "203.0.113.10".into(),
    }
}

config! {
    /// An elastic network interface: a virtual network card in one subnet.
    pub struct NetworkInterface {
        /// Security groups of the interface.
        pub security_groups: Vec<ResourceId> = Vec::new(),
        /// Secondary private IPv4 addresses.
        pub secondary_private_ips: u8 = 0,
    }
}

config! {
    /// An on-premises data center, connected by VPN or Direct Connect.
    pub struct OnPremisesDataCenter {
        /// The on-premises address range; it must not overlap the VPCs it connects to.
        pub cidr: String = "192.168.0.0/16".into(),
        /// Requests a second its people send to what its traffic links lead to, for the
        /// simulation.
        pub requests_per_second: f64 = 20.0,
        /// Average response size in KB, for data transfer.
        pub response_kb: f64 = 50.0,
        /// Share of those requests that only read.
        pub read_fraction: f64 = 0.9,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn security_group_defaults_block_inbound_and_allow_outbound() {
        let sg = SecurityGroup::default();
        assert!(sg.inbound.is_empty());
        assert_eq!(sg.outbound, vec![SgRule::allow_all()]);
    }

    #[test]
    fn rules_referring_to_a_deleted_group_are_dropped() {
        let web = ResourceId::new("web-sg").unwrap();
        let mut sg = SecurityGroup {
            inbound: vec![
                SgRule::tcp(3306, RuleSource::SecurityGroup(web.clone())),
                SgRule::tcp(22, RuleSource::Cidr("10.0.0.0/16".into())),
            ],
            ..SecurityGroup::default()
        };
        sg.drop_refs(&web);
        assert_eq!(sg.inbound.len(), 1);
        assert_eq!(sg.inbound[0].from_port, 22);
    }
}
