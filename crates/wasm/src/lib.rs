//! WebAssembly bindings of `flexkit-core`, shipped to npm as `flexkit`.
//!
//! Only conversion lives here: every decision is made by the core. Two rules hold for every
//! export: invalid *data* is answered with data (a result object), and *misuse* (a wrong
//! argument type) throws a real `Error` carrying a stable `code`. No panic may reach
//! JavaScript, so nothing here indexes, unwraps or converts without checking.

mod card;
mod codes;
mod js;
mod money;
mod request_types;
#[cfg(feature = "validation")]
mod validate;
mod validation_types;

pub use card::*;
pub use codes::*;
pub use money::*;
#[cfg(feature = "validation")]
pub use validate::*;

use wasm_bindgen::prelude::*;

#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: flexkit_wasm_alloc::Allocator = flexkit_wasm_alloc::Allocator::new();

/// The flexkit version, identical for the crate and the npm package.
#[wasm_bindgen]
pub fn version() -> String {
    flexkit_core::VERSION.to_owned()
}
