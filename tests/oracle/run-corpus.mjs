// Runs calcomDeliver over a corpus: argv[2] = input JSONL (one case per line:
// {triggerEvent, createdAt, payloadJson, template, secret, version}), argv[3] = output JSONL
// ({ok: true, body, contentType, headers} or {ok: false, error}).
import { readFileSync, writeFileSync } from "node:fs";
import { calcomDeliver } from "./calcom-sender.mjs";

// Handlebars reports denied prototype access on the console; keep the output clean.
console.error = () => {};
console.log = () => {};
console.warn = () => {};
console.info = () => {};
console.debug = () => {};

const lines = readFileSync(process.argv[2], "utf8").split("\n").filter((l) => l !== "");
const out = [];
for (const line of lines) {
  const c = JSON.parse(line);
  try {
    const d = calcomDeliver({ ...c, payload: JSON.parse(c.payloadJson) });
    out.push(JSON.stringify({ ok: true, body: d.body, contentType: d.contentType, headers: d.headers }));
  } catch (e) {
    out.push(JSON.stringify({ ok: false, error: String(e && e.message) }));
  }
}
writeFileSync(process.argv[3], out.join("\n") + "\n");
