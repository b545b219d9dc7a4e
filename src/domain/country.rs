//! Countries, as ISO 3166-1 alpha-2 codes.

use isocountry::CountryCode;

/// A country that exists in ISO 3166-1, held as its upper-case alpha-2 code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Country(CountryCode);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not an ISO 3166-1 alpha-2 country code")]
pub struct UnknownCountry;

impl Country {
    pub fn parse(raw: &str) -> Result<Self, UnknownCountry> {
        let code = raw.trim();
        if code.len() != 2 {
            return Err(UnknownCountry);
        }
        CountryCode::for_alpha2_caseless(code)
            .map(Self)
            .map_err(|_| UnknownCountry)
    }

    pub fn code(&self) -> &'static str {
        self.0.alpha2()
    }

    /// The English short name, used where no translation is available.
    pub fn english_name(&self) -> &'static str {
        self.0.name()
    }

    /// Every country, in code order.
    pub fn all() -> impl Iterator<Item = Country> {
        CountryCode::iter_alpha2().map(|code| Country(*code))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_case_insensitive_and_normalised() {
        assert_eq!(Country::parse("mx").map(|c| c.code()), Ok("MX"));
        assert_eq!(Country::parse(" BR ").map(|c| c.code()), Ok("BR"));
    }

    #[test]
    fn unknown_and_malformed_codes_are_refused() {
        for raw in ["", "XX", "MEX", "M", "😀", "ÑÑ"] {
            assert_eq!(Country::parse(raw), Err(UnknownCountry), "{raw:?}");
        }
    }

    #[test]
    fn the_list_holds_every_assigned_country() {
        let codes: Vec<_> = Country::all().map(|c| c.code()).collect();
        assert!(codes.len() >= 249);
        assert!(codes.contains(&"MX") && codes.contains(&"CA") && codes.contains(&"PT"));
    }
}
