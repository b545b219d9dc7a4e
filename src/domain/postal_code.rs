//! Postal codes: free-form in general, checked where a country's shape is simple.

use super::Country;

const MAX_POSTAL_CODE_CHARS: usize = 12;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostalCode(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PostalCodeError {
    #[error("a postal code is required")]
    Missing,
    #[error("the postal code does not have the shape used in that country")]
    WrongShape,
}

impl PostalCode {
    /// Parses an optional postal code for `country`. An empty value is `Ok(None)` unless the
    /// campaign requires one.
    pub fn parse(
        raw: &str,
        country: Country,
        required: bool,
    ) -> Result<Option<Self>, PostalCodeError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return if required {
                Err(PostalCodeError::Missing)
            } else {
                Ok(None)
            };
        }
        let normalised = trimmed.to_uppercase();
        if !has_country_shape(&normalised, country.code()) {
            return Err(PostalCodeError::WrongShape);
        }
        Ok(Some(Self(normalised)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn digits(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|b| b.is_ascii_digit())
}

/// Shapes for countries where the rule is simple and stable; elsewhere anything short made
/// of letters, digits, spaces and hyphens passes, because a wrong rule would turn real
/// supporters away.
fn has_country_shape(code: &str, country: &str) -> bool {
    match country {
        "MX" | "DE" | "FR" | "ES" | "IT" => digits(code, 5),
        "US" => match code.split_once('-') {
            Some((zip, plus4)) => digits(zip, 5) && digits(plus4, 4),
            None => digits(code, 5),
        },
        "BR" => match code.split_once('-') {
            Some((head, tail)) => digits(head, 5) && digits(tail, 3),
            None => digits(code, 8),
        },
        "PT" => code
            .split_once('-')
            .is_some_and(|(head, tail)| digits(head, 4) && digits(tail, 3)),
        _ => {
            code.chars().count() <= MAX_POSTAL_CODE_CHARS
                && code
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == ' ' || c == '-')
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &str, country: &str) -> Result<Option<String>, PostalCodeError> {
        let country = Country::parse(country).expect("known country");
        PostalCode::parse(raw, country, false).map(|p| p.map(|p| p.0))
    }

    #[test]
    fn mexican_codes_have_five_digits() {
        assert_eq!(parse("39090", "MX"), Ok(Some("39090".into())));
        for bad in ["3909", "390900", "39O90", "39 090"] {
            assert_eq!(parse(bad, "MX"), Err(PostalCodeError::WrongShape), "{bad}");
        }
    }

    #[test]
    fn other_simple_shapes() {
        assert!(parse("10001-1234", "US").is_ok());
        assert!(parse("01310-100", "BR").is_ok());
        assert!(parse("01310100", "BR").is_ok());
        assert!(parse("1000-001", "PT").is_ok());
        assert!(parse("h2x 1y4", "CA").is_ok());
        assert!(parse("SW1A 1AA", "GB").is_ok());
        assert_eq!(parse("<script>", "GB"), Err(PostalCodeError::WrongShape));
    }

    #[test]
    fn empty_is_fine_unless_required() {
        let mx = Country::parse("MX").expect("known country");
        assert_eq!(PostalCode::parse(" ", mx, false), Ok(None));
        assert_eq!(
            PostalCode::parse("", mx, true),
            Err(PostalCodeError::Missing)
        );
    }
}
