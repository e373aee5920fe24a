// Option objects, read fail-closed: every option is read once (a getter runs once), and a
// value of the wrong type or out of range is INVALID_ARGUMENT rather than silently ignored.
// (`maxAgeMs: Number(process.env.UNSET)` is NaN: ignoring it would disable the replay window.)
import { invalidArgument } from './error.js';
import { describe } from './body.js';

/** The options object itself: undefined/null give `{}`; anything but a plain object is an error. */
export function optionObject(opts, what = 'options') {
  if (opts === undefined || opts === null) return {};
  if (typeof opts !== 'object' || Array.isArray(opts)) throw invalidArgument(`${what} must be an object (got ${describe(opts)})`);
  return opts;
}

function shown(v) {
  if (typeof v === 'number') return String(v);
  return describe(v);
}

/** An integer option in [min, max], or undefined when absent. */
export function integerOption(o, key, min, max) {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw invalidArgument(`${key} must be an integer from ${min} to ${max} (got ${shown(v)})`);
  }
  return v;
}

/** Longest duration accepted: the whole range of a JS Date (±8.64e15 ms). */
export const MAX_DURATION_MS = 8.64e15;

/** A duration in ms (finite, >= 0), `null` (explicitly no limit), or undefined when absent. */
export function durationOption(o, key) {
  const v = o[key];
  if (v === undefined || v === null) return v;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > MAX_DURATION_MS) {
    throw invalidArgument(`${key} must be a number of milliseconds from 0 to ${MAX_DURATION_MS}, or null for no limit (got ${shown(v)})`);
  }
  return v;
}

/** A boolean option, or undefined when absent. */
export function booleanOption(o, key) {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw invalidArgument(`${key} must be true or false (got ${shown(v)})`);
  return v;
}

/** An instant in epoch ms: a finite number within the Date range, or a valid Date. */
export function instant(v, what) {
  const ms = v instanceof Date ? v.getTime() : v;
  if (typeof ms !== 'number' || !Number.isFinite(ms) || Math.abs(ms) > MAX_DURATION_MS) {
    throw invalidArgument(`${what} must be a valid Date or a finite number of ms since the epoch (got ${shown(v)})`);
  }
  return ms;
}
