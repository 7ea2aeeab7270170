//! The portal's state as a Leptos context: loaded from IndexedDB at start-up, saved after every
//! change, read again when another tab saves it, never overwritten while a damaged saved state
//! waits for the user's decision.

use flexkit_core::UtcTimestamp;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::state::Portal;
use crate::storage::{self, StorageError, STATE_KEY};

/// A secret a page shows once: whether it was copied (its `copy_status`) and what it is.
pub type ShownOnce = (RwSignal<Option<bool>>, &'static str);

/// Where start-up stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Phase {
    Loading,
    Ready,
    /// The saved state could not be read. Nothing is saved until the user exports the raw
    /// text or resets.
    Corrupt {
        raw: String,
        error: String,
    },
}

/// Whether the latest change reached the browser's storage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SaveStatus {
    Saved,
    Saving,
    /// Kept in memory only; the message says why and what to do.
    Failed(String),
    /// The latest change was not saved because another tab saved first; this tab now shows
    /// what is saved, so there is nothing to export.
    Superseded(String),
}

#[derive(Clone, Copy)]
pub struct Store {
    pub portal: RwSignal<Portal>,
    pub phase: RwSignal<Phase>,
    pub save_status: RwSignal<SaveStatus>,
    /// Whether the browser granted persistent storage (None: not answered yet).
    pub persistent: RwSignal<Option<bool>>,
    /// While a page shows a secret once (a new API key, a new user's invitation), whether it
    /// was copied (its `copy_status`) and what it is (`the new API key`): until it is copied, a
    /// link followed waits in `leaving` for a confirmation,
    /// with the link, which takes the focus back if the answer is Cancel (a local signal, as
    /// an element stays in the browser's thread).
    pub shown_once: RwSignal<Option<ShownOnce>>,
    pub leaving: RwSignal<Option<(String, web_sys::Element)>, LocalStorage>,
    /// The saved state could not be read and the user started afresh: said above the page
    /// until they move to another.
    pub started_fresh: RwSignal<bool>,
    saving: StoredValue<bool>,
    dirty: StoredValue<bool>,
    /// Why this tab never saves: the saved state could not be read at start-up, so what is
    /// stored is unknown and a save could replace data this tab never saw.
    unread: StoredValue<Option<String>>,
    /// Another tab saved while this one was still reading the state at start-up.
    stale: StoredValue<bool>,
    /// Counts the browser clock's seconds while the page is open: what shows the time reads
    /// it through [`Store::clock`], so it moves on its own.
    second: RwSignal<u32>,
    /// Counts the recovery windows that closed while the page is open: the figures read it
    /// through [`Store::standing_now`].
    windows: RwSignal<u32>,
}

impl Store {
    /// Creates the store, provides it as context and starts loading the saved state.
    pub fn provide() -> Store {
        let store = Store {
            portal: RwSignal::new(kept(Portal::default())),
            phase: RwSignal::new(Phase::Loading),
            save_status: RwSignal::new(SaveStatus::Saved),
            persistent: RwSignal::new(None),
            shown_once: RwSignal::new(None),
            leaving: RwSignal::new_local(None),
            started_fresh: RwSignal::new(false),
            saving: StoredValue::new(false),
            dirty: StoredValue::new(false),
            unread: StoredValue::new(None),
            stale: StoredValue::new(false),
            second: RwSignal::new(0),
            windows: RwSignal::new(0),
        };
        provide_context(store);
        set_interval(
            move || store.second.update(|s| *s = s.wrapping_add(1)),
            std::time::Duration::from_secs(1),
        );
        // Once the clock is past a payment's recovery window it counts as not recovered
        // (`Sandbox::standing`): when the first window still open closes, what reads
        // `standing_now` is worked out again. A second that closes none costs a comparison.
        let window_end = Memo::new(move |_| {
            store.windows.track();
            store
                .portal
                .with(|p| p.sandbox.next_window_end(p.now(storage::wall_clock())))
        });
        Effect::new(move |_| {
            if window_end.get().is_some_and(|end| store.clock() > end) {
                store.windows.update(|w| *w = w.wrapping_add(1));
            }
        });
        // FlexPay Retries sends a scheduled retry at its date while the page is open, dated at
        // that date (`run_due_retries`), as the Retry schedule says it will. The tab with the
        // focus sends, so two tabs never send one retry twice; a tab that cannot save sends
        // nothing.
        let next_retry =
            Memo::new(move |_| store.portal.with(|p| p.sandbox.next_scheduled_retry()));
        Effect::new(move |_| {
            let due = next_retry.get().is_some_and(|due| store.clock() >= due);
            if due
                && store.phase.with_untracked(|p| *p == Phase::Ready)
                && store.unread.with_value(Option::is_none)
                && storage::has_focus()
            {
                store.act(|p, now| p.sandbox.run_due_retries(now));
            }
        });
        storage::on_saved_elsewhere(STATE_KEY, move || {
            if store.phase.get_untracked() == Phase::Loading {
                store.stale.set_value(true);
            } else {
                spawn_local(store.follow());
            }
        });
        spawn_local(async move {
            match storage::load(STATE_KEY).await {
                Ok(None) => store.phase.set(Phase::Ready),
                Ok(Some(text)) => match Portal::from_document(&text) {
                    Ok(portal) => {
                        store.portal.set(kept(portal));
                        store.phase.set(Phase::Ready);
                    }
                    Err(error) => store.phase.set(Phase::Corrupt { raw: text, error }),
                },
                Err(error) => {
                    let why = error.unread();
                    store.save_status.set(SaveStatus::Failed(why.clone()));
                    store.unread.set_value(Some(why));
                    store.phase.set(Phase::Ready);
                }
            }
            if store.stale.get_value() {
                store.follow().await;
            }
            store
                .persistent
                .set(Some(storage::request_persistence().await));
        });
        store
    }

    /// Reads the state another tab saved and shows it here, so that this tab's next change
    /// builds on it rather than overwriting it. Only a tab showing its data follows: one on
    /// the recovery screen keeps the raw text it offers for export, and one that could not
    /// read the state at start-up keeps what it holds in memory. The read does not save.
    async fn follow(self) {
        if self.phase.get_untracked() != Phase::Ready || self.unread.get_value().is_some() {
            return;
        }
        // This tab holds a change its storage refused (a full quota, say): showing the other
        // tab's state would drop it, and saving it would drop the other's. It keeps its own,
        // to be exported, and saves nothing more.
        if matches!(self.save_status.get_untracked(), SaveStatus::Failed(_)) {
            let why = "Another tab saved while this tab's changes could not be saved. This tab keeps them and saves nothing more, so neither tab's changes are lost: export the state to a file to keep them, then reload the page to continue with what the other tab saved.".to_owned();
            self.save_status.set(SaveStatus::Failed(why.clone()));
            self.unread.set_value(Some(why));
            return;
        }
        // When nothing could be read, the revision this tab holds is unchanged, so its next save
        // is refused as a conflict instead of overwriting the other tab's.
        let Ok(Some(text)) = storage::load(STATE_KEY).await else {
            return;
        };
        match Portal::from_document(&text) {
            Ok(portal) => self.portal.set(kept(portal)),
            // Saved by a newer version of the portal, say: this tab no longer saves over it.
            Err(error) => {
                let why = format!(
                    "Another tab saved data this tab cannot read ({error}), so this tab saves nothing and what is stored stays as it was. Reload the page to continue with the saved data."
                );
                self.save_status.set(SaveStatus::Failed(why.clone()));
                self.unread.set_value(Some(why));
            }
        }
    }

    /// The simulated clock, read again every second by what shows it (the header clock, what
    /// is due on the Retry schedule, the Dashboard and the virtual terminal), so a retry
    /// that becomes due while the page is open is shown due. Read it in a `Memo` where a
    /// second that changes nothing shown must not redraw anything.
    pub fn clock(&self) -> UtcTimestamp {
        self.tick();
        self.portal.with(|p| p.now(storage::wall_clock()))
    }

    /// Makes the reactive code reading it run again at the browser clock's next second.
    pub fn tick(&self) {
        self.second.track();
    }

    /// The simulated clock for figures in which a payment in recovery counts as not recovered
    /// once its recovery window has closed (the Dashboard, the Transactions list and chain,
    /// the Reports): they are worked out again when a window closes, and not every second.
    pub fn standing_now(&self) -> UtcTimestamp {
        self.windows.track();
        self.portal.with(|p| p.now(storage::wall_clock()))
    }

    /// The simulated clock now, for an action (not tracked: see [`Store::clock`]).
    pub fn now(&self) -> UtcTimestamp {
        let wall = storage::wall_clock();
        self.portal.with_untracked(|p| p.now(wall))
    }

    /// Changes the state and saves it. `change` gets the simulated `now`. `None` only if the
    /// app is being torn down.
    pub fn act<R>(&self, change: impl FnOnce(&mut Portal, UtcTimestamp) -> R) -> Option<R> {
        let wall = storage::wall_clock();
        let now = self.portal.with_untracked(|p| p.now(wall));
        let out = self.portal.try_update(|p| {
            let out = change(p, now);
            p.keep_clock_running(wall);
            out
        });
        self.save();
        out
    }

    /// Saves the current state; overlapping requests coalesce into one more save.
    pub fn save(&self) {
        if matches!(self.phase.get_untracked(), Phase::Corrupt { .. }) {
            return;
        }
        if let Some(why) = self.unread.get_value() {
            self.save_status.set(SaveStatus::Failed(why));
            return;
        }
        if self.saving.get_value() {
            self.dirty.set_value(true);
            return;
        }
        self.saving.set_value(true);
        let store = *self;
        spawn_local(async move {
            loop {
                store.dirty.set_value(false);
                store.save_status.set(SaveStatus::Saving);
                let text = store.portal.with_untracked(Portal::to_document);
                let result = storage::save(STATE_KEY, &text).await;
                let conflict = matches!(result, Err(StorageError::Conflict(_)));
                store.save_status.set(match result {
                    Ok(()) => SaveStatus::Saved,
                    Err(error) if conflict => SaveStatus::Superseded(error.describe()),
                    Err(error) => SaveStatus::Failed(error.describe()),
                });
                // Another tab saved first: what it saved is shown here, and this tab's changes
                // since, built on what that tab replaced, are not saved over it.
                if conflict {
                    store.dirty.set_value(false);
                    store.follow().await;
                    // The page is drawn afresh, so nothing on it (a change's success
                    // message, a key shown once) stands for the change that was not saved.
                    // (`Ready` set again rebuilds the sections.)
                    store.phase.set(Phase::Ready);
                }
                if !store.dirty.get_value() {
                    break;
                }
            }
            store.saving.set_value(false);
        });
    }

    /// Replaces the whole state with an imported one (read by `Portal::from_document`).
    pub fn replace(&self, portal: Portal) {
        self.portal.set(kept(portal));
        self.set_ready();
        self.save();
    }

    /// Offers the whole state as a file.
    pub fn export(&self) {
        let text = self.portal.with_untracked(Portal::to_document);
        let date = self.now().date();
        storage::download(
            &format!("flexkit-portal-{date}.json"),
            "application/json",
            &text,
        );
    }

    /// Starts over with a fresh sandbox (after a damaged state was exported or dismissed).
    pub fn reset(&self) {
        self.portal.set(kept(Portal::default()));
        self.set_ready();
        self.save();
    }

    /// Leaves the loading or recovery screen. Setting `Ready` again when already ready would
    /// rebuild the whole page (and lose what it shows, such as the message of an import).
    fn set_ready(&self) {
        if self.phase.get_untracked() != Phase::Ready {
            self.phase.set(Phase::Ready);
        }
    }
}

pub fn use_store() -> Store {
    expect_context::<Store>()
}

/// A state as the store holds it: the secrets its FlexPay sandbox hands out (API keys,
/// suggested temporary passwords) masked by the browser's cryptographic randomness, which is
/// never saved, so neither the saved state nor an export gives them back.
fn kept(mut portal: Portal) -> Portal {
    if let Some(entropy) = storage::entropy() {
        portal.sandbox.use_entropy(entropy);
    }
    portal
}
