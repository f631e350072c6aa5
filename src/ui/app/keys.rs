//! The editor's keyboard: shortcuts turned into commands.

use egui::{Key, KeyboardShortcut, Modifiers};

use super::EditorApp;
use crate::editor::commands::Command;
use crate::editor::state::{GRID, Gesture};
use crate::play::RunCommand;

impl EditorApp {
    /// The frame's shortcuts, unless a text field has the keyboard.
    pub(super) fn shortcuts(&mut self, ctx: &egui::Context) {
        if ctx.egui_wants_keyboard_input() {
            return;
        }
        let command = Modifiers::COMMAND;
        let shift_command = Modifiers::COMMAND | Modifiers::SHIFT;
        let table: [(Modifiers, Key, Command); 17] = [
            (shift_command, Key::Z, Command::Redo),
            (command, Key::Z, Command::Undo),
            (command, Key::Y, Command::Redo),
            (shift_command, Key::S, Command::SaveAsDialog),
            (command, Key::S, Command::Save),
            (command, Key::O, Command::OpenDialog),
            (command, Key::A, Command::SelectAll),
            (command, Key::D, Command::Duplicate),
            (command, Key::CloseBracket, Command::BringToFront),
            (command, Key::Num0, Command::ZoomToFit),
            (Modifiers::SHIFT, Key::Num1, Command::ZoomToFit),
            (Modifiers::SHIFT, Key::Num2, Command::ZoomToSelection),
            (command, Key::Equals, Command::Zoom(1.25)),
            (command, Key::Plus, Command::Zoom(1.25)),
            (command, Key::Minus, Command::Zoom(0.8)),
            (Modifiers::NONE, Key::Delete, Command::DeleteSelection),
            (Modifiers::NONE, Key::Backspace, Command::DeleteSelection),
        ];
        for (modifiers, key, cmd) in table {
            if ctx.input_mut(|i| i.consume_shortcut(&KeyboardShortcut::new(modifiers, key))) {
                self.commands.push(cmd);
            }
        }
        if ctx.input_mut(|i| i.consume_shortcut(&KeyboardShortcut::new(command, Key::N))) {
            self.state.show_gallery = true;
        }
        if ctx.input_mut(|i| i.consume_shortcut(&KeyboardShortcut::new(command, Key::K))) {
            self.state.command_palette = Some(String::new());
        }
        if ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::F5)) {
            self.commands.push(Command::Run(if self.session.is_some() {
                RunCommand::Stop
            } else {
                RunCommand::Start
            }));
        }
        if self.session.is_some() && ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::F11)) {
            self.commands
                .push(Command::Run(RunCommand::TogglePresenting));
        }
        if let Some(session) = &self.session
            && ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::P))
        {
            self.commands
                .push(Command::Run(RunCommand::SetPaused(!session.run.paused)));
        }
        if ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::F1)) {
            self.state.show_help = !self.state.show_help;
        }
        // Copy, cut and paste arrive as events, not keys.
        let (copy, cut, paste) = ctx.input(|i| {
            let has = |f: fn(&egui::Event) -> bool| i.events.iter().any(f);
            (
                has(|e| matches!(e, egui::Event::Copy)),
                has(|e| matches!(e, egui::Event::Cut)),
                has(|e| matches!(e, egui::Event::Paste(_))),
            )
        });
        if copy {
            self.commands.push(Command::Copy);
        }
        if cut {
            self.commands.push(Command::Cut);
        }
        if paste {
            self.commands.push(Command::Paste);
        }
        let step = |shift: bool| if shift { GRID * 4.0 } else { GRID / 2.0 };
        for (key, dx, dy) in [
            (Key::ArrowLeft, -1.0, 0.0),
            (Key::ArrowRight, 1.0, 0.0),
            (Key::ArrowUp, 0.0, -1.0),
            (Key::ArrowDown, 0.0, 1.0),
        ] {
            let (plain, shifted) = ctx.input_mut(|i| {
                (
                    i.consume_key(Modifiers::NONE, key),
                    i.consume_key(Modifiers::SHIFT, key),
                )
            });
            if plain || shifted {
                let s = step(shifted);
                self.commands.push(Command::Nudge {
                    dx: dx * s,
                    dy: dy * s,
                });
            }
        }
        if ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Escape)) {
            if self.state.gesture != Gesture::Idle {
                self.state.gesture = Gesture::Idle;
                self.commands.push(Command::CancelGesture);
            } else {
                self.commands.push(Command::ClearSelection);
            }
        }
    }
}
