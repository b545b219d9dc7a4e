//! The delivery pack: what the campaign hands to the people its petition is addressed to.
//! A cover (title, addressee, demand, dates, totals, the list's checksum), then every
//! confirmed signer in a table, never an email address. The list is read from the database
//! a page at a time, twice: once to write the manifest CSV and its SHA-256 checksum, which
//! the cover prints, and once to print it; so memory does not grow with the signers (the PDF
//! itself is kept, compressed, until it is written).

use std::io::Write;

use chrono::NaiveDateTime;
use krilla::Document;
use krilla::page::PageSettings;
use sha2::{Digest, Sha256};

use super::layout::{Fonts, Paper, Pen};
use super::{DocumentError, finish};
use crate::db::Connection;
use crate::db::campaigns::CampaignWithTexts;
use crate::db::delivery::{self, Section, Signer, Split, Totals};
use crate::domain::{Lang, hex, neutralise_formulas};
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
}

/// A finished pack: the PDF, and the checksum of the manifest written beside it.
pub struct DeliveryPack {
    pub pdf: Vec<u8>,
    pub checksum: String,
    pub signers: u64,
}

/// Writes the manifest to `manifest` and returns the pack.
pub fn build(
    conn: &mut Connection,
    request: &DeliveryRequest<'_>,
    manifest: &mut dyn Write,
) -> Result<DeliveryPack, DocumentError> {
    let campaign_id = request.campaign.campaign.id;
    delivery::snapshot(conn, |conn| {
        let sections = delivery::sections(conn, campaign_id, request.split)?;
        let (checksum, signers) = write_manifest(conn, request, &sections, manifest)?;
        let totals = delivery::totals(conn, campaign_id)?;
        let pdf = render(conn, request, &sections, &totals, &checksum)?;
        Ok(DeliveryPack {
            pdf,
            checksum,
            signers,
        })
    })
}

/// Writes only the manifest, from its own snapshot, and returns its checksum and rows: the
/// same bytes `build` writes while nobody signs in between.
pub fn manifest(
    conn: &mut Connection,
    request: &DeliveryRequest<'_>,
    out: &mut dyn Write,
) -> Result<(String, u64), DocumentError> {
    let campaign_id = request.campaign.campaign.id;
    delivery::snapshot(conn, |conn| {
        let sections = delivery::sections(conn, campaign_id, request.split)?;
        write_manifest(conn, request, &sections, out)
    })
}

/// Each section's signers in order, a page of rows at a time.
fn each_signer(
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

/// Hashes every byte on its way to the file.
struct Hashing<'w> {
    out: &'w mut dyn Write,
    hasher: Sha256,
}

impl Write for Hashing<'_> {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        let written = self.out.write(data)?;
        self.hasher.update(&data[..written]);
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// The list as CSV, in the order the PDF prints it, numbered the same way.
fn write_manifest(
    conn: &mut Connection,
    request: &DeliveryRequest<'_>,
    sections: &[Section],
    out: &mut dyn Write,
) -> Result<(String, u64), DocumentError> {
    let mut hashing = Hashing {
        out,
        hasher: Sha256::new(),
    };
    let mut number = 0u64;
    {
        let mut csv = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut hashing);
        let mut header = vec![
            "number",
            "first_name",
            "last_name",
            "postal_code",
            "country",
            "signed_on",
            "channel",
        ];
        if request.split == Split::Source {
            header.push("source");
        }
        if request.comments {
            header.push("comment");
        }
        csv.write_record(&header)?;
        for section in sections {
            each_signer(conn, request, section, |signer| {
                number += 1;
                let mut record = vec![
                    number.to_string(),
                    neutralise_formulas(&signer.first_name).into_owned(),
                    neutralise_formulas(&signer.last_name).into_owned(),
                    neutralise_formulas(signer.postal_code.as_deref().unwrap_or_default())
                        .into_owned(),
                    signer.country.clone(),
                    signer.created_at.date().to_string(),
                    signer.channel.clone(),
                ];
                if request.split == Split::Source {
                    record.push(
                        neutralise_formulas(signer.source.as_deref().unwrap_or_default())
                            .into_owned(),
                    );
                }
                if request.comments {
                    record.push(
                        neutralise_formulas(signer.comment.as_deref().unwrap_or_default())
                            .into_owned(),
                    );
                }
                csv.write_record(&record)?;
                Ok(())
            })?;
        }
        csv.flush()?;
    }
    hashing.flush()?;
    Ok((hex(&hashing.hasher.finalize()), number))
}

/// How the pages are laid out, worked out once so that "page X of Y" is known up front.
struct Layout {
    width: f32,
    height: f32,
    row_height: f32,
    rows_per_page: usize,
    pages: usize,
}

impl Layout {
    fn new(paper: Paper, comments: bool, sections: &[Section]) -> Self {
        let (width, height) = paper.size();
        let row_height = if comments { 26.0 } else { 15.0 };
        let table_top = MARGIN + 48.0;
        let table_bottom = height - MARGIN - 20.0;
        let rows_per_page = (((table_bottom - table_top) / row_height) as usize).max(1);
        let list_pages: usize = sections
            .iter()
            .filter(|s| s.signers > 0)
            .map(|s| (s.signers as usize).div_ceil(rows_per_page))
            .sum();
        Self {
            width,
            height,
            row_height,
            rows_per_page,
            pages: 1 + list_pages,
        }
    }
}

fn render(
    conn: &mut Connection,
    request: &DeliveryRequest<'_>,
    sections: &[Section],
    totals: &Totals,
    checksum: &str,
) -> Result<Vec<u8>, DocumentError> {
    let fonts = Fonts::load()?;
    let tr = Tr(request.lang);
    let layout = Layout::new(request.paper, request.comments, sections);
    let settings = PageSettings::from_wh(layout.width, layout.height)
        .ok_or_else(|| DocumentError::Pdf("page size".into()))?;
    let text = request.campaign.text(request.lang);
    let title = text.map_or(request.campaign.campaign.slug.as_str(), |t| &t.title);
    let mut document = Document::new();
    document.set_metadata(
        krilla::metadata::Metadata::new()
            .title(format!("{} · {}", title, tr.t("doc-delivery-name")))
            .language(request.lang.code().to_owned()),
    );
    {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        let mut pen = Pen::new(&mut surface);
        draw_cover(&mut pen, &fonts, request, totals, checksum, &layout);
        surface.finish();
        page.finish();
    }
    let mut page_number = 1;
    let mut number = 0u64;
    for section in sections.iter().filter(|s| s.signers > 0) {
        let mut batch: Vec<Signer> = Vec::with_capacity(layout.rows_per_page);
        let mut flush = |batch: &mut Vec<Signer>, number: &mut u64| {
            page_number += 1;
            let mut page = document.start_page_with(settings.clone());
            let mut surface = page.surface();
            let mut pen = Pen::new(&mut surface);
            let context = ListPage {
                title,
                section,
                page_number,
            };
            draw_list_page(&mut pen, &fonts, request, &layout, &context, batch, number);
            surface.finish();
            page.finish();
            batch.clear();
        };
        each_signer(conn, request, section, |signer| {
            batch.push(signer.clone());
            if batch.len() == layout.rows_per_page {
                flush(&mut batch, &mut number);
            }
            Ok(())
        })?;
        if !batch.is_empty() {
            flush(&mut batch, &mut number);
        }
    }
    finish(document)
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

fn draw_cover(
    pen: &mut Pen,
    fonts: &Fonts,
    request: &DeliveryRequest<'_>,
    totals: &Totals,
    checksum: &str,
    layout: &Layout,
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
    let demand = text
        .map(|t| {
            if t.summary.is_empty() {
                t.body.split("\n\n").next().unwrap_or_default()
            } else {
                &t.summary
            }
        })
        .unwrap_or_default();
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
            ("from", &day(first)),
            ("to", &day(last)),
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
    page_footer(pen, fonts, tr, layout, 1);
}

fn day(at: NaiveDateTime) -> String {
    at.date().format("%Y-%m-%d").to_string()
}

struct ListPage<'a> {
    title: &'a str,
    section: &'a Section,
    page_number: usize,
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

fn draw_list_page(
    pen: &mut Pen,
    fonts: &Fonts,
    request: &DeliveryRequest<'_>,
    layout: &Layout,
    context: &ListPage<'_>,
    signers: &[Signer],
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
    y += 20.0;
    if let Some(key) = &context.section.key {
        let heading = match request.split {
            Split::Country => tr.t1(
                "doc-group-country",
                "name",
                &country_name(request.lang, key),
            ),
            Split::Source if key.is_empty() => tr.t("doc-group-no-source"),
            _ => tr.t1("doc-group-source", "name", key),
        };
        pen.text(&fonts.bold, 11.0, MARGIN, y, &heading);
    }
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
    for signer in signers {
        *number += 1;
        let baseline = y + 11.0;
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
