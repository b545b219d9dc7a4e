//! A signature as submitted, and the rules that turn it into one we can store.

use super::{
    Comment, CommentError, Country, EmailError, Lang, NameError, PersonKey, PersonName, PostalCode,
    PostalCodeError, Signals, SignerEmail, Source,
};

/// The version of the privacy and consent wording shown beside the form. It is stored with
/// each signature so that staff can show exactly what a supporter agreed to.
pub const CONSENT_VERSION: &str = "2026-11-23";

/// The version of the online form's consent wording since it asks separately for each
/// organisation that will write ("Keep me informed by …", "… and by <partner>"). Paper
/// sheets and kiosks still show the wording of `CONSENT_VERSION`.
pub const FORM_CONSENT_VERSION: &str = "2026-12-08";

/// The fields of a signature exactly as they arrived, from the HTML form or the JSON API.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default)]
pub struct SignatureInput {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub country: String,
    pub postal_code: String,
    pub email_opt_in: bool,
    /// Consent to hear from the partner whose source brought the signer, apart from ours.
    pub partner_opt_in: bool,
    pub comment: String,
    pub source: String,
}

/// What a campaign decides about its form.
#[derive(Debug, Clone, Copy)]
pub struct FormRules {
    pub campaign_id: i64,
    pub postal_code_required: bool,
}

/// A signature that passed every check; past this point nothing re-validates.
#[derive(Debug, Clone)]
pub struct NewSignature {
    pub campaign_id: i64,
    pub first_name: PersonName,
    pub last_name: PersonName,
    pub email: SignerEmail,
    pub country: Country,
    pub postal_code: Option<PostalCode>,
    pub email_opt_in: bool,
    /// Consent to hear from the partner with the code `source`; meaningless without one.
    pub partner_opt_in: bool,
    pub comment: Option<Comment>,
    pub source: Option<Source>,
    pub lang: Lang,
    /// What the review keeps of where it came from; set by the signing path, not the form.
    pub signals: Signals,
}

/// Which input a problem belongs to, so it can be shown next to that field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    FirstName,
    LastName,
    Email,
    Country,
    PostalCode,
    Comment,
}

impl Field {
    /// The field's name in forms and JSON; messages about a name choose their words by it.
    pub fn name(self) -> &'static str {
        match self {
            Field::FirstName => "first_name",
            Field::LastName => "last_name",
            Field::Email => "email",
            Field::Country => "country",
            Field::PostalCode => "postal_code",
            Field::Comment => "comment",
        }
    }
}

/// One problem with one field, named by the translation key of its message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldError {
    pub field: Field,
    pub message_key: &'static str,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    /// One problem with one field, found after the form parsed.
    pub fn one(field: Field, message_key: &'static str) -> Self {
        Self(vec![FieldError { field, message_key }])
    }

    pub fn get(&self, field: Field) -> Option<&'static str> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message_key)
    }

    pub fn iter(&self) -> impl Iterator<Item = &FieldError> {
        self.0.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn push(&mut self, field: Field, message_key: &'static str) {
        self.0.push(FieldError { field, message_key });
    }
}

/// The person's fields of a signature, each checked the same way wherever people sign. The
/// email is `E`: online it is required, to confirm; in person a volunteer was there, and it
/// is optional.
pub(super) struct SignerFields<E> {
    pub first_name: PersonName,
    pub last_name: PersonName,
    pub email: E,
    pub country: Country,
    pub postal_code: Option<PostalCode>,
    pub comment: Option<Comment>,
}

impl<E> SignerFields<E> {
    pub(super) fn parse(
        input: &SignatureInput,
        rules: FormRules,
        parse_email: impl FnOnce(&str) -> Result<E, EmailError>,
    ) -> Result<SignerFields<E>, FieldErrors> {
        let mut errors = FieldErrors::default();
        let first_name = PersonName::parse(&input.first_name)
            .map_err(|e| errors.push(Field::FirstName, name_message(e)))
            .ok();
        let last_name = PersonName::parse(&input.last_name)
            .map_err(|e| errors.push(Field::LastName, name_message(e)))
            .ok();
        let email = parse_email(&input.email)
            .map_err(|e| {
                errors.push(
                    Field::Email,
                    match e {
                        EmailError::Empty => "error-email-empty",
                        EmailError::Invalid => "error-email-invalid",
                        EmailError::Undeliverable => "error-email-undeliverable",
                    },
                )
            })
            .ok();
        let country = Country::parse(&input.country)
            .map_err(|_| errors.push(Field::Country, "error-country-unknown"))
            .ok();
        let postal_code = country.and_then(|country| {
            PostalCode::parse(&input.postal_code, country, rules.postal_code_required)
                .map_err(|e| {
                    errors.push(
                        Field::PostalCode,
                        match e {
                            PostalCodeError::Missing => "error-postal-code-missing",
                            PostalCodeError::WrongShape => "error-postal-code-shape",
                        },
                    )
                })
                .ok()
        });
        let comment = Comment::parse(&input.comment)
            .map_err(|e| {
                errors.push(
                    Field::Comment,
                    match e {
                        CommentError::TooLong => "error-comment-too-long",
                        CommentError::InvalidCharacters => "error-comment-characters",
                    },
                )
            })
            .ok();

        match (first_name, last_name, email, country, postal_code, comment) {
            (
                Some(first_name),
                Some(last_name),
                Some(email),
                Some(country),
                Some(postal_code),
                Some(comment),
            ) if errors.is_empty() => Ok(SignerFields {
                first_name,
                last_name,
                email,
                country,
                postal_code,
                comment,
            }),
            _ => Err(errors),
        }
    }
}

impl NewSignature {
    /// Checks every field and reports all problems at once, so the supporter can fix them
    /// in one go.
    pub fn parse(
        input: &SignatureInput,
        rules: FormRules,
        lang: Lang,
    ) -> Result<NewSignature, FieldErrors> {
        let fields = SignerFields::parse(input, rules, SignerEmail::parse)?;
        Ok(NewSignature {
            campaign_id: rules.campaign_id,
            first_name: fields.first_name,
            last_name: fields.last_name,
            email: fields.email,
            country: fields.country,
            postal_code: fields.postal_code,
            email_opt_in: input.email_opt_in,
            partner_opt_in: input.partner_opt_in,
            comment: fields.comment,
            source: Source::parse_lenient(&input.source),
            lang,
            signals: Signals::default(),
        })
    }

    /// Who this is by name and place, to recognise them among people who signed in person.
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

fn name_message(error: NameError) -> &'static str {
    match error {
        NameError::Empty => "error-name-empty",
        NameError::TooLong => "error-name-too-long",
        NameError::InvalidCharacters => "error-name-characters",
        NameError::WebAddress => "error-name-web-address",
        NameError::Formula => "error-name-formula",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_input_is_either_refused_or_fully_valid(
            first in "\\PC{0,120}", last in "\\PC{0,120}", email in "\\PC{0,60}|[a-z.+]{1,20}@[a-z]{1,10}\\.org",
            country in "\\PC{0,3}|MX|BR|FR", postal in "\\PC{0,12}|[0-9]{5}", comment in "\\PC{0,1100}",
        ) {
            let input = SignatureInput {
                first_name: first, last_name: last, email, country, postal_code: postal,
                email_opt_in: false, comment, source: String::new(),
                partner_opt_in: false,
            };
            match NewSignature::parse(&input, RULES, Lang::Es) {
                Ok(signature) => {
                    prop_assert!(!signature.first_name.as_str().is_empty());
                    prop_assert!(signature.email.as_str().contains('@'));
                    prop_assert!(signature.comment.as_ref().is_none_or(|c| c.as_str().chars().count() <= 1000));
                }
                Err(errors) => prop_assert!(!errors.is_empty()),
            }
        }
    }

    const RULES: FormRules = FormRules {
        campaign_id: 1,
        postal_code_required: false,
    };

    fn valid() -> SignatureInput {
        SignatureInput {
            first_name: "José Ñúñez".into(),
            last_name: "O'Connor".into(),
            email: "jose@example.org".into(),
            country: "mx".into(),
            postal_code: "39090".into(),
            email_opt_in: false,
            partner_opt_in: false,
            comment: String::new(),
            source: "Centro-Prodh".into(),
        }
    }

    #[test]
    fn a_valid_form_becomes_a_signature() {
        let signature = NewSignature::parse(&valid(), RULES, Lang::Es).expect("valid");
        assert_eq!(signature.country.code(), "MX");
        assert_eq!(signature.full_name(), "José Ñúñez O'Connor");
        assert_eq!(
            signature.source.map(|s| s.as_str().to_owned()),
            Some("centro-prodh".into())
        );
        assert!(signature.comment.is_none());
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let input = SignatureInput {
            first_name: String::new(),
            last_name: "x".repeat(500),
            email: "not an email".into(),
            country: "ZZ".into(),
            ..valid()
        };
        let errors = NewSignature::parse(&input, RULES, Lang::En).expect_err("invalid");
        assert_eq!(errors.get(Field::FirstName), Some("error-name-empty"));
        assert_eq!(errors.get(Field::LastName), Some("error-name-too-long"));
        assert_eq!(errors.get(Field::Email), Some("error-email-invalid"));
        assert_eq!(errors.get(Field::Country), Some("error-country-unknown"));
        assert_eq!(errors.get(Field::PostalCode), None);
    }

    #[test]
    fn implausible_names_and_addresses_are_named_by_their_field() {
        let input = SignatureInput {
            first_name: "Visit https://evil.example/login".into(),
            last_name: "x;=1+1;".into(),
            email: "a@[127.0.0.1]".into(),
            ..valid()
        };
        let errors = NewSignature::parse(&input, RULES, Lang::Es).expect_err("invalid");
        assert_eq!(errors.get(Field::FirstName), Some("error-name-web-address"));
        assert_eq!(errors.get(Field::LastName), Some("error-name-formula"));
        assert_eq!(errors.get(Field::Email), Some("error-email-undeliverable"));
    }

    #[test]
    fn a_required_postal_code_must_be_given() {
        let input = SignatureInput {
            postal_code: String::new(),
            ..valid()
        };
        let rules = FormRules {
            postal_code_required: true,
            ..RULES
        };
        let errors = NewSignature::parse(&input, rules, Lang::Es).expect_err("missing");
        assert_eq!(
            errors.get(Field::PostalCode),
            Some("error-postal-code-missing")
        );
    }
}
