//! Names of exported resources: CloudFormation logical ids from diagram ids.

use std::collections::{HashMap, HashSet};

use crate::model::{Diagram, ResourceId};

/// A diagram id as a CloudFormation logical id: its words capitalised and joined
/// (`app-asg` → `AppAsg`), since logical ids allow letters and digits only.
pub fn logical_id(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    let mut upper = true;
    for c in id.chars() {
        if c.is_ascii_alphanumeric() {
            if upper {
                out.push(c.to_ascii_uppercase());
            } else {
                out.push(c);
            }
            upper = false;
        } else {
            upper = true;
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'R');
    }
    out
}

/// `app-asg` → `app_asg`: Terraform names are identifiers.
pub fn snake(id: &str) -> String {
    let mut out: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'r');
    }
    out
}

/// The name both exports give the keyspace of a Keyspaces table, so that a role's access
/// can name its tables: letters, digits and underscores, starting with a letter, at most
/// 48 characters (Amazon Keyspaces' limits).
pub(crate) fn keyspace_name(id: &str) -> String {
    let mut name = snake(id);
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name.insert(0, 'k');
    }
    name.truncate(48);
    name
}

/// Logical ids for a diagram's resources and for what the export derives from them, each
/// unique.
#[derive(Debug, Default)]
pub(crate) struct Names {
    of: HashMap<ResourceId, String>,
    taken: HashSet<String>,
}

impl Names {
    pub(crate) fn new(diagram: &Diagram) -> Self {
        let mut names = Names::default();
        for r in diagram.resources() {
            let name = names.fresh(logical_id(r.id.as_str()));
            names.of.insert(r.id.clone(), name);
        }
        names
    }

    /// The logical id of a diagram resource.
    pub(crate) fn of(&self, id: &str) -> String {
        self.of.get(id).cloned().unwrap_or_else(|| logical_id(id))
    }

    /// A new logical id starting with `base`, numbered when taken.
    pub(crate) fn fresh(&mut self, base: String) -> String {
        let mut name = base.clone();
        let mut n = 2;
        while !self.taken.insert(name.clone()) {
            name = format!("{base}{n}");
            n += 1;
        }
        name
    }

    /// A logical id for something derived from `id` (`AppAsg` + `ScalingPolicy`).
    pub(crate) fn derived(&mut self, id: &str, suffix: &str) -> String {
        let base = format!("{}{suffix}", self.of(id));
        self.fresh(base)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_become_letters_and_digits() {
        assert_eq!(logical_id("app-asg"), "AppAsg");
        assert_eq!(logical_id("east_db.2"), "EastDb2");
        assert_eq!(logical_id("9lives"), "R9lives");
    }
}
