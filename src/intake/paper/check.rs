//! Checking a batch's rows before anything is stored: each row as the online form checks
//! it, in the staff member's language, then de-duplicated against the campaign and the
//! rows before it.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::QueryResult;

use super::{Batch, Outcome, ROWS_PER_TRANSACTION, Summary};
use crate::db::Connection;
use crate::db::campaigns::Campaign;
use crate::db::in_person;
use crate::domain::{
    Channel, DayError, Field, FieldError, InPersonPlace, InPersonSignature, SheetRow, SignedAt,
    SignedAtError,
};
use crate::i18n::{Tr, country_lookup};

/// Checks each row and de-duplicates it; stores nothing.
pub fn check(
    conn: &mut Connection,
    batch: &Batch<'_>,
    rows: &[SheetRow],
    now: NaiveDateTime,
) -> QueryResult<(Summary, Vec<InPersonSignature>)> {
    let tr = Tr(batch.staff_lang);
    let lang = batch.campaign.default_lang();
    let mut summary = Summary::default();
    let mut accepted = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    // Each person key among the accepted rows: their lines, and whether each gave an email.
    let mut people: HashMap<String, Vec<(u64, bool)>> = HashMap::new();
    // Rows still new once checked alone: their place in the summary, and the signature.
    let mut candidates: Vec<(usize, InPersonSignature)> = Vec::new();
    for row in rows {
        let name = format!("{} {}", row.input.first_name, row.input.last_name)
            .trim()
            .to_owned();
        let mut reasons = Vec::new();
        let opt_in = row.opt_in.clone().unwrap_or_else(|raw| {
            reasons.push(tr.t1("admin-paper-row-opt-in-unclear", "value", &raw));
            false
        });
        let day = match &row.signed_on {
            Ok(day) => day.unwrap_or(batch.default_day),
            Err(DayError::NotADate(raw)) => {
                reasons.push(tr.t1("admin-paper-row-not-a-date", "value", raw));
                batch.default_day
            }
            Err(DayError::TwoDigitYear(raw)) => {
                reasons.push(tr.t1("admin-paper-row-two-digit-year", "value", raw));
                batch.default_day
            }
        };
        // A refused day leaves the row invalid; the time put in its place is never stored.
        let signed_at = match SignedAt::on_day(day, batch.campaign.created_at, now) {
            Ok(at) => at,
            Err(error) => {
                reasons.push(day_refused(tr, error, day, batch.campaign));
                SignedAt::received(now)
            }
        };
        let mut input = crate::domain::SignatureInput {
            email_opt_in: opt_in,
            ..row.input.clone()
        };
        // Sheets write the country out, in any of our languages, as often as they code it.
        if let Some(country) = country_lookup().find(&input.country) {
            input.country = country.code().to_owned();
        }
        let place = InPersonPlace {
            event_id: batch.event_id,
            channel: Channel::Paper,
            source: batch.source.clone(),
        };
        let signature =
            InPersonSignature::parse(&input, batch.campaign.form_rules(), place, lang, signed_at);
        let signature = match signature {
            Ok(signature) if reasons.is_empty() => signature,
            Ok(_) => {
                summary.add(row.line, name, Outcome::Invalid { reasons });
                continue;
            }
            Err(errors) => {
                reasons.extend(
                    errors
                        .iter()
                        .map(|error| field_refused(tr, error, &row.input.country)),
                );
                summary.add(row.line, name, Outcome::Invalid { reasons });
                continue;
            }
        };
        let key = match &signature.email {
            Some(email) => email.canonical(),
            None => signature.person_key().as_str().to_owned(),
        };
        if let Some(&line) = seen.get(&key) {
            summary.add(row.line, name, Outcome::SameAsLine { line });
            continue;
        }
        seen.insert(key, row.line);
        // The same person by name as an earlier row, unless both gave (different) emails:
        // the rule the database lookup applies, here among the file's own rows.
        let person = signature.person_key().as_str().to_owned();
        let earlier = people.get(&person).and_then(|rows: &Vec<(u64, bool)>| {
            rows.iter()
                .find(|(_, has_email)| signature.email.is_none() || !has_email)
        });
        if let Some(&(line, _)) = earlier {
            summary.add(row.line, name, Outcome::SameAsLine { line });
            continue;
        }
        people
            .entry(person)
            .or_default()
            .push((row.line, signature.email.is_some()));
        summary.add(row.line, name, Outcome::New);
        candidates.push((summary.rows.len() - 1, signature));
    }
    // Whether each still-new row's person already counts, a few hundred rows per query.
    let (places, signatures): (Vec<usize>, Vec<InPersonSignature>) = candidates.into_iter().unzip();
    let mut duplicates = Vec::with_capacity(signatures.len());
    for chunk in signatures.chunks(ROWS_PER_TRANSACTION) {
        duplicates.extend(in_person::duplicates_of(conn, chunk)?);
    }
    for ((index, signature), duplicate) in places.into_iter().zip(signatures).zip(duplicates) {
        match duplicate {
            Some(id) => {
                summary.rows[index].outcome = Outcome::AlreadySigned { signature: id };
                summary.new -= 1;
                summary.duplicates += 1;
            }
            None => accepted.push(signature),
        }
    }
    describe_earlier(conn, &mut summary)?;
    Ok((summary, accepted))
}

/// Reads how the signatures that rows duplicate came in, for those not yet described.
pub(super) fn describe_earlier(conn: &mut Connection, summary: &mut Summary) -> QueryResult<()> {
    let ids: Vec<i64> = summary
        .rows
        .iter()
        .filter_map(|row| match row.outcome {
            Outcome::AlreadySigned { signature } if !summary.earlier.contains_key(&signature) => {
                Some(signature)
            }
            _ => None,
        })
        .collect();
    if !ids.is_empty() {
        summary
            .earlier
            .extend(in_person::earlier_signatures(conn, &ids)?);
    }
    Ok(())
}

/// Why a field of a row was refused, in the staff member's words: the column as the entry
/// form names it, then what is wrong (the online form's messages speak to the signer).
fn field_refused(tr: Tr, error: &FieldError, typed_country: &str) -> String {
    let column = match error.field {
        Field::FirstName => "admin-paper-first-name",
        Field::LastName => "admin-paper-last-name",
        Field::Email => "admin-paper-email",
        Field::Country => "admin-paper-country",
        Field::PostalCode => "admin-paper-postal-code",
        Field::Comment => "admin-paper-comment",
    };
    tr.t2(
        "admin-paper-reason",
        ("field", &tr.t(column)),
        (
            "reason",
            &tr.t1(staff_reason(error.message_key), "value", typed_country),
        ),
    )
}

/// The staff page's words for a validator's code: the online form's message speaks to
/// the signer ("your last name"), staff read about a row.
fn staff_reason(message_key: &str) -> &'static str {
    match message_key {
        "error-name-empty" => "admin-paper-reason-name-empty",
        "error-name-too-long" => "admin-paper-reason-name-too-long",
        "error-name-web-address" => "admin-paper-reason-name-web-address",
        "error-name-formula" => "admin-paper-reason-name-formula",
        "error-email-empty" => "admin-paper-reason-email-empty",
        "error-email-invalid" => "admin-paper-reason-email-invalid",
        "error-email-undeliverable" => "admin-paper-reason-email-undeliverable",
        "error-country-unknown" => "admin-paper-reason-country-unknown",
        "error-postal-code-missing" => "admin-paper-reason-postal-code-missing",
        "error-postal-code-shape" => "admin-paper-reason-postal-code-shape",
        "error-comment-too-long" => "admin-paper-reason-comment-too-long",
        "error-comment-characters" => "admin-paper-reason-comment-characters",
        "error-name-characters" => "admin-paper-reason-name-characters",
        _ => "admin-paper-reason-other",
    }
}

/// Why a row's day cannot be its signing day, in the staff member's language.
fn day_refused(tr: Tr, error: SignedAtError, day: NaiveDate, campaign: &Campaign) -> String {
    match error {
        SignedAtError::BeforeCampaign => tr.t2(
            "admin-paper-row-before-campaign",
            ("day", &day.to_string()),
            ("created", &campaign.created_at.date().to_string()),
        ),
        SignedAtError::Future => tr.t1("admin-paper-row-future", "day", &day.to_string()),
    }
}
