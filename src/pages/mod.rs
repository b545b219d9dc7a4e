//! What pages show: the view models that handlers fill and the Askama templates that render
//! them. Nothing here reads a request or the database; `routes` hands in what a page needs.
//! The frame every public page shares and its one-message pages are here; the campaign page,
//! the signing form, the kiosk and the staff pages each have their own file.

pub mod assets;
mod campaign;
mod form;
mod kiosk;
pub mod staff;

use askama::Template;

use crate::domain::Lang;
use crate::i18n::Tr;

pub use campaign::*;
pub use form::*;
pub use kiosk::*;

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

impl LanguageChoice {
    /// Every language the pages come in, each a link to the page at `path` in it, as the
    /// language switcher of the public and the staff pages lists them.
    pub fn all(path: &str, current: Lang) -> Vec<Self> {
        Lang::ALL
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
    pub fn new(tr: Tr, base_url: &str, path: &str) -> Self {
        Self {
            tr,
            stylesheet: assets::stylesheet(),
            icon: assets::icon(),
            base_url: base_url.to_owned(),
            path: path.to_owned(),
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
        LanguageChoice::all(&self.path, self.tr.lang())
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
