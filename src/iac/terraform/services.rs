//! Integration, monitoring, identity and security in Terraform.

use serde_json::{Value, json};

use super::Tf;
use super::network::assume;
use crate::aws::names as aws;
use crate::model::config::services::{ApiType, Effect};
use crate::model::{Config, Kind, LinkKind, Resource};

/// IAM statements letting `r` use the data services its traffic links reach, and rotate
/// the secrets that trigger it.
pub(super) fn access_statements(t: &Tf, r: &Resource) -> Vec<Value> {
    let rotated = t
        .links_to(
            r.id.as_str(),
            LinkKind::EventTrigger,
            &[Kind::SecretsManagerSecret],
        )
        .into_iter()
        .flat_map(|secret| {
            crate::iac::derived::rotation_statements(t.r(secret.id.as_str(), "arn"))
        });
    t.links_from(r.id.as_str(), LinkKind::Traffic, &[])
        .iter()
        .filter_map(|to| {
            let address = t.address(to.id.as_str())?;
            Some((address, crate::iac::derived::access(r.kind(), to.kind())?))
        })
        .flat_map(|(address, access)| {
            use crate::model::catalog::IamPart as Part;
            let on = match access.on {
                Part::Itself => json!({ "$ref": format!("{address}.arn") }),
                Part::Objects => json!({ "$template": format!("${{{address}.arn}}/*") }),
                Part::Tables => json!({ "$template": format!("${{{address}.arn}}/table/*") }),
                Part::Streams => json!({ "$template": format!("${{{address}.arn}}:*") }),
            };
            let action = crate::iac::derived::action(&access.actions);
            let own = json!({ "Effect": "Allow", "Action": action, "Resource": on });
            let wide = (!access.account_wide.is_empty()).then(
                || json!({ "Effect": "Allow", "Action": access.account_wide, "Resource": "*" }),
            );
            std::iter::once(own).chain(wide)
        })
        .chain(rotated)
        .collect()
}

/// ARNs of AWS managed policies by name.
fn managed_arns(names: &[String]) -> Vec<String> {
    names
        .iter()
        .map(|name| format!("arn:aws:iam::aws:policy/{name}"))
        .collect()
}

pub(super) fn add(t: &mut Tf, r: &Resource) -> bool {
    let id = r.id.as_str();
    match &r.config {
        Config::SqsQueue(c) => {
            let mut body = json!({ "name": if c.fifo { format!("{id}.fifo") } else { id.to_string() },
                "fifo_queue": c.fifo, "visibility_timeout_seconds": c.visibility_timeout_secs,
                "message_retention_seconds": c.message_retention_secs, "delay_seconds": c.delay_secs,
                "receive_wait_time_seconds": c.receive_wait_time_secs, "sqs_managed_sse_enabled": c.encrypted,
                "tags": t.tags(r) });
            if let Some(dlq) = &c.dead_letter_queue {
                body["redrive_policy"] = json!({ "$call": ["jsonencode", { "deadLetterTargetArn": t.r(dlq.as_str(), "arn"),
                    "maxReceiveCount": c.max_receive_count }] });
            }
            t.add_main(r, body);
            for topic in t.links_to(id, LinkKind::EventTrigger, &[Kind::SnsTopic]) {
                let tid = topic.id.as_str();
                let from = format!("from_{}", super::snake(tid));
                t.add(
                    "aws_sns_topic_subscription",
                    id,
                    &from,
                    json!({ "topic_arn": t.r(tid, "arn"), "protocol": "sqs",
                    "endpoint": t.r(id, "arn"), "raw_message_delivery": true }),
                );
                let statement = json!({ "Effect": "Allow", "Principal": { "Service": "sns.amazonaws.com" },
                    "Action": "sqs:SendMessage", "Resource": t.r(id, "arn"),
                    "Condition": { "ArnEquals": { "aws:SourceArn": t.r(tid, "arn") } } });
                t.policy_statement(&r.id, statement);
            }
        }
        Config::SnsTopic(c) => {
            t.add_main(r, json!({ "name": if c.fifo { format!("{id}.fifo") } else { id.to_string() }, "fifo_topic": c.fifo,
                "kms_master_key_id": c.kms_key.as_ref().map_or(Value::Null, |k| t.r(k.as_str(), "arn")), "tags": t.tags(r) }));
        }
        Config::ApiGateway(c) => api(t, r, c),
        Config::CloudWatchAlarm(c) => {
            let dims = c
                .watched
                .as_ref()
                .and_then(|w| t.d.resource(w.as_str()))
                .and_then(|w| {
                    let wid = w.id.as_str();
                    Some(match w.kind() {
                        Kind::AutoScalingGroup => {
                            json!({ "AutoScalingGroupName": t.r(wid, "name") })
                        }
                        Kind::Ec2Instance => json!({ "InstanceId": t.r(wid, "id") }),
                        Kind::RdsInstance => {
                            json!({ "DBInstanceIdentifier": t.r(wid, "identifier") })
                        }
                        Kind::AuroraCluster => {
                            json!({ "DBClusterIdentifier": t.r(wid, "cluster_identifier") })
                        }
                        Kind::ApplicationLoadBalancer | Kind::NetworkLoadBalancer => {
                            json!({ "LoadBalancer": t.r(wid, "arn_suffix") })
                        }
                        Kind::SqsQueue => json!({ "QueueName": t.r(wid, "name") }),
                        Kind::LambdaFunction => {
                            json!({ "FunctionName": t.r(wid, "function_name") })
                        }
                        Kind::DynamoDbTable => json!({ "TableName": t.r(wid, "name") }),
                        Kind::SnsTopic => json!({ "TopicName": t.r(wid, "name") }),
                        _ => return None,
                    })
                });
            let actions: Vec<Value> = t
                .links_from(
                    id,
                    LinkKind::EventTrigger,
                    &[Kind::SnsTopic, Kind::LambdaFunction],
                )
                .iter()
                .map(|a| t.r(a.id.as_str(), "arn"))
                .collect();
            let statistic = aws::statistic(c.statistic);
            let missing = aws::treat_missing_data(c.treat_missing_data);
            t.add_main(r, json!({ "alarm_name": id, "alarm_description": r.label(), "namespace": c.namespace,
                "metric_name": c.metric, "statistic": statistic,
                "period": if c.high_resolution { c.period_secs.clamp(10, 30) } else { c.period_secs.max(60) / 60 * 60 },
                "evaluation_periods": c.evaluation_periods, "datapoints_to_alarm": c.datapoints_to_alarm,
                "threshold": c.threshold, "comparison_operator": aws::comparison_operator(c.comparison),
                "treat_missing_data": missing, "dimensions": dims, "alarm_actions": actions, "tags": t.tags(r) }));
        }
        Config::CloudWatchDashboard(c) => {
            let names: Vec<String> = c
                .widgets
                .iter()
                .filter_map(|w| t.d.resource(w.as_str()))
                .map(|w| format!("* {}", w.label()))
                .collect();
            let body = json!({ "widgets": [{ "type": "text", "x": 0, "y": 0, "width": 24, "height": 6,
                "properties": { "markdown": format!("# {}\n{}", r.label(), names.join("\n")) } }] });
            t.add_main(r, json!({ "dashboard_name": id, "dashboard_body": { "$call": ["jsonencode", body] } }));
        }
        Config::CloudWatchLogGroup(c) => {
            let days = c.retention_days.map(|d| {
                [
                    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827,
                    2192, 2557, 2922, 3288, 3653,
                ]
                .into_iter()
                .find(|x| *x >= d)
                .unwrap_or(3653)
            });
            t.add_main(r, json!({ "name": format!("/cloudcanvas/{id}"), "retention_in_days": days,
                "kms_key_id": c.kms_key.as_ref().map_or(Value::Null, |k| t.r(k.as_str(), "arn")), "tags": t.tags(r) }));
        }
        Config::CloudTrail(c) => {
            let Some(bucket) = c.bucket.clone() else {
                t.skip(r, "a trail needs a bucket for its logs");
                return true;
            };
            let arn = t.address(bucket.as_str()).unwrap_or_default();
            t.policy_statement(&bucket, json!({ "Sid": "TrailAclCheck", "Effect": "Allow", "Action": "s3:GetBucketAcl",
                "Principal": { "Service": "cloudtrail.amazonaws.com" }, "Resource": t.r(bucket.as_str(), "arn") }));
            t.policy_statement(&bucket, json!({ "Sid": "TrailWrite", "Effect": "Allow", "Action": "s3:PutObject",
                "Principal": { "Service": "cloudtrail.amazonaws.com" }, "Resource": { "$template": format!("${{{arn}.arn}}/AWSLogs/*") },
                "Condition": { "StringEquals": { "s3:x-amz-acl": "bucket-owner-full-control" } } }));
            let policy = t.policy_address(&bucket);
            t.add_main(r, json!({ "name": id, "s3_bucket_name": t.r(bucket.as_str(), "id"),
                "is_multi_region_trail": c.multi_region, "enable_log_file_validation": c.log_file_validation,
                "include_global_service_events": true, "depends_on": [{ "$ref": policy }], "tags": t.tags(r) }));
        }
        Config::IamUser(c) => {
            t.add_main(r, json!({ "name": id, "tags": t.tags(r) }));
            for n in 0..c.access_keys {
                t.add(
                    "aws_iam_access_key",
                    id,
                    &format!("key_{}", n + 1),
                    json!({ "user": t.r(id, "name") }),
                );
            }
            if c.console_access {
                t.add(
                    "aws_iam_user_login_profile",
                    id,
                    "console",
                    json!({ "user": t.r(id, "name"), "password_reset_required": true }),
                );
            }
            let groups: Vec<Value> = t
                .links_from(id, LinkKind::Attachment, &[Kind::IamGroup])
                .iter()
                .map(|g| t.r(g.id.as_str(), "name"))
                .collect();
            if !groups.is_empty() {
                t.add(
                    "aws_iam_user_group_membership",
                    id,
                    "groups",
                    json!({ "user": t.r(id, "name"), "groups": groups }),
                );
            }
            for (n, arn) in managed_arns(&crate::iac::derived::managed_policy_names(t.d, id))
                .into_iter()
                .enumerate()
            {
                t.add(
                    "aws_iam_user_policy_attachment",
                    id,
                    &format!("managed_{}", n + 1),
                    json!({ "user": t.r(id, "name"), "policy_arn": arn }),
                );
            }
        }
        Config::IamGroup(_) => {
            t.add_main(r, json!({ "name": id }));
            for (n, arn) in managed_arns(&crate::iac::derived::managed_policy_names(t.d, id))
                .into_iter()
                .enumerate()
            {
                t.add(
                    "aws_iam_group_policy_attachment",
                    id,
                    &format!("managed_{}", n + 1),
                    json!({ "group": t.r(id, "name"), "policy_arn": arn }),
                );
            }
        }
        Config::IamRole(c) => {
            t.add_main(
                r,
                json!({ "name_prefix": format!("{}-", &id[..id.len().min(30)]),
                "assume_role_policy": { "$call": ["jsonencode", assume(&c.trusted_entity)] },
                "max_session_duration": c.max_session_secs.clamp(3600, 43200), "tags": t.tags(r) }),
            );
            let arns = managed_arns(&crate::iac::derived::role_managed_policies(t.d, id));
            for (n, arn) in arns.into_iter().enumerate() {
                t.add(
                    "aws_iam_role_policy_attachment",
                    id,
                    &format!("managed_{}", n + 1),
                    json!({ "role": t.r(id, "name"), "policy_arn": arn }),
                );
            }
            let statements: Vec<Value> = crate::iac::derived::role_users(t.d, id)
                .iter()
                .flat_map(|u| access_statements(t, u))
                .collect();
            if !statements.is_empty() {
                t.add("aws_iam_role_policy", id, "linked_resources", json!({ "role": t.r(id, "id"),
                    "policy": { "$call": ["jsonencode", { "Version": "2012-10-17", "Statement": statements }] } }));
            }
        }
        Config::IamPolicy(c) => {
            if c.aws_managed {
                t.skip(
                    r,
                    "an AWS managed policy exists already; the configuration attaches it by ARN",
                );
                return true;
            }
            let statements: Vec<Value> = c.statements.iter().filter(|s| !s.actions.is_empty()).map(|s| json!({
                "Effect": if s.effect == Effect::Allow { "Allow" } else { "Deny" }, "Action": s.actions,
                "Resource": if s.resources.is_empty() { vec!["*".to_string()] } else { s.resources.clone() } })).collect();
            if statements.is_empty() {
                t.skip(r, "a policy without statements grants nothing");
                return true;
            }
            t.add_main(r, json!({ "name_prefix": format!("{id}-"), "description": r.label(),
                "policy": { "$call": ["jsonencode", { "Version": "2012-10-17", "Statement": statements }] }, "tags": t.tags(r) }));
            for (kind, resource, key) in [
                (Kind::IamRole, "aws_iam_role_policy_attachment", "role"),
                (Kind::IamUser, "aws_iam_user_policy_attachment", "user"),
                (Kind::IamGroup, "aws_iam_group_policy_attachment", "group"),
            ] {
                for holder in t.links_from(id, LinkKind::Attachment, &[kind]) {
                    t.add(
                        resource,
                        id,
                        &super::snake(holder.id.as_str()),
                        json!({ key: t.r(holder.id.as_str(), "name"),
                        "policy_arn": t.r(id, "arn") }),
                    );
                }
            }
        }
        Config::RootUser(_) => t.skip(r, "the account's root user exists with the account"),
        Config::KmsKey(c) => {
            t.add_main(r, json!({ "description": r.label(), "enable_key_rotation": c.rotation, "multi_region": c.multi_region, "tags": t.tags(r) }));
        }
        Config::StepFunctionsStateMachine(c) => state_machine(t, r, c),
        Config::EventBridgeBus(c) => event_bus(t, r, c),
        Config::SecretsManagerSecret(c) => {
            let replicas: Vec<Value> = c
                .replica_regions
                .iter()
                .map(|region| json!({ "region": region }))
                .collect();
            let mut body = json!({ "description": r.label(), "tags": t.tags(r) });
            if let Some(key) = &c.kms_key {
                body["kms_key_id"] = t.r(key.as_str(), "arn");
            }
            if !replicas.is_empty() {
                body["+replica"] = json!(replicas);
            }
            t.add_main(r, body);
            if let Some(days) = c.rotation_days {
                let rotator = t.links_from(id, LinkKind::EventTrigger, &[Kind::LambdaFunction]);
                match rotator.first() {
                    Some(function) => {
                        let function = function.id.as_str();
                        t.add("aws_lambda_permission", id, "rotation", json!({
                            "function_name": t.r(function, "function_name"), "action": "lambda:InvokeFunction",
                            "principal": "secretsmanager.amazonaws.com" }));
                        t.add("aws_secretsmanager_secret_rotation", id, "rotation", json!({
                            "secret_id": t.r(id, "id"), "rotation_lambda_arn": t.r(function, "arn"),
                            "+rotation_rules": { "automatically_after_days": days } }));
                    }
                    None => t.note(format!(
                        "{id} rotates every {days} days, which needs a rotation function: link the secret to a Lambda function"
                    )),
                }
            }
        }
        Config::AcmCertificate(c) => {
            t.add_main(
                r,
                json!({ "domain_name": c.domain, "subject_alternative_names": c.alternative_names,
                "validation_method": "DNS", "tags": t.tags(r) }),
            );
        }
        Config::WafWebAcl(c) => {
            let cloudfront = t.d.resources().any(|d| matches!(&d.config, Config::CloudFrontDistribution(x) if x.waf.as_ref() == Some(&r.id)));
            let visibility = |name: &str| json!({ "sampled_requests_enabled": true, "cloudwatch_metrics_enabled": true, "metric_name": name });
            let mut rules: Vec<Value> = c.managed_rule_groups.iter().enumerate().map(|(n, g)| json!({ "name": g, "priority": n,
                "+override_action": { "+none": {} },
                "+statement": { "+managed_rule_group_statement": { "name": g, "vendor_name": "AWS" } },
                "+visibility_config": visibility(g) })).collect();
            if let Some(limit) = c.rate_limit_per_5_min {
                rules.push(json!({ "name": "rate-limit", "priority": rules.len(), "+action": { "+block": {} },
                    "+statement": { "+rate_based_statement": { "limit": limit.max(10), "aggregate_key_type": "IP" } },
                    "+visibility_config": visibility("rate-limit") }));
            }
            t.add_main(r, json!({ "name": id, "scope": if cloudfront { "CLOUDFRONT" } else { "REGIONAL" },
                "+default_action": { "+allow": {} }, "+rule": rules, "+visibility_config": visibility(id), "tags": t.tags(r) }));
        }
        Config::AthenaWorkgroup(c) => {
            let mut body = json!({ "name": id, "tags": t.tags(r) });
            if let Some(bucket) = c
                .results_bucket
                .as_ref()
                .and_then(|b| t.address(b.as_str()))
            {
                body["+configuration"] = json!({ "+result_configuration": { "output_location": { "$template": format!("s3://${{{bucket}.bucket}}/results/") } } });
            }
            t.add_main(r, body);
        }
        _ => return false,
    }
    true
}

fn api(t: &mut Tf, r: &Resource, c: &crate::model::config::services::ApiGateway) {
    let id = r.id.as_str();
    let functions: Vec<String> = t
        .links_from(id, LinkKind::Traffic, &[Kind::LambdaFunction])
        .iter()
        .map(|f| f.id.to_string())
        .collect();
    let timeout = c.integration_timeout_ms.clamp(50, 29_000);
    let address = t.address(id).unwrap_or_default();
    match c.api_type {
        ApiType::Http | ApiType::WebSocket => {
            let websocket = c.api_type == ApiType::WebSocket;
            let mut body = json!({ "name": r.label(), "protocol_type": if websocket { "WEBSOCKET" } else { "HTTP" }, "tags": t.tags(r) });
            if websocket {
                body["route_selection_expression"] = json!("$request.body.action");
            }
            t.add_main(r, body);
            t.add("aws_apigatewayv2_stage", id, "stage", json!({ "api_id": t.r(id, "id"), "name": if websocket { "live" } else { "$default" },
                "auto_deploy": true, "+default_route_settings": { "throttling_rate_limit": c.throttle_rate_rps,
                    "throttling_burst_limit": c.throttle_burst } }));
            for (n, f) in functions.iter().enumerate() {
                let mut integration = json!({ "api_id": t.r(id, "id"), "integration_type": "AWS_PROXY",
                    "integration_uri": t.r(f, "invoke_arn"), "timeout_milliseconds": timeout });
                if !websocket {
                    integration["payload_format_version"] = json!("2.0");
                }
                let integration = t.add(
                    "aws_apigatewayv2_integration",
                    id,
                    &super::snake(f),
                    integration,
                );
                let key = match (websocket, n) {
                    (_, 0) => "$default".to_string(),
                    (true, _) => f.clone(),
                    (false, _) => format!("ANY /{f}/{{proxy+}}"),
                };
                t.add(
                    "aws_apigatewayv2_route",
                    id,
                    &super::snake(f),
                    json!({ "api_id": t.r(id, "id"), "route_key": key,
                    "target": { "$template": format!("integrations/${{{integration}.id}}") } }),
                );
                permission(t, &address, id, f);
            }
        }
        ApiType::Rest => {
            let endpoint = aws::api_endpoint_type(c.endpoint_type);
            t.add_main(r, json!({ "name": r.label(), "+endpoint_configuration": { "types": [endpoint] }, "tags": t.tags(r) }));
            let method = t.add("aws_api_gateway_method", id, "root", json!({ "rest_api_id": t.r(id, "id"),
                "resource_id": t.r(id, "root_resource_id"), "http_method": "ANY", "authorization": "NONE" }));
            let integration = match functions.first() {
                Some(f) => {
                    permission(t, &address, id, f);
                    json!({ "type": "AWS_PROXY", "integration_http_method": "POST", "uri": t.r(f, "invoke_arn"), "timeout_milliseconds": timeout })
                }
                None => {
                    json!({ "type": "MOCK", "request_templates": { "application/json": "{\"statusCode\": 200}" } })
                }
            };
            let mut body = integration;
            body["rest_api_id"] = t.r(id, "id");
            body["resource_id"] = t.r(id, "root_resource_id");
            body["http_method"] = json!({ "$ref": format!("{method}.http_method") });
            let integration = t.add("aws_api_gateway_integration", id, "root", body);
            let deployment = t.add(
                "aws_api_gateway_deployment",
                id,
                "deployment",
                json!({ "rest_api_id": t.r(id, "id"),
                "depends_on": [{ "$ref": integration }] }),
            );
            let stage = t.add("aws_api_gateway_stage", id, "prod", json!({ "rest_api_id": t.r(id, "id"),
                "deployment_id": { "$ref": format!("{deployment}.id") }, "stage_name": "prod", "cache_cluster_enabled": c.caching,
                "cache_cluster_size": if c.caching { json!("0.5") } else { Value::Null } }));
            t.add("aws_api_gateway_method_settings", id, "all", json!({ "rest_api_id": t.r(id, "id"),
                "stage_name": { "$ref": format!("{stage}.stage_name") }, "method_path": "*/*",
                "+settings": { "throttling_rate_limit": c.throttle_rate_rps, "throttling_burst_limit": c.throttle_burst,
                    "caching_enabled": c.caching } }));
            if let Some(waf) = &c.waf {
                t.add(
                    "aws_wafv2_web_acl_association",
                    id,
                    "waf",
                    json!({ "resource_arn": { "$ref": format!("{stage}.arn") },
                    "web_acl_arn": t.r(waf.as_str(), "arn") }),
                );
            }
        }
    }
}

/// Lets API `api` invoke `function`.
fn permission(t: &mut Tf, address: &str, api: &str, function: &str) {
    t.add(
        "aws_lambda_permission",
        function,
        &format!("from_{}", super::snake(api)),
        json!({ "action": "lambda:InvokeFunction",
        "function_name": t.r(function, "function_name"), "principal": "apigateway.amazonaws.com",
        "source_arn": { "$template": format!("${{{address}.execution_arn}}/*") } }),
    );
}

/// A state machine calling the functions, queues and topics it links to, in order (see the
/// CloudFormation export), with its role and, when it logs, its log group.
fn state_machine(
    t: &mut Tf,
    r: &Resource,
    c: &crate::model::config::services::StepFunctionsStateMachine,
) {
    use crate::iac::derived::{
        STEP_KINDS, state_machine_definition, state_machine_extras, step_action,
    };
    let id = r.id.as_str();
    let steps = t.links_from(id, LinkKind::Traffic, &STEP_KINDS);
    let kinds: Vec<Kind> = steps.iter().map(|s| s.kind()).collect();
    let spelled: Vec<Value> = steps
        .iter()
        .map(|s| match s.kind() {
            Kind::LambdaFunction | Kind::SnsTopic => t.r(s.id.as_str(), "arn"),
            _ => t.r(s.id.as_str(), "url"),
        })
        .collect();
    let definition = state_machine_definition(&kinds, |i| spelled[i].clone());
    let mut statements = state_machine_extras(c.logging, c.tracing);
    for step in &steps {
        statements.push(
            json!({ "Effect": "Allow", "Action": step_action(step.kind()),
            "Resource": t.r(step.id.as_str(), "arn") }),
        );
    }
    let role = super::compute::made_role(t, r, "role", "states.amazonaws.com", &[]);
    if !statements.is_empty() {
        t.add("aws_iam_role_policy", id, "role", json!({ "role": { "$ref": format!("{role}.id") },
            "policy": { "$call": ["jsonencode", { "Version": "2012-10-17", "Statement": statements }] } }));
    }
    let kind = aws::workflow_type(c.workflow_type);
    let mut body = json!({ "name_prefix": format!("{}-", &id[..id.len().min(40)]), "type": kind,
        "role_arn": { "$ref": format!("{role}.arn") },
        "definition": { "$call": ["jsonencode", definition] },
        "+tracing_configuration": { "enabled": c.tracing }, "tags": t.tags(r) });
    if c.logging {
        let group = t.add(
            "aws_cloudwatch_log_group",
            id,
            "logs",
            json!({
            "name_prefix": format!("/aws/vendedlogs/states/{id}-"), "retention_in_days": 90 }),
        );
        body["+logging_configuration"] = json!({ "level": "ALL", "include_execution_data": false,
            "log_destination": { "$template": format!("${{{group}.arn}}:*") } });
    }
    t.add_main(r, body);
}

/// A custom bus (or the account's default one), its rules with their patterns, and a
/// target per resource the bus triggers (see the CloudFormation export).
fn event_bus(t: &mut Tf, r: &Resource, c: &crate::model::config::services::EventBridgeBus) {
    use crate::iac::derived::{EVENT_TARGET_KINDS, event_pattern};
    let id = r.id.as_str();
    let bus_name = if c.default_bus {
        // The account's default bus exists with the account: read, not created.
        t.add_main(r, json!({ "name": "default" }));
        json!("default")
    } else {
        t.add_main(r, json!({ "name": id, "tags": t.tags(r) }));
        t.r(id, "name")
    };
    let targets = t.links_from(id, LinkKind::EventTrigger, &EVENT_TARGET_KINDS);
    let starts: Vec<Value> = targets
        .iter()
        .filter(|x| x.kind() == Kind::StepFunctionsStateMachine)
        .map(|x| json!({ "Effect": "Allow", "Action": "states:StartExecution", "Resource": t.r(x.id.as_str(), "arn") }))
        .collect();
    let role = if starts.is_empty() {
        None
    } else {
        let role = super::compute::made_role(t, r, "events_role", "events.amazonaws.com", &[]);
        t.add("aws_iam_role_policy", id, "events_role", json!({ "role": { "$ref": format!("{role}.id") },
            "policy": { "$call": ["jsonencode", { "Version": "2012-10-17", "Statement": starts }] } }));
        Some(role)
    };
    for (n, rule) in c.rules.iter().enumerate() {
        let (pattern, valid) = event_pattern(&rule.pattern);
        if !valid {
            t.note(format!(
                "{id}: the pattern of rule {} is not JSON; the rule matches every event",
                rule.name
            ));
        }
        let address = t.add(
            "aws_cloudwatch_event_rule",
            id,
            &format!("rule_{}", n + 1),
            json!({
            "name": rule.name, "event_bus_name": bus_name,
            "event_pattern": { "$call": ["jsonencode", pattern] } }),
        );
        for (k, target) in targets.iter().enumerate() {
            let target_id = target.id.as_str();
            let mut body = json!({ "rule": { "$ref": format!("{address}.name") }, "event_bus_name": bus_name,
                "target_id": format!("target-{}", k + 1), "arn": t.r(target_id, "arn") });
            if target.kind() == Kind::StepFunctionsStateMachine
                && let Some(role) = &role
            {
                body["role_arn"] = json!({ "$ref": format!("{role}.arn") });
            }
            t.add(
                "aws_cloudwatch_event_target",
                id,
                &format!("rule_{}_target_{}", n + 1, k + 1),
                body,
            );
            // A queue or topic takes the rule's events only with its consent.
            let consent = match target.kind() {
                Kind::SqsQueue => Some("sqs:SendMessage"),
                Kind::SnsTopic => Some("sns:Publish"),
                _ => None,
            };
            if let Some(action) = consent {
                let statement = json!({ "Effect": "Allow", "Principal": { "Service": "events.amazonaws.com" },
                    "Action": action, "Resource": t.r(target_id, "arn"),
                    "Condition": { "ArnEquals": { "aws:SourceArn": { "$ref": format!("{address}.arn") } } } });
                t.policy_statement(&target.id, statement);
            }
            if target.kind() == Kind::LambdaFunction {
                t.add("aws_lambda_permission", id, &format!("rule_{}_invoke_{}", n + 1, k + 1), json!({
                    "function_name": t.r(target_id, "function_name"), "action": "lambda:InvokeFunction",
                    "principal": "events.amazonaws.com", "source_arn": { "$ref": format!("{address}.arn") } }));
            }
        }
    }
}
