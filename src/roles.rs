//! The one way to change what a member of staff may do, shared by the staff page and the
//! command line: checked, saved and written to the audit log together, refusals included.

use chrono::NaiveDateTime;

use crate::db::staff_roles::{self, AccessChangeRefused};
use crate::db::{Connection, audit};
use crate::domain::{AccessError, Role, StaffAccess};

/// Why a role was not changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeRefused {
    /// The role and the campaigns do not go together.
    Invalid(AccessError),
    /// The store would not make it (last owner, unknown campaign, no such account).
    Store(AccessChangeRefused),
}

/// Gives the account `email` the `role`, limited to `campaigns` (slugs), and records who did
/// it; a refusal is recorded too, as staff ask to see who tried what.
pub fn change(
    conn: &mut Connection,
    actor: &str,
    email: &str,
    role: Role,
    campaigns: Vec<String>,
    now: NaiveDateTime,
) -> diesel::QueryResult<Result<StaffAccess, ChangeRefused>> {
    let outcome = match StaffAccess::new(role, campaigns) {
        Err(invalid) => Err(ChangeRefused::Invalid(invalid)),
        Ok(access) => staff_roles::set_access(conn, email, &access)?
            .map(|(_, before)| (before, access))
            .map_err(ChangeRefused::Store),
    };
    match &outcome {
        Ok((before, after)) => audit::record(
            conn,
            actor,
            "staff_role_changed",
            &format!(
                "email={email} from={} to={}",
                describe(before),
                describe(after)
            ),
            now,
        )?,
        Err(refused) => audit::record(
            conn,
            actor,
            "staff_role_refused",
            &format!("email={email} to={} reason={refused:?}", role.code()),
            now,
        )?,
    }
    Ok(outcome.map(|(_, after)| after))
}

/// A role and its campaigns as the audit log writes them: `campaigner[agua,ayotzinapa]`.
pub fn describe(access: &StaffAccess) -> String {
    if access.campaigns().is_empty() {
        access.role().code().to_owned()
    } else {
        format!("{}[{}]", access.role().code(), access.campaigns().join(","))
    }
}
