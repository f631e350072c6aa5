//! `cloudcanvas import`: CloudFormation templates read as a diagram.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::Failure;
use crate::iac::cfn_import::{self, ImportError, Source};
use crate::io;

/// The Region a template's file name gives (`stack.us-west-2.yaml`), if any.
pub fn region_in_name(path: &Path) -> Option<String> {
    let stem = path.file_stem()?.to_str()?;
    let (_, last) = stem.rsplit_once('.')?;
    let parts: Vec<&str> = last.split('-').collect();
    let looks_like_region = parts.len() >= 3
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| p.chars().all(|c| c.is_ascii_lowercase()))
        && parts[parts.len() - 1].chars().all(|c| c.is_ascii_digit());
    looks_like_region.then(|| last.to_string())
}

/// Reads `files` (one template per Region of a design) into one diagram.
pub fn read(files: &[PathBuf], region: Option<&str>) -> Result<cfn_import::Imported, Failure> {
    let mut sources = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(file)
            .map_err(|e| Failure::usage(format!("{}: {e}", file.display())))?;
        let template = cfn_import::parse(&text).map_err(|error| {
            Failure::usage(
                ImportError::Parse {
                    file: file.display().to_string(),
                    error,
                }
                .to_string(),
            )
        })?;
        let region = region_in_name(file).or_else(|| region.map(str::to_string));
        sources.push(Source { template, region });
    }
    cfn_import::import(&sources).map_err(|e| Failure::usage(e.to_string()))
}

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
    let imported = read(files, region)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_region_in_the_file_name_is_found() {
        assert_eq!(
            region_in_name(Path::new("dr.us-west-2.yaml")).as_deref(),
            Some("us-west-2")
        );
        assert_eq!(region_in_name(Path::new("dr.yaml")), None);
        assert_eq!(region_in_name(Path::new("my.stack.json")), None);
    }
}
