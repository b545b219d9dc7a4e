//! Staff write updates to a campaign's signers: compose in the campaign's languages,
//! preview, send a test to themselves, send it (at most one a day unless they insist),
//! watch its progress, and show it on the campaign page, perhaps as the target's response.

mod pages;
mod sending;
mod writing;

use std::collections::HashMap;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};

use super::StaffError;
use super::auth::{CsrfRefused, StaffCampaign, StaffSession};
use super::record_audit;
use crate::db::campaigns::CampaignWithTexts;
use crate::routes::AppState;
use pages::{Outcome, update_page};

pub use sending::{cancel, publish, send, target_response, test};
pub use writing::{create, edit, list, show};

/// The update form: `subject_{lang}` and `body_{lang}` for each of the campaign's
/// languages, and the CSRF token.
type UpdateForm = HashMap<String, String>;

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct SendForm {
    pub(super) csrf_token: String,
    /// Checked when staff confirm sending within a day of the last update.
    #[serde(rename = "override")]
    pub(super) override_daily_limit: Option<String>,
    /// "yes" from the confirmation step, which states to how many people it goes.
    pub(super) confirm: String,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct SwitchForm {
    pub(super) csrf_token: String,
    /// "yes" or "no".
    pub(super) value: String,
}

/// What every handler of one update works on: the signed-in staff member, the campaign
/// of the path and its update `{id}`, with the request they came in.
pub struct StaffUpdate {
    state: web::Data<AppState>,
    req: HttpRequest,
    session: StaffSession,
    campaign: CampaignWithTexts,
    id: i64,
}

impl FromRequest for StaffUpdate {
    type Error = StaffError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let staff = StaffCampaign::from_request(req, payload);
        let req = req.clone();
        Box::pin(async move {
            let StaffCampaign { session, campaign } = staff.await?;
            let id = req.match_info().get("id").and_then(|id| id.parse().ok());
            let state = req.app_data::<web::Data<AppState>>().cloned();
            let (Some(id), Some(state)) = (id, state) else {
                return Err(session.not_found("admin-update-not-found"));
            };
            Ok(Self {
                state,
                req,
                session,
                campaign,
                id,
            })
        })
    }
}

impl StaffUpdate {
    fn parts(&self) -> (&AppState, &StaffSession, &CampaignWithTexts, i64) {
        (&self.state, &self.session, &self.campaign, self.id)
    }

    fn check_csrf(&self, submitted: &str) -> Result<(), CsrfRefused> {
        self.session.check_csrf(&self.state, submitted)
    }

    /// The update's page, saying what `outcome` says.
    async fn page(&self, outcome: Outcome) -> Result<HttpResponse, StaffError> {
        let (state, session, campaign, id) = self.parts();
        update_page(state, &self.req, session, campaign, id, outcome).await
    }

    /// The audit line of `action` on this update, with `more` after the campaign and update.
    async fn audit(&self, action: &str, more: &str) {
        let (state, session, campaign, id) = self.parts();
        audit(state, session, campaign, action, id, more).await;
    }
}

/// The update form's CSRF token, empty when the form had none.
fn csrf_of(form: &UpdateForm) -> &str {
    form.get("csrf_token")
        .map(String::as_str)
        .unwrap_or_default()
}

/// The audit line of `action` on update `id`, with `more` after the campaign and update.
async fn audit(
    state: &AppState,
    session: &StaffSession,
    campaign: &CampaignWithTexts,
    action: &str,
    id: i64,
    more: &str,
) {
    let detail = format!("campaign={} update={id}{more}", campaign.campaign.slug);
    record_audit(state, &session.actor(), action, &detail).await;
}
