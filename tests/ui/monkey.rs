//! Thousands of seeded random clicks, drags and keys: no panic, invariants intact.

use cloudcanvas::testdata::SplitMix;
use cloudcanvas::ui::files::ScriptedDialogs;
use egui::{Key, Modifiers, PointerButton};

use crate::harness::*;

#[test]
fn random_input_never_breaks_the_editor_or_the_diagram() {
    let events: u64 = std::env::var("CLOUDCANVAS_MONKEY_EVENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000);
    let diagram = cloudcanvas::library::templates::find("three-tier")
        .unwrap()
        .load()
        .unwrap();
    let mut h = harness_with(diagram, ScriptedDialogs::default());
    let mut rng = SplitMix(42);
    let keys = [
        Key::Delete,
        Key::Z,
        Key::Y,
        Key::D,
        Key::A,
        Key::ArrowLeft,
        Key::ArrowDown,
        Key::Escape,
        Key::Backspace,
        Key::C,
        Key::V,
        Key::X,
    ];
    let mut pressed = false;
    for step in 0..events {
        let pos = egui::pos2(rng.below(1400) as f32, rng.below(900) as f32);
        match rng.below(10) {
            0..=3 => h.hover_at(pos),
            4 | 5 => {
                h.event(egui::Event::PointerButton {
                    pos,
                    button: PointerButton::Primary,
                    pressed: !pressed,
                    modifiers: Modifiers::NONE,
                });
                pressed = !pressed;
            }
            6 => h.event(egui::Event::MouseWheel {
                unit: egui::MouseWheelUnit::Point,
                delta: egui::vec2(0.0, rng.below(200) as f32 - 100.0),
                modifiers: Modifiers::NONE,
                phase: egui::TouchPhase::Move,
                source: egui::MouseWheelSource::Wheel,
            }),
            7 => {
                let key = keys[rng.below(keys.len())];
                let modifiers = if rng.below(2) == 0 {
                    Modifiers::COMMAND
                } else {
                    Modifiers::NONE
                };
                h.key_press_modifiers(modifiers, key);
            }
            8 => h.event(egui::Event::PointerButton {
                pos,
                button: PointerButton::Secondary,
                pressed: rng.below(2) == 0,
                modifiers: Modifiers::NONE,
            }),
            _ => h.event(egui::Event::Zoom(0.8 + rng.below(40) as f32 / 100.0)),
        }
        h.step();
        if step % 250 == 0 {
            let problems = h.state().document().diagram.problems();
            assert!(problems.is_empty(), "after {step} events: {problems:?}");
        }
    }
    h.run_ok();
    assert!(h.state().document().diagram.problems().is_empty());
}
