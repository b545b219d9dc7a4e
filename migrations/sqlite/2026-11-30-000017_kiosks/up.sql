-- Kiosks: a tablet at an event signs people in person for one campaign. Only the hash of
-- its secret link is kept; `waiting` is how many signatures the device last said it holds.
CREATE TABLE kiosks (
    id INTEGER PRIMARY KEY NOT NULL,
    campaign_id BIGINT NOT NULL REFERENCES campaigns (id),
    event_id BIGINT NOT NULL REFERENCES events (id),
    secret_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP,
    waiting INTEGER NOT NULL DEFAULT 0,
    reported_at TIMESTAMP
);

CREATE INDEX kiosks_campaign ON kiosks (campaign_id);

-- What became of each signature a kiosk sent, by the key the device made for it: a retried
-- upload finds its first answer here. Refused uploads are kept too (without names), so that
-- staff see what a revoked kiosk still held.
CREATE TABLE kiosk_uploads (
    id INTEGER PRIMARY KEY NOT NULL,
    kiosk_id BIGINT NOT NULL REFERENCES kiosks (id),
    idempotency_key TEXT NOT NULL,
    outcome TEXT NOT NULL,
    received_at TIMESTAMP NOT NULL,
    UNIQUE (kiosk_id, idempotency_key)
);
