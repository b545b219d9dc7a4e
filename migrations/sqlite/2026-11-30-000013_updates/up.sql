-- Updates to signers: news about a campaign that staff write in its languages, send to the
-- confirmed signers who asked to hear more, and may publish on the campaign page.
CREATE TABLE campaign_updates (
    id INTEGER PRIMARY KEY NOT NULL,
    campaign_id BIGINT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    created_by TEXT NOT NULL,
    -- Set when staff send it; the texts are then final.
    sent_at TIMESTAMP,
    sent_by TEXT,
    -- Recipients are queued a batch at a time in signature id order; this is the last id
    -- queued, and queued_at is set once every recipient is in the outbox.
    queued_through BIGINT NOT NULL DEFAULT 0,
    queued_at TIMESTAMP,
    published_at TIMESTAMP,
    is_target_response BOOLEAN NOT NULL DEFAULT 0
);

CREATE INDEX campaign_updates_campaign ON campaign_updates (campaign_id, created_at);

CREATE TABLE campaign_update_texts (
    id INTEGER PRIMARY KEY NOT NULL,
    update_id BIGINT NOT NULL REFERENCES campaign_updates (id) ON DELETE CASCADE,
    lang TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (update_id, lang)
);

-- An update's emails sit in the outbox beside the confirmations, one per recipient. No
-- foreign key: SQLite cannot drop a column that has one, and an update goes only with its
-- campaign, whose signatures take their outbox rows with them.
ALTER TABLE outbox ADD COLUMN update_id BIGINT;
CREATE UNIQUE INDEX outbox_update_recipient ON outbox (update_id, signature_id)
    WHERE update_id IS NOT NULL;

-- Confirmations are looked for apart from the updates queued for thousands of signers, so
-- that finding the next one never reads past an update's backlog.
DROP INDEX outbox_pending;
CREATE INDEX outbox_pending ON outbox (next_attempt_at)
    WHERE sent_at IS NULL AND failed_at IS NULL AND update_id IS NULL;
CREATE INDEX outbox_pending_updates ON outbox (next_attempt_at)
    WHERE sent_at IS NULL AND failed_at IS NULL AND update_id IS NOT NULL;
