//! The Open CLP single-page app: the router, its pages and the message catalogs.
//!
//! Client-side rendered with Leptos; the server hands out `index.html` for every page path, so
//! a deep link such as `/activate/verify?token=...` reaches the right route.
//!
//! Only [`i18n`] and [`product_list`] build on the host (their tests run with `cargo test -p
//! clp-frontend --lib`); everything that needs a browser is compiled for `wasm32` only.

pub mod i18n;
pub mod product_list;

#[cfg(target_arch = "wasm32")]
pub mod api;
#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
pub mod components;
#[cfg(target_arch = "wasm32")]
pub mod pages;
#[cfg(target_arch = "wasm32")]
pub mod router;
#[cfg(target_arch = "wasm32")]
pub mod state;

#[cfg(target_arch = "wasm32")]
pub use app::App;
