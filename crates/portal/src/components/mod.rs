pub mod confirm;
pub mod fields;
pub mod format;
pub mod layout;
