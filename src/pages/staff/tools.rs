//! The pages beside the campaigns: API tokens, partners, staff, erasure and the audit log.

use askama::Template;
use chrono::NaiveDateTime;

use super::{AdminPage, role_key};
use crate::db::api_tokens::ApiToken;
use crate::db::audit::AuditEntry;
use crate::db::partner_links::PartnerLink;
use crate::db::partners::Partner;
use crate::domain::Role;

#[derive(Template)]
#[template(path = "admin/tokens.html")]
pub struct TokensPage {
    pub page: AdminPage,
    pub tokens: Vec<ApiToken>,
    pub partners: Vec<Partner>,
    /// The roles the reader may give a token: none above their own.
    pub roles: Vec<Role>,
    /// A token just created, shown this once.
    pub new_token: Option<(String, String)>,
    pub error: Option<String>,
}

impl TokensPage {
    /// The name of a role in the reader's language.
    pub fn role_name(&self, role: &Role) -> String {
        self.page.tr.t(role_key(*role))
    }
}

#[derive(Template)]
#[template(path = "admin/partners.html")]
pub struct PartnersPage {
    pub page: AdminPage,
    pub partners: Vec<Partner>,
    /// Links to partners' own pages, live and revoked; never their tokens.
    pub links: Vec<PartnerLink>,
    /// A link just created, with its partner's id, shown this once.
    pub new_link: Option<(i64, String)>,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/erase.html")]
pub struct ErasePage {
    pub page: AdminPage,
    pub campaigns: Vec<(String, String)>,
    pub email: String,
    pub outcome: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
pub struct AuditPage {
    pub page: AdminPage,
    pub entries: Vec<AuditEntry>,
    pub older: Option<i64>,
}

/// One staff account as the staff page lists it.
pub struct StaffRow {
    pub id: i64,
    pub email: String,
    pub role: Role,
    /// The slugs it is limited to, comma-separated; empty for every campaign.
    pub campaigns: String,
    pub last_login_at: Option<NaiveDateTime>,
}

#[derive(Template)]
#[template(path = "admin/staff.html")]
pub struct StaffPage {
    pub page: AdminPage,
    pub members: Vec<StaffRow>,
    pub roles: [Role; 4],
    pub error: Option<String>,
}

impl StaffPage {
    /// The name of a role in the reader's language.
    pub fn role_name(&self, role: &Role) -> String {
        self.page.tr.t(role_key(*role))
    }
}
