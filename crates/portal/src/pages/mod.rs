pub mod card_check;
pub mod certification;
pub mod dashboard;
pub mod data;
pub mod integrations;
pub mod not_found;
pub mod schedule;
pub mod transactions;
