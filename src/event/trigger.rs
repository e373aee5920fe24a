//! Every trigger, with its metadata and payload shape, as one `const` table.
//!
//! Sources: the API reference (14 documented triggers) and the facts read from the Cal.com sender
//! (28 enum values, the `PING` test). Where the facts are thin a shape requires nothing and lists
//! only plausible optional fields: a receiver must never reject a real payload.

use super::shape::{opt, req, Alternative, Field, ReferenceForm, Shape, Ty};

/// How a payload template sees the data of this trigger.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TemplateData {
    /// Booking-style: `{...payload, triggerEvent, createdAt}` (`{{title}}`, `{{organizer.name}}`).
    Flat,
    /// Generic events (newest code): `{...rootData, triggerEvent, createdAt, payload}`
    /// (`{{payload.formId}}`).
    Nested,
}

/// Metadata and payload shape of one trigger.
#[derive(Debug)]
pub struct TriggerInfo {
    /// The `triggerEvent` value.
    pub name: &'static str,
    /// What happened.
    pub description: &'static str,
    /// Listed in the API reference's trigger table.
    pub documented: bool,
    /// Sent by the current Cal.com code (`BOOKING_CONFIRMED` is documented but never sent).
    pub emitted: bool,
    /// Can be put in a webhook's `triggers` (`PING` is only sent by the "Ping test" button).
    pub subscribable: bool,
    /// How payload templates see the data.
    pub template_data: TemplateData,
    /// Older Cal.com code posts this trigger's payload flat at the root (no `payload`
    /// wrapper); a body without `payload` is read that way.
    pub legacy_flat: bool,
    /// The sender also copies the payload's fields to the root, beside `payload`.
    pub form_root_copy: bool,
    /// The shape of `payload`.
    pub shape: &'static Shape,
}

impl TriggerInfo {
    /// The TypeScript name stem: `BOOKING_CREATED` → `BookingCreated`.
    pub fn type_name(&self) -> String {
        self.name
            .split('_')
            .map(|w| {
                let mut chars = w.chars();
                match chars.next() {
                    Some(c) => {
                        c.to_ascii_uppercase().to_string() + &chars.as_str().to_ascii_lowercase()
                    }
                    None => String::new(),
                }
            })
            .collect()
    }
}

/// The trigger called `name` (exact, case-sensitive, as the sender spells it).
pub fn trigger(name: &str) -> Option<&'static TriggerInfo> {
    TRIGGERS.iter().find(|t| t.name == name)
}

// ---------------------------------------------------------------------------------------------
// Shared parts
// ---------------------------------------------------------------------------------------------

const LANGUAGE: Ty = Ty::Object(&[opt!(
    "locale",
    Ty::String,
    "Language code, e.g. `en`.",
    "en"
)]);

const ORGANIZER: Ty = Ty::Named(
    "CalOrganizer",
    &Ty::Object(&[
        opt!("id", Ty::Integer, "Cal.com user id.", "123"),
        req!(
            "name",
            Ty::String,
            "Organizer's name.",
            "Jane Smith",
            free_text
        ),
        req!("email", Ty::Email, "Organizer's email.", "jane@company.com"),
        opt!("username", Ty::String, "Cal.com username.", "jane"),
        req!(
            "timeZone",
            Ty::String,
            "IANA time zone.",
            "America/New_York"
        ),
        opt!(
            "language",
            LANGUAGE,
            "Language (`{locale}`).",
            "-",
            object("locale")
        ),
        opt!(
            "timeFormat",
            Ty::String,
            "Preferred time format, e.g. `h:mma`.",
            "h:mma"
        ),
        opt!(
            "utcOffset",
            Ty::Integer,
            "Offset from UTC in minutes, added by the sender.",
            "-300"
        ),
    ]),
);

const ATTENDEE: Ty = Ty::Named(
    "CalAttendee",
    &Ty::Object(&[
        req!(
            "name",
            Ty::String,
            "Attendee's name.",
            "John Doe",
            free_text
        ),
        req!("email", Ty::Email, "Attendee's email.", "john@example.com"),
        opt!(
            "firstName",
            Ty::String,
            "First name, when the form splits the name.",
            "John",
            free_text
        ),
        opt!(
            "lastName",
            Ty::String,
            "Last name, when the form splits the name.",
            "Doe",
            free_text
        ),
        req!("timeZone", Ty::String, "IANA time zone.", "Europe/London"),
        opt!(
            "language",
            LANGUAGE,
            "Language (`{locale}`).",
            "-",
            object("locale")
        ),
        opt!(
            "phoneNumber",
            Ty::String,
            "Phone number, when collected.",
            ""
        ),
        opt!(
            "utcOffset",
            Ty::Integer,
            "Offset from UTC in minutes, added by the sender.",
            "0"
        ),
    ]),
);

const RESPONSE: Ty = Ty::Named(
    "CalBookingResponse",
    &Ty::Object(&[
        opt!(
            "label",
            Ty::String,
            "The booking-form field's label.",
            "Email Address",
            free_text
        ),
        opt!(
            "value",
            Ty::Any,
            "The answer (string, array, object...).",
            "john@example.com",
            free_text
        ),
        opt!("isHidden", Ty::Bool, "Whether the field is hidden.", ""),
    ]),
);

/// A booking-form answer: `{label, value}` from the sender, or the plain value the API
/// reference's BOOKING_CREATED example shows (`"name": "John Doe"`), accepted with a
/// `REFERENCE_RESPONSE_VALUE` warning.
const RESPONSE_OR_PLAIN: Ty = Ty::Either(&Alternative {
    sender: RESPONSE,
    reference: Ty::String,
    form: ReferenceForm::PlainResponseValue,
});

const STATUSES: &[&str] = &[
    "ACCEPTED",
    "PENDING",
    "CANCELLED",
    "REJECTED",
    "AWAITING_HOST",
];

/// The CalendarEvent every booking trigger carries (status excluded: it differs per trigger).
const CAL_EVENT: &[Field] = &[
    opt!("type", Ty::String, "Event-type slug.", "30min"),
    req!(
        "title",
        Ty::String,
        "Event title.",
        "30 Minute Meeting between Jane Smith and John Doe", free_text
    ),
    opt!(
        "description",
        Ty::String,
        "Event description (falls back to additionalNotes in templates).",
        "Discuss the project", free_text
    ),
    opt!(
        "additionalNotes",
        Ty::String,
        "Notes the booker entered.",
        "Looking forward to it", free_text
    ),
    req!(
        "startTime",
        Ty::DateTime,
        "Start (ISO 8601).",
        "2024-01-15T10:00:00Z"
    ),
    req!(
        "endTime",
        Ty::DateTime,
        "End (ISO 8601).",
        "2024-01-15T10:30:00Z"
    ),
    req!("organizer", ORGANIZER, "The host.", "", object("name")),
    req!("attendees", Ty::Array(&ATTENDEE), "The attendees.", "", object("0.name")),
    opt!(
        "location",
        Ty::String,
        "Location: a URL, an address or an app id such as `integrations:daily`.",
        "https://cal.com/video/abc123", free_text
    ),
    req!("uid", Ty::String, "Booking UID.", "bFJeNb2uX8ANpT3JL5EfXw"),
    opt!("bookingId", Ty::Integer, "Booking id.", "4242"),
    opt!("eventTypeId", Ty::Integer, "Event-type id.", "1337"),
    opt!(
        "responses",
        Ty::Map(&RESPONSE_OR_PLAIN),
        "Booking-form answers by field name (`responses.email.value`); the API reference shows plain values (`responses.email`), accepted with a `REFERENCE_RESPONSE_VALUE` warning.",
        "email", open_keys, object("")
    ),
    opt!(
        "userFieldsResponses",
        Ty::Map(&RESPONSE),
        "Answers to custom booking-form fields.",
        "", open_keys, object("")
    ),
    opt!("customInputs", Ty::Any, "Legacy custom inputs.", "{}", open_keys, object("")),
    opt!(
        "destinationCalendar",
        Ty::Any,
        "Calendar the booking was written to (object or array).",
        "", object("")
    ),
    opt!(
        "videoCallData",
        Ty::Object(&[
            opt!(
                "type",
                Ty::String,
                "Video app, e.g. `daily_video`.",
                "daily_video"
            ),
            opt!(
                "id",
                Ty::Any,
                "Meeting id (a string, or a number from some video apps).",
                "abc123"
            ),
            opt!("password", Ty::String, "Meeting password.", ""),
            opt!(
                "url",
                Ty::String,
                "Meeting URL.",
                "https://cal.com/video/abc123", url
            ),
        ]),
        "Video-call details.",
        "-", object("")
    ),
    opt!(
        "appsStatus",
        Ty::Array(&Ty::Any),
        "Per-app results of the booking.",
        "", open_keys, object("")
    ),
    opt!(
        "iCalUID",
        Ty::String,
        "iCalendar UID.",
        "bFJeNb2uX8ANpT3JL5EfXw@Cal.com"
    ),
    opt!(
        "iCalSequence",
        Ty::Integer,
        "iCalendar sequence number.",
        "0"
    ),
    opt!(
        "metadata",
        Ty::Object(&[opt!(
            "videoCallUrl",
            Ty::String,
            "Video-call URL.",
            "https://cal.com/video/abc123", url
        ),]),
        "Booking metadata.",
        "-", open_keys, object("")
    ),
    opt!(
        "eventTitle",
        Ty::String,
        "Event-type title.",
        "30 Minute Meeting", free_text
    ),
    opt!(
        "eventDescription",
        Ty::String,
        "Event-type description.",
        "", free_text
    ),
    opt!(
        "price",
        Ty::Number,
        "Price in the smallest currency unit.",
        "0"
    ),
    opt!("currency", Ty::String, "Currency code.", "usd"),
    opt!("length", Ty::Integer, "Duration in minutes.", "30"),
    opt!(
        "team",
        Ty::Object(&[
            opt!("name", Ty::String, "Team name.", "", free_text),
            opt!("members", Ty::Array(&Ty::Any), "Team members.", ""),
            opt!("id", Ty::Integer, "Team id.", ""),
        ]),
        "Team of a team event.",
        "", object("name")
    ),
];

const CREATED_STATUS: &[Field] = &[opt!(
    "status",
    Ty::Enum(&["ACCEPTED", "PENDING"]),
    "Booking status (`PENDING` from older code).",
    "ACCEPTED"
)];
const ACCEPTED_STATUS: &[Field] = &[opt!(
    "status",
    Ty::Enum(&["ACCEPTED"]),
    "Booking status.",
    "ACCEPTED"
)];
const PENDING_STATUS: &[Field] = &[opt!(
    "status",
    Ty::Enum(&["PENDING"]),
    "Booking status.",
    "PENDING"
)];
const CANCELLED_STATUS: &[Field] = &[opt!(
    "status",
    Ty::Enum(&["CANCELLED"]),
    "Booking status.",
    "CANCELLED"
)];
const REJECTED_STATUS: &[Field] = &[opt!(
    "status",
    Ty::Enum(&["REJECTED"]),
    "Booking status.",
    "REJECTED"
)];

const CANCELLED_EXTRA: &[Field] = &[
    opt!(
        "cancellationReason",
        Ty::String,
        "Why the booking was cancelled.",
        "Schedule conflict",
        free_text
    ),
    opt!(
        "cancelledBy",
        Ty::String,
        "Who cancelled (email).",
        "john@example.com"
    ),
    opt!(
        "requestReschedule",
        Ty::Bool,
        "The host asked the attendee to reschedule.",
        "false"
    ),
];

const RESCHEDULED_EXTRA: &[Field] = &[
    opt!(
        "rescheduleId",
        Ty::Integer,
        "Id of the original booking.",
        "4241"
    ),
    opt!(
        "rescheduleUid",
        Ty::String,
        "UID of the original booking.",
        "original-booking-uid"
    ),
    opt!(
        "rescheduleStartTime",
        Ty::DateTime,
        "Original start.",
        "2024-01-14T10:00:00Z"
    ),
    opt!(
        "rescheduleEndTime",
        Ty::DateTime,
        "Original end.",
        "2024-01-14T10:30:00Z"
    ),
    opt!(
        "rescheduledBy",
        Ty::String,
        "Who rescheduled (email).",
        "john@example.com"
    ),
    opt!(
        "reschedulingReason",
        Ty::String,
        "Why (in the API reference's example).",
        "",
        free_text
    ),
];

const REJECTED_EXTRA: &[Field] = &[opt!(
    "rejectionReason",
    Ty::String,
    "Why the host rejected the booking.",
    "Not available",
    free_text
)];

const PAYMENT_EXTRA: &[Field] = &[
    opt!("paymentId", Ty::Integer, "Payment id.", "77"),
    opt!(
        "paymentData",
        Ty::Any,
        "Payment-provider data.",
        "",
        open_keys
    ),
];

/// Event fields some non-booking triggers carry, all optional (their facts are thin).
const EVENT_LITE: &[Field] = &[
    opt!("type", Ty::String, "Event-type slug.", ""),
    opt!(
        "title",
        Ty::String,
        "Event title.",
        "30 Minute Meeting",
        free_text
    ),
    opt!(
        "startTime",
        Ty::DateTime,
        "Start (ISO 8601).",
        "2024-01-15T10:00:00Z"
    ),
    opt!(
        "endTime",
        Ty::DateTime,
        "End (ISO 8601).",
        "2024-01-15T10:30:00Z"
    ),
    opt!("organizer", ORGANIZER, "The host.", "", object("name")),
    opt!(
        "attendees",
        Ty::Array(&ATTENDEE),
        "The attendees.",
        "",
        object("0.name")
    ),
    opt!("uid", Ty::String, "Booking UID.", "bFJeNb2uX8ANpT3JL5EfXw"),
    opt!("bookingId", Ty::Integer, "Booking id.", ""),
];

// ---------------------------------------------------------------------------------------------
// Shapes
// ---------------------------------------------------------------------------------------------

/// BOOKING_CREATED.
pub static BOOKING_CREATED: Shape = Shape {
    groups: &[CAL_EVENT, CREATED_STATUS],
};
/// BOOKING_CONFIRMED (documented only).
pub static BOOKING_CONFIRMED: Shape = Shape {
    groups: &[CAL_EVENT, ACCEPTED_STATUS],
};
/// BOOKING_REQUESTED.
pub static BOOKING_REQUESTED: Shape = Shape {
    groups: &[CAL_EVENT, PENDING_STATUS],
};
/// BOOKING_CANCELLED.
pub static BOOKING_CANCELLED: Shape = Shape {
    groups: &[CAL_EVENT, CANCELLED_STATUS, CANCELLED_EXTRA],
};
/// BOOKING_REJECTED.
pub static BOOKING_REJECTED: Shape = Shape {
    groups: &[CAL_EVENT, REJECTED_STATUS, REJECTED_EXTRA],
};
/// BOOKING_RESCHEDULED.
pub static BOOKING_RESCHEDULED: Shape = Shape {
    groups: &[CAL_EVENT, ACCEPTED_STATUS, RESCHEDULED_EXTRA],
};
/// BOOKING_PAID and BOOKING_PAYMENT_INITIATED.
pub static BOOKING_PAYMENT: Shape = Shape {
    groups: &[CAL_EVENT, ACCEPTED_STATUS, PAYMENT_EXTRA],
};

/// BOOKING_LOCATION_UPDATED and BOOKING_REASSIGNED: booking fields, none certain.
pub static BOOKING_LITE: Shape = Shape {
    groups: &[
        EVENT_LITE,
        &[
            opt!(
                "location",
                Ty::String,
                "New location.",
                "https://cal.com/video/abc123",
                free_text
            ),
            opt!("status", Ty::Enum(STATUSES), "Booking status.", ""),
        ],
    ],
};

/// BOOKING_NO_SHOW_UPDATED.
pub static NO_SHOW_UPDATED: Shape = Shape {
    groups: &[&[
        req!(
            "message",
            Ty::String,
            "Human-readable summary.",
            "john@example.com marked as no-show",
            free_text
        ),
        req!(
            "bookingUid",
            Ty::String,
            "Booking UID.",
            "bFJeNb2uX8ANpT3JL5EfXw"
        ),
        opt!("bookingId", Ty::Integer, "Booking id.", "4242"),
        req!(
            "attendees",
            Ty::Array(&Ty::Object(&[
                req!("email", Ty::Email, "Attendee's email.", "john@example.com"),
                req!("noShow", Ty::Bool, "Marked as no-show.", "true"),
            ])),
            "Attendees whose no-show flag changed.",
            "",
            object("0.name")
        ),
    ]],
};

/// MEETING_STARTED / MEETING_ENDED: the booking row (flat in older code, wrapped in newer).
pub static MEETING: Shape = Shape {
    groups: &[&[
        opt!("id", Ty::Integer, "Booking id.", "4242"),
        opt!("uid", Ty::String, "Booking UID.", "bFJeNb2uX8ANpT3JL5EfXw"),
        opt!(
            "title",
            Ty::String,
            "Booking title.",
            "30 Minute Meeting between Jane Smith and John Doe",
            free_text
        ),
        opt!(
            "description",
            Ty::String,
            "Booking description.",
            "",
            free_text
        ),
        opt!(
            "startTime",
            Ty::DateTime,
            "Start (ISO 8601).",
            "2024-01-15T10:00:00.000Z"
        ),
        opt!(
            "endTime",
            Ty::DateTime,
            "End (ISO 8601).",
            "2024-01-15T10:30:00.000Z"
        ),
        opt!(
            "createdAt",
            Ty::DateTime,
            "When the booking was created.",
            "2024-01-10T08:00:00.000Z"
        ),
        opt!("userId", Ty::Integer, "Organizer's user id.", "123"),
        opt!("eventTypeId", Ty::Integer, "Event-type id.", "1337"),
        opt!("status", Ty::String, "Booking status.", "ACCEPTED"),
        opt!(
            "location",
            Ty::String,
            "Location.",
            "integrations:daily",
            free_text
        ),
        opt!(
            "metadata",
            Ty::Any,
            "Booking metadata.",
            "{}",
            open_keys,
            object("")
        ),
        opt!(
            "responses",
            Ty::Any,
            "Booking-form answers.",
            "",
            open_keys,
            object("")
        ),
        opt!(
            "attendees",
            Ty::Array(&Ty::Any),
            "Attendees.",
            "",
            object("0.name")
        ),
    ]],
};

/// RECORDING_READY.
pub static RECORDING_READY: Shape = Shape {
    groups: &[
        &[req!(
            "downloadLink",
            Ty::Url,
            "Link to download the recording.",
            "https://cal.com/api/recordings/abc123.mp4"
        )],
        EVENT_LITE,
    ],
};

/// RECORDING_TRANSCRIPTION_GENERATED.
pub static TRANSCRIPTION: Shape = Shape {
    groups: &[
        &[req!(
            "downloadLinks",
            Ty::Object(&[
                opt!(
                    "transcription",
                    Ty::Array(&Ty::Object(&[
                        req!("format", Ty::String, "File format, e.g. `json`.", "json"),
                        req!(
                            "link",
                            Ty::Url,
                            "Download link.",
                            "https://cal.com/api/transcripts/abc123.json"
                        ),
                    ])),
                    "Transcript files.",
                    "-"
                ),
                opt!(
                    "recording",
                    Ty::String,
                    "Recording link.",
                    "https://cal.com/api/recordings/abc123.mp4"
                ),
            ]),
            "Download links.",
            ""
        )],
        EVENT_LITE,
    ],
};

const FORM_RESPONSE: Ty = Ty::Named(
    "CalFormResponse",
    &Ty::Object(&[
        opt!(
            "value",
            Ty::Any,
            "The answer.",
            "john@example.com",
            free_text
        ),
        opt!(
            "response",
            Ty::Any,
            "The answer (alias).",
            "john@example.com",
            free_text
        ),
    ]),
);

const FORM_BASE: &[Field] = &[
    req!(
        "formId",
        Ty::String,
        "Routing form id.",
        "a0c7f1b4-8e0d-4f3c-9f15-6f1d2b4c8e21"
    ),
    req!(
        "formName",
        Ty::String,
        "Routing form name.",
        "Sales inquiry",
        free_text
    ),
    opt!("teamId", Ty::Integer, "Team of the form.", ""),
    req!(
        "responses",
        Ty::Map(&FORM_RESPONSE),
        "Answers by field label.",
        "Email",
        open_keys,
        object("")
    ),
];

/// Field groups several payloads share, with the TypeScript interface each becomes: a payload
/// type `extends` them instead of repeating their fields (see `typescript_declarations`).
pub(crate) const SHARED_GROUPS: &[(&str, &[Field])] = &[
    ("CalBookingFields", CAL_EVENT),
    ("CalEventFields", EVENT_LITE),
    ("CalFormFields", FORM_BASE),
];

/// FORM_SUBMITTED.
pub static FORM_SUBMITTED: Shape = Shape {
    groups: &[FORM_BASE],
};

/// FORM_SUBMITTED_NO_EVENT.
pub static FORM_SUBMITTED_NO_EVENT: Shape = Shape {
    groups: &[
        FORM_BASE,
        &[
            opt!(
                "redirect",
                Ty::Any,
                "Where the router sent the submitter.",
                "",
                url
            ),
            opt!("responseId", Ty::Integer, "Form response id.", "991"),
        ],
    ],
};

/// ROUTING_FORM_FALLBACK_HIT: thin facts, nothing required.
pub static ROUTING_FALLBACK: Shape = Shape {
    groups: &[&[
        opt!(
            "formId",
            Ty::String,
            "Routing form id.",
            "a0c7f1b4-8e0d-4f3c-9f15-6f1d2b4c8e21"
        ),
        opt!(
            "formName",
            Ty::String,
            "Routing form name.",
            "Sales inquiry",
            free_text
        ),
        opt!(
            "responses",
            Ty::Map(&FORM_RESPONSE),
            "Answers by field label.",
            "",
            open_keys,
            object("")
        ),
        opt!("fallbackAction", Ty::Any, "The fallback route taken.", ""),
    ]],
};

/// OOO_CREATED.
pub static OOO_CREATED: Shape = Shape {
    groups: &[&[req!(
        "oooEntry",
        Ty::Object(&[
            opt!("id", Ty::Integer, "Entry id.", "12"),
            opt!(
                "start",
                Ty::DateTime,
                "Start of the absence.",
                "2024-02-01T00:00:00.000Z"
            ),
            opt!(
                "end",
                Ty::DateTime,
                "End of the absence.",
                "2024-02-07T23:59:59.000Z"
            ),
            opt!(
                "createdAt",
                Ty::DateTime,
                "When the entry was created.",
                "2024-01-15T10:00:00.000Z"
            ),
            opt!(
                "updatedAt",
                Ty::DateTime,
                "When the entry was last updated.",
                "2024-01-15T10:00:00.000Z"
            ),
            opt!("notes", Ty::String, "Notes.", "Family holiday", free_text),
            opt!(
                "reason",
                Ty::Object(&[
                    opt!("emoji", Ty::String, "Reason emoji.", "🏝️"),
                    opt!("reason", Ty::String, "Reason text.", "Vacation", free_text),
                ]),
                "Reason.",
                "-"
            ),
            opt!("reasonId", Ty::Integer, "Reason id.", "1"),
            opt!("user", Ty::Any, "The absent user.", "{}", object("name")),
            opt!(
                "toUser",
                Ty::Any,
                "The user bookings are redirected to.",
                "",
                object("name")
            ),
            opt!(
                "uuid",
                Ty::String,
                "Entry UUID.",
                "5f0c2b1e-2f6d-4d57-9d7e-1a9f5c3b8e10"
            ),
        ]),
        "The out-of-office entry.",
        "",
        object("")
    )]],
};

/// PING.
pub static PING: Shape = Shape {
    groups: &[&[
        req!("type", Ty::String, "Always `Test`.", "Test"),
        req!(
            "title",
            Ty::String,
            "Always `Test trigger event`.",
            "Test trigger event",
            free_text
        ),
        req!(
            "startTime",
            Ty::DateTime,
            "Start (ISO 8601).",
            "2024-01-15T10:00:00.000Z"
        ),
        req!(
            "endTime",
            Ty::DateTime,
            "End (ISO 8601).",
            "2024-01-15T10:30:00.000Z"
        ),
        req!(
            "attendees",
            Ty::Array(&ATTENDEE),
            "A fixed attendee (John Doe).",
            "",
            object("0.name")
        ),
        req!(
            "organizer",
            ORGANIZER,
            "A fixed organizer (Cal).",
            "",
            object("name")
        ),
    ]],
};

/// INSTANT_MEETING and INSTANT_MEETING_ACCEPTED: thin facts, nothing required.
pub static INSTANT_MEETING: Shape = Shape {
    groups: &[
        &[
            opt!(
                "body",
                Ty::String,
                "Notification text.",
                "John Doe wants to meet now"
            ),
            opt!(
                "url",
                Ty::String,
                "Link to join.",
                "https://cal.com/video/abc123",
                url
            ),
            opt!(
                "connectAndJoinUrl",
                Ty::String,
                "Link to connect and join.",
                ""
            ),
        ],
        EVENT_LITE,
    ],
};

/// AFTER_HOSTS_CAL_VIDEO_NO_SHOW / AFTER_GUESTS_CAL_VIDEO_NO_SHOW: thin facts.
pub static CAL_VIDEO_NO_SHOW: Shape = Shape {
    groups: &[
        &[
            opt!("bookingUid", Ty::String, "Booking UID.", ""),
            opt!("webhook", Ty::Any, "The webhook configuration.", ""),
        ],
        EVENT_LITE,
    ],
};

/// Triggers whose payload is not described anywhere: only the envelope is checked.
pub static UNDESCRIBED: Shape = Shape { groups: &[] };

// ---------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------

/// Every known trigger: the reference's 14, the other real enum values, and `PING`. One row
/// per trigger holds every fact about it; everything else (the parser's envelope forms, the
/// delivery's generic sender, the linter, the generated types) reads this table.
#[rustfmt::skip]
pub static TRIGGERS: &[TriggerInfo] = &[
    TriggerInfo { name: "BOOKING_CREATED", documented: true, emitted: true, subscribable: true, template_data: TemplateData::Flat, legacy_flat: false, form_root_copy: false, shape: &BOOKING_CREATED,
        description: "New booking created (also a confirmed booking, with status ACCEPTED)." },
    TriggerInfo { name: "BOOKING_CANCELLED", documented: true, emitted: true, subscribable: true, template_data: TemplateData::Flat, legacy_flat: false, form_root_copy: false, shape: &BOOKING_CANCELLED,
        description: "Booking cancelled." },
    TriggerInfo { name: "BOOKING_RESCHEDULED", documented: true, emitted: true, subscribable: true, template_data: TemplateData::Flat, legacy_flat: false, form_root_copy: false, shape: &BOOKING_RESCHEDULED,
        description: "Booking rescheduled." },
    TriggerInfo { name: "BOOKING_CONFIRMED", documented: true, emitted: false, subscribable: true, template_data: TemplateData::Flat, legacy_flat: false, form_root_copy: false, shape: &BOOKING_CONFIRMED,
        description: "Pending booking confirmed. Documented but never sent: a confirmed booking arrives as BOOKING_CREATED with status ACCEPTED." },
    TriggerInfo { name: "BOOKING_REJECTED", documented: true, emitted: true, subscribable: true, template_data: TemplateData::Flat, legacy_flat: false, form_root_copy: false, shape: &BOOKING_REJECTED,
        description: "Booking rejected." },
    TriggerInfo { name: "BOOKING_REQUESTED", documented: true, emitted: true, subscribable: true, template_data: TemplateData::Flat, legacy_flat: false, form_root_copy: false, shape: &BOOKING_REQUESTED,
        description: "Booking request received (requires confirmation)." },
    TriggerInfo { name: "BOOKING_PAYMENT_INITIATED", documented: true, emitted: true, subscribable: true, template_data: TemplateData::Flat, legacy_flat: false, form_root_copy: false, shape: &BOOKING_PAYMENT,
        description: "Payment started." },
    TriggerInfo { name: "BOOKING_NO_SHOW_UPDATED", documented: true, emitted: true, subscribable: true, template_data: TemplateData::Flat, legacy_flat: false, form_root_copy: false, shape: &NO_SHOW_UPDATED,
        description: "Attendee marked as no-show." },
    TriggerInfo { name: "MEETING_STARTED", documented: true, emitted: true, subscribable: true, template_data: TemplateData::Flat, legacy_flat: true, form_root_copy: false, shape: &MEETING,
        description: "Video meeting started (older code posts the booking flat, without a payload wrapper)." },
    TriggerInfo { name: "MEETING_ENDED", documented: true, emitted: true, subscribable: true, template_data: TemplateData::Flat, legacy_flat: true, form_root_copy: false, shape: &MEETING,
        description: "Video meeting ended (older code posts the booking flat, without a payload wrapper)." },
    TriggerInfo { name: "RECORDING_READY", documented: true, emitted: true, subscribable: true, template_data: TemplateData::Flat, legacy_flat: false, form_root_copy: false, shape: &RECORDING_READY,
        description: "Meeting recording available." },
    TriggerInfo { name: "INSTANT_MEETING", documented: true, emitted: true, subscribable: true, template_data: TemplateData::Flat, legacy_flat: false, form_root_copy: false, shape: &INSTANT_MEETING,
        description: "Instant meeting created." },
    TriggerInfo { name: "RECORDING_TRANSCRIPTION_GENERATED", documented: true, emitted: true, subscribable: true, template_data: TemplateData::Flat, legacy_flat: false, form_root_copy: false, shape: &TRANSCRIPTION,
        description: "Transcription ready." },
    TriggerInfo { name: "FORM_SUBMITTED", documented: true, emitted: true, subscribable: true, template_data: TemplateData::Nested, legacy_flat: false, form_root_copy: true, shape: &FORM_SUBMITTED,
        description: "Routing form submitted." },
    TriggerInfo { name: "BOOKING_PAID", documented: false, emitted: true, subscribable: true, template_data: TemplateData::Flat, legacy_flat: false, form_root_copy: false, shape: &BOOKING_PAYMENT,
        description: "Booking paid." },
    TriggerInfo { name: "BOOKING_LOCATION_UPDATED", documented: false, emitted: true, subscribable: true, template_data: TemplateData::Flat, legacy_flat: false, form_root_copy: false, shape: &BOOKING_LITE,
        description: "Booking location changed." },
    TriggerInfo { name: "BOOKING_REASSIGNED", documented: false, emitted: true, subscribable: true, template_data: TemplateData::Flat, legacy_flat: false, form_root_copy: false, shape: &BOOKING_LITE,
        description: "Booking reassigned to another host." },
    TriggerInfo { name: "INSTANT_MEETING_ACCEPTED", documented: false, emitted: true, subscribable: true, template_data: TemplateData::Flat, legacy_flat: false, form_root_copy: false, shape: &INSTANT_MEETING,
        description: "Instant meeting accepted by a host." },
    // OOO goes through sendPayload (its addUTCOffset skips `oooEntry` payloads), so templates
    // see the flat data like booking events.
    TriggerInfo { name: "OOO_CREATED", documented: false, emitted: true, subscribable: true, template_data: TemplateData::Flat, legacy_flat: false, form_root_copy: false, shape: &OOO_CREATED,
        description: "Out-of-office entry created." },
    TriggerInfo { name: "AFTER_HOSTS_CAL_VIDEO_NO_SHOW", documented: false, emitted: true, subscribable: true, template_data: TemplateData::Flat, legacy_flat: false, form_root_copy: false, shape: &CAL_VIDEO_NO_SHOW,
        description: "Hosts did not join a Cal Video meeting." },
    TriggerInfo { name: "AFTER_GUESTS_CAL_VIDEO_NO_SHOW", documented: false, emitted: true, subscribable: true, template_data: TemplateData::Flat, legacy_flat: false, form_root_copy: false, shape: &CAL_VIDEO_NO_SHOW,
        description: "Guests did not join a Cal Video meeting." },
    TriggerInfo { name: "FORM_SUBMITTED_NO_EVENT", documented: false, emitted: true, subscribable: true, template_data: TemplateData::Nested, legacy_flat: false, form_root_copy: true, shape: &FORM_SUBMITTED_NO_EVENT,
        description: "Routing form submitted without a booking following." },
    TriggerInfo { name: "ROUTING_FORM_FALLBACK_HIT", documented: false, emitted: true, subscribable: true, template_data: TemplateData::Nested, legacy_flat: false, form_root_copy: false, shape: &ROUTING_FALLBACK,
        description: "Routing form used its fallback route." },
    TriggerInfo { name: "DELEGATION_CREDENTIAL_ERROR", documented: false, emitted: true, subscribable: true, template_data: TemplateData::Nested, legacy_flat: false, form_root_copy: false, shape: &UNDESCRIBED,
        description: "A delegation credential failed." },
    TriggerInfo { name: "DELEGATION_CREDENTIAL_SECRET_ROTATION_FAILED", documented: false, emitted: true, subscribable: true, template_data: TemplateData::Nested, legacy_flat: false, form_root_copy: false, shape: &UNDESCRIBED,
        description: "Rotating a delegation credential's secret failed." },
    TriggerInfo { name: "DELEGATION_CREDENTIAL_ROTATION_REQUIRED", documented: false, emitted: true, subscribable: true, template_data: TemplateData::Nested, legacy_flat: false, form_root_copy: false, shape: &UNDESCRIBED,
        description: "A delegation credential must be rotated." },
    TriggerInfo { name: "DELEGATION_CREDENTIAL_SECRET_ROTATED", documented: false, emitted: true, subscribable: true, template_data: TemplateData::Nested, legacy_flat: false, form_root_copy: false, shape: &UNDESCRIBED,
        description: "A delegation credential's secret was rotated." },
    TriggerInfo { name: "WRONG_ASSIGNMENT_REPORT", documented: false, emitted: true, subscribable: true, template_data: TemplateData::Nested, legacy_flat: false, form_root_copy: false, shape: &UNDESCRIBED,
        description: "A routing assignment was reported as wrong." },
    TriggerInfo { name: "CALENDAR_ENTRY_REJECTED", documented: false, emitted: true, subscribable: true, template_data: TemplateData::Flat, legacy_flat: false, form_root_copy: false, shape: &UNDESCRIBED,
        description: "A calendar entry was rejected." },
    TriggerInfo { name: "PING", documented: false, emitted: true, subscribable: false, template_data: TemplateData::Flat, legacy_flat: false, form_root_copy: false, shape: &PING,
        description: "Sent by the \"Ping test\" button, usually without a secret. Not subscribable." },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_counts() {
        assert_eq!(TRIGGERS.len(), 30);
        assert_eq!(TRIGGERS.iter().filter(|t| t.documented).count(), 14);
        let enum_values = TRIGGERS
            .iter()
            .filter(|t| t.emitted && t.subscribable)
            .count();
        assert_eq!(enum_values, 28);
        let confirmed = trigger("BOOKING_CONFIRMED").map(|t| (t.documented, t.emitted));
        assert_eq!(confirmed, Some((true, false)));
        assert!(trigger("booking_created").is_none());
        // The envelope forms: the meeting triggers flat from older code, the form triggers
        // with the form's fields copied to the root (whose templates see the nested data).
        let flat: Vec<&str> = TRIGGERS
            .iter()
            .filter(|t| t.legacy_flat)
            .map(|t| t.name)
            .collect();
        assert_eq!(flat, ["MEETING_STARTED", "MEETING_ENDED"]);
        let root_copy: Vec<&str> = TRIGGERS
            .iter()
            .filter(|t| t.form_root_copy)
            .map(|t| t.name)
            .collect();
        assert_eq!(root_copy, ["FORM_SUBMITTED", "FORM_SUBMITTED_NO_EVENT"]);
        assert!(TRIGGERS
            .iter()
            .filter(|t| t.form_root_copy)
            .all(|t| t.template_data == TemplateData::Nested));
    }

    #[test]
    fn names_unique_and_type_names() {
        for (i, a) in TRIGGERS.iter().enumerate() {
            assert!(
                TRIGGERS.iter().skip(i + 1).all(|b| b.name != a.name),
                "{}",
                a.name
            );
        }
        assert_eq!(
            trigger("BOOKING_NO_SHOW_UPDATED")
                .map(|t| t.type_name())
                .as_deref(),
            Some("BookingNoShowUpdated")
        );
        assert_eq!(
            trigger("PING").map(|t| t.type_name()).as_deref(),
            Some("Ping")
        );
    }
}
