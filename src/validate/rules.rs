//! The words of each rule, loaded once from `rules.ron`: title, severity, pillar, why it
//! matters (taught from the course) and how to fix it.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

use super::{Pillar, Severity};

const RULES_RON: &str = include_str!("rules.ron");

/// What a rule checks and teaches.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleInfo {
    /// Stable id: an area prefix and a number, such as `NET004`.
    pub id: String,
    /// One line: what the rule wants.
    pub title: String,
    /// How bad a breach is.
    pub severity: Severity,
    /// The Well-Architected pillar it serves.
    pub pillar: Pillar,
    /// Why it matters.
    pub why: String,
    /// How to put it right.
    pub fix: String,
}

struct Rules {
    list: Vec<RuleInfo>,
    by_id: HashMap<String, usize>,
}

fn loaded() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| {
        // The file ships inside the binary and a test parses it: an error here is a
        // build defect, reported by that test; the program then runs without rule words.
        let list: Vec<RuleInfo> = ron::from_str(RULES_RON).unwrap_or_default();
        let by_id = list
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), i))
            .collect();
        Rules { list, by_id }
    })
}

/// Every rule, in the order of `rules.ron`.
pub fn rules() -> &'static [RuleInfo] {
    &loaded().list
}

/// The rule with `id`.
pub fn rule(id: &str) -> Option<&'static RuleInfo> {
    let rules = loaded();
    rules.by_id.get(id).map(|&i| &rules.list[i])
}

/// Stands in for an id missing from `rules.ron` (a defect the tests catch).
pub(super) fn unknown_rule() -> &'static RuleInfo {
    static UNKNOWN: OnceLock<RuleInfo> = OnceLock::new();
    UNKNOWN.get_or_init(|| RuleInfo {
        id: "UNKNOWN".into(),
        title: "Unknown rule".into(),
        severity: Severity::Warning,
        pillar: Pillar::OperationalExcellence,
        why: String::new(),
        fix: String::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rule_file_parses_with_unique_well_formed_ids_and_real_words() {
        let list: Vec<RuleInfo> = ron::from_str(RULES_RON).unwrap_or_else(|e| panic!("{e}"));
        assert!(list.len() >= 60, "{} rules", list.len());
        let mut seen = std::collections::HashSet::new();
        for r in &list {
            assert!(seen.insert(&r.id), "duplicate id {}", r.id);
            let (prefix, number) = r.id.split_at(3);
            assert!(
                ["NET", "SEC", "REL", "CMP", "STO", "GRF", "OPS", "CST"].contains(&prefix)
                    && number.len() == 3
                    && number.chars().all(|c| c.is_ascii_digit()),
                "id {}",
                r.id
            );
            assert!(
                r.title.len() > 10 && r.why.len() > 40 && r.fix.len() > 10,
                "{}",
                r.id
            );
        }
        assert_eq!(rules().len(), list.len());
    }
}
