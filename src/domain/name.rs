//! Personal names as supporters write them, in any script.

use icu_normalizer::ComposingNormalizerBorrowed;
use validator::ValidateLength;

use super::formula_pieces;
use super::invisible::strip_invisible_in_words;

/// Generous enough for long compound names, small enough to keep a 10 kB paste out.
const MAX_NAME_CHARS: u64 = 100;

/// Top-level domains that mail programs turn into links even without `www.` or a path, and
/// that no name ends with.
const LINKED_TLDS: [&str; 14] = [
    "com", "net", "org", "info", "biz", "io", "co", "ly", "xyz", "top", "app", "site", "online",
    "link",
];

/// A first or last name: trimmed, not empty, at most 100 characters, no control characters.
/// Apostrophes, hyphens, accents and non-Latin scripts are all welcome. Invisible characters
/// and bidirectional overrides are taken out (a joiner between two letters stays, as Persian
/// and Indic names need it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("the name is empty")]
    Empty,
    #[error("the name is too long")]
    TooLong,
    #[error("the name contains characters that are not allowed")]
    InvalidCharacters,
    /// The organisation mails names to any address the form is given: a name holding a
    /// link would let anyone send phishing in its name.
    #[error("the name holds a web address")]
    WebAddress,
    /// Refused as well as neutralised in exports, so that no other copy of the data (a
    /// query in a database tool, a later export format) can carry a live formula.
    #[error("the name would run as a spreadsheet formula")]
    Formula,
}

impl PersonName {
    pub fn parse(raw: &str) -> Result<Self, NameError> {
        let visible = strip_invisible_in_words(raw);
        let trimmed = visible.trim();
        if !trimmed.chars().any(char::is_alphanumeric) {
            return Err(NameError::Empty);
        }
        if !trimmed.validate_length(None, Some(MAX_NAME_CHARS), None) {
            return Err(NameError::TooLong);
        }
        // Control characters would let a name break out of an email header or a CSV row;
        // angle brackets and quotes are harmless because every output escapes them.
        if trimmed.chars().any(char::is_control) {
            return Err(NameError::InvalidCharacters);
        }
        if holds_web_address(trimmed) {
            return Err(NameError::WebAddress);
        }
        if !formula_pieces(trimmed).is_empty() {
            return Err(NameError::Formula);
        }
        Ok(Self(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Whether `text` holds something a mail program would show as a link: a scheme
/// (`https://`), a `www.` host, a host followed by a path or a port (`evil.example/login`),
/// or a host under a top-level domain that programs link by itself (`evil.com`, also after
/// an `@`, as in an email address). Fullwidth and ideographic full stops count as dots, as
/// browsers read them so.
fn holds_web_address(text: &str) -> bool {
    let folded = ComposingNormalizerBorrowed::new_nfkc()
        .normalize(text)
        .to_lowercase()
        .replace('\u{3002}', ".");
    if folded.contains("://") {
        return true;
    }
    folded
        .split(|c: char| c.is_whitespace() || "()<>[]{}\"',;!?@".contains(c))
        .map(|word| word.trim_matches(['.', ':']))
        .any(|word| {
            let (host, rest) = word
                .find(['/', ':', '?', '#'])
                .map_or((word, ""), |at| word.split_at(at));
            let Some((_, tld)) = host.rsplit_once('.') else {
                return false;
            };
            let is_host = host.split('.').all(|label| {
                !label.is_empty() && label.chars().all(|c| c.is_alphanumeric() || c == '-')
            }) && tld.chars().count() >= 2
                && tld.chars().all(char::is_alphabetic);
            is_host && (host.starts_with("www.") || !rest.is_empty() || LINKED_TLDS.contains(&tld))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn names_from_many_cultures_are_accepted() {
        for name in [
            "José Ñúñez O'Connor",
            "María-José",
            "Nguyễn Thị Minh Khai",
            "Ngũgĩ wa Thiong'o",
            "山田 太郎",
            "Αλέξανδρος",
            "O'Brien",
            "X",
        ] {
            assert_eq!(PersonName::parse(name).map(|n| n.0), Ok(name.to_owned()));
        }
    }

    #[test]
    fn surrounding_whitespace_is_trimmed() {
        assert_eq!(
            PersonName::parse("  Ana \n").map(|n| n.0),
            Ok("Ana".to_owned())
        );
    }

    #[test]
    fn empty_long_and_control_names_are_refused() {
        assert_eq!(PersonName::parse(""), Err(NameError::Empty));
        assert_eq!(PersonName::parse(" \t "), Err(NameError::Empty));
        assert_eq!(
            PersonName::parse(&"a".repeat(10_000)),
            Err(NameError::TooLong)
        );
        assert_eq!(
            PersonName::parse("Ana\r\nBcc: x@y.z"),
            Err(NameError::InvalidCharacters)
        );
        assert_eq!(
            PersonName::parse("Ana\u{0}"),
            Err(NameError::InvalidCharacters)
        );
        assert!(PersonName::parse(&"ñ".repeat(100)).is_ok());
        assert_eq!(PersonName::parse(&"ñ".repeat(101)), Err(NameError::TooLong));
    }

    #[test]
    fn names_with_dots_apostrophes_and_initials_are_still_names() {
        for name in [
            "J.R.R. Tolkien",
            "St. John",
            "Mr.Smith",
            "Ana María",
            "D'Souza",
            "Ltd.",
        ] {
            assert!(PersonName::parse(name).is_ok(), "{name}");
        }
    }

    #[test]
    fn names_holding_web_addresses_are_refused() {
        for name in [
            "URGENT: your account is locked, visit https://evil.example/login",
            "http://x",
            "Ana www.evil.example",
            "WWW.EVIL.EXAMPLE",
            "evil.example/login",
            "(evil.example:8080)",
            "Ana evil。example/login",
            "Ana ｅvil．example/login",
            "Ana, visit evil.com.",
            "bit.ly",
            "Write to support@evil.com",
        ] {
            assert_eq!(
                PersonName::parse(name),
                Err(NameError::WebAddress),
                "{name}"
            );
        }
    }

    #[test]
    fn names_made_only_of_invisible_characters_are_empty() {
        for name in [
            "\u{200B}\u{200D}",
            "\u{202E}\u{2066}\u{2069}",
            "\u{FEFF}\u{00AD}",
            "\u{3164}",
            " . ",
        ] {
            assert_eq!(PersonName::parse(name), Err(NameError::Empty), "{name:?}");
        }
    }

    #[test]
    fn bidirectional_overrides_and_zero_width_characters_are_taken_out() {
        assert_eq!(
            PersonName::parse("\u{202E}anA\u{202C}").map(|n| n.0),
            Ok("anA".to_owned())
        );
        assert_eq!(
            PersonName::parse("L\u{2066}ópez\u{200B}").map(|n| n.0),
            Ok("López".to_owned())
        );
        let persian = "محمد\u{200C}رضا";
        assert_eq!(
            PersonName::parse(persian).map(|n| n.0),
            Ok(persian.to_owned())
        );
    }

    #[test]
    fn names_that_would_run_as_spreadsheet_formulas_are_refused() {
        for name in ["=1+1", "x;=1+1;", "Ana, -1", "@SUM(A1)", "+34 600"] {
            assert_eq!(PersonName::parse(name), Err(NameError::Formula), "{name}");
        }
        assert!(PersonName::parse("Jean-Pierre").is_ok());
    }

    proptest! {
        #[test]
        fn accepted_names_are_trimmed_bounded_and_free_of_control_characters(raw in "\\PC{0,120}|.{0,20}") {
            if let Ok(name) = PersonName::parse(&raw) {
                prop_assert_eq!(name.as_str().trim(), name.as_str());
                prop_assert!(name.as_str().chars().count() <= 100);
                prop_assert!(!name.as_str().chars().any(char::is_control));
                let overrides_or_zero_width = |c: char| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200B}' | '\u{FEFF}');
                prop_assert!(!name.as_str().chars().any(overrides_or_zero_width));
                prop_assert!(name.as_str().chars().any(char::is_alphanumeric));
                prop_assert!(formula_pieces(name.as_str()).is_empty());
                prop_assert!(!name.as_str().contains("://"));
            }
        }
    }
}
