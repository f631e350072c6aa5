//! Links between resources.

use serde::{Deserialize, Serialize};

use super::ResourceId;

/// What a link means; the catalog says which kinds each may join.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum LinkKind {
    /// Requests flow from `from` to `to` (users to a load balancer, an app to its database).
    Traffic,
    /// Data is copied from `from` to `to` (read replicas, bucket replication).
    Replication,
    /// An event at `from` invokes `to` (S3 upload to Lambda, a queue to its consumers).
    EventTrigger,
    /// `from` is attached to `to` (a volume to an instance, a policy to a role).
    Attachment,
    /// A VPC peering connection joins a VPC.
    Peering,
    /// A VPN or Direct Connect path between on-premises and AWS.
    HybridConnection,
}

impl LinkKind {
    /// Every link kind.
    pub const ALL: &'static [LinkKind] = &[
        LinkKind::Traffic,
        LinkKind::Replication,
        LinkKind::EventTrigger,
        LinkKind::Attachment,
        LinkKind::Peering,
        LinkKind::HybridConnection,
    ];

    /// A readable name, such as "event trigger".
    pub fn label(self) -> &'static str {
        match self {
            LinkKind::Traffic => "traffic",
            LinkKind::Replication => "replication",
            LinkKind::EventTrigger => "event trigger",
            LinkKind::Attachment => "attachment",
            LinkKind::Peering => "peering",
            LinkKind::HybridConnection => "VPN / Direct Connect",
        }
    }
}

/// A directed link between two resources.
///
/// Invariant (kept by [`super::Diagram`]): both ends exist, differ, and the catalog allows
/// this kind of link between their kinds; no two links share `from`, `to` and `kind`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    /// Where the link starts (the requester, the source of data or events).
    pub from: ResourceId,
    /// Where the link ends.
    pub to: ResourceId,
    /// What the link means.
    pub kind: LinkKind,
    /// Optional text drawn on the link, such as "HTTPS 443".
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label: String,
}

impl Link {
    /// A link without a label.
    pub fn new(from: ResourceId, to: ResourceId, kind: LinkKind) -> Self {
        Self {
            from,
            to,
            kind,
            label: String::new(),
        }
    }

    /// True when both links join the same ends with the same meaning.
    pub fn same_as(&self, other: &Link) -> bool {
        self.from == other.from && self.to == other.to && self.kind == other.kind
    }
}
