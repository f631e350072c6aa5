//! The run's toolbar: play, pause, step, speed, restart, the simulated clock and its
//! timeline, lessons, chaos, compare, record, present, and the way back to editing.

use egui::{Color32, RichText};

use crate::play::{RunCommand, RunMode, Speed, clock};

/// The toolbar while a run is on; `recording` counts the frames of a recording.
pub fn run_toolbar(
    ui: &mut egui::Ui,
    run: &RunMode,
    recording: Option<usize>,
    out: &mut Vec<RunCommand>,
) {
    ui.horizontal_wrapped(|ui| {
        // One width for Play and Pause, so the buttons after them stay put.
        let width = egui::vec2(56.0, 0.0);
        if run.paused {
            let play = ui.add_enabled(!run.ended(), egui::Button::new("Play").min_size(width));
            if play.on_hover_text("Play (P)").clicked() {
                out.push(RunCommand::SetPaused(false));
            }
        } else if ui
            .add(egui::Button::new("Pause").min_size(width))
            .on_hover_text("Pause (P)")
            .clicked()
        {
            out.push(RunCommand::SetPaused(true));
        }
        let step = ui.add_enabled(!run.ended(), egui::Button::new("Step"));
        if step
            .on_hover_text(format!(
                "Move {} of simulated time and pause",
                span(run.speed.step_secs())
            ))
            .clicked()
        {
            out.push(RunCommand::Step);
        }
        if ui
            .button("Restart")
            .on_hover_text("Start again from 0 s: same design, same seed, same run")
            .clicked()
        {
            out.push(RunCommand::Restart);
        }
        ui.separator();
        ui.label("Speed");
        for speed in Speed::ALL {
            if ui
                .selectable_label(run.speed == speed, speed.label())
                .clicked()
            {
                out.push(RunCommand::SetSpeed(speed));
            }
        }
        ui.separator();
        ui.label(RichText::new(clock(run.secs())).monospace().size(16.0))
            .on_hover_text("Simulated time since the run began");
        scrubber(ui, run, out);
        ui.separator();
        lessons_menu(ui, run, out);
        ui.menu_button("Chaos", |ui| {
            if ui.button("Fail a random instance").clicked() {
                out.push(RunCommand::FailRandomInstance);
                ui.close();
            }
            if ui.button("Interrupt a random spot instance").clicked() {
                out.push(RunCommand::InterruptRandomSpot);
                ui.close();
            }
        });
        if ui
            .button("Compare…")
            .on_hover_text("Run this design and another under the same traffic, side by side")
            .clicked()
        {
            out.push(RunCommand::OpenCompare);
        }
        match recording {
            Some(frames) => {
                if ui
                    .button(
                        RichText::new(format!("Stop recording ({frames} frames)"))
                            .color(Color32::from_rgb(0xE0, 0x31, 0x31)),
                    )
                    .on_hover_text("Write the recording")
                    .clicked()
                {
                    out.push(RunCommand::StopRecording);
                }
            }
            None => {
                if ui
                    .button("Record…")
                    .on_hover_text(
                        "Record the run as an animated GIF (or PNG frames for a .png name): \
                         a fixed step of play per frame, so the same run records the same frames",
                    )
                    .clicked()
                {
                    out.push(RunCommand::StartRecording);
                }
            }
        }
        if ui
            .button("Present")
            .on_hover_text("Full screen with large type for a projector (F11)")
            .clicked()
        {
            out.push(RunCommand::TogglePresenting);
        }
        if ui
            .button(RichText::new("Stop").strong())
            .on_hover_text("Stop the run and return to the design (F5)")
            .clicked()
        {
            out.push(RunCommand::Stop);
        }
        // What changes width comes last, so the buttons never move; the system's
        // figures are in the dashboard below.
        if let Some(target) = run.seeking() {
            ui.spinner();
            ui.label(format!("replaying to {}", clock(target)))
                .on_hover_text("The run is replayed from the start, exactly as it went");
        } else if run.behind && !run.paused {
            ui.label(
                RichText::new(format!(
                    "behind: {:.0}× of {}",
                    run.achieved_speed,
                    run.speed.label()
                ))
                .color(Color32::from_rgb(0xF0, 0x8C, 0x00)),
            )
            .on_hover_text("The simulation cannot keep up with this speed on this machine");
        } else if run.ended() {
            ui.label("the run reached its end");
        }
    });
}

/// A span of simulated seconds in words.
pub fn span(secs: f64) -> String {
    if secs >= 3_600.0 && secs % 3_600.0 == 0.0 {
        format!("{:.0} h", secs / 3_600.0)
    } else if secs >= 60.0 && secs % 60.0 == 0.0 {
        format!("{:.0} min", secs / 60.0)
    } else {
        format!("{secs:.0} s")
    }
}

/// A timeline over what the run has reached: dragging back replays the run to there.
fn scrubber(ui: &mut egui::Ui, run: &RunMode, out: &mut Vec<RunCommand>) {
    let reached = run.reached_secs().max(run.secs());
    if reached <= 0.0 {
        return;
    }
    let id = ui.scope_id().with("scrubber");
    let mut at = ui
        .data(|d| d.get_temp::<f64>(id))
        .unwrap_or_else(|| run.secs());
    let response = ui
        .add(
            egui::Slider::new(&mut at, 0.0..=reached)
                .show_value(false)
                .text("timeline"),
        )
        .on_hover_text(format!(
            "Drag to go back to any moment up to {} (the run is replayed exactly)",
            clock(reached)
        ));
    if response.dragged() {
        ui.data_mut(|d| d.insert_temp(id, at));
        response.on_hover_text_at_pointer(clock(at));
    } else {
        ui.data_mut(|d| d.remove::<f64>(id));
        if response.drag_stopped() || response.changed() {
            out.push(RunCommand::Seek(at));
        }
    }
}

/// Scenarios to play as lessons: those written for this design first, the others that
/// can play on it in a submenu, or a file.
fn lessons_menu(ui: &mut egui::Ui, run: &RunMode, out: &mut Vec<RunCommand>) {
    ui.menu_button("Lessons", |ui| {
        let mut others = Vec::new();
        let mut offered = 0;
        for shipped in crate::library::scenarios::all() {
            let Ok(scenario) = shipped.load() else {
                continue;
            };
            if shipped.written_for(run.design()) {
                offered += 1;
                lesson_button(ui, scenario, None, out);
            } else if crate::library::scenarios::missing_resources(&scenario, run.design())
                .is_empty()
            {
                let template = shipped.template().map(|(t, _)| t.name);
                others.push((scenario, template));
            }
        }
        if offered == 0 {
            ui.label(egui::RichText::new("No lesson was written for this design").weak());
        }
        if !others.is_empty() {
            ui.menu_button("Written for other designs", |ui| {
                for (scenario, template) in others {
                    lesson_button(ui, scenario, template, out);
                }
            });
        }
        ui.separator();
        if ui.button("Open a scenario file…").clicked() {
            out.push(RunCommand::OpenLessonDialog);
            ui.close();
        }
        if let Some(lesson) = run.lesson() {
            ui.separator();
            let mut pause = lesson.pause_at_steps;
            if ui.checkbox(&mut pause, "Pause at each step").changed() {
                out.push(RunCommand::SetPauseAtSteps(pause));
            }
        }
    });
}

/// One lesson of the menu; `template` names the design it was written for, if not this.
fn lesson_button(
    ui: &mut egui::Ui,
    scenario: crate::sim::Scenario,
    template: Option<&str>,
    out: &mut Vec<RunCommand>,
) {
    let hover = match template {
        Some(t) => format!("Written for the {t} template. {}", scenario.lesson),
        None => scenario.lesson.clone(),
    };
    if ui.button(&scenario.name).on_hover_text(hover).clicked() {
        out.push(RunCommand::PlayLesson(Box::new(scenario)));
        ui.close();
    }
}
