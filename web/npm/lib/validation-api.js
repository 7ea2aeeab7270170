// The `flexkit` API over the raw wasm-bindgen exports of flexkit-wasm.
//
// Request validation takes a JS object or JSON text and answers with data:
// `{ ok, errors: [{ path, code, message }], warnings }`.
//
// The crossing into WebAssembly: the request object is walked along the schemas of the Rust
// core (read once from the module, `taggedSchemas()`) and its values are written as a compact
// tagged encoding straight into a reusable buffer in wasm memory (the format is documented in
// `crates/core/src/validation/tagged.rs`). One wasm call then checks the encoded request with
// the core's rules and answers with the number of problems; only when there are problems is a
// result object built in wasm. An object is read as JSON would read it (own enumerable keys,
// `toJSON`, undefined fields absent); a bigint, symbol or function is passed on as such and
// reported as a wrong type; text with a lone UTF-16 surrogate, which JSON text cannot carry
// as UTF-8, is reported at its path (`lone_surrogate`); an object that cannot be read (a
// cycle, a throwing getter or Proxy) is answered with the code `unreadable_input`, never an
// exception.
// JSON text is parsed with `JSON.parse` (after a size check) and then takes the same path.

import { MAX_INPUT_BYTES, flexkitError, jsonFault } from "./errors.js";

const KINDS = {
  Charge: "charge",
  Authorize: "authorize",
  Capture: "capture",
  Void: "void",
  Refund: "refund",
  RefundedPayment: "refundedPayment",
  CreatePaymentMethod: "createPaymentMethod",
  ListQuery: "listQuery",
  Gateway: "gateway",
  Company: "company",
  ApiKeyRequest: "apiKeyRequest",
  AutoRetryConfig: "autoRetryConfig",
  UpdatePaymentMethod: "updatePaymentMethod",
  RecachePaymentMethod: "recachePaymentMethod",
};

// A UTF-16 surrogate that is not half of a pair (with the `u` flag a pair is one character),
// for engines without `String.prototype.isWellFormed` (ES2024), which answers faster.
const LONE_SURROGATE = /\p{Cs}/u;
const WELL_FORMED = typeof "".isWellFormed === "function";

// The core's nesting cap (crates/core/src/validation/json.rs); its byte cap is MAX_INPUT_BYTES.
const MAX_DEPTH = 32;

function failure(code, message) {
  return { ok: false, errors: [{ path: "", code, message }], warnings: [] };
}

function describe(cause) {
  try {
    return cause instanceof Error ? cause.message : String(cause);
  } catch {
    return "unreadable value";
  }
}

/** Thrown inside the encoder to stop it; turned into a result. */
class Stop {
  constructor(result) {
    this.result = result;
  }
}

function notBuilt() {
  throw flexkitError(
    "validation_not_built",
    "request validation is not in this build of flexkit (cargo feature `validation` of flexkit-wasm)",
  );
}

export function createValidationApi(raw) {
  const utf8 = new TextEncoder();
  const hasOwn = Object.prototype.hasOwnProperty;
  const objectValueOf = Object.prototype.valueOf;
  let table;
  let kindIndex;
  let memory;
  let ptr = 0;
  let u8;
  let view;
  // The length of the last request encoded.
  let pos = 0;
  // True while a request is being read: a `toJSON` or getter of the request that calls
  // validation again is answered without touching the buffer the outer call is writing.
  let reading = false;
  // `seen[d]`: the object or array being walked at depth `d`, so a cycle (a value that is
  // its own ancestor) is found by looking at the ancestors only.
  const seen = [];

  // The buffer in wasm memory is allocated once, at the most an encoding can reach. From an
  // object: nothing is written past `limit` (MAX_INPUT_BYTES) but a string whose character
  // count still fits (at most three bytes a character) and the few bytes of one value or key.
  // From JSON text of at most MAX_INPUT_BYTES, which is all the limit there is for text: at
  // most 4.5 times the text (`1,` becomes 9 bytes), so `limit` is lifted for it. So the
  // writers pass their position along and never check for room; they check the size.
  const CAPACITY = 5 * MAX_INPUT_BYTES;
  let limit = MAX_INPUT_BYTES;

  function setup() {
    const parsed = JSON.parse(raw.taggedSchemas());
    table = parsed.schemas.map((s) => {
      const index = Object.create(null);
      s.fields.forEach((name, i) => {
        index[name] = i;
      });
      // `keys`/`at`: the keys of the last object walked along this schema, in order, and
      // their field indexes. Objects built by the same code have their keys in the same
      // order, so a key is usually found by one identity comparison instead of a lookup.
      return { index, kids: s.kids, keys: [], at: [] };
    });
    kindIndex = Object.create(null);
    Object.keys(parsed.documents).forEach((name, i) => {
      const d = parsed.documents[name];
      kindIndex[name] = { id: i, envelope: d.envelope, kid: { o: d.schema } };
    });
    memory = raw.taggedMemory();
    ptr = raw.taggedBuffer(CAPACITY);
    views();
  }

  /** Views of the buffer; growing wasm memory detaches the old ones, which then read as empty. */
  function views() {
    u8 = new Uint8Array(memory.buffer, ptr, CAPACITY);
    view = new DataView(memory.buffer, ptr, CAPACITY);
  }

  function tooLarge() {
    return new Stop(
      failure(
        "input_too_large",
        `The request is larger than ${MAX_INPUT_BYTES} bytes once encoded; a request body is a few kilobytes: check that the right object was sent.`,
      ),
    );
  }

  /** Writes `s` at `p` (u32 length, UTF-8 bytes); returns the position after it. The verdict
   * on size depends on the bytes written only: every character takes at least one byte. */
  function string(s, p) {
    const n = s.length;
    const start = p + 4;
    if (start + n > limit) throw tooLarge();
    let q = start;
    let i = 0;
    // ASCII four characters to a store; the first non-ASCII one hands the whole string to
    // the TextEncoder.
    for (; i + 4 <= n; i += 4) {
      const a = s.charCodeAt(i);
      const b = s.charCodeAt(i + 1);
      const c = s.charCodeAt(i + 2);
      const d = s.charCodeAt(i + 3);
      if ((a | b | c | d) >= 0x80) break;
      view.setUint32(q, a | (b << 8) | (c << 16) | (d << 24), true);
      q += 4;
    }
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) return wide(s, p);
      u8[q++] = c;
    }
    view.setUint32(p, q - start, true);
    return q;
  }

  /** `string` for text outside ASCII, kept apart so that `string` stays small enough for V8 to
   * inline. A lone surrogate has no UTF-8 form: the TextEncoder writes U+FFFD for it, and the
   * length's top bit tells wasm, which reports it (`lone_surrogate`). */
  function wide(s, p) {
    const start = p + 4;
    const n = utf8.encodeInto(s, u8.subarray(start, start + s.length * 3)).written;
    const lone = WELL_FORMED ? !s.isWellFormed() : LONE_SURROGATE.test(s);
    view.setUint32(p, n + (lone ? 0x80000000 : 0), true);
    return start + n;
  }

  /** Writes `v` at `p`; returns the position after it. `kid`: null, { o: schema id } or
   * { c: [[key, id]...], f: id }. */
  function value(v, kid, depth, p) {
    if (p > limit) throw tooLarge();
    switch (typeof v) {
      case "string":
        u8[p] = 4;
        return string(v, p + 1);
      case "number":
        if (v === v && v !== Infinity && v !== -Infinity) {
          u8[p] = 3;
          view.setFloat64(p + 1, v, true);
          return p + 9;
        }
        // NaN and ±Infinity (JSON.parse reads 1e400 so): JSON.stringify would send null,
        // but what was given is a number JSON cannot hold, and is reported as that.
        u8[p] = 8;
        u8[p + 1] = v === v ? 4 : 3;
        return p + 2;
      case "boolean":
        u8[p] = v ? 2 : 1;
        return p + 1;
      case "bigint":
      case "symbol":
      case "function":
        u8[p] = 8;
        u8[p + 1] = typeof v === "bigint" ? 0 : typeof v === "symbol" ? 1 : 2;
        return p + 2;
      case "object":
        if (v === null) break;
        if (typeof v.toJSON === "function") return value(v.toJSON(), kid, depth, p);
        if (v.valueOf !== objectValueOf && isBoxed(v)) return value(unbox(v), kid, depth, p);
        if (depth >= MAX_DEPTH) {
          throw new Stop(
            failure(
              "too_deeply_nested",
              `The input nests more than ${MAX_DEPTH} levels of arrays and objects; request bodies need only a few levels.`,
            ),
          );
        }
        for (let i = 0; i < depth; i++) {
          if (seen[i] === v) {
            throw new Stop(failure("unreadable_input", "the request cannot be read: it contains a circular reference"));
          }
        }
        seen[depth] = v;
        if (Array.isArray(v)) return array(v, depth + 1, p);
        if (kid === null) return object(v, null, depth + 1, p);
        return object(v, kid.o !== undefined ? kid.o : variant(v, kid), depth + 1, p);
      default:
        break;
    }
    u8[p] = 0;
    return p + 1;
  }

  // A boxed primitive (`new String("USD")`) is read as its primitive, as JSON.stringify reads
  // it. A plain object's `valueOf` is Object.prototype's, so the common path pays one
  // comparison before these.
  function isBoxed(v) {
    return v instanceof String || v instanceof Number || v instanceof Boolean || v instanceof BigInt;
  }

  function unbox(v) {
    if (v instanceof String) return String(v);
    if (v instanceof Number) return Number(v);
    return v instanceof Boolean ? Boolean.prototype.valueOf.call(v) : BigInt.prototype.valueOf.call(v);
  }

  /** The schema of a payment-method-like choice: the first variant whose key is present. */
  function variant(v, kid) {
    for (const [key, id] of kid.c) {
      const x = v[key];
      if (x !== undefined && x !== null) return id;
    }
    return kid.f;
  }

  function array(v, depth, p) {
    const n = v.length;
    u8[p] = 5;
    view.setUint32(p + 1, n, true);
    p += 5;
    for (let i = 0; i < n; i++) {
      const x = v[i];
      if (x === undefined || typeof x === "function" || typeof x === "symbol") {
        if (p > limit) throw tooLarge();
        u8[p++] = 0;
      } else p = value(x, null, depth, p);
    }
    return p;
  }

  function object(v, id, depth, p) {
    const schema = id === null ? null : table[id];
    if (schema === null) {
      u8[p++] = 6;
    } else {
      u8[p] = 7;
      view.setUint16(p + 1, id, true);
      p += 3;
    }
    const countAt = p;
    p += 4;
    let count = 0;
    let n = 0;
    for (const key in v) {
      if (!hasOwn.call(v, key)) continue;
      const x = v[key];
      if (x === undefined) continue;
      if (p > limit) throw tooLarge();
      count++;
      let index;
      if (schema !== null) {
        if (schema.keys[n] === key) {
          index = schema.at[n];
        } else {
          index = schema.index[key];
          schema.keys[n] = key;
          schema.at[n] = index;
        }
        n++;
        if (index !== undefined) {
          // The field index, then the value; a string's tag goes in the same store.
          if (typeof x === "string") {
            view.setUint32(p, index | 0x40000, true);
            p = string(x, p + 3);
          } else {
            view.setUint16(p, index, true);
            p = value(x, schema.kids[index], depth, p + 2);
          }
          continue;
        }
        view.setUint16(p, 0xffff, true);
        p += 2;
      }
      p = value(x, null, depth, string(key, p));
    }
    view.setUint32(countAt, count, true);
    return p;
  }

  /** Encodes `request` for `kind` into the buffer (its length in `pos`); returns null when
   * done, or a finished result. */
  function encode(kind, request) {
    if (reading) {
      return failure(
        "unreadable_input",
        "the request cannot be read: validation was called again from inside a request being read (a toJSON method or a getter)",
      );
    }
    reading = true;
    try {
      // A toJSON method or getter that makes wasm memory grow detaches the views while the
      // request is written: what went through them is lost (a DataView then throws), so the
      // request is read again into fresh views.
      for (let attempt = 0; ; attempt++) {
        try {
          pos = write(kind, request);
          if (u8.byteLength !== 0) return null;
        } catch (cause) {
          if (cause instanceof Stop || u8.byteLength !== 0) throw cause;
        }
        if (attempt === 1) {
          views();
          return failure("unreadable_input", "the request cannot be read: reading it makes WebAssembly memory grow every time");
        }
      }
    } catch (cause) {
      if (cause instanceof Stop) return cause.result;
      return failure("unreadable_input", `the request cannot be read: ${describe(cause)}`);
    } finally {
      reading = false;
      // The request (card number included) is not kept reachable after the call.
      for (let i = 0; i < seen.length; i++) seen[i] = undefined;
    }
  }

  function write(kind, request) {
    // Growing wasm memory detaches the old buffer, which empties every view of it.
    if (u8.byteLength === 0) views();
    let p;
    if (request !== null && typeof request === "object" && !Array.isArray(request) && typeof request.toJSON !== "function" && (request.valueOf === objectValueOf || !isBoxed(request))) {
      p = kind.envelope !== null ? envelope(request, kind) : value(request, kind.kid, 0, 0);
    } else if (request === undefined) {
      // No request at all (an argument left out, a hole in a batch): said as such, not as null.
      u8[0] = 8;
      u8[1] = 5;
      p = 2;
    } else {
      p = value(request, null, 0, 0);
    }
    if (p > limit) throw tooLarge();
    return p;
  }

  /** `{ envelope: inner, ...others }`, with `inner` walked along the document's schema. */
  function envelope(request, kind) {
    seen[0] = request;
    u8[0] = 6;
    let p = 5;
    let count = 0;
    for (const key in request) {
      if (!hasOwn.call(request, key)) continue;
      const x = request[key];
      if (x === undefined) continue;
      if (p > limit) throw tooLarge();
      p = value(x, key === kind.envelope ? kind.kid : null, 1, string(key, p));
      count++;
    }
    view.setUint32(1, count, true);
    return p;
  }

  function kindOf(kind) {
    if (table === undefined) {
      if (typeof raw.validateTagged !== "function") notBuilt();
      setup();
    }
    const k = typeof kind === "string" ? kindIndex[kind] : undefined;
    if (k === undefined) {
      throw flexkitError(
        "invalid_argument",
        `kind must be a RequestKind such as "charge", got ${typeof kind === "string" ? JSON.stringify(kind) : typeof kind}`,
      );
    }
    return k;
  }

  // The common options as `quickOptions` read them (no array per call).
  let quickNow = 0;
  let quickSandbox = false;

  /** Reads the common options into `quickNow` and `quickSandbox`; false: let wasm read them
   * (and refuse a key other than these two, naming the one it likely stands for). */
  function quickOptions(options) {
    if (options === undefined) {
      quickNow = Date.now();
      quickSandbox = false;
      return true;
    }
    try {
      if (options !== null && typeof options === "object" && options.now instanceof Date) {
        const environment = options.environment;
        if (environment === undefined || environment === "production" || environment === "sandbox") {
          for (const key in options) if (key !== "now" && key !== "environment") return false;
          quickNow = options.now.getTime();
          if (typeof quickNow !== "number") return false;
          quickSandbox = environment === "sandbox";
          return true;
        }
      }
    } catch {
      // A throwing getter or Proxy: wasm reports it as a coded error.
    }
    return false;
  }

  /** `item`: 0 for a request on its own, `n` for request `n - 1` of a batch, whose
   * merchantTransactionId wasm compares with the earlier requests' (`taggedBatch()`). */
  function check(k, request, options, item) {
    const early = encode(k, request);
    if (early !== null) return early;
    let count;
    if (quickOptions(options)) {
      count = raw.validateTagged(k.id, pos, quickNow, quickSandbox, item);
      // 2^32 - 1: the call failed (an invalid `now`); the error is kept for us to throw.
      if (count === 0xffffffff) throw raw.taggedError();
    } else {
      count = raw.validateTaggedWith(k.id, pos, options, item);
    }
    return count === 0 ? { ok: true, errors: [], warnings: [] } : problems();
  }

  /** The result of the last request that had problems: one text from wasm, cut by the sizes
   * that come with it (severity, then path, code and message lengths, per problem). */
  function problems() {
    const text = raw.taggedText();
    const sizes = raw.taggedSizes();
    const errors = [];
    const warnings = [];
    let at = 0;
    for (let i = 0; i + 3 < sizes.length; i += 4) {
      const path = text.slice(at, (at += sizes[i + 1]));
      const code = text.slice(at, (at += sizes[i + 2]));
      const message = text.slice(at, (at += sizes[i + 3]));
      (sizes[i] === 0 ? errors : warnings).push({ path, code, message });
    }
    return { ok: errors.length === 0, errors, warnings };
  }

  function parse(text) {
    if (typeof text !== "string") {
      throw flexkitError("invalid_argument", `text must be a string, got ${text === null ? "null" : typeof text}`);
    }
    // Bytes as UTF-8, counted only when the length in UTF-16 units leaves a doubt.
    if (text.length > MAX_INPUT_BYTES || (text.length * 3 > MAX_INPUT_BYTES && utf8.encode(text).length > MAX_INPUT_BYTES)) {
      return new Stop(
        failure(
          "input_too_large",
          `The input is more than ${MAX_INPUT_BYTES} bytes; a request body is a few kilobytes: check that the right text was sent.`,
        ),
      );
    }
    try {
      return { value: JSON.parse(text) };
    } catch {
      return new Stop(failure("malformed_json", `The text is not valid JSON: ${jsonFault(text)}.`));
    }
  }

  function validateJson(kind, text, options) {
    const k = kindOf(kind);
    const parsed = parse(text);
    if (parsed instanceof Stop) return parsed.result;
    limit = CAPACITY;
    try {
      return check(k, parsed.value, options, 0);
    } finally {
      limit = MAX_INPUT_BYTES;
    }
  }

  // The glue's own functions, looked up at each call: in browsers `raw` holds stand-ins that
  // throw `not_initialized` until `init()` (lib/init.js). Every one takes at most three arguments.
  const late = (name) => (a, b, c) => raw[name](a, b, c);
  // A currency's English name comes from the runtime's CLDR data, so the module carries no
  // table of names; a runtime without `Intl.DisplayNames` names a currency by its code.
  let names;
  const named = (info) => {
    if (info) {
      try {
        names ??= new Intl.DisplayNames("en", { type: "currency" });
        info.name = names.of(info.code);
      } catch {
        info.name = info.code;
      }
    }
    return info;
  };
  const api = {
    version: late("version"),
    checkCardNumber: late("checkCardNumber"),
    luhnValid: late("luhnValid"),
    detectBrand: late("detectBrand"),
    cardBrandInfo: late("cardBrandInfo"),
    checkCvv: late("checkCvv"),
    checkExpiry: late("checkExpiry"),
    parseAmount: late("parseAmount"),
    formatAmount: late("formatAmount"),
    currencyInfo: (code) => named(raw.currencyInfo(code)),
    currencies: () => raw.currencies().map(named),
    describeResponseCode: late("describeResponseCode"),
    responseCategory: late("responseCategory"),
    retryGuidance: late("retryGuidance"),
    /** Validates a request of `kind` given as JSON text. */
    validateJson,
    /** Validates a request of `kind` given as an object. */
    validate(kind, request, options) {
      return check(kindOf(kind), request, options, 0);
    },
    /** Validates many requests of one kind; one result per item. A merchantTransactionId
     * an earlier item sent is refused (FlexPay's 50129). */
    validateBatch(kind, requests, options) {
      const k = kindOf(kind);
      // Copied once: a Proxy's traps or an array's getters run here, not between items.
      let items;
      try {
        items = Array.isArray(requests) && Array.from(requests);
      } catch (cause) {
        throw flexkitError("invalid_argument", `requests cannot be read: ${describe(cause)}`);
      }
      if (!items) throw flexkitError("invalid_argument", "requests must be an array");
      requests = items;
      // An empty batch still has its options judged: a misspelt one throws as it would with items.
      if (requests.length === 0) check(k, {}, options, 0);
      // A batch started from inside a request being read is refused item by item (`encode`),
      // so it must not forget the ids of the batch reading it.
      if (!reading) raw.taggedBatch();
      const out = new Array(requests.length);
      for (let i = 0; i < requests.length; i++) out[i] = check(k, requests[i], options, i + 1);
      return out;
    },
  };
  for (const name of Object.keys(KINDS)) {
    const kind = KINDS[name];
    // The kind is looked up at the first call (which reads the schemas), then kept.
    let k;
    api[`validate${name}`] = (request, options) => check(k === undefined ? (k = kindOf(kind)) : k, request, options, 0);
    api[`validate${name}Json`] = (text, options) => validateJson(kind, text, options);
  }
  return api;
}
