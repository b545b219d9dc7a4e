//! The delivery pack: what the campaign hands to the people its petition is addressed to.
//! A cover (title, addressee, demand, dates, totals, the list's checksum), then every
//! confirmed signer in a table, never an email address. The list is read from the database
//! a page at a time, twice: once to write the manifest CSV and its SHA-256 checksum, which
//! the cover prints, and once to print it. This file draws the pages; `pack.rs` cuts a
//! large list into volumes and writes them out one at a time.

use chrono::{NaiveDate, NaiveDateTime};

use super::DocumentError;
use super::layout::{Fonts, Paper, Pen};
use super::letter::{self, Letter, Sheet};
use crate::db::Connection;
use crate::db::campaigns::CampaignWithTexts;
use crate::db::delivery::{self, Section, Signer, Split, Totals};
use crate::domain::{Lang, Organisation};
use crate::i18n::{Tr, country_name};

/// Signers read from the database at a time.
const PAGE: i64 = 2_000;
const MARGIN: f32 = 42.0;
/// Countries named on the cover; the rest are summed up.
const COVER_COUNTRIES: usize = 12;

pub struct DeliveryRequest<'a> {
    pub campaign: &'a CampaignWithTexts,
    pub lang: Lang,
    pub split: Split,
    pub comments: bool,
    pub paper: Paper,
    /// The manifest's file name, as the cover names it.
    pub manifest_name: &'a str,
    /// The most signers in one PDF: a longer list is cut into volumes, so that a pack's
    /// memory does not grow with its signers.
    pub volume_signers: u64,
}

/// Who delivers the pack, and how many names its fonts cannot draw.
pub(super) struct Sender {
    pub(super) organisation: Organisation,
    pub(super) undrawable: u64,
}

/// Signers whose names have a letter no font here has: the cover says how many, so that a
/// box in the list is never taken for a name left out.
pub(super) fn undrawable_names(
    conn: &mut Connection,
    request: &DeliveryRequest<'_>,
    sections: &[Section],
    fonts: &Fonts,
) -> Result<u64, DocumentError> {
    let mut undrawable = 0;
    for section in sections {
        each_signer(conn, request, section, |signer| {
            let name = format!("{} {}", signer.first_name, signer.last_name);
            if !fonts.regular.covers(&name) {
                undrawable += 1;
            }
            Ok(())
        })?;
    }
    Ok(undrawable)
}

/// Each section's signers in order, a page of rows at a time.
pub(super) fn each_signer(
    conn: &mut Connection,
    request: &DeliveryRequest<'_>,
    section: &Section,
    mut visit: impl FnMut(&Signer) -> Result<(), DocumentError>,
) -> Result<(), DocumentError> {
    let campaign_id = request.campaign.campaign.id;
    let mut after = 0;
    loop {
        let page = delivery::signers(conn, campaign_id, request.split, section, after, PAGE)?;
        let Some(last) = page.last() else {
            return Ok(());
        };
        after = last.id;
        for signer in &page {
            visit(signer)?;
        }
    }
}

/// How the pages are laid out, worked out once so that "page X of Y" is known up front.
#[derive(Clone)]
pub(super) struct Layout {
    pub(super) width: f32,
    pub(super) height: f32,
    row_height: f32,
    pub(super) rows_per_page: usize,
    /// The pages of the PDF being drawn, for "page X of Y".
    pub(super) pages: usize,
}

impl Layout {
    pub(super) fn new(paper: Paper, comments: bool) -> Self {
        let (width, height) = paper.size();
        let row_height = if comments { 26.0 } else { 15.0 };
        let table_top = MARGIN + 48.0;
        let table_bottom = height - MARGIN - 20.0;
        let rows_per_page = (((table_bottom - table_top) / row_height) as usize).max(1);
        Self {
            width,
            height,
            row_height,
            rows_per_page,
            pages: 1,
        }
    }
}

fn page_footer(pen: &mut Pen, fonts: &Fonts, tr: Tr, layout: &Layout, page_number: usize) {
    pen.text_right(
        &fonts.regular,
        8.0,
        layout.width - MARGIN,
        layout.height - MARGIN + 10.0,
        &tr.t2(
            "doc-page-of",
            ("page", &page_number.to_string()),
            ("pages", &layout.pages.to_string()),
        ),
    );
}

/// Which part of a pack cut into volumes a PDF holds, as its cover says.
pub(super) struct VolumeOf {
    pub(super) volume: usize,
    pub(super) volumes: usize,
    pub(super) first: u64,
    pub(super) last: u64,
}

pub(super) fn draw_cover(
    pen: &mut Pen,
    fonts: &Fonts,
    request: &DeliveryRequest<'_>,
    totals: &Totals,
    checksum: &str,
    layout: &Layout,
    volume: Option<&VolumeOf>,
) {
    let tr = Tr(request.lang);
    let text = request.campaign.text(request.lang);
    let width = layout.width - 2.0 * MARGIN;
    let x = MARGIN;
    let mut y = MARGIN + 20.0;
    pen.text(
        &fonts.bold,
        10.0,
        x,
        y,
        &tr.t("doc-delivery-name").to_uppercase(),
    );
    y += 30.0;
    let title = text.map_or(request.campaign.campaign.slug.as_str(), |t| &t.title);
    for line in fonts.bold.wrap(title, 22.0, width).iter().take(4) {
        pen.text(&fonts.bold, 22.0, x, y, line);
        y += 28.0;
    }
    if let Some(target) = text.map(|t| t.target.as_str()).filter(|t| !t.is_empty()) {
        y += 2.0;
        let to = tr.t1("doc-addressed-to", "target", target);
        for line in fonts.regular.wrap(&to, 13.0, width).iter().take(2) {
            pen.text(&fonts.regular, 13.0, x, y, line);
            y += 18.0;
        }
    }
    // The demand to the target, never the summary written to win supporters over.
    let demand = text.map_or("", |t| t.demand.as_str());
    if !demand.is_empty() {
        y += 14.0;
        pen.text(&fonts.bold, 11.0, x, y, &tr.t("doc-delivery-demand"));
        y += 16.0;
        for line in fonts.regular.wrap(demand, 10.0, width).iter().take(14) {
            pen.text(&fonts.regular, 10.0, x, y, line);
            y += 14.0;
        }
    }
    y += 14.0;
    if let (Some(first), Some(last)) = (totals.first_signed, totals.last_signed) {
        let dates = tr.t2(
            "doc-delivery-dates",
            ("from", &tr.date(first.date())),
            ("to", &tr.date(last.date())),
        );
        pen.text(&fonts.regular, 10.0, x, y, &dates);
        y += 22.0;
    }
    let total = totals.online + totals.in_person;
    if total == 0 {
        pen.text(&fonts.regular, 11.0, x, y, &tr.t("doc-delivery-none"));
        y += 22.0;
    } else {
        let count = |n: i64| tr.number(n);
        pen.text(
            &fonts.bold,
            14.0,
            x,
            y,
            &tr.t1("doc-delivery-total", "count", &count(total)),
        );
        y += 20.0;
        for (key, n) in [
            ("doc-delivery-online", totals.online),
            ("doc-delivery-paper", totals.in_person),
        ] {
            pen.text(&fonts.regular, 10.5, x, y, &tr.t1(key, "count", &count(n)));
            y += 15.0;
        }
        y += 10.0;
        pen.text(&fonts.bold, 10.5, x, y, &tr.t("doc-delivery-by-country"));
        y += 15.0;
        let shown = totals.by_country.iter().take(COVER_COUNTRIES);
        let rest: i64 = totals
            .by_country
            .iter()
            .skip(COVER_COUNTRIES)
            .map(|(_, n)| n)
            .sum();
        let mut lines: Vec<(String, i64)> = shown
            .map(|(code, n)| (country_name(request.lang, code), *n))
            .collect();
        if rest > 0 {
            lines.push((tr.t("doc-delivery-other-countries"), rest));
        }
        for (name, n) in lines {
            pen.text(
                &fonts.regular,
                9.5,
                x + 10.0,
                y,
                &fonts.regular.fit(&name, 9.5, 200.0),
            );
            pen.text_right(&fonts.regular, 9.5, x + 280.0, y, &count(n));
            y += 13.0;
        }
    }
    if let Some(volume) = volume {
        y += 12.0;
        let of = tr.t2(
            "doc-delivery-volume",
            ("volume", &volume.volume.to_string()),
            ("volumes", &volume.volumes.to_string()),
        );
        pen.text(&fonts.bold, 10.5, x, y, &of);
        y += 15.0;
        let range = tr.t2(
            "doc-delivery-volume-signers",
            ("first", &tr.number(volume.first as i64)),
            ("last", &tr.number(volume.last as i64)),
        );
        for line in fonts.regular.wrap(&range, 10.0, width) {
            pen.text(&fonts.regular, 10.0, x, y, &line);
            y += 14.0;
        }
    }
    // The checksum sits at the foot of the cover, where the recipient looks for it.
    let help = fonts
        .regular
        .wrap(&tr.t("doc-delivery-checksum-help"), 8.5, width);
    let mut y = (layout.height - MARGIN - 30.0 - help.len() as f32 * 11.0 - 34.0).max(y + 10.0);
    pen.line((x, y - 14.0), (x + width, y - 14.0), 0.5, 120);
    let label = tr.t1("doc-delivery-checksum-label", "file", request.manifest_name);
    pen.text(&fonts.bold, 9.0, x, y, &fonts.bold.fit(&label, 9.0, width));
    y += 16.0;
    pen.text(&fonts.regular, 9.5, x, y, checksum);
    y += 16.0;
    for line in help {
        pen.text(&fonts.regular, 8.5, x, y, &line);
        y += 11.0;
    }
    page_footer(pen, fonts, tr, layout, 2);
}

/// The letter from the organisation that opens each volume, dated `date`.
pub(super) fn draw_letter(
    pen: &mut Pen,
    fonts: &Fonts,
    request: &DeliveryRequest<'_>,
    from: &Sender,
    totals: &Totals,
    layout: &Layout,
    date: NaiveDate,
) {
    let tr = Tr(request.lang);
    let text = request.campaign.text(request.lang);
    let sheet = Sheet {
        width: layout.width,
        margin: MARGIN * 1.5,
    };
    let letter = Letter {
        tr,
        organisation: &from.organisation,
        title: text.map_or(request.campaign.campaign.slug.as_str(), |t| &t.title),
        target: text.map_or("", |t| t.target.as_str()),
        totals,
        date,
    };
    letter::draw(pen, fonts, &letter, &sheet);
    page_footer(pen, fonts, tr, layout, 1);
}

/// At the foot of the cover, how many names no font here could draw, so that a box in the
/// list is never taken for a name left out.
pub(super) fn draw_undrawable_note(
    pen: &mut Pen,
    fonts: &Fonts,
    tr: Tr,
    layout: &Layout,
    undrawable: u64,
) {
    if undrawable == 0 {
        return;
    }
    let note = tr.t1(
        "doc-undrawable",
        "count",
        &tr.number(i64::try_from(undrawable).unwrap_or(i64::MAX)),
    );
    let mut y = layout.height - MARGIN - 4.0;
    for line in fonts
        .bold
        .wrap(&note, 8.5, layout.width - 2.0 * MARGIN)
        .iter()
        .rev()
    {
        pen.text(&fonts.bold, 8.5, MARGIN, y, line);
        y -= 11.0;
    }
}

fn day(at: NaiveDateTime) -> String {
    at.date().format("%Y-%m-%d").to_string()
}

pub(super) struct ListPage<'a> {
    pub(super) title: &'a str,
    pub(super) page_number: usize,
}

/// A row of the list: a signer, or the heading of the country or source after it.
pub(super) enum Row {
    Heading(String),
    Signer(Signer),
}

pub(super) fn section_heading(request: &DeliveryRequest<'_>, key: &str) -> String {
    let tr = Tr(request.lang);
    match request.split {
        Split::Country => tr.t1(
            "doc-group-country",
            "name",
            &country_name(request.lang, key),
        ),
        Split::Source if key.is_empty() => tr.t("doc-group-no-source"),
        _ => tr.t1("doc-group-source", "name", key),
    }
}

/// Columns of the list, as shares of the width.
const COLUMNS: [(&str, f32); 6] = [
    ("doc-col-number", 0.09),
    ("doc-col-name", 0.35),
    ("doc-col-postal-code", 0.12),
    ("doc-col-country", 0.19),
    ("doc-col-date", 0.12),
    ("doc-col-channel", 0.13),
];

pub(super) fn draw_list_page(
    pen: &mut Pen,
    fonts: &Fonts,
    request: &DeliveryRequest<'_>,
    layout: &Layout,
    context: &ListPage<'_>,
    rows: &[Row],
    number: &mut u64,
) {
    let tr = Tr(request.lang);
    let width = layout.width - 2.0 * MARGIN;
    let mut y = MARGIN + 6.0;
    pen.text(
        &fonts.regular,
        8.0,
        MARGIN,
        y,
        &fonts.regular.fit(context.title, 8.0, width),
    );
    y = MARGIN + 44.0;
    let mut x = MARGIN;
    let mut edges = Vec::new();
    for (key, share) in COLUMNS {
        edges.push(x);
        pen.text(&fonts.bold, 8.0, x + 2.0, y, &tr.t(key));
        x += share * width;
    }
    y += 4.0;
    pen.line((MARGIN, y), (MARGIN + width, y), 0.8, 0);
    for row in rows {
        let baseline = y + 11.0;
        let signer = match row {
            Row::Heading(heading) => {
                pen.text(&fonts.bold, 9.5, MARGIN + 2.0, baseline, heading);
                y += layout.row_height;
                pen.line((MARGIN, y), (MARGIN + width, y), 0.5, 90);
                continue;
            }
            Row::Signer(signer) => signer,
        };
        *number += 1;
        let name = format!("{} {}", signer.first_name, signer.last_name);
        let country = country_name(request.lang, &signer.country);
        let channel = match signer.channel.as_str() {
            "online" => tr.t("doc-channel-online"),
            "paper" => tr.t("doc-channel-paper"),
            _ => tr.t("doc-channel-kiosk"),
        };
        let cells = [
            number.to_string(),
            name,
            signer.postal_code.clone().unwrap_or_default(),
            country,
            day(signer.created_at),
            channel,
        ];
        for (i, cell) in cells.iter().enumerate() {
            let column = COLUMNS[i].1 * width - 4.0;
            pen.text(
                &fonts.regular,
                8.5,
                edges[i] + 2.0,
                baseline,
                &fonts.regular.fit(cell, 8.5, column),
            );
        }
        if request.comments
            && let Some(comment) = signer.comment.as_deref().filter(|c| !c.trim().is_empty())
        {
            let comment = comment.split_whitespace().collect::<Vec<_>>().join(" ");
            pen.text(
                &fonts.regular,
                7.5,
                edges[1] + 2.0,
                baseline + 11.0,
                &fonts.regular.fit(&format!("“{comment}”"), 7.5, width * 0.9),
            );
        }
        y += layout.row_height;
        pen.line((MARGIN, y), (MARGIN + width, y), 0.3, 170);
    }
    page_footer(pen, fonts, tr, layout, context.page_number);
}
