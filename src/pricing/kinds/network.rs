//! The network: NAT gateways, public IPv4 addresses, interface endpoints, data transfer.

use super::Lines;
use crate::aws::HOURS_PER_MONTH;
use crate::model::Diagram;
use crate::model::config::network::*;
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

/// Data transfer of a Region that holds something: internet egress in volume tiers,
/// inter-AZ both ways, and to other Regions. Transfer in from the internet is free.
pub(super) fn data_transfer(diagram: &Diagram, l: &mut Lines<'_>, c: &Region) {
    if diagram.children(Some(l.resource.as_str())).next().is_none() {
        return;
    }
    const TB: f64 = 1024.0;
    l.tiered(
        "DataTransfer",
        &[
            (
                10.0 * TB,
                "internet egress, first 10 TB/month",
                "internet egress, first 10 TB",
            ),
            (
                40.0 * TB,
                "internet egress, next 40 TB/month",
                "internet egress, next 40 TB",
            ),
            (
                100.0 * TB,
                "internet egress, next 100 TB/month",
                "internet egress, next 100 TB",
            ),
            (
                f64::INFINITY,
                "internet egress, over 150 TB/month",
                "internet egress, over 150 TB",
            ),
        ],
        c.internet_egress_gb_per_month,
        "GB",
    );
    // Billed per GB out of the sending AZ and again into the receiving one.
    l.unit(
        "DataTransfer",
        "intra-region / inter-AZ transfer (per GB, each direction)",
        "inter-AZ transfer (out and in)",
        2.0 * c.inter_az_gb_per_month,
        "GB",
    );
    l.unit(
        "DataTransfer",
        "inter-region transfer out",
        "transfer to other Regions",
        c.inter_region_gb_per_month,
        "GB",
    );
}
