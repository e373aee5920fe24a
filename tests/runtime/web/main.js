// Chromium: bundled by Vite from the package's `browser` entry; results land on window.
import * as calhook from 'calhook';
import suites from '../vectors-data.mjs';
import { runVectors } from '../vectors.mjs';

await calhook.ready();
await calhook.ready(); // memoised: a second call is harmless
window.__results = runVectors(calhook, suites);
document.getElementById('status').textContent = 'done';
