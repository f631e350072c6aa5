//! A scenario played as a lesson: its steps happen on their own, each with a narration
//! card, and the run can pause at each so the teacher can talk.

use crate::sim::{Action, Scenario};

/// One step of a lesson.
#[derive(Clone, Debug, PartialEq)]
pub struct LessonStep {
    /// When, in simulated seconds.
    pub secs: f64,
    /// What happens.
    pub action: Action,
    /// What the card says.
    pub say: String,
}

/// A lesson in progress.
#[derive(Clone, Debug, PartialEq)]
pub struct Lesson {
    /// The scenario's title.
    pub name: String,
    /// What to watch, on the first card.
    pub intro: String,
    /// The steps, in time order.
    pub steps: Vec<LessonStep>,
    /// Steps that have happened.
    pub reached: usize,
    /// The card on screen: 0 the introduction, `i + 1` step `i`; none when hidden.
    pub card: Option<usize>,
    /// The run pauses at each step.
    pub pause_at_steps: bool,
    /// The scenario itself (a comparison plays it too).
    pub scenario: Scenario,
}

impl Lesson {
    /// The lesson of `scenario`, showing its introduction.
    pub fn of(scenario: &Scenario) -> Lesson {
        let mut steps: Vec<LessonStep> = scenario
            .timeline()
            .into_iter()
            .zip(&scenario.steps)
            .map(|((secs, action), step)| LessonStep {
                say: if step.say.is_empty() {
                    super::describe(&action)
                } else {
                    step.say.clone()
                },
                secs,
                action,
            })
            .collect();
        steps.sort_by(|a, b| a.secs.total_cmp(&b.secs));
        Lesson {
            name: scenario.name.clone(),
            intro: if scenario.lesson.is_empty() {
                scenario.description.clone()
            } else {
                scenario.lesson.clone()
            },
            steps,
            reached: 0,
            card: Some(0),
            pause_at_steps: true,
            scenario: scenario.clone(),
        }
    }

    /// When the next step happens, if one is left.
    pub fn next_secs(&self) -> Option<f64> {
        self.steps.get(self.reached).map(|s| s.secs)
    }

    /// Notes the steps that have happened by `now`; true when one just did.
    pub fn catch_up(&mut self, now: f64) -> bool {
        let before = self.reached;
        while self.steps.get(self.reached).is_some_and(|s| s.secs <= now) {
            self.reached += 1;
        }
        if self.reached > before {
            self.card = Some(self.reached);
            true
        } else {
            false
        }
    }

    /// Back to the start, showing the introduction.
    pub fn rewind(&mut self) {
        self.reached = 0;
        self.card = Some(0);
    }

    /// The card on screen: its heading and words.
    pub fn card_text(&self) -> Option<(String, &str)> {
        match self.card? {
            0 => Some((self.name.clone(), self.intro.as_str())),
            i => self.steps.get(i - 1).map(|s| {
                (
                    format!(
                        "Step {i} of {} · {}",
                        self.steps.len(),
                        super::clock(s.secs)
                    ),
                    s.say.as_str(),
                )
            }),
        }
    }
}
