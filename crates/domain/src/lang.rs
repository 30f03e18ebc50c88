//! [`Lang`]: a language the portal speaks, one type for the browser app, the server's messages
//! and emails, and the language stored on accounts.

use std::fmt;
use std::str::FromStr;

/// A language the portal speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub enum Lang {
    /// English, the default.
    #[default]
    En,
    /// Japanese.
    Ja,
}

/// A language tag that names no language the portal speaks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a supported language (use `en` or `ja`)")]
pub struct UnsupportedLang;

impl Lang {
    /// Every language, English first (the order of the language switch).
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Ja];

    /// The BCP 47 code (`en`, `ja`): the page's `lang`, `Accept-Language`, and the language
    /// stored on an account.
    pub const fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ja => "ja",
        }
    }

    /// The language's name in itself, as a language switch shows it.
    pub const fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Ja => "日本語",
        }
    }

    /// The language of a BCP 47 tag (`ja`, `ja-JP`, `en-US`, `JA_jp`, ...) by its primary
    /// subtag, if supported.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("ja") {
            Some(Lang::Ja)
        } else if primary.eq_ignore_ascii_case("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The first supported language of a preference list (the browser's); English otherwise.
    pub fn from_preferences<'a>(tags: impl IntoIterator<Item = &'a str>) -> Lang {
        tags.into_iter()
            .find_map(Lang::from_tag)
            .unwrap_or_default()
    }

    /// The preferred supported language of an `Accept-Language` value (RFC 9110 §12.5.4):
    /// the highest q-value wins, the earlier range on a tie; `q=0` excludes a language;
    /// nothing supported (or an empty header) means English.
    pub fn negotiate(accept_language: &str) -> Lang {
        let mut best: Option<(Lang, u16)> = None;
        for range in accept_language.split(',') {
            let mut parts = range.split(';');
            let Some(lang) = parts.next().and_then(Lang::from_tag) else {
                continue;
            };
            let mut quality = Some(1000);
            for param in parts {
                if let Some((name, value)) = param.split_once('=')
                    && name.trim().eq_ignore_ascii_case("q")
                {
                    quality = parse_quality(value.trim());
                }
            }
            let Some(quality) = quality.filter(|q| *q > 0) else {
                continue;
            };
            if best.is_none_or(|(_, q)| quality > q) {
                best = Some((lang, quality));
            }
        }
        best.map(|(lang, _)| lang).unwrap_or_default()
    }
}

/// A q-value in thousandths (`1`, `0.8`, `0.125`); `None` when malformed.
fn parse_quality(value: &str) -> Option<u16> {
    let (int, frac) = value.split_once('.').unwrap_or((value, ""));
    if frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let thousandths = format!("{frac:0<3}").parse::<u16>().ok()?;
    match int {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Exactly `en` or `ja` (the stored and the API form); tags with regions are for
/// [`Lang::from_tag`].
impl FromStr for Lang {
    type Err = UnsupportedLang;

    fn from_str(code: &str) -> Result<Self, Self::Err> {
        Lang::ALL
            .into_iter()
            .find(|lang| lang.code() == code)
            .ok_or(UnsupportedLang)
    }
}

impl serde::Serialize for Lang {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl<'de> serde::Deserialize<'de> for Lang {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let code = String::deserialize(deserializer)?;
        code.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_name_their_primary_language() {
        assert_eq!(Lang::from_tag("JA_jp"), Some(Lang::Ja));
        assert_eq!(Lang::from_tag("en-US"), Some(Lang::En));
        assert_eq!(Lang::from_tag("fr"), None);
        for lang in Lang::ALL {
            assert_eq!(Lang::from_tag(lang.code()), Some(lang));
            assert_eq!(lang.code().parse::<Lang>(), Ok(lang));
        }
        assert_eq!("ja-JP".parse::<Lang>(), Err(UnsupportedLang));
    }

    #[test]
    fn negotiation_follows_q_values() {
        assert_eq!(Lang::negotiate("ja-JP,ja;q=0.9,en;q=0.8"), Lang::Ja);
        assert_eq!(Lang::negotiate("en;q=0.5, ja;q=0.8"), Lang::Ja);
        assert_eq!(Lang::negotiate("ja;q=0, en"), Lang::En);
        assert_eq!(Lang::negotiate("fr, de"), Lang::En);
        assert_eq!(Lang::negotiate(""), Lang::En);
        assert_eq!(Lang::negotiate("en, ja"), Lang::En);
        assert_eq!(Lang::negotiate("ja;q=1.5"), Lang::En);
    }

    #[test]
    fn japanese_tags_negotiate_japanese() {
        for header in [
            "ja",
            "ja-JP",
            "JA-jp",
            "ja_JP",
            "ja-JP,ja;q=0.9,en-US;q=0.8,en;q=0.7",
        ] {
            assert_eq!(Lang::negotiate(header), Lang::Ja, "{header}");
        }
    }

    #[test]
    fn anything_else_negotiates_english() {
        for header in [
            "",
            "fr",
            "en",
            "en-US",
            "*",
            "jav",
            "de, fr;q=0.5",
            "garbage;;;",
        ] {
            assert_eq!(Lang::negotiate(header), Lang::En, "{header}");
        }
    }

    #[test]
    fn q_values_are_honoured() {
        assert_eq!(Lang::negotiate("ja;q=0.5, en;q=0.8"), Lang::En);
        assert_eq!(Lang::negotiate("fr, ja;q=0.3"), Lang::Ja);
        assert_eq!(Lang::negotiate("ja;q=0, en;q=0.1"), Lang::En);
        assert_eq!(Lang::negotiate("ja;q=0"), Lang::En);
        assert_eq!(Lang::negotiate("ja ; Q=1.000, en"), Lang::Ja);
        assert_eq!(
            Lang::negotiate("ja;q=2, en;q=0.1"),
            Lang::En,
            "a malformed q-value drops its range"
        );
    }

    #[test]
    fn q_values_parse_in_thousandths() {
        assert_eq!(parse_quality("1"), Some(1000));
        assert_eq!(parse_quality("1.0"), Some(1000));
        assert_eq!(parse_quality("0.8"), Some(800));
        assert_eq!(parse_quality("0.125"), Some(125));
        assert_eq!(parse_quality("0"), Some(0));
        assert_eq!(parse_quality("1.5"), None);
        assert_eq!(parse_quality("0.1234"), None);
        assert_eq!(parse_quality("x"), None);
    }
}
