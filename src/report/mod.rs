//! A design review or classroom handout of a diagram: its picture, what it costs line by
//! line, what the validator finds, and — when it was simulated — how the run went, with
//! charts. Written as Markdown (pictures beside it as SVG files) or as one HTML file with
//! everything inside.

pub mod chart;

use std::fmt::Write as _;

use base64::Engine as _;

use crate::export::{SvgOptions, svg};
use crate::model::Diagram;
use crate::pricing::estimate;
use crate::sim::RunReport;
use crate::validate::{Severity, validate};
use chart::{Series, line_chart};

/// A simulation to put in the report.
pub struct Run<'a> {
    /// What the run played, such as "AZ outage" (none for steady traffic).
    pub scenario: Option<&'a str>,
    /// Its outcome.
    pub report: &'a RunReport,
}

/// A finished report.
pub struct Report {
    /// The Markdown text, naming its pictures by file name.
    pub markdown: String,
    /// The pictures the Markdown names: (file name, SVG text).
    pub pictures: Vec<(String, String)>,
    /// One self-contained HTML page.
    pub html: String,
}

/// Builds the report of `diagram`; pictures are named `{stem}.{what}.svg`.
pub fn build(diagram: &Diagram, run: Option<&Run>, stem: &str) -> Report {
    let mut pictures = vec![("diagram".to_string(), svg(diagram, &SvgOptions::default()))];
    if let Some(run) = run {
        pictures.extend(charts(diagram, run.report));
    }
    let named: Vec<(String, String)> = pictures
        .iter()
        .map(|(what, text)| (format!("{stem}.{what}.svg"), text.clone()))
        .collect();
    let markdown = write(diagram, run, &|what| format!("{stem}.{what}.svg"));
    let inline = |what: &str| {
        let text = pictures
            .iter()
            .find(|(w, _)| w == what)
            .map_or("", |(_, t)| t.as_str());
        format!(
            "data:image/svg+xml;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(text)
        )
    };
    let body = to_html(&write(diagram, run, &inline));
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"{CONTENT_SECURITY_POLICY}\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        crate::export::escape::xml(&diagram.name)
    );
    Report {
        markdown,
        pictures: named,
        html,
    }
}

impl Report {
    /// The files of the report for an output named `out`: one HTML page for a `.html` or
    /// `.htm` name; otherwise the Markdown at `out` and its pictures beside it.
    pub fn files(
        self,
        out: &std::path::Path,
    ) -> Result<Vec<(std::path::PathBuf, Vec<u8>)>, crate::io::WriteError> {
        let html = out
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"));
        if html {
            return Ok(vec![(out.to_path_buf(), self.html.into_bytes())]);
        }
        let mut files = vec![(out.to_path_buf(), self.markdown.into_bytes())];
        for (name, text) in self.pictures {
            files.push((crate::io::sibling(out, &name)?, text.into_bytes()));
        }
        Ok(files)
    }
}

const STYLE: &str = "body{font-family:Ubuntu,'Segoe UI',sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#232F3E;line-height:1.45}\
table{border-collapse:collapse;margin:0.5rem 0 1rem}th,td{border:1px solid #D5DBDB;padding:0.25rem 0.6rem;vertical-align:top}\
th{background:#F2F3F3;text-align:left}td:nth-child(n+3){font-variant-numeric:tabular-nums}img{max-width:100%;border:1px solid #EAEDED}\
h1{border-bottom:3px solid #FF9900;padding-bottom:0.3rem}h2{margin-top:2rem;border-bottom:1px solid #D5DBDB}code{background:#F2F3F3;padding:0 0.2rem}";

/// User text as literal Markdown, in a paragraph or a table cell.
fn cell(text: &str) -> String {
    crate::export::escape::markdown(text)
}

/// The page's Content-Security-Policy: nothing is fetched or run; pictures are the page's
/// own `data:` images and the style is the page's own.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

/// The Markdown as HTML, with no raw HTML let through (it shows as text) and no link or
/// picture to anything but the page's own pictures and web addresses.
fn to_html(markdown: &str) -> String {
    use pulldown_cmark::{CowStr, Event, Tag};
    let safe_link = |url: &str| {
        let lower = url.trim().to_ascii_lowercase();
        lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with('#')
    };
    let safe_picture = |url: &str| url.starts_with("data:image/svg+xml;base64,");
    let parser = pulldown_cmark::Parser::new_ext(markdown, pulldown_cmark::Options::ENABLE_TABLES)
        .map(|event| match event {
            Event::Html(text) | Event::InlineHtml(text) => Event::Text(text),
            Event::Start(Tag::Link { dest_url, .. }) if !safe_link(&dest_url) => {
                Event::Text(CowStr::Borrowed(""))
            }
            Event::Start(Tag::Image { dest_url, .. }) if !safe_picture(&dest_url) => {
                Event::Text(CowStr::Borrowed(""))
            }
            other => other,
        });
    let mut body = String::new();
    pulldown_cmark::html::push_html(&mut body, parser);
    body
}

fn usd(v: f64) -> String {
    if v >= 100.0 {
        let whole = format!("{:.0}", v);
        let mut grouped = String::new();
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(c);
        }
        format!("${grouped}")
    } else {
        format!("${v:.2}")
    }
}

fn ms(secs: f64) -> String {
    if secs >= 1.0 {
        format!("{secs:.2} s")
    } else {
        format!("{:.0} ms", secs * 1000.0)
    }
}

fn duration(secs: f64) -> String {
    humantime::format_duration(std::time::Duration::from_secs_f64(secs.max(0.0).round()))
        .to_string()
}

/// The report's text; `picture` gives each picture's address.
fn write(diagram: &Diagram, run: Option<&Run>, picture: &dyn Fn(&str) -> String) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", cell(&diagram.name));
    if !diagram.description.is_empty() {
        let _ = writeln!(out, "{}\n", cell(&diagram.description));
    }
    let regions: Vec<&str> = {
        let mut r: Vec<&str> = diagram
            .resources()
            .filter_map(|x| match &x.config {
                crate::model::Config::Region(c) => Some(c.code.as_str()),
                _ => None,
            })
            .collect();
        if r.is_empty() {
            r.push(diagram.region.as_str());
        }
        r
    };
    let _ = writeln!(
        out,
        "{} resources and {} links in {}.\n\n![The diagram]({})\n",
        diagram.len(),
        diagram.links().len(),
        cell(&regions.join(", ")),
        picture("diagram")
    );
    cost(diagram, &mut out);
    findings(diagram, &mut out);
    if let Some(run) = run {
        simulation(diagram, run, picture, &mut out);
    }
    out
}

fn cost(diagram: &Diagram, out: &mut String) {
    let report = estimate(diagram);
    let _ = writeln!(
        out,
        "## Cost: {} a month\n\n{} a year at AWS list prices ({}); each line says how it is reckoned.\n",
        usd(report.monthly_usd()),
        usd(report.yearly_usd()),
        cell(&report.region)
    );
    let by_service = report.by_service();
    if !by_service.is_empty() {
        let _ = writeln!(out, "| Service | Monthly |\n|---|---:|");
        let mut services: Vec<(&str, f64)> = by_service.into_iter().collect();
        services.sort_by(|a, b| b.1.total_cmp(&a.1));
        for (service, v) in services {
            let _ = writeln!(out, "| {} | {} |", cell(service), usd(v));
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "| Resource | Item | Monthly | How |\n|---|---|---:|---|"
    );
    for line in &report.lines {
        let name = diagram
            .resource(line.resource.as_str())
            .map_or(line.resource.as_str(), |r| r.label());
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            cell(name),
            cell(&line.item),
            usd(line.monthly_usd),
            cell(&line.formula())
        );
    }
    if !report.not_priced.is_empty() {
        out.push_str("\nNot priced:\n\n");
        for n in &report.not_priced {
            let _ = writeln!(out, "- {}: {}", cell(n.resource.as_str()), cell(&n.reason));
        }
    }
    out.push('\n');
}

fn findings(diagram: &Diagram, out: &mut String) {
    let report = validate(diagram);
    let count = |s: Severity| report.findings.iter().filter(|f| f.severity == s).count();
    let _ = writeln!(
        out,
        "## Findings: {} errors, {} warnings, {} notes\n",
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info)
    );
    if report.findings.is_empty() {
        out.push_str("The validator finds nothing to change.\n\n");
        return;
    }
    for severity in Severity::ALL {
        let list: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.severity == severity)
            .collect();
        if list.is_empty() {
            continue;
        }
        let title = match severity {
            Severity::Error => "Errors",
            Severity::Warning => "Warnings",
            Severity::Info => "Notes",
        };
        let _ = writeln!(out, "### {title}\n");
        for f in list {
            let info = f.info();
            let _ = writeln!(
                out,
                "- **{}** ({}) {}. *{}* Fix: {}",
                f.rule,
                f.pillar.label(),
                cell(&f.message),
                info.why.trim(),
                info.fix.trim()
            );
        }
        out.push('\n');
    }
}

/// The run's charts: requests, response times, and instances in service when it scaled.
fn charts(diagram: &Diagram, r: &RunReport) -> Vec<(String, String)> {
    let marks: Vec<(f64, &str)> = r
        .resilience
        .iter()
        .map(|x| (x.at_secs, x.what.as_str()))
        .collect();
    let width = r.timeline_bucket_secs;
    let per_second = |n: u64| n as f64 / width;
    let answered: Vec<(f64, f64)> = r
        .timeline
        .iter()
        .enumerate()
        .map(|(i, b)| (i as f64 * width, per_second(b.completed)))
        .collect();
    let failed: Vec<(f64, f64)> = r
        .timeline
        .iter()
        .enumerate()
        .map(|(i, b)| (i as f64 * width, per_second(b.failed)))
        .collect();
    let mut out = vec![(
        "requests".to_string(),
        line_chart(
            "Requests",
            "per second",
            &[
                Series {
                    name: "answered",
                    color: "#1E8900",
                    points: answered,
                },
                Series {
                    name: "failed",
                    color: "#D13212",
                    points: failed,
                },
            ],
            &marks,
        ),
    )];
    let percentile = |k: usize| -> Vec<(f64, f64)> {
        r.timeline
            .iter()
            .enumerate()
            .filter_map(|(i, b)| b.latency_ms.map(|l| (i as f64 * width, l[k])))
            .collect()
    };
    out.push((
        "latency".to_string(),
        line_chart(
            "Response time",
            "milliseconds",
            &[
                Series {
                    name: "p50",
                    color: "#0073BB",
                    points: percentile(0),
                },
                Series {
                    name: "p95",
                    color: "#FF9900",
                    points: percentile(1),
                },
                Series {
                    name: "p99",
                    color: "#D13212",
                    points: percentile(2),
                },
            ],
            &marks,
        ),
    ));
    const COLORS: [&str; 5] = ["#0073BB", "#FF9900", "#1E8900", "#8C4FFF", "#D13212"];
    let groups: Vec<Series> = r
        .groups
        .iter()
        .zip(COLORS.iter().cycle())
        .map(|(g, color)| Series {
            name: diagram
                .resource(g.id.as_str())
                .map_or(g.id.as_str(), |x| x.label()),
            color,
            points: g
                .series
                .iter()
                .map(|d| (d.secs, f64::from(d.in_service)))
                .collect(),
        })
        .collect();
    if !groups.is_empty() {
        out.push((
            "instances".to_string(),
            line_chart("Instances in service", "instances", &groups, &marks),
        ));
    }
    out
}

fn simulation(diagram: &Diagram, run: &Run, picture: &dyn Fn(&str) -> String, out: &mut String) {
    let r = run.report;
    let _ = writeln!(
        out,
        "## Simulation{}\n\n{} simulated{}, seed {}; the first {} are left out of the statistics as warm-up.\n",
        run.scenario
            .map(|s| format!(": {}", cell(s)))
            .unwrap_or_default(),
        duration(r.simulated_secs),
        run.scenario
            .map(|_| " with the scenario's failures and load changes")
            .unwrap_or(""),
        r.seed,
        duration(r.warmup_secs)
    );
    let budget = &r.error_budget;
    let _ = writeln!(
        out,
        "| Requests | Answered | Failed | Availability | p50 | p95 | p99 | Run's bill |\n|---:|---:|---:|---:|---:|---:|---:|---:|\n| {} | {} | {} | {:.3} % | {} | {} | {} | {} |\n",
        r.arrived,
        r.completed,
        r.failed,
        r.availability * 100.0,
        ms(r.p50_secs),
        ms(r.p95_secs),
        ms(r.p99_secs),
        usd(r.bill.total_usd)
    );
    let _ = writeln!(
        out,
        "Error budget of a {} % objective: {} failed of {:.0} allowed, {} used{}.\n",
        budget.objective_percent,
        budget.failed,
        budget.allowed_failures,
        if budget.used_percent.is_finite() {
            format!("{:.0} %", budget.used_percent)
        } else {
            "all".into()
        },
        if budget.used_percent > 100.0 {
            " — the objective is missed"
        } else {
            ""
        }
    );
    let _ = writeln!(
        out,
        "![Requests]({})\n\n![Response time]({})\n",
        picture("requests"),
        picture("latency")
    );
    if !r.groups.is_empty() {
        let _ = writeln!(out, "![Instances in service]({})\n", picture("instances"));
    }
    if !r.tiers.is_empty() {
        let _ = writeln!(
            out,
            "### Response time per tier\n\n| Tier | Answered | p50 | p95 | p99 |\n|---|---:|---:|---:|---:|"
        );
        for t in &r.tiers {
            let name = diagram
                .resource(t.resource.as_str())
                .map_or(t.resource.as_str(), |x| x.label());
            let [p50, p95, p99] = t.latency_ms.map(|v| ms(v / 1000.0));
            let _ = writeln!(
                out,
                "| {} | {} | {p50} | {p95} | {p99} |",
                cell(name),
                t.answered
            );
        }
        out.push('\n');
    }
    if !r.failures.is_empty() {
        let _ = writeln!(out, "### Why requests failed\n");
        for (reason, n) in &r.failures {
            let _ = writeln!(out, "- {}: {n}", reason.label());
        }
        out.push('\n');
    }
    if !r.resilience.is_empty() {
        let _ = writeln!(
            out,
            "### Failures injected\n\n| At | What | Detected after | Recovered after | Requests lost |\n|---:|---|---:|---:|---:|"
        );
        for x in &r.resilience {
            let after = |v: Option<f64>| v.map_or("—".to_string(), duration);
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                duration(x.at_secs),
                cell(&x.what),
                after(x.detected_after_secs),
                after(x.recovered_after_secs),
                x.requests_lost
            );
        }
        out.push('\n');
    }
    if !r.log.is_empty() {
        let shown = r.log.len().min(40);
        let _ = writeln!(
            out,
            "### What happened\n\nThe first {shown} of {} events:\n",
            r.log.len()
        );
        for e in r.log.iter().take(shown) {
            let _ = writeln!(out, "- {} — {}", duration(e.secs), cell(&e.text));
        }
        out.push('\n');
    }
}

#[cfg(test)]
mod tests;
