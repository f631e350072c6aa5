//! The cost panel: totals, line items, purchase options and containers, live with edits.

use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;

use crate::harness::*;

#[test]
fn the_cost_panel_follows_every_edit() {
    let mut h = harness();
    // Users, a VPC and an ALB: the ALB's hours and LCUs ($22.27) and the Region's assumed
    // data transfer ($9.20) are the whole bill.
    assert!(
        h.query_by_label_contains("$31.46/month").is_some(),
        "the status bar shows the total"
    );
    assert!(
        h.query_by_label_contains("ALB hours: 730 h × $0.0225/h = $16.43")
            .is_some(),
        "line items show their formulas"
    );
    click(&mut h, "Front door (alb)");
    h.key_press_modifiers(Modifiers::COMMAND, Key::D);
    h.run();
    assert!(
        h.query_by_label_contains("$53.73/month").is_some(),
        "a second load balancer adds its own hours and LCUs: $31.46 + $22.27"
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!(
        h.query_by_label_contains("$31.46/month").is_some(),
        "undo brings it back"
    );
    assert!(
        h.query_by_label_contains("reserved (1 year)").is_none(),
        "no instances, no purchase-option saving to show"
    );
    click(&mut h, "Cost of alb");
    assert_eq!(
        h.state().state().selection.resources,
        vec![id("alb")],
        "a cost driver selects its resource"
    );
}

#[test]
fn the_cost_panel_compares_purchase_options() {
    let diagram = cloudcanvas::library::templates::find("three-tier")
        .unwrap()
        .load()
        .unwrap();
    let h = harness_with(diagram, cloudcanvas::ui::files::ScriptedDialogs::default());
    let shows = |text: &str| h.query_by_label_contains(text).is_some();
    assert!(
        shows("reserved (1 year, no upfront): $721.59 a month, saving $52.56 (6.8 %)"),
        "the totals under other purchase options"
    );
    assert!(shows("$774.15/month"), "the status bar total");
    assert!(
        shows("Scales between $774.15 and $1216.82 a month"),
        "the range of the Auto Scaling group from minimum to maximum size"
    );
    assert!(
        shows("scales from $140.16 at minimum size to $560.64 at maximum"),
        "the group's own line shows its range"
    );
}

#[test]
fn the_cost_panel_totals_each_container() {
    let diagram = cloudcanvas::library::templates::find("three-tier")
        .unwrap()
        .load()
        .unwrap();
    let h = harness_with(diagram, cloudcanvas::ui::files::ScriptedDialogs::default());
    assert!(h.query_by_label_contains("By container").is_some());
    for (container, total) in [("vpc", "$744.94"), ("az-a", "$372.47"), ("az-b", "$372.47")] {
        let label = h.get_by_label(container);
        let row = label.rect();
        let amount = h
            .query_all_by_label(total)
            .find(|n| (n.rect().center().y - row.center().y).abs() < 4.0)
            .unwrap_or_else(|| panic!("{container} shows {total} on its row"));
        assert!(amount.rect().left() > row.right());
    }
}
