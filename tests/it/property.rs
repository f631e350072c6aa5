//! Property tests: random diagrams round-trip through saves, random edit sequences keep
//! every invariant, and the loader survives mutated saves and arbitrary bytes.
//!
//! Case counts are modest for the suite; `CLOUDCANVAS_FUZZ_CASES=100000` runs more.

use cloudcanvas::io;
use cloudcanvas::library::templates;
use cloudcanvas::model::catalog::catalog;
use cloudcanvas::model::geom::Rect;
use cloudcanvas::model::{Diagram, Kind, Link, LinkKind, Note, NoteColor, Resource, ResourceId};
use proptest::prelude::*;

fn cases(default: u32) -> u32 {
    std::env::var("CLOUDCANVAS_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// One random step of building a diagram: what to add and where.
#[derive(Clone, Debug)]
enum Step {
    Add {
        kind: usize,
        parent_pick: u16,
        name: String,
        x: i16,
        y: i16,
    },
    Link {
        from: u16,
        to: u16,
        kind: usize,
    },
    Note {
        text: String,
    },
    Remove {
        pick: u16,
    },
    Reparent {
        pick: u16,
        parent_pick: u16,
    },
    Rename {
        pick: u16,
        new_id: String,
    },
    Move {
        pick: u16,
        dx: i16,
        dy: i16,
    },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        6 => (0..Kind::ALL.len(), any::<u16>(), "\\PC{0,16}", any::<i16>(), any::<i16>())
            .prop_map(|(kind, parent_pick, name, x, y)| Step::Add { kind, parent_pick, name, x, y }),
        4 => (any::<u16>(), any::<u16>(), 0..LinkKind::ALL.len()).prop_map(|(from, to, kind)| Step::Link { from, to, kind }),
        1 => "\\PC{0,40}".prop_map(|text| Step::Note { text }),
        1 => any::<u16>().prop_map(|pick| Step::Remove { pick }),
        1 => (any::<u16>(), any::<u16>()).prop_map(|(pick, parent_pick)| Step::Reparent { pick, parent_pick }),
        1 => (any::<u16>(), "[a-z][a-z0-9.-]{0,10}").prop_map(|(pick, new_id)| Step::Rename { pick, new_id }),
        1 => (any::<u16>(), any::<i16>(), any::<i16>()).prop_map(|(pick, dx, dy)| Step::Move { pick, dx, dy }),
    ]
}

fn pick(d: &Diagram, n: u16) -> Option<&Resource> {
    if d.is_empty() {
        None
    } else {
        d.resources().nth(n as usize % d.len())
    }
}

/// Applies steps through the model's edit API; refused edits are simply skipped.
fn build(steps: &[Step]) -> Diagram {
    let mut d = Diagram::new("random");
    let catalog = catalog();
    for (i, step) in steps.iter().enumerate() {
        match step {
            Step::Add {
                kind,
                parent_pick,
                name,
                x,
                y,
            } => {
                let kind = Kind::ALL[*kind];
                let mut parents: Vec<Option<ResourceId>> = d
                    .resources()
                    .filter(|r| catalog.may_contain(Some(r.kind()), kind))
                    .map(|r| Some(r.id.clone()))
                    .collect();
                if catalog.may_contain(None, kind) {
                    parents.push(None);
                }
                if parents.is_empty() {
                    continue;
                }
                let parent = parents[*parent_pick as usize % parents.len()].clone();
                let mut resource = Resource::new(
                    d.unique_id(&format!("{}-{i}", kind.name().to_lowercase())),
                    kind,
                )
                .named(name.clone());
                resource.parent = parent;
                resource.rect = Rect::new(f32::from(*x), f32::from(*y), 112.0, 88.0);
                d.add(resource).unwrap();
            }
            Step::Link { from, to, kind } => {
                let (Some(a), Some(b)) = (pick(&d, *from), pick(&d, *to)) else {
                    continue;
                };
                let link = Link::new(a.id.clone(), b.id.clone(), LinkKind::ALL[*kind]);
                let _ = d.add_link(link);
            }
            Step::Note { text } => {
                let note = Note {
                    id: d.unique_id("note"),
                    text: text.clone(),
                    rect: Rect::new(0.0, 0.0, 200.0, 80.0),
                    color: NoteColor::Blue,
                };
                d.add_note(note).unwrap();
            }
            Step::Remove { pick: n } => {
                if let Some(id) = pick(&d, *n).map(|r| r.id.clone()) {
                    d.remove(&id).unwrap();
                }
            }
            Step::Reparent {
                pick: n,
                parent_pick,
            } => {
                let (Some(r), Some(p)) = (pick(&d, *n), pick(&d, *parent_pick)) else {
                    continue;
                };
                let (id, parent) = (r.id.clone(), p.id.clone());
                let _ = d.set_parent(&id, Some(&parent));
            }
            Step::Rename { pick: n, new_id } => {
                let Some(id) = pick(&d, *n).map(|r| r.id.clone()) else {
                    continue;
                };
                let _ = d.rename(&id, ResourceId::new(new_id.as_str()).unwrap());
            }
            Step::Move { pick: n, dx, dy } => {
                let Some(id) = pick(&d, *n).map(|r| r.id.clone()) else {
                    continue;
                };
                d.translate(&[id], f32::from(*dx), f32::from(*dy)).unwrap();
            }
        }
        assert!(
            d.problems().is_empty(),
            "after {step:?}: {:?}",
            d.problems()
        );
    }
    d
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(256)))]

    #[test]
    fn random_diagrams_round_trip_and_keep_invariants(steps in prop::collection::vec(step(), 1..80)) {
        let diagram = build(&steps);
        let text = io::to_ron_string(&diagram);
        let loaded = io::load_str(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(&loaded, &diagram);
        prop_assert_eq!(io::to_ron_string(&loaded), text);
    }
}

/// Text of every template as saved, the seed of the mutation fuzzer.
fn saved_templates() -> &'static [String] {
    static SEEDS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    SEEDS.get_or_init(|| {
        templates::all()
            .iter()
            .map(|t| io::to_ron_string(&t.load().unwrap()))
            .collect()
    })
}

#[derive(Clone, Debug)]
pub(crate) enum Mutation {
    Delete { at: usize, len: usize },
    Insert { at: usize, text: String },
    Duplicate { at: usize, len: usize },
    Replace { at: usize, byte: u8 },
    Truncate { at: usize },
}

pub(crate) fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 1..64usize).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (any::<usize>(), "[()\\[\\],:\"a-zA-Z0-9_. -]{1,12}")
            .prop_map(|(at, text)| Mutation::Insert { at, text }),
        (any::<usize>(), 1..200usize).prop_map(|(at, len)| Mutation::Duplicate { at, len }),
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Replace { at, byte }),
        any::<usize>().prop_map(|at| Mutation::Truncate { at }),
    ]
}

pub(crate) fn mutate(text: &str, mutations: &[Mutation]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for m in mutations {
        let len = bytes.len().max(1);
        match m {
            Mutation::Delete { at, len: n } => {
                let start = at % len;
                let end = (start + n).min(bytes.len());
                bytes.drain(start.min(bytes.len())..end);
            }
            Mutation::Insert { at, text } => {
                let at = at % len;
                bytes.splice(at.min(bytes.len())..at.min(bytes.len()), text.bytes());
            }
            Mutation::Duplicate { at, len: n } => {
                let start = (at % len).min(bytes.len());
                let end = (start + n).min(bytes.len());
                let copy = bytes[start..end].to_vec();
                bytes.splice(end..end, copy);
            }
            Mutation::Replace { at, byte } => {
                if !bytes.is_empty() {
                    let i = at % bytes.len();
                    bytes[i] = *byte;
                }
            }
            Mutation::Truncate { at } => bytes.truncate(at % len),
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(1000)))]

    #[test]
    fn mutated_saves_load_whole_or_fail_cleanly(template in 0..10usize, mutations in prop::collection::vec(mutation(), 1..4)) {
        let seeds = saved_templates();
        let text = mutate(&seeds[template % seeds.len()], &mutations);
        match io::load_str(&text) {
            Ok(diagram) => {
                prop_assert!(diagram.problems().is_empty());
                let again = io::load_str(&io::to_ron_string(&diagram));
                prop_assert!(again.is_ok_and(|a| a == diagram));
            }
            Err(e) => prop_assert!(e.line.is_some() || e.to_string().contains("schema_version"), "{}", e),
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = io::load_str(&text);
    }
}
