//! Commands: everything the person asks for, collected during a frame and applied at its
//! end. `apply` is the only place the diagram changes, and every change is undoable.

use std::path::PathBuf;

use super::document::Document;
use super::state::{LinkKey, Tone, UiState};
use crate::editor::edit::{self, Alignment, Axis};
use crate::layout::view::{self, Camera};
use crate::layout::{NODE_HEIGHT, NODE_WIDTH};
use crate::model::catalog::catalog;
use crate::model::geom::{Point, Rect};
use crate::model::{Config, Diagram, Kind, Link, LinkKind, Note, NoteColor, Resource, ResourceId};
use placement::{apply_moves, grow, moved_label, settle};

mod placement;

/// Something the person asked for.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Add a resource of `kind` centred at `at` (world), inside `parent`.
    Add {
        /// Kind.
        kind: Kind,
        /// Centre, in world units.
        at: Point,
        /// Container.
        parent: Option<ResourceId>,
    },
    /// Start a gesture: following edits until `EndGesture` are one undo step.
    BeginGesture(String),
    /// End the gesture, keeping its edits.
    EndGesture,
    /// End the gesture, reverting its edits.
    CancelGesture,
    /// Move resources (and their contents) by a world distance.
    Translate {
        /// What moves.
        ids: Vec<ResourceId>,
        /// Horizontal distance.
        dx: f32,
        /// Vertical distance.
        dy: f32,
    },
    /// After a move: put the moved resources into the containers they were dropped on.
    Settle(Vec<ResourceId>),
    /// Set a container's rectangle (resize).
    Resize {
        /// The container.
        id: ResourceId,
        /// New rectangle.
        rect: Rect,
    },
    /// Delete the selection.
    DeleteSelection,
    /// Link two resources with the first link kind the catalog allows.
    Connect {
        /// Start.
        from: ResourceId,
        /// End.
        to: ResourceId,
    },
    /// Change the kind of a link.
    SetLinkKind {
        /// The link.
        link: LinkKey,
        /// New kind.
        kind: LinkKind,
    },
    /// Change the label of a link.
    SetLinkLabel {
        /// The link.
        link: LinkKey,
        /// New label.
        label: String,
    },
    /// Set a resource's display name.
    SetName {
        /// The resource.
        id: ResourceId,
        /// New name.
        name: String,
    },
    /// Change a resource's id.
    Rename {
        /// The resource.
        id: ResourceId,
        /// New id.
        new_id: ResourceId,
    },
    /// Replace a resource's configuration.
    SetConfig {
        /// The resource.
        id: ResourceId,
        /// New configuration.
        config: Config,
    },
    /// Apply a validator finding's fix.
    ApplyFix(crate::validate::Fix),
    /// Add a sticky note at `at` (world).
    AddNote {
        /// Top-left corner.
        at: Point,
    },
    /// Edit a note's text.
    SetNoteText {
        /// The note.
        id: ResourceId,
        /// New text.
        text: String,
    },
    /// Move a note.
    MoveNote {
        /// The note.
        id: ResourceId,
        /// Horizontal distance.
        dx: f32,
        /// Vertical distance.
        dy: f32,
    },
    /// Move the selection by a small step (arrow keys).
    Nudge {
        /// Horizontal distance.
        dx: f32,
        /// Vertical distance.
        dy: f32,
    },
    /// Align the selection.
    Align(Alignment),
    /// Spread the selection evenly.
    Distribute(Axis),
    /// Put the selection on top.
    BringToFront,
    /// Select every resource.
    SelectAll,
    /// Select these resources (replacing the selection).
    Select(Vec<ResourceId>),
    /// Add or remove one resource from the selection.
    ToggleSelect(ResourceId),
    /// Select a link.
    SelectLink(LinkKey),
    /// Select a note.
    SelectNote(ResourceId),
    /// Clear the selection.
    ClearSelection,
    /// Copy the selection.
    Copy,
    /// Copy, then delete the selection.
    Cut,
    /// Paste what was copied.
    Paste,
    /// Copy and paste the selection at once.
    Duplicate,
    /// Undo the last step.
    Undo,
    /// Redo the last undone step.
    Redo,
    /// Fit the view to the whole diagram.
    ZoomToFit,
    /// Fit the view to the selection.
    ZoomToSelection,
    /// Zoom by a factor about the viewport's centre.
    Zoom(f32),
    /// Start a new diagram from a template (asks before losing unsaved work).
    New(String),
    /// Open a file (asks before losing unsaved work).
    Open(PathBuf),
    /// Ask for a file to open.
    OpenDialog,
    /// Save to the current file, or ask where.
    Save,
    /// Ask where to save.
    SaveAsDialog,
    /// Save to this file.
    SaveAs(PathBuf),
    /// Restore the autosaved recovery file.
    Recover(PathBuf),
    /// Throw the unsaved work away and do the waiting command.
    DiscardAndContinue,
    /// Quit (asks before losing unsaved work).
    Quit,
    /// Something asked of the run: start, stop, play, a failure to inject.
    Run(crate::play::RunCommand),
    /// Take the usage figures a run measured into the design (one undoable step).
    ApplyMeasuredUsage(Box<Diagram>),
    /// Ask where to write a picture of the diagram, or of the selected resources only.
    ExportPictureDialog {
        /// Only the selection (with what it holds).
        selection: bool,
    },
    /// Ask where to write the diagram in another form (draw.io, infrastructure as code,
    /// a report).
    ExportDialog(ExportKind),
    /// Ask which CloudFormation templates to import.
    ImportDialog,
    /// Open CloudFormation templates as a new, unsaved diagram.
    Import(Vec<std::path::PathBuf>),
}

/// Forms the diagram can be written in besides its own file and pictures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportKind {
    /// A draw.io file.
    DrawIo,
    /// CloudFormation templates (YAML or JSON).
    CloudFormation,
    /// A Terraform configuration.
    Terraform,
    /// A report: Markdown with pictures beside it, or one HTML page.
    Report,
}

impl Command {
    /// Whether it may run while the design is being simulated: it changes nothing in
    /// the diagram (selection, view, files, the run itself).
    pub fn allowed_while_running(&self) -> bool {
        matches!(
            self,
            Command::Select(_)
                | Command::ToggleSelect(_)
                | Command::SelectLink(_)
                | Command::SelectNote(_)
                | Command::SelectAll
                | Command::ClearSelection
                | Command::Copy
                | Command::ZoomToFit
                | Command::ZoomToSelection
                | Command::Zoom(_)
                | Command::New(_)
                | Command::Open(_)
                | Command::OpenDialog
                | Command::Save
                | Command::SaveAsDialog
                | Command::SaveAs(_)
                | Command::Recover(_)
                | Command::DiscardAndContinue
                | Command::Quit
                | Command::EndGesture
                | Command::CancelGesture
                | Command::Run(_)
                | Command::ExportPictureDialog { .. }
                | Command::ExportDialog(_)
                | Command::ImportDialog
                | Command::Import(_)
        )
    }
}

/// Where pasted copies land relative to the originals.
const PASTE_OFFSET: f32 = 32.0;

/// Applies an editing command; file and app commands are handled by the app and ignored
/// here. The viewport size is needed to fit the view. Returns false when the command was
/// refused (the reason is in the status bar).
pub fn apply(
    doc: &mut Document,
    state: &mut UiState,
    command: Command,
    viewport: (f32, f32),
) -> bool {
    // Inside a gesture the gesture's snapshot already allows rollback, so frames of a drag
    // do not copy the whole diagram.
    if doc.history.is_open() {
        return match edit(&mut doc.diagram, state, command, viewport) {
            Ok(Some(label)) => {
                doc.history.relabel_open(label);
                doc.touched();
                true
            }
            Ok(None) => true,
            Err(message) => {
                state.say(Tone::Error, message);
                false
            }
        };
    }
    let before = doc.diagram.clone();
    let label = match edit(&mut doc.diagram, state, command, viewport) {
        Ok(Some(label)) => label,
        Ok(None) => return true,
        Err(message) => {
            // A refused command leaves the diagram as it was.
            doc.diagram = before;
            state.say(Tone::Error, message);
            return false;
        }
    };
    if doc.diagram != before {
        doc.history.record(label, before);
        doc.touched();
    }
    let diagram = &doc.diagram;
    state
        .selection
        .retain_existing(|id| diagram.contains(id.as_str()));
    true
}

/// Applies one command to the diagram and the view. Returns the undo label of an edit,
/// `None` for commands that edit nothing, or the reason a command was refused.
fn edit(
    d: &mut Diagram,
    state: &mut UiState,
    command: Command,
    viewport: (f32, f32),
) -> Result<Option<String>, String> {
    let catalog = catalog();
    match command {
        Command::Add { kind, at, parent } => {
            let id = d.unique_id(&catalog.info(kind).icon);
            let (w, h) = if catalog.is_container(kind) {
                (320.0, 200.0)
            } else {
                (NODE_WIDTH, NODE_HEIGHT)
            };
            let mut resource = Resource::new(id.clone(), kind).named(catalog.name(kind));
            resource.parent = parent;
            resource.rect = Rect::new(at.x - w / 2.0, at.y - h / 2.0, w, h);
            d.add(resource).map_err(|e| e.to_string())?;
            grow(d, &id);
            state.selection.set(vec![id.clone()]);
            Ok(Some(format!("Add {}", catalog.name(kind))))
        }
        Command::Translate { ids, dx, dy } => {
            d.translate(&ids, dx, dy).map_err(|e| e.to_string())?;
            Ok(Some(moved_label(ids.len())))
        }
        Command::Settle(ids) => {
            settle(d, &ids)?;
            Ok(Some(moved_label(ids.len())))
        }
        Command::Resize { id, rect } => {
            // A container always holds its contents: each side stops at the padded
            // contents, or where it already is if that is closer to them.
            let current = d
                .resource(id.as_str())
                .map(|r| r.rect)
                .ok_or_else(|| format!("there is no resource {id}"))?;
            let contents = d
                .children(Some(id.as_str()))
                .map(|c| c.rect)
                .reduce(|a, b| a.union(&b));
            let rect = match (view::min_container_rect(d, id.as_str()), contents) {
                (Some(min), Some(inner)) => {
                    let left = rect.x.min(min.x.max(current.x.min(inner.x)));
                    let top = rect.y.min(min.y.max(current.y.min(inner.y)));
                    let right = rect
                        .right()
                        .max(min.right().min(current.right().max(inner.right())));
                    let bottom = rect
                        .bottom()
                        .max(min.bottom().min(current.bottom().max(inner.bottom())));
                    Rect::new(left, top, right - left, bottom - top)
                }
                _ => rect,
            };
            d.set_rect(&id, rect).map_err(|e| e.to_string())?;
            grow(d, &id);
            Ok(Some(format!("Resize {id}")))
        }
        Command::DeleteSelection => delete_selection(d, state),
        Command::Connect { from, to } => {
            let (Some(a), Some(b)) = (d.resource(from.as_str()), d.resource(to.as_str())) else {
                return Ok(None);
            };
            let allowed = catalog.allowed_link_kinds(a.kind(), b.kind());
            let kind = allowed.into_iter().find(|k| {
                !d.links()
                    .iter()
                    .any(|l| l.from == from && l.to == to && l.kind == *k)
            });
            let Some(kind) = kind else {
                return Err(
                    if catalog.allowed_link_kinds(a.kind(), b.kind()).is_empty() {
                        format!(
                            "{} cannot link to {}: no link is allowed between these kinds",
                            catalog.name(a.kind()),
                            catalog.name(b.kind())
                        )
                    } else {
                        format!("{from} and {to} are already linked")
                    },
                );
            };
            d.add_link(Link::new(from.clone(), to.clone(), kind))
                .map_err(|e| e.to_string())?;
            state.selection = super::state::Selection {
                link: Some(LinkKey {
                    from: from.clone(),
                    to: to.clone(),
                    kind,
                }),
                ..Default::default()
            };
            Ok(Some(format!("Link {from} to {to}")))
        }
        Command::SetLinkKind { link, kind } => {
            let Some(old) = d.remove_link(&link.from, &link.to, link.kind) else {
                return Ok(None);
            };
            if let Err(e) = d.add_link(Link {
                kind,
                ..old.clone()
            }) {
                let _ = d.add_link(old);
                return Err(e.to_string());
            }
            state.selection.link = Some(LinkKey { kind, ..link });
            Ok(Some("Change link kind".into()))
        }
        Command::SetLinkLabel { link, label } => {
            let Some(mut old) = d.remove_link(&link.from, &link.to, link.kind) else {
                return Ok(None);
            };
            old.label = label;
            d.add_link(old).map_err(|e| e.to_string())?;
            Ok(Some("Edit link label".into()))
        }
        Command::SetName { id, name } => {
            d.set_name(&id, name).map_err(|e| e.to_string())?;
            Ok(Some(format!("Rename {id}")))
        }
        Command::Rename { id, new_id } => {
            d.rename(&id, new_id.clone()).map_err(|e| e.to_string())?;
            for selected in &mut state.selection.resources {
                if selected == &id {
                    *selected = new_id.clone();
                }
            }
            Ok(Some(format!("Change id {id} to {new_id}")))
        }
        Command::SetConfig { id, config } => {
            d.set_config(&id, config).map_err(|e| e.to_string())?;
            Ok(Some(format!("Edit {id}")))
        }
        Command::ApplyFix(fix) => {
            crate::validate::apply_fix(d, &fix).map_err(|e| format!("{}: {e}", fix.label))?;
            state.say(Tone::Info, format!("Fixed: {}", fix.label));
            Ok(Some(format!("Fix: {}", fix.label)))
        }
        Command::AddNote { at } => {
            let id = d.unique_id("note");
            let note = Note {
                id: id.clone(),
                text: "Note".into(),
                rect: Rect::new(at.x, at.y, 220.0, 90.0),
                color: NoteColor::Yellow,
            };
            d.add_note(note).map_err(|e| e.to_string())?;
            state.selection = super::state::Selection {
                note: Some(id),
                ..Default::default()
            };
            Ok(Some("Add note".into()))
        }
        Command::SetNoteText { id, text } => {
            let rect = d
                .notes()
                .iter()
                .find(|n| n.id == id)
                .map(|n| n.rect)
                .ok_or("the note is gone")?;
            d.update_note(&id, text, rect).map_err(|e| e.to_string())?;
            Ok(Some("Edit note".into()))
        }
        Command::MoveNote { id, dx, dy } => {
            let note = d
                .notes()
                .iter()
                .find(|n| n.id == id)
                .cloned()
                .ok_or("the note is gone")?;
            d.update_note(&id, note.text, note.rect.translated(dx, dy))
                .map_err(|e| e.to_string())?;
            Ok(Some("Move note".into()))
        }
        Command::Nudge { dx, dy } => {
            let ids = state.selection.resources.clone();
            if ids.is_empty() {
                return Ok(None);
            }
            d.translate(&ids, dx, dy).map_err(|e| e.to_string())?;
            settle(d, &ids)?;
            Ok(Some(moved_label(ids.len())))
        }
        Command::Align(alignment) => {
            let moves = edit::align(d, &state.selection.resources, alignment);
            apply_moves(d, &moves)?;
            Ok(Some(format!(
                "Align {} resources",
                state.selection.resources.len()
            )))
        }
        Command::Distribute(axis) => {
            let moves = edit::distribute(d, &state.selection.resources, axis);
            apply_moves(d, &moves)?;
            Ok(Some(format!(
                "Distribute {} resources",
                state.selection.resources.len()
            )))
        }
        Command::BringToFront => {
            d.bring_to_front(&state.selection.resources);
            Ok(Some("Bring to front".into()))
        }
        Command::SelectAll => {
            state
                .selection
                .set(d.resources().map(|r| r.id.clone()).collect());
            Ok(None)
        }
        Command::Select(ids) => {
            state.selection.set(ids);
            Ok(None)
        }
        Command::ToggleSelect(id) => {
            state.selection.toggle(id);
            Ok(None)
        }
        Command::SelectLink(link) => {
            state.selection = super::state::Selection {
                link: Some(link),
                ..Default::default()
            };
            Ok(None)
        }
        Command::SelectNote(id) => {
            state.selection = super::state::Selection {
                note: Some(id),
                ..Default::default()
            };
            Ok(None)
        }
        Command::ClearSelection => {
            state.selection = Default::default();
            Ok(None)
        }
        Command::Copy => {
            state.clipboard = edit::copy(d, &state.selection.resources);
            let n = state.clipboard.resources.len();
            state.say(
                Tone::Info,
                format!("Copied {n} resource{}", if n == 1 { "" } else { "s" }),
            );
            Ok(None)
        }
        Command::Cut => {
            state.clipboard = edit::copy(d, &state.selection.resources);
            delete_selection(d, state).map(|label| label.map(|_| "Cut".to_owned()))
        }
        Command::Paste => {
            if state.clipboard.is_empty() {
                return Ok(None);
            }
            let clip = state.clipboard.clone();
            let pasted = edit::paste(d, &clip, PASTE_OFFSET, PASTE_OFFSET);
            // The next paste lands a step further, like a stack of copies.
            state.clipboard = edit::copy(d, &pasted);
            for id in &pasted {
                grow(d, id);
            }
            let label = format!(
                "Paste {} resource{}",
                pasted.len(),
                if pasted.len() == 1 { "" } else { "s" }
            );
            state.selection.set(pasted);
            Ok(Some(label))
        }
        Command::Duplicate => {
            let clip = edit::copy(d, &state.selection.resources);
            let pasted = edit::paste(d, &clip, PASTE_OFFSET, PASTE_OFFSET);
            for id in &pasted {
                grow(d, id);
            }
            let label = format!(
                "Duplicate {} resource{}",
                pasted.len(),
                if pasted.len() == 1 { "" } else { "s" }
            );
            state.selection.set(pasted);
            Ok(Some(label))
        }
        Command::ZoomToFit => {
            // The whole diagram in view: the minimap hides, so no corner is kept for it.
            let bounds = crate::layout::bounds(d);
            state.camera = Camera::fit(&bounds, viewport.0, viewport.1);
            Ok(None)
        }
        Command::ZoomToSelection => {
            let rects: Vec<Rect> = state
                .selection
                .resources
                .iter()
                .filter_map(|id| d.resource(id.as_str()))
                .map(|r| r.rect)
                .collect();
            if let Some(bounds) = rects.into_iter().reduce(|a, b| a.union(&b)) {
                state.camera = Camera::fit(&bounds.expanded(40.0), viewport.0, viewport.1);
            }
            Ok(None)
        }
        Command::Zoom(factor) => {
            let viewport = Rect::new(0.0, 0.0, viewport.0, viewport.1);
            state
                .camera
                .zoom_about(viewport.center(), &viewport, factor);
            Ok(None)
        }
        // Gestures, history and files are handled by the app.
        Command::ApplyMeasuredUsage(measured) => {
            *d = *measured;
            Ok(Some("Use the run's measured usage".to_owned()))
        }
        _ => Ok(None),
    }
}

fn delete_selection(d: &mut Diagram, state: &mut UiState) -> Result<Option<String>, String> {
    if let Some(link) = state.selection.link.take() {
        d.remove_link(&link.from, &link.to, link.kind);
        return Ok(Some("Delete link".into()));
    }
    if let Some(note) = state.selection.note.take() {
        d.remove_note(&note);
        return Ok(Some("Delete note".into()));
    }
    let ids = std::mem::take(&mut state.selection.resources);
    if ids.is_empty() {
        return Ok(None);
    }
    let mut removed = 0;
    for id in &ids {
        if d.contains(id.as_str()) {
            removed += d.remove(id).map(|r| r.len()).unwrap_or(0);
        }
    }
    Ok(Some(format!(
        "Delete {removed} resource{}",
        if removed == 1 { "" } else { "s" }
    )))
}
