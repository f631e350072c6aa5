//! Speed of the simulation engine: events per second on the queueing lab (an M/M/2 queue),
//! and one simulated day of the three-tier template at 200 requests per second.
//!
//! `cargo bench --no-default-features --bench simulate`

use std::hint::black_box;

use cloudcanvas::library::templates;
use cloudcanvas::model::overrides;
use cloudcanvas::sim::{RunSettings, from_secs, simulate};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

// The allocator the program runs with.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn template(name: &str, sets: &[&str]) -> cloudcanvas::model::Diagram {
    let mut d = templates::find(name)
        .and_then(|t| t.load().ok())
        .unwrap_or_else(|| panic!("template {name}"));
    for set in sets {
        let o = set.parse().unwrap_or_else(|e| panic!("{e}"));
        overrides::apply(&mut d, &o).unwrap_or_else(|e| panic!("{e}"));
    }
    d
}

fn queueing_lab(c: &mut Criterion) {
    // 1,000 requests/s for 1,000 s: about 2 million events.
    let d = template(
        "queueing-lab",
        &[
            "users.requests_per_second=1000",
            "server.app.service_time_ms=1.5",
        ],
    );
    let settings = RunSettings {
        seed: 1,
        duration: from_secs(1000.0),
        warmup: 0,
    };
    let events = simulate(&d, settings.clone())
        .map(|r| r.events)
        .unwrap_or(0);
    let mut group = c.benchmark_group("simulate");
    group.sample_size(10);
    group.throughput(Throughput::Elements(events));
    group.bench_function("queueing_lab_events", |b| {
        b.iter(|| simulate(black_box(&d), settings.clone()))
    });
    group.finish();
}

fn three_tier_day(c: &mut Criterion) {
    let d = template(
        "three-tier",
        &[
            "users.requests_per_second=200",
            r#"users.pattern="Constant""#,
        ],
    );
    let settings = RunSettings {
        seed: 1,
        duration: from_secs(86_400.0),
        warmup: 0,
    };
    let mut group = c.benchmark_group("simulate");
    group.sample_size(10);
    group.bench_function("three_tier_day_200rps", |b| {
        b.iter(|| simulate(black_box(&d), settings.clone()))
    });
    group.finish();
}

criterion_group!(benches, queueing_lab, three_tier_day);
criterion_main!(benches);
