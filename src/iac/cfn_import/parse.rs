//! Reading a template: JSON, or YAML with CloudFormation's short tags (`!Ref`, `!GetAtt`,
//! `!Sub`…), into one JSON value with every intrinsic in its long form.

use serde_json::Value;

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
        super::yaml::to_json(text)?
    };
    match value.get("Resources") {
        Some(Value::Object(_)) => Ok(value),
        _ => Err(ParseError {
            line: None,
            message: "this is not a CloudFormation template: it has no Resources section".into(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
