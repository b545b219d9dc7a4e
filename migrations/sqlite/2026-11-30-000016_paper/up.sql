-- A batch of paper signatures is an event: who typed or imported it in, and when staff
-- undid it because a sheet turned out to be bad (its signatures are gone then).
ALTER TABLE events ADD COLUMN created_by TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN undone_at TIMESTAMP;
ALTER TABLE events ADD COLUMN undone_by TEXT NOT NULL DEFAULT '';

-- Whom a campaign is addressed to ("Presidencia de la República"), per language like its
-- other texts: printed on signature sheets and on the delivery pack's cover.
ALTER TABLE campaign_texts ADD COLUMN target TEXT NOT NULL DEFAULT '';
