//! Printable signature sheets: the campaign's title, target and demand, numbered rows to
//! sign on, the consent and privacy wording, and a QR code to the online form.

use krilla::Document;
use krilla::page::PageSettings;
use qrcode::{Color, QrCode};

use super::layout::{Fonts, Paper, Pen};
use super::{DocumentError, finish};
use crate::domain::{CONSENT_VERSION, Lang, Organisation};
use crate::i18n::Tr;

/// Rows a sheet may have: fewer wastes paper, more leaves no room to write.
pub const ROWS: std::ops::RangeInclusive<u32> = 5..=30;
/// Sheets in one file.
pub const PAGES: std::ops::RangeInclusive<u32> = 1..=50;

const MARGIN: f32 = 36.0;
const QR_SIDE: f32 = 78.0;

/// What a sheet says; the caller has checked `rows` and `pages` against [`ROWS`] and [`PAGES`].
pub struct SheetSpec<'a> {
    pub lang: Lang,
    pub paper: Paper,
    pub title: &'a str,
    pub target: &'a str,
    pub demand: &'a str,
    /// The campaign's form with the sheet's source, which the QR code opens.
    pub form_url: &'a str,
    pub source: Option<&'a str>,
    pub rows: u32,
    pub pages: u32,
    /// Whose privacy notice stands beside the consent, in the sheet's language.
    pub organisation: &'a Organisation,
}

/// The columns of a row, as shares of the table's width.
const COLUMNS: [(&str, f32); 8] = [
    ("doc-col-number", 0.04),
    ("doc-col-first-name", 0.15),
    ("doc-col-last-name", 0.16),
    ("doc-col-email", 0.21),
    ("doc-col-postal-code", 0.09),
    ("doc-col-country", 0.10),
    ("doc-col-keep-informed", 0.08),
    ("doc-col-signature", 0.17),
];

/// The campaign's form in `lang` with the sheet's source, for the QR code.
pub fn form_url(base_url: &str, slug: &str, lang: Lang, source: Option<&str>) -> String {
    let base = base_url.trim_end_matches('/');
    match source {
        Some(source) => format!(
            "{base}/campaigns/{slug}?lang={}&source={source}",
            lang.code()
        ),
        None => format!("{base}/campaigns/{slug}?lang={}", lang.code()),
    }
}

pub fn render(spec: &SheetSpec) -> Result<Vec<u8>, DocumentError> {
    let fonts = Fonts::load()?;
    let tr = Tr(spec.lang);
    let qr = QrCode::new(spec.form_url.as_bytes())
        .map_err(|error| DocumentError::Pdf(format!("QR code: {error}")))?;
    let (width, height) = spec.paper.size();
    let settings = PageSettings::from_wh(width, height)
        .ok_or_else(|| DocumentError::Pdf("page size".into()))?;
    let mut document = Document::new();
    document.set_metadata(
        krilla::metadata::Metadata::new()
            .title(format!("{} · {}", spec.title, tr.t("doc-sheet-name")))
            .language(spec.lang.code().to_owned()),
    );
    for page_number in 1..=spec.pages {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        let mut pen = Pen::new(&mut surface);
        draw_sheet(&mut pen, &fonts, spec, &qr, page_number, (width, height));
        surface.finish();
        page.finish();
    }
    finish(document)
}

fn draw_sheet(
    pen: &mut Pen,
    fonts: &Fonts,
    spec: &SheetSpec,
    qr: &QrCode,
    page_number: u32,
    (width, height): (f32, f32),
) {
    let tr = Tr(spec.lang);
    let right = width - MARGIN;
    let text_width = right - MARGIN - QR_SIDE - 12.0;

    // Header: title, target and demand beside the QR code.
    let mut y = MARGIN + 14.0;
    for line in fonts.bold.wrap(spec.title, 15.0, text_width).iter().take(2) {
        pen.text(&fonts.bold, 15.0, MARGIN, y, line);
        y += 18.0;
    }
    if !spec.target.is_empty() {
        let to = tr.t1("doc-addressed-to", "target", spec.target);
        pen.text(
            &fonts.regular,
            10.0,
            MARGIN,
            y,
            &fonts.regular.fit(&to, 10.0, text_width),
        );
        y += 14.0;
    }
    for line in fonts
        .regular
        .wrap(spec.demand, 8.5, text_width)
        .iter()
        .take(4)
    {
        pen.text(&fonts.regular, 8.5, MARGIN, y, line);
        y += 11.0;
    }
    // Filled in by hand at the table, so that a batch of sheets says where it was signed.
    y += 6.0;
    pen.text(
        &fonts.regular,
        9.0,
        MARGIN,
        y,
        &tr.t("doc-sheet-event-line"),
    );
    y += 12.0;
    draw_qr(pen, qr, right - QR_SIDE, MARGIN - 4.0);
    pen.text_centred(
        &fonts.regular,
        7.0,
        right - QR_SIDE / 2.0,
        MARGIN + QR_SIDE + 4.0,
        &tr.t("doc-sheet-qr"),
    );
    y = y.max(MARGIN + QR_SIDE + 14.0) + 4.0;

    // The table of rows to sign on.
    let consent = format!(
        "{} {}",
        tr.t("doc-sheet-consent"),
        tr.t1("doc-consent-version", "version", CONSENT_VERSION)
    );
    let privacy = privacy_notice(spec.organisation, tr);
    let foot_lines = fonts.regular.wrap(&consent, 7.5, right - MARGIN).len()
        + fonts.regular.wrap(&privacy, 7.5, right - MARGIN).len();
    let footer_top = height - MARGIN - 14.0 - foot_lines as f32 * 9.5 - 6.0;
    let header_height = 30.0;
    let row_height = (footer_top - y - header_height) / spec.rows as f32;
    let table_width = right - MARGIN;
    let mut x = MARGIN;
    let mut edges = vec![x];
    for (key, share) in COLUMNS {
        let column = share * table_width;
        let label = tr.t(key);
        let lines = fonts.bold.wrap(&label, 6.5, column - 4.0);
        for (i, line) in lines.iter().take(3).enumerate() {
            pen.text(&fonts.bold, 6.5, x + 2.0, y + 9.0 + i as f32 * 8.0, line);
        }
        x += column;
        edges.push(x);
    }
    let table_bottom = y + header_height + row_height * spec.rows as f32;
    pen.frame(MARGIN, y, table_width, table_bottom - y, 0.8);
    for edge in &edges[1..edges.len() - 1] {
        pen.line((*edge, y), (*edge, table_bottom), 0.4, 0);
    }
    let first_row = (page_number - 1) * spec.rows;
    for row in 0..spec.rows {
        let top = y + header_height + row as f32 * row_height;
        pen.line((MARGIN, top), (right, top), 0.4, 0);
        let number = (first_row + row + 1).to_string();
        pen.text_right(
            &fonts.regular,
            8.0,
            edges[1] - 3.0,
            top + row_height / 2.0 + 3.0,
            &number,
        );
        // The "keep me informed" box, to tick.
        let box_side = 9.0;
        let centre = (edges[6] + edges[7]) / 2.0;
        pen.frame(
            centre - box_side / 2.0,
            top + (row_height - box_side) / 2.0,
            box_side,
            box_side,
            0.6,
        );
    }

    // Consent and privacy, then the sheet's source and page number.
    let mut y = table_bottom + 12.0;
    for line in fonts
        .regular
        .wrap(&consent, 7.5, right - MARGIN)
        .into_iter()
        .chain(fonts.regular.wrap(&privacy, 7.5, right - MARGIN))
    {
        pen.text(&fonts.regular, 7.5, MARGIN, y, &line);
        y += 9.5;
    }
    let bottom = height - MARGIN + 4.0;
    if let Some(source) = spec.source {
        pen.text(
            &fonts.regular,
            7.5,
            MARGIN,
            bottom,
            &tr.t1("doc-sheet-source", "source", source),
        );
    }
    pen.text_right(
        &fonts.regular,
        7.5,
        right,
        bottom,
        &tr.t2(
            "doc-page-of",
            ("page", &page_number.to_string()),
            ("pages", &spec.pages.to_string()),
        ),
    );
}

/// The organisation's privacy notice, who holds the data and where the full notice is; the
/// software's own words until the organisation sets them.
fn privacy_notice(organisation: &Organisation, tr: Tr) -> String {
    let lang = tr.lang();
    let notice = organisation
        .privacy_notice(lang)
        .map_or_else(|| tr.t("doc-sheet-privacy"), str::to_owned);
    let holder = organisation
        .data_controller()
        .map(|holder| tr.t1("organisation-data-controller", "holder", holder));
    [
        holder,
        Some(notice),
        organisation.privacy_url().map(str::to_owned),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ")
}

/// The QR code as vector squares, with the quiet zone readers need around it.
fn draw_qr(pen: &mut Pen, qr: &QrCode, x: f32, y: f32) {
    let modules = qr.width();
    let quiet = 4;
    let side = QR_SIDE / (modules + 2 * quiet) as f32;
    let colors = qr.to_colors();
    let dark = colors
        .iter()
        .enumerate()
        .filter(|(_, color)| **color == Color::Dark)
        .map(|(i, _)| {
            let (col, row) = (i % modules, i / modules);
            (
                x + (col + quiet) as f32 * side,
                y + (row + quiet) as f32 * side,
            )
        });
    // Squares overlap by a hair so that renderers leave no seams between them.
    pen.squares(dark, side + 0.05);
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::process::Command;

    use super::*;

    const FORM: &str =
        "https://example.org/campaigns/butterflies-for-mexico?lang=es&source=paper-zocalo";

    fn run(program: &str, args: &[&str]) -> String {
        let output = Command::new(program)
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("{program} runs (scripts/test installs it): {e}"));
        assert!(output.status.success(), "{program} {args:?} succeeded");
        String::from_utf8(output.stdout).expect("utf-8 output")
    }

    fn path(path: &Path) -> &str {
        path.to_str().expect("utf-8 path")
    }

    /// Each page's lines, as pdftotext reads them.
    fn pages_of(pdf: &Path) -> Vec<Vec<String>> {
        run("pdftotext", &["-layout", path(pdf), "-"])
            .split('\u{c}')
            .filter(|page| !page.trim().is_empty())
            .map(|page| page.lines().map(|line| line.trim().to_owned()).collect())
            .collect()
    }

    #[test]
    fn a_sheet_reads_back_with_its_title_its_numbered_rows_and_a_qr_code_to_the_form() {
        let pdf = render(&SheetSpec {
            lang: Lang::Es,
            paper: Paper::A4,
            title: "Mariposas por México",
            target: "Presidencia de la República",
            demand: "Pedimos que abran los archivos.",
            form_url: FORM,
            source: Some("paper-zocalo"),
            rows: 20,
            pages: 2,
            organisation: &Organisation::default(),
        })
        .expect("the sheet renders");
        let dir = tempfile::tempdir().expect("a temporary directory");
        let file = dir.path().join("hojas.pdf");
        std::fs::write(&file, pdf).expect("the PDF is written");

        let pages = pages_of(&file);
        assert_eq!(pages.len(), 2, "two sheets");
        let text = pages.concat().join("\n");
        for words in [
            "Mariposas por México",
            "Presidencia de la República",
            "Pedimos que abran los archivos.",
        ] {
            assert!(text.contains(words), "{words:?} is printed:\n{text}");
        }
        // Rows are numbered on from one sheet to the next, so no two rows share a number.
        let numbered = |page: &[String], n: u32| {
            page.iter()
                .any(|line| line.split_whitespace().next() == Some(&n.to_string()))
        };
        assert!(
            (1..=20).all(|n| numbered(&pages[0], n)),
            "rows 1 to 20 on the first"
        );
        assert!(
            (21..=40).all(|n| numbered(&pages[1], n)),
            "rows 21 to 40 on the second"
        );
        assert!(!numbered(&pages[0], 21));

        let image = dir.path().join("first");
        run(
            "pdftoppm",
            &[
                "-r",
                "150",
                "-png",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                path(&file),
                path(&image),
            ],
        );
        let decoded = run(
            "zbarimg",
            &["--quiet", "--raw", path(&image.with_extension("png"))],
        );
        assert_eq!(
            decoded.trim(),
            FORM,
            "the QR code opens the form with the sheet's source"
        );
    }
}
