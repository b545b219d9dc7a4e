ALTER TABLE kiosks DROP COLUMN welcomes;
ALTER TABLE kiosks DROP COLUMN welcome_day;
ALTER TABLE kiosks DROP COLUMN refused;
ALTER TABLE signatures DROP COLUMN recorded_at;
