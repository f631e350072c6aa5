//! Kind icons: the SVGs of `icons/` (embedded), rasterized on demand at the size they are
//! drawn, rounded up to a power of two so they stay crisp at every zoom.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use egui::{Color32, TextureHandle, TextureOptions};

use crate::model::Kind;

/// Smallest and largest raster sizes, in physical pixels.
const MIN_PX: u32 = 16;
const MAX_PX: u32 = 512;

/// The SVG text of a kind's icon.
pub fn svg_of(kind: Kind) -> Option<&'static [u8]> {
    crate::style::icon_svg(kind).map(str::as_bytes)
}

/// Textures made so far in one egui context, by kind and size; `None` marks an icon that
/// could not be rasterized, so it is not tried every frame.
#[derive(Clone, Default)]
struct IconTextures(Arc<Mutex<TextureMap>>);

/// Rasterized icons by kind and pixel size.
type TextureMap = HashMap<(Kind, u32), Option<TextureHandle>>;

/// The raster size for an icon drawn `points` wide at `pixels_per_point`.
pub fn raster_size(points: f32, pixels_per_point: f32) -> u32 {
    let wanted = (points * pixels_per_point).ceil().max(1.0) as u32;
    wanted.next_power_of_two().clamp(MIN_PX, MAX_PX)
}

/// Draws the icon of `kind` in `rect`; returns false when there is no icon to draw.
pub fn paint(painter: &egui::Painter, rect: egui::Rect, kind: Kind) -> bool {
    let ctx = painter.ctx();
    let size = raster_size(rect.width().max(rect.height()), ctx.pixels_per_point());
    let cache = ctx.data_mut(|d| {
        d.get_temp_mut_or_default::<IconTextures>(egui::Id::unique("cloudcanvas_icons"))
            .clone()
    });
    let texture = {
        let Ok(mut textures) = cache.0.lock() else {
            return false;
        };
        textures
            .entry((kind, size))
            .or_insert_with(|| rasterize(ctx, kind, size))
            .clone()
    };
    match texture {
        Some(texture) => {
            let uv = egui::Rect::from_min_max(egui::pos2(0.0, 0.0), egui::pos2(1.0, 1.0));
            painter.image(texture.id(), rect, uv, Color32::WHITE);
            true
        }
        None => false,
    }
}

fn rasterize(ctx: &egui::Context, kind: Kind, size: u32) -> Option<TextureHandle> {
    let svg = svg_of(kind)?;
    let hint = egui::SizeHint::Size {
        width: size,
        height: size,
        maintain_aspect_ratio: true,
    };
    let image =
        egui_extras::image::load_svg_bytes_with_size(svg, hint, &Default::default()).ok()?;
    Some(ctx.load_texture(
        format!("icon-{}-{size}", kind.name()),
        image,
        TextureOptions::LINEAR,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_an_icon_that_rasterizes() {
        for &kind in Kind::ALL {
            let svg = svg_of(kind).unwrap_or_else(|| {
                panic!(
                    "{kind} has no icons/{}.svg",
                    crate::model::catalog::catalog().info(kind).icon
                )
            });
            let hint = egui::SizeHint::Size {
                width: 64,
                height: 64,
                maintain_aspect_ratio: true,
            };
            let image =
                egui_extras::image::load_svg_bytes_with_size(svg, hint, &Default::default())
                    .unwrap();
            assert_eq!(image.size, [64, 64], "{kind}");
            let white = image
                .pixels
                .iter()
                .filter(|p| p.r() > 240 && p.g() > 240 && p.b() > 240)
                .count();
            assert!(
                white > 100,
                "{kind}: the white pictogram is drawn ({white} white pixels)"
            );
        }
    }

    #[test]
    fn raster_sizes_round_up_to_powers_of_two_within_bounds() {
        assert_eq!(raster_size(40.0, 1.0), 64);
        assert_eq!(raster_size(40.0, 2.0), 128);
        assert_eq!(raster_size(1.0, 1.0), MIN_PX);
        assert_eq!(raster_size(5000.0, 1.0), MAX_PX);
    }
}
