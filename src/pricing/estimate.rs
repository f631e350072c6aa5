//! The monthly estimate of a diagram: line items with readable formulas, totals by
//! resource and service, and the resources that have no price in the data.

use std::collections::BTreeMap;

use serde::Serialize;

use super::kinds::{Lines, price_resource};
use crate::model::{Config, Diagram, Kind, ResourceId};

/// One priced line.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LineItem {
    /// The resource it belongs to.
    pub resource: ResourceId,
    /// The AWS service, such as `EC2` or `ELB`.
    pub service: &'static str,
    /// What is charged, such as "m5.large on-demand".
    pub item: String,
    /// How much per month.
    pub quantity: f64,
    /// The unit of the quantity, such as `h` or `GB-month`.
    pub unit: &'static str,
    /// USD per unit.
    pub unit_price_usd: f64,
    /// USD per month: quantity × unit price.
    pub monthly_usd: f64,
    /// Set when the Region had no price and us-east-1's is used.
    pub price_from_us_east_1: bool,
    /// Date of the price.
    pub as_of: &'static str,
}

impl LineItem {
    /// The line as a formula: "m5.large on-demand: 730 h × $0.096/h = $70.08".
    pub fn formula(&self) -> String {
        let note = if self.price_from_us_east_1 {
            " (price from us-east-1)"
        } else {
            ""
        };
        format!(
            "{}: {} {} × ${}/{} = ${:.2}{note}",
            self.item,
            number(self.quantity),
            self.unit,
            number(self.unit_price_usd),
            self.unit,
            self.monthly_usd
        )
    }
}

pub(super) fn number(value: f64) -> String {
    let text = format!("{value:.6}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text.is_empty() {
        "0".into()
    } else {
        text.into()
    }
}

/// A resource the estimate cannot price, and why.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NotPriced {
    /// The resource.
    pub resource: ResourceId,
    /// Its kind.
    pub kind: Kind,
    /// Why.
    pub reason: String,
}

/// The estimate of a diagram.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct CostReport {
    /// Region used for prices.
    pub region: String,
    /// Priced lines, in diagram order.
    pub lines: Vec<LineItem>,
    /// Resources with a cost that the data cannot price.
    pub not_priced: Vec<NotPriced>,
}

impl CostReport {
    /// Total per month.
    pub fn monthly_usd(&self) -> f64 {
        self.lines.iter().map(|l| l.monthly_usd).sum()
    }

    /// Total per year.
    pub fn yearly_usd(&self) -> f64 {
        self.monthly_usd() * 12.0
    }

    /// Monthly total of each resource that has lines.
    pub fn by_resource(&self) -> BTreeMap<&ResourceId, f64> {
        let mut totals = BTreeMap::new();
        for line in &self.lines {
            *totals.entry(&line.resource).or_insert(0.0) += line.monthly_usd;
        }
        totals
    }

    /// Monthly total of each service.
    pub fn by_service(&self) -> BTreeMap<&'static str, f64> {
        let mut totals = BTreeMap::new();
        for line in &self.lines {
            *totals.entry(line.service).or_insert(0.0) += line.monthly_usd;
        }
        totals
    }

    /// Monthly total of each container (Region, VPC, AZ, subnet): what sits inside it.
    pub fn by_container<'a>(&self, diagram: &'a Diagram) -> BTreeMap<&'a ResourceId, f64> {
        let mut totals = BTreeMap::new();
        for line in &self.lines {
            for container in diagram.ancestors(line.resource.as_str()) {
                *totals.entry(&container.id).or_insert(0.0) += line.monthly_usd;
            }
        }
        totals
    }
}

/// The monthly estimate of `diagram` at list prices in its Region.
pub fn estimate(diagram: &Diagram) -> CostReport {
    let mut report = CostReport {
        region: diagram.region.clone(),
        ..CostReport::default()
    };
    // The Region of each container, found once: resources in one subnet share it.
    let mut region_of_parent: std::collections::HashMap<Option<&ResourceId>, &str> =
        std::collections::HashMap::new();
    for resource in diagram.resources() {
        let parent = resource.parent.as_ref();
        let region: &str = match (resource.kind(), &resource.config) {
            (Kind::Region, Config::Region(r)) => &r.code,
            _ => region_of_parent.entry(parent).or_insert_with(|| {
                parent
                    .and_then(|p| {
                        if let Some(Config::Region(r)) =
                            diagram.resource(p.as_str()).map(|r| &r.config)
                        {
                            return Some(r.code.as_str());
                        }
                        diagram
                            .enclosing(p.as_str(), Kind::Region)
                            .and_then(|r| match &r.config {
                                Config::Region(region) => Some(region.code.as_str()),
                                _ => None,
                            })
                    })
                    .unwrap_or(diagram.region.as_str())
            }),
        };
        let before = report.not_priced.len();
        let mut lines = Lines {
            report: &mut report,
            resource: &resource.id,
            region,
        };
        price_resource(diagram, &resource.config, &mut lines);
        for entry in &mut report.not_priced[before..] {
            entry.kind = resource.kind();
        }
    }
    report
}

#[cfg(test)]
#[path = "estimate_tests.rs"]
mod tests;
