// `calhook/signature` types through `require` (signature.d.cts).
import slim = require('calhook/signature');

const header: string = slim.sign('{}', 'secret');
const result: slim.CheckResult = slim.check('{}', header, ['a', 'b']);
const verifier: slim.Verifier = new slim.Verifier('secret');
console.log(result.ok, verifier.verify('{}', header), slim.CalhookError.name);
