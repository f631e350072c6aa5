//! Speed of link routing on a generated diagram of 2,000 resources and 3,000 links: every
//! link routed from nothing (opening a file), a frame where nothing moved, and the frame
//! after one card moved (dragging).
//!
//! `cargo bench --no-default-features --bench routes`

#![allow(clippy::expect_used)]

use std::hint::black_box;

use cloudcanvas::layout::routes::Routes;
use cloudcanvas::model::Kind;
use cloudcanvas::testdata;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};

// The allocator the program runs with.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn routes(c: &mut Criterion) {
    let diagram = testdata::large_diagram(2_000, 3_000, 1);
    assert_eq!(diagram.links().len(), 3_000);
    c.bench_function("route_all_3000_links", |b| {
        b.iter(|| Routes::of(black_box(&diagram)))
    });
    let routed = Routes::of(&diagram);
    c.bench_function("routes_unchanged_frame", |b| {
        b.iter_batched_ref(
            || routed.clone(),
            |r| r.update(black_box(&diagram)),
            BatchSize::LargeInput,
        )
    });
    // An instance in the middle of the diagram, moved by a few units as a drag moves it.
    let instances: Vec<_> = diagram
        .resources()
        .filter(|r| r.kind() == Kind::Ec2Instance)
        .map(|r| r.id.clone())
        .collect();
    let moved_id = instances[instances.len() / 2].clone();
    let mut moved = diagram.clone();
    moved
        .translate(&[moved_id], 7.0, 3.0)
        .expect("an instance of the diagram moves");
    c.bench_function("reroute_after_moving_one_card", |b| {
        b.iter_batched_ref(
            || routed.clone(),
            |r| r.update(black_box(&moved)),
            BatchSize::LargeInput,
        )
    });
}

criterion_group!(benches, routes);
criterion_main!(benches);
