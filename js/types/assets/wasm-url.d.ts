/**
 * `import wasmUrl from 'calhook/calhook_bg.wasm'` (or `'calhook/calhook_tools.wasm'`): the URL of
 * calhook's WebAssembly as a bundler's file loader gives it (esbuild `--loader:.wasm=file`,
 * `bun build`), to pass to `ready(wasmUrl)` (or `readyTools(toolsUrl)`).
 */
declare const wasmUrl: string;
export default wasmUrl;
