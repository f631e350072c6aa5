//! `cloudcanvas cost`: the monthly estimate as a table, JSON, CSV or Markdown.

use std::io::Write;

use clap::ValueEnum;
use serde::Serialize;

use super::{Failure, write_failed};
use crate::aws::EC2_PRICES_AS_OF;
use crate::model::Diagram;
use crate::pricing::{CostReport, estimate};

/// Output format of `cost`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CostFormat {
    /// Aligned text with formulas.
    Table,
    /// JSON, for scripts.
    Json,
    /// One line item per row.
    Csv,
    /// A Markdown table, for reports.
    Markdown,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    name: &'a str,
    region: &'a str,
    monthly_usd: f64,
    yearly_usd: f64,
    by_service: std::collections::BTreeMap<&'static str, f64>,
    by_container: Vec<crate::pricing::ContainerTotal>,
    #[serde(skip_serializing_if = "Option::is_none")]
    purchase_options: Option<Vec<crate::pricing::Scenario>>,
    #[serde(flatten)]
    report: &'a CostReport,
}

/// What `cost` prints besides the line items.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CostOptions {
    /// Compare the totals under each purchase option.
    pub compare: bool,
}

/// Writes the estimate of `diagram` in `format`.
pub fn write(
    diagram: &Diagram,
    format: CostFormat,
    options: CostOptions,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    if options.compare && format == CostFormat::Csv {
        return Err(Failure::usage(
            "--compare works with --format table, markdown or json",
        ));
    }
    let report = estimate(diagram);
    let result = match format {
        CostFormat::Json => {
            let json = JsonReport {
                name: &diagram.name,
                region: &diagram.region,
                monthly_usd: round(report.monthly_usd()),
                yearly_usd: round(report.yearly_usd()),
                by_service: report
                    .by_service()
                    .into_iter()
                    .map(|(s, v)| (s, round(v)))
                    .collect(),
                by_container: report
                    .container_tree(diagram)
                    .into_iter()
                    .map(|c| crate::pricing::ContainerTotal {
                        monthly_usd: round(c.monthly_usd),
                        ..c
                    })
                    .collect(),
                purchase_options: options
                    .compare
                    .then(|| crate::pricing::compare_purchase_options(diagram)),
                report: &report,
            };
            let text =
                serde_json::to_string_pretty(&json).map_err(|e| Failure::usage(e.to_string()))?;
            writeln!(out, "{text}")
        }
        CostFormat::Csv => csv(&report, out),
        CostFormat::Markdown => markdown(diagram, &report, out).and_then(|()| {
            if options.compare {
                write_comparison(diagram, out)
            } else {
                Ok(())
            }
        }),
        CostFormat::Table => table(diagram, &report, out).and_then(|()| {
            if options.compare {
                write_comparison(diagram, out)
            } else {
                Ok(())
            }
        }),
    };
    result.map_err(write_failed)
}

fn round(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

fn table(diagram: &Diagram, report: &CostReport, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        out,
        "{} · {} · list prices in USD (EC2 figures of {EC2_PRICES_AS_OF}; 730 hours a month)\n",
        diagram.name, report.region
    )?;
    let width = report
        .lines
        .iter()
        .map(|l| l.resource.as_str().len())
        .max()
        .unwrap_or(8);
    for line in &report.lines {
        writeln!(
            out,
            "  {:>10}  {:width$}  {}",
            format!("${:.2}", line.monthly_usd),
            line.resource.as_str(),
            line.formula()
        )?;
        if let Some(range) = line.range_text() {
            writeln!(out, "  {:>10}  {:width$}    scales: {range}", "", "")?;
        }
    }
    writeln!(out, "\nBy service")?;
    for (service, usd) in report.by_service() {
        writeln!(out, "  {:>10}  {service}", format!("${usd:.2}"))?;
    }
    let containers = report.container_tree(diagram);
    if !containers.is_empty() {
        writeln!(out, "\nBy container")?;
        for c in containers {
            writeln!(
                out,
                "  {:>10}  {:indent$}{} ({})",
                format!("${:.2}", c.monthly_usd),
                "",
                c.id,
                crate::model::catalog::catalog().name(c.kind),
                indent = 2 * c.depth
            )?;
        }
    }
    if !report.not_priced.is_empty() {
        writeln!(out, "\nNot priced")?;
        for n in &report.not_priced {
            writeln!(out, "  {}: {}", n.resource, n.reason)?;
        }
    }
    writeln!(
        out,
        "\nTotal: ${:.2} a month, ${:.2} a year",
        report.monthly_usd(),
        report.yearly_usd()
    )?;
    let (low, high) = report.monthly_range_usd();
    if low != high {
        writeln!(
            out,
            "Scaling between minimum and maximum sizes: ${low:.2} to ${high:.2} a month"
        )?;
    }
    Ok(())
}

fn csv(report: &CostReport, out: &mut dyn Write) -> std::io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record([
        "resource",
        "service",
        "item",
        "quantity",
        "unit",
        "unit_price_usd",
        "monthly_usd",
        "price_from_us_east_1",
        "as_of",
        "price_source",
    ])?;
    for l in &report.lines {
        writer.write_record([
            l.resource.as_str(),
            l.service,
            &l.item,
            &l.quantity.to_string(),
            l.unit,
            &l.unit_price_usd.to_string(),
            &format!("{:.4}", l.monthly_usd),
            &l.price_from_us_east_1.to_string(),
            l.as_of,
            &l.source.to_string(),
        ])?;
    }
    writer.flush()
}

fn markdown(diagram: &Diagram, report: &CostReport, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "## Monthly cost of {}\n", diagram.name)?;
    writeln!(
        out,
        "| resource | service | line | USD/month |\n| --- | --- | --- | ---: |"
    )?;
    for l in &report.lines {
        writeln!(
            out,
            "| {} | {} | {} | {:.2} |",
            l.resource,
            l.service,
            l.formula().replace('|', "\\|"),
            l.monthly_usd
        )?;
    }
    writeln!(out, "| **Total** | | | **{:.2}** |", report.monthly_usd())?;
    let containers = report.container_tree(diagram);
    if !containers.is_empty() {
        writeln!(out, "\n| container | USD/month |\n| --- | ---: |")?;
        for c in containers {
            writeln!(
                out,
                "| {}{} ({}) | {:.2} |",
                "&nbsp;&nbsp;".repeat(c.depth),
                c.id,
                crate::model::catalog::catalog().name(c.kind),
                c.monthly_usd
            )?;
        }
    }
    if !report.not_priced.is_empty() {
        writeln!(
            out,
            "\nNot priced: {}",
            report
                .not_priced
                .iter()
                .map(|n| format!("{} ({})", n.resource, n.reason))
                .collect::<Vec<_>>()
                .join("; ")
        )?;
    }
    writeln!(
        out,
        "\nList prices in USD for {}, 730 hours a month; EC2 figures of {EC2_PRICES_AS_OF}.",
        report.region
    )
}

/// Writes the totals under each EC2 purchase option as text (table and Markdown formats).
fn write_comparison(diagram: &Diagram, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        out,
        "\nPurchase options (every instance and group bought the same way)"
    )?;
    for s in crate::pricing::compare_purchase_options(diagram) {
        let name = match s.option {
            crate::model::config::compute::PurchaseOption::OnDemand => "On-demand",
            crate::model::config::compute::PurchaseOption::Reserved => {
                "Reserved, 1 year, no upfront"
            }
            _ => "Spot (average price)",
        };
        writeln!(
            out,
            "  {name:30} ${:>10.2} a month   saves ${:>9.2} ({:.1} %)",
            s.monthly_usd, s.saving_usd, s.saving_percent
        )?;
    }
    Ok(())
}
