//! One template's parts while building, the finished template, and the references between
//! stacks of different Regions.

use indexmap::IndexMap;
use serde::Serialize;
use serde_json::{Value, json};

use super::METADATA_KEY;
use crate::model::ResourceId;

/// A resource of a template.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Entry {
    /// The CloudFormation type, such as `AWS::EC2::VPC`.
    #[serde(rename = "Type")]
    pub kind: String,
    /// Resources that must exist first although no property refers to them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<String>,
    /// What happens to the resource's data when the stack deletes it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deletion_policy: Option<String>,
    /// What happens to it when an update replaces it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub update_replace_policy: Option<String>,
    /// The diagram's own data: the resource's id, name and place on the canvas.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
    /// The resource's properties.
    pub properties: Value,
}

impl Entry {
    pub(crate) fn new(kind: &str, properties: Value) -> Self {
        Entry {
            kind: kind.to_string(),
            depends_on: Vec::new(),
            deletion_policy: None,
            update_replace_policy: None,
            metadata: None,
            properties,
        }
    }

    /// Keeps a snapshot of the data when the resource is deleted or replaced.
    pub(crate) fn snapshot_on_delete(&mut self) -> &mut Self {
        self.deletion_policy = Some("Snapshot".into());
        self.update_replace_policy = Some("Snapshot".into());
        self
    }

    /// Keeps the resource itself when the stack deletes or replaces it.
    pub(crate) fn retain_on_delete(&mut self) -> &mut Self {
        self.deletion_policy = Some("Retain".into());
        self.update_replace_policy = Some("Retain".into());
        self
    }

    pub(crate) fn depends_on(&mut self, logical: impl Into<String>) -> &mut Self {
        let logical = logical.into();
        if !self.depends_on.contains(&logical) {
            self.depends_on.push(logical);
        }
        self
    }
}

/// A stack while it is built.
#[derive(Debug, Default)]
pub(crate) struct Build {
    pub(crate) parameters: IndexMap<String, Value>,
    pub(crate) resources: IndexMap<String, Entry>,
    pub(crate) outputs: IndexMap<String, Value>,
    pub(crate) layout: IndexMap<ResourceId, Value>,
    /// Actors of the diagram (users, data centers), kept for the import.
    pub(crate) actors: Vec<Value>,
    /// The diagram's Regions and Availability Zones in this stack, kept for the import.
    pub(crate) containers: Vec<Value>,
    /// VPCs made elsewhere whose ids are parameters: their layout, logical id and range,
    /// kept for the import.
    pub(crate) external: Vec<Value>,
}

/// A CloudFormation template.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Template {
    /// Always `2010-09-09`, the only version.
    #[serde(rename = "AWSTemplateFormatVersion")]
    pub format_version: String,
    /// What the stack is.
    #[serde(rename = "Description")]
    pub description: String,
    /// The diagram's own data.
    #[serde(rename = "Metadata")]
    pub metadata: Value,
    /// Inputs given when the stack is created.
    #[serde(rename = "Parameters", skip_serializing_if = "IndexMap::is_empty")]
    pub parameters: IndexMap<String, Value>,
    /// The resources.
    #[serde(rename = "Resources")]
    pub resources: IndexMap<String, Entry>,
    /// Values other stacks read.
    #[serde(rename = "Outputs", skip_serializing_if = "IndexMap::is_empty")]
    pub outputs: IndexMap<String, Value>,
}

impl Template {
    /// The template as indented JSON.
    pub fn to_json(&self) -> String {
        // A template is maps of strings, numbers and lists, which always serialize.
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }

    /// The template as YAML (intrinsic functions in their long form, `Fn::GetAtt:`).
    pub fn to_yaml(&self) -> String {
        serde_norway::to_string(self).unwrap_or_default()
    }

    /// Every CloudFormation type the template uses, once each.
    pub fn types(&self) -> Vec<&str> {
        let mut types: Vec<&str> = self.resources.values().map(|e| e.kind.as_str()).collect();
        types.sort_unstable();
        types.dedup();
        types
    }
}

/// Finishes the stacks: references to another stack's resources become parameters here
/// and exported outputs there.
pub(crate) fn cross_stack(
    mut builds: IndexMap<String, Build>,
    name: &str,
    description: &str,
) -> IndexMap<String, Template> {
    let regions: Vec<String> = builds.keys().cloned().collect();
    let owner = |builds: &IndexMap<String, Build>, logical: &str| -> Option<String> {
        builds
            .iter()
            .find(|(_, b)| b.resources.contains_key(logical))
            .map(|(region, _)| region.clone())
    };
    for region in &regions {
        let mut foreign: Vec<(String, Option<String>)> = Vec::new();
        for entry in builds[region].resources.values() {
            collect_refs(&entry.properties, &mut |logical, attribute| {
                let local = builds[region].resources.contains_key(logical)
                    || builds[region].parameters.contains_key(logical)
                    || logical.starts_with("AWS::");
                let pair = (logical.to_string(), attribute.map(str::to_string));
                if !local && !foreign.contains(&pair) {
                    foreign.push(pair);
                }
            });
        }
        for (logical, attribute) in foreign {
            let Some(other) = owner(&builds, &logical) else {
                continue; // Unknown everywhere: left for the linter to name.
            };
            let key = format!(
                "{logical}{}",
                attribute.as_deref().unwrap_or("").replace('.', "")
            );
            let value = match &attribute {
                Some(a) => json!({ "Fn::GetAtt": [logical, a] }),
                None => json!({ "Ref": logical }),
            };
            builds[other.as_str()].outputs.insert(
                key.clone(),
                json!({ "Value": value,
                    "Export": { "Name": { "Fn::Sub": format!("${{AWS::StackName}}-{key}") } } }),
            );
            builds[region.as_str()].parameters.insert(
                key.clone(),
                json!({ "Type": "String",
                    "Description": format!("Output {key} of the {other} stack") }),
            );
            let build = &mut builds[region.as_str()];
            for entry in build.resources.values_mut() {
                replace_ref(&mut entry.properties, &logical, attribute.as_deref(), &key);
            }
        }
    }
    // An order to wait for a resource of another stack cannot be kept; references are.
    for build in builds.values_mut() {
        let local: Vec<String> = build.resources.keys().cloned().collect();
        for entry in build.resources.values_mut() {
            entry.depends_on.retain(|d| local.contains(d));
        }
    }
    let count = builds.len();
    builds
        .into_iter()
        .map(|(region, build)| {
            let mut metadata = json!({ METADATA_KEY: { "Diagram": name, "Region": region } });
            if !build.containers.is_empty() {
                metadata[METADATA_KEY]["Containers"] = Value::Array(build.containers);
            }
            if !build.actors.is_empty() {
                metadata[METADATA_KEY]["Actors"] = Value::Array(build.actors);
            }
            if !build.external.is_empty() {
                metadata[METADATA_KEY]["External"] = Value::Array(build.external);
            }
            let description = if count > 1 {
                format!("{description} (the {region} stack)")
            } else {
                description.to_string()
            };
            let template = Template {
                format_version: "2010-09-09".into(),
                description: truncate(&description, 1024),
                metadata,
                parameters: build.parameters,
                resources: build.resources,
                outputs: build.outputs,
            };
            (region, template)
        })
        .collect()
}

/// Text cut to at most `max` bytes on a character boundary (template descriptions are
/// limited to 1,024 bytes).
pub(crate) fn truncate(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut end = max - 3;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &text[..end])
}

/// Calls `f` on every `Ref` and `Fn::GetAtt` in `value`, and on `${X}` and `${X.Attr}` in
/// `Fn::Sub` strings.
pub(crate) fn collect_refs(value: &Value, f: &mut dyn FnMut(&str, Option<&str>)) {
    match value {
        Value::Object(map) => {
            if let (1, Some(Value::String(target))) = (map.len(), map.get("Ref")) {
                f(target, None);
            }
            if let (1, Some(Value::Array(pair))) = (map.len(), map.get("Fn::GetAtt"))
                && let [Value::String(target), Value::String(attribute)] = pair.as_slice()
            {
                f(target, Some(attribute));
            }
            if let (1, Some(sub)) = (map.len(), map.get("Fn::Sub")) {
                let text = match sub {
                    Value::String(s) => Some(s.as_str()),
                    Value::Array(parts) => parts.first().and_then(Value::as_str),
                    _ => None,
                };
                for (target, attribute) in sub_variables(text.unwrap_or("")) {
                    f(target, attribute);
                }
            }
            map.values().for_each(|v| collect_refs(v, f));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, f)),
        _ => {}
    }
}

/// The `${Name}` and `${Name.Attribute}` variables of a `Fn::Sub` string.
pub(crate) fn sub_variables(text: &str) -> Vec<(&str, Option<&str>)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else { break };
        let var = &after[..end];
        if !var.starts_with('!') {
            match var.split_once('.') {
                Some((target, attribute)) => out.push((target, Some(attribute))),
                None => out.push((var, None)),
            }
        }
        rest = &after[end + 1..];
    }
    out
}

/// Replaces references to `logical` (its `attribute`) with `{"Ref": parameter}`.
fn replace_ref(value: &mut Value, logical: &str, attribute: Option<&str>, parameter: &str) {
    match value {
        Value::Object(map) => {
            let matches = match attribute {
                None => map.len() == 1 && map.get("Ref").and_then(Value::as_str) == Some(logical),
                Some(a) => map.len() == 1 && map.get("Fn::GetAtt") == Some(&json!([logical, a])),
            };
            if matches {
                *value = json!({ "Ref": parameter });
                return;
            }
            if let Some(Value::String(text)) = map.get_mut("Fn::Sub") {
                let var = match attribute {
                    Some(a) => format!("${{{logical}.{a}}}"),
                    None => format!("${{{logical}}}"),
                };
                *text = text.replace(&var, &format!("${{{parameter}}}"));
            }
            map.values_mut()
                .for_each(|v| replace_ref(v, logical, attribute, parameter));
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|v| replace_ref(v, logical, attribute, parameter)),
        _ => {}
    }
}
