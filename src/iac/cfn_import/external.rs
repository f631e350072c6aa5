//! VPCs made elsewhere. A stack often places its subnets and security groups in a VPC it
//! does not create: one named by a parameter (`!Ref VpcId`), imported from another stack
//! (`!ImportValue shared-vpc`) or written as an id (`vpc-0abc…`). A subnet must sit in a
//! VPC on the diagram, so such a VPC is drawn, named after where it comes from, with the
//! smallest range that holds its subnets, and the references are pointed at it.

use indexmap::IndexMap;
use ipnet::Ipv4Net;
use serde_json::{Value, json};

use super::{Res, refs};

/// The metadata key that marks a VPC the templates refer to but do not create.
pub(super) const MADE_ELSEWHERE: &str = "MadeElsewhere";

/// Our own templates keep each VPC made elsewhere in their metadata (its logical id, which
/// is the parameter taking its id, its layout and range): each becomes a VPC resource again,
/// marked, under that logical id.
pub(super) fn restore_kept_vpcs(kept: &[Value], region: &str, res: &mut IndexMap<String, Res>) {
    for vpc in kept {
        let Some(logical) = vpc.get("Logical").and_then(Value::as_str) else {
            continue;
        };
        let mut meta = vpc.clone();
        meta[MADE_ELSEWHERE] = json!(true);
        res.insert(
            logical.to_string(),
            Res {
                kind: "AWS::EC2::VPC".into(),
                props: json!({ "CidrBlock": vpc.get("CidrBlock").cloned().unwrap_or(Value::Null) }),
                meta: Some(meta),
                region: region.to_string(),
            },
        );
    }
}

/// Adds a VPC resource for each VPC the resources name but the templates do not create,
/// and points their `VpcId` at it.
pub(super) fn draw_external_vpcs(res: &mut IndexMap<String, Res>) {
    // Label → (logical id given, Region, subnet ranges).
    let mut found: IndexMap<String, (String, String, Vec<Ipv4Net>)> = IndexMap::new();
    let logicals: Vec<String> = res.keys().cloned().collect();
    for logical in &logicals {
        let r = &res[logical];
        let vpc = r.prop("VpcId");
        if vpc.is_null() || refs(vpc).iter().any(|l| res.contains_key(l)) {
            continue;
        }
        let label = label_of(vpc);
        let range = r
            .prop("CidrBlock")
            .as_str()
            .and_then(|c| c.parse::<Ipv4Net>().ok());
        let region = r.region.clone();
        let next = found.len() + 1;
        let entry = found.entry(label).or_insert_with(|| {
            let mut id = format!("ExternalVpc{next}");
            while res.contains_key(&id) {
                id.push('X');
            }
            (id, region, Vec::new())
        });
        entry.2.extend(range);
        let target = json!({ "Ref": entry.0 });
        if let Some(r) = res.get_mut(logical)
            && let Value::Object(props) = &mut r.props
        {
            props.insert("VpcId".into(), target);
        }
    }
    for (label, (logical, region, ranges)) in found {
        let cidr = covering(&ranges).map_or_else(|| "10.0.0.0/16".to_string(), |n| n.to_string());
        res.insert(
            logical,
            Res {
                kind: "AWS::EC2::VPC".into(),
                props: json!({ "CidrBlock": cidr, "Tags": [{ "Key": "Name", "Value": label }] }),
                meta: Some(json!({ "Name": label, MADE_ELSEWHERE: true })),
                region,
            },
        );
    }
}

/// The name of a VPC by where its id comes from.
fn label_of(vpc: &Value) -> String {
    if let Some(name) = vpc.get("Ref").and_then(Value::as_str) {
        return format!("VPC of parameter {name} (made elsewhere)");
    }
    if let Some(import) = vpc.get("Fn::ImportValue") {
        let name = import
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| import.to_string());
        return format!("VPC imported as {name} (made elsewhere)");
    }
    match vpc.as_str() {
        Some(id) => format!("{id} (made elsewhere)"),
        None => "VPC made elsewhere".into(),
    }
}

/// The smallest range that holds every range of `ranges`.
fn covering(ranges: &[Ipv4Net]) -> Option<Ipv4Net> {
    let first = ranges.first()?;
    (0..=first.prefix_len())
        .rev()
        .filter_map(|len| Ipv4Net::new(first.network(), len).ok().map(|n| n.trunc()))
        .find(|candidate| ranges.iter().all(|r| candidate.contains(r)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_covering_range_is_the_smallest_holding_every_subnet() {
        let nets: Vec<Ipv4Net> = ["10.20.1.0/24", "10.20.2.0/24"]
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
        // 10.20.1.0 and 10.20.2.0 first differ in the 23rd bit: a /22 holds both.
        assert_eq!(covering(&nets).unwrap().to_string(), "10.20.0.0/22");
        assert_eq!(covering(&nets[..1]).unwrap().to_string(), "10.20.1.0/24");
        assert_eq!(covering(&[]), None);
    }
}
