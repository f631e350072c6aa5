//! `cloudcanvas export`: the diagram as a picture (SVG, or PNG at a chosen scale), as a
//! draw.io file, or as infrastructure as code (CloudFormation, Terraform).

use std::path::{Path, PathBuf};

use super::Failure;
use crate::export::{self, SvgOptions};
use crate::iac;
use crate::model::{Diagram, ResourceId};

/// What to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// Scalable vector graphics.
    Svg,
    /// A PNG image.
    Png,
    /// CloudFormation templates: YAML, or JSON for a `.json` name; one per Region.
    #[value(alias = "cfn")]
    Cloudformation,
    /// Terraform for the AWS provider, one file with a provider per Region.
    #[value(alias = "tf")]
    Terraform,
    /// A draw.io (diagrams.net) file with its AWS shapes, for further editing there.
    Drawio,
}

impl ExportFormat {
    /// The format a file name asks for: `.png`, `.svg`, `.yaml`/`.yml`/`.json`.
    pub fn from_path(path: &Path) -> Option<ExportFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "svg" => ExportFormat::Svg,
            "png" => ExportFormat::Png,
            "yaml" | "yml" | "json" | "template" => ExportFormat::Cloudformation,
            "tf" => ExportFormat::Terraform,
            "drawio" => ExportFormat::Drawio,
            _ => return None,
        })
    }
}

/// Settings of a picture export.
#[derive(Clone, Debug, Default)]
pub struct PictureSettings {
    /// Pixels per canvas unit, for PNG.
    pub scale: f32,
    /// Draw with the dark theme.
    pub dark: bool,
    /// Only these resources and what they hold.
    pub only: Vec<String>,
}

/// Where and how to write: the output, whether it may replace a file, and the diagram
/// file it was read from (which it may never replace).
pub struct Destination<'a> {
    /// The output file (others of a set sit beside it).
    pub out: &'a Path,
    /// Replace existing files.
    pub force: bool,
    /// The file being read.
    pub input: &'a Path,
}

impl Destination<'_> {
    /// Writes every file whole, or none.
    pub fn write(&self, files: Vec<(PathBuf, Vec<u8>)>) -> Result<(), Failure> {
        let policy = crate::io::WritePolicy::export(self.force, &[self.input]);
        crate::io::write_all(&files, &policy).map_err(|e| Failure::usage(e.to_string()))
    }
}

/// Writes `diagram` in `format` (or the one the output's name asks for).
pub fn write(
    diagram: &Diagram,
    format: Option<ExportFormat>,
    to: &Destination,
    picture: &PictureSettings,
) -> Result<String, Failure> {
    let out = to.out;
    let format = format
        .or_else(|| ExportFormat::from_path(out))
        .ok_or_else(|| {
            Failure::usage(format!(
                "cannot tell the format from {}: give --format (svg, png, drawio, cloudformation or terraform)",
                out.display()
            ))
        })?;
    match format {
        ExportFormat::Svg | ExportFormat::Png => write_picture(diagram, format, to, picture),
        ExportFormat::Cloudformation => write_cloudformation(diagram, to),
        ExportFormat::Drawio => {
            let text = export::drawio(diagram);
            let len = text.len();
            to.write(vec![(out.to_path_buf(), text.into_bytes())])?;
            Ok(format!("Wrote {} ({len} bytes)", out.display()))
        }
        ExportFormat::Terraform => {
            let export = iac::terraform::terraform(diagram);
            to.write(vec![(out.to_path_buf(), export.text.into_bytes())])?;
            let mut said = vec![format!(
                "Wrote {} ({} resources)",
                out.display(),
                export.resources
            )];
            for s in export
                .skipped
                .iter()
                .filter(|s| !is_place_or_actor(diagram, &s.id))
            {
                said.push(format!("Not exported: {}: {}", s.id, s.reason));
            }
            said.extend(export.notes.iter().map(|n| format!("Note: {n}")));
            Ok(said.join("\n"))
        }
    }
}

/// Regions, zones and actors are not AWS resources; saying they were left out is noise.
fn is_place_or_actor(diagram: &Diagram, id: &ResourceId) -> bool {
    use crate::model::Kind;
    diagram.resource(id.as_str()).is_some_and(|r| {
        matches!(
            r.kind(),
            Kind::Region | Kind::AvailabilityZone | Kind::Users | Kind::OnPremisesDataCenter
        )
    })
}

fn write_picture(
    diagram: &Diagram,
    format: ExportFormat,
    to: &Destination,
    picture: &PictureSettings,
) -> Result<String, Failure> {
    if let Some(missing) = picture
        .only
        .iter()
        .find(|id| !diagram.contains(id.as_str()))
    {
        return Err(Failure::usage(format!(
            "there is no resource {} to export (see `cloudcanvas info`)",
            crate::model::text::shortened(missing, 80)
        )));
    }
    let options = SvgOptions {
        dark: picture.dark,
        only: (!picture.only.is_empty()).then(|| {
            picture
                .only
                .iter()
                .filter_map(|id| ResourceId::new(id).ok())
                .collect()
        }),
    };
    let svg = export::svg(diagram, &options);
    let bytes = if format == ExportFormat::Png {
        export::png(&svg, picture.scale).map_err(Failure::usage)?
    } else {
        svg.into_bytes()
    };
    let len = bytes.len();
    to.write(vec![(to.out.to_path_buf(), bytes)])?;
    Ok(format!("Wrote {} ({len} bytes)", to.out.display()))
}

fn write_cloudformation(diagram: &Diagram, to: &Destination) -> Result<String, Failure> {
    let export = iac::cfn::cloudformation(diagram);
    let files = export
        .files(to.out)
        .map_err(|e| Failure::usage(e.to_string()))?;
    let mut said: Vec<String> = files
        .iter()
        .zip(&export.stacks)
        .map(|((path, _), (region, template))| {
            format!(
                "Wrote {} ({region}: {} resources)",
                path.display(),
                template.resources.len()
            )
        })
        .collect();
    to.write(files)?;
    if export.stacks.len() > 1 {
        said.push(
            "Create the first stack first: the others read its exported outputs.".to_string(),
        );
    }
    for skipped in &export.skipped {
        said.push(format!("Not exported: {}: {}", skipped.id, skipped.reason));
    }
    for note in &export.notes {
        said.push(format!("Note: {note}"));
    }
    Ok(said.join("\n"))
}
