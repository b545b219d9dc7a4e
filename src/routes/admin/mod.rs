//! Staff pages under `/admin`: sign-in, campaigns, dashboards, exports, tokens, audit log.
//! Every word is in `locales/{lang}/admin.ftl`, in the language of the member of staff.

mod access;
mod audit;
pub mod auth;
mod campaigns;
mod documents;
mod erase;
mod error;
pub(crate) mod exports;
mod kiosks;
mod language;
mod organisation;
mod paper;
mod partners;
mod resend;
mod review;
mod staff;
mod streamed;
mod tokens;
mod updates;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::error::{InternalError, UrlencodedError};
use actix_web::http::StatusCode;
use actix_web::http::header::{LOCATION, ORIGIN};
use actix_web::middleware::{Next, from_fn};
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};
use chrono::Utc;

use crate::db::audit as audit_log;
use crate::db::campaigns::CampaignWithTexts;
use crate::domain::{
    Lang, MAX_BODY_CHARS, MAX_CAMPAIGN_TEXT_CHARS, MAX_PRIVACY_NOTICE_CHARS, MAX_SUBJECT_CHARS,
    Permission,
};
use crate::i18n::Tr;
use crate::pages::assets;
use crate::pages::staff::{AdminPage, StaffMessagePage};
use crate::routes::{AppState, limits, negotiate_lang, render};
use access::StaffRoutes;
pub use access::{Access, StaffRoute};
use auth::StaffSession;
pub use error::StaffError;

/// Largest staff form: the campaign editor, with every language's text as long as it may be.
/// A form encodes a character in up to 9 bytes (`%E1%BB%87` for the "ệ" of Nguyễn), so texts
/// that pass the editor's own length check always fit, with room for the other fields.
const CAMPAIGN_FORM_LIMIT: usize = Lang::ALL.len() * MAX_CAMPAIGN_TEXT_CHARS * 9 + 16 * 1024;
/// Largest paper entry form: up to 200 typed rows.
const PAPER_ENTRY_FORM_LIMIT: usize = 128 * 1024;
/// Largest update form: every language's subject and text as long as they may be, encoded
/// as the campaign editor's are.
const UPDATE_FORM_LIMIT: usize =
    Lang::ALL.len() * (MAX_SUBJECT_CHARS + MAX_BODY_CHARS) * 9 + 16 * 1024;
/// Largest organisation settings form: every language's privacy notice as long as it may
/// be, encoded as the campaign editor's are.
const ORGANISATION_FORM_LIMIT: usize = Lang::ALL.len() * MAX_PRIVACY_NOTICE_CHARS * 9 + 16 * 1024;
/// Largest other staff form; they hold a few short fields.
const STAFF_FORM_LIMIT: usize = 16 * 1024;
/// Where the browser says a request comes from, relative to the page it goes to.
const SEC_FETCH_SITE: &str = "sec-fetch-site";

pub fn configure(cfg: &mut web::ServiceConfig) {
    let scope = web::scope("/admin").app_data(staff_form_config(STAFF_FORM_LIMIT));
    let routes = staff_routes(StaffRoutes::new("/admin", scope)).into_scope();
    cfg.service(routes.wrap(from_fn(refuse_cross_site_forms)));
}

/// Every staff route with the access it needs, as the server checks it; tests walk it.
pub fn route_table() -> Vec<StaffRoute> {
    staff_routes(StaffRoutes::new("/admin", web::scope("/admin"))).into_table()
}

fn staff_routes(routes: StaffRoutes) -> StaffRoutes {
    use Access::{Open, SignedIn, Staff, StaffOrToken};
    use Permission as P;
    let sign_in = web::post()
        .to(auth::login)
        .wrap(from_fn(limits::signing_in));
    routes
        .get("", Staff(P::ListCampaigns), home)
        .get("/login", Open, auth::login_form)
        .post_route("/login", Open, sign_in)
        .post("/logout", SignedIn, auth::logout)
        .post("/language", SignedIn, language::choose)
        .get("/campaigns", Staff(P::ListCampaigns), campaigns::list)
        .post_large(
            "/campaigns",
            Staff(P::CreateCampaigns),
            CAMPAIGN_FORM_LIMIT,
            campaigns::create,
        )
        .get("/campaigns/new", Staff(P::CreateCampaigns), campaigns::new)
        .get(
            "/campaigns/{slug}",
            Staff(P::ViewCounts),
            campaigns::dashboard,
        )
        .get(
            "/campaigns/{slug}/edit",
            Staff(P::ManageCampaigns),
            campaigns::edit,
        )
        .post_large(
            "/campaigns/{slug}/edit",
            Staff(P::ManageCampaigns),
            CAMPAIGN_FORM_LIMIT,
            campaigns::update,
        )
        .post(
            "/campaigns/{slug}/open",
            Staff(P::ManageCampaigns),
            campaigns::open,
        )
        .get(
            "/campaigns/{slug}/close",
            Staff(P::ManageCampaigns),
            campaigns::confirm_close,
        )
        .post(
            "/campaigns/{slug}/close",
            Staff(P::ManageCampaigns),
            campaigns::close,
        )
        .post(
            "/campaigns/{slug}/pause",
            Staff(P::ManageCampaigns),
            campaigns::pause,
        )
        .post(
            "/campaigns/{slug}/resume",
            Staff(P::ManageCampaigns),
            campaigns::resume,
        )
        .post(
            "/campaigns/{slug}/resend-confirmation",
            Staff(P::ManageCampaigns),
            resend::resend,
        )
        .get("/campaigns/{slug}/review", Staff(P::Review), review::show)
        .post(
            "/campaigns/{slug}/review/invalidate",
            Staff(P::Review),
            review::invalidate,
        )
        .post(
            "/campaigns/{slug}/review/flag",
            Staff(P::Review),
            review::flag,
        )
        .post(
            "/campaigns/{slug}/review/throwaway",
            Staff(P::Review),
            review::throwaway,
        )
        .post(
            "/campaigns/{slug}/review/{id}/cancel",
            Staff(P::Review),
            review::cancel,
        )
        .post(
            "/campaigns/{slug}/review/{id}/undo",
            Staff(P::Review),
            review::undo,
        )
        .get("/campaigns/{slug}/kiosks", Staff(P::Kiosks), kiosks::list)
        .post("/campaigns/{slug}/kiosks", Staff(P::Kiosks), kiosks::create)
        .post(
            "/campaigns/{slug}/kiosks/{id}/revoke",
            Staff(P::Kiosks),
            kiosks::revoke,
        )
        .get(
            "/campaigns/{slug}/updates",
            Staff(P::SendUpdates),
            updates::list,
        )
        .post_large(
            "/campaigns/{slug}/updates",
            Staff(P::SendUpdates),
            UPDATE_FORM_LIMIT,
            updates::create,
        )
        .get(
            "/campaigns/{slug}/updates/{id}",
            Staff(P::SendUpdates),
            updates::show,
        )
        .post_large(
            "/campaigns/{slug}/updates/{id}/edit",
            Staff(P::SendUpdates),
            UPDATE_FORM_LIMIT,
            updates::edit,
        )
        .post(
            "/campaigns/{slug}/updates/{id}/test",
            Staff(P::SendUpdates),
            updates::test,
        )
        .post(
            "/campaigns/{slug}/updates/{id}/send",
            Staff(P::SendUpdates),
            updates::send,
        )
        .post(
            "/campaigns/{slug}/updates/{id}/cancel",
            Staff(P::SendUpdates),
            updates::cancel,
        )
        .post(
            "/campaigns/{slug}/updates/{id}/publish",
            Staff(P::SendUpdates),
            updates::publish,
        )
        .post(
            "/campaigns/{slug}/updates/{id}/target-response",
            Staff(P::SendUpdates),
            updates::target_response,
        )
        .get(
            "/campaigns/{slug}/signatures.csv",
            StaffOrToken(P::ExportSignatures),
            exports::signatures,
        )
        .get("/campaigns/{slug}/paper", Staff(P::EnterPaper), paper::list)
        .post(
            "/campaigns/{slug}/paper",
            Staff(P::EnterPaper),
            paper::create,
        )
        .get(
            "/campaigns/{slug}/paper/{event}",
            Staff(P::EnterPaper),
            paper::show,
        )
        .post_large(
            "/campaigns/{slug}/paper/{event}/rows",
            Staff(P::EnterPaper),
            PAPER_ENTRY_FORM_LIMIT,
            paper::enter,
        )
        .post(
            "/campaigns/{slug}/paper/{event}/preview",
            Staff(P::EnterPaper),
            paper::preview,
        )
        .post_large(
            "/campaigns/{slug}/paper/{event}/import",
            Staff(P::EnterPaper),
            paper::IMPORT_FORM_LIMIT,
            paper::import,
        )
        .post(
            "/campaigns/{slug}/paper/{event}/undo",
            Staff(P::EnterPaper),
            paper::undo,
        )
        .get(
            "/campaigns/{slug}/sheets.pdf",
            Staff(P::EnterPaper),
            documents::sheets,
        )
        .get(
            "/campaigns/{slug}/delivery.pdf",
            Staff(P::DeliveryPacks),
            documents::delivery_pack,
        )
        .get(
            "/campaigns/{slug}/delivery-manifest.csv",
            Staff(P::DeliveryPacks),
            documents::delivery_manifest,
        )
        .get("/counts.csv", StaffOrToken(P::ViewCounts), exports::counts)
        .get("/tokens", Staff(P::ManageTokens), tokens::list)
        .post("/tokens", Staff(P::ManageTokens), tokens::create)
        .post(
            "/tokens/{id}/revoke",
            Staff(P::ManageTokens),
            tokens::revoke,
        )
        .get("/staff", Staff(P::ManageStaff), staff::list)
        .post(
            "/staff/{id}/role",
            Staff(P::ManageStaff),
            staff::change_role,
        )
        .get("/audit", Staff(P::AuditLog), audit::list)
        .get(
            "/organisation",
            Staff(P::OrganisationSettings),
            organisation::form,
        )
        .post_large(
            "/organisation",
            Staff(P::OrganisationSettings),
            ORGANISATION_FORM_LIMIT,
            organisation::save,
        )
        .get("/partners", Staff(P::ManagePartners), partners::list)
        .post("/partners", Staff(P::ManagePartners), partners::create)
        .post(
            "/partners/{id}/links",
            Staff(P::ManagePartners),
            partners::create_link,
        )
        .post(
            "/partners/links/{id}/revoke",
            Staff(P::ManagePartners),
            partners::revoke_link,
        )
        .get("/erase", Staff(P::Erase), erase::form)
        .post("/erase", Staff(P::Erase), erase::erase)
}

/// Staff forms are accepted only from the site's own pages. Browsers say where a form
/// comes from (`Sec-Fetch-Site`, `Origin`); a request with neither (a script, an old
/// browser) is left to the CSRF token that every staff form carries.
async fn refuse_cross_site_forms(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if req.method().is_safe() || comes_from_own_site(req.request()) {
        return Ok(next.call(req).await?.map_into_boxed_body());
    }
    tracing::warn!(route = ?req.match_pattern(), "staff form from another site refused");
    let response = staff_error(
        req.request(),
        StatusCode::FORBIDDEN,
        "admin-cross-site-title",
        "admin-cross-site-body",
    );
    Ok(req.into_response(response))
}

fn comes_from_own_site(req: &HttpRequest) -> bool {
    let header = |name| {
        req.headers()
            .get(name)
            .map(|value| value.to_str().unwrap_or_default())
    };
    // "same-site" is a neighbouring subdomain, which is not this site either.
    if header(SEC_FETCH_SITE).is_some_and(|site| site != "same-origin" && site != "none") {
        return false;
    }
    match header(ORIGIN.as_str()) {
        None => true,
        Some(origin) => req
            .app_data::<web::Data<AppState>>()
            .is_some_and(|state| state.own_origins.includes(origin)),
    }
}

/// Staff forms that cannot be read get a staff page saying why, not the supporters' one.
fn staff_form_config(limit: usize) -> web::FormConfig {
    web::FormConfig::default()
        .limit(limit)
        .error_handler(|error, req| {
            let status = error.status_code();
            let response = match error {
                UrlencodedError::Overflow { limit, .. } => {
                    staff_error_with(req, status, "admin-form-too-large-title", |tr| {
                        let kib = i64::try_from(limit / 1024).unwrap_or(i64::MAX);
                        let limit = format!("{}\u{a0}KiB", tr.number(kib));
                        tr.t1("admin-form-too-large-body", "limit", &limit)
                    })
                }
                _ => staff_error(
                    req,
                    status,
                    "admin-form-unreadable-title",
                    "admin-form-unreadable-body",
                ),
            };
            InternalError::from_response(error, response).into()
        })
}

/// A staff page that says what went wrong and what to do. It is answered before the
/// session is read, so in the language the browser last chose (see `language::choose`).
fn staff_error(
    req: &HttpRequest,
    status: StatusCode,
    title_key: &str,
    body_key: &str,
) -> HttpResponse {
    staff_error_with(req, status, title_key, |tr| tr.t(body_key))
}

/// `staff_error` with a body written for the page's language by `body`.
fn staff_error_with(
    req: &HttpRequest,
    status: StatusCode,
    title_key: &str,
    body: impl FnOnce(Tr) -> String,
) -> HttpResponse {
    let page = admin_page(req, None);
    render(
        status,
        &StaffMessagePage {
            title: page.tr.t(title_key),
            body: body(page.tr),
            page,
        },
    )
}

async fn home(_session: StaffSession) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((LOCATION, "/admin/campaigns"))
        .finish()
}

/// The language of a staff page: the one chosen for the account, else, before sign-in or
/// until one is chosen, the browser's, as on supporters' pages.
pub fn staff_lang(req: &HttpRequest, session: Option<&StaffSession>) -> Lang {
    session.map_or_else(|| negotiate_lang(req, None), |session| session.lang)
}

/// The frame of a staff page.
pub fn admin_page(req: &HttpRequest, session: Option<&StaffSession>) -> AdminPage {
    AdminPage {
        tr: Tr(staff_lang(req, session)),
        stylesheet: assets::stylesheet(),
        icon: assets::icon(),
        path: req.path().to_owned(),
        staff_email: session.map(|s| s.email.clone()),
        csrf_token: session.map(|s| s.csrf_token.clone()).unwrap_or_default(),
        access: session.map(|s| Box::new(s.access.clone())),
    }
}

/// A campaign's title in its default language, or its slug when it has none, as every
/// staff page names it.
pub fn campaign_title(campaign: &CampaignWithTexts) -> String {
    campaign
        .text(campaign.campaign.default_lang())
        .map_or_else(|| campaign.campaign.slug.clone(), |t| t.title.clone())
}

/// The answer when a staff page cannot reach the database; the caller logs the cause.
pub fn unavailable_page(tr: Tr) -> HttpResponse {
    error::unavailable_response(&AdminPage {
        tr,
        stylesheet: assets::stylesheet(),
        icon: assets::icon(),
        path: String::new(),
        staff_email: None,
        csrf_token: String::new(),
        access: None,
    })
}

/// Writes an audit entry. A failure to write one is logged, not shown: the action it
/// describes has already happened.
pub async fn record_audit(state: &AppState, actor: &str, action: &str, detail: &str) {
    let (actor, action, detail) = (actor.to_owned(), action.to_owned(), detail.to_owned());
    let now = Utc::now().naive_utc();
    if let Err(error) = state
        .db
        .run(move |conn| audit_log::record(conn, &actor, &action, &detail, now))
        .await
    {
        tracing::error!(error = ?error, "could not write to the audit log");
    }
}
