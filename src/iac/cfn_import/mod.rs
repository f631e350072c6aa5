//! A CloudFormation template read as a diagram: resources mapped to kinds, containment
//! inferred (VPC ⊃ Availability Zone ⊃ subnet ⊃ instance), links from references, and a
//! readable automatic layout. Resource types the catalog has no kind for are listed.
//!
//! Templates written by this program carry the diagram's layout, actors and the links no
//! property expresses in `Metadata`; they are used when present.

mod config;
mod external;
mod infer;
mod links;
mod parse;
mod read;
mod read_compute;
mod read_data;
mod read_edge;
mod yaml;

use std::collections::{HashMap, HashSet};

use indexmap::IndexMap;
use serde_json::Value;

use super::cfn::METADATA_KEY;
use crate::model::{Diagram, Kind, ResourceId};
pub use parse::{ParseError, parse};

/// What an import made, and what it could not.
#[derive(Clone, Debug)]
pub struct Imported {
    /// The diagram.
    pub diagram: Diagram,
    /// Resources of types the catalog has no kind for, as (logical id, type).
    pub unsupported: Vec<(String, String)>,
}

/// An import that failed: which template, and why.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ImportError {
    /// A template could not be read.
    #[error("{file}: {error}")]
    Parse {
        /// The template's name.
        file: String,
        /// What is wrong with it.
        error: ParseError,
    },
    /// The templates hold nothing that makes a diagram.
    #[error("{0}")]
    Empty(String),
    /// A template's Region is not a Region code.
    #[error("{0}; name the Region with --region")]
    BadRegion(crate::model::ModelError),
}

/// The largest template read: CloudFormation itself takes templates of at most 1 MB (from
/// S3), so this leaves room for hand-written ones and refuses what no stack could be.
pub const MAX_TEMPLATE_BYTES: u64 = 8 * 1024 * 1024;

/// One resource of the templates.
#[derive(Clone, Debug)]
pub(crate) struct Res {
    pub(crate) kind: String,
    pub(crate) props: Value,
    /// The diagram's own data, when this program wrote the template.
    pub(crate) meta: Option<Value>,
    /// Region of the stack it came from.
    pub(crate) region: String,
}

impl Res {
    pub(crate) fn prop(&self, key: &str) -> &Value {
        self.props.get(key).unwrap_or(&Value::Null)
    }
}

/// Every template's resources, with cross-stack parameters resolved.
pub(crate) struct Doc {
    pub(crate) res: IndexMap<String, Res>,
    /// Diagram ids of the resources that become diagram resources.
    pub(crate) ids: HashMap<String, ResourceId>,
    /// Kinds of those resources.
    pub(crate) kinds: HashMap<String, Kind>,
    /// The diagram ids given so far, so that made-up ones (zones) stay apart.
    pub(crate) taken: HashSet<ResourceId>,
    /// Whether the templates carry this program's metadata.
    pub(crate) ours: bool,
    /// Secrets that are a user's first console password (see `first_passwords`).
    pub(crate) first_passwords: HashSet<String>,
    /// Each template's own metadata.
    pub(crate) stacks: Vec<Value>,
}

impl Doc {
    /// The diagram id of the resource `value` refers to (`Ref`, `Fn::GetAtt`, or the first
    /// resource named in a `Fn::Sub` or `Fn::Join`).
    pub(crate) fn id(&self, value: &Value) -> Option<ResourceId> {
        refs(value)
            .into_iter()
            .find_map(|logical| self.ids.get(&logical).cloned())
    }

    /// The logical id `value` refers to, whether or not it becomes a diagram resource.
    pub(crate) fn logical(&self, value: &Value) -> Option<String> {
        refs(value).into_iter().find(|l| self.res.contains_key(l))
    }

    /// Diagram ids of a list of references.
    pub(crate) fn ids_of(&self, value: &Value) -> Vec<ResourceId> {
        match value {
            Value::Array(items) => items.iter().filter_map(|v| self.id(v)).collect(),
            other => self.id(other).into_iter().collect(),
        }
    }

    /// Resources of `kind` whose property `key` refers to `logical`.
    pub(crate) fn referring<'a>(
        &'a self,
        kind: &'a str,
        key: &'a str,
        logical: &'a str,
    ) -> impl Iterator<Item = (&'a String, &'a Res)> + 'a {
        self.res
            .iter()
            .filter(move |(_, r)| r.kind == kind && refs(r.prop(key)).iter().any(|l| l == logical))
    }
}

/// Every logical id `value` refers to, in order.
pub(crate) fn refs(value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    super::cfn::collect_refs(value, &mut |target, _| {
        if !target.starts_with("AWS::") {
            out.push(target.to_string());
        }
    });
    out
}

/// One template to import, and the Region its stack runs in when the caller knows it
/// (a template does not say; this program's metadata does).
#[derive(Clone, Debug)]
pub struct Source {
    /// The template, as [`parse`] reads it.
    pub template: Value,
    /// The stack's Region; the metadata's or the default otherwise.
    pub region: Option<String>,
}

impl Source {
    /// A template whose Region its metadata gives (or the default).
    pub fn new(template: Value) -> Self {
        Source {
            template,
            region: None,
        }
    }
}

/// The Region a template's file name gives (`stack.us-west-2.yaml`), if any.
pub fn region_in_name(path: &std::path::Path) -> Option<String> {
    let stem = path.file_stem()?.to_str()?;
    let (_, last) = stem.rsplit_once('.')?;
    let parts: Vec<&str> = last.split('-').collect();
    let looks_like_region = parts.len() >= 3
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| p.chars().all(|c| c.is_ascii_lowercase()))
        && parts[parts.len() - 1].chars().all(|c| c.is_ascii_digit());
    looks_like_region.then(|| last.to_string())
}

/// Imports template files (one per Region of a design) as one diagram; a file's Region
/// comes from its name (`NAME.REGION.yaml`), else `region`, else its metadata.
pub fn import_files(
    files: &[std::path::PathBuf],
    region: Option<&str>,
) -> Result<Imported, ImportError> {
    let mut sources = Vec::new();
    for file in files {
        let name = file.display().to_string();
        let text = crate::io::read_text_capped(file, MAX_TEMPLATE_BYTES).map_err(|e| {
            let hint = match e {
                crate::io::TextReadError::Read(crate::io::ReadError::TooLarge { .. }) => {
                    " (CloudFormation itself takes templates of at most 1 MB)"
                }
                _ => "",
            };
            ImportError::Parse {
                file: name.clone(),
                error: ParseError {
                    line: None,
                    message: format!("cannot read it: {e}{hint}"),
                },
            }
        })?;
        let template = parse(&text).map_err(|error| ImportError::Parse { file: name, error })?;
        let region = region_in_name(file).or_else(|| region.map(str::to_string));
        sources.push(Source { template, region });
    }
    import(sources)
}

/// Imports one template's text; `file` names it in errors.
pub fn import_str(text: &str, file: &str) -> Result<Imported, ImportError> {
    let template = parse(text).map_err(|error| ImportError::Parse {
        file: file.to_string(),
        error,
    })?;
    import(vec![Source::new(template)])
}

/// The links the templates' references express, by diagram ids (what an import finds
/// without the metadata's help).
pub(crate) fn inferred_links(
    templates: Vec<Value>,
) -> Vec<(ResourceId, ResourceId, crate::model::LinkKind)> {
    let doc = gather(templates.into_iter().map(Source::new).collect());
    let kinds: HashMap<ResourceId, Kind> = doc
        .ids
        .iter()
        .filter_map(|(logical, id)| doc.kinds.get(logical).map(|k| (id.clone(), *k)))
        .collect();
    links::links(&doc, &kinds)
}

/// Imports templates (one per Region of a design) as one diagram.
pub fn import(templates: Vec<Source>) -> Result<Imported, ImportError> {
    for source in &templates {
        if let Some(region) = named_region(source) {
            crate::model::values::check_region_code(&region, None)
                .map_err(ImportError::BadRegion)?;
        }
    }
    let doc = gather(templates);
    if doc.res.is_empty() {
        return Err(ImportError::Empty(
            "the template has no resources to draw".into(),
        ));
    }
    let imported = infer::build(doc)?;
    // A diagram no one could open again is not written.
    if imported.diagram.len() > crate::io::MAX_RESOURCES {
        return Err(ImportError::Empty(format!(
            "the templates make {} resources, more than the {} a diagram may have; import the stacks apart",
            imported.diagram.len(),
            crate::io::MAX_RESOURCES
        )));
    }
    Ok(imported)
}

/// The Region a stack is in as its file name, `--region` or its metadata says.
fn named_region(source: &Source) -> Option<String> {
    source.region.clone().or_else(|| {
        source
            .template
            .pointer(&format!("/Metadata/{METADATA_KEY}/Region"))
            .and_then(Value::as_str)
            .map(str::to_string)
    })
}

/// The resources of every template, with references to other stacks' outputs resolved to
/// the resources behind them, and the resources that become diagram resources chosen.
/// The templates are taken apart, not copied: a large one is held once.
fn gather(sources: Vec<Source>) -> Doc {
    let outputs: HashMap<String, Value> = sources
        .iter()
        .filter_map(|s| s.template.get("Outputs").and_then(Value::as_object))
        .flat_map(|o| o.iter())
        .filter_map(|(k, v)| v.get("Value").map(|value| (k.clone(), value.clone())))
        .collect();
    let ours = sources.iter().any(|s| {
        s.template
            .pointer(&format!("/Metadata/{METADATA_KEY}"))
            .is_some()
    });
    let mut res = IndexMap::new();
    let mut stacks = Vec::new();
    for mut source in sources {
        // The resources are moved out; the rest of the template is read in place.
        let resources = source
            .template
            .as_object_mut()
            .and_then(|t| t.remove("Resources"));
        let template = &source.template;
        let mut meta = template
            .pointer(&format!("/Metadata/{METADATA_KEY}"))
            .cloned()
            .unwrap_or(serde_json::json!({}));
        let region =
            named_region(&source).unwrap_or_else(|| crate::model::DEFAULT_REGION.to_string());
        meta["Region"] = Value::String(region.clone());
        if meta.get("Description").is_none()
            && let Some(d) = template.get("Description").and_then(Value::as_str)
        {
            meta["Description"] = Value::String(d.to_string());
        }
        let parameters: HashMap<&String, Option<&Value>> = template
            .get("Parameters")
            .and_then(Value::as_object)
            .map(|p| {
                p.iter()
                    .map(|(name, spec)| (name, default_of(spec)))
                    .collect()
            })
            .unwrap_or_default();
        if let Some(kept) = meta.get("External").and_then(Value::as_array) {
            external::restore_kept_vpcs(kept, &region, &mut res);
        }
        let Some(Value::Object(resources)) = resources else {
            continue;
        };
        for (logical, mut body) in resources {
            let mut props = body
                .get_mut("Properties")
                .map(Value::take)
                .unwrap_or(Value::Null);
            resolve_parameters(&mut props, &parameters, &outputs);
            let kind = body
                .get("Type")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let meta = body
                .pointer_mut(&format!("/Metadata/{METADATA_KEY}"))
                .map(Value::take);
            res.insert(
                logical,
                Res {
                    kind,
                    props,
                    meta,
                    region: region.clone(),
                },
            );
        }
        stacks.push(meta);
    }
    external::draw_external_vpcs(&mut res);
    let first_passwords = first_passwords(&res);
    let mut doc = Doc {
        first_passwords,
        res,
        ids: HashMap::new(),
        kinds: HashMap::new(),
        taken: HashSet::new(),
        ours,
        stacks,
    };
    choose(&mut doc);
    doc
}

/// The secrets that hold a user's first console password (named in its login profile as
/// `${Secret}` inside a dynamic reference): parts of the user, not secrets of the design.
fn first_passwords(res: &IndexMap<String, Res>) -> HashSet<String> {
    res.values()
        .filter(|r| r.kind == "AWS::IAM::User")
        .flat_map(|user| refs(&user.prop("LoginProfile")["Password"]))
        .collect()
}

/// The value a parameter takes when the stack is created without one: its `Default`,
/// except for a Systems Manager parameter, whose default names where the value is read.
fn default_of(spec: &Value) -> Option<&Value> {
    let from_ssm = spec
        .get("Type")
        .and_then(Value::as_str)
        .is_some_and(|t| t.starts_with("AWS::SSM::Parameter::Value"));
    spec.get("Default").filter(|_| !from_ssm)
}

/// Replaces `{"Ref": P}` for a parameter P with the value it takes: another stack's output
/// of that name (so references cross stacks as they did in the diagram), else its default
/// (so subnets whose ranges are parameters get their own ranges, as the stack would).
fn resolve_parameters(
    value: &mut Value,
    parameters: &HashMap<&String, Option<&Value>>,
    outputs: &HashMap<String, Value>,
) {
    match value {
        Value::Object(map) => {
            if let (1, Some(Value::String(name))) = (map.len(), map.get("Ref"))
                && let Some(default) = parameters.get(name)
                && let Some(taken) = outputs.get(name).or(*default)
            {
                *value = taken.clone();
                return;
            }
            map.values_mut()
                .for_each(|v| resolve_parameters(v, parameters, outputs));
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|v| resolve_parameters(v, parameters, outputs)),
        _ => {}
    }
}

/// Chooses the resources that become diagram resources and gives them ids.
fn choose(doc: &mut Doc) {
    let mut taken: HashSet<String> = HashSet::new();
    let mut chosen = Vec::new();
    for (logical, r) in &doc.res {
        let Some(kind) = config::kind_of(doc, logical, r) else {
            continue;
        };
        let meta_id = r
            .meta
            .as_ref()
            .and_then(|m| m.get("Id"))
            .and_then(Value::as_str)
            .and_then(|id| ResourceId::new(id).ok());
        // A template of ours marks each diagram resource; the rest it derived from them.
        if doc.ours && meta_id.is_none() {
            continue;
        }
        let base = meta_id.unwrap_or_else(|| ResourceId::slug(&kebab(logical)));
        let id = fresh_id(base.as_str(), |id| taken.contains(id.as_str()));
        taken.insert(id.as_str().to_string());
        chosen.push((logical.clone(), id, kind));
    }
    for (logical, id, kind) in chosen {
        doc.taken.insert(id.clone());
        doc.ids.insert(logical.clone(), id);
        doc.kinds.insert(logical, kind);
    }
}

/// `base`, or `base-2`, `base-3`… the first that `taken` does not hold. The base is cut
/// short enough first that a suffix always fits in an id: ids that share their first 64
/// characters (as CDK makes them) still get ids of their own.
pub(crate) fn fresh_id(base: &str, taken: impl Fn(&ResourceId) -> bool) -> ResourceId {
    let first = ResourceId::slug(base);
    if !taken(&first) {
        return first;
    }
    let stem: String = first
        .as_str()
        .chars()
        .take(crate::model::MAX_ID_LEN - 8)
        .collect();
    (2u64..)
        .map(|n| ResourceId::slug(&format!("{stem}-{n}")))
        .find(|id| !taken(id))
        .unwrap_or(first)
}

/// `AppAsg` → `app-asg`.
fn kebab(logical: &str) -> String {
    let mut out = String::with_capacity(logical.len() + 4);
    let mut previous_lower = false;
    for c in logical.chars() {
        if c.is_ascii_uppercase() && previous_lower {
            out.push('-');
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        out.push(c.to_ascii_lowercase());
    }
    out
}
