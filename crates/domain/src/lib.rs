//! Pure rules of Open CLP: registration keys and activation codes, the product catalog,
//! orders and accounts, which flow an order takes, the order preview, restrictions, existing
//! account hints and the activation plan. No IO, no clock, no randomness of its own: it builds
//! for `wasm32-unknown-unknown` so the browser and the server share one key parser.

pub mod account;
pub mod catalog;
pub mod conflict;
pub mod email;
pub mod flow;
pub mod hints;
pub mod keys;
pub mod lang;
pub mod mask;
pub mod order;
pub mod plan;
pub mod preview;
pub mod region;
pub mod restriction;

#[cfg(test)]
mod fixtures;

pub use email::{Email, InvalidEmail};
pub use keys::{ActivationCode, KeyError, RegistrationKey};
pub use lang::Lang;
