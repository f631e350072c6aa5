//! The network: NAT gateways, public IPv4 addresses, interface endpoints, data transfer.

use super::Lines;
use crate::model::config::network::*;
use crate::pricing::HOURS_PER_MONTH;
use crate::pricing::estimate::number;

pub(super) fn nat_gateway(l: &mut Lines<'_>, c: &NatGateway) {
    let h = HOURS_PER_MONTH;
    l.unit("VPC", "NAT gateway hour", "NAT gateway hours", h, "h");
    l.unit(
        "VPC",
        "NAT gateway data processed",
        "NAT data processed",
        c.processed_gb_per_month,
        "GB",
    );
}

pub(super) fn elastic_ip(l: &mut Lines<'_>) {
    let h = HOURS_PER_MONTH;
    l.unit(
        "VPC",
        "Elastic IP / public IPv4 address",
        "public IPv4 address",
        h,
        "h",
    );
}

pub(super) fn vpc_endpoint(l: &mut Lines<'_>, c: &VpcEndpoint) {
    let h = HOURS_PER_MONTH;
    let azs = c.subnets.len().max(1) as f64;
    l.unit(
        "VPC",
        "Interface VPC endpoint hour (per AZ)",
        &format!("interface endpoint in {} AZ(s)", number(azs)),
        h * azs,
        "h",
    );
    l.unit(
        "VPC",
        "Interface VPC endpoint data processed (first 1 PB)",
        "endpoint data processed",
        c.processed_gb_per_month,
        "GB",
    );
}
