//! Colours and sizes of the editor: the one place design tokens are defined.

use egui::{Color32, Stroke};

use crate::model::Kind;
use crate::model::catalog::Category;
use crate::model::config::network::SubnetTier;
use crate::style;

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
    /// The palette of `choice`, from the diagram's design tokens.
    pub fn of(choice: ThemeChoice) -> Palette {
        let tokens = match choice {
            ThemeChoice::Light => &style::LIGHT,
            ThemeChoice::Dark => &style::DARK,
        };
        Palette {
            canvas: color(tokens.canvas),
            grid: color(tokens.grid),
            text: color(tokens.text),
            weak_text: color(tokens.weak_text),
            card: color(tokens.card),
            selection: color(tokens.selection),
            error: color(tokens.error),
            link: color(tokens.link),
            dark: tokens.dark,
        }
    }

    /// The design tokens this palette was made from.
    pub fn tokens(&self) -> &'static style::Palette {
        if self.dark {
            &style::DARK
        } else {
            &style::LIGHT
        }
    }

    /// The frame of a container kind (AWS diagram conventions).
    pub fn frame(&self, kind: Kind, tier: Option<SubnetTier>) -> FrameStyle {
        let f = style::frame(self.tokens(), kind, tier);
        FrameStyle {
            fill: color(f.fill),
            stroke: Stroke::new(f.width, color(f.stroke)),
            dashed: f.dashed,
            accent: color(f.accent),
        }
    }
}

/// A design token's colour as egui's.
pub fn color(c: style::Rgba) -> Color32 {
    Color32::from_rgba_unmultiplied(c.0, c.1, c.2, c.3)
}

/// The colour of a category.
pub fn category_color(category: Category) -> Color32 {
    color(style::category_color(category))
}

/// The colour of a kind's icon.
pub fn kind_color(kind: Kind) -> Color32 {
    color(style::kind_color(kind))
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
        for info in crate::model::catalog::catalog().categories() {
            assert!(style::Rgba::parse(&info.color).is_some(), "{}", info.color);
        }
        assert_eq!(
            category_color(Category::Compute),
            Color32::from_rgb(0xED, 0x71, 0x00)
        );
    }

    #[test]
    fn the_palettes_are_the_design_tokens() {
        let light = Palette::of(ThemeChoice::Light);
        assert_eq!(light.canvas, Color32::from_rgb(0xF7, 0xF8, 0xFA));
        assert!(!light.dark && Palette::of(ThemeChoice::Dark).dark);
        let region = light.frame(Kind::Region, None);
        assert!(region.dashed);
        assert_eq!(region.stroke.color, Color32::from_rgb(0x00, 0xA4, 0xA6));
        // A translucent tint stays translucent through the conversion.
        assert_eq!(light.frame(Kind::Vpc, None).fill.a(), 8);
    }
}
