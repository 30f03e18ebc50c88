// Loads the wasm-bindgen glue and starts the app; wasm-bindgen runs the Rust `main`,
// which mounts the Leptos app to <body>. Kept out of index.html so the CSP needs no
// 'unsafe-inline'.
import init from '/clp_frontend.js';

init({ module_or_path: '/clp_frontend_bg.wasm' });
