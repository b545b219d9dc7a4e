//! Attribution codes: which partner or channel brought a signature.

const MAX_SOURCE_CHARS: usize = 64;

/// A short code such as `centro-prodh` or `newsletter_2026`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source(String);

impl Source {
    /// Source codes arrive in hidden fields and links that supporters never see, so a
    /// malformed one is dropped rather than shown to them as an error.
    pub fn parse_lenient(raw: &str) -> Option<Self> {
        let trimmed = raw.trim();
        let well_formed = !trimmed.is_empty()
            && trimmed.len() <= MAX_SOURCE_CHARS
            && trimmed
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
        well_formed.then(|| Self(trimmed.to_ascii_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_formed_codes_are_kept_and_others_dropped() {
        assert_eq!(
            Source::parse_lenient(" Centro-Prodh ").map(|s| s.0),
            Some("centro-prodh".into())
        );
        assert_eq!(Source::parse_lenient(""), None);
        assert_eq!(Source::parse_lenient("<script>"), None);
        assert_eq!(Source::parse_lenient(&"a".repeat(65)), None);
    }
}
