//! View models and templates of the staff pages: the frame and messages here, each page
//! family in its own file.

mod campaigns;
mod dashboard;
mod kiosks;
mod paper;
mod tools;
mod updates;

use askama::Template;

use crate::i18n::Tr;
use crate::pages::LanguageChoice;

pub use campaigns::*;
pub use dashboard::*;
pub use kiosks::*;
pub use paper::*;
pub use tools::*;
pub use updates::*;

#[derive(Clone)]
pub struct AdminPage {
    pub tr: Tr,
    pub stylesheet: &'static str,
    pub icon: &'static str,
    pub path: String,
    /// Set when someone is signed in: their email and the token their forms carry.
    pub staff_email: Option<String>,
    pub csrf_token: String,
}

impl AdminPage {
    pub fn is_current(&self, prefix: &str) -> bool {
        self.path.starts_with(prefix)
    }

    /// The languages staff pages come in. Signed-in staff send their choice to their
    /// account; before sign-in each is a link to this page in that language.
    pub fn language_choices(&self) -> Vec<LanguageChoice> {
        LanguageChoice::all(&self.path, self.tr.lang())
    }
}

#[derive(Template)]
#[template(path = "admin/login.html")]
pub struct LoginPage {
    pub page: AdminPage,
    pub email: String,
    pub csrf_token: String,
    pub error: Option<String>,
}

/// A staff page with one message, such as why a form was refused.
#[derive(Template)]
#[template(path = "admin/message.html")]
pub struct StaffMessagePage {
    pub page: AdminPage,
    pub title: String,
    pub body: String,
}
