//! What a run will cost before it starts, so that no input runs for hours or fills memory
//! without saying so: the requests it will simulate and the servers it may hold, against
//! stated budgets, with the way out (`--sample-weight`, a shorter run, a smaller group).

use crate::model::config::services::TrafficPattern;
use crate::model::{Config, Diagram};

/// Most work one run does, in requests weighted by the hops they take
/// ([`work_per_request`]): about ten seconds in a release build on this project's 2-core
/// reference machine (measured: the queueing lab's 49.7 million one-hop requests in 8.1 s,
/// the three-tier template's 47.8 million requests in 16.0 s; BENCHMARKS.md).
pub const MAX_WORK: f64 = 78_000_000.0;

/// Most servers (instances, tasks) a run may hold at once: each carries its queues and
/// statistics, and a fleet larger than this is beyond any account's default quotas.
pub const MAX_SERVERS: u64 = 100_000;

/// Longest simulated time of one run: the run keeps a ten-second timeline for its charts.
pub const MAX_DURATION_SECS: f64 = 31.0 * 24.0 * 3600.0;

/// Why a run is refused before it starts.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum BudgetError {
    /// More work than the budget.
    #[error(
        "this run would simulate about {requests:.2e} requests through {hops} hops, more than one run may (about ten seconds of work); pass --sample-weight {weight} to let one simulated request stand for {weight}, or run shorter"
    )]
    TooManyRequests {
        /// Requests expected at the given weight.
        requests: f64,
        /// The longest path a request takes, in traffic links.
        hops: usize,
        /// The smallest sample weight that fits.
        weight: u64,
    },
    /// More servers than the budget.
    #[error(
        "`{id}` may hold {servers} servers, more than the {max} a simulation holds; lower its maximum"
    )]
    TooManyServers {
        /// The resource.
        id: String,
        /// Its servers.
        servers: u64,
        /// The budget.
        max: u64,
    },
    /// A run longer than the budget.
    #[error("a run of {days:.0} days is longer than the {max_days:.0} days one run may last")]
    TooLong {
        /// The run asked for.
        days: f64,
        /// The longest.
        max_days: f64,
    },
}

/// Requests a second a traffic source sends at its peak (its pattern's highest rate).
fn peak_rps(config: &Config) -> f64 {
    let (base, pattern) = match config {
        Config::Users(u) => (u.requests_per_second, u.pattern.clone()),
        Config::OnPremisesDataCenter(o) => (o.requests_per_second, TrafficPattern::Constant),
        _ => return 0.0,
    };
    pattern.peak_rps(base)
}

/// Servers a resource may hold at once.
fn servers(config: &Config) -> u64 {
    match config {
        Config::AutoScalingGroup(g) => u64::from(g.max_size.max(g.desired_capacity)),
        Config::EcsService(s) => u64::from(s.max_count.max(s.desired_count)),
        _ => 0,
    }
}

/// The longest way a request goes, in traffic links from a traffic source (at least 1):
/// each hop is a station to queue at and an event or two more.
fn hops(diagram: &Diagram) -> usize {
    let graph = diagram.link_graph(&[crate::model::LinkKind::Traffic]);
    let mut deepest = 1;
    for source in diagram.resources().filter(|r| peak_rps(&r.config) > 0.0) {
        let mut bfs = petgraph::visit::Bfs::new(&graph, source.id.as_str());
        let mut depth: std::collections::HashMap<&str, usize> =
            std::collections::HashMap::from([(source.id.as_str(), 0)]);
        while let Some(node) = bfs.next(&graph) {
            let d = depth[node];
            deepest = deepest.max(d);
            for next in graph.neighbors(node) {
                depth.entry(next).or_insert(d + 1);
            }
        }
    }
    deepest
}

/// Work of one request taking `hops` hops: a fixed part and a part per hop, fitted to the
/// two measured runs of [`MAX_WORK`] (0.163 µs a request at one hop, 0.335 µs at five: a
/// hop costs about a third of the fixed part).
fn work_per_request(hops: usize) -> f64 {
    (3.0 + hops as f64) / 3.0
}

/// Checks a run of `diagram` for `duration_secs` at `weight` against the budgets.
pub fn check(diagram: &Diagram, duration_secs: f64, weight: u32) -> Result<(), BudgetError> {
    if duration_secs.is_nan() || duration_secs > MAX_DURATION_SECS {
        return Err(BudgetError::TooLong {
            days: duration_secs / 86_400.0,
            max_days: MAX_DURATION_SECS / 86_400.0,
        });
    }
    let mut fleet = 0u64;
    for r in diagram.resources() {
        let n = servers(&r.config);
        fleet = fleet.saturating_add(n);
        if n > MAX_SERVERS {
            return Err(BudgetError::TooManyServers {
                id: r.id.to_string(),
                servers: n,
                max: MAX_SERVERS,
            });
        }
    }
    if fleet > MAX_SERVERS {
        return Err(BudgetError::TooManyServers {
            id: "the diagram".into(),
            servers: fleet,
            max: MAX_SERVERS,
        });
    }
    let rps: f64 = diagram.resources().map(|r| peak_rps(&r.config)).sum();
    if rps == 0.0 {
        return Ok(());
    }
    let hops = hops(diagram);
    let all = rps * duration_secs;
    let work = |weight: f64| all / weight * work_per_request(hops);
    if work(f64::from(weight.max(1))) > MAX_WORK || all.is_nan() {
        let needed = (work(1.0) / MAX_WORK).ceil();
        return Err(BudgetError::TooManyRequests {
            requests: all / f64::from(weight.max(1)),
            hops,
            weight: if needed.is_finite() {
                needed as u64
            } else {
                u64::MAX
            },
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lab(rps: f64) -> Diagram {
        let mut d = crate::library::templates::find("queueing-lab")
            .and_then(|t| t.load().ok())
            .unwrap_or_default();
        let users = crate::model::ResourceId::new("users").unwrap_or_else(|_| unreachable!());
        if let Some(Config::Users(mut u)) = d.resource("users").map(|r| r.config.clone()) {
            u.requests_per_second = rps;
            let _ = d.set_config(&users, Config::Users(u));
        }
        d
    }

    #[test]
    fn requests_beyond_the_budget_ask_for_a_sample_weight_that_fits() {
        // 50 requests a second for an hour: 180,000 requests.
        assert_eq!(check(&lab(50.0), 3600.0, 1), Ok(()));
        // 1e12 a second for an hour is 3.6e15 requests of one hop, 4/3 of a unit each:
        // 4.8e15 units, and 4.8e15 / 7.8e7 = 61,538,461.5, so 61,538,462 is the weight
        // that fits.
        let error = check(&lab(1e12), 3600.0, 1).unwrap_err();
        assert!(
            matches!(
                error,
                BudgetError::TooManyRequests {
                    weight: 61_538_462,
                    hops: 1,
                    ..
                }
            ),
            "{error:?}"
        );
        assert_eq!(check(&lab(1e12), 3600.0, 61_538_462), Ok(()));
        assert!(error.to_string().contains("--sample-weight 61538462"));
    }

    #[test]
    fn ten_years_or_ten_million_instances_are_refused() {
        assert!(matches!(
            check(&lab(1.0), 10.0 * 365.0 * 86_400.0, 1),
            Err(BudgetError::TooLong { .. })
        ));
        let mut d = crate::library::templates::find("three-tier")
            .and_then(|t| t.load().ok())
            .unwrap_or_default();
        let asg = crate::model::ResourceId::new("app-asg").unwrap_or_else(|_| unreachable!());
        if let Some(Config::AutoScalingGroup(mut g)) =
            d.resource("app-asg").map(|r| r.config.clone())
        {
            g.max_size = 10_000_000;
            d.set_config(&asg, Config::AutoScalingGroup(g))
                .unwrap_or_else(|e| panic!("{e}"));
        }
        let error = check(&d, 3600.0, 1).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("`app-asg` may hold 10000000 servers"),
            "{error}"
        );
    }
}
