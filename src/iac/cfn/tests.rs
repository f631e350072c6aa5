use serde_json::json;

use super::*;
use crate::library::templates;

fn export_of(name: &str) -> Export {
    let diagram = templates::find(name)
        .and_then(|t| t.load().ok())
        .expect("the template loads");
    cloudformation(&diagram)
}

#[test]
fn three_tier_is_one_stack_with_its_network_and_tiers_wired() {
    let export = export_of("three-tier");
    assert_eq!(export.stacks.len(), 1);
    let t = export.home();
    assert_eq!(t.resources["Vpc"].kind, "AWS::EC2::VPC");
    let subnet = &t.resources["PublicA"].properties;
    assert_eq!(
        subnet["AvailabilityZone"],
        json!({ "Fn::Select": [0, { "Fn::GetAZs": "" }] })
    );
    assert_eq!(subnet["VpcId"], json!({ "Ref": "Vpc" }));
    // The group registers with the target group the load balancer forwards to.
    let groups = &t.resources["AppAsg"].properties["TargetGroupARNs"];
    let tg = groups[0]["Ref"].as_str().expect("a target group");
    assert_eq!(
        t.resources[tg].kind,
        "AWS::ElasticLoadBalancingV2::TargetGroup"
    );
    assert_eq!(t.resources[tg].properties["Port"], 8080);
    let https = t
        .resources
        .values()
        .find(|e| e.kind.ends_with("::Listener") && e.properties["Port"] == 443)
        .expect("an HTTPS listener");
    assert_eq!(
        https.properties["Certificates"][0]["CertificateArn"],
        json!({ "Ref": "SiteCert" })
    );
    assert_eq!(
        https.properties["DefaultActions"][0]["TargetGroupArn"],
        json!({ "Ref": tg })
    );
    // Group-to-group rules are resources of their own, so no cycle can form.
    let ingress = t
        .resources
        .values()
        .find(|e| e.kind == "AWS::EC2::SecurityGroupIngress" && e.properties["FromPort"] == 3306)
        .expect("the database's rule");
    assert_eq!(
        ingress.properties["SourceSecurityGroupId"],
        json!({ "Fn::GetAtt": ["AppSg", "GroupId"] })
    );
    // The database keeps a snapshot when the stack deletes it.
    assert_eq!(
        t.resources["Db"].deletion_policy.as_deref(),
        Some("Snapshot")
    );
    // Route 53 aliases the distribution, which forwards to the load balancer.
    let record = t
        .resources
        .values()
        .find(|e| e.kind == "AWS::Route53::RecordSet")
        .expect("a record");
    assert_eq!(
        record.properties["AliasTarget"]["DNSName"],
        json!({ "Fn::GetAtt": ["Cdn", "DomainName"] })
    );
    let origin = &t.resources["Cdn"].properties["DistributionConfig"]["Origins"][0];
    assert_eq!(
        origin["DomainName"],
        json!({ "Fn::GetAtt": ["Alb", "DNSName"] })
    );
    // Layout and actors travel in the metadata.
    assert_eq!(
        t.resources["Vpc"].metadata.as_ref().expect("layout")[METADATA_KEY]["Id"],
        "vpc"
    );
    assert_eq!(t.metadata[METADATA_KEY]["Actors"][0]["Kind"], "Users");
}

#[test]
fn a_second_region_gets_its_own_stack_and_shares_through_outputs() {
    let export = export_of("multi-region-failover");
    let regions: Vec<&str> = export.stacks.keys().map(String::as_str).collect();
    assert_eq!(regions, ["us-east-1", "us-west-2"]);
    let home = &export.stacks["us-east-1"];
    let west = &export.stacks["us-west-2"];
    assert!(west.resources.contains_key("WestAlb") && !home.resources.contains_key("WestAlb"));
    // The failover record in the home stack reads the west ALB's name from a parameter
    // that the west stack exports.
    assert!(home.parameters.contains_key("WestAlbDNSName"));
    assert!(west.outputs.contains_key("WestAlbDNSName"));
    let secondary = home
        .resources
        .values()
        .find(|e| e.properties["Failover"] == "SECONDARY")
        .expect("a secondary record");
    assert_eq!(
        secondary.properties["AliasTarget"]["DNSName"],
        json!({ "Ref": "WestAlbDNSName" })
    );
    // The west database joins the global database by name.
    assert_eq!(
        west.resources["WestDb"].properties["GlobalClusterIdentifier"],
        "east-db-global"
    );
}

#[test]
fn what_cloudformation_cannot_create_is_listed_with_a_reason() {
    let export = export_of("flawed-teaching");
    let skipped: Vec<&str> = export.skipped.iter().map(|s| s.id.as_str()).collect();
    assert!(skipped.contains(&"root"), "{skipped:?}");
    assert!(skipped.contains(&"admin-policy"), "{skipped:?}");
    let t = export.home();
    // The AWS managed policy is attached by its ARN instead.
    let arn = &t.resources["Deployer"].properties["ManagedPolicyArns"][0]["Fn::Sub"];
    assert_eq!(
        arn,
        "arn:${AWS::Partition}:iam::aws:policy/AdministratorAccess"
    );
    assert_eq!(
        t.resources["Peering"].kind,
        "AWS::EC2::VPCPeeringConnection"
    );
}

#[test]
fn serverless_functions_get_code_roles_and_triggers() {
    let export = export_of("serverless");
    let t = export.home();
    let worker = &t.resources["WorkerFn"].properties;
    assert_eq!(worker["Role"], json!({ "Fn::GetAtt": ["FnRole", "Arn"] }));
    assert_eq!(worker["ReservedConcurrentExecutions"], 50);
    let mapping = t
        .resources
        .values()
        .find(|e| e.kind == "AWS::Lambda::EventSourceMapping")
        .expect("the queue triggers the worker");
    assert_eq!(
        mapping.properties["EventSourceArn"],
        json!({ "Fn::GetAtt": ["Jobs", "Arn"] })
    );
    let uploads = &t.resources["Uploads"];
    assert_eq!(
        uploads.properties["NotificationConfiguration"]["LambdaConfigurations"][0]["Function"],
        json!({ "Fn::GetAtt": ["IngestFn", "Arn"] })
    );
    assert_eq!(
        uploads.depends_on.len(),
        1,
        "the notification waits for its permission"
    );
    let yaml = t.to_yaml();
    assert!(yaml.contains("AWS::Lambda::Function"), "{yaml}");
}
