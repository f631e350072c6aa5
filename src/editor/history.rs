//! Undo and redo as capped diagram snapshots with explicit transactions.
//!
//! A whole gesture is one step: the editor calls [`History::begin`] when a drag starts and
//! [`History::commit`] when it stops (nothing is recorded if nothing changed), and
//! [`History::abort`] on Escape. Single edits use [`History::record`].

use crate::model::Diagram;

/// How many steps are kept.
pub const DEFAULT_LIMIT: usize = 200;

/// One undoable step: the diagram before it, and what it did.
#[derive(Clone, Debug)]
struct Step {
    label: String,
    before: Diagram,
}

/// The undo and redo stacks.
#[derive(Clone, Debug)]
pub struct History {
    undo: Vec<Step>,
    redo: Vec<Step>,
    limit: usize,
    /// The gesture in progress: its label and the diagram when it began.
    open: Option<Step>,
}

impl Default for History {
    fn default() -> Self {
        History::new(DEFAULT_LIMIT)
    }
}

impl History {
    /// Empty history keeping at most `limit` steps (at least one).
    pub fn new(limit: usize) -> Self {
        History {
            undo: Vec::new(),
            redo: Vec::new(),
            limit: limit.max(1),
            open: None,
        }
    }

    /// Records a finished edit, given the diagram as it was before. Clears redo.
    pub fn record(&mut self, label: impl Into<String>, before: Diagram) {
        self.redo.clear();
        self.undo.push(Step {
            label: label.into(),
            before,
        });
        if self.undo.len() > self.limit {
            self.undo.remove(0);
        }
    }

    /// Starts a gesture (a drag, a text edit) that becomes one step when committed.
    /// A gesture already open is kept: nested begins do not split it.
    pub fn begin(&mut self, label: impl Into<String>, current: &Diagram) {
        if self.open.is_none() {
            self.open = Some(Step {
                label: label.into(),
                before: current.clone(),
            });
        }
    }

    /// Ends the open gesture: records it if the diagram changed. Returns whether a step
    /// was recorded.
    pub fn commit(&mut self, current: &Diagram) -> bool {
        match self.open.take() {
            Some(step) if &step.before != current => {
                self.record(step.label, step.before);
                true
            }
            _ => false,
        }
    }

    /// Ends the open gesture by restoring the diagram it began with.
    pub fn abort(&mut self, current: &mut Diagram) {
        if let Some(step) = self.open.take() {
            *current = step.before;
        }
    }

    /// True while a gesture is open.
    pub fn is_open(&self) -> bool {
        self.open.is_some()
    }

    /// Renames the open gesture (its label becomes known as it goes, e.g. "Move 3 resources").
    pub fn relabel_open(&mut self, label: impl Into<String>) {
        if let Some(step) = &mut self.open {
            step.label = label.into();
        }
    }

    /// Undoes the last step; returns its label.
    pub fn undo(&mut self, current: &mut Diagram) -> Option<String> {
        self.commit(current);
        let step = self.undo.pop()?;
        let after = std::mem::replace(current, step.before);
        self.redo.push(Step {
            label: step.label.clone(),
            before: after,
        });
        Some(step.label)
    }

    /// Redoes the last undone step; returns its label.
    pub fn redo(&mut self, current: &mut Diagram) -> Option<String> {
        let step = self.redo.pop()?;
        let before = std::mem::replace(current, step.before);
        self.undo.push(Step {
            label: step.label.clone(),
            before,
        });
        Some(step.label)
    }

    /// Label of the step undo would revert.
    pub fn undo_label(&self) -> Option<&str> {
        self.undo.last().map(|s| s.label.as_str())
    }

    /// Label of the step redo would repeat.
    pub fn redo_label(&self) -> Option<&str> {
        self.redo.last().map(|s| s.label.as_str())
    }

    /// Labels of the undo stack, oldest first.
    pub fn undo_labels(&self) -> impl Iterator<Item = &str> {
        self.undo.iter().map(|s| s.label.as_str())
    }

    /// Forgets everything (a new file was opened).
    pub fn clear(&mut self) {
        self.undo.clear();
        self.redo.clear();
        self.open = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(name: &str) -> Diagram {
        Diagram::new(name)
    }

    #[test]
    fn undo_and_redo_walk_the_steps() {
        let mut h = History::default();
        let mut d = named("a");
        h.record("Rename to b", d.clone());
        d.name = "b".into();
        h.record("Rename to c", d.clone());
        d.name = "c".into();
        assert_eq!(h.undo(&mut d).as_deref(), Some("Rename to c"));
        assert_eq!(d.name, "b");
        assert_eq!(h.undo(&mut d).as_deref(), Some("Rename to b"));
        assert_eq!(d.name, "a");
        assert_eq!(h.undo(&mut d), None);
        assert_eq!(h.redo(&mut d).as_deref(), Some("Rename to b"));
        assert_eq!(d.name, "b");
        h.record("Rename to z", d.clone());
        assert_eq!(h.redo_label(), None, "a new edit clears redo");
    }

    #[test]
    fn a_gesture_is_one_step_and_unchanged_gestures_are_dropped() {
        let mut h = History::default();
        let mut d = named("start");
        h.begin("Move", &d);
        for i in 0..60 {
            d.name = format!("frame {i}");
            h.begin("Move", &d); // a begin every frame must not split the gesture
        }
        h.relabel_open("Move 3 resources");
        assert!(h.commit(&d));
        assert_eq!(h.undo_labels().count(), 1);
        assert_eq!(h.undo_label(), Some("Move 3 resources"));
        h.begin("Nothing", &d);
        assert!(!h.commit(&d), "no change, no step");
        h.undo(&mut d);
        assert_eq!(d.name, "start");
    }

    #[test]
    fn abort_restores_and_the_limit_holds() {
        let mut h = History::new(100);
        let mut d = named("kept");
        h.begin("Drag", &d);
        d.name = "dragged".into();
        h.abort(&mut d);
        assert_eq!(d.name, "kept");
        assert!(!h.is_open());
        for i in 0..150 {
            h.record(format!("step {i}"), d.clone());
        }
        assert_eq!(h.undo_labels().count(), 100);
        assert_eq!(h.undo_labels().next(), Some("step 50"));
    }
}
