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
    let policy = io::WritePolicy {
        replace: force,
        inputs: files.to_vec(),
        ..io::WritePolicy::save()
    };
    let paths = [output];
    io::check_all(&paths, &policy).map_err(|e| Failure::usage(e.to_string()))?;
    let imported =
        cfn_import::import_files(files, region).map_err(|e| Failure::usage(e.to_string()))?;
    io::save_with(output, &imported.diagram, &policy)
        .map_err(|e| Failure::usage(e.source.to_string()))?;
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
