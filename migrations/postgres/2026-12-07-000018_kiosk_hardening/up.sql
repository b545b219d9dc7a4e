-- When the server recorded an in-person signature (paper or kiosk). Its `confirmed_at` is
-- when the person signed, which a kiosk back online may date hours back; public counts
-- publish in-person signatures by when they were recorded (see `domain::publication`).
ALTER TABLE signatures ADD COLUMN recorded_at TIMESTAMP;
UPDATE signatures SET recorded_at = confirmed_at WHERE channel <> 'online';

-- Uploads refused from a revoked or expired kiosk are counted here, not kept one row each:
-- a lost tablet retrying for days must not fill the disk.
ALTER TABLE kiosks ADD COLUMN refused BIGINT NOT NULL DEFAULT 0;
UPDATE kiosks SET refused = (
    SELECT COUNT(*) FROM kiosk_uploads
    WHERE kiosk_uploads.kiosk_id = kiosks.id AND kiosk_uploads.outcome = 'refused'
);
DELETE FROM kiosk_uploads WHERE outcome = 'refused';

-- Welcome emails a kiosk has queued on `welcome_day` (UTC), for its daily cap.
ALTER TABLE kiosks ADD COLUMN welcome_day DATE;
ALTER TABLE kiosks ADD COLUMN welcomes INTEGER NOT NULL DEFAULT 0;
