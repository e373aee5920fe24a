// The oracle for delivery emulation: what Cal.com's sender does, step by step, with the real
// `handlebars@4.7.10` and node:crypto. Mirrors `packages/features/webhooks/lib/sendPayload.ts`
// (sendPayload, sendGenericWebhookPayload, _sendPayload, createWebhookSignature), minus the
// Zapier branch and the network call. Written from the documented behaviour for tests only.
import { createHmac } from "node:crypto";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const Handlebars = require("handlebars");

/** Triggers delivered through sendGenericWebhookPayload (calhook's trigger table must agree: src/delivery/tests.rs). */
export const GENERIC_TRIGGERS = [
  "FORM_SUBMITTED",
  "FORM_SUBMITTED_NO_EVENT",
  "ROUTING_FORM_FALLBACK_HIT",
  "DELEGATION_CREDENTIAL_ERROR",
  "DELEGATION_CREDENTIAL_SECRET_ROTATION_FAILED",
  "DELEGATION_CREDENTIAL_ROTATION_REQUIRED",
  "DELEGATION_CREDENTIAL_SECRET_ROTATED",
  "WRONG_ASSIGNMENT_REPORT",
];

/** dayjs(date).tz(timeZone).utcOffset(), via Intl (throws RangeError on an unknown zone). */
export function getUTCOffsetByTimezone(timeZone, date) {
  if (!timeZone) return null;
  const d = date === undefined ? new Date() : new Date(date);
  const fmt = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
  const p = Object.fromEntries(fmt.formatToParts(d).map((x) => [x.type, x.value]));
  const wall = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
  const utc = Math.floor(d.getTime() / 1000) * 1000;
  return Math.round((wall - utc) / 60000);
}

export function jsonParse(jsonString) {
  try {
    return JSON.parse(jsonString);
  } catch {
    // don't do anything.
  }
  return false;
}

function render(template, data) {
  return Handlebars.compile(template)(data).replace(/&quot;/g, '"');
}

function applyTemplate(template, data, contentType) {
  const compiled = render(template, data);
  if (contentType === "application/json") {
    return JSON.stringify(jsonParse(compiled));
  }
  return compiled;
}

const isOOOEntryPayload = (data) => "oooEntry" in data;
const isNoShowPayload = (data) => "message" in data && "bookingUid" in data;
const isEventPayload = (data) => !isNoShowPayload(data) && !isOOOEntryPayload(data);

function addUTCOffset(data) {
  if (isEventPayload(data)) {
    if (data.organizer?.timeZone) {
      data.organizer.utcOffset = getUTCOffsetByTimezone(data.organizer.timeZone, data.startTime);
    }
    if (data.attendees?.length) {
      data.attendees.forEach((attendee) => {
        attendee.utcOffset = getUTCOffsetByTimezone(attendee.timeZone, data.startTime);
      });
    }
  }
  return data;
}

export const createWebhookSignature = ({ secret, body }) =>
  secret ? createHmac("sha256", secret).update(`${body}`).digest("hex") : "no-secret-provided";

function request(secretKey, subscriberUrl, version, body, contentType) {
  if (!subscriberUrl || !body) {
    throw new Error("Missing required elements to send webhook payload.");
  }
  const headers = [
    ["Content-Type", contentType],
    ["X-Cal-Signature-256", createWebhookSignature({ secret: secretKey, body })],
  ];
  if (version != null) headers.push(["X-Cal-Webhook-Version", version]);
  return { method: "POST", url: subscriberUrl, headers, body, contentType };
}

/**
 * What Cal.com sends for one webhook event: `{method, url, headers, body, contentType}`, or a
 * thrown error when it sends nothing. `payload` is mutated exactly as Cal.com mutates it.
 */
export function calcomDeliver({
  triggerEvent,
  createdAt,
  payload,
  template = null,
  secret = null,
  version = null,
  subscriberUrl = "https://example.com/hook",
}) {
  const contentType =
    !template || jsonParse(template) ? "application/json" : "application/x-www-form-urlencoded";

  if (GENERIC_TRIGGERS.includes(triggerEvent)) {
    // sendGenericWebhookPayload (rootData not modelled).
    const defaultPayload = { triggerEvent, createdAt, payload };
    const body = template
      ? applyTemplate(template, defaultPayload, contentType)
      : JSON.stringify(defaultPayload);
    return request(secret, subscriberUrl, version, body, contentType);
  }

  // sendPayload
  let data = payload;
  data = addUTCOffset(data);
  let body;
  if (isEventPayload(data)) {
    data.description = data.description || data.additionalNotes;
  }
  if (body === undefined) {
    if (template && (isOOOEntryPayload(data) || isEventPayload(data) || isNoShowPayload(data))) {
      body = applyTemplate(template, { ...data, triggerEvent, createdAt }, contentType);
    } else {
      body = JSON.stringify({ triggerEvent, createdAt, payload: data });
    }
  }
  return request(secret, subscriberUrl, version, body, contentType);
}

/**
 * The text Cal.com renders from `template` before its `JSON.parse`, with the same data as
 * calcomDeliver (`payload` is mutated the same way); `null` without a template.
 */
export function calcomRender({ triggerEvent, createdAt, payload, template = null }) {
  if (!template) return null;
  if (GENERIC_TRIGGERS.includes(triggerEvent)) return render(template, { triggerEvent, createdAt, payload });
  const data = addUTCOffset(payload);
  if (isEventPayload(data)) data.description = data.description || data.additionalNotes;
  return render(template, { ...data, triggerEvent, createdAt });
}
