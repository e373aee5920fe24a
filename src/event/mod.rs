//! Cal.com webhook events: every trigger and its payload shape described once, as data
//! ([`trigger`](mod@trigger), [`shape`]), and everything derived from that description:
//! validation, parsing, samples, JSON Schema, TypeScript declarations and template variables.
//!
//! - [`parse_event`]: raw body → [`Event`] (normal envelope, legacy flat MEETING_* body,
//!   FORM_SUBMITTED with responses copied to the root), with a replay window on `createdAt`.
//! - [`validate_event`]: every issue of an event body, with stable codes and paths.
//! - [`sample_payload`], [`json_schema`], [`typescript_declarations`], [`template_variables`].
//! - [`event_key`]: a stable idempotency key.

mod attrs;
mod error;
mod fast;
mod fields;
pub mod key;
pub mod parse;
mod received;
pub mod sample;
pub mod schema;
pub mod shape;
pub mod trigger;
pub mod validate;
mod write;

pub use attrs::{attrs_named, field_attrs};
pub use error::{EventError, EventErrorCode};
#[doc(hidden)]
pub use fast::{fast_meta, fast_meta_utf8};
pub use key::{event_key, event_key_of};
pub use parse::{
    event_from_value, parse_event, EnvelopeShape, Event, ParseEventOptions, UncheckedEvent,
};
/// The old name of [`ParseEventOptions`], kept while branches that use it merge.
#[doc(hidden)]
pub type ParseOptions = ParseEventOptions;
pub use sample::{sample_data_full, sample_payload};
pub use schema::{
    json_schema, template_variables, template_variables_in, typescript_declarations,
    TemplateVariable,
};
pub use shape::{Alternative, Attrs, Field, ReferenceForm, Shape, Ty};
pub use trigger::{trigger, TemplateData, TriggerInfo, TRIGGERS};
pub use validate::{validate_event, validate_event_value, validate_shape, Issue, IssueCode};

use crate::json::{Object, Value};

/// The only webhook payload version defined upstream: the `X-Cal-Webhook-Version` header a
/// delivery sends and the `version` a webhook is created with.
pub const WEBHOOK_VERSION: &str = "2021-10-20";

/// A JS object of `entries`, in order (each value taken, leaving `null`). The event module's
/// `to_value`s build small objects on error and slow paths only: one builder that is not
/// inlined keeps the key allocation and insertion out of every call site.
#[inline(never)]
pub(crate) fn object_of(entries: &mut [(&'static str, Value)]) -> Value {
    let mut o = Object::new();
    for (key, value) in entries {
        o.insert(*key, std::mem::take(value));
    }
    Value::object(o)
}

/// [`object_of`] without the entries whose value is `null`.
#[inline(never)]
pub(crate) fn object_of_present(entries: &mut [(&'static str, Value)]) -> Value {
    let mut o = Object::new();
    for (key, value) in entries {
        if !value.is_null() {
            o.insert(*key, std::mem::take(value));
        }
    }
    Value::object(o)
}

/// `Value::string(s)`, not inlined (see [`object_of`]).
#[inline(never)]
pub(crate) fn text(s: &str) -> Value {
    Value::string(s)
}

/// The trigger table as a JS array of
/// `{name, description, documented, emitted, subscribable}`.
pub fn triggers_value() -> Value {
    Value::array(
        TRIGGERS
            .iter()
            .map(|t| {
                let mut o = Object::new();
                o.insert("name", Value::string(t.name));
                o.insert("description", Value::string(t.description));
                o.insert("documented", Value::Bool(t.documented));
                o.insert("emitted", Value::Bool(t.emitted));
                o.insert("subscribable", Value::Bool(t.subscribable));
                Value::object(o)
            })
            .collect(),
    )
}
