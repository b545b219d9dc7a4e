//! The organisation's settings page.

use askama::Template;

use super::AdminPage;
use crate::domain::{Lang, OrganisationInput};

/// One language's fields of the settings form.
pub struct OrganisationLanguageFields {
    pub code: &'static str,
    pub name: &'static str,
    pub org_name: String,
    pub short_name: String,
    pub privacy_notice: String,
}

#[derive(Template)]
#[template(path = "admin/organisation.html")]
pub struct OrganisationPage {
    pub page: AdminPage,
    pub input: OrganisationInput,
    /// Each problem with what was sent, as a sentence, with the field it is about.
    pub errors: Vec<(String, String)>,
    pub saved: bool,
}

impl OrganisationPage {
    pub fn languages(&self) -> Vec<OrganisationLanguageFields> {
        Lang::ALL
            .iter()
            .map(|&lang| {
                let (org_name, short_name, privacy_notice) = self.input.text(lang);
                OrganisationLanguageFields {
                    code: lang.code(),
                    name: lang.endonym(),
                    org_name: org_name.to_owned(),
                    short_name: short_name.to_owned(),
                    privacy_notice: privacy_notice.to_owned(),
                }
            })
            .collect()
    }

    pub fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, message)| message.as_str())
    }
}
