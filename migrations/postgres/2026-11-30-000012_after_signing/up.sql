-- When a signer who had not confirmed was sent the one reminder they get; set in the same
-- transaction as the reminder's outbox row, so a signature is never reminded twice.
ALTER TABLE signatures ADD COLUMN reminded_at TIMESTAMP;

-- The reminder task looks only at pending signatures not reminded yet, a small set next to
-- the confirmed ones.
CREATE INDEX signatures_awaiting_reminder ON signatures (created_at)
    WHERE confirmed_at IS NULL AND reminded_at IS NULL;

-- A rising goal: once the count reaches the goal, the goal shown is multiplied by this (2
-- doubles it), again and again, so the bar never sits at 100 %. 1 keeps the goal as set.
ALTER TABLE campaigns ADD COLUMN goal_multiplier INTEGER NOT NULL DEFAULT 1;
