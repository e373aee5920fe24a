// UTC offsets for the payload's time zones, as Cal.com's sender computes them before
// rendering (`dayjs(startTime).tz(timeZone).utcOffset()`), using the runtime's Intl time-zone
// database. Which people get a utcOffset is decided in Rust (src/delivery.rs); this only
// supplies the numbers, `null` for a zone Intl rejects (Cal.com throws a RangeError there),
// and whether every attendee is plain enough that Rust need not see the ones a template skips.

const formats = new Map();

function format(timeZone) {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formats.set(timeZone, f);
  }
  return f;
}

/** Minutes east of UTC of `timeZone` at `date`, or null for an invalid zone. */
export function utcOffset(timeZone, date) {
  let parts;
  try {
    parts = format(timeZone).formatToParts(date);
  } catch {
    return null;
  }
  const p = {};
  for (const { type, value } of parts) p[type] = value;
  const wall = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
  const utc = Math.floor(date.getTime() / 1000) * 1000;
  return Math.round((wall - utc) / 60000);
}

/**
 * One pass over the payload's people: `offsets` is `{ zone: minutes | null }` for the
 * organizer's and attendees' zones at the start time; `checked` is true when Cal.com's
 * preparation can neither throw nor leave a note on any attendee, so only the attendees the
 * template reads need cross into wasm (Attendees::Checked in src/delivery/prepare.rs): the
 * payload is a plain object whose `attendees` is absent or a plain array of plain objects,
 * each with a timeZone that is absent, null, '' or a zone with a finite offset. Anything else
 * crosses in full, and Rust checks every attendee.
 */
export function payloadZones(payload) {
  const offsets = {};
  if (!payload || typeof payload !== 'object') return { offsets, checked: false };
  // dayjs(undefined) is "now", as on the sender.
  const start = payload.startTime === undefined ? new Date() : new Date(payload.startTime);
  const valid = !Number.isNaN(start.getTime());
  const add = (zone) => {
    if (valid && typeof zone === 'string' && zone !== '' && !(zone in offsets)) offsets[zone] = cachedOffset(zone, start);
  };
  add(payload.organizer?.timeZone);
  const list = payload.attendees;
  let checked = plainObject(payload) && (list === undefined || plainArray(list));
  if (Array.isArray(list)) {
    // Indexed as JSON.stringify reads the list (not by its iterator). Attendees mostly share
    // a zone: the last one found to have an offset is recognized without a lookup.
    let known;
    for (let i = 0; i < list.length; i++) {
      const a = list[i];
      const zone = a?.timeZone;
      if (zone !== known) {
        add(zone);
        if (knownZone(offsets, zone)) known = zone;
      }
      checked &&= plainObject(a) && (zone === known || zone === undefined || zone === null || zone === '');
    }
  }
  return { offsets, checked };
}

function knownZone(offsets, zone) {
  return typeof zone === 'string' && Object.hasOwn(offsets, zone) && Number.isFinite(offsets[zone]);
}

// An object JSON.stringify writes as an object: an object literal's kind, no toJSON.
function plainObject(v) {
  if (v === null || typeof v !== 'object') return false;
  try {
    const proto = Object.getPrototypeOf(v);
    return (proto === Object.prototype || proto === null) && typeof v.toJSON !== 'function';
  } catch {
    return false;
  }
}

function plainArray(v) {
  try {
    return Array.isArray(v) && Object.getPrototypeOf(v) === Array.prototype && typeof v.toJSON !== 'function';
  } catch {
    return false;
  }
}

// Offsets by zone and instant: deliveries for one booking repeat the same few pairs, and
// Intl formatting costs more than the rest of a small delivery.
const offsets = new Map();

function cachedOffset(zone, date) {
  const key = `${zone}@${date.getTime()}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    offset = utcOffset(zone, date);
    if (offsets.size >= 512) offsets.delete(offsets.keys().next().value);
    offsets.set(key, offset);
  }
  return offset;
}
