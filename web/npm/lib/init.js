// One idempotent `init()` per wasm module; nothing happens on import.
//
// The API layer reads the glue's exports through `raw`, a plain object that holds a stand-in
// for each of them until the module is instantiated: calling one, constructing one or reading
// a static method of one throws `not_initialized`, where the glue itself would fail on its
// missing instance with an uncoded TypeError. Once the module is ready, the glue's own exports
// replace the stand-ins, so calls after `init()` cost nothing more.

import { flexkitError } from "./errors.js";

/** `glue`: the wasm-bindgen `--target web` module's namespace; `entry`: the import name. */
export function makeInit(glue, entry) {
  // A `function`, not an arrow: only a constructor's Proxy has a `construct` trap.
  function refuse() {
    throw flexkitError(
      "not_initialized",
      `call \`await init()\` from "${entry}" once before using it: its WebAssembly module is not loaded yet`,
    );
  }
  const standIn = new Proxy(refuse, { get: refuse, construct: refuse });
  const raw = {};
  for (const name of Object.keys(glue)) raw[name] = standIn;
  const ready = () => {
    Object.assign(raw, glue);
  };

  let loading;
  /**
   * Loads and instantiates the WebAssembly module. Idempotent: every call returns the same
   * promise, and a failed load may be retried.
   */
  function init(input) {
    if (!loading) {
      const options = input === undefined ? undefined : { module_or_path: input };
      loading = glue.default(options).then(ready, (error) => {
        loading = undefined;
        throw error;
      });
    }
    return loading;
  }
  /** Instantiates the module synchronously from its bytes or a compiled `WebAssembly.Module`. */
  function initSync(module) {
    if (!loading) {
      const bytes =
        module instanceof WebAssembly.Module || module instanceof ArrayBuffer || ArrayBuffer.isView(module);
      if (!bytes) {
        const got = module === null ? "null" : module === undefined ? "nothing" : typeof module;
        throw flexkitError(
          "invalid_argument",
          `initSync(module) takes the module's bytes (an ArrayBuffer or a typed array) or a compiled WebAssembly.Module, got ${got}; in a browser, \`await init()\` fetches them itself`,
        );
      }
      glue.initSync({ module });
      ready();
      loading = Promise.resolve();
    }
  }
  return { init, initSync, raw };
}
