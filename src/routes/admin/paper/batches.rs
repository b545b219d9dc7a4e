//! The campaign's paper batches: the list, a new batch for an event, and undoing a batch.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{NaiveDate, Utc};

use super::{load_batch, see_other};
use crate::db::in_person::NewEvent;
use crate::db::paper as batches;
use crate::db::write_transaction;
use crate::domain::{SignedAt, SignedAtError, Source};
use crate::pages::staff::{BatchRow, NewBatchValues, PaperPage};
use crate::routes::admin::auth::{CsrfForm, StaffCampaign};
use crate::routes::admin::error::StaffError;
use crate::routes::admin::{admin_page, campaign_title, record_audit};
use crate::routes::{AppState, render};

/// The list of batches with the form for a new one, as typed and with what was wrong.
async fn list_page(
    state: &AppState,
    staff: &StaffCampaign,
    req: &HttpRequest,
    values: NewBatchValues,
    errors: Vec<String>,
) -> Result<PaperPage, StaffError> {
    let campaign_id = staff.campaign.campaign.id;
    let listed = state
        .db
        .run(move |conn| batches::batches(conn, campaign_id))
        .await
        .map_err(|error| staff.session.unavailable(error))?;
    Ok(PaperPage {
        page: admin_page(req, Some(&staff.session)),
        slug: staff.slug().to_owned(),
        title: campaign_title(&staff.campaign),
        batches: listed
            .iter()
            .filter(|batch| staff.session.sees_batch(&batch.created_by))
            .map(|batch| BatchRow::new(batch, staff.session.tr()))
            .collect(),
        values,
        errors,
    })
}

pub async fn list(
    state: web::Data<AppState>,
    staff: StaffCampaign,
    req: HttpRequest,
) -> Result<HttpResponse, StaffError> {
    let page = list_page(&state, &staff, &req, NewBatchValues::default(), vec![]).await?;
    Ok(render(StatusCode::OK, &page))
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct NewBatchForm {
    name: String,
    place: String,
    held_on: String,
    source: String,
    csrf_token: String,
}

/// A new batch as the form describes it, or each thing wrong with the form.
struct NewBatch {
    name: String,
    place: String,
    held_on: Option<NaiveDate>,
    source: Option<String>,
}

impl NewBatch {
    fn parse(form: &NewBatchForm, staff: &StaffCampaign) -> Result<Self, Vec<String>> {
        let tr = staff.session.tr();
        let name = form.name.trim().to_owned();
        let place = form.place.trim().to_owned();
        let mut errors = Vec::new();
        if name.is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
            errors.push(tr.t("admin-paper-name-invalid"));
        }
        if place.chars().count() > 200 || place.chars().any(char::is_control) {
            errors.push(tr.t("admin-paper-place-invalid"));
        }
        let held_on = match form.held_on.trim() {
            "" => None,
            raw => NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .map_err(|_| errors.push(tr.t("admin-paper-date-invalid")))
                .ok(),
        };
        let source = match form.source.trim() {
            "" => None,
            raw => match Source::parse_lenient(raw) {
                Some(source) => Some(source.as_str().to_owned()),
                None => {
                    errors.push(tr.t("admin-paper-source-invalid"));
                    None
                }
            },
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        // Rows without a date of their own are signed on the event's day.
        let campaign = &staff.campaign.campaign;
        if let Some(day) = held_on
            && let Err(error) = SignedAt::on_day(day, campaign.created_at, Utc::now().naive_utc())
        {
            let created = campaign.created_at.date().to_string();
            return Err(vec![match error {
                SignedAtError::BeforeCampaign => {
                    tr.t1("admin-paper-date-before-campaign", "created", &created)
                }
                SignedAtError::Future => tr.t("admin-paper-date-future"),
            }]);
        }
        Ok(Self {
            name,
            place,
            held_on,
            source,
        })
    }
}

pub async fn create(
    state: web::Data<AppState>,
    staff: StaffCampaign,
    req: HttpRequest,
    form: web::Form<NewBatchForm>,
) -> Result<HttpResponse, StaffError> {
    let form = form.into_inner();
    staff.session.check_csrf(&state, &form.csrf_token)?;
    let new = match NewBatch::parse(&form, &staff) {
        Ok(new) => new,
        Err(errors) => {
            let values = NewBatchValues {
                name: form.name,
                place: form.place,
                held_on: form.held_on,
                source: form.source,
            };
            let page = list_page(&state, &staff, &req, values, errors).await?;
            return Err(StaffError::invalid(StatusCode::UNPROCESSABLE_ENTITY, &page));
        }
    };
    let (campaign_id, actor) = (staff.campaign.campaign.id, staff.session.actor());
    let now = Utc::now().naive_utc();
    let stored = (
        new.name.clone(),
        new.place,
        new.source.clone(),
        actor.clone(),
    );
    let event = state
        .db
        .run(move |conn| {
            let (name, place, source, actor) = stored;
            let event = NewEvent {
                campaign_id,
                name: &name,
                place: &place,
                held_on: new.held_on,
                source: source.as_deref(),
            };
            batches::create_batch(conn, &event, &actor, now)
        })
        .await
        .map_err(|error| staff.session.unavailable(error))?;
    let slug = staff.slug();
    let detail = format!(
        "campaign={slug} event={} name={} source={}",
        event.id,
        new.name,
        new.source.unwrap_or_default()
    );
    record_audit(&state, &actor, "paper_batch_created", &detail).await;
    Ok(see_other(&format!(
        "/admin/campaigns/{slug}/paper/{}",
        event.id
    )))
}

/// Takes a batch's signatures back out of the count, audited.
pub async fn undo(
    state: web::Data<AppState>,
    staff: StaffCampaign,
    path: web::Path<(String, i64)>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, StaffError> {
    staff.session.check_csrf(&state, &form.csrf_token)?;
    let (_, event_id) = path.into_inner();
    load_batch(&state, &staff, event_id).await?;
    let actor = staff.session.actor();
    let by = actor.clone();
    let now = Utc::now().naive_utc();
    let undone = state
        .db
        .run(move |conn| {
            write_transaction(conn, |conn| batches::undo_batch(conn, event_id, &by, now))
        })
        .await
        .map_err(|error| staff.session.unavailable(error))?;
    let slug = staff.slug();
    if let Some(undone) = undone {
        state.counts.changed();
        let detail = format!(
            "campaign={slug} event={event_id} removed={} reopened={}",
            undone.removed, undone.reopened
        );
        record_audit(&state, &actor, "paper_batch_undone", &detail).await;
    }
    Ok(see_other(&format!("/admin/campaigns/{slug}/paper")))
}
