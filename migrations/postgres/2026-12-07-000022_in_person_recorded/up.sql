-- The public history counts in-person signatures per day of recording (see
-- `db::signatures::confirmation_history`). Only in-person rows have `recorded_at`, so the
-- index holds them alone and online signing pays nothing for it.
CREATE INDEX signatures_in_person_recorded ON signatures (campaign_id, recorded_at)
    WHERE recorded_at IS NOT NULL;
