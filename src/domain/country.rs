//! Countries, as ISO 3166-1 alpha-2 codes, and as people write their names.

use std::collections::HashMap;

use isocountry::CountryCode;

use super::in_person::fold;

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

/// The names by which people write countries, for reading a country from a sheet where
/// it is written out ("México", "mexico", "Mexique") rather than coded ("MX"). Names are
/// compared with case, accents and punctuation folded, so "Peru" finds "Perú".
#[derive(Debug, Clone, Default)]
pub struct CountryNames(HashMap<String, Country>);

impl CountryNames {
    /// The table from `(code, name)` pairs, such as every country's name in each language;
    /// pairs whose code is not a country are left out.
    pub fn new<'a>(names: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut table = HashMap::new();
        for (code, name) in names {
            if let Ok(country) = Country::parse(code) {
                table.entry(fold(name)).or_insert(country);
            }
        }
        Self(table)
    }

    /// The country `raw` names or codes, if any.
    pub fn find(&self, raw: &str) -> Option<Country> {
        Country::parse(raw)
            .ok()
            .or_else(|| self.0.get(&fold(raw)).copied())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_are_found_by_name_with_or_without_accents_or_by_code() {
        let names = CountryNames::new([("MX", "México"), ("FR", "Mexique"), ("PE", "Perú")]);
        let code = |raw| names.find(raw).map(|c| c.code());
        assert_eq!(code("México"), Some("MX"));
        assert_eq!(code("  mexico "), Some("MX"));
        assert_eq!(code("MEXICO"), Some("MX"));
        assert_eq!(code("peru"), Some("PE"));
        assert_eq!(code("mx"), Some("MX"));
        assert_eq!(code("Mé"), None);
        assert_eq!(code(""), None);
    }

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
