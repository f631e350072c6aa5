//! Application integration, monitoring, identity and security.

use serde_json::{Value, json};

use super::Builder;
use crate::aws::names as aws;
use crate::model::config::services::{ApiType, Effect};
use crate::model::{Config, Kind, LinkKind, Resource};

/// Adds `r` when it is such a service; false for other kinds.
pub(super) fn add(b: &mut Builder, r: &Resource) -> bool {
    let id = r.id.as_str();
    match &r.config {
        Config::SqsQueue(c) => {
            let mut props = json!({ "VisibilityTimeout": c.visibility_timeout_secs,
                "MessageRetentionPeriod": c.message_retention_secs, "DelaySeconds": c.delay_secs,
                "ReceiveMessageWaitTimeSeconds": c.receive_wait_time_secs,
                "SqsManagedSseEnabled": c.encrypted, "Tags": b.tags(r) });
            if c.fifo {
                props["FifoQueue"] = json!(true);
            }
            if let Some(dlq) = &c.dead_letter_queue {
                props["RedrivePolicy"] = json!({ "deadLetterTargetArn": b.att(dlq.as_str(), "Arn"),
                    "maxReceiveCount": c.max_receive_count });
            }
            b.add_main(r, "AWS::SQS::Queue", props);
            // Topics fanning out to this queue: a subscription and the queue's consent.
            for topic in b.links_to(id, LinkKind::EventTrigger, &[Kind::SnsTopic]) {
                let tid = topic.id.as_str();
                let name = b.derived(id, &format!("From{}", b.id(tid)));
                let props = json!({ "TopicArn": b.r(tid), "Protocol": "sqs",
                    "Endpoint": b.att(id, "Arn"), "RawMessageDelivery": true });
                b.add(&name, "AWS::SNS::Subscription", props);
                let statement = json!({ "Effect": "Allow", "Principal": { "Service": "sns.amazonaws.com" },
                    "Action": "sqs:SendMessage", "Resource": b.att(id, "Arn"),
                    "Condition": { "ArnEquals": { "aws:SourceArn": b.r(tid) } } });
                b.policy_statement(id, statement);
            }
        }
        Config::SnsTopic(c) => {
            let mut props = json!({ "Tags": b.tags(r) });
            if c.fifo {
                props["FifoTopic"] = json!(true);
                props["TopicName"] = json!({ "Fn::Sub": format!("${{AWS::StackName}}-{id}.fifo") });
            }
            if let Some(key) = &c.kms_key {
                props["KmsMasterKeyId"] = b.att(key.as_str(), "Arn");
            }
            b.add_main(r, "AWS::SNS::Topic", props);
        }
        Config::ApiGateway(c) => api(b, r, c),
        Config::CloudWatchAlarm(c) => {
            let statistic = aws::statistic(c.statistic);
            let missing = aws::treat_missing_data(c.treat_missing_data);
            let mut props = json!({ "AlarmDescription": r.label(), "Namespace": c.namespace,
                "MetricName": c.metric, "Statistic": statistic,
                "Period": if c.high_resolution { c.period_secs.clamp(10, 30) } else { c.period_secs.max(60) / 60 * 60 },
                "EvaluationPeriods": c.evaluation_periods, "Threshold": c.threshold,
                "ComparisonOperator": aws::comparison_operator(c.comparison),
                "TreatMissingData": missing });
            if let Some(n) = c.datapoints_to_alarm {
                props["DatapointsToAlarm"] = json!(n);
            }
            if let Some(watched) = c.watched.as_ref().and_then(|w| b.d.resource(w.as_str())) {
                if let Some(dims) = dimensions(b, watched) {
                    props["Dimensions"] = dims;
                }
            }
            let actions: Vec<Value> = b
                .links_from(
                    id,
                    LinkKind::EventTrigger,
                    &[Kind::SnsTopic, Kind::LambdaFunction],
                )
                .iter()
                .map(|t| {
                    if t.kind() == Kind::SnsTopic {
                        b.r(t.id.as_str())
                    } else {
                        b.att(t.id.as_str(), "Arn")
                    }
                })
                .collect();
            if !actions.is_empty() {
                props["AlarmActions"] = json!(actions);
            }
            b.add_main(r, "AWS::CloudWatch::Alarm", props);
        }
        Config::CloudWatchDashboard(c) => {
            let names: Vec<String> = c
                .widgets
                .iter()
                .filter_map(|w| b.d.resource(w.as_str()))
                .map(|w| format!("* {}", w.label()))
                .collect();
            let markdown = format!("# {}\n{}", r.label(), names.join("\n"));
            let body = json!({ "widgets": [{ "type": "text", "x": 0, "y": 0, "width": 24, "height": 6,
                "properties": { "markdown": markdown } }] });
            let props = json!({ "DashboardBody": body.to_string() });
            b.add_main(r, "AWS::CloudWatch::Dashboard", props);
        }
        Config::CloudWatchLogGroup(c) => {
            let mut props = json!({ "Tags": b.tags(r) });
            if let Some(days) = c.retention_days {
                const ALLOWED: &[u32] = &[
                    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827,
                    2192, 2557, 2922, 3288, 3653,
                ];
                let d = ALLOWED.iter().copied().find(|d| *d >= days).unwrap_or(3653);
                props["RetentionInDays"] = json!(d);
            }
            if let Some(key) = &c.kms_key {
                props["KmsKeyId"] = b.att(key.as_str(), "Arn");
            }
            b.add_main(r, "AWS::Logs::LogGroup", props)
                .retain_on_delete();
        }
        Config::CloudTrail(c) => {
            let bucket = match &c.bucket {
                Some(bucket) => bucket.as_str().to_string(),
                None => {
                    b.skip(
                        r,
                        "a trail needs a bucket for its logs: choose one in its settings",
                    );
                    return true;
                }
            };
            let statements = [
                json!({ "Sid": format!("TrailAclCheck{}", b.id(id)), "Effect": "Allow",
                    "Principal": { "Service": "cloudtrail.amazonaws.com" }, "Action": "s3:GetBucketAcl",
                    "Resource": b.att(&bucket, "Arn") }),
                json!({ "Sid": format!("TrailWrite{}", b.id(id)), "Effect": "Allow",
                    "Principal": { "Service": "cloudtrail.amazonaws.com" }, "Action": "s3:PutObject",
                    "Resource": { "Fn::Sub": format!("${{{}.Arn}}/AWSLogs/${{AWS::AccountId}}/*", b.id(&bucket)) },
                    "Condition": { "StringEquals": { "s3:x-amz-acl": "bucket-owner-full-control" } } }),
            ];
            for s in statements {
                b.policy_statement(&bucket, s);
            }
            let props = json!({ "IsLogging": true, "S3BucketName": b.r(&bucket),
                "IsMultiRegionTrail": c.multi_region, "EnableLogFileValidation": c.log_file_validation,
                "IncludeGlobalServiceEvents": true, "Tags": b.tags(r) });
            let policy = b.policy_name(&bucket);
            b.add_main(r, "AWS::CloudTrail::Trail", props)
                .depends_on(policy);
        }
        Config::IamUser(c) => {
            let mut props = json!({ "Tags": b.tags(r) });
            let groups: Vec<Value> = b
                .links_from(id, LinkKind::Attachment, &[Kind::IamGroup])
                .iter()
                .map(|g| b.r(g.id.as_str()))
                .collect();
            if !groups.is_empty() {
                props["Groups"] = json!(groups);
            }
            let managed = managed_arns(&crate::iac::derived::managed_policy_names(b.d, id));
            if !managed.is_empty() {
                props["ManagedPolicyArns"] = json!(managed);
            }
            b.add_main(r, "AWS::IAM::User", props);
            for n in 0..c.access_keys {
                let name = b.derived(id, &format!("AccessKey{}", n + 1));
                b.add(&name, "AWS::IAM::AccessKey", json!({ "UserName": b.r(id) }));
            }
            if c.console_access {
                // A first password generated into Secrets Manager, to be changed at once.
                let secret = b.derived(id, "FirstPassword");
                let props = json!({ "Description": format!("First console password of {}", r.label()),
                    "GenerateSecretString": { "SecretStringTemplate": "{}", "GenerateStringKey": "password",
                        "PasswordLength": 24 } });
                b.add(&secret, "AWS::SecretsManager::Secret", props);
                let password = json!({ "Fn::Sub":
                    format!("{{{{resolve:secretsmanager:${{{secret}}}:SecretString:password}}}}") });
                if let Some(entry) = b.entry_mut(id) {
                    entry.properties["LoginProfile"] =
                        json!({ "Password": password, "PasswordResetRequired": true });
                }
            }
            if c.mfa_enabled {
                b.note(format!(
                    "{id}: an MFA device is registered by its user, not by CloudFormation"
                ));
            }
        }
        Config::IamGroup(_) => {
            let mut props = json!({});
            let managed = managed_arns(&crate::iac::derived::managed_policy_names(b.d, id));
            if !managed.is_empty() {
                props["ManagedPolicyArns"] = json!(managed);
            }
            b.add_main(r, "AWS::IAM::Group", props);
        }
        Config::IamRole(c) => {
            let mut props = json!({ "AssumeRolePolicyDocument": super::assume_role(&c.trusted_entity),
                "MaxSessionDuration": c.max_session_secs.clamp(3600, 43200), "Tags": b.tags(r) });
            let managed = managed_arns(&crate::iac::derived::role_managed_policies(b.d, id));
            if !managed.is_empty() {
                props["ManagedPolicyArns"] = json!(managed);
            }
            // What the resources taking the role reach over their links needs permission.
            let statements: Vec<Value> = crate::iac::derived::role_users(b.d, id)
                .iter()
                .flat_map(|u| super::compute::access_statements(b, u))
                .collect();
            if !statements.is_empty() {
                props["Policies"] = json!([{ "PolicyName": "linked-resources",
                    "PolicyDocument": { "Version": "2012-10-17", "Statement": statements } }]);
            }
            b.add_main(r, "AWS::IAM::Role", props);
        }
        Config::IamPolicy(c) => {
            if c.aws_managed {
                // Attached by ARN where it is linked (see managed_arns).
                b.skip(
                    r,
                    "an AWS managed policy exists already; the template attaches it by ARN",
                );
                return true;
            }
            let statements: Vec<Value> = c
                .statements
                .iter()
                .filter(|s| !s.actions.is_empty())
                .map(|s| {
                    let resources = if s.resources.is_empty() {
                        vec!["*".to_string()]
                    } else {
                        s.resources.clone()
                    };
                    json!({ "Effect": if s.effect == Effect::Allow { "Allow" } else { "Deny" },
                        "Action": s.actions, "Resource": resources })
                })
                .collect();
            if statements.is_empty() {
                b.skip(
                    r,
                    "a policy without statements grants nothing and cannot be created",
                );
                return true;
            }
            let mut props = json!({ "Description": r.label(),
                "PolicyDocument": { "Version": "2012-10-17", "Statement": statements } });
            for (kind, key) in [
                (Kind::IamRole, "Roles"),
                (Kind::IamUser, "Users"),
                (Kind::IamGroup, "Groups"),
            ] {
                let holders: Vec<Value> = b
                    .links_from(id, LinkKind::Attachment, &[kind])
                    .iter()
                    .map(|h| b.r(h.id.as_str()))
                    .collect();
                if !holders.is_empty() {
                    props[key] = json!(holders);
                }
            }
            b.add_main(r, "AWS::IAM::ManagedPolicy", props);
        }
        Config::RootUser(_) => b.skip(r, "the account's root user exists with the account"),
        Config::KmsKey(c) => {
            let props = json!({ "Description": r.label(), "EnableKeyRotation": c.rotation,
                "MultiRegion": c.multi_region, "KeyPolicy": { "Version": "2012-10-17",
                    "Statement": [{ "Sid": "AccountAdministers", "Effect": "Allow",
                        "Principal": { "AWS": { "Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root" } },
                        "Action": "kms:*", "Resource": "*" }] }, "Tags": b.tags(r) });
            b.add_main(r, "AWS::KMS::Key", props).retain_on_delete();
        }
        Config::SecretsManagerSecret(c) => secret(b, r, c),
        Config::StepFunctionsStateMachine(c) => state_machine(b, r, c),
        Config::EventBridgeBus(c) => event_bus(b, r, c),
        Config::AcmCertificate(c) => {
            let mut props =
                json!({ "DomainName": c.domain, "ValidationMethod": "DNS", "Tags": b.tags(r) });
            if !c.alternative_names.is_empty() {
                props["SubjectAlternativeNames"] = json!(c.alternative_names);
            }
            b.add_main(r, "AWS::CertificateManager::Certificate", props);
        }
        Config::WafWebAcl(c) => {
            let metric = b.id(id);
            let cloudfront = b.d.resources().any(|d| {
                matches!(&d.config, Config::CloudFrontDistribution(x) if x.waf.as_ref().is_some_and(|w| w.as_str() == id))
            });
            let visibility = |name: &str| {
                json!({ "SampledRequestsEnabled": true,
                "CloudWatchMetricsEnabled": true, "MetricName": name })
            };
            let mut rules: Vec<Value> = c
                .managed_rule_groups
                .iter()
                .enumerate()
                .map(|(n, group)| json!({ "Name": group, "Priority": n,
                    "OverrideAction": { "None": {} },
                    "Statement": { "ManagedRuleGroupStatement": { "VendorName": "AWS", "Name": group } },
                    "VisibilityConfig": visibility(group) }))
                .collect();
            if let Some(limit) = c.rate_limit_per_5_min {
                rules.push(json!({ "Name": "RateLimit", "Priority": rules.len(),
                    "Action": { "Block": {} },
                    "Statement": { "RateBasedStatement": { "Limit": limit.max(10), "AggregateKeyType": "IP" } },
                    "VisibilityConfig": visibility("RateLimit") }));
            }
            let props = json!({ "Scope": if cloudfront { "CLOUDFRONT" } else { "REGIONAL" },
                "DefaultAction": { "Allow": {} }, "Rules": rules,
                "VisibilityConfig": visibility(&metric), "Tags": b.tags(r) });
            b.add_main(r, "AWS::WAFv2::WebACL", props);
        }
        Config::AthenaWorkgroup(c) => {
            let mut props = json!({ "Name": { "Fn::Sub": format!("${{AWS::StackName}}-{id}") },
                "Tags": b.tags(r) });
            if let Some(bucket) = &c.results_bucket {
                props["WorkGroupConfiguration"] = json!({ "ResultConfiguration": {
                    "OutputLocation": { "Fn::Sub": format!("s3://${{{}}}/results/", b.id(bucket.as_str())) } } });
            }
            b.add_main(r, "AWS::Athena::WorkGroup", props);
        }
        _ => return false,
    }
    true
}

/// ARNs of AWS managed policies by name, in the stack's partition.
fn managed_arns(names: &[String]) -> Vec<Value> {
    names
        .iter()
        .map(|name| json!({ "Fn::Sub": format!("arn:${{AWS::Partition}}:iam::aws:policy/{name}") }))
        .collect()
}

/// The CloudWatch dimensions naming `watched`.
fn dimensions(b: &Builder, watched: &Resource) -> Option<Value> {
    let id = watched.id.as_str();
    let (name, value) = match watched.kind() {
        Kind::AutoScalingGroup => ("AutoScalingGroupName", b.r(id)),
        Kind::Ec2Instance => ("InstanceId", b.r(id)),
        Kind::RdsInstance => ("DBInstanceIdentifier", b.r(id)),
        Kind::AuroraCluster => ("DBClusterIdentifier", b.r(id)),
        Kind::ApplicationLoadBalancer | Kind::NetworkLoadBalancer => {
            ("LoadBalancer", b.att(id, "LoadBalancerFullName"))
        }
        Kind::ClassicLoadBalancer => ("LoadBalancerName", b.r(id)),
        Kind::SqsQueue => ("QueueName", b.att(id, "QueueName")),
        Kind::LambdaFunction => ("FunctionName", b.r(id)),
        Kind::DynamoDbTable => ("TableName", b.r(id)),
        Kind::ElastiCacheCluster => ("ReplicationGroupId", b.r(id)),
        Kind::SnsTopic => ("TopicName", b.att(id, "TopicName")),
        Kind::ApiGateway => ("ApiId", b.r(id)),
        _ => return None,
    };
    Some(json!([{ "Name": name, "Value": value }]))
}

fn api(b: &mut Builder, r: &Resource, c: &crate::model::config::services::ApiGateway) {
    let id = r.id.as_str();
    let functions = b.links_from(id, LinkKind::Traffic, &[Kind::LambdaFunction]);
    let timeout = c.integration_timeout_ms.clamp(50, 29_000);
    match c.api_type {
        ApiType::Http | ApiType::WebSocket => {
            let websocket = c.api_type == ApiType::WebSocket;
            let mut props = json!({ "Name": r.label(),
                "ProtocolType": if websocket { "WEBSOCKET" } else { "HTTP" } });
            if websocket {
                props["RouteSelectionExpression"] = json!("$request.body.action");
            }
            b.add_main(r, "AWS::ApiGatewayV2::Api", props);
            let stage = b.derived(id, "Stage");
            let props = json!({ "ApiId": b.r(id), "StageName": if websocket { "live" } else { "$default" },
                "AutoDeploy": true, "DefaultRouteSettings": {
                    "ThrottlingRateLimit": c.throttle_rate_rps, "ThrottlingBurstLimit": c.throttle_burst } });
            b.add(&stage, "AWS::ApiGatewayV2::Stage", props);
            for (n, f) in functions.iter().enumerate() {
                let fid = f.id.as_str();
                let integration = b.derived(id, &format!("{}Integration", b.id(fid)));
                let mut props = json!({ "ApiId": b.r(id), "IntegrationType": "AWS_PROXY",
                    "IntegrationUri": b.att(fid, "Arn"), "TimeoutInMillis": timeout });
                if !websocket {
                    props["PayloadFormatVersion"] = json!("2.0");
                }
                b.add(&integration, "AWS::ApiGatewayV2::Integration", props);
                let route = b.derived(id, &format!("{}Route", b.id(fid)));
                let key = match (websocket, n) {
                    (true, 0) => "$default".to_string(),
                    (true, _) => fid.to_string(),
                    (false, 0) => "$default".to_string(),
                    (false, _) => format!("ANY /{fid}/{{proxy+}}"),
                };
                let props = json!({ "ApiId": b.r(id), "RouteKey": key,
                    "Target": { "Fn::Sub": format!("integrations/${{{integration}}}") } });
                b.add(&route, "AWS::ApiGatewayV2::Route", props);
                invoke_permission(b, id, fid);
            }
        }
        ApiType::Rest => {
            let endpoint = aws::api_endpoint_type(c.endpoint_type);
            let props = json!({ "Name": r.label(), "EndpointConfiguration": { "Types": [endpoint] },
                "Tags": b.tags(r) });
            b.add_main(r, "AWS::ApiGateway::RestApi", props);
            let method = b.derived(id, "RootMethod");
            let integration = match functions.first() {
                Some(f) => {
                    invoke_permission(b, id, f.id.as_str());
                    json!({ "Type": "AWS_PROXY", "IntegrationHttpMethod": "POST", "TimeoutInMillis": timeout,
                        "Uri": { "Fn::Sub": format!("arn:${{AWS::Partition}}:apigateway:${{AWS::Region}}:lambda:path/2015-03-31/functions/${{{}.Arn}}/invocations", b.id(f.id.as_str())) } })
                }
                None => {
                    json!({ "Type": "MOCK", "RequestTemplates": { "application/json": "{\"statusCode\": 200}" },
                    "IntegrationResponses": [{ "StatusCode": "200" }] })
                }
            };
            let props = json!({ "RestApiId": b.r(id), "ResourceId": b.att(id, "RootResourceId"),
                "HttpMethod": "ANY", "AuthorizationType": "NONE", "Integration": integration,
                "MethodResponses": [{ "StatusCode": "200" }] });
            b.add(&method, "AWS::ApiGateway::Method", props);
            let deployment = b.derived(id, "Deployment");
            b.add(
                &deployment,
                "AWS::ApiGateway::Deployment",
                json!({ "RestApiId": b.r(id) }),
            )
            .depends_on(method);
            let stage = b.derived(id, "Stage");
            let props = json!({ "RestApiId": b.r(id), "DeploymentId": { "Ref": deployment },
                "StageName": "prod", "CacheClusterEnabled": c.caching,
                "MethodSettings": [{ "ResourcePath": "/*", "HttpMethod": "*",
                    "ThrottlingRateLimit": c.throttle_rate_rps, "ThrottlingBurstLimit": c.throttle_burst,
                    "CachingEnabled": c.caching }] });
            b.add(&stage, "AWS::ApiGateway::Stage", props);
        }
    }
    if let Some(waf) = &c.waf
        && c.api_type == ApiType::Rest
    {
        let name = b.derived(id, "WebAcl");
        let props = json!({ "ResourceArn": { "Fn::Sub": format!("arn:${{AWS::Partition}}:apigateway:${{AWS::Region}}::/restapis/${{{}}}/stages/prod", b.id(id)) },
            "WebACLArn": b.att(waf.as_str(), "Arn") });
        let stage = b.id(id) + "Stage";
        b.add(&name, "AWS::WAFv2::WebACLAssociation", props)
            .depends_on(stage);
    }
}

/// Lets API `api` invoke `function`.
fn invoke_permission(b: &mut Builder, api: &str, function: &str) {
    let name = b.derived(function, &format!("InvokeFrom{}", b.id(api)));
    let props = json!({ "Action": "lambda:InvokeFunction", "FunctionName": b.r(function),
        "Principal": "apigateway.amazonaws.com",
        "SourceArn": { "Fn::Sub": format!("arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{{}}}/*", b.id(api)) } });
    b.add(&name, "AWS::Lambda::Permission", props);
}

/// A secret with a generated value (never one written into the template), its key and
/// replicas, and its rotation by the Lambda function it is linked to.
fn secret(b: &mut Builder, r: &Resource, c: &crate::model::config::services::SecretsManagerSecret) {
    let id = r.id.as_str();
    let mut props = json!({ "Description": r.label(),
        "GenerateSecretString": { "PasswordLength": 32, "ExcludePunctuation": true },
        "Tags": b.tags(r) });
    if let Some(key) = &c.kms_key {
        props["KmsKeyId"] = b.att(key.as_str(), "Arn");
    }
    if !c.replica_regions.is_empty() {
        let replicas: Vec<Value> = c
            .replica_regions
            .iter()
            .map(|region| json!({ "Region": region }))
            .collect();
        props["ReplicaRegions"] = json!(replicas);
    }
    b.add_main(r, "AWS::SecretsManager::Secret", props);
    let Some(days) = c.rotation_days else {
        return;
    };
    let rotator = b
        .links_from(id, LinkKind::EventTrigger, &[Kind::LambdaFunction])
        .first()
        .map(|f| f.id.clone());
    match rotator {
        Some(function) => {
            let permission = b.derived(id, "RotationPermission");
            b.add(&permission, "AWS::Lambda::Permission", json!({
                "FunctionName": b.att(function.as_str(), "Arn"), "Action": "lambda:InvokeFunction",
                "Principal": "secretsmanager.amazonaws.com" }));
            let schedule = b.derived(id, "Rotation");
            b.add(&schedule, "AWS::SecretsManager::RotationSchedule", json!({
                "SecretId": b.r(id), "RotationLambdaARN": b.att(function.as_str(), "Arn"),
                "RotationRules": { "AutomaticallyAfterDays": days } }))
                .depends_on(permission);
        }
        None => b.note(format!(
            "{id} rotates every {days} days, which needs a rotation function: link the secret to a Lambda function"
        )),
    }
}

/// A state machine calling the functions, queues and topics it links to, in order, with a
/// role allowed to call exactly those, and its log group when it logs.
fn state_machine(
    b: &mut Builder,
    r: &Resource,
    c: &crate::model::config::services::StepFunctionsStateMachine,
) {
    use crate::iac::derived::{
        STEP_KINDS, state_machine_definition, state_machine_extras, step_action,
    };
    let id = r.id.as_str();
    let steps = b.links_from(id, LinkKind::Traffic, &STEP_KINDS);
    let kinds: Vec<Kind> = steps.iter().map(|s| s.kind()).collect();
    let definition = state_machine_definition(&kinds, |i| json!(format!("${{Step{}}}", i + 1)));
    let mut variables = serde_json::Map::new();
    let mut statements = state_machine_extras(c.logging, c.tracing);
    for (i, step) in steps.iter().enumerate() {
        let step_id = step.id.as_str();
        // A queue's Ref is its URL, a topic's its ARN; a function is named by its ARN.
        let spelled = match step.kind() {
            Kind::LambdaFunction => b.att(step_id, "Arn"),
            _ => b.r(step_id),
        };
        variables.insert(format!("Step{}", i + 1), spelled);
        let arn = match step.kind() {
            Kind::SnsTopic => b.r(step_id),
            _ => b.att(step_id, "Arn"),
        };
        statements.push(
            json!({ "Effect": "Allow", "Action": step_action(step.kind()), "Resource": arn }),
        );
    }
    let role = b.role_for(r, "states.amazonaws.com", &[], statements);
    let text = serde_json::to_string_pretty(&definition).unwrap_or_default();
    let kind = aws::workflow_type(c.workflow_type);
    let mut props = json!({ "StateMachineType": kind, "RoleArn": role,
        "DefinitionString": { "Fn::Sub": [text, Value::Object(variables)] },
        "TracingConfiguration": { "Enabled": c.tracing }, "Tags": b.tags(r) });
    if c.logging {
        let group = b.derived(id, "Logs");
        b.add(&group, "AWS::Logs::LogGroup", json!({
            "LogGroupName": { "Fn::Sub": format!("/aws/vendedlogs/states/${{AWS::StackName}}-{id}") },
            "RetentionInDays": 90 }));
        props["LoggingConfiguration"] = json!({ "Level": "ALL", "IncludeExecutionData": false,
            "Destinations": [{ "CloudWatchLogsLogGroup": { "LogGroupArn": { "Fn::GetAtt": [group, "Arn"] } } }] });
    }
    b.add_main(r, "AWS::StepFunctions::StateMachine", props);
}

/// A custom bus (the default one exists with the account), a rule per rule of the bus with
/// its pattern, and as targets what the bus triggers, with the permission or role each
/// needs to be invoked by EventBridge.
fn event_bus(b: &mut Builder, r: &Resource, c: &crate::model::config::services::EventBridgeBus) {
    use crate::iac::derived::{EVENT_TARGET_KINDS, event_pattern};
    let id = r.id.as_str();
    let bus_name = if c.default_bus {
        b.skip(
            r,
            "the account's default event bus exists with the account; its rules are written",
        );
        json!("default")
    } else {
        b.add_main(
            r,
            "AWS::Events::EventBus",
            json!({
            "Name": { "Fn::Sub": format!("${{AWS::StackName}}-{id}") }, "Tags": b.tags(r) }),
        );
        b.r(id)
    };
    let targets = b.links_from(id, LinkKind::EventTrigger, &EVENT_TARGET_KINDS);
    // One role lets the rules start every state machine they target.
    let starts: Vec<Value> = targets
        .iter()
        .filter(|t| t.kind() == Kind::StepFunctionsStateMachine)
        .map(|t| json!({ "Effect": "Allow", "Action": "states:StartExecution", "Resource": b.r(t.id.as_str()) }))
        .collect();
    let role = (!starts.is_empty())
        .then(|| b.made_role(r, "EventsRole", "events.amazonaws.com", &[], starts));
    for (n, rule) in c.rules.iter().enumerate() {
        let (pattern, valid) = event_pattern(&rule.pattern);
        if !valid {
            b.note(format!(
                "{id}: the pattern of rule {} is not JSON; the rule matches every event",
                rule.name
            ));
        }
        let logical = b.derived(id, &format!("Rule{}", n + 1));
        let mut listed = Vec::new();
        for (k, target) in targets.iter().enumerate() {
            let target_id = target.id.as_str();
            let mut entry =
                json!({ "Id": format!("Target{}", k + 1), "Arn": b.att(target_id, "Arn") });
            match target.kind() {
                Kind::LambdaFunction => {
                    let permission = b.derived(id, &format!("Rule{}Invoke{}", n + 1, k + 1));
                    b.add(
                        &permission,
                        "AWS::Lambda::Permission",
                        json!({
                        "FunctionName": b.att(target_id, "Arn"), "Action": "lambda:InvokeFunction",
                        "Principal": "events.amazonaws.com",
                        "SourceArn": { "Fn::GetAtt": [logical, "Arn"] } }),
                    );
                }
                // A queue or topic takes the rule's events only with its consent.
                Kind::SqsQueue => {
                    let statement = json!({ "Effect": "Allow",
                        "Principal": { "Service": "events.amazonaws.com" }, "Action": "sqs:SendMessage",
                        "Resource": b.att(target_id, "Arn"),
                        "Condition": { "ArnEquals": { "aws:SourceArn": { "Fn::GetAtt": [logical, "Arn"] } } } });
                    b.policy_statement(target_id, statement);
                }
                Kind::SnsTopic => {
                    entry["Arn"] = b.r(target_id);
                    let statement = json!({ "Effect": "Allow",
                        "Principal": { "Service": "events.amazonaws.com" }, "Action": "sns:Publish",
                        "Resource": b.r(target_id),
                        "Condition": { "ArnEquals": { "aws:SourceArn": { "Fn::GetAtt": [logical, "Arn"] } } } });
                    b.policy_statement(target_id, statement);
                }
                Kind::StepFunctionsStateMachine => {
                    entry["Arn"] = b.r(target_id);
                    entry["RoleArn"] = role.clone().unwrap_or(Value::Null);
                }
                _ => {}
            }
            listed.push(entry);
        }
        let mut props = json!({ "Name": rule.name, "EventBusName": bus_name, "EventPattern": pattern,
            "State": "ENABLED" });
        if !listed.is_empty() {
            props["Targets"] = json!(listed);
        }
        b.add(&logical, "AWS::Events::Rule", props);
    }
}
