//! The role of each staff account and the campaigns it is limited to.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::Connection;
use super::schema::{campaigns, staff, staff_campaigns};
use crate::domain::{Role, StaffAccess};

/// A staff account as the staff page lists it.
#[derive(Debug, Clone)]
pub struct StaffMember {
    pub id: i64,
    pub email: String,
    pub access: StaffAccess,
    pub last_login_at: Option<NaiveDateTime>,
}

/// Why a change of role was not made; nothing was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccessChangeRefused {
    NoSuchAccount,
    /// The slug names no campaign.
    UnknownCampaign(String),
    /// It would leave the organisation with no owner, and nobody could manage staff.
    LastOwner,
}

/// A role as stored; a word this version does not know grants the least, not the most.
fn stored_role(code: &str) -> Role {
    Role::parse(code).unwrap_or(Role::Viewer)
}

fn campaign_slugs(conn: &mut Connection, staff_id: i64) -> QueryResult<Vec<String>> {
    staff_campaigns::table
        .inner_join(campaigns::table)
        .filter(staff_campaigns::staff_id.eq(staff_id))
        .order(campaigns::slug)
        .select(campaigns::slug)
        .load(conn)
}

/// What the account may do; `None` when there is no such account.
pub fn access_of(conn: &mut Connection, staff_id: i64) -> QueryResult<Option<StaffAccess>> {
    let Some(role) = staff::table
        .find(staff_id)
        .select(staff::role)
        .first::<String>(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let campaigns = campaign_slugs(conn, staff_id)?;
    Ok(Some(StaffAccess::stored(stored_role(&role), campaigns)))
}

/// Every staff account, by email.
pub fn list(conn: &mut Connection) -> QueryResult<Vec<StaffMember>> {
    let rows: Vec<(i64, String, String, Option<NaiveDateTime>)> = staff::table
        .order(staff::email)
        .select((staff::id, staff::email, staff::role, staff::last_login_at))
        .load(conn)?;
    let links: Vec<(i64, String)> = staff_campaigns::table
        .inner_join(campaigns::table)
        .order(campaigns::slug)
        .select((staff_campaigns::staff_id, campaigns::slug))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, email, role, last_login_at)| {
            let named = links
                .iter()
                .filter(|(staff_id, _)| *staff_id == id)
                .map(|(_, slug)| slug.clone())
                .collect();
            StaffMember {
                id,
                email,
                access: StaffAccess::stored(stored_role(&role), named),
                last_login_at,
            }
        })
        .collect())
}

/// Owners other than `staff_id`. On PostgreSQL their rows stay locked until the transaction
/// ends, so that two owners demoting each other at once cannot both succeed; SQLite's write
/// transaction already holds the whole database.
fn other_owners(conn: &mut Connection, staff_id: i64) -> QueryResult<usize> {
    let owners = staff::table
        .filter(staff::role.eq(Role::Owner.code()))
        .filter(staff::id.ne(staff_id))
        .select(staff::id);
    let found: Vec<i64> = match conn {
        Connection::Sqlite(conn) => owners.load(conn)?,
        Connection::Postgres(conn) => owners.for_update().load(conn)?,
    };
    Ok(found.len())
}

/// Gives the account with `email` the role and campaigns of `access`, unless that leaves no
/// owner or names a campaign there is not. Returns the account's id and its access before.
pub fn set_access(
    conn: &mut Connection,
    email: &str,
    access: &StaffAccess,
) -> QueryResult<Result<(i64, StaffAccess), AccessChangeRefused>> {
    super::write_transaction(conn, |conn| {
        let Some(id) = staff::table
            .filter(staff::email.eq(email))
            .select(staff::id)
            .first::<i64>(conn)
            .optional()?
        else {
            return Ok(Err(AccessChangeRefused::NoSuchAccount));
        };
        let before = access_of(conn, id)?.unwrap_or_else(StaffAccess::owner);
        if access.role() != Role::Owner && other_owners(conn, id)? == 0 {
            return Ok(Err(AccessChangeRefused::LastOwner));
        }
        let mut campaign_ids = Vec::with_capacity(access.campaigns().len());
        for slug in access.campaigns() {
            match campaigns::table
                .filter(campaigns::slug.eq(slug))
                .select(campaigns::id)
                .first::<i64>(conn)
                .optional()?
            {
                Some(campaign_id) => campaign_ids.push(campaign_id),
                None => return Ok(Err(AccessChangeRefused::UnknownCampaign(slug.clone()))),
            }
        }
        diesel::update(staff::table.find(id))
            .set(staff::role.eq(access.role().code()))
            .execute(conn)?;
        diesel::delete(staff_campaigns::table.filter(staff_campaigns::staff_id.eq(id)))
            .execute(conn)?;
        for campaign_id in campaign_ids {
            diesel::insert_into(staff_campaigns::table)
                .values((
                    staff_campaigns::staff_id.eq(id),
                    staff_campaigns::campaign_id.eq(campaign_id),
                ))
                .execute(conn)?;
        }
        Ok(Ok((id, before)))
    })
}

/// How many accounts are owners.
pub fn owners(conn: &mut Connection) -> QueryResult<i64> {
    staff::table
        .filter(staff::role.eq(Role::Owner.code()))
        .count()
        .get_result(conn)
}

/// The email of the account `staff_id`, if there is one.
pub fn email_of(conn: &mut Connection, staff_id: i64) -> QueryResult<Option<String>> {
    staff::table
        .find(staff_id)
        .select(staff::email)
        .first(conn)
        .optional()
}
