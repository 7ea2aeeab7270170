// Browser storage for the portal: one IndexedDB record holding the saved state as text.
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

async function run(mode, body) {
  const db = await open();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const store = tx.objectStore(STORE);
      let result;
      const request = body(store);
      request.onsuccess = () => {
        result = request.result;
      };
      tx.oncomplete = () => resolve(result);
      tx.onerror = () => reject(tx.error ?? request.error);
      tx.onabort = () => reject(tx.error ?? new Error("the storage transaction was aborted"));
    });
  } finally {
    db.close();
  }
}

/** The saved text under `key`, or null. A non-string record is returned as-is for the caller to report. */
export async function loadText(key) {
  const value = await run("readonly", (store) => store.get(key));
  if (value === undefined) return null;
  return typeof value === "string" ? value : JSON.stringify(value);
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

export async function saveText(key, text) {
  pendingSaves++;
  try {
    return await run("readwrite", (store) => store.put(text, key));
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
