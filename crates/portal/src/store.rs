//! The portal's state as a Leptos context: loaded from IndexedDB at start-up, saved after every
//! change, never overwritten while a damaged saved state waits for the user's decision.

use flexkit_core::UtcTimestamp;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::state::Portal;
use crate::storage::{self, STATE_KEY};

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
}

#[derive(Clone, Copy)]
pub struct Store {
    pub portal: RwSignal<Portal>,
    pub phase: RwSignal<Phase>,
    pub save_status: RwSignal<SaveStatus>,
    /// Whether the browser granted persistent storage (None: not answered yet).
    pub persistent: RwSignal<Option<bool>>,
    /// While a page shows a secret once (a new API key), whether it was copied (its
    /// `copy_status`): until it is, a link followed waits in `leaving` for a confirmation.
    pub shown_once: RwSignal<Option<RwSignal<Option<bool>>>>,
    pub leaving: RwSignal<Option<String>>,
    saving: StoredValue<bool>,
    dirty: StoredValue<bool>,
    /// Why this tab never saves: the saved state could not be read at start-up, so what is
    /// stored is unknown and a save could replace data this tab never saw.
    unread: StoredValue<Option<String>>,
}

impl Store {
    /// Creates the store, provides it as context and starts loading the saved state.
    pub fn provide() -> Store {
        let store = Store {
            portal: RwSignal::new(Portal::default()),
            phase: RwSignal::new(Phase::Loading),
            save_status: RwSignal::new(SaveStatus::Saved),
            persistent: RwSignal::new(None),
            shown_once: RwSignal::new(None),
            leaving: RwSignal::new(None),
            saving: StoredValue::new(false),
            dirty: StoredValue::new(false),
            unread: StoredValue::new(None),
        };
        provide_context(store);
        spawn_local(async move {
            match storage::load(STATE_KEY).await {
                Ok(None) => store.phase.set(Phase::Ready),
                Ok(Some(text)) => match Portal::from_document(&text) {
                    Ok(portal) => {
                        store.portal.set(portal);
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
            store
                .persistent
                .set(Some(storage::request_persistence().await));
        });
        store
    }

    /// The simulated clock now.
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
                store.save_status.set(match result {
                    Ok(()) => SaveStatus::Saved,
                    Err(error) => SaveStatus::Failed(error.describe()),
                });
                if !store.dirty.get_value() {
                    break;
                }
            }
            store.saving.set_value(false);
        });
    }

    /// Replaces the whole state with an imported one (read by `Portal::from_document`).
    pub fn replace(&self, portal: Portal) {
        self.portal.set(portal);
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
        self.portal.set(Portal::default());
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
