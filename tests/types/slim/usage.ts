// `calhook/signature` types (ESM import), as a strict TypeScript user writes against them.
import ready, { CalhookError, Verifier, check, sign, verify, type CheckResult } from 'calhook/signature';

await ready();
const body: Uint8Array = new TextEncoder().encode('{}');
const header: string = sign(body, 'secret');
const ok: boolean = verify('{}', header, ['old', 'new']);
const result: CheckResult = check(new ArrayBuffer(2), null, 'secret');
const index: number | undefined = result.secretIndex;
const verifier = new Verifier('secret');
const fine: boolean = verifier.verify(new DataView(new ArrayBuffer(1)), undefined);
try {
  verify('{}', header, '');
} catch (e) {
  if (e instanceof CalhookError) console.log(e.code satisfies string);
}
// @ts-expect-error diagnose is only in the main entry
import('calhook/signature').then((m) => m.diagnose);
// @ts-expect-error a body must be raw, not parsed JSON
verify({ a: 1 }, header, 'secret');
console.log(ok, index, fine);
