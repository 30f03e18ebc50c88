//! Browser entry point of the Open CLP single-page app.
//!
//! Built for `wasm32-unknown-unknown` (`make frontend`); wasm-bindgen runs `main` when
//! `boot.js` instantiates the module. On the host only the message catalogs build (for tests).

#[cfg(target_arch = "wasm32")]
fn main() {
    // index.html paints a static copy of the landing page (`#app-shell`) while the module loads;
    // the app replaces it in the same task, so no frame shows both or neither.
    if let Some(shell) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app-shell"))
    {
        shell.remove();
    }
    leptos::mount::mount_to_body(clp_frontend::App);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
