//! The diagram behind the templates: containment from network properties, links from
//! references, then this program's metadata (layout, actors, links no property says).

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::config::{is_part, name_tag};
use super::links::{Found, links};
use super::read::config_of;
use super::{Doc, ImportError, Imported, refs};
use crate::layout;
use crate::model::catalog::catalog;
use crate::model::geom::Rect;
use crate::model::{Config, Diagram, Kind, Link, LinkKind, Resource, ResourceId};

/// Builds the diagram.
pub(super) fn build(doc: Doc) -> Result<Imported, ImportError> {
    let mut resources: Vec<Resource> = Vec::new();
    let mut kinds: HashMap<ResourceId, Kind> = HashMap::new();
    // Containers and actors the metadata describes.
    for described in doc.stacks.iter().flat_map(|m| {
        let containers = m
            .get("Containers")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let actors = m
            .get("Actors")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        containers.into_iter().chain(actors)
    }) {
        if let Some(r) = described_resource(&described) {
            kinds.insert(r.id.clone(), r.kind());
            resources.push(r);
        }
    }
    let regions = region_containers(&doc, &mut resources, &mut kinds);
    let mut zones: HashMap<(ResourceId, String), ResourceId> = resources
        .iter()
        .filter_map(|r| match (&r.config, &r.parent) {
            (Config::AvailabilityZone(z), Some(vpc)) => {
                Some(((vpc.clone(), z.zone.clone()), r.id.clone()))
            }
            _ => None,
        })
        .collect();
    let mut unsupported = Vec::new();
    for (logical, r) in &doc.res {
        let (Some(id), Some(kind)) = (doc.ids.get(logical), doc.kinds.get(logical)) else {
            if super::config::kind_of(&doc, logical, r).is_none()
                && !is_part(&r.kind)
                && !r.kind.is_empty()
            {
                let known = r.kind.starts_with("AWS::EFS::MountTarget")
                    || matches!(
                        r.kind.as_str(),
                        "AWS::EC2::EIP"
                            | "AWS::EC2::LaunchTemplate"
                            | "AWS::RDS::DBInstance"
                            | "AWS::CloudWatch::Alarm"
                            | "AWS::Logs::LogGroup"
                    );
                if !known {
                    unsupported.push((logical.clone(), r.kind.clone()));
                }
            }
            continue;
        };
        let name = r
            .meta
            .as_ref()
            .and_then(|m| m.get("Name"))
            .and_then(Value::as_str)
            .map(str::to_string)
            .or_else(|| name_tag(r))
            .unwrap_or_else(|| logical.clone());
        let mut resource = Resource::new(id.clone(), *kind)
            .named(name)
            .with_config(config_of(&doc, logical, r, *kind));
        if let Some(rect) = r.meta.as_ref().and_then(|m| rect(&m["Rect"])) {
            resource.rect = rect;
        }
        kinds.insert(id.clone(), *kind);
        resources.push(resource);
    }
    // Parents, now that every resource is known.
    let region_of = |logical: &str| {
        doc.res
            .get(logical)
            .map(|r| r.region.clone())
            .unwrap_or_default()
    };
    let logicals: Vec<(String, ResourceId)> = doc
        .ids
        .iter()
        .map(|(l, i)| (l.clone(), i.clone()))
        .collect();
    let by_id: HashMap<ResourceId, String> = logicals
        .iter()
        .map(|(l, i)| (i.clone(), l.clone()))
        .collect();
    let mut new_zones = Vec::new();
    for resource in resources.iter_mut() {
        let Some(logical) = by_id.get(&resource.id) else {
            continue;
        };
        let region = regions.get(&region_of(logical)).cloned();
        let parent = parent_of(
            &doc,
            logical,
            resource.kind(),
            region.as_ref(),
            &mut zones,
            &mut new_zones,
        );
        // The zones made so far are few; the resources' kinds are looked up, not copied.
        let kind_of = |id: &ResourceId| {
            kinds.get(id).copied().or_else(|| {
                new_zones
                    .iter()
                    .any(|(zone, _, _)| zone == id)
                    .then_some(Kind::AvailabilityZone)
            })
        };
        resource.parent = allowed_parent(parent, resource.kind(), &kind_of, region.as_ref());
    }
    // Each new zone goes first, the last made foremost, in one move of the list.
    let mut zones_first = Vec::with_capacity(new_zones.len());
    for (id, zone, vpc) in new_zones {
        let mut az = Resource::new(id.clone(), Kind::AvailabilityZone)
            .named(zone.clone())
            .with_config(Config::AvailabilityZone(
                crate::model::config::network::AvailabilityZone { zone },
            ));
        az.parent = Some(vpc);
        kinds.insert(id, Kind::AvailabilityZone);
        zones_first.push(az);
    }
    zones_first.reverse();
    resources.splice(0..0, zones_first);
    let links = links(&doc, &kinds);
    finish(&doc, resources, links, unsupported)
}

/// A container or actor written whole in the metadata.
fn described_resource(v: &Value) -> Option<Resource> {
    let kind = Kind::from_name(v.get("Kind")?.as_str()?)?;
    let id = ResourceId::new(v.get("Id")?.as_str()?).ok()?;
    let config = v
        .get("Config")
        .and_then(Value::as_str)
        .and_then(|text| serde_json::from_str(text).ok())
        .and_then(|json| Config::from_json(kind, json).ok())
        .unwrap_or_else(|| Config::default_for(kind));
    let mut r = Resource::new(id, kind)
        .named(v.get("Name").and_then(Value::as_str).unwrap_or(""))
        .with_config(config);
    r.parent = v
        .get("Parent")
        .and_then(Value::as_str)
        .and_then(|p| ResourceId::new(p).ok());
    if let Some(rect) = v.get("Rect").and_then(rect) {
        r.rect = rect;
    }
    Some(r)
}

fn rect(v: &Value) -> Option<Rect> {
    let n = |i: usize| v.get(i).and_then(Value::as_f64).map(|x| x as f32);
    let rect = Rect::new(n(0)?, n(1)?, n(2)?, n(3)?);
    (rect.is_well_formed() && !rect.is_unplaced()).then_some(rect)
}

/// The Region container of each stack's Region: from the metadata, or made.
fn region_containers(
    doc: &Doc,
    resources: &mut Vec<Resource>,
    kinds: &mut HashMap<ResourceId, Kind>,
) -> HashMap<String, ResourceId> {
    let mut out: HashMap<String, ResourceId> = resources
        .iter()
        .filter_map(|r| match &r.config {
            Config::Region(c) => Some((c.code.clone(), r.id.clone())),
            _ => None,
        })
        .collect();
    let mut wanted: Vec<String> = doc.res.values().map(|r| r.region.clone()).collect();
    wanted.dedup();
    for code in wanted {
        if out.contains_key(&code) {
            continue;
        }
        let base = if out.is_empty() {
            "region".to_string()
        } else {
            format!("region-{code}")
        };
        // A template may hold a resource of that name (a logical id `Region`).
        let id = super::fresh_id(&base, |id| kinds.contains_key(id) || doc.taken.contains(id));
        let config = crate::model::config::network::Region {
            code: code.clone(),
            ..Default::default()
        };
        resources.insert(
            0,
            Resource::new(id.clone(), Kind::Region)
                .named(code.clone())
                .with_config(Config::Region(config)),
        );
        kinds.insert(id.clone(), Kind::Region);
        out.insert(code, id);
    }
    out
}

/// The VPC a subnet belongs to.
fn vpc_of_subnet(doc: &Doc, subnet: &str) -> Option<ResourceId> {
    doc.res.get(subnet).and_then(|s| doc.id(s.prop("VpcId")))
}

/// The VPC of the first subnet in a list of references.
fn vpc_of_subnets(doc: &Doc, list: &Value) -> Option<ResourceId> {
    refs(list).iter().find_map(|s| vpc_of_subnet(doc, s))
}

/// Where a resource sits, before checking the catalog allows it.
fn parent_of(
    doc: &Doc,
    logical: &str,
    kind: Kind,
    region: Option<&ResourceId>,
    zones: &mut HashMap<(ResourceId, String), ResourceId>,
    new_zones: &mut Vec<(ResourceId, String, ResourceId)>,
) -> Option<ResourceId> {
    let r = &doc.res[logical];
    let p = |k: &str| r.prop(k);
    let subnet_list = |v: &Value| -> Option<ResourceId> {
        let subnets = refs(v);
        if subnets.len() == 1 {
            return doc.ids.get(&subnets[0]).cloned();
        }
        vpc_of_subnets(doc, v)
    };
    let group_subnets = |v: &Value| {
        doc.logical(v).and_then(|g| doc.res.get(&g)).map(|g| {
            if g.prop("SubnetIds").is_null() {
                g.prop("Subnets").clone()
            } else {
                g.prop("SubnetIds").clone()
            }
        })
    };
    match kind {
        Kind::Vpc => region.cloned(),
        Kind::Subnet => {
            let vpc = doc.id(p("VpcId"))?;
            let zone = zone_name(p("AvailabilityZone"), &r.region);
            let key = (vpc.clone(), zone.clone());
            if let Some(z) = zones.get(&key) {
                return Some(z.clone());
            }
            let id = super::fresh_id(&format!("{vpc}-{zone}"), |id| {
                doc.taken.contains(id) || zones.values().any(|z| z == id)
            });
            zones.insert(key, id.clone());
            new_zones.push((id.clone(), zone, vpc));
            Some(id)
        }
        Kind::InternetGateway | Kind::VirtualPrivateGateway => {
            let part = if kind == Kind::InternetGateway {
                "InternetGatewayId"
            } else {
                "VpnGatewayId"
            };
            doc.referring("AWS::EC2::VPCGatewayAttachment", part, logical)
                .find_map(|(_, a)| doc.id(a.prop("VpcId")))
        }
        Kind::RouteTable | Kind::NetworkAcl | Kind::SecurityGroup | Kind::VpcEndpoint => {
            doc.id(p("VpcId"))
        }
        Kind::NatGateway | Kind::Ec2Instance | Kind::NetworkInterface => doc
            .id(p("SubnetId"))
            .or_else(|| doc.id(&p("NetworkInterfaces")[0]["SubnetId"])),
        Kind::ApplicationLoadBalancer
        | Kind::NetworkLoadBalancer
        | Kind::GatewayLoadBalancer
        | Kind::ClassicLoadBalancer => vpc_of_subnets(doc, p("Subnets")),
        Kind::AutoScalingGroup => vpc_of_subnets(doc, p("VPCZoneIdentifier")),
        Kind::LambdaFunction => {
            vpc_of_subnets(doc, &p("VpcConfig")["SubnetIds"]).or_else(|| region.cloned())
        }
        Kind::EcsService => vpc_of_subnets(
            doc,
            &p("NetworkConfiguration")["AwsvpcConfiguration"]["Subnets"],
        ),
        Kind::EksCluster => vpc_of_subnets(doc, &p("ResourcesVpcConfig")["SubnetIds"]),
        Kind::FsxFileSystem => vpc_of_subnets(doc, p("SubnetIds")),
        Kind::EfsFileSystem => doc
            .referring("AWS::EFS::MountTarget", "FileSystemId", logical)
            .find_map(|(_, t)| {
                refs(t.prop("SubnetId"))
                    .first()
                    .and_then(|s| vpc_of_subnet(doc, s))
            }),
        Kind::RdsInstance | Kind::ElastiCacheCluster => {
            let key = if r.kind == "AWS::RDS::DBInstance" {
                "DBSubnetGroupName"
            } else {
                "CacheSubnetGroupName"
            };
            group_subnets(p(key)).and_then(|s| subnet_list(&s))
        }
        Kind::AuroraCluster | Kind::DocumentDbCluster | Kind::NeptuneCluster => {
            group_subnets(p("DBSubnetGroupName")).and_then(|s| vpc_of_subnets(doc, &s))
        }
        Kind::MemoryDbCluster => {
            group_subnets(p("SubnetGroupName")).and_then(|s| vpc_of_subnets(doc, &s))
        }
        Kind::ElasticBeanstalkEnvironment => p("OptionSettings")
            .as_array()
            .and_then(|o| {
                o.iter()
                    .find(|x| x["Namespace"] == "aws:ec2:vpc" && x["OptionName"] == "VPCId")
            })
            .and_then(|x| doc.id(&x["Value"]))
            .or_else(|| region.cloned()),
        Kind::EbsVolume => doc
            .referring("AWS::EC2::VolumeAttachment", "VolumeId", logical)
            .find_map(|(_, a)| doc.logical(a.prop("InstanceId")))
            .and_then(|i| doc.res.get(&i))
            .and_then(|i| {
                doc.id(i.prop("SubnetId"))
                    .or_else(|| doc.id(&i.prop("NetworkInterfaces")[0]["SubnetId"]))
            }),
        Kind::ElasticIp => doc
            .referring("AWS::EC2::EIPAssociation", "AllocationId", logical)
            .find_map(|(_, a)| doc.logical(a.prop("InstanceId")))
            .and_then(|i| doc.res.get(&i))
            .and_then(|i| {
                vpc_of_subnets(doc, &i.prop("NetworkInterfaces")[0]["SubnetId"])
                    .or_else(|| vpc_of_subnets(doc, i.prop("SubnetId")))
            })
            .or_else(|| region.cloned()),
        k if catalog().may_contain(Some(Kind::Region), k) => region.cloned(),
        _ => None,
    }
}

/// A zone name from a subnet's `AvailabilityZone`: a name, or `Fn::Select` of an index.
fn zone_name(v: &Value, region: &str) -> String {
    if let Some(name) = v.as_str() {
        return name.to_string();
    }
    let index = v["Fn::Select"][0]
        .as_u64()
        .or_else(|| v["Fn::Select"][0].as_str().and_then(|s| s.parse().ok()))
        .unwrap_or(0);
    format!("{region}{}", (b'a' + index.min(25) as u8) as char)
}

/// `parent` if the catalog lets `kind` sit there, else the nearest enclosing container
/// that does (the top level last).
fn allowed_parent(
    parent: Option<ResourceId>,
    kind: Kind,
    kind_of: &dyn Fn(&ResourceId) -> Option<Kind>,
    region: Option<&ResourceId>,
) -> Option<ResourceId> {
    let cat = catalog();
    let fits = |p: &Option<ResourceId>| cat.may_contain(p.as_ref().and_then(kind_of), kind);
    if fits(&parent) {
        return parent;
    }
    for candidate in [region.cloned(), None] {
        if fits(&candidate) {
            return candidate;
        }
    }
    parent
}

/// Applies the metadata's links, makes the diagram and lays it out when it has no layout.
fn finish(
    doc: &Doc,
    mut resources: Vec<Resource>,
    found: Vec<Found>,
    unsupported: Vec<(String, String)>,
) -> Result<Imported, ImportError> {
    let present: HashSet<ResourceId> = resources.iter().map(|r| r.id.clone()).collect();
    let mut links: Vec<Link> = found
        .into_iter()
        .map(|(f, t, k)| Link::new(f, t, k))
        .collect();
    for meta in &doc.stacks {
        for v in meta
            .get("NotLinks")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(gone) = link_of(v) {
                links.retain(|l| !l.same_as(&gone));
            }
        }
        for v in meta
            .get("Links")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(link) = link_of(v) else { continue };
            if !present.contains(&link.from) || !present.contains(&link.to) {
                continue;
            }
            match links.iter_mut().find(|l| l.same_as(&link)) {
                Some(existing) => existing.label = link.label,
                None => links.push(link),
            }
        }
    }
    // Containers first, so they are drawn beneath what they hold.
    let depth = |r: &Resource| match r.kind() {
        Kind::Region => 0,
        Kind::Vpc => 1,
        Kind::AvailabilityZone => 2,
        Kind::Subnet => 3,
        _ => 4,
    };
    resources.sort_by_key(depth);
    let region = doc
        .stacks
        .first()
        .and_then(|m| m.get("Region"))
        .and_then(Value::as_str)
        .or_else(|| doc.res.values().next().map(|r| r.region.as_str()))
        .unwrap_or(crate::model::DEFAULT_REGION)
        .to_string();
    let name = doc
        .stacks
        .first()
        .and_then(|m| m.get("Diagram"))
        .and_then(Value::as_str)
        .unwrap_or("Imported template")
        .to_string();
    let placed = resources.iter().all(|r| !r.rect.is_unplaced());
    let description = doc
        .stacks
        .first()
        .and_then(|m| m.get("Description"))
        .and_then(Value::as_str)
        .unwrap_or("");
    let description = if description == name {
        String::new()
    } else {
        description.to_string()
    };
    let mut diagram = Diagram::from_parts(name, description, region, resources, links, Vec::new())
        .map_err(|e| {
            ImportError::Empty(format!("the template does not make a valid diagram: {e}"))
        })?;
    if !placed {
        layout::auto_layout(&mut diagram);
    }
    Ok(Imported {
        diagram,
        unsupported,
    })
}

fn link_of(v: &Value) -> Option<Link> {
    let from = ResourceId::new(v.get("From")?.as_str()?).ok()?;
    let to = ResourceId::new(v.get("To")?.as_str()?).ok()?;
    let kind = LinkKind::ALL
        .iter()
        .copied()
        .find(|k| format!("{k:?}") == v.get("Kind").and_then(Value::as_str).unwrap_or(""))?;
    let mut link = Link::new(from, to, kind);
    link.label = v
        .get("Label")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    Some(link)
}
