//! Signatures from a kiosk, a tablet at an event reached by a secret link: the gates every
//! kiosk signature passes, written once for the form sent without the script and for the
//! sealed upload, and what is recorded of each. Its signatures count without confirmation:
//! a volunteer was there.

use std::time::Duration;

use chrono::NaiveDateTime;

use crate::cache::counts::SignatureCounts;
use crate::db::kiosks::{self, KioskAtEvent};
use crate::db::{Database, StoreError};
use crate::domain::{
    FieldErrors, IdempotencyKey, InPersonSignature, KioskEntry, Lang, PlainToken,
    RandomnessUnavailable, SealedSignature, SealingKey, SignatureInput, SignedAt, UploadOutcome,
};
use crate::rate_limits::KioskCeiling;

/// How long a kiosk waits while staff pause signing, as the campaign page asks of a browser.
pub const PAUSED_RETRY: Duration = Duration::from_secs(300);

/// What taking a kiosk's signatures needs of the shared state.
pub struct Desk<'a> {
    pub db: &'a Database,
    pub counts: &'a SignatureCounts,
    pub sealing_key: &'a SealingKey,
    pub ceiling: &'a KioskCeiling,
}

/// Why a kiosk takes no signature now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shut {
    /// The kiosk sent more than its ceiling allows: it may send again after this long.
    Ceiling(Duration),
    /// The kiosk is revoked or expired, or its campaign is closed.
    Closed,
    /// Staff paused signing on the campaign for a while.
    Paused,
}

/// What became of a signature typed into the kiosk's form and sent without its script.
#[derive(Debug)]
pub enum Signed {
    /// Recorded, whether it counted now or its signer had already signed.
    Taken,
    Shut(Shut),
    Invalid(FieldErrors),
}

/// What became of a signature the kiosk's script sealed.
#[derive(Debug)]
pub enum Uploaded {
    /// The same answer whenever the device sends the same upload; a closed kiosk's upload is
    /// `Refused` without being opened.
    Recorded(UploadOutcome),
    /// Not sealed for this kiosk, or not a signature once opened.
    Unreadable,
    /// Opened, but the campaign cannot take it: each field's problem, for the signer in `lang`.
    Invalid { errors: FieldErrors, lang: Lang },
    /// Over the kiosk's ceiling or paused: the device keeps it and sends it again then.
    Later(Duration),
}

/// Why a kiosk signature could not be recorded; none of it is the signer's doing.
#[derive(Debug, thiserror::Error)]
pub enum KioskError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("no randomness for an idempotency key")]
    Randomness(#[from] RandomnessUnavailable),
}

impl Desk<'_> {
    /// The kiosk whose link carries `secret`, with its campaign and event: one query.
    pub async fn find(&self, secret: &str) -> Result<Option<KioskAtEvent>, StoreError> {
        let Some(secret) = PlainToken::parse(secret) else {
            return Ok(None);
        };
        let hash = secret.hash();
        self.db
            .run(move |conn| kiosks::by_secret(conn, &hash))
            .await
    }

    /// The gates every kiosk signature passes, in this order. The ceiling comes before
    /// anything is written, refusals included: a lost tablet retrying in a loop is slowed
    /// here, not stored.
    fn gates(&self, found: &KioskAtEvent, now: NaiveDateTime) -> Result<(), Shut> {
        self.ceiling.check(found.kiosk.id).map_err(Shut::Ceiling)?;
        if !found.takes_signatures(now) {
            return Err(Shut::Closed);
        }
        if found.campaign.pause().is_some() {
            return Err(Shut::Paused);
        }
        Ok(())
    }

    /// A signature typed into the kiosk's form and sent without its script.
    pub async fn sign(
        &self,
        found: &KioskAtEvent,
        input: &SignatureInput,
        lang: Lang,
        now: NaiveDateTime,
    ) -> Result<Signed, KioskError> {
        if let Err(shut) = self.gates(found, now) {
            return Ok(Signed::Shut(shut));
        }
        let rules = found.campaign.form_rules();
        let signed_at = SignedAt::received(now);
        let signature = match InPersonSignature::parse(input, rules, found.place(), lang, signed_at)
        {
            Ok(signature) => signature,
            Err(errors) => return Ok(Signed::Invalid(errors)),
        };
        // A form sent without the script has no key of its own; one is made here so that it
        // is tallied with the kiosk's other signatures.
        let key = IdempotencyKey::generate()?;
        self.record(found, key, Some(signature), now).await?;
        Ok(Signed::Taken)
    }

    /// One signature the kiosk's script sealed under `key`. `request_lang` answers when the
    /// signature does not say its signer's language.
    ///
    /// Before its insert an upload runs three queries: the kiosk with its campaign and event
    /// (`find`, one join), then, in the write transaction of `kiosks::record_upload`, the
    /// answer already given to `key` and whether this person already counted. A test in
    /// `db::kiosks` counts them.
    pub async fn upload(
        &self,
        found: &KioskAtEvent,
        key: IdempotencyKey,
        sealed: &SealedSignature,
        request_lang: Lang,
        now: NaiveDateTime,
    ) -> Result<Uploaded, StoreError> {
        match self.gates(found, now) {
            Ok(()) => {}
            Err(Shut::Ceiling(wait)) => return Ok(Uploaded::Later(wait)),
            Err(Shut::Paused) => return Ok(Uploaded::Later(PAUSED_RETRY)),
            // Nothing is opened: a refused signature's names are not the server's to keep.
            Err(Shut::Closed) => {
                let kiosk_id = found.kiosk.id;
                let refused = self
                    .db
                    .run(move |conn| kiosks::record_refusal(conn, kiosk_id, &key))
                    .await?;
                return Ok(Uploaded::Recorded(refused));
            }
        }
        let Some(entry) = self
            .sealing_key
            .unseal(sealed, found.kiosk.id, &key)
            .and_then(|plain| KioskEntry::parse(&plain))
        else {
            return Ok(Uploaded::Unreadable);
        };
        let lang = Lang::parse(&entry.lang).unwrap_or(request_lang);
        // The device's clock is already kept within the kiosk's life; the campaign's bounds
        // hold whatever a kiosk row says.
        let signed_at = SignedAt::within(
            entry.signed_at(found.kiosk.created_at, now),
            found.campaign.created_at,
            now,
        )
        .unwrap_or(SignedAt::received(now));
        let rules = found.campaign.form_rules();
        let signature =
            InPersonSignature::parse(&entry.input(), rules, found.place(), lang, signed_at);
        let errors = signature.as_ref().err().cloned().unwrap_or_default();
        Ok(match self.record(found, key, signature.ok(), now).await? {
            UploadOutcome::Invalid => Uploaded::Invalid { errors, lang },
            outcome => Uploaded::Recorded(outcome),
        })
    }

    /// Records how many signatures the device holds, as it says, for staff to see.
    pub async fn report_waiting(
        &self,
        found: &KioskAtEvent,
        waiting: u16,
        now: NaiveDateTime,
    ) -> Result<(), StoreError> {
        let id = found.kiosk.id;
        self.db
            .run(move |conn| kiosks::report_waiting(conn, id, i32::from(waiting), now))
            .await
    }

    /// Records one upload in one transaction: its earlier answer if it was sent before, else
    /// the signature (when there is one to count) and what became of it.
    async fn record(
        &self,
        found: &KioskAtEvent,
        key: IdempotencyKey,
        signature: Option<InPersonSignature>,
        now: NaiveDateTime,
    ) -> Result<UploadOutcome, StoreError> {
        let kiosk_id = found.kiosk.id;
        let outcome = self
            .db
            .run(move |conn| kiosks::record_upload(conn, kiosk_id, &key, signature.as_ref(), now))
            .await?;
        if outcome == UploadOutcome::Counted {
            self.counts.changed();
        }
        Ok(outcome)
    }
}
