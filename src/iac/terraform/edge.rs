//! Load balancers, Route 53 and CloudFront in Terraform.

use serde_json::{Value, json};

use super::Tf;
use crate::aws::names as aws;
use crate::iac::derived::{self, BALANCER_TARGETS};
use crate::model::config::edge::{
    FailoverRole, HealthCheck, LbProtocol, LbScheme, Listener, OriginAccess, RecordType,
    RoutingPolicy,
};
use crate::model::{Config, Kind, LinkKind, Resource};

pub(super) fn add(t: &mut Tf, r: &Resource) -> bool {
    let id = r.id.as_str();
    match &r.config {
        Config::ApplicationLoadBalancer(c) => {
            let algorithm = aws::routing_algorithm(c.routing_algorithm);
            let mut group = json!({ "deregistration_delay": c.deregistration_delay_secs,
                "load_balancing_algorithm_type": algorithm, "slow_start": c.slow_start_secs });
            if c.stickiness {
                group["+stickiness"] = json!({ "type": "lb_cookie", "enabled": true, "cookie_duration": c.stickiness_duration_secs });
            }
            let lb = json!({ "load_balancer_type": "application", "internal": c.scheme == LbScheme::Internal,
                "subnets": t.ids(&c.subnets), "security_groups": t.ids(&c.security_groups),
                "idle_timeout": c.idle_timeout_secs, "tags": t.tags(r) });
            balancer(t, r, lb, &c.listeners, &c.health_check, group, "HTTP");
            if let Some(waf) = &c.waf {
                t.add(
                    "aws_wafv2_web_acl_association",
                    id,
                    "waf",
                    json!({ "resource_arn": t.r(id, "arn"),
                    "web_acl_arn": t.r(waf.as_str(), "arn") }),
                );
            }
        }
        Config::NetworkLoadBalancer(c) => {
            let mut group = json!({ "deregistration_delay": c.deregistration_delay_secs });
            if c.stickiness {
                group["+stickiness"] = json!({ "type": "source_ip", "enabled": true });
            }
            let lb = json!({ "load_balancer_type": "network", "internal": c.scheme == LbScheme::Internal,
                "subnets": t.ids(&c.subnets), "security_groups": t.ids(&c.security_groups),
                "enable_cross_zone_load_balancing": c.cross_zone, "tags": t.tags(r) });
            balancer(t, r, lb, &c.listeners, &c.health_check, group, "TCP");
        }
        Config::GatewayLoadBalancer(c) => {
            let lb = json!({ "load_balancer_type": "gateway", "subnets": t.ids(&c.subnets),
                "enable_cross_zone_load_balancing": c.cross_zone, "tags": t.tags(r) });
            balancer(t, r, lb, &[], &c.health_check, json!({}), "GENEVE");
        }
        Config::ClassicLoadBalancer(c) => {
            let targets = t.links_from(id, LinkKind::Traffic, BALANCER_TARGETS);
            let port = targets.first().map_or(80, |x| derived::target_port(t.d, x));
            let listeners: Vec<Value> = c
                .listeners
                .iter()
                .map(|l| {
                    let mut v = json!({ "lb_port": l.port, "lb_protocol": aws::lb_protocol(l.protocol).to_ascii_lowercase(),
                        "instance_port": port, "instance_protocol": if l.protocol == LbProtocol::Https { "http" } else { "tcp" } });
                    if l.protocol == LbProtocol::Http {
                        v["instance_protocol"] = json!("http");
                    }
                    if let Some(cert) = &l.certificate {
                        v["ssl_certificate_id"] = t.r(cert.as_str(), "arn");
                    }
                    v
                })
                .collect();
            let hc = &c.health_check;
            let target = match hc.protocol {
                LbProtocol::Http | LbProtocol::Https => {
                    format!("{}:{port}{}", aws::lb_protocol(hc.protocol), hc.path)
                }
                _ => format!("TCP:{port}"),
            };
            let instances: Vec<Value> = t
                .links_from(id, LinkKind::Traffic, &[Kind::Ec2Instance])
                .iter()
                .map(|i| t.r(i.id.as_str(), "id"))
                .collect();
            t.add_main(r, json!({ "internal": c.scheme == LbScheme::Internal, "subnets": t.ids(&c.subnets),
                "security_groups": t.ids(&c.security_groups), "cross_zone_load_balancing": c.cross_zone,
                "connection_draining": c.connection_draining_secs > 0,
                "connection_draining_timeout": c.connection_draining_secs.max(1),
                "instances": instances, "+listener": listeners,
                "+health_check": { "target": target, "interval": hc.interval_secs, "timeout": hc.timeout_secs,
                    "healthy_threshold": hc.healthy_threshold, "unhealthy_threshold": hc.unhealthy_threshold },
                "tags": t.tags(r) }));
        }
        Config::Route53HostedZone(c) => zone(t, r, c),
        Config::CloudFrontDistribution(c) => distribution(t, r, c),
        _ => return false,
    }
    true
}

/// The target group through which `lb` reaches `target` (`instances` for its instances).
pub(super) fn target_group(t: &mut Tf, lb: &str, target: &str) -> String {
    let suffix = if target == "instances" {
        "instances".to_string()
    } else {
        super::snake(target)
    };
    t.reserve(
        "aws_lb_target_group",
        format!("tg {lb} {target}"),
        lb,
        &suffix,
    )
    .0
}

/// A listener's address, for what must wait until it exists.
pub(super) fn listener(t: &mut Tf, lb: &str, index: usize) -> String {
    t.reserve(
        "aws_lb_listener",
        format!("listener {lb} {index}"),
        lb,
        &format!("listener_{}", index + 1),
    )
    .0
}

fn balancer(
    t: &mut Tf,
    r: &Resource,
    body: Value,
    listeners: &[Listener],
    hc: &HealthCheck,
    group: Value,
    group_protocol: &str,
) {
    let id = r.id.as_str();
    let gateway = group_protocol == "GENEVE";
    t.add_main(r, body);
    let vpc = t.enclosing(id, Kind::Vpc).map(|v| t.r(v.id.as_str(), "id"));
    let plan = derived::target_group_plan(t.d, id, BALANCER_TARGETS, group_protocol != "HTTP");
    let mut groups = Vec::new();
    for (target, members) in plan {
        let key = target.map_or("instances", |x| x.id.as_str());
        let address = target_group(t, id, key);
        if let Some(f) = target.filter(|x| x.kind() == Kind::LambdaFunction) {
            let permission = t.add("aws_lambda_permission", f.id.as_str(), &format!("from_{}", super::snake(id)), json!({
                "action": "lambda:InvokeFunction", "function_name": t.r(f.id.as_str(), "function_name"),
                "principal": "elasticloadbalancing.amazonaws.com" }));
            t.add_at(&address, json!({ "target_type": "lambda" }));
            t.add("aws_lb_target_group_attachment", id, &format!("{}_target", super::snake(f.id.as_str())), json!({
                "target_group_arn": { "$ref": format!("{address}.arn") }, "target_id": t.r(f.id.as_str(), "arn"),
                "depends_on": [{ "$ref": permission }] }));
            groups.push(address);
            continue;
        }
        let port = if gateway {
            6081
        } else {
            target
                .or(members.first().copied())
                .map_or(80, |x| derived::target_port(t.d, x))
        };
        let mut body = group.clone();
        body["port"] = json!(port);
        body["protocol"] = json!(group_protocol);
        body["vpc_id"] = vpc.clone().unwrap_or(Value::Null);
        body["target_type"] = json!(if target.is_some_and(|x| x.kind() == Kind::EcsService) {
            "ip"
        } else {
            "instance"
        });
        let hc_protocol = match hc.protocol {
            LbProtocol::Https => "HTTPS",
            LbProtocol::Http => "HTTP",
            _ => "TCP",
        };
        let mut check = json!({ "protocol": hc_protocol, "interval": hc.interval_secs,
            "timeout": hc.timeout_secs.min(hc.interval_secs.saturating_sub(1)).max(2),
            "healthy_threshold": hc.healthy_threshold, "unhealthy_threshold": hc.unhealthy_threshold });
        if hc_protocol != "TCP" {
            check["path"] = json!(hc.path);
        }
        body["+health_check"] = check;
        t.add_at(&address, body);
        for m in members {
            t.add("aws_lb_target_group_attachment", id, &super::snake(m.id.as_str()), json!({
                "target_group_arn": { "$ref": format!("{address}.arn") }, "target_id": t.r(m.id.as_str(), "id"), "port": port }));
        }
        groups.push(address);
    }
    let forward = match groups.as_slice() {
        [] => {
            json!({ "type": "fixed-response", "+fixed_response": { "status_code": "503", "content_type": "text/plain",
            "message_body": "No targets" } })
        }
        [one] => json!({ "type": "forward", "target_group_arn": { "$ref": format!("{one}.arn") } }),
        many => json!({ "type": "forward", "+forward": { "+target_group": many.iter()
            .map(|g| json!({ "arn": { "$ref": format!("{g}.arn") }, "weight": 1 })).collect::<Vec<_>>() } }),
    };
    if gateway {
        let address = listener(t, id, 0);
        t.add_at(
            &address,
            json!({ "load_balancer_arn": t.r(id, "arn"), "+default_action": forward }),
        );
        return;
    }
    for (index, l) in listeners.iter().enumerate() {
        let address = listener(t, id, index);
        let action = if l.redirect_to_https {
            json!({ "type": "redirect", "+redirect": { "port": "443", "protocol": "HTTPS", "status_code": "HTTP_301" } })
        } else {
            forward.clone()
        };
        let mut body = json!({ "load_balancer_arn": t.r(id, "arn"), "port": l.port, "protocol": aws::lb_protocol(l.protocol),
            "+default_action": action });
        if matches!(l.protocol, LbProtocol::Https | LbProtocol::Tls) {
            body["ssl_policy"] = json!("ELBSecurityPolicy-TLS13-1-2-2021-06");
            body["certificate_arn"] = match &l.certificate {
                Some(cert) => t.r(cert.as_str(), "arn"),
                None => t.variable(
                    &format!("{}_certificate_arn", super::snake(id)),
                    &format!("ARN of the certificate for {}'s port {}", r.label(), l.port),
                    None,
                ),
            };
        }
        t.add_at(&address, body);
    }
}

fn zone(t: &mut Tf, r: &Resource, c: &crate::model::config::edge::Route53HostedZone) {
    let id = r.id.as_str();
    let domain = c.domain.trim_end_matches('.');
    let mut body = json!({ "name": domain, "tags": t.tags(r) });
    if c.private_zone
        && let Some(vpc) = t.d.resources().find(|v| v.kind() == Kind::Vpc)
    {
        body["+vpc"] = json!({ "vpc_id": t.r(vpc.id.as_str(), "id") });
    }
    t.add_main(r, body);
    for record in &c.records {
        let name = if record.name.is_empty() {
            domain.to_string()
        } else {
            format!("{}.{domain}", record.name)
        };
        let kind = aws::record_type(record.record_type);
        let several = record.targets.len() > 1 || record.routing != RoutingPolicy::Simple;
        for target in &record.targets {
            let Some(to) = t.d.resource(target.target.as_str()) else {
                continue;
            };
            let tid = to.id.as_str();
            let mut body = json!({ "zone_id": t.r(id, "zone_id"), "name": name, "type": kind });
            let alias = match to.kind() {
                Kind::ApplicationLoadBalancer | Kind::NetworkLoadBalancer => {
                    Some((t.r(tid, "dns_name"), t.r(tid, "zone_id")))
                }
                Kind::ClassicLoadBalancer => Some((t.r(tid, "dns_name"), t.r(tid, "zone_id"))),
                Kind::CloudFrontDistribution => {
                    Some((t.r(tid, "domain_name"), t.r(tid, "hosted_zone_id")))
                }
                _ => None,
            };
            match (record.alias, alias) {
                (true, Some((dns, zone))) => {
                    body["+alias"] = json!({ "name": dns, "zone_id": zone, "evaluate_target_health": target.health_check });
                }
                _ => {
                    let answer = match (to.kind(), record.record_type) {
                        (Kind::Ec2Instance, RecordType::A) => t.r(tid, "public_ip"),
                        (Kind::ElasticIp, RecordType::A) => t.r(tid, "public_ip"),
                        (
                            Kind::ApplicationLoadBalancer | Kind::NetworkLoadBalancer,
                            RecordType::Cname,
                        ) => t.r(tid, "dns_name"),
                        (Kind::CloudFrontDistribution, RecordType::Cname) => {
                            t.r(tid, "domain_name")
                        }
                        _ => continue,
                    };
                    body["ttl"] = json!(record.ttl_secs);
                    body["records"] = json!([answer]);
                }
            }
            if several {
                body["set_identifier"] = json!(tid);
                match record.routing {
                    RoutingPolicy::Simple | RoutingPolicy::Weighted => {
                        body["+weighted_routing_policy"] = json!({ "weight": target.weight })
                    }
                    RoutingPolicy::Failover => {
                        body["+failover_routing_policy"] = json!({ "type": if target.failover == FailoverRole::Primary { "PRIMARY" } else { "SECONDARY" } });
                    }
                    RoutingPolicy::Latency => {
                        body["+latency_routing_policy"] = json!({ "region": t.d.region_code(tid) })
                    }
                    RoutingPolicy::Geolocation => {
                        let code = target.location.trim().to_ascii_uppercase();
                        body["+geolocation_routing_policy"] =
                            if code.is_empty() || code == "DEFAULT" {
                                json!({ "country": "*" })
                            } else if ["AF", "AN", "AS", "EU", "OC", "NA", "SA"]
                                .contains(&code.as_str())
                            {
                                json!({ "continent": code })
                            } else {
                                json!({ "country": code })
                            };
                    }
                    RoutingPolicy::Multivalue => {
                        body["multivalue_answer_routing_policy"] = json!(true)
                    }
                }
            }
            let label = if record.name.is_empty() {
                "apex"
            } else {
                record.name.as_str()
            };
            t.add(
                "aws_route53_record",
                id,
                &super::snake(&format!("{label} {tid}")),
                body,
            );
        }
    }
}

fn distribution(t: &mut Tf, r: &Resource, c: &crate::model::config::edge::CloudFrontDistribution) {
    let id = r.id.as_str();
    let mut origins = Vec::new();
    for o in t.links_from(id, LinkKind::Traffic, &[]) {
        let oid = o.id.as_str();
        let origin = match o.kind() {
            Kind::S3Bucket => {
                let mut v = json!({ "origin_id": oid, "domain_name": t.r(oid, "bucket_regional_domain_name") });
                if c.origin_access == OriginAccess::Oac {
                    let oac = t.add("aws_cloudfront_origin_access_control", id, "oac", json!({ "name": format!("{id}-oac"),
                        "origin_access_control_origin_type": "s3", "signing_behavior": "always", "signing_protocol": "sigv4" }));
                    v["origin_access_control_id"] = json!({ "$ref": format!("{oac}.id") });
                    let statement = json!({ "Sid": "CloudFrontRead", "Effect": "Allow", "Action": "s3:GetObject",
                        "Principal": { "Service": "cloudfront.amazonaws.com" },
                        "Resource": { "$template": format!("${{{}}}/*", t.address(oid).map(|a| format!("{a}.arn")).unwrap_or_default()) },
                        "Condition": { "StringEquals": { "AWS:SourceArn": t.r(id, "arn") } } });
                    t.policy_statement(&o.id, statement);
                }
                v
            }
            Kind::ApplicationLoadBalancer
            | Kind::NetworkLoadBalancer
            | Kind::ClassicLoadBalancer => json!({
                "origin_id": oid, "domain_name": t.r(oid, "dns_name"),
                "+custom_origin_config": { "http_port": 80, "https_port": 443, "origin_protocol_policy": "https-only",
                    "origin_ssl_protocols": ["TLSv1.2"] } }),
            Kind::ApiGateway => json!({ "origin_id": oid,
                "domain_name": { "$call": ["replace", t.r(oid, "api_endpoint"), "https://", ""] },
                "+custom_origin_config": { "http_port": 80, "https_port": 443, "origin_protocol_policy": "https-only",
                    "origin_ssl_protocols": ["TLSv1.2"] } }),
            Kind::Ec2Instance => json!({ "origin_id": oid, "domain_name": t.r(oid, "public_dns"),
                "+custom_origin_config": { "http_port": 80, "https_port": 443, "origin_protocol_policy": "http-only",
                    "origin_ssl_protocols": ["TLSv1.2"] } }),
            _ => continue,
        };
        origins.push(origin);
    }
    let Some(first) = origins.first().map(|o| o["origin_id"].clone()) else {
        t.skip(
            r,
            "a distribution needs an origin: link it to a bucket, load balancer, API or instance",
        );
        return;
    };
    let policy = crate::aws::names::viewer_protocol_policy(c.viewer_protocol_policy);
    let price = crate::aws::names::price_class(c.price_class);
    let certificate = match &c.certificate {
        Some(cert) => {
            json!({ "acm_certificate_arn": t.r(cert.as_str(), "arn"), "ssl_support_method": "sni-only",
            "minimum_protocol_version": "TLSv1.2_2021" })
        }
        None => json!({ "cloudfront_default_certificate": true }),
    };
    let aliases: Vec<String> = match c
        .certificate
        .as_ref()
        .and_then(|x| t.d.resource(x.as_str()))
        .map(|x| &x.config)
    {
        Some(Config::AcmCertificate(cert)) => std::iter::once(cert.domain.clone())
            .chain(cert.alternative_names.iter().cloned())
            .collect(),
        _ => Vec::new(),
    };
    let geo = if c.geo_restriction.is_empty() {
        json!({ "restriction_type": "none", "locations": [] })
    } else {
        json!({ "restriction_type": "whitelist", "locations": c.geo_restriction })
    };
    let mut body = json!({ "enabled": true, "comment": r.label(), "price_class": price, "aliases": aliases,
        "+origin": origins,
        "+default_cache_behavior": { "target_origin_id": first, "viewer_protocol_policy": policy,
            "allowed_methods": ["GET", "HEAD", "OPTIONS"], "cached_methods": ["GET", "HEAD"],
            "min_ttl": c.min_ttl_secs, "default_ttl": c.default_ttl_secs, "max_ttl": c.max_ttl_secs,
            "+forwarded_values": { "query_string": false, "+cookies": { "forward": "none" } } },
        "+restrictions": { "+geo_restriction": geo }, "+viewer_certificate": certificate, "tags": t.tags(r) });
    if let Some(waf) = &c.waf {
        body["web_acl_id"] = t.r(waf.as_str(), "arn");
    }
    t.add_main(r, body);
}
