//! One module per page of the app.

pub mod activate_verify;
pub mod not_found;
pub mod products;
pub mod sign_in;
pub mod verify_email;
pub mod wizard;

// Accounts (issue 15).
pub mod account;
pub mod forgot_password;
pub mod reset_password;
