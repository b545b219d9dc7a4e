//! Signatures given in person: on a paper sheet at a table, or on a kiosk tablet. A volunteer
//! was there, so they count without a confirmation email, and the email is optional.

use icu_normalizer::DecomposingNormalizerBorrowed;

use super::signature::SignerFields;
use super::{
    Country, EmailError, FieldErrors, FormRules, Lang, PersonName, PostalCode, SignatureInput,
    SignedAt, SignerEmail, Source,
};

/// Where a signature was given. Stored with each signature, so counts and exports can tell
/// online signers from the ones who signed in person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Channel {
    Online,
    Paper,
    Kiosk,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Online => "online",
            Channel::Paper => "paper",
            Channel::Kiosk => "kiosk",
        }
    }

    pub fn parse(raw: &str) -> Option<Channel> {
        match raw {
            "online" => Some(Channel::Online),
            "paper" => Some(Channel::Paper),
            "kiosk" => Some(Channel::Kiosk),
            _ => None,
        }
    }

    pub fn is_in_person(self) -> bool {
        self != Channel::Online
    }
}

/// One person, as far as names can tell without an email: the full name with case, accents,
/// spacing and punctuation folded, with the postal code and the country. "José Pérez-Luna"
/// typed from a sheet and "jose perez luna" typed online are one person.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PersonKey(String);

impl PersonKey {
    pub fn of(
        first: &PersonName,
        last: &PersonName,
        postal_code: Option<&PostalCode>,
        country: &Country,
    ) -> PersonKey {
        let name = fold(&format!("{} {}", first.as_str(), last.as_str()));
        let postal: String = postal_code
            .map(|p| p.as_str())
            .unwrap_or_default()
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_uppercase)
            .collect();
        PersonKey(format!("{name}|{postal}|{}", country.code()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Lower case, accents taken off (canonical decomposition, then the combining marks dropped),
/// and every run of spaces, hyphens or other punctuation made one space. Letters of other
/// scripts stay as they are.
pub(super) fn fold(name: &str) -> String {
    let decomposed = DecomposingNormalizerBorrowed::new_nfkd().normalize(name);
    let mut folded = String::with_capacity(decomposed.len());
    let mut gap = false;
    for c in decomposed.chars() {
        if is_combining_mark(c) {
            continue;
        }
        if c.is_alphanumeric() {
            if gap && !folded.is_empty() {
                folded.push(' ');
            }
            gap = false;
            folded.extend(c.to_lowercase());
        } else {
            gap = true;
        }
    }
    folded
}

/// The combining marks that Latin, Greek and Cyrillic accents decompose into. Marks of
/// other scripts are part of their letters and stay.
fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

/// The event an in-person signature belongs to, and how it was taken there.
#[derive(Debug, Clone)]
pub struct InPersonPlace {
    pub event_id: i64,
    pub channel: Channel,
    pub source: Option<Source>,
}

/// An in-person signature that passed every check.
#[derive(Debug, Clone)]
pub struct InPersonSignature {
    pub campaign_id: i64,
    pub event_id: i64,
    pub channel: Channel,
    pub first_name: PersonName,
    pub last_name: PersonName,
    pub email: Option<SignerEmail>,
    pub country: Country,
    pub postal_code: Option<PostalCode>,
    /// Only ever true with an email: there is nobody to write to otherwise.
    pub email_opt_in: bool,
    pub source: Option<Source>,
    pub lang: Lang,
    pub signed_at: SignedAt,
}

impl InPersonSignature {
    /// Checks each field as the online form does, except that the email may be left empty.
    /// The comment and the source typed in are not used: the event names the source.
    pub fn parse(
        input: &SignatureInput,
        rules: FormRules,
        place: InPersonPlace,
        lang: Lang,
        signed_at: SignedAt,
    ) -> Result<InPersonSignature, FieldErrors> {
        let without_comment = SignatureInput {
            comment: String::new(),
            ..input.clone()
        };
        let fields =
            SignerFields::parse(&without_comment, rules, |raw| {
                match SignerEmail::parse(raw) {
                    Ok(email) => Ok(Some(email)),
                    Err(EmailError::Empty) => Ok(None),
                    Err(e) => Err(e),
                }
            })?;
        Ok(InPersonSignature {
            campaign_id: rules.campaign_id,
            event_id: place.event_id,
            channel: place.channel,
            email_opt_in: input.email_opt_in && fields.email.is_some(),
            first_name: fields.first_name,
            last_name: fields.last_name,
            email: fields.email,
            country: fields.country,
            postal_code: fields.postal_code,
            source: place.source,
            lang,
            signed_at,
        })
    }

    pub fn person_key(&self) -> PersonKey {
        PersonKey::of(
            &self.first_name,
            &self.last_name,
            self.postal_code.as_ref(),
            &self.country,
        )
    }

    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name.as_str(), self.last_name.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULES: FormRules = FormRules {
        campaign_id: 7,
        postal_code_required: false,
    };

    fn place() -> InPersonPlace {
        InPersonPlace {
            event_id: 3,
            channel: Channel::Paper,
            source: Source::parse_lenient("paper-zocalo"),
        }
    }

    fn input(first: &str, last: &str, email: &str) -> SignatureInput {
        SignatureInput {
            first_name: first.into(),
            last_name: last.into(),
            email: email.into(),
            country: "MX".into(),
            postal_code: "39090".into(),
            email_opt_in: true,
            partner_opt_in: false,
            comment: String::new(),
            source: "someone-else".into(),
        }
    }

    fn parse(input: &SignatureInput) -> Result<InPersonSignature, FieldErrors> {
        let now = chrono::DateTime::from_timestamp(1_790_000_000, 0)
            .map(|t| t.naive_utc())
            .unwrap_or_default();
        InPersonSignature::parse(input, RULES, place(), Lang::Es, SignedAt::received(now))
    }

    #[test]
    fn a_sheet_row_without_email_is_a_signature_that_cannot_be_mailed() {
        let signature = parse(&input("Ana", "López", "")).expect("valid");
        assert!(signature.email.is_none());
        assert!(!signature.email_opt_in, "nobody to write to");
        assert_eq!(
            signature.source.map(|s| s.as_str().to_owned()),
            Some("paper-zocalo".into()),
            "the event's source, not the one typed"
        );
    }

    #[test]
    fn a_wrong_email_is_still_refused() {
        let errors = parse(&input("Ana", "López", "ana@")).expect_err("invalid");
        assert_eq!(
            errors.get(super::super::Field::Email),
            Some("error-email-invalid")
        );
    }

    #[test]
    fn accents_case_spacing_and_hyphens_do_not_make_another_person() {
        let typed = parse(&input("José", "Pérez-Luna", "")).expect("valid");
        let online = parse(&input("  jose ", "PEREZ  luna", "")).expect("valid");
        assert_eq!(typed.person_key(), online.person_key());
        assert_eq!(typed.person_key().as_str(), "jose perez luna|39090|MX");
    }

    #[test]
    fn another_postal_code_or_name_is_another_person() {
        let one = parse(&input("Ana", "López", "")).expect("valid");
        let mut elsewhere = input("Ana", "López", "");
        elsewhere.postal_code = "06700".into();
        let elsewhere = parse(&elsewhere).expect("valid");
        let sister = parse(&input("Eva", "López", "")).expect("valid");
        assert_ne!(one.person_key(), elsewhere.person_key());
        assert_ne!(one.person_key(), sister.person_key());
    }

    #[test]
    fn names_in_other_scripts_keep_their_letters() {
        let first = PersonName::parse("Nguyễn").expect("name");
        let last = PersonName::parse("Łukasz 王").expect("name");
        let country = Country::parse("FR").expect("country");
        let key = PersonKey::of(&first, &last, None, &country);
        assert_eq!(key.as_str(), "nguyen łukasz 王||FR");
    }
}
