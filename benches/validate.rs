//! Speed of the validator on a generated diagram of 2,000 resources.
//!
//! `cargo bench --no-default-features --bench validate`

use std::hint::black_box;

use cloudcanvas::{testdata, validate};
use criterion::{Criterion, criterion_group, criterion_main};

// The allocator the program runs with.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn validate_large(c: &mut Criterion) {
    let diagram = testdata::large_diagram(2_000, 3_000, 1);
    let report = validate::validate(&diagram);
    assert!(!report.findings.is_empty());
    c.bench_function("validate_2000_resources", |b| {
        b.iter(|| validate::validate(black_box(&diagram)))
    });
}

criterion_group!(benches, validate_large);
criterion_main!(benches);
