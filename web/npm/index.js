// Browser and bundler entry (Vite, webpack, esbuild, <script type="module">).
// Nothing runs on import: call `await init()` once before using any other export.
import initWasm, { initSync as initWasmSync } from "./web/flexkit_wasm.js";

export * from "./web/flexkit_wasm.js";

let ready;

/**
 * Loads and instantiates the WebAssembly module. Idempotent: every call returns the same
 * promise, and a failed load may be retried.
 */
export function init(input) {
  if (!ready) {
    const options = input === undefined ? undefined : { module_or_path: input };
    ready = initWasm(options).then(
      () => undefined,
      (error) => {
        ready = undefined;
        throw error;
      },
    );
  }
  return ready;
}

/** Instantiates the module synchronously from its bytes or a compiled `WebAssembly.Module`. */
export function initSync(module) {
  if (!ready) {
    initWasmSync({ module });
    ready = Promise.resolve();
  }
}
