//! Trend Micro XDR (Vision One) regions. An account gets one region, the first time XDR is
//! enabled in it, and keeps it for ever.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A Trend Micro XDR (Vision One) data-centre region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Region {
    /// United States (also the default for the Americas and unknown countries).
    Us,
    /// European Union (EU member states, the EEA and Switzerland).
    Eu,
    /// Japan.
    Jp,
    /// Singapore (Asia-Pacific).
    Sg,
    /// Australia (and New Zealand).
    Au,
    /// India.
    In,
    /// Middle East and Africa.
    Mea,
    /// United Kingdom.
    Uk,
    /// Canada.
    Ca,
}

/// The text given to [`Region::from_str`] names no region.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown region `{0}`; expected one of us, eu, jp, sg, au, in, mea, uk, ca")]
pub struct UnknownRegion(pub String);

/// EU member states, the rest of the EEA, and Switzerland.
const EU_COUNTRIES: &[&str] = &[
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "EL", "HU", "IE", "IT",
    "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", // EU
    "IS", "LI", "NO", // EEA
    "CH",
];

/// Asia-Pacific countries served from Singapore.
const APAC_COUNTRIES: &[&str] = &[
    "SG", "MY", "TH", "ID", "PH", "VN", "TW", "HK", "MO", "KR", "CN", "BN", "KH", "LA", "MM", "MN",
    "BD", "LK", "NP", "PK", "MV", "BT", "TL",
];

/// Middle East and Africa.
const MEA_COUNTRIES: &[&str] = &[
    "AE", "SA", "QA", "KW", "BH", "OM", "IL", "TR", "EG", "ZA", "NG", "KE", "JO", "LB", "IQ", "YE",
    "PS", "SY", "IR", "MA", "DZ", "TN", "LY", "GH", "ET", "TZ", "UG", "RW", "SN", "CI", "CM", "AO",
    "MZ", "ZM", "ZW", "BW", "NA", "MU", "SD", "AF",
];

/// Oceania served from Australia.
const OCEANIA_COUNTRIES: &[&str] = &["AU", "NZ", "FJ", "PG", "NC", "PF", "WS", "TO", "VU"];

impl Region {
    /// Every region, in a stable order (the order of a region picker).
    pub const ALL: [Region; 9] = [
        Region::Us,
        Region::Eu,
        Region::Jp,
        Region::Sg,
        Region::Au,
        Region::In,
        Region::Mea,
        Region::Uk,
        Region::Ca,
    ];

    /// The lower-case code: `us`, `eu`, `jp`, `sg`, `au`, `in`, `mea`, `uk`, `ca`.
    pub fn as_str(self) -> &'static str {
        match self {
            Region::Us => "us",
            Region::Eu => "eu",
            Region::Jp => "jp",
            Region::Sg => "sg",
            Region::Au => "au",
            Region::In => "in",
            Region::Mea => "mea",
            Region::Uk => "uk",
            Region::Ca => "ca",
        }
    }

    /// The region suggested for an end customer in a country (ISO 3166 alpha-2, any case).
    /// The Americas and unknown countries get [`Region::Us`].
    pub fn default_for_country(iso2: &str) -> Region {
        let code = iso2.trim().to_ascii_uppercase();
        let code = code.as_str();
        match code {
            "JP" => Region::Jp,
            "GB" | "UK" | "IM" | "JE" | "GG" => Region::Uk,
            "CA" => Region::Ca,
            "IN" => Region::In,
            _ if EU_COUNTRIES.contains(&code) => Region::Eu,
            _ if OCEANIA_COUNTRIES.contains(&code) => Region::Au,
            _ if APAC_COUNTRIES.contains(&code) => Region::Sg,
            _ if MEA_COUNTRIES.contains(&code) => Region::Mea,
            _ => Region::Us,
        }
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Region {
    type Err = UnknownRegion;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim();
        Region::ALL
            .into_iter()
            .find(|region| region.as_str().eq_ignore_ascii_case(wanted))
            .ok_or_else(|| UnknownRegion(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_codes_round_trip_through_from_str_ignoring_case() {
        for region in Region::ALL {
            assert_eq!(region.as_str().parse::<Region>(), Ok(region));
            assert_eq!(region.as_str().to_uppercase().parse::<Region>(), Ok(region));
            assert_eq!(region.to_string(), region.as_str());
        }
        assert!("mars".parse::<Region>().is_err());
    }

    #[test]
    fn regions_serialize_as_lower_case_codes() {
        assert_eq!(Region::ALL.len(), 9);
        for region in Region::ALL {
            assert_eq!(region.as_str(), region.as_str().to_lowercase());
        }
    }

    #[test]
    fn default_region_follows_the_order_country() {
        assert_eq!(Region::default_for_country("JP"), Region::Jp);
        assert_eq!(Region::default_for_country("jp"), Region::Jp);
        for eu in ["DE", "FR", "NL", "IE", "NO", "IS", "CH", "PL"] {
            assert_eq!(Region::default_for_country(eu), Region::Eu, "{eu}");
        }
        assert_eq!(Region::default_for_country("GB"), Region::Uk);
        assert_eq!(Region::default_for_country("CA"), Region::Ca);
        assert_eq!(Region::default_for_country("AU"), Region::Au);
        assert_eq!(Region::default_for_country("NZ"), Region::Au);
        assert_eq!(Region::default_for_country("IN"), Region::In);
        for apac in ["SG", "MY", "TH", "ID", "PH", "VN", "TW", "HK", "KR"] {
            assert_eq!(Region::default_for_country(apac), Region::Sg, "{apac}");
        }
        for mea in [
            "AE", "SA", "QA", "KW", "BH", "OM", "IL", "TR", "EG", "ZA", "NG", "KE",
        ] {
            assert_eq!(Region::default_for_country(mea), Region::Mea, "{mea}");
        }
        for us in ["US", "MX", "BR", "AR", "CL", "", "ZZ"] {
            assert_eq!(Region::default_for_country(us), Region::Us, "{us}");
        }
    }
}
