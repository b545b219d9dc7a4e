//! Staff set the organisation's settings: its names, sender, address, privacy notice and
//! colour. Only owners may (`Permission::OrganisationSettings`).

use actix_web::http::StatusCode;
use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;

use super::StaffError;
use super::auth::StaffSession;
use crate::db::organisation as stored;
use crate::domain::OrganisationInput;
use crate::organisation::{UpdateError, problem_message, update};
use crate::pages::staff::OrganisationPage;
use crate::routes::{AppState, query_param, render};

pub async fn form(
    state: web::Data<AppState>,
    session: StaffSession,
    req: HttpRequest,
) -> Result<HttpResponse, StaffError> {
    // Staff see what the database holds, not what this server last cached.
    let settings = state
        .db
        .run(stored::load)
        .await
        .map_err(|error| session.unavailable(error))?;
    Ok(render(
        StatusCode::OK,
        &OrganisationPage {
            page: session.page(),
            input: OrganisationInput::of(&settings),
            errors: Vec::new(),
            saved: query_param(&req, "saved").is_some(),
        },
    ))
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct SettingsForm {
    #[serde(flatten)]
    input: OrganisationInput,
    csrf_token: String,
}

pub async fn save(
    state: web::Data<AppState>,
    session: StaffSession,
    form: web::Form<SettingsForm>,
) -> Result<HttpResponse, StaffError> {
    let SettingsForm { input, csrf_token } = form.into_inner();
    session.check_csrf(&state, &csrf_token)?;
    match update(&state.db, &session.actor(), &input, Utc::now().naive_utc()).await {
        Ok(_) => {
            if let Err(error) = state.organisation.reload(&state.db).await {
                tracing::warn!(error = ?error, "saved settings not reloaded yet");
            }
            Ok(HttpResponse::SeeOther()
                .insert_header((LOCATION, "/admin/organisation?saved=1"))
                .finish())
        }
        Err(UpdateError::Invalid(problems)) => {
            let tr = session.tr();
            Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &OrganisationPage {
                    page: session.page(),
                    errors: problems
                        .iter()
                        .map(|p| (p.field().to_owned(), problem_message(tr, p)))
                        .collect(),
                    input,
                    saved: false,
                },
            ))
        }
        Err(UpdateError::Store(error)) => Err(session.unavailable(error)),
    }
}
