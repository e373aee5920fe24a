//! The direct delivery: Cal.com's payload preparation spliced into the payload's JSON text,
//! rendered by the direct renderer ([`Template::try_render_json`]), without a value tree.
//!
//! The general path parses the payload into a tree, prepares it in place
//! ([`prepare_payload`](super::prepare::prepare_payload)), lays out the template data
//! ([`data_for`](super::data_for)) and renders the tree. Here the payload text is indexed (a
//! [`Tape`]), the preparation is worked out on that index, and what it adds is written as
//! extra members just before the closing `}` of the objects it changes (each attendee, the
//! organizer, the root): the data text is the payload's text plus those members. A lookup on
//! that text reads what it reads on the prepared tree, because a later duplicate key wins in
//! both `JSON.parse` and the tape, and the direct renderer only looks paths up (it declines to
//! print objects or iterate their keys, where member order would show).
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
use crate::json::tape::{Kind, Node, Tape};
use crate::json::{self, write_string};
use std::cell::RefCell;

thread_local! {
    /// The payload's node vector, reused from one delivery to the next.
    static NODES: RefCell<Vec<Node>> = const { RefCell::new(Vec::new()) };
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
    let data = data_text(input, payload_json, offsets, attendees)?;
    let rendered = compiled.try_render_json(&data)?;
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

/// The template data of the delivery as JSON text: the prepared payload, with `triggerEvent`
/// and `createdAt` spread in or around it as the trigger and dialect say.
fn data_text(
    input: &DeliveryInput,
    payload_json: &str,
    offsets: &UtcOffsets,
    attendees: Attendees,
) -> Option<String> {
    let generic = is_generic_trigger(&input.trigger_event);
    let wrapped = generic || input.dialect == Dialect::Reference;
    let nodes = NODES.with_borrow_mut(std::mem::take);
    let (prepared, nodes) = match Tape::build(payload_json, nodes) {
        Ok(tape) => {
            let root = tape.node(0);
            let edits = if generic {
                // Passed as given, but it must be an object.
                (root.kind == Kind::Object).then(Vec::new)
            } else {
                Preparation::new(&tape, offsets).run(attendees)
            };
            (edits.map(|edits| (edits, root)), tape.into_nodes())
        }
        Err(nodes) => (None, nodes),
    };
    if nodes.capacity() <= KEEP_NODES {
        NODES.with_borrow_mut(|slot| *slot = nodes);
    }
    let (mut edits, root) = prepared?;
    let extra: usize = edits.iter().map(|e| e.member.len() + 1).sum();
    let mut out = String::with_capacity(payload_json.len() + extra + 128);
    if wrapped {
        // `{triggerEvent, createdAt, payload}`.
        out.push_str("{\"triggerEvent\":");
        write_string(&mut out, &input.trigger_event);
        out.push_str(",\"createdAt\":");
        write_string(&mut out, &input.created_at);
        out.push_str(",\"payload\":");
        splice(&mut out, payload_json, &mut edits)?;
        out.push('}');
    } else {
        // `{...payload, triggerEvent, createdAt}`: set after the payload's own keys, so they win.
        for (key, value) in [
            ("triggerEvent", &input.trigger_event),
            ("createdAt", &input.created_at),
        ] {
            let mut member = String::with_capacity(value.len() + 20);
            write_string(&mut member, key);
            member.push(':');
            write_string(&mut member, value);
            edits.push(Edit::new(root, member));
        }
        splice(&mut out, payload_json, &mut edits)?;
    }
    Some(out)
}

/// A member to add to an object: written just before its closing `}` at byte `at`.
struct Edit {
    at: usize,
    /// The object already has members (the first member added there needs a comma).
    after_member: bool,
    /// `"key":value`.
    member: String,
}

impl Edit {
    /// Add `member` to the object `obj` (a tape node).
    fn new(obj: Node, member: String) -> Edit {
        Edit {
            at: obj.b as usize,
            after_member: obj.a > 0,
            member,
        }
    }
}

/// `text` with the `edits` written in, appended to `out`.
fn splice(out: &mut String, text: &str, edits: &mut [Edit]) -> Option<()> {
    // Stable: members added to one object keep the order they were set in.
    edits.sort_by_key(|e| e.at);
    let mut from = 0;
    let mut last_at = None;
    for e in edits.iter() {
        out.push_str(text.get(from..e.at)?);
        if e.after_member || last_at == Some(e.at) {
            out.push(',');
        }
        out.push_str(&e.member);
        from = e.at;
        last_at = Some(e.at);
    }
    out.push_str(text.get(from..)?);
    Some(())
}

/// Cal.com's preparation (`addUTCOffset`, the `description` fallback) worked out on a tape:
/// the members it adds, or `None` where the general path must decide.
struct Preparation<'a, 't> {
    tape: &'a Tape<'t>,
    offsets: &'a UtcOffsets,
    start_time: Option<String>,
    /// The last zone looked up (raw JSON string bytes) and its offset.
    last: Option<(&'t [u8], i32)>,
    edits: Vec<Edit>,
}

impl<'a, 't> Preparation<'a, 't> {
    fn new(tape: &'a Tape<'t>, offsets: &'a UtcOffsets) -> Self {
        Preparation {
            tape,
            offsets,
            start_time: None,
            last: None,
            edits: Vec::new(),
        }
    }

    /// What [`prepare_payload`](super::prepare::prepare_payload) does with `strict` set.
    fn run(mut self, attendees: Attendees) -> Option<Vec<Edit>> {
        let tape = self.tape;
        // The sender only handles objects.
        if tape.node(0).kind != Kind::Object {
            return None;
        }
        // isEventPayload: not a no-show payload ({message, bookingUid}) and not an OOO payload.
        let no_show =
            tape.member(0, "message")?.is_some() && tape.member(0, "bookingUid")?.is_some();
        if no_show || tape.member(0, "oooEntry")?.is_some() {
            return Some(self.edits);
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
        // data.description = data.description || data.additionalNotes
        let described = tape.member(0, "description")?;
        if !described.is_some_and(|d| self.truthy(d)) {
            match tape.member(0, "additionalNotes")? {
                Some(notes) => {
                    let mut member = String::from("\"description\":");
                    member.push_str(self.value_text(notes)?);
                    self.add(0, member);
                }
                // Deleted (`undefined`): not expressible by adding members.
                None if described.is_some() => return None,
                None => {}
            }
        }
        Some(self.edits)
    }

    fn attendee(&mut self, at: u32, attendees: Attendees) -> Option<()> {
        match self.tape.node(at).kind {
            Kind::Object => match self.tape.member(at, "timeZone")? {
                Some(tz) if self.truthy(tz) => self.person(at, tz),
                _ => {
                    self.add(at, "\"utcOffset\":null".to_string());
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
                let mut member = String::from("\"utcOffset\":");
                if minutes < 0 {
                    member.push('-');
                }
                let mut digits = [0u8; 20];
                let digits = json::decimal_digits(u64::from(minutes.unsigned_abs()), &mut digits);
                member.push_str(std::str::from_utf8(digits).ok()?);
                self.add(person, member);
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

    /// Add `member` to the object at node `obj`.
    fn add(&mut self, obj: u32, member: String) {
        self.edits.push(Edit::new(self.tape.node(obj), member));
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

    /// The JSON text of the member value at node `at`.
    fn value_text(&self, at: u32) -> Option<&'t str> {
        let node = self.tape.node(at);
        let text = self.tape.text;
        let (start, end) = match node.kind {
            Kind::Str | Kind::EscStr => ((node.a as usize).checked_sub(1)?, node.b as usize + 1),
            Kind::Number | Kind::Null | Kind::True | Kind::False => {
                (node.a as usize, node.b as usize)
            }
            Kind::Array | Kind::Object => {
                // From the key's closing quote: `:` and whitespace, then the value.
                let key = self.tape.node(at.checked_sub(1)?);
                let after = text.get(key.b as usize + 1..)?;
                let value = after.trim_start_matches([' ', '\t', '\n', '\r']);
                let value = value
                    .strip_prefix(':')?
                    .trim_start_matches([' ', '\t', '\n', '\r']);
                (text.len() - value.len(), node.b as usize + 1)
            }
        };
        text.get(start..end)
    }

    /// JS truthiness of the value at node `at`.
    fn truthy(&self, at: u32) -> bool {
        let node = self.tape.node(at);
        match node.kind {
            Kind::Null | Kind::False => false,
            Kind::True | Kind::Array | Kind::Object => true,
            Kind::Number => {
                let x = self.tape.number(node);
                x != 0.0 && !x.is_nan()
            }
            // An escaped string is never empty.
            Kind::Str => node.b > node.a,
            Kind::EscStr => true,
        }
    }
}
