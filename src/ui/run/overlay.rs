//! The run drawn over the design: AZs and Regions that are out, requests moving along the
//! links (as many dots as the flow, coloured by how they fare), each resource's state,
//! load and badges, and an Auto Scaling group's instances inside the subnets of their AZs.

use egui::{Align2, Color32, CornerRadius, FontId, Painter, Pos2, Stroke, StrokeKind, Vec2, pos2};

use crate::layout::view::Camera;
use crate::model::catalog::catalog;
use crate::model::geom::Rect;
use crate::model::{Diagram, Kind, ResourceId, refs::References};
use crate::play::live::{LiveResource, LiveView, Member};
use crate::sim::{AlarmValue, Status};
use crate::ui::canvas::draw::{LABEL_ZOOM, to_egui};
use crate::ui::theme::Palette;

/// Dots on the busiest link; the others get theirs in proportion to their flow.
const MOST_DOTS: f64 = 14.0;
/// Wall seconds a dot takes to cross a link.
const CROSSING_SECS: f64 = 1.6;
/// Screen pixels within which the pointer shows a link's rate.
const HOVER_PX: f32 = 8.0;

/// Answered in time.
pub const OK: Color32 = Color32::from_rgb(0x1F, 0x9D, 0x55);
/// Waited in a queue.
pub const SLOW: Color32 = Color32::from_rgb(0xF0, 0x8C, 0x00);
/// Failed.
pub const FAILED: Color32 = Color32::from_rgb(0xE0, 0x31, 0x31);

/// The colour of a state.
pub fn status_color(status: Status) -> Color32 {
    match status {
        Status::InService => OK,
        Status::Pending => Color32::from_rgb(0x3B, 0x82, 0xF6),
        Status::Unhealthy | Status::AppDown => SLOW,
        Status::Draining => Color32::from_rgb(0x8B, 0x5C, 0xF6),
        Status::Stopped => FAILED,
        Status::FailingOver => Color32::from_rgb(0xF5, 0x9F, 0x00),
        Status::Terminated => Color32::from_rgb(0x86, 0x8E, 0x96),
    }
}

/// Everything the run adds to the canvas.
pub struct Overlay<'a> {
    /// The design.
    pub diagram: &'a Diagram,
    /// The run.
    pub live: &'a LiveView,
    /// The view.
    pub camera: &'a Camera,
    /// The canvas on screen.
    pub viewport: &'a Rect,
    /// Colours.
    pub palette: &'a Palette,
    /// Seconds of animation (stops while paused).
    pub animation_secs: f64,
    /// The pointer on the canvas.
    pub pointer: Option<Pos2>,
}

impl Overlay<'_> {
    /// Zones that are out, under the nodes.
    pub fn zones(&self, painter: &Painter) {
        for id in &self.live.zones_down {
            let Some(r) = self.diagram.resource(id.as_str()) else {
                continue;
            };
            let screen = to_egui(&self.camera.rect_to_screen(&r.rect, self.viewport));
            painter.rect_filled(screen, CornerRadius::same(6), FAILED.gamma_multiply(0.16));
            painter.rect_stroke(
                screen,
                CornerRadius::same(6),
                Stroke::new(2.5, FAILED),
                StrokeKind::Inside,
            );
            let font = FontId::proportional((13.0 * self.camera.zoom).clamp(9.0, 26.0));
            painter.text(
                pos2(screen.right() - 10.0, screen.top() + 8.0),
                Align2::RIGHT_TOP,
                "OUT OF SERVICE",
                font,
                FAILED,
            );
        }
    }

    /// Requests moving along the links; the rate of the link under the pointer.
    pub fn flows(&self, painter: &Painter, routes: &crate::layout::routes::Routes) {
        let zoom = self.camera.zoom;
        let radius = (3.6 * zoom).clamp(2.0, 6.0);
        let mut hovered: Option<(Pos2, String)> = None;
        // The drawn link the requests flow along, by its ends (a live link has no kind).
        let drawn: std::collections::HashMap<_, usize> = self
            .diagram
            .links()
            .iter()
            .enumerate()
            .rev()
            .map(|(i, l)| ((&l.from, &l.to), i))
            .collect();
        for link in &self.live.links {
            let Some(&index) = drawn.get(&(&link.from, &link.to)) else {
                continue;
            };
            let route: Vec<Pos2> = routes
                .route_of(self.diagram, index)
                .iter()
                .map(|p| {
                    let s = self.camera.to_screen(*p, self.viewport);
                    pos2(s.x, s.y)
                })
                .collect();
            if let Some(pointer) = self.pointer
                && distance_to_route(&route, pointer) <= HOVER_PX
            {
                hovered = Some((pointer, rate_label(link.per_sec, link.failed_share)));
            }
            if link.shown_per_sec <= 0.005 || self.live.busiest_per_sec <= 0.0 {
                continue;
            }
            let dots = (MOST_DOTS * link.shown_per_sec / self.live.busiest_per_sec)
                .ceil()
                .clamp(1.0, MOST_DOTS) as usize;
            let lead = (self.animation_secs / CROSSING_SECS).fract();
            for i in 0..dots {
                let along = (lead + i as f64 / dots as f64).fract();
                let Some(at) = point_along(&route, along as f32) else {
                    continue;
                };
                // Spread outcomes evenly over the dots (golden-ratio sequence), so the
                // share of red dots is the share failing.
                let u = (i as f64 * 0.618_034).fract();
                let color = if u < link.failed_share {
                    FAILED
                } else if u < link.failed_share + link.slow_share {
                    SLOW
                } else {
                    OK
                };
                painter.circle(at, radius, color, Stroke::new(1.0, Color32::WHITE));
            }
        }
        if let Some((at, text)) = hovered {
            pill(
                painter,
                at + Vec2::new(12.0, -14.0),
                Align2::LEFT_BOTTOM,
                &text,
                12.0,
                Color32::from_rgb(0x23, 0x2F, 0x3E),
                f32::INFINITY,
            );
        }
    }

    /// Each resource's state, load and badges, over its node.
    pub fn resources(&self, painter: &Painter) {
        let zoom = self.camera.zoom;
        for resource in self.diagram.resources() {
            let Some(live) = self.live.resources.get(&resource.id) else {
                continue;
            };
            if catalog().is_container(resource.kind()) {
                continue;
            }
            let screen = to_egui(&self.camera.rect_to_screen(&resource.rect, self.viewport));
            if !painter.clip_rect().intersects(screen.expand(40.0)) {
                continue;
            }
            if let Some(status) = live.status
                && status != Status::InService
            {
                let blink =
                    status == Status::FailingOver && (self.animation_secs * 2.0).fract() < 0.5;
                let color = status_color(status);
                painter.rect_stroke(
                    screen.expand(2.0),
                    CornerRadius::same((9.0 * zoom).clamp(3.0, 15.0) as u8),
                    Stroke::new(if blink { 1.5 } else { 3.5 }, color),
                    StrokeKind::Outside,
                );
                if matches!(status, Status::Stopped | Status::Terminated) {
                    painter.rect_filled(
                        screen,
                        CornerRadius::same((8.0 * zoom).clamp(2.0, 14.0) as u8),
                        Color32::from_white_alpha(150),
                    );
                }
            }
            if zoom < LABEL_ZOOM {
                continue;
            }
            if live.servers > 0 {
                utilisation_ring(painter, screen, live.shown_utilisation, zoom, self.palette);
            }
            let name = |id: &ResourceId| {
                self.diagram
                    .resource(id.as_str())
                    .map_or_else(|| id.to_string(), |r| r.label().to_owned())
            };
            let badges = badges(resource.kind(), live, &name);
            let mut y = screen.bottom() + 3.0 * zoom;
            // Badges stay within the node's width and a little more, so that neighbours'
            // badges do not overlap.
            let widest = screen.width() * 1.25;
            for (text, color) in badges {
                let size = pill(
                    painter,
                    pos2(screen.center().x, y),
                    Align2::CENTER_TOP,
                    &text,
                    (10.5 * zoom).clamp(7.0, 15.0),
                    color,
                    widest,
                );
                y += size.y + 2.0;
            }
            if resource.kind() == Kind::AutoScalingGroup || !live.members.is_empty() {
                self.members(painter, &resource.id, live);
            }
        }
    }

    /// A group's instances as small squares along the bottom of the subnet of their AZ.
    fn members(&self, painter: &Painter, group: &ResourceId, live: &LiveResource) {
        let Some(resource) = self.diagram.resource(group.as_str()) else {
            return;
        };
        let mut subnets: Vec<&crate::model::Resource> = Vec::new();
        resource.config.for_each_ref(&mut |id| {
            if let Some(r) = self.diagram.resource(id.as_str())
                && r.kind() == Kind::Subnet
            {
                subnets.push(r);
            }
        });
        let zoom = self.camera.zoom;
        let side = (16.0 * zoom).clamp(6.0, 26.0);
        let gap = side * 0.35;
        let mut placed: Vec<(ResourceId, usize)> = Vec::new();
        let mut hovered: Option<(egui::Rect, &Member)> = None;
        for member in &live.members {
            let subnet = subnets.iter().find(|s| {
                member
                    .az
                    .as_ref()
                    .is_some_and(|az| s.parent.as_ref() == Some(az))
            });
            let Some(subnet) = subnet else {
                continue;
            };
            let index = match placed.iter_mut().find(|(id, _)| id == &subnet.id) {
                Some((_, n)) => {
                    *n += 1;
                    *n - 1
                }
                None => {
                    placed.push((subnet.id.clone(), 1));
                    0
                }
            };
            let area = to_egui(&self.camera.rect_to_screen(&subnet.rect, self.viewport));
            let per_row = (((area.width() - gap) / (side + gap)).floor() as usize).max(1);
            let (row, col) = (index / per_row, index % per_row);
            let min = pos2(
                area.left() + gap + col as f32 * (side + gap),
                area.bottom() - gap - side - row as f32 * (side + gap),
            );
            let square = egui::Rect::from_min_size(min, Vec2::splat(side));
            member_square(painter, square, member);
            if self.pointer.is_some_and(|p| square.contains(p)) {
                hovered = Some((square, member));
            }
        }
        if let Some((square, member)) = hovered {
            let text = format!(
                "{} · {} · {:.0} % busy",
                member.id,
                member.status.label(),
                member.utilisation * 100.0
            );
            pill(
                painter,
                square.center_top() - Vec2::new(0.0, 4.0),
                Align2::CENTER_BOTTOM,
                &text,
                12.0,
                Color32::from_rgb(0x23, 0x2F, 0x3E),
                f32::INFINITY,
            );
        }
    }
}

/// The square of one instance: its state's colour, filled up to its utilisation.
fn member_square(painter: &Painter, rect: egui::Rect, member: &Member) {
    let color = status_color(member.status);
    let radius = CornerRadius::same((rect.width() * 0.2) as u8);
    painter.rect_filled(rect, radius, color.gamma_multiply(0.25));
    let filled = rect.height() * member.utilisation.clamp(0.0, 1.0) as f32;
    if filled > 0.5 {
        painter.rect_filled(
            egui::Rect::from_min_max(pos2(rect.left(), rect.bottom() - filled), rect.max),
            radius,
            color.gamma_multiply(0.8),
        );
    }
    painter.rect_stroke(rect, radius, Stroke::new(1.5, color), StrokeKind::Inside);
}

/// A ring at a node's top-left corner, filled clockwise by its utilisation.
fn utilisation_ring(painter: &Painter, node: egui::Rect, share: f64, zoom: f32, palette: &Palette) {
    let radius = (11.0 * zoom).clamp(7.0, 18.0);
    let center = node.left_top() + Vec2::splat(radius + 3.0 * zoom);
    painter.circle_filled(center, radius + 1.0, palette.card);
    painter.circle_stroke(center, radius - 1.5, Stroke::new(3.0, palette.grid));
    let share = share.clamp(0.0, 1.0);
    let color = if share >= 0.9 {
        FAILED
    } else if share >= 0.7 {
        SLOW
    } else {
        OK
    };
    if share > 0.005 {
        let steps = (48.0 * share).ceil().max(2.0) as usize;
        let points: Vec<Pos2> = (0..=steps)
            .map(|i| {
                let angle = -std::f64::consts::FRAC_PI_2
                    + std::f64::consts::TAU * share * i as f64 / steps as f64;
                center + Vec2::new(angle.cos() as f32, angle.sin() as f32) * (radius - 1.5)
            })
            .collect();
        painter.add(egui::Shape::line(points, Stroke::new(3.0, color)));
    }
    painter.text(
        center,
        Align2::CENTER_CENTER,
        format!("{:.0}", share * 100.0),
        FontId::proportional(radius * 0.75),
        palette.text,
    );
}

/// The badges under a node: what a person watching needs to read at a glance. `name`
/// gives a resource's name on the canvas.
pub fn badges(
    kind: Kind,
    live: &LiveResource,
    name: &dyn Fn(&ResourceId) -> String,
) -> Vec<(String, Color32)> {
    let mut out = Vec::new();
    let dark = Color32::from_rgb(0x23, 0x2F, 0x3E);
    if let Some(status) = live.status
        && status != Status::InService
        && live.group.is_none()
        && live.balancer.is_none()
    {
        let text = if live.status_secs > 0.0 {
            format!(
                "{} {}",
                status.label(),
                crate::play::clock(live.status_secs)
            )
        } else {
            status.label().to_owned()
        };
        out.push((text, status_color(status)));
    }
    // Red when none of what is wanted is there, amber when some is missing.
    let count_color = |have: u32, want: u32| {
        if have == 0 {
            FAILED
        } else if have < want {
            SLOW
        } else {
            dark
        }
    };
    if let Some(g) = &live.group {
        let color = count_color(g.in_service, g.desired);
        out.push((format!("{}/{} in service", g.in_service, g.desired), color));
        if g.pending > 0 {
            out.push((
                format!("{} launching", g.pending),
                status_color(Status::Pending),
            ));
        }
    }
    if let Some(b) = &live.balancer
        && b.targets > 0
    {
        let color = count_color(b.healthy, b.targets);
        out.push((format!("{}/{} healthy", b.healthy, b.targets), color));
    }
    if kind == Kind::LambdaFunction && live.servers > 0 {
        out.push((format!("{} running", live.busy), dark));
    }
    if let (Some(primary), Some(standby)) = (&live.primary_az, &live.standby_az) {
        out.push((format!("primary {}", name(primary)), dark));
        out.push((
            format!("standby {}", name(standby)),
            Color32::from_rgb(0x5F, 0x6B, 0x7A),
        ));
    }
    if live.point.waiting >= 1.0 {
        let what = if live.queue.is_some() {
            "messages"
        } else {
            "waiting"
        };
        out.push((format!("{:.0} {what}", live.point.waiting), SLOW));
    }
    if live.throttled {
        out.push(("out of CPU credits".to_owned(), SLOW));
    }
    if let Some(share) = live.keys_cached
        && share < 0.995
    {
        out.push((format!("{:.0} % of keys cached", share * 100.0), SLOW));
    }
    if let Some(lag) = live.replica_lag_secs
        && lag >= 0.5
    {
        out.push((format!("lag {lag:.1} s"), SLOW));
    }
    if let Some(state) = live.alarm {
        let (text, color) = match state {
            AlarmValue::Alarm => ("ALARM", FAILED),
            AlarmValue::Ok => ("OK", OK),
            AlarmValue::InsufficientData => ("INSUFFICIENT DATA", Color32::GRAY),
        };
        out.push((text.to_owned(), color));
    }
    if live.point.errors_per_sec >= 0.05 {
        out.push((format!("{:.1} errors/s", live.point.errors_per_sec), FAILED));
    }
    out
}

/// A rounded label no wider than `widest` (its text shortened with an ellipsis to fit);
/// returns its size.
fn pill(
    painter: &Painter,
    at: Pos2,
    align: Align2,
    text: &str,
    size: f32,
    fill: Color32,
    widest: f32,
) -> Vec2 {
    let pad = Vec2::new(size * 0.5, size * 0.15);
    let font = FontId::proportional(size);
    let mut galley = painter.layout_no_wrap(text.to_owned(), font.clone(), Color32::WHITE);
    let room = widest - pad.x * 2.0;
    if galley.size().x > room {
        let chars = text.chars().count();
        let keep = ((chars as f32 * room / galley.size().x) as usize).saturating_sub(1);
        let short: String = text.chars().take(keep.max(1)).collect();
        galley = painter.layout_no_wrap(format!("{}…", short.trim_end()), font, Color32::WHITE);
    }
    let outer = galley.size() + pad * 2.0;
    let rect = align.anchor_size(at, outer);
    painter.rect_filled(rect, CornerRadius::same((outer.y / 2.0) as u8), fill);
    painter.galley(rect.min + pad, galley, Color32::WHITE);
    outer
}

/// A link's rate in words.
pub fn rate_label(per_sec: f64, failed_share: f64) -> String {
    let rate = if per_sec >= 100.0 {
        format!("{per_sec:.0} requests/s")
    } else {
        format!("{per_sec:.1} requests/s")
    };
    if failed_share >= 0.0005 {
        format!("{rate} · {:.1} % failing", failed_share * 100.0)
    } else {
        rate
    }
}

/// The point `along` (0 to 1) of the way down a polyline.
pub fn point_along(route: &[Pos2], along: f32) -> Option<Pos2> {
    let lengths: Vec<f32> = route.windows(2).map(|w| w[0].distance(w[1])).collect();
    let total: f32 = lengths.iter().sum();
    if route.is_empty() || total <= 0.0 {
        return route.first().copied();
    }
    let mut left = along.clamp(0.0, 1.0) * total;
    for (w, len) in route.windows(2).zip(&lengths) {
        if left <= *len {
            let t = if *len > 0.0 { left / len } else { 0.0 };
            return Some(w[0] + (w[1] - w[0]) * t);
        }
        left -= len;
    }
    route.last().copied()
}

/// Distance from `p` to the nearest segment of a polyline.
fn distance_to_route(route: &[Pos2], p: Pos2) -> f32 {
    route
        .windows(2)
        .map(|w| {
            let (a, b) = (w[0], w[1]);
            let ab = b - a;
            let t = if ab.length_sq() > 0.0 {
                ((p - a).dot(ab) / ab.length_sq()).clamp(0.0, 1.0)
            } else {
                0.0
            };
            p.distance(a + ab * t)
        })
        .fold(f32::INFINITY, f32::min)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_point_along_a_polyline_splits_it_by_length() {
        let route = [pos2(0.0, 0.0), pos2(10.0, 0.0), pos2(10.0, 30.0)];
        assert_eq!(point_along(&route, 0.0), Some(pos2(0.0, 0.0)));
        assert_eq!(point_along(&route, 0.25), Some(pos2(10.0, 0.0)));
        assert_eq!(point_along(&route, 0.5), Some(pos2(10.0, 10.0)));
        assert_eq!(point_along(&route, 1.0), Some(pos2(10.0, 30.0)));
        assert_eq!(point_along(&[], 0.5), None);
    }

    #[test]
    fn the_pointer_near_a_link_finds_it() {
        let route = [pos2(0.0, 0.0), pos2(100.0, 0.0)];
        assert!(distance_to_route(&route, pos2(50.0, 5.0)) <= HOVER_PX);
        assert!(distance_to_route(&route, pos2(50.0, 20.0)) > HOVER_PX);
    }

    #[test]
    fn badges_say_what_is_wrong() {
        let live = LiveResource {
            status: Some(Status::FailingOver),
            status_secs: 42.0,
            primary_az: Some(
                crate::model::ResourceId::new("az-b").unwrap_or_else(|e| panic!("{e}")),
            ),
            standby_az: Some(
                crate::model::ResourceId::new("az-a").unwrap_or_else(|e| panic!("{e}")),
            ),
            ..LiveResource::default()
        };
        let name = |id: &crate::model::ResourceId| format!("zone {id}");
        let texts: Vec<String> = badges(Kind::RdsInstance, &live, &name)
            .into_iter()
            .map(|b| b.0)
            .collect();
        assert_eq!(
            texts,
            [
                "failing over 00:00:42",
                "primary zone az-b",
                "standby zone az-a"
            ]
        );
    }
}
