// Stored documents (snapshots, stored RetryChains) damaged in every way the battery tests try,
// and serde's own wording, which no message of the package may show: the readers name the
// value at fault by its path and say what it takes (README, "Errors").

/** Serde's and its JSON parser's words: positions, "expected …", backticks. */
export const SERDE_WORDS = /line \d+ column \d+|\bexpected\b|invalid type:|invalid value:|missing field|unknown field|unknown variant|EOF while parsing|`/;

/** Texts that are no document at all. */
const JUNK = ["", " ", "{", "[", "nope", "null", "5", '"x"', "[]", "{}", '{"a":', '{"schemaVersion": 1,}', '{"schemaVersion": 1}x', "{\"schemaVersion\": 1, \"x\": 1e999}"];

/** What a value is replaced with: every JSON type, and numbers no field takes. */
const OTHERS = [{ wrong: [true] }, [1, 2], "x", "", 5, 1.5, -1, 2 ** 64, true, null];

/**
 * `[label, text]` for `text` damaged: junk, cut short every `step` characters, and, at every
 * path of the document (object keys and array items, at any depth), the value dropped and
 * replaced by values of each other JSON type.
 */
export function* damaged(text, step = 53) {
  for (const junk of JUNK) yield [`junk ${JSON.stringify(junk)}`, junk];
  for (let cut = 1; cut < text.length; cut += step) yield [`cut at ${cut}`, text.slice(0, cut)];
  const document = JSON.parse(text);
  const paths = [];
  const walk = (value, path) => {
    if (path.length > 0) paths.push(path);
    if (value !== null && typeof value === "object") {
      for (const key of Object.keys(value)) walk(value[key], [...path, Array.isArray(value) ? Number(key) : key]);
    }
  };
  walk(document, []);
  for (const path of paths) {
    const label = path.join(".");
    const edit = (change) => {
      const copy = structuredClone(document);
      const parent = path.slice(0, -1).reduce((value, key) => value[key], copy);
      change(parent, path[path.length - 1]);
      return JSON.stringify(copy);
    };
    yield [`${label} dropped`, edit((parent, key) => (Array.isArray(parent) ? parent.splice(key, 1) : delete parent[key]))];
    for (const other of OTHERS) {
      yield [`${label} = ${JSON.stringify(other)}`, edit((parent, key) => { parent[key] = other; })];
    }
  }
}

/**
 * Loads every damaged form of `text` with `load`; each refusal must be a coded Error whose
 * message shows none of serde's words. Returns how many were refused.
 */
export function refusalsInPlainWords(assert, text, load) {
  let refused = 0;
  for (const [label, damagedText] of damaged(text)) {
    try {
      load(damagedText);
    } catch (error) {
      refused++;
      assert.ok(error instanceof Error && !(error instanceof WebAssembly.RuntimeError), `${label}: ${String(error)}`);
      assert.equal(typeof error.code, "string", `${label}: ${error.message}`);
      assert.ok(error.message.length > 0, label);
      assert.doesNotMatch(error.message, SERDE_WORDS, `${label}: ${error.message}`);
    }
  }
  return refused;
}
