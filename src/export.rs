//! CSV exports of signatures and counts, shared by the staff pages, API tokens and the
//! command line. Files open cleanly in Excel and LibreOffice: UTF-8 with a byte-order mark,
//! CRLF line ends, every cell quoted, and text that a spreadsheet would run as a formula
//! neutralised, also behind a `;` or a tab where a spreadsheet in another locale splits cells.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::Write;

use chrono::NaiveDateTime;

use crate::db::reports::{self, CountRow, CountScope, Dimension, SignatureFilter};
use crate::db::{Connection, consents};
use crate::domain::neutralise_formulas;

/// Rows fetched per query; memory stays flat however large the export.
const PAGE: i64 = 5_000;

const BOM: &[u8] = b"\xEF\xBB\xBF";

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("reading signatures failed")]
    Query(#[from] diesel::result::Error),
    #[error("writing the CSV failed")]
    Csv(#[from] csv::Error),
    #[error("writing the CSV failed")]
    Io(#[from] std::io::Error),
}

/// Every cell is quoted: a spreadsheet that splits on `;` or tab then keeps a quoted cell's
/// text together, and every reader sees where each cell starts.
fn writer<W: Write>(out: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::Always)
        .from_writer(out)
}

fn timestamp(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Writes the signatures `filter` selects and returns how many rows it wrote.
pub fn write_signatures<W: Write>(
    conn: &mut Connection,
    filter: &SignatureFilter,
    mut out: W,
) -> Result<u64, ExportError> {
    out.write_all(BOM)?;
    let mut csv = writer(out);
    csv.write_record([
        "id",
        "signed_at",
        "confirmed_at",
        "first_name",
        "last_name",
        "email",
        "country",
        "postal_code",
        "email_opt_in",
        "source",
        "comment",
        "language",
        "consent_version",
        "channel",
        "event",
        "invalidation",
        "partner_consents",
    ])?;
    let mut after = 0;
    let mut rows = 0u64;
    loop {
        let page = reports::signature_page(conn, filter, after, PAGE)?;
        let Some((last, _)) = page.last() else { break };
        after = last.id;
        let ids: Vec<i64> = page.iter().map(|(row, _)| row.id).collect();
        let mut consents: HashMap<i64, Vec<String>> = HashMap::new();
        for (id, code) in consents::live_codes(conn, &ids, filter.consented_to.as_deref())? {
            consents.entry(id).or_default().push(code);
        }
        for (row, event) in &page {
            let partners = consents.get(&row.id).map(|codes| codes.join(" "));
            let record = [
                Cow::Owned(row.id.to_string()),
                Cow::Owned(timestamp(row.created_at)),
                Cow::Owned(row.confirmed_at.map(timestamp).unwrap_or_default()),
                neutralise_formulas(&row.first_name),
                neutralise_formulas(&row.last_name),
                neutralise_formulas(&row.email),
                neutralise_formulas(&row.country),
                neutralise_formulas(row.postal_code.as_deref().unwrap_or_default()),
                Cow::Borrowed(if row.email_opt_in { "yes" } else { "no" }),
                neutralise_formulas(row.source.as_deref().unwrap_or_default()),
                neutralise_formulas(row.comment.as_deref().unwrap_or_default()),
                neutralise_formulas(&row.lang),
                neutralise_formulas(&row.consent_version),
                neutralise_formulas(&row.channel),
                neutralise_formulas(event.as_deref().unwrap_or_default()),
                // Which review invalidation took it out of the counts; empty when it counts.
                Cow::Owned(
                    row.invalidation_id
                        .map(|id| id.to_string())
                        .unwrap_or_default(),
                ),
                // The partners this signer agreed to hear from, by code, space-separated.
                neutralise_formulas(partners.as_deref().unwrap_or_default()),
            ];
            csv.write_record(record.iter().map(|cell| cell.as_bytes()))?;
        }
        rows += page.len() as u64;
    }
    csv.flush()?;
    Ok(rows)
}

/// Writes counts grouped by `dimensions` and returns how many rows it wrote.
pub fn write_counts<W: Write>(
    conn: &mut Connection,
    dimensions: &[Dimension],
    scope: &CountScope,
    mut out: W,
) -> Result<u64, ExportError> {
    let rows: Vec<CountRow> = reports::counts(conn, dimensions, scope)?;
    out.write_all(BOM)?;
    let mut csv = writer(out);
    let mut header: Vec<&str> = dimensions.iter().map(|d| d.name()).collect();
    header.extend(["confirmed", "pending"]);
    csv.write_record(&header)?;
    for row in &rows {
        let mut record: Vec<Cow<'_, str>> =
            row.keys.iter().map(|k| neutralise_formulas(k)).collect();
        record.push(Cow::Owned(row.confirmed.to_string()));
        record.push(Cow::Owned(row.pending.to_string()));
        csv.write_record(record.iter().map(|cell| cell.as_bytes()))?;
    }
    csv.flush()?;
    Ok(rows.len() as u64)
}

/// Parses `campaign,day,...` into dimensions; empty means by campaign.
pub fn parse_dimensions(raw: &str) -> Result<Vec<Dimension>, String> {
    if raw.trim().is_empty() {
        return Ok(vec![Dimension::Campaign]);
    }
    let mut dimensions = Vec::new();
    for part in raw.split(',') {
        let dimension = Dimension::parse(part).ok_or_else(|| {
            format!("unknown grouping {part:?}: use campaign, day, country, source and channel")
        })?;
        if !dimensions.contains(&dimension) {
            dimensions.push(dimension);
        }
    }
    Ok(dimensions)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groupings_parse_in_order_without_repeats() {
        assert_eq!(
            parse_dimensions("day,country,day"),
            Ok(vec![Dimension::Day, Dimension::Country])
        );
        assert_eq!(parse_dimensions(""), Ok(vec![Dimension::Campaign]));
        assert!(parse_dimensions("campaign;drop table").is_err());
    }
}
