//! The diagram as a draw.io file (mxGraph XML), with draw.io's own AWS shapes: Regions,
//! VPCs, zones and subnets as its AWS groups holding what they hold, resources as its AWS
//! service icons, links as connectors between them, notes as notes. It opens in draw.io
//! (diagrams.net) for further editing.

use std::fmt::Write as _;

use crate::model::catalog::{Category, DrawioShape, catalog};
use crate::model::config::network::SubnetTier;
use crate::model::{Config, Diagram, Kind, LinkKind, Resource};
use crate::style;

/// Size of a service icon inside a resource's card.
const ICON: f32 = 48.0;

/// Gradient and fill of draw.io's AWS icons by service family.
const COMPUTE: (&str, &str) = ("#F78E04", "#D05C17");
const STORAGE: (&str, &str) = ("#60A337", "#277116");
const DATABASE: (&str, &str) = ("#4D72F3", "#3334B9");
const NETWORK: (&str, &str) = ("#945DF2", "#5A30B5");
const INTEGRATION: (&str, &str) = ("#F34482", "#BC1356");
const SECURITY: (&str, &str) = ("#F54749", "#C7131F");

/// The draw.io AWS icon of a kind (the catalog's `drawio`): its `resIcon` name and the
/// colours of its service family, or a plain shape (`group` for containers).
fn icon(kind: Kind) -> Result<(&'static str, (&'static str, &'static str)), &'static str> {
    let info = catalog().info(kind);
    match &info.drawio {
        DrawioShape::Icon(name) => Ok((name.as_str(), family_colours(info.category))),
        DrawioShape::Shape(name) => Err(name.as_str()),
        DrawioShape::Group => Err("group"),
    }
}

/// draw.io's gradient and fill for the icons of a category.
fn family_colours(category: Category) -> (&'static str, &'static str) {
    match category {
        Category::Compute | Category::Containers => COMPUTE,
        Category::Storage => STORAGE,
        Category::Database => DATABASE,
        Category::Networking | Category::Analytics | Category::External => NETWORK,
        Category::Integration | Category::Management => INTEGRATION,
        Category::Security => SECURITY,
    }
}

/// The style of a resource's cell.
fn vertex_style(r: &Resource) -> String {
    const LABEL: &str = "outlineConnect=0;fontColor=#232F3E;dashed=0;verticalLabelPosition=bottom;verticalAlign=top;align=center;html=1;whiteSpace=wrap;fontSize=11;fontStyle=0;aspect=fixed;";
    const GROUP: &str = "points=[[0,0],[0.25,0],[0.5,0],[0.75,0],[1,0],[1,0.25],[1,0.5],[1,0.75],[1,1],[0.75,1],[0.5,1],[0.25,1],[0,1],[0,0.75],[0,0.5],[0,0.25]];outlineConnect=0;gradientColor=none;html=1;whiteSpace=wrap;fontSize=12;fontStyle=0;container=1;pointerEvents=0;collapsible=0;recursiveResize=0;verticalAlign=top;align=left;";
    match (&r.config, icon(r.kind())) {
        (Config::Region(_), _) => format!(
            "{GROUP}shape=mxgraph.aws4.group;grIcon=mxgraph.aws4.group_region;strokeColor=#147EBA;fillColor=none;spacingLeft=30;fontColor=#147EBA;dashed=1;"
        ),
        (Config::Vpc(_), _) => format!(
            "{GROUP}shape=mxgraph.aws4.group;grIcon=mxgraph.aws4.group_vpc2;strokeColor=#8C4FFF;fillColor=none;spacingLeft=30;fontColor=#AAB7B8;dashed=0;"
        ),
        (Config::AvailabilityZone(_), _) => format!(
            "{GROUP}fillColor=none;strokeColor=#147EBA;dashed=1;fontColor=#147EBA;spacingLeft=8;"
        ),
        (Config::Subnet(s), _) => {
            let (stroke, fill) = if s.tier == SubnetTier::Public {
                ("#7AA116", "#F2F6E8")
            } else {
                ("#00A4A6", "#E6F6F7")
            };
            format!(
                "{GROUP}shape=mxgraph.aws4.group;grIcon=mxgraph.aws4.group_security_group;grStroke=0;strokeColor={stroke};fillColor={fill};spacingLeft=30;fontColor={stroke};dashed=0;"
            )
        }
        (_, Ok((res_icon, (gradient, fill)))) => format!(
            "{LABEL}gradientColor={gradient};gradientDirection=north;fillColor={fill};strokeColor=#ffffff;shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.{res_icon};"
        ),
        (_, Err(shape)) => format!(
            "{LABEL}gradientColor=none;fillColor={};strokeColor=none;pointerEvents=1;shape=mxgraph.aws4.{shape};",
            style::kind_color(r.kind()).hex()
        ),
    }
}

fn edge_style(kind: LinkKind) -> &'static str {
    match kind {
        LinkKind::Traffic => {
            "edgeStyle=orthogonalEdgeStyle;rounded=1;html=1;endArrow=block;endFill=1;strokeColor=#545B64;"
        }
        LinkKind::Replication => {
            "edgeStyle=orthogonalEdgeStyle;rounded=1;html=1;endArrow=block;endFill=1;dashed=1;strokeColor=#3334B9;"
        }
        LinkKind::EventTrigger => {
            "edgeStyle=orthogonalEdgeStyle;rounded=1;html=1;endArrow=open;endFill=0;dashed=1;dashPattern=8 4;strokeColor=#BC1356;"
        }
        LinkKind::Attachment => {
            "edgeStyle=orthogonalEdgeStyle;rounded=1;html=1;endArrow=none;dashed=1;dashPattern=1 3;strokeColor=#879196;"
        }
        LinkKind::Peering => {
            "edgeStyle=orthogonalEdgeStyle;rounded=1;html=1;endArrow=none;strokeWidth=2;strokeColor=#5A30B5;"
        }
        LinkKind::HybridConnection => {
            "edgeStyle=orthogonalEdgeStyle;rounded=1;html=1;endArrow=none;strokeWidth=3;strokeColor=#147EBA;"
        }
    }
}

/// Text for an XML attribute.
fn escape(text: &str) -> String {
    // A line break in an attribute would be read back as a space.
    super::escape::xml(text).replace('\n', "&#10;")
}

/// A label as draw.io's HTML labels show it: `<` and `&` as text, lines as breaks.
fn label(text: &str) -> String {
    escape(
        &text
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('\n', "<br>"),
    )
}

/// Numbers as draw.io writes them.
fn n(v: f32) -> String {
    let r = (v * 100.0).round() / 100.0;
    if r.fract() == 0.0 {
        format!("{}", r as i64)
    } else {
        format!("{r}")
    }
}

/// The diagram as a `.drawio` document.
pub fn drawio(diagram: &Diagram) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<mxfile host="cloudcanvas" type="device">
  <diagram id="cloudcanvas" name="{}">
    <mxGraphModel grid="1" gridSize="10" guides="1" tooltips="1" connect="1" arrows="1" fold="1" page="0" pageScale="1" math="0" shadow="0">
      <root>
        <mxCell id="0"/>
        <mxCell id="1" parent="0"/>
"#,
        escape(&diagram.name)
    );
    // Parents before children: draw.io nests a cell in its parent's coordinates. Each
    // container's children are gathered in one pass, in drawing order.
    let mut children_of: std::collections::HashMap<Option<&str>, Vec<&Resource>> =
        std::collections::HashMap::new();
    for r in diagram.resources() {
        children_of
            .entry(r.parent.as_ref().map(|p| p.as_str()))
            .or_default()
            .push(r);
    }
    let mut order: Vec<&Resource> = Vec::new();
    let mut queue: Vec<Option<&str>> = vec![None];
    while let Some(parent) = queue.pop() {
        let children = children_of.remove(&parent).unwrap_or_default();
        for child in children.iter().rev() {
            queue.push(Some(child.id.as_str()));
        }
        order.extend(children);
    }
    for r in order {
        let parent = r.parent.as_ref().and_then(|p| diagram.resource(p.as_str()));
        let (ox, oy) = parent.map_or((0.0, 0.0), |p| (p.rect.x, p.rect.y));
        let parent_id = parent.map_or("1".to_string(), |p| cell_id(p.id.as_str()));
        let rect = r.rect;
        let (x, y, w, h) = if icon(r.kind()) == Err("group") {
            (rect.x - ox, rect.y - oy, rect.w, rect.h)
        } else {
            // The icon at the top of the card, the name beneath it.
            (
                rect.x - ox + (rect.w - ICON) / 2.0,
                rect.y - oy + 6.0,
                ICON,
                ICON,
            )
        };
        let name = if r.name.is_empty() {
            crate::model::catalog::catalog().name(r.kind()).to_string()
        } else {
            r.name.clone()
        };
        let _ = writeln!(
            out,
            r#"        <mxCell id="{}" value="{}" style="{}" vertex="1" parent="{parent_id}">
          <mxGeometry x="{}" y="{}" width="{}" height="{}" as="geometry"/>
        </mxCell>"#,
            cell_id(r.id.as_str()),
            label(&name),
            escape(&vertex_style(r)),
            n(x),
            n(y),
            n(w),
            n(h),
        );
    }
    // Each link keeps the route the canvas draws: its bends become the edge's waypoints,
    // which draw.io's orthogonal edges pass through.
    let routes = crate::layout::routes::Routes::of(diagram);
    for (i, link) in diagram.links().iter().enumerate() {
        let route = routes.route_of(diagram, i);
        let bends = route
            .get(1..route.len().saturating_sub(1))
            .unwrap_or_default();
        let geometry = if bends.is_empty() {
            r#"<mxGeometry relative="1" as="geometry"/>"#.to_string()
        } else {
            let points: String = bends
                .iter()
                .map(|p| format!(r#"<mxPoint x="{}" y="{}"/>"#, n(p.x), n(p.y)))
                .collect();
            format!(
                r#"<mxGeometry relative="1" as="geometry"><Array as="points">{points}</Array></mxGeometry>"#
            )
        };
        let _ = writeln!(
            out,
            r#"        <mxCell id="link-{i}" value="{}" style="{}" edge="1" parent="1" source="{}" target="{}">
          {geometry}
        </mxCell>"#,
            label(&link.label),
            escape(edge_style(link.kind)),
            cell_id(link.from.as_str()),
            cell_id(link.to.as_str()),
        );
    }
    for note in diagram.notes() {
        let fill = style::note_fill(note.color).hex();
        let _ = writeln!(
            out,
            r#"        <mxCell id="{}" value="{}" style="shape=note;whiteSpace=wrap;html=1;size=14;align=left;verticalAlign=top;spacing=8;fillColor={fill};strokeColor=#B7A35A;fontColor=#3D3A2A;" vertex="1" parent="1">
          <mxGeometry x="{}" y="{}" width="{}" height="{}" as="geometry"/>
        </mxCell>"#,
            cell_id(note.id.as_str()),
            label(&note.text),
            n(note.rect.x),
            n(note.rect.y),
            n(note.rect.w),
            n(note.rect.h),
        );
    }
    out.push_str("      </root>\n    </mxGraphModel>\n  </diagram>\n</mxfile>\n");
    out
}

/// A cell id that cannot meet draw.io's own `0` and `1` or a link's.
fn cell_id(id: &str) -> String {
    format!("r-{id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_escaped_and_numbers_short() {
        assert_eq!(escape("a & <b> \"c\""), "a &amp; &lt;b&gt; &quot;c&quot;");
        assert_eq!(n(12.0), "12");
        assert_eq!(n(12.345), "12.35");
    }

    #[test]
    fn containers_hold_their_children_in_their_own_coordinates() {
        let d = crate::library::templates::find("three-tier")
            .and_then(|t| t.load().ok())
            .expect("template");
        let text = drawio(&d);
        let subnet = d.resource("public-a").expect("subnet").rect;
        let zone = d.resource("az-a").expect("zone").rect;
        let cell = text
            .split("<mxCell id=\"r-public-a\"")
            .nth(1)
            .expect("the subnet's cell");
        assert!(cell.contains("parent=\"r-az-a\""), "{cell}");
        assert!(
            cell.contains(&format!("x=\"{}\"", n(subnet.x - zone.x))),
            "{cell}"
        );
        assert!(text.contains("source=\"r-alb\" target=\"r-app-asg\""));
    }
}
