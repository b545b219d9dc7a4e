//! Staff accounts from the command line: the first owner, and changes of role.

use std::io::{BufRead, IsTerminal};

use anyhow::{Context, bail};
use chrono::Utc;

use super::CLI_ACTOR;
use super::args::AdminCommand;
use crate::db::staff_roles::{self, AccessChangeRefused};
use crate::db::{Database, audit, campaigns, staff};
use crate::domain::{AccessError, Lang, Role, SignerEmail, StaffAccess, StaffPassword};
use crate::roles::{self, ChangeRefused};

pub(super) fn run(db: &Database, command: AdminCommand) -> anyhow::Result<()> {
    match command {
        AdminCommand::Create {
            email,
            lang,
            role,
            campaigns,
        } => create_staff(db, &email, lang.as_deref(), &role, campaigns),
        AdminCommand::Role {
            email,
            role,
            campaigns,
        } => change_role(db, &email, &role, campaigns),
    }
}

pub(super) fn parse_role(role: &str) -> anyhow::Result<Role> {
    Role::parse(role)
        .with_context(|| format!("{role:?} is not one of owner, campaigner, data_entry, viewer"))
}

/// An email as accounts store it: IDNA domain, NFKC, lower case.
fn staff_email(email: &str) -> anyhow::Result<String> {
    Ok(SignerEmail::parse(email)
        .map_err(|_| anyhow::anyhow!("{email:?} is not an email address"))?
        .as_str()
        .to_lowercase())
}

fn access_refused(refused: &ChangeRefused) -> anyhow::Error {
    match refused {
        ChangeRefused::Invalid(AccessError::CampaignsRequired) => {
            anyhow::anyhow!("a data-entry account must name its campaigns with --campaign")
        }
        ChangeRefused::Invalid(AccessError::CampaignsNotAllowed) => {
            anyhow::anyhow!("owners and viewers see every campaign; leave out --campaign")
        }
        ChangeRefused::Store(AccessChangeRefused::NoSuchAccount) => {
            anyhow::anyhow!("there is no staff account with that email")
        }
        ChangeRefused::Store(AccessChangeRefused::UnknownCampaign(slug)) => {
            anyhow::anyhow!("there is no campaign {slug:?}")
        }
        ChangeRefused::Store(AccessChangeRefused::LastOwner) => anyhow::anyhow!(
            "this is the last owner; make another account an owner first, so that someone can still manage staff"
        ),
    }
}

fn create_staff(
    db: &Database,
    email: &str,
    lang: Option<&str>,
    role: &str,
    campaigns: Vec<String>,
) -> anyhow::Result<()> {
    let email = staff_email(email)?;
    let lang = lang
        .map(|lang| {
            Lang::parse(lang).with_context(|| format!("{lang:?} is not one of es, en, fr, pt"))
        })
        .transpose()?;
    let access = StaffAccess::new(parse_role(role)?, campaigns)
        .map_err(|invalid| access_refused(&ChangeRefused::Invalid(invalid)))?;
    let mut conn = db.connection()?;
    if access.role() != Role::Owner && staff_roles::owners(&mut conn)? == 0 {
        bail!("the first staff account must be an owner, so that someone can manage staff");
    }
    for slug in access.campaigns() {
        if campaigns::find_by_slug(&mut conn, slug)?.is_none() {
            bail!("there is no campaign {slug:?}");
        }
    }
    let password = StaffPassword::parse(&read_password()?)?;
    let hash = password.hash()?;
    let now = Utc::now().naive_utc();
    if staff::create(&mut conn, &email, &hash, access.role(), lang, now)?.is_none() {
        bail!("there is already a staff account for {email}");
    }
    if !access.campaigns().is_empty() {
        staff_roles::set_access(&mut conn, &email, &access)?
            .map_err(|refused| access_refused(&ChangeRefused::Store(refused)))?;
    }
    let lang_detail = lang.map(|lang| format!(" lang={}", lang.code()));
    let detail = format!(
        "email={email} role={}{}",
        roles::describe(&access),
        lang_detail.unwrap_or_default()
    );
    audit::record(&mut conn, CLI_ACTOR, "staff_created", &detail, now)?;
    println!("Created the staff account {email}. Sign in at /admin/login.");
    Ok(())
}

fn change_role(
    db: &Database,
    email: &str,
    role: &str,
    campaigns: Vec<String>,
) -> anyhow::Result<()> {
    let email = staff_email(email)?;
    let role = parse_role(role)?;
    let mut conn = db.connection()?;
    let now = Utc::now().naive_utc();
    let access = roles::change(&mut conn, CLI_ACTOR, &email, role, campaigns, now)?
        .map_err(|refused| access_refused(&refused))?;
    println!("{email} is now {}.", roles::describe(&access));
    Ok(())
}

fn read_password() -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password (at least 12 characters): ")?;
        let second = rpassword::prompt_password("Password again: ")?;
        if first != second {
            bail!("the two passwords differ");
        }
        return Ok(first);
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("could not read the password from standard input")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}
