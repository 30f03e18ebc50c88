//! Browser entry point of the Open CLP single-page app.
//!
//! Built for `wasm32-unknown-unknown` (`make frontend`); wasm-bindgen runs `main` when
//! `boot.js` instantiates the module. On the host only the message catalogs build (for tests).

#[cfg(target_arch = "wasm32")]
fn main() {
    leptos::mount::mount_to_body(clp_frontend::App);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
