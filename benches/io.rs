//! Loading and saving speed of a large diagram (2,000 resources, 3,000 links).
//!
//! `cargo bench --no-default-features --bench io`

// A benchmark that cannot set up should stop loudly.
#![allow(clippy::expect_used)]

use std::hint::black_box;

use cloudcanvas::{io, testdata};
use criterion::{Criterion, criterion_group, criterion_main};

fn load_and_save(c: &mut Criterion) {
    let diagram = testdata::large_diagram(2_000, 3_000, 1);
    let text = io::to_ron_string(&diagram);
    let mut group = c.benchmark_group("io_2000_resources");
    group.bench_function("to_ron_string", |b| {
        b.iter(|| io::to_ron_string(black_box(&diagram)))
    });
    group.bench_function("load_str", |b| b.iter(|| io::load_str(black_box(&text))));
    group.bench_function("invariant_check", |b| {
        b.iter(|| black_box(&diagram).problems())
    });
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("large.ron");
    group.bench_function("atomic_save", |b| {
        b.iter(|| io::save(&path, black_box(&diagram)))
    });
    group.finish();
}

criterion_group!(benches, load_and_save);
criterion_main!(benches);
