//! Editors for configuration fields, chosen by each field's reflected shape. They edit a
//! JSON copy of the configuration; the caller checks it against the kind's type.

use serde_json::{Value, json};

use super::{candidates, gesture_on_focus};
use crate::editor::commands::Command;
use crate::model::config::reference_kind;
use crate::model::shape::{Field, Shape};
use crate::model::{Diagram, ResourceId};

/// Editors for every field of a struct; returns whether anything changed.
pub fn struct_ui(
    ui: &mut egui::Ui,
    shape: &Shape,
    value: &mut Value,
    diagram: &Diagram,
    own: &ResourceId,
    out: &mut Vec<Command>,
) -> bool {
    let mut changed = false;
    let Some(object) = value.as_object_mut() else {
        return false;
    };
    egui::Grid::new(ui.next_auto_id()).num_columns(2).spacing([8.0, 6.0]).striped(true).show(ui, |ui| {
        for field in shape.fields() {
            let Some(slot) = object.get_mut(field.name) else { continue };
            let label = ui.label(readable(field.name)).on_hover_text(help(field));
            let inline = matches!(field.shape, Shape::Bool | Shape::Integer { .. } | Shape::Number | Shape::Text | Shape::Choice(_) | Shape::Reference)
                || matches!(&field.shape, Shape::Optional(inner) if matches!(**inner, Shape::Bool | Shape::Integer { .. } | Shape::Number | Shape::Text | Shape::Choice(_) | Shape::Reference));
            if inline {
                ui.vertical(|ui| {
                    changed |= value_ui(ui, field, &field.shape, slot, diagram, own, out, &label);
                });
                ui.end_row();
            } else {
                ui.end_row();
                // Lists and nested settings take the full width under their label.
                ui.label("");
                ui.vertical(|ui| {
                    changed |= value_ui(ui, field, &field.shape, slot, diagram, own, out, &label);
                });
                ui.end_row();
            }
        }
    });
    changed
}

fn readable(name: &str) -> String {
    let words = name.replace('_', " ");
    let mut chars = words.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn help(field: &Field) -> String {
    field
        .doc
        .lines()
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ")
}

#[allow(clippy::too_many_arguments)]
fn value_ui(
    ui: &mut egui::Ui,
    field: &Field,
    shape: &Shape,
    value: &mut Value,
    diagram: &Diagram,
    own: &ResourceId,
    out: &mut Vec<Command>,
    label: &egui::Response,
) -> bool {
    let name = readable(field.name);
    let gesture = format!("Edit {own}");
    match shape {
        Shape::Bool => {
            let mut on = value.as_bool().unwrap_or(false);
            let response = ui.checkbox(&mut on, "");
            response
                .widget_info(|| egui::WidgetInfo::selected(egui::Role::CheckBox, true, on, &name));
            if response.changed() {
                *value = json!(on);
                return true;
            }
            false
        }
        Shape::Integer { min, max } => {
            let mut number = value.as_i64().unwrap_or(0);
            let response = ui.add(
                egui::DragValue::new(&mut number)
                    .range(*min..=*max)
                    .speed(integer_speed(field.name))
                    .suffix(unit_suffix(field.name)),
            );
            let response = response.labelled_by(label.id);
            gesture_on_focus(&response, &gesture, out);
            if response.changed() {
                *value = json!(number);
                return true;
            }
            false
        }
        Shape::Number => {
            let mut number = value.as_f64().unwrap_or(0.0);
            let speed = (number.abs() * 0.01).max(0.01);
            let response = ui
                .add(
                    egui::DragValue::new(&mut number)
                        .speed(speed)
                        .max_decimals(4)
                        .suffix(unit_suffix(field.name)),
                )
                .labelled_by(label.id);
            gesture_on_focus(&response, &gesture, out);
            if response.changed() && number.is_finite() {
                *value = json!(number);
                return true;
            }
            false
        }
        Shape::Text => {
            let mut text = value.as_str().unwrap_or_default().to_owned();
            let multiline = field.name == "user_data";
            let editor = if multiline {
                egui::TextEdit::multiline(&mut text)
                    .code_editor()
                    .desired_rows(4)
            } else {
                egui::TextEdit::singleline(&mut text)
            };
            let response = ui
                .add(editor.desired_width(f32::INFINITY))
                .labelled_by(label.id);
            gesture_on_focus(&response, &gesture, out);
            if field.name.contains("cidr") || field.name == "destination" {
                cidr_hint(ui, &text);
            }
            if field.name.ends_with("instance_type")
                && let Some(chosen) = instance_type_picker(ui, &response, &text)
            {
                *value = json!(chosen);
                return true;
            }
            if response.changed() {
                *value = json!(text);
                return true;
            }
            false
        }
        Shape::Choice(names) => {
            let mut current = value.as_str().unwrap_or_default().to_owned();
            let before = current.clone();
            let combo = egui::ComboBox::from_id_salt((own, field.name, ui.next_auto_id()))
                .selected_text(readable_choice(&current))
                .show_ui(ui, |ui| {
                    for option in *names {
                        ui.selectable_value(
                            &mut current,
                            (*option).to_owned(),
                            readable_choice(option),
                        );
                    }
                });
            combo
                .response
                .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, &name));
            if current != before {
                *value = json!(current);
                return true;
            }
            false
        }
        Shape::Reference => reference_ui(ui, field, value, diagram, own, false),
        Shape::Optional(inner) => optional_ui(ui, field, inner, value, diagram, own, out, label),
        Shape::List(inner) => list_ui(ui, field, inner, value, diagram, own, out, label),
        Shape::Struct(_) => {
            let mut changed = false;
            egui::CollapsingHeader::new(&name)
                .id_salt((own, field.name, ui.next_auto_id()))
                .show(ui, |ui| {
                    changed = struct_ui(ui, shape, value, diagram, own, out);
                });
            changed
        }
        Shape::Composite(type_name) => composite_ui(ui, type_name, value, own, field.name),
    }
}

/// The unit a field's name declares, shown after its number.
pub fn unit_suffix(name: &str) -> &'static str {
    const UNITS: &[(&str, &str)] = &[
        ("_secs", " s"),
        ("_ms", " ms"),
        ("_hours", " h"),
        ("_days", " days"),
        ("_gb", " GB"),
        ("_tb_per_month", " TB/month"),
        ("_gb_per_month", " GB/month"),
        ("_mb", " MB"),
        ("_mibps", " MiB/s"),
        ("_mbps", " Mbps"),
        ("_kb", " KB"),
        ("_bytes", " B"),
        ("_rps", " req/s"),
        ("_per_second", " /s"),
        ("_percent", " %"),
        ("_millions", " M"),
        ("_thousands", " k"),
        ("_acu", " ACU"),
        ("_5_min", " /5 min"),
    ];
    UNITS
        .iter()
        .find(|(end, _)| name.ends_with(end))
        .map_or("", |(_, unit)| unit)
}

fn integer_speed(name: &str) -> f64 {
    if name.ends_with("_secs") || name.ends_with("_gb") || name.ends_with("_mb") {
        1.0
    } else {
        0.1
    }
}

fn readable_choice(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_uppercase()
            && i > 0
            && !name[..name.char_indices().nth(i).map_or(0, |(b, _)| b)]
                .ends_with(|p: char| p.is_uppercase() || p.is_ascii_digit())
        {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// Under an instance-type field: the chosen type's size and price, and while the field is
/// being edited, the matching types to pick from. Returns a picked type.
fn instance_type_picker(ui: &mut egui::Ui, field: &egui::Response, text: &str) -> Option<String> {
    use crate::aws::{ec2_instance_type, ec2_instance_types};
    match ec2_instance_type(text.trim()) {
        Some(t) => {
            ui.weak(t.summary());
        }
        None => {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                "Not an EC2 instance type in the price data",
            );
        }
    }
    let open_id = field.id.with("picker_open");
    let was_open = ui.data(|d| d.get_temp::<bool>(open_id)).unwrap_or(false);
    if !(field.has_focus() || was_open) {
        return None;
    }
    let needle = text.trim().to_lowercase();
    let matches: Vec<_> = ec2_instance_types()
        .iter()
        .filter(|t| t.instance_type.contains(&needle))
        .take(12)
        .collect();
    let mut picked = None;
    let list = ui.group(|ui| {
        if matches.is_empty() {
            ui.weak("No instance type matches");
        }
        for t in matches {
            let label = format!("{}  {}", t.instance_type, t.summary());
            if ui
                .selectable_label(t.instance_type == text, label)
                .clicked()
            {
                picked = Some(t.instance_type.clone());
            }
        }
    });
    let keep_open = picked.is_none() && (field.has_focus() || list.response.contains_pointer());
    ui.data_mut(|d| d.insert_temp(open_id, keep_open));
    picked
}

fn cidr_hint(ui: &mut egui::Ui, text: &str) {
    match text.parse::<ipnet::Ipv4Net>() {
        Ok(net) if net.trunc() != net => {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                format!("Host bits set; the network is {}", net.trunc()),
            );
        }
        Ok(net) => {
            ui.weak(format!(
                "{} addresses",
                1u64 << (32 - u32::from(net.prefix_len()))
            ));
        }
        Err(_) => {
            ui.colored_label(
                ui.visuals().error_fg_color,
                "Not a CIDR block such as 10.0.0.0/16",
            );
        }
    }
}

fn reference_ui(
    ui: &mut egui::Ui,
    field: &Field,
    value: &mut Value,
    diagram: &Diagram,
    own: &ResourceId,
    optional: bool,
) -> bool {
    let options = candidates(diagram, reference_kind(field.name), own);
    let mut current = value.as_str().map(str::to_owned);
    let before = current.clone();
    let shown = current.clone().unwrap_or_else(|| "None".into());
    let name = readable(field.name);
    let combo = egui::ComboBox::from_id_salt((own, field.name, ui.next_auto_id()))
        .selected_text(shown)
        .show_ui(ui, |ui| {
            if optional {
                ui.selectable_value(&mut current, None, "None");
            }
            for (id, text) in &options {
                ui.selectable_value(&mut current, Some(id.to_string()), text);
            }
        });
    combo
        .response
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, &name));
    if current != before {
        *value = current.map_or(Value::Null, Value::String);
        return true;
    }
    false
}

#[allow(clippy::too_many_arguments)]
fn optional_ui(
    ui: &mut egui::Ui,
    field: &Field,
    inner: &Shape,
    value: &mut Value,
    diagram: &Diagram,
    own: &ResourceId,
    out: &mut Vec<Command>,
    label: &egui::Response,
) -> bool {
    if *inner == Shape::Reference {
        return reference_ui(ui, field, value, diagram, own, true);
    }
    let mut changed = false;
    ui.horizontal(|ui| {
        let mut set = !value.is_null();
        let toggle = ui.checkbox(&mut set, "");
        toggle.widget_info(|| {
            egui::WidgetInfo::selected(
                egui::Role::CheckBox,
                true,
                set,
                format!("Set {}", readable(field.name)),
            )
        });
        if toggle.changed() {
            *value = if set { default_for(inner) } else { Value::Null };
            changed = true;
        }
        if !value.is_null() {
            changed |= value_ui(ui, field, inner, value, diagram, own, out, label);
        } else {
            ui.weak("not set");
        }
    });
    changed
}

#[allow(clippy::too_many_arguments)]
fn list_ui(
    ui: &mut egui::Ui,
    field: &Field,
    inner: &Shape,
    value: &mut Value,
    diagram: &Diagram,
    own: &ResourceId,
    out: &mut Vec<Command>,
    label: &egui::Response,
) -> bool {
    let Some(items) = value.as_array_mut() else {
        return false;
    };
    if *inner == Shape::Reference {
        // A set of resources of one kind: tick the ones wanted.
        let mut changed = false;
        let options = candidates(diagram, reference_kind(field.name), own);
        if options.is_empty() {
            ui.weak("none on the canvas");
        }
        for (id, text) in options {
            let mut on = items.iter().any(|v| v.as_str() == Some(id.as_str()));
            if ui.checkbox(&mut on, text).changed() {
                if on {
                    items.push(json!(id.as_str()));
                } else {
                    items.retain(|v| v.as_str() != Some(id.as_str()));
                }
                changed = true;
            }
        }
        return changed;
    }
    let mut changed = false;
    let mut remove = None;
    for (index, item) in items.iter_mut().enumerate() {
        ui.horizontal(|ui| {
            if matches!(inner, Shape::Struct(_) | Shape::Composite(_)) {
                egui::CollapsingHeader::new(format!("{} {}", readable(field.name), index + 1))
                    .id_salt((own, field.name, index))
                    .show(ui, |ui| {
                        changed |= value_ui(ui, field, inner, item, diagram, own, out, label);
                    });
            } else {
                changed |= value_ui(ui, field, inner, item, diagram, own, out, label);
            }
            if ui.small_button("Remove").clicked() {
                remove = Some(index);
            }
        });
    }
    if let Some(index) = remove {
        items.remove(index);
        changed = true;
    }
    if ui
        .small_button(format!("Add to {}", readable(field.name).to_lowercase()))
        .clicked()
    {
        let item = items.last().cloned().unwrap_or_else(|| default_for(inner));
        items.push(item);
        changed = true;
    }
    changed
}

/// A starting value for a new item of this shape.
fn default_for(shape: &Shape) -> Value {
    match shape {
        Shape::Bool => json!(false),
        Shape::Integer { min, .. } => json!((*min).max(0)),
        Shape::Number => json!(0.0),
        Shape::Text | Shape::Reference => json!(""),
        Shape::Choice(names) => json!(names.first().copied().unwrap_or_default()),
        Shape::Optional(_) => Value::Null,
        Shape::List(_) => json!([]),
        Shape::Struct(fields) => Value::Object(
            fields
                .iter()
                .map(|f| (f.name.to_owned(), default_for(&f.shape)))
                .collect(),
        ),
        Shape::Composite("RuleSource") => json!({ "Cidr": "0.0.0.0/0" }),
        Shape::Composite("ScalingPolicy") => json!({ "TargetTracking": {} }),
        Shape::Composite(_) => json!("Constant"),
    }
}

/// A value with its own structure, edited as JSON text.
fn composite_ui(
    ui: &mut egui::Ui,
    type_name: &str,
    value: &mut Value,
    own: &ResourceId,
    field: &str,
) -> bool {
    let memory_id = egui::Id::unique(("composite", own, field, ui.next_auto_id()));
    let mut text = ui
        .data_mut(|d| d.get_temp::<String>(memory_id))
        .unwrap_or_else(|| value.to_string());
    let response = ui.add(
        egui::TextEdit::multiline(&mut text)
            .code_editor()
            .desired_rows(2)
            .desired_width(f32::INFINITY),
    );
    response
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::MultilineTextInput, true, type_name));
    let parsed: Result<Value, _> = serde_json::from_str(&text);
    if parsed.is_err() {
        ui.colored_label(
            ui.visuals().error_fg_color,
            format!("Not valid JSON for {type_name}"),
        );
    }
    if response.has_focus() {
        ui.data_mut(|d| d.insert_temp(memory_id, text));
        return false;
    }
    ui.data_mut(|d| d.remove::<String>(memory_id));
    match parsed {
        Ok(new) if response.lost_focus() && new != *value => {
            *value = new;
            true
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn units_come_from_field_names() {
        assert_eq!(super::unit_suffix("deregistration_delay_secs"), " s");
        assert_eq!(super::unit_suffix("size_gb"), " GB");
        assert_eq!(super::unit_suffix("ingested_gb_per_month"), " GB/month");
        assert_eq!(super::unit_suffix("max_size"), "");
    }
}
