//! The direct delivery: Cal.com's payload preparation worked out on the payload's tape (the
//! flat index of its JSON text) and added to it, rendered by the direct renderer, without a
//! value tree.
//!
//! The general path parses the payload into a tree, prepares it in place
//! ([`prepare_payload`](super::prepare::prepare_payload)), lays out the template data
//! ([`data_for`](super::data_for)) and renders the tree. Here the payload text is indexed (a
//! [`Tape`]), the preparation is worked out on that index, and what it adds becomes members
//! appended to the objects it changes (each attendee, the organizer, the root:
//! [`Tape::with_members`], their keys and scalars written after the payload's text), wrapped
//! in `{triggerEvent, createdAt, payload}` where the layout says so. A lookup on that tape reads
//! what it reads on the prepared tree, because a later duplicate key wins in both `JSON.parse`
//! and the tape, and the direct renderer only looks paths up (it declines to print objects or
//! iterate their keys, where member order would show).
//!
//! Whatever this path cannot vouch for gives `None`, and the caller takes the general path,
//! which then gives the same delivery, error or note: a payload that is not an object, an
//! attendee on which the sender throws, an invalid or unknown time zone, a `description` the
//! preparation deletes, a template outside the direct renderer's subset, anything the direct
//! renderer declines, an empty form body. `tests/delivery_direct.rs` checks the two paths agree
//! on generated templates and payloads.

use super::{
    is_generic_trigger, utc_offset_at, Attendees, DeliveryBody, DeliveryInput, Dialect,
    PreparedTemplate, UtcOffsets, CONTENT_TYPE_FORM, CONTENT_TYPE_JSON,
};
use crate::json::tape::{Kind, Member, MemberValue, Node, Tape};
use crate::json::{self, write_string};
use crate::template::Template;
use std::cell::RefCell;

thread_local! {
    /// The payload's node vector, reused from one delivery to the next.
    static NODES: RefCell<Vec<Node>> = const { RefCell::new(Vec::new()) };
    /// The node vector of the payload's tape with the preparation's members added.
    static EXTENDED: RefCell<Vec<Node>> = const { RefCell::new(Vec::new()) };
}

/// Node vectors grown past this many nodes are released after use.
const KEEP_NODES: usize = 1 << 16;

/// The delivery body of `input` with `payload_json` as its payload, when the direct path can
/// vouch for it (see the module docs); `None`: take the general path.
pub(super) fn direct_body(
    input: &DeliveryInput,
    payload_json: &str,
    offsets: &UtcOffsets,
    attendees: Attendees,
    template: Option<&PreparedTemplate>,
) -> Option<DeliveryBody> {
    if input.subscriber_url.as_deref() == Some("") {
        return None;
    }
    let template = template?;
    let is_json = *template.is_json.as_ref().ok()?;
    let compiled = template.compiled.as_ref().ok()?;
    if !compiled.renders_json_directly() {
        return None;
    }
    let rendered = render_data(input, payload_json, offsets, attendees, compiled)?;
    let rendered = super::unquoted(rendered);
    let body = if is_json {
        super::reserialized(&rendered).ok()?
    } else {
        rendered
    };
    if body.is_empty() {
        return None;
    }
    Some(DeliveryBody {
        body,
        content_type: if is_json {
            CONTENT_TYPE_JSON
        } else {
            CONTENT_TYPE_FORM
        },
        notes: Vec::new(),
    })
}

/// Render `template` against the template data of the delivery: the prepared payload, with
/// `triggerEvent` and `createdAt` spread in or around it as the trigger and dialect say.
fn render_data(
    input: &DeliveryInput,
    payload_json: &str,
    offsets: &UtcOffsets,
    attendees: Attendees,
    template: &Template,
) -> Option<String> {
    let generic = is_generic_trigger(&input.trigger_event);
    let wrapped = generic || input.dialect == Dialect::Reference;
    let nodes = NODES.with_borrow_mut(std::mem::take);
    let (rendered, nodes) = match Tape::build(payload_json, nodes) {
        Ok(tape) => {
            let adds = if generic {
                // Passed as given, but it must be an object.
                (tape.node(0).kind == Kind::Object).then(Vec::new)
            } else {
                Preparation::new(&tape, offsets).run(attendees)
            };
            let rendered = adds.and_then(|mut adds| {
                let created = (input.trigger_event.as_str(), input.created_at.as_str());
                if wrapped {
                    // `{triggerEvent, createdAt, payload}`.
                    render_extended(&tape, &adds, Some(created), template)
                } else {
                    // `{...payload, triggerEvent, createdAt}`: set after the payload's own
                    // keys, so they win.
                    adds.push(Add::text(0, r#""triggerEvent""#, created.0));
                    adds.push(Add::text(0, r#""createdAt""#, created.1));
                    render_extended(&tape, &adds, None, template)
                }
            });
            (rendered, tape.into_nodes())
        }
        Err(nodes) => (None, nodes),
    };
    if nodes.capacity() <= KEEP_NODES {
        NODES.with_borrow_mut(|slot| *slot = nodes);
    }
    rendered
}

/// Render `template` against `tape` with `adds` added (and inside `{triggerEvent, createdAt,
/// payload}` when `wrap` gives those two): the tape is extended rather than a new text indexed
/// (the added keys and scalars are written after the payload's text).
fn render_extended(
    tape: &Tape<'_>,
    adds: &[Add<'_>],
    wrap: Option<(&str, &str)>,
    template: &Template,
) -> Option<String> {
    let extra: usize = adds.iter().map(Add::len).sum();
    let mut text = String::with_capacity(tape.text.len() + extra + 96);
    text.push_str(tape.text);
    let mut members = Vec::with_capacity(adds.len());
    // By object: the root (node 0) first.
    let root = adds.iter().filter(|a| a.object == 0);
    for add in root.chain(adds.iter().filter(|a| a.object != 0)) {
        let key = scalar(&mut text, |out| out.push_str(add.key));
        let value = match add.value {
            Value::Node(at) => MemberValue::Copy(at),
            _ => MemberValue::Scalar(scalar(&mut text, |out| add.write_value(out))),
        };
        members.push(Member {
            object: add.object,
            key,
            value,
        });
    }
    let mut nodes = EXTENDED.with_borrow_mut(std::mem::take);
    nodes.clear();
    if let Some((trigger, created_at)) = wrap {
        // The root and its members before the payload, which is its last value.
        nodes.push(Node {
            kind: Kind::Object,
            a: 3,
            b: 0,
            next: 0,
        });
        for (key, value) in [
            (r#""triggerEvent""#, trigger),
            (r#""createdAt""#, created_at),
        ] {
            push(&mut nodes, scalar(&mut text, |out| out.push_str(key)));
            push(
                &mut nodes,
                scalar(&mut text, |out| write_string(out, value)),
            );
        }
        push(
            &mut nodes,
            scalar(&mut text, |out| out.push_str(r#""payload""#)),
        );
    }
    let mut extended = tape.with_members(&text, &members, nodes);
    if wrap.is_some() {
        let end = extended.nodes.len() as u32;
        if let Some(root) = extended.nodes.first_mut() {
            root.next = end;
        }
    }
    let rendered = template.try_render_tape(&extended);
    let nodes = extended.into_nodes();
    if nodes.capacity() <= KEEP_NODES {
        EXTENDED.with_borrow_mut(|slot| *slot = nodes);
    }
    rendered
}

/// Append the scalar `node` to `nodes`.
fn push(nodes: &mut Vec<Node>, node: Node) {
    let next = nodes.len() as u32 + 1;
    nodes.push(Node { next, ..node });
}

/// Write a scalar's JSON text with `write` at the end of `text`; returns its node.
fn scalar(text: &mut String, write: impl FnOnce(&mut String)) -> Node {
    let start = text.len();
    write(text);
    scalar_at(text, start)
}

/// The node of the scalar written in `text` from `start` to its end.
#[inline(never)]
fn scalar_at(text: &str, start: usize) -> Node {
    let literal = text.get(start..).unwrap_or("");
    let (kind, a, b) = match literal.as_bytes().first() {
        Some(b'"') if literal.contains('\\') => (Kind::EscStr, start + 1, text.len() - 1),
        Some(b'"') => (Kind::Str, start + 1, text.len() - 1),
        Some(b'n') => (Kind::Null, start, text.len()),
        _ => (Kind::Number, start, text.len()),
    };
    Node {
        kind,
        a: a as u32,
        b: b as u32,
        next: 0,
    }
}

/// The key Cal.com's `addUTCOffset` sets, as JSON.
const UTC_OFFSET: &str = r#""utcOffset""#;

/// A member the preparation adds to an object of the payload.
struct Add<'s> {
    /// The object (a tape node).
    object: u32,
    /// The key as a JSON string (quoted, nothing to escape).
    key: &'static str,
    value: Value<'s>,
}

/// The value of an [`Add`].
enum Value<'s> {
    /// A `utcOffset` in minutes.
    Minutes(i32),
    Null,
    /// A value of the payload (the `description` fallback).
    Node(u32),
    Text(&'s str),
}

impl<'s> Add<'s> {
    fn text(object: u32, key: &'static str, value: &'s str) -> Add<'s> {
        Add {
            object,
            key,
            value: Value::Text(value),
        }
    }

    /// About the length of the member's text (for reserving).
    fn len(&self) -> usize {
        self.key.len()
            + 16
            + match self.value {
                Value::Text(t) => t.len() + 8,
                _ => 0,
            }
    }

    /// Write the value's JSON text (not for [`Value::Node`], which is copied as a subtree).
    fn write_value(&self, out: &mut String) {
        match self.value {
            Value::Minutes(minutes) => json::write_number(out, f64::from(minutes)),
            Value::Null | Value::Node(_) => out.push_str("null"),
            Value::Text(t) => write_string(out, t),
        }
    }
}

/// Cal.com's preparation (`addUTCOffset`, the `description` fallback) worked out on a tape:
/// the members it adds, or `None` where the general path must decide.
struct Preparation<'a, 't> {
    tape: &'a Tape<'t>,
    offsets: &'a UtcOffsets,
    start_time: Option<String>,
    /// The last zone looked up (raw JSON string bytes) and its offset.
    last: Option<(&'t [u8], i32)>,
    adds: Vec<Add<'t>>,
}

impl<'a, 't> Preparation<'a, 't> {
    fn new(tape: &'a Tape<'t>, offsets: &'a UtcOffsets) -> Self {
        Preparation {
            tape,
            offsets,
            start_time: None,
            last: None,
            adds: Vec::new(),
        }
    }

    /// What [`prepare_payload`](super::prepare::prepare_payload) does with `strict` set: the
    /// members it adds, those of the objects inside the root in text order, then the root's.
    fn run(mut self, attendees: Attendees) -> Option<Vec<Add<'t>>> {
        let tape = self.tape;
        // The sender only handles objects.
        if tape.node(0).kind != Kind::Object {
            return None;
        }
        // isEventPayload: not a no-show payload ({message, bookingUid}) and not an OOO payload.
        let no_show =
            tape.member(0, "message")?.is_some() && tape.member(0, "bookingUid")?.is_some();
        if no_show || tape.member(0, "oooEntry")?.is_some() {
            return Some(self.adds);
        }
        self.start_time = match tape.member(0, "startTime")? {
            Some(at) => self.string(at),
            None => None,
        };
        // data.organizer?.timeZone → organizer.utcOffset
        if let Some(org) = tape.member(0, "organizer")? {
            if tape.node(org).kind == Kind::Object {
                if let Some(tz) = tape.member(org, "timeZone")?.filter(|&tz| self.truthy(tz)) {
                    self.person(org, tz)?;
                }
            }
        }
        let organizer = self.adds.pop();
        // data.attendees?.length → every attendee.utcOffset
        if let Some(list) = tape.member(0, "attendees")? {
            let node = tape.node(list);
            if node.kind == Kind::Array {
                let mut at = list + 1;
                for _ in 0..node.a {
                    self.attendee(at, attendees)?;
                    at = tape.node(at).next;
                }
            }
        }
        // In the order of the objects in the text (the attendees' already are).
        if let Some(org) = organizer {
            let at = self.adds.partition_point(|a| a.object < org.object);
            self.adds.insert(at, org);
        }
        // data.description = data.description || data.additionalNotes
        let described = tape.member(0, "description")?;
        if !described.is_some_and(|d| self.truthy(d)) {
            match tape.member(0, "additionalNotes")? {
                Some(notes) => self.add(0, r#""description""#, Value::Node(notes)),
                // Deleted (`undefined`): not expressible by adding members.
                None if described.is_some() => return None,
                None => {}
            }
        }
        Some(self.adds)
    }

    fn attendee(&mut self, at: u32, attendees: Attendees) -> Option<()> {
        match self.tape.node(at).kind {
            Kind::Object => match self.tape.member(at, "timeZone")? {
                Some(tz) if self.truthy(tz) => self.person(at, tz),
                _ => {
                    self.add(at, UTC_OFFSET, Value::Null);
                    Some(())
                }
            },
            Kind::Array => Some(()),
            // One the host left out (it checked them all).
            _ if attendees == Attendees::Checked => Some(()),
            // The sender throws a TypeError.
            _ => None,
        }
    }

    /// Set `utcOffset` on the person object at `person`, whose `timeZone` (truthy) is at `tz`.
    fn person(&mut self, person: u32, tz: u32) -> Option<()> {
        let node = self.tape.node(tz);
        let minutes = match node.kind {
            Kind::Str => self.offset_raw(self.tape.raw_bytes(node))?,
            Kind::EscStr => {
                let zone = self.tape.decode(node)?;
                self.offset(&zone)?
            }
            // Not a zone name: no offset.
            _ => None,
        };
        match minutes {
            Some(minutes) => {
                self.add(person, UTC_OFFSET, Value::Minutes(minutes));
                Some(())
            }
            // An offset given in the payload is kept.
            None if self.tape.member(person, "utcOffset")?.is_some() => Some(()),
            // Without one the general path leaves a note.
            None => None,
        }
    }

    /// [`Preparation::offset`] of an unescaped zone name, remembered for the next person in
    /// the same zone (the attendees of a booking mostly share one).
    fn offset_raw(&mut self, zone: &'t [u8]) -> Option<Option<i32>> {
        if let Some((last, minutes)) = self.last {
            if last == zone {
                return Some(Some(minutes));
            }
        }
        let minutes = self.offset(std::str::from_utf8(zone).ok()?)?;
        if let Some(minutes) = minutes {
            self.last = Some((zone, minutes));
        }
        Some(minutes)
    }

    /// The host's offset for `zone`, else the database-free one: `Some(None)` when there is
    /// none, `None` for a zone the host rejected (the sender throws: the general path reports it).
    fn offset(&self, zone: &str) -> Option<Option<i32>> {
        match self.offsets.get(zone) {
            Some(Some(minutes)) => Some(Some(*minutes)),
            Some(None) => None,
            None => Some(utc_offset_at(zone, self.start_time.as_deref())),
        }
    }

    /// Add `key: value` to the object at node `object`.
    fn add(&mut self, object: u32, key: &'static str, value: Value<'t>) {
        self.adds.push(Add { object, key, value });
    }

    /// The string at node `at`, if it is one.
    fn string(&self, at: u32) -> Option<String> {
        let node = self.tape.node(at);
        match node.kind {
            Kind::Str => Some(self.tape.raw(node).to_string()),
            Kind::EscStr => self.tape.decode(node).map(|s| s.to_string()),
            _ => None,
        }
    }

    /// JS truthiness of the value at node `at`.
    fn truthy(&self, at: u32) -> bool {
        self.tape.truthy(self.tape.node(at))
    }
}
