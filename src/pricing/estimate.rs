//! The monthly estimate of a diagram: line items with readable formulas, totals by
//! resource and service, and the resources that have no price in the data.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::kinds::{Lines, price_resource};
use crate::aws::PriceSource;
use crate::model::{Config, Diagram, Kind, Resource, ResourceId};

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
    /// The row of the price data the unit price was read from.
    pub source: PriceSource,
    /// For capacity that scales (Auto Scaling groups, ECS services): the monthly cost at
    /// the minimum and at the maximum size; `monthly_usd` is at the desired size.
    pub range_usd: Option<(f64, f64)>,
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

impl LineItem {
    /// The scaling range in words: "from $60.74 at min to $182.21 at max".
    pub fn range_text(&self) -> Option<String> {
        self.range_usd
            .map(|(min, max)| format!("${min:.2} at minimum size to ${max:.2} at maximum"))
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

    /// Monthly totals with every scaling resource at its minimum and at its maximum size.
    pub fn monthly_range_usd(&self) -> (f64, f64) {
        self.lines.iter().fold((0.0, 0.0), |(low, high), line| {
            let (min, max) = line
                .range_usd
                .unwrap_or((line.monthly_usd, line.monthly_usd));
            (low + min, high + max)
        })
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

    /// Monthly total of each container (Region, VPC, AZ, subnet): what sits inside it. A
    /// resource drawn above the subnets it uses (an Auto Scaling group or a load balancer
    /// in the VPC, naming subnets in two AZs) is shared evenly among those subnets and
    /// their AZs.
    pub fn by_container<'a>(&self, diagram: &'a Diagram) -> BTreeMap<&'a ResourceId, f64> {
        let mut totals = BTreeMap::new();
        let mut shares_of: HashMap<&ResourceId, Vec<(&'a ResourceId, f64)>> = HashMap::new();
        for line in &self.lines {
            let shares = shares_of
                .entry(&line.resource)
                .or_insert_with(|| container_shares(diagram, line.resource.as_str()));
            for (container, share) in shares.iter() {
                *totals.entry(*container).or_insert(0.0) += line.monthly_usd * share;
            }
        }
        totals
    }
}

/// The containers a resource's cost counts in, with the share of it each one carries.
fn container_shares<'a>(diagram: &'a Diagram, id: &str) -> Vec<(&'a ResourceId, f64)> {
    let ancestors = diagram.ancestors(id);
    let mut shares: Vec<(&ResourceId, f64)> = ancestors.iter().map(|a| (&a.id, 1.0)).collect();
    let Some(resource) = diagram.resource(id) else {
        return shares;
    };
    if ancestors.iter().any(|a| a.kind() == Kind::Subnet) {
        return shares;
    }
    let mut subnets: Vec<&Resource> = resource
        .config
        .references()
        .iter()
        .filter_map(|r| diagram.resource(r.as_str()))
        .filter(|r| r.kind() == Kind::Subnet)
        .collect();
    subnets.dedup_by_key(|r| &r.id);
    let share = 1.0 / subnets.len().max(1) as f64;
    for subnet in subnets {
        for container in std::iter::once(subnet).chain(diagram.ancestors(subnet.id.as_str())) {
            if ancestors.iter().any(|a| a.id == container.id) {
                continue;
            }
            match shares.iter_mut().find(|(c, _)| **c == container.id) {
                Some((_, s)) => *s += share,
                None => shares.push((&container.id, share)),
            }
        }
    }
    shares
}

/// The monthly total of one container, with its depth in the containment tree.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ContainerTotal {
    /// The container.
    pub id: ResourceId,
    /// Its kind.
    pub kind: Kind,
    /// 0 for top-level containers, 1 inside one, and so on.
    pub depth: usize,
    /// Monthly total of what it holds, at any depth.
    pub monthly_usd: f64,
}

impl CostReport {
    /// The totals of the containers that hold priced resources, in tree order (each
    /// container followed by those inside it), for indented display.
    pub fn container_tree(&self, diagram: &Diagram) -> Vec<ContainerTotal> {
        let totals = self.by_container(diagram);
        let children = diagram.children_index();
        let mut out = Vec::with_capacity(totals.len());
        let mut stack: Vec<(&ResourceId, usize)> = diagram
            .resources()
            .filter(|r| r.parent.is_none())
            .map(|r| (&r.id, 0))
            .collect();
        stack.reverse();
        while let Some((id, depth)) = stack.pop() {
            let Some(&usd) = totals.get(id) else { continue };
            if let Some(resource) = diagram.resource(id.as_str()) {
                out.push(ContainerTotal {
                    id: id.clone(),
                    kind: resource.kind(),
                    depth,
                    monthly_usd: usd,
                });
            }
            if let Some(inner) = children.get(id) {
                stack.extend(inner.iter().rev().map(|child| (*child, depth + 1)));
            }
        }
        out
    }
}

/// The monthly estimate of `diagram` at list prices in its Region.
pub fn estimate(diagram: &Diagram) -> CostReport {
    let mut report = CostReport {
        region: diagram.region.clone(),
        ..CostReport::default()
    };
    // The Region of each container, found once: resources in one subnet share it.
    let mut region_of_parent: HashMap<Option<&ResourceId>, &str> = HashMap::new();
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
        let mut lines = Lines {
            report: &mut report,
            resource: &resource.id,
            kind: resource.kind(),
            region,
            scale: None,
        };
        price_resource(diagram, &resource.config, &mut lines);
    }
    report
}

#[cfg(test)]
#[path = "estimate_tests.rs"]
mod tests;
