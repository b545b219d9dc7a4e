//! What a staff page answers when it cannot do what was asked: the one error type of the
//! staff handlers, so that they read as the public ones do, with `?`.

use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, HeaderValue, LOCATION, RETRY_AFTER};
use actix_web::{HttpResponse, ResponseError};

use crate::domain::Role;
use crate::pages::staff::{AdminPage, StaffMessagePage, role_key};
use crate::routes::render;

/// Each case carries the frame of the page it is answered on, in the staff member's language.
pub enum StaffError {
    /// No session, or it ended: the sign-in page.
    SignIn,
    /// A form without its session's CSRF token.
    Refused(AdminPage),
    /// A route the member of staff's role (or campaigns) does not reach.
    Forbidden(AdminPage, Role),
    /// No such campaign (or update, or kiosk) as the path names; the message key says which.
    NotFound(AdminPage, &'static str),
    /// Bad input: the form again, as the handler rendered it, with what was wrong.
    Invalid(StatusCode, Result<String, askama::Error>),
    /// The database (or the system's randomness) did not answer.
    Unavailable(AdminPage, anyhow::Error),
}

impl StaffError {
    /// The form again, with `status` (422 for what was typed, 409 for a conflict).
    pub fn invalid(status: StatusCode, page: &impl askama::Template) -> Self {
        Self::Invalid(status, page.render())
    }

    pub fn unavailable(page: AdminPage, cause: impl Into<anyhow::Error>) -> Self {
        Self::Unavailable(page, cause.into())
    }
}

impl std::fmt::Debug for StaffError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::SignIn => f.write_str("sign-in required"),
            Self::Refused(_) => f.write_str("staff form refused"),
            Self::Forbidden(_, role) => write!(f, "not allowed to a {}", role.code()),
            Self::NotFound(_, key) => write!(f, "not found: {key}"),
            Self::Invalid(status, _) => write!(f, "form refused with {status}"),
            Self::Unavailable(_, cause) => write!(f, "unavailable: {cause:#}"),
        }
    }
}

impl std::fmt::Display for StaffError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self, f)
    }
}

impl ResponseError for StaffError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::SignIn => StatusCode::SEE_OTHER,
            Self::Refused(_) | Self::Forbidden(..) => StatusCode::FORBIDDEN,
            Self::NotFound(..) => StatusCode::NOT_FOUND,
            Self::Invalid(status, _) => *status,
            Self::Unavailable(..) => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            Self::SignIn => HttpResponse::SeeOther()
                .insert_header((LOCATION, "/admin/login"))
                .finish(),
            Self::Refused(page) => message(
                StatusCode::FORBIDDEN,
                page,
                "admin-cross-site-title",
                "admin-csrf-refused",
            ),
            Self::Forbidden(page, role) => render(
                StatusCode::FORBIDDEN,
                &StaffMessagePage {
                    page: page.clone(),
                    title: page.tr.t("admin-forbidden-title"),
                    body: page
                        .tr
                        .t1("admin-forbidden-body", "role", &page.tr.t(role_key(*role))),
                },
            ),
            Self::NotFound(page, key) => {
                message(StatusCode::NOT_FOUND, page, "not-found-title", key)
            }
            Self::Invalid(status, Ok(body)) => crate::routes::html(*status).body(body.clone()),
            Self::Invalid(_, Err(error)) => crate::routes::unrenderable(error),
            Self::Unavailable(page, cause) => {
                tracing::error!(error = ?cause, "a staff page could not reach the database");
                unavailable_response(page)
            }
        }
    }
}

/// The page saying the database is not answering, to be tried again in a moment. Nothing
/// on it may be kept: the next try should reach the server.
pub fn unavailable_response(page: &AdminPage) -> HttpResponse {
    let mut response = message(
        StatusCode::SERVICE_UNAVAILABLE,
        page,
        "error-title",
        "admin-unavailable",
    );
    let headers = response.headers_mut();
    headers.insert(RETRY_AFTER, HeaderValue::from_static("5"));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn message(status: StatusCode, page: &AdminPage, title_key: &str, body_key: &str) -> HttpResponse {
    render(
        status,
        &StaffMessagePage {
            page: page.clone(),
            title: page.tr.t(title_key),
            body: page.tr.t(body_key),
        },
    )
}
