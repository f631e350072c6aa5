//! Seeded fuzzing of every input family a person or a file can hand the program: `--set`
//! values, CloudFormation templates (JSON and YAML) and scenarios (saves are fuzzed in
//! `property`). Each case must end in a whole result or a clear error, never a panic, and
//! whatever is accepted must keep every invariant of the model.
//!
//! The seed is fixed, so a failure reproduces; `CLOUDCANVAS_FUZZ_CASES=100000` runs the
//! long campaign recorded in TESTING.md.

use cloudcanvas::iac::{cfn, cfn_import};
use cloudcanvas::model::Diagram;
use cloudcanvas::model::overrides::{self, Override};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

use crate::property::{Mutation, mutate, mutation};

fn config(default_cases: u32, seed: u64) -> Config {
    let cases = std::env::var("CLOUDCANVAS_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default_cases);
    Config {
        cases,
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: None,
        ..Config::default()
    }
}

fn three_tier() -> &'static Diagram {
    static DIAGRAM: std::sync::OnceLock<Diagram> = std::sync::OnceLock::new();
    DIAGRAM.get_or_init(|| {
        cloudcanvas::library::templates::find("three-tier")
            .unwrap()
            .load()
            .unwrap()
    })
}

/// Targets that exist (so the values reach the configuration) and some that do not.
fn target() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("users.requests_per_second".to_string()),
        Just("app-asg.max_size".to_string()),
        Just("app-asg.scaling_policies.0".to_string()),
        Just("db.multi_az".to_string()),
        Just("alb.health_check.interval_secs".to_string()),
        Just("alb.listeners.0.port".to_string()),
        Just("region".to_string()),
        Just("name".to_string()),
        "[a-z-]{1,12}(\\.[a-z_0-9]{1,16}){0,3}",
    ]
}

/// Values of every shape: numbers in and out of range, JSON, RON-ish text, control
/// characters, very long text.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<f64>().prop_map(|v| v.to_string()),
        any::<i64>().prop_map(|v| v.to_string()),
        Just("NaN".to_string()),
        Just("1e999".to_string()),
        Just("-1".to_string()),
        Just("none".to_string()),
        Just("{\"TargetTracking\":{\"target_value\":-5}}".to_string()),
        "\\PC{0,40}",
        "[\\[\\]{}:,\"0-9a-z.-]{0,40}",
        (1..20_000usize).prop_map(|n| "x".repeat(n)),
    ]
}

/// CloudFormation templates this program writes, as JSON and YAML, to mutate.
fn exported_templates() -> &'static [String] {
    static SEEDS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    SEEDS.get_or_init(|| {
        let mut out = Vec::new();
        for (_, diagram) in cloudcanvas::library::templates::loaded() {
            for (_, stack) in cfn::cloudformation(diagram).stacks {
                out.push(stack.to_json());
                out.push(stack.to_yaml());
            }
        }
        out
    })
}

proptest! {
    #![proptest_config(config(300, 0x5E7_5E7))]

    #[test]
    fn set_values_apply_whole_or_fail_with_a_reason(
        sets in prop::collection::vec((target(), value()), 1..4)
    ) {
        let mut diagram = three_tier().clone();
        for (target, value) in sets {
            let Ok(item) = format!("{target}={value}").parse::<Override>() else {
                continue;
            };
            let before = diagram.clone();
            match overrides::apply(&mut diagram, &item) {
                Ok(()) => prop_assert!(diagram.problems().is_empty(), "{:?}", diagram.problems()),
                Err(e) => {
                    prop_assert!(!e.to_string().is_empty());
                    prop_assert!(e.to_string().len() < 2_000, "a short message: {}", e.to_string().len());
                    prop_assert!(diagram == before, "a refused override changes nothing");
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(config(200, 0xCF_1A7E))]

    #[test]
    fn mutated_cloudformation_imports_whole_or_fails_cleanly(
        template in 0..64usize,
        mutations in prop::collection::vec(mutation(), 1..4),
    ) {
        let seeds = exported_templates();
        let text = mutate(&seeds[template % seeds.len()], &mutations);
        if let Ok(imported) = cfn_import::import_str(&text, "fuzz.yaml") {
            prop_assert!(imported.diagram.problems().is_empty(), "{:?}", imported.diagram.problems());
        }
    }
}

proptest! {
    #![proptest_config(config(300, 0x5CE_4A210))]

    #[test]
    fn mutated_scenarios_play_or_are_refused_naming_the_step(
        pick in 0..32usize,
        mutations in prop::collection::vec(mutation(), 1..4),
    ) {
        let shipped = cloudcanvas::library::scenarios::all();
        let chosen = shipped[pick % shipped.len()];
        let text = mutate(chosen.text, &mutations);
        let Ok(scenario) = cloudcanvas::sim::Scenario::parse(&text) else {
            return Ok(());
        };
        let Some((_, diagram)) = chosen.template() else {
            return Ok(());
        };
        if let Err(e) = cloudcanvas::library::scenarios::check(&scenario, diagram, 3600.0) {
            prop_assert!(e.starts_with("step ") || e.contains("cannot"), "{e}");
        }
    }
}

#[test]
fn the_mutations_change_what_they_are_given() {
    // The campaign means something only if mutated inputs differ from the seeds.
    let seed = &exported_templates()[0];
    let changed = mutate(seed, &[Mutation::Truncate { at: 10 }]);
    assert_eq!(changed.len(), 10);
}
