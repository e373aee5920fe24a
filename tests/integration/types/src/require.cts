// CommonJS consumers (node16/nodenext `require` resolution): index.d.cts, no default export.
import calhook = require('calhook');

export const signature: string = calhook.sign('{}', process.env.SECRET);
export const readyPromise: Promise<void> = calhook.ready();
// @ts-expect-error the CommonJS build has no default export
export const missing = calhook.default;
