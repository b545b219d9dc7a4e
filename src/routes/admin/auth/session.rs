//! Who is signed in: the session named by the HttpOnly cookie, the CSRF token every staff
//! form carries, and the campaign a staff page's path names.

use std::future::{Future, Ready, ready};
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use chrono::{NaiveDateTime, TimeDelta, Utc};

use super::super::error::StaffError;
use crate::config::SessionPolicy;
use crate::db::StoreError;
use crate::db::campaigns::{self, CampaignWithTexts};
use crate::db::{staff, staff_roles};
use crate::domain::{Lang, PlainToken, StaffAccess};
use crate::i18n::Tr;
use crate::pages::assets;
use crate::pages::staff::AdminPage;
use crate::routes::{AppState, negotiate_lang};

pub const SESSION_COOKIE: &str = "mariposa_session";
/// How often a session's last activity is written back; reads in between cost no write.
const TOUCH_EVERY: TimeDelta = TimeDelta::minutes(1);

/// A signed-in member of staff.
#[derive(Debug, Clone)]
pub struct StaffSession {
    pub session_id: i64,
    pub staff_id: i64,
    pub email: String,
    pub csrf_token: String,
    /// The language of their pages: the account's, or the browser's until they choose one.
    pub lang: Lang,
    /// Their role and the campaigns it is limited to, as read with the session.
    pub access: StaffAccess,
    /// The page asked for, which the frame of every answer shows.
    path: String,
}

impl StaffSession {
    /// The name a test email greets them by: staff accounts have only an address, and
    /// "lucia.fernandez@…" reads as "Lucia", where the whole address read as a mistake.
    pub fn greeting_name(&self) -> String {
        let local = self.email.split('@').next().unwrap_or_default();
        let first = local
            .split(|c: char| !c.is_alphabetic())
            .find(|part| part.chars().count() > 1)
            .unwrap_or(local);
        let mut chars = first.chars();
        chars.next().map_or_else(String::new, |initial| {
            initial.to_uppercase().chain(chars).collect()
        })
    }

    pub fn actor(&self) -> String {
        format!("staff:{}", self.email)
    }

    /// Whether they may see a paper batch typed by `created_by` (an actor, as `actor` names
    /// it): data entry sees only its own.
    pub fn sees_batch(&self, created_by: &str) -> bool {
        !self.access.role().sees_only_own_entries() || created_by == self.actor()
    }

    pub fn tr(&self) -> Tr {
        Tr(self.lang)
    }

    /// The frame of a page for this member of staff, on the page they asked for.
    pub fn page(&self) -> AdminPage {
        AdminPage {
            tr: self.tr(),
            stylesheet: assets::stylesheet(),
            icon: assets::icon(),
            path: self.path.clone(),
            staff_email: Some(self.email.clone()),
            csrf_token: self.csrf_token.clone(),
            access: Some(Box::new(self.access.clone())),
        }
    }

    /// Every state-changing staff form carries the session's CSRF token.
    pub fn check_csrf(&self, state: &AppState, submitted: &str) -> Result<(), CsrfRefused> {
        let session_hash = self.csrf_token_source();
        if state
            .staff_keys
            .csrf
            .verify(session_hash.as_bytes(), submitted)
        {
            Ok(())
        } else {
            tracing::warn!(
                staff = self.staff_id,
                "staff form refused: CSRF token mismatch"
            );
            Err(CsrfRefused(self.page()))
        }
    }

    /// The answer when the database (or the system's randomness) fails this member of staff.
    pub fn unavailable(&self, cause: impl Into<anyhow::Error>) -> StaffError {
        StaffError::unavailable(self.page(), cause)
    }

    /// The answer when the path names nothing there is; `key` says what is missing.
    pub fn not_found(&self, key: &'static str) -> StaffError {
        StaffError::NotFound(self.page(), key)
    }

    fn csrf_token_source(&self) -> String {
        format!("session {}", self.session_id)
    }
}

/// A staff form that did not carry its session's token; the answer is in the staff
/// member's language.
pub struct CsrfRefused(AdminPage);

impl CsrfRefused {
    pub fn response(self) -> actix_web::HttpResponse {
        actix_web::ResponseError::error_response(&StaffError::from(self))
    }
}

impl From<CsrfRefused> for StaffError {
    fn from(refused: CsrfRefused) -> Self {
        StaffError::Refused(refused.0)
    }
}

fn session_expired(session: &staff::SessionRow, now: NaiveDateTime, policy: SessionPolicy) -> bool {
    let idle = TimeDelta::from_std(policy.idle).unwrap_or(TimeDelta::MAX);
    let absolute = TimeDelta::from_std(policy.absolute).unwrap_or(TimeDelta::MAX);
    now - session.last_seen_at > idle || now - session.created_at > absolute
}

/// Looks up the session named by the cookie, ending it when it has expired. Only the gate
/// in front of each staff route calls it (see `access`); handlers get what it checked.
pub(in crate::routes::admin) async fn current_session(
    state: &AppState,
    req: &HttpRequest,
) -> Result<Option<StaffSession>, StoreError> {
    let Some(token) = req
        .cookie(SESSION_COOKIE)
        .and_then(|cookie| PlainToken::parse(cookie.value()))
    else {
        return Ok(None);
    };
    let hash = token.hash();
    let now = Utc::now().naive_utc();
    let policy = state.session_policy;
    let found = state
        .db
        .run(move |conn| {
            let Some(session) = staff::find_session(conn, &hash)? else {
                return Ok(None);
            };
            if session_expired(&session, now, policy) {
                staff::delete_session(conn, session.id)?;
                return Ok(None);
            }
            if now - session.last_seen_at > TOUCH_EVERY {
                staff::touch_session(conn, session.id, now)?;
            }
            let access = staff_roles::access_of(conn, session.staff_id)?;
            Ok(access.map(|access| (session, access)))
        })
        .await?;
    Ok(found.map(|(session, access)| {
        let lang = session
            .lang
            .as_deref()
            .and_then(Lang::parse)
            .unwrap_or_else(|| negotiate_lang(req, None));
        let mut staff_session = StaffSession {
            session_id: session.id,
            staff_id: session.staff_id,
            email: session.email,
            csrf_token: String::new(),
            lang,
            access,
            path: req.path().to_owned(),
        };
        staff_session.csrf_token = state
            .staff_keys
            .csrf
            .hash(staff_session.csrf_token_source().as_bytes());
        staff_session
    }))
}

/// The member of staff the gate in front of the route let through; a route registered
/// without one has none, and answers with the sign-in page.
fn checked_session(req: &HttpRequest) -> Option<StaffSession> {
    req.extensions().get::<StaffSession>().cloned()
}

impl FromRequest for StaffSession {
    type Error = StaffError;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(checked_session(req).ok_or(StaffError::SignIn))
    }
}

/// The signed-in member of staff and the campaign named by the `{slug}` of the path, read
/// from the database so that a change made on another server shows at once.
pub struct StaffCampaign {
    pub session: StaffSession,
    pub campaign: CampaignWithTexts,
}

impl StaffCampaign {
    pub fn slug(&self) -> &str {
        &self.campaign.campaign.slug
    }
}

impl FromRequest for StaffCampaign {
    type Error = StaffError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let session = checked_session(&req).ok_or(StaffError::SignIn)?;
            let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
                return Err(StaffError::SignIn);
            };
            let slug = req.match_info().get("slug").unwrap_or_default().to_owned();
            let found = state
                .db
                .run(move |conn| campaigns::find_by_slug(conn, &slug))
                .await
                .map_err(|error| session.unavailable(error))?;
            match found {
                Some(campaign) => Ok(StaffCampaign { session, campaign }),
                None => Err(session.not_found("admin-campaign-not-found")),
            }
        })
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct CsrfForm {
    pub csrf_token: String,
}
