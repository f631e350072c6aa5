//! `cloudcanvas simulate`: run the diagram as a live system and report what happened.

use std::io::Write;

use super::{Failure as CliFailure, Format, write_failed};
use crate::model::Diagram;
use crate::sim::{Role, RunReport, RunSettings, Simulation, from_secs};

/// Options of `simulate`.
#[derive(Clone, Debug, PartialEq)]
pub struct SimulateOptions {
    /// Simulated time to run.
    pub duration: std::time::Duration,
    /// Seed of the random streams.
    pub seed: u64,
    /// Real requests each simulated request stands for.
    pub sample_weight: u32,
    /// The availability objective, in percent, of the error budget.
    pub objective_percent: f64,
    /// Share of the run left out of the statistics as warm-up.
    pub warmup_fraction: f64,
    /// Actions to play during the run.
    pub scenario: Option<crate::sim::Scenario>,
    /// Where to write the Auto Scaling groups' datapoints as CSV.
    pub metrics: Option<std::path::PathBuf>,
    /// Where to write the event log as CSV.
    pub events: Option<std::path::PathBuf>,
    /// Show a progress bar on the terminal (never when stderr is not one).
    pub progress: bool,
    /// Replace the CSV files if they exist.
    pub force: bool,
    /// The diagram file, which no output may replace.
    pub input: Option<std::path::PathBuf>,
}

impl SimulateOptions {
    fn write_policy(&self) -> crate::io::WritePolicy {
        let inputs: Vec<&std::path::Path> = self.input.iter().map(|p| p.as_path()).collect();
        crate::io::WritePolicy::export(self.force, &inputs)
    }
}

/// Runs `diagram` and writes the report.
pub fn write(
    diagram: &Diagram,
    options: &SimulateOptions,
    format: Format,
    out: &mut dyn Write,
) -> Result<(), CliFailure> {
    let csv_paths: Vec<&std::path::Path> = options
        .metrics
        .iter()
        .chain(&options.events)
        .map(|p| p.as_path())
        .collect();
    // Refused before the run rather than after it.
    crate::io::check_all(&csv_paths, &options.write_policy())
        .map_err(|e| CliFailure::usage(e.to_string()))?;
    let report = run(diagram, options)?;
    let mut files = Vec::new();
    if let Some(path) = &options.metrics {
        files.push((path.clone(), metrics_csv(&report).into_bytes()));
    }
    if let Some(path) = &options.events {
        files.push((path.clone(), events_csv(&report).into_bytes()));
    }
    crate::io::write_all(&files, &options.write_policy())
        .map_err(|e| CliFailure::usage(e.to_string()))?;
    let result = match format {
        Format::Json => serde_json::to_string_pretty(&report)
            .map_err(std::io::Error::other)
            .and_then(|s| writeln!(out, "{s}")),
        Format::Text => text(diagram, &report, out),
    };
    result.map_err(write_failed)
}

/// Runs `diagram` as `options` say and returns what happened.
pub fn run(diagram: &Diagram, options: &SimulateOptions) -> Result<RunReport, CliFailure> {
    let secs = options.duration.as_secs_f64();
    // The warm-up ends by the scenario's first step at the latest, so that what the
    // scenario shows is measured rather than left out.
    let first_step = options
        .scenario
        .iter()
        .flat_map(|s| s.timeline())
        .map(|(at, _)| at)
        .fold(f64::INFINITY, f64::min);
    let settings = RunSettings {
        seed: options.seed,
        duration: from_secs(secs),
        warmup: from_secs((secs * options.warmup_fraction.clamp(0.0, 0.9)).min(first_step)),
    };
    crate::sim::budget::check(diagram, secs, options.sample_weight)
        .map_err(|e| CliFailure::usage(e.to_string()))?;
    let mut sim = Simulation::sampled(diagram, settings, options.sample_weight)
        .map_err(|e| CliFailure::usage(e.to_string()))?;
    if let Some(scenario) = &options.scenario {
        sim.check_scenario(scenario, secs)
            .map_err(|e| CliFailure::usage(format!("scenario \"{}\": {e}", scenario.name)))?;
        sim.play(scenario);
    }
    run_with_progress(&mut sim, settings_end(options), options.progress);
    let mut report = sim.report();
    report.error_budget = report
        .error_budget
        .with_objective(options.objective_percent);
    Ok(report)
}

fn settings_end(options: &SimulateOptions) -> crate::sim::SimTime {
    from_secs(options.duration.as_secs_f64())
}

/// How often a long run says how far it has come when stderr is not a terminal.
const PROGRESS_LINE_EVERY: std::time::Duration = std::time::Duration::from_secs(5);

/// Runs to `end` in a hundred slices, with a bar on stderr when it is a terminal
/// (indicatif draws nothing otherwise, so pipes and files stay clean).
fn run_with_progress(sim: &mut Simulation, end: crate::sim::SimTime, progress: bool) {
    let bar = if progress {
        indicatif::ProgressBar::new(100)
    } else {
        indicatif::ProgressBar::hidden()
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template("simulating {bar:40} {percent:>3} % {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    // Where no bar can be drawn (a pipe, a log), a line every few seconds of a long run
    // says it is alive and how far it has come.
    let lines = progress && !std::io::IsTerminal::is_terminal(&std::io::stderr());
    let started = std::time::Instant::now();
    let mut last_line = started;
    for slice in 1..=100u64 {
        sim.advance_to(end / 100 * slice + if slice == 100 { end % 100 } else { 0 });
        bar.set_position(slice);
        if lines && slice < 100 && last_line.elapsed() >= PROGRESS_LINE_EVERY {
            last_line = std::time::Instant::now();
            eprintln!(
                "simulating: {slice} % of {} simulated, {:.0} s so far",
                humantime::format_duration(std::time::Duration::from_secs(
                    crate::sim::to_secs(end).round() as u64
                )),
                started.elapsed().as_secs_f64()
            );
        }
    }
    bar.finish_and_clear();
}

/// A CSV field: quoted when it holds a separator, and a text that a spreadsheet would
/// run as a formula (`=`, `+`, `-`, `@` first) kept as text with a leading apostrophe.
fn csv_field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// One row per group and metric period, then one per queue and minute.
fn metrics_csv(r: &RunReport) -> String {
    let mut out = String::from(
        "seconds,resource,in_service,desired,cpu_percent,backlog_per_instance,requests_per_target,queue_visible,queue_in_flight\n",
    );
    let opt = |v: Option<f64>| v.map_or(String::new(), |c| format!("{c:.2}"));
    for g in &r.groups {
        for d in &g.series {
            out.push_str(&format!(
                "{},{},{},{},{},{},{},,\n",
                d.secs,
                csv_field(g.id.as_str()),
                d.in_service,
                d.desired,
                opt(d.cpu_percent),
                opt(d.backlog_per_instance),
                opt(d.requests_per_target),
            ));
        }
    }
    for q in &r.queues {
        for p in &q.series {
            out.push_str(&format!(
                "{},{},,,,,,{},{}\n",
                p.secs,
                csv_field(q.id.as_str()),
                p.visible,
                p.in_flight
            ));
        }
    }
    out
}

/// One row per logged event.
fn events_csv(r: &RunReport) -> String {
    let mut out = String::from("seconds,resource,event\n");
    for e in &r.log {
        out.push_str(&format!(
            "{},{},{}\n",
            e.secs,
            csv_field(e.resource.as_str()),
            csv_field(&e.text)
        ));
    }
    out
}

fn ms(secs: f64) -> String {
    format!("{:.1} ms", secs * 1000.0)
}

fn text(diagram: &Diagram, r: &RunReport, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        out,
        "{}: {} simulated (first {} left out as warm-up), seed {}",
        diagram.name,
        humantime::format_duration(std::time::Duration::from_secs_f64(r.simulated_secs.round())),
        humantime::format_duration(std::time::Duration::from_secs_f64(r.warmup_secs.round())),
        r.seed
    )?;
    if r.sample_weight > 1 {
        writeln!(
            out,
            "Sampled: each simulated request stood for {} real ones; counts and costs are scaled back",
            r.sample_weight
        )?;
    }
    writeln!(
        out,
        "\nRequests: {} arrived, {} served, {} failed, {} in flight at the end",
        r.arrived, r.completed, r.failed, r.in_flight
    )?;
    let budget = &r.error_budget;
    writeln!(
        out,
        "Availability: {:.4} %; error budget of a {} % objective: {} used ({} failed of {:.0} allowed){}",
        r.availability * 100.0,
        budget.objective_percent,
        if budget.used_percent.is_finite() {
            format!("{:.0} %", budget.used_percent)
        } else {
            "all".to_owned()
        },
        budget.failed,
        budget.allowed_failures,
        if budget.used_percent > 100.0 {
            ": objective missed"
        } else {
            ""
        }
    )?;
    for (reason, n) in &r.failures {
        writeln!(out, "  failed, {}: {n}", reason.label())?;
    }
    writeln!(
        out,
        "Response time at the instances: mean {}, p50 {}, p95 {}, p99 {}",
        ms(r.mean_response_secs),
        ms(r.p50_secs),
        ms(r.p95_secs),
        ms(r.p99_secs)
    )?;
    if !r.tiers.is_empty() {
        writeln!(
            out,
            "Response time per tier, its calls included (after warm-up):"
        )?;
        for t in &r.tiers {
            let [p50, p95, p99] = t.latency_ms.map(|v| ms(v / 1000.0));
            writeln!(
                out,
                "  {:<16} {:>9} answered: p50 {p50}, p95 {p95}, p99 {p99}",
                t.resource.as_str(),
                t.answered
            )?;
        }
    }
    for (id, n) in &r.sources {
        writeln!(out, "  {id} sent {n}")?;
    }
    for (id, n) in &r.balancers {
        writeln!(out, "  {id} routed {n}")?;
    }
    for (id, n) in &r.edge_answers {
        writeln!(out, "  {id} answered {n} itself (cache hits)")?;
    }
    if !r.stations.is_empty() {
        writeln!(out, "\nInstances (after warm-up)")?;
        for g in &r.groups {
            let members: Vec<_> = r
                .stations
                .iter()
                .filter(|s| s.group.as_ref() == Some(&g.id))
                .collect();
            let served: u64 = members.iter().map(|s| s.completed).sum();
            let hours: f64 = members.iter().map(|s| s.billed_hours).sum();
            let mean = members
                .iter()
                .map(|s| s.mean_response_secs * s.completed as f64)
                .sum::<f64>()
                / served.max(1) as f64;
            writeln!(
                out,
                "  {:<16} {} instances over the run ({hours:.1} instance-hours), {:.1} req/s in all, mean {}",
                g.id.as_str(),
                members.len(),
                members.iter().map(|s| s.throughput_rps).sum::<f64>(),
                ms(mean),
            )?;
        }
        for s in &r.stations {
            if s.group.is_some() && r.stations.len() > 12 {
                // Many instances: their group's line speaks for them.
                continue;
            }
            if matches!(s.role, Role::Store | Role::Queue) {
                let limits = s.rate_limits.map_or(String::new(), |[read, write]| {
                    format!(", limits {read:.0} reads/s and {write:.0} writes/s")
                });
                writeln!(
                    out,
                    "  {:<16} {:.1} req/s, mean {}{limits}, throttled {:.2} %",
                    s.id.as_str(),
                    s.throughput_rps,
                    ms(s.mean_response_secs),
                    s.p_loss * 100.0
                )?;
                continue;
            }
            writeln!(
                out,
                "  {:<16} {} servers, utilisation {:5.1} %, {:.1} req/s, mean {} ({:.2} in system), waited {:.1} %, refused {:.2} %",
                s.id.as_str(),
                s.servers,
                s.utilization * 100.0,
                s.throughput_rps,
                ms(s.mean_response_secs),
                s.mean_in_system,
                s.p_wait * 100.0,
                s.p_loss * 100.0
            )?;
            if let Some([mean, most]) = s.replica_lag_secs {
                writeln!(
                    out,
                    "  {:<16} read replica: its reads saw a lag of {} on average, {} at most",
                    "",
                    ms(mean),
                    ms(most)
                )?;
            }
            if s.cold_starts > 0 {
                writeln!(
                    out,
                    "  {:<16} {} cold starts ({:.2} % of invocations)",
                    "",
                    s.cold_starts,
                    100.0 * s.cold_starts as f64 / s.arrivals.max(1) as f64
                )?;
            }
        }
    }
    let unpriced = r
        .stations
        .iter()
        .filter(|s| s.cost_usd.is_none() && !matches!(s.role, Role::Store | Role::Queue))
        .count();
    writeln!(
        out,
        "\nInstances, databases and caches cost ${:.2} over the run at list prices (the hours each ran){}",
        r.compute_cost_usd,
        if unpriced > 0 {
            format!("; {unpriced} without a price in the data")
        } else {
            String::new()
        }
    )?;
    for g in &r.groups {
        let sizes: Vec<u32> = g.series.iter().map(|d| d.in_service).collect();
        let (low, high) = (
            sizes.iter().min().copied().unwrap_or(0),
            sizes.iter().max().copied().unwrap_or(0),
        );
        let peak_cpu = g
            .series
            .iter()
            .filter_map(|d| d.cpu_percent)
            .fold(0.0f64, f64::max);
        writeln!(
            out,
            "  {} ran {low} to {high} instances (limits {} to {}), CPU up to {peak_cpu:.0} %",
            g.id, g.min, g.max
        )?;
    }
    for q in &r.queues {
        let peak = q.series.iter().map(|p| p.visible).max().unwrap_or(0);
        writeln!(
            out,
            "  queue {}: {} sent, {} processed (mean {:.1} s from send to delete, p99 {:.1} s), {} retried after a failed job, {} dead-lettered, {} expired, up to {} waiting; {} waiting at the end",
            q.id,
            q.counts.sent,
            q.counts.deleted,
            q.mean_age_secs,
            q.p99_age_secs,
            q.counts.failed_jobs,
            q.counts.dead_lettered,
            q.counts.expired,
            peak.max(q.counts.max_visible),
            q.visible
        )?;
    }
    bill_text(&r.bill, out)?;
    if !r.alarms.is_empty() {
        writeln!(out, "\nAlarms")?;
        for a in &r.alarms {
            let times = a
                .transitions
                .iter()
                .filter(|(_, v)| *v == crate::sim::AlarmValue::Alarm)
                .count();
            let comparison = a.comparison.symbol();
            writeln!(
                out,
                "  {:<16} {} {comparison} {}: {} at the end; entered ALARM {times}×, {:.0} s in ALARM in all",
                a.id.as_str(),
                a.metric,
                a.threshold,
                a.state.label(),
                a.secs_in_alarm
            )?;
        }
    }
    if !r.failures_by_resource.is_empty() {
        writeln!(out, "\nWhere requests failed (after warm-up)")?;
        for f in &r.failures_by_resource {
            writeln!(
                out,
                "  {:<16} {}: {}",
                f.resource.as_str(),
                f.reason.label(),
                f.count
            )?;
        }
    }
    if r.blocked_links.iter().any(|b| b.requests > 0) {
        writeln!(out, "\nStopped by the network (after warm-up)")?;
        for b in r.blocked_links.iter().filter(|b| b.requests > 0) {
            writeln!(
                out,
                "  {} → {}: {} requests; {}",
                b.from.as_str(),
                b.to.as_str(),
                b.requests,
                b.why
            )?;
        }
    }
    if !r.not_modelled.is_empty() {
        writeln!(out, "\nAnswered without simulating (not modelled yet):")?;
        for (id, n) in &r.not_modelled {
            writeln!(out, "  {id}: {n} requests")?;
        }
    }
    if !r.resilience.is_empty() {
        writeln!(out, "\nFailures injected")?;
        for f in &r.resilience {
            let secs = |s: Option<f64>| s.map_or("never".to_owned(), |s| format!("after {s:.0} s"));
            writeln!(
                out,
                "  {} at {:.0} s: detected {}, recovered {}, {} requests lost",
                f.what,
                f.at_secs,
                secs(f.detected_after_secs),
                secs(f.recovered_after_secs),
                f.requests_lost
            )?;
        }
    }
    if !r.log.is_empty() {
        writeln!(out, "\nWhat happened")?;
        const SHOWN: usize = 40;
        for entry in r.log.iter().take(SHOWN) {
            let t = entry.secs.round() as u64;
            writeln!(
                out,
                "  {:02}:{:02}:{:02}  {}",
                t / 3600,
                t / 60 % 60,
                t % 60,
                entry.text
            )?;
        }
        let more = r.log.len().saturating_sub(SHOWN) as u64 + r.log_dropped;
        if more > 0 {
            writeln!(out, "  … and {more} more (see --format json)")?;
        }
    }
    writeln!(out, "\n{} events, digest {}", r.events, r.digest)
}

/// Lines of the bill shown; the rest are summed on one line.
const BILL_LINES_SHOWN: usize = 12;

/// The run's bill: its total and its largest lines.
fn bill_text(bill: &crate::sim::RunBill, out: &mut dyn Write) -> std::io::Result<()> {
    if bill.lines.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "\nThe run's bill: ${:.2} for {} at list prices (${:.0} a month at this pace)",
        bill.total_usd,
        humantime::format_duration(std::time::Duration::from_secs_f64(
            (bill.hours * 3600.0).round()
        )),
        bill.monthly_at_this_pace_usd
    )?;
    let mut lines: Vec<&crate::sim::BillLine> = bill.lines.iter().collect();
    lines.sort_by(|a, b| b.usd.total_cmp(&a.usd));
    for l in lines.iter().take(BILL_LINES_SHOWN) {
        writeln!(
            out,
            "  {:<16} {:<12} {:<44} {:>14} {:<10} ${:.4}",
            l.resource.as_str(),
            l.service,
            l.item,
            if l.quantity >= 100.0 {
                format!("{:.0}", l.quantity)
            } else {
                format!("{:.3}", l.quantity)
            },
            l.unit,
            l.usd
        )?;
    }
    if lines.len() > BILL_LINES_SHOWN {
        let rest: f64 = lines[BILL_LINES_SHOWN..].iter().map(|l| l.usd).sum();
        writeln!(
            out,
            "  … {} more lines, ${rest:.4} in all (--format json lists them)",
            lines.len() - BILL_LINES_SHOWN
        )?;
    }
    for (resource, reason) in &bill.not_priced {
        writeln!(out, "  {resource}: not priced ({reason})")?;
    }
    Ok(())
}
