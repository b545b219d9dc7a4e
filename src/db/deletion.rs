//! Removing a signature with what hangs on it (its confirmation token and its emails not
//! yet sent): shared by undoing a paper batch, merging two signatures of one person, and
//! merging two of one mailbox, so that none of them leaves a row pointing at nothing.

use diesel::prelude::*;

use super::Connection;
use super::schema::{confirmation_tokens, outbox, signatures};

pub(super) fn delete_signature(conn: &mut Connection, signature_id: i64) -> QueryResult<()> {
    diesel::delete(
        confirmation_tokens::table.filter(confirmation_tokens::signature_id.eq(signature_id)),
    )
    .execute(conn)?;
    diesel::delete(outbox::table.filter(outbox::signature_id.eq(signature_id))).execute(conn)?;
    super::consents::delete_of(conn, &[signature_id])?;
    diesel::delete(signatures::table.find(signature_id)).execute(conn)?;
    Ok(())
}
