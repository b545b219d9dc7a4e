//! Translations: every word a supporter reads comes from `locales/{lang}/main.ftl`.

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{Loader, static_loader};
use unic_langid::LanguageIdentifier;

use crate::domain::Lang;

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

    /// A message that varies with a number, such as "1 signature" and "2 signatures".
    pub fn plural(&self, key: &str, count: i64) -> String {
        let args = HashMap::from([(Cow::Borrowed("count"), FluentValue::from(count))]);
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

    #[test]
    fn plurals_follow_the_count() {
        assert_eq!(Tr(Lang::En).plural("campaign-signatures", 1), "signature");
        assert_eq!(Tr(Lang::En).plural("campaign-signatures", 2), "signatures");
    }
}
