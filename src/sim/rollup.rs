//! Series whose memory stays bounded however long a run is: once full, neighbouring points
//! are rolled up in pairs and the period doubles, as CloudWatch keeps older data at coarser
//! periods (one-minute points for 15 days, five-minute for 63, hourly for 455:
//! <https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#metrics-retention>).
//! A short run never reaches the cap and keeps every point.

use super::events::SimTime;

/// A point that can absorb the one after it, becoming one point over both periods.
pub trait Rollup {
    /// Makes `self` stand for its own period and `later`'s.
    fn absorb(&mut self, later: &Self);
}

/// Points pushed one per period, at most `cap` kept (rounded up to an even number).
#[derive(Clone, Debug)]
pub struct Series<T> {
    points: Vec<T>,
    /// Points pushed that each kept point stands for.
    stride: u64,
    /// The point being gathered while `stride` > 1, and the pushes it holds.
    pending: Option<(T, u64)>,
    cap: usize,
}

/// Points a metric series keeps by default: 2.8 days of one-minute datapoints, 14 days of
/// five-minute ones; at most a few hundred kilobytes per group, alarm or queue.
pub const SERIES_POINTS: usize = 4_096;

impl<T> Default for Series<T> {
    fn default() -> Self {
        Self {
            points: Vec::new(),
            stride: 1,
            pending: None,
            cap: SERIES_POINTS,
        }
    }
}

impl<T: Rollup + Clone> Series<T> {
    /// An empty series keeping at most `cap` points.
    #[cfg(test)]
    pub fn new(cap: usize) -> Self {
        Self {
            points: Vec::new(),
            stride: 1,
            pending: None,
            cap: cap.max(2).next_multiple_of(2),
        }
    }

    /// Adds the next period's point.
    pub fn push(&mut self, point: T) {
        // Roll up before a new point starts, so that every kept point but the one
        // gathering stands for exactly `stride` pushes.
        if self.pending.is_none() && self.points.len() == self.cap {
            self.points = pairs(std::mem::take(&mut self.points));
            self.stride *= 2;
        }
        let gathered = match self.pending.take() {
            None => (point, 1),
            Some((mut held, n)) => {
                held.absorb(&point);
                (held, n + 1)
            }
        };
        if gathered.1 < self.stride {
            self.pending = Some(gathered);
        } else {
            self.points.push(gathered.0);
        }
    }

    /// Every point, the one still gathering included.
    pub fn to_vec(&self) -> Vec<T> {
        let mut all = self.points.clone();
        all.extend(self.pending.as_ref().map(|(p, _)| p.clone()));
        all
    }

    /// Periods of the original length that each point stands for.
    #[cfg(test)]
    pub fn stride(&self) -> u64 {
        self.stride
    }
}

/// Rolls up neighbours: (a, b), (c, d)… become a+b, c+d…, a last odd point kept alone.
fn pairs<T: Rollup>(points: Vec<T>) -> Vec<T> {
    let mut out: Vec<T> = Vec::with_capacity(points.len() / 2 + 1);
    for (i, p) in points.into_iter().enumerate() {
        if i % 2 == 1
            && let Some(last) = out.last_mut()
        {
            last.absorb(&p);
        } else {
            out.push(p);
        }
    }
    out
}

/// Buckets of simulated time, `width` each, starting at 0: at most `cap` of them, the
/// width doubling when the run outgrows them.
#[derive(Clone, Debug)]
pub struct Timeline<T> {
    buckets: Vec<T>,
    width: SimTime,
    cap: usize,
}

impl<T: Rollup + Clone + Default> Timeline<T> {
    /// An empty timeline of buckets `width` wide, at most `cap` of them.
    pub fn new(width: SimTime, cap: usize) -> Self {
        Self {
            buckets: Vec::new(),
            width: width.max(1),
            cap: cap.max(2).next_multiple_of(2),
        }
    }

    /// The index of the bucket holding time `at`, the timeline widened first if `at` lies
    /// beyond its last bucket. An index stays valid until the next call that widens.
    pub fn index_at(&mut self, at: SimTime) -> usize {
        while (at / self.width) as usize >= self.cap {
            self.buckets = pairs(std::mem::take(&mut self.buckets));
            self.width *= 2;
        }
        let i = (at / self.width) as usize;
        if i >= self.buckets.len() {
            self.buckets.resize(i + 1, T::default());
        }
        i
    }

    /// The bucket holding time `at` (see [`Timeline::index_at`]).
    #[cfg(test)]
    pub fn at(&mut self, at: SimTime) -> &mut T {
        let i = self.index_at(at);
        &mut self.buckets[i]
    }

    /// The buckets so far.
    pub fn buckets(&self) -> &[T] {
        &self.buckets
    }

    /// The buckets so far, to change in place.
    pub fn buckets_mut(&mut self) -> &mut [T] {
        &mut self.buckets
    }

    /// How long each bucket is.
    pub fn width(&self) -> SimTime {
        self.width
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A count over a period that started at `from`: rolling up keeps the total and the
    /// start, so each kept point must equal the pushes it stands for.
    #[derive(Clone, Debug, Default, PartialEq)]
    struct Count {
        from: u64,
        n: u64,
    }

    impl Rollup for Count {
        fn absorb(&mut self, later: &Self) {
            self.n += later.n;
        }
    }

    #[test]
    fn a_series_below_its_cap_keeps_every_point() {
        let mut s = Series::new(8);
        for i in 0..8 {
            s.push(Count { from: i, n: 1 });
        }
        assert_eq!(s.stride(), 1);
        assert_eq!(s.to_vec().len(), 8);
    }

    #[test]
    fn a_long_series_stays_within_its_cap_and_loses_no_count() {
        let mut s = Series::new(8);
        for i in 0..1000 {
            s.push(Count { from: i, n: i });
        }
        let points = s.to_vec();
        // 1000 pushes in 8 points at most: strides double 1, 2, … 128 (8 × 128 ≥ 1000).
        assert_eq!(s.stride(), 128);
        assert!(points.len() <= 9, "{} points", points.len());
        assert_eq!(points.iter().map(|p| p.n).sum::<u64>(), 999 * 1000 / 2);
        // Every full point starts a whole stride after the one before.
        let starts: Vec<u64> = points.iter().map(|p| p.from).collect();
        assert_eq!(starts[..7], [0, 128, 256, 384, 512, 640, 768]);
    }

    #[test]
    fn a_timeline_widens_instead_of_growing_past_its_cap() {
        let mut t: Timeline<Count> = Timeline::new(10, 4);
        for at in 0..40 {
            t.at(at).n += 1;
        }
        assert_eq!((t.width(), t.buckets().len()), (10, 4));
        // Time 40 is past four 10-wide buckets: they become two 20-wide ones.
        t.at(40).n += 1;
        assert_eq!(t.width(), 20);
        let counts: Vec<u64> = t.buckets().iter().map(|b| b.n).collect();
        assert_eq!(counts, [20, 20, 1]);
        // Far ahead: widened as often as it takes, the total kept.
        t.at(1_000).n += 1;
        assert_eq!(t.width(), 320);
        let counts: Vec<u64> = t.buckets().iter().map(|b| b.n).collect();
        assert_eq!(counts, [41, 0, 0, 1]);
    }
}
