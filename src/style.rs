//! Design tokens of the diagram: the colours and strokes of the canvas, its containers,
//! links and notes, in plain RGBA. The editor draws with them and picture exports will
//! write them, so a diagram looks the same wherever it is shown.

use crate::model::catalog::{Category, catalog};
use crate::model::config::network::SubnetTier;
use crate::model::{Kind, LinkKind, NoteColor};

/// A colour with its opacity (not premultiplied).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rgba(pub u8, pub u8, pub u8, pub u8);

impl Rgba {
    /// An opaque colour.
    pub const fn rgb(r: u8, g: u8, b: u8) -> Rgba {
        Rgba(r, g, b, 255)
    }

    /// The same colour at opacity `alpha`.
    pub const fn with_alpha(self, alpha: u8) -> Rgba {
        Rgba(self.0, self.1, self.2, alpha)
    }

    /// `#RRGGBB`, without the opacity.
    pub fn hex(self) -> String {
        format!("#{:02X}{:02X}{:02X}", self.0, self.1, self.2)
    }

    /// Parses `#RRGGBB`.
    pub fn parse(text: &str) -> Option<Rgba> {
        let hex = text.strip_prefix('#')?;
        if hex.len() != 6 {
            return None;
        }
        let value = u32::from_str_radix(hex, 16).ok()?;
        Some(Rgba::rgb(
            (value >> 16) as u8,
            (value >> 8) as u8,
            value as u8,
        ))
    }
}

/// The base colours of a theme.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Palette {
    /// Canvas background.
    pub canvas: Rgba,
    /// Grid dots, node borders.
    pub grid: Rgba,
    /// Main text.
    pub text: Rgba,
    /// Secondary text.
    pub weak_text: Rgba,
    /// Node card background.
    pub card: Rgba,
    /// Selection highlight.
    pub selection: Rgba,
    /// Errors and refusals.
    pub error: Rgba,
    /// Traffic links.
    pub link: Rgba,
    /// A dark theme.
    pub dark: bool,
}

/// The light theme (default): diagrams read like AWS's own.
pub const LIGHT: Palette = Palette {
    canvas: Rgba::rgb(0xF7, 0xF8, 0xFA),
    grid: Rgba::rgb(0xD5, 0xDB, 0xE1),
    text: Rgba::rgb(0x16, 0x19, 0x1F),
    weak_text: Rgba::rgb(0x5F, 0x6B, 0x7A),
    card: Rgba::rgb(0xFF, 0xFF, 0xFF),
    selection: Rgba::rgb(0x00, 0x73, 0xBB),
    error: Rgba::rgb(0xD1, 0x32, 0x12),
    link: Rgba::rgb(0x41, 0x4D, 0x5C),
    dark: false,
};

/// The dark theme.
pub const DARK: Palette = Palette {
    canvas: Rgba::rgb(0x16, 0x19, 0x1F),
    grid: Rgba::rgb(0x2E, 0x34, 0x3E),
    text: Rgba::rgb(0xE9, 0xEB, 0xED),
    weak_text: Rgba::rgb(0x9B, 0xA7, 0xB6),
    card: Rgba::rgb(0x23, 0x28, 0x31),
    selection: Rgba::rgb(0x53, 0x9F, 0xE5),
    error: Rgba::rgb(0xFF, 0x5D, 0x64),
    link: Rgba::rgb(0xB6, 0xBE, 0xC9),
    dark: true,
};

/// How a container kind is framed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Frame {
    /// Fill of the body.
    pub fill: Rgba,
    /// Border colour.
    pub stroke: Rgba,
    /// Border width.
    pub width: f32,
    /// Dashed border.
    pub dashed: bool,
    /// Colour of the title and its chip.
    pub accent: Rgba,
}

/// The frame of a container kind, after AWS's diagram conventions: Regions dashed teal,
/// VPCs purple, AZs dashed blue, public subnets green, private ones teal.
pub fn frame(palette: &Palette, kind: Kind, tier: Option<SubnetTier>) -> Frame {
    let tint = |c: Rgba, light: u8, dark: u8| c.with_alpha(if palette.dark { dark } else { light });
    let region = Rgba::rgb(0x00, 0xA4, 0xA6);
    let vpc = Rgba::rgb(0x8C, 0x4F, 0xFF);
    let az = Rgba::rgb(0x14, 0x7E, 0xBA);
    let public = Rgba::rgb(0x7A, 0xA1, 0x16);
    let private = Rgba::rgb(0x00, 0xA4, 0xA6);
    let framed = |fill, stroke, width, dashed| Frame {
        fill,
        stroke,
        width,
        dashed,
        accent: stroke,
    };
    match (kind, tier) {
        (Kind::Region, _) => framed(tint(region, 6, 10), region, 1.5, true),
        (Kind::Vpc, _) => framed(tint(vpc, 8, 14), vpc, 1.5, false),
        (Kind::AvailabilityZone, _) => framed(Rgba(0, 0, 0, 0), az, 1.2, true),
        (Kind::Subnet, Some(SubnetTier::Public)) => {
            framed(tint(public, 30, 36), public, 1.0, false)
        }
        _ => framed(tint(private, 26, 34), private, 1.0, false),
    }
}

/// How a link kind is drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LinkStyle {
    /// Colour.
    pub color: Rgba,
    /// Width.
    pub width: f32,
    /// Dash and gap lengths, if dashed.
    pub dash: Option<(f32, f32)>,
    /// An arrow at the end.
    pub arrow: bool,
}

/// The style of a link kind.
pub fn link_style(kind: LinkKind, palette: &Palette) -> LinkStyle {
    let style = |color, width, dash, arrow| LinkStyle {
        color,
        width,
        dash,
        arrow,
    };
    let purple = Rgba::rgb(0x8C, 0x4F, 0xFF);
    match kind {
        LinkKind::Traffic => style(palette.link, 1.6, None, true),
        LinkKind::Replication => style(Rgba::rgb(0x3B, 0x48, 0xCC), 1.6, Some((6.0, 4.0)), true),
        LinkKind::EventTrigger => style(Rgba::rgb(0xE7, 0x15, 0x7B), 1.6, Some((2.0, 4.0)), true),
        LinkKind::Attachment => style(palette.weak_text, 1.2, Some((3.0, 3.0)), false),
        LinkKind::Peering => style(purple, 2.0, Some((10.0, 5.0)), false),
        LinkKind::HybridConnection => style(purple, 2.6, Some((12.0, 4.0)), true),
    }
}

/// The paper of a sticky note.
pub fn note_fill(color: NoteColor) -> Rgba {
    match color {
        NoteColor::Yellow => Rgba::rgb(0xFF, 0xF1, 0xA8),
        NoteColor::Blue => Rgba::rgb(0xCF, 0xE6, 0xFF),
        NoteColor::Green => Rgba::rgb(0xD6, 0xF5, 0xC8),
        NoteColor::Pink => Rgba::rgb(0xFF, 0xD6, 0xE8),
    }
}

/// The colour of a category, from the catalog's `#RRGGBB` (grey if it has none).
pub fn category_color(category: Category) -> Rgba {
    catalog()
        .category(category)
        .and_then(|c| Rgba::parse(&c.color))
        .unwrap_or(Rgba::rgb(0xA0, 0xA0, 0xA0))
}

/// Characters of a resource's name that fit on its card; longer names are cut.
pub const CARD_NAME_CHARS: usize = 17;
/// Characters of a kind's name that fit on a card.
pub const CARD_KIND_CHARS: usize = 21;

/// `text` cut to `max` characters with an ellipsis, as a card shows it.
pub fn ellipsize(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(max.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    }
}

static ICON_DIR: include_dir::Dir<'static> = include_dir::include_dir!("$CARGO_MANIFEST_DIR/icons");

/// The SVG text of a kind's icon (`icons/`, embedded), if it has one.
pub fn icon_svg(kind: Kind) -> Option<&'static str> {
    ICON_DIR
        .get_file(format!("{}.svg", catalog().info(kind).icon))
        .and_then(|f| f.contents_utf8())
}

/// The colour of a kind's icon: its category's.
pub fn kind_color(kind: Kind) -> Rgba {
    category_color(catalog().info(kind).category)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_read_and_write_as_hex() {
        assert_eq!(Rgba::parse("#8C4FFF"), Some(Rgba::rgb(0x8C, 0x4F, 0xFF)));
        assert_eq!(Rgba::parse("8C4FFF"), None);
        assert_eq!(Rgba::parse("#8C4F"), None);
        assert_eq!(Rgba::rgb(0, 0xA4, 0xA6).hex(), "#00A4A6");
    }

    #[test]
    fn frames_follow_aws_conventions() {
        let region = frame(&LIGHT, Kind::Region, None);
        assert!(region.dashed);
        assert_eq!(region.accent, Rgba::rgb(0x00, 0xA4, 0xA6));
        let public = frame(&LIGHT, Kind::Subnet, Some(SubnetTier::Public));
        let private = frame(&LIGHT, Kind::Subnet, Some(SubnetTier::Private));
        assert_ne!(
            public.stroke, private.stroke,
            "public and private subnets differ"
        );
        assert_eq!(frame(&DARK, Kind::Vpc, None).fill.3, 14, "dark tints more");
    }

    #[test]
    fn every_category_has_its_colour() {
        for kind in Kind::ALL {
            assert_ne!(kind_color(*kind), Rgba::rgb(0xA0, 0xA0, 0xA0), "{kind:?}");
        }
    }
}
