//! The one way to change the organisation's settings, shared by the staff page and the
//! command line: parsed, saved and written to the audit log together.

use chrono::NaiveDateTime;

use crate::db::{Connection, Database, StoreError, audit, organisation};
use crate::domain::{
    BrandColourError, Organisation, OrganisationInput, OrganisationProblem, contrast_ratio_text,
};
use crate::i18n::Tr;

#[derive(Debug, thiserror::Error)]
pub enum UpdateError {
    #[error("the settings have problems")]
    Invalid(Vec<OrganisationProblem>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Saves the settings as typed and writes who changed what to the audit log.
pub async fn update(
    db: &Database,
    actor: &str,
    input: &OrganisationInput,
    now: NaiveDateTime,
) -> Result<Organisation, UpdateError> {
    let settings = input.parse().map_err(UpdateError::Invalid)?;
    let (saved, actor) = (settings.clone(), actor.to_owned());
    db.run(move |conn| save_and_audit(conn, &actor, &saved, now))
        .await?;
    Ok(settings)
}

/// `update` for the command line, on a connection of its own.
pub fn update_blocking(
    conn: &mut Connection,
    actor: &str,
    input: &OrganisationInput,
    now: NaiveDateTime,
) -> Result<Organisation, UpdateError> {
    let settings = input.parse().map_err(UpdateError::Invalid)?;
    save_and_audit(conn, actor, &settings, now).map_err(StoreError::from)?;
    Ok(settings)
}

fn save_and_audit(
    conn: &mut Connection,
    actor: &str,
    settings: &Organisation,
    now: NaiveDateTime,
) -> diesel::QueryResult<()> {
    let before = organisation::load(conn)?;
    organisation::save(conn, settings, now)?;
    audit::record(
        conn,
        actor,
        "organisation_updated",
        &changed_fields(&before, settings),
        now,
    )
}

/// The names of the settings that changed, for the audit log.
fn changed_fields(before: &Organisation, after: &Organisation) -> String {
    let (old, new) = (OrganisationInput::of(before), OrganisationInput::of(after));
    let fields = [
        ("sender_name", &old.sender_name, &new.sender_name),
        ("reply_to", &old.reply_to, &new.reply_to),
        ("postal_address", &old.postal_address, &new.postal_address),
        (
            "data_controller",
            &old.data_controller,
            &new.data_controller,
        ),
        ("privacy_url", &old.privacy_url, &new.privacy_url),
        ("brand_colour", &old.brand_colour, &new.brand_colour),
    ];
    let mut changed: Vec<String> = fields
        .iter()
        .filter(|(_, a, b)| a != b)
        .map(|(name, _, b)| match *name {
            "brand_colour" | "reply_to" | "privacy_url" => format!("{name}={b}"),
            _ => (*name).to_owned(),
        })
        .collect();
    for lang in crate::domain::Lang::ALL {
        let (a, b) = (old.text(lang), new.text(lang));
        for (name, x, y) in [
            ("name", a.0, b.0),
            ("short_name", a.1, b.1),
            ("privacy_notice", a.2, b.2),
        ] {
            if x != y {
                changed.push(format!("{name}_{}", lang.code()));
            }
        }
    }
    if changed.is_empty() {
        "nothing changed".to_owned()
    } else {
        changed.join(" ")
    }
}

/// What a problem with the settings says to whoever typed them, on the page or the
/// command line.
pub fn problem_message(tr: Tr, problem: &OrganisationProblem) -> String {
    match problem {
        OrganisationProblem::TooLong { max, .. } => tr.t1(
            "organisation-error-too-long",
            "max",
            &tr.number(i64::try_from(*max).unwrap_or(i64::MAX)),
        ),
        OrganisationProblem::ControlCharacters { .. } => tr.t("organisation-error-control"),
        OrganisationProblem::ReplyTo => tr.t("organisation-error-reply-to"),
        OrganisationProblem::PrivacyUrl => tr.t("organisation-error-privacy-url"),
        OrganisationProblem::BrandColour(BrandColourError::Unreadable) => {
            tr.t("organisation-error-colour-unreadable")
        }
        OrganisationProblem::BrandColour(BrandColourError::TooLittleContrast { ratio }) => tr.t1(
            "organisation-error-colour-contrast",
            "ratio",
            &contrast_ratio_text(*ratio),
        ),
    }
}
