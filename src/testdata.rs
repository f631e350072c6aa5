//! Test data, not product code: large, valid diagrams made deterministically from a seed,
//! for benchmarks and stress tests: Regions of VPCs of Availability Zones of subnets full of instances, with
//! traffic links between tiers.

use crate::layout;
use crate::model::config::network::{Subnet, SubnetTier};
use crate::model::{Config, Diagram, Kind, Link, LinkKind, Resource, ResourceId};

/// SplitMix64: a tiny, well-known generator, enough to vary shapes (and test input)
/// reproducibly from a seed.
pub struct SplitMix(pub u64);

impl SplitMix {
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
}

/// A diagram of about `resources` resources and exactly `links` links (fewer if the
/// resources cannot hold that many distinct allowed links), laid out automatically.
pub fn large_diagram(resources: usize, links: usize, seed: u64) -> Diagram {
    let mut rng = SplitMix(seed);
    let mut d = Diagram::new(format!("Generated ({resources} resources)"));
    let id = |text: String| ResourceId::slug(&text);
    let mut instances = Vec::new();
    let mut databases = Vec::new();
    let users = id("users".into());
    let _ = d.add(Resource::new(users.clone(), Kind::Users).named("Users"));
    let mut region_index = 0;
    'fill: while d.len() < resources {
        let region = id(format!("region-{region_index}"));
        let _ = d.add(Resource::new(region.clone(), Kind::Region));
        for v in 0..2 {
            let vpc = id(format!("vpc-{region_index}-{v}"));
            let _ = d.add(Resource::new(vpc.clone(), Kind::Vpc).in_parent(&region));
            let alb = id(format!("alb-{region_index}-{v}"));
            let _ =
                d.add(Resource::new(alb.clone(), Kind::ApplicationLoadBalancer).in_parent(&vpc));
            let _ = d.add_link(Link::new(users.clone(), alb.clone(), LinkKind::Traffic));
            for a in 0..3 {
                let az = id(format!("az-{region_index}-{v}-{a}"));
                let _ = d.add(Resource::new(az.clone(), Kind::AvailabilityZone).in_parent(&vpc));
                for s in 0..4 {
                    let subnet = id(format!("subnet-{region_index}-{v}-{a}-{s}"));
                    let tier = if s == 0 {
                        SubnetTier::Public
                    } else {
                        SubnetTier::Private
                    };
                    let config = Config::Subnet(Subnet {
                        tier,
                        cidr: format!("10.{v}.{}.0/24", a * 4 + s),
                        ..Default::default()
                    });
                    let _ = d.add(
                        Resource::new(subnet.clone(), Kind::Subnet)
                            .in_parent(&az)
                            .with_config(config),
                    );
                    let count = 2 + rng.below(5);
                    for i in 0..count {
                        if d.len() >= resources {
                            break 'fill;
                        }
                        let kind = if s == 3 {
                            Kind::RdsInstance
                        } else {
                            Kind::Ec2Instance
                        };
                        let leaf = id(format!(
                            "{}-{region_index}-{v}-{a}-{s}-{i}",
                            if s == 3 { "db" } else { "vm" }
                        ));
                        let _ = d.add(
                            Resource::new(leaf.clone(), kind)
                                .in_parent(&subnet)
                                .named(format!("Node {i}")),
                        );
                        if kind == Kind::RdsInstance {
                            databases.push(leaf)
                        } else {
                            instances.push((alb.clone(), leaf))
                        }
                    }
                }
            }
        }
        region_index += 1;
    }
    let mut attempts = 0;
    while d.links().len() < links && attempts < links * 10 && !instances.is_empty() {
        attempts += 1;
        let (alb, vm) = &instances[rng.below(instances.len())];
        let link = match rng.below(3) {
            0 => Link::new(alb.clone(), vm.clone(), LinkKind::Traffic),
            1 if !databases.is_empty() => Link::new(
                vm.clone(),
                databases[rng.below(databases.len())].clone(),
                LinkKind::Traffic,
            ),
            _ => Link::new(
                vm.clone(),
                instances[rng.below(instances.len())].1.clone(),
                LinkKind::Traffic,
            ),
        };
        let _ = d.add_link(link);
    }
    layout::auto_layout(&mut d);
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_diagrams_are_valid_sized_and_reproducible() {
        let d = large_diagram(2_000, 3_000, 7);
        assert!(d.problems().is_empty());
        assert_eq!(d.len(), 2_000);
        assert_eq!(d.links().len(), 3_000);
        assert_eq!(d, large_diagram(2_000, 3_000, 7));
        assert_ne!(d, large_diagram(2_000, 3_000, 8));
        assert!(crate::layout::bounds(&d).area() > 0.0);
    }
}
