//! The flexkit admin portal: a client-side Leptos app. Every decision it shows (card brand,
//! validity, validation, retry rules and sandbox outcomes) comes from `flexkit-core`; this
//! crate renders, routes and persists.

mod app;
mod components;
mod pages;
mod state;
mod storage;
mod store;

pub use app::App;
