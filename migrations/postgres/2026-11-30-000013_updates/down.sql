DROP INDEX outbox_pending_updates;
DROP INDEX outbox_pending;
CREATE INDEX outbox_pending ON outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
DELETE FROM outbox WHERE update_id IS NOT NULL;
DROP INDEX outbox_update_recipient;
ALTER TABLE outbox DROP COLUMN update_id;
DROP TABLE campaign_update_texts;
DROP TABLE campaign_updates;
