//! The edge: load balancers with their target groups and listeners, Route 53 and CloudFront.

use serde_json::{Value, json};

use super::Builder;
use crate::aws::names as aws;
use crate::iac::derived::{self, BALANCER_TARGETS};
use crate::model::config::edge::{
    FailoverRole, HealthCheck, LbProtocol, LbScheme, Listener, OriginAccess, RecordType,
    RoutingPolicy,
};
use crate::model::{Config, Kind, LinkKind, Resource};

/// CloudFront's own hosted zone, which every alias to a distribution names.
const CLOUDFRONT_ZONE: &str = "Z2FDTNDATAQYW2";

/// Adds `r` when it is an edge resource; false for other kinds.
pub(super) fn add(b: &mut Builder, r: &Resource) -> bool {
    match &r.config {
        Config::ApplicationLoadBalancer(c) => {
            let algorithm = aws::routing_algorithm(c.routing_algorithm);
            let mut group = vec![
                (
                    "deregistration_delay.timeout_seconds",
                    c.deregistration_delay_secs.to_string(),
                ),
                ("load_balancing.algorithm.type", algorithm.to_string()),
                ("stickiness.enabled", c.stickiness.to_string()),
            ];
            if c.stickiness {
                group.push(("stickiness.type", "lb_cookie".into()));
                group.push((
                    "stickiness.lb_cookie.duration_seconds",
                    c.stickiness_duration_secs.to_string(),
                ));
            }
            if c.slow_start_secs > 0 {
                group.push(("slow_start.duration_seconds", c.slow_start_secs.to_string()));
            }
            let lb = Balancer {
                kind: "application",
                scheme: c.scheme,
                subnets: b.refs(&c.subnets),
                security_groups: b.refs(&c.security_groups),
                listeners: &c.listeners,
                health_check: &c.health_check,
                attributes: vec![(
                    "idle_timeout.timeout_seconds",
                    c.idle_timeout_secs.to_string(),
                )],
                group_attributes: group,
                group_protocol: "HTTP",
            };
            load_balancer(b, r, lb);
            if let Some(waf) = &c.waf {
                let name = b.derived(r.id.as_str(), "WebAcl");
                let props = json!({ "ResourceArn": b.r(r.id.as_str()),
                    "WebACLArn": b.att(waf.as_str(), "Arn") });
                b.add(&name, "AWS::WAFv2::WebACLAssociation", props);
            }
        }
        Config::NetworkLoadBalancer(c) => {
            let mut group = vec![(
                "deregistration_delay.timeout_seconds",
                c.deregistration_delay_secs.to_string(),
            )];
            if c.stickiness {
                group.push(("stickiness.enabled", "true".into()));
                group.push(("stickiness.type", "source_ip".into()));
            }
            let lb = Balancer {
                kind: "network",
                scheme: c.scheme,
                subnets: b.refs(&c.subnets),
                security_groups: b.refs(&c.security_groups),
                listeners: &c.listeners,
                health_check: &c.health_check,
                attributes: vec![(
                    "load_balancing.cross_zone.enabled",
                    c.cross_zone.to_string(),
                )],
                group_attributes: group,
                group_protocol: "TCP",
            };
            load_balancer(b, r, lb);
        }
        Config::GatewayLoadBalancer(c) => {
            let lb = Balancer {
                kind: "gateway",
                scheme: LbScheme::Internal,
                subnets: b.refs(&c.subnets),
                security_groups: json!([]),
                listeners: &[],
                health_check: &c.health_check,
                attributes: vec![(
                    "load_balancing.cross_zone.enabled",
                    c.cross_zone.to_string(),
                )],
                group_attributes: Vec::new(),
                group_protocol: "GENEVE",
            };
            load_balancer(b, r, lb);
        }
        Config::ClassicLoadBalancer(c) => classic(b, r, c),
        Config::Route53HostedZone(c) => hosted_zone(b, r, c),
        Config::CloudFrontDistribution(c) => distribution(b, r, c),
        _ => return false,
    }
    true
}

/// What differs between the three kinds of Elastic Load Balancing v2.
struct Balancer<'c> {
    kind: &'static str,
    scheme: LbScheme,
    subnets: Value,
    security_groups: Value,
    listeners: &'c [Listener],
    health_check: &'c HealthCheck,
    attributes: Vec<(&'static str, String)>,
    group_attributes: Vec<(&'static str, String)>,
    group_protocol: &'static str,
}

fn key_values(pairs: &[(&str, String)]) -> Value {
    Value::Array(
        pairs
            .iter()
            .map(|(k, v)| json!({ "Key": k, "Value": v }))
            .collect(),
    )
}

fn load_balancer(b: &mut Builder, r: &Resource, lb: Balancer) {
    let id = r.id.as_str();
    let scheme = aws::lb_scheme(lb.scheme);
    let mut props = json!({ "Type": lb.kind, "Subnets": lb.subnets,
        "LoadBalancerAttributes": key_values(&lb.attributes), "Tags": b.tags(r) });
    if lb.kind != "gateway" {
        props["Scheme"] = json!(scheme);
    }
    if lb.security_groups.as_array().is_some_and(|a| !a.is_empty()) {
        props["SecurityGroups"] = lb.security_groups;
    }
    b.add_main(r, "AWS::ElasticLoadBalancingV2::LoadBalancer", props);

    // A target group per target the balancer's traffic links reach; instances share one.
    let vpc = b.enclosing(id, Kind::Vpc).map(|v| b.r(v.id.as_str()));
    let mut groups: Vec<String> = Vec::new();
    // Listeners of NLBs and GWLBs must forward somewhere.
    let plan = derived::target_group_plan(b.d, id, BALANCER_TARGETS, lb.kind != "application");
    for (target, members) in plan {
        let key = target.map_or("instances", |t| t.id.as_str());
        let name = b.target_group(id, key);
        let hc = lb.health_check;
        let mut props = json!({ "Tags": b.tags(r) });
        let lambda = target.is_some_and(|t| t.kind() == Kind::LambdaFunction);
        if lambda {
            let target = target.map_or("", |t| t.id.as_str());
            props["TargetType"] = json!("lambda");
            props["Targets"] = json!([{ "Id": b.att(target, "Arn") }]);
            let permission = b.derived(target, "InvokeFromLoadBalancer");
            let p = json!({ "Action": "lambda:InvokeFunction", "FunctionName": b.att(target, "Arn"),
                "Principal": "elasticloadbalancing.amazonaws.com" });
            b.add(&permission, "AWS::Lambda::Permission", p);
            b.add(&name, "AWS::ElasticLoadBalancingV2::TargetGroup", props)
                .depends_on(permission);
            groups.push(name);
            continue;
        }
        let port = match (lb.kind, target, members.first()) {
            ("gateway", _, _) => 6081,
            (_, Some(t), _) => derived::target_port(b.d, t),
            (_, None, Some(first)) => derived::target_port(b.d, first),
            _ => 80,
        };
        props["Protocol"] = json!(lb.group_protocol);
        props["Port"] = json!(port);
        if let Some(vpc) = &vpc {
            props["VpcId"] = vpc.clone();
        }
        let ip = target.is_some_and(|t| t.kind() == Kind::EcsService);
        props["TargetType"] = json!(if ip { "ip" } else { "instance" });
        let hc_protocol = match hc.protocol {
            LbProtocol::Https => "HTTPS",
            LbProtocol::Http => "HTTP",
            _ => "TCP",
        };
        props["HealthCheckProtocol"] = json!(hc_protocol);
        if hc_protocol != "TCP" {
            props["HealthCheckPath"] = json!(hc.path);
        }
        props["HealthCheckIntervalSeconds"] = json!(hc.interval_secs);
        props["HealthCheckTimeoutSeconds"] = json!(
            hc.timeout_secs
                .min(hc.interval_secs.saturating_sub(1))
                .max(2)
        );
        props["HealthyThresholdCount"] = json!(hc.healthy_threshold);
        props["UnhealthyThresholdCount"] = json!(hc.unhealthy_threshold);
        if !lb.group_attributes.is_empty() {
            props["TargetGroupAttributes"] = key_values(&lb.group_attributes);
        }
        if !members.is_empty() {
            props["Targets"] = Value::Array(
                members
                    .iter()
                    .map(|m| json!({ "Id": b.r(m.id.as_str()), "Port": port }))
                    .collect(),
            );
        }
        b.add(&name, "AWS::ElasticLoadBalancingV2::TargetGroup", props);
        groups.push(name);
    }

    let forward = match groups.as_slice() {
        [] => json!({ "Type": "fixed-response", "FixedResponseConfig": { "StatusCode": "503",
            "ContentType": "text/plain", "MessageBody": "No targets" } }),
        [one] => json!({ "Type": "forward", "TargetGroupArn": { "Ref": one } }),
        many => json!({ "Type": "forward", "ForwardConfig": { "TargetGroups": many.iter()
            .map(|g| json!({ "TargetGroupArn": { "Ref": g }, "Weight": 1 })).collect::<Vec<_>>() } }),
    };
    if lb.kind == "gateway" {
        let name = b.listener(id, 0);
        let props = json!({ "LoadBalancerArn": b.r(id), "DefaultActions": [forward] });
        b.add(&name, "AWS::ElasticLoadBalancingV2::Listener", props);
        return;
    }
    for (index, listener) in lb.listeners.iter().enumerate() {
        let name = b.listener(id, index);
        let protocol = aws::lb_protocol(listener.protocol);
        let action = if listener.redirect_to_https {
            json!({ "Type": "redirect", "RedirectConfig": { "Protocol": "HTTPS", "Port": "443",
                "StatusCode": "HTTP_301" } })
        } else {
            forward.clone()
        };
        let mut props = json!({ "LoadBalancerArn": b.r(id), "Port": listener.port,
            "Protocol": protocol, "DefaultActions": [action] });
        if matches!(listener.protocol, LbProtocol::Https | LbProtocol::Tls) {
            let arn = match &listener.certificate {
                Some(cert) => b.r(cert.as_str()),
                None => b.parameter(
                    &format!("{}CertificateArn", b.id(id)),
                    json!({ "Type": "String",
                        "Description": format!("ARN of the certificate for {}'s port {}", r.label(), listener.port) }),
                ),
            };
            props["Certificates"] = json!([{ "CertificateArn": arn }]);
            props["SslPolicy"] = json!("ELBSecurityPolicy-TLS13-1-2-2021-06");
        }
        b.add(&name, "AWS::ElasticLoadBalancingV2::Listener", props);
    }
}

fn classic(b: &mut Builder, r: &Resource, c: &crate::model::config::edge::ClassicLoadBalancer) {
    let id = r.id.as_str();
    let instances = b.links_from(id, LinkKind::Traffic, &[Kind::Ec2Instance]);
    let targets = b.links_from(id, LinkKind::Traffic, BALANCER_TARGETS);
    let port = targets.first().map_or(80, |t| derived::target_port(b.d, t));
    let listeners: Vec<Value> = c
        .listeners
        .iter()
        .map(|l| {
            let secure = matches!(l.protocol, LbProtocol::Https | LbProtocol::Tls);
            let inner = match l.protocol {
                LbProtocol::Https => "HTTP",
                LbProtocol::Tls => "TCP",
                other => aws::lb_protocol(other),
            };
            let mut v = json!({ "LoadBalancerPort": l.port.to_string(),
                "InstancePort": port.to_string(), "Protocol": aws::lb_protocol(l.protocol),
                "InstanceProtocol": inner });
            if secure && let Some(cert) = &l.certificate {
                v["SSLCertificateId"] = b.r(cert.as_str());
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
    let scheme = aws::lb_scheme(c.scheme);
    let mut props = json!({ "Scheme": scheme, "Subnets": b.refs(&c.subnets),
        "Listeners": listeners, "CrossZone": c.cross_zone,
        "HealthCheck": { "Target": target, "Interval": hc.interval_secs.to_string(),
            "Timeout": hc.timeout_secs.to_string(), "HealthyThreshold": hc.healthy_threshold.to_string(),
            "UnhealthyThreshold": hc.unhealthy_threshold.to_string() },
        "ConnectionDrainingPolicy": { "Enabled": c.connection_draining_secs > 0,
            "Timeout": c.connection_draining_secs.max(1) },
        "Tags": b.tags(r) });
    if !c.security_groups.is_empty() {
        props["SecurityGroups"] = b.refs(&c.security_groups);
    }
    if !instances.is_empty() {
        props["Instances"] = Value::Array(instances.iter().map(|i| b.r(i.id.as_str())).collect());
    }
    b.add_main(r, "AWS::ElasticLoadBalancing::LoadBalancer", props);
}

/// The alias target of a record pointing at `target`, when AWS can alias it.
fn alias_target(b: &Builder, target: &Resource, evaluate: bool) -> Option<Value> {
    let id = target.id.as_str();
    let (name, zone) = match target.kind() {
        Kind::ApplicationLoadBalancer | Kind::NetworkLoadBalancer => {
            (b.att(id, "DNSName"), b.att(id, "CanonicalHostedZoneID"))
        }
        Kind::ClassicLoadBalancer => (b.att(id, "DNSName"), b.att(id, "CanonicalHostedZoneNameID")),
        Kind::CloudFrontDistribution => (b.att(id, "DomainName"), json!(CLOUDFRONT_ZONE)),
        _ => return None,
    };
    Some(json!({ "DNSName": name, "HostedZoneId": zone, "EvaluateTargetHealth": evaluate }))
}

/// A plain answer for a record pointing at `target`: an address or a name.
fn plain_answer(b: &Builder, target: &Resource, record: RecordType) -> Option<Value> {
    let id = target.id.as_str();
    match (target.kind(), record) {
        (Kind::Ec2Instance, RecordType::A) => Some(b.att(id, "PublicIp")),
        (Kind::ElasticIp, RecordType::A) => Some(b.r(id)),
        (Kind::ApplicationLoadBalancer | Kind::NetworkLoadBalancer, RecordType::Cname) => {
            Some(b.att(id, "DNSName"))
        }
        (Kind::CloudFrontDistribution, RecordType::Cname) => Some(b.att(id, "DomainName")),
        (Kind::S3Bucket, RecordType::Cname) => Some(b.att(id, "RegionalDomainName")),
        _ => None,
    }
}

fn hosted_zone(b: &mut Builder, r: &Resource, c: &crate::model::config::edge::Route53HostedZone) {
    let id = r.id.as_str();
    let domain = c.domain.trim_end_matches('.');
    let mut props = json!({ "Name": domain, "HostedZoneTags": b.tags(r) });
    if c.private_zone {
        let vpc = b.d.resources().find(|v| v.kind() == Kind::Vpc);
        if let Some(vpc) = vpc {
            props["VPCs"] = json!([{ "VPCId": b.r(vpc.id.as_str()),
                "VPCRegion": b.d.region_code(vpc.id.as_str()) }]);
        }
    }
    b.add_main(r, "AWS::Route53::HostedZone", props);
    for record in &c.records {
        let name = if record.name.is_empty() {
            format!("{domain}.")
        } else {
            format!("{}.{domain}.", record.name)
        };
        let kind = aws::record_type(record.record_type);
        let targets: Vec<_> = record
            .targets
            .iter()
            .filter_map(|t| b.d.resource(t.target.as_str()).map(|res| (t, res)))
            .collect();
        let several = targets.len() > 1 || record.routing != RoutingPolicy::Simple;
        let groups: Vec<Vec<_>> = if several {
            targets.into_iter().map(|t| vec![t]).collect()
        } else {
            vec![targets]
        };
        for (index, group) in groups.into_iter().enumerate() {
            let Some((target, resource)) = group.first().copied() else {
                continue;
            };
            let mut props = json!({ "HostedZoneId": b.r(id), "Name": name, "Type": kind });
            let alias = record
                .alias
                .then(|| alias_target(b, resource, target.health_check))
                .flatten();
            if let Some(alias) = alias {
                props["AliasTarget"] = alias;
            } else if let Some(answer) = plain_answer(b, resource, record.record_type) {
                props["TTL"] = json!(record.ttl_secs.to_string());
                props["ResourceRecords"] = json!([answer]);
            } else {
                continue;
            }
            if several {
                props["SetIdentifier"] = json!(resource.id.as_str());
                match record.routing {
                    RoutingPolicy::Simple | RoutingPolicy::Weighted => {
                        props["Weight"] = json!(target.weight);
                    }
                    RoutingPolicy::Failover => {
                        props["Failover"] = json!(match target.failover {
                            FailoverRole::Primary => "PRIMARY",
                            FailoverRole::Secondary => "SECONDARY",
                        });
                    }
                    RoutingPolicy::Latency => {
                        props["Region"] = json!(b.d.region_code(resource.id.as_str()));
                    }
                    RoutingPolicy::Geolocation => {
                        props["GeoLocation"] = geolocation(&target.location);
                    }
                    RoutingPolicy::Multivalue => props["MultiValueAnswer"] = json!(true),
                }
            }
            if target.health_check && props.get("AliasTarget").is_none() {
                let check = b.derived(id, "HealthCheck");
                let config = json!({ "HealthCheckConfig": { "Type": "TCP", "Port": 443,
                    "FullyQualifiedDomainName": props["ResourceRecords"][0].clone(),
                    "RequestInterval": record.health_check_interval_secs,
                    "FailureThreshold": record.health_check_failure_threshold } });
                b.add(&check, "AWS::Route53::HealthCheck", config);
                props["HealthCheckId"] = json!({ "Ref": check });
            }
            let logical = b.derived(id, &format!("Record{}", index + 1));
            b.add(&logical, "AWS::Route53::RecordSet", props);
        }
    }
}

/// A geolocation for Route 53: `Default`, a continent code or a country code.
fn geolocation(location: &str) -> Value {
    const CONTINENTS: &[&str] = &["AF", "AN", "AS", "EU", "OC", "NA", "SA"];
    let code = location.trim().to_ascii_uppercase();
    if code.is_empty() || code == "DEFAULT" {
        json!({ "CountryCode": "*" })
    } else if CONTINENTS.contains(&code.as_str()) {
        json!({ "ContinentCode": code })
    } else {
        json!({ "CountryCode": code })
    }
}

fn distribution(
    b: &mut Builder,
    r: &Resource,
    c: &crate::model::config::edge::CloudFrontDistribution,
) {
    let id = r.id.as_str();
    let origins_of = b.links_from(id, LinkKind::Traffic, &[]);
    let mut origins = Vec::new();
    for origin in origins_of {
        let oid = origin.id.as_str();
        let origin_id = b.id(oid);
        let value = match origin.kind() {
            Kind::S3Bucket => {
                let mut v = json!({ "Id": origin_id, "DomainName": b.att(oid, "RegionalDomainName"),
                    "S3OriginConfig": { "OriginAccessIdentity": "" } });
                if c.origin_access == OriginAccess::Oac {
                    let oac = b.derived(id, "OriginAccessControl");
                    let props = json!({ "OriginAccessControlConfig": {
                        "Name": { "Fn::Sub": format!("${{AWS::StackName}}-{oac}") },
                        "OriginAccessControlOriginType": "s3", "SigningBehavior": "always",
                        "SigningProtocol": "sigv4" } });
                    b.add(&oac, "AWS::CloudFront::OriginAccessControl", props);
                    v["OriginAccessControlId"] = json!({ "Fn::GetAtt": [oac, "Id"] });
                    bucket_read_by_distribution(b, id, oid);
                }
                v
            }
            Kind::ApplicationLoadBalancer
            | Kind::NetworkLoadBalancer
            | Kind::ClassicLoadBalancer => json!({ "Id": origin_id,
                "DomainName": b.att(oid, "DNSName"),
                "CustomOriginConfig": { "OriginProtocolPolicy": "https-only", "HTTPSPort": 443 } }),
            Kind::ApiGateway => json!({ "Id": origin_id,
                "DomainName": { "Fn::Sub": format!("${{{origin_id}}}.execute-api.${{AWS::Region}}.amazonaws.com") },
                "CustomOriginConfig": { "OriginProtocolPolicy": "https-only", "HTTPSPort": 443 } }),
            Kind::Ec2Instance => {
                json!({ "Id": origin_id, "DomainName": b.att(oid, "PublicDnsName"),
                "CustomOriginConfig": { "OriginProtocolPolicy": "http-only", "HTTPPort": 80 } })
            }
            _ => continue,
        };
        origins.push(value);
    }
    let Some(first) = origins.first().map(|o| o["Id"].clone()) else {
        b.skip(
            r,
            "a distribution needs an origin: link it to a bucket, load balancer, API or instance",
        );
        return;
    };
    let policy = crate::aws::names::viewer_protocol_policy(c.viewer_protocol_policy);
    let price = crate::aws::names::price_class(c.price_class);
    let mut config = json!({ "Enabled": true, "Origins": origins, "PriceClass": price,
        "HttpVersion": "http2and3", "Comment": r.label(),
        "DefaultCacheBehavior": { "TargetOriginId": first, "ViewerProtocolPolicy": policy,
            "ForwardedValues": { "QueryString": false }, "MinTTL": c.min_ttl_secs,
            "DefaultTTL": c.default_ttl_secs, "MaxTTL": c.max_ttl_secs } });
    if let Some(cert) = &c.certificate {
        config["ViewerCertificate"] = json!({ "AcmCertificateArn": b.r(cert.as_str()),
            "SslSupportMethod": "sni-only", "MinimumProtocolVersion": "TLSv1.2_2021" });
        if let Some(Config::AcmCertificate(cert)) = b.d.resource(cert.as_str()).map(|x| &x.config) {
            let mut names = vec![cert.domain.clone()];
            names.extend(cert.alternative_names.iter().cloned());
            config["Aliases"] = json!(names);
        }
    }
    if let Some(waf) = &c.waf {
        config["WebACLId"] = b.att(waf.as_str(), "Arn");
    }
    if !c.geo_restriction.is_empty() {
        config["Restrictions"] = json!({ "GeoRestriction": { "RestrictionType": "whitelist",
            "Locations": c.geo_restriction } });
    }
    let website = b
        .links_from(id, LinkKind::Traffic, &[Kind::S3Bucket])
        .iter()
        .any(|s| matches!(&s.config, Config::S3Bucket(s) if s.website_hosting));
    if website {
        config["DefaultRootObject"] = json!("index.html");
    }
    b.add_main(
        r,
        "AWS::CloudFront::Distribution",
        json!({ "DistributionConfig": config, "Tags": b.tags(r) }),
    );
}

/// A statement of the bucket's policy that lets only this distribution read it (origin
/// access control).
fn bucket_read_by_distribution(b: &mut Builder, distribution: &str, bucket: &str) {
    let statement = json!({ "Sid": format!("CloudFrontRead{}", b.id(distribution)), "Effect": "Allow",
        "Principal": { "Service": "cloudfront.amazonaws.com" }, "Action": "s3:GetObject",
        "Resource": { "Fn::Sub": format!("${{{}.Arn}}/*", b.id(bucket)) },
        "Condition": { "StringEquals": { "AWS:SourceArn": { "Fn::Sub":
            format!("arn:${{AWS::Partition}}:cloudfront::${{AWS::AccountId}}:distribution/${{{}}}", b.id(distribution)) } } } });
    b.policy_statement(bucket, statement);
}
