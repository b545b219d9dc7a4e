-- Tokens derived from nonces cannot be stored back: unsent emails keep no link, and
-- fail when the older code tries to write them.
ALTER TABLE outbox ADD COLUMN link_token TEXT;
ALTER TABLE outbox DROP COLUMN link_nonce;
