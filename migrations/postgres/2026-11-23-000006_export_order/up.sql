-- Exports read a campaign's signatures in pages ordered by id. Without this index SQLite
-- chose (campaign_id, confirmed_at) and sorted the whole campaign for every page, so a
-- 1,000,000-row export took time quadratic in its size.
CREATE INDEX signatures_campaign_id ON signatures (campaign_id, id);
