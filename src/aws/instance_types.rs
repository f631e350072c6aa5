//! EC2 instance types: specifications and on-demand price in us-east-1.

use std::sync::OnceLock;

use serde::Deserialize;

const EC2_TYPES_CSV: &str = include_str!("data/ec2_us-east-1_specs_ondemand_2026-07.csv");
const BURSTABLE_CSV: &str = include_str!("data/ec2_burstable_baselines.csv");

/// How a burstable (T-family) instance type earns and spends CPU credits.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Burstable {
    /// Share of each vCPU it may use without spending credits.
    pub baseline_per_vcpu: f64,
    /// Credits each vCPU starts with when launched in standard mode.
    pub launch_credits_per_vcpu: f64,
}

/// The credit figures of burstable type `name`; none for a type that does not burst.
pub fn burstable(name: &str) -> Option<Burstable> {
    #[derive(Deserialize)]
    struct Row {
        instance_type: String,
        baseline_per_vcpu: f64,
        launch_credits_per_vcpu: f64,
    }
    static ROWS: OnceLock<Vec<Row>> = OnceLock::new();
    ROWS.get_or_init(|| {
        csv::Reader::from_reader(BURSTABLE_CSV.as_bytes())
            .deserialize()
            .filter_map(Result::ok)
            .collect()
    })
    .iter()
    .find(|r| r.instance_type == name)
    .map(|r| Burstable {
        baseline_per_vcpu: r.baseline_per_vcpu,
        launch_credits_per_vcpu: r.launch_credits_per_vcpu,
    })
}

/// One EC2 instance type.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct InstanceType {
    /// Name, such as `m5.large`.
    pub instance_type: String,
    /// Family, such as `m5`.
    pub family: String,
    /// Processor architecture (`amd64` is x86_64, or `arm64`).
    pub arch: String,
    /// Virtual CPUs.
    pub vcpu: u32,
    /// Memory in GiB.
    pub memory_gib: f64,
    /// GPUs.
    pub gpu_count: u32,
    /// Local NVMe instance storage in GiB, if any.
    pub local_nvme_gib: Option<f64>,
    /// Baseline network bandwidth in Mbps.
    pub network_bandwidth_mbps: Option<f64>,
    /// On-demand Linux price per hour in us-east-1; none where AWS publishes none.
    #[serde(rename = "ondemand_linux_usd_per_hour")]
    pub ondemand_usd_per_hour: Option<f64>,
}

impl InstanceType {
    /// A one-line description: "2 vCPU · 8 GiB · $0.096/h".
    pub fn summary(&self) -> String {
        let price = self
            .ondemand_usd_per_hour
            .map_or("no list price".to_owned(), |p| format!("${p}/h"));
        let gpu = if self.gpu_count > 0 {
            format!(" · {} GPU", self.gpu_count)
        } else {
            String::new()
        };
        format!(
            "{} vCPU · {} GiB{gpu} · {price}",
            self.vcpu,
            trim_float(self.memory_gib)
        )
    }
}

fn trim_float(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value}")
    }
}

/// Every EC2 instance type, sorted by name, parsed on first use.
pub fn ec2_instance_types() -> &'static [InstanceType] {
    static TYPES: OnceLock<Vec<InstanceType>> = OnceLock::new();
    TYPES.get_or_init(|| {
        let mut types: Vec<InstanceType> = csv::Reader::from_reader(EC2_TYPES_CSV.as_bytes())
            .deserialize()
            .filter_map(Result::ok)
            .collect();
        types.sort_by_cached_key(|t| natural_key(&t.instance_type));
        types
    })
}

/// The type called `name`.
pub fn ec2_instance_type(name: &str) -> Option<&'static InstanceType> {
    static INDEX: OnceLock<std::collections::HashMap<&'static str, usize>> = OnceLock::new();
    let types = ec2_instance_types();
    let index = INDEX.get_or_init(|| {
        types
            .iter()
            .enumerate()
            .map(|(i, t)| (t.instance_type.as_str(), i))
            .collect()
    });
    index.get(name).map(|&i| &types[i])
}

/// Sorts `m5.large` before `m5.xlarge` before `m5.2xlarge`: family, then size by scale.
fn natural_key(name: &str) -> (String, u32, String) {
    let (family, size) = name.split_once('.').unwrap_or((name, ""));
    let rank = match size {
        "nano" => 0,
        "micro" => 1,
        "small" => 2,
        "medium" => 3,
        "large" => 4,
        "xlarge" => 5,
        s if s.ends_with("xlarge") => 5 + s.trim_end_matches("xlarge").parse::<u32>().unwrap_or(0),
        _ => 1000,
    };
    (family.to_owned(), rank, size.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_loads_whole_with_the_documented_prices() {
        let types = ec2_instance_types();
        assert_eq!(types.len(), 1363, "every row parses");
        for (name, price) in [
            ("t3.micro", 0.0104),
            ("m5.large", 0.096),
            ("m7g.large", 0.0816),
            ("c7g.large", 0.0725),
            ("t4g.micro", 0.0084),
        ] {
            assert_eq!(
                ec2_instance_type(name).unwrap().ondemand_usd_per_hour,
                Some(price),
                "{name}"
            );
        }
        let m5 = ec2_instance_type("m5.large").unwrap();
        assert_eq!((m5.vcpu, m5.memory_gib), (2, 8.0));
        assert_eq!(m5.summary(), "2 vCPU · 8 GiB · $0.096/h");
        assert!(
            types.iter().any(|t| t.ondemand_usd_per_hour.is_none()),
            "missing prices stay missing, never $0"
        );
    }

    #[test]
    fn sizes_sort_by_scale() {
        let names: Vec<&str> = ec2_instance_types()
            .iter()
            .filter(|t| t.family == "m5")
            .map(|t| t.instance_type.as_str())
            .collect();
        let large = names.iter().position(|n| *n == "m5.large").unwrap();
        let xlarge = names.iter().position(|n| *n == "m5.xlarge").unwrap();
        let two = names.iter().position(|n| *n == "m5.2xlarge").unwrap();
        let twelve = names.iter().position(|n| *n == "m5.12xlarge").unwrap();
        assert!(large < xlarge && xlarge < two && two < twelve, "{names:?}");
    }
}
