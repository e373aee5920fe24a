// Whether the wasm instance exists. Node, Deno and workerd entries instantiate synchronously on
// import; the browser entry does it in `ready()`, and calls made before then fail with NOT_READY.
let ready = false;

export function markReady() {
  ready = true;
}

export function isReady() {
  return ready;
}
