//! `mariposa paper import`: a CSV file of paper signatures read and handed to the paper
//! use case, its summary printed.

use anyhow::{Context, bail};
use chrono::Utc;

use super::CLI_ACTOR;
use crate::db::paper as paper_batches;
use crate::db::{Database, campaigns, in_person};
use crate::domain::{Lang, MAX_SHEET_BYTES, SheetError, Source, read_sheet};
use crate::intake::paper;

pub(super) fn import_paper(
    db: &Database,
    slug: &str,
    file: &std::path::Path,
    event: Option<&str>,
    source: Option<&str>,
    dry_run: bool,
) -> anyhow::Result<()> {
    let size = std::fs::metadata(file)
        .with_context(|| format!("could not read {}", file.display()))?
        .len();
    if size > MAX_SHEET_BYTES as u64 {
        bail!("{}: {}", file.display(), SheetError::TooLarge);
    }
    let bytes =
        std::fs::read(file).with_context(|| format!("could not read {}", file.display()))?;
    let rows =
        read_sheet(&bytes).map_err(|error| anyhow::anyhow!("{}: {error}", file.display()))?;
    let source =
        match source {
            Some(raw) => Some(Source::parse_lenient(raw).with_context(|| {
                format!("{raw:?} is not a source code (letters, digits, - _ .)")
            })?),
            None => None,
        };
    let event_name = event.map(str::trim).filter(|name| !name.is_empty());
    let mut conn = db.connection()?;
    let campaign = campaigns::find_by_slug(&mut conn, slug)?
        .with_context(|| format!("there is no campaign {slug:?}"))?
        .campaign;
    let now = Utc::now().naive_utc();
    let existing = match event_name {
        Some(name) => paper_batches::open_batch_named(&mut conn, campaign.id, name)?,
        None => None,
    };
    let mut batch = paper::Batch::new(&campaign, existing.as_ref(), source, Lang::En, now);
    let (preview, accepted) = paper::check(&mut conn, &batch, &rows, now)?;
    let summary = if dry_run || preview.new == 0 {
        preview
    } else {
        if existing.is_none() {
            let default_name = format!("Import of {}", file.display());
            let event = in_person::NewEvent {
                campaign_id: campaign.id,
                name: event_name.unwrap_or(&default_name),
                place: "",
                held_on: None,
                source: batch.source.as_ref().map(Source::as_str),
            };
            batch.event_id = paper_batches::create_batch(&mut conn, &event, CLI_ACTOR, now)?.id;
        }
        let by = paper::Audited {
            actor: CLI_ACTOR,
            action: "paper_imported",
        };
        paper::store_audited(&mut conn, &batch, preview, accepted, by, now)?
    };
    for problem in summary.problems() {
        eprintln!("{problem}");
    }
    let verb = if dry_run { "Would import" } else { "Imported" };
    println!("{verb}: {}.", summary.headline());
    Ok(())
}
