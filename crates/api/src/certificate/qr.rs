//! The QR code of the activation address, as modules to draw as vector rectangles.

use qrcode::{Color, EcLevel, QrCode};

/// The modules of the QR code of `text` (error correction M): the width of a row and each
/// module, row by row, `true` for dark. `None` when `text` is too long for a QR code.
pub fn modules(text: &str) -> Option<(usize, Vec<bool>)> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    let modules = code
        .to_colors()
        .into_iter()
        .map(|c| c == Color::Dark)
        .collect();
    Some((code.width(), modules))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_makes_a_square_code() {
        let (width, modules) = modules("https://clp.example/FullRegistration?T=TM").unwrap();
        assert_eq!(modules.len(), width * width);
        assert!(width >= 21 && modules.iter().any(|m| *m));
    }
}
