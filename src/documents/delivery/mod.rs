//! The delivery pack: what the campaign hands to the people its petition is addressed to.
//! A cover (title, addressee, demand, dates, totals, the list's checksum), then every
//! confirmed signer in a table, never an email address. The list is read from the database
//! a page at a time, twice: once to write the manifest CSV and its SHA-256 checksum, which
//! the cover prints, and once to print it; so memory does not grow with the signers (the PDF
//! itself is kept, compressed, until it is written).

mod pdf;

use std::io::Write;

use sha2::{Digest, Sha256};

use super::DocumentError;
use super::layout::Paper;
use crate::db::Connection;
use crate::db::campaigns::CampaignWithTexts;
use crate::db::delivery::{self, Section, Signer, Split};
use crate::domain::{Lang, hex, neutralise_formulas};

/// Signers read from the database at a time.
const PAGE: i64 = 2_000;

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
        let pdf = pdf::render(conn, request, &sections, &totals, &checksum)?;
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
