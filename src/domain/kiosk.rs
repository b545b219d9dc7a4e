//! Kiosks: a tablet or phone at an event that signs people in person. Its link carries a
//! secret (a `PlainToken`, of which only the hash is stored); while the network is down it
//! keeps signatures sealed to the server's key (see `seal`).

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeDelta};

use super::{PlainToken, RandomnessUnavailable, SignatureInput, Source};

/// Welcome emails one kiosk may queue per day (UTC). A busy stand signs a few hundred
/// people a day, not all of whom leave an email and ask for news; past this, signatures
/// still count but get no welcome.
pub const KIOSK_WELCOMES_PER_DAY: i32 = 300;

/// How long a kiosk link works when staff do not say.
pub const DEFAULT_KIOSK_LIFETIME: TimeDelta = TimeDelta::days(3);
/// The longest a kiosk link may work: an event, not a season.
const MAX_KIOSK_LIFETIME: TimeDelta = TimeDelta::days(31);

/// How long a kiosk link works, from `3d`, `12h` or `90m`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KioskLifetime(TimeDelta);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "write how long the kiosk works as days, hours or minutes, such as 3d, 12h or 90m, up to 31d"
)]
pub struct LifetimeError;

impl KioskLifetime {
    pub fn parse(raw: &str) -> Result<Self, LifetimeError> {
        let raw = raw.trim();
        let split = raw.len().checked_sub(1).ok_or(LifetimeError)?;
        let (number, unit) = (raw.get(..split), raw.get(split..));
        let amount: i64 = number
            .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|n| n.parse().ok())
            .ok_or(LifetimeError)?;
        let lifetime = match unit {
            Some("d") => TimeDelta::try_days(amount),
            Some("h") => TimeDelta::try_hours(amount),
            Some("m") => TimeDelta::try_minutes(amount),
            _ => None,
        }
        .ok_or(LifetimeError)?;
        if lifetime <= TimeDelta::zero() || lifetime > MAX_KIOSK_LIFETIME {
            return Err(LifetimeError);
        }
        Ok(Self(lifetime))
    }

    pub fn expires_at(self, now: NaiveDateTime) -> NaiveDateTime {
        now + self.0
    }
}

impl Default for KioskLifetime {
    fn default() -> Self {
        Self(DEFAULT_KIOSK_LIFETIME)
    }
}

/// What staff ask for when they make a kiosk: the event it serves and how long it works.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KioskRequest {
    pub event_name: String,
    pub place: String,
    pub held_on: Option<NaiveDate>,
    pub source: Option<Source>,
    pub lifetime: KioskLifetime,
}

/// The longest event name or place, in characters.
const MAX_EVENT_TEXT: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum KioskRequestError {
    #[error("give the event a name of 1 to 100 characters")]
    EventName,
    #[error("write the place in at most 100 characters")]
    Place,
    #[error("write the date as YYYY-MM-DD")]
    Date,
    #[error("a source code is letters, digits, - _ and . only")]
    Source,
    #[error("{0}")]
    Lifetime(LifetimeError),
}

impl KioskRequestError {
    /// The field of the staff form it belongs to.
    pub fn field(self) -> &'static str {
        match self {
            Self::EventName => "event",
            Self::Place => "place",
            Self::Date => "held_on",
            Self::Source => "source",
            Self::Lifetime(_) => "expires",
        }
    }
}

fn short_text(raw: &str) -> Option<String> {
    let text = raw.trim();
    (text.chars().count() <= MAX_EVENT_TEXT && !text.chars().any(char::is_control))
        .then(|| text.to_owned())
}

impl KioskRequest {
    pub fn parse(
        event_name: &str,
        place: &str,
        held_on: &str,
        source: &str,
        expires: &str,
    ) -> Result<Self, KioskRequestError> {
        let event_name = short_text(event_name)
            .filter(|name| !name.is_empty())
            .ok_or(KioskRequestError::EventName)?;
        let place = short_text(place).ok_or(KioskRequestError::Place)?;
        let held_on = match held_on.trim() {
            "" => None,
            raw => Some(
                NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| KioskRequestError::Date)?,
            ),
        };
        let source = match source.trim() {
            "" => None,
            raw => Some(Source::parse_lenient(raw).ok_or(KioskRequestError::Source)?),
        };
        let lifetime = match expires.trim() {
            "" => KioskLifetime::default(),
            raw => KioskLifetime::parse(raw).map_err(KioskRequestError::Lifetime)?,
        };
        Ok(Self {
            event_name,
            place,
            held_on,
            source,
            lifetime,
        })
    }
}

/// Whether a kiosk may take signatures now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KioskState {
    Open,
    Revoked,
    Expired,
}

impl KioskState {
    pub fn of(
        revoked_at: Option<NaiveDateTime>,
        expires_at: NaiveDateTime,
        now: NaiveDateTime,
    ) -> Self {
        if revoked_at.is_some() {
            Self::Revoked
        } else if expires_at <= now {
            Self::Expired
        } else {
            Self::Open
        }
    }
}

/// What became of one signature a kiosk sent. Stored by name, shown to staff per kiosk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadOutcome {
    /// A new signature, counted.
    Counted,
    /// Someone who had signed already; counted once, as before.
    Duplicate,
    /// A field the server would not take (a device clock or script gone wrong).
    Invalid,
    /// Sent after the kiosk was revoked or had expired: not counted, and not stored per
    /// upload (the kiosk keeps a count of them).
    Refused,
}

impl UploadOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Counted => "counted",
            Self::Duplicate => "duplicate",
            Self::Invalid => "invalid",
            Self::Refused => "refused",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Counted, Self::Duplicate, Self::Invalid, Self::Refused]
            .into_iter()
            .find(|outcome| outcome.as_str() == raw)
    }
}

/// The key a device makes for each signature it queues, so that sending it twice counts it
/// once: 16 to 64 characters of the URL-safe base64 alphabet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    pub fn parse(raw: &str) -> Option<Self> {
        let well_formed = (16..=64).contains(&raw.len())
            && raw
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'));
        well_formed.then(|| Self(raw.to_owned()))
    }

    /// A key made by the server, for a signature sent without the kiosk's script.
    pub fn generate() -> Result<Self, RandomnessUnavailable> {
        let token = PlainToken::generate()?;
        Ok(Self(token.expose().chars().take(32).collect()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a sealed signature holds once opened: the form's fields, the signer's language and
/// when the device took it.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct KioskEntry {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub country: String,
    pub postal_code: String,
    pub email_opt_in: bool,
    pub lang: String,
    /// Milliseconds since 1970 by the device's clock.
    pub signed_at: i64,
}

impl KioskEntry {
    pub fn parse(plaintext: &[u8]) -> Option<Self> {
        serde_json::from_slice(plaintext).ok()
    }

    pub fn input(&self) -> SignatureInput {
        SignatureInput {
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            email: self.email.clone(),
            country: self.country.clone(),
            postal_code: self.postal_code.clone(),
            email_opt_in: self.email_opt_in,
            ..SignatureInput::default()
        }
    }

    /// When it was signed: the device's time, unless that is in the future or before the
    /// kiosk existed (a clock set wrong), when the time it arrived is closer to the truth.
    pub fn signed_at(&self, created: NaiveDateTime, received: NaiveDateTime) -> NaiveDateTime {
        DateTime::from_timestamp_millis(self.signed_at)
            .map(|at| at.naive_utc())
            .filter(|at| (created..=received).contains(at))
            .unwrap_or(received)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifetimes_are_days_hours_or_minutes_up_to_a_month() {
        let now = NaiveDateTime::default();
        let three_days = KioskLifetime::parse("3d").expect("3d");
        assert_eq!(three_days.expires_at(now), now + TimeDelta::days(3));
        assert!(KioskLifetime::parse("12h").is_ok());
        assert!(KioskLifetime::parse("90m").is_ok());
        for bad in [
            "",
            "d",
            "3",
            "0d",
            "-1d",
            "32d",
            "3w",
            "1.5d",
            "99999999999999999999d",
        ] {
            assert_eq!(KioskLifetime::parse(bad), Err(LifetimeError), "{bad}");
        }
    }

    #[test]
    fn idempotency_keys_are_short_url_safe_strings() {
        assert!(IdempotencyKey::parse("abcdefghijklmnop").is_some());
        assert!(IdempotencyKey::parse("short").is_none());
        assert!(IdempotencyKey::parse("abcdefghijklmnop/").is_none());
        assert!(IdempotencyKey::parse(&"a".repeat(65)).is_none());
    }

    #[test]
    fn a_device_clock_set_wrong_gives_way_to_the_arrival_time() {
        let created = DateTime::from_timestamp(1_000, 0).expect("t").naive_utc();
        let received = DateTime::from_timestamp(2_000, 0).expect("t").naive_utc();
        let at = |millis| KioskEntry {
            signed_at: millis,
            ..KioskEntry::default()
        };
        assert_eq!(
            at(1_500_000).signed_at(created, received),
            DateTime::from_timestamp(1_500, 0).expect("t").naive_utc()
        );
        assert_eq!(at(9_000_000).signed_at(created, received), received);
        assert_eq!(at(0).signed_at(created, received), received);
    }

    #[test]
    fn a_kiosk_request_needs_an_event_name_and_well_formed_extras() {
        let request = KioskRequest::parse(" Feria del libro ", "Zócalo", "2026-12-05", "Feria", "")
            .expect("valid");
        assert_eq!(request.event_name, "Feria del libro");
        assert_eq!(request.source.as_ref().map(Source::as_str), Some("feria"));
        assert_eq!(request.lifetime, KioskLifetime::default());
        let error = |e, p, d, s, x| KioskRequest::parse(e, p, d, s, x).err();
        assert_eq!(
            error(" ", "", "", "", ""),
            Some(KioskRequestError::EventName)
        );
        let long_place = "p".repeat(101);
        assert_eq!(
            error("a", &long_place, "", "", ""),
            Some(KioskRequestError::Place)
        );
        assert_eq!(
            error("a", "", "5/12/2026", "", ""),
            Some(KioskRequestError::Date)
        );
        assert_eq!(
            error("a", "", "", "<x>", ""),
            Some(KioskRequestError::Source)
        );
        assert_eq!(
            error("a", "", "", "", "forever"),
            Some(KioskRequestError::Lifetime(LifetimeError))
        );
    }

    #[test]
    fn kiosk_states() {
        let now = NaiveDateTime::default();
        let later = now + TimeDelta::hours(1);
        assert_eq!(KioskState::of(None, later, now), KioskState::Open);
        assert_eq!(KioskState::of(Some(now), later, now), KioskState::Revoked);
        assert_eq!(KioskState::of(None, now, now), KioskState::Expired);
    }
}
