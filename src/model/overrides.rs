//! `--set RESOURCE_ID.FIELD=VALUE` overrides, applied after loading a diagram.
//!
//! The field path may go into nested settings and lists (`alb.health_check.interval_secs`,
//! `alb.listeners.0.port`). The value is read as JSON when it parses as JSON (numbers,
//! `true`, `null`, `"text"`, lists) and as plain text otherwise, so `db.engine=PostgreSql`
//! and `web.instance_type=m5.large` need no quotes. The new configuration is type-checked
//! against the kind's struct and the diagram's invariants before anything changes.

use std::str::FromStr;

use serde_json::Value;

use crate::model::{Config, Diagram, ModelError, ResourceId};

/// One `TARGET=VALUE` override.
#[derive(Clone, Debug, PartialEq)]
pub struct Override {
    /// `RESOURCE_ID.FIELD[.FIELD…]`, or a diagram field: `name`, `description`, `region`.
    pub target: String,
    /// The new value as written.
    pub value: String,
}

impl FromStr for Override {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.split_once('=') {
            Some((target, value)) if !target.trim().is_empty() => Ok(Override {
                target: target.trim().to_owned(),
                value: value.to_owned(),
            }),
            _ => Err(format!(
                "`{text}` is not RESOURCE_ID.FIELD=VALUE (for example web-asg.max_size=8)"
            )),
        }
    }
}

/// Why an override could not be applied. The diagram is unchanged for that override.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum OverrideError {
    /// No resource has the id the target starts with.
    #[error("--set {target}: there is no resource `{id}`{}", suggestion(.closest))]
    UnknownResource {
        /// The override's target.
        target: String,
        /// The id as written.
        id: String,
        /// The closest existing id, if any is close.
        closest: Option<String>,
    },
    /// The target names a resource but no field.
    #[error("--set {target}: name a field after the id, such as `{target}.name`")]
    MissingField {
        /// The override's target.
        target: String,
    },
    /// A field on the path does not exist.
    #[error("--set {target}: `{field}` is not a setting of {owner}; settings are: {}", .known.join(", "))]
    UnknownField {
        /// The override's target.
        target: String,
        /// The unknown field.
        field: String,
        /// What the field was looked up in.
        owner: String,
        /// The fields that exist there.
        known: Vec<String>,
    },
    /// The value does not fit the field's type.
    #[error("--set {target}={value}: {reason}")]
    BadValue {
        /// The override's target.
        target: String,
        /// The value as written.
        value: String,
        /// What the field expects.
        reason: String,
    },
    /// The new value breaks a model invariant.
    #[error("--set {target}: {source}")]
    Invalid {
        /// The override's target.
        target: String,
        /// The broken invariant.
        source: ModelError,
    },
}

fn suggestion(closest: &Option<String>) -> String {
    closest
        .as_ref()
        .map(|c| format!("; did you mean `{c}`?"))
        .unwrap_or_default()
}

/// Applies overrides in order; stops at the first that fails.
pub fn apply_all(diagram: &mut Diagram, overrides: &[Override]) -> Result<(), OverrideError> {
    overrides.iter().try_for_each(|o| apply(diagram, o))
}

/// Applies one override.
pub fn apply(diagram: &mut Diagram, item: &Override) -> Result<(), OverrideError> {
    let target = item.target.as_str();
    if target == "region" {
        crate::model::values::check_region_code(&item.value, None)
            .map_err(|source| invalid(target, source))?;
    }
    let diagram_field = match target {
        "name" => Some(&mut diagram.name),
        "description" => Some(&mut diagram.description),
        "region" => Some(&mut diagram.region),
        _ => None,
    };
    if let Some(field) = diagram_field {
        field.clone_from(&item.value);
        return Ok(());
    }
    let (id, path) = split_target(diagram, target)?;
    let id = ResourceId::new(id).map_err(|_| unknown_resource(diagram, target, id))?;
    let resource = diagram
        .resource(id.as_str())
        .ok_or_else(|| unknown_resource(diagram, target, id.as_str()))?;
    let fields: Vec<&str> = path.split('.').collect();
    if fields == ["name"] {
        return diagram
            .set_name(&id, item.value.clone())
            .map_err(|source| invalid(target, source));
    }
    let kind = resource.kind();
    let mut json = resource.config.to_json();
    let slot = walk(&mut json, &fields, target, kind.name())?;
    *slot = parse_value(&item.value);
    let config = Config::from_json(kind, json).map_err(|e| OverrideError::BadValue {
        target: target.to_owned(),
        value: crate::model::text::shortened(&item.value, 80),
        reason: crate::model::text::shortened(&plain_serde_message(&e.to_string()), 300),
    })?;
    diagram
        .set_config(&id, config)
        .map_err(|source| invalid(target, source))
}

fn invalid(target: &str, source: ModelError) -> OverrideError {
    OverrideError::Invalid {
        target: target.to_owned(),
        source,
    }
}

/// Splits `id.field.path` where the id itself may contain dots: the longest prefix that
/// is an existing id wins.
fn split_target<'a>(
    diagram: &Diagram,
    target: &'a str,
) -> Result<(&'a str, &'a str), OverrideError> {
    let dots: Vec<usize> = target.match_indices('.').map(|(i, _)| i).collect();
    for &dot in dots.iter().rev() {
        if diagram.contains(&target[..dot]) {
            return Ok((&target[..dot], &target[dot + 1..]));
        }
    }
    if diagram.contains(target) {
        return Err(OverrideError::MissingField {
            target: target.to_owned(),
        });
    }
    let id = dots.first().map_or(target, |&dot| &target[..dot]);
    Err(unknown_resource(diagram, target, id))
}

fn unknown_resource(diagram: &Diagram, target: &str, id: &str) -> OverrideError {
    let closest = diagram
        .resources()
        .map(|r| (strsim::jaro_winkler(id, r.id.as_str()), r.id.as_str()))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, name)| name.to_owned());
    OverrideError::UnknownResource {
        target: target.to_owned(),
        id: id.to_owned(),
        closest,
    }
}

/// Follows `fields` into `json`, returning the slot to replace.
fn walk<'v>(
    json: &'v mut Value,
    fields: &[&str],
    target: &str,
    kind: &str,
) -> Result<&'v mut Value, OverrideError> {
    let mut current = json;
    let mut owner = kind.to_owned();
    for field in fields {
        let unknown = |known: Vec<String>| OverrideError::UnknownField {
            target: target.to_owned(),
            field: (*field).to_owned(),
            owner: owner.clone(),
            known,
        };
        current = match current {
            Value::Object(map) => {
                if !map.contains_key(*field) {
                    return Err(unknown(map.keys().cloned().collect()));
                }
                map.get_mut(*field).ok_or_else(|| unknown(Vec::new()))?
            }
            Value::Array(items) => {
                let len = items.len();
                let index = field.parse::<usize>().ok().filter(|i| *i < len);
                let known = vec![if len == 0 {
                    "none (the list is empty)".into()
                } else {
                    format!("0 to {}", len - 1)
                }];
                let index = index.ok_or_else(|| unknown(known))?;
                &mut items[index]
            }
            _ => return Err(unknown(vec!["none (it is a single value)".into()])),
        };
        owner = format!("{owner}.{field}");
    }
    Ok(current)
}

/// Reads a value as JSON when it is JSON, else as text; `none` clears an optional field.
fn parse_value(text: &str) -> Value {
    let trimmed = text.trim();
    if matches!(trimmed, "none" | "None") {
        return Value::Null;
    }
    serde_json::from_str(trimmed).unwrap_or_else(|_| Value::String(text.to_owned()))
}

fn plain_serde_message(message: &str) -> String {
    message
        .replace("invalid type: ", "wrong type: got ")
        .replace("expected u32", "expected a whole number")
        .replace("expected u16", "expected a whole number up to 65535")
        .replace("expected u8", "expected a whole number up to 255")
        .replace("expected i32", "expected a whole number")
        .replace("expected f64", "expected a number")
        .replace("expected a boolean", "expected true or false")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Kind;

    fn employee_directory() -> Diagram {
        crate::library::templates::find("employee-directory")
            .unwrap()
            .load()
            .unwrap()
    }

    fn set(d: &mut Diagram, text: &str) -> Result<(), OverrideError> {
        apply(d, &text.parse().unwrap())
    }

    #[test]
    fn sets_numbers_booleans_enums_text_and_nested_fields() {
        let mut d = employee_directory();
        set(&mut d, "app-asg.max_size=8").unwrap();
        set(&mut d, "app-asg.health_check_type=Ec2").unwrap();
        set(&mut d, "alb.health_check.interval_secs=10").unwrap();
        set(&mut d, "alb.listeners.0.port=8080").unwrap();
        set(&mut d, "app-lt.instance_type=m5.large").unwrap();
        set(&mut d, "photos.block_public_access=false").unwrap();
        set(&mut d, "app-asg.default_instance_warmup_secs=120").unwrap();
        set(&mut d, "app-asg.default_instance_warmup_secs=none").unwrap();
        set(&mut d, "alb.name=Front door").unwrap();
        set(&mut d, "region=eu-west-1").unwrap();
        let Config::AutoScalingGroup(asg) = &d.resource("app-asg").unwrap().config else {
            panic!()
        };
        assert_eq!((asg.max_size, asg.default_instance_warmup_secs), (8, None));
        let Config::ApplicationLoadBalancer(alb) = &d.resource("alb").unwrap().config else {
            panic!()
        };
        assert_eq!(
            (alb.health_check.interval_secs, alb.listeners[0].port),
            (10, 8080)
        );
        assert_eq!(d.resource("alb").unwrap().name, "Front door");
        assert_eq!(d.region, "eu-west-1");
    }

    #[test]
    fn errors_name_the_problem_and_change_nothing() {
        let mut d = employee_directory();
        let before = d.clone();
        let err = set(&mut d, "app-asgg.max_size=8").unwrap_err();
        assert!(err.to_string().contains("did you mean `app-asg`?"), "{err}");
        let err = set(&mut d, "app-asg.max=8").unwrap_err();
        assert!(matches!(err, OverrideError::UnknownField { .. }));
        assert!(
            err.to_string().contains("max_size"),
            "lists the real fields: {err}"
        );
        let err = set(&mut d, "app-asg.max_size=lots").unwrap_err();
        assert!(err.to_string().contains("expected a whole number"), "{err}");
        let err = set(&mut d, "app-asg.health_check_type=Sometimes").unwrap_err();
        assert!(err.to_string().contains("Sometimes"), "{err}");
        let err = set(&mut d, "alb.listeners.5.port=1").unwrap_err();
        assert!(err.to_string().contains("0 to 1"), "{err}");
        let err = set(&mut d, "app-asg.subnets=[\"nowhere\"]").unwrap_err();
        assert!(matches!(err, OverrideError::Invalid { .. }), "{err}");
        let err = set(&mut d, "app-asg=3").unwrap_err();
        assert!(matches!(err, OverrideError::MissingField { .. }), "{err}");
        assert!("no-equals-sign".parse::<Override>().is_err());
        assert_eq!(d, before);
    }

    #[test]
    fn ids_with_dots_resolve_to_the_longest_existing_id() {
        let mut d = Diagram::new("dots");
        d.add(crate::model::Resource::new(
            ResourceId::new("db.primary").unwrap(),
            Kind::Region,
        ))
        .unwrap();
        set(&mut d, "db.primary.code=eu-central-1").unwrap();
        let Config::Region(region) = &d.resource("db.primary").unwrap().config else {
            panic!()
        };
        assert_eq!(region.code, "eu-central-1");
    }
}
