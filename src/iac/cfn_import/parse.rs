//! Reading a template: JSON, or YAML with CloudFormation's short tags (`!Ref`, `!GetAtt`,
//! `!Sub`…), into one JSON value with every intrinsic in its long form.

use serde_json::{Map, Value, json};
use serde_norway::Value as Yaml;

/// A template that could not be read, with the line where reading stopped when known.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{}{message}", line.map(|l| format!("line {l}: ")).unwrap_or_default())]
pub struct ParseError {
    /// 1-based line of the problem, when the parser knows it.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

/// Parses `text` as a CloudFormation template in JSON or YAML.
pub fn parse(text: &str) -> Result<Value, ParseError> {
    let trimmed = text.trim_start();
    let value = if trimmed.starts_with('{') {
        serde_json::from_str::<Value>(text).map_err(|e| ParseError {
            line: Some(e.line()),
            message: e.to_string(),
        })?
    } else {
        let yaml: Yaml = serde_norway::from_str(text).map_err(|e| ParseError {
            line: e.location().map(|l| l.line()),
            message: e.to_string(),
        })?;
        from_yaml(yaml)
    };
    match value.get("Resources") {
        Some(Value::Object(_)) => Ok(value),
        _ => Err(ParseError {
            line: None,
            message: "this is not a CloudFormation template: it has no Resources section".into(),
        }),
    }
}

/// YAML to JSON, turning short tags into CloudFormation's long form.
fn from_yaml(yaml: Yaml) -> Value {
    match yaml {
        Yaml::Null => Value::Null,
        Yaml::Bool(b) => Value::Bool(b),
        Yaml::Number(n) => {
            if let Some(i) = n.as_i64() {
                json!(i)
            } else if let Some(u) = n.as_u64() {
                json!(u)
            } else {
                json!(n.as_f64().unwrap_or(0.0))
            }
        }
        Yaml::String(s) => Value::String(s),
        Yaml::Sequence(items) => Value::Array(items.into_iter().map(from_yaml).collect()),
        Yaml::Mapping(map) => {
            let mut out = Map::new();
            for (k, v) in map {
                let key = match k {
                    Yaml::String(s) => s,
                    other => serde_norway::to_string(&other)
                        .unwrap_or_default()
                        .trim()
                        .to_string(),
                };
                out.insert(key, from_yaml(v));
            }
            Value::Object(out)
        }
        Yaml::Tagged(tagged) => {
            let tag = tagged.tag.to_string();
            let name = tag.trim_start_matches('!');
            let value = from_yaml(tagged.value);
            match name {
                "Ref" => json!({ "Ref": value }),
                "Condition" => json!({ "Condition": value }),
                "GetAtt" => match value {
                    Value::String(s) => match s.split_once('.') {
                        Some((target, attribute)) => json!({ "Fn::GetAtt": [target, attribute] }),
                        None => json!({ "Fn::GetAtt": [s, ""] }),
                    },
                    other => json!({ "Fn::GetAtt": other }),
                },
                other => json!({ format!("Fn::{other}"): value }),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_tags_become_the_long_form() {
        let text = "Resources:\n  A:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: !Ref Vpc\n      Zone: !Select [0, !GetAZs '']\n      Arn: !GetAtt Bucket.Arn\n      Name: !Sub '${AWS::StackName}-a'\n";
        let v = parse(text).unwrap();
        let p = &v["Resources"]["A"]["Properties"];
        assert_eq!(p["VpcId"], json!({ "Ref": "Vpc" }));
        assert_eq!(
            p["Zone"],
            json!({ "Fn::Select": [0, { "Fn::GetAZs": "" }] })
        );
        assert_eq!(p["Arn"], json!({ "Fn::GetAtt": ["Bucket", "Arn"] }));
        assert_eq!(p["Name"], json!({ "Fn::Sub": "${AWS::StackName}-a" }));
    }

    #[test]
    fn a_region_in_the_file_name_is_found() {
        use super::super::region_in_name;
        use std::path::Path;
        assert_eq!(
            region_in_name(Path::new("dr.us-west-2.yaml")).as_deref(),
            Some("us-west-2")
        );
        assert_eq!(region_in_name(Path::new("dr.yaml")), None);
        assert_eq!(region_in_name(Path::new("my.stack.json")), None);
    }

    #[test]
    fn bad_text_names_its_line() {
        let error = parse("Resources:\n  A: [unclosed\n").unwrap_err();
        assert!(error.line.is_some(), "{error}");
        let error = parse("{\"Parameters\": {}}").unwrap_err();
        assert!(error.message.contains("no Resources"), "{error}");
    }
}
