//! The data model the linter checks paths against: what a template sees at each path, as far
//! as the trigger's shape (from [`crate::event`]) describes it.

use crate::event::{self, Attrs, Field, Shape, Ty};

/// A node of the template data, as far as it is known.
#[derive(Clone, Copy, Debug)]
pub(super) enum Node {
    /// Nothing known: accept everything, report nothing.
    Unknown,
    /// Booking-style root: the payload's fields plus `triggerEvent` and `createdAt`.
    FlatRoot(&'static Shape),
    /// Generic root (`payload` nested), also the reference dialect's layout.
    NestedRoot(&'static Shape),
    /// The `payload` object of a nested root.
    Payload(&'static Shape),
    /// A typed value (`Named`/`Nullable` already resolved), with the field it is the value of
    /// (none for an array item, a map value, the envelope's `triggerEvent`/`createdAt`).
    Ty(&'static Ty, Option<&'static Field>),
    /// A number (`length`, an index).
    Number,
}

/// What a name finds below a node.
pub(super) enum Child {
    Found(Node),
    /// Anything may be there.
    Open,
    /// Not a known field; the known names at this level.
    Missing(Vec<&'static str>),
    /// A non-index name on an array; the element.
    ArrayName(Node),
    /// A property of a scalar (renders empty); the kind.
    Scalar(&'static str),
}

fn resolve_ty(ty: &'static Ty) -> &'static Ty {
    let mut t = ty;
    loop {
        match t {
            Ty::Named(_, inner) | Ty::Nullable(inner) => t = inner,
            Ty::Either(alt) => t = &alt.sender,
            _ => return t,
        }
    }
}

fn field_node(f: &'static Field) -> Node {
    Node::Ty(resolve_ty(&f.ty), Some(f))
}

const TRIGGER_EVENT_TY: Ty = Ty::String;
const CREATED_AT_TY: Ty = Ty::DateTime;

fn is_canonical_index(s: &str) -> bool {
    !s.is_empty()
        && s.bytes().all(|b| b.is_ascii_digit())
        && (s == "0" || !s.starts_with('0'))
        && s.len() <= 10
}

impl Node {
    pub(super) fn child(self, name: &str) -> Child {
        let envelope = |name: &str| -> Option<Node> {
            match name {
                "triggerEvent" => Some(Node::Ty(&TRIGGER_EVENT_TY, None)),
                "createdAt" => Some(Node::Ty(&CREATED_AT_TY, None)),
                _ => None,
            }
        };
        let shape_names = |shape: &'static Shape| -> Vec<&'static str> {
            shape.fields().map(|f| f.name).collect()
        };
        match self {
            Node::Unknown => Child::Open,
            Node::FlatRoot(shape) => {
                if let Some(n) = envelope(name) {
                    return Child::Found(n);
                }
                if shape.groups.is_empty() {
                    return Child::Open;
                }
                match shape.field(name) {
                    Some(f) => Child::Found(field_node(f)),
                    None => {
                        let mut names = vec!["triggerEvent", "createdAt"];
                        names.extend(shape_names(shape));
                        Child::Missing(names)
                    }
                }
            }
            Node::NestedRoot(shape) => {
                if let Some(n) = envelope(name) {
                    return Child::Found(n);
                }
                if name == "payload" {
                    return Child::Found(Node::Payload(shape));
                }
                Child::Missing(vec!["triggerEvent", "createdAt", "payload"])
            }
            Node::Payload(shape) => {
                if shape.groups.is_empty() {
                    return Child::Open;
                }
                match shape.field(name) {
                    Some(f) => Child::Found(field_node(f)),
                    None => Child::Missing(shape_names(shape)),
                }
            }
            Node::Number => Child::Scalar("number"),
            Node::Ty(ty, _) => match ty {
                Ty::Object(fields) => match fields.iter().find(|f| f.name == name) {
                    Some(f) => Child::Found(field_node(f)),
                    None => Child::Missing(fields.iter().map(|f| f.name).collect()),
                },
                Ty::Array(inner) => {
                    if is_canonical_index(name) {
                        Child::Found(Node::Ty(resolve_ty(inner), None))
                    } else if name == "length" {
                        Child::Found(Node::Number)
                    } else {
                        Child::ArrayName(Node::Ty(resolve_ty(inner), None))
                    }
                }
                Ty::Map(inner) => Child::Found(Node::Ty(resolve_ty(inner), None)),
                Ty::Any | Ty::Named(..) | Ty::Nullable(_) | Ty::Either(_) => Child::Open,
                Ty::String | Ty::DateTime | Ty::Email | Ty::Url | Ty::Enum(_) => {
                    if name == "length" || is_canonical_index(name) {
                        Child::Open
                    } else {
                        Child::Scalar("string")
                    }
                }
                Ty::Number | Ty::Integer => Child::Scalar("number"),
                Ty::Bool => Child::Scalar("boolean"),
            },
        }
    }

    /// What the shapes say the value holds: the attributes of its field when the path's last
    /// segment `last` named that field, else those of every field called `last` (a value below
    /// an `any`, a map key, a trigger whose shape is not described).
    pub(super) fn attrs(self, last: &str) -> Attrs {
        match self {
            Node::Ty(_, Some(field)) if field.name == last => event::field_attrs(field),
            _ => event::attrs_named(last),
        }
    }

    /// Whether the shapes mark this value's field as an object whose keys vary.
    pub(super) fn has_open_keys(self) -> bool {
        matches!(self, Node::Ty(_, Some(field)) if field.attrs.open_keys)
    }

    /// The element node when iterated by `#each` (arrays and maps), else `Unknown`.
    pub(super) fn element(self) -> Node {
        match self {
            Node::Ty(Ty::Array(inner), _) | Node::Ty(Ty::Map(inner), _) => {
                Node::Ty(resolve_ty(inner), None)
            }
            _ => Node::Unknown,
        }
    }

    pub(super) fn is_array(self) -> bool {
        matches!(self, Node::Ty(Ty::Array(_), _))
    }

    pub(super) fn is_bool(self) -> bool {
        matches!(self, Node::Ty(Ty::Bool, _))
    }

    /// Whether `{{x}}` renders `[object Object]` (or a list of them).
    pub(super) fn object_kind(self) -> Option<ObjectKind> {
        match self {
            Node::FlatRoot(_) | Node::NestedRoot(_) | Node::Payload(_) => Some(ObjectKind::Object),
            Node::Ty(Ty::Object(_), _) | Node::Ty(Ty::Map(_), _) => Some(ObjectKind::Object),
            Node::Ty(Ty::Array(inner), _) => match resolve_ty(inner) {
                Ty::Object(_) | Ty::Map(_) => Some(ObjectKind::ArrayOfObjects),
                _ => None,
            },
            _ => None,
        }
    }

    /// A scalar field to suggest for an object node, as a relative path.
    pub(super) fn suggest_field(self) -> Option<String> {
        let pick = |fields: &'static [Field]| -> Option<String> {
            let scalar = |f: &&'static Field| {
                matches!(
                    resolve_ty(&f.ty),
                    Ty::String
                        | Ty::Email
                        | Ty::Url
                        | Ty::DateTime
                        | Ty::Enum(_)
                        | Ty::Number
                        | Ty::Integer
                        | Ty::Any
                )
            };
            for pref in ["name", "email", "value", "locale", "url", "title", "reason"] {
                if let Some(f) = fields.iter().filter(scalar).find(|f| f.name == pref) {
                    return Some(f.name.to_string());
                }
            }
            fields.iter().find(scalar).map(|f| f.name.to_string())
        };
        match self {
            Node::Ty(Ty::Object(fields), _) => pick(fields),
            Node::Ty(Ty::Array(inner), _) => match resolve_ty(inner) {
                Ty::Object(fields) => pick(fields).map(|f| format!("0.{f}")),
                _ => None,
            },
            Node::Ty(Ty::Map(inner), field) => {
                let example = field.map_or("", |f| f.example);
                let key = if example.is_empty()
                    || example == "-"
                    || !example
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_')
                {
                    return None;
                } else {
                    example
                };
                match resolve_ty(inner) {
                    Ty::Object(fields) => pick(fields).map(|f| format!("{key}.{f}")),
                    _ => Some(key.to_string()),
                }
            }
            _ => None,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum ObjectKind {
    Object,
    ArrayOfObjects,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum TextKind {
    Free,
    Url,
}

pub(super) fn text_kind(node: Node, last: &str) -> Option<TextKind> {
    let scalar_ok = match node {
        Node::Ty(ty, _) => match ty {
            Ty::Url => return Some(TextKind::Url),
            Ty::String | Ty::Any => true,
            _ => false,
        },
        Node::Unknown => true,
        _ => false,
    };
    if !scalar_ok {
        return None;
    }
    let attrs = node.attrs(last);
    if attrs.url {
        Some(TextKind::Url)
    } else if attrs.free_text {
        Some(TextKind::Free)
    } else {
        None
    }
}
