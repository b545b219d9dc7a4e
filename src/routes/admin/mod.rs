//! Staff pages under `/admin`: sign-in, campaigns, dashboards, exports, tokens, audit log.
//! Every word is in `locales/{lang}/admin.ftl`, in the language of the member of staff.

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
};
use crate::i18n::Tr;
use crate::pages::assets;
use crate::pages::staff::{AdminPage, StaffMessagePage};
use crate::routes::{AppState, limits, negotiate_lang, render};
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
    cfg.service(
        web::scope("/admin")
            .wrap(from_fn(refuse_cross_site_forms))
            .app_data(staff_form_config(STAFF_FORM_LIMIT))
            .route("", web::get().to(home))
            .route("/login", web::get().to(auth::login_form))
            .route(
                "/login",
                web::post()
                    .to(auth::login)
                    .wrap(from_fn(limits::signing_in)),
            )
            .route("/logout", web::post().to(auth::logout))
            .route("/language", web::post().to(language::choose))
            .service(
                web::resource("/campaigns")
                    .app_data(staff_form_config(CAMPAIGN_FORM_LIMIT))
                    .route(web::get().to(campaigns::list))
                    .route(web::post().to(campaigns::create)),
            )
            .route("/campaigns/new", web::get().to(campaigns::new))
            .route("/campaigns/{slug}", web::get().to(campaigns::dashboard))
            .service(
                web::resource("/campaigns/{slug}/edit")
                    .app_data(staff_form_config(CAMPAIGN_FORM_LIMIT))
                    .route(web::get().to(campaigns::edit))
                    .route(web::post().to(campaigns::update)),
            )
            .route("/campaigns/{slug}/open", web::post().to(campaigns::open))
            .route(
                "/campaigns/{slug}/close",
                web::get().to(campaigns::confirm_close),
            )
            .route("/campaigns/{slug}/close", web::post().to(campaigns::close))
            .route("/campaigns/{slug}/pause", web::post().to(campaigns::pause))
            .route(
                "/campaigns/{slug}/resume",
                web::post().to(campaigns::resume),
            )
            .route(
                "/campaigns/{slug}/resend-confirmation",
                web::post().to(resend::resend),
            )
            .route("/campaigns/{slug}/review", web::get().to(review::show))
            .route(
                "/campaigns/{slug}/review/invalidate",
                web::post().to(review::invalidate),
            )
            .route(
                "/campaigns/{slug}/review/flag",
                web::post().to(review::flag),
            )
            .route(
                "/campaigns/{slug}/review/throwaway",
                web::post().to(review::throwaway),
            )
            .route(
                "/campaigns/{slug}/review/{id}/cancel",
                web::post().to(review::cancel),
            )
            .route(
                "/campaigns/{slug}/review/{id}/undo",
                web::post().to(review::undo),
            )
            .route("/campaigns/{slug}/kiosks", web::get().to(kiosks::list))
            .route("/campaigns/{slug}/kiosks", web::post().to(kiosks::create))
            .route(
                "/campaigns/{slug}/kiosks/{id}/revoke",
                web::post().to(kiosks::revoke),
            )
            .service(
                web::resource("/campaigns/{slug}/updates")
                    .app_data(staff_form_config(UPDATE_FORM_LIMIT))
                    .route(web::get().to(updates::list))
                    .route(web::post().to(updates::create)),
            )
            .route(
                "/campaigns/{slug}/updates/{id}",
                web::get().to(updates::show),
            )
            .service(
                web::resource("/campaigns/{slug}/updates/{id}/edit")
                    .app_data(staff_form_config(UPDATE_FORM_LIMIT))
                    .route(web::post().to(updates::edit)),
            )
            .route(
                "/campaigns/{slug}/updates/{id}/test",
                web::post().to(updates::test),
            )
            .route(
                "/campaigns/{slug}/updates/{id}/send",
                web::post().to(updates::send),
            )
            .route(
                "/campaigns/{slug}/updates/{id}/cancel",
                web::post().to(updates::cancel),
            )
            .route(
                "/campaigns/{slug}/updates/{id}/publish",
                web::post().to(updates::publish),
            )
            .route(
                "/campaigns/{slug}/updates/{id}/target-response",
                web::post().to(updates::target_response),
            )
            .route(
                "/campaigns/{slug}/signatures.csv",
                web::get().to(exports::signatures),
            )
            .route("/campaigns/{slug}/paper", web::get().to(paper::list))
            .route("/campaigns/{slug}/paper", web::post().to(paper::create))
            .route(
                "/campaigns/{slug}/paper/{event}",
                web::get().to(paper::show),
            )
            .service(
                web::resource("/campaigns/{slug}/paper/{event}/rows")
                    .app_data(staff_form_config(PAPER_ENTRY_FORM_LIMIT))
                    .route(web::post().to(paper::enter)),
            )
            .route(
                "/campaigns/{slug}/paper/{event}/preview",
                web::post().to(paper::preview),
            )
            .service(
                web::resource("/campaigns/{slug}/paper/{event}/import")
                    .app_data(staff_form_config(paper::IMPORT_FORM_LIMIT))
                    .route(web::post().to(paper::import)),
            )
            .route(
                "/campaigns/{slug}/paper/{event}/undo",
                web::post().to(paper::undo),
            )
            .route(
                "/campaigns/{slug}/sheets.pdf",
                web::get().to(documents::sheets),
            )
            .route(
                "/campaigns/{slug}/delivery.pdf",
                web::get().to(documents::delivery_pack),
            )
            .route(
                "/campaigns/{slug}/delivery-manifest.csv",
                web::get().to(documents::delivery_manifest),
            )
            .route("/counts.csv", web::get().to(exports::counts))
            .route("/tokens", web::get().to(tokens::list))
            .route("/tokens", web::post().to(tokens::create))
            .route("/tokens/{id}/revoke", web::post().to(tokens::revoke))
            .route("/audit", web::get().to(audit::list))
            .service(
                web::resource("/organisation")
                    .app_data(staff_form_config(ORGANISATION_FORM_LIMIT))
                    .route(web::get().to(organisation::form))
                    .route(web::post().to(organisation::save)),
            )
            .route("/partners", web::get().to(partners::list))
            .route("/partners", web::post().to(partners::create))
            .route(
                "/partners/{id}/links",
                web::post().to(partners::create_link),
            )
            .route(
                "/partners/links/{id}/revoke",
                web::post().to(partners::revoke_link),
            )
            .route("/erase", web::get().to(erase::form))
            .route("/erase", web::post().to(erase::erase)),
    );
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
