//! What pages show: view models filled by handlers and the Askama templates that render them.

use std::sync::LazyLock;

use askama::Template;

use crate::db::campaigns::CampaignWithTexts;
use crate::domain::{Country, Field, FieldErrors, Lang, SignatureInput};
use crate::i18n::Tr;
use crate::routes::assets;

/// What every page's frame needs: the language, the assets, and where the page is, so the
/// language switcher can link to the same page in other languages.
#[derive(Debug, Clone)]
pub struct Page {
    pub tr: Tr,
    pub stylesheet: &'static str,
    pub icon: &'static str,
    base_url: String,
    path: String,
}

pub struct LanguageChoice {
    pub code: &'static str,
    pub name: &'static str,
    pub href: String,
    pub current: bool,
}

impl Page {
    pub fn new(tr: Tr, base_url: &str, path: &str) -> Self {
        Self {
            tr,
            stylesheet: assets::stylesheet(),
            icon: assets::icon(),
            base_url: base_url.to_owned(),
            path: path.to_owned(),
        }
    }

    pub fn alternates(&self) -> Vec<(&'static str, String)> {
        Lang::ALL
            .iter()
            .map(|lang| {
                (
                    lang.code(),
                    format!("{}{}?lang={}", self.base_url, self.path, lang.code()),
                )
            })
            .collect()
    }

    pub fn language_choices(&self) -> Vec<LanguageChoice> {
        Lang::ALL
            .iter()
            .map(|&lang| LanguageChoice {
                code: lang.code(),
                name: lang.endonym(),
                href: format!("{}?lang={}", self.path, lang.code()),
                current: lang == self.tr.lang(),
            })
            .collect()
    }
}

/// A campaign as a supporter sees it, in one language.
pub struct CampaignView {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub paragraphs: Vec<String>,
    pub href: String,
    pub count: String,
    pub count_label: String,
    pub goal: String,
    pub count_value: i64,
    pub goal_value: i64,
}

impl CampaignView {
    pub fn new(campaign: &CampaignWithTexts, count: i64, tr: Tr) -> Self {
        let (title, summary, body) = campaign
            .text(tr.lang())
            .map(|t| (t.title.clone(), t.summary.clone(), t.body.as_str()))
            .unwrap_or_else(|| (campaign.campaign.slug.clone(), String::new(), ""));
        let goal = campaign.campaign.goal.max(1);
        Self {
            slug: campaign.campaign.slug.clone(),
            href: format!(
                "/campaigns/{}?lang={}",
                campaign.campaign.slug,
                tr.lang().code()
            ),
            title,
            summary,
            paragraphs: paragraphs(body),
            count: tr.number(count),
            count_label: tr.plural("campaign-signatures", count),
            goal: tr.t1("campaign-goal", "goal", &tr.number(goal)),
            count_value: count.min(goal),
            goal_value: goal,
        }
    }
}

/// Campaign texts are plain text; a blank line starts a new paragraph.
fn paragraphs(body: &str) -> Vec<String> {
    body.replace("\r\n", "\n")
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

pub struct CountryOption {
    pub code: &'static str,
    pub name: &'static str,
}

static COUNTRIES: LazyLock<Vec<CountryOption>> = LazyLock::new(|| {
    let mut countries: Vec<_> = Country::all()
        .map(|c| CountryOption {
            code: c.code(),
            name: c.english_name(),
        })
        .collect();
    countries.sort_by_key(|c| c.name);
    countries
});

/// Every country, sorted by name, for a country menu.
pub fn countries() -> &'static [CountryOption] {
    &COUNTRIES
}

pub struct ErrorView {
    pub field: &'static str,
    pub message: String,
}

pub struct FieldView {
    pub name: &'static str,
    pub label: String,
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
    pub countries: &'static [CountryOption],
    pub postal_code_required: bool,
    tr: Tr,
}

const FIELDS: [(Field, &str); 6] = [
    (Field::FirstName, "first_name"),
    (Field::LastName, "last_name"),
    (Field::Email, "email"),
    (Field::Country, "country"),
    (Field::PostalCode, "postal_code"),
    (Field::Comment, "comment"),
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
            .filter_map(|(field, name)| {
                errors.get(*field).map(|key| ErrorView {
                    field: name,
                    message: tr.t(key),
                })
            })
            .collect();
        Self {
            action,
            csrf_token,
            values,
            errors,
            notice: None,
            countries: &COUNTRIES,
            postal_code_required,
            tr,
        }
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
        let (label_key, optional, hint) = match name {
            "first_name" => ("form-first-name", false, false),
            "last_name" => ("form-last-name", false, false),
            "email" => ("form-email", false, true),
            "country" => ("form-country", false, false),
            "postal_code" => ("form-postal-code", !self.postal_code_required, false),
            _ => ("form-comment", true, true),
        };
        let mut described_by: Vec<String> = Vec::new();
        if hint {
            described_by.push(format!("{name}-hint"));
        }
        if error.is_some() {
            described_by.push(format!("{name}-error"));
        }
        FieldView {
            name,
            label: self.tr.t(label_key),
            error,
            optional,
            described_by: (!described_by.is_empty()).then(|| described_by.join(" ")),
        }
    }
}

pub struct Action {
    pub href: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "index.html")]
pub struct IndexPage {
    pub page: Page,
    pub campaigns: Vec<CampaignView>,
}

#[derive(Template)]
#[template(path = "campaign.html")]
pub struct CampaignPage {
    pub page: Page,
    pub campaign: CampaignView,
    pub form: Option<FormView>,
}

#[derive(Template)]
#[template(path = "message.html")]
pub struct MessagePage {
    pub page: Page,
    pub title: String,
    pub paragraphs: Vec<String>,
    pub action: Option<Action>,
}

#[derive(Template)]
#[template(path = "confirm.html")]
pub struct ConfirmPage {
    pub page: Page,
    pub campaign_title: String,
    pub action: String,
    pub script: &'static str,
}

#[derive(Template)]
#[template(path = "thanks.html")]
pub struct ThanksPage {
    pub page: Page,
    pub campaign: CampaignView,
    pub share_links: Vec<Action>,
    pub share_url: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_lines_separate_paragraphs() {
        assert_eq!(
            paragraphs("One\nstill one.\r\n\r\nTwo.\n\n\n\nThree."),
            vec!["One\nstill one.", "Two.", "Three."]
        );
        assert!(paragraphs("").is_empty());
    }
}
