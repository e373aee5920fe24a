/**
 * `import wasmUrl from 'calhook/calhook_bg.wasm'`: the URL of calhook's WebAssembly as a bundler's
 * file loader gives it (esbuild `--loader:.wasm=file`, `bun build`), to pass to `ready(wasmUrl)`.
 */
declare const wasmUrl: string;
export default wasmUrl;
