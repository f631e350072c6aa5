//! A YAML template read into JSON in one pass, with CloudFormation's short tags (`!Ref`,
//! `!GetAtt`, `!Sub`…) in their long form, and with bounds on what reading may cost.
//!
//! Two shapes of YAML cost far more than their size: flow collections nested thousands
//! deep (the YAML scanner's work grows with the square of the depth: 200 KB took half a
//! minute) and aliases that repeat a large anchor (each use is a full copy: 197 KB grew past
//! 2.8 GB). CloudFormation itself accepts neither (its YAML has no aliases, and nesting past
//! 128 is refused by the parser), so both are refused with the line where they happen.

use std::cell::Cell;

use serde::de::{DeserializeSeed, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor};
use serde_json::{Map, Value, json};

use super::parse::ParseError;

/// Deepest flow nesting read: the YAML deserializer refuses deeper documents anyway,
/// after its scanner has spent quadratic time on them.
pub(super) const MAX_FLOW_DEPTH: usize = 128;

/// Refuses flow collections (`[…]`, `{…}`) nested deeper than [`MAX_FLOW_DEPTH`], by a
/// scan of the text that follows YAML's rules where they matter: inside a flow collection
/// every bracket counts, outside one only a bracket that starts a value does; quoted
/// scalars, comments and block scalars (`|`, `>`) hold text, not brackets.
pub(super) fn check_flow_depth(text: &str) -> Result<(), ParseError> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    // Lines more indented than this belong to a block scalar.
    let mut block_scalar: Option<usize> = None;
    for (index, line) in text.lines().enumerate() {
        let indent = line.len() - line.trim_start().len();
        if let Some(parent) = block_scalar {
            if line.trim().is_empty() || indent > parent {
                continue;
            }
            block_scalar = None;
        }
        // Whether the next character starts a value (where quotes and brackets are syntax).
        let mut at_start = true;
        // Inside a tag (`!Ref`) or an anchor (`&name`): the value starts after it.
        let mut in_tag = false;
        let mut previous = ' ';
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            if let Some(q) = quote {
                match c {
                    '\\' if q == '"' => {
                        chars.next();
                    }
                    '\'' if q == '\'' && chars.peek() == Some(&'\'') => {
                        chars.next();
                    }
                    c if c == q => quote = None,
                    _ => {}
                }
                previous = c;
                continue;
            }
            if in_tag {
                if c == ' ' {
                    in_tag = false;
                    at_start = true;
                }
                previous = c;
                continue;
            }
            match c {
                '#' if previous == ' ' || previous == '\t' => break,
                '"' | '\'' if at_start => quote = Some(c),
                '[' | '{' if at_start || depth > 0 => {
                    depth += 1;
                    if depth > MAX_FLOW_DEPTH {
                        return Err(ParseError {
                            line: Some(index + 1),
                            message: format!(
                                "lists and maps are nested more than {MAX_FLOW_DEPTH} deep here; no template needs that (CloudFormation refuses it too)"
                            ),
                        });
                    }
                }
                ']' | '}' if depth > 0 => depth -= 1,
                '|' | '>' if at_start && depth == 0 => {
                    block_scalar = Some(indent);
                    break;
                }
                '!' | '&' if at_start => in_tag = true,
                _ => {}
            }
            at_start = match c {
                // After `key: `, `- ` or `? ` a value may start; spaces keep a start.
                ' ' | '\t' => at_start || matches!(previous, ':' | '-' | '?'),
                // Inside a flow collection, after an opening bracket or a comma.
                '[' | '{' | ',' => depth > 0,
                _ => false,
            };
            previous = c;
        }
    }
    Ok(())
}

/// `text` as JSON. Without aliases every value takes at least one character of the text,
/// so more values than characters means aliases repeating anchors; reading stops as soon as
/// the count passes that.
pub(super) fn to_json(text: &str) -> Result<Value, ParseError> {
    check_flow_depth(text)?;
    let budget = Cell::new(text.len() as u64 + 64);
    let deserializer = serde_norway::Deserializer::from_str(text);
    (Builder { left: &budget })
        .deserialize(deserializer)
        .map_err(|e| {
            let expands = e.to_string().contains(EXPANDS);
            ParseError {
                line: e.location().map(|l| l.line()),
                message: if expands {
                    format!(
                        "{EXPANDS}: its aliases (*name) repeat anchors (&name) over and over. CloudFormation's YAML has no aliases; write the values out"
                    )
                } else {
                    e.to_string()
                },
            }
        })
}

const EXPANDS: &str = "the template expands to more than it holds";

/// Builds JSON from YAML, counting the values down from a budget and failing when it is
/// spent.
#[derive(Clone, Copy)]
struct Builder<'a> {
    left: &'a Cell<u64>,
}

impl Builder<'_> {
    fn spend<E: serde::de::Error>(self, value: Value) -> Result<Value, E> {
        match self.left.get().checked_sub(1) {
            Some(left) => {
                self.left.set(left);
                Ok(value)
            }
            None => Err(E::custom(EXPANDS)),
        }
    }
}

impl<'de> DeserializeSeed<'de> for Builder<'_> {
    type Value = Value;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

/// A mapping key as text: YAML allows numbers and other values as keys, JSON does not.
fn key_text(key: Value) -> String {
    match key {
        Value::String(s) => s,
        other => other.to_string(),
    }
}

impl<'de> Visitor<'de> for Builder<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a YAML value")
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Value, E> {
        self.spend(Value::Bool(v))
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Value, E> {
        self.spend(json!(v))
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Value, E> {
        self.spend(json!(v))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Value, E> {
        // JSON has no NaN or infinity; YAML's `.nan` and `.inf` read as 0 as before.
        self.spend(json!(if v.is_finite() { v } else { 0.0 }))
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Value, E> {
        self.spend(Value::String(v.to_owned()))
    }
    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Value, E> {
        self.spend(Value::String(v))
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<Value, E> {
        self.spend(Value::Null)
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<Value, E> {
        self.spend(Value::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self)? {
            items.push(item);
        }
        self.spend(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key_seed(self)? {
            let key = key_text(key);
            let value = map.next_value_seed(self)?;
            if out.contains_key(&key) {
                return Err(serde::de::Error::custom(format!(
                    "duplicate entry with key \"{key}\""
                )));
            }
            out.insert(key, value);
        }
        self.spend(Value::Object(out))
    }
    /// A tagged value (`!Ref x`), in CloudFormation's long form.
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        let (tag, variant): (String, _) = data.variant()?;
        let value = variant.newtype_variant_seed(self)?;
        let long = match tag.trim_start_matches('!') {
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
        };
        self.spend(long)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(depth: usize) -> String {
        format!(
            "Resources:\n  A:\n    Type: AWS::SQS::Queue\n    Properties:\n      X: {}{}\n",
            "[".repeat(depth),
            "]".repeat(depth)
        )
    }

    #[test]
    fn deep_flow_nesting_is_refused_at_its_line_and_ordinary_text_is_not() {
        assert!(check_flow_depth(&nested(MAX_FLOW_DEPTH)).is_ok());
        let error = check_flow_depth(&nested(MAX_FLOW_DEPTH + 1)).unwrap_err();
        assert_eq!(error.line, Some(5));
        // Brackets in text are not nesting: plain values, quotes, comments, block text.
        let many = "[".repeat(300);
        let text = format!(
            "Resources:\n  A:\n    Type: AWS::SQS::Queue # {many}\n    Properties:\n      Description: see {many}\n      Q: \"{many}\"\n      S: '{many}'\n      F: [a, \"{many}\", '{many}']\n      B: |\n        {many}\n        {many}\n      C: ok\n"
        );
        assert!(
            check_flow_depth(&text).is_ok(),
            "{:?}",
            check_flow_depth(&text)
        );
        // Quotes in the middle of a plain value start nothing.
        let text = format!(
            "Resources:\n  A: {{X: it's}}\n  B: {}{}\n",
            "[".repeat(200),
            "]".repeat(200)
        );
        assert!(check_flow_depth(&text).is_err());
    }

    #[test]
    fn aliases_that_repeat_a_large_anchor_are_refused_and_a_few_are_not() {
        let anchor: String = (0..200)
            .map(|i| format!("      K{i}: value-{i}\n"))
            .collect();
        let uses = |n: usize| -> String {
            let mut text = format!(
                "Resources:\n  Base: &base\n    Type: AWS::SQS::Queue\n    Properties:\n{anchor}"
            );
            for i in 0..n {
                text.push_str(&format!("  Q{i}: *base\n"));
            }
            text
        };
        let read = to_json(&uses(2)).unwrap();
        assert_eq!(
            read["Resources"]["Q1"], read["Resources"]["Base"],
            "an alias is a copy"
        );
        let error = to_json(&uses(400)).unwrap_err();
        assert!(error.message.contains("aliases"), "{error}");
    }
}
