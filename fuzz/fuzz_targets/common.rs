//! Checks shared by the key targets (included with `#[path]`, not a target of its own).

/// Asserts that `shown` is a canonical key: groups of `groups` sizes joined by single hyphens,
/// a two-letter upper-case prefix, and every later character accepted by `body`.
pub fn assert_canonical(shown: &str, groups: &[usize], body: fn(u8) -> bool) {
    let parts: Vec<&str> = shown.split('-').collect();
    let sizes: Vec<usize> = parts.iter().map(|p| p.len()).collect();
    assert_eq!(sizes, groups, "groups of {shown:?}");
    let bare: Vec<u8> = shown.bytes().filter(|&c| c != b'-').collect();
    assert!(
        bare[..2].iter().all(u8::is_ascii_uppercase),
        "prefix of {shown:?}"
    );
    assert!(bare[2..].iter().all(|&c| body(c)), "body of {shown:?}");
}

/// What the parser must keep of a typed key: everything but surrounding whitespace, inner
/// whitespace, hyphens and underscores, upper-cased.
pub fn normalized(input: &str) -> String {
    input
        .chars()
        .filter(|&c| c != '-' && c != '_' && !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// The canonical form with its hyphens removed.
pub fn without_hyphens(shown: &str) -> String {
    shown.chars().filter(|&c| c != '-').collect()
}
