//! The house in order: the source keeps the layer order ARCHITECTURE.md writes down (no
//! module uses one on a higher layer, nor a peer on its own), every top-level module is on
//! the map, and TESTING.md says what every test file proves.
//!
//! Imports are read with `syn` from the source as written: `use crate::…` trees and every
//! `crate::…` path in the code, leaving out items marked `#[cfg(test)]` (tests may build on
//! anything, templates included).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use syn::visit::Visit;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The layers of ARCHITECTURE.md's "Layers" section, bottom first: each numbered line
/// names its modules in backticks before the dash.
fn layers() -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let section = text
        .split("\n## ")
        .find(|s| s.starts_with("Layers"))
        .expect("ARCHITECTURE.md has a `## Layers` section");
    section
        .lines()
        .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .map(|l| {
            let head = l.split(" — ").next().unwrap_or(l);
            head.split('`')
                .skip(1)
                .step_by(2)
                .map(str::to_string)
                .collect()
        })
        .collect()
}

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// The top-level modules of the crate, as `lib.rs` declares them.
fn top_modules() -> BTreeSet<String> {
    let lib =
        syn::parse_file(&std::fs::read_to_string(root().join("src/lib.rs")).unwrap()).unwrap();
    lib.items
        .iter()
        .filter_map(|i| match i {
            syn::Item::Mod(m) => Some(m.ident.to_string()),
            _ => None,
        })
        .collect()
}

fn is_test_only(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && a.parse_args::<syn::Meta>()
                .is_ok_and(|m| m.path().is_ident("test"))
    })
}

/// The top-level modules a file's code names through `crate::`, with a line of each use.
#[derive(Default)]
struct Uses {
    found: BTreeMap<String, usize>,
    /// Lines that name `std::fs`.
    file_system: Vec<usize>,
}

impl Uses {
    fn tree(&mut self, tree: &syn::UseTree, at_crate: bool) {
        if let syn::UseTree::Path(p) = tree
            && p.ident == "std"
            && matches!(&*p.tree, syn::UseTree::Path(q) if q.ident == "fs")
        {
            self.file_system.push(p.ident.span().start().line);
        }
        match tree {
            syn::UseTree::Path(p) if !at_crate && p.ident == "crate" => self.tree(&p.tree, true),
            syn::UseTree::Path(p) if at_crate => self.note(&p.ident),
            syn::UseTree::Name(n) if at_crate => self.note(&n.ident),
            syn::UseTree::Rename(r) if at_crate => self.note(&r.ident),
            syn::UseTree::Group(g) => g.items.iter().for_each(|t| self.tree(t, at_crate)),
            _ => {}
        }
    }

    fn note(&mut self, ident: &syn::Ident) {
        self.found
            .entry(ident.to_string())
            .or_insert(ident.span().start().line);
    }
}

impl<'ast> Visit<'ast> for Uses {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        let attrs = match item {
            syn::Item::Mod(m) => &m.attrs,
            syn::Item::Fn(f) => &f.attrs,
            syn::Item::Impl(i) => &i.attrs,
            syn::Item::Use(u) => &u.attrs,
            syn::Item::Const(c) => &c.attrs,
            syn::Item::Static(s) => &s.attrs,
            syn::Item::Struct(s) => &s.attrs,
            syn::Item::Enum(e) => &e.attrs,
            _ => return syn::visit::visit_item(self, item),
        };
        if !is_test_only(attrs) {
            syn::visit::visit_item(self, item);
        }
    }

    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        if !is_test_only(&f.attrs) {
            syn::visit::visit_impl_item_fn(self, f);
        }
    }

    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        self.tree(&u.tree, false);
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let mut segments = path.segments.iter();
        if let (Some(first), Some(second)) = (segments.next(), segments.next()) {
            if first.ident == "crate" {
                self.note(&second.ident);
            }
            if first.ident == "std" && second.ident == "fs" {
                self.file_system.push(first.ident.span().start().line);
            }
        }
        syn::visit::visit_path(self, path);
    }

    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        // Paths inside macro calls (format!, json!, matches!…) are tokens, not a syntax
        // tree: read `crate :: name` from the tokens.
        let tokens: Vec<String> = m.tokens.clone().into_iter().flat_map(flatten).collect();
        for w in tokens.windows(4) {
            if w[0] == "crate" && w[1] == ":" && w[2] == ":" {
                self.found.entry(w[3].clone()).or_insert(0);
            }
            if w[0] == "std" && w[1] == ":" && w[2] == ":" && w[3] == "fs" {
                self.file_system.push(0);
            }
        }
        syn::visit::visit_macro(self, m);
    }
}

fn flatten(tree: proc_macro2::TokenTree) -> Vec<String> {
    match tree {
        proc_macro2::TokenTree::Group(g) => g.stream().into_iter().flat_map(flatten).collect(),
        other => vec![other.to_string()],
    }
}

/// The top-level module a source file belongs to.
fn module_of(file: &Path) -> Option<String> {
    let rel = file.strip_prefix(root().join("src")).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    Some(first.trim_end_matches(".rs").to_string())
}

#[test]
fn no_module_uses_one_on_a_higher_layer_or_a_peer_and_only_io_touches_files() {
    let layers = layers();
    let rank: BTreeMap<&str, usize> = layers
        .iter()
        .enumerate()
        .flat_map(|(i, mods)| mods.iter().map(move |m| (m.as_str(), i)))
        .collect();
    let modules = top_modules();
    let unplaced: Vec<&String> = modules
        .iter()
        .filter(|m| !rank.contains_key(m.as_str()))
        .collect();
    assert!(
        unplaced.is_empty(),
        "add these modules to a line of ARCHITECTURE.md's Layers: {unplaced:?}"
    );
    let mut wrong = Vec::new();
    for file in rust_files(&root().join("src")) {
        let Some(module) = module_of(&file) else {
            continue;
        };
        // `tests.rs` and `*_tests.rs` are test modules kept beside their code.
        if file.to_str().is_some_and(|f| f.ends_with("tests.rs")) {
            continue;
        }
        let Some(&mine) = rank.get(module.as_str()) else {
            continue; // lib.rs and main.rs stand above every layer.
        };
        let text = std::fs::read_to_string(&file).unwrap();
        let parsed = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let mut uses = Uses::default();
        uses.visit_file(&parsed);
        let rel = file.strip_prefix(root()).unwrap().display().to_string();
        if !["io", "ui", "cli"].contains(&module.as_str()) {
            for line in &uses.file_system {
                wrong.push(format!(
                    "{rel}:{line}: `{module}` uses `std::fs`; only `io` and the front ends touch files"
                ));
            }
        }
        for (used, line) in uses.found {
            let Some(&theirs) = rank.get(used.as_str()) else {
                continue;
            };
            if used != module && theirs >= mine {
                wrong.push(format!(
                    "{rel}:{line}: `{module}` (layer {}) uses `crate::{used}` (layer {})",
                    mine + 1,
                    theirs + 1
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "a module may use only modules on lower layers (ARCHITECTURE.md, Layers):\n{}",
        wrong.join("\n")
    );
}

#[test]
fn testing_md_says_what_every_test_file_proves() {
    let text = std::fs::read_to_string(root().join("TESTING.md")).unwrap();
    let missing: Vec<String> = ["tests/it", "tests/ui"]
        .iter()
        .flat_map(|dir| rust_files(&root().join(dir)))
        .map(|f| f.strip_prefix(root()).unwrap().display().to_string())
        .filter(|f| !f.ends_with("/main.rs") && !text.contains(&format!("`{f}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "name these files in TESTING.md with what they prove: {missing:?}"
    );
}

#[test]
fn architecture_md_maps_every_top_level_module() {
    let text = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let missing: Vec<String> = top_modules()
        .into_iter()
        .filter(|m| {
            let dir = format!("`src/{m}/`");
            let file = format!("`src/{m}.rs`");
            !text.contains(&dir) && !text.contains(&file)
        })
        .collect();
    assert!(
        missing.is_empty(),
        "add these modules to ARCHITECTURE.md's map: {missing:?}"
    );
}
