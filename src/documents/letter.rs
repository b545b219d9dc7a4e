//! The cover letter of a delivery pack: from the organisation to the petition's target, in
//! the delivery language, dated in words, with a signature block. What the petition asks
//! follows it on the next page, apart from the summary written for supporters.

use chrono::NaiveDate;

use super::layout::{Fonts, Pen};
use crate::db::delivery::Totals;
use crate::domain::Organisation;
use crate::i18n::Tr;

pub struct Letter<'a> {
    pub tr: Tr,
    pub organisation: &'a Organisation,
    pub title: &'a str,
    /// Whom the petition is addressed to; may be empty.
    pub target: &'a str,
    pub totals: &'a Totals,
    pub date: NaiveDate,
}

/// The page's size and margin, in points.
pub struct Sheet {
    pub width: f32,
    pub margin: f32,
}

pub fn draw(pen: &mut Pen, fonts: &Fonts, letter: &Letter<'_>, sheet: &Sheet) {
    let tr = letter.tr;
    let x = sheet.margin;
    let width = sheet.width - 2.0 * sheet.margin;
    let right = sheet.width - sheet.margin;
    let organisation = letter
        .organisation
        .name(tr.lang())
        .map_or_else(|| tr.t("doc-letter-signers"), str::to_owned);
    let mut y = sheet.margin + 16.0;
    for line in fonts.bold.wrap(&organisation, 14.0, width * 0.6) {
        pen.text(&fonts.bold, 14.0, x, y, &line);
        y += 18.0;
    }
    for line in letter.organisation.postal_lines() {
        pen.text(
            &fonts.regular,
            9.0,
            x,
            y,
            &fonts.regular.fit(line, 9.0, width * 0.6),
        );
        y += 12.0;
    }
    y += 24.0;
    pen.text_right(&fonts.regular, 11.0, right, y, &tr.date(letter.date));
    y += 36.0;
    if !letter.target.is_empty() {
        for line in fonts.bold.wrap(letter.target, 11.0, width * 0.7) {
            pen.text(&fonts.bold, 11.0, x, y, &line);
            y += 15.0;
        }
        y += 14.0;
    }
    pen.text(&fonts.regular, 11.0, x, y, &tr.t("doc-letter-salutation"));
    y += 26.0;
    let totals = letter.totals;
    let mut paragraphs = vec![tr.t_with(
        "doc-letter-body",
        &[
            ("organisation", &organisation),
            ("title", letter.title),
            ("count", &tr.number(totals.online + totals.in_person)),
        ],
    )];
    if let (Some(first), Some(last)) = (totals.first_signed, totals.last_signed) {
        paragraphs.push(tr.t_with(
            "doc-letter-collected",
            &[
                ("from", &tr.date(first.date())),
                ("to", &tr.date(last.date())),
                ("online", &tr.number(totals.online)),
                ("in_person", &tr.number(totals.in_person)),
            ],
        ));
    }
    paragraphs.push(tr.t("doc-letter-follows"));
    for paragraph in paragraphs {
        for line in fonts.regular.wrap(&paragraph, 11.0, width) {
            pen.text(&fonts.regular, 11.0, x, y, &line);
            y += 15.5;
        }
        y += 10.0;
    }
    y += 8.0;
    pen.text(&fonts.regular, 11.0, x, y, &tr.t("doc-letter-closing"));
    // Room to sign by hand, above a line and the organisation's name.
    y += 64.0;
    pen.line((x, y), (x + 200.0, y), 0.6, 0);
    y += 14.0;
    for line in fonts.bold.wrap(&organisation, 10.0, 260.0) {
        pen.text(&fonts.bold, 10.0, x, y, &line);
        y += 13.0;
    }
    if let Some(holder) = letter.organisation.data_controller() {
        pen.text(
            &fonts.regular,
            9.0,
            x,
            y,
            &fonts.regular.fit(holder, 9.0, 260.0),
        );
    }
}
