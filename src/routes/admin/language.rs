//! Staff choose the language of their pages; it is kept on their account, so it follows
//! them to every browser they sign in from.

use actix_web::http::StatusCode;
use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse, web};

use super::auth::StaffSession;
use super::{StaffError, admin_page, record_audit};
use crate::db::staff;
use crate::domain::Lang;
use crate::pages::staff::StaffMessagePage;
use crate::routes::{AppState, lang_cookie};

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct LanguageForm {
    lang: String,
    /// The staff page the choice was made on, to return to.
    back: String,
    csrf_token: String,
}

/// Where to go after choosing: back to the staff page the form was on, never elsewhere.
fn return_path(back: &str) -> &str {
    let own_page = back.starts_with("/admin/")
        && !back.contains("//")
        && !back.contains('\\')
        && !back.chars().any(char::is_control);
    if own_page { back } else { "/admin/campaigns" }
}

/// `POST /admin/language`: remembers the language on the account (and in this browser,
/// for the sign-in page after signing out).
pub async fn choose(
    state: web::Data<AppState>,
    session: StaffSession,
    req: HttpRequest,
    form: web::Form<LanguageForm>,
) -> Result<HttpResponse, StaffError> {
    let form = form.into_inner();
    session.check_csrf(&state, &form.csrf_token)?;
    let Some(lang) = Lang::parse(&form.lang) else {
        let page = admin_page(&req, Some(&session));
        return Err(StaffError::invalid(
            StatusCode::UNPROCESSABLE_ENTITY,
            &StaffMessagePage {
                title: page.tr.t("admin-language-title"),
                body: page.tr.t("admin-language-invalid"),
                page,
            },
        ));
    };
    let staff_id = session.staff_id;
    state
        .db
        .run(move |conn| staff::set_lang(conn, staff_id, lang))
        .await
        .map_err(|error| session.unavailable(error))?;
    record_audit(
        &state,
        &session.actor(),
        "language_chosen",
        &format!("lang={}", lang.code()),
    )
    .await;
    Ok(HttpResponse::SeeOther()
        .cookie(lang_cookie(lang, state.https))
        .insert_header((LOCATION, return_path(&form.back)))
        .finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_choice_returns_only_to_a_staff_page() {
        assert_eq!(return_path("/admin/tokens"), "/admin/tokens");
        assert_eq!(
            return_path("/admin/campaigns/x/edit"),
            "/admin/campaigns/x/edit"
        );
        for elsewhere in [
            "",
            "https://evil.example/admin/",
            "//evil.example/admin/",
            "/admin//evil.example",
            "/admin/\\evil.example",
            "/campaigns/x",
            "/admin/x\r\nSet-Cookie: a=b",
        ] {
            assert_eq!(return_path(elsewhere), "/admin/campaigns", "{elsewhere:?}");
        }
    }
}
