//! Browser entry point of the Open CLP single-page app.
//!
//! Built only for `wasm32-unknown-unknown` (`make frontend`); wasm-bindgen runs `main` when
//! `boot.js` instantiates the module.

fn main() {
    leptos::mount::mount_to_body(clp_frontend::App);
}
