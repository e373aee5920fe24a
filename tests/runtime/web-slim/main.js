// Chromium: the slim entry bundled by esbuild with no configuration (the wasm is inlined and
// instantiated synchronously on import: no ready() needed, no asset to serve).
import * as calhook from 'calhook/signature';
import suites from '../vectors-data.mjs';
import { runVectors } from '../vectors.mjs';
import { slimSuites } from '../slim-vectors.mjs';

window.__results = runVectors(calhook, slimSuites(suites));
document.getElementById('status').textContent = 'done';
