//! Stored canonical addresses brought up to the current rules, once after the migration
//! that asks for it.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::Connection;
use super::deletion;
use super::schema::{email_recanonicalisation_due, signatures};
use crate::domain::SignerEmail;

/// What bringing stored canonical addresses up to the current rules did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Recanonicalised {
    /// Rows whose canonical address changed.
    pub updated: usize,
    /// Rows deleted because another row of the same campaign turned out to be the same
    /// mailbox.
    pub merged: usize,
}

/// Recomputes, once after the migration that asks for it, the canonical address of the
/// signatures stored under older rules, so that every spelling finds them for de-duplication
/// and erasure. Only an address with a character beyond ASCII can have changed, so only those
/// are read.
///
/// Where two rows of one campaign now share a canonical address, they are one mailbox that
/// signed twice: the row kept is the earliest confirmed one (or, if neither is confirmed, the
/// earliest signed), so a confirmed signature is never given up for a pending one; the other
/// row is deleted with its tokens and unsent mail. The count then holds that mailbox once.
pub fn recanonicalise_emails(conn: &mut Connection) -> QueryResult<Recanonicalised> {
    super::write_transaction(conn, |conn| {
        let mut done = Recanonicalised::default();
        let due: i64 = email_recanonicalisation_due::table
            .count()
            .get_result(conn)?;
        if due == 0 {
            return Ok(done);
        }
        // An address is beyond ASCII when it has more bytes than characters.
        let beyond_ascii = match conn {
            Connection::Sqlite(_) => "length(email) <> length(CAST(email AS BLOB))",
            Connection::Postgres(_) => "length(email) <> octet_length(email)",
        };
        let rows: Vec<StoredSigner> = signatures::table
            .filter(signatures::erased_at.is_null())
            .filter(diesel::dsl::sql::<diesel::sql_types::Bool>(beyond_ascii))
            .select(StoredSigner::as_select())
            .load(conn)?;
        for row in rows {
            // An address the current rules cannot read keeps the key it had.
            let Ok(email) = SignerEmail::parse_any_domain(&row.email) else {
                continue;
            };
            let canonical = email.canonical();
            if canonical == row.email_canonical {
                continue;
            }
            let other: Option<StoredSigner> = signatures::table
                .filter(signatures::campaign_id.eq(row.campaign_id))
                .filter(signatures::email_canonical.eq(&canonical))
                .select(StoredSigner::as_select())
                .first(conn)
                .optional()?;
            if let Some(other) = other {
                done.merged += 1;
                let dropped = if row.kept_before(&other) {
                    other.id
                } else {
                    row.id
                };
                deletion::delete_signature(conn, dropped)?;
                if dropped == row.id {
                    continue;
                }
            }
            diesel::update(signatures::table.find(row.id))
                .set(signatures::email_canonical.eq(&canonical))
                .execute(conn)?;
            done.updated += 1;
        }
        diesel::delete(email_recanonicalisation_due::table).execute(conn)?;
        Ok(done)
    })
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = signatures)]
struct StoredSigner {
    id: i64,
    campaign_id: i64,
    email: String,
    email_canonical: String,
    created_at: NaiveDateTime,
    confirmed_at: Option<NaiveDateTime>,
}

impl StoredSigner {
    /// Of two signatures by one mailbox, whether this one is kept: confirmed before pending,
    /// then the earlier.
    fn kept_before(&self, other: &StoredSigner) -> bool {
        match (self.confirmed_at, other.confirmed_at) {
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (Some(mine), Some(theirs)) => (mine, self.id) < (theirs, other.id),
            (None, None) => (self.created_at, self.id) < (other.created_at, other.id),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signer(id: i64, created: u32, confirmed: Option<u32>) -> StoredSigner {
        let at = |hour| {
            chrono::NaiveDate::from_ymd_opt(2026, 11, 1)
                .and_then(|d| d.and_hms_opt(hour, 0, 0))
                .expect("a valid time")
        };
        StoredSigner {
            id,
            campaign_id: 1,
            email: String::new(),
            email_canonical: String::new(),
            created_at: at(created),
            confirmed_at: confirmed.map(at),
        }
    }

    #[test]
    fn of_one_mailbox_the_earliest_confirmed_signature_is_kept() {
        let pending_first = signer(1, 1, None);
        let confirmed_later = signer(2, 2, Some(3));
        assert!(confirmed_later.kept_before(&pending_first));
        assert!(!pending_first.kept_before(&confirmed_later));

        let confirmed_last = signer(3, 0, Some(5));
        assert!(confirmed_later.kept_before(&confirmed_last));
        assert!(!confirmed_last.kept_before(&confirmed_later));

        let pending_later = signer(4, 4, None);
        assert!(pending_first.kept_before(&pending_later));
        assert!(!pending_later.kept_before(&pending_first));
    }
}
