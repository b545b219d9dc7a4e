//! The languages Mariposa speaks to supporters, and how a request picks one.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    Es,
    En,
    Fr,
    Pt,
}

impl Lang {
    pub const ALL: [Lang; 4] = [Lang::Es, Lang::En, Lang::Fr, Lang::Pt];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Es => "es",
            Lang::En => "en",
            Lang::Fr => "fr",
            Lang::Pt => "pt",
        }
    }

    /// The language's name in itself, for the language switcher.
    pub fn endonym(self) -> &'static str {
        match self {
            Lang::Es => "Español",
            Lang::En => "English",
            Lang::Fr => "Français",
            Lang::Pt => "Português",
        }
    }

    /// The regional variety each language is written in, as a locale such as `es_MX`
    /// (Open Graph's `og:locale`).
    pub fn locale(self) -> &'static str {
        match self {
            Lang::Es => "es_MX",
            Lang::En => "en_US",
            Lang::Fr => "fr_CA",
            Lang::Pt => "pt_BR",
        }
    }

    /// Accepts a code such as `es`, `es-MX` or `pt_BR`; regional variants map to the one
    /// variety we write (Mexican Spanish, Brazilian Portuguese).
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?;
        Lang::ALL
            .into_iter()
            .find(|lang| lang.code().eq_ignore_ascii_case(primary))
    }

    /// The best supported language in an `Accept-Language` header, honouring q-values.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(Lang, f32)> = None;
        for item in header.split(',').take(32) {
            let mut parts = item.split(';');
            let Some(lang) = parts.next().and_then(Lang::parse) else {
                continue;
            };
            let quality = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if quality > 0.0 && best.is_none_or(|(_, q)| quality > q) {
                best = Some((lang, quality));
            }
        }
        best.map(|(lang, _)| lang)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn regional_tags_map_to_our_languages() {
        assert_eq!(Lang::parse("es-MX"), Some(Lang::Es));
        assert_eq!(Lang::parse("pt_BR"), Some(Lang::Pt));
        assert_eq!(Lang::parse("FR-ca"), Some(Lang::Fr));
        assert_eq!(Lang::parse("de"), None);
        assert_eq!(Lang::parse(""), None);
    }

    #[test]
    fn accept_language_honours_order_and_quality() {
        assert_eq!(
            Lang::from_accept_language("es-MX,es;q=0.9,en;q=0.8"),
            Some(Lang::Es)
        );
        assert_eq!(
            Lang::from_accept_language("de-DE,de;q=0.9,fr;q=0.7,en;q=0.8"),
            Some(Lang::En)
        );
        assert_eq!(
            Lang::from_accept_language("en;q=0.1, pt-BR"),
            Some(Lang::Pt)
        );
        assert_eq!(Lang::from_accept_language("de, ja"), None);
        assert_eq!(Lang::from_accept_language("es;q=0"), None);
    }

    proptest! {
        #[test]
        fn arbitrary_headers_never_panic(header in "\\PC{0,200}") {
            let _ = Lang::from_accept_language(&header);
        }
    }
}
