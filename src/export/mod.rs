//! Pictures of a diagram: SVG drawn as the canvas draws it, and PNG rasterized from that
//! SVG by resvg.

pub mod drawio;
pub mod escape;
pub mod svg;

pub use drawio::drawio;
pub use svg::{SvgOptions, svg};

use std::path::Path;

/// Most pixels a PNG may have (a 16k × 16k picture): larger scales are refused.
const MAX_PIXELS: u64 = 16_384 * 16_384;

/// `svg_text` rasterized at `scale` (1 = one pixel per canvas unit) as PNG bytes.
pub fn png(svg_text: &str, scale: f32) -> Result<Vec<u8>, String> {
    if !(scale.is_finite() && scale > 0.0) {
        return Err(format!("the scale must be a positive number, not {scale}"));
    }
    let mut options = resvg::usvg::Options::default();
    // The editor's own fonts, shipped with the program, so a picture's text looks as on
    // the canvas on every machine; the system's fonts stay available for other names.
    let fonts = options.fontdb_mut();
    fonts.load_font_data(epaint_default_fonts::UBUNTU_LIGHT.to_vec());
    fonts.load_font_data(epaint_default_fonts::HACK_REGULAR.to_vec());
    fonts.load_system_fonts();
    fonts.set_sans_serif_family("Ubuntu");
    fonts.set_monospace_family("Hack");
    let tree = resvg::usvg::Tree::from_str(svg_text, &options).map_err(|e| e.to_string())?;
    let size = tree.size();
    let (w, h) = (
        (size.width() * scale).ceil() as u32,
        (size.height() * scale).ceil() as u32,
    );
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(format!(
            "a {w} × {h} picture is too large; use a smaller --scale"
        ));
    }
    let mut pixmap = resvg::tiny_skia::Pixmap::new(w.max(1), h.max(1))
        .ok_or_else(|| format!("cannot make a {w} × {h} picture"))?;
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap.encode_png().map_err(|e| e.to_string())
}

/// The picture of `diagram` for `path`: PNG (at `png_scale`) for a `.png` name, SVG
/// otherwise.
pub fn picture_for(
    path: &Path,
    diagram: &crate::model::Diagram,
    options: &SvgOptions,
    png_scale: f32,
) -> Result<Vec<u8>, String> {
    let text = svg(diagram, options);
    match path.extension().and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("png") => png(&text, png_scale),
        _ => Ok(text.into_bytes()),
    }
}
