ALTER TABLE campaign_texts DROP COLUMN target;
ALTER TABLE events DROP COLUMN undone_by;
ALTER TABLE events DROP COLUMN undone_at;
ALTER TABLE events DROP COLUMN created_by;
