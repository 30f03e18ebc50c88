//! [`Email`]: an email address, parsed once where it enters (a sign-up, an order's end
//! customer, a new address) and trusted afterwards.

use std::fmt;

/// A plausible email address (`local@domain.tld`), trimmed and lower-cased: accounts are found
/// by email whatever the case it is typed in.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Email(String);

/// Why a string is not an email address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not an email address")]
pub struct InvalidEmail;

/// The longest address (RFC 5321's path limit).
const MAX_LEN: usize = 254;
/// The longest local part (RFC 5321).
const MAX_LOCAL_LEN: usize = 64;

impl Email {
    /// Parses `input`: one `@` after a local part of at most 64 characters, a dotted domain of
    /// letters, digits and hyphens (no empty label), no spaces or control characters, at most
    /// 254 characters. Surrounding whitespace is ignored; the address is lower-cased.
    pub fn parse(input: &str) -> Result<Self, InvalidEmail> {
        let email = input.trim();
        if email.len() > MAX_LEN || email.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(InvalidEmail);
        }
        let (local, domain) = email.rsplit_once('@').ok_or(InvalidEmail)?;
        let valid = !local.is_empty()
            && local.len() <= MAX_LOCAL_LEN
            && !local.contains('@')
            && domain.contains('.')
            && domain.split('.').all(|label| !label.is_empty())
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        if valid {
            Ok(Self(email.to_lowercase()))
        } else {
            Err(InvalidEmail)
        }
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Its domain (`acme.example` of `jane@acme.example`).
    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(_, domain)| domain)
    }

    /// The address as a `String`.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for Email {
    type Err = InvalidEmail;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn addresses_are_trimmed_and_lower_cased() {
        let email = Email::parse(" Jane.Doe+x@Sub.ACME.co.jp \n").unwrap();
        assert_eq!(email.as_str(), "jane.doe+x@sub.acme.co.jp");
        assert_eq!(email.domain(), "sub.acme.co.jp");
        assert!(Email::parse("a@b.c").is_ok());
    }

    #[test]
    fn what_is_not_an_address_is_refused() {
        for bad in [
            "",
            "jane",
            "jane@",
            "@acme.example",
            "jane@acme",
            "ja ne@acme.example",
            "j@a..b",
            "j@.a.b",
            "j@a.b.",
            "a@b@c.d",
            "a@b_c.d",
        ] {
            assert_eq!(Email::parse(bad), Err(InvalidEmail), "{bad}");
        }
        let long_local = format!("{}@acme.example", "a".repeat(65));
        assert_eq!(Email::parse(&long_local), Err(InvalidEmail));
    }

    proptest! {
        #[test]
        fn a_parsed_address_parses_again_to_itself(input in "[ a-zA-Z0-9.+@_-]{0,40}") {
            if let Ok(email) = Email::parse(&input) {
                prop_assert_eq!(Email::parse(email.as_str()), Ok(email.clone()));
                prop_assert!(email.as_str().contains('@'));
            }
        }
    }
}
