//! Frame time of the canvas, headless (egui frame + tessellation, no GPU), on a generated
//! diagram of 2,000 resources in nested containers with 3,000 links, next to a baseline
//! that paints the same number of plain rectangles and lines with the bare painter.
//!
//! Then one frame of the editor running the three-tier template at 100× and 1000×.
//!
//! `cargo bench --bench canvas`

#![allow(clippy::expect_used)]

// The same allocator as the program, so the figures are the program's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::hint::black_box;

use cloudcanvas::editor::state::UiState;
use cloudcanvas::layout::view::Camera;
use cloudcanvas::testdata;
use cloudcanvas::ui::canvas::canvas_ui;
use cloudcanvas::ui::theme::{Palette, ThemeChoice};
use cloudcanvas::ui::{EditorApp, EditorOptions, Preferences};
use criterion::{Criterion, criterion_group, criterion_main};
use egui::{Color32, CornerRadius, Pos2, Stroke, Vec2, pos2};

const SCREEN: Vec2 = Vec2::new(1600.0, 1000.0);

fn input() -> egui::RawInput {
    egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(Pos2::ZERO, SCREEN)),
        ..Default::default()
    }
}

/// Runs one frame and tessellates it, as the renderer would.
fn frame(ctx: &egui::Context, mut ui_fn: impl FnMut(&mut egui::Ui)) -> usize {
    let output = ctx.run_ui(input(), |ui| ui_fn(ui));
    ctx.tessellate(output.shapes, output.pixels_per_point).len()
}

fn canvas(c: &mut Criterion) {
    let diagram = testdata::large_diagram(2_000, 3_000, 1);
    let palette = Palette::of(ThemeChoice::Light);
    let bounds = cloudcanvas::layout::bounds(&diagram);
    let mut group = c.benchmark_group("canvas_2000_resources_3000_links");

    for (name, camera) in [
        ("all_visible", Camera::fit(&bounds, SCREEN.x, SCREEN.y)),
        (
            "zoomed_in_100_percent",
            Camera {
                center: bounds.center(),
                zoom: 1.0,
            },
        ),
    ] {
        let ctx = egui::Context::default();
        let mut state = UiState {
            camera,
            fit_pending: false,
            ..UiState::default()
        };
        let mut commands = Vec::new();
        group.bench_function(name, |b| {
            b.iter(|| {
                frame(&ctx, |ui| {
                    canvas_ui(
                        ui,
                        black_box(&diagram),
                        &mut state,
                        &palette,
                        None,
                        &mut commands,
                    );
                    commands.clear();
                })
            });
        });
    }

    // The bare painter: as many rectangles as resources and lines as links, all visible.
    let ctx = egui::Context::default();
    let rects: Vec<egui::Rect> = (0..2_000)
        .map(|i| {
            egui::Rect::from_min_size(
                pos2((i % 50) as f32 * 32.0, (i / 50) as f32 * 25.0),
                Vec2::new(28.0, 20.0),
            )
        })
        .collect();
    group.bench_function("baseline_bare_painter", |b| {
        b.iter(|| {
            frame(&ctx, |ui| {
                let painter = ui.painter();
                for rect in &rects {
                    painter.rect(
                        *rect,
                        CornerRadius::same(3),
                        Color32::WHITE,
                        Stroke::new(1.0, Color32::GRAY),
                        egui::StrokeKind::Inside,
                    );
                }
                for i in 0..3_000 {
                    let a = rects[i % rects.len()].center();
                    let b = rects[(i * 7 + 13) % rects.len()].center();
                    painter.line_segment([a, b], Stroke::new(1.0, Color32::DARK_GRAY));
                }
            })
        });
    });

    // The whole editor window: menus, palette, inspector and canvas.
    let ctx = egui::Context::default();
    let mut app = EditorApp::new(EditorOptions {
        diagram: diagram.clone(),
        path: None,
        dialogs: Box::new(cloudcanvas::ui::files::ScriptedDialogs::default()),
        recovery_path: None,
        preferences: Preferences::default(),
    });
    group.bench_function("whole_editor_all_visible", |b| {
        b.iter(|| frame(&ctx, |ui| app.show(ui)))
    });
    group.finish();
}

/// One frame of the whole editor in run mode: the three-tier template simulated at 100×
/// and 1000× (a 60 fps frame's worth of simulated time), drawn with its moving requests,
/// badges, panels and charts, and tessellated.
fn run_mode(c: &mut Criterion) {
    use cloudcanvas::editor::commands::Command;
    use cloudcanvas::play::{RunCommand, Speed};
    let diagram = cloudcanvas::library::templates::find("three-tier")
        .expect("three-tier ships")
        .load()
        .expect("three-tier loads");
    let mut group = c.benchmark_group("run_mode_three_tier");
    for speed in [Speed::X100, Speed::X1000] {
        let ctx = egui::Context::default();
        let mut app = EditorApp::new(EditorOptions {
            diagram: diagram.clone(),
            path: None,
            dialogs: Box::new(cloudcanvas::ui::files::ScriptedDialogs::default()),
            recovery_path: None,
            preferences: Preferences::default(),
        });
        app.push(Command::Run(RunCommand::Start));
        app.push(Command::Run(RunCommand::SetSpeed(speed)));
        let sixtieth = || egui::RawInput {
            predicted_dt: 1.0 / 60.0,
            ..input()
        };
        let mut run_frame = || {
            let output = ctx.run_ui(sixtieth(), |ui| app.show(ui));
            ctx.tessellate(output.shapes, output.pixels_per_point).len()
        };
        // Settle the panels and let the run warm up for a simulated minute.
        for _ in 0..60 {
            run_frame();
        }
        group.bench_function(format!("frame_at_{}", speed.label()), |b| {
            b.iter(&mut run_frame)
        });
    }
    group.finish();
}

criterion_group!(benches, canvas, run_mode);
criterion_main!(benches);
