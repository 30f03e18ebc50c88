//! Dates, times and numbers in the conventions of each language.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Timelike};

use super::Lang;

const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A calendar date: `Nov 28, 2026` in English, `2026年11月28日` in Japanese.
pub fn date(lang: Lang, date: NaiveDate) -> String {
    match lang {
        Lang::En => {
            let month = MONTHS_EN
                .get(date.month0() as usize)
                .copied()
                .unwrap_or_default();
            format!("{month} {}, {}", date.day(), date.year())
        }
        Lang::Ja => format!("{}年{}月{}日", date.year(), date.month(), date.day()),
    }
}

/// A license term, first and last day: `Apr 1, 2025 – Mar 31, 2026`.
pub fn term(lang: Lang, start: NaiveDate, end: NaiveDate) -> String {
    match lang {
        Lang::En => format!("{} – {}", date(lang, start), date(lang, end)),
        Lang::Ja => format!("{}～{}", date(lang, start), date(lang, end)),
    }
}

/// A moment in the given time zone offset, with the offset shown so it is never ambiguous:
/// `Nov 28, 2026, 14:05 (UTC+09:00)` / `2026年11月28日 14:05（UTC+09:00）`.
pub fn date_time(lang: Lang, at: DateTime<FixedOffset>) -> String {
    let day = date(lang, at.date_naive());
    let (hour, minute) = (at.hour(), at.minute());
    let offset = utc_offset(at.offset());
    match lang {
        Lang::En => format!("{day}, {hour:02}:{minute:02} ({offset})"),
        Lang::Ja => format!("{day} {hour:02}:{minute:02}（{offset}）"),
    }
}

fn utc_offset(offset: &FixedOffset) -> String {
    let seconds = offset.local_minus_utc();
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.unsigned_abs() / 60;
    format!("UTC{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

/// A whole number with thousands separators (`12,345` in both languages).
pub fn number(_lang: Lang, value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, c) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn nov_28() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
    }

    #[test]
    fn dates_follow_each_language() {
        assert_eq!(date(Lang::En, nov_28()), "Nov 28, 2026");
        assert_eq!(date(Lang::Ja, nov_28()), "2026年11月28日");
        let jan_1 = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
        assert_eq!(date(Lang::En, jan_1), "Jan 1, 2025");
        assert_eq!(date(Lang::Ja, jan_1), "2025年1月1日");
    }

    #[test]
    fn terms_join_two_dates() {
        let start = NaiveDate::from_ymd_opt(2025, 4, 1).unwrap();
        assert_eq!(
            term(Lang::En, start, nov_28()),
            "Apr 1, 2025 – Nov 28, 2026"
        );
        assert_eq!(
            term(Lang::Ja, start, nov_28()),
            "2025年4月1日～2026年11月28日"
        );
    }

    #[test]
    fn date_times_show_the_offset() {
        let tokyo = FixedOffset::east_opt(9 * 3600).unwrap();
        let at = tokyo.with_ymd_and_hms(2026, 11, 28, 14, 5, 0).unwrap();
        assert_eq!(date_time(Lang::En, at), "Nov 28, 2026, 14:05 (UTC+09:00)");
        assert_eq!(date_time(Lang::Ja, at), "2026年11月28日 14:05（UTC+09:00）");
        let newfoundland = FixedOffset::west_opt(3 * 3600 + 1800).unwrap();
        let at = newfoundland.with_ymd_and_hms(2026, 1, 2, 3, 4, 0).unwrap();
        assert_eq!(date_time(Lang::En, at), "Jan 2, 2026, 03:04 (UTC-03:30)");
    }

    #[test]
    fn numbers_group_thousands() {
        for lang in Lang::ALL {
            assert_eq!(number(lang, 0), "0");
            assert_eq!(number(lang, 999), "999");
            assert_eq!(number(lang, 1000), "1,000");
            assert_eq!(number(lang, 1_234_567), "1,234,567");
        }
    }
}
