// Type-checks the package's declarations as a TypeScript user would write code against them
// (`tsc --noEmit`, strict). Lines marked @ts-expect-error must stay errors.
import ready, {
  CalhookError,
  Verifier,
  check,
  diagnose,
  sign,
  verify,
  type CheckResult,
  type Cause,
} from 'calhook';

await ready();

const body: Uint8Array = new TextEncoder().encode('{}');
const header: string = sign(body, 'secret');
const ok: boolean = verify('{}', header, ['old', 'new']);
const result: CheckResult = check(new ArrayBuffer(2), null, 'secret');
if (!result.ok && result.code === 'MISMATCH') {
  const causes: Cause[] = diagnose(body, header, 'secret');
  causes.map((c) => c.code satisfies string);
}
const index: number | undefined = result.secretIndex;
const verifier = new Verifier('secret');
verifier.verify(new DataView(new ArrayBuffer(1)), undefined);

try {
  verify('{}', header, '');
} catch (e) {
  if (e instanceof CalhookError) {
    const code: string = e.code;
    void code;
  }
}

// @ts-expect-error: a number is not a body
sign(42, 'secret');
// @ts-expect-error: check codes are a closed set
const bad: CheckResult['code'] = 'NOPE';

void ok;
void index;
void bad;
