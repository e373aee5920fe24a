// Chromium: bundled by Vite from the package's `browser` entry; results land on window.
import * as calhook from 'calhook';
import suites from '../vectors-data.mjs';
import { runVectors } from '../vectors.mjs';

await calhook.ready();
await calhook.ready(); // memoised: a second call is harmless

// The tools module (calhook_tools.wasm) is fetched only by readyTools(): before then a tool call
// is a NOT_READY CalhookError naming it, and nothing was downloaded. A console error fails the test.
const fetchedTools = () => performance.getEntriesByType('resource').some((e) => e.name.includes('calhook_tools'));
try {
  calhook.lintTemplate('{{x}}');
  console.error('lintTemplate before readyTools() did not throw');
} catch (e) {
  if (e.code !== 'NOT_READY' || !e.message.includes('await readyTools()')) console.error(`lintTemplate before readyTools(): ${e.code}: ${e.message}`);
}
if (fetchedTools()) console.error('calhook_tools.wasm was fetched before readyTools()');
await Promise.all([calhook.readyTools(), calhook.readyTools()]);
if (!fetchedTools()) console.error('readyTools() did not fetch calhook_tools.wasm');

window.__results = runVectors(calhook, suites);
document.getElementById('status').textContent = 'done';
