//! The pages beside the campaigns: API tokens, partners, erasure and the audit log.

use askama::Template;

use super::AdminPage;
use crate::db::api_tokens::ApiToken;
use crate::db::audit::AuditEntry;
use crate::db::partner_links::PartnerLink;
use crate::db::partners::Partner;

#[derive(Template)]
#[template(path = "admin/tokens.html")]
pub struct TokensPage {
    pub page: AdminPage,
    pub tokens: Vec<ApiToken>,
    pub partners: Vec<Partner>,
    /// A token just created, shown this once.
    pub new_token: Option<(String, String)>,
    pub error: Option<String>,
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
