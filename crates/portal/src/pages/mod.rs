pub mod card_check;
pub mod not_found;
