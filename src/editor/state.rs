//! View state of the editor, never saved into a diagram: selection, camera, the gesture in
//! progress, panels and messages.

use crate::editor::edit::Clip;
use crate::layout::view::Camera;
use crate::model::geom::{Point, Rect};
use crate::model::{Kind, LinkKind, ResourceId};

/// The minimap's size on screen and its margin from the canvas's corner. It shows only
/// while part of the diagram is out of view, so a fitted view keeps the whole canvas.
pub const MINIMAP_SIZE: (f32, f32) = (168.0, 112.0);
/// See [`MINIMAP_SIZE`].
pub const MINIMAP_MARGIN: f32 = 12.0;

/// Identifies a link: its ends and meaning.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkKey {
    /// Start.
    pub from: ResourceId,
    /// End.
    pub to: ResourceId,
    /// Meaning.
    pub kind: LinkKind,
}

/// What is selected.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Selection {
    /// Selected resources, in the order they were selected (the first anchors alignment).
    pub resources: Vec<ResourceId>,
    /// The selected link, if a link is selected instead.
    pub link: Option<LinkKey>,
    /// The selected sticky note, if a note is selected instead.
    pub note: Option<ResourceId>,
}

impl Selection {
    /// True when nothing is selected.
    pub fn is_empty(&self) -> bool {
        self.resources.is_empty() && self.link.is_none() && self.note.is_none()
    }

    /// True when `id` is a selected resource.
    pub fn contains(&self, id: &ResourceId) -> bool {
        self.resources.contains(id)
    }

    /// Selects exactly these resources.
    pub fn set(&mut self, ids: Vec<ResourceId>) {
        *self = Selection {
            resources: ids,
            ..Selection::default()
        };
    }

    /// Adds or removes one resource.
    pub fn toggle(&mut self, id: ResourceId) {
        self.link = None;
        self.note = None;
        if let Some(index) = self.resources.iter().position(|r| r == &id) {
            self.resources.remove(index);
        } else {
            self.resources.push(id);
        }
    }

    /// Forgets resources that no longer exist.
    pub fn retain_existing(&mut self, exists: impl Fn(&ResourceId) -> bool) {
        self.resources.retain(|id| exists(id));
        if self
            .link
            .as_ref()
            .is_some_and(|l| !exists(&l.from) || !exists(&l.to))
        {
            self.link = None;
        }
    }
}

/// The pointer gesture in progress on the canvas: an explicit state machine, so each
/// frame knows what a drag means.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Gesture {
    /// Nothing in progress.
    #[default]
    Idle,
    /// The view follows the pointer.
    Panning,
    /// Selected resources follow the pointer; `moved` is the distance so far (world).
    Moving {
        /// Resources being moved.
        ids: Vec<ResourceId>,
        /// Distance moved so far.
        moved: (f32, f32),
        /// Grid snapping carries the remainder between frames.
        carry: (f32, f32),
    },
    /// A container's corner follows the pointer.
    Resizing {
        /// The container.
        id: ResourceId,
        /// Its rectangle when the drag began.
        original: Rect,
        /// The edge or corner being dragged.
        handle: ResizeHandle,
    },
    /// A link is being drawn from a resource.
    Connecting {
        /// Where the link starts.
        from: ResourceId,
        /// The pointer, in world units.
        pointer: Point,
    },
    /// A selection rectangle is being drawn.
    BoxSelecting {
        /// Where the drag began (world).
        start: Point,
        /// The pointer (world).
        current: Point,
    },
    /// A sticky note follows the pointer.
    MovingNote {
        /// The note.
        id: ResourceId,
    },
}

/// Which edge or corner of a container is dragged to resize it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResizeHandle {
    /// The left edge.
    Left,
    /// The right edge.
    Right,
    /// The bottom edge.
    Bottom,
    /// The bottom-right corner.
    BottomRight,
}

impl ResizeHandle {
    /// The rectangle after dragging this handle by `(dx, dy)` from `original`, at least
    /// `min_w` by `min_h`.
    pub fn resized(self, original: &Rect, dx: f32, dy: f32, min_w: f32, min_h: f32) -> Rect {
        let (mut left, mut right, top, mut bottom) =
            (original.x, original.right(), original.y, original.bottom());
        match self {
            ResizeHandle::Left => left = (left + dx).min(right - min_w),
            ResizeHandle::Right => right = (right + dx).max(left + min_w),
            ResizeHandle::Bottom => bottom = (bottom + dy).max(top + min_h),
            ResizeHandle::BottomRight => {
                right = (right + dx).max(left + min_w);
                bottom = (bottom + dy).max(top + min_h);
            }
        }
        Rect::new(left, top, right - left, bottom - top)
    }
}

/// How serious a status message is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    /// Information.
    Info,
    /// Something was refused or failed.
    Error,
}

/// A message in the status bar.
#[derive(Clone, Debug, PartialEq)]
pub struct StatusMessage {
    /// The text.
    pub text: String,
    /// Its tone.
    pub tone: Tone,
    /// When it was first shown (seconds of the UI clock), to fade it out; none until
    /// the next frame starts, as a file dialog may have held the clock's last reading
    /// for a long time.
    pub since: Option<f64>,
}

/// Everything about the view that is not the diagram.
#[derive(Clone, Debug)]
pub struct UiState {
    /// What is selected.
    pub selection: Selection,
    /// A run is on: the canvas selects and pans but does not edit.
    pub running: bool,
    /// During a run, the zone whose right-click menu the canvas background opens.
    pub run_menu_target: Option<ResourceId>,
    /// The camera.
    pub camera: Camera,
    /// The gesture in progress.
    pub gesture: Gesture,
    /// Fit the view to the diagram at the next frame (after opening a file).
    pub fit_pending: bool,
    /// The canvas size of the last fit, to know when the layout has settled.
    pub fitted_size: Option<(f32, f32)>,
    /// Palette search text.
    pub palette_filter: String,
    /// Grid shown.
    pub show_grid: bool,
    /// Moves snap to the grid.
    pub snap_to_grid: bool,
    /// The minimap is shown.
    pub show_minimap: bool,
    /// The last status message.
    pub status: Option<StatusMessage>,
    /// Copied resources.
    pub clipboard: Clip,
    /// The kind being dragged from the palette, with the drop verdict at the pointer.
    pub palette_drag: Option<(Kind, Result<Option<ResourceId>, String>)>,
    /// The keyboard help is open.
    pub show_help: bool,
    /// The template gallery is open.
    pub show_gallery: bool,
    /// The command palette is open, with its query.
    pub command_palette: Option<String>,
    /// A question waiting for an answer before unsaved work is lost.
    pub confirm: Option<super::commands::Command>,
    /// The UI clock (seconds), updated each frame.
    pub now: f64,
    /// Monthly cost of each resource, derived from the document for the canvas badges.
    pub cost_by_resource: std::collections::HashMap<ResourceId, f64>,
    /// The most serious finding and the number of findings of each resource, for badges.
    pub findings_by_resource:
        std::collections::HashMap<ResourceId, (crate::validate::Severity, usize)>,
    /// The links' routes, brought up to date with the document before each frame draws.
    pub routes: crate::layout::routes::Routes,
}

impl Default for UiState {
    fn default() -> Self {
        UiState {
            selection: Selection::default(),
            running: false,
            run_menu_target: None,
            camera: Camera::default(),
            gesture: Gesture::Idle,
            fit_pending: true,
            fitted_size: None,
            palette_filter: String::new(),
            show_grid: true,
            snap_to_grid: true,
            show_minimap: true,
            status: None,
            clipboard: Clip::default(),
            palette_drag: None,
            show_help: false,
            show_gallery: false,
            command_palette: None,
            confirm: None,
            now: 0.0,
            cost_by_resource: Default::default(),
            findings_by_resource: Default::default(),
            routes: Default::default(),
        }
    }
}

impl UiState {
    /// Shows a message in the status bar.
    pub fn say(&mut self, tone: Tone, text: impl Into<String>) {
        self.status = Some(StatusMessage {
            text: text.into(),
            tone,
            since: None,
        });
    }
}

/// Grid step of the canvas, in world units.
pub const GRID: f32 = 16.0;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resize_handles_move_their_own_edges_and_respect_the_minimum() {
        let r = Rect::new(0.0, 0.0, 400.0, 300.0);
        assert_eq!(
            ResizeHandle::Left.resized(&r, 50.0, 99.0, 160.0, 100.0),
            Rect::new(50.0, 0.0, 350.0, 300.0)
        );
        assert_eq!(
            ResizeHandle::Right.resized(&r, -500.0, 0.0, 160.0, 100.0),
            Rect::new(0.0, 0.0, 160.0, 300.0)
        );
        assert_eq!(
            ResizeHandle::Bottom.resized(&r, 30.0, 20.0, 160.0, 100.0),
            Rect::new(0.0, 0.0, 400.0, 320.0)
        );
        assert_eq!(
            ResizeHandle::BottomRight.resized(&r, 10.0, 10.0, 160.0, 100.0),
            Rect::new(0.0, 0.0, 410.0, 310.0)
        );
    }
}
