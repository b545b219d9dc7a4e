-- Confirmation tokens are no longer stored, not even until their email is sent: the outbox
-- keeps a random nonce, and the mail worker derives the token from it and the server
-- secret when it writes the email (src/domain/token.rs).
ALTER TABLE outbox ADD COLUMN link_nonce TEXT;

-- An unsent confirmation email queued before this change holds a token that cannot be
-- turned into a nonce. Its signature is unconfirmed: the email is marked failed, and the
-- signer gets a new link by signing again.
UPDATE outbox
SET failed_at = now() AT TIME ZONE 'UTC',
    last_error = 'queued before confirmation tokens were derived; the signer can sign again for a new link',
    locked_until = NULL
WHERE link_token IS NOT NULL AND sent_at IS NULL AND failed_at IS NULL;

ALTER TABLE outbox DROP COLUMN link_token;
