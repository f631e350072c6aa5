//! Speed of the cost estimate on a generated diagram of 2,000 resources.
//!
//! `cargo bench --no-default-features --bench estimate`

use std::hint::black_box;

use cloudcanvas::{pricing, testdata};
use criterion::{Criterion, criterion_group, criterion_main};

// The allocator the program runs with.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn estimate(c: &mut Criterion) {
    let diagram = testdata::large_diagram(2_000, 3_000, 1);
    // Load the price tables once, as the program does at its first estimate.
    let report = pricing::estimate(&diagram);
    assert!(!report.lines.is_empty());
    c.bench_function("estimate_2000_resources", |b| {
        b.iter(|| pricing::estimate(black_box(&diagram)))
    });
}

criterion_group!(benches, estimate);
criterion_main!(benches);
