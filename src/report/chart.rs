//! Small SVG line charts for reports: a series or a few over time, with axes, ticks, a
//! legend and the values' unit.

use std::fmt::Write as _;

/// One line of a chart.
pub struct Series<'a> {
    /// Its name in the legend.
    pub name: &'a str,
    /// Its colour.
    pub color: &'a str,
    /// (seconds, value) points, in time order.
    pub points: Vec<(f64, f64)>,
}

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 240.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 32.0;
const BOTTOM: f64 = 36.0;

/// A "nice" step near `span / 5` (1, 2 or 5 times a power of ten).
fn step(span: f64) -> f64 {
    if !(span.is_finite() && span > 0.0) {
        return 1.0;
    }
    let raw = span / 5.0;
    let power = 10f64.powf(raw.log10().floor());
    let unit = raw / power;
    let nice = if unit <= 1.0 {
        1.0
    } else if unit <= 2.0 {
        2.0
    } else if unit <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * power
}

/// A tick label: short, without trailing zeros.
fn tick(v: f64) -> String {
    if v.abs() >= 1_000_000.0 {
        format!("{:.1}M", v / 1_000_000.0).replace(".0M", "M")
    } else if v.abs() >= 10_000.0 {
        format!("{:.0}k", v / 1000.0)
    } else if v.fract().abs() < 1e-9 {
        format!("{v:.0}")
    } else if v.abs() >= 1.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// A time tick: minutes, or hours past two hours.
fn time_tick(secs: f64, span: f64) -> String {
    if span > 7200.0 {
        format!("{:.0} h", secs / 3600.0)
    } else {
        format!("{:.0} min", secs / 60.0)
    }
}

fn escape(text: &str) -> String {
    crate::export::escape::xml(text)
}

/// A time step for about six ticks over `span` seconds: whole minutes or hours.
fn time_step(span: f64) -> f64 {
    const STEPS: [f64; 11] = [
        60.0, 120.0, 300.0, 600.0, 900.0, 1800.0, 3600.0, 7200.0, 14400.0, 21600.0, 43200.0,
    ];
    STEPS
        .into_iter()
        .find(|s| span / s <= 7.0)
        .unwrap_or(86400.0)
}

/// A line chart titled `title`, values in `unit`, over the run's time, with `marks` —
/// moments worth pointing at, such as an injected failure — as dashed lines.
pub fn line_chart(title: &str, unit: &str, series: &[Series], marks: &[(f64, &str)]) -> String {
    let all = series.iter().flat_map(|s| s.points.iter());
    let (mut t0, mut t1, mut v1) = (f64::INFINITY, f64::NEG_INFINITY, 0.0f64);
    for &(t, v) in all {
        t0 = t0.min(t);
        t1 = t1.max(t);
        v1 = v1.max(v);
    }
    if !t0.is_finite() || t1 <= t0 {
        (t0, t1) = (0.0, 1.0);
    }
    // A flat series keeps a readable scale instead of a zero span; counts keep whole steps.
    let whole = series
        .iter()
        .flat_map(|s| s.points.iter())
        .all(|(_, v)| v.fract() == 0.0);
    let v_step = step(if v1 > 0.0 { v1 } else { 1.0 });
    let v_step = if whole {
        v_step.max(1.0).round()
    } else {
        v_step
    };
    let v_top = (v1 / v_step).ceil().max(1.0) * v_step;
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let x = |t: f64| LEFT + (t - t0) / (t1 - t0) * plot_w;
    let y = |v: f64| TOP + plot_h - v / v_top * plot_h;
    let mut out = String::new();
    let _ = write!(
        out,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="Ubuntu, sans-serif" font-size="11"><rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/><text x="{LEFT}" y="18" font-size="13" font-weight="bold" fill="#232F3E">{}</text><text x="{}" y="18" text-anchor="end" fill="#545B64">{}</text>"##,
        escape(title),
        WIDTH - RIGHT,
        escape(unit)
    );
    let mut v = 0.0;
    while v <= v_top + v_step / 2.0 {
        let _ = write!(
            out,
            r##"<line x1="{LEFT}" x2="{}" y1="{y:.1}" y2="{y:.1}" stroke="#E5E8EB"/><text x="{}" y="{:.1}" text-anchor="end" fill="#545B64">{}</text>"##,
            WIDTH - RIGHT,
            LEFT - 6.0,
            y(v) + 4.0,
            tick(v),
            y = y(v)
        );
        v += v_step;
    }
    let t_step = time_step(t1 - t0);
    let mut t = (t0 / t_step).ceil() * t_step;
    while t <= t1 + 1e-6 {
        let _ = write!(
            out,
            r##"<line x1="{x:.1}" x2="{x:.1}" y1="{TOP}" y2="{}" stroke="#F2F3F3"/><text x="{x:.1}" y="{}" text-anchor="middle" fill="#545B64">{}</text>"##,
            TOP + plot_h,
            HEIGHT - BOTTOM + 16.0,
            time_tick(t, t1 - t0),
            x = x(t)
        );
        t += t_step;
    }
    let _ = write!(
        out,
        r##"<line x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{b}" stroke="#879196"/><line x1="{LEFT}" x2="{}" y1="{b}" y2="{b}" stroke="#879196"/>"##,
        WIDTH - RIGHT,
        b = TOP + plot_h
    );
    for &(at, label) in marks.iter().filter(|(at, _)| (t0..=t1).contains(at)) {
        let _ = write!(
            out,
            r##"<line x1="{x:.1}" x2="{x:.1}" y1="{TOP}" y2="{}" stroke="#D13212" stroke-dasharray="4 3"/><text x="{:.1}" y="{}" fill="#D13212">{}</text>"##,
            TOP + plot_h,
            x(at) + 4.0,
            TOP + 12.0,
            escape(label),
            x = x(at)
        );
    }
    let mut legend_x = LEFT + 180.0;
    for s in series {
        let points: Vec<String> = s
            .points
            .iter()
            .map(|&(t, v)| format!("{:.1},{:.1}", x(t), y(v)))
            .collect();
        let _ = write!(
            out,
            r##"<polyline fill="none" stroke="{c}" stroke-width="1.8" points="{}"/><rect x="{legend_x}" y="9" width="10" height="10" fill="{c}"/><text x="{}" y="18" fill="#232F3E">{}</text>"##,
            points.join(" "),
            legend_x + 14.0,
            escape(s.name),
            c = s.color
        );
        legend_x += 24.0 + s.name.chars().count() as f64 * 6.5;
    }
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_steps_are_one_two_or_five_times_a_power_of_ten() {
        assert_eq!(step(10.0), 2.0);
        assert_eq!(step(730.0), 200.0);
        assert_eq!(step(0.03), 0.01);
    }

    #[test]
    fn a_chart_draws_each_series_within_its_frame() {
        let svg = line_chart(
            "Requests",
            "per second",
            &[Series {
                name: "answered",
                color: "#1E8900",
                points: vec![(0.0, 1.0), (60.0, 3.0), (120.0, 2.0)],
            }],
            &[(60.0, "a zone fails")],
        );
        let points = svg
            .split("points=\"")
            .nth(1)
            .and_then(|p| p.split('"').next())
            .expect("a line");
        for pair in points.split(' ') {
            let (x, y) = pair.split_once(',').expect("x,y");
            let (x, y): (f64, f64) = (x.parse().expect("x"), y.parse().expect("y"));
            assert!(
                (LEFT..=WIDTH - RIGHT).contains(&x) && (TOP..=HEIGHT - BOTTOM).contains(&y),
                "{pair}"
            );
        }
        assert!(
            svg.contains(">answered<") && svg.contains(">2 min<") && svg.contains(">a zone fails<")
        );
        // Counts keep whole ticks.
        assert!(!svg.contains(">0.50<"), "{svg}");
    }
}
