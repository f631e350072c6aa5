//! `cloudcanvas info`: a summary of a diagram as text or JSON.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::io::Write;
use std::path::Path;

use petgraph::Direction;
use serde::Serialize;

use super::{Failure, Format, write_failed};
use crate::model::catalog::catalog;
use crate::model::config::network::SubnetTier;
use crate::model::{Config, Diagram, LinkKind, Resource, ResourceId};

/// Everything `info` reports.
#[derive(Debug, Serialize)]
pub struct InfoReport {
    /// Diagram name.
    pub name: String,
    /// Diagram description.
    pub description: String,
    /// Default Region.
    pub region: String,
    /// The file it came from, if any.
    pub file: Option<String>,
    /// Number of resources.
    pub resources: usize,
    /// Number of links.
    pub links: usize,
    /// Number of notes.
    pub notes: usize,
    /// Resources per kind, by kind name.
    pub by_kind: BTreeMap<String, usize>,
    /// Resources per category.
    pub by_category: BTreeMap<String, usize>,
    /// The containment tree of containers.
    pub containers: Vec<ContainerNode>,
    /// Every link.
    pub link_list: Vec<LinkRow>,
    /// Resources grouped by their distance from the traffic sources along traffic links.
    pub traffic_tiers: Vec<Vec<String>>,
}

/// A container and what it holds.
#[derive(Debug, Serialize)]
pub struct ContainerNode {
    /// Id.
    pub id: String,
    /// Kind name.
    pub kind: String,
    /// Display name.
    pub name: String,
    /// The key setting: a CIDR, a zone or a Region code.
    pub detail: String,
    /// Ids of the non-container resources directly inside.
    pub resources: Vec<String>,
    /// Containers directly inside.
    pub children: Vec<ContainerNode>,
}

/// One link.
#[derive(Debug, Serialize)]
pub struct LinkRow {
    /// Start.
    pub from: String,
    /// End.
    pub to: String,
    /// Meaning.
    pub kind: LinkKind,
    /// Label.
    pub label: String,
}

/// Builds the report of `diagram`.
pub fn report(diagram: &Diagram, file: Option<&Path>) -> InfoReport {
    let catalog = catalog();
    let mut by_category = BTreeMap::new();
    for resource in diagram.resources() {
        let category = catalog.info(resource.kind()).category;
        let name = catalog
            .category(category)
            .map_or_else(|| format!("{category:?}"), |c| c.name.clone());
        *by_category.entry(name).or_insert(0) += 1;
    }
    let children = diagram.children_index();
    let containers = diagram
        .children(None)
        .filter(|r| catalog.is_container(r.kind()))
        .map(|r| container_node(diagram, &children, r))
        .collect();
    InfoReport {
        name: diagram.name.clone(),
        description: diagram.description.clone(),
        region: diagram.region.clone(),
        file: file.map(|f| f.display().to_string()),
        resources: diagram.len(),
        links: diagram.links().len(),
        notes: diagram.notes().len(),
        by_kind: diagram
            .count_by_kind()
            .into_iter()
            .map(|(k, n)| (k.name().to_owned(), n))
            .collect(),
        by_category,
        containers,
        link_list: diagram
            .links()
            .iter()
            .map(|l| LinkRow {
                from: l.from.to_string(),
                to: l.to.to_string(),
                kind: l.kind,
                label: l.label.clone(),
            })
            .collect(),
        traffic_tiers: traffic_tiers(diagram),
    }
}

fn container_node(
    diagram: &Diagram,
    children: &HashMap<&ResourceId, Vec<&ResourceId>>,
    resource: &Resource,
) -> ContainerNode {
    let catalog = catalog();
    let mut node = ContainerNode {
        id: resource.id.to_string(),
        kind: catalog.name(resource.kind()).to_owned(),
        name: resource.name.clone(),
        detail: container_detail(&resource.config),
        resources: Vec::new(),
        children: Vec::new(),
    };
    for child_id in children.get(&resource.id).into_iter().flatten() {
        let Some(child) = diagram.resource(child_id.as_str()) else {
            continue;
        };
        if catalog.is_container(child.kind()) {
            node.children.push(container_node(diagram, children, child));
        } else {
            node.resources.push(child.id.to_string());
        }
    }
    node
}

fn container_detail(config: &Config) -> String {
    match config {
        Config::Region(r) => r.code.clone(),
        Config::Vpc(v) => v.cidr.clone(),
        Config::AvailabilityZone(az) => az.zone.clone(),
        Config::Subnet(s) => {
            let tier = if s.tier == SubnetTier::Public {
                "public"
            } else {
                "private"
            };
            format!("{} {tier}", s.cidr)
        }
        _ => String::new(),
    }
}

/// Breadth-first tiers along traffic links, starting from resources that send traffic
/// but receive none.
fn traffic_tiers(diagram: &Diagram) -> Vec<Vec<String>> {
    let graph = diagram.link_graph(&[LinkKind::Traffic]);
    let sources: Vec<&str> = diagram
        .resources()
        .map(|r| r.id.as_str())
        .filter(|id| {
            graph
                .neighbors_directed(id, Direction::Outgoing)
                .next()
                .is_some()
                && graph
                    .neighbors_directed(id, Direction::Incoming)
                    .next()
                    .is_none()
        })
        .collect();
    let mut depth: HashMap<&str, usize> = sources.iter().map(|s| (*s, 0)).collect();
    let mut queue: VecDeque<&str> = sources.into_iter().collect();
    while let Some(node) = queue.pop_front() {
        let next_depth = depth[node] + 1;
        for next in graph.neighbors_directed(node, Direction::Outgoing) {
            if !depth.contains_key(next) {
                depth.insert(next, next_depth);
                queue.push_back(next);
            }
        }
    }
    let mut tiers: Vec<Vec<String>> = Vec::new();
    for resource in diagram.resources() {
        if let Some(&d) = depth.get(resource.id.as_str()) {
            if tiers.len() <= d {
                tiers.resize(d + 1, Vec::new());
            }
            tiers[d].push(resource.id.to_string());
        }
    }
    tiers
}

/// Writes the report of `diagram` in `format`.
pub fn write(
    diagram: &Diagram,
    file: Option<&Path>,
    format: Format,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let report = report(diagram, file);
    match format {
        Format::Json => {
            let text =
                serde_json::to_string_pretty(&report).map_err(|e| Failure::usage(e.to_string()))?;
            writeln!(out, "{text}").map_err(write_failed)
        }
        Format::Text => write_text(&report, out).map_err(write_failed),
    }
}

fn write_text(report: &InfoReport, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "{}", report.name)?;
    if let Some(file) = &report.file {
        writeln!(out, "{file}")?;
    }
    writeln!(
        out,
        "Region {} · {} resources · {} links · {} notes",
        report.region, report.resources, report.links, report.notes
    )?;
    if !report.description.is_empty() {
        writeln!(out)?;
        for line in wrap(&report.description, 88) {
            writeln!(out, "{line}")?;
        }
    }
    if !report.containers.is_empty() {
        writeln!(out, "\nContainers")?;
        for node in &report.containers {
            write_container(node, 1, out)?;
        }
    }
    writeln!(out, "\nResources by kind")?;
    let catalog = catalog();
    for (kind, count) in &report.by_kind {
        let name = crate::model::Kind::from_name(kind).map_or(kind.as_str(), |k| catalog.name(k));
        writeln!(out, "  {count:>4}  {name}")?;
    }
    if !report.link_list.is_empty() {
        writeln!(out, "\nLinks")?;
        let width = report
            .link_list
            .iter()
            .map(|l| l.from.len() + l.to.len())
            .max()
            .unwrap_or(0)
            + 3;
        for link in &report.link_list {
            let ends = format!("{} → {}", link.from, link.to);
            let label = if link.label.is_empty() {
                String::new()
            } else {
                format!("  \"{}\"", link.label)
            };
            writeln!(out, "  {ends:width$}  {}{label}", link.kind.label())?;
        }
    }
    if !report.traffic_tiers.is_empty() {
        writeln!(out, "\nTraffic path")?;
        for (depth, tier) in report.traffic_tiers.iter().enumerate() {
            writeln!(out, "  {}. {}", depth + 1, tier.join(", "))?;
        }
    }
    Ok(())
}

fn write_container(node: &ContainerNode, depth: usize, out: &mut dyn Write) -> std::io::Result<()> {
    let indent = "  ".repeat(depth);
    let name = if node.name.is_empty() {
        String::new()
    } else {
        format!(" \"{}\"", node.name)
    };
    let detail = if node.detail.is_empty() {
        String::new()
    } else {
        format!(" {}", node.detail)
    };
    let count = match node.resources.len() {
        0 => String::new(),
        1 => " · 1 resource".to_owned(),
        n => format!(" · {n} resources"),
    };
    writeln!(
        out,
        "{indent}{} {}{name}{detail}{count}",
        node.kind, node.id
    )?;
    for child in &node.children {
        write_container(child, depth + 1, out)?;
    }
    Ok(())
}

fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_counts_and_traces_the_request_path() {
        let d = crate::library::templates::find("employee-directory")
            .unwrap()
            .load()
            .unwrap();
        let r = report(&d, None);
        assert_eq!(r.resources, d.len());
        assert_eq!(r.by_kind["AvailabilityZone"], 2);
        assert_eq!(r.traffic_tiers[0], ["users"]);
        assert_eq!(r.traffic_tiers[1], ["alb"]);
        assert_eq!(r.traffic_tiers[2], ["app-asg"]);
        assert_eq!(r.containers.len(), 1, "one Region at the top");
        let vpc = &r.containers[0].children[0];
        assert_eq!(vpc.detail, "10.1.0.0/16");
        assert!(vpc.resources.contains(&"alb".to_owned()));
    }

    #[test]
    fn wrap_keeps_lines_short() {
        let lines = wrap(&"word ".repeat(50), 20);
        assert!(lines.iter().all(|l| l.len() <= 20));
        assert_eq!(lines.join(" "), "word ".repeat(50).trim());
    }
}
