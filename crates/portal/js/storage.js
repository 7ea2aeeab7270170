// Browser storage for the portal: one IndexedDB record holding the saved state as text, one
// beside it holding its revision, and a BroadcastChannel telling the portal's other tabs.
// Kept in JavaScript because IndexedDB's event API is far shorter here than through web-sys.
// Every function returns a promise and rejects with an Error whose `name` tells the cause
// (`QuotaExceededError`, `UnavailableError`, ...).

const DB_NAME = "flexkit-portal";
const STORE = "state";

function open() {
  return new Promise((resolve, reject) => {
    if (typeof indexedDB === "undefined") {
      const error = new Error("IndexedDB is not available in this browser");
      error.name = "UnavailableError";
      reject(error);
      return;
    }
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(Object.assign(new Error("the database is blocked by another tab"), { name: "BlockedError" }));
  });
}

// Every save also writes a revision number beside the state, and tells the portal's other tabs
// on a BroadcastChannel, which then read the state again. `revision` is the one this tab read
// or last wrote (null: nothing read yet). A save that finds another one stored does not
// happen: another tab saved in between (at the same moment, or before its message arrived),
// and writing would lose what it saved.
let revision = null;
const revisionKey = (key) => `${key}:revision`;
const channel = typeof BroadcastChannel === "function" ? new BroadcastChannel(DB_NAME) : null;

/**
 * The saved text under `key`, or null. A non-string record is returned as-is for the caller
 * to report. The text and its revision are read in one transaction.
 */
export async function loadText(key) {
  const db = await open();
  try {
    const [value, stored] = await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, "readonly");
      const store = tx.objectStore(STORE);
      const text = store.get(key);
      const number = store.get(revisionKey(key));
      tx.oncomplete = () => resolve([text.result, number.result]);
      tx.onerror = () => reject(tx.error ?? text.error ?? number.error);
      tx.onabort = () => reject(tx.error ?? new Error("the storage transaction was aborted"));
    });
    revision = Number.isSafeInteger(stored) ? stored : 0;
    if (value === undefined) return null;
    return await storedText(value);
  } finally {
    db.close();
  }
}

/**
 * A stored value as text, for the reader and, if it cannot read it, for the export the
 * recovery screen offers: a string as it is; a Blob (or File) or binary data as the UTF-8
 * text it holds; anything else as JSON, or as the browser prints it where JSON cannot hold it.
 */
async function storedText(value) {
  if (typeof value === "string") return value;
  if (value instanceof Blob) return value.text();
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
    return new TextDecoder().decode(value);
  }
  try {
    const json = JSON.stringify(value);
    if (json !== undefined) return json;
  } catch {
    // A BigInt, say: printed below.
  }
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** Calls `callback()` each time another tab of the portal saved the state under `key`. */
export function onSavedElsewhere(key, callback) {
  if (channel) {
    channel.onmessage = (event) => {
      if (event.data?.key === key && event.data.revision !== revision) callback();
    };
  }
}

// Saves not yet committed. Leaving or reloading the page now would abort them, so the browser
// asks first ("Changes you made may not be saved").
let pendingSaves = 0;
addEventListener("beforeunload", (event) => {
  if (pendingSaves > 0) {
    event.preventDefault();
    event.returnValue = "";
  }
});

/**
 * Saves `text` under `key` unless another tab saved since this one read or wrote it: that
 * rejects with a `ConflictError` and writes nothing.
 */
export async function saveText(key, text) {
  pendingSaves++;
  try {
    const db = await open();
    try {
      const written = await new Promise((resolve, reject) => {
        const tx = db.transaction(STORE, "readwrite");
        const store = tx.objectStore(STORE);
        // Why this transaction was aborted here: a conflict, or a write refused at once (a
        // full quota can throw from put itself).
        let failure = null;
        let next = null;
        const check = store.get(revisionKey(key));
        check.onsuccess = () => {
          const stored = Number.isSafeInteger(check.result) ? check.result : 0;
          try {
            if (revision !== null && stored !== revision) {
              throw Object.assign(new Error("another tab of the portal saved changes at the same moment"), { name: "ConflictError" });
            }
            next = stored + 1;
            store.put(text, key);
            store.put(next, revisionKey(key));
          } catch (error) {
            failure = error;
            tx.abort();
          }
        };
        tx.oncomplete = () => resolve(next);
        tx.onerror = () => reject(failure ?? tx.error ?? check.error);
        tx.onabort = () => reject(failure ?? tx.error ?? new Error("the storage transaction was aborted"));
      });
      revision = written;
      channel?.postMessage({ key, revision: written });
    } finally {
      db.close();
    }
  } finally {
    pendingSaves--;
  }
}

/** Asks the browser not to evict the portal's data under storage pressure. */
export async function requestPersistence() {
  try {
    if (navigator.storage && navigator.storage.persist) {
      return await navigator.storage.persist();
    }
  } catch {
    // Not granted: data stays best-effort, which the portal says on its settings page.
  }
  return false;
}

/** Offers `text` as a file download. */
export function downloadText(filename, mime, text) {
  const url = URL.createObjectURL(new Blob([text], { type: mime }));
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.rel = "noopener";
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

let currencyNames;
/** A currency's English name from the browser's CLDR data ("Japanese Yen"), so the module
 * carries no table of names; the code itself where the browser has none. */
export function currencyName(code) {
  try {
    currencyNames ??= new Intl.DisplayNames("en", { type: "currency" });
    return currencyNames.of(code);
  } catch {
    return code;
  }
}

/** Milliseconds since the Unix epoch: the portal's only clock reading, passed into the core as `now`. */
export function nowMillis() {
  return Date.now();
}

/**
 * Copies `text` to the clipboard; resolves to true when it worked. Uses the asynchronous
 * Clipboard API and falls back to a hidden, read-only text area with `execCommand("copy")`
 * where that API is missing or refused (plain http, older browsers).
 */
export async function copyText(text) {
  try {
    if (navigator.clipboard && navigator.clipboard.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Refused (no permission or no focus): try the fallback below.
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.className = "clipboard-scratch";
  document.body.appendChild(area);
  area.select();
  let copied = false;
  try {
    copied = document.execCommand("copy");
  } catch {
    copied = false;
  }
  area.remove();
  return copied;
}

/** Resolves after a zero-delay timeout: lets the browser render and handle input between two pieces of work. */
export function yieldToBrowser() {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Resolves once the browser has drawn the page as it is (at most 100 ms: a hidden tab draws nothing). */
export function afterPaint() {
  return new Promise((resolve) => {
    requestAnimationFrame(() => setTimeout(resolve, 0));
    setTimeout(resolve, 100);
  });
}

// One certification run at a time in all the portal's tabs: a run holds a Web Lock while it
// goes, which the browser also releases when its tab closes. Where there are no Web Locks a
// tab knows of its own run only.
const RUN_LOCK = "flexkit-certification-run";
const locks = () => globalThis.navigator?.locks;
let endRun = null;

/** Takes the run's lock unless another tab holds it: resolves true when taken. */
export function holdRun() {
  if (!locks()) return Promise.resolve(true);
  return new Promise((resolve) => {
    locks()
      .request(RUN_LOCK, { ifAvailable: true }, (lock) => {
        resolve(lock !== null);
        return lock && new Promise((release) => (endRun = release));
      })
      .catch(() => resolve(true));
  });
}

/** Releases the run's lock this tab holds. */
export function releaseRun() {
  endRun?.();
  endRun = null;
}

/** Whether a tab holds the run's lock. */
export async function runHeld() {
  try {
    const { held = [] } = (await locks()?.query()) ?? {};
    return held.some((lock) => lock.name === RUN_LOCK);
  } catch {
    return false;
  }
}

/** Resolves when no tab holds the run's lock. */
export async function runEnded() {
  try {
    await locks()?.request(RUN_LOCK, { mode: "shared" }, () => {});
  } catch {
    // No lock to wait for.
  }
}
