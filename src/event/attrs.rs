//! What a field holds beyond its type, written on the field in the shapes and read by tools
//! that look at templates (the payload-template linter): the type says `string` or `any`;
//! these say that the string is text a person typed, that the `any` is an object, ...

use super::shape::{Field, Ty};
use super::trigger::TRIGGERS;
use std::sync::OnceLock;

/// Facts about a field's content that its [`Ty`] does not carry. Written as the optional last
/// arguments of the shape macros: `opt!("title", Ty::String, "…", "…", free_text)`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Attrs {
    /// Text a person typed (the booker or the organizer): it may contain `"`, `\`, a line
    /// break, `'`, `&`, `<`…
    pub free_text: bool,
    /// A URL in a field typed as a plain string or `any` (a [`Ty::Url`] field is one anyway).
    pub url: bool,
    /// An object whose keys vary from booking to booking: any name below it may be present.
    pub open_keys: bool,
    /// An object, also where the type is `any`: printed as is it renders `[object Object]`.
    pub object: bool,
    /// For an object: the relative path a template usually wants from it (`name`, `0.name`),
    /// or empty.
    pub pick: &'static str,
}

impl Attrs {
    /// No attribute: what a field without attributes has.
    pub const NONE: Attrs = Attrs {
        free_text: false,
        url: false,
        open_keys: false,
        object: false,
        pick: "",
    };

    /// With [`Attrs::free_text`].
    pub const fn free_text(self) -> Attrs {
        Attrs {
            free_text: true,
            ..self
        }
    }

    /// With [`Attrs::url`].
    pub const fn url(self) -> Attrs {
        Attrs { url: true, ..self }
    }

    /// With [`Attrs::open_keys`].
    pub const fn open_keys(self) -> Attrs {
        Attrs {
            open_keys: true,
            ..self
        }
    }

    /// With [`Attrs::object`] and the path to suggest from it (`""` for none).
    pub const fn object(self, pick: &'static str) -> Attrs {
        Attrs {
            object: true,
            pick,
            ..self
        }
    }

    /// Every attribute of either (the first non-empty `pick`).
    fn union(self, other: Attrs) -> Attrs {
        Attrs {
            free_text: self.free_text || other.free_text,
            url: self.url || other.url,
            open_keys: self.open_keys || other.open_keys,
            object: self.object || other.object,
            pick: if self.pick.is_empty() {
                other.pick
            } else {
                self.pick
            },
        }
    }
}

/// The attributes of a field, counting a [`Ty::Url`] field as a URL.
pub fn field_attrs(field: &Field) -> Attrs {
    let mut attrs = field.attrs;
    attrs.url |= holds_url(&field.ty);
    attrs
}

/// A [`Ty::Url`], possibly named or nullable.
fn holds_url(ty: &Ty) -> bool {
    match ty.resolve() {
        Ty::Url => true,
        Ty::Nullable(inner) => holds_url(inner),
        _ => false,
    }
}

/// The attributes of every field called `name` in any trigger's shape, at any depth, united.
/// For a value whose field is not known (below an `any`, a map key, a trigger without a
/// described shape), the name is all there is to go by.
pub fn attrs_named(name: &str) -> Attrs {
    let index = name_index();
    match index.binary_search_by(|(n, _)| (*n).cmp(name)) {
        Ok(i) => index[i].1,
        Err(_) => Attrs::NONE,
    }
}

/// Field name → united attributes, sorted by name; names without attributes are left out.
fn name_index() -> &'static [(&'static str, Attrs)] {
    static INDEX: OnceLock<Vec<(&'static str, Attrs)>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut all: Vec<(&'static str, Attrs)> = Vec::new();
        for info in TRIGGERS {
            for field in info.shape.fields() {
                collect(field, &mut all);
            }
        }
        all.sort_by(|a, b| a.0.cmp(b.0));
        let mut united: Vec<(&'static str, Attrs)> = Vec::new();
        for (name, attrs) in all {
            match united.last_mut() {
                Some((last, acc)) if *last == name => *acc = acc.union(attrs),
                _ => united.push((name, attrs)),
            }
        }
        united.retain(|(_, a)| *a != Attrs::NONE);
        united
    })
}

/// `field` and the fields below it.
fn collect(field: &'static Field, out: &mut Vec<(&'static str, Attrs)>) {
    out.push((field.name, field_attrs(field)));
    collect_ty(&field.ty, out);
}

fn collect_ty(ty: &'static Ty, out: &mut Vec<(&'static str, Attrs)>) {
    match ty {
        Ty::Object(fields) => fields.iter().for_each(|f| collect(f, out)),
        Ty::Array(inner) | Ty::Map(inner) | Ty::Nullable(inner) | Ty::Named(_, inner) => {
            collect_ty(inner, out)
        }
        Ty::Either(alt) => {
            collect_ty(&alt.sender, out);
            collect_ty(&alt.reference, out);
        }
        Ty::String
        | Ty::Number
        | Ty::Integer
        | Ty::Bool
        | Ty::DateTime
        | Ty::Email
        | Ty::Url
        | Ty::Enum(_)
        | Ty::Any => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every text-like field (string or `any`) in any shape, with its name.
    fn text_fields() -> Vec<&'static Field> {
        fn walk(field: &'static Field, out: &mut Vec<&'static Field>) {
            if matches!(strip(&field.ty), Ty::String | Ty::Any | Ty::Url) {
                out.push(field);
            }
            walk_ty(&field.ty, out);
        }
        fn walk_ty(ty: &'static Ty, out: &mut Vec<&'static Field>) {
            match ty {
                Ty::Object(fields) => fields.iter().for_each(|f| walk(f, out)),
                Ty::Array(t) | Ty::Map(t) | Ty::Nullable(t) | Ty::Named(_, t) => walk_ty(t, out),
                Ty::Either(alt) => {
                    walk_ty(&alt.sender, out);
                    walk_ty(&alt.reference, out);
                }
                _ => {}
            }
        }
        let mut out = Vec::new();
        for info in TRIGGERS {
            info.shape.fields().for_each(|f| walk(f, &mut out));
        }
        out
    }

    fn strip(ty: &Ty) -> &Ty {
        match ty.resolve() {
            Ty::Nullable(inner) => strip(inner),
            other => other,
        }
    }

    #[test]
    fn text_fields_sharing_a_name_agree_on_what_they_hold() {
        // The linter reads a field's own attributes where it knows the field and the name's
        // where it does not; both readings must give the same answer.
        for field in text_fields() {
            let own = field_attrs(field);
            let named = attrs_named(field.name);
            assert_eq!(
                (own.free_text, own.url),
                (named.free_text, named.url),
                "`{}` is marked differently in different shapes",
                field.name
            );
        }
    }

    #[test]
    fn the_index_unites_attributes_by_name() {
        assert!(attrs_named("title").free_text);
        assert!(attrs_named("videoCallUrl").url);
        assert!(attrs_named("downloadLink").url, "a Ty::Url field is a URL");
        let metadata = attrs_named("metadata");
        assert!(metadata.open_keys && metadata.object);
        assert_eq!(attrs_named("attendees").pick, "0.name");
        assert_eq!(attrs_named("noSuchField"), Attrs::NONE);
        assert_eq!(attrs_named("uid"), Attrs::NONE);
    }
}
