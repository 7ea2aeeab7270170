//! The flexkit admin portal, rendered in the browser.

fn main() {
    leptos::mount::mount_to_body(flexkit_portal::App);
}
