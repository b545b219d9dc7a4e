DROP TABLE staff_campaigns;
ALTER TABLE api_tokens DROP COLUMN role;
ALTER TABLE staff DROP COLUMN role;
