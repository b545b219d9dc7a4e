-- A signer's consent to hear from a partner organisation, apart from the organisation's own,
-- which stays in signatures.email_opt_in beside its consent_version (every existing row keeps
-- it as it was). A partner sees the personal data only of signers with a live row here;
-- unsubscribing sets withdrawn_at, so the withdrawal is on record, and erasure deletes the row.
CREATE TABLE partner_consents (
    id INTEGER PRIMARY KEY NOT NULL,
    signature_id BIGINT NOT NULL REFERENCES signatures (id) ON DELETE CASCADE,
    partner_id BIGINT NOT NULL REFERENCES partners (id),
    version TEXT NOT NULL,
    given_at TIMESTAMP NOT NULL,
    withdrawn_at TIMESTAMP,
    UNIQUE (signature_id, partner_id)
);
CREATE INDEX partner_consents_partner ON partner_consents (partner_id, signature_id);

-- Links that open a partner's own page: the token is shown once and only its SHA-256 kept.
CREATE TABLE partner_links (
    id INTEGER PRIMARY KEY NOT NULL,
    partner_id BIGINT NOT NULL REFERENCES partners (id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
