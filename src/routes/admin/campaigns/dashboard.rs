//! A campaign's dashboard: its counts, rates and chart, and the snippets for partners.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use diesel::QueryResult;

use super::super::auth::StaffCampaign;
use super::super::{StaffError, admin_page, campaign_title};
use crate::db::Connection;
use crate::db::outbox_stats;
use crate::db::partners::{self, Partner};
use crate::db::reports::{self, CountScope, Dimension};
use crate::pages::staff::{
    DashboardPage, DayChart, RateRow, country_lines, percent, snippets, source_lines,
};
use crate::routes::AppState;
use crate::routes::render;

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
        failed_emails: outbox_stats::failed_for_campaign(conn, id)?,
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
            chart: DayChart::new(&days, Utc::now().date_naive(), tr),
            by_country: country_lines(&mut stats.by_country, tr),
            by_source: source_lines(&mut stats.by_source, tr),
            public_url: format!("{}/campaigns/{}", state.base_url, campaign.campaign.slug),
            snippets: snippets(&state.base_url, &campaign, &stats.partners, tr),
            slug: campaign.campaign.slug,
        },
    ))
}
