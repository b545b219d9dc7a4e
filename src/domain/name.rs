//! Personal names as supporters write them, in any script.

use validator::ValidateLength;

/// Generous enough for long compound names, small enough to keep a 10 kB paste out.
const MAX_NAME_CHARS: u64 = 100;

/// A first or last name: trimmed, not empty, at most 100 characters, no control characters.
/// Apostrophes, hyphens, accents and non-Latin scripts are all welcome.
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
}

impl PersonName {
    pub fn parse(raw: &str) -> Result<Self, NameError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
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
        Ok(Self(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
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

    proptest! {
        #[test]
        fn accepted_names_are_trimmed_bounded_and_free_of_control_characters(raw in "\\PC{0,120}|.{0,20}") {
            if let Ok(name) = PersonName::parse(&raw) {
                prop_assert_eq!(name.as_str().trim(), name.as_str());
                prop_assert!(name.as_str().chars().count() <= 100);
                prop_assert!(!name.as_str().chars().any(char::is_control));
            }
        }
    }
}
