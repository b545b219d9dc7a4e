ALTER TABLE campaigns DROP COLUMN goal_multiplier;
DROP INDEX signatures_awaiting_reminder;
ALTER TABLE signatures DROP COLUMN reminded_at;
