//! The direct delivery (`build_delivery_body_json`: the payload's JSON text with Cal.com's
//! preparation spliced in, rendered without a value tree) must agree with the general path
//! (`build_delivery_body`: parse, prepare the tree, render it), which the oracle suites check
//! against handlebars and Cal.com's sender: whenever the direct path answers, the general
//! path gives the same body and content type, and no error or note.
//!
//! Generated over templates (in and outside the direct renderer's subset, JSON and form) and
//! payloads with hostile attendee and organizer shapes, time zones the host rejects or nobody
//! knows, `description` / `additionalNotes` in every truthiness, duplicate keys, whitespace
//! around every token, no-show and out-of-office payloads, generic triggers and both dialects.
//! Seeded; set `CALHOOK_DIRECT_SEED` to explore.

mod common;
use calhook::delivery::{
    build_delivery_body, build_delivery_body_json, Attendees, DeliveryInput, Dialect,
    TemplateCache, UtcOffsets,
};
use calhook::json;
use common::Rng;

/// What a template can read, mostly the fields the preparation touches.
const PATHS: &[&str] = &[
    "triggerEvent",
    "createdAt",
    "uid",
    "title",
    "description",
    "description.x.1",
    "description.0",
    "payload.description.x.length",
    "additionalNotes",
    "startTime",
    "organizer.name",
    "organizer.timeZone",
    "organizer.utcOffset",
    "attendees.0.utcOffset",
    "attendees.1.utcOffset",
    "attendees.2.timeZone",
    "attendees.0.name",
    "attendees.length",
    "@root.triggerEvent",
    "@root.organizer.utcOffset",
    "payload.uid",
    "payload.triggerEvent",
    "payload.description",
    "payload.organizer.utcOffset",
    "payload.attendees.0.utcOffset",
    "payload.attendees.1.utcOffset",
    "message",
    "oooEntry.id",
    "responses.name.value",
];

/// Loop bodies over the attendees (relative to each attendee).
const EACH_BODIES: &[&str] = &[
    "{{utcOffset}}|",
    "{{name}}:{{timeZone}}={{utcOffset}};",
    "{{@index}}{{#if utcOffset}}+{{else}}-{{/if}}{{#unless @last}},{{/unless}}",
    "{\"o\":\"{{utcOffset}}\",\"e\":\"{{email}}\"}{{#unless @last}},{{/unless}}",
    "{{language.locale}}",
];

/// Statements outside the direct renderer's subset (the general path renders them).
const OUTSIDE: &[&str] = &[
    "{{{title}}}",
    "{{lookup attendees 0}}",
    "{{#with organizer}}{{utcOffset}}{{/with}}",
    "{{#each attendees}}{{../uid}}{{/each}}",
    "{{organizer}}",
    "{{#each organizer}}{{@key}}={{this}};{{/each}}",
    "{{description.length}}",
    "{{> missing}}",
];

fn fragment(rng: &mut Rng, json_string: bool) -> String {
    let path = rng.pick(PATHS);
    let each = |rng: &mut Rng, list: &str| {
        format!("{{{{#each {list}}}}}{}{{{{/each}}}}", rng.pick(EACH_BODIES))
    };
    let text = match rng.below(12) {
        0..=3 => format!("{{{{{path}}}}}"),
        4 => format!("{{{{#if {path}}}}}y{{{{else}}}}n{{{{/if}}}}"),
        5 => format!("{{{{#unless {path}}}}}u{{{{/unless}}}}"),
        6 => each(rng, "attendees"),
        7 => each(rng, "payload.attendees"),
        8 => format!("{{{{#each {path}}}}}[{{{{this}}}}]{{{{/each}}}}"),
        9 if rng.chance(50) => rng.pick(OUTSIDE).to_string(),
        _ => "&quot;&amp; x".to_string(),
    };
    if json_string {
        text
    } else {
        format!("{text} ")
    }
}

/// A JSON template (each fragment inside a string) or a form one.
fn template(rng: &mut Rng) -> String {
    let n = 1 + rng.below(4);
    if rng.chance(70) {
        let members: Vec<String> = (0..n)
            .map(|i| format!("\"k{i}\": \"{}\"", fragment(rng, true)))
            .collect();
        format!("{{{}}}", members.join(", "))
    } else {
        (0..n).map(|_| fragment(rng, false)).collect()
    }
}

/// Time zones: the host's table knows London and New York and rejects `Bad/Zone`; the rest
/// are computed without a database or not at all.
const ZONES: &[&str] = &[
    "\"Europe/London\"",
    "\"America/New_York\"",
    "\"Europe\\/London\"",
    "\"Asia/Kolkata\"",
    "\"Etc/GMT+5\"",
    "\"Europe/Berlin\"",
    "\"Australia/Sydney\"",
    "\"Bad/Zone\"",
    "\"\"",
    "null",
    "0",
    "1",
    "true",
    "false",
    "{\"a\":1}",
    "[]",
];

fn offsets() -> UtcOffsets {
    let mut offsets = UtcOffsets::new();
    offsets.insert("Europe/London".into(), Some(60));
    offsets.insert("America/New_York".into(), Some(-300));
    offsets.insert("Bad/Zone".into(), None);
    offsets
}

/// Whitespace JSON allows between tokens, sometimes.
fn ws(rng: &mut Rng) -> &'static str {
    rng.pick(&["", "", "", " ", "\n  ", "\t", " \r\n"])
}

fn object(rng: &mut Rng, members: &[String]) -> String {
    let mut out = format!("{{{}", ws(rng));
    for (i, m) in members.iter().enumerate() {
        if i > 0 {
            out.push_str(&format!("{},{}", ws(rng), ws(rng)));
        }
        out.push_str(m);
    }
    out.push_str(ws(rng));
    out.push('}');
    out
}

fn member(rng: &mut Rng, key: &str, value: &str) -> String {
    format!("\"{key}\"{}:{}{value}", ws(rng), ws(rng))
}

/// A person: any subset of name, email, timeZone, utcOffset (sometimes twice).
fn person(rng: &mut Rng, i: usize) -> String {
    let mut members = Vec::new();
    if rng.chance(80) {
        members.push(member(rng, "name", &format!("\"P{i} \\\"q\\\" & co\"")));
    }
    if rng.chance(50) {
        members.push(member(rng, "email", &format!("\"p{i}@example.com\"")));
    }
    if rng.chance(85) {
        let zone = rng.pick(ZONES);
        members.push(member(rng, "timeZone", zone));
    }
    if rng.chance(25) {
        let offset = rng.pick(&["330", "-0", "null", "\"x\"", "1.5"]);
        members.push(member(rng, "utcOffset", offset));
    }
    if rng.chance(10) {
        // A duplicate key: the last one counts.
        let zone = rng.pick(ZONES);
        members.push(member(rng, "timeZone", zone));
    }
    if rng.chance(30) {
        members.push(member(rng, "language", "{\"locale\":\"en\"}"));
    }
    rng.shuffle(&mut members);
    object(rng, &members)
}

fn attendee(rng: &mut Rng, i: usize) -> String {
    match rng.below(20) {
        0 => "null".to_string(),
        1 => "0".to_string(),
        2 => "\"someone\"".to_string(),
        3 => "[]".to_string(),
        4 => "{}".to_string(),
        _ => person(rng, i),
    }
}

fn attendees(rng: &mut Rng) -> String {
    match rng.below(12) {
        0 => "null".to_string(),
        1 => "{\"0\":{\"timeZone\":\"Europe/London\"}}".to_string(),
        2 => "\"list\"".to_string(),
        3 => "[]".to_string(),
        _ => {
            let n = 1 + rng.below(4);
            let items: Vec<String> = (0..n).map(|i| attendee(rng, i)).collect();
            format!(
                "[{}{}{}]",
                ws(rng),
                items.join(&format!("{},", ws(rng))),
                ws(rng)
            )
        }
    }
}

const TRUTHINESS: &[&str] = &[
    "\"text\"",
    "\"\"",
    "null",
    "0",
    "-0",
    "false",
    "true",
    "\"a \\\"b\\\" &amp;\"",
    "{\"x\":[1,2]}",
    "[\"n\"]",
    "12.5",
];

fn payload(rng: &mut Rng) -> String {
    match rng.below(40) {
        0 => return "[1,2]".to_string(),
        1 => return "\"text\"".to_string(),
        2 => return "{}".to_string(),
        3 => return "{\"message\":\"m\",\"bookingUid\":\"b\",\"attendees\":[null]}".to_string(),
        4 => {
            return "{\"oooEntry\":{\"id\":1},\"organizer\":{\"timeZone\":\"Bad/Zone\"}}"
                .to_string()
        }
        5 => return "{\"x\":1".to_string(),
        _ => {}
    }
    let mut members = vec![
        member(rng, "uid", "\"bk_1\""),
        member(rng, "title", "\"Intro & <b>\\\"x\\\"</b>\""),
    ];
    if rng.chance(80) {
        let start = rng.pick(&[
            "\"2025-01-15T10:00:00.000Z\"",
            "\"2025-07-01T10:00:00.000Z\"",
            "\"not a date\"",
            "3",
        ]);
        members.push(member(rng, "startTime", start));
    }
    if rng.chance(85) {
        let org = match rng.below(8) {
            0 => "null".to_string(),
            1 => "{}".to_string(),
            2 => "\"org\"".to_string(),
            _ => person(rng, 99),
        };
        members.push(member(rng, "organizer", &org));
    }
    if rng.chance(85) {
        let list = attendees(rng);
        members.push(member(rng, "attendees", &list));
    }
    if rng.chance(70) {
        let d = rng.pick(TRUTHINESS);
        members.push(member(rng, "description", d));
    }
    if rng.chance(50) {
        let n = rng.pick(TRUTHINESS);
        members.push(member(rng, "additionalNotes", n));
    }
    if rng.chance(10) {
        members.push(member(rng, "triggerEvent", "\"FROM_PAYLOAD\""));
    }
    if rng.chance(5) {
        members.push(member(rng, "description", "\"second\""));
    }
    if rng.chance(5) {
        for i in 0..70 {
            members.push(member(rng, &format!("f{i}"), "1"));
        }
    }
    if rng.chance(20) {
        members.push(member(rng, "responses", "{\"name\":{\"value\":\"Jane\"}}"));
    }
    rng.shuffle(&mut members);
    object(rng, &members)
}

trait Shuffle {
    fn shuffle<T>(&mut self, items: &mut [T]);
}

impl Shuffle for Rng {
    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

const TRIGGERS: &[&str] = &[
    "BOOKING_CREATED",
    "BOOKING_CANCELLED",
    "MEETING_ENDED",
    "BOOKING_NO_SHOW_UPDATED",
    "FORM_SUBMITTED",
];

struct Case {
    input: DeliveryInput,
    payload: String,
    attendees: Attendees,
}

fn case(rng: &mut Rng) -> Case {
    let input = DeliveryInput {
        trigger_event: rng.pick(TRIGGERS).to_string(),
        created_at: "2025-01-01T10:00:00.000Z".to_string(),
        payload: json::Value::Null,
        template: Some(template(rng)),
        secret: None,
        version: None,
        dialect: if rng.chance(25) {
            Dialect::Reference
        } else {
            Dialect::Calcom
        },
        subscriber_url: match rng.below(10) {
            0 => Some(String::new()),
            1..=4 => Some("https://example.com/hook".to_string()),
            _ => None,
        },
    };
    let attendees = if rng.chance(50) {
        Attendees::Checked
    } else {
        Attendees::AsGiven
    };
    Case {
        input,
        payload: payload(rng),
        attendees,
    }
}

/// Runs one case through both paths; returns whether the direct path answered.
fn agree(case: &Case, cache: &mut TemplateCache) -> bool {
    let offsets = offsets();
    let direct =
        build_delivery_body_json(&case.input, &case.payload, &offsets, case.attendees, cache);
    let Some(direct) = direct else {
        return false;
    };
    let what = format!(
        "template {:?}\npayload {}\ntrigger {} dialect {:?} attendees {:?}",
        case.input.template,
        case.payload,
        case.input.trigger_event,
        case.input.dialect,
        case.attendees
    );
    let payload = json::parse(&case.payload)
        .unwrap_or_else(|e| panic!("direct path accepted a payload that is not JSON: {e}\n{what}"));
    let mut input = case.input.clone();
    input.payload = payload;
    let general =
        build_delivery_body(&mut input, &offsets, case.attendees, cache).unwrap_or_else(|e| {
            panic!("direct path answered where the general path fails: {e}\n{what}")
        });
    assert_eq!(direct, general, "{what}");
    assert!(direct.notes.is_empty(), "{what}");
    true
}

#[test]
fn generated_deliveries_agree_with_the_general_path() {
    let seed = std::env::var("CALHOOK_DIRECT_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_d1ec);
    let mut rng = Rng(seed);
    let mut cache = TemplateCache::new(8);
    let (mut answered, total) = (0, 20_000);
    for _ in 0..total {
        let case = case(&mut rng);
        if agree(&case, &mut cache) {
            answered += 1;
        }
    }
    // The generator aims at the edges, but most cases still fit the direct path: otherwise
    // this test would check little.
    assert!(
        answered * 4 > total,
        "direct path answered only {answered} of {total}"
    );
    assert!(
        answered < total,
        "every case answered: the hostile ones are missing"
    );
}

fn booking(attendees: usize) -> String {
    let list: Vec<String> = (0..attendees)
        .map(|i| format!(r#"{{"email":"a{i}@example.com","language":{{"locale":"en"}},"name":"Attendee {i}","timeZone":"Europe/London"}}"#))
        .collect();
    format!(
        r#"{{"attendees":[{}],"description":"Agenda","organizer":{{"email":"jane@company.com","name":"Jane","timeZone":"America/New_York"}},"startTime":"2024-01-15T10:00:00.000Z","uid":"booking-uid-123"}}"#,
        list.join(",")
    )
}

fn input(template: &str) -> DeliveryInput {
    DeliveryInput {
        trigger_event: "BOOKING_CREATED".to_string(),
        created_at: "2024-01-15T10:00:00.000Z".to_string(),
        payload: json::Value::Null,
        template: Some(template.to_string()),
        secret: None,
        version: None,
        dialect: Dialect::Calcom,
        subscriber_url: None,
    }
}

#[test]
fn the_benchmark_deliveries_take_the_direct_path() {
    let mut cache = TemplateCache::default();
    for template in [
        r#"{"event": "{{triggerEvent}}", "booking_id": "{{uid}}", "attendee": "{{attendees.0.email}}"}"#,
        r#"{"o": "{{organizer.utcOffset}}", "a": [{{#each attendees}}"{{utcOffset}}"{{#unless @last}},{{/unless}}{{/each}}], "d": "{{description}}"}"#,
    ] {
        let case = Case {
            input: input(template),
            payload: booking(60),
            attendees: Attendees::Checked,
        };
        assert!(agree(&case, &mut cache), "{template}");
    }
}

#[test]
fn what_the_preparation_adds_is_what_templates_read() {
    let mut cache = TemplateCache::default();
    let template = "{{organizer.utcOffset}}/{{#each attendees}}{{utcOffset}},{{/each}}/{{description}}/{{triggerEvent}}";
    let payload = r#"{"triggerEvent":"OLD","organizer":{"timeZone":"America/New_York"},"attendees":[{"timeZone":"Europe/London"},{},{"timeZone":""}],"description":"","additionalNotes":"notes"}"#;
    let body = build_delivery_body_json(
        &input(template),
        payload,
        &offsets(),
        Attendees::AsGiven,
        &mut cache,
    )
    .expect("direct path");
    assert_eq!(body.body, "-300/60,,,/notes/BOOKING_CREATED");
}

#[test]
fn the_direct_path_declines_what_it_cannot_vouch_for() {
    let mut cache = TemplateCache::default();
    let declines = |template: &str, payload: &str, cache: &mut TemplateCache| {
        build_delivery_body_json(
            &input(template),
            payload,
            &offsets(),
            Attendees::AsGiven,
            cache,
        )
        .is_none()
    };
    // A rejected zone (the sender throws), an attendee the sender throws on, a description the
    // preparation deletes, a zone without an offset (a note), a template outside the subset,
    // an empty form body.
    for (template, payload) in [
        (
            "{{uid}}",
            r#"{"uid":"u","organizer":{"timeZone":"Bad/Zone"}}"#,
        ),
        ("{{uid}}", r#"{"uid":"u","attendees":[null]}"#),
        ("{{description}}", r#"{"description":0}"#),
        (
            "{{uid}}",
            r#"{"uid":"u","attendees":[{"timeZone":"Asia/Tokyo_Nowhere"}]}"#,
        ),
        ("{{{uid}}}", r#"{"uid":"u"}"#),
        ("{{missing}}", r#"{"uid":"u"}"#),
        ("{{uid}}", r#"{"uid":"u""#),
    ] {
        assert!(
            declines(template, payload, &mut cache),
            "{template} {payload}"
        );
    }
}
