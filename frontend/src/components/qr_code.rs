//! A QR code drawn in the page as SVG (the `qrcode` crate computes the modules; nothing leaves
//! the browser, so the TOTP secret in the `otpauth://` URI is sent to no image service).

use leptos::prelude::*;
use qrcode::{Color, QrCode};

/// Modules of light margin around the code (the quiet zone the standard asks for).
const QUIET_ZONE: usize = 4;

/// The SVG path of the dark modules of `data`'s QR code, and the side of the square it is drawn
/// in (modules, quiet zone included); `None` when the data does not fit in a QR code.
pub fn qr_path(data: &str) -> Option<(String, usize)> {
    let code = QrCode::new(data.as_bytes()).ok()?;
    let width = code.width();
    let mut path = String::new();
    for (index, color) in code.to_colors().into_iter().enumerate() {
        if color == Color::Dark {
            let (x, y) = (index % width + QUIET_ZONE, index / width + QUIET_ZONE);
            path.push_str(&format!("M{x} {y}h1v1h-1z"));
        }
    }
    Some((path, width + 2 * QUIET_ZONE))
}

/// The QR code of `data`, as an image named `label`.
#[component]
pub fn QrCodeImage(
    /// What the code holds (e.g. an `otpauth://` URI).
    data: String,
    /// The image's accessible name.
    label: Signal<&'static str>,
) -> impl IntoView {
    qr_path(&data).map(|(path, side)| {
        view! {
            <svg
                class="qr-code"
                role="img"
                aria-label=label
                viewBox=format!("0 0 {side} {side}")
                shape-rendering="crispEdges"
                xmlns="http://www.w3.org/2000/svg"
            >
                <rect width=side.to_string() height=side.to_string() fill="#fff" />
                <path d=path fill="#000" />
            </svg>
        }
    })
}
