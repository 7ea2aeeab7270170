pub mod company;
pub mod confirm;
pub mod fields;
pub mod format;
pub mod kpis;
pub mod layout;
pub mod period;
