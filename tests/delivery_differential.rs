//! Differential test of `calhook::delivery` against the real thing: `handlebars@4.7.10` plus
//! Cal.com's post-processing (`tests/oracle/calcom-sender.mjs`), run by one `node` process.
//!
//! The corpus crosses feature templates (paths, blocks, each/with/if/unless/else-if chains,
//! escapes, whitespace control, comments, lookup, @data, `../`, block params, JSON and form
//! templates, syntax and render errors) with realistic Cal.com payloads holding quotes,
//! apostrophes, ampersands, backslashes, newlines, emoji, numbers of every JS spelling and
//! integer-like keys, then adds random templates from a grammar (seeded; set
//! `CALHOOK_DELIVERY_SEED`). Body, content type and headers (hence the signature) must be
//! identical; when the oracle throws, we must return an error.
//!
//! Needs `node_modules/handlebars` at the repository root (`npm ci`).

mod common;
use calhook::delivery::{build_delivery, DeliveryInput, Dialect};
use calhook::json::{self, Object, Value};
use common::Rng;
use std::io::Write;
use std::path::Path;
use std::process::Command;

/// Names and free text that break naive emulations (JSON-escaped fragments, spliced into
/// payload JSON text).
const TRICKY_TEXT: &[&str] = &[
    "Jane Doe",
    "Jane \\\"JJ\\\" Doe",
    "O'Brien",
    "Smith & Sons",
    "C:\\\\new\\\\user",
    "DOMAIN\\\\user",
    "trailing\\\\",
    "line1\\nline2",
    "tab\\there",
    "emoji 😀🎉",
    "<b>bold</b>",
    "`backtick`",
    "a=b",
    "&quot;already&quot;",
    "&amp; &QUOT;",
    "日本語",
    "\u{2028}sep\u{2029}",
    "nbsp\u{a0}here",
    "",
    "\\u0041\\u00e9",
    "{{title}}",
    "\\\\u0041",
    "</script>",
    "naïve café",
    "\\u0000nul",
];

const NUMBERS: &[&str] = &[
    "0",
    "-0",
    "1.0",
    "1e21",
    "1E400",
    "0.0000001",
    "12345678901234567890",
    "1.5",
    "100",
    "9007199254740993",
    "0.1",
    "-1.5e-9",
    "123456789012345678901234567890",
    "30",
    "1e2",
];

/// (timeZone, startTime, utcOffset given in the payload): zones calhook computes (fixed and
/// US/EU rules) come without one; zones it cannot compute carry the value Cal.com computes.
const ZONES: &[(&str, &str, Option<i32>)] = &[
    ("UTC", "2025-01-15T10:00:00.000Z", None),
    ("Asia/Kolkata", "2025-07-01T10:00:00.000Z", None),
    ("Asia/Tokyo", "2025-03-01T09:30:00.000Z", None),
    ("Etc/GMT+5", "2025-01-15T10:00:00.000Z", None),
    ("Asia/Kathmandu", "2025-01-15T10:00:00.000Z", None),
    ("America/Phoenix", "2025-07-01T10:00:00.000Z", None),
    ("Europe/London", "2025-01-15T10:00:00.000Z", None),
    ("Europe/London", "2025-07-01T10:00:00.000Z", None),
    ("Europe/Berlin", "2025-03-30T01:00:00.000Z", None),
    ("America/New_York", "2025-03-09T06:59:59.999Z", None),
    ("America/Los_Angeles", "2025-07-01T10:00:00.000Z", None),
    ("Australia/Sydney", "2025-01-15T10:00:00.000Z", Some(660)),
    ("America/Sao_Paulo", "2025-07-01T10:00:00.000Z", Some(-180)),
];

fn person(name: &str, email: &str, zone: (&str, Option<i32>), extra: &str) -> String {
    let offset = zone
        .1
        .map(|o| format!(",\"utcOffset\":{o}"))
        .unwrap_or_default();
    format!(
        "{{\"name\":\"{name}\",\"email\":\"{email}\",\"timeZone\":\"{}\",\"language\":{{\"locale\":\"en\"}}{extra}{offset}}}",
        zone.0
    )
}

/// A realistic booking payload (CalendarEvent) with tricky values.
fn booking_payload(rng: &mut Rng, kind: &str) -> String {
    let (tz, start, off) = rng.pick(ZONES);
    let (tz2, _, off2) = ZONES
        .iter()
        .copied()
        .find(|z| z.1 == start && z.0 != tz)
        .unwrap_or((tz, start, off));
    let name = rng.pick(TRICKY_TEXT);
    let name2 = rng.pick(TRICKY_TEXT);
    let title = rng.pick(TRICKY_TEXT);
    let price = rng.pick(NUMBERS);
    let length = rng.pick(NUMBERS);
    let organizer = person(
        &format!("Org {}", rng.pick(TRICKY_TEXT)),
        "organizer@example.com",
        (tz, off),
        ",\"id\":7,\"username\":\"org\",\"timeFormat\":12",
    );
    let mut attendees = vec![
        person(
            name,
            "jane@example.com",
            (tz, off),
            ",\"firstName\":\"Jane\",\"lastName\":\"\"",
        ),
        person(name2, "bob+tag@example.com", (tz2, off2), ""),
    ];
    if rng.chance(30) {
        attendees.push("{\"name\":\"No Zone\",\"email\":\"nz@example.com\"}".to_string());
    }
    if rng.chance(15) {
        attendees.clear();
    }
    let description = match rng.below(4) {
        0 => "\"description\":\"\",".to_string(),
        1 => String::new(),
        2 => "\"description\":null,".to_string(),
        _ => format!("\"description\":\"{}\",", rng.pick(TRICKY_TEXT)),
    };
    let notes = if rng.chance(60) {
        format!("\"additionalNotes\":\"{}\",", rng.pick(TRICKY_TEXT))
    } else {
        String::new()
    };
    let team = if rng.chance(40) {
        ",\"team\":{\"name\":\"Team & Co\",\"members\":[{\"name\":\"M1\",\"email\":\"m1@example.com\"},{\"name\":\"M2\"}],\"id\":3}"
    } else {
        ""
    };
    let status = match kind {
        "BOOKING_CANCELLED" => {
            "\"status\":\"CANCELLED\",\"cancellationReason\":\"Can't make it & sorry\",\"requestReschedule\":false"
        }
        "BOOKING_REQUESTED" => "\"status\":\"PENDING\"",
        "BOOKING_REJECTED" => "\"status\":\"REJECTED\",\"rejectionReason\":\"\\\"busy\\\"\"",
        "BOOKING_RESCHEDULED" => {
            "\"status\":\"ACCEPTED\",\"rescheduleUid\":\"old-uid\",\"rescheduleStartTime\":\"2024-12-01T10:00:00.000Z\""
        }
        _ => "\"status\":\"ACCEPTED\"",
    };
    format!(
        concat!(
            "{{\"type\":\"30min\",\"title\":\"{title}\",{description}{notes}",
            "\"startTime\":\"{start}\",\"endTime\":\"2025-12-31T23:59:59.999Z\",",
            "\"organizer\":{organizer},\"attendees\":[{attendees}],",
            "\"location\":\"https://meet.example.com/abc?x=1&y=2\",\"uid\":\"bk_{uid}\",",
            "\"bookingId\":{bid},\"eventTypeId\":12,",
            "\"responses\":{{\"name\":{{\"label\":\"your_name\",\"value\":\"{name}\"}},",
            "\"email\":{{\"label\":\"email_address\",\"value\":\"jane@example.com\"}},",
            "\"10\":{{\"label\":\"Ten\",\"value\":{price}}},\"2\":{{\"label\":\"Two\",\"value\":[\"a\",\"b\"],\"isHidden\":true}}}},",
            "\"metadata\":{{\"videoCallUrl\":\"https://cal.com/video/x?a=1&b=2\"}},",
            "\"price\":{price},\"currency\":\"usd\",\"length\":{length},\"eventTitle\":\"Intro\",",
            "{status}{team}}}"
        ),
        title = title,
        description = description,
        notes = notes,
        start = start,
        organizer = organizer,
        attendees = attendees.join(","),
        uid = rng.below(1000),
        bid = rng.pick(NUMBERS),
        name = name,
        price = price,
        length = length,
        status = status,
        team = team,
    )
}

fn other_payload(rng: &mut Rng, trigger: &str) -> String {
    let t = rng.pick(TRICKY_TEXT);
    match trigger {
        "FORM_SUBMITTED" | "FORM_SUBMITTED_NO_EVENT" => format!(
            "{{\"formId\":\"f-1\",\"formName\":\"Contact {t}\",\"teamId\":null,\"responses\":{{\"Your name\":{{\"value\":\"{t}\",\"response\":\"{t}\"}},\"1\":{{\"value\":{n},\"response\":{n}}},\"Email\":{{\"value\":\"a@b.co\",\"response\":\"a@b.co\"}}}}{extra}}}",
            n = rng.pick(NUMBERS),
            extra = if trigger == "FORM_SUBMITTED_NO_EVENT" { ",\"redirect\":null,\"responseId\":42" } else { "" }
        ),
        "BOOKING_NO_SHOW_UPDATED" => format!(
            "{{\"message\":\"{t}\",\"bookingUid\":\"b1\",\"bookingId\":{n},\"attendees\":[{{\"email\":\"a@x.com\",\"noShow\":true}},{{\"email\":\"b@x.com\",\"noShow\":false}}]}}",
            n = rng.pick(NUMBERS)
        ),
        "OOO_CREATED" => format!(
            "{{\"oooEntry\":{{\"id\":1,\"start\":\"2025-01-01\",\"end\":\"2025-01-02\",\"createdAt\":\"x\",\"updatedAt\":\"y\",\"notes\":\"{t}\",\"reason\":{{\"emoji\":\"🏝️\",\"reason\":\"vacation\"}},\"reasonId\":2,\"user\":{{\"id\":3,\"name\":\"{t}\",\"username\":null,\"timeZone\":\"Europe/Berlin\",\"email\":\"u@x.com\"}},\"toUser\":null,\"uuid\":\"u-1\"}}}}"
        ),
        "RECORDING_TRANSCRIPTION_GENERATED" => "{\"downloadLinks\":{\"transcription\":[{\"format\":\"json\",\"link\":\"https://x/t?a=1&b=2\"}],\"recording\":\"https://x/r\"}}".to_string(),
        "PING" => "{\"type\":\"Test\",\"title\":\"Test trigger event\",\"startTime\":\"2025-01-15T10:00:00.000Z\",\"endTime\":\"2025-01-15T10:30:00.000Z\",\"attendees\":[{\"email\":\"jdoe@example.com\",\"name\":\"John Doe\",\"timeZone\":\"Europe/London\",\"utcOffset\":0,\"language\":{\"locale\":\"en\"}}],\"organizer\":{\"name\":\"Cal\",\"email\":\"no-reply@cal.com\",\"timeZone\":\"Europe/London\",\"utcOffset\":0,\"language\":{\"locale\":\"en\"}}}".to_string(),
        _ => format!("{{\"downloadLink\":\"https://x/d?{t}\",\"title\":\"{t}\",\"uid\":\"u\",\"startTime\":\"2025-01-15T10:00:00.000Z\"}}"),
    }
}

const BOOKING_TRIGGERS: &[&str] = &[
    "BOOKING_CREATED",
    "BOOKING_CANCELLED",
    "BOOKING_RESCHEDULED",
    "BOOKING_REQUESTED",
    "BOOKING_REJECTED",
    "BOOKING_PAID",
    "BOOKING_PAYMENT_INITIATED",
    "MEETING_ENDED",
];
const OTHER_TRIGGERS: &[&str] = &[
    "FORM_SUBMITTED",
    "FORM_SUBMITTED_NO_EVENT",
    "BOOKING_NO_SHOW_UPDATED",
    "OOO_CREATED",
    "RECORDING_TRANSCRIPTION_GENERATED",
    "RECORDING_READY",
    "PING",
    "ROUTING_FORM_FALLBACK_HIT",
];

/// Feature templates. Form templates as written; JSON templates must be valid JSON.
const TEMPLATES: &[&str] = &[
    // paths and values
    "{{title}}",
    "{{{title}}}",
    "{{& title}}",
    "{{ title }}",
    "{{organizer.name}} <{{organizer.email}}>",
    "{{organizer/name}}",
    "{{attendees.0.email}}",
    "{{attendees.[0].name}}",
    "{{attendees.[1].name}}|{{attendees.[9].name}}",
    "{{attendees.length}}",
    "{{attendees}}",
    "{{organizer}}",
    "{{responses.name.value}}",
    "{{responses.[10].value}}",
    "{{responses.10.value.x}}",
    "{{responses.2.value}}",
    "{{price}} {{length}} {{bookingId}}",
    "{{{price}}}",
    "{{payload.uid}}",
    "{{payload.formId}} {{payload.formName}}",
    "{{payload.responses.[Your name].value}}",
    "{{triggerEvent}} {{createdAt}}",
    "{{this}}",
    "{{.}}",
    "{{this.title}}",
    "{{./uid}}",
    "{{@root.uid}}",
    "{{title.length}}",
    "{{title.[0]}}",
    "{{uid.constructor}}",
    "{{__proto__}}{{toString}}",
    "{{missing}}{{missing.deep.path}}",
    "{{description}}",
    "{{metadata.videoCallUrl}}",
    "{{{metadata.videoCallUrl}}}",
    "{{organizer.utcOffset}} {{attendees.0.utcOffset}} {{attendees.2.utcOffset}}",
    "{{status}}",
    "{{team.name}} {{team.members.0.name}} {{team.members.length}}",
    "{{message}} {{bookingUid}}",
    "{{oooEntry.reason.emoji}} {{oooEntry.user.name}}",
    "{{payload.downloadLinks.transcription.0.link}}",
    "{{downloadLinks.transcription.[0].format}}",
    // blocks
    "{{#if title}}T:{{title}}{{else}}none{{/if}}",
    "{{#if description}}{{description}}{{else if additionalNotes}}{{additionalNotes}}{{else}}-{{/if}}",
    "{{#unless cancellationReason}}ok{{else}}{{cancellationReason}}{{/unless}}",
    "{{#each attendees}}{{@index}}:{{name}}<{{email}}>{{#if @first}}F{{/if}}{{#if @last}}L{{/if}};{{/each}}",
    "{{#each attendees as |a i|}}{{i}}={{a.name}} {{/each}}",
    "{{#each responses}}{{@key}}={{this.value}}&{{/each}}",
    "{{#each responses as |r k|}}[{{k}}:{{r.label}}]{{/each}}",
    "{{#each attendees}}{{../title}}/{{@root.uid}}/{{name}}|{{/each}}",
    "{{#each attendees}}{{#each this}}{{@../index}}.{{@key}} {{/each}}{{/each}}",
    "{{#with organizer}}{{name}} {{email}} {{../uid}}{{/with}}",
    "{{#with organizer as |o|}}{{o.name}}{{/with}}",
    "{{#with missing}}x{{else}}no org{{/with}}",
    "{{#organizer}}{{name}}{{/organizer}}",
    "{{#attendees}}{{email}},{{/attendees}}",
    "{{^missing}}inverse{{/missing}}",
    "{{#if price includeZero=true}}p={{price}}{{/if}}",
    "{{#each team.members}}{{name}}{{else}}no team{{/each}}",
    "{{#if attendees.length}}{{attendees.length}} attendees{{/if}}",
    "{{#each metadata}}{{@key}}={{this}}{{/each}}",
    "{{lookup attendees 0}}",
    "{{lookup (lookup attendees 0) 'email'}}",
    "{{#with (lookup attendees 1)}}{{name}}{{/with}}",
    "{{lookup responses '10'}}",
    "{{#each attendees}}{{lookup ../responses 'name'}}{{/each}}",
    "{{log title}}done",
    // whitespace control, comments, escapes
    "{{#if title}}\n  {{title}}\n{{/if}}\n",
    "  {{~title~}}  ",
    "a {{~#if title~}} b {{~/if~}} c",
    "{{! a comment }}x{{!-- long }} comment --}}y",
    "line\n{{! standalone }}\nnext",
    "\\{{title}} {{title}}",
    "\\\\{{title}}",
    "{{{{raw}}}}{{title}}{{{{/raw}}}}",
    "{{#each attendees}}\n- {{name}}\n{{/each}}",
    "{{#if a}}\n{{else}}\n  x\n{{/if}}",
    // form-style bodies
    "name={{organizer.name}}&email={{organizer.email}}",
    "title={{title}}&desc={{description}}",
    "{\"n\": {{bookingId}} }",
    "{\"title\": {{title}} }",
    "",
    "{{missing}}",
    "0",
    "false",
    "null",
    "\"\"",
    // JSON templates
    "{\"title\":\"{{title}}\",\"uid\":\"{{uid}}\"}",
    "{\"event\":\"{{triggerEvent}}\",\"at\":\"{{createdAt}}\",\"payload\":{\"uid\":\"{{payload.uid}}\"}}",
    "{\"attendee\":\"{{attendees.0.name}}\",\"email\":\"{{attendees.[0].email}}\"}",
    "{\"names\":\"{{#each attendees}}{{name}},{{/each}}\"}",
    "{\"raw\":\"{{{title}}}\",\"esc\":\"{{title}}\"}",
    "{\"b\":1,\"a\":2,\"10\":3,\"2\":\"{{price}}\",\"b\":\"{{uid}}\"}",
    "{\"price\":1.0,\"big\":12345678901234567890,\"inf\":1E400,\"small\":0.0000001,\"e\":1e21}",
    "{\n  \"title\": \"{{title}}\",\n  {{#if description}}\n  \"description\": \"{{description}}\",\n  {{/if}}\n  \"uid\": \"{{uid}}\"\n}",
    "{\"text\": \"\\u00e9\\/{{title}}\"}",
    "[\"{{title}}\", \"{{organizer.name}}\"]",
    "\"{{title}}\"",
    "1",
    "true",
    "{}",
    "{\"offset\":\"{{organizer.utcOffset}}\",\"tz\":\"{{organizer.timeZone}}\"}",
    "{\"desc\":\"{{description}}\",\"notes\":\"{{additionalNotes}}\"}",
    "{\"v\":\"{{responses.[10].value}}\",\"list\":\"{{responses.2.value}}\"}",
    "{\"c\":\"{{! comment }}{{title}}\"}",
    "{\"x\":\"\\\\{{title}}\"}",
    "{\"__proto__\":\"{{uid}}\",\"constructor\":1}",
    "{\"form\":\"{{payload.formName}}\",\"resp\":\"{{payload.responses.Email.value}}\"}",
    // errors
    "{{#if title}}unclosed",
    "{{title",
    "{{title}}}",
    "{\"a\": {{uid}}}",
    "{{attendees.0}}",
    "{{payload.attendees[0].email}}",
    "{{#if}}x{{/if}}",
    "{{#each}}x{{/each}}",
    "{{missingHelper title}}",
    "{{> partial}}",
    "{{#if title}}{{/each}}",
    "{{if title}}",
    "{{title x}}",
    "{{lookup}}",
    "{{#with title uid}}x{{/with}}",
    "{{else}}",
    "{{!-- unterminated",
    "{{a.this}}",
    "{\"bad\":\"{{#missing}}x{{/other}}\"}",
    "{{#if false}}{{missingHelper x}}{{/if}}ok",
    "{{#each missing}}{{missingHelper x}}{{/each}}ok",
];

fn random_path(rng: &mut Rng) -> String {
    rng.pick(&[
        "title",
        "uid",
        "organizer.name",
        "organizer.email",
        "attendees.0.name",
        "attendees.[1].email",
        "attendees",
        "responses.name.value",
        "responses.[10].value",
        "price",
        "length",
        "bookingId",
        "description",
        "additionalNotes",
        "this",
        "@root.title",
        "missing",
        "payload.uid",
        "metadata.videoCallUrl",
        "status",
        "triggerEvent",
        "createdAt",
        "team.name",
        "message",
        "location",
    ])
    .to_string()
}

fn random_inner_path(rng: &mut Rng) -> String {
    rng.pick(&[
        "name",
        "email",
        "this",
        "../title",
        "@index",
        "@key",
        "@first",
        "@last",
        "@root.uid",
        "../../uid",
        "value",
        "label",
        "timeZone",
        "utcOffset",
        "@../index",
        "missing",
    ])
    .to_string()
}

fn random_text(rng: &mut Rng, json: bool) -> String {
    let pieces: &[&str] = if json {
        &[
            " ", "x", "-", ":", ", ", "é", "😀", "\\n", "\\\"", "&", "\\u0041", "/",
        ]
    } else {
        &[
            " ", "x", "\n", "  \n", "\t", "&", "=", "\"", "'", "\\", "{", "}", "é", "😀", "a=b&",
            "\r\n",
        ]
    };
    (0..rng.below(3)).map(|_| rng.pick(pieces)).collect()
}

fn random_node(rng: &mut Rng, depth: usize, inner: bool, json: bool) -> String {
    let path = |rng: &mut Rng| {
        if inner && rng.chance(60) {
            random_inner_path(rng)
        } else {
            random_path(rng)
        }
    };
    let tilde = |rng: &mut Rng| if rng.chance(15) { "~" } else { "" };
    let k = if depth > 2 {
        rng.below(4)
    } else {
        rng.below(11)
    };
    // Broken syntax in about one node of 30.
    let k = if k == 10 && rng.chance(70) { 2 } else { k };
    match k {
        0 | 1 => random_text(rng, json),
        2 => format!("{{{{{}{}{}}}}}", tilde(rng), path(rng), tilde(rng)),
        3 if std::env::var_os("CALHOOK_DELIVERY_NO_RAW").is_some() => {
            format!("{{{{{}}}}}", path(rng))
        }
        3 => {
            if rng.chance(50) {
                format!("{{{{{{{}}}}}}}", path(rng))
            } else {
                format!("{{{{& {}}}}}", path(rng))
            }
        }
        4 | 5 => {
            let helper = rng.pick(&["if", "unless", "with"]);
            let body = random_body(rng, depth + 1, inner || helper == "with", json);
            let inverse = if rng.chance(40) {
                format!(
                    "{{{{{}else{}}}}}{}",
                    tilde(rng),
                    tilde(rng),
                    random_body(rng, depth + 1, inner, json)
                )
            } else if rng.chance(20) {
                format!(
                    "{{{{else if {}}}}}{}{{{{else}}}}{}",
                    path(rng),
                    random_body(rng, depth + 1, inner, json),
                    random_body(rng, depth + 1, inner, json)
                )
            } else {
                String::new()
            };
            format!(
                "{{{{{}#{helper} {}{}}}}}{body}{inverse}{{{{{}/{helper}{}}}}}",
                tilde(rng),
                path(rng),
                tilde(rng),
                tilde(rng),
                tilde(rng)
            )
        }
        6 | 7 => {
            let target = rng.pick(&[
                "attendees",
                "responses",
                "organizer",
                "team.members",
                "metadata",
                "missing",
                "title",
            ]);
            let params = if rng.chance(30) { " as |item idx|" } else { "" };
            let body = random_body(rng, depth + 1, true, json);
            let body = if params.is_empty() {
                body
            } else {
                format!("{{{{idx}}}}{{{{item.name}}}}{body}")
            };
            let inverse = if rng.chance(30) { "{{else}}empty" } else { "" };
            let nl = if !json && rng.chance(30) { "\n" } else { "" };
            format!("{{{{#each {target}{params}}}}}{nl}{body}{inverse}{nl}{{{{/each}}}}{nl}")
        }
        8 => {
            if json {
                "{{! note }}".to_string()
            } else {
                rng.pick(&[
                    "{{! note }}",
                    "{{!-- a }} b --}}",
                    "\n{{! standalone }}\n",
                    "{{~! trim ~}}",
                ])
                .to_string()
            }
        }
        9 => format!(
            "{{{{lookup {} {}}}}}",
            rng.pick(&["attendees", "responses", "organizer", "this", "title"]),
            rng.pick(&["0", "1", "'name'", "'10'", "'email'", "@index"])
        ),
        _ => {
            // Occasional broken syntax.
            rng.pick(&[
                "{{title",
                "{{/if}}",
                "{{arr.0}}",
                "{{a[0]}}",
                "{{x}}}",
                "{{#if}}{{/if}}",
                "{{missingHelper 1}}",
                "{{title}}",
            ])
            .to_string()
        }
    }
}

fn random_body(rng: &mut Rng, depth: usize, inner: bool, json: bool) -> String {
    (0..1 + rng.below(3))
        .map(|_| random_node(rng, depth, inner, json))
        .collect()
}

fn random_template(rng: &mut Rng) -> String {
    if rng.chance(45) {
        // A JSON template: mustaches only inside string values.
        let n = 1 + rng.below(4);
        let members: Vec<String> = (0..n)
            .map(|i| {
                let key = rng.pick(&["title", "uid", "0", "10", "name", "x", "a\\\"b", "title"]);
                let value = if rng.chance(20) {
                    rng.pick(&["1.0", "1e21", "null", "true", "[]", "-0"])
                        .to_string()
                } else {
                    format!("\"{}\"", random_body(rng, 1, false, true))
                };
                let ws = if rng.chance(30) { "\n  " } else { "" };
                format!(
                    "{ws}\"{key}{}\": {value}",
                    if i % 2 == 0 { "" } else { "_" }
                )
            })
            .collect();
        format!("{{{}}}", members.join(","))
    } else {
        random_body(rng, 0, false, false)
    }
}

/// The error codes calhook may use for an error the oracle threw with `message`.
fn expected_codes(message: &str) -> &'static [&'static str] {
    if message.starts_with("Parse error")
        || message.starts_with("Lexical error")
        || message.contains("doesn't match")
        || message.starts_with("Invalid path")
    {
        &["TEMPLATE_SYNTAX"]
    } else if message.starts_with("Missing required elements") {
        &["EMPTY_BODY"]
    } else if message.contains("could not be found") || message.contains("Missing decorator") {
        &["TEMPLATE_UNSUPPORTED", "TEMPLATE_RENDER"]
    } else {
        &["TEMPLATE_RENDER"]
    }
}

struct Case {
    trigger: String,
    created_at: String,
    payload_json: String,
    template: Option<String>,
    secret: Option<String>,
    version: Option<String>,
}

fn obj(pairs: Vec<(&str, Value)>) -> Value {
    let mut o = Object::new();
    for (k, v) in pairs {
        o.insert(k, v);
    }
    Value::object(o)
}

fn opt(s: &Option<String>) -> Value {
    s.as_deref().map(Value::string).unwrap_or(Value::Null)
}

#[test]
fn delivery_matches_calcom_with_real_handlebars() {
    assert_handlebars_present();
    let seed: u64 = std::env::var("CALHOOK_DELIVERY_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x0CA1_C0DE);
    let mut rng = Rng(seed);
    let secrets = [None, Some(""), Some("s3cret"), Some("ключ🔑 & \"quotes\"")];
    let versions = [None, Some("2021-10-20")];
    let mut cases = Vec::new();
    let mut push = |rng: &mut Rng, template: Option<String>, trigger: Option<&str>| {
        let trigger = trigger.unwrap_or_else(|| {
            if rng.chance(75) {
                rng.pick(BOOKING_TRIGGERS)
            } else {
                rng.pick(OTHER_TRIGGERS)
            }
        });
        let payload_json = if BOOKING_TRIGGERS.contains(&trigger) {
            booking_payload(rng, trigger)
        } else {
            other_payload(rng, trigger)
        };
        cases.push(Case {
            trigger: trigger.to_string(),
            created_at: format!(
                "2025-0{}-0{}T10:00:00.{:03}Z",
                1 + rng.below(9),
                1 + rng.below(9),
                rng.below(1000)
            ),
            payload_json,
            template,
            secret: rng.pick(&secrets).map(str::to_string),
            version: rng.pick(&versions).map(str::to_string),
        });
    };
    // Every feature template against several payloads (booking and other triggers).
    for template in TEMPLATES {
        for i in 0..7 {
            let trigger = BOOKING_TRIGGERS.get(i).copied().filter(|_| i < 5);
            push(&mut rng, Some(template.to_string()), trigger);
        }
    }
    // Default bodies.
    for _ in 0..60 {
        push(&mut rng, None, None);
    }
    // Random templates from the grammar.
    for _ in 0..900 {
        let t = random_template(&mut rng);
        push(&mut rng, Some(t), None);
    }

    let failures = compare_with_oracle(&cases);
    assert!(cases.len() >= 1000);
    assert!(
        failures.is_empty(),
        "{} of {} cases differ from Cal.com + handlebars@4.7.10 (seed {seed}):\n{}",
        failures.len(),
        cases.len(),
        shown(&failures)
    );
}

/// Found by the differential corpus (seeds 13, 17, 22, …): in handlebars' compiled JS a
/// program's parts are joined with `+`, and `{{{x}}}` / `{{&x}}` / `{{#if}}`/`{{#with}}` results
/// are raw values, so adjacent numbers and booleans are *added* (`{{{p}}}{{{p}}}` with p=30
/// renders `60`, `{{{t}}}{{{t}}}` with t=true renders `2`) until a string joins the sum.
#[test]
fn raw_values_are_added_like_js() {
    assert_handlebars_present();
    let payload =
        r#"{"p":30,"q":1.5,"t":true,"f":false,"s":"x","o":{"a":1},"arr":[1,2],"n":null,"z":0}"#;
    let templates = [
        "{{{p}}}{{{p}}}",
        "{{&p}}{{{q}}}x",
        "x{{{p}}}{{{p}}}",
        "{{{t}}}{{{t}}}",
        "{{{p}}}{{{t}}}",
        "{{p}}{{{p}}}",
        "{{#if t}}{{{p}}}{{/if}}{{{p}}}",
        "{{#if t}}{{{p}}}x{{/if}}{{{p}}}",
        "{{#with o}}{{{a}}}{{/with}}{{{p}}}",
        "{{#o}}{{{a}}}{{/o}}{{{p}}}",
        "{{{p}}}{{#o}}{{{a}}}{{/o}}",
        "{{{z}}}{{{t}}}",
        "{{{n}}}{{{p}}}{{{p}}}",
        "{{#each arr}}{{{this}}}{{{this}}}{{/each}}",
        "{{{p}}}{{! c }}{{{p}}}",
        "{{{lookup this 'p'}}}{{{p}}}",
        "{{#unless f}}{{{p}}}{{/unless}}{{{p}}}",
        "{\"sum\":\"{{{p}}}{{{p}}}\"}",
    ];
    let cases: Vec<Case> = templates
        .iter()
        .map(|t| Case {
            trigger: "BOOKING_CREATED".to_string(),
            created_at: "2025-01-01T10:00:00.000Z".to_string(),
            payload_json: payload.to_string(),
            template: Some(t.to_string()),
            secret: Some("s".to_string()),
            version: None,
        })
        .collect();
    let failures = compare_with_oracle(&cases);
    assert!(failures.is_empty(), "{}", shown(&failures));
}

/// Replace every `\\uD800`–`\\uDFFF` escape in JSON text by U+FFFD. `JSON.stringify` writes
/// valid pairs raw, so every surrogate escape in its output is a lone surrogate.
fn lone_surrogate_escapes_to_replacement(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let hex = text
            .get(i + 2..i + 6)
            .filter(|_| text.get(i + 1..i + 2) == Some("u"));
        match hex.and_then(|h| u32::from_str_radix(h, 16).ok()) {
            Some(unit) if (0xD800..0xE000).contains(&unit) => {
                out.push('\u{FFFD}');
                for _ in 0..5 {
                    chars.next();
                }
            }
            _ => {
                out.push(c);
                if let Some((_, next)) = chars.next() {
                    out.push(next);
                }
            }
        }
    }
    out
}

fn shown(failures: &[String]) -> String {
    failures
        .iter()
        .filter(|f| std::env::var("CALHOOK_DIFF_FILTER").map_or(true, |p| f.contains(&p)))
        .take(10)
        .cloned()
        .collect::<Vec<_>>()
        .join("\n")
}

fn assert_handlebars_present() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    assert!(
        root.join("node_modules/handlebars/package.json").exists(),
        "node_modules/handlebars is missing: run npm ci at the repository root"
    );
}

/// Run `cases` through the oracle (one node process) and through `build_delivery`; the
/// description of every difference.
fn compare_with_oracle(cases: &[Case]) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    static RUN: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let run = RUN.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!(
        "calhook-delivery-diff-{}-{run}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("cases.jsonl");
    let mut file = std::fs::File::create(&input).unwrap();
    for c in cases {
        let line = obj(vec![
            ("triggerEvent", Value::string(c.trigger.as_str())),
            ("createdAt", Value::string(c.created_at.as_str())),
            ("payloadJson", Value::string(c.payload_json.as_str())),
            ("template", opt(&c.template)),
            ("secret", opt(&c.secret)),
            ("version", opt(&c.version)),
        ]);
        writeln!(file, "{}", json::stringify(&line)).unwrap();
    }
    drop(file);
    let output = dir.join("results.jsonl");
    let status = Command::new("node")
        .arg(root.join("tests/oracle/run-corpus.mjs"))
        .arg(&input)
        .arg(&output)
        .status()
        .expect("node must be on PATH (it runs the oracle)");
    assert!(status.success(), "the oracle failed");
    let results = std::fs::read_to_string(&output).unwrap();
    let results: Vec<&str> = results.lines().collect();
    assert_eq!(results.len(), cases.len());

    let mut failures = Vec::new();
    let (mut sent, mut refused) = (0, 0);
    let mut reasons = std::collections::BTreeMap::new();
    for (i, (c, expected)) in cases.iter().zip(&results).enumerate() {
        let expected = json::parse(expected).unwrap();
        let payload = json::parse(&c.payload_json).unwrap_or_else(|e| {
            panic!(
                "case {i}: generated payload is not JSON: {e}\n{}",
                c.payload_json
            )
        });
        let ours = build_delivery(&DeliveryInput {
            trigger_event: c.trigger.clone(),
            created_at: c.created_at.clone(),
            payload,
            template: c.template.clone(),
            secret: c.secret.clone(),
            version: c.version.clone(),
            dialect: Dialect::Calcom,
            subscriber_url: Some("https://example.com/hook".to_string()),
        });
        let ok = expected.get("ok").and_then(Value::as_bool) == Some(true);
        let mismatch = match (&ours, ok) {
            (Ok(d), true) => {
                sent += 1;
                let headers: Vec<(String, String)> = expected
                    .get("headers")
                    .and_then(Value::as_array)
                    .unwrap_or(&[])
                    .iter()
                    .map(|h| {
                        let h = h.as_array().unwrap_or(&[]);
                        let s =
                            |i: usize| h.get(i).and_then(Value::as_str).unwrap_or("").to_string();
                        (s(0), s(1))
                    })
                    .collect();
                let body = expected.get("body").and_then(Value::as_str).unwrap_or("");
                // Documented difference: JS strings can hold lone surrogates (e.g. from
                // `{{title.[0]}}` on an emoji); `JSON.stringify` escapes them as `\udXXX`,
                // calhook's strings hold U+FFFD instead. (Form bodies agree: a lone surrogate
                // goes on the wire as the UTF-8 of U+FFFD.)
                let json_body =
                    expected.get("contentType").and_then(Value::as_str) == Some("application/json");
                let normalized;
                let body = if json_body {
                    normalized = lone_surrogate_escapes_to_replacement(body);
                    normalized.as_str()
                } else {
                    body
                };
                let ct = expected
                    .get("contentType")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                if d.body != body || d.content_type != ct || d.headers != headers {
                    Some(format!(
                        "node: {ct} {body:?} {headers:?}\n  ours: {} {:?} {:?}",
                        d.content_type, d.body, d.headers
                    ))
                } else {
                    None
                }
            }
            (Err(e), false) => {
                refused += 1;
                let message = expected.get("error").and_then(Value::as_str).unwrap_or("");
                let allowed = expected_codes(message);
                *reasons.entry(e.code().as_str()).or_insert(0usize) += 1;
                if allowed.contains(&e.code().as_str()) {
                    None
                } else {
                    Some(format!(
                        "node threw {message:?} (expected {allowed:?})\n  ours: {e}"
                    ))
                }
            }
            (Ok(d), false) => Some(format!(
                "node threw {}\n  ours sent {:?}",
                json::stringify(&expected),
                d.body
            )),
            (Err(e), true) => Some(format!(
                "node sent {}\n  ours: {e}",
                json::stringify(expected.get("body").unwrap_or(&Value::Null))
            )),
        };
        if let Some(m) = mismatch {
            failures.push(format!(
                "case {i} {} template {:?}\n  payload {}\n  {m}",
                c.trigger, c.template, c.payload_json
            ));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    eprintln!(
        "delivery differential: {} cases ({sent} sent, {refused} refused by both: {reasons:?}), {} mismatches",
        cases.len(),
        failures.len()
    );
    failures
}
