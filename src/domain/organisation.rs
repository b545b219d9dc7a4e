//! The organisation that runs this installation, as supporters, partners and targets see it:
//! its names, the sender of its emails, its postal address, its privacy notice and its colour.

use std::fmt;

use super::Lang;
use super::email::SignerEmail;
use super::invisible::strip_invisible_in_words;

pub const MAX_ORGANISATION_NAME_CHARS: usize = 120;
pub const MAX_SHORT_NAME_CHARS: usize = 40;
pub const MAX_PRIVACY_NOTICE_CHARS: usize = 1_000;
pub const MAX_POSTAL_ADDRESS_CHARS: usize = 400;
const MAX_URL_CHARS: usize = 500;

/// WCAG 2.x level AA for body text (success criterion 1.4.3).
pub const AA_CONTRAST: f64 = 4.5;

/// The page background that links in the brand colour are drawn on (`--paper` in the
/// stylesheet); white text on the colour itself has more contrast than this.
const PAGE_BACKGROUND: Rgb = Rgb(0xfb, 0xf8, 0xf3);

/// One language's words of the organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganisationText {
    pub lang: Lang,
    pub name: String,
    /// For tight places: an email's sender, a tab title on a phone.
    pub short_name: String,
    /// Beside the consent on every form: who holds the data and what for, in a few lines.
    pub privacy_notice: String,
}

/// The organisation's settings. Empty text means "not set": a new installation has none, and
/// its pages then speak as the software does.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Organisation {
    pub texts: Vec<OrganisationText>,
    /// The name emails are sent under; the organisation's short name when empty.
    pub sender_name: String,
    /// Where supporters' replies go; empty for the sender address itself.
    pub reply_to: String,
    /// Printed in every email's footer and on the delivery letter, one line per line.
    pub postal_address: String,
    /// Who holds the supporters' data, as the privacy law names it (the data controller).
    pub data_controller: String,
    /// The full privacy notice, on the organisation's own site.
    pub privacy_url: String,
    /// `#rrggbb`, or empty for the software's own.
    pub brand_colour: String,
}

impl Organisation {
    fn text_where(&self, lang: Lang, field: impl Fn(&OrganisationText) -> &str) -> Option<&str> {
        let own = self
            .texts
            .iter()
            .find(|t| t.lang == lang)
            .map(&field)
            .filter(|s| !s.is_empty());
        own.or_else(|| self.texts.iter().map(&field).find(|s| !s.is_empty()))
    }

    /// The name in `lang`, else in any language it has one; `None` while unset.
    pub fn name(&self, lang: Lang) -> Option<&str> {
        self.text_where(lang, |t| &t.name)
    }

    /// The short name, else the name.
    pub fn short_name(&self, lang: Lang) -> Option<&str> {
        self.text_where(lang, |t| &t.short_name)
            .or_else(|| self.name(lang))
    }

    pub fn privacy_notice(&self, lang: Lang) -> Option<&str> {
        self.text_where(lang, |t| &t.privacy_notice)
    }

    /// The name emails go out under in `lang`.
    pub fn sender_name(&self, lang: Lang) -> Option<&str> {
        Some(self.sender_name.as_str())
            .filter(|s| !s.is_empty())
            .or_else(|| self.short_name(lang))
    }

    pub fn reply_to(&self) -> Option<&str> {
        Some(self.reply_to.as_str()).filter(|s| !s.is_empty())
    }

    pub fn postal_lines(&self) -> Vec<&str> {
        self.postal_address
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect()
    }

    pub fn privacy_url(&self) -> Option<&str> {
        Some(self.privacy_url.as_str()).filter(|s| !s.is_empty())
    }

    pub fn data_controller(&self) -> Option<&str> {
        Some(self.data_controller.as_str()).filter(|s| !s.is_empty())
    }

    pub fn brand_colour(&self) -> Option<BrandColour> {
        BrandColour::parse(&self.brand_colour).ok()
    }
}

/// A problem with the organisation's settings as typed: the field it is about and the
/// message key that says what to do.
#[derive(Debug, Clone, PartialEq)]
pub enum OrganisationProblem {
    TooLong { field: String, max: usize },
    ControlCharacters { field: String },
    ReplyTo,
    PrivacyUrl,
    BrandColour(BrandColourError),
}

impl OrganisationProblem {
    /// The form field the problem is about.
    pub fn field(&self) -> &str {
        match self {
            Self::TooLong { field, .. } | Self::ControlCharacters { field } => field,
            Self::ReplyTo => "reply_to",
            Self::PrivacyUrl => "privacy_url",
            Self::BrandColour(_) => "brand_colour",
        }
    }
}

/// The settings as typed, on the staff page or the command line.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct OrganisationInput {
    pub name_es: String,
    pub short_name_es: String,
    pub privacy_notice_es: String,
    pub name_en: String,
    pub short_name_en: String,
    pub privacy_notice_en: String,
    pub name_fr: String,
    pub short_name_fr: String,
    pub privacy_notice_fr: String,
    pub name_pt: String,
    pub short_name_pt: String,
    pub privacy_notice_pt: String,
    pub sender_name: String,
    pub reply_to: String,
    pub postal_address: String,
    pub data_controller: String,
    pub privacy_url: String,
    pub brand_colour: String,
}

impl OrganisationInput {
    /// The settings as stored, to edit them.
    pub fn of(organisation: &Organisation) -> Self {
        let mut input = Self {
            sender_name: organisation.sender_name.clone(),
            reply_to: organisation.reply_to.clone(),
            postal_address: organisation.postal_address.clone(),
            data_controller: organisation.data_controller.clone(),
            privacy_url: organisation.privacy_url.clone(),
            brand_colour: organisation.brand_colour.clone(),
            ..Self::default()
        };
        for text in &organisation.texts {
            let (name, short, notice) = input.text_mut(text.lang);
            name.clone_from(&text.name);
            short.clone_from(&text.short_name);
            notice.clone_from(&text.privacy_notice);
        }
        input
    }

    /// Name, short name and privacy notice in `lang`, to fill in.
    pub fn text_mut(&mut self, lang: Lang) -> (&mut String, &mut String, &mut String) {
        match lang {
            Lang::Es => (
                &mut self.name_es,
                &mut self.short_name_es,
                &mut self.privacy_notice_es,
            ),
            Lang::En => (
                &mut self.name_en,
                &mut self.short_name_en,
                &mut self.privacy_notice_en,
            ),
            Lang::Fr => (
                &mut self.name_fr,
                &mut self.short_name_fr,
                &mut self.privacy_notice_fr,
            ),
            Lang::Pt => (
                &mut self.name_pt,
                &mut self.short_name_pt,
                &mut self.privacy_notice_pt,
            ),
        }
    }

    pub fn text(&self, lang: Lang) -> (&str, &str, &str) {
        match lang {
            Lang::Es => (&self.name_es, &self.short_name_es, &self.privacy_notice_es),
            Lang::En => (&self.name_en, &self.short_name_en, &self.privacy_notice_en),
            Lang::Fr => (&self.name_fr, &self.short_name_fr, &self.privacy_notice_fr),
            Lang::Pt => (&self.name_pt, &self.short_name_pt, &self.privacy_notice_pt),
        }
    }

    /// The settings, or every problem with them.
    pub fn parse(&self) -> Result<Organisation, Vec<OrganisationProblem>> {
        let mut problems = Vec::new();
        let mut line = |field: &str, value: &str, max: usize| -> String {
            let value = strip_invisible_in_words(value).trim().to_owned();
            if value.chars().count() > max {
                problems.push(OrganisationProblem::TooLong {
                    field: field.to_owned(),
                    max,
                });
            } else if value.chars().any(char::is_control) {
                problems.push(OrganisationProblem::ControlCharacters {
                    field: field.to_owned(),
                });
            }
            value
        };
        let mut texts = Vec::new();
        for lang in Lang::ALL {
            let (name, short, notice) = self.text(lang);
            let code = lang.code();
            let name = line(&format!("name_{code}"), name, MAX_ORGANISATION_NAME_CHARS);
            let short_name = line(&format!("short_name_{code}"), short, MAX_SHORT_NAME_CHARS);
            // A notice may have paragraphs; line breaks are its only control characters.
            let notice = notice.replace("\r\n", "\n");
            let privacy_notice = line(
                &format!("privacy_notice_{code}"),
                &notice.replace('\n', " "),
                MAX_PRIVACY_NOTICE_CHARS,
            );
            if [&name, &short_name, &privacy_notice]
                .iter()
                .any(|s| !s.is_empty())
            {
                texts.push(OrganisationText {
                    lang,
                    name,
                    short_name,
                    privacy_notice,
                });
            }
        }
        let sender_name = line("sender_name", &self.sender_name, MAX_SHORT_NAME_CHARS * 2);
        let data_controller = line(
            "data_controller",
            &self.data_controller,
            MAX_ORGANISATION_NAME_CHARS * 2,
        );
        let address = self.postal_address.replace("\r\n", "\n");
        let postal_address = address
            .lines()
            .map(|l| line("postal_address", l, MAX_POSTAL_ADDRESS_CHARS))
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("\n");
        if postal_address.chars().count() > MAX_POSTAL_ADDRESS_CHARS {
            problems.push(OrganisationProblem::TooLong {
                field: "postal_address".to_owned(),
                max: MAX_POSTAL_ADDRESS_CHARS,
            });
        }
        let reply_to = self.reply_to.trim().to_owned();
        if !reply_to.is_empty() && SignerEmail::parse_any_domain(&reply_to).is_err() {
            problems.push(OrganisationProblem::ReplyTo);
        }
        let privacy_url = self.privacy_url.trim().to_owned();
        if !privacy_url.is_empty() && !is_web_address(&privacy_url) {
            problems.push(OrganisationProblem::PrivacyUrl);
        }
        let brand_colour = match self.brand_colour.trim() {
            "" => String::new(),
            typed => match BrandColour::parse(typed) {
                Ok(colour) => colour.to_string(),
                Err(error) => {
                    problems.push(OrganisationProblem::BrandColour(error));
                    String::new()
                }
            },
        };
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Organisation {
            texts,
            sender_name,
            reply_to,
            postal_address,
            data_controller,
            privacy_url,
            brand_colour,
        })
    }
}

/// An `https://` (or `http://`) address with no spaces or quotes, safe in an `href`.
fn is_web_address(url: &str) -> bool {
    (url.starts_with("https://") || url.starts_with("http://"))
        && url.len() > "https://".len()
        && url.chars().count() <= MAX_URL_CHARS
        && !url
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || matches!(c, '"' | '<' | '>' | '\''))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Rgb(u8, u8, u8);

impl Rgb {
    /// Relative luminance as WCAG 2.x defines it.
    fn luminance(self) -> f64 {
        let channel = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.040_45 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(self.0) + 0.7152 * channel(self.1) + 0.0722 * channel(self.2)
    }

    fn contrast(self, other: Rgb) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }
}

/// A colour for buttons with white text and for links on the page, dark enough for both to
/// meet WCAG AA.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BrandColour(Rgb);

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BrandColourError {
    /// Not `#rrggbb` or `#rgb`.
    Unreadable,
    /// Too light for the text drawn on it: `ratio` to 1, where AA needs 4.5 to 1.
    TooLittleContrast { ratio: f64 },
}

impl BrandColour {
    pub fn parse(typed: &str) -> Result<Self, BrandColourError> {
        let hex = typed.trim().trim_start_matches('#');
        let digits: Vec<u8> = hex
            .chars()
            .map(|c| c.to_digit(16).and_then(|d| u8::try_from(d).ok()))
            .collect::<Option<_>>()
            .ok_or(BrandColourError::Unreadable)?;
        let rgb = match digits.as_slice() {
            [r, g, b] => Rgb(r * 17, g * 17, b * 17),
            [r1, r2, g1, g2, b1, b2] => Rgb(r1 * 16 + r2, g1 * 16 + g2, b1 * 16 + b2),
            _ => return Err(BrandColourError::Unreadable),
        };
        let ratio = rgb
            .contrast(PAGE_BACKGROUND)
            .min(rgb.contrast(Rgb(255, 255, 255)));
        if ratio < AA_CONTRAST {
            return Err(BrandColourError::TooLittleContrast { ratio });
        }
        Ok(Self(rgb))
    }

    /// A darker shade for hover, a quarter of the way to black.
    pub fn darker(self) -> Self {
        let shade = |c: u8| c - c / 4;
        Self(Rgb(shade(self.0.0), shade(self.0.1), shade(self.0.2)))
    }
}

impl fmt::Display for BrandColour {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.0.0, self.0.1, self.0.2)
    }
}

/// A contrast ratio as people write it: "3.2".
pub fn contrast_ratio_text(ratio: f64) -> String {
    format!("{:.1}", (ratio * 10.0).floor() / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dark_colour_is_taken_and_written_in_full() {
        assert_eq!(
            BrandColour::parse("#1A5C3a").map(|c| c.to_string()),
            Ok("#1a5c3a".to_owned())
        );
        assert_eq!(
            BrandColour::parse("036").map(|c| c.to_string()),
            Ok("#003366".to_owned())
        );
    }

    #[test]
    fn a_light_colour_is_refused_with_its_ratio() {
        // Yellow under white text is all but unreadable: 1.2 to 1 beside the page's cream.
        let Err(BrandColourError::TooLittleContrast { ratio }) = BrandColour::parse("#ffdd00")
        else {
            panic!("yellow was taken");
        };
        assert_eq!(contrast_ratio_text(ratio), "1.2");
        // The software's own orange passes, just.
        assert!(BrandColour::parse("#b3400b").is_ok());
        // Mid grey #777 is the textbook near miss (4.48 to 1 on white).
        assert!(matches!(
            BrandColour::parse("#777777"),
            Err(BrandColourError::TooLittleContrast { .. })
        ));
    }

    #[test]
    fn garbage_is_not_a_colour() {
        for typed in ["red", "#12345", "#gggggg", "rgb(0,0,0)", "#1234567"] {
            assert_eq!(
                BrandColour::parse(typed),
                Err(BrandColourError::Unreadable),
                "{typed}"
            );
        }
    }

    #[test]
    fn names_fall_back_to_another_language_and_short_names_to_names() {
        let organisation = Organisation {
            texts: vec![OrganisationText {
                lang: Lang::Es,
                name: "Comité Mariposa Monarca".to_owned(),
                short_name: String::new(),
                privacy_notice: "Aviso".to_owned(),
            }],
            ..Organisation::default()
        };
        assert_eq!(organisation.name(Lang::Fr), Some("Comité Mariposa Monarca"));
        assert_eq!(
            organisation.short_name(Lang::En),
            Some("Comité Mariposa Monarca")
        );
        assert_eq!(organisation.privacy_notice(Lang::Pt), Some("Aviso"));
        assert_eq!(Organisation::default().name(Lang::Es), None);
    }

    #[test]
    fn every_problem_is_named_at_once() {
        let input = OrganisationInput {
            name_es: "x".repeat(MAX_ORGANISATION_NAME_CHARS + 1),
            reply_to: "not an address".to_owned(),
            privacy_url: "javascript:alert(1)".to_owned(),
            brand_colour: "#eeeeee".to_owned(),
            ..OrganisationInput::default()
        };
        let problems = input.parse().err().unwrap_or_default();
        let fields: Vec<&str> = problems.iter().map(OrganisationProblem::field).collect();
        assert_eq!(
            fields,
            ["name_es", "reply_to", "privacy_url", "brand_colour"]
        );
    }

    #[test]
    fn settings_read_back_as_typed() {
        let input = OrganisationInput {
            name_es: " Centro Prodh ".to_owned(),
            privacy_notice_en: "We hold your data.\r\nWe never sell it.".to_owned(),
            postal_address: "Serapio Rendón 57-B\r\n\r\nCiudad de México".to_owned(),
            brand_colour: "#1A5C3A".to_owned(),
            ..OrganisationInput::default()
        };
        let organisation = input.parse().unwrap_or_default();
        assert_eq!(organisation.name(Lang::Es), Some("Centro Prodh"));
        assert_eq!(
            organisation.postal_lines(),
            ["Serapio Rendón 57-B", "Ciudad de México"]
        );
        assert_eq!(organisation.brand_colour, "#1a5c3a");
        assert_eq!(
            organisation.privacy_notice(Lang::En),
            Some("We hold your data. We never sell it.")
        );
    }
}
