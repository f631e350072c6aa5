//! `cloudcanvas validate`: the findings as text, JSON or SARIF; exit 1 when any is an
//! error.

use std::io::Write;
use std::path::Path;

use clap::ValueEnum;

use super::{EXIT_FINDING, EXIT_OK, Failure, write_failed};
use crate::model::Diagram;
use crate::validate::{Report, Severity, validate};

/// Output format of `validate`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ValidateFormat {
    /// Readable text, grouped by severity.
    Text,
    /// JSON, for scripts.
    Json,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
}

/// Writes the findings of `diagram` (loaded from `file`) and returns the exit code.
pub fn write(
    diagram: &Diagram,
    file: &Path,
    format: ValidateFormat,
    out: &mut dyn Write,
) -> Result<u8, Failure> {
    let report = validate(diagram);
    let result = match format {
        ValidateFormat::Text => text(diagram, &report, out),
        ValidateFormat::Json => serde_json::to_string_pretty(&report)
            .map_err(std::io::Error::other)
            .and_then(|s| writeln!(out, "{s}")),
        ValidateFormat::Sarif => {
            let source = std::fs::read_to_string(file).ok();
            let uri = file.to_string_lossy().replace('\\', "/");
            let log = crate::validate::sarif::to_sarif(&report, &uri, source.as_deref());
            serde_json::to_string_pretty(&log)
                .map_err(std::io::Error::other)
                .and_then(|s| writeln!(out, "{s}"))
        }
    };
    result.map_err(write_failed)?;
    Ok(if report.has_errors() {
        EXIT_FINDING
    } else {
        EXIT_OK
    })
}

fn text(diagram: &Diagram, report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    if report.findings.is_empty() {
        return writeln!(out, "{}: no findings", diagram.name);
    }
    for severity in Severity::ALL {
        let findings: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.severity == severity)
            .collect();
        if findings.is_empty() {
            continue;
        }
        writeln!(
            out,
            "\n{} ({})",
            severity.label().to_uppercase(),
            findings.len()
        )?;
        for f in findings {
            let info = f.info();
            writeln!(out, "  {} [{}] {}", f.rule, f.pillar.label(), f.message)?;
            writeln!(out, "         why: {}", info.why)?;
            match &f.fix {
                Some(fix) => {
                    writeln!(out, "         fix: {} (one click in the editor)", fix.label)?
                }
                None => writeln!(out, "         fix: {}", info.fix)?,
            }
        }
    }
    writeln!(
        out,
        "\n{}: {} errors, {} warnings, {} info",
        diagram.name,
        report.count(Severity::Error),
        report.count(Severity::Warning),
        report.count(Severity::Info)
    )
}
