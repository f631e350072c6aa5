//! What-if: the same diagram priced under each EC2 purchase option, side by side.

use std::collections::BTreeMap;

use serde::Serialize;

use super::estimate;
use crate::model::config::compute::PurchaseOption;
use crate::model::{Config, Diagram, ResourceId};

/// The monthly total under one purchase option.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Scenario {
    /// The purchase option applied to every instance, group and node.
    pub option: PurchaseOption,
    /// Monthly total.
    pub monthly_usd: f64,
    /// Of which EC2 capacity.
    pub ec2_monthly_usd: f64,
    /// EC2 capacity per resource (instances, groups, node groups), for line-by-line
    /// comparison.
    pub ec2_by_resource: BTreeMap<ResourceId, f64>,
    /// Saving against on-demand, per month.
    pub saving_usd: f64,
    /// Saving against on-demand, in percent of the whole bill.
    pub saving_percent: f64,
}

/// The options compared: what the price data can price.
pub const COMPARED: [PurchaseOption; 3] = [
    PurchaseOption::OnDemand,
    PurchaseOption::Reserved,
    PurchaseOption::Spot,
];

/// `diagram` with every EC2 instance and Auto Scaling group bought as `option`.
pub fn with_purchase_option(diagram: &Diagram, option: PurchaseOption) -> Diagram {
    let mut d = diagram.clone();
    let ids: Vec<_> = d.resources().map(|r| r.id.clone()).collect();
    for id in ids {
        let changed = match d.resource(id.as_str()).map(|r| r.config.clone()) {
            Some(Config::Ec2Instance(mut c)) => {
                c.purchase_option = option;
                Some(Config::Ec2Instance(c))
            }
            Some(Config::AutoScalingGroup(mut c)) => {
                c.purchase_option = option;
                Some(Config::AutoScalingGroup(c))
            }
            _ => None,
        };
        if let Some(config) = changed {
            // Same kind, same references: the edit cannot break an invariant.
            let _ = d.set_config(&id, config);
        }
    }
    d
}

/// Moves every Region of `diagram` (and its default Region) to `region`: the same design
/// priced elsewhere.
pub fn move_to_region(diagram: &mut Diagram, region: &str) {
    diagram.region = region.to_owned();
    let regions: Vec<_> = diagram
        .resources()
        .filter_map(|r| match &r.config {
            Config::Region(config) => Some((r.id.clone(), config.clone())),
            _ => None,
        })
        .collect();
    for (id, mut config) in regions {
        config.code = region.to_owned();
        // Same kind, no references touched: the edit cannot break an invariant.
        let _ = diagram.set_config(&id, Config::Region(config));
    }
}

/// The diagram priced under each compared option.
pub fn compare_purchase_options(diagram: &Diagram) -> Vec<Scenario> {
    let mut scenarios: Vec<Scenario> = COMPARED
        .iter()
        .map(|&option| {
            let report = estimate(&with_purchase_option(diagram, option));
            let mut ec2_by_resource = BTreeMap::new();
            for line in report.lines.iter().filter(|l| l.service == "EC2") {
                *ec2_by_resource.entry(line.resource.clone()).or_insert(0.0) += line.monthly_usd;
            }
            Scenario {
                option,
                monthly_usd: report.monthly_usd(),
                ec2_monthly_usd: ec2_by_resource.values().sum(),
                ec2_by_resource,
                saving_usd: 0.0,
                saving_percent: 0.0,
            }
        })
        .collect();
    let base = scenarios[0].monthly_usd;
    for s in &mut scenarios {
        s.saving_usd = base - s.monthly_usd;
        s.saving_percent = if base > 0.0 {
            100.0 * s.saving_usd / base
        } else {
            0.0
        };
    }
    scenarios
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_and_spot_save_against_on_demand_on_the_ec2_part_only() {
        let d = crate::library::templates::find("three-tier")
            .unwrap()
            .load()
            .unwrap();
        let s = compare_purchase_options(&d);
        assert_eq!(s.iter().map(|s| s.option).collect::<Vec<_>>(), COMPARED);
        assert_eq!(s[0].saving_usd, 0.0);
        // 2 × m5.large: on-demand 0.096, reserved 0.060 per hour.
        assert!((s[0].ec2_monthly_usd - 2.0 * 730.0 * 0.096).abs() < 1e-6);
        assert!((s[1].ec2_monthly_usd - 2.0 * 730.0 * 0.060).abs() < 1e-6);
        assert!(
            (s[1].saving_usd - 2.0 * 730.0 * (0.096 - 0.060)).abs() < 1e-6,
            "only EC2 changes"
        );
        assert!(s[2].saving_usd > 0.0 && s[2].saving_percent > 0.0);
        let original = estimate(&d).monthly_usd();
        assert!(
            (original - s[0].monthly_usd).abs() < 1e-9,
            "the template buys on demand"
        );
    }
}
