// vitest (Node environment): the package as a test suite imports it.
import { describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { check, sign, verify, CalhookError } from 'calhook';

const body = '{"triggerEvent":"PING","createdAt":"2026-01-01T00:00:00.000Z","payload":{}}';
const expected = createHmac('sha256', 'vitest-secret').update(body).digest('hex');

describe('calhook under vitest', () => {
  it('signs and verifies the known vector', () => {
    expect(sign(body, 'vitest-secret')).toBe(expected);
    expect(verify(body, expected, 'vitest-secret')).toBe(true);
    expect(check(body, expected.replace(/^./, expected[0] === '0' ? '1' : '0'), 'vitest-secret').code).toBe('MISMATCH');
    expect(check(undefined, expected, 'vitest-secret').code).toBe('MISSING_BODY');
  });
  it('throws CalhookError for a missing secret', () => {
    expect(() => verify(body, expected, process.env.CALHOOK_UNSET_SECRET)).toThrow(CalhookError);
  });
});
