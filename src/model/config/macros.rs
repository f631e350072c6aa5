//! The `config!` macro: one declaration gives a configuration struct its fields, their
//! defaults (beside the field, where the source of each default is cited), serde
//! behaviour and reference tracking.

/// Declares a configuration struct whose every field has a default.
///
/// Fields missing from a save take their default; unknown fields are an error, so a typo
/// in a file or in `--set` is reported instead of silently ignored.
macro_rules! config {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $(
                $(#[doc = $doc:literal])*
                pub $field:ident : $ty:ty = $default:expr
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(default, deny_unknown_fields)]
        pub struct $name {
            $( $(#[doc = $doc])* pub $field: $ty, )*
        }

        impl $crate::model::shape::Described for $name {
            fn shape() -> $crate::model::shape::Shape {
                $crate::model::shape::Shape::Struct(vec![
                    $($crate::model::shape::Field {
                        name: stringify!($field),
                        doc: concat!($($doc, "\n"),*).trim_ascii(),
                        shape: <$ty as $crate::model::shape::Described>::shape(),
                    },)*
                ])
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self { $( $field: $default, )* }
            }
        }

        impl $crate::model::refs::References for $name {
            #[allow(unused_variables)]
            fn for_each_ref(&self, f: &mut dyn FnMut(&$crate::model::ResourceId)) {
                $( $crate::model::refs::References::for_each_ref(&self.$field, f); )*
            }
            #[allow(unused_variables)]
            fn rename_refs(&mut self, from: &$crate::model::ResourceId, to: &$crate::model::ResourceId) {
                $( $crate::model::refs::References::rename_refs(&mut self.$field, from, to); )*
            }
            #[allow(unused_variables)]
            fn drop_refs(&mut self, gone: &$crate::model::ResourceId) -> bool {
                true $( & $crate::model::refs::References::drop_refs(&mut self.$field, gone) )*
            }
            #[allow(unused_variables)]
            fn for_each_number(&self, path: &mut String, f: &mut dyn FnMut(&str, f64)) {
                $( $crate::model::refs::number_field(&self.$field, path, stringify!($field), f); )*
            }
        }
    };
}

/// Declares a field-less choice (an enum of unit variants) with its default variant.
macro_rules! choice {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$variant_meta:meta])* $variant:ident ),* $(,)?
        }
        default $default:ident
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $( $(#[$variant_meta])* $variant, )*
        }

        impl $name {
            /// Every choice, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The choice's name as written in saves.
            pub fn name(self) -> &'static str {
                match self { $($name::$variant => stringify!($variant),)* }
            }
        }

        impl Default for $name {
            fn default() -> Self {
                $name::$default
            }
        }

        impl $crate::model::shape::Described for $name {
            fn shape() -> $crate::model::shape::Shape {
                $crate::model::shape::Shape::Choice(&[$(stringify!($variant)),*])
            }
        }

        $crate::no_references!($name);
    };
}
