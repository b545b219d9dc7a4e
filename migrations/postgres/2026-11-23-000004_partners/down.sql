ALTER TABLE api_tokens DROP COLUMN source;
DROP TABLE partners;
