//! Masking of personal data shown to people who may not own it, and the loose matching of
//! emails and company names used by account hints.

/// Mail providers anyone can sign up to: sharing one says nothing about the company.
const PUBLIC_MAIL_DOMAINS: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "outlook.com",
    "live.com",
    "msn.com",
    "icloud.com",
    "me.com",
    "mac.com",
    "aol.com",
    "proton.me",
    "protonmail.com",
    "pm.me",
    "mail.com",
    "qq.com",
    "foxmail.com",
    "163.com",
    "126.com",
    "sina.com",
    "naver.com",
    "daum.net",
    "hanmail.net",
    "zoho.com",
    "tutanota.com",
    "mail.ru",
    "web.de",
    "rediffmail.com",
    "docomo.ne.jp",
    "ezweb.ne.jp",
    "au.com",
    "softbank.ne.jp",
    "i.softbank.jp",
    "ymail.com",
];

/// Families of public providers with one domain per country (`yahoo.co.jp`, `hotmail.fr`...).
const PUBLIC_MAIL_FAMILIES: &[&str] =
    &["yahoo.", "hotmail.", "gmx.", "yandex.", "outlook.", "live."];

/// Legal-form words that may also open a name (`Kabushiki Kaisha Acme`, `(株)アクメ`).
const LEADING_LEGAL_WORDS: &[&str] = &["kabushiki", "kaisha", "株", "有"];

/// Legal-form words dropped from the end of a company name.
const LEGAL_WORDS: &[&str] = &[
    "inc",
    "incorporated",
    "ltd",
    "limited",
    "llc",
    "llp",
    "lp",
    "co",
    "coltd",
    "corp",
    "corporation",
    "company",
    "gmbh",
    "kk",
    "kabushiki",
    "kaisha",
    "plc",
    "sa",
    "sas",
    "sarl",
    "srl",
    "spa",
    "ag",
    "bv",
    "nv",
    "pty",
    "pte",
    "ab",
    "oy",
    "株",
    "有",
];

/// Japanese legal forms, written as part of the name with or without spaces.
const JAPANESE_LEGAL_FORMS: &[&str] = &["株式会社", "有限会社", "合同会社", "㈱", "㈲"];

/// Masks an email address: `john@acme.example` becomes `j***@acme.example`.
/// Anything that is not an address becomes `***`.
pub fn mask_email(email: &str) -> String {
    match email.trim().rsplit_once('@') {
        Some((local, domain)) if !domain.is_empty() => match local.chars().next() {
            Some(first) => format!("{first}***@{domain}"),
            None => format!("***@{domain}"),
        },
        _ => "***".to_owned(),
    }
}

/// Masks a person's name, word by word: `John Smith` becomes `J*** S***`.
pub fn mask_name(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|word| word.chars().next())
        .map(|first| format!("{first}***"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The domain of an email address (`acme.example` of `john@acme.example`), as written.
pub fn email_domain(email: &str) -> Option<&str> {
    let (local, domain) = email.trim().rsplit_once('@')?;
    (!local.is_empty() && !domain.is_empty() && !domain.contains(char::is_whitespace))
        .then_some(domain)
}

/// Whether a domain belongs to a public mail provider (gmail.com, yahoo.co.jp, ...), whose
/// users have nothing in common.
pub fn is_public_mail_domain(domain: &str) -> bool {
    let domain = domain.trim().trim_end_matches('.').to_ascii_lowercase();
    PUBLIC_MAIL_DOMAINS.contains(&domain.as_str())
        || PUBLIC_MAIL_FAMILIES.iter().any(|f| domain.starts_with(f))
}

/// A company name reduced for comparison: lower case, punctuation and legal forms (Inc, Ltd,
/// GmbH, K.K., 株式会社, ...) removed, spaces collapsed. `Acme Co., Ltd.` becomes `acme`.
pub fn normalize_company(name: &str) -> String {
    let mut text = name.to_lowercase();
    for form in JAPANESE_LEGAL_FORMS {
        text = text.replace(form, " ");
    }
    // Dots and apostrophes join (K.K. -> kk, O'Neil -> oneil); other punctuation separates.
    let cleaned: String = text
        .chars()
        .filter(|c| !matches!(c, '.' | '\'' | '’'))
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let words: Vec<&str> = cleaned.split_whitespace().collect();
    let start = words.iter().position(|w| !LEADING_LEGAL_WORDS.contains(w));
    let end = words.iter().rposition(|w| !LEGAL_WORDS.contains(w));
    match (start, end) {
        (Some(start), Some(end)) if start <= end => words[start..=end].join(" "),
        // A name made only of legal words: keep them rather than match everything empty.
        _ => words.join(" "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_masked_to_first_letter_and_domain() {
        assert_eq!(mask_email("john@acme.example"), "j***@acme.example");
        assert_eq!(mask_email("j@acme.example"), "j***@acme.example");
        assert_eq!(mask_email("not an email"), "***");
        assert_eq!(mask_email("@acme.example"), "***@acme.example");
        assert!(!mask_email("john.smith@acme.example").contains("john"));
    }

    #[test]
    fn names_are_masked_word_by_word() {
        assert_eq!(mask_name("John Smith"), "J*** S***");
        assert_eq!(mask_name("  山田  太郎 "), "山*** 太***");
        assert_eq!(mask_name(""), "");
    }

    #[test]
    fn email_domain_is_the_part_after_the_last_at() {
        assert_eq!(email_domain("john@acme.example"), Some("acme.example"));
        assert_eq!(email_domain("JOHN@Acme.Example"), Some("Acme.Example"));
        assert_eq!(email_domain("acme.example"), None);
        assert_eq!(email_domain("john@"), None);
        assert_eq!(email_domain("@acme.example"), None);
    }

    #[test]
    fn public_mail_domains_are_recognised_in_any_case_and_country() {
        for d in [
            "gmail.com",
            "GMAIL.COM",
            "googlemail.com",
            "yahoo.com",
            "yahoo.co.jp",
            "yahoo.co.uk",
            "outlook.com",
            "hotmail.com",
            "hotmail.fr",
            "live.com",
            "msn.com",
            "icloud.com",
            "me.com",
            "aol.com",
            "proton.me",
            "protonmail.com",
            "gmx.de",
            "gmx.net",
            "mail.com",
            "yandex.ru",
            "qq.com",
            "163.com",
            "126.com",
            "naver.com",
            "docomo.ne.jp",
            "ezweb.ne.jp",
            "softbank.ne.jp",
        ] {
            assert!(is_public_mail_domain(d), "{d}");
        }
        for d in [
            "acme.example",
            "trendmicro.com",
            "acme.co.jp",
            "yahoo-partners.example",
        ] {
            assert!(!is_public_mail_domain(d), "{d}");
        }
    }

    #[test]
    fn company_names_normalize_without_punctuation_or_legal_forms() {
        assert_eq!(normalize_company("Acme, Inc."), "acme");
        assert_eq!(normalize_company("ACME   Corporation"), "acme");
        assert_eq!(normalize_company("Acme Co., Ltd."), "acme");
        assert_eq!(normalize_company("Acme LLC"), "acme");
        assert_eq!(normalize_company("Acme GmbH"), "acme");
        assert_eq!(normalize_company("Acme K.K."), "acme");
        assert_eq!(normalize_company("Acme Kabushiki Kaisha"), "acme");
        assert_eq!(normalize_company("株式会社アクメ"), "アクメ");
        assert_eq!(normalize_company("アクメ株式会社"), "アクメ");
        assert_eq!(normalize_company("(株)アクメ"), "アクメ");
        assert_eq!(normalize_company("Acme Pty Ltd"), "acme");
        assert_eq!(normalize_company("Acme AG"), "acme");
        assert_eq!(normalize_company("Acme B.V."), "acme");
        assert_eq!(normalize_company("Acme S.A."), "acme");
        assert_eq!(normalize_company("Acme plc"), "acme");
        assert_eq!(normalize_company("Smith & Sons Ltd"), "smith sons");
        assert_eq!(normalize_company("Co-Op Bank"), "co op bank");
        assert_eq!(normalize_company("Inc"), "inc");
    }

    proptest::proptest! {
        #[test]
        fn masked_emails_reveal_only_the_first_letter_and_the_domain(
            local in "[a-z0-9._]{2,20}",
            domain in "[a-z0-9]{1,10}\\.[a-z]{2,5}",
        ) {
            let masked = mask_email(&format!("{local}@{domain}"));
            let first = local.chars().next().unwrap_or_default();
            proptest::prop_assert_eq!(masked, format!("{first}***@{domain}"));
        }

        #[test]
        fn normalizing_a_company_name_twice_changes_nothing(name in "\\PC{0,40}") {
            let once = normalize_company(&name);
            proptest::prop_assert_eq!(normalize_company(&once), once.clone());
            proptest::prop_assert!(!once.contains("  "));
        }
    }
}
