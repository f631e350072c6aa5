//! What the checks need to know about a diagram, worked out once per validation: resources
//! by kind, where each one sits (subnet, AZ, VPC, Region), links by end, and the subnets,
//! AZs and security groups each resource uses.

use std::collections::{BTreeSet, HashMap};

use crate::model::config::network::SubnetTier;
use crate::model::refs::References;
use crate::model::{Config, Diagram, Kind, Link, LinkKind, Resource, ResourceId};

/// The containers enclosing a resource.
#[derive(Clone, Copy, Default)]
pub(crate) struct Place<'a> {
    pub subnet: Option<&'a Resource>,
    pub az: Option<&'a Resource>,
    pub vpc: Option<&'a Resource>,
    pub region: Option<&'a Resource>,
}

pub(crate) struct Ctx<'a> {
    pub d: &'a Diagram,
    by_kind: HashMap<Kind, Vec<&'a Resource>>,
    places: HashMap<&'a str, Place<'a>>,
    links_from: HashMap<&'a str, Vec<&'a Link>>,
    links_to: HashMap<&'a str, Vec<&'a Link>>,
    /// The subnets each resource names in its configuration (only those that name any).
    named_subnets: HashMap<&'a str, Vec<&'a Resource>>,
}

impl<'a> Ctx<'a> {
    pub fn new(d: &'a Diagram) -> Self {
        let mut by_kind: HashMap<Kind, Vec<&Resource>> = HashMap::new();
        let mut places = HashMap::with_capacity(d.len());
        for r in d.resources() {
            by_kind.entry(r.kind()).or_default().push(r);
            let mut place = Place::default();
            for a in d.ancestors(r.id.as_str()) {
                let slot = match a.kind() {
                    Kind::Subnet => &mut place.subnet,
                    Kind::AvailabilityZone => &mut place.az,
                    Kind::Vpc => &mut place.vpc,
                    Kind::Region => &mut place.region,
                    _ => continue,
                };
                slot.get_or_insert(a);
            }
            places.insert(r.id.as_str(), place);
        }
        let mut named_subnets = HashMap::new();
        for r in d.resources() {
            let mut named: Vec<&Resource> = Vec::new();
            r.config.for_each_ref(&mut |id| {
                if let Some(s) = d.resource(id.as_str())
                    && s.kind() == Kind::Subnet
                    && !named.iter().any(|n| n.id == s.id)
                {
                    named.push(s);
                }
            });
            if !named.is_empty() {
                named_subnets.insert(r.id.as_str(), named);
            }
        }
        let mut links_from: HashMap<&str, Vec<&Link>> = HashMap::new();
        let mut links_to: HashMap<&str, Vec<&Link>> = HashMap::new();
        for l in d.links() {
            links_from.entry(l.from.as_str()).or_default().push(l);
            links_to.entry(l.to.as_str()).or_default().push(l);
        }
        Self {
            d,
            by_kind,
            places,
            links_from,
            links_to,
            named_subnets,
        }
    }

    /// Resources of `kind`, in diagram order.
    pub fn of_kind(&self, kind: Kind) -> &[&'a Resource] {
        self.by_kind.get(&kind).map_or(&[], Vec::as_slice)
    }

    pub fn get(&self, id: &str) -> Option<&'a Resource> {
        self.d.resource(id)
    }

    /// The containers enclosing `id`.
    pub fn place(&self, id: &str) -> Place<'a> {
        self.places.get(id).copied().unwrap_or_default()
    }

    /// Resources at the far end of `id`'s outgoing links of `kind`.
    pub fn targets(&self, id: &str, kind: LinkKind) -> impl Iterator<Item = &'a Resource> + '_ {
        self.links_from
            .get(id)
            .into_iter()
            .flatten()
            .filter(move |l| l.kind == kind)
            .filter_map(|l| self.d.resource(l.to.as_str()))
    }

    /// Resources at the near end of links of `kind` arriving at `id`.
    pub fn sources(&self, id: &str, kind: LinkKind) -> impl Iterator<Item = &'a Resource> + '_ {
        self.links_to
            .get(id)
            .into_iter()
            .flatten()
            .filter(move |l| l.kind == kind)
            .filter_map(|l| self.d.resource(l.from.as_str()))
    }

    /// The subnets a resource uses: those its configuration names, or else the one it is
    /// drawn in.
    pub fn subnets_of(&self, r: &Resource) -> Vec<&'a Resource> {
        match self.named_subnets.get(r.id.as_str()) {
            Some(named) => named.clone(),
            None => self.place(r.id.as_str()).subnet.into_iter().collect(),
        }
    }

    /// The AZs a resource runs in, through its subnets (or the AZ it is drawn in).
    pub fn azs_of(&self, r: &Resource) -> BTreeSet<&'a ResourceId> {
        let mut azs: BTreeSet<&ResourceId> = self
            .subnets_of(r)
            .iter()
            .filter_map(|s| self.place(s.id.as_str()).az.map(|az| &az.id))
            .collect();
        if azs.is_empty()
            && let Some(az) = self.place(r.id.as_str()).az
        {
            azs.insert(&az.id);
        }
        azs
    }

    /// The security groups a resource uses (an Auto Scaling group: its launch template's).
    pub fn security_groups_of(&self, r: &Resource) -> Vec<&'a Resource> {
        crate::reach::security_groups(self.d, r)
    }

    /// The tier of a subnet.
    pub fn tier(subnet: &Resource) -> Option<SubnetTier> {
        match &subnet.config {
            Config::Subnet(s) => Some(s.tier),
            _ => None,
        }
    }

    /// The Region code a resource is priced and placed in.
    pub fn region_code(&self, id: &str) -> &'a str {
        match self.place(id).region.map(|r| &r.config) {
            Some(Config::Region(region)) => &region.code,
            _ => &self.d.region,
        }
    }
}
