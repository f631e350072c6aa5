//! The diagram written out from the editor — pictures, draw.io, CloudFormation,
//! Terraform, reports — and CloudFormation templates read in.

use std::path::{Path, PathBuf};

use super::EditorApp;
use crate::editor::commands::ExportKind;
use crate::editor::document::Document;
use crate::editor::state::Tone;
use crate::ui::theme::ThemeChoice;

impl EditorApp {
    /// Asks where, then writes a picture of the diagram (or of the selection): PNG at the
    /// chosen scale for a `.png` name, SVG otherwise.
    pub(super) fn export_picture(&mut self, selection: bool) {
        let only = selection.then(|| self.state.selection.resources.clone());
        if only.as_ref().is_some_and(Vec::is_empty) {
            self.state.say(Tone::Info, "Select what to export first");
            return;
        }
        let suggested =
            crate::ui::files::suggested_file_name(&self.doc.diagram.name).replace(".ron", ".svg");
        let Some(path) = self.dialogs.save_picture(&suggested) else {
            return;
        };
        let options = crate::export::SvgOptions {
            dark: self.prefs.theme == ThemeChoice::Dark,
            only,
        };
        let written = crate::export::picture_for(
            &path,
            &self.doc.diagram,
            &options,
            self.prefs.picture_scale,
        )
        .and_then(|bytes| self.write_files(vec![(path.clone(), bytes)]));
        self.say_written(&[path], written);
    }

    /// Asks where, then writes the diagram as `kind`.
    pub(super) fn export(&mut self, kind: ExportKind) {
        let stem =
            crate::ui::files::suggested_file_name(&self.doc.diagram.name).replace(".ron", "");
        let (suggested, filters): (String, &[(&str, &str)]) = match kind {
            ExportKind::DrawIo => (format!("{stem}.drawio"), &[("draw.io diagram", "drawio")]),
            ExportKind::CloudFormation => (
                format!("{stem}.yaml"),
                &[
                    ("CloudFormation template (YAML)", "yaml"),
                    ("CloudFormation template (JSON)", "json"),
                ],
            ),
            ExportKind::Terraform => ("main.tf".to_string(), &[("Terraform configuration", "tf")]),
            ExportKind::Report => (
                format!("{stem}.html"),
                &[("Report page (HTML)", "html"), ("Report (Markdown)", "md")],
            ),
        };
        let Some(path) = self.dialogs.save_export(&suggested, filters) else {
            return;
        };
        let files = match self.export_files(kind, &path) {
            Ok(files) => files,
            Err(e) => {
                self.state.say(Tone::Error, e);
                return;
            }
        };
        let names: Vec<PathBuf> = files.iter().map(|(p, _)| p.clone()).collect();
        let written = self.write_files(files);
        self.say_written(&names, written);
    }

    /// The files of an export of the diagram as `kind` to `path`.
    fn export_files(&self, kind: ExportKind, path: &Path) -> Result<Files, String> {
        let diagram = &self.doc.diagram;
        Ok(match kind {
            ExportKind::DrawIo => vec![(
                path.to_path_buf(),
                crate::export::drawio(diagram).into_bytes(),
            )],
            ExportKind::Terraform => {
                let export = crate::iac::terraform::terraform(diagram);
                vec![(path.to_path_buf(), export.text.into_bytes())]
            }
            ExportKind::CloudFormation => crate::iac::cfn::cloudformation(diagram)
                .files(path)
                .map_err(|e| e.to_string())?,
            ExportKind::Report => {
                // A run in progress is part of the report: what it has seen so far.
                let report = self.session.as_ref().map(|s| s.run.simulation().report());
                let scenario = self
                    .session
                    .as_ref()
                    .and_then(|s| s.run.lesson())
                    .map(|l| l.name.clone());
                let run = report.as_ref().map(|r| crate::report::Run {
                    scenario: scenario.as_deref(),
                    report: r,
                });
                let stem = path
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .unwrap_or("report");
                crate::report::build(diagram, run.as_ref(), stem)
                    .files(path)
                    .map_err(|e| e.to_string())?
            }
        })
    }

    /// Writes every file or none. The save dialog has asked before replacing a file; the
    /// open diagram's own file is never replaced by an export.
    fn write_files(&self, files: Files) -> Result<(), String> {
        let inputs: Vec<&Path> = self.doc.path.iter().map(PathBuf::as_path).collect();
        let policy = crate::io::WritePolicy::export(true, &inputs);
        crate::io::write_all(&files, &policy).map_err(|e| e.to_string())
    }

    fn say_written(&mut self, files: &[PathBuf], written: Result<(), String>) {
        match written {
            Ok(()) => {
                let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
                self.state
                    .say(Tone::Info, format!("Exported {}", names.join(", ")));
            }
            Err(e) => self.state.say(Tone::Error, e),
        }
    }

    /// Opens CloudFormation templates as a new, unsaved diagram.
    pub(super) fn import(&mut self, files: &[PathBuf]) {
        match crate::iac::cfn_import::import_files(files, None) {
            Ok(imported) => {
                let count = imported.diagram.len();
                let mut doc = Document::new(crate::model::Diagram::new(""), None);
                doc.diagram = imported.diagram;
                doc.touched();
                self.replace_document(doc);
                let mut message = format!("Imported {count} resources; save to keep them");
                if !imported.unsupported.is_empty() {
                    let names: Vec<String> = imported
                        .unsupported
                        .iter()
                        .map(|(l, t)| format!("{l} ({t})"))
                        .collect();
                    message.push_str(&format!("; not drawn: {}", names.join(", ")));
                }
                self.state.say(Tone::Info, message);
            }
            Err(e) => self.state.say(Tone::Error, e.to_string()),
        }
    }
}

/// Files to write: where, and what.
type Files = Vec<(PathBuf, Vec<u8>)>;
