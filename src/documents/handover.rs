//! A delivery pack and its manifest as staff and the command line take them: made from one
//! snapshot of the list, then written to the audit log with the checksum they carry, so that
//! every copy handed over can be matched with its line in the log. A copy whose line cannot
//! be written is reported as failed.

use std::io::Write;

use chrono::Utc;

use super::DocumentError;
use super::delivery::DeliveryRequest;
use super::manifest;
use super::pack::{self, PackSummary};
use crate::db::{Connection, audit};

/// The pack, written to the writer `open` gives for its format, and its manifest to
/// `manifest_out`; audited as `delivery_pack` for `actor`.
pub fn deliver_pack<W: Write>(
    conn: &mut Connection,
    request: &DeliveryRequest<'_>,
    actor: &str,
    manifest_out: &mut dyn Write,
    open: impl FnOnce(pack::PackFormat) -> std::io::Result<W>,
) -> Result<PackSummary, DocumentError> {
    let pack = pack::build(conn, request, manifest_out, open)?;
    let detail = format!(
        "campaign={} lang={} by={} comments={} signers={} volumes={} sha256={}",
        request.campaign.campaign.slug,
        request.lang.code(),
        request.split.code(),
        request.comments,
        pack.signers,
        pack.volumes,
        pack.checksum
    );
    audit::record(
        conn,
        actor,
        "delivery_pack",
        &detail,
        Utc::now().naive_utc(),
    )?;
    Ok(pack)
}

/// The manifest alone, written to `out` and flushed; audited as `delivery_manifest`.
/// Answers its checksum and the number of signers it lists.
pub fn deliver_manifest(
    conn: &mut Connection,
    request: &DeliveryRequest<'_>,
    actor: &str,
    out: &mut dyn Write,
) -> Result<(String, u64), DocumentError> {
    let (checksum, rows) = manifest::manifest(conn, request, out)?;
    out.flush()?;
    let detail = format!(
        "campaign={} by={} comments={} rows={rows} sha256={checksum}",
        request.campaign.campaign.slug,
        request.split.code(),
        request.comments
    );
    audit::record(
        conn,
        actor,
        "delivery_manifest",
        &detail,
        Utc::now().naive_utc(),
    )?;
    Ok((checksum, rows))
}
