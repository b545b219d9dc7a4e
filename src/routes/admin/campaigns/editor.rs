//! The campaign list, and the editor that creates a campaign and changes its texts and
//! settings.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;

use super::super::auth::{StaffCampaign, StaffSession};
use super::super::{StaffError, admin_page, campaign_title, record_audit};
use super::{see_other, show_publicly};
use crate::db::campaigns::{self, CampaignWithTexts};
use crate::db::reports::{self, CountScope, Dimension};
use crate::domain::{CampaignDraft, CampaignInput, CampaignText, Lang};
use crate::i18n;
use crate::pages::staff::{CampaignFormPage, CampaignListPage, CampaignRow, LanguageFields};
use crate::routes::AppState;
use crate::routes::render;

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
        .filter(|campaign| session.access.sees_campaign(&campaign.campaign.slug))
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
                demand: values.demand(lang).to_owned(),
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
                demand: text.demand.clone(),
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
