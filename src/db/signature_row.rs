//! The one column list of `signatures`: every insert of a signature, online or in person,
//! goes through `NewSignatureRow`.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::signatures;
use crate::domain::{
    CONSENT_VERSION, Channel, FORM_CONSENT_VERSION, InPersonSignature, NewSignature, email_domain,
};

/// A row of `signatures` as it is inserted: the table's one column list, for a signature
/// made online (`record`, `record_batch`) and one given in person (`in_person::store`).
/// `None` is written as NULL, so that a batch inserts the same on both backends.
#[derive(Insertable)]
#[diesel(table_name = signatures, treat_none_as_default_value = false)]
pub struct NewSignatureRow<'a> {
    campaign_id: i64,
    first_name: &'a str,
    last_name: &'a str,
    email: &'a str,
    email_canonical: &'a str,
    country: &'a str,
    postal_code: Option<&'a str>,
    email_opt_in: bool,
    comment: Option<&'a str>,
    source: Option<&'a str>,
    lang: &'static str,
    consent_version: &'static str,
    created_at: NaiveDateTime,
    confirmed_at: Option<NaiveDateTime>,
    channel: &'static str,
    event_id: Option<i64>,
    person_key: String,
    recorded_at: Option<NaiveDateTime>,
    /// The review's signals, taken for online signatures only.
    email_domain: Option<&'a str>,
    network_hash: Option<&'a str>,
    flagged_at: Option<NaiveDateTime>,
}

impl<'a> NewSignatureRow<'a> {
    /// A signature from the form or the API: pending until its link is pressed.
    pub fn online(signature: &'a NewSignature, canonical: &'a str, now: NaiveDateTime) -> Self {
        Self {
            campaign_id: signature.campaign_id,
            first_name: signature.first_name.as_str(),
            last_name: signature.last_name.as_str(),
            email: signature.email.as_str(),
            email_canonical: canonical,
            country: signature.country.code(),
            postal_code: signature.postal_code.as_ref().map(|p| p.as_str()),
            email_opt_in: signature.email_opt_in,
            comment: signature.comment.as_ref().map(|c| c.as_str()),
            source: signature.source.as_ref().map(|s| s.as_str()),
            lang: signature.lang.code(),
            consent_version: FORM_CONSENT_VERSION,
            created_at: now,
            confirmed_at: None,
            channel: Channel::Online.as_str(),
            event_id: None,
            person_key: signature.person_key().as_str().to_owned(),
            recorded_at: None,
            email_domain: email_domain(canonical),
            network_hash: signature.signals.network.as_ref().map(|n| n.as_str()),
            flagged_at: signature.signals.throwaway.then_some(now),
        }
    }

    /// A signature given in person: counted from the moment it was given, and recorded `now`.
    pub fn in_person(
        signature: &'a InPersonSignature,
        unique_key: &'a str,
        now: NaiveDateTime,
    ) -> Self {
        Self {
            campaign_id: signature.campaign_id,
            first_name: signature.first_name.as_str(),
            last_name: signature.last_name.as_str(),
            email: signature.email.as_ref().map_or("", |e| e.as_str()),
            email_canonical: unique_key,
            country: signature.country.code(),
            postal_code: signature.postal_code.as_ref().map(|p| p.as_str()),
            email_opt_in: signature.email_opt_in,
            comment: None,
            source: signature.source.as_ref().map(|s| s.as_str()),
            lang: signature.lang.code(),
            consent_version: CONSENT_VERSION,
            created_at: signature.signed_at.at(),
            confirmed_at: Some(signature.signed_at.at()),
            channel: signature.channel.as_str(),
            event_id: Some(signature.event_id),
            person_key: signature.person_key().as_str().to_owned(),
            recorded_at: Some(now),
            email_domain: None,
            network_hash: None,
            flagged_at: None,
        }
    }
}
