//! The queries a request runs on `signatures`, each played on the filled database as the
//! request plays it.

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use super::super::delivery::{self, Section, Split};
use super::super::reports::{self, SignatureFilter};
use super::super::{Connection, in_person, privacy, review, signatures, updates};
use crate::domain::{
    Channel, Conditions, ConfirmationKey, FormRules, InPersonPlace, InPersonSignature, Lang,
    NewSignature, SignatureInput, SignedAt, UpdateDraft,
};

/// What the queries below are run with: a campaign among others, filled.
pub(super) struct Fixture {
    pub(super) campaign_id: i64,
    pub(super) now: NaiveDateTime,
}

type Query = fn(&mut Connection, &Fixture) -> QueryResult<()>;

/// Each query a request runs on `signatures`, named by what a person does.
pub(super) const REQUEST_QUERIES: &[(&str, Query)] = &[
    ("signing online, then confirming", sign_and_confirm),
    ("signing again with the same email", sign_twice),
    (
        "a paper row or kiosk entry with an email",
        in_person_with_email,
    ),
    (
        "a paper row or kiosk entry without an email",
        in_person_without_email,
    ),
    (
        "a paper import checking and storing its rows a batch at a time",
        paper_import,
    ),
    ("staff resending a confirmation email", resend),
    ("erasing a signer on request", erase),
    ("a signer opting out of emails", opt_out),
    ("staff paging through the signatures", signature_page),
    (
        "a partner exporting the signers who consented to it",
        partner_export,
    ),
    ("a delivery pack reading its signers", delivery_page),
    ("an update queueing its next recipients", update_recipients),
    (
        "the review page counting the last week by hour",
        review_hours,
    ),
    ("an invalidation taking its next batch", invalidation_batch),
    ("the review page previewing a search", review_preview),
    (
        "the review page counting flagged signatures",
        review_flagged,
    ),
    (
        "a delivery manifest listing standing invalidations",
        review_standing,
    ),
];

fn input(first: &str, email: &str) -> SignatureInput {
    SignatureInput {
        first_name: first.into(),
        last_name: "Plan".into(),
        email: email.into(),
        country: "MX".into(),
        postal_code: "39090".into(),
        email_opt_in: true,
        partner_opt_in: false,
        comment: String::new(),
        source: String::new(),
    }
}

fn rules(fixture: &Fixture) -> FormRules {
    FormRules {
        campaign_id: fixture.campaign_id,
        postal_code_required: false,
    }
}

fn online(fixture: &Fixture, email: &str) -> NewSignature {
    NewSignature::parse(&input("Ana", email), rules(fixture), Lang::Es).expect("a valid signature")
}

fn in_person_signature(fixture: &Fixture, first: &str, email: &str) -> InPersonSignature {
    let place = InPersonPlace {
        event_id: 1,
        channel: Channel::Paper,
        source: None,
    };
    InPersonSignature::parse(
        &input(first, email),
        rules(fixture),
        place,
        Lang::Es,
        SignedAt::received(fixture.now),
    )
    .expect("a valid signature")
}

fn sign_and_confirm(conn: &mut Connection, fixture: &Fixture) -> QueryResult<()> {
    let token = ConfirmationKey::derive(b"plans")
        .issue()
        .expect("randomness");
    signatures::record(
        conn,
        &online(fixture, "new@plan.example.org"),
        &token,
        fixture.now,
    )?;
    signatures::token_state(conn, &token.hash, fixture.now)?;
    signatures::confirm(conn, &token.hash, fixture.now)?;
    Ok(())
}

fn sign_twice(conn: &mut Connection, fixture: &Fixture) -> QueryResult<()> {
    let token = ConfirmationKey::derive(b"plans")
        .issue()
        .expect("randomness");
    signatures::record(
        conn,
        &online(fixture, "f7@fill.example.org"),
        &token,
        fixture.now,
    )?;
    Ok(())
}

fn in_person_with_email(conn: &mut Connection, fixture: &Fixture) -> QueryResult<()> {
    let signature = in_person_signature(fixture, "Beatriz", "beatriz@plan.example.org");
    in_person::record(conn, &signature, fixture.now)?;
    Ok(())
}

fn in_person_without_email(conn: &mut Connection, fixture: &Fixture) -> QueryResult<()> {
    let signature = in_person_signature(fixture, "Carmen", "");
    in_person::record(conn, &signature, fixture.now)?;
    Ok(())
}

/// A batch as an import checks it: hundreds of keys in one query change the planner's sums
/// (with 500 emails, SQLite preferred reading the whole campaign to 500 lookups).
fn paper_import(conn: &mut Connection, fixture: &Fixture) -> QueryResult<()> {
    let rows: Vec<InPersonSignature> = (0..500)
        .map(|n| {
            let first = format!("Dolores{}", letters(n));
            let email = if n % 2 == 0 {
                format!("{first}@plan.example.org")
            } else {
                String::new()
            };
            in_person_signature(fixture, &first, &email)
        })
        .collect();
    in_person::duplicates_of(conn, &rows)?;
    in_person::record_all(conn, &rows, fixture.now)?;
    Ok(())
}

/// Letters for `n`, since names with digits are refused.
fn letters(mut n: usize) -> String {
    let mut letters = String::new();
    loop {
        letters.push(char::from(b'a' + (n % 26) as u8));
        n /= 26;
        if n == 0 {
            return letters;
        }
    }
}

fn resend(conn: &mut Connection, fixture: &Fixture) -> QueryResult<()> {
    let token = ConfirmationKey::derive(b"plans")
        .issue()
        .expect("randomness");
    signatures::resend_confirmation(
        conn,
        fixture.campaign_id,
        "f8@fill.example.org",
        &token,
        fixture.now,
    )?;
    Ok(())
}

fn erase(conn: &mut Connection, fixture: &Fixture) -> QueryResult<()> {
    privacy::erase_email(
        conn,
        "f9@fill.example.org",
        Some(fixture.campaign_id),
        fixture.now,
    )?;
    Ok(())
}

fn opt_out(conn: &mut Connection, fixture: &Fixture) -> QueryResult<()> {
    privacy::opt_out(conn, 10, fixture.now)?;
    Ok(())
}

fn signature_page(conn: &mut Connection, fixture: &Fixture) -> QueryResult<()> {
    let filter = SignatureFilter {
        campaign_id: fixture.campaign_id,
        status: reports::Status::All,
        from: None,
        to: None,
        source: None,
        consented_to: None,
    };
    reports::signature_page(conn, &filter, 100, 50)?;
    Ok(())
}

fn partner_export(conn: &mut Connection, fixture: &Fixture) -> QueryResult<()> {
    let filter = SignatureFilter {
        campaign_id: fixture.campaign_id,
        status: reports::Status::Confirmed,
        from: None,
        to: None,
        source: Some("centro-prodh".into()),
        consented_to: Some("centro-prodh".into()),
    };
    reports::signature_page(conn, &filter, 100, 50)?;
    Ok(())
}

fn delivery_page(conn: &mut Connection, fixture: &Fixture) -> QueryResult<()> {
    let section = Section {
        key: None,
        signers: 0,
    };
    delivery::signers(conn, fixture.campaign_id, Split::None, &section, 100, 500)?;
    Ok(())
}

fn update_recipients(conn: &mut Connection, fixture: &Fixture) -> QueryResult<()> {
    let draft = UpdateDraft::parse(&[(Lang::Es, "Entregamos", "Gracias")], Lang::Es)
        .expect("a valid update");
    let id = updates::create(conn, fixture.campaign_id, &draft, "plans", fixture.now)?;
    updates::request_send(
        conn,
        fixture.campaign_id,
        id,
        "plans",
        true,
        fixture.now,
        fixture.now,
    )?;
    updates::queue_recipients(conn, 500, fixture.now)?;
    Ok(())
}

fn review_hours(conn: &mut Connection, fixture: &Fixture) -> QueryResult<()> {
    review::hourly_counts(
        conn,
        fixture.campaign_id,
        fixture.now - TimeDelta::days(8),
        fixture.now,
    )?;
    Ok(())
}

fn invalidation_batch(conn: &mut Connection, fixture: &Fixture) -> QueryResult<()> {
    let conditions = wave_search();
    let id = review::create_invalidation(
        conn,
        fixture.campaign_id,
        "{}",
        "plans",
        "plans",
        fixture.now,
    )?;
    let invalidation = review::invalidation(conn, fixture.campaign_id, id)?.expect("just made");
    review::run_batch(conn, &invalidation, &conditions, fixture.now)?;
    Ok(())
}

fn wave_search() -> Conditions {
    Conditions {
        domain: Some("fill.example.org".into()),
        from: NaiveDate::from_ymd_opt(2026, 10, 1).and_then(|d| d.and_hms_opt(0, 0, 0)),
        until: NaiveDate::from_ymd_opt(2026, 10, 2).and_then(|d| d.and_hms_opt(0, 0, 0)),
        ..Conditions::default()
    }
}

fn review_preview(conn: &mut Connection, fixture: &Fixture) -> QueryResult<()> {
    review::matching_count(conn, fixture.campaign_id, &wave_search())?;
    review::sample(conn, fixture.campaign_id, &wave_search(), 10)?;
    Ok(())
}

fn review_flagged(conn: &mut Connection, fixture: &Fixture) -> QueryResult<()> {
    review::flagged(conn, fixture.campaign_id)?;
    Ok(())
}

fn review_standing(conn: &mut Connection, fixture: &Fixture) -> QueryResult<()> {
    let id = review::create_invalidation(
        conn,
        fixture.campaign_id,
        "{}",
        "plans",
        "plans",
        fixture.now,
    )?;
    let invalidation = review::invalidation(conn, fixture.campaign_id, id)?.expect("just made");
    review::run_batch(conn, &invalidation, &wave_search(), fixture.now)?;
    review::standing(conn, fixture.campaign_id)?;
    Ok(())
}
