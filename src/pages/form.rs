//! The signing form as the campaign page, the embedded form and the kiosk show it.

use crate::domain::{Field, FieldErrors, SignatureInput};
use crate::i18n::{self, CountryName, Tr};

pub struct ErrorView {
    pub field: &'static str,
    pub message: String,
}

pub struct FieldView {
    pub name: &'static str,
    pub label: String,
    /// Shown between the label and any error, as the GOV.UK Design System orders them.
    pub hint: Option<String>,
    pub error: Option<String>,
    pub optional: bool,
    pub described_by: Option<String>,
}

/// The signing form with what the supporter typed, any problems, and a fresh token.
pub struct FormView {
    pub action: String,
    pub csrf_token: String,
    pub values: SignatureInput,
    pub errors: Vec<ErrorView>,
    pub notice: Option<String>,
    pub countries: &'static [CountryName],
    pub postal_code_required: bool,
    /// The label of the box that agrees to hear from the organisation.
    pub organisation_opt_in: String,
    /// The label of the box that agrees to hear from the partner whose page or link this
    /// is; no box without one.
    pub partner_opt_in: Option<String>,
    tr: Tr,
}

/// The fields in the order the form shows them, which is the order of the error summary.
const FIELDS: [Field; 6] = [
    Field::FirstName,
    Field::LastName,
    Field::Email,
    Field::Country,
    Field::PostalCode,
    Field::Comment,
];

impl FormView {
    pub fn new(
        tr: Tr,
        action: String,
        csrf_token: String,
        values: SignatureInput,
        errors: &FieldErrors,
        postal_code_required: bool,
    ) -> Self {
        let errors = FIELDS
            .iter()
            .filter_map(|&field| {
                errors.get(field).map(|key| ErrorView {
                    field: field.name(),
                    message: tr.field_error(key, field.name()),
                })
            })
            .collect();
        Self {
            action,
            csrf_token,
            values,
            errors,
            notice: None,
            countries: i18n::countries(tr.lang()),
            postal_code_required,
            organisation_opt_in: tr.t("form-opt-in"),
            partner_opt_in: None,
            tr,
        }
    }

    /// Names who will write, each in a box of its own: the organisation (once its name is
    /// set) and the partner that brought the signer, if one did.
    pub fn with_consents(mut self, organisation: Option<&str>, partner: Option<&str>) -> Self {
        if let Some(name) = organisation {
            self.organisation_opt_in = self.tr.t1("form-opt-in-by", "organisation", name);
        }
        self.partner_opt_in =
            partner.map(|name| self.tr.t1("form-opt-in-partner", "partner", name));
        self
    }

    pub fn with_notice(mut self, notice: String) -> Self {
        self.notice = Some(notice);
        self
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    pub fn field(&self, name: &'static str) -> FieldView {
        let error = self
            .errors
            .iter()
            .find(|e| e.field == name)
            .map(|e| e.message.clone());
        let (label_key, optional, hint_key) = match name {
            "first_name" => ("form-first-name", false, None),
            "last_name" => ("form-last-name", false, None),
            "email" => ("form-email", false, Some("form-email-hint")),
            "country" => ("form-country", false, None),
            "postal_code" => ("form-postal-code", !self.postal_code_required, None),
            _ => ("form-comment", true, Some("form-comment-hint")),
        };
        let mut described_by: Vec<String> = Vec::new();
        if hint_key.is_some() {
            described_by.push(format!("{name}-hint"));
        }
        if error.is_some() {
            described_by.push(format!("{name}-error"));
        }
        FieldView {
            name,
            label: self.tr.t(label_key),
            hint: hint_key.map(|key| self.tr.t(key)),
            error,
            optional,
            described_by: (!described_by.is_empty()).then(|| described_by.join(" ")),
        }
    }
}
