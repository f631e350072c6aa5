//! Compute: instances, launch templates, Auto Scaling groups, Lambda, containers and
//! Elastic Beanstalk.

use serde_json::{Value, json};

use super::Builder;
use crate::aws::names as aws;
use crate::iac::derived;
use crate::model::catalog::IamPart;
use crate::model::config::compute::{
    LambdaArchitecture, LaunchType, Monitoring, PurchaseOption, RootVolume,
};
use crate::model::{Config, Kind, LinkKind, Resource};

/// Adds `r` when it is a compute resource; false for other kinds.
pub(super) fn add(b: &mut Builder, r: &Resource) -> bool {
    match &r.config {
        Config::Ec2Instance(c) => {
            let id = r.id.as_str();
            let Some(subnet) = b.enclosing(id, Kind::Subnet) else {
                b.skip(r, "an instance must sit in a subnet");
                return true;
            };
            let subnet = b.r(subnet.id.as_str());
            let mut props = json!({ "ImageId": image(b, &c.ami, &c.instance_type),
                "InstanceType": c.instance_type, "Monitoring": c.monitoring == Monitoring::Detailed,
                "BlockDeviceMappings": [root_device(&c.root_volume)], "Tags": b.tags(r) });
            if c.public_ip {
                props["NetworkInterfaces"] = json!([{ "DeviceIndex": "0", "SubnetId": subnet,
                    "GroupSet": b.refs(&c.security_groups), "AssociatePublicIpAddress": true }]);
            } else {
                props["SubnetId"] = subnet;
                props["SecurityGroupIds"] = b.refs(&c.security_groups);
            }
            if let Some(key) = &c.key_pair {
                props["KeyName"] = json!(key);
            }
            if !c.user_data.is_empty() {
                props["UserData"] = json!({ "Fn::Base64": c.user_data });
            }
            if let Some(credits) = aws::cpu_credits(c.cpu_credits, &c.instance_type) {
                props["CreditSpecification"] = json!({ "CPUCredits": credits });
            }
            match c.purchase_option {
                PurchaseOption::Spot => {
                    // An instance asks for Spot capacity through a launch template.
                    let name = b.derived(id, "SpotTemplate");
                    let data = json!({ "InstanceMarketOptions": { "MarketType": "spot" } });
                    b.add(
                        &name,
                        "AWS::EC2::LaunchTemplate",
                        json!({ "LaunchTemplateData": data }),
                    );
                    props["LaunchTemplate"] = json!({ "LaunchTemplateId": { "Ref": name },
                        "Version": { "Fn::GetAtt": [name, "LatestVersionNumber"] } });
                }
                PurchaseOption::Dedicated => props["Tenancy"] = json!("dedicated"),
                _ => {}
            }
            if let Some(role) = b.attached_role(id) {
                props["IamInstanceProfile"] =
                    json!({ "Ref": b.instance_profile(role.id.as_str()) });
            }
            b.add_main(r, "AWS::EC2::Instance", props);
        }
        Config::LaunchTemplate(c) => {
            let id = r.id.as_str();
            let mut data = json!({ "ImageId": image(b, &c.ami, &c.instance_type),
                "InstanceType": c.instance_type,
                "Monitoring": { "Enabled": c.monitoring == Monitoring::Detailed },
                "BlockDeviceMappings": [root_device(&c.root_volume)],
                "TagSpecifications": [{ "ResourceType": "instance", "Tags": b.tags(r) }] });
            if c.public_ip {
                data["NetworkInterfaces"] = json!([{ "DeviceIndex": 0,
                    "AssociatePublicIpAddress": true, "Groups": b.refs(&c.security_groups) }]);
            } else if !c.security_groups.is_empty() {
                data["SecurityGroupIds"] = b.refs(&c.security_groups);
            }
            if let Some(key) = &c.key_pair {
                data["KeyName"] = json!(key);
            }
            if !c.user_data.is_empty() {
                data["UserData"] = json!({ "Fn::Base64": c.user_data });
            }
            if let Some(credits) = aws::cpu_credits(c.cpu_credits, &c.instance_type) {
                data["CreditSpecification"] = json!({ "CpuCredits": credits });
            }
            if let Some(role) = template_role(b, id) {
                let profile = b.instance_profile(role.id.as_str());
                data["IamInstanceProfile"] = json!({ "Arn": { "Fn::GetAtt": [profile, "Arn"] } });
            }
            b.add_main(
                r,
                "AWS::EC2::LaunchTemplate",
                json!({ "LaunchTemplateData": data }),
            );
        }
        Config::AutoScalingGroup(c) => super::scaling::auto_scaling_group(b, r, c),
        Config::LambdaFunction(c) => lambda(b, r, c),
        Config::EcsCluster(c) => {
            let insights = if c.container_insights {
                "enabled"
            } else {
                "disabled"
            };
            let mut props = json!({ "ClusterSettings": [{ "Name": "containerInsights", "Value": insights }],
                "Tags": b.tags(r) });
            if c.launch_type == LaunchType::Fargate {
                props["CapacityProviders"] = json!(["FARGATE", "FARGATE_SPOT"]);
            } else {
                b.note(format!(
                    "{}: the cluster's {} × {} container instances are not exported; add an Auto Scaling group with the ECS-optimized AMI as its capacity provider",
                    r.id, c.instance_count, c.instance_type
                ));
            }
            b.add_main(r, "AWS::ECS::Cluster", props);
        }
        Config::EcsTaskDefinition(c) => super::containers::task_definition(b, r, c),
        Config::EcsService(c) => super::containers::ecs_service(b, r, c),
        Config::EksCluster(c) => {
            let subnets = if c.subnets.is_empty() {
                b.placement_subnets(r)
            } else {
                c.subnets.clone()
            };
            let role = b.made_role(
                r,
                "ClusterRole",
                "eks.amazonaws.com",
                &["AmazonEKSClusterPolicy"],
                Vec::new(),
            );
            let props = json!({ "Version": c.kubernetes_version, "RoleArn": role,
                "ResourcesVpcConfig": { "SubnetIds": b.refs(&subnets) } });
            b.add_main(r, "AWS::EKS::Cluster", props);
            let id = r.id.as_str();
            if c.launch_type == LaunchType::Fargate {
                let pods = b.made_role(
                    r,
                    "PodExecutionRole",
                    "eks-fargate-pods.amazonaws.com",
                    &["AmazonEKSFargatePodExecutionRolePolicy"],
                    Vec::new(),
                );
                let name = b.derived(id, "FargateProfile");
                let props = json!({ "ClusterName": b.r(id), "PodExecutionRoleArn": pods,
                    "Selectors": [{ "Namespace": "default" }], "Subnets": b.refs(&subnets) });
                b.add(&name, "AWS::EKS::FargateProfile", props);
            } else {
                let nodes = b.made_role(
                    r,
                    "NodeRole",
                    "ec2.amazonaws.com",
                    &[
                        "AmazonEKSWorkerNodePolicy",
                        "AmazonEKS_CNI_Policy",
                        "AmazonEC2ContainerRegistryReadOnly",
                    ],
                    Vec::new(),
                );
                let name = b.derived(id, "Nodes");
                let count = c.node_count.max(1);
                let props = json!({ "ClusterName": b.r(id), "NodeRole": nodes,
                    "Subnets": b.refs(&subnets), "InstanceTypes": [c.node_instance_type],
                    "ScalingConfig": { "MinSize": count, "DesiredSize": count, "MaxSize": count } });
                b.add(&name, "AWS::EKS::Nodegroup", props);
            }
        }
        Config::EcrRepository(c) => {
            let props = json!({ "ImageScanningConfiguration": { "ScanOnPush": c.scan_on_push },
                "ImageTagMutability": if c.immutable_tags { "IMMUTABLE" } else { "MUTABLE" },
                "Tags": b.tags(r) });
            b.add_main(r, "AWS::ECR::Repository", props);
        }
        Config::ElasticBeanstalkEnvironment(c) => {
            let id = r.id.as_str();
            let app = b.derived(id, "Application");
            b.add(
                &app,
                "AWS::ElasticBeanstalk::Application",
                json!({ "Description": r.label() }),
            );
            b.made_role(
                r,
                "InstanceRole",
                "ec2.amazonaws.com",
                &["AWSElasticBeanstalkWebTier"],
                Vec::new(),
            );
            let profile = b.instance_profile_of_made(id, "InstanceRole");
            let stack = b.parameter(
                &format!("{}SolutionStack", b.id(id)),
                json!({ "Type": "String",
                    "Description": format!("Solution stack for {} (aws elasticbeanstalk list-available-solution-stacks)", c.platform) }),
            );
            let network = (!c.subnets.is_empty()).then(|| {
                let subnets = json!({ "Fn::Join": [",", b.refs(&c.subnets)] });
                let vpc = c
                    .subnets
                    .first()
                    .and_then(|s| b.enclosing(s.as_str(), Kind::Vpc))
                    .map(|vpc| b.r(vpc.id.as_str()));
                (subnets, vpc)
            });
            let options: Vec<Value> = crate::iac::derived::beanstalk_options(
                c,
                json!({ "Ref": profile }),
                network,
            )
            .into_iter()
            .map(|(ns, name, value)| json!({ "Namespace": ns, "OptionName": name, "Value": value }))
            .collect();
            let props = json!({ "ApplicationName": { "Ref": app }, "SolutionStackName": stack,
                "OptionSettings": options, "Tags": b.tags(r) });
            b.add_main(r, "AWS::ElasticBeanstalk::Environment", props);
        }
        _ => return false,
    }
    true
}

/// The image of an instance: an AMI id as given, or the newest image of the named
/// operating system read from AWS's public SSM parameters when the stack is created.
pub(super) fn image(b: &mut Builder, ami: &str, instance_type: &str) -> Value {
    if ami.starts_with("ami-") {
        return json!(ami);
    }
    let arm = aws::is_arm(instance_type);
    let lower = ami.to_ascii_lowercase();
    let (name, path) = if lower.contains("windows") {
        (
            "WindowsImage",
            "/aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base".to_string(),
        )
    } else if lower.contains("ubuntu") {
        let cpu = if arm { "arm64" } else { "amd64" };
        (
            if arm { "UbuntuArmImage" } else { "UbuntuImage" },
            format!(
                "/aws/service/canonical/ubuntu/server/24.04/stable/current/{cpu}/hvm/ebs-gp3/ami-id"
            ),
        )
    } else if lower.contains("linux 2") && !lower.contains("2023") {
        let cpu = if arm { "arm64" } else { "x86_64" };
        (
            if arm {
                "AmazonLinux2ArmImage"
            } else {
                "AmazonLinux2Image"
            },
            format!("/aws/service/ami-amazon-linux-latest/amzn2-ami-kernel-5.10-hvm-{cpu}-gp2"),
        )
    } else {
        let cpu = if arm { "arm64" } else { "x86_64" };
        (
            if arm {
                "AmazonLinuxArmImage"
            } else {
                "AmazonLinuxImage"
            },
            format!("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-{cpu}"),
        )
    };
    b.parameter(
        name,
        json!({ "Type": "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>", "Default": path,
            "Description": format!("Latest {ami} image") }),
    )
}

fn root_device(v: &RootVolume) -> Value {
    json!({ "DeviceName": "/dev/xvda", "Ebs": { "VolumeType": format!("{:?}", v.volume_type).to_ascii_lowercase(),
        "VolumeSize": v.size_gb, "Encrypted": v.encrypted,
        "DeleteOnTermination": v.delete_on_termination } })
}

/// The role a launch template's instances take: linked to the template, or to a group
/// launching from it.
fn template_role<'a>(b: &Builder<'a>, template: &str) -> Option<&'a Resource> {
    b.attached_role(template).or_else(|| {
        b.d.resources()
            .filter(|g| {
                matches!(&g.config, Config::AutoScalingGroup(c)
                    if c.launch_template.as_ref().is_some_and(|t| t.as_str() == template))
            })
            .find_map(|g| b.attached_role(g.id.as_str()))
    })
}

/// IAM statements that let `r` use the data services its traffic links reach, and rotate
/// the secrets that trigger it.
pub(super) fn access_statements(b: &Builder, r: &Resource) -> Vec<Value> {
    let rotated = b
        .links_to(
            r.id.as_str(),
            LinkKind::EventTrigger,
            &[Kind::SecretsManagerSecret],
        )
        .into_iter()
        .flat_map(|secret| derived::rotation_statements(b.r(secret.id.as_str())));
    b.links_from(r.id.as_str(), LinkKind::Traffic, &[])
        .iter()
        .filter_map(|to| Some((*to, derived::access(r.kind(), to.kind())?)))
        .flat_map(|(to, access)| {
            let on = access_target(b, to, access.on);
            let own = json!({ "Effect": "Allow", "Action": derived::action(&access.actions),
                "Resource": on });
            let wide = (!access.account_wide.is_empty()).then(
                || json!({ "Effect": "Allow", "Action": access.account_wide, "Resource": "*" }),
            );
            std::iter::once(own).chain(wide)
        })
        .chain(rotated)
        .collect()
}

/// The ARN an access statement names for `part` of `to`.
fn access_target(b: &Builder, to: &Resource, part: IamPart) -> Value {
    use IamPart as Part;
    let tid = to.id.as_str();
    let logical = b.id(tid);
    let account = "arn:${AWS::Partition}:{service}:${AWS::Region}:${AWS::AccountId}";
    let sub = |service: &str, rest: String| json!({ "Fn::Sub": format!("{}{rest}", account.replace("{service}", service)) });
    match (&to.config, part) {
        (_, Part::Objects) => json!({ "Fn::Sub": format!("${{{logical}.Arn}}/*") }),
        // The table's name is generated; its keyspace, named by the export, holds it alone.
        (Config::KeyspacesTable(_), _) => sub(
            "cassandra",
            format!(
                ":/keyspace/{}/table/*",
                crate::iac::names::keyspace_name(tid)
            ),
        ),
        (_, Part::Tables) => json!({ "Fn::Sub": format!("${{{logical}.Arn}}/table/*") }),
        // A log group's `Arn` already ends in `:*`, its streams.
        // A topic's and a secret's `Ref` is their ARN (a secret has no `Arn` attribute).
        (Config::SnsTopic(_) | Config::SecretsManagerSecret(_), _) => b.r(tid),
        (Config::AthenaWorkgroup(_), _) => sub("athena", format!(":workgroup/${{{logical}}}")),
        (Config::EventBridgeBus(c), _) if c.default_bus => {
            sub("events", ":event-bus/default".into())
        }
        _ => b.att(tid, "Arn"),
    }
}

fn lambda(b: &mut Builder, r: &Resource, c: &crate::model::config::compute::LambdaFunction) {
    let id = r.id.as_str();
    let in_vpc = b.enclosing(id, Kind::Vpc).is_some();
    let triggers = b.links_to(id, LinkKind::EventTrigger, &[]);
    let mut managed = vec!["service-role/AWSLambdaBasicExecutionRole"];
    if in_vpc {
        managed.push("service-role/AWSLambdaVPCAccessExecutionRole");
    }
    if triggers.iter().any(|t| t.kind() == Kind::SqsQueue) {
        managed.push("service-role/AWSLambdaSQSQueueExecutionRole");
    }
    if triggers.iter().any(|t| t.kind() == Kind::DynamoDbTable) {
        managed.push("service-role/AWSLambdaDynamoDBExecutionRole");
    }
    let statements = access_statements(b, r);
    let role = b.role_for(r, "lambda.amazonaws.com", &managed, statements);
    let bucket = b.parameter(
        "LambdaCodeBucket",
        json!({ "Type": "String", "Description": "Bucket holding the functions' deployment packages" }),
    );
    let key = b.parameter(
        &format!("{}CodeKey", b.id(id)),
        json!({ "Type": "String", "Default": format!("{id}.zip"),
            "Description": format!("Key of {}'s deployment package", r.label()) }),
    );
    let arch = match c.architecture {
        LambdaArchitecture::X86_64 => "x86_64",
        LambdaArchitecture::Arm64 => "arm64",
    };
    let mut props = json!({ "Runtime": c.runtime, "Handler": c.handler, "Role": role,
        "Code": { "S3Bucket": bucket, "S3Key": key }, "MemorySize": c.memory_mb,
        "Timeout": c.timeout_secs, "Architectures": [arch],
        "EphemeralStorage": { "Size": c.ephemeral_storage_mb }, "Tags": b.tags(r) });
    if let Some(reserved) = c.reserved_concurrency {
        props["ReservedConcurrentExecutions"] = json!(reserved);
    }
    if in_vpc {
        let subnets = b.placement_subnets(r);
        props["VpcConfig"] = json!({ "SubnetIds": b.refs(&subnets),
            "SecurityGroupIds": b.refs(&c.security_groups) });
    }
    b.add_main(r, "AWS::Lambda::Function", props);
    if c.provisioned_concurrency > 0 {
        let version = b.derived(id, "Version");
        b.add(
            &version,
            "AWS::Lambda::Version",
            json!({ "FunctionName": b.r(id) }),
        );
        let alias = b.derived(id, "LiveAlias");
        let props = json!({ "FunctionName": b.r(id), "Name": "live",
            "FunctionVersion": { "Fn::GetAtt": [version, "Version"] },
            "ProvisionedConcurrencyConfig": { "ProvisionedConcurrentExecutions": c.provisioned_concurrency } });
        b.add(&alias, "AWS::Lambda::Alias", props);
    }
    for source in triggers {
        let sid = source.id.as_str();
        match source.kind() {
            Kind::SqsQueue | Kind::DynamoDbTable => {
                let name = b.derived(id, &format!("From{}", b.id(sid)));
                let mut props = json!({ "FunctionName": b.r(id), "BatchSize": 10 });
                if source.kind() == Kind::SqsQueue {
                    props["EventSourceArn"] = b.att(sid, "Arn");
                } else {
                    props["EventSourceArn"] = b.att(sid, "StreamArn");
                    props["StartingPosition"] = json!("LATEST");
                }
                b.add(&name, "AWS::Lambda::EventSourceMapping", props);
            }
            Kind::S3Bucket => {
                let name = b.bucket_permission(sid, id);
                let mut props = json!({ "Action": "lambda:InvokeFunction", "FunctionName": b.r(id),
                    "Principal": "s3.amazonaws.com", "SourceAccount": { "Ref": "AWS::AccountId" } });
                if let Config::S3Bucket(s) = &source.config
                    && !s.bucket_name.is_empty()
                {
                    props["SourceArn"] = json!(format!("arn:aws:s3:::{}", s.bucket_name));
                }
                b.add(&name, "AWS::Lambda::Permission", props);
            }
            Kind::SnsTopic => {
                let name = b.derived(id, &format!("From{}", b.id(sid)));
                let props = json!({ "TopicArn": b.r(sid), "Protocol": "lambda",
                    "Endpoint": b.att(id, "Arn") });
                b.add(&name, "AWS::SNS::Subscription", props);
                let permission = b.derived(id, &format!("InvokeFrom{}", b.id(sid)));
                let props = json!({ "Action": "lambda:InvokeFunction", "FunctionName": b.r(id),
                    "Principal": "sns.amazonaws.com", "SourceArn": b.r(sid) });
                b.add(&permission, "AWS::Lambda::Permission", props);
            }
            _ => {}
        }
    }
}
