//! What pages show: the view models that handlers fill and the Askama templates that render
//! them. Nothing here reads a request or the database; `routes` hands in what a page needs.
//! The frame every public page shares and its one-message pages are here; the campaign page,
//! the signing form, the kiosk and the staff pages each have their own file.

pub mod assets;
mod campaign;
mod form;
mod kiosk;
mod partner;
pub mod staff;

use std::sync::Arc;

use askama::Template;

use crate::cache::organisation::CurrentOrganisation;
use crate::domain::Lang;
use crate::i18n::Tr;

pub use campaign::*;
pub use form::*;
pub use kiosk::*;
pub use partner::*;

/// What every page's frame needs: the language, the assets, where the page is, so the
/// language switcher can link to the same page in other languages, and the organisation
/// whose page it is.
#[derive(Debug, Clone)]
pub struct Page {
    pub tr: Tr,
    pub stylesheet: &'static str,
    pub icon: &'static str,
    base_url: String,
    path: String,
    organisation: Arc<CurrentOrganisation>,
    /// The languages offered: a campaign's page offers those it has texts in.
    languages: Vec<Lang>,
}

/// The privacy notice as a form shows it.
pub struct PrivacyView {
    pub notice: String,
    pub controller: Option<String>,
    pub link: Option<String>,
}

pub struct LanguageChoice {
    pub code: &'static str,
    pub name: &'static str,
    pub href: String,
    pub current: bool,
}

impl LanguageChoice {
    /// Each of `languages`, a link to the page at `path` in it, as the language switcher of
    /// the public and the staff pages lists them.
    pub fn of(languages: &[Lang], path: &str, current: Lang) -> Vec<Self> {
        languages
            .iter()
            .map(|&lang| Self {
                code: lang.code(),
                name: lang.endonym(),
                href: format!("{path}?lang={}", lang.code()),
                current: lang == current,
            })
            .collect()
    }
}

impl Page {
    pub fn new(tr: Tr, base_url: &str, path: &str, organisation: Arc<CurrentOrganisation>) -> Self {
        Self {
            tr,
            stylesheet: assets::stylesheet(),
            icon: assets::icon(),
            base_url: base_url.to_owned(),
            path: path.to_owned(),
            organisation,
            languages: Lang::ALL.to_vec(),
        }
    }

    /// Offers only `languages`, such as those a campaign has texts in.
    pub fn with_languages(mut self, languages: Vec<Lang>) -> Self {
        if !languages.is_empty() {
            self.languages = languages;
        }
        self
    }

    /// The organisation's name in the page's language; the software's own until it is set.
    pub fn site_name(&self) -> String {
        self.organisation
            .settings
            .name(self.tr.lang())
            .map_or_else(|| self.tr.t("site-name"), str::to_owned)
    }

    /// The short name, for tab titles.
    pub fn short_name(&self) -> String {
        self.organisation
            .settings
            .short_name(self.tr.lang())
            .map_or_else(|| self.tr.t("site-name"), str::to_owned)
    }

    /// The stylesheet of the brand colour, after the main one, when a colour is set.
    pub fn brand_stylesheet(&self) -> Option<String> {
        self.organisation
            .settings
            .brand_colour()
            .map(|_| format!("/organisation.css?v={}", self.organisation.version))
    }

    /// Who holds the supporter's data and what for, beside the consent on every form.
    pub fn privacy(&self) -> PrivacyView {
        let settings = &self.organisation.settings;
        let tr = self.tr;
        PrivacyView {
            notice: settings
                .privacy_notice(tr.lang())
                .map_or_else(|| tr.t("footer-privacy"), str::to_owned),
            controller: settings
                .data_controller()
                .map(|holder| tr.t1("organisation-data-controller", "holder", holder)),
            link: settings.privacy_url().map(str::to_owned),
        }
    }

    /// The footer's lines: the organisation and its address, or the software's own words
    /// until the organisation is set.
    pub fn footer_lines(&self) -> Vec<String> {
        let settings = &self.organisation.settings;
        match settings.name(self.tr.lang()) {
            Some(name) => std::iter::once(name.to_owned())
                .chain(settings.postal_lines().into_iter().map(str::to_owned))
                .collect(),
            None => vec![self.tr.t("footer-powered")],
        }
    }

    /// The script inside the embedded form that tells the partner's page how tall it is.
    pub fn embed_script(&self) -> &'static str {
        assets::frame_height_script()
    }

    /// The script inside the embedded form that focuses its error summary, where browsers
    /// ignore `autofocus`.
    pub fn focus_summary_script(&self) -> &'static str {
        assets::focus_summary_script()
    }

    pub fn alternates(&self) -> Vec<(&'static str, String)> {
        self.languages
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
        LanguageChoice::of(&self.languages, &self.path, self.tr.lang())
    }
}

pub struct Action {
    pub href: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "message.html")]
pub struct MessagePage {
    pub page: Page,
    pub title: String,
    pub paragraphs: Vec<String>,
    pub action: Option<Action>,
    pub share: Option<ShareView>,
}

/// A message inside the partner's iframe, in the compact layout.
#[derive(Template)]
#[template(path = "embed_message.html")]
pub struct EmbedMessagePage {
    pub page: Page,
    pub title: String,
    pub paragraphs: Vec<String>,
    pub action: Option<Action>,
    pub share: Option<ShareView>,
}

impl From<MessagePage> for EmbedMessagePage {
    fn from(message: MessagePage) -> Self {
        Self {
            page: message.page,
            title: message.title,
            paragraphs: message.paragraphs,
            action: message.action,
            share: message.share,
        }
    }
}

#[derive(Template)]
#[template(path = "confirm.html")]
pub struct ConfirmPage {
    pub page: Page,
    pub campaign_title: String,
    pub action: String,
}

#[derive(Template)]
#[template(path = "unsubscribe.html")]
pub struct UnsubscribePage {
    pub page: Page,
    pub action: String,
}

/// The "this wasn't me" page, with its one button.
#[derive(Template)]
#[template(path = "not_me.html")]
pub struct NotMePage {
    pub page: Page,
    pub campaign_title: String,
    pub action: String,
}
