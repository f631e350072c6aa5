//! Every validator rule against its fixtures (`tests/fixtures/validate/rules.ron`): quiet on
//! a well-architected template, firing once the fixture's edits break it, and, where the
//! finding offers a fix, gone after the fix and back after undo.

use std::collections::BTreeSet;

use cloudcanvas::editor::history::History;
use cloudcanvas::library::templates;
use cloudcanvas::model::overrides;
use cloudcanvas::model::{Diagram, Link, Resource, ResourceId};
use cloudcanvas::validate::{Severity, apply_fix, rules, validate};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Fixture {
    rule: String,
    base: String,
    #[serde(default)]
    base_add: Vec<Resource>,
    #[serde(default)]
    set: Vec<String>,
    #[serde(default)]
    remove: Vec<String>,
    #[serde(default)]
    add: Vec<Resource>,
    #[serde(default)]
    links: Vec<Link>,
    #[serde(default)]
    fix: bool,
}

fn fixtures() -> Vec<Fixture> {
    let path = format!(
        "{}/tests/fixtures/validate/rules.ron",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap();
    ron::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn base(f: &Fixture) -> Diagram {
    let mut d = templates::find(&f.base)
        .unwrap_or_else(|| panic!("no template {}", f.base))
        .load()
        .unwrap();
    for r in &f.base_add {
        d.add(r.clone()).unwrap();
    }
    d
}

fn broken(f: &Fixture, mut d: Diagram) -> Result<Diagram, String> {
    for set in &f.set {
        let o = set.parse().map_err(|e| format!("{set}: {e}"))?;
        overrides::apply(&mut d, &o).map_err(|e| format!("{set}: {e}"))?;
    }
    for id in &f.remove {
        d.remove(&ResourceId::new(id).unwrap())
            .map_err(|e| format!("remove {id}: {e}"))?;
    }
    for r in &f.add {
        d.add(r.clone()).map_err(|e| format!("add {}: {e}", r.id))?;
    }
    for l in &f.links {
        d.add_link(l.clone())
            .map_err(|e| format!("link {} -> {}: {e}", l.from, l.to))?;
    }
    Ok(d)
}

/// Checks one fixture; returns what went wrong.
fn check(f: &Fixture) -> Result<(), String> {
    let rule = f.rule.as_str();
    let before = base(f);
    if let Some(hit) = validate(&before).findings.iter().find(|x| x.rule == rule) {
        return Err(format!("fires on the base: {}", hit.message));
    }
    let mut d = broken(f, before)?;
    if !d.problems().is_empty() {
        return Err(format!("the broken diagram is invalid: {:?}", d.problems()));
    }
    let report = validate(&d);
    let hits: Vec<_> = report.findings.iter().filter(|x| x.rule == rule).collect();
    if hits.is_empty() {
        return Err("does not fire".into());
    }
    let with_fix = hits.iter().find(|h| h.fix.is_some());
    match (f.fix, with_fix) {
        (false, Some(h)) => Err(format!("offers an unexpected fix: {:?}", h.fix)),
        (true, None) => Err("offers no fix".into()),
        (false, None) => Ok(()),
        (true, Some(hit)) => {
            let fix = hit.fix.clone().unwrap();
            let original = d.clone();
            let mut history = History::new(10);
            history.record(fix.label.clone(), original.clone());
            apply_fix(&mut d, &fix).map_err(|e| format!("fix `{}` fails: {e}", fix.label))?;
            if !d.problems().is_empty() {
                return Err(format!("fix leaves problems: {:?}", d.problems()));
            }
            let after = validate(&d);
            if let Some(again) = after
                .findings
                .iter()
                .find(|x| x.rule == rule && x.resources.first() == hit.resources.first())
            {
                return Err(format!(
                    "still fires after `{}`: {}",
                    fix.label, again.message
                ));
            }
            let new_errors: Vec<_> = after
                .findings
                .iter()
                .filter(|x| x.severity == Severity::Error)
                .filter(|x| !report.findings.iter().any(|y| y.rule == x.rule))
                .map(|x| x.message.clone())
                .collect();
            if !new_errors.is_empty() {
                return Err(format!("`{}` causes new errors: {new_errors:?}", fix.label));
            }
            history.undo(&mut d);
            if d != original {
                return Err("undo does not restore the diagram".into());
            }
            Ok(())
        }
    }
}

#[test]
fn every_rule_fires_on_its_fixture_only_and_its_fix_works_and_undoes() {
    let fixtures = fixtures();
    let failures: Vec<String> = fixtures
        .iter()
        .filter_map(|f| {
            check(f)
                .err()
                .map(|e| format!("{} ({}): {e}", f.rule, f.base))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let covered: BTreeSet<&str> = fixtures.iter().map(|f| f.rule.as_str()).collect();
    let missing: Vec<&str> = rules()
        .iter()
        .map(|r| r.id.as_str())
        .filter(|id| !covered.contains(id))
        .collect();
    assert!(missing.is_empty(), "rules without a fixture: {missing:?}");
    let unknown: Vec<&&str> = covered
        .iter()
        .filter(|id| !rules().iter().any(|r| r.id == **id))
        .collect();
    assert!(unknown.is_empty(), "fixtures of unknown rules: {unknown:?}");
}

#[test]
fn well_architected_templates_have_no_errors_or_warnings() {
    for template in templates::all() {
        if template.name == "flawed-teaching" {
            continue;
        }
        let d = template.load().unwrap();
        let serious: Vec<String> = validate(&d)
            .findings
            .into_iter()
            .filter(|f| f.severity != Severity::Info)
            .map(|f| format!("{} {}", f.rule, f.message))
            .collect();
        assert!(serious.is_empty(), "{}: {serious:#?}", template.name);
    }
}

#[test]
fn the_flawed_template_shows_each_flaw_it_was_drawn_with() {
    let d = templates::find("flawed-teaching").unwrap().load().unwrap();
    let report = validate(&d);
    let fired: BTreeSet<&str> = report.findings.iter().map(|f| f.rule).collect();
    // The description's list, in order: public and publicly accessible database, one AZ,
    // SSH and MySQL open, unencrypted database, disk and bucket, public bucket, overlapping
    // subnets and peered VPCs, keys in user data, EC2 health checks behind a load
    // balancer, root access keys and no MFA.
    for rule in [
        "SEC020", "SEC019", "REL001", "REL002", "REL003", "SEC001", "SEC003", "SEC017", "SEC025",
        "SEC009", "SEC008", "NET004", "NET011", "SEC015", "REL007", "SEC011", "SEC012",
    ] {
        assert!(fired.contains(rule), "{rule} missing from {fired:?}");
    }
    assert!(report.has_errors());
}

#[test]
fn the_rule_words_are_complete_for_every_finding_of_every_template() {
    for template in templates::all() {
        for f in validate(&template.load().unwrap()).findings {
            assert_eq!(f.info().id, f.rule, "{} has words in rules.ron", f.rule);
            assert!(!f.resources.is_empty() && !f.message.is_empty());
        }
    }
}
