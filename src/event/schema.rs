//! Exports derived from the shape description: JSON Schema (2020-12), TypeScript declarations
//! and the template variables of each trigger.
//!
//! All three describe the **normalised** event `{triggerEvent, createdAt, payload}` that
//! [`super::parse_event`] returns (the legacy flat body is normalised into it).

use super::error::EventError;
use super::shape::{Field, Ty};
use super::trigger::{trigger, TemplateData, TriggerInfo, SHARED_GROUPS, TRIGGERS};
use crate::json::{Object, Value};

/// The JSON Schema dialect used.
pub const JSON_SCHEMA_DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

// ---------------------------------------------------------------------------------------------
// JSON Schema
// ---------------------------------------------------------------------------------------------

/// JSON Schema (2020-12) of the event of `trigger`, or with `None` of any known event
/// (`oneOf` over every trigger, each in `$defs` under its name). Optional fields accept `null`
/// and every object accepts extra properties, exactly as validation does.
/// Fails with `UNKNOWN_TRIGGER` for an unknown name.
///
/// Needs the `tools` cargo feature (on by default): without it every field's description and
/// example is empty, so every property's `description` in the schema is `""`.
pub fn json_schema(trigger_name: Option<&str>) -> Result<Value, EventError> {
    let mut defs = Object::new();
    let mut root = Object::new();
    root.insert("$schema", Value::string(JSON_SCHEMA_DIALECT));
    match trigger_name {
        Some(name) => {
            let info = trigger(name).ok_or_else(|| EventError::unknown_trigger(name))?;
            root.insert("title", Value::string(format!("{}Event", info.type_name())));
            let event = event_schema(info, &mut defs);
            if let Some(o) = event.as_object() {
                for (k, v) in o.iter() {
                    root.insert(k, v.clone());
                }
            }
        }
        None => {
            root.insert("title", Value::string("CalEvent"));
            root.insert(
                "description",
                Value::string(
                    "A Cal.com webhook event of any known trigger, discriminated by triggerEvent.",
                ),
            );
            let mut one_of = Vec::new();
            for info in TRIGGERS {
                let event = event_schema(info, &mut defs);
                defs.insert(info.name, event);
                one_of.push(reference(info.name));
            }
            root.insert("oneOf", Value::array(one_of));
        }
    }
    if !defs.is_empty() {
        root.insert("$defs", Value::object(defs));
    }
    Ok(Value::object(root))
}

fn event_schema(info: &TriggerInfo, defs: &mut Object) -> Value {
    let mut props = Object::new();
    props.insert("triggerEvent", obj(&[("const", Value::string(info.name))]));
    props.insert(
        "createdAt",
        obj(&[
            ("type", Value::string("string")),
            ("format", Value::string("date-time")),
            (
                "description",
                Value::string("When the sender built the event (ISO 8601)."),
            ),
        ]),
    );
    let mut payload = fields_schema(&info.shape.fields().collect::<Vec<_>>(), defs);
    if let Value::Object(o) = &mut payload {
        let mut o2 = (**o).clone();
        o2.insert("description", Value::string(info.description));
        payload = Value::object(o2);
    }
    props.insert("payload", payload);
    obj(&[
        ("description", Value::string(info.description)),
        ("type", Value::string("object")),
        (
            "required",
            strings(&["triggerEvent", "createdAt", "payload"]),
        ),
        ("properties", Value::object(props)),
    ])
}

fn fields_schema(fields: &[&Field], defs: &mut Object) -> Value {
    let mut props = Object::new();
    let mut required = Vec::new();
    for field in fields {
        let mut schema = ty_schema(&field.ty, defs);
        if !field.required && !accepts_null(&field.ty) {
            schema = obj(&[("anyOf", Value::array(vec![schema, null_schema()]))]);
        }
        if let Value::Object(o) = &schema {
            let mut o2 = (**o).clone();
            o2.insert("description", Value::string(field.description));
            schema = Value::object(o2);
        }
        props.insert(field.name, schema);
        if field.required {
            required.push(field.name);
        }
    }
    let mut out = vec![("type", Value::string("object"))];
    if !required.is_empty() {
        out.push(("required", strings(&required)));
    }
    out.push(("properties", Value::object(props)));
    obj(&out)
}

fn accepts_null(ty: &Ty) -> bool {
    matches!(ty.resolve(), Ty::Nullable(_) | Ty::Any)
}

fn ty_schema(ty: &Ty, defs: &mut Object) -> Value {
    let typed = |t: &str| obj(&[("type", Value::string(t))]);
    let formatted = |f: &str| {
        obj(&[
            ("type", Value::string("string")),
            ("format", Value::string(f)),
        ])
    };
    match ty {
        Ty::String => typed("string"),
        Ty::Number => typed("number"),
        Ty::Integer => typed("integer"),
        Ty::Bool => typed("boolean"),
        Ty::DateTime => formatted("date-time"),
        Ty::Email => formatted("email"),
        Ty::Url => formatted("uri"),
        Ty::Enum(values) => obj(&[("type", Value::string("string")), ("enum", strings(values))]),
        Ty::Object(fields) => fields_schema(&fields.iter().collect::<Vec<_>>(), defs),
        Ty::Array(inner) => obj(&[
            ("type", Value::string("array")),
            ("items", ty_schema(inner, defs)),
        ]),
        Ty::Map(inner) => {
            let mut item = ty_schema(inner, defs);
            if !accepts_null(inner) {
                item = obj(&[("anyOf", Value::array(vec![item, null_schema()]))]);
            }
            obj(&[
                ("type", Value::string("object")),
                ("additionalProperties", item),
            ])
        }
        Ty::Any => Value::object(Object::new()),
        Ty::Either(alt) => obj(&[(
            "anyOf",
            Value::array(vec![
                ty_schema(&alt.sender, defs),
                ty_schema(&alt.reference, defs),
            ]),
        )]),
        Ty::Nullable(inner) => obj(&[(
            "anyOf",
            Value::array(vec![ty_schema(inner, defs), null_schema()]),
        )]),
        Ty::Named(name, inner) => {
            if !defs.contains_key(name) {
                // Reserve the name first; named types are not recursive, but be safe.
                defs.insert(*name, Value::Null);
                let schema = ty_schema(inner, defs);
                defs.insert(*name, schema);
            }
            reference(name)
        }
    }
}

fn reference(name: &str) -> Value {
    obj(&[("$ref", Value::string(format!("#/$defs/{name}")))])
}

fn null_schema() -> Value {
    obj(&[("type", Value::string("null"))])
}

fn obj(entries: &[(&str, Value)]) -> Value {
    let mut o = Object::new();
    for (k, v) in entries {
        o.insert(*k, v.clone());
    }
    Value::object(o)
}

fn strings(items: &[&str]) -> Value {
    Value::array(items.iter().map(|s| Value::string(*s)).collect())
}

// ---------------------------------------------------------------------------------------------
// TypeScript
// ---------------------------------------------------------------------------------------------

/// TypeScript declarations of every event: a payload interface and an event interface per
/// trigger, the shared named interfaces, `CalTrigger`, and the discriminated union `CalEvent`
/// (so `if (e.triggerEvent === "BOOKING_CANCELLED") e.payload.cancellationReason` type-checks
/// with the trigger's exact field type). `UnknownCalEvent` (any other trigger) is kept out of
/// `CalEvent`, and its `triggerEvent` is the branded `UnknownTriggerName` rather than `string`:
/// TypeScript keeps a `string`-typed member after `=== "BOOKING_CANCELLED"`, which would make
/// every payload field `unknown`. `AnyCalEvent` is the union of both.
///
/// Needs the `tools` cargo feature (on by default): without it every field's description and
/// example is empty, so the declarations have no doc comments from the fields.
pub fn typescript_declarations() -> String {
    let mut named: Vec<(&'static str, &'static Ty)> = Vec::new();
    let mut out = String::from(
        "// Generated by calhook from its trigger table (src/event/trigger.rs). Do not edit.\n\n",
    );
    let mut body = String::new();
    let mut shared: Vec<(&'static str, &'static [Field])> = Vec::new();
    for info in TRIGGERS {
        let stem = info.type_name();
        body.push_str(&doc_comment(
            &format!(
                "Payload of `{}`: {}{}{}",
                info.name,
                info.description,
                if info.documented {
                    ""
                } else {
                    " (not in the API reference)"
                },
                if info.emitted {
                    ""
                } else {
                    " Never sent by the current Cal.com code."
                }
            ),
            "",
        ));
        // Shared groups become interfaces the payload extends; the rest is written out.
        let mut extends = Vec::new();
        let mut own: Vec<&'static Field> = Vec::new();
        for group in info.shape.groups {
            match shared_group_name(group) {
                Some(name) => {
                    if !shared.iter().any(|(n, _)| *n == name) {
                        shared.push((name, group));
                    }
                    extends.push(name);
                }
                None => own.extend(group.iter()),
            }
        }
        body.push_str(&format!("export interface {stem}Payload "));
        if !extends.is_empty() {
            body.push_str(&format!("extends {} ", extends.join(", ")));
        }
        if own.is_empty() {
            body.push_str("{}\n\n");
        } else {
            body.push_str(&ts_fields(&own, 0, &mut named));
            body.push_str("\n\n");
        }
        body.push_str(&doc_comment(&format!("The `{}` event.", info.name), ""));
        body.push_str(&format!(
            "export interface {stem}Event {{\n  triggerEvent: \"{}\";\n  /** When the sender built the event (ISO 8601). */\n  createdAt: string;\n  payload: {stem}Payload;\n}}\n\n",
            info.name
        ));
    }
    // Shared field groups, in first-use order, before the payloads that extend them.
    let mut groups = String::new();
    for (name, fields) in &shared {
        groups.push_str(&doc_comment(
            &format!("Fields shared by several payloads ({}).", users_of(fields)),
            "",
        ));
        let fields: Vec<&'static Field> = fields.iter().collect();
        groups.push_str(&format!(
            "export interface {name} {}\n\n",
            ts_fields(&fields, 0, &mut named)
        ));
    }
    // Named types, in first-use order; they may reference further named types.
    let mut i = 0;
    while let Some(&(name, ty)) = named.get(i) {
        let decl = match ty {
            Ty::Object(fields) => {
                let fields: Vec<&'static Field> = fields.iter().collect();
                format!(
                    "export interface {name} {}\n\n",
                    ts_fields(&fields, 0, &mut named)
                )
            }
            other => format!(
                "export type {name} = {};\n\n",
                ts_type(other, 0, &mut named)
            ),
        };
        out.push_str(&decl);
        i += 1;
    }
    out.push_str(&groups);
    out.push_str(&body);
    out.push_str("/** Every known trigger name. */\nexport type CalTrigger =\n");
    for info in TRIGGERS {
        out.push_str(&format!("  | \"{}\"\n", info.name));
    }
    out.truncate(out.trim_end().len());
    out.push_str(";\n\n");
    out.push_str("/** A webhook event of a known trigger, discriminated by `triggerEvent`. */\nexport type CalEvent =\n");
    for info in TRIGGERS {
        out.push_str(&format!("  | {}Event\n", info.type_name()));
    }
    out.truncate(out.trim_end().len());
    out.push_str(";\n\n");
    out.push_str(
        "declare const unknownTrigger: unique symbol;\n\n\
         /**\n \
          * The name of a trigger calhook does not know yet: a string at runtime (`String(name)` or\n \
          * `name.valueOf()` gives it as a `string`). Typed apart from every known name, so that\n \
          * `event.triggerEvent === \"BOOKING_CANCELLED\"` alone narrows an event to that trigger's\n \
          * exact payload: at runtime an unknown event never carries a known name.\n \
          */\n\
         export interface UnknownTriggerName extends String {\n  readonly [unknownTrigger]: true;\n}\n\n\
         /** An event whose trigger calhook does not know yet (Cal.com keeps adding triggers). */\n\
         export interface UnknownCalEvent {\n  triggerEvent: UnknownTriggerName;\n  createdAt: string;\n  payload: Record<string, unknown>;\n}\n\n\
         /** Any event a receiver can get. Narrow with `triggerEvent` (or `known`). */\n\
         export type AnyCalEvent = CalEvent | UnknownCalEvent;\n\n\
         /** The payload type of trigger `T`. */\n\
         export type CalEventPayload<T extends CalTrigger> = Extract<CalEvent, { triggerEvent: T }>[\"payload\"];\n",
    );
    out
}

/// The interface name of a field group listed in [`SHARED_GROUPS`]. Groups are compared by
/// content (`const` slices need not share an address).
fn shared_group_name(group: &'static [Field]) -> Option<&'static str> {
    let key = format!("{group:?}");
    SHARED_GROUPS
        .iter()
        .find(|(_, g)| std::ptr::eq(*g, group) || format!("{g:?}") == key)
        .map(|(name, _)| *name)
}

/// The triggers whose payload includes `group`, for the shared interface's doc comment.
fn users_of(group: &'static [Field]) -> String {
    let key = format!("{group:?}");
    let names: Vec<&str> = TRIGGERS
        .iter()
        .filter(|t| t.shape.groups.iter().any(|g| format!("{g:?}") == key))
        .map(|t| t.name)
        .collect();
    names.join(", ")
}

fn doc_comment(text: &str, indent: &str) -> String {
    if text.is_empty() {
        return String::new();
    }
    format!("{indent}/** {} */\n", text.replace("*/", "*\\/"))
}

fn ts_fields(
    fields: &[&'static Field],
    depth: usize,
    named: &mut Vec<(&'static str, &'static Ty)>,
) -> String {
    let indent = "  ".repeat(depth + 1);
    let mut s = String::from("{\n");
    for field in fields {
        s.push_str(&doc_comment(field.description, &indent));
        let key = ts_key(field.name);
        let ty = ts_type(&field.ty, depth + 1, named);
        if field.required {
            s.push_str(&format!("{indent}{key}: {ty};\n"));
        } else if accepts_null(&field.ty) {
            s.push_str(&format!("{indent}{key}?: {ty};\n"));
        } else {
            s.push_str(&format!("{indent}{key}?: {ty} | null;\n"));
        }
    }
    s.push_str(&"  ".repeat(depth));
    s.push('}');
    s
}

fn ts_key(name: &str) -> String {
    let ident = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    if ident {
        name.to_string()
    } else {
        format!("{name:?}")
    }
}

fn ts_type(ty: &'static Ty, depth: usize, named: &mut Vec<(&'static str, &'static Ty)>) -> String {
    match ty {
        Ty::String | Ty::DateTime | Ty::Email | Ty::Url => "string".into(),
        Ty::Number | Ty::Integer => "number".into(),
        Ty::Bool => "boolean".into(),
        Ty::Enum(values) => values
            .iter()
            .map(|v| format!("{v:?}"))
            .collect::<Vec<_>>()
            .join(" | "),
        Ty::Object(fields) => ts_fields(&fields.iter().collect::<Vec<_>>(), depth, named),
        Ty::Array(inner) => format!("Array<{}>", ts_type(inner, depth, named)),
        Ty::Map(inner) => format!("Record<string, {} | null>", ts_type(inner, depth, named)),
        Ty::Any => "unknown".into(),
        // Both documented forms (the reference's with a warning at runtime).
        Ty::Either(alt) => format!(
            "{} | {}",
            ts_type(&alt.sender, depth, named),
            ts_type(&alt.reference, depth, named)
        ),
        Ty::Nullable(inner) => format!("{} | null", ts_type(inner, depth, named)),
        Ty::Named(name, inner) => {
            if !named.iter().any(|(n, _)| n == name) {
                named.push((name, inner));
            }
            (*name).to_string()
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Template variables
// ---------------------------------------------------------------------------------------------

/// A variable usable in a payload template, in the form the real sender renders.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateVariable {
    /// Handlebars path: `title`, `organizer.name`, `attendees.0.email` (booking-style triggers,
    /// whose template data is flat) or `payload.formId` (generic triggers).
    pub path: String,
    /// `string`, `number`, `integer`, `boolean`, `date-time`, `email`, `url`, `enum`, `array`
    /// or `any`.
    pub ty: &'static str,
    /// What it holds.
    pub description: String,
}

impl TemplateVariable {
    /// `{path, type, description}` for JS.
    pub fn to_value(&self) -> Value {
        obj(&[
            ("path", Value::string(self.path.as_str())),
            ("type", Value::string(self.ty)),
            ("description", Value::string(self.description.as_str())),
        ])
    }
}

/// The template variables of `trigger`, in Cal.com's real data layout: flat for booking-style
/// triggers (`{{title}}`, `{{attendees.0.email}}`; the reference's `{{payload.uid}}` renders
/// empty there), nested under `payload.` for generic triggers. Always starts with
/// `triggerEvent` and `createdAt`. Fails with `UNKNOWN_TRIGGER` for an unknown name.
///
/// Needs the `tools` cargo feature (on by default): without it every field's description and
/// example is empty, so each variable's `description` is `""` (an enum's keeps only its list
/// of values).
pub fn template_variables(trigger_name: &str) -> Result<Vec<TemplateVariable>, EventError> {
    let info = trigger(trigger_name).ok_or_else(|| EventError::unknown_trigger(trigger_name))?;
    let mut vars = vec![
        TemplateVariable {
            path: "triggerEvent".into(),
            ty: "string",
            description: format!("The trigger name (\"{}\").", info.name),
        },
        TemplateVariable {
            path: "createdAt".into(),
            ty: "date-time",
            description: "When the sender built the event (ISO 8601).".into(),
        },
    ];
    let prefix = match info.template_data {
        TemplateData::Flat => "",
        TemplateData::Nested => "payload",
    };
    for field in info.shape.fields() {
        // In flat data the envelope's triggerEvent/createdAt overwrite same-named payload keys.
        if prefix.is_empty() && matches!(field.name, "triggerEvent" | "createdAt") {
            continue;
        }
        let path = join(prefix, field.name);
        collect_vars(
            &field.ty,
            &path,
            field.description,
            field.example,
            &mut vars,
        );
    }
    Ok(vars)
}

/// [`template_variables`] in the form a dialect writes them. [`Dialect::Reference`](crate::template::Dialect::Reference) is the API
/// reference's documented form: `payload.`-prefixed paths (the envelope's `triggerEvent` and
/// `createdAt` stay at the root) with JavaScript-style indexes (`payload.attendees[0].email`).
///
/// Needs the `tools` cargo feature (on by default): without it every field's description and
/// example is empty, so each variable's `description` is `""` (an enum's keeps only its list
/// of values).
pub fn template_variables_in(
    trigger_name: &str,
    dialect: crate::template::Dialect,
) -> Result<Vec<TemplateVariable>, EventError> {
    let mut vars = template_variables(trigger_name)?;
    if dialect == crate::template::Dialect::Reference {
        for v in &mut vars {
            v.path = reference_path(&v.path);
        }
    }
    Ok(vars)
}

/// `attendees.0.email` → `payload.attendees[0].email`.
fn reference_path(path: &str) -> String {
    let prefixed = if path == "triggerEvent" || path == "createdAt" || path.starts_with("payload.")
    {
        path.to_string()
    } else {
        format!("payload.{path}")
    };
    let mut out = String::with_capacity(prefixed.len() + 4);
    for (i, seg) in prefixed.split('.').enumerate() {
        if i > 0 && !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit()) {
            out.push('[');
            out.push_str(seg);
            out.push(']');
        } else {
            if i > 0 {
                out.push('.');
            }
            out.push_str(seg);
        }
    }
    out
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}.{name}")
    }
}

fn collect_vars(
    ty: &Ty,
    path: &str,
    description: &str,
    example: &str,
    vars: &mut Vec<TemplateVariable>,
) {
    let mut push = |ty: &'static str, description: String| {
        vars.push(TemplateVariable {
            path: path.to_string(),
            ty,
            description,
        })
    };
    match ty {
        Ty::Named(_, inner) | Ty::Nullable(inner) => {
            collect_vars(inner, path, description, example, vars)
        }
        // Templates on the real sender see the sender's form.
        Ty::Either(alt) => collect_vars(&alt.sender, path, description, example, vars),
        Ty::String => push("string", description.into()),
        Ty::Number => push("number", description.into()),
        Ty::Integer => push("integer", description.into()),
        Ty::Bool => push("boolean", description.into()),
        Ty::DateTime => push("date-time", description.into()),
        Ty::Email => push("email", description.into()),
        Ty::Url => push("url", description.into()),
        Ty::Enum(values) => push(
            "enum",
            format!(
                "{description} One of {}.",
                super::shape::quoted_list(values)
            ),
        ),
        Ty::Any => push("any", description.into()),
        Ty::Object(fields) => {
            for field in fields.iter() {
                collect_vars(
                    &field.ty,
                    &join(path, field.name),
                    field.description,
                    field.example,
                    vars,
                );
            }
        }
        Ty::Array(inner) => match inner.resolve() {
            Ty::Object(fields) => {
                for field in fields.iter() {
                    let item = format!("{path}.0.{}", field.name);
                    let desc = format!("{} (first item)", field.description.trim_end_matches('.'));
                    collect_vars(&field.ty, &item, &desc, field.example, vars);
                }
            }
            _ => push("array", format!("{description} Renders comma-joined.")),
        },
        Ty::Map(inner) => {
            let key = if example.is_empty() || example == "-" {
                "key"
            } else {
                example
            };
            let key_path = if key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                join(path, key)
            } else {
                format!("{path}.[{key}]")
            };
            collect_vars(
                inner,
                &key_path,
                &format!("{description} (entry `{key}`)"),
                "",
                vars,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flat_and_nested_variables() {
        let vars = template_variables("BOOKING_CREATED").unwrap_or_default();
        let paths: Vec<&str> = vars.iter().map(|v| v.path.as_str()).collect();
        for p in [
            "triggerEvent",
            "createdAt",
            "title",
            "organizer.name",
            "attendees.0.email",
            "responses.email.value",
            "metadata.videoCallUrl",
        ] {
            assert!(paths.contains(&p), "{p} missing");
        }
        assert!(!paths.iter().any(|p| p.starts_with("payload.")));
        let vars = template_variables("FORM_SUBMITTED").unwrap_or_default();
        let paths: Vec<&str> = vars.iter().map(|v| v.path.as_str()).collect();
        assert!(paths.contains(&"payload.formId"));
        assert!(paths.contains(&"payload.responses.Email.value"));
        assert!(template_variables("NOPE").is_err());
    }

    #[test]
    fn schema_shapes() {
        let all = json_schema(None).unwrap_or_default();
        let one_of = all
            .get("oneOf")
            .and_then(Value::as_array)
            .map(<[Value]>::len);
        assert_eq!(one_of, Some(TRIGGERS.len()));
        let single = json_schema(Some("BOOKING_CANCELLED")).unwrap_or_default();
        let org = single.get("$defs").and_then(|d| d.get("CalOrganizer"));
        assert!(org.is_some());
        assert_eq!(
            single
                .get("properties")
                .and_then(|p| p.get("triggerEvent"))
                .and_then(|t| t.get("const"))
                .and_then(Value::as_str),
            Some("BOOKING_CANCELLED")
        );
        assert_eq!(
            json_schema(Some("x")).map_err(|e| e.code.as_str()).err(),
            Some("UNKNOWN_TRIGGER")
        );
    }

    #[test]
    fn typescript_union() {
        let ts = typescript_declarations();
        assert!(ts.contains("export type CalEvent =\n  | BookingCreatedEvent\n"));
        assert!(ts.contains("triggerEvent: \"BOOKING_CANCELLED\";"));
        assert!(ts.contains("cancellationReason?: string | null;"));
        assert!(ts.contains("export interface CalOrganizer {"));
        assert!(ts.contains("status?: \"ACCEPTED\" | \"PENDING\" | null;"));
    }
}
