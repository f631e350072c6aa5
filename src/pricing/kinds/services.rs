//! Application services: SQS, SNS, CloudWatch, KMS, API Gateway.

use super::Lines;
use crate::model::config::services::*;

pub(super) fn sqs_queue(l: &mut Lines<'_>, c: &SqsQueue) {
    let key = if c.fifo {
        "FIFO queue requests"
    } else {
        "standard queue requests (after 1M free)"
    };
    l.unit(
        "SQS",
        key,
        "requests",
        c.requests_per_month_millions,
        "M requests",
    );
}

pub(super) fn sns_topic(l: &mut Lines<'_>, c: &SnsTopic) {
    l.unit(
        "SNS",
        "standard topic API requests (over 1M)",
        "publishes",
        c.publishes_per_month_millions,
        "M requests",
    );
}

pub(super) fn cloudwatch_alarm(l: &mut Lines<'_>, c: &CloudWatchAlarm) {
    let key = if c.high_resolution {
        "high-resolution alarm metric"
    } else {
        "standard-resolution alarm metric"
    };
    l.unit("CloudWatch", key, "alarm", 1.0, "alarm-month");
}

pub(super) fn cloudwatch_dashboard(l: &mut Lines<'_>) {
    l.unit(
        "CloudWatch",
        "dashboard",
        "dashboard",
        1.0,
        "dashboard-month",
    );
}

pub(super) fn cloudwatch_log_group(l: &mut Lines<'_>, c: &CloudWatchLogGroup) {
    l.unit(
        "CloudWatch",
        "logs ingestion (standard)",
        "log ingestion",
        c.ingested_gb_per_month,
        "GB",
    );
}

pub(super) fn kms_key(l: &mut Lines<'_>) {
    l.unit(
        "KMS",
        "customer managed key",
        "customer managed key",
        1.0,
        "key-month",
    );
}

/// Custom events put on a bus are billed per million; AWS services' events on the default
/// bus are free, and rules and deliveries to targets cost nothing more.
pub(super) fn event_bus(l: &mut Lines<'_>, c: &crate::model::config::services::EventBridgeBus) {
    if c.events_per_month_millions > 0.0 {
        l.unit(
            "EventBridge",
            "custom events published",
            "custom events",
            c.events_per_month_millions,
            "M events",
        );
    }
}

/// A Standard workflow is billed per state transition; an Express one per request and
/// GB-second, which the price data does not hold.
pub(super) fn state_machine(
    l: &mut Lines<'_>,
    c: &crate::model::config::services::StepFunctionsStateMachine,
) {
    use crate::model::config::services::WorkflowType;
    match c.workflow_type {
        WorkflowType::Standard => {
            let transitions = c.executions_per_month * f64::from(c.transitions_per_execution);
            if transitions > 0.0 {
                l.unit(
                    "StepFunctions",
                    "standard state transitions",
                    "state transitions",
                    transitions / 1_000.0,
                    "1k transitions",
                );
            }
        }
        WorkflowType::Express => l.missing(
            "Express workflows are billed per request and GB-second, which the price data does not hold"
                .to_string(),
        ),
    }
}

/// A secret and each of its replicas are billed per month; API calls per 10,000.
pub(super) fn secret(l: &mut Lines<'_>, c: &crate::model::config::services::SecretsManagerSecret) {
    let secrets = 1.0 + c.replica_regions.len() as f64;
    let item = if secrets > 1.0 {
        "secret and replicas"
    } else {
        "secret"
    };
    l.unit("SecretsManager", "secret", item, secrets, "secret-month");
    if c.api_calls_per_month > 0.0 {
        l.unit(
            "SecretsManager",
            "API requests",
            "API calls",
            c.api_calls_per_month / 10_000.0,
            "10k requests",
        );
    }
}

pub(super) fn api_gateway(l: &mut Lines<'_>, c: &ApiGateway) {
    // Only the first volume tier of each API type is in the data; beyond it the estimate
    // says "no price" rather than guess.
    let tiers: &[(f64, &str, &str)] = match c.api_type {
        ApiType::Rest => &[
            (
                333.0,
                "REST API requests (first 333M)",
                "REST API requests, first 333M",
            ),
            (
                f64::INFINITY,
                "REST API requests (over 333M)",
                "REST API requests, over 333M",
            ),
        ],
        ApiType::Http => &[
            (
                300.0,
                "HTTP API requests (first 300M)",
                "HTTP API requests, first 300M",
            ),
            (
                f64::INFINITY,
                "HTTP API requests (over 300M)",
                "HTTP API requests, over 300M",
            ),
        ],
        ApiType::WebSocket => &[
            (
                1000.0,
                "WebSocket messages (first 1B)",
                "WebSocket messages, first 1B",
            ),
            (
                f64::INFINITY,
                "WebSocket messages (over 1B)",
                "WebSocket messages, over 1B",
            ),
        ],
    };
    l.tiered(
        "APIGateway",
        tiers,
        c.requests_per_month_millions,
        "M requests",
    );
}
