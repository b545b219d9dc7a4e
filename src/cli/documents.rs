//! Documents printed from the command line: signature sheets and the delivery pack.

use std::io::Write;

use anyhow::{Context, bail};
use chrono::Utc;

use super::CLI_ACTOR;
use crate::db::delivery::Split;
use crate::db::{Database, audit, campaigns, organisation};
use crate::documents::handover;
use crate::documents::pack::PackFormat;
use crate::documents::{Paper, delivery, sheets};
use crate::domain::{Lang, Source};

pub(super) struct SheetsRequest<'a> {
    pub(super) lang: Option<&'a str>,
    pub(super) rows: u32,
    pub(super) pages: u32,
    pub(super) source: Option<&'a str>,
    pub(super) paper: &'a str,
    pub(super) base_url: &'a str,
}

fn parse_lang(raw: Option<&str>, default: Lang) -> anyhow::Result<Lang> {
    match raw {
        Some(raw) => {
            Lang::parse(raw).with_context(|| format!("{raw:?} is not one of es, en, fr, pt"))
        }
        None => Ok(default),
    }
}

fn parse_paper(raw: &str) -> anyhow::Result<Paper> {
    Paper::parse(raw).with_context(|| format!("--paper {raw:?}: use a4 or letter"))
}

pub(super) fn write_sheets(
    db: &Database,
    slug: &str,
    request: &SheetsRequest<'_>,
    output: &std::path::Path,
) -> anyhow::Result<()> {
    if !sheets::ROWS.contains(&request.rows) {
        bail!("--rows must be from 5 to 30");
    }
    if !sheets::PAGES.contains(&request.pages) {
        bail!("--pages must be from 1 to 50");
    }
    let source =
        match request.source {
            Some(raw) => Some(Source::parse_lenient(raw).with_context(|| {
                format!("{raw:?} is not a source code (letters, digits, - _ .)")
            })?),
            None => None,
        };
    let paper = parse_paper(request.paper)?;
    let mut conn = db.connection()?;
    let campaign = campaigns::find_by_slug(&mut conn, slug)?
        .with_context(|| format!("there is no campaign {slug:?}"))?;
    let lang = parse_lang(request.lang, campaign.campaign.default_lang())?;
    let text = campaign.text(lang);
    let form_url = sheets::form_url(
        request.base_url,
        slug,
        lang,
        source.as_ref().map(Source::as_str),
    );
    let pdf = sheets::render(&sheets::SheetSpec {
        lang,
        paper,
        title: text.map_or(slug, |t| &t.title),
        target: text.map_or("", |t| &t.target),
        demand: text.map_or("", |t| &t.summary),
        form_url: &form_url,
        source: source.as_ref().map(Source::as_str),
        rows: request.rows,
        pages: request.pages,
        organisation: &organisation::load(&mut conn)?,
    })?;
    std::fs::write(output, pdf).with_context(|| format!("could not write {}", output.display()))?;
    let detail = format!(
        "campaign={slug} lang={} rows={} pages={} source={}",
        lang.code(),
        request.rows,
        request.pages,
        request.source.unwrap_or_default()
    );
    audit::record(
        &mut conn,
        CLI_ACTOR,
        "sheets_printed",
        &detail,
        Utc::now().naive_utc(),
    )?;
    let sheets = if request.pages == 1 {
        "sheet"
    } else {
        "sheets"
    };
    println!("Wrote {} ({} {sheets}).", output.display(), request.pages);
    Ok(())
}

pub(super) struct DeliveryArgs<'a> {
    pub(super) lang: Option<&'a str>,
    pub(super) by: &'a str,
    pub(super) comments: bool,
    pub(super) paper: &'a str,
    pub(super) volume_signers: u64,
}

pub(super) fn write_delivery(
    db: &Database,
    slug: &str,
    args: &DeliveryArgs<'_>,
    output: &std::path::Path,
    manifest_path: &std::path::Path,
) -> anyhow::Result<()> {
    let split = Split::parse(args.by)
        .with_context(|| format!("--by {:?}: use country or source", args.by))?;
    let paper = parse_paper(args.paper)?;
    let mut conn = db.connection()?;
    let campaign = campaigns::find_by_slug(&mut conn, slug)?
        .with_context(|| format!("there is no campaign {slug:?}"))?;
    let lang = parse_lang(args.lang, campaign.campaign.default_lang())?;
    let manifest_name = manifest_path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut manifest = std::io::BufWriter::new(
        std::fs::File::create(manifest_path)
            .with_context(|| format!("could not create {}", manifest_path.display()))?,
    );
    let request = delivery::DeliveryRequest {
        campaign: &campaign,
        lang,
        split,
        comments: args.comments,
        paper,
        manifest_name: &manifest_name,
        volume_signers: args.volume_signers,
    };
    // A pack cut into volumes is a ZIP, named so.
    let mut written = output.to_path_buf();
    let pack = handover::deliver_pack(&mut conn, &request, CLI_ACTOR, &mut manifest, |format| {
        if format == PackFormat::Zip {
            written.set_extension("zip");
        }
        Ok(std::io::BufWriter::new(std::fs::File::create(&written)?))
    })
    .with_context(|| format!("could not write {}", written.display()))?;
    manifest.flush()?;
    let volumes = if pack.volumes > 1 {
        format!(", {} volumes", pack.volumes)
    } else {
        String::new()
    };
    println!(
        "Wrote {} and {} ({} signers{volumes}). SHA-256 of the manifest: {}",
        written.display(),
        manifest_path.display(),
        pack.signers,
        pack.checksum
    );
    Ok(())
}
