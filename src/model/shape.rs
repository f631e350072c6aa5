//! Static reflection of configuration types: what each field holds, so an editor can
//! show the right widget (a checkbox, a number, a list of choices) and its help text.

/// What a value holds.
#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    /// `true` or `false`.
    Bool,
    /// A whole number between the bounds.
    Integer {
        /// Smallest value.
        min: i64,
        /// Largest value.
        max: i64,
    },
    /// A number with a fractional part.
    Number,
    /// Free text.
    Text,
    /// The id of another resource.
    Reference,
    /// One of a fixed set of names.
    Choice(&'static [&'static str]),
    /// A value that may be absent.
    Optional(Box<Shape>),
    /// A list of values.
    List(Box<Shape>),
    /// Named fields.
    Struct(Vec<Field>),
    /// A value with its own structure, edited as text (RON) in generic editors.
    Composite(&'static str),
}

/// A named field of a struct.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// The field's name as saved.
    pub name: &'static str,
    /// Its documentation: what it means, its unit, and its default's source.
    pub doc: &'static str,
    /// What it holds.
    pub shape: Shape,
}

/// A type whose shape is known.
pub trait Described {
    /// The shape of values of this type.
    fn shape() -> Shape;
}

macro_rules! integer_shapes {
    ($($ty:ty),*) => {
        $(impl Described for $ty {
            fn shape() -> Shape {
                Shape::Integer { min: <$ty>::MIN as i64, max: <$ty>::MAX as i64 }
            }
        })*
    };
}

integer_shapes!(u8, u16, u32, i32);

impl Described for u64 {
    fn shape() -> Shape {
        Shape::Integer {
            min: 0,
            max: i64::MAX,
        }
    }
}

impl Described for bool {
    fn shape() -> Shape {
        Shape::Bool
    }
}

impl Described for f32 {
    fn shape() -> Shape {
        Shape::Number
    }
}

impl Described for f64 {
    fn shape() -> Shape {
        Shape::Number
    }
}

impl Described for String {
    fn shape() -> Shape {
        Shape::Text
    }
}

impl Described for super::ResourceId {
    fn shape() -> Shape {
        Shape::Reference
    }
}

impl<T: Described> Described for Option<T> {
    fn shape() -> Shape {
        Shape::Optional(Box::new(T::shape()))
    }
}

impl<T: Described> Described for Vec<T> {
    fn shape() -> Shape {
        Shape::List(Box::new(T::shape()))
    }
}

impl Shape {
    /// The fields of a struct shape (empty for other shapes).
    pub fn fields(&self) -> &[Field] {
        match self {
            Shape::Struct(fields) => fields,
            _ => &[],
        }
    }

    /// The field called `name`.
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields().iter().find(|f| f.name == name)
    }
}
