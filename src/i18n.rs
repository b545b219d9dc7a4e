//! Translations: every word a supporter reads comes from `locales/{lang}/main.ftl`, every
//! word staff read from `locales/{lang}/admin.ftl`, dates from `dates.ftl`, and country
//! names from the Unicode CLDR.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{Loader, static_loader};
use icu_collator::Collator;
use icu_experimental::displaynames::DisplayNamesOptions;
use icu_experimental::displaynames::multi::RegionDisplayNames;
use icu_locale_core::Locale;
use icu_locale_core::subtags::Region;
use unic_langid::LanguageIdentifier;

use crate::domain::{Country, CountryNames, Lang};

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // Unicode isolation marks around arguments confuse email clients and copy-paste;
        // our arguments are names and titles shown in their own context.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// Looks up the words of one language; templates call it as `tr.t("key")`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tr(pub Lang);

impl Tr {
    pub fn lang(&self) -> Lang {
        self.0
    }

    pub fn t(&self, key: &str) -> String {
        LOCALES.lookup(&langid(self.0), key)
    }

    /// A message with one string argument, such as a campaign title.
    pub fn t1(&self, key: &str, name: &'static str, value: &str) -> String {
        let args = HashMap::from([(Cow::Borrowed(name), FluentValue::from(value.to_owned()))]);
        LOCALES.lookup_with_args(&langid(self.0), key, &args)
    }

    /// A message with two string arguments, such as a count and a goal.
    pub fn t2(
        &self,
        key: &str,
        first: (&'static str, &str),
        second: (&'static str, &str),
    ) -> String {
        let args = HashMap::from([
            (
                Cow::Borrowed(first.0),
                FluentValue::from(first.1.to_owned()),
            ),
            (
                Cow::Borrowed(second.0),
                FluentValue::from(second.1.to_owned()),
            ),
        ]);
        LOCALES.lookup_with_args(&langid(self.0), key, &args)
    }

    /// A message with three string arguments, such as a batch's three counts.
    pub fn t3(
        &self,
        key: &str,
        first: (&'static str, &str),
        second: (&'static str, &str),
        third: (&'static str, &str),
    ) -> String {
        self.t_with(key, &[first, second, third])
    }

    /// A message with any number of string arguments, such as a letter's sentence.
    pub fn t_with(&self, key: &str, args: &[(&'static str, &str)]) -> String {
        let args = args
            .iter()
            .map(|(name, value)| (Cow::Borrowed(*name), FluentValue::from((*value).to_owned())))
            .collect::<HashMap<_, _>>();
        LOCALES.lookup_with_args(&langid(self.0), key, &args)
    }

    /// The message about a problem with one form field. It is given the field's name, so
    /// that messages shared by fields can still name theirs ("your first name", "your last
    /// name") and a list of problems never shows the same words twice.
    pub fn field_error(&self, key: &str, field: &'static str) -> String {
        self.t1(key, "field", field)
    }

    /// A message that varies with a number, such as "1 signature" and "2 signatures".
    pub fn plural(&self, key: &str, count: i64) -> String {
        let args = HashMap::from([(Cow::Borrowed("count"), FluentValue::from(count))]);
        LOCALES.lookup_with_args(&langid(self.0), key, &args)
    }

    /// A message about `count` things: `$count` chooses the plural form, `$number` is
    /// the count as this language writes it ("12.480 personas").
    pub fn count(&self, key: &str, count: i64) -> String {
        let args = HashMap::from([
            (Cow::Borrowed("count"), FluentValue::from(count)),
            (
                Cow::Borrowed("number"),
                FluentValue::from(self.number(count)),
            ),
        ]);
        LOCALES.lookup_with_args(&langid(self.0), key, &args)
    }

    /// A whole number grouped in thousands the way this language writes it (CLDR):
    /// 43,000 in English and Mexican Spanish, 43 000 in French, 43.000 in Portuguese.
    pub fn number(&self, value: i64) -> String {
        let separator = match self.0 {
            Lang::En | Lang::Es => ",",
            Lang::Fr => "\u{202f}",
            Lang::Pt => ".",
        };
        let digits = value.unsigned_abs().to_string();
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3 * 3 + 1);
        if value < 0 {
            grouped.push('-');
        }
        for (i, digit) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push_str(separator);
            }
            grouped.push(digit);
        }
        grouped
    }

    /// A share as a whole percentage, spaced the way this language writes it (CLDR):
    /// 45% in English and Portuguese, 45 % in Spanish and French.
    pub fn percent(&self, value: i64) -> String {
        let number = self.number(value);
        match self.0 {
            Lang::En | Lang::Pt => format!("{number}%"),
            Lang::Es => format!("{number}\u{a0}%"),
            Lang::Fr => format!("{number}\u{202f}%"),
        }
    }

    /// A day written out, such as "November 30, 2026" or "30 de noviembre de 2026".
    pub fn date(&self, day: NaiveDate) -> String {
        let args = HashMap::from([
            (Cow::Borrowed("day"), FluentValue::from(day.day())),
            (Cow::Borrowed("month"), FluentValue::from(day.month())),
            (Cow::Borrowed("year"), FluentValue::from(day.year())),
        ]);
        LOCALES.lookup_with_args(&langid(self.0), "date-long", &args)
    }

    /// A day without its year, short enough for a chart's time axis: "2 de noviembre".
    pub fn day_month(&self, day: NaiveDate) -> String {
        let args = HashMap::from([
            (Cow::Borrowed("day"), FluentValue::from(day.day())),
            (Cow::Borrowed("month"), FluentValue::from(day.month())),
        ]);
        LOCALES.lookup_with_args(&langid(self.0), "date-day-month", &args)
    }

    /// A day as `date` writes it, with the time of day on a 24-hour clock.
    pub fn date_time(&self, at: &NaiveDateTime) -> String {
        self.t2(
            "date-time",
            ("date", &self.date(at.date())),
            ("time", &at.format("%H:%M").to_string()),
        )
    }

    /// A day stored as `YYYY-MM-DD` (a report's key), written out; anything else as it is.
    pub fn day_key(&self, key: &str) -> String {
        NaiveDate::parse_from_str(key, "%Y-%m-%d")
            .map_or_else(|_| key.to_owned(), |day| self.date(day))
    }
}

/// A country as a menu offers it: its ISO code and its name in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountryName {
    pub code: &'static str,
    pub name: String,
}

/// Every country, named and sorted once per language.
static COUNTRIES: LazyLock<[Vec<CountryName>; Lang::ALL.len()]> =
    LazyLock::new(|| Lang::ALL.map(country_names));

/// Every country, named in `lang` (CLDR, compiled in) and in the order a reader of `lang`
/// expects: "Égypte" sits among the E's, not after "Zimbabwe".
pub fn countries(lang: Lang) -> &'static [CountryName] {
    let index = Lang::ALL.iter().position(|&l| l == lang).unwrap_or(0);
    &COUNTRIES[index]
}

/// One country's name in `lang`; the code itself when it is not a country.
pub fn country_name(lang: Lang, code: &str) -> String {
    countries(lang)
        .iter()
        .find(|country| country.code == code)
        .map_or_else(|| code.to_owned(), |country| country.name.clone())
}

/// Every country's name in each of the four languages, and in ISO's English, for reading a
/// country typed or imported as a name rather than a code.
pub fn country_lookup() -> &'static CountryNames {
    static NAMES: LazyLock<CountryNames> = LazyLock::new(|| {
        let translated = Lang::ALL
            .iter()
            .flat_map(|&lang| countries(lang).iter())
            .map(|country| (country.code, country.name.as_str()));
        let english = Country::all().map(|country| (country.code(), country.english_name()));
        CountryNames::new(translated.chain(english))
    });
    &NAMES
}

fn country_names(lang: Lang) -> Vec<CountryName> {
    // The locale each language is written for, such as es-MX and pt-BR; always valid.
    let locale: Option<Locale> = lang.locale().replace('_', "-").parse().ok();
    let names = locale.as_ref().and_then(|locale| {
        RegionDisplayNames::try_new(locale.into(), DisplayNamesOptions::default())
            .inspect_err(|error| tracing::error!(%error, "no country names for {lang:?}"))
            .ok()
    });
    let mut countries: Vec<CountryName> = Country::all()
        .map(|country| {
            let name = names.as_ref().and_then(|names| {
                country
                    .code()
                    .parse::<Region>()
                    .ok()
                    .and_then(|region| names.of(region))
            });
            CountryName {
                code: country.code(),
                name: name.unwrap_or(country.english_name()).to_owned(),
            }
        })
        .collect();
    let collator = locale.as_ref().and_then(|locale| {
        Collator::try_new(locale.into(), Default::default())
            .inspect_err(|error| tracing::error!(%error, "no collation for {lang:?}"))
            .ok()
    });
    countries.sort_by(|a, b| match &collator {
        Some(collator) => collator.compare(&a.name, &b.name),
        None => a.name.cmp(&b.name),
    });
    countries
}

fn langid(lang: Lang) -> LanguageIdentifier {
    // The codes are fixed ASCII language subtags, which always parse.
    lang.code()
        .parse()
        .unwrap_or_else(|_| LanguageIdentifier::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_per_language() {
        assert_eq!(Tr(Lang::En).number(43_000), "43,000");
        assert_eq!(Tr(Lang::Es).number(1_234_567), "1,234,567");
        assert_eq!(Tr(Lang::Fr).number(43_000), "43\u{202f}000");
        assert_eq!(Tr(Lang::Pt).number(43_000), "43.000");
        assert_eq!(Tr(Lang::En).number(999), "999");
        assert_eq!(Tr(Lang::En).number(0), "0");
        assert_eq!(Tr(Lang::En).number(-1000), "-1,000");
    }

    fn names(lang: Lang) -> Vec<&'static str> {
        countries(lang).iter().map(|c| c.name.as_str()).collect()
    }

    fn position(names: &[&str], name: &str) -> usize {
        names
            .iter()
            .position(|n| *n == name)
            .unwrap_or_else(|| panic!("{name} is in the list"))
    }

    #[test]
    fn countries_are_named_in_each_language() {
        let name = |lang, code| {
            countries(lang)
                .iter()
                .find(|c| c.code == code)
                .map(|c| c.name.as_str())
        };
        assert_eq!(name(Lang::Es, "MX"), Some("México"));
        assert_eq!(name(Lang::Fr, "DE"), Some("Allemagne"));
        assert_eq!(name(Lang::Pt, "DE"), Some("Alemanha"));
        assert_eq!(name(Lang::En, "EG"), Some("Egypt"));
        for lang in Lang::ALL {
            assert_eq!(countries(lang).len(), Country::all().count(), "{lang:?}");
        }
    }

    #[test]
    fn accented_names_sort_with_their_letter() {
        let french = names(Lang::Fr);
        let egypt = position(&french, "Égypte");
        assert!(position(&french, "Danemark") < egypt);
        assert!(egypt < position(&french, "Espagne"));
        assert!(position(&french, "Équateur") < position(&french, "Espagne"));
        let spanish = names(Lang::Es);
        assert!(position(&spanish, "Bélgica") < position(&spanish, "Belice"));
        let portuguese = names(Lang::Pt);
        assert!(position(&portuguese, "Áustria") < position(&portuguese, "Azerbaijão"));
    }

    #[test]
    fn countries_typed_as_names_in_any_language_are_found() {
        let code = |raw| country_lookup().find(raw).map(|c| c.code());
        assert_eq!(code("México"), Some("MX"));
        assert_eq!(code("Mexique"), Some("MX"));
        assert_eq!(code("Alemanha"), Some("DE"));
        assert_eq!(code("ALLEMAGNE"), Some("DE"));
        assert_eq!(code("Egypte"), Some("EG"));
        assert_eq!(code("Brasil"), Some("BR"));
    }

    #[test]
    fn counted_consequences_write_the_number_the_page_s_way() {
        let recipients = |lang| Tr(lang).count("admin-update-confirm-recipients", 12_480);
        assert_eq!(recipients(Lang::Pt), "Será enviada a 12.480 pessoas.");
        assert_eq!(recipients(Lang::Es), "Se enviará a 12,480 personas.");
        assert_eq!(recipients(Lang::En), "It will be sent to 12,480 people.");
        assert_eq!(
            Tr(Lang::Es).count("admin-update-confirm-recipients", 1),
            "Se enviará a 1 persona."
        );
    }

    #[test]
    fn percentages_are_spaced_per_language() {
        assert_eq!(Tr(Lang::En).percent(45), "45%");
        assert_eq!(Tr(Lang::Pt).percent(45), "45%");
        assert_eq!(Tr(Lang::Es).percent(45), "45\u{a0}%");
        assert_eq!(Tr(Lang::Fr).percent(100), "100\u{202f}%");
    }

    #[test]
    fn dates_are_written_out_per_language() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 30).expect("a date");
        assert_eq!(Tr(Lang::En).date(day), "November 30, 2026");
        assert_eq!(Tr(Lang::Es).date(day), "30 de noviembre de 2026");
        assert_eq!(Tr(Lang::Fr).date(day), "30 novembre 2026");
        assert_eq!(Tr(Lang::Pt).date(day), "30 de novembro de 2026");
        let first = NaiveDate::from_ymd_opt(2027, 1, 1).expect("a date");
        assert_eq!(Tr(Lang::Fr).date(first), "1er janvier 2027");
        assert_eq!(Tr(Lang::Es).day_key("2026-05-03"), "3 de mayo de 2026");
        assert_eq!(Tr(Lang::Es).day_key("not a day"), "not a day");
        let at = day.and_hms_opt(9, 5, 0).expect("a time");
        assert_eq!(
            Tr(Lang::Es).date_time(&at),
            "30 de noviembre de 2026, 09:05"
        );
        assert_eq!(Tr(Lang::Fr).date_time(&at), "30 novembre 2026 à 09:05");
    }

    #[test]
    fn plurals_follow_the_count() {
        assert_eq!(Tr(Lang::En).plural("campaign-signatures", 1), "signature");
        assert_eq!(Tr(Lang::En).plural("campaign-signatures", 2), "signatures");
    }
}
