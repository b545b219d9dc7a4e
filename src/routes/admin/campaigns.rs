//! Staff manage campaigns: list, create, edit, open and close, pause, and watch them grow.

use actix_web::http::StatusCode;
use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{NaiveDateTime, Utc};
use diesel::QueryResult;

use super::auth::{CsrfForm, StaffSession};
use super::views::{
    CampaignFormPage, CampaignListPage, CampaignRow, CountLine, DashboardPage, DayChart,
    LanguageFields, RateRow, Snippets, percent,
};
use super::{admin_page, record_audit};
use crate::db::campaigns::{self, CampaignWithTexts};
use crate::db::outbox;
use crate::db::partners::{self, Partner};
use crate::db::reports::{self, CountScope, Dimension};
use crate::db::{Connection, StoreError};
use crate::domain::{CampaignDraft, CampaignInput, CampaignText, Lang};
use crate::i18n::{self, Tr};
use crate::routes::AppState;
use crate::routes::render;

fn unavailable(session: &StaffSession, error: StoreError) -> HttpResponse {
    tracing::error!(error = ?error, "a staff page could not reach the database");
    super::unavailable_page(session.tr())
}

fn not_found(session: &StaffSession) -> HttpResponse {
    HttpResponse::NotFound()
        .content_type("text/plain; charset=utf-8")
        .body(session.tr().t("admin-campaign-not-found"))
}

fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((LOCATION, location))
        .finish()
}

fn title(campaign: &CampaignWithTexts) -> String {
    campaign
        .text(campaign.campaign.default_lang())
        .map(|t| t.title.clone())
        .unwrap_or_else(|| campaign.campaign.slug.clone())
}

pub async fn list(
    state: web::Data<AppState>,
    session: StaffSession,
    req: HttpRequest,
) -> HttpResponse {
    let loaded = state
        .db
        .run(|conn| {
            let all = campaigns::list_all(conn)?;
            let counts = reports::counts(conn, &[Dimension::Campaign], &CountScope::default())?;
            Ok((all, counts))
        })
        .await;
    let (all, counts) = match loaded {
        Ok(loaded) => loaded,
        Err(error) => return unavailable(&session, error),
    };
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
                title: title(campaign),
                open: campaign.campaign.accepts_signatures(now),
                confirmed: tr.number(count.map_or(0, |c| c.confirmed)),
                pending: tr.number(count.map_or(0, |c| c.pending)),
                goal: tr.number(campaign.campaign.goal),
            }
        })
        .collect();
    render(
        StatusCode::OK,
        &CampaignListPage {
            page: admin_page(&req, Some(&session)),
            campaigns: rows,
        },
    )
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
) -> HttpResponse {
    let CampaignForm { input, csrf_token } = form.into_inner();
    if let Err(refused) = session.check_csrf(&state, &csrf_token) {
        return refused.response();
    }
    let draft = match CampaignDraft::parse(&input) {
        Ok(draft) => draft,
        Err(errors) => {
            return render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &form_page(&req, &session, None, input, errors),
            );
        }
    };
    let now = Utc::now().naive_utc();
    let saved = draft.clone();
    let created = match state
        .db
        .run(move |conn| campaigns::insert(conn, &saved, now))
        .await
    {
        Ok(created) => created,
        Err(error) => return unavailable(&session, error),
    };
    if created.is_none() {
        let errors = vec![("slug", "admin-slug-taken")];
        return render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &form_page(&req, &session, None, input, errors),
        );
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
    see_other(&format!("/admin/campaigns/{}", draft.slug.as_str()))
}

async fn load(state: &AppState, slug: String) -> Result<Option<CampaignWithTexts>, StoreError> {
    state
        .db
        .run(move |conn| campaigns::find_by_slug(conn, &slug))
        .await
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

pub async fn edit(
    state: web::Data<AppState>,
    session: StaffSession,
    req: HttpRequest,
    slug: web::Path<String>,
) -> HttpResponse {
    match load(&state, slug.into_inner()).await {
        Ok(Some(campaign)) => render(
            StatusCode::OK,
            &form_page(
                &req,
                &session,
                Some(campaign.campaign.slug.clone()),
                input_of(&campaign),
                Vec::new(),
            ),
        ),
        Ok(None) => not_found(&session),
        Err(error) => unavailable(&session, error),
    }
}

pub async fn update(
    state: web::Data<AppState>,
    session: StaffSession,
    req: HttpRequest,
    slug: web::Path<String>,
    form: web::Form<CampaignForm>,
) -> HttpResponse {
    let CampaignForm {
        mut input,
        csrf_token,
    } = form.into_inner();
    if let Err(refused) = session.check_csrf(&state, &csrf_token) {
        return refused.response();
    }
    let campaign = match load(&state, slug.into_inner()).await {
        Ok(Some(campaign)) => campaign,
        Ok(None) => return not_found(&session),
        Err(error) => return unavailable(&session, error),
    };
    // The slug is the campaign's public address, already shared: it never changes.
    input.slug.clone_from(&campaign.campaign.slug);
    let draft = match CampaignDraft::parse(&input) {
        Ok(draft) => draft,
        Err(errors) => {
            return render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &form_page(
                    &req,
                    &session,
                    Some(campaign.campaign.slug.clone()),
                    input,
                    errors,
                ),
            );
        }
    };
    let id = campaign.campaign.id;
    let now = Utc::now().naive_utc();
    let saved = draft.clone();
    if let Err(error) = state
        .db
        .run(move |conn| campaigns::update(conn, id, &saved, now))
        .await
    {
        return unavailable(&session, error);
    }
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
    see_other(&format!("/admin/campaigns/{}", draft.slug.as_str()))
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
    session: StaffSession,
    slug: web::Path<String>,
    form: web::Form<CsrfForm>,
) -> HttpResponse {
    set_open(state, session, slug.into_inner(), form.into_inner(), true).await
}

pub async fn close(
    state: web::Data<AppState>,
    session: StaffSession,
    slug: web::Path<String>,
    form: web::Form<CsrfForm>,
) -> HttpResponse {
    set_open(state, session, slug.into_inner(), form.into_inner(), false).await
}

async fn set_open(
    state: web::Data<AppState>,
    session: StaffSession,
    slug: String,
    form: CsrfForm,
    open: bool,
) -> HttpResponse {
    let action = if open {
        "campaign_opened"
    } else {
        "campaign_closed"
    };
    change_campaign(
        &state,
        &session,
        slug,
        &form.csrf_token,
        action,
        move |conn, id, now| campaigns::set_open(conn, id, open, now),
    )
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
    session: StaffSession,
    slug: web::Path<String>,
    form: web::Form<PauseForm>,
) -> HttpResponse {
    let PauseForm {
        csrf_token,
        message,
    } = form.into_inner();
    let message = message.trim().to_owned();
    if message.chars().count() > MAX_PAUSE_MESSAGE {
        return HttpResponse::UnprocessableEntity()
            .content_type("text/plain; charset=utf-8")
            .body(session.tr().t("admin-pause-too-long"));
    }
    change_campaign(
        &state,
        &session,
        slug.into_inner(),
        &csrf_token,
        "campaign_paused",
        move |conn, id, now| campaigns::set_paused(conn, id, Some(&message), now),
    )
    .await
}

pub async fn resume(
    state: web::Data<AppState>,
    session: StaffSession,
    slug: web::Path<String>,
    form: web::Form<CsrfForm>,
) -> HttpResponse {
    change_campaign(
        &state,
        &session,
        slug.into_inner(),
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
    session: &StaffSession,
    slug: String,
    csrf_token: &str,
    action: &str,
    change: impl FnOnce(&mut Connection, i64, NaiveDateTime) -> QueryResult<()> + Send + 'static,
) -> HttpResponse {
    if let Err(refused) = session.check_csrf(state, csrf_token) {
        return refused.response();
    }
    let campaign = match load(state, slug).await {
        Ok(Some(campaign)) => campaign,
        Ok(None) => return not_found(session),
        Err(error) => return unavailable(session, error),
    };
    let id = campaign.campaign.id;
    let now = Utc::now().naive_utc();
    if let Err(error) = state.db.run(move |conn| change(conn, id, now)).await {
        return unavailable(session, error);
    }
    record_audit(
        state,
        &session.actor(),
        action,
        &format!("slug={}", campaign.campaign.slug),
    )
    .await;
    show_publicly(state).await;
    see_other(&format!("/admin/campaigns/{}", campaign.campaign.slug))
}

/// Days of confirmation rates the dashboard lists, as many as unconfirmed signatures are
/// kept by default.
const RATE_DAYS: usize = 30;

pub async fn dashboard(
    state: web::Data<AppState>,
    session: StaffSession,
    req: HttpRequest,
    slug: web::Path<String>,
) -> HttpResponse {
    let campaign = match load(&state, slug.into_inner()).await {
        Ok(Some(campaign)) => campaign,
        Ok(None) => return not_found(&session),
        Err(error) => return unavailable(&session, error),
    };
    let id = campaign.campaign.id;
    let stats = state
        .db
        .run(move |conn| {
            let totals = reports::counts(conn, &[], &CountScope::campaign(id))?;
            let (confirmed, opted_in) = reports::opt_in(conn, id)?;
            let by_day = reports::counts(conn, &[Dimension::Day], &CountScope::campaign(id))?;
            let by_country =
                reports::counts(conn, &[Dimension::Country], &CountScope::campaign(id))?;
            let by_source = reports::counts(conn, &[Dimension::Source], &CountScope::campaign(id))?;
            let partners = partners::list(conn)?;
            let failed_emails = outbox::failed_for_campaign(conn, id)?;
            Ok((
                totals,
                confirmed,
                opted_in,
                by_day,
                by_country,
                by_source,
                partners,
                failed_emails,
            ))
        })
        .await;
    let (
        totals,
        confirmed,
        opted_in,
        by_day,
        mut by_country,
        mut by_source,
        partners,
        failed_emails,
    ) = match stats {
        Ok(stats) => stats,
        Err(error) => return unavailable(&session, error),
    };
    let tr = session.tr();
    let pending = totals.first().map_or(0, |row| row.pending);
    let days: Vec<(String, i64)> = by_day
        .iter()
        .rev()
        .take(60)
        .rev()
        .map(|row| (row.keys[0].clone(), row.confirmed))
        .collect();
    by_country.sort_by(|a, b| b.confirmed.cmp(&a.confirmed).then(a.keys.cmp(&b.keys)));
    by_source.sort_by(|a, b| b.confirmed.cmp(&a.confirmed).then(a.keys.cmp(&b.keys)));
    let opt_in_rate = percent(opted_in, confirmed, tr);
    // Unconfirmed signatures are deleted after the retention period, so only recent days
    // have a rate worth reading.
    let confirmation_rate = percent(confirmed, confirmed + pending, tr);
    let rates = RateRow::recent(&by_day, RATE_DAYS, tr);
    let countries = i18n::countries(tr.lang());
    let by_country = by_country
        .iter()
        .map(|row| {
            let code = row.keys.first().map_or("", String::as_str);
            let name = countries
                .iter()
                .find(|country| country.code == code)
                .map_or_else(|| code.to_owned(), |country| country.name.clone());
            CountLine::new(name, row, tr)
        })
        .collect();
    let by_source = by_source
        .iter()
        .map(|row| {
            let label = match row.keys.first().map(String::as_str) {
                None | Some("") => tr.t("admin-no-source"),
                Some(source) => source.to_owned(),
            };
            CountLine::new(label, row, tr)
        })
        .collect();
    render(
        StatusCode::OK,
        &DashboardPage {
            page: admin_page(&req, Some(&session)),
            title: title(&campaign),
            open: campaign.campaign.accepts_signatures(Utc::now().naive_utc()),
            paused: campaign
                .campaign
                .pause()
                .map(|pause| pause.message.unwrap_or_default().to_owned()),
            confirmed: tr.number(confirmed),
            pending: tr.number(pending),
            failed_emails: tr.number(failed_emails),
            opt_in_rate,
            confirmation_rate,
            rates,
            chart: DayChart::new(&days, tr),
            by_country,
            by_source,
            public_url: format!("{}/campaigns/{}", state.base_url, campaign.campaign.slug),
            snippets: snippets(&state.base_url, &campaign, &partners, tr),
            slug: campaign.campaign.slug,
        },
    )
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
