//! Types and rules of the petition domain. Nothing here does I/O: input is parsed into
//! these types at the edge, and everything past the edge can rely on them.

mod campaign;
mod client;
mod comment;
mod country;
mod device;
mod email;
mod form_token;
mod history;
mod in_person;
mod invisible;
mod keyed_hash;
mod kiosk;
mod lang;
mod name;
mod not_me;
mod organisation;
mod origin;
mod paper;
mod password;
mod postal_code;
mod proxies;
mod publication;
mod review;
mod role;
mod seal;
mod share;
mod signature;
mod signed_at;
mod slug;
mod source;
mod spreadsheet;
mod staff_keys;
mod token;
mod unsubscribe;
mod update;

pub use campaign::{
    CampaignDraft, CampaignErrors, CampaignInput, CampaignText, MAX_CAMPAIGN_TEXT_CHARS,
    MAX_GOAL_MULTIPLIER, rising_goal,
};
pub use client::ClientNetwork;
pub use comment::{Comment, CommentError, MAX_COMMENT_CHARS};
pub use country::{Country, CountryNames, UnknownCountry};
pub use device::{DeviceKey, TrustedDevice};
pub use email::{EmailError, SignerEmail};
pub use form_token::{
    FORM_TOKEN_LIFETIME, FormTokenError, FormTokenKey, FormTokenUses, MAX_SIGNATURES_PER_FORM,
};
pub use history::{ConfirmationHistory, HistoryPoint, Interval};
pub use in_person::{Channel, InPersonPlace, InPersonSignature, PersonKey};
pub use keyed_hash::KeyedHasher;
pub use kiosk::{
    DEFAULT_KIOSK_LIFETIME, IdempotencyKey, KIOSK_WELCOMES_PER_DAY, KioskEntry, KioskLifetime,
    KioskRequest, KioskRequestError, KioskState, LifetimeError, UploadOutcome,
};
pub use lang::Lang;
pub use name::{NameError, PersonName};
pub use not_me::NotMeKey;
pub use organisation::{
    AA_CONTRAST, BrandColour, BrandColourError, MAX_PRIVACY_NOTICE_CHARS, Organisation,
    OrganisationInput, OrganisationProblem, OrganisationText, contrast_ratio_text,
};
pub use origin::{EmbedOrigins, Origin, OwnOrigins};
pub use paper::{
    DayError, MAX_SHEET_BYTES, MAX_SHEET_ROWS, SheetError, SheetRow, decode_sheet, read_sheet,
};
pub use password::{
    HashingFailed, MIN_PASSWORD_CHARS, PasswordError, PasswordMemory, StaffPassword, decoy_hash,
};
pub use postal_code::{PostalCode, PostalCodeError};
pub use proxies::TrustedProxies;
pub use publication::{
    IN_PERSON_STEP, in_person_publications, publication_cut, published_in_person,
};
pub use review::{
    ConditionError, ConditionInput, Conditions, Dimension as ReviewDimension, HourCount,
    NetworkHash, NetworkKeys, NetworkPrefix, NetworkQuery, SHIPPED_THROWAWAY_DOMAINS, Signals,
    ThrowawayDomains, Trend, Usual, email_domain, needs_second_confirmation, pseudonymised,
    unusual,
};
pub use role::{AccessError, Permission, Role, StaffAccess};
pub use seal::{SealedSignature, SealingKey};
pub use share::ShareChannel;
pub use signature::{
    CONSENT_VERSION, FORM_CONSENT_VERSION, Field, FieldError, FieldErrors, FormRules, NewSignature,
    SignatureInput,
};
pub use signed_at::{SIGNING_SLACK, SignedAt, SignedAtError};
pub use slug::{Slug, SlugError};
pub use source::Source;
pub use spreadsheet::{formula_pieces, neutralise_formulas};
pub use staff_keys::StaffKeys;
pub(crate) use token::hex;
pub use token::{
    ConfirmationKey, HashedToken, IssuedToken, PlainToken, RandomnessUnavailable, TokenNonce,
};
pub use unsubscribe::UnsubscribeKey;
pub use update::{
    MAX_BODY_CHARS, MAX_SUBJECT_CHARS, SEND_INTERVAL, TooSoon, UpdateDraft, UpdateErrors,
    UpdateField, UpdateText, UpdateTextError, may_send, text_for,
};
