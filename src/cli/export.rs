//! `cloudcanvas export`: the diagram as a picture (SVG, or PNG at a chosen scale), as a
//! draw.io file, or as infrastructure as code (CloudFormation, Terraform).

use std::path::Path;

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

/// Writes `diagram` in `format` (or the one `out`'s name asks for) to `out`.
pub fn write(
    diagram: &Diagram,
    format: Option<ExportFormat>,
    out: &Path,
    picture: &PictureSettings,
) -> Result<String, Failure> {
    let format = format
        .or_else(|| ExportFormat::from_path(out))
        .ok_or_else(|| {
            Failure::usage(format!(
                "cannot tell the format from {}: give --format (svg, png, drawio, cloudformation or terraform)",
                out.display()
            ))
        })?;
    match format {
        ExportFormat::Svg | ExportFormat::Png => write_picture(diagram, format, out, picture),
        ExportFormat::Cloudformation => write_cloudformation(diagram, out),
        ExportFormat::Drawio => {
            let text = export::drawio(diagram);
            write_bytes(out, text.as_bytes())?;
            Ok(format!("Wrote {} ({} bytes)", out.display(), text.len()))
        }
        ExportFormat::Terraform => {
            let export = iac::terraform::terraform(diagram);
            write_bytes(out, export.text.as_bytes())?;
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
    out: &Path,
    picture: &PictureSettings,
) -> Result<String, Failure> {
    if let Some(missing) = picture
        .only
        .iter()
        .find(|id| !diagram.contains(id.as_str()))
    {
        return Err(Failure::usage(format!(
            "there is no resource {missing} to export (see `cloudcanvas info`)"
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
    write_bytes(out, &bytes)?;
    Ok(format!("Wrote {} ({} bytes)", out.display(), bytes.len()))
}

fn write_bytes(out: &Path, bytes: &[u8]) -> Result<(), Failure> {
    export::write_file(out, bytes).map_err(|e| Failure::usage(format!("{}: {e}", out.display())))
}

fn write_cloudformation(diagram: &Diagram, out: &Path) -> Result<String, Failure> {
    let export = iac::cfn::cloudformation(diagram);
    let json = out
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let mut said = Vec::new();
    for (index, (region, template)) in export.stacks.iter().enumerate() {
        let path = iac::cfn::stack_path(out, region, index == 0);
        let text = if json {
            template.to_json()
        } else {
            template.to_yaml()
        };
        write_bytes(&path, text.as_bytes())?;
        said.push(format!(
            "Wrote {} ({region}: {} resources)",
            path.display(),
            template.resources.len()
        ));
    }
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
