//! References from one resource's configuration to other resources.
//!
//! Configurations name other resources (an Auto Scaling group names its subnets, an
//! instance its security groups). Every field type implements [`References`], so the
//! diagram can check, rename and drop such references without knowing each kind.

use super::ids::ResourceId;

/// A value that may hold references to resources.
pub trait References {
    /// Calls `f` on every resource id this value refers to.
    fn for_each_ref(&self, f: &mut dyn FnMut(&ResourceId));

    /// Replaces every reference to `from` with `to`.
    fn rename_refs(&mut self, from: &ResourceId, to: &ResourceId);

    /// Drops references to `gone`. Returns false when this value cannot exist without
    /// that reference, so that its owner (a list) drops the whole value.
    fn drop_refs(&mut self, gone: &ResourceId) -> bool;

    /// Calls `f` with every number this value holds and its field path (`path`, extended
    /// below it as `path.field` and `path.0` while a part is visited and restored after),
    /// so that the diagram can refuse numbers that make no sense (not finite, negative)
    /// without knowing each kind. One buffer serves the whole walk: nothing is allocated
    /// per field.
    fn for_each_number(&self, _path: &mut String, _f: &mut dyn FnMut(&str, f64)) {}
}

/// Visits `value`'s numbers with `field` appended to `path`, then restores `path`.
pub fn number_field(
    value: &dyn References,
    path: &mut String,
    field: &str,
    f: &mut dyn FnMut(&str, f64),
) {
    let len = path.len();
    if len > 0 {
        path.push('.');
    }
    path.push_str(field);
    value.for_each_number(path, f);
    path.truncate(len);
}

impl References for ResourceId {
    fn for_each_ref(&self, f: &mut dyn FnMut(&ResourceId)) {
        f(self);
    }
    fn rename_refs(&mut self, from: &ResourceId, to: &ResourceId) {
        if self == from {
            *self = to.clone();
        }
    }
    fn drop_refs(&mut self, gone: &ResourceId) -> bool {
        self != gone
    }
}

impl<T: References> References for Option<T> {
    fn for_each_ref(&self, f: &mut dyn FnMut(&ResourceId)) {
        if let Some(value) = self {
            value.for_each_ref(f);
        }
    }
    fn for_each_number(&self, path: &mut String, f: &mut dyn FnMut(&str, f64)) {
        if let Some(value) = self {
            value.for_each_number(path, f);
        }
    }
    fn rename_refs(&mut self, from: &ResourceId, to: &ResourceId) {
        if let Some(value) = self {
            value.rename_refs(from, to);
        }
    }
    fn drop_refs(&mut self, gone: &ResourceId) -> bool {
        if let Some(value) = self
            && !value.drop_refs(gone)
        {
            *self = None;
        }
        true
    }
}

impl<T: References> References for Vec<T> {
    fn for_each_ref(&self, f: &mut dyn FnMut(&ResourceId)) {
        for value in self {
            value.for_each_ref(f);
        }
    }
    fn for_each_number(&self, path: &mut String, f: &mut dyn FnMut(&str, f64)) {
        for (index, value) in self.iter().enumerate() {
            number_field(value, path, &index.to_string(), f);
        }
    }
    fn rename_refs(&mut self, from: &ResourceId, to: &ResourceId) {
        for value in self {
            value.rename_refs(from, to);
        }
    }
    fn drop_refs(&mut self, gone: &ResourceId) -> bool {
        self.retain_mut(|value| value.drop_refs(gone));
        true
    }
}

/// Implements [`References`] as "holds none" for plain value types.
#[macro_export]
#[doc(hidden)]
macro_rules! no_references {
    ($($ty:ty),* $(,)?) => {
        $(impl $crate::model::refs::References for $ty {
            fn for_each_ref(&self, _: &mut dyn FnMut(&$crate::model::ResourceId)) {}
            fn rename_refs(&mut self, _: &$crate::model::ResourceId, _: &$crate::model::ResourceId) {}
            fn drop_refs(&mut self, _: &$crate::model::ResourceId) -> bool { true }
        })*
    };
}

no_references!(String, bool, u8, u16, u32, u64, i32);

macro_rules! numbers {
    ($($ty:ty),*) => {
        $(impl References for $ty {
            fn for_each_ref(&self, _: &mut dyn FnMut(&ResourceId)) {}
            fn rename_refs(&mut self, _: &ResourceId, _: &ResourceId) {}
            fn drop_refs(&mut self, _: &ResourceId) -> bool {
                true
            }
            fn for_each_number(&self, path: &mut String, f: &mut dyn FnMut(&str, f64)) {
                f(path, f64::from(*self));
            }
        })*
    };
}

numbers!(f32, f64);

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> ResourceId {
        ResourceId::new(s).unwrap()
    }

    #[test]
    fn lists_drop_and_options_clear() {
        let mut list = vec![id("a"), id("b"), id("a")];
        list.drop_refs(&id("a"));
        assert_eq!(list, vec![id("b")]);
        let mut maybe = Some(id("b"));
        maybe.drop_refs(&id("b"));
        assert_eq!(maybe, None);
        let mut renamed = vec![id("a"), id("c")];
        renamed.rename_refs(&id("a"), &id("z"));
        assert_eq!(renamed, vec![id("z"), id("c")]);
    }
}
