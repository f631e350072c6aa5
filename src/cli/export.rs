//! `cloudcanvas export`: the diagram as a picture (SVG, or PNG at a chosen scale).

use std::path::Path;

use super::Failure;
use crate::export::{self, SvgOptions};
use crate::model::{Diagram, ResourceId};

/// Picture formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum PictureFormat {
    /// Scalable vector graphics.
    Svg,
    /// A PNG image.
    Png,
}

/// Writes the picture of `diagram` (or of `only` and what it holds) to `out`.
pub fn write(
    diagram: &Diagram,
    format: PictureFormat,
    out: &Path,
    scale: f32,
    dark: bool,
    only: &[String],
) -> Result<String, Failure> {
    if let Some(missing) = only.iter().find(|id| !diagram.contains(id.as_str())) {
        return Err(Failure::usage(format!(
            "there is no resource {missing} to export (see `cloudcanvas info`)"
        )));
    }
    let options = SvgOptions {
        dark,
        only: (!only.is_empty()).then(|| {
            only.iter()
                .filter_map(|id| ResourceId::new(id).ok())
                .collect()
        }),
    };
    let svg = export::svg(diagram, &options);
    let bytes = match format {
        PictureFormat::Svg => svg.into_bytes(),
        PictureFormat::Png => export::png(&svg, scale).map_err(Failure::usage)?,
    };
    export::write_file(out, &bytes)
        .map_err(|e| Failure::usage(format!("{}: {e}", out.display())))?;
    Ok(format!("Wrote {} ({} bytes)", out.display(), bytes.len()))
}
