//! The one signing path shared by the campaign page's form, the embedded form and the JSON
//! API. Each caller turns the outcome into its own kind of response.

use std::net::IpAddr;
use std::time::Duration;

use crate::clock::Clock;
use crate::db::campaigns::Campaign;
use crate::db::{Database, SignatureWriter, WriteError, signatures::Recorded};
use crate::domain::{
    ConfirmationKey, Field, FieldErrors, FormTokenKey, FormTokenUses, Lang, NewSignature,
    SignatureInput, email_domain,
};
use crate::metrics::{Metrics, Rejection};
use crate::review::Signaller;

/// What taking an online signature needs of the shared state.
pub struct Desk<'a> {
    pub metrics: &'a Metrics,
    /// The database's time: forms are issued and checked by it on every server.
    pub clock: &'a Clock,
    pub form_key: &'a FormTokenKey,
    /// Forms sent sooner than this after they were served are taken for bots.
    pub min_fill_time: Duration,
    /// `None` when per-address limits are switched off.
    pub form_uses: Option<&'a FormTokenUses>,
    pub confirmation_key: &'a ConfirmationKey,
    pub writer: &'a SignatureWriter,
    pub db: &'a Database,
    /// Takes the review's signals: the network's keyed hash, throwaway-mail domains.
    pub signaller: &'a Signaller,
}

/// Where a signature came from, and so which anti-abuse checks apply to it.
pub enum Submission<'a> {
    /// Our own HTML form, on the campaign page or in a partner's iframe: it carries the signed
    /// form token and the honeypot field that people never see.
    Form {
        csrf_token: &'a str,
        honeypot: &'a str,
        client: IpAddr,
    },
    /// A partner's server or form through the JSON API, which has neither.
    Api,
}

/// What became of a signature. Accepted covers a new signature, a repeat of an earlier one
/// and a bot caught by the honeypot alike, so that no answer tells them apart.
#[derive(Debug)]
pub enum SignOutcome {
    Accepted,
    Closed,
    /// Staff paused signing on this campaign for a while.
    Paused,
    /// The form token was missing, forged or expired.
    StaleForm,
    /// The form came back sooner than a person fills it in: autofill and a quick tap, or a
    /// script. Nothing is stored; a person gets the form again and sends it once more.
    TooSoon,
    /// This form already carried as many signatures from this address as one form may.
    FormSpent,
    Invalid(FieldErrors),
    /// More signatures are waiting to be written than the queue holds: try again in a moment.
    Busy,
    /// Not the signer's doing (the disk is full or failed): try again in a few minutes.
    Unavailable,
}

pub async fn sign(
    state: &Desk<'_>,
    campaign: &Campaign,
    input: &SignatureInput,
    submission: Submission<'_>,
    lang: Lang,
) -> SignOutcome {
    let outcome = decide(state, campaign, input, submission, lang).await;
    let metrics = state.metrics;
    match &outcome {
        SignOutcome::Accepted => {}
        SignOutcome::Closed => metrics.signature_rejected(Rejection::Closed),
        SignOutcome::Paused => metrics.signature_rejected(Rejection::Paused),
        SignOutcome::StaleForm => metrics.signature_rejected(Rejection::ForgedToken),
        SignOutcome::TooSoon => metrics.signature_rejected(Rejection::TooSoon),
        SignOutcome::FormSpent => metrics.signature_rejected(Rejection::FormSpent),
        SignOutcome::Invalid(_) => metrics.signature_rejected(Rejection::Invalid),
        SignOutcome::Busy => metrics.signature_rejected(Rejection::Busy),
        SignOutcome::Unavailable => metrics.signature_rejected(Rejection::Unavailable),
    }
    outcome
}

async fn decide(
    state: &Desk<'_>,
    campaign: &Campaign,
    input: &SignatureInput,
    submission: Submission<'_>,
    lang: Lang,
) -> SignOutcome {
    let now = state.clock.now();
    if !campaign.accepts_signatures(now.naive_utc()) {
        return SignOutcome::Closed;
    }
    if campaign.pause().is_some() {
        return SignOutcome::Paused;
    }
    // When our form was issued, and to whom it came back.
    let form_issued = match submission {
        Submission::Form {
            csrf_token,
            honeypot,
            client,
        } => {
            if !honeypot.trim().is_empty() {
                tracing::info!(campaign = campaign.id, "honeypot field filled; not stored");
                state.metrics.bot_caught();
                return SignOutcome::Accepted;
            }
            match state.form_key.verify(csrf_token, campaign.id, now) {
                Ok(issued) => Some((issued, client)),
                Err(reason) => {
                    tracing::info!(campaign = campaign.id, %reason, "form token refused");
                    return SignOutcome::StaleForm;
                }
            }
        }
        Submission::Api => None,
    };
    let mut signature = match NewSignature::parse(input, campaign.form_rules(), lang) {
        Ok(signature) => signature,
        Err(errors) => return SignOutcome::Invalid(errors),
    };
    let canonical = signature.email.canonical();
    let domain = email_domain(&canonical);
    if campaign.refuse_throwaway && domain.is_some_and(|d| state.signaller.is_throwaway(d)) {
        return SignOutcome::Invalid(FieldErrors::one(Field::Email, "error-email-throwaway"));
    }
    if let Some((issued, client)) = form_issued {
        // Scripts post as soon as they have the page, but so does a person whose browser
        // fills in the form: they get it back to send again, so that nobody is lost.
        if (now - issued).to_std().unwrap_or_default() < state.min_fill_time {
            tracing::info!(campaign = campaign.id, "form sent at once; sent back");
            return SignOutcome::TooSoon;
        }
        if let Some(uses) = state.form_uses
            && !uses.take(campaign.id, issued, client)
        {
            tracing::info!(
                campaign = campaign.id,
                "form carried its share of signatures"
            );
            return SignOutcome::FormSpent;
        }
    }
    let client = form_issued.map(|(_, client)| client);
    signature.signals = state
        .signaller
        .signals(state.db, domain, client, now.naive_utc())
        .await;
    let token = match state.confirmation_key.issue() {
        Ok(token) => token,
        Err(error) => {
            tracing::error!(error = %error, "no randomness for a confirmation token");
            return SignOutcome::Unavailable;
        }
    };
    match state.writer.record(signature, token).await {
        Ok(Recorded::New { signature_id }) => {
            tracing::info!(signature = signature_id, "signature recorded");
            state.metrics.signature_accepted();
            SignOutcome::Accepted
        }
        Ok(Recorded::Repeat {
            signature_id,
            emailed,
        }) => {
            tracing::info!(signature = signature_id, emailed, "repeat signature");
            state.metrics.signature_accepted();
            SignOutcome::Accepted
        }
        // Not logged: in a surge this would be one line per refused signer.
        Err(WriteError::QueueFull) => SignOutcome::Busy,
        Err(error) => {
            tracing::error!(error = ?error, "could not record a signature");
            SignOutcome::Unavailable
        }
    }
}
