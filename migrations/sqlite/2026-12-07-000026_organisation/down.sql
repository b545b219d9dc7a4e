ALTER TABLE campaign_texts DROP COLUMN demand;
DROP TABLE organisation_texts;
DROP TABLE organisation;
