//! The flexkit admin portal: a client-side Leptos app. Every decision it shows (card brand,
//! validity, and later validation, retry rules and sandbox outcomes) comes from
//! `flexkit-core`; this crate only renders and routes.

mod app;
mod components;
mod pages;

pub use app::App;
