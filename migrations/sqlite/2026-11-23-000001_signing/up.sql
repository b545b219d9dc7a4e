-- Campaigns, signatures, confirmation tokens and the mail outbox: everything a supporter
-- needs to sign and confirm. Times are UTC. Ids are integer rowids; slugs and emails are
-- unique columns, never keys.

CREATE TABLE campaigns (
    id INTEGER PRIMARY KEY NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    default_lang TEXT NOT NULL,
    goal BIGINT NOT NULL,
    default_country TEXT NOT NULL,
    postal_code_required BOOLEAN NOT NULL DEFAULT 0,
    is_open BOOLEAN NOT NULL DEFAULT 1,
    closes_at TIMESTAMP,
    embed_origins TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- A campaign's words in each language it is published in; the default language must exist.
CREATE TABLE campaign_texts (
    id INTEGER PRIMARY KEY NOT NULL,
    campaign_id BIGINT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    lang TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (campaign_id, lang)
);

CREATE TABLE signatures (
    id INTEGER PRIMARY KEY NOT NULL,
    campaign_id BIGINT NOT NULL REFERENCES campaigns (id),
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    email TEXT NOT NULL,
    email_canonical TEXT NOT NULL,
    country TEXT NOT NULL,
    postal_code TEXT,
    email_opt_in BOOLEAN NOT NULL,
    comment TEXT,
    source TEXT,
    lang TEXT NOT NULL,
    consent_version TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    confirmed_at TIMESTAMP,
    -- "Already signed" and repeated confirmation emails sent for later attempts; capped so
    -- that nobody can use the form to flood someone's inbox.
    repeat_emails INTEGER NOT NULL DEFAULT 0,
    UNIQUE (campaign_id, email_canonical)
);

-- Counting confirmed signatures per campaign reads only this index.
CREATE INDEX signatures_campaign_confirmed ON signatures (campaign_id, confirmed_at);

CREATE TABLE confirmation_tokens (
    id INTEGER PRIMARY KEY NOT NULL,
    signature_id BIGINT NOT NULL REFERENCES signatures (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);

CREATE INDEX confirmation_tokens_signature ON confirmation_tokens (signature_id);

-- Emails waiting to be sent. A row is written in the same transaction as the signature it
-- belongs to, so an acknowledged signature always gets its email. `link_token` holds the
-- confirmation secret only until the email has gone out.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY NOT NULL,
    signature_id BIGINT NOT NULL REFERENCES signatures (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    link_token TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    locked_until TIMESTAMP,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP
);

CREATE INDEX outbox_pending ON outbox (next_attempt_at) WHERE sent_at IS NULL;
CREATE INDEX outbox_signature ON outbox (signature_id);
