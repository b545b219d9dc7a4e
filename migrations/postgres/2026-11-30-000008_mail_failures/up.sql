-- An email that can never be sent (the relay refuses its address for good, or it cannot be
-- built) or that failed for too long is marked failed instead of being retried for ever:
-- it leaves the queue, keeps its last error, and staff see it counted on the dashboard.
ALTER TABLE outbox ADD COLUMN failed_at TIMESTAMP;

DROP INDEX outbox_pending;
CREATE INDEX outbox_pending ON outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;

-- Failed emails are few among millions sent: counting them, in all (`/metrics`) or for one
-- campaign's dashboard, reads only this index.
CREATE INDEX outbox_failed ON outbox (signature_id) WHERE failed_at IS NOT NULL;
