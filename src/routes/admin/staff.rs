//! Owners list the staff accounts and change what each may do.

use actix_web::http::StatusCode;
use actix_web::http::header::LOCATION;
use actix_web::{HttpResponse, web};
use chrono::Utc;

use super::StaffError;
use super::auth::StaffSession;
use crate::db::staff_roles::{self, AccessChangeRefused};
use crate::domain::{AccessError, Role};
use crate::pages::staff::{StaffPage, StaffRow};
use crate::roles::{self, ChangeRefused};
use crate::routes::{AppState, render};

async fn page(
    state: &AppState,
    session: &StaffSession,
    status: StatusCode,
    error: Option<String>,
) -> Result<HttpResponse, StaffError> {
    let members = state
        .db
        .run(staff_roles::list)
        .await
        .map_err(|error| session.unavailable(error))?;
    let members = members
        .into_iter()
        .map(|member| StaffRow {
            id: member.id,
            email: member.email,
            role: member.access.role(),
            campaigns: member.access.campaigns().join(", "),
            last_login_at: member.last_login_at,
        })
        .collect();
    Ok(render(
        status,
        &StaffPage {
            page: session.page(),
            members,
            roles: Role::ALL,
            error,
        },
    ))
}

pub async fn list(
    state: web::Data<AppState>,
    session: StaffSession,
) -> Result<HttpResponse, StaffError> {
    page(&state, &session, StatusCode::OK, None).await
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct RoleForm {
    role: String,
    /// Campaign slugs, separated by commas or spaces.
    campaigns: String,
    csrf_token: String,
}

pub async fn change_role(
    state: web::Data<AppState>,
    session: StaffSession,
    id: web::Path<i64>,
    form: web::Form<RoleForm>,
) -> Result<HttpResponse, StaffError> {
    session.check_csrf(&state, &form.csrf_token)?;
    let tr = session.tr();
    let Some(role) = Role::parse(&form.role) else {
        let error = Some(tr.t("admin-staff-role-unknown"));
        return page(&state, &session, StatusCode::UNPROCESSABLE_ENTITY, error).await;
    };
    let campaigns: Vec<String> = form
        .campaigns
        .split([',', ' '])
        .map(str::trim)
        .filter(|slug| !slug.is_empty())
        .map(str::to_owned)
        .collect();
    let (id, actor, now) = (id.into_inner(), session.actor(), Utc::now().naive_utc());
    let outcome = state
        .db
        .run(move |conn| match staff_roles::email_of(conn, id)? {
            Some(email) => roles::change(conn, &actor, &email, role, campaigns, now),
            None => Ok(Err(ChangeRefused::Store(
                AccessChangeRefused::NoSuchAccount,
            ))),
        })
        .await
        .map_err(|error| session.unavailable(error))?;
    let (status, message) = match outcome {
        Ok(_) => {
            return Ok(HttpResponse::SeeOther()
                .insert_header((LOCATION, "/admin/staff"))
                .finish());
        }
        Err(ChangeRefused::Store(AccessChangeRefused::NoSuchAccount)) => {
            return Err(session.not_found("admin-staff-not-found"));
        }
        Err(ChangeRefused::Store(AccessChangeRefused::LastOwner)) => {
            (StatusCode::CONFLICT, tr.t("admin-staff-last-owner"))
        }
        Err(ChangeRefused::Store(AccessChangeRefused::UnknownCampaign(slug))) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            tr.t1("admin-staff-unknown-campaign", "slug", &slug),
        ),
        Err(ChangeRefused::Invalid(AccessError::CampaignsRequired)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            tr.t("admin-staff-campaigns-required"),
        ),
        Err(ChangeRefused::Invalid(AccessError::CampaignsNotAllowed)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            tr.t("admin-staff-campaigns-not-allowed"),
        ),
    };
    page(&state, &session, status, Some(message)).await
}
