-- The review of a campaign's signatures (README, "Reviewing a campaign's signatures").
--
-- Signals kept on each online signature: the domain of its email address, and its network
-- (an IPv4 /24 or IPv6 /48) only as a keyed hash under that day's key. The hash is dropped
-- after a set number of days, and each day's salt with it, so that an old hash cannot be
-- matched to a network again. A signature from a throwaway-mail domain is flagged.
ALTER TABLE signatures ADD COLUMN email_domain TEXT;
ALTER TABLE signatures ADD COLUMN network_hash TEXT;
ALTER TABLE signatures ADD COLUMN flagged_at TIMESTAMP;
-- The invalidation that took the signature out of every count, while it is not undone.
ALTER TABLE signatures ADD COLUMN invalidation_id BIGINT;

UPDATE signatures SET email_domain = substr(email_canonical, instr(email_canonical, '@') + 1)
WHERE instr(email_canonical, '@') > 0;

-- The review page reads a campaign's last days by time.
CREATE INDEX signatures_campaign_created ON signatures (campaign_id, created_at);
-- Dropping old network hashes reads only the rows that still have one.
CREATE INDEX signatures_network_kept ON signatures (created_at) WHERE network_hash IS NOT NULL;
-- Undoing an invalidation, and the manifest's count of each, read only its rows.
CREATE INDEX signatures_invalidated ON signatures (invalidation_id)
    WHERE invalidation_id IS NOT NULL;

-- A campaign may refuse throwaway-mail addresses instead of flagging them.
ALTER TABLE campaigns ADD COLUMN refuse_throwaway BOOLEAN NOT NULL DEFAULT 0;

-- One random salt per day (UTC); every server derives that day's network key from it and
-- the server secret, so that all agree and the database alone cannot reverse a hash.
CREATE TABLE network_salts (
    id INTEGER PRIMARY KEY NOT NULL,
    day DATE NOT NULL UNIQUE,
    salt TEXT NOT NULL
);

-- Staff taking signatures out of the counts: which (conditions as JSON), why, who, when,
-- how far the batches have gone, and whether it was cancelled or undone.
CREATE TABLE invalidations (
    id INTEGER PRIMARY KEY NOT NULL,
    campaign_id BIGINT NOT NULL REFERENCES campaigns (id),
    conditions TEXT NOT NULL,
    reason TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    through_id BIGINT NOT NULL DEFAULT 0,
    affected BIGINT NOT NULL DEFAULT 0,
    finished_at TIMESTAMP,
    cancelled_at TIMESTAMP,
    undone_at TIMESTAMP,
    undone_by TEXT
);

CREATE INDEX invalidations_campaign ON invalidations (campaign_id, created_at);

-- "This wasn't me": a signature removed by the owner of its address. Only the signals are
-- kept, for the review page.
CREATE TABLE not_me_reports (
    id INTEGER PRIMARY KEY NOT NULL,
    campaign_id BIGINT NOT NULL REFERENCES campaigns (id),
    created_at TIMESTAMP NOT NULL,
    email_domain TEXT,
    network_hash TEXT
);

CREATE INDEX not_me_reports_campaign ON not_me_reports (campaign_id, created_at);

-- Alerts sent to staff: one per campaign, signal and value each wave.
CREATE TABLE review_alerts (
    id INTEGER PRIMARY KEY NOT NULL,
    campaign_id BIGINT NOT NULL REFERENCES campaigns (id),
    dimension TEXT NOT NULL,
    value TEXT NOT NULL,
    sent_at TIMESTAMP NOT NULL
);

CREATE INDEX review_alerts_campaign ON review_alerts (campaign_id, dimension, value, sent_at);
