//! One module per page of the app.

pub mod activate_verify;
pub mod full_registration;
pub mod landing;
pub mod not_found;
pub mod products;
