//! `mariposa kiosk create`: a kiosk's secret link for an event, shown once.

use anyhow::Context;
use chrono::Utc;

use super::{CLI_ACTOR, KioskCommand};
use crate::db::{Database, audit, campaigns, kiosks};
use crate::domain::{KioskRequest, PlainToken};

pub(super) fn create_kiosk(db: &Database, command: KioskCommand) -> anyhow::Result<()> {
    let KioskCommand::Create {
        slug,
        event,
        place,
        date,
        source,
        expires,
        base_url,
    } = command;
    let request = KioskRequest::parse(
        &event,
        &place,
        date.as_deref().unwrap_or_default(),
        source.as_deref().unwrap_or_default(),
        &expires,
    )?;
    let mut conn = db.connection()?;
    let campaign = campaigns::find_by_slug(&mut conn, &slug)?
        .with_context(|| format!("there is no campaign {slug:?}"))?;
    let secret = PlainToken::generate()?;
    let now = Utc::now().naive_utc();
    let (kiosk, event) = kiosks::create_for_event(
        &mut conn,
        campaign.campaign.id,
        &request,
        &secret.hash(),
        now,
    )?;
    let detail = format!(
        "id={} campaign={slug} event={} expires={}",
        kiosk.id,
        event.name,
        kiosk.expires_at.format("%Y-%m-%d %H:%M")
    );
    audit::record(&mut conn, CLI_ACTOR, "kiosk_created", &detail, now)?;
    println!(
        "{}/kiosk/{}",
        base_url.trim_end_matches('/'),
        secret.expose()
    );
    eprintln!(
        "This link is shown once. It works until {} UTC for the event {:?}; open it on the tablet.",
        kiosk.expires_at.format("%Y-%m-%d %H:%M"),
        event.name
    );
    Ok(())
}
