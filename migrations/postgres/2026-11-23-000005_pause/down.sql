ALTER TABLE campaigns DROP COLUMN paused_message;
ALTER TABLE campaigns DROP COLUMN paused_at;
