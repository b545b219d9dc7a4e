-- The review page counts a campaign's flagged signatures on every load: few rows, found
-- without reading the campaign. Partial, so signing unflagged rows does not maintain it.
CREATE INDEX signatures_flagged ON signatures (campaign_id, flagged_at) WHERE flagged_at IS NOT NULL;
