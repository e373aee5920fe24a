//! Delivery emulation: `build_delivery_with_offsets` on an arbitrary template, payload and
//! host-computed UTC offsets.
//!
//! Input: one flag byte, the template, NUL, the payload JSON (a sample booking payload when
//! it is not JSON), NUL, the offsets JSON
//! (`{zone: minutes | null}`). Flags: bit 0 = Reference dialect; bit 1 = no template (default
//! body); bit 2 = a secret; bit 3 = a version; bit 4 = an empty subscriber URL; bits 5–7 and
//! the template pick the trigger (booking-style or generic).
//!
//! Invariants:
//! - an accepted delivery is a POST whose headers are `Content-Type` (= `content_type`, =
//!   `content_type_for(template)`), `X-Cal-Signature-256` (the HMAC of the exact body under the
//!   secret, or `no-secret-provided`) and the version header when one was given;
//! - the body is never empty, and a JSON body is `JSON.stringify(JSON.parse(body))` of itself
//!   (or the literal `false`);
//! - without a template the body is `{triggerEvent, createdAt, payload}`;
//! - template errors carry spans inside the template, at char boundaries.
#![no_main]

use calhook::delivery::{
    build_delivery, build_delivery_with_offsets, content_type_for, DeliveryError, DeliveryInput,
    UtcOffsets, CONTENT_TYPE_JSON,
};
use calhook::event::sample_payload;
use calhook::json::{self, Value};
use calhook::signature::{self, Verifier};
use calhook::template::Dialect;
use calhook_fuzz::{check_span, split_nul};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

const TRIGGERS: &[&str] = &[
    "BOOKING_CREATED",
    "BOOKING_CANCELLED",
    "MEETING_ENDED",
    "FORM_SUBMITTED",
    "OOO_CREATED",
    "BOOKING_NO_SHOW_UPDATED",
    "DELEGATION_CREDENTIAL_ERROR",
    "SOMETHING_NEW",
];
const SECRET: &str = "whsec_delivery-fuzz";

fn sample_booking_payload() -> Value {
    static TEXT: OnceLock<String> = OnceLock::new();
    let text = TEXT.get_or_init(|| {
        let body = sample_payload("BOOKING_CREATED", None).expect("known trigger");
        json::stringify(body.get("payload").expect("payload"))
    });
    json::parse(text).expect("sample parses")
}

fuzz_target!(|input: &[u8]| {
    let Some((&flags, rest)) = input.split_first() else {
        return;
    };
    let (tpl, rest) = split_nul(rest);
    let (payload, offsets) = split_nul(rest);
    let template = String::from_utf8_lossy(tpl).into_owned();
    // Payload text that is not JSON falls back to a realistic booking payload, so that inputs
    // mutated into invalid JSON still exercise the template.
    let payload = json::parse_bytes(payload).unwrap_or_else(|_| sample_booking_payload());
    let offsets: UtcOffsets = json::parse_bytes(offsets)
        .ok()
        .and_then(|v| v.as_object().cloned())
        .map(|o| {
            o.iter()
                .map(|(zone, v)| (zone.to_string(), v.as_f64().map(|m| m as i32)))
                .collect()
        })
        .unwrap_or_default();
    let input = DeliveryInput {
        trigger_event: TRIGGERS[usize::from(flags >> 5)].to_string(),
        created_at: "2025-01-01T10:00:00.000Z".to_string(),
        payload,
        template: (flags & 2 == 0).then(|| template.clone()),
        secret: (flags & 4 != 0).then(|| SECRET.to_string()),
        version: (flags & 8 != 0).then(|| "2021-10-20".to_string()),
        dialect: if flags & 1 != 0 {
            Dialect::Reference
        } else {
            Dialect::Calcom
        },
        subscriber_url: Some(
            if flags & 16 != 0 {
                ""
            } else {
                "https://example.com/h"
            }
            .to_string(),
        ),
    };
    let result = build_delivery_with_offsets(&input, &offsets);
    if offsets.is_empty() {
        assert_eq!(result, build_delivery(&input));
    }
    match result {
        Ok(d) => {
            assert_eq!(d.method, "POST");
            assert!(!d.body.is_empty());
            let tpl = input.template.as_deref();
            assert_eq!(d.content_type, content_type_for(tpl));
            assert_eq!(
                d.headers[0],
                ("Content-Type".to_string(), d.content_type.to_string())
            );
            assert_eq!(d.headers[1].0, signature::HEADER_NAME);
            match &input.secret {
                Some(s) => {
                    let v = Verifier::new(&[s.as_bytes()]).expect("secret");
                    assert!(
                        v.verify(d.body.as_bytes(), Some(&d.headers[1].1)),
                        "bad signature"
                    );
                }
                None => assert_eq!(d.headers[1].1, signature::NO_SECRET_PROVIDED),
            }
            assert_eq!(d.headers.len(), if input.version.is_some() { 3 } else { 2 });
            if d.content_type == CONTENT_TYPE_JSON {
                let v = json::parse(&d.body)
                    .unwrap_or_else(|e| panic!("JSON body does not parse: {e}\n{}", d.body));
                assert_eq!(json::stringify(&v), d.body, "JSON body is not normalised");
            }
            if tpl.is_none_or(str::is_empty) {
                let v = json::parse(&d.body).expect("default body is JSON");
                let keys: Vec<&str> = v.as_object().expect("object").keys().collect();
                assert_eq!(keys, ["triggerEvent", "createdAt", "payload"]);
                assert_eq!(
                    v.get("triggerEvent").and_then(Value::as_str),
                    Some(input.trigger_event.as_str())
                );
            }
        }
        Err(e) => {
            assert!(!e.code().as_str().is_empty() && !e.message().is_empty());
            if let DeliveryError::Template(t) = &e {
                if let Some(span) = &t.span {
                    check_span(&template, span, "delivery template error");
                }
            }
            if matches!(e, DeliveryError::MissingUrl) {
                assert!(flags & 16 != 0);
            }
        }
    }
});
