//! What a resource is linked to: the questions exports ask of the links.

use super::{Diagram, Kind, LinkKind, Resource};

impl Diagram {
    /// Resources `id` links to with links of `kind`, of the `to` kinds (any when empty).
    pub fn linked_from(&self, id: &str, kind: LinkKind, to: &[Kind]) -> Vec<&Resource> {
        self.links()
            .iter()
            .filter(|l| l.from.as_str() == id && l.kind == kind)
            .filter_map(|l| self.resource(l.to.as_str()))
            .filter(|r| to.is_empty() || to.contains(&r.kind()))
            .collect()
    }

    /// Resources linking to `id` with links of `kind`, of the `from` kinds (any when empty).
    pub fn linked_to(&self, id: &str, kind: LinkKind, from: &[Kind]) -> Vec<&Resource> {
        self.links()
            .iter()
            .filter(|l| l.to.as_str() == id && l.kind == kind)
            .filter_map(|l| self.resource(l.from.as_str()))
            .filter(|r| from.is_empty() || from.contains(&r.kind()))
            .collect()
    }

    /// The IAM role attached to `id` by a link (to a function, a launch template, a task
    /// definition…), if any.
    pub fn attached_role(&self, id: &str) -> Option<&Resource> {
        self.linked_to(id, LinkKind::Attachment, &[Kind::IamRole])
            .into_iter()
            .next()
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{Kind, LinkKind, Resource};

    fn ids(resources: Vec<&Resource>) -> Vec<&str> {
        resources.iter().map(|r| r.id.as_str()).collect()
    }

    #[test]
    fn links_are_followed_by_kind_in_each_direction() {
        let d = crate::library::templates::find("employee-directory")
            .unwrap()
            .load()
            .unwrap();
        let role = d.attached_role("app-lt").expect("the template's role");
        assert_eq!(role.id.as_str(), "app-role");
        assert_eq!(
            ids(d.linked_from("app-role", LinkKind::Attachment, &[])),
            ["app-lt"]
        );
        assert!(
            d.linked_from("app-role", LinkKind::Attachment, &[Kind::LambdaFunction])
                .is_empty()
        );
        assert!(d.linked_from("app-role", LinkKind::Traffic, &[]).is_empty());
        assert_eq!(
            ids(d.linked_to("app-role", LinkKind::Attachment, &[Kind::IamPolicy])),
            ["app-policy"]
        );
        assert_eq!(d.attached_role("app-role"), None, "a policy is not a role");
    }
}
