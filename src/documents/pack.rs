//! A delivery pack written out. krilla keeps a PDF in memory until it is finished, so a
//! list longer than one volume is cut into volumes: each a PDF built, written and dropped
//! before the next, all in one ZIP that is streamed with the manifest first. Memory then
//! stays flat in the number of signers. A list that fits in one volume stays a single PDF,
//! which most campaigns hand over and which opens without unpacking anything.

use std::io::Write;

use krilla::Document;
use krilla::page::PageSettings;
use zip::CompressionMethod;
use zip::write::{SimpleFileOptions, ZipWriter};

use super::delivery::{
    DeliveryRequest, Layout, ListPage, Row, Sender, VolumeOf, draw_cover, draw_letter,
    draw_list_page, draw_undrawable_note, each_signer, section_heading, undrawable_names,
};
use super::layout::{Fonts, Pen};
use super::manifest::write_manifest;
use super::{DocumentError, finish};
use crate::db::delivery::{self, Section, Totals};
use crate::db::{Connection, organisation};
use crate::i18n::Tr;

/// Signers in one volume unless asked otherwise: about 550 pages, a few megabytes of PDF
/// (and of memory while it is built).
pub const VOLUME_SIGNERS: u64 = 25_000;

/// What a pack is written as, known before its first byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PackFormat {
    Pdf,
    /// The manifest and the volumes, each volume a PDF.
    Zip,
}

impl PackFormat {
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Zip => "application/zip",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Pdf => "pdf",
            Self::Zip => "zip",
        }
    }
}

/// What was written: the manifest's checksum, which every cover prints, and the signers.
pub struct PackSummary {
    pub format: PackFormat,
    pub checksum: String,
    pub signers: u64,
    pub volumes: usize,
}

/// Writes the manifest to `manifest` and the pack to the writer `open` gives for its format,
/// all from one snapshot of the list.
pub fn build<W: Write>(
    conn: &mut Connection,
    request: &DeliveryRequest<'_>,
    manifest: &mut dyn Write,
    open: impl FnOnce(PackFormat) -> std::io::Result<W>,
) -> Result<PackSummary, DocumentError> {
    let campaign_id = request.campaign.campaign.id;
    delivery::snapshot(conn, |conn| {
        let sections = delivery::sections(conn, campaign_id, request.split)?;
        let layout = Layout::new(request.paper, request.comments);
        let volume_signers = request.volume_signers.max(1);
        let pages = volume_pages(&sections, layout.rows_per_page as u64, volume_signers);
        let format = if pages.len() > 1 {
            PackFormat::Zip
        } else {
            PackFormat::Pdf
        };
        let out = open(format)?;
        let fonts = Fonts::load()?;
        let from = Sender {
            organisation: organisation::load(conn)?,
            undrawable: undrawable_names(conn, request, &sections, &fonts)?,
        };
        let mut volumes = Volumes {
            request,
            fonts,
            from,
            date: chrono::Utc::now().date_naive(),
            layout,
            pages: &pages,
            volume_signers,
            listed: sections
                .iter()
                .map(|s| u64::try_from(s.signers).unwrap_or_default())
                .sum(),
            checksum: String::new(),
            totals: delivery::totals(conn, campaign_id)?,
            signers: 0,
            begun: 0,
            current: None,
        };
        let signers = match format {
            PackFormat::Pdf => {
                let (checksum, signers) = write_manifest(conn, request, &sections, manifest)?;
                volumes.checksum = checksum;
                let mut out = out;
                volumes.write(conn, &sections, &mut |_, pdf| Ok(out.write_all(&pdf)?))?;
                out.flush()?;
                signers
            }
            PackFormat::Zip => {
                let mut zip = ZipWriter::new_stream(out);
                let csv =
                    SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
                zip.start_file(request.manifest_name, csv)?;
                let (checksum, signers) =
                    write_manifest(conn, request, &sections, &mut Both(manifest, &mut zip))?;
                volumes.checksum = checksum;
                // PDFs are compressed already: stored as they are, they cost no CPU twice.
                let pdf =
                    SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
                let count = pages.len();
                volumes.write(conn, &sections, &mut |volume, bytes| {
                    zip.start_file(volume_name(volume, count), pdf)?;
                    zip.write_all(&bytes)?;
                    Ok(())
                })?;
                zip.finish()?.flush()?;
                signers
            }
        };
        Ok(PackSummary {
            format,
            checksum: volumes.checksum,
            signers,
            volumes: pages.len(),
        })
    })
}

/// A volume's name in the ZIP, numbered so that file managers sort them in order.
fn volume_name(volume: usize, volumes: usize) -> String {
    let width = volumes.to_string().len();
    format!("delivery-{volume:0width$}-of-{volumes}.pdf")
}

/// Pages before the list in every volume: the organisation's letter and the cover.
const FRONT_PAGES: usize = 2;

/// The pages of each volume: the letter, the cover, and its share of the list, where each
/// section (a country or a source) runs on after a heading row, repeated at the top of a
/// volume that starts inside it. `Volumes::write` lays the rows out the same way.
fn volume_pages(sections: &[Section], rows_per_page: u64, volume_signers: u64) -> Vec<usize> {
    let mut volumes = Vec::new();
    let mut pages = FRONT_PAGES;
    let mut rows = 0;
    let mut in_volume = 0;
    let row = |pages: &mut usize, rows: &mut u64| {
        *rows += 1;
        if *rows == rows_per_page {
            *pages += 1;
            *rows = 0;
        }
    };
    for section in sections.iter().filter(|s| s.signers > 0) {
        let mut heading = section.key.is_some();
        for _ in 0..section.signers {
            if heading {
                row(&mut pages, &mut rows);
                heading = false;
            }
            row(&mut pages, &mut rows);
            in_volume += 1;
            if in_volume == volume_signers {
                if rows > 0 {
                    pages += 1;
                    rows = 0;
                }
                volumes.push(pages);
                pages = FRONT_PAGES;
                in_volume = 0;
                heading = section.key.is_some();
            }
        }
    }
    if rows > 0 {
        pages += 1;
    }
    if in_volume > 0 || volumes.is_empty() {
        volumes.push(pages);
    }
    volumes
}

/// Writes a manifest to two places at once: its own file and the ZIP.
struct Both<'a, 'b>(&'a mut dyn Write, &'b mut dyn Write);

impl Write for Both<'_, '_> {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.0.write_all(data)?;
        self.1.write_all(data)?;
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()?;
        self.1.flush()
    }
}

/// The volume being drawn, and where its next page goes.
struct Volume {
    document: Document,
    number: usize,
    signers: u64,
    page_number: usize,
}

/// Draws the list into volumes, handing each finished one over as bytes before the next
/// is begun.
struct Volumes<'r, 'a> {
    request: &'r DeliveryRequest<'a>,
    fonts: Fonts,
    from: Sender,
    /// The letter's date.
    date: chrono::NaiveDate,
    layout: Layout,
    pages: &'r [usize],
    volume_signers: u64,
    /// Signers in the whole list.
    listed: u64,
    checksum: String,
    totals: Totals,
    /// Signers drawn so far, which numbers the next one.
    signers: u64,
    /// Volumes begun so far, which numbers the next one.
    begun: usize,
    current: Option<Volume>,
}

type Finished<'f> = dyn FnMut(usize, Vec<u8>) -> Result<(), DocumentError> + 'f;

impl Volumes<'_, '_> {
    fn write(
        &mut self,
        conn: &mut Connection,
        sections: &[Section],
        finished: &mut Finished<'_>,
    ) -> Result<(), DocumentError> {
        let request = self.request;
        let mut batch: Vec<Row> = Vec::with_capacity(self.layout.rows_per_page);
        for section in sections.iter().filter(|s| s.signers > 0) {
            let heading = section
                .key
                .as_deref()
                .map(|key| section_heading(request, key));
            let mut needs_heading = heading.is_some();
            each_signer(conn, request, section, |signer| {
                if self.current.is_none() {
                    self.begin()?;
                    needs_heading = heading.is_some();
                }
                if let Some(heading) = heading.as_ref().filter(|_| needs_heading) {
                    needs_heading = false;
                    self.push(&mut batch, Row::Heading(heading.clone()))?;
                }
                self.push(&mut batch, Row::Signer(signer.clone()))?;
                let volume_full = self
                    .current
                    .as_ref()
                    .is_some_and(|v| v.signers + signers_in(&batch) == self.volume_signers);
                if volume_full {
                    if !batch.is_empty() {
                        self.page(&mut batch)?;
                    }
                    self.end(finished)?;
                }
                Ok(())
            })?;
        }
        if !batch.is_empty() {
            self.page(&mut batch)?;
        }
        // An empty list still gets its cover.
        if self.begun == 0 {
            self.begin()?;
        }
        if self.current.is_some() {
            self.end(finished)?;
        }
        Ok(())
    }

    /// Adds a row to the page being filled, and draws the page once it is full.
    fn push(&mut self, batch: &mut Vec<Row>, row: Row) -> Result<(), DocumentError> {
        batch.push(row);
        if batch.len() == self.layout.rows_per_page {
            self.page(batch)?;
        }
        Ok(())
    }

    fn settings(&self) -> Result<PageSettings, DocumentError> {
        PageSettings::from_wh(self.layout.width, self.layout.height)
            .ok_or_else(|| DocumentError::Pdf("page size".into()))
    }

    fn title(&self) -> &str {
        let campaign = self.request.campaign;
        campaign
            .text(self.request.lang)
            .map_or(campaign.campaign.slug.as_str(), |t| &t.title)
    }

    /// Starts the next volume with its cover.
    fn begin(&mut self) -> Result<(), DocumentError> {
        self.begun += 1;
        let number = self.begun;
        let volumes = self.pages.len();
        let mut layout = self.layout.clone();
        layout.pages = self.pages.get(number - 1).copied().unwrap_or(1);
        let tr = Tr(self.request.lang);
        let mut document = Document::new();
        document.set_metadata(
            krilla::metadata::Metadata::new()
                .title(format!("{} · {}", self.title(), tr.t("doc-delivery-name")))
                .language(self.request.lang.code().to_owned()),
        );
        let part = (volumes > 1).then(|| VolumeOf {
            volume: number,
            volumes,
            first: self.signers + 1,
            last: (self.signers + self.volume_signers).min(self.listed),
        });
        {
            let mut page = document.start_page_with(self.settings()?);
            let mut surface = page.surface();
            let mut pen = Pen::new(&mut surface);
            draw_letter(
                &mut pen,
                &self.fonts,
                self.request,
                &self.from,
                &self.totals,
                &layout,
                self.date,
            );
            surface.finish();
            page.finish();
        }
        {
            let mut page = document.start_page_with(self.settings()?);
            let mut surface = page.surface();
            let mut pen = Pen::new(&mut surface);
            draw_cover(
                &mut pen,
                &self.fonts,
                self.request,
                &self.totals,
                &self.checksum,
                &layout,
                part.as_ref(),
            );
            draw_undrawable_note(&mut pen, &self.fonts, tr, &layout, self.from.undrawable);
            surface.finish();
            page.finish();
        }
        self.current = Some(Volume {
            document,
            number,
            signers: 0,
            page_number: FRONT_PAGES,
        });
        Ok(())
    }

    /// Draws one page of the list from `batch`, and empties it.
    fn page(&mut self, batch: &mut Vec<Row>) -> Result<(), DocumentError> {
        let settings = self.settings()?;
        let title = self.title().to_owned();
        let Some(volume) = self.current.as_mut() else {
            return Err(DocumentError::Pdf("a page outside a volume".into()));
        };
        let mut layout = self.layout.clone();
        layout.pages = self.pages.get(volume.number - 1).copied().unwrap_or(1);
        volume.page_number += 1;
        let mut page = volume.document.start_page_with(settings);
        let mut surface = page.surface();
        let mut pen = Pen::new(&mut surface);
        let context = ListPage {
            title: &title,
            page_number: volume.page_number,
        };
        let mut number = self.signers;
        draw_list_page(
            &mut pen,
            &self.fonts,
            self.request,
            &layout,
            &context,
            batch,
            &mut number,
        );
        surface.finish();
        page.finish();
        volume.signers += signers_in(batch);
        self.signers = number;
        batch.clear();
        Ok(())
    }

    /// Finishes the current volume and hands its bytes over, so that its memory is freed
    /// before the next is begun.
    fn end(&mut self, finished: &mut Finished<'_>) -> Result<(), DocumentError> {
        if let Some(volume) = self.current.take() {
            finished(volume.number, finish(volume.document)?)?;
        }
        Ok(())
    }
}

/// The signers among a page's rows; the rest are headings.
fn signers_in(rows: &[Row]) -> u64 {
    rows.iter()
        .filter(|row| matches!(row, Row::Signer(_)))
        .count() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(signers: i64) -> Section {
        Section { key: None, signers }
    }

    fn country(key: &str, signers: i64) -> Section {
        Section {
            key: Some(key.to_owned()),
            signers,
        }
    }

    #[test]
    fn a_list_that_fits_is_one_volume_after_its_letter_and_cover() {
        assert_eq!(volume_pages(&[], 50, 100), vec![2]);
        assert_eq!(volume_pages(&[section(120)], 50, 200), vec![2 + 3]);
    }

    #[test]
    fn a_long_list_is_cut_into_volumes_that_run_on() {
        // 250 signers in volumes of 100, 50 to a page: 100, 100, 50.
        assert_eq!(volume_pages(&[section(250)], 50, 100), vec![4, 4, 3]);
        // 30 + 90 in volumes of 100: the second section runs on, and is cut after 70.
        assert_eq!(
            volume_pages(&[section(30), section(90)], 50, 100),
            vec![2 + 2, 2 + 1]
        );
        assert_eq!(volume_pages(&[section(200)], 50, 100), vec![4, 4]);
    }

    #[test]
    fn countries_share_pages_and_a_volume_cut_repeats_the_heading() {
        // Two headings and five signers: one page, not one per country.
        assert_eq!(
            volume_pages(&[country("MX", 3), country("FR", 2)], 50, 100),
            vec![3]
        );
        // A heading and 100 signers are 101 rows; the next volume heads its 50 again.
        assert_eq!(
            volume_pages(&[country("MX", 150)], 50, 100),
            vec![2 + 3, 2 + 2]
        );
    }
}
