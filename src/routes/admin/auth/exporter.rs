//! Who may download an export: a signed-in member of staff, or a bearer token held by a
//! script that fetches exports on a schedule.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header::{AUTHORIZATION, WWW_AUTHENTICATE};
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};
use chrono::Utc;

use super::session::{StaffSession, current_session};
use crate::db::api_tokens;
use crate::domain::{HashedToken, Lang};
use crate::i18n::Tr;
use crate::routes::{AppState, negotiate_lang};

/// Who may download an export: a signed-in member of staff, or an API token.
pub enum Exporter {
    Staff(StaffSession),
    Token {
        name: String,
        source: Option<String>,
    },
}

impl Exporter {
    pub fn actor(&self) -> String {
        match self {
            Exporter::Staff(session) => session.actor(),
            Exporter::Token { name, .. } => format!("token:{name}"),
        }
    }

    /// The language of messages about a bad request: the staff member's, or English for
    /// the scripts that hold tokens.
    pub fn tr(&self) -> Tr {
        match self {
            Exporter::Staff(session) => session.tr(),
            Exporter::Token { .. } => Tr(Lang::En),
        }
    }

    /// The only source a partner's token may see; `None` sees everything.
    pub fn source_scope(&self) -> Option<&str> {
        match self {
            Exporter::Token {
                source: Some(source),
                ..
            } => Some(source),
            _ => None,
        }
    }
}

fn unauthorized(message: String) -> actix_web::Error {
    actix_web::error::InternalError::from_response(
        "export refused",
        HttpResponse::Unauthorized()
            .insert_header((WWW_AUTHENTICATE, "Bearer realm=\"mariposa\""))
            .content_type("text/plain; charset=utf-8")
            .body(message),
    )
    .into()
}

impl FromRequest for Exporter {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let Some(state) = req.app_data::<web::Data<AppState>>() else {
                return Err(unauthorized("Sign in, or send an API token.".to_owned()));
            };
            let bearer = req
                .headers()
                .get(AUTHORIZATION)
                .and_then(|value| value.to_str().ok())
                .and_then(|value| value.strip_prefix("Bearer "))
                .map(str::trim);
            if let Some(presented) = bearer {
                let hash = HashedToken::of(presented);
                let now = Utc::now().naive_utc();
                let found = state
                    .db
                    .run(move |conn| api_tokens::authenticate(conn, &hash, now))
                    .await
                    .map_err(actix_web::error::ErrorServiceUnavailable)?;
                return match found {
                    Some(token) => Ok(Exporter::Token {
                        name: token.name,
                        source: token.source,
                    }),
                    None => Err(unauthorized(
                        "This API token is not valid or was revoked.".to_owned(),
                    )),
                };
            }
            match current_session(state, &req).await {
                Ok(Some(session)) => Ok(Exporter::Staff(session)),
                // Most likely a member of staff whose session ended, following an export link.
                Ok(None) => Err(unauthorized(
                    Tr(negotiate_lang(&req, None)).t("admin-export-sign-in"),
                )),
                Err(error) => Err(actix_web::error::ErrorServiceUnavailable(error)),
            }
        })
    }
}
