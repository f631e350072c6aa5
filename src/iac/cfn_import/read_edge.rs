//! Load balancers, Route 53 and CloudFront read back from their templates.

use serde_json::{Value, json};

use super::config::{Fields, boolean, number};
use super::read::ids;
use super::{Doc, Res};
use crate::model::Kind;

fn protocol(p: &str) -> &'static str {
    match p {
        "HTTPS" => "Https",
        "TCP" => "Tcp",
        "TLS" => "Tls",
        "UDP" => "Udp",
        "GENEVE" => "Geneve",
        _ => "Http",
    }
}

/// Attributes `[{Key, Value}]` as a lookup.
fn attribute<'a>(list: &'a Value, key: &str) -> Option<&'a str> {
    list.as_array()?
        .iter()
        .find(|a| a["Key"] == key)
        .and_then(|a| a["Value"].as_str())
}

pub(super) fn balancer(doc: &Doc, logical: &str, r: &Res, kind: Kind, f: &mut Fields) {
    let p = |k: &str| r.prop(k);
    f.set("subnets", ids(doc, p("Subnets")));
    if kind != Kind::GatewayLoadBalancer {
        f.set("security_groups", ids(doc, p("SecurityGroups")));
        if p("Scheme") == "internal" {
            f.set("scheme", "Internal");
        }
    }
    let attributes = p("LoadBalancerAttributes");
    if let Some(idle) = attribute(attributes, "idle_timeout.timeout_seconds") {
        f.set("idle_timeout_secs", number(&json!(idle)));
    }
    if let Some(cross) = attribute(attributes, "load_balancing.cross_zone.enabled") {
        f.set("cross_zone", cross == "true");
    }
    let listeners: Vec<Value> = doc
        .referring(
            "AWS::ElasticLoadBalancingV2::Listener",
            "LoadBalancerArn",
            logical,
        )
        .filter(|_| kind != Kind::GatewayLoadBalancer)
        .map(|(_, l)| {
            let mut v = json!({ "protocol": protocol(l.prop("Protocol").as_str().unwrap_or("HTTP")),
                "port": number(l.prop("Port")).as_u64().unwrap_or(80) });
            if let Some(cert) = doc.id(&l.prop("Certificates")[0]["CertificateArn"]) {
                v["certificate"] = json!(cert.as_str());
            }
            if l.prop("DefaultActions")[0]["Type"] == "redirect" {
                v["redirect_to_https"] = json!(true);
            }
            v
        })
        .collect();
    if kind != Kind::GatewayLoadBalancer {
        f.set("listeners", listeners);
    }
    // The health check and target settings of its first target group.
    let forwarded: Vec<String> = doc
        .referring(
            "AWS::ElasticLoadBalancingV2::Listener",
            "LoadBalancerArn",
            logical,
        )
        .flat_map(|(_, l)| super::refs(l.prop("DefaultActions")))
        .collect();
    let group = forwarded
        .iter()
        .filter_map(|t| doc.res.get(t))
        .find(|g| g.kind == "AWS::ElasticLoadBalancingV2::TargetGroup");
    if let Some(g) = group {
        let gp = |k: &str| g.prop(k);
        let mut check = json!({});
        if let Some(path) = gp("HealthCheckPath").as_str() {
            check["path"] = json!(path);
        }
        check["protocol"] = json!(protocol(
            gp("HealthCheckProtocol").as_str().unwrap_or("HTTP")
        ));
        for (from, to) in [
            ("HealthCheckIntervalSeconds", "interval_secs"),
            ("HealthCheckTimeoutSeconds", "timeout_secs"),
            ("HealthyThresholdCount", "healthy_threshold"),
            ("UnhealthyThresholdCount", "unhealthy_threshold"),
        ] {
            let n = number(gp(from));
            if !n.is_null() {
                check[to] = n;
            }
        }
        f.set("health_check", check);
        let attributes = gp("TargetGroupAttributes");
        if let Some(d) = attribute(attributes, "deregistration_delay.timeout_seconds") {
            f.set("deregistration_delay_secs", number(&json!(d)));
        }
        if kind == Kind::ApplicationLoadBalancer {
            match attribute(attributes, "load_balancing.algorithm.type") {
                Some("least_outstanding_requests") => {
                    f.set("routing_algorithm", "LeastOutstandingRequests");
                }
                Some("weighted_random") => {
                    f.set("routing_algorithm", "WeightedRandom");
                }
                _ => {}
            }
            if let Some(s) = attribute(attributes, "slow_start.duration_seconds") {
                f.set("slow_start_secs", number(&json!(s)));
            }
            if let Some(d) = attribute(attributes, "stickiness.lb_cookie.duration_seconds") {
                f.set("stickiness_duration_secs", number(&json!(d)));
            }
        }
        if attribute(attributes, "stickiness.enabled") == Some("true") {
            f.set("stickiness", true);
        }
    }
    if let Some(waf) = doc
        .referring("AWS::WAFv2::WebACLAssociation", "ResourceArn", logical)
        .find_map(|(_, a)| doc.id(a.prop("WebACLArn")))
    {
        f.set("waf", waf.as_str());
    }
}

pub(super) fn hosted_zone(doc: &Doc, logical: &str, r: &Res, f: &mut Fields) {
    let domain = r
        .prop("Name")
        .as_str()
        .unwrap_or("example.com")
        .trim_end_matches('.')
        .to_string();
    f.set("domain", domain.clone())
        .set("private_zone", !r.prop("VPCs").is_null());
    let mut records: Vec<Value> = Vec::new();
    for (_, set) in doc.referring("AWS::Route53::RecordSet", "HostedZoneId", logical) {
        let sp = |k: &str| set.prop(k);
        let full = sp("Name").as_str().unwrap_or("").trim_end_matches('.');
        let name = full
            .strip_suffix(&domain)
            .unwrap_or(full)
            .trim_end_matches('.')
            .to_string();
        let record_type = match sp("Type").as_str().unwrap_or("A") {
            "AAAA" => "Aaaa",
            "CNAME" => "Cname",
            "MX" => "Mx",
            "TXT" => "Txt",
            _ => "A",
        };
        let alias = !sp("AliasTarget").is_null();
        let target = if alias {
            doc.id(&sp("AliasTarget")["DNSName"])
        } else {
            doc.id(&sp("ResourceRecords")[0])
        };
        let Some(target) = target else { continue };
        let routing = if !sp("Failover").is_null() {
            "Failover"
        } else if !sp("Region").is_null() {
            "Latency"
        } else if !sp("GeoLocation").is_null() {
            "Geolocation"
        } else if boolean(sp("MultiValueAnswer")) == json!(true) {
            "Multivalue"
        } else if !sp("Weight").is_null() {
            "Weighted"
        } else {
            "Simple"
        };
        let geo = sp("GeoLocation");
        let location = geo["ContinentCode"]
            .as_str()
            .or(geo["CountryCode"].as_str())
            .map(|c| if c == "*" { "Default" } else { c });
        let answer = json!({ "target": target.as_str(),
            "weight": number(sp("Weight")).as_u64().unwrap_or(1),
            "failover": if sp("Failover") == "SECONDARY" { "Secondary" } else { "Primary" },
            "location": location.unwrap_or(""),
            "health_check": sp("AliasTarget")["EvaluateTargetHealth"] == json!(true) || !sp("HealthCheckId").is_null() });
        let existing = records
            .iter_mut()
            .find(|x| x["name"] == name && x["record_type"] == record_type);
        match existing {
            Some(record) => {
                if let Some(targets) = record["targets"].as_array_mut() {
                    targets.push(answer);
                }
            }
            None => {
                let mut record = json!({ "name": name, "record_type": record_type, "alias": alias,
                    "routing": routing, "targets": [answer] });
                let ttl = number(sp("TTL"));
                if !ttl.is_null() {
                    record["ttl_secs"] = ttl;
                }
                records.push(record);
            }
        }
    }
    f.set("records", records);
}

pub(super) fn distribution(doc: &Doc, r: &Res, f: &mut Fields) {
    let c = &r.prop("DistributionConfig");
    let behaviour = &c["DefaultCacheBehavior"];
    let policy = match behaviour["ViewerProtocolPolicy"].as_str() {
        Some("redirect-to-https") => "RedirectToHttps",
        Some("https-only") => "HttpsOnly",
        _ => "AllowAll",
    };
    let price = match c["PriceClass"].as_str() {
        Some("PriceClass_200") => "Class200",
        Some("PriceClass_100") => "Class100",
        _ => "All",
    };
    f.set("viewer_protocol_policy", policy)
        .set("price_class", price)
        .set("min_ttl_secs", number(&behaviour["MinTTL"]))
        .set("default_ttl_secs", number(&behaviour["DefaultTTL"]))
        .set("max_ttl_secs", number(&behaviour["MaxTTL"]));
    if let Some(cert) = doc.id(&c["ViewerCertificate"]["AcmCertificateArn"]) {
        f.set("certificate", cert.as_str());
    }
    if let Some(waf) = doc.id(&c["WebACLId"]) {
        f.set("waf", waf.as_str());
    }
    let origins = c["Origins"].as_array().cloned().unwrap_or_default();
    if origins
        .iter()
        .any(|o| !o["OriginAccessControlId"].is_null())
    {
        f.set("origin_access", "Oac");
    } else if origins.iter().any(|o| {
        o["S3OriginConfig"]["OriginAccessIdentity"]
            .as_str()
            .is_some_and(|s| !s.is_empty())
    }) {
        f.set("origin_access", "Oai");
    }
    if let Some(locations) = c["Restrictions"]["GeoRestriction"]["Locations"].as_array() {
        f.set("geo_restriction", Value::Array(locations.clone()));
    }
}
