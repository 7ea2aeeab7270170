pub mod card_check;
pub mod dashboard;
pub mod data;
pub mod flexiti;
pub mod not_found;
pub mod schedule;
pub mod transactions;
