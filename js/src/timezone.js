// UTC offsets for the payload's time zones, as Cal.com's sender computes them before
// rendering (`dayjs(startTime).tz(timeZone).utcOffset()`), using the runtime's Intl time-zone
// database. Which people get a utcOffset is decided in Rust (src/delivery.rs); this only
// supplies the numbers, `null` for a zone Intl rejects (Cal.com throws a RangeError there).

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

/** `{ zone: minutes | null }` for the organizer's and attendees' zones at the start time. */
export function payloadOffsets(payload) {
  const out = {};
  if (!payload || typeof payload !== 'object') return out;
  // dayjs(undefined) is "now", as on the sender.
  const start = payload.startTime === undefined ? new Date() : new Date(payload.startTime);
  if (Number.isNaN(start.getTime())) return out;
  const zones = [payload.organizer?.timeZone];
  if (Array.isArray(payload.attendees)) for (const a of payload.attendees) zones.push(a?.timeZone);
  for (const zone of zones) {
    if (typeof zone === 'string' && zone !== '' && !(zone in out)) out[zone] = cachedOffset(zone, start);
  }
  return out;
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
