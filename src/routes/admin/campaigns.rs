//! Staff manage campaigns: list, create, edit, open and close, pause, and watch them grow.

use actix_web::http::StatusCode;
use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{NaiveDateTime, Utc};
use diesel::QueryResult;

use super::auth::{CsrfForm, StaffCampaign, StaffSession};
use super::views::{
    CampaignFormPage, CampaignListPage, CampaignRow, CountLine, DashboardPage, DayChart,
    LanguageFields, RateRow, Snippets, percent,
};
use super::{StaffError, admin_page, campaign_title, record_audit};
use crate::db::Connection;
use crate::db::campaigns::{self, CampaignWithTexts};
use crate::db::outbox;
use crate::db::partners::{self, Partner};
use crate::db::reports::{self, CountScope, Dimension};
use crate::domain::{CampaignDraft, CampaignInput, CampaignText, Lang};
use crate::i18n::{self, Tr};
use crate::routes::AppState;
use crate::routes::render;

fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((LOCATION, location))
        .finish()
}

pub async fn list(
    state: web::Data<AppState>,
    session: StaffSession,
    req: HttpRequest,
) -> Result<HttpResponse, StaffError> {
    let (all, counts) = state
        .db
        .run(|conn| {
            let all = campaigns::list_all(conn)?;
            let counts = reports::counts(conn, &[Dimension::Campaign], &CountScope::default())?;
            Ok((all, counts))
        })
        .await
        .map_err(|error| session.unavailable(error))?;
    let tr = session.tr();
    let now = Utc::now().naive_utc();
    let rows = all
        .iter()
        .map(|campaign| {
            let count = counts
                .iter()
                .find(|row| row.keys.first() == Some(&campaign.campaign.slug));
            CampaignRow {
                slug: campaign.campaign.slug.clone(),
                title: campaign_title(campaign),
                open: campaign.campaign.accepts_signatures(now),
                confirmed: tr.number(count.map_or(0, |c| c.confirmed)),
                pending: tr.number(count.map_or(0, |c| c.pending)),
                goal: tr.number(campaign.campaign.goal),
            }
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &CampaignListPage {
            page: admin_page(&req, Some(&session)),
            campaigns: rows,
        },
    ))
}

fn form_page(
    req: &HttpRequest,
    session: &StaffSession,
    editing: Option<String>,
    values: CampaignInput,
    errors: Vec<(&'static str, &'static str)>,
) -> CampaignFormPage {
    let languages = Lang::ALL
        .iter()
        .map(|&lang| {
            let (title, summary, body, target) = values.text(lang);
            let field = format!("title_{}", lang.code());
            LanguageFields {
                code: lang.code(),
                name: lang.endonym(),
                title: title.to_owned(),
                summary: summary.to_owned(),
                body: body.to_owned(),
                target: target.to_owned(),
                error: errors
                    .iter()
                    .find(|(name, _)| *name == field)
                    .map(|(_, message)| session.tr().t(message)),
            }
        })
        .collect();
    CampaignFormPage {
        page: admin_page(req, Some(session)),
        action: match &editing {
            Some(slug) => format!("/admin/campaigns/{slug}/edit"),
            None => "/admin/campaigns".to_owned(),
        },
        editing,
        values,
        errors,
        countries: i18n::countries(session.lang),
        languages,
    }
}

pub async fn new(session: StaffSession, req: HttpRequest) -> HttpResponse {
    let values = CampaignInput {
        default_lang: "es".into(),
        default_country: "MX".into(),
        goal: "1000".into(),
        is_open: Some("yes".into()),
        ..CampaignInput::default()
    };
    render(
        StatusCode::OK,
        &form_page(&req, &session, None, values, Vec::new()),
    )
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct CampaignForm {
    #[serde(flatten)]
    input: CampaignInput,
    #[serde(default)]
    csrf_token: String,
}

pub async fn create(
    state: web::Data<AppState>,
    session: StaffSession,
    req: HttpRequest,
    form: web::Form<CampaignForm>,
) -> Result<HttpResponse, StaffError> {
    let CampaignForm { input, csrf_token } = form.into_inner();
    session.check_csrf(&state, &csrf_token)?;
    let draft = match CampaignDraft::parse(&input) {
        Ok(draft) => draft,
        Err(errors) => {
            let page = form_page(&req, &session, None, input, errors);
            return Err(StaffError::invalid(StatusCode::UNPROCESSABLE_ENTITY, &page));
        }
    };
    let now = Utc::now().naive_utc();
    let saved = draft.clone();
    let created = state
        .db
        .run(move |conn| campaigns::insert(conn, &saved, now))
        .await
        .map_err(|error| session.unavailable(error))?;
    if created.is_none() {
        let errors = vec![("slug", "admin-slug-taken")];
        let page = form_page(&req, &session, None, input, errors);
        return Err(StaffError::invalid(StatusCode::UNPROCESSABLE_ENTITY, &page));
    }
    record_audit(
        &state,
        &session.actor(),
        "campaign_created",
        &format!(
            "slug={} goal={} open={}",
            draft.slug.as_str(),
            draft.goal,
            draft.is_open
        ),
    )
    .await;
    show_publicly(&state).await;
    Ok(see_other(&format!(
        "/admin/campaigns/{}",
        draft.slug.as_str()
    )))
}

fn input_of(campaign: &CampaignWithTexts) -> CampaignInput {
    let c = &campaign.campaign;
    let mut input = CampaignInput {
        slug: c.slug.clone(),
        default_lang: c.default_lang.clone(),
        goal: c.goal.to_string(),
        goal_multiplier: c.goal_multiplier.to_string(),
        default_country: c.default_country.clone(),
        postal_code_required: c.postal_code_required.then(|| "yes".into()),
        is_open: c.is_open.then(|| "yes".into()),
        closes_on: c
            .closes_at
            .map(|at| at.date().format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
        embed_origins: c.embed_origins.clone(),
        ..CampaignInput::default()
    };
    for text in &campaign.texts {
        if let Some(lang) = Lang::parse(&text.lang) {
            input.set_text(&CampaignText {
                lang,
                title: text.title.clone(),
                summary: text.summary.clone(),
                body: text.body.clone(),
                target: text.target.clone(),
            });
        }
    }
    input
}

pub async fn edit(staff: StaffCampaign, req: HttpRequest) -> HttpResponse {
    let StaffCampaign { session, campaign } = staff;
    render(
        StatusCode::OK,
        &form_page(
            &req,
            &session,
            Some(campaign.campaign.slug.clone()),
            input_of(&campaign),
            Vec::new(),
        ),
    )
}

pub async fn update(
    state: web::Data<AppState>,
    staff: StaffCampaign,
    req: HttpRequest,
    form: web::Form<CampaignForm>,
) -> Result<HttpResponse, StaffError> {
    let StaffCampaign { session, campaign } = staff;
    let CampaignForm {
        mut input,
        csrf_token,
    } = form.into_inner();
    session.check_csrf(&state, &csrf_token)?;
    // The slug is the campaign's public address, already shared: it never changes.
    input.slug.clone_from(&campaign.campaign.slug);
    let draft = match CampaignDraft::parse(&input) {
        Ok(draft) => draft,
        Err(errors) => {
            let slug = Some(campaign.campaign.slug.clone());
            let page = form_page(&req, &session, slug, input, errors);
            return Err(StaffError::invalid(StatusCode::UNPROCESSABLE_ENTITY, &page));
        }
    };
    let id = campaign.campaign.id;
    let now = Utc::now().naive_utc();
    let saved = draft.clone();
    state
        .db
        .run(move |conn| campaigns::update(conn, id, &saved, now))
        .await
        .map_err(|error| session.unavailable(error))?;
    record_audit(
        &state,
        &session.actor(),
        "campaign_updated",
        &format!(
            "slug={} goal={} open={} languages={}",
            draft.slug.as_str(),
            draft.goal,
            draft.is_open,
            draft
                .texts
                .iter()
                .map(|t| t.lang.code())
                .collect::<Vec<_>>()
                .join(",")
        ),
    )
    .await;
    show_publicly(&state).await;
    Ok(see_other(&format!(
        "/admin/campaigns/{}",
        draft.slug.as_str()
    )))
}

/// Public pages read campaigns from memory; this makes a change made here show there at
/// once rather than at the next periodic reload.
async fn show_publicly(state: &AppState) {
    if let Err(error) = state.campaigns.reload(&state.db).await {
        tracing::warn!(error = ?error, "could not reload campaigns; the change shows within seconds");
    }
}

pub async fn open(
    state: web::Data<AppState>,
    staff: StaffCampaign,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, StaffError> {
    set_open(&state, &staff, &form.csrf_token, true).await
}

pub async fn close(
    state: web::Data<AppState>,
    staff: StaffCampaign,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, StaffError> {
    set_open(&state, &staff, &form.csrf_token, false).await
}

async fn set_open(
    state: &AppState,
    staff: &StaffCampaign,
    csrf_token: &str,
    open: bool,
) -> Result<HttpResponse, StaffError> {
    let action = if open {
        "campaign_opened"
    } else {
        "campaign_closed"
    };
    change_campaign(state, staff, csrf_token, action, move |conn, id, now| {
        campaigns::set_open(conn, id, open, now)
    })
    .await
}

/// Longest note staff may show supporters while signing is paused.
const MAX_PAUSE_MESSAGE: usize = 500;

#[derive(serde::Deserialize)]
pub struct PauseForm {
    csrf_token: String,
    #[serde(default)]
    message: String,
}

/// The kill switch: stops signing on a campaign at once, on every page and the API, with a
/// note for supporters, until staff resume it. Nothing already signed is touched.
pub async fn pause(
    state: web::Data<AppState>,
    staff: StaffCampaign,
    form: web::Form<PauseForm>,
) -> Result<HttpResponse, StaffError> {
    let PauseForm {
        csrf_token,
        message,
    } = form.into_inner();
    let message = message.trim().to_owned();
    if message.chars().count() > MAX_PAUSE_MESSAGE {
        return Ok(HttpResponse::UnprocessableEntity()
            .content_type("text/plain; charset=utf-8")
            .body(staff.session.tr().t("admin-pause-too-long")));
    }
    change_campaign(
        &state,
        &staff,
        &csrf_token,
        "campaign_paused",
        move |conn, id, now| campaigns::set_paused(conn, id, Some(&message), now),
    )
    .await
}

pub async fn resume(
    state: web::Data<AppState>,
    staff: StaffCampaign,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, StaffError> {
    change_campaign(
        &state,
        &staff,
        &form.csrf_token,
        "campaign_resumed",
        |conn, id, now| campaigns::set_paused(conn, id, None, now),
    )
    .await
}

/// A change to one campaign from its dashboard: checked against the session's CSRF token,
/// written to the audit log as `action`, and shown on the public pages at once.
async fn change_campaign(
    state: &AppState,
    staff: &StaffCampaign,
    csrf_token: &str,
    action: &str,
    change: impl FnOnce(&mut Connection, i64, NaiveDateTime) -> QueryResult<()> + Send + 'static,
) -> Result<HttpResponse, StaffError> {
    let session = &staff.session;
    session.check_csrf(state, csrf_token)?;
    let id = staff.campaign.campaign.id;
    let now = Utc::now().naive_utc();
    state
        .db
        .run(move |conn| change(conn, id, now))
        .await
        .map_err(|error| session.unavailable(error))?;
    record_audit(
        state,
        &session.actor(),
        action,
        &format!("slug={}", staff.slug()),
    )
    .await;
    show_publicly(state).await;
    Ok(see_other(&format!("/admin/campaigns/{}", staff.slug())))
}

/// Days of confirmation rates the dashboard lists, as many as unconfirmed signatures are
/// kept by default.
const RATE_DAYS: usize = 30;

/// What the dashboard reads from the database for one campaign.
struct Stats {
    totals: Vec<reports::CountRow>,
    confirmed: i64,
    opted_in: i64,
    by_day: Vec<reports::CountRow>,
    by_country: Vec<reports::CountRow>,
    by_source: Vec<reports::CountRow>,
    partners: Vec<Partner>,
    failed_emails: i64,
}

fn stats(conn: &mut Connection, id: i64) -> QueryResult<Stats> {
    let scope = CountScope::campaign(id);
    let (confirmed, opted_in) = reports::opt_in(conn, id)?;
    Ok(Stats {
        totals: reports::counts(conn, &[], &scope)?,
        confirmed,
        opted_in,
        by_day: reports::counts(conn, &[Dimension::Day], &scope)?,
        by_country: reports::counts(conn, &[Dimension::Country], &scope)?,
        by_source: reports::counts(conn, &[Dimension::Source], &scope)?,
        partners: partners::list(conn)?,
        failed_emails: outbox::failed_for_campaign(conn, id)?,
    })
}

pub async fn dashboard(
    state: web::Data<AppState>,
    staff: StaffCampaign,
    req: HttpRequest,
) -> Result<HttpResponse, StaffError> {
    let StaffCampaign { session, campaign } = staff;
    let id = campaign.campaign.id;
    let mut stats = state
        .db
        .run(move |conn| stats(conn, id))
        .await
        .map_err(|error| session.unavailable(error))?;
    let tr = session.tr();
    let (confirmed, opted_in) = (stats.confirmed, stats.opted_in);
    let pending = stats.totals.first().map_or(0, |row| row.pending);
    let days: Vec<(String, i64)> = stats
        .by_day
        .iter()
        .rev()
        .take(60)
        .rev()
        .map(|row| (row.keys[0].clone(), row.confirmed))
        .collect();
    // Unconfirmed signatures are deleted after the retention period, so only recent days
    // have a rate worth reading.
    let confirmation_rate = percent(confirmed, confirmed + pending, tr);
    Ok(render(
        StatusCode::OK,
        &DashboardPage {
            page: admin_page(&req, Some(&session)),
            title: campaign_title(&campaign),
            open: campaign.campaign.accepts_signatures(Utc::now().naive_utc()),
            paused: campaign
                .campaign
                .pause()
                .map(|pause| pause.message.unwrap_or_default().to_owned()),
            confirmed: tr.number(confirmed),
            pending: tr.number(pending),
            failed_emails: tr.number(stats.failed_emails),
            opt_in_rate: percent(opted_in, confirmed, tr),
            confirmation_rate,
            rates: RateRow::recent(&stats.by_day, RATE_DAYS, tr),
            chart: DayChart::new(&days, tr),
            by_country: country_lines(&mut stats.by_country, tr),
            by_source: source_lines(&mut stats.by_source, tr),
            public_url: format!("{}/campaigns/{}", state.base_url, campaign.campaign.slug),
            snippets: snippets(&state.base_url, &campaign, &stats.partners, tr),
            slug: campaign.campaign.slug,
        },
    ))
}

/// Most signatures first.
fn by_confirmed(rows: &mut [reports::CountRow]) {
    rows.sort_by(|a, b| b.confirmed.cmp(&a.confirmed).then(a.keys.cmp(&b.keys)));
}

/// Countries named in the staff member's language, most signatures first.
fn country_lines(rows: &mut [reports::CountRow], tr: Tr) -> Vec<CountLine> {
    by_confirmed(rows);
    let countries = i18n::countries(tr.lang());
    rows.iter()
        .map(|row| {
            let code = row.keys.first().map_or("", String::as_str);
            let name = countries
                .iter()
                .find(|country| country.code == code)
                .map_or_else(|| code.to_owned(), |country| country.name.clone());
            CountLine::new(name, row, tr)
        })
        .collect()
}

/// Sources, with signatures that came with none under their own label.
fn source_lines(rows: &mut [reports::CountRow], tr: Tr) -> Vec<CountLine> {
    by_confirmed(rows);
    rows.iter()
        .map(|row| {
            let label = match row.keys.first().map(String::as_str) {
                None | Some("") => tr.t("admin-no-source"),
                Some(source) => source.to_owned(),
            };
            CountLine::new(label, row, tr)
        })
        .collect()
}

/// One snippet without a partner, then one per registered partner.
fn snippets(
    base_url: &str,
    campaign: &CampaignWithTexts,
    partners: &[Partner],
    tr: Tr,
) -> Vec<Snippets> {
    let lang = campaign.campaign.default_lang();
    let slug = &campaign.campaign.slug;
    let general = tr.t("admin-snippets-general");
    std::iter::once(Snippets::new(general, base_url, slug, None, lang))
        .chain(partners.iter().map(|partner| {
            let label = format!("{} ({})", partner.name, partner.code);
            Snippets::new(label, base_url, slug, Some(&partner.code), lang)
        }))
        .collect()
}
