// The vectors `calhook/signature` must pass: the signature suite without `diagnose`, which
// only the main entry has.
export function slimSuites(suites) {
  return suites
    .filter((s) => s.suite === 'signature')
    .map((s) => ({ ...s, cases: s.cases.filter((c) => c.fn !== 'diagnose') }));
}
