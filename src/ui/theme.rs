//! Colours and sizes of the editor: the one place design tokens are defined.

use egui::{Color32, Stroke};

use crate::catalog::{Category, catalog};
use crate::model::Kind;
use crate::model::config::network::SubnetTier;

/// Light or dark.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ThemeChoice {
    /// Light canvas (default): diagrams read like AWS's own.
    #[default]
    Light,
    /// Dark canvas.
    Dark,
}

/// How one container kind is framed.
pub struct FrameStyle {
    /// Fill of the body.
    pub fill: Color32,
    /// Border.
    pub stroke: Stroke,
    /// Dashed border.
    pub dashed: bool,
    /// Colour of the title text and the title chip.
    pub accent: Color32,
}

/// The palette of the editor for one theme.
#[derive(Clone, Copy)]
pub struct Palette {
    /// Canvas background.
    pub canvas: Color32,
    /// Grid dots.
    pub grid: Color32,
    /// Main text on the canvas.
    pub text: Color32,
    /// Secondary text.
    pub weak_text: Color32,
    /// Node card background.
    pub card: Color32,
    /// Selection highlight.
    pub selection: Color32,
    /// Errors and refusals.
    pub error: Color32,
    /// Link colour.
    pub link: Color32,
    /// Dark theme.
    pub dark: bool,
}

impl Palette {
    /// The palette of `choice`.
    pub fn of(choice: ThemeChoice) -> Palette {
        match choice {
            ThemeChoice::Light => Palette {
                canvas: Color32::from_rgb(0xF7, 0xF8, 0xFA),
                grid: Color32::from_rgb(0xD5, 0xDB, 0xE1),
                text: Color32::from_rgb(0x16, 0x19, 0x1F),
                weak_text: Color32::from_rgb(0x5F, 0x6B, 0x7A),
                card: Color32::WHITE,
                selection: Color32::from_rgb(0x00, 0x73, 0xBB),
                error: Color32::from_rgb(0xD1, 0x32, 0x12),
                link: Color32::from_rgb(0x41, 0x4D, 0x5C),
                dark: false,
            },
            ThemeChoice::Dark => Palette {
                canvas: Color32::from_rgb(0x16, 0x19, 0x1F),
                grid: Color32::from_rgb(0x2E, 0x34, 0x3E),
                text: Color32::from_rgb(0xE9, 0xEB, 0xED),
                weak_text: Color32::from_rgb(0x9B, 0xA7, 0xB6),
                card: Color32::from_rgb(0x23, 0x28, 0x31),
                selection: Color32::from_rgb(0x53, 0x9F, 0xE5),
                error: Color32::from_rgb(0xFF, 0x5D, 0x64),
                link: Color32::from_rgb(0xB6, 0xBE, 0xC9),
                dark: true,
            },
        }
    }

    /// The frame of a container kind (AWS diagram conventions).
    pub fn frame(&self, kind: Kind, tier: Option<SubnetTier>) -> FrameStyle {
        let tint = |c: Color32, light: u8, dark: u8| {
            let a = if self.dark { dark } else { light };
            Color32::from_rgba_unmultiplied(c.r(), c.g(), c.b(), a)
        };
        let region = Color32::from_rgb(0x00, 0xA4, 0xA6);
        let vpc = Color32::from_rgb(0x8C, 0x4F, 0xFF);
        let az = Color32::from_rgb(0x14, 0x7E, 0xBA);
        let public = Color32::from_rgb(0x7A, 0xA1, 0x16);
        let private = Color32::from_rgb(0x00, 0xA4, 0xA6);
        match (kind, tier) {
            (Kind::Region, _) => FrameStyle {
                fill: tint(region, 6, 10),
                stroke: Stroke::new(1.5, region),
                dashed: true,
                accent: region,
            },
            (Kind::Vpc, _) => FrameStyle {
                fill: tint(vpc, 8, 14),
                stroke: Stroke::new(1.5, vpc),
                dashed: false,
                accent: vpc,
            },
            (Kind::AvailabilityZone, _) => FrameStyle {
                fill: Color32::TRANSPARENT,
                stroke: Stroke::new(1.2, az),
                dashed: true,
                accent: az,
            },
            (Kind::Subnet, Some(SubnetTier::Public)) => FrameStyle {
                fill: tint(public, 30, 36),
                stroke: Stroke::new(1.0, public),
                dashed: false,
                accent: public,
            },
            _ => FrameStyle {
                fill: tint(private, 26, 34),
                stroke: Stroke::new(1.0, private),
                dashed: false,
                accent: private,
            },
        }
    }
}

/// The colour of a category, parsed from the catalog's `#RRGGBB`.
pub fn category_color(category: Category) -> Color32 {
    catalog()
        .category(category)
        .and_then(|c| parse_hex(&c.color))
        .unwrap_or(Color32::GRAY)
}

/// The colour of a kind's icon.
pub fn kind_color(kind: Kind) -> Color32 {
    category_color(catalog().info(kind).category)
}

fn parse_hex(text: &str) -> Option<Color32> {
    let hex = text.strip_prefix('#')?;
    if hex.len() != 6 {
        return None;
    }
    let value = u32::from_str_radix(hex, 16).ok()?;
    Some(Color32::from_rgb(
        (value >> 16) as u8,
        (value >> 8) as u8,
        value as u8,
    ))
}

/// egui visuals for the theme.
pub fn visuals(choice: ThemeChoice) -> egui::Visuals {
    let mut visuals = match choice {
        ThemeChoice::Light => egui::Visuals::light(),
        ThemeChoice::Dark => egui::Visuals::dark(),
    };
    visuals.selection.bg_fill = Palette::of(choice).selection;
    visuals
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_category_has_a_parsable_colour() {
        for info in catalog().categories() {
            assert!(parse_hex(&info.color).is_some(), "{}", info.color);
        }
        assert_eq!(
            category_color(Category::Compute),
            Color32::from_rgb(0xED, 0x71, 0x00)
        );
        assert_eq!(parse_hex("#12"), None);
    }
}
