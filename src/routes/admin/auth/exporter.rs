//! Who may download an export: a signed-in member of staff, or a bearer token held by a
//! script that fetches exports on a schedule. The gate in front of the route checked either.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest};

use super::super::access::{TokenHolder, unauthorized};
use super::session::StaffSession;
use crate::domain::Lang;
use crate::i18n::Tr;
use crate::routes::negotiate_lang;

/// Who may download an export: a signed-in member of staff, or an API token.
pub enum Exporter {
    Staff(StaffSession),
    Token(TokenHolder),
}

impl Exporter {
    pub fn actor(&self) -> String {
        match self {
            Exporter::Staff(session) => session.actor(),
            Exporter::Token(token) => format!("token:{}", token.name),
        }
    }

    /// The language of messages about a bad request: the staff member's, or English for
    /// the scripts that hold tokens.
    pub fn tr(&self) -> Tr {
        match self {
            Exporter::Staff(session) => session.tr(),
            Exporter::Token(_) => Tr(Lang::En),
        }
    }

    /// The only source a partner's token may see; `None` sees everything.
    pub fn source_scope(&self) -> Option<&str> {
        match self {
            Exporter::Token(token) => token.source.as_deref(),
            Exporter::Staff(_) => None,
        }
    }
}

impl FromRequest for Exporter {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let extensions = req.extensions();
        let found = match (
            extensions.get::<TokenHolder>(),
            extensions.get::<StaffSession>(),
        ) {
            (Some(token), _) => Ok(Exporter::Token(token.clone())),
            (None, Some(session)) => Ok(Exporter::Staff(session.clone())),
            (None, None) => {
                let message = Tr(negotiate_lang(req, None)).t("admin-export-sign-in");
                Err(actix_web::error::InternalError::from_response(
                    "export refused",
                    unauthorized(message),
                )
                .into())
            }
        };
        ready(found)
    }
}
