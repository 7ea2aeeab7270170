// One idempotent `init()` per wasm module; nothing happens on import.

export function makeInit(initWasm, initWasmSync) {
  let ready;
  /**
   * Loads and instantiates the WebAssembly module. Idempotent: every call returns the same
   * promise, and a failed load may be retried.
   */
  function init(input) {
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
  function initSync(module) {
    if (!ready) {
      initWasmSync({ module });
      ready = Promise.resolve();
    }
  }
  return { init, initSync };
}
