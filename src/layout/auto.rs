//! Automatic layout: gives every resource a readable position, AWS-diagram style.
//!
//! Containers are laid out inside-out. An Availability Zone stacks its subnets (public
//! first) so that tiers line up across zones; a VPC or Region puts its containers side by
//! side and its other resources in rows beneath; a subnet wraps its resources in rows. At
//! the top level, external actors and global services stand in a column at the left and
//! Regions to their right. The layout is deterministic: the same diagram always gets the
//! same positions.

use std::collections::HashMap;

use crate::model::catalog::catalog;
use crate::model::config::network::SubnetTier;
use crate::model::geom::Rect;
use crate::model::{Config, Diagram, Kind, ResourceId};

/// Width of a resource node.
pub const NODE_WIDTH: f32 = 112.0;
/// Height of a resource node (icon plus label).
pub const NODE_HEIGHT: f32 = 88.0;
/// Space between siblings.
pub const GAP: f32 = 32.0;
/// Inner margin of a container.
pub const PADDING: f32 = 24.0;
/// Height of a container's title band.
pub const HEADER: f32 = 32.0;
/// Nodes per row inside a subnet.
const SUBNET_ROW: usize = 3;
/// Nodes per row elsewhere.
const WIDE_ROW: usize = 5;
/// Nodes per column at the top level.
const TOP_COLUMN: usize = 6;
/// Where the layout starts on the canvas.
const ORIGIN: f32 = 40.0;

/// Width of an automatically placed sticky note.
const NOTE_WIDTH: f32 = 300.0;

/// Lays out every resource of the diagram, replacing existing positions, and places
/// notes that have no position in a row beneath the resources.
pub fn auto_layout(diagram: &mut Diagram) {
    let rects = compute(diagram);
    diagram.set_rects(&rects);
    let bottom = rects.values().map(Rect::bottom).fold(ORIGIN, f32::max);
    let mut x = ORIGIN;
    let unplaced: Vec<(ResourceId, String)> = diagram
        .notes()
        .iter()
        .filter(|n| n.rect.is_unplaced())
        .map(|n| (n.id.clone(), n.text.clone()))
        .collect();
    for (id, text) in unplaced {
        let rect = Rect::new(x, bottom + GAP * 2.0, NOTE_WIDTH, note_height(&text));
        // The rectangle is finite and the note exists, so this cannot fail.
        let _ = diagram.update_note(&id, text, rect);
        x += NOTE_WIDTH + GAP;
    }
}

/// A height that fits `text` in a note of [`NOTE_WIDTH`] at the canvas's text size.
fn note_height(text: &str) -> f32 {
    const CHARS_PER_LINE: usize = 42;
    const LINE_HEIGHT: f32 = 18.0;
    let lines: usize = text
        .lines()
        .map(|l| l.chars().count().div_ceil(CHARS_PER_LINE).max(1))
        .sum();
    lines.max(1) as f32 * LINE_HEIGHT + PADDING * 2.0
}

/// The rectangles an automatic layout gives each resource.
pub fn compute(diagram: &Diagram) -> HashMap<ResourceId, Rect> {
    let children = diagram.children_index();
    let mut sizes: HashMap<&ResourceId, (f32, f32)> = HashMap::new();
    let mut offsets: HashMap<&ResourceId, (f32, f32)> = HashMap::new();
    let roots: Vec<&ResourceId> = diagram.children(None).map(|r| &r.id).collect();
    for root in &roots {
        measure(diagram, &children, root, &mut sizes, &mut offsets);
    }

    // Top level: actors and edge services in columns at the left, containers in a row to
    // their right, and identity and governance resources in columns after them.
    let (containers, leaves): (Vec<&ResourceId>, Vec<&ResourceId>) =
        roots.iter().partition(|id| is_container(diagram, id));
    let (left, right): (Vec<&ResourceId>, Vec<&ResourceId>) = leaves.into_iter().partition(|id| {
        diagram.resource(id.as_str()).is_some_and(|r| {
            !matches!(
                catalog().info(r.kind()).category,
                crate::model::catalog::Category::Security
                    | crate::model::catalog::Category::Management
            )
        })
    });
    let mut rects = HashMap::new();
    let mut x = ORIGIN;
    x = place_columns(&left, x, &children, &sizes, &offsets, &mut rects);
    for id in containers {
        place(id, x, ORIGIN, &children, &sizes, &offsets, &mut rects);
        x += sizes[id].0 + GAP * 2.0;
    }
    place_columns(&right, x, &children, &sizes, &offsets, &mut rects);
    rects
}

/// Places nodes in columns from `x`; returns where the next thing may start.
fn place_columns(
    ids: &[&ResourceId],
    mut x: f32,
    children: &HashMap<&ResourceId, Vec<&ResourceId>>,
    sizes: &HashMap<&ResourceId, (f32, f32)>,
    offsets: &HashMap<&ResourceId, (f32, f32)>,
    rects: &mut HashMap<ResourceId, Rect>,
) -> f32 {
    for column in ids.chunks(TOP_COLUMN) {
        let mut y = ORIGIN + HEADER;
        for id in column {
            place(id, x, y, children, sizes, offsets, rects);
            y += NODE_HEIGHT + GAP;
        }
        x += NODE_WIDTH + GAP * 2.0;
    }
    x
}

fn is_container(diagram: &Diagram, id: &ResourceId) -> bool {
    diagram
        .resource(id.as_str())
        .is_some_and(|r| catalog().is_container(r.kind()))
}

/// Computes the size of `id` and the offsets of its children within it.
fn measure<'a>(
    diagram: &'a Diagram,
    children: &HashMap<&'a ResourceId, Vec<&'a ResourceId>>,
    id: &'a ResourceId,
    sizes: &mut HashMap<&'a ResourceId, (f32, f32)>,
    offsets: &mut HashMap<&'a ResourceId, (f32, f32)>,
) -> (f32, f32) {
    let Some(resource) = diagram.resource(id.as_str()) else {
        return (NODE_WIDTH, NODE_HEIGHT);
    };
    if !catalog().is_container(resource.kind()) {
        sizes.insert(id, (NODE_WIDTH, NODE_HEIGHT));
        return (NODE_WIDTH, NODE_HEIGHT);
    }
    let kids = children.get(id).cloned().unwrap_or_default();
    let (mut boxes, mut leaves): (Vec<&ResourceId>, Vec<&ResourceId>) =
        kids.into_iter().partition(|k| is_container(diagram, k));
    // Traffic first, supporting configuration last; stable within a rank.
    leaves.sort_by_key(|k| leaf_rank(diagram, k));
    for kid in &boxes {
        measure(diagram, children, kid, sizes, offsets);
    }

    let top = HEADER + PADDING / 2.0;
    let mut width: f32 = 0.0;
    let mut y = top;
    if resource.kind() == Kind::AvailabilityZone {
        // Subnets stacked, public first, all as wide as the widest.
        boxes.sort_by_key(|k| subnet_rank(diagram, k));
        let inner = boxes.iter().map(|k| sizes[k].0).fold(0.0, f32::max);
        for kid in &boxes {
            sizes.insert(kid, (inner, sizes[kid].1));
            offsets.insert(kid, (PADDING, y));
            y += sizes[kid].1 + GAP;
        }
        width = width.max(inner);
    } else if !boxes.is_empty() {
        // Containers side by side, all as tall as the tallest.
        let tallest = boxes.iter().map(|k| sizes[k].1).fold(0.0, f32::max);
        let mut x = PADDING;
        for kid in &boxes {
            sizes.insert(kid, (sizes[kid].0, tallest));
            offsets.insert(kid, (x, y));
            x += sizes[kid].0 + GAP;
        }
        width = width.max(x - GAP - PADDING);
        y += tallest + GAP;
    }

    let per_row = if resource.kind() == Kind::Subnet {
        SUBNET_ROW
    } else {
        WIDE_ROW.max(fit(width))
    };
    for row in leaves.chunks(per_row.max(1)) {
        let mut x = PADDING;
        for leaf in row {
            sizes.insert(leaf, (NODE_WIDTH, NODE_HEIGHT));
            offsets.insert(leaf, (x, y));
            x += NODE_WIDTH + GAP;
        }
        width = width.max(x - GAP - PADDING);
        y += NODE_HEIGHT + GAP;
    }

    let width = width.max(NODE_WIDTH * 2.0) + 2.0 * PADDING;
    let height = (y - GAP + PADDING).max(top + NODE_HEIGHT / 2.0 + PADDING);
    sizes.insert(id, (width, height));
    (width, height)
}

/// Where a resource stands among its siblings: the request path first (gateways, load
/// balancers, compute, data), then what configures it (routes, firewalls, endpoints).
fn leaf_rank(diagram: &Diagram, id: &ResourceId) -> u8 {
    use crate::model::catalog::Category;
    let Some(resource) = diagram.resource(id.as_str()) else {
        return 9;
    };
    match resource.kind() {
        Kind::InternetGateway | Kind::VirtualPrivateGateway | Kind::NatGateway => 0,
        Kind::ApplicationLoadBalancer
        | Kind::NetworkLoadBalancer
        | Kind::GatewayLoadBalancer
        | Kind::ClassicLoadBalancer => 1,
        Kind::RouteTable | Kind::NetworkAcl | Kind::SecurityGroup => 7,
        Kind::VpcEndpoint | Kind::ElasticIp | Kind::NetworkInterface => 6,
        kind => match catalog().info(kind).category {
            Category::Compute | Category::Containers => 2,
            Category::Database => 3,
            Category::Storage => 4,
            Category::Integration => 4,
            _ => 5,
        },
    }
}

/// How many nodes fit in `width`.
fn fit(width: f32) -> usize {
    ((width + GAP) / (NODE_WIDTH + GAP)).floor().max(1.0) as usize
}

fn subnet_rank(diagram: &Diagram, id: &ResourceId) -> u8 {
    match diagram.resource(id.as_str()).map(|r| &r.config) {
        Some(Config::Subnet(s)) if s.tier == SubnetTier::Public => 0,
        Some(Config::Subnet(_)) => 1,
        _ => 2,
    }
}

/// Places `id` at `(x, y)` and its children at their offsets, recursively.
fn place(
    id: &ResourceId,
    x: f32,
    y: f32,
    children: &HashMap<&ResourceId, Vec<&ResourceId>>,
    sizes: &HashMap<&ResourceId, (f32, f32)>,
    offsets: &HashMap<&ResourceId, (f32, f32)>,
    rects: &mut HashMap<ResourceId, Rect>,
) {
    let (w, h) = sizes.get(id).copied().unwrap_or((NODE_WIDTH, NODE_HEIGHT));
    rects.insert(id.clone(), Rect::new(x, y, w, h));
    for kid in children.get(id).into_iter().flatten() {
        let (dx, dy) = offsets.get(kid).copied().unwrap_or((PADDING, HEADER));
        place(kid, x + dx, y + dy, children, sizes, offsets, rects);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Resource;
    use crate::model::config::network::Subnet;

    fn id(s: &str) -> ResourceId {
        ResourceId::new(s).unwrap()
    }

    fn two_az_diagram() -> Diagram {
        let mut d = Diagram::new("layout");
        d.add(Resource::new(id("users"), Kind::Users)).unwrap();
        d.add(Resource::new(id("region"), Kind::Region)).unwrap();
        d.add(Resource::new(id("vpc"), Kind::Vpc).in_parent(&id("region")))
            .unwrap();
        for az in ["a", "b"] {
            let az_id = id(&format!("az-{az}"));
            d.add(Resource::new(az_id.clone(), Kind::AvailabilityZone).in_parent(&id("vpc")))
                .unwrap();
            for tier in [SubnetTier::Private, SubnetTier::Public] {
                let subnet_id = id(&format!("{tier:?}-{az}").to_lowercase());
                let config = Config::Subnet(Subnet {
                    tier,
                    ..Default::default()
                });
                d.add(
                    Resource::new(subnet_id.clone(), Kind::Subnet)
                        .in_parent(&az_id)
                        .with_config(config),
                )
                .unwrap();
                d.add(
                    Resource::new(id(&format!("{subnet_id}-vm")), Kind::Ec2Instance)
                        .in_parent(&subnet_id),
                )
                .unwrap();
            }
        }
        d.add(Resource::new(id("alb"), Kind::ApplicationLoadBalancer).in_parent(&id("vpc")))
            .unwrap();
        d.add(Resource::new(id("bucket"), Kind::S3Bucket).in_parent(&id("region")))
            .unwrap();
        d
    }

    #[test]
    fn children_sit_inside_parents_and_siblings_do_not_overlap() {
        let mut d = two_az_diagram();
        auto_layout(&mut d);
        for r in d.resources() {
            assert!(!r.rect.is_unplaced(), "{} placed", r.id);
            if let Some(parent) = &r.parent {
                let outer = d.resource(parent.as_str()).unwrap().rect;
                assert!(outer.contains_rect(&r.rect), "{} inside {parent}", r.id);
            }
            for other in d
                .resources()
                .filter(|o| o.parent == r.parent && o.id != r.id)
            {
                assert!(
                    !r.rect.intersects(&other.rect),
                    "{} and {} overlap",
                    r.id,
                    other.id
                );
            }
        }
    }

    #[test]
    fn public_subnets_come_first_and_line_up_across_zones() {
        let mut d = two_az_diagram();
        auto_layout(&mut d);
        let rect = |s: &str| d.resource(s).unwrap().rect;
        assert!(rect("public-a").y < rect("private-a").y);
        assert_eq!(rect("public-a").y, rect("public-b").y);
        assert_eq!(rect("az-a").h, rect("az-b").h);
        assert!(
            rect("users").right() < rect("region").x,
            "actors stand left of the Region"
        );
    }

    #[test]
    fn the_same_diagram_is_laid_out_the_same_way_every_time() {
        let mut a = two_az_diagram();
        let mut b = two_az_diagram();
        auto_layout(&mut a);
        auto_layout(&mut b);
        assert_eq!(a, b);
    }
}
