//! The canvas's right-click menus during a run: fail or restore a resource, a zone or
//! one instance of a group.

use super::Command;
use crate::model::{Diagram, ResourceId};

/// The Availability Zone or Region that holds `id` (or is it), innermost first.
pub(super) fn failable_around<'d>(
    diagram: &'d Diagram,
    id: &ResourceId,
) -> Option<&'d crate::model::Resource> {
    let mut current = diagram.resource(id.as_str());
    while let Some(r) = current {
        if matches!(
            r.kind(),
            crate::model::Kind::AvailabilityZone | crate::model::Kind::Region
        ) {
            return Some(r);
        }
        current = r.parent.as_ref().and_then(|p| diagram.resource(p.as_str()));
    }
    None
}

/// The right-click menu of a resource during a run: what can be failed or restored.
pub(super) fn run_menu(
    response: &egui::Response,
    resource: &crate::model::Resource,
    overlay: Option<&crate::ui::run::overlay::Overlay<'_>>,
    out: &mut Vec<Command>,
) {
    let live = overlay.and_then(|o| o.live.resources.get(&resource.id));
    let kind = resource.kind();
    let injectable = matches!(
        kind,
        crate::model::Kind::AvailabilityZone | crate::model::Kind::Region
    ) || live.is_some_and(|l| l.servers > 0 || !l.members.is_empty());
    if !injectable {
        return;
    }
    response.context_menu(|ui| {
        ui.label(egui::RichText::new(resource.label()).strong());
        let spot = live.is_some_and(|l| !l.members.is_empty());
        for (label, action) in crate::ui::run::panels::failure_actions(kind, &resource.id, spot) {
            if ui.button(label).clicked() {
                out.push(Command::Run(crate::play::RunCommand::Inject(action)));
                ui.close();
            }
        }
        if let Some(live) = live {
            crate::ui::run::panels::fail_one_instance(ui, live, &mut |action| {
                out.push(Command::Run(crate::play::RunCommand::Inject(action)));
            });
        }
    });
}
