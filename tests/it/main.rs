//! Integration tests: one crate, one module per area.

// Helpers outside `#[test]` functions unwrap too; a failure there is a test failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod broken_files;
mod cli;
mod export;
mod fuzz;
mod golden_prices;
mod golden_services;
mod hostile;
mod house;
mod iac_cfn;
mod iac_import;
mod iac_terraform;
mod kill_during_save;
mod kinds;
mod price_rows;
mod property;
mod py_tools;
mod reach;
mod report;
mod routes;
mod sarif;
mod schema;
mod sim_alarms;
mod sim_behaviour;
mod sim_bill;
mod sim_cache;
mod sim_credits;
mod sim_data;
mod sim_dns;
mod sim_failures;
mod sim_injected;
mod sim_invariants;
mod sim_limits;
mod sim_network;
mod sim_queueing;
mod sim_replicas;
mod sim_sampling;
mod sim_scaling;
mod sim_snapshot;
mod sim_support;
mod templates;
mod validate_rules;
