//! The language stored on accounts and pending activations.

use clp_domain::Lang;

/// The language of a stored code (`en`, `ja`); English for anything else, so a row written by
/// a newer version with a language this one does not speak still reads.
pub(crate) fn stored_lang(code: &str) -> Lang {
    Lang::from_tag(code).unwrap_or_default()
}
