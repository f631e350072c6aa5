//! `cloudcanvas import`: CloudFormation templates read as a diagram.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::Failure;
use crate::iac::cfn_import;
use crate::io;

/// Imports `files` and saves the diagram to `output`.
pub fn run(
    files: &[PathBuf],
    region: Option<&str>,
    output: &Path,
    force: bool,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    if output.exists() && !force {
        return Err(Failure::usage(format!(
            "{} exists; pass --force to replace it",
            output.display()
        )));
    }
    let imported =
        cfn_import::import_files(files, region).map_err(|e| Failure::usage(e.to_string()))?;
    io::save(output, &imported.diagram).map_err(|e| Failure::usage(e.to_string()))?;
    let write = |out: &mut dyn Write, line: String| {
        writeln!(out, "{line}").map_err(|e| Failure::usage(e.to_string()))
    };
    write(
        out,
        format!(
            "Wrote {} ({} resources, {} links).",
            output.display(),
            imported.diagram.len(),
            imported.diagram.links().len()
        ),
    )?;
    for (logical, kind) in &imported.unsupported {
        write(
            out,
            format!("Not drawn: {logical} ({kind}) has no kind in the catalog"),
        )?;
    }
    Ok(())
}
