//! A campaign's address, as staff choose it and as every link to the campaign carries it.

/// A campaign's address: lower-case letters, digits and single hyphens, 3 to 64 long,
/// and none of the words Mariposa's own routes use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slug(String);

/// Words that stand where a slug could in Mariposa's own paths (`/admin/campaigns/new`
/// would hide a campaign called `new` from staff), staff actions that may come to, and
/// the top-level segments, so that no campaign's address reads like one of our pages.
const RESERVED_SLUGS: [&str; 22] = [
    "admin",
    "api",
    "audit",
    "campaigns",
    "close",
    "confirm",
    "edit",
    "embed",
    "erase",
    "healthz",
    "kiosk",
    "login",
    "logout",
    "metrics",
    "new",
    "open",
    "partners",
    "pause",
    "resume",
    "static",
    "tokens",
    "unsubscribe",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlugError {
    Malformed,
    Reserved,
}

impl Slug {
    pub fn parse(raw: &str) -> Result<Self, SlugError> {
        let slug = raw.trim();
        let well_formed = (3..=64).contains(&slug.len())
            && slug
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !slug.starts_with('-')
            && !slug.ends_with('-')
            && !slug.contains("--");
        if !well_formed {
            return Err(SlugError::Malformed);
        }
        if RESERVED_SLUGS.contains(&slug) {
            return Err(SlugError::Reserved);
        }
        Ok(Self(slug.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_short_lower_case_words_and_none_of_our_own_paths() {
        for slug in ["ab", "-a-b", "a--b", "ñandú", &"a".repeat(65)] {
            assert_eq!(Slug::parse(slug), Err(SlugError::Malformed), "{slug}");
        }
        for slug in [
            "new", "admin", "api", "static", "embed", "confirm", "kiosk", " new ",
        ] {
            assert_eq!(Slug::parse(slug), Err(SlugError::Reserved), "{slug}");
        }
        assert!(
            Slug::parse("new-water").is_ok(),
            "only whole words are reserved"
        );
    }
}
