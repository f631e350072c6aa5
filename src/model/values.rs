//! Values a diagram may not hold whatever their type allows: numbers that are not finite,
//! negative where only a count, size, time or rate makes sense, or above 1 where a share is
//! meant; and Region codes that are not of AWS's form (they become parts of file names).

use super::refs::References;
use super::{Config, ModelError, ResourceId};

/// Number fields that may be negative: a step of a step scaling policy is bounded below
/// and above relative to its alarm's threshold, and the bounds may lie below it.
const SIGNED_FIELDS: &[&str] = &["lower_bound", "upper_bound"];

/// Whether `code` has the form of an AWS Region code: `us-east-1`, `eu-central-2`,
/// `us-gov-west-1`, `cn-north-1`, `us-isob-east-1` (two letters, an optional partition
/// part, a direction, a number).
pub fn is_region_code(code: &str) -> bool {
    let parts: Vec<&str> = code.split('-').collect();
    let letters = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase());
    let number = |p: &str| (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [area, direction, n] => area.len() == 2 && letters(area) && letters(direction) && number(n),
        [area, partition, direction, n] => {
            area.len() == 2
                && letters(area)
                && (*partition == "gov" || (partition.starts_with("iso") && letters(partition)))
                && letters(direction)
                && number(n)
        }
        _ => false,
    }
}

/// A Region code checked, as an error naming where it was found.
pub fn check_region_code(code: &str, id: Option<&ResourceId>) -> Result<(), ModelError> {
    if is_region_code(code) {
        Ok(())
    } else {
        Err(ModelError::BadRegionCode {
            id: id.cloned(),
            code: super::ids::shown(code),
        })
    }
}

/// The first number of `config` that makes no sense, as an error naming its field.
pub fn check_numbers(id: &ResourceId, config: &Config) -> Result<(), ModelError> {
    let mut problem = None;
    config.for_each_number(&mut String::new(), &mut |field, value| {
        if problem.is_some() {
            return;
        }
        let name = field.rsplit('.').next().unwrap_or(field);
        let why = if value.is_nan() {
            Some("is not a number")
        } else if value.is_infinite() {
            Some("is infinite")
        } else if value < 0.0 && !SIGNED_FIELDS.contains(&name) {
            Some("is negative")
        } else if value > 1.0 && (name.ends_with("_ratio") || name.ends_with("_fraction")) {
            Some("is a share and may be at most 1")
        } else if value > 24.0 && name.ends_with("_hour") {
            Some("is an hour of the day (0 to 24)")
        } else {
            None
        };
        if let Some(why) = why {
            problem = Some(ModelError::BadNumber {
                id: id.clone(),
                field: field.to_owned(),
                value,
                why,
            });
        }
    });
    problem.map_or(Ok(()), Err)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Kind;

    #[test]
    fn region_codes_follow_aws_form() {
        for good in [
            "us-east-1",
            "ap-southeast-4",
            "us-gov-west-1",
            "cn-northwest-1",
            "us-isob-east-1",
            "eu-isoe-west-1",
            "il-central-1",
        ] {
            assert!(is_region_code(good), "{good}");
        }
        for bad in [
            "x/../../escaped",
            "us-east-1/..",
            "US-EAST-1",
            "us-east",
            "useast1",
            "",
            "us-east-123",
            "u-east-1",
            "us-xyz-east-1",
        ] {
            assert!(!is_region_code(bad), "{bad}");
        }
    }

    #[test]
    fn numbers_that_make_no_sense_are_named() {
        let id = ResourceId::new("users").unwrap();
        let mut config = Config::default_for(Kind::Users);
        assert!(check_numbers(&id, &config).is_ok());
        if let Config::Users(c) = &mut config {
            c.read_fraction = 1.5;
        }
        let error = check_numbers(&id, &config).unwrap_err().to_string();
        assert!(
            error.contains("read_fraction") && error.contains("at most 1"),
            "{error}"
        );
        if let Config::Users(c) = &mut config {
            c.read_fraction = 0.5;
            c.requests_per_second = f64::NAN;
        }
        let error = check_numbers(&id, &config).unwrap_err().to_string();
        assert!(
            error.contains("requests_per_second") && error.contains("not a number"),
            "{error}"
        );
        if let Config::Users(c) = &mut config {
            c.requests_per_second = f64::INFINITY;
        }
        assert!(
            check_numbers(&id, &config)
                .unwrap_err()
                .to_string()
                .contains("infinite")
        );
    }
}
