use super::*;
use crate::json::parse;
use std::rc::Rc;

fn input(trigger: &str, payload: &str, template: Option<&str>) -> DeliveryInput {
    DeliveryInput {
        trigger_event: trigger.to_string(),
        created_at: "2025-01-01T10:00:00.000Z".to_string(),
        payload: parse(payload).unwrap(),
        template: template.map(str::to_string),
        secret: Some("s3cret".to_string()),
        version: None,
        dialect: Dialect::Calcom,
        subscriber_url: Some("https://example.com/hook".to_string()),
    }
}

#[test]
fn content_type_follows_json_parse_truthiness() {
    for (t, json) in [
        (None, true),
        (Some(""), true),
        (Some("{}"), true),
        (Some("[]"), true),
        (Some("1"), true),
        (Some("\"x\""), true),
        (Some("0"), false),
        (Some("-0"), false),
        (Some("0.0"), false),
        (Some("false"), false),
        (Some("null"), false),
        (Some("\"\""), false),
        (Some("{\"n\": {{n}} }"), false),
        (Some("\u{feff}{}"), false),
        (Some("{{!-- c --}}{}"), false),
    ] {
        let expected = if json {
            CONTENT_TYPE_JSON
        } else {
            CONTENT_TYPE_FORM
        };
        assert_eq!(content_type_for(t), expected, "{t:?}");
    }
}

#[test]
fn default_body_prepares_payload() {
    let d = build_delivery(&input(
        "BOOKING_CREATED",
        r#"{"title":"T","description":"","additionalNotes":"notes","startTime":"2025-01-01T10:00:00Z",
            "organizer":{"name":"O","timeZone":"Asia/Kolkata"},
            "attendees":[{"name":"A","timeZone":"UTC","utcOffset":5},{"name":"B"},{"name":"C","timeZone":"Europe/Berlin","utcOffset":60}]}"#,
        None,
    ))
    .unwrap();
    assert_eq!(
        d.body,
        r#"{"triggerEvent":"BOOKING_CREATED","createdAt":"2025-01-01T10:00:00.000Z","payload":{"title":"T","description":"notes","additionalNotes":"notes","startTime":"2025-01-01T10:00:00Z","organizer":{"name":"O","timeZone":"Asia/Kolkata","utcOffset":330},"attendees":[{"name":"A","timeZone":"UTC","utcOffset":0},{"name":"B","utcOffset":null},{"name":"C","timeZone":"Europe/Berlin","utcOffset":60}]}}"#
    );
    assert!(d.notes.is_empty());
    assert_eq!(d.content_type, CONTENT_TYPE_JSON);
    assert_eq!(
        d.headers,
        vec![
            ("Content-Type".to_string(), "application/json".to_string()),
            (
                "X-Cal-Signature-256".to_string(),
                crate::signature::sign(d.body.as_bytes(), Some(b"s3cret"))
            ),
        ]
    );
}

#[test]
fn unknown_zone_without_offset_is_noted_not_invented() {
    let d = build_delivery(&input(
        "BOOKING_CREATED",
        r#"{"organizer":{"timeZone":"Europe/London"},"description":"d"}"#,
        None,
    ))
    .unwrap();
    assert!(d
        .body
        .contains(r#""organizer":{"timeZone":"Europe/London"}"#));
    assert_eq!(d.notes.len(), 1);
}

#[test]
fn description_falls_back_or_disappears() {
    let d = build_delivery(&input(
        "BOOKING_CREATED",
        r#"{"description":null,"x":1}"#,
        None,
    ))
    .unwrap();
    assert!(d.body.ends_with(r#""payload":{"x":1}}"#), "{}", d.body);
    // No-show and OOO payloads are not prepared.
    let d = build_delivery(&input(
        "BOOKING_NO_SHOW_UPDATED",
        r#"{"message":"m","bookingUid":"b","attendees":[{"email":"e"}]}"#,
        None,
    ))
    .unwrap();
    assert!(d
        .body
        .ends_with(r#"{"message":"m","bookingUid":"b","attendees":[{"email":"e"}]}}"#));
}

#[test]
fn generic_triggers_are_not_prepared_and_wrap_data() {
    let data = template_data(
        "FORM_SUBMITTED",
        "c",
        &parse(r#"{"formId":"f","attendees":[{}]}"#).unwrap(),
        Dialect::Calcom,
    );
    assert_eq!(
        json::stringify(&data),
        r#"{"triggerEvent":"FORM_SUBMITTED","createdAt":"c","payload":{"formId":"f","attendees":[{}]}}"#
    );
    let flat = template_data(
        "BOOKING_CREATED",
        "c",
        &parse(r#"{"createdAt":"old","2":1,"uid":"u"}"#).unwrap(),
        Dialect::Calcom,
    );
    assert_eq!(
        json::stringify(&flat),
        r#"{"2":1,"createdAt":"c","uid":"u","triggerEvent":"BOOKING_CREATED"}"#
    );
    let reference = template_data(
        "BOOKING_CREATED",
        "c",
        &parse(r#"{"uid":"u"}"#).unwrap(),
        Dialect::Reference,
    );
    assert_eq!(
        json::stringify(&reference),
        r#"{"triggerEvent":"BOOKING_CREATED","createdAt":"c","payload":{"uid":"u"}}"#
    );
}

#[test]
fn errors() {
    let e = build_delivery(&input("BOOKING_CREATED", "[]", None)).unwrap_err();
    assert_eq!(e.code(), "PAYLOAD_NOT_OBJECT");
    let e = build_delivery(&input("BOOKING_CREATED", r#"{"attendees":[null]}"#, None)).unwrap_err();
    assert_eq!(e.code(), "PAYLOAD_SHAPE");
    let e = build_delivery(&input("BOOKING_CREATED", r#"{"x":""}"#, Some("{{x}}"))).unwrap_err();
    assert_eq!(e.code(), "EMPTY_BODY");
    let mut i = input("BOOKING_CREATED", "{}", None);
    i.subscriber_url = Some(String::new());
    assert_eq!(build_delivery(&i).unwrap_err().code(), "MISSING_URL");
}

#[test]
fn version_header_and_no_secret() {
    let mut i = input("BOOKING_CREATED", "{}", None);
    i.secret = Some(String::new());
    i.version = Some(WEBHOOK_VERSION.to_string());
    let d = build_delivery(&i).unwrap();
    assert_eq!(d.headers[1].1, "no-secret-provided");
    assert_eq!(
        d.headers[2],
        (
            "X-Cal-Webhook-Version".to_string(),
            "2021-10-20".to_string()
        )
    );
}

#[test]
fn fixed_offsets() {
    assert_eq!(fixed_utc_offset("Etc/GMT+5"), Some(-300));
    assert_eq!(fixed_utc_offset("Etc/GMT-14"), Some(840));
    assert_eq!(fixed_utc_offset("Etc/GMT-15"), None);
    assert_eq!(fixed_utc_offset("Etc/GMT+05"), None);
    assert_eq!(fixed_utc_offset("Europe/London"), None);
}

#[test]
fn generic_triggers_match_the_sender_oracle() {
    // The oracle of Cal.com's sender lists the triggers it delivers through
    // `sendGenericWebhookPayload`; the trigger table must say the same of each.
    let oracle = include_str!("../../tests/oracle/calcom-sender.mjs");
    let start = oracle
        .find("export const GENERIC_TRIGGERS = [")
        .expect("the oracle lists its generic triggers");
    let list = &oracle[start..];
    let list = &list[list.find('[').unwrap_or(0) + 1..list.find(']').unwrap_or(0)];
    let from_oracle: Vec<&str> = list
        .split(',')
        .map(|s| s.trim().trim_matches('"'))
        .filter(|s| !s.is_empty())
        .collect();
    assert_eq!(from_oracle.len(), 8);
    for t in crate::event::TRIGGERS {
        assert_eq!(
            is_generic_trigger(t.name),
            from_oracle.contains(&t.name),
            "{}",
            t.name
        );
    }
}

#[test]
fn reference_dialect_renders_the_documented_shape() {
    let mut i = input(
        "BOOKING_CREATED",
        r#"{"uid":"u1","attendees":[{"email":"a@x.co"}]}"#,
        Some(r#"{"id":"{{payload.uid}}","who":"{{payload.attendees[0].email}}","flat":"{{uid}}"}"#),
    );
    i.dialect = Dialect::Reference;
    let d = build_delivery(&i).unwrap();
    assert_eq!(d.body, r#"{"id":"u1","who":"a@x.co","flat":""}"#);
    // The same template is a syntax error on the real sender.
    i.dialect = Dialect::Calcom;
    assert_eq!(build_delivery(&i).unwrap_err().code(), "TEMPLATE_SYNTAX");
}

#[test]
fn offsets_from_rules_and_from_the_host() {
    let payload = r#"{"startTime":"2025-07-01T10:00:00.000Z","organizer":{"timeZone":"America/New_York"},
        "attendees":[{"timeZone":"Europe/Berlin"},{"timeZone":"Australia/Sydney"},{"timeZone":"Nowhere/Land"}]}"#;
    let d = build_delivery(&input("BOOKING_CREATED", payload, None)).unwrap();
    assert!(
        d.body
            .contains(r#""organizer":{"timeZone":"America/New_York","utcOffset":-240}"#),
        "{}",
        d.body
    );
    assert!(d
        .body
        .contains(r#"{"timeZone":"Europe/Berlin","utcOffset":120}"#));
    assert!(d.body.contains(r#"{"timeZone":"Australia/Sydney"}"#));
    assert_eq!(d.notes.len(), 2);
    let mut offsets = UtcOffsets::new();
    offsets.insert("Australia/Sydney".to_string(), Some(600));
    offsets.insert("America/New_York".to_string(), Some(-240));
    offsets.insert("Nowhere/Land".to_string(), None);
    let e = build_delivery_with_offsets(&input("BOOKING_CREATED", payload, None), &offsets)
        .unwrap_err();
    assert_eq!(e.code(), "INVALID_TIME_ZONE");
}

#[test]
fn json_limits_are_errors_not_guesses() {
    let deep = format!("{}{}", "[".repeat(600), "]".repeat(600));
    assert_eq!(content_type_for(Some(&deep)), CONTENT_TYPE_JSON);
    let e = build_delivery(&input("BOOKING_CREATED", "{}", Some(&deep))).unwrap_err();
    assert_eq!(e.code(), "JSON_LIMIT");
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Whatever the template, payload and zone, `build_delivery` returns (never panics:
        /// a panic traps the wasm instance).
        #[test]
        fn never_panics(
            template in "[{}#/~!&^ a-z.\\[\\]0-9\"'\\\\\n=|()@-]{0,40}",
            zone in "(UTC|Europe/London|America/New_York|Asia/Tokyo|[A-Za-z/+0-9-]{0,12})",
            start in "(2025-03-09T0[0-9]:00:00Z|20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,4})?(Z|[+-][01][0-9]:[0-5][0-9])|[0-9T:.Z-]{0,24})",
            title in "\\PC{0,8}",
        ) {
            let payload = format!(
                r#"{{"title":{},"startTime":{},"organizer":{{"timeZone":{}}},"attendees":[{{"timeZone":{}}},{{}}],"n":1.5}}"#,
                json::stringify(&Value::string(title)),
                json::stringify(&Value::string(start)),
                json::stringify(&Value::string(zone.as_str())),
                json::stringify(&Value::string(zone.as_str())),
            );
            let mut i = input("BOOKING_CREATED", &payload, Some(&template));
            let _ = build_delivery(&i);
            i.dialect = Dialect::Reference;
            let _ = build_delivery(&i);
            i.template = None;
            prop_assert!(build_delivery(&i).is_ok());
        }

        /// A delivery through the template cache is the uncached delivery, error for error,
        /// whether the template is prepared now, reused, or was evicted in between (capacity 2,
        /// three templates in turn), for both dialects and `renderPayloadTemplate`.
        #[test]
        fn cached_is_uncached(
            templates in proptest::collection::vec(prop_oneof![
                Just(r#"{"uid":"{{uid}}","e":"{{attendees.0.email}}","t":"{{triggerEvent}}"}"#.to_string()),
                Just(r#"{"p":"{{payload.uid}}","o":"{{organizer.utcOffset}}"}"#.to_string()),
                Just("title={{title}}&d={{description}}".to_string()),
                Just(r#"{"x":{{a.b}} }"#.to_string()),
                Just("{{#each attendees}}{{utcOffset}},{{/each}}".to_string()),
                "[{}#/~!&^ a-z.\\[\\]0-9\"'\\\\\n=|()@-]{0,40}",
            ], 3),
            zone in "(UTC|Europe/London|Mars/Base|)",
            attendee in "(\\{\\}|null|1|\\[\\]|\\{\"email\":\"a@b\"\\})",
            flat in any::<bool>(),
        ) {
            let payload = format!(
                r#"{{"title":"T","uid":"u","startTime":"2025-01-01T10:00:00Z","organizer":{{"timeZone":{}}},"attendees":[{attendee},{{"timeZone":"UTC"}}],"a":{{"b":[1,"x"]}}}}"#,
                json::stringify(&Value::string(zone.as_str())),
            );
            let mut cache = TemplateCache::new(2);
            let offsets = UtcOffsets::new();
            for round in 0..3 {
                for (k, template) in templates.iter().enumerate() {
                    let mut i = input("BOOKING_CREATED", &payload, Some(template));
                    if !flat || (round + k) % 2 == 1 {
                        i.dialect = Dialect::Reference;
                    }
                    prop_assert_eq!(
                        build_delivery_cached(&i, &offsets, &mut cache),
                        build_delivery_with_offsets(&i, &offsets)
                    );
                    prop_assert_eq!(
                        render_payload_template_cached(&i, &offsets, &mut cache),
                        render_payload_template(&i, &offsets)
                    );
                    prop_assert!(cache.len() <= 2);
                }
            }
        }
    }
}

#[test]
fn cache_reuses_bounds_and_separates_dialects() {
    let mut cache = TemplateCache::new(2);
    let a = cache.get("{{uid}}", Dialect::Calcom);
    assert!(Rc::ptr_eq(&a, &cache.get("{{uid}}", Dialect::Calcom)));
    let r = cache.get("{{uid}}", Dialect::Reference);
    assert!(!Rc::ptr_eq(&a, &r));
    assert_eq!(cache.len(), 2);
    // A third template evicts the least recently used (Calcom's), not the newest.
    cache.get("{{title}}", Dialect::Calcom);
    assert_eq!(cache.len(), 2);
    assert!(Rc::ptr_eq(&r, &cache.get("{{uid}}", Dialect::Reference)));
    assert!(!Rc::ptr_eq(&a, &cache.get("{{uid}}", Dialect::Calcom)));
    // Huge sources are prepared but not kept.
    let huge = "x".repeat(CACHE_MAX_SOURCE_BYTES + 1);
    let before = cache.len();
    let h = cache.get(&huge, Dialect::Calcom);
    assert_eq!(h.source(), huge);
    assert_eq!(cache.len(), before);
    assert!(!Rc::ptr_eq(&h, &cache.get(&huge, Dialect::Calcom)));
}

#[test]
fn payload_projection_adds_what_the_sender_reads() {
    use crate::json::stringify;
    use crate::template::projection::Projection;
    let p = payload_projection(
        "BOOKING_CREATED",
        Some(r#"{"a": "{{attendees.0.email}}", "t": "{{triggerEvent}}"}"#),
        Dialect::Calcom,
    );
    let text = stringify(&p.to_value());
    for needed in [
        "\"email\":1",
        "\"timeZone\":1",
        "\"utcOffset\":1",
        "\"additionalNotes\":1",
        "\"l\":1",
    ] {
        assert!(text.contains(needed), "{needed} in {text}");
    }
    assert!(!text.contains("triggerEvent"), "{text}");
    assert_eq!(
        payload_projection("BOOKING_CREATED", None, Dialect::Calcom),
        Projection::Everything
    );
    assert_eq!(
        payload_projection("BOOKING_CREATED", Some("{{this}}"), Dialect::Calcom),
        Projection::Everything
    );
    assert_eq!(
        payload_projection("BOOKING_CREATED", Some("{{#if x}}"), Dialect::Calcom),
        Projection::Everything
    );
    let generic = payload_projection(
        "FORM_SUBMITTED",
        Some("{{payload.formId}}"),
        Dialect::Calcom,
    );
    assert_eq!(stringify(&generic.to_value()), r#"{"c":{"formId":1}}"#);
}

#[test]
fn checked_projection_keeps_only_the_attendees_the_template_reads() {
    use crate::json::stringify;
    let template = r#"{"a": "{{attendees.0.email}}", "o": "{{organizer.utcOffset}}"}"#;
    let p = payload_projection_checked("BOOKING_CREATED", Some(template), Dialect::Calcom);
    let text = stringify(&p.to_value());
    assert!(
        text.contains(r#""attendees":{"c":{"0":{"c":{"email":1,"timeZone":1,"utcOffset":1}}}}"#),
        "{text}"
    );
    assert!(
        text.contains(r#""organizer":{"c":{"timeZone":1,"utcOffset":1}}"#),
        "{text}"
    );
    // A template that does not read the attendees does not get them.
    let p = payload_projection_checked("BOOKING_CREATED", Some("{{uid}}"), Dialect::Calcom);
    assert!(!stringify(&p.to_value()).contains("attendees"));
    // Iterated attendees all cross, each with what the preparation reads.
    let p = payload_projection_checked(
        "BOOKING_CREATED",
        Some("{{#each attendees}}{{name}}{{/each}}"),
        Dialect::Calcom,
    );
    let text = stringify(&p.to_value());
    assert!(
        text.contains(r#""e":{"c":{"name":1,"timeZone":1,"utcOffset":1}}"#),
        "{text}"
    );
}

#[test]
fn checked_attendees_pass_over_placeholders() {
    let template = r#"{"n": "{{attendees.length}}", "b": "{{attendees.1.utcOffset}}"}"#;
    let payload =
        r#"{"startTime":"2025-01-01T10:00:00Z","attendees":[null,{"timeZone":"UTC"},null]}"#;
    let mut cache = TemplateCache::default();
    let mut as_given = input("BOOKING_CREATED", payload, Some(template));
    let err = build_delivery_body(
        &mut as_given,
        &UtcOffsets::new(),
        Attendees::AsGiven,
        &mut cache,
    );
    assert_eq!(err.unwrap_err().code(), DeliveryErrorCode::PayloadShape);
    let mut checked = input("BOOKING_CREATED", payload, Some(template));
    let d = build_delivery_body(
        &mut checked,
        &UtcOffsets::new(),
        Attendees::Checked,
        &mut cache,
    )
    .unwrap();
    assert_eq!(d.body, r#"{"n":"3","b":"0"}"#);
    assert!(d.notes.is_empty());
    // Unsigned here; signed, it is what build_delivery_cached sends for the same data.
    let full = r#"{"startTime":"2025-01-01T10:00:00Z","attendees":[{},{"timeZone":"UTC"},{}]}"#;
    let signed = build_delivery_cached(
        &input("BOOKING_CREATED", full, Some(template)),
        &UtcOffsets::new(),
        &mut cache,
    )
    .unwrap();
    assert_eq!(signed.body, d.body);
    assert_eq!(
        signed.headers,
        delivery_headers(
            d.content_type,
            crate::signature::sign(d.body.as_bytes(), Some(b"s3cret")),
            None
        )
    );
}

#[test]
fn preparing_in_place_leaves_the_callers_payload_alone() {
    let payload = r#"{"startTime":"2025-01-01T10:00:00Z","additionalNotes":"n","organizer":{"timeZone":"UTC"},"attendees":[{"timeZone":"Asia/Tokyo"},{"name":"x"}]}"#;
    for template in [
        None,
        Some(r#"{"a": "{{attendees.0.utcOffset}}", "d": "{{description}}"}"#),
    ] {
        let input = input("BOOKING_CREATED", payload, template);
        let before = crate::json::stringify(&input.payload);
        let first = build_delivery(&input).unwrap();
        assert_eq!(crate::json::stringify(&input.payload), before);
        assert_eq!(build_delivery(&input).unwrap(), first);
        let data = template_data("BOOKING_CREATED", "c", &input.payload, Dialect::Calcom);
        assert_eq!(crate::json::stringify(&input.payload), before);
        assert!(crate::json::stringify(&data).contains(r#""utcOffset":540"#));
    }
}

#[test]
fn unquoted_matches_str_replace() {
    for s in [
        "",
        "&quot;",
        "&quot;&quot;",
        "a&quot;b&quot",
        "&&quot;;",
        "&amp;quot;",
        "é&quot;ü&quo",
        "no entity",
        "&q&qu&quo&quot",
        "x&quot;",
    ] {
        assert_eq!(
            super::unquoted(s.to_string()),
            s.replace("&quot;", "\""),
            "{s:?}"
        );
    }
}
