//! Where a resource is: the Region code its prices and placement follow.

use super::{Config, Diagram, Kind};

impl Diagram {
    /// The code of the Region enclosing `id` (such as `eu-west-1`), or the diagram's own
    /// Region for a resource outside any.
    pub fn region_code(&self, id: &str) -> &str {
        match self.enclosing(id, Kind::Region).map(|r| &r.config) {
            Some(Config::Region(r)) => &r.code,
            _ => &self.region,
        }
    }
}
