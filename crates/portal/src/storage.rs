//! Browser storage (IndexedDB through `js/storage.js`), file download, clipboard (with the
//! copy buttons' click handler and status line), the clock and currency names.
//! Failures come back as [`StorageError`] values the pages show; nothing here panics.

use flexkit_core::UtcTimestamp;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = crypto, js_name = getRandomValues, catch)]
    fn get_random_values(bytes: &mut [u8]) -> Result<JsValue, JsValue>;
}

/// 32 bytes of the browser's cryptographic randomness (`crypto.getRandomValues`), for the
/// secrets the sandbox hands out (`Sandbox::use_entropy`); `None` where it cannot be had.
pub fn entropy() -> Option<[u8; 32]> {
    let mut bytes = [0u8; 32];
    get_random_values(&mut bytes).ok()?;
    Some(bytes)
}

#[wasm_bindgen(module = "/js/storage.js")]
extern "C" {
    #[wasm_bindgen(js_name = loadText)]
    fn load_text(key: &str) -> js_sys::Promise;
    #[wasm_bindgen(js_name = saveText)]
    fn save_text(key: &str, text: &str) -> js_sys::Promise;
    #[wasm_bindgen(js_name = onSavedElsewhere)]
    fn on_saved_elsewhere_js(key: &str, callback: &Closure<dyn FnMut()>);
    #[wasm_bindgen(js_name = requestPersistence)]
    fn request_persistence_js() -> js_sys::Promise;
    #[wasm_bindgen(js_name = downloadText)]
    fn download_text(filename: &str, mime: &str, text: &str);
    #[wasm_bindgen(js_name = nowMillis)]
    fn now_millis() -> f64;
    /// A currency's English name, from the browser (`Intl.DisplayNames`).
    #[wasm_bindgen(js_name = currencyName)]
    pub fn currency_name(code: &str) -> String;
    #[wasm_bindgen(js_name = copyText)]
    fn copy_text_js(text: &str) -> js_sys::Promise;
    #[wasm_bindgen(js_name = yieldToBrowser)]
    fn yield_to_browser_js() -> js_sys::Promise;
    #[wasm_bindgen(js_name = afterPaint)]
    fn after_paint_js() -> js_sys::Promise;
    #[wasm_bindgen(js_name = holdRun)]
    fn hold_run_js() -> js_sys::Promise;
    #[wasm_bindgen(js_name = releaseRun)]
    fn release_run_js();
    #[wasm_bindgen(js_name = runHeld)]
    fn run_held_js() -> js_sys::Promise;
    #[wasm_bindgen(js_name = runEnded)]
    fn run_ended_js() -> js_sys::Promise;
}

/// Why the browser could not store or read the portal's state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StorageError {
    /// The browser's storage quota is exhausted; the state stays in memory.
    Quota(String),
    /// IndexedDB is missing or blocked (private mode, disabled storage, another tab).
    Unavailable(String),
    /// Another tab saved at the same moment: this tab's save did not happen.
    Conflict(String),
    Other(String),
}

impl StorageError {
    fn from_js(value: JsValue) -> StorageError {
        let name = js_sys::Reflect::get(&value, &"name".into())
            .ok()
            .and_then(|n| n.as_string())
            .unwrap_or_default();
        let message = js_sys::Reflect::get(&value, &"message".into())
            .ok()
            .and_then(|m| m.as_string())
            .or_else(|| value.as_string())
            .unwrap_or_else(|| "unknown storage error".to_owned());
        match name.as_str() {
            "QuotaExceededError" => StorageError::Quota(message),
            "ConflictError" => StorageError::Conflict(message),
            "UnavailableError" | "BlockedError" | "SecurityError" | "InvalidStateError" => {
                StorageError::Unavailable(message)
            }
            _ => StorageError::Other(message),
        }
    }

    /// The same, when the saved state could not be read at start-up: this tab then never
    /// saves, so what is stored stays as it was.
    pub fn unread(&self) -> String {
        let (StorageError::Quota(m)
        | StorageError::Unavailable(m)
        | StorageError::Conflict(m)
        | StorageError::Other(m)) = self;
        format!(
            "The saved state could not be read ({m}), so this tab saves nothing and what is stored stays as it was. Reload the page to try again; export the state to a file to keep what you do here."
        )
    }

    /// A sentence for people, saying what happened to their data.
    pub fn describe(&self) -> String {
        match self {
            StorageError::Quota(m) => format!(
                "The browser's storage is full ({m}). Your changes are kept in this tab only: export the state to a file to keep them."
            ),
            StorageError::Unavailable(m) => format!(
                "Browser storage is unavailable ({m}). Your changes are kept in this tab only: export the state to a file to keep them."
            ),
            StorageError::Conflict(m) => format!(
                "Your last change was not saved: {m}. This tab now shows what that tab saved; make the change again if it is still needed."
            ),
            StorageError::Other(m) => format!(
                "Saving failed ({m}). Your changes are kept in this tab only: export the state to a file to keep them."
            ),
        }
    }
}

/// The key of the portal's state record.
pub const STATE_KEY: &str = "portal-state";

pub async fn load(key: &str) -> Result<Option<String>, StorageError> {
    let value = JsFuture::from(load_text(key))
        .await
        .map_err(StorageError::from_js)?;
    Ok(value.as_string())
}

pub async fn save(key: &str, text: &str) -> Result<(), StorageError> {
    JsFuture::from(save_text(key, text))
        .await
        .map(|_| ())
        .map_err(StorageError::from_js)
}

/// Calls `callback` each time another tab of the portal saves the state under `key` (for as
/// long as the page lives).
pub fn on_saved_elsewhere(key: &str, callback: impl FnMut() + 'static) {
    let callback = Closure::<dyn FnMut()>::new(callback);
    on_saved_elsewhere_js(key, &callback);
    callback.forget();
}

/// What a promise of a yes or no answered: `None` if it was refused or answered otherwise.
async fn answer(promise: js_sys::Promise) -> Option<bool> {
    JsFuture::from(promise).await.ok().and_then(|v| v.as_bool())
}

/// Asks the browser to keep the data under storage pressure; true when granted.
pub async fn request_persistence() -> bool {
    answer(request_persistence_js()).await == Some(true)
}

pub fn download(filename: &str, mime: &str, text: &str) {
    download_text(filename, mime, text);
}

/// A click handler that copies `text` to the clipboard and records in `copied` whether the
/// browser did, for [`copy_status`].
pub fn copy_on_click(
    text: String,
    copied: RwSignal<Option<bool>>,
) -> impl Fn(leptos::ev::MouseEvent) + Clone + 'static {
    move |_| {
        let text = text.clone();
        leptos::task::spawn_local(async move {
            copied.set(Some(copy_text(&text).await));
        });
    }
}

/// The line that says whether a copy to the clipboard worked; `what` names what was copied.
pub fn copy_status(copied: RwSignal<Option<bool>>, what: &'static str) -> impl IntoView {
    view! {
        <p class="copy-status" role="status">
            {move || match copied.get() {
                None => String::new(),
                Some(true) => "Copied to the clipboard.".to_owned(),
                Some(false) => format!("The browser refused to copy: select {what} and copy it by hand."),
            }}
        </p>
    }
}

/// Copies text to the clipboard; true when the browser confirmed it.
pub async fn copy_text(text: &str) -> bool {
    answer(copy_text_js(text)).await == Some(true)
}

/// Gives the browser a turn (a zero-delay timeout) so it can render progress and handle input
/// between two pieces of long work.
pub async fn yield_to_browser() {
    let _ = JsFuture::from(yield_to_browser_js()).await;
}

/// Waits until the browser has drawn what the page shows now (a message before long work).
pub async fn after_paint() {
    let _ = JsFuture::from(after_paint_js()).await;
}

/// A certification run's hold on the browser's lock that lets one run go at a time in all
/// the portal's tabs; released when dropped (the browser releases it too when the tab closes).
pub struct RunLock(());

impl Drop for RunLock {
    fn drop(&mut self) {
        release_run_js();
    }
}

/// Takes the certification run's lock; `None` while another tab's run holds it.
pub async fn hold_run() -> Option<RunLock> {
    (answer(hold_run_js()).await != Some(false)).then_some(RunLock(()))
}

/// Whether a certification run holds the lock (another tab's, when this one runs none).
pub async fn run_held() -> bool {
    answer(run_held_js()).await == Some(true)
}

/// Waits until no tab's certification run holds the lock.
pub async fn run_ended() {
    let _ = JsFuture::from(run_ended_js()).await;
}

/// Whether this tab has the focus: of the portal's tabs, the one that sends what falls due.
pub fn has_focus() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.has_focus().ok())
        .unwrap_or(false)
}

/// The browser's wall clock. The portal reads it here, once per action, and hands it to the
/// core as `now` (plus the simulated-clock offset).
pub fn wall_clock() -> UtcTimestamp {
    let millis = now_millis();
    let millis = if millis.is_finite() { millis as i64 } else { 0 };
    UtcTimestamp::from_unix_millis(millis).unwrap_or(UtcTimestamp::UNIX_EPOCH)
}
