//! View models and templates of the staff pages: the frame and messages here, each page
//! family in its own file.

mod campaigns;
mod dashboard;
mod kiosks;
mod organisation;
mod paper;
mod review;
mod tools;
mod updates;

use askama::Template;

use crate::domain::{Permission, Role, StaffAccess};
use crate::i18n::Tr;
use crate::pages::LanguageChoice;

pub use campaigns::*;
pub use dashboard::*;
pub use kiosks::*;
pub use organisation::*;
pub use paper::*;
pub use review::*;
pub use tools::*;
pub use updates::*;

/// The message key of a role's name, as staff pages show it.
pub fn role_key(role: Role) -> &'static str {
    match role {
        Role::Owner => "admin-role-owner",
        Role::Campaigner => "admin-role-campaigner",
        Role::DataEntry => "admin-role-data-entry",
        Role::Viewer => "admin-role-viewer",
    }
}

#[derive(Clone)]
pub struct AdminPage {
    pub tr: Tr,
    pub stylesheet: &'static str,
    pub icon: &'static str,
    pub path: String,
    /// Set when someone is signed in: their email and the token their forms carry.
    pub staff_email: Option<String>,
    pub csrf_token: String,
    /// What the signed-in member of staff may do, so the page offers nothing else. Boxed,
    /// as every staff error carries a page and stays small enough to return.
    pub access: Option<Box<StaffAccess>>,
}

impl AdminPage {
    /// Whether the reader may do `permission`: the page shows the link or form only then.
    pub fn may(&self, permission: Permission) -> bool {
        self.access
            .as_ref()
            .is_some_and(|access| access.may(permission, None))
    }

    pub fn is_current(&self, prefix: &str) -> bool {
        self.path.starts_with(prefix)
    }

    /// The languages staff pages come in. Signed-in staff send their choice to their
    /// account; before sign-in each is a link to this page in that language.
    pub fn language_choices(&self) -> Vec<LanguageChoice> {
        LanguageChoice::of(&crate::domain::Lang::ALL, &self.path, self.tr.lang())
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

/// A step before an action that cannot be undone: what will happen, with the number, and
/// a button that does it; the way back does nothing.
#[derive(Template)]
#[template(path = "admin/confirm.html")]
pub struct ConfirmActionPage {
    pub page: AdminPage,
    pub heading: String,
    /// The consequence, with its number ("It will go to 12,480 people").
    pub consequence: String,
    pub details: Vec<String>,
    pub action: String,
    /// Fields the form carries on, besides `confirm=yes` and the CSRF token.
    pub hidden: Vec<(&'static str, String)>,
    pub button: String,
    pub back: String,
    pub back_label: String,
}
