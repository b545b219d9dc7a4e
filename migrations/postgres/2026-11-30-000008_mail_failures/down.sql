DROP INDEX outbox_failed;
DROP INDEX outbox_pending;
CREATE INDEX outbox_pending ON outbox (next_attempt_at) WHERE sent_at IS NULL;

ALTER TABLE outbox DROP COLUMN failed_at;
