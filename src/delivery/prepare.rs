//! Cal.com's payload preparation (`addUTCOffset` and the `description` fallback), done in place.
//!
//! The payload is taken by value: its objects are changed where they stand when nothing else
//! shares them (the payload a host just parsed), and copied only when shared
//! (`Rc::make_mut`), so a delivery no longer clones the payload, every attendee and the
//! template data on the way to the renderer.

use super::{put, utc_offset_at, DeliveryError, UtcOffsets};
use crate::json::{self, Object, Value};
use std::fmt;
use std::rc::Rc;

/// How the attendees of the payload reached the emulator.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Attendees {
    /// As given: every attendee is prepared and checked (a non-object one makes the sender
    /// throw).
    #[default]
    AsGiven,
    /// The host checked every attendee of the real payload (each is an object whose
    /// `timeZone` is absent, `null`, `""` or a zone with an offset in the host's
    /// [`UtcOffsets`]), so none can make the sender throw or leave a note, and sent only the
    /// attendees the template reads (`payload_projections` in `delivery.rs`): anything in
    /// `attendees` that is not an object stands for one it left out and is passed over.
    Checked,
}

/// Cal.com's `addUTCOffset` + `description` fallback on a booking-style payload.
/// `strict`: report payload shapes on which Cal.com throws.
pub(super) fn prepare_payload(
    payload: Value,
    offsets: &UtcOffsets,
    notes: &mut Vec<String>,
    strict: bool,
    attendees: Attendees,
) -> Result<Value, DeliveryError> {
    let mut payload = payload;
    let Value::Object(obj) = &mut payload else {
        return if strict {
            Err(DeliveryError::PayloadNotObject {
                found: payload.type_name(),
            })
        } else {
            Ok(payload)
        };
    };
    // isEventPayload: not a no-show payload ({message, bookingUid}) and not an OOO payload.
    let no_show = obj.contains_key("message") && obj.contains_key("bookingUid");
    if no_show || obj.contains_key("oooEntry") {
        return Ok(payload);
    }
    let data = Rc::make_mut(obj);
    let start_time = match data.get("startTime") {
        Some(Value::String(s)) => Some(s.clone()),
        _ => None,
    };
    let mut zones = Zones {
        offsets,
        start_time: start_time.as_deref(),
        key: Rc::from("utcOffset"),
        last: None,
    };

    // data.organizer?.timeZone → organizer.utcOffset
    if let Some(Value::Object(org)) = data.get("organizer") {
        if org.get("timeZone").is_some_and(Value::is_truthy) {
            let mut org = take(data, "organizer");
            let result = match &mut org {
                Value::Object(org) => {
                    let person = Rc::make_mut(org);
                    let tz = person.get("timeZone").cloned().unwrap_or_default();
                    zones.set(person, &tz, Person::Organizer, notes)
                }
                _ => Ok(()),
            };
            put(data, "organizer", org);
            result?;
        }
    }
    // data.attendees?.length → every attendee.utcOffset
    if matches!(data.get("attendees"), Some(Value::Array(list)) if !list.is_empty()) {
        let mut list = take(data, "attendees");
        let result = match &mut list {
            Value::Array(list) => prepare_attendees(
                Rc::make_mut(list).as_mut_slice(),
                &mut zones,
                notes,
                strict,
                attendees,
            ),
            _ => Ok(()),
        };
        put(data, "attendees", list);
        result?;
    }
    // data.description = data.description || data.additionalNotes
    let described = data.get("description").is_some_and(Value::is_truthy);
    if !described {
        match data.get("additionalNotes").cloned() {
            Some(notes_value) => put(data, "description", notes_value),
            None => {
                data.remove("description");
            }
        }
    }
    Ok(payload)
}

fn prepare_attendees(
    list: &mut [Value],
    zones: &mut Zones<'_>,
    notes: &mut Vec<String>,
    strict: bool,
    attendees: Attendees,
) -> Result<(), DeliveryError> {
    for (i, attendee) in list.iter_mut().enumerate() {
        match attendee {
            Value::Object(a) => {
                let a = Rc::make_mut(a);
                match a.get("timeZone").filter(|v| v.is_truthy()).cloned() {
                    Some(tz) => zones.set(a, &tz, Person::Attendee(i), notes)?,
                    None => a.insert(zones.key.clone(), Value::Null),
                }
            }
            Value::Array(_) => {}
            _ if attendees == Attendees::Checked => {}
            other if strict => {
                return Err(DeliveryError::PayloadShape {
                    message: format!(
                        "attendees[{i}] is {}: Cal.com's sender throws a TypeError \
                         setting its utcOffset",
                        other.type_name()
                    ),
                })
            }
            _ => {}
        }
    }
    Ok(())
}

/// The value of `key` (present), replaced by `null` in `object` (so that the caller holds the only
/// reference and can change it in place before putting it back, at the same position).
fn take(object: &mut Object, key: &str) -> Value {
    let value = object.get(key).cloned().unwrap_or_default();
    put(object, key, Value::Null);
    value
}

/// Whose `utcOffset` is set, named only in errors and notes (formatted then, not per person).
#[derive(Clone, Copy)]
enum Person {
    Organizer,
    Attendee(usize),
}

impl fmt::Display for Person {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Person::Organizer => f.write_str("organizer"),
            Person::Attendee(i) => write!(f, "attendees[{i}]"),
        }
    }
}

/// The offsets of one delivery's zones: the host's table, else [`utc_offset_at`] at the start
/// time, remembered for the last zone computed (the attendees of a booking mostly share a few
/// zones).
struct Zones<'a> {
    offsets: &'a UtcOffsets,
    start_time: Option<&'a str>,
    /// `"utcOffset"`, allocated once per delivery rather than per person.
    key: Rc<str>,
    last: Option<(Rc<str>, Option<i32>)>,
}

impl Zones<'_> {
    fn computed(&mut self, zone: &Rc<str>) -> Option<i32> {
        if let Some((last, minutes)) = &self.last {
            if **last == **zone {
                return *minutes;
            }
        }
        let minutes = utc_offset_at(zone, self.start_time);
        self.last = Some((zone.clone(), minutes));
        minutes
    }

    fn set(
        &mut self,
        person: &mut Object,
        tz: &Value,
        who: Person,
        notes: &mut Vec<String>,
    ) -> Result<(), DeliveryError> {
        let zone = match tz {
            Value::String(zone) => Some(zone),
            _ => None,
        };
        if let Some(zone) = zone {
            match self.offsets.get(&**zone) {
                Some(Some(minutes)) => {
                    person.insert(self.key.clone(), Value::Number(f64::from(*minutes)));
                    return Ok(());
                }
                Some(None) => {
                    return Err(DeliveryError::InvalidTimeZone {
                        who: who.to_string(),
                        zone: zone.to_string(),
                    })
                }
                None => {}
            }
        }
        match zone.and_then(|zone| self.computed(zone)) {
            Some(minutes) => person.insert(self.key.clone(), Value::Number(f64::from(minutes))),
            None if person.contains_key("utcOffset") => {}
            None => notes.push(format!(
                "{who}.utcOffset not added: the offset of time zone {} at this startTime needs a \
                 time-zone database; pass utcOffset in the payload to reproduce Cal.com exactly",
                json::stringify(tz)
            )),
        }
        Ok(())
    }
}
