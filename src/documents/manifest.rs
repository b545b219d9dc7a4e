//! The delivery pack's manifest: every signer it prints, as CSV in the same order and with
//! the same numbers, then the review's invalidations that stand. The cover prints its
//! SHA-256, so that the recipient can check the list they were handed is the one counted.

use std::io::Write;

use sha2::{Digest, Sha256};

use super::DocumentError;
use super::delivery::{DeliveryRequest, each_signer};
use crate::db::Connection;
use crate::db::delivery::{self, Section, Split};
use crate::db::review;
use crate::domain::{hex, neutralise_formulas};

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
pub(super) fn write_manifest(
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
    write_invalidations(conn, request.campaign.campaign.id, &mut hashing)?;
    hashing.flush()?;
    Ok((hex(&hashing.hasher.finalize()), number))
}

/// After the signers, a blank line and the review's invalidations that stand (when, why,
/// how many left the list), so that the recipient sees the review took place.
fn write_invalidations(
    conn: &mut Connection,
    campaign_id: i64,
    out: &mut dyn Write,
) -> Result<(), DocumentError> {
    let standing = review::standing(conn, campaign_id)?;
    if standing.is_empty() {
        return Ok(());
    }
    out.write_all(b"\r\n")?;
    let mut csv = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    csv.write_record(["invalidated_on", "reason", "signatures"])?;
    for (at, reason, signatures) in standing {
        csv.write_record([
            at.date().to_string(),
            neutralise_formulas(&reason).into_owned(),
            signatures.to_string(),
        ])?;
    }
    csv.flush()?;
    Ok(())
}
