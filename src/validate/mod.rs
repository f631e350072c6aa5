//! The validator: best-practice and correctness rules taught by the course, run over a
//! diagram in one pass. Each finding names its rule, severity, Well-Architected pillar, the
//! resources involved, a plain message and, where the remedy is mechanical, a fix made of
//! ordinary diagram edits (so the editor applies it through its undo history).
//!
//! The rules' words (title, why, how to fix) are data in `rules.ron`; the checks are code,
//! one module per area.

mod compute;
mod context;
mod encryption;
mod fix;
mod graph;
mod identity;
mod network;
mod operations;
mod reliability;
mod rules;
pub mod sarif;
mod security;
mod storage;

use serde::{Deserialize, Serialize};

use crate::model::{Diagram, ResourceId};
pub use fix::{Edit, Fix, apply_fix};
pub use rules::{RuleInfo, rule, rules};

use context::Ctx;

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Severity {
    /// AWS would reject it, or it is a serious security hole.
    Error,
    /// Works, but against a best practice the course teaches.
    Warning,
    /// Worth knowing; often a cost or operations hint.
    Info,
}

impl Severity {
    /// Every severity, most serious first.
    pub const ALL: [Severity; 3] = [Severity::Error, Severity::Warning, Severity::Info];

    /// A lower-case name: "error", "warning", "info".
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// The pillar of the AWS Well-Architected Framework a rule serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Pillar {
    /// Protecting data, systems and assets.
    Security,
    /// Recovering from failures and meeting demand.
    Reliability,
    /// Using resources efficiently as demand changes.
    PerformanceEfficiency,
    /// Avoiding unneeded cost.
    CostOptimization,
    /// Running and monitoring systems.
    OperationalExcellence,
}

impl Pillar {
    /// Every pillar.
    pub const ALL: [Pillar; 5] = [
        Pillar::Security,
        Pillar::Reliability,
        Pillar::PerformanceEfficiency,
        Pillar::CostOptimization,
        Pillar::OperationalExcellence,
    ];

    /// A readable name, such as "cost optimization".
    pub fn label(self) -> &'static str {
        match self {
            Pillar::Security => "security",
            Pillar::Reliability => "reliability",
            Pillar::PerformanceEfficiency => "performance efficiency",
            Pillar::CostOptimization => "cost optimization",
            Pillar::OperationalExcellence => "operational excellence",
        }
    }
}

/// One problem found in a diagram.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    /// The rule's stable id, such as `NET004`.
    pub rule: &'static str,
    /// How bad it is.
    pub severity: Severity,
    /// The pillar it serves.
    pub pillar: Pillar,
    /// The resources involved, the one to look at first.
    pub resources: Vec<ResourceId>,
    /// What is wrong here, in words.
    pub message: String,
    /// A mechanical remedy, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
}

impl Finding {
    /// The rule's title, teaching text and remedy.
    pub fn info(&self) -> &'static RuleInfo {
        rule(self.rule).unwrap_or_else(|| rules::unknown_rule())
    }
}

/// Every finding of a diagram, most serious first.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Report {
    /// The findings, ordered by severity, rule and first resource.
    pub findings: Vec<Finding>,
}

impl Report {
    /// Number of findings of `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    /// True when any finding is an error.
    pub fn has_errors(&self) -> bool {
        self.count(Severity::Error) > 0
    }

    /// The findings that involve `id`.
    pub fn about<'a>(&'a self, id: &'a ResourceId) -> impl Iterator<Item = &'a Finding> + 'a {
        self.findings
            .iter()
            .filter(move |f| f.resources.contains(id))
    }
}

/// Collects findings; severity and pillar come from the rule's entry in `rules.ron`.
pub(crate) struct Out {
    findings: Vec<Finding>,
}

impl Out {
    fn emit(
        &mut self,
        rule_id: &'static str,
        resources: Vec<ResourceId>,
        message: String,
        fix: Option<Fix>,
    ) {
        let info = rule(rule_id).unwrap_or_else(|| rules::unknown_rule());
        self.findings.push(Finding {
            rule: rule_id,
            severity: info.severity,
            pillar: info.pillar,
            resources,
            message,
            fix,
        });
    }
}

/// The checks, in the order they run.
const CHECKS: &[fn(&Ctx<'_>, &mut Out)] = &[
    network::check,
    security::check,
    identity::check,
    encryption::check,
    reliability::check,
    compute::check,
    storage::check,
    graph::check,
    operations::check,
];

/// Every finding of `diagram`.
pub fn validate(diagram: &Diagram) -> Report {
    let ctx = Ctx::new(diagram);
    let mut out = Out {
        findings: Vec::new(),
    };
    for check in CHECKS {
        check(&ctx, &mut out);
    }
    let mut findings = out.findings;
    findings.sort_by(|a, b| {
        (a.severity, a.rule, a.resources.first()).cmp(&(b.severity, b.rule, b.resources.first()))
    });
    Report { findings }
}
